"""Researchers' assessments through the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.assessments.models import Assessment
from governance.audit.models import AuditEntry
from governance.collaborations.models import Collaboration
from governance.evidence.models import Evidence
from tests.factories import make_collaboration, make_evidence

URL = "/api/v1/assessments"


@pytest.fixture
def bansos(session: Session) -> Collaboration:
    return make_collaboration(session)


@pytest.fixture
def interview(session: Session) -> Evidence:
    return make_evidence(session, title="Interview, Dinas Sosial official")


def score(collaboration: Collaboration, evidence: Evidence, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "collaboration_id": collaboration.id,
        "variable": "trust_building",
        "period_start": "2020-04-01",
        "period_end": "2020-12-31",
        "score": 3,
        "rationale": "Promises kept on both sides after the first joint audit",
        "coder": "R1",
        "evidence_ids": [evidence.id],
    }
    return body | overrides


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestCreate:
    def test_reads_with_its_anchor_and_evidence(
        self, client: TestClient, bansos: Collaboration, interview: Evidence
    ) -> None:
        created = create(client, score(bansos, interview))

        assert created["version"] == 1
        assert created["score"] == 3
        assert created["anchor"] == "substantial"
        assert created["evidence_ids"] == [interview.id]
        assert client.get(f"{URL}/{created['id']}").json()["evidence_ids"] == [interview.id]

    @pytest.mark.parametrize(
        ("value", "anchor"),
        [
            (0, "absent or contrary"),
            (1, "weak"),
            (2, "partial or mixed"),
            (3, "substantial"),
            (4, "strong and triangulated"),
        ],
    )
    def test_every_score_has_its_anchor(
        self,
        client: TestClient,
        bansos: Collaboration,
        interview: Evidence,
        value: int,
        anchor: str,
    ) -> None:
        assert create(client, score(bansos, interview, score=value))["anchor"] == anchor

    def test_several_coders_score_the_same_variable_and_period(
        self, client: TestClient, bansos: Collaboration, interview: Evidence
    ) -> None:
        create(client, score(bansos, interview, coder="R1", score=3))
        create(client, score(bansos, interview, coder="R2", score=2))

        found = client.get(URL, params={"variable": "trust_building"}).json()

        assert [(item["coder"], item["score"]) for item in found["items"]] == [("R1", 3), ("R2", 2)]

    def test_creation_logs_the_evidence(
        self, client: TestClient, session: Session, bansos: Collaboration, interview: Evidence
    ) -> None:
        created = create(client, score(bansos, interview))

        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "assessment", AuditEntry.record_id == created["id"]
            )
        ).one()

        assert entry.action == "create"
        assert entry.changes["score"] == [None, 3]
        assert entry.changes["evidence_ids"] == [None, [interview.id]]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"evidence_ids": []}, "evidence_ids"),
            ({"evidence_ids": [999_999]}, "evidence_ids"),
            ({"evidence_ids": None}, "evidence_ids"),
            ({"score": 5}, "score"),
            ({"score": -1}, "score"),
            ({"score": 2.5}, "score"),
            ({"score": None}, "score"),
            ({"period_end": "2020-03-31"}, "period_end"),
            ({"period_start": None}, "period_start"),
            ({"rationale": ""}, "rationale"),
            ({"coder": ""}, "coder"),
            ({"coder": "x" * 201}, "coder"),
            ({"variable": "happiness"}, "variable"),
            ({"collaboration_id": 999_999}, "collaboration_id"),
            ({"weight": 1}, "weight"),
        ],
    )
    def test_bad_input_names_the_field(
        self,
        client: TestClient,
        session: Session,
        bansos: Collaboration,
        interview: Evidence,
        overrides: dict[str, Any],
        field: str,
    ) -> None:
        response = client.post(URL, json=score(bansos, interview, **overrides))

        assert response.status_code == 422
        assert field in [error["field"] for error in response.json()["errors"]]
        assert session.scalars(select(Assessment)).all() == []

    def test_empty_evidence_says_why(
        self, client: TestClient, bansos: Collaboration, interview: Evidence
    ) -> None:
        response = client.post(URL, json=score(bansos, interview, evidence_ids=[]))

        assert response.json()["errors"] == [
            {
                "field": "evidence_ids",
                "message": "an assessment needs at least one piece of evidence",
            }
        ]

    def test_deleted_collaboration_or_evidence_is_refused(
        self, client: TestClient, session: Session, bansos: Collaboration, interview: Evidence
    ) -> None:
        now = dt.datetime.now(dt.UTC)
        closed = make_collaboration(session, name="Closed case", deleted_at=now)
        withdrawn = make_evidence(session, title="Withdrawn", deleted_at=now)

        in_deleted = client.post(URL, json=score(closed, interview))
        on_deleted = client.post(URL, json=score(bansos, withdrawn))

        assert in_deleted.json()["errors"][0]["field"] == "collaboration_id"
        assert on_deleted.json()["errors"] == [
            {
                "field": "evidence_ids",
                "message": f"evidence {withdrawn.id} does not exist or is deleted",
            }
        ]
        assert session.scalars(select(Assessment)).all() == []


class TestUpdate:
    def test_patch_changes_the_score_and_its_anchor(
        self, client: TestClient, bansos: Collaboration, interview: Evidence
    ) -> None:
        created = create(client, score(bansos, interview))

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "score": 4})

        assert response.status_code == 200
        assert (response.json()["score"], response.json()["anchor"]) == (
            4,
            "strong and triangulated",
        )
        assert response.json()["evidence_ids"] == [interview.id]
        assert response.json()["version"] == 2

    def test_evidence_can_be_replaced(
        self, client: TestClient, session: Session, bansos: Collaboration, interview: Evidence
    ) -> None:
        minutes = make_evidence(session, kind="minutes", title="Minutes, 3 June 2020")
        created = create(client, score(bansos, interview))

        response = client.patch(
            f"{URL}/{created['id']}",
            json={"version": 1, "evidence_ids": [minutes.id, interview.id]},
        )

        assert response.json()["evidence_ids"] == sorted([interview.id, minutes.id])
        assert response.json()["version"] == 2

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"period_end": "2020-03-31"}, "period_end"),
            ({"period_start": "2021-01-01"}, "period_end"),
            ({"evidence_ids": []}, "evidence_ids"),
            ({"evidence_ids": [999_999]}, "evidence_ids"),
            ({"score": None}, "score"),
            ({"rationale": None}, "rationale"),
            ({"collaboration_id": 999_999}, "collaboration_id"),
        ],
    )
    def test_checks_the_state_after_the_patch(
        self,
        client: TestClient,
        bansos: Collaboration,
        interview: Evidence,
        changes: dict[str, Any],
        field: str,
    ) -> None:
        created = create(client, score(bansos, interview))

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, **changes})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(
        self, client: TestClient, bansos: Collaboration, interview: Evidence
    ) -> None:
        created = create(client, score(bansos, interview))
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "score": 2})

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "score": 0})

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["score"] == 2


class TestSearch:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"period_from": "2020-07-01"}, ["2020H2", "2021"]),
            ({"period_to": "2020-06-30"}, ["2020H1"]),
            ({"period_from": "2020-06-30", "period_to": "2020-07-01"}, ["2020H1", "2020H2"]),
            ({"period_from": "2020-12-31", "period_to": "2020-12-31"}, ["2020H2"]),
            ({"period_from": "2022-01-01"}, []),
            ({}, ["2020H1", "2020H2", "2021"]),
        ],
    )
    def test_period_filters_find_overlapping_periods(
        self,
        client: TestClient,
        bansos: Collaboration,
        interview: Evidence,
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        for coder, start, end in [
            ("2020H1", "2020-01-01", "2020-06-30"),
            ("2020H2", "2020-07-01", "2020-12-31"),
            ("2021", "2021-01-01", "2021-12-31"),
        ]:
            create(
                client, score(bansos, interview, coder=coder, period_start=start, period_end=end)
            )

        found = client.get(URL, params=params).json()

        assert sorted(item["coder"] for item in found["items"]) == expected

    def test_filters_by_collaboration_variable_and_coder(
        self, client: TestClient, session: Session, bansos: Collaboration, interview: Evidence
    ) -> None:
        other = make_collaboration(session, name="Flood response")
        trust = create(client, score(bansos, interview, coder="R1"))
        leadership = create(
            client, score(bansos, interview, coder="R2", variable="facilitative_leadership")
        )
        elsewhere = create(client, score(other, interview, coder="R1"))

        def ids(**params: Any) -> list[int]:
            return [item["id"] for item in client.get(URL, params=params).json()["items"]]

        assert ids(collaboration_id=bansos.id) == [leadership["id"], trust["id"]]
        assert ids(variable="trust_building") == [trust["id"], elsewhere["id"]]
        assert ids(coder="R1", collaboration_id=bansos.id) == [trust["id"]]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"period_from": "2021-01-01", "period_to": "2020-01-01"}, "period_to"),
            ({"period_from": "someday"}, "period_from"),
            ({"variable": "happiness"}, "variable"),
        ],
    )
    def test_bad_filters_are_422(
        self, client: TestClient, params: dict[str, str], field: str
    ) -> None:
        response = client.get(URL, params=params)

        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == [field]
