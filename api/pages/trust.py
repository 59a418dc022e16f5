"""The trust timeline of a collaboration: the chart of events (with the running net trust
balance), filters and the list of events; a page per event; the create / edit / delete
(with undo) forms, with the case's evidence to tick."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from babel import dates
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.charts import Timeline, TrustPoint, trust_timeline
from api.pages.editing import Saved
from api.pages.evidence import (
    as_ids,
    evidence_by_record,
    evidence_choices,
    fold_item_errors,
    picked,
)
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, field_errors, text
from api.pages.labels import N_, label_id
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import records
from governance.cases.snapshot import TrustEventRow
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.commitments import service as commitment_service
from governance.diagnosis.thresholds import Thresholds
from governance.diagnosis.trust import net_trust_balance
from governance.evidence import service as evidence_service
from governance.meetings.models import Meeting
from governance.participations.models import Participation
from governance.schemas import DateRange, Id, Input
from governance.stakeholders.models import Stakeholder
from governance.trust import service as trust_service
from governance.trust.models import TrustEvent
from governance.trust.schemas import TrustEventCreate, TrustEventPatch
from governance.vocab import TrustEventKind, TrustForm, Valence

router = APIRouter()

FIELDS = (
    "occurred_on",
    "meeting_id",
    "actor_id",
    "target_id",
    "kind",
    "trust_form",
    "valence",
    "severity",
    "description",
)
FILTERS = (
    "q",
    "actor_id",
    "target_id",
    "kind",
    "trust_form",
    "valence",
    "occurred_from",
    "occurred_to",
)
#: The target filter's value for events towards the whole forum (no target).
WHOLE_FORUM = "forum"
#: The timeline draws at most this many events, the latest that match the filters.
EVENTS_DRAWN = 300
#: The timeline page's chart is larger than the dashboard's.
CHART_WIDTH, CHART_HEIGHT = 960, 300
BALANCE_HEIGHT = 130
#: Selects offer at most this many stakeholders and meetings.
STAKEHOLDER_CHOICES = 1000
MEETING_CHOICES = 200
SEVERITIES = (("1", N_("1 – minor")), ("2", N_("2 – notable")), ("3", N_("3 – major")))
#: Field names the domain's date-order messages name ("must not be before occurred_from").
_FIELD_NAMES = (N_("Occurred from"),)


class TrustFilters(Input, DateRange):
    """The timeline's filters; a target of "the whole forum" is handled apart."""

    q: str | None = Field(None, max_length=200)
    actor_id: Id | None = None
    target_id: Id | None = None
    kind: TrustEventKind | None = None
    trust_form: TrustForm | None = None
    valence: Valence | None = None
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None


@dataclass(frozen=True)
class EventRow:
    """A trust event as the timeline lists it, with the names of both sides."""

    id: int
    occurred_on: dt.date
    actor_id: int
    actor: str
    target_id: int | None
    target: str | None
    kind: TrustEventKind
    trust_form: TrustForm
    valence: Valence
    severity: int
    description: str


# -- the running net trust balance ---------------------------------------------------------


@dataclass(frozen=True)
class BalanceStep:
    day: dt.date
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class BalanceLine:
    """The net trust balance after each day with events, on the timeline's time axis."""

    width: int
    height: int
    left: float
    right: float
    top: float
    zero: float
    bottom: float
    steps: list[BalanceStep]
    path: str
    half_life_days: float

    @property
    def latest(self) -> float:
        return self.steps[-1].value


def balance_steps(
    events: Sequence[TrustEventRow], *, half_life_days: float
) -> list[tuple[dt.date, float]]:
    """The net trust balance just after each day with events, oldest first.

    The balance is the diagnosis's own indicator (``net_trust_balance``): between two
    events it stays put, since decay shrinks both sides alike.

    >>> from governance.diagnosis.examples import event
    >>> steps = balance_steps(
    ...     [event("2020-01-01", Valence.POSITIVE, 2), event("2020-03-01", Valence.NEGATIVE, 2)],
    ...     half_life_days=60,
    ... )
    >>> [(day.isoformat(), round(value, 2)) for day, value in steps]
    [('2020-01-01', 1.0), ('2020-03-01', -0.33)]
    """
    ordered = sorted(events, key=lambda e: e.occurred_on)
    days = sorted({e.occurred_on for e in ordered})
    steps = []
    for day in days:
        upto = [e for e in ordered if e.occurred_on <= day]
        balance = net_trust_balance(upto, day, half_life_days=half_life_days)
        if balance.value is not None:
            steps.append((day, balance.value))
    return steps


