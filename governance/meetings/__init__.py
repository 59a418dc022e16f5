"""Meetings of a forum, with who attended and what was decided."""
