from __future__ import annotations

from api.auth import Access
from api.crud import RecordRoutes
from governance.evidence import schemas
from governance.evidence import service as evidence_service

#: Researchers write assessments and evidence too (their coding of the case).
ACCESS = Access.RESEARCH

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
