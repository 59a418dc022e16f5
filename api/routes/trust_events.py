from __future__ import annotations

from api.crud import RecordRoutes
from governance.trust import schemas
from governance.trust import service as trust_service

resource = RecordRoutes(
    path="trust-events",
    label="trust event",
    service=trust_service,
    read=schemas.TrustEventRead,
    create=schemas.TrustEventCreate,
    patch=schemas.TrustEventPatch,
    query=schemas.TrustEventQuery,
    present=trust_service.present,
)
router = resource.router()
