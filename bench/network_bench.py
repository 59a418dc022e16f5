"""How long the network view takes: collabgov beside bare networkx and igraph.

Run ``.venv/bin/python -m bench.network_bench``. It builds two synthetic
collaborations — 300 actors with 2,000 ties and 2,000 actors with 20,000 ties (ties of
the all-layer network: declared relationships, commitments, trust events and
co-attendance at meetings, with group structure) — stores each in a temporary SQLite
database, and prints the time of every step: reading the case, building the graphs,
each metric, the layout and the SVG drawing, the quarterly series, the metrics table,
the network cold and cached, the whole HTML page as the app serves it to a signed-in
user (network, series, table, drawing and template), and the same computations run
directly with networkx and igraph on the same graph.

It only measures and prints; no time makes it fail. Bare networkx steps that would take
minutes on the large network are timed on a sample (sources or nodes) and scaled up,
marked ``~``.

``--database var/bench/scale-large-seed1.sqlite3`` measures the network page of a case
already stored instead (the scale benchmark's national case: 5,000 stakeholders and
300,000 attendance rows), on a copy: reading the case, the network, the series, and the
page served in-process and over HTTP (uvicorn on loopback), cold and cached, and the
page's change over time on its own request right after it (a network shown as its
backbone leaves it to that request, which the page's script makes). Cold means
every cache emptied (network, series, drawings, the pages' pieces) in a warmed process,
as after a write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import igraph
import networkx as nx
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from starlette.requests import Request as StarletteRequest

from api.app import create_app
from api.auth import SESSION_COOKIE
from api.pages.network import metrics_table, node_rows, sort_choice, sort_rows
from api.web import speaking
from bench import load
from governance import migrations, revision
from governance.cases.snapshot import load_case
from governance.config import Settings
from governance.db import SessionFactory, make_engine
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
from governance.network import igraph_engine, service
from governance.network.brokerage import brokerage
from governance.network.drawing import draw_svg
from governance.network.graph import ALL_LAYERS, Window, arc_graph, build_network, tie_graph
from governance.network.metrics import (
    DISTANCE_UNIT,
    EIGENVECTOR_TOLERANCE,
    IGRAPH_THRESHOLD,
    SEED,
    betweenness,
    closeness,
    communities,
    eigenvector,
    engine_for,
    network_figures,
    node_metrics,
    with_distances,
)
from governance.network.schemas import NetworkQuery
from governance.users import signin
from governance.users.models import User
from governance.vocab import (
    CommitmentStatus,
    MeetingMode,
    MeetingStatus,
    ParticipationRole,
    RelationshipType,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    UserRole,
    Valence,
)

T = TypeVar("T")

SIZES = ((300, 2_000), (2_000, 20_000))
AS_OF = dt.date(2022, 12, 31)
GROUP_SIZE = 25
#: Bare networkx steps on more nodes than this are timed on a sample and scaled up.
SAMPLE_ABOVE = 500
SAMPLE_SHARE = 0.1
CACHED_RUNS = 20

SECTORS = (
    [Sector.GOVERNMENT] * 4
    + [Sector.CIVIL_SOCIETY] * 7
    + [Sector.COMMUNITY] * 6
    + [Sector.PRIVATE, Sector.ACADEMIC, Sector.MEDIA]
)
RELATIONSHIP_TYPES = (
    RelationshipType.MEMBER_OF,
    RelationshipType.ADVISES,
    RelationshipType.REPORTS_TO,
    RelationshipType.ALLIED_WITH,
    RelationshipType.SHARES_DATA_WITH,
)


# --- Synthetic data ------------------------------------------------------------------------


@dataclass
class Rows:
    """Rows for each table, ready for ``insert``."""

    tables: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[Any], **values: Any) -> None:
        self.tables.setdefault(model, []).append(values)


def synthetic_rows(actors: int, ties: int, seed: int = SEED) -> Rows:
    """A collaboration whose all-layer network has ``actors`` nodes and ``ties`` ties.

    Actors fall in groups of 25; meetings gather members of a group (plus a guest),
    and four of five recorded ties stay within a group, so there are communities and
    brokers to find.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    rows = Rows()
    start = dt.date(2020, 1, 1)

    def some_day() -> dt.date:
        return start + dt.timedelta(days=rng.randrange((AS_OF - start).days))

    rows.add(Collaboration, id=1, name=f"Synthetic {actors}", started_on=start)
    for actor in range(1, actors + 1):
        rows.add(
            Stakeholder,
            id=actor,
            name=f"Actor {actor}",
            search_key=f"actor {actor}",
            kind=StakeholderKind.ORGANISATION,
            sector=rng.choice(SECTORS),
            contact={"email": f"actor{actor}@example.org"},
        )
        rows.add(
            Participation,
            collaboration_id=1,
            stakeholder_id=actor,
            role=ParticipationRole.PARTICIPANT,
            joined_on=start,
        )
    rows.add(Forum, id=1, collaboration_id=1, name="Synthetic forum")

    def member(group: int) -> int:
        first = group * GROUP_SIZE + 1
        return rng.randint(first, min(first + GROUP_SIZE - 1, actors))

    groups = (actors + GROUP_SIZE - 1) // GROUP_SIZE
    pairs: set[tuple[int, int]] = set()
    for meeting_id in range(1, actors // 10 + 1):
        group = rng.randrange(groups)
        attendees = {member(group) for _ in range(8)} | {rng.randint(1, actors)}
        moment = dt.datetime.combine(some_day(), dt.time(10), tzinfo=dt.UTC)
        rows.add(
            Meeting,
            id=meeting_id,
            forum_id=1,
            collaboration_id=1,
            title=f"Meeting {meeting_id}",
            starts_at=moment,
            mode=MeetingMode.HYBRID,
            status=MeetingStatus.HELD,
        )
        for attendee in sorted(attendees):
            rows.add(Attendance, meeting_id=meeting_id, stakeholder_id=attendee, attended=True)
        ordered = sorted(attendees)
        pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])

    counter = {"commitment": 0}
    while len(pairs) < ties:
        source = rng.randint(1, actors)
        target = (
            member((source - 1) // GROUP_SIZE) if rng.random() < 0.8 else rng.randint(1, actors)
        )
        pair = (min(source, target), max(source, target))
        if source == target or pair in pairs:
            continue
        pairs.add(pair)
        layer = rng.random()
        if layer < 0.5:
            rows.add(
                Relationship,
                source_id=source,
                target_id=target,
                type=rng.choice(RELATIONSHIP_TYPES),
                started_on=some_day(),
                strength=rng.randint(1, 3),
            )
        elif layer < 0.75:
            counter["commitment"] += 1
            made = some_day()
            done = rng.random() < 0.6
            status = CommitmentStatus.FULFILLED if done else CommitmentStatus.OPEN
            commitment_id = counter["commitment"]
            rows.add(
                Commitment,
                id=commitment_id,
                collaboration_id=1,
                owner_id=source,
                counterpart_id=target,
                description="Synthetic commitment",
                made_on=made,
                status=status,
            )
            rows.add(
                CommitmentStatusChange,
                commitment_id=commitment_id,
                to_status=CommitmentStatus.OPEN,
                changed_on=made,
            )
            if done:
                rows.add(
                    CommitmentStatusChange,
                    commitment_id=commitment_id,
                    from_status=CommitmentStatus.OPEN,
                    to_status=CommitmentStatus.FULFILLED,
                    changed_on=min(AS_OF, made + dt.timedelta(days=30)),
                )
        else:
            rows.add(
                TrustEvent,
                collaboration_id=1,
                occurred_on=some_day(),
                actor_id=source,
                target_id=target,
                kind=TrustEventKind.JOINT_ACTION,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE if rng.random() < 0.7 else Valence.NEGATIVE,
                severity=rng.randint(1, 3),
            )
    return rows


def store(rows: Rows, path: Path) -> Any:
    """A migrated SQLite database at ``path`` holding ``rows``; its engine."""
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    order = (
        Collaboration,
        Stakeholder,
        Participation,
        Forum,
        Meeting,
        Attendance,
        Relationship,
        Commitment,
        CommitmentStatusChange,
        TrustEvent,
    )
    with Session(engine) as session:
        for model in order:
            if rows.tables.get(model):
                session.execute(insert(model), rows.tables[model])
        session.commit()
    return engine


# --- Timing --------------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: float
    estimated: bool = False
    #: CPU time of this process (all its threads) meanwhile: on a machine shared with
    #: other work, the wall time above it is the CPU time plus the waiting.
    cpu: float | None = None

    def __str__(self) -> str:
        return ("~" if self.estimated else "") + _duration(self.seconds)


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def timed(function: Callable[[], T]) -> tuple[Timing, T]:
    """Wall and CPU time of one run, with the garbage collector held off as the service
    holds it off (:func:`governance.network.service.collector_paused`), for every step
    but the pages (:func:`wall_time`)."""
    with service.collector_paused():
        began, cpu = time.perf_counter(), time.process_time()
        result = function()
        return Timing(time.perf_counter() - began, cpu=time.process_time() - cpu), result


def median_of(function: Callable[[], object], runs: int = CACHED_RUNS) -> Timing:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return Timing(statistics.median(times))


def scaled(function: Callable[[], object], share: float) -> Timing:
    """Time ``function`` (run on ``share`` of the work) and scale to the whole."""
    elapsed, _ = timed(function)
    return Timing(elapsed.seconds / share, estimated=share < 1)


@dataclass
class Row:
    step: str
    cold: Timing | str | None = None
    cached: Timing | str | None = None
    networkx: Timing | str | None = None
    igraph: Timing | None = None

    def cells(self) -> list[str]:
        cpu = self.cold.cpu if isinstance(self.cold, Timing) else None
        return [self.step] + [
            "" if value is None else str(value)
            for value in (
                self.cold,
                None if cpu is None else _duration(cpu),
                self.cached,
                self.networkx,
                self.igraph,
            )
        ]


HEADER = ["step", "collabgov cold", "(its CPU)", "collabgov cached", "bare networkx", "bare igraph"]


def table(rows: list[Row]) -> str:
    cells = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]

    def line(values: list[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (value.rjust(width) for value, width in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(HEADER), rule, *(line(values) for values in cells[1:])])


@contextmanager
def temporary_database() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="collabgov-bench-") as folder:
        yield Path(folder) / "bench.sqlite3"


