"""One's own account page: who you are, changing your password, API tokens, live sessions."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import auth
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.users import passwords, signin
from governance.users import service as user_service
from governance.users.models import ApiToken, User
from tests.conftest import TEST_PASSWORD, SignedInClient
from tests.pages.html import field_error, input_value, text_of

NEW_PASSWORD = "a brand new pass phrase 7"

#: Argon2's defaults take a fifth of a second per hash; tests hash with cheap parameters.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "hasher", FAST_HASHER)


@pytest.fixture
def second_browser(
    session: Session, anonymous_client: TestClient, client: SignedInClient
) -> TestClient:
    """Another browser signed in as the same user as ``client``, through a real session."""
    user = session.get(User, client.user.id)
    assert user is not None
    key = signin.start_session(session, user=user, address="10.0.0.7", user_agent="PhoneBrowser/2")
    session.commit()
    anonymous_client.cookies.set(auth.SESSION_COOKIE, key)
    return anonymous_client


def signed_in(browser: TestClient) -> bool:
    """Whether the browser's cookie still opens the account page (else: off to sign in)."""
    response = browser.get("/account", follow_redirects=False)
    if response.status_code == 200:
        return True
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    return False


def shown_token(html: str) -> str:
    found = re.search(r'id="new-token-value" type="text" value="([^"]+)"', html)
    assert found, "the new token is not on the page"
    return found.group(1)


def change_password(
    client: TestClient, current: str, new: str, repeat: str | None = None
) -> object:
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_repeat": new if repeat is None else repeat,
        },
        follow_redirects=False,
    )


