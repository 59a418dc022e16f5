"""The words people read are defined once and say the same everywhere: docstring
examples hold, each formula is in its function's docstring, and docs/diagnosis.md
lists every indicator, formula and threshold."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import governance.diagnosis
from governance.diagnosis.indicator import SPECS
from governance.diagnosis.indicators import compute  # noqa: F401 - registers every spec
from governance.diagnosis.thresholds import Thresholds

MODULES = sorted(
    f"governance.diagnosis.{m.name}" for m in pkgutil.iter_modules(governance.diagnosis.__path__)
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "diagnosis.md"


class TestDocstringExamples:
    @pytest.mark.parametrize("name", MODULES)
    def test_examples_hold(self, name: str) -> None:
        module = importlib.import_module(name)

        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)

        assert result.failed == 0

    def test_the_indicators_have_examples(self) -> None:
        attempted = sum(
            doctest.testmod(importlib.import_module(name)).attempted for name in MODULES
        )

        assert attempted > 100


class TestFormulas:
    def test_every_indicator_function_states_its_formula_and_source(self) -> None:
        documented = {}
        for name in MODULES:
            for _, function in inspect.getmembers(
                importlib.import_module(name), inspect.isfunction
            ):
                doc = function.__doc__ or ""
                for spec in SPECS.values():
                    if f"Formula: {spec.formula}." in doc:
                        assert f"Source: {spec.source}." in doc
                        documented[spec.key] = function.__name__

        assert set(documented) == set(SPECS)

    def test_there_are_indicators_for_every_part_of_the_model(self) -> None:
        variables = {spec.variable for spec in SPECS.values()}

        assert len(SPECS) >= 28
        assert len(variables) == 14


class TestDocsPage:
    def test_lists_every_indicator_with_its_formula(self) -> None:
        text = DOCS.read_text(encoding="utf-8")

        missing = [
            spec.key
            for spec in SPECS.values()
            if f"`{spec.key}" not in text or spec.formula not in text
        ]

        assert missing == []

    def test_lists_every_threshold_with_its_default(self) -> None:
        text = DOCS.read_text(encoding="utf-8")

        missing = [
            name
            for name, _, default, _ in Thresholds().described()
            if f"`{name}` | {default:g} |" not in text
        ]

        assert missing == []
