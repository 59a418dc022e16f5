"""The public pages and API read a fixed number of statements, whatever the data's size.

The same routes are read on a generated case and on one with three times the records
per forum (meetings, attendance, commitments, outcomes); every forum of each case is
published for the test. The larger case may not cost a single statement more.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import desc, func, select, update
from sqlalchemy.orm import Session

from governance.demo.generate import Sizes, generate
from governance.models import Attendance, Commitment, Forum, Meeting
from governance.vocab import MeetingStatus
from tests.public.conftest import Counting

SMALL = Sizes(
    stakeholders=40,
    forums=2,
    meetings=12,
    attendance=120,
    commitments=20,
    trust_events=10,
    outcomes=8,
    relationships=20,
)
LARGE = Sizes(
    stakeholders=120,
    forums=2,
    meetings=36,
    attendance=1_080,
    commitments=60,
    trust_events=30,
    outcomes=24,
    relationships=60,
)
#: The most statements any public route may run (the forum page's count, with room).
MOST = 10


def published_case(session: Session, sizes: Sizes, seed: int) -> tuple[int, int]:
    """Generate a case, publish its forums; the busiest forum and its busiest held meeting."""
    case = generate(session, sizes=sizes, seed=seed).collaboration_ids[0]
    session.execute(update(Forum).where(Forum.collaboration_id == case).values(public=True))
    session.commit()
    forum_id = session.scalar(
        select(Meeting.forum_id)
        .join(Commitment, Commitment.meeting_id == Meeting.id)
        .where(Meeting.collaboration_id == case)
        .group_by(Meeting.forum_id)
        .order_by(desc(func.count()), Meeting.forum_id)
        .limit(1)
    )
    # The held meeting with most commitments, then most attendees: every query runs.
    meeting_id = session.scalar(
        select(Meeting.id)
        .where(Meeting.forum_id == forum_id, Meeting.status == MeetingStatus.HELD)
        .order_by(
            desc(select(func.count()).where(Commitment.meeting_id == Meeting.id).scalar_subquery()),
            desc(select(func.count()).where(Attendance.meeting_id == Meeting.id).scalar_subquery()),
            Meeting.id,
        )
        .limit(1)
    )
    assert forum_id is not None
    assert meeting_id is not None
    return forum_id, meeting_id


def urls(forum_id: int, meeting_id: int) -> list[str]:
    return [
        "/public",
        f"/public/forums/{forum_id}",
        f"/public/meetings/{meeting_id}",
        "/api/v1/public/forums",
        f"/api/v1/public/forums/{forum_id}",
        f"/api/v1/public/meetings/{meeting_id}",
    ]


def test_no_public_route_reads_more_on_a_larger_case(
    anonymous_client: TestClient, session: Session, count_queries: Counting
) -> None:
    def measure(forum_id: int, meeting_id: int) -> list[int]:
        counts = []
        for url in urls(forum_id, meeting_id):
            with count_queries() as log:
                response = anonymous_client.get(url)
            assert response.status_code == 200, url
            counts.append(len(log.statements))
        return counts

    small = published_case(session, SMALL, seed=21)
    measure(*small)  # warm-up: one-time work per process
    before = measure(*small)
    large = published_case(session, LARGE, seed=22)
    after = measure(*large)

    assert after == before
    assert max(after) <= MOST, dict(zip(urls(*large), after, strict=True))


def test_the_forum_page_shows_what_it_counts(
    anonymous_client: TestClient, session: Session
) -> None:
    forum_id, _ = published_case(session, SMALL, seed=23)
    body = anonymous_client.get(f"/api/v1/public/forums/{forum_id}").json()
    made_there = session.scalar(
        select(func.count())
        .select_from(Commitment)
        .join(Meeting, Meeting.id == Commitment.meeting_id)
        .where(
            Meeting.forum_id == forum_id,
            Meeting.status == MeetingStatus.HELD,
            Meeting.deleted_at.is_(None),
            Commitment.deleted_at.is_(None),
        )
    )
    assert body["commitments_total"] == made_there
    assert len(body["commitments"]) == made_there
    assert made_there > 0
