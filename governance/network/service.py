"""The network of one collaboration: read once per data revision, computed once per request.

A collaboration's rows come from :func:`governance.cases.snapshot.load_case`; the
graph, metrics, layout, drawings and quarterly series are pure functions of them, so
the results are cached in this process, keyed by the collaboration, its **data
revision** and the request (layers, window, sectors, minimum weight). A computed
network also keeps the drawings and metrics tables made of it, so a page shown again
costs a dictionary lookup. Drawings are the bulk of that memory (an SVG of 2,000
stakeholders is about 1.3 MB, and a network may be drawn sized by each metric in each
language), so they all share one least-recently-used store bounded by
:data:`DRAWINGS_BUDGET_BYTES`: the most recently viewed drawings stay, the oldest go.

The data revision (:func:`data_revision`) is a fingerprint of everything the network
reads, taken in a handful of aggregate queries on indexed columns: for the
collaboration itself and its participations, forums, meetings, commitments and trust
events, the row count, the sum of the ``version`` counters and the latest
``updated_at``; for attendance (which has no version) the count and the sums of ids,
stakeholder ids and attended flags; for status changes the count and largest id;
and for stakeholders and relationships (shared by every collaboration) the same as
for records, over the whole table. Every insert changes a count, every update bumps a
version (soft deletes and restores included), every hard delete lowers a count, so
any change through the services — and most changes made behind their back — gives a
new revision and the next request recomputes. Cheaper than reading the case, and
unlike the audit log's largest id it does not depend on every writer logging (test
factories and imports write directly) nor on ids never being reused after a rollback.

Summing 300,000 attendance rows still takes a tenth of a second, longer than a cached
page may, so a request first takes the database's own fingerprint
(:func:`governance.revision.data_revision`: the latest audit entry and each table's
highest id and latest change, one query of index look-ups, which every write through
the services moves) and takes the collaboration's again only when that one has moved
(:func:`revision_of`); a change behind the services' back that moves neither (an
attendance row updated in place) shows once anything else is written. Computing one
network builds it twice over (for the layout of
the union of every layer and date, and for the request); the co-attendance counts,
its costliest part, are counted once for both (:data:`CoAttendanceMemo`).

**The backbone of a large network.** A request whose network would have more than
:data:`MAX_TIES` ties (pairs of stakeholders tied in any layer, either way) gets its
backbone instead (:func:`governance.network.graph.backbone_network`): its minimum tie
weight is raised to the smallest threshold that keeps at most :data:`MAX_TIES` ties,
and the metrics, figures, drawing and exports are those of that network, exactly as
if the threshold had been asked for. The result records the threshold applied and how
many ties the full network had (``NetworkResult.backbone``; the API's
``min_weight_applied`` and ``ties_total``), and the page says so. A request asking for
a higher minimum weight than the threshold gets what it asked for; below the limit
nothing changes. The layout, shared by every request, is laid out on the backbone of
the union network the same way when the union has more than :data:`MAX_TIES` ties.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import networkx as nx
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from governance.base import Record
from governance.cases.snapshot import CaseData, load_case
from governance.errors import Invalid, NotFound
from governance.models import (
    Attendance,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Forum,
    Meeting,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
)
from governance.network import export
from governance.network.drawing import draw_svg
from governance.network.graph import (
    ALL_LAYERS,
    Backbone,
    CoAttendanceMemo,
    Layer,
    Window,
    arc_graph,
    backbone_network,
    tie_graph,
    union_ties,
)
from governance.network.layout import Position, stable_layout
from governance.network.metrics import (
    Engine,
    NetworkFigures,
    NodeMetrics,
    betweenness_sources,
    engine_for,
    network_figures,
    node_metrics,
)
from governance.network.schemas import (
    FiguresRead,
    LinkRead,
    NetworkQuery,
    NetworkRead,
    NetworkSeriesRead,
    NodeMetricsRead,
    NodeRead,
    QuarterRead,
)
from governance.network.series import activity_span, quarterly_series
from governance.revision import data_revision as database_revision
from governance.schemas import ensure_order
from governance.vocab import Sector

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Revision = tuple[Any, ...]


class _Cache(Generic[K, V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


#: Rendered pages of the metrics table kept per network (by language, order, page and
#: links), the orders they were cut from (each row of every stakeholder), and the
#: change-over-time sections written (by language and series).
TABLES_KEPT = 16
ORDERS_KEPT = 4
CHARTS_KEPT = 4
TableCache = _Cache[tuple[Any, ...], str]
OrderCache = _Cache[tuple[str, str], list[Any]]

#: Memory all cached SVG drawings may take together, in bytes (as ``sys.getsizeof`` counts
#: a string): about 24 drawings of 2,000 stakeholders, or thousands of small ones. Without
#: a bound, 16 cached networks drawn sized by each of 7 metrics in 2 languages held about
#: 290 MB.
DRAWINGS_BUDGET_BYTES = 32 * 2**20


class DrawingStore:
    """Drawings of every network, least recently used dropped first, within a byte budget.

    Thread-safe. A drawing larger than the whole budget is not kept (it would push out
    everything else and still not fit). ``used`` is never above ``budget``.

    Examples
    --------
    >>> store = DrawingStore(budget=2 * sys.getsizeof("x" * 100))
    >>> store.put(("a",), "x" * 100); store.put(("b",), "y" * 100); store.put(("c",), "z" * 100)
    >>> store.get(("a",)) is None, store.get(("c",)) == "z" * 100
    (True, True)
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict[Hashable, tuple[str, int]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        """Bytes the kept drawings take."""
        return self._used

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, svg: str) -> None:
        size = sys.getsizeof(svg)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._used -= old[1]
            if size > self.budget:
                return
            self._items[key] = (svg, size)
            self._used += size
            while self._used > self.budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._used = 0


