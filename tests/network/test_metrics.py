"""Metrics equal networkx's own on the classic networks it ships, on both engines."""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from fractions import Fraction
from typing import Any, ClassVar

import networkx as nx
import pytest

from governance.network import brokerage as brokerage_module
from governance.network import igraph_engine, metrics
from governance.network.brokerage import Brokerage, brokerage
from governance.network.metrics import (
    DISTANCE_UNIT,
    SEED,
    Engine,
    betweenness,
    closeness,
    communities,
    degree_centralisation,
    density,
    eigenvector,
    engine_for,
    network_figures,
    node_metrics,
    reciprocity,
    with_distances,
)

CLASSIC: dict[str, Callable[[], nx.Graph]] = {
    "karate club": nx.karate_club_graph,
    "Florentine families": nx.florentine_families_graph,
    "Les Misérables": nx.les_miserables_graph,
}


@pytest.fixture(params=sorted(CLASSIC))
def classic(request: pytest.FixtureRequest) -> nx.Graph:
    return CLASSIC[request.param]()


def weighted_random(n: int, m: int, seed: int) -> nx.Graph:
    graph = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    for _, _, data in graph.edges(data=True):
        data["weight"] = rng.randint(1, 6)
    return graph


def in_pieces() -> nx.Graph:
    """Two components of different sizes, a pair and an isolated node."""
    graph = nx.disjoint_union(nx.karate_club_graph(), nx.cycle_graph(5))
    graph.add_edge(100, 101, weight=2)
    graph.add_node(200)
    return graph


def weight_of(graph: nx.Graph) -> str | None:
    """The weight attribute a classic graph carries, if any."""
    return "weight" if all("weight" in d for *_, d in graph.edges(data=True)) else None


class TestAgainstNetworkx:
    def test_unweighted_betweenness_and_closeness(self, classic: nx.Graph) -> None:
        assert betweenness(classic) == pytest.approx(nx.betweenness_centrality(classic))
        assert closeness(classic) == pytest.approx(nx.closeness_centrality(classic))

    def test_degree_and_weighted_degree(self, classic: nx.Graph) -> None:
        found, _ = node_metrics(classic)
        weight = weight_of(classic)

        assert {n: m.degree for n, m in found.items()} == dict(classic.degree())
        assert {n: m.weighted_degree for n, m in found.items()} == dict(
            classic.degree(weight=weight)
        )

    def test_tie_lengths_are_one_over_weight(self) -> None:
        # The karate club's weights are 1–7: exact in 1/720,720 units, so the result
        # equals networkx with exact fractions (float 1/w would miss tied paths).
        graph = nx.karate_club_graph()

        found, _ = node_metrics(graph)

        def length(u: int, v: int, d: dict[str, int]) -> Fraction:
            return Fraction(1, d["weight"])

        expected = nx.betweenness_centrality(graph, weight=length)
        assert {n: m.betweenness for n, m in found.items()} == pytest.approx(expected, abs=1e-12)
        lengths = nx.Graph()
        lengths.add_weighted_edges_from(
            ((u, v, 1 / d["weight"]) for u, v, d in graph.edges(data=True)), weight="length"
        )
        assert {n: m.closeness for n, m in found.items()} == pytest.approx(
            nx.closeness_centrality(lengths, distance="length"), rel=1e-12
        )

    def test_weighted_metrics_follow_networkx_on_the_integer_lengths(
        self, classic: nx.Graph
    ) -> None:
        found, _ = node_metrics(classic)
        lengths = with_distances(classic, weight="weight")

        assert {n: m.betweenness for n, m in found.items()} == pytest.approx(
            nx.betweenness_centrality(lengths, weight="distance")
        )
        expected = nx.closeness_centrality(lengths, distance="distance")
        assert {n: m.closeness / DISTANCE_UNIT for n, m in found.items()} == pytest.approx(expected)

    def test_eigenvector(self, classic: nx.Graph) -> None:
        weight = weight_of(classic)

        found = eigenvector(classic, weight=weight)

        assert found == pytest.approx(
            nx.eigenvector_centrality(classic, weight=weight, tol=1e-10, max_iter=1000)
        )
        assert found == pytest.approx(nx.eigenvector_centrality(classic, weight=weight), abs=1e-4)

    @pytest.mark.parametrize("weighted", [False, True])
    def test_constraint_and_effective_size(self, classic: nx.Graph, weighted: bool) -> None:
        weight = weight_of(classic) if weighted else None
        # networkx's own constraint is slow (seconds on Les Misérables): check 30 nodes.
        sample = sorted(classic, key=str)[:30]

        found = brokerage(classic, weight=weight)

        assert {n: found[n].constraint for n in sample} == pytest.approx(
            nx.constraint(classic, nodes=sample, weight=weight)
        )
        assert {n: found[n].effective_size for n in sample} == pytest.approx(
            nx.effective_size(classic, nodes=sample, weight=weight)
        )

    def test_hubs_give_the_sums_of_the_plain_two_step_walk(self) -> None:
        """Common contacts are found from the smaller side; the sums stay bit for bit
        those of walking every middle's ties in order."""
        graph = nx.barabasi_albert_graph(300, 3, seed=4)
        graph.add_edges_from((0, other) for other in range(2, 300, 2))  # one hub more
        rng = random.Random(4)
        for first, second in graph.edges:
            graph[first][second]["weight"] = rng.randint(1, 12)

        found = brokerage(graph, weight="weight")

        assert found == plain_brokerage(graph, "weight")

    def test_communities_are_networkx_louvain_with_the_seed(self, classic: nx.Graph) -> None:
        weight = weight_of(classic)

        found = communities(classic, weight=weight)

        expected = nx.community.louvain_communities(classic, weight=weight, seed=SEED)
        assert set(found) == {frozenset(c) for c in expected}
        assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)

    def test_network_figures(self, classic: nx.Graph) -> None:
        arcs = classic.to_directed()
        degrees = [d for _, d in classic.degree()]
        n = len(degrees)

        figures = network_figures(classic, arcs)

        assert figures.density == pytest.approx(nx.density(classic))
        assert figures.reciprocity == pytest.approx(nx.overall_reciprocity(arcs)) == 1.0
        assert figures.components == nx.number_connected_components(classic) == 1
        assert figures.centralisation == pytest.approx(
            sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2))
        )


