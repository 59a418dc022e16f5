"""The backbone of a large network: above MAX_TIES ties only the strongest are kept, said so
on the page and in the API; below it nothing changes; a higher minimum weight asked for wins."""

from __future__ import annotations

import dataclasses
import html
import random
import re
from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance.cases.snapshot import CaseData
from governance.demo.loader import load_demo
from governance.network import service
from governance.network.graph import (
    ALL_LAYERS,
    Backbone,
    CoAttendanceMemo,
    Layer,
    Window,
    backbone_network,
    backbone_threshold,
    build_network,
    tie_graph,
    union_ties,
)
from governance.network.service import NetworkRequest
from governance.vocab import Sector, Valence
from tests.network.cases import day, make_case, meeting, random_case, stakeholder, trust
from tests.pages.html import text_of

AS_OF = "2022-06-30"
WINDOW = Window.as_of(day(AS_OF))


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def strengths(network: nx.MultiDiGraph) -> dict[tuple[int, int], float]:
    """Each tie's heaviest arc, by pair (smaller id first), counted straight from the graph."""
    found: dict[tuple[int, int], float] = {}
    for source, target, weight in network.edges(data="weight"):
        pair = (min(source, target), max(source, target))
        found[pair] = max(found.get(pair, weight), weight)
    return found


def edges(network: nx.MultiDiGraph) -> list[tuple[int, int, str, dict[str, object]]]:
    return sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))


def crowded_case(seed: int = 3, actors: int = 30) -> CaseData:
    """Meetings of many sizes, so co-attendance ties weigh 1 to a dozen, plus trust arcs."""
    rng = random.Random(seed)
    return make_case(
        meetings=[
            meeting(
                index,
                f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.sample(range(1, actors + 1), rng.randint(2, 9)),
            )
            for index in range(1, 60)
        ],
        trust_events=[
            trust(
                index,
                rng.randint(1, actors),
                rng.randint(1, actors),
                "2021-05-05",
                Valence.POSITIVE,
                3,
            )
            for index in range(1, 20)
        ],
    )


class TestThreshold:
    def test_keeps_at_most_max_ties_with_the_smallest_threshold(self) -> None:
        weights = [9, 7, 7, 7, 5, 5, 2, 1, 1]

        for max_ties in range(len(weights)):
            threshold = backbone_threshold(weights, max_ties)
            kept = sum(w >= threshold for w in weights)
            assert kept <= max_ties
            # Any lower strength would keep too many.
            for lower in {w for w in weights if w < threshold}:
                assert sum(w >= lower for w in weights) > max_ties

    def test_ties_at_the_threshold_push_it_up(self) -> None:
        # Four ties allowed, but the three of weight 7 would make five: keep the two above.
        assert backbone_threshold([9, 8, 7, 7, 7, 1], 4) == 8
        assert backbone_threshold([9, 8, 7, 7, 7, 1], 5) == 7

    def test_all_equal_leaves_no_tie(self) -> None:
        assert backbone_threshold([2, 2, 2], 2) == 3

    def test_below_the_limit_the_minimum_asked_for_stays(self) -> None:
        assert backbone_threshold([3, 2], 2, min_weight=1.5) == 1.5


