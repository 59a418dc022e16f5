"""Institutional design: inclusiveness, ground rules, the six criteria, transparency,
alternative venues."""

from __future__ import annotations

from governance.diagnosis.design import (
    affected_group_coverage,
    alternative_venue_events,
    attendance_shares,
    collaborative_criteria,
    ground_rules,
    joint_forums,
    minutes_on_time,
)
from governance.diagnosis.examples import day, event, forum, meeting, participation, stakeholder
from governance.diagnosis.indicator import Window
from governance.vocab import (
    Criterion,
    CriterionRating,
    MeetingStatus,
    ParticipationRole,
    Sector,
    TrustEventKind,
)

AS_OF = day("2022-06-30")
WINDOW = Window.ending(AS_OF, 90)
PEOPLE = {
    1: stakeholder(1, Sector.GOVERNMENT, name="Dinsos"),
    2: stakeholder(2, Sector.CIVIL_SOCIETY, name="SPRI"),
    3: stakeholder(3, Sector.COMMUNITY, name="RW 05"),
    4: stakeholder(4, Sector.COMMUNITY, name="Cilincing"),
}


class TestAttendanceShares:
    def test_one_share_per_sector_of_the_case(self) -> None:
        held = [
            meeting("2022-05-01", 1, 2, 3, absent=[4]),  # invited but absent: not counted
            meeting("2022-06-01", 1, 2),
            meeting("2022-06-20", 1, 2, 3, 4, status=MeetingStatus.PLANNED),
            meeting("2022-01-01", 3, 4),  # before the window
        ]

        shares = {i.key: i.value for i in attendance_shares(held, PEOPLE, WINDOW)}

        assert shares == {
            "attendance_share_government": 2 / 5,
            "attendance_share_civil_society": 2 / 5,
            "attendance_share_community": 1 / 5,
        }

    def test_too_little_data_without_attendance(self) -> None:
        results = attendance_shares([meeting("2022-01-01", 1)], PEOPLE, WINDOW)

        assert [r.value for r in results] == [None, None, None]
        assert results[0].reason == "too little data: no attendance at a held meeting in the window"
        assert results[0].label == "Attendance share: government"

    def test_details_the_share_at_joint_forums_only(self) -> None:
        # Forum 1 is joint (Dinsos and SPRI meet); forum 2 is the coalition's own.
        held = [
            meeting("2022-05-01", 1, 2, 3, forum_id=1),
            meeting("2022-05-08", 2, 3, 4, forum_id=2),
            meeting("2022-06-01", 1, 2, forum_id=1),
        ]

        results = attendance_shares(held, PEOPLE, WINDOW, forums=[forum(1), forum(2)])

        community = {r.key: r for r in results}["attendance_share_community"]
        # Every forum: 3 of 8 attendances; the joint forum alone: 1 of 5.
        assert community.value == 3 / 8
        assert community.detail["joint_share"] == 1 / 5
        assert community.detail["joint_attendances"] == 1
        assert community.detail["joint_total"] == 5
        assert community.detail["joint_forums"] == ["Forum 1"]

    def test_no_joint_share_when_no_joint_forum_met_in_the_window(self) -> None:
        held = [meeting("2022-05-08", 2, 3, forum_id=2), meeting("2022-01-10", 1, 2, forum_id=1)]

        results = attendance_shares(held, PEOPLE, WINDOW)

        assert [r.value for r in results] == [0, 1 / 2, 1 / 2]
        assert [r.detail["joint_share"] for r in results] == [None, None, None]
        assert results[0].detail["joint_forums"] == ["#1"]


class TestJointForums:
    def test_both_sides_attended_up_to_the_as_of_date(self) -> None:
        held = [
            meeting("2021-03-01", 1, 2, forum_id=1),  # both sides, long before the window
            meeting("2022-05-01", 2, 3, forum_id=1),  # the state side stayed away since
            meeting("2022-05-01", 2, 3, 4, forum_id=2),  # non-state only
            meeting("2022-05-01", 1, forum_id=3),  # state only
            meeting("2022-07-01", 1, 2, forum_id=4),  # after the as-of date
            meeting("2022-06-01", 1, 2, forum_id=5, status=MeetingStatus.PLANNED),
        ]

        assert joint_forums([], held, PEOPLE, AS_OF) == frozenset({1})

    def test_criteria_declare_a_side_but_never_remove_one(self) -> None:
        forums = [
            forum(2, criteria={Criterion.INITIATED_BY_PUBLIC_AGENCY: CriterionRating.MET}),
            forum(3, criteria={Criterion.INCLUDES_NON_STATE_ACTORS: CriterionRating.PARTIAL}),
            forum(4, criteria={Criterion.INITIATED_BY_PUBLIC_AGENCY: CriterionRating.NOT_MET}),
            forum(
                6,
                criteria={
                    Criterion.INITIATED_BY_PUBLIC_AGENCY: CriterionRating.MET,
                    Criterion.INCLUDES_NON_STATE_ACTORS: CriterionRating.MET,
                },
            ),
        ]
        held = [
            meeting("2022-05-01", 2, 3, forum_id=2),  # non-state attended, state declared
            meeting("2022-05-01", 1, forum_id=3),  # state attended, non-state declared
            meeting("2022-05-01", 1, 2, forum_id=4),  # both attended: "not met" removes none
            meeting("2022-05-01", 2, forum_id=5),  # non-state only, nothing declared
        ]

        assert joint_forums(forums, held, PEOPLE, AS_OF) == frozenset({2, 3, 4, 6})


