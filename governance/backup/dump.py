"""Every table of the schema as one JSON-ready document, and that document loaded back.

The document::

    {"header": {"format": "collabgov-dump", "format_version": 1,
                "revision": "0002", "dumped_at": "2026-11-22T10:00:00.123456+00:00"},
     "tables": {"collaborations": [{"id": 1, "name": "…", …}, …], …}}

Tables come in dependency order (each after the tables it refers to), rows in primary-key
order, each row with every column. Values: instants as ISO 8601 with their UTC offset,
dates as ISO dates, vocabulary codes as their code, JSON columns as they are, NULL as
``null``. Loading the document into an empty database at the same schema revision and
dumping that again gives the same document but for ``dumped_at``: ids, audit entries,
users, tokens, sign-in sessions and soft-deleted rows included.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    Enum,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    false,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from governance.base import UTCDateTime, utcnow
from governance.errors import Invalid
from governance.models import Base

FORMAT_NAME = "collabgov-dump"
#: Raised when the document's layout changes; older layouts are then refused by name.
FORMAT_VERSION = 1
#: Rows inserted per statement while loading.
BATCH_SIZE = 500
#: Problems reported at most, so a wrong file still gives a readable message.
MAX_PROBLEMS = 20


class Kind(enum.Enum):
    """How a column's values are written in the document."""

    INSTANT = "instant"
    DATE = "date"
    CODE = "code"
    JSON = "json"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    FLOAT = "float"
    TEXT = "text"


def tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def columns_of(table: Table) -> list[Column[Any]]:
    """The table's columns as a row of the document lists them: the primary key first."""
    keys = list(table.primary_key.columns)
    return keys + [column for column in table.columns if not column.primary_key]


def column_kind(column: Column[Any]) -> Kind:
    """The document's form for this column; a column type without one is a programming error."""
    column_type = column.type
    # Order matters: Enum is a String, and Text is a String too.
    if isinstance(column_type, UTCDateTime):
        return Kind.INSTANT
    if isinstance(column_type, Date):
        return Kind.DATE
    if isinstance(column_type, Enum):
        return Kind.CODE
    if isinstance(column_type, JSON):
        return Kind.JSON
    if isinstance(column_type, Boolean):
        return Kind.BOOLEAN
    if isinstance(column_type, Integer):
        return Kind.INTEGER
    if isinstance(column_type, Float):
        return Kind.FLOAT
    if isinstance(column_type, String):
        return Kind.TEXT
    raise TypeError(f"{column.table.name}.{column.name}: no dump form for {column_type!r}")


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at, or None when it has no schema."""
    return MigrationContext.configure(connection).get_current_revision()


def table_counts(session: Session) -> dict[str, int]:
    """Rows in each table of the schema (deleted rows included)."""
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables()
    }


def held_rows(counts: Mapping[str, int], *, shown: int = 5) -> str:
    """The tables that hold rows, for a message: "stakeholders (1 row), users (2 rows)"."""
    held = [(name, count) for name, count in counts.items() if count]
    listed = [f"{name} ({count} row{'' if count == 1 else 's'})" for name, count in held[:shown]]
    if len(held) > shown:
        listed.append(f"and {len(held) - shown} more tables")
    return ", ".join(listed)


def dump_database(session: Session) -> dict[str, Any]:
    """Every row of every table as a JSON-ready document (layout in the module docstring).

    Reads through ``session``'s transaction: run it in one snapshot (SQLite's read
    transaction, PostgreSQL's REPEATABLE READ) for a consistent copy of a live database.
    """
    session.flush()
    connection = session.connection()
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        columns = columns_of(table)
        kinds = [(column.name, column_kind(column)) for column in columns]
        result = connection.execute(select(*columns).order_by(*table.primary_key.columns))
        rows[table.name] = [
            {name: _to_json(kind, value) for (name, kind), value in zip(kinds, row, strict=True)}
            for row in result
        ]
    return {
        "header": {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "revision": schema_revision(connection),
            "dumped_at": utcnow().isoformat(),
        },
        "tables": rows,
    }


def dump_revision(data: Mapping[str, Any]) -> str:
    """The schema revision a dump was made at, after checking that it is a collabgov dump."""
    if not isinstance(data, Mapping):
        raise Invalid.field("document", "is not a JSON object; not a collabgov dump")
    header = data.get("header")
    if not isinstance(header, Mapping):
        raise Invalid.field("header", "is missing; not a collabgov dump")
    if header.get("format") != FORMAT_NAME:
        found = header.get("format")
        raise Invalid.field(
            "header.format", f"is {found!r}, not {FORMAT_NAME!r}: not a collabgov dump"
        )
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        raise Invalid.field(
            "header.format_version",
            f"{version!r} is not supported; this collabgov reads version {FORMAT_VERSION}",
        )
    revision = header.get("revision")
    if not isinstance(revision, str) or not revision:
        raise Invalid.field("header.revision", "is missing; the dump names no schema revision")
    return revision


def load_database(session: Session, data: Mapping[str, Any]) -> dict[str, int]:
    """Insert a dump into an empty database at the dump's schema revision; rows per table.

    Rows keep their ids; PostgreSQL's id sequences then move past them, so new rows get
    fresh ids. Refuses with :class:`Invalid` (naming the field or row) a database that
    holds rows or sits at another revision, a document that is not a collabgov dump, and
    a row that does not fit; nothing is written then (the inserts run in a savepoint).
    The caller commits.
    """
    revision = dump_revision(data)
    connection = session.connection()
    current = schema_revision(connection)
    if current is None:
        raise Invalid.field("database", "has no collabgov schema; run: collabgov db upgrade")
    if revision != current:
        raise Invalid.field(
            "header.revision",
            f"the dump is at schema revision {revision} but the database is at {current}; "
            "load it into a database migrated to the same revision",
        )
    counts = table_counts(session)
    if any(counts.values()):
        raise Invalid.field(
            "database",
            f"is not empty: {held_rows(counts)}; load a dump only into a new database",
        )
    rows = _checked_rows(data.get("tables"))
    try:
        with session.begin_nested():
            # Asked for inside the block: the savepoint begins when the connection is taken.
            inserting = session.connection()
            for table in tables():
                _insert(inserting, table, rows[table.name])
            _reset_sequences(inserting)
    except _Unfit as error:
        raise Invalid.field(f"tables.{error.table}", f"a row does not fit: {error}") from None
    return {name: len(table_rows) for name, table_rows in rows.items()}


# Writing values -------------------------------------------------------------------------


def _to_json(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind in (Kind.INSTANT, Kind.DATE):
        return value.isoformat()
    if kind is Kind.CODE and isinstance(value, enum.Enum):
        return value.value
    return value


# Reading values -------------------------------------------------------------------------


class _Unfit(Exception):
    """A value, or a table's rows, that the database would not take."""

    def __init__(self, message: str, table: str = "") -> None:
        super().__init__(message)
        self.table = table


