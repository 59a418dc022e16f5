"""Outcomes: what a collaboration aims at, how it is measured, and how far it has come."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, delete, func, insert, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment
from governance.errors import Invalid, NotFound
from governance.evidence import service as evidence_service
from governance.meetings.models import Meeting
from governance.outcomes.models import Measurement, Outcome, outcome_commitments, outcome_meetings
from governance.outcomes.progress import OutcomeNode, rolled_up
from governance.outcomes.schemas import (
    MeasurementCreate,
    MeasurementPatch,
    MeasurementRead,
    OutcomeCreate,
    OutcomePatch,
    OutcomeQuery,
    OutcomeRead,
)
from governance.records import Page
from governance.schemas import ensure_order

#: The provenance links an outcome keeps: field → (link column, linked record).
_LINKS: dict[str, tuple[Column[int], type[Commitment] | type[Meeting]]] = {
    "commitment_ids": (outcome_commitments.c.commitment_id, Commitment),
    "meeting_ids": (outcome_meetings.c.meeting_id, Meeting),
}


def get(session: Session, outcome_id: int, *, include_deleted: bool = False) -> Outcome:
    """The outcome with this id."""
    return records.get(session, Outcome, outcome_id, include_deleted=include_deleted)


def search(session: Session, *, query: OutcomeQuery) -> Page[Outcome]:
    """Outcomes matching the query's filters, by id."""
    statement = records.base_query(Outcome, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Outcome.collaboration_id == query.collaboration_id)
    if query.parent_id is not None:
        statement = statement.where(Outcome.parent_id == query.parent_id)
    if query.level is not None:
        statement = statement.where(Outcome.level == query.level)
    if query.q:
        statement = statement.where(records.text_filter([Outcome.title], query.q))
    return records.paginate(
        session, statement, limit=query.limit, offset=query.offset, order_by=(Outcome.id,)
    )


def create(session: Session, *, data: OutcomeCreate, actor: Actor) -> Outcome:
    """Set an outcome, under a parent outcome or as a root, with its provenance links."""
    fields = data.model_dump(exclude=set(_LINKS))
    records.require_live(session, Collaboration, data.collaboration_id, field="collaboration_id")
    _check_parent(session, fields, outcome_id=None)
    _check_rules(fields)
    for field in _LINKS:
        _check_linkable(session, field, getattr(data, field), fields["collaboration_id"])
    outcome = Outcome(**fields)
    session.add(outcome)
    session.flush()
    # Not records.add: the creation entry must name the links too.
    changes = {key: [None, value] for key, value in audit.snapshot(outcome).items()}
    for field in _LINKS:
        changes |= _relink(session, field, outcome.id, getattr(data, field))
    audit.record(
        session,
        actor=actor,
        action="create",
        record_type=outcome.record_type,
        record_id=outcome.id,
        changes=changes,
    )
    return outcome


def update(session: Session, *, record: Outcome, data: OutcomePatch, actor: Actor) -> Outcome:
    """Change an outcome and its links, refusing a stale version, a cycle or a bad target."""
    records.check_version(record, data.version)
    changes = data.changes()
    links = {field: changes.pop(field) for field in _LINKS if field in changes}
    state = records.merged(record, changes)
    if "parent_id" in changes:
        _check_parent(session, state, outcome_id=record.id)
    _check_rules(state)
    for field, ids in links.items():
        _check_linkable(session, field, ids, record.collaboration_id)
    logged: dict[str, list[Any]] = {}
    for field, ids in links.items():
        logged |= _relink(session, field, record.id, ids)
    return records.apply_changes(
        session, record, changes, version=data.version, actor=actor, extra_changes=logged
    )


def get_measurement(session: Session, *, outcome: Outcome, measurement_id: int) -> Measurement:
    """A live measurement of this outcome."""
    measurement = records.get(session, Measurement, measurement_id)
    if measurement.outcome_id != outcome.id:
        raise NotFound(Measurement.record_type, measurement_id)
    return measurement


def add_measurement(
    session: Session, *, outcome: Outcome, data: MeasurementCreate, actor: Actor
) -> Measurement:
    """Record a measured value of an outcome."""
    _check_measured_on(data.measured_on)
    evidence = evidence_service.require_evidence(session, data.evidence_ids)
    measurement = Measurement(
        outcome_id=outcome.id, measured_on=data.measured_on, value=data.value, note=data.note
    )
    return evidence_service.add_with_evidence(session, measurement, evidence=evidence, actor=actor)