class TestAccountPage:
    def test_shows_who_you_are_and_your_role(self, client: SignedInClient) -> None:
        response = client.get("/account")

        assert response.status_code == 200
        page = text_of(response.text)
        assert client.user.name in page
        assert "Administrator" in page

    def test_every_role_has_an_account_page(
        self, client_as: Callable[[str], SignedInClient]
    ) -> None:
        viewer = client_as("viewer")

        response = viewer.get("/account")

        assert response.status_code == 200
        assert "Viewer" in text_of(response.text)

    def test_anonymous_visitors_are_sent_to_sign_in(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/account", follow_redirects=False)

        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=%2Faccount"

    def test_every_form_carries_the_csrf_token(self, client: SignedInClient) -> None:
        html = client.get("/account").text

        forms = re.findall(r'<form method="post"[^>]*>(.*?)</form>', html, re.S)
        assert len(forms) >= 3
        assert all('name="csrf_token"' in form for form in forms)

    def test_indonesian(self, client: SignedInClient) -> None:
        response = client.get("/account?lang=id")

        assert "Ubah kata sandi Anda" in text_of(response.text)


class TestChangePassword:
    def test_wrong_current_password_is_refused_beside_the_field(
        self, client: SignedInClient
    ) -> None:
        response = change_password(client, "not my password at all", NEW_PASSWORD)

        assert response.status_code == 400  # type: ignore[attr-defined]
        html = response.text  # type: ignore[attr-defined]
        assert field_error(html, "current_password") == "This is not your current password."
        # Nothing typed comes back into a password field.
        assert input_value(html, "current_password") == ""
        assert input_value(html, "new_password") == ""
        assert NEW_PASSWORD not in html

    @pytest.mark.parametrize(
        ("new", "message"),
        [
            ("short", "Use at least 12 characters."),
            ("password1234", "This is one of the most common passwords; choose another."),
            (TEST_PASSWORD, "Must differ from your current password."),
        ],
    )
    def test_a_weak_new_password_is_refused(
        self, client: SignedInClient, new: str, message: str
    ) -> None:
        response = change_password(client, TEST_PASSWORD, new)

        assert response.status_code == 400  # type: ignore[attr-defined]
        assert field_error(response.text, "new_password") == message  # type: ignore[attr-defined]

    def test_the_repeat_must_match(self, client: SignedInClient, session: Session) -> None:
        response = change_password(client, TEST_PASSWORD, NEW_PASSWORD, "a different phrase 77")

        assert response.status_code == 400  # type: ignore[attr-defined]
        assert (
            field_error(response.text, "new_password_repeat")  # type: ignore[attr-defined]
            == "The two passwords differ; type the same password twice."
        )
        assert user_service.authenticate(session, name=client.user.name, password=TEST_PASSWORD)

    def test_empty_fields_are_named(self, client: SignedInClient) -> None:
        response = change_password(client, "", "")

        html = response.text  # type: ignore[attr-defined]
        assert field_error(html, "current_password") == "Enter your current password."
        assert field_error(html, "new_password") == "Enter a new password."

    def test_success_ends_the_other_sessions_and_keeps_this_one(
        self, client: SignedInClient, second_browser: TestClient, session: Session
    ) -> None:
        assert signed_in(second_browser)

        response = change_password(client, TEST_PASSWORD, NEW_PASSWORD)

        assert response.status_code == 303  # type: ignore[attr-defined]
        assert response.headers["location"] == "/account"  # type: ignore[attr-defined]
        # The notice, on this browser's next page: it is still signed in.
        assert "Your other sessions were signed out" in text_of(client.get("/account").text)
        assert not signed_in(second_browser)
        session.expire_all()
        assert user_service.authenticate(session, name=client.user.name, password=NEW_PASSWORD)
        assert not user_service.authenticate(session, name=client.user.name, password=TEST_PASSWORD)


class TestTokens:
    def test_a_new_token_is_shown_once_and_works_as_bearer(
        self, client: SignedInClient, anonymous_client: TestClient
    ) -> None:
        response = client.post(
            "/account/tokens", data={"name": "export script"}, follow_redirects=False
        )

        assert response.status_code == 201
        token = shown_token(response.text)
        assert "copy it now" in text_of(response.text).lower()
        # Not in a cookie, not in a redirect: only in this page.
        assert token not in response.headers.get("set-cookie", "")
        assert "location" not in response.headers
        assert response.headers["cache-control"] == "no-store"
        later = client.get("/account").text
        assert token not in later
        assert "export script" in text_of(later)
        me = anonymous_client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["name"] == client.user.name

    def test_a_nameless_token_is_refused_beside_the_field(self, client: SignedInClient) -> None:
        response = client.post("/account/tokens", data={"name": "  "})

        assert response.status_code == 400
        assert field_error(response.text, "name") == "Enter 1 to 100 characters."
        assert 'id="new-token-value"' not in response.text

    def test_a_revoked_token_stops_working(
        self, client: SignedInClient, anonymous_client: TestClient, session: Session
    ) -> None:
        token = shown_token(client.post("/account/tokens", data={"name": "cron"}).text)
        token_id = session.scalars(
            select(ApiToken.id).where(ApiToken.token_hash == user_service.token_digest(token))
        ).one()

        response = client.post(f"/account/tokens/{token_id}/revoke", follow_redirects=False)

        assert response.status_code == 303
        bearer = {"authorization": f"Bearer {token}"}
        assert anonymous_client.get("/api/v1/me", headers=bearer).status_code == 401
        assert "Revoked" in text_of(client.get("/account").text)

    def test_someone_elses_token_is_not_found(
        self,
        client: SignedInClient,
        client_as: Callable[[str], SignedInClient],
        session: Session,
    ) -> None:
        other = session.get(User, client_as("researcher").user.id)
        assert other is not None
        token = user_service.create_token(session, user=other, name="theirs", actor=Actor("t"))
        session.commit()
        token_id = session.scalars(
            select(ApiToken.id).where(ApiToken.token_hash == user_service.token_digest(token))
        ).one()

        response = client.post(f"/account/tokens/{token_id}/revoke")

        assert response.status_code == 404
        assert user_service.find_token(session, token) is not None


class TestSessions:
    def test_lists_live_sessions(self, client: SignedInClient, second_browser: TestClient) -> None:
        page = text_of(client.get("/account").text)

        assert "PhoneBrowser/2" in page
        assert "10.0.0.7" in page
        assert "this session" in page
        assert "You are signed in 1 other time." in page

    def test_sign_out_everywhere_else(
        self, client: SignedInClient, second_browser: TestClient, session: Session
    ) -> None:
        response = client.post("/account/sessions/end-others", follow_redirects=False)

        assert response.status_code == 303
        assert "Sessions ended: 1." in text_of(client.get("/account").text)
        assert not signed_in(second_browser)
        assert signed_in(client)
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == client.user.id, AuditEntry.action == "logout"
            )
        ).one()
        assert entry.changes == {"sessions_ended": [None, 1]}
