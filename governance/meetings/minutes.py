"""Minutes are written in Markdown and shown as HTML: rendered, then sanitised.

Markdown is rendered by markdown-it-py with raw HTML switched off, so ``<script>``
typed into the minutes stays text; the result then passes nh3 with a strict
allow-list of tags, attributes and URL schemes, so nothing executable survives even
if the renderer let something through. Links get ``rel="noopener noreferrer"``.

>>> print(render_minutes("**Agreed**: share the list <script>alert(1)</script>"))
<p><strong>Agreed</strong>: share the list &lt;script&gt;alert(1)&lt;/script&gt;</p>
<BLANKLINE>
>>> print(render_minutes("[bad](javascript:alert(1)) [site](https://x.org)"))
<p>[bad](javascript:alert(1)) <a href="https://x.org" rel="noopener noreferrer">site</a></p>
<BLANKLINE>
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

#: What minutes may contain once rendered: text structure, lists, tables, links.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


@cache
def _markdown() -> MarkdownIt:
    # CommonMark with tables and strikethrough; raw HTML is shown as text, never passed on.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_minutes(markdown: str) -> str:
    """Minutes as safe HTML: Markdown rendered without raw HTML, then sanitised."""
    if not markdown.strip():
        return ""
    return sanitise(_markdown().render(markdown))


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of ``html``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
