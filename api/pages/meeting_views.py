"""What the meeting and forum pages show, read in a fixed number of queries: the rows of
a meeting list, and everything recorded at one meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Decision, Meeting
from governance.meetings.schemas import MeetingQuery
from governance.records import Page
from governance.revision import RevisionCache
from governance.stakeholders.models import Stakeholder
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


#: A page of a meeting list per filter and data revision: counting a collaboration's
#: 20,000 meetings takes SQLite 2–3 ms, every time the first page is shown.
_PAGES: RevisionCache[tuple[Any, ...], Page[MeetingRow]] = RevisionCache(size=64)


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
    The page is kept per data revision (shared: do not change it).
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

    def read() -> Page[MeetingRow]:
        total = session.scalar(select(func.count(Meeting.id)).where(*conditions)) or 0
        ordered = (
            select(*_ROW_COLUMNS)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(*conditions)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
        return Page(_rows(session, ordered.limit(limit).offset(offset)), total, limit, offset)

    key = (
        collaboration_id,
        query.forum_id,
        query.status,
        query.starts_from,
        query.starts_to,
        str(timezone),
        limit,
        offset,
    )
    return _PAGES.get_or_compute(session, key, read)


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
    counts = _counts(session, ids)
    return [MeetingRow(*row, *counts.get(row.id, (0, 0))) for row in found]


#: Each listed meeting's attendance and decisions, counted in one query.
_COUNTS = select(
    Meeting.id,
    select(func.count())
    .where(Attendance.meeting_id == Meeting.id, Attendance.attended.is_(True))
    .correlate(Meeting)
    .scalar_subquery(),
    select(func.count())
    .where(Decision.meeting_id == Meeting.id, Decision.deleted_at.is_(None))
    .correlate(Meeting)
    .scalar_subquery(),
).where(Meeting.id.in_(bindparam("ids", expanding=True)))


def _counts(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(attended, decisions) of each meeting."""
    if not ids:
        return {}
    rows = session.execute(_COUNTS, {"ids": list(ids)})
    return {meeting_id: (attended or 0, decisions or 0) for meeting_id, attended, decisions in rows}


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


# The statements of a meeting's page, built once with the meeting as a bound parameter
# (building them took about as long as running them).
_MEETING = bindparam("meeting_id", type_=Integer)
_owner, _counterpart = aliased(Stakeholder), aliased(Stakeholder)

_SEATS = (
    select(
        Attendance.stakeholder_id,
        Stakeholder.name,
        Stakeholder.sector,
        Attendance.invited,
        Attendance.attended,
        Attendance.role,
        Attendance.represented_by,
    )
    .join(Stakeholder, Stakeholder.id == Attendance.stakeholder_id)
    .where(Attendance.meeting_id == _MEETING)
    .order_by(Attendance.attended.desc(), Stakeholder.name, Attendance.id)
)
_DECISIONS = (
    select(Decision)
    .where(Decision.meeting_id == _MEETING, Decision.deleted_at.is_(None))
    .order_by(Decision.id)
)
_COMMITMENTS = (
    select(Commitment, _owner.name, _counterpart.name)
    .join(_owner, _owner.id == Commitment.owner_id)
    .outerjoin(_counterpart, _counterpart.id == Commitment.counterpart_id)
    .where(Commitment.meeting_id == _MEETING, Commitment.deleted_at.is_(None))
    .order_by(Commitment.id)
)
_TRUST_EVENTS = (
    select(
        TrustEvent.id,
        TrustEvent.kind,
        TrustEvent.valence,
        TrustEvent.trust_form,
        TrustEvent.severity,
        TrustEvent.actor_id,
        _owner.name,
        TrustEvent.target_id,
        _counterpart.name,
        TrustEvent.description,
    )
    .join(_owner, _owner.id == TrustEvent.actor_id)
    .outerjoin(_counterpart, _counterpart.id == TrustEvent.target_id)
    .where(TrustEvent.meeting_id == _MEETING, TrustEvent.deleted_at.is_(None))
    .order_by(TrustEvent.id)
)


def recorded_at(session: Session, meeting: Meeting) -> Recorded:
    """The meeting's forum, attendance, decisions, commitments and trust events: 5 queries."""
    forum_name, forum_public = session.execute(
        select(Forum.name, Forum.public).where(Forum.id == meeting.forum_id)
    ).one()
    params = {"meeting_id": meeting.id}
    return Recorded(
        forum_name,
        forum_public,
        [SeatRow(*row) for row in session.execute(_SEATS, params)],
        list(session.scalars(_DECISIONS, params)),
        _commitments(session, meeting.id),
        _trust_rows(session.execute(_TRUST_EVENTS, params)),
    )


def _trust_rows(rows: Iterable[Sequence[Any]]) -> list[TrustRow]:
    return [
        TrustRow(
            id=row[0],
            kind=row[1],
            valence=row[2],
            trust_form=row[3],
            severity=row[4],
            actor_id=row[5],
            actor=row[6],
            target_id=row[7],
            target=row[8],
            description=row[9],
        )
        for row in rows
    ]


def _commitments(session: Session, meeting_id: int) -> list[CommitmentRow]:
    today = commitment_service.today()
    rows = session.execute(_COMMITMENTS, {"meeting_id": meeting_id})
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
