"""A collaboration's meetings: the list (newest first, with filters), a page per meeting
with its minutes, attendance, decisions and what was promised and seen there, and the
edit / delete (with undo) forms. Logging a meeting is in ``meeting_log``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session, selectinload

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, field_errors, text
from api.pages.labels import N_
from api.pages.meeting_forms import (
    MAX_SEATS,
    Rows,
    combined,
    forum_choices,
    on_form,
    participants,
    people,
    row_count,
    seat_list,
    submitted_seats,
    when_input,
    when_values,
)
from api.pages.meeting_views import MeetingRow, meeting_rows, recorded_at
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, WebActorDep, kept_fragment, path_for, render, speaking
from governance import records
from governance.base import utcnow
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.meetings import service as meeting_service
from governance.meetings.minutes import render_minutes
from governance.meetings.models import Meeting
from governance.meetings.schemas import MeetingPatch, MeetingQuery
from governance.vocab import MeetingStatus

router = APIRouter()

FILTERS = ("forum_id", "status", "starts_from", "starts_to")
FIELDS = (
    "forum_id",
    "title",
    "date",
    "start_time",
    "end_time",
    "mode",
    "location",
    "agenda",
    "minutes",
    "minutes_circulated_on",
    "status",
)
SEAT_FIELDS = ("stakeholder_id", "role", "represented_by")
SEAT_BOXES = ("invited", "attended")


@router.get("/collaborations/{collaboration_id:int}/meetings", name="collaboration_meetings")
def meeting_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    forum_id: str | None = None,
    status: str | None = None,
    starts_from: str | None = None,
    starts_to: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """The meetings of a collaboration, newest first; invalid filters are named, not fatal."""
    collaboration = collaboration_service.get(session, collaboration_id)
    typed = {
        "forum_id": forum_id or "",
        "status": status or "",
        "starts_from": starts_from or "",
        "starts_to": starts_to or "",
    }
    filters: dict[str, Any] = {key: value for key, value in typed.items() if value.strip()}
    errors: dict[str, str] = {}
    try:
        MeetingQuery.model_validate(filters)
    except ValidationError as error:
        errors = field_errors(error, language)
        filters = {key: value for key, value in filters.items() if key not in errors}
    query = MeetingQuery.model_validate(filters)
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, params=typed)
    found = meeting_rows(
        session, collaboration_id, query, language.timezone, limit=pager.size, offset=pager.offset
    )
    pager = Pager(page=number, total=found.total, params=typed)
    return render(
        request,
        "meetings/list.html",
        {
            "collaboration": collaboration,
            "meetings": found.items,
            "table": meeting_table(request, language, found.items, now=utcnow()),
            "pager": pager,
            "filters": FormState(values=typed, errors=errors),
            "filtered": bool(filters),
            "forums": forum_choices(session, collaboration_id),
        },
        status_code=400 if errors else 200,
    )


def meeting_table(
    request: Request, language: Language, rows: Sequence[MeetingRow], *, now: dt.datetime
) -> Markup:
    """The table of a meeting list, rendered once for the same rows, language and late
    meetings (planned ones whose start has passed), whoever reads it."""
    late = frozenset(
        row.id for row in rows if row.status == MeetingStatus.PLANNED and row.starts_at < now
    )

    def make() -> Markup:
        environment: Environment = request.app.state.templates
        macros: Any = environment.get_template("meetings/_table.html").module
        with speaking(language, request):
            return Markup(macros.table(rows, late))  # noqa: S704 - our template's output

    return kept_fragment(request, ("meetings/_table.html", language.code, tuple(rows), late), make)


@router.get("/meetings/{meeting_id:int}", name="meeting_detail")
def meeting_detail(request: Request, session: SessionDep, meeting_id: RecordId) -> HTMLResponse:
    """A meeting with its minutes, attendance, decisions, commitments and trust events."""
    meeting = meeting_service.get(session, meeting_id)
    collaboration = collaboration_service.get(session, meeting.collaboration_id)
    return render(
        request,
        "meetings/detail.html",
        {
            "collaboration": collaboration,
            "meeting": meeting,
            "minutes": Markup(render_minutes(meeting.minutes)),  # noqa: S704 - sanitised HTML
            "recorded": recorded_at(session, meeting),
            "now": utcnow(),
        },
        section="collaboration_meetings",
    )


# -- editing ---------------------------------------------------------------------------


def typed_values(form: RawForm) -> dict[str, str]:
    """What the user typed, to show again."""
    values = {name: text(form, name) for name in FIELDS}
    values["rows.attendance"] = text(form, "rows.attendance")
    for index in range(row_count(values, "attendance", limit=MAX_SEATS)):
        for name in SEAT_FIELDS:
            values[f"attendance[{index}].{name}"] = text(form, f"attendance[{index}].{name}")
        for name in SEAT_BOXES:
            key = f"attendance[{index}].{name}"
            values[key] = "1" if text(form, key) else ""
    return values


def stored_values(meeting: Meeting, language: Language) -> dict[str, str]:
    """The form's values from the stored meeting and its attendance."""
    values = {
        "forum_id": str(meeting.forum_id),
        "title": meeting.title,
        "mode": meeting.mode.value,
        "location": meeting.location,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "minutes_circulated_on": (
            meeting.minutes_circulated_on.isoformat() if meeting.minutes_circulated_on else ""
        ),
        "status": meeting.status.value,
        "version": str(meeting.version),
    } | when_values(meeting.starts_at, meeting.ends_at, language.timezone)
    for index, seat in enumerate(meeting.attendance):
        values |= {
            f"attendance[{index}].stakeholder_id": str(seat.stakeholder_id),
            f"attendance[{index}].invited": "1" if seat.invited else "",
            f"attendance[{index}].attended": "1" if seat.attended else "",
            f"attendance[{index}].role": seat.role.value,
            f"attendance[{index}].represented_by": seat.represented_by,
        }
    values["rows.attendance"] = str(len(meeting.attendance))
    return values


