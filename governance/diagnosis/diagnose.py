"""The diagnosis: the highest phase of the Ansell & Gash cycle reached, the bottleneck,
the turns of the virtuous cycle, the life cycle and the warning signs, as of a date.

The process is a cycle, not a line (Ansell & Gash 2008), so a phase is
reached when its own condition holds, whether or not every earlier link is still
strong; the bottleneck names the weakest of those earlier links. Only P0 is a gate:
without a held meeting there is no collaborative process at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from governance.cases.snapshot import CaseData
from governance.diagnosis import cycle, facts, indicators, lifecycle, warning_signs
from governance.diagnosis.indicator import Indicator, Window
from governance.diagnosis.thresholds import DEFAULT_WINDOW_DAYS, Thresholds
from governance.vocab import DecisionKind, ModelVariable, OutcomeLevel

#: Phase number → name.
PHASES: dict[int, str] = {
    0: "No meetings",
    1: "Engagement",
    2: "Trust-building",
    3: "Commitment",
    4: "Shared understanding",
    5: "Intermediate outcomes",
    6: "Outcomes / institutionalised",
}


@dataclass(frozen=True)
class Phase:
    number: int
    reason: str

    @property
    def code(self) -> str:
        return f"P{self.number}"

    @property
    def name(self) -> str:
        return PHASES[self.number]


@dataclass(frozen=True)
class Component:
    """One link of the cycle: whether its phase's condition holds, and how strong it is (0–1)."""

    key: str
    name: str
    phase: int
    variable: ModelVariable
    met: bool
    score: float | None
    reason: str


@dataclass(frozen=True)
class Diagnosis:
    collaboration_id: int
    as_of: dt.date
    window: Window
    phase: Phase
    components: tuple[Component, ...]
    bottleneck: Component | None
    bottleneck_reason: str
    turns: tuple[cycle.Turn, ...]
    lifecycle: lifecycle.Lifecycle
    indicators: tuple[Indicator, ...]
    warnings: tuple[warning_signs.WarningSign, ...]
    thresholds: Thresholds

    def indicator(self, key: str) -> Indicator:
        """The indicator with this key (``KeyError`` when there is none)."""
        for found in self.indicators:
            if found.key == key:
                return found
        raise KeyError(key)


def diagnose(
    case: CaseData,
    *,
    as_of: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    thresholds: Thresholds | None = None,
) -> Diagnosis:
    """Where ``case`` stands as of ``as_of``, its indicators taken over ``window_days``."""
    thresholds = thresholds or Thresholds()
    window = Window.ending(as_of, window_days)
    found = indicators.compute(case, window, thresholds)
    by_key = {i.key: i for i in found}
    parts = components(case, by_key, as_of, thresholds)
    phase = phase_reached(case, parts, as_of)
    weakest, why = bottleneck(parts, phase.number)
    previous = {i.key: i for i in indicators.compute(case, window.previous(), thresholds)}
    context = warning_signs.Context(
        indicators=by_key,
        previous=previous,
        window=window,
        thresholds=thresholds,
        first_meeting=facts.first_meeting_day(case.meetings, as_of),
    )
    return Diagnosis(
        collaboration_id=case.collaboration_id,
        as_of=as_of,
        window=window,
        phase=phase,
        components=tuple(parts),
        bottleneck=weakest,
        bottleneck_reason=why,
        turns=tuple(cycle.turns(case.outcomes, case.commitments, as_of)),
        lifecycle=lifecycle.lifecycle(case.meetings, case.commitments, window, thresholds),
        indicators=tuple(found),
        warnings=tuple(warning_signs.warnings(context)),
        thresholds=thresholds,
    )


def components(
    case: CaseData,
    by_key: Mapping[str, Indicator],
    as_of: dt.date,
    thresholds: Thresholds,
) -> list[Component]:
    """The links of the cycle, P2 to P6, judged from the indicators."""
    return [
        _dialogue(by_key["regularity"], thresholds),
        _trust(by_key["net_trust_balance"], thresholds),
        _commitment(case, by_key["on_time_fulfilment"], as_of, thresholds),
        _shared_understanding(by_key["shared_statement"]),
        _intermediate_outcomes(by_key["days_since_small_win"], thresholds),
        _outcomes(case, by_key["outcome_progress"], as_of),
    ]


def phase_reached(case: CaseData, parts: Sequence[Component], as_of: dt.date) -> Phase:
    """P0 without a held meeting; else the highest phase whose own condition holds (P1 at least).

    The trust component does not gate a phase: P2 is regular meetings, "trust still low
    or unknown".
    """
    first = facts.first_meeting_day(case.meetings, as_of)
    if first is None:
        return Phase(0, "no meeting has been held up to the as-of date")
    reached = [c for c in parts if c.met and c.key != "trust"]
    if not reached:
        return Phase(
            1,
            f"the parties have met (first on {first.isoformat()}), but meetings are not "
            "regular yet",
        )
    top = max(reached, key=lambda c: c.phase)
    return Phase(top.phase, top.reason)


