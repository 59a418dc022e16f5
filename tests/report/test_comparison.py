"""Coded scores beside the records: the derived verdict per variable and the disagreement rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from governance.cases.snapshot import CaseData
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.examples import case, commitment, day, event, forum, meeting, stakeholder
from governance.report import comparison
from governance.report.comparison import derived_for, disagrees, period_diagnosis_key, verdict
from governance.report.examples import coded, sample_case
from governance.report.schemas import Verdict
from governance.vocab import CommitmentStatus, ModelVariable, Sector, TrustEventKind, Valence


class TestDisagrees:
    @pytest.mark.parametrize(
        ("score", "said", "expected"),
        [
            (4, Verdict.NOT_MET, True),
            (3, Verdict.NOT_MET, True),
            (2, Verdict.NOT_MET, False),
            (0, Verdict.NOT_MET, False),
            (0, Verdict.MET, True),
            (1, Verdict.MET, True),
            (2, Verdict.MET, False),
            (4, Verdict.MET, False),
            (0, Verdict.UNKNOWN, False),
            (4, Verdict.UNKNOWN, False),
        ],
    )
    def test_only_opposite_directions_disagree(
        self, score: int, said: Verdict, expected: bool
    ) -> None:
        assert disagrees(score, said) is expected


def monthly(*attendees: int, months: range = range(1, 7)) -> list[Any]:
    return [meeting(f"2022-{m:02}-10", *attendees, minutes_on=f"2022-{m:02}-12") for m in months]


class TestVerdict:
    AS_OF = day("2022-06-30")

    def judge(self, data: CaseData, variable: ModelVariable) -> tuple[Verdict, str]:
        """The verdict and its reason in English (the reason is a message)."""
        said, reason = verdict(diagnose(data, as_of=self.AS_OF), variable)
        return said, str(reason)

    def test_a_cooperative_prehistory_is_met(self) -> None:
        data = case(trust_events=[event("2021-01-01"), event("2021-02-01")], meetings=monthly(1))

        said, reason = self.judge(data, ModelVariable.PREHISTORY)

        assert said is Verdict.MET
        assert reason == "prehistory balance +1.00: more cooperation than conflict"

    def test_a_conflictual_prehistory_is_not_met(self) -> None:
        data = case(
            trust_events=[event("2021-01-01", Valence.NEGATIVE), event("2021-02-01")],
            meetings=monthly(1),
        )
        conflict = case(trust_events=[event("2021-01-01", Valence.NEGATIVE)], meetings=monthly(1))

        assert self.judge(data, ModelVariable.PREHISTORY)[0] is Verdict.UNKNOWN  # balance 0
        assert self.judge(conflict, ModelVariable.PREHISTORY)[0] is Verdict.NOT_MET

    def test_no_prehistory_recorded_is_unknown(self) -> None:
        assert self.judge(case(meetings=monthly(1)), ModelVariable.PREHISTORY)[0] is (
            Verdict.UNKNOWN
        )

    def test_the_cycle_links_follow_their_component(self) -> None:
        kept = case(
            stakeholders=[stakeholder(1, Sector.GOVERNMENT), stakeholder(2)],
            meetings=monthly(1, 2),
            commitments=[
                commitment("2022-04-01", "2022-05-01", (CommitmentStatus.FULFILLED, "2022-04-20")),
                commitment(
                    "2022-04-01", "2022-05-01", (CommitmentStatus.FULFILLED, "2022-04-20"), owner=2
                ),
            ],
        )
        broken = case(
            stakeholders=[stakeholder(1, Sector.GOVERNMENT), stakeholder(2)],
            meetings=monthly(1, 2),
            commitments=[commitment("2022-04-01", "2022-05-01")],
        )

        assert self.judge(kept, ModelVariable.COMMITMENT_TO_PROCESS)[0] is Verdict.MET
        assert self.judge(broken, ModelVariable.COMMITMENT_TO_PROCESS)[0] is Verdict.NOT_MET
        assert self.judge(kept, ModelVariable.FACE_TO_FACE_DIALOGUE)[0] is Verdict.MET

    def test_a_link_without_a_score_is_unknown_not_unmet(self) -> None:
        said, reason = self.judge(
            case(meetings=monthly(1, months=range(6, 7))), ModelVariable.FACE_TO_FACE_DIALOGUE
        )

        assert said is Verdict.UNKNOWN
        assert "fewer than 3 held meetings" in reason

    def test_a_leadership_gap_is_not_met(self) -> None:
        led = case(forums=[forum(facilitator=9)], meetings=monthly(1, 9))
        absent = case(forums=[forum(facilitator=9)], meetings=monthly(1))

        assert self.judge(led, ModelVariable.FACILITATIVE_LEADERSHIP)[0] is Verdict.MET
        said, reason = self.judge(absent, ModelVariable.FACILITATIVE_LEADERSHIP)
        assert said is Verdict.NOT_MET
        assert reason.startswith("The facilitator attended 0 of 3")

    def test_a_protest_makes_the_forum_less_exclusive(self) -> None:
        protest = case(
            meetings=monthly(1),
            trust_events=[event("2022-06-01", Valence.NEGATIVE, kind=TrustEventKind.PROTEST)],
        )

        assert self.judge(protest, ModelVariable.FORUM_EXCLUSIVENESS)[0] is Verdict.NOT_MET
        assert self.judge(case(meetings=monthly(1)), ModelVariable.FORUM_EXCLUSIVENESS)[0] is (
            Verdict.MET
        )

    @pytest.mark.parametrize(
        "variable", [ModelVariable.CLEAR_GROUND_RULES, ModelVariable.INCENTIVES_AND_CONSTRAINTS]
    )
    def test_some_variables_are_not_judged(self, variable: ModelVariable) -> None:
        assert self.judge(sample_case(), variable) == (
            Verdict.UNKNOWN,
            "the records give no verdict on this variable",
        )
        assert variable not in comparison.JUDGED


class TestPeriods:
    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            ("2022-01-01", "2022-03-31", ("2022-03-31", 90)),
            ("2022-03-01", "2022-03-02", ("2022-03-02", 7)),
            ("1990-01-01", "2022-01-01", ("2022-01-01", 3650)),
            ("1800-01-01", "1850-01-01", ("1900-01-01", 3650)),
        ],
    )
    def test_a_period_is_diagnosed_as_of_its_end_over_itself(
        self, start: str, end: str, expected: tuple[str, int]
    ) -> None:
        assert period_diagnosis_key(day(start), day(end)) == (day(expected[0]), expected[1])

    def test_one_diagnosis_per_distinct_period(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[dt.date] = []
        real = diagnose

        def counting(data: CaseData, **kwargs: Any) -> Any:
            calls.append(kwargs["as_of"])
            return real(data, **kwargs)

        monkeypatch.setattr(comparison, "diagnose", counting)
        scores = [
            coded(ModelVariable.PREHISTORY, 3, "R1", assessment_id=1),
            coded(ModelVariable.PREHISTORY, 1, "R2", assessment_id=2),
            coded(ModelVariable.TRUST_BUILDING, 4, "R1", end="2022-03-31", assessment_id=3),
        ]

        found = derived_for(sample_case(), scores)

        assert sorted(calls) == [day("2022-03-31"), day("2022-06-30")]
        assert found[1].verdict is found[2].verdict is Verdict.MET
        assert found[3].as_of == day("2022-03-31")
        assert found[3].window_start == day("2022-01-01")
