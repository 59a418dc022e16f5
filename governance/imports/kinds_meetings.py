"""Importing meetings with their attendance, and attendance sheets for meetings on record.

A meetings file has one row per meeting, or one row per attendee with the meeting's
columns repeated (the rows of one forum, title and day make one meeting). An
attendance file has one row per attendee of a meeting already recorded, found by its
date (and title or forum when several fall on one day) or chosen for the whole file.

Natural keys: a meeting is the same when its forum, title (folded) and local day
are; an attendance row when its meeting and stakeholder are. An attendance row on
record with other values (say, absent → present) is updated; the same stakeholder
twice for one meeting with different values is a problem of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from governance.base import utcnow
from governance.forums.models import Forum
from governance.imports import parsing
from governance.imports.engine import REQUIRED, Cells, Context
from governance.imports.matching import name_key
from governance.imports.messages import (
    ALREADY_RECORDED,
    N_,
    SAME_AS_ROW,
    Message,
    Param,
    day,
    message_of,
    text,
)
from governance.imports.reading import Row
from governance.imports.report import Action
from governance.meetings import service as meeting_service
from governance.meetings.models import Attendance, Meeting
from governance.meetings.schemas import AttendanceReplace, MeetingCreate
from governance.vocab import AttendanceRole, MeetingMode, MeetingStatus

_ATTENDEE = ("invited", "attended", "role", "represented_by")
_ATTENDANCE_ITEM = re.compile(r"^attendance\[(\d+)\]\.?(.*)$")
NO_FORUM_YET = N_("none yet; create one first")
#: "SPRI DKI Jakarta at Rapat koordinasi (2021-03-31)"
AT_MEETING = N_("%(name)s at %(meeting)s")


@dataclass(frozen=True)
class Entry:
    """One attendee row of the file."""

    row: int
    stakeholder_id: int
    name: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Known:
    """A meeting on record, as the import matches it."""

    id: int
    forum: str
    title: str
    day: dt.date


def _attendee(cells: Cells) -> Entry | None:
    """The attendee a row names, or None when it names none (or a cell is unreadable)."""
    stakeholder = cells.stakeholder("stakeholder")
    values = {
        "invited": cells.flag("invited", default=True),
        "attended": cells.flag("attended", default=True),
        "role": cells.code("role", AttendanceRole, "attendance_role", AttendanceRole.PARTICIPANT),
        "represented_by": cells.text("represented_by"),
    }
    if stakeholder is None:
        return None
    return Entry(cells.number, stakeholder, cells.label(stakeholder), values)


def _forums(context: Context) -> dict[str, int]:
    rows = context.session.execute(
        select(Forum.id, Forum.name).where(
            Forum.collaboration_id == context.collaboration_id, Forum.deleted_at.is_(None)
        )
    )
    return {name_key(row.name): row.id for row in rows}


def _forum_list(names: dict[int, str]) -> Param:
    return "; ".join(sorted(names.values())) or text(NO_FORUM_YET)


def _forum(cells: Cells, forums: dict[str, int], names: dict[int, str]) -> int | None:
    cell = cells.text("forum")
    if not cell:
        if len(forums) == 1:
            return next(iter(forums.values()))
        cells.problem(
            "forum",
            text(
                N_("is required: the collaboration has several forums (%(forums)s)"),
                forums=_forum_list(names),
            ),
        )
        return None
    found = forums.get(name_key(cell))
    if found is None:
        cells.problem(
            "forum",
            text(
                N_("no forum of this collaboration is called %(text)r (%(forums)s)"),
                text=cell,
                forums=_forum_list(names),
            ),
        )
    return found


def _meeting_label(title: str, on: dt.date | None) -> Message:
    """``Rapat koordinasi (2021-03-31)``: a meeting as a row's summary names it."""
    return text(N_("%(title)s (%(day)s)"), title=title, day=day(on) if on else "")


def _local_day(instant: dt.datetime, timezone: dt.tzinfo) -> dt.date:
    return instant.astimezone(timezone).date()


def _starts_at(cells: Cells, timezone: dt.tzinfo) -> dt.datetime | None:
    text = cells.required_text("starts_at")
    if not text:
        return None
    try:
        instant, timed = parsing.parse_datetime(text, timezone=timezone)
    except ValueError as error:
        cells.problem("starts_at", message_of(error))
        return None
    start_time = cells.value("start_time", parsing.parse_time)
    if not timed and start_time is not None:
        instant = dt.datetime.combine(instant.date(), start_time, tzinfo=timezone)
    return instant


def _ends_at(cells: Cells, starts_at: dt.datetime, timezone: dt.tzinfo) -> dt.datetime | None:
    text = cells.text("ends_at")
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{1,2}[:.]\d{2}([:.]\d{2})?(\s*\w+)?", text.strip()):
            day = _local_day(starts_at, timezone)
            return dt.datetime.combine(day, parsing.parse_time(text), tzinfo=timezone)
        return parsing.parse_datetime(text, timezone=timezone)[0]
    except ValueError as error:
        cells.problem("ends_at", message_of(error))
        return None


