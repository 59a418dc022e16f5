"""The heavy steps through python-igraph (C), converted from the networkx graph.

Used above :data:`governance.network.metrics.IGRAPH_THRESHOLD`, where networkx's
pure-Python betweenness and closeness (one search per node) take seconds to minutes.
Each function rescales igraph's result to networkx's definition, so both paths give
the same values (the tests compare them):

- betweenness: igraph counts each unordered pair once and does not normalise;
  networkx's normalised value for an undirected graph is ``2·b / ((n−1)(n−2))``;
- closeness: igraph uses only the reachable nodes, ``(r−1) / Σ d``; networkx scales
  that by ``(r−1)/(n−1)`` (Wasserman & Faust's correction for disconnected graphs), and
  gives 0 to an isolated node;
- eigenvector: igraph scales the largest value to 1; networkx to unit Euclidean norm.

igraph draws random numbers from one generator for the whole process; calls that
use it (communities, layout, eigenvector's start vector) swap in a seeded
``random.Random`` under a lock, so their results are reproducible and threads do not
disturb each other.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

import igraph
import networkx as nx

_RNG_LOCK = threading.Lock()

#: The seed of ARPACK's random start vector for eigenvector centrality: any seed gives
#: the same values to about 1e-15; a fixed one makes them repeat exactly.
EIGENVECTOR_SEED = 2008


@dataclass(frozen=True)
class Converted:
    """An undirected igraph copy of a networkx graph; vertex ``i`` is ``nodes[i]``."""

    graph: Any
    nodes: list[Hashable]

    def subgraph(self, keep: Iterable[Hashable]) -> Converted:
        """The copy restricted to the nodes in ``keep`` (their ties, their attributes)."""
        wanted = set(keep)
        vertices = [i for i, node in enumerate(self.nodes) if node in wanted]
        return Converted(self.graph.induced_subgraph(vertices), [self.nodes[i] for i in vertices])


#: A networkx graph, or one already converted.
Graphs: TypeAlias = "nx.Graph | Converted"


def convert(graph: nx.Graph, *attributes: str) -> Converted:
    """An igraph copy of ``graph`` carrying the named edge attributes (1 where missing).

    Convert once and pass the copy to several functions below: a graph given as
    networkx is converted on every call.

    Examples
    --------
    >>> converted = convert(nx.path_graph(["a", "b", "c"]), "weight")
    >>> converted.graph.vcount(), converted.graph.es["weight"], converted.nodes
    (3, [1.0, 1.0], ['a', 'b', 'c'])
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    ties = [(u, v, data) for u, v, data in graph.edges(data=True) if u != v]
    copy = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in ties])
    for name in attributes:
        copy.es[name] = [float(data.get(name, 1)) for _, _, data in ties]
    return Converted(copy, nodes)


def from_pairs(nodes: list[Hashable], pairs: list[tuple[int, int]]) -> Converted:
    """An undirected igraph graph of ``nodes`` tied by ``pairs`` of their indices.

    >>> from_pairs(["a", "b", "c"], [(0, 1), (1, 2)]).graph.get_edgelist()
    [(0, 1), (1, 2)]
    """
    return Converted(igraph.Graph(n=len(nodes), edges=pairs), nodes)


