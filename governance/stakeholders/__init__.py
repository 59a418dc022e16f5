"""The stakeholder registry, shared by every collaboration."""
