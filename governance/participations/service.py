"""Who takes part in a collaboration, in which role, with which incentives and constraints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.participations.models import Participation
from governance.participations.schemas import (
    ParticipationCreate,
    ParticipationPatch,
    ParticipationQuery,
)
from governance.records import Page
from governance.schemas import ensure_order
from governance.stakeholders.models import Stakeholder


def get(session: Session, participation_id: int, *, include_deleted: bool = False) -> Participation:
    """The participation with this id."""
    return records.get(session, Participation, participation_id, include_deleted=include_deleted)


def search(session: Session, *, query: ParticipationQuery) -> Page[Participation]:
    """Participations matching the query's filters, by collaboration."""
    statement = records.base_query(Participation, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Participation.collaboration_id == query.collaboration_id)
    if query.stakeholder_id is not None:
        statement = statement.where(Participation.stakeholder_id == query.stakeholder_id)
    if query.role is not None:
        statement = statement.where(Participation.role == query.role)
    if query.q:
        named = select(Stakeholder.id).where(
            Stakeholder.search_key.contains(records.fold(query.q.strip()), autoescape=True)
        )
        statement = statement.where(Participation.stakeholder_id.in_(named))
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(Participation.collaboration_id, Participation.id),
    )


def create(session: Session, *, data: ParticipationCreate, actor: Actor) -> Participation:
    """Add a stakeholder to a collaboration, at most once while the participation is live."""
    fields = data.model_dump()
    errors: dict[str, str] = {}
    for field, model in (("collaboration_id", Collaboration), ("stakeholder_id", Stakeholder)):
        errors |= records.live_errors(session, model, fields[field], field=field)
    errors |= _date_order(fields)
    if errors:
        raise Invalid(errors)
    _check_single(
        session, collaboration_id=data.collaboration_id, stakeholder_id=data.stakeholder_id
    )
    return records.add(session, Participation(**fields), actor=actor)


def update(
    session: Session, *, record: Participation, data: ParticipationPatch, actor: Actor
) -> Participation:
    """Change a participation's role, dates or notes, refusing a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    errors = _date_order(records.merged(record, changes))
    if errors:
        raise Invalid(errors)
    return records.apply_changes(session, record, changes, version=data.version, actor=actor)


def restore(session: Session, *, record: Participation, actor: Actor) -> Participation:
    """Undo a soft delete, unless the stakeholder has joined the collaboration again since."""
    if record.is_deleted:
        _check_single(
            session,
            collaboration_id=record.collaboration_id,
            stakeholder_id=record.stakeholder_id,
        )
    return records.restore(session, record, actor=actor)


def _check_single(session: Session, *, collaboration_id: int, stakeholder_id: int) -> None:
    """Refuse a second live participation of one stakeholder in one collaboration."""
    existing = session.scalar(
        select(Participation.id)
        .where(
            Participation.collaboration_id == collaboration_id,
            Participation.stakeholder_id == stakeholder_id,
            Participation.deleted_at.is_(None),
        )
        .limit(1)
    )
    if existing is not None:
        raise Invalid.field(
            "stakeholder_id",
            f"stakeholder {stakeholder_id} already participates in collaboration "
            f"{collaboration_id} (participation {existing})",
        )


def _date_order(state: dict[str, Any]) -> dict[str, str]:
    return ensure_order(
        state["joined_on"], state["left_on"], end_field="left_on", start_field="joined_on"
    )
