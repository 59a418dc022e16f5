"""The assessments pages: the coding by variable and period with its evidence and the
agreement between coders, and the add / edit / delete (with undo) forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.assessments import service as assessment_service
from governance.assessments.models import Assessment
from governance.assessments.schemas import AssessmentPatch
from governance.audit.service import Actor
from governance.collaborations.models import Collaboration
from governance.demo.loader import LoadResult
from governance.evidence.models import Evidence
from governance.evidence.service import ids_by_record
from governance.vocab import EvidenceKind, ModelVariable
from tests.factories import make_collaboration, make_evidence
from tests.pages.html import field_error, input_value, text_of


def list_url(collaboration_id: int | None) -> str:
    return f"/collaborations/{collaboration_id}/assessments"


def new_url(collaboration_id: int) -> str:
    return f"/collaborations/{collaboration_id}/assessments/new"


def form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "variable": "trust_building",
        "period_start": "2021-01-01",
        "period_end": "2021-06-30",
        "score": "3",
        "rationale": "Promises were kept and the minutes say so.",
        "coder": "R3",
        "evidence_ids": [],
        "new_evidence.kind": "",
        "new_evidence.title": "",
        "new_evidence.date": "",
        "new_evidence.citation": "",
        "new_evidence.url": "",
        "new_evidence.excerpt": "",
    }
    return values | overrides


def post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=data, follow_redirects=False)


def notice_after(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def case_with_evidence(session: Session) -> tuple[Collaboration, Evidence]:
    case = make_collaboration(session)
    piece = make_evidence(
        session,
        collaboration_id=case.id,
        title="Minutes of the June forum",
        kind=EvidenceKind.MINUTES,
        excerpt="Dinsos reported on every name.",
    )
    return case, piece


def stored(session: Session, case: Collaboration) -> list[Assessment]:
    session.expire_all()
    return list(
        session.scalars(
            select(Assessment)
            .where(Assessment.collaboration_id == case.id, Assessment.deleted_at.is_(None))
            .order_by(Assessment.id)
        )
    )


def evidence_count(session: Session) -> int:
    return session.scalar(select(func.count(Evidence.id))) or 0


def assessed(session: Session, case: Collaboration, piece: Evidence, **fields: Any) -> Assessment:
    values: dict[str, Any] = {
        "collaboration_id": case.id,
        "variable": ModelVariable.TRUST_BUILDING,
        "period_start": dt.date(2021, 1, 1),
        "period_end": dt.date(2021, 6, 30),
        "score": 2,
        "rationale": "Mixed signals.",
        "coder": "R1",
    }
    assessment = Assessment(**(values | fields))
    assessment.evidence = [piece]
    session.add(assessment)
    session.flush()
    return assessment


class TestList:
    def test_groups_the_demos_scores_by_variable_and_period_with_their_evidence(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.get(list_url(demo.collaboration_id))

        assert response.status_code == 200
        titles = re.findall(
            r'<h2 id="unit-\d+" class="panel__title">(.*?)</h2>', response.text, re.S
        )
        assert [text_of(t) for t in titles] == [
            "Incentives for and constraints on participation · Apr 1, 2020 – Jun 30, 2022",
            "Prehistory of cooperation or conflict · Jan 1, 2018 – May 4, 2020",
            "Facilitative leadership · May 19, 2020 – Jun 14, 2022",
        ]
        page = text_of(response.text)
        assert "4 strong and triangulated · coded by D. Nugroho" in page
        assert "3 substantial · coded by R. Anggraini" in page
        assert "history of interaction that has minimal conflict" in page
        confidential = "organiser (illustrative) · Interview · Apr 12, 2022 confidential"
        assert f"Interview with an SPRI DKI Jakarta {confidential}" in page

    def test_shows_the_anchors_and_the_agreement(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        page = text_of(client.get(list_url(demo.collaboration_id)).text)

        assert (
            "0 absent or contrary 1 weak 2 partial or mixed 3 substantial 4 strong and triangulated"
            in page
        )
        assert "Cohen's weighted kappa (quadratic) = 0.00 (units compared: 1; coders: 2)" in page
        row = "Cohen's weighted kappa (quadratic) 0.00 1 D. Nugroho, R. Anggraini"
        assert f"Prehistory of cooperation or conflict {row}" in page

    def test_lists_scores_two_points_apart_to_discuss(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)
        first = assessed(session, case, piece, score=4, coder="R1")
        second = assessed(session, case, piece, score=1, coder="R2")

        page = client.get(list_url(case.id)).text

        assert "To discuss: scores two or more points apart" in text_of(page)
        assert f'href="#assessment-{first.id}">R1: 4</a>' in page
        assert f'href="#assessment-{second.id}">R2: 1</a>' in page
        assert "3 points apart" in text_of(page)

    def test_speaks_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        page = text_of(client.get(list_url(demo.collaboration_id), params={"lang": "id"}).text)

        assert "Kesepakatan antarpengode" in page
        assert "4 kuat dan tertriangulasi · dinilai oleh D. Nugroho" in page
        assert "Riwayat kerja sama atau konflik · 1 Jan 2018 – 4 Mei 2020" in page

    def test_an_empty_coding_invites_the_first_score(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)

        page = text_of(client.get(list_url(case.id)).text)

        assert "No assessments yet" in page
        assert "Agreement needs two coders or more" in page

    def test_runs_as_many_queries_for_twelve_scores_as_for_two(
        self, client: TestClient, session: Session, count_queries: Any
    ) -> None:
        case, piece = case_with_evidence(session)
        for number in range(2):
            assessed(session, case, piece, coder=f"Few {number}")
        with count_queries() as few:
            client.get(list_url(case.id))
        for number in range(10):
            other = make_evidence(session, collaboration_id=case.id, title=f"Source {number}")
            assessed(session, case, other, coder=f"Many {number}", variable=ModelVariable.OUTCOMES)
        with count_queries() as many:
            client.get(list_url(case.id))

        assert few.selects == many.selects <= 6


class TestCreate:
    def test_the_form_labels_every_input_and_shows_the_anchors(
        self, client: TestClient, session: Session
    ) -> None:
        case, _ = case_with_evidence(session)

        html = client.get(new_url(case.id)).text

        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
        )
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        assert ids
        assert set(ids) <= labelled
        radios = re.findall(
            r'<input class="score-choice__input" type="radio" id="[^"]+" name="score" value="(\d)"',
            html,
        )
        assert radios == ["0", "1", "2", "3", "4"]
        assert "0 absent or contrary" in text_of(html)
        assert "Minutes of the June forum · Minutes" in text_of(html)

    def test_saves_with_the_evidence_ticked_and_confirms(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)

        response = post(client, new_url(case.id), form(evidence_ids=[str(piece.id)]))

        [saved] = stored(session, case)
        assert response.headers["location"] == f"{list_url(case.id)}#assessment-{saved.id}"
        assert (saved.variable, saved.score, saved.coder) == (ModelVariable.TRUST_BUILDING, 3, "R3")
        assert ids_by_record(session, "assessment_id", [saved.id]) == {saved.id: [piece.id]}
        assert notice_after(client, response) == "Assessment by R3 saved."

    def test_a_new_piece_of_evidence_is_saved_with_it(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)
        described = {
            "new_evidence.kind": "interview",
            "new_evidence.title": "Interview with a data officer",
            "new_evidence.date": "2021-05-02",
            "new_evidence.excerpt": "We verified every name.",
            "new_evidence.confidential": "1",
        }

        response = post(client, new_url(case.id), form(evidence_ids=[str(piece.id)], **described))

        assert response.status_code == 303
        [saved] = stored(session, case)
        created = session.scalar(
            select(Evidence).where(Evidence.title == "Interview with a data officer")
        )
        assert created is not None
        assert (created.collaboration_id, created.confidential, created.date) == (
            case.id,
            True,
            dt.date(2021, 5, 2),
        )
        assert ids_by_record(session, "assessment_id", [saved.id]) == {
            saved.id: [piece.id, created.id]
        }

    def test_a_new_piece_alone_is_evidence_enough(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)

        response = post(
            client,
            new_url(case.id),
            form(
                **{"new_evidence.kind": "document", "new_evidence.title": "Governor's instruction"}
            ),
        )

        assert response.status_code == 303
        [saved] = stored(session, case)
        [evidence_id] = ids_by_record(session, "assessment_id", [saved.id])[saved.id]
        assert session.get(Evidence, evidence_id).title == "Governor's instruction"  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"variable": ""}, "variable", "This field is required."),
            ({"variable": "happiness"}, "variable", "Choose one of the options."),
            ({"score": ""}, "score", "This field is required."),
            ({"score": "5"}, "score", "Enter 4 or less."),
            ({"score": "three"}, "score", "Enter a whole number."),
            ({"period_start": ""}, "period_start", "This field is required."),
            (
                {"period_end": "2020-12-31"},
                "period_end",
                "Must not be before Period start (Jan 1, 2021).",
            ),
            ({"rationale": "   "}, "rationale", "This field is required."),
            ({"coder": ""}, "coder", "This field is required."),
            (
                {"evidence_ids": []},
                "evidence_ids",
                "Tick at least one piece of evidence, or describe a new one below.",
            ),
            ({"evidence_ids": ["abc"]}, "evidence_ids", "Enter a whole number."),
            (
                {"evidence_ids": ["999999"]},
                "evidence_ids",
                "Evidence 999999 does not exist or is deleted.",
            ),
            (
                {"new_evidence.title": "An interview"},
                "new_evidence.kind",
                "This field is required.",
            ),
            (
                {
                    "new_evidence.kind": "news",
                    "new_evidence.title": "Article",
                    "new_evidence.url": "ftp://x",
                },
                "new_evidence.url",
                "Enter a web address starting with http:// or https://.",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
        self,
        client: TestClient,
        session: Session,
        overrides: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        case, piece = case_with_evidence(session)
        before = evidence_count(session)
        sent = form(evidence_ids=[str(piece.id)], rationale="Kept rationale") | overrides

        response = post(client, new_url(case.id), sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert "There is a problem" in text_of(response.text)
        if field != "rationale":
            assert input_value(response.text, "rationale") == "Kept rationale"
        assert stored(session, case) == []
        assert evidence_count(session) == before

    def test_the_new_evidence_is_not_kept_when_the_assessment_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        before = evidence_count(session)

        response = post(
            client,
            new_url(case.id),
            form(
                period_end="2020-01-01",
                **{"new_evidence.kind": "interview", "new_evidence.title": "Written, then undone"},
            ),
        )

        assert response.status_code == 400
        assert field_error(response.text, "period_end")
        assert evidence_count(session) == before
        assert "Written, then undone" not in re.sub(r'value="[^"]*"', "", response.text)
        assert input_value(response.text, "new_evidence.title") == "Written, then undone"

    def test_markup_in_the_rationale_and_excerpt_is_shown_as_text(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        nasty = "<script>alert(1)</script>"

        post(
            client,
            new_url(case.id),
            form(
                rationale=nasty,
                **{
                    "new_evidence.kind": "news",
                    "new_evidence.title": nasty,
                    "new_evidence.excerpt": nasty,
                },
            ),
        )

        html = client.get(list_url(case.id)).text
        assert "<script>alert(1)</script>" not in html
        assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3

    def test_an_unknown_collaboration_is_not_found(self, client: TestClient) -> None:
        assert client.get(new_url(999_999)).status_code == 404
        assert post(client, new_url(999_999), form()).status_code == 404


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        case, piece = case_with_evidence(session)
        assessment = assessed(session, case, piece)

        html = client.get(f"/assessments/{assessment.id}/edit").text

        assert 'name="score" value="2" checked' in html
        assert f'name="evidence_ids" value="{piece.id}" checked' in html
        assert input_value(html, "variable") == "trust_building"
        assert input_value(html, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        case, piece = case_with_evidence(session)
        assessment = assessed(session, case, piece)

        response = post(
            client,
            f"/assessments/{assessment.id}/edit",
            form(score="4", coder="R1", evidence_ids=[str(piece.id)], version="1"),
        )

        assert notice_after(client, response) == "Assessment by R1 saved."
        session.refresh(assessment)
        assert (assessment.score, assessment.version) == (4, 2)

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)
        assessment = assessed(session, case, piece)
        assessment_service.update(
            session, record=assessment, data=AssessmentPatch(version=1, score=0), actor=Actor("ana")
        )
        session.flush()

        response = post(
            client,
            f"/assessments/{assessment.id}/edit",
            form(score="4", evidence_ids=[str(piece.id)], version="1"),
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Someone else changed this record while you were editing it" in page
        assert "Changed meanwhile by ana" in page
        assert "“2” → “0”" in page
        assert 'name="score" value="4" checked' in response.text
        assert input_value(response.text, "version") == "2"
        session.expire_all()
        assert assessment.score == 0

    def test_an_edit_of_an_assessment_deleted_meanwhile_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)
        assessment = assessed(
            session, case, piece, deleted_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
        )

        response = post(
            client,
            f"/assessments/{assessment.id}/edit",
            form(evidence_ids=[str(piece.id)], version="1"),
        )

        assert response.status_code == 409
        assert "deleted meanwhile" in response.text


class TestDeleteAndUndo:
    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        case, piece = case_with_evidence(session)
        assessment = assessed(session, case, piece, coder="R9")

        deleted = post(client, f"/assessments/{assessment.id}/delete", {})

        assert deleted.headers["location"] == list_url(case.id)
        listing = client.get(list_url(case.id))
        assert "Assessment by R9 deleted." in text_of(listing.text)
        assert f'action="/assessments/{assessment.id}/restore"' in listing.text
        assert f'id="assessment-{assessment.id}"' not in listing.text

        restored = post(client, f"/assessments/{assessment.id}/restore", {})

        assert notice_after(client, restored) == "Assessment by R9 restored."
        assert [a.id for a in stored(session, case)] == [assessment.id]

    def test_deleting_an_unknown_assessment_is_not_found(self, client: TestClient) -> None:
        assert post(client, "/assessments/999999/delete", {}).status_code == 404
