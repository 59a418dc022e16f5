"""The meeting log's form: its rows, what it sent (as the domain's input, with where each
item came from), what a fresh or a planned meeting's form shows, and every problem with it.

Rows are named like the domain's lists (``commitments[2].due_on``); a row whose
content fields are all empty is blank and left out. The hidden ``rows.<list>`` fields
say how many rows each list has on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.i18n import Language
from api.pages import editing
from api.pages.forms import RawForm, text
from api.pages.labels import N_
from api.pages.meeting_forms import (
    MAX_SEATS,
    Rows,
    on_form,
    row_count,
    translated,
    when_input,
    when_values,
)
from governance.base import utcnow
from governance.errors import Invalid
from governance.forums.models import Forum
from governance.meetings import log as log_service
from governance.meetings.models import Attendance, Meeting
from governance.vocab import MeetingStatus


@dataclass(frozen=True)
class RowSpec:
    """A list of rows on the log: its fields, which of them make a row count as filled
    in, its checkboxes, the values of a fresh row, and how many rows a fresh form has."""

    fields: tuple[str, ...]
    content: tuple[str, ...]
    checkboxes: tuple[str, ...]
    defaults: Mapping[str, str]
    initial: int


SECTIONS: dict[str, RowSpec] = {
    "newcomers": RowSpec(
        ("name", "kind", "sector", "attended", "role"),
        ("name", "kind", "sector"),
        ("attended",),
        {"attended": "1", "role": "participant"},
        2,
    ),
    "decisions": RowSpec(
        ("text", "kind", "by_consensus"),
        ("text",),
        ("by_consensus",),
        {"kind": "ordinary", "by_consensus": "1"},
        3,
    ),
    "commitments": RowSpec(
        ("owner_id", "counterpart_id", "description", "due_on"),
        ("owner_id", "counterpart_id", "description", "due_on"),
        (),
        {},
        4,
    ),
    "trust_events": RowSpec(
        ("actor_id", "target_id", "kind", "valence", "trust_form", "severity", "description"),
        ("actor_id", "target_id", "kind", "valence", "trust_form", "description"),
        (),
        {"severity": "1"},
        2,
    ),
}
#: How many rows "Add more rows" adds, and how many a list may have on the page.
MORE_ROWS = 3
MAX_ROWS = 60
TOP = (
    "status",
    "forum_id",
    "title",
    "date",
    "start_time",
    "end_time",
    "mode",
    "location",
    "agenda",
    "minutes",
    "minutes_circulated_on",
)
SEAT_FIELDS = ("stakeholder_id", "invited", "role", "represented_by")

#: What the error summary calls each field (the form shows the same words).
TOP_LABELS = {
    "status": N_("What are you recording?"),
    "forum_id": N_("Forum"),
    "title": N_("Title"),
    "date": N_("Date"),
    "start_time": N_("Start time"),
    "end_time": N_("End time"),
    "mode": N_("Mode"),
    "location": N_("Location"),
    "agenda": N_("Agenda"),
    "attendance": N_("Attendance"),
    "minutes": N_("Minutes"),
    "minutes_circulated_on": N_("Minutes circulated on"),
}
ROW_LABELS = {
    "newcomers": N_("Newcomer %(row)s"),
    "decisions": N_("Decision %(row)s"),
    "commitments": N_("Commitment %(row)s"),
    "trust_events": N_("Trust event %(row)s"),
}
ROW_FIELD_LABELS: dict[str, dict[str, str]] = {
    "newcomers": {
        "name": N_("Name"),
        "kind": N_("Kind"),
        "sector": N_("Sector"),
        "role": N_("Role"),
        "attended": N_("Attended"),
    },
    "decisions": {
        "text": N_("What was decided"),
        "kind": N_("Kind"),
        "by_consensus": N_("Decided by consensus"),
    },
    "commitments": {
        "owner_id": N_("Who promised"),
        "counterpart_id": N_("To whom"),
        "description": N_("What"),
        "due_on": N_("Due date"),
    },
    "trust_events": {
        "actor_id": N_("Who acted"),
        "target_id": N_("Towards"),
        "kind": N_("What happened"),
        "valence": N_("Effect on trust"),
        "trust_form": N_("Form of trust"),
        "severity": N_("Severity"),
        "description": N_("Description"),
    },
}
_ROW_FIELD = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


def summary_labels(language: Language, names: Iterable[str]) -> dict[str, str]:
    """How the error summary names the top fields and the rows' fields in ``names``."""
    labels = {name: language.gettext(label) for name, label in TOP_LABELS.items()}
    for name in names:
        match = _ROW_FIELD.match(name)
        if match is None:
            continue
        section, index, field = match["list"], int(match["index"]), match["field"]
        if section == "attendance":
            labels[name] = labels["attendance"]
        elif section in ROW_LABELS:
            row = language.gettext(ROW_LABELS[section], row=str(index + 1))
            field_label = ROW_FIELD_LABELS[section].get(field)
            labels[name] = f"{row} · {language.gettext(field_label)}" if field_label else row
    return labels