class TestAffectedGroupCoverage:
    def test_affected_groups_that_came_over_those_taking_part(self) -> None:
        joined = [
            participation(2),
            participation(3, ParticipationRole.AFFECTED_GROUP),
            participation(4, ParticipationRole.AFFECTED_GROUP),
        ]

        result = affected_group_coverage([meeting("2022-05-01", 2, 3)], joined, PEOPLE, WINDOW)

        assert result.value == 0.5
        assert result.detail["absent"] == ["Cilincing"]

    def test_too_little_data_without_affected_groups(self) -> None:
        result = affected_group_coverage([meeting("2022-05-01", 2)], [participation(2)], {}, WINDOW)

        assert result.value is None
        assert result.reason == "too little data: no affected group participating in the window"


class TestGroundRules:
    def test_mean_fraction_over_the_forums_with_a_checklist(self) -> None:
        half = {"terms_of_reference": True, "decision_rule": True, "roles": True}
        full = dict.fromkeys(
            (
                "terms_of_reference",
                "decision_rule",
                "roles",
                "schedule",
                "dispute_procedure",
                "deadlines",
            ),
            True,
        )
        forums = [
            forum(1, ground_rules=half),
            forum(2, ground_rules=full),
            forum(3),  # never filled in: unknown
            forum(4, ground_rules=full, closed="2021-12-31"),  # closed before the window
        ]

        result = ground_rules(forums, WINDOW)

        assert result.value == (3 / 6 + 6 / 6) / 2
        assert result.detail["forums"] == {"Forum 1": 0.5, "Forum 2": 1.0}

    def test_too_little_data_without_a_checklist(self) -> None:
        assert ground_rules([forum(1)], WINDOW).reason == (
            "too little data: no forum open in the window has its checklist recorded"
        )


class TestCollaborativeCriteria:
    def test_best_forum_with_partial_criteria_counting_half(self) -> None:
        met, partial = CriterionRating.MET, CriterionRating.PARTIAL
        criteria = list(Criterion)
        first = dict.fromkeys(criteria[:4], met) | dict.fromkeys(criteria[4:], partial)
        second = {criteria[0]: met, criteria[1]: CriterionRating.NOT_MET}

        result = collaborative_criteria(
            [forum(1, criteria=first), forum(2, criteria=second)], WINDOW
        )

        assert result.value == (4 + 0.5 * 2) / 6
        assert result.detail["best_forum"] == "Forum 1"
        assert result.detail["forums"]["Forum 2"]["unrated"] == 4

    def test_too_little_data_without_ratings(self) -> None:
        assert collaborative_criteria([forum(1)], WINDOW).value is None


class TestMinutesOnTime:
    def test_on_time_over_the_meetings_whose_deadline_passed(self) -> None:
        held = [
            meeting("2022-04-10", minutes_on="2022-04-13"),  # on time
            meeting("2022-05-01", minutes_on="2022-05-11"),  # ten days: late
            meeting("2022-06-01"),  # never sent, deadline passed
            meeting("2022-06-27"),  # deadline not passed yet: not counted
        ]

        result = minutes_on_time(held, WINDOW, deadline_days=7)

        assert result.value == 1 / 3
        assert [m["held_on"] for m in result.detail["lapsed"]] == ["2022-05-01", "2022-06-01"]

    def test_minutes_sent_after_the_as_of_date_were_not_out_yet(self) -> None:
        result = minutes_on_time(
            [meeting("2022-06-20", minutes_on="2022-07-01")], WINDOW, deadline_days=7
        )

        assert (result.value, result.detail["counted"]) == (0.0, 1)

    def test_too_little_data_when_nothing_was_due(self) -> None:
        result = minutes_on_time([meeting("2022-06-28")], WINDOW, deadline_days=7)

        assert result.reason == (
            "too little data: no held meeting in the window whose minutes were due "
            "by the as-of date"
        )


class TestAlternativeVenueEvents:
    def test_counts_protests_and_alternative_venues_in_the_window(self) -> None:
        events = [
            event("2022-05-01", kind=TrustEventKind.PROTEST),
            event("2022-06-01", kind=TrustEventKind.ALTERNATIVE_VENUE),
            event("2022-06-02", kind=TrustEventKind.PUBLIC_CRITICISM),
            event("2021-06-01", kind=TrustEventKind.PROTEST),
        ]

        result = alternative_venue_events(events, WINDOW)

        assert result.value == 2
        assert [e["kind"] for e in result.detail["events"]] == ["protest", "alternative_venue"]

    def test_none_is_a_real_zero(self) -> None:
        result = alternative_venue_events([], WINDOW)

        assert (result.value, result.reason) == (0.0, None)
