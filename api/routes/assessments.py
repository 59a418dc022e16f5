from __future__ import annotations

from api.auth import Access
from api.crud import RecordRoutes
from governance.assessments import schemas
from governance.assessments import service as assessment_service

#: Researchers write assessments and evidence too (their coding of the case).
ACCESS = Access.RESEARCH

resource = RecordRoutes(
    path="assessments",
    label="assessment",
    service=assessment_service,
    read=schemas.AssessmentRead,
    create=schemas.AssessmentCreate,
    patch=schemas.AssessmentPatch,
    query=schemas.AssessmentQuery,
    present=assessment_service.present,
)
router = resource.router()
