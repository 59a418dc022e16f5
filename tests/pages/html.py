"""Reading the pages' HTML in tests: visible text, a field's error, a field's value."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from fastapi.testclient import TestClient


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed (for asserting on sentences)."""
    inline_gone = re.sub(r"</?(?:a|span|strong|em|time|abbr)\b[^>]*>", "", html)
    without_tags = re.sub(r"<[^>]+>", " ", inline_gone)
    return " ".join(html_lib.unescape(without_tags).split())


def field_error(html: str, name: str) -> str | None:
    """The error shown under the form field ``name``, if any."""
    field_id = "field-" + name.replace(".", "-").replace("[", "-").replace("]", "")
    match = re.search(
        rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S
    )
    if match is None:
        return None
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1))
    return text_of(shown)


def input_value(html: str, name: str) -> str | None:
    """The value an input, textarea or select shows for the field ``name``."""
    escaped = re.escape(name)
    found = re.search(rf'<input[^>]*name="{escaped}"[^>]*value="([^"]*)"', html)
    if found:
        return html_lib.unescape(found.group(1))
    found = re.search(rf'<textarea[^>]*name="{escaped}"[^>]*>(.*?)</textarea>', html, re.S)
    if found:
        return html_lib.unescape(found.group(1))
    select = re.search(rf'<select[^>]*name="{escaped}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
        return html_lib.unescape(chosen.group(1)) if chosen else ""
    return None


def post_form(client: TestClient, url: str, data: dict[str, str]) -> Any:
    """Send a form as a browser would, without following the redirect."""
    return client.post(url, data=data, follow_redirects=False)
