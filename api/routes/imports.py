"""Importing a CSV or .xlsx file of one kind of record into a collaboration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.auth import Access
from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES, ErrorBody
from governance.collaborations import service as collaboration_service
from governance.errors import Invalid
from governance.imports.columns import ImportKind
from governance.imports.reading import MAX_BYTES
from governance.imports.report import ImportReport
from governance.imports.service import ImportOptions, run_import

ACCESS = Access.RECORDS

router = APIRouter(prefix="/collaborations", tags=["imports"])


class CandidateRead(BaseModel):
    id: int
    name: str


class ProblemRead(BaseModel):
    row: int | None = Field(description="Row in the file (the header is row 1); null: the file")
    column: str | None = Field(description="The file's column header")
    message: str = Field(description="The problem, in English")
    message_id: str = Field(
        description="The English message id behind `message`, with `%(name)s` (or `%(name)r`: "
        "quoted) placeholders filled from `params`; a client may translate it with collabgov's "
        "catalog. `%(rule)s` carries a sentence from outside the import (a rule of the records) "
        "as its one parameter, `rule`."
    )
    params: dict[str, Any] = Field(
        description="The placeholders' values: a string as written, an integer (a count), or "
        'a typed value: `{"type": "date", "value": "2021-12-31"}`, `{"type": "number", '
        '"value": 12.5}`, `{"type": "label", "vocabulary": "commitment_status", "code": '
        '"broken"}`, or a nested message `{"type": "message", "message_id", "params"}`'
    )
    value: str = Field(description="An ambiguous name as written")
    candidates: list[CandidateRead] = Field(description="Who an ambiguous name may be")


class RowRead(BaseModel):
    row: int
    action: str = Field(description="add, update or skip (already there)")
    record_type: str
    record_id: int | None
    summary: str


class ImportReportRead(BaseModel):
    kind: ImportKind
    collaboration_id: int | None
    dry_run: bool
    written: bool = Field(description="false on a dry run or when anything was wrong")
    source: str = Field(description="How the file was read")
    mapping: dict[str, str | None] = Field(description="Each header → the field it feeds")
    counts: dict[str, int]
    rows: list[RowRead]
    problems: list[ProblemRead]


class ImportRefusal(ErrorBody):
    #: Absent when the request itself was invalid (the file was not read).
    report: ImportReportRead | None = None


def pairs(values: list[str], field: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, value in enumerate(values):
        key, sep, chosen = value.partition("=")
        if not sep or not key.strip():
            raise Invalid.field(f"{field}[{index}]", "write it as NAME=VALUE")
        found[key.strip()] = chosen.strip()
    return found


def choices(values: list[str]) -> dict[str, int]:
    chosen: dict[str, int] = {}
    for index, (name, value) in enumerate(pairs(values, "choose").items()):
        if not value.isdigit():
            raise Invalid.field(f"choose[{index}]", "the stakeholder id must be a number")
        chosen[name] = int(value)
    return chosen


def read_upload(file: UploadFile) -> bytes:
    content = file.file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise Invalid.field("file", f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return content


def refusal(report: ImportReport) -> JSONResponse:
    """422 with one error per problem (``rows[7].Nama``) and the whole report."""
    errors = [
        {
            "field": f"rows[{p.row}].{p.column}"
            if p.row is not None
            else f"file.{p.column or 'rows'}",
            "message": p.message,
        }
        for p in report.problems
    ]
    body = {
        "detail": f"The file has {len(errors)} problem(s); nothing was written",
        "errors": errors,
        "report": report.to_json(),
    }
    return JSONResponse(status_code=422, content=body)


@router.post(
    "/{record_id}/imports/{kind}",
    response_model=ImportReportRead,
    responses={
        404: ERROR_RESPONSES[404],
        422: {"model": ImportRefusal, "description": "Problems by row and column; nothing written"},
    },
    summary="Import a CSV or .xlsx file",
)
def import_file(
    session: SessionDep,
    actor: ActorDep,
    record_id: RecordId,
    kind: Annotated[ImportKind, Path(description="What the file holds")],
    file: Annotated[UploadFile, File(description="A .csv or .xlsx file, at most 5 MB")],
    dry_run: Annotated[bool, Query(description="Check and report; write nothing")] = False,
    map: Annotated[
        list[str], Form(description="COLUMN=FIELD: which field a column holds (repeatable)")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    choose: Annotated[
        list[str], Form(description="NAME=ID: the stakeholder an ambiguous name means")
    ] = [],  # noqa: B006
    meeting_id: Annotated[
        int | None, Form(ge=1, description="Attendance: the meeting of the whole sheet")
    ] = None,
) -> Any:
    """Every row is checked and written through the services in one transaction: all of
    them, or — when any row has a problem — none. Rows already recorded are skipped."""
    collaboration_service.get(session, record_id)
    options = ImportOptions(
        collaboration_id=record_id,
        meeting_id=meeting_id,
        mapping=pairs(map, "map"),
        choices=choices(choose),
    )
    report = run_import(
        session,
        kind=kind,
        content=read_upload(file),
        filename=file.filename or "",
        options=options,
        actor=actor,
        dry_run=dry_run,
    )
    if not report.ok:
        return refusal(report)
    session.commit()
    return report.to_json()
