"""Stakeholder networks built from a collaboration's plain rows, one layer at a time.

Four layers, chosen per request (:class:`Layer`):

``relationships``
    Declared ties, typed and directed, one arc per (source, target, type) keyed by the
    type code. A symmetric type (``allied_with``, ``in_conflict_with``,
    ``shares_data_with``) holds both ways, so it becomes **two arcs**, each marked
    ``mutual=True``. Weight = the tie's strength (1–3; the strongest when a tie of the
    same type is declared twice).
``co_attendance``
    The weighted one-mode projection of the stakeholder–meeting attendance graph over
    *held* meetings: weight = the number of meetings both attended. It is undirected
    (:func:`co_attendance_graph` returns an ``nx.Graph``); in the combined network it is
    two arcs marked ``mutual=True``.
``commitments``
    Owner → counterpart, weight = the number of commitments, with ``fulfilled`` (how
    many had status ``fulfilled`` at the end of the window; ``partly_fulfilled`` does
    not count) and ``share_fulfilled``. Commitments without a counterpart are left out.
``trust``
    Actor → target, weight = the summed severity of the events (1–3 each), signed by
    valence: ``signed_weight`` = Σ ±severity, ``valence`` = ``positive`` / ``negative``
    by its sign, ``mixed`` when they cancel. Events aimed at the whole forum (no
    target) name no stakeholder and are left out.

Self-ties are left out of every layer. :func:`build_network` puts the chosen layers in
one ``nx.MultiDiGraph`` of stakeholder ids: per-layer edges keyed by the layer (or
``relationships:<type>``), each with a ``layer`` attribute, nodes with ``name``,
``sector`` and ``kind`` (no contact details: exports can carry the graph as it is).
Edge attributes are plain strings, numbers and booleans, so GraphML and GEXF can
write them.

A large network can be cut down to its **backbone** (:func:`backbone_network`): the
minimum weight raised until at most a given number of ties remain, each tie judged by
its heaviest arc in any layer, exactly as an explicit ``min_weight`` would cut it.

Counting co-attendance is the costliest step at scale (a case of 300,000 attendance
rows shares over half a million pairs), so the pairs are counted as arrays
(:mod:`.co_attendance`), and one computation that builds several networks of the same case
(the layout's union and a request as of today) may pass a :data:`CoAttendanceMemo` to
count the same meetings once.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, combinations
from operator import itemgetter
from typing import Any

import networkx as nx

from governance.cases.snapshot import (
    CaseData,
    CommitmentRow,
    MeetingRow,
    ParticipationRow,
    RelationshipRow,
    TrustEventRow,
)
from governance.network.co_attendance import PairCounts, count_pairs
from governance.vocab import (
    RELATIONSHIP_LABELS,
    CommitmentStatus,
    MeetingStatus,
    Sector,
    Valence,
)


class Layer(enum.StrEnum):
    RELATIONSHIPS = "relationships"
    CO_ATTENDANCE = "co_attendance"
    COMMITMENTS = "commitments"
    TRUST = "trust"


#: Every layer, in the order they are drawn and listed.
ALL_LAYERS: tuple[Layer, ...] = tuple(Layer)

# The layers' codes as plain strings, as the edges carry them.
_RELATIONSHIPS = Layer.RELATIONSHIPS.value
_CO_ATTENDANCE = Layer.CO_ATTENDANCE.value
_COMMITMENTS = Layer.COMMITMENTS.value
_TRUST = Layer.TRUST.value


@dataclass(frozen=True)
class Window:
    """The time a network covers, both ends inclusive.

    ``start=None`` means *as of* ``end``: every meeting, commitment and trust event up to
    that day, and the declared relationships valid on it. With a ``start`` it is a
    period: what happened in it, and the relationships valid at any time in it.

    >>> import datetime as dt
    >>> Window.as_of(dt.date(2021, 3, 31)).contains(dt.date(2019, 1, 1))
    True
    >>> Window.period(dt.date(2021, 1, 1), dt.date(2021, 3, 31)).contains(dt.date(2019, 1, 1))
    False
    >>> Window.period(dt.date(2021, 2, 1), dt.date(2021, 1, 1))
    Traceback (most recent call last):
        ...
    ValueError: a window cannot end (2021-01-01) before it starts (2021-02-01)
    """

    end: dt.date
    start: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end < self.start:
            raise ValueError(
                f"a window cannot end ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )

    @classmethod
    def as_of(cls, day: dt.date) -> Window:
        return cls(end=day)

    @classmethod
    def period(cls, start: dt.date, end: dt.date) -> Window:
        return cls(end=end, start=start)

    @classmethod
    def everything(cls) -> Window:
        """All records whatever their dates (the union the layout is computed on)."""
        return cls(end=dt.date.max, start=dt.date.min)

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and day <= self.end

    def covers(self, started_on: dt.date | None, ended_on: dt.date | None) -> bool:
        """Whether something valid from ``started_on`` to ``ended_on`` counts in the window.

        As of a day: valid on that day. For a period: valid at some time in it.
        """
        first = self.end if self.start is None else self.start
        return (started_on is None or started_on <= self.end) and (
            ended_on is None or ended_on >= first
        )


def relationship_graph(relationships: Iterable[RelationshipRow], window: Window) -> nx.MultiDiGraph:
    """Declared ties valid in ``window``: one arc per (source, target, type).

    Parameters
    ----------
    relationships : iterable of RelationshipRow
    window : Window

    Returns
    -------
    nx.MultiDiGraph
        Keyed by the type code; symmetric types give two arcs marked ``mutual``.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.vocab import RelationshipType as T
    >>> rows = [
    ...     RelationshipRow(1, 10, 20, T.MEMBER_OF, None, None, 3),
    ...     RelationshipRow(2, 10, 30, T.ALLIED_WITH, None, dt.date(2020, 6, 1), 2),
    ... ]
    >>> G = relationship_graph(rows, Window.as_of(dt.date(2020, 1, 1)))
    >>> sorted(G.edges(keys=True))
    [(10, 20, 'member_of'), (10, 30, 'allied_with'), (30, 10, 'allied_with')]
    >>> G[10][20]["member_of"]["label"], G[10][20]["member_of"]["weight"]
    ('member of', 3)
    >>> sorted(relationship_graph(rows, Window.as_of(dt.date(2021, 1, 1))).edges())
    [(10, 20)]
    """
    graph = nx.MultiDiGraph()
    for (source, target, key), data in _relationship_arcs(relationships, window).items():
        graph.add_edge(source, target, key=key, **data)
    return graph


def _relationship_arcs(
    relationships: Iterable[RelationshipRow], window: Window
) -> dict[tuple[int, int, str], dict[str, Any]]:
    """(source, target, type code) → the arc's attributes, in the order first declared."""
    arcs: dict[tuple[int, int, str], dict[str, Any]] = {}
    for row in relationships:
        if row.source_id == row.target_id or not window.covers(row.started_on, row.ended_on):
            continue
        labels = RELATIONSHIP_LABELS[row.type]
        key = row.type.value
        ends = [(row.source_id, row.target_id)]
        if labels.symmetric:
            ends.append((row.target_id, row.source_id))
        for source, target in ends:
            known = arcs.get((source, target, key))
            if known is not None and known["weight"] >= row.strength:
                continue
            arcs[source, target, key] = {
                "layer": _RELATIONSHIPS,
                "type": key,
                "label": labels.forward,
                "weight": row.strength,
                "mutual": labels.symmetric,
            }
    return arcs


