"""Who holds the network together: node metrics, communities and network figures.

Node metrics read the network as undirected ties (:func:`governance.network.graph.tie_graph`):
who is tied to whom, in either direction, in any chosen layer.

- **degree**: the number of stakeholders one is tied to;
- **weighted degree**: the sum of those ties' weights;
- **betweenness**: the share of shortest paths between two others that pass through
  the stakeholder, normalised as networkx normalises it (÷ (n−1)(n−2)/2 pairs); in a
  network of more than :data:`EXACT_BETWEENNESS_LIMIT` stakeholders with ties it is
  *estimated* from the paths leaving :data:`BETWEENNESS_SOURCES` of them, drawn at
  random with a fixed seed (:func:`betweenness_sources`);
- **closeness**: (r−1) ÷ the summed distance to the r−1 stakeholders one can reach,
  scaled by (r−1)/(n−1) for a network in pieces (Wasserman & Faust, as networkx);

  for both, a tie's length is 1 ÷ its weight (Newman 2001; Opsahl, Agneessens &
  Skvoretz 2010): twelve meetings shared make two stakeholders closer than one. With
  every weight 1 they are the unweighted measures. Lengths are counted in exact
  integer units of 1/:data:`DISTANCE_UNIT`, so that two paths of the same length
  compare equal in networkx and igraph alike (floating-point 1/3 + 1/6 need not
  equal 1/2);
- **eigenvector**: ties to well-tied stakeholders count more (weighted, unit norm).
  It is defined for a connected network, so it is computed on the largest component
  (the one with the smallest id on a tie) and is None for everyone outside it, or for
  everyone when the power iteration does not converge;
- **community**: Louvain modularity communities, seeded so that the same data give the
  same communities; ids are stable: 0 is the largest, ties broken by the smallest
  stakeholder id;
- **constraint**, **effective size**: Burt's brokerage (:mod:`.brokerage`), weighted.

When the network's size n·(n + m) (n stakeholders, m ties) exceeds
:data:`IGRAPH_THRESHOLD`, betweenness, closeness, eigenvector and communities run
through python-igraph (:mod:`.igraph_engine`), rescaled to the same values; the
communities come from igraph's own Louvain, so they are an equally good partition
(the same modularity, give or take) rather than the identical one.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from governance.network import igraph_engine
from governance.network.brokerage import brokerage

#: Above this size n·(n + m) the heavy steps run through igraph. networkx's weighted
#: betweenness is one Dijkstra search per stakeholder, so its time grows as n·(n + m):
#: about 0.15 s at this size (100 stakeholders with 400 ties, or 200 with 50) and 2 s
#: at 300 stakeholders with 2,000 ties on a 2-CPU machine, where igraph takes 60 ms.
#: The demo case (17 × 144) stays with networkx.
IGRAPH_THRESHOLD = 50_000

#: The seed of every random step (communities, layout): 2008, Ansell & Gash's year.
SEED = 2008

#: Up to this many stakeholders with ties, betweenness is exact. Above it, it is
#: estimated from the shortest paths leaving :data:`BETWEENNESS_SOURCES` of them, drawn
#: at random (seeded), scaled up (Brandes & Pich 2007, "Centrality estimation in large
#: networks"; networkx's ``k``): exact weighted betweenness is one Dijkstra search
#: per stakeholder, 0.7–1 s of a large case's cold page (1,238 stakeholders with ties
#: in its 20,000-tie backbone). Among the 50 largest values, an estimate is off by
#: about 8 % (the median; the ten largest are the same ten).
EXACT_BETWEENNESS_LIMIT = 1_000
BETWEENNESS_SOURCES = 500

#: Tie lengths are 1/weight in units of 1/720,720 (the least common multiple of 1…16):
#: exact for weights up to 16, rounded to the nearest unit above.
DISTANCE_UNIT = 720_720

#: The power iteration's budget and tolerance for eigenvector centrality: tighter than
#: networkx's default (1e-6 summed over the nodes, which leaves errors near 1e-5), so
#: that both engines agree to about 1e-9.
EIGENVECTOR_MAX_ITER = 1000
EIGENVECTOR_TOLERANCE = 1e-10


class Engine(enum.StrEnum):
    NETWORKX = "networkx"
    IGRAPH = "igraph"


def size(graph: nx.Graph) -> int:
    """n·(n + m): the order of the work of betweenness and closeness.

    >>> size(nx.path_graph(3))
    15
    """
    n: int = graph.number_of_nodes()
    m: int = graph.number_of_edges()
    return n * (n + m)


def engine_for(graph: nx.Graph) -> Engine:
    """igraph when :func:`size` exceeds :data:`IGRAPH_THRESHOLD`, networkx up to it.

    >>> engine_for(nx.path_graph(3)), engine_for(nx.empty_graph(224))
    (<Engine.NETWORKX: 'networkx'>, <Engine.IGRAPH: 'igraph'>)
    """
    return Engine.IGRAPH if size(graph) > IGRAPH_THRESHOLD else Engine.NETWORKX


@dataclass(frozen=True)
class NodeMetrics:
    degree: int
    weighted_degree: float
    betweenness: float
    closeness: float
    eigenvector: float | None
    community: int
    constraint: float | None
    effective_size: float | None


#: The metrics a drawing can size its nodes by.
METRIC_NAMES: tuple[str, ...] = (
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "constraint",
    "effective_size",
)


def with_distances(graph: nx.Graph, weight: str = "weight") -> nx.Graph:
    """A copy of ``graph`` whose edges also carry ``distance``: 1/weight in integer units.

    >>> graph = with_distances(nx.Graph([(1, 2, {"weight": 3})]))
    >>> graph[1][2]["distance"], graph[1][2]["distance"] / DISTANCE_UNIT
    (240240, 0.3333333333333333)
    """
    result = graph.copy()
    for _, _, data in result.edges(data=True):
        data["distance"] = tie_length(data.get(weight, 1))
    return result


def tie_length(weight: float) -> int:
    """A tie's length, 1/weight, in units of 1/:data:`DISTANCE_UNIT` (at least 1).

    >>> tie_length(1), tie_length(7) * 7 == DISTANCE_UNIT, tie_length(10**9)
    (720720, True, 1)
    """
    if weight <= 0:
        raise ValueError("tie weights must be positive to be read as closeness")
    return max(1, round(DISTANCE_UNIT / weight))


def betweenness_sources(graph: nx.Graph) -> int | None:
    """How many stakeholders betweenness is estimated from; None when it is exact (at
    most :data:`EXACT_BETWEENNESS_LIMIT` stakeholders with ties).

    >>> betweenness_sources(nx.path_graph(3)) is None
    True
    >>> betweenness_sources(nx.path_graph(EXACT_BETWEENNESS_LIMIT + 1)) == BETWEENNESS_SOURCES
    True
    """
    tied = sum(1 for node, others in graph.adjacency() if any(o != node for o in others))
    return BETWEENNESS_SOURCES if tied > EXACT_BETWEENNESS_LIMIT else None


def betweenness(
    graph: nx.Graph, *, distance: str | None = None, engine: Engine | None = None
) -> dict[Hashable, float]:
    """Normalised betweenness of every node of an undirected graph.

    ``distance`` names the edge attribute holding each tie's length (steps when None).

    Examples
    --------
    >>> graph = nx.path_graph(3)
    >>> betweenness(graph) == betweenness(graph, engine=Engine.IGRAPH) == {0: 0.0, 1: 1.0, 2: 0.0}
    True
    """
    _undirected(graph)
    if (engine or engine_for(graph)) is Engine.IGRAPH:
        return igraph_engine.betweenness(graph, distance)
    return dict(nx.betweenness_centrality(graph, normalized=True, weight=distance))


def closeness(
    graph: nx.Graph, *, distance: str | None = None, engine: Engine | None = None
) -> dict[Hashable, float]:
    """Closeness of every node of an undirected graph (0 for an isolated node).

    ``distance`` names the edge attribute holding each tie's length (steps when None).

    Examples
    --------
    >>> graph = nx.path_graph(3)
    >>> closeness(graph) == closeness(graph, engine=Engine.IGRAPH) == {0: 2 / 3, 1: 1.0, 2: 2 / 3}
    True
    """
    _undirected(graph)
    if (engine or engine_for(graph)) is Engine.IGRAPH:
        return igraph_engine.closeness(graph, distance)
    return dict(nx.closeness_centrality(graph, distance=distance))


def eigenvector(
    graph: nx.Graph, *, weight: str | None = "weight", engine: Engine | None = None
) -> dict[Hashable, float | None]:
    """Eigenvector centrality on the largest component; None elsewhere.

    Examples
    --------
    >>> graph = nx.path_graph(3)
    >>> graph.add_node(9)
    >>> {n: round(v, 4) if v is not None else v for n, v in eigenvector(graph).items()}
    {0: 0.5, 1: 0.7071, 2: 0.5, 9: None}
    """
    _undirected(graph)
    result: dict[Hashable, float | None] = dict.fromkeys(graph, None)
    if not graph:
        return result
    # A copy, not a subgraph view: a view filters every neighbour lookup of the iteration.
    core = graph.subgraph(largest_component(graph)).copy()
    if (engine or engine_for(graph)) is Engine.IGRAPH:
        result.update(igraph_engine.eigenvector(core, weight))
        return result
    try:
        values = nx.eigenvector_centrality(
            core, max_iter=EIGENVECTOR_MAX_ITER, tol=EIGENVECTOR_TOLERANCE, weight=weight
        )
    except nx.PowerIterationFailedConvergence:
        return result
    result.update(values)
    return result


def largest_component(graph: nx.Graph) -> set[Hashable]:
    """The nodes of the largest connected component; on a tie, the one with the smallest node.

    >>> sorted(largest_component(nx.Graph([(5, 6), (1, 2), (3, 3)])))
    [1, 2]
    """
    components = sorted(
        (set(c) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), min(map(node_order, c))),
    )
    return components[0] if components else set()


def node_order(node: Hashable) -> tuple[float, str]:
    """Sort key for nodes: ids (ints) by value, anything else by its text."""
    return (float(node), "") if isinstance(node, int) else (0.0, str(node))


def communities(
    graph: nx.Graph,
    *,
    weight: str | None = "weight",
    seed: int = SEED,
    engine: Engine | None = None,
) -> list[frozenset[Hashable]]:
    """Seeded Louvain communities, largest first (then by smallest member).

    Examples
    --------
    >>> graph = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> [sorted(c) for c in communities(graph)]
    [[0, 1, 2, 3], [4, 5, 6]]
    """
    _undirected(graph)
    if (engine or engine_for(graph)) is Engine.IGRAPH:
        found: Iterable[set[Hashable]] = igraph_engine.communities(graph, weight, seed=seed)
    else:
        found = nx.community.louvain_communities(graph, weight=weight, seed=seed)
    return _ordered(found)


def _ordered(found: Iterable[set[Hashable]]) -> list[frozenset[Hashable]]:
    """Communities largest first, then by their smallest member: stable ids."""
    parts = [frozenset(part) for part in found]
    return sorted(parts, key=lambda part: (-len(part), min(map(node_order, part))))


def membership(parts: Iterable[frozenset[Hashable]]) -> dict[Hashable, int]:
    """Node → the index of its community in ``parts``."""
    return {node: index for index, part in enumerate(parts) for node in part}


def node_metrics(
    ties: nx.Graph, *, engine: Engine | None = None, seed: int = SEED
) -> tuple[dict[Hashable, NodeMetrics], list[frozenset[Hashable]]]:
    """Every node's metrics on the undirected, weighted tie graph, and the communities.

    Examples
    --------
    >>> graph = nx.star_graph(3)
    >>> metrics, parts = node_metrics(graph)
    >>> metrics[0].degree, metrics[0].betweenness, metrics[0].constraint
    (3, 1.0, 0.3333333333333333)
    """
    _undirected(ties)
    engine = engine or engine_for(ties)
    if engine is Engine.IGRAPH:
        # One conversion for every igraph step, lengths added on the copy.
        converted = igraph_engine.convert(ties, "weight")
        converted.graph.es["distance"] = [tie_length(w) for w in converted.graph.es["weight"]]
        between = igraph_engine.betweenness(
            converted, "distance", sources=betweenness_sources(ties), seed=seed
        )
        close = igraph_engine.closeness(converted, "distance")
        eigen: dict[Hashable, float | None] = dict.fromkeys(ties, None)
        if ties:
            eigen.update(igraph_engine.eigenvector(converted.subgraph(largest_component(ties))))
        found: Iterable[set[Hashable]] = igraph_engine.communities(converted, seed=seed)
        parts = _ordered(found)
    else:
        lengths = with_distances(ties)
        between = betweenness(lengths, distance="distance", engine=engine)
        close = closeness(lengths, distance="distance", engine=engine)
        eigen = eigenvector(ties, engine=engine)
        parts = communities(ties, seed=seed, engine=engine)
    community = membership(parts)
    holes = brokerage(ties, weight="weight")
    weighted = dict(ties.degree(weight="weight"))
    metrics = {
        node: NodeMetrics(
            degree=ties.degree(node),
            weighted_degree=float(weighted[node]),
            betweenness=between[node],
            closeness=close[node] * DISTANCE_UNIT,
            eigenvector=eigen[node],
            community=community[node],
            constraint=holes[node].constraint,
            effective_size=holes[node].effective_size,
        )
        for node in ties
    }
    return metrics, parts


@dataclass(frozen=True)
class NetworkFigures:
    """Figures of a whole network (None where a figure is undefined for its size)."""

    nodes: int
    #: Undirected ties (pairs tied in any layer, either way).
    ties: int
    #: Directed arcs (ordered pairs; a mutual tie is two).
    arcs: int
    density: float | None
    centralisation: float | None
    reciprocity: float | None
    components: int
    largest_component: int
    isolates: int
    communities: int | None = None
    modularity: float | None = None


def density(arcs: nx.DiGraph) -> float | None:
    """Arcs present ÷ arcs possible, n(n−1) (networkx's directed density); None below 2 nodes.

    >>> density(nx.complete_graph(4).to_directed())
    1.0
    """
    return float(nx.density(arcs)) if arcs.number_of_nodes() > 1 else None


def degree_centralisation(graph: nx.Graph) -> float | None:
    """Freeman's degree centralisation of an undirected graph.

    ``C = Σ_i (d_max − d_i) / ((n − 1)(n − 2))``, with ``d_i`` the number of neighbours:
    1 for a star, 0 when every node has the same degree (Freeman 1978, "Centrality in
    social networks", *Social Networks* 1:215–239). None below 3 nodes.

    >>> degree_centralisation(nx.star_graph(4)), degree_centralisation(nx.cycle_graph(5))
    (1.0, 0.0)
    """
    _undirected(graph)
    return _centralisation([d for _, d in graph.degree()])


def _centralisation(degrees: list[int]) -> float | None:
    n = len(degrees)
    if n < 3:
        return None
    top = max(degrees)
    return float(sum(top - d for d in degrees) / ((n - 1) * (n - 2)))


def reciprocity(arcs: nx.DiGraph) -> float | None:
    """The share of arcs whose reverse arc is also present; None without arcs.

    networkx's ``overall_reciprocity``, counted directly: networkx builds an undirected
    copy of the graph to count the pairs, which at 20,000 arcs takes longer than all
    the other figures together. The same integers are divided, so the value is the same.

    >>> reciprocity(nx.DiGraph([(1, 2), (2, 1), (2, 3)]))
    0.6666666666666666
    """
    total = arcs.number_of_edges()
    if total == 0:
        return None
    reciprocated = sum(1 for u, v in arcs.edges() if u != v and arcs.has_edge(v, u))
    return float(reciprocated / total)


def network_figures(
    ties: nx.Graph,
    arcs: nx.DiGraph,
    parts: list[frozenset[Hashable]] | None = None,
) -> NetworkFigures:
    """Density, centralisation, reciprocity, components (and modularity when ``parts``).

    Examples
    --------
    >>> graph = nx.star_graph(3)
    >>> f = network_figures(graph, graph.to_directed())
    >>> f.density, f.centralisation, f.reciprocity, f.components
    (0.5, 1.0, 1.0, 1)
    """
    components = [len(c) for c in nx.connected_components(ties)]
    return NetworkFigures(
        nodes=ties.number_of_nodes(),
        ties=ties.number_of_edges(),
        arcs=arcs.number_of_edges(),
        density=density(arcs),
        centralisation=degree_centralisation(ties),
        reciprocity=reciprocity(arcs),
        components=len(components),
        largest_component=max(components, default=0),
        isolates=sum(size == 1 for size in components),
        communities=len(parts) if parts is not None else None,
        modularity=(
            float(nx.community.modularity(ties, parts, weight="weight"))
            if parts and ties.number_of_edges()
            else None
        ),
    )


def counted_figures(
    degrees: Collection[int], *, arcs: int, ties: int, components: Collection[int]
) -> NetworkFigures:
    """:func:`network_figures` without communities, from what they count.

    ``degrees`` are the nodes' numbers of ties (pairs tied either way), ``arcs`` the
    directed arcs (a mutual tie is two), ``ties`` the pairs and ``components`` each
    component's size. The same integers are divided by the same formulas as the graphs'
    figures (density as networkx's ``density`` of the arcs, Freeman's centralisation,
    networkx's reciprocity), without building graphs: the quarterly series of a large
    case counts hundreds of thousands of ties.

    Examples
    --------
    >>> graph = nx.star_graph(3)
    >>> counted_figures([3, 1, 1, 1], arcs=6, ties=3, components=[4]) == network_figures(
    ...     graph, graph.to_directed())
    True
    """
    n = len(degrees)
    # A pair tied both ways is two arcs, one way one: the pairs tied both ways number
    # arcs − ties, and each gives two reciprocated arcs.
    reciprocated = 2 * (arcs - ties)
    return NetworkFigures(
        nodes=n,
        ties=ties,
        arcs=arcs,
        density=(float(arcs / (n * (n - 1)) if arcs else 0) if n > 1 else None),
        centralisation=_centralisation(list(degrees)),
        reciprocity=float(reciprocated / arcs) if arcs else None,
        components=len(components),
        largest_component=max(components, default=0),
        isolates=sum(size == 1 for size in components),
    )


def _undirected(graph: nx.Graph) -> None:
    if graph.is_directed() or graph.is_multigraph():
        raise nx.NetworkXNotImplemented("not implemented for directed graphs or multigraphs")