_drawings = DrawingStore(DRAWINGS_BUDGET_BYTES)


class Drawings:
    """One network's drawings, by name (the metric sizing the nodes, or ``"id:metric"`` for
    a language), kept in the shared :class:`DrawingStore`: a drawing may have been dropped
    since it was made, and is then drawn again."""

    def __init__(self, store: DrawingStore | None = None) -> None:
        self._store = store or _drawings
        #: Tells this network's drawings from those of any other, even one equal to it.
        self._owner = object()

    def get(self, name: str) -> str | None:
        return self._store.get((self._owner, name))

    def __setitem__(self, name: str, svg: str) -> None:
        self._store.put((self._owner, name), svg)


class _CollectorPause:
    """Holds off Python's cyclic garbage collector while networks are computed.

    Building a 2,000-stakeholder network and its quarterly series allocates hundreds
    of thousands of dicts and tuples, and every burst of allocations sets off a
    collection that walks the whole heap: a quarter of the page's cold time (0.7 s of
    3 s of CPU on the benchmark's machine). Reference counting frees these objects
    anyway; whatever cycles they form are collected once the collector resumes.
    Nested and concurrent computations share one pause: the collector resumes when the
    last one ends, and only if it was running when the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._resume:
                    gc.enable()


collector_paused = _CollectorPause()

#: The most ties (pairs tied in any layer) a network is measured and drawn with: above
#: it, a request gets the network's backbone (see the module). The benchmark's
#: 2,000-stakeholder network of 20,000 ties is measured, laid out and drawn in under
#: 5 s cold; the whole-case network of the large synthetic case (5,000 stakeholders,
#: 674,000 ties) took minutes and drew an unreadable SVG. Read at call time, so tests
#: may lower it.
MAX_TIES = 20_000


@dataclass(frozen=True)
class NetworkRequest:
    """Which network to build: layers, time window and filters."""

    layers: tuple[Layer, ...] = ALL_LAYERS
    window: Window = field(default_factory=Window.everything)
    sectors: frozenset[Sector] | None = None
    min_weight: float = 0
    #: Force one library (the benchmark compares them); by size when None.
    engine: Engine | None = None


@dataclass(frozen=True)
class NetworkResult:
    """A computed network. Shared between requests through the cache: do not mutate."""

    collaboration_id: int
    name: str
    request: NetworkRequest
    network: nx.MultiDiGraph
    ties: nx.Graph
    metrics: dict[Hashable, NodeMetrics]
    communities: list[frozenset[Hashable]]
    figures: NetworkFigures
    positions: dict[Hashable, Position]
    engine: Engine
    #: The minimum tie weight applied and how many ties the full network had: above
    #: :data:`MAX_TIES` ties, only the backbone is kept (``backbone.applied``).
    backbone: Backbone
    #: How many stakeholders betweenness was estimated from; None when it is exact
    #: (:func:`governance.network.metrics.betweenness_sources`).
    betweenness_sources: int | None = None
    #: SVG drawings already made and not yet dropped, by the metric that sizes the nodes.
    drawings: Drawings = field(default_factory=Drawings, compare=False)
    #: Metrics tables already rendered (HTML rows), by the page's language, order, page and
    #: links.
    tables: TableCache = field(default_factory=lambda: TableCache(TABLES_KEPT), compare=False)
    #: The metrics table's rows already sorted, by column and direction: sorting 5,000
    #: stakeholders again for each page of the table took longer than showing it.
    orders: OrderCache = field(default_factory=lambda: OrderCache(ORDERS_KEPT), compare=False)
    #: The page's change over time (HTML), by language and the series' parameters.
    charts: TableCache = field(default_factory=lambda: TableCache(CHARTS_KEPT), compare=False)
    #: The API's shape of the network, once made (:func:`read`).
    api_views: dict[str, NetworkRead] = field(default_factory=dict, compare=False)
    #: The data revision the network was computed from (empty when computed directly).
    revision: Revision = ()


#: What a series depends on besides the data: layers, first and last day, filters.
SeriesKey = tuple[
    tuple[Layer, ...],
    dt.date | None,
    dt.date | None,
    dt.date | None,
    frozenset[Sector] | None,
    float,
]

_revisions: _Cache[tuple[int, Revision], Revision] = _Cache(32)
_cases: _Cache[tuple[int, Revision], CaseData] = _Cache(8)
_layouts: _Cache[tuple[int, Revision], dict[Hashable, Position]] = _Cache(8)
_results: _Cache[tuple[int, Revision, NetworkRequest], NetworkResult] = _Cache(16)
_series: _Cache[tuple[int, Revision, SeriesKey], NetworkSeriesRead] = _Cache(16)


def clear_cache() -> None:
    """Forget every cached case, layout, network, drawing and series (tests and benchmarks)."""
    for cache in (_revisions, _cases, _layouts, _results, _series, _drawings):
        cache.clear()


def request_from(query: NetworkQuery, *, today: dt.date | None = None) -> NetworkRequest:
    """The request a query asks for; ``Invalid`` naming the field for impossible dates."""
    if query.as_of is not None and (query.start is not None or query.end is not None):
        raise Invalid.field("as_of", "give either as_of or a period (start and end), not both")
    if query.start is not None and query.end is None:
        raise Invalid.field("end", "is required with start")
    if query.end is not None and query.start is None:
        raise Invalid.field("start", "is required with end")
    if query.start is not None and query.end is not None:
        errors = ensure_order(query.start, query.end, end_field="end", start_field="start")
        if errors:
            raise Invalid(errors)
        window = Window.period(query.start, query.end)
    else:
        window = Window.as_of(query.as_of or today or dt.date.today())
    return NetworkRequest(
        layers=query.layer_list(),
        window=window,
        sectors=query.sector_set(),
        min_weight=query.min_weight,
    )


def data_revision(session: Session, collaboration_id: int) -> Revision:
    """A fingerprint of everything the collaboration's network reads (see the module)."""
    found = session.execute(
        select(Collaboration.version, Collaboration.updated_at, Collaboration.deleted_at).where(
            Collaboration.id == collaboration_id
        )
    ).one_or_none()
    if found is None:
        raise NotFound(Collaboration.record_type, collaboration_id)
    if found.deleted_at is not None:
        raise NotFound(Collaboration.record_type, collaboration_id, deleted=True)
    parts: list[Any] = [found.version, found.updated_at]
    owned = (
        (Participation, Participation.collaboration_id),
        (Forum, Forum.collaboration_id),
        (Meeting, Meeting.collaboration_id),
        (Commitment, Commitment.collaboration_id),
        (TrustEvent, TrustEvent.collaboration_id),
    )
    for model, owner in owned:
        parts.extend(session.execute(_record_totals(model).where(owner == collaboration_id)).one())
    parts.extend(
        session.execute(
            select(
                func.count(Attendance.id),
                func.sum(Attendance.id),
                func.sum(Attendance.stakeholder_id),
                func.sum(case((Attendance.attended, 1), else_=0)),
            )
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.collaboration_id == collaboration_id)
        ).one()
    )
    parts.extend(
        session.execute(
            select(func.count(CommitmentStatusChange.id), func.max(CommitmentStatusChange.id))
            .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
            .where(Commitment.collaboration_id == collaboration_id)
        ).one()
    )
    for shared in (Stakeholder, Relationship):
        parts.extend(session.execute(_record_totals(shared)).one())
    return tuple(parts)


