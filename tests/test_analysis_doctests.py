"""The examples in the analysis modules' docstrings run, so they cannot go stale."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["polku.finding", "polku.findings", "polku.reach", "polku.paths",
           "polku.bottlenecks", "polku.whatif"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
