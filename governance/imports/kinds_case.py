"""Importing a collaboration's commitments (with their status), trust events and
outcome measurements.

Natural keys:

- commitment: same owner, date made and description (folded);
- trust event: same day, actor, target, kind, valence and description (folded);
- measurement: same outcome, date and value.

A commitment whose status is not ``open`` is recorded open as of the day it was made
and then moved to its status on the status date, through the commitment service, so
its history and the audit log read as if it had been kept by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from sqlalchemy import select

from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.commitments.schemas import CommitmentCreate, StatusChangeCreate
from governance.imports import parsing
from governance.imports.engine import Cells, Context
from governance.imports.matching import name_key
from governance.imports.messages import (
    ALREADY_RECORDED_DASHED,
    N_,
    SAME_AS_ROW_DASHED,
    Message,
    day,
    number,
    term,
    text,
    written,
)
from governance.imports.reading import Row
from governance.imports.report import Action
from governance.outcomes import service as outcome_service
from governance.outcomes.models import Measurement, Outcome
from governance.outcomes.schemas import MeasurementCreate
from governance.records import fold
from governance.trust import service as trust_service
from governance.trust.models import TrustEvent
from governance.trust.schemas import TrustEventCreate
from governance.vocab import CommitmentStatus, TrustEventKind, TrustForm, Valence

_COMMITMENT_FIELDS = {"owner_id": "owner", "counterpart_id": "counterpart"}


def _text_key(value: str) -> str:
    return " ".join(fold(value).split())


def _same(summary: Message, row: int) -> Message:
    return text(SAME_AS_ROW_DASHED, record=summary, row=str(row))


def _known(summary: Message) -> Message:
    return text(ALREADY_RECORDED_DASHED, record=summary)


def commitments(context: Context, rows: Sequence[Row]) -> None:
    session = context.session
    for row in rows:
        cells = Cells(context, row)
        owner = cells.stakeholder("owner", required=True)
        counterpart = cells.stakeholder("counterpart")
        description = cells.required_text("description")
        made_on = cells.date("made_on", required=True)
        due_on = cells.date("due_on")
        status = cells.code("status", CommitmentStatus, "commitment_status", CommitmentStatus.OPEN)
        status_on = cells.date("status_on")
        if status is not CommitmentStatus.OPEN and status_on is None and cells.ok:
            cells.problem(
                "status_on",
                text(
                    N_("is required when the status is %(status)s: give its date"),
                    status=term("commitment_status", status),
                ),
            )
        if not cells.ok or owner is None or made_on is None:
            continue
        summary = written(f"{cells.label(owner)}: {description[:80]}")
        key = ("commitment", owner, made_on, _text_key(description))
        earlier = context.repeated(key, row.number)
        if earlier is not None:
            context.result(row.number, Action.SKIP, "commitment", _same(summary, earlier))
            continue
        existing = next(
            (
                found.id
                for found in session.scalars(
                    select(Commitment).where(
                        Commitment.collaboration_id == context.collaboration_id,
                        Commitment.owner_id == owner,
                        Commitment.made_on == made_on,
                        Commitment.deleted_at.is_(None),
                    )
                )
                if _text_key(found.description) == key[3]
            ),
            None,
        )
        if existing is not None:
            context.result(row.number, Action.SKIP, "commitment", _known(summary), existing)
            continue
        data = {
            "collaboration_id": context.collaboration_id,
            "owner_id": owner,
            "counterpart_id": counterpart,
            "description": description,
            "made_on": made_on,
            "due_on": due_on,
        }
        step = {"status": status, "changed_on": status_on, "note": cells.text("status_note")}

        def write(
            data: Mapping[str, object] = data, step: Mapping[str, object] = step
        ) -> Commitment:
            created = commitment_service.create(
                session, data=CommitmentCreate.model_validate(data), actor=context.actor
            )
            if step["status"] is not CommitmentStatus.OPEN:
                commitment_service.change_status(
                    session,
                    record=created,
                    data=StatusChangeCreate.model_validate(step),
                    actor=context.actor,
                )
            return created

        created = context.attempt(
            row.number,
            write,
            _COMMITMENT_FIELDS | {"changed_on": "status_on", "note": "status_note"},
        )
        if created is not None:
            context.result(row.number, Action.ADD, "commitment", summary, created.id)


def trust_events(context: Context, rows: Sequence[Row]) -> None:
    session = context.session
    for row in rows:
        cells = Cells(context, row)
        occurred_on = cells.date("occurred_on", required=True)
        actor = cells.stakeholder("actor", required=True)
        target = cells.stakeholder("target")
        kind = cells.code("kind", TrustEventKind, "trust_event_kind", None)
        form = cells.code("trust_form", TrustForm, "trust_form", None)
        valence = cells.code("valence", Valence, "valence", None)
        severity = cells.value("severity", partial(parsing.parse_int, low=1, high=3), default=1)
        description = cells.text("description")
        if not cells.ok or actor is None or occurred_on is None:
            continue
        summary = text(
            N_("%(day)s %(actor)s → %(target)s: %(kind)s"),
            day=day(occurred_on),
            actor=cells.label(actor),
            target=cells.label(target) if target else text(N_("the forum")),
            kind=term("trust_event_kind", kind),
        )
        key = ("trust", occurred_on, actor, target, kind, valence, _text_key(description))
        earlier = context.repeated(key, row.number)
        if earlier is not None:
            context.result(row.number, Action.SKIP, "trust_event", _same(summary, earlier))
            continue
        existing = next(
            (
                found.id
                for found in session.scalars(
                    select(TrustEvent).where(
                        TrustEvent.collaboration_id == context.collaboration_id,
                        TrustEvent.occurred_on == occurred_on,
                        TrustEvent.actor_id == actor,
                        TrustEvent.kind == kind,
                        TrustEvent.valence == valence,
                        TrustEvent.deleted_at.is_(None),
                    )
                )
                if found.target_id == target and _text_key(found.description) == key[6]
            ),
            None,
        )
        if existing is not None:
            context.result(row.number, Action.SKIP, "trust_event", _known(summary), existing)
            continue
        data = {
            "collaboration_id": context.collaboration_id,
            "occurred_on": occurred_on,
            "actor_id": actor,
            "target_id": target,
            "kind": kind,
            "trust_form": form,
            "valence": valence,
            "severity": severity or 1,
            "description": description,
        }
        created = context.create(
            row.number,
            trust_service.create,
            TrustEventCreate,
            data,
            {"actor_id": "actor", "target_id": "target"},
        )
        if created is not None:
            context.result(row.number, Action.ADD, "trust_event", summary, created.id)


def measurements(context: Context, rows: Sequence[Row]) -> None:
    session = context.session
    outcomes: dict[str, list[Outcome]] = {}
    for outcome in session.scalars(
        select(Outcome).where(
            Outcome.collaboration_id == context.collaboration_id, Outcome.deleted_at.is_(None)
        )
    ):
        outcomes.setdefault(name_key(outcome.title), []).append(outcome)
    for row in rows:
        cells = Cells(context, row)
        title = cells.required_text("outcome")
        measured_on = cells.date("measured_on", required=True)
        value = cells.value("value", parsing.parse_number, required=True)
        found = outcomes.get(name_key(title), []) if title else []
        if title and not found:
            listed = "; ".join(sorted(o.title for group in outcomes.values() for o in group))
            if listed:
                missing = text(
                    N_(
                        "no outcome of this collaboration is titled %(text)r "
                        "(outcomes: %(outcomes)s)"
                    ),
                    text=title,
                    outcomes=listed,
                )
            else:
                missing = text(
                    N_(
                        "no outcome of this collaboration is titled %(text)r; "
                        "set the outcome up first"
                    ),
                    text=title,
                )
            cells.problem("outcome", missing)
        elif len(found) > 1:
            cells.problem(
                "outcome",
                text(
                    N_(
                        "several outcomes are titled %(text)r (ids %(ids)s); "
                        "give them distinct titles first"
                    ),
                    text=title,
                    ids=", ".join(str(o.id) for o in found),
                ),
            )
        if not cells.ok or measured_on is None or value is None:
            continue
        outcome = found[0]
        summary = text(
            N_("%(outcome)s: %(value)s on %(day)s"),
            outcome=outcome.title,
            value=number(value),
            day=day(measured_on),
        )
        earlier = context.repeated(("measurement", outcome.id, measured_on, value), row.number)
        if earlier is not None:
            context.result(row.number, Action.SKIP, "measurement", _same(summary, earlier))
            continue
        existing = session.scalar(
            select(Measurement.id).where(
                Measurement.outcome_id == outcome.id,
                Measurement.measured_on == measured_on,
                Measurement.value == value,
                Measurement.deleted_at.is_(None),
            )
        )
        if existing is not None:
            context.result(row.number, Action.SKIP, "measurement", _known(summary), existing)
            continue
        data = {"measured_on": measured_on, "value": value, "note": cells.text("note")}
        created = context.create(
            row.number, outcome_service.add_measurement, MeasurementCreate, data, outcome=outcome
        )
        if created is not None:
            context.result(row.number, Action.ADD, "measurement", summary, created.id)
