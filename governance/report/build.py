"""Building the case report: pure functions over the diagnosis, the coded scores and the rows.

Nothing here reads the database; :mod:`governance.report.service` gathers the inputs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from governance.assessments.agreement import agreement_report
from governance.assessments.schemas import SCORE_ANCHORS, AgreementRead
from governance.cases.snapshot import AssessmentRow, CaseData, OutcomeRow
from governance.diagnosis.diagnose import Diagnosis
from governance.diagnosis.schemas import DiagnosisRead
from governance.diagnosis.thresholds import Thresholds
from governance.outcomes.progress import OutcomeNode, rolled_up
from governance.report import comparison
from governance.report.parts import TITLES, VARIABLES, Part, part_of
from governance.report.schemas import (
    CaseCoding,
    CaseHeader,
    CaseReport,
    CodedAssessment,
    CodedScore,
    Derived,
    EvidenceItem,
    EvidenceUse,
    OutcomeLine,
    PartSection,
    Quote,
    VariableSection,
)
from governance.vocab import ModelVariable


def build_report(
    case: CaseData,
    diagnosis: Diagnosis,
    coding: CaseCoding,
    *,
    header: CaseHeader | None = None,
    thresholds: Thresholds | None = None,
) -> CaseReport:
    """The case report of ``case`` as of the diagnosis' date, part by part of the model."""
    header = header or CaseHeader()
    read = DiagnosisRead.of(diagnosis)
    coded = coded_scores(case, coding.assessments, thresholds or diagnosis.thresholds)
    agreement = agreement_report(
        AssessmentRow(a.id, a.variable, a.period_start, a.period_end, a.score, a.coder)
        for a in coding.assessments
    )
    by_variable = {
        item.variable: AgreementRead.model_validate(item, from_attributes=True)
        for item in agreement.variables
    }
    uses = [
        *(use for use in coding.uses if use.on is None or use.on <= read.as_of),
        *assessment_uses(coding.assessments),
    ]
    parts = []
    shown: set[int] = set()
    for part, variables in VARIABLES.items():
        quotes, confidential = quoted(uses, coding.evidence, part)
        quotes = [q.model_copy(update={"repeated": q.evidence_id in shown}) for q in quotes]
        shown.update(q.evidence_id for q in quotes)
        parts.append(
            PartSection(
                part=part,
                title=TITLES[part],
                variables=[
                    VariableSection(
                        variable=variable,
                        indicators=[i for i in read.indicators if i.variable == variable],
                        warnings=[w for w in read.warnings if w.variable == variable],
                        coded=[c for c in coded if c.variable == variable],
                        agreement=by_variable.get(variable),
                    )
                    for variable in variables
                ],
                quotes=quotes,
                confidential_evidence=confidential,
            )
        )
    return CaseReport(
        collaboration_id=case.collaboration_id,
        name=case.name,
        place=header.place,
        policy_domain=header.policy_domain,
        started_on=case.started_on,
        ended_on=case.ended_on,
        as_of=read.as_of,
        window_days=read.window_days,
        window_start=read.window_start,
        phase=read.phase,
        bottleneck=read.bottleneck,
        components=read.components,
        cycles=read.cycles,
        lifecycle=read.lifecycle,
        warnings=read.warnings,
        parts=parts,
        outcomes=outcome_lines(case.outcomes, read.as_of),
        agreement=AgreementRead.model_validate(agreement.overall, from_attributes=True),
        verdict_rule=comparison.VERDICT_RULE,
        disagreement_rule=comparison.DISAGREEMENT_RULE,
    )