def update_measurement(
    session: Session, *, measurement: Measurement, data: MeasurementPatch, actor: Actor
) -> Measurement:
    """Correct a measurement, refusing a stale version."""
    records.check_version(measurement, data.version)
    changes = data.changes()
    if "measured_on" in changes:
        _check_measured_on(changes["measured_on"])
    logged: dict[str, list[Any]] = {}
    if "evidence_ids" in changes:
        evidence = evidence_service.require_evidence(session, changes.pop("evidence_ids"))
        logged = evidence_service.replace_evidence(session, measurement, evidence)
    return records.apply_changes(
        session, measurement, changes, version=data.version, actor=actor, extra_changes=logged
    )


def present(session: Session, outcomes: Sequence[Outcome]) -> list[OutcomeRead]:
    """The read shape of a page of outcomes, progress rolled up, in six queries in all."""
    if not outcomes:
        return []
    page_ids = [outcome.id for outcome in outcomes]
    collaboration_ids = {outcome.collaboration_id for outcome in outcomes}
    tree = session.execute(
        select(Outcome.id, Outcome.parent_id, Outcome.weight, Outcome.baseline, Outcome.target)
        .where(Outcome.collaboration_id.in_(collaboration_ids), Outcome.deleted_at.is_(None))
        .order_by(Outcome.id)
    ).all()
    children: dict[int, list[int]] = defaultdict(list)
    for row in tree:
        if row.parent_id is not None:
            children[row.parent_id].append(row.id)
    # Progress rolls up from below: only the page's outcomes and what lies under them count.
    needed = _with_descendants(page_ids, children)
    latest = _latest(session, needed)
    live = {row.id for row in tree}
    nodes = [
        OutcomeNode(
            row.id, row.parent_id, row.weight, row.baseline, row.target, _value(latest, row.id)
        )
        for row in tree
        if row.id in needed
    ]
    # A deleted outcome on the page (the trash) gets its progress without counting for its parent.
    nodes += [
        OutcomeNode(o.id, None, o.weight, o.baseline, o.target, _value(latest, o.id))
        for o in outcomes
        if o.id not in live
    ]
    progress = rolled_up(nodes)
    measurements = _measurements(session, page_ids)
    links = {field: _linked(session, field, page_ids) for field in _LINKS}
    return [
        OutcomeRead.model_validate(
            records.merged(
                outcome,
                {
                    "progress": progress[outcome.id],
                    "latest_value": _value(latest, outcome.id),
                    "latest_measured_on": latest[outcome.id][0] if outcome.id in latest else None,
                    "children_ids": children[outcome.id],
                    "measurements": measurements[outcome.id],
                }
                | {field: linked[outcome.id] for field, linked in links.items()},
            )
        )
        for outcome in outcomes
    ]


def _check_parent(session: Session, state: Mapping[str, Any], *, outcome_id: int | None) -> None:
    """The parent must be a live outcome of the same collaboration, and not a descendant."""
    parent_id = state["parent_id"]
    if parent_id is None:
        return
    records.require_live(session, Outcome, parent_id, field="parent_id")
    # Deleted outcomes count too: restoring one must not close a loop.
    rows = session.execute(
        select(Outcome.id, Outcome.parent_id).where(
            Outcome.collaboration_id == state["collaboration_id"]
        )
    )
    parents = {row.id: row.parent_id for row in rows}
    if parent_id not in parents:
        raise Invalid.field("parent_id", f"outcome {parent_id} belongs to another collaboration")
    ancestor: int | None = parent_id
    seen: set[int] = set()
    while ancestor is not None and ancestor not in seen:
        if ancestor == outcome_id:
            which = "is this outcome" if parent_id == outcome_id else "lies under this outcome"
            raise Invalid.field(
                "parent_id",
                f"outcome {parent_id} {which}; an outcome cannot be its own ancestor",
            )
        seen.add(ancestor)
        ancestor = parents.get(ancestor)


def _check_rules(state: Mapping[str, Any]) -> None:
    """The target must differ from the baseline, and the due date follow the start."""
    errors = ensure_order(
        state["started_on"], state["due_on"], end_field="due_on", start_field="started_on"
    )
    if state["target"] == state["baseline"]:
        errors["target"] = f"must differ from baseline ({state['baseline']:g}), or nothing can move"
    if errors:
        raise Invalid(errors)


