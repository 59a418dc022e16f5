"""Plain rows of one collaboration, read in a fixed number of queries.

The diagnosis and the network analysis are pure functions over these rows (no
database, no web), so they can be tested with hand-made data and reused from the CLI.
Deleted records are left out.
"""

from __future__ import annotations

import datetime as dt
import gc
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from governance import records
from governance.base import Record
from governance.cases.meetings import (
    ATTENDED,
    INVITED,
    ROLES,
    SHIFT,
    HeldMeetings,
    PackedSeats,
)
from governance.cases.meetings import AttendanceRow as AttendanceRow
from governance.cases.meetings import MeetingRow as MeetingRow
from governance.models import (
    Assessment,
    Attendance,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Forum,
    ForumCriterion,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
    outcome_commitments,
    outcome_meetings,
)
from governance.vocab import (
    CommitmentStatus,
    Criterion,
    CriterionRating,
    DecisionKind,
    DecisionRule,
    Inclusiveness,
    MeetingMode,
    MeetingStatus,
    ModelVariable,
    OutcomeLevel,
    ParticipationRole,
    RelationshipType,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)

T = TypeVar("T")


@dataclass(frozen=True)
class StakeholderRow:
    id: int
    name: str
    kind: StakeholderKind
    sector: Sector
    #: Resource profile: authority, staff, budget, data_access, knowledge → 0–4 (absent = unknown).
    resources: dict[str, int] = field(default_factory=dict)

    @property
    def is_state(self) -> bool:
        return self.sector.is_state


@dataclass(frozen=True)
class ParticipationRow:
    stakeholder_id: int
    role: ParticipationRole
    joined_on: dt.date | None
    left_on: dt.date | None
    incentives: str
    constraints: str


@dataclass(frozen=True)
class ForumRow:
    id: int
    name: str
    convener_id: int | None
    facilitator_id: int | None
    established_on: dt.date | None
    closed_on: dt.date | None
    inclusiveness: Inclusiveness
    decision_rule: DecisionRule
    public: bool
    #: GroundRule code → whether the forum has it.
    ground_rules: dict[str, bool]
    criteria: dict[Criterion, CriterionRating]


@dataclass(frozen=True)
class DecisionRow:
    id: int
    meeting_id: int
    decided_on: dt.date
    kind: DecisionKind
    by_consensus: bool
    text: str


@dataclass(frozen=True)
class StatusStep:
    to_status: CommitmentStatus
    changed_on: dt.date


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    meeting_id: int | None
    owner_id: int
    counterpart_id: int | None
    description: str
    made_on: dt.date
    due_on: dt.date | None
    status: CommitmentStatus
    fulfilled_on: dt.date | None
    history: tuple[StatusStep, ...]

    def status_on(self, day: dt.date) -> CommitmentStatus | None:
        """The status the commitment had at the end of ``day`` (None before it was made)."""
        status = None
        for step in self.history:
            if step.changed_on > day:
                break
            status = step.to_status
        return status


@dataclass(frozen=True)
class TrustEventRow:
    id: int
    meeting_id: int | None
    occurred_on: dt.date
    actor_id: int
    target_id: int | None
    kind: TrustEventKind
    trust_form: TrustForm
    valence: Valence
    severity: int


@dataclass(frozen=True)
class MeasurementRow:
    measured_on: dt.date
    value: float


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    parent_id: int | None
    title: str
    level: OutcomeLevel
    weight: float
    unit: str
    baseline: float
    target: float
    started_on: dt.date | None
    due_on: dt.date | None
    measurements: tuple[MeasurementRow, ...]
    commitment_ids: tuple[int, ...]
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class RelationshipRow:
    id: int
    source_id: int
    target_id: int
    type: RelationshipType
    started_on: dt.date | None
    ended_on: dt.date | None
    strength: int

    def active_on(self, day: dt.date) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or self.ended_on >= day
        )


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    score: int
    coder: str


