"""Databases of their own for the backup tests, and one filled with every kind of row.

Backups copy committed data, so most of these tests cannot use the rolled-back
``session`` of tests/conftest.py; they make throw-away databases instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance import migrations, records
from governance.audit.service import Actor
from governance.backup.dump import dump_database
from governance.db import SessionFactory, make_engine
from governance.demo.loader import load_demo
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import Contact, StakeholderCreate
from governance.users import service as user_service
from governance.users import signin
from governance.vocab import Sector, StakeholderKind, UserRole
from tests.conftest import postgres_database

ACTOR = Actor("backup-test")
#: Names and texts beyond ASCII, so the round trip must keep every character.
UNICODE_NAME = "Serikat Perjuangan Rakyat Indonesia — “SPRI” ✊🏽 Ñoño 日本語"
PASSWORD = "correct horse battery staple 42"


@contextmanager
def new_database(backend: str, folder: Path, *, migrated: bool = True) -> Iterator[Engine]:
    """A throw-away database of ``backend``, migrated to head unless told otherwise."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.sqlite3'}")
        if migrated:
            migrations.upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with postgres_database() as url:
        engine = make_engine(url)
        if migrated:
            migrations.upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def fill(session: Session) -> None:
    """The demo case plus a row in every other table: users, tokens, sign-ins, failures,
    unicode text, NULLs and soft-deleted records."""
    load_demo(session, actor=ACTOR)
    admin = user_service.create_user(
        session, name="Ani Ñ. Admin", role=UserRole.ADMIN, password=PASSWORD, actor=ACTOR
    )
    viewer = user_service.create_user(
        session, name="viewer-✓", role=UserRole.VIEWER, password=PASSWORD, actor=ACTOR
    )
    user_service.create_token(session, user=admin, name="laptop", actor=ACTOR)
    user_service.create_token(session, user=viewer, name="old token", actor=ACTOR)
    revoked = user_service.list_tokens(session, user=viewer)[0]
    user_service.revoke_token(session, token_id=revoked.id, actor=ACTOR)
    signin.start_session(session, user=admin, address="203.0.113.7", user_agent="Firefox — テスト")
    signin.record_failure(
        session,
        name="ghost",
        address="198.51.100.1",
        throttle=signin.Throttle(per_name=5, per_address=20, window=dt.timedelta(minutes=15)),
        reason="unknown user",
    )
    stakeholder = stakeholder_service.create(
        session,
        data=StakeholderCreate(
            name=UNICODE_NAME,
            aliases=["SPRI", "Ñ-alias", "组织"],
            kind=StakeholderKind.ORGANISATION,
            sector=Sector.CIVIL_SOCIETY,
            description="Line one\nline two — with “quotes” and emoji 🎉",
            contact=Contact(email="spri@example.org", phone="+62 21 555 0101"),
        ),
        actor=ACTOR,
    )
    records.soft_delete(session, stakeholder, actor=ACTOR)
    session.flush()


def fill_committed(engine: Engine) -> None:
    with SessionFactory(engine).transaction() as session:
        fill(session)


def dump_of(engine: Engine) -> dict[str, Any]:
    """The database's dump without its time, to compare two databases."""
    with SessionFactory(engine).transaction(write=False) as session:
        return without_time(dump_database(session))


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    header = {key: value for key, value in document["header"].items() if key != "dumped_at"}
    return document | {"header": header}
