"""Stored script never runs: hostile text in every kind of record, read back in Chromium.

Through the JSON API (a bearer token, as a script would), script is stored in a
stakeholder's name, aliases and description, a forum's name, a meeting's title,
minutes (Markdown) and decisions, a trust event, a commitment, an outcome and a piece
of evidence — as ``<script>``, as an ``onerror`` handler, as ``javascript:`` links.
Then every page that shows them is opened in a real browser, signed in and (for the
public pages) as a visitor, and each must show the text escaped without running it:
``window.__xss`` stays undefined, no dialog opens, the page holds no inline script,
no ``on…`` attribute and no ``javascript:`` link, and the browser reports no
Content-Security-Policy violation — a violation would mean escaping failed and only
the policy stopped the script.

The site is a server of its own, on its own database, so the other browser tests'
pages stay clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from httpx2 import Client
from playwright.sync_api import ConsoleMessage, Dialog, Error, Page

from governance.audit.service import SYSTEM
from governance.db import SessionFactory, make_engine
from governance.demo.loader import DEMO_NAME
from governance.models import Collaboration
from governance.users import service as user_service
from tests.browser.server import demo_server

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1</script>"
IMAGE = '<img src=x onerror="window.__xss=1">'
SVG = "<svg onload=alert(1)>"
LINK = "javascript:window.__xss=1"
#: Every attack in one string, for fields shown as plain text.
HOSTILE = f"{SCRIPT}{IMAGE}{SVG}"
MINUTES = f"""# Minutes {SCRIPT}

{IMAGE}

- a [link]({LINK}) and <a href="{LINK}">another</a>
- <iframe src="{LINK}"></iframe> <form action="{LINK}"><button>go</button></form>
- <div onclick="window.__xss=1" style="background:url({LINK})">click</div>

[reference][r]

[r]: {LINK}
"""

#: Run in every page before its own scripts: CSP violations, counted where a test can see.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

#: Anything on the page that would run script: inline scripts, handlers, javascript: URLs.
FIND_SCRIPT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    if (el.tagName === "SCRIPT" && !el.getAttribute("src")) found.push("inline <script>");
    for (const attribute of el.attributes) {
      if (attribute.name.toLowerCase().startsWith("on")) {
        found.push(`${el.tagName} ${attribute.name}`);
      }
      if (/^\\s*javascript:/i.test(attribute.value)) {
        found.push(`${el.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
  }
  return found;
}"""


@dataclass(frozen=True)
class Planted:
    """The hostile records, by the ids their pages need."""

    collaboration: int
    stakeholder: int
    forum: int
    meeting: int
    commitment: int
    trust_event: int
    outcome: int
    evidence: int | None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server of this module's own: its base URL and its database file."""
    database = tmp_path_factory.mktemp("xss") / "collabgov.sqlite3"
    with demo_server(database) as base_url:
        yield base_url, database


@pytest.fixture(scope="module")
def live_server(site: tuple[str, Path]) -> str:
    """Overrides the shared live server: ``page`` signs in here."""
    return site[0]


