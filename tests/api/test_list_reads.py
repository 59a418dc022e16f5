"""List reads that keep work between requests or skip it: a meetings list's count and a
stakeholder search's matches are kept per data revision, and a page of meetings is found
from the index before its rows are read. The answers must be what reading everything
afresh would give, before and after writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from governance import revision
from governance.commitments import service as commitment_service
from governance.commitments.schemas import CommitmentQuery
from governance.meetings import service as meeting_service
from governance.meetings.schemas import MeetingQuery
from governance.models import Collaboration, Meeting, Stakeholder
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderQuery
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_stakeholder,
)

MEETINGS = "/api/v1/meetings"
STAKEHOLDERS = "/api/v1/stakeholders"
COMMITMENTS = "/api/v1/commitments"
FIRST_DAY = dt.datetime(2021, 3, 1, 2, tzinfo=dt.UTC)


def listed(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def ids(answer: dict[str, Any]) -> list[int]:
    return [item["id"] for item in answer["items"]]


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    """The SQL run on the test's connection while the test runs."""
    run: list[str] = []

    def record(*args: Any) -> None:
        run.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    yield run
    event.remove(connection, "before_cursor_execute", record)


class TestMeetingPages:
    @pytest.fixture
    def case(self, session: Session) -> Collaboration:
        """Twelve live meetings, three a day, the later days made first (so the listing
        order is not the id order), one deleted meeting, and another case's meeting."""
        collaboration = make_collaboration(session)
        forum = make_forum(session, collaboration)
        for n in range(12):
            make_meeting(session, forum, starts_at=FIRST_DAY - dt.timedelta(days=n // 3))
        make_meeting(session, forum, starts_at=FIRST_DAY, deleted_at=FIRST_DAY)
        make_meeting(session, make_forum(session, make_collaboration(session, name="Other")))
        session.commit()
        return collaboration

    def listing_order(self, session: Session, collaboration: Collaboration) -> list[int]:
        found = session.scalars(
            select(Meeting.id)
            .where(Meeting.collaboration_id == collaboration.id, Meeting.deleted_at.is_(None))
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return list(found)

    @pytest.mark.parametrize("offset", [0, 2, 5, 9, 11, 12, 40])
    def test_a_page_is_its_slice_of_the_whole_order(
        self, client: TestClient, session: Session, case: Collaboration, offset: int
    ) -> None:
        order = self.listing_order(session, case)

        answer = listed(client, MEETINGS, collaboration_id=case.id, limit=4, offset=offset)

        assert len(order) == 12
        assert ids(answer) == order[offset : offset + 4]
        assert answer["total"] == 12
        assert (answer["limit"], answer["offset"]) == (4, offset)

    def test_the_count_follows_writes(
        self, client: TestClient, session: Session, case: Collaboration
    ) -> None:
        first = listed(client, MEETINGS, collaboration_id=case.id, limit=2)
        forum_id = session.scalars(select(Meeting.forum_id).where(Meeting.id == ids(first)[0]))
        logged = client.post(
            MEETINGS,
            json={
                "forum_id": forum_id.one(),
                "title": "Added",
                "starts_at": "2019-01-01T09:00:00+07:00",
            },
        )
        assert logged.status_code == 201, logged.text
        after_insert = listed(client, MEETINGS, collaboration_id=case.id, limit=2)
        deleted = client.delete(f"{MEETINGS}/{ids(first)[0]}")
        assert deleted.status_code == 200, deleted.text
        after_delete = listed(client, MEETINGS, collaboration_id=case.id, limit=2)

        assert first["total"] == 12
        assert after_insert["total"] == 13
        assert ids(after_insert)[0] == logged.json()["id"]  # it starts first
        assert after_delete["total"] == 12
        assert ids(first)[0] not in ids(after_delete)

    def test_each_filter_has_its_own_count(self, client: TestClient, case: Collaboration) -> None:
        live = listed(client, MEETINGS, collaboration_id=case.id)
        with_deleted = listed(client, MEETINGS, collaboration_id=case.id, include_deleted=True)
        one_day = listed(client, MEETINGS, collaboration_id=case.id, starts_from="2021-03-01")

        assert (live["total"], with_deleted["total"], one_day["total"]) == (12, 13, 3)

    @pytest.mark.parametrize(
        "filters",
        [{}, {"include_deleted": True}, {"starts_from": dt.date(2021, 3, 1)}, {"q": "meeting"}],
    )
    @pytest.mark.parametrize("offset", [0, 10])
    def test_the_rows_are_the_searched_records_rows(
        self, session: Session, case: Collaboration, filters: dict[str, Any], offset: int
    ) -> None:
        query = MeetingQuery(collaboration_id=case.id, limit=4, offset=offset, **filters)

        page = meeting_service.search_rows(session, query=query)
        records = meeting_service.search(session, query=query)

        assert page.items == meeting_service.rows(session, records.items)
        assert page.total == records.total > 0
        assert (page.limit, page.offset) == (4, offset)

    def test_the_count_is_taken_once_per_revision(
        self, session: Session, case: Collaboration, statements: list[str]
    ) -> None:
        query = MeetingQuery(collaboration_id=case.id, limit=5, offset=3)
        revision.clear_caches()

        first = meeting_service.search(session, query=query)
        counted = sum("count(" in statement for statement in statements)
        second = meeting_service.search(session, query=query)

        assert counted == 1
        assert sum("count(" in statement for statement in statements) == 1
        assert first.total == second.total == 12
        assert [m.id for m in first.items] == [m.id for m in second.items]


class TestStakeholderSearch:
    @pytest.fixture
    def registry(self, session: Session) -> list[int]:
        """Seven "Yayasan" stakeholders made out of name order (one matching by an alias
        only, one deleted) among others; the matches' ids in listing order."""
        for name in ("Yayasan Tifa", "Yayasan Amal", "LBH Jakarta", "Yayasan Mitra"):
            make_stakeholder(session, name=name, search_key=name.lower())
        make_stakeholder(session, name="Yayasan Gone", deleted_at=FIRST_DAY)
        make_stakeholder(session, name="Perkumpulan Abdi", search_key="perkumpulan abdi\nyayasan")
        for name in ("Yayasan Bumi", "Dinas Sosial", "Yayasan Cahaya", "Yayasan Amal"):
            make_stakeholder(session, name=name, search_key=name.lower())
        session.commit()
        found = session.scalars(
            select(Stakeholder.id)
            .where(Stakeholder.deleted_at.is_(None), Stakeholder.search_key.contains("yayasan"))
            .order_by(Stakeholder.name, Stakeholder.id)
        )
        return list(found)

    @pytest.mark.parametrize("offset", [0, 3, 6, 7, 20])
    def test_a_page_is_its_slice_of_the_matches(
        self, client: TestClient, registry: list[int], offset: int
    ) -> None:
        answer = listed(client, STAKEHOLDERS, q="  YAYASAN ", limit=3, offset=offset)

        assert len(registry) == 7
        assert ids(answer) == registry[offset : offset + 3]
        assert answer["total"] == 7

    def test_matches_follow_writes(self, client: TestClient, registry: list[int]) -> None:
        renamed, deleted = registry[0], registry[1]
        before = listed(client, STAKEHOLDERS, q="yayasan")
        version = client.get(f"{STAKEHOLDERS}/{renamed}").json()["version"]
        patched = client.patch(
            f"{STAKEHOLDERS}/{renamed}", json={"name": "Lembaga Amal", "version": version}
        )
        assert patched.status_code == 200, patched.text
        after_rename = listed(client, STAKEHOLDERS, q="yayasan")
        assert client.delete(f"{STAKEHOLDERS}/{deleted}").status_code == 200
        after_delete = listed(client, STAKEHOLDERS, q="yayasan")
        assert client.post(f"{STAKEHOLDERS}/{deleted}/restore").status_code == 200
        after_restore = listed(client, STAKEHOLDERS, q="yayasan")

        assert ids(before) == registry
        assert ids(after_rename) == registry[1:]
        assert ids(after_delete) == registry[2:]
        assert ids(after_restore) == registry[1:]
        assert [answer["total"] for answer in (after_rename, after_delete, after_restore)] == [
            6,
            5,
            6,
        ]

    def test_a_search_finding_nothing_reads_no_rows(
        self, client: TestClient, registry: list[int], statements: list[str]
    ) -> None:
        answer = listed(client, STAKEHOLDERS, q="koperasi")

        assert answer["items"] == []
        assert answer["total"] == 0
        assert not any("stakeholders.id IN" in statement for statement in statements)


class TestCommitmentPages:
    @pytest.fixture
    def case(self, session: Session) -> Collaboration:
        """Five commitments due on different days, one undated, one deleted, and another
        case's commitment."""
        collaboration = make_collaboration(session)
        owner = make_stakeholder(session)
        for day in (20, 5, 12, 1, 28):
            make_commitment(session, collaboration, owner, due_on=dt.date(2020, 7, day))
        make_commitment(session, collaboration, owner, due_on=None)
        make_commitment(session, collaboration, owner, deleted_at=FIRST_DAY)
        make_commitment(session, make_collaboration(session, name="Other"), owner)
        session.commit()
        return collaboration

    @pytest.mark.parametrize(
        "filters",
        [
            {},
            {"status": ["open"]},
            {"overdue": True},
            {"due_from": dt.date(2020, 7, 5), "due_to": dt.date(2020, 7, 20)},
            {"include_deleted": True, "q": "unserved"},
        ],
    )
    @pytest.mark.parametrize("offset", [0, 3, 9])
    def test_the_rows_are_the_searched_records_rows(
        self, session: Session, case: Collaboration, filters: dict[str, Any], offset: int
    ) -> None:
        query = CommitmentQuery(collaboration_id=case.id, limit=4, offset=offset, **filters)

        page = commitment_service.search_rows(session, query=query)
        records = commitment_service.search(session, query=query)

        assert page.items == commitment_service.rows(session, records.items)
        assert page.total == records.total
        assert (page.limit, page.offset) == (4, offset)

    def test_the_count_is_taken_once_per_revision_and_follows_writes(
        self, client: TestClient, session: Session, case: Collaboration, statements: list[str]
    ) -> None:
        query = CommitmentQuery(collaboration_id=case.id, limit=2)
        revision.clear_caches()

        first = commitment_service.search_rows(session, query=query)
        second = commitment_service.search_rows(session, query=query)
        counted = sum("count(" in statement for statement in statements)
        owner_id = first.items[0]["owner_id"]
        made = client.post(
            COMMITMENTS,
            json={
                "collaboration_id": case.id,
                "owner_id": owner_id,
                "description": "Added",
                "made_on": "2020-06-01",
                "due_on": "2020-06-02",
            },
        )
        assert made.status_code == 201, made.text
        after_insert = listed(client, COMMITMENTS, collaboration_id=case.id, limit=2)

        assert counted == 1
        assert first.total == second.total == 6
        assert after_insert["total"] == 7
        assert ids(after_insert)[0] == made.json()["id"]  # due first

    def test_the_overdue_count_moves_with_the_day(
        self, session: Session, case: Collaboration, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        query = CommitmentQuery(collaboration_id=case.id, overdue=True)
        revision.clear_caches()

        monkeypatch.setattr(commitment_service, "today", lambda: dt.date(2020, 7, 10))
        early = commitment_service.search_rows(session, query=query)
        monkeypatch.setattr(commitment_service, "today", lambda: dt.date(2020, 7, 21))
        later = commitment_service.search_rows(session, query=query)

        assert (early.total, len(early.items)) == (2, 2)
        assert (later.total, len(later.items)) == (4, 4)
        assert all(row["overdue"] for row in later.items)


class TestStakeholderRows:
    @pytest.mark.parametrize("with_contact", [True, False])
    @pytest.mark.parametrize(
        "filters",
        [{}, {"q": "yayasan"}, {"sector": "government"}, {"include_deleted": True, "offset": 1}],
    )
    def test_the_rows_are_the_searched_records_rows(
        self, session: Session, filters: dict[str, Any], with_contact: bool
    ) -> None:
        make_stakeholder(
            session,
            name="Yayasan Peduli",
            aliases=["YP"],
            search_key="yayasan peduli\nyp",
            resources={"staff": 2},
            contact={"email": "yp@example.org"},
        )
        make_stakeholder(session, name="Dinas Sosial", sector="government")
        make_stakeholder(
            session, name="Yayasan Gone", search_key="yayasan gone", deleted_at=FIRST_DAY
        )
        session.commit()
        query = StakeholderQuery(limit=2, **filters)

        page = stakeholder_service.search_rows(session, query=query, with_contact=with_contact)
        records = stakeholder_service.search(session, query=query)

        assert page.items == stakeholder_service.rows(records.items, with_contact=with_contact)
        assert page.items  # every filter finds someone
        assert page.total == records.total