def _record_totals(model: type[Record]) -> Select[int, int, dt.datetime]:
    return select(
        func.count(model.id), func.coalesce(func.sum(model.version), 0), func.max(model.updated_at)
    )


def revision_of(session: Session, collaboration_id: int) -> Revision:
    """The collaboration's :func:`data_revision`, taken again only when the database's
    fingerprint (:func:`governance.revision.data_revision`, one cheap query) has moved."""
    key = (collaboration_id, database_revision(session))
    found = _revisions.get(key)
    if found is None:
        found = _revisions.put(key, data_revision(session, collaboration_id))
    return found


def case_data(session: Session, collaboration_id: int) -> tuple[Revision, CaseData]:
    """The collaboration's revision and rows, read from the database once per revision."""
    revision = revision_of(session, collaboration_id)
    case = _cases.get((collaboration_id, revision))
    if case is None:
        with collector_paused():
            case = _cases.put((collaboration_id, revision), load_case(session, collaboration_id))
    return revision, case


def union_layout(
    case: CaseData, *, memo: CoAttendanceMemo | None = None
) -> dict[Hashable, Position]:
    """Positions for everyone in every layer at every date, so they hold between views;
    laid out on the union's backbone when it has more than :data:`MAX_TIES` ties."""
    return stable_layout(union_ties(case, max_ties=MAX_TIES, memo=memo))


