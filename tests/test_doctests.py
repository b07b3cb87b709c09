"""The examples in the modules' docstrings run, so they cannot go stale: every module of
the package is collected, so a new module's examples run without being listed here."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import polku

MODULES = sorted(m.name for m in pkgutil.walk_packages(polku.__path__, "polku."))


def test_every_module_is_collected():
    files = {p.relative_to(Path(polku.__file__).parent) for p in
             Path(polku.__file__).parent.rglob("*.py")}
    names = {".".join(("polku",) + p.with_suffix("").parts).removesuffix(".__init__")
             for p in files}
    assert names - {"polku"} == set(MODULES)
    assert {"polku.findings", "polku.plan", "polku.views.registry"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    source = Path(module.__file__).read_text(encoding="utf-8").splitlines()
    if any(">>> " in line and "doctest: +SKIP" not in line for line in source):
        assert result.attempted > 0, f"{name} has examples that doctest does not find"
    assert result.failed == 0