def held_meetings(meetings: Iterable[MeetingRow], window: Window) -> list[MeetingRow]:
    """The meetings that took place (status ``held``) on a day in ``window``."""
    return [m for m in meetings if m.status is MeetingStatus.HELD and window.contains(m.held_on)]


def attendance_graph(meetings: Iterable[MeetingRow], window: Window) -> nx.Graph:
    """The bipartite stakeholder–meeting graph of who attended which held meeting.

    Stakeholder nodes are ids with ``bipartite=0``; meeting nodes are
    ``("meeting", id)`` with ``bipartite=1``.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.cases.snapshot import AttendanceRow
    >>> from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus
    >>> def meeting(id, *ids):
    ...     seats = tuple(AttendanceRow(i, True, True, AttendanceRole.PARTICIPANT) for i in ids)
    ...     start = dt.datetime(2020, 5, id, tzinfo=dt.UTC)
    ...     return MeetingRow(id, 1, "m", start, None, MeetingMode.ONLINE, MeetingStatus.HELD,
    ...                       None, seats)
    >>> B = attendance_graph([meeting(1, 10, 20), meeting(2, 10, 20, 30)], Window.everything())
    >>> sorted(B[("meeting", 2)])
    [10, 20, 30]
    """
    graph = nx.Graph()
    for meeting in held_meetings(meetings, window):
        node = ("meeting", meeting.id)
        graph.add_node(node, bipartite=1)
        for stakeholder_id in sorted(meeting.attendees):
            graph.add_node(stakeholder_id, bipartite=0)
            graph.add_edge(stakeholder_id, node)
    return graph


