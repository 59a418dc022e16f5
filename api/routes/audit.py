"""The audit log, read-only: who changed which record, when, and from what to what.

Only stewards of the data (admins and the secretariat) read it. There is no route to
change or remove an entry: the log is append-only, written by the services alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.auth import Access
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from governance.audit import queries as audit_queries
from governance.audit.queries import AuditEntryRead, AuditQuery
from governance.schemas import PageOut

ACCESS = Access.STEWARDS

router = APIRouter(prefix="/audit", tags=["audit"])

EntryId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The entry's id")]


@router.get(
    "",
    response_model=PageOut[AuditEntryRead],
    summary="List audit entries, newest first",
    operation_id="list_audit_entries",
    responses={422: ERROR_RESPONSES[422]},
)
def list_entries(
    session: SessionDep, query: Annotated[AuditQuery, Query()]
) -> PageOut[AuditEntryRead]:
    """Entries by record (``record_type`` + ``record_id``), by user (``user_id`` or
    ``actor``), by ``action`` and by time (``since``/``until``: an instant with its time
    zone, or a day in UTC, both ends included)."""
    page = audit_queries.search(session, query=query)
    return PageOut[AuditEntryRead](
        items=[AuditEntryRead.of(entry) for entry in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/{entry_id}",
    response_model=AuditEntryRead,
    summary="Get an audit entry",
    operation_id="get_audit_entry",
    responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
def get_entry(session: SessionDep, entry_id: EntryId) -> AuditEntryRead:
    return AuditEntryRead.of(audit_queries.get(session, entry_id))
