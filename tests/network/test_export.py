"""Exports parse back with the readers researchers use, and carry nothing personal."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
import pytest

from governance.network import export
from governance.network.graph import build_network, tie_graph
from governance.network.metrics import node_metrics
from governance.vocab import RelationshipType, Sector, Valence
from tests.network.cases import (
    commitment,
    make_case,
    meeting,
    relationship,
    stakeholder,
    trust,
)


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    case = make_case(
        stakeholders={
            1: stakeholder(1, Sector.GOVERNMENT, "Dinas Sosial"),
            2: stakeholder(2, Sector.CIVIL_SOCIETY, "SPRI <DKI> & \x02 co"),
            3: stakeholder(3, Sector.COMMUNITY, "=HYPERLINK(1)"),
            4: stakeholder(4, Sector.MEDIA, "Isolated reporter"),
        },
        meetings=[meeting(1, "2020-05-01", [1, 2, 3]), meeting(2, "2020-05-02", [1, 2, 4])],
        relationships=[relationship(1, 2, RelationshipType.ALLIED_WITH, 3, strength=3)],
        commitments=[commitment(1, 1, 2, "2020-05-01")],
        trust_events=[trust(1, 2, 1, "2020-05-01", Valence.NEGATIVE, 3)],
    )
    network = build_network(case)
    network.remove_edges_from([(1, 4, "co_attendance"), (4, 1, "co_attendance")])
    network.remove_edges_from([(2, 4, "co_attendance"), (4, 2, "co_attendance")])
    network.nodes[1]["email"] = "dinsos@example.org"  # never exported
    metrics, _ = node_metrics(tie_graph(network))
    return export.export_graph(network, metrics, {"collaboration": "Bansos"})


def edge_set(graph: nx.MultiDiGraph) -> set[tuple[int, int, str, float]]:
    return {(int(u), int(v), d["layer"], float(d["weight"])) for u, v, d in graph.edges(data=True)}


class TestExportGraph:
    def test_keeps_listed_attributes_only(self, graph: nx.MultiDiGraph) -> None:
        assert "email" not in graph.nodes[1]
        assert graph.nodes[1]["label"] == "Dinas Sosial"
        assert graph.nodes[2]["name"] == "SPRI <DKI> & \ufffd co"

    def test_carries_metrics_but_not_undefined_ones(self, graph: nx.MultiDiGraph) -> None:
        assert graph.nodes[1]["degree"] == 2
        assert {"constraint", "eigenvector", "effective_size"}.isdisjoint(graph.nodes[4])

    def test_edge_ids_are_unique(self, graph: nx.MultiDiGraph) -> None:
        keys = [k for _, _, k in graph.edges(keys=True)]
        assert len(keys) == len(set(keys)) == 10


class TestFileFormats:
    def test_graphml_parses_back(self, graph: nx.MultiDiGraph) -> None:
        back = nx.read_graphml(io.BytesIO(export.to_graphml(graph)), node_type=int)

        assert sorted(back) == [1, 2, 3, 4]
        assert edge_set(back) == edge_set(graph)
        assert back.nodes[2]["name"] == "SPRI <DKI> & \ufffd co"
        assert back.nodes[1]["betweenness"] == pytest.approx(graph.nodes[1]["betweenness"])
        assert back.graph["collaboration"] == "Bansos"

    def test_gexf_parses_back(self, graph: nx.MultiDiGraph) -> None:
        back = nx.read_gexf(io.BytesIO(export.to_gexf(graph)), node_type=int)

        assert sorted(back) == [1, 2, 3, 4]
        assert edge_set(back) == edge_set(graph)
        assert back.nodes[3]["label"] == "=HYPERLINK(1)"
        assert back.nodes[3]["sector"] == "community"

    def test_node_link_json_parses_back(self, graph: nx.MultiDiGraph) -> None:
        data = json.loads(json.dumps(export.to_node_link(graph)))

        back = nx.node_link_graph(data, edges="links")

        assert (back.is_directed(), back.is_multigraph()) == (True, True)
        assert edge_set(back) == edge_set(graph)
        assert back.nodes[4]["name"] == "Isolated reporter"

    def test_csv_tables(self, graph: nx.MultiDiGraph) -> None:
        tables = export.csv_tables(graph)

        nodes = list(csv.DictReader(io.StringIO(tables["nodes"])))
        edges = list(csv.DictReader(io.StringIO(tables["edges"])))
        assert [row["id"] for row in nodes] == ["1", "2", "3", "4"]
        assert list(nodes[0]) == list(export.NODE_COLUMNS)
        assert nodes[2]["name"] == "'=HYPERLINK(1)"  # not run as a formula
        assert nodes[3]["constraint"] == ""
        assert len(edges) == 10
        trust_row = next(row for row in edges if row["layer"] == "trust")
        assert (trust_row["source"], trust_row["target"], trust_row["signed_weight"]) == (
            "2",
            "1",
            "-3",
        )

    def test_csv_zip_holds_both_tables(self, graph: nx.MultiDiGraph) -> None:
        archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(graph, "case-1")))

        assert sorted(archive.namelist()) == ["case-1-edges.csv", "case-1-nodes.csv"]
        assert archive.read("case-1-nodes.csv").decode() == export.csv_tables(graph)["nodes"]

    def test_kumu_blueprint(self, graph: nx.MultiDiGraph) -> None:
        blueprint = json.loads(json.dumps(export.to_kumu(graph)))

        elements = {e["id"]: e for e in blueprint["elements"]}
        assert elements["s1"]["label"] == "Dinas Sosial"
        assert elements["s1"]["type"] == "government"
        connections = blueprint["connections"]
        # Mutual ties once: three co-attendance pairs and the alliance.
        assert sorted((c["from"], c["to"], c["type"], c["direction"]) for c in connections) == [
            ("s1", "s2", "co_attendance", "mutual"),
            ("s1", "s2", "commitments", "directed"),
            ("s1", "s3", "co_attendance", "mutual"),
            ("s2", "s1", "trust", "directed"),
            ("s2", "s3", "co_attendance", "mutual"),
            ("s2", "s3", "relationships", "mutual"),
        ]
        alliance = next(c for c in connections if c["type"] == "relationships")
        assert (alliance["strength"], alliance["label"], alliance["relationship"]) == (
            3,
            "allied with",
            "allied_with",
        )
        assert {c["id"] for c in connections} == {f"c{i}" for i in range(6)}
