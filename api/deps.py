"""Dependencies shared by the routes: the request's session and who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.db import SessionFactory

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; a request that writes holds SQLite's write lock from its
    route's first statement (who is asking is known by then) until the route commits.

    The route commits; anything it leaves uncommitted is rolled back here.
    """
    factory: SessionFactory = request.app.state.sessions
    if request.method in _READ_METHODS:
        session = factory.reader()
    else:
        session = factory.writer(lock_from=lambda: hasattr(request.state, "principal"))
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_actor(request: Request) -> Actor:
    """Who is writing: the principal that ``api.auth``'s guard found for this request."""
    principal = getattr(request.state, "principal", None)
    if principal is None:  # only reachable by a route mounted without the guard
        return Actor(name="api")
    actor: Actor = principal.actor
    return actor


SessionDep = Annotated[Session, Depends(get_session)]
#: A record id in a URL; ids beyond the database's integer range are refused (422), not 500.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The record's id")]
ActorDep = Annotated[Actor, Depends(get_actor)]
