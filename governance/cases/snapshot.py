"""Plain rows of one collaboration, read in a fixed number of queries.

The diagnosis and the network analysis are pure functions over these rows (no
database, no web), so they can be tested with hand-made data and reused from the CLI.
Deleted records are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Column, ColumnElement, select
from sqlalchemy.orm import Session, lazyload

from governance import records
from governance.base import Record
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
    AttendanceRole,
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
class AttendanceRow:
    stakeholder_id: int
    invited: bool
    attended: bool
    role: AttendanceRole


@dataclass(frozen=True)
class MeetingRow:
    id: int
    forum_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    status: MeetingStatus
    minutes_circulated_on: dt.date | None
    attendance: tuple[AttendanceRow, ...]

    @property
    def held_on(self) -> dt.date:
        return self.starts_at.date()

    @property
    def attendees(self) -> frozenset[int]:
        return frozenset(row.stakeholder_id for row in self.attendance if row.attended)


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


def load_case(session: Session, collaboration_id: int) -> CaseData:
    """Read a collaboration's records into plain rows (a fixed number of queries)."""
    collaboration = records.get(session, Collaboration, collaboration_id)
    participations = session.scalars(
        select(Participation)
        .where(Participation.collaboration_id == collaboration_id, _live(Participation))
        .order_by(Participation.id)
    ).all()
    forums = session.scalars(
        select(Forum)
        .options(lazyload(Forum.criteria))  # read below as plain columns
        .where(Forum.collaboration_id == collaboration_id, _live(Forum))
        .order_by(Forum.id)
    ).all()
    criteria: dict[int, dict[Criterion, CriterionRating]] = defaultdict(dict)
    for forum_id, criterion, rating in session.execute(
        select(ForumCriterion.forum_id, ForumCriterion.criterion, ForumCriterion.rating).where(
            ForumCriterion.forum_id.in_([f.id for f in forums])
        )
    ):
        criteria[forum_id][criterion] = rating

    meetings = session.scalars(
        select(Meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(Meeting.collaboration_id == collaboration_id, _live(Meeting), _live(Forum))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    meeting_ids = [m.id for m in meetings]
    attendance: dict[int, list[AttendanceRow]] = defaultdict(list)
    for row in session.scalars(
        select(Attendance).where(Attendance.meeting_id.in_(meeting_ids)).order_by(Attendance.id)
    ):
        attendance[row.meeting_id].append(
            AttendanceRow(row.stakeholder_id, row.invited, row.attended, row.role)
        )
    starts = {m.id: m.starts_at.date() for m in meetings}
    decisions = session.scalars(
        select(Decision)
        .where(Decision.meeting_id.in_(meeting_ids), _live(Decision))
        .order_by(Decision.id)
    ).all()

    commitments = session.scalars(
        select(Commitment)
        .where(Commitment.collaboration_id == collaboration_id, _live(Commitment))
        .order_by(Commitment.made_on, Commitment.id)
    ).all()
    history: dict[int, list[StatusStep]] = defaultdict(list)
    for step in session.scalars(
        select(CommitmentStatusChange)
        .where(CommitmentStatusChange.commitment_id.in_([c.id for c in commitments]))
        .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
    ):
        history[step.commitment_id].append(StatusStep(step.to_status, step.changed_on))

    trust_events = session.scalars(
        select(TrustEvent)
        .where(TrustEvent.collaboration_id == collaboration_id, _live(TrustEvent))
        .order_by(TrustEvent.occurred_on, TrustEvent.id)
    ).all()

    outcomes = session.scalars(
        select(Outcome)
        .where(Outcome.collaboration_id == collaboration_id, _live(Outcome))
        .order_by(Outcome.id)
    ).all()
    outcome_ids = [o.id for o in outcomes]
    measured: dict[int, list[MeasurementRow]] = defaultdict(list)
    for measurement in session.scalars(
        select(Measurement)
        .where(Measurement.outcome_id.in_(outcome_ids), _live(Measurement))
        .order_by(Measurement.measured_on, Measurement.id)
    ):
        measured[measurement.outcome_id].append(
            MeasurementRow(measurement.measured_on, measurement.value)
        )
    linked_commitments = _links(session, outcome_commitments.c.commitment_id, outcome_ids)
    linked_meetings = _links(session, outcome_meetings.c.meeting_id, outcome_ids)

    assessments = session.scalars(
        select(Assessment)
        .where(Assessment.collaboration_id == collaboration_id, _live(Assessment))
        .order_by(Assessment.variable, Assessment.period_start, Assessment.id)
    ).all()

    involved = _involved(participations, forums, attendance, commitments, trust_events)
    stakeholders = {
        s.id: StakeholderRow(
            s.id,
            s.name,
            s.kind,
            s.sector,
            {k: v for k, v in (s.resources or {}).items() if v is not None},
        )
        for s in session.scalars(
            select(Stakeholder)
            .where(Stakeholder.id.in_(involved), _live(Stakeholder))
            .order_by(Stakeholder.id)
        )
    }
    relationships = session.scalars(
        select(Relationship)
        .where(
            Relationship.source_id.in_(stakeholders),
            Relationship.target_id.in_(stakeholders),
            _live(Relationship),
        )
        .order_by(Relationship.id)
    ).all()

    return CaseData(
        collaboration_id=collaboration.id,
        name=collaboration.name,
        started_on=collaboration.started_on,
        ended_on=collaboration.ended_on,
        stakeholders=stakeholders,
        participations=tuple(
            ParticipationRow(
                p.stakeholder_id, p.role, p.joined_on, p.left_on, p.incentives, p.constraints
            )
            for p in participations
            if p.stakeholder_id in stakeholders
        ),
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
        meetings=tuple(
            MeetingRow(
                m.id,
                m.forum_id,
                m.title,
                m.starts_at,
                m.ends_at,
                m.mode,
                m.status,
                m.minutes_circulated_on,
                tuple(a for a in attendance[m.id] if a.stakeholder_id in stakeholders),
            )
            for m in meetings
        ),
        decisions=tuple(
            DecisionRow(d.id, d.meeting_id, starts[d.meeting_id], d.kind, d.by_consensus, d.text)
            for d in decisions
        ),
        commitments=tuple(
            CommitmentRow(
                c.id,
                c.meeting_id,
                c.owner_id,
                c.counterpart_id,
                c.description,
                c.made_on,
                c.due_on,
                c.status,
                c.fulfilled_on,
                tuple(history[c.id]),
            )
            for c in commitments
            if c.owner_id in stakeholders
        ),
        trust_events=tuple(
            TrustEventRow(
                t.id,
                t.meeting_id,
                t.occurred_on,
                t.actor_id,
                t.target_id if t.target_id in stakeholders else None,
                t.kind,
                t.trust_form,
                t.valence,
                t.severity,
            )
            for t in trust_events
            if t.actor_id in stakeholders
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
        relationships=tuple(
            RelationshipRow(
                r.id, r.source_id, r.target_id, r.type, r.started_on, r.ended_on, r.strength
            )
            for r in relationships
        ),
        assessments=tuple(
            AssessmentRow(a.id, a.variable, a.period_start, a.period_end, a.score, a.coder)
            for a in assessments
        ),
    )


def _live(model: type[Record]) -> ColumnElement[bool]:
    return model.deleted_at.is_(None)


def _links(session: Session, column: Column[int], outcome_ids: list[int]) -> dict[int, list[int]]:
    """Ids linked to each outcome through an association table's ``column``."""
    table = column.table
    found: dict[int, list[int]] = defaultdict(list)
    for outcome_id, other_id in session.execute(
        select(table.c.outcome_id, column)
        .where(table.c.outcome_id.in_(outcome_ids))
        .order_by(table.c.outcome_id, column)
    ):
        found[outcome_id].append(other_id)
    return found


def _involved(
    participations: Sequence[Participation],
    forums: Sequence[Forum],
    attendance: dict[int, list[AttendanceRow]],
    commitments: Sequence[Commitment],
    trust_events: Sequence[TrustEvent],
) -> set[int]:
    """Every stakeholder the case's records name."""
    ids = {p.stakeholder_id for p in participations}
    for forum in forums:
        ids.update(i for i in (forum.convener_id, forum.facilitator_id) if i is not None)
    for rows in attendance.values():
        ids.update(row.stakeholder_id for row in rows)
    for commitment in commitments:
        ids.update(i for i in (commitment.owner_id, commitment.counterpart_id) if i is not None)
    for event in trust_events:
        ids.update(i for i in (event.actor_id, event.target_id) if i is not None)
    return ids
