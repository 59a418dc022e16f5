"""The web pages' view layer: the Jinja2 environment, its locale filters, and ``render``.

Templates live in ``templates/`` and mirror the page routes. Every page is rendered
through :func:`render`, which puts the request's language, the notice left by the
previous form and the navigation into the template's context.

Conventions later pages rely on:

- A page inside a collaboration passes ``collaboration`` (any object with ``id`` and
  ``name``) to :func:`render`; the collaboration's navigation then appears, showing
  each section of :data:`COLLABORATION_SECTIONS` whose route exists. A section's route
  is named as listed there and takes ``collaboration_id``.
- A record's page route is named as in :data:`RECORD_ROUTES` and takes ``<type>_id``;
  :func:`record_url` (a template global too) links to it once it exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any

from babel import dates, numbers
from fastapi import Depends
from fastapi.routing import iter_route_contexts
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound

from api import auth
from api.i18n import LANGUAGE_NAMES, LANGUAGE_PARAM, LANGUAGES, Language
from api.pages import notices
from api.pages.labels import N_, VOCABULARIES, field_label_id, label_id
from governance.audit.service import Actor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

PRODUCT_NAME = "collabgov"

_current: ContextVar[Language] = ContextVar("collabgov_language")
_request: ContextVar[Request] = ContextVar("collabgov_request")


@dataclass(frozen=True)
class Section:
    """A page of a collaboration in its navigation."""

    route: str
    label: str
    #: The section is a global list filtered by ``?collaboration_id=``, not a sub-path.
    by_query: bool = False
    #: Shown only to those who may read it (None: to everyone).
    access: auth.Access | None = auth.Access.RECORDS


#: The navigation within a collaboration; a section shows once its route exists.
COLLABORATION_SECTIONS: tuple[Section, ...] = (
    Section("collaboration_dashboard", N_("Dashboard")),
    Section("stakeholder_list", N_("Stakeholders"), by_query=True),
    Section("collaboration_participants", N_("Participants")),
    Section("collaboration_forums", N_("Forums")),
    Section("collaboration_meetings", N_("Meetings")),
    Section("collaboration_commitments", N_("Commitments")),
    Section("collaboration_outcomes", N_("Outcomes")),
    Section("collaboration_trust", N_("Trust")),
    Section("collaboration_network", N_("Network")),
    Section("collaboration_diagnosis", N_("Diagnosis")),
    Section("collaboration_assessments", N_("Assessments")),
    Section("collaboration_report", N_("Report")),
    Section("collaboration_imports", N_("Import"), access=auth.Access.STEWARDS),
    Section("collaboration_exports", N_("Export")),
)

#: The main navigation, on every page.
MAIN_SECTIONS: tuple[Section, ...] = (
    Section("home", N_("Collaborations")),
    Section("stakeholder_list", N_("Stakeholders")),
    Section("user_list", N_("Users"), access=auth.Access.ADMIN),
    Section("trash", N_("Trash"), access=auth.Access.STEWARDS),
    Section("audit_log", N_("Audit log"), access=auth.Access.STEWARDS),
    Section("public_home", N_("Published forums"), access=None),
)

#: The page route of each record type, and the name of its id parameter.
RECORD_ROUTES: Mapping[str, tuple[str, str]] = {
    "collaboration": ("collaboration_dashboard", "collaboration_id"),
    "stakeholder": ("stakeholder_detail", "stakeholder_id"),
    "forum": ("forum_detail", "forum_id"),
    "meeting": ("meeting_detail", "meeting_id"),
    "commitment": ("commitment_detail", "commitment_id"),
    "trust_event": ("trust_event_detail", "trust_event_id"),
    "outcome": ("outcome_detail", "outcome_id"),
    "relationship": ("relationship_detail", "relationship_id"),
    "evidence": ("evidence_detail", "evidence_id"),
}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool
    #: The language of the link's text and target, for the language switch.
    lang: str = ""


# -- the environment ---------------------------------------------------------------------


def current_language() -> Language:
    """The language of the template being rendered."""
    return _current.get()


@contextmanager
def speaking(language: Language, request: Request | None = None) -> Iterator[None]:
    """Render templates (and run filters) in ``language`` inside this block.

    Templates' globals read the language and the request from here rather than from
    the template context, so macros imported without context work too.
    """
    token = _current.set(language)
    request_token = _request.set(request) if request is not None else None
    try:
        yield
    finally:
        _current.reset(token)
        if request_token is not None:
            _request.reset(request_token)


def _gettext(message: str) -> str:
    return current_language().translations.gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return current_language().translations.ngettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return str(current_language().translations.pgettext(context, message))


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return str(current_language().translations.npgettext(context, singular, plural, n))


@pass_context
def _template_gettext(context: Context, message: str, /, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: Jinja's own new-style gettext, called
    directly. Jinja's goes through ``_`` → ``context.call`` → ``gettext`` → ``context.call``
    for each of the hundred-odd strings of a page; this gives the same text."""
    text = _gettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our catalog's text, as Jinja's own gettext does
    # Like Jinja's: always a format string (``%%`` reads ``%``), even without variables.
    return text % variables if variables or "%" in text else text


