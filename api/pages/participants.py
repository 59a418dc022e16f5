"""Who takes part in a collaboration: the list (stakeholder, sector, role, dates,
incentives and constraints), adding a participant — an existing stakeholder or one
registered in the same form — editing, and removing with undo."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field, ValidationError
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, field_errors, text
from api.pages.labels import N_
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.participations import service as participation_service
from governance.participations.models import Participation
from governance.participations.schemas import ParticipationCreate, ParticipationPatch
from governance.schemas import Input
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.schemas import StakeholderCreate
from governance.vocab import ParticipationRole, Sector

router = APIRouter()

FIELDS = ("role", "joined_on", "left_on", "incentives", "constraints")
#: The fields of a stakeholder registered while adding it, as the form names them.
NEW = "new_stakeholder"
NEW_FIELDS = ("name", "kind", "sector")
#: The stakeholder select offers at most this many, by name.
STAKEHOLDER_CHOICES = 1000
#: Participants are the collaboration's stakeholders: that navigation entry is current.
SECTION = "stakeholder_list"
#: Field names the domain's date-order message names ("must not be before joined_on").
_FIELD_NAMES = (N_("Joined on"),)


class ParticipantFilters(Input):
    q: str | None = Field(None, max_length=200)
    role: ParticipationRole | None = None
    sector: Sector | None = None


def _clauses(collaboration_id: int, filters: ParticipantFilters) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [
        Participation.collaboration_id == collaboration_id,
        Participation.deleted_at.is_(None),
    ]
    if filters.role is not None:
        clauses.append(Participation.role == filters.role)
    if filters.sector is not None:
        clauses.append(Stakeholder.sector == filters.sector)
    if filters.q and filters.q.strip():
        folded = records.fold(filters.q.strip())
        clauses.append(Stakeholder.search_key.contains(folded, autoescape=True))
    return clauses


@router.get(
    "/collaborations/{collaboration_id:int}/participants", name="collaboration_participants"
)
def participant_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    q: str | None = None,
    role: str | None = None,
    sector: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """The collaboration's participants by name; invalid filters are named, not fatal."""
    collaboration = collaboration_service.get(session, collaboration_id)
    typed = {"q": q or "", "role": role or "", "sector": sector or ""}
    sent = {key: value for key, value in typed.items() if blank_to_none(value) is not None}
    errors: dict[str, str] = {}
    try:
        filters = ParticipantFilters.model_validate(sent)
    except ValidationError as error:
        errors = field_errors(error, language)
        try:
            filters = ParticipantFilters.model_validate(
                {key: sent[key] for key in sent if key not in errors}
            )
        except ValidationError:
            filters = ParticipantFilters()
    clauses = _clauses(collaboration_id, filters)
    joined = select(func.count(Participation.id)).join(
        Stakeholder, Stakeholder.id == Participation.stakeholder_id
    )
    total = session.scalar(joined.where(*clauses)) or 0
    number = page_number(page) or 1
    pager = Pager(page=number, total=total, params=typed)
    rows = session.execute(
        select(Participation, Stakeholder)
        .join(Stakeholder, Stakeholder.id == Participation.stakeholder_id)
        .where(*clauses)
        .order_by(Stakeholder.name, Participation.id)
        .limit(pager.size)
        .offset(pager.offset)
    ).all()
    return render(
        request,
        "participants/list.html",
        {
            "collaboration": collaboration,
            "rows": rows,
            "pager": pager,
            "filters": FormState(values=typed, errors=errors),
            "filtered": bool(sent),
        },
        status_code=400 if errors else 200,
        section=SECTION,
    )


# -- the forms -------------------------------------------------------------------------------


def form_input(form: RawForm, *, collaboration_id: int, stakeholder_id: object) -> dict[str, Any]:
    """The schema's input from the form: blank dates and roles mean none given."""
    data: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "stakeholder_id": stakeholder_id,
        "role": blank_to_none(text(form, "role")),
        "joined_on": blank_to_none(text(form, "joined_on")),
        "left_on": blank_to_none(text(form, "left_on")),
        "incentives": text(form, "incentives"),
        "constraints": text(form, "constraints"),
    }
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed, to show again."""
    names = ("stakeholder_id", *FIELDS, *(f"{NEW}.{key}" for key in NEW_FIELDS))
    return {name: text(form, name) for name in names}


def stored_values(participation: Participation) -> dict[str, Any]:
    """The form's values from the stored record."""
    return {
        "role": participation.role.value,
        "joined_on": participation.joined_on.isoformat() if participation.joined_on else "",
        "left_on": participation.left_on.isoformat() if participation.left_on else "",
        "incentives": participation.incentives,
        "constraints": participation.constraints,
        "version": participation.version,
    }