def coded_scores(
    case: CaseData, assessments: Sequence[CodedAssessment], thresholds: Thresholds | None
) -> list[CodedScore]:
    """Each coded score beside the derived verdict for its variable and period.

    In the model's order of variables, then by period, coder and id.
    """
    derived: Mapping[int, Derived] = comparison.derived_for(case, assessments, thresholds)
    order = list(ModelVariable)
    ordered = sorted(
        assessments,
        key=lambda a: (order.index(a.variable), a.period_start, a.period_end, a.coder, a.id),
    )
    return [
        CodedScore(
            assessment_id=a.id,
            variable=a.variable,
            period_start=a.period_start,
            period_end=a.period_end,
            score=a.score,
            anchor=SCORE_ANCHORS[a.score],
            coder=a.coder,
            rationale=a.rationale,
            evidence_ids=list(a.evidence_ids),
            derived=derived[a.id],
            disagrees=comparison.disagrees(a.score, derived[a.id].verdict),
        )
        for a in ordered
    ]


def assessment_uses(assessments: Iterable[CodedAssessment]) -> list[EvidenceUse]:
    """The evidence each assessment rests on informs the part of its variable."""
    return [
        EvidenceUse(
            evidence_id=evidence_id, part=part_of(a.variable), via="assessment", record_id=a.id
        )
        for a in assessments
        for evidence_id in a.evidence_ids
    ]


def quoted(
    uses: Iterable[EvidenceUse], evidence: Mapping[int, EvidenceItem], part: Part
) -> tuple[list[Quote], int]:
    """The part's non-confidential evidence, oldest first (undated last), and how many
    confidential pieces support it. Each piece counts once, however often it is cited."""
    ids = {use.evidence_id for use in uses if use.part is part and use.evidence_id in evidence}
    items = sorted(
        (evidence[i] for i in ids),
        key=lambda e: (e.date is None, e.date or dt.date.min, e.id),
    )
    quotes = [
        Quote(
            evidence_id=e.id,
            kind=e.kind,
            title=e.title,
            date=e.date,
            citation=e.citation,
            url=e.url,
            excerpt=e.excerpt,
        )
        for e in items
        if not e.confidential
    ]
    return quotes, sum(1 for e in items if e.confidential)


def outcome_lines(outcomes: Sequence[OutcomeRow], as_of: dt.date) -> list[OutcomeLine]:
    """The outcome tree in reading order (parents before children), progress as of ``as_of``."""
    latest: dict[int, tuple[dt.date, float] | None] = {}
    for outcome in outcomes:
        measured = [m for m in outcome.measurements if m.measured_on <= as_of]
        last = max(measured, key=attrgetter("measured_on")) if measured else None
        latest[outcome.id] = None if last is None else (last.measured_on, last.value)
    values = {key: None if found is None else found[1] for key, found in latest.items()}
    try:
        progress: Mapping[int, float] = rolled_up(
            OutcomeNode(o.id, o.parent_id, o.weight, o.baseline, o.target, values[o.id])
            for o in outcomes
        )
    except ValueError:
        progress = {}
    by_id = {o.id: o for o in outcomes}
    children: dict[int, list[OutcomeRow]] = defaultdict(list)
    for o in outcomes:
        if o.parent_id is not None and o.parent_id in by_id:
            children[o.parent_id].append(o)
    lines: list[OutcomeLine] = []
    seen: set[int] = set()

    def visit(outcome: OutcomeRow, depth: int) -> None:
        if outcome.id in seen:
            return
        seen.add(outcome.id)
        measured = latest[outcome.id]
        lines.append(
            OutcomeLine(
                outcome_id=outcome.id,
                title=outcome.title,
                level=outcome.level,
                depth=depth,
                unit=outcome.unit,
                baseline=outcome.baseline,
                target=outcome.target,
                latest=None if measured is None else measured[1],
                measured_on=None if measured is None else measured[0],
                progress=progress.get(outcome.id),
                rolled_up=bool(children.get(outcome.id)),
            )
        )
        for child in sorted(children.get(outcome.id, []), key=lambda o: o.id):
            visit(child, depth + 1)

    for outcome in sorted(outcomes, key=lambda o: o.id):
        if outcome.parent_id is None or outcome.parent_id not in by_id:
            visit(outcome, 0)
    for outcome in outcomes:  # parents in a loop cannot happen; nothing may go missing
        visit(outcome, 0)
    return lines
