"""``collabgov import`` and ``collabgov export`` run in-process on a throw-away SQLite file."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.cli import main
from governance.config import get_settings
from governance.db import make_engine
from governance.models import Collaboration, Stakeholder


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("COLLABGOV_DATABASE_URL", url)
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 0
    yield url
    get_settings.cache_clear()


@pytest.fixture
def with_demo(database: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["demo", "load"]) == 0
    capsys.readouterr()
    return database


def count(url: str, model: type[object]) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return int(value or 0)


class TestImport:
    def test_problems_go_to_stderr_by_row_and_nothing_is_written(
        self, with_demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        sheet = tmp_path / "peserta.csv"
        sheet.write_text("Nama;Peran\nSPRI;peserta\nSPRl;peserta\nICW;raja\n", encoding="utf-8-sig")

        code = main(["import", "participations", str(sheet), "--collaboration", "1"])

        out, err = capsys.readouterr()
        assert code == 1
        assert "row 3, column 'Nama': no stakeholder is registered as 'SPRl'" in err
        assert "row 4, column 'Peran': 'raja' is not one of:" in err
        assert "nothing written" in err
        assert "row 2: add participation — SPRI DKI Jakarta" not in out  # SPRI already takes part
        assert "column 'Nama' → stakeholder" in out

    def test_a_clean_file_lands_and_a_second_run_adds_nothing(
        self, with_demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        sheet = tmp_path / "daftar.csv"
        sheet.write_text("name,sector\nKoperasi Nelayan,private\nPosyandu Melati,community\n")
        before = count(with_demo, Stakeholder)

        assert main(["import", "stakeholders", str(sheet), "--dry-run"]) == 0
        assert count(with_demo, Stakeholder) == before
        assert main(["import", "stakeholders", str(sheet)]) == 0
        assert main(["import", "stakeholders", str(sheet)]) == 0

        out = capsys.readouterr().out
        assert "stakeholders: would add 2, 0 already there" in out
        assert "stakeholders: added 2, 0 already there" in out
        assert "stakeholders: added 0, 2 already there" in out
        assert count(with_demo, Stakeholder) == before + 2

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (["import", "pets", "x.csv"], "'pets' is not a kind of import"),
            (["import", "attendance", "missing.csv"], "cannot read missing.csv"),
            (["import"], "give KIND and FILE"),
            (["export", "--format", "csv"], "--collaboration, -o required"),
        ],
    )
    def test_wrong_usage_is_named_on_stderr(
        self,
        with_demo: str,
        arguments: list[str],
        message: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        monkeypatch.chdir(tmp_path)
        assert main(arguments) == 1
        assert message in capsys.readouterr().err

    def test_an_import_needing_a_collaboration_says_so(
        self, with_demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        sheet = tmp_path / "a.csv"
        sheet.write_text("nama\nSPRI\n")
        assert main(["import", "attendance", str(sheet)]) == 1
        assert "collaboration: is required for an import of attendance" in capsys.readouterr().err


class TestExport:
    def test_the_research_package_is_written(
        self, with_demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "research.zip"
        code = main(
            [
                "export",
                "--collaboration",
                "1",
                "--format",
                "research",
                "--pseudonymise",
                "-o",
                str(target),
            ]
        )
        assert code == 0
        with zipfile.ZipFile(target) as archive:
            assert "codebook.md" in archive.namelist()
            assert b"SPRI DKI Jakarta" not in archive.read("tables/stakeholders.csv")
        assert "wrote collaboration-1-research.zip" in capsys.readouterr().out

    def test_a_missing_collaboration_is_an_error(
        self, with_demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = main(
            ["export", "--collaboration", "99", "--format", "csv", "-o", str(tmp_path / "x")]
        )
        assert code == 1
        assert "Collaboration 99 not found" in capsys.readouterr().err

    def test_whole_database_json_dump_and_load_into_an_empty_database(
        self,
        with_demo: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        dump = tmp_path / "all.json"
        assert main(["export", "--json", str(dump)]) == 0
        assert json.loads(dump.read_text())

        assert main(["import", "--json", str(dump)]) == 1
        assert "collabgov: error:" in capsys.readouterr().err  # not empty: refused

        empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        monkeypatch.setenv("COLLABGOV_DATABASE_URL", empty)
        get_settings.cache_clear()
        assert main(["db", "upgrade"]) == 0
        assert main(["import", "--json", str(dump)]) == 0
        assert count(empty, Collaboration) == count(with_demo, Collaboration) == 1
        assert count(empty, Stakeholder) == count(with_demo, Stakeholder)