class TestIgraphPath:
    """Above the threshold the heavy steps run through igraph: same values."""

    GRAPHS: ClassVar[dict[str, Callable[[], nx.Graph]]] = {
        **CLASSIC,
        "random 150/900 weighted": lambda: weighted_random(150, 900, seed=1),
        "in pieces": in_pieces,
    }

    @pytest.fixture(params=sorted(GRAPHS))
    def graph(self, request: pytest.FixtureRequest) -> nx.Graph:
        return self.GRAPHS[request.param]()

    def test_betweenness(self, graph: nx.Graph) -> None:
        lengths = with_distances(graph)
        for distance in (None, "distance"):
            on_networkx = betweenness(lengths, distance=distance, engine=Engine.NETWORKX)
            on_igraph = betweenness(lengths, distance=distance, engine=Engine.IGRAPH)

            assert on_igraph == pytest.approx(on_networkx, abs=1e-12)

    def test_closeness(self, graph: nx.Graph) -> None:
        lengths = with_distances(graph)
        for distance in (None, "distance"):
            on_networkx = closeness(lengths, distance=distance, engine=Engine.NETWORKX)
            on_igraph = closeness(lengths, distance=distance, engine=Engine.IGRAPH)

            assert on_igraph == pytest.approx(on_networkx, rel=1e-12)

    def test_eigenvector(self, graph: nx.Graph) -> None:
        on_networkx = eigenvector(graph, engine=Engine.NETWORKX)
        on_igraph = eigenvector(graph, engine=Engine.IGRAPH)

        assert on_igraph == pytest.approx(on_networkx, abs=1e-8)

    def test_communities_find_the_same_planted_partition(self) -> None:
        graph = nx.planted_partition_graph(6, 30, 0.5, 0.01, seed=3)
        planted = {frozenset(block) for block in graph.graph["partition"]}

        assert set(communities(graph, engine=Engine.NETWORKX)) == planted
        assert set(communities(graph, engine=Engine.IGRAPH)) == planted

    def test_communities_are_as_good_a_partition(self, graph: nx.Graph) -> None:
        def quality(parts: list[frozenset[object]]) -> float:
            return float(nx.community.modularity(graph, parts, weight="weight"))

        on_networkx = quality(communities(graph, engine=Engine.NETWORKX))
        on_igraph = quality(communities(graph, engine=Engine.IGRAPH))

        assert on_igraph == pytest.approx(on_networkx, abs=0.03)

    def test_communities_are_reproducible(self) -> None:
        graph = weighted_random(150, 900, seed=2)

        assert communities(graph, engine=Engine.IGRAPH) == communities(graph, engine=Engine.IGRAPH)

    def test_node_metrics_agree_on_the_whole(self) -> None:
        graph = weighted_random(120, 600, seed=4)

        on_networkx, _ = node_metrics(graph, engine=Engine.NETWORKX)
        on_igraph, _ = node_metrics(graph, engine=Engine.IGRAPH)

        for node in graph:
            a, b = on_networkx[node], on_igraph[node]
            assert (a.degree, a.weighted_degree) == (b.degree, b.weighted_degree)
            assert b.betweenness == pytest.approx(a.betweenness, abs=1e-12)
            assert b.closeness == pytest.approx(a.closeness, rel=1e-12)
            assert b.eigenvector == pytest.approx(a.eigenvector, abs=1e-8)
            assert (b.constraint, b.effective_size) == (a.constraint, a.effective_size)

    def test_the_engine_is_chosen_by_size(self) -> None:
        small = nx.gnm_random_graph(100, 400, seed=1)  # 100 · 500 = 50,000
        larger = nx.gnm_random_graph(100, 401, seed=1)

        assert metrics.size(small) == metrics.IGRAPH_THRESHOLD
        assert engine_for(small) is Engine.NETWORKX
        assert engine_for(larger) is Engine.IGRAPH


