"""People who sign in: accounts, passwords and API tokens.

Neither passwords nor tokens are stored: a user keeps an Argon2id hash of the
password, a token only its SHA-256. The audit log never sees either hash (see
``audit.SECRET_FIELDS``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from governance import records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import utcnow
from governance.errors import Invalid, NotFound
from governance.users import passwords, signin
from governance.users.models import ApiToken, User, UserSession
from governance.vocab import UserRole

NAME_MAX_LENGTH = 100
TOKEN_NAME_MAX_LENGTH = 100
#: Random bytes in a new API token (``secrets.token_urlsafe`` gives 43 characters).
TOKEN_BYTES = 32
#: Longer presented tokens are refused without hashing them.
TOKEN_MAX_LENGTH = 200
#: A token's ``last_used_at`` is written at most this often.
TOKEN_TOUCH_INTERVAL = dt.timedelta(seconds=60)


def get(session: Session, user_id: int, *, include_deleted: bool = False) -> User:
    """The user with this id."""
    return records.get(session, User, user_id, include_deleted=include_deleted)


def get_by_name(session: Session, name: str) -> User | None:
    """The live user with exactly this name, if any."""
    return session.scalars(
        select(User).where(User.name == name.strip(), User.deleted_at.is_(None))
    ).one_or_none()


def create_user(
    session: Session, *, name: str, role: UserRole | str, password: str, actor: Actor
) -> User:
    """Create an account; the name must be free (ignoring case) and the password allowed."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        errors["name"] = f"must be 1 to {NAME_MAX_LENGTH} characters long"
    elif _name_taken(session, name):
        errors["name"] = f"a user named {name!r} already exists"
    try:
        role = UserRole(role)
    except ValueError:
        errors["role"] = f"must be one of {', '.join(member.value for member in UserRole)}"
    problem = passwords.password_problem(password)
    if problem is None and name and password.casefold() == name.casefold():
        problem = "must not be the user name"
    if problem is not None:
        errors["password"] = problem
    if errors:
        raise Invalid(errors)
    user = User(name=name, role=role, password_hash=passwords.hash_password(password))
    return records.add(session, user, actor=actor)


def authenticate(session: Session, *, name: str, password: str) -> User | None:
    """The active user with this name and password, or None.

    A hash made with weaker parameters than today's is replaced on a successful
    sign-in, when the password is at hand.
    """
    user = get_by_name(session, name)
    if user is None:
        # Spend the same time as a real check, so timing does not tell which names exist.
        passwords.verify_password(password, _unknown_user_hash())
        return None
    if not passwords.verify_password(password, user.password_hash):
        return None
    if not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        records.apply_changes(
            session,
            user,
            {"password_hash": passwords.hash_password(password)},
            version=user.version,
            actor=Actor(user.name, user.id),
            extra_changes={"password": ["(hidden)", "rehashed"]},
        )
    return user


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    actor: Actor,
    keep_session: int | None = None,
) -> User:
    """Change one's own password, proving the current one; other sessions end."""
    errors: dict[str, str] = {}
    if not passwords.verify_password(current, user.password_hash):
        errors["current_password"] = "is not your current password"  # noqa: S105 - a message
    problem = passwords.password_problem(new)
    if problem is None and new.casefold() == user.name.casefold():
        problem = "must not be the user name"
    if problem is None and new == current:
        problem = "must differ from the current password"
    if problem is not None:
        errors["new_password"] = problem
    if errors:
        raise Invalid(errors)
    return _set_password(session, user, new, actor=actor, keep_session=keep_session)


def set_password(session: Session, *, user: User, password: str, actor: Actor) -> User:
    """An admin sets someone's password (a reset); every session of theirs ends."""
    problem = passwords.password_problem(password)
    if problem is None and password.casefold() == user.name.casefold():
        problem = "must not be the user name"
    if problem is not None:
        raise Invalid.field("password", problem)
    return _set_password(session, user, password, actor=actor, keep_session=None)


def _set_password(
    session: Session, user: User, password: str, *, actor: Actor, keep_session: int | None
) -> User:
    records.apply_changes(
        session,
        user,
        {"password_hash": passwords.hash_password(password)},
        version=user.version,
        actor=actor,
        extra_changes={"password": ["(hidden)", "changed"]},
    )
    signin.end_user_sessions(session, user_id=user.id, keep=keep_session)
    return user


def update_user(
    session: Session,
    *,
    user: User,
    version: int,
    role: UserRole | str | None = None,
    active: bool | None = None,
    actor: Actor,
) -> User:
    """An admin changes a user's role or disables the account (ending its sessions).

    An admin cannot demote or disable themselves: a deployment must keep an admin who can
    undo mistakes.
    """
    changes: dict[str, object] = {}
    if role is not None:
        try:
            changes["role"] = UserRole(role)
        except ValueError:
            raise Invalid.field(
                "role", f"must be one of {', '.join(member.value for member in UserRole)}"
            ) from None
    if active is not None:
        changes["active"] = active
    if user.id == actor.user_id and (
        changes.get("active") is False or changes.get("role", UserRole.ADMIN) != UserRole.ADMIN
    ):
        field = "active" if changes.get("active") is False else "role"
        raise Invalid.field(field, "you cannot remove your own admin rights or account")
    records.apply_changes(session, user, changes, version=version, actor=actor)
    if changes.get("active") is False:
        signin.end_user_sessions(session, user_id=user.id)
    return user


