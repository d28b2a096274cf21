"""The twin's app: the models whose tables the lab's schema copies."""
