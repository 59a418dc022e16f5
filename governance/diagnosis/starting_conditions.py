"""Starting conditions: power–resource asymmetry, incentives and constraints, prehistory.

Ansell & Gash (2008) place these before the collaborative process: they
set the trust and the willingness to take part that the process starts from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from governance.cases.snapshot import (
    MeetingRow,
    ParticipationRow,
    StakeholderRow,
    TrustEventRow,
)
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.measures import gini, net_balance
from governance.diagnosis.messages import N_
from governance.vocab import ModelVariable, Valence

RESOURCE_ASYMMETRY = Spec(
    key="resource_asymmetry",
    label=N_("Resource asymmetry"),
    variable=ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY,
    kind=Kind.GINI,
    scope=Scope.WINDOW,
    formula=N_(
        "Gini coefficient of the participants' summed resource profiles (authority + staff "
        "+ budget + data access + knowledge, each 0–4, over the dimensions recorded); "
        "0 = equal, towards 1 = concentrated in few hands"
    ),
    source_id=N_(
        "%(ansell_gash)s, power–resource–knowledge asymmetries; %(gini)s; "
        "resource contribution as in %(partner)s"
    ),
)


@RESOURCE_ASYMMETRY.documents
def resource_asymmetry(
    stakeholders: Mapping[int, StakeholderRow],
    participations: Iterable[ParticipationRow],
    window: Window,
) -> Indicator:
    """How unequally the participants' resources are spread.

    Stakeholders taking part in the window count; one whose profile records no dimension
    at all is left out (unknown, not zero).

    Examples
    --------
    >>> from governance.cases.snapshot import ParticipationRow, StakeholderRow
    >>> from governance.vocab import ParticipationRole, Sector, StakeholderKind
    >>> def org(i, **resources):
    ...     return StakeholderRow(i, f"s{i}", StakeholderKind.ORGANISATION, Sector.OTHER, resources)
    >>> people = {1: org(1, authority=4, budget=4), 2: org(2, staff=2), 3: org(3)}
    >>> joined = [ParticipationRow(i, ParticipationRole.PARTICIPANT, None, None, "", "")
    ...           for i in people]
    >>> result = resource_asymmetry(people, joined, Window.ending(dt.date(2022, 6, 30), 90))
    >>> round(result.value, 3), result.detail["profiles"]  # Gini of [8, 2]
    (0.3, 2)
    """
    ids = sorted({p.stakeholder_id for p in facts.participating(participations, window)})
    totals = {
        i: float(sum(stakeholders[i].resources.values()))
        for i in ids
        if i in stakeholders and stakeholders[i].resources
    }
    if len(totals) < 2:
        return RESOURCE_ASYMMETRY.too_little(
            N_("fewer than 2 participants with a recorded resource profile"),
            profiles=len(totals),
        )
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return RESOURCE_ASYMMETRY.measured(
        gini(list(totals.values())),
        profiles=len(totals),
        highest={"stakeholder": stakeholders[ranked[0][0]].name, "total": ranked[0][1]},
        lowest={"stakeholder": stakeholders[ranked[-1][0]].name, "total": ranked[-1][1]},
    )


PREHISTORY_BALANCE = Spec(
    key="prehistory_balance",
    label=N_("Prehistory of cooperation or conflict"),
    variable=ModelVariable.PREHISTORY,
    kind=Kind.BALANCE,
    scope=Scope.PREHISTORY,
    formula=N_(
        "(cooperation events − conflict events) ÷ (cooperation events + conflict events), "
        "counting trust events dated before the first held meeting: positive valence = "
        "cooperation, negative = conflict"
    ),
    source_id=N_("%(ansell_gash)s, prehistory of cooperation or conflict"),
)


@PREHISTORY_BALANCE.documents
def prehistory_balance(
    trust_events: Iterable[TrustEventRow], meetings: Iterable[MeetingRow], as_of: dt.date
) -> Indicator:
    """Whether the parties came to the table with a history of cooperation or of conflict.

    Before any meeting is held, every event up to ``as_of`` is prehistory.

    Examples
    --------
    >>> from governance.cases.snapshot import TrustEventRow
    >>> from governance.vocab import TrustEventKind, TrustForm, Valence
    >>> def event(day, valence):
    ...     return TrustEventRow(1, None, dt.date.fromisoformat(day), 1, None,
    ...                          TrustEventKind.OTHER, TrustForm.RATIONAL, valence, 1)
    >>> events = [event("2019-03-01", Valence.POSITIVE), event("2019-06-01", Valence.POSITIVE),
    ...           event("2019-09-01", Valence.NEGATIVE)]
    >>> round(prehistory_balance(events, [], dt.date(2020, 1, 1)).value, 3)  # (2 − 1) ÷ 3
    0.333
    """
    first = facts.first_meeting_day(meetings, as_of)
    events = facts.TrustEvents.of(trust_events)
    # The first meeting is held by the as-of date, so the events before it are before it too.
    before = events.between(None, as_of) if first is None else events.before(first)
    cooperation = sum(1 for e in before if e.valence is Valence.POSITIVE)
    conflict = len(before) - cooperation
    detail: dict[str, Any] = {
        "cooperation": cooperation,
        "conflict": conflict,
        "first_meeting": first.isoformat() if first else None,
    }
    if not before:
        return PREHISTORY_BALANCE.too_little(
            N_("no trust event recorded before the first held meeting"), **detail
        )
    return PREHISTORY_BALANCE.measured(net_balance(cooperation, conflict), **detail)


INCENTIVES = Spec(
    key="incentives_recorded",
    label=N_("Incentives to take part"),
    variable=ModelVariable.INCENTIVES_AND_CONSTRAINTS,
    kind=Kind.COUNT,
    scope=Scope.TO_DATE,
    formula=N_("number of participations, joined by the as-of date, with incentives recorded"),
    source_id=N_("%(ansell_gash)s, incentives for and constraints on participation"),
)


@INCENTIVES.documents
def incentives_recorded(
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> Indicator:
    """What moved the participants to take part, as recorded; the texts are in the detail."""
    joined = _joined(participations, as_of)
    if not joined:
        return INCENTIVES.too_little(N_("no participation recorded by the as-of date"))
    texts = _texts(joined, stakeholders, lambda p: p.incentives)
    return INCENTIVES.measured(len(texts), participations=len(joined), texts=texts)


CONSTRAINTS = Spec(
    key="constraints_recorded",
    label=N_("Constraints on taking part"),
    variable=ModelVariable.INCENTIVES_AND_CONSTRAINTS,
    kind=Kind.COUNT,
    scope=Scope.TO_DATE,
    formula=N_("number of participations, joined by the as-of date, with constraints recorded"),
    source_id=N_("%(ansell_gash)s, incentives for and constraints on participation"),
)


@CONSTRAINTS.documents
def constraints_recorded(
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> Indicator:
    """What held the participants back, as recorded; the texts are in the detail."""
    joined = _joined(participations, as_of)
    if not joined:
        return CONSTRAINTS.too_little(N_("no participation recorded by the as-of date"))
    texts = _texts(joined, stakeholders, lambda p: p.constraints)
    return CONSTRAINTS.measured(len(texts), participations=len(joined), texts=texts)


def _joined(participations: Iterable[ParticipationRow], as_of: dt.date) -> list[ParticipationRow]:
    return [p for p in participations if p.joined_on is None or p.joined_on <= as_of]


def _texts(
    joined: list[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    text: Callable[[ParticipationRow], str],
) -> list[dict[str, str]]:
    found = []
    for participation in joined:
        said = str(text(participation)).strip()
        if said:
            row = stakeholders.get(participation.stakeholder_id)
            name = row.name if row else f"#{participation.stakeholder_id}"
            found.append({"stakeholder": name, "text": said})
    return found
