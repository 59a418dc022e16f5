"""What every record shares: here, checking references to other records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import utcnow
from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.commitments.schemas import CommitmentCreate
from governance.models import Collaboration, Stakeholder
from governance.vocab import CommitmentStatus, Sector, StakeholderKind
from tests.factories import make_collaboration, make_stakeholder

TOO_LARGE = 2**40


@contextmanager
def counted_statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements ``session`` runs inside the block."""
    statements: list[str] = []
    connection = session.connection()

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


class TestReferenceErrors:
    def test_names_each_missing_or_deleted_reference_in_the_order_given(
        self, session: Session
    ) -> None:
        case = make_collaboration(session)
        live = make_stakeholder(session, name="SPRI DKI Jakarta")
        gone = make_stakeholder(session, name="Old coalition")
        gone.deleted_at = dt.datetime.now(dt.UTC)
        session.flush()

        errors = records.reference_errors(
            session,
            [
                (Stakeholder, TOO_LARGE, "counterpart_id"),
                (Collaboration, case.id, "collaboration_id"),
                (Stakeholder, gone.id, "owner_id"),
                (Stakeholder, None, "target_id"),
                (Stakeholder, live.id, "actor_id"),
                (Collaboration, 999_999, "other_id"),
            ],
        )

        assert list(errors.items()) == [
            ("counterpart_id", f"stakeholder {TOO_LARGE} does not exist"),
            ("owner_id", f"stakeholder {gone.id} is deleted"),
            ("other_id", "collaboration 999999 does not exist"),
        ]

    def test_live_references_are_no_error(self, session: Session) -> None:
        case = make_collaboration(session)
        spri = make_stakeholder(session)

        errors = records.reference_errors(
            session,
            [(Collaboration, case.id, "collaboration_id"), (Stakeholder, spri.id, "actor_id")],
        )

        assert errors == {}

    def test_one_query_however_many_references(self, session: Session) -> None:
        case = make_collaboration(session)
        people = [make_stakeholder(session, name=f"Member {n}") for n in range(4)]
        references: list[tuple[Any, int | None, str]] = [
            (Collaboration, case.id, "collaboration_id")
        ]
        references += [(Stakeholder, person.id, f"person_{n}") for n, person in enumerate(people)]

        with counted_statements(session) as statements:
            errors = records.reference_errors(session, references)

        assert (errors, len(statements)) == ({}, 1)

    def test_nothing_to_check_runs_no_query(self, session: Session) -> None:
        with counted_statements(session) as statements:
            errors = records.reference_errors(
                session, [(Stakeholder, None, "target_id"), (Stakeholder, TOO_LARGE, "owner_id")]
            )

        assert (errors, statements) == ({"owner_id": f"stakeholder {TOO_LARGE} does not exist"}, [])


