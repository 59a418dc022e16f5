"""One's own account: who you are, your password, your API tokens, your sessions; signing out.

Passwords are never written back into a form, whatever went wrong. A new API token is
shown once, on the page that answers the form that made it (never in a redirect, a
cookie or a log): only its hash is kept, so it cannot be shown again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from api import auth
from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages import notices
from api.pages.forms import FormDep, FormState, field_errors, text
from api.pages.labels import N_
from api.web import LanguageDep, path_for, render
from governance.errors import Invalid
from governance.users import passwords, signin
from governance.users import service as user_service
from governance.users.models import User

router = APIRouter()
ACCESS = auth.Access.SIGNED_IN

#: The users service states its rules in English; these are the message ids people read.
#: Each pattern's named groups fill the message's parameters.
ACCOUNT_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^is not your current password$"), N_("This is not your current password.")),
    (
        re.compile(r"^must be at least (?P<num>\d+) characters long$"),
        N_("Use at least %(num)s characters."),
    ),
    (
        re.compile(r"^must be at most (?P<num>\d+) characters long$"),
        N_("Use at most %(num)s characters."),
    ),
    (
        re.compile(r"^is one of the most common passwords; choose another$"),
        N_("This is one of the most common passwords; choose another."),
    ),
    (re.compile(r"^must not be the user name$"), N_("Must not be the user name.")),
    (
        re.compile(r"^must differ from the current password$"),
        N_("Must differ from your current password."),
    ),
    (
        re.compile(r"^must be 1 to (?P<num>\d+) characters long$"),
        N_("Enter 1 to %(num)s characters."),
    ),
    (
        re.compile(r"^a user named (?P<name>.+) already exists$"),
        N_("A user named %(name)s already exists; choose another name."),
    ),
    (
        re.compile(r"^you cannot remove your own admin rights or account$"),
        N_(
            "You cannot remove your own admin rights or disable your own account; "
            "ask another administrator."
        ),
    ),
    (
        re.compile(r"^user (?P<name>.+) is deleted or inactive$"),
        N_("The account %(name)s is disabled; enable it first."),
    ),
]


def account_errors(error: Invalid, language: Language) -> dict[str, str]:
    """The users service's errors by form field, in the page's language."""
    found: dict[str, str] = {}
    for name, message in error.errors.items():
        for pattern, message_id in ACCOUNT_MESSAGES:
            match = pattern.match(message)
            if match is not None:
                found[name] = language.gettext(message_id, **match.groupdict())
                break
        else:
            found |= field_errors(Invalid.field(name, message), language)
    return found


def repeat_error(password: str, repeated: str, language: Language) -> str | None:
    """The error of a "repeat the password" field, if the two differ."""
    if password and password != repeated:
        return language.gettext(N_("The two passwords differ; type the same password twice."))
    return None


@dataclass(frozen=True)
class NewToken:
    """A token just created: its only appearance anywhere."""

    name: str
    value: str


def _me(session: Session, principal: auth.Principal) -> User:
    assert principal.user_id is not None  # the guard admits only signed-in users
    return user_service.get(session, principal.user_id)


def _page(
    request: Request,
    session: Session,
    principal: auth.Principal,
    *,
    password_form: FormState | None = None,
    token_form: FormState | None = None,
    new_token: NewToken | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    user = _me(session, principal)
    idle = dt.timedelta(minutes=request.app.state.settings.session_idle_minutes)
    live = signin.live_sessions(session, user_id=user.id, idle=idle)
    return render(
        request,
        "account/index.html",
        {
            "user": user,
            "password_form": password_form or FormState(),
            "token_form": token_form or FormState(),
            "tokens": list(reversed(user_service.list_tokens(session, user=user))),
            "new_token": new_token,
            "sessions": live,
            "current_session": principal.session_id,
            "others": sum(1 for row in live if row.id != principal.session_id),
            "password_min": passwords.MIN_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/account", name="account")
def account(request: Request, session: SessionDep, principal: auth.PrincipalDep) -> HTMLResponse:
    """Who you are and your role; your password, API tokens and live sessions."""
    return _page(request, session, principal)


@router.post("/account/password", name="account_password", response_model=None)
def change_password(
    request: Request,
    session: SessionDep,
    principal: auth.PrincipalDep,
    language: LanguageDep,
    form: FormDep,
) -> HTMLResponse | RedirectResponse:
    """Change your password; every other session of yours ends, this one stays."""
    current = text(form, "current_password")
    new = text(form, "new_password")
    state = FormState()
    if not current:
        state.errors["current_password"] = language.gettext(N_("Enter your current password."))
    if not new:
        state.errors["new_password"] = language.gettext(N_("Enter a new password."))
    mismatch = repeat_error(new, text(form, "new_password_repeat"), language)
    if mismatch:
        state.errors["new_password_repeat"] = mismatch
    if not state.invalid:
        try:
            user_service.change_password(
                session,
                user=_me(session, principal),
                current=current,
                new=new,
                actor=principal.actor,
                keep_session=principal.session_id,
            )
        except Invalid as error:
            state.errors = account_errors(error, language)
        else:
            session.commit()
            return notices.redirect(
                request,
                path_for(request, "account"),
                notices.Notice(N_("Password changed. Your other sessions were signed out.")),
            )
    return _page(request, session, principal, password_form=state, status_code=400)


@router.post("/account/tokens", name="account_token_create")
def create_token(
    request: Request,
    session: SessionDep,
    principal: auth.PrincipalDep,
    language: LanguageDep,
    form: FormDep,
) -> HTMLResponse:
    """Make an API token and show it this once (201); it is never shown again."""
    name = text(form, "name").strip()
    state = FormState(values={"name": name})
    try:
        token = user_service.create_token(
            session, user=_me(session, principal), name=name, actor=principal.actor
        )
    except Invalid as error:
        state.errors = account_errors(error, language)
        return _page(request, session, principal, token_form=state, status_code=400)
    session.commit()
    return _page(request, session, principal, new_token=NewToken(name, token), status_code=201)


@router.post(
    "/account/tokens/{token_id:int}/revoke", name="account_token_revoke", response_model=None
)
def revoke_token(
    request: Request, session: SessionDep, principal: auth.PrincipalDep, token_id: RecordId
) -> RedirectResponse:
    """Stop one of your tokens working; another user's token is not found (404)."""
    assert principal.user_id is not None
    row = user_service.revoke_token(
        session, token_id=token_id, actor=principal.actor, owner_id=principal.user_id
    )
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "account"),
        notices.Notice(N_("API token “%(name)s” revoked."), {"name": row.name}),
    )


@router.post("/account/sessions/end-others", name="account_sessions_end")
def end_other_sessions(
    request: Request, session: SessionDep, principal: auth.PrincipalDep
) -> RedirectResponse:
    """Sign out everywhere else: every session of yours but this one ends."""
    ended = user_service.end_other_sessions(
        session, user=_me(session, principal), keep=principal.session_id, actor=principal.actor
    )
    session.commit()
    return notices.redirect(
        request,
        path_for(request, "account"),
        notices.Notice(
            N_("Signed out everywhere else. Sessions ended: %(count)s."), {"count": str(ended)}
        ),
    )


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep, principal: auth.PrincipalDep) -> RedirectResponse:
    """End this session now: the old cookie opens nothing afterwards, even if copied."""
    signin.end_session(session, key=principal.session_key, actor=principal.actor)
    session.commit()
    response = RedirectResponse(path_for(request, "login"), status_code=303)
    auth.clear_session_cookie(response, request.app.state.settings)
    return response