class TestEigenvector:
    def test_is_none_outside_the_largest_component(self) -> None:
        found = eigenvector(in_pieces())

        assert (found[200], found[100]) == (None, None)
        assert found[0] == pytest.approx(
            nx.eigenvector_centrality(nx.karate_club_graph(), weight="weight", tol=1e-10)[0]
        )

    def test_is_none_everywhere_when_the_iteration_does_not_converge(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(metrics, "EIGENVECTOR_MAX_ITER", 1)

        assert set(eigenvector(nx.karate_club_graph()).values()) == {None}

    def test_is_defined_for_an_empty_graph(self) -> None:
        assert eigenvector(nx.Graph()) == {}


class TestNodeMetrics:
    def test_an_isolated_stakeholder_has_no_brokerage(self) -> None:
        found, parts = node_metrics(in_pieces())

        isolated = found[200]
        assert (isolated.degree, isolated.betweenness, isolated.closeness) == (0, 0.0, 0.0)
        assert (isolated.eigenvector, isolated.constraint, isolated.effective_size) == (
            None,
            None,
            None,
        )
        assert frozenset({200}) in parts

    def test_community_ids_are_stable_and_largest_first(self) -> None:
        found, parts = node_metrics(in_pieces())

        assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)
        assert {found[n].community for n in parts[0]} == {0}

    @pytest.mark.parametrize("graph", [nx.DiGraph([(1, 2)]), nx.MultiGraph([(1, 2)])])
    def test_refuses_directed_graphs_and_multigraphs(self, graph: nx.Graph) -> None:
        with pytest.raises(nx.NetworkXNotImplemented):
            node_metrics(graph)


class TestFigures:
    def test_freeman_centralisation_is_one_for_a_star_and_zero_when_even(self) -> None:
        assert degree_centralisation(nx.star_graph(6)) == 1.0
        assert degree_centralisation(nx.cycle_graph(6)) == 0.0
        assert degree_centralisation(nx.path_graph(4)) == pytest.approx(2 / 6)

    def test_undefined_figures_are_none(self) -> None:
        figures = network_figures(nx.Graph([(1, 2)]), nx.DiGraph())

        assert (figures.centralisation, figures.reciprocity, figures.modularity) == (
            None,
            None,
            None,
        )
        assert density(nx.DiGraph()) is None

    def test_reciprocity_is_the_share_of_returned_arcs(self) -> None:
        assert reciprocity(nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 4)])) == 0.5

    def test_counts_components_isolates_and_modularity(self) -> None:
        graph = in_pieces()
        parts = communities(graph)

        figures = network_figures(graph, graph.to_directed(), parts)

        assert (figures.components, figures.largest_component, figures.isolates) == (4, 34, 1)
        assert figures.communities == len(parts)
        assert figures.modularity == pytest.approx(
            nx.community.modularity(graph, parts, weight="weight")
        )


