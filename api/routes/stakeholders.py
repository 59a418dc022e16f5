from __future__ import annotations

from api.crud import RecordRoutes
from governance.stakeholders import schemas
from governance.stakeholders import service as stakeholder_service

resource = RecordRoutes(
    path="stakeholders",
    label="stakeholder",
    service=stakeholder_service,
    read=schemas.StakeholderRead,
    create=schemas.StakeholderCreate,
    patch=schemas.StakeholderPatch,
    query=schemas.StakeholderQuery,
)
router = resource.router()
