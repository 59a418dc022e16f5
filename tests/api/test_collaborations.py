"""Collaborations (the cases) through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.collaborations.models import Collaboration
from tests.conftest import SignedInClient

URL = "/api/v1/collaborations"


def bansos(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Koalisi Pemantau Bansos",
        "description": "Fixing social-assistance distribution during COVID-19",
        "policy_domain": "social assistance",
        "place": "DKI Jakarta",
        "started_on": "2020-04-01",
        "ended_on": "2022-12-31",
        "status": "concluded",
    }
    return body | overrides


def create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=bansos(**overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Collaboration)) or 0


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


class TestCreate:
    def test_returns_the_record_as_read_back(self, client: TestClient) -> None:
        created = create(client)

        read = client.get(f"{URL}/{created['id']}").json()

        assert read == created
        assert created["version"] == 1
        assert created["deleted_at"] is None
        assert {key: created[key] for key in bansos()} == bansos()

    def test_optional_fields_have_defaults(self, client: TestClient) -> None:
        created = client.post(URL, json={"name": "Bansos"}).json()

        assert created["status"] == "active"
        assert (created["description"], created["policy_domain"], created["place"]) == ("", "", "")
        assert (created["started_on"], created["ended_on"]) == (None, None)

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": " " * 3}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"policy_domain": "x" * 201}, "policy_domain"),
            ({"place": "x" * 201}, "place"),
            ({"status": "finished"}, "status"),
            ({"started_on": "April 2020"}, "started_on"),
            ({"started_on": "2020-04-01", "ended_on": "2020-03-31"}, "ended_on"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self, client: TestClient, session: Session, overrides: dict[str, Any], field: str
    ) -> None:
        response = client.post(URL, json=bansos(**overrides))

        assert response.status_code == 422
        assert field in fields(response)
        assert stored(session) == 0


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient) -> None:
        created = create(client)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "status": "paused", "ended_on": None}
        )

        assert response.status_code == 200
        assert response.json()["status"] == "paused"
        assert response.json()["ended_on"] is None
        assert response.json()["name"] == created["name"]
        assert response.json()["version"] == 2

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            ({"ended_on": "2020-03-01"}, "ended_on"),
            ({"started_on": "2023-01-01"}, "ended_on"),
            ({"name": None}, "name"),
            ({"status": None}, "status"),
            ({"id": 5}, "id"),
        ],
    )
    def test_bad_patch_against_stored_values_changes_nothing(
        self, client: TestClient, patch: dict[str, Any], field: str
    ) -> None:
        created = create(client)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1} | patch)

        assert response.status_code == 422
        assert field in fields(response)
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(self, client: TestClient) -> None:
        created = create(client)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "place": "Jakarta"})

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "place": "Bogor"})

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["place"] == "Jakarta"

    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.patch(f"{URL}/999999", json={"version": 1, "name": "x"})

        assert response.status_code == 404
        assert response.json()["detail"] == "Collaboration 999999 not found"


class TestDeleteAndRestore:
    def test_deleted_collaborations_leave_the_list_and_come_back(self, client: TestClient) -> None:
        created = create(client)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404
        assert client.get(URL, params={"include_deleted": True}).json()["total"] == 1

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.status_code == 200
        assert restored.json()["deleted_at"] is None
        assert client.get(f"{URL}/{created['id']}").status_code == 200


class TestSearch:
    @pytest.fixture
    def cases(self, client: TestClient) -> None:
        create(client, name="Bansos Jakarta", started_on="2020-04-01", status="concluded")
        create(client, name="Bansos Bogor", started_on="2021-01-15", ended_on=None)
        create(client, name="Banjir Jakarta", started_on="2021-06-01", status="active")
        create(client, name="Sampah Bekasi", started_on=None, ended_on=None, status="planned")

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            ({"status": "concluded"}, ["Bansos Bogor", "Bansos Jakarta"]),
            ({"status": "planned"}, ["Sampah Bekasi"]),
            ({"q": "bansos"}, ["Bansos Bogor", "Bansos Jakarta"]),
            ({"q": "JAKARTA"}, ["Banjir Jakarta", "Bansos Jakarta"]),
            ({"started_from": "2021-01-01"}, ["Banjir Jakarta", "Bansos Bogor"]),
            ({"started_to": "2021-01-15"}, ["Bansos Bogor", "Bansos Jakarta"]),
            ({"started_from": "2021-01-16", "started_to": "2021-12-31"}, ["Banjir Jakarta"]),
            ({"q": "50%"}, []),
        ],
    )
    @pytest.mark.usefixtures("cases")
    def test_filters(self, client: TestClient, params: dict[str, Any], names: list[str]) -> None:
        found = client.get(URL, params=params).json()

        assert [item["name"] for item in found["items"]] == names
        assert found["total"] == len(names)

    @pytest.mark.usefixtures("cases")
    def test_pages_in_name_order(self, client: TestClient) -> None:
        page = client.get(URL, params={"limit": 2, "offset": 1}).json()

        assert [item["name"] for item in page["items"]] == ["Bansos Bogor", "Bansos Jakarta"]
        assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "finished"}, "status"),
            ({"limit": 0}, "limit"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_filters_name_the_field(
        self, client: TestClient, params: dict[str, Any], field: str
    ) -> None:
        response = client.get(URL, params=params)

        assert response.status_code == 422
        assert fields(response) == [field]

    def test_a_backwards_date_range_is_refused(self, client: TestClient) -> None:
        response = client.get(
            URL, params={"started_from": "2021-02-01", "started_to": "2021-01-01"}
        )

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "started_to", "message": "must not be before started_from (2021-02-01)"}
        ]


class TestAudit:
    def test_create_and_update_are_logged_with_before_and_after(
        self, client: SignedInClient, session: Session
    ) -> None:
        created = create(client)
        client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "name": "KPB", "status": "concluded", "ended_on": "2022-06-30"},
        )

        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "collaboration", AuditEntry.record_id == created["id"])
            .order_by(AuditEntry.id)
        ).all()

        assert [entry.action for entry in entries] == ["create", "update"]
        assert (entries[0].actor, entries[0].user_id) == (client.user.name, client.user.id)
        assert entries[0].changes["name"] == [None, "Koalisi Pemantau Bansos"]
        assert entries[0].changes["started_on"] == [None, "2020-04-01"]
        assert entries[0].changes["status"] == [None, "concluded"]
        assert entries[1].changes == {
            "name": ["Koalisi Pemantau Bansos", "KPB"],
            "ended_on": ["2022-12-31", "2022-06-30"],
        }
