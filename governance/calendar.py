"""A collaboration's calendar feed (RFC 5545 iCalendar): meetings and commitments due.

The secretariat subscribes to it from a phone calendar. :func:`load_calendar` reads the
few columns the feed needs in two queries; :func:`build_calendar` is pure: it turns
those plain rows into the iCalendar document.

- A meeting is a timed event in UTC, with its forum, mode and agenda as description,
  its location, and status CONFIRMED (planned or held) or CANCELLED.
- A commitment that is still open or in progress and has a due date is an all-day
  event on that date, "Due: <owner>: <description>", marked free time (TRANSPARENT).
- Deleted records (and the meetings of deleted forums) are left out.

UIDs are stable (``meeting-<id>@collabgov``, ``commitment-<id>@collabgov``) so a
calendar updates the event in place when the record changes; SEQUENCE is the record's
version − 1 and DTSTAMP / LAST-MODIFIED its last change, so the same records always
give the same document. Descriptions carry no links: the feed does not know the
address the app is served from.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment
from governance.forums.models import Forum
from governance.meetings.models import Meeting
from governance.stakeholders.models import Stakeholder
from governance.vocab import CommitmentStatus, MeetingMode, MeetingStatus

PRODID = "-//collabgov//Collaboration calendar//EN"
UID_DOMAIN = "collabgov"
#: How often a subscribed calendar is asked to fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)
#: Commitments still to be kept; the others have no due date to remind anyone of.
DUE_STATUSES = frozenset({CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS})
#: A commitment's summary line is cut here (the whole text is in the description).
SUMMARY_LENGTH = 120

_MODE_WORDS = {
    MeetingMode.IN_PERSON: "in person",
    MeetingMode.ONLINE: "online",
    MeetingMode.HYBRID: "hybrid",
}


@dataclass(frozen=True)
class MeetingEntry:
    id: int
    forum: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: MeetingMode
    status: MeetingStatus
    location: str
    agenda: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


@dataclass(frozen=True)
class DueEntry:
    """A commitment with its due date, and the names of who promised it to whom."""

    id: int
    owner: str
    counterpart: str | None
    description: str
    made_on: dt.date
    due_on: dt.date
    status: CommitmentStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


@dataclass(frozen=True)
class CalendarData:
    collaboration_id: int
    name: str
    meetings: tuple[MeetingEntry, ...]
    commitments: tuple[DueEntry, ...]


def load_calendar(session: Session, *, collaboration: Collaboration) -> CalendarData:
    """The live meetings and the due commitments still to keep of one collaboration."""
    meetings = session.execute(
        select(
            Meeting.id,
            Forum.name,
            Meeting.title,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.mode,
            Meeting.status,
            Meeting.location,
            Meeting.agenda,
            Meeting.created_at,
            Meeting.updated_at,
            Meeting.version,
        )
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Meeting.collaboration_id == collaboration.id,
            Meeting.deleted_at.is_(None),
            Forum.deleted_at.is_(None),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    owner = aliased(Stakeholder, name="owner")
    counterpart = aliased(Stakeholder, name="counterpart")
    commitments = session.execute(
        select(
            Commitment.id,
            owner.name,
            counterpart.name,
            Commitment.description,
            Commitment.made_on,
            Commitment.due_on,
            Commitment.status,
            Commitment.created_at,
            Commitment.updated_at,
            Commitment.version,
        )
        .join(owner, owner.id == Commitment.owner_id)
        .outerjoin(counterpart, counterpart.id == Commitment.counterpart_id)
        .where(
            Commitment.collaboration_id == collaboration.id,
            Commitment.deleted_at.is_(None),
            Commitment.due_on.is_not(None),
            Commitment.status.in_(sorted(DUE_STATUSES)),
        )
        .order_by(Commitment.due_on, Commitment.id)
    )
    return CalendarData(
        collaboration_id=collaboration.id,
        name=collaboration.name,
        meetings=tuple(MeetingEntry(*tuple(row)) for row in meetings),
        commitments=tuple(DueEntry(*tuple(row)) for row in commitments),
    )


def build_calendar(data: CalendarData) -> bytes:
    """The iCalendar document (RFC 5545) of a collaboration's meetings and due dates.

    Examples
    --------
    >>> moment = dt.datetime(2020, 6, 1, 3, 0, tzinfo=dt.UTC)
    >>> meeting = MeetingEntry(
    ...     7, "Bansos forum", "Audit results", moment, None, MeetingMode.ONLINE,
    ...     MeetingStatus.PLANNED, "", "", moment, moment, 1,
    ... )
    >>> text = build_calendar(CalendarData(1, "Bansos", (meeting,), ())).decode()
    >>> "UID:meeting-7@collabgov" in text, "DTSTART:20200601T030000Z" in text
    (True, True)
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", data.name)
    calendar.add("x-wr-calname", data.name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for meeting in data.meetings:
        calendar.add_component(_meeting_event(meeting))
    for commitment in data.commitments:
        calendar.add_component(_due_event(commitment))
    document: bytes = calendar.to_ical()
    return document


def filename(data: CalendarData) -> str:
    """A file name for the feed: ``collabgov-<id>-<name in ASCII>.ics``.

    >>> filename(CalendarData(3, "Perbaikan Bansos DKI Jakarta (2020–2022)", (), ()))
    'collabgov-3-perbaikan-bansos-dki-jakarta-2020-2022.ics'
    """
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", data.name) if not unicodedata.combining(c)
    )
    slug = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:60].rstrip("-")
    return f"collabgov-{data.collaboration_id}{'-' + slug if slug else ''}.ics"