def make_environment(templates: Path = TEMPLATES_DIR) -> Environment:
    """The Jinja2 environment: autoescaped, strict about undefined names, with i18n."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(("html", "svg", "xml")),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    # Global callables that read the language being rendered: imported macros see them too.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.globals |= {"_": _template_gettext, "gettext": _template_gettext}
    env.filters |= {
        "date": format_date,
        "datetime": format_datetime,
        "time": format_time,
        "number": format_number,
        "percent": format_percent,
        "timeago": format_timeago,
        "label": translated_label,
        "field_label": translated_field_label,
    }
    env.globals |= {
        "options": options,
        "url": url,
        "static": static_url,
        "record_url": record_url_in,
        "linked_record": record_link,
        "status_badge": badge,
        "product_name": PRODUCT_NAME,
        "csrf_field": csrf_field,
        "url_exists": url_exists,
        "csrf_token": csrf_value,
        "may": may,
        "allowed": allowed,
    }
    return env


# -- filters -----------------------------------------------------------------------------


def format_date(value: dt.date | dt.datetime | None, format: str = "medium") -> str:
    """A date as the language writes it ("1 Apr 2020" / "Apr 1, 2020"); empty for none."""
    if value is None:
        return ""
    return _formatted_date(current_language(), isinstance(value, dt.datetime), value, format)


def format_time(value: dt.datetime | None, format: str = "short") -> str:
    """The time of an instant in the display time zone."""
    if value is None:
        return ""
    return _formatted_time(current_language(), value, format)


def format_datetime(value: dt.datetime | None) -> str:
    """An instant as a medium date and a short time, joined the language's way."""
    if value is None:
        return ""
    return _formatted_datetime(current_language(), value)


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """A number with the language's separators (1,234.5 / 1.234,5)."""
    if value is None:
        return ""
    if type(value) is not int:  # -0.0 == 0.0, and floats are rare: those are not kept
        return _number(current_language(), value, digits)
    return _formatted_number(current_language(), value, digits)


# Babel takes 50–150 µs a value, and a list of 50 rows formats a few hundred: the same
# dates, times and counts come back on every page, so each answer is kept. The answer is
# a pure function of the key (a date and a datetime are told apart, and only whole
# numbers are kept: 1 == 1.0 == True, and -0.0 == 0.0, but they print differently).
_FORMATS_KEPT = 16_384


@lru_cache(maxsize=_FORMATS_KEPT)
def _formatted_date(language: Language, instant: bool, value: dt.date, format: str) -> str:
    # ``instant`` is in the key only, to keep dates and datetimes apart whatever their equality.
    if isinstance(value, dt.datetime):
        value = value.astimezone(language.timezone).date()
    return dates.format_date(value, format, locale=language.locale)


