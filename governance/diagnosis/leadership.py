"""Facilitative leadership: a facilitator designated, present, and empowering the weaker
parties (Ansell & Gash 2008)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from governance.cases.snapshot import (
    CommitmentRow,
    ForumRow,
    MeetingRow,
    ParticipationRow,
    StakeholderRow,
    TrustEventRow,
)
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.messages import N_
from governance.vocab import ModelVariable, ParticipationRole, Sector, Valence

FACILITATOR_DESIGNATED = Spec(
    key="facilitator_designated",
    label=N_("Facilitator designated"),
    variable=ModelVariable.FACILITATIVE_LEADERSHIP,
    kind=Kind.FLAG,
    scope=Scope.WINDOW,
    formula=N_(
        "1 when a forum open in the window names a facilitator or a stakeholder takes part "
        "in the window in the facilitator role, else 0"
    ),
    source_id=N_("%(ansell_gash)s, facilitative leadership"),
)


def _forums_open(forums: Iterable[ForumRow], window: Window) -> list[ForumRow]:
    return [
        f
        for f in forums
        if (f.established_on is None or f.established_on <= window.end)
        and (f.closed_on is None or f.closed_on >= window.start)
    ]


def _facilitating(participations: Iterable[ParticipationRow], window: Window) -> set[int]:
    return {
        p.stakeholder_id
        for p in facts.participating(participations, window)
        if p.role is ParticipationRole.FACILITATOR
    }


@FACILITATOR_DESIGNATED.documents
def facilitator_designated(
    forums: Iterable[ForumRow],
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    window: Window,
) -> Indicator:
    """Whether someone has been asked to facilitate.

    Examples
    --------
    >>> facilitator_designated([], [], {}, Window.ending(dt.date(2022, 6, 30), 90)).reason
    'too little data: no forum or participation recorded for the window'
    """
    open_forums = _forums_open(forums, window)
    taking_part = facts.participating(participations, window)
    if not open_forums and not taking_part:
        return FACILITATOR_DESIGNATED.too_little(
            N_("no forum or participation recorded for the window")
        )
    ids = sorted(
        {f.facilitator_id for f in open_forums if f.facilitator_id is not None}
        | _facilitating(taking_part, window)
    )
    return FACILITATOR_DESIGNATED.measured(
        1.0 if ids else 0.0, facilitators=facts.names(stakeholders, ids)
    )


FACILITATOR_ATTENDANCE = Spec(
    key="facilitator_attendance",
    label=N_("Facilitator's attendance"),
    variable=ModelVariable.FACILITATIVE_LEADERSHIP,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "held meetings in the window attended by their designated facilitator (the forum's, "
        "or else the collaboration's) ÷ held meetings in the window that have one"
    ),
    source_id=N_("%(ansell_gash)s, facilitative leadership"),
)


@FACILITATOR_ATTENDANCE.documents
def facilitator_attendance(
    meetings: Iterable[MeetingRow],
    forums: Iterable[ForumRow],
    participations: Iterable[ParticipationRow],
    window: Window,
) -> Indicator:
    """Whether the designated facilitator is actually there."""
    by_forum = {f.id: f.facilitator_id for f in forums}
    fallback = _facilitating(participations, window)
    counted = attended = 0
    missed: list[dict[str, str]] = []
    for meeting in facts.held_in(meetings, window):
        own = by_forum.get(meeting.forum_id)
        designated = {own} if own is not None else fallback
        if not designated:
            continue
        counted += 1
        if designated & meeting.attendees:
            attended += 1
        else:
            missed.append({"meeting": meeting.title, "held_on": meeting.held_on.isoformat()})
    if counted == 0:
        return FACILITATOR_ATTENDANCE.too_little(
            N_("no held meeting in the window has a designated facilitator")
        )
    return FACILITATOR_ATTENDANCE.measured(
        attended / counted, attended=attended, meetings=counted, missed=missed
    )


EMPOWERMENT = Spec(
    key="empowerment_actions",
    label=N_("Empowerment actions"),
    variable=ModelVariable.FACILITATIVE_LEADERSHIP,
    kind=Kind.COUNT,
    scope=Scope.TO_DATE,
    formula=N_(
        "commitments owed to, plus positive trust events aimed at, an affected group or a "
        "community stakeholder by another party, up to the as-of date"
    ),
    source_id=N_(
        "%(ansell_gash)s, empowerment of weaker stakeholders; %(emerson_nabatchi_balogh)s"
    ),
)


@EMPOWERMENT.documents
def empowerment_actions(
    commitments: Iterable[CommitmentRow],
    trust_events: Iterable[TrustEventRow],
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> Indicator:
    """What the stronger parties did for the weaker ones: the counterweight to asymmetry."""
    weaker = _weaker(participations, stakeholders)
    if not weaker:
        return EMPOWERMENT.too_little(N_("no affected group or community stakeholder recorded"))
    promised = [
        c
        for c in facts.Ledger.of(commitments).made_between(None, as_of)
        if c.counterpart_id in weaker and c.owner_id not in weaker
    ]
    supported = [
        e
        for e in facts.TrustEvents.of(trust_events).between(None, as_of)
        if e.valence is Valence.POSITIVE and e.target_id in weaker and e.actor_id not in weaker
    ]
    return EMPOWERMENT.measured(
        len(promised) + len(supported),
        commitments=len(promised),
        trust_events=len(supported),
        weaker=facts.names(stakeholders, sorted(weaker)),
    )


def _weaker(
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
) -> set[int]:
    """Affected groups and community stakeholders: the parties empowerment is aimed at."""
    affected = {
        p.stakeholder_id for p in participations if p.role is ParticipationRole.AFFECTED_GROUP
    }
    community = {i for i, row in stakeholders.items() if row.sector is Sector.COMMUNITY}
    return affected | community
