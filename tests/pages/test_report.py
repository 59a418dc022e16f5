"""The case report page: structured like the model, printable, downloadable as Markdown."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from governance.assessments.models import Assessment
from governance.demo.loader import LoadResult
from governance.vocab import ModelVariable
from tests.factories import make_collaboration, make_evidence
from tests.pages.html import text_of

MID_2022 = {"as_of": "2022-06-30"}
PARTS = [
    "Starting conditions",
    "Institutional design",
    "Facilitative leadership",
    "The collaborative process",
    "Outcomes",
]
#: The confidential interview of the demo, and the thesis' finding it quotes openly.
CONFIDENTIAL = "Dinsos answered every name on our first list"
QUOTED = "history of interaction that has minimal conflict"


def url(collaboration_id: int | None, suffix: str = "") -> str:
    return f"/collaborations/{collaboration_id}/report{suffix}"


def main(html: str) -> str:
    """The page's own content, without the header and its language switch."""
    return html[html.index('<main id="main"') : html.index("</main>")]


def headings(html: str, level: int = 2) -> list[str]:
    return [text_of(h) for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)]


class TestPage:
    def test_is_structured_like_the_model(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(url(demo.collaboration_id), params=MID_2022)

        assert response.status_code == 200
        found = headings(response.text)
        assert found == [
            "Where the collaboration stands",
            *PARTS,
            "How the records are compared with the coded scores",
        ]
        assert headings(response.text, 1) == [
            "Case report: Perbaikan Bansos DKI Jakarta (2020–2022)"
        ]

    def test_gives_figures_scores_and_quoted_evidence(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        page = text_of(html)
        assert "Phase reached P6 Outcomes / institutionalised" in page
        assert 'data-warning="overdue_commitments"' in html
        assert "Prehistory of cooperation or conflict +0.60" in page
        assert "4 strong and triangulated · D. Nugroho" in page
        assert QUOTED in page
        assert "Confidential evidence, counted but not quoted: 2." in page
        assert CONFIDENTIAL not in html
        assert (
            "Households verified and added to DTKS Final outcome · rolled up from its parts 96%"
            in page
        )

    def test_links_to_the_markdown_of_the_same_date(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text

        link = re.search(
            r'<a class="button" href="([^"]+)" download>Download as Markdown</a>', html
        )
        assert link is not None
        assert (
            link.group(1)
            == url(demo.collaboration_id, ".md") + "?as_of=2022-06-30&amp;window_days=90"
        )

    def test_speaks_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022 | {"lang": "id"}).text

        assert headings(html)[:3] == [
            "Posisi kolaborasi saat ini",
            "Kondisi awal",
            "Desain kelembagaan",
        ]
        assert "Unduh sebagai Markdown" in html
        assert "Bukti rahasia, dihitung tetapi tidak dikutip: 2." in text_of(html)

    def test_prints_without_navigation(self, client: TestClient, demo: LoadResult) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022).text
        stylesheet = re.search(r'href="(/static/diagnosis\.css\?v=\w+)"', html)
        assert stylesheet is not None

        css = client.get(stylesheet.group(1)).text

        printing = css[css.index("@media print") :]
        for hidden in (".language-switch", ".filters", ".report__dates"):
            assert hidden in printing.split("display: none")[0]
        assert "<script" not in html
        assert " style=" not in html

    def test_runs_as_many_queries_however_much_is_coded(
        self, client: TestClient, session: Session, demo: LoadResult, count_queries: Any
    ) -> None:
        assert demo.collaboration_id is not None
        with count_queries() as few:
            client.get(url(demo.collaboration_id), params=MID_2022)
        for number in range(6):
            cited(session, demo.collaboration_id, f"Excerpt {number}", coder=f"C{number}")
        with count_queries() as many:
            client.get(url(demo.collaboration_id), params=MID_2022)

        assert few.selects == many.selects <= 35

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get(url(999_999)).status_code == 404
        assert client.get(url(999_999, ".md")).status_code == 404


def cited(session: Session, collaboration_id: int, excerpt: str, **fields: Any) -> Assessment:
    piece = make_evidence(
        session, collaboration_id=collaboration_id, excerpt=excerpt, title=excerpt
    )
    values: dict[str, Any] = {
        "collaboration_id": collaboration_id,
        "variable": ModelVariable.SHARED_UNDERSTANDING,
        "period_start": dt.date(2020, 6, 1),
        "period_end": dt.date(2020, 6, 30),
        "score": 3,
        "rationale": "The statement was endorsed.",
        "coder": "R1",
    }
    assessment = Assessment(**(values | fields))
    assessment.evidence = [piece]
    session.add(assessment)
    session.flush()
    return assessment


class TestMarkdown:
    def test_downloads_in_the_pages_language_with_the_five_parts(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(url(demo.collaboration_id, ".md"), params=MID_2022)

        assert response.headers["content-type"] == "text/markdown; charset=utf-8"
        assert response.headers["content-disposition"].startswith(
            'attachment; filename="perbaikan-bansos-dki-jakarta-2020-2022-report-2022-06-30-en.md'
        )
        for part in PARTS:
            assert f"\n## {part}\n" in response.text
        assert QUOTED in response.text
        assert CONFIDENTIAL not in response.text

        indonesian = client.get(url(demo.collaboration_id, ".md"), params=MID_2022 | {"lang": "id"})
        assert "\n## Kondisi awal\n" in indonesian.text

    def test_markup_typed_by_people_is_neutralised(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Case <b>bold</b>")
        nasty = "<script>alert(1)</script>\n# Owned"
        cited(session, case.id, nasty, rationale=nasty)

        html = client.get(url(case.id)).text
        markdown = client.get(url(case.id, ".md")).text

        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        rendered = MarkdownIt("commonmark", {"html": True}).render(markdown)
        assert "<script" not in rendered
        assert "<b>" not in rendered
        assert "<h1>Owned" not in rendered
        assert rendered.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


class TestDomainSentences:
    """The diagnosis' sentences — reasons, warnings, formulas, sources, verdicts — are said
    in the report's language, their numbers and dates written its way."""

    def test_the_indonesian_page_says_them_in_indonesian(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = client.get(url(demo.collaboration_id), params=MID_2022 | {"lang": "id"}).text

        page = text_of(html)
        assert "keputusan formalisasi diambil pada 15 Jun 2021" in page
        assert (
            "Titik sumbat ⚠ Komitmen terhadap proses (P3) — pemenuhan tepat waktu 0% < 60%" in page
        )
        assert (
            "2 dari 3 komitmen yang masih berjalan (67%) sudah lewat tenggat, di atas batas 25%."
            in page
        )
        assert "Menurut catatan: ✓ Terpenuhi — saldo riwayat +0,60" in page
        assert "Ansell & Gash (2008), riwayat kerja sama atau konflik" in page
        assert 'lang="en"' not in main(html)
        for english in ("too little data", "open commitments", "prehistory balance"):
            assert english not in page

    def test_the_indonesian_markdown_says_them_in_indonesian(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        english = client.get(url(demo.collaboration_id, ".md"), params=MID_2022).text
        indonesian = client.get(
            url(demo.collaboration_id, ".md"), params=MID_2022 | {"lang": "id"}
        ).text

        warning = "2 dari 3 komitmen yang masih berjalan (67%) sudah lewat tenggat"
        assert f"- **Komitmen lewat tenggat:** {warning}" in indonesian
        assert "pemenuhan tepat waktu 0% \\< 60%" in indonesian
        assert "2 of 3 open commitments (67%) are past their due date" in english
        for sentence in ("open commitments", "too little data", "prehistory balance"):
            assert sentence not in indonesian