def meetings(context: Context, rows: Sequence[Row]) -> None:
    forums = _forums(context)
    forum_names = {
        row.id: row.name
        for row in context.session.execute(
            select(Forum.id, Forum.name).where(Forum.id.in_(forums.values()))
        )
    }
    groups: dict[tuple[int, str, dt.date], tuple[dict[str, Any], list[Entry], list[int]]] = {}
    for row in rows:
        cells = Cells(context, row)
        forum_id = _forum(cells, forums, forum_names)
        title = cells.required_text("title")
        starts_at = _starts_at(cells, context.timezone)
        ends_at = _ends_at(cells, starts_at, context.timezone) if starts_at else None
        default_status = (
            MeetingStatus.HELD
            if starts_at is not None and starts_at <= utcnow()
            else MeetingStatus.PLANNED
        )
        meeting = {
            "forum_id": forum_id,
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "mode": cells.code("mode", MeetingMode, "meeting_mode", MeetingMode.IN_PERSON),
            "location": cells.text("location"),
            "status": cells.code("status", MeetingStatus, "meeting_status", default_status),
            "agenda": cells.text("agenda"),
            "minutes": cells.text("minutes"),
            "minutes_circulated_on": cells.date("minutes_circulated_on"),
        }
        entry = _attendee(cells)
        if not cells.ok or forum_id is None or starts_at is None:
            continue
        key = (forum_id, name_key(title), _local_day(starts_at, context.timezone))
        group = groups.setdefault(key, (meeting, [], []))
        group[2].append(row.number)
        if entry is not None:
            group[1].append(entry)
    known = _known_meetings(context)
    for (forum_id, title_key, held_on), (meeting, entries, numbers) in groups.items():
        label = _meeting_label(meeting["title"], held_on)
        match = [
            m for m in known if (m.forum, m.title, m.day) == (str(forum_id), title_key, held_on)
        ]
        attendee_rows = {entry.row for entry in entries}
        if match:
            for number in numbers:
                if number not in attendee_rows:
                    known_meeting = text(ALREADY_RECORDED, record=label)
                    context.result(number, Action.SKIP, "meeting", known_meeting, match[0].id)
            merge_attendance(context, match[0].id, entries, label)
            continue
        _create_meeting(context, meeting, entries, numbers, label)


def _create_meeting(
    context: Context,
    meeting: dict[str, Any],
    entries: list[Entry],
    numbers: list[int],
    label: Message,
) -> None:
    unique: list[Entry] = []
    by_stakeholder: dict[int, Entry] = {}
    for entry in entries:
        earlier = by_stakeholder.get(entry.stakeholder_id)
        if earlier is None:
            by_stakeholder[entry.stakeholder_id] = entry
            unique.append(entry)
        elif earlier.values != entry.values:
            _twice(context, entry, earlier)
        else:
            same = text(SAME_AS_ROW, record=entry.name, row=str(earlier.row))
            context.result(entry.row, Action.SKIP, "attendance", same)

    def locate(name: str) -> tuple[int, str] | None:
        match = _ATTENDANCE_ITEM.match(name)
        if match is None or int(match[1]) >= len(unique):
            return None
        field = match[2].removesuffix("_id") or "stakeholder"
        return unique[int(match[1])].row, field

    data = meeting | {
        "attendance": [{"stakeholder_id": e.stakeholder_id, **e.values} for e in unique]
    }
    created = context.attempt(
        numbers[0],
        lambda: meeting_service.create(
            context.session, data=MeetingCreate.model_validate(data), actor=context.actor
        ),
        {"forum_id": "forum"},
        locate,
    )
    if created is None:
        return
    first = numbers[0]
    with_attendees = text(
        N_("%(meeting)s, %(count)s attendee(s)"), meeting=label, count=len(unique)
    )
    context.result(first, Action.ADD, "meeting", with_attendees, created.id)
    for entry in unique:
        if entry.row != first:
            present = text(AT_MEETING, name=entry.name, meeting=label)
            context.result(entry.row, Action.ADD, "attendance", present, created.id)
    for number in numbers[1:]:
        if number not in {entry.row for entry in entries}:
            same = text(SAME_AS_ROW, record=label, row=str(first))
            context.result(number, Action.SKIP, "meeting", same, created.id)


def _twice(context: Context, entry: Entry, earlier: Entry) -> None:
    context.problem(
        entry.row,
        "stakeholder",
        text(
            N_(
                "%(name)s is listed twice for this meeting (rows %(first)s and %(second)s) "
                "with different values; keep one row"
            ),
            name=entry.name,
            first=str(earlier.row),
            second=str(entry.row),
        ),
    )


def _known_meetings(context: Context) -> list[Known]:
    rows = context.session.execute(
        select(Meeting.id, Meeting.forum_id, Meeting.title, Meeting.starts_at).where(
            Meeting.collaboration_id == context.collaboration_id, Meeting.deleted_at.is_(None)
        )
    )
    return [
        Known(
            row.id,
            str(row.forum_id),
            name_key(row.title),
            _local_day(row.starts_at, context.timezone),
        )
        for row in rows
    ]


