"""Every route × every role: the answer the access rules promise, found by asking.

The rules are written here, independently of the ``ACCESS`` the modules declare, as a
table by path prefix: if a module declares the wrong access (or none, and gets records'
by default), the walk disagrees. Routes come from ``app.routes``, so a new route is
checked the day it appears; path parameters are ids of live demo records.

- Anonymous visitors: 401 JSON from the API, a redirect to the sign-in page from a page,
  a refusal for any page write; only the public pages, the public API, the health check,
  the API docs and the sign-in page answer them.
- Viewers read (everything but the stewards' and the admins' areas) and write nothing
  but their own account. Researchers also write assessments and evidence. The
  secretariat writes records and reads the audit log and the trash. Admins do everything.

"Allowed" means anything but 401/403 and never a server error: the walk sends empty
bodies, so an allowed write answers 400/404/409/422 or redirects.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from api import auth
from governance.audit.service import SYSTEM
from governance.demo.loader import load_demo
from governance.models import Stakeholder, User
from governance.users import service as user_service
from governance.vocab import UserRole
from tests.conftest import sign_in
from tests.security.walk import Endpoint, Filler, a_token_id, endpoints

ROLES = ("anonymous", "viewer", "researcher", "secretariat", "admin")

# -- the rules, by path prefix -----------------------------------------------------------

#: Anyone, signed in or not, reads these.
PUBLIC = ("/public", "/api/v1/public", "/api/v1/health", "/login", "/docs", "/openapi.json")
#: One's own account: every signed-in user reads and writes it.
OWN_ACCOUNT = ("/account", "/logout", "/api/v1/me")
#: User administration: admins only.
ADMIN_ONLY = ("/users", "/api/v1/users")
#: The audit log and the trash: admins and the secretariat.
STEWARDS_ONLY = ("/audit", "/api/v1/audit", "/trash", "/api/v1/trash")
#: Pages that show a form (a GET whose POST saves it) are for those who may send it.
FORM_PAGES = ("/new", "/edit", "/log", "/complete", "/import")
#: Research records, which researchers write too (any path with one of these segments).
RESEARCH_SEGMENTS = frozenset({"assessments", "evidence"})

WRITERS = frozenset({"admin", "secretariat"})
RESEARCH_WRITERS = WRITERS | {"researcher"}


def under(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below one (``/users/{id}``, not ``/usersx``)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


def is_research(path: str) -> bool:
    return bool(RESEARCH_SEGMENTS & set(path.split("/")))


def allowed(endpoint: Endpoint, role: str) -> bool:
    """Whether ``role`` may use ``endpoint``, by the table above."""
    path = endpoint.path
    if under(path, PUBLIC):
        # The sign-in form posts before anyone is signed in; no other public route writes.
        return not endpoint.writes or path == "/login"
    if role == "anonymous":
        return False
    if under(path, OWN_ACCOUNT):
        return True
    if under(path, ADMIN_ONLY):
        return role == "admin"
    if under(path, STEWARDS_ONLY):
        return role in WRITERS
    shows_a_form = not endpoint.is_api and path.endswith(FORM_PAGES)
    if not endpoint.writes and not shows_a_form:
        return True
    return role in (RESEARCH_WRITERS if is_research(path) else WRITERS)


class TestTheRulesTable:
    """The table itself, on paths whose answer is not in doubt."""

    @pytest.mark.parametrize(
        ("method", "path", "role", "expected"),
        [
            ("GET", "/public/forums/{forum_id:int}", "anonymous", True),
            ("GET", "/stakeholders", "anonymous", False),
            ("GET", "/stakeholders", "viewer", True),
            ("POST", "/stakeholders/new", "viewer", False),
            ("GET", "/stakeholders/{stakeholder_id:int}/edit", "researcher", False),
            ("GET", "/collaborations/{collaboration_id:int}/meetings/log", "viewer", False),
            ("GET", "/assessments/{assessment_id:int}/edit", "researcher", True),
            ("POST", "/stakeholders/new", "researcher", False),
            ("POST", "/stakeholders/new", "secretariat", True),
            ("POST", "/api/v1/assessments", "researcher", True),
            ("PATCH", "/api/v1/evidence/{record_id}", "researcher", True),
            ("POST", "/collaborations/{collaboration_id:int}/evidence/new", "researcher", True),
            ("POST", "/collaborations/{collaboration_id:int}/import/preview", "researcher", False),
            ("GET", "/audit", "researcher", False),
            ("GET", "/trash", "secretariat", True),
            ("GET", "/users", "secretariat", False),
            ("GET", "/userstats", "viewer", True),
            ("POST", "/logout", "viewer", True),
            ("POST", "/api/v1/me/password", "viewer", True),
            ("POST", "/login", "anonymous", True),
        ],
    )
    def test_rule(self, method: str, path: str, role: str, expected: bool) -> None:
        assert allowed(Endpoint(path, method), role) is expected


# -- the walk ----------------------------------------------------------------------------


@dataclass
class World:
    filler: Filler
    clients: dict[str, TestClient]


def walk_order(found: list[Endpoint]) -> list[Endpoint]:
    """Reads first, then writes; signing out last (it ends the walker's session)."""
    return sorted(found, key=lambda e: (e.writes, e.path in ("/logout",), e.path, e.method))


def send(client: TestClient, endpoint: Endpoint, url: str) -> Response:
    if not endpoint.writes:
        return client.request(endpoint.method, url, follow_redirects=False)
    if endpoint.is_api:
        return client.request(endpoint.method, url, json={}, follow_redirects=False)
    return client.request(endpoint.method, url, data={"_": ""}, follow_redirects=False)


@pytest.fixture
def world(app: FastAPI, connection: Connection, session: Session) -> Iterator[World]:
    """The demo case, a user (with a token) for the user routes to name, a client per role."""
    load_demo(session)
    bystander = User(name="bystander", role=UserRole.VIEWER, password_hash="not a hash")
    session.add(bystander)
    session.flush()
    user_service.create_token(session, user=bystander, name="walked", actor=SYSTEM)
    session.commit()
    filler = Filler(session, user_id=bystander.id, token_id=a_token_id(session, bystander))
    with ExitStack() as stack:
        clients: dict[str, TestClient] = {}
        for role in ROLES:
            # Server errors are answers to report, not exceptions that stop the walk.
            client = stack.enter_context(TestClient(app, raise_server_exceptions=False))
            if role != "anonymous":
                sign_in(client, connection, role)
            else:
                # A real visitor's browser: its CSRF cookie and token, as the sign-in form
                # gives them, so only the role rules (not a missing token) refuse it.
                found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
                assert found, "the sign-in form has no CSRF token"
                client.headers[auth.CSRF_HEADER] = found.group(1)
            clients[role] = client
        yield World(filler, clients)


def judge(endpoint: Endpoint, role: str, response: Response) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if allowed(endpoint, role):
        if status in (401, 403):
            return f"refused ({status}) but the rules allow it"
        if role == "anonymous" and not endpoint.writes and status != 200:
            return f"public read answered {status}, expected 200"
        return None
    if role == "anonymous":
        if endpoint.is_api:
            is_json = response.headers.get("content-type", "").startswith("application/json")
            return None if status == 401 and is_json else f"{status}, expected 401 JSON"
        if endpoint.writes:
            return None if status in (303, 401, 403) else f"{status}, expected a refusal"
        location = response.headers.get("location", "")
        return (
            None
            if status == 303 and location.startswith("/login")
            else (f"{status} {location}, expected 303 to /login")
        )
    if status != 403:
        return f"{status}, expected 403"
    if endpoint.is_api and "detail" not in response.json():
        return "403 without a JSON detail"
    return None


def test_every_route_answers_every_role_as_the_rules_say(app: FastAPI, world: World) -> None:
    found = walk_order(endpoints(app))
    assert len(found) > 150, "the walk found too few routes"
    problems: list[str] = []
    for endpoint in found:
        url = world.filler.url(endpoint)
        for role in ROLES:
            response = send(world.clients[role], endpoint, url)
            problem = judge(endpoint, role, response)
            if problem:
                problems.append(f"{role:>11}  {endpoint.method:6} {url}: {problem}")
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems)


