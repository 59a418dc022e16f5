"""The append-only audit log: who changed which record, when, and how."""
