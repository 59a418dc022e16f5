"""The meeting log page: a whole meeting in one form, saved in one go or not at all."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.audit import service as audit
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import utcnow
from governance.models import (
    Attendance,
    Collaboration,
    Commitment,
    Decision,
    Forum,
    Meeting,
    Participation,
    Stakeholder,
    TrustEvent,
)
from governance.vocab import MeetingStatus, Sector
from tests.conftest import SignedInClient
from tests.factories import (
    make_collaboration,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of
from tests.pages.test_stakeholders import notice_after

JAKARTA = dt.timezone(dt.timedelta(hours=7))


class FormFields(HTMLParser):
    """What a browser would send for the forms of a page, as it stands."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and name:
            kind = found.get("type") or "text"
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self.fields[name] = found.get("value") or "on"
                return
            self.fields[name] = found.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first = name, True
        elif tag == "option" and self._select is not None:
            if self._first or "selected" in found:
                self.fields[self._select] = found.get("value") or ""
            self._first = False
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None


def form_of(html: str) -> dict[str, str]:
    return FormFields(html).fields


@dataclass
class Case:
    collaboration: Collaboration
    forum: Forum
    people: list[Stakeholder]

    @property
    def log_url(self) -> str:
        return f"/collaborations/{self.collaboration.id}/meetings/log"


def make_case(session: Session, participants: int = 12) -> Case:
    collaboration = make_collaboration(session, name="Bansos monitoring")
    forum = make_forum(session, collaboration, name="Forum Koordinasi")
    people = []
    for number in range(participants):
        sector = Sector.GOVERNMENT if number % 3 == 0 else Sector.CIVIL_SOCIETY
        person = make_stakeholder(session, name=f"Org {number:02d}", sector=sector)
        make_participation(session, collaboration, person)
        people.append(person)
    return Case(collaboration, forum, people)


@pytest.fixture
def case(session: Session) -> Case:
    return make_case(session)


def seat_of(html: str) -> dict[int, int]:
    """Stakeholder id → row of the attendance checklist."""
    return {
        int(stakeholder): int(row)
        for row, stakeholder in re.findall(
            r'name="attendance\[(\d+)\]\.stakeholder_id" value="(\d+)"', html
        )
    }


def filled(client: TestClient, case: Case, **overrides: str) -> dict[str, str]:
    """The log as a secretary fills it in: 12 attended, 3 decisions, 4 commitments, 2 trust
    events and a newcomer, on 1 March 2021."""
    page = client.get(case.log_url).text
    data = form_of(page)
    seats = seat_of(page)
    p = case.people
    data |= {
        "title": "Coordination meeting #3",
        "date": "2021-03-01",
        "start_time": "09:00",
        "end_time": "11:30",
        "location": "Balai Kota",
        "minutes": "**Agreed**: verify the list.",
    }
    for person in p:
        data[f"attendance[{seats[person.id]}].attended"] = "1"
    data[f"attendance[{seats[p[0].id]}].role"] = "chair"
    data[f"attendance[{seats[p[1].id]}].represented_by"] = "Ibu Sri"
    data |= {
        "newcomers[0].name": "Warga RW 07",
        "newcomers[0].kind": "group",
        "newcomers[0].sector": "community",
        "decisions[0].text": "Verify the audit list",
        "decisions[1].text": "Adopt the problem statement",
        "decisions[1].kind": "shared_statement",
        "decisions[2].text": "Meet again in April",
    }
    for row, (owner, counterpart, what) in enumerate(
        [
            (p[0], p[1], "Verify 500 households"),
            (p[1], p[0], "Share the audit data"),
            (p[2], None, "Publish the minutes"),
            (None, p[3], "Bring the RW list"),
        ]
    ):
        data |= {
            f"commitments[{row}].owner_id": str(owner.id) if owner else "new:0",
            f"commitments[{row}].counterpart_id": str(counterpart.id) if counterpart else "",
            f"commitments[{row}].description": what,
            f"commitments[{row}].due_on": "2021-04-01",
        }
    data |= {
        "trust_events[0].actor_id": str(p[0].id),
        "trust_events[0].target_id": str(p[1].id),
        "trust_events[0].kind": "promise_kept",
        "trust_events[0].valence": "positive",
        "trust_events[0].trust_form": "rational",
        "trust_events[0].description": "Delivered the data as promised",
        "trust_events[1].actor_id": str(p[4].id),
        "trust_events[1].kind": "public_criticism",
        "trust_events[1].valence": "negative",
        "trust_events[1].trust_form": "procedural",
        "trust_events[1].severity": "2",
    }
    return data | overrides | {"action": overrides.get("action", "save")}


