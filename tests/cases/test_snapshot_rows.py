"""``load_case`` reads only columns, one query per table: the same rows as the ORM reading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pytest
from sqlalchemy import Column, ColumnElement, select
from sqlalchemy.orm import Session, lazyload

from governance import records
from governance.base import Record, utcnow
from governance.cases.snapshot import (
    AssessmentRow,
    AttendanceRow,
    CaseData,
    CommitmentRow,
    DecisionRow,
    ForumRow,
    MeasurementRow,
    MeetingRow,
    OutcomeRow,
    ParticipationRow,
    RelationshipRow,
    StakeholderRow,
    StatusStep,
    TrustEventRow,
    load_case,
)
from governance.demo.loader import load_demo
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
from governance.vocab import Criterion, CriterionRating


def orm_case(session: Session, collaboration_id: int) -> CaseData:
    """The case read the plain way, through ORM objects and lists of ids: the reference
    that :func:`load_case`'s column queries must match, row for row."""
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


class TestSameRowsAsTheOrmReading:
    def test_the_demo_case(self, session: Session) -> None:
        collaboration_id = load_demo(session).collaboration_id
        assert collaboration_id is not None
        session.commit()
        session.expire_all()

        assert load_case(session, collaboration_id) == orm_case(session, collaboration_id)

    @pytest.mark.parametrize(
        "deleted", ["forum", "meeting", "decision", "commitment", "outcome", "measurement"]
    )
    def test_children_of_deleted_records_are_left_out_alike(
        self, session: Session, deleted: str
    ) -> None:
        collaboration_id = load_demo(session).collaboration_id
        assert collaboration_id is not None
        before = load_case(session, collaboration_id)
        record = _record(session, before, deleted)
        assert record is not None
        record.deleted_at = utcnow()
        session.commit()
        session.expire_all()

        after = load_case(session, collaboration_id)

        assert after == orm_case(session, collaboration_id)
        assert after != before


def _record(session: Session, case: CaseData, kind: str) -> Record | None:
    """The first record of ``kind`` that the case's rows name (with children)."""
    if kind == "forum":
        return session.get(Forum, case.forums[0].id)
    if kind == "meeting":
        return session.get(Meeting, case.decisions[0].meeting_id)
    if kind == "decision":
        return session.get(Decision, case.decisions[0].id)
    if kind == "commitment":
        return session.get(Commitment, case.commitments[0].id)
    if kind == "outcome":
        return session.get(Outcome, _measured(case))
    return session.scalars(
        select(Measurement).where(Measurement.outcome_id == _measured(case))
    ).first()


def _measured(case: CaseData) -> int:
    return next(outcome.id for outcome in case.outcomes if outcome.measurements)
