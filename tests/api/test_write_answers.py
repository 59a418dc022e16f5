"""Writes answer with JSON encoded in the route (``RecordRoutes.written``), not by FastAPI.

The answer skips FastAPI's check against the response model, and a new commitment's
history is taken from what was just written, not read back; so these tests hold each
answer to the bytes FastAPI wrote from the record's read model built the plain way —
from the rows in the database — and to the status codes the routes declare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.commitments import service as commitment_service
from governance.commitments.schemas import (
    CommitmentCreate,
    CommitmentRead,
    StatusChangeCreate,
    StatusChangeRead,
)
from governance.evidence.models import evidence_links
from governance.models import Commitment, CommitmentStatusChange, Evidence, TrustEvent
from governance.trust.schemas import TrustEventRead
from governance.vocab import CommitmentStatus
from tests.factories import make_collaboration, make_evidence, make_stakeholder


@dataclass(frozen=True)
class World:
    collaboration_id: int
    dinsos: int
    spri: int
    interview: int
    minutes: int


@pytest.fixture
def world(session: Session) -> World:
    world = World(
        collaboration_id=make_collaboration(session).id,
        dinsos=make_stakeholder(session, name="Dinas Sosial DKI", sector="government").id,
        spri=make_stakeholder(session, name="SPRI DKI Jakarta").id,
        interview=make_evidence(session).id,
        minutes=make_evidence(session, kind="minutes", title="Minutes, 2 June 2020").id,
    )
    session.commit()
    return world


def columns(record: Any) -> dict[str, Any]:
    return {column.key: getattr(record, column.key) for column in record.__mapper__.column_attrs}


def live_evidence(session: Session, link_column: str, record_id: int) -> list[int]:
    return list(
        session.scalars(
            select(evidence_links.c.evidence_id)
            .join(Evidence, Evidence.id == evidence_links.c.evidence_id)
            .where(evidence_links.c[link_column] == record_id, Evidence.deleted_at.is_(None))
            .order_by(evidence_links.c.evidence_id)
        )
    )


def trust_event_json(session: Session, event_id: int) -> bytes:
    """A trust event as FastAPI writes it from its read model, built from its row."""
    session.expire_all()
    event = session.get_one(TrustEvent, event_id)
    evidence_ids = live_evidence(session, "trust_event_id", event_id)
    model = TrustEventRead.model_validate(columns(event) | {"evidence_ids": evidence_ids})
    return TypeAdapter(TrustEventRead).dump_json(model)


def commitment_json(session: Session, commitment_id: int) -> bytes:
    """A commitment as FastAPI writes it from its read model, built from its rows."""
    session.expire_all()
    commitment = session.get_one(Commitment, commitment_id)
    steps = session.scalars(
        select(CommitmentStatusChange)
        .where(CommitmentStatusChange.commitment_id == commitment_id)
        .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
    ).all()
    history = [
        StatusChangeRead.model_validate(
            columns(step) | {"evidence_ids": live_evidence(session, "status_change_id", step.id)}
        )
        for step in steps
    ]
    overdue = commitment_service.is_overdue(commitment, on=commitment_service.today())
    model = CommitmentRead.model_validate(
        columns(commitment) | {"overdue": overdue, "history": history}
    )
    return TypeAdapter(CommitmentRead).dump_json(model)


class TestTrustEvents:
    URL = "/api/v1/trust-events"

    def body(self, world: World, **overrides: Any) -> dict[str, Any]:
        return {
            "collaboration_id": world.collaboration_id,
            "occurred_on": "2020-06-02",
            "actor_id": world.dinsos,
            "target_id": world.spri,
            "kind": "information_shared",
            "trust_form": "procedural",
            "valence": "positive",
            "severity": 2,
            "description": "Shared the verification list",
            "evidence_ids": [world.minutes, world.interview],
        } | overrides

    def test_a_created_event_is_answered_as_its_read_model_would_be(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        response = client.post(self.URL, json=self.body(world))

        assert response.status_code == 201
        assert response.headers["content-type"] == "application/json"
        assert response.content == trust_event_json(session, response.json()["id"])
        assert response.json()["evidence_ids"] == sorted([world.minutes, world.interview])

    def test_a_changed_deleted_and_restored_event_is_answered_as_its_read_model_would_be(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = client.post(self.URL, json=self.body(world)).json()
        url = f"{self.URL}/{created['id']}"

        changed = client.patch(url, json={"version": 1, "severity": 3, "evidence_ids": []})
        assert (changed.status_code, changed.json()["severity"]) == (200, 3)
        assert changed.content == trust_event_json(session, created["id"])

        deleted = client.delete(url)
        assert (deleted.status_code, deleted.json()["deleted_at"] is None) == (200, False)
        assert deleted.content == trust_event_json(session, created["id"])

        restored = client.post(f"{url}/restore")
        assert (restored.status_code, restored.json()["deleted_at"]) == (200, None)
        assert restored.content == trust_event_json(session, created["id"])

    def test_refusals_are_unchanged(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = client.post(self.URL, json=self.body(world)).json()

        invalid = client.post(self.URL, json=self.body(world, target_id=world.dinsos))
        stale = client.patch(f"{self.URL}/{created['id']}", json={"version": 7, "severity": 1})

        assert invalid.status_code == 422
        assert [error["field"] for error in invalid.json()["errors"]] == ["target_id"]
        assert stale.status_code == 409


class TestCommitments:
    URL = "/api/v1/commitments"

    def body(self, world: World, **overrides: Any) -> dict[str, Any]:
        return {
            "collaboration_id": world.collaboration_id,
            "owner_id": world.dinsos,
            "counterpart_id": world.spri,
            "description": "Verify 412 households",
            "made_on": "2020-06-01",
            "due_on": "2020-07-01",
        } | overrides

    def test_a_created_commitment_is_answered_with_the_history_it_has(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        response = client.post(self.URL, json=self.body(world))

        assert response.status_code == 201
        assert response.content == commitment_json(session, response.json()["id"])
        [opening] = response.json()["history"]
        assert (opening["from_status"], opening["to_status"], opening["changed_on"]) == (
            None,
            "open",
            "2020-06-01",
        )

    def test_status_changes_and_updates_are_answered_as_the_read_model_would_be(
        self, client: TestClient, session: Session, world: World
    ) -> None:
        created = client.post(self.URL, json=self.body(world)).json()
        url = f"{self.URL}/{created['id']}"

        moved = client.post(
            f"{url}/status",
            json={
                "status": "fulfilled",
                "changed_on": "2020-06-20",
                "evidence_ids": [world.minutes],
            },
        )
        assert moved.status_code == 200
        assert moved.content == commitment_json(session, created["id"])
        assert [step["to_status"] for step in moved.json()["history"]] == ["open", "fulfilled"]

        changed = client.patch(url, json={"version": 2, "made_on": "2020-05-30"})
        assert changed.status_code == 200
        assert changed.content == commitment_json(session, created["id"])
        assert changed.json()["history"][0]["changed_on"] == "2020-05-30"


class TestHistoryAtHand:
    """A commitment created in a session keeps its history at hand: it must stay whole."""

    def test_the_history_at_hand_is_the_history_read(self, session: Session, world: World) -> None:
        actor = Actor("test")
        data = CommitmentCreate(
            collaboration_id=world.collaboration_id,
            owner_id=world.dinsos,
            description="Verify 412 households",
            made_on=dt.date(2020, 6, 1),
        )
        commitment = commitment_service.create(session, data=data, actor=actor)
        for status, on in (
            (CommitmentStatus.IN_PROGRESS, dt.date(2020, 6, 5)),
            (CommitmentStatus.FULFILLED, dt.date(2020, 6, 20)),
        ):
            commitment_service.change_status(
                session,
                record=commitment,
                data=StatusChangeCreate(
                    status=status, changed_on=on, evidence_ids=[world.interview]
                ),
                actor=actor,
            )
        session.commit()

        at_hand = commitment_service.rows(session, [commitment])
        session.expire_all()
        read = commitment_service.rows(session, [session.get_one(Commitment, commitment.id)])

        assert at_hand == read
        assert [step["to_status"] for step in at_hand[0]["history"]] == [
            CommitmentStatus.OPEN,
            CommitmentStatus.IN_PROGRESS,
            CommitmentStatus.FULFILLED,
        ]
        assert at_hand[0]["history"][2]["evidence_ids"] == [world.interview]
