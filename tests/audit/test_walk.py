"""Every write through the JSON API leaves exactly one audit entry, in its transaction.

The walk takes each record type through create → patch → delete → restore, then the
writes that are not plain CRUD: a commitment's status change, a meeting's attendance,
an outcome's measurement and a meeting's decision. After each request it checks that
the log grew by exactly one entry naming who (the signed-in user), when (during the
request), which record, and the fields before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.errors import Conflict
from governance.models import Collaboration, Stakeholder
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderCreate
from tests.conftest import SignedInClient
from tests.factories import (
    make_collaboration,
    make_evidence,
    make_forum,
    make_outcome,
    make_stakeholder,
)

API = "/api/v1"
TODAY = dt.date.today().isoformat()


@dataclass(frozen=True)
class World:
    collaboration: int
    spri: int
    dinsos: int
    forum: int
    evidence: int


@pytest.fixture
def world(session: Session) -> World:
    collaboration = make_collaboration(session)
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector="government")
    forum = make_forum(session, collaboration)
    evidence = make_evidence(session, collaboration_id=collaboration.id)
    session.commit()
    return World(collaboration.id, spri.id, dinsos.id, forum.id, evidence.id)


@dataclass(frozen=True)
class Walk:
    """One record type's resource: what to create it with and one field to change."""

    path: str
    record_type: str
    body: Callable[[World], dict[str, Any]]
    field: str
    before: Any
    after: Any


WALKS = [
    Walk(
        "collaborations",
        "collaboration",
        lambda w: {"name": "Bansos"},
        "name",
        "Bansos",
        "Bansos II",
    ),
    Walk(
        "stakeholders",
        "stakeholder",
        lambda w: {"name": "LBH Jakarta", "kind": "organisation", "sector": "civil_society"},
        "description",
        "",
        "Legal aid",
    ),
    Walk(
        "relationships",
        "relationship",
        lambda w: {"source_id": w.spri, "target_id": w.dinsos, "type": "advises"},
        "strength",
        2,
        3,
    ),
    Walk(
        "participations",
        "participation",
        lambda w: {
            "collaboration_id": w.collaboration,
            "stakeholder_id": w.spri,
            "role": "participant",
        },
        "role",
        "participant",
        "observer",
    ),
    Walk(
        "forums",
        "forum",
        lambda w: {"collaboration_id": w.collaboration, "name": "Forum bansos"},
        "name",
        "Forum bansos",
        "Forum data bansos",
    ),
    Walk(
        "meetings",
        "meeting",
        lambda w: {"forum_id": w.forum, "title": "Rapat", "starts_at": "2020-06-01T03:00:00Z"},
        "title",
        "Rapat",
        "Rapat koordinasi",
    ),
    Walk(
        "commitments",
        "commitment",
        lambda w: {
            "collaboration_id": w.collaboration,
            "owner_id": w.dinsos,
            "description": "Update the DTKS",
            "made_on": "2020-06-01",
        },
        "description",
        "Update the DTKS",
        "Update the DTKS with the audit findings",
    ),
    Walk(
        "trust-events",
        "trust_event",
        lambda w: {
            "collaboration_id": w.collaboration,
            "occurred_on": "2020-06-02",
            "actor_id": w.dinsos,
            "kind": "promise_kept",
            "trust_form": "rational",
            "valence": "positive",
        },
        "severity",
        1,
        2,
    ),
    Walk(
        "outcomes",
        "outcome",
        lambda w: {
            "collaboration_id": w.collaboration,
            "title": "Households added",
            "level": "small_win",
            "target": 100,
        },
        "title",
        "Households added",
        "Households added to DTKS",
    ),
    Walk(
        "evidence",
        "evidence",
        lambda w: {"kind": "document", "title": "Audit report"},
        "title",
        "Audit report",
        "Social audit report",
    ),
    Walk(
        "assessments",
        "assessment",
        lambda w: {
            "collaboration_id": w.collaboration,
            "variable": "prehistory",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "score": 2,
            "rationale": "Mixed history",
            "coder": "R1",
            "evidence_ids": [w.evidence],
        },
        "score",
        2,
        3,
    ),
]


