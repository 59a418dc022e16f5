"""What the diagnosis works out once per case answers as the plain definitions would.

A national case is diagnosed from facts worked out once (the ledger of commitments,
the small wins, the turns' look-up). Each is checked here against the plain
computation it replaces, on any records.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.cases.snapshot import CommitmentRow, OutcomeRow, StatusStep, TrustEventRow
from governance.diagnosis import cycle, facts
from governance.diagnosis.examples import case, commitment, day, event, outcome
from governance.diagnosis.indicator import Window
from governance.vocab import CommitmentStatus, OutcomeLevel, Valence

START = dt.date(2020, 1, 1)
days = st.integers(0, 600).map(lambda n: START + dt.timedelta(days=n))
ids = itertools.count(1)


@st.composite
def any_commitment(draw: st.DrawFn) -> CommitmentRow:
    """A commitment with any history: in any order, or none (then its recorded status)."""
    made = draw(days)
    history = draw(
        st.lists(st.builds(StatusStep, st.sampled_from(CommitmentStatus), days), max_size=4)
    )
    if draw(st.booleans()):
        history.sort(key=lambda step: step.changed_on)
    return CommitmentRow(
        id=next(ids),
        meeting_id=None,
        owner_id=draw(st.integers(1, 4)),
        counterpart_id=None,
        description="A promise",
        made_on=made,
        due_on=draw(st.none() | days),
        status=draw(st.sampled_from(CommitmentStatus)),
        fulfilled_on=draw(st.none() | days),
        history=tuple(history),
    )


def plain_days_overdue(c: CommitmentRow, on: dt.date) -> int | None:
    if c.due_on is None or not facts.outstanding_on(c, on):
        return None
    late = (on - c.due_on).days
    return late if late > 0 else None


class TestLedger:
    @settings(max_examples=150, deadline=None)
    @given(st.lists(any_commitment(), max_size=8), st.lists(days, min_size=1, max_size=4))
    def test_answers_as_each_commitment_does(
        self, commitments: list[CommitmentRow], asked: list[dt.date]
    ) -> None:
        ledger = facts.Ledger.of(commitments)

        assert ledger.fulfilled == [facts.fulfilled_on(c) for c in commitments]
        assert ledger.kept == [facts.fulfilled_by_due(c) for c in commitments]
        assert ledger.withdrawn == [facts.withdrawn_by_due(c) for c in commitments]
        for on in asked:
            assert list(ledger.outstanding(on)) == [
                facts.outstanding_on(c, on) for c in commitments
            ]
            assert ledger.days_overdue(on) == [plain_days_overdue(c, on) for c in commitments]
            assert [facts.days_overdue(c, on) for c in commitments] == ledger.days_overdue(on)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(any_commitment(), max_size=8), days, st.integers(1, 200))
    def test_finds_what_falls_due_in_a_window_in_their_order(
        self, commitments: list[CommitmentRow], end: dt.date, length: int
    ) -> None:
        window = Window.ending(end, length)

        found = facts.due_in(commitments, window)

        assert found == [
            c
            for c in commitments
            if c.due_on is not None
            and c.due_on in window
            and c.made_on <= window.end
            and facts.status_on(c, c.due_on) is not CommitmentStatus.WITHDRAWN
        ]

    @settings(max_examples=150, deadline=None)
    @given(st.lists(any_commitment(), max_size=8), st.none() | days, days)
    def test_finds_what_was_made_and_what_counts_by_a_day(
        self, commitments: list[CommitmentRow], start: dt.date | None, end: dt.date
    ) -> None:
        ledger = facts.Ledger.of(commitments)

        made = ledger.made_between(start, end)
        counted = ledger.counted_by(end)

        assert sorted(c.id for c in made) == sorted(
            c.id for c in commitments if (start is None or start <= c.made_on) and c.made_on <= end
        )
        assert [c.made_on for c in made] == sorted(c.made_on for c in made)
        assert counted == [
            position
            for position, c in enumerate(commitments)
            if c.due_on is not None
            and c.due_on <= end
            and c.made_on <= end
            and not facts.withdrawn_by_due(c)
        ]

    def test_of_a_case_is_worked_out_once(self) -> None:
        data = case(commitments=[commitment("2022-03-01", "2022-05-01")])

        assert facts.ledger(data) is facts.ledger(data)
        assert facts.Ledger.of(facts.ledger(data)) is facts.ledger(data)

    def test_settles_on_the_last_date_of_record(self) -> None:
        promise = commitment("2022-03-01", "2022-09-01", (CommitmentStatus.BROKEN, "2022-04-20"))

        assert facts.settles_on(promise) == day("2022-04-20")


def plain_small_wins(outcomes: list[OutcomeRow], on: dt.date) -> list[facts.SmallWin]:
    """The small wins up to a day as they were found before: reading up to that day."""
    found = []
    for row in outcomes:
        if row.level is not OutcomeLevel.SMALL_WIN or row.target == row.baseline:
            continue
        direction = 1.0 if row.target > row.baseline else -1.0
        previous = row.baseline
        for measurement in sorted(row.measurements, key=lambda m: m.measured_on):
            if measurement.measured_on > on:
                break
            if (measurement.value - previous) * direction > 0:
                found.append(
                    facts.SmallWin(measurement.measured_on, row.id, row.title, measurement.value)
                )
            previous = measurement.value
    return sorted(found, key=lambda win: (win.day, win.outcome_id))


outcomes = st.lists(
    st.builds(
        lambda baseline, target, measured, level: outcome(baseline, target, *measured, level=level),
        st.sampled_from([0.0, 50.0]),
        st.sampled_from([0.0, 100.0]),
        st.lists(st.tuples(days.map(dt.date.isoformat), st.floats(-50, 150)), max_size=5),
        st.sampled_from([OutcomeLevel.SMALL_WIN, OutcomeLevel.OUTCOME]),
    ),
    max_size=4,
)


class TestSmallWins:
    @settings(max_examples=150, deadline=None)
    @given(outcomes, days)
    def test_up_to_a_day_are_those_found_reading_up_to_it(
        self, rows: list[OutcomeRow], on: dt.date
    ) -> None:
        assert facts.small_wins(rows, on) == plain_small_wins(rows, on)

    def test_of_a_case_are_found_once(self) -> None:
        data = case(outcomes=[outcome(0, 100, ("2022-01-31", 20))])

        assert facts.outcomes_of(data) is facts.outcomes_of(data)
        assert [w.day for w in facts.outcomes_of(data).wins] == [day("2022-01-31")]


def plain_turns(
    rows: list[OutcomeRow], commitments: list[CommitmentRow], as_of: dt.date
) -> list[cycle.Turn]:
    """The turns as they were found before: a scan of the fulfilled commitments per win."""
    fulfilled = sorted(
        (
            (done, c)
            for c in commitments
            if (done := facts.fulfilled_on(c)) is not None and done <= as_of
        ),
        key=lambda item: (item[0], item[1].id),
    )
    found: list[cycle.Turn] = []
    resume: dt.date | None = None
    last_win: dt.date | None = None
    for win in facts.small_wins(rows, as_of):
        if (resume is not None and win.day < resume) or (
            last_win is not None and win.day <= last_win
        ):
            continue
        closing = next(((done, c) for done, c in fulfilled if c.made_on >= win.day), None)
        if closing is None:
            break
        done, c = closing
        found.append(cycle.Turn(win.day, win.title, c.id, c.description, c.made_on, done))
        resume, last_win = done, win.day
    return found


class TestTurns:
    @settings(max_examples=150, deadline=None)
    @given(outcomes, st.lists(any_commitment(), max_size=10), days)
    def test_are_those_a_scan_finds(
        self, rows: list[OutcomeRow], commitments: list[CommitmentRow], as_of: dt.date
    ) -> None:
        assert cycle.turns(rows, commitments, as_of) == plain_turns(rows, commitments, as_of)

    def test_the_same_day_goes_to_the_lower_id(self) -> None:
        aid = outcome(0, 100, ("2021-01-31", 20))
        later = commitment("2021-02-01", None, (CommitmentStatus.FULFILLED, "2021-03-01"))
        earlier = commitment("2021-02-05", None, (CommitmentStatus.FULFILLED, "2021-03-01"))

        (turn,) = cycle.turns([aid], [earlier, later], day("2021-12-31"))

        assert turn.commitment_id == min(later.id, earlier.id)


events = st.lists(
    st.builds(
        lambda on, valence: event(on.isoformat(), valence),
        days,
        st.sampled_from(Valence),
    ),
    max_size=8,
)


class TestTrustEvents:
    @settings(max_examples=150, deadline=None)
    @given(events, st.booleans(), st.none() | days, days)
    def test_between_and_before_days_are_those_a_scan_finds(
        self, rows: list[TrustEventRow], in_order: bool, start: dt.date | None, end: dt.date
    ) -> None:
        if in_order:
            rows.sort(key=lambda e: e.occurred_on)
        found = facts.TrustEvents.of(rows)

        assert found.between(start, end) == [
            e for e in rows if (start is None or start <= e.occurred_on) and e.occurred_on <= end
        ]
        assert found.before(end) == [e for e in rows if e.occurred_on < end]

    def test_of_a_case_are_found_once(self) -> None:
        data = case(trust_events=[event("2022-03-01")])

        assert facts.trust_events(data) is facts.trust_events(data)
        assert facts.TrustEvents.of(facts.trust_events(data)) is facts.trust_events(data)


class TestLatestMeasurements:
    @settings(max_examples=150, deadline=None)
    @given(outcomes, days)
    def test_are_those_a_scan_finds(self, rows: list[OutcomeRow], on: dt.date) -> None:
        found = facts.Outcomes.of(rows).latest(on)

        assert found == [
            max(measured, key=lambda m: m.measured_on).value if measured else None
            for measured in ([m for m in row.measurements if m.measured_on <= on] for row in rows)
        ]

    def test_of_a_day_with_two_takes_the_first_given(self) -> None:
        row = outcome(0, 100, ("2022-03-01", 20), ("2022-05-01", 40), ("2022-05-01", 30))

        assert facts.Outcomes.of([row]).latest(day("2022-06-30")) == [40]
        assert facts.Outcomes.of([row]).latest(day("2022-04-30")) == [20]
        assert facts.Outcomes.of([row]).latest(day("2022-02-28")) == [None]
