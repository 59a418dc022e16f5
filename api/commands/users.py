"""``collabgov users`` and ``collabgov tokens`` beyond creating them: list, disable, enable,
set a password, list and revoke tokens — and the demo admin of a brand-new database.

The groups themselves are made in :mod:`api.cli` (with ``users create`` and ``tokens
create``); :func:`add_user_commands` and :func:`add_token_commands` add these actions to
them. The command line acts as the ``cli`` actor in the audit log: whoever runs it owns
the server, so it may also disable or demote the last admin (to recover, not by accident).
"""

from __future__ import annotations

import argparse
import secrets

from sqlalchemy.orm import Session

from api.commands import CLI_ACTOR, CommandError, Commands, require_migrated, sessions
from governance.users import passwords
from governance.users import service as user_service
from governance.users.models import User
from governance.vocab import UserRole

#: The account ``make run`` creates on a database that has none.
DEMO_ADMIN = "admin"
#: Random bytes in the demo admin's password (``token_urlsafe`` gives 24 characters).
DEMO_PASSWORD_BYTES = 18


def random_password() -> str:
    """A random password that the policy accepts."""
    while True:
        password = secrets.token_urlsafe(DEMO_PASSWORD_BYTES)
        if passwords.password_problem(password) is None:
            return password


def create_demo_admin(session: Session) -> str | None:
    """On a database with no user at all, create the admin "admin" with a random password
    and return the password (to print once); otherwise create nothing and return None."""
    if user_service.any_user(session):
        return None
    password = random_password()
    user_service.create_user(
        session, name=DEMO_ADMIN, role=UserRole.ADMIN, password=password, actor=CLI_ACTOR
    )
    return password


def demo_admin_message(password: str) -> str:
    """What ``demo load --if-empty`` prints after creating the demo admin."""
    return "\n".join(
        (
            "created the demo administrator account:",
            f"  user name: {DEMO_ADMIN}",
            f"  password:  {password}",
            "  (shown once — change it on your account page after signing in)",
        )
    )


def add_user_commands(user_commands: Commands) -> None:
    """``users list``, ``users disable``, ``users enable``, ``users set-password``."""
    listing = user_commands.add_parser("list", help="list the users with role and state")
    listing.set_defaults(handler=users_list)

    disable = user_commands.add_parser(
        "disable", help="disable a user: their sessions and API tokens stop working at once"
    )
    disable.add_argument("name", help="the user's sign-in name")
    disable.set_defaults(handler=users_disable)

    enable = user_commands.add_parser("enable", help="let a disabled user sign in again")
    enable.add_argument("name", help="the user's sign-in name")
    enable.set_defaults(handler=users_enable)

    set_password = user_commands.add_parser(
        "set-password", help="set a user's password; every session of theirs ends"
    )
    set_password.add_argument("name", help="the user's sign-in name")
    set_password.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    set_password.set_defaults(handler=users_set_password)


def add_token_commands(token_commands: Commands) -> None:
    """``tokens list`` and ``tokens revoke``."""
    listing = token_commands.add_parser("list", help="list a user's API tokens (never the tokens)")
    listing.add_argument("name", help="the user's sign-in name")
    listing.set_defaults(handler=tokens_list)

    revoke = token_commands.add_parser("revoke", help="revoke an API token: it stops working")
    revoke.add_argument("id", type=int, help="the token's id (see: collabgov tokens list NAME)")
    revoke.set_defaults(handler=tokens_revoke)


def _user(session: Session, name: str) -> User:
    user = user_service.get_by_name(session, name)
    if user is None:
        raise CommandError(f"no user named {name!r}; see: collabgov users list")
    return user


def users_list(_: argparse.Namespace) -> int:
    factory = sessions()
    require_migrated(factory)
    with factory.transaction(write=False) as session:
        users = user_service.list_users(session)
        last = user_service.last_sign_ins(session)
        if not users:
            print("no users; create one with: collabgov users create NAME --role admin")
            return 0
        width = max(len(user.name) for user in users)
        for user in users:
            state = "deleted" if user.is_deleted else "active" if user.active else "disabled"
            signed_in = last.get(user.id)
            when = signed_in.strftime("%Y-%m-%d %H:%M UTC") if signed_in else "never signed in"
            print(f"{user.name:<{width}}  {user.role.value:<11}  {state:<8}  {when}")
    return 0


def _set_active(name: str, active: bool) -> User:
    factory = sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        user = _user(session, name)
        user_service.update_user(
            session, user=user, version=user.version, active=active, actor=CLI_ACTOR
        )
    return user


def users_disable(args: argparse.Namespace) -> int:
    user = _set_active(args.name, False)
    print(f"disabled user {user.name}; their sessions and API tokens no longer work")
    return 0


def users_enable(args: argparse.Namespace) -> int:
    user = _set_active(args.name, True)
    print(f"enabled user {user.name}")
    return 0


def users_set_password(args: argparse.Namespace) -> int:
    from api.cli import _read_password

    password = _read_password(from_stdin=args.password_stdin)
    factory = sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        user = _user(session, args.name)
        user_service.set_password(session, user=user, password=password, actor=CLI_ACTOR)
    print(f"password of {user.name} set; their sessions were signed out")
    return 0


def tokens_list(args: argparse.Namespace) -> int:
    factory = sessions()
    require_migrated(factory)
    with factory.transaction(write=False) as session:
        user = _user(session, args.name)
        tokens = user_service.list_tokens(session, user=user)
        if not tokens:
            print(f"{user.name} has no API tokens")
            return 0
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = (
                f"last used {token.last_used_at:%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "never used"
            )
            print(f"{token.id}\t{token.name}\t{state}\t{used}")
    return 0


def tokens_revoke(args: argparse.Namespace) -> int:
    if not 1 <= args.id <= 2**31 - 1:
        raise CommandError(f"no API token with id {args.id}")
    factory = sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        row = user_service.revoke_token(session, token_id=args.id, actor=CLI_ACTOR)
        name = row.name
    print(f"revoked API token {args.id} ({name})")
    return 0
