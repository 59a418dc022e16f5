from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from governance.evidence.schemas import EvidenceIds
from governance.schemas import (
    KEEP,
    DateRange,
    Id,
    Input,
    ListQuery,
    Name,
    Patch,
    RecordRead,
    RequiredText,
)
from governance.vocab import ModelVariable

#: What each score means, the same words on every page, form and report.
SCORE_ANCHORS: dict[int, str] = {
    0: "absent or contrary",
    1: "weak",
    2: "partial or mixed",
    3: "substantial",
    4: "strong and triangulated",
}

Score = Annotated[
    int,
    Field(
        ge=0,
        le=4,
        description="; ".join(f"{score} {anchor}" for score, anchor in SCORE_ANCHORS.items()),
    ),
]


def _at_least_one(ids: list[int]) -> list[int]:
    if not ids:
        raise ValueError("an assessment needs at least one piece of evidence")
    return ids


SupportingEvidence = Annotated[EvidenceIds, AfterValidator(_at_least_one)]


class AssessmentCreate(Input):
    collaboration_id: Id
    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    score: Score
    rationale: RequiredText
    coder: Name = Field(description="Who coded it: a researcher's name or code")
    evidence_ids: SupportingEvidence


class AssessmentPatch(Patch):
    collaboration_id: Id = KEEP
    variable: ModelVariable = KEEP
    period_start: dt.date = KEEP
    period_end: dt.date = KEEP
    score: Score = KEEP
    rationale: RequiredText = KEEP
    coder: Name = KEEP
    evidence_ids: SupportingEvidence = KEEP


class AssessmentRead(RecordRead):
    collaboration_id: int
    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    score: int
    anchor: str = Field(description="What the score means")
    rationale: str
    coder: str
    evidence_ids: list[int]


class AssessmentQuery(ListQuery, DateRange):
    q: str | None = Field(None, max_length=200, description="Text in the rationale")
    collaboration_id: Id | None = None
    variable: ModelVariable | None = None
    coder: str | None = Field(None, max_length=200, description="One coder's scores")
    period_from: dt.date | None = Field(None, description="Periods ending on or after this date")
    period_to: dt.date | None = Field(None, description="Periods starting on or before this date")


# --- Agreement between coders -------------------------------------------------------------

CoefficientKey = Literal[
    "kappa_linear", "kappa_quadratic", "alpha_ordinal", "alpha_interval", "alpha_nominal"
]


class CoefficientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: CoefficientKey = Field(
        description="Weighted kappa (linear or quadratic weights) or Krippendorff's alpha "
        "(ordinal, interval or nominal metric)"
    )
    value: float | None = Field(description="Null when it cannot be computed; see reason")
    reason: str | None = Field(description="Why there is no value")
    formula: str


class DisagreementRead(BaseModel):
    """Two coders' scores of one unit that lie two or more points apart: to discuss."""

    model_config = ConfigDict(from_attributes=True)

    variable: ModelVariable
    period_start: dt.date
    period_end: dt.date
    first_coder: str
    first_score: int
    first_assessment_id: int
    second_coder: str
    second_score: int
    second_assessment_id: int
    difference: int


class AgreementRead(BaseModel):
    """Agreement between coders over the units of one variable (or of all: variable null).

    A unit is one variable for one period (``variable``, ``period_start``, ``period_end``).
    """

    model_config = ConfigDict(from_attributes=True)

    variable: ModelVariable | None = Field(description="Null for all variables together")
    n_units: int = Field(description="Units scored by two or more coders (the ones compared)")
    n_units_single: int = Field(description="Units scored by one coder only")
    n_coders: int
    coders: list[str]
    statistic: Literal["kappa_quadratic", "alpha_ordinal"] = Field(
        description="The headline coefficient: quadratic-weighted kappa when exactly two "
        "coders scored, Krippendorff's ordinal alpha otherwise"
    )
    value: float | None = Field(description="The headline coefficient's value, or null")
    reason: str | None = Field(description="Why the headline coefficient has no value")
    coefficients: list[CoefficientRead]
    disagreements: list[DisagreementRead]


class AgreementReportRead(BaseModel):
    collaboration_id: int
    overall: AgreementRead
    variables: list[AgreementRead] = Field(description="One entry per variable scored")
