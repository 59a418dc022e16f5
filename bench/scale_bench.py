"""How fast collabgov is on a large case: HTTP reads, pages and writes, derived views, memory.

Run ``make bench`` (or ``.venv/bin/python -m bench.scale_bench``; ``--size small`` for a
quick run). For each database — SQLite (a file under ``var/bench/``) and PostgreSQL
(database ``collabgov_bench`` on 127.0.0.1, when a server answers there) — it

1. builds the large synthetic case once (``governance.demo.generate``: 5,000
   stakeholders, 20,000 meetings, 300,000 attendance rows...) and reuses it on later
   runs with the same size and seed;
2. times the derived views in-process, cold (first computation) and cached: the
   diagnosis (reading the case, then the pure diagnosis), the network page (graph,
   metrics, layout and SVG) and the case report;
3. starts the app under uvicorn in a subprocess, signed in with a bench admin's API
   token, and drives concurrent keep-alive clients on loopback: representative API list
   and detail reads, page renders, and writes from 32 clients, each beside the two bare
   reference endpoints of the same app measured in the same run (``/api/v1/health``,
   a JSON constant, and ``/api/v1/health/db``, one row by primary key), as ratios;
4. times the derived pages over HTTP, cold and warm, and reads the peak memory (RSS) of
   the server processes.

It prints one table per database and the issue's targets beside each figure. It never
fails on time: it measures, and says which target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bench import load
from governance import migrations, revision
from governance.audit.service import Actor
from governance.cases.snapshot import load_case
from governance.db import make_engine
from governance.demo.generate import Sizes, existing_case, generate
from governance.diagnosis import service as diagnosis_service
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.thresholds import DEFAULT_WINDOW_DAYS, Thresholds
from governance.models import Attendance, Commitment, Meeting, Participation
from governance.network import service as network_service
from governance.network.graph import ALL_LAYERS, Window
from governance.report import service as report_service
from governance.users import service as user_service
from governance.vocab import UserRole

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1/postgres"
BENCH_ACTOR = Actor("bench")
BENCH_USER = "bench-admin"

SIZES: dict[str, Sizes] = {
    "large": Sizes(),
    "small": Sizes(
        stakeholders=500,
        forums=10,
        meetings=2_000,
        attendance=30_000,
        commitments=2_000,
        trust_events=2_000,
        outcomes=200,
        relationships=500,
    ),
}

# The targets (SQLite, 2 cores).
API_RATIO_MIN = 0.15
API_P99_MAX = 0.100
PAGE_P50_MAX = 0.050
PAGE_P99_MAX = 0.150
WRITE_P99_MAX = 0.100
DIAGNOSIS_COLD_MAX = 0.5
NETWORK_COLD_MAX = 5.0
NETWORK_CACHED_MAX = 0.1
MEMORY_MAX_MB = 500


# --- The databases -----------------------------------------------------------------------------


@dataclass
class Database:
    backend: str
    url: str
    built_seconds: float | None = None  # None when reused
    collaboration_id: int = 0
    ids: dict[str, list[int]] = field(default_factory=dict)
    token: str = ""


def database_url(backend: str, size: str, seed: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'scale-{size}-seed{seed}.sqlite3'}"
    name = "collabgov_bench" if size == "large" else f"collabgov_bench_{size}"
    return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)


def postgres_available() -> bool:
    engine = create_engine(POSTGRES_ADMIN, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def ensure_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def prepare(backend: str, size: str, seed: int, *, url: str | None = None) -> Database:
    """The benchmark database of this backend, size and seed: built once, then reused.

    ``url`` names another database to use instead (a copy, for writes that must not
    change the shared one).
    """
    url = url or database_url(backend, size, seed)
    if backend == "postgresql":
        ensure_postgres_database(url)
    engine = make_engine(url)
    migrations.upgrade(engine)
    database = Database(backend, url)
    sizes = SIZES[size]
    with Session(engine) as session:
        found = existing_case(session, seed=seed, sizes=sizes)
    if found is None:
        print(f"  building the {size} case on {backend} (once; later runs reuse it)...")
        with Session(engine) as session:
            result = generate(session, sizes=sizes, seed=seed, actor=BENCH_ACTOR)
            session.commit()
        database.built_seconds = result.seconds
        found = result.collaboration_ids[0]
        _analyze(engine)
        print(f"  built in {result.seconds:.1f} s")
    database.collaboration_id = found
    with Session(engine) as session:
        database.ids = _sample_ids(session, found)
        database.token = _bench_token(session)
        session.commit()
    engine.dispose()
    return database


def _analyze(engine: Engine) -> None:
    """Gather planner statistics, as autovacuum (PostgreSQL) or ``PRAGMA optimize`` would."""
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def _sample_ids(session: Session, collaboration_id: int) -> dict[str, list[int]]:
    """Ids to rotate through in detail reads: 200 of each, spread over the case."""

    def spread(statement: Any) -> list[int]:
        ids = list(session.scalars(statement))
        step = max(1, len(ids) // 200)
        return ids[::step][:200]

    return {
        "meeting": spread(
            select(Meeting.id)
            .where(Meeting.collaboration_id == collaboration_id)
            .order_by(Meeting.id)
        ),
        "commitment": spread(
            select(Commitment.id)
            .where(Commitment.collaboration_id == collaboration_id)
            .order_by(Commitment.id)
        ),
        "stakeholder": spread(
            select(Participation.stakeholder_id)
            .where(Participation.collaboration_id == collaboration_id)
            .order_by(Participation.stakeholder_id)
        ),
        "attendee": list(
            session.scalars(
                select(Attendance.stakeholder_id)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Meeting.collaboration_id == collaboration_id)
                .group_by(Attendance.stakeholder_id)
                .order_by(func.count().desc(), Attendance.stakeholder_id)
                .limit(50)
            )
        ),
        "meeting_count": [
            int(
                session.scalar(
                    select(func.count())
                    .select_from(Meeting)
                    .where(Meeting.collaboration_id == collaboration_id)
                )
                or 0
            )
        ],
    }


def _bench_token(session: Session) -> str:
    """A new API token of the bench admin (created the first time)."""
    user = user_service.get_by_name(session, BENCH_USER)
    if user is None:
        user = user_service.create_user(
            session,
            name=BENCH_USER,
            role=UserRole.ADMIN,
            password=secrets.token_urlsafe(24),
            actor=BENCH_ACTOR,
        )
    return user_service.create_token(session, user=user, name="scale bench", actor=BENCH_ACTOR)


# --- Derived views in-process --------------------------------------------------------------


@dataclass
class Derived:
    name: str
    cold: float
    cached: float | None = None
    note: str = ""


def time_derived(database: Database, *, network: bool = True) -> list[Derived]:
    """Cold and cached computation times of the diagnosis, network and report."""
    revision.clear_caches()
    engine = make_engine(database.url)
    case_id = database.collaboration_id
    today = dt.date.today()
    thresholds = Thresholds()
    rows: list[Derived] = []
    with Session(engine) as session:
        began = time.perf_counter()
        case = load_case(session, case_id)
        read = time.perf_counter() - began
        began = time.perf_counter()
        diagnose(case, as_of=today, window_days=DEFAULT_WINDOW_DAYS, thresholds=thresholds)
        pure = time.perf_counter() - began
        rows.append(Derived("diagnosis: read the case (load_case)", read))
        rows.append(Derived("diagnosis: compute (pure)", pure))
        rows.append(Derived("diagnosis: read + compute", read + pure))

        def diagnosis() -> None:
            diagnosis_service.get_diagnosis(
                session,
                collaboration_id=case_id,
                as_of=today,
                window_days=DEFAULT_WINDOW_DAYS,
                thresholds=thresholds,
            )

        cold, _ = _timed(diagnosis)
        rows.append(
            Derived("diagnosis (service, cached per revision)", cold, _median(diagnosis, 5))
        )
        if network:
            rows.append(_time_network(session, case_id, today))

        def report() -> None:
            report_service.get_report(
                session,
                collaboration_id=case_id,
                as_of=today,
                window_days=DEFAULT_WINDOW_DAYS,
                thresholds=thresholds,
            )

        cold, _ = _timed(report)
        rows.append(Derived("case report (service, cached per revision)", cold, _median(report, 5)))
    network_service.clear_cache()
    revision.clear_caches()
    engine.dispose()
    return rows


def _time_network(session: Session, case_id: int, today: dt.date) -> Derived:
    """The network page's computation: graph, metrics, layout and SVG, cold then cached."""
    network_service.clear_cache()
    request = network_service.NetworkRequest(layers=ALL_LAYERS, window=Window.as_of(today))

    def network_page() -> None:
        network_service.drawing(
            network_service.network(session, collaboration_id=case_id, request=request)
        )

    cold, _ = _timed(network_page)
    return Derived("network page (graph, metrics, layout, SVG)", cold, _median(network_page, 5))


