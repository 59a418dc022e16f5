"""Consistent copies of a running database, and bringing them back.

Two forms of backup, both taken while the app keeps writing:

- **SQLite copy** (an SQLite database, any file name but ``.json``/``.gz``): SQLite's
  online backup API copies every page in one step, inside one read transaction, so the
  copy is the database as it was at one instant — WAL mode lets writers go on meanwhile.
  The copy is written beside the destination, checked with ``PRAGMA integrity_check``
  and only then renamed into place.
- **JSON dump** (PostgreSQL, or a destination ending in ``.json``/``.json.gz``):
  :func:`governance.backup.dump.dump_database` read in one REPEATABLE READ, read-only
  transaction (one read transaction on SQLite), so every row comes from the same
  snapshot; gzipped when the name ends in ``.gz``.

:func:`restore` recognises the form by the file's first bytes. An SQLite copy restored
into SQLite replaces the database's pages through the same backup API, in one write
transaction; anything else is loaded row by row into an empty database (or, with
``replace``, into one emptied in the same transaction, so a failed restore leaves the
old contents as they were).
"""

from __future__ import annotations

import contextlib
import enum
import gzip
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, create_engine, delete, func, inspect, select
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import Session

from governance import migrations
from governance.backup.dump import (
    dump_database,
    dump_revision,
    held_rows,
    load_database,
    table_counts,
    tables,
)
from governance.db import SessionFactory
from governance.errors import Invalid

#: The first 16 bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


class Form(enum.StrEnum):
    """What a backup file holds."""

    SQLITE = "SQLite copy"
    JSON = "JSON dump"
    JSON_GZ = "gzipped JSON dump"


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, in what form, at which schema revision, and what it holds."""

    path: Path
    form: Form
    revision: str
    #: Rows per table, deleted records and the audit log included.
    rows: dict[str, int]
    #: Size of the file in bytes.
    size: int

    def summary(self) -> str:
        """What was copied, for people: a headline and the rows of each table."""
        headline = (
            f"backed up {_totals(self.rows)} to {self.path} "
            f"({self.form}, {_size(self.size)}, schema revision {self.revision})"
        )
        return "\n".join([headline, *_table_lines(self.rows)])


@dataclass(frozen=True)
class RestoreResult:
    """A backup brought back: from where, in what form, and what the database now holds."""

    source: Path
    form: Form
    revision: str
    rows: dict[str, int]
    #: Whether the database held data that the restore replaced.
    replaced: bool

    def summary(self) -> str:
        headline = (
            f"restored {_totals(self.rows)} from {self.source} "
            f"({self.form}, schema revision {self.revision})"
        )
        if self.replaced:
            headline += "; the database's previous contents were replaced"
        return "\n".join([headline, *_table_lines(self.rows)])


# Backup ---------------------------------------------------------------------------------


def backup(engine: Engine, destination: Path) -> BackupResult:
    """Write a consistent copy of the database to ``destination``, which must not exist yet."""
    destination = Path(destination)
    if destination.exists():
        raise Invalid.field(
            "destination",
            f"{destination} already exists; backups never overwrite, choose a new name",
        )
    if not destination.parent.is_dir():
        raise Invalid.field("destination", f"folder {destination.parent} does not exist")
    revision = migrations.current_revision(engine)
    if revision is None:
        raise Invalid.field("database", "has no collabgov schema; there is nothing to back up")
    form = _form_for(engine, destination)
    with _partial_file(destination) as partial:
        if form is Form.SQLITE:
            rows = _copy_sqlite(engine, partial)
        else:
            rows = _write_dump(engine, partial, gzipped=form is Form.JSON_GZ, revision=revision)
        _sync(partial)
        partial.replace(destination)
    _sync_folder(destination.parent)
    return BackupResult(destination, form, revision, rows, destination.stat().st_size)


def _form_for(engine: Engine, destination: Path) -> Form:
    name = destination.name.lower()
    if name.endswith(".gz"):
        return Form.JSON_GZ
    if name.endswith(".json") or engine.dialect.name != "sqlite":
        return Form.JSON
    return Form.SQLITE


@contextlib.contextmanager
def _partial_file(destination: Path) -> Iterator[Path]:
    """A hidden file beside ``destination``, removed unless it was renamed into place."""
    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _copy_sqlite(engine: Engine, partial: Path) -> dict[str, int]:
    """Copy every page in one step, then check the copy; rows per table of the copy."""
    raw = engine.raw_connection()
    try:
        live = cast(sqlite3.Connection, raw.driver_connection)
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            # pages=-1 (the default): one step, one read transaction, one instant's data.
            try:
                live.backup(copy)
            except sqlite3.Error as error:
                raise Invalid.field("database", f"cannot be copied: {error}") from None
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _require_intact(copy, "destination", "the copy")
            return _sqlite_counts(copy)
    finally:
        raw.close()


def _write_dump(engine: Engine, partial: Path, *, gzipped: bool, revision: str) -> dict[str, int]:
    """Dump the database from one snapshot and write it as UTF-8 JSON."""
    if revision != migrations.head_revision():
        advice = (
            "back it up to an SQLite copy (a file name not ending in .json or .gz)"
            if engine.dialect.name == "sqlite"
            else "back it up with the collabgov version that matches it"
        )
        raise Invalid.field(
            "database",
            f"is at schema revision {revision} but this collabgov writes dumps at "
            f"{migrations.head_revision()}; {advice}",
        )
    document = dump_snapshot(engine)
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if gzipped:
        with gzip.open(partial, "wb") as file:
            file.write(data)
    else:
        partial.write_bytes(data)
    return {name: len(rows) for name, rows in document["tables"].items()}


def dump_snapshot(engine: Engine) -> dict[str, Any]:
    """:func:`dump_database` read from one snapshot of a database that may be in use.

    PostgreSQL reads in one REPEATABLE READ, read-only transaction (its default, READ
    COMMITTED, would let each table see a different moment); SQLite in one read
    transaction, which WAL mode keeps on one snapshot while writers go on.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin(), Session(bind=connection) as session:
            return dump_database(session)


