"""Evidence: a collaboration's sources (interviews, minutes, documents…), a page per piece
showing every record it supports, and the create / edit / delete (with undo) forms.

Also the evidence picker other forms share (trust events, relationships): which pieces
a form offers, and the evidence of a page of records in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from api.auth import Access
from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, field_errors, text
from api.pages.labels import N_
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.assessments.models import Assessment
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.evidence import service as evidence_service
from governance.evidence.models import EVIDENCE_TARGETS, Evidence, evidence_links
from governance.evidence.schemas import EvidenceCreate, EvidencePatch, EvidenceQuery
from governance.forums.models import Forum, ForumCriterion
from governance.outcomes.models import Measurement, Outcome
from governance.relationships.models import Relationship
from governance.stakeholders.models import Stakeholder
from governance.trust.models import TrustEvent
from governance.vocab import EvidenceKind

router = APIRouter()
#: Researchers write assessments and evidence too (their coding of the case).
ACCESS = Access.RESEARCH

FIELDS = ("kind", "title", "date", "citation", "url", "excerpt", "confidential")
#: A picker offers at most this many pieces, the newest first (plus those already chosen).
PICKER_SIZE = 200
#: The form field of a picker.
PICKED = "evidence_ids"


# -- the picker other forms share ----------------------------------------------------------


@dataclass(frozen=True)
class EvidenceChoice:
    """A piece of evidence as a picker or a list of titles shows it."""

    id: int
    title: str
    kind: EvidenceKind
    date: dt.date | None
    confidential: bool
    collaboration: str | None = None


def picked(form: Mapping[str, str | list[str]], name: str = PICKED) -> list[str]:
    """The values of a field sent once per ticked box, blanks left out."""
    value = form.get(name, [])
    values = [value] if isinstance(value, str) else value
    return [item.strip() for item in values if item.strip()]


def as_ids(values: Collection[object]) -> list[int]:
    """The values that are record ids (whole numbers in the database's range)."""
    found = []
    for value in values:
        digits = str(value).strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= 10:
            number = int(digits)
            if 1 <= number <= 2**31 - 1:
                found.append(number)
    return found


def fold_item_errors(errors: dict[str, str], name: str = PICKED) -> dict[str, str]:
    """Errors of single items (``evidence_ids[2]``) shown once under the whole list."""
    folded: dict[str, str] = {}
    for key, message in errors.items():
        folded.setdefault(name if key.startswith(f"{name}[") else key, message)
    return folded


def evidence_choices(
    session: Session, *, collaboration_id: int | None, include: Collection[int] = ()
) -> list[EvidenceChoice]:
    """What a picker offers: the collaboration's live evidence (every piece's when
    ``collaboration_id`` is None), and the pieces in ``include`` — in one query."""
    wanted = set(as_ids(include))
    statement = (
        select(Evidence, Collaboration.name)
        .outerjoin(Collaboration, Collaboration.id == Evidence.collaboration_id)
        .where(Evidence.deleted_at.is_(None))
    )
    if collaboration_id is not None:
        statement = statement.where(
            or_(Evidence.collaboration_id == collaboration_id, Evidence.id.in_(wanted))
        )
    rows = session.execute(
        statement.order_by(Evidence.date.desc().nulls_last(), Evidence.id.desc()).limit(
            PICKER_SIZE + len(wanted)
        )
    ).all()
    chosen = [row for row in rows if row[0].id in wanted]
    others = [row for row in rows if row[0].id not in wanted][:PICKER_SIZE]
    return [
        # The collaboration is named only where it is not the one the form is about.
        _choice(evidence, None if evidence.collaboration_id == collaboration_id else name)
        for evidence, name in chosen + others
    ]


def _choice(evidence: Evidence, collaboration: str | None = None) -> EvidenceChoice:
    return EvidenceChoice(
        id=evidence.id,
        title=evidence.title,
        kind=evidence.kind,
        date=evidence.date,
        confidential=evidence.confidential,
        collaboration=collaboration,
    )


def evidence_by_record(
    session: Session, link_column: str, record_ids: Sequence[int]
) -> dict[int, list[EvidenceChoice]]:
    """The live evidence of each record of a page, in one query.

    ``link_column`` is the records' column of ``evidence_links`` ("trust_event_id"…).
    """
    if not record_ids:
        return {}
    owner = evidence_links.c[link_column]
    rows = session.execute(
        select(owner, Evidence)
        .join(Evidence, Evidence.id == evidence_links.c.evidence_id)
        .where(owner.in_(set(record_ids)), Evidence.deleted_at.is_(None))
        .order_by(Evidence.date.nulls_last(), Evidence.id)
    )
    found: dict[int, list[EvidenceChoice]] = defaultdict(list)
    for record_id, evidence in rows:
        found[record_id].append(_choice(evidence))
    return dict(found)


# -- what a piece supports ---------------------------------------------------------------------

#: Each list of supported records shows at most this many.
SUPPORTS_SHOWN = 100


@dataclass(frozen=True)
class Support:
    """A record a piece of evidence supports, as its page lists it.

    ``link_type`` and ``link_id`` name the page that shows the record (a status change
    shows on its commitment's page); ``code`` and ``code2`` are vocabulary codes the
    page translates; ``title`` and ``other`` are names or texts from the records.
    """

    record_type: str
    link_type: str
    link_id: int
    title: str
    code: str | None = None
    code2: str | None = None
    day: dt.date | None = None
    other: str | None = None
    value: float | None = None


def supports(session: Session, evidence_id: int) -> dict[str, list[Support]]:
    """The live records a piece supports, by type in a fixed order.

    One query for the links and one for each type of record linked: at most seven.
    """
    link_columns = list(EVIDENCE_TARGETS)
    rows = session.execute(
        select(*(evidence_links.c[column] for column in link_columns)).where(
            evidence_links.c.evidence_id == evidence_id
        )
    ).all()
    ids: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        for column, value in zip(link_columns, row, strict=True):
            if value is not None:
                ids[column.removesuffix("_id")].append(value)
    found = {}
    for record_type, read in _SUPPORT_READERS.items():
        if ids.get(record_type):
            found[record_type] = read(session, ids[record_type])
    return {record_type: items for record_type, items in found.items() if items}


def _assessments(session: Session, ids: list[int]) -> list[Support]:
    rows = session.scalars(
        select(Assessment)
        .where(Assessment.id.in_(ids), Assessment.deleted_at.is_(None))
        .order_by(Assessment.period_end.desc(), Assessment.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "assessment",
            "assessment",
            item.id,
            item.rationale,
            code=item.variable.value,
            day=item.period_end,
            other=item.coder,
            value=item.score,
        )
        for item in rows
    ]


def _trust_events(session: Session, ids: list[int]) -> list[Support]:
    rows = session.execute(
        select(TrustEvent, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == TrustEvent.actor_id)
        .where(TrustEvent.id.in_(ids), TrustEvent.deleted_at.is_(None))
        .order_by(TrustEvent.occurred_on.desc(), TrustEvent.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "trust_event",
            "trust_event",
            event.id,
            event.description,
            code=event.kind.value,
            code2=event.valence.value,
            day=event.occurred_on,
            other=actor,
        )
        for event, actor in rows
    ]


def _status_changes(session: Session, ids: list[int]) -> list[Support]:
    rows = session.execute(
        select(CommitmentStatusChange, Commitment.description)
        .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
        .where(CommitmentStatusChange.id.in_(ids), Commitment.deleted_at.is_(None))
        .order_by(CommitmentStatusChange.changed_on.desc(), CommitmentStatusChange.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "status_change",
            "commitment",
            change.commitment_id,
            description,
            code=change.to_status.value,
            day=change.changed_on,
        )
        for change, description in rows
    ]


def _measurements(session: Session, ids: list[int]) -> list[Support]:
    rows = session.execute(
        select(Measurement, Outcome.title, Outcome.unit)
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(
            Measurement.id.in_(ids),
            Measurement.deleted_at.is_(None),
            Outcome.deleted_at.is_(None),
        )
        .order_by(Measurement.measured_on.desc(), Measurement.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "measurement",
            "outcome",
            item.outcome_id,
            title,
            day=item.measured_on,
            other=unit,
            value=item.value,
        )
        for item, title, unit in rows
    ]


def _relationships(session: Session, ids: list[int]) -> list[Support]:
    source, target = aliased(Stakeholder), aliased(Stakeholder)
    rows = session.execute(
        select(Relationship, source.name, target.name)
        .join(source, source.id == Relationship.source_id)
        .join(target, target.id == Relationship.target_id)
        .where(Relationship.id.in_(ids), Relationship.deleted_at.is_(None))
        .order_by(source.name, Relationship.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "relationship",
            "relationship",
            tie.id,
            source_name,
            code=tie.type.value,
            other=target_name,
        )
        for tie, source_name, target_name in rows
    ]


def _forum_criteria(session: Session, ids: list[int]) -> list[Support]:
    rows = session.execute(
        select(ForumCriterion, Forum.name)
        .join(Forum, Forum.id == ForumCriterion.forum_id)
        .where(ForumCriterion.id.in_(ids), Forum.deleted_at.is_(None))
        .order_by(Forum.name, ForumCriterion.position, ForumCriterion.id)
        .limit(SUPPORTS_SHOWN)
    )
    return [
        Support(
            "forum_criterion",
            "forum",
            criterion.forum_id,
            forum,
            code=criterion.criterion.value,
            code2=criterion.rating.value,
        )
        for criterion, forum in rows
    ]


#: How to read each type of supported record, in the order the page lists them.
_SUPPORT_READERS = {
    "trust_event": _trust_events,
    "relationship": _relationships,
    "status_change": _status_changes,
    "measurement": _measurements,
    "forum_criterion": _forum_criteria,
    "assessment": _assessments,
}


# -- the evidence pages ----------------------------------------------------------------------


def form_input(form: RawForm, collaboration_id: int | None) -> dict[str, Any]:
    """The schema's input from the form: a blank date or kind means none given."""
    data: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "kind": blank_to_none(text(form, "kind")),
        "title": text(form, "title"),
        "date": blank_to_none(text(form, "date")),
        "citation": text(form, "citation"),
        "url": text(form, "url"),
        "excerpt": text(form, "excerpt"),
        "confidential": bool(text(form, "confidential")),
    }
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed, to show again."""
    return {name: text(form, name) for name in FIELDS}


def stored_values(evidence: Evidence) -> dict[str, Any]:
    """The form's values from the stored record."""
    return {
        "kind": evidence.kind.value,
        "title": evidence.title,
        "date": evidence.date.isoformat() if evidence.date else "",
        "citation": evidence.citation,
        "url": evidence.url,
        "excerpt": evidence.excerpt,
        "confidential": "1" if evidence.confidential else "",
        "version": evidence.version,
    }


