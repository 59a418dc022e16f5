"""Declared ties between stakeholders: a page per relationship ("SPRI — member of —
Koalisi Pemantau Bansos") and the create / edit / delete (with undo) forms.

A stakeholder's page lists its relationships both ways and links here."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.evidence import (
    as_ids,
    evidence_by_record,
    evidence_choices,
    fold_item_errors,
    picked,
)
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, text
from api.pages.labels import N_
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.evidence import service as evidence_service
from governance.relationships import service as relationship_service
from governance.relationships.models import Relationship
from governance.relationships.schemas import RelationshipCreate, RelationshipPatch
from governance.stakeholders.models import Stakeholder

router = APIRouter()

FIELDS = ("source_id", "target_id", "type", "started_on", "ended_on", "strength", "note")
STRENGTHS = (("1", N_("1 – weak")), ("2", N_("2 – ordinary")), ("3", N_("3 – strong")))
#: The stakeholder selects offer at most this many, by name (plus the current choices).
STAKEHOLDER_CHOICES = 1000
#: Relationships live in the stakeholder registry: its navigation entry is current.
SECTION = "stakeholder_list"


def stakeholder_choices(
    session: Session, *, include: Collection[int] = ()
) -> list[tuple[str, str]]:
    """``(id, name)`` of the registry's live stakeholders and of ``include``, by name."""
    wanted = set(as_ids(include))
    rows = session.execute(
        select(Stakeholder.id, Stakeholder.name)
        .where(or_(Stakeholder.deleted_at.is_(None), Stakeholder.id.in_(wanted)))
        .order_by(Stakeholder.name, Stakeholder.id)
        .limit(STAKEHOLDER_CHOICES + len(wanted))
    )
    return [(str(stakeholder_id), name) for stakeholder_id, name in rows]


def form_input(form: RawForm) -> dict[str, Any]:
    """The schema's input from the form: blank dates and choices mean none given."""
    data: dict[str, Any] = {name: blank_to_none(text(form, name)) for name in FIELDS}
    data["note"] = text(form, "note")
    data["evidence_ids"] = picked(form)
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed and ticked, to show again."""
    return {name: text(form, name) for name in FIELDS} | {"evidence_ids": picked(form)}


def stored_values(tie: Relationship, evidence_ids: Sequence[int]) -> dict[str, Any]:
    """The form's values from the stored record."""
    return {
        "source_id": str(tie.source_id),
        "target_id": str(tie.target_id),
        "type": tie.type.value,
        "started_on": tie.started_on.isoformat() if tie.started_on else "",
        "ended_on": tie.ended_on.isoformat() if tie.ended_on else "",
        "strength": str(tie.strength),
        "note": tie.note,
        "evidence_ids": [str(i) for i in evidence_ids],
        "version": tie.version,
    }


def _form_context(session: Session, language: Language, state: FormState) -> dict[str, Any]:
    """The form's values and the choices of its selects and evidence picker."""
    ends = as_ids([state.value("source_id"), state.value("target_id")])
    ticked = as_ids(state.value("evidence_ids", []))
    return {
        "form": state,
        "stakeholders": stakeholder_choices(session, include=ends),
        "evidence_choices": evidence_choices(session, collaboration_id=None, include=ticked),
        "strengths": [(code, language.gettext(label)) for code, label in STRENGTHS],
    }


def _back(request: Request, state: FormState) -> str:
    """Where "Cancel" leads from the new form: the source's page, or the registry."""
    source = as_ids([state.value("source_id")])
    if source:
        return path_for(request, "stakeholder_detail", stakeholder_id=source[0])
    return path_for(request, "stakeholder_list")


def _validated(
    form: RawForm, language: Language
) -> tuple[RelationshipCreate | None, dict[str, str]]:
    valid, errors = editing.validated(RelationshipCreate, form_input(form), language)
    return valid, fold_item_errors(errors)


