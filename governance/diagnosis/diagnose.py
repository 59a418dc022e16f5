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

from governance.cases.snapshot import CaseData, cycle_collector_paused
from governance.diagnosis import cycle, facts, indicators, lifecycle, warning_signs
from governance.diagnosis.indicator import Indicator, Window
from governance.diagnosis.messages import N_, Message, all_of, day, number, share, text
from governance.diagnosis.thresholds import DEFAULT_WINDOW_DAYS, Thresholds
from governance.vocab import DecisionKind, ModelVariable, OutcomeLevel

#: Phase number → name (message ids).
PHASES: dict[int, str] = {
    0: N_("No meetings"),
    1: N_("Engagement"),
    2: N_("Trust-building"),
    3: N_("Commitment"),
    4: N_("Shared understanding"),
    5: N_("Intermediate outcomes"),
    6: N_("Outcomes / institutionalised"),
}

#: Each link of the cycle's name (message ids), by key.
COMPONENT_NAMES: dict[str, str] = {
    "dialogue": N_("Face-to-face dialogue"),
    "trust": N_("Trust-building"),
    "commitment": N_("Commitment to the process"),
    "shared_understanding": N_("Shared understanding"),
    "intermediate_outcomes": N_("Intermediate outcomes"),
    "outcomes": N_("Outcomes / institutionalisation"),
}

#: Why the bottleneck was chosen, one message per rule of :func:`bottleneck`.
BOTTLENECK_RULES: dict[str, str] = {
    "unmet": N_("the weakest unmet link up to the phase reached"),
    "next": N_("what stands between the phase reached and the next"),
    "lowest": N_("every link is met; this one scores lowest"),
    "none": N_("no component to judge"),
}


@dataclass(frozen=True)
class Phase:
    number: int
    reason_message: Message

    @property
    def code(self) -> str:
        return f"P{self.number}"

    @property
    def name(self) -> str:
        return PHASES[self.number]

    @property
    def reason(self) -> str:
        """Why this phase is reached, in English."""
        return str(self.reason_message)


@dataclass(frozen=True)
class Component:
    """One link of the cycle: whether its phase's condition holds, and how strong it is (0–1)."""

    key: str
    phase: int
    variable: ModelVariable
    met: bool
    score: float | None
    reason_message: Message

    @property
    def name(self) -> str:
        return COMPONENT_NAMES[self.key]

    @property
    def reason(self) -> str:
        """Whether and why the link's condition holds, in English."""
        return str(self.reason_message)


@dataclass(frozen=True)
class Diagnosis:
    collaboration_id: int
    as_of: dt.date
    window: Window
    phase: Phase
    components: tuple[Component, ...]
    bottleneck: Component | None
    bottleneck_why: Message
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

    @property
    def bottleneck_reason(self) -> str:
        """Why the bottleneck was chosen, in English."""
        return str(self.bottleneck_why)


def diagnose(
    case: CaseData,
    *,
    as_of: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    thresholds: Thresholds | None = None,
) -> Diagnosis:
    """Where ``case`` stands as of ``as_of``, its indicators taken over ``window_days``."""
    with cycle_collector_paused():
        return _diagnose(case, as_of, window_days, thresholds or Thresholds())


