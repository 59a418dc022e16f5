"""Importing a spreadsheet into a collaboration: upload → preview → confirm.

The upload is checked at once as a dry run (nothing written). The preview shows how
each column was understood (changeable), every problem by row and column, and a
choice for each ambiguous stakeholder name; the person fixes the file or the choices
and checks again, then imports everything in one go.

Between the steps the file travels in the form itself, base64-encoded and signed
with an HMAC under the deployment's secret key (with the collaboration, the kind, the
file name and the time), so no server-side store is needed and a tampered or stale
preview is refused rather than imported.

Every problem and row summary the import reports is a message (an English id with
typed parameters, :mod:`governance.imports.messages`); the pages say it in the page's
language through the catalog, with dates, numbers and codes written the language's way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile

from api.auth import Access, PrincipalDep, require_write
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import notices
from api.pages.forms import domain_message
from api.pages.labels import N_, label_id
from api.web import WebActorDep, path_for, render, request_language
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.imports.columns import COLUMNS, ImportKind
from governance.imports.messages import RULE, Message, Refused, rule
from governance.imports.reading import MAX_BYTES, SUFFIXES
from governance.imports.report import Action, ImportReport
from governance.imports.service import ImportOptions, run_import
from governance.imports.templates import template_csv, template_xlsx
from governance.meetings.models import Meeting
from governance.report.wording import Wording

ACCESS = Access.RECORDS

router = APIRouter()

#: A preview may be confirmed for this long; then the file must be uploaded again.
PREVIEW_SECONDS = 2 * 60 * 60
_PURPOSE = b"collabgov import preview\x00"

UPLOAD_TOO_LARGE = N_("The file is larger than 5 MB. Split it into smaller files.")
WRONG_TYPE = N_("Only CSV (.csv) and Excel (.xlsx) files can be imported.")
NO_FILE = N_("Choose a file to import.")
NO_KIND = N_("Choose what the file holds.")
STALE = N_("This preview has expired or was changed. Upload the file again.")
KIND_LABELS = {
    ImportKind.STAKEHOLDERS.value: N_("Stakeholders"),
    ImportKind.RELATIONSHIPS.value: N_("Relationships"),
    ImportKind.PARTICIPATIONS.value: N_("Participants"),
    ImportKind.MEETINGS.value: N_("Meetings (with attendance)"),
    ImportKind.ATTENDANCE.value: N_("Attendance sheet"),
    ImportKind.COMMITMENTS.value: N_("Commitments (with status)"),
    ImportKind.TRUST_EVENTS.value: N_("Trust events"),
    ImportKind.MEASUREMENTS.value: N_("Outcome measurements"),
}
IMPORTED = N_("Imported %(kind)s: %(added)s added, %(updated)s updated, %(skipped)s already there.")


@dataclass(frozen=True)
class Carried:
    """The file as the preview form carries it."""

    kind: ImportKind
    filename: str
    content: bytes
    issued: int

    def signature(self, secret: str, collaboration_id: int) -> str:
        message = b"\x00".join(
            [
                str(collaboration_id).encode(),
                self.kind.value.encode(),
                self.filename.encode(),
                str(self.issued).encode(),
                hashlib.sha256(self.content).hexdigest().encode(),
            ]
        )
        key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def fields(self, secret: str, collaboration_id: int) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "filename": self.filename,
            "payload": base64.b64encode(self.content).decode(),
            "issued": str(self.issued),
            "signature": self.signature(secret, collaboration_id),
        }

    @classmethod
    def from_form(cls, form: FormData, secret: str, collaboration_id: int) -> Carried | None:
        """The carried file, or None when the form was tampered with or is too old."""
        try:
            carried = cls(
                kind=ImportKind(_text(form, "kind")),
                filename=_text(form, "filename"),
                content=base64.b64decode(_text(form, "payload"), validate=True),
                issued=int(_text(form, "issued")),
            )
        except (ValueError, binascii.Error):
            return None
        expected = carried.signature(secret, collaboration_id)
        # Bytes: compare_digest refuses str beyond ASCII, and the field is the sender's.
        if not hmac.compare_digest(expected.encode(), _text(form, "signature").encode()):
            return None
        if not 0 <= time.time() - carried.issued <= PREVIEW_SECONDS:
            return None
        return carried


def wording_for(language: Language) -> Wording:
    """How an import's messages read in ``language``: its catalog, its labels (in a
    sentence, so "partly fulfilled" rather than "Partly fulfilled"), its dates."""

    def vocabulary_label(vocabulary: str, code: str) -> str:
        label = language.gettext(label_id(vocabulary, code))
        return label[:1].lower() + label[1:] if label[1:2].islower() else label

    return Wording(
        gettext=language.translations.gettext,
        vocabulary_label=vocabulary_label,
        locale=language.code,
    )


def say(message: Message, language: Language) -> str:
    """An import's message in ``language``; a service's rule as the forms say it."""
    if message.message_id == RULE:
        return domain_message(str(message.params["rule"]), language)
    return wording_for(language).text(message)


def _said(errors: Mapping[str, str | Message], language: Language) -> dict[str, str]:
    """The upload form's errors in ``language``: the page's own ids, or the import's messages."""
    return {
        name: say(message, language) if isinstance(message, Message) else language.gettext(message)
        for name, message in errors.items()
    }


