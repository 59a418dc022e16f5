"""Evidence: interviews, minutes, documents behind scores, events and changes."""
