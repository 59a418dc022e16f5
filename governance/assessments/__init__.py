"""Researchers' scores of the model's variables, with evidence."""
