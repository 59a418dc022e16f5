"""Bounded queries: no page or API read runs more SQL statements when the data grows.

Every GET route of the app — each page and each JSON route, found by walking
``app.routes`` so a new route is covered the day it is added — is requested twice:
on a small synthetic case, then on a case with three times the records per parent
(meetings per forum, attendees per meeting, commitments, trust events, outcomes),
added beside the first so that global lists grow too. Path parameters are filled with
the busiest record of the right type in the case at hand (the meeting with most
attendees, the stakeholder at most meetings...), where an N+1 query would show most.

A route fails when the larger case costs more than :data:`TOLERANCE` statements more
than the smaller one: a query per row would add dozens. The Jakarta demo case is
loaded first, so the records the generator does not make (evidence, assessments) have
ids too. Derived-view caches are cleared before every counted request: a cached answer
would hide the cost of computing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Connection, desc, event, func, select, update
from sqlalchemy.orm import Session

from governance import revision
from governance.base import Record
from governance.demo.generate import Sizes, generate
from governance.demo.loader import load_demo
from governance.models import (
    Assessment,
    Attendance,
    AuditEntry,
    Collaboration,
    Commitment,
    CommitmentStatusChange,
    Evidence,
    Forum,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
    User,
)
from governance.network import service as network_service
from governance.vocab import MeetingStatus

#: Statements a larger case may add before a route counts as unbounded.
TOLERANCE = 3

SMALL = Sizes(
    stakeholders=60,
    forums=3,
    meetings=30,
    attendance=300,
    commitments=30,
    trust_events=30,
    outcomes=10,
    relationships=60,
)
#: Three times the records per parent: forums stay 3, everything under them triples.
LARGE = Sizes(
    stakeholders=180,
    forums=3,
    meetings=90,
    attendance=2_700,
    commitments=180,
    trust_events=180,
    outcomes=30,
    relationships=180,
)

#: Routes that answer something other than a page or JSON read and are left out, with why.
SKIPPED: dict[str, str] = {
    "/docs": "Swagger UI shell, static HTML",
    "/docs/oauth2-redirect": "Swagger UI helper, static HTML",
    "/redoc": "ReDoc shell, static HTML",
    "/openapi.json": "the schema, built from the routes, not the data",
}


def clear_caches() -> None:
    """Forget cached derived views, so every counted request computes its answer."""
    network_service.clear_cache()
    revision.clear_caches()


# --- Which record a path parameter names ----------------------------------------------------

MODELS: dict[str, type[Record]] = {
    model.record_type: model
    for model in (
        Assessment,
        Collaboration,
        Commitment,
        Evidence,
        Forum,
        Measurement,
        Meeting,
        Outcome,
        Participation,
        Relationship,
        Stakeholder,
        TrustEvent,
        User,
    )
}


@dataclass
class Case:
    """The records of one generated collaboration that path parameters point to."""

    session: Session
    collaboration_id: int
    chosen: dict[str, int] = field(default_factory=dict)

    def pick(self, record_type: str) -> int:
        if record_type not in self.chosen:
            self.chosen[record_type] = self._busiest(record_type)
        return self.chosen[record_type]

    def _busiest(self, record_type: str) -> int:
        """The record of this type with the most rows under it, in this case if it has one."""
        s, case = self.session, self.collaboration_id
        busiest: dict[str, Callable[[], int | None]] = {
            "collaboration": lambda: case,
            "meeting": lambda: s.scalar(
                select(Attendance.meeting_id)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Meeting.collaboration_id == case)
                .group_by(Attendance.meeting_id)
                .order_by(desc(func.count()), Attendance.meeting_id)
                .limit(1)
            ),
            "stakeholder": lambda: s.scalar(
                select(Participation.stakeholder_id)
                .join(Attendance, Attendance.stakeholder_id == Participation.stakeholder_id)
                .where(Participation.collaboration_id == case)
                .group_by(Participation.stakeholder_id)
                .order_by(desc(func.count()), Participation.stakeholder_id)
                .limit(1)
            ),
            "forum": lambda: s.scalar(
                select(Meeting.forum_id)
                .where(Meeting.collaboration_id == case)
                .group_by(Meeting.forum_id)
                .order_by(desc(func.count()), Meeting.forum_id)
                .limit(1)
            ),
            "commitment": lambda: s.scalar(
                select(CommitmentStatusChange.commitment_id)
                .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
                .where(Commitment.collaboration_id == case)
                .group_by(CommitmentStatusChange.commitment_id)
                .order_by(desc(func.count()), CommitmentStatusChange.commitment_id)
                .limit(1)
            ),
            "outcome": lambda: s.scalar(
                select(Outcome.parent_id)
                .where(Outcome.collaboration_id == case, Outcome.parent_id.is_not(None))
                .group_by(Outcome.parent_id)
                .order_by(desc(func.count()), Outcome.parent_id)
                .limit(1)
            ),
            "measurement": lambda: s.scalar(
                select(Measurement.id)
                .where(Measurement.outcome_id == self.pick("outcome"))
                .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
                .limit(1)
            ),
            "relationship": lambda: s.scalar(
                select(Relationship.id)
                .where(Relationship.source_id == self.pick("stakeholder"))
                .order_by(Relationship.id)
                .limit(1)
            ),
        }
        busiest["audit_entry"] = lambda: s.scalar(select(func.max(AuditEntry.id)))
        # The public pages: the case's busiest forum, published by add_case.
        busiest["public_forum"] = lambda: self.pick("forum")
        busiest["public_meeting"] = lambda: s.scalar(
            select(Attendance.meeting_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.forum_id == self.pick("forum"), Meeting.status == MeetingStatus.HELD)
            .group_by(Attendance.meeting_id)
            .order_by(desc(func.count()), Attendance.meeting_id)
            .limit(1)
        )
        found = busiest[record_type]() if record_type in busiest else None
        if found is None:
            model = MODELS[record_type]
            column = getattr(model, "collaboration_id", None)
            statement = select(model.id).where(model.deleted_at.is_(None)).order_by(model.id)
            in_case = statement.where(column == case) if column is not None else statement
            found = s.scalar(in_case.limit(1)) or s.scalar(statement.limit(1))
        assert found is not None, f"no {record_type} to fill a path with"
        return found


_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


#: Path parameters that are not record ids, and the value each is requested with.
FIXED: dict[str, str] = {
    "record_type": "meeting",  # /audit/{record_type}/{record_id}: a meeting's history
    "export_format": "json",
    "kind": "stakeholders",
    "suffix": "csv",
}


#: Required query parameters that are not record ids, and their value.
FIXED_QUERY: dict[str, str] = {"format": "json"}


def record_type_of(path: str, name: str) -> str:
    """``meeting_id`` → meeting; ``record_id`` → the resource before it (``/trust-events/``)."""
    if name == "entry_id":
        return "audit_entry"
    if "/public/" in path and name in {"forum_id", "meeting_id"}:
        return f"public_{name.removesuffix('_id')}"
    if name != "record_id":
        record_type = name.removesuffix("_id")
    else:
        before = path[: path.index("{" + name)].rstrip("/").rsplit("/", 1)[-1]
        if before.startswith("{record_type"):
            return FIXED["record_type"]
        record_type = before.replace("-", "_")
        record_type = record_type if record_type == "evidence" else record_type.removesuffix("s")
    assert record_type in MODELS, f"{path}: no record type known for {{{name}}}; add it to MODELS"
    return record_type


def value_of(path: str, name: str, case: Case) -> str:
    """What to put in the path for parameter ``name``."""
    if name in FIXED:
        return FIXED[name]
    return str(case.pick(record_type_of(path, name)))


@dataclass(frozen=True)
class Route:
    path: str
    #: Required query parameters: those that name a record (``?collaboration_id=``) and
    #: those in FIXED_QUERY.
    required: tuple[str, ...] = ()

    def url(self, case: Case) -> str:
        path = _PARAM.sub(lambda m: value_of(self.path, m.group(1), case), self.path)
        query = "&".join(
            f"{name}={FIXED_QUERY.get(name) or case.pick(name.removesuffix('_id'))}"
            for name in self.required
        )
        return f"{path}?{query}" if query else path


def get_routes(app: FastAPI) -> list[Route]:
    """Every GET route, pages and API alike, except the static ones in SKIPPED."""
    routes: dict[str, Route] = {}
    for context in iter_route_contexts(app.routes):
        path = context.path or ""
        if "GET" not in (getattr(context, "methods", None) or set()) or path in SKIPPED:
            continue
        dependant = getattr(context.original_route, "dependant", None)
        required = tuple(
            param.alias
            for param in _query_params(dependant)
            if param.field_info.is_required()
            and (param.alias.endswith("_id") or param.alias in FIXED_QUERY)
        )
        routes[path] = Route(path, required)
    return sorted(routes.values(), key=lambda route: route.path)


def _query_params(dependant: Any) -> Iterator[Any]:
    if dependant is None:
        return
    yield from dependant.query_params
    for sub in dependant.dependencies:
        yield from _query_params(sub)


# --- Counting ---------------------------------------------------------------------------------


@contextmanager
def counting(connection: Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statement = str(args[2]).lstrip()
        if not statement.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


@dataclass
class Measured:
    url: str
    status: int
    statements: list[str]


def measure(
    client: TestClient, connection: Connection, routes: list[Route], case: Case
) -> dict[str, Measured]:
    results: dict[str, Measured] = {}
    for route in routes:
        url = route.url(case)
        clear_caches()
        with counting(connection) as statements:
            response = client.get(url, follow_redirects=False)
        results[route.path] = Measured(url, response.status_code, statements)
    return results


def add_case(session: Session, sizes: Sizes, seed: int) -> Case:
    result = generate(session, sizes=sizes, seed=seed)
    case = Case(session, result.collaboration_ids[0])
    session.execute(update(Forum).where(Forum.id == case.pick("forum")).values(public=True))
    session.commit()
    return case


# --- The test ---------------------------------------------------------------------------------


def test_no_get_route_runs_more_queries_on_a_larger_case(
    app: FastAPI, client: TestClient, connection: Connection, session: Session
) -> None:
    load_demo(session)
    session.commit()
    routes = get_routes(app)
    assert len(routes) > 60, "the route walk found too few routes"
    paths = [route.path for route in routes]

    small = add_case(session, SMALL, seed=11)
    measure(client, connection, routes, small)  # warm-up: one-time work per process
    before = measure(client, connection, routes, small)
    large = add_case(session, LARGE, seed=12)
    after = measure(client, connection, routes, large)

    # A redirect is an answer too (the sign-in page sends a signed-in user home).
    failed = {m.url: m for m in [*before.values(), *after.values()] if m.status >= 400}
    assert not failed, "routes that did not answer:\n" + "\n".join(
        f"  {m.status} {m.url}" for m in failed.values()
    )
    grown = {
        path: (len(before[path].statements), len(after[path].statements))
        for path in paths
        if len(after[path].statements) > len(before[path].statements) + TOLERANCE
    }
    assert not grown, "routes whose statement count grows with the data:\n" + "\n".join(
        f"  {path}: {small_count} → {large_count}\n    "
        + "\n    ".join(_shorten(s) for s in _new_statements(before[path], after[path]))
        for path, (small_count, large_count) in grown.items()
    )


def _new_statements(before: Measured, after: Measured) -> list[str]:
    """The statements the larger case repeats more often, once each: the likely N+1."""
    counts: dict[str, int] = {}
    for statement in after.statements:
        counts[statement] = counts.get(statement, 0) + 1
    for statement in before.statements:
        counts[statement] = counts.get(statement, 0) - 1
    return [statement for statement, extra in counts.items() if extra > 0][:5]


def _shorten(statement: str) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) < 160 else flat[:157] + "..."


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        ("/meetings/{meeting_id:int}", "meeting_id", "meeting"),
        ("/api/v1/trust-events/{record_id}", "record_id", "trust_event"),
        ("/api/v1/evidence/{record_id}", "record_id", "evidence"),
        ("/api/v1/collaborations/{record_id}/network", "record_id", "collaboration"),
    ],
)
def test_path_parameters_name_their_record_type(path: str, name: str, expected: str) -> None:
    assert record_type_of(path, name) == expected