@dataclass(frozen=True)
class CaseData:
    """Everything recorded about one collaboration, as plain rows in date order."""

    collaboration_id: int
    name: str
    started_on: dt.date | None
    ended_on: dt.date | None
    #: Every stakeholder that takes part or appears in the case's records.
    stakeholders: dict[int, StakeholderRow]
    participations: tuple[ParticipationRow, ...]
    forums: tuple[ForumRow, ...]
    meetings: tuple[MeetingRow, ...]
    decisions: tuple[DecisionRow, ...]
    commitments: tuple[CommitmentRow, ...]
    trust_events: tuple[TrustEventRow, ...]
    outcomes: tuple[OutcomeRow, ...]
    #: Declared ties among the case's stakeholders (both ends in ``stakeholders``).
    relationships: tuple[RelationshipRow, ...]
    assessments: tuple[AssessmentRow, ...]

    #: What pure functions work out from these rows, kept by :meth:`derived`.
    _derived: dict[Callable[[CaseData], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def held_meetings(self) -> HeldMeetings:
        """The held meetings in date order, sorted once: the diagnosis asks by date often."""
        return HeldMeetings.of(self.meetings)

    def derived(self, work_out: Callable[[CaseData], T]) -> T:
        """``work_out(self)``, worked out on the first call and kept.

        The rows never change, and one case is diagnosed many times over (a quarterly
        series, a report's coded periods): what a diagnosis works out from all of them
        once (say, each commitment's fulfilment) need not be worked out again.
        """
        if work_out not in self._derived:
            self._derived[work_out] = work_out(self)
        return typing.cast(T, self._derived[work_out])


def load_case(session: Session, collaboration_id: int) -> CaseData:
    """Read a collaboration's records into plain rows (a fixed number of queries).

    One query per table, each selecting only the columns the rows hold (no ORM
    objects are built: at 2,000 stakeholders that took most of the time), and each
    child table joined to its live parents instead of listing their ids. Attendance,
    300,000 rows at national scale, comes packed, one row per meeting (see
    :class:`PackedSeats`).
    """
    with cycle_collector_paused():
        return _read_case(session, collaboration_id)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the rows are built or worked on.

    A national case is hundreds of thousands of small objects, none in a cycle, and
    their number alone sets the collector walking the whole heap again and again: a
    third of the reading time, and half of a diagnosis's. It runs again afterwards
    unless it was already paused.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _read_case(session: Session, collaboration_id: int) -> CaseData:
    collaboration = records.get(session, Collaboration, collaboration_id)
    # Core execution: the rows are plain tuples, so the ORM's row loading is pure overhead.
    connection = session.connection()
    participations = connection.execute(
        select(
            Participation.stakeholder_id,
            Participation.role,
            Participation.joined_on,
            Participation.left_on,
            Participation.incentives,
            Participation.constraints,
        )
        .where(Participation.collaboration_id == collaboration_id, _live(Participation))
        .order_by(Participation.id)
    ).all()
    live_forums = (Forum.collaboration_id == collaboration_id, _live(Forum))
    forums = connection.execute(
        select(
            Forum.id,
            Forum.name,
            Forum.convener_id,
            Forum.facilitator_id,
            Forum.established_on,
            Forum.closed_on,
            Forum.inclusiveness,
            Forum.decision_rule,
            Forum.public,
            Forum.ground_rules,
        )
        .where(*live_forums)
        .order_by(Forum.id)
    ).all()
    criteria: dict[int, dict[Criterion, CriterionRating]] = defaultdict(dict)
    for forum_id, criterion, rating in connection.execute(
        select(ForumCriterion.forum_id, ForumCriterion.criterion, ForumCriterion.rating)
        .join(Forum, Forum.id == ForumCriterion.forum_id)
        .where(*live_forums)
    ).all():
        criteria[forum_id][criterion] = rating

    live_meetings = (
        Meeting.collaboration_id == collaboration_id,
        _live(Meeting),
        _live(Forum),
    )
    meetings = connection.execute(
        select(
            Meeting.id,
            Meeting.forum_id,
            Meeting.title,
            Meeting.starts_at,
            Meeting.ends_at,
            _code(Meeting.mode),
            _code(Meeting.status),
            Meeting.minutes_circulated_on,
        )
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*live_meetings)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    seats = _packed_seats(connection, live_meetings)
    decisions = connection.execute(
        select(
            Decision.id,
            Decision.meeting_id,
            _code(Decision.kind),
            Decision.by_consensus,
            Decision.text,
        )
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*live_meetings, _live(Decision))
        .order_by(Decision.id)
    ).all()

    live_commitments = (Commitment.collaboration_id == collaboration_id, _live(Commitment))
    commitments = connection.execute(
        select(
            Commitment.id,
            Commitment.meeting_id,
            Commitment.owner_id,
            Commitment.counterpart_id,
            Commitment.description,
            Commitment.made_on,
            Commitment.due_on,
            _code(Commitment.status),
            Commitment.fulfilled_on,
        )
        .where(*live_commitments)
        .order_by(Commitment.made_on, Commitment.id)
    ).all()
    history: dict[int, list[StatusStep]] = defaultdict(list)
    # In the order recorded, then each history sorted by day (a stable sort keeps the
    # order recorded within a day): the database orders by id at half the cost.
    for commitment_id, to_status, changed_on in connection.execute(
        select(
            CommitmentStatusChange.commitment_id,
            _code(CommitmentStatusChange.to_status),
            CommitmentStatusChange.changed_on,
        )
        .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
        .where(*live_commitments)
        .order_by(CommitmentStatusChange.id)
    ).all():
        history[commitment_id].append(StatusStep(COMMITMENT_STATUSES[to_status], changed_on))
    for steps in history.values():
        if len(steps) > 1:
            steps.sort(key=_changed_on)

    trust_events = connection.execute(
        select(
            TrustEvent.id,
            TrustEvent.meeting_id,
            TrustEvent.occurred_on,
            TrustEvent.actor_id,
            TrustEvent.target_id,
            _code(TrustEvent.kind),
            _code(TrustEvent.trust_form),
            _code(TrustEvent.valence),
            TrustEvent.severity,
        )
        .where(TrustEvent.collaboration_id == collaboration_id, _live(TrustEvent))
        .order_by(TrustEvent.occurred_on, TrustEvent.id)
    ).all()

    live_outcomes = (Outcome.collaboration_id == collaboration_id, _live(Outcome))
    outcomes = connection.execute(
        select(
            Outcome.id,
            Outcome.parent_id,
            Outcome.title,
            Outcome.level,
            Outcome.weight,
            Outcome.unit,
            Outcome.baseline,
            Outcome.target,
            Outcome.started_on,
            Outcome.due_on,
        )
        .where(*live_outcomes)
        .order_by(Outcome.id)
    ).all()
    measured: dict[int, list[MeasurementRow]] = defaultdict(list)
    for outcome_id, measured_on, value in connection.execute(
        select(Measurement.outcome_id, Measurement.measured_on, Measurement.value)
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(*live_outcomes, _live(Measurement))
        .order_by(Measurement.measured_on, Measurement.id)
    ).all():
        measured[outcome_id].append(MeasurementRow(measured_on, value))
    linked_commitments = _links(session, outcome_commitments.c.commitment_id, live_outcomes)
    linked_meetings = _links(session, outcome_meetings.c.meeting_id, live_outcomes)

    assessments = connection.execute(
        select(
            Assessment.id,
            Assessment.variable,
            Assessment.period_start,
            Assessment.period_end,
            Assessment.score,
            Assessment.coder,
        )
        .where(Assessment.collaboration_id == collaboration_id, _live(Assessment))
        .order_by(Assessment.variable, Assessment.period_start, Assessment.id)
    ).all()

    involved = _involved(participations, forums, commitments, trust_events)
    attending = (
        select(Attendance.stakeholder_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*live_meetings)
    )
    stakeholders = {
        stakeholder_id: StakeholderRow(
            stakeholder_id,
            name,
            kind,
            sector,
            {k: v for k, v in (resources or {}).items() if v is not None},
        )
        for stakeholder_id, name, kind, sector, resources in connection.execute(
            select(
                Stakeholder.id,
                Stakeholder.name,
                Stakeholder.kind,
                Stakeholder.sector,
                Stakeholder.resources,
            )
            .where(
                or_(
                    Stakeholder.id.in_(bindparam("involved", expanding=True)),
                    Stakeholder.id.in_(attending),
                ),
                _live(Stakeholder),
            )
            .order_by(Stakeholder.id),
            {"involved": sorted(involved)},
        ).all()
    }
    relationships = connection.execute(
        select(
            Relationship.id,
            Relationship.source_id,
            Relationship.target_id,
            Relationship.type,
            Relationship.started_on,
            Relationship.ended_on,
            Relationship.strength,
        )
        .where(
            Relationship.source_id.in_(bindparam("ids", expanding=True)),
            Relationship.target_id.in_(bindparam("ids", expanding=True)),
            _live(Relationship),
        )
        .order_by(Relationship.id),
        {"ids": list(stakeholders)},
    ).all()

    # Result rows are read by position (p[0] is the first column selected above): by
    # name it costs ten times more, which shows at tens of thousands of rows.
    meeting_rows = tuple(
        MeetingRow(
            meeting_id,
            forum_id,
            title,
            starts_at,
            ends_at,
            MEETING_MODES[mode],
            MEETING_STATUSES[status],
            minutes_circulated_on,
            seats.get(meeting_id, ()),
        )
        for (
            meeting_id,
            forum_id,
            title,
            starts_at,
            ends_at,
            mode,
            status,
            minutes_circulated_on,
        ) in meetings
    )
    meeting_days = {m.id: m.held_on for m in meeting_rows}
    return CaseData(
        collaboration_id=collaboration.id,
        name=collaboration.name,
        started_on=collaboration.started_on,
        ended_on=collaboration.ended_on,
        stakeholders=stakeholders,
        participations=tuple(ParticipationRow(*p) for p in participations if p[0] in stakeholders),
        forums=tuple(
            ForumRow(
                f.id,
                f.name,
                f.convener_id,
                f.facilitator_id,
                f.established_on,
                f.closed_on,
                f.inclusiveness,
                f.decision_rule,
                f.public,
                dict(f.ground_rules or {}),
                criteria[f.id],
            )
            for f in forums
        ),
        meetings=meeting_rows,
        decisions=tuple(
            DecisionRow(
                decision_id,
                meeting_id,
                meeting_days[meeting_id],
                DECISION_KINDS[kind],
                by_consensus,
                text,
            )
            for decision_id, meeting_id, kind, by_consensus, text in decisions
        ),
        commitments=tuple(
            CommitmentRow(
                commitment_id,
                meeting_id,
                owner_id,
                counterpart_id,
                description,
                made_on,
                due_on,
                COMMITMENT_STATUSES[status],
                fulfilled_on,
                tuple(history[commitment_id]),
            )
            for (
                commitment_id,
                meeting_id,
                owner_id,
                counterpart_id,
                description,
                made_on,
                due_on,
                status,
                fulfilled_on,
            ) in commitments
            if owner_id in stakeholders
        ),
        trust_events=tuple(
            TrustEventRow(
                event_id,
                meeting_id,
                occurred_on,
                actor_id,
                target_id if target_id in stakeholders else None,
                TRUST_EVENT_KINDS[kind],
                TRUST_FORMS[trust_form],
                VALENCES[valence],
                severity,
            )
            for (
                event_id,
                meeting_id,
                occurred_on,
                actor_id,
                target_id,
                kind,
                trust_form,
                valence,
                severity,
            ) in trust_events
            if actor_id in stakeholders
        ),
        outcomes=tuple(
            OutcomeRow(
                o.id,
                o.parent_id,
                o.title,
                o.level,
                o.weight,
                o.unit,
                o.baseline,
                o.target,
                o.started_on,
                o.due_on,
                tuple(measured[o.id]),
                tuple(linked_commitments[o.id]),
                tuple(linked_meetings[o.id]),
            )
            for o in outcomes
        ),
        relationships=tuple(RelationshipRow(*r) for r in relationships),
        assessments=tuple(AssessmentRow(*a) for a in assessments),
    )


#: Enum members by their code. A few columns of 20,000 to 50,000 rows each are read as
#: plain codes (:func:`_code`) and looked up here: the database layer's own conversion,
#: a couple of calls per value, cost a tenth of the reading time.
MEETING_MODES = {member.value: member for member in MeetingMode}
MEETING_STATUSES = {member.value: member for member in MeetingStatus}
DECISION_KINDS = {member.value: member for member in DecisionKind}
COMMITMENT_STATUSES = {member.value: member for member in CommitmentStatus}
TRUST_EVENT_KINDS = {member.value: member for member in TrustEventKind}
TRUST_FORMS = {member.value: member for member in TrustForm}
VALENCES = {member.value: member for member in Valence}


def _code(column: InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """An enum column read as its stored code, to be looked up in the tables above."""
    return type_coerce(column, String)


#: A status step's day, the order a history is read in.
_changed_on = attrgetter("changed_on")


def _live(model: type[Record]) -> ColumnElement[bool]:
    return model.deleted_at.is_(None)


def _links(
    session: Session, column: Column[int], live_outcomes: tuple[ColumnElement[bool], ...]
) -> dict[int, list[int]]:
    """Ids linked to each live outcome through an association table's ``column``."""
    table = column.table
    found: dict[int, list[int]] = defaultdict(list)
    for outcome_id, other_id in session.execute(
        select(table.c.outcome_id, column)
        .join(Outcome, Outcome.id == table.c.outcome_id)
        .where(*live_outcomes)
        .order_by(table.c.outcome_id, column)
    ):
        found[outcome_id].append(other_id)
    return found


def _packed_seats(
    connection: Connection, live_meetings: tuple[ColumnElement[bool], ...]
) -> dict[int, PackedSeats]:
    """Each live meeting's attendance, packed by the database (see :class:`PackedSeats`),
    leaving out deleted stakeholders: one row per meeting, not per attendance."""
    role = case({role: position for position, role in enumerate(ROLES)}, value=Attendance.role)
    code = (
        cast(Attendance.stakeholder_id, BigInteger) * (1 << SHIFT)
        + cast(Attendance.invited, Integer) * INVITED
        + cast(Attendance.attended, Integer) * ATTENDED
        + role
    )
    deleted = select(Stakeholder.id).where(Stakeholder.deleted_at.is_not(None))
    # SQLite lists numbers as they are; casting 300,000 of them to text first costs a fifth.
    as_text = connection.dialect.name != "sqlite"
    return {
        meeting_id: PackedSeats(ids, codes)
        for meeting_id, ids, codes in connection.execute(
            select(
                Meeting.id,
                _listed(Attendance.id, as_text=as_text),
                _listed(code, as_text=as_text),
            )
            .join(Forum, Forum.id == Meeting.forum_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(*live_meetings, Attendance.stakeholder_id.not_in(deleted))
            .group_by(Meeting.id)
        )
    }


def _listed(
    value: ColumnElement[Any] | InstrumentedAttribute[Any], *, as_text: bool = True
) -> ColumnElement[str]:
    """The group's values as one comma-separated string (cast to text first if ``as_text``)."""
    return func.aggregate_strings(cast(value, String) if as_text else value, ",")


def _involved(
    participations: Iterable[Any],
    forums: Iterable[Any],
    commitments: Iterable[Any],
    trust_events: Iterable[Any],
) -> set[int]:
    """Every stakeholder the case's records name, but for attendance (read by a subquery).

    The rows are unpacked by position as they were selected: reading a column of a
    result row by name costs more than the rest of the work here.
    """
    ids = {stakeholder_id for stakeholder_id, *_ in participations}
    for _, _, convener_id, facilitator_id, *_ in forums:
        ids.update((convener_id, facilitator_id))
    for _, _, owner_id, counterpart_id, *_ in commitments:
        ids.update((owner_id, counterpart_id))
    for _, _, _, actor_id, target_id, *_ in trust_events:
        ids.update((actor_id, target_id))
    ids.discard(None)
    return ids