@lru_cache(maxsize=_FORMATS_KEPT)
def _formatted_time(language: Language, value: dt.datetime, format: str) -> str:
    return dates.format_time(value, format, tzinfo=language.timezone, locale=language.locale)


@lru_cache(maxsize=_FORMATS_KEPT)
def _formatted_datetime(language: Language, value: dt.datetime) -> str:
    pattern = dates.get_datetime_format("medium", locale=language.locale)
    time = _formatted_time(language, value, "short")
    return (
        str(pattern).replace("'", "").format(time, _formatted_date(language, True, value, "medium"))
    )


@lru_cache(maxsize=_FORMATS_KEPT)
def _formatted_number(language: Language, value: int, digits: int | None) -> str:
    return _number(language, value, digits)


def _number(language: Language, value: float | int, digits: int | None) -> str:
    if digits is None:
        return numbers.format_decimal(value, locale=language.locale)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=language.locale)


def format_percent(value: float | None) -> str:
    """A share given in percent (0–100), rounded to a whole percent."""
    if value is None:
        return ""
    return numbers.format_percent(value / 100, locale=current_language().locale)


def format_timeago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago an instant was ("2 hours ago" / "2 jam yang lalu")."""
    if value is None:
        return ""
    now = now or dt.datetime.now(dt.UTC)
    return dates.format_timedelta(
        value - now, add_direction=True, threshold=1.0, locale=current_language().locale
    )


def translated_label(code: object, vocabulary: str) -> str:
    """The translated label of a vocabulary code (``civil_society`` → "Civil society")."""
    if code is None:
        return ""
    return _gettext(label_id(vocabulary, code))


def translated_field_label(field: str) -> str:
    return _gettext(field_label_id(field))


def options(vocabulary: str) -> list[tuple[str, str]]:
    """``(code, translated label)`` pairs of a vocabulary, for a select."""
    return [(str(code), _gettext(text)) for code, text in VOCABULARIES[vocabulary].items()]


@cache
def _static_version(path: str) -> str:
    """A short hash of a static file, so browsers fetch it again when it changes."""
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    return f"/static/{path}?v={_static_version(path)}"


def url(name: str, **params: Any) -> str:
    """The path of a named route (``url("stakeholder_detail", stakeholder_id=3)``)."""
    return path_for(_request.get(), name, **params)


def url_exists(name: str) -> bool:
    """Whether a named route exists (a page whose module may not be installed)."""
    return optional_path(_request.get(), name) is not None


def csrf_value() -> str:
    """The CSRF token of the request being rendered."""
    return auth.csrf_token(_request.get())


def csrf_field() -> Markup:
    """The hidden field that every ``<form method="post">`` carries (see :mod:`api.auth`)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        auth.CSRF_FIELD, csrf_value()
    )


def current_principal() -> auth.Principal:
    """Who the page being rendered is for."""
    request = _request.get()
    principal = getattr(request.state, "principal", None)
    return principal or auth.Principal.ANONYMOUS


def may(access: str = "RECORDS", *, write: bool = True) -> bool:
    """Whether the viewer may use routes of this access (``may("RESEARCH")``), to show or
    leave out a button; the server checks again on use."""
    rule: auth.Access = getattr(auth.Access, access)
    return current_principal().may(rule, write=write)


def allowed(route: str) -> bool:
    """Whether the viewer may write through the named route (or the form it opens): links
    and buttons to what the viewer's role may not do are left out. The server checks
    again on use."""
    request = _request.get()
    access: auth.Access | None = request.app.state.route_access.get(route)
    return access is not None and current_principal().may(access, write=True)


def record_url_in(record_type: str, record_id: int) -> str | None:
    """:func:`record_url` for templates."""
    return record_url(_request.get(), record_type, record_id)


# The two pieces of markup pages repeat most, as functions rather than Jinja macros (a
# macro call costs ten times as much): ``ui.record_link`` and ``ui.badge`` in templates.