def _from_json(kind: Kind, column: Column[Any], value: Any) -> Any:
    """The Python value to insert for ``value`` read from the document."""
    if value is None:
        if not column.nullable:
            raise _Unfit("must not be null")
        return None
    if kind is Kind.JSON:
        return value
    if kind is Kind.INSTANT:
        instant = _parsed(value, dt.datetime.fromisoformat, "an ISO 8601 date and time")
        if instant.tzinfo is None:
            raise _Unfit(f"{value!r} has no time zone; instants carry their UTC offset")
        return instant
    if kind is Kind.DATE:
        return _parsed(value, dt.date.fromisoformat, "an ISO 8601 date (YYYY-MM-DD)")
    if kind is Kind.CODE:
        return _code(cast(Enum, column.type), value)
    if kind is Kind.BOOLEAN:
        if not isinstance(value, bool):
            raise _Unfit(f"{value!r} is not true or false")
        return value
    if kind is Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Unfit(f"{value!r} is not a whole number")
        return value
    if kind is Kind.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Unfit(f"{value!r} is not a number")
        return float(value)
    if not isinstance(value, str):
        raise _Unfit(f"{value!r} is not text")
    length = cast(String, column.type).length
    if length is not None and len(value) > length:
        raise _Unfit(f"is {len(value)} characters long; at most {length} fit")
    return value


def _parsed(value: Any, parse: Any, what: str) -> Any:
    if not isinstance(value, str):
        raise _Unfit(f"{value!r} is not {what}")
    try:
        return parse(value)
    except ValueError:
        raise _Unfit(f"{value!r} is not {what}") from None


def _code(column_type: Enum, value: Any) -> Any:
    codes: Sequence[str] = column_type.enums
    if not isinstance(value, str) or value not in codes:
        raise _Unfit(f"{value!r} is not one of: {', '.join(codes)}")
    enum_class = column_type.enum_class
    return enum_class(value) if enum_class is not None else value


