"""Outcome progress as pure functions: the leaf formula and the weighted roll-up."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.outcomes import progress
from governance.outcomes.progress import OutcomeNode, leaf_progress, rolled_up

#: Values as the API admits them (finite, |x| ≤ 1e15), kept apart from 0 differences.
amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


def node(
    outcome_id: int,
    parent_id: int | None = None,
    *,
    weight: float = 1.0,
    baseline: float = 0.0,
    target: float = 100.0,
    latest: float | None = None,
) -> OutcomeNode:
    return OutcomeNode(outcome_id, parent_id, weight, baseline, target, latest)


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(progress)

    assert (result.failed, result.attempted > 0) == (0, True)


class TestLeafProgress:
    @pytest.mark.parametrize(
        ("baseline", "target", "latest", "expected"),
        [
            (0, 1000, 250, 25.0),
            (0, 1000, 1000, 100.0),
            (0, 1000, 1500, 100.0),
            (0, 1000, -5, 0.0),
            (0, 1000, None, 0.0),
            (100, 20, 60, 50.0),  # decreasing target
            (100, 20, 120, 0.0),
            (100, 20, 0, 100.0),
            (-10, 10, 0, 50.0),
        ],
    )
    def test_formula(
        self, baseline: float, target: float, latest: float | None, expected: float
    ) -> None:
        assert leaf_progress(baseline, target, latest) == pytest.approx(expected)

    def test_a_target_equal_to_the_baseline_is_refused(self) -> None:
        with pytest.raises(ValueError, match="target equals baseline"):
            leaf_progress(5, 5, 7)

    @given(baseline=amounts, target=amounts, latest=st.none() | amounts)
    def test_always_within_0_and_100(
        self, baseline: float, target: float, latest: float | None
    ) -> None:
        if target == baseline:
            return
        assert 0.0 <= leaf_progress(baseline, target, latest) <= 100.0

    @given(baseline=amounts, distance=st.floats(1e-6, 1e9), a=amounts, b=amounts)
    def test_monotone_in_the_latest_value_for_increasing_targets(
        self, baseline: float, distance: float, a: float, b: float
    ) -> None:
        target = baseline + distance
        low, high = sorted((a, b))

        assert leaf_progress(baseline, target, low) <= leaf_progress(baseline, target, high)

    @given(baseline=amounts, distance=st.floats(1e-6, 1e9), a=amounts, b=amounts)
    def test_antitone_in_the_latest_value_for_decreasing_targets(
        self, baseline: float, distance: float, a: float, b: float
    ) -> None:
        target = baseline - distance
        low, high = sorted((a, b))

        assert leaf_progress(baseline, target, low) >= leaf_progress(baseline, target, high)


class TestRolledUp:
    def test_three_levels_of_weighted_means(self) -> None:
        tree = [
            node(1),
            node(2, 1, weight=2),
            node(3, 1, weight=1, target=10, latest=2),  # 20 %
            node(4, 2, weight=1, latest=50),  # 50 %
            node(5, 2, weight=3, baseline=100, target=20, latest=40),  # 75 %
        ]

        result = rolled_up(tree)

        assert result[2] == pytest.approx((1 * 50 + 3 * 75) / 4)
        assert result[1] == pytest.approx((2 * 68.75 + 1 * 20) / 3)
        assert (result[4], result[5]) == (50.0, 75.0)
        assert result[3] == pytest.approx(20)

    def test_a_parents_own_measurement_does_not_count(self) -> None:
        result = rolled_up([node(1, latest=100), node(2, 1, latest=0)])

        assert result == {1: 0.0, 2: 0.0}

    def test_a_child_of_a_missing_parent_is_a_root(self) -> None:
        result = rolled_up([node(7, 99, latest=40)])

        assert result == {7: 40.0}

    def test_a_cycle_is_refused(self) -> None:
        with pytest.raises(ValueError, match="its own ancestor"):
            rolled_up([node(1, 2), node(2, 1)])

    def test_no_outcomes_no_progress(self) -> None:
        assert rolled_up([]) == {}

    @given(
        st.lists(
            st.tuples(weights, st.none() | amounts, st.integers(0, 30)), min_size=1, max_size=30
        ),
        amounts,
        st.floats(1e-6, 1e9),
    )
    def test_every_outcome_stays_within_0_and_100(
        self,
        rows: list[tuple[float, float | None, int]],
        baseline: float,
        distance: float,
    ) -> None:
        # Each outcome's parent is an earlier one (or none), so the links form a forest.
        tree = [
            node(
                i,
                (pick % i) if i and pick else None,
                weight=weight,
                baseline=baseline,
                target=baseline + distance,
                latest=latest,
            )
            for i, (weight, latest, pick) in enumerate(rows)
        ]

        result = rolled_up(tree)

        assert set(result) == {n.id for n in tree}
        assert all(0.0 <= value <= 100.0 for value in result.values())

    @given(st.lists(st.tuples(weights, st.floats(0, 100)), min_size=1, max_size=10))
    def test_a_parent_lies_between_its_lowest_and_highest_child(
        self, children: list[tuple[float, float]]
    ) -> None:
        tree = [node(0)] + [
            node(i + 1, 0, weight=weight, latest=latest)
            for i, (weight, latest) in enumerate(children)
        ]

        parent = rolled_up(tree)[0]

        values = [latest for _, latest in children]
        assert min(values) - 1e-9 <= parent <= max(values) + 1e-9
