"""What an import tells the person: each row's fate and every problem by row and column.

Problems and row summaries are :class:`~governance.imports.messages.Message` s, so a
page can show them in its language; ``message`` and ``summary`` are their English.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from governance.imports.matching import Candidate
from governance.imports.messages import Message


class Action(enum.StrEnum):
    ADD = "add"
    UPDATE = "update"
    SKIP = "skip"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """Something to fix. ``row`` is the spreadsheet's row number (the header is row 1),
    None for the file as a whole; ``column`` is the file's header."""

    row: int | None
    column: str | None
    text: Message
    #: For an ambiguous stakeholder name: the name as written and who it may be.
    value: str = ""
    candidates: tuple[Candidate, ...] = ()

    @property
    def message(self) -> str:
        """The problem in English."""
        return str(self.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_id": self.text.message_id,
            "params": self.text.model_dump(mode="json")["params"],
            "value": self.value,
            "candidates": [{"id": c.id, "name": c.name} for c in self.candidates],
        }

    def line(self) -> str:
        """``row 7, column 'Nama': no stakeholder is registered as 'SPRl'``."""
        where = [f"row {self.row}" if self.row is not None else "file"]
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class RowResult:
    row: int
    action: Action
    record_type: str
    text: Message
    record_id: int | None = None

    @property
    def summary(self) -> str:
        """What the row is, in English."""
        return str(self.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action.value,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "summary": self.summary,
        }


@dataclass
class ImportReport:
    kind: str
    collaboration_id: int | None
    dry_run: bool
    #: How the file was read, in English (``source_text`` is the same as a message).
    source: str = ""
    source_text: Message | None = None
    #: The file's headers and the field each feeds (None: not used).
    mapping: dict[str, str | None] = field(default_factory=dict)
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Whether the records were written (False on a dry run or when anything was wrong).
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action is action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in Action}

    def ambiguous(self) -> dict[str, tuple[Candidate, ...]]:
        """Each ambiguous name (as first written) and its candidates, once."""
        found: dict[str, tuple[Candidate, ...]] = {}
        for problem in self.problems:
            if problem.candidates and problem.value not in found:
                found[problem.value] = problem.candidates
        return found

    def summary(self) -> str:
        counts = self.counts
        verb = "would add" if self.dry_run or not self.written else "added"
        head = f"{self.kind}: {verb} {counts['add']}"
        if counts["update"]:
            head += f", {'would update' if verb == 'would add' else 'updated'} {counts['update']}"
        head += f", {counts['skip']} already there"
        if self.problems:
            head += f"; {len(self.problems)} problem(s), nothing written"
        return head

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "collaboration_id": self.collaboration_id,
            "dry_run": self.dry_run,
            "written": self.written,
            "source": self.source,
            "mapping": self.mapping,
            "counts": self.counts,
            "rows": [row.to_json() for row in self.rows],
            "problems": [problem.to_json() for problem in self.problems],
        }
