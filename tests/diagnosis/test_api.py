"""The diagnosis and its series through the JSON API."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.i18n import load_languages
from api.pages.diagnosis import wording_for
from governance.base import utcnow
from governance.config import Settings
from governance.demo.loader import load_demo
from governance.diagnosis import service as diagnosis_service
from governance.diagnosis.indicator import SPECS
from governance.diagnosis.messages import of
from governance.diagnosis.thresholds import Thresholds
from tests.factories import make_collaboration, make_forum, make_meeting


@pytest.fixture
def demo_id(session: Session) -> int:
    result = load_demo(session)
    assert result.collaboration_id is not None
    session.commit()
    return result.collaboration_id


def url(collaboration_id: int, *, series: bool = False) -> str:
    return f"/api/v1/collaborations/{collaboration_id}/diagnosis" + ("/series" if series else "")


def get_json(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


class TestDiagnosis:
    def test_answers_the_shape_of_the_issue(self, client: TestClient, demo_id: int) -> None:
        body = get_json(client, url(demo_id), as_of="2022-06-30", window_days=90)

        assert (body["as_of"], body["window_days"], body["window_start"]) == (
            "2022-06-30",
            90,
            "2022-04-02",
        )
        assert body["phase"] == {
            "code": "P6",
            "name": "Outcomes / institutionalised",
            "reason": "final outcome measured (Households verified and added to DTKS) and a "
            "formalising decision taken on 2021-06-15",
            "reason_id": "final outcome measured (%(outcomes)s) and a formalising decision "
            "taken on %(date)s",
            "reason_params": {
                "outcomes": "Households verified and added to DTKS",
                "date": {"type": "date", "value": "2021-06-15"},
            },
        }
        assert body["bottleneck"]["key"] == "commitment"
        assert body["cycles"]["count"] == 4
        assert body["lifecycle"]["status"] == "active"
        assert [w["key"] for w in body["warnings"]] == ["overdue_commitments"]
        assert body["warnings"][0]["message"].startswith("2 of 3 open commitments (67%)")

    def test_every_sentence_comes_with_its_message_id_and_parameters(
        self, client: TestClient, demo_id: int
    ) -> None:
        body = get_json(client, url(demo_id), as_of="2022-06-30")

        warning = body["warnings"][0]
        assert warning["message_id"] == (
            "%(overdue)s of %(live)s open commitments (%(ratio)s) are past their due date, "
            "above the limit of %(limit)s."
        )
        assert warning["message_params"] == {
            "overdue": 2,
            "live": 3,
            "ratio": {"type": "share", "value": pytest.approx(2 / 3)},
            "limit": {"type": "share", "value": 0.25},
        }
        assert body["bottleneck"]["why_chosen_id"] == (
            "the weakest unmet link up to the phase reached"
        )
        assert body["lifecycle"]["reason_id"] == "last meeting %(days)s days ago, within %(limit)s"
        regularity = next(i for i in body["indicators"] if i["key"] == "regularity")
        assert regularity["reason_id"] == "too little data: %(missing)s"
        assert regularity["reason_params"]["missing"]["message_id"] == (
            "fewer than 3 held meetings in the window"
        )

    def test_a_client_can_say_the_sentences_in_indonesian_with_the_catalog(
        self, client: TestClient, demo_id: int
    ) -> None:
        body = get_json(client, url(demo_id), as_of="2022-06-30")
        say = wording_for(load_languages()["id"])

        warning = body["warnings"][0]
        said = say.text(of(warning["message_id"], warning["message_params"]))
        phase = say.text(of(body["phase"]["reason_id"], body["phase"]["reason_params"]))

        assert said == (
            "2 dari 3 komitmen yang masih berjalan (67%) sudah lewat tenggat, di atas batas 25%."
        )
        assert phase.endswith("keputusan formalisasi diambil pada 15 Jun 2021")

    def test_every_indicator_has_its_formula_and_variable(
        self, client: TestClient, demo_id: int
    ) -> None:
        body = get_json(client, url(demo_id), as_of="2022-06-30")

        indicators = {i["key"]: i for i in body["indicators"]}
        families = {key.rsplit("_", 1)[0] for key in indicators if key.startswith("attendance")}
        assert set(SPECS) <= set(indicators) | families
        regularity = indicators["regularity"]
        assert regularity["value"] is None
        assert regularity["reason"] == "too little data: fewer than 3 held meetings in the window"
        assert regularity["formula"] == SPECS["regularity"].formula
        assert regularity["variable"] == "face_to_face_dialogue"
        assert indicators["prehistory_balance"]["value"] == pytest.approx(0.6)

    def test_shows_the_thresholds_used(self, client: TestClient, demo_id: int) -> None:
        body = get_json(client, url(demo_id), as_of="2022-06-30")

        used = {t["name"]: t for t in body["thresholds"]}
        assert set(used) == set(Thresholds.names())
        assert used["overdue_ratio_max"]["value"] == used["overdue_ratio_max"]["default"] == 0.25

    def test_uses_the_deployments_thresholds(
        self, client: TestClient, app: FastAPI, demo_id: int
    ) -> None:
        lenient = Settings(
            environment="test", secret_key="x" * 40, diagnosis_thresholds={"overdue_ratio_max": 0.7}
        )
        # The app is shared by the tests: put its settings back afterwards.
        original, app.state.settings = app.state.settings, lenient
        try:
            body = get_json(client, url(demo_id), as_of="2022-06-30")
        finally:
            app.state.settings = original

        used = {t["name"]: t for t in body["thresholds"]}
        assert (used["overdue_ratio_max"]["value"], used["overdue_ratio_max"]["default"]) == (
            0.7,
            0.25,
        )
        assert body["warnings"] == []  # 67 % overdue is within 70 %

    def test_defaults_to_today_and_90_days(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session)
        session.commit()

        body = get_json(client, url(collaboration.id))

        assert body["as_of"] == diagnosis_service.today().isoformat()
        assert body["window_days"] == 90
        assert body["phase"]["code"] == "P0"

    def test_is_fast_on_the_demo(self, client: TestClient, demo_id: int) -> None:
        started = time.perf_counter()
        get_json(client, url(demo_id), as_of="2022-06-30")

        assert time.perf_counter() - started < 1.0

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"as_of": "2022-13-01"}, "as_of"),
            ({"as_of": "yesterday"}, "as_of"),
            ({"as_of": "1899-12-31"}, "as_of"),
            ({"as_of": "2200-01-01"}, "as_of"),
            ({"window_days": 6}, "window_days"),
            ({"window_days": 3651}, "window_days"),
            ({"window_days": "ninety"}, "window_days"),
        ],
    )
    def test_refuses_bad_parameters(
        self, client: TestClient, session: Session, params: dict[str, Any], field: str
    ) -> None:
        collaboration = make_collaboration(session)
        session.commit()

        response = client.get(url(collaboration.id), params=params)

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]

    @pytest.mark.parametrize("series", [False, True])
    def test_unknown_collaboration_is_404(self, client: TestClient, series: bool) -> None:
        response = client.get(url(2_000_000_000, series=series), params={"as_of": "2022-06-30"})

        assert response.status_code == 404
        assert response.json()["detail"] == "Collaboration 2000000000 not found"

    @pytest.mark.parametrize("series", [False, True])
    def test_deleted_collaboration_is_404(
        self, client: TestClient, session: Session, series: bool
    ) -> None:
        collaboration = make_collaboration(session, deleted_at=utcnow())
        session.commit()

        response = client.get(url(collaboration.id, series=series))

        assert response.status_code == 404

    def test_an_id_out_of_range_is_422(self, client: TestClient) -> None:
        response = client.get(url(0))

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "record_id"


class TestSeries:
    def test_one_point_per_quarter_with_a_legend(self, client: TestClient, demo_id: int) -> None:
        body = get_json(client, url(demo_id, series=True), as_of="2022-06-30")

        assert [p["quarter"] for p in body["points"]] == [
            "2020Q2",
            "2020Q3",
            "2020Q4",
            "2021Q1",
            "2021Q2",
            "2021Q3",
            "2021Q4",
            "2022Q1",
            "2022Q2",
        ]
        last = body["points"][-1]
        assert (last["start"], last["end"], last["phase"]["code"]) == (
            "2022-04-01",
            "2022-06-30",
            "P6",
        )
        assert last["warnings"] == ["overdue_commitments"]
        assert last["indicators"]["meetings_per_30_days"] == pytest.approx(30 / 91)
        legend = {i["key"]: i for i in body["indicators"]}
        assert legend["net_trust_balance"]["formula"] == SPECS["net_trust_balance"].formula
        assert body["truncated"] is False

    def test_a_young_collaboration_has_one_point(
        self, client: TestClient, session: Session
    ) -> None:
        collaboration = make_collaboration(session, started_on=None)
        forum = make_forum(session, collaboration)
        make_meeting(session, forum)
        session.commit()

        body = get_json(client, url(collaboration.id, series=True), as_of="2020-06-15")

        # No start date: the life starts with the first meeting, on 2020-06-01.
        assert [(p["quarter"], p["start"], p["phase"]["code"]) for p in body["points"]] == [
            ("2020Q2", "2020-04-01", "P1")
        ]

    def test_refuses_a_bad_date(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session)
        session.commit()

        response = client.get(url(collaboration.id, series=True), params={"as_of": "2300-01-01"})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "as_of"