def co_attendance_graph(meetings: Iterable[MeetingRow], window: Window) -> nx.Graph:
    """Stakeholders tied by the held meetings they both attended.

    The weighted one-mode projection of :func:`attendance_graph` onto the stakeholders
    (``networkx.algorithms.bipartite.weighted_projected_graph``), counted directly:
    weight = the number of meetings shared. Everyone who attended is a node, also
    someone who attended alone.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.cases.snapshot import AttendanceRow
    >>> from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus
    >>> def meeting(id, *ids):
    ...     seats = tuple(AttendanceRow(i, True, True, AttendanceRole.PARTICIPANT) for i in ids)
    ...     start = dt.datetime(2020, 5, id, tzinfo=dt.UTC)
    ...     return MeetingRow(id, 1, "m", start, None, MeetingMode.ONLINE, MeetingStatus.HELD,
    ...                       None, seats)
    >>> G = co_attendance_graph([meeting(1, 10, 20), meeting(2, 10, 20, 30)], Window.everything())
    >>> sorted(G.edges(data="weight"))
    [(10, 20, 2), (10, 30, 1), (20, 30, 1)]
    """
    attendees, shared = _co_attendance(meetings, window)
    graph = nx.Graph()
    graph.add_nodes_from(attendees)
    graph.add_edges_from(
        (first, second, {"weight": count}) for first, second, count in shared.pairs(1)
    )
    return graph


#: Co-attendance already counted in one computation over **one** case, by the ids of the
#: held meetings counted: who attended and the pairs' counts. Keep it only as long as
#: the computation: the counts of a large case take tens of megabytes.
CoAttendanceMemo = dict[tuple[int, ...], tuple[dict[int, None], PairCounts]]


def _co_attendance(
    meetings: Iterable[MeetingRow], window: Window, memo: CoAttendanceMemo | None = None
) -> tuple[dict[int, None], PairCounts]:
    """Who attended a held meeting in ``window`` (in order of appearance), and how many
    such meetings each pair shared; from ``memo`` when the same meetings were counted."""
    held = held_meetings(meetings, window)
    key = tuple(meeting.id for meeting in held)
    if memo is not None and key in memo:
        return memo[key]
    attendees: dict[int, None] = {}
    groups: list[list[int]] = []
    for meeting in held:
        present = sorted(meeting.attendees)
        attendees.update(dict.fromkeys(present))
        groups.append(present)
    found = attendees, count_pairs(groups)
    if memo is not None:
        memo[key] = found
    return found


def commitment_graph(commitments: Iterable[CommitmentRow], window: Window) -> nx.DiGraph:
    """Owner → counterpart for the commitments made in ``window``.

    Weight = how many; ``fulfilled`` = how many had status ``fulfilled`` at the end of
    the window; ``share_fulfilled`` = fulfilled ÷ weight.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.cases.snapshot import StatusStep
    >>> from governance.vocab import CommitmentStatus as S
    >>> def commitment(id, owner, counterpart, done_on=None):
    ...     made = dt.date(2020, 6, 1)
    ...     steps = [StatusStep(S.OPEN, made)]
    ...     if done_on:
    ...         steps.append(StatusStep(S.FULFILLED, done_on))
    ...     return CommitmentRow(id, None, owner, counterpart, "", made, None,
    ...                          steps[-1].to_status, done_on, tuple(steps))
    >>> rows = [commitment(1, 10, 20, dt.date(2020, 7, 1)), commitment(2, 10, 20),
    ...         commitment(3, 10, None)]
    >>> G = commitment_graph(rows, Window.as_of(dt.date(2020, 12, 31)))
    >>> G[10][20]["weight"], G[10][20]["fulfilled"], G[10][20]["share_fulfilled"]
    (2, 1, 0.5)
    >>> commitment_graph(rows, Window.as_of(dt.date(2020, 6, 30)))[10][20]["fulfilled"]
    0
    """
    graph = nx.DiGraph()
    graph.add_edges_from(
        (owner, counterpart, data)
        for (owner, counterpart), data in _commitment_arcs(commitments, window).items()
    )
    return graph


def _commitment_arcs(
    commitments: Iterable[CommitmentRow], window: Window
) -> dict[tuple[int, int], dict[str, Any]]:
    """(owner, counterpart) → the arc's attributes, in pair order."""
    made: Counter[tuple[int, int]] = Counter()
    fulfilled: Counter[tuple[int, int]] = Counter()
    for row in commitments:
        counterpart = row.counterpart_id
        if counterpart is None or counterpart == row.owner_id or not window.contains(row.made_on):
            continue
        pair = (row.owner_id, counterpart)
        made[pair] += 1
        if row.status_on(window.end) is CommitmentStatus.FULFILLED:
            fulfilled[pair] += 1
    return {
        pair: {
            "layer": _COMMITMENTS,
            "weight": count,
            "fulfilled": fulfilled[pair],
            "share_fulfilled": fulfilled[pair] / count,
        }
        for pair, count in sorted(made.items())
    }


