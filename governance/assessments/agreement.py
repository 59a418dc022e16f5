"""Agreement between researchers who coded the same variables: weighted kappa and alpha.

Pure functions over plain values (no database, no web). A *unit* is what several
coders judged independently; within a collaboration it is one model variable for
one period, ``(variable, period_start, period_end)``, and the value is the 0–4 score.

Two coefficients are computed:

- Cohen's weighted kappa (Cohen 1968) for exactly two coders, with linear or
  quadratic disagreement weights, because the 0–4 scale is ordered;
- Krippendorff's alpha (Krippendorff 2011) for any number of coders and units
  that not every coder scored, with the ordinal, interval, nominal or ratio metric.

When a coefficient has no value for the data (no unit coded twice, or every value
the same, so there is nothing to agree beyond chance), the functions raise
:class:`AgreementUndefined`; :func:`agreement_report` turns that into a missing value
with its reason. Malformed input (pairs of unequal length, a value off the scale,
an unknown metric) raises a plain :class:`ValueError`.

References
----------
Cohen, J. (1968). Weighted kappa: Nominal scale agreement with provision for scaled
disagreement or partial credit. *Psychological Bulletin* 70(4), 213–220.

Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
for Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, permutations
from typing import Literal

from governance.cases.snapshot import AssessmentRow
from governance.vocab import ModelVariable

Weights = Literal["linear", "quadratic"]
Metric = Literal["nominal", "ordinal", "interval", "ratio"]
Number = int | float | Fraction

#: The scores a coder can give (0 absent or contrary … 4 strong and triangulated).
SCORES: tuple[int, ...] = (0, 1, 2, 3, 4)
#: Scores this far apart or further are listed as disagreements for the coders to discuss.
DISCUSS_AT_DIFFERENCE = 2
#: The weights of the kappa reported as the headline figure when exactly two coders scored.
HEADLINE_KAPPA_WEIGHTS: Weights = "quadratic"
#: The metric of the alpha reported as the headline figure for three or more coders.
HEADLINE_ALPHA_METRIC: Metric = "ordinal"

KAPPA_FORMULA = (
    "κw = 1 − Σ w(i,j)·p_obs(i,j) ÷ Σ w(i,j)·p_row(i)·p_col(j), over the two coders' "
    "pairs of scores i, j, with disagreement weight w = |i − j| (linear) or (i − j)² "
    "(quadratic) (Cohen 1968)"
)
ALPHA_FORMULA = (
    "α = 1 − D_o ÷ D_e: the observed disagreement between the values coded for the same "
    "unit over the disagreement expected by chance among all pairable values, with the "
    "{metric} difference function (Krippendorff 2011)"
)


class AgreementUndefined(ValueError):
    """The coefficient has no value for these data; the message says why."""


# --- Cohen's weighted kappa --------------------------------------------------------------


def weighted_kappa(
    first: Sequence[Number],
    second: Sequence[Number],
    *,
    weights: Weights = "quadratic",
    scale: Sequence[Number] = SCORES,
) -> float:
    """Cohen's weighted kappa between two coders who scored the same units.

    ``first[u]`` and ``second[u]`` are the two coders' scores of unit ``u``. With
    disagreement weights ``w(i, j)`` (``|i − j|`` linear, ``(i − j)²`` quadratic),
    observed proportions ``p_obs(i, j)`` of units scored ``i`` by the first coder and
    ``j`` by the second, and the coders' marginal proportions ``p_row``, ``p_col``::

        κw = 1 − Σ w(i, j)·p_obs(i, j) / Σ w(i, j)·p_row(i)·p_col(j)

    (Cohen 1968, equation 5 with disagreement weights). 1 is perfect agreement, 0 is
    agreement at the level of chance, below 0 is worse than chance.

    Parameters
    ----------
    first, second : sequence of numbers
        The two coders' scores, unit by unit (equal lengths).
    weights : {"quadratic", "linear"}
        How much a disagreement counts as the scores move apart.
    scale : sequence of numbers
        The scores allowed (default 0–4).

    Returns
    -------
    float
        The weighted kappa, at most 1.

    Raises
    ------
    AgreementUndefined
        No pair of scores is given, or both coders gave one and the same score to
        every unit (chance would agree as well, so kappa is 0 / 0).
    ValueError
        The sequences differ in length, a score is not on the scale, or ``weights``
        is unknown.

    Examples
    --------
    Cohen's weighted kappa, as scikit-learn's test of ``cohen_kappa_score`` computes it
    for 100 units scored 0–2:

    >>> first = [0] * 46 + [1] * 44 + [2] * 10
    >>> second = [0] * 50 + [1] * 40 + [2] * 10
    >>> round(weighted_kappa(first, second, weights="linear"), 4)
    0.9412
    >>> round(weighted_kappa(first, second, weights="quadratic"), 4)
    0.9541
    >>> weighted_kappa([0, 2, 4], [0, 2, 4])
    1.0
    """
    if len(first) != len(second):
        raise ValueError(f"the coders scored {len(first)} and {len(second)} units; pair them")
    weight = _kappa_weight(weights)
    allowed = set(scale)
    off_scale = sorted({v for v in (*first, *second) if v not in allowed})
    if off_scale:
        raise ValueError(f"scores not on the scale {list(scale)}: {off_scale}")
    if not first:
        raise AgreementUndefined("no unit was scored by both coders")

    units = len(first)
    observed = sum(weight(i, j) for i, j in zip(first, second, strict=True))
    rows, columns = Counter(first), Counter(second)
    expected = sum(
        weight(i, j) * Fraction(rows[i] * columns[j], units) for i in rows for j in columns
    )
    if expected == 0:
        raise AgreementUndefined("both coders gave every unit the same score")
    return float(1 - Fraction(observed) / expected)


def _kappa_weight(weights: str) -> Callable[[Number, Number], Fraction]:
    if weights == "linear":
        return lambda i, j: abs(Fraction(i) - Fraction(j))
    if weights == "quadratic":
        return lambda i, j: (Fraction(i) - Fraction(j)) ** 2
    raise ValueError(f"unknown kappa weights {weights!r}; use 'linear' or 'quadratic'")


# --- Krippendorff's alpha ----------------------------------------------------------------


def krippendorff_alpha(units: Iterable[Iterable[Number | None]], *, metric: Metric) -> float:
    """Krippendorff's alpha for any number of coders, with missing values.

    Each unit lists the values the coders gave it (``None`` where a coder gave none;
    which coder gave which value does not matter). Units with fewer than two values
    are not pairable and are left out. From the coincidence matrix
    ``o(c, k) = Σ_u (number of c–k pairs of values in unit u) / (m_u − 1)``, with
    ``m_u`` the values in unit ``u``, ``n_c = Σ_k o(c, k)`` and ``n = Σ_c n_c``::

        α = 1 − D_o / D_e
        D_o = 1/n · Σ_c Σ_k o(c, k)·δ²(c, k)
        D_e = 1/(n(n − 1)) · Σ_c Σ_k n_c·n_k·δ²(c, k)

    with the metric's difference function δ² (Krippendorff 2011):

    - nominal: 0 when ``c = k``, else 1;
    - ordinal: ``(Σ_{g=c..k} n_g − (n_c + n_k)/2)²``, over the values between c and k;
    - interval: ``(c − k)²``;
    - ratio: ``((c − k)/(c + k))²``.

    Parameters
    ----------
    units : iterable of iterables of numbers or None
        The values each unit received.
    metric : {"ordinal", "interval", "nominal", "ratio"}
        The level of measurement of the values.

    Returns
    -------
    float
        Alpha: 1 is perfect reliability, 0 the absence of reliability.

    Raises
    ------
    AgreementUndefined
        No unit has two or more values, or every pairable value is the same (the
        expected disagreement is 0, so alpha is 0 / 0).
    ValueError
        Unknown metric, or negative values for the ratio metric.

    Examples
    --------
    The worked example of Krippendorff (2011): four observers, twelve units, values
    1–5, some missing (one unit per row here):

    >>> units = [
    ...     [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...     [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...     [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None],
    ... ]
    >>> round(krippendorff_alpha(units, metric="nominal"), 3)
    0.743
    >>> round(krippendorff_alpha(units, metric="ordinal"), 3)
    0.815
    >>> round(krippendorff_alpha(units, metric="interval"), 3)
    0.849
    """
    if metric not in _METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {sorted(_METRICS)}")
    coincidences = _coincidences(units)
    if not coincidences:
        raise AgreementUndefined("no unit was coded by two or more coders")
    totals: dict[Fraction, Fraction] = defaultdict(Fraction)
    for (c, _k), count in coincidences.items():
        totals[c] += count
    if len(totals) < 2:
        raise AgreementUndefined("every coder gave the same value, so there is no variation")
    if metric == "ratio" and min(totals) < 0:
        raise ValueError("the ratio metric needs values of 0 or more")

    difference = _METRICS[metric](totals)
    n = sum(totals.values())
    observed = sum(count * difference(c, k) for (c, k), count in coincidences.items())
    expected = sum(totals[c] * totals[k] * difference(c, k) for c in totals for k in totals)
    # α = 1 − D_o/D_e with D_o = observed/n and D_e = expected/(n(n − 1)).
    return float(1 - (n - 1) * observed / expected)


def _coincidences(
    units: Iterable[Iterable[Number | None]],
) -> dict[tuple[Fraction, Fraction], Fraction]:
    """o(c, k): each ordered pair of values within a unit counts 1/(m_u − 1)."""
    found: dict[tuple[Fraction, Fraction], Fraction] = defaultdict(Fraction)
    for unit in units:
        values = [Fraction(v) for v in unit if v is not None]
        if len(values) < 2:
            continue
        share = Fraction(1, len(values) - 1)
        for c, k in permutations(values, 2):
            found[c, k] += share
    return found


Difference = Callable[[Fraction, Fraction], Fraction]


def _nominal(_: Mapping[Fraction, Fraction]) -> Difference:
    return lambda c, k: Fraction(c != k)


def _ordinal(totals: Mapping[Fraction, Fraction]) -> Difference:
    ranked = sorted(totals)

    def difference(c: Fraction, k: Fraction) -> Fraction:
        low, high = min(c, k), max(c, k)
        between = sum(totals[g] for g in ranked if low <= g <= high)
        return (between - (totals[c] + totals[k]) / 2) ** 2

    return difference


def _interval(_: Mapping[Fraction, Fraction]) -> Difference:
    return lambda c, k: (c - k) ** 2


def _ratio(_: Mapping[Fraction, Fraction]) -> Difference:
    return lambda c, k: ((c - k) / (c + k)) ** 2 if c + k else Fraction(0)


_METRICS: dict[str, Callable[[Mapping[Fraction, Fraction]], Difference]] = {
    "nominal": _nominal,
    "ordinal": _ordinal,
    "interval": _interval,
    "ratio": _ratio,
}


# --- A collaboration's coded scores --------------------------------------------------------


@dataclass(frozen=True)
class Coefficient:
    """One agreement coefficient, or why it has no value."""

    key: str
    value: float | None
    reason: str | None
    formula: str


@dataclass(frozen=True)
class Disagreement:
    """Two coders' scores of one unit that lie ``DISCUSS_AT_DIFFERENCE`` or more apart."""

    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    first_coder: str
    first_score: int
    first_assessment_id: int
    second_coder: str
    second_score: int
    second_assessment_id: int
    difference: int


@dataclass(frozen=True)
class Agreement:
    """Agreement between coders over the units of one variable, or of all variables."""

    #: None for all variables together.
    variable: ModelVariable | None
    #: Units scored by two or more coders: the ones the coefficients compare.
    n_units: int
    #: Units scored by one coder only (nothing to compare them with).
    n_units_single: int
    coders: tuple[str, ...]
    #: The headline coefficient: quadratic kappa for two coders, ordinal alpha otherwise.
    statistic: str
    value: float | None
    reason: str | None
    coefficients: tuple[Coefficient, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def n_coders(self) -> int:
        return len(self.coders)


@dataclass(frozen=True)
class AgreementReport:
    overall: Agreement
    variables: tuple[Agreement, ...]


Unit = tuple[ModelVariable, dt.date, dt.date]


def agreement_report(assessments: Iterable[AssessmentRow]) -> AgreementReport:
    """Agreement between coders over all coded units, and per variable.

    A unit is ``(variable, period_start, period_end)``; when one coder scored a unit
    more than once, the latest assessment (highest id) counts.

    Examples
    --------
    >>> day = dt.date(2020, 1, 1)
    >>> rows = [
    ...     AssessmentRow(1, ModelVariable.PREHISTORY, day, day, 3, "R1"),
    ...     AssessmentRow(2, ModelVariable.PREHISTORY, day, day, 1, "R2"),
    ... ]
    >>> report = agreement_report(rows)
    >>> report.overall.statistic, report.overall.n_units, report.overall.coders
    ('kappa_quadratic', 1, ('R1', 'R2'))
    >>> [(d.first_score, d.second_score) for d in report.overall.disagreements]
    [(3, 1)]
    """
    scores = _latest_scores(assessments)
    order = list(ModelVariable)
    units = sorted(scores, key=lambda unit: (order.index(unit[0]), unit[1], unit[2]))
    variables = sorted({unit[0] for unit in units}, key=order.index)
    return AgreementReport(
        overall=_agreement(None, units, scores),
        variables=tuple(
            _agreement(variable, [u for u in units if u[0] == variable], scores)
            for variable in variables
        ),
    )


def _latest_scores(assessments: Iterable[AssessmentRow]) -> dict[Unit, dict[str, AssessmentRow]]:
    """Unit → coder → that coder's latest assessment of the unit."""
    scores: dict[Unit, dict[str, AssessmentRow]] = defaultdict(dict)
    for row in sorted(assessments, key=lambda row: row.id):
        scores[row.variable, row.period_start, row.period_end][row.coder] = row
    return scores


def _agreement(
    variable: ModelVariable | None,
    units: Sequence[Unit],
    scores: Mapping[Unit, Mapping[str, AssessmentRow]],
) -> Agreement:
    coders = tuple(sorted({coder for unit in units for coder in scores[unit]}))
    paired = [unit for unit in units if len(scores[unit]) >= 2]
    coefficients = (
        *(_kappa(weights, coders, paired, scores) for weights in ("linear", "quadratic")),
        *(_alpha(metric, paired, scores) for metric in ("ordinal", "interval", "nominal")),
    )
    statistic = (
        f"kappa_{HEADLINE_KAPPA_WEIGHTS}" if len(coders) == 2 else f"alpha_{HEADLINE_ALPHA_METRIC}"
    )
    headline = next(c for c in coefficients if c.key == statistic)
    return Agreement(
        variable=variable,
        n_units=len(paired),
        n_units_single=len(units) - len(paired),
        coders=coders,
        statistic=statistic,
        value=headline.value,
        reason=headline.reason,
        coefficients=coefficients,
        disagreements=tuple(
            disagreement for unit in paired for disagreement in _disagreements(unit, scores[unit])
        ),
    )


def _kappa(
    weights: Weights,
    coders: Sequence[str],
    paired: Sequence[Unit],
    scores: Mapping[Unit, Mapping[str, AssessmentRow]],
) -> Coefficient:
    key, formula = f"kappa_{weights}", KAPPA_FORMULA
    if len(coders) != 2:
        reason = f"kappa compares exactly two coders; {len(coders)} scored these units"
        return Coefficient(key, None, reason, formula)
    first, second = coders
    both = [scores[unit] for unit in paired if first in scores[unit] and second in scores[unit]]
    try:
        value = weighted_kappa(
            [unit[first].score for unit in both],
            [unit[second].score for unit in both],
            weights=weights,
        )
    except AgreementUndefined as undefined:
        return Coefficient(key, None, str(undefined), formula)
    return Coefficient(key, value, None, formula)


def _alpha(
    metric: Metric, paired: Sequence[Unit], scores: Mapping[Unit, Mapping[str, AssessmentRow]]
) -> Coefficient:
    key, formula = f"alpha_{metric}", ALPHA_FORMULA.format(metric=metric)
    try:
        value = krippendorff_alpha(
            [[row.score for row in scores[unit].values()] for unit in paired], metric=metric
        )
    except AgreementUndefined as undefined:
        return Coefficient(key, None, str(undefined), formula)
    return Coefficient(key, value, None, formula)


def _disagreements(unit: Unit, by_coder: Mapping[str, AssessmentRow]) -> list[Disagreement]:
    variable, start, end = unit
    return [
        Disagreement(
            variable=variable,
            period_start=start,
            period_end=end,
            first_coder=first.coder,
            first_score=first.score,
            first_assessment_id=first.id,
            second_coder=second.coder,
            second_score=second.score,
            second_assessment_id=second.id,
            difference=abs(first.score - second.score),
        )
        for first, second in combinations((by_coder[c] for c in sorted(by_coder)), 2)
        if abs(first.score - second.score) >= DISCUSS_AT_DIFFERENCE
    ]
