"""Facts read off a case's rows that several indicators share.

Everything is judged as of a date: a meeting counts once held, a commitment has the
status its history gives it on that day, a small win counts once measured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from governance.cases.snapshot import (
    CommitmentRow,
    MeetingRow,
    OutcomeRow,
    ParticipationRow,
    StakeholderRow,
)
from governance.diagnosis.indicator import Window
from governance.vocab import CommitmentStatus, MeetingStatus, OutcomeLevel

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
    """Meetings held on or before ``day``, in date order."""
    return sorted(
        (m for m in meetings if m.status is MeetingStatus.HELD and m.held_on <= day),
        key=lambda m: (m.starts_at, m.id),
    )


def held_in(meetings: Iterable[MeetingRow], window: Window) -> list[MeetingRow]:
    """Meetings held inside the window, in date order."""
    return [m for m in held_until(meetings, window.end) if m.held_on >= window.start]


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
    done = fulfilled_on(commitment)
    return done is not None and commitment.due_on is not None and done <= commitment.due_on


def due_in(commitments: Iterable[CommitmentRow], window: Window) -> list[CommitmentRow]:
    """Commitments due inside the window, less those withdrawn by their due date."""
    return [
        c
        for c in commitments
        if c.due_on is not None
        and c.due_on in window
        and c.made_on <= window.end
        and status_on(c, c.due_on) is not CommitmentStatus.WITHDRAWN
    ]


def outstanding_on(commitment: CommitmentRow, day: dt.date) -> bool:
    """Made by ``day`` and not yet closed (fulfilled, partly fulfilled, broken, withdrawn)."""
    status = status_on(commitment, day)
    return status is not None and status not in CLOSED


def days_overdue(commitment: CommitmentRow, day: dt.date) -> int | None:
    """How many days past its due date an outstanding commitment is on ``day``; else None."""
    if commitment.due_on is None or not outstanding_on(commitment, day):
        return None
    late = (day - commitment.due_on).days
    return late if late > 0 else None


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
    """
    found: list[SmallWin] = []
    for outcome in outcomes:
        if outcome.level is not OutcomeLevel.SMALL_WIN or outcome.target == outcome.baseline:
            continue
        direction = 1.0 if outcome.target > outcome.baseline else -1.0
        previous = outcome.baseline
        for measurement in sorted(outcome.measurements, key=lambda m: m.measured_on):
            if measurement.measured_on > day:
                break
            if (measurement.value - previous) * direction > 0:
                found.append(
                    SmallWin(measurement.measured_on, outcome.id, outcome.title, measurement.value)
                )
            previous = measurement.value
    return sorted(found, key=lambda win: (win.day, win.outcome_id))


def is_state(stakeholders: Mapping[int, StakeholderRow], stakeholder_id: int) -> bool | None:
    """Whether the stakeholder is a state actor; None when it is unknown."""
    row = stakeholders.get(stakeholder_id)
    return None if row is None else row.is_state


def names(stakeholders: Mapping[int, StakeholderRow], ids: Sequence[int]) -> list[str]:
    """The stakeholders' names, for evidence shown to people."""
    return [stakeholders[i].name if i in stakeholders else f"#{i}" for i in ids]
