"""A collaboration's dashboard: next and last meetings, overdue commitments, outcome
progress, the trust timeline and recent changes — in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel import dates
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages.changes import RecentChange, recent_changes
from api.pages.charts import TrustPoint, trust_timeline
from api.pages.labels import label_id
from api.web import LanguageDep, render, speaking
from governance.base import utcnow
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Meeting
from governance.outcomes import service as outcome_service
from governance.outcomes.schemas import OutcomeQuery, OutcomeRead
from governance.participations.models import Participation
from governance.records import MAX_LIMIT
from governance.revision import RevisionCache
from governance.stakeholders.sides import two_sides
from governance.trust.models import TrustEvent
from governance.vocab import (
    CommitmentStatus,
    MeetingMode,
    MeetingStatus,
    TrustEventKind,
    Valence,
)

router = APIRouter()

#: How many overdue commitments the dashboard lists (the count shows them all).
OVERDUE_SHOWN = 8
#: The trust timeline draws at most this many events, the latest ones.
TRUST_EVENTS_DRAWN = 300
#: Its table lists the latest of them only (a row costs far more than a mark); the
#: collaboration's trust page lists them all.
TRUST_EVENTS_LISTED = 20
#: The macros that draw the panels every viewer sees alike.
PANELS_TEMPLATE = "collaborations/_dashboard_panels.html"


@dataclass(frozen=True)
class Figures:
    forums: int
    meetings_held: int
    participants: int
    open_commitments: int
    overdue_commitments: int


@dataclass(frozen=True)
class MeetingGlance:
    id: int
    title: str
    forum: str
    starts_at: dt.datetime
    mode: MeetingMode
    location: str
    status: MeetingStatus
    attended: int


@dataclass(frozen=True)
class OverdueCommitment:
    id: int
    description: str
    owner_id: int
    owner: str
    counterpart_id: int | None
    counterpart: str | None
    due_on: dt.date
    status: CommitmentStatus
    days_late: int


@dataclass(frozen=True)
class OutcomeLine:
    outcome: OutcomeRead
    depth: int


@dataclass(frozen=True)
class TrustRow:
    id: int
    occurred_on: dt.date
    actor_id: int
    actor: str
    target_id: int | None
    target: str | None
    kind: TrustEventKind
    valence: Valence
    severity: int
    description: str


@dataclass(frozen=True)
class Derived:
    """What the dashboard shows that the data and the day alone decide: the same for
    every viewer."""

    figures: Figures
    overdue: tuple[OverdueCommitment, ...]
    outcomes: tuple[OutcomeLine, ...]
    outcomes_total: int
    #: The latest trust events, oldest first, as the chart draws them.
    trust: tuple[TrustRow, ...]
    changes: tuple[RecentChange, ...]


@dataclass(frozen=True)
class Panels:
    """The dashboard's panels rendered once for every viewer who reads the page in one
    language: they hold no form and nothing that depends on the viewer's role."""

    overdue: Markup
    outcomes: Markup
    trust: Markup


@dataclass(frozen=True)
class Parts:
    """What a dashboard keeps per data revision: its data, and its panels as rendered."""

    derived: Derived
    panels: Panels


#: The dashboards' parts per (collaboration, day, language) and data revision: counting
#: 20,000 commitments, rolling up outcome progress, reading the audit log and drawing
#: 300 trust events took nearly all of a dashboard's time, and a dashboard is read far
#: more often than the data change.
_PARTS: RevisionCache[tuple[int, dt.date, str], Parts] = RevisionCache(size=16)


@router.get("/collaborations/{collaboration_id:int}", name="collaboration_dashboard")
def dashboard(
    request: Request, session: SessionDep, language: LanguageDep, collaboration_id: RecordId
) -> HTMLResponse:
    """Where the collaboration stands today."""
    collaboration = collaboration_service.get(session, collaboration_id)
    today = commitment_service.today()
    now = utcnow()

    def compute() -> Parts:
        derived = derive(session, collaboration_id, today=today)
        return Parts(derived, panels(request, language, collaboration, derived))

    parts = _PARTS.get_or_compute(session, (collaboration_id, today, language.code), compute)
    return render(
        request,
        "collaborations/dashboard.html",
        {
            "collaboration": collaboration,
            "figures": parts.derived.figures,
            "next_meeting": _meeting_glance(session, collaboration_id, upcoming=True, now=now),
            "last_meeting": _meeting_glance(session, collaboration_id, upcoming=False, now=now),
            "panels": parts.panels,
            "changes": parts.derived.changes,
        },
    )


