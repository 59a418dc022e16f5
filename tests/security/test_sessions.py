"""Sessions attacked: signing in through the real form, then trying what an attacker would.

Every test signs in as a browser does — the sign-in page, its hidden CSRF token and
cookie, the form post — and then checks the cookie's flags, that a planted session id
is worthless, that signing out, idling or being disabled ends the session at once for
pages and API alike, that password guessing is throttled (even the right password is
refused past the limit), that every sign-in, failure and sign-out is in the audit log,
and that the ``next`` parameter cannot send anyone to another site.
"""

from __future__ import annotations

import datetime as dt
import re
from http.cookies import SimpleCookie

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.orm import Session

from api import auth
from api.app import create_app
from governance.audit.models import AuditEntry
from governance.base import utcnow
from governance.config import Settings
from governance.users import passwords, signin
from governance.users import service as user_service
from governance.users.models import User, UserSession
from governance.vocab import UserRole
from tests import conftest
from tests.conftest import TEST_PASSWORD, sign_in

WRONG_PASSWORD = "not the password at all"
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at test cost: the throttle tests check dozens of passwords."""
    cheap = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", cheap)
    unknown = cheap.hash("nobody's password")
    monkeypatch.setattr(user_service, "_unknown_user_hash", lambda: unknown)


def make_user(session: Session, name: str, role: UserRole = UserRole.SECRETARIAT) -> User:
    user = User(name=name, role=role, password_hash=passwords.hash_password(TEST_PASSWORD))
    session.add(user)
    session.commit()
    return user


def login(
    client: TestClient, name: str, password: str = TEST_PASSWORD, *, next: str = ""
) -> Response:
    """Sign in as a browser does: fetch the form, send it back with its hidden token."""
    form = client.get("/login", params={"next": next} if next else None)
    assert form.status_code == 200, form.text
    found = _CSRF_INPUT.search(form.text)
    assert found, "the sign-in form has no CSRF token"
    return client.post(
        "/login",
        data={"name": name, "password": password, "next": next, "csrf_token": found.group(1)},
        follow_redirects=False,
    )


def session_cookie(response: Response) -> SimpleCookie:
    """The session cookie the response sets, with its attributes."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(auth.SESSION_COOKIE + "="):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            return cookie
    raise AssertionError(f"no session cookie in {response.headers.get_list('set-cookie')}")


def fresh(app: FastAPI, key: str, *, csrf: bool = False) -> TestClient:
    """A new browser holding only the session cookie ``key`` (and, if asked, its CSRF token)."""
    client = TestClient(app)
    client.cookies.set(auth.SESSION_COOKIE, key)
    if csrf:
        client.headers[auth.CSRF_HEADER] = auth.session_csrf_token(app.state.settings, key)
    return client


def signed_out(client: TestClient) -> bool:
    """Whether the client is treated as a visitor: pages send it to sign in, the API says 401."""
    page = client.get("/account", follow_redirects=False)
    api = client.get("/api/v1/me")
    assert page.status_code in (200, 303)
    assert api.status_code in (200, 401)
    out = page.status_code == 303 and page.headers["location"].startswith("/login")
    assert out == (api.status_code == 401), "pages and API disagree on the session"
    return out


def audit_actions(session: Session, user_id: int | None = None) -> list[str]:
    statement = select(AuditEntry.action).where(
        AuditEntry.action.in_(("login", "login_failed", "logout"))
    )
    if user_id is not None:
        statement = statement.where(AuditEntry.record_id == user_id)
    return list(session.scalars(statement.order_by(AuditEntry.id)))


# -- the cookie --------------------------------------------------------------------------