def record_link(record_type: str, record_id: int | None, title: Any) -> Markup:
    """A link to a record's page when it has one, else its title alone (escaped)."""
    href = record_url_in(record_type, record_id) if record_id else None
    if href:
        return Markup('<a href="{}">{}</a>').format(href, title)
    return escape(title)


def badge(code: Any, vocabulary: str) -> Markup:
    """A status as a word in a tinted box; the word carries the meaning, not the colour."""
    return Markup('<span class="badge badge--{}">{}</span>').format(
        code, translated_label(code, vocabulary)
    )


# -- routes and navigation ---------------------------------------------------------------


def optional_path(request: Request, name: str, **params: Any) -> str | None:
    """The path of a named route, or None while no route of that name exists."""
    try:
        return reverse(request.app, name, params)
    except NoMatchFound:
        return None


def record_url(request: Request, record_type: str, record_id: int) -> str | None:
    """The page of a record, or None while its type has no page."""
    route = RECORD_ROUTES.get(record_type)
    if route is None:
        return None
    name, param = route
    return optional_path(request, name, **{param: record_id})


def _current_route(request: Request) -> str | None:
    route = request.scope.get("route")
    return getattr(route, "name", None)


def main_navigation(
    request: Request, language: Language, section: str | None, *, in_collaboration: bool
) -> list[NavLink]:
    """Collaborations and the stakeholder registry; the one the page belongs to is current."""
    route = section or _current_route(request) or ""
    if in_collaboration or route == "home" or route.startswith("collaboration"):
        current = "home"
    elif route.startswith("stakeholder"):
        current = "stakeholder_list"
    elif route.startswith("user"):
        current = "user_list"
    elif route == "trash" or route.startswith("trash_"):
        current = "trash"
    elif route in ("audit_log", "record_history"):
        current = "audit_log"
    elif route.startswith("public"):
        current = "public_home"
    else:
        current = ""
    principal = getattr(request.state, "principal", None) or auth.Principal.ANONYMOUS
    links = []
    for item in MAIN_SECTIONS:
        if item.access is not None and not principal.may(item.access, write=False):
            continue
        href = optional_path(request, item.route)
        if href is not None:
            links.append(NavLink(language.gettext(item.label), href, item.route == current))
    return links


def collaboration_navigation(
    request: Request, language: Language, collaboration_id: int, section: str | None
) -> list[NavLink]:
    current = section or _current_route(request)
    principal = getattr(request.state, "principal", None) or auth.Principal.ANONYMOUS
    links = []
    for item in COLLABORATION_SECTIONS:
        if item.access is not None and not principal.may(item.access, write=False):
            continue
        if item.by_query:
            path = optional_path(request, item.route)
            href = None if path is None else f"{path}?collaboration_id={collaboration_id}"
        else:
            href = optional_path(request, item.route, collaboration_id=collaboration_id)
        if href is not None:
            links.append(NavLink(language.gettext(item.label), href, current == item.route))
    return links


def language_links(request: Request, language: Language) -> list[NavLink]:
    """The language switch: the current page in each language (a plain link, no script)."""
    return [
        NavLink(LANGUAGE_NAMES[code], _same_page(request, code), code == language.code, code)
        for code in LANGUAGES
    ]


def _same_page(request: Request, code: str) -> str:
    switched = request.url.include_query_params(**{LANGUAGE_PARAM: code})
    return f"{switched.path}?{switched.query}"


# -- rendering ---------------------------------------------------------------------------


