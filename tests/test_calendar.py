"""The calendar feed: the iCalendar document, read back with icalendar, and its route."""

from __future__ import annotations

import datetime as dt
import doctest
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance import calendar
from governance.base import utcnow
from governance.calendar import (
    CalendarData,
    DueEntry,
    MeetingEntry,
    build_calendar,
    filename,
)
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment
from governance.demo.loader import load_demo
from governance.forums.models import Forum
from governance.meetings.models import Meeting
from governance.vocab import CommitmentStatus, MeetingMode, MeetingStatus
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_stakeholder,
)

UTC = dt.UTC
JAKARTA = ZoneInfo("Asia/Jakarta")
STAMP = dt.datetime(2020, 5, 20, 8, 30, tzinfo=UTC)


def meeting_entry(**fields: Any) -> MeetingEntry:
    values: dict[str, Any] = {
        "id": 7,
        "forum": "Forum Bansos",
        "title": "Audit results",
        "starts_at": dt.datetime(2020, 6, 1, 3, 0, tzinfo=UTC),
        "ends_at": dt.datetime(2020, 6, 1, 5, 0, tzinfo=UTC),
        "mode": MeetingMode.IN_PERSON,
        "status": MeetingStatus.PLANNED,
        "location": "Balai Kota",
        "agenda": "1. Audit findings",
        "created_at": STAMP,
        "updated_at": STAMP,
        "version": 1,
    }
    return MeetingEntry(**(values | fields))


def due_entry(**fields: Any) -> DueEntry:
    values: dict[str, Any] = {
        "id": 3,
        "owner": "Dinas Sosial",
        "counterpart": "SPRI DKI Jakarta",
        "description": "Verify the coalition's list",
        "made_on": dt.date(2020, 6, 1),
        "due_on": dt.date(2020, 7, 1),
        "status": CommitmentStatus.OPEN,
        "created_at": STAMP,
        "updated_at": STAMP,
        "version": 1,
    }
    return DueEntry(**(values | fields))


