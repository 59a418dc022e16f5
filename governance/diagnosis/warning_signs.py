"""Warning signs: plain-language messages, each with the numbers behind it.

Each sign is a small function of the indicators (and, for a fall in attendance, the
indicators of the previous window); it answers a :class:`WarningSign` or None. Its
message is a message id with parameters (:mod:`governance.diagnosis.messages`), so the
pages say it in the reader's language; ``message`` is the English sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from governance.diagnosis.indicator import Indicator, Window
from governance.diagnosis.messages import (
    N_,
    Message,
    Param,
    all_of,
    day,
    label,
    number,
    share,
    text,
)
from governance.diagnosis.thresholds import Thresholds
from governance.vocab import ModelVariable


@dataclass(frozen=True)
class WarningSign:
    key: str
    variable: ModelVariable
    text: Message
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sign in plain English."""
        return str(self.text)


@dataclass(frozen=True)
class Context:
    """What the signs look at: this window's indicators and the previous window's
    attendance shares (the only indicators a sign compares across windows)."""

    indicators: Mapping[str, Indicator]
    previous: Mapping[str, Indicator]
    window: Window
    thresholds: Thresholds
    #: The day of the first held meeting, if any.
    first_meeting: dt.date | None

    def value(self, key: str) -> float | None:
        found = self.indicators.get(key)
        return None if found is None else found.value

    def detail(self, key: str) -> Mapping[str, Any]:
        found = self.indicators.get(key)
        return {} if found is None else found.detail


def overdue_commitments(ctx: Context) -> WarningSign | None:
    """Overdue ratio above ``overdue_ratio_max``."""
    ratio = ctx.value("overdue_ratio")
    limit = ctx.thresholds.overdue_ratio_max
    if ratio is None or ratio <= limit:
        return None
    detail = ctx.detail("overdue_ratio")
    return WarningSign(
        "overdue_commitments",
        ModelVariable.COMMITMENT_TO_PROCESS,
        text(
            N_(
                "%(overdue)s of %(live)s open commitments (%(ratio)s) are past their due "
                "date, above the limit of %(limit)s."
            ),
            overdue=int(detail["overdue"]),
            live=int(detail["live"]),
            ratio=share(ratio),
            limit=share(limit),
        ),
        {
            "overdue_ratio": ratio,
            "overdue": detail["overdue"],
            "live": detail["live"],
            "limit": limit,
        },
    )


def government_commitment_late(ctx: Context) -> WarningSign | None:
    """A government commitment overdue by more than ``government_late_days``."""
    limit = ctx.thresholds.government_late_days
    late = [
        row
        for row in ctx.detail("median_days_overdue").get("overdue", [])
        if row["state"] and row["days_overdue"] > limit
    ]
    if not late:
        return None
    worst = late[0]
    params: dict[str, Param] = {
        "owner": str(worst["owner"]),
        "description": str(worst["description"]),
        "days": int(worst["days_overdue"]),
        "limit": number(limit),
    }
    said = (
        text(
            N_(
                '%(owner)s\'s commitment "%(description)s" is %(days)s days overdue; government '
                "commitments should not run more than %(limit)s days late."
            ),
            **params,
        )
        if len(late) == 1
        else text(
            N_(
                '%(owner)s\'s commitment "%(description)s" is %(days)s days overdue and '
                "%(more)s more; government commitments should not run more than %(limit)s "
                "days late."
            ),
            more=len(late) - 1,
            **params,
        )
    )
    return WarningSign(
        "government_commitment_late",
        ModelVariable.COMMITMENT_TO_PROCESS,
        said,
        {"late": late, "limit_days": limit},
    )


def attendance_drop(ctx: Context) -> WarningSign | None:
    """A sector's attendance share at the joint forums down by ``attendance_drop`` or more
    since the last window.

    Ansell & Gash's warning is about a group dropping out of the forum where state and
    non-state actors meet, so only the meetings of joint forums count
    (:func:`governance.diagnosis.design.joint_forums`; the ``joint_share`` of the
    attendance-share indicators): a group staying away from one side's own working group
    has not left the collaboration. Only sectors with ``attendance_drop_min_attendances``
    or more attendances at joint forums in the previous window count, and only when a
    joint forum met in both windows.
    """
    fall = ctx.thresholds.attendance_drop
    drops: list[dict[str, Any]] = []
    forums: set[str] = set()
    for key, now in ctx.indicators.items():
        if not key.startswith("attendance_share_"):
            continue
        before = ctx.previous.get(key)
        now_share = now.detail.get("joint_share")
        before_share = None if before is None else before.detail.get("joint_share")
        if before is None or now_share is None or before_share is None or before_share <= 0:
            continue
        if before.detail["joint_attendances"] < ctx.thresholds.attendance_drop_min_attendances:
            continue
        change = (before_share - now_share) / before_share
        if change >= fall:
            drops.append(
                {
                    "sector": key.removeprefix("attendance_share_"),
                    "before": round(before_share, 4),
                    "now": round(now_share, 4),
                    "fall": round(change, 4),
                }
            )
            forums.update(now.detail.get("joint_forums", ()))
    if not drops:
        return None
    said = all_of(
        [
            text(
                N_("%(sector)s from %(before)s to %(now)s"),
                sector=label("sector", d["sector"]),
                before=share(d["before"]),
                now=share(d["now"]),
            )
            for d in drops
        ]
    )
    return WarningSign(
        "attendance_drop",
        ModelVariable.PARTICIPATORY_INCLUSIVENESS,
        text(
            N_(
                "Attendance share at the forums where state and non-state actors meet fell by "
                "%(fall)s or more since the previous %(days)s days: %(drops)s."
            ),
            fall=share(fall),
            days=ctx.window.days,
            drops=said,
        ),
        {"sectors": drops, "limit": fall, "forums": sorted(forums)},
    )


