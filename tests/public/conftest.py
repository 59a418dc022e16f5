"""Fixtures of the public pages' tests: a case with published and unpublished records.

:func:`published_case` builds one collaboration whose public forum holds every kind of
record the public pages must show, beside the records they must never show: a private
forum, a deleted forum, a forum of a deleted collaboration, a deleted meeting, an
unpublished draft, trust events, contact details, evidence and measurement notes. Each
secret carries a marker word, so a test can look for it in any page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Connection, event, insert
from sqlalchemy.orm import Session

from governance.base import utcnow
from governance.demo.loader import LoadResult, load_demo
from governance.evidence.models import evidence_links
from governance.meetings.models import Attendance, Decision
from governance.models import CommitmentStatusChange, Measurement, Participation, TrustEvent
from governance.outcomes.models import outcome_commitments, outcome_meetings
from governance.vocab import (
    CommitmentStatus,
    MeetingMode,
    MeetingStatus,
    OutcomeLevel,
    ParticipationRole,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_evidence,
    make_forum,
    make_meeting,
    make_outcome,
    make_stakeholder,
)

UTC = dt.UTC
#: Text that may never appear on a public page or in the public API.
SECRETS = (
    "dinsos-secret@example.org",
    "+62-811-SECRET",
    "Ibu Siti Rahayu",
    "Pak Rep Secret",
    "Gone Organisation",
    "SECRET-TRUST-TEXT",
    "SECRET-EVIDENCE-QUOTE",
    "SECRET-MEASUREMENT-NOTE",
    "SECRET-HISTORY-NOTE",
    "Secret Working Group",
    "PRIVATE-MINUTES",
    "PRIVATE-COMMITMENT",
    "Deleted Public Forum",
    "Forum Of A Deleted Case",
    "DELETED-MEETING-TITLE",
    "DELETED-DECISION",
    "DELETED-COMMITMENT",
    "DRAFT-MINUTES",
    "Private Outcome",
    "Deleted Outcome",
    "SECRET-INCENTIVE",
)


@dataclass
class PublishedCase:
    """Ids of the records :func:`published_case` made."""

    collaboration_id: int
    forum_id: int
    held_id: int
    draft_id: int
    planned_id: int
    cancelled_id: int
    deleted_meeting_id: int
    private_forum_id: int
    private_meeting_id: int
    deleted_forum_id: int
    deleted_forum_meeting_id: int
    deleted_case_forum_id: int
    deleted_case_meeting_id: int
    extra: dict[str, int] = field(default_factory=dict)


def build_published_case(session: Session) -> PublishedCase:
    """One collaboration with a public forum, and every kind of record to keep private."""
    case = make_collaboration(session, name="Bansos transparency")
    dinsos = make_stakeholder(
        session,
        name="Dinas Sosial DKI",
        sector=Sector.GOVERNMENT,
        contact={"email": "dinsos-secret@example.org", "phone": "+62-811-SECRET"},
    )
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    resident = make_stakeholder(
        session, name="Ibu Siti Rahayu", kind=StakeholderKind.PERSON, sector=Sector.COMMUNITY
    )
    gone = make_stakeholder(session, name="Gone Organisation", deleted_at=utcnow())
    absent = make_stakeholder(session, name="Absent Network")
    session.add(
        Participation(
            collaboration_id=case.id,
            stakeholder_id=spri.id,
            role=ParticipationRole.PARTICIPANT,
            incentives="SECRET-INCENTIVE",
        )
    )

    forum = make_forum(
        session,
        case,
        name="Forum Koordinasi Terbuka",
        purpose="Agree how missing households are found and added.",
        public=True,
        convener_id=dinsos.id,
        facilitator_id=spri.id,
        established_on=dt.date(2020, 5, 19),
    )
    held = make_meeting(
        session,
        forum,
        title="Koordinasi #1",
        location="Kantor Dinas Sosial",
        mode=MeetingMode.HYBRID,
        minutes="## Summary\n\n**Agreed** to verify the list. <script>alert('x')</script>",
        minutes_circulated_on=dt.date(2020, 6, 5),
        agenda="1. The coalition's list",
    )
    for person, attended in ((dinsos, True), (spri, True), (resident, True), (gone, True)):
        session.add(
            Attendance(
                meeting_id=held.id,
                stakeholder_id=person.id,
                attended=attended,
                represented_by="Pak Rep Secret",
            )
        )
    session.add(Attendance(meeting_id=held.id, stakeholder_id=absent.id, attended=False))
    session.add(Decision(meeting_id=held.id, text="Verify the list by July.", rationale="Urgent."))
    session.add(Decision(meeting_id=held.id, text="DELETED-DECISION", deleted_at=utcnow()))
    overdue = make_commitment(
        session,
        case,
        dinsos,
        counterpart_id=spri.id,
        meeting_id=held.id,
        description="Verify the coalition's list of unserved households",
        due_on=dt.date(2020, 7, 1),
    )
    kept = make_commitment(
        session,
        case,
        spri,
        counterpart_id=dinsos.id,
        meeting_id=held.id,
        description="Share the complaint list",
        due_on=dt.date(2020, 6, 10),
        status=CommitmentStatus.FULFILLED,
        fulfilled_on=dt.date(2020, 6, 9),
    )
    session.add(
        CommitmentStatusChange(
            commitment_id=kept.id,
            from_status=CommitmentStatus.OPEN,
            to_status=CommitmentStatus.FULFILLED,
            changed_on=dt.date(2020, 6, 9),
            note="SECRET-HISTORY-NOTE",
        )
    )
    by_gone = make_commitment(
        session, case, gone, meeting_id=held.id, description="Print leaflets", due_on=None
    )
    make_commitment(
        session,
        case,
        dinsos,
        meeting_id=held.id,
        description="DELETED-COMMITMENT",
        deleted_at=utcnow(),
    )
    session.add(
        TrustEvent(
            collaboration_id=case.id,
            meeting_id=held.id,
            occurred_on=dt.date(2020, 6, 1),
            actor_id=dinsos.id,
            kind=TrustEventKind.RECOGNITION,
            trust_form=TrustForm.AFFINITIVE,
            valence=Valence.POSITIVE,
            description="SECRET-TRUST-TEXT",
        )
    )
    draft = make_meeting(
        session,
        forum,
        title="Koordinasi #2",
        starts_at=dt.datetime(2020, 7, 1, 3, tzinfo=UTC),
        minutes="DRAFT-MINUTES being typed",
    )
    planned = make_meeting(
        session,
        forum,
        title="Koordinasi #3",
        starts_at=utcnow() + dt.timedelta(days=30),
        status=MeetingStatus.PLANNED,
        agenda="1. Planned agenda item",
    )
    cancelled = make_meeting(
        session,
        forum,
        title="Koordinasi batal",
        starts_at=dt.datetime(2020, 8, 1, 3, tzinfo=UTC),
        status=MeetingStatus.CANCELLED,
    )
    deleted_meeting = make_meeting(
        session, forum, title="DELETED-MEETING-TITLE", deleted_at=utcnow()
    )

    private = make_forum(session, case, name="Secret Working Group", public=False)
    private_meeting = make_meeting(
        session,
        private,
        title="Secret Working Group #1",
        minutes="PRIVATE-MINUTES",
        minutes_circulated_on=dt.date(2020, 6, 2),
    )
    private_commitment = make_commitment(
        session, case, spri, meeting_id=private_meeting.id, description="PRIVATE-COMMITMENT"
    )
    deleted_forum = make_forum(
        session, case, name="Deleted Public Forum", public=True, deleted_at=utcnow()
    )
    deleted_forum_meeting = make_meeting(session, deleted_forum, title="Deleted Public Forum #1")
    gone_case = make_collaboration(session, name="Deleted case", deleted_at=utcnow())
    gone_case_forum = make_forum(session, gone_case, name="Forum Of A Deleted Case", public=True)
    gone_case_meeting = make_meeting(session, gone_case_forum, title="Forum Of A Deleted Case #1")

    # Outcomes: A (linked to the held meeting) 25 %; parent P (linked to a commitment made
    # there) rolls up A and B (75 %) to 50 %; others are linked elsewhere or deleted.
    parent = make_outcome(session, case, title="Households reached", level=OutcomeLevel.OUTCOME)
    part_a = make_outcome(
        session, case, title="Lists verified", level=OutcomeLevel.SMALL_WIN, parent_id=parent.id
    )
    part_b = make_outcome(
        session, case, title="Households added", level=OutcomeLevel.SMALL_WIN, parent_id=parent.id
    )
    private_outcome = make_outcome(session, case, title="Private Outcome")
    deleted_outcome = make_outcome(session, case, title="Deleted Outcome", deleted_at=utcnow())
    first = Measurement(
        outcome_id=part_a.id,
        measured_on=dt.date(2020, 7, 1),
        value=250.0,
        note="SECRET-MEASUREMENT-NOTE",
    )
    session.add_all(
        [
            first,
            Measurement(outcome_id=part_b.id, measured_on=dt.date(2020, 9, 1), value=750.0),
            Measurement(
                outcome_id=part_b.id,
                measured_on=dt.date(2020, 10, 1),
                value=999.0,
                deleted_at=utcnow(),
            ),
        ]
    )
    session.flush()
    quote = make_evidence(session, excerpt="SECRET-EVIDENCE-QUOTE", collaboration_id=case.id)
    session.execute(insert(evidence_links).values(evidence_id=quote.id, measurement_id=first.id))
    session.execute(
        insert(outcome_meetings),
        [
            {"outcome_id": part_a.id, "meeting_id": held.id},
            {"outcome_id": private_outcome.id, "meeting_id": private_meeting.id},
            {"outcome_id": deleted_outcome.id, "meeting_id": held.id},
        ],
    )
    session.execute(
        insert(outcome_commitments),
        [
            {"outcome_id": parent.id, "commitment_id": overdue.id},
            {"outcome_id": private_outcome.id, "commitment_id": private_commitment.id},
        ],
    )
    session.flush()
    return PublishedCase(
        collaboration_id=case.id,
        forum_id=forum.id,
        held_id=held.id,
        draft_id=draft.id,
        planned_id=planned.id,
        cancelled_id=cancelled.id,
        deleted_meeting_id=deleted_meeting.id,
        private_forum_id=private.id,
        private_meeting_id=private_meeting.id,
        deleted_forum_id=deleted_forum.id,
        deleted_forum_meeting_id=deleted_forum_meeting.id,
        deleted_case_forum_id=gone_case_forum.id,
        deleted_case_meeting_id=gone_case_meeting.id,
        extra={"overdue": overdue.id, "kept": kept.id, "by_gone": by_gone.id},
    )


@pytest.fixture
def published_case(session: Session) -> PublishedCase:
    case = build_published_case(session)
    session.commit()
    return case


@pytest.fixture
def demo(session: Session) -> LoadResult:
    """The Jakarta demo case, inside the test's transaction."""
    result = load_demo(session)
    session.commit()
    return result


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)


#: ``with count_queries() as log:`` records the statements run inside the block.
Counting = Callable[[], AbstractContextManager[QueryLog]]


@pytest.fixture
def count_queries(connection: Connection) -> Counting:
    """A context manager that records the statements run in its block."""

    @contextmanager
    def counting() -> Iterator[QueryLog]:
        log = QueryLog()

        def record(*args: Any) -> None:
            statement = str(args[2]).lstrip().upper()
            if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                log.statements.append(str(args[2]))

        event.listen(connection, "before_cursor_execute", record)
        try:
            yield log
        finally:
            event.remove(connection, "before_cursor_execute", record)

    return counting
