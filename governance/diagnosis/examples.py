"""Small hand-made rows for the docstring examples and the tests: one line per record.

Each builder takes a date as ``"YYYY-MM-DD"`` and fills every other field with a
plain default, so an example shows only what it is about.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

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
    OutcomeLevel,
    ParticipationRole,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)

#: Ids of rows built here; pick ids below 1000 by hand when a row must be referred to.
_ids = itertools.count(1000)


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def stakeholder(
    stakeholder_id: int,
    sector: Sector = Sector.CIVIL_SOCIETY,
    *,
    kind: StakeholderKind = StakeholderKind.ORGANISATION,
    name: str | None = None,
    **resources: int,
) -> StakeholderRow:
    return StakeholderRow(stakeholder_id, name or f"S{stakeholder_id}", kind, sector, resources)


def meeting(
    iso: str,
    *attendees: int,
    mode: MeetingMode = MeetingMode.IN_PERSON,
    status: MeetingStatus = MeetingStatus.HELD,
    forum_id: int = 1,
    minutes_on: str | None = None,
    absent: Iterable[int] = (),
) -> MeetingRow:
    """A meeting at 10:00 UTC on ``iso``; ``attendees`` attended, ``absent`` were invited only."""
    rows = tuple(AttendanceRow(i, True, True, AttendanceRole.PARTICIPANT) for i in attendees)
    rows += tuple(AttendanceRow(i, True, False, AttendanceRole.PARTICIPANT) for i in absent)
    return MeetingRow(
        id=next(_ids),
        forum_id=forum_id,
        title=f"Meeting of {iso}",
        starts_at=dt.datetime.combine(day(iso), dt.time(10), tzinfo=dt.UTC),
        ends_at=None,
        mode=mode,
        status=status,
        minutes_circulated_on=day(minutes_on) if minutes_on else None,
        seats=rows,
    )


def commitment(
    made: str,
    due: str | None,
    *steps: tuple[CommitmentStatus, str],
    owner: int = 1,
    counterpart: int | None = None,
) -> CommitmentRow:
    """A commitment made open on ``made``; each step is (status, "YYYY-MM-DD")."""
    opened = StatusStep(CommitmentStatus.OPEN, day(made))
    history = (opened, *(StatusStep(status, day(on)) for status, on in steps))
    status = history[-1].to_status
    return CommitmentRow(
        id=next(_ids),
        meeting_id=None,
        owner_id=owner,
        counterpart_id=counterpart,
        description="A promise",
        made_on=day(made),
        due_on=day(due) if due else None,
        status=status,
        fulfilled_on=history[-1].changed_on if status is CommitmentStatus.FULFILLED else None,
        history=history,
    )


def event(
    iso: str,
    valence: Valence = Valence.POSITIVE,
    severity: int = 1,
    *,
    kind: TrustEventKind = TrustEventKind.OTHER,
    actor: int = 1,
    target: int | None = None,
) -> TrustEventRow:
    return TrustEventRow(
        id=next(_ids),
        meeting_id=None,
        occurred_on=day(iso),
        actor_id=actor,
        target_id=target,
        kind=kind,
        trust_form=TrustForm.RATIONAL,
        valence=valence,
        severity=severity,
    )


def outcome(
    baseline: float,
    target: float,
    *measurements: tuple[str, float],
    level: OutcomeLevel = OutcomeLevel.SMALL_WIN,
    parent: int | None = None,
    weight: float = 1.0,
    title: str = "Households reached",
    outcome_id: int | None = None,
) -> OutcomeRow:
    """An outcome with measurements given as ("YYYY-MM-DD", value)."""
    return OutcomeRow(
        id=outcome_id if outcome_id is not None else next(_ids),
        parent_id=parent,
        title=title,
        level=level,
        weight=weight,
        unit="households",
        baseline=baseline,
        target=target,
        started_on=None,
        due_on=None,
        measurements=tuple(MeasurementRow(day(on), value) for on, value in measurements),
        commitment_ids=(),
        meeting_ids=(),
    )


def participation(
    stakeholder_id: int,
    role: ParticipationRole = ParticipationRole.PARTICIPANT,
    *,
    joined: str | None = None,
    left: str | None = None,
    incentives: str = "",
    constraints: str = "",
) -> ParticipationRow:
    return ParticipationRow(
        stakeholder_id,
        role,
        day(joined) if joined else None,
        day(left) if left else None,
        incentives,
        constraints,
    )


def forum(
    forum_id: int = 1,
    *,
    facilitator: int | None = None,
    established: str | None = None,
    closed: str | None = None,
    ground_rules: Mapping[str, bool] | None = None,
    criteria: Mapping[Criterion, CriterionRating] | None = None,
) -> ForumRow:
    return ForumRow(
        id=forum_id,
        name=f"Forum {forum_id}",
        convener_id=None,
        facilitator_id=facilitator,
        established_on=day(established) if established else None,
        closed_on=day(closed) if closed else None,
        inclusiveness=Inclusiveness.OPEN,
        decision_rule=DecisionRule.CONSENSUS,
        public=True,
        ground_rules=dict(ground_rules or {}),
        criteria=dict(criteria or {}),
    )


def decision(
    iso: str, kind: DecisionKind = DecisionKind.ORDINARY, *, by_consensus: bool = True
) -> DecisionRow:
    return DecisionRow(next(_ids), 1, day(iso), kind, by_consensus, f"Decided on {iso}")


def case(
    *,
    started: str | None = None,
    stakeholders: Sequence[StakeholderRow] = (),
    participations: Sequence[ParticipationRow] = (),
    forums: Sequence[ForumRow] = (),
    meetings: Sequence[MeetingRow] = (),
    decisions: Sequence[DecisionRow] = (),
    commitments: Sequence[CommitmentRow] = (),
    trust_events: Sequence[TrustEventRow] = (),
    outcomes: Sequence[OutcomeRow] = (),
    relationships: Sequence[RelationshipRow] = (),
    assessments: Sequence[AssessmentRow] = (),
) -> CaseData:
    """A collaboration of the given rows (id 1); meetings are put in date order."""
    return CaseData(
        collaboration_id=1,
        name="Hand-made case",
        started_on=day(started) if started else None,
        ended_on=None,
        stakeholders={row.id: row for row in stakeholders},
        participations=tuple(participations),
        forums=tuple(forums),
        meetings=tuple(sorted(meetings, key=lambda m: (m.starts_at, m.id))),
        decisions=tuple(decisions),
        commitments=tuple(commitments),
        trust_events=tuple(trust_events),
        outcomes=tuple(outcomes),
        relationships=tuple(relationships),
        assessments=tuple(assessments),
    )
