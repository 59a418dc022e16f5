"""Signing in and out.

Sign-in checks the throttle before the password, so a guesser past the limit learns
nothing; it starts a new server-side session (a new key, whatever cookie came in) and
sends the user back to the page they wanted — only ever a path on this site.
"""

from __future__ import annotations

import datetime as dt
import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import auth
from api.deps import SessionDep
from api.pages import notices
from api.pages.forms import FormDep, FormState, text
from api.pages.labels import N_
from api.web import LanguageDep, path_for, render
from governance.users import service as user_service
from governance.users import signin

router = APIRouter()
ACCESS = auth.Access.SIGN_IN


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else "" (no open redirect)."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    if any(ord(character) < 32 for character in target):
        return ""
    return target


def throttle_of(request: Request) -> signin.Throttle:
    settings = request.app.state.settings
    return signin.Throttle(
        per_name=settings.login_failures_per_name,
        per_address=settings.login_failures_per_address,
        window=dt.timedelta(minutes=settings.login_failure_window_minutes),
    )


def _page(request: Request, state: FormState, *, status_code: int = 200) -> HTMLResponse:
    return render(request, "account/login.html", {"form": state}, status_code=status_code)


@router.get("/login", name="login")
def login_form(request: Request, next: str = "") -> Response:
    principal: auth.Principal = request.state.principal
    if principal.signed_in:
        return RedirectResponse(safe_next(next) or path_for(request, "home"), status_code=303)
    return _page(request, FormState(values={"next": safe_next(next)}))


@router.post("/login", name="login_submit")
def login(request: Request, session: SessionDep, form: FormDep, language: LanguageDep) -> Response:
    name = text(form, "name").strip()
    password = text(form, "password")
    target = safe_next(text(form, "next"))
    state = FormState(values={"name": name, "next": target})
    if not name:
        state.errors["name"] = language.gettext(N_("Enter your user name."))
    if not password:
        state.errors["password"] = language.gettext(N_("Enter your password."))
    if state.invalid:
        return _page(request, state, status_code=400)
    address = auth.client_address(request)
    throttle = throttle_of(request)
    wait = signin.refused_for(session, name=name, address=address, throttle=throttle)
    if wait is not None:
        signin.record_failure(
            session, name=name, address=address, throttle=throttle, reason="throttled"
        )
        session.commit()
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        state.problems.append(
            language.ngettext(
                "Too many failed sign-ins. Try again in %(num)s minute.",
                "Too many failed sign-ins. Try again in %(num)s minutes.",
                minutes,
            )
        )
        refused = _page(request, state, status_code=429)
        refused.headers["retry-after"] = str(math.ceil(wait.total_seconds()))
        return refused
    user = user_service.authenticate(session, name=name, password=password)
    if user is None:
        signin.record_failure(
            session, name=name, address=address, throttle=throttle, reason="wrong credentials"
        )
        session.commit()
        state.problems.append(language.gettext(N_("Wrong user name or password.")))
        return _page(request, state, status_code=401)
    # A new session, whatever came in: a session id planted before sign-in is worthless.
    old_key = request.cookies.get(auth.SESSION_COOKIE)
    if old_key:
        signin.end_session(session, key=old_key, actor=auth.Principal.ANONYMOUS.actor)
    key = signin.start_session(
        session,
        user=user,
        address=address,
        user_agent=request.headers.get("user-agent", ""),
    )
    session.commit()
    response: Response = notices.redirect(
        request,
        target or path_for(request, "home"),
        notices.Notice(N_("Signed in as %(name)s."), {"name": user.name}),
    )
    auth.set_session_cookie(response, key, request.app.state.settings)
    return response
