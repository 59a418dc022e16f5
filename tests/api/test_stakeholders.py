"""The stakeholder registry through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/stakeholders"


def spri(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "SPRI DKI Jakarta",
        "aliases": ["Serikat Perjuangan Rakyat Indonesia"],
        "kind": "organisation",
        "sector": "civil_society",
        "resources": {"staff": 2, "knowledge": 3},
        "contact": {"email": "sekretariat@example.org"},
    }
    return body | overrides


def create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=spri(**overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestCreate:
    def test_returns_the_record_with_version_one(self, client: TestClient) -> None:
        created = create(client)

        assert created["version"] == 1
        assert created["name"] == "SPRI DKI Jakarta"
        assert created["is_state"] is False
        assert created["resources"] == {
            "authority": None,
            "staff": 2,
            "budget": None,
            "data_access": None,
            "knowledge": 3,
        }

    def test_government_is_a_state_actor(self, client: TestClient) -> None:
        created = create(client, name="Dinas Sosial DKI", sector="government")

        assert created["is_state"] is True

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"kind": "company"}, "kind"),
            ({"sector": 7}, "sector"),
            ({"resources": {"budget": 5}}, "resources.budget"),
            ({"contact": {"email": "not-an-address"}}, "contact.email"),
            ({"colour": "red"}, "colour"),
            ({"aliases": "SPRI"}, "aliases"),
        ],
    )
    def test_bad_input_names_the_field(
        self, client: TestClient, overrides: dict[str, Any], field: str
    ) -> None:
        response = client.post(URL, json=spri(**overrides))

        assert response.status_code == 422
        assert field in [error["field"] for error in response.json()["errors"]]
        assert client.get(URL).json()["total"] == 0


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient) -> None:
        created = create(client)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": "SPRI"})

        assert response.status_code == 200
        assert response.json()["name"] == "SPRI"
        assert response.json()["aliases"] == created["aliases"]
        assert response.json()["version"] == 2

    def test_stale_version_is_refused_and_changes_nothing(self, client: TestClient) -> None:
        created = create(client)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": "SPRI"})

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": "Lost"})

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["name"] == "SPRI"

    def test_null_for_a_required_field_is_refused(self, client: TestClient) -> None:
        created = create(client)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": None})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "name"

    def test_unknown_id_is_404_json(self, client: TestClient) -> None:
        response = client.patch(f"{URL}/999999", json={"version": 1, "name": "x"})

        assert response.status_code == 404
        assert response.json()["detail"] == "Stakeholder 999999 not found"


class TestSearch:
    def test_search_matches_aliases_without_accents_or_case(self, client: TestClient) -> None:
        create(client)
        create(client, name="Dinas Sosial", aliases=["Dinsos"], sector="government")

        found = client.get(URL, params={"q": "PERJUANGAN"}).json()

        assert [item["name"] for item in found["items"]] == ["SPRI DKI Jakarta"]
        assert found["total"] == 1

    def test_filters_by_sector_and_pages_in_name_order(self, client: TestClient) -> None:
        for name in ["Warga RW 05", "Warga RW 01", "Warga RW 03"]:
            create(client, name=name, sector="community", kind="group")
        create(client)

        page = client.get(URL, params={"sector": "community", "limit": 2, "offset": 1}).json()

        assert [item["name"] for item in page["items"]] == ["Warga RW 03", "Warga RW 05"]
        assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


class TestDeleteAndRestore:
    def test_deleted_records_leave_the_list_and_come_back(self, client: TestClient) -> None:
        created = create(client)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404
        assert client.get(URL, params={"include_deleted": True}).json()["total"] == 1

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.json()["deleted_at"] is None
        assert client.get(URL).json()["total"] == 1

    def test_delete_with_a_stale_version_is_refused(self, client: TestClient) -> None:
        created = create(client)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": "SPRI"})

        response = client.delete(f"{URL}/{created['id']}", params={"version": 1})

        assert response.status_code == 409
        assert client.get(f"{URL}/{created['id']}").status_code == 200


class TestHostileText:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "SPRI\x00"}, "name"),
            ({"aliases": ["ok", "bad\x00"]}, "aliases"),
            ({"contact": {"note": "\x00"}}, "contact"),
        ],
    )
    def test_nul_characters_are_refused_on_every_database(
        self, client: TestClient, body: dict[str, Any], field: str
    ) -> None:
        response = client.post(URL, json=spri(**body))

        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == [field]

    def test_nul_in_a_search_is_refused(self, client: TestClient) -> None:
        response = client.get(URL, params={"q": "a\x00b"})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "q"
