"""The ``collabgov`` command line: serve, migrate, demo data, users and tokens.

Errors go to stderr with a non-zero exit code: 2 for wrong usage (argparse's
convention), 1 for a refused or failed operation.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from api.commands import CLI_ACTOR, CommandError, Commands, require_migrated
from api.commands import modules as command_modules
from api.commands import sessions as open_sessions
from api.commands.users import add_token_commands, add_user_commands
from governance import migrations
from governance.config import get_settings
from governance.errors import DomainError
from governance.vocab import UserRole


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (CommandError, DomainError) as error:
        print(f"collabgov: error: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: "
            + e["msg"].removeprefix("Value error, ")
            for e in error.errors()
        )
        print(f"collabgov: error: invalid configuration — {problems}", file=sys.stderr)
        return 1
    except OperationalError as error:
        print(f"collabgov: error: cannot use the database: {error.orig}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="collabgov",
        description="Track a collaboration between public agencies and non-state actors.",
        epilog="Configuration comes from COLLABGOV_* environment variables (see the README).",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web app and the API")
    serve.add_argument("--host", help="address to listen on (default: COLLABGOV_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default: COLLABGOV_PORT)")
    serve.set_defaults(handler=serve_command)

    db = commands.add_parser("db", help="manage the database schema")
    db_commands = db.add_subparsers(title="db commands", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="migrate the database to the latest schema")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=db_upgrade)
    current = db_commands.add_parser("current", help="show the database's schema revision")
    current.set_defaults(handler=db_current)

    demo = commands.add_parser("demo", help="demo data")
    demo_commands = demo.add_subparsers(title="demo commands", required=True, metavar="ACTION")
    load = demo_commands.add_parser(
        "load", help="load the Jakarta demo case (does nothing if it is already there)"
    )
    load.add_argument(
        "--if-empty",
        action="store_true",
        help="load only into a new database (no collaborations or stakeholders yet)",
    )
    load.set_defaults(handler=demo_load)
    add_generate_parser(demo_commands)

    users = commands.add_parser("users", help="user accounts")
    user_commands = users.add_subparsers(title="users commands", required=True, metavar="ACTION")
    create_user = user_commands.add_parser("create", help="create a user")
    create_user.add_argument("name", help="the user's sign-in name")
    create_user.add_argument(
        "--role", required=True, choices=[role.value for role in UserRole], help="the user's role"
    )
    create_user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    create_user.set_defaults(handler=users_create)
    add_user_commands(user_commands)

    tokens = commands.add_parser("tokens", help="API tokens")
    token_commands = tokens.add_subparsers(title="tokens commands", required=True, metavar="ACTION")
    create_token = token_commands.add_parser(
        "create", help="create an API token for a user; prints the token alone on stdout"
    )
    create_token.add_argument("name", help="the user's sign-in name")
    create_token.add_argument("--label", default="cli", help="what the token is for")
    create_token.set_defaults(handler=tokens_create)
    add_token_commands(token_commands)

    for module in command_modules():
        module.register(commands)
    return parser


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn  # imported here: the other commands don't need the server

    settings = get_settings()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        proxy_headers=True,
    )
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    factory = open_sessions()
    migrations.upgrade(factory.engine, args.revision)
    print(f"database at revision {migrations.current_revision(factory.engine)}")
    return 0


def db_current(_: argparse.Namespace) -> int:
    factory = open_sessions()
    current = migrations.current_revision(factory.engine)
    head = migrations.head_revision()
    if current is None:
        print("database is empty (no revision); run: collabgov db upgrade")
        return 0
    state = "latest" if current == head else f"behind; latest is {head}"
    print(f"{current} ({state})")
    return 0


def demo_load(args: argparse.Namespace) -> int:
    """Load the demo case; with ``--if-empty`` (``make run``) also create the demo admin
    with a random password, printed once, when the database has no user at all."""
    from api.commands.users import create_demo_admin, demo_admin_message
    from governance.demo.loader import is_database_empty, load_demo

    factory = open_sessions()
    require_migrated(factory)
    admin_password = None
    summary = "database already holds data; demo not loaded"
    with factory.transaction() as session:
        if args.if_empty:
            admin_password = create_demo_admin(session)
        if not args.if_empty or is_database_empty(session):
            summary = load_demo(session, actor=CLI_ACTOR).summary()
    print(summary)
    if admin_password is not None:
        print(demo_admin_message(admin_password))
    return 0


def add_generate_parser(demo_commands: Commands) -> None:
    """``collabgov demo generate``: the large synthetic case of :mod:`governance.demo.generate`."""
    from governance.demo.generate import Sizes

    defaults = Sizes()
    generate = demo_commands.add_parser(
        "generate",
        help="write a large synthetic collaboration (seeded, reproducible) to measure speed",
        description="Write a large, realistic synthetic collaboration with bulk inserts; the "
        "audit log gets one summary entry per table and batch. Does nothing when the case "
        "of this seed and size is already there.",
    )
    for option, help_text in (
        ("stakeholders", "stakeholders in the registry"),
        ("forums", "forums, spread over the collaborations"),
        ("meetings", "meetings, spread over the forums and years"),
        ("attendance", "attendance rows, concentrated on each forum's core group"),
        ("commitments", "commitments, each with its status history"),
        ("trust_events", "trust events"),
        ("outcomes", "outcomes (about one final outcome per four intermediate ones)"),
        ("relationships", "declared relationships between stakeholders"),
        ("collaborations", "collaborations the forums are spread over"),
    ):
        generate.add_argument(
            f"--{option.replace('_', '-')}",
            dest=option,
            type=int,
            default=getattr(defaults, option),
            metavar="N",
            help=f"{help_text} (default: {getattr(defaults, option):,})",
        )
    generate.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    generate.set_defaults(handler=demo_generate)


def demo_generate(args: argparse.Namespace) -> int:
    from governance.demo.generate import Sizes, existing_case, generate

    sizes = Sizes(
        stakeholders=args.stakeholders,
        forums=args.forums,
        meetings=args.meetings,
        attendance=args.attendance,
        commitments=args.commitments,
        trust_events=args.trust_events,
        outcomes=args.outcomes,
        relationships=args.relationships,
        collaborations=args.collaborations,
    )
    problems = sizes.problems()
    if problems:
        raise CommandError(
            "; ".join(f"--{name.replace('_', '-')}: {text}" for name, text in problems.items())
        )
    factory = open_sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        existing = existing_case(session, seed=args.seed, sizes=sizes)
        if existing is not None:
            print(f"synthetic case already there (collaboration {existing}); nothing added")
            return 0
        result = generate(session, sizes=sizes, seed=args.seed, actor=CLI_ACTOR)
    print(result.summary())
    return 0


def users_create(args: argparse.Namespace) -> int:
    from governance.users import service as user_service

    password = _read_password(from_stdin=args.password_stdin)
    factory = open_sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        user = user_service.create_user(
            session, name=args.name, role=UserRole(args.role), password=password, actor=CLI_ACTOR
        )
        print(f"created user {user.name} ({user.role.value})")
    return 0


def tokens_create(args: argparse.Namespace) -> int:
    from governance.users import service as user_service

    factory = open_sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        user = user_service.get_by_name(session, args.name)
        if user is None:
            raise CommandError(
                f"no user named {args.name!r}; create one with: collabgov users create"
            )
        token = user_service.create_token(session, user=user, name=args.label, actor=CLI_ACTOR)
    print(token)
    return 0


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise CommandError("no terminal to prompt for a password; use --password-stdin")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != password:
        raise CommandError("the passwords differ")
    return password


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
