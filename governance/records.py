"""What every record shares: look-up, listing, versioned updates, soft delete, restore.

Concept services build on these functions; each write adds an audit entry and
flushes, and the caller owns the transaction.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.interfaces import ORMOption

from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import Record, utcnow
from governance.errors import Conflict, Invalid, NotFound

R = TypeVar("R", bound=Record)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The largest id a record can have (the columns are 32-bit on every database). A larger
#: one names nothing, and sending it to the database would fail (SQLite overflows).
MAX_ID = 2**31 - 1


def valid_id(record_id: int) -> bool:
    """Whether ``record_id`` could be a record's id at all."""
    return 1 <= record_id <= MAX_ID


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def get(
    session: Session,
    model: type[R],
    record_id: int,
    *,
    include_deleted: bool = False,
    options: Sequence[ORMOption] = (),
) -> R:
    """The record with this id, or ``NotFound`` (also when it is deleted, unless asked)."""
    if not valid_id(record_id):
        raise NotFound(model.record_type, record_id)
    record = session.get(model, record_id, options=options)
    if record is None:
        raise NotFound(model.record_type, record_id)
    if record.is_deleted and not include_deleted:
        raise NotFound(model.record_type, record_id, deleted=True)
    return record


def require_live(
    session: Session, model: type[Record], record_id: int | None, *, field: str
) -> None:
    """Refuse a reference (``owner_id``…) to a record that is missing or deleted."""
    if record_id is None:
        return
    found = (
        session.execute(
            select(model.id, model.deleted_at).where(model.id == record_id)
        ).one_or_none()
        if valid_id(record_id)
        else None
    )
    label = model.record_type.replace("_", " ")
    if found is None:
        raise Invalid.field(field, f"{label} {record_id} does not exist")
    if found.deleted_at is not None:
        raise Invalid.field(field, f"{label} {record_id} is deleted")


def live_errors(
    session: Session, model: type[Record], record_id: int | None, *, field: str
) -> dict[str, str]:
    """:func:`require_live` as an error map, so a service can report every bad field at once."""
    return problems(lambda: require_live(session, model, record_id, field=field))


def reference_errors(
    session: Session, references: Sequence[tuple[type[Record], int | None, str]]
) -> dict[str, str]:
    """:func:`live_errors` of several references — (model, id, field) — in one query.

    A write checks its references while it holds SQLite's write lock, which every other
    writer waits for: one round trip instead of one per reference. The errors are those
    of :func:`require_live`, in the order the references are given.
    """
    named = [(model, ref, field) for model, ref, field in references if ref is not None]
    asked = [(model, ref) for model, ref, _ in named if valid_id(ref)]
    found: dict[int, Any] = {}
    if asked:
        statement = _liveness_query(tuple(model for model, _ in asked))
        rows = session.execute(statement, {f"id_{n}": ref for n, (_, ref) in enumerate(asked)})
        found = dict(rows.all())
    errors: dict[str, str] = {}
    position = 0
    for model, ref, field in named:
        label = model.record_type.replace("_", " ")
        if not valid_id(ref):
            errors[field] = f"{label} {ref} does not exist"
            continue
        if position not in found:
            errors[field] = f"{label} {ref} does not exist"
        elif found[position] is not None:
            errors[field] = f"{label} {ref} is deleted"
        position += 1
    return errors


@functools.cache
def _liveness_query(models: tuple[type[Record], ...]) -> CompoundSelect[Any, Any]:
    """Position and ``deleted_at`` of each asked id that exists (built once per shape)."""
    return union_all(
        *(
            select(literal_column(str(position)), model.deleted_at).where(
                model.id == bindparam(f"id_{position}")
            )
            for position, model in enumerate(models)
        )
    )


