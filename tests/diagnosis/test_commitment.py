"""Commitment to the process: on-time fulfilment, overdue work, reciprocity, retention."""

from __future__ import annotations

from governance.diagnosis.commitment import (
    median_days_overdue,
    on_time_fulfilment,
    overdue_ratio,
    reciprocity,
    retention,
)
from governance.diagnosis.examples import commitment, day, meeting, stakeholder
from governance.diagnosis.indicator import Window
from governance.vocab import CommitmentStatus, Sector, StakeholderKind

S = CommitmentStatus
AS_OF = day("2022-06-30")
WINDOW = Window.ending(AS_OF, 90)
PEOPLE = {
    1: stakeholder(1, Sector.GOVERNMENT, name="Dinsos"),
    2: stakeholder(2, name="SPRI"),
    3: stakeholder(3, Sector.COMMUNITY, kind=StakeholderKind.GROUP, name="RW 05"),
    4: stakeholder(4, kind=StakeholderKind.PERSON, name="Hendra"),
}


class TestOnTimeFulfilment:
    def test_fulfilled_by_the_due_date_over_those_due(self) -> None:
        promises = [
            commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-05-01")),  # on the day
            commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-05-02")),  # a day late
            commitment("2022-03-01", "2022-05-01", (S.PARTLY_FULFILLED, "2022-04-20")),
            commitment("2022-03-01", "2022-05-01", (S.WITHDRAWN, "2022-04-01")),  # not counted
            commitment("2022-03-01", "2022-08-01"),  # not due in the window
        ]

        result = on_time_fulfilment(promises, WINDOW)

        assert result.value == 1 / 3
        assert result.detail == {"on_time": 1, "due": 3}

    def test_a_commitment_without_history_uses_its_fulfilment_date(self) -> None:
        row = commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-04-01"))
        bare = type(row)(**{**vars(row), "history": ()})

        assert on_time_fulfilment([bare], WINDOW).value == 1.0

    def test_too_little_data_when_nothing_fell_due(self) -> None:
        result = on_time_fulfilment([commitment("2022-03-01", None)], WINDOW)

        assert result.reason == "too little data: no commitment fell due in the window"


class TestOverdueRatio:
    def test_overdue_over_open_or_in_progress_in_the_window(self) -> None:
        promises = [
            commitment("2022-03-01", "2022-05-01"),  # overdue
            commitment("2022-03-01", "2022-05-01", (S.IN_PROGRESS, "2022-03-10")),  # overdue
            commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-05-20")),  # closed, late
            commitment("2022-06-01", "2022-09-01"),  # not due
            commitment("2021-01-01", "2021-02-01", (S.BROKEN, "2021-02-01")),  # closed before
            commitment("2021-01-01", "2021-02-01", (S.PARTLY_FULFILLED, "2021-03-01")),
        ]

        result = overdue_ratio(promises, WINDOW)

        assert result.value == 2 / 4
        assert result.detail == {"overdue": 2, "live": 4}

    def test_too_little_data_without_live_commitments(self) -> None:
        closed = commitment("2021-01-01", "2021-02-01", (S.FULFILLED, "2021-01-20"))

        assert overdue_ratio([closed], WINDOW).reason == (
            "too little data: no commitment was open or in progress in the window"
        )


class TestMedianDaysOverdue:
    def test_median_lateness_of_what_is_overdue(self) -> None:
        promises = [
            commitment("2022-03-01", "2022-06-20", owner=2),  # 10 days
            commitment("2022-03-01", "2022-06-01", owner=1),  # 29 days
            commitment("2022-03-01", "2022-05-01", owner=1),  # 60 days
            commitment("2022-03-01", "2022-04-01", (S.FULFILLED, "2022-06-01")),  # done
        ]

        result = median_days_overdue(promises, PEOPLE, AS_OF)

        assert result.value == 29
        first = result.detail["overdue"][0]
        assert (first["owner"], first["state"], first["days_overdue"]) == ("Dinsos", True, 60)

    def test_too_little_data_when_nothing_is_overdue(self) -> None:
        result = median_days_overdue([commitment("2022-03-01", "2022-07-01")], PEOPLE, AS_OF)

        assert result.reason == "too little data: no commitment is overdue on the as-of date"


class TestReciprocity:
    def test_smaller_side_over_larger_side(self) -> None:
        promises = [
            commitment("2022-05-01", None, owner=1),
            commitment("2022-05-01", None, owner=2),
            commitment("2022-05-02", None, owner=3),
            commitment("2022-05-03", None, owner=2),
            commitment("2021-05-03", None, owner=1),  # before the window
        ]

        result = reciprocity(promises, PEOPLE, WINDOW)

        assert result.value == 1 / 3
        assert result.detail == {"state": 1, "non_state": 3}

    def test_one_sided_is_zero(self) -> None:
        assert reciprocity([commitment("2022-05-01", None, owner=1)], PEOPLE, WINDOW).value == 0.0

    def test_too_little_data_without_new_commitments(self) -> None:
        assert reciprocity([], PEOPLE, WINDOW).reason == (
            "too little data: no commitment made in the window"
        )


class TestRetention:
    def test_organisations_from_the_first_three_meetings_still_attending(self) -> None:
        held = [
            meeting("2021-01-10", 1, 3, 4),  # the group and the person are not organisations
            meeting("2021-02-10", 2),
            meeting("2021-03-10", 1),
            meeting("2022-06-10", 2),
        ]

        result = retention(held, PEOPLE, WINDOW)

        assert result.value == 1 / 2
        assert result.detail["not_seen"] == ["Dinsos"]

    def test_too_little_data_before_three_meetings(self) -> None:
        held = [meeting("2022-06-01", 1), meeting("2022-06-10", 1)]

        assert retention(held, PEOPLE, WINDOW).reason == (
            "too little data: fewer than 3 held meetings up to the as-of date"
        )

    def test_too_little_data_without_organisations(self) -> None:
        held = [meeting(d, 3, 4) for d in ("2022-05-01", "2022-05-10", "2022-06-01")]

        assert retention(held, PEOPLE, WINDOW).value is None