@router.get("/relationships/{relationship_id:int}", name="relationship_detail")
def relationship_detail(
    request: Request, session: SessionDep, relationship_id: RecordId
) -> HTMLResponse:
    """A relationship: both ends, how it reads each way, when, how strong, and its evidence."""
    tie = relationship_service.get(session, relationship_id)
    ends = select(Stakeholder.id, Stakeholder.name).where(
        Stakeholder.id.in_({tie.source_id, tie.target_id})
    )
    names: dict[int, str] = dict(session.execute(ends).all())
    return render(
        request,
        "relationships/detail.html",
        {
            "tie": tie,
            "source": names.get(tie.source_id, ""),
            "target": names.get(tie.target_id, ""),
            "evidence": evidence_by_record(session, "relationship_id", [tie.id]).get(tie.id, []),
        },
        section=SECTION,
    )


@router.api_route(
    "/relationships/new", methods=["GET", "POST"], name="relationship_new", response_model=None
)
def new_relationship(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    source_id: str | None = None,
) -> HTMLResponse | RedirectResponse:
    """Declare a relationship (``?source_id=`` starts from a stakeholder's page)."""
    if request.method == "GET":
        start = (source_id or "").strip()
        state = FormState(values={"source_id": start if start.isdigit() else "", "strength": "2"})
        return render(
            request,
            "relationships/new.html",
            _form_context(session, language, state) | {"back": _back(request, state)},
            section=SECTION,
        )
    valid, errors = _validated(form, language)
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=lambda data: relationship_service.create(session, data=data, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "relationship_detail", relationship_id=result.record.id),
            notices.Notice(N_("Relationship recorded.")),
        )
    result.state.errors = fold_item_errors(result.state.errors)
    return render(
        request,
        "relationships/new.html",
        _form_context(session, language, result.state) | {"back": _back(request, result.state)},
        status_code=result.status_code,
        section=SECTION,
    )


@router.api_route(
    "/relationships/{relationship_id:int}/edit",
    methods=["GET", "POST"],
    name="relationship_edit",
    response_model=None,
)
def edit_relationship(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    relationship_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a relationship; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        tie = relationship_service.get(session, relationship_id)
        linked = evidence_service.ids_by_record(session, "relationship_id", [tie.id])
        state = FormState(values=stored_values(tie, linked.get(tie.id, [])))
        return render(
            request,
            "relationships/edit.html",
            _form_context(session, language, state) | {"tie": tie},
            section=SECTION,
        )
    tie = relationship_service.get(session, relationship_id, include_deleted=True)
    valid, errors = _validated(form, language)
    result = editing.update(
        session,
        record=tie,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: relationship_service.update(
            session,
            record=record,
            data=editing.patch_of(RelationshipPatch, data, version),
            actor=actor,
        ),
        reload=lambda: relationship_service.get(session, relationship_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "relationship_detail", relationship_id=relationship_id),
            notices.Notice(N_("Relationship saved.")),
        )
    result.state.errors = fold_item_errors(result.state.errors)
    return render(
        request,
        "relationships/edit.html",
        _form_context(session, language, result.state) | {"tie": tie},
        status_code=result.status_code,
        section=SECTION,
    )


@router.post("/relationships/{relationship_id:int}/delete", name="relationship_delete")
def delete_relationship(
    request: Request, session: SessionDep, actor: WebActorDep, relationship_id: RecordId
) -> RedirectResponse:
    """Delete (softly); back on the source's page, the notice offers to undo it."""
    tie = relationship_service.get(session, relationship_id)
    records.soft_delete(session, tie, actor=actor)
    session.commit()
    source = session.get(Stakeholder, tie.source_id)
    back = (
        path_for(request, "stakeholder_detail", stakeholder_id=tie.source_id)
        if source is not None and not source.is_deleted
        else path_for(request, "stakeholder_list")
    )
    return notices.redirect(
        request,
        back,
        notices.Notice(
            N_("Relationship deleted."),
            undo=path_for(request, "relationship_restore", relationship_id=relationship_id),
        ),
    )


@router.post("/relationships/{relationship_id:int}/restore", name="relationship_restore")
def restore_relationship(
    request: Request, session: SessionDep, actor: WebActorDep, relationship_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    tie = relationship_service.get(session, relationship_id, include_deleted=True)
    restore_with(relationship_service, session, tie, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "relationship_detail", relationship_id=relationship_id),
        notices.Notice(N_("Relationship restored.")),
    )
