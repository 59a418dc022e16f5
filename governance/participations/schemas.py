from __future__ import annotations

import datetime as dt

from pydantic import Field

from governance.schemas import KEEP, Id, Input, ListQuery, Patch, RecordRead, Text
from governance.vocab import ParticipationRole


class ParticipationCreate(Input):
    collaboration_id: Id
    stakeholder_id: Id = Field(description="At most one live participation per collaboration")
    role: ParticipationRole
    joined_on: dt.date | None = None
    left_on: dt.date | None = Field(None, description="Not before joined_on")
    incentives: Text = Field("", description="What draws the stakeholder in")
    constraints: Text = Field("", description="What holds the stakeholder back")


class ParticipationPatch(Patch):
    """The collaboration and the stakeholder are fixed: delete and create anew instead."""

    role: ParticipationRole = KEEP
    joined_on: dt.date | None = None
    left_on: dt.date | None = Field(None, description="Not before joined_on")
    incentives: Text = KEEP
    constraints: Text = KEEP


class ParticipationRead(RecordRead):
    collaboration_id: int
    stakeholder_id: int
    role: ParticipationRole
    joined_on: dt.date | None
    left_on: dt.date | None
    incentives: str
    constraints: str


class ParticipationQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Text search on stakeholder names")
    collaboration_id: Id | None = None
    stakeholder_id: Id | None = None
    role: ParticipationRole | None = None
