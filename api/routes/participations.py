from __future__ import annotations

from api.crud import RecordRoutes
from governance.participations import schemas
from governance.participations import service as participation_service

resource = RecordRoutes(
    path="participations",
    label="participation",
    service=participation_service,
    read=schemas.ParticipationRead,
    create=schemas.ParticipationCreate,
    patch=schemas.ParticipationPatch,
    query=schemas.ParticipationQuery,
)
router = resource.router()
