"""The diagnosis page: the cycle drawn with the phase and the bottleneck, warnings, every
indicator by variable beside the coded scores, and the quarterly trends."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance.assessments.models import Assessment
from governance.demo.loader import LoadResult
from governance.vocab import ModelVariable
from tests.factories import make_collaboration, make_evidence
from tests.pages.html import field_error, input_value, text_of

SVG = "{http://www.w3.org/2000/svg}"
MID_2022 = {"as_of": "2022-06-30"}


def url(collaboration_id: int | None) -> str:
    return f"/collaborations/{collaboration_id}/diagnosis"


def section(html: str, element_id: str) -> str:
    """The HTML of the section with this id, up to the next one of its level."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def main(html: str) -> str:
    """The page's own content, without the header and its language switch."""
    return html[html.index('<main id="main"') : html.index("</main>")]


def cycle_svg(html: str) -> ET.Element:
    found = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg cycle__svg".*?</svg>',
        html,
        re.S,
    )
    assert found, "no cycle drawn"
    return ET.fromstring(found.group(0))


def node(svg: ET.Element, key: str) -> ET.Element:
    return next(g for g in svg.iter(f"{SVG}g") if g.get("data-node") == key)


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def code(session: Session, collaboration_id: int, **fields: Any) -> Assessment:
    evidence = make_evidence(session, collaboration_id=collaboration_id)
    values: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "variable": ModelVariable.COMMITMENT_TO_PROCESS,
        "period_start": dt.date(2022, 4, 1),
        "period_end": dt.date(2022, 6, 30),
        "score": 4,
        "rationale": "Everyone kept their word.",
        "coder": "R. Tester",
    }
    assessment = Assessment(**(values | fields))
    assessment.evidence = [evidence]
    session.add(assessment)
    session.flush()
    return assessment


