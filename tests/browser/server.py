"""Serving the app with the demo case for a real browser: uvicorn in a thread, on a free port.

Used by the browser tests' fixture and by ``tools/screenshots.py``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from playwright.sync_api import Page

from api.app import create_app
from governance import migrations
from governance.audit.service import SYSTEM
from governance.config import Settings
from governance.db import SessionFactory, make_engine
from governance.demo.loader import load_demo
from governance.users.service import create_user
from governance.vocab import UserRole

#: Debian's Chromium, which the browser tests and the screenshots drive.
CHROMIUM = Path("/usr/bin/chromium")
#: How Chromium is launched: headless, no sandbox (containers), nothing phoning home.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: Each role has a user of the same name ("admin", "secretariat", ...) with this password.
PASSWORD = "browser tests only, never real"


def sign_in(page: Page, base_url: str, name: str = "admin") -> None:
    """Sign ``page`` in through the real sign-in form, as the user named ``name``."""
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def chromium_available() -> bool:
    return CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_server(database: Path, *, default_language: str = "en") -> Iterator[str]:
    """Serve the app on a migrated SQLite database holding the demo; yields the base URL."""
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    with SessionFactory(engine).transaction() as session:
        load_demo(session)
        for role in UserRole:
            create_user(session, name=role.value, role=role, password=PASSWORD, actor=SYSTEM)
    engine.dispose()
    settings = Settings(
        database_url=url,
        environment="test",
        secret_key="browser-tests-" + "x" * 32,
        default_language=default_language,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="collabgov-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
