"""The twin's app: the article whose table the lab's schema copies, and the broker's job."""
