"""The publication rules, read straight from the queries behind the public pages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from api.pages.public import by_status, split_meetings
from governance.commitments import service as commitment_service
from governance.demo.loader import LoadResult
from governance.errors import NotFound
from governance.public import queries
from governance.public.schemas import PublicCommitment, PublicMeetingSummary
from governance.vocab import CommitmentStatus, MeetingMode, MeetingStatus, StakeholderKind
from tests.public.conftest import PublishedCase

TODAY = dt.date(2020, 7, 11)


@pytest.fixture
def on_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(commitment_service, "today", lambda: TODAY)
    return TODAY


class TestPublishedForums:
    def test_lists_only_live_public_forums_of_live_collaborations(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        page = queries.published_forums(session, limit=50, offset=0)
        assert [(f.id, f.name, f.collaboration) for f in page.items] == [
            (published_case.forum_id, "Forum Koordinasi Terbuka", "Bansos transparency")
        ]
        assert page.total == 1
        summary = page.items[0]
        assert summary.held_meetings == 2  # the deleted meeting does not count
        assert summary.last_meeting_at == dt.datetime(2020, 7, 1, 3, tzinfo=dt.UTC)
        assert summary.next_meeting_at is not None

    def test_the_demo_publishes_its_coordination_forum_only(
        self, session: Session, demo: LoadResult
    ) -> None:
        page = queries.published_forums(session, limit=50, offset=0)
        assert [f.name for f in page.items] == ["Forum Koordinasi Bansos DKI"]
        assert page.items[0].held_meetings == 12
        assert queries.any_published(session)

    def test_none_published(self, session: Session) -> None:
        assert queries.published_forums(session, limit=50, offset=0).total == 0
        assert not queries.any_published(session)


class TestUnpublishedIsNotFound:
    @pytest.mark.parametrize(
        "which", ["private_forum_id", "deleted_forum_id", "deleted_case_forum_id"]
    )
    def test_forum(self, session: Session, published_case: PublishedCase, which: str) -> None:
        forum_id = getattr(published_case, which)
        with pytest.raises(NotFound) as refused:
            queries.forum(session, forum_id)
        with pytest.raises(NotFound) as missing:
            queries.forum(session, 999_999)
        # The same words as a forum that never existed: nothing says it is there.
        assert str(refused.value) == f"Forum {forum_id} not found"
        assert str(missing.value) == "Forum 999999 not found"

    @pytest.mark.parametrize(
        "which",
        [
            "private_meeting_id",
            "deleted_meeting_id",
            "deleted_forum_meeting_id",
            "deleted_case_meeting_id",
        ],
    )
    def test_meeting(self, session: Session, published_case: PublishedCase, which: str) -> None:
        meeting_id = getattr(published_case, which)
        with pytest.raises(NotFound) as refused:
            queries.meeting(session, meeting_id)
        assert str(refused.value) == f"Meeting {meeting_id} not found"


class TestForum:
    def test_design_and_people(self, session: Session, published_case: PublishedCase) -> None:
        forum = queries.forum(session, published_case.forum_id)
        assert (forum.convener, forum.facilitator) == ("Dinas Sosial DKI", "SPRI DKI Jakarta")
        assert forum.purpose == "Agree how missing households are found and added."
        assert forum.established_on == dt.date(2020, 5, 19)

    def test_meetings_newest_first_without_the_deleted(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        forum = queries.forum(session, published_case.forum_id)
        c = published_case
        assert [m.id for m in forum.meetings] == [
            c.planned_id,
            c.cancelled_id,
            c.draft_id,
            c.held_id,
        ]
        assert forum.meetings_total == 4
        held = forum.meetings[-1]
        assert (held.attended_count, held.decision_count, held.minutes_published) == (4, 1, True)
        assert held.mode == MeetingMode.HYBRID
        draft = forum.meetings[2]
        assert draft.minutes_published is False

    def test_commitments_made_at_its_held_meetings(
        self, session: Session, published_case: PublishedCase, on_today: dt.date
    ) -> None:
        forum = queries.forum(session, published_case.forum_id)
        found = {c.description: c for c in forum.commitments}
        assert sorted(found) == [
            "Print leaflets",
            "Share the complaint list",
            "Verify the coalition's list of unserved households",
        ]
        assert forum.commitments_total == 3
        late = found["Verify the coalition's list of unserved households"]
        assert (late.owner, late.counterpart, late.overdue, late.days_late) == (
            "Dinas Sosial DKI",
            "SPRI DKI Jakarta",
            True,
            10,
        )
        kept = found["Share the complaint list"]
        assert [(s.status, s.changed_on) for s in kept.history] == [
            (CommitmentStatus.OPEN, dt.date(2020, 6, 1)),
            (CommitmentStatus.FULFILLED, dt.date(2020, 6, 9)),
        ]
        assert (kept.overdue, kept.fulfilled_on) == (False, dt.date(2020, 6, 9))
        # A deleted stakeholder is not named.
        assert found["Print leaflets"].owner is None

    def test_outcome_progress_of_linked_outcomes(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        forum = queries.forum(session, published_case.forum_id)
        shown = {o.title: (o.level.value, o.progress, o.last_measured_on) for o in forum.outcomes}
        assert shown == {
            # The parent, linked to a commitment: (25 + 75) / 2; dated by its latest part.
            "Households reached": ("outcome", 50.0, dt.date(2020, 9, 1)),
            # Linked to the held meeting: 250 of 1000.
            "Lists verified": ("small_win", 25.0, dt.date(2020, 7, 1)),
        }


class TestMeeting:
    def test_held_meeting_with_published_minutes(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        meeting = queries.meeting(session, published_case.held_id)
        assert meeting.minutes_published
        assert meeting.minutes_circulated_on == dt.date(2020, 6, 5)
        assert "<strong>Agreed</strong>" in meeting.minutes_html
        assert "<script" not in meeting.minutes_html
        assert "&lt;script&gt;" in meeting.minutes_html
        assert [d.text for d in meeting.decisions] == ["Verify the list by July."]
        assert meeting.decisions[0].rationale == "Urgent."
        # Four attended (a person and a deleted organisation among them); one stayed away.
        assert meeting.attended_count == 4
        assert meeting.attending_organisations == ["Dinas Sosial DKI", "SPRI DKI Jakarta"]
        assert len(meeting.commitments) == 3

    def test_draft_minutes_stay_private(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        meeting = queries.meeting(session, published_case.draft_id)
        assert meeting.status == MeetingStatus.HELD
        assert (meeting.minutes_published, meeting.minutes_html) == (False, "")
        assert meeting.minutes_circulated_on is None

    def test_planned_meeting_shows_its_agenda(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        meeting = queries.meeting(session, published_case.planned_id)
        assert meeting.agenda == "1. Planned agenda item"
        assert (meeting.decisions, meeting.commitments, meeting.attended_count) == ([], [], 0)

    def test_cancelled_meeting_shows_only_that(
        self, session: Session, published_case: PublishedCase
    ) -> None:
        meeting = queries.meeting(session, published_case.cancelled_id)
        assert (meeting.status, meeting.agenda, meeting.minutes_html) == (
            MeetingStatus.CANCELLED,
            "",
            "",
        )


class TestRules:
    @pytest.mark.parametrize(
        ("status", "circulated", "published"),
        [
            (MeetingStatus.HELD, dt.date(2020, 6, 5), True),
            (MeetingStatus.HELD, None, False),
            (MeetingStatus.PLANNED, dt.date(2020, 6, 5), False),
            (MeetingStatus.CANCELLED, dt.date(2020, 6, 5), False),
        ],
    )
    def test_minutes_published(
        self, status: MeetingStatus, circulated: dt.date | None, published: bool
    ) -> None:
        assert queries.minutes_published(status, circulated) is published

    def test_people_are_counted_not_named(self) -> None:
        now = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        rows = [
            (StakeholderKind.ORGANISATION, "spri", None),
            (StakeholderKind.PERSON, "Ibu Siti", None),
            (StakeholderKind.COALITION, "Koalisi", None),
            (StakeholderKind.GROUP, "RW 05", None),
            (StakeholderKind.ORGANISATION, "Gone", now),
        ]
        assert queries.named_organisations(rows) == ["Koalisi", "RW 05", "spri"]


def commitment(status: CommitmentStatus, due: dt.date | None, late: int | None) -> PublicCommitment:
    return PublicCommitment(
        description=f"{status.value} {due}",
        owner="A",
        counterpart=None,
        meeting_id=1,
        meeting_title="M",
        made_on=dt.date(2020, 1, 1),
        due_on=due,
        status=status,
        fulfilled_on=None,
        overdue=late is not None,
        days_late=late,
        history=[],
    )


class TestGrouping:
    def test_groups_in_status_order_overdue_first(self) -> None:
        items = [
            commitment(CommitmentStatus.FULFILLED, dt.date(2020, 2, 1), None),
            commitment(CommitmentStatus.OPEN, None, None),
            commitment(CommitmentStatus.OPEN, dt.date(2020, 5, 1), None),
            commitment(CommitmentStatus.OPEN, dt.date(2020, 3, 1), 5),
            commitment(CommitmentStatus.OPEN, dt.date(2020, 2, 1), 40),
        ]
        groups = by_status(items)
        assert [g.status for g in groups] == [CommitmentStatus.OPEN, CommitmentStatus.FULFILLED]
        assert [c.due_on for c in groups[0].commitments] == [
            dt.date(2020, 2, 1),
            dt.date(2020, 3, 1),
            dt.date(2020, 5, 1),
            None,
        ]
        assert groups[0].overdue == 2

    def test_planned_meetings_apart_soonest_first(self) -> None:
        def meeting(i: int, status: MeetingStatus, day: int) -> PublicMeetingSummary:
            return PublicMeetingSummary(
                id=i,
                title=str(i),
                starts_at=dt.datetime(2030, 1, day, tzinfo=dt.UTC),
                ends_at=None,
                mode=MeetingMode.ONLINE,
                location="",
                status=status,
                attended_count=0,
                decision_count=0,
                minutes_published=False,
            )

        planned, past = split_meetings(
            [
                meeting(1, MeetingStatus.PLANNED, 20),
                meeting(2, MeetingStatus.PLANNED, 10),
                meeting(3, MeetingStatus.HELD, 5),
                meeting(4, MeetingStatus.CANCELLED, 1),
            ]
        )
        assert ([m.id for m in planned], [m.id for m in past]) == ([2, 1], [3, 4])
