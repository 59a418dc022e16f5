"""Outcomes: the tree with progress rolled up, each outcome's page with its measurement
history (a server-drawn line chart and a table), the meetings and commitments behind
it, adding and correcting measurements, and the create / edit / delete (with undo) forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel import dates, numbers
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.charts import Tick, month_ticks
from api.pages.commitments import (
    errors_by_field,
    evidence_choices,
    evidence_titles,
    many,
    short,
)
from api.pages.dashboard import outcome_lines
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, text
from api.pages.labels import N_, label_id
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.collaborations import service as collaboration_service
from governance.commitments.models import Commitment
from governance.errors import Invalid, NotFound
from governance.forums.models import Forum
from governance.meetings.models import Decision, Meeting
from governance.outcomes import service as outcome_service
from governance.outcomes.models import Measurement, Outcome, outcome_commitments, outcome_meetings
from governance.outcomes.schemas import (
    MeasurementCreate,
    MeasurementPatch,
    OutcomeCreate,
    OutcomePatch,
    OutcomeRead,
)
from governance.stakeholders.models import Stakeholder
from governance.vocab import CommitmentStatus, MeetingStatus

router = APIRouter()

FIELDS = (
    "title",
    "description",
    "level",
    "parent_id",
    "weight",
    "unit",
    "baseline",
    "target",
    "started_on",
    "due_on",
)
LINKS = ("commitment_ids", "meeting_ids")
NUMBERS = ("weight", "baseline", "target")
MEASUREMENT_FIELDS = ("measured_on", "value", "note")


def number_input(value: str, language: Language) -> str | None:
    """A number as typed, in plain notation for the schema: "1.234,5" (id) → "1234.5".

    Blank is None; text that is no number is passed on for the schema to refuse.
    """
    value = value.strip()
    if not value:
        return None
    try:
        float(value)
    except ValueError:
        try:
            return str(numbers.parse_decimal(value, locale=language.locale, strict=True))
        except numbers.NumberFormatError:
            return value
    return value


def shown_number(value: float) -> str:
    """A stored number as a form field shows it: 1000.0 → "1000", 12.5 → "12.5"."""
    return format(value, ".15g")


# -- the measurement chart ---------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: dt.date
    value: float


@dataclass(frozen=True)
class LineChart:
    """A measurement history placed on the page: the line, its points, baseline and target."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[ChartPoint]
    baseline_y: float
    target_y: float
    ticks: list[Tick]

    @property
    def path(self) -> str:
        """The SVG path of the line through the points, oldest first."""
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:g},{p.y:g}" for i, p in enumerate(self.points)
        )


def measurement_chart(
    measurements: Sequence[tuple[dt.date, float]],
    *,
    baseline: float,
    target: float,
    width: int = 640,
    height: int = 240,
) -> LineChart | None:
    """Place measurements (date, value) on a time axis, with the baseline and target lines.

    The value axis spans the measurements, the baseline and the target, so both lines
    are always drawn. None when there is nothing to draw.

    >>> chart = measurement_chart(
    ...     [(dt.date(2020, 10, 31), 860), (dt.date(2021, 2, 28), 2100)], baseline=0, target=5000
    ... )
    >>> first, second = chart.points
    >>> first.x < second.x, chart.target_y < second.y < first.y < chart.baseline_y
    (True, True)
    >>> chart.path.startswith("M")
    True
    """
    if not measurements:
        return None
    left, right, top, bottom = 12.0, width - 12.0, 16.0, height - 30.0
    values = [value for _, value in measurements]
    low, high = min([*values, baseline, target]), max([*values, baseline, target])
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    days = [day for day, _ in measurements]
    start, end = min(days), max(days)
    if (end - start).days < 30:
        start, end = start - dt.timedelta(days=15), end + dt.timedelta(days=15)
    margin = max(1, round((end - start).days * 0.04))
    start, end = start - dt.timedelta(days=margin), end + dt.timedelta(days=margin)

    def x_of(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / (end - start).days, 1)

    points = [ChartPoint(x_of(day), y_of(value), day, value) for day, value in sorted(measurements)]
    ticks = [Tick(x_of(day), day) for day in month_ticks(start, end, at_most=6)]
    return LineChart(
        width, height, left, right, top, bottom, points, y_of(baseline), y_of(target), ticks
    )


# -- the tree ----------------------------------------------------------------------------


