"""The public pages, read by an anonymous visitor: what they show and what they never show."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.demo.loader import LoadResult
from governance.models import (
    Assessment,
    CommitmentStatusChange,
    Evidence,
    Forum,
    Measurement,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
)
from tests.conftest import SignedInClient
from tests.pages.html import text_of
from tests.public.conftest import SECRETS, PublishedCase


def public_pages(client: TestClient) -> dict[str, str]:
    """Every public page and public API answer reachable from the list, by URL."""
    seen: dict[str, str] = {}
    home = client.get("/public")
    assert home.status_code == 200
    seen["/public"] = home.text
    for forum_id in sorted(set(re.findall(r'href="/public/forums/(\d+)"', home.text))):
        forum = client.get(f"/public/forums/{forum_id}")
        assert forum.status_code == 200
        seen[f"/public/forums/{forum_id}"] = forum.text
        api = client.get(f"/api/v1/public/forums/{forum_id}")
        seen[f"/api/v1/public/forums/{forum_id}"] = api.text
        for meeting_id in sorted(set(re.findall(r'href="/public/meetings/(\d+)"', forum.text))):
            for url in (f"/public/meetings/{meeting_id}", f"/api/v1/public/meetings/{meeting_id}"):
                response = client.get(url)
                assert response.status_code == 200, url
                seen[url] = response.text
    seen["/api/v1/public/forums"] = client.get("/api/v1/public/forums").text
    return seen


class TestReading:
    def test_the_list(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        response = anonymous_client.get("/public")
        assert response.status_code == 200
        text = text_of(response.text)
        assert "Forum Koordinasi Terbuka" in text
        assert "Bansos transparency" in text
        assert "Meetings held 2" in text
        assert f'href="/public/forums/{published_case.forum_id}"' in response.text

    def test_a_forum(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        response = anonymous_client.get(f"/public/forums/{published_case.forum_id}")
        assert response.status_code == 200
        text = text_of(response.text)
        assert "Convened by Dinas Sosial DKI" in text
        assert "Facilitated by SPRI DKI Jakarta" in text
        assert "Established May 19, 2020" in text
        # Meetings: the planned one apart; held and cancelled in the table.
        assert "Planned meetings 1 Koordinasi #3" in text
        assert "Koordinasi #1 Hybrid · Kantor Dinas Sosial Held 4 1 published" in text
        assert "Koordinasi #2 In person Held 0 0 not published yet" in text
        assert "Koordinasi batal In person Cancelled" in text
        # Commitments by status, the overdue one marked.
        assert "Open 2 1 overdue" in text
        assert "Dinas Sosial DKI → to SPRI DKI Jakarta" in text
        assert re.search(r"Overdue · \d+ days late", text)
        assert "Fulfilled 1 Share the complaint list" in text
        assert "Open Jun 1, 2020 Fulfilled Jun 9, 2020" in text
        # Outcome progress, with its figure in words.
        assert "Households reached Final outcome last measured Sep 1, 2020 50%" in text
        assert "Lists verified Small win last measured Jul 1, 2020 25%" in text
        assert 'width="25.0"' in response.text

    def test_a_meeting(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        response = anonymous_client.get(f"/public/meetings/{published_case.held_id}")
        assert response.status_code == 200
        text = text_of(response.text)
        assert "Koordinasi #1" in text
        assert "Circulated on Jun 5, 2020." in text
        assert "<h2>Summary</h2>" in response.text
        assert "<strong>Agreed</strong> to verify the list." in response.text
        assert "Verify the list by July. by consensus Urgent." in text
        assert "4 participants attended." in text
        assert "Organisations and groups present: Dinas Sosial DKI SPRI DKI Jakarta" in text
        assert "Commitments made 3" in text

    def test_a_stored_script_is_shown_as_text(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        html = anonymous_client.get(f"/public/meetings/{published_case.held_id}").text
        assert "<script" not in html.lower()
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or (
            "&lt;script&gt;alert('x')&lt;/script&gt;" in html
        )

    def test_a_draft_is_not_published(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        html = anonymous_client.get(f"/public/meetings/{published_case.draft_id}").text
        assert "The minutes are not published yet" in text_of(html)
        assert "DRAFT-MINUTES" not in html

    def test_a_planned_meeting(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        html = anonymous_client.get(f"/public/meetings/{published_case.planned_id}").text
        text = text_of(html)
        assert "This meeting is planned." in text
        assert "Agenda 1. Planned agenda item" in text
        assert "Decisions" not in text

    def test_in_indonesian(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        home = anonymous_client.get("/public?lang=id")
        assert "Forum yang dipublikasikan" in text_of(home.text)
        forum = anonymous_client.get(f"/public/forums/{published_case.forum_id}?lang=id")
        text = text_of(forum.text)
        assert "Diselenggarakan oleh Dinas Sosial DKI" in text
        assert "Kemajuan hasil" in text
        assert "Terbuka 2" in text  # the status "open" in Indonesian

    def test_signed_in_users_read_them_too(
        self, client_as: Callable[[str], SignedInClient], published_case: PublishedCase
    ) -> None:
        viewer = client_as("viewer")
        response = viewer.get(f"/public/forums/{published_case.forum_id}")
        assert response.status_code == 200
        assert "Forum Koordinasi Terbuka" in response.text


class TestNotPublished:
    @pytest.mark.parametrize(
        ("kind", "which"),
        [
            ("forums", "private_forum_id"),
            ("forums", "deleted_forum_id"),
            ("forums", "deleted_case_forum_id"),
            ("meetings", "private_meeting_id"),
            ("meetings", "deleted_meeting_id"),
            ("meetings", "deleted_forum_meeting_id"),
            ("meetings", "deleted_case_meeting_id"),
        ],
    )
    def test_answers_as_if_it_did_not_exist(
        self, anonymous_client: TestClient, published_case: PublishedCase, kind: str, which: str
    ) -> None:
        record_id = getattr(published_case, which)
        hidden = anonymous_client.get(f"/public/{kind}/{record_id}")
        missing = anonymous_client.get(f"/public/{kind}/999999")
        assert hidden.status_code == missing.status_code == 404
        # The same page but for the address it was asked at.
        here, there = f"/public/{kind}/{record_id}", f"/public/{kind}/999999"
        assert hidden.text.replace(here, "ADDRESS") == missing.text.replace(there, "ADDRESS")
        api_hidden = anonymous_client.get(f"/api/v1/public/{kind}/{record_id}")
        assert api_hidden.status_code == 404
        assert api_hidden.json()["detail"].endswith(f"{record_id} not found")


class TestNothingElse:
    def test_no_secret_of_the_built_case(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        pages = public_pages(anonymous_client)
        assert len(pages) == 2 + 2 + 2 * 4  # list ×2, forum ×2, four meetings ×2
        leaks = [(url, s) for url, body in pages.items() for s in SECRETS if s in body]
        assert leaks == []

    def test_no_secret_of_the_demo(
        self, anonymous_client: TestClient, demo: LoadResult, session: Session
    ) -> None:
        secrets: set[str] = set()
        for stakeholder in session.scalars(select(Stakeholder)):
            secrets |= {str(value) for value in stakeholder.contact.values() if value}
        secrets |= {t.description for t in session.scalars(select(TrustEvent)) if t.description}
        secrets |= {e.excerpt for e in session.scalars(select(Evidence)) if e.excerpt}
        secrets |= {f.name for f in session.scalars(select(Forum).where(Forum.public.is_(False)))}
        for participation in session.scalars(select(Participation)):
            secrets |= {participation.incentives, participation.constraints}
        secrets |= {a.rationale for a in session.scalars(select(Assessment))}
        secrets |= {r.note for r in session.scalars(select(Relationship))}
        secrets |= {m.note for m in session.scalars(select(Measurement))}
        secrets |= {c.note for c in session.scalars(select(CommitmentStatusChange))}
        secrets.discard("")
        assert len(secrets) > 90  # the check means something
        pages = public_pages(anonymous_client)
        assert any("Forum Koordinasi Bansos DKI" in body for body in pages.values())
        leaks = [(url, s) for url, body in pages.items() for s in secrets if s in body]
        assert leaks == []


class TestLinks:
    def test_from_the_login_page(self, anonymous_client: TestClient) -> None:
        html = anonymous_client.get("/login").text
        assert '<a href="/public">Published forums</a>' in html

    def test_from_the_home_page(
        self, client: SignedInClient, published_case: PublishedCase
    ) -> None:
        html = client.get("/").text
        assert 'href="/public"' in html
