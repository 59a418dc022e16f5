from __future__ import annotations

from fastapi import Response

from api.crud import RecordRoutes
from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.commitments import schemas
from governance.commitments import service as commitment_service

resource = RecordRoutes(
    path="commitments",
    label="commitment",
    service=commitment_service,
    read=schemas.CommitmentRead,
    create=schemas.CommitmentCreate,
    patch=schemas.CommitmentPatch,
    query=schemas.CommitmentQuery,
    present=commitment_service.present,
    rows=commitment_service.rows,
    list_rows=lambda session, query: commitment_service.search_rows(session, query=query),
)
router = resource.router()


@router.post(
    "/{record_id}/status",
    response_model=schemas.CommitmentRead,
    summary="Move a commitment to its next status (kept in its history)",
    operation_id="change_commitment_status",
    responses=ERROR_RESPONSES,
)
def change_status(
    session: SessionDep, actor: ActorDep, record_id: RecordId, data: schemas.StatusChangeCreate
) -> Response:
    commitment = commitment_service.get(session, record_id)
    commitment = commitment_service.change_status(
        session, record=commitment, data=data, actor=actor
    )
    session.commit()
    return resource.written(session, commitment)
