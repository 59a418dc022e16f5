"""The public transparency pages: published forums, their meetings, minutes, decisions,
commitments and outcome progress, for anyone, signed in or not.

Everything shown comes from :mod:`governance.public`, which reads only what a published
forum makes public (its docstring states the rules). A forum or meeting that is not
published answers 404, the same page as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.auth import Access
from api.deps import RecordId, SessionDep
from api.pages.paging import Pager, page_number
from api.web import render
from governance.public import queries
from governance.public.schemas import PublicCommitment, PublicMeetingSummary
from governance.vocab import CommitmentStatus, MeetingStatus

ACCESS = Access.PUBLIC

router = APIRouter()

#: Published forums per page of the list.
FORUMS_PER_PAGE = 20


@dataclass(frozen=True)
class StatusGroup:
    """The commitments in one status, the overdue first."""

    status: CommitmentStatus
    commitments: list[PublicCommitment]

    @property
    def overdue(self) -> int:
        return sum(1 for commitment in self.commitments if commitment.overdue)


def by_status(commitments: Sequence[PublicCommitment]) -> list[StatusGroup]:
    """Non-empty groups in the vocabulary's order (open first); within one, the overdue
    first (longest late leading), then by due date, undated last."""
    groups: dict[CommitmentStatus, list[PublicCommitment]] = {s: [] for s in CommitmentStatus}
    for commitment in commitments:
        groups[commitment.status].append(commitment)

    def order(commitment: PublicCommitment) -> tuple[int, int, dt.date]:
        late = commitment.days_late or 0
        return (0 if commitment.overdue else 1, -late, commitment.due_on or dt.date.max)

    return [
        StatusGroup(status, sorted(items, key=order)) for status, items in groups.items() if items
    ]


def split_meetings(
    meetings: Sequence[PublicMeetingSummary],
) -> tuple[list[PublicMeetingSummary], list[PublicMeetingSummary]]:
    """Planned meetings (soonest first), and the others (held or cancelled, newest first)."""
    planned = [m for m in meetings if m.status == MeetingStatus.PLANNED]
    others = [m for m in meetings if m.status != MeetingStatus.PLANNED]
    return sorted(planned, key=lambda m: (m.starts_at, m.id)), others


@router.get("/public", name="public_home")
def public_home(request: Request, session: SessionDep, page: str | None = None) -> HTMLResponse:
    """The published forums, by collaboration: two queries whatever their number."""
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, size=FORUMS_PER_PAGE)
    found = queries.published_forums(session, limit=pager.size, offset=pager.offset)
    pager = Pager(page=number, total=found.total, size=FORUMS_PER_PAGE)
    return render(
        request,
        "public/home.html",
        {"forums": found.items, "pager": pager},
        section="public_home",
    )


@router.get("/public/forums/{forum_id:int}", name="public_forum")
def public_forum(request: Request, session: SessionDep, forum_id: RecordId) -> HTMLResponse:
    """A published forum: its schedule, meetings, commitments by status, outcome progress."""
    forum = queries.forum(session, forum_id)
    planned, past = split_meetings(forum.meetings)
    return render(
        request,
        "public/forum.html",
        {
            "forum": forum,
            "planned": planned,
            "past": past,
            "groups": by_status(forum.commitments),
        },
        section="public_home",
    )


@router.get("/public/meetings/{meeting_id:int}", name="public_meeting")
def public_meeting(request: Request, session: SessionDep, meeting_id: RecordId) -> HTMLResponse:
    """A meeting of a published forum: published minutes, decisions, commitments made."""
    meeting = queries.meeting(session, meeting_id)
    return render(
        request,
        "public/meeting.html",
        {
            "meeting": meeting,
            "minutes": Markup(meeting.minutes_html),  # noqa: S704 - rendered and sanitised
            "groups": by_status(meeting.commitments),
        },
        section="public_home",
    )
