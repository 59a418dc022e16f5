"""The evidence pages: a collaboration's list, a piece's page with everything it supports,
and the create / edit / delete forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.evidence import service as evidence_service
from governance.evidence.models import evidence_links
from governance.evidence.schemas import EvidencePatch
from governance.models import (
    Assessment,
    Collaboration,
    CommitmentStatusChange,
    Evidence,
    ForumCriterion,
    Measurement,
    Relationship,
    TrustEvent,
)
from governance.vocab import (
    CommitmentStatus,
    Criterion,
    CriterionRating,
    EvidenceKind,
    ModelVariable,
    RelationshipType,
    TrustEventKind,
    TrustForm,
    Valence,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_outcome,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of


def list_url(case: Collaboration) -> str:
    return f"/collaborations/{case.id}/evidence"


def titles(html: str) -> list[str]:
    """The titles the evidence list shows, in order."""
    return [text_of(t) for t in re.findall(r'class="strong" href="/evidence/\d+">(.*?)</a>', html)]


def notice_after(client: TestClient, response: Any) -> str:
    """Follow a 303 like a browser and return the confirmation the next page shows."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def stored(session: Session, title: str) -> Evidence | None:
    session.expire_all()
    return session.scalar(select(Evidence).where(Evidence.title == title))


class TestList:
    def test_lists_the_collaborations_evidence_newest_first(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        other = make_collaboration(session, name="Another case")
        make_evidence(session, collaboration_id=case.id, title="Old", date=dt.date(2020, 1, 1))
        make_evidence(session, collaboration_id=case.id, title="Undated")
        make_evidence(
            session,
            collaboration_id=case.id,
            title="New",
            date=dt.date(2021, 1, 1),
            kind=EvidenceKind.MINUTES,
            confidential=True,
            citation="Notulen rapat 5",
        )
        make_evidence(session, collaboration_id=other.id, title="Elsewhere")

        response = client.get(list_url(case))

        assert response.status_code == 200
        assert titles(response.text) == ["New", "Old", "Undated"]
        assert "New ⊘ Confidential Minutes Jan 1, 2021 Notulen rapat 5" in text_of(response.text)
        assert f'href="/collaborations/{case.id}/trust"' in response.text

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"kind": "news"}, ["Press report"]),
            ({"confidential": "yes"}, ["Interview"]),
            ({"confidential": "no"}, ["Press report", "Minutes"]),
            ({"q": "UNSERVED"}, ["Minutes"]),
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
        make_evidence(
            session,
            collaboration_id=case.id,
            title="Press report",
            kind=EvidenceKind.NEWS,
            date=dt.date(2021, 3, 1),
        )
        make_evidence(
            session, collaboration_id=case.id, title="Interview", confidential=True, date=None
        )
        make_evidence(
            session,
            collaboration_id=case.id,
            title="Minutes",
            kind=EvidenceKind.MINUTES,
            excerpt="300 unserved households",
            date=dt.date(2020, 3, 1),
        )

        response = client.get(list_url(case), params=params)

        assert response.status_code == 200
        assert titles(response.text) == expected
        key, value = next(iter(params.items()))
        assert input_value(response.text, key) == value

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"kind": "rumour"}, "kind"), ({"confidential": "maybe"}, "confidential")],
    )
    def test_a_bad_filter_is_named_and_the_rest_still_lists(
        self, client: TestClient, session: Session, params: dict[str, str], field: str
    ) -> None:
        case = make_collaboration(session)
        make_evidence(session, collaboration_id=case.id, title="Minutes")

        response = client.get(list_url(case), params=params)

        assert response.status_code == 400
        assert field_error(response.text, field)
        assert titles(response.text) == ["Minutes"]

    def test_runs_as_many_queries_for_forty_pieces_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        case = make_collaboration(session)
        for number in range(2):
            make_evidence(session, collaboration_id=case.id, title=f"Few {number}")
        with count_queries() as few:
            client.get(list_url(case))
        for number in range(38):
            make_evidence(session, collaboration_id=case.id, title=f"Many {number}")
        with count_queries() as many:
            client.get(list_url(case))

        assert few.selects == many.selects <= 4

    def test_speaks_indonesian(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        make_evidence(session, collaboration_id=case.id, confidential=True)

        page = text_of(client.get(list_url(case), params={"lang": "id"}).text)

        assert "Bukti" in page
        assert "Rahasia" in page
        assert "Wawancara" in page

    def test_a_script_in_a_title_is_shown_as_text(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        make_evidence(session, collaboration_id=case.id, title="<script>alert(1)</script>")

        response = client.get(list_url(case))

        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def supported_by(session: Session, evidence: Evidence, copies: int = 1) -> dict[str, Any]:
    """One record of each kind that evidence supports (``copies`` of each), all linked."""
    case = make_collaboration(session)
    dinsos = make_stakeholder(session, name="Dinas Sosial DKI")
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    forum = make_forum(session, case, name="Forum Koordinasi")
    commitment = make_commitment(session, case, dinsos, description="Verify the list")
    outcome = make_outcome(session, case, title="Households added to DTKS", unit="households")
    made: dict[str, Any] = {"commitment": commitment, "outcome": outcome, "forum": forum}
    for number in range(copies):
        records: dict[str, Any] = {
            "trust_event": TrustEvent(
                collaboration_id=case.id,
                actor_id=dinsos.id,
                occurred_on=dt.date(2020, 6, 1 + number),
                kind=TrustEventKind.PROMISE_KEPT,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE,
                severity=2,
            ),
            "relationship": Relationship(
                source_id=spri.id, target_id=dinsos.id, type=RelationshipType.ADVISES
            ),
            "status_change": CommitmentStatusChange(
                commitment_id=commitment.id,
                from_status=CommitmentStatus.OPEN,
                to_status=CommitmentStatus.FULFILLED,
                changed_on=dt.date(2020, 7, 1),
            ),
            "measurement": Measurement(
                outcome_id=outcome.id, measured_on=dt.date(2020, 8, 1), value=480.0
            ),
            "forum_criterion": ForumCriterion(
                forum_id=forum.id,
                criterion=list(Criterion)[-1 - number],
                rating=CriterionRating.PARTIAL,
                position=number,
            ),
            "assessment": Assessment(
                collaboration_id=case.id,
                variable=ModelVariable.TRUST_BUILDING,
                period_start=dt.date(2020, 1, 1),
                period_end=dt.date(2020, 12, 31),
                score=3,
                rationale="Several kept promises",
                coder="R. Anggraini",
            ),
        }
        session.add_all(records.values())
        session.flush()
        for kind, record in records.items():
            session.execute(
                evidence_links.insert().values(evidence_id=evidence.id, **{f"{kind}_id": record.id})
            )
            made[kind] = record
    session.flush()
    return made


class TestDetail:
    def test_shows_every_record_it_supports_with_links(
        self, client: TestClient, session: Session
    ) -> None:
        evidence = make_evidence(session, title="Notulen forum", kind=EvidenceKind.MINUTES)
        made = supported_by(session, evidence)

        response = client.get(f"/evidence/{evidence.id}")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Trust events 1 Promise kept ▲ Builds trust Jun 1, 2020 · Dinas Sosial DKI" in page
        assert "SPRI DKI Jakarta — advises — Dinas Sosial DKI" in page
        assert "Verify the list Status changed to Fulfilled on Jul 1, 2020" in page
        assert "Households added to DTKS 480 households measured on Aug 1, 2020" in page
        assert "Forum Koordinasi Public policy or management: Partly met" in page
        assert "Trust-building Score 3 of 4 by R. Anggraini, period ending Dec 31, 2020" in page
        assert f'href="/trust-events/{made["trust_event"].id}"' in response.text
        assert f'href="/relationships/{made["relationship"].id}"' in response.text

    def test_leaves_out_deleted_records(self, client: TestClient, session: Session) -> None:
        evidence = make_evidence(session)
        made = supported_by(session, evidence)
        gone = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        made["trust_event"].deleted_at = gone
        made["relationship"].deleted_at = gone
        session.flush()

        page = text_of(client.get(f"/evidence/{evidence.id}").text)

        assert "Trust events" not in page
        assert "Relationships" not in page
        assert "Outcome measurements" in page

    def test_says_when_it_supports_nothing(self, client: TestClient, session: Session) -> None:
        evidence = make_evidence(session)

        page = text_of(client.get(f"/evidence/{evidence.id}").text)

        assert "It supports no record yet." in page

    def test_runs_a_fixed_number_of_queries(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        small = make_evidence(session)
        supported_by(session, small)
        with count_queries() as few:
            client.get(f"/evidence/{small.id}")
        large = make_evidence(session)
        supported_by(session, large, copies=4)
        with count_queries() as many:
            client.get(f"/evidence/{large.id}")

        assert few.selects == many.selects <= 10

    def test_shows_the_confidential_flag_clearly(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session, name="Bansos monitoring")
        evidence = make_evidence(
            session,
            collaboration_id=case.id,
            confidential=True,
            excerpt="<script>alert(1)</script> said the official",
            url="https://example.org/a?b=1&c=2",
        )

        response = client.get(f"/evidence/{evidence.id}")

        page = text_of(response.text)
        assert "⊘ Confidential This evidence is kept off public pages" in page
        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; said the official" in response.text
        assert 'href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"' in (
            response.text
        )
        assert 'aria-label="Collaboration"' in response.text

    def test_a_deleted_piece_is_not_found(self, client: TestClient, session: Session) -> None:
        evidence = make_evidence(session, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(f"/evidence/{evidence.id}").status_code == 404


def form(**overrides: str) -> dict[str, str]:
    values = {
        "kind": "interview",
        "title": "Interview with an SPRI organiser",
        "date": "2021-03-31",
        "citation": "Field notes, tape 4",
        "url": "",
        "excerpt": "We brought our own list.",
        "confidential": "1",
    }
    return values | overrides


class TestCreate:
    def test_the_form_labels_every_input(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)

        response = client.get(f"{list_url(case)}/new")

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert ids
        assert set(ids) <= labelled

    def test_valid_input_creates_and_confirms(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)

        response = post_form(client, f"{list_url(case)}/new", form())

        created = stored(session, "Interview with an SPRI organiser")
        assert created is not None
        assert response.headers["location"] == f"/evidence/{created.id}"
        assert (created.collaboration_id, created.kind, created.confidential) == (
            case.id,
            EvidenceKind.INTERVIEW,
            True,
        )
        assert created.date == dt.date(2021, 3, 31)
        assert notice_after(client, response) == (
            "Evidence “Interview with an SPRI organiser” added."
        )

    def test_an_unticked_box_is_not_confidential(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        sent = form()
        del sent["confidential"]

        post_form(client, f"{list_url(case)}/new", sent)

        created = stored(session, sent["title"])
        assert created is not None
        assert created.confidential is False

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"title": "x" * 301}, "title", "Enter at most 300 characters."),
            ({"kind": ""}, "kind", "This field is required."),
            ({"kind": "rumour"}, "kind", "Choose one of the options."),
            ({"date": "2021-02-30"}, "date", "Enter a date (YYYY-MM-DD)."),
            (
                {"url": "javascript:alert(1)"},
                "url",
                "Enter a web address starting with http:// or https://.",
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
        sent = form(**overrides)

        response = post_form(client, f"{list_url(case)}/new", sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, "excerpt") == "We brought our own list."
        assert 'name="confidential" value="1" checked' in response.text
        assert session.scalar(select(Evidence.id)) is None

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get("/collaborations/999999/evidence/new").status_code == 404


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        evidence = make_evidence(session, confidential=True, date=dt.date(2021, 3, 31))

        response = client.get(f"/evidence/{evidence.id}/edit")

        assert input_value(response.text, "date") == "2021-03-31"
        assert input_value(response.text, "kind") == "interview"
        assert 'name="confidential" value="1" checked' in response.text
        assert input_value(response.text, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        case = make_collaboration(session)
        evidence = make_evidence(session, collaboration_id=case.id, confidential=True)
        sent = form(title="Renamed", version="1")
        del sent["confidential"]

        response = post_form(client, f"/evidence/{evidence.id}/edit", sent)

        assert response.headers["location"] == f"/evidence/{evidence.id}"
        assert notice_after(client, response) == "Evidence “Renamed” saved."
        session.expire_all()
        assert (evidence.title, evidence.confidential, evidence.version) == ("Renamed", False, 2)
        assert evidence.collaboration_id == case.id

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        evidence = make_evidence(session, title="Interview")
        evidence_service.update(
            session,
            record=evidence,
            data=EvidencePatch(version=1, title="Interview (corrected)"),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client, f"/evidence/{evidence.id}/edit", form(title="Mine", version="1")
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Changed meanwhile by ana" in page
        assert "“Interview” → “Interview (corrected)”" in page
        assert input_value(response.text, "title") == "Mine"
        session.expire_all()
        assert evidence.title == "Interview (corrected)"

    def test_invalid_input_keeps_it(self, client: TestClient, session: Session) -> None:
        evidence = make_evidence(session)

        response = post_form(
            client, f"/evidence/{evidence.id}/edit", form(title="", citation="Kept", version="1")
        )

        assert response.status_code == 400
        assert field_error(response.text, "title") == "This field is required."
        assert input_value(response.text, "citation") == "Kept"


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        evidence = make_evidence(session, collaboration_id=case.id, title="Minutes")

        deleted = post_form(client, f"/evidence/{evidence.id}/delete", {})

        assert deleted.headers["location"] == list_url(case)
        listing = client.get(list_url(case))
        assert "Evidence “Minutes” deleted." in text_of(listing.text)
        assert f'action="/evidence/{evidence.id}/restore"' in listing.text
        assert titles(listing.text) == []

        restored = post_form(client, f"/evidence/{evidence.id}/restore", {})

        assert notice_after(client, restored) == "Evidence “Minutes” restored."
        session.expire_all()
        assert evidence.deleted_at is None

    def test_without_a_collaboration_delete_lands_home(
        self, client: TestClient, session: Session
    ) -> None:
        evidence = make_evidence(session)

        deleted = post_form(client, f"/evidence/{evidence.id}/delete", {})

        assert deleted.headers["location"] == "/"


class TestEveryPageInIndonesian:
    @pytest.mark.parametrize(
        ("page", "expected"),
        [
            ("list", "Semua bukti"),
            ("detail", "Yang didukungnya"),
            ("new", "Bukti baru"),
            ("edit", "Hapus bukti ini"),
        ],
    )
    def test_renders_in_indonesian(
        self, client: TestClient, session: Session, page: str, expected: str
    ) -> None:
        case = make_collaboration(session)
        evidence = make_evidence(session, collaboration_id=case.id)
        paths = {
            "list": list_url(case),
            "detail": f"/evidence/{evidence.id}",
            "new": f"{list_url(case)}/new",
            "edit": f"/evidence/{evidence.id}/edit",
        }

        response = client.get(paths[page], params={"lang": "id"})

        assert response.status_code == 200
        assert '<html lang="id">' in response.text
        assert expected in text_of(response.text)
