"""The forum pages: the list with each design at a glance, a forum's page, and the forms."""

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
from governance.forums import service as forum_service
from governance.forums.schemas import ForumPatch
from governance.models import Collaboration, Evidence, Forum, ForumCriterion, Stakeholder
from governance.vocab import (
    Criterion,
    CriterionRating,
    DecisionRule,
    Inclusiveness,
    MeetingStatus,
    Sector,
)
from tests.factories import (
    make_collaboration,
    make_evidence,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of
from tests.pages.test_stakeholders import notice_after

UTC = dt.UTC


@dataclass
class Case:
    collaboration: Collaboration
    dinsos: Stakeholder
    spri: Stakeholder

    @property
    def forums_url(self) -> str:
        return f"/collaborations/{self.collaboration.id}/forums"


@pytest.fixture
def case(session: Session) -> Case:
    collaboration = make_collaboration(session, name="Bansos monitoring")
    dinsos = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    for stakeholder in (dinsos, spri):
        make_participation(session, collaboration, stakeholder)
    return Case(collaboration, dinsos, spri)


def designed_forum(session: Session, case: Case, **fields: Any) -> Forum:
    """A forum with 2 ground rules, 3 rated criteria (2 met) and evidence on one."""
    values: dict[str, Any] = {
        "name": "Forum Koordinasi Bansos",
        "purpose": "Fix the bansos lists together.",
        "convener_id": case.dinsos.id,
        "facilitator_id": case.spri.id,
        "established_on": dt.date(2020, 5, 1),
        "inclusiveness": Inclusiveness.OPEN,
        "decision_rule": DecisionRule.CONSENSUS,
        "ground_rules": {"terms_of_reference": True, "schedule": True, "roles": False},
        "public": True,
    }
    forum = make_forum(session, case.collaboration, **(values | fields))
    interview = make_evidence(session, title="Interview with the Dinsos data officer")
    forum.criteria = [
        ForumCriterion(
            criterion=Criterion.INITIATED_BY_PUBLIC_AGENCY,
            position=0,
            rating=CriterionRating.MET,
            note="Dinsos called the first meeting.",
            evidence=[interview],
        ),
        ForumCriterion(
            criterion=Criterion.INCLUDES_NON_STATE_ACTORS,
            position=1,
            rating=CriterionRating.MET,
        ),
        ForumCriterion(
            criterion=Criterion.AIMS_AT_CONSENSUS, position=4, rating=CriterionRating.PARTIAL
        ),
    ]
    session.flush()
    return forum


def form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Forum Warga",
        "purpose": "Residents meet the kelurahan.",
        "convener_id": "",
        "facilitator_id": "",
        "established_on": "2020-06-01",
        "closed_on": "",
        "inclusiveness": "invited",
        "decision_rule": "majority",
        "ground_rules.terms_of_reference": "1",
        "ground_rules.deadlines": "1",
        "criteria.includes_non_state_actors.rating": "met",
        "criteria.includes_non_state_actors.note": "Residents take part.",
        "criteria.public_policy.rating": "partial",
    }
    for criterion in Criterion:
        values.setdefault(f"criteria.{criterion.value}.rating", "")
        values.setdefault(f"criteria.{criterion.value}.note", "")
    return values | overrides


class TestList:
    def test_shows_each_forums_design_at_a_glance(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)
        make_meeting(session, forum, starts_at=dt.datetime(2021, 3, 1, 2, tzinfo=UTC))
        make_meeting(session, forum, status=MeetingStatus.PLANNED)

        response = client.get(case.forums_url)

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Forum Koordinasi Bansos public Convened by Dinas Sosial" in page
        assert "Who may take part Open to all" in page
        assert "Decision rule Consensus" in page
        assert "Ground rules 2 of 6" in page
        assert "Criteria met 2 of 6" in page
        assert "Meetings held 1" in page
        assert "Last meeting Mar 1, 2021" in page
        assert 'aria-current="page">Forums<' in response.text

    def test_an_empty_list_invites_to_set_one_up(self, client: TestClient, case: Case) -> None:
        response = client.get(case.forums_url)

        assert "No forums yet" in text_of(response.text)
        assert f'href="/collaborations/{case.collaboration.id}/forums/new"' in response.text

    def test_speaks_indonesian(self, client: TestClient, session: Session, case: Case) -> None:
        designed_forum(session, case)

        page = text_of(client.get(case.forums_url, params={"lang": "id"}).text)

        assert "Aturan dasar 2 dari 6" in page
        assert "Kriteria terpenuhi 2 dari 6" in page
        assert "Forum baru" in page

    def test_runs_as_many_queries_for_ten_forums_as_for_one(
        self, client: TestClient, session: Session, case: Case, count_queries: Any
    ) -> None:
        designed_forum(session, case)
        with count_queries() as few:
            client.get(case.forums_url)
        for number in range(9):
            forum = designed_forum(session, case, name=f"Forum {number}")
            make_meeting(session, forum)
        with count_queries() as many:
            client.get(case.forums_url)

        assert few.selects == many.selects <= 8


