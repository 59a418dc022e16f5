"""Fixtures of the page tests: the demo case, counting queries, reading the HTML."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from governance.demo.loader import LoadResult, load_demo


@pytest.fixture
def demo(session: Session) -> LoadResult:
    """The Jakarta demo case, inside the test's transaction."""
    result = load_demo(session)
    session.flush()
    return result


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def selects(self) -> int:
        return sum(1 for s in self.statements if s.lstrip().upper().startswith(("SELECT", "WITH")))


@pytest.fixture
def count_queries(connection: Connection) -> Any:
    """A context manager that records the statements the app runs in its block."""

    @contextmanager
    def counting() -> Iterator[QueryLog]:
        log = QueryLog()

        def record(*args: Any) -> None:
            log.statements.append(str(args[2]))

        event.listen(connection, "before_cursor_execute", record)
        try:
            yield log
        finally:
            event.remove(connection, "before_cursor_execute", record)

    return counting
