"""A process that keeps writing through the services, as a running app would.

Each transaction registers a stakeholder and bumps the "Counter" stakeholder's version,
so any consistent state of the database satisfies :func:`consistent_state`: the counter's
version is one more than the number of writer stakeholders, and each of them has exactly
one audit entry. A copy torn between two transactions breaks one of these equalities.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from governance.audit.service import Actor
from governance.db import SessionFactory, make_engine
from governance.models import AuditEntry, Stakeholder
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderCreate, StakeholderPatch
from governance.vocab import Sector, StakeholderKind

WRITER = Actor("writer")
COUNTER_NAME = "Counter"
WRITTEN_PREFIX = "Written by the writer #"


def write_continuously(url: str, started: Any, stop: Any, writes: Any) -> None:
    """Write until ``stop`` is set; ``started`` is set after the first ten transactions."""
    engine = make_engine(url)
    factory = SessionFactory(engine)
    with factory.transaction() as session:
        counter_id = stakeholder_service.create(
            session,
            data=StakeholderCreate(
                name=COUNTER_NAME, kind=StakeholderKind.GROUP, sector=Sector.OTHER
            ),
            actor=WRITER,
        ).id
    done = 0
    while not stop.is_set():
        with factory.transaction() as session:
            stakeholder_service.create(
                session,
                data=StakeholderCreate(
                    name=f"{WRITTEN_PREFIX}{done} — ü",
                    kind=StakeholderKind.PERSON,
                    sector=Sector.COMMUNITY,
                ),
                actor=WRITER,
            )
            counter = stakeholder_service.get(session, counter_id)
            stakeholder_service.update(
                session,
                record=counter,
                data=StakeholderPatch(version=counter.version, description=f"write {done}"),
                actor=WRITER,
            )
        done += 1
        writes.value = done
        if done == 10:
            started.set()
    engine.dispose()


def consistent_state(connection: Connection) -> int:
    """How many writes the database holds, after asserting that they are all complete."""
    written = connection.scalar(
        select(func.count()).where(Stakeholder.name.startswith(WRITTEN_PREFIX))
    )
    counter_version = connection.scalar(
        select(Stakeholder.version).where(Stakeholder.name == COUNTER_NAME)
    )
    creates = connection.scalar(
        select(func.count()).where(
            AuditEntry.actor == WRITER.name,
            AuditEntry.action == "create",
            AuditEntry.record_type == "stakeholder",
        )
    )
    updates = connection.scalar(
        select(func.count()).where(AuditEntry.actor == WRITER.name, AuditEntry.action == "update")
    )
    assert written is not None
    assert counter_version == written + 1
    assert creates == written + 1  # the counter's own creation too
    assert updates == written
    return written
