"""Loading the Jakarta demo case into the database, once.

Every record goes through :func:`governance.records.add`, so the demo is in the audit
log like any other write; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.base import Record
from governance.demo import jakarta
from governance.demo.jakarta import CommitmentData, MeetingData
from governance.models import (
    Assessment,
    Attendance,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Evidence,
    Forum,
    ForumCriterion,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
)
from governance.stakeholders import service as stakeholder_service
from governance.vocab import (
    AttendanceRole,
    CollaborationStatus,
    CommitmentStatus,
    Criterion,
    CriterionRating,
    DecisionKind,
    DecisionRule,
    EvidenceKind,
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

DEMO_ACTOR = Actor("demo")
DEMO_NAME = jakarta.COLLABORATION.name

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class LoadResult:
    """Whether the demo was loaded, its collaboration, and how many rows of each type."""

    loaded: bool
    collaboration_id: int | None
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for people: what was added, or why nothing was."""
        if not self.loaded:
            return (
                f"demo already loaded (collaboration {self.collaboration_id}, "
                f"{DEMO_NAME!r}); nothing added"
            )
        added = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in self.counts.items())
        return f"demo loaded as collaboration {self.collaboration_id}: {added}"


def load_demo(session: Session, *, actor: Actor = DEMO_ACTOR) -> LoadResult:
    """Insert the demo case unless a collaboration of its name exists, even a deleted one."""
    existing = session.scalar(
        select(Collaboration.id)
        .where(Collaboration.name == DEMO_NAME)
        .order_by(Collaboration.id)
        .limit(1)
    )
    if existing is not None:
        return LoadResult(loaded=False, collaboration_id=existing)
    loader = _Loader(session, actor)
    collaboration_id = loader.load()
    return LoadResult(loaded=True, collaboration_id=collaboration_id, counts=dict(loader.counts))


def is_database_empty(session: Session) -> bool:
    """Whether there is no collaboration and no stakeholder at all, not even a deleted one."""
    return all(
        session.scalar(select(model.id).limit(1)) is None for model in (Collaboration, Stakeholder)
    )


