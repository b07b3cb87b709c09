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


def run_notebook(started_in: Path, first_twice: bool = False) -> dict:
    """Every code cell of the notebook, run in one namespace as a kernel started in
    ``started_in`` runs them (a kernel's folder is the notebook's), the first one twice
    with ``first_twice`` (as a reader does); the namespace after."""
    nb = json.loads((ROOT / "notebooks" / "walkthrough.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if first_twice:
        cells.insert(0, cells[0])
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(started_in)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in cells:
                exec(compile("".join(cell["source"]), "walkthrough.ipynb", "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace


def written(folder: Path) -> dict[Path, int]:
    """The files of ``folder`` with the times they were last written."""
    return {f: f.stat().st_mtime_ns for f in folder.glob("*")} if folder.is_dir() else {}


@pytest.mark.parametrize("polku_out, folder", [
    ("results", "results"), (None, "out")], ids=["relative-POLKU_OUT", "no-POLKU_OUT"])
def test_the_page_goes_where_the_notebook_was_started(tmp_path: Path, monkeypatch,
                                                      polku_out: str | None,
                                                      folder: str) -> None:
    # a copy of the notebook run in the analyst's own folder wrote its page into the polku
    # checkout (CHECKOUT/results/, CHECKOUT/out/): the first cell moves to the checkout
    # before the page's cell read the folder
    if polku_out is None:
        monkeypatch.delenv("POLKU_OUT", raising=False)
    else:
        monkeypatch.setenv("POLKU_OUT", polku_out)
    started = tmp_path / "analyst"
    started.mkdir()
    before = written(ROOT / folder)
    namespace = run_notebook(started)
    assert Path(namespace["out"]) == started / folder / "seg-nuoret.html"
    assert (started / folder / "seg-nuoret.html").is_file()
    assert written(ROOT / folder) == before, "nothing written into the checkout"


def test_the_first_cell_run_again_keeps_the_folder_it_was_started_in(tmp_path: Path,
                                                                      monkeypatch) -> None:
    # run again, the first cell starts in the checkout it moved to: the page still goes
    # where the notebook was started
    monkeypatch.setenv("POLKU_OUT", "results")
    namespace = run_notebook(tmp_path, first_twice=True)
    assert Path(namespace["out"]) == tmp_path / "results" / "seg-nuoret.html"


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
