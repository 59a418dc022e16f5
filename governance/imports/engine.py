"""The machinery every kind of import shares: reading a row's cells, reporting problems
by row and column, and writing through a service inside a savepoint.

A kind's handler (``governance/imports/kinds_*.py``) reads each row through
:class:`Cells`, which records a problem for every cell it cannot read, and writes
what it read through the concept's service with :meth:`Context.attempt`, which turns
the service's refusal into problems on the row's columns and undoes the row's writes.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.errors import Invalid
from governance.imports import parsing
from governance.imports.columns import ColumnMapping, ImportKind
from governance.imports.matching import Ambiguous, StakeholderIndex
from governance.imports.messages import N_, Message, message_of, rule, text
from governance.imports.reading import Row
from governance.imports.report import Action, ImportReport, Problem, RowResult
from governance.imports.words import SYNONYMS

T = TypeVar("T")
REQUIRED = N_("is required")


@dataclass
class Context:
    """One import under way: where it writes, who writes, and what it has found so far."""

    session: Session
    actor: Actor
    kind: ImportKind
    collaboration_id: int | None
    meeting_id: int | None
    timezone: dt.tzinfo
    index: StakeholderIndex
    mapping: ColumnMapping
    report: ImportReport
    #: Natural keys met in this file → the first row that had it.
    seen: dict[Hashable, int] = field(default_factory=dict)

    def column(self, name: str | None) -> str | None:
        """The file's header for a field (the field's own name when no column feeds it)."""
        return None if name is None else self.mapping.header(name)

    def problem(self, row: int | None, name: str | None, message: Message, **extra: Any) -> None:
        self.report.problems.append(Problem(row, self.column(name), message, **extra))

    def result(
        self,
        row: int,
        action: Action,
        record_type: str,
        summary: Message,
        record_id: int | None = None,
    ) -> None:
        self.report.rows.append(RowResult(row, action, record_type, summary, record_id))

    def repeated(self, key: Hashable, row: int) -> int | None:
        """The earlier row of this file with the same natural key, if any; remembers ``row``."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = row
        return earlier

    def attempt(
        self,
        row: int,
        write: Callable[[], T],
        fields: Mapping[str, str] | None = None,
        locate: Callable[[str], tuple[int, str] | None] | None = None,
    ) -> T | None:
        """Run ``write`` in a savepoint; on refusal undo it, report each field, answer None.

        ``fields`` translates the service's field names (``owner_id``) to the import's
        (``owner``), so the problem names the column the person sees; ``locate`` may
        instead name another row and field (an attendee's row of a meeting).
        """
        savepoint = self.session.begin_nested()
        try:
            value = write()
        except Invalid as error:
            savepoint.rollback()
            for name, message in error.errors.items():
                self._refused(row, name, rule(message), fields, locate)
            return None
        except ValidationError as error:
            savepoint.rollback()
            for item in error.errors():
                message = str(item["msg"]).removeprefix("Value error, ")
                self._refused(row, _loc_name(item["loc"]), rule(message), fields, locate)
            return None
        savepoint.commit()
        return value

    def _refused(
        self,
        row: int,
        name: str,
        message: Message,
        fields: Mapping[str, str] | None,
        locate: Callable[[str], tuple[int, str] | None] | None,
    ) -> None:
        located = locate(name) if locate is not None else None
        if located is not None:
            self.problem(located[0], located[1], message)
        else:
            self.problem(row, (fields or {}).get(name, name), message)

    def create(
        self,
        row: int,
        write: Callable[..., T],
        schema: type[BaseModel],
        values: Mapping[str, Any],
        fields: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> T | None:
        """Validate ``values`` with ``schema`` and hand them to a service's ``write``
        (``create(session, data=..., actor=..., **arguments)``), as :meth:`attempt`."""
        return self.attempt(
            row,
            lambda: write(
                self.session,
                data=schema.model_validate(dict(values)),
                actor=self.actor,
                **arguments,
            ),
            fields,
        )


def _loc_name(loc: tuple[int | str, ...]) -> str:
    """``("attendance", 0, "stakeholder_id")`` → ``"attendance[0].stakeholder_id"``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


class Cells:
    """The cells of one row, read by field name; each unreadable cell becomes a problem."""

    def __init__(self, context: Context, row: Row) -> None:
        self.context = context
        self.number = row.number
        self._cells = row.cells
        self._problems_before = len(context.report.problems)

    @property
    def ok(self) -> bool:
        """Whether every cell read so far was readable."""
        return len(self.context.report.problems) == self._problems_before

    def text(self, name: str) -> str:
        index = self.context.mapping.index(name)
        if index is None or index >= len(self._cells):
            return ""
        return self._cells[index].strip()

    def has(self, name: str) -> bool:
        return self.context.mapping.index(name) is not None

    def problem(self, name: str | None, message: Message, **extra: Any) -> None:
        self.context.problem(self.number, name, message, **extra)

    def value(
        self,
        name: str,
        parse: Callable[[str], T],
        *,
        required: bool = False,
        default: T | None = None,
    ) -> T | None:
        """The cell read by ``parse``; ``default`` when blank (a problem if required)."""
        cell = self.text(name)
        if not cell:
            if required:
                self.problem(name, text(REQUIRED))
            return default
        try:
            return parse(cell)
        except ValueError as error:
            self.problem(name, message_of(error))
            return default

    def required_text(self, name: str) -> str:
        cell = self.text(name)
        if not cell:
            self.problem(name, text(REQUIRED))
        return cell

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        return self.value(name, parsing.parse_date, required=required)

    def code(self, name: str, vocabulary: type[enum.StrEnum], words: str, default: Any) -> Any:
        """A vocabulary code; ``default`` when blank (None: the cell is required)."""
        found = self.value(
            name,
            lambda cell: parsing.parse_code(cell, vocabulary, SYNONYMS.get(words, {})),
            required=default is None,
        )
        return vocabulary(found) if found is not None else default

    def flag(self, name: str, *, default: bool) -> bool:
        found = self.value(name, parsing.parse_bool)
        return default if found is None else found

    def stakeholder(self, name: str, *, required: bool = False) -> int | None:
        """The id of the stakeholder the cell names (matched by name or alias)."""
        cell = self.text(name)
        if not cell:
            if required:
                self.problem(name, text(REQUIRED))
            return None
        try:
            return self.context.index.resolve(cell)
        except Ambiguous as error:
            self.problem(name, error.message, value=cell, candidates=tuple(error.candidates))
        except ValueError as error:
            self.problem(name, message_of(error))
        return None

    def label(self, stakeholder_id: int | None) -> str:
        if stakeholder_id is None:
            return ""
        return self.context.index.labels.get(stakeholder_id, str(stakeholder_id))
