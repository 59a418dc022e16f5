"""The outcome pages: the tree with roll-up, an outcome's page with its chart and
provenance, adding and correcting measurements, and the outcome forms."""

from __future__ import annotations

import datetime as dt
import doctest
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pages import outcomes as outcome_pages
from governance.audit.service import Actor
from governance.demo.loader import LoadResult
from governance.models import Collaboration, Decision, Measurement, Outcome
from governance.outcomes import service as outcome_service
from governance.outcomes.models import outcome_commitments, outcome_meetings
from governance.outcomes.schemas import MeasurementPatch, OutcomePatch
from governance.vocab import CommitmentStatus, OutcomeLevel
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_outcome,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of

TODAY = dt.date.today()


def measure(
    session: Session, outcome: Outcome, on: dt.date, value: float, **fields: Any
) -> Measurement:
    measurement = Measurement(outcome_id=outcome.id, measured_on=on, value=value, **fields)
    session.add(measurement)
    session.flush()
    return measurement


def tree_url(case: Collaboration) -> str:
    return f"/collaborations/{case.id}/outcomes"


def shown_progress(html: str) -> dict[str, str]:
    """Each outcome's title → the percentage its progress bar says in words."""
    found = re.findall(
        r'<a href="/outcomes/\d+">([^<]+)</a>.*?<span class="progress__value">([^<]+)<', html, re.S
    )
    return dict(found)


