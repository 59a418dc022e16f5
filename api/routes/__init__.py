"""The JSON API's route modules, one per concept, mounted under ``/api/v1``.

Every module here exposes a ``router``; they are found by name, in alphabetical order.
A module's ``ACCESS`` (:class:`api.auth.Access`) says who may use it; records by default.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    """Every route module, each with a ``router`` and, optionally, its ``ACCESS``."""
    found = sorted(module.name for module in pkgutil.iter_modules(__path__))
    return [importlib.import_module(f"{__name__}.{name}") for name in found]
