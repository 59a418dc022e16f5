"""Reading a collaboration into plain rows: what is in, what is left out, at what cost."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from governance.base import utcnow
from governance.cases.snapshot import load_case
from governance.demo.loader import load_demo
from governance.vocab import CommitmentStatus, Sector
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