def notice_after(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


@pytest.fixture
def case(session: Session) -> Collaboration:
    return make_collaboration(session, name="Bansos monitoring")


@pytest.fixture
def tree(session: Session, case: Collaboration) -> dict[str, Outcome]:
    """A parent with two weighted parts: 80 % (weight 3) and 50 % (weight 1) → 72.5 %."""
    parent = make_outcome(session, case, title="Households added to DTKS", unit="households")
    audit = make_outcome(
        session,
        case,
        parent_id=parent.id,
        title="RWs audited",
        level=OutcomeLevel.JOINT_FACT_FINDING,
        unit="RWs",
        target=20,
        weight=3,
    )
    errors = make_outcome(
        session,
        case,
        parent_id=parent.id,
        title="Exclusion errors",
        level=OutcomeLevel.SMALL_WIN,
        baseline=100,
        target=20,
    )
    measure(session, audit, dt.date(2020, 9, 10), 6)
    measure(session, audit, dt.date(2021, 4, 6), 16)
    measure(session, errors, dt.date(2021, 1, 1), 60)
    return {"parent": parent, "audit": audit, "errors": errors}


class TestChartGeometry:
    def test_the_doctests_hold(self) -> None:
        result = doctest.testmod(outcome_pages)

        assert result.attempted >= 3
        assert result.failed == 0

    def test_nothing_to_draw_without_measurements(self) -> None:
        assert outcome_pages.measurement_chart([], baseline=0, target=10) is None

    def test_a_decreasing_target_lies_below_the_baseline_and_values_between(self) -> None:
        chart = outcome_pages.measurement_chart(
            [(dt.date(2021, 1, 1), 60), (dt.date(2021, 1, 5), 40)], baseline=100, target=20
        )

        assert chart is not None
        assert chart.baseline_y < chart.points[0].y < chart.points[1].y < chart.target_y
        assert all(chart.left <= p.x <= chart.right for p in chart.points)

    @pytest.mark.parametrize(
        ("typed", "language", "expected"),
        [
            ("1.234,5", "id", "1234.5"),
            ("12,5", "id", "12.5"),
            ("12.5", "en", "12.5"),
            ("", "en", None),
            ("many", "en", "many"),
        ],
    )
    def test_numbers_are_read_as_the_language_writes_them(
        self, client: TestClient, typed: str, language: str, expected: str | None
    ) -> None:
        languages = client.app.state.languages  # type: ignore[attr-defined]

        assert outcome_pages.number_input(typed, languages[language]) == expected


class TestTree:
    def test_shows_the_tree_with_levels_units_and_the_apis_rolled_up_progress(
        self, client: TestClient, case: Collaboration, tree: dict[str, Outcome]
    ) -> None:
        response = client.get(tree_url(case))

        assert response.status_code == 200
        api = client.get("/api/v1/outcomes", params={"collaboration_id": case.id}).json()
        expected = {item["title"]: f"{round(item['progress'])}%" for item in api["items"]}
        assert shown_progress(response.text) == expected
        assert expected["Households added to DTKS"] == "72%"
        page = text_of(response.text)
        assert "Households added to DTKS Final outcome rolled up from its parts" in page
        assert "RWs audited Joint-fact-finding" not in page
        assert "RWs audited Joint fact-finding weight 3 16 of 20 RWs · from 0" in page
        assert "Exclusion errors Small win weight 1 60 of 20" in page
        assert (
            page.index("Households added")
            < page.index("RWs audited")
            < page.index("Exclusion errors")
        )
        assert "outcome--depth-1" in response.text

    def test_an_unmeasured_outcome_says_so(
        self, client: TestClient, session: Session, case: Collaboration
    ) -> None:
        make_outcome(session, case, title="Lone", unit="RWs", target=26)

        page = text_of(client.get(tree_url(case)).text)

        assert "not measured yet · target 26 RWs" in page
        assert "0%" in page

    def test_shows_in_indonesian(
        self, client: TestClient, case: Collaboration, tree: dict[str, Outcome]
    ) -> None:
        page = text_of(client.get(tree_url(case) + "?lang=id").text)

        assert "Pohon hasil" in page
        assert "dihitung dari bagian-bagiannya" in page
        assert "72%" in page

    def test_an_empty_tree_invites_the_first_outcome(
        self, client: TestClient, case: Collaboration
    ) -> None:
        assert "No outcomes yet" in text_of(client.get(tree_url(case)).text)

    def test_escapes_a_script_in_a_title(
        self, client: TestClient, case: Collaboration, session: Session
    ) -> None:
        make_outcome(session, case, title="<script>alert(1)</script>")

        html = client.get(tree_url(case)).text

        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_runs_as_many_queries_for_many_outcomes_as_for_few(
        self, client: TestClient, case: Collaboration, session: Session, count_queries: Any
    ) -> None:
        root = make_outcome(session, case, title="Root")
        measure(session, make_outcome(session, case, parent_id=root.id, title="A"), TODAY, 5)
        with count_queries() as few:
            client.get(tree_url(case))
        for number in range(15):
            part = make_outcome(session, case, parent_id=root.id, title=f"Part {number}")
            measure(session, part, TODAY, number)
        with count_queries() as many:
            client.get(tree_url(case))

        assert few.selects == many.selects <= 10


class TestDetail:
    def test_shows_progress_parts_and_the_parent(
        self, client: TestClient, tree: dict[str, Outcome]
    ) -> None:
        parent_page = text_of(client.get(f"/outcomes/{tree['parent'].id}").text)
        part_page = text_of(client.get(f"/outcomes/{tree['audit'].id}").text)

        assert "Progress 72%" in parent_page
        assert "Rolled up from its parts" in parent_page
        assert "Its parts 2 RWs audited Joint fact-finding · weight 3 80%" in parent_page
        assert "Part of Households added to DTKS" in part_page
        assert "Baseline 0 Latest 16 Target 20 Unit RWs" in part_page

    def test_draws_the_history_as_a_well_formed_svg_with_a_table_alternative(
        self, client: TestClient, tree: dict[str, Outcome]
    ) -> None:
        html = client.get(f"/outcomes/{tree['audit'].id}").text

        svg = re.search(r"<svg class=\"chart__svg line-chart\".*?</svg>", html, re.S)
        assert svg
        root = ET.fromstring(svg.group(0))
        assert root.find("title") is not None
        assert root.find("title").text == "Measurements of RWs audited over time"  # type: ignore[union-attr]
        circles = root.findall("circle")
        assert [c.find("title").text for c in circles] == [  # type: ignore[union-attr]
            "Sep 10, 2020: 6 RWs",
            "Apr 6, 2021: 16 RWs",
        ]
        assert root.find("path").get("d", "").startswith("M")  # type: ignore[union-attr]
        assert {line.get("class") for line in root.findall("line")} >= {
            "line-chart__baseline",
            "line-chart__target",
        }
        page = text_of(html)
        assert "Sep 10, 2020 6 RWs" in page
        assert "Apr 6, 2021 16 RWs" in page

    def test_the_chart_is_well_formed_in_indonesian_too(
        self, client: TestClient, tree: dict[str, Outcome]
    ) -> None:
        html = client.get(f"/outcomes/{tree['audit'].id}?lang=id").text

        svg = re.search(r"<svg class=\"chart__svg line-chart\".*?</svg>", html, re.S)
        assert svg
        root = ET.fromstring(svg.group(0))
        assert root.find("title").text == "Pengukuran RWs audited dari waktu ke waktu"  # type: ignore[union-attr]
        assert "Tambah pengukuran" in text_of(html)

    def test_shows_the_commitments_and_meetings_behind_it(
        self, client: TestClient, session: Session, case: Collaboration, tree: dict[str, Outcome]
    ) -> None:
        forum = make_forum(session, case, name="Forum Koordinasi")
        meeting = make_meeting(session, forum, title="Forum #2: joint form")
        decision = Decision(meeting_id=meeting.id, text="Audit six pilot RWs.")
        session.add(decision)
        session.flush()
        spri = make_stakeholder(session, name="SPRI")
        dinsos = make_stakeholder(session, name="Dinas Sosial")
        commitment = make_commitment(
            session,
            case,
            spri,
            counterpart_id=dinsos.id,
            description="Audit six pilot RWs with the joint form",
            meeting_id=meeting.id,
            decision_id=decision.id,
            status=CommitmentStatus.IN_PROGRESS,
        )
        session.execute(
            outcome_commitments.insert().values(
                outcome_id=tree["audit"].id, commitment_id=commitment.id
            )
        )
        session.execute(
            outcome_meetings.insert().values(outcome_id=tree["audit"].id, meeting_id=meeting.id)
        )
        session.flush()

        page = text_of(client.get(f"/outcomes/{tree['audit'].id}").text)

        assert "Commitments 1 Audit six pilot RWs with the joint form SPRI → Dinas Sosial" in page
        assert (
            "In progress · made at Forum #2: joint form · carrying out “Audit six pilot RWs.”"
            in page
        )
        assert "Meetings 1 Forum #2: joint form Jun 1, 2020 · Forum Koordinasi · Held" in page

    def test_runs_a_fixed_number_of_queries(
        self,
        client: TestClient,
        session: Session,
        case: Collaboration,
        tree: dict[str, Outcome],
        count_queries: Any,
    ) -> None:
        with count_queries() as few:
            client.get(f"/outcomes/{tree['parent'].id}")
        owner = make_stakeholder(session, name="SPRI")
        for number in range(6):
            part = make_outcome(session, case, parent_id=tree["parent"].id, title=f"Part {number}")
            measure(
                session, part, TODAY, number, evidence=[make_evidence(session, title=f"E{number}")]
            )
            commitment = make_commitment(session, case, owner, description=f"Promise {number}")
            session.execute(
                outcome_commitments.insert().values(
                    outcome_id=tree["parent"].id, commitment_id=commitment.id
                )
            )
        session.flush()
        with count_queries() as many:
            client.get(f"/outcomes/{tree['parent'].id}")

        assert few.selects == many.selects <= 14

    def test_a_deleted_outcome_is_not_found(
        self, client: TestClient, session: Session, case: Collaboration
    ) -> None:
        gone = make_outcome(session, case, deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(f"/outcomes/{gone.id}").status_code == 404


def measurement_form(**overrides: str) -> dict[str, str]:
    values = {
        "measured_on": "2021-05-10",
        "value": "18",
        "note": "Phase 2 finished.",
        "evidence_ids": "",
    }
    return values | overrides


class TestAddMeasurement:
    def test_adding_moves_the_progress_shown_and_confirms_it(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]
        evidence = make_evidence(session, title="Audit dataset")
        before = shown_progress(client.get(f"/outcomes/{tree['parent'].id}").text)
        assert before["RWs audited"] == "80%"

        response = post_form(
            client,
            f"/outcomes/{audit.id}/measurements",
            measurement_form(evidence_ids=str(evidence.id)),
        )

        assert response.headers["location"] == f"/outcomes/{audit.id}"
        assert notice_after(client, response) == "Measurement added. Progress is now 90%."
        page = client.get(f"/outcomes/{audit.id}").text
        assert re.search(r'<div class="progress--large" id="outcome-progress">.*?90%', page, re.S)
        assert 'width="90.0"' in page
        assert "Audit dataset" in text_of(page)
        tree_page = client.get(tree_url_of(audit)).text
        assert shown_progress(tree_page)["RWs audited"] == "90%"
        assert shown_progress(tree_page)["Households added to DTKS"] == "80%"  # (3×90 + 50) / 4
        stored = session.scalars(
            select(Measurement).where(Measurement.outcome_id == audit.id).order_by(Measurement.id)
        ).all()
        assert (stored[-1].value, stored[-1].note) == (18.0, "Phase 2 finished.")

    def test_a_value_in_indonesian_notation_is_understood(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        response = post_form(
            client,
            f"/outcomes/{tree['audit'].id}/measurements?lang=id",
            measurement_form(value="12,5"),
        )

        assert notice_after(client, response) == "Pengukuran ditambahkan. Kemajuan kini 62%."

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"value": ""}, "value", "This field is required."),
            ({"value": "many"}, "value", "Enter a number."),
            ({"value": "1e400"}, "value", "Enter a number."),
            ({"measured_on": ""}, "measured_on", "This field is required."),
            ({"measured_on": "2999-01-01"}, "measured_on", "Must not be in the future"),
            ({"evidence_ids": "999999"}, "evidence_ids", "Evidence 999999 does not exist"),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        tree: dict[str, Outcome],
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        sent = measurement_form(note="Kept note", **overrides)

        response = post_form(client, f"/outcomes/{tree['audit'].id}/measurements", sent)

        assert response.status_code == 400
        assert (field_error(response.text, field) or "").startswith(message)
        assert input_value(response.text, "note") == "Kept note"
        if field != "evidence_ids":
            assert input_value(response.text, field) == sent[field]
        count = session.scalars(
            select(Measurement).where(Measurement.outcome_id == tree["audit"].id)
        ).all()
        assert len(count) == 2


def tree_url_of(outcome: Outcome) -> str:
    return f"/collaborations/{outcome.collaboration_id}/outcomes"


class TestEditAndDeleteMeasurement:
    def test_corrects_a_measurement(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]
        latest = session.scalars(
            select(Measurement)
            .where(Measurement.outcome_id == audit.id)
            .order_by(Measurement.id.desc())
        ).first()
        assert latest is not None
        url = f"/outcomes/{audit.id}/measurements/{latest.id}/edit"
        assert input_value(client.get(url).text, "value") == "16"
        evidence = make_evidence(session, title="Audit dataset")

        response = post_form(
            client,
            url,
            measurement_form(
                value="10", measured_on="2021-04-06", evidence_ids=str(evidence.id), version="1"
            ),
        )

        assert notice_after(client, response) == "Measurement of Apr 6, 2021 saved."
        session.expire_all()
        assert latest.value == 10.0
        last = outcome_service.present(session, [audit])[0].measurements[-1]
        assert (last.id, last.evidence_ids) == (latest.id, [evidence.id])

    def test_a_stale_correction_shows_what_changed(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]
        latest = session.scalars(
            select(Measurement)
            .where(Measurement.outcome_id == audit.id)
            .order_by(Measurement.id.desc())
        ).first()
        assert latest is not None
        outcome_service.update_measurement(
            session,
            measurement=latest,
            data=MeasurementPatch(version=1, value=17),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client,
            f"/outcomes/{audit.id}/measurements/{latest.id}/edit",
            measurement_form(value="10", version="1"),
        )

        assert response.status_code == 409
        assert "“16.0” → “17.0”" in text_of(response.text) or "“16” → “17”" in text_of(
            response.text
        )
        assert input_value(response.text, "value") == "10"

    def test_a_measurement_of_another_outcome_is_not_found(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        other = measure(session, tree["errors"], TODAY, 30)

        assert (
            client.get(f"/outcomes/{tree['audit'].id}/measurements/{other.id}/edit").status_code
            == 404
        )

    def test_delete_moves_the_progress_back_and_undo_restores_it(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]
        latest = session.scalars(
            select(Measurement)
            .where(Measurement.outcome_id == audit.id)
            .order_by(Measurement.id.desc())
        ).first()
        assert latest is not None

        deleted = post_form(client, f"/outcomes/{audit.id}/measurements/{latest.id}/delete", {})

        page = client.get(deleted.headers["location"])
        assert "Measurement of Apr 6, 2021 deleted." in text_of(page.text)
        assert shown_progress(client.get(tree_url_of(audit)).text)["RWs audited"] == "30%"
        undo = f"/outcomes/{audit.id}/measurements/{latest.id}/restore"
        assert f'action="{undo}"' in page.text

        restored = post_form(client, undo, {})

        assert notice_after(client, restored) == "Measurement of Apr 6, 2021 restored."
        assert shown_progress(client.get(tree_url_of(audit)).text)["RWs audited"] == "80%"


def outcome_form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Complaint posts opened",
        "description": "Posts where residents report being left out.",
        "level": "small_win",
        "parent_id": "",
        "weight": "1",
        "unit": "posts",
        "baseline": "0",
        "target": "12",
        "started_on": "2020-06-01",
        "due_on": "2020-12-31",
    }
    return values | overrides


def stored_outcome(session: Session, title: str) -> Outcome | None:
    session.expire_all()
    return session.scalar(select(Outcome).where(Outcome.title == title))


class TestOutcomeForms:
    def test_creates_an_outcome_with_its_links_under_a_parent(
        self, client: TestClient, session: Session, case: Collaboration, tree: dict[str, Outcome]
    ) -> None:
        owner = make_stakeholder(session, name="SPRI")
        first = make_commitment(session, case, owner, description="Open posts")
        second = make_commitment(session, case, owner, description="Staff the posts")
        meeting = make_meeting(session, make_forum(session, case), title="Forum #3")
        new_page = client.get(
            f"/collaborations/{case.id}/outcomes/new?parent_id={tree['parent'].id}"
        ).text
        assert input_value(new_page, "parent_id") == str(tree["parent"].id)

        response = post_form(
            client,
            f"/collaborations/{case.id}/outcomes/new",
            outcome_form(
                parent_id=str(tree["parent"].id),
                commitment_ids=[str(first.id), str(second.id)],
                meeting_ids=str(meeting.id),
            ),
        )

        created = stored_outcome(session, "Complaint posts opened")
        assert created is not None
        assert response.headers["location"] == f"/outcomes/{created.id}"
        assert notice_after(client, response) == "Outcome “Complaint posts opened” created."
        read = outcome_service.present(session, [created])[0]
        assert (read.parent_id, read.commitment_ids, read.meeting_ids, read.unit) == (
            tree["parent"].id,
            [first.id, second.id],
            [meeting.id],
            "posts",
        )

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": " "}, "title", "This field is required."),
            ({"level": ""}, "level", "This field is required."),
            ({"target": ""}, "target", "This field is required."),
            ({"target": "0"}, "target", "Must differ from the baseline, or nothing can move."),
            ({"weight": "0"}, "weight", "Enter more than 0."),
            ({"due_on": "2020-01-01"}, "due_on", "Must not be before Started on (Jun 1, 2020)."),
            ({"commitment_ids": "999999"}, "commitment_ids", "Commitment 999999 does not exist"),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        case: Collaboration,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        sent = outcome_form(**overrides)

        response = post_form(client, f"/collaborations/{case.id}/outcomes/new", sent)

        assert response.status_code == 400
        assert (field_error(response.text, field) or "").startswith(message)
        assert input_value(response.text, "unit") == "posts"
        assert stored_outcome(session, sent["title"]) is None

    def test_the_parent_choice_leaves_out_the_outcome_and_its_parts(
        self, client: TestClient, tree: dict[str, Outcome]
    ) -> None:
        html = client.get(f"/outcomes/{tree['parent'].id}/edit").text

        parents = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', html, re.S)
        assert parents
        assert re.findall(r">([^<]+)</option>", parents.group(1)) == [
            "Nothing: it is a main outcome"
        ]
        part = client.get(f"/outcomes/{tree['audit'].id}/edit").text
        assert input_value(part, "parent_id") == str(tree["parent"].id)
        assert input_value(part, "weight") == "3"
        assert input_value(part, "target") == "20"

    def test_edits_and_relinks(
        self, client: TestClient, session: Session, case: Collaboration, tree: dict[str, Outcome]
    ) -> None:
        owner = make_stakeholder(session, name="SPRI")
        commitment = make_commitment(session, case, owner, description="Audit the RWs")
        audit = tree["audit"]

        response = post_form(
            client,
            f"/outcomes/{audit.id}/edit",
            outcome_form(
                title="RWs audited together",
                level="joint_fact_finding",
                parent_id=str(tree["parent"].id),
                target="26",
                commitment_ids=str(commitment.id),
                version="1",
            ),
        )

        assert notice_after(client, response) == "Outcome “RWs audited together” saved."
        session.expire_all()
        read = outcome_service.present(session, [audit])[0]
        assert (read.title, read.target, read.commitment_ids, read.version) == (
            "RWs audited together",
            26.0,
            [commitment.id],
            2,
        )
        edit_page = client.get(f"/outcomes/{audit.id}/edit").text
        assert f'value="{commitment.id}" checked' in edit_page

    def test_a_stale_edit_shows_what_changed(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]
        outcome_service.update(
            session, record=audit, data=OutcomePatch(version=1, target=25), actor=Actor("ana")
        )
        session.flush()

        response = post_form(
            client,
            f"/outcomes/{audit.id}/edit",
            outcome_form(parent_id=str(tree["parent"].id), target="30", version="1"),
        )

        assert response.status_code == 409
        assert "Changed meanwhile by ana" in text_of(response.text)
        assert input_value(response.text, "target") == "30"
        session.expire_all()
        assert audit.target == 25.0

    def test_delete_offers_undo_and_undo_restores(
        self, client: TestClient, session: Session, tree: dict[str, Outcome]
    ) -> None:
        audit = tree["audit"]

        deleted = post_form(client, f"/outcomes/{audit.id}/delete", {})

        assert deleted.headers["location"] == tree_url_of(audit)
        listing = client.get(tree_url_of(audit))
        assert "Outcome “RWs audited” deleted." in text_of(listing.text)
        assert shown_progress(listing.text)["Households added to DTKS"] == "50%"
        assert client.get(f"/outcomes/{audit.id}").status_code == 404

        restored = post_form(client, f"/outcomes/{audit.id}/restore", {})

        assert notice_after(client, restored) == "Outcome “RWs audited” restored."
        session.expire_all()
        assert audit.deleted_at is None

    def test_the_forms_show_in_indonesian(self, client: TestClient, case: Collaboration) -> None:
        page = text_of(client.get(f"/collaborations/{case.id}/outcomes/new?lang=id").text)

        assert "Hasil baru" in page
        assert "Cara mengukurnya" in page


class TestDemo:
    def test_every_outcome_page_of_the_demo_renders_in_both_languages(
        self, client: TestClient, demo: LoadResult, session: Session
    ) -> None:
        ids = session.scalars(
            select(Outcome.id).where(Outcome.collaboration_id == demo.collaboration_id)
        ).all()
        assert ids
        for language in ("en", "id"):
            assert (
                client.get(
                    f"/collaborations/{demo.collaboration_id}/outcomes?lang={language}"
                ).status_code
                == 200
            )
            for outcome_id in ids:
                response = client.get(f"/outcomes/{outcome_id}?lang={language}")
                assert response.status_code == 200
                assert client.get(f"/outcomes/{outcome_id}/edit?lang={language}").status_code == 200