def admin_token(database: Path) -> str:
    """An API token of the admin, made on the live database file."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with SessionFactory(engine).transaction() as session:
            admin = user_service.get_by_name(session, "admin")
            assert admin is not None
            return user_service.create_token(session, user=admin, name="xss", actor=SYSTEM)
    finally:
        engine.dispose()


def demo_collaboration(database: Path) -> int:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with SessionFactory(engine).transaction(write=False) as session:
            found = session.query(Collaboration.id).filter(Collaboration.name == DEMO_NAME)
            return int(found.one()[0])
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def planted(site: tuple[str, Path]) -> Planted:
    """Script in every text field the pages show, stored through the JSON API."""
    base_url, database = site
    collaboration = demo_collaboration(database)
    today = dt.date.today().isoformat()
    with Client(
        base_url=base_url + "/api/v1",
        headers={"authorization": f"Bearer {admin_token(database)}"},
    ) as api:

        def create(path: str, body: dict[str, Any]) -> int:
            response = api.post(path, json=body)
            assert response.status_code == 201, f"{path}: {response.text}"
            return int(response.json()["id"])

        stakeholder = create(
            "/stakeholders",
            {
                "name": f"Evil {HOSTILE}",
                "aliases": [SCRIPT, IMAGE, LINK],
                "kind": "group",
                "sector": "community",
                "description": f"{HOSTILE} [x]({LINK})",
                "contact": {"email": "evil@example.org", "note": HOSTILE},
            },
        )
        create(
            "/participations",
            {
                "collaboration_id": collaboration,
                "stakeholder_id": stakeholder,
                "role": "participant",
                "incentives": HOSTILE,
            },
        )
        forum = create(
            "/forums",
            {
                "collaboration_id": collaboration,
                "name": f"Forum {HOSTILE}",
                "purpose": HOSTILE,
                "public": True,
            },
        )
        meeting = create(
            "/meetings",
            {
                "forum_id": forum,
                "title": f"Meeting {HOSTILE}",
                "starts_at": "2021-03-01T03:00:00Z",
                "status": "held",
                "location": HOSTILE,
                "agenda": HOSTILE,
                "minutes": MINUTES,
                "minutes_circulated_on": "2021-03-02",
                "attendance": [{"stakeholder_id": stakeholder, "represented_by": HOSTILE}],
                "decisions": [{"text": f"Decision {HOSTILE}", "rationale": HOSTILE}],
            },
        )
        commitment = create(
            "/commitments",
            {
                "collaboration_id": collaboration,
                "meeting_id": meeting,
                "owner_id": stakeholder,
                "description": f"Commitment {HOSTILE}",
                "made_on": "2021-03-01",
                "due_on": today,
            },
        )
        trust_event = create(
            "/trust-events",
            {
                "collaboration_id": collaboration,
                "meeting_id": meeting,
                "occurred_on": "2021-03-01",
                "actor_id": stakeholder,
                "kind": "protest",
                "trust_form": "procedural",
                "valence": "negative",
                "description": f"Trust event {HOSTILE}",
            },
        )
        outcome = create(
            "/outcomes",
            {
                "collaboration_id": collaboration,
                "title": f"Outcome {HOSTILE}",
                "description": HOSTILE,
                "level": "small_win",
                "unit": "<b>x</b>",
                "target": 100,
                "commitment_ids": [commitment],
                "meeting_ids": [meeting],
            },
        )
        evidence_answer = api.post(
            "/evidence",
            json={
                "collaboration_id": collaboration,
                "kind": "document",
                "title": f"Evidence {HOSTILE}",
                "citation": HOSTILE,
                "url": LINK,
                "excerpt": HOSTILE,
            },
        )
        if evidence_answer.status_code == 201:
            evidence: int | None = int(evidence_answer.json()["id"])
        else:
            # Refusing a javascript: address outright is as good as never linking it.
            assert evidence_answer.status_code == 422
            assert [e["field"] for e in evidence_answer.json()["errors"]] == ["url"]
            evidence = create(
                "/evidence",
                {
                    "collaboration_id": collaboration,
                    "kind": "document",
                    "title": f"Evidence {HOSTILE}",
                    "citation": HOSTILE,
                    "excerpt": HOSTILE,
                },
            )
    return Planted(
        collaboration, stakeholder, forum, meeting, commitment, trust_event, outcome, evidence
    )


def pages_of(p: Planted) -> list[tuple[str, str | None]]:
    """Each page that shows the hostile text, and a text it must show escaped (if any)."""
    c = f"/collaborations/{p.collaboration}"
    shown = [
        (f"/stakeholders/{p.stakeholder}", f"Evil {SCRIPT}"),
        ("/stakeholders?q=Evil", f"Evil {SCRIPT}"),
        (f"/stakeholders/{p.stakeholder}/network?collaboration_id={p.collaboration}", None),
        (f"/forums/{p.forum}", f"Forum {SCRIPT}"),
        (f"{c}/forums", f"Forum {SCRIPT}"),
        (f"/meetings/{p.meeting}", f"Meeting {SCRIPT}"),
        (f"{c}/meetings", f"Meeting {SCRIPT}"),
        (f"/commitments/{p.commitment}", f"Commitment {SCRIPT}"),
        (f"{c}/commitments", f"Commitment {SCRIPT}"),
        (f"/trust-events/{p.trust_event}", f"Trust event {SCRIPT}"),
        (f"{c}/trust", None),
        (f"/outcomes/{p.outcome}", f"Outcome {SCRIPT}"),
        (f"{c}/outcomes", f"Outcome {SCRIPT}"),
        (f"{c}/participants", f"Evil {SCRIPT}"),
        (c, None),
        (f"{c}/network", None),
        (f"{c}/diagnosis", None),
        (f"{c}/report", None),
        ("/audit", None),
        (f"/audit/stakeholder/{p.stakeholder}", None),
        ("/", None),
    ]
    if p.evidence is not None:
        shown.append((f"/evidence/{p.evidence}", f"Evidence {SCRIPT}"))
    return shown + public_pages_of(p)


def public_pages_of(p: Planted) -> list[tuple[str, str | None]]:
    return [
        ("/public", f"Forum {SCRIPT}"),
        (f"/public/forums/{p.forum}", f"Forum {SCRIPT}"),
        (f"/public/meetings/{p.meeting}", f"Meeting {SCRIPT}"),
    ]


def visit(page: Page, url: str, text: str | None) -> list[str]:
    """Open ``url``; what ran, or would have run, that should not have."""
    dialogs: list[str] = []
    console: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        console.append(message.text)

    def on_error(error: Error) -> None:
        errors.append(str(error))

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        response = page.goto(url)
        page.wait_for_load_state("load")
        problems = []
        if response is None or response.status != 200:
            problems.append(f"answered {response.status if response else 'nothing'}")
        if page.evaluate("typeof window.__xss") != "undefined":
            problems.append("window.__xss was set: script ran")
        problems += [f"dialog: {message}" for message in dialogs]
        problems += [f"page error: {error}" for error in errors]
        problems += [f"console: {m}" for m in console if "Content Security Policy" in m]
        problems += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
        problems += page.evaluate(FIND_SCRIPT)
        if text is not None and text not in page.locator("body").inner_text():
            problems.append(f"{text!r} is not shown as text")
        return problems
    finally:
        page.remove_listener("dialog", on_dialog)
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)


@pytest.fixture
def watched(page: Page) -> Page:
    page.context.add_init_script(WATCH_CSP)
    return page


def test_stored_script_never_runs_on_any_page(
    watched: Page, live_server: str, planted: Planted
) -> None:
    found = {
        path: problems
        for path, text in pages_of(planted)
        if (problems := visit(watched, live_server + path, text))
    }

    assert found == {}


def test_stored_script_never_runs_for_visitors_of_the_public_pages(
    visitor: Page, live_server: str, planted: Planted
) -> None:
    visitor.context.add_init_script(WATCH_CSP)

    found = {
        path: problems
        for path, text in public_pages_of(planted)
        if (problems := visit(visitor, live_server + path, text))
    }

    assert found == {}


def test_the_minutes_keep_their_markdown_but_lose_the_script(
    watched: Page, live_server: str, planted: Planted
) -> None:
    watched.goto(f"{live_server}/meetings/{planted.meeting}")

    minutes = watched.locator("main")
    heading = minutes.locator("h1, h2, h3, h4").filter(has_text=f"Minutes {SCRIPT}")
    assert heading.count() == 1, "the Markdown heading is not rendered as one"
    assert SCRIPT in heading.inner_text(), "the Markdown heading lost its (escaped) text"
    assert IMAGE in minutes.inner_text(), "raw HTML in the minutes should read as text"
    hrefs = minutes.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [href for href in hrefs if href.lower().startswith("javascript")]
    assert minutes.locator("iframe, form[action^='javascript'], img[onerror]").count() == 0


@pytest.mark.parametrize("policy", ["script-src 'self'", ""])
def test_the_checks_catch_script_that_got_through(
    watched: Page, live_server: str, policy: str
) -> None:
    """A page that does not escape: with the policy, it reports the violation; without,
    the script runs and sets ``window.__xss``. Either way ``visit`` reports it."""
    url = f"{live_server}/not-escaped-on-purpose"
    headers = {"content-type": "text/html"} | (
        {"content-security-policy": policy} if policy else {}
    )
    watched.route(
        url,
        lambda route: route.fulfill(
            status=200, headers=headers, body=f"<html><body><p>{IMAGE}</p></body></html>"
        ),
    )

    problems = visit(watched, url, None)

    expected = "CSP: script-src-attr" if policy else "window.__xss was set: script ran"
    assert any(problem.startswith(expected) for problem in problems), problems
    assert "IMG onerror" in problems
