"""Forums (design, ground rules and the six criteria) through the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.base import utcnow
from governance.forums.schemas import GroundRules
from governance.models import Collaboration, Evidence, Forum, ForumCriterion, Stakeholder
from governance.vocab import Criterion, GroundRule
from tests.factories import make_collaboration, make_evidence, make_forum, make_stakeholder

URL = "/api/v1/forums"
CRITERIA = [criterion.value for criterion in Criterion]
NO_GROUND_RULES = dict.fromkeys((rule.value for rule in GroundRule), False)


@dataclass(frozen=True)
class World:
    collaboration: Collaboration
    convener: Stakeholder
    facilitator: Stakeholder
    minutes: Evidence
    interview: Evidence
    deleted_collaboration: Collaboration
    deleted_stakeholder: Stakeholder
    deleted_evidence: Evidence


@pytest.fixture
def world(session: Session) -> World:
    return World(
        collaboration=make_collaboration(session),
        convener=make_stakeholder(session, name="Dinas Sosial DKI"),
        facilitator=make_stakeholder(session, name="SPRI DKI Jakarta"),
        minutes=make_evidence(session, title="Minutes, first forum"),
        interview=make_evidence(session),
        deleted_collaboration=make_collaboration(session, name="Gone", deleted_at=utcnow()),
        deleted_stakeholder=make_stakeholder(session, name="Gone", deleted_at=utcnow()),
        deleted_evidence=make_evidence(session, title="Gone", deleted_at=utcnow()),
    )


def body(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "collaboration_id": world.collaboration.id,
        "name": "Forum Bansos",
        "purpose": "Match the coalition's audit with the DTKS",
        "convener_id": world.convener.id,
        "facilitator_id": world.facilitator.id,
        "established_on": "2020-05-01",
        "closed_on": "2022-12-31",
        "inclusiveness": "open",
        "decision_rule": "consensus",
        "ground_rules": {"terms_of_reference": True, "schedule": True},
        "public": True,
        "criteria": [
            {
                "criterion": "participants_decide",
                "rating": "partial",
                "note": "The agency decides after hearing the coalition",
                "evidence_ids": [world.interview.id, world.minutes.id],
            },
            {"criterion": "initiated_by_public_agency", "rating": "met"},
        ],
    }
    return values | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def stored(session: Session) -> tuple[int, int]:
    """How many forums and criterion rows the database holds."""
    forums = session.scalar(select(func.count()).select_from(Forum)) or 0
    criteria = session.scalar(select(func.count()).select_from(ForumCriterion)) or 0
    return forums, criteria


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def rated(forum: dict[str, Any]) -> dict[str, tuple[str | None, list[int]]]:
    return {
        item["criterion"]: (item["rating"], item["evidence_ids"])
        for item in forum["criteria"]
        if item["rating"] is not None
    }


class TestCreate:
    def test_returns_the_record_as_read_back(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        assert client.get(f"{URL}/{created['id']}").json() == created
        assert created["version"] == 1
        assert created["name"] == "Forum Bansos"
        assert created["convener_id"] == world.convener.id
        assert created["public"] is True

    def test_read_lists_every_ground_rule_and_criterion(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        assert created["ground_rules"] == NO_GROUND_RULES | {
            "terms_of_reference": True,
            "schedule": True,
        }
        assert [item["criterion"] for item in created["criteria"]] == CRITERIA
        assert created["criteria"][0] == {
            "criterion": "initiated_by_public_agency",
            "rating": "met",
            "note": "",
            "evidence_ids": [],
        }
        assert created["criteria"][2] == {
            "criterion": "participants_decide",
            "rating": "partial",
            "note": "The agency decides after hearing the coalition",
            "evidence_ids": sorted([world.minutes.id, world.interview.id]),
        }
        assert created["criteria"][5] == {
            "criterion": "public_policy",
            "rating": None,
            "note": "",
            "evidence_ids": [],
        }
        assert created["criteria_met"] == 1

    def test_only_the_collaboration_and_name_are_required(
        self, client: TestClient, world: World
    ) -> None:
        response = client.post(
            URL, json={"collaboration_id": world.collaboration.id, "name": "Forum"}
        )

        assert response.status_code == 201
        created = response.json()
        assert created["ground_rules"] == NO_GROUND_RULES
        assert [item["rating"] for item in created["criteria"]] == [None] * 6
        assert (created["criteria_met"], created["public"]) == (0, False)
        assert (created["inclusiveness"], created["decision_rule"]) == ("invited", "consensus")

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            (lambda w: {"collaboration_id": 999999}, "collaboration_id"),
            (lambda w: {"collaboration_id": w.deleted_collaboration.id}, "collaboration_id"),
            (lambda w: {"collaboration_id": None}, "collaboration_id"),
            (lambda w: {"name": ""}, "name"),
            (lambda w: {"convener_id": 999999}, "convener_id"),
            (lambda w: {"convener_id": w.deleted_stakeholder.id}, "convener_id"),
            (lambda w: {"facilitator_id": w.deleted_stakeholder.id}, "facilitator_id"),
            (lambda w: {"facilitator_id": 0}, "facilitator_id"),
            (lambda w: {"established_on": "2021-01-01", "closed_on": "2020-12-31"}, "closed_on"),
            (lambda w: {"inclusiveness": "secret"}, "inclusiveness"),
            (lambda w: {"decision_rule": "vote"}, "decision_rule"),
            (lambda w: {"public": "sometimes"}, "public"),
            (lambda w: {"ground_rules": {"agenda": True}}, "ground_rules.agenda"),
            (lambda w: {"ground_rules": {"roles": "maybe"}}, "ground_rules.roles"),
            (lambda w: {"ground_rules": ["roles"]}, "ground_rules"),
            (
                lambda w: {
                    "criteria": [
                        {"criterion": "aims_at_consensus", "rating": "met"},
                        {"criterion": "public_policy", "rating": "met"},
                        {"criterion": "aims_at_consensus", "rating": "partial"},
                    ]
                },
                "criteria[2].criterion",
            ),
            (
                lambda w: {"criteria": [{"criterion": "is_legitimate", "rating": "met"}]},
                "criteria[0].criterion",
            ),
            (
                lambda w: {"criteria": [{"criterion": "public_policy", "rating": "yes"}]},
                "criteria[0].rating",
            ),
            (
                lambda w: {"criteria": [{"criterion": "public_policy"}]},
                "criteria[0].rating",
            ),
            (
                lambda w: {
                    "criteria": [
                        {"criterion": "public_policy", "rating": "met", "evidence_ids": [999999]}
                    ]
                },
                "criteria[0].evidence_ids",
            ),
            (
                lambda w: {
                    "criteria": [
                        {"criterion": "public_policy", "rating": "met"},
                        {
                            "criterion": "aims_at_consensus",
                            "rating": "met",
                            "evidence_ids": [w.minutes.id, w.deleted_evidence.id],
                        },
                    ]
                },
                "criteria[1].evidence_ids",
            ),
            (
                lambda w: {
                    "criteria": [{"criterion": "public_policy", "rating": "met", "weight": 2}]
                },
                "criteria[0].weight",
            ),
            (lambda w: {"criteria_met": 6}, "criteria_met"),
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
        assert stored(session) == (0, 0)

    def test_every_broken_reference_is_reported_at_once(
        self, client: TestClient, world: World
    ) -> None:
        response = client.post(
            URL,
            json=body(
                world,
                convener_id=999999,
                facilitator_id=world.deleted_stakeholder.id,
                closed_on="2020-01-01",
            ),
        )

        assert response.status_code == 422
        assert sorted(fields(response)) == ["closed_on", "convener_id", "facilitator_id"]

    def test_the_ground_rules_model_matches_the_vocabulary(self) -> None:
        assert list(GroundRules.model_fields) == [rule.value for rule in GroundRule]


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "public": False, "facilitator_id": None},
        )

        assert response.status_code == 200
        updated = response.json()
        assert (updated["public"], updated["facilitator_id"]) == (False, None)
        assert updated["criteria"] == created["criteria"]
        assert updated["ground_rules"] == created["ground_rules"]
        assert updated["version"] == 2

    def test_criteria_are_replaced_as_a_whole(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}",
            json={
                "version": 1,
                "criteria": [
                    {"criterion": "public_policy", "rating": "met"},
                    {
                        "criterion": "participants_decide",
                        "rating": "met",
                        "note": "Joint verification",
                        "evidence_ids": [world.minutes.id],
                    },
                ],
            },
        )

        assert response.status_code == 200
        updated = response.json()
        assert rated(updated) == {
            "participants_decide": ("met", [world.minutes.id]),
            "public_policy": ("met", []),
        }
        assert updated["criteria"][2]["note"] == "Joint verification"
        assert updated["criteria_met"] == 2
        assert updated["version"] == 2
        assert client.get(f"{URL}/{created['id']}").json() == updated

    def test_an_empty_criteria_list_clears_every_rating(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "criteria": []})

        assert response.status_code == 200
        assert rated(response.json()) == {}
        assert stored(session) == (1, 0)

    def test_ground_rules_are_replaced_as_a_whole(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "ground_rules": {"roles": True, "deadlines": True}},
        )

        assert response.json()["ground_rules"] == NO_GROUND_RULES | {
            "roles": True,
            "deadlines": True,
        }
        assert (
            client.get(f"{URL}/{created['id']}").json()["ground_rules"]
            == (response.json()["ground_rules"])
        )

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            (lambda w: {"collaboration_id": w.collaboration.id}, "collaboration_id"),
            (lambda w: {"closed_on": "2020-04-30"}, "closed_on"),
            (lambda w: {"established_on": "2023-01-01"}, "closed_on"),
            (lambda w: {"convener_id": w.deleted_stakeholder.id}, "convener_id"),
            (lambda w: {"name": None}, "name"),
            (lambda w: {"criteria": None}, "criteria"),
            (lambda w: {"ground_rules": None}, "ground_rules"),
            (
                lambda w: {
                    "criteria": [
                        {"criterion": "public_policy", "rating": "met"},
                        {"criterion": "public_policy", "rating": "not_met"},
                    ]
                },
                "criteria[1].criterion",
            ),
            (
                lambda w: {
                    "criteria": [
                        {
                            "criterion": "public_policy",
                            "rating": "met",
                            "evidence_ids": [w.deleted_evidence.id],
                        }
                    ]
                },
                "criteria[0].evidence_ids",
            ),
        ],
    )
    def test_bad_patch_changes_nothing(
        self,
        client: TestClient,
        world: World,
        patch: Callable[[World], dict[str, Any]],
        field: str,
    ) -> None:
        created = create(client, world)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1} | patch(world))

        assert response.status_code == 422
        assert field in fields(response)
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        first = client.patch(f"{URL}/{created['id']}", json={"version": 1, "name": "Forum"})

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "criteria": [{"criterion": "public_policy", "rating": "met"}]},
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json() == first.json()

    def test_deleted_evidence_is_hidden_but_still_linked(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        world.minutes.deleted_at = utcnow()
        session.flush()

        read = client.get(f"{URL}/{created['id']}").json()

        assert read["criteria"][2]["evidence_ids"] == [world.interview.id]
        links = session.scalars(
            select(ForumCriterion).where(ForumCriterion.criterion == Criterion.PARTICIPANTS_DECIDE)
        ).one()
        assert sorted(evidence.id for evidence in links.evidence) == sorted(
            [world.minutes.id, world.interview.id]
        )


class TestDeleteAndRestore:
    def test_deleted_forums_leave_the_list_and_come_back(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert deleted.json()["criteria"] == created["criteria"]
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.status_code == 200
        assert restored.json()["deleted_at"] is None
        assert restored.json()["criteria"] == created["criteria"]
        assert client.get(URL).json()["total"] == 1


class TestSearch:
    @pytest.fixture
    def ids(self, session: Session) -> dict[str, int]:
        bansos = make_collaboration(session, name="Bansos")
        banjir = make_collaboration(session, name="Banjir")
        made = {
            "bansos/audit": make_forum(session, bansos, name="Forum Audit Sosial", public=True),
            "bansos/dtks": make_forum(session, bansos, name="Rapat DTKS"),
            "bansos/old": make_forum(session, bansos, name="Forum Lama", deleted_at=utcnow()),
            "banjir/warga": make_forum(session, banjir, name="Forum Warga", public=True),
        }
        return {key: forum.id for key, forum in made.items()} | {
            "bansos": bansos.id,
            "banjir": banjir.id,
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (lambda ids: {"collaboration_id": ids["bansos"]}, ["bansos/audit", "bansos/dtks"]),
            (lambda ids: {"public": True}, ["bansos/audit", "banjir/warga"]),
            (lambda ids: {"public": False}, ["bansos/dtks"]),
            (lambda ids: {"q": "forum"}, ["bansos/audit", "banjir/warga"]),
            (
                lambda ids: {"collaboration_id": ids["banjir"], "q": "warga", "public": True},
                ["banjir/warga"],
            ),
            (
                lambda ids: {"include_deleted": True, "collaboration_id": ids["bansos"]},
                ["bansos/audit", "bansos/old", "bansos/dtks"],
            ),
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

    def test_pages_in_name_order(self, client: TestClient, ids: dict[str, int]) -> None:
        page = client.get(URL, params={"limit": 2, "offset": 1}).json()

        assert [item["name"] for item in page["items"]] == ["Forum Warga", "Rapat DTKS"]
        assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)

    def test_a_page_costs_the_same_queries_whatever_its_size(
        self, client: TestClient, connection: Connection, world: World
    ) -> None:
        def queries_for_a_page() -> int:
            with counting(connection) as statements:
                response = client.get(URL)
            assert response.status_code == 200
            return len(statements)

        create(client, world)
        one = queries_for_a_page()
        for number in range(4):
            create(client, world, name=f"Forum {number}")
        five = queries_for_a_page()

        assert five == one


class TestAudit:
    def test_create_and_update_are_logged_with_before_and_after(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        client.patch(
            f"{URL}/{created['id']}",
            json={
                "version": 1,
                "public": False,
                "criteria": [
                    {"criterion": "initiated_by_public_agency", "rating": "met"},
                    {"criterion": "aims_at_consensus", "rating": "not_met", "note": "Advisory"},
                ],
            },
        )

        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "forum", AuditEntry.record_id == created["id"])
            .order_by(AuditEntry.id)
        ).all()

        initiated = {
            "criterion": "initiated_by_public_agency",
            "rating": "met",
            "note": "",
            "evidence_ids": [],
        }
        decide = {
            "criterion": "participants_decide",
            "rating": "partial",
            "note": "The agency decides after hearing the coalition",
            "evidence_ids": sorted([world.minutes.id, world.interview.id]),
        }
        consensus = {
            "criterion": "aims_at_consensus",
            "rating": "not_met",
            "note": "Advisory",
            "evidence_ids": [],
        }
        assert [entry.action for entry in entries] == ["create", "update"]
        assert entries[0].changes["name"] == [None, "Forum Bansos"]
        assert entries[0].changes["ground_rules"] == [
            None,
            NO_GROUND_RULES | {"terms_of_reference": True, "schedule": True},
        ]
        assert entries[0].changes["criteria"] == [None, [initiated, decide]]
        assert entries[1].changes == {
            "public": [True, False],
            "criteria": [[initiated, decide], [initiated, consensus]],
        }

    def test_an_unchanged_criteria_set_is_not_logged(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        same = [
            {key: item[key] for key in ("criterion", "rating", "note", "evidence_ids")}
            for item in created["criteria"]
            if item["rating"] is not None
        ]

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "criteria": same})

        assert response.json()["version"] == 1
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.record_type == "forum", AuditEntry.record_id == created["id"]
            )
        ).all()
        assert actions == ["create"]


class counting:  # noqa: N801 - used as a context manager, reads like a function
    """Collect the SQL statements run on ``connection`` inside the block."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.statements: list[str] = []

    def _record(self, *args: Any) -> None:
        self.statements.append(args[2])

    def __enter__(self) -> list[str]:
        event.listen(self.connection, "before_cursor_execute", self._record)
        return self.statements

    def __exit__(self, *exc: object) -> None:
        event.remove(self.connection, "before_cursor_execute", self._record)
