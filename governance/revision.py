"""Derived views cached per data revision: computed once, served again until the data change.

A diagnosis, its quarterly series or a case report of a large collaboration takes
seconds to compute (reading 300,000 attendance rows, then the pure functions), and the
same answer is asked for again and again. :class:`RevisionCache` keeps recent answers
under a key that includes :func:`data_revision`, a fingerprint of the database that
changes with every write, so a cached answer is never stale: after any write the key
differs and the next request computes afresh.

The fingerprint is one query of index look-ups: the latest audit entry (every write
through the services adds one) and, for each table the derived views read, the highest
id and the latest ``updated_at`` (so rows added or changed without an audit entry,
as test factories do, count too). Each process keeps its own small cache; answers are
immutable values shared between threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.base import Record
from governance.models import (
    Assessment,
    Attendance,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Decision,
    Evidence,
    Forum,
    ForumCriterion,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Revision = tuple[Any, ...]

#: Record tables a derived view reads: their highest id and latest change.
_RECORDS: tuple[type[Record], ...] = (
    Collaboration,
    Stakeholder,
    Relationship,
    Participation,
    Forum,
    Meeting,
    Decision,
    Commitment,
    TrustEvent,
    Outcome,
    Measurement,
    Evidence,
    Assessment,
)
#: Child tables without a version of their own: their highest id (changes to them are
#: also changes of their parent record, which moves its ``updated_at``).
_CHILDREN: tuple[Any, ...] = (Attendance, CommitmentStatusChange, ForumCriterion)


def _fingerprint() -> Select[Any]:
    columns: list[Any] = [select(func.max(AuditEntry.id)).scalar_subquery()]
    for model in _RECORDS:
        columns.append(select(func.max(model.id)).scalar_subquery())
        columns.append(select(func.max(model.updated_at)).scalar_subquery())
    columns += [select(func.max(child.id)).scalar_subquery() for child in _CHILDREN]
    return select(*columns)


#: Built once: building its 30 subqueries cost more than SQLite takes to answer them.
_FINGERPRINT = _fingerprint()


def data_revision(session: Session) -> Revision:
    """A fingerprint of the database that changes with every write, in one cheap query."""
    return tuple(session.execute(_FINGERPRINT).one())


class RevisionCache(Generic[K, V]):
    """A small thread-safe least-recently-used cache of answers per data revision."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Revision, K], V] = OrderedDict()
        self._lock = threading.Lock()
        _CACHES.append(self)

    def get_or_compute(self, session: Session, key: K, compute: Callable[[], V]) -> V:
        """The answer for ``key`` at the database's current revision, computed if new."""
        full = (data_revision(session), key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
        value = compute()  # outside the lock: another thread may compute the same meanwhile
        with self._lock:
            self._items[full] = value
            self._items.move_to_end(full)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHES: list[RevisionCache[Any, Any]] = []


def clear_caches() -> None:
    """Forget every cached answer (tests and benchmarks measure cold computations)."""
    for cache in _CACHES:
        cache.clear()
