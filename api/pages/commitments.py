"""The commitments board and each commitment's page: who promised what to whom, its
status history, and the forms to record, change, move on, delete and restore it.

A status change takes two clicks on the board: open a card's "Change status" and
press the next status (the date defaults to today). Refused input comes back on the
page it was sent from (board or detail) with the error beside its field.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from babel import dates
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import Integer, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from api import auth
from api.crud import restore_with
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import editing, notices
from api.pages.editing import Saved
from api.pages.forms import FormDep, FormState, RawForm, blank_to_none, field_errors, text
from api.pages.labels import N_, label_id
from api.web import LanguageDep, WebActorDep, path_for, render, speaking
from governance import records
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.commitments import service as commitment_service
from governance.commitments.board import BoardFilter, board_rows, board_totals, grouped, timing
from governance.commitments.models import Commitment
from governance.commitments.schemas import CommitmentCreate, CommitmentPatch, StatusChangeCreate
from governance.errors import Conflict, Invalid
from governance.evidence.models import Evidence, evidence_links
from governance.forums.models import Forum
from governance.meetings.models import Decision, Meeting
from governance.outcomes.models import Outcome, outcome_commitments
from governance.participations.models import Participation
from governance.revision import RevisionCache
from governance.stakeholders.models import Stakeholder
from governance.vocab import COMMITMENT_TRANSITIONS, CommitmentStatus

router = APIRouter()

R = TypeVar("R")

FIELDS = (
    "meeting_id",
    "decision_id",
    "owner_id",
    "counterpart_id",
    "description",
    "made_on",
    "due_on",
)
FILTERS = ("owner_id", "counterpart_id", "sector", "forum_id", "q")
STATUS_FIELDS = ("status", "changed_on", "note", "evidence_ids")
#: Choice lists stop here; a registry or evidence pile larger than this is searched elsewhere.
CHOICES_SHOWN = 500
#: A status form sent from the board says so ("return_to"); a refusal then shows there.
BOARD = "board"

#: Commitment rules the shared message list (``forms.DOMAIN_MESSAGES``) does not know yet:
#: how the service's English message starts (or what it contains) → the message id.
#: A ``%(date)s`` is the date in brackets at the end of the service's message.
_RULES: tuple[tuple[str, str], ...] = (
    (
        "must not be before the last status change",
        N_("Must not be before the last status change (%(date)s)."),
    ),
    (
        "must not be after the first status change",
        N_("Must not be after the first status change (%(date)s)."),
    ),
    (
        " is final; its status cannot change",
        N_("This commitment is settled; its status cannot change any more."),
    ),
    (
        "cannot move from ",
        N_("This status cannot follow the current one; choose one of the buttons."),
    ),
    ("needs meeting_id", N_("Choose a decision taken at the chosen meeting, or leave it empty.")),
    (
        " was taken at meeting ",
        N_("Choose a decision taken at the chosen meeting, or leave it empty."),
    ),
)


# -- shared pieces -----------------------------------------------------------------------


def next_statuses(status: CommitmentStatus) -> list[CommitmentStatus]:
    """The statuses a commitment may move to next, in the vocabulary's order."""
    allowed = COMMITMENT_TRANSITIONS[status]
    return [candidate for candidate in CommitmentStatus if candidate in allowed]


def many(form: RawForm, name: str) -> list[str]:
    """Every non-blank value of a field sent several times (checkboxes, multi-selects)."""
    value = form.get(name, [])
    values = value if isinstance(value, list) else [value]
    return [item.strip() for item in values if item.strip()]


#: Built once (building statements took SQLAlchemy longer than SQLite took to run them).
_EVIDENCE_CHOICES = (
    select(Evidence.id, Evidence.title, Evidence.date)
    .where(
        or_(
            Evidence.collaboration_id == bindparam("collaboration_id", type_=Integer),
            Evidence.collaboration_id.is_(None),
        ),
        Evidence.deleted_at.is_(None),
    )
    .order_by(Evidence.date.desc().nulls_last(), Evidence.id.desc())
    .limit(bindparam("limit", type_=Integer))
)


