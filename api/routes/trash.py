"""The trash, read-only: every soft-deleted record, newest deletion first.

A record comes back through its own resource (``POST /api/v1/<records>/{id}/restore``).
Only stewards of the data (admins and the secretariat) see the trash.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.auth import Access
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from governance import trash
from governance.record_types import TRASH_TYPES
from governance.records import DEFAULT_LIMIT, MAX_LIMIT
from governance.schemas import Input, PageOut

ACCESS = Access.STEWARDS

router = APIRouter(prefix="/trash", tags=["trash"])


class TrashQuery(Input):
    record_type: str | None = Field(
        None, max_length=50, description="Only this type: " + ", ".join(TRASH_TYPES)
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class TrashItemRead(BaseModel):
    record_type: str
    record_id: int
    title: str
    deleted_at: dt.datetime
    deleted_by: str = Field(description="Who deleted it, from the audit log")
    deleted_by_id: int | None


@router.get(
    "",
    response_model=PageOut[TrashItemRead],
    summary="List deleted records, newest deletion first",
    operation_id="list_trash",
    responses={422: ERROR_RESPONSES[422]},
)
def list_trash(
    session: SessionDep, query: Annotated[TrashQuery, Query()]
) -> PageOut[TrashItemRead]:
    page = trash.search(
        session, record_type=query.record_type, limit=query.limit, offset=query.offset
    )
    return PageOut[TrashItemRead](
        items=[TrashItemRead.model_validate(item, from_attributes=True) for item in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )
