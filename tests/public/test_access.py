"""Anonymous visitors reach the public pages, the public API and sign-in — and nothing else.

Every route of the app is found by walking ``app.routes``, so a route added tomorrow is
checked the day it appears: a page answers an anonymous visitor with a redirect to the
sign-in page, the API with 401.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from tests.public.conftest import PublishedCase

#: What an anonymous visitor may use: the transparency pages and API, health, signing in.
OPEN_PREFIXES = ("/public", "/api/v1/public/", "/api/v1/health", "/login")
#: ...and the API's documentation and schema, which describe it but hold no data.
OPEN_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})

_PARAM = re.compile(r"\{\w+(?::\w+)?\}")


def route_calls(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API and page route, path parameters filled with 1."""
    calls = set()
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or context.path is None:
            continue  # the documentation, the schema and static files
        for method in context.methods or ():
            calls.add((method, _PARAM.sub("1", context.path)))
    return sorted(calls, key=lambda call: (call[1], call[0]))


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def test_every_other_route_turns_anonymous_visitors_away(
    app: FastAPI, anonymous_client: TestClient
) -> None:
    calls = route_calls(app)
    closed = [(method, path) for method, path in calls if not is_open(path)]
    assert len(closed) > 100, "the route walk found too few routes"
    wrong = []
    for method, path in closed:
        response = anonymous_client.request(method, path, follow_redirects=False)
        if path.startswith("/api/"):
            ok = response.status_code == 401 and "detail" in response.json()
        else:
            location = response.headers.get("location", "")
            ok = response.status_code == 303 and location.startswith("/login")
        if not ok:
            wrong.append(f"{method} {path} → {response.status_code}")
    assert wrong == []


def test_the_open_routes_are_exactly_these(app: FastAPI) -> None:
    open_calls = [(m, p) for m, p in route_calls(app) if is_open(p)]
    public = sorted(p for m, p in open_calls if "public" in p)
    assert public == [
        "/api/v1/public/forums",
        "/api/v1/public/forums/1",
        "/api/v1/public/meetings/1",
        "/public",
        "/public/forums/1",
        "/public/meetings/1",
    ]
    # The public routes only read.
    assert {m for m, p in open_calls if "public" in p} == {"GET"}


@pytest.mark.parametrize(
    "url",
    ["/public", "/public/forums/{forum}", "/public/meetings/{meeting}", "/api/v1/public/forums"],
)
def test_the_public_routes_answer_anonymous_visitors(
    anonymous_client: TestClient, published_case: PublishedCase, url: str
) -> None:
    path = url.format(forum=published_case.forum_id, meeting=published_case.held_id)
    assert anonymous_client.get(path, follow_redirects=False).status_code == 200


def test_posting_to_a_public_page_is_refused(anonymous_client: TestClient) -> None:
    response = anonymous_client.post("/public", follow_redirects=False)
    assert response.status_code == 405
