"""The researchers' coding of a collaboration: the scores by variable and period with their
evidence, the agreement between coders, and the add / edit / delete (with undo) forms.

An assessment rests on evidence: the form offers the case's evidence to tick and a new
piece to describe in the same form; the new piece and the assessment are saved in one
transaction, or neither is.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.auth import Access
from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.diagnosis import wording_for
from api.pages.editing import Refused, Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, text
from api.pages.labels import N_
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.assessments import service as assessment_service
from governance.assessments.agreement import agreement_report
from governance.assessments.models import Assessment
from governance.assessments.schemas import AgreementRead, AssessmentCreate, AssessmentPatch
from governance.audit.service import Actor
from governance.cases.snapshot import AssessmentRow
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.evidence.models import Evidence
from governance.evidence.schemas import EvidenceCreate
from governance.report import service as report_service
from governance.report.parts import variable_order
from governance.report.schemas import CodedAssessment, EvidenceItem
from governance.vocab import ModelVariable

router = APIRouter()
#: Researchers write assessments and evidence too (their coding of the case).
ACCESS = Access.RESEARCH

FIELDS = ("variable", "period_start", "period_end", "score", "rationale", "coder")
#: The fields of the new piece of evidence described in the same form.
NEW_EVIDENCE = ("kind", "title", "date", "citation", "url", "excerpt")
NEW = "new_evidence."
#: What the form says when no evidence is ticked or described (the schema's rule, for people).
NO_EVIDENCE = N_("Tick at least one piece of evidence, or describe a new one below.")
#: The form offers at most this many pieces of the case's evidence, the newest first.
EVIDENCE_OFFERED = 500


# -- the list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One variable for one period: what several coders score independently."""

    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    assessments: list[CodedAssessment]


@router.get("/collaborations/{collaboration_id:int}/assessments", name="collaboration_assessments")
def assessment_list(
    request: Request, session: SessionDep, language: LanguageDep, collaboration_id: RecordId
) -> HTMLResponse:
    """Every coded score by variable and period, with evidence and the coders' agreement."""
    collaboration = collaboration_service.get(session, collaboration_id)
    coded = report_service.load_assessments(session, collaboration_id)
    evidence = evidence_items(session, {i for a in coded for i in a.evidence_ids})
    report = agreement_report(
        AssessmentRow(a.id, a.variable, a.period_start, a.period_end, a.score, a.coder)
        for a in coded
    )
    return render(
        request,
        "assessments/list.html",
        {
            "collaboration": collaboration,
            "units": units(coded),
            "evidence": evidence,
            "overall": AgreementRead.model_validate(report.overall, from_attributes=True),
            "by_variable": [
                AgreementRead.model_validate(item, from_attributes=True)
                for item in report.variables
            ],
            "say": wording_for(language),
        },
    )


def units(coded: Sequence[CodedAssessment]) -> list[Unit]:
    """The assessments grouped by variable (the model's order) and period, coders by name."""

    def unit_of(a: CodedAssessment) -> tuple[int, dt.date, dt.date]:
        return variable_order(a.variable), a.period_start, a.period_end

    ordered = sorted(coded, key=lambda a: (*unit_of(a), a.coder, a.id))
    return [
        Unit(group[0].variable, group[0].period_start, group[0].period_end, group)
        for _, items in itertools.groupby(ordered, key=unit_of)
        if (group := list(items))
    ]


def evidence_items(session: Session, ids: set[int]) -> dict[int, EvidenceItem]:
    """Live evidence by id, in one query."""
    if not ids:
        return {}
    rows = session.scalars(
        select(Evidence).where(Evidence.id.in_(ids), Evidence.deleted_at.is_(None))
    )
    return {e.id: _item(e) for e in rows}


def _item(e: Evidence) -> EvidenceItem:
    return EvidenceItem(
        id=e.id,
        kind=e.kind,
        title=e.title,
        date=e.date,
        citation=e.citation,
        url=e.url,
        excerpt=e.excerpt,
        confidential=e.confidential,
    )


def evidence_offered(
    session: Session, collaboration_id: int, linked: Sequence[int] = ()
) -> list[EvidenceItem]:
    """The case's evidence a form offers to tick (newest first), and any already linked."""
    clause = Evidence.collaboration_id == collaboration_id
    if linked:
        clause = or_(clause, Evidence.id.in_(set(linked)))
    rows = session.scalars(
        select(Evidence)
        .where(clause, Evidence.deleted_at.is_(None))
        .order_by(Evidence.date.desc().nulls_last(), Evidence.id.desc())
        .limit(EVIDENCE_OFFERED)
    )
    return [_item(e) for e in rows]


# -- reading the form ----------------------------------------------------------------------


def ticked(form: RawForm) -> list[str]:
    """The evidence ids ticked (the field is sent once per box)."""
    value = form.get("evidence_ids", [])
    values = [value] if isinstance(value, str) else value
    return [item.strip() for item in values if item.strip()]


