"""The ``collabgov`` command line, run in-process against a throw-away SQLite file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.cli import main
from governance import migrations
from governance.config import get_settings
from governance.db import make_engine
from governance.models import AuditEntry, Collaboration, User


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("COLLABGOV_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def migrated(database: str) -> str:
    assert main(["db", "upgrade"]) == 0
    return database


def count(url: str, model: type[object]) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return int(value or 0)


class TestDb:
    def test_upgrade_then_current_reports_the_latest_revision(
        self, database: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["db", "upgrade"]) == 0
        assert main(["db", "current"]) == 0

        out = capsys.readouterr().out
        assert f"{migrations.head_revision()} (latest)" in out

    def test_current_on_an_empty_database_says_so(
        self, database: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["db", "current"]) == 0

        assert "database is empty" in capsys.readouterr().out


class TestDemo:
    def test_load_is_idempotent(self, migrated: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["demo", "load"]) == 0
        assert main(["demo", "load"]) == 0

        assert count(migrated, Collaboration) == 1
        assert "already" in capsys.readouterr().out

    def test_if_empty_skips_a_database_that_holds_data(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["demo", "load", "--if-empty"]) == 0
        audit_entries = count(migrated, AuditEntry)

        assert main(["demo", "load", "--if-empty"]) == 0

        assert count(migrated, AuditEntry) == audit_entries
        assert "already holds data" in capsys.readouterr().out

    def test_refuses_an_unmigrated_database(
        self, database: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["demo", "load"]) == 1

        assert "collabgov db upgrade" in capsys.readouterr().err


class TestUsers:
    def test_creates_a_user_from_stdin(
        self, migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase 42\n"))

        code = main(["users", "create", "ana", "--role", "researcher", "--password-stdin"])

        assert code == 0
        assert "created user ana (researcher)" in capsys.readouterr().out
        assert count(migrated, User) == 1

    @pytest.mark.parametrize(
        ("password", "problem"),
        [("short", "at least 12"), ("password1234", "common")],
    )
    def test_refuses_a_weak_password_on_stderr(
        self,
        migrated: str,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        password: str,
        problem: str,
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))

        code = main(["users", "create", "ana", "--role", "viewer", "--password-stdin"])

        assert code == 1
        err = capsys.readouterr().err
        assert err.startswith("collabgov: error: ")
        assert problem in err
        assert count(migrated, User) == 0

    def test_refuses_an_unknown_role_as_usage_error(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as exit_info:
            main(["users", "create", "ana", "--role", "boss"])

        assert exit_info.value.code == 2
        assert "invalid choice: 'boss'" in capsys.readouterr().err


class TestTokens:
    def test_prints_the_token_alone(
        self, migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase 42\n"))
        main(["users", "create", "ana", "--role", "secretariat", "--password-stdin"])
        capsys.readouterr()

        assert main(["tokens", "create", "ana"]) == 0

        out = capsys.readouterr().out
        assert len(out.strip().splitlines()) == 1
        assert len(out.strip()) >= 40

    def test_unknown_user_is_an_error(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["tokens", "create", "nobody"]) == 1

        assert "no user named 'nobody'" in capsys.readouterr().err


class TestHelp:
    @pytest.mark.parametrize(
        "command",
        [
            [],
            ["serve"],
            ["db"],
            ["db", "upgrade"],
            ["db", "current"],
            ["demo", "load"],
            ["users", "create"],
            ["tokens", "create"],
        ],
    )
    def test_every_command_has_help(
        self, command: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as exit_info:
            main([*command, "--help"])

        assert exit_info.value.code == 0
        assert "usage: collabgov" in capsys.readouterr().out

    def test_no_command_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as exit_info:
            main([])

        assert exit_info.value.code == 2
        assert "required" in capsys.readouterr().err
