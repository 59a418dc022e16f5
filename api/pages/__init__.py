"""The web pages: server-rendered HTML, usable without JavaScript, in English and Indonesian.

Every module here that has a ``router`` is a group of pages; they are found by name,
in alphabetical order (like ``api/routes``), and mounted behind the access check
that their ``ACCESS`` names (:class:`api.auth.Access`; records by default). The other
modules are the pages' shared parts: forms, notices, labels, charts, error pages.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from fastapi import APIRouter


def modules() -> list[ModuleType]:
    """Every page module (one with a ``router``), each with its optional ``ACCESS``."""
    found = sorted(module.name for module in pkgutil.iter_modules(__path__))
    imported = [importlib.import_module(f"{__name__}.{name}") for name in found]
    return [module for module in imported if isinstance(getattr(module, "router", None), APIRouter)]
