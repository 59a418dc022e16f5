"""Typed, directed, dated ties between two stakeholders."""