def evidence_choices(
    session: Session, collaboration_id: int, *, limit: int = CHOICES_SHOWN
) -> list[tuple[str, str]]:
    """The collaboration's live evidence (and evidence of no collaboration), newest first."""
    rows = session.execute(
        _EVIDENCE_CHOICES, {"collaboration_id": collaboration_id, "limit": limit}
    )
    return [
        (str(evidence_id), f"{title} ({day.isoformat()})" if day else title)
        for evidence_id, title, day in rows
    ]


def evidence_titles(session: Session, evidence_ids: Sequence[int]) -> dict[int, str]:
    """Titles of these evidence ids, in one query."""
    if not evidence_ids:
        return {}
    rows = session.execute(
        select(Evidence.id, Evidence.title).where(Evidence.id.in_(set(evidence_ids)))
    )
    return dict(rows.all())


def _translated_rule(message: str, language: Language) -> str | None:
    """A commitment rule in the page's language, when it is one of :data:`_RULES`."""
    for marker, message_id in _RULES:
        if message.startswith(marker) or (marker.startswith(" ") and marker in message):
            date = message.rsplit("(", 1)[-1].rstrip(")") if message.endswith(")") else ""
            params = {"date": _shown_date(date, language)} if "%(date)s" in message_id else {}
            return language.gettext(message_id, **params)
    return None


def _shown_date(value: str, language: Language) -> str:
    try:
        return dates.format_date(dt.date.fromisoformat(value), "medium", locale=language.locale)
    except ValueError:
        return value


def errors_by_field(error: ValidationError | Invalid, language: Language) -> dict[str, str]:
    """:func:`api.pages.forms.field_errors`, with the commitment rules it lacks translated,
    and errors of one item of a list (``evidence_ids[0]``) shown under the list."""
    found: dict[str, str] = {}
    for name, message in field_errors(error, language).items():
        found.setdefault(name.split("[", 1)[0], message)
    if isinstance(error, Invalid):
        for name, message in error.errors.items():
            translated = _translated_rule(message, language)
            if translated is not None:
                found[name] = translated
    return found


@dataclass(frozen=True)
class StatusForm:
    """The status-change form of one commitment, as its card or page shows it."""

    commitment_id: int
    version: int
    next_statuses: list[CommitmentStatus]
    state: FormState
    #: Its field ids start with this, so many forms can share a page.
    prefix: str = ""
    #: Shown unfolded (after a refusal).
    open: bool = False


def blank_status_form(
    commitment_id: int, version: int, status: CommitmentStatus, *, prefix: str = ""
) -> StatusForm:
    values = {"changed_on": commitment_service.today().isoformat()}
    return StatusForm(
        commitment_id, version, next_statuses(status), FormState(values=values), prefix
    )


# -- the board ---------------------------------------------------------------------------


#: How many owners (and as many counterparts) the board's filters list: those with the
#: most commitments. A large case involves thousands; listing them all made every board
#: page carry thousands of options. Anyone else is found by typing the name in "q".
FILTER_PEOPLE = 100
#: How many pieces of evidence each card's status form on the board offers (the newest);
#: a commitment's own page offers them all (up to CHOICES_SHOWN).
BOARD_EVIDENCE = 20


@dataclass(frozen=True)
class Involved:
    """The stakeholders a board can be filtered by."""

    owners: list[tuple[str, str]]
    counterparts: list[tuple[str, str]]
    #: Whether some owners or counterparts are left out of the lists.
    more: bool = False


#: The busiest owners and counterparts of a collaboration, per data revision: ranking
#: 20,000 commitments takes tens of milliseconds, the board is read far more than written.
_BUSIEST: RevisionCache[tuple[int, int], tuple[tuple[tuple[int, str], ...], ...]] = RevisionCache(
    size=32
)


