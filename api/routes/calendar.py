"""A collaboration's calendar feed (iCalendar), for phone calendars to subscribe to."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance import calendar
from governance.collaborations import service as collaboration_service

router = APIRouter(prefix="/collaborations", tags=["collaborations"])

MEDIA_TYPE = "text/calendar; charset=utf-8"


@router.get(
    "/{record_id}/calendar.ics",
    response_class=Response,
    summary="The collaboration's meetings and commitment due dates as an iCalendar feed",
    description=(
        "RFC 5545. Meetings are timed events in UTC (cancelled ones with STATUS:CANCELLED); "
        "commitments still open or in progress are all-day events on their due date. "
        "UIDs are stable, so a subscribed calendar updates events in place."
    ),
    operation_id="get_collaboration_calendar",
    responses={
        200: {
            "description": "The iCalendar document",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        },
        404: ERROR_RESPONSES[404],
        422: ERROR_RESPONSES[422],
    },
)
def get_calendar(session: SessionDep, record_id: RecordId) -> Response:
    collaboration = collaboration_service.get(session, record_id)
    data = calendar.load_calendar(session, collaboration=collaboration)
    return Response(
        content=calendar.build_calendar(data),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{calendar.filename(data)}"'},
    )
