"""The audit log's JSON API: read-only, for stewards, in the standard list shape."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.pages import audit as audit_pages
from api.routes import audit as audit_routes
from governance.audit import queries as audit_queries
from governance.audit import service as audit_service
from governance.audit.models import AuditEntry
from tests.conftest import SignedInClient

URL = "/api/v1/audit"


def entry(session: Session, **fields: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "at": dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC),
        "actor": "alice",
        "action": "update",
        "record_type": "forum",
        "record_id": 1,
        "changes": {"name": ["Forum", "Forum bansos"]},
    }
    row = AuditEntry(**(values | fields))
    session.add(row)
    session.commit()
    return row


class TestList:
    def test_standard_list_shape_newest_first(
        self, client: SignedInClient, session: Session
    ) -> None:
        older = entry(session, at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        newer = entry(session, at=dt.datetime(2020, 2, 1, tzinfo=dt.UTC))
        answer = client.get(URL, params={"record_type": "forum", "limit": 1}).json()
        assert answer["total"] == 2
        assert (answer["limit"], answer["offset"]) == (1, 0)
        assert [item["id"] for item in answer["items"]] == [newer.id]
        second = client.get(URL, params={"record_type": "forum", "limit": 1, "offset": 1}).json()
        assert [item["id"] for item in second["items"]] == [older.id]

    def test_an_item_says_who_when_what_and_the_changes(
        self, client: SignedInClient, session: Session
    ) -> None:
        row = entry(session, user_id=client.user.id, actor=client.user.name, record_id=9)
        item = client.get(URL, params={"record_type": "forum", "record_id": 9}).json()["items"][0]
        assert item == {
            "id": row.id,
            "at": "2020-06-01T12:00:00Z",
            "user_id": client.user.id,
            "actor": client.user.name,
            "action": "update",
            "record_type": "forum",
            "record_id": 9,
            "changes": {"name": ["Forum", "Forum bansos"]},
        }

    def test_filters_by_user_action_and_time(
        self, client: SignedInClient, session: Session
    ) -> None:
        mine = entry(session, user_id=client.user.id, action="delete")
        entry(session, action="delete")
        entry(session, user_id=client.user.id, action="create")
        found = client.get(URL, params={"user_id": client.user.id, "action": "delete"}).json()
        assert [item["id"] for item in found["items"]] == [mine.id]
        by_day = client.get(URL, params={"since": "2020-06-01", "until": "2020-06-01"}).json()
        assert by_day["total"] == 3
        later = client.get(URL, params={"since": "2020-06-01T12:00:01Z"}).json()
        assert later["total"] == 0

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"record_id": "x"}, "record_id"),
            ({"since": "yesterday"}, "since"),
            ({"since": "2020-06-02", "until": "2020-06-01"}, "until"),
            ({"limit": 0}, "limit"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_filters_are_422_naming_the_field(
        self, client: SignedInClient, params: dict[str, Any], field: str
    ) -> None:
        response = client.get(URL, params=params)
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == [field]


class TestGet:
    def test_one_entry(self, client: SignedInClient, session: Session) -> None:
        row = entry(session, changes={"password_hash": ["a", "b"], "role": ["viewer", "admin"]})
        answer = client.get(f"{URL}/{row.id}").json()
        assert answer["id"] == row.id
        assert answer["changes"] == {"role": ["viewer", "admin"]}

    def test_unknown_entry_is_404(self, client: SignedInClient) -> None:
        response = client.get(f"{URL}/2147483647")
        assert response.status_code == 404
        assert "not found" in response.json()["detail"]


class TestWhoMayRead:
    @pytest.mark.parametrize("role", ["viewer", "researcher"])
    def test_readers_and_researchers_are_refused(
        self, client_as: Callable[[str], SignedInClient], session: Session, role: str
    ) -> None:
        row = entry(session)
        client = client_as(role)
        assert client.get(URL).status_code == 403
        assert client.get(f"{URL}/{row.id}").status_code == 403

    def test_secretariat_reads(self, client_as: Callable[[str], SignedInClient]) -> None:
        assert client_as("secretariat").get(URL).status_code == 200

    def test_anonymous_is_401(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get(URL).status_code == 401


class TestAppendOnly:
    def test_no_route_changes_or_removes_an_entry(self, app: FastAPI) -> None:
        modules = (audit_routes.router, audit_pages.router)
        methods = {
            method
            for router in modules
            for route in router.routes
            if isinstance(route, APIRoute)
            for method in route.methods or ()
        }
        assert methods == {"GET"}
        documented = {
            method
            for path, operations in app.openapi()["paths"].items()
            if path.startswith(URL)
            for method in operations
        }
        assert documented == {"get"}

    @pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
    def test_writing_to_an_entry_is_405(
        self, client: SignedInClient, session: Session, method: str
    ) -> None:
        row = entry(session)
        response = client.request(method, f"{URL}/{row.id}", json={"actor": "mallory"})
        assert response.status_code == 405
        session.refresh(row)
        assert row.actor == "alice"

    def test_the_service_offers_only_appending(self) -> None:
        functions = {
            name
            for name, member in inspect.getmembers(audit_service, inspect.isfunction)
            if member.__module__ == audit_service.__name__
        }
        assert functions == {"snapshot", "to_json", "diff", "record", "entry"}

    def test_the_reading_module_never_writes(self) -> None:
        tree = ast.parse(inspect.getsource(audit_queries))
        session_calls = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        }
        assert session_calls <= {"get", "scalar", "scalars", "execute"}
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy"
            for alias in node.names
        }
        assert imported & {"update", "delete", "insert"} == set()
