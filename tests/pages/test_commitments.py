"""The commitments board, a commitment's page, its status change and its forms."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from api import auth
from api.pages import commitments as commitments_page
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.commitments import board as board_module
from governance.commitments import service as commitment_service
from governance.commitments.schemas import CommitmentPatch, StatusChangeCreate
from governance.demo.loader import LoadResult
from governance.models import (
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
)
from governance.outcomes.models import outcome_commitments
from governance.vocab import CommitmentStatus, Sector, UserRole
from tests.conftest import SignedInClient, sign_in
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_outcome,
    make_participation,
    make_stakeholder,
)
from tests.pages.html import field_error, input_value, post_form, text_of

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def board_url(case: Collaboration) -> str:
    return f"/collaborations/{case.id}/commitments"


def group_ids(html: str, status: str) -> list[int]:
    """The ids of the cards in one status group, top to bottom."""
    found = re.search(
        rf'<section class="board__group board__group--{status}".*?</section>', html, re.S
    )
    assert found, f"no {status} group on the board"
    return [int(i) for i in re.findall(r'id="commitment-(\d+)"', found.group(0))]


def group_heading(html: str, status: str) -> str:
    found = re.search(rf'<h2 class="board__title" id="group-{status}">(.*?)</h2>', html, re.S)
    assert found
    return text_of(found.group(1))


def notice_after(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def card(html: str, commitment_id: int) -> str:
    found = re.search(
        rf'<li class="commitment-card[^"]*" id="commitment-{commitment_id}">.*?</li>', html, re.S
    )
    assert found
    return found.group(0)


class Case:
    """A collaboration with two sides, a forum and a meeting."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.collaboration = make_collaboration(session, name="Bansos monitoring")
        self.dinsos = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
        self.spri = make_stakeholder(session, name="SPRI")
        make_participation(session, self.collaboration, self.dinsos)
        make_participation(session, self.collaboration, self.spri)
        self.forum = make_forum(session, self.collaboration, name="Forum Koordinasi")
        self.meeting = make_meeting(session, self.forum, title="Coordination meeting #1")

    def commitment(self, description: str, **fields: Any) -> Commitment:
        owner = fields.pop("owner", self.dinsos)
        fields.setdefault("counterpart_id", self.spri.id if owner is self.dinsos else None)
        fields.setdefault("made_on", days(-60))
        fields.setdefault("due_on", days(30))
        return make_commitment(
            self.session, self.collaboration, owner, description=description, **fields
        )


@pytest.fixture
def case(session: Session) -> Case:
    return Case(session)


class TestBoardRules:
    def test_the_doctests_hold(self) -> None:
        result = doctest.testmod(board_module)

        assert result.attempted >= 4
        assert result.failed == 0

    @pytest.mark.parametrize(
        ("status", "due", "overdue", "soon", "shown_days"),
        [
            (CommitmentStatus.OPEN, -1, True, False, 1),
            (CommitmentStatus.IN_PROGRESS, 0, False, True, 0),
            (CommitmentStatus.OPEN, 14, False, True, 14),
            (CommitmentStatus.OPEN, 15, False, False, 15),
            (CommitmentStatus.FULFILLED, -30, False, False, None),
            (CommitmentStatus.BROKEN, 3, False, False, None),
        ],
    )
    def test_timing_marks_overdue_and_due_soon_only_while_active(
        self,
        status: CommitmentStatus,
        due: int,
        overdue: bool,
        soon: bool,
        shown_days: int | None,
    ) -> None:
        found = board_module.timing(status, days(due), on=TODAY)

        assert (found.overdue, found.due_soon, found.days) == (overdue, soon, shown_days)


