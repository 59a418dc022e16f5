"""The commitments board and the dashboard stay one page long on a large case."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.commitments.board import (
    GROUP_LIMIT,
    SETTLED_LIMIT,
    BoardFilter,
    board_rows,
    board_totals,
    grouped,
)
from governance.demo.generate import Sizes, generate
from governance.models import Commitment
from governance.vocab import CommitmentStatus

CASE = Sizes(
    stakeholders=80,
    forums=2,
    meetings=60,
    attendance=600,
    commitments=400,
    trust_events=10,
    outcomes=60,
    relationships=10,
)
ACTIVE = {CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS}


def large_case(session: Session) -> int:
    collaboration_id = generate(session, sizes=CASE, seed=21).collaboration_ids[0]
    session.commit()
    return collaboration_id


class TestBoardLimits:
    def test_shows_the_first_cards_of_each_status_and_counts_them_all(
        self, session: Session
    ) -> None:
        case = large_case(session)
        today = dt.date.today()
        rows = board_rows(session, collaboration_id=case, filters=BoardFilter())
        totals = board_totals(session, collaboration_id=case, filters=BoardFilter(), on=today)
        stored = Counter(
            session.scalars(select(Commitment.status).where(Commitment.collaboration_id == case))
        )
        assert {status: t.count for status, t in totals.items()} == dict(stored)
        shown = Counter(row.status for row in rows)
        for status, count in stored.items():
            limit = GROUP_LIMIT if status in ACTIVE else SETTLED_LIMIT
            assert shown[status] == min(count, limit), status
        groups = {group.status: group for group in grouped(rows, on=today, totals=totals)}
        open_group = groups[CommitmentStatus.OPEN]
        assert open_group.count == stored[CommitmentStatus.OPEN]
        assert open_group.hidden == stored[CommitmentStatus.OPEN] - len(open_group.cards)

    def test_the_shown_cards_are_the_most_urgent(self, session: Session) -> None:
        case = large_case(session)
        rows = board_rows(session, collaboration_id=case, filters=BoardFilter())
        shown_open = [row for row in rows if row.status is CommitmentStatus.OPEN]
        earliest = session.scalars(
            select(Commitment.id)
            .where(
                Commitment.collaboration_id == case,
                Commitment.status == CommitmentStatus.OPEN,
            )
            .order_by(Commitment.due_on.asc().nulls_last(), Commitment.id)
            .limit(GROUP_LIMIT)
        ).all()
        assert [row.id for row in shown_open] == list(earliest)

    def test_the_page_says_how_many_more_there_are(
        self, session: Session, client: TestClient
    ) -> None:
        case = large_case(session)
        page = client.get(f"/collaborations/{case}/commitments")
        assert page.status_code == 200
        assert "more not shown; narrow the board with the filters." in page.text
        cards = page.text.count('id="commitment-')
        assert 2 * GROUP_LIMIT < cards <= 2 * GROUP_LIMIT + 4 * SETTLED_LIMIT


class TestDashboardOutcomes:
    def test_lists_the_first_outcomes_and_links_to_all(
        self, session: Session, client: TestClient
    ) -> None:
        case = large_case(session)
        page = client.get(f"/collaborations/{case}")
        assert page.status_code == 200
        assert "All 60 outcomes" in page.text
        assert page.text.count('class="outcome outcome--depth') == 25