class TestTheSessionCookie:
    def test_signing_in_through_the_form_sets_a_locked_down_cookie(
        self, anonymous_client: TestClient, session: Session
    ) -> None:
        make_user(session, "sari")

        response = login(anonymous_client, "sari")

        assert response.status_code == 303
        morsel = session_cookie(response)[auth.SESSION_COOKIE]
        assert morsel["httponly"] is True
        assert morsel["samesite"].lower() == "lax"
        assert morsel["path"] == "/"
        assert not morsel["secure"], "Secure outside production would break plain-HTTP use"
        assert len(morsel.value) >= 40
        assert not signed_out(anonymous_client)

    def test_production_marks_cookies_secure_and_sends_hsts(
        self, engine: Engine, connection: Connection, session: Session
    ) -> None:
        sessions = conftest.TestSessions(engine)
        sessions.connection = connection
        settings = Settings(environment="production", secret_key="p" * 48)
        app = create_app(settings, sessions=sessions)  # type: ignore[arg-type]
        make_user(session, "sari")

        with TestClient(app, base_url="https://testserver") as client:
            response = login(client, "sari")

        assert response.status_code == 303
        morsel = session_cookie(response)[auth.SESSION_COOKIE]
        assert morsel["secure"] is True
        assert morsel["httponly"] is True
        assert morsel["samesite"].lower() == "lax"
        assert response.headers["strict-transport-security"].startswith("max-age=")


# -- fixation, sign-out, idling, disabling -----------------------------------------------


