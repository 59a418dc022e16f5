"""People who sign in: accounts, passwords and API tokens.

Neither passwords nor tokens are stored: a user keeps an Argon2id hash of the
password, a token only its SHA-256. The audit log never sees either hash (see
``audit.SECRET_FIELDS``).
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.base import utcnow
from governance.errors import Invalid, NotFound
from governance.users import passwords
from governance.users.models import ApiToken, User
from governance.vocab import UserRole

NAME_MAX_LENGTH = 100
TOKEN_NAME_MAX_LENGTH = 100
#: Random bytes in a new API token (``secrets.token_urlsafe`` gives 43 characters).
TOKEN_BYTES = 32
#: Longer presented tokens are refused without hashing them.
TOKEN_MAX_LENGTH = 200


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


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None; notes when the token was used."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
        return None
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
            User.deleted_at.is_(None),
        )
    ).one_or_none()
    if found is None:
        return None
    row, user = found
    # Bookkeeping, not an edit anyone made: not worth an audit entry per request.
    row.last_used_at = utcnow()
    session.flush()
    return user


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    """A user's tokens, revoked ones included, oldest first."""
    statement = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(statement))


def revoke_token(session: Session, *, token_id: int, actor: Actor) -> ApiToken:
    """Stop a token from working; revoking it again changes nothing."""
    row = session.get(ApiToken, token_id)
    if row is None:
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