def _converted(graph: Graphs, attribute: str | None) -> Converted:
    if isinstance(graph, Converted):
        return graph
    return convert(graph, *([attribute] if attribute is not None else []))


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` for the duration."""
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 - reproducibility, not secrecy
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


def betweenness(
    graph: Graphs, distance: str | None = None, *, sources: int | None = None, seed: int = 0
) -> dict[Hashable, float]:
    """Normalised betweenness, as ``nx.betweenness_centrality(graph, weight=distance)``.

    With ``sources``, estimated from the shortest paths leaving that many of the nodes
    with ties, drawn at random (seeded by ``seed``), as networkx's ``k`` estimates it
    (Brandes & Pich 2007): each node's sum over the sources, scaled by how many nodes
    with ties there are ÷ ``sources``. Exact when there are no more nodes with ties
    than ``sources``.
    """
    converted = _converted(graph, distance)
    nodes = converted.nodes
    n = len(nodes)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    ig = converted.graph
    tied = [vertex for vertex, degree in enumerate(ig.degree()) if degree > 0] if n else []
    if sources is not None and len(tied) > sources:
        # A node's betweenness is the sum of what each source's paths give it (each
        # pair counted once from either end): a uniform sample of the sources, scaled
        # up, estimates it without bias. Nodes without ties lead nowhere: never drawn.
        drawn = random.Random(seed).sample(tied, sources)  # noqa: S311 - an estimate, not a secret
        raw = ig.betweenness(directed=False, weights=distance, sources=sorted(drawn))
        scale *= len(tied) / sources
    else:
        raw = ig.betweenness(directed=False, weights=distance) if n else []
    return {node: value * scale for node, value in zip(nodes, raw, strict=True)}


def closeness(graph: Graphs, distance: str | None = None) -> dict[Hashable, float]:
    """Closeness corrected for disconnected graphs, as networkx's ``closeness_centrality``."""
    converted = _converted(graph, distance)
    nodes = converted.nodes
    n = len(nodes)
    if n < 2:
        return dict.fromkeys(nodes, 0.0)
    size_of = {}
    for component in converted.graph.connected_components():
        for vertex in component:
            size_of[vertex] = len(component)
    raw = converted.graph.closeness(mode="all", normalized=True, weights=distance)
    result = {}
    for vertex, (node, value) in enumerate(zip(nodes, raw, strict=True)):
        size = size_of[vertex]
        usable = value is not None and not math.isnan(value) and size > 1
        result[node] = value * (size - 1) / (n - 1) if usable else 0.0
    return result


def eigenvector(
    graph: Graphs, weight: str | None = "weight", *, seed: int = EIGENVECTOR_SEED
) -> dict[Hashable, float]:
    """Eigenvector centrality of a connected graph, unit Euclidean norm like networkx.

    ARPACK starts from a random vector, so the last digits would change from run to
    run; it is seeded, so that the same network gives the same values every time.
    """
    converted = _converted(graph, weight)
    nodes = converted.nodes
    if len(nodes) == 1:
        return {nodes[0]: 1.0}
    with seeded(seed):
        values = converted.graph.eigenvector_centrality(weights=weight)
    norm = math.sqrt(sum(value * value for value in values)) or 1.0
    return {node: value / norm for node, value in zip(nodes, values, strict=True)}


def communities(graph: Graphs, weight: str | None = "weight", *, seed: int) -> list[set[Hashable]]:
    """Louvain (multilevel) communities, seeded; the partition igraph finds best."""
    converted = _converted(graph, weight)
    nodes = converted.nodes
    if not nodes:
        return []
    with seeded(seed):
        clustering = converted.graph.community_multilevel(weights=weight)
    return [{nodes[vertex] for vertex in members} for members in clustering]


#: Above this many nodes the layout uses igraph's grid approximation of the repulsion
#: (igraph's own default switches at 1,000): 4× faster at 300 nodes, alike to the eye.
GRID_ABOVE = 150


def fruchterman_reingold(
    graph: Graphs, *, seed: int, iterations: int = 500
) -> dict[Hashable, tuple[float, float]]:
    """A force-directed layout from a seeded random start; raw igraph coordinates."""
    converted = _converted(graph, None)
    ig, nodes = converted.graph, converted.nodes
    if not nodes:
        return {}
    start = random.Random(seed)  # noqa: S311 - a reproducible layout, not a secret
    # Spread as igraph's own random start is: a square of side √n. Crammed into a small
    # square, the grid variant would put every node in one cell and slow to O(n²).
    half = math.sqrt(len(nodes)) / 2
    initial = [[start.uniform(-half, half), start.uniform(-half, half)] for _ in nodes]
    with seeded(seed):
        layout = ig.layout_fruchterman_reingold(
            seed=initial, niter=iterations, grid=len(nodes) > GRID_ABOVE
        )
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, layout.coords, strict=True)}