def end_other_sessions(session: Session, *, user: User, keep: int | None, actor: Actor) -> int:
    """Sign a user out everywhere but in session ``keep``; how many sessions ended.

    Logged once (not per session), so the user's history shows who cut the others off.
    """
    ended = signin.end_user_sessions(session, user_id=user.id, keep=keep)
    if ended:
        audit.record(
            session,
            actor=actor,
            action="logout",
            record_type="user",
            record_id=user.id,
            changes={"sessions_ended": [None, ended]},
        )
    return ended


def last_sign_ins(session: Session) -> dict[int, dt.datetime]:
    """When each user last signed in (their newest session), by user id."""
    rows = session.execute(
        select(UserSession.user_id, func.max(UserSession.created_at)).group_by(UserSession.user_id)
    )
    return dict(rows.all())


def list_users(session: Session) -> list[User]:
    """Every user, deleted ones too, by name."""
    return list(session.scalars(select(User).order_by(func.lower(User.name))))


def any_user(session: Session) -> bool:
    """Whether at least one account exists."""
    return session.scalar(select(User.id).limit(1)) is not None


def create_token(session: Session, *, user: User, name: str, actor: Actor) -> str:
    """Issue a new API token for ``user``; the token is returned once and never stored."""
    if user.is_deleted or not user.active:
        raise Invalid.field("user", f"user {user.name} is deleted or inactive")
    name = name.strip()
    if not 1 <= len(name) <= TOKEN_NAME_MAX_LENGTH:
        raise Invalid.field("name", f"must be 1 to {TOKEN_NAME_MAX_LENGTH} characters long")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_digest(token))
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        record_type="api_token",
        record_id=row.id,
        changes={"user_id": [None, user.id], "name": [None, name]},
    )
    return token


@dataclass(frozen=True)
class TokenUse:
    """A live token and its user."""

    token_id: int
    user: User
    #: The token's last use was long enough ago that the new one should be written.
    stale: bool


#: A live token by its hash, with its active user. Built once: it runs on every API
#: request, and building the statement afresh took longer than running it.
_LIVE_TOKEN = (
    select(ApiToken.id, ApiToken.last_used_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active.is_(True),
        User.deleted_at.is_(None),
    )
)


def find_token(session: Session, token: str) -> TokenUse | None:
    """The live token presented and its active user, or None; reads only."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
        return None
    found = session.execute(_LIVE_TOKEN, {"token_hash": token_digest(token)}).one_or_none()
    if found is None:
        return None
    token_id, last_used_at, user = found
    stale = last_used_at is None or utcnow() - last_used_at >= TOKEN_TOUCH_INTERVAL
    return TokenUse(token_id, user, stale)


#: The token whose last use is not noted or noted long enough ago (built once).
_TOUCH_DUE = and_(
    ApiToken.id == bindparam("token_id"),
    or_(
        ApiToken.last_used_at.is_(None),
        ApiToken.last_used_at <= bindparam("used_before", type_=ApiToken.last_used_at.type),
    ),
)
_TOUCH_TOKEN = (
    update(ApiToken)
    .where(_TOUCH_DUE)
    .values(last_used_at=bindparam("now", type_=ApiToken.last_used_at.type))
    .execution_options(synchronize_session=False)
)
#: PostgreSQL: the same, skipping the row while another transaction writes it.
_TOUCH_TOKEN_UNLESS_LOCKED = (
    update(ApiToken)
    .where(ApiToken.id.in_(select(ApiToken.id).where(_TOUCH_DUE).with_for_update(skip_locked=True)))
    .values(last_used_at=bindparam("now", type_=ApiToken.last_used_at.type))
    .execution_options(synchronize_session=False)
)


def touch_token(session: Session, token_id: int) -> None:
    """Note that a token was used now, unless that was noted less than
    :data:`TOKEN_TOUCH_INTERVAL` ago. Bookkeeping, not an edit: no audit entry.

    Requests with one token come many at once, and each finds it stale once the
    interval has passed: the first writes, the others find it written and change
    nothing. On PostgreSQL they do not wait for the first's row lock either (``FOR
    UPDATE SKIP LOCKED``): the time the first notes is as good as theirs.
    """
    now = utcnow()
    postgresql = session.get_bind().dialect.name == "postgresql"
    session.execute(
        _TOUCH_TOKEN_UNLESS_LOCKED if postgresql else _TOUCH_TOKEN,
        {"token_id": token_id, "used_before": now - TOKEN_TOUCH_INTERVAL, "now": now},
    )


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None; notes when the token was used."""
    use = find_token(session, token)
    if use is None:
        return None
    touch_token(session, use.token_id)
    session.expire_all()
    return use.user


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    """A user's tokens, revoked ones included, oldest first."""
    statement = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(statement))


def revoke_token(
    session: Session, *, token_id: int, actor: Actor, owner_id: int | None = None
) -> ApiToken:
    """Stop a token from working; revoking it again changes nothing.

    With ``owner_id``, only that user's token can be revoked (another's is not found).
    """
    row = session.get(ApiToken, token_id)
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise NotFound("api_token", token_id)
    if row.revoked_at is not None:
        return row
    row.revoked_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="revoke",
        record_type="api_token",
        record_id=row.id,
        changes={"revoked_at": [None, audit.to_json(row.revoked_at)]},
    )
    return row


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _name_taken(session: Session, name: str) -> bool:
    # Deleted users keep their name: the column is unique, and a look-alike could be mistaken.
    statement = select(User.id).where(func.lower(User.name) == name.lower()).limit(1)
    return session.scalar(statement) is not None


@functools.cache
def _unknown_user_hash() -> str:
    return passwords.hash_password(secrets.token_urlsafe(16))
