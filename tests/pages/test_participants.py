"""The participant pages: who takes part in a collaboration, adding one (from the
registry or registered on the spot), editing, and removing with undo."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.models import Collaboration, Participation, Stakeholder
from governance.participations import service as participation_service
from governance.participations.schemas import ParticipationPatch
from governance.vocab import ParticipationRole, Sector, StakeholderKind
from tests.factories import make_collaboration, make_participation, make_stakeholder
from tests.pages.html import field_error, input_value, post_form, text_of


def list_url(case: Collaboration) -> str:
    return f"/collaborations/{case.id}/participants"


def names(html: str) -> list[str]:
    """The stakeholders the list shows, in order."""
    return [
        text_of(n) for n in re.findall(r'class="strong" href="/stakeholders/\d+">(.*?)</a>', html)
    ]


def notice_after(client: TestClient, response: Any) -> str:
    """Follow a 303 like a browser and return the confirmation the next page shows."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def live_participations(session: Session, case: Collaboration) -> list[Participation]:
    session.expire_all()
    return list(
        session.scalars(
            select(Participation)
            .where(Participation.collaboration_id == case.id, Participation.deleted_at.is_(None))
            .order_by(Participation.id)
        )
    )


class TestList:
    def test_shows_who_takes_part_with_sector_role_dates_and_motives(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector=Sector.GOVERNMENT)
        lbh = make_stakeholder(session, name="LBH Jakarta")
        make_participation(
            session,
            case,
            dinsos,
            role=ParticipationRole.CONVENER,
            joined_on=dt.date(2020, 5, 19),
            incentives="Accurate recipient data",
            constraints="DTKS is national",
        )
        make_participation(
            session, case, lbh, joined_on=dt.date(2020, 5, 5), left_on=dt.date(2021, 12, 31)
        )
        gone = make_stakeholder(session, name="Removed NGO")
        make_participation(session, case, gone, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        response = client.get(list_url(case))

        assert response.status_code == 200
        assert names(response.text) == ["Dinas Sosial DKI", "LBH Jakarta"]
        page = text_of(response.text)
        assert (
            "Dinas Sosial DKI Government · state actor Convener since May 19, 2020 "
            "Accurate recipient data DTKS is national"
        ) in page
        assert "May 5, 2020 to Dec 31, 2021 has left" in page
        assert 'aria-current="page">Stakeholders</a>' in response.text

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"role": "convener"}, ["Dinas Sosial DKI"]),
            ({"sector": "civil_society"}, ["LBH Jakarta", "SPRI DKI Jakarta"]),
            ({"q": "spri"}, ["SPRI DKI Jakarta"]),
        ],
    )
    def test_filters(
        self,
        client: TestClient,
        session: Session,
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        case = make_collaboration(session)
        dinsos = make_stakeholder(session, name="Dinas Sosial DKI", sector=Sector.GOVERNMENT)
        make_participation(session, case, dinsos, role=ParticipationRole.CONVENER)
        make_participation(session, case, make_stakeholder(session, name="LBH Jakarta"))
        make_participation(session, case, make_stakeholder(session, name="SPRI DKI Jakarta"))

        response = client.get(list_url(case), params=params)

        assert names(response.text) == expected
        key, value = next(iter(params.items()))
        assert input_value(response.text, key) == value

    def test_a_bad_filter_is_named_and_the_rest_still_lists(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        make_participation(session, case, make_stakeholder(session, name="SPRI"))

        response = client.get(list_url(case), params={"role": "king", "q": "spr"})

        assert response.status_code == 400
        assert field_error(response.text, "role") == "Choose one of the options."
        assert names(response.text) == ["SPRI"]

    def test_runs_as_many_queries_for_forty_participants_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        case = make_collaboration(session)
        for number in range(2):
            make_participation(session, case, make_stakeholder(session, name=f"Few {number}"))
        with count_queries() as few:
            client.get(list_url(case))
        for number in range(38):
            make_participation(session, case, make_stakeholder(session, name=f"Many {number}"))
        with count_queries() as many:
            client.get(list_url(case))

        assert few.selects == many.selects <= 4

    def test_speaks_indonesian(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        make_participation(session, case, make_stakeholder(session, name="SPRI"))

        page = text_of(client.get(list_url(case), params={"lang": "id"}).text)

        assert "Peserta" in page
        assert "Tambah peserta" in page
        assert "Insentif" in page

    def test_a_script_in_the_incentives_is_shown_as_text(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        make_participation(
            session,
            case,
            make_stakeholder(session),
            incentives="<script>alert(1)</script>",
        )

        response = client.get(list_url(case))

        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def form(**overrides: str) -> dict[str, str]:
    values = {
        "stakeholder_id": "",
        "new_stakeholder.name": "",
        "new_stakeholder.kind": "",
        "new_stakeholder.sector": "",
        "role": "participant",
        "joined_on": "2020-05-05",
        "left_on": "",
        "incentives": "Members without aid",
        "constraints": "No budget",
    }
    return values | overrides


class TestAdd:
    def test_offers_only_stakeholders_not_yet_taking_part(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        inside = make_stakeholder(session, name="Already in")
        make_participation(session, case, inside)
        make_stakeholder(session, name="Newcomer")

        response = client.get(f"{list_url(case)}/new")

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert set(ids) <= labelled
        assert ">Newcomer</option>" in response.text
        assert "Already in" not in response.text
        assert input_value(response.text, "role") == "participant"

    def test_adds_a_stakeholder_from_the_registry(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        spri = make_stakeholder(session, name="SPRI DKI Jakarta")

        response = post_form(client, f"{list_url(case)}/new", form(stakeholder_id=str(spri.id)))

        assert response.headers["location"] == list_url(case)
        (added,) = live_participations(session, case)
        assert (added.stakeholder_id, added.role, added.joined_on) == (
            spri.id,
            ParticipationRole.PARTICIPANT,
            dt.date(2020, 5, 5),
        )
        assert (added.incentives, added.constraints) == ("Members without aid", "No budget")
        assert notice_after(client, response) == (
            "“SPRI DKI Jakarta” now takes part in this collaboration."
        )

    def test_registers_a_new_stakeholder_in_the_same_form(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        sent = form(
            **{
                "new_stakeholder.name": "Warga RW 05",
                "new_stakeholder.kind": "group",
                "new_stakeholder.sector": "community",
                "role": "affected_group",
            }
        )

        response = post_form(client, f"{list_url(case)}/new", sent)

        assert response.status_code == 303
        created = session.scalar(select(Stakeholder).where(Stakeholder.name == "Warga RW 05"))
        assert created is not None
        assert (created.kind, created.sector) == (StakeholderKind.GROUP, Sector.COMMUNITY)
        (added,) = live_participations(session, case)
        assert (added.stakeholder_id, added.role) == (created.id, ParticipationRole.AFFECTED_GROUP)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({}, "stakeholder_id", "Choose a stakeholder, or register a new one below."),
            (
                {"stakeholder_id": "registered", "new_stakeholder.name": "Another"},
                "stakeholder_id",
                "Choose an existing stakeholder or register a new one, not both.",
            ),
            (
                {"new_stakeholder.name": "Warga", "new_stakeholder.kind": "group"},
                "new_stakeholder.sector",
                "This field is required.",
            ),
            (
                {"new_stakeholder.name": "Warga", "new_stakeholder.sector": "community"},
                "new_stakeholder.kind",
                "This field is required.",
            ),
            (
                {"stakeholder_id": "registered", "role": "king"},
                "role",
                "Choose one of the options.",
            ),
            ({"stakeholder_id": "registered", "role": ""}, "role", "This field is required."),
            (
                {"stakeholder_id": "registered", "joined_on": "2020-02-30"},
                "joined_on",
                "Enter a date (YYYY-MM-DD).",
            ),
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
        case = make_collaboration(session)
        registered = make_stakeholder(session, name="Registered")
        sent = form(**overrides)
        if sent["stakeholder_id"] == "registered":
            sent["stakeholder_id"] = str(registered.id)

        response = post_form(client, f"{list_url(case)}/new", sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, "incentives") == "Members without aid"
        assert input_value(response.text, "new_stakeholder.name") == sent["new_stakeholder.name"]
        assert live_participations(session, case) == []

    def test_a_refused_participation_does_not_keep_the_new_stakeholder(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        sent = form(
            **{
                "new_stakeholder.name": "Warga Cilincing",
                "new_stakeholder.kind": "group",
                "new_stakeholder.sector": "community",
                "left_on": "2020-01-01",
            }
        )

        response = post_form(client, f"{list_url(case)}/new", sent)

        assert response.status_code == 400
        assert field_error(response.text, "left_on") == (
            "Must not be before Joined on (May 5, 2020)."
        )
        assert input_value(response.text, "new_stakeholder.name") == "Warga Cilincing"
        session.expire_all()
        assert session.scalar(select(Stakeholder).where(Stakeholder.name == "Warga Cilincing")) is (
            None
        )

    def test_someone_already_taking_part_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        spri = make_stakeholder(session, name="SPRI")
        make_participation(session, case, spri)

        response = post_form(client, f"{list_url(case)}/new", form(stakeholder_id=str(spri.id)))

        assert response.status_code == 400
        assert field_error(response.text, "stakeholder_id") == (
            "This stakeholder already takes part in this collaboration."
        )
        assert len(live_participations(session, case)) == 1


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        participation = make_participation(
            session,
            case,
            make_stakeholder(session, name="SPRI"),
            role=ParticipationRole.FACILITATOR,
            joined_on=dt.date(2020, 5, 5),
        )

        response = client.get(f"/participations/{participation.id}/edit")

        assert "SPRI" in text_of(response.text)
        assert input_value(response.text, "role") == "facilitator"
        assert input_value(response.text, "joined_on") == "2020-05-05"
        assert input_value(response.text, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        participation = make_participation(session, case, make_stakeholder(session, name="SPRI"))

        response = post_form(
            client,
            f"/participations/{participation.id}/edit",
            form(role="observer", left_on="2021-12-31", version="1"),
        )

        assert response.headers["location"] == list_url(case)
        assert notice_after(client, response) == "Participation of “SPRI” saved."
        (stored,) = live_participations(session, case)
        assert (stored.role, stored.left_on, stored.version) == (
            ParticipationRole.OBSERVER,
            dt.date(2021, 12, 31),
            2,
        )

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        participation = make_participation(session, case, make_stakeholder(session))
        participation_service.update(
            session,
            record=participation,
            data=ParticipationPatch(version=1, role=ParticipationRole.CONVENER),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client,
            f"/participations/{participation.id}/edit",
            form(role="observer", version="1"),
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Changed meanwhile by ana" in page
        assert "“Participant” → “Convener”" in page
        assert input_value(response.text, "role") == "observer"
        assert live_participations(session, case)[0].role is ParticipationRole.CONVENER

    def test_invalid_input_keeps_it(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        participation = make_participation(session, case, make_stakeholder(session))

        response = post_form(
            client,
            f"/participations/{participation.id}/edit",
            form(left_on="2019-01-01", constraints="Kept", version="1"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "left_on") == (
            "Must not be before Joined on (May 5, 2020)."
        )
        assert input_value(response.text, "constraints") == "Kept"
        assert live_participations(session, case)[0].version == 1


class TestRemoveAndUndo:
    def test_remove_offers_undo_and_undo_puts_back(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        participation = make_participation(session, case, make_stakeholder(session, name="SPRI"))

        removed = post_form(client, f"/participations/{participation.id}/delete", {})

        assert removed.headers["location"] == list_url(case)
        listing = client.get(list_url(case))
        assert "“SPRI” removed from this collaboration." in text_of(listing.text)
        assert f'action="/participations/{participation.id}/restore"' in listing.text
        assert names(listing.text) == []

        restored = post_form(client, f"/participations/{participation.id}/restore", {})

        assert notice_after(client, restored) == "“SPRI” is back in this collaboration."
        assert [p.id for p in live_participations(session, case)] == [participation.id]

    def test_undo_is_refused_once_the_stakeholder_was_added_again(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        spri = make_stakeholder(session, name="SPRI")
        participation = make_participation(session, case, spri)
        post_form(client, f"/participations/{participation.id}/delete", {})
        again = make_participation(session, case, spri)

        restored = post_form(client, f"/participations/{participation.id}/restore", {})

        assert notice_after(client, restored) == (
            "“SPRI” was not put back: they were added to this collaboration again."
        )
        assert [p.id for p in live_participations(session, case)] == [again.id]


class TestEveryPageInIndonesian:
    @pytest.mark.parametrize(
        ("page", "expected"),
        [
            ("list", "Semua peran"),
            ("new", "Kosongkan pilihan di atas bila Anda mengisi ini."),
            ("edit", "Keluarkan dari kolaborasi ini"),
        ],
    )
    def test_renders_in_indonesian(
        self, client: TestClient, session: Session, page: str, expected: str
    ) -> None:
        case = make_collaboration(session)
        participation = make_participation(session, case, make_stakeholder(session))
        paths = {
            "list": list_url(case),
            "new": f"{list_url(case)}/new",
            "edit": f"/participations/{participation.id}/edit",
        }

        response = client.get(paths[page], params={"lang": "id"})

        assert response.status_code == 200
        assert '<html lang="id">' in response.text
        assert expected in text_of(response.text)
