"""Confirmations that survive the 303 redirect after a form, without server sessions.

A notice travels in a short-lived cookie signed with HMAC-SHA256 under the settings'
``secret_key``: the browser carries it to the next page, which shows it once and
clears it. A tampered, foreign or expired cookie is ignored. The message is kept as
its English message id and translated when shown, in the language of that page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

if TYPE_CHECKING:
    from api.i18n import Language

NOTICE_COOKIE = "collabgov_notice"
#: A notice is meant for the page right after the redirect; it expires soon after.
MAX_AGE_SECONDS = 120
_PURPOSE = b"collabgov notice cookie\x00"


@dataclass(frozen=True)
class Notice:
    """A message for the next page: an English message id with ``%(name)s`` parameters.

    ``undo`` is the path of a POST route that reverses what was just done (restoring a
    deleted record); the page shows it as an Undo button.
    """

    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    undo: str | None = None

    def translated(self, language: Language) -> ShownNotice:
        return ShownNotice(text=language.gettext(self.message, **self.params), undo=self.undo)

    def to_json(self) -> dict[str, Any]:
        return {"m": self.message, "p": dict(self.params), "u": self.undo}

    @classmethod
    def from_json(cls, data: Any) -> Notice | None:
        if not isinstance(data, dict):
            return None
        message, params, undo = data.get("m"), data.get("p"), data.get("u")
        if not isinstance(message, str) or not isinstance(params, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
            return None
        if undo is not None and not (isinstance(undo, str) and undo.startswith("/")):
            return None
        return cls(message, params, undo)


@dataclass(frozen=True)
class ShownNotice:
    text: str
    undo: str | None


def _key(secret: str) -> bytes:
    return hashlib.sha256(_PURPOSE + secret.encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: Mapping[str, Any], secret: str, *, now: float | None = None) -> str:
    """``payload`` with the time it was issued, as ``data.signature`` (both base64url)."""
    issued = int(now if now is not None else time.time())
    data = _b64(json.dumps({"t": issued, "d": payload}, separators=(",", ":")).encode())
    mac = hmac.new(_key(secret), data.encode("ascii"), hashlib.sha256).digest()
    return f"{data}.{_b64(mac)}"


def unsign(
    value: str, secret: str, *, max_age: int = MAX_AGE_SECONDS, now: float | None = None
) -> Any:
    """The payload of a value made by :func:`sign`, or None if forged, garbled or expired."""
    data, _, signature = value.partition(".")
    try:
        expected = hmac.new(_key(secret), data.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            return None
        content = json.loads(_unb64(data))
    except (ValueError, UnicodeError):
        return None
    issued = content.get("t") if isinstance(content, dict) else None
    if not isinstance(issued, int):
        return None
    age = (now if now is not None else time.time()) - issued
    if not -5 <= age <= max_age:
        return None
    return content.get("d")


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def redirect(request: Request, url: str, notice: Notice) -> RedirectResponse:
    """303 See Other to ``url``, carrying ``notice`` to the page there."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        NOTICE_COOKIE,
        sign(notice.to_json(), _secret(request)),
        max_age=MAX_AGE_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.environment == "production",
    )
    return response


def pop(request: Request) -> Notice | None:
    """The notice waiting for this page, if a valid one is there (clear it with :func:`clear`)."""
    value = request.cookies.get(NOTICE_COOKIE)
    if not value:
        return None
    return Notice.from_json(unsign(value, _secret(request)))


def clear(response: Response) -> None:
    response.delete_cookie(NOTICE_COOKIE, path="/", httponly=True, samesite="lax")
