"""The network view: who is tied to whom in a collaboration, how that changes over time,
and who carries which outcome; and one stakeholder's ego network.

The pages read a GET form (layers, a date or a period, minimum tie weight, sectors,
the metric that sizes the nodes) and show the server-drawn SVG of
:mod:`governance.network.drawing`, inline, with a legend, a metrics table sortable
by links (``?sort=<column>&dir=asc|desc``), the network figures, their quarterly
series as a small line chart with a table beside it, and export links to the API.
Everything is computed by :mod:`governance.network.service`, cached per data
revision; a page adds a fixed number of queries of its own (the collaboration, the
outcomes and the owners of the commitments linked to them), whatever the size.

The collaboration's metrics table shows :data:`TABLE_PAGE_SIZE` stakeholders a page
(``?page=<n>``), sorted over all of them: a national case has 5,000, and their table
was 5.8 MB of HTML. Its rows are written in Python (:func:`table_body`) and kept with
the network, page by page, with the orders they are cut from; the outcome panel is
kept as HTML per data revision. A page shown again is put together from these pieces
and the drawing, without computing or formatting anything.

The change over time of a network shown as its backbone (a large case) is left to its
own request (:func:`collaboration_network_change`) until it has been written: its 36
quarters took a second of the page's cold time. The page holds a link to it in its
place, which ``network.js`` replaces with the section once fetched; without JavaScript
the link opens it as a page of its own.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args
from urllib.parse import parse_qsl, urlencode

from babel import numbers
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages.dashboard import OutcomeLine, outcome_lines
from api.pages.forms import FormState, blank_to_none, domain_message, field_errors
from api.pages.labels import N_, label_id
from api.pages.paging import Pager, page_number
from api.web import LanguageDep, path_for, render, speaking
from governance.collaborations import service as collaboration_service
from governance.commitments.models import Commitment
from governance.errors import Invalid
from governance.network import service as network_service
from governance.network.drawing import (
    SECTOR_COLOURS,
    TEXT,
    TIE_STYLES,
    VALENCE_COLOURS,
    draw_svg,
)
from governance.network.ego import ego_network, fitted
from governance.network.graph import ALL_LAYERS, Layer
from governance.network.metrics import NodeMetrics
from governance.network.schemas import NetworkDrawingQuery, NetworkSeriesRead, SizeMetric
from governance.outcomes.models import outcome_commitments
from governance.revision import RevisionCache
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder
from governance.vocab import CommitmentStatus, Sector

router = APIRouter()

#: The form's fields, named as the API's query parameters.
FIELDS = ("layers", "as_of", "start", "end", "min_weight", "sectors", "size_by")
SIZE_METRICS: tuple[str, ...] = get_args(SizeMetric)
DEFAULT_SIZE = "betweenness"

LAYER_LABELS: Mapping[str, str] = {
    Layer.RELATIONSHIPS: N_("Declared relationships"),
    Layer.CO_ATTENDANCE: N_("Co-attendance"),
    Layer.COMMITMENTS: N_("Commitments"),
    Layer.TRUST: N_("Trust"),
}
LAYER_HINTS: Mapping[str, str] = {
    Layer.RELATIONSHIPS: N_("Ties the stakeholders declared, valid on the date"),
    Layer.CO_ATTENDANCE: N_("Attended the same held meetings, weighted by how many"),
    Layer.COMMITMENTS: N_("Owner to counterpart, weighted by how many"),
    Layer.TRUST: N_("Actor to target, by valence, weighted by severity"),
}
METRIC_LABELS: Mapping[str, str] = {
    "degree": N_("Degree"),
    "weighted_degree": N_("Weighted degree"),
    "betweenness": N_("Betweenness"),
    "closeness": N_("Closeness"),
    "eigenvector": N_("Eigenvector"),
    "constraint": N_("Constraint"),
    "effective_size": N_("Effective size"),
    "community": N_("Community"),
}
VALENCE_LABELS: Mapping[str, str] = {
    "positive": N_("Trust built (positive)"),
    "negative": N_("Trust eroded (negative)"),
    "mixed": N_("Trust mixed"),
}
VALENCE_SHORT: Mapping[str, str] = {
    "positive": N_("positive"),
    "negative": N_("negative"),
    "mixed": N_("mixed"),
}
FIELD_LABELS: Mapping[str, str] = {
    "layers": N_("Layers"),
    "as_of": N_("As of"),
    "start": N_("Start"),
    "end": N_("End"),
    "min_weight": N_("Minimum tie weight"),
    "sectors": N_("Sectors"),
    "size_by": N_("Size nodes by"),
}

#: The metrics table's columns: key, label, whether it is a number (sorted high first).
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", N_("Stakeholder"), False),
    ("sector", N_("Sector"), False),
    *((key, label, True) for key, label in METRIC_LABELS.items()),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
DEFAULT_SORT = ("betweenness", "desc")
#: Stakeholders shown a page in the collaboration's metrics table.
TABLE_PAGE_SIZE = 50
#: Digits shown for each metric (the others are whole numbers).
DIGITS: Mapping[str, int] = {
    "weighted_degree": 1,
    "betweenness": 3,
    "closeness": 3,
    "eigenvector": 3,
    "constraint": 3,
    "effective_size": 2,
}

#: The figures drawn in the change-over-time chart (shares, 0–1), each with a line style.
SERIES_LINES: tuple[tuple[str, str, str | None], ...] = (
    ("density", N_("Density"), None),
    ("centralisation", N_("Centralisation"), "6 3"),
    ("reciprocity", N_("Reciprocity"), "2 3"),
)

#: Messages of :func:`governance.network.service.request_from`, for people.
_SERVICE_MESSAGES: Mapping[str, str] = {
    "give either as_of or a period (start and end), not both": N_(
        "Give either a date or a period (start and end), not both."
    ),
    "is required with start": N_("Enter the end of the period too."),
    "is required with end": N_("Enter the start of the period too."),
}

_STYLE = re.compile(r"<style>.*?</style>\n?", re.S)


# -- reading the form ----------------------------------------------------------------------


@dataclass
class Choices:
    """What the form asks for: the typed values, and the query once they are valid."""

    state: FormState
    query: NetworkDrawingQuery | None = None
    request: network_service.NetworkRequest | None = None

    @property
    def size_by(self) -> str:
        return self.query.size_by if self.query is not None else DEFAULT_SIZE

    def params(self) -> dict[str, str]:
        """The query parameters of the API that answer the same network (export links)."""
        if self.query is None:
            return {}
        query = self.query
        found = {"layers": ",".join(layer.value for layer in query.layer_list())}
        for name in ("as_of", "start", "end"):
            value = getattr(query, name)
            if value is not None:
                found[name] = value.isoformat()
        if query.min_weight:
            found["min_weight"] = f"{query.min_weight:g}"
        sectors = query.sector_set()
        if sectors:
            found["sectors"] = ",".join(s.value for s in Sector if s in sectors)
        return found


def read_choices(params: Any, language: Language) -> Choices:
    """The form's choices from the query string; invalid ones named by field.

    The form always sends an empty ``layers`` beside its checkboxes, so a page
    opened without the form (a link) gets every layer, and a form sent with none
    ticked is told to choose one.
    """
    layers_sent = "layers" in params
    layers = [code for code in params.getlist("layers") if code.strip()]
    if not layers_sent:
        layers = [layer.value for layer in ALL_LAYERS]
    sectors = [code for code in params.getlist("sectors") if code.strip()]
    values: dict[str, Any] = {
        "layers": layers,
        "sectors": sectors,
        "as_of": params.get("as_of", ""),
        "start": params.get("start", ""),
        "end": params.get("end", ""),
        "min_weight": params.get("min_weight", ""),
        "size_by": params.get("size_by", "") or DEFAULT_SIZE,
    }
    state = FormState(values=values)
    errors: dict[str, str] = {}
    if not layers:
        errors["layers"] = language.gettext(N_("Choose at least one layer."))
    elif any(code not in set(ALL_LAYERS) for code in layers):
        errors["layers"] = language.gettext(N_("Choose layers from the list."))
    if any(code not in set(Sector) for code in sectors):
        errors["sectors"] = language.gettext(N_("Choose sectors from the list."))
    data: dict[str, Any] = {
        "layers": ",".join(layers),
        "sectors": ",".join(sectors) or None,
        "as_of": blank_to_none(values["as_of"]),
        "start": blank_to_none(values["start"]),
        "end": blank_to_none(values["end"]),
        "min_weight": blank_to_none(values["min_weight"]),
        "size_by": values["size_by"],
    }
    data = {key: value for key, value in data.items() if value is not None and key not in errors}
    if errors:
        data.setdefault("layers", ",".join(layer.value for layer in ALL_LAYERS))
    try:
        query = NetworkDrawingQuery.model_validate(data)
    except ValidationError as error:
        state.errors = field_errors(error, language) | errors
        return Choices(state)
    if errors:
        state.errors = errors
        return Choices(state)
    try:
        request = network_service.request_from(query)
    except Invalid as error:
        state.errors = {
            name: _service_message(message, language) for name, message in error.errors.items()
        }
        return Choices(state)
    return Choices(state, query, request)


def _service_message(message: str, language: Language) -> str:
    known = _SERVICE_MESSAGES.get(message)
    return language.gettext(known) if known else domain_message(message, language)


# -- the metrics table ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeRow:
    """A stakeholder's row of the metrics table (slotted: a network keeps its 5,000 rows
    in each order its table was sorted in)."""

    id: int
    name: str
    sector: str
    metrics: NodeMetrics

    def value(self, key: str) -> Any:
        if key in ("name", "sector"):
            return getattr(self, key)
        return getattr(self.metrics, key)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool
    #: The link that sorts by this column (the other way round when it is the current one).
    href: str
    #: ``ascending`` / ``descending`` for the current column, else None.
    aria_sort: str | None


@dataclass(frozen=True)
class TablePager(Pager):
    """A page of the metrics table; its links keep the page's query (the form's layers
    come as repeated parameters), the order included."""

    #: The query string of the page shown.
    query: str = ""

    def url(self, page: int) -> str:
        params = [(k, v) for k, v in parse_qsl(self.query, keep_blank_values=True) if k != "page"]
        if page > 1:
            params.append(("page", str(page)))
        return f"?{urlencode(params)}"


@dataclass(frozen=True)
class MetricsTable:
    columns: list[Column]
    #: The rows shown (one page of them when paged).
    rows: Sequence[NodeRow]
    digits: Mapping[str, int]
    #: The rows as HTML (``<tr>`` elements), built in Python: one template call per
    #: cell took most of a 2,000-stakeholder page's time.
    body: Markup
    #: Which page of the rows this is; None when every row is shown.
    pager: TablePager | None = None


def sort_rows(rows: Sequence[NodeRow], key: str, direction: str) -> list[NodeRow]:
    """Rows by one column; missing values last either way, then by name.

    >>> from governance.network.metrics import NodeMetrics
    >>> m = lambda b: NodeMetrics(1, 1.0, b, 0.0, None, 0, None, None)
    >>> rows = [NodeRow(1, "b", "other", m(0.5)), NodeRow(2, "a", "other", m(0.9))]
    >>> [r.name for r in sort_rows(rows, "betweenness", "desc")]
    ['a', 'b']
    >>> [r.name for r in sort_rows(rows, "eigenvector", "asc")]
    ['a', 'b']
    """
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.id))
    present = [row for row in by_name if row.value(key) is not None]
    missing = [row for row in by_name if row.value(key) is None]

    def order(row: NodeRow) -> Any:
        value = row.value(key)
        return value.casefold() if isinstance(value, str) else value

    return sorted(present, key=order, reverse=direction == "desc") + missing


def sort_choice(sort: str | None, direction: str | None) -> tuple[str, str]:
    """The table's order from the query string; unknown values give the default."""
    if sort not in COLUMN_KEYS:
        return DEFAULT_SORT
    numeric = {column: numeric for column, _, numeric in COLUMNS}[sort]
    if direction not in ("asc", "desc"):
        direction = "desc" if numeric else "asc"
    return sort, direction


