"""Engines and sessions for SQLite (embedded default) and PostgreSQL.

SQLite gets WAL, foreign keys, a busy timeout, and explicit transactions: the
pysqlite driver's own transaction handling starts a transaction only before the
first INSERT/UPDATE/DELETE, so a read-then-write runs its read outside the
transaction and silently loses concurrent updates. We turn that handling off and
emit ``BEGIN`` ourselves; sessions that write begin ``IMMEDIATE``, taking the
write lock before they read (see ``tests/test_db.py`` for the measurement).

Writers queue for the lock at the database file's write gate
(:mod:`governance.write_gate`), woken in turn, rather than polling in SQLite's busy
handler; the busy timeout still guards against writers that bypass the gate (another
program on the same file). A request that writes holds the lock only for its route's
own work: see :meth:`SessionFactory.writer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from governance.config import Settings
from governance.write_gate import GatedConnection, WriteGate

#: Execution option naming how an SQLite transaction begins: "DEFERRED" or "IMMEDIATE".
SQLITE_BEGIN = "sqlite_begin"
#: Connections a process keeps open; it opens more rather than make a request wait. A
#: request holds its connection from its first statement to its end, across the awaits
#: between its dependencies and its route, so a process serving 32 clients has about as
#: many requests holding one, and a request may need a second at once (a last-used time
#: written aside, ``api.auth``). SQLAlchemy's default pool (5, and at most 10 more) made
#: the rest wait — up to a second under writes from 32 clients — and a pool that makes
#: requests holding one connection wait for another can run dry with all of them
#: waiting. SQLite connections are file handles: as many as anyio's thread pool has
#: threads. PostgreSQL connections are server processes (100 by default, for all
#: clients): two workers keep 20 each.
SQLITE_POOL_SIZE = 40
POSTGRESQL_POOL_SIZE = 20
#: ``Session.info`` key of a request session's ``lock_from`` (see SessionFactory.writer).
_LOCK_FROM = "collabgov_lock_from"
#: ``Session.info`` key set once a request session has committed.
_COMMITTED = "collabgov_committed"


def make_engine(url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """Create an engine; SQLite files get their folder created and the pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Each connection is checked as it leaves the pool (a round trip): one the server
        # ended while it waited there (a restart, an idle timeout) is replaced instead of
        # failing the request that drew it (tests/test_db.py::TestPostgresPings).
        return create_engine(
            url,
            echo=echo,
            pool_pre_ping=True,
            pool_size=POSTGRESQL_POOL_SIZE,
            max_overflow=-1,
        )
    options: dict[str, Any] = {}
    gate = None
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        gate = WriteGate.of(Path(parsed.database))
        options = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": -1}
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": busy_timeout_ms / 1000, "factory": GatedConnection},
        **options,
    )
    _configure_sqlite(engine, busy_timeout_ms, gate)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, gate: WriteGate | None) -> None:
    timeout = busy_timeout_ms / 1000

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        dbapi_connection.gate = gate
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if gate is not None:  # its checkpointer copies the log back, outside the gate
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        raw: GatedConnection = connection.connection.dbapi_connection
        raw.begin(write=mode == "IMMEDIATE", timeout=timeout)

    @event.listens_for(engine, "before_cursor_execute")
    def _write_from_here(
        _connection: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        raw: GatedConnection = cursor.connection
        lock_from = raw.lock_from
        if lock_from is not None and (lock_from() or not _is_select(statement)):
            raw.start_writing(timeout)


def _is_select(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT"


def engine_from_settings(settings: Settings) -> Engine:
    return make_engine(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        echo=settings.log_sql,
    )


class _RequestSession(Session):
    """A session whose transactions begin as reads and turn into writes (SQLite)."""


@event.listens_for(_RequestSession, "after_begin")
def _arm(session: Session, transaction: SessionTransaction, connection: Any) -> None:
    """Tell a new transaction's connection when to turn its read into a write."""
    raw = connection.connection.dbapi_connection
    if transaction.parent is not None or raw.holds_gate:
        return  # a savepoint inside a transaction already writing
    lock_from: Callable[[], bool] = session.info[_LOCK_FROM]
    raw.lock_from = _never if session.info.get(_COMMITTED) else lock_from


@event.listens_for(_RequestSession, "after_commit")
def _committed(session: Session) -> None:
    session.info[_COMMITTED] = True


def _never() -> bool:
    """After its commit, a request turns to writing only at a write."""
    return False


class SessionFactory:
    """Hands out sessions that read (deferred) or write (IMMEDIATE on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        self._write = sessionmaker(writer, expire_on_commit=False)
        self._request: sessionmaker[Session] | None = None
        if engine.dialect.name == "sqlite":
            self._request = sessionmaker(engine, class_=_RequestSession, expire_on_commit=False)

    def reader(self) -> Session:
        return self._read()

    def writer(self, *, lock_from: Callable[[], bool] | None = None) -> Session:
        """A session that writes: on SQLite, each of its transactions holds the write
        lock from its first statement to its end.

        ``lock_from`` is for a request, whose first statements find out who is asking:
        until ``lock_from()`` is true the session reads without the lock, and it takes
        the lock at the first statement after that (or at a write, if one comes sooner),
        so the route's reads and writes are one write transaction while the sign-in
        look-up and the awaits before the route hold nothing. Once it has committed, it
        reads its answer without the lock and takes the lock again at its next write
        (a route writes once, then reads). On PostgreSQL every session just reads and
        writes.
        """
        if lock_from is None or self._request is None:
            return self._write()
        session = self._request()
        session.info[_LOCK_FROM] = lock_from
        return session

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
