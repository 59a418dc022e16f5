"""One SQLite writer at a time, in turn: the write gate and the connection that holds it.

SQLite lets one connection write at a time. A writer that finds the lock taken waits in
SQLite's busy handler, which polls with sleeps growing to 100 ms: under writes from
several processes some waited seconds — past the busy timeout, failing with "database is
locked" — while later ones went first. Writers here queue at the database file's
:class:`WriteGate` before ``BEGIN IMMEDIATE`` instead, and are woken the moment it is
their turn; :class:`GatedConnection` lets go of the gate when its transaction ends.

SQLite's own checkpoints (copying the write-ahead log back into the database, every
1,000 pages) run inside the commit that crosses the mark: 15–36 ms of disk writes and
``fsync`` every few dozen writes, with the gate still held and every other writer
waiting. Connections here turn them off (``PRAGMA wal_autocheckpoint=0``, see
:mod:`governance.db`) and a :class:`Checkpointer` thread of the process runs them
after the gate is let go, while the next writers go on writing.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar


class WriteGate:
    """One writer at a time on a database file, across threads and processes, in turn.

    Threads of a process queue first come, first served (a turn is handed to the next
    waiter, never grabbed by a newcomer); the thread whose turn it is then takes an
    exclusive ``flock`` on ``<database>.write-lock``, so only one thread per process
    waits on the file lock. The kernel wakes that waiter as soon as the other process
    lets go, and drops the lock of a process that dies.
    """

    _gates: ClassVar[dict[Path, WriteGate]] = {}
    _gates_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, lock_file: Path, database: Path | None = None) -> None:
        self.lock_file = lock_file
        self._mutex = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Lock] = deque()
        self._fd: int | None = None
        self._fd_pid = 0
        self.checkpointer = Checkpointer(self, database) if database is not None else None

    @classmethod
    def _after_fork(cls) -> None:
        """A forked child starts with every gate free: the parent's turns are not its own."""
        cls._gates_lock = threading.Lock()
        for gate in cls._gates.values():
            gate._mutex = threading.Lock()
            gate._busy = False
            gate._waiting.clear()
            if gate.checkpointer is not None:
                gate.checkpointer = Checkpointer(gate, gate.checkpointer.database)

    @classmethod
    def of(cls, database: Path) -> WriteGate:
        """The gate of this database file, shared by every engine of the process."""
        path = database.resolve()
        with cls._gates_lock:
            gate = cls._gates.get(path)
            if gate is None:
                gate = cls._gates[path] = cls(path.with_name(path.name + ".write-lock"), path)
            return gate

    def acquire(self, timeout: float) -> None:
        """Wait for our turn (at most ``timeout`` seconds among this process's writers),
        then for the other processes; "database is locked" if the turn never comes."""
        if not self._take_turn(timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            fd = self._lock_fd()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            self._pass_turn()
            raise

    def release(self) -> None:
        """Let the next writer in: another process's, or this process's next in line."""
        try:
            if self._fd is not None and self._fd_pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._pass_turn()

    def _take_turn(self, timeout: float) -> bool:
        with self._mutex:
            if not self._busy:
                self._busy = True
                return True
            ticket = threading.Lock()
            ticket.acquire()
            self._waiting.append(ticket)
        if ticket.acquire(timeout=timeout):
            return True
        with self._mutex:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
                return False
        return True  # the turn was handed over while the wait ran out

    def _pass_turn(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still busy: the next waiter's turn
            else:
                self._busy = False

    def _lock_fd(self) -> int | None:
        """The lock file, opened by this process (a forked child must not share the
        parent's open file: flock locks belong to it). None where it cannot be made,
        say a read-only folder: then the busy timeout alone orders the processes."""
        if self._fd_pid != os.getpid():
            self._fd_pid = os.getpid()
            try:
                self._fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError:
                self._fd = None
        return self._fd


class Checkpointer:
    """Copies a database's write-ahead log back into it, in a thread of its own.

    Woken once every :attr:`EVERY` rows committed (about the 1,000 pages after which
    SQLite would checkpoint by itself), it runs a passive checkpoint: one that takes no
    lock writers wait for. Writers go on adding to the log meanwhile, so it never empties
    and SQLite never starts it over; once it has grown past :attr:`LOG_LIMIT` frames,
    the thread copies what writers added during the checkpoint (a few dozen pages) while
    holding the gate, if that little is left, and the next writer starts the log over.
    The thread ends after :attr:`IDLE` seconds without a commit, closing its connection,
    and starts again with the next commit.
    """

    #: Rows changed between checkpoints: a record and its audit entry change some 20
    #: pages of the log (rows and index entries).
    EVERY = 100
    #: Frames (pages) of log past which a checkpoint finishes holding the gate: 16 MB.
    LOG_LIMIT = 4096
    #: Seconds without a checkpoint to run after which the thread ends.
    IDLE = 5.0
    #: Seconds the thread waits for the gate before leaving the log to grow a while.
    GATE_TIMEOUT = 5.0

    def __init__(self, gate: WriteGate, database: Path) -> None:
        self.gate = gate
        self.database = database
        self._lock = threading.Lock()
        self._changes = 0
        self._due = threading.Event()
        self._thread: threading.Thread | None = None
        #: Checkpoints run, and those that held the gate (for tests and measurements).
        self.runs = 0
        self.gated_runs = 0

    def committed(self, changes: int) -> None:
        """Count a commit's changed rows; wake the thread (or start it) every
        :attr:`EVERY` rows."""
        with self._lock:
            self._changes += changes
            if self._changes < self.EVERY:
                return
            self._changes = 0
            self._due.set()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"checkpoint {self.database.name}", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            connection = sqlite3.connect(self.database, isolation_level=None)
            while True:
                if not self._due.wait(self.IDLE):
                    with self._lock:
                        if not self._due.is_set():
                            self._thread = None
                            return
                self._due.clear()
                self.checkpoint(connection)
        except sqlite3.Error:
            with self._lock:
                self._thread = None  # say, the file is gone: the next commit tries again
        finally:
            if connection is not None:
                connection.close()

    def checkpoint(self, connection: sqlite3.Connection) -> None:
        """A passive checkpoint: as much of the log as no reader still needs; finished
        holding the gate when the log has grown long."""
        [(busy, logged, copied)] = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        self.runs += 1
        if busy or logged < self.LOG_LIMIT or logged - copied > self.LOG_LIMIT // 8:
            return  # the rest would be long to copy under the gate: another time
        try:
            self.gate.acquire(self.GATE_TIMEOUT)
        except sqlite3.OperationalError:
            return  # writers queue long: another time
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.gated_runs += 1
        finally:
            self.gate.release()


os.register_at_fork(after_in_child=WriteGate._after_fork)


class GatedConnection(sqlite3.Connection):
    """pysqlite's connection, holding the :class:`WriteGate` while it writes.

    ``lock_from``, while set, makes the current read transaction end and a write
    transaction begin at the first statement for which it returns True, or that is
    not a SELECT.
    """

    gate: WriteGate | None = None
    holds_gate = False
    #: Rows this connection had changed when its checkpointer last heard of it.
    _changes_counted = 0
    lock_from: Callable[[], bool] | None = None

    def begin(self, *, write: bool, timeout: float) -> None:
        """Begin a transaction; one that writes first waits for its turn at the gate."""
        if not write:
            self.execute("BEGIN")
            return
        if self.gate is not None:
            self.gate.acquire(timeout)
            self.holds_gate = True
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._transaction_ended()
            raise

    def start_writing(self, timeout: float) -> None:
        """End the read transaction (it wrote nothing) and begin a write transaction."""
        self.lock_from = None
        self.execute("COMMIT")
        try:
            self.begin(write=True, timeout=timeout)
        except BaseException:
            self.execute("BEGIN")  # still in a transaction, as SQLAlchemy believes
            raise

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._transaction_ended()
        changes = self.total_changes
        if changes != self._changes_counted and self.gate is not None:
            if self.gate.checkpointer is not None:
                self.gate.checkpointer.committed(changes - self._changes_counted)
            self._changes_counted = changes

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._transaction_ended()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._transaction_ended()

    def _transaction_ended(self) -> None:
        self.lock_from = None
        if self.holds_gate and self.gate is not None:
            self.holds_gate = False
            self.gate.release()
