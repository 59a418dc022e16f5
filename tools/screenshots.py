"""Screenshots of the web app's main pages for the README, taken in headless Chromium.

Serves the demo case on a throw-away SQLite database and saves PNGs to
``docs/screenshots/``. Run it from the repository root:

    .venv/bin/python -m tools.screenshots

It needs Debian's Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import re
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, FloatRect, Page, ViewportSize, sync_playwright

from tests.browser.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    demo_server,
    sign_in,
)

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
LAPTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


@dataclass(frozen=True)
class Shot:
    file: str
    path: str
    language: str = "en"
    viewport: ViewportSize | None = None
    #: Click through to the first link with this text after loading ``path``.
    follow: str | None = None
    #: Down to the end of this element rather than the first screenful.
    until: str | None = None
    #: Signed in as this user (named like the role), or None for an anonymous visitor.
    user: str | None = "admin"


SHOTS = [
    Shot("login.png", "/login", user=None),
    Shot("public-forum.png", "/public", follow="Forum Koordinasi", user=None),
    Shot("audit.png", "/audit"),
    Shot("trash.png", "/trash"),
    Shot("account.png", "/account", user="researcher"),
    Shot("import.png", "/collaborations/1/import"),
    Shot("home.png", "/"),
    Shot("dashboard.png", "/", follow="Perbaikan Bansos", until="section:has(#trust-title)"),
    Shot("stakeholders.png", "/stakeholders"),
    Shot("stakeholder.png", "/stakeholders", follow="Dinas Sosial DKI Jakarta"),
    Shot("dashboard-id.png", "/", language="id", follow="Perbaikan Bansos"),
    Shot("form-error-phone-id.png", "/stakeholders/new", language="id", viewport=PHONE),
    Shot("meeting-log.png", "/collaborations/1/meetings/log"),
    Shot("commitments.png", "/collaborations/1/commitments"),
    Shot("outcomes.png", "/collaborations/1/outcomes"),
    Shot("diagnosis.png", "/collaborations/1/diagnosis?as_of=2022-06-30"),
    Shot("network.png", "/collaborations/1/network?as_of=2022-06-30", until=".network-drawing"),
    Shot("report-id.png", "/collaborations/1/report?as_of=2022-06-30", language="id"),
]


def take(browser: Browser, base: str, shot: Shot) -> Path:
    context = browser.new_context(viewport=shot.viewport or LAPTOP, locale="en-GB")
    page = context.new_page()
    if shot.user is not None:
        sign_in(page, base, shot.user)
    joiner = "&" if "?" in shot.path else "?"
    page.goto(f"{base}{shot.path}{joiner}lang={shot.language}")
    if shot.follow:
        page.get_by_role("link", name=re.compile(re.escape(shot.follow))).first.click()
    if shot.file.startswith("form-error"):
        show_a_form_error(page)
    target = OUT / shot.file
    if shot.until:
        box = page.locator(shot.until).bounding_box()
        assert box is not None, f"{shot.until} is not on the page"
        clip = FloatRect(x=0, y=0, width=LAPTOP["width"], height=box["y"] + box["height"] + 16)
        page.screenshot(path=str(target), full_page=True, clip=clip)
    else:
        page.screenshot(path=str(target))
    context.close()
    optimise_png(target)
    return target


def show_a_form_error(page: Page) -> None:
    """Fill the new-stakeholder form with a mistake and send it, to show how errors read."""
    page.locator("#field-name").fill("Forum Warga Cilincing")
    page.locator("#field-kind").select_option("group")
    page.locator("#field-contact-email").fill("forum-warga.example.org")
    page.locator("form.form button[type=submit]").click()
    page.locator(".error-summary").wait_for()


def optimise_png(path: Path) -> None:
    """Recompress a PNG's image data at zlib's highest level (Chromium favours speed)."""
    data = path.read_bytes()
    signature, position, chunks = data[:8], 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    image = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    packed: bytes | None = zlib.compress(image, 9)
    out = [signature]
    for kind, body in chunks:
        if kind == b"IDAT":
            if packed is None:
                continue
            body, packed = packed, None
        out.append(struct.pack(">I", len(body)) + kind + body)
        out.append(struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    path.write_bytes(b"".join(out))


def main() -> int:
    if not chromium_available():
        print(f"screenshots: {CHROMIUM} is missing; apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_server(Path(folder) / "collabgov.sqlite3") as base,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for shot in SHOTS:
            saved = take(browser, base, shot)
            print(f"{saved.relative_to(OUT.parent.parent)}: {saved.stat().st_size // 1024} KB")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
