"""The walk-through notebook runs top to bottom on the example region, as a reader would."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.notebook  # conftest.py adds slow


def test_walkthrough_notebook_runs(tmp_path: Path, monkeypatch) -> None:
    # the notebook writes its page where POLKU_OUT says: the test's folder, not out/
    monkeypatch.setenv("POLKU_OUT", str(tmp_path))
    nb = json.loads((ROOT / "notebooks" / "walkthrough.ipynb").read_text(encoding="utf-8"))
    namespace: dict = {}
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")  # the notebook finds the repository root by itself
    try:
        with contextlib.redirect_stdout(out):
            for cell in nb["cells"]:
                if cell["cell_type"] == "code":
                    exec(compile("".join(cell["source"]), "walkthrough.ipynb", "exec"), namespace)
    finally:
        os.chdir(cwd)
    text = out.getvalue()
    assert "Asiakasryhmät:" in text  # Finnish first, as every summary
    assert "Keski-Uudenmaan työhön osallistumisen ekosysteemi" in text  # the title, not the id
    assert "[multiple-leads]" not in text  # only errors are printed in full
    assert "[path-broken]" in text
    assert Path(namespace["out"]).exists()
    assert Path(namespace["out"]).parent == tmp_path
