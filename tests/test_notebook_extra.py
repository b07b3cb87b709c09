"""The walk-through notebook's Jupyter is an optional extra: pyproject.toml declares it, the
README's Notebook section says the one command that installs it into the project's venv and
opens the notebook, and scripts/setup does not install it by default (the suite runs the
notebook's cells itself, tests/test_notebook.py, without Jupyter)."""

from __future__ import annotations

import re
import tomllib

from helpers import ROOT

#: what opens and runs a notebook: JupyterLab (which brings the IPython kernel)
JUPYTER = "jupyterlab"


def notebook_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Notebook\n")
    return text[start:text.index("\n## ", start + 1)]


def test_the_notebook_extra_brings_jupyter() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"].get("notebook", [])
    assert any(re.match(rf"{JUPYTER}\b", requirement) for requirement in extra), extra


def test_the_readme_says_how_to_install_jupyter_and_open_the_notebook() -> None:
    section = notebook_section()
    # one command, run from the repository's root: the extra into the project's venv, then
    # the notebook opened with the venv's own Jupyter
    command = re.search(r"^\.venv/bin/python -m pip install .*'\.\[notebook\]'"
                        r" && \.venv/bin/jupyter lab notebooks/walkthrough\.ipynb$",
                        section, re.MULTILINE)
    assert command, section


def test_setup_does_not_install_the_notebook_extra() -> None:
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "-e '.[test]'" in setup  # what it installs is read here
    assert "notebook" not in setup and JUPYTER not in setup
