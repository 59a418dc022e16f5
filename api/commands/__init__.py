"""Sub-commands of the ``collabgov`` command line, one module per area.

Every module here with a ``register(commands)`` function is found by :func:`modules` and
adds its sub-commands to the parser that ``api.cli`` builds; a handler returns the exit
code. Helpers every command shares live here too.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING

from governance import migrations
from governance.audit.service import Actor
from governance.config import Settings, get_settings
from governance.db import SessionFactory, engine_from_settings

CLI_ACTOR = Actor("cli")

#: What ``add_subparsers`` returns; argparse keeps its class private (and generic only
#: to type checkers).
if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Commands = argparse._SubParsersAction


class CommandError(Exception):
    """A command that cannot do what was asked; the message says why."""


def modules() -> Iterator[ModuleType]:
    """Every command module of this package, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            yield module


def sessions(settings: Settings | None = None) -> SessionFactory:
    """Sessions on the configured database."""
    return SessionFactory(engine_from_settings(settings or get_settings()))


def require_migrated(factory: SessionFactory) -> None:
    """Refuse to work on a database whose schema is not the latest."""
    if migrations.current_revision(factory.engine) != migrations.head_revision():
        raise CommandError("the database schema is not up to date; run: collabgov db upgrade")
