"""Burt's structural holes: constraint and effective size, for undirected graphs.

The formulas are networkx's (``nx.constraint``, ``nx.effective_size``; Burt 1992,
*Structural Holes*, and Borgatti 1997 for the unweighted effective size), computed
in one pass over each stakeholder's two-step neighbourhood instead of networkx's
repeated neighbour sums, so that they stay fast at 2,000 stakeholders: networkx
takes minutes there. The values are the same (the tests compare them).

With ``w_ij`` the tie weight (1 when unweighted) and ``N(i)`` the neighbours of ``i``:

- proportional tie strength ``p_ij = w_ij / Σ_k w_ik``;
- ``m_jq = w_jq / max_k w_jk``, the tie's strength relative to ``j``'s strongest;
- **constraint** ``c_i = Σ_{j ∈ N(i)} (p_ij + Σ_{q ∈ N(i)} p_iq p_qj)²``: how much
  ``i``'s ties lead to contacts that are tied to each other (high = no brokerage);
- **effective size** ``e_i = Σ_{j ∈ N(i)} (1 − Σ_{q ∈ N(i)} p_iq m_jq)``: the number of
  ``i``'s contacts minus their redundancy (high = a broker's non-redundant reach).

Both are undefined (None) for a stakeholder without ties.

A network of more than :data:`ARRAYS_ABOVE` ties is measured with NumPy
(:func:`_brokerage_arrays`): the two-step sums are taken over every path
``i – j – q`` at once, 0.1 s instead of 0.6 s for the 20,000 ties of a large case. The
terms are the same; they are added in another order, so the values may differ from the
loop's in the last bits (the tests hold them within 1e-12). Smaller networks keep the loop,
and their values to the last bit; so does a network whose two-step paths would not fit
in :data:`WEDGES_LIMIT` (a hub of thousands of ties).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

#: Above this many ties, brokerage is measured with arrays (see the module).
ARRAYS_ABOVE = 2_000
#: The most two-step paths (ordered pairs of a middle's ties) measured with arrays.
WEDGES_LIMIT = 4_000_000
#: How many two-step paths are measured at a time (a few megabytes of arrays each).
WEDGES_PER_STEP = 250_000


@dataclass(frozen=True)
class Brokerage:
    constraint: float | None
    effective_size: float | None


def brokerage(graph: nx.Graph, weight: str | None = None) -> dict[Hashable, Brokerage]:
    """Burt's constraint and effective size of every node.

    Parameters
    ----------
    graph : nx.Graph
        Undirected, without parallel edges; self-loops are ignored.
    weight : str, optional
        Edge attribute holding the tie strength; every tie weighs 1 when None.

    Returns
    -------
    dict
        Node → :class:`Brokerage`; both values None for an isolated node.

    Raises
    ------
    NetworkXNotImplemented
        For directed graphs and multigraphs.
    ValueError
        When a node's ties weigh nothing in total (proportions are undefined).

    Examples
    --------
    The centre of a star spans three structural holes:

    >>> result = brokerage(nx.star_graph(3))
    >>> round(result[0].constraint, 4), result[0].effective_size
    (0.3333, 3.0)
    >>> round(result[1].constraint, 4), result[1].effective_size
    (1.0, 1.0)
    """
    if graph.is_directed() or graph.is_multigraph():
        raise nx.NetworkXNotImplemented("not implemented for directed graphs or multigraphs")
    if graph.number_of_edges() > ARRAYS_ABOVE:
        wedges = sum(degree * degree for _, degree in graph.degree())
        if wedges <= WEDGES_LIMIT:
            return _brokerage_arrays(graph, weight)
    strength: dict[Hashable, dict[Hashable, float]] = {}
    for node in graph:
        ties = {
            other: float(data.get(weight, 1) if weight is not None else 1)
            for other, data in graph[node].items()
            if other != node
        }
        strength[node] = ties
    share: dict[Hashable, dict[Hashable, float]] = {}
    relative: dict[Hashable, dict[Hashable, float]] = {}
    for node, ties in strength.items():
        if not ties:
            continue
        total, strongest = sum(ties.values()), max(ties.values())
        if total <= 0 or strongest <= 0:
            raise ValueError(f"the ties of node {node!r} weigh nothing in total")
        share[node] = {other: value / total for other, value in ties.items()}
        relative[node] = {other: value / strongest for other, value in ties.items()}

    result: dict[Hashable, Brokerage] = {}
    for node in graph:
        own = share.get(node)
        if not own:
            result[node] = Brokerage(None, None)
            continue
        indirect: dict[Hashable, float] = dict.fromkeys(own, 0.0)
        redundant: dict[Hashable, float] = dict.fromkeys(own, 0.0)
        for middle, p_middle in own.items():
            onward = share[middle]
            # The contacts both are tied to, found from the smaller side (a hub has a
            # thousand ties). Each contact still gains one term per middle, middles in
            # the same order, so the sums are the same to the last bit.
            if len(onward) <= len(own):
                for contact, p_onward in onward.items():
                    if contact in indirect:
                        indirect[contact] += p_middle * p_onward
                        redundant[contact] += p_middle * relative[contact][middle]
            else:
                for contact in own:
                    shared = onward.get(contact)
                    if shared is not None:
                        indirect[contact] += p_middle * shared
                        redundant[contact] += p_middle * relative[contact][middle]
        result[node] = Brokerage(
            constraint=sum((own[j] + indirect[j]) ** 2 for j in own),
            effective_size=sum(1 - redundant[j] for j in own),
        )
    return result


def _brokerage_arrays(graph: nx.Graph, weight: str | None) -> dict[Hashable, Brokerage]:
    """:func:`brokerage` with NumPy: each tie as two arcs ``a → b`` carrying ``p_ab`` and
    ``m_ab``; every two-step path ``i → j → q`` whose ends are tied adds ``p_ij p_jq`` to
    the arc ``i → q``'s indirect strength and ``p_ij m_qj`` to its redundancy."""
    index: dict[Hashable, int] = {}
    ends: list[int] = []
    strengths: list[float] = []
    for u, v, data in graph.edges(data=True):
        if u != v:
            first, second = index.setdefault(u, len(index)), index.setdefault(v, len(index))
            ends += (first, second, second, first)
            value = float(data.get(weight, 1) if weight is not None else 1)
            strengths += (value, value)
    tied = list(index)
    n = len(tied)
    arcs = np.array(ends, dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((arcs[:, 1], arcs[:, 0]))
    source, target = arcs[order, 0], arcs[order, 1]
    weights = np.array(strengths, dtype=np.float64)[order]
    total = np.bincount(source, weights=weights, minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, source, weights)
    empty = (total <= 0) | (strongest <= 0)
    if empty.any():
        raise ValueError(f"the ties of node {tied[int(np.argmax(empty))]!r} weigh nothing in total")
    share = weights / total[source]
    relative = weights / strongest[source]
    # Which arc joins two nodes: -1 for none (a node to itself included).
    arc_of = _ArcIndex(source, target, n)
    reverse = arc_of(target, source)
    # Every pair (a, b) of arcs leaving the same middle j: a = j → i, b = j → q.
    degree = np.bincount(source, minlength=n)
    start = np.concatenate(([0], np.cumsum(degree)[:-1]))
    spread = degree[source]
    indirect = np.zeros(len(source))
    redundant = np.zeros(len(source))
    # A few arrays as long as the paths are alive at once: taken a slice of the first arcs
    # at a time, in order, they take megabytes instead of 150 MB at three million paths.
    # np.add.at adds each term in turn as np.bincount does, so the sums are the same.
    for first, last in _slices(spread, WEDGES_PER_STEP):
        counts = spread[first:last]
        a = np.repeat(np.arange(first, last), counts)
        offset = np.arange(len(a)) - np.repeat(np.cumsum(counts) - counts, counts)
        b = start[source[a]] + offset
        joining = arc_of(target[a], target[b])
        closed = joining >= 0
        arc, into, onward = joining[closed], reverse[a[closed]], b[closed]
        np.add.at(indirect, arc, share[into] * share[onward])
        np.add.at(redundant, arc, share[into] * relative[reverse[onward]])
    constraint = np.bincount(source, weights=(share + indirect) ** 2, minlength=n).tolist()
    effective = np.bincount(source, weights=1 - redundant, minlength=n).tolist()
    found = dict.fromkeys(graph, Brokerage(None, None))
    for i, node in enumerate(tied):
        found[node] = Brokerage(constraint[i], effective[i])
    return found


def _slices(sizes: npt.NDArray[np.int64], most: int) -> list[tuple[int, int]]:
    """Consecutive ranges ``[first, last)`` of ``sizes`` summing to at most ``most`` each
    (a single size above it gets a range of its own).

    >>> _slices(np.array([2, 2, 3, 1, 5]), 4)
    [(0, 2), (2, 4), (4, 5)]
    """
    ends = np.cumsum(sizes)
    found: list[tuple[int, int]] = []
    first, done = 0, 0
    while first < len(sizes):
        last = max(int(np.searchsorted(ends, done + most, side="right")), first + 1)
        found.append((first, last))
        first, done = last, int(ends[last - 1])
    return found


class _ArcIndex:
    """The position of the arc ``u → v`` among arcs sorted by (source, target); -1 when
    there is none: a table of every pair while it is small, a binary search beyond."""

    TABLE_LIMIT = 16_000_000

    def __init__(self, source: npt.NDArray[np.int64], target: npt.NDArray[np.int64], n: int):
        self.n = n
        self.codes = source * n + target
        self.table: npt.NDArray[np.int32] | None = None
        if n * n <= self.TABLE_LIMIT:
            self.table = np.full(n * n, -1, dtype=np.int32)
            self.table[self.codes] = np.arange(len(self.codes), dtype=np.int32)

    def __call__(
        self, source: npt.NDArray[np.int64], target: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        wanted = source * self.n + target
        if self.table is not None:
            return np.asarray(self.table[wanted], dtype=np.int64)
        found = np.minimum(np.searchsorted(self.codes, wanted), len(self.codes) - 1)
        result: npt.NDArray[np.int64] = np.where(self.codes[found] == wanted, found, -1)
        return result
