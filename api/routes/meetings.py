from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from api.crud import RecordRoutes
from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance import records
from governance.meetings import schemas
from governance.meetings import service as meeting_service
from governance.schemas import Version

resource = RecordRoutes(
    path="meetings",
    label="meeting",
    service=meeting_service,
    read=schemas.MeetingRead,
    create=schemas.MeetingCreate,
    patch=schemas.MeetingPatch,
    query=schemas.MeetingQuery,
    present=meeting_service.present,
    rows=meeting_service.rows,
    list_rows=lambda session, query: meeting_service.search_rows(session, query=query),
)
router = resource.router()

_DECISION = "/{record_id}/decisions/{decision_id}"


@router.put(
    "/{record_id}/attendance",
    response_model=schemas.MeetingRead,
    summary="Replace a meeting's attendance list (send the meeting's version)",
    operation_id="replace_meeting_attendance",
    responses=ERROR_RESPONSES,
)
def replace_attendance(
    session: SessionDep, actor: ActorDep, record_id: RecordId, data: schemas.AttendanceReplace
) -> schemas.MeetingRead:
    meeting = meeting_service.get(session, record_id)
    meeting_service.replace_attendance(session, meeting=meeting, data=data, actor=actor)
    session.commit()
    return meeting_service.present(session, [meeting])[0]


@router.post(
    "/{record_id}/decisions",
    response_model=schemas.MeetingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a decision to a meeting; answers the meeting",
    operation_id="add_meeting_decision",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def add_decision(
    session: SessionDep, actor: ActorDep, record_id: RecordId, data: schemas.DecisionCreate
) -> schemas.MeetingRead:
    meeting = meeting_service.get(session, record_id)
    meeting_service.add_decision(session, meeting=meeting, data=data, actor=actor)
    session.commit()
    return meeting_service.present(session, [meeting])[0]


@router.patch(
    _DECISION,
    response_model=schemas.MeetingRead,
    summary="Change a decision (send the decision's version); answers the meeting",
    operation_id="update_meeting_decision",
    responses=ERROR_RESPONSES,
)
def update_decision(
    session: SessionDep,
    actor: ActorDep,
    record_id: RecordId,
    decision_id: RecordId,
    data: schemas.DecisionPatch,
) -> schemas.MeetingRead:
    meeting = meeting_service.get(session, record_id)
    decision = meeting_service.get_decision(session, meeting=meeting, decision_id=decision_id)
    meeting_service.update_decision(session, decision=decision, data=data, actor=actor)
    session.commit()
    return meeting_service.present(session, [meeting])[0]


@router.delete(
    _DECISION,
    response_model=schemas.MeetingRead,
    summary="Delete a decision (soft: it can be restored); answers the meeting",
    operation_id="delete_meeting_decision",
    responses=ERROR_RESPONSES,
)
def delete_decision(
    session: SessionDep,
    actor: ActorDep,
    record_id: RecordId,
    decision_id: RecordId,
    version: Annotated[Version | None, Query(description="Refuse if changed since")] = None,
) -> schemas.MeetingRead:
    meeting = meeting_service.get(session, record_id)
    decision = meeting_service.get_decision(session, meeting=meeting, decision_id=decision_id)
    records.soft_delete(session, decision, actor=actor, version=version)
    session.commit()
    return meeting_service.present(session, [meeting])[0]


@router.post(
    f"{_DECISION}/restore",
    response_model=schemas.MeetingRead,
    summary="Restore a deleted decision; answers the meeting",
    operation_id="restore_meeting_decision",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def restore_decision(
    session: SessionDep, actor: ActorDep, record_id: RecordId, decision_id: RecordId
) -> schemas.MeetingRead:
    meeting = meeting_service.get(session, record_id)
    decision = meeting_service.get_decision(
        session, meeting=meeting, decision_id=decision_id, include_deleted=True
    )
    records.restore(session, decision, actor=actor)
    session.commit()
    return meeting_service.present(session, [meeting])[0]
