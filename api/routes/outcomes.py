from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from api.crud import RecordRoutes
from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance import records
from governance.outcomes import schemas
from governance.outcomes import service as outcome_service
from governance.schemas import Version

resource = RecordRoutes(
    path="outcomes",
    label="outcome",
    service=outcome_service,
    read=schemas.OutcomeRead,
    create=schemas.OutcomeCreate,
    patch=schemas.OutcomePatch,
    query=schemas.OutcomeQuery,
    present=outcome_service.present,
)
router = resource.router()

MEASUREMENT = "/{record_id}/measurements/{measurement_id}"


@router.post(
    "/{record_id}/measurements",
    response_model=schemas.OutcomeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a measurement; answers the outcome with its progress",
    operation_id="add_outcome_measurement",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def add_measurement(
    session: SessionDep, actor: ActorDep, record_id: RecordId, data: schemas.MeasurementCreate
) -> schemas.OutcomeRead:
    outcome = outcome_service.get(session, record_id)
    outcome_service.add_measurement(session, outcome=outcome, data=data, actor=actor)
    session.commit()
    return outcome_service.present(session, [outcome])[0]


@router.patch(
    MEASUREMENT,
    response_model=schemas.OutcomeRead,
    summary="Correct a measurement (send the version you read)",
    operation_id="update_outcome_measurement",
    responses=ERROR_RESPONSES,
)
def update_measurement(
    session: SessionDep,
    actor: ActorDep,
    record_id: RecordId,
    measurement_id: RecordId,
    data: schemas.MeasurementPatch,
) -> schemas.OutcomeRead:
    outcome = outcome_service.get(session, record_id)
    measurement = outcome_service.get_measurement(
        session, outcome=outcome, measurement_id=measurement_id
    )
    outcome_service.update_measurement(session, measurement=measurement, data=data, actor=actor)
    session.commit()
    return outcome_service.present(session, [outcome])[0]


@router.delete(
    MEASUREMENT,
    response_model=schemas.OutcomeRead,
    summary="Delete a measurement (soft: it no longer counts)",
    operation_id="delete_outcome_measurement",
    responses=ERROR_RESPONSES,
)
def delete_measurement(
    session: SessionDep,
    actor: ActorDep,
    record_id: RecordId,
    measurement_id: RecordId,
    version: Annotated[Version | None, Query(description="Refuse if changed since")] = None,
) -> schemas.OutcomeRead:
    outcome = outcome_service.get(session, record_id)
    measurement = outcome_service.get_measurement(
        session, outcome=outcome, measurement_id=measurement_id
    )
    records.soft_delete(session, measurement, actor=actor, version=version)
    session.commit()
    return outcome_service.present(session, [outcome])[0]
