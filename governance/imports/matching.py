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

from governance.imports.messages import N_, Message, Unreadable, text
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


#: "did you mean …?" with one, two or three registered names close to the one written.
DID_YOU_MEAN = (
    N_("no stakeholder is registered as %(text)r; did you mean %(first)r?"),
    N_("no stakeholder is registered as %(text)r; did you mean %(first)r or %(second)r?"),
    N_(
        "no stakeholder is registered as %(text)r; "
        "did you mean %(first)r or %(second)r or %(third)r?"
    ),
)


class Ambiguous(Unreadable):
    """The name fits several stakeholders; the person must choose one."""

    def __init__(self, written: str, candidates: list[Candidate]) -> None:
        listed = "; ".join(f"{c.name} (id {c.id})" for c in candidates)
        super().__init__(
            text(
                N_("%(text)r fits several stakeholders: %(candidates)s; choose one"),
                text=written,
                candidates=listed,
            )
        )
        self.text = written
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

    def resolve(self, written: str) -> int:
        """The id of the stakeholder ``written`` names; ``Ambiguous`` or ``Unreadable`` else."""
        key = name_key(written)
        found = self.known(written)
        if key in self.choices:
            chosen = self.choices[key]
            if chosen not in self.labels:
                raise Unreadable(
                    text(
                        N_("the stakeholder chosen for %(text)r (id %(id)s) does not exist"),
                        text=written,
                        id=str(chosen),
                    )
                )
            return chosen
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise Ambiguous(written, self.candidates(found))
        raise Unreadable(self._unknown(written))

    def candidates(self, ids: set[int]) -> list[Candidate]:
        return sorted(
            (Candidate(i, self.labels[i]) for i in ids), key=lambda c: (name_key(c.name), c.id)
        )

    def _unknown(self, written: str) -> Message:
        words = list(self.names) + list(self.aliases)
        close = difflib.get_close_matches(name_key(written), words, n=3, cutoff=0.75)
        named: list[str] = []
        for word in close:
            for i in sorted(self.names.get(word) or self.aliases.get(word) or ()):
                if self.labels[i] not in named:
                    named.append(self.labels[i])
        if not named:
            return text(N_("no stakeholder is registered as %(text)r"), text=written)
        shown = named[:3]
        places = dict(zip(("first", "second", "third"), shown, strict=False))
        return text(DID_YOU_MEAN[len(shown) - 1], text=written, **places)
