"""Agreement between the researchers who coded a collaboration (weighted kappa, alpha)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.assessments import service as assessment_service
from governance.assessments.schemas import AgreementReportRead
from governance.collaborations import service as collaboration_service

router = APIRouter(prefix="/collaborations", tags=["assessments"])


@router.get(
    "/{record_id}/assessments/agreement",
    response_model=AgreementReportRead,
    summary="Agreement between the coders of a collaboration's assessments",
    description=(
        "A unit is one variable for one period. Quadratic-weighted Cohen's kappa is the "
        "headline figure when exactly two coders scored, Krippendorff's ordinal alpha "
        "otherwise; both kappas and three alphas are always listed, each null with a "
        "reason when it cannot be computed. Scores two or more points apart are listed "
        "as disagreements to discuss."
    ),
    operation_id="get_assessment_agreement",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def get_agreement(session: SessionDep, record_id: RecordId) -> AgreementReportRead:
    collaboration = collaboration_service.get(session, record_id)
    return assessment_service.agreement(session, collaboration=collaboration)