# -- what the form sent ----------------------------------------------------------------


def typed_values(form: RawForm) -> dict[str, str]:
    """Everything the user typed, field by field, to show again."""
    values = {name: text(form, name) for name in TOP}
    values["rows.attendance"] = text(form, "rows.attendance")
    for index in range(row_count(values, "attendance", limit=MAX_SEATS)):
        for name in SEAT_FIELDS:
            values[f"attendance[{index}].{name}"] = text(form, f"attendance[{index}].{name}")
        values[f"attendance[{index}].attended"] = _ticked(form, f"attendance[{index}].attended")
    for section, spec in SECTIONS.items():
        values[f"rows.{section}"] = text(form, f"rows.{section}")
        for index in range(row_count(values, section, limit=MAX_ROWS)):
            for name in spec.fields:
                key = f"{section}[{index}].{name}"
                values[key] = _ticked(form, key) if name in spec.checkboxes else text(form, key)
    return values


def _ticked(form: RawForm, name: str) -> str:
    return "1" if text(form, name) else ""


def _filled(values: Mapping[str, str], section: str, index: int) -> bool:
    spec = SECTIONS[section]
    return any(values.get(f"{section}[{index}].{name}", "").strip() for name in spec.content)


def log_input(
    values: Mapping[str, str], language: Language, *, status: str
) -> tuple[dict[str, Any], Rows, dict[str, str]]:
    """The domain's input from the form, where each item came from, and page errors."""
    when, errors = when_input(values, language.timezone, language)
    data: dict[str, Any] = dict(when) | {"status": status}
    for name in ("title", "location", "agenda", "minutes"):
        data[name] = values.get(name, "")
    for name in ("forum_id", "mode", "minutes_circulated_on"):
        if values.get(name, "").strip():
            data[name] = values[name]
    reader = _Reader(values, language, planned=status == MeetingStatus.PLANNED, errors=errors)
    seats = [i for i in range(row_count(values, "attendance", limit=MAX_SEATS)) if reader.seated(i)]
    rows = Rows({"attendance": seats})
    data["attendance"] = [reader.seat(i) for i in seats]
    for section, read in (
        ("newcomers", reader.newcomer),
        ("decisions", reader.decision),
        ("commitments", reader.commitment),
        ("trust_events", reader.trust_event),
    ):
        rows.positions[section] = filled = _filled_rows(values, section)
        if section == "newcomers":
            reader.newcomer_at = {row: position for position, row in enumerate(filled)}
        data[section] = [read(i) for i in filled]
    return data, rows, errors