def balance_line(
    chart: Timeline,
    steps: Sequence[tuple[dt.date, float]],
    *,
    half_life_days: float,
    height: int = BALANCE_HEIGHT,
) -> BalanceLine | None:
    """Place the balance steps (−1 to 1) under ``chart``, on the same time axis.

    >>> day = dt.date
    >>> chart = trust_timeline([TrustPoint(day(2020, 1, 1), True, 1),
    ...                         TrustPoint(day(2020, 12, 1), False, 1)])
    >>> line = balance_line(chart, [(day(2020, 1, 1), 1.0), (day(2020, 12, 1), -0.5)],
    ...                     half_life_days=60)
    >>> line.steps[0].y == line.top, line.steps[1].y > line.zero
    (True, True)
    >>> line.path.startswith(f"M {line.steps[0].x} {line.top}")
    True
    """
    if not steps:
        return None
    top, bottom = 14.0, height - 14.0
    zero = (top + bottom) / 2
    span = max((chart.end - chart.start).days, 1)

    def x_of(day: dt.date) -> float:
        return round(chart.left + (chart.right - chart.left) * (day - chart.start).days / span, 1)

    placed = [
        BalanceStep(day, value, x_of(day), round(zero - value * (zero - top), 1))
        for day, value in steps
    ]
    path = [f"M {placed[0].x} {placed[0].y}"]
    for step in placed[1:]:
        path.append(f"H {step.x} V {step.y}")
    path.append(f"H {chart.right}")
    return BalanceLine(
        chart.width,
        height,
        chart.left,
        chart.right,
        top,
        zero,
        bottom,
        placed,
        " ".join(path),
        half_life_days,
    )


# -- reading the timeline -------------------------------------------------------------------


