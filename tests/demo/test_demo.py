"""The Jakarta demo case: what it loads, that it loads once, and that it obeys the API's rules."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.base import Record
from governance.demo import jakarta
from governance.demo.loader import DEMO_NAME, LoadResult, is_database_empty, load_demo
from governance.models import (
    Assessment,
    Attendance,
    AuditEntry,
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
    evidence_links,
    outcome_commitments,
    outcome_meetings,
)
from governance.vocab import (
    COMMITMENT_TRANSITIONS,
    CommitmentStatus,
    DecisionKind,
    EvidenceKind,
    GroundRule,
    MeetingStatus,
    ParticipationRole,
    Sector,
    Valence,
)
from tests.factories import make_collaboration, make_stakeholder

RECORD_MODELS: list[type[Record]] = [
    Collaboration,
    Stakeholder,
    Evidence,
    Relationship,
    Participation,
    Forum,
    Meeting,
    Decision,
    Commitment,
    TrustEvent,
    Outcome,
    Measurement,
    Assessment,
]
#: The demo's "now": the end of the period it covers.
AS_OF = dt.date(2022, 6, 30)


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def table_sizes(session: Session) -> dict[str, int]:
    tables = [
        *RECORD_MODELS,
        Attendance,
        CommitmentStatusChange,
        ForumCriterion,
        AuditEntry,
        evidence_links,
        outcome_commitments,
        outcome_meetings,
    ]
    return {str(table): count(session, table) for table in tables}


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(jakarta.WIB).date()


@dataclass(frozen=True)
class Loaded:
    session: Session
    result: LoadResult


@pytest.fixture(scope="class")
def demo(engine: Engine) -> Iterator[Loaded]:
    """The demo loaded once for a class of read-only checks, rolled back afterwards.

    Loading takes about a second; the checks that only read share one load.
    """
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, expire_on_commit=False)
        result = load_demo(session)
        yield Loaded(session, result)
        session.close()
        transaction.rollback()


class TestLoadDemo:
    def test_loads_a_case_rich_enough_for_every_page(self, demo: Loaded) -> None:
        session, result = demo.session, demo.result

        assert result.loaded is True
        assert result.counts["stakeholder"] == count(session, Stakeholder) >= 15
        assert 18 <= result.counts["meeting"] == count(session, Meeting) <= 24
        assert result.counts["commitment"] == count(session, Commitment) >= 15
        assert set(session.scalars(select(TrustEvent.valence))) == set(Valence)
        measured = set(session.scalars(select(Measurement.outcome_id)))
        assert measured == set(session.scalars(select(Outcome.id)))
        collaboration = session.get_one(Collaboration, result.collaboration_id)
        assert collaboration.name == DEMO_NAME

    def test_counts_every_record_it_adds(self, demo: Loaded) -> None:
        session, counts = demo.session, demo.result.counts

        for model in RECORD_MODELS:
            assert counts[model.record_type] == count(session, model), model
        assert counts["attendance"] == count(session, Attendance)
        assert counts["commitment_status_change"] == count(session, CommitmentStatusChange)
        assert counts["forum_criterion"] == count(session, ForumCriterion)

    def test_a_second_load_adds_nothing(self, demo: Loaded) -> None:
        before = table_sizes(demo.session)

        second = load_demo(demo.session)

        assert second == LoadResult(loaded=False, collaboration_id=demo.result.collaboration_id)
        assert table_sizes(demo.session) == before

    def test_summary_says_what_was_added_or_that_nothing_was(self, demo: Loaded) -> None:
        again = load_demo(demo.session)

        assert demo.result.summary().startswith(
            f"demo loaded as collaboration {demo.result.collaboration_id}: collaboration 1, "
        )
        assert "meeting 21, " in demo.result.summary()
        assert again.summary() == (
            f"demo already loaded (collaboration {demo.result.collaboration_id}, "
            f"'{DEMO_NAME}'); nothing added"
        )

    def test_every_record_is_audited_as_the_demo(self, demo: Loaded) -> None:
        entries = demo.session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.record_type)
        )

        logged = Counter(entries.all())

        assert logged == {
            ("demo", "create", model.record_type): demo.result.counts[model.record_type]
            for model in RECORD_MODELS
        }


class TestLoadDemoWrites:
    def test_a_deleted_demo_is_not_loaded_again(self, session: Session) -> None:
        first = load_demo(session)
        collaboration = session.get_one(Collaboration, first.collaboration_id)
        records.soft_delete(session, collaboration, actor=Actor("test"))

        again = load_demo(session)

        assert again.loaded is False
        assert again.collaboration_id == first.collaboration_id
        assert count(session, Collaboration) == 1

    def test_writes_as_the_given_actor(self, session: Session) -> None:
        load_demo(session, actor=Actor("cli"))

        actors = set(session.scalars(select(AuditEntry.actor)))

        assert actors == {"cli"}


class TestIsDatabaseEmpty:
    def test_a_new_database_is_empty_until_the_demo_is_loaded(self, session: Session) -> None:
        assert is_database_empty(session) is True

        load_demo(session)

        assert is_database_empty(session) is False

    @pytest.mark.parametrize("record", ["stakeholder", "deleted_collaboration"])
    def test_any_stakeholder_or_collaboration_counts(self, session: Session, record: str) -> None:
        if record == "stakeholder":
            make_stakeholder(session)
        else:
            make_collaboration(session, deleted_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))

        assert is_database_empty(session) is False


class TestInvariants:
    """The loaded case obeys every rule the API enforces on what people enter."""

    def test_meetings_end_after_they_start_in_their_forums_case(self, demo: Loaded) -> None:
        rows = demo.session.execute(
            select(Meeting, Forum.collaboration_id).join(Forum, Forum.id == Meeting.forum_id)
        ).all()

        for meeting, forum_collaboration in rows:
            assert meeting.starts_at.tzinfo is not None
            assert meeting.ends_at is not None
            assert meeting.ends_at > meeting.starts_at
            assert meeting.collaboration_id == forum_collaboration

    def test_held_meetings_have_minutes_mostly_circulated_within_a_week(self, demo: Loaded) -> None:
        meetings = demo.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        held = [m for m in meetings if m.status is MeetingStatus.HELD]

        delays = [
            (m.minutes_circulated_on - local_day(m.starts_at)).days
            for m in held
            if m.minutes_circulated_on is not None
        ]
        assert len(delays) == len(held)
        assert all(delay >= 0 for delay in delays)
        assert sum(delay > 7 for delay in delays) == 2
        assert all(m.minutes.endswith(jakarta.MINUTES_NOTE) for m in held)
        others = [m for m in meetings if m.status is not MeetingStatus.HELD]
        assert {m.status for m in others} == {MeetingStatus.CANCELLED, MeetingStatus.PLANNED}
        assert all(m.minutes == "" and m.minutes_circulated_on is None for m in others)
        assert meetings[-1].status is MeetingStatus.PLANNED

    def test_attendance_is_unique_and_four_to_twelve_at_held_meetings(self, demo: Loaded) -> None:
        rows = demo.session.execute(
            select(Attendance.meeting_id, Attendance.stakeholder_id, Meeting.status).join(
                Meeting, Meeting.id == Attendance.meeting_id
            )
        ).all()

        seats = Counter((meeting_id, stakeholder_id) for meeting_id, stakeholder_id, _ in rows)
        assert max(seats.values()) == 1
        held = Counter(meeting_id for meeting_id, _, status in rows if status == "held")
        assert held
        assert all(4 <= size <= 12 for size in held.values())

    def test_decisions_include_one_shared_statement_and_one_formalisation(
        self, demo: Loaded
    ) -> None:
        kinds = Counter(demo.session.scalars(select(Decision.kind)))

        assert kinds[DecisionKind.SHARED_STATEMENT] == 1
        assert kinds[DecisionKind.FORMALISATION] == 1
        assert kinds[DecisionKind.ORDINARY] > 10

    def test_commitments_are_due_after_they_are_made_at_their_meeting(self, demo: Loaded) -> None:
        commitments = demo.session.scalars(select(Commitment)).all()
        meetings = {m.id: m for m in demo.session.scalars(select(Meeting))}
        decided_at = dict(demo.session.execute(select(Decision.id, Decision.meeting_id)).all())

        for commitment in commitments:
            assert commitment.due_on is not None
            assert commitment.due_on >= commitment.made_on
            assert commitment.owner_id != commitment.counterpart_id
            if commitment.meeting_id is not None:
                meeting = meetings[commitment.meeting_id]
                assert meeting.collaboration_id == commitment.collaboration_id
                assert local_day(meeting.starts_at) == commitment.made_on
            if commitment.decision_id is not None:
                assert decided_at[commitment.decision_id] == commitment.meeting_id

    def test_commitment_histories_follow_the_allowed_transitions(self, demo: Loaded) -> None:
        commitments = {c.id: c for c in demo.session.scalars(select(Commitment))}
        steps = demo.session.scalars(
            select(CommitmentStatusChange).order_by(
                CommitmentStatusChange.commitment_id,
                CommitmentStatusChange.changed_on,
                CommitmentStatusChange.id,
            )
        ).all()
        histories: dict[int, list[CommitmentStatusChange]] = {}
        for step in steps:
            histories.setdefault(step.commitment_id, []).append(step)

        assert histories.keys() == commitments.keys()
        for commitment_id, history in histories.items():
            commitment = commitments[commitment_id]
            first, last = history[0], history[-1]
            assert (first.from_status, first.to_status) == (None, CommitmentStatus.OPEN)
            assert first.changed_on == commitment.made_on
            for before, after in itertools.pairwise(history):
                assert after.from_status == before.to_status
                assert after.to_status in COMMITMENT_TRANSITIONS[before.to_status]
                assert before.changed_on <= after.changed_on <= AS_OF
            assert commitment.status == last.to_status
            fulfilled = last.changed_on if last.to_status is CommitmentStatus.FULFILLED else None
            assert commitment.fulfilled_on == fulfilled

    def test_one_commitment_is_broken_some_late_some_overdue(self, demo: Loaded) -> None:
        commitments = demo.session.scalars(select(Commitment)).all()
        statuses = Counter(c.status for c in commitments)

        assert statuses[CommitmentStatus.BROKEN] == 1
        assert statuses[CommitmentStatus.PARTLY_FULFILLED] >= 1
        late = [c for c in commitments if c.fulfilled_on and c.due_on and c.fulfilled_on > c.due_on]
        assert len(late) >= 3
        pending = {CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS}
        overdue = [c for c in commitments if c.status in pending and c.due_on and c.due_on < AS_OF]
        assert len(overdue) == 2
        state_owned = set(
            demo.session.scalars(
                select(Stakeholder.id).where(Stakeholder.sector == Sector.GOVERNMENT)
            )
        )
        sides = {c.owner_id in state_owned for c in commitments}
        assert sides == {True, False}

    def test_relationships_tie_two_stakeholders_within_their_dates(self, demo: Loaded) -> None:
        relationships = demo.session.scalars(select(Relationship)).all()

        for relationship in relationships:
            assert relationship.source_id != relationship.target_id
            assert 1 <= relationship.strength <= 3
            if relationship.started_on and relationship.ended_on:
                assert relationship.ended_on >= relationship.started_on
        ended = [r for r in relationships if r.ended_on is not None]
        assert [r.type for r in ended] == ["in_conflict_with"]

    def test_trust_events_are_rated_and_prehistory_is_mostly_cooperative(
        self, demo: Loaded
    ) -> None:
        events = demo.session.scalars(select(TrustEvent)).all()
        meetings = dict(demo.session.execute(select(Meeting.id, Meeting.collaboration_id)).all())
        first_meeting = min(demo.session.scalars(select(Meeting.starts_at)))

        for event in events:
            assert 1 <= event.severity <= 3
            assert event.actor_id != event.target_id
            if event.meeting_id is not None:
                assert meetings[event.meeting_id] == event.collaboration_id
        prehistory = Counter(e.valence for e in events if e.occurred_on < local_day(first_meeting))
        assert prehistory[Valence.POSITIVE] > prehistory[Valence.NEGATIVE] >= 1

    def test_outcomes_form_a_tree_with_measured_progress(self, demo: Loaded) -> None:
        outcomes = {o.id: o for o in demo.session.scalars(select(Outcome))}
        measured_on = demo.session.scalars(select(Measurement.measured_on)).all()

        roots = [o for o in outcomes.values() if o.parent_id is None]
        assert [o.level for o in roots] == ["outcome"]
        for outcome in outcomes.values():
            assert outcome.target != outcome.baseline
            assert outcome.weight > 0
            assert outcome.started_on
            assert outcome.due_on
            assert outcome.started_on <= outcome.due_on
            if outcome.parent_id is not None:
                parent = outcomes[outcome.parent_id]
                assert parent.collaboration_id == outcome.collaboration_id
                assert outcome.level.is_intermediate
        assert max(measured_on) <= AS_OF
        assert count(demo.session, outcome_commitments) >= len(outcomes)
        assert count(demo.session, outcome_meetings) >= len(outcomes)

    def test_assessments_are_scored_with_evidence_by_two_coders(self, demo: Loaded) -> None:
        assessments = demo.session.scalars(select(Assessment)).all()
        cited = Counter(
            demo.session.scalars(
                select(evidence_links.c.assessment_id).where(
                    evidence_links.c.assessment_id.is_not(None)
                )
            )
        )

        assert all(0 <= a.score <= 4 for a in assessments)
        assert all(a.period_start <= a.period_end for a in assessments)
        assert all(cited[a.id] >= 1 for a in assessments)
        coders = Counter(a.variable for a in assessments)
        assert max(coders.values()) == 2

    def test_evidence_supports_every_kind_of_record(self, demo: Loaded) -> None:
        links = demo.session.execute(select(evidence_links)).mappings().all()

        for column in ("assessment_id", "trust_event_id", "status_change_id", "measurement_id"):
            assert any(link[column] is not None for link in links), column
        for column in ("relationship_id", "forum_criterion_id"):
            assert any(link[column] is not None for link in links), column

    def test_forums_rate_criteria_and_ground_rules_in_the_vocabulary(self, demo: Loaded) -> None:
        forums = demo.session.scalars(select(Forum)).all()
        criteria = Counter(demo.session.scalars(select(ForumCriterion.forum_id)))

        assert all(set(forum.ground_rules) == set(GroundRule) for forum in forums)
        assert all(forum.convener_id and forum.facilitator_id for forum in forums)
        assert [criteria[f.id] for f in forums if f.public] == [6]

    def test_participations_name_the_convener_facilitator_and_affected_groups(
        self, demo: Loaded
    ) -> None:
        rows = demo.session.execute(
            select(Participation.role, Stakeholder.name, Stakeholder.sector).join(
                Stakeholder, Stakeholder.id == Participation.stakeholder_id
            )
        ).all()
        by_role: dict[str, list[tuple[str, str]]] = {}
        for role, name, sector in rows:
            by_role.setdefault(role, []).append((name, sector))

        assert by_role[ParticipationRole.CONVENER] == [("Dinas Sosial DKI Jakarta", "government")]
        assert by_role[ParticipationRole.FACILITATOR] == [("Hendra Kusuma", "government")]
        affected = by_role[ParticipationRole.AFFECTED_GROUP]
        assert len(affected) == 3
        assert {sector for _, sector in affected} == {"community"}

    def test_each_stakeholder_takes_part_once_within_its_dates(self, demo: Loaded) -> None:
        participations = demo.session.scalars(select(Participation)).all()

        taking_part = Counter(p.stakeholder_id for p in participations)
        assert max(taking_part.values()) == 1
        for p in participations:
            assert p.joined_on is not None
            assert p.left_on is None or p.left_on >= p.joined_on
        assert sum(p.left_on is not None for p in participations) == 1

    def test_invented_material_says_it_is_illustrative(self, demo: Loaded) -> None:
        description = demo.session.scalars(select(Collaboration.description)).one()
        interviews = demo.session.scalars(
            select(Evidence.title).where(Evidence.kind == EvidenceKind.INTERVIEW)
        ).all()
        thesis = demo.session.scalars(
            select(Evidence).where(Evidence.url == jakarta.THESIS_URL)
        ).one()

        assert description.endswith(jakarta.ILLUSTRATIVE)
        assert interviews
        assert all("(illustrative)" in title for title in interviews)
        assert thesis.citation.startswith("Utami, R. Z. (2023).")
        assert thesis.citation.endswith(jakarta.THESIS_URL)
