"""Trust events: what built or broke trust between stakeholders."""
