"""Error pages: a page request that fails gets an HTML page in its language; the JSON API
keeps its JSON errors (``api/errors.py``) with the same status codes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.exceptions import WebSocketRequestValidationError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from api import auth
from api.pages.labels import N_
from api.web import path_for, render, request_language

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

#: Paths that answer in JSON (or are the API's own documentation), never in HTML.
NOT_PAGES = ("/api/", "/openapi.json", "/docs", "/redoc")

#: What the page says for each status: a heading and a sentence.
MESSAGES: dict[int, tuple[str, str]] = {
    400: (
        N_("This request cannot be handled"),
        N_("The address or the input is not valid. Go back and check it."),
    ),
    401: (
        N_("Sign in to continue"),
        N_("This page is for signed-in users."),
    ),
    403: (
        N_("Not allowed"),
        N_("Your role does not allow this. Ask an administrator if you need it."),
    ),
    404: (
        N_("Page not found"),
        N_("There is no page at this address, or the record was deleted."),
    ),
    405: (
        N_("This action is not possible here"),
        N_("The page does not accept this kind of request."),
    ),
    409: (
        N_("Changed meanwhile"),
        N_("Someone else changed this record at the same time. Go back, reload and try again."),
    ),
    503: (
        N_("Busy — please try again"),
        N_("The database is busy. Wait a moment and try again."),
    ),
}
GENERIC = (
    N_("Something went wrong"),
    N_("The request could not be completed. Go back and try again."),
)


def is_page(request: Request) -> bool:
    """Whether a request is for a web page rather than the JSON API."""
    return not request.url.path.startswith(NOT_PAGES)


def error_page(request: Request, status_code: int) -> Response:
    """An HTML page for an error status, in the request's language."""
    heading, text = MESSAGES.get(status_code, GENERIC)
    language = request_language(request)
    return render(
        request,
        "errors/error.html",
        {
            "status_code": status_code,
            "heading": language.gettext(heading),
            "text": language.gettext(text),
        },
        status_code=status_code,
    )


def _page_or(json_handler: Handler) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        response = json_handler(request, exc)
        if not isinstance(response, Response):
            response = await response
        if not isinstance(response, Response) or not is_page(request):
            return response
        # Pages answer invalid input with 400, as their forms do.
        return error_page(request, 400 if response.status_code == 422 else response.status_code)

    return handler


async def _server_error(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return error_page(request, 500)


def _sign_in_first(json_handler: Handler) -> Handler:
    """A page that needs sign-in sends the browser to the sign-in form, then back."""

    async def handler(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            response = json_handler(request, exc)
            return response if isinstance(response, Response) else await response
        target = request.url.path if request.method == "GET" else ""
        if request.method == "GET" and request.url.query:
            target += "?" + request.url.query
        login = path_for(request, "login")
        location = f"{login}?{urlencode({'next': target})}" if target else login
        response = RedirectResponse(location, status_code=303)
        return response

    return handler


def _csrf_failed(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return PlainTextResponse(str(exc), status_code=403)
    language = request_language(request)
    return render(
        request,
        "errors/error.html",
        {
            "status_code": 403,
            "heading": language.gettext(N_("The form has expired")),
            "text": language.gettext(
                N_(
                    "For your safety, a form only works in the session it was shown in. "
                    "Go back, reload the page and send it again."
                )
            ),
        },
        status_code=403,
    )


def install(app: FastAPI) -> None:
    """Wrap the JSON error handlers installed by ``api.errors``: pages get HTML instead."""
    for exc_class, json_handler in list(app.exception_handlers.items()):
        if exc_class is auth.SignInRequired:
            app.exception_handlers[exc_class] = _sign_in_first(json_handler)
        elif exc_class is auth.CsrfFailed:
            continue
        elif exc_class is not WebSocketRequestValidationError:
            app.exception_handlers[exc_class] = _page_or(json_handler)
    forbidden = app.exception_handlers[auth.Forbidden]

    async def csrf_or_forbidden(request: Request, exc: Exception) -> Response:
        if isinstance(exc, auth.CsrfFailed) and is_page(request):
            return _csrf_failed(request, exc)
        response = forbidden(request, exc)
        return response if isinstance(response, Response) else await response

    app.exception_handlers[auth.Forbidden] = csrf_or_forbidden
    app.exception_handlers.setdefault(Exception, _server_error)
