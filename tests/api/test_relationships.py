"""Relationships between stakeholders through the JSON API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.relationships.models import Relationship
from governance.stakeholders.models import Stakeholder
from tests.factories import make_evidence, make_stakeholder

URL = "/api/v1/relationships"


@pytest.fixture
def spri(session: Session) -> Stakeholder:
    return make_stakeholder(session, name="SPRI DKI Jakarta")


@pytest.fixture
def coalition(session: Session) -> Stakeholder:
    return make_stakeholder(session, name="Koalisi Pemantau Bansos", kind="coalition")


def tie(source: Stakeholder, target: Stakeholder, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source_id": source.id,
        "target_id": target.id,
        "type": "member_of",
        "started_on": "2020-04-01",
        "note": "Joined at the coalition's founding meeting",
    }
    return body | overrides


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestCreate:
    def test_reads_with_labels_both_ways(
        self, client: TestClient, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        created = create(client, tie(spri, coalition))

        assert created["version"] == 1
        assert (created["source_id"], created["target_id"]) == (spri.id, coalition.id)
        assert created["label"] == "member of"
        assert created["reverse_label"] == "has member"
        assert created["symmetric"] is False
        assert created["strength"] == 2
        assert created["ended_on"] is None
        assert created["evidence_ids"] == []

    def test_symmetric_types_read_the_same_both_ways(
        self, client: TestClient, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        created = create(client, tie(spri, coalition, type="allied_with", strength=3))

        assert created["label"] == created["reverse_label"] == "allied with"
        assert created["symmetric"] is True
        assert created["strength"] == 3

    def test_links_evidence(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        minutes = make_evidence(session, kind="minutes", title="Founding minutes")
        interview = make_evidence(session, title="Interview")

        created = create(
            client, tie(spri, coalition, evidence_ids=[interview.id, minutes.id, minutes.id])
        )

        assert created["evidence_ids"] == sorted([minutes.id, interview.id])
        assert client.get(f"{URL}/{created['id']}").json()["evidence_ids"] == sorted(
            [minutes.id, interview.id]
        )
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "relationship", AuditEntry.record_id == created["id"]
            )
        ).one()
        assert entry.changes["evidence_ids"] == [None, sorted([minutes.id, interview.id])]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"source_id": None}, "source_id"),
            ({"target_id": "spri"}, "target_id"),
            ({"target_id": 999_999}, "target_id"),
            ({"source_id": 999_999}, "source_id"),
            ({"type": "married_to"}, "type"),
            ({"strength": 0}, "strength"),
            ({"strength": 4}, "strength"),
            ({"started_on": "2020-13-01"}, "started_on"),
            ({"ended_on": "2020-03-31"}, "ended_on"),
            ({"evidence_ids": [999_999]}, "evidence_ids"),
            ({"evidence_ids": "1"}, "evidence_ids"),
            ({"weight": 1}, "weight"),
        ],
    )
    def test_bad_input_names_the_field(
        self,
        client: TestClient,
        spri: Stakeholder,
        coalition: Stakeholder,
        overrides: dict[str, Any],
        field: str,
    ) -> None:
        response = client.post(URL, json=tie(spri, coalition, **overrides))

        assert response.status_code == 422
        assert field in [error["field"] for error in response.json()["errors"]]
        assert client.get(URL, params={"include_deleted": True}).json()["total"] == 0

    def test_a_stakeholder_cannot_be_related_to_itself(
        self, client: TestClient, spri: Stakeholder
    ) -> None:
        response = client.post(URL, json=tie(spri, spri))

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "target_id", "message": "a stakeholder cannot be related to itself"}
        ]
        assert client.get(URL).json()["total"] == 0

    def test_deleted_ends_and_evidence_are_refused(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        gone = make_stakeholder(session, name="Old coalition", deleted_at=dt.datetime.now(dt.UTC))
        withdrawn = make_evidence(session, deleted_at=dt.datetime.now(dt.UTC))

        to_deleted = client.post(URL, json=tie(spri, gone))
        with_deleted = client.post(URL, json=tie(spri, coalition, evidence_ids=[withdrawn.id]))

        assert to_deleted.json()["errors"] == [
            {"field": "target_id", "message": f"stakeholder {gone.id} is deleted"}
        ]
        assert with_deleted.json()["errors"][0]["field"] == "evidence_ids"
        assert session.scalars(select(Relationship)).all() == []


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(
        self, client: TestClient, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        created = create(client, tie(spri, coalition))

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "type": "represents", "strength": 1}
        )

        assert response.status_code == 200
        assert response.json()["version"] == 2
        assert response.json()["label"] == "represents"
        assert response.json()["reverse_label"] == "is represented by"
        assert response.json()["note"] == created["note"]

    def test_evidence_can_be_replaced_and_cleared(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        first, second = make_evidence(session, title="First"), make_evidence(session, title="2nd")
        created = create(client, tie(spri, coalition, evidence_ids=[first.id]))

        replaced = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "evidence_ids": [second.id]}
        ).json()
        cleared = client.patch(
            f"{URL}/{created['id']}", json={"version": 2, "evidence_ids": []}
        ).json()

        assert (replaced["evidence_ids"], replaced["version"]) == ([second.id], 2)
        assert (cleared["evidence_ids"], cleared["version"]) == ([], 3)
        logged = session.scalars(
            select(AuditEntry.changes)
            .where(AuditEntry.record_type == "relationship", AuditEntry.action == "update")
            .order_by(AuditEntry.id)
        ).all()
        assert [changes["evidence_ids"] for changes in logged] == [
            [[first.id], [second.id]],
            [[second.id], []],
        ]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"ended_on": "2020-03-31"}, "ended_on"),
            ({"started_on": "2022-01-01"}, "ended_on"),
            ({"strength": None}, "strength"),
            ({"type": None}, "type"),
            ({"target_id": 999_999}, "target_id"),
            ({"evidence_ids": [999_999]}, "evidence_ids"),
        ],
    )
    def test_checks_the_state_after_the_patch(
        self,
        client: TestClient,
        spri: Stakeholder,
        coalition: Stakeholder,
        changes: dict[str, Any],
        field: str,
    ) -> None:
        created = create(client, tie(spri, coalition, ended_on="2021-12-31"))

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, **changes})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
        assert client.get(f"{URL}/{created['id']}").json() == created

    @pytest.mark.parametrize("end", ["source_id", "target_id"])
    def test_patch_cannot_make_a_tie_to_itself(
        self, client: TestClient, spri: Stakeholder, coalition: Stakeholder, end: str
    ) -> None:
        created = create(client, tie(spri, coalition))
        other_end = coalition.id if end == "source_id" else spri.id

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, end: other_end})

        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "target_id", "message": "a stakeholder cannot be related to itself"}
        ]
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        evidence = make_evidence(session)
        created = create(client, tie(spri, coalition))
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "strength": 3})

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "strength": 1, "evidence_ids": [evidence.id]},
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        current = client.get(f"{URL}/{created['id']}").json()
        assert (current["strength"], current["evidence_ids"]) == (3, [])


class TestSearch:
    def test_stakeholder_id_matches_either_end(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        dinsos = make_stakeholder(session, name="Dinas Sosial", sector="government")
        outgoing = create(client, tie(spri, coalition))
        incoming = create(client, tie(dinsos, spri, type="funds"))
        create(client, tie(dinsos, coalition, type="advises"))

        found = client.get(URL, params={"stakeholder_id": spri.id}).json()

        assert sorted(item["id"] for item in found["items"]) == [outgoing["id"], incoming["id"]]
        assert found["total"] == 2

    def test_filters_by_source_target_and_type(
        self, client: TestClient, session: Session, spri: Stakeholder, coalition: Stakeholder
    ) -> None:
        dinsos = make_stakeholder(session, name="Dinas Sosial", sector="government")
        member = create(client, tie(spri, coalition))
        allied = create(client, tie(spri, dinsos, type="allied_with"))
        advises = create(client, tie(dinsos, coalition, type="advises"))

        def ids(**params: Any) -> list[int]:
            return [item["id"] for item in client.get(URL, params=params).json()["items"]]

        assert ids(source_id=spri.id) == [member["id"], allied["id"]]
        assert ids(target_id=coalition.id) == [member["id"], advises["id"]]
        assert ids(type="advises") == [advises["id"]]
        assert ids(source_id=spri.id, type="allied_with") == [allied["id"]]

    @pytest.mark.parametrize(
        ("active_on", "expected"),
        [
            ("2019-12-31", ["open start", "undated"]),
            ("2020-04-01", ["bounded", "open start", "undated"]),
            ("2021-06-30", ["bounded", "open start", "undated"]),
            ("2021-07-01", ["undated"]),
            ("2021-07-02", ["open end", "undated"]),
        ],
    )
    def test_active_on_counts_open_ends_as_in_force(
        self,
        client: TestClient,
        spri: Stakeholder,
        coalition: Stakeholder,
        active_on: str,
        expected: list[str],
    ) -> None:
        for note, started_on, ended_on in [
            ("bounded", "2020-04-01", "2021-06-30"),
            ("undated", None, None),
            ("open start", None, "2021-06-30"),
            ("open end", "2021-07-02", None),
        ]:
            create(
                client,
                tie(spri, coalition, note=note, started_on=started_on, ended_on=ended_on),
            )

        found = client.get(URL, params={"active_on": active_on}).json()

        assert sorted(item["note"] for item in found["items"]) == expected

    def test_bad_filters_name_the_field(self, client: TestClient) -> None:
        response = client.get(URL, params={"active_on": "soon", "type": "x"})

        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"active_on", "type"}


class TestPresent:
    @pytest.fixture
    def statements(self, connection: Connection) -> Iterator[list[str]]:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(connection, "before_cursor_execute", count)
        yield seen
        event.remove(connection, "before_cursor_execute", count)

    def test_a_page_loads_evidence_in_one_query(
        self,
        client: TestClient,
        session: Session,
        spri: Stakeholder,
        coalition: Stakeholder,
        statements: list[str],
    ) -> None:
        evidence = make_evidence(session)
        for _ in range(2):
            create(client, tie(spri, coalition, evidence_ids=[evidence.id]))
        statements.clear()
        small = client.get(URL, params={"limit": 1}).json()
        queries_for_one = len(statements)
        for _ in range(5):
            create(client, tie(spri, coalition, evidence_ids=[evidence.id]))
        statements.clear()

        large = client.get(URL).json()

        assert len(small["items"]) == 1
        assert len(large["items"]) == 7
        assert all(item["evidence_ids"] == [evidence.id] for item in large["items"])
        assert 0 < len(statements) == queries_for_one
