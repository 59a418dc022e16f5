from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from governance.schemas import KEEP, DateRange, Id, Input, ListQuery, Patch, RecordRead, Text
from governance.vocab import TrustEventKind, TrustForm, Valence

Severity = Annotated[int, Field(ge=1, le=3, description="1 minor, 2 notable, 3 major")]
EvidenceIds = Annotated[list[Id], Field(max_length=100)]


class TrustEventCreate(Input):
    collaboration_id: Id
    meeting_id: Id | None = None
    occurred_on: dt.date
    actor_id: Id
    target_id: Id | None = Field(None, description="Empty when it concerns the whole forum")
    kind: TrustEventKind
    trust_form: TrustForm
    valence: Valence
    severity: Severity = 1
    description: Text = ""
    evidence_ids: EvidenceIds = Field(default_factory=list)


class TrustEventPatch(Patch):
    """Every field but ``collaboration_id``; ``evidence_ids`` replaces the whole list."""

    meeting_id: Id | None = None
    occurred_on: dt.date = KEEP
    actor_id: Id = KEEP
    target_id: Id | None = None
    kind: TrustEventKind = KEEP
    trust_form: TrustForm = KEEP
    valence: Valence = KEEP
    severity: Severity = KEEP
    description: Text = KEEP
    evidence_ids: EvidenceIds = KEEP


class TrustEventRead(RecordRead):
    collaboration_id: int
    meeting_id: int | None
    occurred_on: dt.date
    actor_id: int
    target_id: int | None
    kind: TrustEventKind
    trust_form: TrustForm
    valence: Valence
    severity: int
    description: str
    evidence_ids: list[int] = Field(description="Live evidence supporting the event")


class TrustEventQuery(ListQuery, DateRange):
    collaboration_id: Id | None = None
    meeting_id: Id | None = None
    actor_id: Id | None = None
    target_id: Id | None = None
    valence: Valence | None = None
    kind: TrustEventKind | None = None
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