@router.get("/collaborations/{collaboration_id:int}/outcomes", name="collaboration_outcomes")
def outcome_tree(request: Request, session: SessionDep, collaboration_id: RecordId) -> HTMLResponse:
    """The collaboration's outcomes as a tree; parents' progress rolled up from their parts."""
    collaboration = collaboration_service.get(session, collaboration_id)
    return render(
        request,
        "outcomes/list.html",
        {"collaboration": collaboration, "lines": outcome_lines(session, collaboration_id)},
    )


# -- an outcome's page -------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentBehind:
    id: int
    description: str
    status: CommitmentStatus
    due_on: dt.date | None
    owner_id: int
    owner: str
    counterpart_id: int | None
    counterpart: str | None
    meeting_id: int | None
    meeting: str | None
    decision: str | None


@dataclass(frozen=True)
class MeetingBehind:
    id: int
    title: str
    starts_at: dt.datetime
    status: MeetingStatus
    forum_id: int
    forum: str


def commitments_behind(session: Session, outcome_id: int) -> list[CommitmentBehind]:
    """The live commitments linked to the outcome, with both sides, meeting and decision."""
    owner, counterpart = aliased(Stakeholder), aliased(Stakeholder)
    rows = session.execute(
        select(Commitment, owner.name, counterpart.name, Meeting.title, Decision.text)
        .join(outcome_commitments, outcome_commitments.c.commitment_id == Commitment.id)
        .join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .outerjoin(Meeting, (Meeting.id == Commitment.meeting_id) & Meeting.deleted_at.is_(None))
        .outerjoin(
            Decision, (Decision.id == Commitment.decision_id) & Decision.deleted_at.is_(None)
        )
        .where(outcome_commitments.c.outcome_id == outcome_id, Commitment.deleted_at.is_(None))
        .order_by(Commitment.made_on, Commitment.id)
    ).all()
    return [
        CommitmentBehind(
            id=c.id,
            description=c.description,
            status=c.status,
            due_on=c.due_on,
            owner_id=c.owner_id,
            owner=owner_name,
            counterpart_id=c.counterpart_id,
            counterpart=counterpart_name,
            meeting_id=c.meeting_id if meeting is not None else None,
            meeting=meeting,
            decision=decision,
        )
        for c, owner_name, counterpart_name, meeting, decision in rows
    ]


def meetings_behind(session: Session, outcome_id: int) -> list[MeetingBehind]:
    """The live meetings that worked on the outcome, oldest first."""
    rows = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.status, Forum.id, Forum.name)
        .join(outcome_meetings, outcome_meetings.c.meeting_id == Meeting.id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(outcome_meetings.c.outcome_id == outcome_id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return [MeetingBehind(*row) for row in rows]


def detail_page(
    request: Request,
    session: Session,
    outcome: Outcome,
    *,
    measurement_form: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The outcome's page; ``measurement_form`` is the add form as refused, if it was."""
    collaboration = collaboration_service.get(session, outcome.collaboration_id)
    children = session.scalars(
        select(Outcome)
        .where(Outcome.parent_id == outcome.id, Outcome.deleted_at.is_(None))
        .order_by(Outcome.id)
    ).all()
    read, *child_reads = outcome_service.present(session, [outcome, *children])
    parent = (
        session.execute(
            select(Outcome.id, Outcome.title).where(
                Outcome.id == outcome.parent_id, Outcome.deleted_at.is_(None)
            )
        ).first()
        if outcome.parent_id is not None
        else None
    )
    evidence_ids = [i for m in read.measurements for i in m.evidence_ids]
    chart = measurement_chart(
        [(m.measured_on, m.value) for m in read.measurements],
        baseline=read.baseline,
        target=read.target,
    )
    form = measurement_form or FormState(values={"measured_on": dt.date.today().isoformat()})
    return render(
        request,
        "outcomes/detail.html",
        {
            "collaboration": collaboration,
            "outcome": read,
            "parent": parent,
            "children": child_reads,
            "chart": chart,
            "evidence_titles": evidence_titles(session, evidence_ids),
            "commitments": commitments_behind(session, outcome.id),
            "meetings": meetings_behind(session, outcome.id),
            "form": form,
            "evidence": evidence_choices(session, outcome.collaboration_id),
        },
        status_code=status_code,
        section="collaboration_outcomes",
    )


@router.get("/outcomes/{outcome_id:int}", name="outcome_detail")
def outcome_detail(request: Request, session: SessionDep, outcome_id: RecordId) -> HTMLResponse:
    """An outcome: its progress, measurement history, and what lies behind it."""
    return detail_page(request, session, outcome_service.get(session, outcome_id))


# -- measurements ------------------------------------------------------------------------


def measurement_input(form: RawForm, language: Language) -> dict[str, Any]:
    data: dict[str, Any] = {
        "measured_on": blank_to_none(text(form, "measured_on")),
        "value": number_input(text(form, "value"), language),
        "note": text(form, "note").strip(),
        "evidence_ids": many(form, "evidence_ids"),
    }
    return {name: value for name, value in data.items() if value is not None}


def progress_text(progress: float, language: Language) -> str:
    return numbers.format_percent(progress / 100, locale=language.locale)


@router.post(
    "/outcomes/{outcome_id:int}/measurements",
    name="outcome_measurement_add",
    response_model=None,
)
def add_measurement(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    outcome_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Record a measured value; the outcome's page then shows the new progress."""
    outcome = outcome_service.get(session, outcome_id)
    try:
        valid = MeasurementCreate.model_validate(measurement_input(form, language))
        outcome_service.add_measurement(session, outcome=outcome, data=valid, actor=actor)
    except (ValidationError, Invalid) as error:
        values = {name: text(form, name) for name in (*MEASUREMENT_FIELDS, "evidence_ids")}
        state = FormState(values=values, errors=errors_by_field(error, language))
        return detail_page(request, session, outcome, measurement_form=state, status_code=400)
    session.commit()
    progress = outcome_service.present(session, [outcome])[0].progress
    return notices.redirect(
        request,
        path_for(request, "outcome_detail", outcome_id=outcome_id),
        notices.Notice(
            N_("Measurement added. Progress is now %(progress)s."),
            {"progress": progress_text(progress, language)},
        ),
    )


def measurement_of(
    session: Session, outcome: Outcome, measurement_id: int, *, include_deleted: bool = False
) -> Measurement:
    """A measurement of this outcome (404 when it belongs to another)."""
    measurement = records.get(session, Measurement, measurement_id, include_deleted=include_deleted)
    if measurement.outcome_id != outcome.id:
        raise NotFound(Measurement.record_type, measurement_id)
    return measurement


@router.api_route(
    "/outcomes/{outcome_id:int}/measurements/{measurement_id:int}/edit",
    methods=["GET", "POST"],
    name="measurement_edit",
    response_model=None,
)
def edit_measurement(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    outcome_id: RecordId,
    measurement_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Correct a measurement; a stale version shows what changed meanwhile."""
    outcome = outcome_service.get(session, outcome_id)
    collaboration = collaboration_service.get(session, outcome.collaboration_id)
    page = {
        "collaboration": collaboration,
        "outcome": outcome,
        "evidence": evidence_choices(session, outcome.collaboration_id),
    }
    if request.method == "GET":
        measurement = measurement_of(session, outcome, measurement_id)
        linked = outcome_service.present(session, [outcome])[0].measurements
        evidence_ids = next((m.evidence_ids for m in linked if m.id == measurement_id), [])
        values = {
            "measured_on": measurement.measured_on.isoformat(),
            "value": shown_number(measurement.value),
            "note": measurement.note,
            "evidence_ids": [str(i) for i in evidence_ids],
            "version": measurement.version,
        }
        return render(
            request,
            "outcomes/measurement_edit.html",
            page | {"measurement": measurement, "form": FormState(values=values)},
            section="collaboration_outcomes",
        )
    measurement = measurement_of(session, outcome, measurement_id, include_deleted=True)
    valid, errors = editing.validated(
        MeasurementCreate, measurement_input(form, language), language
    )
    result = editing.update(
        session,
        record=measurement,
        form=form,
        values={name: text(form, name) for name in MEASUREMENT_FIELDS}
        | {"evidence_ids": many(form, "evidence_ids"), "version": text(form, "version")},
        valid=valid,
        errors=_listed(errors),
        save=lambda record, data, version: outcome_service.update_measurement(
            session,
            measurement=record,
            data=editing.patch_of(MeasurementPatch, data, version),
            actor=actor,
        ),
        reload=lambda: measurement_of(session, outcome, measurement_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "outcome_detail", outcome_id=outcome_id),
            notices.Notice(
                N_("Measurement of %(date)s saved."), {"date": _day(result.record, language)}
            ),
        )
    result.state.errors = _listed(result.state.errors)
    return render(
        request,
        "outcomes/measurement_edit.html",
        page | {"measurement": measurement, "form": result.state},
        status_code=result.status_code,
        section="collaboration_outcomes",
    )


def _day(measurement: Measurement, language: Language) -> str:
    return dates.format_date(measurement.measured_on, "medium", locale=language.locale)


@router.post(
    "/outcomes/{outcome_id:int}/measurements/{measurement_id:int}/delete",
    name="measurement_delete",
)
def delete_measurement(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    outcome_id: RecordId,
    measurement_id: RecordId,
) -> RedirectResponse:
    """Delete a measurement (softly): it no longer counts; the notice offers to undo it."""
    outcome = outcome_service.get(session, outcome_id)
    measurement = measurement_of(session, outcome, measurement_id)
    records.soft_delete(session, measurement, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "outcome_detail", outcome_id=outcome_id),
        notices.Notice(
            N_("Measurement of %(date)s deleted."),
            {"date": _day(measurement, language)},
            undo=path_for(
                request, "measurement_restore", outcome_id=outcome_id, measurement_id=measurement_id
            ),
        ),
    )


@router.post(
    "/outcomes/{outcome_id:int}/measurements/{measurement_id:int}/restore",
    name="measurement_restore",
)
def restore_measurement(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    outcome_id: RecordId,
    measurement_id: RecordId,
) -> RedirectResponse:
    """Undo the delete of a measurement."""
    outcome = outcome_service.get(session, outcome_id)
    measurement = measurement_of(session, outcome, measurement_id, include_deleted=True)
    records.restore(session, measurement, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "outcome_detail", outcome_id=outcome_id),
        notices.Notice(
            N_("Measurement of %(date)s restored."), {"date": _day(measurement, language)}
        ),
    )


# -- create, edit, delete ----------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the outcome form offers: possible parents, commitments and meetings to link."""

    parents: list[tuple[str, str]]
    commitments: list[tuple[str, str]]
    meetings: list[tuple[str, str]]


def choices(
    session: Session, collaboration_id: int, *, outcome_id: int | None, language: Language
) -> Choices:
    """The form's choices in three queries; an outcome cannot sit under itself or its parts."""
    tree = session.execute(
        select(Outcome.id, Outcome.parent_id, Outcome.title, Outcome.deleted_at)
        .where(Outcome.collaboration_id == collaboration_id)
        .order_by(Outcome.title, Outcome.id)
    ).all()
    below = _descendants({row.id: row.parent_id for row in tree}, outcome_id)
    commitments = session.execute(
        select(Commitment.id, Commitment.description, Commitment.status)
        .where(Commitment.collaboration_id == collaboration_id, Commitment.deleted_at.is_(None))
        .order_by(Commitment.made_on, Commitment.id)
    ).all()
    meetings = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(Meeting.collaboration_id == collaboration_id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return Choices(
        parents=[
            (str(row.id), row.title)
            for row in tree
            if row.deleted_at is None and row.id not in below
        ],
        commitments=[
            (
                str(i),
                f"{short(description)} · "
                + language.gettext(label_id("commitment_status", status)),
            )
            for i, description, status in commitments
        ],
        meetings=[
            (str(i), f"{title} ({starts_at.date().isoformat()})")
            for i, title, starts_at in meetings
        ],
    )


def _descendants(parents: dict[int, int | None], outcome_id: int | None) -> set[int]:
    """``outcome_id`` and every outcome under it."""
    if outcome_id is None:
        return set()
    found = {outcome_id}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                grew = True
    return found


def form_input(form: RawForm, collaboration_id: int, language: Language) -> dict[str, Any]:
    """The schema's input from the form: blank numbers and dates mean "the default"."""
    data: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    data["title"] = data["title"].strip()
    for name in ("level", "parent_id", "started_on", "due_on"):
        data[name] = blank_to_none(data[name])
    for name in NUMBERS:
        data[name] = number_input(data[name], language)
    data |= {name: many(form, name) for name in LINKS}
    data["collaboration_id"] = collaboration_id
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    return {name: text(form, name) for name in FIELDS} | {name: many(form, name) for name in LINKS}


def stored_values(read: OutcomeRead) -> dict[str, Any]:
    return {
        "title": read.title,
        "description": read.description,
        "level": read.level.value,
        "parent_id": "" if read.parent_id is None else str(read.parent_id),
        "weight": shown_number(read.weight),
        "unit": read.unit,
        "baseline": shown_number(read.baseline),
        "target": shown_number(read.target),
        "started_on": read.started_on.isoformat() if read.started_on else "",
        "due_on": read.due_on.isoformat() if read.due_on else "",
        "commitment_ids": [str(i) for i in read.commitment_ids],
        "meeting_ids": [str(i) for i in read.meeting_ids],
        "version": read.version,
    }


def _listed(errors: dict[str, str]) -> dict[str, str]:
    """Errors of one item of a list (``commitment_ids[2]``) shown under the list."""
    found: dict[str, str] = {}
    for name, message in errors.items():
        found.setdefault(name.split("[", 1)[0], message)
    return found


@router.api_route(
    "/collaborations/{collaboration_id:int}/outcomes/new",
    methods=["GET", "POST"],
    name="outcome_new",
    response_model=None,
)
def new_outcome(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
    parent_id: str | None = None,
) -> HTMLResponse | RedirectResponse:
    """Set an outcome (``?parent_id=`` preselects the outcome it contributes to)."""
    collaboration = collaboration_service.get(session, collaboration_id)
    page = {
        "collaboration": collaboration,
        "choices": choices(session, collaboration_id, outcome_id=None, language=language),
    }
    if request.method == "GET":
        values = {"weight": "1", "baseline": "0", "parent_id": parent_id or ""}
        return render(
            request,
            "outcomes/new.html",
            page | {"form": FormState(values=values)},
            section="collaboration_outcomes",
        )
    valid, errors = editing.validated(
        OutcomeCreate, form_input(form, collaboration_id, language), language
    )
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=_listed(errors),
        save=lambda data: outcome_service.create(session, data=data, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "outcome_detail", outcome_id=result.record.id),
            notices.Notice(N_("Outcome “%(title)s” created."), {"title": result.record.title}),
        )
    result.state.errors = _listed(result.state.errors)
    return render(
        request,
        "outcomes/new.html",
        page | {"form": result.state},
        status_code=result.status_code,
        section="collaboration_outcomes",
    )


@router.api_route(
    "/outcomes/{outcome_id:int}/edit",
    methods=["GET", "POST"],
    name="outcome_edit",
    response_model=None,
)
def edit_outcome(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    outcome_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change an outcome and its links; a stale version shows what changed meanwhile."""
    outcome = outcome_service.get(session, outcome_id, include_deleted=request.method == "POST")
    collaboration = collaboration_service.get(session, outcome.collaboration_id)
    page = {
        "collaboration": collaboration,
        "outcome": outcome,
        "choices": choices(
            session, outcome.collaboration_id, outcome_id=outcome.id, language=language
        ),
    }
    if request.method == "GET":
        state = FormState(values=stored_values(outcome_service.present(session, [outcome])[0]))
        return render(
            request,
            "outcomes/edit.html",
            page | {"form": state},
            section="collaboration_outcomes",
        )
    valid, errors = editing.validated(
        OutcomeCreate, form_input(form, outcome.collaboration_id, language), language
    )
    result = editing.update(
        session,
        record=outcome,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=_listed(errors),
        save=lambda record, data, version: outcome_service.update(
            session,
            record=record,
            data=OutcomePatch.model_validate(
                data.model_dump(exclude={"collaboration_id"}) | {"version": version}
            ),
            actor=actor,
        ),
        reload=lambda: outcome_service.get(session, outcome_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "outcome_detail", outcome_id=outcome_id),
            notices.Notice(N_("Outcome “%(title)s” saved."), {"title": result.record.title}),
        )
    result.state.errors = _listed(result.state.errors)
    return render(
        request,
        "outcomes/edit.html",
        page | {"form": result.state},
        status_code=result.status_code,
        section="collaboration_outcomes",
    )


@router.post("/outcomes/{outcome_id:int}/delete", name="outcome_delete")
def delete_outcome(
    request: Request, session: SessionDep, actor: WebActorDep, outcome_id: RecordId
) -> RedirectResponse:
    """Delete (softly); its parts become roots until it is restored. The notice offers undo."""
    outcome = outcome_service.get(session, outcome_id)
    records.soft_delete(session, outcome, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_outcomes", collaboration_id=outcome.collaboration_id),
        notices.Notice(
            N_("Outcome “%(title)s” deleted."),
            {"title": outcome.title},
            undo=path_for(request, "outcome_restore", outcome_id=outcome_id),
        ),
    )


@router.post("/outcomes/{outcome_id:int}/restore", name="outcome_restore")
def restore_outcome(
    request: Request, session: SessionDep, actor: WebActorDep, outcome_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    outcome = outcome_service.get(session, outcome_id, include_deleted=True)
    restore_with(outcome_service, session, outcome, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "outcome_detail", outcome_id=outcome_id),
        notices.Notice(N_("Outcome “%(title)s” restored."), {"title": outcome.title}),
    )
