"""The routes every record shares — list, get, create, patch, delete, restore — built once.

Each concept's route module describes its resource with :class:`RecordRoutes` and
adds its own sub-resources to the router it gets back. Handlers stay thin: look up
(404), delegate to the concept's service, commit, present.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Generic, Protocol, TypeVar

import pydantic_core
from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.deps import ActorDep, RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance import records, trash
from governance.audit.service import Actor
from governance.base import Record
from governance.record_types import RECORD_TYPES
from governance.records import Page
from governance.schemas import PageOut, Version

M = TypeVar("M", bound=Record)


class RecordService(Protocol[M]):
    """What a concept's service module offers the shared routes."""

    def get(self, session: Session, record_id: RecordId, *, include_deleted: bool = False) -> M: ...

    def search(self, session: Session, *, query: Any) -> Page[M]: ...

    def create(self, session: Session, *, data: Any, actor: Actor) -> M: ...

    def update(self, session: Session, *, record: M, data: Any, actor: Actor) -> M: ...


def restore_with(service: object, session: Session, record: M, actor: Actor) -> M:
    """Restore through the service when it has rules for it (say, no duplicate revived).

    Refused (409) while a record it belongs to is deleted: restore that first.
    """
    if record.record_type in RECORD_TYPES:
        trash.check_parents(session, record)
    restore: Callable[..., M] | None = getattr(service, "restore", None)
    if restore is not None:
        return restore(session, record=record, actor=actor)
    return records.restore(session, record, actor=actor)


class DeleteQuery(BaseModel):
    version: Version | None = Field(
        None, description="If given, the delete is refused when the record has changed since"
    )


@dataclass(frozen=True)
class RecordRoutes(Generic[M]):
    """One resource of the API, e.g. ``stakeholders``."""

    path: str
    label: str
    service: RecordService[M]
    read: type[BaseModel]
    create: type[BaseModel]
    patch: type[BaseModel]
    query: type[BaseModel]
    #: Turns records into their read shape; one call per page, so it can batch queries.
    present: Callable[[Session, Sequence[M]], Sequence[BaseModel]] | None = None
    #: Turns records into plain rows of the read shape, ready for JSON (enums as their
    #: codes), for the reads: a page is then written as JSON in one go, without a model
    #: built and validated per record. Its JSON must equal ``read``'s (tests compare).
    rows: Callable[[Session, Sequence[M]], Sequence[dict[str, Any]]] | None = None
    #: Finds a list's page (for the route's query) straight as plain rows of the read
    #: shape, as ``rows`` would give them, without loading the page's records.
    list_rows: Callable[[Session, Any], Page[dict[str, Any]]] | None = None
    tags: list[str | Enum] = field(default_factory=list)

    def render(self, session: Session, items: Sequence[M]) -> Sequence[BaseModel]:
        if self.present is not None:
            return self.present(session, items)
        return [self.read.model_validate(item) for item in items]

    def read_page(self, session: Session, page: Page[M]) -> Any:
        """A page of records as a list route answers it."""
        if self.rows is None:
            return _page(page, self.render(session, page.items))
        return json_response(_page(page, self.rows(session, page.items)))

    def read_one(self, session: Session, record: M) -> Any:
        """One record as a read route answers it."""
        if self.rows is None:
            return self.render(session, [record])[0]
        return json_response(self.rows(session, [record])[0])

    def written(self, session: Session, record: M, *, status_code: int = 200) -> Response:
        """One record as a write route answers it, after its commit: encoded here, in the
        route's worker thread, the JSON FastAPI would write for the route's response model.

        FastAPI would check the answer against the model and write it in a worker thread
        of its own: another trip through the thread pool, for each write.
        """
        if self.rows is not None:
            return json_response(self.rows(session, [record])[0], status_code=status_code)
        answer = self.render(session, [record])[0]
        return Response(
            answer.model_dump_json(by_alias=True),
            status_code=status_code,
            media_type="application/json",
        )

    def router(self) -> APIRouter:
        return _build_router(self)


def _typed(function: Callable[..., Any], **annotations: Any) -> Callable[..., Any]:
    """Give a handler its resource's schemas as annotations.

    FastAPI reads a handler's annotations to validate input and write the OpenAPI
    schema; the shared handlers only learn their schemas at runtime.
    """
    function.__annotations__ = {**function.__annotations__, **annotations}
    return function


