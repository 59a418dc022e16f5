"""Building the network's layers from plain rows: which ties, when, and how heavy."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any, ClassVar

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from governance.cases.snapshot import CaseData
from governance.network.co_attendance import count_pairs
from governance.network.graph import (
    ALL_LAYERS,
    Layer,
    Window,
    arc_graph,
    attendance_graph,
    build_network,
    co_attendance_graph,
    commitment_graph,
    network_rows,
    relationship_graph,
    restrict,
    tie_graph,
    trust_graph,
    union_ties,
)
from governance.vocab import CommitmentStatus, MeetingStatus, RelationshipType, Sector, Valence
from tests.network.cases import (
    commitment,
    day,
    make_case,
    meeting,
    participation,
    random_case,
    relationship,
    stakeholder,
    trust,
)

T = RelationshipType


class TestWindow:
    def test_as_of_includes_everything_up_to_the_day(self) -> None:
        window = Window.as_of(day("2021-03-31"))

        assert window.contains(day("2019-01-01"))
        assert window.contains(day("2021-03-31"))
        assert not window.contains(day("2021-04-01"))

    def test_a_period_includes_only_its_days(self) -> None:
        window = Window.period(day("2021-01-01"), day("2021-03-31"))

        assert [window.contains(day(d)) for d in ("2020-12-31", "2021-01-01", "2021-04-01")] == [
            False,
            True,
            False,
        ]

    @pytest.mark.parametrize(
        ("window", "started", "ended", "counts"),
        [
            (Window.as_of(day("2021-01-01")), "2020-01-01", "2020-12-31", False),
            (Window.as_of(day("2021-01-01")), "2020-01-01", "2021-01-01", True),
            (Window.as_of(day("2021-01-01")), "2021-01-02", None, False),
            (Window.period(day("2020-06-01"), day("2021-01-01")), "2020-01-01", "2020-07-01", True),
            (Window.period(day("2020-06-01"), day("2021-01-01")), "2021-01-02", None, False),
        ],
    )
    def test_covers_validity(
        self, window: Window, started: str, ended: str | None, counts: bool
    ) -> None:
        assert window.covers(day(started), day(ended) if ended else None) is counts

    def test_refuses_a_period_ending_before_it_starts(self) -> None:
        with pytest.raises(ValueError, match="cannot end"):
            Window.period(day("2021-02-01"), day("2021-01-01"))


class TestRelationshipLayer:
    def test_keeps_the_ties_valid_on_the_day(self) -> None:
        rows = [
            relationship(1, 10, T.MEMBER_OF, 20, started="2020-01-01"),
            relationship(2, 10, T.ADVISES, 30, started="2020-01-01", ended="2020-06-30"),
            relationship(3, 40, T.FUNDS, 10, started="2021-01-01"),
        ]

        graph = relationship_graph(rows, Window.as_of(day("2020-12-31")))

        assert sorted(graph.edges(keys=True)) == [(10, 20, "member_of")]

    def test_a_period_keeps_the_ties_valid_at_some_time_in_it(self) -> None:
        rows = [
            relationship(1, 10, T.ADVISES, 30, started="2020-01-01", ended="2020-06-30"),
            relationship(2, 40, T.FUNDS, 10, started="2021-01-01"),
        ]

        graph = relationship_graph(rows, Window.period(day("2020-06-01"), day("2020-12-31")))

        assert sorted(graph.edges(keys=True)) == [(10, 30, "advises")]

    def test_symmetric_types_hold_both_ways(self) -> None:
        rows = [relationship(1, 10, T.ALLIED_WITH, 20, strength=3)]

        graph = relationship_graph(rows, Window.everything())

        assert sorted(graph.edges(keys=True, data="mutual")) == [
            (10, 20, "allied_with", True),
            (20, 10, "allied_with", True),
        ]
        assert graph[20][10]["allied_with"]["weight"] == 3

    def test_directed_types_hold_one_way_with_their_label(self) -> None:
        graph = relationship_graph([relationship(1, 10, T.REPORTS_TO, 20)], Window.everything())

        assert list(graph.edges(keys=True, data=True)) == [
            (
                10,
                20,
                "reports_to",
                {
                    "layer": "relationships",
                    "type": "reports_to",
                    "label": "reports to",
                    "weight": 2,
                    "mutual": False,
                },
            )
        ]

    def test_a_tie_declared_twice_keeps_its_strongest_strength(self) -> None:
        rows = [
            relationship(1, 10, T.ADVISES, 20, strength=1),
            relationship(2, 10, T.ADVISES, 20, strength=3),
            relationship(3, 10, T.ADVISES, 20, strength=2),
        ]

        graph = relationship_graph(rows, Window.everything())

        assert graph.number_of_edges() == 1
        assert graph[10][20]["advises"]["weight"] == 3

    def test_leaves_out_self_ties(self) -> None:
        graph = relationship_graph([relationship(1, 10, T.OTHER, 10)], Window.everything())

        assert graph.number_of_edges() == 0


class TestCoAttendanceLayer:
    def test_equals_networkx_weighted_bipartite_projection(self) -> None:
        rng = random.Random(5)
        meetings = [
            meeting(i, f"2020-{1 + i % 12:02d}-{1 + i % 27:02d}", rng.sample(range(1, 41), 7))
            for i in range(1, 61)
        ]
        window = Window.everything()

        attendance = attendance_graph(meetings, window)
        people = {n for n, side in attendance.nodes(data="bipartite") if side == 0}
        expected = bipartite.weighted_projected_graph(attendance, people)
        found = co_attendance_graph(meetings, window)

        assert set(found) == set(expected)
        assert {(min(u, v), max(u, v), w) for u, v, w in found.edges(data="weight")} == {
            (min(u, v), max(u, v), w) for u, v, w in expected.edges(data="weight")
        }
        assert found.number_of_edges() > 300

    def test_counts_only_held_meetings_and_present_attendees(self) -> None:
        meetings = [
            meeting(1, "2020-05-01", [1, 2, 3], absent=[4]),
            meeting(2, "2020-06-01", [1, 2, 4], status=MeetingStatus.PLANNED),
            meeting(3, "2020-07-01", [1, 2], status=MeetingStatus.CANCELLED),
            meeting(4, "2020-08-01", [1, 2]),
        ]

        graph = co_attendance_graph(meetings, Window.everything())

        assert sorted(graph.edges(data="weight")) == [(1, 2, 2), (1, 3, 1), (2, 3, 1)]
        assert 4 not in graph

    @pytest.mark.parametrize(
        ("window", "weight"),
        [
            (Window.as_of(day("2020-05-31")), 1),
            (Window.as_of(day("2020-08-01")), 3),
            (Window.period(day("2020-06-01"), day("2020-12-31")), 2),
        ],
    )
    def test_follows_the_window(self, window: Window, weight: int) -> None:
        meetings = [
            meeting(i, d, [1, 2])
            for i, d in enumerate(("2020-05-01", "2020-07-01", "2020-08-01"), 1)
        ]

        assert co_attendance_graph(meetings, window)[1][2]["weight"] == weight

    def test_someone_who_attended_alone_is_a_node_without_ties(self) -> None:
        graph = co_attendance_graph([meeting(1, "2020-05-01", [7])], Window.everything())

        assert list(graph) == [7]
        assert graph.number_of_edges() == 0


class TestCommitmentLayer:
    def test_counts_commitments_and_the_share_fulfilled_at_the_end_of_the_window(self) -> None:
        rows = [
            commitment(1, 10, 20, "2020-06-01", (CommitmentStatus.FULFILLED, "2020-07-15")),
            commitment(2, 10, 20, "2020-06-10", (CommitmentStatus.PARTLY_FULFILLED, "2020-07-01")),
            commitment(3, 10, 20, "2020-06-20"),
            commitment(4, 20, 10, "2020-06-20", (CommitmentStatus.FULFILLED, "2020-06-30")),
        ]

        before = commitment_graph(rows, Window.as_of(day("2020-07-10")))
        after = commitment_graph(rows, Window.as_of(day("2020-08-01")))

        assert (before[10][20]["weight"], before[10][20]["fulfilled"]) == (3, 0)
        assert (after[10][20]["fulfilled"], after[10][20]["share_fulfilled"]) == (1, 1 / 3)
        assert after[20][10]["share_fulfilled"] == 1.0

    def test_leaves_out_commitments_without_counterpart_or_outside_the_window(self) -> None:
        rows = [
            commitment(1, 10, None, "2020-06-01"),
            commitment(2, 10, 10, "2020-06-01"),
            commitment(3, 10, 30, "2021-01-01"),
            commitment(4, 10, 20, "2020-01-01"),
        ]

        graph = commitment_graph(rows, Window.period(day("2020-03-01"), day("2020-12-31")))

        assert graph.number_of_edges() == 0


class TestTrustLayer:
    def test_weighs_by_severity_and_signs_by_valence(self) -> None:
        rows = [
            trust(1, 10, 20, "2020-05-01", Valence.POSITIVE, 3),
            trust(2, 10, 20, "2020-06-01", Valence.NEGATIVE, 1),
            trust(3, 20, 10, "2020-06-01", Valence.NEGATIVE, 2),
            trust(4, 30, 10, "2020-06-01", Valence.NEGATIVE, 2),
            trust(5, 30, 10, "2020-07-01", Valence.POSITIVE, 2),
        ]

        graph = trust_graph(rows, Window.everything())

        assert {
            (u, v): (d["weight"], d["signed_weight"], d["valence"], d["positive"], d["negative"])
            for u, v, d in graph.edges(data=True)
        } == {
            (10, 20): (4, 2, "positive", 1, 1),
            (20, 10): (2, -2, "negative", 0, 1),
            (30, 10): (4, 0, "mixed", 1, 1),
        }

    def test_leaves_out_events_aimed_at_the_whole_forum_and_outside_the_window(self) -> None:
        rows = [
            trust(1, 10, None, "2020-05-01", Valence.POSITIVE, 3),
            trust(2, 10, 20, "2021-05-01", Valence.POSITIVE, 3),
        ]

        assert trust_graph(rows, Window.as_of(day("2020-12-31"))).number_of_edges() == 0


class TestBuildNetwork:
    def case(self) -> CaseData:
        return make_case(
            stakeholders={
                1: stakeholder(1, Sector.GOVERNMENT, "Dinas Sosial"),
                2: stakeholder(2, Sector.CIVIL_SOCIETY, "SPRI"),
                3: stakeholder(3, Sector.COMMUNITY, "RW 05"),
                4: stakeholder(4, Sector.MEDIA, "Reporter"),
                5: stakeholder(5, Sector.ACADEMIC, "Later joiner"),
            },
            participations=[participation(4), participation(5, joined="2021-01-01")],
            meetings=[meeting(1, "2020-05-01", [1, 2, 3]), meeting(2, "2020-06-01", [1, 2])],
            relationships=[relationship(1, 2, T.REPRESENTS, 3)],
            commitments=[commitment(1, 1, 2, "2020-05-01")],
            trust_events=[trust(1, 2, 1, "2020-05-01", Valence.NEGATIVE, 2)],
        )

    def test_puts_every_layer_in_one_multigraph_keyed_by_layer(self) -> None:
        network = build_network(self.case(), ALL_LAYERS, Window.as_of(day("2020-12-31")))

        assert sorted((u, v, k) for u, v, k in network.edges(keys=True)) == [
            (1, 2, "co_attendance"),
            (1, 2, "commitments"),
            (1, 3, "co_attendance"),
            (2, 1, "co_attendance"),
            (2, 1, "trust"),
            (2, 3, "co_attendance"),
            (2, 3, "relationships:represents"),
            (3, 1, "co_attendance"),
            (3, 2, "co_attendance"),
        ]
        assert network[1][2]["co_attendance"] == {
            "layer": "co_attendance",
            "weight": 2,
            "mutual": True,
        }
        assert network[2][1]["trust"]["valence"] == "negative"

    def test_nodes_are_present_participants_and_everyone_tied_with_plain_attributes(
        self,
    ) -> None:
        network = build_network(self.case(), [Layer.TRUST], Window.as_of(day("2020-12-31")))

        assert list(network.nodes(data=True)) == [
            (1, {"name": "Dinas Sosial", "sector": "government", "kind": "organisation"}),
            (2, {"name": "SPRI", "sector": "civil_society", "kind": "organisation"}),
            (4, {"name": "Reporter", "sector": "media", "kind": "organisation"}),
        ]

    def test_a_participant_joins_the_network_when_they_join_the_collaboration(self) -> None:
        late = build_network(self.case(), [Layer.TRUST], Window.as_of(day("2021-06-30")))

        assert 5 in late

    @pytest.mark.parametrize("layers", [[], ["friends"]])
    def test_refuses_no_layer_or_an_unknown_one(self, layers: list[str]) -> None:
        with pytest.raises(ValueError, match="layer"):
            build_network(self.case(), layers, Window.everything())  # type: ignore[arg-type]


class TestRestrict:
    def network(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(
            [(1, {"sector": "government"}), (2, {"sector": "community"}), (3, {"sector": "media"})]
        )
        graph.add_edge(1, 2, key="trust", layer="trust", weight=1)
        graph.add_edge(2, 3, key="trust", layer="trust", weight=3)
        graph.add_edge(1, 3, key="commitments", layer="commitments", weight=2)
        return graph

    def test_keeps_only_the_chosen_sectors_and_their_ties(self) -> None:
        kept = restrict(self.network(), sectors=[Sector.GOVERNMENT, Sector.MEDIA])

        assert (sorted(kept), sorted(kept.edges())) == ([1, 3], [(1, 3)])

    def test_drops_lighter_ties_but_keeps_the_stakeholders(self) -> None:
        kept = restrict(self.network(), min_weight=2)

        assert (sorted(kept), sorted(kept.edges())) == ([1, 2, 3], [(1, 3), (2, 3)])

    def test_leaves_the_original_alone(self) -> None:
        network = self.network()

        restrict(network, min_weight=5)

        assert network.number_of_edges() == 3


class TestTieGraph:
    def test_sums_layers_counting_a_mutual_tie_once(self) -> None:
        case = make_case(
            meetings=[meeting(1, "2020-05-01", [1, 2]), meeting(2, "2020-05-02", [1, 2])],
            relationships=[relationship(1, 1, T.ALLIED_WITH, 2, strength=3)],
            commitments=[commitment(1, 1, 2, "2020-05-01"), commitment(2, 2, 1, "2020-05-01")],
        )

        ties = tie_graph(build_network(case))

        assert list(ties.edges(data=True)) == [
            (1, 2, {"weight": 2 + 3 + 1 + 1, "layers": "relationships co_attendance commitments"})
        ]

    def test_the_union_for_the_layout_has_the_same_nodes_and_ties(self) -> None:
        case = make_case(
            participations=[participation(9)],
            meetings=[
                meeting(1, "2020-05-01", [1, 2, 3]),
                meeting(2, "2020-06-01", [4, 5], status=MeetingStatus.CANCELLED),
                meeting(3, "2020-07-01", [6]),
            ],
            relationships=[relationship(1, 1, T.ALLIED_WITH, 7, ended="2020-01-01")],
            commitments=[commitment(1, 7, 8, "2021-05-01"), commitment(2, 8, None, "2021-05-01")],
            trust_events=[trust(1, 2, 1, "2019-05-01", Valence.NEGATIVE, 1)],
        )

        union, ties = union_ties(case), tie_graph(build_network(case))

        assert sorted(union) == sorted(ties) == [1, 2, 3, 6, 7, 8, 9]
        assert sorted(union.edges()) == sorted(ties.edges())

    def test_arc_graph_has_one_arc_per_ordered_pair(self) -> None:
        case = make_case(
            commitments=[commitment(1, 1, 2, "2020-05-01")],
            trust_events=[trust(1, 1, 2, "2020-05-01", Valence.POSITIVE, 2)],
        )

        arcs = arc_graph(build_network(case))

        assert list(arcs.edges(data="weight")) == [(1, 2, 3)]


def contents(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes and arcs with their attributes, in the graph's own order."""
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


