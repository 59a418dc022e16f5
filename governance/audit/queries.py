"""Reading the audit log: entries by record, by user, by action, type and time.

The log is append-only: this module reads it and nothing here (or anywhere in the
app) updates or deletes an entry. A page of entries costs two queries (the count and
the rows); naming the records they touch costs one more per record type on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.audit.service import SECRET_FIELDS
from governance.errors import NotFound
from governance.record_types import RECORD_TYPES, rows_of
from governance.records import DEFAULT_LIMIT, MAX_LIMIT, Page
from governance.schemas import Id, Input

#: What the app writes to the log; the filters offer these (other codes still match).
ACTIONS: tuple[str, ...] = (
    "create",
    "update",
    "delete",
    "restore",
    "status_change",
    "login",
    "login_failed",
    "logout",
    "revoke",
)

#: Never shown, even if an old entry holds one: a leaked log must not leak credentials.
HIDDEN_FIELDS = SECRET_FIELDS | {"key_hash", "password", "token"}

Code = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z][a-z_]*$")]


def _moment(value: Any) -> dt.datetime | dt.date:
    """A day ("2020-06-01") or an instant with its time zone ("2020-06-01T10:00:00+07:00")."""
    if isinstance(value, dt.datetime | dt.date) and not isinstance(value, str):
        moment: dt.datetime | dt.date = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                moment = dt.date.fromisoformat(text)
            else:
                moment = dt.datetime.fromisoformat(
                    text.replace("Z", "+00:00").replace("z", "+00:00")
                )
        except ValueError:
            raise ValueError(
                "must be a date (YYYY-MM-DD) or an instant with its time zone "
                "(2020-06-01T10:00:00+07:00)"
            ) from None
    else:
        raise ValueError("must be a date or an instant")
    if not 1000 <= moment.year <= 9000:
        raise ValueError("must fall between the years 1000 and 9000")
    if isinstance(moment, dt.datetime) and moment.tzinfo is None:
        raise ValueError("must carry its time zone, for example 2020-06-01T10:00:00+07:00")
    return moment


#: An instant with its time zone, or a whole day (UTC in the API, local on the pages).
Moment = Annotated[
    dt.datetime | dt.date,
    PlainValidator(_moment),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
    ),
]


class AuditQuery(Input):
    """Filters of the audit log; every one is optional and they combine with AND."""

    record_type: Code | None = Field(None, description="Only entries about this record type")
    record_id: Id | None = Field(None, description="Only entries about the record with this id")
    user_id: Id | None = Field(None, description="Only what this user did")
    actor: str | None = Field(
        None, min_length=1, max_length=100, description='Only what this actor did ("cli", a name)'
    )
    action: Code | None = Field(None, description="Only this action (create, update, delete…)")
    since: Moment | None = Field(None, description="From this instant, or from the start of a day")
    until: Moment | None = Field(None, description="Up to this instant, or to the end of a day")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)

    @field_validator("until", mode="after")
    @classmethod
    def _not_before_since(cls, until: Any, info: ValidationInfo) -> Any:
        since = info.data.get("since")
        if until is not None and since is not None and _end(until, dt.UTC) <= _start(since, dt.UTC):
            raise ValueError(f"must not be before since ({since.isoformat()})")
        return until


class AuditEntryRead(BaseModel):
    """One entry as the API answers it; ``changes`` maps a field to ``[before, after]``."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    user_id: int | None
    actor: str
    action: str
    record_type: str
    record_id: int | None
    changes: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryRead:
        return cls(
            id=entry.id,
            at=entry.at,
            user_id=entry.user_id,
            actor=entry.actor,
            action=entry.action,
            record_type=entry.record_type,
            record_id=entry.record_id,
            changes=visible_changes(entry.changes),
        )


def _start(moment: dt.datetime | dt.date, timezone: dt.tzinfo) -> dt.datetime:
    """The first instant a ``since`` bound admits: a day starts at its local midnight."""
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime.combine(moment, dt.time(), tzinfo=timezone)


def _end(moment: dt.datetime | dt.date, timezone: dt.tzinfo) -> dt.datetime:
    """The instant an ``until`` bound stops before: a day runs to the next local midnight."""
    if isinstance(moment, dt.datetime):
        return moment + dt.timedelta(microseconds=1)
    return dt.datetime.combine(moment + dt.timedelta(days=1), dt.time(), tzinfo=timezone)


