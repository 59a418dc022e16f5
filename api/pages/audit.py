"""The audit log pages: every write, newest first, filtered by who, what and when; and
one record's history, linked from the record's own page.

Each entry shows who acted, when (in the display time zone), what they did, the record
(linked while it still has a live page) and a before → after table of the fields that
changed. Values are shown as text, escaped by the templates; credential fields never
appear (:data:`governance.audit.queries.HIDDEN_FIELDS`). The log is read-only here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from babel import dates
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Access
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages.forms import FormState, blank_to_none, field_errors
from api.pages.labels import N_, label_id
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, path_for, record_url, render
from governance.audit import queries as audit_queries
from governance.audit.models import AuditEntry
from governance.audit.queries import ACTIONS, AuditQuery, Code, RecordLabel
from governance.errors import NotFound
from governance.record_types import RECORD_TYPES
from governance.schemas import DateRange, Id, Input
from governance.users.models import User

ACCESS = Access.STEWARDS

router = APIRouter()

PAGE_SIZE = 50
#: The user filter offers at most this many accounts, by name.
USER_CHOICES = 500
#: Longer values are folded away behind "Show all" so one edit of the minutes does not
#: fill the page.
LONG_VALUE = 240

#: What each action reads as in the log's "What" column.
ACTION_LABELS: dict[str, str] = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "restore": N_("Restored"),
    "status_change": N_("Status changed"),
    "login": N_("Signed in"),
    "login_failed": N_("Sign-in failed"),
    "logout": N_("Signed out"),
    "revoke": N_("Revoked"),
}


class LogFilters(DateRange, Input):
    """The log's filters as the page's form sends them; whole days in the display zone."""

    user_id: Id | None = None
    actor: str | None = Field(None, max_length=100)
    record_type: Code | None = None
    action: Code | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class ValueView:
    """A logged value as the page shows it: text, or nothing."""

    text: str
    empty: bool

    @property
    def long(self) -> bool:
        return len(self.text) > LONG_VALUE

    @property
    def short(self) -> str:
        return self.text[: LONG_VALUE - 1].rstrip() + "…"


@dataclass(frozen=True)
class FieldRow:
    field: str
    before: ValueView
    after: ValueView


@dataclass(frozen=True)
class EntryView:
    """One entry ready for the template."""

    entry: AuditEntry
    action: str
    record_title: str
    record_href: str | None
    record_deleted: bool
    history_href: str | None
    fields: list[FieldRow]


def shown(value: Any, language: Language) -> ValueView:
    """A logged JSON value as text: yes/no for booleans, JSON for lists and objects."""
    if value is None or value == "" or value == [] or value == {}:
        return ValueView("", empty=True)
    if value is True:
        return ValueView(language.gettext(N_("yes")), empty=False)
    if value is False:
        return ValueView(language.gettext(N_("no")), empty=False)
    if isinstance(value, str):
        return ValueView(_instant(value, language) or value, empty=False)
    if isinstance(value, int | float):
        return ValueView(str(value), empty=False)
    return ValueView(json.dumps(value, ensure_ascii=False, sort_keys=True), empty=False)


_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$")


def _instant(text: str, language: Language) -> str | None:
    """A logged instant ("2020-06-01T03:00:00+00:00") in the display time zone, or None."""
    if _INSTANT.match(text) is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return dates.format_datetime(moment, "medium", tzinfo=language.timezone, locale=language.locale)


def entry_views(
    request: Request, session: Session, entries: Sequence[AuditEntry], language: Language
) -> list[EntryView]:
    """The entries with their records' titles: one query per record type on the page."""
    labels = audit_queries.record_labels(
        session, [(entry.record_type, entry.record_id) for entry in entries]
    )
    views = []
    for entry in entries:
        label: RecordLabel | None = (
            labels.get((entry.record_type, entry.record_id)) if entry.record_id else None
        )
        live = label is not None and not label.deleted
        href = (
            record_url(request, entry.record_type, entry.record_id)
            if live and entry.record_id is not None
            else None
        )
        history = (
            path_for(
                request, "record_history", record_type=entry.record_type, record_id=entry.record_id
            )
            if entry.record_id and entry.record_type in RECORD_TYPES
            else None
        )
        action = ACTION_LABELS.get(entry.action)
        views.append(
            EntryView(
                entry=entry,
                action=language.gettext(action) if action else entry.action.replace("_", " "),
                record_title=label.title if label is not None else "",
                record_href=href,
                record_deleted=label is not None and label.deleted,
                history_href=history,
                fields=[
                    FieldRow(
                        change.field, shown(change.before, language), shown(change.after, language)
                    )
                    for change in audit_queries.field_changes(entry)
                ],
            )
        )
    return views


