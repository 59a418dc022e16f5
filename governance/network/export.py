"""The network in files researchers open elsewhere: Gephi, Kumu, spreadsheets, scripts.

Every format carries the same content: stakeholders with their id, name, sector,
kind and metrics; ties with their layer, weight and layer details. Only those
attributes are copied, so no contact details (personal data) can leak into an
export whatever a graph happens to carry. Text that XML cannot hold is replaced
(U+FFFD), and CSV cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe.

- GraphML and GEXF via networkx's writers (a directed multigraph: one edge per
  layer and direction; a mutual tie is two edges, marked ``mutual``);
- node-link JSON (``networkx.node_link_data`` with ``links``);
- CSV node and edge tables, alone or zipped together;
- Kumu's JSON blueprint: ``elements`` (``id``, ``label``, ``type`` = sector) and
  ``connections`` (``from``, ``to``, ``type`` = layer, ``strength`` = weight,
  ``direction`` ``directed`` or ``mutual``, a mutual tie once; a declared tie's
  type code in ``relationship``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict
from typing import Any

import networkx as nx

from governance.network.drawing import xml_text
from governance.network.metrics import NodeMetrics, node_order

NODE_FIELDS = ("name", "sector", "kind")
EDGE_FIELDS = (
    "layer",
    "weight",
    "mutual",
    "type",
    "label",
    "fulfilled",
    "share_fulfilled",
    "signed_weight",
    "valence",
    "positive",
    "negative",
)
METRIC_FIELDS = tuple(NodeMetrics.__dataclass_fields__)
NODE_COLUMNS = ("id", *NODE_FIELDS, *METRIC_FIELDS)
EDGE_COLUMNS = ("source", "target", *EDGE_FIELDS)


def export_graph(
    network: nx.MultiDiGraph,
    metrics: Mapping[Hashable, NodeMetrics],
    attributes: Mapping[str, str] | None = None,
) -> nx.MultiDiGraph:
    """A clean copy for export: listed attributes only, metrics on the nodes, unique edge ids.

    ``label`` repeats the name (Gephi shows it); metric values that are None are left
    out; edge keys become ``e0``, ``e1``… (GraphML and GEXF want unique edge ids).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node(1, name="SPRI", sector="civil_society", kind="organisation", email="x@y.z")
    >>> "email" in export_graph(G, {}).nodes[1]
    False
    """
    graph = nx.MultiDiGraph(**{k: xml_text(v) for k, v in (attributes or {}).items()})
    for node in sorted(network, key=node_order):
        data = network.nodes[node]
        values: dict[str, Any] = {k: _clean(data[k]) for k in NODE_FIELDS if k in data}
        values["label"] = values.get("name", str(node))
        if node in metrics:
            values.update({k: v for k, v in asdict(metrics[node]).items() if v is not None})
        graph.add_node(node, **values)
    for index, (source, target, data) in enumerate(network.edges(data=True)):
        values = {k: _clean(data[k]) for k in EDGE_FIELDS if k in data}
        graph.add_edge(source, target, key=f"e{index}", **values)
    return graph


def _clean(value: Any) -> Any:
    return xml_text(value) if isinstance(value, str) else value


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML of an :func:`export_graph` result (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of an :func:`export_graph` result (UTF-8), for Gephi."""
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx's node-link data of an :func:`export_graph` result, edges under ``links``.

    >>> G = export_graph(nx.MultiDiGraph([(1, 2, "trust", {"layer": "trust", "weight": 2})]), {})
    >>> to_node_link(G)["links"]
    [{'layer': 'trust', 'weight': 2, 'source': 1, 'target': 2, 'key': 'e0'}]
    """
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    return data


def node_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One row per stakeholder, with every column of :data:`NODE_COLUMNS`."""
    return [
        {"id": node, **{column: data.get(column) for column in NODE_COLUMNS[1:]}}
        for node, data in graph.nodes(data=True)
    ]


def edge_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One row per edge (a mutual tie is two), with every column of :data:`EDGE_COLUMNS`."""
    return [
        {"source": source, "target": target, **{c: data.get(c) for c in EDGE_COLUMNS[2:]}}
        for source, target, data in graph.edges(data=True)
    ]


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> str:
    """A CSV table (header row first; None as an empty cell).

    >>> print(to_csv([{"id": 1, "name": "=cmd()"}], ["id", "name"]), end="")
    id,name
    1,'=cmd()
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, str]:
    """``{"nodes": csv, "edges": csv}``."""
    return {
        "nodes": to_csv(node_rows(graph), NODE_COLUMNS),
        "edges": to_csv(edge_rows(graph), EDGE_COLUMNS),
    }


def to_csv_zip(graph: nx.MultiDiGraph, stem: str = "network") -> bytes:
    """A zip holding ``<stem>-nodes.csv`` and ``<stem>-edges.csv``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in csv_tables(graph).items():
            archive.writestr(f"{stem}-{name}.csv", table)
    return buffer.getvalue()


def to_kumu(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Kumu's JSON blueprint of an :func:`export_graph` result.

    Element ids are ``s<stakeholder id>`` so that two stakeholders with the same name
    stay apart; a mutual tie is one connection with ``direction`` ``mutual``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node(1, name="SPRI", sector="civil_society"); G.add_node(2, name="Dinsos")
    >>> _ = G.add_edge(1, 2, key="c", layer="co_attendance", weight=3, mutual=True)
    >>> _ = G.add_edge(2, 1, key="c", layer="co_attendance", weight=3, mutual=True)
    >>> to_kumu(export_graph(G, {}))["connections"]
    [{'id': 'c0', 'from': 's1', 'to': 's2', 'type': 'co_attendance', 'strength': 3, \
'direction': 'mutual'}]
    """
    elements = []
    for node, data in graph.nodes(data=True):
        element = {"id": f"s{node}", "label": data.get("name", str(node))}
        element["type"] = data.get("sector", "")
        element.update({k: data[k] for k in (*NODE_FIELDS[1:], *METRIC_FIELDS) if k in data})
        elements.append(element)
    connections: list[dict[str, Any]] = []
    for source, target, data in graph.edges(data=True):
        mutual = bool(data.get("mutual"))
        if mutual and node_order(source) > node_order(target):
            continue
        connection: dict[str, Any] = {
            "id": f"c{len(connections)}",
            "from": f"s{source}",
            "to": f"s{target}",
            "type": data.get("layer", ""),
            "strength": data.get("weight", 1),
            "direction": "mutual" if mutual else "directed",
        }
        details = (k for k in EDGE_FIELDS if k not in ("layer", "weight", "mutual", "type"))
        connection.update({k: data[k] for k in details if k in data})
        if "type" in data:
            connection["relationship"] = data["type"]
        connections.append(connection)
    return {"elements": elements, "connections": connections}