def bottleneck(parts: Sequence[Component], phase: int) -> tuple[Component | None, str]:
    """The weakest link up to the phase reached, and why it was chosen.

    Among the components of phases up to ``phase``, an unmet one comes first, the lowest
    score first (a known score before an unknown one). When all of them are met, the
    weakest unmet component of the next phase is what holds the collaboration back (the
    dialogue of P2 for P0 and P1); at P6 with every component met, the lowest-scoring one
    is named.
    """
    upto = [c for c in parts if c.phase <= phase]
    unmet = [c for c in upto if not c.met]
    if unmet:
        return _weakest(unmet), "the weakest unmet link up to the phase reached"
    later = [c for c in parts if c.phase > phase and not c.met]
    following = [c for c in later if c.phase == min(c.phase for c in later)]
    if following:
        return _weakest(following), "what stands between the phase reached and the next"
    if upto:
        return _weakest(upto), "every link is met; this one scores lowest"
    return None, "no component to judge"


def _weakest(candidates: Sequence[Component]) -> Component:
    return min(
        candidates,
        key=lambda c: (c.score is None, c.score if c.score is not None else 0.0, c.phase),
    )


def _unknown(indicator: Indicator) -> str:
    return (indicator.reason or "no value").removeprefix("too little data: ")


def _dialogue(regularity: Indicator, thresholds: Thresholds) -> Component:
    value, limit = regularity.value, thresholds.regularity_min
    if value is None:
        met, reason = False, f"regular meetings not shown: {_unknown(regularity)}"
    elif value >= limit:
        met, reason = True, f"meetings are regular: regularity {value:.2f} ≥ {limit:g}"
    else:
        met, reason = False, f"meetings are irregular: regularity {value:.2f} < {limit:g}"
    return Component(
        "dialogue",
        "Face-to-face dialogue",
        2,
        ModelVariable.FACE_TO_FACE_DIALOGUE,
        met,
        value,
        reason,
    )


def _trust(balance: Indicator, thresholds: Thresholds) -> Component:
    value, limit = balance.value, thresholds.trust_balance_min
    if value is None:
        met, score, reason = False, None, f"trust unknown: {_unknown(balance)}"
    else:
        met, score = value >= limit, (value + 1) / 2
        relation = "≥" if met else "<"
        reason = f"net trust balance {value:+.2f} {relation} {limit:+g}"
    return Component("trust", "Trust-building", 2, ModelVariable.TRUST_BUILDING, met, score, reason)


def _commitment(
    case: CaseData, fulfilment: Indicator, as_of: dt.date, thresholds: Thresholds
) -> Component:
    made = [c for c in case.commitments if c.made_on <= as_of and c.owner_id in case.stakeholders]
    state = sum(1 for c in made if case.stakeholders[c.owner_id].is_state)
    non_state = len(made) - state
    value, limit = fulfilment.value, thresholds.fulfilment_min
    problems = []
    if value is None:
        problems.append(f"on-time fulfilment unknown: {_unknown(fulfilment)}")
    elif value < limit:
        problems.append(f"on-time fulfilment {value:.0%} < {limit:.0%}")
    if not state or not non_state:
        problems.append(
            f"commitments so far: {state} by the state side, {non_state} by the non-state side"
        )
    if problems:
        met, reason = False, "; ".join(problems)
    else:
        met = True
        reason = (
            f"on-time fulfilment {value:.0%} ≥ {limit:.0%}; both sides have made commitments "
            f"({state} state, {non_state} non-state)"
        )
    return Component(
        "commitment",
        "Commitment to the process",
        3,
        ModelVariable.COMMITMENT_TO_PROCESS,
        met,
        value,
        reason,
    )


def _shared_understanding(statement: Indicator) -> Component:
    met = statement.value == 1
    on = statement.detail.get("decided_on")
    reason = (
        f"a jointly endorsed statement was recorded on {on}"
        if met
        else "no jointly endorsed mission or problem statement recorded"
    )
    return Component(
        "shared_understanding",
        "Shared understanding",
        4,
        ModelVariable.SHARED_UNDERSTANDING,
        met,
        statement.value,
        reason,
    )


def _intermediate_outcomes(days_since: Indicator, thresholds: Thresholds) -> Component:
    days, recent = days_since.value, thresholds.small_win_recent_days
    if days is None:
        met, score, reason = False, None, _unknown(days_since)
    else:
        met, score = days <= recent, max(0.0, 1 - days / recent)
        last = days_since.detail.get("last_on")
        reason = (
            f"a small win {days:g} days ago ({last}), within {recent:g} days"
            if met
            else f"the last small win was {days:g} days ago ({last}), more than {recent:g}"
        )
    return Component(
        "intermediate_outcomes",
        "Intermediate outcomes",
        5,
        ModelVariable.INTERMEDIATE_OUTCOMES,
        met,
        score,
        reason,
    )


def _outcomes(case: CaseData, progress: Indicator, as_of: dt.date) -> Component:
    measured = sorted(
        o.title
        for o in case.outcomes
        if o.level is OutcomeLevel.OUTCOME and any(m.measured_on <= as_of for m in o.measurements)
    )
    formal = sorted(
        d.decided_on
        for d in case.decisions
        if d.kind is DecisionKind.FORMALISATION and d.decided_on <= as_of
    )
    problems = []
    if not measured:
        problems.append("no final outcome measured")
    if not formal:
        problems.append("no formalising decision recorded")
    if problems:
        met, reason = False, "; ".join(problems)
    else:
        met = True
        reason = (
            f"final outcome measured ({', '.join(measured)}) and a formalising decision taken "
            f"on {formal[0].isoformat()}"
        )
    return Component(
        "outcomes",
        "Outcomes / institutionalisation",
        6,
        ModelVariable.OUTCOMES,
        met,
        progress.value,
        reason,
    )
