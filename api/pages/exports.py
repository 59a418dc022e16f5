"""Taking a collaboration's data out: the export page and its downloads.

Every format is a plain GET link (a download changes nothing). Contact details are in
the CSV, .xlsx and JSON exports only for those who may see them; the research package
never has them, and can replace stakeholder names with stable pseudonyms.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.auth import Access, PrincipalDep
from api.deps import RecordId, SessionDep
from api.pages.imports import KIND_LABELS
from api.routes.exports import attachment, make_export
from api.web import render
from governance.collaborations import service as collaboration_service
from governance.exports.service import ExportFormat
from governance.imports.columns import ImportKind

ACCESS = Access.RECORDS

router = APIRouter()


@router.get("/collaborations/{collaboration_id:int}/export", name="collaboration_exports")
def export_page(
    request: Request, session: SessionDep, principal: PrincipalDep, collaboration_id: RecordId
) -> HTMLResponse:
    """Links to every format, and to the import templates."""
    collaboration = collaboration_service.get(session, collaboration_id)
    return render(
        request,
        "exports/page.html",
        {
            "collaboration": collaboration,
            "formats": [f.value for f in ExportFormat],
            "kinds": [kind.value for kind in ImportKind],
            "kind_labels": KIND_LABELS,
            "contact_details": principal.sees_contact_details,
        },
    )


@router.get(
    "/collaborations/{collaboration_id:int}/export/{export_format}",
    name="collaboration_export_download",
)
def download(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    collaboration_id: RecordId,
    export_format: str,
    pseudonymise: str | None = None,
) -> Response:
    """The export file; an unknown format is a 404, not an error page about input."""
    try:
        chosen = ExportFormat(export_format)
    except ValueError:
        return Response("No such export format", status_code=404, media_type="text/plain")
    exported = make_export(
        request,
        session,
        principal,
        collaboration_id,
        chosen,
        pseudonymise=pseudonymise in ("1", "true", "on", "yes"),
    )
    return attachment(exported)
