"""Exports of one collaboration: CSV, .xlsx, full JSON, and the research package.

- ``csv``: a zip with one CSV per record type (UTF-8 with BOM, for spreadsheets);
- ``xlsx``: one workbook, a sheet per record type;
- ``json``: every table of the collaboration in one JSON document;
- ``research``: a zip for analysis (see :func:`research_package`).

Contact details (personal data) are in the first three only when the caller may see
them, and never in the research package. With ``pseudonymise``, stakeholder names
become stable pseudonyms (:mod:`governance.exports.pseudonyms`) and the columns that
identify a stakeholder beyond its name (aliases, description, who represented it)
are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from governance.base import utcnow
from governance.diagnosis import service as diagnosis_service
from governance.diagnosis.schemas import SeriesRead
from governance.diagnosis.thresholds import Thresholds
from governance.exports import codebook, formats, pseudonyms
from governance.exports.codebook import Entry
from governance.exports.tables import collaboration_tables
from governance.network import export as network_export
from governance.network import service as network_service
from governance.network.service import NetworkRequest

FORMAT_VERSION = 1


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    RESEARCH = "research"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


NODE_DOCS: Mapping[str, tuple[str, str]] = {
    "id": ("integer", "Id of the stakeholder (as in tables/stakeholders.csv)"),
    "name": ("text", "Name of the stakeholder (a pseudonym when pseudonymised)"),
    "sector": ("code", "Sector of the stakeholder"),
    "kind": ("code", "Kind of stakeholder"),
    "degree": ("integer", "Number of stakeholders tied to it, in any layer"),
    "weighted_degree": ("number", "Sum of the weights of its ties"),
    "betweenness": ("number", "Betweenness centrality (0-1): how often it lies on shortest paths"),
    "closeness": ("number", "Closeness centrality (0-1)"),
    "eigenvector": ("number", "Eigenvector centrality; empty outside the largest component"),
    "community": ("integer", "Community number (modularity communities)"),
    "constraint": ("number", "Burt's constraint; empty without ties"),
    "effective_size": ("number", "Burt's effective size; empty without ties"),
}
EDGE_DOCS: Mapping[str, tuple[str, str]] = {
    "source": ("integer", "Id of the stakeholder the edge starts from"),
    "target": ("integer", "Id of the stakeholder the edge goes to"),
    "layer": ("code", "relationships, co_attendance, commitments or trust"),
    "weight": ("number", "Strength of the tie in its layer"),
    "mutual": ("boolean", "true when the tie runs both ways (listed once per direction)"),
    "type": ("code", "Relationship type, for the relationships layer"),
    "label": ("text", "How the relationship reads"),
    "fulfilled": (
        "integer",
        "Commitments layer: how many of the owner's commitments were fulfilled",
    ),
    "share_fulfilled": ("number", "Commitments layer: share of the commitments fulfilled"),
    "signed_weight": ("number", "Trust layer: severity-weighted positive minus negative events"),
    "valence": ("code", "Trust layer: net positive or negative"),
    "positive": ("integer", "Trust layer: number of positive events"),
    "negative": ("integer", "Trust layer: number of negative events"),
}
SERIES_DOCS: Mapping[str, tuple[str, str]] = {
    "quarter": ("text", "Calendar quarter, e.g. 2020Q2"),
    "start": ("date", "First day of the quarter"),
    "end": ("date", "Last day of the quarter (the as-of date for the current one)"),
    "phase": ("code", "Highest phase of the Ansell & Gash cycle reached (P0-P6)"),
    "phase_name": ("text", "The phase in words"),
    "lifecycle": ("code", "Life-cycle status: active, dormant or declining"),
    "cycles": ("integer", "Turns of the virtuous cycle up to the end of the quarter"),
    "warnings": ("text", "Warning signs raised, their keys separated by '; '"),
}
INDICATOR_DOCS: Mapping[str, tuple[str, str]] = {
    "key": ("text", "The indicator's key (a column of diagnosis/series.csv)"),
    "label": ("text", "What it measures"),
    "variable": ("code", "The model variable it informs"),
    "kind": ("code", "What sort of figure it is"),
    "formula": ("text", "How it is computed"),
}


def export_collaboration(
    session: Session,
    collaboration_id: int,
    export_format: ExportFormat,
    *,
    include_contact: bool = False,
    pseudonymise: bool = False,
    key: bytes | None = None,
    thresholds: Thresholds | None = None,
    today: dt.date | None = None,
) -> ExportFile:
    """One collaboration in ``export_format``; ``key`` keeps pseudonyms stable across exports."""
    names = _pseudonyms(key) if pseudonymise else None
    stem = f"collaboration-{collaboration_id}"
    if export_format is ExportFormat.RESEARCH:
        content = research_package(
            session,
            collaboration_id,
            pseudonyms=names,
            thresholds=thresholds or Thresholds(),
            today=today or diagnosis_service.today(),
        )
        return ExportFile(f"{stem}-research.zip", "application/zip", content)
    tables = collaboration_tables(
        session, collaboration_id, include_contact=include_contact, pseudonyms=names
    )
    if export_format is ExportFormat.CSV:
        return ExportFile(f"{stem}.zip", "application/zip", formats.csv_zip(tables, stem=stem))
    if export_format is ExportFormat.XLSX:
        return ExportFile(
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            formats.xlsx(tables),
        )
    document = {
        "format": "collabgov.collaboration",
        "version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "collaboration_id": collaboration_id,
        "pseudonymised": pseudonymise,
        "contact_details": include_contact and not pseudonymise,
        "tables": formats.records_json(tables),
    }
    return ExportFile(f"{stem}.json", "application/json", formats.dumps(document))


def _pseudonyms(key: bytes | None) -> Callable[[Iterable[int]], dict[int, str]]:
    chosen = key or pseudonyms.fresh_key()
    return lambda ids: pseudonyms.pseudonyms(chosen, ids)


def research_package(
    session: Session,
    collaboration_id: int,
    *,
    pseudonyms: Callable[[Iterable[int]], Mapping[int, str]] | None,
    thresholds: Thresholds,
    today: dt.date,
) -> bytes:
    """The zip a researcher analyses with (never with contact details):

    - ``tables/*.csv``: every record type (plain UTF-8 CSV, ISO dates, true/false);
    - ``network/``: the whole network of every layer as GraphML and GEXF (Gephi),
      Kumu's JSON blueprint, and node and edge tables;
    - ``diagnosis/series.csv`` and ``diagnosis/indicators.csv``: the diagnosis per quarter;
    - ``codebook.csv``, ``vocabularies.csv``, ``codebook.md``: every column and code.
    """
    tables = collaboration_tables(
        session, collaboration_id, include_contact=False, pseudonyms=pseudonyms
    )
    names = None
    if pseudonyms is not None:
        names = {row["id"]: row["name"] for row in tables["stakeholders"].rows}
    files: list[tuple[str, bytes]] = [
        (f"tables/{name}.csv", formats.table_csv(table, guard=False).encode())
        for name, table in tables.items()
    ]
    entries = codebook.table_entries(tables)
    descriptions = {f"tables/{name}.csv": table.description for name, table in tables.items()}

    result = network_service.network(
        session, collaboration_id=collaboration_id, request=NetworkRequest()
    )
    graph = network_service.export_graph(result)
    if names is not None:
        for node, data in graph.nodes(data=True):
            data["name"] = data["label"] = names.get(node, "S-unknown")
    files += [
        ("network/network.graphml", network_export.to_graphml(graph)),
        ("network/network.gexf", network_export.to_gexf(graph)),
        ("network/network-kumu.json", formats.dumps(network_export.to_kumu(graph))),
    ]
    for name, table in network_export.csv_tables(graph).items():
        files.append((f"network/{name}.csv", table.encode()))
    docs = {"nodes": NODE_DOCS, "edges": EDGE_DOCS}
    for name, columns in (
        ("nodes", network_export.NODE_COLUMNS),
        ("edges", network_export.EDGE_COLUMNS),
    ):
        file = f"network/{name}.csv"
        entries += [Entry(file, column, *docs[name][column]) for column in columns]
    descriptions["network/nodes.csv"] = "Stakeholders of the network with their metrics"
    descriptions["network/edges.csv"] = "Ties of every layer (a mutual tie is two rows)"

    series = diagnosis_service.get_series(
        session, collaboration_id=collaboration_id, as_of=today, thresholds=thresholds
    )
    series_csv, indicators_csv, series_entries = _series_files(series)
    files += [
        ("diagnosis/series.csv", series_csv.encode()),
        ("diagnosis/indicators.csv", indicators_csv.encode()),
    ]
    entries += series_entries
    descriptions["diagnosis/series.csv"] = (
        f"The diagnosis per calendar quarter up to {today.isoformat()}; one column per indicator"
    )
    descriptions["diagnosis/indicators.csv"] = "What each indicator column of series.csv means"

    notes = [
        f"Exported {utcnow().isoformat(timespec='seconds')} from collabgov; collaboration "
        f"{collaboration_id}.",
        "Contact details (personal data) are never included.",
        "Stakeholder names are stable pseudonyms (S-xxxxxx); aliases, descriptions and "
        "representatives' names are left out. Free text (minutes, descriptions, notes) "
        "is not pseudonymised: read it before sharing."
        if pseudonyms is not None
        else "Stakeholder names are real (not pseudonymised).",
        "CSV files are UTF-8, comma-separated, with a header row; dates are ISO 8601, "
        "booleans true/false, empty cells mean no value.",
        "Ids are this database's; they join the tables (e.g. commitments.owner_id → "
        "stakeholders.id) but are not stable across databases.",
    ]
    files += [
        ("codebook.csv", codebook.codebook_csv(entries).encode()),
        ("vocabularies.csv", codebook.vocabularies_csv().encode()),
        (
            "codebook.md",
            codebook.codebook_markdown(
                entries,
                title=str(tables["collaboration"].rows[0]["name"]),
                notes=notes,
                descriptions=descriptions,
            ).encode(),
        ),
    ]
    return formats.zip_files(files)


def _series_files(series: SeriesRead) -> tuple[str, str, list[Entry]]:
    keys = [info.key for info in series.indicators]
    head = list(SERIES_DOCS)
    rows: list[dict[str, Any]] = []
    for point in series.points:
        rows.append(
            {
                "quarter": point.quarter,
                "start": point.start,
                "end": point.end,
                "phase": point.phase.code,
                "phase_name": point.phase.name,
                "lifecycle": point.lifecycle,
                "cycles": point.cycles,
                "warnings": "; ".join(point.warnings),
                **{key: point.indicators.get(key) for key in keys},
            }
        )
    series_csv = _csv([*head, *keys], rows)
    indicator_rows = [
        {
            "key": info.key,
            "label": info.label,
            "variable": info.variable,
            "kind": info.kind,
            "formula": info.formula,
        }
        for info in series.indicators
    ]
    indicators_csv = _csv(list(INDICATOR_DOCS), indicator_rows)
    entries = [Entry("diagnosis/series.csv", c, *SERIES_DOCS[c]) for c in head]
    entries += [
        Entry("diagnosis/series.csv", info.key, "number", f"{info.label} — {info.formula}")
        for info in series.indicators
    ]
    entries += [Entry("diagnosis/indicators.csv", c, *INDICATOR_DOCS[c]) for c in INDICATOR_DOCS]
    return series_csv, indicators_csv, entries


def _csv(header: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([formats.cell(row.get(name), guard=False) for name in header])
    return buffer.getvalue()
