"""Pieces every concept's schemas share: strict input, the record envelope, list queries."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from governance.records import DEFAULT_LIMIT, MAX_LIMIT

#: A short name or title: required, trimmed, at most 200 characters.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
#: A label of a few words (unit, place, location).
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
#: Free text: descriptions, notes, minutes; long but bounded.
Text = Annotated[str, StringConstraints(max_length=50_000)]
#: Required free text (a commitment's description, a decision).
RequiredText = Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you last read")]


class Input(BaseModel):
    """Input from a client: unknown fields are refused, not silently dropped.

    Text may not carry NUL characters anywhere (PostgreSQL cannot store them).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if _contains_nul(value):
            raise ValueError("must not contain NUL characters (\\u0000)")
        return value


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, BaseModel):
        return any(_contains_nul(item) for item in value.__dict__.values())
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_contains_nul(item) for item in value)
    return False


class Patch(Input):
    """A partial update: only the fields sent change, and ``version`` must be current."""

    version: Version

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version"})


class RecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    deleted_at: dt.datetime | None


class ListQuery(Input):
    """Paging and the filters every list accepts."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)
    q: str | None = Field(None, max_length=200, description="Text search on names")
    include_deleted: bool = Field(False, description="Also list deleted records (the trash)")


class DateRange(BaseModel):
    """``*_from`` / ``*_to`` bounds of a list filter, inclusive; ``*_to`` may not come first.

    Declare each ``*_from`` field before its ``*_to`` field: the check runs on ``*_to``
    so that the error names it.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _ordered(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        if value is None or not name.endswith("_to"):
            return value
        start_field = name.removesuffix("_to") + "_from"
        start = info.data.get(start_field)
        if start is not None and value < start:
            raise ValueError(f"must not be before {start_field} ({start.isoformat()})")
        return value


def ensure_order(
    start: dt.date | dt.datetime | None,
    end: dt.date | dt.datetime | None,
    *,
    end_field: str,
    start_field: str,
) -> dict[str, str]:
    """An error for ``end_field`` when it falls before ``start_field``; else nothing."""
    if start is not None and end is not None and end < start:
        return {end_field: f"must not be before {start_field} ({start.isoformat()})"}
    return {}


T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


#: Default of a patch field that may not be null: left out means "leave as it is",
#: while an explicit null fails validation (the field's type does not admit None).
KEEP: Any = None
