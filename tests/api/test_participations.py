"""Participations (a stakeholder in a collaboration, in a role) through the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.base import utcnow
from governance.models import Collaboration, Participation, Stakeholder
from governance.vocab import ParticipationRole, Sector
from tests.factories import make_collaboration, make_participation, make_stakeholder

URL = "/api/v1/participations"


@dataclass(frozen=True)
class World:
    collaboration: Collaboration
    stakeholder: Stakeholder
    deleted_collaboration: Collaboration
    deleted_stakeholder: Stakeholder


@pytest.fixture
def world(session: Session) -> World:
    return World(
        collaboration=make_collaboration(session),
        stakeholder=make_stakeholder(session),
        deleted_collaboration=make_collaboration(session, name="Gone", deleted_at=utcnow()),
        deleted_stakeholder=make_stakeholder(session, name="Gone", deleted_at=utcnow()),
    )


def body(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "collaboration_id": world.collaboration.id,
        "stakeholder_id": world.stakeholder.id,
        "role": "participant",
        "joined_on": "2020-04-01",
        "left_on": "2022-12-31",
        "incentives": "Members left out of the aid lists",
        "constraints": "Few organisers; no data access",
    }
    return values | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Participation)) or 0


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


class TestCreate:
    def test_returns_the_record_as_read_back(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        assert client.get(f"{URL}/{created['id']}").json() == created
        assert {key: created[key] for key in body(world)} == body(world)
        assert created["version"] == 1

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            (lambda w: {"collaboration_id": 999999}, "collaboration_id"),
            (lambda w: {"collaboration_id": w.deleted_collaboration.id}, "collaboration_id"),
            (lambda w: {"collaboration_id": "bansos"}, "collaboration_id"),
            (lambda w: {"stakeholder_id": 999999}, "stakeholder_id"),
            (lambda w: {"stakeholder_id": w.deleted_stakeholder.id}, "stakeholder_id"),
            (lambda w: {"stakeholder_id": None}, "stakeholder_id"),
            (lambda w: {"role": "leader"}, "role"),
            (lambda w: {"joined_on": "2021-01-01", "left_on": "2020-12-31"}, "left_on"),
            (lambda w: {"joined_on": "yesterday"}, "joined_on"),
            (lambda w: {"incentives": 5}, "incentives"),
            (lambda w: {"colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self,
        client: TestClient,
        session: Session,
        world: World,
        overrides: Callable[[World], dict[str, Any]],
        field: str,
    ) -> None:
        response = client.post(URL, json=body(world, **overrides(world)))

        assert response.status_code == 422
        assert field in fields(response)
        assert stored(session) == 0

    def test_every_broken_reference_is_reported_at_once(
        self, client: TestClient, world: World
    ) -> None:
        response = client.post(
            URL,
            json=body(
                world,
                collaboration_id=world.deleted_collaboration.id,
                stakeholder_id=999999,
                left_on="2020-01-01",
            ),
        )

        assert response.status_code == 422
        assert sorted(fields(response)) == ["collaboration_id", "left_on", "stakeholder_id"]

    def test_a_second_live_participation_is_refused(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        first = create(client, world)

        response = client.post(URL, json=body(world, role="observer"))

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "stakeholder_id",
                "message": f"stakeholder {world.stakeholder.id} already participates in "
                f"collaboration {world.collaboration.id} (participation {first['id']})",
            }
        ]
        assert stored(session) == 1

    def test_the_stakeholder_may_join_again_after_a_delete(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        first = create(client, world)
        client.delete(f"{URL}/{first['id']}")

        again = client.post(URL, json=body(world, joined_on="2021-01-01"))

        assert again.status_code == 201
        assert stored(session) == 2

    def test_the_same_stakeholder_may_join_another_collaboration(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        create(client, world)
        other = make_collaboration(session, name="Banjir")

        response = client.post(URL, json=body(world, collaboration_id=other.id))

        assert response.status_code == 201


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "role": "convener", "left_on": None}
        )

        assert response.status_code == 200
        assert response.json()["role"] == "convener"
        assert response.json()["left_on"] is None
        assert response.json()["incentives"] == created["incentives"]
        assert response.json()["version"] == 2

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            ({"left_on": "2020-03-31"}, "left_on"),
            ({"joined_on": "2023-01-01"}, "left_on"),
            ({"collaboration_id": 1}, "collaboration_id"),
            ({"stakeholder_id": 1}, "stakeholder_id"),
            ({"role": None}, "role"),
            ({"role": "leader"}, "role"),
        ],
    )
    def test_bad_patch_changes_nothing(
        self, client: TestClient, world: World, patch: dict[str, Any], field: str
    ) -> None:
        created = create(client, world)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1} | patch)

        assert response.status_code == 422
        assert field in fields(response)
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "role": "convener"})

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "role": "observer"})

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["role"] == "convener"


class TestDeleteAndRestore:
    def test_deleted_participations_leave_the_list_and_come_back(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.status_code == 200
        assert restored.json()["deleted_at"] is None
        assert restored.json()["version"] == 3
        assert client.get(URL).json()["total"] == 1

    def test_restore_is_refused_when_the_stakeholder_joined_again(
        self, client: TestClient, world: World
    ) -> None:
        first = create(client, world)
        client.delete(f"{URL}/{first['id']}")
        second = create(client, world, joined_on="2021-01-01")

        response = client.post(f"{URL}/{first['id']}/restore")

        assert response.status_code == 422
        assert fields(response) == ["stakeholder_id"]
        assert f"participation {second['id']}" in response.json()["errors"][0]["message"]
        assert client.get(f"{URL}/{first['id']}").status_code == 404

    def test_restore_of_an_unknown_id_is_404(self, client: TestClient) -> None:
        assert client.post(f"{URL}/999999/restore").status_code == 404


class TestSearch:
    @pytest.fixture
    def ids(self, session: Session) -> dict[str, int]:
        """Ids of collaborations, stakeholders and "collaboration/stakeholder" participations."""
        bansos = make_collaboration(session, name="Bansos")
        banjir = make_collaboration(session, name="Banjir")
        spri = make_stakeholder(session, name="SPRI")
        dinsos = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
        warga = make_stakeholder(session, name="Warga RW 05")
        made = {
            "bansos/spri": make_participation(
                session, bansos, spri, role=ParticipationRole.CONVENER
            ),
            "bansos/dinsos": make_participation(session, bansos, dinsos),
            "bansos/warga": make_participation(
                session, bansos, warga, role=ParticipationRole.AFFECTED_GROUP
            ),
            "banjir/spri": make_participation(session, banjir, spri),
            "banjir/dinsos": make_participation(session, banjir, dinsos, deleted_at=utcnow()),
        }
        return {key: record.id for key, record in made.items()} | {
            "bansos": bansos.id,
            "banjir": banjir.id,
            "spri": spri.id,
            "dinsos": dinsos.id,
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (
                lambda ids: {"collaboration_id": ids["bansos"]},
                ["bansos/spri", "bansos/dinsos", "bansos/warga"],
            ),
            (lambda ids: {"stakeholder_id": ids["dinsos"]}, ["bansos/dinsos"]),
            (lambda ids: {"role": "participant"}, ["bansos/dinsos", "banjir/spri"]),
            (
                lambda ids: {"collaboration_id": ids["banjir"], "role": "participant"},
                ["banjir/spri"],
            ),
            (lambda ids: {"q": "SOSIAL"}, ["bansos/dinsos"]),
            (lambda ids: {"collaboration_id": ids["banjir"], "role": "observer"}, []),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        ids: dict[str, int],
        params: Callable[[dict[str, int]], dict[str, Any]],
        expected: list[str],
    ) -> None:
        found = client.get(URL, params=params(ids)).json()

        assert [item["id"] for item in found["items"]] == [ids[key] for key in expected]
        assert found["total"] == len(expected)

    def test_pages_in_a_stable_order(self, client: TestClient, ids: dict[str, int]) -> None:
        everything = client.get(URL).json()["items"]

        page = client.get(URL, params={"limit": 2, "offset": 1}).json()

        assert [item["id"] for item in page["items"]] == [item["id"] for item in everything[1:3]]
        assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)

    def test_deleted_ones_are_listed_on_request(
        self, client: TestClient, ids: dict[str, int]
    ) -> None:
        found = client.get(URL, params={"include_deleted": True}).json()

        assert found["total"] == 5

    def test_unknown_role_is_422(self, client: TestClient) -> None:
        response = client.get(URL, params={"role": "leader"})

        assert response.status_code == 422
        assert fields(response) == ["role"]


class TestAudit:
    def test_create_and_update_are_logged_with_before_and_after(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "role": "facilitator", "constraints": "Busy"},
        )

        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "participation", AuditEntry.record_id == created["id"])
            .order_by(AuditEntry.id)
        ).all()

        assert [entry.action for entry in entries] == ["create", "update"]
        assert entries[0].changes["stakeholder_id"] == [None, world.stakeholder.id]
        assert entries[0].changes["role"] == [None, "participant"]
        assert entries[0].changes["joined_on"] == [None, "2020-04-01"]
        assert entries[1].changes == {
            "role": ["participant", "facilitator"],
            "constraints": ["Few organisers; no data access", "Busy"],
        }