def _build_router(spec: RecordRoutes[M]) -> APIRouter:
    router = APIRouter(prefix=f"/{spec.path}", tags=spec.tags or [spec.path])
    service = spec.service
    single = spec.read
    listing = PageOut[spec.read]  # type: ignore[name-defined]

    def list_records(session: SessionDep, query: Any) -> Any:
        if spec.list_rows is not None:
            page = spec.list_rows(session, query)
            return json_response(_page(page, page.items))
        return spec.read_page(session, service.search(session, query=query))

    def get_record(
        session: SessionDep,
        record_id: RecordId,
        include_deleted: Annotated[bool, Query(description="Also find a deleted record")] = False,
    ) -> Any:
        record = service.get(session, record_id, include_deleted=include_deleted)
        return spec.read_one(session, record)

    def create_record(session: SessionDep, actor: ActorDep, data: Any) -> Any:
        record = service.create(session, data=data, actor=actor)
        session.commit()
        return spec.written(session, record, status_code=status.HTTP_201_CREATED)

    def update_record(session: SessionDep, actor: ActorDep, record_id: RecordId, data: Any) -> Any:
        record = service.get(session, record_id)
        record = service.update(session, record=record, data=data, actor=actor)
        session.commit()
        return spec.written(session, record)

    def delete_record(
        session: SessionDep,
        actor: ActorDep,
        record_id: RecordId,
        version: Annotated[Version | None, Query(description="Refuse if changed since")] = None,
    ) -> Any:
        record = service.get(session, record_id)
        records.soft_delete(session, record, actor=actor, version=version)
        session.commit()
        return spec.written(session, record)

    def restore_record(session: SessionDep, actor: ActorDep, record_id: RecordId) -> Any:
        record = service.get(session, record_id, include_deleted=True)
        record = restore_with(service, session, record, actor)
        session.commit()
        return spec.written(session, record)

    label = spec.label
    id_path = "/{record_id}"
    router.add_api_route(
        "",
        _typed(list_records, query=Annotated[spec.query, Query()]),
        methods=["GET"],
        response_model=listing,
        summary=f"List {label}s",
        operation_id=f"list_{spec.path.replace('-', '_')}",
        responses={422: ERROR_RESPONSES[422]},
    )
    router.add_api_route(
        "",
        _typed(create_record, data=spec.create),
        methods=["POST"],
        response_model=single,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create a {label}",
        operation_id=f"create_{_singular(spec)}",
        responses={422: ERROR_RESPONSES[422]},
    )
    router.add_api_route(
        id_path,
        get_record,
        methods=["GET"],
        response_model=single,
        summary=f"Get a {label}",
        operation_id=f"get_{_singular(spec)}",
        responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
    )
    router.add_api_route(
        id_path,
        _typed(update_record, data=spec.patch),
        methods=["PATCH"],
        response_model=single,
        summary=f"Change a {label} (send the version you read)",
        operation_id=f"update_{_singular(spec)}",
        responses=ERROR_RESPONSES,
    )
    router.add_api_route(
        id_path,
        delete_record,
        methods=["DELETE"],
        response_model=single,
        summary=f"Delete a {label} (soft: it can be restored)",
        operation_id=f"delete_{_singular(spec)}",
        responses=ERROR_RESPONSES,
    )
    router.add_api_route(
        f"{id_path}/restore",
        restore_record,
        methods=["POST"],
        response_model=single,
        summary=f"Restore a deleted {label}",
        operation_id=f"restore_{_singular(spec)}",
        responses={404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]},
    )
    return router


def json_response(content: Any, *, status_code: int = 200) -> Response:
    """Plain JSON-ready data written once, as the finished answer.

    Returned as a ``Response``, it is sent as it is: FastAPI would otherwise validate it
    against the route's response model before writing it. The response model still
    describes the answer (and the route's status code) in the OpenAPI schema.
    """
    return Response(
        pydantic_core.to_json(content), status_code=status_code, media_type="application/json"
    )


def _page(page: Page[Any], items: Sequence[Any]) -> dict[str, Any]:
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


def _singular(spec: RecordRoutes[Any]) -> str:
    return spec.label.replace(" ", "_")
