"""The examples in the modules' docstrings run, so they cannot go stale."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["polku.finding", "polku.findings", "polku.reach", "polku.paths",
           "polku.bottlenecks", "polku.whatif", "polku.graph", "polku.errors",
           "polku.workbook", "polku.describe", "polku.gcpause"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
