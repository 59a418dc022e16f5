"""The read shapes of the public pages and API: only what the publication rules allow.

These are separate from the records' read shapes on purpose: a field added to a record
does not reach the public until it is added here, by someone who decided it may.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from governance.vocab import (
    CommitmentStatus,
    DecisionRule,
    Inclusiveness,
    MeetingMode,
    MeetingStatus,
    OutcomeLevel,
)


class PublicForumSummary(BaseModel):
    """A published forum in the list."""

    id: int
    name: str
    purpose: str
    collaboration: str = Field(description="The name of the forum's collaboration")
    held_meetings: int = Field(description="How many of its meetings were held")
    last_meeting_at: dt.datetime | None = Field(description="When the latest held meeting began")
    next_meeting_at: dt.datetime | None = Field(
        description="When the next planned meeting begins, if one is planned from now on"
    )


class PublicMeetingSummary(BaseModel):
    """A meeting of a published forum, as the forum's page lists it."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    location: str
    status: MeetingStatus
    attended_count: int = Field(description="How many stakeholders attended (held meetings)")
    decision_count: int
    minutes_published: bool = Field(description="Held, and the minutes were circulated")


class PublicStatusStep(BaseModel):
    """One step of a commitment's history: the status it reached, and when."""

    status: CommitmentStatus
    changed_on: dt.date


class PublicCommitment(BaseModel):
    """A commitment made at a meeting of a published forum."""

    description: str
    owner: str | None = Field(description="Who promised; null when no longer listed")
    counterpart: str | None = Field(description="To whom; null when nobody or no longer listed")
    meeting_id: int
    meeting_title: str
    made_on: dt.date
    due_on: dt.date | None
    status: CommitmentStatus
    fulfilled_on: dt.date | None
    overdue: bool = Field(description="Due before today and still open or in progress")
    days_late: int | None = Field(description="Days past the due date, when overdue")
    history: list[PublicStatusStep]


class PublicOutcome(BaseModel):
    """How far an outcome linked to a published forum's meetings or commitments has come."""

    title: str
    level: OutcomeLevel
    progress: float = Field(ge=0, le=100, description="Percent, rolled up from its parts")
    last_measured_on: dt.date | None = Field(
        description="The latest measurement of the outcome or its parts"
    )


class PublicForum(BaseModel):
    """A published forum with its meetings, the commitments made there, and outcome progress."""

    id: int
    name: str
    purpose: str
    collaboration: str
    convener: str | None
    facilitator: str | None
    inclusiveness: Inclusiveness
    decision_rule: DecisionRule
    established_on: dt.date | None
    closed_on: dt.date | None
    last_meeting_at: dt.datetime | None
    next_meeting_at: dt.datetime | None
    meetings: list[PublicMeetingSummary] = Field(description="Newest first")
    meetings_total: int = Field(description="All its meetings; the list may show fewer")
    commitments: list[PublicCommitment]
    commitments_total: int = Field(
        description="All commitments made there; the list may show fewer"
    )
    outcomes: list[PublicOutcome]


class PublicDecision(BaseModel):
    text: str
    rationale: str
    by_consensus: bool


class PublicMeeting(BaseModel):
    """A meeting of a published forum: what the public may read of it."""

    id: int
    title: str
    forum_id: int
    forum: str
    collaboration: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    location: str
    status: MeetingStatus
    agenda: str = Field(description="Shown for planned and held meetings")
    minutes_published: bool
    minutes_circulated_on: dt.date | None = Field(description="Set when the minutes are published")
    minutes_html: str = Field(
        description="The published minutes, rendered from Markdown and sanitised; "
        "empty when unpublished"
    )
    attended_count: int
    attending_organisations: list[str] = Field(
        description="Organisations, coalitions and groups that attended; people are only counted"
    )
    decisions: list[PublicDecision]
    commitments: list[PublicCommitment]