def _checked_rows(data: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as values to insert, or :class:`Invalid` listing the problems."""
    problems: dict[str, str] = {}
    if not isinstance(data, Mapping):
        raise Invalid.field("tables", "is missing; not a collabgov dump")
    known = {table.name for table in tables()}
    for name in data:
        if name not in known:
            problems[f"tables.{name}"] = "is not a table of this schema"
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        table_rows = data.get(table.name)
        if not isinstance(table_rows, list):
            problems[f"tables.{table.name}"] = "is missing (a list of rows is expected)"
            continue
        rows[table.name] = list(_table_rows(table, table_rows, problems))
    if not problems:
        _check_keys(rows, problems)
    if problems:
        shown = dict(list(problems.items())[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            shown["more"] = f"{len(problems) - MAX_PROBLEMS} further problems not shown"
        raise Invalid(shown)
    return rows


def _table_rows(
    table: Table, table_rows: list[Any], problems: dict[str, str]
) -> Iterator[dict[str, Any]]:
    columns = {column.name: (column, column_kind(column)) for column in table.columns}
    for index, row in enumerate(table_rows):
        where = f"tables.{table.name}[{index}]"
        if not isinstance(row, Mapping):
            problems[where] = "is not an object of column values"
            continue
        for key in row.keys() - columns.keys():
            problems[f"{where}.{key}"] = "is not a column of this table"
        values: dict[str, Any] = {}
        for name, (column, kind) in columns.items():
            if name not in row:
                problems[f"{where}.{name}"] = "is missing"
                continue
            try:
                values[name] = _from_json(kind, column, row[name])
            except _Unfit as error:
                problems[f"{where}.{name}"] = str(error)
        yield values


def _check_keys(rows: Mapping[str, list[dict[str, Any]]], problems: dict[str, str]) -> None:
    """Primary keys unique, and every reference to a row's id pointing at a row of the dump."""
    ids: dict[str, set[Any]] = {}
    for table in tables():
        key_columns = [column.name for column in table.primary_key.columns]
        seen: set[tuple[Any, ...]] = set()
        for index, row in enumerate(rows[table.name]):
            key = tuple(row[name] for name in key_columns)
            if key in seen:
                problems[f"tables.{table.name}[{index}]"] = f"repeats the key {key_columns} {key}"
            seen.add(key)
        if len(key_columns) == 1:
            ids[table.name] = {key[0] for key in seen}
    for table in tables():
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                target = foreign_key.column
                if target.table.name not in ids or not target.primary_key:
                    continue  # the database checks references to other columns itself
                known = ids[target.table.name]
                for index, row in enumerate(rows[table.name]):
                    value = row[column.name]
                    if value is not None and value not in known:
                        problems[f"tables.{table.name}[{index}].{column.name}"] = (
                            f"refers to {target.table.name} {value}, which is not in the dump"
                        )


# Inserting ------------------------------------------------------------------------------


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows; references to the same table are set afterwards, in any order."""
    later = [
        column.name
        for column in table.columns
        if column.nullable and any(fk.column.table is table for fk in column.foreign_keys)
    ]
    first = [row | dict.fromkeys(later) for row in rows] if later else rows
    try:
        for start in range(0, len(first), BATCH_SIZE):
            connection.execute(insert(table), first[start : start + BATCH_SIZE])
        for name in later:
            _set_references(connection, table, name, rows)
    except StatementError as error:
        raise _Unfit(" ".join(str(error.orig or error).split()), table.name) from None


def _set_references(
    connection: Connection, table: Table, name: str, rows: list[dict[str, Any]]
) -> None:
    (key,) = table.primary_key.columns
    # Columns with an ``onupdate`` (``updated_at``) are set to their loaded value, not "now".
    kept = [column.name for column in table.columns if column.onupdate is not None]
    updates = [
        {"b_key": row[key.name], "b_value": row[name]} | {f"b_{k}": row[k] for k in kept}
        for row in rows
        if row[name] is not None
    ]
    if updates:
        values: dict[str, Any] = {name: bindparam("b_value")} | {
            k: bindparam(f"b_{k}") for k in kept
        }
        statement = update(table).where(key == bindparam("b_key")).values(values)
        connection.execute(statement, updates)


def _reset_sequences(connection: Connection) -> None:
    """Move each PostgreSQL id sequence past the largest id loaded (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = func.pg_get_serial_sequence(preparer.format_table(table), keys[0].name)
        connection.execute(
            select(func.setval(sequence, func.coalesce(func.max(keys[0]), 0) + 1, false()))
        )
