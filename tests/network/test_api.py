"""The network through the JSON API: shapes, filters, files and errors."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from typing import ClassVar

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance.base import utcnow
from governance.demo.loader import load_demo
from governance.models import Attendance
from governance.network import metrics, service
from tests.factories import make_collaboration, make_forum, make_meeting, make_stakeholder

BASE = "/api/v1/collaborations"
CONTACTS = ("dinsos.demo@example.org", "hendra.kusuma@example.org", "sekretariat.spri")


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


@pytest.fixture
def case_id(session: Session) -> int:
    collaboration_id = load_demo(session).collaboration_id
    assert collaboration_id is not None
    return collaboration_id


class TestNetwork:
    def test_answers_nodes_links_and_figures(self, client: TestClient, case_id: int) -> None:
        response = client.get(f"{BASE}/{case_id}/network", params={"as_of": "2022-06-30"})

        assert response.status_code == 200
        body = response.json()
        assert (body["as_of"], body["start"], body["end"]) == ("2022-06-30", None, "2022-06-30")
        assert body["layers"] == ["relationships", "co_attendance", "commitments", "trust"]
        assert body["engine"] == "networkx"
        assert len(body["nodes"]) == 17
        node = next(n for n in body["nodes"] if n["name"] == "SPRI DKI Jakarta")
        assert (node["sector"], node["kind"]) == ("civil_society", "organisation")
        assert set(node["metrics"]) == {
            "degree",
            "weighted_degree",
            "betweenness",
            "closeness",
            "eigenvector",
            "community",
            "constraint",
            "effective_size",
        }
        assert 0 <= node["x"] <= 1
        assert 0 <= node["y"] <= 1
        assert {link["layer"] for link in body["links"]} == {
            "relationships",
            "co_attendance",
            "commitments",
            "trust",
        }
        assert set(body["figures"]) >= {"density", "centralisation", "reciprocity", "components"}
        assert body["figures"]["nodes"] == 17

    def test_links_carry_their_layer_details(self, client: TestClient, case_id: int) -> None:
        body = client.get(
            f"{BASE}/{case_id}/network",
            params={"as_of": "2022-06-30", "layers": "trust,relationships"},
        ).json()

        names = {n["id"]: n["name"] for n in body["nodes"]}
        links = {(names[k["source"]], names[k["target"]], k["layer"]): k for k in body["links"]}
        # The coalition's press criticism (severity 2) outweighs its later praise (1) …
        criticism = links["Koalisi Pemantau Bansos", "Dinas Sosial DKI Jakarta", "trust"]
        assert (criticism["valence"], criticism["signed_weight"], criticism["weight"]) == (
            "negative",
            -1,
            3.0,
        )
        assert criticism["directed"] is True
        # … while Dinas Sosial's recognition and kept promises run the other way.
        recognition = links["Dinas Sosial DKI Jakarta", "Koalisi Pemantau Bansos", "trust"]
        assert (recognition["valence"], recognition["signed_weight"]) == ("positive", 8)
        alliance = links["Hendra Kusuma", "SPRI DKI Jakarta", "relationships"]
        assert (alliance["type"], alliance["directed"], alliance["weight"]) == (
            "allied_with",
            False,
            2.0,
        )
        assert ("SPRI DKI Jakarta", "Hendra Kusuma", "relationships") not in links

    def test_co_attendance_only(self, client: TestClient, case_id: int) -> None:
        body = client.get(
            f"{BASE}/{case_id}/network", params={"as_of": "2020-05-31", "layers": "co_attendance"}
        ).json()

        # k1 and f1 only: the two meetings held by then.
        assert {link["layer"] for link in body["links"]} == {"co_attendance"}
        assert all(not link["directed"] for link in body["links"])
        weights = {(link["source"], link["target"]): link["weight"] for link in body["links"]}
        assert max(weights.values()) == 2.0

    def test_a_period_and_filters(self, client: TestClient, case_id: int) -> None:
        body = client.get(
            f"{BASE}/{case_id}/network",
            params={
                "start": "2021-01-01",
                "end": "2021-06-30",
                "layers": "co_attendance",
                "sectors": "government,community",
                "min_weight": 2,
            },
        ).json()

        assert (body["as_of"], body["start"], body["end"]) == (None, "2021-01-01", "2021-06-30")
        assert {n["sector"] for n in body["nodes"]} <= {"government", "community"}
        assert all(link["weight"] >= 2 for link in body["links"])
        assert body["links"]

    def test_series(self, client: TestClient, case_id: int) -> None:
        response = client.get(
            f"{BASE}/{case_id}/network/series",
            params={"layers": "co_attendance", "start": "2021-01-01", "end": "2021-12-31"},
        )

        assert response.status_code == 200
        quarters = response.json()["quarters"]
        assert [q["quarter"] for q in quarters] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
        assert (quarters[0]["start"], quarters[0]["end"]) == ("2021-01-01", "2021-03-31")
        assert quarters[3]["figures"]["ties"] == 36


class TestErrors:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"layers": "co_attendance,friendship"}, "layers"),
            ({"layers": ","}, "layers"),
            ({"as_of": "2021-02-30"}, "as_of"),
            ({"as_of": "yesterday"}, "as_of"),
            ({"start": "2021-01-01"}, "end"),
            ({"end": "2021-01-01"}, "start"),
            ({"start": "2021-02-01", "end": "2021-01-01"}, "end"),
            ({"as_of": "2021-01-01", "start": "2020-01-01", "end": "2020-12-31"}, "as_of"),
            ({"sectors": "government,church"}, "sectors"),
            ({"min_weight": -1}, "min_weight"),
            ({"min_weight": "heavy"}, "min_weight"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, client: TestClient, params: dict[str, str | int], field: str
    ) -> None:
        # The query is checked before the collaboration is looked up.
        response = client.get(f"{BASE}/1/network", params=params)

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]

    @pytest.mark.parametrize(
        "suffix",
        [
            "network",
            "network/series",
            "network.graphml",
            "network.gexf",
            "network.json",
            "network.kumu.json",
            "network.csv",
            "network.svg",
        ],
    )
    def test_unknown_collaboration_is_404(self, client: TestClient, suffix: str) -> None:
        response = client.get(f"{BASE}/2147483647/{suffix}")

        assert response.status_code == 404
        assert response.json()["detail"] == "Collaboration 2147483647 not found"

    def test_deleted_collaboration_is_404(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session)
        collaboration.deleted_at = utcnow()
        session.flush()

        assert client.get(f"{BASE}/{collaboration.id}/network").status_code == 404

    def test_series_refuses_ending_before_it_starts(
        self, client: TestClient, session: Session
    ) -> None:
        case_id = make_collaboration(session).id
        response = client.get(
            f"{BASE}/{case_id}/network/series",
            params={"start": "2021-01-01", "as_of": "2020-01-01"},
        )

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["as_of"]

    def test_svg_refuses_an_unknown_size_metric(self, client: TestClient) -> None:
        response = client.get(f"{BASE}/1/network.svg", params={"size_by": "wealth"})

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["size_by"]


class TestFiles:
    PARAMS: ClassVar[dict[str, str]] = {"as_of": "2022-06-30"}

    def get(self, client: TestClient, case_id: int, suffix: str, **params: str) -> bytes:
        response = client.get(f"{BASE}/{case_id}/{suffix}", params=self.PARAMS | params)
        assert response.status_code == 200, response.text
        for contact in CONTACTS:  # researcher exports carry no personal data
            assert contact.encode() not in response.content
        return response.content

    def test_graphml(self, client: TestClient, case_id: int) -> None:
        response = client.get(f"{BASE}/{case_id}/network.graphml", params=self.PARAMS)

        assert response.headers["content-type"] == "application/graphml+xml"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="collaboration-{case_id}-network.graphml"'
        )
        graph = nx.read_graphml(io.BytesIO(self.get(client, case_id, "network.graphml")))
        assert graph.number_of_nodes() == 17
        assert {d["layer"] for *_, d in graph.edges(data=True)} == {
            "relationships",
            "co_attendance",
            "commitments",
            "trust",
        }

    def test_gexf(self, client: TestClient, case_id: int) -> None:
        graph = nx.read_gexf(io.BytesIO(self.get(client, case_id, "network.gexf")))

        assert "SPRI DKI Jakarta" in {d["label"] for _, d in graph.nodes(data=True)}

    def test_node_link_json(self, client: TestClient, case_id: int) -> None:
        response = client.get(f"{BASE}/{case_id}/network.json", params=self.PARAMS)

        graph = nx.node_link_graph(response.json(), edges="links")
        assert graph.number_of_nodes() == 17
        assert graph.graph["collaboration"] == "Perbaikan Bansos DKI Jakarta (2020–2022)"

    def test_kumu(self, client: TestClient, case_id: int) -> None:
        self.get(client, case_id, "network.kumu.json")
        blueprint = client.get(f"{BASE}/{case_id}/network.kumu.json", params=self.PARAMS).json()

        assert len(blueprint["elements"]) == 17
        assert {"from", "to", "type", "strength", "direction"} <= set(blueprint["connections"][0])

    def test_csv_zip_and_single_tables(self, client: TestClient, case_id: int) -> None:
        archive = zipfile.ZipFile(io.BytesIO(self.get(client, case_id, "network.csv")))
        nodes = self.get(client, case_id, "network.csv", table="nodes").decode()
        edges = self.get(client, case_id, "network.csv", table="edges").decode()

        stem = f"collaboration-{case_id}-network"
        assert sorted(archive.namelist()) == [f"{stem}-edges.csv", f"{stem}-nodes.csv"]
        assert archive.read(f"{stem}-nodes.csv").decode() == nodes
        assert len(list(csv.DictReader(io.StringIO(nodes)))) == 17
        assert next(csv.reader(io.StringIO(edges)))[:4] == ["source", "target", "layer", "weight"]

    def test_svg_escapes_names(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session)
        forum = make_forum(session, collaboration)
        held = make_meeting(session, forum)
        named = make_stakeholder(session, name="<script>alert(1)</script>")
        other = make_stakeholder(session, name="Dinas Sosial")
        session.add_all(
            [
                Attendance(meeting_id=held.id, stakeholder_id=named.id, attended=True),
                Attendance(meeting_id=held.id, stakeholder_id=other.id, attended=True),
            ]
        )
        session.flush()

        response = client.get(f"{BASE}/{collaboration.id}/network.svg")

        assert response.status_code == 200
        assert "<script>" not in response.text
        root = ET.fromstring(response.content)
        labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "<script>alert(1)</script>" in labels

    def test_svg(self, client: TestClient, case_id: int) -> None:
        response = client.get(
            f"{BASE}/{case_id}/network.svg", params=self.PARAMS | {"size_by": "eigenvector"}
        )

        assert response.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(self.get(client, case_id, "network.svg", size_by="eigenvector"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")) == 17
        assert "Size: eigenvector" in "".join(root.itertext())


ESTIMATED = {"en": "Betweenness is estimated", "id": "Keperantaraan (betweenness) diperkirakan"}


class TestEstimatedBetweenness:
    @pytest.fixture
    def estimated(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The demo's network measured as a large one: through igraph, betweenness from 5
        of its stakeholders with ties."""
        monkeypatch.setattr(metrics, "IGRAPH_THRESHOLD", 0)
        monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 5)
        monkeypatch.setattr(metrics, "BETWEENNESS_SOURCES", 5)

    @pytest.mark.usefixtures("estimated")
    def test_the_api_says_how_many_sources_the_estimate_is_from(
        self, client: TestClient, case_id: int
    ) -> None:
        body = client.get(f"{BASE}/{case_id}/network", params={"as_of": "2022-06-30"}).json()

        assert (body["engine"], body["betweenness_sources"]) == ("igraph", 5)

    def test_exact_betweenness_says_none(self, client: TestClient, case_id: int) -> None:
        body = client.get(f"{BASE}/{case_id}/network", params={"as_of": "2022-06-30"}).json()

        assert body["betweenness_sources"] is None

    @pytest.mark.usefixtures("estimated")
    @pytest.mark.parametrize("language", ["en", "id"])
    def test_the_pages_say_betweenness_is_estimated(
        self, client: TestClient, case_id: int, language: str
    ) -> None:
        params = {"as_of": "2022-06-30", "lang": language}
        page = client.get(f"/collaborations/{case_id}/network", params=params)

        assert 'data-betweenness-sources="5"' in page.text
        assert ESTIMATED[language] in page.text

    def test_an_exact_page_says_nothing(self, client: TestClient, case_id: int) -> None:
        page = client.get(f"/collaborations/{case_id}/network", params={"as_of": "2022-06-30"})

        assert "data-betweenness-sources" not in page.text
