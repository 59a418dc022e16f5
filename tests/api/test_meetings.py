"""The meeting log through the JSON API: meetings, attendance, decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from governance.models import Attendance, AuditEntry, Decision, Forum, Meeting, Stakeholder
from tests.factories import make_collaboration, make_forum, make_meeting, make_stakeholder

URL = "/api/v1/meetings"
UTC = dt.UTC


@dataclass(frozen=True)
class World:
    collaboration_id: int
    forum_id: int
    other_forum_id: int
    foreign_forum_id: int
    dinsos: int
    spri: int
    warga: int


@pytest.fixture
def world(session: Session) -> World:
    collaboration = make_collaboration(session)
    forum = make_forum(session, collaboration)
    other_forum = make_forum(session, collaboration, name="Working group on DTKS")
    foreign = make_forum(session, make_collaboration(session, name="Flood relief"))
    return World(
        collaboration_id=collaboration.id,
        forum_id=forum.id,
        other_forum_id=other_forum.id,
        foreign_forum_id=foreign.id,
        dinsos=make_stakeholder(session, name="Dinas Sosial DKI", sector="government").id,
        spri=make_stakeholder(session, name="SPRI DKI Jakarta").id,
        warga=make_stakeholder(session, name="Warga RW 05", sector="community").id,
    )


def meeting_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "forum_id": world.forum_id,
        "title": "Verifying unserved households",
        "starts_at": "2020-06-02T09:00:00+07:00",
        "ends_at": "2020-06-02T12:00:00+07:00",
        "mode": "online",
        "location": "Zoom",
        "agenda": "1. Audit results\n2. DTKS update",
        "minutes": "# Minutes\n\n*Dinsos* will verify <b>412</b> households.",
        "minutes_circulated_on": "2020-06-04",
        "status": "held",
        "attendance": [
            {"stakeholder_id": world.dinsos, "role": "chair", "represented_by": "Kepala Seksi"},
            {"stakeholder_id": world.spri},
            {"stakeholder_id": world.warga, "attended": False},
        ],
        "decisions": [
            {"text": "Dinsos verifies the coalition's list", "rationale": "Audit found gaps"},
            {"text": "Adopt a shared problem statement", "kind": "shared_statement"},
        ],
    }
    return body | overrides


def create(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=meeting_body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def error_fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def audit_entries(session: Session, record_type: str, record_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.id)
        )
    )


class TestCreate:
    def test_reads_back_with_attendance_and_decisions(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        assert created["version"] == 1
        assert created["collaboration_id"] == world.collaboration_id
        assert created["starts_at"] == "2020-06-02T02:00:00Z"
        assert created["minutes"] == "# Minutes\n\n*Dinsos* will verify <b>412</b> households."
        assert created["minutes_circulated_on"] == "2020-06-04"
        assert created["attendance"] == [
            {
                "stakeholder_id": world.dinsos,
                "invited": True,
                "attended": True,
                "role": "chair",
                "represented_by": "Kepala Seksi",
            },
            {
                "stakeholder_id": world.spri,
                "invited": True,
                "attended": True,
                "role": "participant",
                "represented_by": "",
            },
            {
                "stakeholder_id": world.warga,
                "invited": True,
                "attended": False,
                "role": "participant",
                "represented_by": "",
            },
        ]
        assert created["attended_count"] == 2
        assert [(d["text"], d["by_consensus"], d["kind"]) for d in created["decisions"]] == [
            ("Dinsos verifies the coalition's list", True, "ordinary"),
            ("Adopt a shared problem statement", True, "shared_statement"),
        ]
        assert all(d["version"] == 1 and d["id"] for d in created["decisions"])
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_minimal_meeting_takes_the_defaults(self, client: TestClient, world: World) -> None:
        response = client.post(
            URL,
            json={
                "forum_id": world.forum_id,
                "title": "Kick-off",
                "starts_at": "2020-05-01T03:00Z",
            },
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["mode"], body["status"], body["ends_at"]) == ("in_person", "planned", None)
        assert (body["attendance"], body["decisions"], body["attended_count"]) == ([], [], 0)

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": ""}, "title"),
            ({"starts_at": "2020-06-02T09:00:00"}, "starts_at"),
            ({"ends_at": "2020-06-02T12:00:00"}, "ends_at"),
            ({"mode": "zoom"}, "mode"),
            ({"status": "done"}, "status"),
            ({"minutes_circulated_on": "soon"}, "minutes_circulated_on"),
            ({"collaboration_id": 1}, "collaboration_id"),
            ({"attendance": [{"stakeholder_id": 1, "role": "boss"}]}, "attendance[0].role"),
            (
                {"attendance": [{"stakeholder_id": 1, "represented_by": "x" * 201}]},
                "attendance[0].represented_by",
            ),
            ({"decisions": [{"text": ""}]}, "decisions[0].text"),
            ({"decisions": [{"id": 1, "text": "Agreed"}]}, "decisions[0].id"),
            ({"decisions": [{"text": "Agreed", "kind": "law"}]}, "decisions[0].kind"),
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
        response = client.post(URL, json=meeting_body(world, **overrides))

        assert response.status_code == 422
        assert field in error_fields(response)
        assert count(session, Meeting) == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ("missing_forum", "forum_id"),
            ("deleted_forum", "forum_id"),
            ("ends_before_start", "ends_at"),
            ("missing_attendee", "attendance[1].stakeholder_id"),
            ("deleted_attendee", "attendance[1].stakeholder_id"),
            ("duplicate_attendee", "attendance[2].stakeholder_id"),
        ],
    )
    def test_broken_rules_name_the_field_and_store_nothing(
        self, client: TestClient, session: Session, world: World, change: str, field: str
    ) -> None:
        body = meeting_body(world)
        if change == "missing_forum":
            body["forum_id"] = 999_999
        elif change == "deleted_forum":
            session.get_one(Forum, world.forum_id).deleted_at = dt.datetime.now(UTC)
            session.flush()
        elif change == "ends_before_start":
            body["ends_at"] = "2020-06-02T08:59:00+07:00"
        elif change == "missing_attendee":
            body["attendance"][1]["stakeholder_id"] = 999_999
        elif change == "deleted_attendee":
            session.get_one(Stakeholder, world.spri).deleted_at = dt.datetime.now(UTC)
            session.flush()
        else:
            body["attendance"][2]["stakeholder_id"] = world.dinsos

        response = client.post(URL, json=body)

        assert response.status_code == 422
        assert error_fields(response) == [field]
        assert (count(session, Meeting), count(session, Attendance)) == (0, 0)
        assert count(session, Decision) == 0

    def test_create_is_audited(self, client: TestClient, session: Session, world: World) -> None:
        created = create(client, world)

        entries = audit_entries(session, "meeting", created["id"])

        assert [entry.action for entry in entries] == ["create"]
        assert entries[0].changes["title"] == [None, "Verifying unserved households"]
        decision_id = created["decisions"][0]["id"]
        assert [entry.action for entry in audit_entries(session, "decision", decision_id)] == [
            "create"
        ]


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient, world: World) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "status": "cancelled", "location": ""}
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["location"], body["version"]) == ("cancelled", "", 2)
        assert body["title"] == created["title"]
        assert body["attendance"] == created["attendance"]

    def test_patch_can_move_to_another_forum_of_the_same_collaboration(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "forum_id": world.other_forum_id}
        )

        assert response.status_code == 200
        assert response.json()["forum_id"] == world.other_forum_id

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            ({"ends_at": "2020-06-02T08:00:00+07:00"}, "ends_at"),
            ({"starts_at": "2020-06-02T13:00:00+07:00"}, "ends_at"),
            ({"starts_at": "2020-06-02T10:00:00"}, "starts_at"),
            ({"title": None}, "title"),
            ({"collaboration_id": 5}, "collaboration_id"),
            ({"decisions": [{"text": "Another"}]}, "decisions"),
            ({"forum_id": 999_999}, "forum_id"),
            ("foreign_forum", "forum_id"),
            ({"attendance": [{"stakeholder_id": 999_999}]}, "attendance[0].stakeholder_id"),
        ],
    )
    def test_bad_patch_names_the_field_and_changes_nothing(
        self, client: TestClient, world: World, patch: dict[str, Any] | str, field: str
    ) -> None:
        created = create(client, world)
        if patch == "foreign_forum":
            patch = {"forum_id": world.foreign_forum_id}
        assert isinstance(patch, dict)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, **patch})

        assert response.status_code == 422
        assert error_fields(response) == [field]
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "title": "Audit review"})

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "title": "Lost", "attendance": []}
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        current = client.get(f"{URL}/{created['id']}").json()
        assert current["title"] == "Audit review"
        assert current["attendance"] == created["attendance"]

    def test_patch_attendance_replaces_the_list_and_logs_it(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        response = client.patch(
            f"{URL}/{created['id']}",
            json={
                "version": 1,
                "attendance": [
                    {"stakeholder_id": world.warga, "role": "observer"},
                    {"stakeholder_id": world.dinsos, "attended": False},
                ],
            },
        )

        assert response.status_code == 200
        body = response.json()
        assert {(a["stakeholder_id"], a["attended"], a["role"]) for a in body["attendance"]} == {
            (world.dinsos, False, "participant"),
            (world.warga, True, "observer"),
        }
        assert (body["attended_count"], body["version"]) == (1, 2)
        update = audit_entries(session, "meeting", created["id"])[-1]
        assert update.action == "update"
        before, after = update.changes["attendance"]
        assert [row["stakeholder_id"] for row in before] == sorted(
            [world.dinsos, world.spri, world.warga]
        )
        assert {(row["stakeholder_id"], row["role"]) for row in after} == {
            (world.dinsos, "participant"),
            (world.warga, "observer"),
        }

    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.patch(f"{URL}/999999", json={"version": 1, "title": "x"})

        assert response.status_code == 404
        assert response.json()["detail"] == "Meeting 999999 not found"


class TestReplaceAttendance:
    def test_put_replaces_the_list_and_moves_the_version(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)

        response = client.put(
            f"{URL}/{created['id']}/attendance",
            json={"version": 1, "attendance": [{"stakeholder_id": world.spri, "role": "chair"}]},
        )

        assert response.status_code == 200
        body = response.json()
        assert body["attendance"] == [
            {
                "stakeholder_id": world.spri,
                "invited": True,
                "attended": True,
                "role": "chair",
                "represented_by": "",
            }
        ]
        assert (body["attended_count"], body["version"]) == (1, 2)
        assert count(session, Attendance) == 1
        entry = audit_entries(session, "meeting", created["id"])[-1]
        assert entry.changes["attendance"][1] == [
            {
                "stakeholder_id": world.spri,
                "invited": True,
                "attended": True,
                "role": "chair",
                "represented_by": "",
            }
        ]

    def test_the_same_list_again_changes_nothing(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        same = [
            {key: row[key] for key in ("stakeholder_id", "attended", "role", "represented_by")}
            for row in reversed(created["attendance"])
        ]

        response = client.put(
            f"{URL}/{created['id']}/attendance", json={"version": 1, "attendance": same}
        )

        assert response.json()["version"] == 1
        assert [e.action for e in audit_entries(session, "meeting", created["id"])] == ["create"]

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "title": "Audit review"})

        response = client.put(
            f"{URL}/{created['id']}/attendance", json={"version": 1, "attendance": []}
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["attendance"] == created["attendance"]

    @pytest.mark.parametrize(
        ("attendance", "field"),
        [
            ([{"stakeholder_id": 999_999}], "attendance[0].stakeholder_id"),
            ([{"stakeholder_id": "SPRI"}], "attendance[0].stakeholder_id"),
            ([{"stakeholder_id": 1, "invited": "maybe"}], "attendance[0].invited"),
            ("duplicate", "attendance[1].stakeholder_id"),
        ],
    )
    def test_bad_rows_are_named_and_change_nothing(
        self, client: TestClient, world: World, attendance: list[Any] | str, field: str
    ) -> None:
        created = create(client, world)
        if attendance == "duplicate":
            attendance = [{"stakeholder_id": world.spri}, {"stakeholder_id": world.spri}]

        response = client.put(
            f"{URL}/{created['id']}/attendance", json={"version": 1, "attendance": attendance}
        )

        assert response.status_code == 422
        assert error_fields(response) == [field]
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_unknown_meeting_is_404(self, client: TestClient) -> None:
        response = client.put(f"{URL}/999999/attendance", json={"version": 1, "attendance": []})

        assert response.status_code == 404


class TestDecisions:
    def test_add_returns_the_meeting_with_the_new_decision(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world, decisions=[])

        response = client.post(
            f"{URL}/{created['id']}/decisions",
            json={"text": "Meet monthly", "by_consensus": False, "kind": "formalisation"},
        )

        assert response.status_code == 201
        body = response.json()
        assert [(d["text"], d["by_consensus"], d["kind"]) for d in body["decisions"]] == [
            ("Meet monthly", False, "formalisation")
        ]
        assert body["decisions"][0]["meeting_id"] == created["id"]
        assert body["version"] == 1

    def test_edit_uses_the_decision_version(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = create(client, world)
        decision = created["decisions"][0]
        path = f"{URL}/{created['id']}/decisions/{decision['id']}"

        edited = client.patch(path, json={"version": 1, "rationale": "412 households missing"})
        stale = client.patch(path, json={"version": 1, "text": "Lost"})

        assert edited.status_code == 200
        assert edited.json()["decisions"][0]["rationale"] == "412 households missing"
        assert edited.json()["decisions"][0]["version"] == 2
        assert stale.status_code == 409
        stored = client.get(f"{URL}/{created['id']}").json()["decisions"][0]
        assert stored["text"] == decision["text"]
        assert [e.action for e in audit_entries(session, "decision", decision["id"])] == [
            "create",
            "update",
        ]

    @pytest.mark.parametrize(
        ("patch", "field"),
        [({"text": ""}, "text"), ({"kind": "law"}, "kind"), ({"meeting_id": 1}, "meeting_id")],
    )
    def test_bad_edit_names_the_field(
        self, client: TestClient, world: World, patch: dict[str, Any], field: str
    ) -> None:
        created = create(client, world)
        path = f"{URL}/{created['id']}/decisions/{created['decisions'][0]['id']}"

        response = client.patch(path, json={"version": 1, **patch})

        assert response.status_code == 422
        assert error_fields(response) == [field]

    def test_delete_hides_the_decision_and_restore_brings_it_back(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)
        first, second = created["decisions"]
        path = f"{URL}/{created['id']}/decisions/{first['id']}"

        deleted = client.delete(path, params={"version": 1})

        assert deleted.status_code == 200
        assert [d["id"] for d in deleted.json()["decisions"]] == [second["id"]]
        assert client.patch(path, json={"version": 1, "text": "x"}).status_code == 404

        restored = client.post(f"{path}/restore")

        assert [d["id"] for d in restored.json()["decisions"]] == [first["id"], second["id"]]

    def test_a_decision_of_another_meeting_is_404(self, client: TestClient, world: World) -> None:
        first = create(client, world)
        second = create(client, world, decisions=[])
        path = f"{URL}/{second['id']}/decisions/{first['decisions'][0]['id']}"

        assert client.patch(path, json={"version": 1, "text": "x"}).status_code == 404
        assert client.delete(path).status_code == 404

    def test_a_deleted_meeting_takes_no_decisions(self, client: TestClient, world: World) -> None:
        created = create(client, world)
        client.delete(f"{URL}/{created['id']}")

        response = client.post(f"{URL}/{created['id']}/decisions", json={"text": "Too late"})

        assert response.status_code == 404


class TestSearch:
    @pytest.fixture
    def titles(self, client: TestClient, world: World) -> dict[str, int]:
        """Four meetings, created out of order; their ids by title."""
        specs = [
            ("Third", "2020-07-01T10:00:00+07:00", world.forum_id, "held", "hybrid", [world.spri]),
            ("First", "2020-05-31T23:30:00+00:00", world.forum_id, "held", "online", []),
            ("Second", "2020-06-15T09:00:00+07:00", world.other_forum_id, "planned", "online", []),
            ("Fourth", "2020-07-01T18:00:00+00:00", world.forum_id, "cancelled", "in_person", []),
        ]
        ids: dict[str, int] = {}
        for title, starts_at, forum_id, status, mode, attendees in specs:
            attendance = [{"stakeholder_id": s} for s in attendees]
            attendance.append({"stakeholder_id": world.warga, "attended": False})
            ids[title] = create(
                client,
                world,
                title=title,
                starts_at=starts_at,
                ends_at=None,
                forum_id=forum_id,
                status=status,
                mode=mode,
                attendance=attendance,
                decisions=[],
            )["id"]
        return ids

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, ["First", "Second", "Third", "Fourth"]),
            ({"status": "held"}, ["First", "Third"]),
            ({"mode": "online"}, ["First", "Second"]),
            ({"q": "OUR"}, ["Fourth"]),
            ({"starts_from": "2020-06-01"}, ["Second", "Third", "Fourth"]),
            ({"starts_to": "2020-05-31"}, ["First"]),
            ({"starts_from": "2020-07-01", "starts_to": "2020-07-01"}, ["Third", "Fourth"]),
            ({"starts_from": "2020-06-02", "starts_to": "2020-06-30"}, ["Second"]),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        titles: dict[str, int],
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        page = client.get(URL, params=params).json()

        assert [item["title"] for item in page["items"]] == expected
        assert page["total"] == len(expected)

    def test_filters_by_forum_and_collaboration(
        self, client: TestClient, world: World, titles: dict[str, int]
    ) -> None:
        by_forum = client.get(URL, params={"forum_id": world.other_forum_id}).json()
        by_case = client.get(URL, params={"collaboration_id": world.collaboration_id}).json()
        other_case = client.get(URL, params={"collaboration_id": world.collaboration_id + 1000})

        assert [item["title"] for item in by_forum["items"]] == ["Second"]
        assert by_case["total"] == 4
        assert other_case.json()["total"] == 0

    def test_stakeholder_finds_only_meetings_attended(
        self, client: TestClient, world: World, titles: dict[str, int]
    ) -> None:
        attended = client.get(URL, params={"stakeholder_id": world.spri}).json()
        only_invited = client.get(URL, params={"stakeholder_id": world.warga}).json()

        assert [item["id"] for item in attended["items"]] == [titles["Third"]]
        assert only_invited["total"] == 0

    def test_reversed_range_is_refused(self, client: TestClient) -> None:
        response = client.get(URL, params={"starts_from": "2020-07-01", "starts_to": "2020-06-01"})

        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["starts_to"]

    def test_same_start_is_ordered_by_id(self, client: TestClient, world: World) -> None:
        ids = [create(client, world, title=f"M{n}", decisions=[])["id"] for n in range(3)]

        page = client.get(URL).json()

        assert [item["id"] for item in page["items"]] == ids


class TestDeleteAndRestore:
    def test_deleted_meetings_leave_the_list_and_come_back(
        self, client: TestClient, world: World
    ) -> None:
        created = create(client, world)

        deleted = client.delete(f"{URL}/{created['id']}")

        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        assert client.get(URL).json()["total"] == 0
        assert client.get(f"{URL}/{created['id']}").status_code == 404
        assert client.get(URL, params={"include_deleted": True}).json()["total"] == 1

        restored = client.post(f"{URL}/{created['id']}/restore")

        assert restored.json()["deleted_at"] is None
        assert restored.json()["attendance"] == created["attendance"]
        assert client.get(URL).json()["total"] == 1


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    """Every SQL statement the test's connection runs, while the fixture is active."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(connection.engine, "before_cursor_execute", count)
    yield seen
    event.remove(connection.engine, "before_cursor_execute", count)


class TestListQueries:
    def add_meetings(self, session: Session, world: World, how_many: int) -> None:
        forum = session.get_one(Forum, world.forum_id)
        for n in range(how_many):
            meeting = make_meeting(session, forum, title=f"Meeting {n}")
            session.add_all(
                [
                    Attendance(meeting_id=meeting.id, stakeholder_id=world.dinsos),
                    Attendance(meeting_id=meeting.id, stakeholder_id=world.spri, attended=False),
                    Decision(meeting_id=meeting.id, text=f"Decision {n}"),
                ]
            )
        session.flush()

    def test_listing_runs_as_many_statements_for_30_meetings_as_for_3(
        self, client: TestClient, session: Session, world: World, statements: list[str]
    ) -> None:
        self.add_meetings(session, world, 3)
        statements.clear()
        small = client.get(URL, params={"limit": 100}).json()
        for_three = len(statements)
        self.add_meetings(session, world, 27)
        statements.clear()

        large = client.get(URL, params={"limit": 100}).json()

        assert (small["total"], large["total"]) == (3, 30)
        assert all(item["attended_count"] == 1 for item in large["items"])
        assert all(len(item["decisions"]) == 1 for item in large["items"])
        assert len(statements) == for_three
