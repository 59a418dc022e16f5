"""Face-to-face dialogue: frequency, regularity, a shared room."""

from __future__ import annotations

import pytest

from governance.diagnosis.dialogue import in_person_share, meetings_per_30_days, regularity
from governance.diagnosis.examples import day, meeting
from governance.diagnosis.indicator import Window
from governance.vocab import MeetingMode, MeetingStatus

WINDOW = Window.ending(day("2022-06-30"), 90)


class TestMeetingsPer30Days:
    def test_held_meetings_scaled_to_30_days(self) -> None:
        held = [
            meeting("2022-04-10"),
            meeting("2022-05-10"),
            meeting("2022-06-10"),
            meeting("2022-06-20", status=MeetingStatus.CANCELLED),
            meeting("2022-06-25", status=MeetingStatus.PLANNED),
            meeting("2022-01-10"),
        ]

        result = meetings_per_30_days(held, WINDOW)

        assert result.value == 3 * 30 / 90

    def test_no_meeting_is_a_real_zero(self) -> None:
        result = meetings_per_30_days([], WINDOW)

        assert (result.value, result.reason) == (0.0, None)


class TestRegularity:
    @pytest.mark.parametrize(
        ("days", "expected"),
        [
            (["2022-04-10", "2022-05-10", "2022-06-09"], 1.0),  # gaps 30, 30
            (["2022-04-10", "2022-04-20", "2022-05-20"], 0.5),  # gaps 10, 30: CV 10/20
            (["2022-04-03", "2022-04-04", "2022-04-05", "2022-06-30"], 0.0),  # CV > 1: clamped
        ],
    )
    def test_one_minus_the_cv_of_the_gaps(self, days: list[str], expected: float) -> None:
        assert regularity([meeting(d) for d in days], WINDOW).value == pytest.approx(expected)

    def test_too_little_data_with_two_meetings(self) -> None:
        result = regularity([meeting("2022-04-10"), meeting("2022-05-10")], WINDOW)

        assert result.value is None
        assert result.reason == "too little data: fewer than 3 held meetings in the window"

    def test_too_little_data_when_all_on_one_day(self) -> None:
        same_day = [meeting("2022-05-10") for _ in range(3)]

        assert regularity(same_day, WINDOW).value is None


class TestInPersonShare:
    def test_in_person_and_hybrid_over_held(self) -> None:
        held = [
            meeting("2022-04-10", mode=MeetingMode.IN_PERSON),
            meeting("2022-05-10", mode=MeetingMode.HYBRID),
            meeting("2022-05-20", mode=MeetingMode.ONLINE),
            meeting("2022-06-10", mode=MeetingMode.ONLINE),
        ]

        result = in_person_share(held, WINDOW)

        assert result.value == 0.5
        assert result.detail == {"in_person": 1, "hybrid": 1, "online": 2}

    def test_too_little_data_without_meetings(self) -> None:
        assert (
            in_person_share([], WINDOW).reason == "too little data: no held meeting in the window"
        )
