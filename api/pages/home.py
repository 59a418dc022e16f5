"""The home page: every collaboration, with its meetings and open commitments at a glance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.pages.paging import Pager, page_number
from api.web import render
from governance.base import utcnow
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.collaborations.schemas import CollaborationQuery
from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.meetings.models import Meeting
from governance.vocab import MeetingStatus

router = APIRouter()

HOME_PAGE_SIZE = 20


@dataclass(frozen=True)
class CollaborationSummary:
    collaboration: Collaboration
    meetings: int = 0
    last_meeting: dt.datetime | None = None
    next_meeting: dt.datetime | None = None
    open_commitments: int = 0
    overdue_commitments: int = 0


@router.get("/", name="home")
def home(request: Request, session: SessionDep, page: str | None = None) -> HTMLResponse:
    """Collaborations by name; four queries whatever their number."""
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, size=HOME_PAGE_SIZE)
    found = collaboration_service.search(
        session, query=CollaborationQuery(limit=pager.size, offset=pager.offset)
    )
    pager = Pager(page=number, total=found.total, size=HOME_PAGE_SIZE)
    return render(
        request,
        "home.html",
        {"summaries": summarise(session, found.items), "pager": pager},
    )


def summarise(
    session: Session, collaborations: Sequence[Collaboration]
) -> list[CollaborationSummary]:
    """Meeting and commitment figures of each collaboration, in two grouped queries."""
    ids = [collaboration.id for collaboration in collaborations]
    if not ids:
        return []
    now = utcnow()
    meetings = {
        row.collaboration_id: row
        for row in session.execute(
            select(
                Meeting.collaboration_id,
                func.count(Meeting.id).label("total"),
                func.max(
                    case(
                        (
                            and_(Meeting.status == MeetingStatus.HELD, Meeting.starts_at <= now),
                            Meeting.starts_at,
                        )
                    )
                ).label("last"),
                func.min(
                    case(
                        (
                            and_(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= now),
                            Meeting.starts_at,
                        )
                    )
                ).label("next"),
            )
            .where(Meeting.collaboration_id.in_(ids), Meeting.deleted_at.is_(None))
            .group_by(Meeting.collaboration_id)
        )
    }
    overdue = commitment_service.overdue_clause(commitment_service.today())
    commitments = {
        row.collaboration_id: row
        for row in session.execute(
            select(
                Commitment.collaboration_id,
                func.count(Commitment.id).label("open"),
                func.sum(case((overdue, 1), else_=0)).label("overdue"),
            )
            .where(
                Commitment.collaboration_id.in_(ids),
                Commitment.deleted_at.is_(None),
                Commitment.status.in_(commitment_service.ACTIVE),
            )
            .group_by(Commitment.collaboration_id)
        )
    }
    summaries = []
    for collaboration in collaborations:
        held = meetings.get(collaboration.id)
        owed = commitments.get(collaboration.id)
        summaries.append(
            CollaborationSummary(
                collaboration=collaboration,
                meetings=held.total if held else 0,
                last_meeting=held.last if held else None,
                next_meeting=held.next if held else None,
                open_commitments=owed.open if owed else 0,
                overdue_commitments=int(owed.overdue or 0) if owed else 0,
            )
        )
    return summaries
