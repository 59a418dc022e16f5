"""How a report speaks: fixed texts and the diagnosis' messages through a translation
function, numbers and dates the language's way.

The domain writes in English. Its fixed texts — indicator labels, formulas and sources,
phase and component names, the titles below — are message ids, and so are its
sentences (warning messages, reasons: :class:`governance.diagnosis.messages.Message`,
with typed parameters). A :class:`Wording` translates them with the ``gettext`` it is
given (the web layer passes the request language's catalog) and writes their numbers,
shares and dates as the language does; what people typed (names, titles) stays as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from babel import dates, numbers

from governance.assessments.schemas import SCORE_ANCHORS
from governance.diagnosis.indicator import Kind, Scope, spec_for
from governance.diagnosis.lifecycle import Status
from governance.diagnosis.messages import (
    N_,
    Day,
    Joined,
    Label,
    Message,
    Number,
    Param,
    Share,
)
from governance.diagnosis.sources import CITATIONS
from governance.report.parts import TITLES, Part
from governance.report.schemas import Verdict
from governance.vocab import ModelVariable

#: What each warning sign is called, above its message.
WARNING_TITLES: Mapping[str, str] = {
    "overdue_commitments": N_("Overdue commitments"),
    "government_commitment_late": N_("A government commitment is late"),
    "attendance_drop": N_("Attendance is falling"),
    "trust_deficit": N_("Trust deficit"),
    "alternative_venue": N_("Conflict taken to another venue"),
    "no_small_win": N_("No recent small win"),
    "transparency_lapse": N_("Minutes not circulated"),
    "unaddressed_asymmetry": N_("Unaddressed asymmetry"),
    "leadership_gap": N_("Leadership gap"),
}

LIFECYCLE_NAMES: Mapping[Status, str] = {
    Status.ACTIVE: N_("Active"),
    Status.DORMANT: N_("Dormant"),
    Status.DECLINING: N_("Declining"),
}

VERDICT_NAMES: Mapping[Verdict, str] = {
    Verdict.MET: N_("Met"),
    Verdict.NOT_MET: N_("Not met"),
    Verdict.UNKNOWN: N_("Unknown"),
}

SCOPE_NAMES: Mapping[Scope, str] = {
    Scope.WINDOW: N_("over the window"),
    Scope.TO_DATE: N_("up to the as-of date"),
    Scope.PREHISTORY: N_("before the first meeting"),
}

#: The agreement coefficients, as :mod:`governance.assessments.agreement` keys them.
STATISTIC_NAMES: Mapping[str, str] = {
    "kappa_quadratic": N_("Cohen's weighted kappa (quadratic)"),
    "kappa_linear": N_("Cohen's weighted kappa (linear)"),
    "alpha_ordinal": N_("Krippendorff's alpha (ordinal)"),
    "alpha_interval": N_("Krippendorff's alpha (interval)"),
    "alpha_nominal": N_("Krippendorff's alpha (nominal)"),
}

#: Why an agreement coefficient has no value, as :mod:`governance.assessments.agreement`
#: says it (its fixed messages, marked here for the catalog; tests check they match).
AGREEMENT_REASONS: frozenset[str] = frozenset(
    {
        N_("no unit was scored by both coders"),
        N_("both coders gave every unit the same score"),
        N_("no unit was coded by two or more coders"),
        N_("every coder gave the same value, so there is no variation"),
    }
)

NOT_ENOUGH_DATA = N_("not enough data")
#: How a flag indicator reads.
YES, NO = N_("yes"), N_("no")


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
            return self(YES) if value >= 1 else self(NO)
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
        found = spec_for(key)
        if found is None:
            return label
        spec, part = found
        if part is None:
            return self(spec.label)
        return f"{self(spec.label)}: {self.label('sector', part)}"

    def formula(self, key: str, formula: str) -> str:
        """An indicator's formula in words (``formula`` as given for an unknown key)."""
        found = spec_for(key)
        return formula if found is None else self(found[0].formula)

    def source(self, key: str, source: str) -> str:
        """An indicator's source, its works cited ("Ansell & Gash (2008), trust-building")."""
        found = spec_for(key)
        return source if found is None else self.gettext(found[0].source_id) % CITATIONS

    # -- the diagnosis' sentences -----------------------------------------------------

    def translates(self, text: str | None) -> bool:
        """Whether ``text``, a sentence from outside the diagnosis, is a message id we know."""
        return text in AGREEMENT_REASONS

    def text(self, message: Message | None) -> str:
        """A message in this language: its id translated, its parameters written our way.

        Examples
        --------
        >>> from governance.diagnosis.messages import N_, day, share, text
        >>> import datetime as dt
        >>> late = text(N_("%(ratio)s late since %(on)s"), ratio=share(0.667),
        ...             on=day(dt.date(2022, 6, 30)))
        >>> Wording().text(late), Wording(locale="id").text(late)
        ('67% late since Jun 30, 2022', '67% late since 30 Jun 2022')
        """
        if message is None:
            return ""
        translated = self.gettext(message.message_id)
        if not message.params:
            return translated
        return translated % {name: self.param(value) for name, value in message.params.items()}

    def param(self, value: Param) -> str:
        """One parameter of a message, as this language writes it."""
        if isinstance(value, str):
            return value
        if isinstance(value, int):
            return self.number(value)
        if isinstance(value, Share):
            return self.share(value.value)
        if isinstance(value, Number):
            return self._number(value)
        if isinstance(value, Day):
            return self.date(value.value)
        if isinstance(value, Label):
            return self.label(value.vocabulary, value.code)
        if isinstance(value, Joined):
            return value.separator.join(self.text(item) for item in value.items)
        return self.text(value)

    def _number(self, value: Number) -> str:
        decimals = "#" * 6 if value.digits is None else "0" * value.digits
        pattern = "#,##0" + ("." + decimals if decimals else "")
        if value.signed:
            pattern = f"+{pattern};-{pattern}"
        return numbers.format_decimal(value.value, format=pattern, locale=self.locale)

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