class TestDetail:
    def test_shows_the_design_the_criteria_and_the_meetings(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)
        make_meeting(session, forum, title="First meeting")

        response = client.get(f"/forums/{forum.id}")

        assert response.status_code == 200
        html, page = response.text, text_of(response.text)
        assert "Fix the bansos lists together." in page
        assert "Convener Dinas Sosial" in page
        assert "Facilitator SPRI DKI Jakarta" in page
        assert "Terms of reference : yes" in page
        assert "Dispute procedure : no" in page
        assert "Initiated by a public agency Met Dinsos called the first meeting." in page
        assert "Evidence: Interview with the Dinsos data officer" in page
        assert "Aims at consensus Partly met" in page
        assert "Public policy or management Not rated yet" in page
        assert "First meeting" in page
        assert f'href="/stakeholders/{case.dinsos.id}"' in html

    def test_speaks_indonesian(self, client: TestClient, session: Session, case: Case) -> None:
        forum = designed_forum(session, case)

        page = text_of(client.get(f"/forums/{forum.id}", params={"lang": "id"}).text)

        assert "Enam kriteria" in page
        assert "Belum dinilai" in page

    def test_a_deleted_forum_is_not_found(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = make_forum(
            session, case.collaboration, deleted_at=dt.datetime(2021, 1, 1, tzinfo=UTC)
        )

        assert client.get(f"/forums/{forum.id}").status_code == 404

    def test_runs_a_fixed_number_of_queries(
        self, client: TestClient, session: Session, case: Case, count_queries: Any
    ) -> None:
        small = designed_forum(session, case)
        make_meeting(session, small)
        with count_queries() as few:
            client.get(f"/forums/{small.id}")
        large = designed_forum(session, case, name="Busy forum")
        for number in range(12):
            make_meeting(session, large, title=f"Meeting {number}")
        with count_queries() as many:
            client.get(f"/forums/{large.id}")

        assert few.selects == many.selects <= 12


class TestCreate:
    def test_the_form_labels_every_input(self, client: TestClient, case: Case) -> None:
        response = client.get(f"{case.forums_url}/new")

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert set(ids) <= labelled
        assert len(ids) > 20

    def test_valid_input_creates_with_ground_rules_and_criteria(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        response = post_form(
            client, f"{case.forums_url}/new", form(convener_id=str(case.dinsos.id))
        )

        forum = session.scalars(select(Forum).where(Forum.name == "Forum Warga")).one()
        assert response.headers["location"] == f"/forums/{forum.id}"
        assert notice_after(client, response) == "Forum “Forum Warga” created."
        read = forum_service.present(session, [forum])[0]
        assert read.convener_id == case.dinsos.id
        assert read.decision_rule is DecisionRule.MAJORITY
        assert read.ground_rules.model_dump() == {
            "terms_of_reference": True,
            "decision_rule": False,
            "roles": False,
            "schedule": False,
            "dispute_procedure": False,
            "deadlines": True,
        }
        rated = {c.criterion.value: (c.rating, c.note) for c in read.criteria if c.rating}
        assert rated == {
            "includes_non_state_actors": (CriterionRating.MET, "Residents take part."),
            "public_policy": (CriterionRating.PARTIAL, ""),
        }

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"inclusiveness": "secret"}, "inclusiveness", "Choose one of the options."),
            (
                {"closed_on": "2020-01-01"},
                "closed_on",
                "Must not be before Established on (Jun 1, 2020).",
            ),
            (
                {"criteria.aims_at_consensus.note": "We vote."},
                "criteria.aims_at_consensus.rating",
                "Choose a rating to keep this note, or clear the note.",
            ),
            (
                {"criteria.public_policy.rating": "perhaps"},
                "criteria.public_policy.rating",
                "Choose one of the options.",
            ),
            ({"convener_id": "999999"}, "convener_id", "Stakeholder 999999 does not exist."),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        case: Case,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        response = post_form(client, f"{case.forums_url}/new", form(**overrides))

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, "purpose") == "Residents meet the kelurahan."
        assert input_value(response.text, "criteria.includes_non_state_actors.note") == (
            "Residents take part."
        )
        assert session.scalars(select(Forum).where(Forum.name == "Forum Warga")).first() is None


