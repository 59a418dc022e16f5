"""One SQLite writer at a time, in turn: the write gate and the connection that holds it.

SQLite lets one connection write at a time. A writer that finds the lock taken waits in
SQLite's busy handler, which polls with sleeps growing to 100 ms: under writes from
several processes some waited seconds — past the busy timeout, failing with "database is
locked" — while later ones went first. Writers here queue at the database file's
:class:`WriteGate` before ``BEGIN IMMEDIATE`` instead, and are woken the moment it is
their turn; :class:`GatedConnection` lets go of the gate when its transaction ends.
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

    def __init__(self, lock_file: Path) -> None:
        self.lock_file = lock_file
        self._mutex = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Lock] = deque()
        self._fd: int | None = None
        self._fd_pid = 0

    @classmethod
    def _after_fork(cls) -> None:
        """A forked child starts with every gate free: the parent's turns are not its own."""
        cls._gates_lock = threading.Lock()
        for gate in cls._gates.values():
            gate._mutex = threading.Lock()
            gate._busy = False
            gate._waiting.clear()

    @classmethod
    def of(cls, database: Path) -> WriteGate:
        """The gate of this database file, shared by every engine of the process."""
        path = database.resolve()
        with cls._gates_lock:
            gate = cls._gates.get(path)
            if gate is None:
                gate = cls._gates[path] = cls(path.with_name(path.name + ".write-lock"))
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


os.register_at_fork(after_in_child=WriteGate._after_fork)


class GatedConnection(sqlite3.Connection):
    """pysqlite's connection, holding the :class:`WriteGate` while it writes.

    ``lock_from``, while set, makes the current read transaction end and a write
    transaction begin at the first statement for which it returns True, or that is
    not a SELECT.
    """

    gate: WriteGate | None = None
    holds_gate = False
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
