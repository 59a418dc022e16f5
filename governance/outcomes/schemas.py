from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from governance.schemas import KEEP, Id, Input, ListQuery, Patch, RecordRead, Text, Title
from governance.vocab import OutcomeLevel

#: A measured quantity: finite, and small enough that differences of two stay finite.
Amount = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]
Weight = Annotated[
    float,
    Field(gt=0, le=1e6, allow_inf_nan=False, description="Share of the parent's progress"),
]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Ids = Annotated[list[Id], Field(max_length=500)]
EvidenceIds = Annotated[list[Id], Field(max_length=100, description="Ids of live evidence")]


class OutcomeCreate(Input):
    collaboration_id: Id
    parent_id: Id | None = Field(None, description="The outcome this one contributes to")
    title: Title
    description: Text = ""
    level: OutcomeLevel
    weight: Weight = 1.0
    unit: Unit = ""
    baseline: Amount = 0.0
    target: Amount = Field(description="Must differ from baseline; may lie below it")
    started_on: dt.date | None = None
    due_on: dt.date | None = None
    commitment_ids: Ids = Field(default_factory=list, description="Commitments that feed it")
    meeting_ids: Ids = Field(default_factory=list, description="Meetings that worked on it")


class OutcomePatch(Patch):
    parent_id: Id | None = None
    title: Title = KEEP
    description: Text = KEEP
    level: OutcomeLevel = KEEP
    weight: Weight = KEEP
    unit: Unit = KEEP
    baseline: Amount = KEEP
    target: Amount = KEEP
    started_on: dt.date | None = None
    due_on: dt.date | None = None
    commitment_ids: Ids = KEEP
    meeting_ids: Ids = KEEP


class MeasurementCreate(Input):
    measured_on: dt.date = Field(description="Not in the future")
    value: Amount
    note: Text = ""
    evidence_ids: EvidenceIds = Field(default_factory=list)


class MeasurementPatch(Patch):
    measured_on: dt.date = KEEP
    value: Amount = KEEP
    note: Text = KEEP
    evidence_ids: EvidenceIds = KEEP


class MeasurementRead(BaseModel):
    id: int
    version: int
    measured_on: dt.date
    value: float
    note: str
    evidence_ids: list[int]


class OutcomeRead(RecordRead):
    collaboration_id: int
    parent_id: int | None
    title: str
    description: str
    level: OutcomeLevel
    weight: float
    unit: str
    baseline: float
    target: float
    started_on: dt.date | None
    due_on: dt.date | None
    progress: float = Field(
        description="Percent, 0–100: (latest − baseline) / (target − baseline), clamped; "
        "a parent's is the weighted mean of its live children's"
    )
    latest_value: float | None = Field(description="The latest live measurement, if any")
    latest_measured_on: dt.date | None
    children_ids: list[int]
    commitment_ids: list[int]
    meeting_ids: list[int]
    measurements: list[MeasurementRead]


class OutcomeQuery(ListQuery):
    collaboration_id: Id | None = None
    parent_id: Id | None = None
    level: OutcomeLevel | None = None