def _refusals(error: Invalid) -> dict[str, str | Message]:
    """What a refused import says per field (a service's plain sentence as a rule)."""
    if isinstance(error, Refused):
        return dict(error.messages)
    return {name: rule(message) for name, message in error.errors.items()}


#: What happens to a row, as the preview says it.
ACTION_LABELS = {
    Action.ADD: N_("added"),
    Action.UPDATE: N_("updated"),
    Action.SKIP: N_("already there"),
    Action.ERROR: N_("not imported"),
}


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _meetings(session: SessionDep, collaboration_id: int) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.collaboration_id == collaboration_id, Meeting.deleted_at.is_(None))
            .order_by(Meeting.starts_at.desc(), Meeting.id)
        )
    )


def _upload_page(
    request: Request,
    session: SessionDep,
    collaboration: Collaboration,
    *,
    errors: Mapping[str, str | Message] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The upload form; ``errors`` are message ids of this page or the import's messages."""
    return render(
        request,
        "imports/upload.html",
        {
            "collaboration": collaboration,
            "kinds": [kind.value for kind in ImportKind],
            "kind_labels": KIND_LABELS,
            "columns": COLUMNS,
            "meetings": _meetings(session, collaboration.id),
            "errors": _said(errors or {}, request_language(request)),
            "values": values or {},
            "max_megabytes": MAX_BYTES // (1024 * 1024),
        },
        status_code=status_code,
    )


@router.get("/collaborations/{collaboration_id:int}/import", name="collaboration_imports")
def upload_form(
    request: Request, session: SessionDep, principal: PrincipalDep, collaboration_id: RecordId
) -> HTMLResponse:
    """The upload form, with a template to download for each kind; only for those who
    may import (a viewer gets no form they could not send)."""
    require_write(request, principal, ACCESS)
    collaboration = collaboration_service.get(session, collaboration_id)
    return _upload_page(request, session, collaboration)


def _options(form: FormData, collaboration_id: int, headers: list[str]) -> ImportOptions:
    """The person's choices in the preview form: the mapping, the stakeholders, the meeting."""
    mapping: dict[str, str] = {}
    for index, header in enumerate(headers):
        key = f"map.{index}"
        if key in form:
            mapping[header] = _text(form, key)
    choices: dict[str, int] = {}
    for key in form:
        if key.startswith("choose_name."):
            chosen = _text(form, "choose." + key.removeprefix("choose_name."))
            if chosen.isdigit():
                choices[_text(form, key)] = int(chosen)
    meeting = _text(form, "meeting_id")
    return ImportOptions(
        collaboration_id=collaboration_id,
        meeting_id=int(meeting) if meeting.isdigit() else None,
        mapping=mapping,
        choices=choices,
    )


def _preview_page(
    request: Request,
    session: SessionDep,
    collaboration: Collaboration,
    carried: Carried,
    options: ImportOptions,
    report: ImportReport,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    chosen = {name: str(stakeholder) for name, stakeholder in options.choices.items()}
    language = request_language(request)
    problems = [
        {"row": problem.row, "column": problem.column, "message": say(problem.text, language)}
        for problem in report.problems
    ]
    rows = [
        {
            "row": row.row,
            "action": row.action.value,
            "happens": language.gettext(ACTION_LABELS[row.action]),
            "summary": say(row.text, language),
        }
        for row in report.rows
    ]
    source = say(report.source_text, language) if report.source_text else report.source
    return render(
        request,
        "imports/preview.html",
        {
            "collaboration": collaboration,
            "report": report,
            "problems": problems,
            "rows": rows,
            "source": source,
            "carried": carried.fields(_secret(request), collaboration.id),
            "fields": [column.field for column in COLUMNS[carried.kind]],
            "required": {column.field for column in COLUMNS[carried.kind] if column.required},
            "ambiguous": report.ambiguous(),
            "chosen": chosen,
            "meeting_id": options.meeting_id,
            "counts": report.counts,
            "kind_labels": KIND_LABELS,
        },
        status_code=status_code,
    )


def _check(
    request: Request,
    session: SessionDep,
    collaboration: Collaboration,
    carried: Carried,
    options: ImportOptions,
    actor: Any,
    *,
    dry_run: bool,
) -> ImportReport | HTMLResponse:
    try:
        return run_import(
            session,
            kind=carried.kind,
            content=carried.content,
            filename=carried.filename,
            options=options,
            actor=actor,
            dry_run=dry_run,
        )
    except Invalid as error:
        values = {"kind": carried.kind.value}
        return _upload_page(
            request,
            session,
            collaboration,
            errors=_refusals(error),
            values=values,
            status_code=400,
        )


@router.post(
    "/collaborations/{collaboration_id:int}/import/preview", name="collaboration_import_preview"
)
async def preview(
    request: Request, session: SessionDep, actor: WebActorDep, collaboration_id: RecordId
) -> Response:
    """Check the uploaded (or carried) file as a dry run and show what would happen."""
    collaboration = collaboration_service.get(session, collaboration_id)
    form = await request.form()
    secret = _secret(request)
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        carried_or_page = await _carried_upload(request, session, collaboration, form, upload)
        if isinstance(carried_or_page, HTMLResponse):
            return carried_or_page
        carried = carried_or_page
        options = _options(form, collaboration_id, [])
    else:
        found = Carried.from_form(form, secret, collaboration_id)
        if found is None:
            return _upload_page(
                request, session, collaboration, errors={"file": STALE}, status_code=400
            )
        carried = found
        headers = list(_report_headers(form))
        options = _options(form, collaboration_id, headers)
    checked = _check(request, session, collaboration, carried, options, actor, dry_run=True)
    if isinstance(checked, HTMLResponse):
        return checked
    return _preview_page(
        request,
        session,
        collaboration,
        carried,
        options,
        checked,
        status_code=200 if checked.ok else 400,
    )


def _report_headers(form: FormData) -> list[str]:
    """The file's headers, as the preview form lists them (``header.0``, ``header.1``…)."""
    headers = []
    index = 0
    while f"header.{index}" in form:
        headers.append(_text(form, f"header.{index}"))
        index += 1
    return headers


async def _carried_upload(
    request: Request,
    session: SessionDep,
    collaboration: Collaboration,
    form: FormData,
    upload: UploadFile,
) -> Carried | HTMLResponse:
    kind_text = _text(form, "kind")
    values = {"kind": kind_text, "meeting_id": _text(form, "meeting_id")}
    errors: dict[str, str | Message] = {}
    if kind_text not in {kind.value for kind in ImportKind}:
        errors["kind"] = NO_KIND
    filename = upload.filename or ""
    if not filename.lower().endswith(SUFFIXES):
        errors["file"] = WRONG_TYPE
    content = await upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        errors["file"] = UPLOAD_TOO_LARGE
    elif not content and "file" not in errors:
        errors["file"] = NO_FILE
    if errors:
        return _upload_page(
            request, session, collaboration, errors=errors, values=values, status_code=400
        )
    return Carried(ImportKind(kind_text), filename, content, int(time.time()))


@router.post(
    "/collaborations/{collaboration_id:int}/import/confirm", name="collaboration_import_confirm"
)
async def confirm(
    request: Request, session: SessionDep, actor: WebActorDep, collaboration_id: RecordId
) -> Response:
    """Import the previewed file in one go; show the preview again if anything is wrong."""
    collaboration = collaboration_service.get(session, collaboration_id)
    form = await request.form()
    carried = Carried.from_form(form, _secret(request), collaboration_id)
    if carried is None:
        return _upload_page(
            request, session, collaboration, errors={"file": STALE}, status_code=400
        )
    options = _options(form, collaboration_id, _report_headers(form))
    checked = _check(request, session, collaboration, carried, options, actor, dry_run=False)
    if isinstance(checked, HTMLResponse):
        return checked
    if not checked.ok:
        return _preview_page(
            request, session, collaboration, carried, options, checked, status_code=400
        )
    session.commit()
    counts = checked.counts
    return notices.redirect(
        request,
        path_for(request, "collaboration_imports", collaboration_id=collaboration_id),
        notices.Notice(
            IMPORTED,
            {
                "kind": carried.kind.value,
                "added": str(counts["add"]),
                "updated": str(counts["update"]),
                "skipped": str(counts["skip"]),
            },
        ),
    )


@router.get("/import-templates/{kind}.{suffix}", name="import_template")
def template(kind: str, suffix: str) -> Response:
    """A template to fill in: the header row and one example row."""
    try:
        chosen = ImportKind(kind)
    except ValueError:
        return Response("No such template", status_code=404, media_type="text/plain")
    if suffix == "csv":
        content, media = template_csv(chosen), "text/csv; charset=utf-8"
    elif suffix == "xlsx":
        content = template_xlsx(chosen)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return Response("No such template", status_code=404, media_type="text/plain")
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="collabgov-{chosen.value}.{suffix}"'
        },
    )