def parse(document: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(document)


def events(document: bytes) -> dict[str, icalendar.Component]:
    return {str(event["UID"]): event for event in parse(document).walk("VEVENT")}


def build(*, meetings: tuple[MeetingEntry, ...] = (), due: tuple[DueEntry, ...] = ()) -> bytes:
    return build_calendar(CalendarData(1, "Perbaikan Bansos", meetings, due))


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(calendar)

    assert (result.failed, result.attempted > 0) == (0, True)


class TestBuildCalendar:
    def test_is_a_calendar_named_after_the_collaboration(self) -> None:
        document = build()

        parsed = parse(document)
        assert document.startswith(b"BEGIN:VCALENDAR\r\n")
        assert str(parsed["VERSION"]) == "2.0"
        assert str(parsed["PRODID"]) == calendar.PRODID
        assert str(parsed["X-WR-CALNAME"]) == "Perbaikan Bansos"
        assert parsed.walk("VEVENT") == []

    def test_a_meeting_is_a_timed_event_in_utc(self) -> None:
        document = build(meetings=(meeting_entry(),))

        event = events(document)["meeting-7@collabgov"]
        assert event.decoded("DTSTART") == dt.datetime(2020, 6, 1, 3, 0, tzinfo=UTC)
        assert event.decoded("DTEND") == dt.datetime(2020, 6, 1, 5, 0, tzinfo=UTC)
        assert b"DTSTART:20200601T030000Z\r\n" in document
        assert str(event["SUMMARY"]) == "Audit results"
        assert str(event["LOCATION"]) == "Balai Kota"
        assert str(event["STATUS"]) == "CONFIRMED"
        assert (
            str(event["DESCRIPTION"]) == "Forum: Forum Bansos\nMode: in person\n\n1. Audit findings"
        )
        assert event.decoded("DTSTAMP") == STAMP

    def test_times_in_another_zone_are_written_in_utc(self) -> None:
        starts = dt.datetime(2020, 6, 1, 10, 0, tzinfo=JAKARTA)

        document = build(meetings=(meeting_entry(starts_at=starts, ends_at=None),))

        event = events(document)["meeting-7@collabgov"]
        assert event.decoded("DTSTART") == dt.datetime(2020, 6, 1, 3, 0, tzinfo=UTC)
        assert "DTEND" not in event

    def test_a_cancelled_meeting_stays_with_status_cancelled(self) -> None:
        document = build(meetings=(meeting_entry(status=MeetingStatus.CANCELLED),))

        assert str(events(document)["meeting-7@collabgov"]["STATUS"]) == "CANCELLED"

    def test_commas_semicolons_and_newlines_are_escaped_and_read_back(self) -> None:
        title = "Audit, data; and follow-up"
        agenda = "1. Findings, by RW\n2. DTKS; proposals\\notes"
        location = "Balai Kota, Jl. Medan Merdeka Selatan; room 2"

        document = build(meetings=(meeting_entry(title=title, agenda=agenda, location=location),))

        event = events(document)["meeting-7@collabgov"]
        assert str(event["SUMMARY"]) == title
        assert str(event["LOCATION"]) == location
        assert str(event["DESCRIPTION"]).endswith(agenda)
        unfolded = document.replace(b"\r\n ", b"")
        assert b"SUMMARY:Audit\\, data\\; and follow-up\r\n" in unfolded
        assert b"1. Findings\\, by RW\\n2. DTKS\\; proposals\\\\notes" in unfolded

    def test_a_due_commitment_is_an_all_day_event_on_its_due_date(self) -> None:
        document = build(due=(due_entry(owner="Dinas Sosial, DKI"),))

        event = events(document)["commitment-3@collabgov"]
        assert event.decoded("DTSTART") == dt.date(2020, 7, 1)
        assert event.decoded("DTEND") == dt.date(2020, 7, 2)
        assert b"DTSTART;VALUE=DATE:20200701\r\n" in document
        assert str(event["SUMMARY"]) == "Due: Dinas Sosial, DKI: Verify the coalition's list"
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert str(event["DESCRIPTION"]) == (
            "Verify the coalition's list\n\nOwner: Dinas Sosial, DKI\nTo: SPRI DKI Jakarta\n"
            "Made on: 2020-06-01\nStatus: open"
        )
        assert "URL" not in event
        assert "http" not in str(event["DESCRIPTION"])

    def test_a_long_description_is_cut_in_the_summary_only(self) -> None:
        text = "Publish the list of households\nadded to DTKS " + "x" * 300

        event = events(build(due=(due_entry(description=text),)))["commitment-3@collabgov"]

        summary = str(event["SUMMARY"])
        assert len(summary) == calendar.SUMMARY_LENGTH
        assert summary.startswith("Due: Dinas Sosial: Publish the list of households added")
        assert summary.endswith("…")
        assert str(event["DESCRIPTION"]).startswith(text)

    def test_an_edit_bumps_the_sequence_and_keeps_the_uid(self) -> None:
        later = STAMP + dt.timedelta(days=2)
        edited = replace(meeting_entry(), version=3, updated_at=later)

        event = events(build(meetings=(edited,)))["meeting-7@collabgov"]

        assert event.decoded("SEQUENCE") == 2
        assert event.decoded("LAST-MODIFIED") == later
        assert event.decoded("CREATED") == STAMP

    def test_the_same_records_give_the_same_document(self) -> None:
        meetings, due = (meeting_entry(), meeting_entry(id=8)), (due_entry(),)

        assert build(meetings=meetings, due=due) == build(meetings=meetings, due=due)


class TestFilename:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            (
                "Perbaikan Bansos DKI Jakarta (2020–2022)",
                "collabgov-4-perbaikan-bansos-dki-jakarta-2020-2022.ics",
            ),
            ("Café São Paulo", "collabgov-4-cafe-sao-paulo.ics"),
            ("协作", "collabgov-4.ics"),
        ],
    )
    def test_is_ascii_and_names_the_collaboration(self, name: str, expected: str) -> None:
        assert filename(CalendarData(4, name, (), ())) == expected


@pytest.fixture
def bansos(session: Session) -> Collaboration:
    return make_collaboration(session, name="Bansos, Jakarta")


def feed_url(collaboration_id: int | str) -> str:
    return f"/api/v1/collaborations/{collaboration_id}/calendar.ics"


