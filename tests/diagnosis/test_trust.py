"""Trust: the decayed net balance and reliability per stakeholder."""

from __future__ import annotations

import pytest

from governance.diagnosis.examples import commitment, day, event, stakeholder
from governance.diagnosis.trust import net_trust_balance, reliability
from governance.vocab import CommitmentStatus, Valence

AS_OF = day("2022-06-30")


class TestNetTrustBalance:
    def test_weights_by_severity_and_halves_every_half_life(self) -> None:
        events = [
            event("2022-06-30", Valence.POSITIVE, 3),  # weight 3
            event("2022-05-01", Valence.NEGATIVE, 2),  # 60 days old: weight 1
            event("2022-03-02", Valence.POSITIVE, 4),  # 120 days old: weight 1
            event("2022-07-01", Valence.NEGATIVE, 3),  # after the as-of date
        ]

        result = net_trust_balance(events, AS_OF, half_life_days=60)

        assert result.value == pytest.approx((4 - 1) / (4 + 1))
        assert result.detail["negative_events"] == 1

    def test_a_longer_half_life_keeps_old_conflict_alive(self) -> None:
        events = [event("2022-06-30", Valence.POSITIVE), event("2021-06-30", Valence.NEGATIVE)]

        short = net_trust_balance(events, AS_OF, half_life_days=30).value
        long = net_trust_balance(events, AS_OF, half_life_days=365).value

        assert short is not None
        assert long is not None
        assert short > 0.99
        assert long == pytest.approx(1 / 3)

    def test_too_little_data_without_events(self) -> None:
        result = net_trust_balance([event("2023-01-01")], AS_OF, half_life_days=60)

        assert result.reason == "too little data: no trust event recorded up to the as-of date"


class TestReliability:
    def test_mean_of_each_owners_on_time_share(self) -> None:
        people = {1: stakeholder(1, name="Dinsos"), 2: stakeholder(2, name="SPRI")}
        promises = [
            commitment("2022-01-01", "2022-02-01", (CommitmentStatus.FULFILLED, "2022-01-20")),
            commitment("2022-01-01", "2022-02-01", (CommitmentStatus.BROKEN, "2022-03-01")),
            commitment(
                "2022-01-01", "2022-02-01", (CommitmentStatus.FULFILLED, "2022-01-15"), owner=2
            ),
            commitment(
                "2022-01-01", "2022-02-01", (CommitmentStatus.WITHDRAWN, "2022-01-10"), owner=2
            ),
            commitment("2022-01-01", "2022-09-01", owner=2),  # not due yet
        ]

        result = reliability(promises, people, AS_OF)

        assert result.value == (1 / 2 + 1 / 1) / 2
        assert [
            (s["stakeholder"], s["on_time"], s["due"]) for s in result.detail["stakeholders"]
        ] == [
            ("Dinsos", 1, 2),
            ("SPRI", 1, 1),
        ]

    def test_too_little_data_when_nothing_fell_due(self) -> None:
        result = reliability([commitment("2022-01-01", "2022-09-01")], {}, AS_OF)

        assert result.reason == "too little data: no commitment fell due by the as-of date"
