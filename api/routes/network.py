"""The stakeholder network of a collaboration: JSON, a change-over-time series, files, SVG."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.deps import RecordId, SessionDep
from api.errors import ERROR_RESPONSES
from governance.network import export
from governance.network import service as network_service
from governance.network.schemas import (
    NetworkDrawingQuery,
    NetworkQuery,
    NetworkRead,
    NetworkSeriesRead,
    NetworkTableQuery,
)

router = APIRouter(prefix="/collaborations", tags=["network"])

ERRORS: dict[int | str, dict[str, Any]] = {404: ERROR_RESPONSES[404], 422: ERROR_RESPONSES[422]}
QueryDep = Annotated[NetworkQuery, Query()]


class GraphMLResponse(Response):
    media_type = "application/graphml+xml"


class GEXFResponse(Response):
    media_type = "application/gexf+xml"


class SVGResponse(Response):
    media_type = "image/svg+xml"


def _file(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: a 200 answering a file of these media types, and the usual JSON errors.

    The routes declare the plain ``Response`` class: FastAPI would otherwise document
    the errors in the file's media type too.
    """
    content = {media: {"schema": {"type": "string"}} for media in media_types}
    return {200: {"description": description, "content": content}, **ERRORS}


def _attachment(record_id: int, suffix: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="collaboration-{record_id}-{suffix}"'}


def _network(
    session: SessionDep, record_id: int, query: NetworkQuery
) -> network_service.NetworkResult:
    request = network_service.request_from(query)
    return network_service.network(session, collaboration_id=record_id, request=request)


@router.get(
    "/{record_id}/network",
    response_model=NetworkRead,
    summary="The stakeholder network: nodes with metrics, links, network figures",
    operation_id="get_network",
    responses=ERRORS,
)
def get_network(session: SessionDep, record_id: RecordId, query: QueryDep) -> NetworkRead:
    return network_service.read(_network(session, record_id, query))


@router.get(
    "/{record_id}/network/series",
    response_model=NetworkSeriesRead,
    summary="The network's figures quarter by quarter",
    operation_id="get_network_series",
    responses=ERRORS,
)
def get_network_series(
    session: SessionDep, record_id: RecordId, query: QueryDep
) -> NetworkSeriesRead:
    return network_service.series(session, collaboration_id=record_id, query=query)


@router.get(
    "/{record_id}/network.graphml",
    response_class=Response,
    summary="The network as GraphML (no contact details)",
    operation_id="get_network_graphml",
    responses=_file("GraphML", GraphMLResponse.media_type),
)
def get_network_graphml(session: SessionDep, record_id: RecordId, query: QueryDep) -> Response:
    graph = network_service.export_graph(_network(session, record_id, query))
    return GraphMLResponse(
        export.to_graphml(graph), headers=_attachment(record_id, "network.graphml")
    )


@router.get(
    "/{record_id}/network.gexf",
    response_class=Response,
    summary="The network as GEXF, for Gephi (no contact details)",
    operation_id="get_network_gexf",
    responses=_file("GEXF 1.2", GEXFResponse.media_type),
)
def get_network_gexf(session: SessionDep, record_id: RecordId, query: QueryDep) -> Response:
    graph = network_service.export_graph(_network(session, record_id, query))
    return GEXFResponse(export.to_gexf(graph), headers=_attachment(record_id, "network.gexf"))


@router.get(
    "/{record_id}/network.json",
    response_class=JSONResponse,
    summary="The network as networkx node-link JSON (no contact details)",
    operation_id="get_network_node_link",
    responses=ERRORS,
)
def get_network_node_link(
    session: SessionDep, record_id: RecordId, query: QueryDep
) -> JSONResponse:
    graph = network_service.export_graph(_network(session, record_id, query))
    return JSONResponse(export.to_node_link(graph), headers=_attachment(record_id, "network.json"))


@router.get(
    "/{record_id}/network.kumu.json",
    response_class=JSONResponse,
    summary="The network as a Kumu blueprint (elements and connections)",
    operation_id="get_network_kumu",
    responses=ERRORS,
)
def get_network_kumu(session: SessionDep, record_id: RecordId, query: QueryDep) -> JSONResponse:
    graph = network_service.export_graph(_network(session, record_id, query))
    return JSONResponse(export.to_kumu(graph), headers=_attachment(record_id, "network.kumu.json"))


@router.get(
    "/{record_id}/network.csv",
    response_class=Response,
    summary="Node and edge tables: both in a zip, or one CSV with ?table=nodes|edges",
    operation_id="get_network_csv",
    responses=_file("CSV tables", "application/zip", "text/csv"),
)
def get_network_csv(
    session: SessionDep, record_id: RecordId, query: Annotated[NetworkTableQuery, Query()]
) -> Response:
    graph = network_service.export_graph(_network(session, record_id, query))
    if query.table is None:
        stem = f"collaboration-{record_id}-network"
        return Response(
            export.to_csv_zip(graph, stem),
            media_type="application/zip",
            headers=_attachment(record_id, "network.zip"),
        )
    return Response(
        export.csv_tables(graph)[query.table],
        media_type="text/csv; charset=utf-8",
        headers=_attachment(record_id, f"network-{query.table}.csv"),
    )


@router.get(
    "/{record_id}/network.svg",
    response_class=Response,
    summary="The network drawn as SVG: nodes by sector, sized by a metric",
    operation_id="get_network_svg",
    responses=_file("An SVG drawing", SVGResponse.media_type),
)
def get_network_svg(
    session: SessionDep, record_id: RecordId, query: Annotated[NetworkDrawingQuery, Query()]
) -> Response:
    result = _network(session, record_id, query)
    return SVGResponse(network_service.drawing(result, size_by=query.size_by))
