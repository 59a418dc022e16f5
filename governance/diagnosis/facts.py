"""Facts read off a case's rows that several indicators share.

Everything is judged as of a date: a meeting counts once held, a commitment has the
status its history gives it on that day, a small win counts once measured.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    TrustEventRow,
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
    return [ledger[position] for position in ledger.due_in(window)]


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
    #: The positions of the commitments by the day their status settles, and those days.
    by_settling: list[int]
    settling_days: list[dt.date]
    #: The positions of the commitments by the day they were made, and those days.
    by_making: list[int]
    making_days: list[dt.date]
    #: The fulfilled commitments as (fulfilled on, id, position, row), by the day made.
    fulfilled_by_making: list[tuple[dt.date, int, int, CommitmentRow]]
    #: The positions of the commitments :func:`reliability <governance.diagnosis.trust.
    #: reliability>` counts (due, not withdrawn by then) by the day they count from (the
    #: later of made and due), and those days.
    by_counting: list[int]
    counting_days: list[dt.date]
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
        # status_on(c, settles_on(c)): past every date of record, the history's last step
        # (whatever the order of the steps), else the current status.
        settled = [c.history[-1].to_status if c.history else c.status for c in ledger]
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
        settling = sorted(range(len(ledger)), key=ledger.settles_on.__getitem__)
        ledger.by_settling = settling
        ledger.settling_days = [ledger.settles_on[position] for position in settling]
        made = [c.made_on for c in ledger]
        making = sorted(range(len(ledger)), key=made.__getitem__)
        ledger.by_making = making
        ledger.making_days = [made[position] for position in making]
        ledger.fulfilled_by_making = [
            (done, ledger[position].id, position, ledger[position])
            for position in making
            if (done := ledger.fulfilled[position]) is not None
        ]
        counted = [
            (max(c.due_on, c.made_on), position)
            for position, c in enumerate(ledger)
            if c.due_on is not None and not ledger.withdrawn[position]
        ]
        counted.sort(key=itemgetter(0))
        ledger.counting_days = [day for day, _ in counted]
        ledger.by_counting = [position for _, position in counted]
        ledger._outstanding = {}
        ledger._overdue = {}
        return ledger

    def due_between(self, start: dt.date, end: dt.date) -> list[int]:
        """The positions, in order, of the commitments due from ``start`` to ``end``."""
        return sorted(
            self.by_due[bisect_left(self.due_days, start) : bisect_right(self.due_days, end)]
        )

    def due_in(self, window: Window) -> list[int]:
        """The positions, in order, of the commitments :func:`due_in` the window."""
        return [
            position
            for position in self.due_between(window.start, window.end)
            if self[position].made_on <= window.end and not self.withdrawn[position]
        ]

    def outstanding(self, day: dt.date) -> bytes:
        """For each commitment, 1 when it is outstanding on ``day``, else 0.

        Those settled by ``day`` answer as they settled, those made after it are not
        outstanding; only the others are read again. Both sets are found by bisection,
        and the smaller one is walked.
        """
        if day not in self._outstanding:
            settled = bisect_right(self.settling_days, day)
            made = bisect_right(self.making_days, day)
            if made <= len(self) - settled:
                found = bytearray(len(self))
                for position in self.by_making[:made]:
                    found[position] = (
                        self.settled_outstanding[position]
                        if self.settles_on[position] <= day
                        else outstanding_on(self[position], day)
                    )
            else:
                found = bytearray(self.settled_outstanding)
                for position in self.by_settling[settled:]:
                    found[position] = outstanding_on(self[position], day)
            self._outstanding[day] = bytes(found)
        return self._outstanding[day]

    def days_overdue(self, day: dt.date) -> list[int | None]:
        """For each commitment, how many days overdue it is on ``day`` (None if it is not)."""
        if day not in self._overdue:
            overdue: list[int | None] = [None] * len(self)
            for position in self.outstanding_positions(day):
                overdue[position] = _days_late(self[position], day)
            self._overdue[day] = overdue
        return self._overdue[day]

    def made_between(self, start: dt.date | None, end: dt.date) -> list[CommitmentRow]:
        """The commitments made from ``start`` (None: ever) to ``end``, by the day made."""
        first = 0 if start is None else bisect_left(self.making_days, start)
        return [self[p] for p in self.by_making[first : bisect_right(self.making_days, end)]]

    def counted_by(self, day: dt.date) -> list[int]:
        """The positions, in order, of the commitments made and due by ``day`` and not
        withdrawn by their due date."""
        return sorted(self.by_counting[: bisect_right(self.counting_days, day)])

    def outstanding_positions(self, day: dt.date) -> Iterator[int]:
        """The positions, in order, of the commitments outstanding on ``day``."""
        outstanding = self.outstanding(day)
        position = outstanding.find(1)
        while position != -1:
            yield position
            position = outstanding.find(1, position + 1)


def ledger(case: CaseData) -> Ledger:
    """The case's commitments as a :class:`Ledger`, worked out once per case."""
    return case.derived(_ledger_of)


