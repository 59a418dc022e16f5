"""Building the case report from plain data: parts, coded scores, quotes, outcomes."""

from __future__ import annotations

import pytest

from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.examples import case, day, outcome
from governance.report.build import build_report, outcome_lines, quoted
from governance.report.examples import coded, evidence, sample_case, sample_report
from governance.report.parts import VARIABLES, Part
from governance.report.schemas import CaseCoding, EvidenceUse, Verdict
from governance.vocab import ModelVariable, OutcomeLevel


class TestParts:
    def test_follows_the_model_and_covers_every_variable(self) -> None:
        report = sample_report()

        assert [p.part for p in report.parts] == list(Part)
        assert [p.title for p in report.parts] == [
            "Starting conditions",
            "Institutional design",
            "Facilitative leadership",
            "The collaborative process",
            "Outcomes",
        ]
        covered = [v.variable for p in report.parts for v in p.variables]
        assert sorted(covered) == sorted(ModelVariable)
        assert covered == [v for p in VARIABLES.values() for v in p]

    def test_each_variable_carries_its_own_indicators_and_warnings(self) -> None:
        report = sample_report()

        process = report.parts[3]
        trust = next(v for v in process.variables if v.variable is ModelVariable.TRUST_BUILDING)
        assert [i.key for i in trust.indicators] == ["net_trust_balance", "reliability"]
        assert all(i.variable is ModelVariable.TRUST_BUILDING for i in trust.indicators)

    def test_the_standing_is_the_diagnosis(self) -> None:
        report = sample_report()

        assert (report.phase.code, report.cycles.count, report.lifecycle.status) == (
            "P6",
            0,
            "active",
        )
        assert report.place == "Jakarta"
        assert report.as_of == day("2022-06-30")


class TestCodedScores:
    def test_sit_beside_the_records_verdict_with_the_disagreement_flagged(self) -> None:
        report = sample_report()

        commitment = report.parts[3].variables[2]
        assert commitment.variable is ModelVariable.COMMITMENT_TO_PROCESS
        assert [(c.coder, c.score, c.derived.verdict, c.disagrees) for c in commitment.coded] == [
            ("R1", 4, Verdict.MET, False),
            ("R2", 1, Verdict.MET, True),
        ]
        assert commitment.coded[0].anchor == "strong and triangulated"
        assert commitment.agreement is not None
        assert commitment.agreement.n_coders == 2

    def test_variables_nobody_coded_have_no_scores_and_no_agreement(self) -> None:
        report = sample_report()

        prehistory = report.parts[0].variables[2]
        assert (prehistory.coded, prehistory.agreement) == ([], None)
        assert report.agreement.n_units == 1


class TestQuotes:
    def test_confidential_evidence_is_counted_never_quoted(self) -> None:
        report = sample_report(confidential_excerpt="The director pushed it through.")

        process, outcomes = report.parts[3], report.parts[4]
        assert [q.title for q in process.quotes] == ["Interview with an organiser"]
        assert process.confidential_evidence == 1
        assert outcomes.quotes == []
        assert outcomes.confidential_evidence == 1
        assert "director" not in report.model_dump_json()

    def test_a_piece_quoted_earlier_is_marked_repeated(self) -> None:
        piece = evidence("Thesis", "It went well.", evidence_id=7)
        coding = CaseCoding(
            assessments=(
                coded(ModelVariable.PREHISTORY, 3, evidence_ids=(7,)),
                coded(ModelVariable.FACILITATIVE_LEADERSHIP, 4, evidence_ids=(7,)),
            ),
            evidence={7: piece},
        )
        data = sample_case()

        report = build_report(data, diagnose(data, as_of=day("2022-06-30")), coding)

        assert [q.repeated for q in report.parts[0].quotes] == [False]
        assert [q.repeated for q in report.parts[2].quotes] == [True]

    def test_evidence_of_records_after_the_date_is_left_out(self) -> None:
        piece = evidence("Later measurement", evidence_id=3)
        use = EvidenceUse(
            evidence_id=3, part=Part.OUTCOMES, via="measurement", record_id=1, on=day("2023-01-01")
        )
        data = sample_case()
        coding = CaseCoding(evidence={3: piece}, uses=(use,))

        report = build_report(data, diagnose(data, as_of=day("2022-06-30")), coding)

        assert report.parts[4].quotes == []

    def test_orders_oldest_first_undated_last_and_cites_each_once(self) -> None:
        pieces = {
            1: evidence("Undated", date=None, evidence_id=1),
            2: evidence("Newer", date="2022-05-01", evidence_id=2),
            3: evidence("Older", date="2021-05-01", evidence_id=3),
        }
        uses = [
            EvidenceUse(evidence_id=i, part=Part.OUTCOMES, via="measurement", record_id=n)
            for n, i in enumerate([1, 2, 3, 2])
        ]

        quotes, confidential = quoted(uses, pieces, Part.OUTCOMES)

        assert [q.title for q in quotes] == ["Older", "Newer", "Undated"]
        assert confidential == 0


class TestOutcomeLines:
    def test_parents_come_before_their_parts_with_progress_as_of_the_date(self) -> None:
        tree = [
            outcome(0, 10, level=OutcomeLevel.OUTCOME, title="Database fixed", outcome_id=1),
            outcome(0, 100, ("2022-01-01", 50), ("2022-09-01", 100), parent=1, outcome_id=2),
            outcome(0, 4, ("2022-02-01", 1), parent=1, title="Procedure", outcome_id=3),
        ]

        lines = outcome_lines(case(outcomes=tree).outcomes, day("2022-06-30"))

        assert [(o.title, o.depth, o.rolled_up) for o in lines] == [
            ("Database fixed", 0, True),
            ("Households reached", 1, False),
            ("Procedure", 1, False),
        ]
        assert [o.progress for o in lines] == [pytest.approx(37.5), 50.0, 25.0]
        assert (lines[1].latest, lines[1].measured_on) == (50, day("2022-01-01"))
