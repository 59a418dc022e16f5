"""Signing in: server-side sessions and the throttle on password guessing.

A session is a random key in the browser's cookie; the database keeps only its SHA-256,
so a leaked table lets no one in. Every request looks the session up, which is why
signing out, disabling the account or changing the password ends it at once. A session
unused for longer than the idle timeout is over.

Failed sign-ins are counted per name and per client address over a sliding window; past
either limit, sign-in is refused for the rest of the window, even with the right password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import utcnow
from governance.users.models import LoginFailure, User, UserSession

#: Random bytes in a session key (``secrets.token_urlsafe`` gives 43 characters).
KEY_BYTES = 32
KEY_MAX_LENGTH = 100
#: ``last_seen_at`` is written at most this often, so reading pages does not write each time.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
ADDRESS_MAX_LENGTH = 64
USER_AGENT_MAX_LENGTH = 200


def key_digest(key: str) -> str:
    """What is stored of a session key."""
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, *, user: User, address: str, user_agent: str) -> str:
    """Open a session for ``user`` and log the sign-in; returns the key for the cookie."""
    key = secrets.token_urlsafe(KEY_BYTES)
    row = UserSession(
        key_hash=key_digest(key),
        user_id=user.id,
        address=address[:ADDRESS_MAX_LENGTH],
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=Actor(user.name, user.id),
        action="login",
        record_type="user",
        record_id=user.id,
        changes={"address": [None, row.address], "session": [None, row.id]},
    )
    return key


@dataclass(frozen=True)
class SignedIn:
    """A live session and its user."""

    session_id: int
    user: User
    #: The session was last seen long enough ago that its time should be written.
    stale: bool


def find_session(
    session: Session, key: str, *, idle: dt.timedelta, now: dt.datetime | None = None
) -> SignedIn | None:
    """The live session with this key, if it is not over and its user may still sign in."""
    if not key or len(key) > KEY_MAX_LENGTH or not key.isascii():
        return None
    now = now or utcnow()
    found = session.execute(
        select(UserSession.id, UserSession.last_seen_at, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.key_hash == key_digest(key),
            UserSession.ended_at.is_(None),
            User.active.is_(True),
            User.deleted_at.is_(None),
        )
    ).one_or_none()
    if found is None:
        return None
    session_id, last_seen_at, user = found
    if now - last_seen_at > idle:
        return None
    return SignedIn(session_id, user, stale=now - last_seen_at >= TOUCH_INTERVAL)


def touch_session(session: Session, session_id: int, *, now: dt.datetime | None = None) -> None:
    """Note that the session was used now (restarting its idle time)."""
    session.execute(
        update(UserSession)
        .where(UserSession.id == session_id)
        .values(last_seen_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def end_session(session: Session, *, key: str, actor: Actor) -> bool:
    """Sign out: the session ends now. False when there was no live session with this key."""
    row = session.scalars(
        select(UserSession).where(
            UserSession.key_hash == key_digest(key), UserSession.ended_at.is_(None)
        )
    ).one_or_none()
    if row is None:
        return False
    row.ended_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="logout",
        record_type="user",
        record_id=row.user_id,
        changes={"session": [row.id, None]},
    )
    return True


def end_user_sessions(session: Session, *, user_id: int, keep: int | None = None) -> int:
    """End every live session of a user (but ``keep``); how many ended."""
    statement = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    result = session.execute(
        statement.values(ended_at=utcnow()).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def live_sessions(session: Session, *, user_id: int, idle: dt.timedelta) -> list[UserSession]:
    """A user's sessions that are still usable, newest first."""
    since = utcnow() - idle
    statement = (
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at >= since,
        )
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(session.scalars(statement))


# -- the throttle ------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    """How many failures each of a name and an address may have within ``window``."""

    per_name: int
    per_address: int
    window: dt.timedelta


def refused_for(
    session: Session, *, name: str, address: str, throttle: Throttle, now: dt.datetime | None = None
) -> dt.timedelta | None:
    """How long sign-in stays refused for this name or address, or None when it is allowed."""
    now = now or utcnow()
    since = now - throttle.window
    waits = []
    for column, value, limit in (
        (LoginFailure.name, _name_key(name), throttle.per_name),
        (LoginFailure.address, address[:ADDRESS_MAX_LENGTH], throttle.per_address),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                column == value, LoginFailure.at > since
            )
        ).one()
        if count >= limit and oldest is not None:
            waits.append(oldest + throttle.window - now)
    if not waits:
        return None
    return max(max(waits), dt.timedelta(seconds=1))


def record_failure(
    session: Session, *, name: str, address: str, throttle: Throttle, reason: str
) -> None:
    """Count a failed sign-in and log it; forget failures older than the window."""
    now = utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - throttle.window))
    session.add(LoginFailure(at=now, name=_name_key(name), address=address[:ADDRESS_MAX_LENGTH]))
    user_id = session.scalar(
        select(User.id).where(func.lower(User.name) == name.strip().lower()).limit(1)
    )
    audit.record(
        session,
        actor=Actor("anonymous"),
        action="login_failed",
        record_type="user",
        record_id=user_id,
        changes={
            "name": [None, name.strip()[:100]],
            "address": [None, address[:ADDRESS_MAX_LENGTH]],
            "reason": [None, reason],
        },
    )
    session.flush()


def _name_key(name: str) -> str:
    return name.strip().casefold()[:100]
