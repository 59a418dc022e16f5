"""Turns of the virtuous cycle: a small win, then new commitments, then those fulfilled.

Ansell & Gash (2008) describe the collaborative process as a cycle in which
intermediate outcomes ("small wins") feed back into trust and commitment; a turn is
counted each time the records show that feedback closing.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate

from governance.cases.snapshot import CommitmentRow, OutcomeRow
from governance.diagnosis import facts
from governance.diagnosis.messages import N_

#: The rule in words, shown with the count (a message id).
RULE = N_(
    "one turn = a small win, then a commitment made on or after it and fulfilled by the "
    "as-of date; the next turn starts from a later small win on or after that fulfilment"
)


@dataclass(frozen=True)
class Turn:
    """One turn of the cycle and the records that close it."""

    small_win_on: dt.date
    outcome: str
    commitment_id: int
    commitment: str
    made_on: dt.date
    fulfilled_on: dt.date


def turns(
    outcomes: Iterable[OutcomeRow], commitments: Iterable[CommitmentRow], as_of: dt.date
) -> list[Turn]:
    """The turns of the virtuous cycle up to ``as_of``, in order.

    After each small win the earliest-fulfilled commitment made on or after it closes
    the turn; the next turn needs a later small win, on or after that fulfilment.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day, outcome
    >>> from governance.vocab import CommitmentStatus as S
    >>> aid = outcome(0, 100, ("2021-01-31", 20), ("2021-06-30", 40), ("2021-07-31", 60))
    >>> promises = [
    ...     commitment("2021-02-10", "2021-03-31", (S.FULFILLED, "2021-03-20")),
    ...     commitment("2021-07-01", "2021-09-30", (S.FULFILLED, "2021-08-15")),
    ... ]
    >>> [(t.small_win_on.isoformat(), t.fulfilled_on.isoformat())
    ...  for t in turns([aid], promises, day("2022-06-30"))]
    [('2021-01-31', '2021-03-20'), ('2021-06-30', '2021-08-15')]
    >>> len(turns([aid], promises, day("2021-08-01")))  # the second is not fulfilled yet
    1
    """
    first_fulfilled = _first_fulfilled_made_from(commitments, as_of)
    found: list[Turn] = []
    resume: dt.date | None = None
    last_win: dt.date | None = None
    for win in facts.small_wins(outcomes, as_of):
        if (resume is not None and win.day < resume) or (
            last_win is not None and win.day <= last_win
        ):
            continue
        closing = first_fulfilled(win.day)
        if closing is None:
            break  # later wins have even fewer commitments after them
        done, _, _, c = closing
        found.append(Turn(win.day, win.title, c.id, c.description, c.made_on, done))
        resume, last_win = done, win.day
    return found


#: A fulfilled commitment: fulfilled on, id, position among the commitments, the row.
_Fulfilled = tuple[dt.date, int, int, CommitmentRow]


def _first_fulfilled_made_from(
    commitments: Iterable[CommitmentRow], as_of: dt.date
) -> Callable[[dt.date], _Fulfilled | None]:
    """A look-up: the commitment made on or after a day that was fulfilled first by
    ``as_of`` (the lowest id, then the first given, among those fulfilled the same day).

    With the commitments sorted by the day they were made, each position keeps the
    first fulfilment from there on, so each look-up is one bisection instead of a scan
    (thousands of small wins times thousands of commitments in a national case).
    """
    ledger = facts.Ledger.of(commitments)
    fulfilled = [item for item in ledger.fulfilled_by_making if item[0] <= as_of]
    made = [item[3].made_on for item in fulfilled]
    # The first fulfilment from each position on (the items differ in their positions).
    fulfilled = list(accumulate(reversed(fulfilled), min))[::-1]

    def first_from(day: dt.date) -> _Fulfilled | None:
        position = bisect_left(made, day)
        return fulfilled[position] if position < len(fulfilled) else None

    return first_from
