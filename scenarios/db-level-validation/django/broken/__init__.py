"""The broken app: `Product` with validators only."""
