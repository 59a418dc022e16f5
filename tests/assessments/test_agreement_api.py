"""GET /api/v1/collaborations/{id}/assessments/agreement: the coders' agreement, by variable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance.assessments.agreement import krippendorff_alpha, weighted_kappa
from governance.assessments.models import Assessment
from governance.base import utcnow
from governance.collaborations.models import Collaboration
from governance.demo.loader import load_demo
from governance.vocab import ModelVariable
from tests.factories import make_collaboration, make_evidence


def url(collaboration_id: int) -> str:
    return f"/api/v1/collaborations/{collaboration_id}/assessments/agreement"


def make_assessment(
    session: Session,
    collaboration: Collaboration,
    *,
    coder: str,
    score: int,
    variable: ModelVariable = ModelVariable.TRUST_BUILDING,
    period: tuple[dt.date, dt.date] = (dt.date(2020, 4, 1), dt.date(2020, 12, 31)),
    **fields: Any,
) -> Assessment:
    assessment = Assessment(
        collaboration_id=collaboration.id,
        variable=variable,
        period_start=period[0],
        period_end=period[1],
        score=score,
        rationale="Coded from the minutes",
        coder=coder,
        **fields,
    )
    assessment.evidence = [make_evidence(session)]
    session.add(assessment)
    session.flush()
    return assessment


def coefficient(scope: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in scope["coefficients"] if c["key"] == key)


@pytest.fixture
def bansos(session: Session) -> Collaboration:
    return make_collaboration(session)


class TestDemoCase:
    def test_two_coders_of_prehistory_are_compared(
        self, client: TestClient, session: Session
    ) -> None:
        result = load_demo(session)
        session.flush()
        assert result.collaboration_id is not None

        response = client.get(url(result.collaboration_id))

        assert response.status_code == 200
        body = response.json()
        overall = body["overall"]
        assert body["collaboration_id"] == result.collaboration_id
        assert overall["coders"] == ["D. Nugroho", "R. Anggraini"]
        assert (overall["n_coders"], overall["n_units"], overall["n_units_single"]) == (2, 1, 2)
        assert overall["statistic"] == "kappa_quadratic"
        # One unit scored 4 and 3: the marginals leave chance nothing else, so κ = α = 0.
        assert overall["value"] == 0.0
        assert coefficient(overall, "alpha_ordinal")["value"] == 0.0
        assert overall["disagreements"] == []
        by_variable = {item["variable"]: item for item in body["variables"]}
        assert list(by_variable) == [
            "incentives_and_constraints",
            "prehistory",
            "facilitative_leadership",
        ]
        assert by_variable["prehistory"]["n_units"] == 1
        leadership = by_variable["facilitative_leadership"]
        assert (leadership["coders"], leadership["value"]) == (["R. Anggraini"], None)
        assert leadership["reason"] == "no unit was coded by two or more coders"


class TestHandMadeAssessments:
    def test_kappa_and_disagreements_of_two_coders(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        later = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
        make_assessment(session, bansos, coder="R1", score=1)
        make_assessment(session, bansos, coder="R2", score=2)
        first = make_assessment(session, bansos, coder="R1", score=4, period=later)
        second = make_assessment(session, bansos, coder="R2", score=1, period=later)
        make_assessment(
            session, bansos, coder="R1", score=3, variable=ModelVariable.PROCESS_TRANSPARENCY
        )
        make_assessment(
            session, bansos, coder="R2", score=3, variable=ModelVariable.PROCESS_TRANSPARENCY
        )

        body = client.get(url(bansos.id)).json()

        overall = body["overall"]
        assert overall["n_units"] == 3
        assert overall["value"] == pytest.approx(weighted_kappa([1, 4, 3], [2, 1, 3]))
        assert coefficient(overall, "kappa_linear")["value"] == pytest.approx(
            weighted_kappa([1, 4, 3], [2, 1, 3], weights="linear")
        )
        assert overall["disagreements"] == [
            {
                "variable": "trust_building",
                "period_start": "2021-01-01",
                "period_end": "2021-06-30",
                "first_coder": "R1",
                "first_score": 4,
                "first_assessment_id": first.id,
                "second_coder": "R2",
                "second_score": 1,
                "second_assessment_id": second.id,
                "difference": 3,
            }
        ]
        trust = next(v for v in body["variables"] if v["variable"] == "trust_building")
        assert len(trust["disagreements"]) == 1

    def test_three_coders_are_compared_by_ordinal_alpha(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        for coder, score in [("R1", 2), ("R2", 3), ("R3", 3)]:
            make_assessment(session, bansos, coder=coder, score=score)
        make_assessment(session, bansos, coder="R1", score=0, variable=ModelVariable.OUTCOMES)
        make_assessment(session, bansos, coder="R3", score=1, variable=ModelVariable.OUTCOMES)

        overall = client.get(url(bansos.id)).json()["overall"]

        assert (overall["statistic"], overall["n_coders"]) == ("alpha_ordinal", 3)
        assert overall["value"] == pytest.approx(
            krippendorff_alpha([[2, 3, 3], [0, 1]], metric="ordinal")
        )
        assert coefficient(overall, "kappa_quadratic")["value"] is None

    def test_deleted_assessments_and_other_collaborations_do_not_count(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        make_assessment(session, bansos, coder="R1", score=0)
        make_assessment(session, bansos, coder="R2", score=4, deleted_at=utcnow())
        other = make_collaboration(session, name="Another case")
        make_assessment(session, other, coder="R3", score=4)

        overall = client.get(url(bansos.id)).json()["overall"]

        assert (overall["coders"], overall["n_units"], overall["n_units_single"]) == (
            ["R1"],
            0,
            1,
        )
        assert overall["value"] is None

    def test_a_collaboration_without_assessments_has_no_agreement(
        self, client: TestClient, bansos: Collaboration
    ) -> None:
        body = client.get(url(bansos.id)).json()

        assert body["variables"] == []
        assert (body["overall"]["n_units"], body["overall"]["value"]) == (0, None)
        assert body["overall"]["reason"] == "no unit was coded by two or more coders"


class TestErrors:
    def test_unknown_collaboration_is_404(self, client: TestClient) -> None:
        assert client.get(url(999_999)).status_code == 404

    def test_deleted_collaboration_is_404(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        bansos.deleted_at = utcnow()
        session.flush()

        assert client.get(url(bansos.id)).status_code == 404

    @pytest.mark.parametrize("record_id", ["0", "-1", "abc", str(2**31)])
    def test_bad_id_is_422(self, client: TestClient, record_id: str) -> None:
        response = client.get(f"/api/v1/collaborations/{record_id}/assessments/agreement")

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "record_id"
