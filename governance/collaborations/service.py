"""Collaborations (the cases): create, edit, search, delete and restore them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.collaborations.models import Collaboration
from governance.collaborations.schemas import (
    CollaborationCreate,
    CollaborationPatch,
    CollaborationQuery,
)
from governance.errors import Invalid
from governance.records import Page
from governance.schemas import ensure_order


def get(session: Session, collaboration_id: int, *, include_deleted: bool = False) -> Collaboration:
    """The collaboration with this id."""
    return records.get(session, Collaboration, collaboration_id, include_deleted=include_deleted)


def search(session: Session, *, query: CollaborationQuery) -> Page[Collaboration]:
    """Collaborations matching the query's filters, by name."""
    statement = records.base_query(Collaboration, include_deleted=query.include_deleted)
    if query.status is not None:
        statement = statement.where(Collaboration.status == query.status)
    if query.started_from is not None:
        statement = statement.where(Collaboration.started_on >= query.started_from)
    if query.started_to is not None:
        statement = statement.where(Collaboration.started_on <= query.started_to)
    if query.q:
        statement = statement.where(records.text_filter([Collaboration.name], query.q))
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(Collaboration.name, Collaboration.id),
    )


def create(session: Session, *, data: CollaborationCreate, actor: Actor) -> Collaboration:
    """Open a collaboration."""
    fields = data.model_dump()
    _check_dates(fields)
    return records.add(session, Collaboration(**fields), actor=actor)


def update(
    session: Session, *, record: Collaboration, data: CollaborationPatch, actor: Actor
) -> Collaboration:
    """Change a collaboration's fields, refusing a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    _check_dates(records.merged(record, changes))
    return records.apply_changes(session, record, changes, version=data.version, actor=actor)


def _check_dates(state: dict[str, Any]) -> None:
    errors = ensure_order(
        state["started_on"], state["ended_on"], end_field="ended_on", start_field="started_on"
    )
    if errors:
        raise Invalid(errors)
