"""Small ``make_*`` helpers that put records straight into the test database.

They bypass the services on purpose (tests of a service should not depend on
another's); each takes keyword overrides and flushes, so the record has its id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from governance.models import (
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Evidence,
    Forum,
    Meeting,
    Outcome,
    Participation,
    Stakeholder,
)
from governance.vocab import (
    CommitmentStatus,
    EvidenceKind,
    MeetingStatus,
    OutcomeLevel,
    ParticipationRole,
    Sector,
    StakeholderKind,
)

UTC = dt.UTC


T = TypeVar("T")


def _save(session: Session, record: T) -> T:
    session.add(record)
    session.flush()
    return record


def make_collaboration(session: Session, **fields: Any) -> Collaboration:
    values: dict[str, Any] = {"name": "Bansos monitoring", "started_on": dt.date(2020, 4, 1)}
    return _save(session, Collaboration(**(values | fields)))


def make_stakeholder(session: Session, **fields: Any) -> Stakeholder:
    values: dict[str, Any] = {
        "name": "SPRI DKI Jakarta",
        "kind": StakeholderKind.ORGANISATION,
        "sector": Sector.CIVIL_SOCIETY,
    }
    merged = values | fields
    merged.setdefault("search_key", merged["name"].lower())
    return _save(session, Stakeholder(**merged))


def make_participation(
    session: Session, collaboration: Collaboration, stakeholder: Stakeholder, **fields: Any
) -> Participation:
    values: dict[str, Any] = {
        "collaboration_id": collaboration.id,
        "stakeholder_id": stakeholder.id,
        "role": ParticipationRole.PARTICIPANT,
    }
    return _save(session, Participation(**(values | fields)))


def make_forum(session: Session, collaboration: Collaboration, **fields: Any) -> Forum:
    values: dict[str, Any] = {"collaboration_id": collaboration.id, "name": "Bansos forum"}
    return _save(session, Forum(**(values | fields)))


def make_meeting(session: Session, forum: Forum, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "forum_id": forum.id,
        "collaboration_id": forum.collaboration_id,
        "title": "Coordination meeting",
        "starts_at": dt.datetime(2020, 6, 1, 3, 0, tzinfo=UTC),
        "status": MeetingStatus.HELD,
    }
    return _save(session, Meeting(**(values | fields)))


def make_commitment(
    session: Session, collaboration: Collaboration, owner: Stakeholder, **fields: Any
) -> Commitment:
    values: dict[str, Any] = {
        "collaboration_id": collaboration.id,
        "owner_id": owner.id,
        "description": "Verify the coalition's list of unserved households",
        "made_on": dt.date(2020, 6, 1),
        "due_on": dt.date(2020, 7, 1),
    }
    commitment = Commitment(**(values | fields))
    commitment.history = [
        CommitmentStatusChange(
            from_status=None, to_status=CommitmentStatus.OPEN, changed_on=commitment.made_on
        )
    ]
    return _save(session, commitment)


def make_outcome(session: Session, collaboration: Collaboration, **fields: Any) -> Outcome:
    values: dict[str, Any] = {
        "collaboration_id": collaboration.id,
        "title": "Households added to DTKS",
        "level": OutcomeLevel.OUTCOME,
        "baseline": 0.0,
        "target": 1000.0,
    }
    return _save(session, Outcome(**(values | fields)))


def make_evidence(session: Session, **fields: Any) -> Evidence:
    values: dict[str, Any] = {"kind": EvidenceKind.INTERVIEW, "title": "Interview, SPRI organiser"}
    return _save(session, Evidence(**(values | fields)))
