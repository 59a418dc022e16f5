"""A collaboration's forums: the list with each forum's design at a glance, a page per
forum (purpose, convener, design, the six criteria with their evidence, ground rules,
meetings), and the create / edit / delete (with undo) forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.editing import Refused, Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, text
from api.pages.labels import N_
from api.pages.meeting_forms import participants, people
from api.pages.meeting_views import forum_meetings
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.forums import service as forum_service
from governance.forums.models import Forum
from governance.forums.schemas import ForumCreate, ForumPatch, ForumQuery, ForumRead
from governance.meetings.models import Meeting
from governance.records import MAX_LIMIT
from governance.vocab import Criterion, GroundRule, MeetingStatus

router = APIRouter()

FIELDS = (
    "name",
    "purpose",
    "convener_id",
    "facilitator_id",
    "established_on",
    "closed_on",
    "inclusiveness",
    "decision_rule",
)
#: The forum's latest meetings on its page (the total is shown).
MEETINGS_SHOWN = 50


def rating_field(criterion: Criterion) -> str:
    return f"criteria.{criterion.value}.rating"


def note_field(criterion: Criterion) -> str:
    return f"criteria.{criterion.value}.note"


def typed_values(form: RawForm) -> dict[str, str]:
    """What the user typed, to show again."""
    values = {name: text(form, name) for name in FIELDS}
    values["public"] = "1" if text(form, "public") else ""
    for rule in GroundRule:
        values[f"ground_rules.{rule.value}"] = (
            "1" if text(form, f"ground_rules.{rule.value}") else ""
        )
    for criterion in Criterion:
        values[rating_field(criterion)] = text(form, rating_field(criterion))
        values[note_field(criterion)] = text(form, note_field(criterion))
    return values


def stored_values(forum: ForumRead) -> dict[str, str]:
    """The form's values from the stored forum."""
    values = {
        "name": forum.name,
        "purpose": forum.purpose,
        "convener_id": str(forum.convener_id or ""),
        "facilitator_id": str(forum.facilitator_id or ""),
        "established_on": forum.established_on.isoformat() if forum.established_on else "",
        "closed_on": forum.closed_on.isoformat() if forum.closed_on else "",
        "inclusiveness": forum.inclusiveness.value,
        "decision_rule": forum.decision_rule.value,
        "public": "1" if forum.public else "",
        "version": str(forum.version),
    }
    for rule, has in forum.ground_rules.model_dump().items():
        values[f"ground_rules.{rule}"] = "1" if has else ""
    for item in forum.criteria:
        values[rating_field(item.criterion)] = item.rating.value if item.rating else ""
        values[note_field(item.criterion)] = item.note
    return values


def form_input(
    values: dict[str, str], language: Language, *, evidence: dict[Criterion, list[int]]
) -> tuple[dict[str, Any], list[Criterion], dict[str, str]]:
    """The schema's input, which criterion each rated item is, and the page's own errors.

    A criterion is rated when it has a rating; its evidence stays as stored (the form
    does not edit evidence). A note without a rating cannot be kept.
    """
    data: dict[str, Any] = {name: values[name] for name in ("name", "purpose")}
    for name in ("convener_id", "facilitator_id", "established_on", "closed_on"):
        data[name] = blank_to_none(values[name])
    for name in ("inclusiveness", "decision_rule"):
        if values[name].strip():
            data[name] = values[name]
    data["public"] = bool(values["public"])
    data["ground_rules"] = {
        rule.value: bool(values[f"ground_rules.{rule.value}"]) for rule in GroundRule
    }
    criteria, rated, errors = [], [], {}
    for criterion in Criterion:
        rating, note = values[rating_field(criterion)], values[note_field(criterion)]
        if not rating.strip():
            if note.strip():
                errors[rating_field(criterion)] = language.gettext(
                    N_("Choose a rating to keep this note, or clear the note.")
                )
            continue
        criteria.append(
            {
                "criterion": criterion.value,
                "rating": rating,
                "note": note,
                "evidence_ids": evidence.get(criterion, []),
            }
        )
        rated.append(criterion)
    data["criteria"] = criteria
    return data, rated, errors


