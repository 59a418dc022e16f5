"""Starting conditions: resource asymmetry, incentives and constraints, prehistory."""

from __future__ import annotations

from governance.diagnosis.examples import day, event, meeting, participation, stakeholder
from governance.diagnosis.indicator import Window
from governance.diagnosis.starting_conditions import (
    constraints_recorded,
    incentives_recorded,
    prehistory_balance,
    resource_asymmetry,
)
from governance.vocab import ModelVariable, Valence

AS_OF = day("2022-06-30")
WINDOW = Window.ending(AS_OF, 90)


class TestResourceAsymmetry:
    def test_is_the_gini_of_summed_profiles(self) -> None:
        people = {
            1: stakeholder(1, authority=4, budget=4),  # 8
            2: stakeholder(2, staff=2),  # 2
            3: stakeholder(3, staff=1, knowledge=1),  # 2
            4: stakeholder(4),  # no profile: left out
        }
        joined = [participation(i) for i in people]

        result = resource_asymmetry(people, joined, WINDOW)

        # Σ|xi − xj| over ordered pairs = 2 × (6 + 6 + 0) = 24; 2 n² x̄ = 2 × 9 × 4 = 72
        assert result.value == 24 / 72
        assert result.detail["profiles"] == 3
        assert result.detail["lowest"]["total"] == 2
        assert result.variable is ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY

    def test_leaves_out_those_who_left_before_the_window(self) -> None:
        people = {
            1: stakeholder(1, staff=4),
            2: stakeholder(2, staff=4),
            3: stakeholder(3, staff=0),
        }
        joined = [participation(1), participation(2), participation(3, left="2021-01-01")]

        result = resource_asymmetry(people, joined, WINDOW)

        assert (result.value, result.detail["profiles"]) == (0.0, 2)

    def test_too_little_data_with_one_profile(self) -> None:
        people = {1: stakeholder(1, staff=2), 2: stakeholder(2)}

        result = resource_asymmetry(people, [participation(1), participation(2)], WINDOW)

        assert result.value is None
        assert result.reason == (
            "too little data: fewer than 2 participants with a recorded resource profile"
        )


class TestPrehistoryBalance:
    def test_balances_cooperation_and_conflict_before_the_first_meeting(self) -> None:
        events = [
            event("2019-01-01", Valence.POSITIVE, 3),  # severity does not matter here
            event("2019-06-01", Valence.POSITIVE),
            event("2019-09-01", Valence.NEGATIVE),
            event("2020-06-01", Valence.NEGATIVE),  # after the first meeting
        ]

        result = prehistory_balance(events, [meeting("2020-05-05")], AS_OF)

        assert result.value == (2 - 1) / 3
        assert result.detail == {"cooperation": 2, "conflict": 1, "first_meeting": "2020-05-05"}

    def test_before_any_meeting_every_event_so_far_is_prehistory(self) -> None:
        events = [event("2019-01-01", Valence.NEGATIVE), event("2023-01-01", Valence.POSITIVE)]

        assert prehistory_balance(events, [], AS_OF).value == -1.0

    def test_too_little_data_without_earlier_events(self) -> None:
        result = prehistory_balance([event("2020-06-01")], [meeting("2020-05-05")], AS_OF)

        assert result.value is None
        assert result.reason == (
            "too little data: no trust event recorded before the first held meeting"
        )


class TestIncentivesAndConstraints:
    def test_counts_and_quotes_the_recorded_texts(self) -> None:
        people = {1: stakeholder(1, name="Dinsos"), 2: stakeholder(2, name="SPRI")}
        joined = [
            participation(1, incentives="The pandemic made the data urgent.", constraints="  "),
            participation(2, constraints="No budget."),
            participation(3, incentives="Joined later.", joined="2023-01-01"),
        ]

        incentives = incentives_recorded(joined, people, AS_OF)
        constraints = constraints_recorded(joined, people, AS_OF)

        assert incentives.value == 1
        assert incentives.detail["texts"] == [
            {"stakeholder": "Dinsos", "text": "The pandemic made the data urgent."}
        ]
        assert incentives.detail["participations"] == 2
        assert constraints.value == 1
        assert constraints.detail["texts"] == [{"stakeholder": "SPRI", "text": "No budget."}]

    def test_too_little_data_without_participations(self) -> None:
        assert incentives_recorded([], {}, AS_OF).reason == (
            "too little data: no participation recorded by the as-of date"
        )
        assert constraints_recorded([], {}, AS_OF).value is None
