"""The admins' user API: list, create, read, change role or state (409 on stale), reset a
password, a user's tokens; and no other role gets in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.users import passwords
from governance.users import service as user_service
from governance.users.models import ApiToken, User
from governance.vocab import UserRole
from tests.conftest import SignedInClient

GOOD_PASSWORD = "a long and new pass phrase 9"
ADMIN = Actor("test-admin")
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "hasher", FAST_HASHER)


def make_user(session: Session, name: str = "rina", role: UserRole = UserRole.VIEWER) -> User:
    user = user_service.create_user(
        session, name=name, role=role, password=GOOD_PASSWORD, actor=ADMIN
    )
    session.commit()
    return user


def no_secrets(body: object) -> None:
    text = str(body)
    assert "hash" not in text
    assert "$argon2" not in text


class TestAccess:
    @pytest.mark.parametrize("role", ["secretariat", "researcher", "viewer"])
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/v1/users"),
            ("POST", "/api/v1/users"),
            ("GET", "/api/v1/users/{id}"),
            ("PATCH", "/api/v1/users/{id}"),
            ("POST", "/api/v1/users/{id}/password"),
            ("GET", "/api/v1/users/{id}/tokens"),
        ],
    )
    def test_other_roles_get_403(
        self,
        client_as: Callable[[str], SignedInClient],
        session: Session,
        role: str,
        method: str,
        path: str,
    ) -> None:
        target = make_user(session)

        response = client_as(role).request(
            method, path.format(id=target.id), json={"role": "admin", "version": 1}
        )

        assert response.status_code == 403
        assert response.json()["detail"].startswith("Forbidden")

    def test_anonymous_gets_401(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/api/v1/users")

        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="collabgov"'


class TestList:
    def test_lists_users_without_hashes(self, client: SignedInClient, session: Session) -> None:
        make_user(session, "rina", UserRole.RESEARCHER)

        response = client.get("/api/v1/users")

        assert response.status_code == 200
        body = response.json()
        no_secrets(body)
        assert body["total"] == 2
        by_name = {item["name"]: item for item in body["items"]}
        assert by_name["rina"]["role"] == "researcher"
        assert by_name["rina"]["active"] is True
        assert by_name["rina"]["last_signed_in_at"] is None
        assert by_name[client.user.name]["last_signed_in_at"] is not None

    def test_pages(self, client: SignedInClient, session: Session) -> None:
        make_user(session, "rina")

        body = client.get("/api/v1/users", params={"limit": 1, "offset": 1}).json()

        assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (2, 1, 1, 1)


class TestCreate:
    def test_creates_a_user(self, client: SignedInClient, session: Session) -> None:
        response = client.post(
            "/api/v1/users",
            json={"name": "budi", "role": "secretariat", "password": GOOD_PASSWORD},
        )

        assert response.status_code == 201
        no_secrets(response.json())
        assert response.json()["role"] == "secretariat"
        assert user_service.authenticate(session, name="budi", password=GOOD_PASSWORD)

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"password": "short"}, "password", "must be at least 12 characters long"),
            ({"password": "password1234"}, "password", "is one of the most common passwords"),
            ({"role": "boss"}, "role", "Input should be"),
            ({"name": ""}, "name", "at least 1 character"),
        ],
    )
    def test_refuses_bad_input_naming_the_field(
        self, client: SignedInClient, data: dict[str, str], field: str, message: str
    ) -> None:
        body = {"name": "budi", "role": "viewer", "password": GOOD_PASSWORD} | data

        response = client.post("/api/v1/users", json=body)

        assert response.status_code == 422
        errors = response.json()["errors"]
        assert [error["field"] for error in errors] == [field]
        assert message in errors[0]["message"]

    def test_a_taken_name_is_refused(self, client: SignedInClient, session: Session) -> None:
        make_user(session, "rina")

        response = client.post(
            "/api/v1/users", json={"name": "Rina", "role": "viewer", "password": GOOD_PASSWORD}
        )

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "name", "message": "a user named 'Rina' already exists"}
        ]


class TestUpdate:
    def test_changes_the_role(self, client: SignedInClient, session: Session) -> None:
        rina = make_user(session)

        response = client.patch(
            f"/api/v1/users/{rina.id}", json={"version": rina.version, "role": "researcher"}
        )

        assert response.status_code == 200
        assert response.json()["role"] == "researcher"
        assert response.json()["version"] == rina.version + 1

    def test_a_stale_version_gets_409_and_changes_nothing(
        self, client: SignedInClient, session: Session
    ) -> None:
        rina = make_user(session)
        loaded = rina.version
        client.patch(f"/api/v1/users/{rina.id}", json={"version": loaded, "role": "researcher"})

        response = client.patch(
            f"/api/v1/users/{rina.id}", json={"version": loaded, "active": False}
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == loaded + 1
        session.expire_all()
        stored = session.get(User, rina.id)
        assert stored is not None
        assert (stored.role, stored.active) == (UserRole.RESEARCHER, True)

    def test_a_disabled_users_token_and_session_stop_working(
        self, client: SignedInClient, client_as: Callable[[str], SignedInClient], session: Session
    ) -> None:
        viewer = client_as("viewer")
        user = session.get(User, viewer.user.id)
        assert user is not None
        token = user_service.create_token(session, user=user, name="t", actor=ADMIN)
        session.commit()

        response = client.patch(
            f"/api/v1/users/{user.id}", json={"version": user.version, "active": False}
        )

        assert response.status_code == 200
        assert viewer.get("/api/v1/me").status_code == 401
        bearer = {"authorization": f"Bearer {token}"}
        assert viewer.get("/api/v1/me", headers=bearer).status_code == 401

    def test_an_admin_cannot_demote_themselves(self, client: SignedInClient) -> None:
        response = client.patch(
            f"/api/v1/users/{client.user.id}", json={"version": 1, "role": "viewer"}
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "role"
        assert client.get("/api/v1/users").status_code == 200

    def test_an_unknown_user_is_404(self, client: SignedInClient) -> None:
        response = client.patch("/api/v1/users/999999", json={"version": 1, "role": "viewer"})

        assert response.status_code == 404
        assert response.json()["detail"] == "User 999999 not found"


class TestResetPassword:
    def test_sets_the_password(self, client: SignedInClient, session: Session) -> None:
        rina = make_user(session)

        response = client.post(
            f"/api/v1/users/{rina.id}/password", json={"password": "another long phrase 12"}
        )

        assert response.status_code == 200
        no_secrets(response.json())
        session.expire_all()
        assert user_service.authenticate(session, name="rina", password="another long phrase 12")

    def test_a_weak_password_is_422(self, client: SignedInClient, session: Session) -> None:
        rina = make_user(session)

        response = client.post(f"/api/v1/users/{rina.id}/password", json={"password": "short"})

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "password", "message": "must be at least 12 characters long"}
        ]


class TestTokens:
    def test_lists_and_revokes_a_users_tokens(
        self, client: SignedInClient, session: Session, anonymous_client: TestClient
    ) -> None:
        rina = make_user(session)
        token = user_service.create_token(session, user=rina, name="script", actor=ADMIN)
        session.commit()

        listed = client.get(f"/api/v1/users/{rina.id}/tokens").json()
        token_id = listed["items"][0]["id"]
        revoked = client.delete(f"/api/v1/users/{rina.id}/tokens/{token_id}")

        assert [item["name"] for item in listed["items"]] == ["script"]
        assert token not in str(listed)
        no_secrets(listed)
        assert revoked.status_code == 204
        bearer = {"authorization": f"Bearer {token}"}
        assert anonymous_client.get("/api/v1/me", headers=bearer).status_code == 401

    def test_another_users_token_is_404(self, client: SignedInClient, session: Session) -> None:
        rina = make_user(session, "rina")
        budi = make_user(session, "budi")
        user_service.create_token(session, user=budi, name="budi's", actor=ADMIN)
        session.commit()
        token_id = session.scalars(select(ApiToken.id).where(ApiToken.user_id == budi.id)).one()

        response = client.delete(f"/api/v1/users/{rina.id}/tokens/{token_id}")

        assert response.status_code == 404
        assert session.get(ApiToken, token_id).revoked_at is None  # type: ignore[union-attr]
