"""A meeting's row: its attendance packed or given as rows reads the same, and the held
meetings cut by date as a plain sort and filter would."""

from __future__ import annotations

import datetime as dt
import doctest
from zoneinfo import ZoneInfo

import pytest

from governance.cases import meetings as meetings_module
from governance.cases.meetings import (
    ATTENDED,
    INVITED,
    ROLES,
    SHIFT,
    AttendanceRow,
    HeldMeetings,
    MeetingRow,
    PackedSeats,
)
from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus

UTC = dt.UTC
JAKARTA = ZoneInfo("Asia/Jakarta")


def meeting(
    meeting_id: int,
    starts_at: dt.datetime,
    seats: tuple[AttendanceRow, ...] | PackedSeats = (),
    status: MeetingStatus = MeetingStatus.HELD,
) -> MeetingRow:
    return MeetingRow(
        meeting_id,
        1,
        f"Meeting {meeting_id}",
        starts_at,
        None,
        MeetingMode.HYBRID,
        status,
        None,
        seats,
    )


def packed(*seats: tuple[int, int, bool, bool, AttendanceRole]) -> PackedSeats:
    """Seats as the database packs them: (attendance id, stakeholder, invited, attended, role)."""
    codes = [
        (stakeholder << SHIFT) + INVITED * invited + ATTENDED * attended + ROLES.index(role)
        for _, stakeholder, invited, attended, role in seats
    ]
    return PackedSeats(",".join(str(s[0]) for s in seats), ",".join(map(str, codes)))


ON = dt.datetime(2022, 5, 10, 3, 0, tzinfo=UTC)


class TestPackedSeats:
    def test_unpack_to_the_rows_in_the_order_they_were_recorded(self) -> None:
        seats = packed(
            (31, 700, True, False, AttendanceRole.OBSERVER),
            (4, 12, True, True, AttendanceRole.CHAIR),
            (9, 5_000_000, False, True, AttendanceRole.FACILITATOR),
        )

        assert seats.rows() == (
            AttendanceRow(12, True, True, AttendanceRole.CHAIR),
            AttendanceRow(5_000_000, False, True, AttendanceRole.FACILITATOR),
            AttendanceRow(700, True, False, AttendanceRole.OBSERVER),
        )
        assert seats.attendees() == frozenset({12, 5_000_000})

    def test_every_role_survives_packing(self) -> None:
        seats = packed(*((i, 10 + i, True, True, role) for i, role in enumerate(AttendanceRole)))

        assert [row.role for row in seats.rows()] == list(AttendanceRole)


class TestMeetingRow:
    ROWS = (
        AttendanceRow(12, True, True, AttendanceRole.CHAIR),
        AttendanceRow(700, True, False, AttendanceRole.OBSERVER),
    )
    PACKED = packed(
        (8, 700, True, False, AttendanceRole.OBSERVER), (3, 12, True, True, AttendanceRole.CHAIR)
    )

    def test_packed_seats_read_as_the_rows_they_stand_for(self) -> None:
        given, read = meeting(1, ON, self.ROWS), meeting(1, ON, self.PACKED)

        assert read.attendance == given.attendance == self.ROWS
        assert read.attendees == given.attendees == frozenset({12})
        assert read == given
        assert hash(read) == hash(given)

    def test_differs_when_its_attendance_does(self) -> None:
        assert meeting(1, ON, self.ROWS) != meeting(1, ON, self.ROWS[:1])
        assert meeting(1, ON, self.ROWS) != meeting(2, ON, self.ROWS)

    def test_held_on_is_the_day_of_its_start(self) -> None:
        late_evening = dt.datetime(2022, 5, 10, 23, 30, tzinfo=UTC)

        assert meeting(1, late_evening).held_on == dt.date(2022, 5, 10)

    def test_stays_frozen(self) -> None:
        row = meeting(1, ON, self.ROWS)

        with pytest.raises(AttributeError):
            row.title = "Changed"  # type: ignore[misc]


def plain_held_until(rows: list[MeetingRow], day: dt.date) -> list[MeetingRow]:
    """How the diagnosis cut meetings by date before: filter, then sort."""
    return sorted(
        (m for m in rows if m.status is MeetingStatus.HELD and m.held_on <= day),
        key=lambda m: (m.starts_at, m.id),
    )


class TestHeldMeetings:
    def rows(self) -> list[MeetingRow]:
        at = dt.datetime
        return [
            meeting(5, at(2022, 6, 1, 10, tzinfo=UTC)),
            meeting(2, at(2022, 4, 1, 10, tzinfo=UTC)),
            meeting(9, at(2022, 4, 1, 10, tzinfo=UTC)),
            meeting(7, at(2022, 5, 1, 10, tzinfo=UTC), status=MeetingStatus.CANCELLED),
            meeting(3, at(2022, 5, 20, 10, tzinfo=UTC), status=MeetingStatus.PLANNED),
            meeting(4, at(2022, 4, 15, 10, tzinfo=UTC)),
        ]

    @pytest.mark.parametrize("day", ["2022-03-31", "2022-04-01", "2022-04-14", "2022-06-01"])
    def test_until_a_day_is_the_plain_sort_and_filter(self, day: str) -> None:
        rows = self.rows()

        found = HeldMeetings.of(rows).until(dt.date.fromisoformat(day))

        assert found == plain_held_until(rows, dt.date.fromisoformat(day))

    def test_between_two_days_includes_both(self) -> None:
        found = HeldMeetings.of(self.rows()).between(dt.date(2022, 4, 1), dt.date(2022, 4, 15))

        assert [m.id for m in found] == [2, 9, 4]

    def test_days_out_of_order_across_time_zones_are_still_cut_right(self) -> None:
        # 06:00 in Jakarta is 23:00 UTC the day before: sorted by instant, the days go back.
        rows = [
            meeting(1, dt.datetime(2022, 5, 1, 23, 30, tzinfo=UTC)),
            meeting(2, dt.datetime(2022, 5, 2, 6, 0, tzinfo=JAKARTA)),
        ]
        held = HeldMeetings.of(rows)

        assert [m.held_on.isoformat() for m in held] == ["2022-05-02", "2022-05-01"]
        assert held.until(dt.date(2022, 5, 1)) == plain_held_until(rows, dt.date(2022, 5, 1))
        assert [m.id for m in held.between(dt.date(2022, 5, 2), dt.date(2022, 5, 2))] == [2]

    def test_sorted_once(self) -> None:
        held = HeldMeetings.of(self.rows())

        assert HeldMeetings.of(held) is held


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(meetings_module).failed == 0
