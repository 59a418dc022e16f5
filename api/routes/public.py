"""The public transparency API: published forums, their meetings and what came of them.

Anyone may call it, without a token; it reads only what :mod:`governance.public`
publishes. A forum or meeting that is not published answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import Access
from api.deps import RecordId, SessionDep
from api.errors import ErrorBody
from governance.public import queries
from governance.public.schemas import PublicForum, PublicForumSummary, PublicMeeting
from governance.records import DEFAULT_LIMIT, MAX_LIMIT
from governance.schemas import PageOut

ACCESS = Access.PUBLIC

router = APIRouter(prefix="/public", tags=["public"])

_NOT_PUBLISHED: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such forum or meeting, or it is not published"}
}


@router.get("/forums", response_model=PageOut[PublicForumSummary])
def list_public_forums(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """The published forums, by collaboration and name, with their meeting schedule."""
    page = queries.published_forums(session, limit=limit, offset=offset)
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


@router.get("/forums/{forum_id}", response_model=PublicForum, responses=_NOT_PUBLISHED)
def get_public_forum(session: SessionDep, forum_id: RecordId) -> PublicForum:
    """A published forum with its meetings, the commitments made there and outcome progress."""
    return queries.forum(session, forum_id)


@router.get("/meetings/{meeting_id}", response_model=PublicMeeting, responses=_NOT_PUBLISHED)
def get_public_meeting(session: SessionDep, meeting_id: RecordId) -> PublicMeeting:
    """A meeting of a published forum: published minutes, decisions, commitments made."""
    return queries.meeting(session, meeting_id)
