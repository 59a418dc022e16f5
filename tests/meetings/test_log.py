"""The meeting log service: a whole meeting saved in one go, or nothing at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.errors import Conflict, Invalid
from governance.meetings import log as log_service
from governance.meetings.log import MeetingLog
from governance.models import (
    Attendance,
    Collaboration,
    Commitment,
    Decision,
    Forum,
    Meeting,
    Participation,
    Stakeholder,
    TrustEvent,
)
from governance.vocab import (
    AttendanceRole,
    CommitmentStatus,
    MeetingStatus,
    ParticipationRole,
    Sector,
    StakeholderKind,
)
from tests.factories import (
    make_collaboration,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)

ACTOR = Actor("secretariat")
JAKARTA = dt.timezone(dt.timedelta(hours=7))


@dataclass
class Case:
    collaboration: Collaboration
    forum: Forum
    spri: Stakeholder
    dinsos: Stakeholder
    lbh: Stakeholder


@pytest.fixture
def case(session: Session) -> Case:
    collaboration = make_collaboration(session)
    forum = make_forum(session, collaboration, name="Forum Koordinasi")
    spri = make_stakeholder(session, name="SPRI")
    dinsos = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
    lbh = make_stakeholder(session, name="LBH Jakarta")
    for stakeholder in (spri, dinsos, lbh):
        make_participation(session, collaboration, stakeholder)
    return Case(collaboration, forum, spri, dinsos, lbh)


def entry(case: Case, **overrides: Any) -> MeetingLog:
    """A log of a held meeting on 1 March 2021, 06:00 in Jakarta (28 Feb, 23:00 UTC)."""
    values: dict[str, Any] = {
        "forum_id": case.forum.id,
        "title": "Coordination meeting #3",
        "starts_at": dt.datetime(2021, 3, 1, 6, 0, tzinfo=JAKARTA),
        "ends_at": dt.datetime(2021, 3, 1, 8, 0, tzinfo=JAKARTA),
        "location": "Balai Kota",
        "minutes": "**Agreed** on the audit.",
        "attendance": [
            {"stakeholder_id": case.spri.id, "role": "chair", "represented_by": "Wahyu"},
            {"stakeholder_id": case.dinsos.id},
            {"stakeholder_id": case.lbh.id, "attended": False},
        ],
        "newcomers": [{"name": "Warga RW 07", "kind": "group", "sector": "community"}],
        "decisions": [
            {"text": "Verify the audit list", "kind": "ordinary"},
            {"text": "Adopt the problem statement", "kind": "shared_statement"},
        ],
        "commitments": [
            {
                "owner_id": case.dinsos.id,
                "counterpart_id": case.spri.id,
                "description": "Verify 500 households",
                "due_on": dt.date(2021, 4, 1),
            },
            {"owner_newcomer": 0, "description": "Bring the RW list", "due_on": None},
        ],
        "trust_events": [
            {
                "actor_id": case.dinsos.id,
                "target_newcomer": 0,
                "kind": "recognition",
                "trust_form": "affinitive",
                "valence": "positive",
                "severity": 2,
                "description": "Thanked the residents",
            }
        ],
    }
    return MeetingLog.model_validate(values | overrides)


def counts(session: Session) -> dict[str, int]:
    session.expire_all()
    models = (
        Meeting,
        Attendance,
        Decision,
        Commitment,
        TrustEvent,
        Stakeholder,
        Participation,
        AuditEntry,
    )
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in models
    }


class TestLog:
    def test_saves_the_meeting_with_everything_recorded_at_it(
        self, session: Session, case: Case
    ) -> None:
        logged = log_service.log(
            session, collaboration_id=case.collaboration.id, data=entry(case), actor=ACTOR
        )

        meeting = logged.meeting
        assert (meeting.title, meeting.status) == ("Coordination meeting #3", MeetingStatus.HELD)
        assert meeting.starts_at == dt.datetime(2021, 2, 28, 23, 0, tzinfo=dt.UTC)
        assert meeting.collaboration_id == case.collaboration.id
        newcomer = logged.newcomers[0]
        assert (newcomer.name, newcomer.kind, newcomer.sector) == (
            "Warga RW 07",
            StakeholderKind.GROUP,
            Sector.COMMUNITY,
        )
        seats = {row.stakeholder_id: row for row in meeting.attendance}
        assert set(seats) == {case.spri.id, case.dinsos.id, case.lbh.id, newcomer.id}
        assert (seats[case.spri.id].role, seats[case.spri.id].represented_by) == (
            AttendanceRole.CHAIR,
            "Wahyu",
        )
        assert not seats[case.lbh.id].attended
        assert seats[newcomer.id].attended
        assert logged.attended == 3
        joined = session.scalars(
            select(Participation).where(Participation.stakeholder_id == newcomer.id)
        ).one()
        assert (joined.collaboration_id, joined.role, joined.joined_on) == (
            case.collaboration.id,
            ParticipationRole.PARTICIPANT,
            dt.date(2021, 3, 1),
        )
        assert [d.text for d in logged.decisions] == [
            "Verify the audit list",
            "Adopt the problem statement",
        ]
        first, second = logged.commitments
        assert (first.meeting_id, first.owner_id, first.counterpart_id) == (
            meeting.id,
            case.dinsos.id,
            case.spri.id,
        )
        # Made on the meeting's local day, not its UTC date.
        assert (first.made_on, first.status) == (dt.date(2021, 3, 1), CommitmentStatus.OPEN)
        assert (second.owner_id, second.due_on) == (newcomer.id, None)
        (event,) = logged.trust_events
        assert (event.meeting_id, event.target_id, event.occurred_on, event.severity) == (
            meeting.id,
            newcomer.id,
            dt.date(2021, 3, 1),
            2,
        )

    def test_every_write_is_in_the_audit_log(self, session: Session, case: Case) -> None:
        before = counts(session)["AuditEntry"]

        log_service.log(
            session, collaboration_id=case.collaboration.id, data=entry(case), actor=ACTOR
        )

        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(before)).all()
        created = sorted((e.record_type, e.action) for e in entries)
        assert created == sorted(
            [
                ("stakeholder", "create"),
                ("participation", "create"),
                ("meeting", "create"),
                ("decision", "create"),
                ("decision", "create"),
                ("commitment", "create"),
                ("commitment", "create"),
                ("trust_event", "create"),
            ]
        )
        assert {e.actor for e in entries} == {"secretariat"}

    def test_schedules_a_planned_meeting_with_its_invitations(
        self, session: Session, case: Case
    ) -> None:
        planned = entry(
            case,
            status="planned",
            starts_at=dt.datetime(2099, 1, 5, 9, 0, tzinfo=JAKARTA),
            ends_at=None,
            attendance=[{"stakeholder_id": case.spri.id, "attended": False}],
            newcomers=[],
            decisions=[],
            commitments=[],
            trust_events=[],
        )

        logged = log_service.log(
            session, collaboration_id=case.collaboration.id, data=planned, actor=ACTOR
        )

        assert logged.meeting.status is MeetingStatus.PLANNED
        assert [(r.invited, r.attended) for r in logged.meeting.attendance] == [(True, False)]

    def test_a_refusal_writes_nothing_and_reports_every_problem(
        self, session: Session, case: Case
    ) -> None:
        before = counts(session)
        bad = entry(
            case,
            attendance=[{"stakeholder_id": 999_999}, {"stakeholder_id": case.spri.id}],
            commitments=[
                {"owner_id": case.spri.id, "description": "Fine"},
                {
                    "owner_id": case.dinsos.id,
                    "description": "Too early",
                    "due_on": dt.date(2021, 2, 1),
                },
            ],
            trust_events=[
                {
                    "actor_id": case.spri.id,
                    "target_id": case.spri.id,
                    "kind": "apology",
                    "trust_form": "affinitive",
                    "valence": "positive",
                }
            ],
        )

        with pytest.raises(Invalid) as refused:
            log_service.log(session, collaboration_id=case.collaboration.id, data=bad, actor=ACTOR)

        assert set(refused.value.errors) == {
            "attendance[0].stakeholder_id",
            "commitments[1].due_on",
            "trust_events[0].target_id",
        }
        assert refused.value.errors["commitments[1].due_on"] == (
            "must not be before made_on (2021-03-01)"
        )
        assert counts(session) == before

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                lambda case: {
                    "attendance": [{"stakeholder_id": case.spri.id, "attended": False}],
                    "newcomers": [],
                },
                "attendance",
                log_service.NO_ATTENDEE,
            ),
            (
                lambda case: {
                    "starts_at": dt.datetime(2099, 1, 1, 9, tzinfo=JAKARTA),
                    "ends_at": None,
                },
                "starts_at",
                log_service.IN_THE_FUTURE,
            ),
            (
                lambda case: {"commitments": [{"description": "Whose?"}]},
                "commitments[0].owner_id",
                log_service.REQUIRED,
            ),
            (
                lambda case: {"commitments": [{"owner_newcomer": 5, "description": "Who?"}]},
                "commitments[0].owner_id",
                "newcomer 5 is not in the list of newcomers",
            ),
            (
                lambda case: {
                    "trust_events": [
                        {
                            "actor_id": case.spri.id,
                            "actor_newcomer": 0,
                            "kind": "apology",
                            "trust_form": "rational",
                            "valence": "positive",
                        }
                    ]
                },
                "trust_events[0].actor_id",
                log_service.NOT_BOTH,
            ),
            (
                lambda case: {
                    "status": "planned",
                    "starts_at": dt.datetime(2099, 1, 1, tzinfo=JAKARTA),
                    "ends_at": None,
                },
                "decisions[1].text",
                log_service.NOT_YET,
            ),
        ],
        ids=["no attendee", "future", "no owner", "no such newcomer", "both", "planned"],
    )
    def test_the_logs_own_rules(
        self,
        session: Session,
        case: Case,
        overrides: Callable[[Case], dict[str, Any]],
        field: str,
        message: str,
    ) -> None:
        before = counts(session)

        with pytest.raises(Invalid) as refused:
            log_service.log(
                session,
                collaboration_id=case.collaboration.id,
                data=entry(case, **overrides(case)),
                actor=ACTOR,
            )

        assert refused.value.errors[field] == message
        assert counts(session) == before

    def test_check_finds_the_problems_and_writes_nothing(
        self, session: Session, case: Case
    ) -> None:
        before = counts(session)
        fine, bad = entry(case), entry(case, commitments=[{"description": "Whose?"}])

        assert (
            log_service.check(
                session, collaboration_id=case.collaboration.id, data=fine, actor=ACTOR
            )
            == {}
        )
        assert log_service.check(
            session, collaboration_id=case.collaboration.id, data=bad, actor=ACTOR
        ) == {"commitments[0].owner_id": log_service.REQUIRED}
        assert counts(session) == before

    def test_refuses_a_forum_of_another_collaboration(self, session: Session, case: Case) -> None:
        elsewhere = make_forum(session, make_collaboration(session, name="Other case"))

        with pytest.raises(Invalid) as refused:
            log_service.log(
                session,
                collaboration_id=case.collaboration.id,
                data=entry(case, forum_id=elsewhere.id),
                actor=ACTOR,
            )

        message = f"forum {elsewhere.id} belongs to another collaboration"
        assert refused.value.errors["forum_id"] == message
        assert session.scalar(select(func.count()).select_from(Meeting)) == 0


class TestComplete:
    @pytest.fixture
    def planned(self, session: Session, case: Case) -> Meeting:
        meeting = make_meeting(
            session,
            case.forum,
            title="Planned meeting",
            status=MeetingStatus.PLANNED,
            starts_at=dt.datetime(2021, 2, 28, 23, 0, tzinfo=dt.UTC),
        )
        session.add(Attendance(meeting_id=meeting.id, stakeholder_id=case.lbh.id, attended=False))
        session.flush()
        return meeting

    def test_logs_a_planned_meeting_as_held(
        self, session: Session, case: Case, planned: Meeting
    ) -> None:
        logged = log_service.complete(
            session, meeting=planned, data=entry(case), version=1, actor=ACTOR
        )

        session.expire_all()
        assert logged.meeting.id == planned.id
        assert (planned.status, planned.title, planned.version) == (
            MeetingStatus.HELD,
            "Coordination meeting #3",
            2,
        )
        assert logged.attended == 3
        assert len(logged.decisions) == 2
        assert {c.meeting_id for c in logged.commitments} == {planned.id}
        assert {e.meeting_id for e in logged.trust_events} == {planned.id}

    def test_a_stale_version_is_refused(
        self, session: Session, case: Case, planned: Meeting
    ) -> None:
        with pytest.raises(Conflict):
            log_service.complete(session, meeting=planned, data=entry(case), version=7, actor=ACTOR)

        assert planned.status is MeetingStatus.PLANNED

    def test_only_a_planned_meeting_can_be_completed(self, session: Session, case: Case) -> None:
        held = make_meeting(session, case.forum)

        with pytest.raises(Invalid) as refused:
            log_service.complete(session, meeting=held, data=entry(case), version=1, actor=ACTOR)

        assert refused.value.errors == {
            "status": f"meeting {held.id} is held: only a planned meeting can be completed"
        }

    def test_a_refusal_leaves_the_planned_meeting_as_it_was(
        self, session: Session, case: Case, planned: Meeting
    ) -> None:
        before = counts(session)
        bad = entry(case, commitments=[{"owner_id": 999_999, "description": "Nobody"}])

        with pytest.raises(Invalid) as refused:
            log_service.complete(session, meeting=planned, data=bad, version=1, actor=ACTOR)

        assert set(refused.value.errors) == {"commitments[0].owner_id"}
        assert counts(session) == before
        assert (planned.status, planned.title, planned.version) == (
            MeetingStatus.PLANNED,
            "Planned meeting",
            1,
        )
