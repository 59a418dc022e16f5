"""The stakeholder pages: list, detail with links, and the create / edit / delete forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.models import Attendance, Relationship, Stakeholder, TrustEvent
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderPatch
from governance.vocab import (
    AttendanceRole,
    CommitmentStatus,
    RelationshipType,
    Sector,
    StakeholderKind,
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

NEW = "/stakeholders/new"


def registered(session: Session, name: str, **fields: Any) -> Stakeholder:
    """A stakeholder whose aliases are searchable, as the service would store it."""
    aliases = fields.pop("aliases", [])
    return make_stakeholder(
        session,
        name=name,
        aliases=aliases,
        search_key=stakeholder_service.search_key(name, aliases),
        **fields,
    )


def form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Jaringan Rakyat Miskin Kota",
        "aliases": "JRMK\nUrban Poor Network",
        "kind": "coalition",
        "sector": "civil_society",
        "description": "Urban poor residents' network.",
        "resources.authority": "",
        "resources.staff": "2",
        "resources.budget": "1",
        "resources.data_access": "",
        "resources.knowledge": "3",
        "contact.email": "jrmk@example.org",
        "contact.phone": "+62 21 555 0101",
        "contact.address": "",
        "contact.note": "",
    }
    return values | overrides


def stored(session: Session, name: str) -> Stakeholder | None:
    session.expire_all()
    return session.scalar(select(Stakeholder).where(Stakeholder.name == name))


def notice_after(client: TestClient, response: Any) -> str:
    """Follow a 303 like a browser and return the confirmation the next page shows."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


class TestList:
    def test_lists_stakeholders_by_name_with_kind_and_sector(
        self, client: TestClient, session: Session
    ) -> None:
        registered(session, "SPRI DKI Jakarta")
        registered(session, "Dinas Sosial DKI Jakarta", sector=Sector.GOVERNMENT)

        response = client.get("/stakeholders")

        assert response.status_code == 200
        page = text_of(response.text)
        assert page.index("Dinas Sosial DKI Jakarta") < page.index("SPRI DKI Jakarta")
        assert "Government state actor" in page
        assert "Civil society" in page

    def test_search_finds_a_stakeholder_by_another_name(
        self, client: TestClient, session: Session
    ) -> None:
        registered(session, "SPRI DKI Jakarta", aliases=["Serikat Perjuangan Rakyat Indonesia"])
        registered(session, "LBH Jakarta")

        page = text_of(client.get("/stakeholders", params={"q": "perjuangan"}).text)

        assert "SPRI DKI Jakarta" in page
        assert "LBH Jakarta" not in page

    def test_filters_by_sector_and_kind(self, client: TestClient, session: Session) -> None:
        registered(session, "Dinas Sosial", sector=Sector.GOVERNMENT)
        registered(session, "Kemensos", sector=Sector.GOVERNMENT, kind=StakeholderKind.COALITION)
        registered(session, "SPRI")

        response = client.get("/stakeholders", params={"sector": "government", "kind": "coalition"})

        names = re.findall(r'class="strong" href="/stakeholders/\d+">([^<]+)<', response.text)
        assert names == ["Kemensos"]
        assert input_value(response.text, "sector") == "government"

    def test_within_a_collaboration_lists_its_participants_under_its_navigation(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos monitoring")
        inside, outside = registered(session, "SPRI"), registered(session, "Other NGO")
        make_participation(session, case, inside)

        response = client.get("/stakeholders", params={"collaboration_id": str(case.id)})

        page = text_of(response.text)
        assert "SPRI" in page
        assert "Other NGO" not in page
        assert 'aria-label="Collaboration"' in response.text
        assert outside.id not in {
            int(i) for i in re.findall(r"/stakeholders/(\d+)\"", response.text)
        }

    def test_pages_through_a_long_list(self, client: TestClient, session: Session) -> None:
        for number in range(30):
            registered(session, f"Group {number:02d}")

        first = client.get("/stakeholders")
        second = client.get("/stakeholders", params={"page": "2"})

        assert len(re.findall(r'class="strong"', first.text)) == 25
        assert "Showing 1–25 of 30" in text_of(first.text)
        assert 'href="?page=2"' in first.text
        assert len(re.findall(r'class="strong"', second.text)) == 5
        assert "Group 29" in second.text

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"sector": "royalty"}, "sector"),
            ({"kind": "company"}, "kind"),
            ({"q": "x" * 201}, "q"),
            ({"collaboration_id": "abc"}, "collaboration_id"),
        ],
    )
    def test_a_bad_filter_is_named_and_the_rest_still_lists(
        self, client: TestClient, session: Session, params: dict[str, str], field: str
    ) -> None:
        registered(session, "SPRI")

        response = client.get("/stakeholders", params=params)

        assert response.status_code == 400
        assert "There is a problem" in response.text
        assert "SPRI" in text_of(response.text)
        if field != "collaboration_id":
            assert field_error(response.text, field)

    @pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999"])
    def test_a_bad_page_number_shows_the_first_page(
        self, client: TestClient, session: Session, page: str
    ) -> None:
        registered(session, "SPRI")

        response = client.get("/stakeholders", params={"page": page})

        assert response.status_code == 200
        assert "SPRI" in text_of(response.text)

    def test_runs_as_many_queries_for_forty_stakeholders_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        for number in range(2):
            registered(session, f"Few {number}")
        with count_queries() as few:
            client.get("/stakeholders")
        for number in range(38):
            registered(session, f"Many {number}")
        with count_queries() as many:
            client.get("/stakeholders")

        assert few.selects == many.selects <= 4


