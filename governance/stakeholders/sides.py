"""Two aliases of the stakeholder model, for queries that name two stakeholders at once:
a commitment's owner and counterpart, a trust event's actor and target, a relationship's
source and target.

A new alias costs little to make but much on first use, when it adapts every column of
the model: more than the query itself (about 2 ms a statement, measured on the meeting,
stakeholder, board and dashboard pages). So each thread keeps one pair and reuses it.
A pair is not shared between threads: two threads using a new alias at once can leave
it half-built ("Can't determine which FROM clause to join from").
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import aliased

from governance.stakeholders.models import Stakeholder


class _Pair(threading.local):
    def __init__(self) -> None:
        self.sides = (aliased(Stakeholder), aliased(Stakeholder))


_pair = _Pair()


def two_sides() -> tuple[type[Stakeholder], type[Stakeholder]]:
    """This thread's two aliases of :class:`Stakeholder`, one for each side of a record."""
    return _pair.sides
