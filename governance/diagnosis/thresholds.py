"""The named thresholds of the diagnosis, their defaults, and per-deployment overrides.

Every number the diagnosis compares a figure with lives here, once, with what it
means. A deployment changes them with ``COLLABGOV_DIAGNOSIS_THRESHOLDS`` (a JSON
object, e.g. ``{"overdue_ratio_max": 0.4}``); the API and the docs show the values used.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from governance.diagnosis.messages import N_

#: The window indicators are computed over unless asked otherwise (issue 4, item 1).
DEFAULT_WINDOW_DAYS = 90
#: The shortest and longest window the API accepts.
MIN_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 3650


def _threshold(default: float, description: str, low: float, high: float) -> Any:
    """A dataclass field carrying its description and the range a value must lie in."""
    return field(default=default, metadata={"description": description, "range": (low, high)})


@dataclass(frozen=True)
class Thresholds:
    """The thresholds one diagnosis uses; the defaults are those of issue 4 and DESIGN.md.

    Examples
    --------
    >>> Thresholds().fulfilment_min
    0.6
    >>> Thresholds.with_overrides({"fulfilment_min": 0.5}).fulfilment_min
    0.5
    """

    trust_half_life_days: float = _threshold(
        60,
        N_("Half-life of a trust event's weight in the net trust balance, in days."),
        1,
        3650,
    )
    minutes_deadline_days: float = _threshold(
        7,
        N_("Minutes count as circulated on time when sent within this many days of the meeting."),
        0,
        365,
    )
    regularity_min: float = _threshold(
        0.5,
        N_("P2: meetings are regular when the regularity indicator is at least this."),
        0,
        1,
    )
    fulfilment_min: float = _threshold(
        0.6,
        N_("P3: on-time fulfilment of commitments due in the window must be at least this."),
        0,
        1,
    )
    small_win_recent_days: float = _threshold(
        180,
        N_(
            "P5 and the 'no small win' warning: a small win counts as recent within this many days."
        ),
        1,
        3650,
    )
    overdue_ratio_max: float = _threshold(
        0.25,
        N_("Warning when the overdue ratio of commitments is above this."),
        0,
        1,
    )
    government_late_days: float = _threshold(
        30,
        N_("Warning when a government commitment is overdue by more than this many days."),
        0,
        3650,
    )
    attendance_drop: float = _threshold(
        0.30,
        N_(
            "Warning when a sector's attendance share at the forums where state and non-state "
            "actors meet falls by at least this fraction of its share in the previous window."
        ),
        0,
        1,
    )
    attendance_drop_min_attendances: float = _threshold(
        2,
        N_(
            "A sector counts for the attendance-drop warning only with at least this many "
            "attendances at the forums where state and non-state actors meet in the previous "
            "window (one observer staying away is not a trend)."
        ),
        1,
        10000,
    )
    trust_balance_min: float = _threshold(
        0.0,
        N_(
            "Warning when the net trust balance is below this; the trust component is met at or "
            "above it."
        ),
        -1,
        1,
    )
    minutes_lapses: float = _threshold(
        2,
        N_(
            "Warning when at least this many held meetings in the window had no minutes "
            "circulated on time."
        ),
        1,
        1000,
    )
    asymmetry_high: float = _threshold(
        0.4,
        N_(
            "Resource asymmetry (Gini) at or above this is high; high asymmetry with no "
            "empowerment action is a warning."
        ),
        0,
        1,
    )
    facilitator_attendance_min: float = _threshold(
        0.5,
        N_(
            "Warning when the designated facilitator attended less than this share of the "
            "window's held meetings."
        ),
        0,
        1,
    )
    dormant_gap_factor: float = _threshold(
        2.0,
        N_(
            "Dormant: no held meeting for more than this many times the median gap between "
            "held meetings."
        ),
        1,
        100,
    )
    declining_fall: float = _threshold(
        0.10,
        N_(
            "Declining: attendance and on-time fulfilment both fall by at least this fraction "
            "from the previous window to the current one."
        ),
        0,
        1,
    )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every threshold's name, in the order above."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, float]) -> Thresholds:
        """The defaults with some values replaced; unknown names and bad values raise.

        Raises
        ------
        ValueError
            When a name is not a threshold or a value is not a finite number in its range;
            the message names every problem.

        Examples
        --------
        >>> Thresholds.with_overrides({"fulfilment": 0.5})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: unknown diagnosis threshold 'fulfilment' (known: trust_half_life_days, ...)
        """
        problems = [_problem(name, value) for name, value in overrides.items()]
        found = [p for p in problems if p]
        if found:
            raise ValueError("; ".join(found))
        return dataclasses.replace(cls(), **{k: float(v) for k, v in overrides.items()})

    def described(self) -> list[tuple[str, float, float, str]]:
        """Each threshold as (name, value used, default, description)."""
        defaults = Thresholds()
        return [
            (name, float(getattr(self, name)), float(getattr(defaults, name)), describe(name))
            for name in self.names()
        ]


_FIELDS = {f.name: f for f in dataclasses.fields(Thresholds)}


def describe(name: str) -> str:
    """What the threshold called ``name`` means."""
    return str(_FIELDS[name].metadata["description"])


def _problem(name: str, value: object) -> str:
    """What is wrong with one override, or an empty string."""
    if name not in _FIELDS:
        known = ", ".join(_FIELDS)
        return f"unknown diagnosis threshold {name!r} (known: {known})"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"diagnosis threshold {name!r} must be a finite number, not {value!r}"
    low, high = _FIELDS[name].metadata["range"]
    if not low <= value <= high:
        return f"diagnosis threshold {name!r} must lie between {low} and {high}, not {value}"
    return ""
