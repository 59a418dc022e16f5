"""Face-to-face dialogue: how often and how regularly the parties meet, and in what room
(Ansell & Gash 2008)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from governance.cases.snapshot import MeetingRow
from governance.diagnosis import facts
from governance.diagnosis.indicator import Indicator, Kind, Scope, Spec, Window
from governance.diagnosis.measures import coefficient_of_variation
from governance.diagnosis.messages import N_
from governance.vocab import MeetingMode, ModelVariable

MEETINGS_PER_30_DAYS = Spec(
    key="meetings_per_30_days",
    label=N_("Meetings per 30 days"),
    variable=ModelVariable.FACE_TO_FACE_DIALOGUE,
    kind=Kind.RATE,
    scope=Scope.WINDOW,
    formula=N_("held meetings in the window × 30 ÷ the window's length in days"),
    source_id=N_(
        "%(ansell_gash)s, face-to-face dialogue; %(emerson_nabatchi_balogh)s, principled engagement"
    ),
)


@MEETINGS_PER_30_DAYS.documents
def meetings_per_30_days(meetings: Iterable[MeetingRow], window: Window) -> Indicator:
    """How often the parties meet. Planned and cancelled meetings do not count.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.diagnosis.examples import meeting
    >>> held = [meeting("2022-04-10"), meeting("2022-05-10"), meeting("2022-06-10")]
    >>> meetings_per_30_days(held, Window.ending(dt.date(2022, 6, 30), 90)).value
    1.0
    """
    held = facts.held_in(meetings, window)
    return MEETINGS_PER_30_DAYS.measured(
        len(held) * 30 / window.days, held=len(held), window_days=window.days
    )


REGULARITY = Spec(
    key="regularity",
    label=N_("Regularity of meetings"),
    variable=ModelVariable.FACE_TO_FACE_DIALOGUE,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "max(0, 1 − coefficient of variation of the gaps in days between consecutive held "
        "meetings in the window); coefficient of variation = standard deviation ÷ mean"
    ),
    source_id=N_("%(ansell_gash)s, face-to-face dialogue as a continuing process"),
)


@REGULARITY.documents
def regularity(meetings: Iterable[MeetingRow], window: Window) -> Indicator:
    """How evenly the held meetings are spaced: 1 = like clockwork, 0 = erratic.

    It needs three held meetings (two gaps) in the window.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.diagnosis.examples import meeting
    >>> window = Window.ending(dt.date(2022, 6, 30), 90)
    >>> even = [meeting("2022-04-10"), meeting("2022-05-10"), meeting("2022-06-09")]
    >>> regularity(even, window).value
    1.0
    >>> uneven = [meeting("2022-04-10"), meeting("2022-04-20"), meeting("2022-05-20")]
    >>> regularity(uneven, window).value  # gaps 10 and 30: CV = 10 ÷ 20
    0.5
    >>> regularity(uneven[:2], window).reason
    'too little data: fewer than 3 held meetings in the window'
    """
    held = facts.held_in(meetings, window)
    if len(held) < 3:
        return REGULARITY.too_little(N_("fewer than 3 held meetings in the window"), held=len(held))
    gaps = [(b.held_on - a.held_on).days for a, b in itertools.pairwise(held)]
    if sum(gaps) == 0:
        return REGULARITY.too_little(N_("every held meeting in the window was on the same day"))
    cv = coefficient_of_variation(gaps)
    return REGULARITY.measured(
        max(0.0, 1.0 - cv), gaps_days=gaps, coefficient_of_variation=round(cv, 4)
    )


IN_PERSON_SHARE = Spec(
    key="in_person_share",
    label=N_("Meetings in a shared room"),
    variable=ModelVariable.FACE_TO_FACE_DIALOGUE,
    kind=Kind.RATIO,
    scope=Scope.WINDOW,
    formula=N_(
        "held meetings in the window held in person or hybrid ÷ held meetings in the window"
    ),
    source_id=N_("%(ansell_gash)s, face-to-face dialogue"),
)


@IN_PERSON_SHARE.documents
def in_person_share(meetings: Iterable[MeetingRow], window: Window) -> Indicator:
    """How much of the dialogue happens face to face; hybrid meetings have a room, so count.

    Examples
    --------
    >>> import datetime as dt
    >>> from governance.vocab import MeetingMode
    >>> from governance.diagnosis.examples import meeting
    >>> held = [meeting("2022-05-01", mode=MeetingMode.IN_PERSON),
    ...         meeting("2022-05-15", mode=MeetingMode.ONLINE)]
    >>> in_person_share(held, Window.ending(dt.date(2022, 6, 30), 90)).value
    0.5
    """
    held = facts.held_in(meetings, window)
    if not held:
        return IN_PERSON_SHARE.too_little(N_("no held meeting in the window"))
    modes = Counter(m.mode for m in held)
    in_room = modes[MeetingMode.IN_PERSON] + modes[MeetingMode.HYBRID]
    return IN_PERSON_SHARE.measured(
        in_room / len(held),
        in_person=modes[MeetingMode.IN_PERSON],
        hybrid=modes[MeetingMode.HYBRID],
        online=modes[MeetingMode.ONLINE],
    )