# --- The page as served ---------------------------------------------------------------------

PAGE_PATH = f"/collaborations/1/network?as_of={AS_OF.isoformat()}"
#: Before any synthetic record: the page of an empty network, to warm the process.
WARM_UP_DAY = "2019-01-01"
#: The admin the benchmark signs in as (a stored case may have other users).
BENCH_USER = "network-bench"


@dataclass
class PageTimes:
    cold: Timing | str
    cached: Timing | str
    other_language: Timing | str
    #: The page's change over time on its own request, right after the cold page (a
    #: network shown as its backbone leaves it to that request); None when not asked.
    change: Timing | str | None = None


def signed_in(engine: Any) -> tuple[Any, str]:
    """The app on ``engine``'s database and the session key of a bench admin signed in."""
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.name == BENCH_USER))
        if user is None:
            # No password: the benchmark signs in by opening a session directly.
            user = User(name=BENCH_USER, role=UserRole.ADMIN, password_hash="!")  # noqa: S106
            session.add(user)
            session.flush()
        key = signin.start_session(session, user=user, address="127.0.0.1", user_agent="bench")
        session.commit()
    settings = Settings(environment="test", secret_key="bench-" * 8)
    return create_app(settings, sessions=SessionFactory(engine)), key


def forget_everything() -> None:
    """Empty every cache the page reads from: the network service's and the pages' pieces
    kept per data revision (the outcome panel)."""
    service.clear_cache()
    revision.clear_caches()


