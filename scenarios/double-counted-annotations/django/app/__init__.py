"""The twin's app: the model whose tables the lab's schema copies."""
