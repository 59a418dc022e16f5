"""One live record of every type the trash knows, made straight in the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from governance.base import Record
from governance.models import (
    Assessment,
    Decision,
    Measurement,
    Relationship,
    TrustEvent,
)
from governance.vocab import (
    ModelVariable,
    ParticipationRole,
    RelationshipType,
    Sector,
    TrustEventKind,
    TrustForm,
    Valence,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_outcome,
    make_participation,
    make_stakeholder,
)


def _save(session: Session, record: Record) -> Record:
    session.add(record)
    session.flush()
    return record


def every_record(session: Session, *, prefix: str = "") -> dict[str, Record]:
    """A record of each trash type, keyed by record type, all belonging together."""
    collaboration = make_collaboration(session, name=f"{prefix}Bansos monitoring")
    spri = make_stakeholder(session, name=f"{prefix}SPRI DKI Jakarta")
    dinsos = make_stakeholder(session, name=f"{prefix}Dinas Sosial DKI", sector=Sector.GOVERNMENT)
    forum = make_forum(session, collaboration, name=f"{prefix}Forum bansos")
    meeting = make_meeting(session, forum, title=f"{prefix}Rapat koordinasi")
    outcome = make_outcome(session, collaboration, title=f"{prefix}Households added to DTKS")
    found: dict[str, Record] = {
        "collaboration": collaboration,
        "stakeholder": spri,
        "relationship": _save(
            session,
            Relationship(source_id=spri.id, target_id=dinsos.id, type=RelationshipType.ADVISES),
        ),
        "participation": make_participation(
            session, collaboration, spri, role=ParticipationRole.PARTICIPANT
        ),
        "forum": forum,
        "meeting": meeting,
        "decision": _save(
            session, Decision(meeting_id=meeting.id, text=f"{prefix}Verify the list")
        ),
        "commitment": make_commitment(
            session, collaboration, dinsos, description=f"{prefix}Update the DTKS"
        ),
        "trust_event": _save(
            session,
            TrustEvent(
                collaboration_id=collaboration.id,
                actor_id=dinsos.id,
                occurred_on=dt.date(2020, 6, 1),
                kind=TrustEventKind.PROMISE_KEPT,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE,
                description=f"{prefix}Data shared on time",
            ),
        ),
        "outcome": outcome,
        "measurement": _save(
            session, Measurement(outcome_id=outcome.id, measured_on=dt.date(2020, 7, 1), value=5)
        ),
        "evidence": make_evidence(
            session, collaboration_id=collaboration.id, title=f"{prefix}Audit report"
        ),
        "assessment": _save(
            session,
            Assessment(
                collaboration_id=collaboration.id,
                variable=ModelVariable.PREHISTORY,
                period_start=dt.date(2020, 1, 1),
                period_end=dt.date(2020, 12, 31),
                score=2,
                rationale="Mixed",
                coder=f"{prefix}R1",
            ),
        ),
    }
    return found
