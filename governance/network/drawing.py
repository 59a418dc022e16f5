"""The network drawn on the server as one SVG document (no JavaScript needed).

Nodes are coloured by sector (the Okabe–Ito palette, safe for colour-blind readers)
and sized by a chosen metric (area ∝ value); ties are styled by layer — declared
relationships solid dark, co-attendance straight and light, commitments dashed
brown, trust dotted and coloured by valence — and directed ties carry arrowheads
and bend to their own side, so A → B and B → A stay apart. Every node and tie has a
``<title>`` (a tooltip on hover) and a legend explains colours, lines and sizes.

Readable at 30 stakeholders and still useful at 2,000: above :data:`LABEL_LIMIT`
nodes they are smaller and only the largest :data:`LABELLED_WHEN_CROWDED` are
labelled; above :data:`MANY_TIES` ties they are thinner and fainter, and above
:data:`TIE_LIMIT` only the heaviest are drawn (the legend says so). All text is
escaped, and characters XML cannot hold are replaced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from governance.network.graph import ALL_LAYERS, Layer
from governance.network.metrics import METRIC_NAMES, NodeMetrics, node_order
from governance.vocab import Sector

Position = tuple[float, float]

#: Okabe & Ito (2008) colours, one per sector.
SECTOR_COLOURS: dict[str, str] = {
    Sector.GOVERNMENT: "#0072B2",
    Sector.CIVIL_SOCIETY: "#E69F00",
    Sector.COMMUNITY: "#009E73",
    Sector.PRIVATE: "#CC79A7",
    Sector.ACADEMIC: "#56B4E9",
    Sector.MEDIA: "#F0E442",
    Sector.DONOR: "#D55E00",
    Sector.OTHER: "#999999",
}
VALENCE_COLOURS: dict[str, str] = {
    "positive": "#1A9850",
    "negative": "#D73027",
    "mixed": "#7B3294",
}


@dataclass(frozen=True)
class TieStyle:
    colour: str
    dash: str | None
    #: Sideways bend of the tie, in multiples of :data:`BEND`; 0 draws it straight.
    bend: int
    #: Co-attendance is the densest layer: fainter, so the others stay visible.
    opacity: float = 0.8


TIE_STYLES: dict[Layer, TieStyle] = {
    Layer.RELATIONSHIPS: TieStyle("#4D4D4D", None, 1),
    Layer.CO_ATTENDANCE: TieStyle("#9AAABB", None, 0, opacity=0.45),
    Layer.COMMITMENTS: TieStyle("#8C510A", "6 3", 2),
    Layer.TRUST: TieStyle(VALENCE_COLOURS["positive"], "2 3", 3),
}

#: Up to this many nodes every node is labelled.
LABEL_LIMIT = 60
#: Above :data:`LABEL_LIMIT`, how many of the largest nodes keep their label.
LABELLED_WHEN_CROWDED = 25
#: At most this many ties are drawn, the heaviest first.
TIE_LIMIT = 3000
#: Above this many ties they are drawn thin and faint, so that the nodes stay visible.
MANY_TIES = 400
#: Sideways bend of a tie per step of its style's ``bend``, in pixels.
BEND = 14
LEGEND_WIDTH = 230
MARGIN = 30

#: Legend and tooltip wording; pass ``text=`` to translate it.
TEXT: dict[str, str] = {
    "sector": "Sector",
    "ties": "Ties",
    "size": "Size",
    "positive": "trust, positive",
    "negative": "trust, negative",
    "mixed": "trust, mixed",
    "valence:positive": "positive",
    "valence:negative": "negative",
    "valence:mixed": "mixed",
    Layer.RELATIONSHIPS: "declared relationship",
    Layer.CO_ATTENDANCE: "attended the same meetings",
    Layer.COMMITMENTS: "commitment",
    Layer.TRUST: "trust",
    Sector.GOVERNMENT: "government",
    Sector.CIVIL_SOCIETY: "civil society",
    Sector.COMMUNITY: "community",
    Sector.PRIVATE: "private",
    Sector.ACADEMIC: "academic",
    Sector.MEDIA: "media",
    Sector.DONOR: "donor",
    Sector.OTHER: "other",
    "degree": "degree",
    "weighted_degree": "weighted degree",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector",
    "constraint": "constraint",
    "effective_size": "effective size",
    "weight": "weight",
    "fulfilled": "fulfilled",
    "labels_hidden": "Labels: the {count} largest",
    "ties_hidden": "Drawn: the {count} heaviest of {total} ties",
    "empty": "No stakeholders to show",
}

# XML 1.0 cannot hold most control characters, nor lone surrogates.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: forbidden characters become U+FFFD.

    >>> xml_text("a\\x01b")
    'a�b'
    """
    return _NOT_XML.sub("\ufffd", str(value))


