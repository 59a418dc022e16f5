"""The synthetic case generator: sizes, reproducibility, the rules it keeps, its audit trail."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.cli import main
from governance.config import get_settings
from governance.demo.generate import GenerateResult, Sizes, case_name, existing_case, generate
from governance.models import (
    Attendance,
    AuditEntry,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Forum,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Stakeholder,
    TrustEvent,
)
from governance.vocab import COMMITMENT_TRANSITIONS, CommitmentStatus, MeetingStatus, Valence

SMALL = Sizes(
    stakeholders=120,
    forums=4,
    meetings=200,
    attendance=2_000,
    commitments=300,
    trust_events=250,
    outcomes=40,
    relationships=150,
)


def count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def generated(session: Session) -> GenerateResult:
    result = generate(session, sizes=SMALL, seed=7)
    session.flush()
    return result


class TestSizes:
    def test_writes_exactly_the_sizes_asked(
        self, session: Session, generated: GenerateResult
    ) -> None:
        assert count(session, Stakeholder) == 120
        assert count(session, Forum) == 4
        assert count(session, Meeting) == 200
        assert count(session, Attendance) == 2_000
        assert count(session, Commitment) == 300
        assert count(session, TrustEvent) == 250
        assert count(session, Outcome) == 40
        assert generated.counts["participation"] == 120
        assert generated.counts["attendance"] == 2_000

    def test_summary_lists_each_table_and_the_time(self, generated: GenerateResult) -> None:
        text = generated.summary()
        assert text.startswith(f"generated collaboration {generated.collaboration_ids[0]}")
        assert "attendance" in text
        assert "2,000" in text
        assert text.rstrip().endswith(" s")

    @pytest.mark.parametrize(
        ("changes", "option"),
        [
            ({"stakeholders": 0}, "stakeholders"),
            ({"meetings": -1}, "meetings"),
            ({"forums": 1, "collaborations": 2}, "forums"),
            ({"meetings": 2, "stakeholders": 3, "attendance": 7}, "attendance"),
        ],
    )
    def test_impossible_sizes_are_refused_naming_the_option(
        self, session: Session, changes: dict[str, int], option: str
    ) -> None:
        sizes = Sizes(**(SMALL.__dict__ | changes))
        assert option in sizes.problems()
        with pytest.raises(ValueError, match=f"--{option}"):
            generate(session, sizes=sizes)
        assert count(session, Collaboration) == 0


class TestReproducible:
    def test_the_same_seed_gives_the_same_records(self, session: Session) -> None:
        def fingerprint(collaboration_id: int) -> tuple[object, ...]:
            meetings = session.execute(
                select(Meeting.title, Meeting.starts_at, Meeting.status)
                .where(Meeting.collaboration_id == collaboration_id)
                .order_by(Meeting.id)
            ).all()
            commitments = session.execute(
                select(Commitment.description, Commitment.made_on, Commitment.status)
                .where(Commitment.collaboration_id == collaboration_id)
                .order_by(Commitment.id)
            ).all()
            return tuple(meetings), tuple(commitments)

        first = generate(session, sizes=SMALL, seed=3)
        # generate() itself does not refuse a repeat (the command does): the rows repeat.
        second = generate(session, sizes=SMALL, seed=3)
        assert first.collaboration_ids != second.collaboration_ids
        assert fingerprint(first.collaboration_ids[0]) == fingerprint(second.collaboration_ids[0])
        other = generate(session, sizes=SMALL, seed=4)
        assert fingerprint(other.collaboration_ids[0]) != fingerprint(first.collaboration_ids[0])

    def test_existing_case_finds_the_case_of_that_seed_and_size(
        self, session: Session, generated: GenerateResult
    ) -> None:
        assert existing_case(session, seed=7, sizes=SMALL) == generated.collaboration_ids[0]
        assert existing_case(session, seed=8, sizes=SMALL) is None
        name = session.scalar(
            select(Collaboration.name).where(Collaboration.id == generated.collaboration_ids[0])
        )
        assert name == case_name(7, 1, SMALL)


class TestRules:
    def test_commitment_histories_follow_the_allowed_transitions(
        self, session: Session, generated: GenerateResult
    ) -> None:
        steps: dict[int, list[CommitmentStatusChange]] = {}
        for step in session.scalars(
            select(CommitmentStatusChange).order_by(
                CommitmentStatusChange.commitment_id, CommitmentStatusChange.id
            )
        ):
            steps.setdefault(step.commitment_id, []).append(step)
        commitments = session.scalars(select(Commitment)).all()
        seen = Counter[CommitmentStatus]()
        for commitment in commitments:
            history = steps[commitment.id]
            assert history[0].from_status is None
            assert history[0].to_status is CommitmentStatus.OPEN
            assert history[0].changed_on == commitment.made_on
            for before, after in itertools.pairwise(history):
                assert after.from_status is before.to_status
                assert after.to_status in COMMITMENT_TRANSITIONS[before.to_status]
                assert after.changed_on >= before.changed_on
            assert commitment.status is history[-1].to_status
            assert history[-1].changed_on <= dt.date.today()
            fulfilled = commitment.status is CommitmentStatus.FULFILLED
            assert (commitment.fulfilled_on is not None) == fulfilled
            assert commitment.owner_id != commitment.counterpart_id
            seen[commitment.status] += 1
        # A realistic mix: every outcome of a promise occurs in 300 commitments.
        assert set(seen) >= {
            CommitmentStatus.OPEN,
            CommitmentStatus.IN_PROGRESS,
            CommitmentStatus.FULFILLED,
            CommitmentStatus.BROKEN,
        }

    def test_commitments_and_trust_events_stay_within_their_meetings_case(
        self, session: Session, generated: GenerateResult
    ) -> None:
        mismatched = session.scalar(
            select(func.count())
            .select_from(Commitment)
            .join(Meeting, Meeting.id == Commitment.meeting_id)
            .where(Meeting.collaboration_id != Commitment.collaboration_id)
        )
        assert mismatched == 0
        events = session.scalars(select(TrustEvent)).all()
        assert all(event.actor_id != event.target_id for event in events)
        negative = sum(event.valence is Valence.NEGATIVE for event in events)
        assert 0.15 < negative / len(events) < 0.5

    def test_attendance_concentrates_on_a_core_group(
        self, session: Session, generated: GenerateResult
    ) -> None:
        per_stakeholder = sorted(
            session.scalars(
                select(func.count())
                .select_from(Attendance)
                .where(Attendance.attended.is_(True))
                .group_by(Attendance.stakeholder_id)
            ).all(),
            reverse=True,
        )
        top_tenth = sum(per_stakeholder[: len(per_stakeholder) // 10])
        # An even spread would give the busiest tenth a tenth of the seats: at least twice that.
        assert top_tenth / sum(per_stakeholder) > 0.2
        planned_attended = session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.status != MeetingStatus.HELD, Attendance.attended.is_(True))
        )
        assert planned_attended == 0

    def test_meetings_spread_over_years_and_none_held_in_the_future(
        self, session: Session, generated: GenerateResult
    ) -> None:
        first, last = session.execute(
            select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))
        ).one()
        assert (last - first).days > 3 * 365
        held_late = session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(
                Meeting.status == MeetingStatus.HELD, Meeting.starts_at > dt.datetime.now(dt.UTC)
            )
        )
        assert held_late == 0

    def test_outcomes_form_a_tree_of_one_case_with_measurements_in_the_past(
        self, session: Session, generated: GenerateResult
    ) -> None:
        outcomes = {o.id: o for o in session.scalars(select(Outcome))}
        children = [o for o in outcomes.values() if o.parent_id is not None]
        assert children
        assert len(children) < len(outcomes)
        for child in children:
            parent = outcomes[child.parent_id]  # type: ignore[index]
            assert parent.parent_id is None
            assert parent.collaboration_id == child.collaboration_id
        assert all(o.target != o.baseline and o.weight > 0 for o in outcomes.values())
        latest = session.scalar(select(func.max(Measurement.measured_on)))
        assert latest is not None
        assert latest <= dt.date.today()
        measured = session.scalar(select(func.count(func.distinct(Measurement.outcome_id))))
        assert measured == len(outcomes)

    def test_each_stakeholder_takes_part_once(
        self, session: Session, generated: GenerateResult
    ) -> None:
        pairs = session.execute(
            select(Participation.collaboration_id, Participation.stakeholder_id)
        ).all()
        assert len(pairs) == len(set(pairs)) == 120


class TestAudit:
    def test_one_summary_entry_per_table_batch_and_a_normal_one_per_collaboration(
        self, session: Session, generated: GenerateResult
    ) -> None:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.actor == "generator")).all()
        by_type = Counter(entry.record_type for entry in entries)
        assert by_type["attendance"] == 1
        assert by_type["meeting"] == 1
        assert by_type["collaboration"] == 1
        summary = next(e for e in entries if e.record_type == "meeting")
        assert summary.record_id is None
        assert summary.changes["generated"][1]["rows"] == 200
        assert summary.changes["generated"][1]["seed"] == 7
        first, last = summary.changes["generated"][1]["ids"]
        assert last - first == 199
        assert len(entries) < 25


class TestCommand:
    @pytest.fixture
    def database(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
        url = f"sqlite:///{tmp_path / 'generate.sqlite3'}"
        monkeypatch.setenv("COLLABGOV_DATABASE_URL", url)
        get_settings.cache_clear()
        assert main(["db", "upgrade"]) == 0
        return url

    ARGS: ClassVar[list[str]] = [
        "demo",
        "generate",
        "--stakeholders",
        "50",
        "--forums",
        "2",
        "--meetings",
        "30",
        "--attendance",
        "300",
        "--commitments",
        "20",
        "--trust-events",
        "20",
        "--outcomes",
        "5",
        "--relationships",
        "20",
        "--seed",
        "5",
    ]

    def test_generates_once_and_prints_the_counts(
        self, database: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(self.ARGS) == 0
        first = capsys.readouterr().out
        assert "meeting" in first
        assert "30" in first
        assert "attendance" in first
        assert main(self.ARGS) == 0
        assert "already there" in capsys.readouterr().out
        get_settings.cache_clear()

    def test_impossible_size_is_an_error_naming_the_option(
        self, database: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([*self.ARGS, "--stakeholders", "0"]) == 1
        assert "--stakeholders: must be at least 1" in capsys.readouterr().err
        get_settings.cache_clear()
