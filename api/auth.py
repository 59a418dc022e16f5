"""Who is asking, and whether they may: sign-in by session cookie or API token, roles, CSRF.

Every router is mounted with :func:`guard` for the :class:`Access` its module declares
(``ACCESS = Access.RESEARCH``; :attr:`Access.RECORDS` when it declares none), so no
route can be reached without its check. The guard

1. finds the principal: a ``Bearer`` token in ``Authorization`` (the API), else the
   session cookie (the pages, and the API from a signed-in browser), else anonymous;
2. refuses an anonymous request to a route that needs sign-in (:class:`SignInRequired`:
   401 JSON for the API, a redirect to the sign-in page for pages) and a signed-in one
   whose role the route does not admit (:class:`Forbidden`: 403);
3. for a state-changing request authenticated by cookie, requires the CSRF token, in the
   form field ``csrf_token`` or the ``X-CSRF-Token`` header. A token-authenticated API
   call needs none: a browser never sends a bearer token by itself.

The CSRF token is an HMAC of the session key (or, before sign-in, of a random cookie)
under the deployment's secret key: a page from another site can neither read it nor
compute it, and a token taken from one session is worthless in another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import SessionDep
from governance.audit.service import Actor
from governance.config import Settings
from governance.db import SessionFactory
from governance.users import service as user_service
from governance.users import signin
from governance.vocab import UserRole

SESSION_COOKIE = "collabgov_session"
#: A random value for the CSRF token of forms shown before sign-in (the sign-in form).
CSRF_COOKIE = "collabgov_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

security_log = logging.getLogger("collabgov.security")

ALL_ROLES = frozenset(UserRole)


@dataclass(frozen=True)
class Access:
    """Who may read (safe methods) and who may write (every other method) a router's routes.

    ``None`` means anyone, signed in or not.
    """

    read: frozenset[UserRole] | None
    write: frozenset[UserRole] | None

    #: Records: everyone signed in reads; the secretariat (and admins) write.
    RECORDS: ClassVar[Access]
    #: Research records (assessments, evidence): researchers write too.
    RESEARCH: ClassVar[Access]
    #: Only for stewards of the data: admins and the secretariat (trash, audit log).
    STEWARDS: ClassVar[Access]
    #: Administration (users): admins only.
    ADMIN: ClassVar[Access]
    #: One's own account: anyone signed in reads and writes it.
    SIGNED_IN: ClassVar[Access]
    #: The public transparency pages: anyone reads, no one writes.
    PUBLIC: ClassVar[Access]
    #: Signing in: anyone, before they are anyone.
    SIGN_IN: ClassVar[Access]

    def admits(self, role: UserRole | None, *, write: bool) -> bool:
        allowed = self.write if write else self.read
        return allowed is None or (role is not None and role in allowed)

    @property
    def needs_sign_in(self) -> bool:
        return self.read is not None


_STEWARDS = frozenset({UserRole.ADMIN, UserRole.SECRETARIAT})
Access.RECORDS = Access(read=ALL_ROLES, write=_STEWARDS)
Access.RESEARCH = Access(read=ALL_ROLES, write=_STEWARDS | {UserRole.RESEARCHER})
Access.STEWARDS = Access(read=_STEWARDS, write=_STEWARDS)
Access.ADMIN = Access(read=frozenset({UserRole.ADMIN}), write=frozenset({UserRole.ADMIN}))
Access.SIGNED_IN = Access(read=ALL_ROLES, write=ALL_ROLES)
Access.PUBLIC = Access(read=None, write=frozenset())
Access.SIGN_IN = Access(read=None, write=None)

#: Roles that see stakeholders' contact details (personal data).
CONTACT_ROLES = _STEWARDS


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user (by session or token), or an anonymous visitor."""

    user_id: int | None = None
    name: str = ""
    role: UserRole | None = None
    #: "session", "token" or "" (anonymous).
    via: str = ""
    session_id: int | None = None
    #: The raw session key, to derive the CSRF token; never logged.
    session_key: str = ""

    ANONYMOUS: ClassVar[Principal]

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def actor(self) -> Actor:
        """The audit log's "who" for this principal's writes."""
        return Actor(self.name, self.user_id) if self.signed_in else Actor("anonymous")

    @property
    def sees_contact_details(self) -> bool:
        return self.role in CONTACT_ROLES

    def may(self, access: Access, *, write: bool = True) -> bool:
        """Whether this principal may use routes with ``access`` (for links and buttons)."""
        return access.admits(self.role, write=write)


