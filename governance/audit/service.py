"""Writing the audit log: one entry per write, in the writer's transaction."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CTE, Table, bindparam, insert, inspect
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.base import Base, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in user, or a named channel such as "cli" or "demo"."""

    name: str
    user_id: int | None = None


SYSTEM = Actor("system")


#: One entry's INSERT, built once.
_INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))

#: Columns kept out of the log: a leaked log must not leak credentials, not even hashed.
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})


def snapshot(record: Base) -> dict[str, Any]:
    """The record's column values as JSON-ready data (dates as ISO strings, enums as codes).

    Columns named in :data:`SECRET_FIELDS` are left out.
    """
    mapper = inspect(record).mapper
    return {
        column.key: to_json(getattr(record, column.key))
        for column in mapper.column_attrs
        if column.key not in SECRET_FIELDS
    }


def to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as ``{field: [before, after]}``."""
    ignored = {"updated_at", "version"}
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if key not in ignored and before.get(key) != value
    }


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    record_type: str,
    record_id: int | None,
    changes: dict[str, Any],
) -> None:
    """Append one entry, in the transaction of the write it describes.

    Inserted at once rather than added to the session: an entry is never read back
    by the write that makes it, and a flush of the session's unit of work costs
    several times an insert — time every other writer waits for SQLite's write lock.
    """
    session.connection().execute(
        _INSERT_ENTRY,
        {
            "user_id": actor.user_id,
            "actor": actor.name,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "changes": changes,
        },
    )


#: What :func:`entry` gives values for.
ENTRY_FIELDS = ("at", "user_id", "actor", "action", "record_type", "record_id", "changes")


#: One entry's INSERT as a CTE, for a PostgreSQL statement that also inserts it (its
#: values are :func:`entry`'s).
ENTRY_CTE: CTE = (
    insert(cast(Table, AuditEntry.__table__))
    .values(
        {
            name: bindparam(f"entry_{name}", type_=AuditEntry.__table__.c[name].type)
            for name in ENTRY_FIELDS
        }
    )
    .cte("audit_entry")
)


def entry(
    *,
    actor: Actor,
    action: str,
    record_type: str,
    record_id: int | None,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """The parameters of :data:`ENTRY_CTE`: the entry :func:`record` would append.

    PostgreSQL inserts it with the write it describes, in one round trip instead of two.
    """
    values = {
        "at": utcnow(),
        "user_id": actor.user_id,
        "actor": actor.name,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "changes": changes,
    }
    return {f"entry_{name}": value for name, value in values.items()}