def _sync(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; some systems cannot open a folder, which is then no worse."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# Restore --------------------------------------------------------------------------------


def restore(engine: Engine, source: Path, *, replace: bool = False) -> RestoreResult:
    """Bring a backup back into the database.

    The database must hold no rows unless ``replace`` is given; a JSON dump needs a
    database without a schema (it is then migrated) or at the dump's revision.
    """
    source = Path(source)
    if not source.exists():
        raise Invalid.field("source", f"{source} does not exist")
    if not source.is_file():
        raise Invalid.field("source", f"{source} is not a file")
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and Path(database).resolve() == source.resolve():
        raise Invalid.field("source", f"{source} is the database itself, not a backup of it")
    form = _sniff(source)
    if form is Form.SQLITE:
        revision = _checked_copy(source)
        if engine.dialect.name == "sqlite":
            return _restore_sqlite(engine, source, revision, replace=replace)
        document: Mapping[str, Any] = _dump_copy(source)
    else:
        document = _read_dump(source, gzipped=form is Form.JSON_GZ)
    return _restore_dump(engine, source, form, document, replace=replace)


def _sniff(source: Path) -> Form:
    with source.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return Form.SQLITE
    if start.startswith(GZIP_MAGIC):
        return Form.JSON_GZ
    if start.lstrip().startswith(b"{"):
        return Form.JSON
    raise Invalid.field(
        "source", f"{source} is not a collabgov backup (neither an SQLite copy nor a JSON dump)"
    )


def _read_dump(source: Path, *, gzipped: bool) -> Mapping[str, Any]:
    try:
        data = gzip.decompress(source.read_bytes()) if gzipped else source.read_bytes()
        document = json.loads(data.decode())
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid.field(
            "source", f"{source} is not a collabgov backup: cannot read it as JSON ({error})"
        ) from None
    dump_revision(document)
    return cast(Mapping[str, Any], document)


def _open_copy(source: Path) -> sqlite3.Connection:
    """The copy, opened read-only so that checking it cannot change it."""
    return sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)