Principal.ANONYMOUS = Principal()


class SignInRequired(Exception):
    """The route needs a signed-in user and the request has none (or a dead one)."""


class Forbidden(Exception):
    """The signed-in user's role may not do this."""

    def __init__(self, message: str = "your role may not do this") -> None:
        super().__init__(message)
        self.message = message


class CsrfFailed(Forbidden):
    """A state-changing request from a browser without this session's CSRF token."""

    def __init__(self) -> None:
        super().__init__(
            "the form's security token is missing or out of date; reload the page and try again"
        )


# -- finding the principal ---------------------------------------------------------------


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def find_principal(request: Request, session: Session) -> Principal:
    """The principal of this request, looked up once and kept on ``request.state``."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    principal = _lookup(request, session)
    request.state.principal = principal
    session.info["principal"] = principal
    return principal


def _lookup(request: Request, session: Session) -> Principal:
    token = _bearer(request)
    if token is not None:
        use = user_service.find_token(session, token)
        if use is None:
            security_log.warning(
                "refused: unknown or revoked API token from %s for %s %s",
                client_address(request),
                request.method,
                request.url.path,
            )
            raise SignInRequired
        if use.stale:
            _write_aside(request, session, lambda s: user_service.touch_token(s, use.token_id))
        user = use.user
        return Principal(user.id, user.name, user.role, via="token")
    key = request.cookies.get(SESSION_COOKIE)
    if not key:
        return Principal.ANONYMOUS
    idle = dt.timedelta(minutes=_settings(request).session_idle_minutes)
    found = signin.find_session(session, key, idle=idle)
    if found is None:
        return Principal.ANONYMOUS
    if found.stale:
        _write_aside(request, session, lambda s: signin.touch_session(s, found.session_id))
    user = found.user
    return Principal(
        user.id, user.name, user.role, via="session", session_id=found.session_id, session_key=key
    )


def _write_aside(request: Request, session: Session, write: Callable[[Session], None]) -> None:
    """Write bookkeeping (a last-used time) without turning a read into a write.

    A request that writes anyway does it in its own transaction; a read opens a short
    write transaction of its own, so its snapshot stays read-only.
    """
    if request.method not in SAFE_METHODS:
        write(session)
        return
    factory: SessionFactory = request.app.state.sessions
    with factory.writer() as aside:
        write(aside)
        aside.commit()


def principal_of(session: Session) -> Principal:
    """The principal the request owning ``session`` runs for (anonymous outside requests)."""
    principal: Principal = session.info.get("principal", Principal.ANONYMOUS)
    return principal


# -- the guard ---------------------------------------------------------------------------


#: Declares the API's bearer tokens in the OpenAPI schema; the guard reads the header itself.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token (your account page, or: collabgov tokens create NAME)",
)


def guard(access: Access) -> Callable[..., Awaitable[Principal]]:
    """The dependency every router of ``access`` is mounted with."""

    async def check(request: Request, principal: PrincipalDep) -> Principal:
        write = request.method not in SAFE_METHODS
        # A form page (one route that shows the form on GET and saves it on POST) is for
        # those who may save it: a viewer does not get an edit form they cannot send.
        shows_a_form = not write and "POST" in getattr(request.scope.get("route"), "methods", ())
        if shows_a_form and not access.admits(principal.role, write=True):
            _refuse(request, principal, "role")
        if not access.admits(principal.role, write=write):
            _refuse(request, principal, "role")
        # Cookie-borne requests need the token; so does the sign-in form itself.
        by_cookie = principal.via == "session" or (not principal.signed_in and access.write is None)
        if write and by_cookie:
            await _check_csrf(request, principal)
        return principal

    if not access.needs_sign_in:
        return check

    async def check_signed_in(
        request: Request,
        principal: PrincipalDep,
        _token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    ) -> Principal:
        return await check(request, principal)

    return check_signed_in


def require_write(request: Request, principal: Principal, access: Access) -> None:
    """Refuse (and log) a page that offers what only writers of ``access`` can send.

    For a form shown by a GET route of its own, which the guard cannot tell from a page
    that only reads (the import's upload form posts to another route).
    """
    if not access.admits(principal.role, write=True):
        _refuse(request, principal, "role")


def _refuse(request: Request, principal: Principal, reason: str) -> None:
    _log_refusal(request, principal, reason)
    if not principal.signed_in:
        raise SignInRequired
    raise Forbidden


def _log_refusal(request: Request, principal: Principal, reason: str) -> None:
    # A visitor sent to the sign-in page is routine; a signed-in user refused is not.
    level = logging.WARNING if principal.signed_in or reason == "csrf" else logging.INFO
    security_log.log(
        level,
        "refused (%s): %s %s by %s from %s",
        reason,
        request.method,
        request.url.path,
        principal.name or "anonymous",
        client_address(request),
    )


async def _check_csrf(request: Request, principal: Principal) -> None:
    expected = csrf_token(request, principal)
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and _has_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    # Bytes: compare_digest refuses str with characters beyond ASCII (a 500, not a 403).
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        # CsrfFailed, not _refuse's Forbidden: the page says the form expired, and the
        # sign-in form (posted before anyone is signed in) is refused, not redirected.
        _log_refusal(request, principal, "csrf")
        raise CsrfFailed


def _has_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _current_principal(request: Request, session: SessionDep) -> Principal:
    return find_principal(request, session)


PrincipalDep = Annotated[Principal, Depends(_current_principal)]


# -- CSRF tokens -------------------------------------------------------------------------


def csrf_token(request: Request, principal: Principal | None = None) -> str:
    """This browser's CSRF token: bound to its session, or to its CSRF cookie before sign-in."""
    if principal is None:
        principal = getattr(request.state, "principal", None) or Principal.ANONYMOUS
    if principal.via == "session":
        return session_csrf_token(_settings(request), principal.session_key)
    return _digest(_settings(request), "anonymous:" + _csrf_cookie(request))


def session_csrf_token(settings: Settings, session_key: str) -> str:
    """The CSRF token of the session with this key."""
    return _digest(settings, "session:" + session_key)


def _digest(settings: Settings, basis: str) -> str:
    return hmac.new(settings.secret_key.encode(), basis.encode(), hashlib.sha256).hexdigest()


def _csrf_cookie(request: Request) -> str:
    value = request.cookies.get(CSRF_COOKIE)
    if not value:
        state = request.scope.setdefault("state", {})
        value = state.get("new_csrf", "")
        state["csrf_cookie_used"] = True
    return str(value)


# -- cookies and headers -----------------------------------------------------------------

#: No inline script anywhere; styles only from our own files (SVG charts use attributes).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: The interactive API documentation (api/pages/apidocs.py) loads Swagger UI's script and
#: styles from a CDN and starts it with a static file of ours: no inline script there either.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' https://cdn.jsdelivr.net",
        "style-src 'self' https://cdn.jsdelivr.net",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityMiddleware:
    """Security headers on every response, and the pre-sign-in CSRF cookie when missing."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        if f"{CSRF_COOKIE}=" not in _cookie_header(scope):
            # Offered to the page; sent only if it shows a form before sign-in.
            state["new_csrf"] = secrets.token_urlsafe(32)
        docs = scope["path"] in ("/docs", "/redoc")
        # Answers carry personal data, tokens shown once, exports: no browser or proxy
        # may keep them (a shared computer's cache outlives the sign-out). Our own
        # static files are the same for everyone and may be cached.
        cacheable = scope["path"].startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault(
                    "content-security-policy",
                    DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY,
                )
                if not cacheable:
                    headers.setdefault("cache-control", "no-store")
                if self.secure_cookies:
                    headers.setdefault(
                        "strict-transport-security", "max-age=31536000; includeSubDomains"
                    )
                if state.get("new_csrf") and state.get("csrf_cookie_used"):
                    headers.append("set-cookie", self._csrf_cookie(state["new_csrf"]))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # Starlette answers an unhandled error outside every middleware, so its 500
            # page would go out without these headers: answer here, then let it be logged.
            app = scope.get("app")
            handler = getattr(app, "exception_handlers", {}).get(Exception)
            if started or handler is None or getattr(app, "debug", False):
                raise
            answer = handler(Request(scope), exc)
            response = await answer if inspect.isawaitable(answer) else answer
            await response(scope, receive, send_with_headers)
            raise

    def _csrf_cookie(self, value: str) -> str:
        secure = "; Secure" if self.secure_cookies else ""
        return f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"


def _cookie_header(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return str(value.decode("latin-1"))
    return ""


def set_session_cookie(response: Any, key: str, settings: Settings) -> None:
    """The session cookie: the key only, unreadable by scripts, not sent cross-site."""
    response.set_cookie(
        SESSION_COOKIE,
        key,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Any, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies, path="/"
    )
