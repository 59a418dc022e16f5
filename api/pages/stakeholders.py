"""The stakeholder registry: list with search and filters, a page per stakeholder with
everything it is linked to, and the create / edit / delete (with undo) forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, field_errors, lines, text
from api.pages.labels import N_
from api.pages.paging import Pager, page_number
from api.pages.stakeholder_links import links
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.collaborations import service as collaboration_service
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.schemas import (
    Contact,
    ResourceProfile,
    StakeholderCreate,
    StakeholderPatch,
    StakeholderQuery,
)

router = APIRouter()

RESOURCES = tuple(ResourceProfile.model_fields)
CONTACT = tuple(Contact.model_fields)
FIELDS = (
    "name",
    "aliases",
    "kind",
    "sector",
    "description",
    *(f"resources.{key}" for key in RESOURCES),
    *(f"contact.{key}" for key in CONTACT),
)
#: Entered one item per line; an error of item 3 reads "Line 3: …".
LINE_FIELDS = ("aliases",)
FILTERS = ("q", "sector", "kind", "collaboration_id")


def form_input(form: RawForm) -> dict[str, Any]:
    """The schema's input from the form: aliases one per line, blank levels unknown."""
    data: dict[str, Any] = {
        "name": text(form, "name"),
        "aliases": lines(text(form, "aliases")),
        "kind": blank_to_none(text(form, "kind")),
        "sector": blank_to_none(text(form, "sector")),
        "description": text(form, "description"),
        "resources": {key: blank_to_none(text(form, f"resources.{key}")) for key in RESOURCES},
        "contact": {key: text(form, f"contact.{key}") for key in CONTACT},
    }
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed, to show again."""
    return {name: text(form, name) for name in FIELDS}


def stored_values(stakeholder: Stakeholder) -> dict[str, Any]:
    """The form's values from the stored record."""
    resources = stakeholder.resources or {}
    contact = stakeholder.contact or {}
    values: dict[str, Any] = {
        "name": stakeholder.name,
        "aliases": "\n".join(stakeholder.aliases or []),
        "kind": stakeholder.kind.value,
        "sector": stakeholder.sector.value,
        "description": stakeholder.description,
        "version": stakeholder.version,
    }
    for key in RESOURCES:
        level = resources.get(key)
        values[f"resources.{key}"] = "" if level is None else str(level)
    for key in CONTACT:
        values[f"contact.{key}"] = str(contact.get(key, ""))
    return values


@router.get("/stakeholders", name="stakeholder_list")
def stakeholder_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    q: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    collaboration_id: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """Stakeholders by name, searched and filtered; invalid filters are named, not fatal."""
    typed = {
        "q": q or "",
        "sector": sector or "",
        "kind": kind or "",
        "collaboration_id": collaboration_id or "",
    }
    filters: dict[str, Any] = {key: blank_to_none(value) for key, value in typed.items()}
    filters = {key: value for key, value in filters.items() if value is not None}
    errors: dict[str, str] = {}
    try:
        StakeholderQuery.model_validate(filters)
    except ValidationError as error:
        errors = field_errors(error, language)
        filters = {key: value for key, value in filters.items() if key not in errors}
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, params=typed)
    query = StakeholderQuery.model_validate(filters | {"limit": pager.size, "offset": pager.offset})
    collaboration = (
        collaboration_service.get(session, query.collaboration_id)
        if query.collaboration_id is not None
        else None
    )
    found = stakeholder_service.search(session, query=query)
    pager = Pager(page=number, total=found.total, params=typed)
    return render(
        request,
        "stakeholders/list.html",
        {
            "stakeholders": found.items,
            "pager": pager,
            "filters": FormState(values=typed, errors=errors),
            "filtered": bool(query.q or query.sector or query.kind),
            "collaboration": collaboration,
        },
        status_code=400 if errors else 200,
    )


@router.api_route(
    "/stakeholders/new", methods=["GET", "POST"], name="stakeholder_new", response_model=None
)
def new_stakeholder(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
) -> HTMLResponse | RedirectResponse:
    """Register a stakeholder: the form, and what it sends."""
    if request.method == "GET":
        return render(request, "stakeholders/new.html", {"form": FormState()})
    valid, errors = editing.validated(
        StakeholderCreate, form_input(form), language, line_fields=LINE_FIELDS
    )
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=lambda data: stakeholder_service.create(session, data=data, actor=actor),
        language=language,
        line_fields=LINE_FIELDS,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "stakeholder_detail", stakeholder_id=result.record.id),
            notices.Notice(N_("Stakeholder “%(name)s” created."), {"name": result.record.name}),
        )
    return render(
        request, "stakeholders/new.html", {"form": result.state}, status_code=result.status_code
    )


@router.get("/stakeholders/{stakeholder_id:int}", name="stakeholder_detail")
def stakeholder_detail(
    request: Request, session: SessionDep, stakeholder_id: RecordId
) -> HTMLResponse:
    """A stakeholder and everything it is linked to."""
    stakeholder = stakeholder_service.get(session, stakeholder_id)
    return render(
        request,
        "stakeholders/detail.html",
        {"stakeholder": stakeholder, "links": links(session, stakeholder_id)},
    )


@router.api_route(
    "/stakeholders/{stakeholder_id:int}/edit",
    methods=["GET", "POST"],
    name="stakeholder_edit",
    response_model=None,
)
def edit_stakeholder(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    stakeholder_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a stakeholder; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        stakeholder = stakeholder_service.get(session, stakeholder_id)
        state = FormState(values=stored_values(stakeholder))
        return render(
            request, "stakeholders/edit.html", {"form": state, "stakeholder": stakeholder}
        )
    stakeholder = stakeholder_service.get(session, stakeholder_id, include_deleted=True)
    valid, errors = editing.validated(
        StakeholderCreate, form_input(form), language, line_fields=LINE_FIELDS
    )
    result = editing.update(
        session,
        record=stakeholder,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: stakeholder_service.update(
            session,
            record=record,
            data=editing.patch_of(StakeholderPatch, data, version),
            actor=actor,
        ),
        reload=lambda: stakeholder_service.get(session, stakeholder_id, include_deleted=True),
        language=language,
        line_fields=LINE_FIELDS,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "stakeholder_detail", stakeholder_id=stakeholder_id),
            notices.Notice(N_("Stakeholder “%(name)s” saved."), {"name": result.record.name}),
        )
    return render(
        request,
        "stakeholders/edit.html",
        {"form": result.state, "stakeholder": stakeholder},
        status_code=result.status_code,
    )


@router.post("/stakeholders/{stakeholder_id:int}/delete", name="stakeholder_delete")
def delete_stakeholder(
    request: Request, session: SessionDep, actor: WebActorDep, stakeholder_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the list offers to undo it."""
    stakeholder = stakeholder_service.get(session, stakeholder_id)
    records.soft_delete(session, stakeholder, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "stakeholder_list"),
        notices.Notice(
            N_("Stakeholder “%(name)s” deleted."),
            {"name": stakeholder.name},
            undo=path_for(request, "stakeholder_restore", stakeholder_id=stakeholder_id),
        ),
    )


@router.post("/stakeholders/{stakeholder_id:int}/restore", name="stakeholder_restore")
def restore_stakeholder(
    request: Request, session: SessionDep, actor: WebActorDep, stakeholder_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    stakeholder = stakeholder_service.get(session, stakeholder_id, include_deleted=True)
    restore_with(stakeholder_service, session, stakeholder, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "stakeholder_detail", stakeholder_id=stakeholder_id),
        notices.Notice(N_("Stakeholder “%(name)s” restored."), {"name": stakeholder.name}),
    )
