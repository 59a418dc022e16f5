"""Commitments: who promised what to whom, and every step of its status history."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    func,
    insert,
    inspect,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.base import NO_VALUE

from governance import read_rows, records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import Record, utcnow
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.commitments.schemas import (
    CommitmentCreate,
    CommitmentPatch,
    CommitmentQuery,
    CommitmentRead,
    StatusChangeCreate,
)
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.meetings.models import Decision, Meeting
from governance.records import Page
from governance.revision import RevisionCache
from governance.schemas import ensure_order
from governance.stakeholders.models import Stakeholder
from governance.vocab import COMMITMENT_TRANSITIONS, CommitmentStatus

#: Statuses in which a commitment past its due date counts as overdue.
ACTIVE = frozenset({CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS})

_REFERENCES: tuple[tuple[type[Record], str], ...] = (
    (Collaboration, "collaboration_id"),
    (Meeting, "meeting_id"),
    (Decision, "decision_id"),
    (Stakeholder, "owner_id"),
    (Stakeholder, "counterpart_id"),
)


#: The fields of a commitment's read shape that are its own columns.
_COMMITMENT_FIELDS = read_rows.fields(CommitmentRead, besides={"overdue", "history"})
#: The history steps of some commitments, in the order they happened. Built once: it
#: runs for every answer with a commitment, and building it took longer than running it.
_STEPS = (
    select(
        CommitmentStatusChange.commitment_id,
        *read_rows.columns(
            CommitmentStatusChange,
            ("id", "from_status", "to_status", "changed_on", "note", "recorded_at"),
        ),
    )
    .where(CommitmentStatusChange.commitment_id.in_(bindparam("ids", expanding=True)))
    .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
)
#: The order commitments are listed in: soonest due first, undated last; the id makes it total.
_ORDER = (Commitment.due_on.asc().nulls_last(), Commitment.id)
#: The columns of a commitment's read shape, enums as their codes.
_COMMITMENT_COLUMNS = read_rows.columns(Commitment, _COMMITMENT_FIELDS)
#: How many commitments each list's filters find, per data revision and day (what is
#: overdue changes with the day). Counting a case's 20,000 commitments cost more than
#: reading and writing the page.
_COUNTS: RevisionCache[tuple[Any, ...], int] = RevisionCache(size=64)
#: One history step's INSERT, built once.
_INSERT_STEP = insert(cast(Table, CommitmentStatusChange.__table__)).returning(
    CommitmentStatusChange.id
)
#: PostgreSQL: the same, inserting the commitment's audit entry with it (one round trip).
_INSERT_STEP_LOGGED = _INSERT_STEP.add_cte(audit.ENTRY_CTE)


def today() -> dt.date:
    """The date against which "overdue" and "not in the future" are judged."""
    return dt.date.today()


def get(session: Session, commitment_id: int, *, include_deleted: bool = False) -> Commitment:
    """The commitment with this id."""
    return records.get(session, Commitment, commitment_id, include_deleted=include_deleted)


def search(session: Session, *, query: CommitmentQuery) -> Page[Commitment]:
    """Commitments matching the query's filters, soonest due first (undated last)."""
    filters, on = _key(query)
    count, _ = _statements(filters, on)
    total = _COUNTS.get_or_compute(session, (filters, on), lambda: session.scalar(count) or 0)
    page = _filtered(query, on=on).order_by(*_ORDER).limit(query.limit).offset(query.offset)
    items = list(session.scalars(page))
    return Page(items=items, total=total, limit=query.limit, offset=query.offset)


def search_rows(session: Session, *, query: CommitmentQuery) -> Page[dict[str, Any]]:
    """:func:`search`'s page as plain rows of the read shape (see :func:`rows`), read
    as columns: loading 50 commitments as entities cost more than the query."""
    filters, on = _key(query)
    count, page = _statements(filters, on)
    total = _COUNTS.get_or_compute(session, (filters, on), lambda: session.scalar(count) or 0)
    read = read_rows.fetch(session, page, limit=query.limit, offset=query.offset)
    found = read_rows.rows_of(_COMMITMENT_FIELDS, read)
    history = _step_rows(session, [], {}, [row["id"] for row in found])
    for row in found:
        status = CommitmentStatus(row["status"])
        row["overdue"] = overdue(row["due_on"], status, on=on)
        row["history"] = history.get(row["id"], [])
    return Page(items=found, total=total, limit=query.limit, offset=query.offset)


