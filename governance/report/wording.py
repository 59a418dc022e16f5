"""How a report speaks: fixed texts through a translation function, numbers and dates the
language's way.

The domain writes in English. Its fixed texts — indicator labels, phase and component
names, the titles below — are message ids: a :class:`Wording` translates them with the
``gettext`` it is given (the web layer passes the request language's catalog) and
leaves the rest (formulas, reasons, warning messages, what people typed) as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from babel import dates, numbers

from governance.assessments.schemas import SCORE_ANCHORS
from governance.diagnosis.indicator import SPECS, Kind, Scope
from governance.diagnosis.lifecycle import Status
from governance.report.parts import TITLES, Part
from governance.report.schemas import Verdict
from governance.vocab import ModelVariable

#: What each warning sign is called, above its message.
WARNING_TITLES: Mapping[str, str] = {
    "overdue_commitments": "Overdue commitments",
    "government_commitment_late": "A government commitment is late",
    "attendance_drop": "Attendance is falling",
    "trust_deficit": "Trust deficit",
    "alternative_venue": "Conflict taken to another venue",
    "no_small_win": "No recent small win",
    "transparency_lapse": "Minutes not circulated",
    "unaddressed_asymmetry": "Unaddressed asymmetry",
    "leadership_gap": "Leadership gap",
}

LIFECYCLE_NAMES: Mapping[Status, str] = {
    Status.ACTIVE: "Active",
    Status.DORMANT: "Dormant",
    Status.DECLINING: "Declining",
}

VERDICT_NAMES: Mapping[Verdict, str] = {
    Verdict.MET: "Met",
    Verdict.NOT_MET: "Not met",
    Verdict.UNKNOWN: "Unknown",
}

SCOPE_NAMES: Mapping[Scope, str] = {
    Scope.WINDOW: "over the window",
    Scope.TO_DATE: "up to the as-of date",
    Scope.PREHISTORY: "before the first meeting",
}

#: The agreement coefficients, as :mod:`governance.assessments.agreement` keys them.
STATISTIC_NAMES: Mapping[str, str] = {
    "kappa_quadratic": "Cohen's weighted kappa (quadratic)",
    "kappa_linear": "Cohen's weighted kappa (linear)",
    "alpha_ordinal": "Krippendorff's alpha (ordinal)",
    "alpha_interval": "Krippendorff's alpha (interval)",
    "alpha_nominal": "Krippendorff's alpha (nominal)",
}

NOT_ENOUGH_DATA = "not enough data"


def _same(message: str) -> str:
    return message


def _code_words(vocabulary: str, code: str) -> str:
    return code.replace("_", " ")


@dataclass(frozen=True)
class Wording:
    """Translate fixed texts and format values for one language (English by default).

    ``gettext`` translates a message id; ``vocabulary_label(vocabulary, code)`` gives
    the label of a code (``("sector", "civil_society")`` → "Civil society").

    Examples
    --------
    >>> say = Wording()
    >>> say("Trust deficit"), say.share(0.6111), say.balance(0.8275), say.number(1606)
    ('Trust deficit', '61%', '+0.83', '1,606')
    >>> Wording(locale="id").number(1234.5)
    '1.234,5'
    """

    gettext: Callable[[str], str] = _same
    vocabulary_label: Callable[[str, str], str] = _code_words
    locale: str = "en"

    def __call__(self, message: str, /, **params: object) -> str:
        """``message`` translated, its ``%(name)s`` placeholders filled from ``params``."""
        text = self.gettext(message)
        return text % params if params else text

    # -- numbers and dates ------------------------------------------------------------

    def number(self, value: float | int, digits: int | None = None) -> str:
        if digits is None:
            return numbers.format_decimal(value, locale=self.locale)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    def share(self, value: float) -> str:
        """A share of 0–1 in whole percent."""
        return numbers.format_percent(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """A percentage of 0–100 in whole percent."""
        return self.share(value / 100)

    def balance(self, value: float) -> str:
        """A signed balance with two decimals (+0.83)."""
        return numbers.format_decimal(value, format="+#,##0.00;-#,##0.00", locale=self.locale)

    def date(self, day: dt.date | None) -> str:
        return "" if day is None else dates.format_date(day, "medium", locale=self.locale)

    def period(self, start: dt.date, end: dt.date) -> str:
        return f"{self.date(start)} – {self.date(end)}"

    def value(self, kind: Kind, value: float | None) -> str:
        """An indicator's value as its kind reads: a share in percent, a flag as yes/no…"""
        if value is None:
            return self(NOT_ENOUGH_DATA)
        if kind is Kind.RATIO:
            return self.share(value)
        if kind is Kind.BALANCE:
            return self.balance(value)
        if kind is Kind.FLAG:
            return self("yes") if value >= 1 else self("no")
        if kind in (Kind.COUNT, Kind.DAYS):
            return self.number(round(value))
        return self.number(value, 2) if kind is Kind.GINI else self.number(round(value, 2))

    # -- fixed texts --------------------------------------------------------------------

    def label(self, vocabulary: str, code: object) -> str:
        return self.vocabulary_label(vocabulary, str(getattr(code, "value", code)))

    def variable(self, variable: ModelVariable | str) -> str:
        return self.label("model_variable", variable)

    def indicator(self, key: str, label: str) -> str:
        """An indicator's label; a family member's reads "Attendance share: Civil society"."""
        if key in SPECS:
            return self(SPECS[key].label)
        for spec in SPECS.values():
            if key.startswith(spec.key + "_"):
                part = key.removeprefix(spec.key + "_")
                return f"{self(spec.label)}: {self.label('sector', part)}"
        return label

    def scope(self, scope: Scope | str) -> str:
        return self(SCOPE_NAMES[Scope(scope)])

    def warning(self, key: str) -> str:
        return self(WARNING_TITLES.get(key, key.replace("_", " ").capitalize()))

    def lifecycle(self, status: Status | str) -> str:
        return self(LIFECYCLE_NAMES[Status(status)])

    def verdict(self, verdict: Verdict | str) -> str:
        return self(VERDICT_NAMES[Verdict(verdict)])

    def part(self, part: Part | str) -> str:
        return self(TITLES[Part(part)])

    def anchor(self, score: int) -> str:
        return self(SCORE_ANCHORS[score])

    def statistic(self, key: str) -> str:
        return self(STATISTIC_NAMES.get(key, key))
