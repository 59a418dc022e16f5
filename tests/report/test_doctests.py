"""The examples in the report package's docstrings and the diagnosis drawings' geometry."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "governance.report.comparison",
    "governance.report.markdown",
    "governance.report.parts",
    "governance.report.wording",
    "api.pages.diagnosis_charts",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)

    assert result.attempted > 0
    assert result.failed == 0
