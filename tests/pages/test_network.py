"""The network pages: the drawing, the form, the sortable metrics table, the series, the
actor–outcome panel and a stakeholder's ego network, on the demo case and on small cases."""

from __future__ import annotations

import doctest
import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from babel import numbers
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from api.pages import network as network_page
from api.pages.network import COLUMN_KEYS, TABLE_PAGE_SIZE
from governance.collaborations.models import Collaboration
from governance.demo.loader import LoadResult
from governance.models import Commitment, Outcome, Stakeholder
from governance.network import service
from governance.outcomes.models import outcome_commitments
from governance.vocab import CommitmentStatus, Sector
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_outcome,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, text_of

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
AS_OF = "2022-06-30"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def url(collaboration_id: int | None) -> str:
    return f"/collaborations/{collaboration_id}/network"


def ego_url(stakeholder_id: int) -> str:
    return f"/stakeholders/{stakeholder_id}/network"


def stakeholder_id(session: Session, name: str) -> int:
    found = session.scalar(select(Stakeholder.id).where(Stakeholder.name == name))
    assert found is not None
    return found


def table_rows(html: str) -> list[tuple[int, str]]:
    """(stakeholder id, name) of each row of the metrics table, in order."""
    body = html.split('class="table network-table"', 1)[1].split("</table>", 1)[0]
    return [
        (int(row_id), text_of(name))
        for row_id, name in re.findall(
            r'<tr data-id="(\d+)">\s*<th scope="row"[^>]*>(.*?)</th>', body, re.S
        )
    ]


def cell(html: str, row_id: int, column: str) -> str:
    """The text of one cell of the metrics table."""
    row = re.search(rf'<tr data-id="{row_id}">(.*?)</tr>', html, re.S)
    assert row is not None
    found = re.search(rf'data-column="{column}">(.*?)</td>', row.group(1), re.S)
    assert found is not None
    return text_of(found.group(1))


def drawing(html: str) -> str:
    match = re.search(r'<div class="network-drawing">(.*?)</div>', html, re.S)
    assert match is not None
    return match.group(1)


def small_case(session: Session, *, people: int = 2, name: str = "Small") -> Collaboration:
    """A case whose stakeholders are tied by commitments, one of them linked to an outcome."""
    case = make_collaboration(session, name=name)
    members = [
        make_stakeholder(session, name=f"Member {index}", sector=Sector.COMMUNITY)
        for index in range(people)
    ]
    for member in members:
        make_participation(session, case, member)
    commitments = [
        make_commitment(session, case, owner, counterpart_id=other.id)
        for owner, other in zip(members, members[1:] + members[:1], strict=True)
    ]
    outcome = make_outcome(session, case)
    session.execute(
        insert(outcome_commitments).values(outcome_id=outcome.id, commitment_id=commitments[0].id)
    )
    session.flush()
    return case