class TestEdit:
    def test_shows_the_stored_values(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)

        html = client.get(f"/forums/{forum.id}/edit").text

        assert input_value(html, "convener_id") == str(case.dinsos.id)
        assert input_value(html, "criteria.initiated_by_public_agency.rating") == "met"
        assert input_value(html, "criteria.public_policy.rating") == ""
        assert 'name="ground_rules.schedule" value="1" checked' in html
        assert input_value(html, "version") == "1"

    def test_saves_and_keeps_the_criteria_evidence(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)
        data = form(
            name="Forum Koordinasi Bansos DKI",
            version="1",
            **{
                "criteria.initiated_by_public_agency.rating": "partial",
                "criteria.initiated_by_public_agency.note": "Called jointly.",
            },
        )

        response = post_form(client, f"/forums/{forum.id}/edit", data)

        assert notice_after(client, response) == "Forum “Forum Koordinasi Bansos DKI” saved."
        session.expire_all()
        read = forum_service.present(session, [forum])[0]
        first = read.criteria[0]
        assert (first.rating, first.note) == (CriterionRating.PARTIAL, "Called jointly.")
        titles = session.scalars(select(Evidence.title).where(Evidence.id.in_(first.evidence_ids)))
        assert list(titles) == ["Interview with the Dinsos data officer"]
        assert (read.convener_id, read.version) == (None, 2)

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)
        forum_service.update(
            session,
            record=forum,
            data=ForumPatch(version=1, name="Renamed meanwhile"),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(client, f"/forums/{forum.id}/edit", form(name="Mine", version="1"))

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Changed meanwhile by ana" in page
        assert "“Forum Koordinasi Bansos” → “Renamed meanwhile”" in page
        assert input_value(response.text, "name") == "Mine"
        assert input_value(response.text, "version") == "2"
        session.expire_all()
        assert forum.name == "Renamed meanwhile"


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session, case: Case
    ) -> None:
        forum = designed_forum(session, case)

        deleted = post_form(client, f"/forums/{forum.id}/delete", {})

        assert deleted.headers["location"] == case.forums_url
        listing = client.get(case.forums_url)
        assert "Forum “Forum Koordinasi Bansos” deleted." in text_of(listing.text)
        assert f'action="/forums/{forum.id}/restore"' in listing.text
        assert client.get(f"/forums/{forum.id}").status_code == 404

        restored = post_form(client, f"/forums/{forum.id}/restore", {})

        assert notice_after(client, restored) == "Forum “Forum Koordinasi Bansos” restored."
        session.expire_all()
        assert forum.deleted_at is None


class TestLanguages:
    @pytest.mark.parametrize(
        ("page", "english", "indonesian"),
        [
            ("list", "Criteria met", "Kriteria terpenuhi"),
            ("detail", "The six criteria", "Enam kriteria"),
            ("new", "Create forum", "Buat forum"),
            ("edit", "Delete this forum", "Hapus forum ini"),
        ],
    )
    def test_every_forum_page_renders_in_both_languages(
        self,
        client: TestClient,
        session: Session,
        case: Case,
        page: str,
        english: str,
        indonesian: str,
    ) -> None:
        forum = designed_forum(session, case)
        url = {
            "list": case.forums_url,
            "detail": f"/forums/{forum.id}",
            "new": f"{case.forums_url}/new",
            "edit": f"/forums/{forum.id}/edit",
        }[page]

        in_english = client.get(url, params={"lang": "en"})
        in_indonesian = client.get(url, params={"lang": "id"})

        assert in_english.status_code == in_indonesian.status_code == 200
        assert english in text_of(in_english.text)
        assert indonesian in text_of(in_indonesian.text)
        assert '<html lang="id">' in in_indonesian.text
