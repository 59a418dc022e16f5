"""Everything a stakeholder is linked to, for its page, in a fixed number of queries:
collaborations, forums it convenes or facilitates, meetings attended, commitments
owned and received, trust events, and relationships both ways."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Meeting
from governance.participations.models import Participation
from governance.relationships.models import Relationship
from governance.stakeholders.models import Stakeholder
from governance.trust.models import TrustEvent
from governance.vocab import (
    AttendanceRole,
    CommitmentStatus,
    ParticipationRole,
    RelationshipType,
    TrustEventKind,
    Valence,
)

#: Each list on the page shows at most this many rows, the latest first; the total is shown.
SHOWN = 50


@dataclass(frozen=True)
class ParticipationLink:
    collaboration_id: int
    collaboration: str
    role: ParticipationRole
    joined_on: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True)
class ForumLink:
    id: int
    name: str
    collaboration: str
    convenes: bool
    facilitates: bool


@dataclass(frozen=True)
class MeetingLink:
    id: int
    title: str
    forum: str
    starts_at: dt.datetime
    role: AttendanceRole
    represented_by: str


@dataclass(frozen=True)
class CommitmentLink:
    id: int
    description: str
    status: CommitmentStatus
    made_on: dt.date
    due_on: dt.date | None
    #: True when the stakeholder promised it; False when it was promised to them.
    owned: bool
    other_id: int | None
    other: str | None


@dataclass(frozen=True)
class TrustLink:
    id: int
    occurred_on: dt.date
    kind: TrustEventKind
    valence: Valence
    severity: int
    #: True when the stakeholder acted; False when the event was towards them.
    acted: bool
    other_id: int | None
    other: str | None
    description: str


@dataclass(frozen=True)
class RelationshipLink:
    id: int
    type: RelationshipType
    #: True when the tie reads from this stakeholder ("member of"), False from the other end.
    outgoing: bool
    other_id: int
    other: str
    started_on: dt.date | None
    ended_on: dt.date | None
    strength: int


@dataclass
class Links:
    participations: list[ParticipationLink] = field(default_factory=list)
    forums: list[ForumLink] = field(default_factory=list)
    meetings: list[MeetingLink] = field(default_factory=list)
    commitments: list[CommitmentLink] = field(default_factory=list)
    trust: list[TrustLink] = field(default_factory=list)
    relationships: list[RelationshipLink] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def links(session: Session, stakeholder_id: int) -> Links:
    """What the stakeholder is linked to: seven queries whatever the numbers."""
    return Links(
        participations=_participations(session, stakeholder_id),
        forums=_forums(session, stakeholder_id),
        meetings=_meetings(session, stakeholder_id),
        commitments=_commitments(session, stakeholder_id),
        trust=_trust(session, stakeholder_id),
        relationships=_relationships(session, stakeholder_id),
        totals=_totals(session, stakeholder_id),
    )


# The statements are built once, with the stakeholder as a bound parameter, and read
# columns rather than whole records: building a statement and loading records cost
# SQLAlchemy more than SQLite takes to answer (about 5 ms of a 10 ms page).
_ID = bindparam("stakeholder_id", type_=Integer)
_first, _second = aliased(Stakeholder), aliased(Stakeholder)

_PARTICIPATIONS = (
    select(
        Participation.collaboration_id,
        Collaboration.name,
        Participation.role,
        Participation.joined_on,
        Participation.left_on,
    )
    .join(Collaboration, Collaboration.id == Participation.collaboration_id)
    .where(
        Participation.stakeholder_id == _ID,
        Participation.deleted_at.is_(None),
        Collaboration.deleted_at.is_(None),
    )
    .order_by(Collaboration.name, Participation.id)
    .limit(SHOWN)
)

_FORUMS = (
    select(Forum.id, Forum.name, Forum.convener_id, Forum.facilitator_id, Collaboration.name)
    .join(Collaboration, Collaboration.id == Forum.collaboration_id)
    .where(
        or_(Forum.convener_id == _ID, Forum.facilitator_id == _ID),
        Forum.deleted_at.is_(None),
        Collaboration.deleted_at.is_(None),
    )
    .order_by(Forum.name, Forum.id)
    .limit(SHOWN)
)

_MEETINGS = (
    select(
        Meeting.id,
        Meeting.title,
        Forum.name,
        Meeting.starts_at,
        Attendance.role,
        Attendance.represented_by,
    )
    .join(Attendance, Attendance.meeting_id == Meeting.id)
    .join(Forum, Forum.id == Meeting.forum_id)
    .where(
        Attendance.stakeholder_id == _ID,
        Attendance.attended.is_(True),
        Meeting.deleted_at.is_(None),
    )
    .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    .limit(SHOWN)
)

# owner, counterpart
_COMMITMENTS = (
    select(
        Commitment.id,
        Commitment.description,
        Commitment.status,
        Commitment.made_on,
        Commitment.due_on,
        Commitment.owner_id,
        Commitment.counterpart_id,
        _first.name,
        _second.name,
    )
    .join(_first, _first.id == Commitment.owner_id)
    .outerjoin(_second, _second.id == Commitment.counterpart_id)
    .where(
        or_(Commitment.owner_id == _ID, Commitment.counterpart_id == _ID),
        Commitment.deleted_at.is_(None),
    )
    .order_by(Commitment.made_on.desc(), Commitment.id.desc())
    .limit(SHOWN)
)

# actor, target
_TRUST = (
    select(
        TrustEvent.id,
        TrustEvent.occurred_on,
        TrustEvent.kind,
        TrustEvent.valence,
        TrustEvent.severity,
        TrustEvent.description,
        TrustEvent.actor_id,
        TrustEvent.target_id,
        _first.name,
        _second.name,
    )
    .join(_first, _first.id == TrustEvent.actor_id)
    .outerjoin(_second, _second.id == TrustEvent.target_id)
    .where(
        or_(TrustEvent.actor_id == _ID, TrustEvent.target_id == _ID),
        TrustEvent.deleted_at.is_(None),
    )
    .order_by(TrustEvent.occurred_on.desc(), TrustEvent.id.desc())
    .limit(SHOWN)
)

# source, target
_RELATIONSHIPS = (
    select(
        Relationship.id,
        Relationship.type,
        Relationship.source_id,
        Relationship.target_id,
        Relationship.started_on,
        Relationship.ended_on,
        Relationship.strength,
        _first.name,
        _second.name,
    )
    .join(_first, _first.id == Relationship.source_id)
    .join(_second, _second.id == Relationship.target_id)
    .where(
        or_(Relationship.source_id == _ID, Relationship.target_id == _ID),
        Relationship.deleted_at.is_(None),
    )
    .order_by(Relationship.type, Relationship.id)
    .limit(SHOWN)
)

_TOTALS = select(
    select(func.count(Attendance.id))
    .join(Meeting, Meeting.id == Attendance.meeting_id)
    .where(
        Attendance.stakeholder_id == _ID,
        Attendance.attended.is_(True),
        Meeting.deleted_at.is_(None),
    )
    .scalar_subquery(),
    select(func.count(Commitment.id))
    .where(
        or_(Commitment.owner_id == _ID, Commitment.counterpart_id == _ID),
        Commitment.deleted_at.is_(None),
    )
    .scalar_subquery(),
    select(func.count(TrustEvent.id))
    .where(
        or_(TrustEvent.actor_id == _ID, TrustEvent.target_id == _ID),
        TrustEvent.deleted_at.is_(None),
    )
    .scalar_subquery(),
)


def _participations(session: Session, stakeholder_id: int) -> list[ParticipationLink]:
    rows = session.execute(_PARTICIPATIONS, {"stakeholder_id": stakeholder_id})
    return [ParticipationLink(*row) for row in rows]


def _forums(session: Session, stakeholder_id: int) -> list[ForumLink]:
    rows = session.execute(_FORUMS, {"stakeholder_id": stakeholder_id})
    return [
        ForumLink(
            forum_id, name, collaboration, convener == stakeholder_id, facilitator == stakeholder_id
        )
        for forum_id, name, convener, facilitator, collaboration in rows
    ]


def _meetings(session: Session, stakeholder_id: int) -> list[MeetingLink]:
    rows = session.execute(_MEETINGS, {"stakeholder_id": stakeholder_id})
    return [MeetingLink(*row) for row in rows]


def _commitments(session: Session, stakeholder_id: int) -> list[CommitmentLink]:
    rows = session.execute(_COMMITMENTS, {"stakeholder_id": stakeholder_id})
    found = []
    for id_, description, status, made_on, due_on, owner_id, counterpart_id, owner, other in rows:
        owned = owner_id == stakeholder_id
        found.append(
            CommitmentLink(
                id=id_,
                description=description,
                status=status,
                made_on=made_on,
                due_on=due_on,
                owned=owned,
                other_id=counterpart_id if owned else owner_id,
                other=other if owned else owner,
            )
        )
    return found


def _trust(session: Session, stakeholder_id: int) -> list[TrustLink]:
    rows = session.execute(_TRUST, {"stakeholder_id": stakeholder_id})
    found = []
    for (
        id_,
        occurred_on,
        kind,
        valence,
        severity,
        description,
        actor_id,
        target_id,
        actor,
        target,
    ) in rows:
        acted = actor_id == stakeholder_id
        found.append(
            TrustLink(
                id=id_,
                occurred_on=occurred_on,
                kind=kind,
                valence=valence,
                severity=severity,
                acted=acted,
                other_id=target_id if acted else actor_id,
                other=target if acted else actor,
                description=description,
            )
        )
    return found


def _relationships(session: Session, stakeholder_id: int) -> list[RelationshipLink]:
    rows = session.execute(_RELATIONSHIPS, {"stakeholder_id": stakeholder_id})
    found = []
    for id_, type_, source_id, target_id, started_on, ended_on, strength, source, target in rows:
        outgoing = source_id == stakeholder_id
        found.append(
            RelationshipLink(
                id=id_,
                type=type_,
                outgoing=outgoing,
                other_id=target_id if outgoing else source_id,
                other=target if outgoing else source,
                started_on=started_on,
                ended_on=ended_on,
                strength=strength,
            )
        )
    return found


def _totals(session: Session, stakeholder_id: int) -> dict[str, int]:
    """How many of each there are, beyond the rows shown, in one query."""
    row = session.execute(_TOTALS, {"stakeholder_id": stakeholder_id}).one()
    return {"meetings": row[0] or 0, "commitments": row[1] or 0, "trust": row[2] or 0}
