"""Reads answer with JSON written straight from plain rows (``governance.read_rows``).

The rows skip the read models on the way out, so these tests hold them to the models:
an answer's bytes must be what FastAPI wrote from each record's read model built the
plain way — from the ORM objects' attributes — and so what the OpenAPI schema says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.commitments import service as commitment_service
from governance.commitments.schemas import CommitmentRead, StatusChangeRead
from governance.evidence.models import evidence_links
from governance.meetings import service as meeting_service
from governance.meetings.schemas import AttendanceRead, DecisionRead, MeetingRead
from governance.models import (
    Attendance,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Evidence,
    Meeting,
    Stakeholder,
)
from governance.schemas import PageOut
from governance.stakeholders.schemas import StakeholderRead
from tests.factories import (
    make_collaboration,
    make_evidence,
    make_forum,
    make_meeting,
    make_stakeholder,
)


def page_json(read: type[BaseModel], items: Sequence[BaseModel], *, total: int) -> bytes:
    """A list answer as FastAPI writes it from read models (default limit and offset)."""
    page = PageOut[read].model_validate(  # type: ignore[valid-type]
        {"items": items, "total": total, "limit": 50, "offset": 0}
    )
    return TypeAdapter(PageOut[read]).dump_json(page)  # type: ignore[valid-type]


def columns(record: Any) -> dict[str, Any]:
    return {column.key: getattr(record, column.key) for column in record.__mapper__.column_attrs}


# -- meetings --------------------------------------------------------------------------------


def meeting_model(session: Session, meeting_id: int) -> MeetingRead:
    """A meeting's read model from its ORM objects, seats and live decisions in id order."""
    seats = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.id)
    ).all()
    decisions = session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting_id, Decision.deleted_at.is_(None))
        .order_by(Decision.id)
    ).all()
    return MeetingRead.model_validate(
        columns(session.get_one(Meeting, meeting_id))
        | {
            "attendance": [AttendanceRead.model_validate(seat) for seat in seats],
            "attended_count": sum(seat.attended for seat in seats),
            "decisions": [DecisionRead.model_validate(decision) for decision in decisions],
        }
    )


class TestMeetings:
    @pytest.fixture
    def meetings(self, client: TestClient, session: Session) -> tuple[int, int, int]:
        """A logged meeting with seats and decisions (one deleted), a bare one, a deleted one."""
        forum = make_forum(session, make_collaboration(session))
        dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector="government")
        spri = make_stakeholder(session, name="SPRI DKI Jakarta")
        logged = client.post(
            "/api/v1/meetings",
            json={
                "forum_id": forum.id,
                "title": "Verifying unserved households — ronde 2",
                "starts_at": "2020-06-02T09:00:00.250000+07:00",
                "mode": "online",
                "agenda": "1. Audit\n2. DTKS",
                "minutes": "*Dinsos* will verify <b>412</b> households.",
                "minutes_circulated_on": "2020-06-04",
                "status": "held",
                "attendance": [
                    {"stakeholder_id": dinsos.id, "role": "chair", "represented_by": "Ibu Sri"},
                    {"stakeholder_id": spri.id, "attended": False, "invited": False},
                ],
                "decisions": [
                    {"text": "Verify the list", "rationale": "Audit found gaps"},
                    {"text": "Withdrawn", "by_consensus": False, "kind": "shared_statement"},
                ],
            },
        ).json()
        withdrawn = logged["decisions"][1]["id"]
        deleted = client.delete(f"/api/v1/meetings/{logged['id']}/decisions/{withdrawn}")
        assert deleted.status_code == 200, deleted.text
        later = dt.datetime(2020, 7, 1, 3, tzinfo=dt.UTC)
        bare = make_meeting(session, forum, starts_at=later, ends_at=later + dt.timedelta(hours=2))
        gone = make_meeting(
            session, forum, starts_at=later, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        )
        session.commit()
        return logged["id"], bare.id, gone.id

    def test_a_page_is_written_as_its_read_models_would_write_it(
        self, client: TestClient, session: Session, meetings: tuple[int, int, int]
    ) -> None:
        logged, bare, gone = meetings  # in the order they start

        response = client.get("/api/v1/meetings", params={"include_deleted": True})

        assert response.headers["content-type"] == "application/json"
        models = [meeting_model(session, meeting_id) for meeting_id in (logged, bare, gone)]
        assert response.content == page_json(MeetingRead, models, total=3)

    def test_one_meeting_is_written_as_its_read_model_would_write_it(
        self, client: TestClient, session: Session, meetings: tuple[int, int, int]
    ) -> None:
        logged = meetings[0]

        response = client.get(f"/api/v1/meetings/{logged}")

        assert response.content == meeting_model(session, logged).model_dump_json().encode()

    def test_rows_carry_codes_not_enum_members(
        self, session: Session, meetings: tuple[int, int, int]
    ) -> None:
        [row] = meeting_service.rows(session, [session.get_one(Meeting, meetings[0])])

        assert (type(row["mode"]), row["mode"]) == (str, "online")
        assert (type(row["status"]), row["status"]) == (str, "held")
        assert [(type(seat["role"]), seat["role"]) for seat in row["attendance"]] == [
            (str, "chair"),
            (str, "participant"),
        ]
        assert [(type(d["kind"]), d["text"]) for d in row["decisions"]] == [
            (str, "Verify the list")
        ]
        assert row["attended_count"] == 1


# -- commitments -----------------------------------------------------------------------------


