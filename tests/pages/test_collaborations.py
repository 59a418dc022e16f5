"""The home page and the collaboration forms: create, edit (stale versions), delete and undo."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.collaborations import service as collaboration_service
from governance.collaborations.schemas import CollaborationPatch
from governance.models import Collaboration
from governance.vocab import CommitmentStatus, MeetingStatus
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of

NEW = "/collaborations/new"


def form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Posyandu data sharing",
        "description": "Health posts share their registers with the district.",
        "policy_domain": "Health",
        "place": "Bogor",
        "started_on": "2021-02-01",
        "ended_on": "",
        "status": "active",
    }
    return values | overrides


def stored(session: Session, name: str) -> Collaboration | None:
    session.expire_all()
    return session.scalar(select(Collaboration).where(Collaboration.name == name))


class TestHome:
    def test_lists_collaborations_with_their_meetings_and_open_commitments(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos monitoring", place="DKI Jakarta")
        forum = make_forum(session, case)
        owner = make_stakeholder(session)
        make_meeting(session, forum, starts_at=dt.datetime(2021, 3, 2, 3, tzinfo=dt.UTC))
        make_meeting(session, forum, starts_at=dt.datetime(2021, 5, 4, 3, tzinfo=dt.UTC))
        make_meeting(
            session,
            forum,
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2999, 1, 5, 3, tzinfo=dt.UTC),
        )
        make_commitment(session, case, owner, due_on=dt.date(2020, 7, 1))  # overdue
        make_commitment(session, case, owner, due_on=dt.date(2999, 1, 1))
        make_commitment(session, case, owner, status=CommitmentStatus.FULFILLED)

        response = client.get("/")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Bansos monitoring" in page
        assert "DKI Jakarta" in page
        assert "Meetings 3" in page
        assert "Open commitments 2 1 overdue" in page
        assert "Last meeting May 4, 2021" in page
        assert "Next meeting Jan 5, 2999" in page
        assert f'href="/collaborations/{case.id}"' in response.text

    def test_an_empty_database_explains_how_to_start(self, client: TestClient) -> None:
        page = text_of(client.get("/").text)

        assert "No collaborations yet" in page
        assert "collabgov demo load" in page

    def test_links_to_the_api_documentation(self, client: TestClient) -> None:
        assert '<a href="/docs">API documentation</a>' in client.get("/").text

    def test_runs_as_many_queries_for_many_collaborations_as_for_one(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        make_forum(session, make_collaboration(session, name="One"))
        with count_queries() as one:
            client.get("/")
        for number in range(12):
            case = make_collaboration(session, name=f"Case {number}")
            make_meeting(session, make_forum(session, case))
        with count_queries() as many:
            client.get("/")

        assert one.selects == many.selects <= 5


class TestNew:
    def test_creates_and_lands_on_the_dashboard_with_a_notice(
        self, client: TestClient, session: Session
    ) -> None:
        response = post_form(client, NEW, form())

        created = stored(session, "Posyandu data sharing")
        assert created is not None
        assert response.status_code == 303
        assert response.headers["location"] == f"/collaborations/{created.id}"
        assert created.started_on == dt.date(2021, 2, 1)
        assert created.ended_on is None
        dashboard = client.get(response.headers["location"])
        assert "Collaboration “Posyandu data sharing” created." in text_of(dashboard.text)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"place": "p" * 201}, "place", "Enter at most 200 characters."),
            ({"started_on": "2021-02-30"}, "started_on", "Enter a date (YYYY-MM-DD)."),
            ({"started_on": "soon"}, "started_on", "Enter a date (YYYY-MM-DD)."),
            (
                {"ended_on": "2020-01-01"},
                "ended_on",
                "Must not be before Started on (Feb 1, 2021).",
            ),
            ({"status": "dormant"}, "status", "Choose one of the options."),
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
        assert input_value(response.text, "description") == sent["description"]
        if field != "status":
            assert input_value(response.text, field) == sent[field]
        assert stored(session, sent["name"]) is None


class TestEdit:
    def test_shows_the_stored_values_and_its_version(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos", ended_on=dt.date(2022, 12, 31))

        response = client.get(f"/collaborations/{case.id}/edit")

        assert input_value(response.text, "name") == "Bansos"
        assert input_value(response.text, "ended_on") == "2022-12-31"
        assert input_value(response.text, "status") == "active"
        assert input_value(response.text, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session, name="Bansos")

        response = post_form(
            client,
            f"/collaborations/{case.id}/edit",
            form(name="Bansos monitoring", status="concluded", ended_on="2022-12-31", version="1"),
        )

        assert response.headers["location"] == f"/collaborations/{case.id}"
        session.expire_all()
        assert (case.name, case.status.value, case.ended_on) == (
            "Bansos monitoring",
            "concluded",
            dt.date(2022, 12, 31),
        )

    def test_a_stale_edit_shows_the_changes_meanwhile_and_keeps_the_input(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos", place="Jakarta")
        collaboration_service.update(
            session,
            record=case,
            data=CollaborationPatch(version=1, place="DKI Jakarta", status="paused"),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client, f"/collaborations/{case.id}/edit", form(name="Mine", place="Bogor", version="1")
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "“Jakarta” → “DKI Jakarta”" in page
        assert "“Active” → “Paused”" in page  # a choice is shown by its label
        assert input_value(response.text, "place") == "Bogor"
        assert input_value(response.text, "version") == "2"
        changed = re.findall(r'<li><a href="#(field-[a-z_]+)">', response.text)
        assert set(changed) >= {"field-place", "field-status"}
        session.expire_all()
        assert (case.name, case.place) == ("Bansos", "DKI Jakarta")

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get("/collaborations/424242/edit").status_code == 404


class TestDeleteAndUndo:
    def test_delete_goes_home_with_undo_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos")

        deleted = post_form(client, f"/collaborations/{case.id}/delete", {})

        assert deleted.headers["location"] == "/"
        home = client.get("/")
        assert "Collaboration “Bansos” deleted." in text_of(home.text)
        assert f'action="/collaborations/{case.id}/restore"' in home.text
        assert client.get(f"/collaborations/{case.id}").status_code == 404

        restored = post_form(client, f"/collaborations/{case.id}/restore", {})

        assert restored.headers["location"] == f"/collaborations/{case.id}"
        assert "Collaboration “Bansos” restored." in text_of(
            client.get(f"/collaborations/{case.id}").text
        )