class TestCalendarRoute:
    def test_answers_an_icalendar_attachment(
        self, client: TestClient, bansos: Collaboration
    ) -> None:
        response = client.get(feed_url(bansos.id))

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="collabgov-{bansos.id}-bansos-jakarta.ics"'
        )
        assert str(parse(response.content)["X-WR-CALNAME"]) == "Bansos, Jakarta"

    def test_lists_live_meetings_and_commitments_still_due(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        forum = make_forum(session, bansos)
        closed_forum = make_forum(session, bansos, name="Old forum", deleted_at=utcnow())
        held = make_meeting(session, forum, location="Balai Kota, lantai 2")
        cancelled = make_meeting(session, forum, status=MeetingStatus.CANCELLED)
        deleted = make_meeting(session, forum, deleted_at=utcnow())
        in_closed_forum = make_meeting(session, closed_forum)
        owner = make_stakeholder(session, name="Dinas Sosial DKI Jakarta")
        due = make_commitment(session, bansos, owner)
        working = make_commitment(session, bansos, owner, status=CommitmentStatus.IN_PROGRESS)
        make_commitment(
            session,
            bansos,
            owner,
            status=CommitmentStatus.FULFILLED,
            fulfilled_on=dt.date(2020, 6, 20),
        )
        make_commitment(session, bansos, owner, deleted_at=utcnow())
        make_commitment(session, bansos, owner, due_on=None)
        other_forum = make_forum(session, make_collaboration(session, name="Other case"))
        make_meeting(session, other_forum)

        response = client.get(feed_url(bansos.id))

        found = events(response.content)
        assert set(found) == {
            f"meeting-{held.id}@collabgov",
            f"meeting-{cancelled.id}@collabgov",
            f"commitment-{due.id}@collabgov",
            f"commitment-{working.id}@collabgov",
        }
        assert f"meeting-{deleted.id}@collabgov" not in found
        assert f"meeting-{in_closed_forum.id}@collabgov" not in found
        meeting = found[f"meeting-{held.id}@collabgov"]
        assert meeting.decoded("DTSTART") == held.starts_at
        assert str(meeting["LOCATION"]) == "Balai Kota, lantai 2"
        assert str(found[f"meeting-{cancelled.id}@collabgov"]["STATUS"]) == "CANCELLED"
        commitment = found[f"commitment-{due.id}@collabgov"]
        assert commitment.decoded("DTSTART") == dt.date(2020, 7, 1)
        assert str(commitment["SUMMARY"]) == (
            "Due: Dinas Sosial DKI Jakarta: Verify the coalition's list of unserved households"
        )

    def test_the_demo_case_feed_has_every_meeting_and_due_commitment(
        self, client: TestClient, session: Session
    ) -> None:
        result = load_demo(session)
        session.flush()
        assert result.collaboration_id is not None
        meetings = session.scalar(
            select(func.count())
            .select_from(Meeting)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(
                Meeting.collaboration_id == result.collaboration_id,
                Meeting.deleted_at.is_(None),
                Forum.deleted_at.is_(None),
            )
        )
        due = session.scalar(
            select(func.count())
            .select_from(Commitment)
            .where(
                Commitment.collaboration_id == result.collaboration_id,
                Commitment.deleted_at.is_(None),
                Commitment.due_on.is_not(None),
                Commitment.status.in_(calendar.DUE_STATUSES),
            )
        )

        found = events(client.get(feed_url(result.collaboration_id)).content)

        assert meetings
        assert due
        assert sum(uid.startswith("meeting-") for uid in found) == meetings
        assert sum(uid.startswith("commitment-") for uid in found) == due

    def test_unknown_collaboration_is_404(self, client: TestClient) -> None:
        response = client.get(feed_url(999_999))

        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"

    def test_deleted_collaboration_is_404(
        self, client: TestClient, session: Session, bansos: Collaboration
    ) -> None:
        bansos.deleted_at = utcnow()
        session.flush()

        assert client.get(feed_url(bansos.id)).status_code == 404

    @pytest.mark.parametrize("record_id", ["0", "abc", str(2**31)])
    def test_bad_id_is_422(self, client: TestClient, record_id: str) -> None:
        response = client.get(feed_url(record_id))

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "record_id"