def trust_graph(events: Iterable[TrustEventRow], window: Window) -> nx.DiGraph:
    """Actor → target for the trust events in ``window``, weighted by severity.

    ``weight`` = Σ severity; ``signed_weight`` = Σ ±severity (+ positive, − negative);
    ``valence`` = the sign of ``signed_weight`` (``mixed`` at zero); ``positive`` and
    ``negative`` count the events.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.vocab import TrustEventKind as K, TrustForm as F, Valence as V
    >>> def event(id, valence, severity):
    ...     return TrustEventRow(id, None, dt.date(2020, 6, id), 10, 20, K.OTHER, F.RATIONAL,
    ...                          valence, severity)
    >>> G = trust_graph([event(1, V.POSITIVE, 3), event(2, V.NEGATIVE, 1)], Window.everything())
    >>> G[10][20]["weight"], G[10][20]["signed_weight"], G[10][20]["valence"]
    (4, 2, 'positive')
    """
    graph = nx.DiGraph()
    graph.add_edges_from(
        (actor, target, data) for (actor, target), data in _trust_arcs(events, window).items()
    )
    return graph


def _trust_arcs(
    events: Iterable[TrustEventRow], window: Window
) -> dict[tuple[int, int], dict[str, Any]]:
    """(actor, target) → the arc's attributes, in pair order."""
    totals: dict[tuple[int, int], list[int]] = {}
    positive_valence = Valence.POSITIVE
    for row in events:
        target = row.target_id
        if target is None or target == row.actor_id or not window.contains(row.occurred_on):
            continue
        pair = (row.actor_id, target)
        found = totals.get(pair)
        if found is None:
            found = totals[pair] = [0, 0, 0, 0]
        found[0] += row.severity
        if row.valence is positive_valence:
            found[1] += row.severity
            found[2] += 1
        else:
            found[1] -= row.severity
            found[3] += 1
    return {
        pair: {
            "layer": _TRUST,
            "weight": weight,
            "signed_weight": signed,
            "valence": _valence(signed),
            "positive": positive,
            "negative": negative,
        }
        for pair, (weight, signed, positive, negative) in sorted(totals.items())
    }


def _valence(signed: int) -> str:
    if signed > 0:
        return Valence.POSITIVE.value
    if signed < 0:
        return Valence.NEGATIVE.value
    return "mixed"


def present(participations: Iterable[ParticipationRow], window: Window) -> set[int]:
    """Stakeholders taking part in the collaboration during ``window``."""
    return {p.stakeholder_id for p in participations if window.covers(p.joined_on, p.left_on)}


def build_network(
    case: CaseData,
    layers: Collection[Layer] = ALL_LAYERS,
    window: Window | None = None,
    *,
    sectors: Collection[Sector] | None = None,
    min_weight: float = 0,
) -> nx.MultiDiGraph:
    """The stakeholders of ``case`` and their ties in the chosen ``layers``.

    Nodes are the stakeholders taking part during the window and everyone a tie
    names; each carries ``name``, ``sector`` and ``kind``. Edges are keyed by layer
    (``relationships:<type>`` for declared ties) and carry ``layer`` and ``weight``
    (see the module's docstring for each layer's attributes).

    Parameters
    ----------
    case : CaseData
    layers : collection of Layer
        Which layers; all four by default.
    window : Window, optional
        As of a date or for a period; everything recorded when left out.
    sectors : collection of Sector, optional
        Keep only stakeholders of these sectors, as :func:`restrict` does.
    min_weight : float
        Keep only ties weighing this much or more, as :func:`restrict` does.

    Returns
    -------
    nx.MultiDiGraph
        ``build_network(case, layers, window, sectors=s, min_weight=w)`` equals
        ``restrict(build_network(case, layers, window), sectors=s, min_weight=w)``
        (without building the unrestricted copy first).

    Raises
    ------
    ValueError
        When ``layers`` is empty or names something that is not a layer.
    """
    nodes, edges = network_rows(case, layers, window, sectors=sectors, min_weight=min_weight)
    network = nx.MultiDiGraph()
    network.add_nodes_from(nodes)
    for source, target, key, data in edges:
        network.add_edge(source, target, key, **data)
    return network


#: A node of the network as rows: the id and its attributes.
NodeRow = tuple[int, dict[str, Any]]
#: An arc of the network as rows: source, target, key and attributes.
EdgeRow = tuple[int, int, str, dict[str, Any]]


