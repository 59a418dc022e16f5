"""Minutes: Markdown rendered without raw HTML, then sanitised; no script survives."""

from __future__ import annotations

import doctest
from html.parser import HTMLParser

import pytest

from governance.meetings import minutes
from governance.meetings.minutes import render_minutes, sanitise


class Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would read them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


class TestRenderMinutes:
    def test_the_examples_in_the_module_hold(self) -> None:
        failures, tried = doctest.testmod(minutes)

        assert tried >= 2
        assert failures == 0

    def test_renders_the_markdown_a_secretary_writes(self) -> None:
        html = render_minutes(
            "## Agreed\n\n- **SPRI** shares the audit\n- Dinsos *verifies* it\n\n"
            "| who | what |\n|---|---|\n| SPRI | list |\n\n~~draft~~"
        )

        assert "<h2>Agreed</h2>" in html
        assert "<li><strong>SPRI</strong> shares the audit</li>" in html
        assert "<em>verifies</em>" in html
        assert "<td>SPRI</td>" in html
        assert "<s>draft</s>" in html

    def test_links_open_safely(self) -> None:
        html = render_minutes("See [the audit](https://example.org/audit).")

        assert '<a href="https://example.org/audit" rel="noopener noreferrer">the audit</a>' in html

    @pytest.mark.parametrize("text", ["", "   \n  "])
    def test_no_minutes_render_as_nothing(self, text: str) -> None:
        assert render_minutes(text) == ""

    @pytest.mark.parametrize(
        "payload",
        [
            "<script>alert('x')</script>",
            "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
            '<img src="x" onerror="alert(1)">',
            "<svg onload=alert(1)>",
            "<iframe src='https://evil.example'></iframe>",
            "[click](javascript:alert(1))",
            "[click](JAVASCRIPT:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "![pic](javascript:alert(1))",
            '<a href="javascript:alert(1)">x</a>',
            "<style>body{display:none}</style>",
            "<div onclick=alert(1)>hi</div>",
        ],
    )
    def test_nothing_executable_survives(self, payload: str) -> None:
        html = render_minutes(f"Notes\n\n{payload}\n\nEnd")

        elements = Elements(html).found
        assert {tag for tag, _ in elements} <= minutes.ALLOWED_TAGS
        attributes = {name for _, attrs in elements for name in attrs}
        assert not {name for name in attributes if name.startswith("on")}
        hrefs = [attrs.get("href") or "" for _, attrs in elements if "href" in attrs]
        assert all(href.startswith(("https:", "http:", "mailto:")) for href in hrefs)
        assert "End" in html


class TestSanitise:
    def test_removes_scripts_with_their_content_and_keeps_allowed_tags(self) -> None:
        html = sanitise('<p onclick="x()">Hi <script>steal()</script><b>there</b></p>')

        assert html == "<p>Hi there</p>"

    def test_keeps_only_web_and_mail_links(self) -> None:
        html = sanitise('<a href="mailto:a@b.org">mail</a> <a href="vbscript:x">bad</a>')

        assert html == (
            '<a href="mailto:a@b.org" rel="noopener noreferrer">mail</a> '
            '<a rel="noopener noreferrer">bad</a>'
        )