def wall_time(function: Callable[[], object]) -> Timing:
    """Wall and CPU time of a page request, the garbage collector left as the server has it."""
    began, cpu = time.perf_counter(), time.process_time()
    function()
    return Timing(time.perf_counter() - began, cpu=time.process_time() - cpu)


def page_times(
    engine: Any, path: str = PAGE_PATH, collaboration_id: int = 1, *, change: str | None = None
) -> PageTimes:
    """The network page through the whole app (middleware, auth, template), signed in.

    Cold: nothing cached; cached: the median of repeated identical requests; another
    language: the same page in Indonesian right after (network cached, drawing and
    table in the new language drawn anew). With ``change``, the change-over-time
    fragment at that path is timed right after the cold page, as the page's script
    asks for it.
    """
    app, key = signed_in(engine)
    with TestClient(app) as client:
        client.cookies.set(SESSION_COOKIE, key)

        def page(language: str = "en") -> None:
            response = client.get(path, headers={"accept-language": language})
            if response.status_code != 200:
                raise RuntimeError(f"the page answered {response.status_code}")

        # Warm the process (templates compiled, locale data and routes loaded) with a
        # network of nobody: cold below means no network data cached, as after a write.
        client.get(f"/collaborations/{collaboration_id}/network?layers=trust&as_of={WARM_UP_DAY}")
        forget_everything()
        try:
            cold = wall_time(page)
        except RuntimeError as error:
            return PageTimes(str(error), "", "")
        fragment: Timing | None = None
        if change is not None:
            fragment = wall_time(lambda: client.get(change).raise_for_status())
        cached = median_of(page)
        other = wall_time(lambda: page("id"))
    return PageTimes(cold, cached, other, fragment)


