"""Turning an uploaded file into a table of text cells: CSV in any usual dress, or .xlsx.

CSV files come from everywhere: UTF-8, UTF-8 with the byte-order mark Excel writes,
or Windows-1252 from an old Excel; separated by commas, or by semicolons where the
decimal mark is a comma (as in Indonesia). The encoding and the separator are
detected. An .xlsx workbook is read from its first sheet with openpyxl, dates as dates.

Every cell becomes stripped text (dates as ISO), so the rest of the import reads one
shape whatever the file was. Rows keep their number in the file (the header is row 1)
so that each problem can name the row the person sees in their spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from governance.imports.messages import N_, Message, Param, Refused, text

#: Larger uploads are refused before they are read.
MAX_BYTES = 5 * 1024 * 1024
#: Rows of data an import takes at most.
MAX_ROWS = 5000
MAX_COLUMNS = 100
SUFFIXES = (".csv", ".xlsx")
#: Read as CSV: what offices save tables as, and a name without a suffix (a pipe, stdin).
TEXT_SUFFIXES = frozenset({"csv", "txt", "tsv", ""})


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """The file's header (as written) and its non-blank rows."""

    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    #: How the file was read, for the report ("CSV, UTF-8, separated by semicolons").
    about: Message

    @property
    def description(self) -> str:
        """How the file was read, in English."""
        return str(self.about)


def file_problem(message_id: str, /, **params: Param) -> Refused:
    """The file cannot be read: ``Invalid`` on ``file``, saying why."""
    return Refused.one("file", text(message_id, **params))


def read_table(content: bytes, filename: str) -> Table:
    """The table in ``content``; ``Invalid`` on ``file`` when it cannot be read."""
    name = filename.lower().strip()
    if len(content) > MAX_BYTES:
        raise file_problem(
            N_("the file is larger than %(megabytes)s MB"), megabytes=MAX_BYTES // (1024 * 1024)
        )
    if not content:
        raise file_problem(N_("the file is empty"))
    if name.endswith(".xlsx") or (not name.endswith(".csv") and content[:2] == b"PK"):
        return _read_xlsx(content)
    if name.endswith(".xls"):
        raise file_problem(
            N_("old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV")
        )
    suffix = name.rpartition(".")[2] if "." in name else ""
    if suffix not in TEXT_SUFFIXES or not _looks_like_text(content):
        raise file_problem(N_("only CSV (.csv) and Excel (.xlsx) files can be imported"))
    return _read_csv(content)


def _looks_like_text(content: bytes) -> bool:
    return b"\x00" not in content[:4096]


def _decode(content: bytes) -> tuple[str, Param]:
    """The text and what its encoding is called."""
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            decoded = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if content.startswith(b"\xef\xbb\xbf"):
            return decoded, text(N_("UTF-8 with BOM (Excel)"))
        return decoded, label
    raise file_problem(N_("the file's characters cannot be read; save it as CSV UTF-8"))


def _delimiter(decoded: str) -> str:
    sample = "\n".join(decoded.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = decoded.splitlines()[0] if decoded else ""
        counts = {d: header.count(d) for d in (",", ";", "\t")}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(content: bytes) -> Table:
    decoded, encoding = _decode(content)
    if "\x00" in decoded:
        raise file_problem(N_("the file holds NUL characters; save it again as CSV UTF-8"))
    delimiter = _delimiter(decoded)
    try:
        lines = list(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise file_problem(N_("the CSV cannot be read: %(reason)s"), reason=str(error)) from None
    named = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs")}[delimiter]
    about = text(
        N_("CSV, %(encoding)s, separated by %(separator)s"),
        encoding=encoding,
        separator=text(named),
    )
    return _table(lines, about)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: only .xlsx uploads need it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise file_problem(
            N_("the Excel file cannot be read (%(reason)s); save it again as .xlsx"),
            reason=str(error),
        ) from None
    try:
        sheet = workbook.worksheets[0]
        lines = [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50)
        ]
        title = sheet.title
    finally:
        workbook.close()
    return _table(lines, text(N_("Excel workbook, sheet %(sheet)r"), sheet=title))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(lines: list[list[str]], about: Message) -> Table:
    cleaned = [[_tidy(cell) for cell in line] for line in lines]
    numbered = [(index + 1, line) for index, line in enumerate(cleaned) if any(line)]
    if not numbered:
        raise file_problem(N_("the file has no header row and no data"))
    _, header = numbered[0]
    while header and not header[-1]:
        header = header[:-1]
    if len(header) > MAX_COLUMNS:
        raise file_problem(N_("the file has more than %(count)s columns"), count=MAX_COLUMNS)
    rows = tuple(
        Row(number, tuple((line + [""] * len(header))[: len(header)]))
        for number, line in numbered[1:]
        if any(line[: len(header)])
    )
    if len(rows) > MAX_ROWS:
        raise file_problem(
            N_("the file has more than %(count)s rows; split it in parts"), count=MAX_ROWS
        )
    return Table(headers=tuple(header), rows=rows, about=about)


def _tidy(cell: str) -> str:
    """Trim a cell; inside one line, runs of spaces become one (typed twice by accident).

    The apostrophe an export puts before a text a spreadsheet would take for a formula
    (``'=A1``) is taken off again.
    """
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "@"):
        cell = cell[1:]
    if "\n" in cell:
        return cell.strip()
    return " ".join(cell.split())
