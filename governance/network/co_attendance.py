"""How many held meetings each pair of stakeholders shared, counted with NumPy.

The co-attendance layer of a large case is its costliest part: 20,000 meetings of
about fifteen attendees each give two million (pair, meeting) incidences and over half
a million pairs. Counting them as Python dictionaries took most of a second; here the
pairs of the meetings of each size are formed as arrays at once, encoded as one integer
each (``first · base + second``) and counted by sorting (:func:`numpy.unique`). The
counts are the same integers either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.int64]


def _ids(values: Iterable[int] = ()) -> Ids:
    return np.fromiter(values, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class PairCounts:
    """Each pair of stakeholders (smaller id first) that shared a meeting, and how many.

    Three aligned arrays sorted by pair: ``first[i] < second[i]`` shared ``count[i]``
    meetings. Shared between computations: do not mutate.

    Examples
    --------
    >>> counts = count_pairs([[10, 20], [10, 20, 30]])
    >>> counts.pairs(1)
    [(10, 20, 2), (10, 30, 1), (20, 30, 1)]
    >>> counts.pairs(2), counts.strengths(1)
    ([(10, 20, 2)], Counter({1: 2, 2: 1}))
    >>> counts.shared([(10, 20), (10, 40), (20, 30)])
    [2, 0, 1]
    """

    first: Ids
    second: Ids
    count: Ids
    #: ``first · base + second`` for each pair, sorted: the pairs' keys for look-ups.
    codes: Ids
    base: int

    def __len__(self) -> int:
        return len(self.count)

    def _chosen(self, min_weight: float, kept: Collection[int] | None) -> npt.NDArray[np.bool_]:
        """Which pairs shared ``min_weight`` or more meetings, both ends in ``kept`` (any
        when None)."""
        chosen = self.count >= min_weight
        if kept is not None:
            wanted = _ids(kept)
            chosen &= np.isin(self.first, wanted) & np.isin(self.second, wanted)
        return chosen

    def pairs(
        self, min_weight: float, kept: Collection[int] | None = None
    ) -> list[tuple[int, int, int]]:
        """The pairs that shared ``min_weight`` or more meetings, both ends in ``kept``
        (anyone when None), with how many, in pair order (as Python ints)."""
        chosen = self._chosen(min_weight, kept)
        return list(
            zip(
                self.first[chosen].tolist(),
                self.second[chosen].tolist(),
                self.count[chosen].tolist(),
                strict=True,
            )
        )

    def strengths(self, min_weight: float, kept: Collection[int] | None = None) -> Counter[int]:
        """How many of those pairs shared each number of meetings."""
        weights, how_many = np.unique(
            self.count[self._chosen(min_weight, kept)], return_counts=True
        )
        return Counter(dict(zip(weights.tolist(), how_many.tolist(), strict=True)))

    def shared(self, pairs: Sequence[tuple[int, int]]) -> list[int]:
        """How many meetings each pair (smaller id first) shared; 0 when none."""
        if not pairs or not len(self.codes):
            return [0] * len(pairs)
        ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        inside = (ends[:, 1] < self.base) & (ends[:, 0] >= 0)
        wanted = ends[:, 0] * self.base + ends[:, 1]
        where = np.minimum(np.searchsorted(self.codes, wanted), len(self.codes) - 1)
        found = inside & (self.codes[where] == wanted)
        result: list[int] = np.where(found, self.count[where], 0).tolist()
        return result


def count_pairs(groups: Iterable[Sequence[int]]) -> PairCounts:
    """Count the pairs of each group of ids (each group sorted, without repeats).

    A pair counts once for every group holding both its ids: the weighted one-mode
    projection of a stakeholder–meeting graph, when the groups are the meetings'
    attendees.
    """
    by_size: dict[int, list[int]] = {}
    for group in groups:
        if len(group) > 1:
            found = by_size.get(len(group))
            if found is None:
                by_size[len(group)] = list(group)
            else:
                found.extend(group)
    base = 1 + max((max(ids) for ids in by_size.values()), default=0)
    encoded: list[Ids] = []
    for size, flat in by_size.items():
        rows = np.array(flat, dtype=np.int64).reshape(-1, size)
        left, right = np.triu_indices(size, 1)
        encoded.append((rows[:, left] * base + rows[:, right]).ravel())
    if not encoded:
        return PairCounts(_ids(), _ids(), _ids(), _ids(), base)
    codes, count = np.unique(np.concatenate(encoded), return_counts=True)
    return PairCounts(codes // base, codes % base, count.astype(np.int64), codes, base)
