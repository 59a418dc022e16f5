"""The trash: every soft-deleted record of every type, and bringing one back.

Nothing is lost when a record is deleted: it only gets a ``deleted_at``. The trash
lists those records newest first, with who deleted them (from the audit log), and
restores one through its concept's service — unless a record it belongs to is itself
deleted, which would bring back an orphan (a meeting of a deleted forum).

A page of the trash costs three queries whatever its size: the count, the rows (one
``UNION ALL`` over the record types) and the delete entries of the rows on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import Integer, String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from governance import records
from governance.assessments import service as assessment_service
from governance.audit import queries as audit_queries
from governance.audit.service import Actor
from governance.base import Record
from governance.collaborations import service as collaboration_service
from governance.commitments import service as commitment_service
from governance.errors import Conflict, Invalid, NotFound
from governance.evidence import service as evidence_service
from governance.forums import service as forum_service
from governance.meetings import service as meeting_service
from governance.outcomes import service as outcome_service
from governance.participations import service as participation_service
from governance.record_types import RECORD_TYPES, TRASH_TYPES
from governance.relationships import service as relationship_service
from governance.stakeholders import service as stakeholder_service
from governance.trust import service as trust_service

#: The concept service of each type, for its rules on restoring (say, no duplicate revived).
SERVICES: dict[str, ModuleType] = {
    "collaboration": collaboration_service,
    "stakeholder": stakeholder_service,
    "relationship": relationship_service,
    "participation": participation_service,
    "forum": forum_service,
    "meeting": meeting_service,
    "commitment": commitment_service,
    "trust_event": trust_service,
    "outcome": outcome_service,
    "evidence": evidence_service,
    "assessment": assessment_service,
}


@dataclass(frozen=True)
class TrashItem:
    """A deleted record as the trash lists it."""

    record_type: str
    record_id: int
    title: str
    deleted_at: dt.datetime
    #: Who deleted it, from the audit log ("" when the log has no entry, say after an import).
    deleted_by: str
    deleted_by_id: int | None


class ParentDeleted(Conflict):
    """The record belongs to a record that is deleted too: restore that one first."""

    def __init__(
        self,
        record_type: str,
        record_id: int,
        *,
        title: str,
        parent_type: str,
        parent_id: int,
        parent_title: str,
    ) -> None:
        label = record_type.replace("_", " ")
        parent_label = parent_type.replace("_", " ")
        super().__init__(
            f"{label.capitalize()} {record_id} belongs to {parent_label} {parent_id} "
            f"(“{parent_title}”), which is deleted; restore the {parent_label} first"
        )
        self.record_type = record_type
        self.record_id = record_id
        self.title = title
        self.parent_type = parent_type
        self.parent_id = parent_id
        self.parent_title = parent_title


def _check_type(record_type: str | None) -> None:
    if record_type is not None and record_type not in TRASH_TYPES:
        listed = ", ".join(TRASH_TYPES)
        raise Invalid.field("record_type", f"must be one of {listed}")


def _deleted_rows(record_type: str) -> Any:
    kind = RECORD_TYPES[record_type]
    rows = kind.rows().subquery()
    return select(
        cast(literal(record_type), String(50)).label("record_type"),
        cast(rows.c.id, Integer).label("record_id"),
        rows.c.title.label("title"),
        rows.c.deleted_at.label("deleted_at"),
    ).where(rows.c.deleted_at.is_not(None))


def search(
    session: Session, *, record_type: str | None = None, limit: int, offset: int = 0
) -> records.Page[TrashItem]:
    """A page of deleted records, newest deletion first, optionally of one type."""
    _check_type(record_type)
    types = [record_type] if record_type is not None else list(TRASH_TYPES)
    deleted = union_all(*(_deleted_rows(name) for name in types)).subquery()
    total = session.scalar(select(func.count()).select_from(deleted)) or 0
    rows = session.execute(
        select(deleted)
        .order_by(deleted.c.deleted_at.desc(), deleted.c.record_type, deleted.c.record_id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    deletions = audit_queries.last_deletions(
        session, [(row.record_type, row.record_id) for row in rows]
    )
    items = []
    for row in rows:
        entry = deletions.get((row.record_type, row.record_id))
        items.append(
            TrashItem(
                record_type=row.record_type,
                record_id=row.record_id,
                title=_clean(row.title),
                deleted_at=_aware(row.deleted_at),
                deleted_by=entry.actor if entry is not None else "",
                deleted_by_id=entry.user_id if entry is not None else None,
            )
        )
    return records.Page(items=items, total=total, limit=limit, offset=offset)


def _aware(value: dt.datetime) -> dt.datetime:
    # A UNION's column loses the UTC type decorator: SQLite hands back naive UTC text.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def get_deleted(session: Session, record_type: str, record_id: int) -> Record:
    """A record in the trash, or ``NotFound`` (also when it is not deleted)."""
    kind = RECORD_TYPES.get(record_type)
    if kind is None or not kind.in_trash:
        raise NotFound(record_type, record_id)
    record: Record | None = session.get(kind.model, record_id)
    if record is None or not record.is_deleted:
        raise NotFound(record_type, record_id)
    return record


def check_parents(session: Session, record: Record) -> None:
    """Refuse (:class:`ParentDeleted`) while a record this one belongs to is deleted."""
    kind = RECORD_TYPES[record.record_type]
    for parent in kind.parents:
        parent_id = getattr(record, parent.column)
        if parent_id is None:
            continue
        parent_kind = RECORD_TYPES[parent.record_type]
        found = session.execute(
            parent_kind.rows().where(parent_kind.id_column == parent_id)
        ).one_or_none()
        if found is not None and found.deleted_at is not None:
            raise ParentDeleted(
                record.record_type,
                record.id,
                title=title_of(session, record),
                parent_type=parent.record_type,
                parent_id=parent_id,
                parent_title=_clean(found.title),
            )


def title_of(session: Session, record: Record) -> str:
    """The record's title as the trash lists it ("" for a type the trash does not know)."""
    kind = RECORD_TYPES.get(record.record_type)
    if kind is None:
        return ""
    row = session.execute(kind.rows().where(kind.id_column == record.id)).one_or_none()
    return _clean(row.title) if row is not None else ""


def _clean(title: object) -> str:
    return " ".join(str(title or "").split())


def restore(session: Session, *, record_type: str, record_id: int, actor: Actor) -> Record:
    """Bring a deleted record back through its service, once its parents are live."""
    record = get_deleted(session, record_type, record_id)
    check_parents(session, record)
    service = SERVICES.get(record_type)
    restore_rule = getattr(service, "restore", None)
    if restore_rule is not None:
        restored: Record = restore_rule(session, record=record, actor=actor)
        return restored
    return records.restore(session, record, actor=actor)
