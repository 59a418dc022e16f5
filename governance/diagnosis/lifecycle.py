"""Life-cycle status: active, dormant (no meeting for too long) or declining (attendance
and fulfilment both falling from one window to the next)."""

from __future__ import annotations

import enum
import itertools
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from governance.cases.meetings import HeldMeetings
from governance.cases.snapshot import CommitmentRow, MeetingRow
from governance.diagnosis import facts
from governance.diagnosis.commitment import on_time_fulfilment
from governance.diagnosis.indicator import Window
from governance.diagnosis.messages import N_, Message, number, share, text
from governance.diagnosis.thresholds import Thresholds


class Status(enum.StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    DECLINING = "declining"


#: The rules in words, shown with the status (a message id).
RULES = N_(
    "dormant: no held meeting for more than dormant_gap_factor × the median gap between held "
    "meetings (the window's length while fewer than 2 meetings were held); declining: mean "
    "attendance per held meeting and on-time fulfilment both fell by at least declining_fall "
    "from the previous window to this one; active: neither"
)


@dataclass(frozen=True)
class Lifecycle:
    status: Status
    reason_message: Message
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why this status, in English."""
        return str(self.reason_message)


def mean_attendance(meetings: Iterable[MeetingRow], window: Window) -> float | None:
    """Mean number of stakeholders attending a held meeting in the window; None without one.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, meeting
    >>> mean_attendance([meeting("2022-05-01", 1, 2, 3), meeting("2022-06-01", 1)],
    ...                 Window.ending(day("2022-06-30"), 90))
    2.0
    """
    held = facts.held_in(meetings, window)
    if not held:
        return None
    return sum(len(m.attendees) for m in held) / len(held)


def lifecycle(
    meetings: Iterable[MeetingRow],
    commitments: Iterable[CommitmentRow],
    window: Window,
    thresholds: Thresholds,
) -> Lifecycle:
    """The collaboration's life-cycle status as of ``window.end``.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, meeting
    >>> monthly = [meeting(f"2021-{m:02}-10", 1) for m in range(1, 7)]
    >>> lifecycle(monthly, [], Window.ending(day("2021-07-01"), 90), Thresholds()).status
    <Status.ACTIVE: 'active'>
    >>> found = lifecycle(monthly, [], Window.ending(day("2021-09-30"), 90), Thresholds())
    >>> found.status, found.evidence["days_since_last_meeting"], found.evidence["limit_days"]
    (<Status.DORMANT: 'dormant'>, 112, 62.0)
    """
    meetings = HeldMeetings.of(meetings)
    commitments = facts.Ledger.of(commitments)
    held = facts.held_until(meetings, window.end)
    if not held:
        return Lifecycle(Status.DORMANT, text(N_("no meeting has been held yet")))
    since = (window.end - held[-1].held_on).days
    gaps = [(b.held_on - a.held_on).days for a, b in itertools.pairwise(held)]
    median_gap = float(statistics.median(gaps)) if gaps else None
    # Meetings all on one day give a zero median gap: allow at least a day.
    limit = (
        max(thresholds.dormant_gap_factor * median_gap, 1.0)
        if median_gap is not None
        else float(window.days)
    )
    evidence: dict[str, Any] = {
        "last_meeting": held[-1].held_on.isoformat(),
        "days_since_last_meeting": since,
        "median_gap_days": median_gap,
        "limit_days": limit,
    }
    if since > limit:
        return Lifecycle(
            Status.DORMANT,
            text(
                N_("no meeting for %(days)s days, more than the limit of %(limit)s days"),
                days=since,
                limit=number(limit),
            ),
            evidence,
        )

    before = window.previous()
    attendance = (mean_attendance(meetings, window), mean_attendance(meetings, before))
    fulfilment = (
        on_time_fulfilment(commitments, window).value,
        on_time_fulfilment(commitments, before).value,
    )
    evidence |= {
        "attendance_now": attendance[0],
        "attendance_before": attendance[1],
        "fulfilment_now": fulfilment[0],
        "fulfilment_before": fulfilment[1],
    }
    if _fell(*attendance, thresholds.declining_fall) and _fell(
        *fulfilment, thresholds.declining_fall
    ):
        return Lifecycle(
            Status.DECLINING,
            text(
                N_(
                    "mean attendance fell from %(attendance_before)s to %(attendance_now)s and "
                    "on-time fulfilment from %(fulfilment_before)s to %(fulfilment_now)s since "
                    "the previous %(days)s days"
                ),
                attendance_before=number(attendance[1] or 0.0, 1),
                attendance_now=number(attendance[0] or 0.0, 1),
                fulfilment_before=share(fulfilment[1] or 0.0),
                fulfilment_now=share(fulfilment[0] or 0.0),
                days=window.days,
            ),
            evidence,
        )
    return Lifecycle(
        Status.ACTIVE,
        text(
            N_("last meeting %(days)s days ago, within %(limit)s"), days=since, limit=number(limit)
        ),
        evidence,
    )


def _fell(now: float | None, before: float | None, fall: float) -> bool:
    """Whether ``now`` is at least ``fall`` (a fraction) below a positive ``before``."""
    if now is None or before is None or before <= 0:
        return False
    return now <= before * (1 - fall) and now < before
