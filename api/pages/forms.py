"""The form pattern every page follows (fief / flaskr): one GET+POST handler per form.

Invalid input renders the same page with status 400, the user's input kept and an
error under each field; valid input redirects (303) with a notice. Input is
validated by the domain's own pydantic schemas and services; :func:`field_errors` is
the one place that turns their errors (``ValidationError``, ``Invalid``) into
translated messages keyed by form field. Form fields are named like the schema's
fields, nested ones with dots (``contact.email``) and list items with brackets
(``attendance[0].stakeholder_id``), as :func:`api.errors.field_name` spells them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from fastapi import Depends, Request
from pydantic import ValidationError

from api.errors import field_name
from api.i18n import Language
from api.pages.labels import N_, field_label_id, label_id
from governance.errors import Invalid

#: A submitted form: one string per field, a list for fields sent several times.
RawForm = dict[str, str | list[str]]


async def read_form(request: Request) -> RawForm:
    """The submitted fields as strings (files are not accepted)."""
    submitted = await request.form()
    form: RawForm = {}
    for key in submitted:
        values = [value for value in submitted.getlist(key) if isinstance(value, str)]
        if values:
            form[key] = values[0] if len(values) == 1 else values
    return form


FormDep = Annotated[RawForm, Depends(read_form)]


def text(form: Mapping[str, str | list[str]], name: str) -> str:
    """One field's text; the last one when a field was sent several times."""
    value = form.get(name, "")
    return value[-1] if isinstance(value, list) else value


def blank_to_none(value: str) -> str | None:
    """An empty or all-space field means "no value" for dates, numbers and choices."""
    return value if value.strip() else None


def lines(value: str) -> list[str]:
    """The non-empty lines of a textarea ("one per line"), trimmed."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def local_datetime(value: str, timezone: dt.tzinfo) -> str | None:
    """A ``datetime-local`` field ("2021-03-31T14:00", in ``timezone``) as an ISO instant.

    None when blank; text that is no date and time is passed on as it is, for the
    schema to refuse with its own message.

    >>> from zoneinfo import ZoneInfo
    >>> local_datetime("2021-03-31T14:00", ZoneInfo("Asia/Jakarta"))
    '2021-03-31T14:00:00+07:00'
    """
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone)
    return moment.isoformat()


def local_value(instant: dt.datetime | None, timezone: dt.tzinfo) -> str:
    """An instant as a ``datetime-local`` field shows it, in ``timezone``."""
    return "" if instant is None else instant.astimezone(timezone).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Change:
    """A field someone else changed while the user was editing (see :mod:`api.pages.changes`)."""

    before: Any
    after: Any
    actor: str
    at: dt.datetime


@dataclass
class FormState:
    """What a form shows: the values (as typed, or from the record), errors, changes."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: Fields changed by someone else since the user loaded the form (a stale edit).
    changes: dict[str, Change] = field(default_factory=dict)
    #: Errors of the form as a whole (shown above the fields).
    problems: list[str] = field(default_factory=list)

    def value(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name, default)
        return default if value is None else value

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def checked(self, name: str) -> bool:
        return str(self.values.get(name, "")).lower() in {"1", "true", "on", "yes"}

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.problems)


# -- the one mapping from validation errors to form fields ------------------------------


def field_errors(
    error: ValidationError | Invalid,
    language: Language,
    *,
    line_fields: Collection[str] = (),
) -> dict[str, str]:
    """Translated messages by form field, from a schema's or a service's errors.

    ``line_fields`` are list fields entered one item per line (aliases): an error of
    item ``aliases[2]`` is shown under ``aliases`` as "Line 3: …".
    """
    found: dict[str, str] = {}
    if isinstance(error, ValidationError):
        pairs = [
            (field_name(item["loc"]), pydantic_message(item, language))
            for item in error.errors(include_url=False)
        ]
    else:
        pairs = [(name, domain_message(text, language)) for name, text in error.errors.items()]
    for name, message in pairs:
        target, shown = _on_line(name, message, line_fields, language)
        found.setdefault(target, shown)
    return found


_ITEM = re.compile(r"^(?P<field>[\w.]+)\[(?P<index>\d+)\]")


def _on_line(
    name: str, message: str, line_fields: Collection[str], language: Language
) -> tuple[str, str]:
    match = _ITEM.match(name)
    if match is None or match["field"] not in line_fields:
        return name, message
    line = int(match["index"]) + 1
    return match["field"], language.gettext(
        N_("Line %(line)s: %(message)s"), line=str(line), message=message
    )


