"""A collaboration: one case of collaborative governance."""