def network_rows(
    case: CaseData,
    layers: Collection[Layer] = ALL_LAYERS,
    window: Window | None = None,
    *,
    sectors: Collection[Sector] | None = None,
    min_weight: float = 0,
) -> tuple[list[NodeRow], list[EdgeRow]]:
    """The nodes and arcs :func:`build_network` puts in its graph, in the same order.

    Nodes in id order and arcs in (source, target, key) order, so that every algorithm
    that walks them is reproducible.
    """
    parts = _network_parts(case, layers, window, sectors)
    return parts.nodes, parts.arcs(min_weight)


@dataclass(frozen=True)
class _Parts:
    """A network's rows before the weight threshold: its nodes, the arcs of the
    directed layers and declared ties, and the co-attendance counts (each pair once,
    under its smaller id), which become two mutual arcs only once the threshold is
    known: the whole-case co-attendance of a large collaboration is over a million arcs."""

    nodes: list[NodeRow]
    kept: set[int]
    edges: list[EdgeRow]
    shared: PairCounts
    #: Everyone who attended a held meeting in the window (the ends of ``shared``).
    attendees: Collection[int] = ()

    def arcs(self, min_weight: float) -> list[EdgeRow]:
        """The arcs weighing ``min_weight`` or more between kept nodes, sorted."""
        kept = self.kept
        arcs = [
            edge
            for edge in self.edges
            if edge[3]["weight"] >= min_weight and edge[0] in kept and edge[1] in kept
        ]
        for first, second, weight in self._co_attended(min_weight):
            arcs.append((first, second, _CO_ATTENDANCE, _mutual(weight)))
            arcs.append((second, first, _CO_ATTENDANCE, _mutual(weight)))
        arcs.sort(key=_edge_order)
        return arcs

    def _co_attended(self, min_weight: float) -> list[tuple[int, int, int]]:
        """The pairs (smaller id first) of kept nodes that shared ``min_weight`` or more
        held meetings, with how many: over half a million pairs in a large case."""
        everyone = self.kept.issuperset(self.attendees)
        return self.shared.pairs(min_weight, None if everyone else self.kept)

    def strengths(self, min_weight: float) -> Counter[float]:
        """How many ties have each strength: the weight of the tie's heaviest arc in any
        layer, either way.

        A tie stays in the network at a minimum weight w exactly when its strength is
        w or more (the threshold applies to each layer's tie on its own). Counted over
        the ties between kept nodes with strength ``min_weight`` or more; without a
        dictionary of every tie, which at a million co-attendance pairs costs more than
        the counting.
        """
        kept = self.kept
        directed = self._directed_strengths(min_weight)
        everyone = kept.issuperset(self.attendees)
        found: Counter[float] = Counter(
            self.shared.strengths(min_weight, None if everyone else kept)
        )
        co_attended = self.shared.shared(list(directed))
        for weight, shared in zip(directed.values(), co_attended, strict=True):
            if shared == 0 or shared < min_weight:
                found[weight] += 1
            elif weight > shared:  # the tie counted at its co-attendance is stronger
                found[shared] -= 1
                found[weight] += 1
        return +found

    def strong_pairs(self, threshold: float) -> list[tuple[int, int]]:
        """The ties between kept nodes whose strength is ``threshold`` or more, as pairs
        (smaller id first), sorted."""
        pairs = set(self._directed_strengths(threshold))
        pairs.update((first, second) for first, second, _ in self._co_attended(threshold))
        return sorted(pairs)

    def _directed_strengths(self, min_weight: float) -> dict[tuple[int, int], float]:
        """The heaviest arc of each pair (smaller id first) outside co-attendance, between
        kept nodes, weighing ``min_weight`` or more."""
        kept = self.kept
        strongest: dict[tuple[int, int], float] = {}
        for source, target, _, data in self.edges:
            weight = data["weight"]
            if weight >= min_weight and source in kept and target in kept:
                pair = (source, target) if source < target else (target, source)
                known = strongest.get(pair)
                if known is None or weight > known:
                    strongest[pair] = weight
        return strongest


