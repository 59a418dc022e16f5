"""One's own account through the API: who am I, my password, my tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api import auth
from governance.users import passwords, signin
from governance.users import service as user_service
from governance.users.models import User
from tests.conftest import TEST_PASSWORD, SignedInClient

NEW_PASSWORD = "a brand new pass phrase 7"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "hasher", FAST_HASHER)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def new_token(client: TestClient, name: str = "script") -> dict[str, object]:
    response = client.post("/api/v1/me/tokens", json={"name": name})
    assert response.status_code == 201
    body: dict[str, object] = response.json()
    return body


class TestMe:
    def test_says_who_you_are_without_the_hash(self, client: SignedInClient) -> None:
        response = client.get("/api/v1/me")

        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["role"], body["via"]) == (client.user.name, "admin", "session")
        assert "password" not in str(body)
        assert "hash" not in str(body)

    def test_any_role_may_ask(self, client_as: Callable[[str], SignedInClient]) -> None:
        assert client_as("viewer").get("/api/v1/me").json()["role"] == "viewer"

    def test_anonymous_gets_401(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get("/api/v1/me").status_code == 401


class TestPassword:
    def test_wrong_current_password(self, client: SignedInClient) -> None:
        response = client.post(
            "/api/v1/me/password",
            json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
        )

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "current_password", "message": "is not your current password"}
        ]

    def test_weak_new_password(self, client: SignedInClient) -> None:
        response = client.post(
            "/api/v1/me/password",
            json={"current_password": TEST_PASSWORD, "new_password": "password1234"},
        )

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "new_password",
                "message": "is one of the most common passwords; choose another",
            }
        ]

    def test_success_ends_other_sessions_but_not_this_one(
        self, client: SignedInClient, anonymous_client: TestClient, session: Session
    ) -> None:
        user = session.get(User, client.user.id)
        assert user is not None
        key = signin.start_session(session, user=user, address="10.0.0.8", user_agent="other")
        session.commit()
        anonymous_client.cookies.set(auth.SESSION_COOKIE, key)
        assert anonymous_client.get("/api/v1/me").status_code == 200

        response = client.post(
            "/api/v1/me/password",
            json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
        )

        assert response.status_code == 200
        assert "hash" not in str(response.json())
        assert anonymous_client.get("/api/v1/me").status_code == 401
        assert client.get("/api/v1/me").status_code == 200
        session.expire_all()
        assert user_service.authenticate(session, name=user.name, password=NEW_PASSWORD)


class TestTokens:
    def test_created_token_is_shown_once_and_works(
        self, client: SignedInClient, anonymous_client: TestClient
    ) -> None:
        created = new_token(client, "nightly export")

        token = str(created["token"])
        assert len(token) >= 40
        me = anonymous_client.get("/api/v1/me", headers=bearer(token))
        assert me.status_code == 200
        assert (me.json()["name"], me.json()["via"]) == (client.user.name, "token")
        listed = client.get("/api/v1/me/tokens").json()
        assert listed["total"] == 1
        item = listed["items"][0]
        assert (item["id"], item["name"]) == (created["id"], "nightly export")
        assert "token" not in item
        assert token not in str(listed)

    def test_a_token_may_not_skip_the_role_checks(
        self, client_as: Callable[[str], SignedInClient], anonymous_client: TestClient
    ) -> None:
        token = str(new_token(client_as("viewer"))["token"])

        response = anonymous_client.get("/api/v1/users", headers=bearer(token))

        assert response.status_code == 403

    def test_a_revoked_token_gets_401(
        self, client: SignedInClient, anonymous_client: TestClient
    ) -> None:
        created = new_token(client)

        response = client.delete(f"/api/v1/me/tokens/{created['id']}")

        assert response.status_code == 204
        revoked = anonymous_client.get("/api/v1/me", headers=bearer(str(created["token"])))
        assert revoked.status_code == 401
        assert client.get("/api/v1/me/tokens").json()["items"][0]["revoked_at"] is not None

    def test_someone_elses_token_is_404(
        self,
        client: SignedInClient,
        client_as: Callable[[str], SignedInClient],
        session: Session,
    ) -> None:
        theirs = new_token(client_as("researcher"))

        response = client.delete(f"/api/v1/me/tokens/{theirs['id']}")

        assert response.status_code == 404
        assert user_service.find_token(session, str(theirs["token"])) is not None

    @pytest.mark.parametrize(("name", "field"), [("", "name"), ("x" * 101, "name")])
    def test_a_bad_name_is_422(self, client: SignedInClient, name: str, field: str) -> None:
        response = client.post("/api/v1/me/tokens", json={"name": name})

        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == [field]

    def test_a_token_can_manage_its_own_account(
        self, client: SignedInClient, anonymous_client: TestClient, session: Session
    ) -> None:
        token = str(new_token(client)["token"])

        response = anonymous_client.post(
            "/api/v1/me/tokens", json={"name": "second"}, headers=bearer(token)
        )

        assert response.status_code == 201
        user = session.get(User, client.user.id)
        assert user is not None
        tokens = user_service.list_tokens(session, user=user)
        assert [row.name for row in tokens] == ["script", "second"]
        assert tokens[0].last_used_at is not None
        assert tokens[1].last_used_at is None
