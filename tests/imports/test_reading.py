"""Reading uploaded files: CSV in any usual dress, and workbooks saved by Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from governance.errors import Invalid
from governance.imports.columns import ImportKind, detect
from governance.imports.reading import MAX_BYTES, read_table
from governance.imports.templates import template_csv, template_xlsx


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestCsv:
    def test_excel_csv_with_bom_and_semicolons(self) -> None:
        content = "Nama;Sektor\r\nDinas Sosial;pemerintah\r\n;\r\nLBH; masyarakat sipil \r\n"
        table = read_table(content.encode("utf-8-sig"), "daftar.csv")

        assert table.headers == ("Nama", "Sektor")
        assert [(row.number, row.cells) for row in table.rows] == [
            (2, ("Dinas Sosial", "pemerintah")),
            (4, ("LBH", "masyarakat sipil")),
        ]
        assert table.description == "CSV, UTF-8 with BOM (Excel), separated by semicolons"

    def test_utf8_with_indonesian_and_accented_characters(self) -> None:
        content = "name,description\n“Kelompok Ibu-ibu” Tanah Merah,Pengajian – RW 05 · café\n"
        table = read_table(content.encode("utf-8"), "x.csv")
        assert table.rows[0].cells == ("“Kelompok Ibu-ibu” Tanah Merah", "Pengajian – RW 05 · café")
        assert table.description == "CSV, UTF-8, separated by commas"

    def test_windows_1252_from_an_old_excel(self) -> None:
        table = read_table("name;note\nCaf\xe9 Rakyat;ok\n".encode("cp1252"), "x.csv")
        assert table.rows[0].cells == ("Café Rakyat", "ok")
        assert "Windows-1252" in table.description

    def test_the_apostrophe_an_export_puts_before_a_formula_is_removed(self) -> None:
        table = read_table(b"name,note\nA,'=1+1\n", "x.csv")
        assert table.rows[0].cells == ("A", "=1+1")

    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (b"", "x.csv", "the file is empty"),
            (b"\x00\x01\x02binary", "photo.jpg", "only CSV (.csv) and Excel (.xlsx)"),
            (b"PK\x03\x04not really", "x.xlsx", "the Excel file cannot be read"),
            (b"\xd0\xcf\x11\xe0", "old.xls", "old Excel files (.xls) cannot be read"),
            (b"a" * (MAX_BYTES + 1), "big.csv", "larger than 5 MB"),
            (b'{"header": {}, "tables": {}}', "all.json", "only CSV (.csv) and Excel (.xlsx)"),
            (b"%PDF-1.7 minutes", "notulen.pdf", "only CSV (.csv) and Excel (.xlsx)"),
        ],
    )
    def test_unreadable_files_are_refused_naming_the_file(
        self, content: bytes, name: str, message: str
    ) -> None:
        with pytest.raises(Invalid) as caught:
            read_table(content, name)
        assert message in caught.value.errors["file"]


def test_a_table_saved_as_text_or_without_a_suffix_is_read_as_csv() -> None:
    for name in ("absensi.txt", "absensi.tsv", "absensi"):
        assert read_table(b"Nama;Hadir\nSPRI;ya\n", name).headers == ("Nama", "Hadir")


class TestXlsx:
    def test_a_workbook_saved_by_excel_with_real_dates_and_numbers(self) -> None:
        content = workbook(
            [
                ["Tanggal", "Nama", "Hadir", "Jumlah"],
                [dt.datetime(2021, 3, 15), "SPRI", True, 12.0],
                [None, None, None, None],
                [dt.date(2021, 3, 16), "  ICW  ", False, 2.5],
            ]
        )
        table = read_table(content, "absensi.xlsx")

        assert table.headers == ("Tanggal", "Nama", "Hadir", "Jumlah")
        assert [row.cells for row in table.rows] == [
            ("2021-03-15", "SPRI", "yes", "12"),
            ("2021-03-16", "ICW", "no", "2.5"),
        ]
        assert [row.number for row in table.rows] == [2, 4]


class TestMapping:
    def test_headers_in_either_language_any_case_and_spacing(self) -> None:
        mapping, errors = detect(
            ImportKind.ATTENDANCE,
            ["No", "HARI/TANGGAL", "  Nama_Lembaga ", "Kehadiran (ya/tidak)", "Diwakili oleh"],
        )
        assert errors == {}
        assert mapping.fields == (None, "meeting_date", "stakeholder", "attended", "represented_by")

    def test_two_columns_for_one_field_are_named(self) -> None:
        mapping, errors = detect(ImportKind.STAKEHOLDERS, ["Nama", "Name", "Sektor"])
        assert mapping.fields == ("name", None, "sector")
        assert {header: str(message) for header, message in errors.items()} == {
            "Name": "columns 'Nama' and 'Name' both look like name; choose which one to use "
            "in the column mapping"
        }

    def test_an_override_naming_no_column_or_no_field_is_named(self) -> None:
        _, errors = detect(
            ImportKind.STAKEHOLDERS, ["Nama", "Sektor"], {"Telepon": "phone", "Nama": "nama"}
        )
        assert str(errors["Telepon"]) == "the file has no column 'Telepon'"
        assert str(errors["Nama"]).startswith("'nama' is not a field of a stakeholders import")


class TestTemplates:
    @pytest.mark.parametrize("kind", list(ImportKind))
    def test_each_template_is_read_back_with_every_column_matched(self, kind: ImportKind) -> None:
        for content, name in ((template_csv(kind), "t.csv"), (template_xlsx(kind), "t.xlsx")):
            table = read_table(content, name)
            mapping, errors = detect(kind, table.headers)
            assert errors == {}
            assert None not in mapping.fields
            assert len(table.rows) == 1