class TestBoard:
    def test_groups_by_status_with_counts_and_the_overdue_first(
        self, client: TestClient, case: Case
    ) -> None:
        later = case.commitment("Later", due_on=days(30))
        late = case.commitment("Ten days late", due_on=days(-10))
        later_still = case.commitment("No date", due_on=None)
        latest = case.commitment("Forty days late", due_on=days(-40))
        soon = case.commitment("Soon", due_on=days(5), status=CommitmentStatus.IN_PROGRESS)
        done = case.commitment(
            "Done", due_on=days(-50), status=CommitmentStatus.FULFILLED, fulfilled_on=days(-51)
        )

        response = client.get(board_url(case.collaboration))

        assert response.status_code == 200
        html = response.text
        assert group_ids(html, "open") == [latest.id, late.id, later.id, later_still.id]
        assert group_ids(html, "in_progress") == [soon.id]
        assert group_ids(html, "fulfilled") == [done.id]
        assert group_ids(html, "broken") == []
        assert group_heading(html, "open") == "Open 4 2 overdue"
        assert group_heading(html, "in_progress") == "In progress 1"
        assert "6 commitments · 2 overdue" in text_of(html)

    def test_marks_overdue_and_due_soon_in_words_with_an_icon(
        self, client: TestClient, case: Case
    ) -> None:
        late = case.commitment("Verify the list", due_on=days(-10))
        soon = case.commitment("Share the audit", due_on=days(5))
        far = case.commitment("Publish the report", due_on=days(60))

        html = client.get(board_url(case.collaboration)).text

        late_card, soon_card, far_card = (
            card(html, late.id),
            card(html, soon.id),
            card(html, far.id),
        )
        assert "commitment-card--overdue" in late_card
        assert "10 days late" in text_of(late_card)
        assert '<svg class="flag__icon"' in late_card
        assert "commitment-card--soon" in soon_card
        assert "due in 5 days" in text_of(soon_card)
        assert "due in 60 days" in text_of(far_card)
        assert "flag" not in far_card.split("commitment-card__due")[1].split("</p>")[0]

    def test_each_card_names_both_sides_the_due_date_and_the_meeting(
        self, client: TestClient, case: Case
    ) -> None:
        made = case.commitment(
            "Verify the list", meeting_id=case.meeting.id, due_on=dt.date(2999, 7, 1)
        )

        shown = text_of(card(client.get(board_url(case.collaboration)).text, made.id))

        assert "Verify the list" in shown
        assert "Dinas Sosial →promised to SPRI" in shown
        assert "Due Jul 1, 2999" in shown
        assert "Made at Coordination meeting #1, Jun 1, 2020 · Forum Koordinasi" in shown

    def test_offers_only_the_allowed_next_statuses_and_none_once_settled(
        self, client: TestClient, case: Case
    ) -> None:
        broken = case.commitment("Broken one", status=CommitmentStatus.BROKEN)
        done = case.commitment("Done one", status=CommitmentStatus.FULFILLED)

        html = client.get(board_url(case.collaboration)).text

        buttons = re.findall(r'name="status" value="([a-z_]+)"', card(html, broken.id))
        assert buttons == ["in_progress"]
        assert "Change status" not in card(html, done.id)

    def test_the_status_form_labels_every_input(self, client: TestClient, case: Case) -> None:
        case.commitment("One")
        case.commitment("Two")

        html = client.get(board_url(case.collaboration)).text

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        assert ids
        assert len(ids) == len(set(ids))
        assert set(ids) <= labelled

    def test_escapes_a_script_in_a_description(self, client: TestClient, case: Case) -> None:
        case.commitment("<script>alert('x')</script> Verify")

        html = client.get(board_url(case.collaboration)).text

        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html

    def test_an_empty_board_invites_the_first_commitment(
        self, client: TestClient, case: Case
    ) -> None:
        page = text_of(client.get(board_url(case.collaboration)).text)

        assert "No commitments yet" in page
        assert "New commitment" in page

    def test_a_deleted_collaboration_has_no_board(self, client: TestClient, case: Case) -> None:
        case.collaboration.deleted_at = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        case.session.flush()

        assert client.get(board_url(case.collaboration)).status_code == 404

    def test_shows_the_demo_in_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(f"/collaborations/{demo.collaboration_id}/commitments?lang=id")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Papan komitmen" in page
        assert "Terbuka" in page
        assert "terlambat" in page
        assert "Ubah status" in page

    def test_runs_as_many_queries_for_thirty_commitments_as_for_two(
        self, client: TestClient, case: Case, count_queries: Any
    ) -> None:
        case.commitment("First", meeting_id=case.meeting.id)
        case.commitment("Second", due_on=days(-3))
        with count_queries() as few:
            client.get(board_url(case.collaboration))
        for number in range(28):
            other = make_stakeholder(case.session, name=f"Group {number}")
            case.commitment(
                f"Promise {number}",
                owner=other,
                counterpart_id=case.spri.id,
                meeting_id=case.meeting.id,
                due_on=days(number - 10),
            )
        with count_queries() as many:
            client.get(board_url(case.collaboration))

        # 10: the board's content is kept per data revision, and so are the owner and
        # counterpart choices (which other filters share): each asks for the revision's
        # fingerprint, one query (each request here is cold: the data changed).
        assert few.selects == many.selects <= 10


