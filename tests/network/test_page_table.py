"""The network page's metrics table, built in Python: the markup and numbers the template
wrote cell by cell, character for character."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from api.app import create_app
from api.i18n import Language
from api.pages import network as network_page
from api.pages.network import (
    NodeRow,
    id_link,
    metrics_table,
    number_formatter,
    sort_choice,
    sort_rows,
)
from api.web import format_number, path_for, speaking
from governance.config import Settings
from governance.db import SessionFactory
from governance.network.metrics import NodeMetrics
from governance.network.service import TableCache
from governance.vocab import Sector

#: The rows as the template wrote them before they were built in Python.
TEMPLATE_ROWS = """\
{% import "network/_parts.html" as parts %}
    {% for row in table.rows %}
    <tr data-id="{{ row.id }}">
      <th scope="row" data-label="{{ table.columns[0].label }}"><a href="{{ url('stakeholder_network', stakeholder_id=row.id) }}?{{ ego_query }}">{{ row.name }}</a></th>
      <td data-label="{{ table.columns[1].label }}">{{ row.sector | label("sector") }}</td>
      {% for column in table.columns[2:] %}
      <td class="num" data-label="{{ column.label }}" data-column="{{ column.key }}">{{ parts.metric(row.value(column.key), table.digits.get(column.key)) }}</td>
      {% endfor %}
    </tr>
    {% endfor %}
"""  # noqa: E501 - the template's own lines


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """The app's routes and templates; no request reaches a database."""
    settings = Settings(environment="test", secret_key="x" * 40)
    return create_app(settings, sessions=cast(SessionFactory, object()))


@pytest.fixture(params=["en", "id"])
def language(request: pytest.FixtureRequest, app: FastAPI) -> Language:
    return cast(Language, app.state.languages[request.param])


@pytest.fixture
def page(app: FastAPI, language: Language) -> Iterator[Request]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/collaborations/1/network",
        "query_string": b"as_of=2021-06-30&sort=name",
        "headers": [],
        "app": app,
        "router": app.router,
    }
    request = Request(scope)
    with speaking(language, request):
        yield request


def rows(count: int, seed: int = 1) -> list[NodeRow]:
    rng = random.Random(seed)

    def share() -> float:
        return rng.choice([0.0, 0.0005, 0.0015, 1.0, rng.random(), rng.random() / 1000])

    return [
        NodeRow(
            i,
            rng.choice(["Dinas <Sosial>", "SPRI & Co", 'Warga "RW 05"', f"Actor {i}"]),
            rng.choice(list(Sector)).value,
            NodeMetrics(
                degree=rng.randint(0, 3000),
                weighted_degree=rng.random() * 5000,
                betweenness=share(),
                closeness=share(),
                eigenvector=None if rng.random() < 0.2 else share(),
                community=rng.randint(0, 1200),
                constraint=None if rng.random() < 0.2 else rng.random() * 2,
                effective_size=None if rng.random() < 0.2 else rng.random() * 1500,
            ),
        )
        for i in range(1, count + 1)
    ]


class TestMetricsTable:
    @pytest.mark.parametrize(
        "sort", [("betweenness", "desc"), ("name", "asc"), ("eigenvector", "asc")]
    )
    def test_rows_are_what_the_template_wrote(
        self, app: FastAPI, language: Language, page: Request, sort: tuple[str, str]
    ) -> None:
        query = "collaboration_id=1&as_of=2021-06-30"

        table = metrics_table(page, language, sort_rows(rows(300), *sort), sort, query)
        expected = (
            app.state.templates.from_string(TEMPLATE_ROWS)
            .render(table=table, ego_query=query)
            .strip("\n")
        )

        assert str(table.body) == expected
        assert "&lt;Sosial&gt;" in table.body
        assert "<Sosial>" not in table.body

    def test_is_built_once_per_language_order_and_link(
        self, language: Language, page: Request, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        built: list[int] = []
        real = network_page.table_body

        def counted(*args: Any, **kwargs: Any) -> str:
            built.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(network_page, "table_body", counted)
        cache = TableCache(4)
        table_rows = rows(20)

        def table(sort: tuple[str, str], query: str = "a=1") -> str:
            ordered = sort_rows(table_rows, *sort)
            return str(metrics_table(page, language, ordered, sort, query, cache=cache).body)

        first = table(sort_choice(None, None))
        again = table(sort_choice(None, None))
        by_name = table(("name", "asc"))
        other_link = table(sort_choice(None, None), "a=2")

        assert again == first
        assert by_name != first
        assert "?a=2" in other_link
        assert len(built) == 3

    def test_links_go_where_the_route_does(self, page: Request) -> None:
        link = id_link(page, "stakeholder_network", "stakeholder_id")

        assert [link(i) for i in (1, 42, 2**31 - 1)] == [
            path_for(page, "stakeholder_network", stakeholder_id=i) for i in (1, 42, 2**31 - 1)
        ]


class TestNumberFormatter:
    def test_writes_numbers_as_the_number_filter_does(self, language: Language) -> None:
        rng = random.Random(7)
        values: list[float] = [0, 1, 999, 1000, 1234567, 0.0, 0.0005, 0.0015, 0.0025, 2.5]
        values += [1e-20, 1e15, 0.9995, 999.9995, 1 / 3, 2 / 3, -0.0004, -12.5]
        values += [rng.random() * 10 ** rng.randint(-6, 8) for _ in range(3000)]
        values += [round(rng.random(), 4) + 0.00005 for _ in range(1000)]
        values += [float("nan"), float("inf")]
        formatted = number_formatter(language)

        with speaking(language):
            for digits in (None, 1, 2, 3):
                assert [formatted(v, digits) for v in values] == [
                    format_number(v, digits) for v in values
                ], digits