class TestBackboneNetwork:
    def test_keeps_the_strongest_ties_and_counts_all(self) -> None:
        case = crowded_case()
        full = build_network(case, ALL_LAYERS, WINDOW)
        total = tie_graph(full).number_of_edges()
        assert total > 100  # enough ties for a backbone to mean something

        network, backbone = backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40)

        ties = tie_graph(network)
        assert backbone.applied
        assert backbone.ties_total == total
        assert 0 < ties.number_of_edges() <= 40
        assert min(w for _, _, w in network.edges(data="weight")) >= backbone.min_weight
        # Every stakeholder stays; those left without ties are isolates.
        assert sorted(network) == sorted(full)
        # The same as asking for the threshold, and the smallest threshold that fits.
        assert edges(network) == edges(
            build_network(case, ALL_LAYERS, WINDOW, min_weight=backbone.min_weight)
        )
        weaker = max(w for w in strengths(full).values() if w < backbone.min_weight)
        lower = build_network(case, ALL_LAYERS, WINDOW, min_weight=weaker)
        assert tie_graph(lower).number_of_edges() > 40

    def test_below_the_limit_is_the_network_unchanged(self) -> None:
        case = random_case(5)
        full = build_network(case, ALL_LAYERS, WINDOW, min_weight=2)
        total = tie_graph(full).number_of_edges()

        network, backbone = backbone_network(case, ALL_LAYERS, WINDOW, min_weight=2, max_ties=total)

        assert backbone == Backbone(2, total, applied=False)
        assert edges(network) == edges(full)
        assert list(network.nodes(data=True)) == list(full.nodes(data=True))

    def test_a_higher_minimum_weight_asked_for_wins(self) -> None:
        case = crowded_case()
        _, automatic = backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40)
        higher = automatic.min_weight + 2

        network, backbone = backbone_network(
            case, ALL_LAYERS, WINDOW, min_weight=higher, max_ties=40
        )

        assert not backbone.applied
        assert backbone.min_weight == higher
        assert edges(network) == edges(build_network(case, ALL_LAYERS, WINDOW, min_weight=higher))
        assert backbone.ties_total == tie_graph(network).number_of_edges()

    def test_a_lower_minimum_weight_asked_for_is_raised(self) -> None:
        case = crowded_case()
        _, automatic = backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40)

        _, backbone = backbone_network(case, ALL_LAYERS, WINDOW, min_weight=2, max_ties=40)

        assert backbone.applied
        assert backbone.min_weight == automatic.min_weight
        full = build_network(case, ALL_LAYERS, WINDOW, min_weight=2)
        assert backbone.ties_total == tie_graph(full).number_of_edges()

    def test_counts_ties_among_the_chosen_sectors_and_layers(self) -> None:
        case = random_case(9, actors=60)
        layers = [Layer.CO_ATTENDANCE, Layer.TRUST]
        sectors = {case.stakeholders[1].sector, case.stakeholders[2].sector}
        full = build_network(case, layers, WINDOW, sectors=sectors)
        total = tie_graph(full).number_of_edges()

        network, backbone = backbone_network(
            case, layers, WINDOW, sectors=sectors, max_ties=total - 1
        )

        assert backbone.ties_total == total
        assert tie_graph(network).number_of_edges() <= total - 1
        assert edges(network) == edges(
            build_network(case, layers, WINDOW, sectors=sectors, min_weight=backbone.min_weight)
        )


def mixed_case(seed: int) -> CaseData:
    """:func:`crowded_case`'s meetings with every other kind of tie, across the sectors."""
    others = random_case(seed, actors=40)
    sectors = list(Sector)
    return dataclasses.replace(
        crowded_case(seed, actors=40),
        stakeholders={i: stakeholder(i, sectors[i % len(sectors)]) for i in range(1, 41)},
        relationships=others.relationships,
        commitments=others.commitments,
        trust_events=others.trust_events,
    )


class TestTiesCountedByStrength:
    """The backbone counts the ties by strength instead of listing each tie's strength (a
    million pairs at scale): the same totals and thresholds as the list."""

    @pytest.mark.parametrize("seed", [3, 8])
    @pytest.mark.parametrize(
        ("layers", "sectors", "min_weight"),
        [
            (ALL_LAYERS, None, 0),
            (ALL_LAYERS, None, 2),
            (ALL_LAYERS, frozenset({Sector.GOVERNMENT, Sector.COMMUNITY}), 0),
            (
                (Layer.CO_ATTENDANCE, Layer.TRUST),
                frozenset({Sector.CIVIL_SOCIETY, Sector.COMMUNITY, Sector.GOVERNMENT}),
                2,
            ),
            ((Layer.RELATIONSHIPS,), None, 1.5),
        ],
    )
    def test_the_count_and_the_threshold_are_those_of_every_ties_strength(
        self,
        seed: int,
        layers: tuple[Layer, ...],
        sectors: frozenset[Sector] | None,
        min_weight: float,
    ) -> None:
        case = mixed_case(seed)
        full = build_network(case, layers, WINDOW, sectors=sectors, min_weight=min_weight)
        weights = list(strengths(full).values())
        assert len(weights) > 10

        for max_ties in (0, 1, len(weights) // 3, len(weights) - 1, len(weights)):
            _, backbone = backbone_network(
                case, layers, WINDOW, sectors=sectors, min_weight=min_weight, max_ties=max_ties
            )

            assert backbone.ties_total == len(weights)
            assert backbone.min_weight == backbone_threshold(weights, max_ties, min_weight)


class TestCountingCoAttendanceOnce:
    def test_the_union_and_a_request_share_the_count_and_lose_nothing(self) -> None:
        case = crowded_case()
        memo: CoAttendanceMemo = {}

        union = union_ties(case, max_ties=40, memo=memo)
        network, backbone = backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40, memo=memo)

        assert len(memo) == 1  # every meeting is held before the window ends: one count
        assert list(union.edges) == list(union_ties(case, max_ties=40).edges)
        alone, alone_backbone = backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40)
        assert edges(network) == edges(alone)
        assert backbone == alone_backbone

    def test_other_meetings_are_counted_apart(self) -> None:
        case = crowded_case()
        memo: CoAttendanceMemo = {}
        early = Window.as_of(day("2021-06-30"))

        backbone_network(case, ALL_LAYERS, WINDOW, max_ties=40, memo=memo)
        network, _ = backbone_network(case, ALL_LAYERS, early, max_ties=40, memo=memo)

        assert len(memo) == 2
        assert edges(network) == edges(backbone_network(case, ALL_LAYERS, early, max_ties=40)[0])


