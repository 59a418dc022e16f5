"""Reading the audit log for pages: a collaboration's recent changes, and what changed
in a record while someone was editing it (a stale edit)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from api.pages.forms import Change
from governance.audit.models import AuditEntry
from governance.base import Record
from governance.models import (
    Collaboration,
    Commitment,
    Decision,
    Forum,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Stakeholder,
    TrustEvent,
)

#: Longest title shown for a record in the recent changes (descriptions can be long).
TITLE_LENGTH = 90


def changes_since(session: Session, record: Record, version: int) -> dict[str, Change]:
    """Fields changed since ``version`` of ``record``, by form field name.

    Every write after the creation bumps the version once and logs one entry, so the
    entries since ``version`` are the last ``record.version - version`` ones. Nested
    values (a resource profile) are compared key by key (``resources.budget``).
    """
    missed = record.version - version
    if missed <= 0:
        return {}
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.record_type == record.record_type,
            AuditEntry.record_id == record.id,
            AuditEntry.action != "create",
        )
        .order_by(AuditEntry.id.desc())
        .limit(min(missed, 100))
    ).all()
    changes: dict[str, Change] = {}
    for entry in reversed(entries):
        for name, pair in (entry.changes or {}).items():
            if not (isinstance(pair, list) and len(pair) == 2):
                continue
            for key, before, after in _flatten(name, pair[0], pair[1]):
                first = changes.get(key)
                start = first.before if first is not None else before
                changes[key] = Change(before=start, after=after, actor=entry.actor, at=entry.at)
    return {key: change for key, change in changes.items() if change.before != change.after}


def _flatten(name: str, before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(before, dict) or isinstance(after, dict):
        old, new = before or {}, after or {}
        return [(f"{name}.{key}", old.get(key), new.get(key)) for key in sorted({*old, *new})]
    return [(name, before, after)]


@dataclass(frozen=True)
class RecentChange:
    at: dt.datetime
    actor: str
    action: str
    record_type: str
    record_id: int
    title: str
    fields: list[str]


#: How many of the whole log's newest entries :func:`recent_changes` looks through first.
RECENT_WINDOW = 2_000

#: The collaboration's own record types and their models (the others are found through
#: their meeting or outcome).
_OWN_RECORDS: Mapping[str, Any] = {
    "forum": Forum,
    "meeting": Meeting,
    "commitment": Commitment,
    "trust_event": TrustEvent,
    "outcome": Outcome,
    "participation": Participation,
}


def _listed_records(collaboration_id: int) -> dict[str, ColumnElement[bool]]:
    """Whether an audit entry's record belongs to the collaboration, by record type:
    its id is among the collaboration's records of that type, listed in full."""
    listed = {
        record_type: select(model.id).where(model.collaboration_id == collaboration_id)
        for record_type, model in _OWN_RECORDS.items()
    }
    listed["decision"] = (
        select(Decision.id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.collaboration_id == collaboration_id)
    )
    listed["measurement"] = (
        select(Measurement.id)
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(Outcome.collaboration_id == collaboration_id)
    )
    return {
        record_type: AuditEntry.record_id.in_(ids.scalar_subquery())
        for record_type, ids in listed.items()
    }


def _looked_up_records(collaboration_id: int) -> dict[str, ColumnElement[bool]]:
    """The same test as :func:`_listed_records`, as a key look-up of each entry's record."""
    found: dict[str, ColumnElement[bool]] = {
        record_type: exists().where(
            model.id == AuditEntry.record_id, model.collaboration_id == collaboration_id
        )
        for record_type, model in _OWN_RECORDS.items()
    }
    found["decision"] = exists().where(
        Decision.id == AuditEntry.record_id,
        Meeting.id == Decision.meeting_id,
        Meeting.collaboration_id == collaboration_id,
    )
    found["measurement"] = exists().where(
        Measurement.id == AuditEntry.record_id,
        Outcome.id == Measurement.outcome_id,
        Outcome.collaboration_id == collaboration_id,
    )
    return found


