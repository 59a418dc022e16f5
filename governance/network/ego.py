"""A stakeholder's ego network: the stakeholder, its neighbours, and the ties among them.

Pure functions over the graphs of :mod:`governance.network.graph`, for the page that
draws one stakeholder's surroundings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx

Position = tuple[float, float]


def ego_network(network: nx.MultiDiGraph, ego: Hashable, *, radius: int = 1) -> nx.MultiDiGraph:
    """The part of ``network`` within ``radius`` steps of ``ego``, ties in either direction.

    Parameters
    ----------
    network : nx.MultiDiGraph
        A layered network (:func:`governance.network.graph.build_network`).
    ego : hashable
        The stakeholder at the centre.
    radius : int
        How many steps away a stakeholder may be (1: the direct neighbours).

    Returns
    -------
    nx.MultiDiGraph
        A copy holding those stakeholders and every tie among them (in any layer).

    Raises
    ------
    KeyError
        When ``ego`` is not in the network.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge(1, 2, key="trust", layer="trust")
    >>> _ = G.add_edge(3, 2, key="trust", layer="trust")
    >>> _ = G.add_edge(3, 4, key="trust", layer="trust")
    >>> sorted(ego_network(G, 2)), sorted(ego_network(G, 2, radius=2))
    ([1, 2, 3], [1, 2, 3, 4])
    >>> sorted(ego_network(G, 1).edges(keys=True))
    [(1, 2, 'trust')]
    """
    if ego not in network:
        raise KeyError(ego)
    around = nx.ego_graph(network.to_undirected(as_view=True), ego, radius=radius)
    return network.subgraph(around).copy()


def fitted(
    positions: Mapping[Hashable, Position], *, margin: float = 0.08
) -> dict[Hashable, Position]:
    """Positions stretched to fill the unit square (less a margin), keeping their order.

    The ego network occupies a corner of the whole network's layout; stretched, it can
    be read at the same size. One stakeholder alone is put in the middle.

    >>> fitted({"a": (0.2, 0.4), "b": (0.3, 0.5)}, margin=0)
    {'a': (0.0, 0.0), 'b': (1.0, 1.0)}
    >>> fitted({"a": (0.2, 0.4)})
    {'a': (0.5, 0.5)}
    """
    if not positions:
        return {}
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    low_x, high_x, low_y, high_y = min(xs), max(xs), min(ys), max(ys)
    usable = 1 - 2 * margin

    def scale(value: float, low: float, high: float) -> float:
        if high - low < 1e-9:
            return 0.5
        return round(margin + usable * (value - low) / (high - low), 6)

    return {
        node: (scale(x, low_x, high_x), scale(y, low_y, high_y))
        for node, (x, y) in positions.items()
    }