def edit_input(
    values: dict[str, str], language: Language, version: int
) -> tuple[dict[str, Any], Rows, dict[str, str]]:
    """The patch from the form (the whole state: the service logs only what differs)."""
    when, errors = when_input(values, language.timezone, language)
    data: dict[str, Any] = {"version": version, "ends_at": None} | when
    for name in ("title", "location", "agenda", "minutes"):
        data[name] = values.get(name, "")
    for name in ("forum_id", "mode", "status"):
        if values.get(name, "").strip():
            data[name] = values[name]
    data["minutes_circulated_on"] = values.get("minutes_circulated_on", "").strip() or None
    attendance, positions = [], []
    for index in range(row_count(values, "attendance", limit=MAX_SEATS)):
        invited = values.get(f"attendance[{index}].invited") == "1"
        attended = values.get(f"attendance[{index}].attended") == "1"
        if not (invited or attended):
            continue
        row: dict[str, Any] = {
            "stakeholder_id": values.get(f"attendance[{index}].stakeholder_id", ""),
            "invited": invited,
            "attended": attended,
            "represented_by": values.get(f"attendance[{index}].represented_by", ""),
        }
        role = values.get(f"attendance[{index}].role", "")
        if role:
            row["role"] = role
        attendance.append(row)
        positions.append(index)
    data["attendance"] = attendance
    return data, Rows({"attendance": positions}), errors


def edit_page(
    request: Request,
    session: Session,
    collaboration: Collaboration,
    meeting: Meeting,
    state: FormState,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    everyone = participants(session, collaboration.id)
    first = submitted_seats(state.values)
    others = people(session, [i for i in first.values() if i not in {p.id for p in everyone}])
    seats = seat_list(everyone, first, others)
    for seat in seats:
        state.values.setdefault(f"attendance[{seat.index}].stakeholder_id", str(seat.person.id))
        state.values.setdefault(f"attendance[{seat.index}].role", "participant")
    state.values["rows.attendance"] = str(max((s.index for s in seats), default=-1) + 1)
    return render(
        request,
        "meetings/edit.html",
        {
            "collaboration": collaboration,
            "meeting": meeting,
            "form": state,
            "forums": forum_choices(session, collaboration.id),
            "seats": seats,
        },
        status_code=status_code,
        section="collaboration_meetings",
    )


@router.api_route(
    "/meetings/{meeting_id:int}/edit",
    methods=["GET", "POST"],
    name="meeting_edit",
    response_model=None,
)
def edit_meeting(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    meeting_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a meeting and its attendance; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        meeting = records.get(session, Meeting, meeting_id, options=_with_attendance())
        collaboration = collaboration_service.get(session, meeting.collaboration_id)
        state = FormState(values=stored_values(meeting, language))
        return edit_page(request, session, collaboration, meeting, state)
    meeting = meeting_service.get(session, meeting_id, include_deleted=True)
    collaboration = collaboration_service.get(session, meeting.collaboration_id)
    values = typed_values(form) | {"version": text(form, "version")}
    data, rows, page_errors = edit_input(values, language, editing.form_version(form) or 1)
    valid, schema_errors = editing.validated(MeetingPatch, data, language)
    errors = combined(page_errors, schema_errors, rows)
    result = editing.update(
        session,
        record=meeting,
        form=form,
        values=values,
        valid=valid,
        errors=errors,
        save=lambda record, patch, version: meeting_service.update(
            session, record=record, data=patch.model_copy(update={"version": version}), actor=actor
        ),
        reload=lambda: meeting_service.get(session, meeting_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "meeting_detail", meeting_id=meeting_id),
            notices.Notice(N_("Meeting “%(title)s” saved."), {"title": result.record.title}),
        )
    state = result.state
    state.errors = on_form(state.errors, rows)
    state.changes = {
        {"starts_at": "date", "ends_at": "end_time"}.get(name, name): change
        for name, change in state.changes.items()
    }
    return edit_page(
        request, session, collaboration, meeting, state, status_code=result.status_code
    )


def _with_attendance() -> list[Any]:
    return [selectinload(Meeting.attendance)]


@router.post("/meetings/{meeting_id:int}/delete", name="meeting_delete")
def delete_meeting(
    request: Request, session: SessionDep, actor: WebActorDep, meeting_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the list offers to undo it."""
    meeting = meeting_service.get(session, meeting_id)
    records.soft_delete(session, meeting, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_meetings", collaboration_id=meeting.collaboration_id),
        notices.Notice(
            N_("Meeting “%(title)s” deleted."),
            {"title": meeting.title},
            undo=path_for(request, "meeting_restore", meeting_id=meeting_id),
        ),
    )


@router.post("/meetings/{meeting_id:int}/restore", name="meeting_restore")
def restore_meeting(
    request: Request, session: SessionDep, actor: WebActorDep, meeting_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    meeting = meeting_service.get(session, meeting_id, include_deleted=True)
    restore_with(meeting_service, session, meeting, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "meeting_detail", meeting_id=meeting_id),
        notices.Notice(N_("Meeting “%(title)s” restored."), {"title": meeting.title}),
    )
