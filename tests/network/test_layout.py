"""The layout: seeded, independent of input order, in the unit square."""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import pytest

from governance.network import igraph_engine
from governance.network.layout import Position, stable_layout, unit_square
from governance.network.metrics import SEED, node_order


class TestStableLayout:
    def test_the_same_graph_gets_the_same_positions(self) -> None:
        graph = nx.les_miserables_graph()

        assert stable_layout(graph) == stable_layout(graph.copy())

    def test_positions_do_not_depend_on_the_order_nodes_were_added(self) -> None:
        graph = nx.karate_club_graph()
        shuffled = nx.Graph()
        shuffled.add_nodes_from(sorted(graph, reverse=True))
        shuffled.add_edges_from(reversed(list(graph.edges())))

        assert stable_layout(shuffled) == stable_layout(graph)

    def test_another_seed_gives_another_layout(self) -> None:
        graph = nx.karate_club_graph()

        assert stable_layout(graph, seed=1) != stable_layout(graph, seed=2)

    def test_fills_the_unit_square(self) -> None:
        positions = stable_layout(nx.karate_club_graph())

        xs = [x for x, _ in positions.values()]
        ys = [y for _, y in positions.values()]
        assert (min(xs), max(xs), min(ys), max(ys)) == (0.0, 1.0, 0.0, 1.0)

    def test_tied_stakeholders_sit_closer_than_strangers(self) -> None:
        graph = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
        graph.add_edge(0, 6)
        positions = stable_layout(graph)

        def gap(a: int, b: int) -> float:
            (ax, ay), (bx, by) = positions[a], positions[b]
            return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)

        assert gap(1, 2) < gap(1, 8)

    @pytest.mark.parametrize(
        ("points", "expected"),
        [
            ({}, {}),
            ({"a": (3.0, 3.0)}, {"a": (0.5, 0.5)}),
            ({"a": (0.0, 1.0), "b": (2.0, 1.0)}, {"a": (0.0, 0.5), "b": (1.0, 0.5)}),
        ],
    )
    def test_unit_square_handles_degenerate_input(
        self, points: dict[Hashable, Position], expected: dict[Hashable, Position]
    ) -> None:
        assert unit_square(points) == expected

    def test_refuses_a_directed_graph(self) -> None:
        with pytest.raises(nx.NetworkXNotImplemented):
            stable_layout(nx.DiGraph([(1, 2)]))


class TestLayoutInput:
    def test_equals_the_layout_of_the_sorted_networkx_graph(self) -> None:
        """Vertices and edges reach igraph straight from the sorted lists, in the order a
        networkx graph built from them in sorted order gives: the same positions."""
        graph = nx.relabel_nodes(
            nx.gnm_random_graph(400, 2400, seed=8), dict(enumerate(range(1000, 0, -2)))
        )
        graph.add_edge(1000, 1000)
        ordered = nx.Graph()
        ordered.add_nodes_from(sorted(graph, key=node_order))
        ordered.add_edges_from(sorted(graph.edges(), key=lambda e: sorted(map(node_order, e))))

        expected = unit_square(igraph_engine.fruchterman_reingold(ordered, seed=SEED))

        assert stable_layout(graph) == expected