def _diagnose(
    case: CaseData, as_of: dt.date, window_days: int, thresholds: Thresholds
) -> Diagnosis:
    window = Window.ending(as_of, window_days)
    found = indicators.compute(case, window, thresholds)
    by_key = {i.key: i for i in found}
    parts = components(case, by_key, as_of, thresholds)
    phase = phase_reached(case, parts, as_of)
    weakest, why = bottleneck(parts, phase.number)
    # The signs compare only the attendance shares with the previous window's.
    previous = {i.key: i for i in indicators.attendance_shares(case, window.previous())}
    context = warning_signs.Context(
        indicators=by_key,
        previous=previous,
        window=window,
        thresholds=thresholds,
        first_meeting=facts.first_meeting_day(case.held_meetings, as_of),
    )
    return Diagnosis(
        collaboration_id=case.collaboration_id,
        as_of=as_of,
        window=window,
        phase=phase,
        components=tuple(parts),
        bottleneck=weakest,
        bottleneck_why=why,
        turns=tuple(cycle.turns(facts.outcomes_of(case), facts.ledger(case), as_of)),
        lifecycle=lifecycle.lifecycle(case.held_meetings, facts.ledger(case), window, thresholds),
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
    first = facts.first_meeting_day(case.held_meetings, as_of)
    if first is None:
        return Phase(0, text(N_("no meeting has been held up to the as-of date")))
    reached = [c for c in parts if c.met and c.key != "trust"]
    if not reached:
        return Phase(
            1,
            text(
                N_("the parties have met (first on %(first)s), but meetings are not regular yet"),
                first=day(first),
            ),
        )
    top = max(reached, key=lambda c: c.phase)
    return Phase(top.phase, top.reason_message)


def bottleneck(parts: Sequence[Component], phase: int) -> tuple[Component | None, Message]:
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
        return _weakest(unmet), text(BOTTLENECK_RULES["unmet"])
    later = [c for c in parts if c.phase > phase and not c.met]
    following = [c for c in later if c.phase == min(c.phase for c in later)]
    if following:
        return _weakest(following), text(BOTTLENECK_RULES["next"])
    if upto:
        return _weakest(upto), text(BOTTLENECK_RULES["lowest"])
    return None, text(BOTTLENECK_RULES["none"])


def _weakest(candidates: Sequence[Component]) -> Component:
    return min(
        candidates,
        key=lambda c: (c.score is None, c.score if c.score is not None else 0.0, c.phase),
    )


def _unknown(indicator: Indicator) -> Message:
    """What data the indicator misses (it has no value)."""
    return indicator.missing or text(N_("no value"))


def _dialogue(regularity: Indicator, thresholds: Thresholds) -> Component:
    value, limit = regularity.value, thresholds.regularity_min
    if value is None:
        met = False
        reason = text(N_("regular meetings not shown: %(missing)s"), missing=_unknown(regularity))
    else:
        met = value >= limit
        reason = text(
            N_("meetings are regular: regularity %(value)s ≥ %(limit)s")
            if met
            else N_("meetings are irregular: regularity %(value)s < %(limit)s"),
            value=number(value, 2),
            limit=number(limit),
        )
    return Component(
        "dialogue",
        2,
        ModelVariable.FACE_TO_FACE_DIALOGUE,
        met,
        value,
        reason,
    )


def _trust(balance: Indicator, thresholds: Thresholds) -> Component:
    value, limit = balance.value, thresholds.trust_balance_min
    if value is None:
        met, score = False, None
        reason = text(N_("trust unknown: %(missing)s"), missing=_unknown(balance))
    else:
        met, score = value >= limit, (value + 1) / 2
        reason = text(
            N_("net trust balance %(value)s ≥ %(limit)s")
            if met
            else N_("net trust balance %(value)s < %(limit)s"),
            value=number(value, 2, signed=True),
            limit=number(limit, signed=True),
        )
    return Component("trust", 2, ModelVariable.TRUST_BUILDING, met, score, reason)


def _commitment(
    case: CaseData, fulfilment: Indicator, as_of: dt.date, thresholds: Thresholds
) -> Component:
    made = [
        c for c in facts.ledger(case).made_between(None, as_of) if c.owner_id in case.stakeholders
    ]
    state = sum(1 for c in made if case.stakeholders[c.owner_id].is_state)
    non_state = len(made) - state
    value, limit = fulfilment.value, thresholds.fulfilment_min
    problems: list[Message] = []
    if value is None:
        problems.append(
            text(N_("on-time fulfilment unknown: %(missing)s"), missing=_unknown(fulfilment))
        )
    elif value < limit:
        problems.append(
            text(
                N_("on-time fulfilment %(value)s < %(limit)s"),
                value=share(value),
                limit=share(limit),
            )
        )
    if not state or not non_state:
        problems.append(
            text(
                N_(
                    "commitments so far: %(state)s by the state side, %(non_state)s by the "
                    "non-state side"
                ),
                state=state,
                non_state=non_state,
            )
        )
    if problems:
        met = False
        reason = all_of(problems)
    else:
        met = True
        reason = text(
            N_(
                "on-time fulfilment %(value)s ≥ %(limit)s; both sides have made commitments "
                "(%(state)s state, %(non_state)s non-state)"
            ),
            value=share(value or 0.0),
            limit=share(limit),
            state=state,
            non_state=non_state,
        )
    return Component(
        "commitment",
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
        text(
            N_("a jointly endorsed statement was recorded on %(date)s"),
            date=day(dt.date.fromisoformat(on)),
        )
        if met and on
        else text(N_("no jointly endorsed mission or problem statement recorded"))
    )
    return Component(
        "shared_understanding",
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
        last = dt.date.fromisoformat(days_since.detail["last_on"])
        reason = text(
            N_("a small win %(days)s days ago (%(last)s), within %(recent)s days")
            if met
            else N_("the last small win was %(days)s days ago (%(last)s), more than %(recent)s"),
            days=number(days),
            last=day(last),
            recent=number(recent),
        )
    return Component(
        "intermediate_outcomes",
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
    problems: list[Message] = []
    if not measured:
        problems.append(text(N_("no final outcome measured")))
    if not formal:
        problems.append(text(N_("no formalising decision recorded")))
    if problems:
        met = False
        reason = all_of(problems)
    else:
        met = True
        reason = text(
            N_(
                "final outcome measured (%(outcomes)s) and a formalising decision taken on %(date)s"
            ),
            outcomes=", ".join(measured),
            date=day(formal[0]),
        )
    return Component(
        "outcomes",
        6,
        ModelVariable.OUTCOMES,
        met,
        progress.value,
        reason,
    )
