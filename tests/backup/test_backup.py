"""backup / restore: consistent copies of a running database, and bringing them back."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from governance import migrations
from governance.backup import backup as backup_module
from governance.backup.backup import Form, backup, restore
from governance.backup.dump import dump_database, table_counts, tables
from governance.db import SessionFactory
from governance.demo.loader import load_demo
from governance.errors import Invalid
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderCreate
from governance.vocab import Sector, StakeholderKind
from tests.backup import writer
from tests.backup.conftest import ACTOR, dump_of, fill_committed, new_database
from tests.conftest import BACKENDS

needs_postgres = pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL")


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def source(backend_name: str, tmp_path: Path) -> Iterator[Engine]:
    """A database of each backend holding the demo case and a row in every table."""
    with new_database(backend_name, tmp_path) as engine:
        fill_committed(engine)
        yield engine


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[Engine]:
    with new_database("sqlite", tmp_path) as engine:
        fill_committed(engine)
        yield engine


def counts_of(engine: Engine) -> dict[str, int]:
    with SessionFactory(engine).transaction(write=False) as session:
        return table_counts(session)


def integrity(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]


def add_stakeholder(engine: Engine, name: str) -> None:
    with SessionFactory(engine).transaction() as session:
        stakeholder_service.create(
            session,
            data=StakeholderCreate(name=name, kind=StakeholderKind.GROUP, sector=Sector.OTHER),
            actor=ACTOR,
        )


class TestSqliteCopy:
    def test_is_intact_self_contained_and_restores_into_a_new_file(
        self, sqlite_source: Engine, tmp_path: Path
    ) -> None:
        destination = tmp_path / "copy.sqlite3"

        result = backup(sqlite_source, destination)

        assert result.form is Form.SQLITE
        assert result.revision == migrations.head_revision()
        assert result.rows == counts_of(sqlite_source)
        assert result.size == destination.stat().st_size > 0
        assert integrity(destination) == ["ok"]
        with sqlite3.connect(destination) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert list(tmp_path.glob(".*partial")) == []
        with new_database("sqlite", tmp_path, migrated=False) as target:
            restored = restore(target, destination)
            assert restored.replaced is False
            assert restored.rows == result.rows
            assert dump_of(target) == dump_of(sqlite_source)
            assert migrations.current_revision(target) == migrations.head_revision()

    def test_restore_replaces_a_database_with_data_only_when_asked(
        self, sqlite_source: Engine, tmp_path: Path
    ) -> None:
        destination = tmp_path / "copy.sqlite3"
        backup(sqlite_source, destination)
        with new_database("sqlite", tmp_path) as target:
            add_stakeholder(target, "Already here")
            before = dump_of(target)

            with pytest.raises(Invalid) as refused:
                restore(target, destination)
            assert "stakeholders (1 row)" in refused.value.errors["database"]
            assert "--replace" in refused.value.errors["database"]
            assert dump_of(target) == before

            restored = restore(target, destination, replace=True)

            assert restored.replaced is True
            assert dump_of(target) == dump_of(sqlite_source)
            assert "previous contents were replaced" in restored.summary()

    def test_summary_says_what_was_copied(self, sqlite_source: Engine, tmp_path: Path) -> None:
        result = backup(sqlite_source, tmp_path / "copy.sqlite3")

        lines = result.summary().splitlines()

        total = sum(result.rows.values())
        assert lines[0].startswith(f"backed up {len(tables())} tables, {total} rows to ")
        assert "SQLite copy" in lines[0]
        assert "KiB" in lines[0]
        assert any(
            line.split() == ["stakeholders", str(result.rows["stakeholders"])] for line in lines
        )

    def test_copies_a_database_at_an_older_revision(self, tmp_path: Path) -> None:
        with new_database("sqlite", tmp_path, migrated=False) as older:
            migrations.upgrade(older, "0001")

            result = backup(older, tmp_path / "before-upgrade.sqlite3")
            with pytest.raises(Invalid) as refused:
                backup(older, tmp_path / "before-upgrade.json")

        assert result.revision == "0001"
        assert integrity(result.path) == ["ok"]
        assert "is at schema revision 0001" in refused.value.errors["database"]
        assert "SQLite copy" in refused.value.errors["database"]

    @needs_postgres
    def test_restores_into_postgresql(self, sqlite_source: Engine, tmp_path: Path) -> None:
        destination = tmp_path / "copy.sqlite3"
        backup(sqlite_source, destination)
        with new_database("postgresql", tmp_path, migrated=False) as target:
            restored = restore(target, destination)

            assert restored.form is Form.SQLITE
            assert dump_of(target) == dump_of(sqlite_source)
        assert integrity(destination) == ["ok"]  # checking the copy did not change it


class TestJsonDump:
    def test_gzipped_dump_restores_into_a_new_database(
        self, source: Engine, backend_name: str, tmp_path: Path
    ) -> None:
        destination = tmp_path / "nightly.json.gz"

        result = backup(source, destination)

        assert result.form is Form.JSON_GZ
        document = json.loads(gzip.decompress(destination.read_bytes()))
        assert document["header"]["revision"] == migrations.head_revision()
        assert result.rows == {name: len(rows) for name, rows in document["tables"].items()}
        with new_database(backend_name, tmp_path, migrated=False) as target:
            restored = restore(target, destination)

            assert restored.form is Form.JSON_GZ
            assert restored.rows == result.rows
            assert dump_of(target) == dump_of(source)

    def test_plain_json_by_name_or_by_backend(
        self, source: Engine, backend_name: str, tmp_path: Path
    ) -> None:
        name = "copy.json" if backend_name == "sqlite" else "nightly.backup"

        result = backup(source, tmp_path / name)

        assert result.form is Form.JSON
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.startswith('{"header":{"format":"collabgov-dump"')
        assert "Ñoño 日本語" in text  # UTF-8, not \u escapes

    @needs_postgres
    def test_postgresql_reads_one_read_only_repeatable_read_snapshot(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seen: list[tuple[str | None, str | None]] = []

        def spy(session: Session) -> dict[str, Any]:
            seen.append(
                (
                    session.scalar(text("SHOW transaction_isolation")),
                    session.scalar(text("SHOW transaction_read_only")),
                )
            )
            return dump_database(session)

        monkeypatch.setattr(backup_module, "dump_database", spy)
        with new_database("postgresql", tmp_path) as engine:
            backup(engine, tmp_path / "snapshot.json")

        assert seen == [("repeatable read", "on")]

    def test_a_failed_replace_leaves_the_database_as_it_was(
        self, source: Engine, tmp_path: Path
    ) -> None:
        destination = tmp_path / "dump.json"
        backup(source, destination)
        document = json.loads(destination.read_text(encoding="utf-8"))
        document["tables"]["meetings"][3]["mode"] = "telepathy"
        broken = tmp_path / "broken.json"
        broken.write_text(json.dumps(document), encoding="utf-8")
        before = dump_of(source)

        with pytest.raises(Invalid) as refused:
            restore(source, broken, replace=True)

        assert "'telepathy' is not one of" in refused.value.errors["tables.meetings[3].mode"]
        assert dump_of(source) == before

    def test_replace_with_a_dump_of_itself_gives_the_same_database(
        self, source: Engine, tmp_path: Path
    ) -> None:
        destination = tmp_path / "dump.json.gz"
        backup(source, destination)
        before = dump_of(source)
        add_stakeholder(source, "Added after the backup")

        restored = restore(source, destination, replace=True)

        assert restored.replaced is True
        assert dump_of(source) == before


def write_file(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


class TestRefusals:
    def test_backup_never_overwrites(self, sqlite_source: Engine, tmp_path: Path) -> None:
        existing = write_file(tmp_path / "old.sqlite3", b"yesterday's backup")

        with pytest.raises(Invalid, match="already exists"):
            backup(sqlite_source, existing)

        assert existing.read_bytes() == b"yesterday's backup"

    def test_backup_into_a_missing_folder(self, sqlite_source: Engine, tmp_path: Path) -> None:
        with pytest.raises(Invalid, match=r"folder .*nowhere does not exist"):
            backup(sqlite_source, tmp_path / "nowhere" / "copy.sqlite3")

    def test_backup_of_a_database_without_schema(self, tmp_path: Path) -> None:
        with (
            new_database("sqlite", tmp_path, migrated=False) as bare,
            pytest.raises(Invalid, match="no collabgov schema"),
        ):
            backup(bare, tmp_path / "copy.sqlite3")
        assert not (tmp_path / "copy.sqlite3").exists()

    @pytest.fixture
    def target(self, tmp_path: Path) -> Iterator[Engine]:
        with new_database("sqlite", tmp_path, migrated=False) as engine:
            yield engine

    def test_missing_file(self, target: Engine, tmp_path: Path) -> None:
        with pytest.raises(Invalid, match=r"missing\.sqlite3 does not exist"):
            restore(target, tmp_path / "missing.sqlite3")

    def test_a_folder(self, target: Engine, tmp_path: Path) -> None:
        with pytest.raises(Invalid, match="is not a file"):
            restore(target, tmp_path)

    @pytest.mark.parametrize(
        ("content", "field", "message"),
        [
            (b"name,sector\nSPRI,civil_society\n", "source", "is not a collabgov backup"),
            (b"", "source", "is not a collabgov backup"),
            (b'{"header": {"format": "x"}, "tables": {}}', "header.format", "not a collabgov dump"),
            (b'{"header": ', "source", "cannot read it as JSON"),
            (gzip.compress(b'{"header": 1}')[:12], "source", "cannot read it as JSON"),
            (b"SQLite format 3\x00" + b"\xff" * 200, "source", "cannot be read as SQLite"),
        ],
    )
    def test_not_a_backup(
        self, target: Engine, tmp_path: Path, content: bytes, field: str, message: str
    ) -> None:
        path = write_file(tmp_path / "suspect.bin", content)

        with pytest.raises(Invalid) as refused:
            restore(target, path)

        assert message in refused.value.errors[field]
        assert migrations.current_revision(target) is None  # nothing was touched

    def test_an_sqlite_database_that_is_not_collabgov(self, target: Engine, tmp_path: Path) -> None:
        other = tmp_path / "other.sqlite3"
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE notes (text TEXT)")

        with pytest.raises(Invalid, match="SQLite database but not a collabgov backup"):
            restore(target, other)

    def test_an_sqlite_copy_at_another_revision(
        self, sqlite_source: Engine, target: Engine, tmp_path: Path
    ) -> None:
        copy = tmp_path / "copy.sqlite3"
        backup(sqlite_source, copy)
        with sqlite3.connect(copy) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '0001'")

        with pytest.raises(Invalid, match="is at schema revision 0001 but this collabgov is at"):
            restore(target, copy)

    def test_a_dump_at_another_revision(
        self, sqlite_source: Engine, target: Engine, tmp_path: Path
    ) -> None:
        dump = tmp_path / "dump.json"
        backup(sqlite_source, dump)
        document: dict[str, Any] = json.loads(dump.read_text(encoding="utf-8"))
        document["header"]["revision"] = "0001"
        dump.write_text(json.dumps(document), encoding="utf-8")

        with pytest.raises(Invalid) as refused:
            restore(target, dump)

        assert "schema revision 0001" in refused.value.errors["header.revision"]
        assert migrations.current_revision(target) is None

    def test_the_database_itself(self, sqlite_source: Engine) -> None:
        database = Path(str(sqlite_source.url.database))

        with pytest.raises(Invalid, match="is the database itself"):
            restore(sqlite_source, database, replace=True)

    def test_a_damaged_sqlite_copy(
        self, sqlite_source: Engine, target: Engine, tmp_path: Path
    ) -> None:
        copy = tmp_path / "copy.sqlite3"
        backup(sqlite_source, copy)
        data = bytearray(copy.read_bytes())
        data[4096 * 3 : 4096 * 3 + 512] = b"\x00\xff" * 256  # scribble over a page
        copy.write_bytes(bytes(data))

        with pytest.raises(Invalid) as refused:
            restore(target, copy)

        assert "source" in refused.value.errors


def writes_beyond(writes: Any, target: int, *, timeout: float = 30) -> bool:
    """Wait until the writer process has committed ``target`` transactions."""
    deadline = time.monotonic() + timeout
    while writes.value < target:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class TestDuringWrites:
    """A backup taken while another process writes is one consistent state, and restores."""

    def test_backups_taken_during_writes_restore_consistent_states(
        self, backend_name: str, tmp_path: Path
    ) -> None:
        destinations = [
            tmp_path / (f"copy-{i}.sqlite3" if backend_name == "sqlite" else f"copy-{i}.json.gz")
            for i in range(3)
        ]
        with new_database(backend_name, tmp_path) as engine:
            with SessionFactory(engine).transaction() as session:
                load_demo(session, actor=ACTOR)  # some bulk, so a copy takes a moment
            url = engine.url.render_as_string(hide_password=False)
            context = multiprocessing.get_context("spawn")
            started, stop = context.Event(), context.Event()
            writes = context.Value("i", 0)
            process = context.Process(
                target=writer.write_continuously, args=(url, started, stop, writes)
            )
            process.start()
            try:
                assert started.wait(60), "the writer did not start"
                results = []
                for destination in destinations:
                    results.append(backup(engine, destination))
                    assert writes_beyond(writes, writes.value + 3), "the writer stopped"
            finally:
                stop.set()
                process.join(60)
            assert process.exitcode == 0, "the writer failed (a locked database?)"

        held = []
        for result in results:
            if result.form is Form.SQLITE:
                assert integrity(result.path) == ["ok"]
            with new_database(backend_name, tmp_path, migrated=False) as restored_into:
                restored = restore(restored_into, result.path)
                assert restored.rows == result.rows == counts_of(restored_into)
                with restored_into.connect() as connection:
                    held.append(writer.consistent_state(connection))
        assert held[0] >= 10
        assert held[0] < held[1] < held[2]  # three different moments, each complete