def table_page(request: Request, rows: int, page: str | None) -> TablePager:
    """The page of the collaboration's metrics table asked for, among pages of
    :data:`TABLE_PAGE_SIZE` rows: the first when ``page`` is not a page number, the
    last when beyond it."""
    pages = max(1, -(-rows // TABLE_PAGE_SIZE))
    wanted = min(page_number(page) or 1, pages)
    return TablePager(wanted, rows, TABLE_PAGE_SIZE, query=request.url.query)


def ordered_rows(result: network_service.NetworkResult, sort: tuple[str, str]) -> list[NodeRow]:
    """The network's stakeholders as table rows in the order ``sort`` asks for, sorted once
    per network and order (kept with the network), not for every page of the table."""
    found: list[NodeRow] | None = result.orders.get(sort)
    if found is None:
        # 5,000 rows and their sort keys set off collections of the whole heap otherwise.
        with network_service.collector_paused():
            rows = sort_rows(node_rows(result.network, result.metrics), *sort)
        found = result.orders.put(sort, rows)
    return found


def metrics_table(
    request: Request,
    language: Language,
    rows: Sequence[NodeRow],
    sort: tuple[str, str],
    ego_query: str,
    *,
    cache: network_service.TableCache | None = None,
    pager: TablePager | None = None,
) -> MetricsTable:
    """The metrics table of ``rows``, given in the order ``sort`` asks for (:func:`sort_rows`);
    only the ``pager``'s page of them when paged.

    With a ``cache`` (the network's own), the rows' HTML is built once per language,
    order, page and link: a page shown again does not format its rows again. The
    headings' links sort the whole table, from its first page.
    """
    key, direction = sort
    columns = []
    for column, label, numeric in COLUMNS:
        current = column == key
        if current:
            flip = "asc" if direction == "desc" else "desc"
        else:
            flip = "desc" if numeric else "asc"
        href = request.url.include_query_params(sort=column, dir=flip)
        if "page" in request.query_params:
            href = href.remove_query_params("page")
        columns.append(
            Column(
                key=column,
                label=language.gettext(label),
                numeric=numeric,
                href=f"{href.path}?{href.query}",
                aria_sort=("ascending" if direction == "asc" else "descending")
                if current
                else None,
            )
        )
    link = id_link(request, "stakeholder_network", "stakeholder_id")
    shown = rows if pager is None else rows[pager.offset : pager.offset + pager.size]
    page = None if pager is None else pager.page
    cache_key = (language.code, key, direction, page, link(0), ego_query)
    body = cache.get(cache_key) if cache is not None else None
    if body is None:
        body = table_body(shown, columns, language, link=link, query=ego_query)
        if cache is not None:
            cache.put(cache_key, body)
    return MetricsTable(columns, shown, DIGITS, Markup(body), pager)  # noqa: S704 - escaped by table_body


def id_link(request: Request, route: str, param: str) -> Callable[[int], str]:
    """The path of ``route`` for any record id, resolved once (not once per row).

    The route is resolved for a placeholder id, and each link puts the id in its place.
    """
    placeholder = 987_654_321
    before, found, after = path_for(request, route, **{param: placeholder}).partition(
        str(placeholder)
    )
    if not found:
        raise ValueError(f"route {route!r} does not show {param!r} in its path")
    return lambda record_id: f"{before}{record_id}{after}"


def table_body(
    rows: Sequence[NodeRow],
    columns: Sequence[Column],
    language: Language,
    *,
    link: Callable[[int], str],
    query: str,
) -> str:
    """The metrics table's rows as HTML: the markup the template used to write, cell by cell.

    Every name and label is escaped; numbers are formatted as the ``number`` filter
    formats them (:func:`number_formatter`).
    """
    number = number_formatter(language)
    missing = f'<span class="muted" title="{escape(language.gettext(N_("not defined")))}">–</span>'
    name_label, sector_label = (escape(column.label) for column in columns[:2])
    metric_cells = [
        (
            column.key,
            f'      <td class="num" data-label="{escape(column.label)}" '
            f'data-column="{escape(column.key)}">',
            DIGITS.get(column.key),
        )
        for column in columns[2:]
    ]
    sectors = {
        sector.value: escape(language.gettext(label_id("sector", sector))) for sector in Sector
    }
    query_text = escape(query)
    lines: list[str] = []
    for row in rows:
        lines.append(
            f'    <tr data-id="{row.id}">\n'
            f'      <th scope="row" data-label="{name_label}"><a href="{escape(link(row.id))}'
            f'?{query_text}">{escape(row.name)}</a></th>\n'
            f'      <td data-label="{sector_label}">'
            f"{sectors.get(row.sector, escape(row.sector))}</td>\n"
        )
        for key, opening, digits in metric_cells:
            value = row.value(key)
            shown = missing if value is None else escape(number(value, digits or None))
            lines.append(f"{opening}{shown}</td>\n")
        lines.append("    </tr>\n")
    return "".join(lines).removesuffix("\n")  # the template ends the last line


def number_formatter(language: Language) -> Callable[[float | int, int | None], str]:
    """:func:`api.web.format_number` for ``language``, fast for a large table's numbers.

    Non-negative finite numbers take a short path that follows Babel's steps (the
    number read as ``Decimal(str(value))``, rounded half-even to the pattern's digits,
    grouped by three): the same text at a fifth of the time (the tests compare them on
    many values). Anything else goes through Babel itself.
    """
    locale = language.locale
    group = numbers.get_group_symbol(locale)
    point = numbers.get_decimal_symbol(locale)
    quanta = {digits: decimal.Decimal(1).scaleb(-digits) for digits in range(1, 7)}
    patterns: dict[int | None, numbers.NumberPattern] = {}

    def by_babel(value: float | int, digits: int | None) -> str:
        pattern = patterns.get(digits)
        if pattern is None:
            text = (
                locale.decimal_formats[None]
                if digits is None
                else "#,##0" + ("." + "0" * digits if digits else "")
            )
            pattern = patterns[digits] = numbers.parse_pattern(text)
        return str(pattern.apply(value, locale, decimal_quantization=True, group_separator=True))

    def formatted(value: float | int, digits: int | None) -> str:
        if type(value) is int and value >= 0 and digits is None:
            return f"{value:,}".replace(",", group)
        quantum = quanta.get(digits) if digits is not None else None
        if quantum is None or not isinstance(value, int | float) or not value >= 0:
            return by_babel(value, digits)
        if not math.isfinite(value):
            return by_babel(value, digits)
        whole, _, fraction = f"{decimal.Decimal(str(value)).quantize(quantum):f}".partition(".")
        return f"{int(whole):,}".replace(",", group) + point + fraction

    return formatted


def node_rows(network: Any, metrics: Mapping[Hashable, NodeMetrics]) -> list[NodeRow]:
    return [
        NodeRow(int(node), str(data["name"]), str(data["sector"]), metrics[node])
        for node, data in network.nodes(data=True)
    ]


# -- the change-over-time chart ------------------------------------------------------------


@dataclass(frozen=True)
class SeriesLine:
    key: str
    label: str
    dash: str | None
    #: SVG path data; a quarter without the figure breaks the line.
    path: str
    points: list[tuple[float, float]]


@dataclass(frozen=True)
class SeriesChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    lines: list[SeriesLine]
    #: (x, quarter label) under the axis.
    ticks: list[tuple[float, str]]
    #: (y, value) beside the axis.
    levels: list[tuple[float, float]]


def series_chart(
    quarters: Sequence[str],
    values: Mapping[str, Sequence[float | None]],
    labels: Mapping[str, str],
    dashes: Mapping[str, str | None],
    *,
    width: int = 720,
    height: int = 220,
) -> SeriesChart | None:
    """Lines of shares (0–1) over quarters; None when there is nothing to draw.

    >>> chart = series_chart(["2020-Q1", "2020-Q2"], {"density": [0.5, None]},
    ...                      {"density": "Density"}, {"density": None})
    >>> chart.lines[0].path.count("M"), len(chart.lines[0].points)
    (1, 1)
    >>> series_chart([], {}, {}, {}) is None
    True
    """
    if not quarters:
        return None
    left, right, top, bottom = 44.0, width - 34.0, 14.0, height - 30.0
    step = (right - left) / max(len(quarters) - 1, 1)

    def x_of(index: int) -> float:
        if len(quarters) == 1:
            return round((left + right) / 2, 1)
        return round(left + step * index, 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * min(max(value, 0.0), 1.0), 1)

    lines = []
    for key, series in values.items():
        parts: list[str] = []
        points: list[tuple[float, float]] = []
        pen_down = False
        for index, value in enumerate(series):
            if value is None or math.isnan(value):
                pen_down = False
                continue
            x, y = x_of(index), y_of(value)
            points.append((x, y))
            parts.append(f"{'L' if pen_down else 'M'}{x},{y}")
            pen_down = True
        lines.append(SeriesLine(key, labels[key], dashes.get(key), " ".join(parts), points))
    every = max(1, math.ceil(len(quarters) / 8))
    ticks = [(x_of(i), label) for i, label in enumerate(quarters) if i % every == 0]
    levels = [(y_of(v), v) for v in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return SeriesChart(width, height, left, right, top, bottom, lines, ticks, levels)


def change_over_time(
    series: NetworkSeriesRead | None, language: Language
) -> tuple[SeriesChart | None, list[Any]]:
    if series is None or not series.quarters:
        return None, []
    quarters = series.quarters
    values = {
        key: [getattr(quarter.figures, key) for quarter in quarters] for key, _, _ in SERIES_LINES
    }
    chart = series_chart(
        [quarter.quarter for quarter in quarters],
        values,
        {key: language.gettext(label) for key, label, _ in SERIES_LINES},
        {key: dash for key, _, dash in SERIES_LINES},
    )
    return chart, list(quarters)


def change_over_time_html(
    request: Request,
    session: Session,
    language: Language,
    result: network_service.NetworkResult,
    query: NetworkDrawingQuery,
) -> Markup | None:
    """The quarterly series' chart and table (``network/_series.html``), written once per
    network, series and language and kept with the network (its figures are formatted
    one by one); None when there are no quarters to show."""
    key = _chart_key(language, query)
    html = result.charts.get(key)
    if html is None:
        try:
            series = network_service.series(
                session,
                collaboration_id=result.collaboration_id,
                query=query,
                revision=result.revision,
            )
        except Invalid:
            series = None
        chart, quarters = change_over_time(series, language)
        html = ""
        if chart is not None:
            template = request.app.state.templates.get_template("network/_series.html")
            with speaking(language, request):
                html = template.render(chart=chart, quarters=quarters, name=result.name)
        result.charts.put(key, html)
    return Markup(html) if html else None  # noqa: S704 - written by an autoescaping template


def _chart_key(language: Language, query: NetworkDrawingQuery) -> tuple[Any, ...]:
    return (language.code, *network_service.series_key(query))


def change_deferred(
    result: network_service.NetworkResult, language: Language, query: NetworkDrawingQuery
) -> bool:
    """Whether the page leaves its change over time to its own request: the network is
    shown as its backbone (a large case) and its series is not written yet."""
    return result.backbone.applied and result.charts.get(_chart_key(language, query)) is None


# -- outcomes and the actors carrying them ------------------------------------------------


@dataclass(frozen=True)
class Carrier:
    stakeholder_id: int
    name: str
    commitments: int
    fulfilled: int


@dataclass(frozen=True)
class OutcomeCarriers:
    line: OutcomeLine
    carriers: list[Carrier] = field(default_factory=list)


def carriers(session: Session, collaboration_id: int) -> dict[int, list[Carrier]]:
    """By outcome: the owners of its live linked commitments, with how many they fulfilled,
    the most committed first — in one query."""
    fulfilled = func.sum(case((Commitment.status == CommitmentStatus.FULFILLED, 1), else_=0))
    made = func.count(Commitment.id)
    rows = session.execute(
        select(
            outcome_commitments.c.outcome_id,
            Commitment.owner_id,
            Stakeholder.name,
            made,
            fulfilled,
        )
        .join(Commitment, Commitment.id == outcome_commitments.c.commitment_id)
        .join(Stakeholder, Stakeholder.id == Commitment.owner_id)
        .where(Commitment.collaboration_id == collaboration_id, Commitment.deleted_at.is_(None))
        .group_by(outcome_commitments.c.outcome_id, Commitment.owner_id, Stakeholder.name)
        .order_by(outcome_commitments.c.outcome_id, made.desc(), Stakeholder.name)
    ).all()
    found: dict[int, list[Carrier]] = {}
    for outcome_id, owner_id, name, count, done in rows:
        found.setdefault(outcome_id, []).append(Carrier(owner_id, name, int(count), int(done or 0)))
    return found


def outcome_panel(session: Session, collaboration_id: int) -> list[OutcomeCarriers]:
    """Each outcome with its progress (as the dashboard shows it) and who carries it."""
    carried = carriers(session, collaboration_id)
    return [
        OutcomeCarriers(line, carried.get(line.outcome.id, []))
        for line in outcome_lines(session, collaboration_id)
    ]


#: The outcome panel per collaboration and data revision, and its HTML per language too:
#: reading and rolling up 500 outcomes and writing their rows took most of a cached
#: page's time.
_OUTCOMES: RevisionCache[int, list[OutcomeCarriers]] = RevisionCache(size=8)
_OUTCOME_PANELS: RevisionCache[tuple[int, str], Markup] = RevisionCache(size=16)


def outcome_panel_html(
    request: Request, session: Session, language: Language, collaboration_id: int
) -> Markup:
    """The outcome panel (``network/_outcomes.html``), written once per data revision
    and language, from outcomes read once per data revision."""

    def write() -> Markup:
        outcomes = _OUTCOMES.get_or_compute(
            session, collaboration_id, lambda: outcome_panel(session, collaboration_id)
        )
        template = request.app.state.templates.get_template("network/_outcomes.html")
        with speaking(language, request):
            html = template.render(collaboration_id=collaboration_id, outcomes=outcomes)
        return Markup(html)  # noqa: S704 - written by an autoescaping template

    return _OUTCOME_PANELS.get_or_compute(session, (collaboration_id, language.code), write)


# -- drawing -------------------------------------------------------------------------------


def drawing_words(language: Language) -> dict[str, str]:
    """The drawing's legend and tooltips in ``language`` (:data:`TEXT`'s keys)."""
    say = language.gettext
    words: dict[str, str] = {
        "sector": say(N_("Sector")),
        "ties": say(N_("Ties")),
        "size": say(N_("Size")),
        "weight": say(N_("weight")),
        "fulfilled": say(N_("fulfilled")),
        "empty": say(N_("No stakeholders to show")),
        "labels_hidden": say(N_("Labels: the %(count)s largest"), count="{count}"),
        "ties_hidden": say(
            N_("Drawn: the %(count)s heaviest of %(total)s ties"), count="{count}", total="{total}"
        ),
    }
    for valence, label in VALENCE_LABELS.items():
        words[valence] = say(label)
        words[f"valence:{valence}"] = say(VALENCE_SHORT[valence])
    for layer, label in LAYER_LABELS.items():
        words[str(layer)] = say(label)
    for sector in Sector:
        words[str(sector)] = say(label_id("sector", sector))
    for metric, label in METRIC_LABELS.items():
        words[metric] = say(label)
    assert set(TEXT) <= set(words)  # every word of the drawing has its translation
    return words


def inline(svg: str) -> Markup:
    """An SVG document for embedding in the page: its hover styles live in network.css.

    The drawing escapes every text it holds (:func:`governance.network.drawing.xml_text`).
    """
    return Markup(_STYLE.sub("", svg, count=1))  # noqa: S704 - our own escaped drawing


def network_drawing(
    result: network_service.NetworkResult, size_by: str, language: Language
) -> Markup:
    """The whole network, drawn once per result, metric and language."""
    if language.code == "en":
        return inline(network_service.drawing(result, size_by=size_by))
    key = f"{language.code}:{size_by}"
    svg = result.drawings.get(key)
    if svg is None:
        with network_service.collector_paused():
            svg = draw_svg(
                result.network,
                result.positions,
                result.metrics,
                size_by=size_by,
                title=language.gettext(N_("The stakeholder network of %(name)s"), name=result.name),
                text=drawing_words(language),
            )
        result.drawings[key] = svg
    return inline(svg)


@dataclass(frozen=True)
class Legend:
    sectors: list[tuple[str, str]]
    layers: list[tuple[str, str, str | None]]
    valences: list[tuple[str, str]]


def legend(language: Language) -> Legend:
    say = language.gettext
    return Legend(
        sectors=[(SECTOR_COLOURS[s], say(label_id("sector", s))) for s in Sector],
        layers=[
            (TIE_STYLES[layer].colour, say(LAYER_LABELS[layer]), TIE_STYLES[layer].dash)
            for layer in ALL_LAYERS
            if layer is not Layer.TRUST
        ],
        valences=[(VALENCE_COLOURS[v], say(label)) for v, label in VALENCE_LABELS.items()],
    )


# -- pages ---------------------------------------------------------------------------------


def _exports(request: Request, collaboration_id: int, choices: Choices) -> list[tuple[str, str]]:
    params = choices.params()
    query = urlencode(params)
    found = []
    for label, route, extra in (
        ("GraphML", "get_network_graphml", ""),
        ("GEXF", "get_network_gexf", ""),
        ("JSON", "get_network_node_link", ""),
        ("CSV", "get_network_csv", ""),
        ("Kumu", "get_network_kumu", ""),
        ("SVG", "get_network_svg", urlencode({"size_by": choices.size_by})),
    ):
        path = path_for(request, route, record_id=collaboration_id)
        found.append((label, f"{path}?{'&'.join(p for p in (query, extra) if p)}"))
    return found


def _ego_query(collaboration_id: int, choices: Choices) -> str:
    params = {"collaboration_id": str(collaboration_id), **choices.params()}
    if choices.query is not None and choices.size_by != DEFAULT_SIZE:
        params["size_by"] = choices.size_by
    return urlencode(params)


def _common(language: Language, choices: Choices) -> dict[str, Any]:
    return {
        "form": choices.state,
        "layer_choices": [
            (str(layer), language.gettext(LAYER_LABELS[layer])) for layer in ALL_LAYERS
        ],
        "layer_hints": {str(k): language.gettext(v) for k, v in LAYER_HINTS.items()},
        "size_choices": [(m, language.gettext(METRIC_LABELS[m])) for m in SIZE_METRICS],
        "field_labels": {k: language.gettext(v) for k, v in FIELD_LABELS.items()},
        "legend": legend(language),
        "layer_labels": {str(k): language.gettext(v) for k, v in LAYER_LABELS.items()},
        "valence_labels": {k: language.gettext(v) for k, v in VALENCE_SHORT.items()},
        "metric_labels": {k: language.gettext(v) for k, v in METRIC_LABELS.items()},
    }


@router.get("/collaborations/{collaboration_id:int}/network", name="collaboration_network")
def collaboration_network(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    sort: str | None = None,
    dir: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    """The collaboration's network, its metrics, their change over time, and its outcomes."""
    collaboration = collaboration_service.get(session, collaboration_id)
    choices = read_choices(request.query_params, language)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "action": path_for(request, "collaboration_network", collaboration_id=collaboration_id),
        "hidden": {},
        "outcomes": outcome_panel_html(request, session, language, collaboration_id),
        "change_url": None,
        **_common(language, choices),
    }
    if choices.request is None or choices.query is None:
        return render(
            request, "network/collaboration.html", context | {"result": None}, status_code=400
        )
    result = network_service.network(
        session, collaboration_id=collaboration_id, request=choices.request
    )
    ego_query = _ego_query(collaboration_id, choices)
    order = sort_choice(sort, dir)
    rows = ordered_rows(result, order)
    deferred = change_deferred(result, language, choices.query)
    change_url = path_for(
        request, "collaboration_network_change", collaboration_id=collaboration_id
    )
    # The form's own fields as sent (layers repeated), without the table's sort and page.
    params = urlencode(
        [(name, value) for name, value in request.query_params.multi_items() if name in FIELDS]
    )
    return render(
        request,
        "network/collaboration.html",
        context
        | {
            "result": result,
            "svg": network_drawing(result, choices.size_by, language),
            "table": metrics_table(
                request,
                language,
                rows,
                order,
                ego_query,
                cache=result.tables,
                pager=table_page(request, len(rows), page),
            ),
            "figures": result.figures,
            "series": (
                None
                if deferred
                else change_over_time_html(request, session, language, result, choices.query)
            ),
            "change_url": f"{change_url}?{params}".rstrip("?") if deferred else None,
            "exports": _exports(request, collaboration_id, choices),
            "ego_query": ego_query,
        },
    )


@router.get(
    "/collaborations/{collaboration_id:int}/network/change-over-time",
    name="collaboration_network_change",
)
def collaboration_network_change(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    fragment: bool = False,
) -> HTMLResponse:
    """The network's change over time on its own: a page, or with ``fragment`` only the
    section's content, which the network page puts in place of its link."""
    collaboration = collaboration_service.get(session, collaboration_id)
    choices = read_choices(request.query_params, language)
    series = None
    if choices.request is not None and choices.query is not None:
        result = network_service.network(
            session, collaboration_id=collaboration_id, request=choices.request
        )
        series = change_over_time_html(request, session, language, result, choices.query)
    status = 200 if choices.query is not None else 400
    if fragment:
        template = request.app.state.templates.get_template("network/_change.html")
        with speaking(language, request):
            html = template.render(series=series)
        return HTMLResponse(html, status_code=status)
    network_url = path_for(request, "collaboration_network", collaboration_id=collaboration_id)
    query = urlencode(
        [(name, value) for name, value in request.query_params.multi_items() if name in FIELDS]
    )
    return render(
        request,
        "network/change.html",
        {
            "collaboration": collaboration,
            "series": series,
            "network_url": f"{network_url}?{query}".rstrip("?"),
        },
        status_code=status,
    )


@dataclass(frozen=True)
class EgoTie:
    other_id: int
    other: str
    layer: str
    #: ``out`` (ego → other), ``in`` (other → ego) or ``both`` (a mutual tie).
    direction: str
    weight: float
    valence: str | None


def ego_ties(ego: Any, node: int) -> list[EgoTie]:
    """The ego's own ties, by neighbour name, layer and direction."""
    names = dict(ego.nodes(data="name", default=""))
    found = []
    for source, target, data in ego.edges(data=True):
        if node not in (source, target) or source == target:
            continue
        mutual = bool(data.get("mutual"))
        if mutual and source != node:
            continue
        other = target if source == node else source
        direction = "both" if mutual else ("out" if source == node else "in")
        found.append(
            EgoTie(
                int(other),
                str(names[other]),
                str(data["layer"]),
                direction,
                float(data.get("weight", 1)),
                data.get("valence"),
            )
        )
    layers = [str(layer) for layer in ALL_LAYERS]
    return sorted(found, key=lambda t: (t.other.casefold(), layers.index(t.layer), t.direction))


@router.get("/stakeholders/{stakeholder_id:int}/network", name="stakeholder_network")
def stakeholder_network(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    stakeholder_id: RecordId,
    collaboration_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    sort: str | None = None,
    dir: str | None = None,
) -> HTMLResponse:
    """One stakeholder's ego network (radius 1) in a collaboration."""
    stakeholder = stakeholder_service.get(session, stakeholder_id)
    collaboration = collaboration_service.get(session, collaboration_id)
    choices = read_choices(request.query_params, language)
    context: dict[str, Any] = {
        "collaboration": collaboration,
        "stakeholder": stakeholder,
        "action": path_for(request, "stakeholder_network", stakeholder_id=stakeholder_id),
        "hidden": {"collaboration_id": collaboration_id},
        "network_url": path_for(request, "collaboration_network", collaboration_id=collaboration_id)
        + (f"?{urlencode(choices.params())}" if choices.params() else ""),
        **_common(language, choices),
    }
    if choices.request is None:
        return render(
            request,
            "network/stakeholder.html",
            context | {"result": None, "present": False},
            status_code=400,
        )
    result = network_service.network(
        session, collaboration_id=collaboration_id, request=choices.request
    )
    if stakeholder_id not in result.network:
        return render(
            request, "network/stakeholder.html", context | {"result": result, "present": False}
        )
    ego = ego_network(result.network, stakeholder_id)
    order = sort_choice(sort, dir)
    words = None if language.code == "en" else drawing_words(language)
    svg = draw_svg(
        ego,
        fitted({node: result.positions[node] for node in ego}),
        result.metrics,
        size_by=choices.size_by,
        title=language.gettext(N_("The ego network of %(name)s"), name=stakeholder.name),
        text=words,
        id_prefix="ego",
    )
    return render(
        request,
        "network/stakeholder.html",
        context
        | {
            "result": result,
            "present": True,
            "svg": inline(svg),
            "metrics": result.metrics[stakeholder_id],
            "ties": ego_ties(ego, stakeholder_id),
            "neighbours": ego.number_of_nodes() - 1,
            "table": metrics_table(
                request,
                language,
                sort_rows(node_rows(ego, result.metrics), *order),
                order,
                _ego_query(collaboration_id, choices),
            ),
            "ego_query": _ego_query(collaboration_id, choices),
        },
    )