class TestSessionLifetime:
    def test_a_planted_unknown_session_id_is_replaced(
        self, anonymous_client: TestClient, session: Session
    ) -> None:
        make_user(session, "sari")
        anonymous_client.cookies.set(auth.SESSION_COOKIE, "planted-by-an-attacker-0123456789")

        response = login(anonymous_client, "sari")

        new = session_cookie(response)[auth.SESSION_COOKIE].value
        assert new != "planted-by-an-attacker-0123456789"
        assert signed_out(fresh(anonymous_client.app, "planted-by-an-attacker-0123456789"))  # type: ignore[arg-type]

    def test_a_planted_live_session_ends_when_the_victim_signs_in(
        self, app: FastAPI, connection: Connection, session: Session
    ) -> None:
        make_user(session, "victim")
        with TestClient(app) as attacker:
            sign_in(attacker, connection, "viewer")
            planted = attacker.cookies[auth.SESSION_COOKIE]
        victim = fresh(app, planted)
        token = auth.session_csrf_token(app.state.settings, planted)

        response = victim.post(
            "/login",
            data={"name": "victim", "password": TEST_PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )

        assert response.status_code == 303
        new = session_cookie(response)[auth.SESSION_COOKIE].value
        assert new != planted
        assert signed_out(fresh(app, planted)), "the planted session still works"
        assert victim.get("/api/v1/me").json()["name"] == "victim"

    def test_signing_out_ends_the_session_for_pages_and_the_api(
        self, app: FastAPI, anonymous_client: TestClient, session: Session
    ) -> None:
        user = make_user(session, "sari")
        key = session_cookie(login(anonymous_client, "sari"))[auth.SESSION_COOKIE].value
        browser = fresh(app, key, csrf=True)

        response = browser.post("/logout", follow_redirects=False)

        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
        cleared = session_cookie(response)[auth.SESSION_COOKIE]
        assert cleared.value == "" or cleared["max-age"] == "0"
        # Someone who copied the cookie before sign-out gets nothing with it.
        thief = fresh(app, key, csrf=True)
        page = thief.get("/stakeholders", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")
        assert thief.get("/api/v1/stakeholders").status_code == 401
        write = thief.post("/api/v1/stakeholders", json={"name": "Injected", "kind": "group"})
        assert write.status_code == 401
        assert audit_actions(session, user.id) == ["login", "logout"]

    def test_a_session_idle_past_the_timeout_is_over(
        self, anonymous_client: TestClient, session: Session
    ) -> None:
        make_user(session, "sari")
        key = session_cookie(login(anonymous_client, "sari"))[auth.SESSION_COOKIE].value
        assert not signed_out(anonymous_client)

        idle_since(session, key, minutes=29)
        assert not signed_out(anonymous_client)
        idle_since(session, key, minutes=31)
        assert signed_out(anonymous_client)

    def test_the_idle_timeout_is_configurable(
        self, app: FastAPI, anonymous_client: TestClient, session: Session
    ) -> None:
        usual: Settings = app.state.settings
        app.state.settings = usual.model_copy(update={"session_idle_minutes": 60})
        try:
            make_user(session, "sari")
            key = session_cookie(login(anonymous_client, "sari"))[auth.SESSION_COOKIE].value

            idle_since(session, key, minutes=45)
            assert not signed_out(anonymous_client)
            idle_since(session, key, minutes=61)
            assert signed_out(anonymous_client)
        finally:
            app.state.settings = usual

    def test_disabling_a_user_ends_their_session_at_once(
        self, app: FastAPI, client: TestClient, anonymous_client: TestClient, session: Session
    ) -> None:
        user = make_user(session, "sari")
        key = session_cookie(login(anonymous_client, "sari"))[auth.SESSION_COOKIE].value
        assert not signed_out(anonymous_client)

        disabled = client.patch(
            f"/api/v1/users/{user.id}", json={"active": False, "version": user.version}
        )

        assert disabled.status_code == 200, disabled.text
        assert signed_out(fresh(app, key))
        # And the right password no longer opens a new one.
        assert login(TestClient(app), "sari").status_code == 401


def idle_since(session: Session, key: str, *, minutes: int) -> None:
    """Pretend the session was last used ``minutes`` ago."""
    session.execute(
        update(UserSession)
        .where(UserSession.key_hash == signin.key_digest(key))
        .values(last_seen_at=utcnow() - dt.timedelta(minutes=minutes))
    )
    session.commit()


# -- guessing passwords ------------------------------------------------------------------


class TestThrottle:
    def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(
        self, app: FastAPI, session: Session
    ) -> None:
        user = make_user(session, "sari")
        guesser = TestClient(app)

        answers = [login(guesser, "sari", WRONG_PASSWORD).status_code for _ in range(5)]
        refused = login(guesser, "sari", TEST_PASSWORD)

        assert answers == [401] * 5
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        assert auth.SESSION_COOKIE not in refused.headers.get("set-cookie", "")
        assert "Too many failed sign-ins" in refused.text
        assert audit_actions(session, user.id) == ["login_failed"] * 6

    def test_twenty_failures_from_one_address_lock_it_for_every_name(
        self, app: FastAPI, session: Session
    ) -> None:
        make_user(session, "sari")
        guesser = TestClient(app)

        answers = {login(guesser, f"guess-{n}", WRONG_PASSWORD).status_code for n in range(20)}
        refused = login(guesser, "sari", TEST_PASSWORD)

        assert answers == {401}
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0

    def test_failures_are_logged_with_the_name_and_the_address(
        self, anonymous_client: TestClient, session: Session
    ) -> None:
        login(anonymous_client, "nobody-here", WRONG_PASSWORD)

        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).one()
        assert entry.actor == "anonymous"
        assert entry.record_id is None
        assert entry.changes["name"] == [None, "nobody-here"]
        assert entry.changes["address"] == [None, "testclient"]


# -- the audit log and redirects ---------------------------------------------------------


def test_sign_in_failure_and_sign_out_are_all_audited(
    app: FastAPI, anonymous_client: TestClient, session: Session
) -> None:
    user = make_user(session, "sari")

    login(anonymous_client, "sari", WRONG_PASSWORD)
    key = session_cookie(login(anonymous_client, "sari"))[auth.SESSION_COOKIE].value
    fresh(app, key, csrf=True).post("/logout", follow_redirects=False)

    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.record_id == user.id).order_by(AuditEntry.id)
    ).all()
    logged = [(e.action, e.user_id) for e in entries if e.action != "update"]
    assert logged == [("login_failed", None), ("login", user.id), ("logout", user.id)]


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "/\\evil.example", "http:evil.example", " //evil"],
)
def test_next_never_leads_off_site(
    anonymous_client: TestClient, session: Session, target: str
) -> None:
    make_user(session, "sari")

    response = login(anonymous_client, "sari", next=target)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    again = anonymous_client.get("/login", params={"next": target}, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == "/"


def test_next_keeps_a_path_on_this_site(anonymous_client: TestClient, session: Session) -> None:
    make_user(session, "sari")

    response = login(anonymous_client, "sari", next="/stakeholders?q=spri")

    assert response.headers["location"] == "/stakeholders?q=spri"