def _network_parts(
    case: CaseData,
    layers: Collection[Layer],
    window: Window | None,
    sectors: Collection[Sector] | None,
    memo: CoAttendanceMemo | None = None,
) -> _Parts:
    window = window or Window.everything()
    chosen = chosen_layers(layers)
    edges: list[EdgeRow] = []
    ids = present(case.participations, window)
    if Layer.RELATIONSHIPS in chosen:
        prefix = f"{_RELATIONSHIPS}:"
        edges.extend(
            (source, target, prefix + key, data)
            for (source, target, key), data in _relationship_arcs(
                case.relationships, window
            ).items()
        )
    shared = count_pairs(())
    attendees: dict[int, None] = {}
    if Layer.CO_ATTENDANCE in chosen:
        attendees, shared = _co_attendance(case.meetings, window, memo)
        ids.update(attendees)
    if Layer.COMMITMENTS in chosen:
        edges.extend(
            (owner, counterpart, _COMMITMENTS, data)
            for (owner, counterpart), data in _commitment_arcs(case.commitments, window).items()
        )
    if Layer.TRUST in chosen:
        edges.extend(
            (actor, target, _TRUST, data)
            for (actor, target), data in _trust_arcs(case.trust_events, window).items()
        )
    for source, target, _, _ in edges:
        ids.add(source)
        ids.add(target)
    known = case.stakeholders
    wanted = None if sectors is None else {str(sector) for sector in sectors}
    nodes: list[NodeRow] = []
    for stakeholder_id in sorted(ids):
        row = known.get(stakeholder_id)
        if row is not None and (wanted is None or row.sector.value in wanted):
            nodes.append(
                (
                    stakeholder_id,
                    {"name": row.name, "sector": row.sector.value, "kind": row.kind.value},
                )
            )
    return _Parts(
        nodes, {stakeholder_id for stakeholder_id, _ in nodes}, edges, shared, attendees.keys()
    )


@dataclass(frozen=True)
class Backbone:
    """How much of a network a request shows: the minimum tie weight applied and how
    many ties the network has at the weight asked for.

    ``min_weight`` is the one asked for unless the network had more ties than allowed
    (:func:`backbone_network`); then it is the raised threshold, and ``ties_total``
    counts the ties the full network had.
    """

    min_weight: float
    ties_total: int
    #: Whether the threshold was raised above the one asked for.
    applied: bool = False


def backbone_threshold(strengths: Collection[float], max_ties: int, min_weight: float = 0) -> float:
    """The smallest minimum weight that keeps at most ``max_ties`` of the ties.

    ``strengths`` are the ties' strengths (a tie is kept at threshold w when its
    strength is w or more). When at most ``max_ties`` are there, ``min_weight`` is
    returned unchanged. Otherwise the threshold is the smallest strength above that
    of the (``max_ties`` + 1)-th strongest tie: ties sharing a strength stay or go
    together, so the network keeps at most ``max_ties``, possibly fewer. When no
    strength is above it, the threshold is the next whole weight (every layer's
    weights are whole numbers) and no tie is kept.

    Examples
    --------
    >>> backbone_threshold([5, 4, 4, 3, 1], max_ties=3)
    4
    >>> backbone_threshold([5, 4, 4, 3, 1], max_ties=2)
    5
    >>> backbone_threshold([5, 4, 4, 3, 1], max_ties=5, min_weight=1)
    1
    >>> backbone_threshold([2, 2, 2], max_ties=2)
    3
    """
    return _threshold(Counter(strengths), max_ties, min_weight)


def _threshold(strengths: Mapping[float, int], max_ties: int, min_weight: float) -> float:
    """:func:`backbone_threshold` of the ties counted by strength (strength → how many)."""
    if sum(strengths.values()) <= max_ties:
        return min_weight
    ranked = sorted((weight for weight, count in strengths.items() if count > 0), reverse=True)
    # The position of the (max_ties + 1)-th strongest tie's strength: the ties above it stay.
    seen = accumulate(strengths[weight] for weight in ranked)
    cut = next(index for index, total in enumerate(seen) if total > max_ties)
    return ranked[cut - 1] if cut else math.floor(ranked[cut]) + 1


