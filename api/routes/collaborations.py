from __future__ import annotations

from api.crud import RecordRoutes
from governance.collaborations import schemas
from governance.collaborations import service as collaboration_service

resource = RecordRoutes(
    path="collaborations",
    label="collaboration",
    service=collaboration_service,
    read=schemas.CollaborationRead,
    create=schemas.CollaborationCreate,
    patch=schemas.CollaborationPatch,
    query=schemas.CollaborationQuery,
)
router = resource.router()
