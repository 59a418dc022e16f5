"""SQLite as collabgov configures it: WAL, foreign keys, and writes that don't lose updates.

The pysqlite driver on its own opens a transaction only at the first write, so the
read of a read-then-write runs outside it and two writers both read the same value:
one update is silently lost. collabgov begins write transactions IMMEDIATE instead.
The numbers printed here are the measurement (run with ``-s`` to see them).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from governance.db import SessionFactory, make_engine
from governance.write_gate import WriteGate
from tests.conftest import postgres_admin_url, postgres_database

THREADS = 4
INCREMENTS = 15


def _prepare(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))


def _hammer(increment: Callable[[], None]) -> int:
    """Run the increments from several threads; return how many raised."""
    failures = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal failures
        for _ in range(INCREMENTS):
            try:
                increment()
            except Exception:
                with lock:
                    failures += 1

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def _value(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT n FROM counter")).scalar_one())


class TestSqliteSettings:
    def test_wal_foreign_keys_and_busy_timeout_are_on(self, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", busy_timeout_ms=4321)

        with engine.connect() as connection:
            values = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }

        assert values == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 4321}


class TestConcurrentReadThenWrite:
    def test_immediate_transactions_lose_no_update(self, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'safe.sqlite3'}")
        _prepare(engine)
        sessions = SessionFactory(engine)

        def increment() -> None:
            with sessions.transaction() as session:
                n = session.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.002)  # widen the window between read and write
                session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

        failures = _hammer(increment)
        value = _value(engine)
        print(f"\nIMMEDIATE: {value}/{THREADS * INCREMENTS} increments kept, {failures} errors")

        assert (value, failures) == (THREADS * INCREMENTS, 0)

    @pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
    def test_the_drivers_default_transactions_lose_updates(self, tmp_path: Path) -> None:
        """The measurement behind the IMMEDIATE choice: the default loses work."""
        naive = create_engine(
            f"sqlite:///{tmp_path / 'naive.sqlite3'}", connect_args={"timeout": 5}
        )
        _prepare(naive)

        def increment() -> None:
            with naive.connect() as connection:
                n = connection.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.002)
                connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
                connection.commit()

        failures = _hammer(increment)
        value = _value(naive)
        print(f"\ndriver default: {value}/{THREADS * INCREMENTS} kept, {failures} errors")

        assert value + failures < THREADS * INCREMENTS


def _other_writer_blocked(path: Path) -> bool:
    """Whether SQLite's write lock is taken: a writer outside the gate cannot begin."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


def _hold_gate(lock_file: str, held: Any, go: Any) -> None:
    """In another process: take the gate, say so, and keep it until told to let go."""
    gate = WriteGate(Path(lock_file))
    gate.acquire(timeout=5)
    held.set()
    go.wait(10)
    gate.release()


class TestWriteGate:
    def test_threads_take_their_turns_in_the_order_they_came(self, tmp_path: Path) -> None:
        gate = WriteGate(tmp_path / "db.write-lock")
        order: list[int] = []
        gate.acquire(timeout=1)

        def writer(number: int) -> None:
            gate.acquire(timeout=5)
            order.append(number)
            gate.release()

        threads = []
        for number in range(5):
            thread = threading.Thread(target=writer, args=(number,))
            thread.start()
            threads.append(thread)
            while len(gate._waiting) < number + 1:  # queued before the next one comes
                time.sleep(0.001)
        gate.release()
        for thread in threads:
            thread.join()

        assert order == [0, 1, 2, 3, 4]

    def test_a_turn_that_does_not_come_in_time_is_database_is_locked(self, tmp_path: Path) -> None:
        gate = WriteGate(tmp_path / "db.write-lock")
        gate.acquire(timeout=1)
        errors: list[Exception] = []

        def impatient() -> None:
            try:
                gate.acquire(timeout=0.05)
            except sqlite3.OperationalError as error:
                errors.append(error)

        thread = threading.Thread(target=impatient)
        thread.start()
        thread.join()
        gate.release()

        assert [str(error) for error in errors] == ["database is locked"]
        gate.acquire(timeout=0.05)  # the gate is free again, not promised to the one who left
        gate.release()

    def test_another_process_waits_until_the_gate_is_let_go(self, tmp_path: Path) -> None:
        lock_file = tmp_path / "db.write-lock"
        context = multiprocessing.get_context("spawn")
        held, go = context.Event(), context.Event()
        holder = context.Process(target=_hold_gate, args=(str(lock_file), held, go))
        holder.start()
        try:
            assert held.wait(30)
            gate = WriteGate(lock_file)
            taken = threading.Event()

            def wait_for_the_gate() -> None:
                gate.acquire(timeout=5)
                taken.set()

            waiter = threading.Thread(target=wait_for_the_gate)
            waiter.start()
            time.sleep(0.2)
            waiting_while_held = not taken.is_set()
            go.set()
            waiter.join(10)
            assert (waiting_while_held, taken.is_set()) == (True, True)
            gate.release()
        finally:
            go.set()
            holder.join(10)

    def test_write_transactions_hold_the_gate_until_they_end(self, tmp_path: Path) -> None:
        path = tmp_path / "gated.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        gate = WriteGate.of(path)
        sessions = SessionFactory(engine)

        held = []
        for end in ("commit", "rollback", "close"):
            session = sessions.writer()
            session.execute(text("SELECT n FROM counter"))
            held.append(gate._busy)
            getattr(session, end)()
            held.append(gate._busy)

        assert held == [True, False] * 3


