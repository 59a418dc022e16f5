"""Forums: where a collaboration's stakeholders meet, and how they are designed."""
