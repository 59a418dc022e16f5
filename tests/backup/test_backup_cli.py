"""``collabgov backup`` and ``collabgov restore``, run in-process against throw-away files."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import main
from governance.backup.dump import tables
from governance.config import get_settings
from governance.db import make_engine
from tests.backup.conftest import dump_of, new_database
from tests.conftest import BACKENDS

needs_postgres = pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL")


def use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("COLLABGOV_DATABASE_URL", url)
    get_settings.cache_clear()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def dump_at(url: str) -> dict[str, object]:
    engine = make_engine(url)
    try:
        return dump_of(engine)
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The configured database: migrated, with the demo case."""
    url = sqlite_url(tmp_path / "live.sqlite3")
    use_database(monkeypatch, url)
    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "load"]) == 0
    return url


class TestBackupCommand:
    def test_prints_what_was_copied(
        self, live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        capsys.readouterr()

        assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0

        out = capsys.readouterr().out
        assert out.startswith(f"backed up {len(tables())} tables, ")
        assert "SQLite copy" in out
        assert "KiB" in out
        assert "  stakeholders" in out
        assert (tmp_path / "copy.sqlite3").exists()

    def test_json_gz_by_file_name(
        self, live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["backup", str(tmp_path / "copy.json.gz")]) == 0

        assert "gzipped JSON dump" in capsys.readouterr().out
        assert gzip.decompress((tmp_path / "copy.json.gz").read_bytes()).startswith(b'{"header"')

    def test_refuses_to_overwrite(
        self, live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        existing = tmp_path / "old.sqlite3"
        existing.write_bytes(b"keep me")

        assert main(["backup", str(existing)]) == 1

        err = capsys.readouterr().err
        assert err.startswith("collabgov: error: destination: ")
        assert "already exists" in err
        assert existing.read_bytes() == b"keep me"

    def test_an_unmigrated_database(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        use_database(monkeypatch, sqlite_url(tmp_path / "new.sqlite3"))

        assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 1

        assert "has no collabgov schema" in capsys.readouterr().err

    def test_an_unwritable_destination(
        self, live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["backup", str(tmp_path / "no-such-folder" / "copy.sqlite3")]) == 1

        assert "folder" in capsys.readouterr().err

    @needs_postgres
    def test_postgresql_gives_a_json_dump(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with new_database("postgresql", tmp_path) as engine:
            url = engine.url.render_as_string(hide_password=False)
            use_database(monkeypatch, url)
            assert main(["demo", "load"]) == 0

            assert main(["backup", str(tmp_path / "pg.json.gz")]) == 0
            assert "gzipped JSON dump" in capsys.readouterr().out

            use_database(monkeypatch, sqlite_url(tmp_path / "moved.sqlite3"))
            assert main(["restore", str(tmp_path / "pg.json.gz")]) == 0
            assert dump_at(sqlite_url(tmp_path / "moved.sqlite3")) == dump_of(engine)


class TestRestoreCommand:
    def test_restores_into_a_new_database(
        self,
        live: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        copy = tmp_path / "copy.sqlite3"
        assert main(["backup", str(copy)]) == 0
        new_url = sqlite_url(tmp_path / "elsewhere" / "new.sqlite3")
        use_database(monkeypatch, new_url)
        capsys.readouterr()

        assert main(["restore", str(copy)]) == 0

        out = capsys.readouterr().out
        assert out.startswith(f"restored {len(tables())} tables, ")
        assert "replaced" not in out
        assert dump_at(new_url) == dump_at(live)

    def test_refuses_a_database_with_data_unless_replace(
        self, live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        dump = tmp_path / "dump.json"
        assert main(["backup", str(dump)]) == 0
        capsys.readouterr()

        assert main(["restore", str(dump)]) == 1
        err = capsys.readouterr().err
        assert "already holds data" in err
        assert "collabgov restore --replace" in err

        assert main(["restore", str(dump), "--replace"]) == 0
        assert "previous contents were replaced" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "does not exist"),
            (b"hello", "is not a collabgov backup"),
            (b'{"header": {"format": "collabgov-dump", "format_version": 9}}', "not supported"),
        ],
    )
    def test_bad_sources(
        self,
        live: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        content: bytes | None,
        message: str,
    ) -> None:
        source = tmp_path / "source.bak"
        if content is not None:
            source.write_bytes(content)

        assert main(["restore", str(source), "--replace"]) == 1

        err = capsys.readouterr().err
        assert err.startswith("collabgov: error: ")
        assert message in err
        assert "Traceback" not in err


class TestWrongArguments:
    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["backup"], "the following arguments are required: PATH"),
            (["restore"], "the following arguments are required: PATH"),
            (["backup", "a", "b"], "unrecognized arguments: b"),
            (["restore", "a", "--force"], "unrecognized arguments: --force"),
            (["backup", "a", "--replace"], "unrecognized arguments: --replace"),
        ],
    )
    def test_usage_errors_exit_2(
        self, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as exit_:
            main(argv)

        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "usage: collabgov" in err
        assert message in err
