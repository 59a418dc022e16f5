"""A meeting's row, its attendance packed small, and the held meetings by date.

A national case has 20,000 meetings and 300,000 attendance rows. Building every row
as an object took seconds, while the diagnosis and the network mostly ask one thing
of a meeting: who attended. So :func:`governance.cases.snapshot.load_case` reads each
meeting's attendance as :class:`PackedSeats`, two lists the database aggregates, and
a :class:`MeetingRow` unpacks them only when asked, once: ``attendees`` when a
figure needs who attended, the full ``attendance`` rows when they are read. A meeting
built by hand takes its rows as before.

The diagnosis asks again and again for the meetings held up to a day or within a
window; :class:`HeldMeetings` sorts them once and answers by bisection.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    stakeholder_id: int
    invited: bool
    attended: bool
    role: AttendanceRole


#: Attendance roles by their position in a packed seat.
ROLES: tuple[AttendanceRole, ...] = tuple(AttendanceRole)
#: A packed seat is one integer: the stakeholder id shifted left by SHIFT bits, then the
#: INVITED and ATTENDED bits, then the role's position in :data:`ROLES`.
ROLE_BITS = max(1, (len(ROLES) - 1).bit_length())
ATTENDED = 1 << ROLE_BITS
INVITED = ATTENDED << 1
SHIFT = ROLE_BITS + 2


@dataclass(frozen=True, slots=True)
class PackedSeats:
    """One meeting's attendance as the database aggregates it: two comma-separated lists.

    ``ids`` are the attendance rows' ids and ``codes`` the packed seats (see
    :data:`SHIFT`), position by position.

    Examples
    --------
    >>> absent, chair = (12 << SHIFT) + INVITED, (30 << SHIFT) + INVITED + ATTENDED
    >>> seats = PackedSeats("7,5", f"{absent},{chair}")
    >>> [(row.stakeholder_id, row.attended, row.role.value) for row in seats.rows()]
    [(30, True, 'chair'), (12, False, 'chair')]
    >>> sorted(seats.attendees())
    [30]
    """

    ids: str
    codes: str

    def rows(self) -> tuple[AttendanceRow, ...]:
        """The attendance rows, in the order of their ids (the order they were recorded)."""
        ids, codes = self.ids.split(","), self.codes.split(",")
        seats = sorted(zip(map(int, ids), map(int, codes), strict=True))
        role_mask = ATTENDED - 1
        return tuple(
            AttendanceRow(
                code >> SHIFT, bool(code & INVITED), bool(code & ATTENDED), ROLES[code & role_mask]
            )
            for _, code in seats
        )

    def attendees(self) -> frozenset[int]:
        """The stakeholders who attended."""
        return frozenset(
            [code >> SHIFT for code in map(int, self.codes.split(",")) if code & ATTENDED]
        )


@dataclass(frozen=True, eq=False)
class MeetingRow:
    """A meeting and who was invited to it and came.

    ``seats`` are the attendance rows, or the :class:`PackedSeats` that ``load_case``
    reads; either way ``attendance`` gives the rows and ``attendees`` who attended, each
    worked out once. Two meetings are equal when their fields and attendance rows are.
    """

    id: int
    forum_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    status: MeetingStatus
    minutes_circulated_on: dt.date | None
    seats: tuple[AttendanceRow, ...] | PackedSeats
    #: The day of ``starts_at``, kept: the diagnosis compares it a million times.
    held_on: dt.date = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "held_on", self.starts_at.date())

    @cached_property
    def attendance(self) -> tuple[AttendanceRow, ...]:
        """Every invitation and attendance, in the order they were recorded."""
        return self.seats.rows() if isinstance(self.seats, PackedSeats) else self.seats

    @cached_property
    def attendees(self) -> frozenset[int]:
        """The stakeholders who attended."""
        if isinstance(self.seats, PackedSeats):
            return self.seats.attendees()
        return frozenset(row.stakeholder_id for row in self.seats if row.attended)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MeetingRow):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def _compared(self) -> tuple[object, ...]:
        """Its fields, the attendance as rows however they were given."""
        return (
            self.id,
            self.forum_id,
            self.title,
            self.starts_at,
            self.ends_at,
            self.mode,
            self.status,
            self.minutes_circulated_on,
            self.attendance,
        )


class HeldMeetings(tuple[MeetingRow, ...]):
    """The held meetings among some meetings, in date order (``starts_at``, then id).

    Sorted once, then the meetings held up to a day or between two days are found by
    bisection, as a list in the same order.

    Examples
    --------
    >>> def meeting(id, day, status=MeetingStatus.HELD):
    ...     start = dt.datetime.fromisoformat(f"{day}T10:00+00:00")
    ...     return MeetingRow(id, 1, "m", start, None, MeetingMode.ONLINE, status, None, ())
    >>> held = HeldMeetings.of([meeting(1, "2022-05-10"), meeting(2, "2022-04-01"),
    ...                         meeting(3, "2022-04-20", MeetingStatus.CANCELLED)])
    >>> [m.id for m in held]
    [2, 1]
    >>> [m.id for m in held.until(dt.date(2022, 5, 9))]
    [2]
    >>> [m.id for m in held.between(dt.date(2022, 4, 2), dt.date(2022, 6, 30))]
    [1]
    """

    days: list[dt.date]

    @classmethod
    def of(cls, meetings: Iterable[MeetingRow]) -> HeldMeetings:
        """The held ones among ``meetings`` (``meetings`` itself when already sorted out)."""
        if isinstance(meetings, HeldMeetings):
            return meetings
        held = cls(
            sorted(
                (m for m in meetings if m.status is MeetingStatus.HELD),
                key=attrgetter("starts_at", "id"),
            )
        )
        held.days = [m.held_on for m in held]
        return held

    @cached_property
    def _in_day_order(self) -> bool:
        """Whether the days rise with the instants (not so when time zones differ)."""
        return all(a <= b for a, b in itertools.pairwise(self.days))

    def until(self, day: dt.date) -> list[MeetingRow]:
        """The meetings held on or before ``day``."""
        if not self._in_day_order:
            return [m for m in self if m.held_on <= day]
        return list(self[: bisect_right(self.days, day)])

    def between(self, start: dt.date, end: dt.date) -> list[MeetingRow]:
        """The meetings held from ``start`` to ``end``, both included."""
        if not self._in_day_order:
            return [m for m in self if start <= m.held_on <= end]
        return list(self[bisect_left(self.days, start) : bisect_right(self.days, end)])