#: pydantic error types → message ids; ``ctx`` values fill the placeholders.
_PYDANTIC: Mapping[str, str] = {
    "missing": N_("This field is required."),
    "string_type": N_("Enter text."),
    "string_too_long": N_("Enter at most %(max_length)s characters."),
    "too_long": N_("Enter at most %(max_length)s items."),
    "too_short": N_("Enter at least %(min_length)s items."),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "int_parsing_size": N_("Enter a smaller number."),
    "float_parsing": N_("Enter a number."),
    "float_type": N_("Enter a number."),
    "finite_number": N_("Enter a number."),
    "greater_than_equal": N_("Enter %(ge)s or more."),
    "greater_than": N_("Enter more than %(gt)s."),
    "less_than_equal": N_("Enter %(le)s or less."),
    "less_than": N_("Enter less than %(lt)s."),
    "date_parsing": N_("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": N_("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": N_("Enter a date (YYYY-MM-DD)."),
    "date_type": N_("Enter a date (YYYY-MM-DD)."),
    "datetime_parsing": N_("Enter a date and time."),
    "datetime_from_date_parsing": N_("Enter a date and time."),
    "datetime_type": N_("Enter a date and time."),
    "timezone_aware": N_("Enter a date and time with its time zone."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "bool_parsing": N_("Choose yes or no."),
    "bool_type": N_("Choose yes or no."),
    "extra_forbidden": N_("This field is not expected here."),
    "list_type": N_("Enter a list."),
    "dict_type": N_("This group of fields is not valid."),
    "model_type": N_("This group of fields is not valid."),
}


def pydantic_message(item: Mapping[str, Any], language: Language) -> str:
    """A translated message for one pydantic error."""
    kind = item["type"]
    ctx = {key: _shown(value, language) for key, value in (item.get("ctx") or {}).items()}
    if kind == "string_too_short":
        if ctx.get("min_length") == "1":
            return language.gettext(N_("This field is required."))
        return language.gettext(N_("Enter at least %(min_length)s characters."), **ctx)
    if kind in ("value_error", "assertion_error"):
        return domain_message(ctx.get("error", str(item.get("msg", ""))), language)
    message = _PYDANTIC.get(kind)
    if message is None:
        return language.gettext(N_("This value is not valid."))
    try:
        return language.gettext(message, **ctx)
    except (KeyError, ValueError):
        return language.gettext(N_("This value is not valid."))


def _shown(value: Any, language: Language) -> str:
    """A limit from a pydantic error as the language writes numbers (50,000 / 50.000)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return babel_numbers.format_decimal(value, locale=language.locale)
    return str(value)


def _when(language: Language) -> Callable[[str], str]:
    def iso(value: str) -> str:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return babel_dates.format_date(day, "medium", locale=language.locale)

    return iso


#: Rules the domain states in English (``governance``), as message ids for people.
#: Each pattern's named groups fill the message: ``field`` groups become field labels,
#: ``date`` groups dates written the language's way, ``record`` groups record types.
DOMAIN_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^must not be before (?P<field>[a-z_]+) \((?P<date>\d{4}-\d\d-\d\d)\)$"),
        N_("Must not be before %(field)s (%(date)s)."),
    ),
    (
        re.compile(r"^must not be after (?P<field>[a-z_ ]+) \((?P<date>\d{4}-\d\d-\d\d)\)$"),
        N_("Must not be after %(field)s (%(date)s)."),
    ),
    (
        re.compile(r"^must not be in the future \(today is (?P<date>\d{4}-\d\d-\d\d)\)$"),
        N_("Must not be in the future (today is %(date)s)."),
    ),
    (
        re.compile(r"^is not an e-mail address"),
        N_("Enter an e-mail address, such as name@example.org."),
    ),
    (
        re.compile(r"^must not contain NUL characters"),
        N_("Remove the invisible control characters (NUL) from this text."),
    ),
    (
        re.compile(r"^(?P<record>[a-z_ ]+) (?P<id>[\d, ]+) does not exist or is deleted$"),
        N_("%(record)s %(id)s does not exist or is deleted."),
    ),
    (
        re.compile(r"^(?P<record>[a-z_ ]+) (?P<id>\d+) does not exist$"),
        N_("%(record)s %(id)s does not exist."),
    ),
    (
        re.compile(r"^(?P<record>[a-z_ ]+) (?P<id>\d+) is deleted$"),
        N_("%(record)s %(id)s is deleted."),
    ),
    (
        re.compile(r"^(?P<record>[a-z_ ]+) (?P<id>\d+) is listed more than once$"),
        N_("%(record)s %(id)s is listed more than once."),
    ),
    (
        re.compile(r"^must start with http:// or https://$"),
        N_("Enter a web address starting with http:// or https://."),
    ),
    (
        re.compile(r"^must differ from owner_id"),
        N_("Must differ from the owner: nobody makes a promise to itself."),
    ),
    (
        re.compile(r"^must not be the actor itself"),
        N_("Must differ from the actor; leave it empty for an event towards the whole forum."),
    ),
    (
        re.compile(r"^a stakeholder cannot be related to itself$"),
        N_("A stakeholder cannot be related to itself."),
    ),
    (
        re.compile(r"^must differ from baseline"),
        N_("Must differ from the baseline, or nothing can move."),
    ),
]


def domain_message(message: str, language: Language) -> str:
    """A domain rule's message in the page's language; kept as it is when unknown."""
    iso = _when(language)
    for pattern, message_id in DOMAIN_MESSAGES:
        match = pattern.match(message)
        if match is None:
            continue
        params = {}
        for key, value in match.groupdict().items():
            if key == "field":
                params[key] = language.gettext(field_label_id(value.strip()))
            elif key == "date":
                params[key] = iso(value)
            elif key == "record":
                params[key] = language.gettext(label_id("record_type", value.strip()))
            else:
                params[key] = value
        return language.gettext(message_id, **params)
    return message[:1].upper() + message[1:]