def _user_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(User.id, User.name).order_by(User.name).limit(USER_CHOICES))
    return [(str(user_id), name) for user_id, name in rows]


def _action_choices(language: Language) -> list[tuple[str, str]]:
    return [(code, language.gettext(ACTION_LABELS[code])) for code in ACTIONS]


def _type_choices(language: Language) -> list[tuple[str, str]]:
    return [(code, language.gettext(label_id("record_type", code))) for code in RECORD_TYPES]


@router.get("/audit", name="audit_log")
def audit_log(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    user_id: str | None = None,
    actor: str | None = None,
    record_type: str | None = None,
    action: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """The whole log, newest first; bad filters are named beside their field, not fatal."""
    typed = {
        "user_id": user_id or "",
        "actor": actor or "",
        "record_type": record_type or "",
        "action": action or "",
        "date_from": date_from or "",
        "date_to": date_to or "",
    }
    given = {key: blank_to_none(value) for key, value in typed.items()}
    filters: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    errors: dict[str, str] = {}
    try:
        valid = LogFilters.model_validate(filters)
    except ValidationError as error:
        errors = field_errors(error, language)
        filters = {key: value for key, value in filters.items() if key not in errors}
        valid = LogFilters.model_validate(filters)
    number = page_number(page) or 1
    pager = Pager(page=number, total=0, size=PAGE_SIZE, params=typed)
    query = AuditQuery(
        user_id=valid.user_id,
        actor=valid.actor,
        record_type=valid.record_type,
        action=valid.action,
        since=valid.date_from,
        until=valid.date_to,
        limit=PAGE_SIZE,
        offset=pager.offset,
    )
    found = audit_queries.search(session, query=query, timezone=language.timezone)
    pager = Pager(page=number, total=found.total, size=PAGE_SIZE, params=typed)
    return render(
        request,
        "audit/log.html",
        {
            "entries": entry_views(request, session, found.items, language),
            "pager": pager,
            "filters": FormState(values=typed, errors=errors),
            "filtered": any(typed.values()),
            "users": _user_choices(session),
            "actions": _action_choices(language),
            "types": _type_choices(language),
        },
        status_code=400 if errors else 200,
    )


@router.get("/audit/{record_type}/{record_id:int}", name="record_history")
def record_history(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    record_type: Annotated[str, Path(max_length=50)],
    record_id: RecordId,
    page: str | None = None,
) -> HTMLResponse:
    """One record's history: its creation, every change, delete and restore, newest first."""
    if not audit_queries.is_record_type(record_type):
        raise NotFound(record_type, record_id)
    number = page_number(page) or 1
    found = audit_queries.history(
        session, record_type, record_id, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    label = audit_queries.record_labels(session, [(record_type, record_id)]).get(
        (record_type, record_id)
    )
    if label is None and found.total == 0:
        raise NotFound(record_type, record_id)
    live = label is not None and not label.deleted
    return render(
        request,
        "audit/history.html",
        {
            "record_type": record_type,
            "record_id": record_id,
            "label": label,
            "record_href": record_url(request, record_type, record_id) if live else None,
            "entries": entry_views(request, session, found.items, language),
            "pager": Pager(page=number, total=found.total, size=PAGE_SIZE),
        },
    )
