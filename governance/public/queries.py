"""Read-only queries behind the public pages; each reads a fixed number of statements.

Every statement is anchored on :func:`published`, so a record outside a published forum
cannot be reached through here; the rules of what is shown are in :mod:`governance.public`.
A forum or meeting that is not published raises :class:`~governance.errors.NotFound`
with the same message as one that never existed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from governance.base import utcnow
from governance.collaborations.models import Collaboration
from governance.commitments import service as commitment_service
from governance.commitments.board import timing
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.errors import NotFound
from governance.forums.models import Forum
from governance.meetings.minutes import render_minutes
from governance.meetings.models import Attendance, Decision, Meeting
from governance.outcomes.models import Measurement, Outcome, outcome_commitments, outcome_meetings
from governance.outcomes.progress import OutcomeNode, rolled_up
from governance.public.schemas import (
    PublicCommitment,
    PublicDecision,
    PublicForum,
    PublicForumSummary,
    PublicMeeting,
    PublicMeetingSummary,
    PublicOutcome,
    PublicStatusStep,
)
from governance.records import Page
from governance.stakeholders.models import Stakeholder
from governance.vocab import MeetingStatus, StakeholderKind

#: A forum's page lists at most this many of its meetings, newest first (the total is given).
MEETINGS_SHOWN = 200
#: ...and at most this many commitments made at them.
COMMITMENTS_SHOWN = 500


def published() -> ColumnElement[bool]:
    """The condition on ``Forum`` joined with its ``Collaboration``: public, both live."""
    return and_(
        Forum.public.is_(True),
        Forum.deleted_at.is_(None),
        Collaboration.deleted_at.is_(None),
    )


def minutes_published(status: MeetingStatus, circulated_on: dt.date | None) -> bool:
    """A published forum's minutes are public once the meeting was held and they circulated.

    >>> minutes_published(MeetingStatus.HELD, dt.date(2020, 5, 6))
    True
    >>> minutes_published(MeetingStatus.HELD, None)  # a draft, not circulated yet
    False
    >>> minutes_published(MeetingStatus.PLANNED, dt.date(2020, 5, 6))
    False
    """
    return status is MeetingStatus.HELD and circulated_on is not None


def any_published(session: Session) -> bool:
    """Whether at least one forum is published (for a link to the public pages)."""
    found = session.scalar(
        select(Forum.id)
        .join(Collaboration, Collaboration.id == Forum.collaboration_id)
        .where(published())
        .limit(1)
    )
    return found is not None


# -- the list ----------------------------------------------------------------------------


def published_forums(session: Session, *, limit: int, offset: int) -> Page[PublicForumSummary]:
    """Published forums by collaboration and name, with their meeting schedule: 2 queries."""
    schedule = _schedule().subquery()
    statement = (
        select(
            Forum.id,
            Forum.name,
            Forum.purpose,
            Collaboration.name.label("collaboration"),
            schedule.c.held,
            schedule.c.last,
            schedule.c.next,
        )
        .join(Collaboration, Collaboration.id == Forum.collaboration_id)
        .outerjoin(schedule, schedule.c.forum_id == Forum.id)
        .where(published())
    )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.order_by(Collaboration.name, Forum.name, Forum.id).limit(limit).offset(offset)
    )
    items = [
        PublicForumSummary(
            id=row.id,
            name=row.name,
            purpose=row.purpose,
            collaboration=row.collaboration,
            held_meetings=row.held or 0,
            last_meeting_at=row.last,
            next_meeting_at=row.next,
        )
        for row in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _schedule() -> Any:
    """Per forum: meetings held, the latest held and the next planned meeting's start."""
    now = utcnow()
    held = Meeting.status == MeetingStatus.HELD
    return (
        select(
            Meeting.forum_id.label("forum_id"),
            func.count(case((held, Meeting.id))).label("held"),
            func.max(case((held, Meeting.starts_at))).label("last"),
            func.min(
                case(
                    (
                        and_(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= now),
                        Meeting.starts_at,
                    )
                )
            ).label("next"),
            func.count(Meeting.id).label("total"),
        )
        .where(Meeting.deleted_at.is_(None))
        .group_by(Meeting.forum_id)
    )


# -- one forum ---------------------------------------------------------------------------


def forum(session: Session, forum_id: int) -> PublicForum:
    """A published forum with its meetings, commitments and outcomes: at most 9 queries."""
    convener, facilitator = aliased(Stakeholder), aliased(Stakeholder)
    head = session.execute(
        select(
            Forum.id,
            Forum.name,
            Forum.purpose,
            Forum.collaboration_id,
            Forum.inclusiveness,
            Forum.decision_rule,
            Forum.established_on,
            Forum.closed_on,
            Collaboration.name.label("collaboration"),
            convener.name.label("convener"),
            facilitator.name.label("facilitator"),
        )
        .join(Collaboration, Collaboration.id == Forum.collaboration_id)
        .outerjoin(convener, and_(convener.id == Forum.convener_id, convener.deleted_at.is_(None)))
        .outerjoin(
            facilitator,
            and_(facilitator.id == Forum.facilitator_id, facilitator.deleted_at.is_(None)),
        )
        .where(Forum.id == forum_id, published())
    ).one_or_none()
    if head is None:
        raise NotFound(Forum.record_type, forum_id)
    schedule = _schedule().where(Meeting.forum_id == forum_id)
    plan = session.execute(schedule).one_or_none()
    meetings = _meeting_rows(session, forum_id)
    held_here = select(Meeting.id).where(
        Meeting.forum_id == forum_id,
        Meeting.deleted_at.is_(None),
        Meeting.status == MeetingStatus.HELD,
    )
    commitments, total = _commitments(
        session, Commitment.meeting_id.in_(held_here.scalar_subquery()), limit=COMMITMENTS_SHOWN
    )
    return PublicForum(
        id=head.id,
        name=head.name,
        purpose=head.purpose,
        collaboration=head.collaboration,
        convener=head.convener,
        facilitator=head.facilitator,
        inclusiveness=head.inclusiveness,
        decision_rule=head.decision_rule,
        established_on=head.established_on,
        closed_on=head.closed_on,
        last_meeting_at=plan.last if plan else None,
        next_meeting_at=plan.next if plan else None,
        meetings=meetings,
        meetings_total=plan.total if plan else 0,
        commitments=commitments,
        commitments_total=total,
        outcomes=_outcomes(session, head.collaboration_id, held_here),
    )


def _meeting_rows(session: Session, forum_id: int) -> list[PublicMeetingSummary]:
    attended = (
        select(func.count())
        .where(Attendance.meeting_id == Meeting.id, Attendance.attended.is_(True))
        .correlate(Meeting)
        .scalar_subquery()
    )
    decided = (
        select(func.count())
        .where(Decision.meeting_id == Meeting.id, Decision.deleted_at.is_(None))
        .correlate(Meeting)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.mode,
            Meeting.location,
            Meeting.status,
            Meeting.minutes_circulated_on,
            attended.label("attended"),
            decided.label("decided"),
        )
        .where(Meeting.forum_id == forum_id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(MEETINGS_SHOWN)
    )
    summaries = []
    for row in rows:
        held = row.status is MeetingStatus.HELD
        summaries.append(
            PublicMeetingSummary(
                id=row.id,
                title=row.title,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                mode=row.mode,
                location=row.location,
                status=row.status,
                attended_count=row.attended if held else 0,
                decision_count=row.decided if held else 0,
                minutes_published=minutes_published(row.status, row.minutes_circulated_on),
            )
        )
    return summaries


def _commitments(
    session: Session, where: ColumnElement[bool], *, limit: int
) -> tuple[list[PublicCommitment], int]:
    """Live commitments matching ``where`` (made at published, held meetings): 2 queries."""
    owner, counterpart = aliased(Stakeholder), aliased(Stakeholder)
    rows = session.execute(
        select(
            Commitment.id,
            Commitment.description,
            Commitment.meeting_id,
            Commitment.made_on,
            Commitment.due_on,
            Commitment.status,
            Commitment.fulfilled_on,
            Meeting.title.label("meeting_title"),
            owner.name.label("owner"),
            counterpart.name.label("counterpart"),
            func.count().over().label("total"),
        )
        .join(Meeting, Meeting.id == Commitment.meeting_id)
        .outerjoin(owner, and_(owner.id == Commitment.owner_id, owner.deleted_at.is_(None)))
        .outerjoin(
            counterpart,
            and_(counterpart.id == Commitment.counterpart_id, counterpart.deleted_at.is_(None)),
        )
        .where(where, Commitment.deleted_at.is_(None))
        .order_by(Commitment.due_on.asc().nulls_last(), Commitment.id)
        .limit(limit)
    ).all()
    if not rows:
        return [], 0
    steps: dict[int, list[PublicStatusStep]] = defaultdict(list)
    for commitment_id, status, changed_on in session.execute(
        select(
            CommitmentStatusChange.commitment_id,
            CommitmentStatusChange.to_status,
            CommitmentStatusChange.changed_on,
        )
        .where(CommitmentStatusChange.commitment_id.in_([row.id for row in rows]))
        .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
    ):
        steps[commitment_id].append(PublicStatusStep(status=status, changed_on=changed_on))
    today = commitment_service.today()
    found = []
    for row in rows:
        when = timing(row.status, row.due_on, on=today)
        found.append(
            PublicCommitment(
                description=row.description,
                owner=row.owner,
                counterpart=row.counterpart,
                meeting_id=row.meeting_id,
                meeting_title=row.meeting_title,
                made_on=row.made_on,
                due_on=row.due_on,
                status=row.status,
                fulfilled_on=row.fulfilled_on,
                overdue=when.overdue,
                days_late=when.days if when.overdue else None,
                history=steps[row.id],
            )
        )
    return found, rows[0].total


def _outcomes(session: Session, collaboration_id: int, held: Any) -> list[PublicOutcome]:
    """Outcomes linked to the held meetings ``held`` selects, or to commitments made there.

    Progress rolls up over the collaboration's whole live outcome tree, exactly as the
    outcome pages compute it: 3 queries (none more when nothing is linked).
    """
    made_there = select(Commitment.id).where(
        Commitment.meeting_id.in_(held.scalar_subquery()), Commitment.deleted_at.is_(None)
    )
    linked = session.execute(
        select(Outcome.id, Outcome.title, Outcome.level)
        .where(
            Outcome.collaboration_id == collaboration_id,
            Outcome.deleted_at.is_(None),
            or_(
                Outcome.id.in_(
                    select(outcome_meetings.c.outcome_id).where(
                        outcome_meetings.c.meeting_id.in_(held.scalar_subquery())
                    )
                ),
                Outcome.id.in_(
                    select(outcome_commitments.c.outcome_id).where(
                        outcome_commitments.c.commitment_id.in_(made_there.scalar_subquery())
                    )
                ),
            ),
        )
        .order_by(Outcome.id)
    ).all()
    if not linked:
        return []
    tree = session.execute(
        select(Outcome.id, Outcome.parent_id, Outcome.weight, Outcome.baseline, Outcome.target)
        .where(Outcome.collaboration_id == collaboration_id, Outcome.deleted_at.is_(None))
        .order_by(Outcome.id)
    ).all()
    latest = _latest_measurements(session, collaboration_id)
    progress = rolled_up(
        OutcomeNode(
            row.id,
            row.parent_id,
            row.weight,
            row.baseline,
            row.target,
            latest[row.id][1] if row.id in latest else None,
        )
        for row in tree
    )
    measured = _last_measured(
        [(row.id, row.parent_id) for row in tree],
        {outcome_id: day for outcome_id, (day, _) in latest.items()},
    )
    return [
        PublicOutcome(
            title=row.title,
            level=row.level,
            progress=progress[row.id],
            last_measured_on=measured.get(row.id),
        )
        for row in linked
    ]


def _latest_measurements(
    session: Session, collaboration_id: int
) -> dict[int, tuple[dt.date, float]]:
    """The latest live measurement (date, value) of every live outcome of a collaboration."""
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
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(
            Outcome.collaboration_id == collaboration_id,
            Outcome.deleted_at.is_(None),
            Measurement.deleted_at.is_(None),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.outcome_id, ranked.c.measured_on, ranked.c.value).where(ranked.c.rank == 1)
    )
    return {outcome_id: (measured_on, value) for outcome_id, measured_on, value in rows}