def compute(
    case: CaseData,
    request: NetworkRequest,
    positions: dict[Hashable, Position],
    *,
    revision: Revision = (),
    memo: CoAttendanceMemo | None = None,
) -> NetworkResult:
    """Build and measure the requested network of ``case`` (pure: no database).

    A network of more than :data:`MAX_TIES` ties is measured and drawn on its backbone:
    its minimum tie weight raised to the smallest threshold keeping at most
    :data:`MAX_TIES` ties (:func:`governance.network.graph.backbone_network`); the
    result's ``backbone`` tells the threshold and how many ties the full network had.
    """
    network, backbone = backbone_network(
        case,
        request.layers,
        request.window,
        sectors=request.sectors,
        min_weight=request.min_weight,
        max_ties=MAX_TIES,
        memo=memo,
    )
    ties = tie_graph(network)
    engine = request.engine or engine_for(ties)
    metrics, communities = node_metrics(ties, engine=engine)
    return NetworkResult(
        collaboration_id=case.collaboration_id,
        name=case.name,
        request=request,
        network=network,
        ties=ties,
        metrics=metrics,
        communities=communities,
        figures=network_figures(ties, arc_graph(network), communities),
        positions={node: positions.get(node, (0.5, 0.5)) for node in network},
        engine=engine,
        backbone=backbone,
        betweenness_sources=betweenness_sources(ties) if engine is Engine.IGRAPH else None,
        revision=revision,
    )


def network(session: Session, *, collaboration_id: int, request: NetworkRequest) -> NetworkResult:
    """The requested network of a collaboration, from the cache when nothing changed."""
    revision, case = case_data(session, collaboration_id)
    key = (collaboration_id, revision, request)
    cached = _results.get(key)
    if cached is not None:
        return cached
    # The union and the request usually hold the same meetings (everything up to today).
    memo: CoAttendanceMemo = {}
    with collector_paused():
        positions = _layouts.get((collaboration_id, revision))
        if positions is None:
            positions = _layouts.put((collaboration_id, revision), union_layout(case, memo=memo))
        return _results.put(key, compute(case, request, positions, revision=revision, memo=memo))


def drawing(result: NetworkResult, *, size_by: str = "betweenness") -> str:
    """The network as SVG, nodes sized by ``size_by``; drawn once per result and metric
    while the drawing stays among the most recently used (:data:`DRAWINGS_BUDGET_BYTES`)."""
    svg = result.drawings.get(size_by)
    if svg is None:
        with collector_paused():
            svg = draw_svg(
                result.network,
                result.positions,
                result.metrics,
                size_by=size_by,
                title=f"{result.name}: {describe(result.request)}",
            )
        result.drawings[size_by] = svg
    return svg


def describe(request: NetworkRequest) -> str:
    """``"co_attendance, trust as of 2021-06-30"``."""
    window = request.window
    when = (
        f"as of {window.end.isoformat()}"
        if window.start is None
        else f"{window.start.isoformat()} to {window.end.isoformat()}"
    )
    return f"{', '.join(request.layers)} {when}"


def read(result: NetworkResult) -> NetworkRead:
    """The API's shape of a network, made once per result (shared: do not mutate)."""
    made = result.api_views.get("read")
    if made is None:
        with collector_paused():
            made = result.api_views["read"] = _read(result)
    return made