def _meeting_event(meeting: MeetingEntry) -> icalendar.Event:
    event = _event(f"meeting-{meeting.id}", meeting.created_at, meeting.updated_at, meeting.version)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    # Without an end the event lasts no time (RFC 5545 §3.6.1); no length is made up.
    if meeting.ends_at is not None:
        event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    if meeting.location.strip():
        event.add("location", meeting.location.strip())
    event.add("description", _meeting_description(meeting))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _meeting_description(meeting: MeetingEntry) -> str:
    lines = [f"Forum: {meeting.forum}", f"Mode: {_MODE_WORDS[meeting.mode]}"]
    if meeting.agenda.strip():
        lines += ["", meeting.agenda.strip()]
    return "\n".join(lines)


def _due_event(commitment: DueEntry) -> icalendar.Event:
    event = _event(
        f"commitment-{commitment.id}",
        commitment.created_at,
        commitment.updated_at,
        commitment.version,
    )
    event.add("summary", _one_line(f"Due: {commitment.owner}: {commitment.description}"))
    event.add("dtstart", commitment.due_on)
    event.add("dtend", commitment.due_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", _due_description(commitment))
    return event


def _due_description(commitment: DueEntry) -> str:
    lines: Sequence[str] = [
        commitment.description.strip(),
        "",
        f"Owner: {commitment.owner}",
        *([f"To: {commitment.counterpart}"] if commitment.counterpart else []),
        f"Made on: {commitment.made_on.isoformat()}",
        f"Status: {commitment.status.value.replace('_', ' ')}",
    ]
    return "\n".join(lines)


def _event(
    name: str, created_at: dt.datetime, updated_at: dt.datetime, version: int
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{name}@{UID_DOMAIN}")
    event.add("dtstamp", updated_at.astimezone(dt.UTC))
    event.add("created", created_at.astimezone(dt.UTC))
    event.add("last-modified", updated_at.astimezone(dt.UTC))
    event.add("sequence", max(version - 1, 0))
    return event


def _one_line(text: str) -> str:
    """Whitespace (newlines too) collapsed, cut at ``SUMMARY_LENGTH`` with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1].rstrip() + "…"
