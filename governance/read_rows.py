"""Records as plain rows of their read shape, for answers written straight to JSON.

A list answer of 50 meetings carries some 800 attendance rows. Building and validating
a pydantic model per row costs more than reading the rows; so the busiest reads build
plain dicts instead — keys in the read model's field order, enums as their codes,
dates and instants as they are — and the API writes them to JSON in one call
(``pydantic_core.to_json``), which writes them exactly as the read model would. Each
concept's ``present`` validates the same rows into its read model, so the two cannot
drift apart, and tests compare their JSON.

The statements that read a page's children (its seats, decisions, status steps) have
one shape whatever the page: they are built once, as module constants with an
expanding bind parameter for the ids. Building a statement and its cache key afresh
cost more than running it.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Enum, Executable, String, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement


def fields(read: type[BaseModel], *, besides: Collection[str] = ()) -> tuple[str, ...]:
    """The read model's field names, in order, but for those filled in another way."""
    return tuple(name for name in read.model_fields if name not in besides)


def record_row(record: object, names: Iterable[str]) -> dict[str, Any]:
    """The record's attributes ``names`` as a plain row, enums as their codes.

    Loaded columns are read from the instance's ``__dict__``, where SQLAlchemy keeps
    them (its attribute access is most of this function's cost otherwise); anything
    else — a property, an expired column — through the attribute.
    """
    loaded = record.__dict__
    row: dict[str, Any] = {}
    for name in names:
        value = loaded[name] if name in loaded else getattr(record, name)
        row[name] = value.value if isinstance(value, enum.Enum) else value
    return row


def columns(
    model: type[Any], names: Iterable[str]
) -> list[ColumnElement[Any] | InstrumentedAttribute[Any]]:
    """The columns ``names`` of a mapped class to select, enum columns as their stored codes.

    Making an enum member of every value of every row is most of the cost of reading
    a column of codes, and the answer wants the code anyway.
    """
    selected: list[ColumnElement[Any] | InstrumentedAttribute[Any]] = []
    for name in names:
        column: InstrumentedAttribute[Any] = getattr(model, name)
        if isinstance(column.type, Enum):
            selected.append(type_coerce(column, String).label(name))
        else:
            selected.append(column)
    return selected


def fetch(session: Session, statement: Executable, **params: Any) -> Sequence[Sequence[Any]]:
    """Every row of a select of plain columns, run on the session's connection.

    The ORM's loading is for entities; for plain column rows it only adds cost, which
    shows at hundreds of rows a page.
    """
    return session.connection().execute(statement, params).all()


def rows_of(names: Sequence[str], found: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Selected rows (in the order of ``names``) as plain rows keyed by ``names``."""
    return [dict(zip(names, row, strict=True)) for row in found]


def profile_row(profile: type[BaseModel], stored: Mapping[str, Any]) -> dict[str, Any]:
    """A nested profile kept as JSON (only the keys with a value) with every field filled.

    The read model fills a missing key with the field's default; so does this.
    """
    return {name: stored.get(name, field.default) for name, field in profile.model_fields.items()}
