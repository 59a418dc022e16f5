"""The diagnosis on hand-made cases: phases, bottleneck, turns of the cycle, life cycle."""

from __future__ import annotations

from dataclasses import replace

import pytest

from governance.cases.snapshot import CaseData
from governance.diagnosis import cycle
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.examples import (
    case,
    commitment,
    day,
    decision,
    event,
    meeting,
    outcome,
    stakeholder,
)
from governance.diagnosis.indicator import Window
from governance.diagnosis.lifecycle import Status, lifecycle
from governance.diagnosis.thresholds import Thresholds
from governance.vocab import CommitmentStatus, DecisionKind, OutcomeLevel, Sector, Valence

S = CommitmentStatus
AS_OF = day("2022-06-30")
PEOPLE = [stakeholder(1, Sector.GOVERNMENT, name="Dinsos"), stakeholder(2, name="SPRI")]
#: Monthly meetings in the 90 days before AS_OF: regular (gaps 30, 30).
REGULAR = [meeting("2022-04-10", 1, 2), meeting("2022-05-10", 1, 2), meeting("2022-06-09", 1, 2)]
#: Both sides promise and deliver on time within the window.
KEPT = [
    commitment("2022-04-10", "2022-05-10", (S.FULFILLED, "2022-05-01"), owner=1),
    commitment("2022-04-10", "2022-05-10", (S.FULFILLED, "2022-05-05"), owner=2),
]
STATEMENT = decision("2022-04-10", DecisionKind.SHARED_STATEMENT)
RECENT_WIN = outcome(0, 100, ("2022-06-01", 30))
FINAL = outcome(0, 100, ("2022-06-01", 30), level=OutcomeLevel.OUTCOME)
FORMAL = decision("2022-06-09", DecisionKind.FORMALISATION)


def phase_of(data: CaseData) -> str:
    return diagnose(data, as_of=AS_OF).phase.code


