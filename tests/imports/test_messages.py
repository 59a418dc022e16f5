"""The import speaks the page's language: every problem and row summary is a message id
with parameters, translated into Indonesian, while the command line and the API keep
their English sentences."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from fastapi.testclient import TestClient

from api.i18n import load_languages, read_catalog
from api.pages.imports import say
from governance.demo.loader import LoadResult
from governance.diagnosis.messages import Joined, Message
from governance.imports.messages import AS_WRITTEN, N_, RULE, day, rule, term, text
from governance.imports.report import ImportReport
from tests.imports.conftest import Importer

ROOT = Path(__file__).resolve().parents[2]
#: Where the import's sentences are written: the domain, and the upload and preview pages.
SOURCES = (*sorted((ROOT / "governance" / "imports").glob("*.py")), ROOT / "api/pages/imports.py")
PLACEHOLDER = re.compile(r"%\((\w+)\)([sr])")

FORUM = "Forum Koordinasi Bansos DKI"


def import_message_ids() -> list[str]:
    """Every message id marked with ``N_`` where the import writes, as ``pybabel`` finds it."""
    found: list[str] = []
    for source in SOURCES:
        for _, message, _, _ in extract_from_file("python", str(source), keywords={"N_": None}):
            if isinstance(message, str) and message not in found:
                found.append(message)
    return found


def message_ids(message: Message) -> Iterator[str]:
    """The id of ``message`` and of every message nested in its parameters."""
    yield message.message_id
    for value in message.params.values():
        if isinstance(value, Message):
            yield from message_ids(value)
        elif isinstance(value, Joined):
            for item in value.items:
                yield from message_ids(item)


def report_message_ids(report: ImportReport) -> set[str]:
    ids: set[str] = set()
    for problem in report.problems:
        ids.update(message_ids(problem.text))
    for row in report.rows:
        ids.update(message_ids(row.text))
    if report.source_text is not None:
        ids.update(message_ids(report.source_text))
    return ids


class TestCatalog:
    def test_every_message_id_of_the_import_has_an_indonesian_translation(self) -> None:
        ids = import_message_ids()
        catalog = read_catalog("id")

        untranslated = [
            message_id
            for message_id in ids
            if (entry := catalog.get(message_id)) is None or not entry.string
        ]

        assert len(ids) > 120  # the extraction found the import's messages at all
        assert "no stakeholder is registered as %(text)r" in ids
        assert untranslated == []

    def test_each_translation_keeps_the_placeholders_of_its_id(self) -> None:
        catalog = read_catalog("id")
        differing = []
        for message_id in import_message_ids():
            entry = catalog.get(message_id)
            assert entry is not None
            assert isinstance(entry.string, str)
            if sorted(PLACEHOLDER.findall(message_id)) != sorted(PLACEHOLDER.findall(entry.string)):
                differing.append(message_id)
        assert differing == []


class TestSay:
    """How a page says an import's message: codes as labels, dates the language's way."""

    def test_a_summary_with_a_code_a_date_and_a_nested_message(self) -> None:
        languages = load_languages()
        summary = text(
            N_("%(day)s %(actor)s → %(target)s: %(kind)s"),
            day=day(dt.date(2021, 3, 1)),
            actor="SPRI",
            target=text(N_("the forum")),
            kind=term("trust_event_kind", "promise_kept"),
        )

        assert str(summary) == "2021-03-01 SPRI → the forum: promise_kept"
        assert say(summary, languages["en"]) == "Mar 1, 2021 SPRI → the forum: promise kept"
        assert say(summary, languages["id"]) == "1 Mar 2021 SPRI → forum: janji ditepati"

    def test_a_status_code_reads_as_its_label_inside_a_sentence(self) -> None:
        message = text(
            N_("is required when the status is %(status)s: give its date"),
            status=term("commitment_status", "partly_fulfilled"),
        )

        assert str(message) == "is required when the status is partly_fulfilled: give its date"
        assert (
            say(message, load_languages()["id"])
            == "wajib diisi bila statusnya terpenuhi sebagian: tuliskan tanggalnya"
        )

    def test_a_services_rule_is_said_as_the_forms_say_it(self) -> None:
        refusal = rule("is not an e-mail address (expected name@domain)")

        assert str(refusal) == "is not an e-mail address (expected name@domain)"
        assert say(refusal, load_languages()["id"]) == (
            "Isi alamat email yang benar, misalnya nama@contoh.org."
        )


def register_meeting(run: Importer) -> None:
    """Three registered stakeholders and a meeting on 15 March 2021 for their sheet."""
    registry = "Nama Lembaga;Sektor\n" + "".join(
        f"RW {n:02d} Kalibaru;Komunitas\n" for n in (1, 2, 3)
    )
    assert run("stakeholders", registry, collaboration_id=None).written
    meeting = f"forum,judul,tanggal,jam\n{FORUM},Musyawarah RW Kalibaru,15 Maret 2021,09.00\n"
    assert run("meetings", meeting).written


#: An attendance sheet with an unknown name, a day February never has, a row repeated
#: as it is, and one stakeholder listed again with other values.
MESSY_SHEET = (
    b"Tanggal Rapat;Nama Lembaga;Hadir\n"
    b"15/03/2021;RW 01 Kalibaru;ya\n"
    b"15/03/2021;RW 02 Kalibaru;ya\n"
    b"31/02/2021;RW 03 Kalibaru;ya\n"
    b"15/03/2021;RW 03 Kalibar;ya\n"
    b"15/03/2021;RW 02 Kalibaru;ya\n"
    b"15/03/2021;RW 01 Kalibaru;tidak\n"
)


def preview(client: TestClient, collaboration_id: int | None, language: str) -> str:
    response = client.post(
        f"/collaborations/{collaboration_id}/import/preview?lang={language}",
        data={"kind": "attendance"},
        files={"file": ("hadir.csv", MESSY_SHEET, "text/csv")},
    )
    assert response.status_code == 400
    return response.text


class TestMessySheet:
    def test_the_command_line_and_api_english_is_unchanged(self, run: Importer) -> None:
        register_meeting(run)

        report = run("attendance", MESSY_SHEET, dry_run=True)

        assert [problem.line() for problem in report.problems] == [
            "row 4, column 'Tanggal Rapat': '31/02/2021' is not a real date "
            "(day is out of range for month)",
            "row 5, column 'Nama Lembaga': no stakeholder is registered as 'RW 03 Kalibar'; "
            "did you mean 'RW 03 Kalibaru' or 'RW 02 Kalibaru' or 'RW 01 Kalibaru'?",
            "row 7, column 'Nama Lembaga': RW 01 Kalibaru is listed twice for this meeting "
            "(rows 2 and 7) with different values; keep one row",
        ]
        summaries = {row.row: row.summary for row in report.rows}
        assert summaries[6] == "RW 02 Kalibaru: same as row 3"
        assert report.source == "CSV, UTF-8, separated by semicolons"

    def test_every_message_the_sheet_produces_is_translated(self, run: Importer) -> None:
        register_meeting(run)
        catalog = read_catalog("id")

        report = run("attendance", MESSY_SHEET, dry_run=True)
        ids = report_message_ids(report) - {AS_WRITTEN, RULE}

        assert "%(record)s: same as row %(row)s" in ids
        assert [i for i in sorted(ids) if not (e := catalog.get(i)) or not e.string] == []

    def test_the_indonesian_preview_names_each_mistake_in_indonesian(
        self, run: Importer, client: TestClient, demo: LoadResult
    ) -> None:
        register_meeting(run)

        html = preview(client, demo.collaboration_id, "id")

        assert "&#39;31/02/2021&#39; bukan tanggal yang ada " in html
        assert "(tanggal itu tidak ada dalam bulan tersebut)" in html
        assert (
            "tidak ada pemangku kepentingan yang terdaftar sebagai &#39;RW 03 Kalibar&#39;; "
            "maksud Anda &#39;RW 03 Kalibaru&#39;, &#39;RW 02 Kalibaru&#39; atau "
            "&#39;RW 01 Kalibaru&#39;?"
        ) in html
        assert (
            "RW 01 Kalibaru tercatat dua kali untuk rapat ini (baris 2 dan 7) dengan isi "
            "berbeda; sisakan satu baris"
        ) in html
        assert "RW 02 Kalibaru: sama dengan baris 3" in html
        assert "CSV, UTF-8, dipisahkan dengan titik koma" in html
        for english in ("is not a real date", "no stakeholder is registered", "same as row"):
            assert english not in html

    def test_the_english_preview_says_what_the_command_line_says(
        self, run: Importer, client: TestClient, demo: LoadResult
    ) -> None:
        register_meeting(run)

        html = preview(client, demo.collaboration_id, "en")

        assert "&#39;31/02/2021&#39; is not a real date (day is out of range for month)" in html
        assert (
            "no stakeholder is registered as &#39;RW 03 Kalibar&#39;; did you mean "
            "&#39;RW 03 Kalibaru&#39;"
        ) in html
        assert "RW 01 Kalibaru is listed twice for this meeting (rows 2 and 7)" in html
        assert "RW 02 Kalibaru: same as row 3" in html
        assert "bukan tanggal" not in html


class TestUploadPage:
    @pytest.mark.parametrize(
        ("language", "sentence"),
        [
            ("id", "berkas tidak memiliki baris judul kolom maupun data"),
            ("en", "the file has no header row and no data"),
        ],
    )
    def test_a_file_that_cannot_be_read_is_refused_in_the_page_language(
        self, client: TestClient, demo: LoadResult, language: str, sentence: str
    ) -> None:
        response = client.post(
            f"/collaborations/{demo.collaboration_id}/import/preview?lang={language}",
            data={"kind": "stakeholders"},
            files={"file": ("kosong.csv", b";;\n;;\n", "text/csv")},
        )

        assert response.status_code == 400
        assert sentence in response.text


class TestApi:
    def test_a_problem_carries_its_english_message_its_id_and_parameters(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.post(
            f"/api/v1/collaborations/{demo.collaboration_id}/imports/participations",
            files={
                "file": ("p.csv", b"Nama,Bergabung\nOrang Tak Dikenal,31/02/2021\n", "text/csv")
            },
        )

        assert response.status_code == 422
        problems = response.json()["report"]["problems"]
        assert [(p["column"], p["message"]) for p in problems] == [
            ("Bergabung", "'31/02/2021' is not a real date (day is out of range for month)"),
            ("Nama", "no stakeholder is registered as 'Orang Tak Dikenal'"),
        ]
        assert problems[1]["message_id"] == "no stakeholder is registered as %(text)r"
        assert problems[1]["params"] == {"text": "Orang Tak Dikenal"}
        assert problems[0]["params"]["reason"] == {
            "type": "message",
            "message_id": "day is out of range for month",
            "params": {},
        }