def involved(
    session: Session,
    collaboration_id: int,
    *,
    chosen: tuple[str, str] = ("", ""),
    limit: int = FILTER_PEOPLE,
) -> Involved:
    """Owners and counterparts of the collaboration's live commitments, by name.

    Each list holds the ``limit`` stakeholders with the most commitments on that side
    (cached per data revision), plus the ``chosen`` (owner, counterpart) ids, so a
    filter in use stays selected (one more query, only when a chosen id is left out).
    """
    ranked = _BUSIEST.get_or_compute(
        session,
        (collaboration_id, limit),
        lambda: _busiest(session, collaboration_id, limit=limit + 1),
    )
    more = any(len(side) > limit for side in ranked)
    sides = [dict(side[:limit]) for side in ranked]
    missing = [
        (int(code), side)
        for code, side in zip(chosen, sides, strict=True)
        if code.isdigit() and int(code) not in side
    ]
    if missing:
        names = dict(
            session.execute(
                select(Stakeholder.id, Stakeholder.name).where(
                    Stakeholder.id.in_({stakeholder_id for stakeholder_id, _ in missing})
                )
            ).all()
        )
        for stakeholder_id, side in missing:
            if stakeholder_id in names:
                side[stakeholder_id] = names[stakeholder_id]

    def by_name(side: dict[int, str]) -> list[tuple[str, str]]:
        return [(str(key), name) for key, name in sorted(side.items(), key=lambda i: (i[1], i[0]))]

    return Involved(owners=by_name(sides[0]), counterparts=by_name(sides[1]), more=more)


def _busiest(
    session: Session, collaboration_id: int, *, limit: int
) -> tuple[tuple[tuple[int, str], ...], ...]:
    """(id, name) of the ``limit`` owners, then counterparts, with the most live
    commitments in the collaboration, the busiest first."""
    live = (Commitment.collaboration_id == collaboration_id) & Commitment.deleted_at.is_(None)
    sides = []
    for column in (Commitment.owner_id, Commitment.counterpart_id):
        rows = session.execute(
            select(Stakeholder.id, Stakeholder.name)
            .join(Commitment, column == Stakeholder.id)
            .where(live)
            .group_by(Stakeholder.id, Stakeholder.name)
            .order_by(func.count(Commitment.id).desc(), Stakeholder.id)
            .limit(limit)
        ).all()
        sides.append(tuple((row[0], row[1]) for row in rows))
    return tuple(sides)


def forum_choices(session: Session, collaboration_id: int) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Forum.id, Forum.name)
        .where(Forum.collaboration_id == collaboration_id, Forum.deleted_at.is_(None))
        .order_by(Forum.name, Forum.id)
    )
    return [(str(forum_id), name) for forum_id, name in rows]


#: The board's content per (collaboration, filters, day, language, role) and data
#: revision: reading and ranking 20,000 commitments and rendering some 70 cards with
#: their status forms took nearly all of a board's time, and the board is read far more
#: often than the data change. What it shows depends on nothing else about the viewer but
#: the CSRF token of its forms, which :func:`_without_token` takes out before keeping it.
_BOARDS: RevisionCache[tuple[Any, ...], str] = RevisionCache(size=32)
#: Stands for the viewer's CSRF token in a kept board: random, so no text on the board
#: can contain it by chance or design.
_TOKEN_STAND_IN = secrets.token_hex(32)


