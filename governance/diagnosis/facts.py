"""Facts read off a case's rows that several indicators share.

Everything is judged as of a date: a meeting counts once held, a commitment has the
status its history gives it on that day, a small win counts once measured.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from governance.cases.meetings import HeldMeetings
from governance.cases.snapshot import (
    CaseData,
    CommitmentRow,
    MeetingRow,
    OutcomeRow,
    ParticipationRow,
    StakeholderRow,
)
from governance.diagnosis.indicator import Window
from governance.vocab import CommitmentStatus, OutcomeLevel

#: Statuses that end a commitment: nothing more is expected of its owner.
CLOSED = frozenset(
    {
        CommitmentStatus.FULFILLED,
        CommitmentStatus.PARTLY_FULFILLED,
        CommitmentStatus.BROKEN,
        CommitmentStatus.WITHDRAWN,
    }
)


def held_until(meetings: Iterable[MeetingRow], day: dt.date) -> list[MeetingRow]:
    """Meetings held on or before ``day``, in date order.

    Given :class:`HeldMeetings` (a case's ``held_meetings``), they are found by
    bisection instead of sorted again: the diagnosis asks many times per case.
    """
    return HeldMeetings.of(meetings).until(day)


def held_in(meetings: Iterable[MeetingRow], window: Window) -> list[MeetingRow]:
    """Meetings held inside the window, in date order."""
    return HeldMeetings.of(meetings).between(window.start, window.end)


def first_meeting_day(meetings: Iterable[MeetingRow], day: dt.date) -> dt.date | None:
    """The day of the first meeting held on or before ``day``."""
    held = held_until(meetings, day)
    return held[0].held_on if held else None


def status_on(commitment: CommitmentRow, day: dt.date) -> CommitmentStatus | None:
    """The commitment's status at the end of ``day``; None before it was made.

    Without a status history, the current status is taken, except that a fulfilment
    dated after ``day`` had not happened yet.
    """
    if commitment.made_on > day:
        return None
    if commitment.history:
        return commitment.status_on(day) or CommitmentStatus.OPEN
    if commitment.fulfilled_on is not None and commitment.fulfilled_on > day:
        return CommitmentStatus.OPEN
    return commitment.status


def fulfilled_on(commitment: CommitmentRow) -> dt.date | None:
    """The day the commitment was fulfilled, if it was."""
    for step in commitment.history:
        if step.to_status is CommitmentStatus.FULFILLED:
            return step.changed_on
    if commitment.status is CommitmentStatus.FULFILLED:
        return commitment.fulfilled_on
    return None


def fulfilled_by_due(commitment: CommitmentRow) -> bool:
    """Whether it was fulfilled on or before its due date."""
    return _kept(commitment, fulfilled_on(commitment))


def _kept(commitment: CommitmentRow, done: dt.date | None) -> bool:
    return done is not None and commitment.due_on is not None and done <= commitment.due_on


def withdrawn_by_due(commitment: CommitmentRow) -> bool:
    """Whether it had been withdrawn by the end of its due date."""
    due_on = commitment.due_on
    return due_on is not None and status_on(commitment, due_on) is CommitmentStatus.WITHDRAWN


def due_in(commitments: Iterable[CommitmentRow], window: Window) -> list[CommitmentRow]:
    """Commitments due inside the window, less those withdrawn by their due date."""
    ledger = Ledger.of(commitments)
    return [
        ledger[position]
        for position in ledger.due_between(window.start, window.end)
        if ledger[position].made_on <= window.end and not ledger.withdrawn[position]
    ]


def outstanding_on(commitment: CommitmentRow, day: dt.date) -> bool:
    """Made by ``day`` and not yet closed (fulfilled, partly fulfilled, broken, withdrawn)."""
    return _outstanding(status_on(commitment, day))


def _outstanding(status: CommitmentStatus | None) -> bool:
    return status is not None and status not in CLOSED


def days_overdue(commitment: CommitmentRow, day: dt.date) -> int | None:
    """How many days past its due date an outstanding commitment is on ``day``; else None."""
    return _days_late(commitment, day) if outstanding_on(commitment, day) else None


def _days_late(commitment: CommitmentRow, day: dt.date) -> int | None:
    if commitment.due_on is None:
        return None
    late = (day - commitment.due_on).days
    return late if late > 0 else None


def settles_on(commitment: CommitmentRow) -> dt.date:
    """The day from which :func:`status_on` gives the commitment the same status for good:
    its last date of record (made, a change of status, fulfilled).

    ``status_on`` compares the day only with these dates, so past the last of them its
    answer can no longer change.
    """
    days = [commitment.made_on, *(step.changed_on for step in commitment.history)]
    if commitment.fulfilled_on is not None:
        days.append(commitment.fulfilled_on)
    return max(days)


class Ledger(tuple[CommitmentRow, ...]):
    """Commitments with what the indicators read off each one, worked out once.

    The indicators ask of every commitment, window after window, whether it was kept,
    withdrawn by its due date, or outstanding on a day, and a national case has
    20,000 commitments, most of them settled long ago. So each commitment's answers
    are worked out once, by the functions above, and kept in lists in the order of the
    commitments, with the status it settles to (:func:`settles_on`): asked about a day
    after that, the ledger answers without reading its history again. :func:`ledger`
    keeps one per case; given plain rows, the functions build their own (``Ledger.of``).

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day
    >>> from governance.vocab import CommitmentStatus as S
    >>> book = Ledger.of([commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-04-20")),
    ...                   commitment("2022-03-01", "2022-05-01")])
    >>> book.kept, list(book.outstanding(day("2022-04-30"))), book.days_overdue(day("2022-06-30"))
    ([True, False], [0, 1], [None, 60])
    """

    fulfilled: list[dt.date | None]
    kept: list[bool]
    withdrawn: list[bool]
    #: The day each commitment's status settles, and whether it is outstanding from then on.
    settles_on: list[dt.date]
    settled_outstanding: list[bool]
    #: The positions of the commitments with a due date, by due date, and their due dates.
    by_due: list[int]
    due_days: list[dt.date]
    _outstanding: dict[dt.date, bytes]
    _overdue: dict[dt.date, list[int | None]]

    @classmethod
    def of(cls, commitments: Iterable[CommitmentRow]) -> Ledger:
        """``commitments`` as a ledger (themselves when they are one)."""
        if isinstance(commitments, Ledger):
            return commitments
        ledger = cls(commitments)
        ledger.fulfilled = [fulfilled_on(c) for c in ledger]
        ledger.kept = [_kept(c, done) for c, done in zip(ledger, ledger.fulfilled, strict=True)]
        ledger.settles_on = [settles_on(c) for c in ledger]
        settled = [status_on(c, day) for c, day in zip(ledger, ledger.settles_on, strict=True)]
        ledger.settled_outstanding = [_outstanding(status) for status in settled]
        ledger.withdrawn = [
            c.due_on is not None
            and (final if c.due_on >= day else status_on(c, c.due_on)) is CommitmentStatus.WITHDRAWN
            for c, day, final in zip(ledger, ledger.settles_on, settled, strict=True)
        ]
        dated = [(c.due_on, position) for position, c in enumerate(ledger) if c.due_on is not None]
        dated.sort(key=itemgetter(0))
        ledger.due_days = [due_on for due_on, _ in dated]
        ledger.by_due = [position for _, position in dated]
        ledger._outstanding = {}
        ledger._overdue = {}
        return ledger

    def due_between(self, start: dt.date, end: dt.date) -> list[int]:
        """The positions, in order, of the commitments due from ``start`` to ``end``."""
        return sorted(
            self.by_due[bisect_left(self.due_days, start) : bisect_right(self.due_days, end)]
        )

    def outstanding(self, day: dt.date) -> bytes:
        """For each commitment, 1 when it is outstanding on ``day``, else 0."""
        if day not in self._outstanding:
            self._outstanding[day] = bytes(
                outstanding if day >= settles else outstanding_on(c, day)
                for c, settles, outstanding in zip(
                    self, self.settles_on, self.settled_outstanding, strict=True
                )
            )
        return self._outstanding[day]

    def days_overdue(self, day: dt.date) -> list[int | None]:
        """For each commitment, how many days overdue it is on ``day`` (None if it is not)."""
        if day not in self._overdue:
            self._overdue[day] = [
                _days_late(c, day) if outstanding else None
                for c, outstanding in zip(self, self.outstanding(day), strict=True)
            ]
        return self._overdue[day]


def ledger(case: CaseData) -> Ledger:
    """The case's commitments as a :class:`Ledger`, worked out once per case."""
    return case.derived(_ledger_of)


def _ledger_of(case: CaseData) -> Ledger:
    return Ledger.of(case.commitments)


def participating(
    participations: Iterable[ParticipationRow], window: Window
) -> list[ParticipationRow]:
    """Participations that overlap the window (joined by its end, not left before its start)."""
    return [
        p
        for p in participations
        if (p.joined_on is None or p.joined_on <= window.end)
        and (p.left_on is None or p.left_on >= window.start)
    ]


@dataclass(frozen=True)
class SmallWin:
    """A measurement that moved a small-win outcome towards its target."""

    day: dt.date
    outcome_id: int
    title: str
    value: float


def small_wins(outcomes: Iterable[OutcomeRow], day: dt.date) -> list[SmallWin]:
    """Small wins recorded on or before ``day``, in date order.

    A small win is a measurement of an outcome of level ``small_win`` that moves it
    closer to its target than the measurement before (the baseline for the first).
    Whether a measurement is a win depends only on the ones before it, so the wins up
    to a day are the first of all the wins: given :class:`Outcomes` (see
    :func:`outcomes_of`), they are found once per case.
    """
    found = Outcomes.of(outcomes)
    return found.wins[: bisect_right(found.win_days, day)]


def _every_small_win(outcomes: Iterable[OutcomeRow]) -> list[SmallWin]:
    found: list[SmallWin] = []
    for outcome in outcomes:
        if outcome.level is not OutcomeLevel.SMALL_WIN or outcome.target == outcome.baseline:
            continue
        direction = 1.0 if outcome.target > outcome.baseline else -1.0
        previous = outcome.baseline
        for measurement in sorted(outcome.measurements, key=_measured_on):
            if (measurement.value - previous) * direction > 0:
                found.append(
                    SmallWin(measurement.measured_on, outcome.id, outcome.title, measurement.value)
                )
            previous = measurement.value
    return sorted(found, key=attrgetter("day", "outcome_id"))


class Outcomes(tuple[OutcomeRow, ...]):
    """Outcomes with every small win among their measurements, in date order, found once."""

    wins: list[SmallWin]
    win_days: list[dt.date]

    @classmethod
    def of(cls, outcomes: Iterable[OutcomeRow]) -> Outcomes:
        """``outcomes`` with their wins (themselves when they have them already)."""
        if isinstance(outcomes, Outcomes):
            return outcomes
        found = cls(outcomes)
        found.wins = _every_small_win(found)
        found.win_days = [win.day for win in found.wins]
        return found


def outcomes_of(case: CaseData) -> Outcomes:
    """The case's outcomes with their small wins, found once per case."""
    return case.derived(_with_wins)


def _with_wins(case: CaseData) -> Outcomes:
    return Outcomes.of(case.outcomes)


#: A measurement's day, the order measurements are read in.
_measured_on = attrgetter("measured_on")


def is_state(stakeholders: Mapping[int, StakeholderRow], stakeholder_id: int) -> bool | None:
    """Whether the stakeholder is a state actor; None when it is unknown."""
    row = stakeholders.get(stakeholder_id)
    return None if row is None else row.is_state


def names(stakeholders: Mapping[int, StakeholderRow], ids: Sequence[int]) -> list[str]:
    """The stakeholders' names, for evidence shown to people."""
    return [stakeholders[i].name if i in stakeholders else f"#{i}" for i in ids]