def linked_stakeholder(session: Session) -> tuple[Stakeholder, dict[str, Any]]:
    """A stakeholder with one of every link the detail page shows."""
    case = make_collaboration(session, name="Bansos monitoring")
    dinsos = registered(session, "Dinas Sosial DKI", sector=Sector.GOVERNMENT)
    spri = registered(session, "SPRI DKI Jakarta")
    coalition = registered(session, "Koalisi Pemantau Bansos", kind=StakeholderKind.COALITION)
    make_participation(session, case, spri)
    forum = make_forum(session, case, name="Forum Koordinasi", convener_id=spri.id)
    meeting = make_meeting(session, forum, title="Coordination meeting #1")
    session.add(
        Attendance(
            meeting_id=meeting.id,
            stakeholder_id=spri.id,
            role=AttendanceRole.CHAIR,
            represented_by="Wahyu",
        )
    )
    make_commitment(session, case, spri, counterpart_id=dinsos.id, description="Share the audit")
    make_commitment(
        session,
        case,
        dinsos,
        counterpart_id=spri.id,
        description="Verify the list",
        status=CommitmentStatus.IN_PROGRESS,
    )
    session.add_all(
        [
            Relationship(
                source_id=spri.id, target_id=coalition.id, type=RelationshipType.MEMBER_OF
            ),
            Relationship(source_id=dinsos.id, target_id=spri.id, type=RelationshipType.FUNDS),
            TrustEvent(
                collaboration_id=case.id,
                occurred_on=dt.date(2020, 6, 2),
                actor_id=dinsos.id,
                target_id=spri.id,
                kind=TrustEventKind.PROMISE_KEPT,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE,
                severity=2,
            ),
        ]
    )
    session.flush()
    return spri, {"case": case, "forum": forum, "meeting": meeting, "dinsos": dinsos}