# -- personal data ------------------------------------------------------------------------


def test_only_stewards_see_stakeholders_contact_details(
    app: FastAPI, connection: Connection, session: Session
) -> None:
    load_demo(session)
    session.commit()
    everyone = session.scalars(select(Stakeholder).order_by(Stakeholder.id)).all()
    person = next(s for s in everyone if (s.contact or {}).get("email"))
    email = person.contact["email"]
    for role in ("viewer", "researcher", "secretariat", "admin"):
        with TestClient(app) as client:
            sign_in(client, connection, role)
            listed = client.get("/api/v1/stakeholders", params={"limit": 200}).json()["items"]
            one = client.get(f"/api/v1/stakeholders/{person.id}").json()
            pages = {
                path: client.get(path).text
                for path in (
                    f"/stakeholders/{person.id}",
                    f"/stakeholders/{person.id}/edit",
                    "/stakeholders",
                )
            }
        sees = role in ("secretariat", "admin")
        contacts = [item["contact"] for item in listed if item["contact"]]
        if sees:
            assert one["contact"]["email"] == email, role
            assert any(c.get("email") == email for c in contacts), role
            assert email in pages[f"/stakeholders/{person.id}"], role
        else:
            assert one["contact"] is None, role
            assert contacts == [], role
            leaks = [path for path, html in pages.items() if email in html]
            assert leaks == [], f"{role} sees {email} on {leaks}"


