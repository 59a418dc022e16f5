"""People who sign in, their roles and their API tokens."""
