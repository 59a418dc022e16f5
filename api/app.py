"""The FastAPI application factory."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette._utils import get_route_path  # what Starlette's routes match on
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from api import auth, errors, i18n, pages, web
from api.pages import errors as page_errors
from api.routes import modules as route_modules
from governance.config import Settings, get_settings
from governance.db import SessionFactory, engine_from_settings

API_PREFIX = "/api/v1"

DESCRIPTION = """
collabgov records who takes part in a collaboration between public agencies and
non-state actors, what happens in its forums, what each side promised and did, how
trust rose and fell, and how far each outcome has come (Ansell & Gash 2008).

Lists answer `{"items": [...], "total": N, "limit": L, "offset": O}`. Updates are
`PATCH` with the `version` you last read; a stale version gets 409 and changes
nothing. Deletes are soft: `POST .../{id}/restore` undoes them. Errors are JSON:
`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.
"""


def create_app(
    settings: Settings | None = None, *, sessions: SessionFactory | None = None
) -> FastAPI:
    """Build the app; tests pass their own ``sessions`` bound to a test database."""
    settings = settings or get_settings()
    app = FastAPI(
        title="collabgov",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        # Our own /docs page (api/pages/apidocs.py): FastAPI's starts with an inline script.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessions = sessions or SessionFactory(engine_from_settings(settings))
    errors.install(app)

    #: Each named route's access, so pages can leave out what the viewer may not use.
    app.state.route_access = {}
    # Each module straight into the app, not through an /api/v1 router of their own:
    # FastAPI matches a request once more for every level of included routers.
    for module in route_modules():
        access = getattr(module, "ACCESS", auth.Access.RECORDS)
        app.include_router(
            module.router,
            prefix=API_PREFIX,
            dependencies=[_guarded(app, module)],
            responses=errors.AUTH_RESPONSES if access.needs_sign_in else None,
        )

    # The web pages: HTML, in the request's language, outside the OpenAPI schema.
    app.state.languages = i18n.load_languages()
    app.state.templates = web.make_environment()
    for module in pages.modules():
        app.include_router(
            module.router, include_in_schema=False, dependencies=[_guarded(app, module)]
        )
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    page_errors.install(app)
    app.add_middleware(
        i18n.LanguageMiddleware,
        default=settings.default_language,
        secure_cookie=settings.secure_cookies,
    )
    app.add_middleware(auth.SecurityMiddleware, secure_cookies=settings.secure_cookies)
    for route in app.router.routes:
        _skip_unless_path_fits(route)
    if settings.environment == "production":
        # What is built by now (modules, the app, its routes and templates: some 200,000
        # objects) lives as long as the server; frozen, the collector no longer walks it.
        # Each full collection otherwise took some 180 ms of one request in a hundred,
        # the tail of every list's p99. Not in tests and development, which build apps
        # over and over: a frozen app's cycles are never freed.
        gc.freeze()
        # A request allocates a few thousand objects and frees nearly all of them
        # itself (reference counting); with Python's default of a young collection every
        # 700 allocations, a list request paid 0.3–0.6 ms for collections that found
        # nothing. Ten times fewer, at a few hundred KB more memory.
        gc.set_threshold(7_000, 10, 10)
    return app


def _skip_unless_path_fits(route: BaseRoute) -> None:
    """Let ``route`` (an included router) say "no match" at once to a path none of its
    routes' patterns fits.

    The app tries its fifty-odd included routers in turn for every request, and FastAPI's
    match of an included router (scope bookkeeping, then each of its routes) costs some
    50 µs even when no route of it can fit: 0.6 ms for an API request, 1.4 ms for a page
    behind all the API routers. Testing the path against the routers' compiled patterns
    first costs a microsecond or two. A route matches (fully, or partly when only the
    method differs) only if its pattern fits the path, so the answers are the same.
    """
    patterns: list[re.Pattern[str]] = []
    for context in iter_route_contexts([route]):
        pattern = getattr(context, "path_regex", None)
        if not isinstance(pattern, re.Pattern):
            return  # a route of a kind not known here: leave the router as it is
        patterns.append(pattern)
    original: Callable[[Scope], tuple[Match, Scope]] = route.matches

    def matches(scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket"):
            path = get_route_path(scope)
            if not any(pattern.match(path) for pattern in patterns):
                return Match.NONE, {}
        return original(scope)

    route.matches = matches  # type: ignore[method-assign]


def _guarded(app: FastAPI, module: ModuleType) -> Any:
    """The access check of a route or page module (records' by default)."""
    access: auth.Access = getattr(module, "ACCESS", auth.Access.RECORDS)
    for route in module.router.routes:
        name = getattr(route, "name", None)
        if name:
            app.state.route_access.setdefault(name, access)
    return Depends(auth.guard(access))