class TestDetail:
    def test_shows_everything_the_stakeholder_is_linked_to(
        self, client: TestClient, session: Session
    ) -> None:
        spri, _ = linked_stakeholder(session)

        response = client.get(f"/stakeholders/{spri.id}")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Bansos monitoring Participant" in page
        assert "Forum Koordinasi Convenes this forum" in page
        assert "Coordination meeting #1" in page
        assert "Chair represented by Wahyu" in page
        assert "Share the audit Promised to Dinas Sosial DKI" in page
        assert "Verify the list Received from Dinas Sosial DKI" in page
        assert "Member of Koalisi Pemantau Bansos" in page
        assert "Is funded by Dinas Sosial DKI" in page
        assert "Promise kept" in page
        assert "From Dinas Sosial DKI" in page

    def test_a_deleted_stakeholder_is_not_found(self, client: TestClient, session: Session) -> None:
        gone = registered(session, "Gone", deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        response = client.get(f"/stakeholders/{gone.id}")

        assert response.status_code == 404
        assert "Page not found" in response.text

    def test_runs_a_fixed_number_of_queries(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        spri, _ = linked_stakeholder(session)
        with count_queries() as small:
            client.get(f"/stakeholders/{spri.id}")

        bigger, refs = linked_stakeholder(session)
        for number in range(6):
            meeting = make_meeting(session, refs["forum"], title=f"Meeting {number}")
            session.add(Attendance(meeting_id=meeting.id, stakeholder_id=bigger.id))
            make_commitment(session, refs["case"], bigger, description=f"Promise {number}")
        session.flush()
        with count_queries() as large:
            client.get(f"/stakeholders/{bigger.id}")

        assert small.selects == large.selects <= 9


class TestCreate:
    def test_the_form_labels_every_input(self, client: TestClient) -> None:
        response = client.get(NEW)

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert ids
        assert set(ids) <= labelled
        assert "novalidate" in response.text

    def test_valid_input_creates_and_confirms_after_a_redirect(
        self, client: TestClient, session: Session
    ) -> None:
        response = post_form(client, NEW, form())

        created = stored(session, "Jaringan Rakyat Miskin Kota")
        assert created is not None
        assert response.headers["location"] == f"/stakeholders/{created.id}"
        assert created.aliases == ["JRMK", "Urban Poor Network"]
        assert created.resources == {"staff": 2, "budget": 1, "knowledge": 3}
        assert created.contact == {"email": "jrmk@example.org", "phone": "+62 21 555 0101"}
        assert (
            notice_after(client, response) == "Stakeholder “Jaringan Rakyat Miskin Kota” created."
        )

    def test_the_notice_shows_once(self, client: TestClient) -> None:
        response = post_form(client, NEW, form())
        notice_after(client, response)

        again = client.get(response.headers["location"])

        assert "notice__text" not in again.text

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"name": "   "}, "name", "This field is required."),
            ({"name": "x" * 201}, "name", "Enter at most 200 characters."),
            ({"kind": ""}, "kind", "This field is required."),
            ({"kind": "company"}, "kind", "Choose one of the options."),
            ({"sector": "royalty"}, "sector", "Choose one of the options."),
            ({"resources.budget": "5"}, "resources.budget", "Enter 4 or less."),
            ({"resources.staff": "many"}, "resources.staff", "Enter a whole number."),
            (
                {"contact.email": "not-an-address"},
                "contact.email",
                "Enter an e-mail address, such as name@example.org.",
            ),
            (
                {"description": "bad\x00byte"},
                "description",
                "Remove the invisible control characters (NUL) from this text.",
            ),
            ({"aliases": "JRMK\n" + "y" * 201}, "aliases", "Line 2: Enter at most 200 characters."),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        sent = form(**overrides)

        response = post_form(client, NEW, sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert 'aria-invalid="true"' in response.text
        assert input_value(response.text, "contact.phone") == "+62 21 555 0101"
        if not field.startswith(("description", "kind", "sector", "resources")):
            assert input_value(response.text, field) == sent[field]  # selects show no bad code
        assert stored(session, sent["name"]) is None

    def test_the_error_summary_links_to_each_field(self, client: TestClient) -> None:
        response = post_form(client, NEW, form(name="", sector=""))

        assert "There are 2 problems" in text_of(response.text)
        assert '<a href="#field-name">Name: This field is required.</a>' in response.text
        assert '<a href="#field-sector">Sector: This field is required.</a>' in response.text


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        spri = registered(session, "SPRI", aliases=["Serikat", "SPRI DKI"], resources={"budget": 2})

        response = client.get(f"/stakeholders/{spri.id}/edit")

        assert input_value(response.text, "aliases") == "Serikat\nSPRI DKI"
        assert input_value(response.text, "resources.budget") == "2"
        assert input_value(response.text, "resources.staff") == ""
        assert input_value(response.text, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        spri = registered(session, "SPRI")

        response = post_form(
            client, f"/stakeholders/{spri.id}/edit", form(name="SPRI DKI Jakarta", version="1")
        )

        assert response.headers["location"] == f"/stakeholders/{spri.id}"
        assert notice_after(client, response) == "Stakeholder “SPRI DKI Jakarta” saved."
        session.refresh(spri)
        assert (spri.name, spri.version, spri.resources["knowledge"]) == ("SPRI DKI Jakarta", 2, 3)

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        spri = registered(session, "SPRI", kind=StakeholderKind.COALITION)
        stakeholder_service.update(
            session,
            record=spri,
            data=StakeholderPatch(version=1, name="SPRI (renamed by a colleague)"),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client, f"/stakeholders/{spri.id}/edit", form(name="My new name", version="1")
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Someone else changed this record while you were editing it" in page
        assert "Changed meanwhile by ana" in page
        assert "“SPRI” → “SPRI (renamed by a colleague)”" in page
        assert input_value(response.text, "name") == "My new name"
        assert input_value(response.text, "version") == "2"
        session.expire_all()
        assert spri.name == "SPRI (renamed by a colleague)"

    def test_saving_again_after_a_conflict_applies_the_users_input(
        self, client: TestClient, session: Session
    ) -> None:
        spri = registered(session, "SPRI")
        stakeholder_service.update(
            session,
            record=spri,
            data=StakeholderPatch(version=1, name="SPRI 2"),
            actor=Actor("ana"),
        )
        session.flush()
        refused = post_form(client, f"/stakeholders/{spri.id}/edit", form(name="Mine", version="1"))
        version = input_value(refused.text, "version")

        response = post_form(
            client, f"/stakeholders/{spri.id}/edit", form(name="Mine", version=version or "")
        )

        assert response.status_code == 303
        session.expire_all()
        assert spri.name == "Mine"

    def test_an_edit_of_a_record_deleted_meanwhile_keeps_the_input(
        self, client: TestClient, session: Session
    ) -> None:
        spri = registered(session, "SPRI", deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        response = post_form(
            client, f"/stakeholders/{spri.id}/edit", form(name="Mine", version="1")
        )

        assert response.status_code == 409
        assert "deleted meanwhile" in response.text
        assert input_value(response.text, "name") == "Mine"

    @pytest.mark.parametrize("version", ["", "abc", "0", "99999999999"])
    def test_a_garbled_version_is_refused_without_saving(
        self, client: TestClient, session: Session, version: str
    ) -> None:
        spri = registered(session, "SPRI")

        response = post_form(
            client, f"/stakeholders/{spri.id}/edit", form(name="Mine", version=version)
        )

        assert response.status_code == 400
        session.expire_all()
        assert spri.name == "SPRI"

    def test_invalid_input_keeps_it_and_names_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        spri = registered(session, "SPRI")

        response = post_form(
            client,
            f"/stakeholders/{spri.id}/edit",
            form(name="", description="Kept text", version="1"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "name") == "This field is required."
        assert input_value(response.text, "description") == "Kept text"


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        spri = registered(session, "SPRI")

        deleted = post_form(client, f"/stakeholders/{spri.id}/delete", {})

        assert deleted.headers["location"] == "/stakeholders"
        listing = client.get("/stakeholders")
        assert "Stakeholder “SPRI” deleted." in text_of(listing.text)
        undo = f'action="/stakeholders/{spri.id}/restore"'
        assert undo in listing.text
        assert client.get(f"/stakeholders/{spri.id}").status_code == 404

        restored = post_form(client, f"/stakeholders/{spri.id}/restore", {})

        assert notice_after(client, restored) == "Stakeholder “SPRI” restored."
        session.expire_all()
        assert spri.deleted_at is None

    def test_deleting_an_unknown_stakeholder_is_not_found(self, client: TestClient) -> None:
        response = post_form(client, "/stakeholders/999999/delete", {})

        assert response.status_code == 404
