"""The twin's app: the models whose table the lab's schemas copy."""