#: How to read each record type's title: one query per type that has changes listed.
_TITLES: Mapping[str, Any] = {
    "collaboration": lambda ids: select(Collaboration.id, Collaboration.name).where(
        Collaboration.id.in_(ids)
    ),
    "forum": lambda ids: select(Forum.id, Forum.name).where(Forum.id.in_(ids)),
    "meeting": lambda ids: select(Meeting.id, Meeting.title).where(Meeting.id.in_(ids)),
    "commitment": lambda ids: select(Commitment.id, Commitment.description).where(
        Commitment.id.in_(ids)
    ),
    "trust_event": lambda ids: select(TrustEvent.id, TrustEvent.description).where(
        TrustEvent.id.in_(ids)
    ),
    "outcome": lambda ids: select(Outcome.id, Outcome.title).where(Outcome.id.in_(ids)),
    "participation": lambda ids: (
        select(Participation.id, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == Participation.stakeholder_id)
        .where(Participation.id.in_(ids))
    ),
    "decision": lambda ids: select(Decision.id, Decision.text).where(Decision.id.in_(ids)),
    "measurement": lambda ids: (
        select(Measurement.id, Outcome.title)
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(Measurement.id.in_(ids))
    ),
}


def recent_changes(
    session: Session, collaboration_id: int, *, limit: int = 12
) -> list[RecentChange]:
    """The latest writes to a collaboration and its records, newest first.

    The entries are looked for among the :data:`RECENT_WINDOW` newest of the whole log
    first, each entry's record looked up by its key: a busy collaboration made its own
    latest changes, and this takes milliseconds however large it is. Only when fewer
    than ``limit`` turn up there, in a longer log, are the collaboration's records listed
    and the whole log searched for them: quick for a small collaboration, slow for a
    large one (matching 20,000 meetings and 20,000 commitments against a log of 200,000
    entries took over half a second). The answer is the same either way. Then at most
    one query per record type reads the titles.
    """
    # The oldest instant of the window (None when the whole log fits in it).
    window_start = session.scalar(
        select(AuditEntry.at)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(RECENT_WINDOW - 1)
        .limit(1)
    )
    entries = _latest_entries(
        session, _looked_up_records(collaboration_id), collaboration_id, limit, window_start
    )
    if len(entries) < limit and window_start is not None:
        entries = _latest_entries(
            session, _listed_records(collaboration_id), collaboration_id, limit, None
        )
    titles = _titles(session, entries)
    return [
        RecentChange(
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            record_type=entry.record_type,
            record_id=entry.record_id or 0,
            title=titles.get((entry.record_type, entry.record_id or 0), ""),
            fields=[] if entry.action == "create" else _changed_fields(entry.changes),
        )
        for entry in entries
    ]


def _latest_entries(
    session: Session,
    belongs: Mapping[str, ColumnElement[bool]],
    collaboration_id: int,
    limit: int,
    since: dt.datetime | None,
) -> Sequence[AuditEntry]:
    """The newest ``limit`` entries, from ``since`` on when given, about the collaboration
    or a record that ``belongs`` to it."""
    clauses: list[ColumnElement[bool]] = [
        and_(AuditEntry.record_type == "collaboration", AuditEntry.record_id == collaboration_id)
    ]
    clauses += [
        and_(AuditEntry.record_type == record_type, test) for record_type, test in belongs.items()
    ]
    statement = select(AuditEntry).where(or_(false(), *clauses))
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    return session.scalars(
        statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()


def _changed_fields(changes: Mapping[str, Any] | None) -> list[str]:
    return sorted(name for name in (changes or {}) if name not in {"deleted_at", "search_key"})


def _titles(session: Session, entries: Sequence[AuditEntry]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.record_id is not None and entry.record_type in _TITLES:
            wanted[entry.record_type].add(entry.record_id)
    titles: dict[tuple[str, int], str] = {}
    for record_type, ids in wanted.items():
        for record_id, title in session.execute(_TITLES[record_type](ids)):
            titles[(record_type, record_id)] = _shorten(str(title or ""))
    return titles


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"
