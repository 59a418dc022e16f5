"""The web pages: server-rendered HTML, usable without JavaScript, in English and Indonesian.

Every module here that has a ``router`` is a group of pages; they are found by name,
in alphabetical order (like ``api/routes``). The other modules are the pages' shared
parts: forms, notices, labels, charts, error pages.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    found = sorted(module.name for module in pkgutil.iter_modules(__path__))
    modules = [importlib.import_module(f"{__name__}.{name}") for name in found]
    return [
        module.router
        for module in modules
        if isinstance(getattr(module, "router", None), APIRouter)
    ]
