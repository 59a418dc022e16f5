"""A stakeholder's part in a collaboration."""
