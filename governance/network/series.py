"""How the network changes: its figures quarter by quarter, for a change-over-time chart.

Each calendar quarter is a period window (:class:`governance.network.graph.Window`):
the meetings held, commitments made and trust events seen in that quarter, and the
relationships valid at some time in it. A quarter is a snapshot of activity, not a
running total, so a quiet quarter shows as a thin network.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import chain

import igraph

from governance.cases.snapshot import CaseData
from governance.network.graph import Layer, chosen_layers
from governance.network.metrics import NetworkFigures, counted_figures
from governance.vocab import RELATIONSHIP_LABELS, MeetingStatus, Sector

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

    Each quarter's figures are those of its network (``build_network`` for the
    quarter's period, restricted to ``sectors`` and ``min_weight``), counted without
    building it: the rows are sorted into their quarters in one pass, and each quarter
    counts who is tied to whom (:class:`_QuarterRows`). Communities and modularity are
    left out (None): they are the expensive figures and a seeded partition of a single
    quarter says little.
    """
    spans = quarters(start, end)
    chosen = chosen_layers(layers)
    rows = [_QuarterRows() for _ in spans]
    first = _number(spans[0])

    def within(since: dt.date | None, until: dt.date | None) -> list[_QuarterRows]:
        """The quarters something valid from ``since`` to ``until`` counts in."""
        low = 0 if since is None else max(_number(Quarter.of(since)) - first, 0)
        high = len(spans) if until is None else _number(Quarter.of(until)) - first + 1
        return rows[low:high] if high > 0 else []

    def holding(day: dt.date) -> _QuarterRows | None:
        index = _number(Quarter.of(day)) - first
        return rows[index] if 0 <= index < len(rows) else None

    wanted = None if sectors is None else {str(sector) for sector in sectors}
    kept = {
        stakeholder_id
        for stakeholder_id, row in case.stakeholders.items()
        if wanted is None or row.sector.value in wanted
    }
    for participation in case.participations:
        if participation.stakeholder_id in kept:
            for quarter in within(participation.joined_on, participation.left_on):
                quarter.nodes.add(participation.stakeholder_id)
    if Layer.RELATIONSHIPS in chosen:
        for tie in case.relationships:
            ends = (tie.source_id, tie.target_id)
            if ends[0] == ends[1]:
                continue
            nodes = kept.intersection(ends)
            arcs: list[tuple[int, int]] = []
            if len(nodes) == 2 and tie.strength >= min_weight:
                arcs.append(ends)
                if RELATIONSHIP_LABELS[tie.type].symmetric:
                    arcs.append((ends[1], ends[0]))
            for quarter in within(tie.started_on, tie.ended_on):
                quarter.nodes.update(nodes)
                quarter.arcs.update(arcs)
    if Layer.CO_ATTENDANCE in chosen:
        for meeting in case.meetings:
            held = holding(meeting.held_on) if meeting.status is MeetingStatus.HELD else None
            if held is not None:
                present = [
                    stakeholder_id for stakeholder_id in meeting.attendees if stakeholder_id in kept
                ]
                held.nodes.update(present)
                held.meetings.append(present)
    if Layer.COMMITMENTS in chosen:
        for commitment in case.commitments:
            counterpart = commitment.counterpart_id
            if counterpart is None or counterpart == commitment.owner_id:
                continue
            made = holding(commitment.made_on)
            if made is not None:
                made.tie(Layer.COMMITMENTS, (commitment.owner_id, counterpart), 1, kept)
    if Layer.TRUST in chosen:
        for event in case.trust_events:
            target = event.target_id
            if target is None or target == event.actor_id:
                continue
            seen = holding(event.occurred_on)
            if seen is not None:
                seen.tie(Layer.TRUST, (event.actor_id, target), event.severity, kept)
    return [
        QuarterFigures(quarter, found.figures(min_weight))
        for quarter, found in zip(spans, rows, strict=True)
    ]