def _clauses(
    collaboration_id: int, filters: TrustFilters, *, towards_forum: bool
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [
        TrustEvent.collaboration_id == collaboration_id,
        TrustEvent.deleted_at.is_(None),
    ]
    equal_to = {
        TrustEvent.actor_id: filters.actor_id,
        TrustEvent.target_id: filters.target_id,
        TrustEvent.kind: filters.kind,
        TrustEvent.trust_form: filters.trust_form,
        TrustEvent.valence: filters.valence,
    }
    clauses += [column == value for column, value in equal_to.items() if value is not None]
    if towards_forum:
        clauses.append(TrustEvent.target_id.is_(None))
    if filters.occurred_from is not None:
        clauses.append(TrustEvent.occurred_on >= filters.occurred_from)
    if filters.occurred_to is not None:
        clauses.append(TrustEvent.occurred_on <= filters.occurred_to)
    if filters.q and filters.q.strip():
        clauses.append(records.text_filter([TrustEvent.description], filters.q))
    return clauses


def event_rows(
    session: Session, clauses: Sequence[ColumnElement[bool]], *, limit: int, offset: int = 0
) -> list[EventRow]:
    """Matching events, the latest first, with the names of both sides, in one query."""
    actor, target = aliased(Stakeholder), aliased(Stakeholder)
    rows = session.execute(
        select(TrustEvent, actor.name, target.name)
        .join(actor, actor.id == TrustEvent.actor_id)
        .outerjoin(target, target.id == TrustEvent.target_id)
        .where(*clauses)
        .order_by(TrustEvent.occurred_on.desc(), TrustEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        EventRow(
            id=event.id,
            occurred_on=event.occurred_on,
            actor_id=event.actor_id,
            actor=actor_name,
            target_id=event.target_id,
            target=target_name,
            kind=event.kind,
            trust_form=event.trust_form,
            valence=event.valence,
            severity=event.severity,
            description=event.description,
        )
        for event, actor_name, target_name in rows
    ]


def case_stakeholders(
    session: Session, collaboration_id: int, *, include: Collection[int] = ()
) -> list[tuple[str, str]]:
    """``(id, name)`` of the collaboration's people: its participants, everyone in its
    trust events, and ``include`` (the current choices) — in one query."""
    wanted = set(as_ids(include))
    live_events = (TrustEvent.collaboration_id == collaboration_id) & TrustEvent.deleted_at.is_(
        None
    )
    participants = select(Participation.stakeholder_id).where(
        Participation.collaboration_id == collaboration_id, Participation.deleted_at.is_(None)
    )
    actors = select(TrustEvent.actor_id).where(live_events)
    targets = select(TrustEvent.target_id).where(live_events, TrustEvent.target_id.is_not(None))
    rows = session.execute(
        select(Stakeholder.id, Stakeholder.name)
        .where(
            or_(
                Stakeholder.id.in_(wanted),
                Stakeholder.deleted_at.is_(None)
                & or_(
                    Stakeholder.id.in_(participants),
                    Stakeholder.id.in_(actors),
                    Stakeholder.id.in_(targets),
                ),
            )
        )
        .order_by(Stakeholder.name, Stakeholder.id)
        .limit(STAKEHOLDER_CHOICES)
    )
    return [(str(stakeholder_id), name) for stakeholder_id, name in rows]


def case_meetings(
    session: Session, collaboration_id: int, language: Language, *, include: int | None = None
) -> list[tuple[str, str]]:
    """``(id, "date · title")`` of the collaboration's meetings, the latest first."""
    rows = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(
            Meeting.collaboration_id == collaboration_id,
            or_(Meeting.deleted_at.is_(None), Meeting.id == (include or 0)),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(MEETING_CHOICES)
    )
    return [
        (str(meeting_id), f"{_day(language, starts_at)} · {title}")
        for meeting_id, title, starts_at in rows
    ]


def _day(language: Language, moment: dt.datetime) -> str:
    local = moment.astimezone(language.timezone).date()
    return str(dates.format_date(local, "medium", locale=language.locale))


def _chart_label(language: Language, row: EventRow) -> str:
    """The tooltip of a marker: date, what happened, who, and how severe."""
    day = dates.format_date(row.occurred_on, "medium", locale=language.locale)
    kind = language.gettext(label_id("trust_event_kind", row.kind))
    return f"{day} · {kind} · {row.actor} · {row.severity}/3"


def _half_life(request: Request) -> float:
    """The deployment's half-life of a trust event's weight (as the diagnosis uses it)."""
    thresholds = Thresholds.with_overrides(request.app.state.settings.diagnosis_thresholds)
    return float(thresholds.trust_half_life_days)


@router.get("/collaborations/{collaboration_id:int}/trust", name="collaboration_trust")
def trust_timeline_page(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    q: str | None = None,
    actor_id: str | None = None,
    target_id: str | None = None,
    kind: str | None = None,
    trust_form: str | None = None,
    valence: str | None = None,
    occurred_from: str | None = None,
    occurred_to: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """The trust timeline: chart, balance, filters and events; bad filters are named."""
    collaboration = collaboration_service.get(session, collaboration_id)
    typed = {
        "q": q or "",
        "actor_id": actor_id or "",
        "target_id": target_id or "",
        "kind": kind or "",
        "trust_form": trust_form or "",
        "valence": valence or "",
        "occurred_from": occurred_from or "",
        "occurred_to": occurred_to or "",
    }
    towards_forum = typed["target_id"] == WHOLE_FORUM
    sent = {key: value for key, value in typed.items() if blank_to_none(value) is not None}
    if towards_forum:
        del sent["target_id"]
    errors: dict[str, str] = {}
    try:
        filters = TrustFilters.model_validate(sent)
    except ValidationError as error:
        errors = field_errors(error, language)
        filters = _without(TrustFilters, sent, errors)
    clauses = _clauses(collaboration_id, filters, towards_forum=towards_forum)
    total = session.scalar(select(func.count(TrustEvent.id)).where(*clauses)) or 0
    number = page_number(page) or 1
    pager = Pager(page=number, total=total, params=typed)
    events = event_rows(session, clauses, limit=pager.size, offset=pager.offset)
    drawn = _drawn(session, clauses)
    chart = trust_timeline(
        [
            TrustPoint(
                row.occurred_on,
                row.valence is Valence.POSITIVE,
                row.severity,
                _chart_label(language, row),
            )
            for row in drawn
        ],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
    )
    half_life = _half_life(request)
    balance = (
        balance_line(
            chart,
            balance_steps([_snapshot_row(row) for row in drawn], half_life_days=half_life),
            half_life_days=half_life,
        )
        if chart is not None
        else None
    )
    return render(
        request,
        "trust/list.html",
        {
            "collaboration": collaboration,
            "events": events,
            "evidence": evidence_by_record(session, "trust_event_id", [e.id for e in events]),
            "pager": pager,
            "chart": chart,
            "balance": balance,
            "drawn": len(drawn),
            "filters": FormState(values=typed, errors=errors),
            "filtered": any(typed.values()),
            "stakeholders": case_stakeholders(session, collaboration_id),
        },
        status_code=400 if errors else 200,
    )


F = TypeVar("F", bound=BaseModel)


def _without(model: type[F], sent: dict[str, str], errors: dict[str, str]) -> F:
    """The filters that are valid on their own; none when even those fail together."""
    try:
        return model.model_validate(
            {key: value for key, value in sent.items() if key not in errors}
        )
    except ValidationError:
        return model()


def _drawn(session: Session, clauses: Sequence[ColumnElement[bool]]) -> list[EventRow]:
    """The latest events that match, oldest first, for the chart."""
    return list(reversed(event_rows(session, clauses, limit=EVENTS_DRAWN)))


def _snapshot_row(row: EventRow) -> TrustEventRow:
    return TrustEventRow(
        id=row.id,
        meeting_id=None,
        occurred_on=row.occurred_on,
        actor_id=row.actor_id,
        target_id=row.target_id,
        kind=row.kind,
        trust_form=row.trust_form,
        valence=row.valence,
        severity=row.severity,
    )


# -- one event, and the forms ----------------------------------------------------------------


def form_input(form: RawForm, collaboration_id: int) -> dict[str, Any]:
    """The schema's input from the form: blank choices mean none given."""
    data: dict[str, Any] = {"collaboration_id": collaboration_id}
    for name in FIELDS:
        data[name] = text(form, name) if name == "description" else blank_to_none(text(form, name))
    data["evidence_ids"] = picked(form)
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    """What the user typed and ticked, to show again."""
    return {name: text(form, name) for name in FIELDS} | {"evidence_ids": picked(form)}


def stored_values(event: TrustEvent, evidence_ids: Sequence[int]) -> dict[str, Any]:
    """The form's values from the stored record."""
    return {
        "occurred_on": event.occurred_on.isoformat(),
        "meeting_id": "" if event.meeting_id is None else str(event.meeting_id),
        "actor_id": str(event.actor_id),
        "target_id": "" if event.target_id is None else str(event.target_id),
        "kind": event.kind.value,
        "trust_form": event.trust_form.value,
        "valence": event.valence.value,
        "severity": str(event.severity),
        "description": event.description,
        "evidence_ids": [str(i) for i in evidence_ids],
        "version": event.version,
    }


def _validated(
    form: RawForm, collaboration_id: int, language: Language
) -> tuple[TrustEventCreate | None, dict[str, str]]:
    valid, errors = editing.validated(
        TrustEventCreate, form_input(form, collaboration_id), language
    )
    return valid, fold_item_errors(errors)


def _form_context(
    session: Session,
    language: Language,
    collaboration: Collaboration,
    state: FormState,
) -> dict[str, Any]:
    """What the event form needs besides its values: the choices of each select."""
    people = as_ids([state.value("actor_id"), state.value("target_id")])
    meeting = as_ids([state.value("meeting_id")])
    ticked = as_ids(state.value("evidence_ids", []))
    return {
        "form": state,
        "collaboration": collaboration,
        "stakeholders": case_stakeholders(session, collaboration.id, include=people),
        "meetings": case_meetings(
            session, collaboration.id, language, include=meeting[0] if meeting else None
        ),
        "evidence_choices": evidence_choices(
            session, collaboration_id=collaboration.id, include=ticked
        ),
        "severities": [(code, language.gettext(label)) for code, label in SEVERITIES],
    }


@router.get("/trust-events/{trust_event_id:int}", name="trust_event_detail")
def trust_event_detail(
    request: Request, session: SessionDep, language: LanguageDep, trust_event_id: RecordId
) -> HTMLResponse:
    """A trust event: who, towards whom, what happened, and the evidence behind it."""
    event = trust_service.get(session, trust_event_id)
    collaboration = collaboration_service.get(session, event.collaboration_id, include_deleted=True)
    wanted = {event.actor_id} | ({event.target_id} if event.target_id else set())
    sides = select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(wanted))
    names: dict[int, str] = dict(session.execute(sides).all())
    meeting = session.get(Meeting, event.meeting_id) if event.meeting_id else None
    return render(
        request,
        "trust/detail.html",
        {
            "event": event,
            "collaboration": collaboration,
            "names": names,
            "meeting": meeting,
            "evidence": evidence_by_record(session, "trust_event_id", [event.id]).get(event.id, []),
        },
        section="collaboration_trust",
    )


@router.api_route(
    "/collaborations/{collaboration_id:int}/trust/new",
    methods=["GET", "POST"],
    name="trust_event_new",
    response_model=None,
)
def new_trust_event(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Record a trust event: the form, and what it sends."""
    collaboration = collaboration_service.get(session, collaboration_id)
    if request.method == "GET":
        state = FormState(
            values={"occurred_on": commitment_service.today().isoformat(), "severity": "1"}
        )
        return render(
            request,
            "trust/new.html",
            _form_context(session, language, collaboration, state),
            section="collaboration_trust",
        )
    valid, errors = _validated(form, collaboration_id, language)
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=lambda data: trust_service.create(session, data=data, actor=actor),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "trust_event_detail", trust_event_id=result.record.id),
            notices.Notice(N_("Trust event recorded.")),
        )
    result.state.errors = fold_item_errors(result.state.errors)
    return render(
        request,
        "trust/new.html",
        _form_context(session, language, collaboration, result.state),
        status_code=result.status_code,
        section="collaboration_trust",
    )


@router.api_route(
    "/trust-events/{trust_event_id:int}/edit",
    methods=["GET", "POST"],
    name="trust_event_edit",
    response_model=None,
)
def edit_trust_event(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    trust_event_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change a trust event; a stale version shows what changed meanwhile."""
    if request.method == "GET":
        event = trust_service.get(session, trust_event_id)
        linked = evidence_service.ids_by_record(session, "trust_event_id", [event.id])
        state = FormState(values=stored_values(event, linked.get(event.id, [])))
        collaboration = collaboration_service.get(session, event.collaboration_id)
        context = _form_context(session, language, collaboration, state) | {"event": event}
        return render(request, "trust/edit.html", context, section="collaboration_trust")
    event = trust_service.get(session, trust_event_id, include_deleted=True)
    collaboration = collaboration_service.get(session, event.collaboration_id, include_deleted=True)
    valid, errors = _validated(form, event.collaboration_id, language)
    result = editing.update(
        session,
        record=event,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=lambda record, data, version: trust_service.update(
            session,
            record=record,
            data=TrustEventPatch.model_validate(
                data.model_dump(exclude={"collaboration_id"}) | {"version": version}
            ),
            actor=actor,
        ),
        reload=lambda: trust_service.get(session, trust_event_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "trust_event_detail", trust_event_id=trust_event_id),
            notices.Notice(N_("Trust event saved.")),
        )
    result.state.errors = fold_item_errors(result.state.errors)
    context = _form_context(session, language, collaboration, result.state) | {"event": event}
    return render(
        request,
        "trust/edit.html",
        context,
        status_code=result.status_code,
        section="collaboration_trust",
    )


@router.post("/trust-events/{trust_event_id:int}/delete", name="trust_event_delete")
def delete_trust_event(
    request: Request, session: SessionDep, actor: WebActorDep, trust_event_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the timeline offers to undo it."""
    event = trust_service.get(session, trust_event_id)
    records.soft_delete(session, event, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "collaboration_trust", collaboration_id=event.collaboration_id),
        notices.Notice(
            N_("Trust event deleted."),
            undo=path_for(request, "trust_event_restore", trust_event_id=trust_event_id),
        ),
    )


@router.post("/trust-events/{trust_event_id:int}/restore", name="trust_event_restore")
def restore_trust_event(
    request: Request, session: SessionDep, actor: WebActorDep, trust_event_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    event = trust_service.get(session, trust_event_id, include_deleted=True)
    restore_with(trust_service, session, event, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "trust_event_detail", trust_event_id=trust_event_id),
        notices.Notice(N_("Trust event restored.")),
    )
