"""What the meeting and forum pages show, read in a fixed number of queries: the rows of
a meeting list, and everything recorded at one meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Decision, Meeting
from governance.meetings.schemas import MeetingQuery
from governance.records import Page
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.sides import two_sides
from governance.trust.models import TrustEvent
from governance.vocab import (
    AttendanceRole,
    CommitmentStatus,
    MeetingMode,
    MeetingStatus,
    Sector,
    TrustEventKind,
    TrustForm,
    Valence,
)


@dataclass(frozen=True)
class MeetingRow:
    id: int
    title: str
    forum_id: int
    forum: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    location: str
    status: MeetingStatus
    attended: int
    decisions: int


#: A meeting list's columns, in :class:`MeetingRow`'s order (counts come after).
_RowSelect = Select[
    int, str, int, str, dt.datetime, dt.datetime | None, MeetingMode, str, MeetingStatus
]

_ROW_COLUMNS = (
    Meeting.id,
    Meeting.title,
    Meeting.forum_id,
    Forum.name,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.mode,
    Meeting.location,
    Meeting.status,
)


def meeting_rows(
    session: Session,
    collaboration_id: int,
    query: MeetingQuery,
    timezone: dt.tzinfo,
    *,
    limit: int,
    offset: int,
) -> Page[MeetingRow]:
    """A page of the collaboration's meetings, newest first; dates are local days.

    The total is counted on the meetings alone: every meeting has its forum (a foreign
    key), and joining the forums made counting 20,000 meetings take three times as long.
    """
    conditions = [Meeting.collaboration_id == collaboration_id, Meeting.deleted_at.is_(None)]
    if query.forum_id is not None:
        conditions.append(Meeting.forum_id == query.forum_id)
    if query.status is not None:
        conditions.append(Meeting.status == query.status)
    if query.starts_from is not None:
        conditions.append(Meeting.starts_at >= _midnight(query.starts_from, timezone))
    if query.starts_to is not None:
        next_day = query.starts_to + dt.timedelta(days=1)
        conditions.append(Meeting.starts_at < _midnight(next_day, timezone))
    total = session.scalar(select(func.count(Meeting.id)).where(*conditions)) or 0
    ordered = (
        select(*_ROW_COLUMNS)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*conditions)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    return Page(_rows(session, ordered.limit(limit).offset(offset)), total, limit, offset)


def forum_meetings(session: Session, forum_id: int, *, limit: int) -> Page[MeetingRow]:
    """The latest meetings of a forum."""
    statement = (
        select(*_ROW_COLUMNS)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(Meeting.forum_id == forum_id, Meeting.deleted_at.is_(None))
    )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    ordered = statement.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    return Page(_rows(session, ordered), total, limit, 0)


def _rows(session: Session, statement: _RowSelect) -> list[MeetingRow]:
    found = session.execute(statement).all()
    ids = [row.id for row in found]
    attended = _counts(
        session,
        select(Attendance.meeting_id, func.count())
        .where(Attendance.meeting_id.in_(ids), Attendance.attended.is_(True))
        .group_by(Attendance.meeting_id),
        ids,
    )
    decisions = _counts(
        session,
        select(Decision.meeting_id, func.count())
        .where(Decision.meeting_id.in_(ids), Decision.deleted_at.is_(None))
        .group_by(Decision.meeting_id),
        ids,
    )
    return [
        MeetingRow(*row, attended=attended.get(row.id, 0), decisions=decisions.get(row.id, 0))
        for row in found
    ]


def _counts(session: Session, statement: Select[int, int], ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    return {row[0]: row[1] for row in session.execute(statement)}


def _midnight(day: dt.date, timezone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone)


# -- one meeting -----------------------------------------------------------------------


@dataclass(frozen=True)
class SeatRow:
    stakeholder_id: int
    name: str
    sector: Sector
    invited: bool
    attended: bool
    role: AttendanceRole
    represented_by: str


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    description: str
    owner_id: int
    owner: str
    counterpart_id: int | None
    counterpart: str | None
    due_on: dt.date | None
    status: CommitmentStatus
    overdue: bool


@dataclass(frozen=True)
class TrustRow:
    id: int
    kind: TrustEventKind
    valence: Valence
    trust_form: TrustForm
    severity: int
    actor_id: int
    actor: str
    target_id: int | None
    target: str | None
    description: str


@dataclass(frozen=True)
class Recorded:
    """Everything recorded at one meeting."""

    forum_name: str
    forum_public: bool
    seats: list[SeatRow]
    decisions: list[Decision]
    commitments: list[CommitmentRow]
    trust_events: list[TrustRow]

    @property
    def attended(self) -> int:
        return sum(seat.attended for seat in self.seats)


def recorded_at(session: Session, meeting: Meeting) -> Recorded:
    """The meeting's forum, attendance, decisions, commitments and trust events: 5 queries."""
    forum_name, forum_public = session.execute(
        select(Forum.name, Forum.public).where(Forum.id == meeting.forum_id)
    ).one()
    seats = [
        SeatRow(
            seat.stakeholder_id,
            name,
            sector,
            seat.invited,
            seat.attended,
            seat.role,
            seat.represented_by,
        )
        for seat, name, sector in session.execute(
            select(Attendance, Stakeholder.name, Stakeholder.sector)
            .join(Stakeholder, Stakeholder.id == Attendance.stakeholder_id)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(Attendance.attended.desc(), Stakeholder.name, Attendance.id)
        )
    ]
    decisions = list(
        session.scalars(
            select(Decision)
            .where(Decision.meeting_id == meeting.id, Decision.deleted_at.is_(None))
            .order_by(Decision.id)
        )
    )
    return Recorded(
        forum_name,
        forum_public,
        seats,
        decisions,
        _commitments(session, meeting.id),
        _trust_events(session, meeting.id),
    )


def _commitments(session: Session, meeting_id: int) -> list[CommitmentRow]:
    owner, counterpart = two_sides()
    today = commitment_service.today()
    rows = session.execute(
        select(Commitment, owner.name, counterpart.name)
        .join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .where(Commitment.meeting_id == meeting_id, Commitment.deleted_at.is_(None))
        .order_by(Commitment.id)
    )
    return [
        CommitmentRow(
            c.id,
            c.description,
            c.owner_id,
            owner_name,
            c.counterpart_id,
            counterpart_name,
            c.due_on,
            c.status,
            commitment_service.is_overdue(c, on=today),
        )
        for c, owner_name, counterpart_name in rows
    ]


def _trust_events(session: Session, meeting_id: int) -> list[TrustRow]:
    actor, target = two_sides()
    rows = session.execute(
        select(TrustEvent, actor.name, target.name)
        .join(actor, actor.id == TrustEvent.actor_id)
        .outerjoin(target, target.id == TrustEvent.target_id)
        .where(TrustEvent.meeting_id == meeting_id, TrustEvent.deleted_at.is_(None))
        .order_by(TrustEvent.id)
    )
    return [
        TrustRow(
            e.id,
            e.kind,
            e.valence,
            e.trust_form,
            e.severity,
            e.actor_id,
            actor_name,
            e.target_id,
            target_name,
            e.description,
        )
        for e, actor_name, target_name in rows
    ]