class TestPhase:
    def test_p0_without_a_held_meeting(self) -> None:
        found = diagnose(case(stakeholders=PEOPLE, meetings=[meeting("2022-07-10")]), as_of=AS_OF)

        assert (found.phase.code, found.phase.name) == ("P0", "No meetings")
        assert found.bottleneck is not None
        assert found.bottleneck.key == "dialogue"

    def test_p1_once_the_parties_have_met(self) -> None:
        found = diagnose(case(stakeholders=PEOPLE, meetings=REGULAR[:1]), as_of=AS_OF)

        assert (found.phase.code, found.phase.name) == ("P1", "Engagement")

    def test_p2_with_regular_meetings(self) -> None:
        found = diagnose(case(stakeholders=PEOPLE, meetings=REGULAR), as_of=AS_OF)

        assert found.phase.code == "P2"
        # Trust is unknown (no trust event): the weakest link of the phase reached.
        assert found.bottleneck is not None
        assert found.bottleneck.key == "trust"

    def test_p3_when_both_sides_keep_their_promises(self) -> None:
        assert phase_of(case(stakeholders=PEOPLE, meetings=REGULAR, commitments=KEPT)) == "P3"

    def test_not_p3_when_only_one_side_has_committed(self) -> None:
        one_sided = case(stakeholders=PEOPLE, meetings=REGULAR, commitments=KEPT[:1])

        found = diagnose(one_sided, as_of=AS_OF)

        assert found.phase.code == "P2"
        commitment_part = next(c for c in found.components if c.key == "commitment")
        assert commitment_part.reason == (
            "commitments so far: 1 by the state side, 0 by the non-state side"
        )

    def test_not_p3_below_the_fulfilment_threshold(self) -> None:
        late = [*KEPT, commitment("2022-04-10", "2022-05-10", owner=2)]

        assert phase_of(case(stakeholders=PEOPLE, meetings=REGULAR, commitments=late)) == "P3"
        found = diagnose(
            case(stakeholders=PEOPLE, meetings=REGULAR, commitments=late),
            as_of=AS_OF,
            thresholds=Thresholds.with_overrides({"fulfilment_min": 0.7}),
        )
        assert found.phase.code == "P2"  # 2 of 3 on time is below 0.7

    def test_p4_with_a_jointly_endorsed_statement(self) -> None:
        data = case(stakeholders=PEOPLE, meetings=REGULAR, commitments=KEPT, decisions=[STATEMENT])

        assert phase_of(data) == "P4"

    def test_p5_with_a_small_win_in_the_last_180_days(self) -> None:
        data = case(
            stakeholders=PEOPLE,
            meetings=REGULAR,
            commitments=KEPT,
            decisions=[STATEMENT],
            outcomes=[RECENT_WIN],
        )

        assert phase_of(data) == "P5"

    def test_an_old_small_win_is_not_enough_for_p5(self) -> None:
        old_win = outcome(0, 100, ("2021-12-01", 30))
        data = case(
            stakeholders=PEOPLE, meetings=REGULAR, decisions=[STATEMENT], outcomes=[old_win]
        )

        found = diagnose(data, as_of=AS_OF)

        assert found.phase.code == "P4"
        part = next(c for c in found.components if c.key == "intermediate_outcomes")
        assert part.reason == "the last small win was 211 days ago (2021-12-01), more than 180"

    def test_p6_needs_a_measured_final_outcome_and_a_formalising_decision(self) -> None:
        base = case(
            stakeholders=PEOPLE,
            meetings=REGULAR,
            commitments=KEPT,
            decisions=[STATEMENT, FORMAL],
            outcomes=[RECENT_WIN, FINAL],
        )

        assert phase_of(base) == "P6"
        assert phase_of(replace(base, decisions=(STATEMENT,))) == "P5"

    def test_a_later_phase_counts_even_when_an_earlier_link_is_weak(self) -> None:
        # The cycle is not a line: one meeting in the window, yet outcomes institutionalised.
        data = case(
            stakeholders=PEOPLE,
            meetings=REGULAR[-1:],
            decisions=[FORMAL],
            outcomes=[FINAL],
        )

        found = diagnose(data, as_of=AS_OF)

        assert found.phase.code == "P6"
        assert found.bottleneck is not None
        # Of the unmet links only shared understanding has a known score (0); the others
        # lack data (too few meetings, no trust event, nothing fell due, no small win).
        assert found.bottleneck.key == "shared_understanding"
        assert found.bottleneck_reason == "the weakest unmet link up to the phase reached"


class TestBottleneck:
    def test_a_known_weakness_comes_before_missing_data(self) -> None:
        late = [commitment("2022-04-10", "2022-05-10", owner=o) for o in (1, 2)]
        data = case(
            stakeholders=PEOPLE,
            meetings=REGULAR[-1:],  # dialogue unknown: too few meetings
            commitments=late,  # commitment known: 0 on time
            decisions=[STATEMENT],
        )

        found = diagnose(data, as_of=AS_OF)

        assert found.phase.code == "P4"
        assert found.bottleneck is not None
        assert (found.bottleneck.key, found.bottleneck.score) == ("commitment", 0.0)

    def test_with_every_link_met_it_names_what_blocks_the_next_phase(self) -> None:
        trusting = [event("2022-06-01", Valence.POSITIVE)]
        data = case(
            stakeholders=PEOPLE,
            meetings=REGULAR,
            commitments=KEPT,
            decisions=[STATEMENT],
            trust_events=trusting,
        )

        found = diagnose(data, as_of=AS_OF)

        assert found.phase.code == "P4"
        assert found.bottleneck is not None
        assert found.bottleneck.key == "intermediate_outcomes"
        assert found.bottleneck_reason == "what stands between the phase reached and the next"