def unpacked(response: Response) -> bytes:
    """The export's bytes; a zip's members, one after the other."""
    if response.headers["content-type"] != "application/zip":
        return response.content
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_exports_carry_contact_details_only_for_stewards(
    app: FastAPI, connection: Connection, session: Session
) -> None:
    demo = load_demo(session)
    session.commit()
    everyone = session.scalars(select(Stakeholder).order_by(Stakeholder.id)).all()
    email = next(s.contact["email"] for s in everyone if (s.contact or {}).get("email"))
    seen = {}
    for role in ("viewer", "researcher", "secretariat"):
        with TestClient(app) as client:
            sign_in(client, connection, role)
            url = f"/api/v1/collaborations/{demo.collaboration_id}/export"
            answers = [client.get(url, params={"format": f}) for f in ("json", "csv", "research")]
            assert [a.status_code for a in answers] == [200, 200, 200], role
            seen[role] = [email.encode() in unpacked(a) for a in answers]

    assert seen == {
        "viewer": [False, False, False],
        "researcher": [False, False, False],
        "secretariat": [True, True, False],  # never in the research format
    }


def test_no_one_revokes_someone_elses_token_from_their_own_account(
    app: FastAPI, connection: Connection, session: Session
) -> None:
    owner = User(name="owner", role=UserRole.SECRETARIAT, password_hash="not a hash")
    session.add(owner)
    session.flush()
    token = user_service.create_token(session, user=owner, name="script", actor=SYSTEM)
    token_id = a_token_id(session, owner)
    session.commit()

    with TestClient(app) as other, TestClient(app) as script:
        sign_in(other, connection, "secretariat")
        by_api = other.delete(f"/api/v1/me/tokens/{token_id}")
        by_page = other.post(f"/account/tokens/{token_id}/revoke", follow_redirects=False)
        script.headers["authorization"] = f"Bearer {token}"
        still = script.get("/api/v1/me")

    assert by_api.status_code == 404
    assert by_page.status_code == 404
    assert still.status_code == 200
    assert still.json()["name"] == "owner"