@router.get("/collaborations/{collaboration_id:int}/evidence", name="evidence_list")
def evidence_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    q: str | None = None,
    kind: str | None = None,
    confidential: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """A collaboration's evidence, newest first, searched and filtered."""
    collaboration = collaboration_service.get(session, collaboration_id)
    typed = {"q": q or "", "kind": kind or "", "confidential": confidential or ""}
    filters = {key: value for key, value in typed.items() if blank_to_none(value) is not None}
    errors: dict[str, str] = {}
    try:
        EvidenceQuery.model_validate(filters)
    except ValidationError as error:
        errors = field_errors(error, language)
        filters = {key: value for key, value in filters.items() if key not in errors}
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, params=typed)
    query = EvidenceQuery.model_validate(
        filters
        | {"collaboration_id": collaboration_id, "limit": pager.size, "offset": pager.offset}
    )
    found = evidence_service.search(session, query=query)
    return render(
        request,
        "evidence/list.html",
        {
            "collaboration": collaboration,
            "items": found.items,
            "pager": Pager(page=number, total=found.total, params=typed),
            "filters": FormState(values=typed, errors=errors),
            "filtered": bool(filters),
        },
        status_code=400 if errors else 200,
    )


@router.get("/evidence/{evidence_id:int}", name="evidence_detail")
def evidence_detail(request: Request, session: SessionDep, evidence_id: RecordId) -> HTMLResponse:
    """A piece of evidence and every record it supports."""
    evidence = evidence_service.get(session, evidence_id)
    return render(
        request,
        "evidence/detail.html",
        {
            "evidence": evidence,
            "collaboration": _collaboration_of(session, evidence),
            "supports": supports(session, evidence_id),
        },
    )


