"""The trash page: every deleted record of every type, and a Restore button for each.

Deleting never destroys anything; this is where the deleted records wait. A record
comes back through its concept's service (:func:`governance.trash.restore`), which
refuses — with a message naming what to restore first — while a record it belongs to
is deleted too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import Access
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import notices
from api.pages.forms import FormDep, FormState, domain_message, text
from api.pages.labels import N_, label_id
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, WebActorDep, path_for, render
from governance import trash
from governance.errors import Conflict, Invalid, NotFound
from governance.record_types import TRASH_TYPES
from governance.trash import ParentDeleted

ACCESS = Access.STEWARDS

router = APIRouter()

PAGE_SIZE = 50


def _type_label(language: Language, record_type: str) -> str:
    return language.gettext(label_id("record_type", record_type))


def _listing(
    request: Request,
    session: SessionDep,
    language: Language,
    *,
    record_type: str,
    page: str | None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    errors: dict[str, str] = {}
    wanted = record_type.strip()
    if wanted and wanted not in TRASH_TYPES:
        errors["record_type"] = language.gettext(N_("Choose one of the options."))
        wanted = ""
    number = page_number(page) or 1
    found = trash.search(
        session,
        record_type=wanted or None,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    typed = {"record_type": record_type}
    return render(
        request,
        "trash/list.html",
        {
            "items": found.items,
            "pager": Pager(page=number, total=found.total, size=PAGE_SIZE, params=typed),
            "filters": FormState(values=typed, errors=errors),
            "filtered": bool(wanted),
            "types": [(code, _type_label(language, code)) for code in TRASH_TYPES],
            "problem": problem,
        },
        status_code=400 if errors else status_code,
    )


@router.get("/trash", name="trash")
def trash_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    record_type: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """Deleted records, newest deletion first, with who deleted them."""
    return _listing(request, session, language, record_type=record_type or "", page=page)


def _refusal(error: Conflict | Invalid, language: Language) -> str:
    """Why a record cannot come back, in the page's language."""
    if isinstance(error, ParentDeleted):
        parent_type = _type_label(language, error.parent_type)
        return language.gettext(
            N_(
                "“%(title)s” cannot be restored while the record it belongs to, "
                "%(parent_type)s “%(parent)s”, is in the trash. Restore that one first."
            ),
            title=error.title or f"#{error.record_id}",
            parent_type=parent_type,
            parent=error.parent_title or f"#{error.parent_id}",
        )
    messages = list(error.errors.values()) if isinstance(error, Invalid) else [error.message]
    reasons = "; ".join(domain_message(message, language) for message in messages)
    return language.gettext(N_("This record cannot be restored: %(reason)s"), reason=reasons)


@router.post(
    "/trash/{record_type}/{record_id:int}/restore",
    name="trash_restore",
    response_model=None,
)
def restore_from_trash(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    record_type: Annotated[str, Path(max_length=50)],
    record_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Restore one record; the list shows again with a notice, or says why it cannot."""
    back_type = text(form, "record_type")
    back = path_for(request, "trash") + (
        f"?record_type={back_type}" if back_type in TRASH_TYPES else ""
    )
    try:
        record = trash.restore(session, record_type=record_type, record_id=record_id, actor=actor)
    except NotFound:
        return notices.redirect(
            request, back, notices.Notice(N_("That record is no longer in the trash."))
        )
    except (Conflict, Invalid) as error:
        session.rollback()
        return _listing(
            request,
            session,
            language,
            record_type=back_type,
            page=None,
            problem=_refusal(error, language),
            status_code=409,
        )
    session.commit()
    params = {"type": _type_label(language, record_type), "title": trash.title_of(session, record)}
    return notices.redirect(
        request, back, notices.Notice(N_("%(type)s “%(title)s” restored."), params)
    )
