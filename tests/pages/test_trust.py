"""The trust pages: the timeline with its chart, balance, filters and list; an event's
page; the create / edit / delete forms with the case's evidence to tick."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pages import trust as trust_pages
from api.pages.trust import balance_steps
from governance.audit.service import Actor
from governance.diagnosis.examples import event
from governance.evidence import service as evidence_service
from governance.evidence.models import evidence_links
from governance.models import Collaboration, Evidence, Forum, Stakeholder, TrustEvent
from governance.trust import service as trust_service
from governance.trust.schemas import TrustEventPatch
from governance.vocab import Sector, TrustEventKind, TrustForm, Valence
from tests.factories import (
    make_collaboration,
    make_evidence,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of


@dataclass
class Case:
    collaboration: Collaboration
    dinsos: Stakeholder
    spri: Stakeholder

    @property
    def url(self) -> str:
        return f"/collaborations/{self.collaboration.id}/trust"


def make_case(session: Session) -> Case:
    """A collaboration with two participants, a government agency and a union."""
    collaboration = make_collaboration(session, name="Bansos monitoring")
    dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector=Sector.GOVERNMENT)
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    make_participation(session, collaboration, dinsos)
    make_participation(session, collaboration, spri)
    return Case(collaboration, dinsos, spri)


def make_event(session: Session, case: Case, **fields: Any) -> TrustEvent:
    values: dict[str, Any] = {
        "collaboration_id": case.collaboration.id,
        "actor_id": case.dinsos.id,
        "target_id": case.spri.id,
        "occurred_on": dt.date(2020, 6, 1),
        "kind": TrustEventKind.PROMISE_KEPT,
        "trust_form": TrustForm.RATIONAL,
        "valence": Valence.POSITIVE,
        "severity": 1,
        "description": "",
    }
    event = TrustEvent(**(values | fields))
    session.add(event)
    session.flush()
    return event


def link(session: Session, evidence: Evidence, event: TrustEvent) -> None:
    session.execute(
        evidence_links.insert().values(evidence_id=evidence.id, trust_event_id=event.id)
    )
    session.flush()


def notice_after(client: TestClient, response: Any) -> str:
    """Follow a 303 like a browser and return the confirmation the next page shows."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def listed(html: str) -> list[str]:
    """The descriptions of the events the timeline lists, in order."""
    return [text_of(d) for d in re.findall(r'<span class="pre-line">(.*?)</span>', html, re.S)]


