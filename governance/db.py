"""Engines and sessions for SQLite (embedded default) and PostgreSQL.

SQLite gets WAL, foreign keys, a busy timeout, and explicit transactions: the
pysqlite driver's own transaction handling starts a transaction only before the
first INSERT/UPDATE/DELETE, so a read-then-write runs its read outside the
transaction and silently loses concurrent updates. We turn that handling off and
emit ``BEGIN`` ourselves; sessions that write begin ``IMMEDIATE``, taking the
write lock before they read (see ``tests/test_db.py`` for the measurement).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from governance.config import Settings

#: Execution option naming how an SQLite transaction begins: "DEFERRED" or "IMMEDIATE".
SQLITE_BEGIN = "sqlite_begin"


def make_engine(url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """Create an engine; SQLite files get their folder created and the pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})
    _configure_sqlite(engine, busy_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def engine_from_settings(settings: Settings) -> Engine:
    return make_engine(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        echo=settings.log_sql,
    )


class SessionFactory:
    """Hands out sessions that read (deferred) or write (IMMEDIATE on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        self._write = sessionmaker(writer, expire_on_commit=False)

    def reader(self) -> Session:
        return self._read()

    def writer(self) -> Session:
        return self._write()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        session = self.writer() if write else self.reader()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
