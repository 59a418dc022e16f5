"""One JSON error shape for every failure, and the mapping from domain errors to HTTP.

Every error body is ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``;
``errors`` lists each offending field for 422 and is empty otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import auth
from governance.errors import Conflict, DomainError, Invalid, NotFound, Unauthorised

log = logging.getLogger(__name__)


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    detail: str
    errors: list[FieldError] = []
    current_version: int | None = None


#: Responses every record route can give, for the OpenAPI schema.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such record, or it is deleted"},
    409: {"model": ErrorBody, "description": "Your version is stale; read again"},
    422: {"model": ErrorBody, "description": "Invalid input; one message per field"},
}

#: What every route behind sign-in may also answer.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not signed in: send a live API token as a Bearer"},
    403: {"model": ErrorBody, "description": "Your role may not do this"},
}

_PYDANTIC_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "json_invalid": "is not valid JSON",
}


def field_name(loc: Sequence[int | str]) -> str:
    """``("body", "attendance", 0, "stakeholder_id")`` → ``"attendance[0].stakeholder_id"``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "body"


def _pydantic_message(error: dict[str, Any]) -> str:
    message = _PYDANTIC_MESSAGES.get(error["type"], error["msg"])
    return str(message).removeprefix("Value error, ")


def _body(status: int, detail: str, errors: list[FieldError], **extra: Any) -> JSONResponse:
    content = ErrorBody(detail=detail, errors=errors, **extra).model_dump(exclude_none=True)
    return JSONResponse(status_code=status, content=content)


def _summary(errors: list[FieldError]) -> str:
    listed = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return f"Invalid input — {listed}{more}"


async def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=field_name(e["loc"]), message=_pydantic_message(e)) for e in exc.errors()
    ]
    return _body(422, _summary(errors), errors)


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Invalid)
    errors = [FieldError(field=f, message=m) for f, m in exc.errors.items()]
    return _body(422, _summary(errors), errors)


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return _body(404, exc.message, [])


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Conflict)
    return _body(409, exc.message, [], current_version=exc.current_version)


async def _unauthorised(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return _body(401, exc.message, [])


async def _sign_in_required(_: Request, exc: Exception) -> JSONResponse:
    response = _body(
        401,
        "Sign in first: send 'Authorization: Bearer <token>' with a live API token "
        "(create one on your account page or with: collabgov tokens create NAME)",
        [],
    )
    response.headers["www-authenticate"] = 'Bearer realm="collabgov"'
    return response


async def _forbidden(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, auth.Forbidden)
    return _body(403, f"Forbidden: {exc.message}", [])


async def _integrity(_: Request, exc: Exception) -> JSONResponse:
    # Services check every rule first; this is the database catching a race between two
    # writers (say, the same attendee added twice at once), so it is a conflict.
    log.warning("integrity error: %s", exc)
    return _body(409, "The change clashes with another change made at the same time; retry", [])


async def _data_error(_: Request, exc: Exception) -> JSONResponse:
    # Validation should have caught it; the database refusing a value is still the
    # client's input, never a server error.
    log.warning("data error: %s", exc)
    return _body(422, "A value cannot be stored (out of range or invalid characters)", [])


async def _database_busy(_: Request, exc: Exception) -> JSONResponse:
    log.error("database error: %s", exc)
    return _body(503, "The database is busy; retry in a moment", [])


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return _body(exc.status_code, str(exc.detail), [])


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(Invalid, _invalid)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(Unauthorised, _unauthorised)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(auth.SignInRequired, _sign_in_required)
    app.add_exception_handler(auth.Forbidden, _forbidden)