def _check_linkable(session: Session, field: str, ids: Collection[int], collaboration: int) -> None:
    """Linked commitments or meetings must be live and of the outcome's collaboration."""
    _, model = _LINKS[field]
    records.require_all_live(session, model, ids, field=field)
    if not ids:
        return
    elsewhere = sorted(
        session.scalars(
            select(model.id).where(model.id.in_(ids), model.collaboration_id != collaboration)
        )
    )
    if elsewhere:
        listed = ", ".join(str(i) for i in elsewhere)
        raise Invalid.field(field, f"{model.record_type} {listed} belongs to another collaboration")


def _linked(session: Session, field: str, outcome_ids: Collection[int]) -> dict[int, list[int]]:
    """Live linked commitments or meetings of each outcome, in one query."""
    column, model = _LINKS[field]
    link = column.table.c
    rows = session.execute(
        select(link.outcome_id, column)
        .join(model, model.id == column)
        .where(link.outcome_id.in_(outcome_ids), model.deleted_at.is_(None))
        .order_by(column)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for outcome_id, linked_id in rows:
        found[outcome_id].append(linked_id)
    return found


def _relink(session: Session, field: str, outcome_id: int, ids: Collection[int]) -> dict[str, Any]:
    """Make the live links of one kind exactly ``ids``; return the change for the audit log.

    Links to deleted records stay, so restoring the record brings its link back.
    """
    column, _ = _LINKS[field]
    table = column.table
    before = _linked(session, field, [outcome_id]).get(outcome_id, [])
    after = sorted(set(ids))
    removed, added = set(before) - set(after), set(after) - set(before)
    if removed:
        session.execute(delete(table).where(table.c.outcome_id == outcome_id, column.in_(removed)))
    if added:
        session.execute(
            insert(table), [{"outcome_id": outcome_id, column.key: i} for i in sorted(added)]
        )
    return {field: [before, after]} if before != after else {}


def _with_descendants(ids: Collection[int], children: Mapping[int, list[int]]) -> set[int]:
    """``ids`` and every outcome under them."""
    found = set(ids)
    waiting = list(ids)
    while waiting:
        for child in children.get(waiting.pop(), ()):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def _latest(session: Session, outcome_ids: Collection[int]) -> dict[int, tuple[dt.date, float]]:
    """The latest live measurement (date, value) of each of these outcomes."""
    ranked = (
        select(
            Measurement.outcome_id,
            Measurement.measured_on,
            Measurement.value,
            func.row_number()
            .over(
                partition_by=Measurement.outcome_id,
                order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
            )
            .label("rank"),
        )
        .where(Measurement.outcome_id.in_(outcome_ids), Measurement.deleted_at.is_(None))
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.outcome_id, ranked.c.measured_on, ranked.c.value).where(ranked.c.rank == 1)
    )
    return {outcome_id: (measured_on, value) for outcome_id, measured_on, value in rows}


def _value(latest: Mapping[int, tuple[dt.date, float]], outcome_id: int) -> float | None:
    return latest[outcome_id][1] if outcome_id in latest else None


def _measurements(
    session: Session, outcome_ids: Collection[int]
) -> dict[int, list[MeasurementRead]]:
    """Each outcome's live measurements, oldest first, with their evidence ids."""
    found = session.scalars(
        select(Measurement)
        .where(Measurement.outcome_id.in_(outcome_ids), Measurement.deleted_at.is_(None))
        .order_by(Measurement.measured_on, Measurement.id)
    ).all()
    evidence = evidence_service.ids_by_record(session, "measurement_id", [m.id for m in found])
    by_outcome: dict[int, list[MeasurementRead]] = defaultdict(list)
    for m in found:
        by_outcome[m.outcome_id].append(
            MeasurementRead(
                id=m.id,
                version=m.version,
                measured_on=m.measured_on,
                value=m.value,
                note=m.note,
                evidence_ids=evidence.get(m.id, []),
            )
        )
    return by_outcome


def _check_measured_on(measured_on: dt.date) -> None:
    today = dt.date.today()
    if measured_on > today:
        raise Invalid.field(
            "measured_on", f"must not be in the future (today is {today.isoformat()})"
        )
