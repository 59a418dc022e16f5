from __future__ import annotations

from api.crud import RecordRoutes
from governance.evidence import schemas
from governance.evidence import service as evidence_service

resource = RecordRoutes(
    path="evidence",
    label="evidence",
    service=evidence_service,
    read=schemas.EvidenceRead,
    create=schemas.EvidenceCreate,
    patch=schemas.EvidencePatch,
    query=schemas.EvidenceQuery,
)
router = resource.router()