class TestNetworkPage:
    def test_shows_the_drawing_legend_figures_and_exports(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(url(demo.collaboration_id), params={"as_of": AS_OF})

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Who is tied to whom in Perbaikan Bansos DKI Jakarta" in page
        assert drawing(response.text).lstrip().startswith("<svg")
        assert "<style>" not in response.text  # the drawing's hover styles are in network.css
        assert "Sector (node colour) Government Civil society Community" in page
        assert "Commitments (dashed)" in page
        assert "Trust eroded (negative) (dotted)" in page
        assert "Density 0.930 Centralisation 0.075" in page  # the API's figures, 3 digits
        for fmt in ("graphml", "gexf", "json", "csv", "kumu.json", "svg"):
            assert f"/api/v1/collaborations/{demo.collaboration_id}/network.{fmt}?" in (
                response.text
            )
        assert (
            "layers=relationships%2Cco_attendance%2Ccommitments%2Ctrust&amp;as_of=2022-06-30"
            in response.text
        )

    def test_the_export_links_answer_with_the_same_network(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        params = {"layers": ["", "trust", "relationships"], "as_of": "2021-06-30"}
        html = client.get(url(demo.collaboration_id), params=params).text
        href = re.search(r'href="(/api/v1/[^"]*network\.json\?[^"]*)"', html)
        assert href is not None

        exported = client.get(href.group(1).replace("&amp;", "&"))
        api = client.get(
            f"/api/v1/collaborations/{demo.collaboration_id}/network",
            params={"layers": "relationships,trust", "as_of": "2021-06-30"},
        ).json()

        assert exported.status_code == 200
        assert {link["layer"] for link in exported.json()["links"]} <= {"relationships", "trust"}
        assert len(exported.json()["nodes"]) == len(api["nodes"])

    @pytest.mark.parametrize(("language", "locale"), [("en", "en"), ("id", "id")])
    def test_the_metrics_are_the_apis_formatted_for_the_language(
        self, client: TestClient, session: Session, demo: LoadResult, language: str, locale: str
    ) -> None:
        api = client.get(
            f"/api/v1/collaborations/{demo.collaboration_id}/network", params={"as_of": AS_OF}
        ).json()
        service.clear_cache()

        html = client.get(
            url(demo.collaboration_id), params={"as_of": AS_OF, "lang": language}
        ).text

        names = [name for _, name in table_rows(html)]
        for name in ("Koalisi Pemantau Bansos", "SPRI DKI Jakarta", "Hendra Kusuma"):
            assert name in names
        spri = next(node for node in api["nodes"] if node["name"] == "SPRI DKI Jakarta")
        expected = numbers.format_decimal(
            spri["metrics"]["betweenness"], format="#,##0.000", locale=locale
        )
        assert cell(html, spri["id"], "betweenness") == expected
        assert cell(html, spri["id"], "degree") == str(spri["metrics"]["degree"])

    def test_the_coalition_is_the_broker_at_the_top_by_default(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params={"as_of": AS_OF}).text

        assert table_rows(html)[0][1] == "Koalisi Pemantau Bansos"
        assert 'aria-sort="descending"><a href="' in html

    def test_speaks_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(url(demo.collaboration_id), params={"as_of": AS_OF, "lang": "id"})

        page = text_of(response.text)
        assert '<html lang="id">' in response.text
        assert "Siapa terhubung dengan siapa di Perbaikan Bansos DKI Jakarta" in page
        assert "Kepadatan 0,930" in page
        assert "Siapa memikul hasil yang mana" in page
        assert "Sektor (warna simpul) Pemerintah" in page
        assert "Who is tied" not in page

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get(url(987654)).status_code == 404


class TestSorting:
    def test_sorts_by_name_and_marks_the_column(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(
            url(demo.collaboration_id), params={"as_of": AS_OF, "sort": "name", "dir": "asc"}
        ).text

        names = [name for _, name in table_rows(html)]
        assert names == sorted(names, key=str.casefold)
        heading = re.search(r'<th scope="col" aria-sort="ascending"><a href="([^"]*)">', html)
        assert heading is not None
        assert "sort=name" in heading.group(1)
        assert "dir=desc" in heading.group(1)
        assert "as_of=2022-06-30" in heading.group(1)  # the choices are kept
        assert html.count("aria-sort=") == 1

    def test_each_heading_links_to_its_order(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(url(demo.collaboration_id), params={"as_of": AS_OF}).text
        header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
        links = re.findall(r'href="([^"]*)"', header)

        assert len(links) == 10
        closeness = next(link for link in links if "sort=closeness" in link)
        response = client.get(closeness.replace("&amp;", "&"))
        values = [
            float(cell(response.text, row_id, "closeness").replace(",", ""))
            for row_id, _ in table_rows(response.text)
        ]

        assert values == sorted(values, reverse=True)
        assert 'aria-sort="descending"><a href="' in response.text

    def test_an_unknown_column_falls_back_to_betweenness(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(url(demo.collaboration_id), params={"sort": "evil", "dir": "x"})

        assert response.status_code == 200
        assert table_rows(response.text)[0][1] == "Koalisi Pemantau Bansos"


class TestMetricsTablePages:
    """A large network's table shows TABLE_PAGE_SIZE stakeholders a page, sorted over all."""

    @pytest.fixture
    def case_id(self, session: Session) -> int:
        return small_case(session, people=TABLE_PAGE_SIZE + 12, name="Crowded").id

    def test_the_first_page_shows_a_page_and_says_how_many(
        self, client: TestClient, case_id: int
    ) -> None:
        html = client.get(url(case_id), params={"sort": "name", "dir": "asc"}).text

        names = [name for _, name in table_rows(html)]
        assert len(names) == TABLE_PAGE_SIZE
        page = text_of(html)
        assert f"Showing 1–{TABLE_PAGE_SIZE} of {TABLE_PAGE_SIZE + 12}" in page
        assert "Page 1 of 2" in page
        assert f"The table shows {TABLE_PAGE_SIZE} stakeholders a page" in page
        following = re.search(r'<a href="([^"]*)" rel="next">', html)
        assert following is not None
        link = following.group(1).replace("&amp;", "&")
        assert link.startswith("?")
        assert "page=2" in link
        assert "sort=name" in link

    def test_the_next_page_continues_the_order_over_every_stakeholder(
        self, client: TestClient, case_id: int
    ) -> None:
        first = client.get(url(case_id), params={"sort": "name", "dir": "asc"}).text
        second = client.get(url(case_id), params={"sort": "name", "dir": "asc", "page": "2"}).text

        names = [name for _, name in table_rows(first) + table_rows(second)]
        assert len(names) == TABLE_PAGE_SIZE + 12
        assert names == sorted(names, key=str.casefold)
        assert f"Showing {TABLE_PAGE_SIZE + 1}–{TABLE_PAGE_SIZE + 12}" in text_of(second)
        assert 'rel="prev"' in second
        assert 'rel="next"' not in second

    def test_the_links_keep_every_choice(self, client: TestClient, case_id: int) -> None:
        params = {"layers": ["", "commitments", "trust"], "as_of": "2030-01-01", "sort": "name"}
        html = client.get(url(case_id), params=params).text

        following = re.search(r'<a href="([^"]*)" rel="next">', html)
        assert following is not None
        response = client.get(url(case_id) + following.group(1).replace("&amp;", "&"))

        assert response.status_code == 200
        assert 'value="commitments" checked' in response.text
        assert 'value="relationships" checked' not in response.text
        assert input_value(response.text, "as_of") == "2030-01-01"
        assert "Page 2 of 2" in text_of(response.text)

    def test_a_heading_sorts_from_the_first_page(self, client: TestClient, case_id: int) -> None:
        html = client.get(url(case_id), params={"page": "2"}).text
        header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]

        links = re.findall(r'href="([^"]*)"', header)
        assert len(links) == len(COLUMN_KEYS)
        assert not any("page=" in link for link in links)

    @pytest.mark.parametrize(("asked", "shown"), [("99", 2), ("0", 1), ("two", 1), ("", 1)])
    def test_a_page_out_of_range_shows_the_nearest(
        self, client: TestClient, case_id: int, asked: str, shown: int
    ) -> None:
        response = client.get(url(case_id), params={"page": asked})

        assert response.status_code == 200
        assert f"Page {shown} of 2" in text_of(response.text)

    def test_a_small_network_has_no_pages(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(url(demo.collaboration_id), params={"as_of": AS_OF}).text

        assert 'class="pager"' not in html
        assert len(table_rows(html)) < TABLE_PAGE_SIZE

    def test_each_page_is_sorted_once(
        self, client: TestClient, case_id: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sorted_for: list[tuple[str, str]] = []
        real = network_page.sort_rows

        def counted(rows: Any, key: str, direction: str) -> Any:
            sorted_for.append((key, direction))
            return real(rows, key, direction)

        monkeypatch.setattr(network_page, "sort_rows", counted)
        for page in ("1", "2", "1"):
            client.get(url(case_id), params={"page": page})
        client.get(url(case_id), params={"sort": "name"})

        assert sorted_for == [("betweenness", "desc"), ("name", "asc")]


class TestPiecesKept:
    """The outcome panel and the change over time are written once, until the data change."""

    def test_a_new_outcome_shows_on_the_next_request(
        self, client: TestClient, session: Session
    ) -> None:
        case = small_case(session, people=3)
        before = client.get(url(case.id)).text

        make_outcome(session, case, title="Households verified")
        after = client.get(url(case.id)).text

        assert "Households verified" not in before
        assert "Households verified" in after

    def test_the_change_over_time_speaks_the_page_s_language(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        english = client.get(url(demo.collaboration_id), params={"lang": "en"}).text
        indonesian = client.get(url(demo.collaboration_id), params={"lang": "id"}).text

        def series(html: str) -> str:
            return html.split('aria-labelledby="series-title"', 1)[1].split("</section>", 1)[0]

        assert "Density" in series(english)
        assert "Kepadatan" in series(indonesian)
        assert "Density" not in series(indonesian)


class TestForm:
    def test_a_chosen_layer_and_date_narrow_the_network(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(
            url(demo.collaboration_id),
            params={"layers": ["", "relationships"], "as_of": "2021-06-30", "size_by": "degree"},
        ).text

        assert 'value="relationships" checked' in html
        assert 'value="trust" checked' not in html
        assert input_value(html, "as_of") == "2021-06-30"
        assert input_value(html, "size_by") == "degree"
        assert 'class="tie co_attendance"' not in drawing(html)
        assert 'class="tie relationships"' in drawing(html)

    def test_invalid_choices_are_named_beside_their_field_and_kept(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(
            url(demo.collaboration_id),
            params={"layers": "", "as_of": "31/12/2021", "min_weight": "-1", "sort": "name"},
        )

        assert response.status_code == 400
        html = response.text
        assert field_error(html, "layers") == "Choose at least one layer."
        assert field_error(html, "as_of") == "Enter a date (YYYY-MM-DD)."
        assert field_error(html, "min_weight") == "Enter 0 or more."
        assert input_value(html, "as_of") == "31/12/2021"
        assert input_value(html, "min_weight") == "-1"
        assert "network-drawing" not in html
        assert "Who carries which outcome" in text_of(html)

    @pytest.mark.parametrize(
        ("params", "name", "message"),
        [
            (
                {"as_of": "2021-01-01", "start": "2021-01-01", "end": "2021-03-31"},
                "as_of",
                "Give either a date or a period (start and end), not both.",
            ),
            ({"start": "2021-01-01"}, "end", "Enter the end of the period too."),
            ({"start": "2021-05-01", "end": "2021-03-31"}, "end", "Must not be before Start"),
            ({"layers": ["", "gossip"]}, "layers", "Choose layers from the list."),
            ({"sectors": "pirates"}, "sectors", "Choose sectors from the list."),
            ({"size_by": "height"}, "size_by", "Choose one of the options."),
            ({"min_weight": "many"}, "min_weight", "Enter a number."),
        ],
    )
    def test_refuses(
        self, client: TestClient, demo: LoadResult, params: dict[str, Any], name: str, message: str
    ) -> None:
        response = client.get(url(demo.collaboration_id), params=params)

        assert response.status_code == 400
        shown = field_error(response.text, name)
        assert shown is not None
        assert shown.startswith(message)

    def test_a_period_and_sectors(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(
            url(demo.collaboration_id),
            params={"start": "2021-01-01", "end": "2021-03-31", "sectors": ["government"]},
        )

        assert response.status_code == 200
        sectors = re.findall(r"<td data-label=\"Sector\">(.*?)</td>", response.text)
        assert set(sectors) == {"Government"}
        assert "2021-Q1" in text_of(response.text)


class TestOutcomePanel:
    def test_lists_the_owners_of_the_commitments_linked_to_the_dtks_outcome(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        outcome = session.scalar(
            select(Outcome).where(
                Outcome.collaboration_id == demo.collaboration_id,
                Outcome.title == "Households verified and added to DTKS",
            )
        )
        assert outcome is not None
        owners = session.execute(
            select(Stakeholder.name, Commitment.status)
            .join(Commitment, Commitment.owner_id == Stakeholder.id)
            .join(outcome_commitments, outcome_commitments.c.commitment_id == Commitment.id)
            .where(outcome_commitments.c.outcome_id == outcome.id)
        ).all()

        html = client.get(url(demo.collaboration_id)).text

        row = re.search(rf'data-outcome="{outcome.id}">(.*?)</tr>', html, re.S)
        assert row is not None
        shown = text_of(row.group(1))
        for name in {name for name, _ in owners}:
            made = sum(1 for owner, _ in owners if owner == name)
            done = sum(1 for o, s in owners if o == name and s is CommitmentStatus.FULFILLED)
            noun = "commitment" if made == 1 else "commitments"
            assert f"{name} {done} of {made} {noun} fulfilled" in shown
        assert "Dinas Sosial DKI Jakarta" in shown
        assert re.search(r"\d+%", shown)


class TestEgoNetwork:
    def test_shows_a_stakeholders_neighbours_and_its_metrics(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        spri = stakeholder_id(session, "SPRI DKI Jakarta")
        params = {"collaboration_id": demo.collaboration_id, "as_of": AS_OF, "lang": "en"}

        response = client.get(ego_url(spri), params=params)

        assert response.status_code == 200
        page = text_of(response.text)
        assert "SPRI DKI Jakarta and its direct ties" in page
        assert 'id="ego-title"' in response.text
        names = [name for _, name in table_rows(response.text)]
        assert {"SPRI DKI Jakarta", "Koalisi Pemantau Bansos"} <= set(names)
        assert "Its ties" in page
        assert "both ways" in page

    def test_the_network_table_links_to_the_ego_pages(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        spri = stakeholder_id(session, "SPRI DKI Jakarta")
        html = client.get(url(demo.collaboration_id), params={"as_of": AS_OF}).text

        assert (
            f'href="/stakeholders/{spri}/network?collaboration_id={demo.collaboration_id}' in html
        )

    def test_speaks_indonesian(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        spri = stakeholder_id(session, "SPRI DKI Jakarta")

        page = text_of(
            client.get(
                ego_url(spri), params={"collaboration_id": demo.collaboration_id, "lang": "id"}
            ).text
        )

        assert "SPRI DKI Jakarta dan hubungan langsungnya" in page

    def test_a_stakeholder_outside_the_network_is_told_so(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        outsider = make_stakeholder(session, name="Outsider")

        response = client.get(
            ego_url(outsider.id), params={"collaboration_id": demo.collaboration_id}
        )

        assert response.status_code == 200
        assert "Outsider is not in the network for these choices." in text_of(response.text)

    def test_needs_a_collaboration(self, client: TestClient, session: Session) -> None:
        stakeholder = make_stakeholder(session)

        assert client.get(ego_url(stakeholder.id)).status_code == 400
        assert (
            client.get(ego_url(stakeholder.id), params={"collaboration_id": 987654}).status_code
            == 404
        )

    def test_invalid_choices_keep_the_input(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        spri = stakeholder_id(session, "SPRI DKI Jakarta")

        response = client.get(
            ego_url(spri), params={"collaboration_id": demo.collaboration_id, "as_of": "soon"}
        )

        assert response.status_code == 400
        assert input_value(response.text, "as_of") == "soon"
        assert input_value(response.text, "collaboration_id") == str(demo.collaboration_id)


class TestQueries:
    def test_the_same_statements_whatever_the_size(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        small = small_case(session, people=2, name="Small")
        large = small_case(session, people=12, name="Large")

        # Cold each time: the network service caches per data revision.
        service.clear_cache()
        with count_queries() as few:
            assert client.get(url(small.id)).status_code == 200
        service.clear_cache()
        with count_queries() as many:
            assert client.get(url(large.id)).status_code == 200

        assert len(few.statements) == len(many.statements)
        assert len(many.statements) <= 60  # revision (twice: network, series), case, outcomes

    def test_a_warm_cache_skips_reading_the_case(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        case = small_case(session, people=3)
        with count_queries() as cold:
            client.get(url(case.id))
        with count_queries() as warm:
            client.get(url(case.id))

        assert len(warm.statements) < len(cold.statements)


class TestEscaping:
    def test_a_hostile_name_is_escaped_in_the_page_and_the_drawing(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        hostile = make_stakeholder(session, name=XSS)
        other = make_stakeholder(session, name="Dinas Sosial")
        for member in (hostile, other):
            make_participation(session, case, member)
        make_commitment(session, case, hostile, counterpart_id=other.id)

        for language in ("en", "id"):
            html = client.get(url(case.id), params={"lang": language}).text

            assert XSS not in html
            assert ESCAPED in drawing(html)
            assert ESCAPED in html.split('class="table network-table"', 1)[1]
        ego = client.get(ego_url(hostile.id), params={"collaboration_id": case.id}).text
        assert XSS not in ego
        assert ESCAPED in drawing(ego)


@pytest.mark.parametrize("name", ["api.pages.network", "governance.network.ego"])
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)

    assert result.failed == 0
    assert result.attempted > 0