def on_form(errors: dict[str, str], rated: Sequence[Criterion]) -> dict[str, str]:
    """Errors of ``criteria[2].rating`` shown beside that criterion's rating."""
    placed: dict[str, str] = {}
    for name, message in errors.items():
        if name.startswith("criteria["):
            index = int(name[len("criteria[") : name.index("]")])
            field = "note" if name.endswith(".note") else "rating"
            if index < len(rated):
                name = f"criteria.{rated[index].value}.{field}"
        placed.setdefault(name, message)
    return placed


def _evidence(forum: ForumRead) -> dict[Criterion, list[int]]:
    return {item.criterion: item.evidence_ids for item in forum.criteria}


def form_page(
    request: Request,
    session: Session,
    template: str,
    collaboration: Collaboration,
    state: FormState,
    *,
    forum: Forum | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A forum's form with the collaboration's participants to choose convener and facilitator."""
    everyone = participants(session, collaboration.id)
    listed = {person.id for person in everyone}
    chosen = [
        int(value)
        for value in (state.values.get("convener_id"), state.values.get("facilitator_id"))
        if value and value.isdigit() and int(value) not in listed
    ]
    others = list(people(session, chosen).values())
    return render(
        request,
        template,
        {
            "collaboration": collaboration,
            "forum": forum,
            "form": state,
            "stakeholders": [(str(p.id), p.name) for p in [*everyone, *others]],
        },
        status_code=status_code,
        section="collaboration_forums",
    )


# -- pages -----------------------------------------------------------------------------


@router.get("/collaborations/{collaboration_id:int}/forums", name="collaboration_forums")
def forum_list(request: Request, session: SessionDep, collaboration_id: RecordId) -> HTMLResponse:
    """The forums of a collaboration, each with its design at a glance."""
    collaboration = collaboration_service.get(session, collaboration_id)
    found = forum_service.search(
        session, query=ForumQuery(collaboration_id=collaboration_id, limit=MAX_LIMIT)
    )
    forums = forum_service.present(session, found.items)
    ids = [forum.id for forum in forums]
    meetings: dict[int, tuple[int, Any]] = {}
    if ids:
        rows = session.execute(
            select(Meeting.forum_id, func.count(), func.max(Meeting.starts_at))
            .where(
                Meeting.forum_id.in_(ids),
                Meeting.deleted_at.is_(None),
                Meeting.status == MeetingStatus.HELD,
            )
            .group_by(Meeting.forum_id)
        )
        meetings = {forum_id: (count, last) for forum_id, count, last in rows}
    names = _names(session, forums)
    return render(
        request,
        "forums/list.html",
        {
            "collaboration": collaboration,
            "forums": forums,
            "meetings": meetings,
            "names": names,
        },
    )


def _names(session: Session, forums: Sequence[ForumRead]) -> dict[int, str]:
    wanted = [
        i for forum in forums for i in (forum.convener_id, forum.facilitator_id) if i is not None
    ]
    return {person.id: person.name for person in people(session, wanted).values()}


@router.get("/forums/{forum_id:int}", name="forum_detail")
def forum_detail(request: Request, session: SessionDep, forum_id: RecordId) -> HTMLResponse:
    """A forum: purpose, who convenes it, its design, the six criteria, its meetings."""
    record = forum_service.get(session, forum_id)
    forum = forum_service.present(session, [record])[0]
    collaboration = collaboration_service.get(session, forum.collaboration_id)
    evidence = {
        row.criterion: [item for item in row.evidence if not item.is_deleted]
        for row in record.criteria
    }
    return render(
        request,
        "forums/detail.html",
        {
            "collaboration": collaboration,
            "forum": forum,
            "evidence": evidence,
            "names": _names(session, [forum]),
            "meetings": forum_meetings(session, forum_id, limit=MEETINGS_SHOWN),
        },
        section="collaboration_forums",
    )


@router.api_route(
    "/collaborations/{collaboration_id:int}/forums/new",
    methods=["GET", "POST"],
    name="forum_new",
    response_model=None,
)
def new_forum(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Set up a forum: the form, and what it sends."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        state = FormState(values={"inclusiveness": "invited", "decision_rule": "consensus"})
        return form_page(request, session, "forums/new.html", collaboration, state)
    values = typed_values(form)
    data, rated, page_errors = form_input(values, language, evidence={})
    data["collaboration_id"] = collaboration_id
    valid, errors = editing.validated(ForumCreate, data, language)
    errors = on_form(errors, rated) | page_errors
    result = editing.create(
        session,
        values=values,
        valid=valid,
        errors=errors,
        save=lambda created: forum_service.create(session, data=created, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "forum_detail", forum_id=result.record.id),
            notices.Notice(N_("Forum “%(name)s” created."), {"name": result.record.name}),
        )
    result.state.errors = on_form(result.state.errors, rated)
    return form_page(
        request,
        session,
        "forums/new.html",
        collaboration,
        result.state,
        status_code=result.status_code,
    )


@router.api_route(
    "/forums/{forum_id:int}/edit", methods=["GET", "POST"], name="forum_edit", response_model=None
)
def edit_forum(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    forum_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a forum's design; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        record = forum_service.get(session, forum_id)
        collaboration = collaboration_service.get(session, record.collaboration_id)
        state = FormState(values=stored_values(forum_service.present(session, [record])[0]))
        return form_page(request, session, "forums/edit.html", collaboration, state, forum=record)
    record = forum_service.get(session, forum_id, include_deleted=True)
    collaboration = collaboration_service.get(session, record.collaboration_id)
    values = typed_values(form) | {"version": text(form, "version")}
    stored = forum_service.present(session, [record])[0]
    data, rated, page_errors = form_input(values, language, evidence=_evidence(stored))
    data["version"] = editing.form_version(form) or 1
    valid, errors = editing.validated(ForumPatch, data, language)
    errors = on_form(errors, rated) | page_errors
    result: Saved[Forum] | Refused = editing.update(
        session,
        record=record,
        form=form,
        values=values,
        valid=valid,
        errors=errors,
        save=lambda forum, patch, version: forum_service.update(
            session, record=forum, data=patch.model_copy(update={"version": version}), actor=actor
        ),
        reload=lambda: forum_service.get(session, forum_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "forum_detail", forum_id=forum_id),
            notices.Notice(N_("Forum “%(name)s” saved."), {"name": result.record.name}),
        )
    result.state.errors = on_form(result.state.errors, rated)
    return form_page(
        request,
        session,
        "forums/edit.html",
        collaboration,
        result.state,
        forum=record,
        status_code=result.status_code,
    )


@router.post("/forums/{forum_id:int}/delete", name="forum_delete")
def delete_forum(
    request: Request, session: SessionDep, actor: WebActorDep, forum_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the list offers to undo it."""
    forum = forum_service.get(session, forum_id)
    records.soft_delete(session, forum, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_forums", collaboration_id=forum.collaboration_id),
        notices.Notice(
            N_("Forum “%(name)s” deleted."),
            {"name": forum.name},
            undo=path_for(request, "forum_restore", forum_id=forum_id),
        ),
    )


@router.post("/forums/{forum_id:int}/restore", name="forum_restore")
def restore_forum(
    request: Request, session: SessionDep, actor: WebActorDep, forum_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    forum = forum_service.get(session, forum_id, include_deleted=True)
    restore_with(forum_service, session, forum, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "forum_detail", forum_id=forum_id),
        notices.Notice(N_("Forum “%(name)s” restored."), {"name": forum.name}),
    )
