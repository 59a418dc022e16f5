"""Reading one cell of a spreadsheet the way Indonesian offices and Excel write it.

Every parser takes the cell's text (already stripped) and returns the typed value or
raises :class:`~governance.imports.messages.Unreadable` (a ``ValueError``) with a
message for the person who fixes the file. Dates are
read day first, as in Indonesia: ``03/04/2021`` is 3 April 2021.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping

from governance.imports.messages import N_, Unreadable
from governance.imports.messages import text as text_message
from governance.records import fold

#: Month names and abbreviations in Indonesian and English, folded.
MONTHS: Mapping[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari", "peb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "aug", "agu", "agt", "ags", "agus"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "december", "des", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: Weekday names a date may start with ("Senin, 12 April 2021").
WEEKDAYS = frozenset(
    {
        "senin",
        "selasa",
        "rabu",
        "kamis",
        "jumat",
        "sabtu",
        "minggu",
        "ahad",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    }
)
DATE_HINT = N_("write it as 2021-12-31, 31/12/2021, 31-12-2021 or 31 Desember 2021")
TIME_HINT = N_("write it as 14:00 or 14.00")
NOT_A_NUMBER = N_("%(text)r is not a number")
#: Why ``datetime.date`` refuses a day, in its own words (Python's messages, marked here).
DATE_REASONS = frozenset(
    {
        N_("day is out of range for month"),
        N_("month must be in 1..12"),
        N_("year 0 is out of range"),
    }
)

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-.]+([a-z]+)\.?[\s\-.,]+(\d{4})$")
_ENGLISH = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_TRUE = frozenset({"1", "y", "ya", "yes", "true", "benar", "x", "v", "✓", "✔", "hadir", "ada"})
_FALSE = frozenset(
    {"0", "n", "no", "tidak", "tdk", "false", "salah", "-", "absen", "tidak hadir", "tidak ada"}
)


def parse_date(text: str) -> dt.date:
    """A calendar date from ISO or an Indonesian office's way of writing it.

    Examples
    --------
    >>> [parse_date(t).isoformat() for t in ("2021-12-31", "31/12/2021", "31-12-2021")]
    ['2021-12-31', '2021-12-31', '2021-12-31']
    >>> parse_date("Jumat, 31 Desember 2021"), parse_date("1 Agt 2020")
    (datetime.date(2021, 12, 31), datetime.date(2020, 8, 1))
    """
    value = _without_weekday(fold(text).strip())
    try:
        if match := _ISO.match(value):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(value):
            year = int(match[3])
            return dt.date(year + 2000 if year < 100 else year, int(match[2]), int(match[1]))
        if match := _WORDS.match(value):
            return dt.date(int(match[3]), _month(match[2]), int(match[1]))
        if match := _ENGLISH.match(value):
            return dt.date(int(match[3]), _month(match[1]), int(match[2]))
    except Unreadable:
        raise
    except ValueError as error:
        reason = str(error)
        raise Unreadable(
            text_message(
                N_("%(text)r is not a real date (%(reason)s)"),
                text=text,
                reason=text_message(reason) if reason in DATE_REASONS else reason,
            )
        ) from None
    raise _unreadable(N_("%(text)r is not a date; %(hint)s"), text, DATE_HINT)


def _unreadable(message_id: str, written: str, hint: str | None = None) -> Unreadable:
    """``written`` cannot be read: ``message_id`` says why (with ``hint`` as ``%(hint)s``)."""
    if hint is None:
        return Unreadable(text_message(message_id, text=written))
    return Unreadable(text_message(message_id, text=written, hint=text_message(hint)))


def parse_datetime(text: str, *, timezone: dt.tzinfo) -> tuple[dt.datetime, bool]:
    """An instant from a date with or without a time; whether the text gave a time.

    A time without an offset is read in ``timezone``; a date alone is its midnight there.

    >>> import zoneinfo
    >>> jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    >>> parse_datetime("2021-03-31T07:00:00+00:00", timezone=jakarta)[0].hour
    7
    >>> parse_datetime("31/03/2021", timezone=jakarta)
    (datetime.datetime(2021, 3, 31, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Jakarta')), False)
    """
    value = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None and (len(value) > 10):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone)
        return parsed, True
    day_part, time_part = _split_time(value)
    day = parse_date(day_part)
    if time_part is None:
        return dt.datetime.combine(day, dt.time(), tzinfo=timezone), False
    return dt.datetime.combine(day, parse_time(time_part), tzinfo=timezone), True


def parse_time(text: str) -> dt.time:
    """A time of day: ``14:00``, ``14.00``, ``9.30 WIB``.

    >>> parse_time("9.30 WIB"), parse_time("14:00")
    (datetime.time(9, 30), datetime.time(14, 0))
    """
    value = re.sub(r"\s*(wib|wita|wit|h)$", "", fold(text).strip())
    match = _TIME.match(value)
    if match is None:
        raise _unreadable(N_("%(text)r is not a time; %(hint)s"), text, TIME_HINT)
    try:
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        raise _unreadable(N_("%(text)r is not a real time; %(hint)s"), text, TIME_HINT) from None


def parse_bool(text: str) -> bool:
    """Yes or no in English or Indonesian, or a tick.

    >>> parse_bool("Ya"), parse_bool("tidak hadir"), parse_bool("✓")
    (True, False, True)
    """
    value = " ".join(fold(text).split())
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _unreadable(N_("%(text)r is not yes or no; write ya/tidak or yes/no"), text)


def parse_number(text: str) -> float:
    """A number, with a decimal comma or point and optional thousands separators.

    One comma alone is a decimal comma (``12,5``), as Indonesian writes it.

    >>> parse_number("1.234,5"), parse_number("1,234.5"), parse_number("12,5"), parse_number("7")
    (1234.5, 1234.5, 12.5, 7.0)
    """
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if value.endswith("%"):
        value = value[:-1]
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif value.count(",") > 1 or value.count(".") > 1:
        separator = "," if value.count(",") > 1 else "."
        if not re.fullmatch(rf"-?\d{{1,3}}(\{separator}\d{{3}})+", value):
            raise _unreadable(NOT_A_NUMBER, text)
        value = value.replace(separator, "")
    else:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise _unreadable(NOT_A_NUMBER, text) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _unreadable(N_("%(text)r is not a finite number"), text)
    return number


def parse_int(text: str, *, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``.

    >>> parse_int("3", low=1, high=3), parse_int("2.0", low=1, high=3)
    (3, 2)
    """
    number = parse_number(text)
    if number != int(number) or not low <= number <= high:
        raise Unreadable(
            text_message(
                N_("%(text)r must be a whole number from %(low)s to %(high)s"),
                text=text,
                low=low,
                high=high,
            )
        )
    return int(number)


def parse_code(text: str, vocabulary: type[enum.StrEnum], synonyms: Mapping[str, str]) -> str:
    """A vocabulary code from its code, its words ("civil society") or an Indonesian word.

    >>> from governance.vocab import Sector
    >>> parse_code("Civil Society", Sector, {})
    'civil_society'
    >>> parse_code("pemerintah", Sector, {"pemerintah": "government"})
    'government'
    """
    key = _code_key(text) or text.strip()
    codes = {member.value for member in vocabulary}
    if key in codes:
        return key
    folded = {(_code_key(word) or word): code for word, code in synonyms.items()}
    if key in folded and folded[key] in codes:
        return folded[key]
    listed = ", ".join(sorted(codes))
    raise Unreadable(text_message(N_("%(text)r is not one of: %(codes)s"), text=text, codes=listed))


def _code_key(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", fold(text).strip()).strip("_")


def _month(name: str) -> int:
    number = MONTHS.get(name.rstrip("."))
    if number is None:
        raise _unreadable(N_("%(text)r is not a month name; %(hint)s"), name, DATE_HINT)
    return number


def _without_weekday(value: str) -> str:
    head, sep, rest = value.partition(",")
    if sep and head.strip() in WEEKDAYS:
        return rest.strip()
    first, _, others = value.partition(" ")
    if first in WEEKDAYS and others:
        return others.strip()
    return value


def _split_time(value: str) -> tuple[str, str | None]:
    """``"31/03/2021 14:00"`` → ``("31/03/2021", "14:00")``; also ``pukul``/``jam``."""
    match = re.match(
        r"^(.*?)[\s,]+(?:pukul|jam|at)?\s*(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*\w+)?)$",
        value,
        re.IGNORECASE,
    )
    if match is None:
        return value, None
    return match[1], match[2]
