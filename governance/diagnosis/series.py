"""The diagnosis per calendar quarter, from the collaboration's start to the as-of date.

Each point is the full diagnosis as of the quarter's last day (the as-of date for the
current quarter), its indicators taken over that quarter alone, so the points of a
chart do not overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from governance.cases.snapshot import CaseData, cycle_collector_paused
from governance.diagnosis.diagnose import Diagnosis, diagnose
from governance.diagnosis.indicator import Window
from governance.diagnosis.thresholds import Thresholds

#: The longest series answered (50 years); older quarters are left out.
MAX_QUARTERS = 200


@dataclass(frozen=True)
class Point:
    quarter: str
    window: Window
    diagnosis: Diagnosis


@dataclass(frozen=True)
class Series:
    as_of: dt.date
    points: tuple[Point, ...]
    #: Whether quarters before the last :data:`MAX_QUARTERS` were left out.
    truncated: bool


def quarter_label(day: dt.date) -> str:
    """``2020-05-05`` → ``"2020Q2"``.

    Examples
    --------
    >>> quarter_label(dt.date(2020, 5, 5)), quarter_label(dt.date(2021, 12, 31))
    ('2020Q2', '2021Q4')
    """
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s calendar quarter."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarters(first: dt.date, as_of: dt.date) -> Iterator[Window]:
    """Calendar quarters from ``first``'s to ``as_of``'s; the last one ends on ``as_of``.

    Examples
    --------
    >>> [(w.start.isoformat(), w.end.isoformat())
    ...  for w in quarters(dt.date(2020, 5, 5), dt.date(2020, 8, 15))]
    [('2020-04-01', '2020-06-30'), ('2020-07-01', '2020-08-15')]
    """
    start = quarter_start(first)
    while start <= as_of:
        following = _next_quarter(start)
        yield Window(start, min(following - dt.timedelta(days=1), as_of))
        start = following


def _next_quarter(start: dt.date) -> dt.date:
    month = start.month + 3
    return dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def life_start(case: CaseData) -> dt.date | None:
    """When the collaboration began: its start date, else its earliest meeting,
    participation or commitment. Trust events before it are prehistory, not life."""
    if case.started_on is not None:
        return case.started_on
    days = [m.held_on for m in case.meetings]
    days += [p.joined_on for p in case.participations if p.joined_on is not None]
    days += [c.made_on for c in case.commitments]
    return min(days, default=None)


def series(case: CaseData, *, as_of: dt.date, thresholds: Thresholds | None = None) -> Series:
    """The quarterly diagnosis of ``case`` up to ``as_of``; empty before it began."""
    first = life_start(case) or as_of
    windows = list(quarters(first, as_of)) if first <= as_of else []
    truncated = len(windows) > MAX_QUARTERS
    windows = windows[-MAX_QUARTERS:]
    with cycle_collector_paused():
        points = tuple(
            Point(
                quarter_label(w.start),
                w,
                diagnose(case, as_of=w.end, window_days=w.days, thresholds=thresholds),
            )
            for w in windows
        )
    return Series(as_of=as_of, points=points, truncated=truncated)