def backbone_network(
    case: CaseData,
    layers: Collection[Layer] = ALL_LAYERS,
    window: Window | None = None,
    *,
    sectors: Collection[Sector] | None = None,
    min_weight: float = 0,
    max_ties: int,
    memo: CoAttendanceMemo | None = None,
) -> tuple[nx.MultiDiGraph, Backbone]:
    """:func:`build_network`, its minimum weight raised when it would have more than
    ``max_ties`` ties.

    A tie is a pair of stakeholders tied in any layer, either way (one edge of
    :func:`tie_graph`). Above ``max_ties``, the network keeps its **backbone**: the
    strongest ties, by the threshold :func:`backbone_threshold` picks from the ties'
    strengths (a tie's heaviest arc in any layer), applied as ``min_weight`` is, to
    each layer's tie on its own; every stakeholder stays, the ones left without ties
    as isolates. The result equals ``build_network(..., min_weight=threshold)``; at or
    below ``max_ties`` it is ``build_network(..., min_weight=min_weight)``.

    Returns
    -------
    (nx.MultiDiGraph, Backbone)
        The network and the threshold applied, with how many ties the network had at
        ``min_weight``.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.cases.snapshot import AttendanceRow, CaseData, MeetingRow, StakeholderRow
    >>> from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus, StakeholderKind
    >>> def meeting(id, *ids):
    ...     seats = tuple(AttendanceRow(i, True, True, AttendanceRole.PARTICIPANT) for i in ids)
    ...     start = dt.datetime(2020, 5, id, tzinfo=dt.UTC)
    ...     return MeetingRow(id, 1, "m", start, None, MeetingMode.ONLINE, MeetingStatus.HELD,
    ...                       None, seats)
    >>> meetings = (meeting(1, 10, 20, 30), meeting(2, 10, 20))
    >>> people = {i: StakeholderRow(i, f"s{i}", StakeholderKind.PERSON, Sector.COMMUNITY)
    ...           for i in (10, 20, 30)}
    >>> case = CaseData(1, "c", None, None, people, (), (), meetings, (), (), (), (), (), ())
    >>> network, backbone = backbone_network(case, [Layer.CO_ATTENDANCE], max_ties=1)
    >>> backbone, sorted(network.edges(data="weight"))
    (Backbone(min_weight=2, ties_total=3, applied=True), [(10, 20, 2), (20, 10, 2)])
    >>> backbone_network(case, [Layer.CO_ATTENDANCE], max_ties=3)[1]
    Backbone(min_weight=0, ties_total=3, applied=False)
    """
    parts = _network_parts(case, layers, window, sectors, memo)
    strengths = parts.strengths(min_weight)
    threshold = _threshold(strengths, max_ties, min_weight)
    network = nx.MultiDiGraph()
    network.add_nodes_from(parts.nodes)
    for source, target, key, data in parts.arcs(threshold):
        network.add_edge(source, target, key, **data)
    ties_total = sum(strengths.values())
    return network, Backbone(threshold, ties_total, applied=threshold != min_weight)


def union_ties(
    case: CaseData, *, max_ties: int | None = None, memo: CoAttendanceMemo | None = None
) -> nx.Graph:
    """Every pair tied in any layer at any time, without attributes: what the layout reads.

    The same nodes and ties as ``tie_graph(build_network(case))``, built straight from
    the rows (a fraction of the time at 2,000 stakeholders). With ``max_ties``, a
    union of more ties keeps only its backbone, as :func:`backbone_network` does: the
    ties whose strength reaches the threshold :func:`backbone_threshold` picks (every
    stakeholder stays).

    >>> from governance.cases.snapshot import CaseData
    >>> case = CaseData(1, "c", None, None, {}, (), (), (), (), (), (), (), (), ())
    >>> union_ties(case).number_of_nodes()
    0
    """
    if max_ties is not None:
        parts = _network_parts(case, ALL_LAYERS, None, None, memo)
        strengths = parts.strengths(0)
        if sum(strengths.values()) > max_ties:
            backbone = nx.Graph()
            backbone.add_nodes_from(stakeholder_id for stakeholder_id, _ in parts.nodes)
            backbone.add_edges_from(parts.strong_pairs(_threshold(strengths, max_ties, 0)))
            return backbone
    pairs: set[tuple[int, int]] = set()
    ids = {p.stakeholder_id for p in case.participations}

    def tie(first: int, second: int | None) -> None:
        if second is not None and first != second:
            pairs.add((min(first, second), max(first, second)))

    for row in case.relationships:
        tie(row.source_id, row.target_id)
    for meeting in case.meetings:
        if meeting.status is MeetingStatus.HELD:
            attendees = sorted(meeting.attendees)
            ids.update(attendees)
            pairs.update(combinations(attendees, 2))
    for commitment in case.commitments:
        tie(commitment.owner_id, commitment.counterpart_id)
    for event in case.trust_events:
        tie(event.actor_id, event.target_id)
    for pair in pairs:
        ids.update(pair)
    known = case.stakeholders
    graph = nx.Graph()
    graph.add_nodes_from(sorted(i for i in ids if i in known))
    graph.add_edges_from(sorted((a, b) for a, b in pairs if a in known and b in known))
    return graph


def chosen_layers(layers: Collection[Layer]) -> set[Layer]:
    """The layers asked for; ``ValueError`` when none, or one that is not a layer."""
    if not layers:
        raise ValueError("choose at least one layer")
    try:
        return {Layer(layer) for layer in layers}
    except ValueError as error:
        raise ValueError(f"{error}; the layers are {', '.join(ALL_LAYERS)}") from None


def _mutual(weight: int) -> dict[str, Any]:
    return {"layer": _CO_ATTENDANCE, "weight": weight, "mutual": True}


