"""Templates to fill in: per kind, the header row and one example row, as CSV or .xlsx.

The CSV is UTF-8 with a byte-order mark, so Excel shows Indonesian characters right;
the workbook has a second sheet explaining each column.
"""

from __future__ import annotations

import csv
import io

from governance.imports.columns import COLUMNS, ImportKind


def template_rows(kind: ImportKind) -> tuple[list[str], list[str]]:
    """The header (field names) and an example row of ``kind``."""
    columns = COLUMNS[kind]
    return [column.field for column in columns], [column.example for column in columns]


def template_csv(kind: ImportKind) -> bytes:
    header, example = template_rows(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.value
    header, example = template_rows(kind)
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS[kind], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(column.example) + 2, len(column.field) + 2
        )
    about = workbook.create_sheet("columns")
    about.append(["column", "required", "what to write"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS[kind]:
        about.append([column.field, "yes" if column.required else "no", column.description])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
