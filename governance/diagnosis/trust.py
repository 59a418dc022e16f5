"""Trust-building: the balance of recent trust events, and each party's reliability
(Ansell & Gash 2008; Stern & Coleman 2015; PARTNER)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from governance.cases.snapshot import CommitmentRow, StakeholderRow, TrustEventRow
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec
from governance.diagnosis.measures import decay_weight, net_balance
from governance.diagnosis.messages import N_
from governance.vocab import ModelVariable, Valence

NET_TRUST_BALANCE = Spec(
    key="net_trust_balance",
    label=N_("Net trust balance"),
    variable=ModelVariable.TRUST_BUILDING,
    kind=Kind.BALANCE,
    scope=Scope.TO_DATE,
    formula=N_(
        "(Σ positive − Σ negative) ÷ (Σ positive + Σ negative) over the trust events up to "
        "the as-of date, each weighted by severity × 0.5 ^ (age in days ÷ half-life, 60 days "
        "by default)"
    ),
    source_id=N_("%(ansell_gash)s, trust-building; forms of trust after %(stern_coleman)s"),
)


@NET_TRUST_BALANCE.documents
def net_trust_balance(
    trust_events: Iterable[TrustEventRow], as_of: dt.date, *, half_life_days: float
) -> Indicator:
    """Whether recent events built trust or spent it: −1 all negative, 1 all positive.

    Older events weigh less: an event loses half its weight every half-life.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, event
    >>> from governance.vocab import Valence
    >>> events = [event("2022-06-30", Valence.POSITIVE, 3),
    ...           event("2022-05-01", Valence.NEGATIVE, 2)]  # 60 days old: weight 1
    >>> net_trust_balance(events, day("2022-06-30"), half_life_days=60).value  # (3 − 1) ÷ 4
    0.5
    >>> net_trust_balance([], day("2022-06-30"), half_life_days=60).reason
    'too little data: no trust event recorded up to the as-of date'
    """
    weights: dict[Valence, float] = defaultdict(float)
    counts: dict[Valence, int] = defaultdict(int)
    # Tens of thousands of events share a few thousand (severity, age) pairs.
    weight = functools.cache(lambda severity, age: decay_weight(severity, age, half_life_days))
    for e in facts.TrustEvents.of(trust_events).between(None, as_of):
        weights[e.valence] += weight(e.severity, (as_of - e.occurred_on).days)
        counts[e.valence] += 1
    detail: dict[str, Any] = {
        "positive_weight": round(weights[Valence.POSITIVE], 4),
        "negative_weight": round(weights[Valence.NEGATIVE], 4),
        "positive_events": counts[Valence.POSITIVE],
        "negative_events": counts[Valence.NEGATIVE],
    }
    if sum(counts.values()) == 0:
        return NET_TRUST_BALANCE.too_little(N_("no trust event recorded up to the as-of date"))
    if weights[Valence.POSITIVE] + weights[Valence.NEGATIVE] <= 0:
        return NET_TRUST_BALANCE.too_little(
            N_("every trust event is too old to carry weight"), **detail
        )
    return NET_TRUST_BALANCE.measured(
        net_balance(weights[Valence.POSITIVE], weights[Valence.NEGATIVE]), **detail
    )


RELIABILITY = Spec(
    key="reliability",
    label=N_("Reliability"),
    variable=ModelVariable.TRUST_BUILDING,
    kind=Kind.RATIO,
    scope=Scope.TO_DATE,
    formula=N_(
        "mean over stakeholders of (commitments it owns fulfilled by their due date ÷ "
        "commitments it owns due by the as-of date)"
    ),
    source_id=N_(
        "%(partner)s, reliability as a dimension of trust; %(ansell_gash)s, trust-building"
    ),
)


@RELIABILITY.documents
def reliability(
    commitments: Iterable[CommitmentRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> Indicator:
    """Whether each party does what it promised on time; per stakeholder in the detail.

    Commitments withdrawn by their due date are not counted.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day
    >>> from governance.vocab import CommitmentStatus as S
    >>> promises = [
    ...     commitment("2022-01-01", "2022-02-01", (S.FULFILLED, "2022-01-20"), owner=1),
    ...     commitment("2022-01-01", "2022-02-01", (S.FULFILLED, "2022-03-01"), owner=1),
    ...     commitment("2022-01-01", "2022-02-01", (S.FULFILLED, "2022-01-15"), owner=2),
    ... ]
    >>> reliability(promises, {}, day("2022-06-30")).value  # mean of 1/2 and 1/1
    0.75
    """
    ledger = facts.Ledger.of(commitments)
    counted = ledger.counted_by(as_of)
    # Counted in the commitments' order: the owners' order sets the order of the sum below.
    due = Counter(ledger[position].owner_id for position in counted)
    kept = Counter(ledger[position].owner_id for position in counted if ledger.kept[position])
    if not due:
        return RELIABILITY.too_little(N_("no commitment fell due by the as-of date"))
    per = {owner: kept[owner] / due[owner] for owner in due}
    ranked = sorted(per, key=lambda o: (per[o], o))
    return RELIABILITY.measured(
        sum(per.values()) / len(per),
        stakeholders=[
            {
                "stakeholder_id": owner,
                "stakeholder": name,
                "on_time": kept[owner],
                "due": due[owner],
                "reliability": round(per[owner], 4),
            }
            for owner, name in zip(ranked, facts.names(stakeholders, ranked), strict=True)
        ],
    )
