"""Cross-site request forgery, attacked on every route, and no state change on GET.

A browser signed in by cookie sends that cookie with any request, whichever site made
it; only the CSRF token (in the form field or the ``X-CSRF-Token`` header) tells a
request from one of our pages apart from one forged elsewhere. So every page form
and every cookie-authenticated API write without the token, or with the token of
another session, must be refused — while the same request with the right token goes
through, and an API call with a bearer token (which a browser never adds by itself)
needs none. The routes are walked from ``app.routes``, so a new one is covered at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, func, literal, select
from sqlalchemy.orm import Session

from api import auth
from governance.audit.service import SYSTEM
from governance.base import Base
from governance.demo.loader import load_demo
from governance.models import User
from governance.users import service as user_service
from governance.vocab import UserRole
from tests.conftest import sign_in
from tests.security.walk import Endpoint, Filler, a_token_id, endpoints


@pytest.fixture
def filler(session: Session) -> Filler:
    """The demo case, and a user with a token for the user routes to name."""
    load_demo(session)
    bystander = User(name="bystander", role=UserRole.VIEWER, password_hash="not a hash")
    session.add(bystander)
    session.flush()
    user_service.create_token(session, user=bystander, name="walked", actor=SYSTEM)
    session.commit()
    return Filler(session, user_id=bystander.id, token_id=a_token_id(session, bystander))


@pytest.fixture
def cookie_only(app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    """An admin's browser: the session cookie, but no CSRF header on its requests."""
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, connection, UserRole.ADMIN)
        del client.headers[auth.CSRF_HEADER]
        yield client


def key_of(client: TestClient) -> str:
    return str(client.cookies[auth.SESSION_COOKIE])


def page_writes(app: FastAPI) -> list[Endpoint]:
    """Every state-changing page route; signing out last (it ends the session)."""
    found = [e for e in endpoints(app) if e.writes and not e.is_api]
    return sorted(found, key=lambda e: (e.path == "/logout", e.path, e.method))


def api_writes(app: FastAPI) -> list[Endpoint]:
    return [e for e in endpoints(app) if e.writes and e.is_api]


def post_form(client: TestClient, endpoint: Endpoint, url: str, token: str | None) -> Response:
    data = {"_": ""} if token is None else {auth.CSRF_FIELD: token}
    return client.request(endpoint.method, url, data=data, follow_redirects=False)


class TestPageForms:
    def test_every_page_write_without_the_token_is_refused(
        self, app: FastAPI, cookie_only: TestClient, filler: Filler
    ) -> None:
        found = page_writes(app)
        assert len(found) > 50, "the walk found too few page writes"

        wrong = {
            f"{e.method} {filler.url(e)}": status
            for e in found
            if (status := post_form(cookie_only, e, filler.url(e), None).status_code) != 403
        }

        assert wrong == {}
        assert cookie_only.get("/api/v1/me").status_code == 200, "signed out by a forged post"
        expired = post_form(
            cookie_only, Endpoint("/stakeholders/new", "POST"), "/stakeholders/new", None
        )
        assert "The form has expired" in expired.text

    def test_every_page_write_with_another_sessions_token_is_refused(
        self, app: FastAPI, connection: Connection, cookie_only: TestClient, filler: Filler
    ) -> None:
        with TestClient(app) as other:
            sign_in(other, connection, UserRole.ADMIN)
            stolen = auth.session_csrf_token(app.state.settings, key_of(other))

        wrong = {
            f"{e.method} {filler.url(e)}": status
            for e in page_writes(app)
            if (status := post_form(cookie_only, e, filler.url(e), stolen).status_code) != 403
        }

        assert wrong == {}

    def test_every_page_write_with_the_right_token_in_the_form_goes_through(
        self, app: FastAPI, cookie_only: TestClient, filler: Filler
    ) -> None:
        token = auth.session_csrf_token(app.state.settings, key_of(cookie_only))

        wrong = {
            f"{e.method} {filler.url(e)}": status
            for e in page_writes(app)
            if (status := post_form(cookie_only, e, filler.url(e), token).status_code) in (401, 403)
            or status >= 500
        }

        assert wrong == {}

    def test_the_sign_in_form_needs_the_token_of_this_browser(
        self, app: FastAPI, anonymous_client: TestClient
    ) -> None:
        with TestClient(app) as attacker:
            page = attacker.get("/login")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, "the sign-in form has no CSRF token"
        attackers_token = found.group(1)
        form = {"name": "someone", "password": "whatever it may be"}

        missing = anonymous_client.post("/login", data=form, follow_redirects=False)
        anonymous_client.get("/login")  # the victim's own CSRF cookie
        foreign = anonymous_client.post(
            "/login", data=form | {auth.CSRF_FIELD: attackers_token}, follow_redirects=False
        )

        assert (missing.status_code, foreign.status_code) == (403, 403)


