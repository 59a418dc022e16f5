"""Small hand-made reports for the docstring examples and the tests, without a database."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from governance.cases.snapshot import CaseData
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
from governance.report.build import build_report
from governance.report.parts import Part
from governance.report.schemas import (
    CaseCoding,
    CaseHeader,
    CaseReport,
    CodedAssessment,
    EvidenceItem,
    EvidenceUse,
)
from governance.vocab import (
    CommitmentStatus,
    DecisionKind,
    EvidenceKind,
    ModelVariable,
    OutcomeLevel,
    Sector,
)

_ids = itertools.count(2000)


def evidence(
    title: str,
    excerpt: str = "",
    *,
    confidential: bool = False,
    kind: EvidenceKind = EvidenceKind.INTERVIEW,
    evidence_id: int | None = None,
    date: str | None = "2022-04-12",
) -> EvidenceItem:
    return EvidenceItem(
        id=evidence_id if evidence_id is not None else next(_ids),
        kind=kind,
        title=title,
        date=day(date) if date else None,
        citation="",
        url="",
        excerpt=excerpt,
        confidential=confidential,
    )


def coded(
    variable: ModelVariable,
    score: int,
    coder: str = "R1",
    *,
    start: str = "2022-01-01",
    end: str = "2022-06-30",
    rationale: str = "As the records show.",
    evidence_ids: Sequence[int] = (),
    assessment_id: int | None = None,
) -> CodedAssessment:
    return CodedAssessment(
        id=assessment_id if assessment_id is not None else next(_ids),
        variable=variable,
        period_start=day(start),
        period_end=day(end),
        score=score,
        coder=coder,
        rationale=rationale,
        evidence_ids=tuple(evidence_ids),
    )


def sample_case(name: str = "Hand-made case") -> CaseData:
    """Two sides meeting monthly in 2022 after a cooperative prehistory, a small win, a
    measured final outcome and a formalising decision (so P6)."""
    found = case(
        started="2022-01-01",
        stakeholders=[stakeholder(1, Sector.GOVERNMENT), stakeholder(2)],
        meetings=[meeting(f"2022-0{m}-10", 1, 2, minutes_on=f"2022-0{m}-12") for m in range(1, 7)],
        decisions=[
            decision("2022-02-10", DecisionKind.SHARED_STATEMENT),
            decision("2022-05-10", DecisionKind.FORMALISATION),
        ],
        commitments=[
            commitment("2022-01-10", "2022-05-01", (CommitmentStatus.FULFILLED, "2022-04-20")),
            commitment(
                "2022-01-10",
                "2022-05-01",
                (CommitmentStatus.FULFILLED, "2022-04-25"),
                owner=2,
            ),
        ],
        trust_events=[event("2021-06-01"), event("2021-09-01"), event("2022-03-01")],
        outcomes=[
            outcome(0, 100, ("2022-06-30", 40), title="Households reached"),
            outcome(0, 10, ("2022-06-30", 5), level=OutcomeLevel.OUTCOME, title="Database fixed"),
        ],
    )
    return dataclasses.replace(found, name=name)


def sample_report(
    *,
    name: str = "Hand-made case",
    as_of: str = "2022-06-30",
    rationale: str = "Both sides met every month and kept their promises.",
    excerpt: str = "We met every month, and they kept their word.",
    confidential_excerpt: str = "Off the record: the director pushed it through.",
) -> CaseReport:
    """A report of :func:`sample_case` with two coded scores, a quoted public interview and
    a confidential one."""
    public = evidence("Interview with an organiser", excerpt, evidence_id=1)
    secret = evidence(
        "Interview with an official", confidential_excerpt, confidential=True, evidence_id=2
    )
    coding = CaseCoding(
        assessments=(
            coded(
                ModelVariable.COMMITMENT_TO_PROCESS,
                4,
                "R1",
                rationale=rationale,
                evidence_ids=(1,),
                assessment_id=1,
            ),
            coded(ModelVariable.COMMITMENT_TO_PROCESS, 1, "R2", evidence_ids=(2,), assessment_id=2),
        ),
        evidence={public.id: public, secret.id: secret},
        uses=(
            EvidenceUse(
                evidence_id=2,
                part=Part.OUTCOMES,
                via="measurement",
                record_id=1,
                on=day("2022-06-30"),
            ),
        ),
    )
    data = sample_case(name)
    found = diagnose(data, as_of=day(as_of))
    return build_report(
        data,
        found,
        coding,
        header=CaseHeader(place="Jakarta", policy_domain="Social assistance"),
    )
