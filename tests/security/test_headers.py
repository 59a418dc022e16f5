"""Browser safety headers on every answer, and no script a page did not load from a file.

The Content-Security-Policy is the second line behind escaping: even if some text got
through unescaped, a browser runs no inline script and no event handler under it. So
every response — each page and API route (walked from ``app.routes``), error pages,
redirects, static files, the API docs — must carry the policy without
``'unsafe-inline'`` for scripts, forbid framing, turn off content sniffing and limit
the referrer. And nothing of ours may need the exceptions the policy refuses: no
template (nor any page the walk renders) has an inline ``<script>``, an ``on…=``
handler or a ``javascript:`` URL.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from api.app import create_app
from api.web import TEMPLATES_DIR
from governance.config import Settings
from governance.demo.loader import load_demo
from governance.vocab import UserRole
from tests import conftest
from tests.conftest import sign_in
from tests.security.walk import Filler, endpoints

#: Inline script: a <script> element without a src attribute.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
#: An event-handler attribute inside a tag (onclick=, onerror=, onload=...).
HANDLER = re.compile(r"<[a-zA-Z][^<>]*?\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
#: Referrer policies that send no full address to another site.
STRICT_REFERRERS = (
    "same-origin",
    "no-referrer",
    "strict-origin",
    "strict-origin-when-cross-origin",
)


def policy(response: Response) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive → sources."""
    header = response.headers.get("content-security-policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response: Response) -> list[str]:
    """What is missing or weak in the response's security headers."""
    problems = []
    csp = policy(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("no Content-Security-Policy for scripts")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
        problems.append(f"script-src allows {scripts}")
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors {csp.get('frame-ancestors')}")
    if csp.get("object-src") != ["'none'"]:
        problems.append(f"object-src {csp.get('object-src')}")
    if csp.get("base-uri") != ["'none'"]:
        problems.append(f"base-uri {csp.get('base-uri')}")
    if response.headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("referrer-policy") not in (
        "same-origin",
        "no-referrer",
        "strict-origin",
    ):
        problems.append(f"Referrer-Policy {response.headers.get('referrer-policy')}")
    return problems


def markup_problems(html: str) -> list[str]:
    found = [
        *(f"inline script {m.group(0)}" for m in INLINE_SCRIPT.finditer(html)),
        *(f"event handler in {m.group(0)[:80]}" for m in HANDLER.finditer(html)),
        *(
            f"javascript: URL near {html[m.start() : m.end() + 40]}"
            for m in JAVASCRIPT_URL.finditer(html)
        ),
    ]
    return found


class TestEveryResponse:
    def test_every_get_route_answers_with_the_headers_and_clean_markup(
        self, app: FastAPI, client: TestClient, session: Session
    ) -> None:
        load_demo(session)
        session.commit()
        filler = Filler(session, user_id=client.user.id, token_id=1)  # type: ignore[attr-defined]
        reads = [e for e in endpoints(app) if e.method == "GET"]
        assert len(reads) > 60

        problems = []
        pages = 0
        for endpoint in reads:
            response = client.get(filler.url(endpoint), follow_redirects=False)
            problems += [f"{endpoint}: {p}" for p in header_problems(response)]
            if response.headers.get("content-type", "").startswith("text/html"):
                pages += 1
                problems += [f"{endpoint}: {p}" for p in markup_problems(response.text)]

        assert pages > 40
        assert problems == []

    @pytest.mark.parametrize(
        ("path", "status"),
        [
            ("/login", 200),
            ("/public", 200),
            ("/stakeholders", 303),  # to the sign-in page
            ("/api/v1/stakeholders", 401),
            ("/no-such-page", 404),
            ("/api/v1/no-such-thing", 404),
            ("/api/v1/stakeholders/not-a-number", 401),
            ("/static/app.css", 200),
            ("/openapi.json", 200),
            ("/docs", 200),
        ],
    )
    def test_visitors_and_errors_get_them_too(
        self, anonymous_client: TestClient, path: str, status: int
    ) -> None:
        response = anonymous_client.get(path, follow_redirects=False)

        assert response.status_code == status
        assert header_problems(response) == []

    def test_refusals_and_invalid_input_get_them_too(
        self, app: FastAPI, connection: Connection
    ) -> None:
        with TestClient(app) as viewer:
            sign_in(viewer, connection, UserRole.VIEWER)
            answers = [
                viewer.post("/api/v1/stakeholders", json={}),  # 403
                viewer.post("/stakeholders/new", data={}),  # 403 page
                viewer.get("/api/v1/stakeholders?limit=-1"),  # 422
                viewer.delete("/stakeholders"),  # 405
            ]

        assert [r.status_code for r in answers] == [403, 403, 422, 405]
        assert [header_problems(r) for r in answers] == [[]] * 4

    def test_a_server_error_gets_them_too(self, engine: Engine) -> None:
        app = create_app(
            Settings(environment="test", secret_key="s" * 40),
            sessions=conftest.TestSessions(engine),  # type: ignore[arg-type]
        )

        def explode() -> None:
            raise RuntimeError("a bug")

        app.add_api_route("/security-test-boom", explode)
        with TestClient(app, raise_server_exceptions=False) as visitor:
            response = visitor.get("/security-test-boom")

        assert response.status_code == 500
        assert "a bug" not in response.text
        assert header_problems(response) == []

    def test_the_api_docs_load_no_inline_script(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/docs")

        csp = policy(response)
        assert csp["script-src"] == ["'self'", "https://cdn.jsdelivr.net"]
        assert markup_problems(response.text) == []
        assert '<script src="/static/swagger-init.js?v=' in response.text
        assert "swagger-ui-dist@5/swagger-ui-bundle.js" in response.text
        script = anonymous_client.get("/static/swagger-init.js")
        assert script.status_code == 200
        assert "SwaggerUIBundle" in script.text


# -- the templates -----------------------------------------------------------------------

TEMPLATES = sorted(Path(TEMPLATES_DIR).rglob("*.html"))


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_no_template_has_inline_script_handlers_or_javascript_urls(template: Path) -> None:
    assert markup_problems(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<script type="module">x()</script>', "inline script"),
        ('<img src="x" onerror="alert(1)">', "event handler"),
        ('<button class="b"\n  onclick="go()">', "event handler"),
        ('<a href="JavaScript:alert(1)">', "javascript: URL"),
    ],
)
def test_the_checker_finds_what_it_looks_for(html: str, problem: str) -> None:
    assert [p.split(" ")[0:2] for p in markup_problems(html)] == [problem.split(" ")[0:2]]


def test_the_checker_lets_script_files_through() -> None:
    assert markup_problems('<script src="/static/x.js" defer></script><p>online</p>') == []
