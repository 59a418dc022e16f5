"""The case report of a collaboration, as JSON or as Markdown, in English or Indonesian."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from api.pages.diagnosis import thresholds_of, wording_for
from api.pages.report import markdown_response
from governance.diagnosis import service as diagnosis_service
from governance.diagnosis.thresholds import DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS
from governance.report import service as report_service
from governance.report.schemas import CaseReport

router = APIRouter(prefix="/collaborations", tags=["report"])


@router.get(
    "/{record_id}/report",
    response_model=CaseReport,
    summary="The case report, structured like the Ansell & Gash model (JSON or Markdown)",
    description=(
        "Starting conditions, institutional design, facilitative leadership, the "
        "collaborative process and outcomes, each with the derived figures, the "
        "researchers' coded scores beside the records' verdict, and the non-confidential "
        "evidence quoted (confidential evidence is counted, never quoted). `format=md` "
        "answers the report as a Markdown file in the language `lang`; JSON carries codes "
        "and the domain's English sentences, each with its message id and parameters "
        "(`reason_id`, `reason_params`…) for clients that say them in another language "
        "(docs/diagnosis.md, Languages)."
    ),
    operation_id="get_collaboration_report",
    responses={
        200: {
            "description": "The case report",
            "content": {"text/markdown": {"schema": {"type": "string"}}},
        },
        404: ERROR_RESPONSES[404],
        422: ERROR_RESPONSES[422],
    },
)
def get_report(
    request: Request,
    session: SessionDep,
    record_id: RecordId,
    format: Annotated[
        Literal["json", "md"], Query(description="json (default) or md (Markdown)")
    ] = "json",
    as_of: Annotated[
        dt.date | None,
        Query(
            description="The date to report as of (YYYY-MM-DD, 1900-01-01 to 2199-12-31); "
            "today when left out"
        ),
    ] = None,
    window_days: Annotated[
        int,
        Query(
            ge=MIN_WINDOW_DAYS,
            le=MAX_WINDOW_DAYS,
            description="Days the indicators look back over, ending on as_of",
        ),
    ] = DEFAULT_WINDOW_DAYS,
    lang: Annotated[
        Literal["en", "id"], Query(description="The language of the Markdown: en or id")
    ] = "en",
) -> Any:
    report = report_service.get_report(
        session,
        collaboration_id=record_id,
        as_of=as_of or diagnosis_service.today(),
        window_days=window_days,
        thresholds=thresholds_of(request),
    )
    if format == "md":
        language = request.app.state.languages[lang]
        return markdown_response(report, wording_for(language), lang)
    return report