class TestApiWrites:
    def test_cookie_authenticated_api_writes_need_the_header(
        self, app: FastAPI, cookie_only: TestClient, filler: Filler
    ) -> None:
        found = api_writes(app)
        assert len(found) > 40

        wrong = {
            f"{e.method} {filler.url(e)}": status
            for e in found
            if (status := cookie_only.request(e.method, filler.url(e), json={}).status_code) != 403
        }

        assert wrong == {}

    def test_the_header_lets_the_same_write_through(
        self, app: FastAPI, cookie_only: TestClient
    ) -> None:
        token = auth.session_csrf_token(app.state.settings, key_of(cookie_only))
        body = {"name": "Forum Warga", "kind": "group", "sector": "community"}

        forged = cookie_only.post("/api/v1/stakeholders", json=body)
        genuine = cookie_only.post(
            "/api/v1/stakeholders", json=body, headers={auth.CSRF_HEADER: token}
        )

        assert forged.status_code == 403
        assert "security token" in forged.json()["detail"]
        assert genuine.status_code == 201, genuine.text

    @pytest.mark.parametrize("presented", ["é" * 64, "x" * 10_000, " "])
    def test_a_token_of_any_characters_is_refused_not_an_error(
        self, cookie_only: TestClient, presented: str
    ) -> None:
        body = {"name": "Forum Warga", "kind": "group", "sector": "community"}

        by_header = cookie_only.post(
            "/api/v1/stakeholders",
            json=body,
            headers={auth.CSRF_HEADER.encode(): presented.encode()},  # bytes: read as latin-1
        )
        by_form = cookie_only.post("/logout", data={auth.CSRF_FIELD: presented})

        assert (by_header.status_code, by_form.status_code) == (403, 403)

    def test_bearer_token_writes_need_no_csrf_token(
        self, app: FastAPI, session: Session, filler: Filler
    ) -> None:
        admin = User(name="api-admin", role=UserRole.ADMIN, password_hash="not a hash")
        session.add(admin)
        session.flush()
        token = user_service.create_token(session, user=admin, name="script", actor=SYSTEM)
        session.commit()

        with TestClient(app, raise_server_exceptions=False) as script:
            script.headers["authorization"] = f"Bearer {token}"
            created = script.post(
                "/api/v1/stakeholders",
                json={"name": "Forum Warga", "kind": "group", "sector": "community"},
            )
            refused = {
                f"{e.method} {filler.url(e)}": status
                for e in api_writes(app)
                if (status := script.request(e.method, filler.url(e), json={}).status_code)
                in (401, 403)
                or status >= 500
            }

        assert created.status_code == 201, created.text
        assert refused == {}

    def test_someone_elses_or_a_revoked_token_opens_nothing(
        self, app: FastAPI, session: Session
    ) -> None:
        viewer = User(name="api-viewer", role=UserRole.VIEWER, password_hash="not a hash")
        session.add(viewer)
        session.flush()
        token = user_service.create_token(session, user=viewer, name="script", actor=SYSTEM)
        token_id = user_service.list_tokens(session, user=viewer)[0].id
        session.commit()

        with TestClient(app) as script:
            script.headers["authorization"] = f"Bearer {token}"
            as_viewer = script.post("/api/v1/stakeholders", json={"name": "X", "kind": "group"})
            user_service.revoke_token(session, token_id=token_id, actor=SYSTEM)
            session.commit()
            revoked = script.get("/api/v1/stakeholders")
            script.headers["authorization"] = f"Bearer {token}x"
            guessed = script.get("/api/v1/stakeholders")

        assert as_viewer.status_code == 403
        assert (revoked.status_code, guessed.status_code) == (401, 401)


# -- no state change on GET --------------------------------------------------------------


def snapshot(session: Session) -> dict[str, tuple[int, int]]:
    """Per table: its row count and the sum of its records' versions (an edit bumps it)."""
    session.expire_all()
    counts: dict[str, tuple[int, int]] = {}
    for table in Base.metadata.sorted_tables:
        versions = func.coalesce(
            func.sum(table.c.version) if "version" in table.c else literal(0), 0
        )
        rows, total = session.execute(select(func.count(), versions).select_from(table)).one()
        counts[table.name] = (int(rows), int(total))
    return counts


def test_no_get_route_changes_anything(
    app: FastAPI, client: TestClient, session: Session, filler: Filler
) -> None:
    reads = [e for e in endpoints(app) if e.method in ("GET", "HEAD")]
    assert len(reads) > 60
    before = snapshot(session)

    statuses = {str(e): client.request(e.method, filler.url(e)).status_code for e in reads}

    changed = {
        name: (was, now)
        for (name, was), now in zip(before.items(), snapshot(session).values(), strict=True)
        if was != now
    }
    assert changed == {}
    assert not [route for route, status in statuses.items() if status >= 500]


def test_every_refusal_is_logged_with_who_what_and_from_where(
    app: FastAPI, connection: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(app) as browser, TestClient(app) as script:
        viewer = sign_in(browser, connection, UserRole.VIEWER)
        browser.post("/api/v1/stakeholders", json={})  # wrong role
        del browser.headers[auth.CSRF_HEADER]
        browser.post("/logout", data={})  # no CSRF token
        script.headers["authorization"] = "Bearer stolen-or-made-up"
        script.get("/api/v1/stakeholders")  # unknown token

    logged = [
        record.getMessage()
        for record in caplog.records
        if record.name == "collabgov.security" and record.levelname == "WARNING"
    ]
    assert logged == [
        f"refused (role): POST /api/v1/stakeholders by {viewer.name} from testclient",
        f"refused (csrf): POST /logout by {viewer.name} from testclient",
        "refused: unknown or revoked API token from testclient for GET /api/v1/stakeholders",
    ]
