"""Creating, editing, deleting and restoring a collaboration (its dashboard is in ``dashboard``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, text
from api.pages.labels import N_
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.collaborations.schemas import CollaborationCreate, CollaborationPatch

router = APIRouter()

FIELDS = ("name", "description", "policy_domain", "place", "started_on", "ended_on", "status")


def form_input(form: RawForm) -> dict[str, Any]:
    """The schema's input from the form: blank dates and choices mean "none given"."""
    data: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    for name in ("started_on", "ended_on", "status"):
        data[name] = blank_to_none(data[name])
    return {name: value for name, value in data.items() if value is not None}


def stored_values(collaboration: Collaboration) -> dict[str, Any]:
    """The form's values from the stored record."""
    return {
        "name": collaboration.name,
        "description": collaboration.description,
        "policy_domain": collaboration.policy_domain,
        "place": collaboration.place,
        "started_on": collaboration.started_on.isoformat() if collaboration.started_on else "",
        "ended_on": collaboration.ended_on.isoformat() if collaboration.ended_on else "",
        "status": collaboration.status.value,
        "version": collaboration.version,
    }


@router.api_route(
    "/collaborations/new", methods=["GET", "POST"], name="collaboration_new", response_model=None
)
def new_collaboration(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
) -> HTMLResponse | RedirectResponse:
    """Open a collaboration: the form, and what it sends."""
    if request.method == "GET":
        state = FormState(values={"status": "active"})
        return render(request, "collaborations/new.html", {"form": state})
    values = {name: text(form, name) for name in FIELDS}
    valid, errors = editing.validated(CollaborationCreate, form_input(form), language)
    result = editing.create(
        session,
        values=values,
        valid=valid,
        errors=errors,
        save=lambda data: collaboration_service.create(session, data=data, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "collaboration_dashboard", collaboration_id=result.record.id),
            notices.Notice(N_("Collaboration “%(name)s” created."), {"name": result.record.name}),
        )
    return render(
        request,
        "collaborations/new.html",
        {"form": result.state},
        status_code=result.status_code,
    )


@router.api_route(
    "/collaborations/{collaboration_id:int}/edit",
    methods=["GET", "POST"],
    name="collaboration_edit",
    response_model=None,
)
def edit_collaboration(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a collaboration; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        collaboration = collaboration_service.get(session, collaboration_id)
        state = FormState(values=stored_values(collaboration))
        return render(
            request,
            "collaborations/edit.html",
            {"form": state, "collaboration": collaboration},
            section="collaboration_dashboard",
        )
    collaboration = collaboration_service.get(session, collaboration_id, include_deleted=True)
    valid, errors = editing.validated(CollaborationCreate, form_input(form), language)
    result = editing.update(
        session,
        record=collaboration,
        form=form,
        values={name: text(form, name) for name in FIELDS} | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: collaboration_service.update(
            session,
            record=record,
            data=editing.patch_of(CollaborationPatch, data, version),
            actor=actor,
        ),
        reload=lambda: collaboration_service.get(session, collaboration_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "collaboration_dashboard", collaboration_id=collaboration_id),
            notices.Notice(N_("Collaboration “%(name)s” saved."), {"name": result.record.name}),
        )
    return render(
        request,
        "collaborations/edit.html",
        {"form": result.state, "collaboration": collaboration},
        status_code=result.status_code,
        section="collaboration_dashboard",
    )


@router.post("/collaborations/{collaboration_id:int}/delete", name="collaboration_delete")
def delete_collaboration(
    request: Request, session: SessionDep, actor: WebActorDep, collaboration_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the next page offers to undo it."""
    collaboration = collaboration_service.get(session, collaboration_id)
    records.soft_delete(session, collaboration, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "home"),
        notices.Notice(
            N_("Collaboration “%(name)s” deleted."),
            {"name": collaboration.name},
            undo=path_for(request, "collaboration_restore", collaboration_id=collaboration_id),
        ),
    )


@router.post("/collaborations/{collaboration_id:int}/restore", name="collaboration_restore")
def restore_collaboration(
    request: Request, session: SessionDep, actor: WebActorDep, collaboration_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    collaboration = collaboration_service.get(session, collaboration_id, include_deleted=True)
    restore_with(collaboration_service, session, collaboration, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_dashboard", collaboration_id=collaboration_id),
        notices.Notice(N_("Collaboration “%(name)s” restored."), {"name": collaboration.name}),
    )
