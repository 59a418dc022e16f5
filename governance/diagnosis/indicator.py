"""What an indicator is: its specification (formula, source, model variable) and its result.

Each indicator function is documented by its :class:`Spec`: ``@SPEC.documents`` puts
the spec's formula and source into the function's docstring, and the function answers
with ``SPEC.measured(...)`` or ``SPEC.too_little(...)``, so the words a person reads in
the docs, the API and the pages are defined once, in the spec.

The label, the formula and the source are message ids (marked with ``N_`` where the
specs are defined), and so is what is missing when an indicator has no value: the pages
show them in the reader's language (see :mod:`governance.diagnosis.messages`).
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from governance.diagnosis.messages import N_, Message, text
from governance.diagnosis.sources import CITATIONS
from governance.vocab import ModelVariable

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Window:
    """The days an indicator looks at: ``start`` to ``end`` inclusive; ``end`` is the as-of date.

    Examples
    --------
    >>> w = Window.ending(dt.date(2022, 6, 30), 90)
    >>> w.start, w.days
    (datetime.date(2022, 4, 2), 90)
    >>> dt.date(2022, 4, 1) in w, dt.date(2022, 6, 30) in w
    (False, True)
    >>> w.previous().end
    datetime.date(2022, 4, 1)
    """

    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, as_of: dt.date, days: int) -> Window:
        """The ``days`` days up to and including ``as_of``."""
        if days < 1:
            raise ValueError(f"a window lasts at least one day, not {days}")
        return cls(as_of - dt.timedelta(days=days - 1), as_of)

    @property
    def as_of(self) -> dt.date:
        return self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def previous(self) -> Window:
        """The window of the same length that ends the day before this one starts."""
        return Window.ending(self.start - dt.timedelta(days=1), self.days)


class Scope(enum.StrEnum):
    """Which records an indicator looks at."""

    #: Records dated inside the window.
    WINDOW = "window"
    #: Everything recorded up to the as-of date.
    TO_DATE = "to_date"
    #: Records dated before the first held meeting.
    PREHISTORY = "prehistory"


class Kind(enum.StrEnum):
    """What sort of number an indicator gives, and so the range it lies in."""

    #: A share, 0 to 1.
    RATIO = "ratio"
    #: A signed balance, −1 to 1.
    BALANCE = "balance"
    #: 1 (yes) or 0 (no).
    FLAG = "flag"
    #: A whole number of things, 0 or more.
    COUNT = "count"
    #: Things per period, 0 or more.
    RATE = "rate"
    #: A number of days, 0 or more.
    DAYS = "days"
    #: A Gini coefficient, 0 to below 1.
    GINI = "gini"


#: Why an indicator has no value; ``missing`` says what data is missing.
TOO_LITTLE_DATA = N_("too little data: %(missing)s")


@dataclass(frozen=True)
class Indicator:
    """One computed indicator. ``value`` is None when there is too little data (see ``reason``)."""

    key: str
    label: str
    variable: ModelVariable
    kind: Kind
    scope: Scope
    formula: str
    #: The source's message id, naming the works it cites by placeholder.
    source_id: str
    value: float | None
    detail: Mapping[str, Any] = field(default_factory=dict)
    #: Why there is no value ("too little data: …"), as a message; None with a value.
    reason_message: Message | None = None

    @property
    def source(self) -> str:
        """The source in English, its works cited."""
        return self.source_id % CITATIONS

    @property
    def reason(self) -> str | None:
        """Why there is no value, in English; None with a value."""
        return None if self.reason_message is None else str(self.reason_message)

    @property
    def missing(self) -> Message | None:
        """What data is missing, without the "too little data" in front."""
        if self.reason_message is None:
            return None
        found = self.reason_message.params.get("missing")
        return found if isinstance(found, Message) else self.reason_message


#: Every indicator specification by key, in the order they were defined.
SPECS: dict[str, Spec] = {}


@dataclass(frozen=True)
class Spec:
    """An indicator's fixed description: the words shown to people, defined once.

    ``key`` may end in ``_<part>`` for a family (one indicator per sector):
    pass ``part`` to :meth:`measured` and :meth:`too_little`.
    """

    key: str
    label: str
    variable: ModelVariable
    kind: Kind
    scope: Scope
    formula: str
    #: A message id naming the works by placeholder (``%(ansell_gash)s, trust-building``).
    source_id: str

    @property
    def source(self) -> str:
        """The source in English, its works cited: "Ansell & Gash (2008), trust-building"."""
        return self.source_id % CITATIONS

    def __post_init__(self) -> None:
        if self.key in SPECS:
            raise ValueError(f"indicator {self.key!r} is defined twice")
        SPECS[self.key] = self

    def measured(self, value: float, *, part: str | None = None, **detail: Any) -> Indicator:
        """The indicator with a value, and the numbers behind it."""
        return self._result(float(value), part, detail, None)

    def too_little(
        self, missing: str | Message, *, part: str | None = None, **detail: Any
    ) -> Indicator:
        """The indicator without a value: ``missing`` (a message id marked with ``N_``, or a
        message) says what data is missing."""
        what = missing if isinstance(missing, Message) else text(missing)
        return self._result(None, part, detail, text(TOO_LITTLE_DATA, missing=what))

    def _result(
        self,
        value: float | None,
        part: str | None,
        detail: dict[str, Any],
        reason: Message | None,
    ) -> Indicator:
        key = self.key if part is None else f"{self.key}_{part}"
        label = self.label if part is None else f"{self.label}: {part.replace('_', ' ')}"
        return Indicator(
            key=key,
            label=label,
            variable=self.variable,
            kind=self.kind,
            scope=self.scope,
            formula=self.formula,
            source_id=self.source_id,
            value=value,
            detail=detail,
            reason_message=reason,
        )

    def documents(self, function: F) -> F:
        """Put the formula and the source into ``function``'s docstring, after its summary."""
        doc = inspect.cleandoc(function.__doc__ or self.label)
        summary, _, rest = doc.partition("\n\n")
        added = f"Formula: {self.formula}.\n\nSource: {self.source}."
        function.__doc__ = "\n\n".join(part for part in (summary, added, rest) if part)
        return function


def spec_for(key: str) -> tuple[Spec, str | None] | None:
    """The specification of an indicator key, and the family part it names (or None).

    Examples
    --------
    >>> import governance.diagnosis.indicators  # defines the specs
    >>> spec, part = spec_for("attendance_share_civil_society")
    >>> spec.key, part
    ('attendance_share', 'civil_society')
    >>> spec_for("regularity")[1], spec_for("no_such_indicator")
    (None, None)
    """
    if key in SPECS:
        return SPECS[key], None
    for spec in SPECS.values():
        if key.startswith(spec.key + "_"):
            return spec, key.removeprefix(spec.key + "_")
    return None
