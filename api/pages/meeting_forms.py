"""Form parts the meeting pages share: a meeting's date and times, the attendance
checklist of a collaboration's participants, stakeholder choices, and the meeting log's
own messages and field names.

A meeting is entered as a date with a start and an end time in the display time zone
(Jakarta): the pages combine them into the instants the domain stores.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from babel import dates as babel_dates
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.i18n import Language
from api.pages.forms import field_errors
from api.pages.labels import N_
from governance.errors import Invalid
from governance.forums.models import Forum
from governance.meetings import log as log_service
from governance.participations.models import Participation
from governance.stakeholders.models import Stakeholder
from governance.vocab import Sector

T = TypeVar("T")

#: How many attendance rows a form may send (the domain's limit).
MAX_SEATS = 1000


@dataclass(frozen=True)
class Person:
    """A stakeholder as a form lists it."""

    id: int
    name: str
    sector: Sector


@dataclass(frozen=True)
class Seat:
    """Row ``index`` of the attendance checklist."""

    index: int
    person: Person


def participants(session: Session, collaboration_id: int) -> list[Person]:
    """Everyone taking part in the collaboration (also those who left), by name."""
    rows = session.execute(
        select(Stakeholder.id, Stakeholder.name, Stakeholder.sector)
        .join(Participation, Participation.stakeholder_id == Stakeholder.id)
        .where(
            Participation.collaboration_id == collaboration_id,
            Participation.deleted_at.is_(None),
            Stakeholder.deleted_at.is_(None),
        )
        .order_by(Stakeholder.name, Stakeholder.id)
    )
    return [Person(*row) for row in rows]


def people(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    """Live stakeholders by id (those who are not participants, say).

    Ids beyond the database's integer range name no one: they are left out rather than
    sent to the database, which would refuse them with an error.
    """
    wanted = {i for i in ids if 1 <= i <= 2**31 - 1}
    if not wanted:
        return {}
    rows = session.execute(
        select(Stakeholder.id, Stakeholder.name, Stakeholder.sector).where(
            Stakeholder.id.in_(wanted), Stakeholder.deleted_at.is_(None)
        )
    )
    return {row.id: Person(*row) for row in rows}


def forum_choices(session: Session, collaboration_id: int) -> list[tuple[str, str]]:
    """The collaboration's live forums as ``(id, name)`` choices, by name."""
    rows = session.execute(
        select(Forum.id, Forum.name)
        .where(Forum.collaboration_id == collaboration_id, Forum.deleted_at.is_(None))
        .order_by(Forum.name, Forum.id)
    )
    return [(str(forum_id), name) for forum_id, name in rows]


def seat_list(
    everyone: Sequence[Person], first: Mapping[int, int], others: Mapping[int, Person]
) -> list[Seat]:
    """The attendance checklist: rows already on the form (``first``: row → stakeholder)
    keep their index; every other participant follows."""
    known = {person.id: person for person in everyone} | dict(others)
    seats = [
        Seat(index, known[stakeholder_id])
        for index, stakeholder_id in sorted(first.items())
        if stakeholder_id in known
    ]
    listed = set(first.values())
    next_index = max(first, default=-1) + 1
    for person in everyone:
        if person.id not in listed:
            seats.append(Seat(next_index, person))
            next_index += 1
    return seats


def submitted_seats(values: Mapping[str, str]) -> dict[int, int]:
    """Row → stakeholder id of the attendance rows a form sent."""
    found: dict[int, int] = {}
    for index in range(row_count(values, "attendance", limit=MAX_SEATS)):
        text = values.get(f"attendance[{index}].stakeholder_id", "")
        if text.isdigit() and 0 < int(text) < 2**31:
            found[index] = int(text)
    return found


def row_count(values: Mapping[str, str], section: str, *, limit: int) -> int:
    """How many rows of ``section`` the form had (its hidden ``rows.<section>`` field)."""
    text = values.get(f"rows.{section}", "")
    return min(int(text), limit) if text.isdigit() else 0


def stakeholder_choices(
    everyone: Sequence[Person], newcomers: Sequence[tuple[int, str]], language: Language
) -> list[tuple[str, str]]:
    """Choices for an owner, counterpart, actor or target: participants, then newcomer rows."""
    choices = [(str(person.id), person.name) for person in everyone]
    for index, name in newcomers:
        shown = (
            language.gettext(N_("Newcomer: %(name)s"), name=name)
            if name.strip()
            else language.gettext(N_("Newcomer row %(row)s"), row=str(index + 1))
        )
        choices.append((f"new:{index}", shown))
    return choices


# -- date and times ----------------------------------------------------------------------


def when_input(
    values: Mapping[str, str], timezone: dt.tzinfo, language: Language
) -> tuple[dict[str, str], dict[str, str]]:
    """``starts_at`` / ``ends_at`` from the date and time fields, and those fields' errors."""
    errors: dict[str, str] = {}
    day = _parsed(values.get("date", ""), dt.date.fromisoformat)
    start = _parsed(values.get("start_time", ""), dt.time.fromisoformat)
    end = _parsed(values.get("end_time", ""), dt.time.fromisoformat)
    required = language.gettext(N_("This field is required."))
    for name, value, message in (
        ("date", day, N_("Enter a date (YYYY-MM-DD).")),
        ("start_time", start, N_("Enter a time, for example 14:00.")),
        ("end_time", end, N_("Enter a time, for example 14:00.")),
    ):
        if value is False:
            errors[name] = language.gettext(message)
        elif value is None and name != "end_time":
            errors[name] = required
    if isinstance(start, dt.time) and isinstance(end, dt.time) and end < start:
        errors["end_time"] = language.gettext(N_("Must not be before the start time."))
    if not isinstance(day, dt.date) or not isinstance(start, dt.time) or errors:
        return {}, errors
    data = {"starts_at": dt.datetime.combine(day, start, tzinfo=timezone).isoformat()}
    if isinstance(end, dt.time):
        data["ends_at"] = dt.datetime.combine(day, end, tzinfo=timezone).isoformat()
    return data, errors


def _parsed(text: str, parse: Callable[[str], T]) -> T | Literal[False] | None:
    """None when blank, False when unreadable, else the parsed value."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        return False


def when_values(
    starts_at: dt.datetime, ends_at: dt.datetime | None, timezone: dt.tzinfo
) -> dict[str, str]:
    """The date and time fields of stored instants, in the display time zone."""
    start = starts_at.astimezone(timezone)
    return {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": ends_at.astimezone(timezone).strftime("%H:%M") if ends_at else "",
    }


# -- errors of the meeting log -------------------------------------------------------------

#: The log's own rules (``governance.meetings.log``) → message ids for people.
LOG_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{log_service.REQUIRED}$"), N_("This field is required.")),
    (
        re.compile(rf"^{log_service.NO_ATTENDEE}$"),
        N_("Tick at least one attendee, or schedule the meeting as planned."),
    ),
    (
        re.compile(rf"^{log_service.IN_THE_FUTURE}$"),
        N_("A held meeting cannot be in the future: schedule it as planned instead."),
    ),
    (
        re.compile(rf"^{re.escape(log_service.NOT_YET)}$"),
        N_("A planned meeting has none yet: record this once the meeting is held."),
    ),
    (
        re.compile(r"^forum \d+ belongs to another collaboration"),
        N_("Choose a forum of this collaboration."),
    ),
    (
        re.compile(r"^(give either a stakeholder|newcomer \d+ is not in the list)"),
        N_("Choose a participant or a newcomer from the list."),
    ),
    (
        re.compile(r"^meeting \d+ is \w+: only a planned"),
        N_("Only a planned meeting can be completed."),
    ),
    (
        re.compile(r"^must not be before made_on \((?P<date>\d{4}-\d\d-\d\d)\)$"),
        N_("Must not be before the meeting's date (%(date)s)."),
    ),
]

#: Where each field of the log's schema sits on the page, top to bottom.
ORDER = (
    "collaboration_id",
    "status",
    "forum_id",
    "title",
    "date",
    "start_time",
    "end_time",
    "mode",
    "location",
    "agenda",
    "attendance",
    "newcomers",
    "minutes",
    "minutes_circulated_on",
    "decisions",
    "commitments",
    "trust_events",
)
#: Schema fields shown under another form field.
RENAMED = {"starts_at": "date", "ends_at": "end_time"}
_ITEM = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\](?P<rest>.*)$")


def translated(error: ValidationError | Invalid, language: Language) -> dict[str, str]:
    """Messages by schema field, the log's own rules included."""
    if isinstance(error, ValidationError):
        return field_errors(error, language)
    found: dict[str, str] = {}
    for name, text in error.errors.items():
        for pattern, message_id in LOG_MESSAGES:
            match = pattern.match(text)
            if match:
                params = {
                    key: babel_dates.format_date(
                        dt.date.fromisoformat(value), "medium", locale=language.locale
                    )
                    for key, value in match.groupdict().items()
                }
                found[name] = language.gettext(message_id, **params)
                break
        else:
            found |= field_errors(Invalid({name: text}), language)
    return found


@dataclass
class Rows:
    """Which form row each item sent to the domain came from, list by list.

    Blank rows are left out before validation, so item 1 of ``commitments`` may be
    row 3 of the form; errors are shown beside the row the user typed in.
    """

    positions: dict[str, list[int]] = field(default_factory=dict)

    def form_name(self, name: str) -> str:
        """The form field of a schema field (``commitments[1].owner_newcomer`` →
        ``commitments[3].owner_id``)."""
        match = _ITEM.match(name)
        if match is None:
            return RENAMED.get(name, name)
        items = self.positions.get(match["list"], [])
        index = int(match["index"])
        row = items[index] if index < len(items) else index
        rest = re.sub(r"_newcomer$", "_id", match["rest"])
        return f"{match['list']}[{row}]{rest}"


def on_form(errors: Mapping[str, str], rows: Rows) -> dict[str, str]:
    """Errors by form field, in the order the fields appear on the page."""
    placed: dict[str, str] = {}
    for name, message in errors.items():
        placed.setdefault(rows.form_name(name), message)
    return dict(sorted(placed.items(), key=lambda item: _position(item[0])))


def combined(page: Mapping[str, str], schema: Mapping[str, str], rows: Rows) -> dict[str, str]:
    """The page's own errors and the schema's, by form field; the page's say it better."""
    return on_form({**on_form(schema, rows), **page}, Rows())


def _position(name: str) -> tuple[int, int, str]:
    match = _ITEM.match(name)
    head = match["list"] if match else name.split(".")[0]
    rank = ORDER.index(head) if head in ORDER else len(ORDER)
    return rank, int(match["index"]) if match else -1, name
