"""The app's routers say "no match" early to paths that cannot fit (api.app), with the
same answers as FastAPI's own matching."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.types import Scope

_PARAMETER = re.compile(r"\{([^}:]+)(?::([^}]+))?\}")


def _sample(path_format: str) -> str:
    """A path that fits ``path_format``: each parameter filled with a plausible value."""

    def value(found: re.Match[str]) -> str:
        return "files/app.css" if found.group(2) == "path" else "7"

    return _PARAMETER.sub(value, path_format)


def _scope(path: str, method: str, root_path: str = "") -> Scope:
    return {
        "type": "http",
        "path": root_path + path,
        "root_path": root_path,
        "method": method,
        "headers": [],
        "query_string": b"",
    }


def _paths(app: FastAPI) -> set[tuple[str, str]]:
    """Every route's sample path with each of its methods, and near misses of each."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        path_format = getattr(context, "path_format", "")
        sample = _sample(path_format)
        for method in sorted(getattr(context, "methods", None) or {"GET"}):
            for path in (sample, sample + "/", sample + "/extra", "/nope" + sample):
                found.add((path, method))
            found.add((sample, "PUT" if method != "PUT" else "PATCH"))
    return found


def test_the_early_answer_is_the_routers_own_for_every_route(app: FastAPI) -> None:
    guarded = [route for route in app.router.routes if "matches" in vars(route)]
    # Every included router (the API's and the pages') answers early; the schema route
    # and the static files mount are plain routes, cheap already.
    assert len(guarded) >= 40
    compared = 0
    for path, method in _paths(app):
        for root_path in ("", "/collabgov"):
            scope = _scope(path, method, root_path)
            for route in guarded:
                early, _ = route.matches(dict(scope))
                own, _ = type(route).matches(route, dict(scope))
                assert early == own, (path, method, root_path, route)
                compared += 1
    assert compared > 10_000


def test_a_page_behind_the_api_routers_is_reached(client: TestClient) -> None:
    response = client.get("/stakeholders")
    assert response.status_code == 200
    assert "<h1" in response.text


def test_a_wrong_method_is_still_405_and_an_unknown_path_404(client: TestClient) -> None:
    assert client.put("/api/v1/health").status_code == 405
    assert client.get("/api/v1/no-such-records").status_code == 404