def merge_attendance(
    context: Context, meeting_id: int, entries: list[Entry], label: Message
) -> None:
    """Add the file's attendees a meeting lacks, update those recorded otherwise."""
    session = context.session
    meeting = session.get_one(Meeting, meeting_id)
    stored = {
        row.stakeholder_id: {key: getattr(row, key) for key in _ATTENDEE}
        for row in session.scalars(
            select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.id)
        )
    }
    final = dict(stored)
    in_file: dict[int, Entry] = {}
    changed: list[Entry] = []
    for entry in entries:
        earlier = in_file.get(entry.stakeholder_id)
        if earlier is not None:
            if earlier.values != entry.values:
                _twice(context, entry, earlier)
            else:
                same = text(SAME_AS_ROW, record=entry.name, row=str(earlier.row))
                context.result(entry.row, Action.SKIP, "attendance", same)
            continue
        in_file[entry.stakeholder_id] = entry
        before = stored.get(entry.stakeholder_id)
        if before == entry.values:
            present = text(AT_MEETING, name=entry.name, meeting=label)
            known = text(ALREADY_RECORDED, record=present)
            context.result(entry.row, Action.SKIP, "attendance", known, meeting_id)
            continue
        final[entry.stakeholder_id] = entry.values
        changed.append(entry)
    if not changed:
        return
    order = list(final)

    def locate(name: str) -> tuple[int, str] | None:
        match = _ATTENDANCE_ITEM.match(name)
        if match is None or int(match[1]) >= len(order):
            return None
        entry = in_file.get(order[int(match[1])])
        field = match[2].removesuffix("_id") or "stakeholder"
        return (entry.row, field) if entry is not None else None

    data = {
        "version": meeting.version,
        "attendance": [{"stakeholder_id": sid, **values} for sid, values in final.items()],
    }
    done = context.attempt(
        changed[0].row,
        lambda: meeting_service.replace_attendance(
            session,
            meeting=meeting,
            data=AttendanceReplace.model_validate(data),
            actor=context.actor,
        ),
        None,
        locate,
    )
    if done is None:
        return
    for entry in changed:
        action = Action.ADD if entry.stakeholder_id not in stored else Action.UPDATE
        present = text(AT_MEETING, name=entry.name, meeting=label)
        context.result(entry.row, action, "attendance", present, meeting_id)


def attendance(context: Context, rows: Sequence[Row]) -> None:
    known = _known_meetings(context)
    forums = _forums(context)
    titles = {
        row.id: row.title
        for row in context.session.execute(
            select(Meeting.id, Meeting.title).where(Meeting.id.in_([m.id for m in known]))
        )
    }
    if context.meeting_id is None and context.mapping.index("meeting_date") is None:
        context.problem(
            None,
            "meeting_date",
            text(
                N_(
                    "the file has no column with the meeting's date; add one, or choose the "
                    "meeting for the whole file"
                )
            ),
        )
        return
    grouped: dict[int, list[Entry]] = {}
    for row in rows:
        cells = Cells(context, row)
        meeting_id = context.meeting_id or _meeting_of(cells, known, forums, titles, context)
        entry = _attendee(cells)
        if entry is None and cells.ok and not cells.text("stakeholder"):
            cells.problem("stakeholder", text(REQUIRED))
        if not cells.ok or entry is None or meeting_id is None:
            continue
        grouped.setdefault(meeting_id, []).append(entry)
    for meeting_id, entries in grouped.items():
        held_on = next((m.day for m in known if m.id == meeting_id), None)
        label = _meeting_label(titles.get(meeting_id, str(meeting_id)), held_on)
        merge_attendance(context, meeting_id, entries, label)


def _meeting_of(
    cells: Cells,
    known: list[Known],
    forums: dict[str, int],
    titles: dict[int, str],
    context: Context,
) -> int | None:
    """The meeting a row's date (and title, forum) names, or a problem on that column."""
    held_on = cells.date("meeting_date", required=True)
    if held_on is None:
        return None
    found = [m for m in known if m.day == held_on]
    title = cells.text("meeting")
    if title:
        found = [m for m in found if m.title == name_key(title)]
    forum = cells.text("forum")
    if forum:
        forum_id = forums.get(name_key(forum))
        found = [m for m in found if forum_id is not None and m.forum == str(forum_id)]
    if len(found) == 1:
        return found[0].id
    if not found:
        if title:
            missing = text(
                N_(
                    "no meeting of this collaboration on %(day)s is called %(title)r; "
                    "record the meeting first (import kind: meetings)"
                ),
                day=day(held_on),
                title=title,
            )
        else:
            missing = text(
                N_(
                    "no meeting of this collaboration on %(day)s; "
                    "record the meeting first (import kind: meetings)"
                ),
                day=day(held_on),
            )
        cells.problem("meeting" if title else "meeting_date", missing)
        return None
    listed = "; ".join(sorted(titles[m.id] for m in found))
    cells.problem(
        "meeting_date",
        text(
            N_("several meetings on %(day)s (%(meetings)s); add a column with the meeting's title"),
            day=day(held_on),
            meetings=listed,
        ),
    )
    return None
