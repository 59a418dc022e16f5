"""Facilitative leadership: a facilitator designated and present, and empowerment."""

from __future__ import annotations

from governance.diagnosis.examples import (
    commitment,
    day,
    event,
    forum,
    meeting,
    participation,
    stakeholder,
)
from governance.diagnosis.indicator import Window
from governance.diagnosis.leadership import (
    empowerment_actions,
    facilitator_attendance,
    facilitator_designated,
)
from governance.vocab import ParticipationRole, Sector, Valence

AS_OF = day("2022-06-30")
WINDOW = Window.ending(AS_OF, 90)
PEOPLE = {
    1: stakeholder(1, Sector.GOVERNMENT, name="Dinsos"),
    2: stakeholder(2, name="SPRI"),
    3: stakeholder(3, Sector.COMMUNITY, name="RW 05"),
    5: stakeholder(5, Sector.GOVERNMENT, name="Hendra"),
}


class TestFacilitatorDesignated:
    def test_a_forum_facilitator_counts(self) -> None:
        result = facilitator_designated([forum(1, facilitator=5)], [], PEOPLE, WINDOW)

        assert (result.value, result.detail["facilitators"]) == (1.0, ["Hendra"])

    def test_a_facilitator_participation_counts(self) -> None:
        joined = [participation(5, ParticipationRole.FACILITATOR), participation(2)]

        assert facilitator_designated([forum(1)], joined, PEOPLE, WINDOW).value == 1.0

    def test_none_designated_is_zero(self) -> None:
        joined = [participation(5, ParticipationRole.FACILITATOR, left="2021-01-01")]

        assert facilitator_designated([forum(1)], joined, PEOPLE, WINDOW).value == 0.0

    def test_too_little_data_without_forums_or_participations(self) -> None:
        assert facilitator_designated([], [], PEOPLE, WINDOW).value is None


class TestFacilitatorAttendance:
    def test_share_of_meetings_the_forum_facilitator_attended(self) -> None:
        held = [meeting("2022-04-10", 5, 1), meeting("2022-05-10", 5), meeting("2022-06-10", 1)]

        result = facilitator_attendance(held, [forum(1, facilitator=5)], [], WINDOW)

        assert result.value == 2 / 3
        assert result.detail["missed"] == [
            {"meeting": "Meeting of 2022-06-10", "held_on": "2022-06-10"}
        ]

    def test_falls_back_to_the_collaboration_facilitator(self) -> None:
        joined = [participation(5, ParticipationRole.FACILITATOR)]

        result = facilitator_attendance([meeting("2022-05-10", 5)], [forum(1)], joined, WINDOW)

        assert result.value == 1.0

    def test_too_little_data_without_a_designated_facilitator(self) -> None:
        result = facilitator_attendance([meeting("2022-05-10", 5)], [forum(1)], [], WINDOW)

        assert result.reason == (
            "too little data: no held meeting in the window has a designated facilitator"
        )


class TestEmpowermentActions:
    def test_counts_commitments_and_support_aimed_at_weaker_parties(self) -> None:
        joined = [participation(1), participation(3, ParticipationRole.AFFECTED_GROUP)]
        promises = [
            commitment("2021-01-01", "2021-02-01", owner=1, counterpart=3),
            commitment("2021-01-01", "2021-02-01", owner=3, counterpart=1),  # from the weaker
            commitment("2023-01-01", "2023-02-01", owner=1, counterpart=3),  # after the as-of date
        ]
        events = [
            event("2021-03-01", Valence.POSITIVE, actor=2, target=3),
            event("2021-03-02", Valence.NEGATIVE, actor=1, target=3),
        ]

        result = empowerment_actions(promises, events, joined, PEOPLE, AS_OF)

        assert result.value == 2
        assert (result.detail["commitments"], result.detail["trust_events"]) == (1, 1)
        assert result.detail["weaker"] == ["RW 05"]

    def test_too_little_data_without_weaker_parties(self) -> None:
        people = {1: stakeholder(1, Sector.GOVERNMENT)}

        result = empowerment_actions([], [], [participation(1)], people, AS_OF)

        assert result.reason == (
            "too little data: no affected group or community stakeholder recorded"
        )
