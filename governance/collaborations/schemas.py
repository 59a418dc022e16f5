from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from governance.schemas import KEEP, DateRange, Input, ListQuery, Name, Patch, RecordRead, Text
from governance.vocab import CollaborationStatus

#: A short optional label stored in a 200-character column (policy domain, place).
ShortLabel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class CollaborationCreate(Input):
    name: Name
    description: Text = ""
    policy_domain: ShortLabel = ""
    place: ShortLabel = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = Field(None, description="Not before started_on")
    status: CollaborationStatus = CollaborationStatus.ACTIVE


class CollaborationPatch(Patch):
    name: Name = KEEP
    description: Text = KEEP
    policy_domain: ShortLabel = KEEP
    place: ShortLabel = KEEP
    started_on: dt.date | None = None
    ended_on: dt.date | None = Field(None, description="Not before started_on")
    status: CollaborationStatus = KEEP


class CollaborationRead(RecordRead):
    name: str
    description: str
    policy_domain: str
    place: str
    started_on: dt.date | None
    ended_on: dt.date | None
    status: CollaborationStatus


class CollaborationQuery(ListQuery, DateRange):
    status: CollaborationStatus | None = None
    started_from: dt.date | None = Field(None, description="Started on or after this date")
    started_to: dt.date | None = Field(None, description="Started on or before this date")
