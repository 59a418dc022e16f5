"""Agreement between coders as pure functions, checked against published worked examples."""

from __future__ import annotations

import datetime as dt
import doctest
from collections.abc import Sequence
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.assessments import agreement
from governance.assessments.agreement import (
    AgreementUndefined,
    agreement_report,
    krippendorff_alpha,
    weighted_kappa,
)
from governance.cases.snapshot import AssessmentRow
from governance.vocab import ModelVariable

PREHISTORY = ModelVariable.PREHISTORY
LEADERSHIP = ModelVariable.FACILITATIVE_LEADERSHIP
TRUST = ModelVariable.TRUST_BUILDING
START, END = dt.date(2020, 4, 1), dt.date(2020, 12, 31)

#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
#: observers A–D code twelve units with values 1–5; None is a value not coded. One row
#: per unit: the observers' values A, B, C, D.
KRIPPENDORFF_2011: list[list[int | None]] = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, 3, None, None],
]

scores = st.integers(min_value=0, max_value=4)


def pairs_from_table(table: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """Two coders' scores from a contingency table (first coder's score = row index)."""
    first: list[int] = []
    second: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i] * count
            second += [j] * count
    return first, second


def row(
    assessment_id: int,
    coder: str,
    score: int,
    variable: ModelVariable = PREHISTORY,
    start: dt.date = START,
    end: dt.date = END,
) -> AssessmentRow:
    return AssessmentRow(assessment_id, variable, start, end, score, coder)


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(agreement)

    assert (result.failed, result.attempted > 0) == (0, True)


class TestWeightedKappa:
    # scikit-learn's test of cohen_kappa_score ("Weighting example: none, linear,
    # quadratic", sklearn/metrics/tests/test_classification.py); the same values come
    # out of sklearn.metrics.cohen_kappa_score 1.9.
    SKLEARN_FIRST = [0] * 46 + [1] * 44 + [2] * 10
    SKLEARN_SECOND = [0] * 50 + [1] * 40 + [2] * 10

    @pytest.mark.parametrize(("weights", "expected"), [("linear", 0.9412), ("quadratic", 0.9541)])
    def test_matches_the_scikit_learn_worked_example(self, weights: str, expected: float) -> None:
        kappa = weighted_kappa(self.SKLEARN_FIRST, self.SKLEARN_SECOND, weights=weights)  # type: ignore[arg-type]

        assert kappa == pytest.approx(expected, abs=5e-5)

    def test_matches_the_sas_worked_example_with_linear_weights(self) -> None:
        # SAS PROC FREQ's weighted kappa (Cicchetti–Allison, i.e. linear, weights) for
        # this 3 × 3 table is 0.4701, as statsmodels' tests reproduce it
        # (statsmodels/stats/tests/test_inter_rater.py, TestWeightedCohens).
        first, second = pairs_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])

        assert weighted_kappa(first, second, weights="linear") == pytest.approx(0.4701, abs=5e-5)

    def test_a_hand_computed_case(self) -> None:
        # Pairs (0,0), (1,2), (2,2). Linear: observed Σ|i−j| = 1; expected
        # Σ|i−j|·row(i)·col(j)/N = (2·1·2 + 1·1·1 + 1·1·2 + 2·1·1)/3 = 3; κ = 1 − 1/3.
        assert weighted_kappa([0, 1, 2], [0, 2, 2], weights="linear") == pytest.approx(2 / 3)

    def test_perfect_agreement_is_one(self) -> None:
        assert weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], weights="linear") == 1.0

    def test_systematic_opposite_scores_are_below_chance(self) -> None:
        assert weighted_kappa([0, 4, 0, 4], [4, 0, 4, 0]) < 0

    def test_one_unit_scored_differently_is_chance(self) -> None:
        # With one unit the marginals fix the only possible pair: what was observed is
        # what chance expects.
        assert weighted_kappa([3], [4]) == 0.0

    @pytest.mark.parametrize(
        ("first", "second", "reason"),
        [
            ([], [], "no unit was scored by both coders"),
            ([3, 3, 3], [3, 3, 3], "both coders gave every unit the same score"),
        ],
    )
    def test_is_undefined_without_pairs_or_variation(
        self, first: list[int], second: list[int], reason: str
    ) -> None:
        with pytest.raises(AgreementUndefined, match=reason):
            weighted_kappa(first, second)

    @pytest.mark.parametrize(
        ("first", "second", "weights", "message"),
        [
            ([1, 2], [1], "linear", "scored 2 and 1 units"),
            ([1, 5], [1, 2], "linear", r"not on the scale .*\[5\]"),
            ([-1, 2], [1, 2], "quadratic", r"not on the scale .*\[-1\]"),
            ([1, 2], [1, 2], "cubic", "unknown kappa weights"),
        ],
    )
    def test_refuses_malformed_input(
        self, first: list[int], second: list[int], weights: str, message: str
    ) -> None:
        with pytest.raises(ValueError, match=message) as raised:
            weighted_kappa(first, second, weights=weights)  # type: ignore[arg-type]

        assert not isinstance(raised.value, AgreementUndefined)

    @given(st.lists(st.tuples(scores, scores), min_size=1, max_size=30))
    def test_is_at_most_one_and_symmetric_in_the_coders(self, pairs: list[tuple[int, int]]) -> None:
        first, second = [a for a, _ in pairs], [b for _, b in pairs]
        try:
            kappa = weighted_kappa(first, second, weights="quadratic")
        except AgreementUndefined:
            return

        assert kappa <= 1.0
        assert kappa == pytest.approx(weighted_kappa(second, first, weights="quadratic"))


