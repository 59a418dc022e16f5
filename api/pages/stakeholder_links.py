"""Everything a stakeholder is linked to, for its page, in a fixed number of queries:
collaborations, forums it convenes or facilitates, meetings attended, commitments
owned and received, trust events, and relationships both ways."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Meeting
from governance.participations.models import Participation
from governance.relationships.models import Relationship
from governance.stakeholders.sides import two_sides
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


def _participations(session: Session, stakeholder_id: int) -> list[ParticipationLink]:
    rows = session.execute(
        select(Participation, Collaboration.name)
        .join(Collaboration, Collaboration.id == Participation.collaboration_id)
        .where(
            Participation.stakeholder_id == stakeholder_id,
            Participation.deleted_at.is_(None),
            Collaboration.deleted_at.is_(None),
        )
        .order_by(Collaboration.name, Participation.id)
        .limit(SHOWN)
    )
    return [
        ParticipationLink(p.collaboration_id, name, p.role, p.joined_on, p.left_on)
        for p, name in rows
    ]


def _forums(session: Session, stakeholder_id: int) -> list[ForumLink]:
    rows = session.execute(
        select(Forum.id, Forum.name, Forum.convener_id, Forum.facilitator_id, Collaboration.name)
        .join(Collaboration, Collaboration.id == Forum.collaboration_id)
        .where(
            or_(Forum.convener_id == stakeholder_id, Forum.facilitator_id == stakeholder_id),
            Forum.deleted_at.is_(None),
            Collaboration.deleted_at.is_(None),
        )
        .order_by(Forum.name, Forum.id)
        .limit(SHOWN)
    )
    return [
        ForumLink(
            forum_id, name, collaboration, convener == stakeholder_id, facilitator == stakeholder_id
        )
        for forum_id, name, convener, facilitator, collaboration in rows
    ]


def _meetings(session: Session, stakeholder_id: int) -> list[MeetingLink]:
    rows = session.execute(
        select(Meeting.id, Meeting.title, Forum.name, Meeting.starts_at, Attendance)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Attendance.stakeholder_id == stakeholder_id,
            Attendance.attended.is_(True),
            Meeting.deleted_at.is_(None),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(SHOWN)
    )
    return [
        MeetingLink(meeting_id, title, forum, starts_at, seat.role, seat.represented_by)
        for meeting_id, title, forum, starts_at, seat in rows
    ]


def _commitments(session: Session, stakeholder_id: int) -> list[CommitmentLink]:
    owner, counterpart = two_sides()
    rows = session.execute(
        select(Commitment, owner.name, counterpart.name)
        .join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .where(
            or_(
                Commitment.owner_id == stakeholder_id,
                Commitment.counterpart_id == stakeholder_id,
            ),
            Commitment.deleted_at.is_(None),
        )
        .order_by(Commitment.made_on.desc(), Commitment.id.desc())
        .limit(SHOWN)
    )
    found = []
    for commitment, owner_name, counterpart_name in rows:
        owned = commitment.owner_id == stakeholder_id
        found.append(
            CommitmentLink(
                id=commitment.id,
                description=commitment.description,
                status=commitment.status,
                made_on=commitment.made_on,
                due_on=commitment.due_on,
                owned=owned,
                other_id=commitment.counterpart_id if owned else commitment.owner_id,
                other=counterpart_name if owned else owner_name,
            )
        )
    return found


def _trust(session: Session, stakeholder_id: int) -> list[TrustLink]:
    actor, target = two_sides()
    rows = session.execute(
        select(TrustEvent, actor.name, target.name)
        .join(actor, actor.id == TrustEvent.actor_id)
        .outerjoin(target, target.id == TrustEvent.target_id)
        .where(
            or_(TrustEvent.actor_id == stakeholder_id, TrustEvent.target_id == stakeholder_id),
            TrustEvent.deleted_at.is_(None),
        )
        .order_by(TrustEvent.occurred_on.desc(), TrustEvent.id.desc())
        .limit(SHOWN)
    )
    found = []
    for event, actor_name, target_name in rows:
        acted = event.actor_id == stakeholder_id
        found.append(
            TrustLink(
                id=event.id,
                occurred_on=event.occurred_on,
                kind=event.kind,
                valence=event.valence,
                severity=event.severity,
                acted=acted,
                other_id=event.target_id if acted else event.actor_id,
                other=target_name if acted else actor_name,
                description=event.description,
            )
        )
    return found


def _relationships(session: Session, stakeholder_id: int) -> list[RelationshipLink]:
    source, target = two_sides()
    rows = session.execute(
        select(Relationship, source.name, target.name)
        .join(source, source.id == Relationship.source_id)
        .join(target, target.id == Relationship.target_id)
        .where(
            or_(
                Relationship.source_id == stakeholder_id,
                Relationship.target_id == stakeholder_id,
            ),
            Relationship.deleted_at.is_(None),
        )
        .order_by(Relationship.type, Relationship.id)
        .limit(SHOWN)
    )
    found = []
    for tie, source_name, target_name in rows:
        outgoing = tie.source_id == stakeholder_id
        found.append(
            RelationshipLink(
                id=tie.id,
                type=tie.type,
                outgoing=outgoing,
                other_id=tie.target_id if outgoing else tie.source_id,
                other=target_name if outgoing else source_name,
                started_on=tie.started_on,
                ended_on=tie.ended_on,
                strength=tie.strength,
            )
        )
    return found


def _totals(session: Session, stakeholder_id: int) -> dict[str, int]:
    """How many of each there are, beyond the rows shown, in one query."""
    meetings = (
        select(func.count(Attendance.id))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Attendance.stakeholder_id == stakeholder_id,
            Attendance.attended.is_(True),
            Meeting.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    commitments = (
        select(func.count(Commitment.id))
        .where(
            or_(
                Commitment.owner_id == stakeholder_id,
                Commitment.counterpart_id == stakeholder_id,
            ),
            Commitment.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    trust = (
        select(func.count(TrustEvent.id))
        .where(
            or_(TrustEvent.actor_id == stakeholder_id, TrustEvent.target_id == stakeholder_id),
            TrustEvent.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    row = session.execute(select(meetings, commitments, trust)).one()
    return {"meetings": row[0] or 0, "commitments": row[1] or 0, "trust": row[2] or 0}
