"""The meeting log: one page on which a secretary records a whole meeting, often on a
phone right after it — or schedules one ahead and completes it afterwards.

The form has the meeting's fields, the attendance checklist of every participant,
newcomer rows, the minutes (with a preview), and rows of decisions, commitments and
trust events. Blank rows are ignored. Without JavaScript, "Add more rows" and
"Preview" are submit buttons that show the same form again with everything kept;
"Save" writes it all in one transaction (``governance.meetings.log``) or shows the
form again (400) with every error beside its field and nothing saved.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.changes import changes_since
from api.pages.forms import FormDep, FormState, text
from api.pages.labels import N_
from api.pages.meeting_forms import (
    combined,
    forum_choices,
    on_form,
    participants,
    people,
    seat_list,
    stakeholder_choices,
    submitted_seats,
    translated,
)
from api.pages.meeting_log_form import (
    MAX_ROWS,
    SECTIONS,
    action_of,
    blank_log,
    count_rows,
    every_problem,
    log_input,
    planned_values,
    rerender,
    summary_labels,
    typed_values,
    validated,
)
from api.web import LanguageDep, WebActorDep, path_for, render
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.errors import Conflict, Invalid
from governance.meetings import log as log_service
from governance.meetings import service as meeting_service
from governance.meetings.minutes import render_minutes
from governance.meetings.models import Meeting
from governance.vocab import MeetingStatus

router = APIRouter()


def log_page(
    request: Request,
    session: Session,
    language: Language,
    collaboration: Collaboration,
    state: FormState,
    *,
    meeting: Meeting | None = None,
    preview: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The log form with the collaboration's participants and the rows as they stand."""
    values = state.values
    everyone = participants(session, collaboration.id)
    first = submitted_seats(values)
    others = people(session, [i for i in first.values() if i not in {p.id for p in everyone}])
    seats = seat_list(everyone, first, others)
    for seat in seats:
        values.setdefault(f"attendance[{seat.index}].stakeholder_id", str(seat.person.id))
        values.setdefault(f"attendance[{seat.index}].role", "participant")
    values["rows.attendance"] = str(max((seat.index for seat in seats), default=-1) + 1)
    counts = {section: count_rows(values, section) for section in SECTIONS}
    newcomers = [
        (index, values.get(f"newcomers[{index}].name", "")) for index in range(counts["newcomers"])
    ]
    return render(
        request,
        "meetings/log.html",
        {
            "collaboration": collaboration,
            "meeting": meeting,
            "form": state,
            "forums": forum_choices(session, collaboration.id),
            "seats": seats,
            "choices": stakeholder_choices(everyone, newcomers, language),
            "counts": counts,
            "preview": Markup(render_minutes(preview)) if preview is not None else None,  # noqa: S704 - sanitised
            "max_rows": MAX_ROWS,
            "summary_labels": summary_labels(language, [*state.errors, *state.changes]),
        },
        status_code=status_code,
        section="collaboration_meetings",
    )


# -- the routes ------------------------------------------------------------------------