class TestTimeline:
    def test_lists_events_latest_first_with_both_sides_form_effect_and_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        kept = make_event(session, case, description="Verified the list", severity=2)
        make_event(
            session,
            case,
            actor_id=case.spri.id,
            target_id=None,
            occurred_on=dt.date(2021, 2, 9),
            kind=TrustEventKind.PUBLIC_CRITICISM,
            trust_form=TrustForm.PROCEDURAL,
            valence=Valence.NEGATIVE,
            description="Press release on unserved households",
        )
        link(session, make_evidence(session, title="Minutes of the June forum"), kept)

        response = client.get(case.url)

        assert response.status_code == 200
        page = text_of(response.text)
        assert listed(response.text) == [
            "Press release on unserved households",
            "Verified the list",
        ]
        assert "SPRI DKI Jakarta → the whole forum Public criticism" in page
        assert "Form of trust: Procedural" in page
        assert "▼ − Erodes trust severity 1 of 3" in page
        assert "Dinas Sosial DKI → SPRI DKI Jakarta Promise kept" in page
        assert "▲ + Builds trust severity 2 of 3" in page
        assert "Minutes of the June forum · Interview" in page
        assert f'href="/trust-events/{kept.id}"' in response.text

    def test_draws_every_event_and_the_net_balance(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        make_event(session, case, severity=2)
        make_event(session, case, valence=Valence.NEGATIVE, kind=TrustEventKind.CONFLICT)

        response = client.get(case.url)

        assert 'class="chart__svg trust-timeline"' in response.text
        assert len(re.findall(r'class="trust-point trust-point--', response.text)) == 2
        assert 'class="balance__line"' in response.text
        # (2 − 1) ÷ (2 + 1) on the same day
        assert "Net trust balance: +0.33" in text_of(response.text)

    def test_links_to_the_evidence_and_a_new_event(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        case_id = case.collaboration.id

        response = client.get(case.url)

        assert f'href="/collaborations/{case_id}/evidence"' in response.text
        assert f'href="/collaborations/{case_id}/trust/new"' in response.text
        assert 'aria-current="page">Trust</a>' in response.text
        assert "No trust events yet" in text_of(response.text)

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"actor_id": "spri"}, ["criticism", "apology"]),
            ({"target_id": "forum"}, ["criticism"]),
            ({"target_id": "dinsos"}, ["apology"]),
            ({"kind": "promise_kept"}, ["kept"]),
            ({"valence": "negative"}, ["criticism"]),
            ({"trust_form": "affinitive"}, ["apology"]),
            ({"occurred_from": "2020-07-01", "occurred_to": "2021-03-01"}, ["criticism"]),
            ({"q": "APOLOG"}, ["apology"]),
            ({"actor_id": "spri", "valence": "positive"}, ["apology"]),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        session: Session,
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        case = make_case(session)
        ids = {"spri": str(case.spri.id), "dinsos": str(case.dinsos.id)}
        make_event(session, case, description="kept", occurred_on=dt.date(2020, 6, 1))
        make_event(
            session,
            case,
            description="criticism",
            actor_id=case.spri.id,
            target_id=None,
            valence=Valence.NEGATIVE,
            kind=TrustEventKind.PUBLIC_CRITICISM,
            occurred_on=dt.date(2021, 2, 9),
        )
        make_event(
            session,
            case,
            description="apology",
            actor_id=case.spri.id,
            target_id=case.dinsos.id,
            kind=TrustEventKind.APOLOGY,
            trust_form=TrustForm.AFFINITIVE,
            occurred_on=dt.date(2021, 5, 1),
        )
        sent = {key: ids.get(value, value) for key, value in params.items()}

        response = client.get(case.url, params=sent)

        assert response.status_code == 200
        assert sorted(listed(response.text)) == sorted(expected)
        for key, value in sent.items():
            assert input_value(response.text, key) == value
        assert len(re.findall(r'class="trust-point trust-point--', response.text)) == len(expected)

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"valence": "sideways"}, "valence", "Choose one of the options."),
            ({"actor_id": "abc"}, "actor_id", "Enter a whole number."),
            ({"occurred_from": "2020-02-30"}, "occurred_from", "Enter a date (YYYY-MM-DD)."),
            (
                {"occurred_from": "2020-01-01", "occurred_to": "2019-01-01"},
                "occurred_to",
                "Must not be before Occurred from (Jan 1, 2020).",
            ),
            ({"q": "x" * 201}, "q", "Enter at most 200 characters."),
        ],
    )
    def test_a_bad_filter_is_named_and_the_rest_still_lists(
        self,
        client: TestClient,
        session: Session,
        params: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        case = make_case(session)
        make_event(session, case, description="kept")

        response = client.get(case.url, params=params | {"kind": "promise_kept"})

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert listed(response.text) == ["kept"]

    def test_pages_through_a_long_timeline(self, client: TestClient, session: Session) -> None:
        case = make_case(session)
        start = dt.date(2020, 1, 1)
        for number in range(30):
            make_event(
                session,
                case,
                description=f"event {number:02d}",
                occurred_on=start + dt.timedelta(days=number),
            )

        first = client.get(case.url, params={"valence": "positive"})
        second = client.get(case.url, params={"valence": "positive", "page": "2"})

        assert len(listed(first.text)) == 25
        assert listed(first.text)[0] == "event 29"
        assert "Showing 1–25 of 30" in text_of(first.text)
        assert 'href="?valence=positive&amp;page=2"' in first.text
        assert listed(second.text) == [f"event {n:02d}" for n in range(4, -1, -1)]

    def test_runs_as_many_queries_for_thirty_events_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        case = make_case(session)
        evidence = make_evidence(session, title="Minutes")
        for _ in range(2):
            link(session, evidence, make_event(session, case))
        with count_queries() as few:
            client.get(case.url)
        for number in range(28):
            event = make_event(session, case, occurred_on=dt.date(2021, 1, 1 + number % 28))
            link(session, evidence, event)
        with count_queries() as many:
            client.get(case.url)

        assert few.selects == many.selects <= 8

    def test_speaks_indonesian(self, client: TestClient, session: Session) -> None:
        case = make_case(session)
        make_event(session, case, occurred_on=dt.date(2020, 5, 10))

        page = text_of(client.get(case.url, params={"lang": "id"}).text)

        assert "Linimasa kepercayaan" in page
        assert "Membangun kepercayaan" in page
        assert "10 Mei 2020" in page

    def test_a_script_in_a_description_is_shown_as_text(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        make_event(session, case, description="<script>alert('x')</script>")

        response = client.get(case.url)

        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get("/collaborations/999999/trust").status_code == 404


class TestDetail:
    def test_shows_the_event_its_meeting_and_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        meeting = make_meeting(session, make_forum_of(session, case), title="Forum #3")
        event = make_event(
            session, case, meeting_id=meeting.id, description="Kept the promise <b>on time</b>"
        )
        link(
            session, make_evidence(session, title="Interview, organiser", confidential=True), event
        )

        response = client.get(f"/trust-events/{event.id}")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Dinas Sosial DKI → SPRI DKI Jakarta" in page
        assert "Form of trust Rational" in page
        assert "Meeting Forum #3" in page
        assert "Interview, organiser · Interview ⊘ Confidential" in page
        assert "&lt;b&gt;on time&lt;/b&gt;" in response.text
        assert f'href="/trust-events/{event.id}/edit"' in response.text

    def test_a_deleted_event_is_not_found(self, client: TestClient, session: Session) -> None:
        event = make_event(
            session, make_case(session), deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        )

        assert client.get(f"/trust-events/{event.id}").status_code == 404


def make_forum_of(session: Session, case: Case) -> Forum:
    return make_forum(session, case.collaboration, name="Forum Koordinasi")


def form(case: Case, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_on": "2020-06-12",
        "meeting_id": "",
        "actor_id": str(case.dinsos.id),
        "target_id": "",
        "kind": "promise_kept",
        "trust_form": "rational",
        "valence": "positive",
        "severity": "2",
        "description": "Replied on all 1,480 households ahead of the deadline.",
    }
    return values | overrides


def stored_events(session: Session) -> list[TrustEvent]:
    session.expire_all()
    return list(session.scalars(select(TrustEvent).order_by(TrustEvent.id)))


def linked_ids(session: Session, event: TrustEvent) -> list[int]:
    return evidence_service.ids_by_record(session, "trust_event_id", [event.id]).get(event.id, [])


class TestCreate:
    def test_the_form_labels_every_input_and_offers_the_cases_evidence_only(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        make_evidence(session, title="Our minutes", collaboration_id=case.collaboration.id)
        other = make_collaboration(session, name="Another case")
        make_evidence(session, title="Their minutes", collaboration_id=other.id)

        response = client.get(f"{case.url}/new")

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert ids
        assert set(ids) <= labelled
        assert "Our minutes" in response.text
        assert "Their minutes" not in response.text
        assert input_value(response.text, "severity") == "1"

    def test_valid_input_records_the_event_with_its_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        meeting = make_meeting(session, make_forum_of(session, case))
        first = make_evidence(session, collaboration_id=case.collaboration.id)
        second = make_evidence(session, collaboration_id=case.collaboration.id, title="Minutes")
        sent = form(case, meeting_id=str(meeting.id)) | {
            "evidence_ids": [str(first.id), str(second.id)]
        }

        response = post_form(client, f"{case.url}/new", sent)

        (event,) = stored_events(session)
        assert response.headers["location"] == f"/trust-events/{event.id}"
        assert (event.actor_id, event.target_id, event.meeting_id) == (
            case.dinsos.id,
            None,
            meeting.id,
        )
        assert (event.kind, event.valence, event.severity) == (
            TrustEventKind.PROMISE_KEPT,
            Valence.POSITIVE,
            2,
        )
        assert event.occurred_on == dt.date(2020, 6, 12)
        assert linked_ids(session, event) == [first.id, second.id]
        assert notice_after(client, response) == "Trust event recorded."

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"occurred_on": ""}, "occurred_on", "This field is required."),
            ({"occurred_on": "2020-13-01"}, "occurred_on", "Enter a date (YYYY-MM-DD)."),
            ({"actor_id": ""}, "actor_id", "This field is required."),
            ({"kind": "gossip"}, "kind", "Choose one of the options."),
            ({"valence": ""}, "valence", "This field is required."),
            ({"severity": "4"}, "severity", "Enter 3 or less."),
            (
                {"target_id": "actor"},
                "target_id",
                "Must differ from the actor; leave it empty for an event towards the whole forum.",
            ),
            (
                {"description": "bad\x00byte"},
                "description",
                "Remove the invisible control characters (NUL) from this text.",
            ),
            ({"evidence_ids": ["abc"]}, "evidence_ids", "Enter a whole number."),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        overrides: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        case = make_case(session)
        evidence = make_evidence(session, collaboration_id=case.collaboration.id)
        sent = form(case, **overrides)
        if sent["target_id"] == "actor":
            sent["target_id"] = str(case.dinsos.id)
        sent.setdefault("evidence_ids", [str(evidence.id)])

        response = post_form(client, f"{case.url}/new", sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        if field != "description":
            assert input_value(response.text, "description") == sent["description"]
        if field != "evidence_ids":
            assert re.search(rf'value="{evidence.id}" checked', response.text)
        assert stored_events(session) == []

    def test_deleted_evidence_is_refused(self, client: TestClient, session: Session) -> None:
        case = make_case(session)
        gone = make_evidence(session, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        response = post_form(
            client, f"{case.url}/new", form(case) | {"evidence_ids": [str(gone.id)]}
        )

        assert response.status_code == 400
        assert field_error(response.text, "evidence_ids") == (
            f"Evidence {gone.id} does not exist or is deleted."
        )
        assert stored_events(session) == []


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        case = make_case(session)
        event = make_event(session, case, severity=3, target_id=None)
        evidence = make_evidence(session, collaboration_id=case.collaboration.id)
        link(session, evidence, event)

        response = client.get(f"/trust-events/{event.id}/edit")

        assert input_value(response.text, "actor_id") == str(case.dinsos.id)
        assert input_value(response.text, "target_id") == ""
        assert input_value(response.text, "severity") == "3"
        assert input_value(response.text, "version") == "1"
        assert re.search(rf'value="{evidence.id}" checked', response.text)

    def test_saves_the_fields_and_replaces_the_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        event = make_event(session, case)
        old, new = (
            make_evidence(session, collaboration_id=case.collaboration.id) for _ in range(2)
        )
        link(session, old, event)
        sent = form(case, target_id=str(case.spri.id), severity="3", version="1")

        response = post_form(
            client, f"/trust-events/{event.id}/edit", sent | {"evidence_ids": [str(new.id)]}
        )

        assert response.headers["location"] == f"/trust-events/{event.id}"
        assert notice_after(client, response) == "Trust event saved."
        (stored,) = stored_events(session)
        assert (stored.severity, stored.target_id, stored.version) == (3, case.spri.id, 2)
        assert linked_ids(session, stored) == [new.id]

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        event = make_event(session, case, severity=1)
        trust_service.update(
            session,
            record=event,
            data=TrustEventPatch(version=1, severity=3, actor_id=case.spri.id, target_id=None),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client, f"/trust-events/{event.id}/edit", form(case, severity="2", version="1")
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Someone else changed this record while you were editing it" in page
        assert "Changed meanwhile by ana" in page
        assert "“1 – minor” → “3 – major”" in page
        assert "“Dinas Sosial DKI” → “SPRI DKI Jakarta”" in page
        assert input_value(response.text, "severity") == "2"
        assert input_value(response.text, "version") == "2"
        (stored,) = stored_events(session)
        assert (stored.severity, stored.actor_id) == (3, case.spri.id)

    def test_invalid_input_keeps_it_and_names_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        event = make_event(session, case)

        response = post_form(
            client,
            f"/trust-events/{event.id}/edit",
            form(case, kind="", description="Kept text", version="1"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "kind") == "This field is required."
        assert input_value(response.text, "description") == "Kept text"
        assert stored_events(session)[0].version == 1


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_case(session)
        event = make_event(session, case, description="Apology")

        deleted = post_form(client, f"/trust-events/{event.id}/delete", {})

        assert deleted.headers["location"] == case.url
        timeline = client.get(case.url)
        assert "Trust event deleted." in text_of(timeline.text)
        assert f'action="/trust-events/{event.id}/restore"' in timeline.text
        assert listed(timeline.text) == []
        assert client.get(f"/trust-events/{event.id}").status_code == 404

        restored = post_form(client, f"/trust-events/{event.id}/restore", {})

        assert notice_after(client, restored) == "Trust event restored."
        assert stored_events(session)[0].deleted_at is None

    def test_deleting_an_unknown_event_is_not_found(self, client: TestClient) -> None:
        assert post_form(client, "/trust-events/999999/delete", {}).status_code == 404


class TestBalance:
    def test_the_examples_in_the_docstrings_hold(self) -> None:
        results = doctest.testmod(trust_pages)

        assert results.attempted >= 6
        assert results.failed == 0

    def test_the_balance_follows_the_diagnosis_half_life(self) -> None:
        steps = balance_steps(
            [
                event("2020-01-01", Valence.POSITIVE, 2),
                event("2020-01-01", Valence.NEGATIVE, 2),
                event("2020-03-01", Valence.POSITIVE, 1),
            ],
            half_life_days=60,
        )

        assert [day.isoformat() for day, _ in steps] == ["2020-01-01", "2020-03-01"]
        assert steps[0][1] == 0.0
        assert steps[1][1] > 0


class TestEveryPageInIndonesian:
    @pytest.mark.parametrize(
        ("page", "expected"),
        [
            ("timeline", "Linimasa kepercayaan"),
            ("detail", "Kembali ke linimasa kepercayaan"),
            ("new", "Peristiwa kepercayaan baru"),
            ("edit", "Ubah peristiwa kepercayaan"),
        ],
    )
    def test_renders_in_indonesian(
        self, client: TestClient, session: Session, page: str, expected: str
    ) -> None:
        case = make_case(session)
        event = make_event(session, case)
        paths = {
            "timeline": case.url,
            "detail": f"/trust-events/{event.id}",
            "new": f"{case.url}/new",
            "edit": f"/trust-events/{event.id}/edit",
        }

        response = client.get(paths[page], params={"lang": "id"})

        assert response.status_code == 200
        assert '<html lang="id">' in response.text
        assert expected in text_of(response.text)
