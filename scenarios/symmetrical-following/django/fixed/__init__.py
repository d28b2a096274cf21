"""The fixed app: `User.following` as a directed edge table."""
