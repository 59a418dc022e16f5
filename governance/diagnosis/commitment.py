"""Commitment to the process: promises kept on time, overdue, balanced between the state
and non-state sides, and organisations that stay (Ansell & Gash 2008)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping

from governance.cases.meetings import HeldMeetings
from governance.cases.snapshot import CommitmentRow, MeetingRow, StakeholderRow
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.messages import N_
from governance.vocab import ModelVariable, StakeholderKind

ON_TIME_FULFILMENT = Spec(
    key="on_time_fulfilment",
    label=N_("On-time fulfilment"),
    variable=ModelVariable.COMMITMENT_TO_PROCESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "commitments due in the window fulfilled by their due date ÷ commitments due in the "
        "window (less those withdrawn by their due date)"
    ),
    source_id=N_(
        "%(ansell_gash)s, commitment to process; completion after %(ogp)s; "
        "%(emerson_nabatchi)s, actions of participant organisations"
    ),
)


@ON_TIME_FULFILMENT.documents
def on_time_fulfilment(commitments: Iterable[CommitmentRow], window: Window) -> Indicator:
    """Whether promises falling due were kept on time; partly fulfilled is not fulfilled.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day
    >>> from governance.vocab import CommitmentStatus as S
    >>> window = Window.ending(day("2022-06-30"), 90)
    >>> promises = [
    ...     commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-04-20")),
    ...     commitment("2022-03-01", "2022-05-01", (S.PARTLY_FULFILLED, "2022-04-20")),
    ...     commitment("2022-03-01", "2022-06-01"),  # still open
    ...     commitment("2022-03-01", "2022-09-01"),  # not due yet
    ... ]
    >>> round(on_time_fulfilment(promises, window).value, 3)
    0.333
    >>> on_time_fulfilment(promises[3:], window).reason
    'too little data: no commitment fell due in the window'
    """
    ledger = facts.Ledger.of(commitments)
    due = ledger.due_in(window)
    if not due:
        return ON_TIME_FULFILMENT.too_little(N_("no commitment fell due in the window"))
    # The ledger's kept is fulfilled_by_due, worked out once per commitment.
    kept = sum(1 for position in due if ledger.kept[position])
    return ON_TIME_FULFILMENT.measured(kept / len(due), on_time=kept, due=len(due))


OVERDUE_RATIO = Spec(
    key="overdue_ratio",
    label=N_("Overdue commitments"),
    variable=ModelVariable.COMMITMENT_TO_PROCESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "commitments past their due date and still open or in progress on the as-of date ÷ "
        "commitments open or in progress at some time in the window"
    ),
    source_id=N_("%(ansell_gash)s, commitment to process; %(ogp)s"),
)


def _outstanding_in(ledger: facts.Ledger, window: Window) -> list[int]:
    """Positions of the commitments made by the window's end and not closed before it began."""
    before = window.start - dt.timedelta(days=1)
    open_before = ledger.outstanding(before)
    return [
        position
        for position, c in enumerate(ledger)
        if c.made_on <= window.end and (c.made_on > before or open_before[position])
    ]


@OVERDUE_RATIO.documents
def overdue_ratio(commitments: Iterable[CommitmentRow], window: Window) -> Indicator:
    """How much of the live work is late.

    Fulfilled, partly fulfilled, broken and withdrawn commitments are closed: only open
    and in-progress ones can be overdue.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day
    >>> from governance.vocab import CommitmentStatus as S
    >>> window = Window.ending(day("2022-06-30"), 90)
    >>> promises = [
    ...     commitment("2022-03-01", "2022-05-01"),  # overdue
    ...     commitment("2022-03-01", "2022-05-01", (S.FULFILLED, "2022-05-20")),
    ...     commitment("2022-06-01", "2022-09-01"),  # not due yet
    ...     commitment("2021-01-01", "2021-02-01", (S.FULFILLED, "2021-02-01")),  # closed before
    ... ]
    >>> round(overdue_ratio(promises, window).value, 3)
    0.333
    """
    ledger = facts.Ledger.of(commitments)
    live = _outstanding_in(ledger, window)
    if not live:
        return OVERDUE_RATIO.too_little(N_("no commitment was open or in progress in the window"))
    overdue = ledger.days_overdue(window.end)
    late = [position for position in live if overdue[position] is not None]
    return OVERDUE_RATIO.measured(len(late) / len(live), overdue=len(late), live=len(live))


MEDIAN_DAYS_OVERDUE = Spec(
    key="median_days_overdue",
    label=N_("Median days overdue"),
    variable=ModelVariable.COMMITMENT_TO_PROCESS,
    kind=Kind.DAYS,
    scope=Scope.TO_DATE,
    formula=N_(
        "median over the commitments overdue on the as-of date of (as-of date − due date), in days"
    ),
    source_id=N_("%(ansell_gash)s, commitment to process"),
)


