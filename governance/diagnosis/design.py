"""Institutional design: participatory inclusiveness, forum exclusiveness, ground rules,
the defining criteria of a forum, and process transparency (Ansell & Gash 2008)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from governance.cases.meetings import HeldMeetings
from governance.cases.snapshot import (
    ForumRow,
    MeetingRow,
    ParticipationRow,
    StakeholderRow,
    TrustEventRow,
)
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.messages import N_
from governance.vocab import (
    Criterion,
    CriterionRating,
    GroundRule,
    ModelVariable,
    ParticipationRole,
    Sector,
    TrustEventKind,
)

ATTENDANCE_SHARE = Spec(
    key="attendance_share",
    label=N_("Attendance share"),
    variable=ModelVariable.PARTICIPATORY_INCLUSIVENESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "attendances at held meetings in the window by stakeholders of the sector ÷ all "
        "attendances at those meetings"
    ),
    source_id=N_("%(ansell_gash)s, participatory inclusiveness"),
)


#: Ratings by which a forum's criteria declare one side part of it.
_DECLARED = frozenset({CriterionRating.MET, CriterionRating.PARTIAL})


def joint_forums(
    forums: Iterable[ForumRow],
    meetings: Iterable[MeetingRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> frozenset[int]:
    """Ids of the forums where state and non-state actors meet, as of ``as_of``.

    The collaborative forum of Ansell & Gash (2008) brings public agencies and
    non-state stakeholders together; a forum of one side only (a coalition's own
    working group, an inter-agency meeting) is not one. A forum is *joint* when both
    sides take part in it:

    - the state side, when a state actor attended one of its meetings held up to
      ``as_of``, or its criterion "initiated by public agencies" is rated met or partly met;
    - the non-state side, when a non-state actor attended one of those meetings, or its
      criterion "includes non-state actors" is rated met or partly met.

    Attendance up to the as-of date, not only in the window, so that a side staying
    away does not turn the forum it left into a one-sided one. Nothing takes a side
    away: a criterion rated not met only fails to add one.

    Examples
    --------
    >>> from governance.diagnosis.examples import forum, meeting, stakeholder
    >>> from governance.vocab import Criterion, CriterionRating, Sector
    >>> people = {1: stakeholder(1, Sector.GOVERNMENT), 2: stakeholder(2), 3: stakeholder(3)}
    >>> forums = [forum(1), forum(2), forum(3, criteria={
    ...     Criterion.INITIATED_BY_PUBLIC_AGENCY: CriterionRating.PARTIAL})]
    >>> held = [meeting("2022-05-01", 1, 2, forum_id=1), meeting("2022-05-02", 2, 3, forum_id=2),
    ...         meeting("2022-05-03", 3, forum_id=3), meeting("2022-06-01", 2, forum_id=1)]
    >>> sorted(joint_forums(forums, held, people, dt.date(2022, 6, 30)))
    [1, 3]
    >>> sorted(joint_forums(forums, held, people, dt.date(2022, 4, 30)))
    []
    """
    state: set[int] = set()
    non_state: set[int] = set()
    for found in forums:
        if found.criteria.get(Criterion.INITIATED_BY_PUBLIC_AGENCY) in _DECLARED:
            state.add(found.id)
        if found.criteria.get(Criterion.INCLUDES_NON_STATE_ACTORS) in _DECLARED:
            non_state.add(found.id)
    for meeting in facts.held_until(meetings, as_of):
        forum_id = meeting.forum_id
        if forum_id in state and forum_id in non_state:
            continue  # joint already: the rest of its meetings cannot change that
        for stakeholder_id in meeting.attendees:
            row = stakeholders.get(stakeholder_id)
            if row is not None:
                (state if row.is_state else non_state).add(forum_id)
    return frozenset(state & non_state)


@ATTENDANCE_SHARE.documents
def attendance_shares(
    meetings: Iterable[MeetingRow],
    stakeholders: Mapping[int, StakeholderRow],
    window: Window,
    *,
    forums: Iterable[ForumRow] = (),
) -> list[Indicator]:
    """Who is in the room, by sector: one indicator per sector among the case's stakeholders.

    The keys are ``attendance_share_<sector>`` (``attendance_share_government``…).
    The value counts the meetings of every forum. The detail adds the same share at
    the meetings of the joint forums only (:func:`joint_forums`; ``forums`` gives
    their criteria): ``joint_share`` (None when no joint forum met in the window),
    ``joint_attendances``, ``joint_total`` and the ``joint_forums``' names. The warning
    that a group's share fell reads these: a group leaving the coalition's own
    working group has not left the collaborative forum.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.cases.snapshot import AttendanceRow, MeetingRow, StakeholderRow
    >>> from governance.vocab import (AttendanceRole, MeetingMode, MeetingStatus, Sector,
    ...                               StakeholderKind)
    >>> people = {1: StakeholderRow(1, "Dinsos", StakeholderKind.ORGANISATION, Sector.GOVERNMENT),
    ...           2: StakeholderRow(2, "SPRI", StakeholderKind.ORGANISATION, Sector.CIVIL_SOCIETY)}
    >>> def seat(i): return AttendanceRow(i, True, True, AttendanceRole.PARTICIPANT)
    >>> def meeting(day, *ids):
    ...     start = dt.datetime.fromisoformat(day + "T10:00+00:00")
    ...     return MeetingRow(1, 1, "m", start, None, MeetingMode.ONLINE, MeetingStatus.HELD,
    ...                       None, tuple(seat(i) for i in ids))
    >>> held = [meeting("2022-05-01", 1, 2), meeting("2022-06-01", 2)]
    >>> [(i.key, round(i.value, 3)) for i in
    ...  attendance_shares(held, people, Window.ending(dt.date(2022, 6, 30), 90))]
    [('attendance_share_government', 0.333), ('attendance_share_civil_society', 0.667)]
    """
    held = HeldMeetings.of(meetings)
    forums = list(forums)
    joint = joint_forums(forums, held, stakeholders, window.end)
    named = {f.id: f.name for f in forums}
    present = {row.sector for row in stakeholders.values()}
    sectors = [s for s in Sector if s in present]
    sector_of = {i: row.sector for i, row in stakeholders.items()}
    counts: Counter[Sector] = Counter()
    joint_counts: Counter[Sector] = Counter()
    for meeting in facts.held_in(held, window):
        seen = [sector_of[i] for i in meeting.attendees if i in sector_of]
        counts.update(seen)
        if meeting.forum_id in joint:
            joint_counts.update(seen)
    total = sum(counts.values())
    joint_total = sum(joint_counts.values())
    joint_names = sorted(named.get(i, f"#{i}") for i in joint)
    if total == 0:
        return [
            ATTENDANCE_SHARE.too_little(
                N_("no attendance at a held meeting in the window"), part=sector.value
            )
            for sector in sectors
        ]
    return [
        ATTENDANCE_SHARE.measured(
            counts[sector] / total,
            part=sector.value,
            attendances=counts[sector],
            total=total,
            joint_share=joint_counts[sector] / joint_total if joint_total else None,
            joint_attendances=joint_counts[sector],
            joint_total=joint_total,
            joint_forums=joint_names,
        )
        for sector in sectors
    ]


COVERAGE = Spec(
    key="affected_group_coverage",
    label=N_("Coverage of affected groups"),
    variable=ModelVariable.PARTICIPATORY_INCLUSIVENESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "affected groups that attended at least one held meeting in the window ÷ affected "
        "groups participating in the window"
    ),
    source_id=N_("%(ansell_gash)s, participatory inclusiveness"),
)


@COVERAGE.documents
def affected_group_coverage(
    meetings: Iterable[MeetingRow],
    participations: Iterable[ParticipationRow],
    stakeholders: Mapping[int, StakeholderRow],
    window: Window,
) -> Indicator:
    """Whether the groups the policy affects actually come to the table."""
    affected = sorted(
        {
            p.stakeholder_id
            for p in facts.participating(participations, window)
            if p.role is ParticipationRole.AFFECTED_GROUP
        }
    )
    if not affected:
        return COVERAGE.too_little(N_("no affected group participating in the window"))
    came: set[int] = set()
    for meeting in facts.held_in(meetings, window):
        came |= meeting.attendees
    present = [i for i in affected if i in came]
    absent = [i for i in affected if i not in came]
    return COVERAGE.measured(
        len(present) / len(affected),
        attended=len(present),
        participating=len(affected),
        absent=facts.names(stakeholders, absent),
    )


def _open_forums(forums: Iterable[ForumRow], window: Window) -> list[ForumRow]:
    return [
        f
        for f in forums
        if (f.established_on is None or f.established_on <= window.end)
        and (f.closed_on is None or f.closed_on >= window.start)
    ]


GROUND_RULES = Spec(
    key="ground_rules",
    label=N_("Ground rules in place"),
    variable=ModelVariable.CLEAR_GROUND_RULES,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "mean over the forums open in the window of (ground rules in place ÷ 6: terms of "
        "reference, decision rule, roles, schedule, dispute procedure, deadlines)"
    ),
    source_id=N_(
        "%(ansell_gash)s, clear ground rules; %(wilder)s, clear roles and policy guidelines"
    ),
)


@GROUND_RULES.documents
def ground_rules(forums: Iterable[ForumRow], window: Window) -> Indicator:
    """How much of the ground-rules checklist the forums have in place.

    A forum whose checklist was never filled in is left out (unknown, not absent).
    """
    checked = [f for f in _open_forums(forums, window) if f.ground_rules]
    if not checked:
        return GROUND_RULES.too_little(N_("no forum open in the window has its checklist recorded"))
    fractions = {
        f.name: sum(1 for rule in GroundRule if f.ground_rules.get(rule.value)) / len(GroundRule)
        for f in checked
    }
    return GROUND_RULES.measured(
        sum(fractions.values()) / len(fractions),
        forums={name: round(value, 4) for name, value in fractions.items()},
    )


CRITERIA = Spec(
    key="collaborative_criteria",
    label=N_("Defining criteria met"),
    variable=ModelVariable.CLEAR_GROUND_RULES,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "for the best-rated forum open in the window: (criteria met + ½ × criteria partly "
        "met) ÷ 6 defining criteria of collaborative governance"
    ),
    source_id=N_("%(ansell_gash)s, the six defining criteria"),
)


@CRITERIA.documents
def collaborative_criteria(forums: Iterable[ForumRow], window: Window) -> Indicator:
    """How fully the collaboration's best forum meets the definition of collaborative governance.

    An unrated criterion counts as not met; a forum with no criterion rated is left out.
    """
    rated = [f for f in _open_forums(forums, window) if f.criteria]
    if not rated:
        return CRITERIA.too_little(N_("no forum open in the window has a criterion rated"))
    per_forum = {}
    for forum in rated:
        ratings = Counter(forum.criteria.values())
        per_forum[forum.name] = {
            "met": ratings[CriterionRating.MET],
            "partial": ratings[CriterionRating.PARTIAL],
            "not_met": ratings[CriterionRating.NOT_MET],
            "unrated": len(Criterion) - len(forum.criteria),
            "score": (ratings[CriterionRating.MET] + 0.5 * ratings[CriterionRating.PARTIAL])
            / len(Criterion),
        }
    best = max(per_forum, key=lambda name: per_forum[name]["score"])
    return CRITERIA.measured(per_forum[best]["score"], best_forum=best, forums=per_forum)


MINUTES_ON_TIME = Spec(
    key="minutes_on_time",
    label=N_("Minutes circulated on time"),
    variable=ModelVariable.PROCESS_TRANSPARENCY,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "held meetings in the window whose minutes were circulated within the minutes "
        "deadline (7 days by default) ÷ held meetings in the window whose deadline has passed "
        "or whose minutes are out"
    ),
    source_id=N_("%(ansell_gash)s, process transparency"),
)


@MINUTES_ON_TIME.documents
def minutes_on_time(
    meetings: Iterable[MeetingRow], window: Window, *, deadline_days: float
) -> Indicator:
    """Whether people who were not in the room can read what was decided, soon enough.

    A meeting whose deadline has not passed and whose minutes are not out yet is not counted.
    """
    on_time: list[MeetingRow] = []
    lapsed: list[MeetingRow] = []
    for meeting in facts.held_in(meetings, window):
        deadline = meeting.held_on.toordinal() + deadline_days
        sent = meeting.minutes_circulated_on
        if sent is not None and sent <= window.end and sent.toordinal() <= deadline:
            on_time.append(meeting)
        elif deadline < window.end.toordinal():
            lapsed.append(meeting)
    counted = len(on_time) + len(lapsed)
    if counted == 0:
        return MINUTES_ON_TIME.too_little(
            N_("no held meeting in the window whose minutes were due by the as-of date")
        )
    return MINUTES_ON_TIME.measured(
        len(on_time) / counted,
        on_time=len(on_time),
        counted=counted,
        lapsed=[{"meeting": m.title, "held_on": m.held_on.isoformat()} for m in lapsed],
    )


ALTERNATIVE_VENUES = Spec(
    key="alternative_venue_events",
    label=N_("Protests and alternative venues"),
    variable=ModelVariable.FORUM_EXCLUSIVENESS,
    kind=Kind.COUNT,
    scope=Scope.WINDOW,
    formula=N_("trust events in the window of kind protest or alternative venue"),
    source_id=N_(
        "%(ansell_gash)s, forum exclusiveness and alternative venues; %(emerson_nabatchi_balogh)s"
    ),
)


@ALTERNATIVE_VENUES.documents
def alternative_venue_events(trust_events: Iterable[TrustEventRow], window: Window) -> Indicator:
    """Whether a party took the issue elsewhere: a sign the forum is not the only game in town."""
    kinds = (TrustEventKind.PROTEST, TrustEventKind.ALTERNATIVE_VENUE)
    dated = facts.TrustEvents.of(trust_events).between(window.start, window.end)
    found = [e for e in dated if e.kind in kinds]
    return ALTERNATIVE_VENUES.measured(
        len(found),
        events=[{"on": e.occurred_on.isoformat(), "kind": e.kind.value} for e in found],
    )
