"""Small numeric helpers the indicators share: plain numbers in, one number out."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def coefficient_of_variation(values: Sequence[float]) -> float:
    """Population standard deviation ÷ mean.

    Raises
    ------
    ValueError
        With fewer than two values, or when the mean is not positive.

    Examples
    --------
    >>> coefficient_of_variation([30, 30, 30])
    0.0
    >>> round(coefficient_of_variation([10, 30]), 3)
    0.5
    """
    if len(values) < 2:
        raise ValueError("the coefficient of variation needs at least two values")
    mean = statistics.fmean(values)
    if mean <= 0:
        raise ValueError("the coefficient of variation needs a positive mean")
    return statistics.pstdev(values) / mean


def gini(values: Sequence[float]) -> float:
    """Gini coefficient: Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² x̄); 0 when everyone holds the same.

    For n values it is at most (n − 1) ÷ n, so always below 1.

    Raises
    ------
    ValueError
        With no values, or with a negative value.

    Examples
    --------
    >>> gini([5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 12])  # one holds everything: (n − 1) ÷ n
    0.75
    >>> round(gini([1, 2, 3, 4]), 4)
    0.25
    """
    if not values:
        raise ValueError("the Gini coefficient needs at least one value")
    if min(values) < 0:
        raise ValueError("the Gini coefficient needs values of 0 or more")
    total = sum(values)
    if total == 0:
        return 0.0
    ordered = sorted(values)
    n = len(ordered)
    # Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σᵢ (2i − n − 1) x₍ᵢ₎ over the sorted values, i = 1…n.
    spread = 2 * sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    # 2 n² x̄ = 2 n Σx; rounding can leave equal values a hair below zero.
    return max(0.0, spread / (2 * n * total))


def decay_weight(severity: float, age_days: float, half_life_days: float) -> float:
    """An event's weight after ``age_days``: severity × 0.5 ^ (age ÷ half-life).

    Examples
    --------
    >>> decay_weight(2, 0, 60)
    2.0
    >>> decay_weight(2, 60, 60)
    1.0
    >>> decay_weight(3, 120, 60)
    0.75
    """
    if half_life_days <= 0:
        raise ValueError("the half-life must be positive")
    return float(severity) * math.pow(0.5, max(age_days, 0.0) / half_life_days)


def net_balance(positive: float, negative: float) -> float:
    """(positive − negative) ÷ (positive + negative), from −1 (all negative) to 1.

    Raises
    ------
    ValueError
        When both are 0: there is nothing to balance.

    Examples
    --------
    >>> net_balance(4, 1)
    0.6
    >>> net_balance(0, 2)
    -1.0
    """
    total = positive + negative
    if total <= 0:
        raise ValueError("a balance needs something on either side")
    return (positive - negative) / total