def stored(session: Session) -> dict[str, int]:
    session.expire_all()
    models = (Meeting, Attendance, Decision, Commitment, TrustEvent, Stakeholder, Participation)
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models}


class TestTheForm:
    def test_lists_every_participant_with_sensible_defaults(
        self, client: TestClient, case: Case
    ) -> None:
        response = client.get(case.log_url)

        assert response.status_code == 200
        html = response.text
        assert len(seat_of(html)) == 12
        assert "Org 00" in text_of(html)
        assert input_value(html, "date") == utcnow().astimezone(JAKARTA).date().isoformat()
        assert input_value(html, "forum_id") == str(case.forum.id)
        assert input_value(html, "attendance[0].role") == "participant"
        assert input_value(html, "decisions[0].kind") == "ordinary"
        fields = form_of(html)
        assert fields["status"] == "held"
        assert {fields[f"rows.{s}"] for s in ("newcomers", "decisions", "trust_events")} == {
            "2",
            "3",
        }
        assert fields["rows.commitments"] == "4"
        assert "novalidate" in html

    def test_every_input_is_labelled(self, client: TestClient, case: Case) -> None:
        html = client.get(case.log_url).text

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        assert ids
        assert set(ids) <= labelled

    def test_preselects_the_forum_of_the_latest_meeting(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        other = make_forum(session, case.collaboration, name="Another forum")
        make_meeting(session, other, starts_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC))
        make_meeting(session, case.forum, starts_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        html = client.get(case.log_url).text

        assert input_value(html, "forum_id") == str(other.id)

    def test_speaks_indonesian(self, client: TestClient, case: Case) -> None:
        page = text_of(client.get(case.log_url, params={"lang": "id"}).text)

        assert "Catat rapat" in page
        assert "Simpan rapat" in page
        assert "Komitmen yang dibuat" in page

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get("/collaborations/999999/meetings/log").status_code == 404

    def test_runs_as_many_queries_for_twenty_participants_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        few = make_case(session, participants=2)
        many = make_case(session, participants=20)

        with count_queries() as small:
            client.get(few.log_url)
        with count_queries() as large:
            client.get(many.log_url)

        assert small.selects == large.selects <= 8


class TestSave:
    def test_saves_a_whole_meeting_in_one_go(
        self, client: SignedInClient, session: Session, case: Case
    ) -> None:
        response = post_form(client, case.log_url, filled(client, case))

        assert response.status_code == 303, text_of(response.text)[:2000]
        session.expire_all()
        meeting = session.scalars(select(Meeting)).one()
        assert response.headers["location"] == f"/meetings/{meeting.id}"
        assert notice_after(client, response) == "Meeting “Coordination meeting #3” logged."
        assert (meeting.status, meeting.location) == (MeetingStatus.HELD, "Balai Kota")
        assert meeting.starts_at == dt.datetime(2021, 3, 1, 2, 0, tzinfo=dt.UTC)
        assert meeting.ends_at == dt.datetime(2021, 3, 1, 4, 30, tzinfo=dt.UTC)
        seats = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
        by_id = {seat.stakeholder_id: seat for seat in seats}
        newcomer = session.scalars(
            select(Stakeholder).where(Stakeholder.name == "Warga RW 07")
        ).one()
        assert set(by_id) == {p.id for p in case.people} | {newcomer.id}
        assert all(seat.attended for seat in by_id.values())
        assert by_id[case.people[0].id].role.value == "chair"
        assert by_id[case.people[1].id].represented_by == "Ibu Sri"
        assert session.scalars(
            select(Participation.collaboration_id).where(
                Participation.stakeholder_id == newcomer.id
            )
        ).all() == [case.collaboration.id]
        decisions = session.scalars(
            select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
        ).all()
        assert [(d.text, d.kind.value) for d in decisions] == [
            ("Verify the audit list", "ordinary"),
            ("Adopt the problem statement", "shared_statement"),
            ("Meet again in April", "ordinary"),
        ]
        commitments = session.scalars(select(Commitment).order_by(Commitment.id)).all()
        assert [(c.meeting_id, c.made_on) for c in commitments] == [
            (meeting.id, dt.date(2021, 3, 1))
        ] * 4
        assert commitments[3].owner_id == newcomer.id
        assert commitments[2].counterpart_id is None
        events = session.scalars(select(TrustEvent).order_by(TrustEvent.id)).all()
        assert [(e.meeting_id, e.kind.value, e.severity) for e in events] == [
            (meeting.id, "promise_kept", 1),
            (meeting.id, "public_criticism", 2),
        ]
        assert events[1].target_id is None
        written = session.scalars(
            select(AuditEntry.record_type).where(AuditEntry.user_id == client.user.id)
        ).all()
        assert sorted(set(written)) == [
            "commitment",
            "decision",
            "meeting",
            "participation",
            "stakeholder",
            "trust_event",
        ]
        assert len(written) == 1 + 1 + 1 + 3 + 4 + 2

    def test_the_meeting_page_shows_what_was_logged(self, client: TestClient, case: Case) -> None:
        response = post_form(client, case.log_url, filled(client, case))

        page = text_of(client.get(response.headers["location"]).text)

        assert "Meeting “Coordination meeting #3” logged." in page
        assert "Verify 500 households" in page
        assert "Promise kept" in page
        assert "Warga RW 07" in page
        assert "Agreed: verify the list." in page

    def test_blank_rows_are_ignored(self, client: TestClient, session: Session, case: Case) -> None:
        data = filled(client, case)
        for key in [k for k in data if k.startswith(("commitments[", "trust_events["))]:
            data[key] = "" if not key.endswith("severity") else "1"
        data |= {"newcomers[0].name": "", "newcomers[0].kind": "", "newcomers[0].sector": ""}

        response = post_form(client, case.log_url, data)

        assert response.status_code == 303
        counts = stored(session)
        assert (counts["Commitment"], counts["TrustEvent"], counts["Decision"]) == (0, 0, 3)
        assert counts["Attendance"] == 12

    def test_schedules_a_planned_meeting_without_attendance(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        data = form_of(client.get(case.log_url, params={"status": "planned"}).text)
        data |= {
            "title": "April meeting",
            "date": "2099-04-05",
            "start_time": "10:00",
            "action": "save",
        }

        response = post_form(client, case.log_url, data)

        assert notice_after(client, response) == "Meeting “April meeting” scheduled."
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.status is MeetingStatus.PLANNED
        assert stored(session)["Attendance"] == 0

    def test_ticked_participants_of_a_planned_meeting_are_invited(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        data = filled(client, case, status="planned", date="2099-04-05")
        for key in [k for k in data if k.startswith(("decisions[", "commitments[", "trust_"))]:
            data[key] = ""
        data["newcomers[0].name"] = ""
        data["newcomers[0].kind"] = data["newcomers[0].sector"] = ""

        response = post_form(client, case.log_url, data)

        assert response.status_code == 303, text_of(response.text)[:1500]
        seats = session.scalars(select(Attendance)).all()
        assert len(seats) == 12
        assert {(s.invited, s.attended) for s in seats} == {(True, False)}


class TestRefusal:
    def test_an_invalid_row_saves_nothing_and_keeps_everything_typed(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        before = stored(session)
        data = filled(client, case, **{"commitments[2].due_on": "2021-02-01"})
        data["trust_events[1].kind"] = ""

        response = post_form(client, case.log_url, data)

        assert response.status_code == 400
        html = response.text
        assert field_error(html, "commitments[2].due_on") == (
            "Must not be before the meeting's date (Mar 1, 2021)."
        )
        assert field_error(html, "trust_events[1].kind") == "This field is required."
        assert stored(session) == before
        kept = form_of(html)
        for name, value in data.items():
            if name != "action":
                assert kept.get(name, "") == value, name
        assert "There are 2 problems" in text_of(html)
        assert "Commitment 3 · Due date" in text_of(html)

    def test_a_service_refusal_after_valid_input_also_saves_nothing(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        before = stored(session)
        data = filled(client, case)
        data["trust_events[0].target_id"] = data["trust_events[0].actor_id"]
        data["commitments[0].due_on"] = "2021-01-01"

        response = post_form(client, case.log_url, data)

        assert response.status_code == 400
        assert field_error(response.text, "trust_events[0].target_id") == (
            "Must differ from the actor; leave it empty for an event towards the whole forum."
        )
        assert field_error(response.text, "commitments[0].due_on")
        assert stored(session) == before
        assert input_value(response.text, "newcomers[0].name") == "Warga RW 07"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"date": "01/03/2021"}, "date", "Enter a date (YYYY-MM-DD)."),
            ({"start_time": ""}, "start_time", "This field is required."),
            ({"start_time": "9 o'clock"}, "start_time", "Enter a time, for example 14:00."),
            ({"end_time": "08:00"}, "end_time", "Must not be before the start time."),
            (
                {"date": "2099-01-01"},
                "date",
                "A held meeting cannot be in the future: schedule it as planned instead.",
            ),
            ({"forum_id": ""}, "forum_id", "This field is required."),
            ({"newcomers[0].sector": ""}, "newcomers[0].sector", "This field is required."),
            ({"commitments[1].owner_id": ""}, "commitments[1].owner_id", "This field is required."),
            (
                {"commitments[1].owner_id": "new:1"},
                "commitments[1].owner_id",
                "That newcomer row is empty: type the newcomer's name above first.",
            ),
            (
                {"commitments[1].description": ""},
                "commitments[1].description",
                "This field is required.",
            ),
            ({"decisions[0].kind": "royal"}, "decisions[0].kind", "Choose one of the options."),
            ({"trust_events[0].severity": "7"}, "trust_events[0].severity", "Enter 3 or less."),
            ({"status": "cancelled"}, "status", "Choose one of the options."),
        ],
    )
    def test_each_error_is_shown_beside_its_field(
        self,
        client: TestClient,
        session: Session,
        case: Case,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        response = post_form(client, case.log_url, filled(client, case, **overrides))

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert stored(session)["Meeting"] == 0

    def test_a_held_meeting_needs_someone_ticked(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        data = filled(client, case)
        for key in [k for k in data if k.endswith(".attended")]:
            data.pop(key)

        response = post_form(client, case.log_url, data)

        assert response.status_code == 400
        assert field_error(response.text, "attendance") == (
            "Tick at least one attendee, or schedule the meeting as planned."
        )

    def test_errors_read_in_indonesian(self, client: TestClient, case: Case) -> None:
        client.get("/", params={"lang": "id"})
        data = filled(client, case, **{"commitments[2].due_on": "2021-02-01"})

        response = post_form(client, case.log_url, data)

        assert field_error(response.text, "commitments[2].due_on") == (
            "Tidak boleh sebelum tanggal rapat (1 Mar 2021)."
        )


class TestMoreRowsAndPreview:
    def test_add_more_rows_keeps_everything_and_adds_blank_rows(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        data = filled(client, case, action="more:commitments")

        response = post_form(client, case.log_url, data)

        assert response.status_code == 200
        kept = form_of(response.text)
        assert kept["rows.commitments"] == "7"
        assert kept["commitments[6].description"] == ""
        for name, value in data.items():
            if name not in ("action", "rows.commitments"):
                assert kept.get(name, "") == value, name
        assert f'formaction="{case.log_url}#commitments"' in response.text
        assert stored(session)["Meeting"] == 0

    def test_preview_shows_the_minutes_sanitised_and_keeps_the_input(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        minutes = "**Agreed** to verify.\n\n<script>alert('x')</script>\n\n[x](javascript:alert(1))"
        data = filled(client, case, minutes=minutes, action="preview")

        response = post_form(client, case.log_url, data)

        assert response.status_code == 200
        html = response.text
        preview = html[html.index('id="minutes-preview"') :]
        assert "<strong>Agreed</strong> to verify." in preview
        assert "<script>alert" not in html
        assert 'href="javascript' not in html
        assert input_value(html, "minutes") == minutes
        assert input_value(html, "title") == "Coordination meeting #3"
        assert stored(session)["Meeting"] == 0

    def test_the_rows_can_grow_to_a_limit(self, client: TestClient, case: Case) -> None:
        data = filled(client, case, action="more:decisions")
        data["rows.decisions"] = "60"

        response = post_form(client, case.log_url, data)

        assert form_of(response.text)["rows.decisions"] == "60"
        assert 'value="more:decisions"' not in response.text


class TestXss:
    def test_markup_in_the_title_decision_and_minutes_is_never_executed(
        self, client: TestClient, case: Case
    ) -> None:
        script = "<script>alert('x')</script>"
        data = filled(client, case, title=f"Meeting {script}", minutes=f"Hello {script}")
        data["decisions[0].text"] = f"Decide {script}"
        data["commitments[0].description"] = f"Promise {script}"
        data["newcomers[0].name"] = f"Warga {script}"

        response = post_form(client, case.log_url, data)
        detail = client.get(response.headers["location"]).text
        listing = client.get(f"/collaborations/{case.collaboration.id}/meetings").text

        for html in (detail, listing):
            assert "<script>alert" not in html
        assert "Meeting &lt;script&gt;" in detail
        assert "Decide &lt;script&gt;" in detail

    def test_markup_is_escaped_when_the_form_comes_back(
        self, client: TestClient, case: Case
    ) -> None:
        script = '"><script>alert(1)</script>'
        data = filled(client, case, title="", location=script)
        data["decisions[0].text"] = script

        response = post_form(client, case.log_url, data)

        assert response.status_code == 400
        assert "<script>alert" not in response.text
        assert input_value(response.text, "location") == script


@pytest.fixture
def planned(session: Session, case: Case) -> Meeting:
    meeting = make_meeting(
        session,
        case.forum,
        title="March meeting",
        status=MeetingStatus.PLANNED,
        starts_at=dt.datetime(2021, 3, 1, 2, 0, tzinfo=dt.UTC),
    )
    session.add(Attendance(meeting_id=meeting.id, stakeholder_id=case.people[5].id, attended=False))
    session.flush()
    return meeting


class TestComplete:
    def test_the_form_starts_from_the_plan(
        self, client: TestClient, case: Case, planned: Meeting
    ) -> None:
        html = client.get(f"/meetings/{planned.id}/complete").text

        assert input_value(html, "title") == "March meeting"
        assert input_value(html, "date") == "2021-03-01"
        assert input_value(html, "start_time") == "09:00"
        assert input_value(html, "version") == "1"
        assert input_value(html, "attendance[0].stakeholder_id") == str(case.people[5].id)
        assert input_value(html, "attendance[0].invited") == "1"
        assert len(seat_of(html)) == 12

    def test_completing_logs_it_as_held(
        self, client: TestClient, session: Session, case: Case, planned: Meeting
    ) -> None:
        url = f"/meetings/{planned.id}/complete"
        data = form_of(client.get(url).text)
        seats = seat_of(client.get(url).text)
        data |= {
            f"attendance[{seats[case.people[0].id]}].attended": "1",
            "decisions[0].text": "Adopt the procedure",
            "action": "save",
        }

        response = post_form(client, url, data)

        assert notice_after(client, response) == "Meeting “March meeting” logged."
        session.expire_all()
        assert (planned.status, planned.version) == (MeetingStatus.HELD, 2)
        seats_stored = {
            s.stakeholder_id: (s.invited, s.attended)
            for s in session.scalars(select(Attendance).where(Attendance.meeting_id == planned.id))
        }
        assert seats_stored == {case.people[0].id: (True, True), case.people[5].id: (True, False)}
        assert session.scalars(select(Decision.text)).all() == ["Adopt the procedure"]

    def test_a_refused_completion_keeps_the_plan_and_the_input(
        self, client: TestClient, session: Session, case: Case, planned: Meeting
    ) -> None:
        url = f"/meetings/{planned.id}/complete"
        data = form_of(client.get(url).text) | {"action": "save", "title": "Held at last"}
        data |= {
            "attendance[0].attended": "1",
            "commitments[0].owner_id": str(case.people[0].id),
            "commitments[0].description": "Too early",
            "commitments[0].due_on": "2021-02-01",
            "decisions[0].text": "Kept decision",
            "trust_events[0].actor_id": str(case.people[0].id),
            "trust_events[0].valence": "positive",
        }

        response = post_form(client, url, data)

        assert response.status_code == 400
        assert field_error(response.text, "commitments[0].due_on") == (
            "Must not be before the meeting's date (Mar 1, 2021)."
        )
        assert field_error(response.text, "trust_events[0].kind") == "This field is required."
        assert input_value(response.text, "decisions[0].text") == "Kept decision"
        assert input_value(response.text, "title") == "Held at last"
        session.expire_all()
        assert (planned.status, planned.title, planned.version) == (
            MeetingStatus.PLANNED,
            "March meeting",
            1,
        )
        assert stored(session)["Decision"] == 0

    def test_a_stale_plan_shows_what_changed_and_saves_nothing(
        self, client: TestClient, session: Session, case: Case, planned: Meeting
    ) -> None:
        url = f"/meetings/{planned.id}/complete"
        data = form_of(client.get(url).text) | {"action": "save"}
        data["decisions[0].text"] = "Mine"
        planned.title = "Renamed by a colleague"
        session.flush()
        audit.record(
            session,
            actor=Actor("ana"),
            action="update",
            record_type="meeting",
            record_id=planned.id,
            changes={"title": ["March meeting", "Renamed by a colleague"]},
        )
        session.flush()

        response = post_form(client, url, data)

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Someone else changed this record" in page
        assert "“March meeting” → “Renamed by a colleague”" in page
        assert input_value(response.text, "decisions[0].text") == "Mine"
        assert input_value(response.text, "version") == "2"
        assert stored(session)["Decision"] == 0

    def test_a_held_meeting_is_already_logged(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        held = make_meeting(session, case.forum, title="Done")

        response = client.get(f"/meetings/{held.id}/complete", follow_redirects=False)

        assert response.headers["location"] == f"/meetings/{held.id}"
        assert notice_after(client, response) == "Meeting “Done” is already logged."