class TestFasterPathsGiveTheSameNumbers:
    """Figures computed a faster way than networkx's own equal networkx's, exactly."""

    @pytest.mark.parametrize("seed", range(6))
    def test_reciprocity_equals_networkx_overall_reciprocity(self, seed: int) -> None:
        rng = random.Random(seed)
        graph = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
        graph.add_edges_from((u, u) for u in rng.sample(range(40), 3))  # self-loops too
        graph.add_edges_from((v, u) for u, v in rng.sample(sorted(graph.edges()), 20))

        assert reciprocity(graph) == nx.overall_reciprocity(graph)
        assert 0 < reciprocity(graph) < 1  # type: ignore[operator]

    def test_igraph_eigenvector_repeats_exactly_whatever_the_random_state(self) -> None:
        graph = nx.gnm_random_graph(300, 2000, seed=3)
        random.seed(1)
        first = eigenvector(graph, engine=Engine.IGRAPH)
        random.seed(2)
        second = eigenvector(graph, engine=Engine.IGRAPH)
        state = random.getstate()
        third = eigenvector(graph, engine=Engine.IGRAPH)

        assert first == second == third
        assert random.getstate() == state  # the process's generator is left alone


def plain_brokerage(graph: nx.Graph, weight: str) -> dict[Hashable, Brokerage]:
    """Burt's measures as the formulas read, walking each middle's every tie."""
    share, relative = {}, {}
    for node in graph:
        ties = {other: float(data[weight]) for other, data in graph[node].items()}
        share[node] = {other: value / sum(ties.values()) for other, value in ties.items()}
        relative[node] = {other: value / max(ties.values()) for other, value in ties.items()}
    found = {}
    for node in graph:
        own = share[node]
        indirect = dict.fromkeys(own, 0.0)
        redundant = dict.fromkeys(own, 0.0)
        for middle, p_middle in own.items():
            for contact, p_onward in share[middle].items():
                if contact in own:
                    indirect[contact] += p_middle * p_onward
                    redundant[contact] += p_middle * relative[contact][middle]
        found[node] = Brokerage(
            constraint=sum((own[j] + indirect[j]) ** 2 for j in own),
            effective_size=sum(1 - redundant[j] for j in own),
        )
    return found


class TestEstimatedBetweenness:
    """Above EXACT_BETWEENNESS_LIMIT stakeholders with ties, betweenness is estimated
    from a seeded sample of sources; at or below it, it stays exact."""

    def test_a_path_s_estimate_is_its_sampled_sources_paths_scaled_up(self) -> None:
        path = nx.path_graph(10)
        drawn = random.Random(7).sample(range(10), 4)

        estimate = igraph_engine.betweenness(path, sources=4, seed=7)

        def through(node: int, source: int) -> Fraction:
            """Half the paths from ``source`` that pass through ``node`` (each pair is
            counted from both ends)."""
            beyond = 9 - node if source < node else node if source > node else 0
            return Fraction(beyond, 2)

        for node in path:
            raw = sum(through(node, source) for source in drawn) * Fraction(10, 4)
            assert estimate[node] == pytest.approx(float(raw * Fraction(2, 9 * 8)), abs=1e-15)

    def test_with_as_many_sources_as_tied_nodes_it_is_exact(self) -> None:
        graph = with_distances(weighted_random(150, 900, seed=1))
        graph.add_node(999)  # no ties: never a source

        exact = betweenness(graph, distance="distance", engine=Engine.NETWORKX)
        sampled = igraph_engine.betweenness(graph, "distance", sources=150, seed=SEED)

        assert sampled == pytest.approx(exact, abs=1e-12)

    def test_is_reproducible(self) -> None:
        graph = with_distances(weighted_random(150, 900, seed=3))

        first = igraph_engine.betweenness(graph, "distance", sources=40, seed=SEED)

        assert igraph_engine.betweenness(graph, "distance", sources=40, seed=SEED) == first
        assert igraph_engine.betweenness(graph, "distance", sources=40, seed=SEED + 1) != first

    def test_estimates_the_largest_well(self) -> None:
        graph = with_distances(weighted_random(600, 3_000, seed=5))
        exact = betweenness(graph, distance="distance", engine=Engine.IGRAPH)

        sampled = igraph_engine.betweenness(graph, "distance", sources=250, seed=SEED)

        top = sorted(exact, key=exact.__getitem__, reverse=True)[:20]
        errors = sorted(abs(sampled[node] - exact[node]) / exact[node] for node in top)
        assert errors[len(errors) // 2] < 0.15
        assert sum(sampled.values()) == pytest.approx(sum(exact.values()), rel=0.1)

    def test_node_metrics_estimate_only_above_the_limit(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        graph = weighted_random(150, 900, seed=4)
        graph.add_nodes_from(range(1_000, 1_100))  # isolates do not count
        exact, _ = node_metrics(graph, engine=Engine.IGRAPH)
        monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 150)
        monkeypatch.setattr(metrics, "BETWEENNESS_SOURCES", 60)

        assert metrics.betweenness_sources(graph) is None
        at_the_limit, _ = node_metrics(graph, engine=Engine.IGRAPH)
        monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 149)
        above, _ = node_metrics(graph, engine=Engine.IGRAPH)

        assert at_the_limit == exact
        assert metrics.betweenness_sources(graph) == 60
        expected = igraph_engine.betweenness(
            with_distances(graph), "distance", sources=60, seed=SEED
        )
        assert {n: m.betweenness for n, m in above.items()} == pytest.approx(expected, abs=1e-15)
        assert {n: m.closeness for n, m in above.items()} == {
            n: m.closeness for n, m in exact.items()
        }


