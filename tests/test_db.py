"""SQLite as collabgov configures it: WAL, foreign keys, and writes that don't lose updates.

The pysqlite driver on its own opens a transaction only at the first write, so the
read of a read-then-write runs outside it and two writers both read the same value:
one update is silently lost. collabgov begins write transactions IMMEDIATE instead.
The numbers printed here are the measurement (run with ``-s`` to see them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from governance.db import SessionFactory, make_engine

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
