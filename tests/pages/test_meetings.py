"""The meeting pages: the list with filters, a meeting's page, edit, delete with undo."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.meetings import service as meeting_service
from governance.meetings.schemas import MeetingPatch
from governance.models import (
    Attendance,
    Collaboration,
    Decision,
    Forum,
    Meeting,
    Stakeholder,
    TrustEvent,
)
from governance.vocab import (
    AttendanceRole,
    DecisionKind,
    MeetingStatus,
    Sector,
    TrustEventKind,
    TrustForm,
    Valence,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of
from tests.pages.test_meeting_log import form_of
from tests.pages.test_stakeholders import notice_after

UTC = dt.UTC


@dataclass
class Case:
    collaboration: Collaboration
    forum: Forum
    spri: Stakeholder
    dinsos: Stakeholder

    @property
    def meetings_url(self) -> str:
        return f"/collaborations/{self.collaboration.id}/meetings"


@pytest.fixture
def case(session: Session) -> Case:
    collaboration = make_collaboration(session, name="Bansos monitoring")
    forum = make_forum(session, collaboration, name="Forum Koordinasi")
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    dinsos = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
    for stakeholder in (spri, dinsos):
        make_participation(session, collaboration, stakeholder)
    return Case(collaboration, forum, spri, dinsos)


def logged_meeting(session: Session, case: Case, **fields: Any) -> Meeting:
    """A held meeting of 1 March 2021, 09:00–11:30 in Jakarta, with one of everything."""
    values: dict[str, Any] = {
        "title": "Coordination meeting #3",
        "starts_at": dt.datetime(2021, 3, 1, 2, 0, tzinfo=UTC),
        "ends_at": dt.datetime(2021, 3, 1, 4, 30, tzinfo=UTC),
        "location": "Balai Kota",
        "agenda": "1. Audit\n2. Data",
        "minutes": "**Agreed** to verify.",
        "minutes_circulated_on": dt.date(2021, 3, 3),
    }
    meeting = make_meeting(session, case.forum, **(values | fields))
    session.add_all(
        [
            Attendance(
                meeting_id=meeting.id,
                stakeholder_id=case.spri.id,
                role=AttendanceRole.CHAIR,
                represented_by="Wahyu",
            ),
            Attendance(meeting_id=meeting.id, stakeholder_id=case.dinsos.id, attended=False),
            Decision(
                meeting_id=meeting.id,
                text="Adopt the problem statement",
                kind=DecisionKind.SHARED_STATEMENT,
                by_consensus=False,
            ),
            TrustEvent(
                collaboration_id=case.collaboration.id,
                meeting_id=meeting.id,
                occurred_on=dt.date(2021, 3, 1),
                actor_id=case.dinsos.id,
                target_id=case.spri.id,
                kind=TrustEventKind.PROMISE_KEPT,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE,
                severity=2,
            ),
        ]
    )
    make_commitment(
        session,
        case.collaboration,
        case.dinsos,
        counterpart_id=case.spri.id,
        meeting_id=meeting.id,
        description="Verify 500 households",
    )
    session.flush()
    return meeting


def titles(html: str) -> list[str]:
    return re.findall(r'class="strong" href="/meetings/\d+">([^<]+)<', html)


class TestList:
    def test_lists_the_newest_first_and_marks_planned_ones(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        make_meeting(
            session, case.forum, title="Old", starts_at=dt.datetime(2020, 6, 1, tzinfo=UTC)
        )
        make_meeting(
            session, case.forum, title="Newer", starts_at=dt.datetime(2021, 1, 1, tzinfo=UTC)
        )
        make_meeting(
            session,
            case.forum,
            title="Next",
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2099, 1, 1, tzinfo=UTC),
        )
        make_meeting(
            session,
            case.forum,
            title="Forgotten",
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2021, 2, 1, tzinfo=UTC),
        )

        response = client.get(case.meetings_url)

        assert response.status_code == 200
        assert titles(response.text) == ["Next", "Forgotten", "Newer", "Old"]
        page = text_of(response.text)
        assert page.count("Planned") >= 2
        assert page.count("Not logged yet") == 1
        assert 'aria-current="page">Meetings<' in response.text

    def test_filters_by_forum_status_and_local_dates(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        other = make_forum(session, case.collaboration, name="Other forum")
        # 06:00 in Jakarta on 1 March is still 28 February in UTC.
        make_meeting(
            session, case.forum, title="Early", starts_at=dt.datetime(2021, 2, 28, 23, tzinfo=UTC)
        )
        make_meeting(
            session, other, title="Elsewhere", starts_at=dt.datetime(2021, 3, 1, 3, tzinfo=UTC)
        )
        make_meeting(
            session,
            case.forum,
            title="Later",
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2021, 3, 1, 3, tzinfo=UTC),
        )

        by_day = client.get(
            case.meetings_url, params={"starts_from": "2021-03-01", "starts_to": "2021-03-01"}
        )
        by_forum = client.get(case.meetings_url, params={"forum_id": str(other.id)})
        by_status = client.get(case.meetings_url, params={"status": "planned"})

        assert titles(by_day.text) == ["Later", "Elsewhere", "Early"]
        assert titles(by_forum.text) == ["Elsewhere"]
        assert titles(by_status.text) == ["Later"]
        assert input_value(by_status.text, "status") == "planned"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "postponed"}, "status"),
            ({"forum_id": "abc"}, "forum_id"),
            ({"starts_from": "yesterday"}, "starts_from"),
            ({"starts_from": "2020-01-01", "starts_to": "2019-12-31"}, "starts_to"),
        ],
    )
    def test_a_bad_filter_is_named_and_the_rest_still_lists(
        self, client: TestClient, session: Session, case: Case, params: dict[str, str], field: str
    ) -> None:
        make_meeting(session, case.forum, title="Still here")

        response = client.get(case.meetings_url, params=params)

        assert response.status_code == 400
        assert field_error(response.text, field)
        assert "Still here" in text_of(response.text)

    def test_pages_through_many_meetings(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        for number in range(30):
            make_meeting(
                session,
                case.forum,
                title=f"Meeting {number:02d}",
                starts_at=dt.datetime(2021, 1, 1, tzinfo=UTC) + dt.timedelta(days=number),
            )

        first = client.get(case.meetings_url)
        second = client.get(case.meetings_url, params={"page": "2"})

        assert len(titles(first.text)) == 25
        assert titles(first.text)[0] == "Meeting 29"
        assert titles(second.text) == [f"Meeting {n:02d}" for n in range(4, -1, -1)]
        assert "Showing 1–25 of 30" in text_of(first.text)

    def test_speaks_indonesian(self, client: TestClient, session: Session, case: Case) -> None:
        logged_meeting(session, case)

        page = text_of(client.get(case.meetings_url, params={"lang": "id"}).text)

        assert "Catat rapat" in page
        assert "Jadwalkan rapat" in page
        assert "1 Mar 2021" in page

    def test_an_empty_list_invites_to_log_one(self, client: TestClient, case: Case) -> None:
        page = text_of(client.get(case.meetings_url).text)

        assert "No meetings yet" in page

    def test_runs_as_many_queries_for_thirty_meetings_as_for_two(
        self, client: TestClient, session: Session, case: Case, count_queries: Any
    ) -> None:
        for _ in range(2):
            logged_meeting(session, case)
        with count_queries() as few:
            client.get(case.meetings_url)
        for _ in range(28):
            logged_meeting(session, case)
        with count_queries() as many:
            client.get(case.meetings_url)

        assert few.selects == many.selects <= 7


class TestDetail:
    def test_shows_everything_recorded_at_the_meeting(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = logged_meeting(session, case)

        response = client.get(f"/meetings/{meeting.id}")

        assert response.status_code == 200
        html, page = response.text, text_of(response.text)
        assert "Coordination meeting #3" in page
        assert "Mar 1, 2021" in page
        assert "9:00" in page
        assert "11:30" in page
        assert "Balai Kota" in page
        assert "<strong>Agreed</strong> to verify." in html
        assert "Mar 3, 2021" in page
        assert "SPRI DKI Jakarta Civil society yes ✓ yes Chair Wahyu" in page
        assert "Dinas Sosial Government yes ✗ no Participant" in page
        assert (
            "Adopt the problem statement Shared mission or problem statement not by consensus"
            in page
        )
        assert "Verify 500 households Dinas Sosial → SPRI DKI Jakarta" in page
        assert "Promise kept" in page
        assert "Builds trust · 2/3 · Rational" in page
        assert f'href="/forums/{case.forum.id}"' in html

    def test_a_planned_meeting_offers_to_log_it(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = make_meeting(session, case.forum, status=MeetingStatus.PLANNED)

        html = client.get(f"/meetings/{meeting.id}").text

        assert f'href="/meetings/{meeting.id}/complete"' in html
        assert "planned for a date that has passed" in text_of(html)

    def test_stored_markup_is_never_executed(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        script = "<script>alert('x')</script>"
        meeting = logged_meeting(
            session, case, title=f"T {script}", minutes=f"M {script} [x](javascript:alert(1))"
        )
        session.add(Decision(meeting_id=meeting.id, text=f"D {script}"))
        session.flush()

        html = client.get(f"/meetings/{meeting.id}").text

        assert "<script>alert" not in html
        assert 'href="javascript' not in html
        assert "T &lt;script&gt;" in html
        assert "D &lt;script&gt;" in html

    def test_speaks_indonesian(self, client: TestClient, session: Session, case: Case) -> None:
        meeting = logged_meeting(session, case)

        page = text_of(client.get(f"/meetings/{meeting.id}", params={"lang": "id"}).text)

        assert "Keputusan" in page
        assert "Komitmen yang dibuat" in page
        assert "1 Mar 2021" in page
        assert "Pimpinan rapat" in page

    def test_a_deleted_meeting_is_not_found(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = make_meeting(session, case.forum, deleted_at=dt.datetime(2021, 1, 1, tzinfo=UTC))

        assert client.get(f"/meetings/{meeting.id}").status_code == 404

    def test_runs_a_fixed_number_of_queries(
        self, client: TestClient, session: Session, case: Case, count_queries: Any
    ) -> None:
        small = logged_meeting(session, case)
        with count_queries() as few:
            client.get(f"/meetings/{small.id}")
        large = logged_meeting(session, case)
        for number in range(8):
            extra = make_stakeholder(session, name=f"Extra {number}")
            session.add(Attendance(meeting_id=large.id, stakeholder_id=extra.id))
            session.add(Decision(meeting_id=large.id, text=f"Decision {number}"))
            make_commitment(session, case.collaboration, extra, meeting_id=large.id)
        session.flush()
        with count_queries() as many:
            client.get(f"/meetings/{large.id}")

        assert few.selects == many.selects <= 13


def edit_form(**overrides: str) -> dict[str, str]:
    values = {
        "forum_id": "",
        "title": "Coordination meeting #3",
        "status": "held",
        "date": "2021-03-01",
        "start_time": "09:00",
        "end_time": "11:30",
        "mode": "in_person",
        "location": "Balai Kota",
        "agenda": "",
        "minutes": "Revised minutes",
        "minutes_circulated_on": "",
        "version": "1",
        "rows.attendance": "2",
    }
    return values | overrides


class TestEdit:
    def test_shows_the_stored_values_in_jakarta_time(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = logged_meeting(session, case)

        html = client.get(f"/meetings/{meeting.id}/edit").text

        assert input_value(html, "date") == "2021-03-01"
        assert input_value(html, "start_time") == "09:00"
        assert input_value(html, "end_time") == "11:30"
        assert input_value(html, "minutes_circulated_on") == "2021-03-03"
        assert input_value(html, "attendance[0].represented_by") == "Wahyu"
        fields = form_of(html)
        assert (fields["attendance[0].invited"], fields["attendance[0].attended"]) == ("1", "1")
        assert (fields["attendance[1].invited"], fields.get("attendance[1].attended")) == (
            "1",
            None,
        )

    def test_saves_the_fields_and_the_attendance(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = logged_meeting(session, case)
        data = edit_form(forum_id=str(case.forum.id), title="Renamed", start_time="10:00")
        data |= {
            "attendance[0].stakeholder_id": str(case.spri.id),
            "attendance[0].attended": "1",
            "attendance[0].invited": "1",
            "attendance[0].role": "facilitator",
            "attendance[1].stakeholder_id": str(case.dinsos.id),
        }

        response = post_form(client, f"/meetings/{meeting.id}/edit", data)

        assert notice_after(client, response) == "Meeting “Renamed” saved."
        session.expire_all()
        assert (meeting.title, meeting.version) == ("Renamed", 2)
        assert meeting.starts_at == dt.datetime(2021, 3, 1, 3, 0, tzinfo=UTC)
        assert meeting.minutes_circulated_on is None
        seats = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
        assert [(s.stakeholder_id, s.role) for s in seats] == [
            (case.spri.id, AttendanceRole.FACILITATOR)
        ]

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"end_time": "08:00"}, "end_time", "Must not be before the start time."),
            ({"date": "tomorrow"}, "date", "Enter a date (YYYY-MM-DD)."),
            ({"status": "postponed"}, "status", "Choose one of the options."),
        ],
    )
    def test_invalid_input_keeps_it_and_names_the_field(
        self,
        client: TestClient,
        session: Session,
        case: Case,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        meeting = logged_meeting(session, case)

        response = post_form(
            client,
            f"/meetings/{meeting.id}/edit",
            edit_form(forum_id=str(case.forum.id), **overrides),
        )

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, "minutes") == "Revised minutes"
        session.expire_all()
        assert meeting.version == 1

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = logged_meeting(session, case)
        meeting_service.update(
            session,
            record=meeting,
            data=MeetingPatch(version=1, title="Renamed by a colleague"),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client,
            f"/meetings/{meeting.id}/edit",
            edit_form(forum_id=str(case.forum.id), title="Mine"),
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Someone else changed this record while you were editing it" in page
        assert "“Coordination meeting #3” → “Renamed by a colleague”" in page
        assert input_value(response.text, "title") == "Mine"
        assert input_value(response.text, "version") == "2"
        session.expire_all()
        assert meeting.title == "Renamed by a colleague"


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        meeting = logged_meeting(session, case)

        deleted = post_form(client, f"/meetings/{meeting.id}/delete", {})

        assert deleted.headers["location"] == case.meetings_url
        listing = client.get(case.meetings_url)
        assert "Meeting “Coordination meeting #3” deleted." in text_of(listing.text)
        assert f'action="/meetings/{meeting.id}/restore"' in listing.text
        assert client.get(f"/meetings/{meeting.id}").status_code == 404

        restored = post_form(client, f"/meetings/{meeting.id}/restore", {})

        assert notice_after(client, restored) == "Meeting “Coordination meeting #3” restored."
        session.expire_all()
        assert meeting.deleted_at is None


class TestLanguages:
    @pytest.mark.parametrize(
        ("page", "english", "indonesian"),
        [
            ("list", "Schedule a meeting", "Jadwalkan rapat"),
            ("detail", "Trust events seen", "Peristiwa kepercayaan yang terlihat"),
            ("edit", "Delete this meeting", "Hapus rapat ini"),
            ("log", "Save the meeting", "Simpan rapat"),
            ("complete", "Save the meeting", "Simpan rapat"),
        ],
    )
    def test_every_meeting_page_renders_in_both_languages(
        self,
        client: TestClient,
        session: Session,
        case: Case,
        page: str,
        english: str,
        indonesian: str,
    ) -> None:
        meeting = logged_meeting(session, case)
        planned = make_meeting(session, case.forum, status=MeetingStatus.PLANNED)
        url = {
            "list": case.meetings_url,
            "detail": f"/meetings/{meeting.id}",
            "edit": f"/meetings/{meeting.id}/edit",
            "log": f"{case.meetings_url}/log",
            "complete": f"/meetings/{planned.id}/complete",
        }[page]

        in_english = client.get(url, params={"lang": "en"})
        in_indonesian = client.get(url, params={"lang": "id"})

        assert in_english.status_code == in_indonesian.status_code == 200
        assert english in text_of(in_english.text)
        assert indonesian in text_of(in_indonesian.text)
