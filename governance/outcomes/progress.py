"""How far an outcome has come: pure functions over plain numbers, no database.

DESIGN.md: "progress = (latest − baseline) / (target − baseline), clamped to 0–100 %";
a parent outcome's progress is "the weighted mean of the children".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeNode:
    """What the roll-up needs of one outcome.

    ``latest`` is the value of its latest measurement, ``None`` when unmeasured;
    ``parent_id`` may name an outcome that is not among the nodes (a deleted parent),
    and the node is then a root.
    """

    id: int
    parent_id: int | None
    weight: float
    baseline: float
    target: float
    latest: float | None


def leaf_progress(baseline: float, target: float, latest: float | None) -> float:
    """Progress of a measured outcome, in percent.

    progress = (latest − baseline) / (target − baseline), clamped to 0–100 %
    (DESIGN.md, "Outcome"). The formula also serves decreasing targets (cutting
    exclusion errors from 100 to 20): both differences are then negative.

    Parameters
    ----------
    baseline, target : float
        Where the outcome started and where it should get to; they must differ.
    latest : float or None
        The latest measured value; ``None`` when nothing was measured yet.

    Returns
    -------
    float
        0.0 to 100.0; 0.0 when unmeasured.

    Raises
    ------
    ValueError
        When ``target`` equals ``baseline``: there is no distance to cover.

    Examples
    --------
    >>> leaf_progress(0, 1000, 250)
    25.0
    >>> leaf_progress(100, 20, 60)  # a decreasing target, halfway there
    50.0
    >>> leaf_progress(0, 1000, 1500), leaf_progress(0, 1000, -10)
    (100.0, 0.0)
    >>> leaf_progress(0, 1000, None)
    0.0
    """
    if target == baseline:
        raise ValueError(f"target equals baseline ({baseline}); progress is undefined")
    if latest is None:
        return 0.0
    share = (latest - baseline) / (target - baseline)
    return min(max(share, 0.0), 1.0) * 100.0


def rolled_up(outcomes: Iterable[OutcomeNode]) -> dict[int, float]:
    """Every outcome's progress in percent, parents rolled up from their children.

    A leaf's progress is :func:`leaf_progress` of its latest measurement; a parent's
    is the weighted mean of its children's progress, Σ wᵢ·pᵢ / Σ wᵢ (DESIGN.md:
    "parent: the weighted mean of the children"), recursively. A parent's own
    measurements do not count. Pass only live outcomes: a child left out does not count.

    Parameters
    ----------
    outcomes : iterable of OutcomeNode
        The outcomes of one or more trees.

    Returns
    -------
    dict
        Outcome id → progress, 0.0 to 100.0.

    Raises
    ------
    ValueError
        When the parent links form a cycle, or an outcome's target equals its baseline.

    Examples
    --------
    >>> tree = [
    ...     OutcomeNode(1, None, 1.0, 0, 100, None),
    ...     OutcomeNode(2, 1, 3.0, 0, 100, 80),  # 80 %
    ...     OutcomeNode(3, 1, 1.0, 10, 0, 5),  # decreasing target: 50 %
    ... ]
    >>> rolled_up(tree)[1]  # (3 × 80 + 1 × 50) / (3 + 1)
    72.5
    """
    nodes = {node.id: node for node in outcomes}
    children: dict[int, list[OutcomeNode]] = defaultdict(list)
    for node in nodes.values():
        if node.parent_id is not None and node.parent_id in nodes:
            children[node.parent_id].append(node)

    progress: dict[int, float] = {}
    visiting: set[int] = set()

    def of(node: OutcomeNode) -> float:
        if node.id in progress:
            return progress[node.id]
        if node.id in visiting:
            raise ValueError(f"outcome {node.id} is its own ancestor")
        visiting.add(node.id)
        kids = children.get(node.id)
        if kids:
            total = sum(kid.weight for kid in kids)
            mean = sum(kid.weight * of(kid) for kid in kids) / total
            value = min(max(mean, 0.0), 100.0)  # rounding must not leave the scale
        else:
            value = leaf_progress(node.baseline, node.target, node.latest)
        visiting.discard(node.id)
        progress[node.id] = value
        return value

    for node in nodes.values():
        of(node)
    return progress