def _last_measured(
    tree: Sequence[tuple[int, int | None]], own: dict[int, dt.date]
) -> dict[int, dt.date]:
    """The latest measurement date of each outcome or any outcome below it.

    A parent's progress comes from its parts, so the date its figure stands at is the
    latest among them.

    >>> tree = [(1, None), (2, 1), (3, 1)]
    >>> _last_measured(tree, {2: dt.date(2021, 1, 1), 3: dt.date(2021, 5, 1)})[1]
    datetime.date(2021, 5, 1)
    """
    parents = dict(tree)
    latest: dict[int, dt.date] = {}
    for outcome_id, day in own.items():
        seen: set[int] = set()
        current: int | None = outcome_id
        while current is not None and current not in seen:
            seen.add(current)
            if current not in latest or latest[current] < day:
                latest[current] = day
            current = parents.get(current)
    return latest


# -- one meeting -------------------------------------------------------------------------


def meeting(session: Session, meeting_id: int) -> PublicMeeting:
    """A meeting of a published forum: at most 5 queries."""
    head = session.execute(
        select(
            Meeting.id,
            Meeting.title,
            Meeting.forum_id,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.mode,
            Meeting.location,
            Meeting.status,
            Meeting.agenda,
            Meeting.minutes,
            Meeting.minutes_circulated_on,
            Forum.name.label("forum"),
            Collaboration.name.label("collaboration"),
        )
        .join(Forum, Forum.id == Meeting.forum_id)
        .join(Collaboration, Collaboration.id == Forum.collaboration_id)
        .where(Meeting.id == meeting_id, Meeting.deleted_at.is_(None), published())
    ).one_or_none()
    if head is None:
        raise NotFound(Meeting.record_type, meeting_id)
    held = head.status is MeetingStatus.HELD
    published_minutes = minutes_published(head.status, head.minutes_circulated_on)
    minutes = head.minutes if published_minutes else ""
    decisions: list[PublicDecision] = []
    attended = 0
    organisations: list[str] = []
    commitments: list[PublicCommitment] = []
    if held:
        decisions = [
            PublicDecision(text=text, rationale=rationale, by_consensus=by_consensus)
            for text, rationale, by_consensus in session.execute(
                select(Decision.text, Decision.rationale, Decision.by_consensus)
                .where(Decision.meeting_id == meeting_id, Decision.deleted_at.is_(None))
                .order_by(Decision.id)
            )
        ]
        attended, organisations = _attendance(session, meeting_id)
        commitments, _ = _commitments(
            session, Commitment.meeting_id == meeting_id, limit=COMMITMENTS_SHOWN
        )
    return PublicMeeting(
        id=head.id,
        title=head.title,
        forum_id=head.forum_id,
        forum=head.forum,
        collaboration=head.collaboration,
        starts_at=head.starts_at,
        ends_at=head.ends_at,
        mode=head.mode,
        location=head.location,
        status=head.status,
        agenda=head.agenda if head.status is not MeetingStatus.CANCELLED else "",
        minutes_published=published_minutes,
        minutes_circulated_on=head.minutes_circulated_on if published_minutes else None,
        minutes_html=render_minutes(minutes),
        attended_count=attended,
        attending_organisations=organisations,
        decisions=decisions,
        commitments=commitments,
    )


def _attendance(session: Session, meeting_id: int) -> tuple[int, list[str]]:
    """How many attended, and the attending organisations' names (individuals only counted)."""
    rows = session.execute(
        select(Stakeholder.kind, Stakeholder.name, Stakeholder.deleted_at)
        .join(Attendance, Attendance.stakeholder_id == Stakeholder.id)
        .where(Attendance.meeting_id == meeting_id, Attendance.attended.is_(True))
    ).all()
    return len(rows), named_organisations(rows)


def named_organisations(rows: Iterable[Any]) -> list[str]:
    """Names of live attendees that are not individuals, sorted (``kind, name, deleted_at``)."""
    return sorted(
        (
            name
            for kind, name, deleted_at in rows
            if kind is not StakeholderKind.PERSON and deleted_at is None
        ),
        key=str.casefold,
    )
