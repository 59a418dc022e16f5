"""Outcomes: a tree of results with measurements, whose progress rolls up."""
