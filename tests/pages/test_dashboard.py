"""A collaboration's dashboard, on hand-made records and on the demo case."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pages import changes
from api.pages import dashboard as dashboard_page
from governance.audit.service import Actor
from governance.collaborations import service as collaboration_service
from governance.collaborations.schemas import CollaborationCreate, CollaborationPatch
from governance.demo.loader import LoadResult
from governance.models import Measurement, TrustEvent
from governance.vocab import (
    CommitmentStatus,
    MeetingStatus,
    OutcomeLevel,
    TrustEventKind,
    TrustForm,
    Valence,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_outcome,
    make_stakeholder,
)
from tests.pages.html import text_of


def url(collaboration_id: int | None) -> str:
    return f"/collaborations/{collaboration_id}"


def trust_event(session: Session, case_id: int, actor_id: int, **fields: Any) -> TrustEvent:
    values: dict[str, Any] = {
        "collaboration_id": case_id,
        "actor_id": actor_id,
        "occurred_on": dt.date(2020, 6, 1),
        "kind": TrustEventKind.PROMISE_KEPT,
        "trust_form": TrustForm.RATIONAL,
        "valence": Valence.POSITIVE,
        "severity": 1,
    }
    event = TrustEvent(**(values | fields))
    session.add(event)
    session.flush()
    return event


class TestDashboard:
    def test_shows_the_next_and_last_meetings(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        forum = make_forum(session, case, name="Forum Koordinasi")
        make_meeting(session, forum, title="Old", starts_at=dt.datetime(2020, 1, 5, tzinfo=dt.UTC))
        make_meeting(
            session, forum, title="Latest", starts_at=dt.datetime(2021, 1, 5, tzinfo=dt.UTC)
        )
        make_meeting(
            session,
            forum,
            title="Planned",
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2999, 3, 1, 3, tzinfo=dt.UTC),
        )

        page = text_of(client.get(url(case.id)).text)

        assert "Next meeting Planned Mar 1, 2999, 10:00 AM Forum Koordinasi" in page
        assert "Last meeting Latest Jan 5, 2021" in page
        assert "Old" not in page

    def test_lists_overdue_commitments_most_overdue_first(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        dinsos = make_stakeholder(session, name="Dinas Sosial")
        spri = make_stakeholder(session, name="SPRI")
        make_commitment(
            session,
            case,
            dinsos,
            counterpart_id=spri.id,
            description="Later one",
            due_on=dt.date(2021, 1, 1),
        )
        make_commitment(session, case, spri, description="Earliest one", due_on=dt.date(2020, 7, 1))
        make_commitment(
            session,
            case,
            spri,
            description="Kept",
            due_on=dt.date(2020, 7, 1),
            status=CommitmentStatus.FULFILLED,
        )

        response = client.get(url(case.id))

        page = text_of(response.text)
        assert page.index("Earliest one") < page.index("Later one")
        assert "Dinas Sosial → SPRI" in page
        assert "Kept" not in page
        assert "Overdue 2" in page
        assert re.search(r"\d+ days late due Jul 1, 2020 · Open", page)

    def test_draws_outcome_progress_as_bars_with_the_value_in_words(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        parent = make_outcome(session, case, title="Households added")
        child = make_outcome(
            session,
            case,
            title="Verified",
            parent_id=parent.id,
            level=OutcomeLevel.SMALL_WIN,
            unit="households",
        )
        session.add(Measurement(outcome_id=child.id, measured_on=dt.date(2021, 1, 1), value=250))
        session.flush()

        response = client.get(url(case.id))

        page = text_of(response.text)
        assert "Households added Final outcome · rolled up from its parts 25%" in page
        assert "Verified Small win · 250 of 1,000 households 25%" in page
        assert response.text.count('class="progress__fill" x="0" y="0" width="25.0"') == 2
        assert "outcome--depth-1" in response.text

    def test_draws_the_trust_timeline_with_a_table_alternative(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos")
        actor = make_stakeholder(session, name="SPRI")
        trust_event(session, case.id, actor.id, severity=3)
        trust_event(
            session,
            case.id,
            actor.id,
            occurred_on=dt.date(2021, 2, 1),
            valence=Valence.NEGATIVE,
            kind=TrustEventKind.PROTEST,
        )

        response = client.get(url(case.id))

        assert response.text.count('class="trust-point trust-point--positive"') == 1
        assert response.text.count('class="trust-point trust-point--negative"') == 1
        assert (
            'role="img" aria-labelledby="trust-timeline-title trust-timeline-desc"' in response.text
        )
        assert (
            '<title id="trust-timeline-title">Trust events of Bansos over time</title>'
            in response.text
        )
        page = text_of(response.text)
        assert "Feb 1, 2021 Protest SPRI → the whole forum ▼ Erodes trust 1/3" in page

    def test_tables_only_the_latest_trust_events_and_links_to_them_all(
        self, client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(dashboard_page, "TRUST_EVENTS_LISTED", 2)
        case = make_collaboration(session, name="Bansos")
        actor = make_stakeholder(session, name="SPRI")
        for day in (1, 2, 3):
            trust_event(session, case.id, actor.id, occurred_on=dt.date(2021, 3, day), severity=day)

        response = client.get(url(case.id))

        assert response.text.count("trust-point__mark") == 3  # the chart draws them all
        table = re.search(r"<tbody>(.*?)</tbody>", response.text.split('id="trust-title"')[1], re.S)
        assert table
        assert re.findall(r"Mar \d, 2021", text_of(table.group(1))) == [
            "Mar 2, 2021",
            "Mar 3, 2021",
        ]
        assert "The latest trust events as a table" in response.text
        assert f'href="/collaborations/{case.id}/trust">All trust events</a>' in response.text

    def test_lists_recent_changes_to_the_collaboration_and_its_records(
        self, client: TestClient, session: Session
    ) -> None:
        case = collaboration_service.create(
            session,
            data=CollaborationCreate(name="Bansos"),
            actor=Actor("ana"),
        )
        collaboration_service.update(
            session,
            record=case,
            data=CollaborationPatch(version=1, place="Jakarta"),
            actor=Actor("budi"),
        )
        other = collaboration_service.create(
            session,
            data=CollaborationCreate(name="Elsewhere"),
            actor=Actor("ana"),
        )
        session.flush()

        page = text_of(client.get(url(case.id)).text)

        assert "budi changed collaboration “Bansos” — Place" in page
        assert "ana created collaboration “Bansos”" in page
        assert other.name not in page

    def test_an_empty_collaboration_says_what_is_missing(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)

        page = text_of(client.get(url(case.id)).text)

        for sentence in (
            "No meeting planned.",
            "No meeting held yet.",
            "Nothing is overdue.",
            "No outcomes set yet.",
            "No trust events recorded yet.",
        ):
            assert sentence in page

    def test_shows_the_collaboration_navigation_with_the_dashboard_current(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)

        response = client.get(url(case.id))

        nav = response.text.split('aria-label="Collaboration"')[1].split("</nav>")[0]
        assert f'<a href="/collaborations/{case.id}" aria-current="page">Dashboard</a>' in nav
        assert f'href="/stakeholders?collaboration_id={case.id}"' in nav


class TestDemoDashboard:
    def test_renders_the_demo_case(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(url(demo.collaboration_id))

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Perbaikan Bansos DKI Jakarta" in page
        assert "Outcome progress" in page
        assert response.text.count("trust-point__mark") >= 10

    def test_runs_the_same_queries_for_the_demo_as_for_an_empty_case(
        self, client: TestClient, session: Session, demo: LoadResult, count_queries: Any
    ) -> None:
        empty = make_collaboration(session, name="Empty")
        with count_queries() as small:
            client.get(url(empty.id))
        with count_queries() as full:
            client.get(url(demo.collaboration_id))

        # The demo's changes name more record types (one title query each), nothing else grows.
        assert full.selects - small.selects <= 8
        assert full.selects <= 30

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        response = client.get("/collaborations/987654")

        assert response.status_code == 404
        assert "Page not found" in response.text

    def test_a_deleted_collaboration_is_not_found(
        self, client: TestClient, session: Session
    ) -> None:
        gone = make_collaboration(session, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(url(gone.id)).status_code == 404


class TestKeptPerRevision:
    """The dashboard's figures, lists and panels are kept per data revision and language."""

    def test_a_second_request_reads_only_what_changes_with_time(
        self, client: TestClient, demo: LoadResult, count_queries: Any
    ) -> None:
        with count_queries() as first:
            first_page = client.get(url(demo.collaboration_id)).text
        with count_queries() as second:
            second_page = client.get(url(demo.collaboration_id)).text

        # Kept: the sign-in, the collaboration, the revision's fingerprint and the next
        # and last meetings (they change with the clock) are read again, nothing else.
        assert second.selects <= 5 < first.selects
        assert text_of(second_page) == text_of(first_page)

    def test_a_write_shows_at_once(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        spri = make_stakeholder(session, name="SPRI")
        assert "Nothing is overdue." in text_of(client.get(url(case.id)).text)

        make_commitment(
            session, case, spri, description="Publish the list", due_on=dt.date(2020, 7, 1)
        )

        page = text_of(client.get(url(case.id)).text)
        assert "Overdue 1" in page
        assert "Publish the list" in page
        assert "Nothing is overdue." not in page

    def test_each_language_has_its_own_panels(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        client.get(url(case.id))

        page = text_of(client.get(url(case.id), params={"lang": "id"}).text)

        assert "Kemajuan hasil" in page
        assert "Tidak ada yang lewat tenggat." in page
        assert "Nothing is overdue." not in page


class TestRecentChanges:
    """The latest changes are found among the newest entries of the log first, else in all."""

    def test_finds_changes_older_than_the_newest_entries_of_the_log(
        self, client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(changes, "RECENT_WINDOW", 2)
        case = collaboration_service.create(
            session, data=CollaborationCreate(name="Bansos"), actor=Actor("ana")
        )
        for number in range(3):  # newer entries, about another collaboration
            collaboration_service.create(
                session, data=CollaborationCreate(name=f"Elsewhere {number}"), actor=Actor("budi")
            )
        session.flush()

        page = text_of(client.get(url(case.id)).text)

        assert "ana created collaboration “Bansos”" in page
        assert "Elsewhere" not in page

    def test_the_newest_entries_and_the_whole_log_give_the_same_answer(
        self, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        case = collaboration_service.create(
            session, data=CollaborationCreate(name="Bansos"), actor=Actor("ana")
        )
        other = make_collaboration(session, name="Elsewhere")
        for number in range(4):
            collaboration_service.update(
                session,
                record=case,
                data=CollaborationPatch(version=number + 1, place=f"Place {number}"),
                actor=Actor("budi"),
            )
            collaboration_service.update(
                session,
                record=other,
                data=CollaborationPatch(version=number + 1, place=f"Place {number}"),
                actor=Actor("budi"),
            )
        session.flush()

        found = {}
        for window in (3, 1000):  # only some entries looked through first, or all of them
            monkeypatch.setattr(changes, "RECENT_WINDOW", window)
            for limit in (1, 4):  # found among the newest three entries, or not
                found[window, limit] = changes.recent_changes(session, case.id, limit=limit)

        assert found[3, 1] == found[1000, 1]
        assert found[3, 4] == found[1000, 4]
        assert [change.fields for change in found[3, 4]] == [["place"]] * 4
        assert {change.title for change in found[3, 4]} == {"Bansos"}


def test_the_demo_has_trust_events(session: Session, demo: LoadResult) -> None:
    """Guards the demo test above: its chart must have something to draw."""
    count = len(session.scalars(select(TrustEvent.id)).all())
    assert count >= 10
