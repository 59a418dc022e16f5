"""Exports of a collaboration: CSV (zip), .xlsx, JSON, and the research package (zip)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.auth import Access, PrincipalDep
from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.config import KNOWN_UNSAFE_SECRETS, MIN_SECRET_LENGTH, Settings
from governance.diagnosis.thresholds import Thresholds
from governance.exports import pseudonyms
from governance.exports.service import ExportFile, ExportFormat, export_collaboration

ACCESS = Access.RECORDS

router = APIRouter(prefix="/collaborations", tags=["exports"])

MEDIA_TYPES = (
    "application/zip",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def pseudonym_key(settings: Settings) -> bytes | None:
    """The deployment's stable pseudonym key, derived from its secret key; None (a key new
    to each export) while the secret key is an example value anyone could know."""
    secret = settings.secret_key
    if secret in KNOWN_UNSAFE_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        return None
    return pseudonyms.derived_key(secret)


def make_export(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    collaboration_id: int,
    export_format: ExportFormat,
    *,
    pseudonymise: bool,
) -> ExportFile:
    """The export as this principal may have it: contact details only for the secretariat."""
    settings: Settings = request.app.state.settings
    return export_collaboration(
        session,
        collaboration_id,
        export_format,
        include_contact=principal.sees_contact_details and not pseudonymise,
        pseudonymise=pseudonymise,
        key=pseudonym_key(settings) if pseudonymise else None,
        thresholds=Thresholds.with_overrides(settings.diagnosis_thresholds),
    )


def attachment(exported: ExportFile) -> Response:
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.get(
    "/{record_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The export as a file: a zip (csv, research), .xlsx or JSON",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES
            },
        },
        404: ERROR_RESPONSES[404],
        422: ERROR_RESPONSES[422],
    },
    summary="Export a collaboration",
)
def export(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    record_id: RecordId,
    format: Annotated[ExportFormat, Query(description="csv, xlsx, json or research")],
    pseudonymise: Annotated[
        bool, Query(description="Replace stakeholder names with stable pseudonyms")
    ] = False,
) -> Any:
    """Every record of the collaboration as CSV files (zip), one .xlsx workbook, one JSON
    document, or the research package (zip: tables, codebook, network files, diagnosis
    series, assessments; never contact details)."""
    exported = make_export(
        request, session, principal, record_id, format, pseudonymise=pseudonymise
    )
    return attachment(exported)
