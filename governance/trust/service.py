"""The trust timeline: events that built or eroded trust between stakeholders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from governance import records
from governance.audit.service import Actor
from governance.base import Record
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.evidence.models import Evidence
from governance.meetings.models import Meeting
from governance.records import Page
from governance.stakeholders.models import Stakeholder
from governance.trust.models import TrustEvent
from governance.trust.schemas import (
    TrustEventCreate,
    TrustEventPatch,
    TrustEventQuery,
    TrustEventRead,
)

#: The records a trust event refers to, in the order their errors are reported.
_REFERENCES: tuple[tuple[type[Record], str], ...] = (
    (Collaboration, "collaboration_id"),
    (Meeting, "meeting_id"),
    (Stakeholder, "actor_id"),
    (Stakeholder, "target_id"),
)


def get(session: Session, event_id: int, *, include_deleted: bool = False) -> TrustEvent:
    """The trust event with this id."""
    return records.get(session, TrustEvent, event_id, include_deleted=include_deleted)


def search(session: Session, *, query: TrustEventQuery) -> Page[TrustEvent]:
    """Trust events matching the query's filters, in the order they happened."""
    statement = records.base_query(TrustEvent, include_deleted=query.include_deleted)
    equal_to = {
        TrustEvent.collaboration_id: query.collaboration_id,
        TrustEvent.meeting_id: query.meeting_id,
        TrustEvent.actor_id: query.actor_id,
        TrustEvent.target_id: query.target_id,
        TrustEvent.valence: query.valence,
        TrustEvent.kind: query.kind,
    }
    for column, value in equal_to.items():
        if value is not None:
            statement = statement.where(column == value)
    if query.occurred_from is not None:
        statement = statement.where(TrustEvent.occurred_on >= query.occurred_from)
    if query.occurred_to is not None:
        statement = statement.where(TrustEvent.occurred_on <= query.occurred_to)
    if query.q:
        statement = statement.where(records.text_filter([TrustEvent.description], query.q))
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(TrustEvent.occurred_on, TrustEvent.id),
    )


def create(session: Session, *, data: TrustEventCreate, actor: Actor) -> TrustEvent:
    """Record a trust event with its evidence."""
    fields = data.model_dump(exclude={"evidence_ids"})
    errors = _check(session, fields, changed=fields.keys(), collaboration=True)
    evidence: list[Evidence] = []
    try:
        evidence = evidence_service.require_evidence(session, data.evidence_ids)
    except Invalid as error:
        errors |= error.errors
    if errors:
        raise Invalid(errors)
    return evidence_service.add_with_evidence(
        session, TrustEvent(**fields), evidence=evidence, actor=actor
    )


def update(
    session: Session, *, record: TrustEvent, data: TrustEventPatch, actor: Actor
) -> TrustEvent:
    """Change a trust event's fields and, if sent, its evidence; refuse a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    evidence_ids = changes.pop("evidence_ids", None)
    errors = _check(session, records.merged(record, changes), changed=changes.keys())
    if evidence_ids is not None:
        errors |= records.problems(lambda: evidence_service.require_evidence(session, evidence_ids))
    if errors:
        raise Invalid(errors)
    return evidence_service.apply_with_evidence(
        session, record, changes, evidence_ids=evidence_ids, version=data.version, actor=actor
    )


def present(session: Session, events: Sequence[TrustEvent]) -> list[TrustEventRead]:
    """Trust events in their read shape, with the evidence of the whole page in one query."""
    evidence_ids = _evidence_ids(session, events)
    return [
        TrustEventRead.model_validate(
            records.merged(event, {"evidence_ids": evidence_ids.get(event.id, [])})
        )
        for event in events
    ]


def _evidence_ids(session: Session, events: Sequence[TrustEvent]) -> dict[int, list[int]]:
    """Live evidence ids per event, in id order: read where the event's evidence is not
    at hand; where it is (a write just set it), taken from it without a query."""
    at_hand: dict[int, list[int]] = {}
    to_read: list[int] = []
    for event in events:
        evidence = inspect(event).attrs.evidence.loaded_value
        if evidence is NO_VALUE:
            to_read.append(event.id)
        else:
            at_hand[event.id] = sorted(item.id for item in evidence if item.deleted_at is None)
    return at_hand | evidence_service.ids_by_record(session, "trust_event_id", to_read)


def _check(
    session: Session,
    state: Mapping[str, Any],
    *,
    changed: Iterable[str],
    collaboration: bool = False,
) -> dict[str, str]:
    """Errors of the references that changed (and of the collaboration, if asked), judged
    on the state the write would leave; whether each is live is read in one query."""
    fields = set(changed)
    if collaboration:
        fields.add("collaboration_id")
    references = [(model, state[field], field) for model, field in _REFERENCES if field in fields]
    dead = records.reference_errors(session, references)
    errors: dict[str, str] = {}
    for _, _, field in references:
        if field in dead:
            errors[field] = dead[field]
        elif field == "meeting_id":
            errors |= _meeting_errors(session, state["meeting_id"], state["collaboration_id"])
    if {"actor_id", "target_id"} & fields and state["target_id"] == state["actor_id"]:
        errors.setdefault(
            "target_id",
            "must not be the actor itself; leave it empty for an event towards the whole forum",
        )
    return errors


def _meeting_errors(
    session: Session, meeting_id: int | None, collaboration_id: int
) -> dict[str, str]:
    """Refuse a (live) meeting of another collaboration."""
    if meeting_id is None:
        return {}
    meeting_collaboration = session.scalars(
        select(Meeting.collaboration_id).where(Meeting.id == meeting_id)
    ).one()
    if meeting_collaboration != collaboration_id:
        return {
            "meeting_id": f"meeting {meeting_id} belongs to collaboration "
            f"{meeting_collaboration}, not to collaboration {collaboration_id}"
        }
    return {}
