"""Several processes editing the same records through one real server, on SQLite.

The server is the app under uvicorn, as deployed (one process, a thread pool running
the requests), on a temporary SQLite file. Worker *processes* — not threads of the
test — each read a record and PATCH it with the version they read, many times over,
all at once. Optimistic locking promises that:

- every answer is 200 (the edit was made) or 409 (someone else's came first) — never a
  500, a 503 or "database is locked";
- no update is lost: a record's final version is its first plus the number of 200s;
- each edit that was answered 200 is in the audit log exactly once, and nothing else is.

A second test has processes write different records at once through
``SessionFactory.writer()`` on the same file: every transaction commits.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import func, select

from api.app import create_app
from governance import migrations
from governance.audit.models import AuditEntry
from governance.audit.service import SYSTEM, Actor
from governance.config import Settings
from governance.db import SessionFactory, make_engine
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.schemas import StakeholderCreate
from governance.users import service as user_service
from governance.users.models import User
from governance.vocab import UserRole
from tests.browser.server import free_port

WORKERS = 5
ROUNDS = 12
RECORDS = 2

#: A worker's answers: (record id, status, the description it sent, the body's start).
Answer = tuple[int, int, str, str]


@contextmanager
def serve(database: Path) -> Iterator[str]:
    """The app under uvicorn in a thread, on ``database``; yields its base URL."""
    settings = Settings(
        database_url=f"sqlite:///{database}",
        environment="test",
        secret_key="concurrency-tests-" + "x" * 32,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="collabgov-concurrency", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _call(method: str, url: str, token: str, body: object = None) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def edit_worker(
    base_url: str, token: str, ids: list[int], worker: int, start_at: float
) -> list[Answer]:
    """Read each record and PATCH it with the version read, ROUNDS times (in a process)."""
    time.sleep(max(0.0, start_at - time.time()))
    answers: list[Answer] = []
    for round_ in range(ROUNDS):
        for record_id in ids:
            url = f"{base_url}/api/v1/stakeholders/{record_id}"
            status, body = _call("GET", url, token)
            if status != 200:
                answers.append((record_id, status, "", body[:200]))
                continue
            version = json.loads(body)["version"]
            description = f"worker {worker} round {round_}"
            status, body = _call(
                "PATCH", url, token, {"description": description, "version": version}
            )
            answers.append((record_id, status, description, body[:200]))
    return answers


def write_worker(database_url: str, worker: int, count: int, start_at: float) -> list[int]:
    """Create ``count`` stakeholders, one transaction each, straight through the services."""
    engine = make_engine(database_url)
    sessions = SessionFactory(engine)
    made: list[int] = []
    time.sleep(max(0.0, start_at - time.time()))
    try:
        for n in range(count):
            with sessions.writer() as session:
                data = StakeholderCreate(
                    name=f"Direct {worker}-{n}", kind="group", sector="community"
                )
                stakeholder = stakeholder_service.create(
                    session, data=data, actor=Actor(f"worker {worker}")
                )
                session.commit()
                made.append(stakeholder.id)
    finally:
        engine.dispose()
    return made


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A migrated SQLite file with a secretariat user; yields its URL."""
    url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    engine.dispose()
    return url


def setup_records(url: str) -> tuple[str, list[int], dict[int, int]]:
    """A secretariat user's API token and the records to fight over, with their versions."""
    engine = make_engine(url)
    try:
        with SessionFactory(engine).transaction() as session:
            user = User(name="writer", role=UserRole.SECRETARIAT, password_hash="not a hash")
            session.add(user)
            session.flush()
            token = user_service.create_token(session, user=user, name="load", actor=SYSTEM)
            made = [
                stakeholder_service.create(
                    session,
                    data=StakeholderCreate(name=f"Contested {n}", kind="group", sector="media"),
                    actor=SYSTEM,
                )
                for n in range(RECORDS)
            ]
            session.flush()
            versions = {s.id: s.version for s in made}
    finally:
        engine.dispose()
    return token, list(versions), versions


def last_audit_id(url: str) -> int:
    engine = make_engine(url)
    try:
        with SessionFactory(engine).transaction(write=False) as session:
            return int(session.scalar(select(func.max(AuditEntry.id))) or 0)
    finally:
        engine.dispose()


def test_concurrent_patches_lose_no_update_and_conflict_cleanly(database: str) -> None:
    token, ids, first_versions = setup_records(database)
    last_before = last_audit_id(database)
    with serve(Path(database.removeprefix("sqlite:///"))) as base_url:
        context = multiprocessing.get_context("spawn")
        start_at = time.time() + 4  # after every process has started
        with context.Pool(WORKERS) as pool:
            results = pool.starmap(
                edit_worker,
                [(base_url, token, ids, worker, start_at) for worker in range(WORKERS)],
            )
    answers = [answer for result in results for answer in result]

    statuses = Counter(status for _, status, _, _ in answers)
    print(f"\n{len(answers)} PATCHes by {WORKERS} processes: {dict(statuses)}")
    bad = [answer for answer in answers if answer[1] not in (200, 409)]
    assert bad == [], "answers other than 200 or 409"
    assert not [a for a in answers if "locked" in a[3]]
    assert statuses[409] > 0, "no conflict happened: the workers did not overlap"

    engine = make_engine(database)
    try:
        with SessionFactory(engine).transaction(write=False) as session:
            for record_id in ids:
                made = [a[2] for a in answers if a[0] == record_id and a[1] == 200]
                stakeholder = session.get(Stakeholder, record_id)
                assert stakeholder is not None
                assert stakeholder.version == first_versions[record_id] + len(made)
                logged = session.scalars(
                    select(AuditEntry)
                    .where(
                        AuditEntry.record_type == "stakeholder",
                        AuditEntry.record_id == record_id,
                        AuditEntry.action == "update",
                        AuditEntry.id > last_before,
                    )
                    .order_by(AuditEntry.id)
                ).all()
                described = [entry.changes["description"][1] for entry in logged]
                assert Counter(described) == Counter(made), "audit log ≠ the edits answered 200"
                assert all(entry.actor == "writer" for entry in logged)
                # The record holds the last edit the log shows.
                assert stakeholder.description == described[-1]
    finally:
        engine.dispose()


def test_processes_writing_different_records_all_commit(database: str) -> None:
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 4
    count = 15
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(
            write_worker, [(database, worker, count, start_at) for worker in range(WORKERS)]
        )

    assert [len(made) for made in results] == [count] * WORKERS
    engine = make_engine(database)
    try:
        with SessionFactory(engine).transaction(write=False) as session:
            names = session.scalars(select(Stakeholder.name)).all()
            creates = session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.record_type == "stakeholder", AuditEntry.action == "create")
            )
    finally:
        engine.dispose()
    expected = {f"Direct {w}-{n}" for w in range(WORKERS) for n in range(count)}
    assert set(names) == expected
    assert creates == WORKERS * count
