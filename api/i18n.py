"""Languages of the web app: which one a request gets, and its Babel catalog.

English is the source language; Bahasa Indonesia is translated in
``api/translations/id/LC_MESSAGES/messages.po``. The catalogs are compiled in memory
when the app starts (no ``.mo`` files are committed). A request's language is, in
order: ``?lang=`` (which is then remembered in a cookie), the cookie, the browser's
``Accept-Language``, and the deployment's default (``COLLABGOV_DEFAULT_LANGUAGE``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The languages the interface speaks, the source language first.
LANGUAGES: tuple[str, ...] = ("en", "id")
SOURCE_LANGUAGE = "en"
#: Each language's name in itself, as the language switch shows it.
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "id": "Bahasa Indonesia"}

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

LANGUAGE_COOKIE = "collabgov_lang"
LANGUAGE_PARAM = "lang"
#: The language switch is remembered for a year.
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

#: Where the secretariat works: times are shown in this zone (Jakarta has no daylight saving).
DISPLAY_TIMEZONE = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Language:
    """One interface language: its code, Babel locale and compiled messages."""

    code: str
    locale: Locale
    translations: NullTranslations
    timezone: dt.tzinfo = DISPLAY_TIMEZONE

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES[self.code]

    def gettext(self, message: str, /, **params: Any) -> str:
        """The translation of ``message``, with ``%(name)s`` placeholders filled from ``params``."""
        text = self.translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        """The singular or plural translation for ``n``; ``%(num)d`` is ``n``."""
        text = self.translations.ngettext(singular, plural, n)
        return text % ({"num": n} | params)


def read_catalog(language: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    """A language's catalog: ``messages.po`` plus any other ``.po`` file beside it.

    Work in progress may keep its new messages in a file of its own (``meetings.po``),
    merged here, until ``make messages`` folds it into ``messages.po``.
    """
    main = po_path(language, directory)
    with main.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    for extra in sorted(main.parent.glob("*.po")):
        if extra == main:
            continue
        with extra.open("rb") as source:
            for message in read_po(source, locale=language, domain=DOMAIN):
                known = catalog.get(message.id) if message.id else None
                if message.id and (known is None or not known.string or known.fuzzy):
                    catalog[message.id] = message
    return catalog


def compile_catalog(language: str, directory: Path = TRANSLATIONS_DIR) -> Translations:
    """Compile a language's catalog into translations in memory (``write_mo``, no files)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(language, directory))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def po_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_languages(directory: Path = TRANSLATIONS_DIR) -> dict[str, Language]:
    """Every interface language with its compiled catalog; English needs none."""
    languages: dict[str, Language] = {}
    for code in LANGUAGES:
        translations: NullTranslations = (
            NullTranslations() if code == SOURCE_LANGUAGE else compile_catalog(code, directory)
        )
        languages[code] = Language(code, Locale.parse(code), translations)
    return languages


def parse_accept_language(header: str) -> list[str]:
    """Primary language codes of an ``Accept-Language`` header, most wanted first.

    >>> parse_accept_language("en-US;q=0.5, id-ID, fr;q=0")
    ['id', 'en']
    """
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary and quality > 0:
            weighted.append((-quality, position, primary))
    ordered: list[str] = []
    for _, _, code in sorted(weighted):
        if code not in ordered:
            ordered.append(code)
    return ordered


def choose_language(
    *, requested: str | None, remembered: str | None, accept: str | None, default: str
) -> str:
    """A request's language: ``?lang=``, then the cookie, then the browser, then the default."""
    for candidate in (requested, remembered):
        if candidate in LANGUAGES:
            return candidate
    for code in parse_accept_language(accept or ""):
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else SOURCE_LANGUAGE


def language_cookie(code: str, *, secure: bool) -> str:
    """The ``Set-Cookie`` value that remembers the chosen language."""
    parts = [
        f"{LANGUAGE_COOKIE}={code}",
        "Path=/",
        f"Max-Age={LANGUAGE_COOKIE_MAX_AGE}",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class LanguageMiddleware:
    """Puts the request's language code in ``request.state.language``.

    A valid ``?lang=`` also sets the long-lived cookie on the response, so the
    choice is remembered on the next page, without JavaScript and without sessions.
    """

    def __init__(self, app: ASGIApp, *, default: str, secure_cookie: bool = False) -> None:
        self.app = app
        self.default = default
        self.secure_cookie = secure_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        requested = request.query_params.get(LANGUAGE_PARAM)
        code = choose_language(
            requested=requested,
            remembered=request.cookies.get(LANGUAGE_COOKIE),
            accept=request.headers.get("accept-language"),
            default=self.default,
        )
        scope.setdefault("state", {})["language"] = code
        if requested not in LANGUAGES:
            await self.app(scope, receive, send)
            return
        cookie = language_cookie(code, secure=self.secure_cookie)

        async def send_remembering(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_remembering)
