"""Geometry of the diagnosis page's drawings: the Ansell & Gash cycle and the trend lines.

Plain numbers in, coordinates out; ``templates/diagnosis/_charts.html`` only places
them, so the layout is tested without rendering anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: The links of the cycle, clockwise from the top, as the diagnosis keys its components.
CYCLE: tuple[str, ...] = (
    "dialogue",
    "trust",
    "commitment",
    "shared_understanding",
    "intermediate_outcomes",
)
#: What feeds the cycle, top to bottom on its left.
INPUTS: tuple[str, ...] = ("starting_conditions", "institutional_design", "leadership")
#: The node each phase stands at: P0 is still at the starting conditions.
PHASE_NODE: dict[str, str] = {
    "P0": "starting_conditions",
    "P1": "dialogue",
    "P2": "trust",
    "P3": "commitment",
    "P4": "shared_understanding",
    "P5": "intermediate_outcomes",
    "P6": "outcomes",
}

WIDTH, HEIGHT = 900, 470
#: The frame of the collaborative process, around the cycle.
FRAME_LEFT, FRAME_TOP, FRAME_RIGHT, FRAME_BOTTOM = 216.0, 14.0, 684.0, 456.0
CENTRE_X, CENTRE_Y, RADIUS = 450.0, 250.0, 160.0
NODE_WIDTH, NODE_HEIGHT = 140.0, 50.0
BOX_WIDTH, BOX_HEIGHT = 180.0, 60.0
#: Labels longer than this are set on two lines.
WRAP_AT = 14


@dataclass(frozen=True)
class Node:
    key: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    current: bool
    bottleneck: bool
    #: None for the boxes around the cycle; whether the link's condition holds otherwise.
    met: bool | None
    #: Where the "you are here" / "bottleneck" tags go: above (True) or below the node.
    tags_above: bool

    @property
    def left(self) -> float:
        return round(self.x - self.width / 2, 1)

    @property
    def top(self) -> float:
        return round(self.y - self.height / 2, 1)

    def line_y(self, index: int) -> float:
        """The baseline of the label's ``index``-th line, the lines centred in the node."""
        first = self.y - (len(self.lines) - 1) * 7 + 4
        return round(first + index * 14, 1)

    def tag_y(self, index: int) -> float:
        """The baseline of the ``index``-th tag beside the node."""
        if self.tags_above:
            return round(self.top - 8 - index * 15, 1)
        return round(self.top + self.height + 16 + index * 15, 1)