def _checked_copy(source: Path) -> str:
    """The copy's schema revision, after checking that it is intact and this code's schema."""
    try:
        with contextlib.closing(_open_copy(source)) as copy:
            _require_intact(copy, "source", str(source))
            has_version = copy.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_version:
                raise Invalid.field(
                    "source", f"{source} is an SQLite database but not a collabgov backup"
                )
            row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise Invalid.field("source", f"{source} cannot be read as SQLite: {error}") from None
    revision = str(row[0]) if row else ""
    head = migrations.head_revision()
    if revision != head:
        raise Invalid.field(
            "source",
            f"{source} is at schema revision {revision or '(none)'} but this collabgov is at "
            f"{head}; restore it with the collabgov version that made it, or upgrade a copy "
            "of it first (COLLABGOV_DATABASE_URL=sqlite:///COPY collabgov db upgrade)",
        )
    return revision


def _restore_sqlite(engine: Engine, source: Path, revision: str, *, replace: bool) -> RestoreResult:
    """Write the copy's pages over the database's, in one write transaction."""
    replaced = _refuse_held_data(engine, replace=replace)
    raw = engine.raw_connection()
    try:
        target = cast(sqlite3.Connection, raw.driver_connection)
        with contextlib.closing(_open_copy(source)) as copy:
            try:
                copy.backup(target)
            except sqlite3.Error as error:
                raise Invalid.field("database", f"cannot be overwritten: {error}") from None
        _require_intact(target, "database", "the restored database")
        rows = _sqlite_counts(target)
    finally:
        raw.close()
    return RestoreResult(source, Form.SQLITE, revision, rows, replaced)


def _dump_copy(source: Path) -> dict[str, Any]:
    """An SQLite copy as a dump, to load it into PostgreSQL."""
    copy_engine = create_engine("sqlite://", creator=lambda: _open_copy(source))
    try:
        with copy_engine.connect() as connection, Session(bind=connection) as session:
            return dump_database(session)
    finally:
        copy_engine.dispose()


def _restore_dump(
    engine: Engine, source: Path, form: Form, document: Mapping[str, Any], *, replace: bool
) -> RestoreResult:
    revision = dump_revision(document)
    if migrations.current_revision(engine) is None:
        head = migrations.head_revision()
        if revision != head:
            raise Invalid.field(
                "header.revision",
                f"the backup is at schema revision {revision} but this collabgov is at {head}; "
                "restore it with the collabgov version that made it",
            )
        migrations.upgrade(engine)
    with SessionFactory(engine).transaction() as session:
        replaced = any(table_counts(session).values())
        if replaced:
            if not replace:
                raise _held_data_error(table_counts(session))
            for table in reversed(tables()):
                session.execute(delete(table))
        rows = load_database(session, document)
    return RestoreResult(source, form, revision, rows, replaced)


def _refuse_held_data(engine: Engine, *, replace: bool) -> bool:
    """Whether the database holds rows; refused unless they are to be replaced."""
    with engine.connect() as connection:
        counts = _existing_counts(connection)
    if any(counts.values()) and not replace:
        raise _held_data_error(counts)
    return any(counts.values())


def _existing_counts(connection: Connection) -> dict[str, int]:
    """Rows in each schema table that exists (an old or empty database lacks some)."""
    existing = set(inspect(connection).get_table_names())
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables()
        if table.name in existing
    }


def _held_data_error(counts: Mapping[str, int]) -> Invalid:
    return Invalid.field(
        "database",
        f"already holds data: {held_rows(counts)}; restore into an empty database, or replace its "
        "contents with: collabgov restore --replace",
    )


# Shared ---------------------------------------------------------------------------------


def _require_intact(connection: sqlite3.Connection, field: str, what: str) -> None:
    problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise Invalid.field(
            field, f"{what} failed SQLite's integrity check: {'; '.join(problems[:5])}"
        )


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    existing = {
        str(row[0])
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    return {
        table.name: int(connection.execute(_count_sql(table)).fetchone()[0])
        for table in tables()
        if table.name in existing
    }


def _count_sql(table: Table) -> str:
    return str(select(func.count()).select_from(table).compile(dialect=sqlite_dialect()))


def _totals(rows: Mapping[str, int]) -> str:
    return f"{len(rows)} tables, {sum(rows.values())} rows"


def _table_lines(rows: Mapping[str, int]) -> list[str]:
    width = max((len(name) for name in rows), default=0)
    return [f"  {name:<{width}}  {count:>8}" for name, count in rows.items()]


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
