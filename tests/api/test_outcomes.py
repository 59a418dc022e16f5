"""Outcomes through the JSON API: the tree, measurements and rolled-up progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from governance.models import (
    AuditEntry,
    Collaboration,
    Measurement,
    Outcome,
    Stakeholder,
    outcome_commitments,
    outcome_meetings,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_outcome,
    make_stakeholder,
)

URL = "/api/v1/outcomes"
DELETED = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date.today()


@dataclass(frozen=True)
class World:
    collaboration_id: int
    other_collaboration_id: int
    commitment_id: int
    other_commitment_id: int
    deleted_commitment_id: int
    foreign_commitment_id: int
    meeting_id: int
    foreign_meeting_id: int
    foreign_outcome_id: int
    deleted_outcome_id: int
    evidence_id: int
    deleted_evidence_id: int


@pytest.fixture
def world(session: Session) -> World:
    collaboration = make_collaboration(session)
    other = make_collaboration(session, name="Flood relief")
    owner = make_stakeholder(session)
    return World(
        collaboration_id=collaboration.id,
        other_collaboration_id=other.id,
        commitment_id=make_commitment(session, collaboration, owner).id,
        other_commitment_id=make_commitment(session, collaboration, owner).id,
        deleted_commitment_id=make_commitment(session, collaboration, owner, deleted_at=DELETED).id,
        foreign_commitment_id=make_commitment(session, other, owner).id,
        meeting_id=make_meeting(session, make_forum(session, collaboration)).id,
        foreign_meeting_id=make_meeting(session, make_forum(session, other)).id,
        foreign_outcome_id=make_outcome(session, other).id,
        deleted_outcome_id=make_outcome(session, collaboration, deleted_at=DELETED).id,
        evidence_id=make_evidence(session).id,
        deleted_evidence_id=make_evidence(session, title="Retracted", deleted_at=DELETED).id,
    )


def body(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "collaboration_id": world.collaboration_id,
        "title": "Unserved households added to DTKS",
        "level": "outcome",
        "unit": "households",
        "baseline": 0,
        "target": 400,
        "started_on": "2020-06-01",
        "due_on": "2020-12-31",
    }
    return values | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def measure(client: TestClient, outcome_id: int, value: float, on: str = "2020-09-01") -> Any:
    response = client.post(
        f"{URL}/{outcome_id}/measurements", json={"measured_on": on, "value": value}
    )
    assert response.status_code == 201, response.text
    return response.json()


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def count(session: Session, table: Any) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


class TestCreate:
    def test_a_new_outcome_has_defaults_and_no_progress(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        assert (created["weight"], created["baseline"], created["target"]) == (1.0, 0.0, 400.0)
        assert created["progress"] == 0.0
        assert (created["latest_value"], created["latest_measured_on"]) == (None, None)
        assert (created["children_ids"], created["measurements"]) == ([], [])
        assert (created["commitment_ids"], created["meeting_ids"]) == ([], [])
        assert created["version"] == 1

    def test_links_to_commitments_and_meetings_are_stored(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(
            client,
            world,
            commitment_ids=[world.other_commitment_id, world.commitment_id, world.commitment_id],
            meeting_ids=[world.meeting_id],
        )

        assert created["commitment_ids"] == sorted([world.commitment_id, world.other_commitment_id])
        assert created["meeting_ids"] == [world.meeting_id]
        assert count(session, outcome_commitments) == 2
        assert count(session, outcome_meetings) == 1
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "outcome", AuditEntry.record_id == created["id"]
            )
        ).one()
        assert entry.action == "create"
        assert entry.changes["title"] == [None, "Unserved households added to DTKS"]
        assert entry.changes["commitment_ids"] == [[], created["commitment_ids"]]
        assert entry.changes["meeting_ids"] == [[], [world.meeting_id]]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            (lambda w: {"target": 0}, "target"),
            (lambda w: {"baseline": 400}, "target"),
            (lambda w: {"weight": 0}, "weight"),
            (lambda w: {"weight": -1}, "weight"),
            (lambda w: {"due_on": "2020-05-31"}, "due_on"),
            (lambda w: {"level": "big_win"}, "level"),
            (lambda w: {"title": ""}, "title"),
            (lambda w: {"target": 1e16}, "target"),
            (lambda w: {"baseline": "lots"}, "baseline"),
            (lambda w: {"collaboration_id": 999_999}, "collaboration_id"),
            (lambda w: {"parent_id": 999_999}, "parent_id"),
            (lambda w: {"parent_id": w.deleted_outcome_id}, "parent_id"),
            (lambda w: {"parent_id": w.foreign_outcome_id}, "parent_id"),
            (lambda w: {"commitment_ids": [w.foreign_commitment_id]}, "commitment_ids"),
            (lambda w: {"commitment_ids": [w.deleted_commitment_id]}, "commitment_ids"),
            (lambda w: {"commitment_ids": [999_999]}, "commitment_ids"),
            (lambda w: {"meeting_ids": [w.foreign_meeting_id]}, "meeting_ids"),
            (lambda w: {"progress": 50}, "progress"),
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
        before = count(session, Outcome)

        response = client.post(URL, json=body(world, **overrides(world)))

        assert response.status_code == 422, response.text
        assert fields(response) == [field]
        assert count(session, Outcome) == before
        assert count(session, outcome_commitments) == 0


class TestUpdate:
    def test_patch_changes_fields_and_replaces_links(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world, commitment_ids=[world.commitment_id])

        response = client.patch(
            f"{URL}/{created['id']}",
            json={
                "version": 1,
                "title": "Households verified",
                "commitment_ids": [world.other_commitment_id],
                "meeting_ids": [world.meeting_id],
            },
        )

        assert response.status_code == 200, response.text
        updated = response.json()
        assert updated["title"] == "Households verified"
        assert updated["commitment_ids"] == [world.other_commitment_id]
        assert updated["meeting_ids"] == [world.meeting_id]
        assert updated["version"] == 2

    def test_changing_only_links_moves_the_version_and_is_audited(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "commitment_ids": [world.commitment_id]}
        )

        assert response.json()["version"] == 2
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "outcome", AuditEntry.action == "update"
            )
        ).one()
        assert entry.changes == {"commitment_ids": [[], [world.commitment_id]]}

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"target": 0}, "target"),  # equal to the stored baseline
            ({"baseline": 400}, "target"),  # equal to the stored target
            ({"due_on": "2020-05-01"}, "due_on"),  # before the stored started_on
            ({"started_on": "2021-01-01"}, "due_on"),  # after the stored due_on
            ({"weight": 0}, "weight"),
            ({"target": None}, "target"),
            ({"collaboration_id": 1}, "collaboration_id"),
        ],
    )
    def test_a_patch_is_checked_against_the_stored_values(
        self, client: TestClient, world: World, change: dict[str, Any], field: str
    ) -> None:
        created = create(client, world)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1} | change)

        assert response.status_code == 422, response.text
        assert fields(response) == [field]
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_an_outcome_cannot_be_its_own_ancestor(self, client: TestClient, world: World) -> None:
        root = create(client, world, title="Root")
        child = create(client, world, title="Child", parent_id=root["id"])
        grandchild = create(client, world, title="Grandchild", parent_id=child["id"])

        under_grandchild = client.patch(
            f"{URL}/{root['id']}", json={"version": 1, "parent_id": grandchild["id"]}
        )
        under_itself = client.patch(
            f"{URL}/{root['id']}", json={"version": 1, "parent_id": root["id"]}
        )

        assert (under_grandchild.status_code, under_itself.status_code) == (422, 422)
        assert fields(under_grandchild) == fields(under_itself) == ["parent_id"]
        assert "its own ancestor" in under_grandchild.json()["errors"][0]["message"]
        assert client.get(f"{URL}/{root['id']}").json()["parent_id"] is None

    def test_an_outcome_can_move_to_another_branch(self, client: TestClient, world: World) -> None:
        root = create(client, world, title="Root")
        left = create(client, world, title="Left", parent_id=root["id"])
        right = create(client, world, title="Right", parent_id=root["id"])

        response = client.patch(
            f"{URL}/{right['id']}", json={"version": 1, "parent_id": left["id"]}
        )

        assert response.status_code == 200
        assert client.get(f"{URL}/{left['id']}").json()["children_ids"] == [right["id"]]
        assert client.get(f"{URL}/{root['id']}").json()["children_ids"] == [left["id"]]

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "title": "Verified"})

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "title": "Lost", "commitment_ids": [world.commitment_id]},
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        after = client.get(f"{URL}/{created['id']}").json()
        assert (after["title"], after["commitment_ids"]) == ("Verified", [])


class TestMeasurements:
    def test_a_measurement_moves_progress(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.post(
            f"{URL}/{created['id']}/measurements",
            json={
                "measured_on": "2020-09-01",
                "value": 100,
                "note": "After the first DTKS update",
                "evidence_ids": [world.evidence_id],
            },
        )

        assert response.status_code == 201, response.text
        outcome = response.json()
        assert outcome["progress"] == 25.0
        assert (outcome["latest_value"], outcome["latest_measured_on"]) == (100.0, "2020-09-01")
        [measurement] = outcome["measurements"]
        assert measurement["version"] == 1
        assert measurement["note"] == "After the first DTKS update"
        assert measurement["evidence_ids"] == [world.evidence_id]

    def test_the_latest_is_by_date_not_by_entry(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        measure(client, created["id"], 300, on="2020-11-01")
        measure(client, created["id"], 100, on="2020-09-01")

        outcome = measure(client, created["id"], 200, on="2020-10-01")

        assert [m["measured_on"] for m in outcome["measurements"]] == [
            "2020-09-01",
            "2020-10-01",
            "2020-11-01",
        ]
        assert (outcome["latest_value"], outcome["progress"]) == (300.0, 75.0)

    def test_progress_is_clamped_to_the_target(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        over = measure(client, created["id"], 900)

        assert over["progress"] == 100.0

    def test_a_decreasing_target(self, client: TestClient, world: World) -> None:
        created = create(client, world, title="Exclusion errors per 1,000", baseline=100, target=20)

        halfway = measure(client, created["id"], 60, on="2020-08-01")
        worse = measure(client, created["id"], 120, on="2020-09-01")
        beyond = measure(client, created["id"], 10, on="2020-10-01")

        assert (halfway["progress"], worse["progress"], beyond["progress"]) == (50.0, 0.0, 100.0)

    def test_a_correction_is_versioned(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        [measurement] = measure(client, created["id"], 100)["measurements"]
        url = f"{URL}/{created['id']}/measurements/{measurement['id']}"

        corrected = client.patch(url, json={"version": 1, "value": 200})
        stale = client.patch(url, json={"version": 1, "value": 50})

        assert corrected.status_code == 200, corrected.text
        assert corrected.json()["progress"] == 50.0
        assert corrected.json()["measurements"][0]["version"] == 2
        assert stale.status_code == 409
        assert client.get(f"{URL}/{created['id']}").json()["latest_value"] == 200.0

    def test_evidence_can_be_replaced(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        [measurement] = measure(client, created["id"], 100)["measurements"]

        response = client.patch(
            f"{URL}/{created['id']}/measurements/{measurement['id']}",
            json={"version": 1, "evidence_ids": [world.evidence_id]},
        )

        assert response.status_code == 200, response.text
        assert response.json()["measurements"][0]["evidence_ids"] == [world.evidence_id]
        assert response.json()["measurements"][0]["version"] == 2

    def test_a_deleted_measurement_no_longer_counts(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        measure(client, created["id"], 100, on="2020-09-01")
        [_, last] = measure(client, created["id"], 300, on="2020-10-01")["measurements"]

        response = client.delete(
            f"{URL}/{created['id']}/measurements/{last['id']}", params={"version": 1}
        )

        assert response.status_code == 200, response.text
        assert (response.json()["latest_value"], response.json()["progress"]) == (100.0, 25.0)
        assert [m["value"] for m in response.json()["measurements"]] == [100.0]
        again = client.delete(f"{URL}/{created['id']}/measurements/{last['id']}")
        assert again.status_code == 404

    def test_a_measurement_of_another_outcome_is_404(
        self, client: TestClient, world: World
    ) -> None:
        first = create(client, world)
        second = create(client, world, title="Second")
        [measurement] = measure(client, first["id"], 100)["measurements"]

        response = client.patch(
            f"{URL}/{second['id']}/measurements/{measurement['id']}",
            json={"version": 1, "value": 5},
        )

        assert response.status_code == 404
        assert client.get(f"{URL}/{first['id']}").json()["latest_value"] == 100.0

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            (lambda w: {"value": "many"}, "value"),
            (lambda w: {"value": 1e300}, "value"),
            (lambda w: {"value": None}, "value"),
            (lambda w: {"measured_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "measured_on"),
            (lambda w: {"evidence_ids": [w.deleted_evidence_id]}, "evidence_ids"),
            (lambda w: {"evidence_ids": [999_999]}, "evidence_ids"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self,
        client: TestClient,
        session: Session,
        world: World,
        payload: Callable[[World], dict[str, Any]],
        field: str,
    ) -> None:
        created = create(client, world)

        response = client.post(
            f"{URL}/{created['id']}/measurements",
            json={"measured_on": "2020-09-01", "value": 100} | payload(world),
        )

        assert response.status_code == 422, response.text
        assert fields(response) == [field]
        assert count(session, Measurement) == 0

    def test_non_finite_values_are_refused(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.post(
            f"{URL}/{created['id']}/measurements",
            content=b'{"measured_on": "2020-09-01", "value": NaN}',
            headers={"content-type": "application/json"},
        )

        assert response.status_code == 422
        assert client.get(f"{URL}/{created['id']}").json()["measurements"] == []

    def test_measurements_of_a_deleted_outcome_are_404(
        self, client: TestClient, world: World
    ) -> None:
        response = client.post(
            f"{URL}/{world.deleted_outcome_id}/measurements",
            json={"measured_on": "2020-09-01", "value": 1},
        )

        assert response.status_code == 404

    def test_measurements_are_audited(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        [measurement] = measure(client, created["id"], 100)["measurements"]

        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "measurement", AuditEntry.record_id == measurement["id"]
            )
        ).one()
        assert entry.action == "create"
        assert entry.changes["value"] == [None, 100.0]


class TestRollUp:
    def test_a_parent_is_the_weighted_mean_of_its_children_three_levels_deep(
        self, client: TestClient, world: World
    ) -> None:
        root = create(client, world, title="Bansos reaches the unserved", baseline=0, target=1)
        verified = create(
            client, world, title="Households verified", parent_id=root["id"], weight=2
        )
        fed = create(
            client, world, title="Households fed", parent_id=root["id"], target=10, weight=1
        )
        listed = create(
            client, world, title="Listed", parent_id=verified["id"], target=100, weight=1
        )
        errors = create(
            client,
            world,
            title="Exclusion errors",
            parent_id=verified["id"],
            baseline=100,
            target=20,
            weight=3,
        )
        measure(client, listed["id"], 50)  # 50 %
        measure(client, errors["id"], 40)  # (40 − 100) / (20 − 100) = 75 %
        measure(client, fed["id"], 2)  # 20 %
        measure(client, root["id"], 1)  # a parent's own measurement does not count

        got = {o["id"]: o for o in client.get(URL, params={"limit": 100}).json()["items"]}

        assert got[verified["id"]]["progress"] == pytest.approx((1 * 50 + 3 * 75) / 4)  # 68.75
        assert got[root["id"]]["progress"] == pytest.approx((2 * 68.75 + 1 * 20) / 3)  # 52.5
        assert got[root["id"]]["latest_value"] == 1.0
        assert got[root["id"]]["children_ids"] == [verified["id"], fed["id"]]
        assert got[verified["id"]]["children_ids"] == [listed["id"], errors["id"]]
        assert client.get(f"{URL}/{root['id']}").json()["progress"] == pytest.approx(52.5)

    def test_a_deleted_child_no_longer_counts(self, client: TestClient, world: World) -> None:
        parent = create(client, world, title="Parent")
        done = create(client, world, title="Done", parent_id=parent["id"])
        idle = create(client, world, title="Idle", parent_id=parent["id"])
        measure(client, done["id"], 400)
        assert client.get(f"{URL}/{parent['id']}").json()["progress"] == 50.0

        client.delete(f"{URL}/{idle['id']}")

        after = client.get(f"{URL}/{parent['id']}").json()
        assert (after["progress"], after["children_ids"]) == (100.0, [done["id"]])
        trashed = client.get(f"{URL}/{idle['id']}", params={"include_deleted": True}).json()
        assert trashed["progress"] == 0.0


class TestSearch:
    def test_filters_and_order(self, client: TestClient, world: World) -> None:
        root = create(client, world, title="Bansos reaches the unserved")
        win = create(client, world, title="First audit", level="small_win", parent_id=root["id"])
        plan = create(client, world, title="Joint plan", level="strategic_plan")

        def ids(**params: Any) -> list[int]:
            found = client.get(URL, params=params).json()["items"]
            return [item["id"] for item in found]

        assert ids(collaboration_id=world.collaboration_id) == [root["id"], win["id"], plan["id"]]
        assert ids(collaboration_id=world.other_collaboration_id) == [world.foreign_outcome_id]
        assert ids(parent_id=root["id"]) == [win["id"]]
        assert ids(level="strategic_plan") == [plan["id"]]
        assert ids(q="AUDIT") == [win["id"]]

    def test_an_unknown_level_is_422(self, client: TestClient) -> None:
        response = client.get(URL, params={"level": "big_win"})

        assert response.status_code == 422
        assert fields(response) == ["level"]


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    """Every SQL statement the test's connection runs, while the fixture is active."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(connection.engine, "before_cursor_execute", record)
    yield seen
    event.remove(connection.engine, "before_cursor_execute", record)


