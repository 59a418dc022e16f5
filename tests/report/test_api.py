"""GET /api/v1/collaborations/{id}/report: JSON or Markdown, in English or Indonesian."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance.demo.loader import load_demo
from governance.report.markdown import inline
from tests.factories import make_collaboration

#: The confidential interview of the demo (governance/demo/jakarta.py, "int_spri").
CONFIDENTIAL = "Dinsos answered every name on our first list"
#: The thesis' finding, quoted in the demo's starting conditions.
QUOTED = "history of interaction that has minimal conflict"


@pytest.fixture
def demo_id(session: Session) -> int:
    result = load_demo(session)
    session.flush()
    assert result.collaboration_id is not None
    return result.collaboration_id


def url(collaboration_id: int) -> str:
    return f"/api/v1/collaborations/{collaboration_id}/report"


class TestJson:
    def test_answers_the_report_by_part_of_the_model(
        self, client: TestClient, demo_id: int
    ) -> None:
        response = client.get(url(demo_id), params={"as_of": "2022-06-30"})

        assert response.status_code == 200
        body = response.json()
        assert body["phase"]["code"] == "P6"
        assert [w["key"] for w in body["warnings"]] == ["overdue_commitments"]
        assert [p["part"] for p in body["parts"]] == [
            "starting_conditions",
            "institutional_design",
            "facilitative_leadership",
            "collaborative_process",
            "outcomes",
        ]
        starting = body["parts"][0]
        assert starting["confidential_evidence"] == 2
        assert any(QUOTED in q["excerpt"] for q in starting["quotes"])
        assert CONFIDENTIAL not in response.text

    def test_coded_scores_carry_the_records_verdict(self, client: TestClient, demo_id: int) -> None:
        body = client.get(url(demo_id), params={"as_of": "2022-06-30"}).json()

        prehistory = body["parts"][0]["variables"][2]
        assert prehistory["variable"] == "prehistory"
        assert [
            (c["coder"], c["score"], c["derived"]["verdict"], c["disagrees"])
            for c in prehistory["coded"]
        ] == [
            ("D. Nugroho", 4, "met", False),
            ("R. Anggraini", 3, "met", False),
        ]
        assert prehistory["coded"][0]["derived"]["as_of"] == "2020-05-04"


class TestMarkdown:
    def test_is_a_markdown_file_to_download(self, client: TestClient, demo_id: int) -> None:
        response = client.get(url(demo_id), params={"format": "md", "as_of": "2022-06-30"})

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/markdown; charset=utf-8"
        assert response.headers["content-disposition"] == (
            'attachment; filename="perbaikan-bansos-dki-jakarta-2020-2022-report-2022-06-30-en.md"'
        )
        text = response.text
        for heading in (
            "Starting conditions",
            "Institutional design",
            "Facilitative leadership",
            "The collaborative process",
            "Outcomes",
        ):
            assert f"\n## {heading}\n" in text
        assert QUOTED in text
        assert CONFIDENTIAL not in text

    def test_speaks_indonesian(self, client: TestClient, demo_id: int) -> None:
        response = client.get(
            url(demo_id), params={"format": "md", "lang": "id", "as_of": "2022-06-30"}
        )

        assert response.text.startswith("# Laporan kasus: Perbaikan Bansos DKI Jakarta")
        assert "\n## Kondisi awal\n" in response.text
        assert "- **Fase yang dicapai:** P6 Hasil / terlembagakan" in response.text
        assert response.headers["content-disposition"].endswith('-2022-06-30-id.md"')

    def test_the_indonesian_markdown_has_no_english_sentence_of_the_domain(
        self, client: TestClient, demo_id: int
    ) -> None:
        dated = {"as_of": "2022-06-30"}
        report = client.get(url(demo_id), params=dated).json()
        english = client.get(url(demo_id), params=dated | {"format": "md"}).text
        indonesian = client.get(url(demo_id), params=dated | {"format": "md", "lang": "id"}).text

        sentences = domain_sentences(report)
        shown = [s for s in sentences if inline(s) in english]
        leaked = [s for s in sentences if inline(s) in indonesian]

        assert len(shown) > 60
        assert leaked == []


def domain_sentences(found: Any) -> set[str]:
    """Every English sentence of the domain in a report's JSON: reasons, warning messages,
    formulas, sources, why the bottleneck was chosen."""
    keys = {"reason", "message", "formula", "source", "why_chosen", "rule"}
    said: set[str] = set()
    if isinstance(found, dict):
        for key, value in found.items():
            if key in keys and isinstance(value, str) and value:
                said.add(value)
            else:
                said |= domain_sentences(value)
    elif isinstance(found, list):
        for item in found:
            said |= domain_sentences(item)
    return said


class TestRefusals:
    def test_an_unknown_collaboration_is_404(self, client: TestClient) -> None:
        response = client.get(url(999_999))

        assert response.status_code == 404

    def test_a_deleted_collaboration_is_404(self, client: TestClient, session: Session) -> None:
        gone = make_collaboration(session, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(url(gone.id)).status_code == 404

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"format": "pdf"}, "format"),
            ({"lang": "fr"}, "lang"),
            ({"window_days": "3"}, "window_days"),
            ({"as_of": "2021-02-30"}, "as_of"),
            ({"as_of": "1800-01-01"}, "as_of"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, client: TestClient, session: Session, params: dict[str, str], field: str
    ) -> None:
        case = make_collaboration(session)

        response = client.get(url(case.id), params=params)

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_an_empty_collaboration_still_reports(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Just begun")

        response = client.get(url(case.id), params={"format": "md"})

        assert response.status_code == 200
        assert "P0 No meetings" in response.text
