"""Commitments: who promised what to whom, and what became of it."""