class TestDemo:
    def test_shows_the_phase_the_bottleneck_and_the_warning(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(url(demo.collaboration_id), params=MID_2022)

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Phase reached P6 Outcomes / institutionalised" in page
        assert "Bottleneck ⚠ Commitment to the process (P3) on-time fulfilment 0% < 60%" in page
        assert "Turns of the virtuous cycle 4" in page
        assert "Life cycle Active" in page
        warnings = section(response.text, "warnings-title")
        assert re.findall(r'data-warning="(\w+)"', warnings) == ["overdue_commitments"]
        assert "2 of 3 open commitments (67%) are past their due date" in text_of(warnings)

    def test_draws_the_cycle_as_svg_marking_the_phase_and_the_bottleneck(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        svg = cycle_svg(client.get(url(demo.collaboration_id), params=MID_2022).text)

        assert svg.find(f"{SVG}title") is not None
        assert "Phase reached: P6" in (svg.findtext(f"{SVG}desc") or "")
        keys = [g.get("data-node") for g in svg.iter(f"{SVG}g")]
        assert keys == [
            "dialogue",
            "trust",
            "commitment",
            "shared_understanding",
            "intermediate_outcomes",
            "starting_conditions",
            "institutional_design",
            "leadership",
            "outcomes",
        ]
        outcomes, commitment = node(svg, "outcomes"), node(svg, "commitment")
        assert "cycle-node--current" in (outcomes.get("class") or "")
        assert "▶ Phase reached (P6)" in texts(outcomes)
        assert "cycle-node--bottleneck" in (commitment.get("class") or "")
        assert "⚠ Bottleneck" in texts(commitment)
        assert (
            sum("cycle-node--current" in (g.get("class") or "") for g in svg.iter(f"{SVG}g")) == 1
        )
        assert len(list(svg.iter(f"{SVG}line"))) == 9

    def test_lists_every_indicator_by_variable_with_its_formula(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        trust = text_of(section(html, "variable-trust_building"))
        assert "Net trust balance +0.83 (Σ positive − Σ negative)" in trust
        assert "Ansell & Gash (2008), trust-building" in trust
        dialogue = text_of(section(html, "variable-face_to_face_dialogue"))
        assert (
            "Regularity of meetings not enough data too little data: fewer than 3 held" in dialogue
        )
        assert "Meetings per 30 days 0.33" in dialogue
        assert html.count('data-indicator="') == 32

    def test_coded_scores_sit_beside_the_records_with_the_rule_stated(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        prehistory = text_of(section(html, "variable-prehistory"))
        assert "Prehistory of cooperation or conflict +0.60" in prehistory
        assert "4 strong and triangulated · D. Nugroho · Jan 1, 2018 – May 4, 2020" in prehistory
        assert "The records say: ✓ Met — prehistory balance +0.60" in prehistory
        assert "4 coded scores; none disagrees with the records." in text_of(html)
        assert "a coded score of 3 or more where the records say “not met”" in html

    def test_flags_a_coded_score_the_records_contradict(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        assert demo.collaboration_id is not None
        code(session, demo.collaboration_id)

        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        commitment = section(html, "variable-commitment_to_process")
        assert "coded--disagrees" in commitment
        assert "The records say: ✗ Not met — on-time fulfilment 0% < 60%" in text_of(commitment)
        assert "⚠ Disagrees with the records" in text_of(commitment)
        assert "5 coded scores; ⚠ 1 disagrees with the records." in text_of(html)

    def test_draws_the_trends_with_a_table_alternative(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        trends = section(html, "trends-title")
        assert trends.count('class="chart__svg trend__svg"') == 7
        for svg in re.findall(r"<svg .*?</svg>", trends, re.S):
            ET.fromstring(svg)
        rows = re.findall(r'<th scope="row">(Q\d \d{4})</th>\s*<td>(P\d)</td>', trends)
        assert rows[0] == ("Q2 2020", "P5")
        assert rows[-1] == ("Q2 2022", "P6")
        assert len(rows) == 9

    def test_speaks_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(url(demo.collaboration_id), params=MID_2022 | {"lang": "id"})

        page = text_of(response.text)
        assert '<html lang="id">' in response.text
        assert "Fase yang dicapai P6 Hasil / terlembagakan" in page
        assert "Titik sumbat ⚠ Komitmen terhadap proses (P3)" in page
        assert "Komitmen lewat tenggat" in text_of(section(response.text, "warnings-title"))
        assert "Saldo kepercayaan bersih +0,83" in page
        assert "Per 30 Jun 2022; indikator selama 90 hari sejak 2 Apr 2022." in page

    def test_says_the_domains_sentences_in_indonesian(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022 | {"lang": "id"}).text

        page = text_of(html)
        # Reasons, with numbers and dates written the Indonesian way.
        assert (
            "hasil akhir sudah diukur (Households verified and added to DTKS) dan keputusan "
            "formalisasi diambil pada 15 Jun 2021" in page
        )
        assert "pemenuhan tepat waktu 0% < 60%" in page
        assert "mata rantai belum terpenuhi yang paling lemah sampai fase yang dicapai" in page
        # The warning sign, its numbers in place.
        warnings = text_of(section(html, "warnings-title"))
        assert (
            "2 dari 3 komitmen yang masih berjalan (67%) sudah lewat tenggat, di atas batas 25%."
            in warnings
        )
        # Formulas, sources and the reasons an indicator has no value.
        trust = text_of(section(html, "variable-trust_building"))
        assert "(Σ positif − Σ negatif) ÷ (Σ positif + Σ negatif)" in trust
        assert "Ansell & Gash (2008), pembangunan kepercayaan" in trust
        dialogue = text_of(section(html, "variable-face_to_face_dialogue"))
        assert "data belum cukup: kurang dari 3 rapat yang diadakan dalam rentang waktu" in dialogue
        # The thresholds' meanings, the rule of the cycle.
        assert "Waktu paruh bobot suatu peristiwa kepercayaan" in page
        assert "satu putaran = sebuah keberhasilan kecil" in page
        # Nothing left in English to mark (the language switch names English in English).
        assert 'lang="en"' not in main(html)
        for english in ("too little data", "fewer than", "open commitments", "Σ positive"):
            assert english not in page

    def test_says_the_domains_sentences_in_english_unchanged(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022 | {"lang": "en"}).text

        page = text_of(html)
        assert (
            "final outcome measured (Households verified and added to DTKS) and a formalising "
            "decision taken on Jun 15, 2021" in page
        )
        assert "the weakest unmet link up to the phase reached" in page
        assert (
            "2 of 3 open commitments (67%) are past their due date, above the limit of 25%."
            in text_of(section(html, "warnings-title"))
        )
        assert "Half-life of a trust event's weight in the net trust balance, in days." in page
        assert 'lang="en"' not in main(html)

    def test_runs_as_many_queries_however_much_is_coded(
        self, client: TestClient, session: Session, demo: LoadResult, count_queries: Any
    ) -> None:
        assert demo.collaboration_id is not None
        with count_queries() as few:
            client.get(url(demo.collaboration_id), params=MID_2022)
        for number in range(8):
            code(session, demo.collaboration_id, coder=f"Coder {number}")
        with count_queries() as many:
            client.get(url(demo.collaboration_id), params=MID_2022)

        assert few.selects == many.selects <= 25


class TestDates:
    def test_another_date_and_window_diagnose_another_moment(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(
            url(demo.collaboration_id), params={"as_of": "2021-02-28", "window_days": "90"}
        )

        warnings = section(response.text, "warnings-title")
        assert re.findall(r'data-warning="(\w+)"', warnings) == ["attendance_drop"]
        assert "Life cycle Declining" in text_of(response.text)
        assert input_value(response.text, "as_of") == "2021-02-28"

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"as_of": "2021-02-30"}, "as_of", "Enter a date (YYYY-MM-DD)."),
            ({"window_days": "3"}, "window_days", "Enter 7 or more."),
            ({"window_days": "ninety"}, "window_days", "Enter a whole number."),
            ({"as_of": "1800-01-01"}, "as_of", "Must lie between 1900-01-01 and 2199-12-31"),
        ],
    )
    def test_a_bad_date_or_window_is_named_and_the_default_shown(
        self, client: TestClient, demo: LoadResult, params: dict[str, str], field: str, message: str
    ) -> None:
        response = client.get(url(demo.collaboration_id), params=params)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, field) == params[field]
        assert "Phase reached P6" in text_of(response.text)

    def test_an_ended_collaboration_is_diagnosed_as_of_its_end(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, ended_on=dt.date(2021, 12, 31))

        response = client.get(url(case.id))

        assert "As of Dec 31, 2021" in text_of(response.text)

    def test_a_collaboration_without_meetings_is_at_the_starting_conditions(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)

        response = client.get(url(case.id), params={"as_of": "2020-06-30"})

        assert response.status_code == 200
        assert "Phase reached P0 No meetings" in text_of(response.text)
        svg = cycle_svg(response.text)
        assert "cycle-node--current" in (node(svg, "starting_conditions").get("class") or "")

    def test_an_unknown_or_deleted_collaboration_is_not_found(
        self, client: TestClient, session: Session
    ) -> None:
        gone = make_collaboration(session, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(url(gone.id)).status_code == 404
        assert client.get(url(999_999)).status_code == 404

    def test_has_no_inline_script_or_style(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert "diagnosis.css" in html
