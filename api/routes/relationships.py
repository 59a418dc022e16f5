from __future__ import annotations

from api.crud import RecordRoutes
from governance.relationships import schemas
from governance.relationships import service as relationship_service

resource = RecordRoutes(
    path="relationships",
    label="relationship",
    service=relationship_service,
    read=schemas.RelationshipRead,
    create=schemas.RelationshipCreate,
    patch=schemas.RelationshipPatch,
    query=schemas.RelationshipQuery,
    present=relationship_service.present,
)
router = resource.router()