def commitment_model(session: Session, commitment_id: int, *, on: dt.date) -> CommitmentRead:
    """A commitment's read model from its ORM objects, with its live evidence per step."""
    commitment = session.get_one(Commitment, commitment_id)
    steps = session.scalars(
        select(CommitmentStatusChange)
        .where(CommitmentStatusChange.commitment_id == commitment_id)
        .order_by(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)
    ).all()

    def evidence_of(step_id: int) -> list[int]:
        return list(
            session.scalars(
                select(evidence_links.c.evidence_id)
                .join(Evidence, Evidence.id == evidence_links.c.evidence_id)
                .where(evidence_links.c.status_change_id == step_id, Evidence.deleted_at.is_(None))
                .order_by(evidence_links.c.evidence_id)
            )
        )

    history = [
        StatusChangeRead.model_validate(columns(step) | {"evidence_ids": evidence_of(step.id)})
        for step in steps
    ]
    overdue = commitment_service.is_overdue(commitment, on=on)
    return CommitmentRead.model_validate(
        columns(commitment) | {"overdue": overdue, "history": history}
    )


class TestCommitments:
    @pytest.fixture
    def commitments(self, client: TestClient, session: Session) -> tuple[int, int, int]:
        """One fulfilled with evidence (one piece later deleted), one overdue, one undated."""
        collaboration = make_collaboration(session)
        dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector="government")
        spri = make_stakeholder(session, name="SPRI DKI Jakarta")
        kept, retracted = make_evidence(session), make_evidence(session, title="Retracted")
        session.commit()

        def promise(**fields: Any) -> int:
            body = {
                "collaboration_id": collaboration.id,
                "owner_id": dinsos.id,
                "description": "Verify 412 households",
                "made_on": "2020-06-01",
            }
            response = client.post("/api/v1/commitments", json=body | fields)
            assert response.status_code == 201, response.text
            return int(response.json()["id"])

        fulfilled = promise(counterpart_id=spri.id, due_on="2020-07-01")
        for status, on, evidence in (
            ("in_progress", "2020-06-05", []),
            ("fulfilled", "2020-06-20", [kept.id, retracted.id]),
        ):
            moved = client.post(
                f"/api/v1/commitments/{fulfilled}/status",
                json={"status": status, "changed_on": on, "evidence_ids": evidence, "note": on},
            )
            assert moved.status_code == 200, moved.text
        assert client.delete(f"/api/v1/evidence/{retracted.id}").status_code == 200
        overdue = promise(due_on="2020-06-10")
        undated = promise()
        return fulfilled, overdue, undated

    def test_a_page_is_written_as_its_read_models_would_write_it(
        self, client: TestClient, session: Session, commitments: tuple[int, int, int]
    ) -> None:
        response = client.get("/api/v1/commitments")

        on = commitment_service.today()
        # Soonest due first, undated last.
        fulfilled, overdue, undated = commitments
        models = [commitment_model(session, i, on=on) for i in (overdue, fulfilled, undated)]
        assert response.content == page_json(CommitmentRead, models, total=3)
        assert [item["overdue"] for item in response.json()["items"]] == [True, False, False]

    def test_one_commitment_is_written_as_its_read_model_would_write_it(
        self, client: TestClient, session: Session, commitments: tuple[int, int, int]
    ) -> None:
        fulfilled = commitments[0]

        response = client.get(f"/api/v1/commitments/{fulfilled}")

        expected = commitment_model(session, fulfilled, on=commitment_service.today())
        assert response.content == expected.model_dump_json().encode()
        assert [step["to_status"] for step in response.json()["history"]] == [
            "open",
            "in_progress",
            "fulfilled",
        ]


# -- stakeholders ----------------------------------------------------------------------------


class TestStakeholders:
    @pytest.fixture
    def stakeholders(self, client: TestClient, session: Session) -> list[int]:
        """Named Yayasan: a bare one, a deleted one, one with a full profile (in name order)."""
        created = client.post(
            "/api/v1/stakeholders",
            json={
                "name": "Yayasan Peduli Warga",
                "aliases": ["YPW", "Yayasan Peduli"],
                "kind": "organisation",
                "sector": "civil_society",
                "description": "Runs the audit in RW 05",
                "resources": {"staff": 2, "knowledge": 0},
                "contact": {"email": "ypw@example.org", "note": "Ask for Ibu Sri"},
            },
        ).json()
        bare = make_stakeholder(session, name="Yayasan Bare", sector="government")
        gone = make_stakeholder(
            session, name="Yayasan Gone", deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        )
        session.commit()
        return [bare.id, gone.id, created["id"]]

    @pytest.mark.parametrize(("role", "sees_contact"), [("secretariat", True), ("viewer", False)])
    def test_a_page_is_written_as_its_read_models_would_write_it_for_each_role(
        self,
        client_as: Callable[[str], TestClient],
        session: Session,
        stakeholders: list[int],
        role: str,
        sees_contact: bool,
    ) -> None:
        response = client_as(role).get(
            "/api/v1/stakeholders", params={"q": "yayasan", "include_deleted": True}
        )

        models = [self.model(session, i, sees_contact=sees_contact) for i in stakeholders]
        assert response.content == page_json(StakeholderRead, models, total=3)
        assert (response.json()["items"][-1]["contact"] is not None) is sees_contact

    def test_one_stakeholder_is_written_as_its_read_model_would_write_it(
        self, client_as: Callable[[str], TestClient], session: Session, stakeholders: list[int]
    ) -> None:
        profiled = stakeholders[-1]

        response = client_as("researcher").get(f"/api/v1/stakeholders/{profiled}")

        expected = self.model(session, profiled, sees_contact=False)
        assert response.content == expected.model_dump_json().encode()

    @staticmethod
    def model(session: Session, stakeholder_id: int, *, sees_contact: bool) -> StakeholderRead:
        read = StakeholderRead.model_validate(session.get_one(Stakeholder, stakeholder_id))
        return read if sees_contact else read.model_copy(update={"contact": None})