def _number(quarter: Quarter) -> int:
    """Quarters counted from year 0: consecutive quarters have consecutive numbers."""
    return quarter.year * 4 + quarter.number - 1


@dataclass
class _QuarterRows:
    """One quarter's network as rows, within the chosen sectors: its stakeholders, the
    arcs of declared ties weighing enough, the weights of the directed layers' arcs, and
    who attended each held meeting."""

    nodes: set[int] = field(default_factory=set)
    arcs: set[tuple[int, int]] = field(default_factory=set)
    #: (layer, source, target) → the arc's weight: commitments made, trust's severity.
    weights: Counter[tuple[Layer, int, int]] = field(default_factory=Counter)
    meetings: list[list[int]] = field(default_factory=list)

    def tie(self, layer: Layer, ends: tuple[int, int], weight: int, kept: set[int]) -> None:
        """Add ``weight`` to an arc of a directed layer; its ends are in the network when
        kept, the arc when both are."""
        self.nodes.update(kept.intersection(ends))
        if kept.issuperset(ends):
            self.weights[layer, *ends] += weight

    def figures(self, min_weight: float) -> NetworkFigures:
        """The quarter's network figures at a minimum tie weight."""
        arcs = self.arcs | {
            (source, target)
            for (_, source, target), weight in self.weights.items()
            if weight >= min_weight
        }
        partners = self._partners(min_weight)
        nobody: set[int] = set()
        # Arcs outside co-attendance; a co-attendance pair is two arcs, whatever else ties it.
        one_way = [
            (source, target)
            for source, target in arcs
            if target not in partners.get(source, nobody)
        ]
        others = {
            (source, target) if source < target else (target, source) for source, target in one_way
        }
        mutual = sum(len(found) for found in partners.values()) // 2
        extra = Counter(chain.from_iterable(others))
        nodes = sorted(self.nodes)
        return counted_figures(
            [len(partners.get(node, nobody)) + extra.get(node, 0) for node in nodes],
            arcs=2 * mutual + len(one_way),
            ties=mutual + len(others),
            components=self._components(nodes, partners, others, min_weight),
        )

    def _partners(self, min_weight: float) -> dict[int, set[int]]:
        """Each attendee's co-attendance partners: those it shared ``min_weight`` or more
        held meetings with."""
        if min_weight <= 1:  # one shared meeting is enough
            partners: dict[int, set[int]] = {}
            for present in self.meetings:
                for stakeholder_id in present:
                    known = partners.get(stakeholder_id)
                    if known is None:
                        partners[stakeholder_id] = set(present)
                    else:
                        known.update(present)
            for stakeholder_id, found in partners.items():
                found.discard(stakeholder_id)
            return partners
        shared: dict[int, Counter[int]] = {}
        for present in self.meetings:
            for stakeholder_id in present:
                shared.setdefault(stakeholder_id, Counter()).update(present)
        return {
            stakeholder_id: {
                other
                for other, count in counts.items()
                if count >= min_weight and other != stakeholder_id
            }
            for stakeholder_id, counts in shared.items()
        }

    def _components(
        self,
        nodes: list[int],
        partners: dict[int, set[int]],
        others: set[tuple[int, int]],
        min_weight: float,
    ) -> list[int]:
        """The sizes of the connected components (found by igraph: a quarter of a large
        case joins hundreds of thousands of pairs)."""
        position = {node: index for index, node in enumerate(nodes)}
        if min_weight <= 1:  # everyone at a meeting is tied to everyone else there
            joined = [
                (position[present[0]], position[other])
                for present in self.meetings
                for other in present[1:]
            ]
        else:
            joined = [
                (position[node], position[other])
                for node, found in partners.items()
                for other in found
                if node < other
            ]
        joined += [(position[first], position[second]) for first, second in others]
        graph = igraph.Graph(n=len(nodes), edges=joined)
        return list(graph.connected_components().sizes())
