"""The trash page: every deleted record, who deleted it, and restoring it with care."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import Record
from governance.models import Participation
from governance.record_types import TRASH_TYPES
from tests.audit.world import every_record
from tests.conftest import SignedInClient
from tests.pages.html import field_error, post_form, text_of

URL = "/trash"
API = "/api/v1/trash"
BOB = Actor("bob")


def delete(session: Session, record: Record, actor: Actor = BOB) -> None:
    records.soft_delete(session, record, actor=actor)
    session.commit()


def rows(html: str) -> list[str]:
    """The visible text of each row of the trash table."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    if body is None:
        return []
    return [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def notice_after(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


class TestList:
    def test_every_type_of_deleted_record_with_when_and_who(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        for record_type in TRASH_TYPES:
            records.soft_delete(session, made[record_type], actor=BOB)
        session.commit()
        answer = client.get(URL)
        assert answer.status_code == 200
        shown = rows(answer.text)
        assert len(shown) == len(TRASH_TYPES) == 13
        assert all("bob" in row and "Restore" in row for row in shown)
        text = text_of(answer.text)
        for title in (
            "Bansos monitoring",
            "SPRI DKI Jakarta → Dinas Sosial DKI",
            "Rapat koordinasi",
            "Verify the list",
            "Update the DTKS",
            "Data shared on time",
            "Households added to DTKS · 2020-07-01",
            "Audit report",
            "prehistory · R1",
        ):
            assert title in text
        for label in ("Collaboration", "Relationship", "Measurement", "Trust event"):
            assert label in text

    def test_newest_deletion_first_and_time_in_jakarta(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        forum, meeting = made["forum"], made["meeting"]
        forum.deleted_at = dt.datetime(2021, 3, 1, 20, 30, tzinfo=dt.UTC)
        meeting.deleted_at = dt.datetime(2021, 3, 2, 1, 0, tzinfo=dt.UTC)
        session.commit()
        shown = rows(client.get(URL).text)
        assert shown[0].startswith("Rapat koordinasi")
        assert shown[1].startswith("Forum bansos")
        # 20:30 UTC is 03:30 the next morning in Jakarta (UTC+7).
        assert "Mar 2, 2021" in shown[1]
        assert "3:30" in shown[1]
        # Deleted without the services (an import, say): no one to name.
        assert "unknown" in shown[1]

    def test_filter_by_type(self, client: SignedInClient, session: Session) -> None:
        made = every_record(session)
        delete(session, made["forum"])
        delete(session, made["commitment"])
        shown = rows(client.get(URL, params={"record_type": "commitment"}).text)
        assert len(shown) == 1
        assert shown[0].startswith("Update the DTKS")

    def test_unknown_type_is_named_beside_the_filter(self, client: SignedInClient) -> None:
        answer = client.get(URL, params={"record_type": "user"})
        assert answer.status_code == 400
        assert field_error(answer.text, "record_type") == "Choose one of the options."

    def test_paginated_fifty_a_page(self, client: SignedInClient, session: Session) -> None:
        for number in range(26):
            made = every_record(session, prefix=f"{number:02d} ")
            made["decision"].deleted_at = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
            made["evidence"].deleted_at = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        session.commit()
        first = client.get(URL)
        second = client.get(URL, params={"page": 2})
        assert len(rows(first.text)) == 50
        assert len(rows(second.text)) == 2
        assert "Showing 51–52 of 52" in text_of(second.text)

    def test_empty_trash_says_so(self, client: SignedInClient) -> None:
        assert "The trash is empty" in text_of(client.get(URL).text)

    def test_each_restore_button_is_a_post_form_with_the_csrf_field(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        delete(session, made["forum"])
        html = client.get(URL).text
        form = re.search(
            r'<form method="post" action="(/trash/[^"]+)"[^>]*>(.*?)</form>', html, re.S
        )
        assert form is not None
        assert form.group(1) == f"/trash/forum/{made['forum'].id}/restore"
        assert 'name="csrf_token"' in form.group(2)

    def test_bounded_queries_whatever_the_size(
        self, client: SignedInClient, session: Session, count_queries: Any
    ) -> None:
        made = every_record(session, prefix="a ")
        for record_type in ("forum", "meeting"):
            records.soft_delete(session, made[record_type], actor=BOB)
        session.commit()
        with count_queries() as few:
            client.get(URL)
        for number in range(4):
            made = every_record(session, prefix=f"b{number} ")
            for record_type in TRASH_TYPES:
                records.soft_delete(session, made[record_type], actor=BOB)
        session.commit()
        with count_queries() as many:
            answer = client.get(URL)
        assert len(rows(answer.text)) == 50
        assert few.selects == many.selects <= 6


class TestRestore:
    def test_restores_through_the_service_and_confirms(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        forum = made["forum"]
        delete(session, forum)
        response = post_form(client, f"/trash/forum/{forum.id}/restore", {})
        assert response.headers["location"] == "/trash"
        assert notice_after(client, response) == "Forum “Forum bansos” restored."
        session.expire_all()
        assert forum.deleted_at is None
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.action, entry.record_type, entry.record_id) == ("restore", "forum", forum.id)
        assert (entry.user_id, entry.actor) == (client.user.id, client.user.name)

    def test_goes_back_to_the_same_filter(self, client: SignedInClient, session: Session) -> None:
        made = every_record(session)
        delete(session, made["forum"])
        response = post_form(
            client, f"/trash/forum/{made['forum'].id}/restore", {"record_type": "forum"}
        )
        assert response.headers["location"] == "/trash?record_type=forum"

    def test_a_record_whose_parent_is_deleted_gets_a_clear_message(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        meeting, forum = made["meeting"], made["forum"]
        delete(session, meeting)
        delete(session, forum)
        response = post_form(client, f"/trash/meeting/{meeting.id}/restore", {})
        assert response.status_code == 409
        assert (
            "“Rapat koordinasi” cannot be restored while the record it belongs to, "
            "Forum “Forum bansos”, is in the trash. Restore that one first."
        ) in text_of(response.text)
        session.expire_all()
        assert meeting.deleted_at is not None
        assert len(rows(response.text)) == 2

    @pytest.mark.parametrize(
        ("child", "parent"),
        [
            ("decision", "meeting"),
            ("measurement", "outcome"),
            ("relationship", "stakeholder"),
            ("participation", "collaboration"),
            ("assessment", "collaboration"),
        ],
    )
    def test_every_parent_kind_is_respected(
        self, client: SignedInClient, session: Session, child: str, parent: str
    ) -> None:
        made = every_record(session)
        delete(session, made[child])
        delete(session, made[parent])
        response = post_form(client, f"/trash/{child}/{made[child].id}/restore", {})
        assert response.status_code == 409
        assert "Restore that one first." in text_of(response.text)

    def test_the_services_own_rule_is_shown_too(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        old = made["participation"]
        assert isinstance(old, Participation)
        delete(session, old)
        again = Participation(
            collaboration_id=old.collaboration_id, stakeholder_id=old.stakeholder_id, role=old.role
        )
        session.add(again)
        session.commit()
        response = post_form(client, f"/trash/participation/{old.id}/restore", {})
        assert response.status_code == 409
        assert "This record cannot be restored:" in text_of(response.text)
        session.expire_all()
        assert old.deleted_at is not None

    def test_a_record_no_longer_in_the_trash_is_a_notice_not_an_error(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        for path in (f"/trash/forum/{made['forum'].id}/restore", "/trash/user/1/restore"):
            response = post_form(client, path, {})
            assert notice_after(client, response) == "That record is no longer in the trash."

    def test_without_the_csrf_token_nothing_happens(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        delete(session, made["forum"])
        del client.headers["x-csrf-token"]
        response = post_form(client, f"/trash/forum/{made['forum'].id}/restore", {})
        assert response.status_code == 403
        session.expire_all()
        assert made["forum"].deleted_at is not None


class TestWhoMayUseIt:
    @pytest.mark.parametrize("role", ["viewer", "researcher"])
    def test_readers_and_researchers_are_refused(
        self, client_as: Callable[[str], SignedInClient], session: Session, role: str
    ) -> None:
        made = every_record(session)
        delete(session, made["forum"])
        client = client_as(role)
        assert client.get(URL).status_code == 403
        assert post_form(client, f"/trash/forum/{made['forum'].id}/restore", {}).status_code == 403
        assert client.get(API).status_code == 403
        session.expire_all()
        assert made["forum"].deleted_at is not None

    def test_the_secretariat_may(self, client_as: Callable[[str], SignedInClient]) -> None:
        assert client_as("secretariat").get(URL).status_code == 200

    def test_anonymous_visitors_are_sent_to_sign_in(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get(URL, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=%2Ftrash"
        assert anonymous_client.get(API).status_code == 401

    def test_navigation_shows_trash_and_audit_log_only_to_stewards(
        self, client_as: Callable[[str], SignedInClient]
    ) -> None:
        def nav(client: TestClient) -> str:
            html = client.get("/stakeholders").text
            found = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
            assert found is not None
            return found.group(0)

        for role in ("admin", "secretariat"):
            links = nav(client_as(role))
            assert 'href="/trash"' in links
            assert 'href="/audit"' in links
        for role in ("viewer", "researcher"):
            links = nav(client_as(role))
            assert 'href="/trash"' not in links
            assert 'href="/audit"' not in links


class TestJson:
    def test_standard_list_shape_with_who_deleted(
        self, client: SignedInClient, session: Session
    ) -> None:
        made = every_record(session)
        delete(session, made["forum"], Actor(client.user.name, client.user.id))
        delete(session, made["commitment"])
        answer = client.get(API, params={"limit": 1}).json()
        assert (answer["total"], answer["limit"], answer["offset"]) == (2, 1, 0)
        item = answer["items"][0]
        assert item["record_type"] == "commitment"
        assert (item["title"], item["deleted_by"], item["deleted_by_id"]) == (
            "Update the DTKS",
            "bob",
            None,
        )
        forum = client.get(API, params={"record_type": "forum"}).json()["items"]
        assert [(i["record_id"], i["deleted_by_id"]) for i in forum] == [
            (made["forum"].id, client.user.id)
        ]

    def test_unknown_type_is_422_naming_the_field(self, client: SignedInClient) -> None:
        response = client.get(API, params={"record_type": "user"})
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["record_type"]