class TestBuildingInOneStep:
    """Filters applied while building give the graph ``restrict`` gives, arc for arc."""

    WINDOWS = (
        Window.as_of(day("2021-06-30")),
        Window.period(day("2021-01-01"), day("2021-12-31")),
        Window.everything(),
    )

    @pytest.mark.parametrize("seed", [1, 2, 3])
    @pytest.mark.parametrize(
        ("sectors", "min_weight"),
        [
            (None, 0),
            (None, 2),
            (frozenset({Sector.GOVERNMENT, Sector.COMMUNITY}), 0),
            (frozenset({Sector.CIVIL_SOCIETY, Sector.MEDIA, Sector.OTHER}), 3),
        ],
    )
    def test_filters_while_building_equal_restricting_afterwards(
        self, seed: int, sectors: frozenset[Sector] | None, min_weight: float
    ) -> None:
        case = random_case(seed)
        for window in self.WINDOWS:
            built = build_network(case, ALL_LAYERS, window, sectors=sectors, min_weight=min_weight)
            restricted = restrict(
                build_network(case, ALL_LAYERS, window), sectors=sectors, min_weight=min_weight
            )

            assert contents(built) == contents(restricted)
            assert built.number_of_edges() > 0

    def test_the_rows_are_the_network_in_its_own_order(self) -> None:
        case = random_case(4)

        nodes, edges = network_rows(case, ALL_LAYERS, Window.as_of(day("2022-12-31")))
        network = build_network(case, ALL_LAYERS, Window.as_of(day("2022-12-31")))

        assert contents(network) == (nodes, edges)
        assert [edge[:3] for edge in edges] == sorted(edge[:3] for edge in edges)

    def test_each_layer_graph_holds_what_the_network_holds_of_it(self) -> None:
        case = random_case(5)
        window = Window.as_of(day("2022-06-30"))
        network = build_network(case, ALL_LAYERS, window)

        def arcs_of(layer: Layer) -> list[tuple[int, int, Any]]:
            return sorted(
                (u, v, d["weight"]) for u, v, d in network.edges(data=True) if d["layer"] == layer
            )

        declared = relationship_graph(case.relationships, window)
        shared = co_attendance_graph(case.meetings, window)
        assert arcs_of(Layer.RELATIONSHIPS) == sorted(declared.edges(data="weight"))
        assert arcs_of(Layer.CO_ATTENDANCE) == sorted(
            [(u, v, w) for u, v, w in shared.edges(data="weight")]
            + [(v, u, w) for u, v, w in shared.edges(data="weight")]
        )
        assert arcs_of(Layer.COMMITMENTS) == sorted(
            commitment_graph(case.commitments, window).edges(data="weight")
        )
        assert arcs_of(Layer.TRUST) == sorted(
            trust_graph(case.trust_events, window).edges(data="weight")
        )


