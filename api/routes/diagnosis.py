"""Where a collaboration stands in the Ansell & Gash cycle: its diagnosis and the quarterly
series, derived from its records (docs/diagnosis.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.config import Settings
from governance.diagnosis import service as diagnosis_service
from governance.diagnosis.schemas import DiagnosisRead, SeriesRead
from governance.diagnosis.thresholds import (
    DEFAULT_WINDOW_DAYS,
    MAX_WINDOW_DAYS,
    MIN_WINDOW_DAYS,
    Thresholds,
)

router = APIRouter(prefix="/collaborations", tags=["diagnosis"])

AsOf = Annotated[
    dt.date | None,
    Query(
        description="The date to diagnose as of (YYYY-MM-DD, 1900-01-01 to 2199-12-31); "
        "today when left out"
    ),
]
RESPONSES: dict[int | str, dict[str, Any]] = {404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]}


def _thresholds(request: Request) -> Thresholds:
    """The deployment's thresholds (COLLABGOV_DIAGNOSIS_THRESHOLDS over the defaults)."""
    settings: Settings = request.app.state.settings
    return Thresholds.with_overrides(settings.diagnosis_thresholds)


@router.get(
    "/{record_id}/diagnosis",
    response_model=DiagnosisRead,
    summary="Diagnose a collaboration: phase, bottleneck, cycles, life cycle, indicators, warnings",
    description=(
        "Sentences (reasons, warning messages) are in English, each beside its message id "
        "and typed parameters (`message_id` and `message_params`, `reason_id` and "
        "`reason_params`…), which the Indonesian catalog translates; see docs/diagnosis.md, "
        "Languages."
    ),
    operation_id="get_collaboration_diagnosis",
    responses=RESPONSES,
)
def get_diagnosis(
    request: Request,
    session: SessionDep,
    record_id: RecordId,
    as_of: AsOf = None,
    window_days: Annotated[
        int,
        Query(
            ge=MIN_WINDOW_DAYS,
            le=MAX_WINDOW_DAYS,
            description="Days the indicators look back over, ending on as_of",
        ),
    ] = DEFAULT_WINDOW_DAYS,
) -> DiagnosisRead:
    return diagnosis_service.get_diagnosis(
        session,
        collaboration_id=record_id,
        as_of=as_of or diagnosis_service.today(),
        window_days=window_days,
        thresholds=_thresholds(request),
    )


@router.get(
    "/{record_id}/diagnosis/series",
    response_model=SeriesRead,
    summary="The diagnosis per calendar quarter, from the collaboration's start to as_of",
    operation_id="get_collaboration_diagnosis_series",
    responses=RESPONSES,
)
def get_series(
    request: Request, session: SessionDep, record_id: RecordId, as_of: AsOf = None
) -> SeriesRead:
    return diagnosis_service.get_series(
        session,
        collaboration_id=record_id,
        as_of=as_of or diagnosis_service.today(),
        thresholds=_thresholds(request),
    )
