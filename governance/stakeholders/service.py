"""The stakeholder registry: create, edit, search, delete and restore stakeholders."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
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

#: The fields of a stakeholder's read shape that are its own attributes.
_STAKEHOLDER_FIELDS = read_rows.fields(StakeholderRead, besides={"resources", "contact"})
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
        return _matches(session, statement, query=query)
    return records.paginate(
        session, statement, limit=query.limit, offset=query.offset, order_by=_ORDER
    )


def _matches(
    session: Session, statement: Select[Any], *, query: StakeholderQuery
) -> Page[Stakeholder]:
    """A text search's page and count, from the ids of all its matches.

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
    page_ids = found[query.offset : query.offset + query.limit].tolist()
    items: list[Stakeholder] = []
    if page_ids:
        page = select(Stakeholder).where(Stakeholder.id.in_(page_ids)).order_by(*_ORDER)
        items = list(session.scalars(page))
    return Page(items=items, total=len(found), limit=query.limit, offset=query.offset)


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