class TestKrippendorffAlpha:
    @pytest.mark.parametrize(
        ("metric", "expected"),
        [
            # Krippendorff (2011) gives α = .743 (nominal) for these data; the ordinal
            # (.815), interval (.849) and ratio (.797) values are those the `krippendorff`
            # package's tests and computation give for the same data.
            ("nominal", 0.743),
            ("ordinal", 0.815),
            ("interval", 0.849),
            ("ratio", 0.797),
        ],
    )
    def test_matches_krippendorffs_worked_example(self, metric: str, expected: float) -> None:
        alpha = krippendorff_alpha(KRIPPENDORFF_2011, metric=metric)  # type: ignore[arg-type]

        assert round(alpha, 3) == expected

    def test_the_nominal_value_to_four_places(self) -> None:
        # Gwet (2015), "On Krippendorff's alpha coefficient", recomputes it as 0.7434.
        assert krippendorff_alpha(KRIPPENDORFF_2011, metric="nominal") == pytest.approx(
            0.7434, abs=5e-5
        )

    def test_units_with_one_value_are_not_pairable(self) -> None:
        without = [unit for unit in KRIPPENDORFF_2011 if sum(v is not None for v in unit) > 1]

        assert krippendorff_alpha(without, metric="ordinal") == krippendorff_alpha(
            KRIPPENDORFF_2011, metric="ordinal"
        )

    def test_perfect_agreement_is_one(self) -> None:
        assert krippendorff_alpha([[1, 1, 1], [3, 3, None], [4, 4, 4]], metric="ordinal") == 1.0

    def test_two_coders_disagreeing_on_one_unit_is_chance(self) -> None:
        assert krippendorff_alpha([[3, 4]], metric="ordinal") == 0.0

    @pytest.mark.parametrize(
        ("units", "reason"),
        [
            ([], "no unit was coded by two or more coders"),
            ([[1, None], [None, 2]], "no unit was coded by two or more coders"),
            ([[3, 3], [3, 3, None]], "every coder gave the same value"),
        ],
    )
    def test_is_undefined_without_pairable_values_or_variation(
        self, units: list[list[int | None]], reason: str
    ) -> None:
        with pytest.raises(AgreementUndefined, match=reason):
            krippendorff_alpha(units, metric="ordinal")

    @pytest.mark.parametrize(
        ("units", "metric", "message"),
        [
            ([[1, 2], [2, 2]], "circular", "unknown metric"),
            ([[-1, 2], [2, 2]], "ratio", "values of 0 or more"),
        ],
    )
    def test_refuses_malformed_input(
        self, units: list[list[int]], metric: str, message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            krippendorff_alpha(units, metric=metric)  # type: ignore[arg-type]

    @given(
        st.lists(st.lists(st.one_of(st.none(), scores), min_size=2, max_size=4), max_size=12),
        st.randoms(use_true_random=False),
    )
    def test_does_not_depend_on_which_coder_gave_which_value(
        self, units: list[list[int | None]], random: Random
    ) -> None:
        shuffled = [random.sample(unit, len(unit)) for unit in units]
        try:
            alpha = krippendorff_alpha(units, metric="ordinal")
        except AgreementUndefined:
            return

        assert alpha <= 1.0
        assert alpha == pytest.approx(krippendorff_alpha(shuffled, metric="ordinal"))


class TestAgreementReport:
    def test_two_coders_are_compared_by_weighted_kappa(self) -> None:
        rows = [
            row(1, "R1", 0),
            row(2, "R2", 0),
            row(3, "R1", 2, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31)),
            row(4, "R2", 4, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31)),
            row(5, "R1", 3, variable=LEADERSHIP),
            row(6, "R2", 3, variable=LEADERSHIP),
        ]

        report = agreement_report(rows)

        overall = report.overall
        assert (overall.variable, overall.n_units, overall.n_coders) == (None, 3, 2)
        assert overall.coders == ("R1", "R2")
        assert overall.statistic == "kappa_quadratic"
        expected = weighted_kappa([0, 2, 3], [0, 4, 3], weights="quadratic")
        assert overall.value == pytest.approx(expected)
        assert [v.variable for v in report.variables] == [PREHISTORY, LEADERSHIP]
        assert [d.difference for d in overall.disagreements] == [2]
        (disagreement,) = overall.disagreements
        assert (disagreement.first_assessment_id, disagreement.second_assessment_id) == (3, 4)
        assert disagreement.period_start == dt.date(2021, 1, 1)

    def test_every_coefficient_is_listed_with_its_formula(self) -> None:
        report = agreement_report([row(1, "R1", 1), row(2, "R2", 3), row(3, "R1", 4)])

        coefficients = {c.key: c for c in report.overall.coefficients}
        assert list(coefficients) == [
            "kappa_linear",
            "kappa_quadratic",
            "alpha_ordinal",
            "alpha_interval",
            "alpha_nominal",
        ]
        assert "Cohen 1968" in coefficients["kappa_linear"].formula
        assert "ordinal" in coefficients["alpha_ordinal"].formula
        assert "Krippendorff 2011" in coefficients["alpha_ordinal"].formula

    def test_three_coders_are_compared_by_ordinal_alpha(self) -> None:
        rows = [row(1, "A", 1), row(2, "B", 2), row(3, "C", 4), row(4, "A", 3, TRUST)]
        rows += [row(5, "B", 3, TRUST)]

        overall = agreement_report(rows).overall

        assert overall.statistic == "alpha_ordinal"
        assert overall.value == pytest.approx(
            krippendorff_alpha([[1, 2, 4], [3, 3]], metric="ordinal")
        )
        kappa = next(c for c in overall.coefficients if c.key == "kappa_linear")
        assert (kappa.value, kappa.reason) == (
            None,
            "kappa compares exactly two coders; 3 scored these units",
        )
        assert [(d.first_coder, d.second_coder) for d in overall.disagreements] == [
            ("A", "C"),
            ("B", "C"),
        ]

    def test_a_unit_scored_by_one_coder_is_not_compared(self) -> None:
        report = agreement_report([row(1, "R1", 3), row(2, "R2", 1, LEADERSHIP)])

        overall = report.overall
        assert (overall.n_units, overall.n_units_single, overall.n_coders) == (0, 2, 2)
        assert overall.value is None
        assert overall.reason == "no unit was scored by both coders"
        alpha = next(c for c in overall.coefficients if c.key == "alpha_ordinal")
        assert alpha.reason == "no unit was coded by two or more coders"

    def test_the_latest_score_of_a_coder_counts(self) -> None:
        rows = [row(1, "R1", 0), row(2, "R2", 4), row(3, "R1", 4)]

        overall = agreement_report(rows).overall

        assert overall.n_units == 1
        assert overall.disagreements == ()
        alpha = next(c for c in overall.coefficients if c.key == "alpha_ordinal")
        assert alpha.reason == "every coder gave the same value, so there is no variation"

    def test_no_assessments_give_an_empty_report(self) -> None:
        report = agreement_report([])

        assert report.variables == ()
        assert (report.overall.n_units, report.overall.coders) == (0, ())
        assert report.overall.statistic == "alpha_ordinal"
        assert report.overall.value is None
