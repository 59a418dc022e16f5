"""Geometry of the charts the server draws as SVG: plain numbers in, coordinates out.

The templates (``templates/macros/charts.html``) only place what these functions
computed, so the layout is tested without rendering anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: Marker radius for severity 1, 2, 3: size shows severity (and so does the stem).
RADIUS = {1: 4.0, 2: 6.0, 3: 8.0}


@dataclass(frozen=True)
class TrustPoint:
    """One trust event: when, which way, how much (1–3), and a text for its tooltip."""

    occurred_on: dt.date
    positive: bool
    severity: int
    label: str = ""


@dataclass(frozen=True)
class PlacedPoint:
    x: float
    y: float
    r: float
    #: Where the stem starts: on the axis, the marker is above it (positive) or below.
    axis_y: float
    positive: bool
    severity: int
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    day: dt.date


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: float
    right: float
    axis_y: float
    points: list[PlacedPoint]
    ticks: list[Tick]
    start: dt.date
    end: dt.date


def trust_timeline(
    events: Sequence[TrustPoint], *, width: int = 720, height: int = 240
) -> Timeline | None:
    """Place trust events on a time axis: positive above the axis, negative below.

    A marker's distance from the axis and its radius grow with severity (1–3).
    Returns None when there is nothing to draw.

    >>> chart = trust_timeline([
    ...     TrustPoint(dt.date(2020, 4, 1), True, 3),
    ...     TrustPoint(dt.date(2021, 4, 1), False, 1),
    ... ])
    >>> first, second = chart.points
    >>> first.x < second.x, first.y < chart.axis_y < second.y
    (True, True)
    >>> first.r > second.r
    True
    """
    if not events:
        return None
    left, right, top, bottom = 12.0, width - 12.0, 22.0, height - 30.0
    axis_y = (top + bottom) / 2
    reach = axis_y - top - RADIUS[3]
    start = min(event.occurred_on for event in events)
    end = max(event.occurred_on for event in events)
    if (end - start).days < 30:
        start, end = start - dt.timedelta(days=15), end + dt.timedelta(days=15)
    span = (end - start).days
    pad = max(1, round(span * 0.03))
    start, end = start - dt.timedelta(days=pad), end + dt.timedelta(days=pad)

    def x_of(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / (end - start).days, 1)

    points = []
    for event in sorted(events, key=lambda e: (e.occurred_on, e.severity)):
        severity = min(max(event.severity, 1), 3)
        offset = reach * severity / 3
        points.append(
            PlacedPoint(
                x=x_of(event.occurred_on),
                y=round(axis_y - offset if event.positive else axis_y + offset, 1),
                r=RADIUS[severity],
                axis_y=axis_y,
                positive=event.positive,
                severity=severity,
                label=event.label,
            )
        )
    ticks = [Tick(x_of(day), day) for day in month_ticks(start, end)]
    return Timeline(width, height, left, right, axis_y, points, ticks, start, end)


def month_ticks(start: dt.date, end: dt.date, *, at_most: int = 8) -> list[dt.date]:
    """First days of months between ``start`` and ``end``, spaced so at most ``at_most`` show.

    >>> [d.isoformat() for d in month_ticks(dt.date(2020, 3, 20), dt.date(2020, 7, 2))]
    ['2020-04-01', '2020-05-01', '2020-06-01', '2020-07-01']
    >>> [d.isoformat() for d in month_ticks(dt.date(2020, 1, 5), dt.date(2022, 12, 1))]
    ['2020-07-01', '2021-01-01', '2021-07-01', '2022-01-01', '2022-07-01']
    """
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= at_most or s == 120)
    ticks = []
    year, month = start.year, start.month
    while True:
        day = dt.date(year, month, 1)
        if day > end:
            break
        if day >= start and (month - 1) % step == 0 and (step < 12 or year % (step // 12) == 0):
            ticks.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks
