"""The walk-through notebook runs top to bottom on the example region, as a reader would."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from helpers import ROOT, run
from polku.graph import title
from polku.io.load import load_graph
from polku.present.i18n import kind_name, translator
from test_cli_language import english_in

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
    fi = translator("fi")
    g = load_graph(ROOT / "graphs" / "keski-uusimaa.ttl")
    assert "Asiakasryhmät:" in text  # Finnish first, as every summary
    # the graph by its title, services and finding kinds by their names, never their ids
    assert f"{fi('Bottlenecks in {graph}').format(graph=title(g))}\n" in text
    assert f"aineistosta {title(g)}?" in text and "aineistosta keski-uusimaa" not in text
    assert f"{fi.label(g, 'aikuissosiaalityo')} → {fi.label(g, 'talous-ja-velkaneuvonta')}:" in text
    assert "aloittaa palvelusta Aikuissosiaalityö" in text
    assert f"[{kind_name('path-broken', fi)}]" in text and "[path-broken]" not in text
    assert f"[{kind_name('multiple-leads', fi)}]" not in text  # only errors in full
    # one language throughout: the prose and what the cells print are Finnish
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert not english_in(prose), english_in(prose)
    assert not english_in(text), english_in(text)
    # the one door: the same findings as the functions above, worded; the public's ranking
    # leaves out the services whose inflow is not published (small figures)
    assert "Havaintoja: " in text and "Vakavin: " in text
    assert len(namespace["rivit"]) == len(namespace["havainnot"])
    assert namespace["piilossa"], "the example has inflows the public does not read"
    for service in namespace["piilossa"]:
        assert f"- {fi.label(g, service)}\n" in text
    assert Path(namespace["out"]).exists()
    assert Path(namespace["out"]).parent == tmp_path
    # the page for the workshop wall goes to other people: it is polku render's page of the
    # same view, small cells left out (before, it drew "Määrä: 3 asiakasta / kk")
    r = run("render", ROOT / "graphs" / "keski-uusimaa.ttl", "--view", "segment:seg-nuoret",
            "-k", "3", "--lang", "fi", "-o", tmp_path / "render.html")
    assert r.exit_code == 0, r.output
    page = Path(namespace["out"]).read_text(encoding="utf-8")
    assert page == (tmp_path / "render.html").read_text(encoding="utf-8")
    assert "Määrä: &lt;5 asiakasta / kk" in page and "Määrä: 3 asiakasta" not in page


def first_cell() -> str:
    nb = json.loads((ROOT / "notebooks" / "walkthrough.ipynb").read_text(encoding="utf-8"))
    return "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])


def test_the_notebook_finds_the_repository_from_outside_it(tmp_path: Path, monkeypatch) -> None:
    # started in a folder that is not the repository's (nor under it): the root is where
    # the polku package was read from, not / after walking up
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(first_cell(), "walkthrough.ipynb", "exec"), namespace)
    assert Path.cwd() == ROOT


def test_the_notebook_says_so_when_no_repository_is_found(tmp_path: Path, monkeypatch) -> None:
    import polku

    # polku read from elsewhere (an installed wheel) and started outside the repository
    monkeypatch.setattr(polku, "__file__", str(tmp_path / "site" / "polku" / "__init__.py"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as refused:
        exec(compile(first_cell(), "walkthrough.ipynb", "exec"), {})
    assert "graphs/ ja pyproject.toml" in str(refused.value)
    assert str(tmp_path) in str(refused.value) and Path.cwd() == tmp_path
