from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from governance.schemas import (
    KEEP,
    DateRange,
    Id,
    Input,
    Label,
    ListQuery,
    Patch,
    RecordRead,
    RequiredText,
    Text,
    Title,
    Version,
)
from governance.vocab import AttendanceRole, DecisionKind, MeetingMode, MeetingStatus

#: An instant with a time zone, kept in UTC so that what is answered equals what is stored.
Instant = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(dt.UTC))]
#: Who came on an organisation's behalf ("Ibu Sri, Kepala Seksi").
RepresentedBy = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class AttendanceRow(Input):
    """One stakeholder's invitation to and attendance at a meeting."""

    stakeholder_id: Id
    invited: bool = True
    attended: bool = True
    role: AttendanceRole = AttendanceRole.PARTICIPANT
    represented_by: RepresentedBy = ""


AttendanceList = Annotated[list[AttendanceRow], Field(max_length=1000)]


class AttendanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stakeholder_id: int
    invited: bool
    attended: bool
    role: AttendanceRole
    represented_by: str


class AttendanceReplace(Input):
    """The whole attendance list of a meeting, replacing the one stored."""

    version: Version
    attendance: AttendanceList


class DecisionCreate(Input):
    text: RequiredText
    rationale: Text = ""
    by_consensus: bool = True
    kind: DecisionKind = DecisionKind.ORDINARY


class DecisionPatch(Patch):
    text: RequiredText = KEEP
    rationale: Text = KEEP
    by_consensus: bool = KEEP
    kind: DecisionKind = KEEP


class DecisionRead(RecordRead):
    meeting_id: int
    text: str
    rationale: str
    by_consensus: bool
    kind: DecisionKind


class MeetingCreate(Input):
    forum_id: Id
    title: Title
    starts_at: Instant
    ends_at: Instant | None = None
    mode: MeetingMode = MeetingMode.IN_PERSON
    location: Label = ""
    agenda: Text = ""
    minutes: Text = Field("", description="Markdown, stored as written")
    minutes_circulated_on: dt.date | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    attendance: AttendanceList = Field(default_factory=list)
    decisions: Annotated[list[DecisionCreate], Field(max_length=200)] = Field(default_factory=list)


class MeetingPatch(Patch):
    """Decisions change through their own routes; ``attendance`` replaces the whole list."""

    forum_id: Id = Field(KEEP, description="Another forum of the same collaboration")
    title: Title = KEEP
    starts_at: Instant = KEEP
    ends_at: Instant | None = None
    mode: MeetingMode = KEEP
    location: Label = KEEP
    agenda: Text = KEEP
    minutes: Text = KEEP
    minutes_circulated_on: dt.date | None = None
    status: MeetingStatus = KEEP
    attendance: AttendanceList = KEEP


class MeetingRead(RecordRead):
    forum_id: int
    collaboration_id: int = Field(description="The forum's collaboration; read-only")
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    location: str
    agenda: str
    minutes: str
    minutes_circulated_on: dt.date | None
    status: MeetingStatus
    attendance: list[AttendanceRead]
    attended_count: int = Field(description="How many stakeholders attended")
    decisions: list[DecisionRead]


class MeetingQuery(ListQuery, DateRange):
    collaboration_id: Id | None = None
    forum_id: Id | None = None
    status: MeetingStatus | None = None
    mode: MeetingMode | None = None
    starts_from: dt.date | None = Field(None, description="Starting on or after this date (UTC)")
    starts_to: dt.date | None = Field(None, description="Starting on or before this date (UTC)")
    stakeholder_id: Id | None = Field(None, description="Only meetings this stakeholder attended")
