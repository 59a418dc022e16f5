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
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx


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
