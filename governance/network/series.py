"""How the network changes: its figures quarter by quarter, for a change-over-time chart.

Each calendar quarter is a period window (:class:`governance.network.graph.Window`):
the meetings held, commitments made and trust events seen in that quarter, and the
relationships valid at some time in it. A quarter is a snapshot of activity, not a
running total, so a quiet quarter shows as a thin network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from governance.cases.snapshot import CaseData
from governance.network.graph import Layer, Window, network_arcs
from governance.network.metrics import NetworkFigures, arc_figures
from governance.vocab import MeetingStatus, Sector

#: The longest series served (a century of quarters): a bound on the work one request asks.
MAX_QUARTERS = 400


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def quarters(start: dt.date, end: dt.date) -> list[Quarter]:
    """The calendar quarters from the one holding ``start`` to the one holding ``end``.

    Raises
    ------
    ValueError
        When ``end`` is before ``start`` or the span exceeds :data:`MAX_QUARTERS`.

    Examples
    --------
    >>> [q.label for q in quarters(dt.date(2020, 5, 5), dt.date(2021, 1, 1))]
    ['2020-Q2', '2020-Q3', '2020-Q4', '2021-Q1']
    >>> quarters(dt.date(2020, 5, 5), dt.date(2021, 1, 1))[0].end
    datetime.date(2020, 6, 30)
    """
    if end < start:
        raise ValueError(f"the series cannot end ({end}) before it starts ({start})")
    current, last = Quarter.of(start), Quarter.of(end)
    found = [current]
    while current != last:
        current = current.next()
        found.append(current)
        if len(found) > MAX_QUARTERS:
            raise ValueError(f"a series spans at most {MAX_QUARTERS} quarters")
    return found


def activity_span(case: CaseData) -> tuple[dt.date, dt.date] | None:
    """The first and last day the case's held meetings, commitments and trust events name.

    The collaboration's start date opens the span when it comes first; trust events
    before it (the prehistory) do not.
    """
    days = [m.held_on for m in case.meetings if m.status is MeetingStatus.HELD]
    days += [c.made_on for c in case.commitments]
    days += [step.changed_on for c in case.commitments for step in c.history]
    days += [e.occurred_on for e in case.trust_events]
    if not days:
        return None
    first = case.started_on or min(days)
    later = [day for day in days if day >= first]
    return first, max(later, default=first)


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    figures: NetworkFigures


def quarterly_series(
    case: CaseData,
    layers: Collection[Layer],
    *,
    start: dt.date,
    end: dt.date,
    sectors: Collection[Sector] | None = None,
    min_weight: float = 0,
) -> list[QuarterFigures]:
    """The network's figures for every quarter from ``start`` to ``end``.

    Communities and modularity are left out (None): they are the expensive figures
    and a seeded partition of a single quarter says little.
    """
    series = []
    for quarter in quarters(start, end):
        window = Window.period(quarter.start, quarter.end)
        # The quarter's network as bare pairs: its figures count nodes, pairs and arcs,
        # so they are counted on those (the same figures, a fraction of the time).
        ids, arcs, mutual = network_arcs(
            case, layers, window, sectors=sectors, min_weight=min_weight
        )
        series.append(QuarterFigures(quarter, arc_figures(ids, arcs, mutual)))
    return series