@dataclass
class _Reader:
    """Reads the rows of a submitted log into the domain's items."""

    values: Mapping[str, str]
    language: Language
    planned: bool
    errors: dict[str, str]
    #: Form row of each filled-in newcomer → its position among the newcomers sent.
    newcomer_at: dict[int, int] = field(default_factory=dict)

    def item(self, section: str, index: int, name: str) -> str:
        return self.values.get(f"{section}[{index}].{name}", "")

    def seated(self, index: int) -> bool:
        """Ticked, or invited (a planned meeting's invitation kept when completing it)."""
        return bool(self.item("attendance", index, "attended")) or (
            self.item("attendance", index, "invited") == "1"
        )

    def seat(self, index: int) -> dict[str, Any]:
        attended = bool(self.item("attendance", index, "attended"))
        return _present(
            {
                "stakeholder_id": self.item("attendance", index, "stakeholder_id"),
                "role": self.item("attendance", index, "role"),
            }
        ) | {
            "invited": True,
            "attended": attended and not self.planned,
            "represented_by": self.item("attendance", index, "represented_by"),
        }

    def newcomer(self, index: int) -> dict[str, Any]:
        fields = ("name", "kind", "sector", "role")
        return _present({name: self.item("newcomers", index, name) for name in fields}) | {
            "attended": bool(self.item("newcomers", index, "attended")) and not self.planned,
            "invited": True,
        }

    def decision(self, index: int) -> dict[str, Any]:
        return _present(
            {
                "text": self.item("decisions", index, "text"),
                "kind": self.item("decisions", index, "kind"),
            }
        ) | {"by_consensus": bool(self.item("decisions", index, "by_consensus"))}

    def commitment(self, index: int) -> dict[str, Any]:
        return (
            {"description": self.item("commitments", index, "description")}
            | _present({"due_on": self.item("commitments", index, "due_on")})
            | self.reference("commitments", index, "owner")
            | self.reference("commitments", index, "counterpart")
        )

    def trust_event(self, index: int) -> dict[str, Any]:
        fields = ("kind", "valence", "trust_form", "severity")
        return (
            _present({name: self.item("trust_events", index, name) for name in fields})
            | {"description": self.item("trust_events", index, "description")}
            | self.reference("trust_events", index, "actor")
            | self.reference("trust_events", index, "target")
        )

    def reference(self, section: str, index: int, role: str) -> dict[str, Any]:
        """A participant (``<role>_id``) or a newcomer row (``new:<row>``) chosen in a select."""
        chosen = self.item(section, index, f"{role}_id").strip()
        if not chosen:
            return {}
        if not chosen.startswith("new:"):
            return {f"{role}_id": chosen}
        row = chosen.removeprefix("new:")
        if row.isdigit() and int(row) in self.newcomer_at:
            return {f"{role}_newcomer": self.newcomer_at[int(row)]}
        self.errors[f"{section}[{index}].{role}_id"] = self.language.gettext(
            N_("That newcomer row is empty: type the newcomer's name above first.")
        )
        return {}


def count_rows(values: Mapping[str, str], section: str) -> int:
    return row_count(values, section, limit=MAX_ROWS)


def _filled_rows(values: Mapping[str, str], section: str) -> list[int]:
    return [i for i in range(count_rows(values, section)) if _filled(values, section, i)]


def _present(fields: dict[str, str]) -> dict[str, Any]:
    """Leave out blank fields, so the schema's default or its "required" applies."""
    return {name: value for name, value in fields.items() if value.strip()}


# -- what the form shows ---------------------------------------------------------------


def fresh_rows(values: dict[str, str], section: str, start: int, count: int) -> None:
    """Add ``count`` blank rows to a list, from row ``start``."""
    spec = SECTIONS[section]
    for index in range(start, start + count):
        for name in spec.fields:
            values.setdefault(f"{section}[{index}].{name}", spec.defaults.get(name, ""))
    values[f"rows.{section}"] = str(start + count)


