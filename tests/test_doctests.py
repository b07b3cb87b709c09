"""The examples in every module's docstrings run, so they cannot go stale.

The modules are found by walking the package, not listed by hand: a new module's examples
run without anyone remembering to add it here.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
from pathlib import Path

import pytest

import polku

ROOT = Path(__file__).resolve().parents[1]
NEEDS_A_SERVER = {"polku.analyses.neo4j_findings"}
MODULES = sorted(m.name for m in pkgutil.walk_packages(polku.__path__, "polku."))


def test_modules_are_found():
    assert {"polku.analyses.findings", "polku.kinds", "polku.cli", "polku.present.views.registry"} <= set(MODULES)


@pytest.mark.parametrize("where", ["checkout", "elsewhere"])
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, where: str, monkeypatch: pytest.MonkeyPatch,
                            tmp_path: Path) -> None:
    # examples name files as a user in the repository would (graphs/keski-uusimaa.ttl), and
    # run for a user who installed the wheel, in a folder of their own: none reads the
    # checkout's test data (tests/data/mini: 11 examples of 4 modules failed outside it)
    monkeypatch.chdir(ROOT if where == "checkout" else tmp_path)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    runnable = [e for test in doctest.DocTestFinder().find(module) for e in test.examples
                if not e.options.get(doctest.SKIP)]
    assert result.attempted == len(runnable)
    if ">>>" in Path(module.__file__).read_text(encoding="utf-8") and not runnable:
        # only a module that needs a live server may skip all its examples
        assert name in NEEDS_A_SERVER, f"{name}: every example is skipped"