def derive(session: Session, collaboration_id: int, *, today: dt.date) -> Derived:
    """The dashboard's figures and lists, read from the database."""
    outcomes, outcomes_total = outcome_page(session, collaboration_id, limit=DASHBOARD_OUTCOMES)
    return Derived(
        figures=figures(session, collaboration_id, today=today),
        overdue=tuple(overdue_commitments(session, collaboration_id, today=today)),
        outcomes=tuple(outcomes),
        outcomes_total=outcomes_total,
        trust=tuple(trust_rows(session, collaboration_id)),
        changes=tuple(recent_changes(session, collaboration_id)),
    )


def panels(
    request: Request, language: Language, collaboration: Collaboration, derived: Derived
) -> Panels:
    """The overdue commitments, the outcome progress and the trust timeline, rendered in
    ``language`` by the macros of ``collaborations/_dashboard_panels.html``."""
    environment: Environment = request.app.state.templates
    macros: Any = environment.get_template(PANELS_TEMPLATE).module  # its macros, by name
    trust = derived.trust
    chart = trust_timeline(
        [
            TrustPoint(
                row.occurred_on,
                row.valence is Valence.POSITIVE,
                row.severity,
                _trust_label(language, row),
            )
            for row in trust
        ]
    )
    with speaking(language, request):
        return Panels(
            overdue=macros.overdue_panel(derived.overdue, derived.figures),
            outcomes=macros.outcomes_panel(collaboration, derived.outcomes, derived.outcomes_total),
            trust=macros.trust_panel(
                collaboration,
                chart,
                trust[-TRUST_EVENTS_LISTED:],
                len(trust) > TRUST_EVENTS_LISTED,
            ),
        )


def figures(session: Session, collaboration_id: int, *, today: dt.date) -> Figures:
    """The collaboration's counts in one query."""
    live_commitments = (Commitment.collaboration_id == collaboration_id) & (
        Commitment.deleted_at.is_(None)
    )
    forums = select(func.count(Forum.id)).where(
        Forum.collaboration_id == collaboration_id, Forum.deleted_at.is_(None)
    )
    held = select(func.count(Meeting.id)).where(
        Meeting.collaboration_id == collaboration_id,
        Meeting.deleted_at.is_(None),
        Meeting.status == MeetingStatus.HELD,
    )
    participants = select(func.count(Participation.id)).where(
        Participation.collaboration_id == collaboration_id, Participation.deleted_at.is_(None)
    )
    active = select(func.count(Commitment.id)).where(
        live_commitments, Commitment.status.in_(commitment_service.ACTIVE)
    )
    overdue = select(func.count(Commitment.id)).where(
        live_commitments, commitment_service.overdue_clause(today)
    )
    row = session.execute(
        select(
            forums.scalar_subquery(),
            held.scalar_subquery(),
            participants.scalar_subquery(),
            active.scalar_subquery(),
            overdue.scalar_subquery(),
        )
    ).one()
    return Figures(*(int(value or 0) for value in row))


# The next and the last meeting: built once, with the collaboration and the time as
# bound parameters, reading columns (building them afresh took longer than running them).
_COLLABORATION = bindparam("collaboration_id", type_=Integer)
_NOW = bindparam("now", type_=Meeting.starts_at.type)
_ATTENDED = (
    select(func.count(Attendance.id))
    .where(Attendance.meeting_id == Meeting.id, Attendance.attended.is_(True))
    .correlate(Meeting)
    .scalar_subquery()
)
_GLANCE = (
    select(
        Meeting.id,
        Meeting.title,
        Forum.name,
        Meeting.starts_at,
        Meeting.mode,
        Meeting.location,
        Meeting.status,
        _ATTENDED,
    )
    .join(Forum, Forum.id == Meeting.forum_id)
    .where(Meeting.collaboration_id == _COLLABORATION, Meeting.deleted_at.is_(None))
)
_NEXT_MEETING = (
    _GLANCE.where(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= _NOW)
    .order_by(Meeting.starts_at, Meeting.id)
    .limit(1)
)
_LAST_MEETING = (
    _GLANCE.where(Meeting.status == MeetingStatus.HELD, Meeting.starts_at <= _NOW)
    .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    .limit(1)
)


def _meeting_glance(
    session: Session, collaboration_id: int, *, upcoming: bool, now: dt.datetime
) -> MeetingGlance | None:
    """The next planned meeting (``upcoming``), or the last one held, as of ``now``."""
    statement = _NEXT_MEETING if upcoming else _LAST_MEETING
    row = session.execute(statement, {"collaboration_id": collaboration_id, "now": now}).first()
    if row is None:
        return None
    meeting_id, title, forum, starts_at, mode, location, status, attended = row
    return MeetingGlance(
        id=meeting_id,
        title=title,
        forum=forum,
        starts_at=starts_at,
        mode=mode,
        location=location,
        status=status,
        attended=int(attended or 0),
    )