class TestTiesOfRows:
    """The tie and arc graphs, written out the obvious way with networkx, match."""

    def test_tie_graph_equals_the_plain_construction(self) -> None:
        network = build_network(random_case(6), ALL_LAYERS, Window.as_of(day("2022-12-31")))
        expected = nx.Graph()
        expected.add_nodes_from(network.nodes(data=True))
        for u, v, data in network.edges(data=True):
            if u == v or (data.get("mutual") and u > v):
                continue
            if expected.has_edge(u, v):
                expected[u][v]["weight"] += data["weight"]
                expected[u][v]["names"].add(data["layer"])
            else:
                expected.add_edge(u, v, weight=data["weight"], names={data["layer"]})
        for _, _, data in expected.edges(data=True):
            names = data.pop("names")
            data["layers"] = " ".join(layer for layer in ALL_LAYERS if layer in names)

        ties = tie_graph(network)

        assert list(ties.nodes(data=True)) == list(expected.nodes(data=True))
        assert list(ties.edges(data=True)) == list(expected.edges(data=True))

    def test_arc_graph_equals_the_plain_construction(self) -> None:
        network = build_network(random_case(7), ALL_LAYERS, Window.as_of(day("2022-12-31")))
        expected = nx.DiGraph()
        expected.add_nodes_from(network.nodes(data=True))
        for u, v, weight in network.edges(data="weight"):
            if u != v:
                if expected.has_edge(u, v):
                    expected[u][v]["weight"] += weight
                else:
                    expected.add_edge(u, v, weight=weight)

        arcs = arc_graph(network)

        assert list(arcs.nodes(data=True)) == list(expected.nodes(data=True))
        assert list(arcs.edges(data=True)) == list(expected.edges(data=True))


