"""The audit log pages: the whole log, one record's history, and the History links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from governance import records
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import Record
from tests.audit.world import every_record
from tests.conftest import SignedInClient
from tests.factories import make_collaboration, make_forum, make_stakeholder
from tests.pages.html import field_error, text_of

URL = "/audit"
UTC = dt.UTC


def entry(session: Session, **fields: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "at": dt.datetime(2020, 6, 1, 20, 0, tzinfo=UTC),
        "actor": "alice",
        "action": "update",
        "record_type": "forum",
        "record_id": 1,
        "changes": {"name": ["Forum", "Forum bansos"]},
    }
    row = AuditEntry(**(values | fields))
    session.add(row)
    session.flush()
    return row


def shown_entries(html: str) -> list[str]:
    """The visible text of each entry of the page, in order."""
    return [
        text_of(item)
        for item in re.findall(r'<li class="audit-entry[^"]*"[^>]*>(.*?)</li>', html, re.S)
    ]


def entry_ids(html: str) -> list[int]:
    return [
        int(found) for found in re.findall(r'<li class="audit-entry[^"]*" id="entry-(\d+)"', html)
    ]


class TestLog:
    def test_an_entry_shows_who_when_what_the_record_and_before_after(
        self, client: SignedInClient, session: Session
    ) -> None:
        collaboration = make_collaboration(session)
        forum = make_forum(session, collaboration, name="Forum data bansos")
        entry(session, record_id=forum.id, user_id=client.user.id, actor=client.user.name)
        session.commit()
        html = client.get(URL).text
        [shown] = shown_entries(html)
        # 20:00 UTC is 03:00 the next day in Jakarta.
        assert shown.startswith(
            f"Changed Forum Forum data bansos by {client.user.name} · Jun 2, 2020, 3:00"
        )
        assert "Name Forum → Forum bansos" in shown
        assert f'<a href="/forums/{forum.id}">Forum data bansos</a>' in html
        assert f'<a href="/audit?user_id={client.user.id}">{client.user.name}</a>' in html
        assert f'<a href="/audit/forum/{forum.id}">History of this record</a>' in html

    def test_user_supplied_values_are_escaped(
        self, client: SignedInClient, session: Session
    ) -> None:
        stakeholder = make_stakeholder(session, name="<img src=x onerror=alert(1)>")
        records.apply_changes(
            session,
            stakeholder,
            {"description": "<script>alert('x')</script>"},
            version=stakeholder.version,
            actor=Actor("mallory<b>"),
        )
        session.commit()
        html = client.get(URL).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        assert "<img src=x" not in html
        assert "mallory&lt;b&gt;" in html

    def test_a_deleted_record_is_named_but_not_linked(
        self, client: SignedInClient, session: Session
    ) -> None:
        forum = make_forum(session, make_collaboration(session), name="Old forum")
        records.soft_delete(session, forum, actor=Actor("bob"))
        session.commit()
        html = client.get(URL).text
        [shown] = shown_entries(html)
        assert shown.startswith("Deleted Forum Old forum in the trash by bob")
        assert f'href="/forums/{forum.id}"' not in html
        assert '<a href="/audit?actor=bob">bob</a>' in html

    def test_credentials_are_never_shown(self, client: SignedInClient, session: Session) -> None:
        entry(
            session,
            record_type="user",
            record_id=client.user.id,
            changes={
                "password_hash": ["$argon2id$old", "$argon2id$new"],
                "role": ["viewer", "admin"],
            },
        )
        session.commit()
        html = client.get(URL).text
        assert "argon2" not in html
        assert "Role viewer → admin" in text_of(html)

    def test_long_values_fold_and_instants_read_in_jakarta_time(
        self, client: SignedInClient, session: Session
    ) -> None:
        entry(
            session,
            changes={
                "minutes": [None, "Minutes " * 100],
                "starts_at": ["2020-06-01T03:00:00+00:00", "2020-06-01T04:00:00+00:00"],
                "attendance": [[], [{"stakeholder_id": 3, "attended": True}]],
                "public": [False, True],
            },
        )
        session.commit()
        html = client.get(URL).text
        text = text_of(html)
        assert "Jun 1, 2020, 10:00:00 AM → Jun 1, 2020, 11:00:00 AM" in text
        assert 'Attendance empty → [{"attended": true, "stakeholder_id": 3}]' in text
        assert "Public no → yes" in text
        assert '<details class="audit-value audit-value--long">' in html

    def test_newest_first_fifty_a_page(self, client: SignedInClient, session: Session) -> None:
        start = dt.datetime(2020, 1, 1, tzinfo=UTC)
        made = [
            entry(session, at=start + dt.timedelta(hours=n), record_id=n + 1) for n in range(51)
        ]
        session.commit()
        first = client.get(URL).text
        second = client.get(URL, params={"page": 2}).text
        assert entry_ids(first) == [row.id for row in reversed(made[1:])]
        assert entry_ids(second) == [made[0].id]
        assert "Showing 51–51 of 51" in text_of(second)

    def test_filters(self, client: SignedInClient, session: Session) -> None:
        wanted = entry(session, action="delete", record_type="meeting", user_id=client.user.id)
        entry(session, action="delete", record_type="forum", user_id=client.user.id)
        entry(session, action="create", record_type="meeting", user_id=client.user.id)
        entry(session, action="delete", record_type="meeting")
        late = entry(
            session,
            action="delete",
            record_type="meeting",
            actor="cli",
            at=dt.datetime(2021, 1, 1, tzinfo=UTC),
        )
        session.commit()
        params = {"user_id": str(client.user.id), "record_type": "meeting", "action": "delete"}
        assert entry_ids(client.get(URL, params=params).text) == [wanted.id]
        # 1 June 20:00 UTC is 2 June in Jakarta.
        by_day = client.get(URL, params={"date_from": "2020-06-02", "date_to": "2020-06-02"}).text
        assert late.id not in entry_ids(by_day)
        assert len(entry_ids(by_day)) == 4
        assert entry_ids(client.get(URL, params={"actor": "CLI"}).text) == [late.id]

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"date_from": "2020-13-01"}, "date_from", "Enter a date (YYYY-MM-DD)."),
            ({"date_from": "2020-06-02", "date_to": "2020-06-01"}, "date_to", None),
            ({"user_id": "me"}, "user_id", "Enter a whole number."),
            ({"record_type": "Forum!"}, "record_type", None),
        ],
    )
    def test_bad_filters_are_named_beside_the_field(
        self,
        client: SignedInClient,
        session: Session,
        params: dict[str, str],
        field: str,
        message: str | None,
    ) -> None:
        entry(session)
        session.commit()
        answer = client.get(URL, params=params)
        assert answer.status_code == 400
        error = field_error(answer.text, field)
        assert error
        if message is not None:
            assert error == message
        # The other filters still apply and the log still shows.
        assert len(entry_ids(answer.text)) == 1

    def test_bounded_queries_whatever_the_size(
        self, client: SignedInClient, session: Session, count_queries: Any
    ) -> None:
        made = every_record(session, prefix="a ")
        for record in made.values():
            records.soft_delete(session, record, actor=Actor("bob"))
        session.commit()
        with count_queries() as few:
            client.get(URL)
        for number in range(3):
            for record in every_record(session, prefix=f"b{number} ").values():
                records.apply_changes(session, record, {}, version=record.version, actor=Actor("x"))
                records.soft_delete(session, record, actor=Actor("bob"))
        session.commit()
        with count_queries() as many:
            answer = client.get(URL)
        assert len(entry_ids(answer.text)) == 50
        assert few.selects == many.selects <= 5 + 13


class TestHistory:
    def test_one_records_entries_with_a_link_to_it(
        self, client: SignedInClient, session: Session
    ) -> None:
        forum = make_forum(session, make_collaboration(session), name="Forum bansos")
        other = make_forum(session, make_collaboration(session, name="Other"), name="Other forum")
        records.apply_changes(
            session, forum, {"name": "Forum data"}, version=1, actor=Actor("alice")
        )
        records.apply_changes(session, other, {"name": "Elsewhere"}, version=1, actor=Actor("bob"))
        records.soft_delete(session, forum, actor=Actor("carol"))
        records.restore(session, forum, actor=Actor("dewi"))
        session.commit()
        answer = client.get(f"/audit/forum/{forum.id}")
        assert answer.status_code == 200
        shown = shown_entries(answer.text)
        assert [line.split(" by ")[0] for line in shown] == ["Restored", "Deleted", "Changed"]
        assert [line.split(" by ")[1].split(" ")[0] for line in shown] == ["dewi", "carol", "alice"]
        assert f'<h1><a href="/forums/{forum.id}">Forum data</a></h1>' in answer.text

    def test_a_deleted_record_keeps_its_history(
        self, client: SignedInClient, session: Session
    ) -> None:
        forum = make_forum(session, make_collaboration(session), name="Old forum")
        records.soft_delete(session, forum, actor=Actor("bob"))
        session.commit()
        text = text_of(client.get(f"/audit/forum/{forum.id}").text)
        assert "Old forum in the trash" in text

    @pytest.mark.parametrize("path", ["/audit/no_such_type/1", "/audit/forum/2147483647"])
    def test_unknown_record_is_404(self, client: SignedInClient, path: str) -> None:
        assert client.get(path).status_code == 404

    def test_history_of_a_record_that_no_longer_exists(
        self, client: SignedInClient, session: Session
    ) -> None:
        entry(session, record_type="decision", record_id=999_999, action="create")
        session.commit()
        text = text_of(client.get("/audit/decision/999999").text)
        assert "This record no longer exists; its history remains." in text


#: Each record page and the record it shows.
RECORD_PAGES: dict[str, Callable[[int], str]] = {
    "collaboration": lambda i: f"/collaborations/{i}",
    "stakeholder": lambda i: f"/stakeholders/{i}",
    "forum": lambda i: f"/forums/{i}",
    "meeting": lambda i: f"/meetings/{i}",
    "commitment": lambda i: f"/commitments/{i}",
    "trust_event": lambda i: f"/trust-events/{i}",
    "outcome": lambda i: f"/outcomes/{i}",
    "relationship": lambda i: f"/relationships/{i}",
    "evidence": lambda i: f"/evidence/{i}",
}


class TestHistoryLinks:
    def test_every_record_page_links_to_its_history_for_stewards(
        self, client_as: Callable[[str], SignedInClient], session: Session
    ) -> None:
        made: dict[str, Record] = every_record(session)
        session.commit()
        steward, viewer = client_as("secretariat"), client_as("viewer")
        for record_type, page in RECORD_PAGES.items():
            record = made[record_type]
            link = f'href="/audit/{record_type}/{record.id}">History</a>'
            answer = steward.get(page(record.id))
            assert answer.status_code == 200, page(record.id)
            assert link in answer.text, record_type
            assert link not in viewer.get(page(record.id)).text, record_type


class TestWhoMayRead:
    @pytest.mark.parametrize("role", ["viewer", "researcher"])
    def test_readers_and_researchers_are_refused(
        self, client_as: Callable[[str], SignedInClient], role: str
    ) -> None:
        client = client_as(role)
        assert client.get(URL).status_code == 403
        assert client.get("/audit/forum/1").status_code == 403

    def test_anonymous_visitors_are_sent_to_sign_in(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get(URL, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=%2Faudit"

    def test_the_secretariat_reads_it(self, client_as: Callable[[str], SignedInClient]) -> None:
        assert client_as("secretariat").get(URL).status_code == 200

    def test_indonesian(self, client: SignedInClient, session: Session) -> None:
        entry(session)
        session.commit()
        text = text_of(client.get(URL, params={"lang": "id"}).text)
        assert "Log audit" in text
        assert "Diubah" in text
