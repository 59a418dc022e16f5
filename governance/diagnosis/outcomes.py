"""Shared understanding, intermediate outcomes and outcomes: the statement both sides
endorsed, the small wins, joint fact-finding, and progress on the final outcomes
(Ansell & Gash 2008)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from governance.cases.snapshot import DecisionRow, OutcomeRow
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.messages import N_, text
from governance.outcomes.progress import OutcomeNode, rolled_up
from governance.vocab import DecisionKind, ModelVariable, OutcomeLevel

SHARED_STATEMENT = Spec(
    key="shared_statement",
    label=N_("Jointly endorsed statement"),
    variable=ModelVariable.SHARED_UNDERSTANDING,
    kind=Kind.FLAG,
    scope=Scope.TO_DATE,
    formula=N_(
        "1 when a decision marked as a shared mission or problem statement was taken by "
        "consensus on or before the as-of date, else 0"
    ),
    source_id=N_("%(ansell_gash)s, shared understanding: clear mission, common problem definition"),
)


@SHARED_STATEMENT.documents
def shared_statement(decisions: Iterable[DecisionRow], as_of: dt.date) -> Indicator:
    """Whether the parties have put a common mission or problem definition on record; its date.

    Examples
    --------
    >>> from governance.cases.snapshot import DecisionRow
    >>> from governance.vocab import DecisionKind
    >>> statement = DecisionRow(1, 1, dt.date(2020, 6, 16), DecisionKind.SHARED_STATEMENT,
    ...                         True, "Poor households are missing from DTKS.")
    >>> found = shared_statement([statement], dt.date(2022, 6, 30))
    >>> found.value, found.detail["decided_on"]
    (1.0, '2020-06-16')
    >>> shared_statement([statement], dt.date(2020, 6, 1)).value
    0.0
    """
    endorsed = sorted(
        (
            d
            for d in decisions
            if d.kind is DecisionKind.SHARED_STATEMENT and d.by_consensus and d.decided_on <= as_of
        ),
        key=lambda d: (d.decided_on, d.id),
    )
    if not endorsed:
        return SHARED_STATEMENT.measured(0.0, decided_on=None, text=None)
    first = endorsed[0]
    return SHARED_STATEMENT.measured(
        1.0, decided_on=first.decided_on.isoformat(), text=first.text, statements=len(endorsed)
    )


SMALL_WINS = Spec(
    key="small_wins",
    label=N_("Small wins"),
    variable=ModelVariable.INTERMEDIATE_OUTCOMES,
    kind=Kind.COUNT,
    scope=Scope.WINDOW,
    formula=N_(
        "measurements in the window that move a small-win outcome closer to its target than "
        "the measurement before (or its baseline)"
    ),
    source_id=N_("%(ansell_gash)s, intermediate outcomes: small wins; %(weick)s"),
)


@SMALL_WINS.documents
def small_wins(outcomes: Iterable[OutcomeRow], window: Window) -> Indicator:
    """Tangible results the collaboration can point to, counted in the window.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, outcome
    >>> aid = outcome(0, 100, ("2022-01-31", 20), ("2022-04-30", 50), ("2022-05-31", 40))
    >>> small_wins([aid], Window.ending(day("2022-06-30"), 90)).value  # the fall is no win
    1.0
    """
    wins = [w for w in facts.small_wins(outcomes, window.end) if w.day in window]
    return SMALL_WINS.measured(
        len(wins), wins=[{"on": w.day.isoformat(), "outcome": w.title} for w in wins]
    )


DAYS_SINCE_SMALL_WIN = Spec(
    key="days_since_small_win",
    label=N_("Days since the last small win"),
    variable=ModelVariable.INTERMEDIATE_OUTCOMES,
    kind=Kind.DAYS,
    scope=Scope.TO_DATE,
    formula=N_("as-of date − date of the latest small win on or before it, in days"),
    source_id=N_("%(ansell_gash)s, intermediate outcomes feed the cycle; %(weick)s"),
)


@DAYS_SINCE_SMALL_WIN.documents
def days_since_small_win(outcomes: Iterable[OutcomeRow], as_of: dt.date) -> Indicator:
    """How long the collaboration has gone without something to show.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, outcome
    >>> days_since_small_win([outcome(0, 100, ("2022-06-10", 20))], day("2022-06-30")).value
    20.0
    >>> days_since_small_win([outcome(0, 100)], day("2022-06-30")).reason
    'too little data: no small win recorded up to the as-of date'
    """
    wins = facts.small_wins(outcomes, as_of)
    if not wins:
        return DAYS_SINCE_SMALL_WIN.too_little(N_("no small win recorded up to the as-of date"))
    last = wins[-1]
    return DAYS_SINCE_SMALL_WIN.measured(
        (as_of - last.day).days, last_on=last.day.isoformat(), outcome=last.title
    )


JOINT_FACT_FINDING = Spec(
    key="joint_fact_finding",
    label=N_("Joint fact-finding activities"),
    variable=ModelVariable.INTERMEDIATE_OUTCOMES,
    kind=Kind.COUNT,
    scope=Scope.WINDOW,
    formula=N_("joint fact-finding outcomes with a measurement dated in the window"),
    source_id=N_("%(ansell_gash)s, joint fact-finding"),
)


@JOINT_FACT_FINDING.documents
def joint_fact_finding(outcomes: Iterable[OutcomeRow], window: Window) -> Indicator:
    """Whether the parties are building a common base of facts together."""
    recorded = [o for o in outcomes if o.level is OutcomeLevel.JOINT_FACT_FINDING]
    active = [o for o in recorded if any(m.measured_on in window for m in o.measurements)]
    return JOINT_FACT_FINDING.measured(
        len(active), activities=[o.title for o in active], recorded=len(recorded)
    )


OUTCOME_PROGRESS = Spec(
    key="outcome_progress",
    label=N_("Progress on final outcomes"),
    variable=ModelVariable.OUTCOMES,
    kind=Kind.RATIO,
    scope=Scope.TO_DATE,
    formula=N_(
        "mean over the final outcomes of their progress as of the as-of date ÷ 100, progress "
        "= (latest − baseline) ÷ (target − baseline) clamped to 0–100 %, a parent's being "
        "the weighted mean of its children's"
    ),
    source_id=N_("%(ansell_gash)s, outcomes; %(emerson_nabatchi)s, outcomes for target goals"),
)


@OUTCOME_PROGRESS.documents
def outcome_progress(outcomes: Iterable[OutcomeRow], as_of: dt.date) -> Indicator:
    """How far the collaboration's final outcomes have come, from measurements up to ``as_of``.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, outcome
    >>> from governance.vocab import OutcomeLevel
    >>> dtks = outcome(0, 5000, ("2021-06-30", 2000), ("2022-06-30", 4000),
    ...                level=OutcomeLevel.OUTCOME)
    >>> outcome_progress([dtks], day("2022-01-01")).value
    0.4
    """
    outcomes = facts.Outcomes.of(outcomes)
    finals = [o for o in outcomes if o.level is OutcomeLevel.OUTCOME]
    if not finals:
        return OUTCOME_PROGRESS.too_little(N_("no final outcome recorded"))
    latest = outcomes.latest(as_of)
    if all(value is None for value in latest):
        return OUTCOME_PROGRESS.too_little(N_("no outcome measured up to the as-of date"))
    nodes = [
        OutcomeNode(o.id, o.parent_id, o.weight, o.baseline, o.target, value)
        for o, value in zip(outcomes, latest, strict=True)
    ]
    try:
        progress = rolled_up(nodes)
    except ValueError as error:
        return OUTCOME_PROGRESS.too_little(
            text(N_("progress cannot be computed (%(error)s)"), error=str(error))
        )
    shares = {o.title: progress[o.id] / 100 for o in finals}
    return OUTCOME_PROGRESS.measured(
        sum(shares.values()) / len(shares),
        outcomes={title: round(share, 4) for title, share in shares.items()},
    )