def blank_log(
    session: Session,
    collaboration_id: int,
    language: Language,
    forums: Sequence[tuple[str, str]],
) -> dict[str, str]:
    """A fresh log: today, in person, the forum of the latest meeting (or the only one)."""
    values = {
        "status": MeetingStatus.HELD.value,
        "date": utcnow().astimezone(language.timezone).date().isoformat(),
        "mode": "in_person",
        "rows.attendance": "0",
    }
    latest = session.scalar(
        select(Meeting.forum_id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Meeting.collaboration_id == collaboration_id,
            Meeting.deleted_at.is_(None),
            Forum.deleted_at.is_(None),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    if latest is not None:
        values["forum_id"] = str(latest)
    elif len(forums) == 1:
        values["forum_id"] = forums[0][0]
    for section, spec in SECTIONS.items():
        fresh_rows(values, section, 0, spec.initial)
    return values


def planned_values(session: Session, meeting: Meeting, language: Language) -> dict[str, str]:
    """The form of a planned meeting to complete: its fields, its invitations, blank rows."""
    values = {
        "status": MeetingStatus.HELD.value,
        "forum_id": str(meeting.forum_id),
        "title": meeting.title,
        "mode": meeting.mode.value,
        "location": meeting.location,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "minutes_circulated_on": (
            meeting.minutes_circulated_on.isoformat() if meeting.minutes_circulated_on else ""
        ),
        "version": str(meeting.version),
    } | when_values(meeting.starts_at, meeting.ends_at, language.timezone)
    seats = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
    ).all()
    for index, seat in enumerate(seats):
        values |= {
            f"attendance[{index}].stakeholder_id": str(seat.stakeholder_id),
            f"attendance[{index}].invited": "1" if seat.invited else "",
            f"attendance[{index}].attended": "1" if seat.attended else "",
            f"attendance[{index}].role": seat.role.value,
            f"attendance[{index}].represented_by": seat.represented_by,
        }
    values["rows.attendance"] = str(len(seats))
    for section, spec in SECTIONS.items():
        fresh_rows(values, section, 0, spec.initial)
    return values


def action_of(form: RawForm) -> str:
    """Which button sent the form: save, preview, or more:<list>."""
    return text(form, "action") or "save"


def rerender(values: dict[str, str], action: str) -> str | None:
    """For "Add more rows" and "Preview": the minutes to preview ("" adds rows only)."""
    if action == "preview":
        return values.get("minutes", "")
    section = action.removeprefix("more:")
    if action.startswith("more:") and section in SECTIONS:
        count = count_rows(values, section)
        fresh_rows(values, section, count, min(MORE_ROWS, MAX_ROWS - count))
        return None
    return None


def validated(
    data: dict[str, Any], language: Language
) -> tuple[log_service.MeetingLog | None, dict[str, str]]:
    return editing.validated(log_service.MeetingLog, data, language)


#: Lists whose refused items can be left out to check the rest; fields that can be stood in for.
CHECKED_LISTS = ("attendance", "decisions", "commitments", "trust_events")
STAND_INS: dict[str, Any] = {
    "title": "…",
    "location": "",
    "agenda": "",
    "minutes": "",
    "mode": None,
    "minutes_circulated_on": None,
}
_ITEM = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\]")


def every_problem(
    errors: dict[str, str],
    data: dict[str, Any],
    schema_errors: Mapping[str, str],
    rows: Rows,
    language: Language,
    check: Callable[[log_service.MeetingLog], dict[str, str]],
) -> dict[str, str]:
    """The form's errors and, so the user sees every problem at once, the domain's rules
    broken by the rest of the input (rows the schema refused are left out of that check)."""
    subset = _without_refused(data, schema_errors, rows)
    if subset is None:
        return errors
    try:
        entry = log_service.MeetingLog.model_validate(subset[0])
    except ValidationError:
        return errors
    problems = check(entry)
    found = on_form(translated(Invalid(problems), language), subset[1]) if problems else {}
    return on_form({**found, **errors}, Rows())


def _without_refused(
    data: dict[str, Any], schema_errors: Mapping[str, str], rows: Rows
) -> tuple[dict[str, Any], Rows] | None:
    """``data`` without the items the schema refused, and where the others came from;
    None when what was refused is needed to check anything (forum, time, newcomers)."""
    refused: dict[str, set[int]] = {section: set() for section in CHECKED_LISTS}
    subset = dict(data)
    for name in schema_errors:
        match = _ITEM.match(name)
        if match and match["list"] in refused:
            refused[match["list"]].add(int(match["index"]))
            continue
        head = name.split(".")[0]
        if head not in STAND_INS:
            return None
        subset.pop(head, None)
        if STAND_INS[head] is not None:
            subset[head] = STAND_INS[head]
    kept = Rows({"newcomers": rows.positions.get("newcomers", [])})
    for section in CHECKED_LISTS:
        items = data.get(section, [])
        keep = [i for i in range(len(items)) if i not in refused[section]]
        subset[section] = [items[i] for i in keep]
        positions = rows.positions.get(section, [])
        kept.positions[section] = [positions[i] if i < len(positions) else i for i in keep]
    return subset, kept