def board_page(
    request: Request,
    session: Session,
    language: Language,
    collaboration: Collaboration,
    typed: Mapping[str, str],
    *,
    refused: StatusForm | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The board with the filters as typed; a refused status form shows on its card."""
    filters: dict[str, Any] = {key: blank_to_none(typed.get(key, "")) for key in FILTERS}
    filters = {key: value for key, value in filters.items() if value is not None}
    errors: dict[str, str] = {}
    try:
        board_filter = BoardFilter.model_validate(filters)
    except ValidationError as error:
        errors = field_errors(error, language)
        board_filter = BoardFilter.model_validate(
            {key: value for key, value in filters.items() if key not in errors}
        )
    today = commitment_service.today()

    def content() -> str:
        return board_content(
            request,
            session,
            language,
            collaboration,
            typed,
            board_filter=board_filter,
            errors=errors,
            today=today,
            refused=refused,
        )

    if refused is None:
        role = auth.find_principal(request, session).role
        key = (collaboration.id, tuple(sorted(typed.items())), today, language.code, role)
        kept = _BOARDS.get_or_compute(session, key, lambda: _without_token(request, content()))
        html = _with_token(request, kept)
    else:  # a refused form shows what its sender typed: for this viewer only
        html = content()
    return render(
        request,
        "commitments/board.html",
        {"collaboration": collaboration, "content": Markup(html)},  # noqa: S704 - rendered by Jinja, escaped
        status_code=400 if errors and status_code == 200 else status_code,
    )


def board_content(
    request: Request,
    session: Session,
    language: Language,
    collaboration: Collaboration,
    typed: Mapping[str, str],
    *,
    board_filter: BoardFilter,
    errors: dict[str, str],
    today: dt.date,
    refused: StatusForm | None,
) -> str:
    """The board's content (``commitments/_board.html``): heading, filters and cards."""
    groups = grouped(
        board_rows(session, collaboration_id=collaboration.id, filters=board_filter),
        on=today,
        totals=board_totals(
            session, collaboration_id=collaboration.id, filters=board_filter, on=today
        ),
    )
    forms = {
        card.row.id: blank_status_form(
            card.row.id, card.row.version, card.row.status, prefix=f"c{card.row.id}-"
        )
        for group in groups
        for card in group.cards
    }
    if refused is not None:
        forms[refused.commitment_id] = refused
    people = involved(
        session,
        collaboration.id,
        chosen=(typed.get("owner_id", ""), typed.get("counterpart_id", "")),
        limit=FILTER_PEOPLE,
    )
    # The newest few pieces of evidence for the cards (one more tells whether there are
    # others); a refused form keeps the full list, so what was chosen stays chosen.
    evidence = evidence_choices(session, collaboration.id, limit=BOARD_EVIDENCE + 1)
    values = {
        "collaboration": collaboration,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "overdue": sum(group.overdue for group in groups),
        "card_forms": forms,
        "refused": refused,
        "filters": FormState(values=dict(typed), errors=errors),
        "filtered": board_filter.active,
        "owners": people.owners,
        "counterparts": people.counterparts,
        "more_people": people.more,
        "owners_listed": FILTER_PEOPLE,
        "forums": forum_choices(session, collaboration.id),
        "evidence": evidence[:BOARD_EVIDENCE],
        "more_evidence": len(evidence) > BOARD_EVIDENCE,
        "refused_evidence": (
            evidence_choices(session, collaboration.id) if refused is not None else []
        ),
        "return_query": urlencode({key: value for key, value in typed.items() if value}),
        "today": today,
    }
    environment: Environment = request.app.state.templates
    with speaking(language, request):
        return environment.get_template("commitments/_board.html").render(values)


def _without_token(request: Request, html: str) -> str:
    """``html`` with this viewer's CSRF token replaced by :data:`_TOKEN_STAND_IN` (asked
    for only when it has forms, as rendering them did)."""
    if f'name="{auth.CSRF_FIELD}"' not in html:
        return html
    return html.replace(auth.csrf_token(request), _TOKEN_STAND_IN)


def _with_token(request: Request, html: str) -> str:
    """A kept board with this viewer's CSRF token in its forms (asked for only when it
    has forms, as rendering them would have)."""
    if _TOKEN_STAND_IN not in html:
        return html
    return html.replace(_TOKEN_STAND_IN, auth.csrf_token(request))


@router.get("/collaborations/{collaboration_id:int}/commitments", name="collaboration_commitments")
def board(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    owner_id: str | None = None,
    counterpart_id: str | None = None,
    sector: str | None = None,
    forum_id: str | None = None,
    q: str | None = None,
) -> HTMLResponse:
    """The commitments by status, overdue first; invalid filters are named, not fatal."""
    collaboration = collaboration_service.get(session, collaboration_id)
    typed = {
        "owner_id": owner_id or "",
        "counterpart_id": counterpart_id or "",
        "sector": sector or "",
        "forum_id": forum_id or "",
        "q": q or "",
    }
    return board_page(request, session, language, collaboration, typed)


# -- a commitment's page -----------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """A commitment's surroundings: both sides, and the meeting and decision behind it."""

    owner: str
    counterpart: str | None
    meeting_title: str | None
    meeting_starts_at: dt.datetime | None
    forum_id: int | None
    forum: str | None
    decision: str | None


_owner, _counterpart = aliased(Stakeholder), aliased(Stakeholder)
_COMMITMENT = bindparam("commitment_id", type_=Integer)
_CONTEXT = (
    select(_owner.name, _counterpart.name, Meeting.title, Meeting.starts_at, Forum.id)
    .add_columns(Forum.name, Decision.text)
    .select_from(Commitment)
    .join(_owner, _owner.id == Commitment.owner_id)
    .outerjoin(_counterpart, _counterpart.id == Commitment.counterpart_id)
    .outerjoin(Meeting, (Meeting.id == Commitment.meeting_id) & Meeting.deleted_at.is_(None))
    .outerjoin(Forum, Forum.id == Meeting.forum_id)
    .outerjoin(Decision, (Decision.id == Commitment.decision_id) & Decision.deleted_at.is_(None))
    .where(Commitment.id == _COMMITMENT)
)
_OUTCOMES_FED = (
    select(Outcome.id, Outcome.title)
    .join(outcome_commitments, outcome_commitments.c.outcome_id == Outcome.id)
    .where(outcome_commitments.c.commitment_id == _COMMITMENT, Outcome.deleted_at.is_(None))
    .order_by(Outcome.title, Outcome.id)
)
_HISTORY_EVIDENCE = (
    select(evidence_links.c.status_change_id, Evidence.id, Evidence.title)
    .join(Evidence, Evidence.id == evidence_links.c.evidence_id)
    .where(
        evidence_links.c.status_change_id.in_(bindparam("step_ids", expanding=True)),
        Evidence.deleted_at.is_(None),
    )
    .order_by(Evidence.id)
)


def context_of(session: Session, commitment: Commitment) -> Context:
    row = session.execute(_CONTEXT, {"commitment_id": commitment.id}).one()
    return Context(*row)


def outcomes_fed(session: Session, commitment_id: int) -> list[tuple[int, str]]:
    """The live outcomes this commitment feeds, by title."""
    rows = session.execute(_OUTCOMES_FED, {"commitment_id": commitment_id})
    return [(outcome_id, title) for outcome_id, title in rows]


def history_evidence(session: Session, step_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """The live evidence (id, title) of each history step, in one query."""
    if not step_ids:
        return {}
    rows = session.execute(_HISTORY_EVIDENCE, {"step_ids": list(step_ids)})
    found: dict[int, list[tuple[int, str]]] = {}
    for step_id, evidence_id, title in rows:
        found.setdefault(step_id, []).append((evidence_id, title))
    return found


def detail_page(
    request: Request,
    session: Session,
    commitment: Commitment,
    *,
    status_form: StatusForm | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    collaboration = collaboration_service.get(session, commitment.collaboration_id)
    read = commitment_service.present(session, [commitment])[0]
    form = status_form or blank_status_form(commitment.id, commitment.version, commitment.status)
    return render(
        request,
        "commitments/detail.html",
        {
            "collaboration": collaboration,
            "commitment": read,
            "context": context_of(session, commitment),
            "timing": timing(read.status, read.due_on, on=commitment_service.today()),
            "outcomes": outcomes_fed(session, commitment.id),
            "evidence_titles": history_evidence(session, [step.id for step in read.history]),
            "status_form": form,
            "evidence": evidence_choices(session, commitment.collaboration_id),
        },
        status_code=status_code,
        section="collaboration_commitments",
    )


@router.get("/commitments/{commitment_id:int}", name="commitment_detail")
def commitment_detail(
    request: Request, session: SessionDep, commitment_id: RecordId
) -> HTMLResponse:
    """A commitment: both sides, the meeting and decision behind it, its whole history."""
    return detail_page(request, session, commitment_service.get(session, commitment_id))


# -- the status change -------------------------------------------------------------------


@router.post(
    "/commitments/{commitment_id:int}/status", name="commitment_status", response_model=None
)
def change_status(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    commitment_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Move a commitment to its next status with a date, a note and evidence."""
    commitment = commitment_service.get(session, commitment_id)
    from_board = text(form, "return_to") == BOARD
    typed_filters = {
        key: value for key, value in parse_qsl(text(form, "return_query")) if key in FILTERS
    }
    values: dict[str, Any] = {name: text(form, name) for name in STATUS_FIELDS}
    values["evidence_ids"] = many(form, "evidence_ids")
    version = editing.form_version(form)
    data: dict[str, Any] = {
        "status": blank_to_none(values["status"]),
        "changed_on": blank_to_none(values["changed_on"]),
        "note": values["note"].strip(),
        "evidence_ids": values["evidence_ids"],
        "version": version,
    }
    problems: list[str] = []
    status_code = 400
    try:
        valid = StatusChangeCreate.model_validate({k: v for k, v in data.items() if v is not None})
        commitment_service.change_status(session, record=commitment, data=valid, actor=actor)
    except (ValidationError, Invalid) as error:
        errors = errors_by_field(error, language)
        if data["status"] is None:
            errors["status"] = language.gettext(N_("Choose the new status with its button."))
    except Conflict:
        session.rollback()
        commitment = commitment_service.get(session, commitment_id)
        errors = {}
        problems.append(
            language.gettext(
                N_(
                    "Someone changed this commitment meanwhile: it is now “%(status)s”. "
                    "Check it and choose again."
                ),
                status=language.gettext(label_id("commitment_status", commitment.status)),
            )
        )
        status_code = 409
    else:
        session.commit()
        where = (
            path_for(
                request, "collaboration_commitments", collaboration_id=commitment.collaboration_id
            )
            + (f"?{urlencode(typed_filters)}" if typed_filters else "")
            if from_board
            else path_for(request, "commitment_detail", commitment_id=commitment_id)
        )
        return notices.redirect(
            request,
            where,
            notices.Notice(
                N_("“%(what)s” is now %(status)s."),
                {
                    "what": short(commitment.description),
                    "status": language.gettext(label_id("commitment_status", commitment.status)),
                },
            ),
        )
    state = FormState(values=values, errors=errors, problems=problems)
    refused = StatusForm(
        commitment.id,
        commitment.version,
        next_statuses(commitment.status),
        state,
        prefix=f"c{commitment.id}-" if from_board else "",
        open=True,
    )
    if from_board:
        collaboration = collaboration_service.get(session, commitment.collaboration_id)
        typed = {key: typed_filters.get(key, "") for key in FILTERS}
        return board_page(
            request,
            session,
            language,
            collaboration,
            typed,
            refused=refused,
            status_code=status_code,
        )
    return detail_page(request, session, commitment, status_form=refused, status_code=status_code)


def short(description: str, length: int = 80) -> str:
    text = " ".join(description.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# -- create, edit, delete ----------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the commitment form offers: the collaboration's meetings, decisions and people."""

    meetings: list[tuple[str, str]]
    decisions: list[tuple[str, str]]
    participants: list[tuple[str, str]]
    others: list[tuple[str, str]]

    def people(self, outsider: str) -> list[tuple[str, str]]:
        """Participants first, then the rest of the registry marked with ``outsider``."""
        return self.participants + [(code, f"{name} · {outsider}") for code, name in self.others]


def choices(session: Session, collaboration_id: int) -> Choices:
    """The form's choice lists in three queries."""
    meetings = session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(Meeting.collaboration_id == collaboration_id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(CHOICES_SHOWN)
    ).all()
    decisions = session.execute(
        select(Decision.id, Decision.text, Meeting.title)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(
            Meeting.collaboration_id == collaboration_id,
            Meeting.deleted_at.is_(None),
            Decision.deleted_at.is_(None),
        )
        .order_by(Meeting.starts_at.desc(), Decision.id)
        .limit(CHOICES_SHOWN)
    ).all()
    takes_part = exists().where(
        Participation.stakeholder_id == Stakeholder.id,
        Participation.collaboration_id == collaboration_id,
        Participation.deleted_at.is_(None),
    )
    people = session.execute(
        select(Stakeholder.id, Stakeholder.name, takes_part)
        .where(Stakeholder.deleted_at.is_(None))
        .order_by(takes_part.desc(), Stakeholder.name, Stakeholder.id)
        .limit(CHOICES_SHOWN)
    ).all()
    return Choices(
        meetings=[
            (str(meeting_id), f"{title} ({starts_at.date().isoformat()})")
            for meeting_id, title, starts_at in meetings
        ],
        decisions=[
            (str(decision_id), f"{meeting} — {short(decision, 100)}")
            for decision_id, decision, meeting in decisions
        ],
        participants=[(str(row[0]), row[1]) for row in people if row[2]],
        others=[(str(row[0]), row[1]) for row in people if not row[2]],
    )


def form_input(session: Session, form: RawForm, collaboration_id: int) -> dict[str, Any]:
    """The schema's input from the form; a decision alone brings its meeting along."""
    data: dict[str, Any] = {name: blank_to_none(text(form, name)) for name in FIELDS}
    data["description"] = text(form, "description").strip()
    data["collaboration_id"] = collaboration_id
    if data["decision_id"] is not None and data["meeting_id"] is None:
        try:
            decision_id = int(data["decision_id"])
        except ValueError:
            decision_id = 0
        if 1 <= decision_id <= 2**31 - 1:
            data["meeting_id"] = session.scalar(
                select(Decision.meeting_id).where(Decision.id == decision_id)
            )
    return {name: value for name, value in data.items() if value is not None}


def typed_values(form: RawForm) -> dict[str, Any]:
    return {name: text(form, name) for name in FIELDS}


def stored_values(commitment: Commitment) -> dict[str, Any]:
    def shown(value: object) -> str:
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return {name: shown(getattr(commitment, name)) for name in FIELDS} | {
        "version": commitment.version
    }


def patch_of(valid: CommitmentCreate, version: int) -> CommitmentPatch:
    """The whole form as a patch: the collaboration stays as it is."""
    data = valid.model_dump(exclude={"collaboration_id"})
    return CommitmentPatch.model_validate(data | {"version": version})


@router.api_route(
    "/collaborations/{collaboration_id:int}/commitments/new",
    methods=["GET", "POST"],
    name="commitment_new",
    response_model=None,
)
def new_commitment(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    collaboration_id: RecordId,
    meeting_id: str | None = None,
) -> HTMLResponse | RedirectResponse:
    """Record a commitment: the form (``?meeting_id=`` preselects a meeting), and what it sends."""
    collaboration = collaboration_service.get(session, collaboration_id)
    page = {"collaboration": collaboration, "choices": choices(session, collaboration_id)}
    if request.method == "GET":
        values = {"made_on": commitment_service.today().isoformat(), "meeting_id": meeting_id or ""}
        return render(
            request,
            "commitments/new.html",
            page | {"form": FormState(values=values)},
            section="collaboration_commitments",
        )
    valid, errors = editing.validated(
        CommitmentCreate, form_input(session, form, collaboration_id), language
    )
    result = editing.create(
        session,
        values=typed_values(form),
        valid=valid,
        errors=errors,
        save=translating(
            lambda data: commitment_service.create(session, data=data, actor=actor), language
        ),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "commitment_detail", commitment_id=result.record.id),
            notices.Notice(
                N_("Commitment “%(what)s” recorded."), {"what": short(result.record.description)}
            ),
        )
    return render(
        request,
        "commitments/new.html",
        page | {"form": result.state},
        status_code=result.status_code,
        section="collaboration_commitments",
    )


def translating(save: Callable[..., R], language: Language) -> Callable[..., R]:
    """``save``, with the commitment rules it refuses put into the page's language."""

    def saving(*args: Any) -> R:
        try:
            return save(*args)
        except Invalid as error:
            raise Invalid(
                {
                    name: _translated_rule(message, language) or message
                    for name, message in error.errors.items()
                }
            ) from error

    return saving


@router.api_route(
    "/commitments/{commitment_id:int}/edit",
    methods=["GET", "POST"],
    name="commitment_edit",
    response_model=None,
)
def edit_commitment(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    language: LanguageDep,
    form: FormDep,
    commitment_id: RecordId,
) -> HTMLResponse | RedirectResponse:
    """Change what was promised, by whom, to whom and by when; not its status."""
    if request.method == "GET":
        commitment = commitment_service.get(session, commitment_id)
    else:
        commitment = commitment_service.get(session, commitment_id, include_deleted=True)
    collaboration = collaboration_service.get(session, commitment.collaboration_id)
    page = {
        "collaboration": collaboration,
        "commitment": commitment,
        "choices": choices(session, commitment.collaboration_id),
    }
    if request.method == "GET":
        return render(
            request,
            "commitments/edit.html",
            page | {"form": FormState(values=stored_values(commitment))},
            section="collaboration_commitments",
        )
    valid, errors = editing.validated(
        CommitmentCreate, form_input(session, form, commitment.collaboration_id), language
    )
    result = editing.update(
        session,
        record=commitment,
        form=form,
        values=typed_values(form) | {"version": text(form, "version")},
        valid=valid,
        errors=errors,
        save=translating(
            lambda record, data, version: commitment_service.update(
                session, record=record, data=patch_of(data, version), actor=actor
            ),
            language,
        ),
        reload=lambda: commitment_service.get(session, commitment_id, include_deleted=True),
        language=language,
    )
    if isinstance(result, Saved):
        return notices.redirect(
            request,
            path_for(request, "commitment_detail", commitment_id=commitment_id),
            notices.Notice(
                N_("Commitment “%(what)s” saved."), {"what": short(result.record.description)}
            ),
        )
    return render(
        request,
        "commitments/edit.html",
        page | {"form": result.state},
        status_code=result.status_code,
        section="collaboration_commitments",
    )


@router.post("/commitments/{commitment_id:int}/delete", name="commitment_delete")
def delete_commitment(
    request: Request, session: SessionDep, actor: WebActorDep, commitment_id: RecordId
) -> RedirectResponse:
    """Delete (softly); the notice on the board offers to undo it."""
    commitment = commitment_service.get(session, commitment_id)
    records.soft_delete(session, commitment, actor=actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(
            request, "collaboration_commitments", collaboration_id=commitment.collaboration_id
        ),
        notices.Notice(
            N_("Commitment “%(what)s” deleted."),
            {"what": short(commitment.description)},
            undo=path_for(request, "commitment_restore", commitment_id=commitment_id),
        ),
    )


@router.post("/commitments/{commitment_id:int}/restore", name="commitment_restore")
def restore_commitment(
    request: Request, session: SessionDep, actor: WebActorDep, commitment_id: RecordId
) -> RedirectResponse:
    """Undo a delete."""
    commitment = commitment_service.get(session, commitment_id, include_deleted=True)
    restore_with(commitment_service, session, commitment, actor)
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "commitment_detail", commitment_id=commitment_id),
        notices.Notice(
            N_("Commitment “%(what)s” restored."), {"what": short(commitment.description)}
        ),
    )
