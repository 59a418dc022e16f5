"""The examples in the import and export modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "governance.imports.parsing",
    "governance.imports.columns",
    "governance.imports.matching",
    "governance.imports.messages",
    "governance.imports.kinds_registry",
    "governance.exports.pseudonyms",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)

    assert result.failed == 0
    assert result.attempted > 0
