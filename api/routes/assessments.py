from __future__ import annotations

from api.crud import RecordRoutes
from governance.assessments import schemas
from governance.assessments import service as assessment_service

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