def assessment_input(
    form: RawForm, collaboration_id: int, evidence_ids: list[str]
) -> dict[str, Any]:
    """The assessment schema's input: blank choices and dates mean "none given"."""
    data: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "variable": blank_to_none(text(form, "variable")),
        "period_start": blank_to_none(text(form, "period_start")),
        "period_end": blank_to_none(text(form, "period_end")),
        "score": blank_to_none(text(form, "score")),
        "rationale": text(form, "rationale").strip(),
        "coder": text(form, "coder"),
        "evidence_ids": evidence_ids,
    }
    return {name: value for name, value in data.items() if value is not None}


def new_evidence_input(form: RawForm, collaboration_id: int) -> dict[str, Any] | None:
    """The new piece of evidence described in the form; None when none is described."""
    typed = {name: text(form, NEW + name) for name in NEW_EVIDENCE}
    if not any(value.strip() for value in typed.values()):
        return None
    data: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "kind": blank_to_none(typed["kind"]),
        "title": typed["title"],
        "date": blank_to_none(typed["date"]),
        "citation": typed["citation"],
        "url": typed["url"],
        "excerpt": typed["excerpt"].strip(),
        "confidential": text(form, NEW + "confidential") in {"1", "on", "true"},
    }
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed, to show again."""
    values: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    values |= {NEW + name: text(form, NEW + name) for name in NEW_EVIDENCE}
    values[NEW + "confidential"] = text(form, NEW + "confidential")
    values["evidence_ids"] = ticked(form)
    return values


def stored_values(assessment: CodedAssessment, version: int) -> dict[str, Any]:
    return {
        "variable": assessment.variable.value,
        "period_start": assessment.period_start.isoformat(),
        "period_end": assessment.period_end.isoformat(),
        "score": str(assessment.score),
        "rationale": assessment.rationale,
        "coder": assessment.coder,
        "evidence_ids": [str(i) for i in assessment.evidence_ids],
        "version": version,
    }


def _on_fields(errors: dict[str, str], prefix: str = "") -> dict[str, str]:
    """Errors keyed by form field: an item's error (``evidence_ids[2]``) on its list."""
    found: dict[str, str] = {}
    for name, message in errors.items():
        field = name.split("[", 1)[0]
        found.setdefault(prefix + field, message)
    return found


@dataclass(frozen=True)
class Checked:
    """The form checked by the schemas: the assessment, the new evidence, and the errors."""

    assessment: AssessmentCreate | None
    evidence: EvidenceCreate | None
    #: Whether the ticked list was empty and only the new piece supports the assessment.
    only_new: bool
    errors: dict[str, str]


def check(form: RawForm, collaboration_id: int, language: Language) -> Checked:
    """Validate the assessment and the new piece of evidence, every error by field.

    A new piece of evidence counts towards "at least one piece of evidence" before it
    exists: the assessment is checked as if it were ticked.
    """
    described = new_evidence_input(form, collaboration_id)
    evidence, evidence_errors = (
        editing.validated(EvidenceCreate, described, language) if described else (None, {})
    )
    chosen = ticked(form)
    only_new = described is not None and not chosen
    assessment, errors = editing.validated(
        AssessmentCreate,
        assessment_input(form, collaboration_id, chosen or (["1"] if only_new else [])),
        language,
    )
    found = _on_fields(errors) | _on_fields(evidence_errors, NEW)
    if not chosen and described is None:
        found["evidence_ids"] = language.gettext(NO_EVIDENCE)
    return Checked(assessment, evidence, only_new, found)


def saver(
    session: Session,
    checked: Checked,
    actor: Actor,
    write: Callable[[AssessmentCreate], Assessment],
) -> Callable[[AssessmentCreate], Assessment]:
    """Save the new piece of evidence (if any), then the assessment citing it; on refusal
    undo both, so nothing half-saved shows on the page that explains the refusal."""

    def save(data: AssessmentCreate) -> Assessment:
        ids = [] if checked.only_new else list(data.evidence_ids)
        try:
            if checked.evidence is not None:
                try:
                    piece = evidence_service.create(session, data=checked.evidence, actor=actor)
                except Invalid as refused:
                    raise Invalid(_on_fields(refused.errors, NEW)) from refused
                ids.append(piece.id)
            return write(data.model_copy(update={"evidence_ids": ids}))
        except Invalid:
            session.rollback()
            raise

    return save


def _form_context(
    session: Session,
    collaboration: Collaboration,
    state: FormState,
    language: Language,
    linked: Sequence[int] = (),
) -> dict[str, Any]:
    # Ids beyond the database's integer range name no evidence (and would overflow it).
    chosen = [
        int(v)
        for v in state.value("evidence_ids", [])
        if str(v).isdigit() and 1 <= int(v) <= 2**31 - 1
    ]
    return {
        "collaboration": collaboration,
        "form": state,
        "offered": evidence_offered(session, collaboration.id, [*linked, *chosen]),
        "say": wording_for(language),
    }


