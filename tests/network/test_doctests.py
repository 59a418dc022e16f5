"""The examples in the network modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "governance.network.brokerage",
    "governance.network.co_attendance",
    "governance.network.drawing",
    "governance.network.export",
    "governance.network.graph",
    "governance.network.igraph_engine",
    "governance.network.layout",
    "governance.network.metrics",
    "governance.network.series",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)

    assert result.failed == 0
    assert result.attempted > 0
