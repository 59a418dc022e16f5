"""The quarterly series: one diagnosis per calendar quarter of the collaboration's life."""

from __future__ import annotations

from governance.diagnosis.examples import case, commitment, day, meeting, participation
from governance.diagnosis.series import MAX_QUARTERS, life_start, series


class TestSeries:
    def test_one_point_per_quarter_from_the_start_to_the_as_of_date(self) -> None:
        data = case(
            started="2021-05-05",
            meetings=[meeting("2021-05-10", 1), meeting("2021-11-10", 1)],
        )

        found = series(data, as_of=day("2022-02-15"))

        assert [p.quarter for p in found.points] == ["2021Q2", "2021Q3", "2021Q4", "2022Q1"]
        assert [p.diagnosis.phase.code for p in found.points] == ["P1", "P1", "P1", "P1"]
        last = found.points[-1]
        assert (last.window.start, last.window.end) == (day("2022-01-01"), day("2022-02-15"))
        assert last.diagnosis.window.days == 46
        meetings = [
            p.diagnosis.indicator("meetings_per_30_days").detail["held"] for p in found.points
        ]
        assert meetings == [1, 0, 1, 0]
        assert found.truncated is False

    def test_the_life_starts_at_the_first_record_without_a_start_date(self) -> None:
        data = case(
            participations=[participation(1, joined="2021-03-01")],
            commitments=[commitment("2021-02-10", None)],
            meetings=[meeting("2021-04-01", 1)],
        )

        assert life_start(data) == day("2021-02-10")

    def test_empty_before_the_collaboration_began(self) -> None:
        assert series(case(started="2023-01-01"), as_of=day("2022-06-30")).points == ()

    def test_keeps_the_latest_quarters_of_a_very_long_life(self) -> None:
        found = series(case(started="1900-01-01"), as_of=day("2022-06-30"))

        assert len(found.points) == MAX_QUARTERS
        assert found.points[-1].quarter == "2022Q2"
        assert found.truncated is True
