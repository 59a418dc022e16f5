"""Finding the stakeholder a spreadsheet means by a name it writes.

Names are compared folded (case and accents ignored, NFKD, spaces collapsed), first
against registered names, then against aliases. A name that fits several
stakeholders is ambiguous: the import reports the candidates and the person chooses
(``choices``: folded name → stakeholder id). A name that fits none is unknown, with
the closest registered names offered as a hint.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.records import fold
from governance.stakeholders.models import Stakeholder


def name_key(text: str) -> str:
    """A name as compared: folded, single spaces.

    >>> name_key("  Dinas  SOSIAL ") == name_key("dinas sosial")
    True
    """
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str


class Ambiguous(ValueError):
    """The name fits several stakeholders; the person must choose one."""

    def __init__(self, text: str, candidates: list[Candidate]) -> None:
        listed = "; ".join(f"{c.name} (id {c.id})" for c in candidates)
        super().__init__(f"{text!r} fits several stakeholders: {listed}; choose one")
        self.text = text
        self.candidates = candidates


@dataclass
class StakeholderIndex:
    """Every live stakeholder by folded name and by folded alias."""

    names: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[int, str] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, *, choices: dict[str, int] | None = None) -> StakeholderIndex:
        index = cls(choices={name_key(k): v for k, v in (choices or {}).items()})
        rows = session.execute(
            select(Stakeholder.id, Stakeholder.name, Stakeholder.aliases).where(
                Stakeholder.deleted_at.is_(None)
            )
        )
        for row in rows:
            index.add(row.id, row.name, row.aliases or [])
        return index

    def add(self, stakeholder_id: int, name: str, aliases: list[str]) -> None:
        self.labels[stakeholder_id] = name
        self.names[name_key(name)].add(stakeholder_id)
        for alias in aliases:
            self.aliases[name_key(alias)].add(stakeholder_id)

    def known(self, text: str) -> set[int]:
        """Every stakeholder whose name, else alias, is ``text``."""
        key = name_key(text)
        return set(self.names.get(key) or self.aliases.get(key) or ())

    def resolve(self, text: str) -> int:
        """The id of the stakeholder ``text`` names; ``Ambiguous`` or ``ValueError`` else."""
        key = name_key(text)
        found = self.known(text)
        if key in self.choices:
            chosen = self.choices[key]
            if chosen not in self.labels:
                raise ValueError(
                    f"the stakeholder chosen for {text!r} (id {chosen}) does not exist"
                )
            return chosen
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise Ambiguous(text, self.candidates(found))
        raise ValueError(self._unknown(text))

    def candidates(self, ids: set[int]) -> list[Candidate]:
        return sorted(
            (Candidate(i, self.labels[i]) for i in ids), key=lambda c: (name_key(c.name), c.id)
        )

    def _unknown(self, text: str) -> str:
        words = list(self.names) + list(self.aliases)
        close = difflib.get_close_matches(name_key(text), words, n=3, cutoff=0.75)
        hint = ""
        if close:
            named = []
            for word in close:
                for i in sorted(self.names.get(word) or self.aliases.get(word) or ()):
                    if self.labels[i] not in named:
                        named.append(self.labels[i])
            hint = f"; did you mean {' or '.join(repr(n) for n in named[:3])}?"
        return f"no stakeholder is registered as {text!r}{hint}"