def _collaboration_of(session: Session, evidence: Evidence) -> Collaboration | None:
    """The collaboration a piece belongs to, if it belongs to a live one (for the navigation)."""
    if evidence.collaboration_id is None:
        return None
    found = session.get(Collaboration, evidence.collaboration_id)
    return found if found is not None and not found.is_deleted else None


@router.api_route(
    "/collaborations/{collaboration_id:int}/evidence/new",
    methods=["GET", "POST"],
    name="evidence_new",
    response_model=None,
)
def new_evidence(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Register a piece of evidence for a collaboration: the form, and what it sends."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        return render(
            request,
            "evidence/new.html",
            {"form": FormState(), "collaboration": collaboration},
        )
    valid, errors = editing.validated(EvidenceCreate, form_input(form, collaboration_id), language)
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=lambda data: evidence_service.create(session, data=data, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "evidence_detail", evidence_id=result.record.id),
            notices.Notice(N_("Evidence “%(title)s” added."), {"title": result.record.title}),
        )
    return render(
        request,
        "evidence/new.html",
        {"form": result.state, "collaboration": collaboration},
        status_code=result.status_code,
    )


@router.api_route(
    "/evidence/{evidence_id:int}/edit",
    methods=["GET", "POST"],
    name="evidence_edit",
    response_model=None,
)
def edit_evidence(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    evidence_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a piece of evidence; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        evidence = evidence_service.get(session, evidence_id)
        return render(
            request,
            "evidence/edit.html",
            {
                "form": FormState(values=stored_values(evidence)),
                "evidence": evidence,
                "collaboration": _collaboration_of(session, evidence),
            },
        )
    evidence = evidence_service.get(session, evidence_id, include_deleted=True)
    collaboration = _collaboration_of(session, evidence)
    valid, errors = editing.validated(
        EvidenceCreate, form_input(form, evidence.collaboration_id), language
    )
    result = editing.update(
        session,
        record=evidence,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: evidence_service.update(
            session,
            record=record,
            # The collaboration stays as it is (it may even be deleted meanwhile).
            data=EvidencePatch.model_validate(
                data.model_dump(exclude={"collaboration_id"}) | {"version": version}
            ),
            actor=actor,
        ),
        reload=lambda: evidence_service.get(session, evidence_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "evidence_detail", evidence_id=evidence_id),
            notices.Notice(N_("Evidence “%(title)s” saved."), {"title": result.record.title}),
        )
    return render(
        request,
        "evidence/edit.html",
        {"form": result.state, "evidence": evidence, "collaboration": collaboration},
        status_code=result.status_code,
    )


@router.post("/evidence/{evidence_id:int}/delete", name="evidence_delete")
def delete_evidence(
    request: Request, session: SessionDep, actor: WebActorDep, evidence_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the records it supported no longer list it. The notice offers undo."""
    evidence = evidence_service.get(session, evidence_id)
    records.soft_delete(session, evidence, actor=actor)
    session.commit()
    collaboration = _collaboration_of(session, evidence)
    target = (
        path_for(request, "evidence_list", collaboration_id=collaboration.id)
        if collaboration is not None
        else path_for(request, "home")
    )
    return notices.redirect(
        request,
        target,
        notices.Notice(
            N_("Evidence “%(title)s” deleted."),
            {"title": evidence.title},
            undo=path_for(request, "evidence_restore", evidence_id=evidence_id),
        ),
    )


@router.post("/evidence/{evidence_id:int}/restore", name="evidence_restore")
def restore_evidence(
    request: Request, session: SessionDep, actor: WebActorDep, evidence_id: RecordId
) -> RedirectResponse:
    """Undo a delete: the piece supports its records again."""
    evidence = evidence_service.get(session, evidence_id, include_deleted=True)
    restore_with(evidence_service, session, evidence, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "evidence_detail", evidence_id=evidence_id),
        notices.Notice(N_("Evidence “%(title)s” restored."), {"title": evidence.title}),
    )