def http_times(engine: Any, path: str, collaboration_id: int) -> PageTimes:
    """:func:`page_times` over HTTP: the app under uvicorn (one worker, its own process, as
    ``collabgov serve`` runs it), fresh connections from this process. Cold is the page's
    first request to that process, once warmed by a network of nobody."""
    _, key = signed_in(engine)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = os.environ | {
        "COLLABGOV_DATABASE_URL": str(engine.url),
        "COLLABGOV_ENVIRONMENT": "test",
        "COLLABGOV_SECRET_KEY": "bench-" * 8,
    }
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(command, cwd=root, env=env)  # noqa: S603 - our own command
    headers = {"Cookie": f"{SESSION_COOKIE}={key}"}

    def page(language: str = "en") -> None:
        status, _, _ = load.fetch(
            "127.0.0.1", port, path, headers=headers | {"Accept-Language": language}
        )
        if status != 200:
            raise RuntimeError(f"the page answered {status}")

    try:
        _wait_until_up(port, process)
        warm_up = f"/collaborations/{collaboration_id}/network?layers=trust&as_of={WARM_UP_DAY}"
        load.fetch("127.0.0.1", port, warm_up, headers=headers)
        cold = wall_time(page)
        cached = median_of(page)
        other = wall_time(lambda: page("id"))
    finally:
        process.terminate()
        process.wait(timeout=30)
    # The server's CPU is not this process's: only wall times mean something here.
    for timing in (cold, other):
        timing.cpu = None
    return PageTimes(cold, cached, other)


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if load.fetch("127.0.0.1", port, "/api/v1/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")


def stored_case(database: Path, collaboration_id: int) -> str:
    """The network page of a collaboration already stored in a SQLite database, on a copy."""
    with tempfile.TemporaryDirectory(prefix="collabgov-bench-") as folder:
        copy = Path(folder) / "case.sqlite3"
        shutil.copyfile(database, copy)
        engine = make_engine(f"sqlite:///{copy}")
        migrations.upgrade(engine)
        request = service.NetworkRequest(layers=ALL_LAYERS, window=Window.as_of(dt.date.today()))
        forget_everything()
        with Session(engine) as session:
            read, case = timed(lambda: load_case(session, collaboration_id))
            network_cold, result = timed(
                lambda: service.network(session, collaboration_id=collaboration_id, request=request)
            )
            drawing, _ = timed(lambda: service.drawing(result))
            series_cold, _ = timed(
                lambda: service.series(
                    session, collaboration_id=collaboration_id, query=NetworkQuery()
                )
            )
        path = f"/collaborations/{collaboration_id}/network"
        change = f"{path}/change-over-time?fragment=1"
        page = page_times(engine, path, collaboration_id, change=change)
        http = http_times(engine, path, collaboration_id)
        engine.dispose()
    forget_everything()
    report = [
        Row("read the case (load_case, SQLite)", cold=read),
        Row("network as of today (service: case, layout, metrics)", cold=network_cold),
        Row("SVG drawing", cold=drawing),
        Row("quarterly series (service.series)", cold=series_cold),
        Row("HTML PAGE in-process (app, signed in)", cold=page.cold, cached=page.cached),
        Row("  then its change over time (own request)", cold=page.change),
        Row("HTML PAGE in-process, then in Indonesian", cold=page.other_language),
        Row("HTML PAGE over HTTP (uvicorn)", cold=http.cold, cached=http.cached),
        Row("HTML PAGE over HTTP, then in Indonesian", cold=http.other_language),
    ]
    backbone = result.backbone
    title = (
        f"{database.name}, collaboration {collaboration_id}: {len(case.stakeholders):,} "
        f"stakeholders, {len(case.meetings):,} meetings → network of "
        f"{result.figures.nodes:,} nodes, {result.figures.ties:,} ties"
        + (
            f" (the backbone of {backbone.ties_total:,}, weight ≥ {backbone.min_weight:g})"
            if backbone.applied
            else ""
        )
    )
    return f"{title}\n{table(report)}"