def filtered(query: AuditQuery, *, timezone: dt.tzinfo = dt.UTC) -> Select[AuditEntry]:
    """The entries ``query`` asks for, unordered; whole days are read in ``timezone``."""
    statement = select(AuditEntry)
    if query.record_type is not None:
        statement = statement.where(AuditEntry.record_type == query.record_type)
    if query.record_id is not None:
        statement = statement.where(AuditEntry.record_id == query.record_id)
    if query.user_id is not None:
        statement = statement.where(AuditEntry.user_id == query.user_id)
    if query.actor is not None:
        statement = statement.where(func.lower(AuditEntry.actor) == query.actor.strip().lower())
    if query.action is not None:
        statement = statement.where(AuditEntry.action == query.action)
    if query.since is not None:
        statement = statement.where(AuditEntry.at >= _start(query.since, timezone))
    if query.until is not None:
        statement = statement.where(AuditEntry.at < _end(query.until, timezone))
    return statement


def search(
    session: Session, *, query: AuditQuery, timezone: dt.tzinfo = dt.UTC
) -> Page[AuditEntry]:
    """A page of the entries ``query`` asks for, newest first (two queries)."""
    statement = filtered(query, timezone=timezone)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(
        statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(query.limit)
        .offset(query.offset)
    ).all()
    return Page(items=list(rows), total=total, limit=query.limit, offset=query.offset)


def get(session: Session, entry_id: int) -> AuditEntry:
    """One entry, or ``NotFound``."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound("audit_entry", entry_id)
    return entry


def history(
    session: Session, record_type: str, record_id: int, *, limit: int, offset: int = 0
) -> Page[AuditEntry]:
    """One record's entries, newest first: its creation, every change, delete and restore."""
    query = AuditQuery(record_type=record_type, record_id=record_id, limit=limit, offset=offset)
    return search(session, query=query)


def is_record_type(record_type: str) -> bool:
    """Whether the log knows this record type (so a history page of it makes sense)."""
    return record_type in RECORD_TYPES


# -- reading entries --------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def visible_changes(changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """An entry's changes without credential fields (see :data:`HIDDEN_FIELDS`)."""
    return {key: value for key, value in (changes or {}).items() if key not in HIDDEN_FIELDS}


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """What an entry changed, field by field in name order; credentials left out.

    A creation lists the values the record started with (before is None).
    """
    found = []
    for name, pair in sorted(visible_changes(entry.changes).items()):
        if isinstance(pair, list | tuple) and len(pair) == 2:
            found.append(FieldChange(name, pair[0], pair[1]))
        else:
            found.append(FieldChange(name, None, pair))
    return found


@dataclass(frozen=True)
class RecordLabel:
    """How a record reads in a list: its title, and whether it is deleted now."""

    title: str
    deleted: bool


def record_labels(
    session: Session, keys: Iterable[tuple[str, int | None]]
) -> dict[tuple[str, int], RecordLabel]:
    """The title and state of each ``(record_type, record_id)``; one query per record type.

    Records that no longer exist, and types the app does not know, are left out.
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    for record_type, record_id in keys:
        if record_id is not None:
            wanted[record_type].add(record_id)
    labels: dict[tuple[str, int], RecordLabel] = {}
    for record_type, ids in sorted(wanted.items()):
        statement = rows_of(record_type, ids)
        if statement is None:
            continue
        for record_id, title, deleted_at in session.execute(statement):
            labels[(record_type, record_id)] = RecordLabel(
                title=" ".join(str(title or "").split()), deleted=deleted_at is not None
            )
    return labels


def last_deletions(
    session: Session, keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], AuditEntry]:
    """The latest ``delete`` entry of each record (who put it in the trash); one query."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for record_type, record_id in keys:
        wanted[record_type].add(record_id)
    if not wanted:
        return {}
    clauses = [
        and_(AuditEntry.record_type == record_type, AuditEntry.record_id.in_(sorted(ids)))
        for record_type, ids in sorted(wanted.items())
    ]
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "delete", or_(*clauses))
        .order_by(AuditEntry.id)
    ).all()
    return {(entry.record_type, entry.record_id or 0): entry for entry in entries}