class TestCheckpoints:
    """The write-ahead log is copied back by the checkpointer, outside the write gate."""

    @staticmethod
    def _insert_rows(engine: Engine, count: int) -> None:
        sessions = SessionFactory(engine)
        for n in range(count):
            with sessions.transaction() as session:
                session.execute(text("INSERT INTO counter (n) VALUES (:n)"), {"n": n})

    @staticmethod
    def _wait_for(condition: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + 10
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.01)
        return condition()

    def test_commits_do_not_checkpoint_the_checkpointer_does(self, tmp_path: Path) -> None:
        path = tmp_path / "logged.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        checkpointer = WriteGate.of(path).checkpointer
        assert checkpointer is not None
        with engine.connect() as connection:
            autocheckpoint = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()

        self._insert_rows(engine, checkpointer.EVERY - 2)  # with _prepare's row: one short
        before = checkpointer.runs
        self._insert_rows(engine, 1)

        assert (autocheckpoint, before) == (0, 0)
        assert self._wait_for(lambda: checkpointer.runs == 1)
        with sqlite3.connect(path) as plain:
            _, logged, copied = plain.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (logged == copied, logged > 0) == (True, True)

    def test_a_long_log_is_finished_under_the_gate_and_starts_over(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "long.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        checkpointer = WriteGate.of(path).checkpointer
        assert checkpointer is not None
        monkeypatch.setattr(checkpointer, "EVERY", 10)
        monkeypatch.setattr(checkpointer, "LOG_LIMIT", 5)

        self._insert_rows(engine, 9)
        assert self._wait_for(lambda: checkpointer.gated_runs == 1)
        log_size = Path(f"{path}-wal").stat().st_size
        self._insert_rows(engine, 1)  # the next writer starts the log over

        with sqlite3.connect(path) as plain:
            _, logged, _ = plain.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert logged < 5 < log_size // 4096
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT count(*) FROM counter")).scalar_one()
        assert (rows, WriteGate.of(path)._busy) == (11, False)


class TestRequestSessions:
    """A request that writes: reads who is asking without the lock, then writes under it."""

    def test_reads_before_the_route_begins_take_no_lock(self, tmp_path: Path) -> None:
        path = tmp_path / "request.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        route_began = False
        session = SessionFactory(engine).writer(lock_from=lambda: route_began)

        session.execute(text("SELECT n FROM counter"))
        blocked_while_signing_in = _other_writer_blocked(path)
        route_began = True
        n = session.execute(text("SELECT n FROM counter")).scalar_one()
        blocked_in_the_route = _other_writer_blocked(path)
        session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        session.commit()
        session.execute(text("SELECT n FROM counter"))
        blocked_after_commit = _other_writer_blocked(path)
        session.close()

        assert (blocked_while_signing_in, blocked_in_the_route, blocked_after_commit) == (
            False,
            True,
            False,
        )
        assert _value(engine) == 1

    def test_a_write_before_the_route_begins_takes_the_lock(self, tmp_path: Path) -> None:
        path = tmp_path / "touch.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        session = SessionFactory(engine).writer(lock_from=lambda: False)

        session.execute(text("SELECT n FROM counter"))
        session.execute(text("UPDATE counter SET n = 7"))
        blocked = _other_writer_blocked(path)
        session.commit()
        session.close()

        assert (blocked, _value(engine)) == (True, 7)

    def test_a_write_after_the_commit_takes_the_lock_again(self, tmp_path: Path) -> None:
        path = tmp_path / "again.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        session = SessionFactory(engine).writer(lock_from=lambda: True)

        session.execute(text("UPDATE counter SET n = 1"))
        session.commit()
        session.execute(text("SELECT n FROM counter"))
        blocked_reading = _other_writer_blocked(path)
        session.execute(text("UPDATE counter SET n = 2"))
        blocked_writing = _other_writer_blocked(path)
        session.commit()
        session.close()

        assert (blocked_reading, blocked_writing, _value(engine)) == (False, True, 2)

    def test_a_savepoint_keeps_the_write_transaction(self, tmp_path: Path) -> None:
        path = tmp_path / "savepoint.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        _prepare(engine)
        session = SessionFactory(engine).writer(lock_from=lambda: True)

        session.execute(text("UPDATE counter SET n = 1"))
        with session.begin_nested():
            session.execute(text("UPDATE counter SET n = 2"))
        blocked = _other_writer_blocked(path)
        session.rollback()
        session.close()

        assert (blocked, _value(engine)) == (True, 0)

    def test_route_reads_and_writes_lose_no_update(self, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'requests.sqlite3'}")
        _prepare(engine)
        sessions = SessionFactory(engine)

        def request() -> None:
            signed_in = False
            session = sessions.writer(lock_from=lambda: signed_in)
            try:
                session.execute(text("SELECT n FROM counter"))  # who is asking
                signed_in = True
                n = session.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.002)
                session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
                session.commit()
            finally:
                session.close()

        failures = _hammer(request)

        assert (_value(engine), failures) == (THREADS * INCREMENTS, 0)