class TestAdd:
    """``records.add`` inserts a record alone with one statement; the unit of work did it
    before, and still does when related records come with it. Both must leave the same."""

    @staticmethod
    def added(session: Session, *, alone: bool, monkeypatch: Any, **fields: Any) -> Stakeholder:
        if not alone:
            monkeypatch.setattr(records, "_insert_alone", lambda *_: False)
        stakeholder = records.add(session, Stakeholder(**fields), actor=Actor("test"))
        monkeypatch.undo()
        return stakeholder

    @staticmethod
    def left(session: Session, record: Stakeholder) -> tuple[dict[str, Any], dict[str, Any]]:
        """The row and the audit entry's changes, without what differs by id and time."""
        session.expire_all()
        row = records.merged(session.get_one(Stakeholder, record.id), {})
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "stakeholder", AuditEntry.record_id == record.id
            )
        ).one()
        varying = {"id", "created_at", "updated_at"}
        return (
            {key: value for key, value in row.items() if key not in varying},
            {key: value for key, value in entry.changes.items() if key not in varying},
        )

    def test_a_record_inserted_alone_is_the_one_the_unit_of_work_inserts(
        self, session: Session, monkeypatch: Any
    ) -> None:
        fields: dict[str, Any] = {
            "name": "SPRI DKI Jakarta",
            "kind": StakeholderKind.ORGANISATION,
            "sector": Sector.CIVIL_SOCIETY,
            "description": None,  # left out, as the unit of work does: the default applies
            "contact": None,  # JSON keeps None (as null), as the unit of work does
        }

        alone = self.added(session, alone=True, monkeypatch=monkeypatch, **fields)
        flushed = self.added(session, alone=False, monkeypatch=monkeypatch, **fields)

        assert (inspect(alone).persistent, alone in session) == (True, True)
        assert (alone.version, alone.deleted_at, alone.description) == (1, None, "")
        assert alone.aliases == []
        assert alone.contact is None
        assert dt.timedelta(0) <= alone.updated_at - alone.created_at < dt.timedelta(seconds=1)
        assert alone.created_at.utcoffset() == dt.timedelta(0)
        assert self.left(session, alone) == self.left(session, flushed)

    def test_the_answer_holds_what_the_database_holds(self, session: Session) -> None:
        record = records.add(
            session,
            Stakeholder(name="Dinas Sosial DKI", kind="organisation", sector="government"),
            actor=Actor("t"),
        )
        held = records.merged(record, {})

        session.expire_all()

        assert records.merged(session.get_one(Stakeholder, record.id), {}) == held

    def test_a_session_with_changes_to_flush_first_flushes_them_with_it(
        self, session: Session
    ) -> None:
        case = Collaboration(name="Flood relief", started_on=dt.date(2021, 1, 1))
        session.add(case)  # pending: the unit of work inserts both, in order

        spri = records.add(
            session,
            Stakeholder(name="SPRI DKI Jakarta", kind="organisation", sector="civil_society"),
            actor=Actor("t"),
        )

        assert (case.id is not None, spri.id is not None) == (True, True)


class TestCreationLoggedWithAnotherWrite:
    """PostgreSQL logs a new commitment in its opening step's statement
    (``audit.ENTRY_CTE``); the entry must be the one ``records.add`` writes on its own."""

    @staticmethod
    def entry_of(session: Session, commitment: Commitment) -> dict[str, Any]:
        """The commitment's audit entry, without what differs by id and time."""
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "commitment", AuditEntry.record_id == commitment.id
            )
        ).one()
        varying = {"id", "created_at", "updated_at"}
        assert dt.timedelta(0) <= utcnow() - entry.at < dt.timedelta(minutes=1)
        return {
            "user_id": entry.user_id,
            "actor": entry.actor,
            "action": entry.action,
            "changes": {k: v for k, v in entry.changes.items() if k not in varying},
            "id_logged": entry.changes["id"],
        }

    def test_the_entry_is_the_one_logged_on_its_own(self, session: Session) -> None:
        case = make_collaboration(session)
        owner = make_stakeholder(session)
        actor = Actor("Siti", user_id=None)
        data = CommitmentCreate(
            collaboration_id=case.id,
            owner_id=owner.id,
            description="Share the household list",
            made_on=dt.date(2020, 6, 1),
        )

        created = commitment_service.create(session, data=data, actor=actor)
        alone = records.add(
            session, Commitment(**data.model_dump(), status=CommitmentStatus.OPEN), actor=actor
        )

        logged = self.entry_of(session, created)
        assert logged["id_logged"] == [None, created.id]
        assert logged["changes"]["status"] == [None, "open"]
        assert logged["changes"]["description"] == [None, "Share the household list"]
        assert (logged["user_id"], logged["actor"], logged["action"]) == (None, "Siti", "create")
        expected = self.entry_of(session, alone) | {"id_logged": [None, created.id]}
        assert logged == expected
        assert [step.to_status for step in created.history] == [CommitmentStatus.OPEN]
