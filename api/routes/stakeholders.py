from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from api.auth import principal_of
from api.crud import RecordRoutes
from governance.records import Page
from governance.stakeholders import schemas
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder


def rows(session: Session, items: Sequence[Stakeholder]) -> list[dict[str, Any]]:
    """Stakeholders as the asker may see them: contact details only for admins and the
    secretariat (they are personal data of residents' representatives)."""
    with_contact = principal_of(session).sees_contact_details
    return stakeholder_service.rows(items, with_contact=with_contact)


def search_rows(session: Session, query: schemas.StakeholderQuery) -> Page[dict[str, Any]]:
    """A list's page as plain rows, contact details as :func:`rows` shows them."""
    with_contact = principal_of(session).sees_contact_details
    return stakeholder_service.search_rows(session, query=query, with_contact=with_contact)


def present(session: Session, items: Sequence[Stakeholder]) -> list[schemas.StakeholderRead]:
    """:func:`rows` as read models, for the routes that write."""
    return [schemas.StakeholderRead.model_validate(row) for row in rows(session, items)]


resource = RecordRoutes(
    path="stakeholders",
    label="stakeholder",
    service=stakeholder_service,
    read=schemas.StakeholderRead,
    create=schemas.StakeholderCreate,
    patch=schemas.StakeholderPatch,
    query=schemas.StakeholderQuery,
    present=present,
    rows=rows,
    list_rows=search_rows,
)
router = resource.router()