def require_all_live(
    session: Session, model: type[Record], ids: Iterable[int], *, field: str
) -> None:
    """Like :func:`require_live` for a list of ids, in one query."""
    wanted = set(ids)
    if not wanted:
        return
    asked = [i for i in wanted if valid_id(i)]
    live = set(
        session.scalars(select(model.id).where(model.id.in_(asked), model.deleted_at.is_(None)))
    )
    missing = sorted(wanted - live)
    if missing:
        label = model.record_type.replace("_", " ")
        listed = ", ".join(str(i) for i in missing)
        raise Invalid.field(field, f"{label} {listed} does not exist or is deleted")


def problems(*checks: Callable[[], object]) -> dict[str, str]:
    """Run checks that raise ``Invalid``; gather their errors, so every bad field is
    reported at once instead of one per request."""
    errors: dict[str, str] = {}
    for check in checks:
        try:
            check()
        except Invalid as error:
            errors |= error.errors
    return errors


def paginate(
    session: Session,
    statement: Select[R],
    *,
    limit: int,
    offset: int,
    order_by: Sequence[Any],
) -> Page[R]:
    """One page of ``statement`` in a stable order, with the total count."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = session.scalars(statement.order_by(*order_by).limit(limit).offset(offset)).all()
    return Page(items=list(rows), total=total or 0, limit=limit, offset=offset)


def base_query(model: type[R], *, include_deleted: bool = False) -> Select[R]:
    statement = select(model)
    if not include_deleted:
        statement = statement.where(model.deleted_at.is_(None))
    return statement


def text_filter(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Case-insensitive "contains" over several text columns."""
    pattern = f"%{escape_like(text.strip().lower())}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Dinas Sosial" finds "dinas sosial" and "Dínas"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def add(
    session: Session,
    record: R,
    *,
    actor: Actor,
    extra_changes: Mapping[str, list[Any]] | None = None,
) -> R:
    """Insert a new record and log its creation.

    ``extra_changes`` logs what was created with it but is not a column (attendance,
    evidence links), in the same entry.
    """
    add_unlogged(session, record)
    audit.record(
        session,
        actor=actor,
        action="create",
        record_type=record.record_type,
        record_id=record.id,
        changes=created(record, extra_changes),
    )
    return record


def add_unlogged(session: Session, record: R) -> R:
    """Insert a new record without logging it: for a service that logs its creation
    in the statement of another write (``audit.ENTRY_CTE``), with :func:`created`."""
    if not _insert_alone(session, record):
        session.add(record)
        session.flush()
    return record


def created(
    record: Record, extra_changes: Mapping[str, list[Any]] | None = None
) -> dict[str, list[Any]]:
    """What the log notes of a new record: each column as ``[None, value]``, then the
    ``extra_changes``."""
    changes = {key: [None, value] for key, value in audit.snapshot(record).items()}
    return changes | dict(extra_changes or {})


@dataclass(frozen=True)
class _Insert:
    """How a model's new rows are inserted by themselves (see :func:`_insert_alone`)."""

    statement: Any
    #: (attribute, column key, whether None is inserted as it is) of each column.
    columns: tuple[tuple[str, str, bool], ...]
    relationships: tuple[str, ...]
    version: tuple[str, Any] | None


@functools.cache
def _insert_of(model: type[Record]) -> _Insert | None:
    """The INSERT … RETURNING of a model's table, or None if its rows span tables."""
    mapper = sa_inspect(model)
    if mapper.inherits is not None or len(mapper.tables) != 1:
        return None
    table = cast(Table, mapper.local_table)
    columns = tuple(
        (mapper.get_property_by_column(column).key, column.key, column.type.should_evaluate_none)
        for column in table.columns
    )
    version = None
    if mapper.version_id_col is not None and mapper.version_id_generator:
        version = (str(mapper.version_id_col.key), mapper.version_id_generator)
    return _Insert(
        statement=insert(table).returning(*table.columns),
        columns=columns,
        relationships=tuple(mapper.relationships.keys()),
        version=version,
    )