class TestTurns:
    def test_each_turn_needs_a_win_then_a_new_commitment_fulfilled(self) -> None:
        aid = outcome(0, 100, ("2021-01-31", 20), ("2021-02-15", 30), ("2021-06-30", 40))
        promises = [
            commitment("2021-01-01", "2021-02-01", (S.FULFILLED, "2021-01-20")),  # before the win
            commitment("2021-02-10", "2021-03-31", (S.FULFILLED, "2021-03-20")),  # closes turn 1
            commitment("2021-07-01", "2021-09-30", (S.FULFILLED, "2021-08-15")),  # closes turn 2
            commitment("2021-07-01", "2021-09-30", (S.FULFILLED, "2021-09-01")),  # same turn
        ]

        found = cycle.turns([aid], promises, AS_OF)

        # The 2021-02-15 win falls inside turn 1 (before its fulfilment on 2021-03-20).
        assert [(t.small_win_on, t.fulfilled_on) for t in found] == [
            (day("2021-01-31"), day("2021-03-20")),
            (day("2021-06-30"), day("2021-08-15")),
        ]

    def test_no_turn_without_a_fulfilled_commitment_after_a_win(self) -> None:
        aid = outcome(0, 100, ("2021-01-31", 20))
        promises = [commitment("2021-02-10", "2021-03-31", (S.BROKEN, "2021-03-20"))]

        assert cycle.turns([aid], promises, AS_OF) == []

    def test_diagnosis_counts_the_turns(self) -> None:
        aid = outcome(0, 100, ("2022-04-01", 20))
        data = case(stakeholders=PEOPLE, meetings=REGULAR, commitments=KEPT, outcomes=[aid])

        assert len(diagnose(data, as_of=AS_OF).turns) == 1


#: Monthly meetings, January to June 2021 (median gap 31 days).
MONTHLY = tuple(meeting(f"2021-{m:02}-10", 1, 2, 3) for m in range(1, 7))


class TestLifecycle:
    def test_dormant_after_twice_the_median_gap(self) -> None:
        found = lifecycle(MONTHLY, [], Window.ending(day("2021-09-30"), 90), Thresholds())

        assert found.status is Status.DORMANT
        assert found.reason == "no meeting for 112 days, more than the limit of 62 days"

    def test_a_larger_factor_keeps_it_active(self) -> None:
        lenient = Thresholds.with_overrides({"dormant_gap_factor": 4})

        found = lifecycle(MONTHLY, [], Window.ending(day("2021-09-30"), 90), lenient)

        assert found.status is Status.ACTIVE

    def test_dormant_before_any_meeting(self) -> None:
        found = lifecycle([], [], Window.ending(AS_OF, 90), Thresholds())

        assert (found.status, found.reason) == (Status.DORMANT, "no meeting has been held yet")

    def test_declining_when_attendance_and_fulfilment_both_fall(self) -> None:
        meetings = [
            meeting("2022-01-10", 1, 2, 3, 4),
            meeting("2022-02-10", 1, 2, 3, 4),
            meeting("2022-04-10", 1, 2),
            meeting("2022-05-10", 1, 2),
            meeting("2022-06-10", 1),
        ]
        promises = [
            commitment("2022-01-01", "2022-02-01", (S.FULFILLED, "2022-01-20")),
            commitment("2022-04-01", "2022-05-01", (S.FULFILLED, "2022-04-20")),
            commitment("2022-04-01", "2022-05-01"),
        ]

        found = lifecycle(meetings, promises, Window.ending(AS_OF, 90), Thresholds())

        assert found.status is Status.DECLINING
        assert found.reason == (
            "mean attendance fell from 4.0 to 1.7 and on-time fulfilment from 100% to 50% "
            "since the previous 90 days"
        )

    def test_not_declining_when_only_attendance_falls(self) -> None:
        meetings = [meeting("2022-02-10", 1, 2, 3, 4), meeting("2022-05-10", 1)]

        found = lifecycle(meetings, [], Window.ending(AS_OF, 90), Thresholds())

        assert found.status is Status.ACTIVE


@pytest.mark.parametrize("window_days", [7, 90, 365, 3650])
def test_the_window_reaches_back_window_days(window_days: int) -> None:
    found = diagnose(case(), as_of=AS_OF, window_days=window_days)

    assert found.window.days == window_days
    assert found.window.end == AS_OF