class _Loader:
    """Adds the records of :mod:`governance.demo.jakarta` in dependency order, resolving slugs."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.counts: Counter[str] = Counter()
        self.stakeholders: dict[str, Stakeholder] = {}
        self.evidence: dict[str, Evidence] = {}
        self.forums: dict[str, Forum] = {}
        self.meetings: dict[str, Meeting] = {}
        self.decisions: dict[str, Decision] = {}
        self.commitments: dict[str, Commitment] = {}
        self.outcomes: dict[str, Outcome] = {}

    def add(self, record: R) -> R:
        records.add(self.session, record, actor=self.actor)
        self.counts[record.record_type] += 1
        return record

    def stakeholder_id(self, slug: str | None) -> int | None:
        return None if slug is None else self.stakeholders[slug].id

    def cited(self, slugs: tuple[str, ...]) -> list[Evidence]:
        return [self.evidence[slug] for slug in slugs]

    def load(self) -> int:
        collaboration = self.add_collaboration()
        self.add_stakeholders()
        self.add_evidence(collaboration.id)
        self.add_relationships()
        self.add_participations(collaboration.id)
        self.add_forums(collaboration.id)
        for meeting in jakarta.MEETINGS:
            self.add_meeting(meeting)
        for commitment in jakarta.COMMITMENTS:
            self.add_commitment(collaboration.id, commitment)
        self.add_trust_events(collaboration.id)
        self.add_outcomes(collaboration.id)
        self.add_assessments(collaboration.id)
        return collaboration.id

    def add_collaboration(self) -> Collaboration:
        data = jakarta.COLLABORATION
        return self.add(
            Collaboration(
                name=data.name,
                description=data.description,
                policy_domain=data.policy_domain,
                place=data.place,
                started_on=data.started_on,
                ended_on=data.ended_on,
                status=CollaborationStatus(data.status),
            )
        )

    def add_stakeholders(self) -> None:
        for data in jakarta.STAKEHOLDERS:
            aliases = list(data.aliases)
            self.stakeholders[data.slug] = self.add(
                Stakeholder(
                    name=data.name,
                    aliases=aliases,
                    kind=StakeholderKind(data.kind),
                    sector=Sector(data.sector),
                    description=data.description,
                    resources=dict(data.resources),
                    contact=dict(data.contact),
                    search_key=stakeholder_service.search_key(data.name, aliases),
                )
            )

    def add_evidence(self, collaboration_id: int) -> None:
        for data in jakarta.EVIDENCE:
            self.evidence[data.slug] = self.add(
                Evidence(
                    collaboration_id=collaboration_id,
                    kind=EvidenceKind(data.kind),
                    title=data.title,
                    date=data.date,
                    citation=data.citation,
                    url=data.url,
                    excerpt=data.excerpt,
                    confidential=data.confidential,
                )
            )

    def add_relationships(self) -> None:
        for data in jakarta.RELATIONSHIPS:
            relationship = Relationship(
                source_id=self.stakeholder_id(data.source),
                target_id=self.stakeholder_id(data.target),
                type=RelationshipType(data.type),
                started_on=data.started_on,
                ended_on=data.ended_on,
                strength=data.strength,
                note=data.note,
            )
            relationship.evidence = self.cited(data.evidence)
            self.add(relationship)

    def add_participations(self, collaboration_id: int) -> None:
        for data in jakarta.PARTICIPATIONS:
            self.add(
                Participation(
                    collaboration_id=collaboration_id,
                    stakeholder_id=self.stakeholder_id(data.stakeholder),
                    role=ParticipationRole(data.role),
                    joined_on=data.joined_on,
                    left_on=data.left_on,
                    incentives=data.incentives,
                    constraints=data.constraints,
                )
            )

    def add_forums(self, collaboration_id: int) -> None:
        for data in jakarta.FORUMS:
            forum = Forum(
                collaboration_id=collaboration_id,
                name=data.name,
                purpose=data.purpose,
                convener_id=self.stakeholder_id(data.convener),
                facilitator_id=self.stakeholder_id(data.facilitator),
                established_on=data.established_on,
                inclusiveness=Inclusiveness(data.inclusiveness),
                decision_rule=DecisionRule(data.decision_rule),
                ground_rules=dict(data.ground_rules),
                public=data.public,
            )
            for position, rated in enumerate(data.criteria):
                criterion = ForumCriterion(
                    criterion=Criterion(rated.criterion),
                    position=position,
                    rating=CriterionRating(rated.rating),
                    note=rated.note,
                )
                criterion.evidence = self.cited(rated.evidence)
                forum.criteria.append(criterion)
            self.counts["forum_criterion"] += len(data.criteria)
            self.forums[data.slug] = self.add(forum)

    def add_meeting(self, data: MeetingData) -> None:
        forum = self.forums[data.forum]
        meeting = Meeting(
            forum_id=forum.id,
            collaboration_id=forum.collaboration_id,
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.starts_at + dt.timedelta(hours=data.hours),
            mode=MeetingMode(data.mode),
            location=data.location,
            agenda=data.agenda,
            minutes=data.minutes,
            minutes_circulated_on=data.minutes_circulated_on,
            status=MeetingStatus(data.status),
        )
        meeting.attendance = [
            Attendance(
                stakeholder_id=self.stakeholder_id(seat.stakeholder),
                invited=True,
                attended=seat.attended,
                role=AttendanceRole(seat.role),
                represented_by=seat.represented_by,
            )
            for seat in data.attendance
        ]
        self.counts["attendance"] += len(data.attendance)
        self.meetings[data.slug] = self.add(meeting)
        for decided in data.decisions:
            self.decisions[decided.slug] = self.add(
                Decision(
                    meeting_id=meeting.id,
                    text=decided.text,
                    rationale=decided.rationale,
                    by_consensus=decided.by_consensus,
                    kind=DecisionKind(decided.kind),
                )
            )

    def add_commitment(self, collaboration_id: int, data: CommitmentData) -> None:
        """A commitment with its history: open on ``made_on``, then each step."""
        history = [
            CommitmentStatusChange(
                from_status=None,
                to_status=CommitmentStatus.OPEN,
                changed_on=data.made_on,
            )
        ]
        for step in data.steps:
            change = CommitmentStatusChange(
                from_status=history[-1].to_status,
                to_status=CommitmentStatus(step.status),
                changed_on=step.on,
                note=step.note,
            )
            change.evidence = self.cited(step.evidence)
            history.append(change)
        status = history[-1].to_status
        commitment = Commitment(
            collaboration_id=collaboration_id,
            meeting_id=self.meetings[data.meeting].id if data.meeting else None,
            decision_id=self.decisions[data.decision].id if data.decision else None,
            owner_id=self.stakeholder_id(data.owner),
            counterpart_id=self.stakeholder_id(data.counterpart),
            description=data.description,
            made_on=data.made_on,
            due_on=data.due_on,
            status=status,
            fulfilled_on=history[-1].changed_on if status is CommitmentStatus.FULFILLED else None,
        )
        commitment.history = history
        self.counts["commitment_status_change"] += len(history)
        self.commitments[data.slug] = self.add(commitment)

    def add_trust_events(self, collaboration_id: int) -> None:
        for data in jakarta.TRUST_EVENTS:
            event = TrustEvent(
                collaboration_id=collaboration_id,
                meeting_id=self.meetings[data.meeting].id if data.meeting else None,
                occurred_on=data.occurred_on,
                actor_id=self.stakeholder_id(data.actor),
                target_id=self.stakeholder_id(data.target),
                kind=TrustEventKind(data.kind),
                trust_form=TrustForm(data.trust_form),
                valence=Valence(data.valence),
                severity=data.severity,
                description=data.description,
            )
            event.evidence = self.cited(data.evidence)
            self.add(event)

    def add_outcomes(self, collaboration_id: int) -> None:
        for data in jakarta.OUTCOMES:  # parents come before their children
            outcome = Outcome(
                collaboration_id=collaboration_id,
                parent_id=self.outcomes[data.parent].id if data.parent else None,
                title=data.title,
                description=data.description,
                level=OutcomeLevel(data.level),
                weight=data.weight,
                unit=data.unit,
                baseline=data.baseline,
                target=data.target,
                started_on=data.started_on,
                due_on=data.due_on,
            )
            outcome.commitments = [self.commitments[slug] for slug in data.commitments]
            outcome.meetings = [self.meetings[slug] for slug in data.meetings]
            self.outcomes[data.slug] = self.add(outcome)
            for measured in data.measurements:
                measurement = Measurement(
                    outcome_id=outcome.id,
                    measured_on=measured.measured_on,
                    value=measured.value,
                    note=measured.note,
                )
                measurement.evidence = self.cited(measured.evidence)
                self.add(measurement)

    def add_assessments(self, collaboration_id: int) -> None:
        for data in jakarta.ASSESSMENTS:
            assessment = Assessment(
                collaboration_id=collaboration_id,
                variable=ModelVariable(data.variable),
                period_start=data.period_start,
                period_end=data.period_end,
                score=data.score,
                rationale=data.rationale,
                coder=data.coder,
            )
            assessment.evidence = self.cited(data.evidence)
            self.add(assessment)