class TestBoardKeptPerRevision:
    """The board's content is kept per data revision for all who see it alike: each viewer
    still gets their own CSRF token in its forms and what their role may do."""

    @pytest.fixture
    def other_admin(self, app: FastAPI, connection: Connection) -> Iterator[SignedInClient]:
        with SignedInClient(app, raise_server_exceptions=True) as other:
            other.user = sign_in(other, connection, UserRole.ADMIN)
            yield other

    @staticmethod
    def tokens(html: str) -> set[str]:
        return set(re.findall(r'name="csrf_token" value="([0-9a-f]+)"', html))

    def test_each_viewer_gets_their_own_csrf_token_in_the_cards(
        self, client: SignedInClient, other_admin: SignedInClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")
        first = client.get(board_url(case.collaboration)).text
        second = other_admin.get(board_url(case.collaboration)).text

        own, others = client.headers[auth.CSRF_HEADER], other_admin.headers[auth.CSRF_HEADER]
        assert own != others
        assert self.tokens(card(first, commitment.id)) == {own}
        assert self.tokens(card(second, commitment.id)) == {others}
        assert own not in second

        del other_admin.headers[auth.CSRF_HEADER]  # the token in the form alone must do
        response = post_form(
            other_admin, f"/commitments/{commitment.id}/status", status_form(csrf_token=others)
        )
        assert response.status_code == 303

    def test_a_viewer_after_an_admin_gets_no_status_forms(
        self, client: TestClient, app: FastAPI, connection: Connection, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")
        form = f'action="/commitments/{commitment.id}/status"'
        assert form in client.get(board_url(case.collaboration)).text

        with TestClient(app, raise_server_exceptions=True) as viewer:
            sign_in(viewer, connection, UserRole.VIEWER)
            page = viewer.get(board_url(case.collaboration)).text

        assert "Verify the list" in card(page, commitment.id)
        assert form not in page
        assert "New commitment" not in page

    def test_a_second_request_renders_nothing_again(
        self, client: TestClient, case: Case, count_queries: Any
    ) -> None:
        case.commitment("Verify the list")
        with count_queries() as first:
            first_page = client.get(board_url(case.collaboration)).text
        with count_queries() as second:
            second_page = client.get(board_url(case.collaboration)).text

        # Kept: the sign-in, the collaboration and the revision's fingerprint are read.
        assert second.selects <= 3 < first.selects
        assert second_page == first_page

    def test_another_day_renders_afresh(
        self, client: TestClient, case: Case, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        commitment = case.commitment("Verify the list", due_on=days(1))
        assert "late" not in text_of(
            card(client.get(board_url(case.collaboration)).text, commitment.id)
        )

        monkeypatch.setattr(commitment_service, "today", lambda: days(3))

        later = text_of(card(client.get(board_url(case.collaboration)).text, commitment.id))
        assert "2 days late" in later


class TestBoardAtScale:
    """The board bounds its filter choices and each card's evidence list."""

    def test_lists_the_busiest_owners_and_keeps_a_chosen_one(
        self, client: TestClient, case: Case, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(commitments_page, "FILTER_PEOPLE", 1)
        quiet = make_stakeholder(case.session, name="Aardvark Foundation")
        case.commitment("One", owner=quiet)
        case.commitment("Two")
        case.commitment("Three")

        busiest = client.get(board_url(case.collaboration)).text
        chosen = client.get(board_url(case.collaboration) + f"?owner_id={quiet.id}").text

        def owners(html: str) -> list[str]:
            found = re.search(r'<select[^>]*name="owner_id"[^>]*>(.*?)</select>', html, re.S)
            assert found
            return re.findall(r">([^<]+)</option>", found.group(1))

        assert owners(busiest) == ["Anyone", "Dinas Sosial"]
        assert "the 1 stakeholders with the most commitments" in text_of(busiest)
        assert owners(chosen) == ["Anyone", "Aardvark Foundation", "Dinas Sosial"]
        assert input_value(chosen, "owner_id") == str(quiet.id)
        assert "1 commitment match the filters" in text_of(chosen)

    def test_all_choices_show_without_a_hint_when_few(self, client: TestClient, case: Case) -> None:
        case.commitment("One")

        html = client.get(board_url(case.collaboration)).text

        assert "with the most commitments" not in html
        assert "Only the newest evidence" not in html

    def test_cards_offer_the_newest_evidence_and_link_to_the_full_form(
        self, client: TestClient, case: Case, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(commitments_page, "BOARD_EVIDENCE", 1)
        make_evidence(case.session, title="Old letter", date=days(-30))
        make_evidence(case.session, title="New letter", date=days(-1))
        commitment = case.commitment("One")

        html = card(client.get(board_url(case.collaboration)).text, commitment.id)

        assert "New letter" in html
        assert "Old letter" not in html
        assert "Only the newest evidence is listed here." in text_of(html)
        assert f'href="/commitments/{commitment.id}"' in html
        detail = client.get(f"/commitments/{commitment.id}").text
        assert "Old letter" in detail
        assert "New letter" in detail


class TestBoardFilters:
    @pytest.fixture
    def filtered_case(self, case: Case) -> dict[str, Any]:
        other_forum = make_forum(case.session, case.collaboration, name="Working group")
        other_meeting = make_meeting(case.session, other_forum, title="Working group #1")
        kemensos = make_stakeholder(case.session, name="Kemensos", sector=Sector.GOVERNMENT)
        return {
            "from_dinsos": case.commitment("Verify the list", meeting_id=case.meeting.id),
            "from_spri": case.commitment(
                "Share the audit data", owner=case.spri, counterpart_id=case.dinsos.id
            ),
            "from_kemensos": case.commitment(
                "Fund the verification",
                owner=kemensos,
                counterpart_id=case.dinsos.id,
                meeting_id=other_meeting.id,
            ),
            "other_forum": other_forum,
            "kemensos": kemensos,
        }

    def shown(self, client: TestClient, case: Case, **params: str) -> set[str]:
        html = client.get(board_url(case.collaboration), params=params).text
        return set(re.findall(r'<a href="/commitments/\d+">([^<]+)</a>', html))

    def test_by_owner(self, client: TestClient, case: Case, filtered_case: dict[str, Any]) -> None:
        assert self.shown(client, case, owner_id=str(case.spri.id)) == {"Share the audit data"}

    def test_by_counterpart(
        self, client: TestClient, case: Case, filtered_case: dict[str, Any]
    ) -> None:
        assert self.shown(client, case, counterpart_id=str(case.dinsos.id)) == {
            "Share the audit data",
            "Fund the verification",
        }

    def test_by_the_owners_sector(
        self, client: TestClient, case: Case, filtered_case: dict[str, Any]
    ) -> None:
        assert self.shown(client, case, sector="government") == {
            "Verify the list",
            "Fund the verification",
        }

    def test_by_the_forum_it_was_made_at(
        self, client: TestClient, case: Case, filtered_case: dict[str, Any]
    ) -> None:
        forum = filtered_case["other_forum"]

        assert self.shown(client, case, forum_id=str(forum.id)) == {"Fund the verification"}

    @pytest.mark.parametrize(
        ("q", "expected"),
        [("AUDIT", {"Share the audit data"}), ("kemensos", {"Fund the verification"})],
    )
    def test_by_text_in_the_description_or_a_name(
        self,
        client: TestClient,
        case: Case,
        filtered_case: dict[str, Any],
        q: str,
        expected: set[str],
    ) -> None:
        assert self.shown(client, case, q=q) == expected

    def test_filters_combine_and_count_what_matches(
        self, client: TestClient, case: Case, filtered_case: dict[str, Any]
    ) -> None:
        response = client.get(
            board_url(case.collaboration),
            params={"sector": "government", "counterpart_id": str(case.dinsos.id)},
        )

        assert "1 commitment match the filters" in text_of(response.text)
        assert input_value(response.text, "sector") == "government"
        assert input_value(response.text, "counterpart_id") == str(case.dinsos.id)

    def test_the_filter_choices_list_the_people_involved_and_the_forums(
        self, client: TestClient, case: Case, filtered_case: dict[str, Any]
    ) -> None:
        html = client.get(board_url(case.collaboration)).text

        owners = re.search(r'<select[^>]*name="owner_id"[^>]*>(.*?)</select>', html, re.S)
        forums = re.search(r'<select[^>]*name="forum_id"[^>]*>(.*?)</select>', html, re.S)
        assert owners
        assert forums
        assert re.findall(r">([^<]+)</option>", owners.group(1)) == [
            "Anyone",
            "Dinas Sosial",
            "Kemensos",
            "SPRI",
        ]
        assert re.findall(r">([^<]+)</option>", forums.group(1)) == [
            "All forums",
            "Forum Koordinasi",
            "Working group",
        ]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"sector": "royalty"}, "sector"),
            ({"owner_id": "abc"}, "owner_id"),
            ({"forum_id": "0"}, "forum_id"),
            ({"q": "x" * 201}, "q"),
        ],
    )
    def test_a_bad_filter_is_named_and_the_rest_still_shows(
        self,
        client: TestClient,
        case: Case,
        filtered_case: dict[str, Any],
        params: dict[str, str],
        field: str,
    ) -> None:
        response = client.get(board_url(case.collaboration), params=params)

        assert response.status_code == 400
        assert field_error(response.text, field)
        assert "Verify the list" in text_of(response.text)


def status_form(**overrides: str) -> dict[str, str]:
    values = {
        "status": "in_progress",
        "changed_on": TODAY.isoformat(),
        "note": "Data officers assigned.",
        "evidence_ids": "",
        "version": "1",
        "return_to": "board",
        "return_query": "",
    }
    return values | overrides


class TestStatusChange:
    def test_two_clicks_move_it_keep_the_step_log_it_and_confirm(
        self, client: SignedInClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")
        evidence = make_evidence(case.session, title="Letter from Dinas Sosial")
        board = client.get(board_url(case.collaboration)).text
        assert f'action="/commitments/{commitment.id}/status"' in card(board, commitment.id)

        response = post_form(
            client,
            f"/commitments/{commitment.id}/status",
            status_form(evidence_ids=str(evidence.id)),
        )

        assert response.headers["location"] == board_url(case.collaboration)
        assert notice_after(client, response) == "“Verify the list” is now In progress."
        case.session.expire_all()
        assert commitment.status is CommitmentStatus.IN_PROGRESS
        steps = case.session.scalars(
            select(CommitmentStatusChange)
            .where(CommitmentStatusChange.commitment_id == commitment.id)
            .order_by(CommitmentStatusChange.id)
        ).all()
        assert [(s.from_status, s.to_status) for s in steps] == [
            (None, CommitmentStatus.OPEN),
            (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS),
        ]
        assert (steps[1].changed_on, steps[1].note) == (TODAY, "Data officers assigned.")
        entry = case.session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "commitment",
                AuditEntry.record_id == commitment.id,
                AuditEntry.action == "status_change",
            )
        ).one()
        assert (entry.actor, entry.user_id) == (client.user.name, client.user.id)
        assert entry.changes["status"] == ["open", "in_progress"]
        assert entry.changes["history"][1]["evidence_ids"] == [evidence.id]
        moved = client.get(board_url(case.collaboration)).text
        assert group_ids(moved, "open") == []
        assert group_ids(moved, "in_progress") == [commitment.id]

    def test_fulfilled_sets_the_fulfilment_date(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list")

        post_form(
            client,
            f"/commitments/{commitment.id}/status",
            status_form(status="fulfilled", changed_on=days(-2).isoformat()),
        )

        case.session.expire_all()
        assert (commitment.status, commitment.fulfilled_on) == (
            CommitmentStatus.FULFILLED,
            days(-2),
        )

    def test_returns_to_the_board_with_its_filters(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list")
        query = f"owner_id={case.dinsos.id}&q=verify&evil=1"

        response = post_form(
            client, f"/commitments/{commitment.id}/status", status_form(return_query=query)
        )

        assert response.headers["location"] == (
            f"{board_url(case.collaboration)}?owner_id={case.dinsos.id}&q=verify"
        )

    def test_from_its_page_returns_to_its_page(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list")

        response = post_form(
            client, f"/commitments/{commitment.id}/status", status_form(return_to="detail")
        )

        assert response.headers["location"] == f"/commitments/{commitment.id}"
        page = client.get(response.headers["location"]).text
        assert "Open →to In progress" in text_of(page)

    def test_a_date_before_it_was_made_is_refused_beside_the_field_with_the_input_kept(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list", made_on=dt.date(2020, 5, 19))

        response = post_form(
            client,
            f"/commitments/{commitment.id}/status",
            status_form(changed_on="2020-05-01", note="Typed note", return_query="q=verify"),
        )

        assert response.status_code == 400
        html = response.text
        prefix = f"c{commitment.id}."
        assert (
            field_error(html, prefix + "changed_on") == "Must not be before Made on (May 19, 2020)."
        )
        shown = card(html, commitment.id)
        assert '<details class="status-change" open>' in shown
        assert input_value(shown, "changed_on") == "2020-05-01"
        assert input_value(shown, "note") == "Typed note"
        assert "You chose “In progress”." in text_of(shown)
        assert "The status was not changed" in text_of(html)
        assert input_value(html, "q") == "verify"
        case.session.expire_all()
        assert commitment.status is CommitmentStatus.OPEN

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"changed_on": ""}, "changed_on", "This field is required."),
            ({"changed_on": "31/12/2020"}, "changed_on", "Enter a date (YYYY-MM-DD)."),
            ({"changed_on": "2999-01-01"}, "changed_on", "Must not be in the future"),
            (
                {"status": "open"},
                "status",
                "This status cannot follow the current one; choose one of the buttons.",
            ),
            ({"status": "forgotten"}, "status", "Choose one of the options."),
            ({"status": ""}, "status", "Choose the new status with its button."),
            ({"evidence_ids": "999999"}, "evidence_ids", "Evidence 999999 does not exist"),
            ({"note": "bad\x00"}, "note", "Remove the invisible control characters"),
        ],
    )
    def test_bad_input_is_refused_on_its_page_beside_its_field(
        self,
        client: TestClient,
        case: Case,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        commitment = case.commitment("Verify the list")

        response = post_form(
            client,
            f"/commitments/{commitment.id}/status",
            status_form(return_to="detail", **overrides),
        )

        assert response.status_code == 400
        assert (field_error(response.text, field) or "").startswith(message)
        assert "<h1" in response.text
        assert "Verify the list" in response.text
        case.session.expire_all()
        assert commitment.status is CommitmentStatus.OPEN

    def test_a_date_before_the_last_change_is_refused_in_indonesian_too(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list", made_on=dt.date(2020, 5, 1))
        commitment_service.change_status(
            case.session,
            record=commitment,
            data=StatusChangeCreate(
                status=CommitmentStatus.IN_PROGRESS, changed_on=dt.date(2020, 6, 1)
            ),
            actor=Actor("ana"),
        )
        case.session.flush()

        response = post_form(
            client,
            f"/commitments/{commitment.id}/status?lang=id",
            status_form(status="fulfilled", changed_on="2020-05-15", version="2", return_to="x"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "changed_on") == (
            "Tidak boleh sebelum perubahan status terakhir (1 Jun 2020)."
        )

    def test_a_change_made_meanwhile_is_refused_with_the_new_status(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")
        commitment_service.change_status(
            case.session,
            record=commitment,
            data=StatusChangeCreate(status=CommitmentStatus.IN_PROGRESS, changed_on=TODAY),
            actor=Actor("ana"),
        )
        case.session.flush()

        response = post_form(
            client,
            f"/commitments/{commitment.id}/status",
            status_form(status="broken", version="1"),
        )

        assert response.status_code == 409
        assert "Someone changed this commitment meanwhile: it is now “In progress”." in text_of(
            response.text
        )
        case.session.expire_all()
        assert commitment.status is CommitmentStatus.IN_PROGRESS

    def test_an_unknown_commitment_is_not_found(self, client: TestClient) -> None:
        assert post_form(client, "/commitments/999999/status", status_form()).status_code == 404


class TestDetail:
    def test_shows_the_meeting_decision_history_with_evidence_and_the_outcomes_it_feeds(
        self, client: TestClient, case: Case
    ) -> None:
        decision = Decision(meeting_id=case.meeting.id, text="Verify every listed household.")
        case.session.add(decision)
        case.session.flush()
        commitment = case.commitment(
            "Verify the list", meeting_id=case.meeting.id, decision_id=decision.id
        )
        evidence = make_evidence(case.session, title="Dinas Sosial's reply letter")
        commitment_service.change_status(
            case.session,
            record=commitment,
            data=StatusChangeCreate(
                status=CommitmentStatus.FULFILLED,
                changed_on=days(-1),
                note="All replies sent.",
                evidence_ids=[evidence.id],
            ),
            actor=Actor("ana"),
        )
        outcome = make_outcome(case.session, case.collaboration, title="Households added")
        case.session.execute(
            outcome_commitments.insert().values(outcome_id=outcome.id, commitment_id=commitment.id)
        )
        case.session.flush()

        response = client.get(f"/commitments/{commitment.id}")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "Owner Dinas Sosial Counterpart SPRI" in page
        assert "Made at Coordination meeting #1, Jun 1, 2020 Forum Koordinasi" in page
        assert "Carries out the decision Verify every listed household." in page
        assert "Recorded as Open" in page
        assert "Open →to Fulfilled All replies sent. Dinas Sosial's reply letter" in page
        assert "Outcomes it feeds Households added" in page
        assert "Settled: this status is final." in page

    def test_offers_the_status_change_form_open(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list")

        html = client.get(f"/commitments/{commitment.id}").text

        assert input_value(html, "changed_on") == TODAY.isoformat()
        assert 'value="detail"' in html
        assert re.findall(r'name="status" value="([a-z_]+)"', html) == [
            "in_progress",
            "fulfilled",
            "partly_fulfilled",
            "broken",
            "withdrawn",
        ]

    def test_shows_in_indonesian(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list", due_on=days(-3))

        page = text_of(client.get(f"/commitments/{commitment.id}?lang=id").text)

        assert "Riwayat" in page
        assert "terlambat 3 hari" in page
        assert "Pihak yang berjanji" in page

    def test_escapes_a_script(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("<script>alert(1)</script>")

        html = client.get(f"/commitments/{commitment.id}").text

        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_a_deleted_commitment_is_not_found(self, client: TestClient, case: Case) -> None:
        gone = case.commitment("Gone", deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(f"/commitments/{gone.id}").status_code == 404

    def test_runs_a_fixed_number_of_queries(
        self, client: TestClient, case: Case, count_queries: Any
    ) -> None:
        small = case.commitment("Small")
        with count_queries() as few:
            client.get(f"/commitments/{small.id}")
        big = case.commitment("Big", made_on=dt.date(2020, 1, 1))
        for step, status in enumerate(
            [CommitmentStatus.IN_PROGRESS, CommitmentStatus.BROKEN, CommitmentStatus.IN_PROGRESS]
        ):
            evidence = make_evidence(case.session, title=f"Evidence {step}")
            commitment_service.change_status(
                case.session,
                record=big,
                data=StatusChangeCreate(
                    status=status,
                    changed_on=dt.date(2020, 2, 1 + step),
                    evidence_ids=[evidence.id],
                ),
                actor=Actor("ana"),
            )
        case.session.flush()
        with count_queries() as many:
            client.get(f"/commitments/{big.id}")

        assert few.selects == many.selects <= 10


def commitment_form(case: Case, **overrides: str) -> dict[str, str]:
    values = {
        "description": "Share the audit data",
        "owner_id": str(case.spri.id),
        "counterpart_id": str(case.dinsos.id),
        "made_on": "2020-06-16",
        "due_on": "2020-08-31",
        "meeting_id": str(case.meeting.id),
        "decision_id": "",
    }
    return values | overrides


def stored(session: Session, description: str) -> Commitment | None:
    session.expire_all()
    return session.scalar(select(Commitment).where(Commitment.description == description))


class TestCreate:
    def new_url(self, case: Case) -> str:
        return f"/collaborations/{case.collaboration.id}/commitments/new"

    def test_the_form_lists_participants_first_and_labels_every_input(
        self, client: TestClient, case: Case
    ) -> None:
        make_stakeholder(case.session, name="Aardvark Foundation")

        html = client.get(self.new_url(case)).text

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
        assert set(ids) <= set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        owners = re.search(r'<select[^>]*name="owner_id"[^>]*>(.*?)</select>', html, re.S)
        assert owners
        assert re.findall(r">([^<]+)</option>", owners.group(1)) == [
            "Choose…",
            "Dinas Sosial",
            "SPRI",
            "Aardvark Foundation · not in this collaboration yet",
        ]
        assert input_value(html, "made_on") == TODAY.isoformat()

    def test_valid_input_records_it_open_and_confirms(self, client: TestClient, case: Case) -> None:
        response = post_form(client, self.new_url(case), commitment_form(case))

        created = stored(case.session, "Share the audit data")
        assert created is not None
        assert response.headers["location"] == f"/commitments/{created.id}"
        assert (created.status, created.owner_id, created.meeting_id) == (
            CommitmentStatus.OPEN,
            case.spri.id,
            case.meeting.id,
        )
        assert notice_after(client, response) == "Commitment “Share the audit data” recorded."

    def test_a_decision_alone_brings_its_meeting(self, client: TestClient, case: Case) -> None:
        decision = Decision(meeting_id=case.meeting.id, text="Audit six RWs.")
        case.session.add(decision)
        case.session.flush()

        post_form(
            client,
            self.new_url(case),
            commitment_form(case, meeting_id="", decision_id=str(decision.id)),
        )

        created = stored(case.session, "Share the audit data")
        assert created is not None
        assert (created.meeting_id, created.decision_id) == (case.meeting.id, decision.id)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"description": "  "}, "description", "This field is required."),
            ({"owner_id": ""}, "owner_id", "This field is required."),
            (
                {"owner_id": "999999"},
                "owner_id",
                "Stakeholder 999999 does not exist.",
            ),
            ({"made_on": "yesterday"}, "made_on", "Enter a date (YYYY-MM-DD)."),
            ({"due_on": "2020-01-01"}, "due_on", "Must not be before Made on (Jun 16, 2020)."),
            (
                {"counterpart_id": "OWNER"},
                "counterpart_id",
                "Must differ from the owner: nobody makes a promise to itself.",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        case: Case,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        if overrides.get("counterpart_id") == "OWNER":
            overrides = {"counterpart_id": str(case.spri.id)}
        sent = commitment_form(case, **overrides)

        response = post_form(client, self.new_url(case), sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        assert input_value(response.text, "due_on") == sent["due_on"]
        assert stored(case.session, sent["description"]) is None

    def test_a_decision_of_another_meeting_is_refused_in_words(
        self, client: TestClient, case: Case
    ) -> None:
        elsewhere = make_meeting(case.session, case.forum, title="Another meeting")
        decision = Decision(meeting_id=elsewhere.id, text="Something else.")
        case.session.add(decision)
        case.session.flush()

        response = post_form(
            client, self.new_url(case), commitment_form(case, decision_id=str(decision.id))
        )

        assert response.status_code == 400
        assert field_error(response.text, "decision_id") == (
            "Choose a decision taken at the chosen meeting, or leave it empty."
        )

    def test_the_form_shows_in_indonesian(self, client: TestClient, case: Case) -> None:
        page = text_of(client.get(self.new_url(case) + "?lang=id").text)

        assert "Komitmen baru" in page
        assert "Apa yang dijanjikan" in page


class TestEditAndDelete:
    def test_saves_and_confirms(self, client: TestClient, case: Case) -> None:
        commitment = case.commitment("Verify the list")
        shown = client.get(f"/commitments/{commitment.id}/edit").text
        assert input_value(shown, "description") == "Verify the list"
        assert input_value(shown, "owner_id") == str(case.dinsos.id)

        response = post_form(
            client,
            f"/commitments/{commitment.id}/edit",
            commitment_form(case, description="Verify every list", version="1"),
        )

        assert notice_after(client, response) == "Commitment “Verify every list” saved."
        case.session.expire_all()
        assert (commitment.description, commitment.owner_id, commitment.version) == (
            "Verify every list",
            case.spri.id,
            2,
        )

    def test_a_stale_edit_shows_what_changed_and_keeps_the_input(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")
        commitment_service.update(
            case.session,
            record=commitment,
            data=CommitmentPatch(version=1, description="Verify the list (by a colleague)"),
            actor=Actor("ana"),
        )
        case.session.flush()

        response = post_form(
            client,
            f"/commitments/{commitment.id}/edit",
            commitment_form(case, description="Mine", version="1"),
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Changed meanwhile by ana" in page
        assert "“Verify the list” → “Verify the list (by a colleague)”" in page
        assert input_value(response.text, "description") == "Mine"
        case.session.expire_all()
        assert commitment.description == "Verify the list (by a colleague)"

    def test_moving_made_on_past_a_status_change_is_refused_in_words(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list", made_on=dt.date(2020, 6, 1))
        commitment_service.change_status(
            case.session,
            record=commitment,
            data=StatusChangeCreate(
                status=CommitmentStatus.IN_PROGRESS, changed_on=dt.date(2020, 6, 10)
            ),
            actor=Actor("ana"),
        )
        case.session.flush()

        response = post_form(
            client,
            f"/commitments/{commitment.id}/edit",
            commitment_form(case, made_on="2020-06-20", due_on="", version="2"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "made_on") == (
            "Must not be after the first status change (Jun 10, 2020)."
        )

    def test_delete_offers_undo_on_the_board_and_undo_restores(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")

        deleted = post_form(client, f"/commitments/{commitment.id}/delete", {})

        assert deleted.headers["location"] == board_url(case.collaboration)
        board = client.get(board_url(case.collaboration))
        assert "Commitment “Verify the list” deleted." in text_of(board.text)
        assert f'action="/commitments/{commitment.id}/restore"' in board.text
        assert client.get(f"/commitments/{commitment.id}").status_code == 404

        restored = post_form(client, f"/commitments/{commitment.id}/restore", {})

        assert notice_after(client, restored) == "Commitment “Verify the list” restored."
        case.session.expire_all()
        assert commitment.deleted_at is None


class TestNavigation:
    def test_the_collaboration_links_to_its_board(self, client: TestClient, case: Case) -> None:
        html = client.get(f"/collaborations/{case.collaboration.id}").text

        assert f'href="/collaborations/{case.collaboration.id}/commitments"' in html

    def test_the_stakeholder_page_links_to_the_commitment(
        self, client: TestClient, case: Case
    ) -> None:
        commitment = case.commitment("Verify the list")

        html = client.get(f"/stakeholders/{case.dinsos.id}").text

        assert f'href="/commitments/{commitment.id}"' in html


class TestDemo:
    def test_every_commitment_page_of_the_demo_renders_in_both_languages(
        self, client: TestClient, demo: LoadResult, session: Session
    ) -> None:
        ids = session.scalars(
            select(Commitment.id).where(Commitment.collaboration_id == demo.collaboration_id)
        ).all()
        assert ids
        board = f"/collaborations/{demo.collaboration_id}/commitments"
        for language in ("en", "id"):
            assert client.get(f"{board}?lang={language}").status_code == 200
            assert client.get(f"{board}/new?lang={language}").status_code == 200
            for commitment_id in ids:
                assert (
                    client.get(f"/commitments/{commitment_id}?lang={language}").status_code == 200
                )
                edit = client.get(f"/commitments/{commitment_id}/edit?lang={language}")
                assert edit.status_code == 200
