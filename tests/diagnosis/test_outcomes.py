"""Shared understanding, small wins, joint fact-finding, progress on final outcomes."""

from __future__ import annotations

import pytest

from governance.diagnosis.examples import day, decision, outcome
from governance.diagnosis.indicator import Window
from governance.diagnosis.outcomes import (
    days_since_small_win,
    joint_fact_finding,
    outcome_progress,
    shared_statement,
    small_wins,
)
from governance.vocab import DecisionKind, OutcomeLevel

AS_OF = day("2022-06-30")
WINDOW = Window.ending(AS_OF, 90)


class TestSharedStatement:
    def test_a_consensus_statement_on_record_with_its_date(self) -> None:
        decisions = [
            decision("2020-06-16", DecisionKind.SHARED_STATEMENT),
            decision("2021-06-16", DecisionKind.SHARED_STATEMENT),
        ]

        result = shared_statement(decisions, AS_OF)

        assert (result.value, result.detail["decided_on"], result.detail["statements"]) == (
            1.0,
            "2020-06-16",
            2,
        )

    @pytest.mark.parametrize(
        "decisions",
        [
            [],
            [decision("2020-06-16")],
            [decision("2020-06-16", DecisionKind.SHARED_STATEMENT, by_consensus=False)],
            [decision("2023-06-16", DecisionKind.SHARED_STATEMENT)],
        ],
    )
    def test_none_on_record_is_zero(self, decisions: list[object]) -> None:
        result = shared_statement(decisions, AS_OF)  # type: ignore[arg-type]

        assert (result.value, result.reason) == (0.0, None)


class TestSmallWins:
    def test_counts_measurements_that_move_towards_the_target(self) -> None:
        aid = outcome(0, 100, ("2022-04-01", 20), ("2022-04-30", 50), ("2022-05-31", 40))
        waiting = outcome(100, 20, ("2022-05-01", 80), ("2022-06-01", 60))  # falling target
        plan = outcome(0, 4, ("2022-05-01", 1), level=OutcomeLevel.STRATEGIC_PLAN)

        result = small_wins([aid, waiting, plan], WINDOW)

        # 2022-04-01 is before the window; the fall to 40 is no win; plans are not small wins.
        assert result.value == 3
        assert [w["on"] for w in result.detail["wins"]] == [
            "2022-04-30",
            "2022-05-01",
            "2022-06-01",
        ]

    def test_none_is_a_real_zero(self) -> None:
        assert small_wins([outcome(0, 100)], WINDOW).value == 0.0


class TestDaysSinceSmallWin:
    def test_days_from_the_latest_win(self) -> None:
        aid = outcome(0, 100, ("2022-03-01", 10), ("2022-06-10", 20), ("2022-07-10", 30))

        result = days_since_small_win([aid], AS_OF)

        assert (result.value, result.detail["last_on"]) == (20, "2022-06-10")

    def test_too_little_data_without_a_win(self) -> None:
        flat = outcome(0, 100, ("2022-03-01", 0))

        assert days_since_small_win([flat], AS_OF).reason == (
            "too little data: no small win recorded up to the as-of date"
        )


class TestJointFactFinding:
    def test_fact_finding_outcomes_measured_in_the_window(self) -> None:
        audits = [
            outcome(0, 26, ("2022-05-01", 6), level=OutcomeLevel.JOINT_FACT_FINDING, title="Audit"),
            outcome(0, 26, ("2021-05-01", 6), level=OutcomeLevel.JOINT_FACT_FINDING),
        ]

        result = joint_fact_finding(audits, WINDOW)

        assert (result.value, result.detail["activities"], result.detail["recorded"]) == (
            1,
            ["Audit"],
            2,
        )

    def test_none_is_a_real_zero(self) -> None:
        assert joint_fact_finding([], WINDOW).value == 0.0


class TestOutcomeProgress:
    def test_a_parent_rolls_up_its_children_as_of_the_date(self) -> None:
        final = outcome(0, 100, level=OutcomeLevel.OUTCOME, outcome_id=100)
        children = [
            outcome(0, 100, ("2022-01-01", 80), ("2022-09-01", 100), parent=100, weight=3),
            outcome(10, 0, ("2022-01-01", 5), parent=100),  # falling target, half way
            outcome(0, 100, ("2022-01-01", 80), parent=999),  # a missing parent: a root
        ]

        result = outcome_progress([final, *children], AS_OF)

        assert result.value == pytest.approx((3 * 0.8 + 1 * 0.5) / 4)

    def test_too_little_data_without_a_final_outcome(self) -> None:
        assert outcome_progress([outcome(0, 1, ("2022-01-01", 1))], AS_OF).reason == (
            "too little data: no final outcome recorded"
        )

    def test_too_little_data_before_any_measurement(self) -> None:
        final = outcome(0, 100, ("2023-01-01", 50), level=OutcomeLevel.OUTCOME)

        assert outcome_progress([final], AS_OF).reason == (
            "too little data: no outcome measured up to the as-of date"
        )
