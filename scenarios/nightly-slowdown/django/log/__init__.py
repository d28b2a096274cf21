"""The twin's app: the event log whose table the lab's schema copies."""
