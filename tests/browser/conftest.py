"""Browser tests: the demo served by uvicorn, driven by Playwright in Debian's Chromium.

They are skipped only when Chromium is missing on a developer's machine; in CI
(``CI`` set) a missing Chromium fails the run instead, so they cannot silently vanish.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    demo_server,
    sign_in,
)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a migrated temporary SQLite database holding the demo; its base URL."""
    database: Path = tmp_path_factory.mktemp("live") / "collabgov.sqlite3"
    with demo_server(database) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs these")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: no cookies, English, a laptop-sized window."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def visitor(context: BrowserContext) -> Page:
    """A page of a visitor who has not signed in."""
    return context.new_page()


@pytest.fixture
def page(context: BrowserContext, live_server: str) -> Page:
    """A page signed in as the admin, through the sign-in form."""
    page = context.new_page()
    sign_in(page, live_server, "admin")
    return page