def overdue_commitments(
    session: Session, collaboration_id: int, *, today: dt.date
) -> list[OverdueCommitment]:
    """The most overdue commitments first, with the names of both sides, in one query."""
    owner, counterpart = two_sides()
    rows = session.execute(
        select(Commitment, owner.name, counterpart.name)
        .join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .where(
            Commitment.collaboration_id == collaboration_id,
            Commitment.deleted_at.is_(None),
            commitment_service.overdue_clause(today),
        )
        .order_by(Commitment.due_on, Commitment.id)
        .limit(OVERDUE_SHOWN)
    ).all()
    found = []
    for commitment, owner_name, counterpart_name in rows:
        assert commitment.due_on is not None  # the overdue clause requires a due date
        found.append(
            OverdueCommitment(
                id=commitment.id,
                description=commitment.description,
                owner_id=commitment.owner_id,
                owner=owner_name,
                counterpart_id=commitment.counterpart_id,
                counterpart=counterpart_name,
                due_on=commitment.due_on,
                status=commitment.status,
                days_late=(today - commitment.due_on).days,
            )
        )
    return found


#: Outcomes the dashboard shows (the first in id order, parents before their children);
#: a case with more links to its outcomes page, so the dashboard stays quick at any size.
DASHBOARD_OUTCOMES = 25


def outcome_lines(
    session: Session, collaboration_id: int, *, limit: int = MAX_LIMIT
) -> list[OutcomeLine]:
    """The outcome tree in reading order (each parent before its children), with progress;
    at most ``limit`` outcomes."""
    return outcome_page(session, collaboration_id, limit=limit)[0]


def outcome_page(
    session: Session, collaboration_id: int, *, limit: int
) -> tuple[list[OutcomeLine], int]:
    """:func:`outcome_lines`, and how many live outcomes the collaboration has in all."""
    page = outcome_service.search(
        session, query=OutcomeQuery(collaboration_id=collaboration_id, limit=limit)
    )
    return tree_order(outcome_service.present(session, page.items)), page.total


def tree_order(outcomes: Sequence[OutcomeRead]) -> list[OutcomeLine]:
    """Roots first, each followed by its descendants, depth-first, by id among siblings."""
    by_id = {outcome.id: outcome for outcome in outcomes}
    lines: list[OutcomeLine] = []
    seen: set[int] = set()

    def visit(outcome: OutcomeRead, depth: int) -> None:
        if outcome.id in seen:
            return
        seen.add(outcome.id)
        lines.append(OutcomeLine(outcome, depth))
        for child_id in sorted(outcome.children_ids):
            if child_id in by_id:
                visit(by_id[child_id], depth + 1)

    for outcome in sorted(outcomes, key=lambda o: o.id):
        if outcome.parent_id is None or outcome.parent_id not in by_id:
            visit(outcome, 0)
    for outcome in outcomes:  # a cycle cannot happen, but nothing may go missing
        visit(outcome, 0)
    return lines


def trust_rows(session: Session, collaboration_id: int) -> list[TrustRow]:
    """The latest trust events, oldest first, with actor and target names, in one query."""
    actor, target = two_sides()
    rows = session.execute(
        select(TrustEvent, actor.name, target.name)
        .join(actor, actor.id == TrustEvent.actor_id)
        .outerjoin(target, target.id == TrustEvent.target_id)
        .where(TrustEvent.collaboration_id == collaboration_id, TrustEvent.deleted_at.is_(None))
        .order_by(TrustEvent.occurred_on.desc(), TrustEvent.id.desc())
        .limit(TRUST_EVENTS_DRAWN)
    ).all()
    return [
        TrustRow(
            id=event.id,
            occurred_on=event.occurred_on,
            actor_id=event.actor_id,
            actor=actor_name,
            target_id=event.target_id,
            target=target_name,
            kind=event.kind,
            valence=event.valence,
            severity=event.severity,
            description=event.description,
        )
        for event, actor_name, target_name in reversed(rows)
    ]


def _trust_label(language: Language, row: TrustRow) -> str:
    """The tooltip of a marker: date, what happened, who, and how severe."""
    day = dates.format_date(row.occurred_on, "medium", locale=language.locale)
    kind = language.gettext(label_id("trust_event_kind", row.kind))
    return f"{day} · {kind} · {row.actor} · {row.severity}/3"
