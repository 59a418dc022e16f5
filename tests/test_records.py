"""What every record shares: here, checking references to other records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from governance import records
from governance.models import Collaboration, Stakeholder
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