class TestPairCounts:
    """Co-attendance counted as arrays: every pair of every group, once per group."""

    GROUPS: ClassVar[list[list[int]]] = [[1, 2, 3], [2, 3], [3, 9], [5], [2, 3, 9]]

    def test_counts_each_pair_once_per_group_in_pair_order(self) -> None:
        counts = count_pairs(self.GROUPS)

        assert counts.pairs(1) == [(1, 2, 1), (1, 3, 1), (2, 3, 3), (2, 9, 1), (3, 9, 2)]
        assert all(isinstance(value, int) for row in counts.pairs(1) for value in row)
        assert counts.pairs(2) == [(2, 3, 3), (3, 9, 2)]

    def test_keeps_only_pairs_of_kept_ids(self) -> None:
        counts = count_pairs(self.GROUPS)

        assert counts.pairs(1, kept={2, 3, 5}) == [(2, 3, 3)]
        assert counts.strengths(1, kept={2, 3, 9}) == Counter({3: 1, 1: 1, 2: 1})
        assert counts.strengths(0) == Counter({1: 3, 3: 1, 2: 1})

    def test_looks_pairs_up(self) -> None:
        counts = count_pairs(self.GROUPS)

        assert counts.shared([(3, 9), (1, 9), (9, 10), (2, 3), (9, 10_000), (0, 1)]) == [
            2,
            0,
            0,
            3,
            0,
            0,
        ]

    def test_nothing_to_count(self) -> None:
        counts = count_pairs([[4], []])

        assert (len(counts), counts.pairs(0), counts.strengths(0)) == (0, [], Counter())
        assert counts.shared([(1, 2)]) == [0]