# --- The benchmark -------------------------------------------------------------------------


def run(actors: int, ties: int) -> str:
    rows = synthetic_rows(actors, ties)
    request = service.NetworkRequest(layers=ALL_LAYERS, window=Window.as_of(AS_OF))
    with temporary_database() as path:
        engine = store(rows, path)
        with Session(engine) as session:
            service.clear_cache()
            read, case = timed(lambda: load_case(session, 1))
            revision, _ = timed(lambda: service.data_revision(session, 1))
            page_cold, result = timed(
                lambda: service.drawing(
                    service.network(session, collaboration_id=1, request=request)
                )
            )
            page_cached = median_of(
                lambda: service.drawing(
                    service.network(session, collaboration_id=1, request=request)
                )
            )
            other_day = service.NetworkRequest(
                layers=ALL_LAYERS, window=Window.as_of(dt.date(2022, 6, 30))
            )
            other_cold, _ = timed(
                lambda: service.drawing(
                    service.network(session, collaboration_id=1, request=other_day)
                )
            )
            json_cached = median_of(
                lambda: service.read(service.network(session, collaboration_id=1, request=request))
            )
            query = NetworkQuery(as_of=AS_OF)
            series_cold, _ = timed(lambda: service.series(session, collaboration_id=1, query=query))
            series_cached = median_of(
                lambda: service.series(session, collaboration_id=1, query=query)
            )
        table_cold, table_cached = _table_times(result_of(engine, request))
        page = page_times(engine)
        engine.dispose()
    service.clear_cache()

    report = [Row("read the case (load_case, SQLite)", cold=read)]
    report.append(Row("data revision (cache key query)", cold=revision, cached=revision))
    built, network = timed(lambda: build_network(case, ALL_LAYERS, Window.as_of(AS_OF)))
    collapsed, ties_graph = timed(lambda: (tie_graph(network), arc_graph(network)))
    report.append(Row("build the layered graph (pure)", cold=built))
    report.append(Row("collapse to tie and arc graphs", cold=collapsed))
    undirected = ties_graph[0]
    lengths = with_distances(undirected)
    n = undirected.number_of_nodes()
    share = SAMPLE_SHARE if n > SAMPLE_ABOVE else 1.0
    sample = sorted(undirected)[: max(1, int(n * share))]
    converted, copy = timed(lambda: igraph_engine.convert(lengths, "distance", "weight"))
    ig = copy.graph

    report.append(
        Row(
            "betweenness",
            cold=timed(lambda: betweenness(lengths, distance="distance"))[0],
            networkx=scaled(
                lambda: nx.betweenness_centrality(
                    lengths, k=len(sample) if share < 1 else None, weight="distance", seed=SEED
                ),
                share,
            ),
            igraph=timed(lambda: ig.betweenness(directed=False, weights="distance"))[0],
        )
    )
    report.append(
        Row(
            "closeness",
            cold=timed(lambda: closeness(lengths, distance="distance"))[0],
            networkx=scaled(
                lambda: [
                    nx.closeness_centrality(lengths, u=v, distance="distance") for v in sample
                ],
                share,
            ),
            igraph=timed(lambda: ig.closeness(weights="distance"))[0],
        )
    )
    report.append(
        Row(
            "eigenvector",
            cold=timed(lambda: eigenvector(undirected))[0],
            networkx=timed(
                lambda: nx.eigenvector_centrality(
                    undirected, weight="weight", tol=EIGENVECTOR_TOLERANCE, max_iter=1000
                )
            )[0],
            igraph=timed(lambda: ig.eigenvector_centrality(weights="weight"))[0],
        )
    )
    report.append(
        Row(
            "communities (Louvain)",
            cold=timed(lambda: communities(undirected))[0],
            networkx=timed(
                lambda: nx.community.louvain_communities(undirected, weight="weight", seed=SEED)
            )[0],
            igraph=timed(lambda: ig.community_multilevel(weights="weight"))[0],
        )
    )
    report.append(
        Row(
            "constraint + effective size",
            cold=timed(lambda: brokerage(undirected, weight="weight"))[0],
            networkx=scaled(
                lambda: (
                    nx.constraint(undirected, nodes=sample, weight="weight"),
                    nx.effective_size(undirected, nodes=sample, weight="weight"),
                ),
                share,
            ),
        )
    )
    everything, (metrics, parts) = timed(lambda: node_metrics(undirected))
    figures, _ = timed(lambda: network_figures(undirected, ties_graph[1], parts))
    report.append(Row("all node metrics (as served)", cold=everything))
    report.append(Row("network figures", cold=figures))
    layout, positions = timed(lambda: service.union_layout(case))
    report.append(
        Row(
            "layout (union of all dates)",
            cold=layout,
            networkx=_spring_layout(undirected),
            igraph=timed(lambda: ig.layout_fruchterman_reingold(niter=500))[0],
        )
    )
    drawing, _ = timed(lambda: draw_svg(network, positions, metrics, size_by="betweenness"))
    report.append(Row("SVG drawing", cold=drawing))
    report.append(Row("igraph conversion", cold=converted))
    report.append(Row("quarterly series (service.series)", cold=series_cold, cached=series_cached))
    report.append(Row("metrics table HTML (all rows)", cold=table_cold, cached=table_cached))
    report.append(Row("network + SVG (service, SQLite)", cold=page_cold, cached=page_cached))
    report.append(Row("network + SVG, another date", cold=other_cold))
    report.append(Row("API JSON body (service.read), cached net", cached=json_cached))
    report.append(Row("HTML PAGE as served (app, signed in)", cold=page.cold, cached=page.cached))
    report.append(Row("HTML PAGE, then in Indonesian", cold=page.other_language))

    title = (
        f"{actors:,} actors / {ties:,} ties → network of {n:,} nodes, "
        f"{undirected.number_of_edges():,} ties, {network.number_of_edges():,} layer edges; "
        f"engine: {engine_for(undirected)}; SVG {len(result) / 1e6:.2f} MB"
    )
    return f"{title}\n{table(report)}"


