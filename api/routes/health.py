"""Health checks: is the app up, and does its database answer.

Load balancers and monitors call them without signing in. They are also the bare
reference endpoints of the benchmark (``bench/scale_bench.py``): ``/health`` is the
cheapest JSON answer the app can give, ``/health/db`` adds the cheapest database read
(one row by primary key), so the cost of every other route reads as a ratio of these.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import column, select, table

from api.auth import Access
from api.deps import SessionDep
from governance import migrations

ACCESS = Access.PUBLIC

router = APIRouter(prefix="/health", tags=["health"])

#: Alembic's one-row table; ``version_num`` is its primary key.
_alembic_version = table("alembic_version", column("version_num"))


@cache
def _head() -> str | None:
    """The latest revision, read from the migration scripts once per process."""
    return migrations.head_revision()


class Health(BaseModel):
    status: str = Field(description='"ok" when the app answers', examples=["ok"])


class DatabaseHealth(Health):
    schema_revision: str | None = Field(
        description="The database's schema revision; null when it is not the latest",
        examples=["0003"],
    )


@router.get(
    "",
    response_model=Health,
    summary="Whether the app answers",
    description='Always `{"status": "ok"}`; touches no database. For liveness probes.',
    operation_id="get_health",
)
def health() -> Health:
    return Health(status="ok")


@router.get(
    "/db",
    response_model=DatabaseHealth,
    summary="Whether the database answers with the latest schema",
    description=(
        "Reads one row by primary key: the schema revision, looked up as the latest one "
        "the app knows. `status` is `ok` when the database is at that revision, "
        "`outdated` when it is not (run `collabgov db upgrade`). For readiness probes."
    ),
    operation_id="get_database_health",
)
def database_health(session: SessionDep) -> DatabaseHealth:
    head = _head()
    found = session.scalar(
        select(_alembic_version.c.version_num).where(_alembic_version.c.version_num == head)
    )
    return DatabaseHealth(status="ok" if found else "outdated", schema_revision=found)
