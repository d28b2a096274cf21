"""The broken app: `User.following` as first written."""
