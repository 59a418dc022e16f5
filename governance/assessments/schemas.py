from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

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