@router.api_route(
    "/collaborations/{collaboration_id:int}/meetings/log",
    methods=["GET", "POST"],
    name="meeting_log",
    response_model=None,
)
def meeting_log(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
    status: str | None = None,
) -> HTMLResponse | RedirectResponse:
    """Log a held meeting, or schedule a planned one, with everything recorded at it."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        forums = forum_choices(session, collaboration_id)
        values = blank_log(session, collaboration_id, language, forums)
        if status == MeetingStatus.PLANNED:
            values["status"] = MeetingStatus.PLANNED.value
            values.pop("date")
        return log_page(request, session, language, collaboration, FormState(values=values))
    values = typed_values(form)
    action = action_of(form)
    if action != "save":
        preview = rerender(values, action)
        state = FormState(values=values)
        return log_page(request, session, language, collaboration, state, preview=preview)
    status_typed = values.get("status") or MeetingStatus.HELD.value
    data, rows, errors = log_input(values, language, status=status_typed)
    valid, schema_errors = validated(data, language)
    errors = combined(errors, schema_errors, rows)
    if errors:
        errors = every_problem(
            errors,
            data,
            schema_errors,
            rows,
            language,
            lambda entry: log_service.check(
                session, collaboration_id=collaboration_id, data=entry, actor=actor
            ),
        )
    elif valid is not None:
        try:
            logged = log_service.log(
                session, collaboration_id=collaboration_id, data=valid, actor=actor
            )
        except Invalid as error:
            errors = on_form(translated(error, language), rows)
        else:
            session.commit()
            message = (
                N_("Meeting “%(title)s” scheduled.")
                if logged.meeting.status is MeetingStatus.PLANNED
                else N_("Meeting “%(title)s” logged.")
            )
            return notices.redirect(
                request,
                path_for(request, "meeting_detail", meeting_id=logged.meeting.id),
                notices.Notice(message, {"title": logged.meeting.title}),
            )
    state = FormState(values=values, errors=errors)
    return log_page(request, session, language, collaboration, state, status_code=400)


@router.api_route(
    "/meetings/{meeting_id:int}/complete",
    methods=["GET", "POST"],
    name="meeting_complete",
    response_model=None,
)
def meeting_complete(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    meeting_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Log a planned meeting once it was held: the same form, with the plan filled in."""
    meeting = meeting_service.get(session, meeting_id, include_deleted=request.method == "POST")
    collaboration = collaboration_service.get(session, meeting.collaboration_id)
    if request.method == "GET":
        if meeting.status is not MeetingStatus.PLANNED:
            return _already_logged(request, meeting)
        state = FormState(values=planned_values(session, meeting, language))
        return log_page(request, session, language, collaboration, state, meeting=meeting)
    values = typed_values(form) | {"version": text(form, "version")}
    values["status"] = MeetingStatus.HELD.value
    action = action_of(form)
    if action != "save":
        preview = rerender(values, action)
        state = FormState(values=values)
        return log_page(
            request, session, language, collaboration, state, meeting=meeting, preview=preview
        )
    state = FormState(values=values)
    version = editing.form_version(form)
    if meeting.is_deleted:
        state.problems.append(
            language.gettext(N_("This record was deleted meanwhile. Restore it to edit it again."))
        )
        return log_page(
            request, session, language, collaboration, state, meeting=meeting, status_code=409
        )
    if version is None or version != meeting.version:
        return _stale(request, session, language, collaboration, meeting, version, state)
    data, rows, errors = log_input(values, language, status=MeetingStatus.HELD.value)
    valid, schema_errors = validated(data, language)
    state.errors = combined(errors, schema_errors, rows)
    if state.errors:
        state.errors = every_problem(
            state.errors,
            data,
            schema_errors,
            rows,
            language,
            lambda entry: log_service.check(
                session,
                collaboration_id=meeting.collaboration_id,
                data=entry.model_copy(update={"status": MeetingStatus.HELD}),
                actor=actor,
                completing=(meeting, version),
            ),
        )
    elif valid is not None:
        try:
            logged = log_service.complete(
                session, meeting=meeting, data=valid, version=version, actor=actor
            )
        except Invalid as error:
            state.errors = on_form(translated(error, language), rows)
        except Conflict:
            session.rollback()
            meeting = meeting_service.get(session, meeting_id, include_deleted=True)
            return _stale(request, session, language, collaboration, meeting, version, state)
        else:
            session.commit()
            return notices.redirect(
                request,
                path_for(request, "meeting_detail", meeting_id=meeting_id),
                notices.Notice(N_("Meeting “%(title)s” logged."), {"title": logged.meeting.title}),
            )
    return log_page(
        request, session, language, collaboration, state, meeting=meeting, status_code=400
    )


def _stale(
    request: Request,
    session: Session,
    language: Language,
    collaboration: Collaboration,
    meeting: Meeting,
    version: int | None,
    state: FormState,
) -> HTMLResponse:
    """The meeting changed since the form was loaded: show what changed; save nothing."""
    if version is None:
        state.problems.append(
            language.gettext(
                N_("The form was missing its version; check the values and save again.")
            )
        )
        status_code = 400
    else:
        changes = changes_since(session, meeting, version)
        state.changes = {
            {"starts_at": "date", "ends_at": "end_time"}.get(name, name): change
            for name, change in changes.items()
        }
        if not state.changes:
            state.problems.append(
                language.gettext(
                    N_("This record was changed meanwhile; check the values and save again.")
                )
            )
        status_code = 409
    state.values["version"] = str(meeting.version)
    return log_page(
        request, session, language, collaboration, state, meeting=meeting, status_code=status_code
    )


def _already_logged(request: Request, meeting: Meeting) -> RedirectResponse:
    return notices.redirect(
        request,
        path_for(request, "meeting_detail", meeting_id=meeting.id),
        notices.Notice(N_("Meeting “%(title)s” is already logged."), {"title": meeting.title}),
    )