def newcomers(session: Session, collaboration_id: int) -> list[tuple[str, str]]:
    """``(id, name)`` of live stakeholders not yet taking part, by name, in one query."""
    taking_part = select(Participation.stakeholder_id).where(
        Participation.collaboration_id == collaboration_id, Participation.deleted_at.is_(None)
    )
    rows = session.execute(
        select(Stakeholder.id, Stakeholder.name)
        .where(Stakeholder.deleted_at.is_(None), Stakeholder.id.not_in(taking_part))
        .order_by(Stakeholder.name, Stakeholder.id)
        .limit(STAKEHOLDER_CHOICES)
    )
    return [(str(stakeholder_id), name) for stakeholder_id, name in rows]


def _takes_part(session: Session, collaboration_id: int, stakeholder_id: int) -> bool:
    return (
        session.scalar(
            select(Participation.id)
            .where(
                Participation.collaboration_id == collaboration_id,
                Participation.stakeholder_id == stakeholder_id,
                Participation.deleted_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def _new_stakeholder(
    form: RawForm, language: Language
) -> tuple[StakeholderCreate | None, dict[str, str]]:
    """The stakeholder to register with the participation, or the errors of its fields."""
    data = {key: text(form, f"{NEW}.{key}") for key in NEW_FIELDS}
    sent = {key: value for key, value in data.items() if key == "name" or value.strip()}
    valid, errors = editing.validated(StakeholderCreate, sent, language)
    return valid, {f"{NEW}.{key}": message for key, message in errors.items()}


def _add_context(
    session: Session, collaboration: Collaboration, state: FormState
) -> dict[str, Any]:
    return {
        "form": state,
        "collaboration": collaboration,
        "stakeholders": newcomers(session, collaboration.id),
    }


@router.api_route(
    "/collaborations/{collaboration_id:int}/participants/new",
    methods=["GET", "POST"],
    name="participant_new",
    response_model=None,
)
def new_participant(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Add a participant: pick a stakeholder from the registry, or register one here."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        state = FormState(values={"role": ParticipationRole.PARTICIPANT.value})
        return render(
            request,
            "participants/new.html",
            _add_context(session, collaboration, state),
            section=SECTION,
        )
    chosen = text(form, "stakeholder_id").strip()
    registering = any(text(form, f"{NEW}.{key}").strip() for key in NEW_FIELDS)
    errors: dict[str, str] = {}
    if chosen and registering:
        errors["stakeholder_id"] = language.gettext(
            N_("Choose an existing stakeholder or register a new one, not both.")
        )
    elif not chosen and not registering:
        errors["stakeholder_id"] = language.gettext(
            N_("Choose a stakeholder, or register a new one below.")
        )
    # A stakeholder registered on this form has no id until it is saved; any valid id lets
    # the participation's other fields be checked now (save() puts the real one in).
    id_to_validate = chosen or (1 if registering else None)
    valid, found = editing.validated(
        ParticipationCreate,
        form_input(form, collaboration_id=collaboration_id, stakeholder_id=id_to_validate),
        language,
    )
    errors = found | errors
    newcomer: StakeholderCreate | None = None
    if registering and not chosen:
        newcomer, new_errors = _new_stakeholder(form, language)
        errors |= new_errors
    elif valid is not None and _takes_part(session, collaboration_id, valid.stakeholder_id):
        errors.setdefault(
            "stakeholder_id",
            language.gettext(N_("This stakeholder already takes part in this collaboration.")),
        )

    def save(data: ParticipationCreate) -> Participation:
        if newcomer is not None:
            stakeholder = stakeholder_service.create(session, data=newcomer, actor=actor)
            data = data.model_copy(update={"stakeholder_id": stakeholder.id})
        return participation_service.create(session, data=data, actor=actor)

    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=save,
        language=language,
    )
    if isinstance(result, Saved):
        name = session.get(Stakeholder, result.record.stakeholder_id)
        return notices.redirect(
            request,
            path_for(request, "collaboration_participants", collaboration_id=collaboration_id),
            notices.Notice(
                N_("“%(name)s” now takes part in this collaboration."),
                {"name": name.name if name is not None else ""},
            ),
        )
    # A stakeholder registered before the participation was refused is not kept.
    session.rollback()
    return render(
        request,
        "participants/new.html",
        _add_context(session, collaboration, result.state),
        status_code=result.status_code,
        section=SECTION,
    )


@router.api_route(
    "/participations/{participation_id:int}/edit",
    methods=["GET", "POST"],
    name="participant_edit",
    response_model=None,
)
def edit_participant(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    participation_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a participant's role, dates, incentives or constraints."""
    include_deleted = request.method != "GET"
    participation = participation_service.get(
        session, participation_id, include_deleted=include_deleted
    )
    collaboration = collaboration_service.get(
        session, participation.collaboration_id, include_deleted=include_deleted
    )
    stakeholder = session.get(Stakeholder, participation.stakeholder_id)
    name = stakeholder.name if stakeholder is not None else f"#{participation.stakeholder_id}"
    context = {"participation": participation, "collaboration": collaboration, "name": name}
    if request.method == "GET":
        state = FormState(values=stored_values(participation))
        return render(request, "participants/edit.html", context | {"form": state}, section=SECTION)
    valid, errors = editing.validated(
        ParticipationCreate,
        form_input(
            form,
            collaboration_id=participation.collaboration_id,
            stakeholder_id=participation.stakeholder_id,
        ),
        language,
    )
    result = editing.update(
        session,
        record=participation,
        form=form,
        values={name: text(form, name) for name in FIELDS} | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: participation_service.update(
            session,
            record=record,
            data=ParticipationPatch.model_validate(
                data.model_dump(exclude={"collaboration_id", "stakeholder_id"})
                | {"version": version}
            ),
            actor=actor,
        ),
        reload=lambda: participation_service.get(session, participation_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(
                request,
                "collaboration_participants",
                collaboration_id=participation.collaboration_id,
            ),
            notices.Notice(
                N_("Participation of “%(name)s” saved."),
                {"name": name},
            ),
        )
    return render(
        request,
        "participants/edit.html",
        context | {"form": result.state},
        status_code=result.status_code,
        section=SECTION,
    )


@router.post("/participations/{participation_id:int}/delete", name="participant_delete")
def remove_participant(
    request: Request, session: SessionDep, actor: WebActorDep, participation_id: RecordId
) -> RedirectResponse:
    """Remove a participant (softly); the notice on the list offers to undo it."""
    participation = participation_service.get(session, participation_id)
    stakeholder = session.get(Stakeholder, participation.stakeholder_id)
    records.soft_delete(session, participation, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(
            request, "collaboration_participants", collaboration_id=participation.collaboration_id
        ),
        notices.Notice(
            N_("“%(name)s” removed from this collaboration."),
            {"name": stakeholder.name if stakeholder is not None else ""},
            undo=path_for(request, "participant_restore", participation_id=participation_id),
        ),
    )


@router.post("/participations/{participation_id:int}/restore", name="participant_restore")
def restore_participant(
    request: Request, session: SessionDep, actor: WebActorDep, participation_id: RecordId
) -> RedirectResponse:
    """Undo a removal, unless the stakeholder has been added again since."""
    participation = participation_service.get(session, participation_id, include_deleted=True)
    stakeholder = session.get(Stakeholder, participation.stakeholder_id)
    name = {"name": stakeholder.name if stakeholder is not None else ""}
    back = path_for(
        request, "collaboration_participants", collaboration_id=participation.collaboration_id
    )
    try:
        participation_service.restore(session, record=participation, actor=actor)
    except Invalid:
        session.rollback()
        return notices.redirect(
            request,
            back,
            notices.Notice(
                N_("“%(name)s” was not put back: they were added to this collaboration again."),
                name,
            ),
        )
    session.commit()
    return notices.redirect(
        request, back, notices.Notice(N_("“%(name)s” is back in this collaboration."), name)
    )
