"""The fixed app: `Product` with the same validators and the rules as CheckConstraints."""