@MEDIAN_DAYS_OVERDUE.documents
def median_days_overdue(
    commitments: Iterable[CommitmentRow],
    stakeholders: Mapping[int, StakeholderRow],
    as_of: dt.date,
) -> Indicator:
    """How late the late work is; each overdue commitment is listed in the detail.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day
    >>> promises = [commitment("2022-03-01", "2022-06-20"), commitment("2022-03-01", "2022-06-01"),
    ...             commitment("2022-03-01", "2022-05-01")]
    >>> median_days_overdue(promises, {}, day("2022-06-30")).value  # 10, 29, 60 days
    29.0
    """
    ledger = facts.Ledger.of(commitments)
    late = [
        (days, c)
        for c, days in zip(ledger, ledger.days_overdue(as_of), strict=True)
        if days is not None
    ]
    if not late:
        return MEDIAN_DAYS_OVERDUE.too_little(N_("no commitment is overdue on the as-of date"))
    late.sort(key=lambda item: (-item[0], item[1].id))
    owners = facts.names(stakeholders, [c.owner_id for _, c in late])
    return MEDIAN_DAYS_OVERDUE.measured(
        float(statistics.median(days for days, _ in late)),
        overdue=[
            {
                "commitment_id": c.id,
                "description": c.description,
                "owner": owner,
                "state": facts.is_state(stakeholders, c.owner_id),
                "due_on": c.due_on.isoformat() if c.due_on else None,
                "days_overdue": days,
            }
            for (days, c), owner in zip(late, owners, strict=True)
        ],
    )


RECIPROCITY = Spec(
    key="reciprocity",
    label=N_("Reciprocity of commitments"),
    variable=ModelVariable.COMMITMENT_TO_PROCESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "smaller ÷ larger of the numbers of commitments made in the window by state "
        "(government) and by non-state owners"
    ),
    source_id=N_("%(ansell_gash)s, mutual recognition of interdependence; %(emerson_nabatchi)s"),
)


@RECIPROCITY.documents
def reciprocity(
    commitments: Iterable[CommitmentRow],
    stakeholders: Mapping[int, StakeholderRow],
    window: Window,
) -> Indicator:
    """Whether both sides are promising things, or one side carries the work.

    Examples
    --------
    >>> from governance.diagnosis.examples import commitment, day, stakeholder
    >>> from governance.vocab import Sector
    >>> people = {1: stakeholder(1, Sector.GOVERNMENT), 2: stakeholder(2)}
    >>> promises = [commitment("2022-05-01", None, owner=1),
    ...             commitment("2022-05-01", None, owner=2),
    ...             commitment("2022-05-02", None, owner=2)]
    >>> reciprocity(promises, people, Window.ending(day("2022-06-30"), 90)).value
    0.5
    """
    state = non_state = 0
    for c in facts.Ledger.of(commitments).made_between(window.start, window.end):
        if c.owner_id in stakeholders:
            if stakeholders[c.owner_id].is_state:
                state += 1
            else:
                non_state += 1
    if state + non_state == 0:
        return RECIPROCITY.too_little(N_("no commitment made in the window"))
    return RECIPROCITY.measured(
        min(state, non_state) / max(state, non_state), state=state, non_state=non_state
    )


RETENTION = Spec(
    key="retention",
    label=N_("Retention of organisations"),
    variable=ModelVariable.COMMITMENT_TO_PROCESS,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "organisations at the first three held meetings that attended a held meeting in the "
        "window ÷ organisations at the first three held meetings"
    ),
    source_id=N_("%(ansell_gash)s, commitment to process; involvement as in %(partner)s"),
)

_ORGANISATIONS = (StakeholderKind.ORGANISATION, StakeholderKind.COALITION)


@RETENTION.documents
def retention(
    meetings: Iterable[MeetingRow],
    stakeholders: Mapping[int, StakeholderRow],
    window: Window,
) -> Indicator:
    """Whether the organisations that started the collaboration are still at the table.

    Organisations are stakeholders of kind organisation or coalition.

    Examples
    --------
    >>> from governance.diagnosis.examples import day, meeting, stakeholder
    >>> people = {i: stakeholder(i) for i in (1, 2, 3, 4)}
    >>> held = [meeting("2021-01-10", 1, 2), meeting("2021-02-10", 3), meeting("2021-03-10", 1),
    ...         meeting("2022-06-10", 1, 4)]
    >>> round(retention(held, people, Window.ending(day("2022-06-30"), 90)).value, 3)
    0.333
    """
    meetings = HeldMeetings.of(meetings)
    held = facts.held_until(meetings, window.end)
    if len(held) < 3:
        return RETENTION.too_little(N_("fewer than 3 held meetings up to the as-of date"))
    founders = {
        i
        for m in held[:3]
        for i in m.attendees
        if i in stakeholders and stakeholders[i].kind in _ORGANISATIONS
    }
    if not founders:
        return RETENTION.too_little(N_("no organisation attended the first 3 held meetings"))
    recent: set[int] = set()
    for m in facts.held_in(meetings, window):
        recent |= m.attendees
    stayed = sorted(founders & recent)
    left = sorted(founders - recent)
    return RETENTION.measured(
        len(stayed) / len(founders),
        stayed=len(stayed),
        founders=len(founders),
        not_seen=facts.names(stakeholders, left),
    )