class TestListQueries:
    def add(self, session: Session, world: World, how_many: int) -> None:
        collaboration = session.get_one(Collaboration, world.collaboration_id)
        parent = make_outcome(session, collaboration, title="Parent")
        owner = session.get_one(Stakeholder, make_stakeholder(session, name="Owner").id)
        for n in range(how_many):
            outcome = make_outcome(session, collaboration, parent_id=parent.id, title=f"O{n}")
            session.add_all(
                [
                    Measurement(outcome_id=outcome.id, measured_on=dt.date(2020, 9, 1), value=n),
                    Measurement(outcome_id=outcome.id, measured_on=dt.date(2020, 10, 1), value=500),
                ]
            )
            commitment = make_commitment(session, collaboration, owner)
            session.flush()
            session.execute(
                outcome_commitments.insert().values(
                    outcome_id=outcome.id, commitment_id=commitment.id
                )
            )
        session.flush()

    def test_a_page_of_30_runs_as_many_statements_as_a_page_of_3(
        self, client: TestClient, session: Session, world: World, statements: list[str]
    ) -> None:
        self.add(session, world, 3)
        statements.clear()
        small = client.get(URL, params={"limit": 100}).json()
        for_three = len(statements)
        self.add(session, world, 27)
        statements.clear()

        large = client.get(URL, params={"limit": 100}).json()

        assert (small["total"], large["total"]) == (5, 33)
        leaves = [item for item in large["items"] if item["title"].startswith("O")]
        assert all(item["progress"] == 50.0 for item in leaves)
        assert all(len(item["measurements"]) == 2 for item in leaves)
        assert all(len(item["commitment_ids"]) == 1 for item in leaves)
        assert len(statements) == for_three