def _insert_alone(session: Session, record: Record) -> bool:
    """Insert ``record`` with one INSERT … RETURNING, as the unit of work would, when
    nothing else is to be flushed with it; then it is in the session as if loaded.

    The unit of work's flush of a single row costs several times its INSERT, all of it
    while the writer holds SQLite's write lock. False, and nothing done, when the record
    brings related records to save (they need the unit of work) or the session has
    other changes to flush first.
    """
    plan = _insert_of(type(record))
    state = sa_inspect(record)
    if plan is None or not state.transient or session.new or session.dirty or session.deleted:
        return False
    values = state.dict
    for key in plan.relationships:
        related = values.get(key)
        if related is not None and related != []:
            return False
    params: dict[str, Any] = {}
    for attribute, column, keeps_none in plan.columns:
        if attribute in values:
            value = values[attribute]
            if value is None and not keeps_none:
                continue  # as the unit of work: the column's default, if any, applies
            params[column] = value
    if plan.version is not None:
        key, generate = plan.version
        params[key] = generate(None)
    row = session.connection().execute(plan.statement, params).one()
    for (attribute, _, _), value in zip(plan.columns, row, strict=True):
        setattr(record, attribute, value)
    make_transient_to_detached(record)
    session.add(record)
    return True


def check_version(record: Record, version: int) -> None:
    """Refuse a change based on a version other than the current one."""
    if record.version != version:
        raise Conflict(
            f"{record.record_type.replace('_', ' ').capitalize()} {record.id} has changed since "
            f"you read it (you sent version {version}, it is now at version {record.version}); "
            "read it again and reapply your change",
            current_version=record.version,
        )


def apply_changes(
    session: Session,
    record: R,
    changes: Mapping[str, Any],
    *,
    version: int,
    actor: Actor,
    extra_changes: Mapping[str, list[Any]] | None = None,
) -> R:
    """Set ``changes`` on ``record`` if ``version`` is current; log what changed.

    ``extra_changes`` lets a service log changes to children (attendance, links)
    that are not columns of the record itself.
    """
    check_version(record, version)
    before = audit.snapshot(record)
    for key, value in changes.items():
        setattr(record, key, value)
    logged = audit.diff(before, audit.snapshot(record)) | dict(extra_changes or {})
    if not logged:
        return record
    # Set even when only children changed, so the row's version moves on for other editors.
    record.updated_at = utcnow()
    flush(session, record)
    audit.record(
        session,
        actor=actor,
        action="update",
        record_type=record.record_type,
        record_id=record.id,
        changes=logged,
    )
    return record


def flush(session: Session, record: Record) -> None:
    """Flush, turning a concurrent writer's version bump into a ``Conflict``."""
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            f"{record.record_type.replace('_', ' ').capitalize()} {record.id} was changed by "
            "someone else at the same time; read it again and reapply your change"
        ) from error


def soft_delete(session: Session, record: R, *, actor: Actor, version: int | None = None) -> R:
    """Mark the record deleted; it can be restored."""
    if version is not None:
        check_version(record, version)
    if record.is_deleted:
        return record
    record.deleted_at = utcnow()
    flush(session, record)
    audit.record(
        session,
        actor=actor,
        action="delete",
        record_type=record.record_type,
        record_id=record.id,
        changes={"deleted_at": [None, audit.to_json(record.deleted_at)]},
    )
    return record


def restore(session: Session, record: R, *, actor: Actor) -> R:
    """Undo a soft delete."""
    if not record.is_deleted:
        return record
    before = audit.to_json(record.deleted_at)
    record.deleted_at = None
    flush(session, record)
    audit.record(
        session,
        actor=actor,
        action="restore",
        record_type=record.record_type,
        record_id=record.id,
        changes={"deleted_at": [before, None]},
    )
    return record


def merged(record: Record, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The record's column values with ``changes`` applied: what an update would leave."""
    state = {column.key: getattr(record, column.key) for column in record.__mapper__.column_attrs}
    return state | dict(changes)
