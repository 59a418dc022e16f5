"""The ``collabgov`` command line, run in-process against a throw-away SQLite file."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.cli import main
from governance import migrations
from governance.config import get_settings
from governance.db import make_engine
from governance.models import AuditEntry, Collaboration, User
from governance.users import passwords
from governance.users import service as user_service
from governance.vocab import UserRole


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


class TestDemoAdmin:
    """``make run`` (``demo load --if-empty``) on a new database: a demo admin, shown once."""

    def test_a_new_database_gets_an_admin_with_a_random_password(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["demo", "load", "--if-empty"]) == 0

        out = capsys.readouterr().out
        found = re.search(r"^  password:  (\S+)$", out, re.M)
        assert found, out
        password = found.group(1)
        assert "user name: admin" in out
        assert "shown once — change it on your account page" in out
        assert passwords.password_problem(password) is None
        engine = make_engine(migrated)
        with Session(engine) as session:
            user = user_service.authenticate(session, name="admin", password=password)
            assert user is not None
            assert user.role == UserRole.ADMIN
        engine.dispose()

    def test_running_again_creates_nothing_and_prints_no_password(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        main(["demo", "load", "--if-empty"])
        first = capsys.readouterr().out

        assert main(["demo", "load", "--if-empty"]) == 0

        again = capsys.readouterr().out
        assert "password" not in again
        assert count(migrated, User) == 1
        assert "password" in first

    def test_two_new_databases_get_different_passwords(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        shown = []
        for name in ("one", "two"):
            monkeypatch.setenv("COLLABGOV_DATABASE_URL", f"sqlite:///{tmp_path / name}.sqlite3")
            get_settings.cache_clear()
            main(["db", "upgrade"])
            main(["demo", "load", "--if-empty"])
            found = re.search(r"password:  (\S+)", capsys.readouterr().out)
            assert found
            shown.append(found.group(1))
        get_settings.cache_clear()

        assert shown[0] != shown[1]

    def test_no_admin_when_a_user_exists(
        self, migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase 42\n"))
        main(["users", "create", "ana", "--role", "admin", "--password-stdin"])
        capsys.readouterr()

        assert main(["demo", "load", "--if-empty"]) == 0

        assert "password" not in capsys.readouterr().out
        assert count(migrated, User) == 1

    def test_plain_demo_load_creates_no_account(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["demo", "load"]) == 0

        assert count(migrated, User) == 0


class TestUserAdministration:
    @pytest.fixture
    def ana(self, migrated: str, monkeypatch: pytest.MonkeyPatch) -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase 42\n"))
        assert main(["users", "create", "ana", "--role", "researcher", "--password-stdin"]) == 0
        return migrated

    def test_lists_users(self, ana: str, capsys: pytest.CaptureFixture[str]) -> None:
        capsys.readouterr()

        assert main(["users", "list"]) == 0

        line = capsys.readouterr().out.strip()
        assert line.split() == ["ana", "researcher", "active", "never", "signed", "in"]

    def test_disable_and_enable(self, ana: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["users", "disable", "ana"]) == 0
        main(["users", "list"])
        assert "disabled" in capsys.readouterr().out

        assert main(["users", "enable", "ana"]) == 0
        main(["users", "list"])
        assert " active " in capsys.readouterr().out

    def test_set_password(
        self, ana: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("another pass phrase 43\n"))

        assert main(["users", "set-password", "ana", "--password-stdin"]) == 0

        assert "password of ana set" in capsys.readouterr().out
        engine = make_engine(ana)
        with Session(engine) as session:
            assert user_service.authenticate(session, name="ana", password="another pass phrase 43")
        engine.dispose()

    def test_set_a_weak_password_is_an_error(
        self, ana: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))

        assert main(["users", "set-password", "ana", "--password-stdin"]) == 1

        assert "at least 12" in capsys.readouterr().err

    def test_an_unknown_user_is_an_error(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["users", "disable", "nobody"]) == 1

        assert "no user named 'nobody'" in capsys.readouterr().err

    def test_list_and_revoke_a_token(self, ana: str, capsys: pytest.CaptureFixture[str]) -> None:
        main(["tokens", "create", "ana", "--label", "export"])
        token = capsys.readouterr().out.strip()
        main(["tokens", "list", "ana"])
        token_id = capsys.readouterr().out.split("\t")[0]

        assert main(["tokens", "revoke", token_id]) == 0

        assert f"revoked API token {token_id} (export)" in capsys.readouterr().out
        main(["tokens", "list", "ana"])
        assert "\trevoked " in capsys.readouterr().out
        engine = make_engine(ana)
        with Session(engine) as session:
            assert user_service.find_token(session, token) is None
        engine.dispose()

    def test_revoking_an_unknown_token_is_an_error(
        self, migrated: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["tokens", "revoke", "4242"]) == 1

        assert "4242 not found" in capsys.readouterr().err


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
            ["users", "list"],
            ["users", "disable"],
            ["users", "enable"],
            ["users", "set-password"],
            ["tokens", "create"],
            ["tokens", "list"],
            ["tokens", "revoke"],
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
