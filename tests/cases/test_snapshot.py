"""Reading a collaboration into plain rows: what is in, what is left out, at what cost."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from governance.base import utcnow
from governance.cases.snapshot import AttendanceRow, CaseData, load_case
from governance.demo.loader import load_demo
from governance.models import Attendance, CommitmentStatusChange
from governance.vocab import AttendanceRole, CommitmentStatus, Sector
from tests.factories import (
    make_collaboration,
    make_commitment,
    make_forum,
    make_meeting,
    make_stakeholder,
)


@contextmanager
def counted(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind().engine

    def count(*args: object) -> None:
        statement = str(args[2])
        if not statement.startswith(("SAVEPOINT", "RELEASE", "BEGIN")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


class TestLoadCase:
    def test_reads_the_demo_case(self, session: Session) -> None:
        result = load_demo(session)

        assert result.collaboration_id is not None

        case = load_case(session, result.collaboration_id)

        assert case.name == "Perbaikan Bansos DKI Jakarta (2020–2022)"
        assert len(case.meetings) == 21
        assert len(case.commitments) == 22
        assert [c.status for c in case.commitments].count(CommitmentStatus.BROKEN) == 1
        assert {s.sector for s in case.stakeholders.values()} >= {
            Sector.GOVERNMENT,
            Sector.CIVIL_SOCIETY,
            Sector.COMMUNITY,
        }
        assert all(m.starts_at <= n.starts_at for m, n in itertools.pairwise(case.meetings))

    def test_leaves_out_deleted_records(self, session: Session) -> None:
        case_record = make_collaboration(session)
        forum = make_forum(session, case_record)
        owner = make_stakeholder(session)
        make_meeting(session, forum)
        gone = make_meeting(session, forum, title="Deleted")
        kept = make_commitment(session, case_record, owner)
        dropped = make_commitment(session, case_record, owner)
        gone.deleted_at = dropped.deleted_at = utcnow()
        session.flush()

        case = load_case(session, case_record.id)

        assert [m.title for m in case.meetings] == ["Coordination meeting"]
        assert [c.id for c in case.commitments] == [kept.id]
        assert [step.to_status for step in case.commitments[0].history] == [CommitmentStatus.OPEN]

    def test_reads_a_history_by_day_then_in_the_order_recorded(self, session: Session) -> None:
        case_record = make_collaboration(session)
        promise = make_commitment(session, case_record, make_stakeholder(session))
        # Recorded out of date order: a correction entered after a later change.
        for status, day in [
            (CommitmentStatus.FULFILLED, dt.date(2020, 8, 1)),
            (CommitmentStatus.IN_PROGRESS, dt.date(2020, 6, 15)),
            (CommitmentStatus.BROKEN, dt.date(2020, 6, 15)),
        ]:
            session.add(
                CommitmentStatusChange(
                    commitment_id=promise.id, from_status=None, to_status=status, changed_on=day
                )
            )
        session.flush()

        case = load_case(session, case_record.id)

        assert [(step.to_status, step.changed_on) for step in case.commitments[0].history] == [
            (CommitmentStatus.OPEN, dt.date(2020, 6, 1)),
            (CommitmentStatus.IN_PROGRESS, dt.date(2020, 6, 15)),
            (CommitmentStatus.BROKEN, dt.date(2020, 6, 15)),
            (CommitmentStatus.FULFILLED, dt.date(2020, 8, 1)),
        ]

    def test_runs_the_same_number_of_queries_whatever_the_size(self, session: Session) -> None:
        small = make_collaboration(session, name="Small")
        owner = make_stakeholder(session)
        make_commitment(session, small, owner)
        big = load_demo(session).collaboration_id
        assert big is not None
        session.commit()
        session.expire_all()  # nothing pending, nothing cached: both reads start cold

        with counted(session) as few:
            load_case(session, small.id)
        with counted(session) as many:
            load_case(session, big)

        assert len(few) == len(many)


class TestAttendance:
    """Attendance is read packed, one row per meeting, and reads as its rows."""

    def test_reads_every_row_in_the_order_recorded_and_who_attended(self, session: Session) -> None:
        case_record = make_collaboration(session)
        meeting = make_meeting(session, make_forum(session, case_record))
        first, second, third = (make_stakeholder(session, name=n) for n in ("A", "B", "C"))
        # Recorded out of the order of the stakeholders' ids.
        for stakeholder, invited, attended, role in [
            (third, True, True, AttendanceRole.CHAIR),
            (first, True, False, AttendanceRole.PARTICIPANT),
            (second, False, True, AttendanceRole.OBSERVER),
        ]:
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    stakeholder_id=stakeholder.id,
                    invited=invited,
                    attended=attended,
                    role=role,
                )
            )
        session.flush()

        (read,) = load_case(session, case_record.id).meetings

        assert read.attendance == (
            AttendanceRow(third.id, True, True, AttendanceRole.CHAIR),
            AttendanceRow(first.id, True, False, AttendanceRole.PARTICIPANT),
            AttendanceRow(second.id, False, True, AttendanceRole.OBSERVER),
        )
        assert read.attendees == {third.id, second.id}

    def test_leaves_out_deleted_stakeholders_and_keeps_the_others(self, session: Session) -> None:
        case_record = make_collaboration(session)
        forum = make_forum(session, case_record)
        held, empty = make_meeting(session, forum), make_meeting(session, forum, title="Empty")
        stays, goes = (
            make_stakeholder(session, name="Stays"),
            make_stakeholder(session, name="Goes"),
        )
        for stakeholder in (stays, goes):
            session.add(Attendance(meeting_id=held.id, stakeholder_id=stakeholder.id))
        session.add(Attendance(meeting_id=empty.id, stakeholder_id=goes.id))
        goes.deleted_at = utcnow()
        session.flush()

        case = load_case(session, case_record.id)

        by_title = {m.title: m for m in case.meetings}
        assert [row.stakeholder_id for row in by_title["Coordination meeting"].attendance] == [
            stays.id
        ]
        assert by_title["Empty"].attendance == ()
        assert by_title["Empty"].attendees == frozenset()
        assert stays.id in case.stakeholders
        assert goes.id not in case.stakeholders


class TestCycleCollector:
    def test_runs_again_after_reading(self, session: Session) -> None:
        case_record = make_collaboration(session)

        load_case(session, case_record.id)

        assert gc.isenabled()

    def test_stays_paused_when_it_was_paused(self, session: Session) -> None:
        case_record = make_collaboration(session)
        gc.disable()
        try:
            load_case(session, case_record.id)
            assert not gc.isenabled()
        finally:
            gc.enable()


class TestDerived:
    def test_is_worked_out_once_per_case(self, session: Session) -> None:
        case = load_case(session, make_collaboration(session).id)
        calls: list[CaseData] = []

        def count_meetings(of: CaseData) -> int:
            calls.append(of)
            return len(of.meetings)

        assert case.derived(count_meetings) == case.derived(count_meetings) == 0
        assert calls == [case]

    def test_is_not_carried_into_a_changed_copy(self, session: Session) -> None:
        case = load_case(session, make_collaboration(session, name="Original").id)

        def name_of(of: CaseData) -> str:
            return of.name

        assert case.derived(name_of) == "Original"
        changed = dataclasses.replace(case, name="Changed")

        assert changed.derived(name_of) == "Changed"
        assert case.derived(name_of) == "Original"
