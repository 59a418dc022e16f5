"""The admins' user pages: the list, a new user, a user's role and state, password reset,
their tokens; and that no other role gets in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.users import passwords, signin
from governance.users import service as user_service
from governance.users.models import ApiToken, User
from governance.vocab import UserRole
from tests.conftest import TEST_PASSWORD, SignedInClient
from tests.pages.html import field_error, input_value, text_of

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


def reachable(browser: TestClient) -> bool:
    """Whether the browser is still signed in (a page needing sign-in answers 200)."""
    response = browser.get("/account", follow_redirects=False)
    return response.status_code == 200


def edit(client: TestClient, user: User, *, role: str, active: bool, version: int) -> object:
    data = {"role": role, "version": str(version)}
    if active:
        data["active"] = "1"
    return client.post(f"/users/{user.id}", data=data, follow_redirects=False)


class TestAccess:
    @pytest.mark.parametrize("role", ["secretariat", "researcher", "viewer"])
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/users"),
            ("GET", "/users/new"),
            ("POST", "/users/new"),
            ("GET", "/users/{id}"),
            ("POST", "/users/{id}"),
            ("POST", "/users/{id}/password"),
        ],
    )
    def test_other_roles_are_refused(
        self,
        client_as: Callable[[str], SignedInClient],
        session: Session,
        role: str,
        method: str,
        path: str,
    ) -> None:
        target = make_user(session)
        browser = client_as(role)

        response = browser.request(
            method, path.format(id=target.id), data={"role": "admin", "version": "1"}
        )

        assert response.status_code == 403
        session.expire_all()
        assert session.get(User, target.id).role == UserRole.VIEWER  # type: ignore[union-attr]

    def test_only_admins_see_the_users_link(
        self, client: SignedInClient, client_as: Callable[[str], SignedInClient]
    ) -> None:
        link = '<a href="/users"'

        assert link in client.get("/account").text
        assert link not in client_as("secretariat").get("/account").text

    def test_anonymous_visitors_are_sent_to_sign_in(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/users", follow_redirects=False)

        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


class TestList:
    def test_lists_every_user_with_role_state_and_last_sign_in(
        self, client: SignedInClient, session: Session
    ) -> None:
        rina = make_user(session, "rina", UserRole.RESEARCHER)
        user_service.update_user(
            session, user=rina, version=rina.version, active=False, actor=ADMIN
        )
        session.commit()

        response = client.get("/users")

        assert response.status_code == 200
        rows = {
            text_of(row).split(" ")[0]: text_of(row)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", response.text, re.S)[1:]
        }
        assert rows["rina"] == "rina Researcher Disabled Never"
        assert rows[client.user.name].startswith(f"{client.user.name} Administrator Active ")
        assert "Never" not in rows[client.user.name]
        assert 'aria-current="page">Users<' in response.text


class TestNewUser:
    def test_creates_a_user(self, client: SignedInClient, session: Session) -> None:
        response = client.post(
            "/users/new",
            data={
                "name": " budi ",
                "role": "secretariat",
                "password": GOOD_PASSWORD,
                "password_repeat": GOOD_PASSWORD,
            },
            follow_redirects=False,
        )

        assert response.status_code == 303
        user = user_service.get_by_name(session, "budi")
        assert user is not None
        assert user.role == UserRole.SECRETARIAT
        assert response.headers["location"] == f"/users/{user.id}"
        assert user_service.authenticate(session, name="budi", password=GOOD_PASSWORD)
        assert "User budi created." in text_of(client.get(response.headers["location"]).text)

    def test_every_problem_beside_its_field_and_nothing_saved(
        self, client: SignedInClient, session: Session
    ) -> None:
        make_user(session, "rina")

        response = client.post(
            "/users/new",
            data={
                "name": "RINA",
                "role": "viewer",
                "password": "short",
                "password_repeat": "shorter",
            },
        )

        assert response.status_code == 400
        html = response.text
        assert (
            field_error(html, "name") == "A user named 'RINA' already exists; choose another name."
        )
        assert field_error(html, "password") == "Use at least 12 characters."
        assert field_error(html, "password_repeat") == (
            "The two passwords differ; type the same password twice."
        )
        assert input_value(html, "name") == "RINA"
        assert input_value(html, "password") == ""
        assert input_value(html, "role") == "viewer"
        assert len(user_service.list_users(session)) == 2  # the admin and rina

    def test_a_common_password_is_refused(self, client: SignedInClient) -> None:
        response = client.post(
            "/users/new",
            data={
                "name": "budi",
                "role": "viewer",
                "password": "Password1234",
                "password_repeat": "Password1234",
            },
        )

        assert field_error(response.text, "password") == (
            "This is one of the most common passwords; choose another."
        )


class TestEditUser:
    def test_changes_the_role(self, client: SignedInClient, session: Session) -> None:
        rina = make_user(session)

        response = edit(client, rina, role="secretariat", active=True, version=rina.version)

        assert response.status_code == 303  # type: ignore[attr-defined]
        session.expire_all()
        assert session.get(User, rina.id).role == UserRole.SECRETARIAT  # type: ignore[union-attr]

    def test_a_stale_version_is_refused_and_nothing_overwritten(
        self, client: SignedInClient, session: Session
    ) -> None:
        rina = make_user(session)
        loaded = rina.version
        user_service.update_user(
            session, user=rina, version=loaded, role=UserRole.RESEARCHER, actor=ADMIN
        )
        session.commit()
        # A sign-in is filed under the user too; it must not count as a change.
        signin.start_session(session, user=rina, address="10.1.1.1", user_agent="x")
        session.commit()

        response = edit(client, rina, role="secretariat", active=False, version=loaded)

        assert response.status_code == 409  # type: ignore[attr-defined]
        html = response.text  # type: ignore[attr-defined]
        page = text_of(html)
        assert "Someone else changed this record while you were editing it" in page
        assert "by test-admin" in page
        assert "“Viewer” → “Researcher”" in page
        assert input_value(html, "role") == "secretariat"  # the user's input is kept
        assert input_value(html, "version") == str(loaded + 1)
        session.expire_all()
        stored = session.get(User, rina.id)
        assert stored is not None
        assert (stored.role, stored.active) == (UserRole.RESEARCHER, True)

    def test_disabling_ends_the_users_sessions_at_once(
        self, client: SignedInClient, client_as: Callable[[str], SignedInClient], session: Session
    ) -> None:
        viewer = client_as("viewer")
        assert reachable(viewer)
        target = session.get(User, viewer.user.id)
        assert target is not None

        response = edit(client, target, role="viewer", active=False, version=target.version)

        assert response.status_code == 303  # type: ignore[attr-defined]
        assert not reachable(viewer)
        assert viewer.get("/api/v1/me").status_code == 401
        session.expire_all()
        assert not user_service.authenticate(session, name=target.name, password=TEST_PASSWORD)

    @pytest.mark.parametrize(
        ("role", "active", "field"), [("viewer", True, "role"), ("admin", False, "active")]
    )
    def test_an_admin_cannot_demote_or_disable_themselves(
        self, client: SignedInClient, session: Session, role: str, active: bool, field: str
    ) -> None:
        me = session.get(User, client.user.id)
        assert me is not None

        response = edit(client, me, role=role, active=active, version=me.version)

        assert response.status_code == 400  # type: ignore[attr-defined]
        assert field_error(response.text, field) == (  # type: ignore[attr-defined]
            "You cannot remove your own admin rights or disable your own account; "
            "ask another administrator."
        )
        session.expire_all()
        stored = session.get(User, me.id)
        assert stored is not None
        assert (stored.role, stored.active) == (UserRole.ADMIN, True)
        assert reachable(client)


class TestResetPassword:
    def test_sets_the_password_and_ends_their_sessions(
        self, client: SignedInClient, client_as: Callable[[str], SignedInClient], session: Session
    ) -> None:
        researcher = client_as("researcher")

        response = client.post(
            f"/users/{researcher.user.id}/password",
            data={"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD},
            follow_redirects=False,
        )

        assert response.status_code == 303
        assert not reachable(researcher)
        session.expire_all()
        assert user_service.authenticate(session, name=researcher.user.name, password=GOOD_PASSWORD)

    def test_a_weak_password_is_refused_beside_the_field(
        self, client: SignedInClient, session: Session
    ) -> None:
        rina = make_user(session)

        response = client.post(
            f"/users/{rina.id}/password", data={"password": "short", "password_repeat": "short"}
        )

        assert response.status_code == 400
        assert field_error(response.text, "password") == "Use at least 12 characters."
        assert input_value(response.text, "password") == ""

    def test_ones_own_password_is_changed_on_the_account_page(self, client: SignedInClient) -> None:
        response = client.post(
            f"/users/{client.user.id}/password",
            data={"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD},
        )

        assert response.status_code == 400
        assert "Change your own password on your account page." in text_of(response.text)
        assert reachable(client)


class TestTokens:
    def test_lists_and_revokes_a_users_token(
        self, client: SignedInClient, session: Session, anonymous_client: TestClient
    ) -> None:
        rina = make_user(session)
        token = user_service.create_token(session, user=rina, name="rina's script", actor=ADMIN)
        session.commit()
        token_id = session.scalars(select(ApiToken.id).where(ApiToken.user_id == rina.id)).one()
        assert "rina's script" in text_of(client.get(f"/users/{rina.id}").text)

        response = client.post(f"/users/{rina.id}/tokens/{token_id}/revoke", follow_redirects=False)

        assert response.status_code == 303
        bearer = {"authorization": f"Bearer {token}"}
        assert anonymous_client.get("/api/v1/me", headers=bearer).status_code == 401

    def test_a_token_of_another_user_is_not_found(
        self, client: SignedInClient, session: Session
    ) -> None:
        rina = make_user(session, "rina")
        budi = make_user(session, "budi")
        token = user_service.create_token(session, user=budi, name="budi's", actor=ADMIN)
        session.commit()
        token_id = session.scalars(select(ApiToken.id).where(ApiToken.user_id == budi.id)).one()

        response = client.post(f"/users/{rina.id}/tokens/{token_id}/revoke")

        assert response.status_code == 404
        assert user_service.find_token(session, token) is not None
