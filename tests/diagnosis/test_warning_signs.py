"""Warning signs on hand-made cases: each shows when its data says so, with its evidence."""

from __future__ import annotations

import pytest

from governance.cases.snapshot import CaseData
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.examples import (
    case,
    commitment,
    day,
    event,
    forum,
    meeting,
    outcome,
    participation,
    stakeholder,
)
from governance.diagnosis.thresholds import Thresholds
from governance.diagnosis.warning_signs import WarningSign
from governance.vocab import CommitmentStatus, ParticipationRole, Sector, TrustEventKind, Valence

S = CommitmentStatus
AS_OF = day("2022-06-30")
PEOPLE = [
    stakeholder(1, Sector.GOVERNMENT, name="Dinsos", authority=4, budget=4, staff=4),
    stakeholder(2, name="SPRI", staff=1),
    stakeholder(3, Sector.COMMUNITY, name="RW 05"),
    stakeholder(5, Sector.GOVERNMENT, name="Hendra"),
]
#: A facilitator (5) who attends every meeting, so no leadership gap unless a test wants one.
FORUM = forum(1, facilitator=5)


def warnings_of(data: CaseData, thresholds: Thresholds | None = None) -> dict[str, WarningSign]:
    found = diagnose(data, as_of=AS_OF, thresholds=thresholds)
    return {w.key: w for w in found.warnings}


def quiet(**rows: object) -> CaseData:
    """A case with a present facilitator and one meeting in the window, plus ``rows``."""
    values: dict[str, object] = {
        "stakeholders": PEOPLE,
        "forums": [FORUM],
        "meetings": [meeting("2022-06-01", 1, 2, 5)],
    }
    return case(**(values | rows))  # type: ignore[arg-type]


class TestWarningSigns:
    def test_a_quiet_case_shows_none(self) -> None:
        assert warnings_of(quiet()) == {}

    def test_overdue_commitments_above_a_quarter(self) -> None:
        promises = [
            commitment("2022-03-01", "2022-05-01", owner=2),
            commitment("2022-03-01", "2022-09-01", owner=2),
        ]

        found = warnings_of(quiet(commitments=promises))["overdue_commitments"]

        assert found.message == (
            "1 of 2 open commitments (50%) are past their due date, above the limit of 25%."
        )
        assert found.evidence["overdue_ratio"] == 0.5

    def test_a_government_commitment_over_30_days_late(self) -> None:
        thirty = commitment("2022-03-01", "2022-05-31", owner=1)
        thirty_one = commitment("2022-03-01", "2022-05-30", owner=1)
        lenient = Thresholds.with_overrides({"overdue_ratio_max": 1})

        assert "government_commitment_late" not in warnings_of(quiet(commitments=[thirty]), lenient)
        found = warnings_of(quiet(commitments=[thirty_one]), lenient)["government_commitment_late"]
        assert found.message.startswith('Dinsos\'s commitment "A promise" is 31 days overdue')

    def test_a_sectors_attendance_share_down_by_30_percent(self) -> None:
        meetings = [
            meeting("2022-02-01", 1, 2, 3),
            meeting("2022-03-01", 1, 2, 3),  # community: 2 of 6 before
            meeting("2022-05-01", 1, 2, 5),
            meeting("2022-06-01", 1, 2, 3, 5),  # community: 1 of 7 now
        ]

        found = warnings_of(quiet(meetings=meetings))["attendance_drop"]

        assert found.evidence["sectors"] == [
            {"sector": "community", "before": 0.3333, "now": 0.1429, "fall": 0.5714}
        ]
        assert "community from 33% to 14%" in found.message

    def test_a_trust_deficit(self) -> None:
        events = [event("2022-06-01", Valence.NEGATIVE, 2), event("2022-06-02", Valence.POSITIVE)]

        found = warnings_of(quiet(trust_events=events))["trust_deficit"]

        negative, positive = 2 * 0.5 ** (29 / 60), 0.5 ** (28 / 60)
        expected = (positive - negative) / (positive + negative)
        assert found.evidence["net_trust_balance"] == pytest.approx(expected)
        assert found.message.startswith("Recent trust events are more negative than positive")

    def test_a_protest(self) -> None:
        events = [event("2022-06-01", Valence.NEGATIVE, kind=TrustEventKind.PROTEST)]

        assert "alternative_venue" in warnings_of(quiet(trust_events=events))

    def test_no_small_win_once_old_enough(self) -> None:
        old = [meeting("2021-06-01", 1, 2, 5), meeting("2022-06-01", 1, 2, 5)]
        young = [meeting("2022-03-01", 1, 2, 5), meeting("2022-06-01", 1, 2, 5)]
        stale = outcome(0, 100, ("2021-07-01", 10))

        assert "no_small_win" in warnings_of(quiet(meetings=old))
        assert "no_small_win" in warnings_of(quiet(meetings=old, outcomes=[stale]))
        assert "no_small_win" not in warnings_of(quiet(meetings=young))

    def test_minutes_late_for_two_meetings(self) -> None:
        meetings = [
            meeting("2022-05-01", 1, 2, 5, minutes_on="2022-05-20"),
            meeting("2022-06-01", 1, 2, 5),
        ]

        found = warnings_of(quiet(meetings=meetings))["transparency_lapse"]

        assert len(found.evidence["lapsed"]) == 2
        assert "transparency_lapse" not in warnings_of(quiet(meetings=meetings[:1]))

    def test_high_asymmetry_without_empowerment(self) -> None:
        joined = [
            participation(1),
            participation(2),
            participation(3, ParticipationRole.AFFECTED_GROUP),
        ]
        helped = [commitment("2022-03-01", "2022-09-01", owner=1, counterpart=3)]

        found = warnings_of(quiet(participations=joined))["unaddressed_asymmetry"]

        assert found.evidence["resource_asymmetry"] >= 0.4
        assert "unaddressed_asymmetry" not in warnings_of(
            quiet(participations=joined, commitments=helped)
        )

    def test_no_facilitator(self) -> None:
        found = warnings_of(quiet(forums=[forum(1)]))["leadership_gap"]

        assert found.message == "No facilitator is designated for the forums or the collaboration."

    def test_an_absent_facilitator(self) -> None:
        meetings = [meeting("2022-05-01", 1, 2), meeting("2022-06-01", 1, 2, 5)]

        found = warnings_of(
            quiet(meetings=meetings), Thresholds.with_overrides({"facilitator_attendance_min": 0.6})
        )["leadership_gap"]

        assert found.message == "The facilitator attended 1 of 2 held meetings (50%), below 60%."