def _read(result: NetworkResult) -> NetworkRead:
    window = result.request.window
    nodes = []
    for node, data in result.network.nodes(data=True):
        x, y = result.positions[node]
        nodes.append(
            NodeRead(
                id=node,
                name=data["name"],
                sector=data["sector"],
                kind=data["kind"],
                metrics=NodeMetricsRead.model_validate(result.metrics[node], from_attributes=True),
                x=x,
                y=y,
            )
        )
    links = [
        LinkRead(
            source=source,
            target=target,
            layer=data["layer"],
            weight=data["weight"],
            directed=not data.get("mutual", False),
            type=data.get("type"),
            valence=data.get("valence"),
            signed_weight=data.get("signed_weight"),
            fulfilled=data.get("fulfilled"),
            share_fulfilled=data.get("share_fulfilled"),
        )
        for source, target, data in result.network.edges(data=True)
        if not (data.get("mutual") and source > target)
    ]
    return NetworkRead(
        collaboration_id=result.collaboration_id,
        layers=list(result.request.layers),
        as_of=window.end if window.start is None else None,
        start=window.start,
        end=window.end,
        engine=result.engine,
        nodes=nodes,
        links=links,
        figures=_figures(result.figures),
        min_weight_applied=result.backbone.min_weight,
        ties_total=result.backbone.ties_total,
        betweenness_sources=result.betweenness_sources,
    )


def _figures(figures: NetworkFigures) -> FiguresRead:
    return FiguresRead.model_validate(figures, from_attributes=True)


def series(
    session: Session,
    *,
    collaboration_id: int,
    query: NetworkQuery,
    revision: Revision | None = None,
) -> NetworkSeriesRead:
    """The network's figures per quarter, from ``start`` (default: the collaboration's start)
    to ``end`` or ``as_of`` (default: the last recorded activity).

    Cached like the network: per collaboration, data revision and the parameters the
    series reads, so a write through any service gives a new series on the next
    request. Shared between requests: do not mutate. A page that has just read the
    network in the same transaction passes its ``revision`` (``NetworkResult.revision``)
    and saves taking the fingerprint again.
    """
    if query.as_of is not None and query.end is not None:
        raise Invalid.field("as_of", "give either as_of or end as the last day, not both")
    wanted = series_key(query)
    if revision:
        cached = _series.get((collaboration_id, revision, wanted))
        if cached is not None:
            return cached
    known = _cases.get((collaboration_id, revision)) if revision else None
    if revision and known is not None:
        case = known
    else:
        revision, case = case_data(session, collaboration_id)
    key = (collaboration_id, revision, wanted)
    cached = _series.get(key)
    if cached is None:
        with collector_paused():
            cached = _series.put(key, _quarterly(collaboration_id, case, query))
    return cached


def series_key(query: NetworkQuery) -> SeriesKey:
    """What of ``query`` a series depends on besides the data."""
    return (
        query.layer_list(),
        query.start,
        query.end,
        query.as_of,
        query.sector_set(),
        float(query.min_weight),
    )


def _quarterly(collaboration_id: int, case: CaseData, query: NetworkQuery) -> NetworkSeriesRead:
    """:func:`series` computed (pure: no database)."""
    span = activity_span(case)
    start = query.start or (span[0] if span else None)
    end = query.end or query.as_of or (span[1] if span else None)
    layers = query.layer_list()
    if start is None or end is None:
        return NetworkSeriesRead(
            collaboration_id=collaboration_id, layers=list(layers), quarters=[]
        )
    if end < start:
        raise Invalid.field(*_series_order_error(query, start, end))
    try:
        found = quarterly_series(
            case,
            layers,
            start=start,
            end=end,
            sectors=query.sector_set(),
            min_weight=query.min_weight,
        )
    except ValueError as error:
        raise Invalid.field("start", str(error)) from None
    return NetworkSeriesRead(
        collaboration_id=collaboration_id,
        layers=list(layers),
        quarters=[
            QuarterRead(
                quarter=item.quarter.label,
                start=item.quarter.start,
                end=item.quarter.end,
                figures=_figures(item.figures),
            )
            for item in found
        ],
    )


def _series_order_error(query: NetworkQuery, start: dt.date, end: dt.date) -> tuple[str, str]:
    """Which field to blame when the series would end before it starts, and why."""
    if query.end is not None:
        return "end", f"must not be before start ({start.isoformat()})"
    if query.as_of is not None:
        return "as_of", f"must not be before start ({start.isoformat()})"
    return "start", f"must not be after the last recorded activity ({end.isoformat()})"


def export_graph(result: NetworkResult) -> nx.MultiDiGraph:
    """The researcher's export copy of a network (no contact details)."""
    window = result.request.window
    attributes = {
        "collaboration": result.name,
        "layers": " ".join(result.request.layers),
        "window": describe(result.request),
        "end": window.end.isoformat(),
    }
    return export.export_graph(result.network, result.metrics, attributes)
