"""Test databases built by the real migrations; one rolled-back transaction per test.

Every test that uses ``session`` or ``client`` runs on SQLite and, when PostgreSQL is
available, a second time on PostgreSQL: set ``COLLABGOV_TEST_POSTGRES_URL`` (for
example ``postgresql+psycopg://postgres@127.0.0.1/postgres``), or leave it unset and a
server answering on the local socket is used. A set URL that does not answer fails
the run instead of silently skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api import auth
from api.app import create_app
from governance import migrations
from governance.config import Settings
from governance.db import make_engine
from governance.users import signin
from governance.users.models import User, UserSession
from governance.vocab import UserRole

POSTGRES_ENV = "COLLABGOV_TEST_POSTGRES_URL"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"


def postgres_admin_url() -> str | None:
    """The PostgreSQL server to test against, or None when there is none."""
    configured = os.environ.get(POSTGRES_ENV)
    if configured:
        return configured
    if not Path("/var/run/postgresql").exists():
        return None
    probe = create_engine(LOCAL_POSTGRES)
    try:
        with probe.connect():
            return LOCAL_POSTGRES
    except OperationalError:
        return None
    finally:
        probe.dispose()


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_admin_url() else [])


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh database of one backend, migrated to head by Alembic."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        migrations.upgrade(engine)
        yield engine
        engine.dispose()
        return
    with postgres_database() as url:
        engine = make_engine(url)
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


class postgres_database:  # noqa: N801 - used as a context manager, reads like a function
    """Create a throw-away PostgreSQL database and drop it afterwards."""

    def __init__(self) -> None:
        admin_url = postgres_admin_url()
        assert admin_url, f"PostgreSQL is not available; set {POSTGRES_ENV}"
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.name = f"collabgov_test_{uuid.uuid4().hex[:12]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _joined_session(connection: Connection) -> Session:
    # The session's commit() releases a savepoint; the test's transaction stays open.
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    session = _joined_session(connection)
    yield session
    session.close()


class TestSessions:
    """Stands in for :class:`governance.db.SessionFactory`: sessions join the current test's
    transaction, so whatever a request writes is rolled back with the test."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def reader(self) -> Session:
        assert self.connection is not None, "no test transaction is open"
        return _joined_session(self.connection)

    def writer(self, *, lock_from: Callable[[], bool] | None = None) -> Session:
        return self.reader()


@pytest.fixture(scope="session")
def shared_app(engine: Engine) -> tuple[FastAPI, TestSessions]:
    """One app per backend: building the routes takes longer than most tests."""
    sessions = TestSessions(engine)
    settings = Settings(environment="test", secret_key="x" * 40)
    return create_app(settings, sessions=sessions), sessions  # type: ignore[arg-type]


@pytest.fixture
def app(shared_app: tuple[FastAPI, TestSessions], connection: Connection) -> Iterator[FastAPI]:
    app, sessions = shared_app
    sessions.connection = connection
    yield app
    sessions.connection = None


#: A cheap Argon2 hash of TEST_PASSWORD, for test users (the real cost is for real users).
TEST_PASSWORD = "correct horse battery staple"
_CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(TEST_PASSWORD)


class SignedInClient(TestClient):
    """A test client with the user it is signed in as."""

    user: User


def make_user(session: Session, role: UserRole | str) -> User:
    """A user of ``role`` whose password is TEST_PASSWORD (hashed cheaply), not audited."""
    role = UserRole(role)
    user = User(name=f"{role.value}-{uuid.uuid4().hex[:8]}", role=role, password_hash=_CHEAP_HASH)
    session.add(user)
    session.flush()
    return user


def sign_in(client: TestClient, connection: Connection, role: UserRole | str) -> User:
    """Make a user of ``role`` and sign ``client`` in as them: a session cookie and the
    session's CSRF token on every request (so form posts need no hidden field)."""
    with _joined_session(connection) as session:
        user = make_user(session, role)
        key = f"test-{uuid.uuid4().hex}"
        session.add(UserSession(key_hash=signin.key_digest(key), user_id=user.id))
        session.commit()
    app: FastAPI = client.app  # type: ignore[assignment]
    client.cookies.set(auth.SESSION_COOKIE, key)
    client.headers[auth.CSRF_HEADER] = auth.session_csrf_token(app.state.settings, key)
    return user


@pytest.fixture
def anonymous_client(app: FastAPI) -> Iterator[TestClient]:
    """A visitor who has not signed in."""
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client


@pytest.fixture
def client(app: FastAPI, connection: Connection) -> Iterator[SignedInClient]:
    """A client signed in as an admin, who may do everything; ``client.user`` is the admin."""
    with SignedInClient(app, raise_server_exceptions=True) as client:
        client.user = sign_in(client, connection, UserRole.ADMIN)
        yield client


@pytest.fixture
def client_as(app: FastAPI, connection: Connection) -> Iterator[Callable[[str], SignedInClient]]:
    """``client_as("researcher")``: a new client signed in with that role."""
    opened: list[TestClient] = []

    def make(role: str) -> SignedInClient:
        client = SignedInClient(app, raise_server_exceptions=True)
        client.__enter__()
        opened.append(client)
        client.user = sign_in(client, connection, role)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def backend(engine: Engine) -> str:
    return engine.dialect.name