def request_language(request: Request) -> Language:
    """The language chosen for this request by :class:`api.i18n.LanguageMiddleware`."""
    languages: Mapping[str, Language] = request.app.state.languages
    code = getattr(request.state, "language", None)
    return languages.get(code or "", languages[request.app.state.settings.default_language])


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    section: str | None = None,
) -> HTMLResponse:
    """Render a page in the request's language, with the pending notice and navigation."""
    language = request_language(request)
    notice = notices.pop(request)
    values: dict[str, Any] = dict(context or {})
    collaboration = values.get("collaboration")
    values |= {
        "request": request,
        "language": language,
        "notice": notice.translated(language) if notice else None,
        "main_nav": main_navigation(
            request, language, section, in_collaboration=collaboration is not None
        ),
        "collaboration_nav": (
            collaboration_navigation(request, language, collaboration.id, section)
            if collaboration is not None
            else []
        ),
        "language_links": language_links(request, language),
        "principal": getattr(request.state, "principal", None) or auth.Principal.ANONYMOUS,
    }
    environment: Environment = request.app.state.templates
    with speaking(language, request):
        html = environment.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["content-language"] = language.code
    response.headers["vary"] = "Accept-Language, Cookie"
    response.headers["cache-control"] = "no-store"
    if notices.NOTICE_COOKIE in request.cookies:
        notices.clear(response)
    return response


def kept_fragment(request: Request, key: Hashable, make: Callable[[], Markup]) -> Markup:
    """A rendered piece of a page that is a pure function of ``key`` (which says what is
    shown, and in which language), made once and kept per app.

    For parts of a page without a form and without anything that depends on the viewer:
    the rows of a list cost more to render than to read.
    """
    kept: _Fragments | None = getattr(request.app.state, "fragments", None)
    if kept is None:
        kept = request.app.state.fragments = _Fragments()
    return kept.get_or_make(key, make)


class _Fragments:
    """A small thread-safe least-recently-used store of rendered fragments."""

    size = 256

    def __init__(self) -> None:
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Markup]) -> Markup:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()  # outside the lock: another thread may make the same meanwhile
        with self._lock:
            self._items[key] = made
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return made


def web_actor(principal: auth.PrincipalDep) -> Actor:
    """Who writes through the pages: the signed-in user."""
    return principal.actor


LanguageDep = Annotated[Language, Depends(request_language)]
WebActorDep = Annotated[Actor, Depends(web_actor)]


def path_for(request: Request, name: str, **params: Any) -> str:
    """The path of a named route, for redirects and links (relative: proxies stay out of it)."""
    return reverse(request.app, name, params)


def reverse(app: Any, name: str, params: Mapping[str, Any]) -> str:
    """``app.url_path_for(name, **params)``, remembered per app.

    FastAPI's own look-up walks every route of every included router for each link:
    about 2 ms a link, seconds for a page of a few hundred links (measured with
    ``bench/scale_bench.py``). An index of the routes by name makes it a dictionary
    look-up, and the paths found are kept: a path is a pure function of the route table,
    the name and the parameters, and a page links to the same few hundred again and again.
    """
    paths: dict[Any, str] | None = getattr(app.state, "route_paths", None)
    if paths is None:
        paths = app.state.route_paths = {}
    try:
        # The type too: 1, True and 1.0 are equal keys but may make different paths.
        key: Any = (name, *((k, type(v), v) for k, v in params.items()))
        found = paths.get(key)
    except TypeError:  # an unhashable parameter: look it up every time
        return _reverse(app, name, params)
    if found is None:
        found = _reverse(app, name, params)
        if len(paths) >= _ROUTE_PATHS_KEPT:
            paths.clear()
        paths[key] = found
    return found


#: Paths kept per app before starting afresh (a few MB at most).
_ROUTE_PATHS_KEPT = 50_000


def _reverse(app: Any, name: str, params: Mapping[str, Any]) -> str:
    index: dict[str, list[Any]] | None = getattr(app.state, "route_index", None)
    if index is None:
        index = {}
        for context in iter_route_contexts(app.routes):
            if context.name is not None:
                index.setdefault(context.name, []).append(context)
        app.state.route_index = index
    for context in index.get(name, ()):
        try:
            return str(context.url_path_for(name, **params))
        except NoMatchFound:
            continue
    return str(app.url_path_for(name, **params))