@dataclass(frozen=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class CycleDiagram:
    width: int
    height: int
    nodes: list[Node]
    arrows: list[Arrow]
    centre_x: float
    centre_y: float
    radius: float
    frame_left: float = FRAME_LEFT
    frame_top: float = FRAME_TOP
    frame_right: float = FRAME_RIGHT
    frame_bottom: float = FRAME_BOTTOM
    #: The frame's title, top left inside it.
    frame_label: str = ""

    def node(self, key: str) -> Node:
        return next(n for n in self.nodes if n.key == key)


def wrap(label: str, at: int = WRAP_AT) -> tuple[str, ...]:
    """A label on one line, or on two split at the space nearest its middle.

    >>> wrap("Trust-building")
    ('Trust-building',)
    >>> wrap("Commitment to process")
    ('Commitment', 'to process')
    """
    if len(label) <= at or " " not in label:
        return (label,)
    middle = len(label) / 2
    spaces = [i for i, char in enumerate(label) if char == " "]
    split = min(spaces, key=lambda i: abs(i - middle))
    return (label[:split], label[split + 1 :])


def cycle_diagram(
    labels: dict[str, str],
    *,
    phase: str,
    bottleneck: str | None,
    met: dict[str, bool],
) -> CycleDiagram:
    """Place the cycle's five links on a circle inside the frame of the collaborative
    process, the three inputs on its left and the outcomes on its right; mark the node of
    ``phase`` and the ``bottleneck`` component.

    ``labels`` names every node (the keys of :data:`CYCLE` and :data:`INPUTS`,
    "outcomes" and "process" for the frame); ``met`` says which links hold.

    >>> names = {k: k for k in (*CYCLE, *INPUTS, "outcomes", "process")}
    >>> chart = cycle_diagram(names, phase="P6", bottleneck="commitment", met={})
    >>> chart.node("outcomes").current, chart.node("commitment").bottleneck
    (True, True)
    >>> top = chart.node("dialogue")
    >>> (top.x, top.y) == (CENTRE_X, CENTRE_Y - RADIUS)
    True
    >>> len(chart.arrows)  # five round the cycle, three in, one out
    9
    >>> all(FRAME_LEFT < n.left and n.left + n.width < FRAME_RIGHT
    ...     for n in chart.nodes if n.key in CYCLE)
    True
    """
    here = PHASE_NODE.get(phase)
    nodes: list[Node] = []
    for index, key in enumerate(CYCLE):
        angle = -math.pi / 2 + index * 2 * math.pi / len(CYCLE)
        x = round(CENTRE_X + RADIUS * math.cos(angle), 1)
        y = round(CENTRE_Y + RADIUS * math.sin(angle), 1)
        nodes.append(
            Node(
                key,
                x,
                y,
                NODE_WIDTH,
                NODE_HEIGHT,
                wrap(labels[key]),
                current=key == here,
                bottleneck=key == bottleneck,
                met=met.get(key),
                tags_above=y <= CENTRE_Y,
            )
        )
    for index, key in enumerate(INPUTS):
        nodes.append(
            Node(
                key,
                10 + BOX_WIDTH / 2,
                CENTRE_Y + (index - 1) * 150,
                BOX_WIDTH,
                BOX_HEIGHT,
                wrap(labels[key], 22),
                current=key == here,
                bottleneck=False,
                met=None,
                tags_above=index < 2,
            )
        )
    nodes.append(
        Node(
            "outcomes",
            WIDTH - 10 - BOX_WIDTH / 2,
            CENTRE_Y,
            BOX_WIDTH,
            BOX_HEIGHT + 10,
            wrap(labels["outcomes"], 22),
            current=here == "outcomes",
            bottleneck=bottleneck == "outcomes",
            met=met.get("outcomes"),
            tags_above=True,
        )
    )
    by_key = {n.key: n for n in nodes}
    arrows = [
        _between(by_key[a], by_key[b]) for a, b in zip(CYCLE, (*CYCLE[1:], CYCLE[0]), strict=True)
    ]
    arrows += [
        Arrow(round(box.left + box.width + 4, 1), box.y, FRAME_LEFT - 4, box.y)
        for box in (by_key[key] for key in INPUTS)
    ]
    outcomes = by_key["outcomes"]
    arrows.append(Arrow(FRAME_RIGHT + 4, CENTRE_Y, round(outcomes.left - 4, 1), CENTRE_Y))
    return CycleDiagram(
        WIDTH,
        HEIGHT,
        nodes,
        arrows,
        CENTRE_X,
        CENTRE_Y,
        RADIUS,
        frame_label=labels.get("process", ""),
    )


def _edge(node: Node, towards_x: float, towards_y: float) -> tuple[float, float]:
    """Where the line from the node's centre towards a point leaves its box."""
    dx, dy = towards_x - node.x, towards_y - node.y
    if dx == 0 and dy == 0:
        return node.x, node.y
    scale = min(
        (node.width / 2) / abs(dx) if dx else math.inf,
        (node.height / 2) / abs(dy) if dy else math.inf,
    )
    return node.x + dx * scale, node.y + dy * scale


def _between(a: Node, b: Node, gap: float = 6.0) -> Arrow:
    x1, y1 = _edge(a, b.x, b.y)
    x2, y2 = _edge(b, a.x, a.y)
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    return Arrow(
        round(x1 + ux * gap, 1),
        round(y1 + uy * gap, 1),
        round(x2 - ux * gap, 1),
        round(y2 - uy * gap, 1),
    )


# -- trend lines --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float
    #: SVG path data, one sub-path per run of quarters with a value (gaps stay gaps).
    path: str
    points: list[TrendPoint]
    #: Where a dashed reference line goes (zero for balances), if anywhere.
    zero_y: float | None
    first_label: str
    last_label: str


def trend_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    low: float | None = None,
    high: float | None = None,
    point_labels: Sequence[str] | None = None,
    width: int = 320,
    height: int = 120,
) -> TrendChart | None:
    """A line through a value per quarter; None values leave a gap. None without any value.

    ``low`` and ``high`` fix the vertical range (0–1 for a share); otherwise it runs
    from 0 (or the lowest value, if negative) to the highest value.

    >>> chart = trend_chart([0.2, None, 0.6, 1.0], ["Q1", "Q2", "Q3", "Q4"], low=0, high=1)
    >>> chart.path.count("M")  # the gap splits the line in two
    2
    >>> [p.y for p in chart.points] == sorted([p.y for p in chart.points], reverse=True)
    True
    >>> trend_chart([None, None], ["Q1", "Q2"]) is None
    True
    """
    known = [v for v in values if v is not None]
    if not known:
        return None
    bottom_value = low if low is not None else min(0.0, *known)
    top_value = high if high is not None else max(*known, bottom_value + 1.0)
    if top_value <= bottom_value:
        top_value = bottom_value + 1.0
    left, right, top, bottom = 44.0, width - 8.0, 10.0, height - 22.0
    count = len(values)

    def x_of(index: int) -> float:
        if count == 1:
            return round((left + right) / 2, 1)
        return round(left + (right - left) * index / (count - 1), 1)

    def y_of(value: float) -> float:
        share = (value - bottom_value) / (top_value - bottom_value)
        return round(bottom - (bottom - top) * min(max(share, 0.0), 1.0), 1)

    shown = point_labels or [str(v) for v in values]
    parts: list[str] = []
    points: list[TrendPoint] = []
    pen_down = False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        x, y = x_of(index), y_of(value)
        parts.append(f"{'L' if pen_down else 'M'}{x} {y}")
        points.append(TrendPoint(x, y, f"{labels[index]}: {shown[index]}"))
        pen_down = True
    zero_y = y_of(0.0) if bottom_value < 0 < top_value else None
    return TrendChart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        bottom_value,
        top_value,
        " ".join(parts),
        points,
        zero_y,
        labels[0] if labels else "",
        labels[-1] if labels else "",
    )