def log_size(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def last_entry(session: Session) -> AuditEntry:
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    return entry


def one_entry(
    session: Session, client: SignedInClient, send: Callable[[], Any]
) -> tuple[Any, AuditEntry]:
    """Send a request; assert it succeeded and added exactly one entry, by this user, now."""
    before = log_size(session)
    started = dt.datetime.now(dt.UTC)
    response = send()
    finished = dt.datetime.now(dt.UTC)
    assert response.status_code in (200, 201), response.text
    assert log_size(session) == before + 1
    entry = last_entry(session)
    assert entry.user_id == client.user.id
    assert entry.actor == client.user.name
    assert started - dt.timedelta(seconds=1) <= entry.at <= finished + dt.timedelta(seconds=1)
    return response.json(), entry


@pytest.mark.parametrize("walk", WALKS, ids=[walk.record_type for walk in WALKS])
def test_create_patch_delete_restore_each_write_one_entry(
    client: SignedInClient, session: Session, world: World, walk: Walk
) -> None:
    url = f"{API}/{walk.path}"
    created, entry = one_entry(session, client, lambda: client.post(url, json=walk.body(world)))
    record_id = created["id"]
    assert (entry.action, entry.record_type, entry.record_id) == (
        "create",
        walk.record_type,
        record_id,
    )
    assert entry.changes[walk.field] == [None, walk.before]
    assert entry.changes["id"] == [None, record_id]

    _, entry = one_entry(
        session,
        client,
        lambda: client.patch(
            f"{url}/{record_id}", json={"version": created["version"], walk.field: walk.after}
        ),
    )
    assert (entry.action, entry.record_type, entry.record_id) == (
        "update",
        walk.record_type,
        record_id,
    )
    assert entry.changes[walk.field] == [walk.before, walk.after]
    assert set(entry.changes) - {walk.field, "search_key"} == set()

    deleted, entry = one_entry(session, client, lambda: client.delete(f"{url}/{record_id}"))
    assert (entry.action, entry.record_id) == ("delete", record_id)
    assert entry.changes == {"deleted_at": [None, deleted["deleted_at"].replace("Z", "+00:00")]}

    restored, entry = one_entry(session, client, lambda: client.post(f"{url}/{record_id}/restore"))
    assert (entry.action, entry.record_id) == ("restore", record_id)
    assert entry.changes["deleted_at"][1] is None
    assert entry.changes["deleted_at"][0] is not None
    assert restored["deleted_at"] is None


def test_the_walk_covers_every_record_type_the_api_creates() -> None:
    from governance.record_types import TRASH_TYPES

    walked = {walk.record_type for walk in WALKS}
    # Decisions and measurements live under their meeting and outcome: walked below.
    assert set(TRASH_TYPES) - walked == {"decision", "measurement"}


class TestWritesBeyondCrud:
    def test_commitment_status_change_is_one_entry_with_before_and_after(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        walk = next(w for w in WALKS if w.record_type == "commitment")
        created = client.post(f"{API}/commitments", json=walk.body(world)).json()
        _, entry = one_entry(
            session,
            client,
            lambda: client.post(
                f"{API}/commitments/{created['id']}/status",
                json={"status": "fulfilled", "changed_on": TODAY, "note": "Done"},
            ),
        )
        assert (entry.action, entry.record_type, entry.record_id) == (
            "status_change",
            "commitment",
            created["id"],
        )
        assert entry.changes["status"] == ["open", "fulfilled"]
        assert entry.changes["fulfilled_on"] == [None, TODAY]
        assert entry.changes["history"][1]["note"] == "Done"

    def test_attendance_replacement_is_one_entry_on_the_meeting(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        walk = next(w for w in WALKS if w.record_type == "meeting")
        created = client.post(f"{API}/meetings", json=walk.body(world)).json()
        _, entry = one_entry(
            session,
            client,
            lambda: client.put(
                f"{API}/meetings/{created['id']}/attendance",
                json={
                    "version": created["version"],
                    "attendance": [{"stakeholder_id": world.spri, "role": "chair"}],
                },
            ),
        )
        assert (entry.action, entry.record_type, entry.record_id) == (
            "update",
            "meeting",
            created["id"],
        )
        before, after = entry.changes["attendance"]
        assert before == []
        assert [(row["stakeholder_id"], row["role"]) for row in after] == [(world.spri, "chair")]

    def test_measurement_add_change_delete_each_one_entry(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        outcome = make_outcome(session, session.get(Collaboration, world.collaboration))  # type: ignore[arg-type]
        session.commit()
        url = f"{API}/outcomes/{outcome.id}/measurements"
        answer, entry = one_entry(
            session, client, lambda: client.post(url, json={"measured_on": TODAY, "value": 250})
        )
        measurement = answer["measurements"][0]
        assert (entry.action, entry.record_type, entry.record_id) == (
            "create",
            "measurement",
            measurement["id"],
        )
        assert entry.changes["value"] == [None, 250]

        _, entry = one_entry(
            session,
            client,
            lambda: client.patch(
                f"{url}/{measurement['id']}", json={"version": measurement["version"], "value": 300}
            ),
        )
        assert (entry.action, entry.changes) == ("update", {"value": [250, 300]})

        _, entry = one_entry(session, client, lambda: client.delete(f"{url}/{measurement['id']}"))
        assert (entry.action, entry.record_type, entry.record_id) == (
            "delete",
            "measurement",
            measurement["id"],
        )

    def test_decision_add_change_delete_restore_each_one_entry(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        walk = next(w for w in WALKS if w.record_type == "meeting")
        meeting = client.post(f"{API}/meetings", json=walk.body(world)).json()
        url = f"{API}/meetings/{meeting['id']}/decisions"
        answer, entry = one_entry(
            session, client, lambda: client.post(url, json={"text": "Verify the list"})
        )
        decision = answer["decisions"][0]
        assert (entry.action, entry.record_type, entry.record_id) == (
            "create",
            "decision",
            decision["id"],
        )
        _, entry = one_entry(
            session,
            client,
            lambda: client.patch(
                f"{url}/{decision['id']}",
                json={"version": decision["version"], "text": "Verify it"},
            ),
        )
        assert entry.changes == {"text": ["Verify the list", "Verify it"]}
        _, entry = one_entry(session, client, lambda: client.delete(f"{url}/{decision['id']}"))
        assert entry.action == "delete"
        _, entry = one_entry(
            session, client, lambda: client.post(f"{url}/{decision['id']}/restore")
        )
        assert entry.action == "restore"


class TestSameTransaction:
    def test_a_refused_write_leaves_no_entry(
        self, client: SignedInClient, session: Session, world: World
    ) -> None:
        created = client.post(f"{API}/collaborations", json={"name": "Bansos"}).json()
        before = log_size(session)
        stale = client.patch(
            f"{API}/collaborations/{created['id']}",
            json={"version": created["version"] + 5, "name": "X"},
        )
        invalid = client.post(f"{API}/forums", json={"collaboration_id": 2**31 - 1, "name": "F"})
        assert (stale.status_code, invalid.status_code) == (409, 422)
        assert log_size(session) == before

    def test_rolling_back_the_write_takes_its_entry_with_it(self, session: Session) -> None:
        before = log_size(session)
        savepoint = session.begin_nested()
        stakeholder_service.create(
            session,
            data=StakeholderCreate.model_validate(
                {"name": "Rolled back", "kind": "organisation", "sector": "community"}
            ),
            actor=Actor("test"),
        )
        session.flush()
        assert log_size(session) == before + 1
        savepoint.rollback()
        assert log_size(session) == before
        assert (
            session.scalars(select(Stakeholder).where(Stakeholder.name == "Rolled back")).all()
            == []
        )

    def test_a_stale_delete_writes_nothing(self, session: Session, world: World) -> None:
        from governance import records

        stakeholder = session.get(Stakeholder, world.spri)
        assert stakeholder is not None
        before = log_size(session)
        with pytest.raises(Conflict):
            records.soft_delete(session, stakeholder, actor=Actor("test"), version=99)
        assert log_size(session) == before
        assert stakeholder.deleted_at is None
