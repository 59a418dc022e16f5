"""Plain rows of one collaboration, read in a fixed number of queries.

The diagnosis and the network analysis are pure functions over these rows (no
database, no web), so they can be tested with hand-made data and reused from the CLI.
Deleted records are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ColumnElement, String, select, type_coerce
from sqlalchemy.orm import Session

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


@dataclass(frozen=True, slots=True)
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
    """Read a collaboration's records into plain rows (a fixed number of queries).

    One query per table, each selecting only the columns the rows hold (no ORM
    objects are built: at 2,000 stakeholders that took most of the time), and each
    child table joined to its live parents instead of listing their ids.
    """
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
            Meeting.mode,
            Meeting.status,
            Meeting.minutes_circulated_on,
        )
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*live_meetings)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    attendance: dict[int, list[AttendanceRow]] = defaultdict(list)
    # The largest table (300,000 rows at scale): roles come as their codes and are
    # looked up once each, instead of converted row by row.
    roles = {role.value: role for role in AttendanceRole}
    for meeting_id, stakeholder_id, invited, attended, role in connection.execute(
        select(
            Attendance.meeting_id,
            Attendance.stakeholder_id,
            Attendance.invited,
            Attendance.attended,
            type_coerce(Attendance.role, String),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(*live_meetings)
        .order_by(Attendance.id)
    ).all():
        attendance[meeting_id].append(
            AttendanceRow(stakeholder_id, bool(invited), bool(attended), roles[role])
        )
    starts = {m.id: m.starts_at.date() for m in meetings}
    decisions = connection.execute(
        select(
            Decision.id, Decision.meeting_id, Decision.kind, Decision.by_consensus, Decision.text
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
            Commitment.status,
            Commitment.fulfilled_on,
        )
        .where(*live_commitments)
        .order_by(Commitment.made_on, Commitment.id)
    ).all()
    history: dict[int, list[StatusStep]] = defaultdict(list)
    for commitment_id, to_status, changed_on in connection.execute(
        select(
            CommitmentStatusChange.commitment_id,
            CommitmentStatusChange.to_status,
            CommitmentStatusChange.changed_on,
        )
        .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
        .where(*live_commitments)
        .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
    ).all():
        history[commitment_id].append(StatusStep(to_status, changed_on))

    trust_events = connection.execute(
        select(
            TrustEvent.id,
            TrustEvent.meeting_id,
            TrustEvent.occurred_on,
            TrustEvent.actor_id,
            TrustEvent.target_id,
            TrustEvent.kind,
            TrustEvent.trust_form,
            TrustEvent.valence,
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

    involved = _involved(participations, forums, attendance, commitments, trust_events)
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
            .where(Stakeholder.id.in_(involved), _live(Stakeholder))
            .order_by(Stakeholder.id)
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
            ParticipationRow(*p) for p in participations if p.stakeholder_id in stakeholders
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
                *m,
                tuple(a for a in attendance[m.id] if a.stakeholder_id in stakeholders),
            )
            for m in meetings
        ),
        decisions=tuple(
            DecisionRow(d.id, d.meeting_id, starts[d.meeting_id], d.kind, d.by_consensus, d.text)
            for d in decisions
        ),
        commitments=tuple(
            CommitmentRow(*c, tuple(history[c.id]))
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
        relationships=tuple(RelationshipRow(*r) for r in relationships),
        assessments=tuple(AssessmentRow(*a) for a in assessments),
    )


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


def _involved(
    participations: Iterable[Any],
    forums: Iterable[Any],
    attendance: dict[int, list[AttendanceRow]],
    commitments: Iterable[Any],
    trust_events: Iterable[Any],
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
