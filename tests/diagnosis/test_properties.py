"""Invariants that hold for any records: shares in [0, 1], balances in [−1, 1], counts
whole, decay monotone in age, the Gini coefficient in [0, 1), and a diagnosis always."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.cases.snapshot import CaseData, CommitmentRow, StakeholderRow, StatusStep
from governance.diagnosis.diagnose import PHASES, diagnose
from governance.diagnosis.examples import (
    case,
    decision,
    event,
    forum,
    meeting,
    outcome,
    participation,
)
from governance.diagnosis.indicator import Kind, Window
from governance.diagnosis.indicators import compute
from governance.diagnosis.measures import decay_weight, gini, net_balance
from governance.diagnosis.thresholds import Thresholds
from governance.vocab import (
    COMMITMENT_TRANSITIONS,
    CommitmentStatus,
    Criterion,
    CriterionRating,
    DecisionKind,
    MeetingMode,
    MeetingStatus,
    OutcomeLevel,
    ParticipationRole,
    Sector,
    StakeholderKind,
    Valence,
)

START = dt.date(2020, 1, 1)
IDS = st.integers(1, 6)
days = st.integers(0, 900).map(lambda n: START + dt.timedelta(days=n))
iso = days.map(dt.date.isoformat)


@st.composite
def commitments(draw: st.DrawFn) -> CommitmentRow:
    made = draw(days)
    history = [StatusStep(CommitmentStatus.OPEN, made)]
    on = made
    for _ in range(draw(st.integers(0, 3))):
        allowed = sorted(COMMITMENT_TRANSITIONS[history[-1].to_status])
        if not allowed:
            break
        on += dt.timedelta(days=draw(st.integers(0, 120)))
        history.append(StatusStep(draw(st.sampled_from(allowed)), on))
    status = history[-1].to_status
    return CommitmentRow(
        id=draw(st.integers(1, 10**6)),
        meeting_id=None,
        owner_id=draw(IDS),
        counterpart_id=draw(st.none() | IDS),
        description="A promise",
        made_on=made,
        due_on=draw(st.none() | st.integers(0, 200).map(lambda n: made + dt.timedelta(days=n))),
        status=status,
        fulfilled_on=on if status is CommitmentStatus.FULFILLED else None,
        history=tuple(history),
    )


@st.composite
def cases(draw: st.DrawFn) -> CaseData:
    people = [
        StakeholderRow(
            i,
            f"S{i}",
            draw(st.sampled_from(StakeholderKind)),
            draw(st.sampled_from(Sector)),
            draw(
                st.dictionaries(
                    st.sampled_from(["authority", "staff", "budget"]), st.integers(0, 4)
                )
            ),
        )
        for i in range(1, 7)
    ]
    meetings = draw(
        st.lists(
            st.builds(
                lambda on, who, absent, mode, status, minutes: meeting(
                    on,
                    *who,
                    absent=absent,
                    mode=mode,
                    status=status,
                    minutes_on=minutes,
                    forum_id=1,
                ),
                iso,
                st.sets(IDS, max_size=6),
                st.sets(IDS, max_size=2),
                st.sampled_from(MeetingMode),
                st.sampled_from(MeetingStatus),
                st.none() | iso,
            ),
            max_size=12,
        )
    )
    return case(
        started=draw(st.none() | iso),
        stakeholders=people,
        participations=draw(
            st.lists(
                st.builds(
                    lambda i, role, joined, words: participation(
                        i, role, joined=joined, incentives=words
                    ),
                    IDS,
                    st.sampled_from(ParticipationRole),
                    st.none() | iso,
                    st.sampled_from(["", "The pandemic"]),
                ),
                max_size=8,
            )
        ),
        forums=[
            forum(
                1,
                facilitator=draw(st.none() | IDS),
                ground_rules=draw(
                    st.dictionaries(
                        st.sampled_from(["roles", "schedule", "deadlines"]), st.booleans()
                    )
                ),
                criteria=draw(
                    st.dictionaries(st.sampled_from(Criterion), st.sampled_from(CriterionRating))
                ),
            )
        ],
        meetings=meetings,
        decisions=draw(
            st.lists(
                st.builds(lambda on, kind: decision(on, kind), iso, st.sampled_from(DecisionKind))
            )
        ),
        commitments=draw(st.lists(commitments(), max_size=10)),
        trust_events=draw(
            st.lists(
                st.builds(
                    lambda on, valence, severity, actor, target: event(
                        on, valence, severity, actor=actor, target=target
                    ),
                    iso,
                    st.sampled_from(Valence),
                    st.integers(1, 3),
                    IDS,
                    st.none() | IDS,
                ),
                max_size=10,
            )
        ),
        outcomes=draw(
            st.lists(
                st.builds(
                    lambda level, measured: outcome(0, 100, *measured, level=level),
                    st.sampled_from(OutcomeLevel),
                    st.lists(st.tuples(iso, st.floats(-50, 150)), max_size=4),
                ),
                max_size=3,
            )
        ),
    )


RANGES = {
    Kind.RATIO: (0.0, 1.0),
    Kind.FLAG: (0.0, 1.0),
    Kind.BALANCE: (-1.0, 1.0),
    Kind.GINI: (0.0, 1.0),
    Kind.COUNT: (0.0, math.inf),
    Kind.RATE: (0.0, math.inf),
    Kind.DAYS: (0.0, math.inf),
}


class TestIndicatorInvariants:
    @settings(max_examples=40, deadline=None, database=None)
    @given(data=cases(), as_of=days, window_days=st.integers(7, 400))
    def test_every_value_lies_in_its_range_or_says_why_not(
        self, data: CaseData, as_of: dt.date, window_days: int
    ) -> None:
        for found in compute(data, Window.ending(as_of, window_days), Thresholds()):
            if found.value is None:
                assert found.reason is not None
                assert found.reason.startswith("too little data: ")
                continue
            low, high = RANGES[found.kind]
            assert low <= found.value <= high, found
            if found.kind is Kind.GINI:
                assert found.value < 1
            if found.kind in (Kind.COUNT, Kind.FLAG):
                assert found.value == int(found.value)

    @settings(max_examples=25, deadline=None, database=None)
    @given(data=cases(), as_of=days)
    def test_a_diagnosis_is_always_given(self, data: CaseData, as_of: dt.date) -> None:
        found = diagnose(data, as_of=as_of)

        assert found.phase.number in PHASES
        assert found.phase.reason
        assert found.bottleneck is None or found.bottleneck in found.components
        assert all(a.fulfilled_on <= b.small_win_on for a, b in itertools.pairwise(found.turns))
        assert all(w.message for w in found.warnings)


class TestMeasures:
    @given(
        severity=st.integers(1, 3),
        ages=st.tuples(st.floats(0, 10_000), st.floats(0, 10_000)),
        half_life=st.floats(1, 3650),
    )
    def test_decay_never_grows_with_age(
        self, severity: int, ages: tuple[float, float], half_life: float
    ) -> None:
        younger, older = sorted(ages)

        assert decay_weight(severity, older, half_life) <= decay_weight(
            severity, younger, half_life
        )
        assert 0 <= decay_weight(severity, older, half_life) <= severity

    @given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50))
    def test_gini_lies_in_zero_to_one(self, values: list[float]) -> None:
        assert 0 <= gini(values) < 1

    @given(st.floats(0, 1e6), st.floats(0, 1e6))
    def test_a_balance_lies_in_minus_one_to_one(self, positive: float, negative: float) -> None:
        if positive + negative > 0:
            assert -1 <= net_balance(positive, negative) <= 1
