"""Walking every route of the app: each (method, path) pair, with its path filled with real ids.

The security tests find the routes in ``app.routes`` rather than in a list of their own,
so a route added tomorrow is attacked the day it appears. Path parameters are filled with
ids of live records of the right type (the demo case is loaded first), a public forum and
meeting for the public pages, and a sensible word for the few text parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.base import Record
from governance.models import (
    ApiToken,
    Forum,
    Meeting,
    User,
)
from governance.record_types import RECORD_TYPES

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Path parameters that are words, not ids, with a value the route knows.
WORDS = {
    "kind": "stakeholders",
    "suffix": "csv",
    "export_format": "csv",
    "record_type": "stakeholder",
}

#: The record types whose ids fill path parameters (api tokens are not records: no
#: soft delete; the walk fills ``token_id`` itself).
RECORD_MODELS: dict[str, type[Record]] = {
    name: kind.model for name, kind in RECORD_TYPES.items() if issubclass(kind.model, Record)
}

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True, order=True)
class Endpoint:
    """One method of one route."""

    path: str
    method: str
    #: Required query parameters naming a record (``?collaboration_id=``).
    required_ids: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return self.method not in SAFE_METHODS

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every method of every route of ``app`` (static files aside), sorted by path."""
    found: set[Endpoint] = set()
    for context in iter_route_contexts(app.routes):
        methods = getattr(context, "methods", None) or set()
        dependant = getattr(getattr(context, "original_route", None), "dependant", None)
        required = tuple(
            sorted(
                param.alias
                for param in _query_params(dependant)
                if param.field_info.is_required() and param.alias.endswith("_id")
            )
        )
        for method in methods:
            found.add(Endpoint(str(context.path), method, required))
    return sorted(found)


def _query_params(dependant: Any) -> list[Any]:
    if dependant is None:
        return []
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params.extend(_query_params(sub))
    return params


def record_type_of(path: str, name: str) -> str | None:
    """The record type a path parameter names, or None when it names none we know.

    ``meeting_id`` → meeting; ``record_id`` → the resource before it
    (``/api/v1/trust-events/{record_id}`` → trust_event; ``/audit/{record_type}/...``
    → the record type the walk fills in, a stakeholder).
    """
    if name != "record_id":
        record_type = name.removesuffix("_id")
    else:
        before = path[: path.index("{" + name)].rstrip("/").rsplit("/", 1)[-1]
        if before.startswith("{"):
            return WORDS["record_type"]
        record_type = before.replace("-", "_")
        record_type = record_type if record_type == "evidence" else record_type.removesuffix("s")
    return record_type if record_type in RECORD_MODELS else None


class Filler:
    """Fills path parameters with ids of live records in the database."""

    def __init__(self, session: Session, *, user_id: int, token_id: int) -> None:
        self.session = session
        self.user_id = user_id
        self.token_id = token_id
        self._ids: dict[str, int] = {}

    def id_of(self, record_type: str) -> int:
        if record_type not in self._ids:
            self._ids[record_type] = self._first(record_type)
        return self._ids[record_type]

    def _first(self, record_type: str) -> int:
        if record_type == "user":
            return self.user_id
        model = RECORD_MODELS[record_type]
        found = self.session.scalar(
            select(model.id).where(model.deleted_at.is_(None)).order_by(model.id).limit(1)
        )
        return int(found) if found is not None else 1

    def public_forum(self) -> int:
        found = self.session.scalar(
            select(Forum.id).where(Forum.public.is_(True), Forum.deleted_at.is_(None)).limit(1)
        )
        assert found is not None, "the demo has no public forum"
        return int(found)

    def public_meeting(self) -> int:
        found = self.session.scalar(
            select(Meeting.id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Forum.public.is_(True), Meeting.deleted_at.is_(None))
            .order_by(Meeting.id)
            .limit(1)
        )
        assert found is not None, "the demo has no meeting in a public forum"
        return int(found)

    def value(self, path: str, name: str) -> str:
        public = path.startswith(("/public", "/api/v1/public"))
        if public and name == "forum_id":
            return str(self.public_forum())
        if public and name == "meeting_id":
            return str(self.public_meeting())
        if name in WORDS:
            return WORDS[name]
        if name == "token_id":
            return str(self.token_id)
        if name == "entry_id":
            entry = self.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id).limit(1))
            return str(entry or 1)
        record_type = record_type_of(path, name)
        return str(self.id_of(record_type)) if record_type else "1"

    def url(self, endpoint: Endpoint) -> str:
        path = _PARAM.sub(lambda m: self.value(endpoint.path, m.group(1)), endpoint.path)
        query = "&".join(
            f"{name}={self.id_of(name.removesuffix('_id'))}" for name in endpoint.required_ids
        )
        return f"{path}?{query}" if query else path


def a_token_id(session: Session, user: User) -> int:
    """The id of one of ``user``'s API tokens (made by the caller)."""
    found = session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id).limit(1))
    assert found is not None
    return int(found)