def _key(query: CommitmentQuery) -> tuple[tuple[tuple[str, Any], ...], dt.date]:
    """The query's filters (lists as tuples) and the day "overdue" is judged on."""
    filters = query.model_dump(exclude={"limit", "offset"})
    listed = tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in filters.items()
    )
    return listed, today()


@functools.lru_cache(maxsize=128)
def _statements(
    filters: tuple[tuple[str, Any], ...], on: dt.date
) -> tuple[Select[Any], Select[Any]]:
    """The count and the page as columns of the read shape (``limit`` and ``offset``
    bound when run) of a list's filters on a day.

    Built once for each: building them and their cache keys afresh cost more than
    SQLite takes to answer the page.
    """
    statement = _filtered(CommitmentQuery.model_construct(**dict(filters)), on=on)
    count = select(func.count()).select_from(statement.subquery())
    page = (
        statement.with_only_columns(*_COMMITMENT_COLUMNS)
        .order_by(*_ORDER)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


def _filtered(query: CommitmentQuery, *, on: dt.date) -> Select[Commitment]:
    """The commitments matching the query's filters, overdue as of ``on``."""
    statement = records.base_query(Commitment, include_deleted=query.include_deleted)
    for column, value in (
        (Commitment.collaboration_id, query.collaboration_id),
        (Commitment.meeting_id, query.meeting_id),
        (Commitment.owner_id, query.owner_id),
        (Commitment.counterpart_id, query.counterpart_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if query.stakeholder_id is not None:
        statement = statement.where(
            or_(
                Commitment.owner_id == query.stakeholder_id,
                Commitment.counterpart_id == query.stakeholder_id,
            )
        )
    if query.status:
        statement = statement.where(Commitment.status.in_(query.status))
    if query.overdue is not None:
        late = overdue_clause(on)
        statement = statement.where(late if query.overdue else not_(late))
    if query.due_from is not None:
        statement = statement.where(Commitment.due_on >= query.due_from)
    if query.due_to is not None:
        statement = statement.where(Commitment.due_on <= query.due_to)
    if query.q:
        statement = statement.where(records.text_filter([Commitment.description], query.q))
    return statement


def overdue_clause(on: dt.date) -> ColumnElement[bool]:
    """SQL for :func:`is_overdue`; never NULL, so its negation is exact."""
    return and_(
        Commitment.due_on.is_not(None),
        Commitment.due_on < on,
        Commitment.status.in_(ACTIVE),
    )


def is_overdue(commitment: Commitment, *, on: dt.date) -> bool:
    """Due before ``on`` and still open or in progress."""
    return overdue(commitment.due_on, commitment.status, on=on)


def overdue(due_on: dt.date | None, status: CommitmentStatus, *, on: dt.date) -> bool:
    """:func:`is_overdue` of a commitment due ``due_on`` in ``status``."""
    return due_on is not None and due_on < on and status in ACTIVE


def create(session: Session, *, data: CommitmentCreate, actor: Actor) -> Commitment:
    """Record a commitment; it starts open, as of the day it was made."""
    fields = data.model_dump()
    _validate(session, fields, changed=fields.keys())
    commitment = Commitment(**fields, status=CommitmentStatus.OPEN)
    # PostgreSQL logs the creation in the opening step's statement; SQLite, where a
    # statement costs no round trip, on its own.
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        records.add_unlogged(session, commitment)
    else:
        records.add(session, commitment, actor=actor)
    # The opening step is inserted by itself: flushing it with the commitment makes the
    # unit of work order two tables, a third of the time every other writer waits for
    # SQLite's write lock.
    opening = {
        "commitment_id": commitment.id,
        "from_status": None,
        "to_status": CommitmentStatus.OPEN,
        "changed_on": data.made_on,
        "note": "",
        "recorded_at": utcnow(),
    }
    if postgresql:
        entry = audit.entry(
            actor=actor,
            action="create",
            record_type=commitment.record_type,
            record_id=commitment.id,
            changes=records.created(commitment),
        )
        inserted = session.connection().execute(_INSERT_STEP_LOGGED, opening | entry)
    else:
        inserted = session.connection().execute(_INSERT_STEP, opening)
    # Known as written: the answer then shows the history without reading it back.
    step = CommitmentStatusChange(id=inserted.scalar_one(), **opening)
    make_transient_to_detached(step)
    session.add(step)
    set_committed_value(step, "evidence", [])
    set_committed_value(commitment, "history", [step])
    return commitment


def update(
    session: Session, *, record: Commitment, data: CommitmentPatch, actor: Actor
) -> Commitment:
    """Change a commitment's fields (not its status), refusing a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    _validate(session, records.merged(record, changes), changed=changes.keys())
    if "made_on" in changes and changes["made_on"] != record.made_on:
        _move_opening(session, record, changes["made_on"])
    return records.apply_changes(session, record, changes, version=data.version, actor=actor)


def change_status(
    session: Session, *, record: Commitment, data: StatusChangeCreate, actor: Actor
) -> Commitment:
    """Move a commitment to an allowed next status and keep the step in its history."""
    if data.version is not None:
        records.check_version(record, data.version)
    errors: dict[str, str] = {}
    allowed = COMMITMENT_TRANSITIONS[record.status]
    if data.status not in allowed:
        errors["status"] = _refusal(record.status, data.status, allowed)
    last_on = session.scalar(
        select(func.max(CommitmentStatusChange.changed_on)).where(
            CommitmentStatusChange.commitment_id == record.id
        )
    )
    now = today()
    if data.changed_on > now:
        errors["changed_on"] = f"must not be in the future (today is {now.isoformat()})"
    elif data.changed_on < record.made_on:
        errors["changed_on"] = f"must not be before made_on ({record.made_on.isoformat()})"
    elif last_on is not None and data.changed_on < last_on:
        errors["changed_on"] = f"must not be before the last status change ({last_on.isoformat()})"
    if errors:
        raise Invalid(errors)
    evidence = evidence_service.require_evidence(session, data.evidence_ids)

    before = audit.snapshot(record)
    step = CommitmentStatusChange(
        commitment_id=record.id,
        from_status=record.status,
        to_status=data.status,
        changed_on=data.changed_on,
        note=data.note,
        evidence=evidence,
    )
    session.add(step)
    record.status = data.status
    record.fulfilled_on = data.changed_on if data.status is CommitmentStatus.FULFILLED else None
    record.updated_at = utcnow()
    records.flush(session, record)
    history = inspect(record).attrs.history.loaded_value
    if history is not NO_VALUE:  # kept at hand by create: keep it whole
        set_committed_value(record, "history", [*history, step])
    changes = audit.diff(before, audit.snapshot(record))
    changes["history"] = [
        None,
        {
            "id": step.id,
            "changed_on": data.changed_on.isoformat(),
            "note": data.note,
            "evidence_ids": [item.id for item in evidence],
        },
    ]
    audit.record(
        session,
        actor=actor,
        action="status_change",
        record_type=record.record_type,
        record_id=record.id,
        changes=changes,
    )
    return record


def present(session: Session, commitments: Sequence[Commitment]) -> list[CommitmentRead]:
    """The read shape of a page of commitments, their history loaded in two queries."""
    return [CommitmentRead.model_validate(row) for row in rows(session, commitments)]


def rows(session: Session, commitments: Sequence[Commitment]) -> list[dict[str, Any]]:
    """:func:`present` as plain rows, ready for JSON (see :mod:`governance.read_rows`)."""
    history = _history_rows(session, commitments)
    on = today()
    found = []
    for commitment in commitments:
        row = read_rows.record_row(commitment, _COMMITMENT_FIELDS)
        row["overdue"] = is_overdue(commitment, on=on)
        row["history"] = history.get(commitment.id, [])
        found.append(row)
    return found


def _history_rows(
    session: Session, commitments: Sequence[Commitment]
) -> dict[int, list[dict[str, Any]]]:
    """Each commitment's status steps in the order they happened, with their evidence:
    read, but for commitments whose steps and their evidence are at hand (a commitment
    just created)."""
    steps: list[tuple[Any, ...]] = []
    evidence_ids: dict[int, list[int]] = {}
    to_read: list[int] = []
    for commitment in commitments:
        history = _at_hand(commitment)
        if history is None:
            to_read.append(commitment.id)
            continue
        for step in sorted(history, key=lambda step: (step.changed_on, step.id)):
            steps.append(
                (
                    commitment.id,
                    step.id,
                    step.from_status,
                    step.to_status,
                    step.changed_on,
                    step.note,
                    step.recorded_at,
                )
            )
            evidence_ids[step.id] = sorted(
                item.id for item in step.evidence if item.deleted_at is None
            )
    return _step_rows(session, steps, evidence_ids, to_read)


def _step_rows(
    session: Session,
    steps: list[tuple[Any, ...]],
    evidence_ids: dict[int, list[int]],
    to_read: Sequence[int],
) -> dict[int, list[dict[str, Any]]]:
    """Each commitment's status steps as plain rows: ``steps`` (with ``evidence_ids``)
    at hand, and those of the commitments ``to_read`` read."""
    by_commitment: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if to_read:
        read = read_rows.fetch(session, _STEPS, ids=to_read)
        evidence_ids |= evidence_service.ids_by_record(
            session, "status_change_id", [step[1] for step in read]
        )
        steps += [tuple(step) for step in read]
    for commitment_id, step_id, from_status, to_status, changed_on, note, recorded_at in steps:
        by_commitment[commitment_id].append(
            {  # in StatusChangeRead's field order
                "id": step_id,
                "from_status": from_status,
                "to_status": to_status,
                "changed_on": changed_on,
                "note": note,
                "evidence_ids": evidence_ids.get(step_id, []),
                "recorded_at": recorded_at,
            }
        )
    return by_commitment


def _at_hand(commitment: Commitment) -> list[CommitmentStatusChange] | None:
    """The commitment's steps if they and their evidence are loaded, else None.

    Loaded relationships are in the instance's ``__dict__`` (what ``inspect(...).attrs``
    reads too, after building a state for every attribute: most of a page's cost).
    """
    history = commitment.__dict__.get("history")
    if history is None:
        return None
    steps = cast(list[CommitmentStatusChange], history)
    if any("evidence" not in step.__dict__ for step in steps):
        return None
    return steps


def _validate(session: Session, state: Mapping[str, Any], *, changed: Collection[str]) -> None:
    """Refuse references that are missing, deleted or elsewhere, and dates out of order."""
    dead = records.reference_errors(
        session, [(model, state[field], field) for model, field in _REFERENCES if field in changed]
    )
    if dead:  # the first, as one reference after the other would have found
        field, message = next(iter(dead.items()))
        raise Invalid.field(field, message)
    errors: dict[str, str] = {}
    meeting_id, decision_id = state["meeting_id"], state["decision_id"]
    if meeting_id is not None and {"meeting_id", "collaboration_id"} & set(changed):
        held_in = session.scalar(select(Meeting.collaboration_id).where(Meeting.id == meeting_id))
        if held_in != state["collaboration_id"]:
            errors["meeting_id"] = (
                f"meeting {meeting_id} belongs to collaboration {held_in}, "
                f"not to collaboration {state['collaboration_id']}"
            )
    if decision_id is not None and {"decision_id", "meeting_id"} & set(changed):
        taken_at = session.scalar(select(Decision.meeting_id).where(Decision.id == decision_id))
        if meeting_id is None:
            errors["decision_id"] = (
                f"needs meeting_id: give the meeting the decision was taken at ({taken_at})"
            )
        elif taken_at != meeting_id:
            errors["decision_id"] = (
                f"decision {decision_id} was taken at meeting {taken_at}, not at meeting "
                f"{meeting_id}"
            )
    if state["counterpart_id"] is not None and state["counterpart_id"] == state["owner_id"]:
        errors["counterpart_id"] = "must differ from owner_id: nobody makes a promise to itself"
    errors |= ensure_order(
        state["made_on"], state["due_on"], end_field="due_on", start_field="made_on"
    )
    if errors:
        raise Invalid(errors)


def _move_opening(session: Session, record: Commitment, made_on: dt.date) -> None:
    """Keep the first history step (open, as of made_on) in step with a new made_on."""
    steps = session.scalars(
        select(CommitmentStatusChange).where(CommitmentStatusChange.commitment_id == record.id)
    ).all()
    later = [step.changed_on for step in steps if step.from_status is not None]
    if later and made_on > min(later):
        raise Invalid.field(
            "made_on",
            f"must not be after the first status change ({min(later).isoformat()})",
        )
    for step in steps:
        if step.from_status is None:
            step.changed_on = made_on


def _refusal(
    current: CommitmentStatus, wanted: CommitmentStatus, allowed: Collection[CommitmentStatus]
) -> str:
    if not allowed:
        return f"a {current} commitment is final; its status cannot change to {wanted}"
    listed = ", ".join(status for status in CommitmentStatus if status in allowed)
    return f"cannot move from {current} to {wanted}; allowed next statuses: {listed}"