def trust_deficit(ctx: Context) -> WarningSign | None:
    """Net trust balance below ``trust_balance_min``."""
    balance = ctx.value("net_trust_balance")
    limit = ctx.thresholds.trust_balance_min
    if balance is None or balance >= limit:
        return None
    return WarningSign(
        "trust_deficit",
        ModelVariable.TRUST_BUILDING,
        text(
            N_(
                "Recent trust events are more negative than positive: the net trust balance "
                "is %(balance)s, below %(limit)s."
            ),
            balance=number(balance, 2, signed=True),
            limit=number(limit, 2, signed=True),
        ),
        {"net_trust_balance": balance, "limit": limit, **ctx.detail("net_trust_balance")},
    )


def alternative_venue(ctx: Context) -> WarningSign | None:
    """A protest or other alternative-venue event in the window."""
    count = ctx.value("alternative_venue_events")
    if not count:
        return None
    events = ctx.detail("alternative_venue_events").get("events", [])
    return WarningSign(
        "alternative_venue",
        ModelVariable.FORUM_EXCLUSIVENESS,
        text(
            N_(
                "%(count)s protest or alternative-venue event(s) in the last %(days)s days: a "
                "party is taking the issue outside the forum."
            ),
            count=int(count),
            days=ctx.window.days,
        ),
        {"events": events},
    )


def no_small_win(ctx: Context) -> WarningSign | None:
    """No small win in ``small_win_recent_days``, once the collaboration is that old."""
    recent = ctx.thresholds.small_win_recent_days
    first = ctx.first_meeting
    if first is None or (ctx.window.end - first).days < recent:
        return None
    days = ctx.value("days_since_small_win")
    if days is not None and days <= recent:
        return None
    last = ctx.detail("days_since_small_win").get("last_on")
    since = (
        text(N_("the last was on %(date)s"), date=day(dt.date.fromisoformat(last)))
        if last
        else text(N_("none has been recorded"))
    )
    return WarningSign(
        "no_small_win",
        ModelVariable.INTERMEDIATE_OUTCOMES,
        text(
            N_(
                "No small win in the last %(recent)s days (%(since)s): the cycle lacks results "
                "to feed trust and commitment."
            ),
            recent=number(recent),
            since=since,
        ),
        {"days_since_small_win": days, "limit_days": recent},
    )


def transparency_lapse(ctx: Context) -> WarningSign | None:
    """``minutes_lapses`` or more held meetings in the window without minutes on time."""
    lapsed = ctx.detail("minutes_on_time").get("lapsed", [])
    limit = ctx.thresholds.minutes_lapses
    if len(lapsed) < limit:
        return None
    return WarningSign(
        "transparency_lapse",
        ModelVariable.PROCESS_TRANSPARENCY,
        text(
            N_(
                "Minutes of %(count)s held meetings in the last %(days)s days were not "
                "circulated within %(deadline)s days."
            ),
            count=len(lapsed),
            days=ctx.window.days,
            deadline=number(ctx.thresholds.minutes_deadline_days),
        ),
        {"lapsed": lapsed, "limit": limit},
    )


def unaddressed_asymmetry(ctx: Context) -> WarningSign | None:
    """Resource asymmetry at or above ``asymmetry_high`` and no empowerment action recorded."""
    gini = ctx.value("resource_asymmetry")
    limit = ctx.thresholds.asymmetry_high
    if gini is None or gini < limit or ctx.value("empowerment_actions"):
        return None
    return WarningSign(
        "unaddressed_asymmetry",
        ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY,
        text(
            N_(
                "Resources are concentrated (Gini %(gini)s, at or above %(limit)s) and no "
                "action to empower the weaker parties is recorded."
            ),
            gini=number(gini, 2),
            limit=number(limit, 2),
        ),
        {"resource_asymmetry": gini, "limit": limit},
    )


def leadership_gap(ctx: Context) -> WarningSign | None:
    """No facilitator designated, or one attending less than ``facilitator_attendance_min``."""
    if ctx.value("facilitator_designated") == 0:
        return WarningSign(
            "leadership_gap",
            ModelVariable.FACILITATIVE_LEADERSHIP,
            text(N_("No facilitator is designated for the forums or the collaboration.")),
            {"facilitator_designated": 0},
        )
    attended_share = ctx.value("facilitator_attendance")
    limit = ctx.thresholds.facilitator_attendance_min
    if attended_share is None or attended_share >= limit:
        return None
    detail = ctx.detail("facilitator_attendance")
    return WarningSign(
        "leadership_gap",
        ModelVariable.FACILITATIVE_LEADERSHIP,
        text(
            N_(
                "The facilitator attended %(attended)s of %(meetings)s held meetings "
                "(%(share)s), below %(limit)s."
            ),
            attended=int(detail["attended"]),
            meetings=int(detail["meetings"]),
            share=share(attended_share),
            limit=share(limit),
        ),
        {"facilitator_attendance": attended_share, "limit": limit, "missed": detail["missed"]},
    )


#: Every sign, in the order they are reported.
SIGNS: tuple[Callable[[Context], WarningSign | None], ...] = (
    overdue_commitments,
    government_commitment_late,
    attendance_drop,
    trust_deficit,
    alternative_venue,
    no_small_win,
    transparency_lapse,
    unaddressed_asymmetry,
    leadership_gap,
)


def warnings(ctx: Context) -> list[WarningSign]:
    """Every sign that shows, in order."""
    return [found for sign in SIGNS if (found := sign(ctx)) is not None]