# -- the forms -----------------------------------------------------------------------------


@router.api_route(
    "/collaborations/{collaboration_id:int}/assessments/new",
    methods=["GET", "POST"],
    name="assessment_new",
    response_model=None,
)
def new_assessment(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Code a variable for a period: the form, and what it sends."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        state = FormState(values={"variable": request.query_params.get("variable", "")})
        return render(
            request,
            "assessments/new.html",
            _form_context(session, collaboration, state, language),
            section="collaboration_assessments",
        )
    checked = check(form, collaboration_id, language)
    result = editing.create(
        session,
        values=typed_values(form),
        valid=checked.assessment,
        errors=checked.errors,
        save=saver(
            session,
            checked,
            actor,
            lambda data: assessment_service.create(session, data=data, actor=actor),
        ),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "collaboration_assessments", collaboration_id=collaboration_id)
            + f"#assessment-{result.record.id}",
            notices.Notice(N_("Assessment by %(coder)s saved."), {"coder": result.record.coder}),
        )
    return _refused(request, session, collaboration, result, language, "assessments/new.html")


@router.api_route(
    "/assessments/{assessment_id:int}/edit",
    methods=["GET", "POST"],
    name="assessment_edit",
    response_model=None,
)
def edit_assessment(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    assessment_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change an assessment; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        assessment = assessment_service.get(session, assessment_id)
        collaboration = collaboration_service.get(session, assessment.collaboration_id)
        stored = _coded(session, assessment)
        state = FormState(values=stored_values(stored, assessment.version))
        context = _form_context(session, collaboration, state, language, stored.evidence_ids)
        return render(
            request,
            "assessments/edit.html",
            context | {"assessment": assessment},
            section="collaboration_assessments",
        )
    assessment = assessment_service.get(session, assessment_id, include_deleted=True)
    collaboration = collaboration_service.get(
        session, assessment.collaboration_id, include_deleted=True
    )
    checked = check(form, assessment.collaboration_id, language)
    result = editing.update(
        session,
        record=assessment,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=checked.assessment,
        errors=checked.errors,
        save=lambda record, data, version: saver(
            session,
            checked,
            actor,
            lambda full: assessment_service.update(
                session,
                record=record,
                data=editing.patch_of(AssessmentPatch, full, version),
                actor=actor,
            ),
        )(data),
        reload=lambda: assessment_service.get(session, assessment_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "collaboration_assessments", collaboration_id=collaboration.id)
            + f"#assessment-{assessment_id}",
            notices.Notice(N_("Assessment by %(coder)s saved."), {"coder": result.record.coder}),
        )
    return _refused(
        request,
        session,
        collaboration,
        result,
        language,
        "assessments/edit.html",
        assessment=assessment,
    )


def _refused(
    request: Request,
    session: Session,
    collaboration: Collaboration,
    result: Refused,
    language: Language,
    template: str,
    **extra: Any,
) -> HTMLResponse:
    context = _form_context(session, collaboration, result.state, language)
    return render(
        request,
        template,
        context | extra,
        status_code=result.status_code,
        section="collaboration_assessments",
    )


def _coded(session: Session, assessment: Assessment) -> CodedAssessment:
    linked = evidence_service.ids_by_record(session, "assessment_id", [assessment.id])
    return CodedAssessment(
        id=assessment.id,
        variable=assessment.variable,
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        score=assessment.score,
        coder=assessment.coder,
        rationale=assessment.rationale,
        evidence_ids=tuple(linked.get(assessment.id, [])),
    )


@router.post("/assessments/{assessment_id:int}/delete", name="assessment_delete")
def delete_assessment(
    request: Request, session: SessionDep, actor: WebActorDep, assessment_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the list offers to undo it."""
    assessment = assessment_service.get(session, assessment_id)
    records.soft_delete(session, assessment, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(
            request, "collaboration_assessments", collaboration_id=assessment.collaboration_id
        ),
        notices.Notice(
            N_("Assessment by %(coder)s deleted."),
            {"coder": assessment.coder},
            undo=path_for(request, "assessment_restore", assessment_id=assessment_id),
        ),
    )


@router.post("/assessments/{assessment_id:int}/restore", name="assessment_restore")
def restore_assessment(
    request: Request, session: SessionDep, actor: WebActorDep, assessment_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    assessment = assessment_service.get(session, assessment_id, include_deleted=True)
    restore_with(assessment_service, session, assessment, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_assessments", collaboration_id=assessment.collaboration_id)
        + f"#assessment-{assessment_id}",
        notices.Notice(N_("Assessment by %(coder)s restored."), {"coder": assessment.coder}),
    )
