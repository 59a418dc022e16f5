"""Declared ties between stakeholders: typed, directed, dated, with evidence."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.records import Page
from governance.relationships.models import Relationship
from governance.relationships.schemas import (
    RelationshipCreate,
    RelationshipPatch,
    RelationshipQuery,
    RelationshipRead,
)
from governance.schemas import ensure_order
from governance.stakeholders.models import Stakeholder
from governance.vocab import RELATIONSHIP_LABELS

SELF_TIE = "a stakeholder cannot be related to itself"


def get(session: Session, relationship_id: int, *, include_deleted: bool = False) -> Relationship:
    """The relationship with this id."""
    return records.get(session, Relationship, relationship_id, include_deleted=include_deleted)


def search(session: Session, *, query: RelationshipQuery) -> Page[Relationship]:
    """Relationships matching the query's filters, by source, then target."""
    statement = records.base_query(Relationship, include_deleted=query.include_deleted)
    if query.stakeholder_id is not None:
        statement = statement.where(
            or_(
                Relationship.source_id == query.stakeholder_id,
                Relationship.target_id == query.stakeholder_id,
            )
        )
    if query.source_id is not None:
        statement = statement.where(Relationship.source_id == query.source_id)
    if query.target_id is not None:
        statement = statement.where(Relationship.target_id == query.target_id)
    if query.type is not None:
        statement = statement.where(Relationship.type == query.type)
    if query.active_on is not None:
        statement = statement.where(
            or_(Relationship.started_on.is_(None), Relationship.started_on <= query.active_on),
            or_(Relationship.ended_on.is_(None), Relationship.ended_on >= query.active_on),
        )
    if query.q and query.q.strip():
        statement = statement.where(records.text_filter([Relationship.note], query.q))
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(Relationship.source_id, Relationship.target_id, Relationship.id),
    )


def create(session: Session, *, data: RelationshipCreate, actor: Actor) -> Relationship:
    """Declare a tie between two stakeholders."""
    fields = data.model_dump(exclude={"evidence_ids"})
    _check(session, fields, changed=fields.keys())
    evidence = evidence_service.require_evidence(session, data.evidence_ids)
    return evidence_service.add_with_evidence(
        session, Relationship(**fields), evidence=evidence, actor=actor
    )


def update(
    session: Session, *, record: Relationship, data: RelationshipPatch, actor: Actor
) -> Relationship:
    """Change a relationship's fields or evidence, refusing a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    evidence_ids: list[int] | None = changes.pop("evidence_ids", None)
    _check(session, records.merged(record, changes), changed=changes.keys())
    return evidence_service.apply_with_evidence(
        session, record, changes, evidence_ids=evidence_ids, version=data.version, actor=actor
    )


def present(session: Session, relationships: Sequence[Relationship]) -> list[RelationshipRead]:
    """The read shape of a page of relationships: labels both ways, evidence in one query."""
    evidence = evidence_service.ids_by_record(
        session, "relationship_id", [item.id for item in relationships]
    )
    shaped = []
    for item in relationships:
        labels = RELATIONSHIP_LABELS[item.type]
        extra = {
            "label": labels.forward,
            "reverse_label": labels.reverse,
            "symmetric": labels.symmetric,
            "evidence_ids": evidence.get(item.id, []),
        }
        shaped.append(RelationshipRead.model_validate(records.merged(item, extra)))
    return shaped


def _check(session: Session, state: dict[str, Any], *, changed: Collection[str]) -> None:
    """Refuse a tie to oneself, a missing or deleted end, or an end before the start."""
    if state["source_id"] == state["target_id"]:
        raise Invalid.field("target_id", SELF_TIE)
    for field in ("source_id", "target_id"):
        if field in changed:
            records.require_live(session, Stakeholder, state[field], field=field)
    errors = ensure_order(
        state["started_on"], state["ended_on"], end_field="ended_on", start_field="started_on"
    )
    if errors:
        raise Invalid(errors)
