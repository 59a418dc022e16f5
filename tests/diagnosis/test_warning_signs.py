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
from governance.vocab import (
    CommitmentStatus,
    Criterion,
    CriterionRating,
    ParticipationRole,
    Sector,
    TrustEventKind,
    Valence,
)

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
#: The coalition's own working group: only non-state actors, not initiated by a public agency.
COALITION_FORUM = forum(
    2,
    facilitator=2,
    criteria={
        Criterion.INITIATED_BY_PUBLIC_AGENCY: CriterionRating.NOT_MET,
        Criterion.INCLUDES_NON_STATE_ACTORS: CriterionRating.MET,
    },
)


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

    def test_a_fall_only_at_a_coalition_only_forum_is_no_warning(self) -> None:
        # Forum 1 is joint (Dinsos and Hendra meet SPRI and RW 05); forum 2 is the
        # coalition's own, rated as not initiated by a public agency. RW 05 keeps coming
        # to forum 1 (2 of 8 attendances in both windows) but leaves forum 2.
        meetings = [
            meeting("2022-02-01", 1, 2, 3, 5),
            meeting("2022-03-01", 1, 2, 3, 5),
            meeting("2022-02-15", 2, 3, forum_id=2),
            meeting("2022-03-15", 2, 3, forum_id=2),  # community: 4 of 12 before
            meeting("2022-05-01", 1, 2, 3, 5),
            meeting("2022-06-01", 1, 2, 3, 5),
            meeting("2022-05-15", 2, forum_id=2),
            meeting("2022-06-15", 2, forum_id=2),  # community: 2 of 10 now
        ]
        data = quiet(meetings=meetings, forums=[FORUM, COALITION_FORUM])

        found = diagnose(data, as_of=AS_OF)

        # Counting every forum, the share fell by (1/3 − 1/5) ÷ 1/3 = 40 %; at the joint
        # forum it held at 2 ÷ 8 = 25 %.
        share = found.indicator("attendance_share_community")
        assert share.value == pytest.approx(2 / 10)
        assert share.detail["joint_share"] == pytest.approx(2 / 8)
        assert share.detail["joint_forums"] == ["Forum 1"]
        assert "attendance_drop" not in [w.key for w in found.warnings]

    def test_a_fall_at_the_joint_forum_is_a_warning(self) -> None:
        # RW 05 misses one of forum 1's two meetings now but still goes to forum 2: at
        # every forum the community's share fell by only (4/12 − 3/11) ÷ 4/12 = 18 %.
        meetings = [
            meeting("2022-02-01", 1, 2, 3, 5),
            meeting("2022-03-01", 1, 2, 3, 5),  # joint: community 2 of 8 before
            meeting("2022-02-15", 2, 3, forum_id=2),
            meeting("2022-03-15", 2, 3, forum_id=2),
            meeting("2022-05-01", 1, 2, 5),
            meeting("2022-06-01", 1, 2, 3, 5),  # joint: community 1 of 7 now
            meeting("2022-05-15", 2, 3, forum_id=2),
            meeting("2022-06-15", 2, 3, forum_id=2),
        ]

        found = warnings_of(quiet(meetings=meetings, forums=[FORUM, COALITION_FORUM]))

        drop = found["attendance_drop"]
        # (2/8 − 1/7) ÷ 2/8 = 3/7.
        assert drop.evidence == {
            "sectors": [{"sector": "community", "before": 0.25, "now": 0.1429, "fall": 0.4286}],
            "limit": 0.3,
            "forums": ["Forum 1"],
        }
        assert drop.message == (
            "Attendance share at the forums where state and non-state actors meet fell by 30% "
            "or more since the previous 90 days: community from 25% to 14%."
        )

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
