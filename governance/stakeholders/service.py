"""The stakeholder registry: create, edit, search, delete and restore stakeholders."""

from __future__ import annotations

import functools
from array import array
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from governance import read_rows, records
from governance.audit.service import Actor
from governance.participations.models import Participation
from governance.records import Page
from governance.revision import RevisionCache
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.schemas import (
    Contact,
    ResourceProfile,
    StakeholderCreate,
    StakeholderPatch,
    StakeholderQuery,
    StakeholderRead,
)
from governance.vocab import Sector

#: The fields of a stakeholder's read shape that are its own attributes.
_STAKEHOLDER_FIELDS = read_rows.fields(StakeholderRead, besides={"resources", "contact"})
#: The columns of a stakeholder's read shape, its profiles as stored (enums as their
#: codes); ``is_state`` comes of the sector, so the sector stands in its place.
_STORED_FIELDS = (*_STAKEHOLDER_FIELDS, "resources", "contact")
_COLUMNS = read_rows.columns(
    Stakeholder, ["sector" if name == "is_state" else name for name in _STORED_FIELDS]
)
#: The order stakeholders are listed in: by name; the id makes it total.
_ORDER = (Stakeholder.name, Stakeholder.id)
#: The ids of the stakeholders each text search finds, in order, per data revision
#: (packed: 8 bytes an id).
_MATCHES: RevisionCache[tuple[Any, ...], array[int]] = RevisionCache(size=64)


def get(session: Session, stakeholder_id: int, *, include_deleted: bool = False) -> Stakeholder:
    """The stakeholder with this id."""
    return records.get(session, Stakeholder, stakeholder_id, include_deleted=include_deleted)


def search(session: Session, *, query: StakeholderQuery) -> Page[Stakeholder]:
    """Stakeholders matching the query's filters, by name."""
    statement = _filtered(query)
    if query.q:
        page_ids, total = _matches(session, statement, query=query)
        items: list[Stakeholder] = []
        if page_ids:
            page = select(Stakeholder).where(Stakeholder.id.in_(page_ids)).order_by(*_ORDER)
            items = list(session.scalars(page))
        return Page(items=items, total=total, limit=query.limit, offset=query.offset)
    return records.paginate(
        session, statement, limit=query.limit, offset=query.offset, order_by=_ORDER
    )


def search_rows(
    session: Session, *, query: StakeholderQuery, with_contact: bool
) -> Page[dict[str, Any]]:
    """:func:`search`'s page as plain rows of the read shape (see :func:`rows`), read
    as columns: loading 50 stakeholders as entities cost more than the query."""
    if query.q:
        page_ids, total = _matches(session, _filtered(query), query=query)
        page = select(*_COLUMNS).where(Stakeholder.id.in_(page_ids)).order_by(*_ORDER)
        found = read_rows.fetch(session, page) if page_ids else []
    else:
        count, page = _statements(tuple(query.model_dump(exclude={"limit", "offset"}).items()))
        total = session.scalar(count) or 0
        found = read_rows.fetch(session, page, limit=query.limit, offset=query.offset)
    items = read_rows.rows_of(_STORED_FIELDS, found)
    for row in items:
        row["is_state"] = Sector(row["is_state"]).is_state
        row["resources"] = read_rows.profile_row(ResourceProfile, row["resources"])
        row["contact"] = read_rows.profile_row(Contact, row["contact"]) if with_contact else None
    return Page(items=items, total=total, limit=query.limit, offset=query.offset)


@functools.lru_cache(maxsize=128)
def _statements(filters: tuple[tuple[str, Any], ...]) -> tuple[Select[Any], Select[Any]]:
    """The count and the page as columns of the read shape (``limit`` and ``offset``
    bound when run) of a list's filters, built once for each set of filters."""
    statement = _filtered(StakeholderQuery.model_construct(**dict(filters)))
    count = select(func.count()).select_from(statement.subquery())
    page = (
        statement.with_only_columns(*_COLUMNS)
        .order_by(*_ORDER)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


def _filtered(query: StakeholderQuery) -> Select[Stakeholder]:
    """The stakeholders matching the query's filters."""
    statement = records.base_query(Stakeholder, include_deleted=query.include_deleted)
    if query.kind is not None:
        statement = statement.where(Stakeholder.kind == query.kind)
    if query.sector is not None:
        statement = statement.where(Stakeholder.sector == query.sector)
    if query.collaboration_id is not None:
        participating = select(Participation.stakeholder_id).where(
            Participation.collaboration_id == query.collaboration_id,
            Participation.deleted_at.is_(None),
        )
        statement = statement.where(Stakeholder.id.in_(participating))
    if query.q:
        statement = statement.where(
            Stakeholder.search_key.contains(records.fold(query.q.strip()), autoescape=True)
        )
    return statement


def _matches(
    session: Session, statement: Select[Any], *, query: StakeholderQuery
) -> tuple[list[int], int]:
    """A text search's page (the ids) and count, from the ids of all its matches.

    Matching the text against every stakeholder's search key is most of a search's
    cost, and a count and a page apart would match every key twice. The ids of all
    matches are read in one pass, in order, from the index on (deleted, name, id,
    search key) alone, and kept until the next write: their number is the count, and
    only the page's rows are read, by id.
    """
    filters = query.model_dump(exclude={"limit", "offset"})
    found = _MATCHES.get_or_compute(
        session,
        tuple(filters.items()),
        lambda: array(
            "q", session.scalars(statement.with_only_columns(Stakeholder.id).order_by(*_ORDER))
        ),
    )
    return found[query.offset : query.offset + query.limit].tolist(), len(found)


def create(session: Session, *, data: StakeholderCreate, actor: Actor) -> Stakeholder:
    """Register a stakeholder."""
    fields = _columns(data.model_dump())
    stakeholder = Stakeholder(**fields, search_key=search_key(fields["name"], fields["aliases"]))
    return records.add(session, stakeholder, actor=actor)


def update(
    session: Session, *, record: Stakeholder, data: StakeholderPatch, actor: Actor
) -> Stakeholder:
    """Change a stakeholder's fields, refusing a stale version."""
    changes = _columns(data.changes())
    if "name" in changes or "aliases" in changes:
        state = records.merged(record, changes)
        changes["search_key"] = search_key(state["name"], state["aliases"])
    return records.apply_changes(session, record, changes, version=data.version, actor=actor)


def rows(stakeholders: Sequence[Stakeholder], *, with_contact: bool) -> list[dict[str, Any]]:
    """Stakeholders in their read shape as plain rows, ready for JSON (see
    :mod:`governance.read_rows`); ``contact`` is None unless ``with_contact``."""
    found = []
    for stakeholder in stakeholders:
        row = read_rows.record_row(stakeholder, _STAKEHOLDER_FIELDS)
        row["resources"] = read_rows.profile_row(ResourceProfile, stakeholder.resources)
        row["contact"] = (
            read_rows.profile_row(Contact, stakeholder.contact) if with_contact else None
        )
        found.append(row)
    return found


def search_key(name: str, aliases: list[str]) -> str:
    """What a text search matches: the folded name and aliases, one per line."""
    return "\n".join(records.fold(text) for text in [name, *aliases])


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Nested profiles are kept as JSON: store only the keys that have a value."""
    for key in ("resources", "contact"):
        if key in values:
            values[key] = {k: v for k, v in values[key].items() if v not in (None, "")}
    return values
