"""The case report as plain data: what it is built from, and what it says.

The same shapes serve the JSON API, the printable page and the Markdown. Confidential
evidence never enters a report: it is counted per part, never quoted.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from governance.assessments.schemas import AgreementRead
from governance.diagnosis.messages import Message, Param, of
from governance.diagnosis.schemas import (
    MESSAGE_ID,
    MESSAGE_PARAMS,
    BottleneckRead,
    ComponentRead,
    CyclesRead,
    IndicatorRead,
    LifecycleRead,
    PhaseRead,
    WarningRead,
)
from governance.report.parts import Part
from governance.vocab import EvidenceKind, ModelVariable, OutcomeLevel

# --- What a report is built from --------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class EvidenceItem(_Frozen):
    """One piece of evidence of the case, as stored."""

    id: int
    kind: EvidenceKind
    title: str
    date: dt.date | None
    citation: str
    url: str
    excerpt: str
    confidential: bool


class CodedAssessment(_Frozen):
    """One coder's score of one variable for one period, with its rationale and evidence."""

    id: int
    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    score: int
    coder: str
    rationale: str
    evidence_ids: tuple[int, ...]


#: The kinds of record a piece of evidence can support in a report.
Via = Literal["assessment", "measurement", "trust_event", "status_change", "forum_criterion"]


class EvidenceUse(_Frozen):
    """A piece of evidence supporting a record of the case, and the part of the model it informs."""

    evidence_id: int
    part: Part
    via: Via
    record_id: int
    #: The day of the record supported (a measurement, an event); None when undated.
    on: dt.date | None = None


class CaseCoding(_Frozen):
    """The researchers' coded scores of a case and the evidence its records rest on."""

    assessments: tuple[CodedAssessment, ...] = ()
    #: Live evidence by id: every piece used below.
    evidence: dict[int, EvidenceItem] = Field(default_factory=dict)
    uses: tuple[EvidenceUse, ...] = ()


class CaseHeader(_Frozen):
    """What the report's title block says about the collaboration."""

    place: str = ""
    policy_domain: str = ""


# --- What a report says -----------------------------------------------------------------


class Verdict(enum.StrEnum):
    """What the records say about a variable: its condition holds, fails, or cannot be told."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Derived(BaseModel):
    """The derived verdict on a variable for a coded period, and why."""

    verdict: Verdict
    reason: str
    reason_id: str = Field(description=MESSAGE_ID)
    reason_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)
    as_of: dt.date = Field(description="The diagnosis behind the verdict is as of this date")
    window_start: dt.date = Field(description="… over the days from this date to as_of")

    @property
    def reason_text(self) -> Message:
        return of(self.reason_id, self.reason_params)


class CodedScore(BaseModel):
    assessment_id: int
    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    score: int
    anchor: str = Field(description="What the score means")
    coder: str
    rationale: str
    evidence_ids: list[int]
    derived: Derived
    disagrees: bool = Field(
        description="The coded score and the derived verdict point opposite ways "
        "(see disagreement_rule)"
    )


class VariableSection(BaseModel):
    variable: ModelVariable
    indicators: list[IndicatorRead]
    warnings: list[WarningRead]
    coded: list[CodedScore]
    agreement: AgreementRead | None = Field(description="Between the coders of this variable")


class Quote(BaseModel):
    """A non-confidential piece of evidence cited in a part of the report."""

    evidence_id: int
    kind: EvidenceKind
    title: str
    date: dt.date | None
    citation: str
    url: str
    excerpt: str
    repeated: bool = Field(False, description="Quoted in full in an earlier part already")


class PartSection(BaseModel):
    part: Part
    title: str
    variables: list[VariableSection]
    quotes: list[Quote] = Field(description="Non-confidential evidence, quoted")
    confidential_evidence: int = Field(
        description="Confidential pieces of evidence supporting this part: counted, not quoted"
    )


class OutcomeLine(BaseModel):
    """An outcome in the tree, with its progress as of the report's date."""

    outcome_id: int
    title: str
    level: OutcomeLevel
    depth: int
    unit: str
    baseline: float
    target: float
    latest: float | None
    measured_on: dt.date | None
    progress: float | None = Field(description="Percent, 0–100; null when it cannot be computed")
    rolled_up: bool = Field(description="Progress is the weighted mean of its parts")


class CaseReport(BaseModel):
    collaboration_id: int
    name: str
    place: str
    policy_domain: str
    started_on: dt.date | None
    ended_on: dt.date | None
    as_of: dt.date
    window_days: int
    window_start: dt.date
    phase: PhaseRead
    bottleneck: BottleneckRead | None
    components: list[ComponentRead]
    cycles: CyclesRead
    lifecycle: LifecycleRead
    warnings: list[WarningRead]
    parts: list[PartSection]
    outcomes: list[OutcomeLine]
    agreement: AgreementRead = Field(description="Between the coders, over every variable")
    verdict_rule: str
    disagreement_rule: str