def _timed(function: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    value = function()
    return time.perf_counter() - began, value


def _median(function: Callable[[], object], runs: int) -> float:
    return statistics.median(_timed(function)[0] for _ in range(runs))


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(
    database: Database, *, workers: int, port: int, plain: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """The app under uvicorn with ``workers`` processes, until the block ends; ``plain``
    forces the pure-Python HTTP parser and event loop (h11, asyncio) for comparison."""
    env = os.environ | {
        "COLLABGOV_DATABASE_URL": database.url,
        "COLLABGOV_ENVIRONMENT": "production",
        "COLLABGOV_SECRET_KEY": secrets.token_urlsafe(48),
    }
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    command += ["--no-access-log", "--log-level", "warning"]
    if plain:
        command += ["--loop", "asyncio", "--http", "h11"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own command
    try:
        _wait_until_up(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            status, _, _ = load.fetch(HOST, port, "/api/v1/health")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")


def peak_memory_mb(root: int) -> tuple[float, float]:
    """Peak RSS (VmHWM) of the server: the largest process, and all its processes summed."""
    pids = [root, *_descendants(root)]
    peaks = [_vm_hwm_kb(pid) for pid in pids]
    peaks = [peak for peak in peaks if peak]
    return max(peaks) / 1024, sum(peaks) / 1024


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- The scenarios ------------------------------------------------------------------------------


@dataclass
class Scenario:
    kind: str  # reference, api, page, write
    name: str
    make: load.RequestMaker
    clients: int
    expect: int = 200


def scenarios(database: Database, *, clients: int, write_clients: int) -> list[Scenario]:
    case = database.collaboration_id
    ids = database.ids
    deep = ids["meeting_count"][0] // 2

    def rotating(template: str, kind: str) -> load.RequestMaker:
        chosen = ids[kind]
        return lambda n: ("GET", template.format(chosen[n % len(chosen)]), None)

    def fixed(path: str) -> load.RequestMaker:
        return lambda n: ("GET", path, None)

    attendees = ids["attendee"]
    today = dt.date.today().isoformat()

    def trust_event(n: int) -> tuple[str, str, Any]:
        actor, target = attendees[n % len(attendees)], attendees[(n + 1) % len(attendees)]
        body = {
            "collaboration_id": case,
            "occurred_on": today,
            "actor_id": actor,
            "target_id": target,
            "kind": "information_shared",
            "trust_form": "procedural",
            "valence": "positive",
            "severity": 1,
            "description": f"Benchmark write {n}",
        }
        return "POST", "/api/v1/trust-events", body

    def commitment(n: int) -> tuple[str, str, Any]:
        owner, counterpart = attendees[n % len(attendees)], attendees[(n + 3) % len(attendees)]
        body = {
            "collaboration_id": case,
            "owner_id": owner,
            "counterpart_id": counterpart,
            "description": f"Benchmark commitment {n}",
            "made_on": today,
        }
        return "POST", "/api/v1/commitments", body

    meetings = f"/api/v1/meetings?collaboration_id={case}&limit=50"
    reads = clients
    return [
        Scenario("reference", "trivial JSON: /api/v1/health", fixed("/api/v1/health"), reads),
        Scenario(
            "reference", "one-row PK read: /api/v1/health/db", fixed("/api/v1/health/db"), reads
        ),
        Scenario("api", "list meetings of the case (50)", fixed(meetings), reads),
        Scenario(
            "api",
            f"list meetings, deep (offset {deep:,})",
            fixed(f"{meetings}&offset={deep}"),
            reads,
        ),
        Scenario(
            "api",
            "list commitments of the case (50)",
            fixed(f"/api/v1/commitments?collaboration_id={case}&limit=50"),
            reads,
        ),
        Scenario("api", "list stakeholders (50)", fixed("/api/v1/stakeholders?limit=50"), reads),
        Scenario(
            "api",
            "search stakeholders (q=yayasan, 50)",
            fixed("/api/v1/stakeholders?q=yayasan&limit=50"),
            reads,
        ),
        Scenario(
            "api",
            "meeting detail (attendance inline)",
            rotating("/api/v1/meetings/{}", "meeting"),
            reads,
        ),
        Scenario(
            "api",
            "commitment detail (history inline)",
            rotating("/api/v1/commitments/{}", "commitment"),
            reads,
        ),
        Scenario(
            "api", "stakeholder detail", rotating("/api/v1/stakeholders/{}", "stakeholder"), reads
        ),
        Scenario(
            "page",
            "page: meetings of the case (50 rows)",
            fixed(f"/collaborations/{case}/meetings"),
            reads,
        ),
        Scenario(
            "page", "page: commitments board", fixed(f"/collaborations/{case}/commitments"), reads
        ),
        Scenario("page", "page: stakeholders (50 rows)", fixed("/stakeholders"), reads),
        Scenario("page", "page: meeting detail", rotating("/meetings/{}", "meeting"), reads),
        Scenario(
            "page", "page: stakeholder detail", rotating("/stakeholders/{}", "stakeholder"), reads
        ),
        Scenario(
            "page", "page: commitment detail", rotating("/commitments/{}", "commitment"), reads
        ),
        Scenario("page", "page: dashboard of the case", fixed(f"/collaborations/{case}"), reads),
        Scenario("write", "write: create trust event", trust_event, write_clients, 201),
        Scenario("write", "write: create commitment", commitment, write_clients, 201),
    ]


# --- Running and reporting -----------------------------------------------------------------------


@dataclass
class Row:
    scenario: Scenario
    result: load.Result


@dataclass
class Report:
    database: Database
    workers: int
    rows: list[Row] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    pages: list[Derived] = field(default_factory=list)
    memory: tuple[float, float] = (0.0, 0.0)
    #: The machine's load average (1 minute) before and after: other work skews figures.
    load: tuple[float, float] = (0.0, 0.0)


def run_backend(backend: str, options: argparse.Namespace) -> Report:
    print(f"\n== {backend} ==")
    database = prepare(backend, options.size, options.seed, url=options.database)
    report = Report(database, options.workers)
    before = os.getloadavg()[0]
    print("  timing the derived views in-process...")
    if options.derived:
        report.derived = time_derived(database, network=options.network)
    headers = {"Authorization": f"Bearer {database.token}"}
    port = options.port or free_port()
    with server(database, workers=options.workers, port=port, plain=options.plain) as process:
        print(
            f"  server up: {options.workers} worker(s) on port {port}; derived pages over HTTP..."
        )
        if options.derived:
            report.pages = time_pages(
                database, port, headers, workers=options.workers, network=options.network
            )
        for scenario in scenarios(
            database, clients=options.clients, write_clients=options.write_clients
        ):
            if options.only and not any(part in scenario.name for part in options.only):
                continue
            # The reference endpoints are public: no token, so nothing but the app itself runs.
            sent = {} if scenario.kind == "reference" else headers
            load.run(
                HOST,
                port,
                scenario.make,
                headers=sent,
                clients=scenario.clients,
                seconds=0.5,
                expect=scenario.expect,
            )
            result = load.run(
                HOST,
                port,
                scenario.make,
                headers=sent,
                clients=scenario.clients,
                seconds=options.seconds,
                expect=scenario.expect,
            )
            report.rows.append(Row(scenario, result))
            print(
                f"    {scenario.name}: {result.throughput:,.0f}/s, "
                f"p99 {result.p99 * 1000:,.0f} ms, errors {result.errors}"
            )
        report.memory = peak_memory_mb(process.pid)
    report.load = (before, os.getloadavg()[0])
    return report


def time_pages(
    database: Database, port: int, headers: dict[str, str], *, workers: int, network: bool = True
) -> list[Derived]:
    """Each derived page over HTTP: the first request (cold), then warm once every worker
    has served it (the median of the last few requests)."""
    case = database.collaboration_id
    rows = []
    for name, path in (
        ("diagnosis page", f"/collaborations/{case}/diagnosis"),
        ("network page", f"/collaborations/{case}/network"),
        ("report page", f"/collaborations/{case}/report"),
        ("diagnosis API", f"/api/v1/collaborations/{case}/diagnosis"),
        ("network API (JSON)", f"/api/v1/collaborations/{case}/network"),
    ):
        if "network" in name and not network:
            continue
        status, _, cold = load.fetch(HOST, port, path, headers=headers)
        warm = [load.fetch(HOST, port, path, headers=headers)[2] for _ in range(2 * workers + 4)]
        note = "" if status == 200 else f"HTTP {status}"
        rows.append(Derived(name, cold, statistics.median(warm[-5:]), note))
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def format_report(report: Report) -> str:
    lines = []
    database = report.database
    built = (
        "reused" if database.built_seconds is None else f"built in {database.built_seconds:.0f} s"
    )
    lines.append(
        f"{database.backend}: collaboration {database.collaboration_id} ({built}); "
        f"uvicorn, {report.workers} worker(s); load average {report.load[0]:.1f} before, "
        f"{report.load[1]:.1f} after"
    )
    reference = {
        row.scenario.name: row.result for row in report.rows if row.scenario.kind == "reference"
    }
    trivial, pk = list(reference.values())[:2] if len(reference) >= 2 else (None, None)
    header = [
        "request",
        "clients",
        "req/s",
        "× trivial",
        "× PK read",
        "p50",
        "p99",
        "errors",
        "target",
    ]
    table = [header]
    for row in report.rows:
        result = row.result
        ratio = result.throughput / trivial.throughput if trivial and trivial.throughput else 0
        ratio_pk = result.throughput / pk.throughput if pk and pk.throughput else 0
        table.append(
            [
                row.scenario.name,
                str(row.scenario.clients),
                f"{result.throughput:,.0f}",
                f"{ratio:.2f}",
                f"{ratio_pk:.2f}",
                _ms(result.p50),
                _ms(result.p99),
                str(result.errors),
                _target(row.scenario.kind, result, ratio),
            ]
        )
    lines.append(_table(table))
    lines.append("")
    derived = [["derived view (in-process)", "cold", "cached", "target"]]
    for item in report.derived:
        derived.append(
            [item.name, _seconds(item.cold), _seconds(item.cached), _derived_target(item)]
        )
    lines.append(_table(derived))
    lines.append("")
    pages = [["derived view over HTTP", "first request", "warm", "note"]]
    for item in report.pages:
        pages.append(
            [
                item.name,
                _seconds(item.cold),
                _seconds(item.cached),
                item.note or _derived_target(item),
            ]
        )
    lines.append(_table(pages))
    largest, total = report.memory
    lines.append("")
    lines.append(
        f"server peak RSS: largest process {largest:,.0f} MB, all {report.workers} worker(s) and "
        f"the supervisor together {total:,.0f} MB (target < {MEMORY_MAX_MB} MB: "
        f"{_verdict(largest < MEMORY_MAX_MB)} per process)"
    )
    return "\n".join(lines)


def _target(kind: str, result: load.Result, ratio: float) -> str:
    if kind == "api":
        ok = ratio >= API_RATIO_MIN and result.p99 <= API_P99_MAX and not result.errors
        return f"≥{API_RATIO_MIN}×, p99 ≤{API_P99_MAX * 1000:.0f} ms: {_verdict(ok)}"
    if kind == "page":
        ok = result.p50 <= PAGE_P50_MAX and result.p99 <= PAGE_P99_MAX and not result.errors
        return f"p50 ≤{PAGE_P50_MAX * 1000:.0f}, p99 ≤{PAGE_P99_MAX * 1000:.0f} ms: {_verdict(ok)}"
    if kind == "write":
        ok = result.p99 <= WRITE_P99_MAX and not result.errors
        return f"no error, p99 ≤{WRITE_P99_MAX * 1000:.0f} ms: {_verdict(ok)}"
    return "(reference)"


def _derived_target(item: Derived) -> str:
    if item.name.startswith("diagnosis (service") or item.name == "diagnosis API":
        return f"cold ≤{DIAGNOSIS_COLD_MAX} s: {_verdict(item.cold <= DIAGNOSIS_COLD_MAX)}"
    if item.name.startswith("network page"):
        ok = item.cold <= NETWORK_COLD_MAX and (item.cached or 0) <= NETWORK_CACHED_MAX
        return f"cold ≤{NETWORK_COLD_MAX:.0f} s, cached ≤{NETWORK_CACHED_MAX} s: {_verdict(ok)}"
    return item.note


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(values: list[str]) -> str:
        cells = [values[0].ljust(widths[0])]
        cells += [
            value.rjust(width) for value, width in zip(values[1:-1], widths[1:-1], strict=True)
        ]
        cells.append(values[-1])
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory}; Python {platform.python_version()}, "
        f"Linux {platform.release()}"
    )


def save(reports: list[Report], options: argparse.Namespace) -> Path:
    """The figures as JSON beside the databases, for the README."""
    path = BENCH_DIR / f"results-{options.size}.json"
    data = {
        "machine": machine(),
        "size": options.size,
        "seed": options.seed,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "backends": {
            report.database.backend: {
                "workers": report.workers,
                "requests": [
                    {
                        "name": row.scenario.name,
                        "kind": row.scenario.kind,
                        "clients": row.scenario.clients,
                        "throughput": row.result.throughput,
                        "p50": row.result.p50,
                        "p99": row.result.p99,
                        "errors": row.result.errors,
                        "statuses": row.result.statuses,
                    }
                    for row in report.rows
                ],
                "derived": [item.__dict__ for item in report.derived],
                "pages": [item.__dict__ for item in report.pages],
                "memory_mb": {"largest": report.memory[0], "total": report.memory[1]},
                "load_average": list(report.load),
            }
            for report in reports
        },
    }
    path.write_text(json.dumps(data, indent=2))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for reads")
    parser.add_argument("--write-clients", type=int, default=32, help="concurrent writers")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each scenario")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="use this database (say, a copy to write to) instead of the shared one; "
        "its backend is the only one measured",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only the request scenarios whose name contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--no-derived",
        dest="derived",
        action="store_false",
        help="leave out the diagnosis, network and report timings",
    )
    parser.add_argument(
        "--plain-http",
        dest="plain",
        action="store_true",
        help="serve with uvicorn's pure-Python HTTP parser and event loop (h11, asyncio)",
    )
    parser.add_argument(
        "--no-network",
        dest="network",
        action="store_false",
        help="leave out the network page's timings (the slowest derived view)",
    )
    options = parser.parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    if options.database:
        backends = [make_url(options.database).get_backend_name()]
    if "postgresql" in backends and not postgres_available():
        print(f"PostgreSQL does not answer at {POSTGRES_ADMIN}; measuring SQLite only")
        backends.remove("postgresql")
    print("collabgov scale benchmark")
    print(machine())
    sizes = SIZES[options.size]
    print(
        f"case: {options.size} (seed {options.seed}): {sizes.stakeholders:,} stakeholders, "
        f"{sizes.forums} forums, {sizes.meetings:,} meetings, "
        f"{sizes.attendance:,} attendance rows, "
        f"{sizes.commitments:,} commitments, {sizes.trust_events:,} trust events, "
        f"{sizes.outcomes:,} outcomes"
    )
    print(
        f"each request scenario: {options.seconds:g} s after a 0.5 s warm-up; reads from "
        f"{options.clients} keep-alive clients, writes from {options.write_clients}; "
        "clients and server share the machine"
    )
    reports = [run_backend(backend, options) for backend in backends]
    for report in reports:
        print()
        print(format_report(report))
    if options.database:
        print("\nfigures not saved: they are of another database than the shared one")
    else:
        print(f"\nfigures saved to {save(reports, options).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
