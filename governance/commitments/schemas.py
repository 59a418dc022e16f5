from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from governance.schemas import (
    KEEP,
    DateRange,
    Id,
    Input,
    ListQuery,
    Patch,
    RecordRead,
    RequiredText,
    Text,
    Version,
)
from governance.vocab import CommitmentStatus

EvidenceIds = Annotated[list[Id], Field(max_length=100, description="Ids of live evidence")]


class CommitmentCreate(Input):
    """A promise made in a collaboration; it starts ``open`` (the status has its own route)."""

    collaboration_id: Id
    meeting_id: Id | None = Field(None, description="The meeting it was made at")
    decision_id: Id | None = Field(None, description="A decision of that meeting it carries out")
    owner_id: Id = Field(description="The stakeholder who promised")
    counterpart_id: Id | None = Field(None, description="To whom it was promised")
    description: RequiredText
    made_on: dt.date
    due_on: dt.date | None = None


class CommitmentPatch(Patch):
    meeting_id: Id | None = None
    decision_id: Id | None = None
    owner_id: Id = KEEP
    counterpart_id: Id | None = None
    description: RequiredText = KEEP
    made_on: dt.date = KEEP
    due_on: dt.date | None = None


class StatusChangeCreate(Input):
    """A move to the next status, e.g. ``open`` → ``in_progress``."""

    status: CommitmentStatus
    changed_on: dt.date = Field(description="When it happened; not in the future")
    note: Text = ""
    evidence_ids: EvidenceIds = Field(default_factory=list)
    version: Version | None = Field(
        None, description="If given, the change is refused when the commitment has changed since"
    )


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    from_status: CommitmentStatus | None
    to_status: CommitmentStatus
    changed_on: dt.date
    note: str
    evidence_ids: list[int]
    recorded_at: dt.datetime


class CommitmentRead(RecordRead):
    collaboration_id: int
    meeting_id: int | None
    decision_id: int | None
    owner_id: int
    counterpart_id: int | None
    description: str
    made_on: dt.date
    due_on: dt.date | None
    status: CommitmentStatus
    fulfilled_on: dt.date | None
    overdue: bool = Field(description="Due before today and still open or in progress")
    history: list[StatusChangeRead]


class CommitmentQuery(ListQuery, DateRange):
    collaboration_id: Id | None = None
    meeting_id: Id | None = None
    owner_id: Id | None = None
    counterpart_id: Id | None = None
    stakeholder_id: Id | None = Field(None, description="Owner or counterpart")
    status: list[CommitmentStatus] = Field(
        default_factory=list, max_length=6, description="Any of these statuses (repeatable)"
    )
    overdue: bool | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
