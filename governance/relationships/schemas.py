from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from governance.evidence.schemas import EvidenceIds
from governance.schemas import KEEP, Id, Input, ListQuery, Patch, RecordRead, Text
from governance.vocab import RelationshipType

Strength = Annotated[int, Field(ge=1, le=3, description="1 weak, 2 ordinary, 3 strong")]


class RelationshipCreate(Input):
    source_id: Id
    target_id: Id
    type: RelationshipType
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    strength: Strength = 2
    note: Text = ""
    evidence_ids: EvidenceIds = Field(default_factory=list)


class RelationshipPatch(Patch):
    source_id: Id = KEEP
    target_id: Id = KEEP
    type: RelationshipType = KEEP
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    strength: Strength = KEEP
    note: Text = KEEP
    evidence_ids: EvidenceIds = KEEP


class RelationshipRead(RecordRead):
    source_id: int
    target_id: int
    type: RelationshipType
    label: str = Field(description='How the tie reads from its source ("member of")')
    reverse_label: str = Field(description='How the tie reads from its target ("has member")')
    symmetric: bool = Field(description="Whether the tie reads the same both ways")
    started_on: dt.date | None
    ended_on: dt.date | None
    strength: int
    note: str
    evidence_ids: list[int]


class RelationshipQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Text in the note")
    stakeholder_id: Id | None = Field(None, description="Ties with this stakeholder at either end")
    source_id: Id | None = None
    target_id: Id | None = None
    type: RelationshipType | None = None
    active_on: dt.date | None = Field(
        None, description="Ties in force on this date (open-ended dates count as in force)"
    )