class TestBrokerageWithArrays:
    """Above ARRAYS_ABOVE ties brokerage is measured with NumPy: the loop's values, added
    in another order."""

    @pytest.fixture(autouse=True)
    def arrays_from_any_size(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(brokerage_module, "ARRAYS_ABOVE", 0)

    @staticmethod
    def by_loop(graph: nx.Graph, weight: str | None, monkeypatch: pytest.MonkeyPatch) -> Any:
        with monkeypatch.context() as patch:
            patch.setattr(brokerage_module, "ARRAYS_ABOVE", 10**9)
            return brokerage(graph, weight=weight)

    @pytest.mark.parametrize("weight", ["weight", None])
    @pytest.mark.parametrize("table", [True, False])
    def test_gives_the_loop_s_values(
        self, monkeypatch: pytest.MonkeyPatch, weight: str | None, table: bool
    ) -> None:
        graph = weighted_random(300, 2_500, seed=6)
        graph.add_edges_from([(0, 0, {"weight": 3}), (400, 401, {"weight": 2})])
        graph.add_node(500)
        if not table:
            monkeypatch.setattr(brokerage_module._ArcIndex, "TABLE_LIMIT", 0)

        found = brokerage(graph, weight=weight)

        expected = self.by_loop(graph, weight, monkeypatch)
        assert list(found) == list(expected)
        assert found[500] == Brokerage(None, None)
        for node, value in expected.items():
            if value.constraint is not None:
                assert found[node].constraint == pytest.approx(value.constraint, rel=1e-12)
                assert found[node].effective_size == pytest.approx(value.effective_size, rel=1e-12)
        assert found[400] == expected[400] == Brokerage(1.0, 1.0)

    @pytest.mark.parametrize("per_step", [1, 7, 1_000])
    def test_paths_taken_a_slice_at_a_time_give_the_same_values(
        self, monkeypatch: pytest.MonkeyPatch, per_step: int
    ) -> None:
        graph = weighted_random(200, 1_500, seed=4)
        with monkeypatch.context() as patch:
            patch.setattr(brokerage_module, "WEDGES_PER_STEP", 10**9)
            at_once = brokerage(graph, weight="weight")
        monkeypatch.setattr(brokerage_module, "WEDGES_PER_STEP", per_step)

        # Every term is added in the same order: equal to the last bit, not approximately.
        assert brokerage(graph, weight="weight") == at_once
        assert any(value.constraint != 1.0 for value in at_once.values())

    def test_a_star_s_centre_spans_its_holes(self) -> None:
        found = brokerage(nx.star_graph(3))

        assert found[0].constraint == pytest.approx(1 / 3)
        assert (found[0].effective_size, found[1].constraint) == (3.0, 1.0)

    def test_too_many_two_step_paths_go_through_the_loop(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        graph = weighted_random(100, 400, seed=2)
        monkeypatch.setattr(brokerage_module, "WEDGES_LIMIT", 10)

        assert brokerage(graph, weight="weight") == self.by_loop(graph, "weight", monkeypatch)

    def test_ties_weighing_nothing_are_refused(self) -> None:
        graph = nx.Graph([(1, 2, {"weight": 0}), (2, 3, {"weight": 1})])

        with pytest.raises(ValueError, match="the ties of node 1 weigh nothing"):
            brokerage(graph, weight="weight")
