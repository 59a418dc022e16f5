"""``collabgov backup PATH`` and ``collabgov restore PATH [--replace]``.

The work is done by :mod:`governance.backup.backup`; these commands open the configured
database, print what was copied, and turn file-system errors into a one-line message.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from api.commands import CommandError, Commands, sessions
from governance.backup.backup import backup, restore


def register(commands: Commands) -> None:
    backup_parser = commands.add_parser(
        "backup",
        help="copy the whole database to a new file, consistently, while the app runs",
        description=(
            "Copy the whole database to PATH, which must not exist yet. SQLite gives an SQLite "
            "copy (SQLite's online backup); PostgreSQL, or a PATH ending in .json or .json.gz, "
            "gives a JSON dump read from one snapshot (gzipped when PATH ends in .gz)."
        ),
    )
    backup_parser.add_argument("path", type=Path, metavar="PATH", help="the backup file to write")
    backup_parser.set_defaults(handler=backup_command)

    restore_parser = commands.add_parser(
        "restore",
        help="bring a backup made by collabgov backup back into the database",
        description=(
            "Restore PATH (an SQLite copy or a JSON dump, recognised by its content) into the "
            "configured database. A database that holds data is refused unless --replace."
        ),
    )
    restore_parser.add_argument("path", type=Path, metavar="PATH", help="the backup file to read")
    restore_parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a database that holds data (in one transaction: a failed restore "
        "leaves it as it was)",
    )
    restore_parser.set_defaults(handler=restore_command)


def backup_command(args: argparse.Namespace) -> int:
    factory = sessions()
    try:
        result = backup(factory.engine, args.path)
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"cannot write the backup {args.path}: {_reason(error)}") from None
    finally:
        factory.engine.dispose()
    print(result.summary())
    return 0


def restore_command(args: argparse.Namespace) -> int:
    factory = sessions()
    try:
        result = restore(factory.engine, args.path, replace=args.replace)
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"cannot restore {args.path}: {_reason(error)}") from None
    finally:
        factory.engine.dispose()
    print(result.summary())
    return 0


def _reason(error: OSError | sqlite3.Error) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
