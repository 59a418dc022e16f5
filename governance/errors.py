"""Domain errors that carry their meaning; the web layer maps each to one HTTP status."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The record does not exist, or is deleted and the caller did not ask for deleted ones."""

    def __init__(self, record_type: str, record_id: object, *, deleted: bool = False) -> None:
        label = record_type.replace("_", " ").capitalize()
        message = f"{label} {record_id} is deleted" if deleted else f"{label} {record_id} not found"
        if deleted:
            message += "; restore it first"
        super().__init__(message)
        self.record_type = record_type
        self.record_id = record_id


class Conflict(DomainError):
    """The caller's version is stale, or the change clashes with the current state."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class Invalid(DomainError):
    """Input that is well-formed but breaks a rule; one message per offending field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        summary = "; ".join(f"{field}: {problem}" for field, problem in self.errors.items())
        super().__init__(summary)

    @classmethod
    def field(cls, field: str, problem: str) -> Invalid:
        return cls({field: problem})


class Unauthorised(DomainError):
    """Credentials are missing or wrong."""