def _ledger_of(case: CaseData) -> Ledger:
    return Ledger.of(case.commitments)


class TrustEvents(tuple[TrustEventRow, ...]):
    """Trust events with their days, to find those up to a day by bisection when they
    come in date order (as :func:`governance.cases.snapshot.load_case` reads them)."""

    days: list[dt.date]
    in_day_order: bool

    @classmethod
    def of(cls, events: Iterable[TrustEventRow]) -> TrustEvents:
        """``events`` with their days (themselves when they have them already)."""
        if isinstance(events, TrustEvents):
            return events
        found = cls(events)
        found.days = [e.occurred_on for e in found]
        found.in_day_order = all(a <= b for a, b in itertools.pairwise(found.days))
        return found

    def between(self, start: dt.date | None, end: dt.date) -> list[TrustEventRow]:
        """The events from ``start`` (None: ever) to ``end``, both included, in the order given."""
        if not self.in_day_order:
            return [
                e
                for e in self
                if (start is None or start <= e.occurred_on) and e.occurred_on <= end
            ]
        first = 0 if start is None else bisect_left(self.days, start)
        return list(self[first : bisect_right(self.days, end)])

    def before(self, day: dt.date) -> list[TrustEventRow]:
        """The events dated before ``day``, in the order given."""
        if not self.in_day_order:
            return [e for e in self if e.occurred_on < day]
        return list(self[: bisect_left(self.days, day)])


def trust_events(case: CaseData) -> TrustEvents:
    """The case's trust events with their days, worked out once per case."""
    return case.derived(_trust_events_of)


def _trust_events_of(case: CaseData) -> TrustEvents:
    return TrustEvents.of(case.trust_events)


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
    """Outcomes with every small win among their measurements, in date order, found once,
    and each outcome's measurements sorted by day, to find the latest as of a day by
    bisection."""

    wins: list[SmallWin]
    win_days: list[dt.date]
    #: Per outcome, its measurements' days and values, by day (the order given among equals).
    measured_days: list[list[dt.date]]
    measured_values: list[list[float]]

    @classmethod
    def of(cls, outcomes: Iterable[OutcomeRow]) -> Outcomes:
        """``outcomes`` with their wins (themselves when they have them already)."""
        if isinstance(outcomes, Outcomes):
            return outcomes
        found = cls(outcomes)
        found.wins = _every_small_win(found)
        found.win_days = [win.day for win in found.wins]
        found.measured_days = []
        found.measured_values = []
        for outcome in found:
            ordered = sorted(outcome.measurements, key=_measured_on)
            found.measured_days.append([m.measured_on for m in ordered])
            found.measured_values.append([m.value for m in ordered])
        return found

    def latest(self, day: dt.date) -> list[float | None]:
        """For each outcome, the value of its latest measurement on or before ``day``
        (the first given among those of that day); None when there is none."""
        values: list[float | None] = []
        for days, measured in zip(self.measured_days, self.measured_values, strict=True):
            count = bisect_right(days, day)
            values.append(measured[bisect_left(days, days[count - 1])] if count else None)
        return values


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
