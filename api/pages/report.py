"""The case report: one printable page structured like the Ansell & Gash model, and the
same report as a Markdown download, in the page's language.

Starting conditions, institutional design, facilitative leadership, the collaborative
process and outcomes, each with the derived figures, the coded scores and the evidence
quoted — confidential evidence counted, never quoted.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RecordId, SessionDep
from api.pages.diagnosis import default_as_of, read_dates, thresholds_of, wording_for
from api.web import LanguageDep, render
from governance.collaborations import service as collaboration_service
from governance.report import comparison
from governance.report import service as report_service
from governance.report.markdown import filename, render_markdown
from governance.report.schemas import CaseReport
from governance.report.wording import Wording

router = APIRouter()

MARKDOWN_TYPE = "text/markdown; charset=utf-8"


def markdown_response(report: CaseReport, say: Wording, language: str) -> Response:
    """The report as a Markdown file to download."""
    return Response(
        content=render_markdown(report, say),
        media_type=MARKDOWN_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename(report, language)}"'},
    )


@router.get("/collaborations/{collaboration_id:int}/report", name="collaboration_report")
def report_page(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    as_of: str | None = None,
    window_days: str | None = None,
) -> HTMLResponse:
    """The case report as of a date (today unless asked otherwise), ready to print."""
    collaboration = collaboration_service.get(session, collaboration_id)
    dates = read_dates(language, as_of, window_days, default=default_as_of(collaboration))
    report = report_service.get_report(
        session,
        collaboration_id=collaboration_id,
        as_of=dates.as_of,
        window_days=dates.window_days,
        thresholds=thresholds_of(request),
    )
    return render(
        request,
        "report/page.html",
        {
            "collaboration": collaboration,
            "report": report,
            "say": wording_for(language),
            "dates": dates.form,
            "high_score": comparison.HIGH_SCORE,
            "low_score": comparison.LOW_SCORE,
        },
        status_code=400 if dates.form.invalid else 200,
    )


@router.get(
    "/collaborations/{collaboration_id:int}/report.md", name="collaboration_report_markdown"
)
def report_markdown(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    as_of: str | None = None,
    window_days: str | None = None,
) -> Response:
    """The case report as Markdown, in the page's language; bad dates fall back to the defaults."""
    collaboration = collaboration_service.get(session, collaboration_id)
    dates = read_dates(language, as_of, window_days, default=default_as_of(collaboration))
    report = report_service.get_report(
        session,
        collaboration_id=collaboration_id,
        as_of=dates.as_of,
        window_days=dates.window_days,
        thresholds=thresholds_of(request),
    )
    return markdown_response(report, wording_for(language), language.code)