class TestConnections:
    def test_many_requests_at_once_each_get_a_connection_without_waiting(
        self, engine: Engine
    ) -> None:
        began = time.monotonic()
        with contextlib.ExitStack() as held:
            connections = [held.enter_context(engine.connect()) for _ in range(32)]
            answers = [
                connection.exec_driver_sql("SELECT 1").scalar() for connection in connections
            ]
        waited = time.monotonic() - began

        assert answers == [1] * 32
        assert waited < 10  # SQLAlchemy's default pool made the 16th wait 30 s, then fail


def _forked_child_takes_the_gate(path: str) -> None:
    gate = WriteGate.of(Path(path))
    gate.acquire(timeout=1)
    gate.release()


class TestForkedProcesses:
    def test_a_child_forked_while_the_gate_is_held_waits_for_the_parent_only(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "forked.sqlite3"
        gate = WriteGate.of(path)
        gate.acquire(timeout=1)
        child = multiprocessing.get_context("fork").Process(
            target=_forked_child_takes_the_gate, args=(str(path),)
        )
        child.start()
        time.sleep(0.3)
        gate.release()  # the child's turn comes when the parent lets go of the file lock
        child.join(30)

        assert child.exitcode == 0


class TestWaitingTooLong:
    def test_a_request_whose_turn_does_not_come_is_database_is_locked(self, tmp_path: Path) -> None:
        path = tmp_path / "slow.sqlite3"
        engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=100)
        _prepare(engine)
        sessions = SessionFactory(engine)
        holder = sessions.writer()
        holder.execute(text("UPDATE counter SET n = 1"))  # holds the gate
        request = sessions.writer(lock_from=lambda: True)
        errors: list[str] = []

        def route() -> None:
            try:
                request.execute(text("SELECT n FROM counter"))
            except OperationalError as error:
                errors.append(str(error.orig))

        thread = threading.Thread(target=route)
        thread.start()
        thread.join(10)
        holder.commit()
        holder.close()
        request.rollback()
        n = request.execute(text("SELECT n FROM counter")).scalar_one()
        request.close()

        assert (errors, n) == (["database is locked"], 1)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database (the test is skipped without a server)."""
    if postgres_admin_url() is None:
        pytest.skip("PostgreSQL is not available")
    with postgres_database() as url:
        yield url


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        pid: int = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        return pid


def _end_backend(admin_url: str, pid: int) -> None:
    """End a connection from the server's side, as a restart or an idle timeout does."""
    admin = create_engine(admin_url)
    with admin.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


class TestPostgresPings:
    """A connection the server ended while it waited in the pool (a restart, an idle
    timeout) is replaced when drawn, not handed to a request to fail on."""

    def test_a_connection_ended_while_pooled_is_replaced_without_an_error(
        self, postgres_url: str
    ) -> None:
        engine = make_engine(postgres_url)
        first = _backend_pid(engine)
        _end_backend(postgres_url, first)
        second = _backend_pid(engine)  # no OperationalError: the ping found it dead
        engine.dispose()

        assert second != first
