"""Thresholds: named defaults, overridden per deployment, refused when unknown or out of range."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from governance.config import Settings
from governance.diagnosis.thresholds import Thresholds


class TestDefaults:
    def test_are_those_of_the_issue(self) -> None:
        defaults = Thresholds()

        assert (
            defaults.trust_half_life_days,
            defaults.minutes_deadline_days,
            defaults.fulfilment_min,
            defaults.small_win_recent_days,
            defaults.overdue_ratio_max,
            defaults.government_late_days,
            defaults.attendance_drop,
            defaults.trust_balance_min,
            defaults.minutes_lapses,
            defaults.dormant_gap_factor,
        ) == (60, 7, 0.6, 180, 0.25, 30, 0.3, 0, 2, 2)

    def test_each_is_described(self) -> None:
        described = Thresholds().described()

        assert [name for name, *_ in described] == list(Thresholds.names())
        assert all(description.endswith(".") for *_, description in described)


class TestOverrides:
    def test_replace_only_the_named_values(self) -> None:
        changed = Thresholds.with_overrides({"overdue_ratio_max": 0.4, "trust_half_life_days": 90})

        assert (changed.overdue_ratio_max, changed.trust_half_life_days) == (0.4, 90)
        assert changed.fulfilment_min == 0.6
        used = {name: (value, default) for name, value, default, _ in changed.described()}
        assert used["overdue_ratio_max"] == (0.4, 0.25)

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"fulfilment": 0.5}, "unknown diagnosis threshold 'fulfilment'"),
            ({"fulfilment_min": 1.5}, "'fulfilment_min' must lie between 0 and 1, not 1.5"),
            ({"trust_half_life_days": 0}, "'trust_half_life_days' must lie between 1 and 3650"),
            ({"trust_balance_min": -2}, "'trust_balance_min' must lie between -1 and 1"),
            ({"overdue_ratio_max": float("nan")}, "must be a finite number, not nan"),
            ({"overdue_ratio_max": True}, "must be a finite number, not True"),
            ({"overdue_ratio_max": "0.3"}, "must be a finite number, not '0.3'"),
        ],
    )
    def test_refuse_unknown_names_and_bad_values(
        self, overrides: dict[str, float], message: str
    ) -> None:
        with pytest.raises(ValueError, match="diagnosis threshold") as raised:
            Thresholds.with_overrides(overrides)

        assert message in str(raised.value)


class TestSettings:
    def test_read_as_json_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLLABGOV_DIAGNOSIS_THRESHOLDS", json.dumps({"overdue_ratio_max": 0.4}))

        settings = Settings(_env_file=None)

        assert settings.diagnosis_thresholds == {"overdue_ratio_max": 0.4}
        assert Thresholds.with_overrides(settings.diagnosis_thresholds).overdue_ratio_max == 0.4

    def test_default_to_none(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("COLLABGOV_DIAGNOSIS_THRESHOLDS", raising=False)

        assert Settings(_env_file=None).diagnosis_thresholds == {}

    def test_refuse_an_unknown_name_clearly(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLLABGOV_DIAGNOSIS_THRESHOLDS", '{"overdue_max": 0.4}')

        with pytest.raises(ValidationError, match="COLLABGOV_DIAGNOSIS_THRESHOLDS: unknown"):
            Settings(_env_file=None)