#: Arcs sort by source, target and key.
_edge_order = itemgetter(0, 1, 2)


def restrict(
    network: nx.MultiDiGraph,
    *,
    sectors: Collection[Sector] | None = None,
    min_weight: float = 0,
) -> nx.MultiDiGraph:
    """A copy keeping only stakeholders of ``sectors`` and ties weighing ``min_weight`` or more.

    The weight threshold applies to each layer's tie on its own; a stakeholder whose
    ties all fall below it stays, as an isolate.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node(1, sector="government"); G.add_node(2, sector="community")
    >>> G.add_node(3, sector="community")
    >>> _ = G.add_edge(1, 2, key="trust", weight=1); _ = G.add_edge(2, 3, key="trust", weight=3)
    >>> sorted(restrict(G, min_weight=2).edges())
    [(2, 3)]
    >>> sorted(restrict(G, sectors=[Sector.COMMUNITY]))
    [2, 3]
    """
    keep = (
        set(network)
        if sectors is None
        else {n for n, sector in network.nodes(data="sector") if sector in set(sectors)}
    )
    result = nx.MultiDiGraph()
    result.add_nodes_from((n, dict(data)) for n, data in network.nodes(data=True) if n in keep)
    result.add_edges_from(
        (u, v, k, dict(d))
        for u, v, k, d in network.edges(keys=True, data=True)
        if u in keep and v in keep and d["weight"] >= min_weight
    )
    return result


def tie_graph(network: nx.MultiDiGraph) -> nx.Graph:
    """One undirected tie per pair of stakeholders tied in any layer, in either direction.

    Weight = the sum of the pair's ties over the layers, a mutual tie (co-attendance,
    a symmetric relationship) counted once and a directed arc in either direction each
    counted: two commitments one way and one back weigh 3. ``layers`` lists the
    layers the tie comes from. Node metrics are computed on this graph.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge(1, 2, key="co_attendance", layer="co_attendance", weight=4, mutual=True)
    >>> _ = G.add_edge(2, 1, key="co_attendance", layer="co_attendance", weight=4, mutual=True)
    >>> _ = G.add_edge(1, 2, key="commitments", layer="commitments", weight=2)
    >>> _ = G.add_edge(2, 1, key="commitments", layer="commitments", weight=1)
    >>> T = tie_graph(G)
    >>> T[1][2]["weight"], T[1][2]["layers"]
    (7, 'co_attendance commitments')
    """
    weights: dict[tuple[Any, Any], float] = {}
    layers: dict[tuple[Any, Any], int] = {}
    bits = _LAYER_BITS
    for source, target, data in network.edges(data=True):
        if source == target or (data.get("mutual") and source > target):
            continue
        pair = (source, target) if source < target else (target, source)
        if pair in weights:
            weights[pair] += data["weight"]
            layers[pair] |= bits.get(data["layer"], 0)
        else:
            weights[pair] = data["weight"]
            layers[pair] = bits.get(data["layer"], 0)
    ties = nx.Graph()
    ties.add_nodes_from(network.nodes(data=True))
    ties.add_edges_from(
        (first, second, {"weight": weight, "layers": _layer_names(layers[first, second])})
        for (first, second), weight in weights.items()
    )
    return ties


#: Each layer's bit in the set of layers a tie comes from.
_LAYER_BITS: dict[str, int] = {layer.value: 1 << index for index, layer in enumerate(ALL_LAYERS)}


@cache
def _layer_names(bits: int) -> str:
    """The layers whose bits are set, in :data:`ALL_LAYERS` order, space-separated."""
    return " ".join(layer for layer in ALL_LAYERS if bits & _LAYER_BITS[layer])


def arc_graph(network: nx.MultiDiGraph) -> nx.DiGraph:
    """One arc per ordered pair tied in any layer; weight = the sum over the layers.

    Density and reciprocity are read on this graph: a mutual tie is two arcs, so it
    counts as reciprocated.

    Examples
    --------
    >>> G = nx.MultiDiGraph([(1, 2, "trust"), (1, 2, "commitments"), (2, 3, "trust")])
    >>> sorted(arc_graph(G).edges())
    [(1, 2), (2, 3)]
    """
    weights: dict[tuple[Any, Any], float] = {}
    for source, target, weight in network.edges(data="weight", default=1):
        if source != target:
            pair = (source, target)
            weights[pair] = weights[pair] + weight if pair in weights else weight
    result = nx.DiGraph()
    result.add_nodes_from(network.nodes(data=True))
    result.add_edges_from((u, v, {"weight": w}) for (u, v), w in weights.items())
    return result