class TestUnionLayout:
    def test_a_large_union_is_laid_out_on_its_backbone(self) -> None:
        case = crowded_case()
        union = union_ties(case)
        weights = strengths(build_network(case))

        backbone = union_ties(case, max_ties=40)

        threshold = backbone_threshold(list(weights.values()), 40)
        assert sorted(backbone) == sorted(union)
        assert sorted(backbone.edges()) == sorted(p for p, w in weights.items() if w >= threshold)
        assert 0 < backbone.number_of_edges() <= 40

    def test_a_small_union_is_unchanged(self) -> None:
        case = random_case(4)
        union = union_ties(case)

        same = union_ties(case, max_ties=union.number_of_edges())

        assert list(same.nodes) == list(union.nodes)
        assert list(same.edges) == list(union.edges)


@pytest.fixture
def case_id(session: Session) -> int:
    collaboration_id = load_demo(session).collaboration_id
    assert collaboration_id is not None
    return collaboration_id


def demo_ties(session: Session, case_id: int) -> int:
    """How many ties the demo's network has as of :data:`AS_OF`, with every layer."""
    result = service.network(
        session, collaboration_id=case_id, request=NetworkRequest(window=WINDOW)
    )
    service.clear_cache()
    return int(result.figures.ties)


class TestService:
    def test_above_the_limit_the_result_is_the_backbone(
        self, session: Session, case_id: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        total = demo_ties(session, case_id)
        monkeypatch.setattr(service, "MAX_TIES", total // 2)

        result = service.network(
            session, collaboration_id=case_id, request=NetworkRequest(window=WINDOW)
        )

        assert result.backbone.applied
        assert result.backbone.ties_total == total
        assert result.figures.ties <= total // 2
        assert all(w >= result.backbone.min_weight for _, _, w in result.ties.edges(data="weight"))
        asked = service.network(
            session,
            collaboration_id=case_id,
            request=NetworkRequest(window=WINDOW, min_weight=result.backbone.min_weight),
        )
        assert not asked.backbone.applied
        assert asked.metrics == result.metrics
        assert asked.figures == result.figures

    def test_below_the_limit_nothing_changes(
        self, session: Session, case_id: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        total = demo_ties(session, case_id)
        before = service.network(
            session, collaboration_id=case_id, request=NetworkRequest(window=WINDOW)
        )
        svg = service.drawing(before)
        service.clear_cache()
        monkeypatch.setattr(service, "MAX_TIES", total)

        after = service.network(
            session, collaboration_id=case_id, request=NetworkRequest(window=WINDOW)
        )

        assert after.backbone == Backbone(0, total, applied=False)
        assert after.metrics == before.metrics
        assert after.positions == before.positions
        assert service.drawing(after) == svg


class TestApiAndPage:
    def test_the_api_gives_the_threshold_and_the_full_count(
        self, client: TestClient, session: Session, case_id: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        total = demo_ties(session, case_id)
        monkeypatch.setattr(service, "MAX_TIES", total // 2)

        body = client.get(
            f"/api/v1/collaborations/{case_id}/network", params={"as_of": AS_OF}
        ).json()

        assert body["ties_total"] == total
        assert body["min_weight_applied"] > 0
        assert body["figures"]["ties"] <= total // 2
        assert min(link["weight"] for link in body["links"]) >= body["min_weight_applied"]

    def test_the_api_below_the_limit(
        self, client: TestClient, session: Session, case_id: int
    ) -> None:
        body = client.get(
            f"/api/v1/collaborations/{case_id}/network",
            params={"as_of": AS_OF, "min_weight": "2"},
        ).json()

        assert body["min_weight_applied"] == 2
        assert body["ties_total"] == body["figures"]["ties"]

    @pytest.mark.parametrize(
        ("language", "said"),
        [
            ("en", "This network has {total} ties; it shows the {shown} strongest (weight ≥ {w})."),
            ("id", "Jaringan ini memiliki {total} hubungan; yang ditampilkan {shown} hubungan"),
        ],
    )
    def test_the_page_says_only_the_strongest_are_shown(
        self,
        client: TestClient,
        session: Session,
        case_id: int,
        monkeypatch: pytest.MonkeyPatch,
        language: str,
        said: str,
    ) -> None:
        total = demo_ties(session, case_id)
        monkeypatch.setattr(service, "MAX_TIES", total // 2)
        result = service.network(
            session, collaboration_id=case_id, request=NetworkRequest(window=WINDOW)
        )

        response = client.get(
            f"/collaborations/{case_id}/network", params={"as_of": AS_OF, "lang": language}
        )

        assert response.status_code == 200
        weight = result.backbone.min_weight
        expected = said.format(total=total, shown=result.figures.ties, w=f"{weight:g}")
        assert expected in text_of(response.text)
        if language == "en":
            assert "Choose a period, fewer layers or a higher minimum weight" in response.text

    def test_the_page_below_the_limit_says_nothing(self, client: TestClient, case_id: int) -> None:
        response = client.get(f"/collaborations/{case_id}/network", params={"as_of": AS_OF})

        assert response.status_code == 200
        assert "network-backbone" not in response.text
        assert not re.search(r"strongest \(weight", response.text)


def series_section(html: str) -> str:
    return html.split('aria-labelledby="series-title"', 1)[1].split("</section>", 1)[0]


class TestChangeOverTimeOnItsOwnRequest:
    @pytest.fixture
    def backbone(self, session: Session, case_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(service, "MAX_TIES", demo_ties(session, case_id) // 2)

    @pytest.mark.usefixtures("backbone")
    def test_a_backbone_page_links_to_it_and_the_script_puts_it_in_place(
        self, client: TestClient, case_id: int
    ) -> None:
        params = {"as_of": AS_OF, "min_weight": "1", "lang": "en"}
        page = client.get(f"/collaborations/{case_id}/network", params=params)

        section = series_section(page.text)
        assert "Density" not in section
        found = re.search(r'data-fragment="([^"]+)"', section)
        assert found is not None
        address = html.unescape(found.group(1))
        assert address.startswith(f"/collaborations/{case_id}/network/change-over-time?")
        assert "as_of=2022-06-30" in address
        assert "min_weight=1" in address
        assert f'<a href="{found.group(1)}">' in section  # the link without JavaScript
        assert "/static/network.js" in page.text

        fragment = client.get(f"{address}&fragment=1")

        assert fragment.status_code == 200
        assert "<html" not in fragment.text
        assert "Density" in fragment.text
        assert "2022-Q2" in fragment.text
        assert "2022-Q3" not in fragment.text
        again = client.get(f"/collaborations/{case_id}/network", params=params)
        assert fragment.text.strip() in series_section(again.text)
        assert "data-fragment" not in again.text  # written once: now on the page itself

    @pytest.mark.usefixtures("backbone")
    def test_without_javascript_the_link_opens_a_page_of_its_own(
        self, client: TestClient, case_id: int
    ) -> None:
        response = client.get(
            f"/collaborations/{case_id}/network/change-over-time",
            params={"as_of": AS_OF, "lang": "id"},
        )

        assert response.status_code == 200
        assert "<html" in response.text
        assert "Kepadatan" in series_section(response.text)
        assert f"/collaborations/{case_id}/network?as_of={AS_OF}" in response.text

    def test_invalid_choices_are_refused(self, client: TestClient, case_id: int) -> None:
        response = client.get(
            f"/collaborations/{case_id}/network/change-over-time",
            params={"start": "2022-06-30", "fragment": "1"},
        )

        assert response.status_code == 400
        assert "No quarters to show" in response.text

    def test_below_the_limit_the_page_shows_it_at_once(
        self, client: TestClient, case_id: int
    ) -> None:
        response = client.get(f"/collaborations/{case_id}/network", params={"as_of": AS_OF})

        assert "Density" in series_section(response.text)
        assert "data-fragment" not in response.text
        assert "/static/network.js" not in response.text
