from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from api.auth import principal_of
from api.crud import RecordRoutes
from governance.stakeholders import schemas
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder


def present(session: Session, items: Sequence[Stakeholder]) -> list[schemas.StakeholderRead]:
    """Stakeholders as the asker may see them: contact details only for admins and the
    secretariat (they are personal data of residents' representatives)."""
    shown = [schemas.StakeholderRead.model_validate(item) for item in items]
    if principal_of(session).sees_contact_details:
        return shown
    return [item.model_copy(update={"contact": None}) for item in shown]


resource = RecordRoutes(
    path="stakeholders",
    label="stakeholder",
    service=stakeholder_service,
    read=schemas.StakeholderRead,
    create=schemas.StakeholderCreate,
    patch=schemas.StakeholderPatch,
    query=schemas.StakeholderQuery,
    present=present,
)
router = resource.router()
