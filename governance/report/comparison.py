"""Coded scores beside the records: the derived verdict on a variable, and when they disagree.

A researcher scores a variable 0–4 for a period; the diagnosis of the same period says
whether the variable's condition holds in the records (met), fails (not met) or cannot
be told (unknown). The two **disagree** when they point opposite ways: a high score
(3 or 4) where the records say "not met", or a low one (0 or 1) where they say "met".
A middling 2, or an unknown verdict, never disagrees. Scores are read as favourable
to collaboration: 4 = the condition is strongly present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from governance.cases.snapshot import CaseData
from governance.diagnosis.diagnose import Diagnosis, diagnose
from governance.diagnosis.messages import N_, Message, number, share, text
from governance.diagnosis.service import EARLIEST_AS_OF, LATEST_AS_OF
from governance.diagnosis.thresholds import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, Thresholds
from governance.report.schemas import CodedAssessment, Derived, Verdict
from governance.vocab import ModelVariable

#: A coded score at or above this is high: it says the condition is present.
HIGH_SCORE = 3
#: A coded score at or below this is low: it says the condition is absent.
LOW_SCORE = 1

DISAGREEMENT_RULE = (
    f"a coded score disagrees with the records when it is {HIGH_SCORE} or more while the "
    f"derived verdict is “not met”, or {LOW_SCORE} or less while it is “met”; a score in "
    "between, or an unknown verdict, never disagrees"
)
VERDICT_RULE = (
    "the derived verdict for a coded period comes from the diagnosis as of the period's "
    f"last day, its indicators taken over the period itself ({MIN_WINDOW_DAYS} to "
    f"{MAX_WINDOW_DAYS} days): the cycle's links (dialogue, trust, commitment, shared "
    "understanding, intermediate outcomes, outcomes) by their condition; prehistory by the "
    "sign of its balance; leadership, transparency, forum exclusiveness and asymmetry by "
    "their warning signs and indicators; the other variables are not judged"
)

Judge = Callable[[Diagnosis], tuple[Verdict, Message]]


def disagrees(score: int, verdict: Verdict) -> bool:
    """Whether a coded score and a derived verdict point opposite ways.

    Examples
    --------
    >>> disagrees(4, Verdict.NOT_MET), disagrees(1, Verdict.MET), disagrees(2, Verdict.MET)
    (True, True, False)
    >>> disagrees(0, Verdict.UNKNOWN)
    False
    """
    if verdict is Verdict.NOT_MET:
        return score >= HIGH_SCORE
    if verdict is Verdict.MET:
        return score <= LOW_SCORE
    return False


def verdict(diagnosis: Diagnosis, variable: ModelVariable) -> tuple[Verdict, Message]:
    """What the diagnosis says about ``variable``, and why (a message; ``str()`` is English)."""
    judge = _JUDGES.get(variable)
    if judge is None:
        return Verdict.UNKNOWN, text(N_("the records give no verdict on this variable"))
    return judge(diagnosis)


def period_diagnosis_key(start: dt.date, end: dt.date) -> tuple[dt.date, int]:
    """The as-of date and window of the diagnosis a coded period is compared with.

    Examples
    --------
    >>> period_diagnosis_key(dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    (datetime.date(2020, 3, 31), 91)
    >>> period_diagnosis_key(dt.date(2020, 3, 1), dt.date(2020, 3, 1))  # at least a week
    (datetime.date(2020, 3, 1), 7)
    """
    as_of = min(max(end, EARLIEST_AS_OF), LATEST_AS_OF)
    days = (end - start).days + 1
    return as_of, min(max(days, MIN_WINDOW_DAYS), MAX_WINDOW_DAYS)


def derived_for(
    case: CaseData,
    assessments: Iterable[CodedAssessment],
    thresholds: Thresholds | None = None,
) -> dict[int, Derived]:
    """The derived verdict for each assessment's variable over its period, by assessment id.

    One diagnosis per distinct period, whatever the number of coders.
    """
    found: dict[int, Derived] = {}
    diagnoses: dict[tuple[dt.date, int], Diagnosis] = {}
    for assessment in assessments:
        key = period_diagnosis_key(assessment.period_start, assessment.period_end)
        if key not in diagnoses:
            as_of, days = key
            diagnoses[key] = diagnose(case, as_of=as_of, window_days=days, thresholds=thresholds)
        diagnosis = diagnoses[key]
        said, reason = verdict(diagnosis, assessment.variable)
        found[assessment.id] = Derived(
            verdict=said,
            reason=str(reason),
            reason_id=reason.message_id,
            reason_params=dict(reason.params),
            as_of=diagnosis.as_of,
            window_start=diagnosis.window.start,
        )
    return found


# --- One judge per variable ----------------------------------------------------------------


def _component(key: str) -> Judge:
    """A link of the cycle: met when its condition holds; unknown without a score."""

    def judge(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
        part = next(c for c in diagnosis.components if c.key == key)
        if part.met:
            return Verdict.MET, part.reason_message
        if part.score is None:
            return Verdict.UNKNOWN, part.reason_message
        return Verdict.NOT_MET, part.reason_message

    return judge


def _warned(diagnosis: Diagnosis, key: str) -> Message | None:
    return next((w.text for w in diagnosis.warnings if w.key == key), None)


def _value(diagnosis: Diagnosis, key: str) -> float | None:
    try:
        return diagnosis.indicator(key).value
    except KeyError:
        return None


def _prehistory(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
    balance = _value(diagnosis, "prehistory_balance")
    if balance is None:
        return Verdict.UNKNOWN, text(
            N_("prehistory balance unknown: neither cooperation nor conflict")
        )
    if balance == 0:
        return Verdict.UNKNOWN, text(N_("prehistory balance 0: neither cooperation nor conflict"))
    said = number(balance, 2, signed=True)
    if balance > 0:
        return Verdict.MET, text(
            N_("prehistory balance %(balance)s: more cooperation than conflict"), balance=said
        )
    return Verdict.NOT_MET, text(
        N_("prehistory balance %(balance)s: more conflict than cooperation"), balance=said
    )


def _leadership(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
    gap = _warned(diagnosis, "leadership_gap")
    if gap is not None:
        return Verdict.NOT_MET, gap
    if _value(diagnosis, "facilitator_designated") == 1:
        return Verdict.MET, text(N_("a facilitator is designated and no leadership gap shows"))
    return Verdict.UNKNOWN, text(N_("no facilitator on record"))


def _transparency(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
    lapse = _warned(diagnosis, "transparency_lapse")
    if lapse is not None:
        return Verdict.NOT_MET, lapse
    on_time = _value(diagnosis, "minutes_on_time")
    if on_time is None:
        return Verdict.UNKNOWN, text(N_("no minutes were due in the period"))
    return Verdict.MET, text(
        N_("minutes circulated on time for %(share)s of meetings, no lapse warning"),
        share=share(on_time),
    )


def _exclusiveness(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
    escalation = _warned(diagnosis, "alternative_venue")
    if escalation is not None:
        return Verdict.NOT_MET, escalation
    return Verdict.MET, text(N_("no protest or alternative venue in the period"))


def _asymmetry(diagnosis: Diagnosis) -> tuple[Verdict, Message]:
    unaddressed = _warned(diagnosis, "unaddressed_asymmetry")
    if unaddressed is not None:
        return Verdict.NOT_MET, unaddressed
    gini = _value(diagnosis, "resource_asymmetry")
    limit = diagnosis.thresholds.asymmetry_high
    if gini is None:
        return Verdict.UNKNOWN, text(N_("resource asymmetry unknown"))
    if gini < limit:
        return Verdict.MET, text(
            N_("resource asymmetry (Gini %(gini)s) below %(limit)s"),
            gini=number(gini, 2),
            limit=number(limit, 2),
        )
    return Verdict.UNKNOWN, text(
        N_("high asymmetry (Gini %(gini)s) with empowerment actions recorded"),
        gini=number(gini, 2),
    )


_JUDGES: Mapping[ModelVariable, Judge] = {
    ModelVariable.PREHISTORY: _prehistory,
    ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY: _asymmetry,
    ModelVariable.FORUM_EXCLUSIVENESS: _exclusiveness,
    ModelVariable.PROCESS_TRANSPARENCY: _transparency,
    ModelVariable.FACILITATIVE_LEADERSHIP: _leadership,
    ModelVariable.FACE_TO_FACE_DIALOGUE: _component("dialogue"),
    ModelVariable.TRUST_BUILDING: _component("trust"),
    ModelVariable.COMMITMENT_TO_PROCESS: _component("commitment"),
    ModelVariable.SHARED_UNDERSTANDING: _component("shared_understanding"),
    ModelVariable.INTERMEDIATE_OUTCOMES: _component("intermediate_outcomes"),
    ModelVariable.OUTCOMES: _component("outcomes"),
}

#: The variables the records give a verdict on.
JUDGED: frozenset[ModelVariable] = frozenset(_JUDGES)
