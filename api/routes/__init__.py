"""The JSON API's route modules, one per concept, mounted under ``/api/v1``.

Every module here exposes a ``router``; they are found by name, in alphabetical order.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    found = sorted(module.name for module in pkgutil.iter_modules(__path__))
    return [importlib.import_module(f"{__name__}.{name}").router for name in found]