def result_of(engine: Any, request: service.NetworkRequest) -> service.NetworkResult:
    with Session(engine) as session:
        return service.network(session, collaboration_id=1, request=request)


def _table_times(result: service.NetworkResult) -> tuple[Timing, Timing]:
    """The page's metrics table of every stakeholder: built, then from the network's cache."""
    settings = Settings(environment="test", secret_key="bench-" * 8)
    app = create_app(settings)
    language = app.state.languages["en"]
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/collaborations/1/network",
        "query_string": b"",
        "headers": [],
        "app": app,
        "router": app.router,
    }
    request = StarletteRequest(scope)
    order = sort_choice(None, None)
    rows = sort_rows(node_rows(result.network, result.metrics), *order)

    def table() -> None:
        with speaking(language, request):
            metrics_table(request, language, rows, order, "", cache=result.tables)

    with speaking(language, request):  # warm: locale data and routes loaded once
        metrics_table(request, language, rows[:1], order, "")
    cold, _ = timed(table)
    return cold, median_of(table)


def _spring_layout(graph: nx.Graph) -> Timing | str:
    # networkx's layouts need NumPy, and SciPy above 500 nodes.
    for module in ("numpy", "scipy") if len(graph) > 500 else ("numpy",):
        if importlib.util.find_spec(module) is None:
            return f"n/a (needs {module})"
    elapsed, _ = timed(lambda: nx.spring_layout(graph, seed=SEED))
    return elapsed


def environment() -> str:
    return (
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"networkx {nx.__version__}, python-igraph {igraph.__version__}; "
        f"igraph above n·(n+m) = {IGRAPH_THRESHOLD:,}; tie length unit 1/{DISTANCE_UNIT:,}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small-only", action="store_true", help="only the 300-actor network")
    parser.add_argument(
        "--database",
        type=Path,
        metavar="SQLITE_FILE",
        help="measure the network page of a case already stored there (on a copy) instead",
    )
    parser.add_argument("--collaboration", type=int, default=1, help="with --database")
    options = parser.parse_args(argv)
    print("collabgov network benchmark")
    print(environment())
    print("cold = first run, nothing cached (its CPU: the process's CPU time meanwhile; more")
    print("wall than CPU = waiting for a core); cached = median of repeated identical requests;")
    print("~ = bare networkx timed on a 10% sample of sources/nodes and scaled up\n")
    if options.database is not None:
        print(stored_case(options.database, options.collaboration))
        return
    for actors, ties in SIZES[:1] if options.small_only else SIZES:
        print(run(actors, ties))
        print()


if __name__ == "__main__":
    main()
