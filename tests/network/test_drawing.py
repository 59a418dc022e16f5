"""The SVG drawing: well-formed, escaped, readable small and useful large."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from governance.network import drawing
from governance.network.drawing import SECTOR_COLOURS, VALENCE_COLOURS, draw_svg
from governance.network.graph import build_network, tie_graph
from governance.network.layout import stable_layout
from governance.network.metrics import Engine, node_metrics
from governance.vocab import RelationshipType, Sector, Valence
from tests.network.cases import (
    commitment,
    make_case,
    meeting,
    relationship,
    stakeholder,
    trust,
)

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"


def small_network() -> nx.MultiDiGraph:
    case = make_case(
        stakeholders={
            1: stakeholder(1, Sector.GOVERNMENT, "Dinas Sosial"),
            2: stakeholder(2, Sector.CIVIL_SOCIETY, SCRIPT),
            3: stakeholder(3, Sector.COMMUNITY, "Warga \x01 RW 05 & co"),
        },
        meetings=[meeting(1, "2020-05-01", [1, 2, 3])],
        relationships=[relationship(1, 2, RelationshipType.REPRESENTS, 3)],
        commitments=[commitment(1, 1, 2, "2020-05-01")],
        trust_events=[trust(1, 2, 1, "2020-05-01", Valence.NEGATIVE, 3)],
    )
    return build_network(case)


def draw(network: nx.MultiDiGraph, engine: Engine | None = None, **options: object) -> str:
    ties = tie_graph(network)
    metrics, _ = node_metrics(ties, engine=engine)
    return draw_svg(network, stable_layout(ties), metrics, **options)  # type: ignore[arg-type]


def random_network(n: int, m: int) -> nx.MultiDiGraph:
    graph = nx.gnm_random_graph(n, m, seed=7)
    rng = random.Random(7)
    network = nx.MultiDiGraph()
    sectors = list(Sector)
    for node in graph:
        network.add_node(node, name=f"Actor {node}", sector=rng.choice(sectors).value)
    for u, v in graph.edges():
        network.add_edge(u, v, key="commitments", layer="commitments", weight=rng.randint(1, 5))
    return network


class TestDrawSvg:
    def test_is_well_formed_svg(self) -> None:
        root = ET.fromstring(draw(small_network(), title="Bansos & DTKS"))

        assert root.tag == f"{SVG}svg"
        assert root.find(f"{SVG}title").text == "Bansos & DTKS"  # type: ignore[union-attr]

    def test_escapes_names_and_drops_characters_xml_cannot_hold(self) -> None:
        svg = draw(small_network())

        root = ET.fromstring(svg)
        labels = [t.text for t in root.iter(f"{SVG}text")]
        assert SCRIPT not in svg
        assert SCRIPT in labels
        assert "Warga \ufffd RW 05 & co" in labels
        assert root.find(f".//{SVG}script") is None

    def test_every_node_and_tie_has_a_title(self) -> None:
        root = ET.fromstring(draw(small_network()))

        nodes = root.findall(f".//{SVG}g[@class='node']")
        ties = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("tie ")]
        assert len(nodes) == 3
        # co-attendance: 3 pairs once each; a relationship, a commitment, a trust event.
        assert len(ties) == 6
        titles = [g.find(f"{SVG}title").text for g in nodes + ties]  # type: ignore[union-attr]
        assert all(titles)
        assert f"{SCRIPT} → Dinas Sosial: trust (negative, weight 3)" in titles

    def test_colours_nodes_by_sector_and_trust_by_valence(self) -> None:
        root = ET.fromstring(draw(small_network()))

        fills = [c.get("fill") for c in root.findall(f".//{SVG}g[@class='node']/{SVG}circle")]
        trust_path = root.find(f".//{SVG}g[@class='tie trust']/{SVG}path")
        assert fills == [
            SECTOR_COLOURS[Sector.GOVERNMENT],
            SECTOR_COLOURS[Sector.CIVIL_SOCIETY],
            SECTOR_COLOURS[Sector.COMMUNITY],
        ]
        assert trust_path is not None
        assert trust_path.get("stroke") == VALENCE_COLOURS["negative"]
        assert trust_path.get("marker-end", "").startswith("url(#network-arrow-")

    def test_sizes_nodes_by_the_chosen_metric(self) -> None:
        network = small_network()
        network.add_edge(3, 4, key="trust", layer="trust", weight=1, valence="positive")
        network.nodes[4].update(name="Leaf", sector="other")

        root = ET.fromstring(draw(network, size_by="degree"))

        radii = [float(c.get("r", 0)) for c in root.iter(f"{SVG}circle")]
        # nodes 1, 2 have degree 2, node 3 degree 3, node 4 degree 1 (legend circles follow)
        assert radii[2] == max(radii[:4])
        assert radii[3] == min(radii[:4])

    def test_the_legend_names_sectors_layers_and_size(self) -> None:
        svg = draw(small_network(), size_by="eigenvector")

        legend = "".join(ET.fromstring(svg).find(f".//{SVG}g[@class='legend']").itertext())  # type: ignore[union-attr]
        for words in ("government", "civil society", "community", "declared relationship"):
            assert words in legend
        assert "attended the same meetings" in legend
        assert "trust, negative" in legend
        assert "Size: eigenvector" in legend

    def test_a_crowded_network_labels_only_the_largest_and_thins_ties(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(drawing, "TIE_LIMIT", 500)
        network = random_network(320, 1000)

        root = ET.fromstring(draw(network, Engine.IGRAPH, size_by="weighted_degree"))

        labels = root.find(f".//{SVG}g[@class='labels']")
        ties = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("tie ")]
        assert len(list(labels)) == drawing.LABELLED_WHEN_CROWDED  # type: ignore[arg-type]
        assert len(ties) == 500
        assert "Drawn: the 500 heaviest of 1,000 ties" in "".join(root.itertext())

    def test_an_empty_network_still_draws(self) -> None:
        root = ET.fromstring(draw_svg(nx.MultiDiGraph(), {}, {}))

        assert "No stakeholders to show" in "".join(root.itertext())

    def test_refuses_an_unknown_metric(self) -> None:
        with pytest.raises(ValueError, match="cannot size nodes by 'wealth'"):
            draw(small_network(), size_by="wealth")

    def test_refuses_a_node_without_a_position(self) -> None:
        network = small_network()
        metrics, _ = node_metrics(tie_graph(network))

        with pytest.raises(ValueError, match="no position"):
            draw_svg(network, {1: (0.0, 0.0)}, metrics)