def _text(value: object) -> str:
    return escape(xml_text(value))


def _attr(value: object) -> str:
    return quoteattr(xml_text(value))


def draw_svg(
    network: nx.MultiDiGraph,
    positions: Mapping[Hashable, Position],
    metrics: Mapping[Hashable, NodeMetrics],
    *,
    size_by: str = "betweenness",
    title: str = "",
    text: Mapping[str, str] | None = None,
    id_prefix: str = "network",
) -> str:
    """The network as a standalone SVG document.

    Parameters
    ----------
    network : nx.MultiDiGraph
        As :func:`governance.network.graph.build_network` returns it.
    positions : mapping
        Node → (x, y) in the unit square (:func:`governance.network.layout.stable_layout`).
    metrics : mapping
        Node → :class:`NodeMetrics`, for sizes and tooltips.
    size_by : str
        One of :data:`governance.network.metrics.METRIC_NAMES`.
    title : str
        The drawing's accessible title.
    text : mapping, optional
        Replacements for :data:`TEXT` (translations).
    id_prefix : str
        Prefix of the element ids, so that a page can hold several drawings.

    Returns
    -------
    str
        An SVG document (UTF-8 text).

    Raises
    ------
    ValueError
        When ``size_by`` is not a metric, or a node has no position or no metrics.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> from governance.network.metrics import node_metrics
    >>> from governance.network.graph import tie_graph
    >>> G = nx.MultiDiGraph()
    >>> G.add_node(1, name="<Dinas>", sector="government")
    >>> G.add_node(2, name="SPRI", sector="civil_society")
    >>> _ = G.add_edge(1, 2, key="trust", layer="trust", weight=2, valence="negative")
    >>> svg = draw_svg(G, {1: (0, 0), 2: (1, 1)}, node_metrics(tie_graph(G))[0])
    >>> root = ET.fromstring(svg)
    >>> "&lt;Dinas&gt;" in svg and "<Dinas>" not in svg
    True
    """
    if size_by not in METRIC_NAMES:
        raise ValueError(f"cannot size nodes by {size_by!r}; choose from {', '.join(METRIC_NAMES)}")
    words = {**TEXT, **(text or {})}
    nodes = sorted(network, key=node_order)
    for node in nodes:
        if node not in positions or node not in metrics:
            raise ValueError(f"node {node!r} has no position or no metrics")
    crowded = len(nodes) > LABEL_LIMIT
    side = max(720, min(1600, int(110 * math.sqrt(max(len(nodes), 1)))))
    width, height = side + LEGEND_WIDTH, round(side * 0.75)
    found = _ties(network)
    ties = found.drawn
    canvas = _Canvas(
        side,
        height,
        many_nodes=len(nodes) > LABEL_LIMIT,
        many_ties=len(ties) > MANY_TIES,
        label_room=0 if crowded else 150,
    )
    radius = _radii(nodes, metrics, size_by, canvas)
    points = {node: canvas.point(positions[node]) for node in nodes}

    drawn = sorted(ties, key=lambda t: -t[3].get("weight", 1))[:TIE_LIMIT]
    drawn.reverse()  # the heaviest painted last, on top
    heaviest = _heaviest_by_layer(drawn)
    labelled = set(nodes)
    if crowded:
        labelled = set(sorted(nodes, key=lambda n: -radius[n])[:LABELLED_WHEN_CROWDED])

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_id(id_prefix, "title")} {_id(id_prefix, "desc")}" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">',
        f'<title id="{_id(id_prefix, "title")}">{_text(title or "Stakeholder network")}</title>',
        f'<desc id="{_id(id_prefix, "desc")}">{len(nodes)} stakeholders, {len(ties)} ties</desc>',
        "<style>.node:hover circle{stroke:#000;stroke-width:2}"
        ".tie:hover path{stroke-opacity:1}</style>",
        _markers(id_prefix, 4 if canvas.many_ties else 7),
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if not nodes:
        parts.append(f'<text x="{side // 2}" y="{height // 2}" text-anchor="middle">')
        parts.append(f"{_text(words['empty'])}</text>")
    parts.append('<g class="ties" fill="none">')
    names = dict(network.nodes(data="name", default=""))
    for source, target, layer, data in drawn:
        parts.append(
            _tie(
                points[source],
                points[target],
                radius[source],
                radius[target],
                layer,
                data,
                heaviest[layer],
                canvas,
                _tie_title(names[source], names[target], layer, data, words),
                id_prefix,
            )
        )
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for node in nodes:
        data = network.nodes[node]
        x, y = points[node]
        colour = SECTOR_COLOURS.get(data.get("sector", ""), SECTOR_COLOURS[Sector.OTHER])
        parts.append(
            f'<g class="node" data-id={_attr(node)}>'
            f"<title>{_text(_node_title(data, metrics[node], words))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[node]:.1f}" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"/></g>'
        )
    parts.append("</g>")
    # Labels above every node, so that no circle hides a name.
    parts.append(
        '<g class="labels" pointer-events="none" paint-order="stroke" stroke="#ffffff" '
        'stroke-width="3" stroke-linejoin="round" fill="#222222">'
    )
    for node in nodes:
        if node in labelled:
            x, y = points[node]
            name = network.nodes[node].get("name", node)
            parts.append(
                f'<text x="{x + radius[node] + 3:.1f}" y="{y + 4:.1f}">{_text(name)}</text>'
            )
    parts.append("</g>")
    parts.append(
        _legend(
            network,
            side,
            words,
            size_by,
            crowded=crowded,
            drawn=len(drawn),
            total=len(ties),
            layers=found.layers,
            valences=found.valences,
        )
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _id(prefix: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{prefix}-{name}")


@dataclass(frozen=True)
class _Canvas:
    width: int
    height: int
    many_nodes: bool
    many_ties: bool
    #: Room kept right of the nodes for their labels.
    label_room: int

    def point(self, position: Position) -> Position:
        x, y = position
        usable_width = self.width - 2 * MARGIN - self.label_room
        return MARGIN + x * usable_width, MARGIN + y * (self.height - 2 * MARGIN)

    @property
    def radius_range(self) -> tuple[float, float]:
        return (2.0, 12.0) if self.many_nodes else (5.0, 22.0)

    @property
    def tie_width(self) -> tuple[float, float]:
        return (0.3, 1.2) if self.many_ties else (0.8, 4.0)

    @property
    def tie_opacity(self) -> float:
        return 0.45 if self.many_ties else 1.0


def _radii(
    nodes: list[Hashable], metrics: Mapping[Hashable, NodeMetrics], size_by: str, canvas: _Canvas
) -> dict[Hashable, float]:
    low, high = canvas.radius_range
    values = {node: getattr(metrics[node], size_by) or 0.0 for node in nodes}
    top = max(values.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(nodes, low)
    return {node: low + (high - low) * math.sqrt(max(v, 0) / top) for node, v in values.items()}


@dataclass
class _Ties:
    """The ties to draw, each once (a mutual tie, two arcs, from its smaller end), and
    the layers and valences of every arc, for the legend: read in one pass."""

    drawn: list[tuple[Hashable, Hashable, Layer, dict[str, Any]]]
    layers: set[str]
    valences: set[str]


_LAYER_OF: dict[str, Layer] = {layer.value: layer for layer in Layer}


def _ties(network: nx.MultiDiGraph) -> _Ties:
    found = _Ties([], set(), set())
    drawn, layers, valences = found.drawn, found.layers, found.valences
    for source, target, data in network.edges(data=True):
        code = data.get("layer")
        layers.add(code)
        valence = data.get("valence")
        if valence:
            valences.add(valence)
        if source == target or (data.get("mutual") and node_order(source) > node_order(target)):
            continue
        layer = _LAYER_OF.get(code)
        if layer is None:
            raise ValueError(f"{code!r} is not a layer")
        drawn.append((source, target, layer, data))
    return found


def _heaviest_by_layer(
    ties: list[tuple[Hashable, Hashable, Layer, dict[str, Any]]],
) -> dict[Layer, float]:
    heaviest = dict.fromkeys(ALL_LAYERS, 1.0)
    for _, _, layer, data in ties:
        heaviest[layer] = max(heaviest[layer], float(data.get("weight", 1)))
    return heaviest


def _tie(
    start: Position,
    end: Position,
    start_radius: float,
    end_radius: float,
    layer: Layer,
    data: Mapping[str, Any],
    heaviest: float,
    canvas: _Canvas,
    title: str,
    id_prefix: str,
) -> str:
    style = TIE_STYLES[layer]
    colour = style.colour
    if layer is Layer.TRUST:
        colour = VALENCE_COLOURS.get(str(data.get("valence")), colour)
    directed = not data.get("mutual", False)
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    bend = style.bend * BEND if directed else 0
    # Control point: off the midpoint, to the left of the direction of travel.
    cx, cy = (x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend
    sx, sy = _towards((x1, y1), (cx, cy), start_radius)
    ex, ey = _towards((x2, y2), (cx, cy), end_radius + (2 if directed else 0))
    low, high = canvas.tie_width
    stroke = low + (high - low) * math.sqrt(float(data.get("weight", 1)) / heaviest)
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    arrow = f' marker-end="url(#{_id(id_prefix, "arrow-" + colour[1:])})"' if directed else ""
    return (
        f'<g class="tie {layer.value}"><title>{_text(title)}</title>'
        f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" '
        f'stroke="{colour}" stroke-width="{stroke:.2f}" '
        f'stroke-opacity="{style.opacity * canvas.tie_opacity:.2f}"'
        f"{dash}{arrow}/></g>"
    )


def _towards(point: Position, other: Position, distance: float) -> Position:
    (x, y), (ox, oy) = point, other
    length = math.hypot(ox - x, oy - y)
    if length == 0:
        return point
    return x + (ox - x) / length * distance, y + (oy - y) / length * distance


def _markers(id_prefix: str, size: int) -> str:
    colours = sorted({s.colour for s in TIE_STYLES.values()} | set(VALENCE_COLOURS.values()))
    markers = "".join(
        f'<marker id="{_id(id_prefix, "arrow-" + colour[1:])}" viewBox="0 0 10 10" refX="9" '
        f'refY="5" markerWidth="{size}" markerHeight="{size}" markerUnits="userSpaceOnUse" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for colour in colours
    )
    return f"<defs>{markers}</defs>"


def _node_title(data: Mapping[str, Any], metrics: NodeMetrics, words: Mapping[str, str]) -> str:
    sector = words.get(str(data.get("sector")), str(data.get("sector", "")))
    lines = [f"{data.get('name', '')} ({sector})"]
    for name in METRIC_NAMES:
        value = getattr(metrics, name)
        shown = "–" if value is None else (f"{value:.3g}" if isinstance(value, float) else value)
        lines.append(f"{words.get(name, name)}: {shown}")
    return "\n".join(lines)


def _tie_title(
    source: str, target: str, layer: Layer, data: Mapping[str, Any], words: Mapping[str, str]
) -> str:
    arrow = "—" if data.get("mutual") else "→"
    detail = f"{words['weight']} {data.get('weight', 1)}"
    if layer is Layer.RELATIONSHIPS:
        detail = f"{data.get('label', '')}, {detail}"
    elif layer is Layer.COMMITMENTS:
        detail += f", {words['fulfilled']} {data.get('fulfilled', 0)}"
    elif layer is Layer.TRUST:
        valence = str(data.get("valence"))
        detail = f"{words.get(f'valence:{valence}', valence)}, {detail}"
    return f"{source} {arrow} {target}: {words[layer]} ({detail})"


def _legend(
    network: nx.MultiDiGraph,
    left: int,
    words: Mapping[str, str],
    size_by: str,
    *,
    crowded: bool,
    drawn: int,
    total: int,
    layers: set[str],
    valences: set[str],
) -> str:
    x, y = left + 10, 28
    rows = [f'<g class="legend" transform="translate({x},0)">']
    sectors = {data for _, data in network.nodes(data="sector")}
    rows.append(f'<text y="{y}" font-weight="bold">{_text(words["sector"])}</text>')
    for sector in Sector:
        if sector.value in sectors:
            y += 20
            rows.append(
                f'<circle cx="7" cy="{y - 4}" r="6" fill="{SECTOR_COLOURS[sector]}"/>'
                f'<text x="20" y="{y}">{_text(words[sector])}</text>'
            )
    y += 32
    rows.append(f'<text y="{y}" font-weight="bold">{_text(words["ties"])}</text>')
    for layer in ALL_LAYERS:
        if layer.value not in layers:
            continue
        style = TIE_STYLES[layer]
        samples = [(style.colour, words[layer])]
        if layer is Layer.TRUST:
            samples = [(VALENCE_COLOURS[v], words[v]) for v in VALENCE_COLOURS if v in valences]
        for colour, label in samples:
            y += 20
            dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
            rows.append(
                f'<line x1="0" y1="{y - 4}" x2="14" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/><text x="20" y="{y}">{_text(label)}</text>'
            )
    y += 32
    rows.append(
        f'<text y="{y}"><tspan font-weight="bold">{_text(words["size"])}:</tspan> '
        f"{_text(words.get(size_by, size_by))}</text>"
    )
    if crowded:
        y += 20
        note = words["labels_hidden"].format(count=LABELLED_WHEN_CROWDED)
        rows.append(f'<text y="{y}" font-size="11">{_text(note)}</text>')
    if drawn < total:
        y += 20
        note = words["ties_hidden"].format(count=f"{drawn:,}", total=f"{total:,}")
        rows.append(f'<text y="{y}" font-size="11">{_text(note)}</text>')
    rows.append("</g>")
    return "".join(rows)
