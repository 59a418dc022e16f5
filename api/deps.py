"""Dependencies shared by the routes: the request's session and who is acting.

Both run in the event loop, not in the thread pool: a sync dependency costs a trip to
a worker thread and back (with a generator, two), and under writes from many clients
each trip waits its turn for the event loop and the GIL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.db import SessionFactory

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; a request that writes holds SQLite's write lock from its
    route's first statement (who is asking is known by then) until the route commits.

    The route commits; anything it leaves uncommitted is rolled back here. Making a
    session opens nothing (it connects at its first statement), so it is made here in
    the event loop; so is its end when it holds no connection (a route that committed
    and answered without reading again), which is then only bookkeeping. Ending a
    transaction talks to the database, so that goes to a worker thread, shielded from
    cancellation: a connection must never keep SQLite's write gate.
    """
    factory: SessionFactory = request.app.state.sessions
    if request.method in _READ_METHODS:
        session = factory.reader()
    else:
        session = factory.writer(lock_from=lambda: hasattr(request.state, "principal"))
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                # Its own limiter, as FastAPI's own teardown: an end must not wait for
                # a worker thread while the requests holding them wait for connections.
                await anyio.to_thread.run_sync(
                    close_session, session, limiter=anyio.CapacityLimiter(1)
                )
        else:
            close_session(session)


def close_session(session: Session) -> None:
    """Roll back what the route left uncommitted and give the connection back."""
    session.rollback()
    session.close()


async def get_actor(request: Request) -> Actor:
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
