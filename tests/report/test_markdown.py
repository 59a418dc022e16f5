"""The case report as Markdown: its structure, its language, and user text kept inert."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from api.i18n import load_languages
from api.pages.diagnosis import wording_for
from governance.report.examples import sample_report
from governance.report.markdown import escape, filename, inline, link, render_markdown

#: A CommonMark renderer with tables that lets raw HTML through, as many Markdown viewers do.
RENDERER = MarkdownIt("commonmark", {"html": True}).enable("table")

HEADINGS = [
    "## Starting conditions",
    "## Institutional design",
    "## Facilitative leadership",
    "## The collaborative process",
    "## Outcomes",
]


def html_of(markdown: str) -> str:
    return str(RENDERER.render(markdown))


class TestEscape:
    @pytest.mark.parametrize(
        "text",
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href='javascript:alert(1)'>x</a>",
            "[click](javascript:alert(1))",
            "![x](https://evil.example/x.png)",
            "<https://evil.example>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "`code` and *emphasis* and __strong__",
        ],
    )
    def test_no_markup_survives(self, text: str) -> None:
        rendered = html_of(f"Said: {escape(text)}")

        assert "<script" not in rendered
        assert "<img" not in rendered
        assert "<a " not in rendered
        assert "<code>" not in rendered
        assert "<em>" not in rendered

    def test_the_text_still_reads_as_typed(self) -> None:
        rendered = html_of(escape("<script>alert(1)</script> & [x](y) *z*"))

        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [x](y) *z*" in rendered

    @pytest.mark.parametrize(
        ("text", "tag"),
        [
            ("# A heading", "<h1>"),
            ("> a quote", "<blockquote>"),
            ("- a list", "<ul>"),
            ("1. a list", "<ol>"),
            ("---", "<hr"),
            ("    indented code", "<pre>"),
        ],
    )
    def test_a_line_cannot_become_a_block(self, text: str, tag: str) -> None:
        assert tag not in html_of(escape(f"before\n\n{text}"))

    def test_a_pipe_cannot_split_a_table_cell(self) -> None:
        table = f"| a | b |\n|---|---|\n| {inline('x | y')} | z |\n"

        assert html_of(table).count("<td>") == 2

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("https://example.org/a_b", "<https://example.org/a_b>"),
            ("javascript:alert(1)", "javascript:alert(1)"),
            ("https://x.org/<script>", "https://x.org/\\<script\\>"),
        ],
    )
    def test_only_web_addresses_become_links(self, url: str, expected: str) -> None:
        assert link(url) == expected


class TestReport:
    def test_is_structured_like_the_model(self) -> None:
        markdown = render_markdown(sample_report())

        positions = [markdown.index(f"\n{heading}\n") for heading in HEADINGS]
        assert positions == sorted(positions)
        assert markdown.startswith("# Case report: Hand-made case\n")
        assert "- **Phase reached:** P6 Outcomes / institutionalised — " in markdown
        assert markdown.endswith("\n")
        assert not markdown.endswith("\n\n")

    def test_quotes_evidence_and_counts_the_confidential(self) -> None:
        markdown = render_markdown(sample_report())

        assert "> We met every month, and they kept their word." in markdown
        assert "Off the record" not in markdown
        assert "Confidential evidence, counted but not quoted: 1." in markdown

    def test_flags_a_coded_score_that_disagrees(self) -> None:
        markdown = render_markdown(sample_report())

        line = next(x for x in markdown.splitlines() if x.startswith("- **R2**"))
        assert "**1 – weak**" in line
        assert "The records say: Met" in line
        assert line.endswith("**⚠ Disagrees with the records**")
        assert "a coded score of 3 or more where the records say “not met”" in markdown

    def test_user_text_is_neutralised(self) -> None:
        nasty = "<script>alert(1)</script>\n# Owned\n[x](javascript:alert(1))"
        report = sample_report(name="<b>Case</b>", rationale=nasty, excerpt=nasty)

        rendered = html_of(render_markdown(report))

        assert "<script" not in rendered
        assert "<b>" not in rendered
        assert "javascript:" not in rendered.replace("(javascript:alert(1))", "")
        assert "<h1>Owned" not in rendered
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered

    def test_speaks_indonesian(self) -> None:
        say = wording_for(load_languages()["id"])

        markdown = render_markdown(sample_report(), say)

        assert markdown.startswith("# Laporan kasus: Hand-made case\n")
        for heading in ("## Kondisi awal", "## Desain kelembagaan", "## Proses kolaboratif"):
            assert f"\n{heading}\n" in markdown
        assert "Per 30 Jun 2022; indikator selama 90 hari sejak 2 Apr 2022." in markdown
        assert "| Saldo kepercayaan bersih | +1,00 |" in markdown


class TestFilename:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Perbaikan Bansos DKI Jakarta (2020–2022)", "perbaikan-bansos-dki-jakarta-2020-2022"),
            ('Évaluation "quoted" / slash', "evaluation-quoted-slash"),
            ("???", "collaboration"),
        ],
    )
    def test_is_plain_ascii(self, name: str, expected: str) -> None:
        assert filename(sample_report(name=name), "en") == f"{expected}-report-2022-06-30-en.md"
