"""The trust timeline through the JSON API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.models import AuditEntry, Collaboration, Evidence, Stakeholder, TrustEvent
from tests.factories import (
    make_collaboration,
    make_evidence,
    make_forum,
    make_meeting,
    make_stakeholder,
)

URL = "/api/v1/trust-events"


@dataclass(frozen=True)
class World:
    collaboration_id: int
    other_collaboration_id: int
    meeting_id: int
    foreign_meeting_id: int
    dinsos: int
    spri: int
    interview: int
    minutes: int


@pytest.fixture
def world(session: Session) -> World:
    collaboration = make_collaboration(session)
    other = make_collaboration(session, name="Flood relief")
    return World(
        collaboration_id=collaboration.id,
        other_collaboration_id=other.id,
        meeting_id=make_meeting(session, make_forum(session, collaboration)).id,
        foreign_meeting_id=make_meeting(session, make_forum(session, other)).id,
        dinsos=make_stakeholder(session, name="Dinas Sosial DKI", sector="government").id,
        spri=make_stakeholder(session, name="SPRI DKI Jakarta").id,
        interview=make_evidence(session).id,
        minutes=make_evidence(session, kind="minutes", title="Minutes, 2 June 2020").id,
    )


def event_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "collaboration_id": world.collaboration_id,
        "meeting_id": world.meeting_id,
        "occurred_on": "2020-06-02",
        "actor_id": world.dinsos,
        "target_id": world.spri,
        "kind": "information_shared",
        "trust_form": "procedural",
        "valence": "positive",
        "severity": 2,
        "description": "Dinsos shared the DTKS extract for the audited RWs",
        "evidence_ids": [world.minutes, world.interview],
    }
    return body | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=event_body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def error_fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def stored_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TrustEvent)) or 0


def delete(session: Session, model: type[Any], record_id: int) -> None:
    session.get_one(model, record_id).deleted_at = dt.datetime.now(dt.UTC)
    session.flush()


class TestCreate:
    def test_reads_back_with_its_evidence(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        assert created["version"] == 1
        assert (created["actor_id"], created["target_id"]) == (world.dinsos, world.spri)
        assert (created["kind"], created["trust_form"], created["valence"]) == (
            "information_shared",
            "procedural",
            "positive",
        )
        assert (created["severity"], created["occurred_on"]) == (2, "2020-06-02")
        assert created["evidence_ids"] == sorted([world.interview, world.minutes])
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_an_event_towards_the_whole_forum_has_no_target(
        self, client: TestClient, world: World
    ) -> None:
        body = event_body(world, kind="protest", valence="negative", trust_form="affinitive")
        for optional in ("meeting_id", "target_id", "severity", "description", "evidence_ids"):
            del body[optional]

        response = client.post(URL, json=body)

        assert response.status_code == 201
        created = response.json()
        assert (created["target_id"], created["meeting_id"], created["severity"]) == (None, None, 1)
        assert created["evidence_ids"] == []

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"severity": 0}, "severity"),
            ({"severity": 4}, "severity"),
            ({"valence": "neutral"}, "valence"),
            ({"kind": "gossip"}, "kind"),
            ({"trust_form": "blind"}, "trust_form"),
            ({"occurred_on": "2020-02-30"}, "occurred_on"),
            ({"actor_id": None}, "actor_id"),
            ({"evidence_ids": ["minutes"]}, "evidence_ids[0]"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_names_the_field(
        self,
        client: TestClient,
        session: Session,
        world: World,
        overrides: dict[str, Any],
        field: str,
    ) -> None:
        response = client.post(URL, json=event_body(world, **overrides))

        assert response.status_code == 422
        assert field in error_fields(response)
        assert stored_events(session) == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ("missing_collaboration", "collaboration_id"),
            ("deleted_collaboration", "collaboration_id"),
            ("missing_meeting", "meeting_id"),
            ("foreign_meeting", "meeting_id"),
            ("deleted_actor", "actor_id"),
            ("missing_target", "target_id"),
            ("target_is_actor", "target_id"),
            ("missing_evidence", "evidence_ids"),
            ("deleted_evidence", "evidence_ids"),
        ],
    )
    def test_broken_rules_name_the_field_and_store_nothing(
        self, client: TestClient, session: Session, world: World, change: str, field: str
    ) -> None:
        body = event_body(world)
        if change == "missing_collaboration":
            body["collaboration_id"] = 999_999
            body["meeting_id"] = None
        elif change == "deleted_collaboration":
            delete(session, Collaboration, world.collaboration_id)
        elif change == "missing_meeting":
            body["meeting_id"] = 999_999
        elif change == "foreign_meeting":
            body["meeting_id"] = world.foreign_meeting_id
        elif change == "deleted_actor":
            delete(session, Stakeholder, world.dinsos)
        elif change == "missing_target":
            body["target_id"] = 999_999
        elif change == "target_is_actor":
            body["target_id"] = world.dinsos
        elif change == "missing_evidence":
            body["evidence_ids"] = [world.minutes, 999_999]
        else:
            delete(session, Evidence, world.interview)

        response = client.post(URL, json=body)

        assert response.status_code == 422
        assert error_fields(response) == [field]
        assert stored_events(session) == 0

    def test_every_broken_reference_is_named_at_once(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        delete(session, Stakeholder, world.dinsos)
        body = event_body(world, meeting_id=world.foreign_meeting_id, target_id=999_999)
        body["evidence_ids"] = [world.minutes, 999_998]

        response = client.post(URL, json=body)

        assert response.status_code == 422
        assert [(error["field"], error["message"]) for error in response.json()["errors"]] == [
            (
                "meeting_id",
                f"meeting {world.foreign_meeting_id} belongs to collaboration "
                f"{world.other_collaboration_id}, not to collaboration {world.collaboration_id}",
            ),
            ("actor_id", f"stakeholder {world.dinsos} is deleted"),
            ("target_id", "stakeholder 999999 does not exist"),
            ("evidence_ids", "evidence 999998 does not exist or is deleted"),
        ]
        assert stored_events(session) == 0

    def test_create_is_audited(self, client: TestClient, session: Session, world: World) -> None:
        created = create(client, world)

        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "trust_event", AuditEntry.record_id == created["id"]
            )
        ).one()

        assert entry.action == "create"
        assert entry.changes["valence"] == [None, "positive"]


class TestUpdate:
    def test_patch_changes_fields_and_replaces_evidence(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "severity": 3, "target_id": None, "evidence_ids": [world.minutes]},
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["severity"], body["target_id"], body["version"]) == (3, None, 2)
        assert body["evidence_ids"] == [world.minutes]
        assert body["description"] == created["description"]
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "trust_event", AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        assert entry.changes["evidence_ids"] == [
            sorted([world.interview, world.minutes]),
            [world.minutes],
        ]
        assert entry.changes["target_id"] == [world.spri, None]

    def test_deleted_evidence_drops_out_of_the_read_shape(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        delete(session, Evidence, world.interview)

        assert client.get(f"{URL}/{created['id']}").json()["evidence_ids"] == [world.minutes]

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            ({"collaboration_id": 2}, "collaboration_id"),
            ({"actor_id": "spri"}, "target_id"),
            ({"target_id": "dinsos"}, "target_id"),
            ({"meeting_id": "foreign"}, "meeting_id"),
            ({"actor_id": 999_999}, "actor_id"),
            ({"severity": None}, "severity"),
            ({"evidence_ids": [999_999]}, "evidence_ids"),
        ],
    )
    def test_bad_patch_names_the_field_and_changes_nothing(
        self, client: TestClient, world: World, patch: dict[str, Any], field: str
    ) -> None:
        created = create(client, world)
        named = {
            "spri": world.spri,
            "dinsos": world.dinsos,
            "foreign": world.foreign_meeting_id,
        }
        patch = {
            key: named[value] if isinstance(value, str) else value for key, value in patch.items()
        }

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, **patch})

        assert response.status_code == 422
        assert error_fields(response) == [field]
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "severity": 3})

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "severity": 1, "evidence_ids": []}
        )

        assert response.status_code == 409
        current = client.get(f"{URL}/{created['id']}").json()
        assert (current["severity"], current["version"]) == (3, 2)
        assert current["evidence_ids"] == created["evidence_ids"]


class TestSearch:
    @pytest.fixture
    def events(self, client: TestClient, world: World) -> dict[str, int]:
        """Four events, created out of order; their ids by description."""
        specs = [
            ("C", "2020-07-01", world.spri, None, "negative", "protest", None),
            ("A", "2020-05-01", world.dinsos, world.spri, "positive", "joint_action", None),
            ("D", "2020-07-01", world.dinsos, world.spri, "negative", "conflict", None),
            ("B", "2020-06-02", world.spri, world.dinsos, "positive", "recognition", "meeting"),
        ]
        ids: dict[str, int] = {}
        for description, occurred_on, actor, target, valence, kind, meeting in specs:
            ids[description] = create(
                client,
                world,
                description=description,
                occurred_on=occurred_on,
                actor_id=actor,
                target_id=target,
                valence=valence,
                kind=kind,
                meeting_id=world.meeting_id if meeting else None,
                evidence_ids=[],
            )["id"]
        return ids

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, ["A", "B", "C", "D"]),
            ({"valence": "negative"}, ["C", "D"]),
            ({"kind": "recognition"}, ["B"]),
            ({"actor": "spri"}, ["B", "C"]),
            ({"target": "spri"}, ["A", "D"]),
            ({"meeting": True}, ["B"]),
            ({"occurred_from": "2020-06-02"}, ["B", "C", "D"]),
            ({"occurred_to": "2020-06-02"}, ["A", "B"]),
            ({"occurred_from": "2020-07-01", "occurred_to": "2020-07-01"}, ["C", "D"]),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        world: World,
        events: dict[str, int],
        params: dict[str, Any],
        expected: list[str],
    ) -> None:
        stakeholders = {"spri": world.spri, "dinsos": world.dinsos}
        if "actor" in params:
            params = {"actor_id": stakeholders[params["actor"]]}
        if "target" in params:
            params = {"target_id": stakeholders[params["target"]]}
        if "meeting" in params:
            params = {"meeting_id": world.meeting_id}

        page = client.get(URL, params=params).json()

        assert [item["description"] for item in page["items"]] == expected
        assert page["total"] == len(expected)

    def test_filters_by_collaboration(
        self, client: TestClient, world: World, events: dict[str, int]
    ) -> None:
        mine = client.get(URL, params={"collaboration_id": world.collaboration_id}).json()
        other = client.get(URL, params={"collaboration_id": world.other_collaboration_id}).json()

        assert (mine["total"], other["total"]) == (4, 0)

    def test_reversed_range_is_refused(self, client: TestClient) -> None:
        response = client.get(
            URL, params={"occurred_from": "2020-07-01", "occurred_to": "2020-06-01"}
        )

        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["occurred_to"]


class TestDeleteAndRestore:
    def test_deleted_events_leave_the_list_and_come_back(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.json()["deleted_at"] is None
        assert restored.json()["evidence_ids"] == created["evidence_ids"]
        assert client.get(URL).json()["total"] == 1
