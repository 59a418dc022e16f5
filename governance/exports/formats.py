"""Writing tables out: CSV files (zipped), one .xlsx workbook, JSON.

Values are written plainly — dates ISO, booleans ``true``/``false``, empty for none —
so the files open in pandas and R as well as in a spreadsheet, and the imports read
them back. In the CSV and .xlsx meant for spreadsheets, a text that a spreadsheet
would run as a formula is kept as text (an apostrophe before it in CSV; a string
cell in .xlsx), which the import removes again.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from governance.exports.tables import Table

#: A text starting so is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """A JSON- and CSV-ready value: codes, ISO dates, numbers, booleans, text, None."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def cell(value: Any, *, guard: bool) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if guard and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def table_csv(table: Table, *, guard: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([cell(row[name], guard=guard) for name in table.header])
    return buffer.getvalue()


def csv_zip(tables: Mapping[str, Table], *, stem: str) -> bytes:
    """A zip with one CSV per table (UTF-8 with BOM, so Excel reads Indonesian right)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{stem}/{name}.csv", table_csv(table).encode("utf-8-sig"))
    return buffer.getvalue()


def xlsx(tables: Mapping[str, Table]) -> bytes:
    """One workbook, a sheet per table, real dates and numbers, text kept as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, table in tables.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(table.header)
        for header_cell in sheet[1]:
            header_cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(row[column]) for column in table.header])
        for line in sheet.iter_rows(min_row=2):
            for item in line:
                if isinstance(item.value, str):
                    item.data_type = "s"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    value = plain(value) if isinstance(value, enum.Enum) else value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # openpyxl would store it as a formula; a string cell keeps it as typed.
        return value
    return value


def records_json(tables: Mapping[str, Table]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [{key: plain(value) for key, value in row.items()} for row in table.rows]
        for name, table in tables.items()
    }


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def zip_files(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
