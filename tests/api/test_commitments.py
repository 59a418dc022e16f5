"""Commitments through the JSON API: what was promised, its status history, overdue ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, not_, select
from sqlalchemy.orm import Session

from governance.commitments import service as commitment_service
from governance.models import (
    AuditEntry,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Stakeholder,
)
from governance.vocab import CommitmentStatus
from tests.conftest import SignedInClient
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_stakeholder,
)

URL = "/api/v1/commitments"
DELETED = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date.today()


@dataclass(frozen=True)
class World:
    collaboration_id: int
    other_collaboration_id: int
    deleted_collaboration_id: int
    meeting_id: int
    other_meeting_id: int
    foreign_meeting_id: int
    decision_id: int
    other_decision_id: int
    dinsos: int
    spri: int
    warga: int
    gone: int
    evidence_id: int
    deleted_evidence_id: int


@pytest.fixture
def world(session: Session) -> World:
    collaboration = make_collaboration(session)
    other = make_collaboration(session, name="Flood relief")
    forum = make_forum(session, collaboration)
    meeting = make_meeting(session, forum)
    other_meeting = make_meeting(session, forum, title="Follow-up")
    foreign_meeting = make_meeting(session, make_forum(session, other))
    decision = Decision(meeting_id=meeting.id, text="Dinsos verifies the coalition's list")
    other_decision = Decision(meeting_id=other_meeting.id, text="Meet again in July")
    session.add_all([decision, other_decision])
    session.flush()
    return World(
        collaboration_id=collaboration.id,
        other_collaboration_id=other.id,
        deleted_collaboration_id=make_collaboration(session, deleted_at=DELETED).id,
        meeting_id=meeting.id,
        other_meeting_id=other_meeting.id,
        foreign_meeting_id=foreign_meeting.id,
        decision_id=decision.id,
        other_decision_id=other_decision.id,
        dinsos=make_stakeholder(session, name="Dinas Sosial DKI", sector="government").id,
        spri=make_stakeholder(session, name="SPRI DKI Jakarta").id,
        warga=make_stakeholder(session, name="Warga RW 05", sector="community").id,
        gone=make_stakeholder(session, name="Dissolved group", deleted_at=DELETED).id,
        evidence_id=make_evidence(session).id,
        deleted_evidence_id=make_evidence(session, title="Retracted", deleted_at=DELETED).id,
    )


def body(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "collaboration_id": world.collaboration_id,
        "meeting_id": world.meeting_id,
        "decision_id": world.decision_id,
        "owner_id": world.dinsos,
        "counterpart_id": world.spri,
        "description": "Verify the coalition's list of 412 unserved households",
        "made_on": "2020-06-01",
        "due_on": "2020-07-01",
    }
    return values | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def move(client: TestClient, commitment_id: int, **change: Any) -> Any:
    return client.post(f"{URL}/{commitment_id}/status", json=change)


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


class TestCreate:
    def test_a_new_commitment_is_open_with_one_history_step(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        assert created["status"] == "open"
        assert created["fulfilled_on"] is None
        assert created["version"] == 1
        assert (created["owner_id"], created["counterpart_id"]) == (world.dinsos, world.spri)
        assert created["decision_id"] == world.decision_id
        [step] = created["history"]
        assert (step["from_status"], step["to_status"], step["changed_on"]) == (
            None,
            "open",
            "2020-06-01",
        )
        assert (step["note"], step["evidence_ids"]) == ("", [])
        assert step["recorded_at"].endswith(("Z", "+00:00"))

    def test_an_open_commitment_past_its_due_date_is_overdue(
        self, client: TestClient, world: World
    ) -> None:
        late = create(client, world, due_on="2020-07-01")
        not_yet = create(client, world, due_on=(TODAY + dt.timedelta(days=30)).isoformat())
        undated = create(client, world, due_on=None)

        assert (late["overdue"], not_yet["overdue"], undated["overdue"]) == (True, False, False)

    def test_only_owner_description_and_dates_are_needed(
        self, client: TestClient, world: World
    ) -> None:
        response = client.post(
            URL,
            json={
                "collaboration_id": world.collaboration_id,
                "owner_id": world.spri,
                "description": "Share the audit data",
                "made_on": "2020-05-01",
            },
        )

        assert response.status_code == 201
        assert response.json()["meeting_id"] is None
        assert response.json()["due_on"] is None

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            (lambda w: {"description": ""}, "description"),
            (lambda w: {"owner_id": None}, "owner_id"),
            (lambda w: {"owner_id": 999_999}, "owner_id"),
            (lambda w: {"owner_id": w.gone}, "owner_id"),
            (lambda w: {"counterpart_id": w.gone}, "counterpart_id"),
            (lambda w: {"counterpart_id": w.dinsos}, "counterpart_id"),
            (lambda w: {"collaboration_id": 999_999}, "collaboration_id"),
            (lambda w: {"collaboration_id": w.deleted_collaboration_id}, "collaboration_id"),
            (lambda w: {"meeting_id": 999_999, "decision_id": None}, "meeting_id"),
            (lambda w: {"meeting_id": w.foreign_meeting_id, "decision_id": None}, "meeting_id"),
            (lambda w: {"decision_id": 999_999}, "decision_id"),
            (lambda w: {"decision_id": w.other_decision_id}, "decision_id"),
            (lambda w: {"meeting_id": None}, "decision_id"),
            (lambda w: {"due_on": "2020-05-31"}, "due_on"),
            (lambda w: {"made_on": "2020-13-01"}, "made_on"),
            (lambda w: {"status": "fulfilled"}, "status"),
            (lambda w: {"fulfilled_on": "2020-06-02"}, "fulfilled_on"),
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

        assert response.status_code == 422, response.text
        assert field in fields(response)
        assert count(session, Commitment) == 0
        assert count(session, CommitmentStatusChange) == 0


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "due_on": "2020-08-01"}
        )

        assert response.status_code == 200
        assert response.json()["due_on"] == "2020-08-01"
        assert response.json()["description"] == created["description"]
        assert response.json()["version"] == 2

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"due_on": "2020-05-01"}, "due_on"),  # before the stored made_on
            ({"made_on": "2020-07-02"}, "due_on"),  # after the stored due_on
            ({"counterpart_id": 1_000_000}, "counterpart_id"),
            ({"owner_id": None}, "owner_id"),
            ({"description": None}, "description"),
            ({"meeting_id": None}, "decision_id"),  # the stored decision needs its meeting
            ({"status": "fulfilled"}, "status"),
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

    def test_the_owner_cannot_become_the_counterpart(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "owner_id": world.spri}
        )

        assert response.status_code == 422
        assert fields(response) == ["counterpart_id"]

    def test_a_new_made_on_moves_the_opening_step(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "made_on": "2020-05-28"}
        )

        assert response.status_code == 200
        assert response.json()["history"][0]["changed_on"] == "2020-05-28"

    def test_made_on_may_not_pass_the_first_status_change(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world, due_on=None)
        move(client, created["id"], status="in_progress", changed_on="2020-06-10")

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 2, "made_on": "2020-06-11"}
        )

        assert response.status_code == 422
        assert fields(response) == ["made_on"]
        assert client.get(f"{URL}/{created['id']}").json()["history"][0]["changed_on"] == (
            "2020-06-01"
        )

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "description": "Verify"})

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "description": "Lost update"}
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["description"] == "Verify"


class TestStatus:
    def test_open_then_in_progress_then_fulfilled(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        started = move(client, created["id"], status="in_progress", changed_on="2020-06-05")
        done = move(
            client,
            created["id"],
            status="fulfilled",
            changed_on="2020-06-20",
            note="DTKS updated for 380 households",
            evidence_ids=[world.evidence_id],
            version=2,
        )

        assert started.status_code == 200, started.text
        assert (started.json()["status"], started.json()["version"]) == ("in_progress", 2)
        assert started.json()["fulfilled_on"] is None
        assert done.status_code == 200, done.text
        fulfilled = done.json()
        assert (fulfilled["status"], fulfilled["fulfilled_on"]) == ("fulfilled", "2020-06-20")
        assert fulfilled["version"] == 3
        assert fulfilled["overdue"] is False
        assert [
            (s["from_status"], s["to_status"], s["changed_on"]) for s in fulfilled["history"]
        ] == [
            (None, "open", "2020-06-01"),
            ("open", "in_progress", "2020-06-05"),
            ("in_progress", "fulfilled", "2020-06-20"),
        ]
        assert fulfilled["history"][2]["note"] == "DTKS updated for 380 households"
        assert fulfilled["history"][2]["evidence_ids"] == [world.evidence_id]
        assert client.get(f"{URL}/{created['id']}").json() == fulfilled

    def test_a_fulfilled_commitment_cannot_reopen(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        move(client, created["id"], status="fulfilled", changed_on="2020-06-20")

        response = move(client, created["id"], status="open", changed_on="2020-06-21")

        assert response.status_code == 422
        assert fields(response) == ["status"]
        assert "final" in response.json()["errors"][0]["message"]
        after = client.get(f"{URL}/{created['id']}").json()
        assert (after["status"], after["version"], len(after["history"])) == ("fulfilled", 2, 2)

    def test_a_refused_move_lists_the_allowed_next_statuses(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        move(client, created["id"], status="in_progress", changed_on="2020-06-05")

        response = move(client, created["id"], status="open", changed_on="2020-06-06")

        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "field": "status",
            "message": "cannot move from in_progress to open; allowed next statuses: "
            "fulfilled, partly_fulfilled, broken, withdrawn",
        }

    def test_leaving_fulfilment_clears_fulfilled_on(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        move(client, created["id"], status="partly_fulfilled", changed_on="2020-06-05")

        broken = move(client, created["id"], status="broken", changed_on="2020-06-30")

        assert (broken.json()["status"], broken.json()["fulfilled_on"]) == ("broken", None)
        assert broken.json()["overdue"] is False

    @pytest.mark.parametrize(
        ("changed_on", "message"),
        [
            ("2020-05-31", "must not be before made_on (2020-06-01)"),
            ("2020-06-04", "must not be before the last status change (2020-06-05)"),
            ((TODAY + dt.timedelta(days=1)).isoformat(), "must not be in the future"),
        ],
    )
    def test_changed_on_follows_made_on_and_the_last_change_and_is_not_ahead(
        self, client: TestClient, world: World, changed_on: str, message: str
    ) -> None:
        created = create(client, world)
        move(client, created["id"], status="in_progress", changed_on="2020-06-05")

        response = move(client, created["id"], status="fulfilled", changed_on=changed_on)

        assert response.status_code == 422
        assert fields(response) == ["changed_on"]
        assert response.json()["errors"][0]["message"].startswith(message)
        after = client.get(f"{URL}/{created['id']}").json()
        assert (after["status"], after["version"], len(after["history"])) == ("in_progress", 2, 2)

    def test_a_change_on_the_day_of_the_last_one_is_accepted(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        response = move(client, created["id"], status="withdrawn", changed_on="2020-06-01")

        assert response.status_code == 200
        assert [s["to_status"] for s in response.json()["history"]] == ["open", "withdrawn"]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (lambda w: {"evidence_ids": [w.deleted_evidence_id]}, "evidence_ids"),
            (lambda w: {"evidence_ids": [999_999]}, "evidence_ids"),
            (lambda w: {"status": "done"}, "status"),
            (lambda w: {"changed_on": None}, "changed_on"),
            (lambda w: {"note": 5}, "note"),
            (lambda w: {"fulfilled_on": "2020-06-20"}, "fulfilled_on"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self,
        client: TestClient,
        session: Session,
        world: World,
        change: Callable[[World], dict[str, Any]],
        field: str,
    ) -> None:
        created = create(client, world)
        request = {"status": "fulfilled", "changed_on": "2020-06-20"} | change(world)

        response = move(client, created["id"], **request)

        assert response.status_code == 422, response.text
        assert fields(response) == [field]
        assert count(session, CommitmentStatusChange) == 1
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_a_stale_version_is_refused(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "description": "Verify"})

        response = move(
            client, created["id"], status="fulfilled", changed_on="2020-06-20", version=1
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["status"] == "open"

    def test_the_change_is_in_the_audit_log(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        move(client, created["id"], status="fulfilled", changed_on="2020-06-20", note="Done")

        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "commitment",
                AuditEntry.record_id == created["id"],
                AuditEntry.action == "status_change",
            )
        ).one()
        assert (entry.actor, entry.user_id) == (client.user.name, client.user.id)
        assert entry.changes["status"] == ["open", "fulfilled"]
        assert entry.changes["fulfilled_on"] == [None, "2020-06-20"]
        assert entry.changes["history"][1]["note"] == "Done"

    def test_unknown_or_deleted_commitments_are_404(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        client.delete(f"{URL}/{created['id']}")

        unknown = move(client, 999_999, status="fulfilled", changed_on="2020-06-20")
        deleted = move(client, created["id"], status="fulfilled", changed_on="2020-06-20")

        assert (unknown.status_code, deleted.status_code) == (404, 404)


class TestSearch:
    @pytest.fixture
    def listed(self, session: Session, world: World) -> dict[str, int]:
        """Five commitments of the collaboration and one of another, by nickname."""
        collaboration = session.get_one(Collaboration, world.collaboration_id)
        dinsos = session.get_one(Stakeholder, world.dinsos)
        spri = session.get_one(Stakeholder, world.spri)
        soon = TODAY + dt.timedelta(days=10)
        made = {
            "late": make_commitment(
                session,
                collaboration,
                dinsos,
                counterpart_id=world.spri,
                due_on=dt.date(2020, 7, 1),
            ),
            "late_started": make_commitment(
                session,
                collaboration,
                spri,
                counterpart_id=world.warga,
                due_on=dt.date(2020, 6, 15),
                status=CommitmentStatus.IN_PROGRESS,
                meeting_id=world.meeting_id,
                description="Run a social audit in RW 05",
            ),
            "kept": make_commitment(
                session,
                collaboration,
                spri,
                due_on=dt.date(2020, 6, 10),
                status=CommitmentStatus.FULFILLED,
            ),
            "undated": make_commitment(session, collaboration, dinsos, due_on=None),
            "upcoming": make_commitment(
                session, collaboration, make_stakeholder(session, name="Bappeda"), due_on=soon
            ),
            "elsewhere": make_commitment(
                session,
                session.get_one(Collaboration, world.other_collaboration_id),
                dinsos,
                due_on=dt.date(2020, 1, 1),
            ),
        }
        return {name: commitment.id for name, commitment in made.items()}

    def names(self, client: TestClient, listed: dict[str, int], **params: Any) -> list[str]:
        response = client.get(URL, params=params)
        assert response.status_code == 200, response.text
        by_id = {commitment_id: name for name, commitment_id in listed.items()}
        return [by_id[item["id"]] for item in response.json()["items"]]

    def test_order_is_by_due_date_with_undated_last(
        self, client: TestClient, world: World, listed: dict[str, int]
    ) -> None:
        assert self.names(client, listed, collaboration_id=world.collaboration_id) == [
            "kept",
            "late_started",
            "late",
            "upcoming",
            "undated",
        ]

    def test_overdue_means_past_due_and_still_open_or_in_progress(
        self, client: TestClient, world: World, listed: dict[str, int]
    ) -> None:
        scope = {"collaboration_id": world.collaboration_id}

        late = self.names(client, listed, overdue=True, **scope)
        on_track = self.names(client, listed, overdue=False, **scope)

        assert late == ["late_started", "late"]
        assert on_track == ["kept", "upcoming", "undated"]

    def test_status_may_be_repeated(
        self, client: TestClient, world: World, listed: dict[str, int]
    ) -> None:
        found = self.names(
            client,
            listed,
            status=["in_progress", "fulfilled"],
            collaboration_id=world.collaboration_id,
        )

        assert found == ["kept", "late_started"]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (lambda w: {"owner_id": w.spri}, ["kept", "late_started"]),
            (lambda w: {"counterpart_id": w.spri}, ["late"]),
            (lambda w: {"stakeholder_id": w.spri}, ["kept", "late_started", "late"]),
            (lambda w: {"meeting_id": w.meeting_id}, ["late_started"]),
            (lambda w: {"q": "SOCIAL AUDIT"}, ["late_started"]),
            (
                lambda w: {"due_from": "2020-06-12", "due_to": "2020-07-01"},
                ["late_started", "late"],
            ),
            (lambda w: {"collaboration_id": w.other_collaboration_id}, ["elsewhere"]),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        world: World,
        listed: dict[str, int],
        params: Callable[[World], dict[str, Any]],
        expected: list[str],
    ) -> None:
        assert self.names(client, listed, **params(world)) == expected

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"status": "done"}, "status[0]", "Input should be 'open'"),
            ({"overdue": "maybe"}, "overdue", "valid boolean"),
            ({"due_from": "2020-07-01", "due_to": "2020-06-01"}, "due_to", "must not be before"),
        ],
    )
    def test_bad_filters_are_422(
        self, client: TestClient, params: dict[str, Any], field: str, message: str
    ) -> None:
        response = client.get(URL, params=params)

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == field
        assert message in error["message"]


class TestOverdue:
    """The SQL filter and the flag on each record must agree, NULL due dates included."""

    @pytest.mark.parametrize("status", list(CommitmentStatus))
    @pytest.mark.parametrize("due_on", [None, dt.date(2020, 6, 30), dt.date(2020, 7, 1)])
    def test_the_filter_and_the_flag_agree(
        self,
        session: Session,
        world: World,
        status: CommitmentStatus,
        due_on: dt.date | None,
    ) -> None:
        on = dt.date(2020, 7, 1)
        commitment = make_commitment(
            session,
            session.get_one(Collaboration, world.collaboration_id),
            session.get_one(Stakeholder, world.dinsos),
            status=status,
            due_on=due_on,
        )
        late = commitment_service.overdue_clause(on)
        filtered = {
            flag: session.scalars(select(Commitment.id).where(late if flag else not_(late))).all()
            for flag in (True, False)
        }

        flagged = commitment_service.is_overdue(commitment, on=on)

        expected = due_on == dt.date(2020, 6, 30) and status in {"open", "in_progress"}
        assert flagged is expected
        assert (filtered[flagged], filtered[not flagged]) == ([commitment.id], [])


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
        owner = session.get_one(Stakeholder, world.dinsos)
        for _ in range(how_many):
            commitment = make_commitment(session, collaboration, owner)
            session.add(
                CommitmentStatusChange(
                    commitment_id=commitment.id,
                    from_status=CommitmentStatus.OPEN,
                    to_status=CommitmentStatus.IN_PROGRESS,
                    changed_on=dt.date(2020, 6, 2),
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

        assert (small["total"], large["total"]) == (3, 30)
        assert all(len(item["history"]) == 2 for item in large["items"])
        assert len(statements) == for_three
