"""The house stays easy to see: no import circles in src/, and data flows one way, as a rule
about folders (load -> graph -> analyses -> findings -> views and exports):

- the ground (top-level modules other than the doors ``cli/`` and ``app.py``) imports only
  the ground;
- ``io/`` imports the ground and ``io/``; ``analyses/`` adds ``analyses/``; ``ops/`` adds
  ``ops/``; ``present/`` imports the ground, ``io/``, ``analyses/`` and ``present/``;
- ``server/`` imports anything but the doors;

no module fills or changes another module's table when it is imported (no global state: an
answer does not depend on which modules were imported); and analyses speak no language: no
function in ``analyses/`` or ``io/`` takes ``lang`` or ``tr`` (a finding's sentence and a
result's labels are written at the edge)."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import networkx as nx
import pytest

import polku

SRC = Path(polku.__file__).parent
DOORS = ("polku.cli", "polku.app")
#: folder -> the folders its modules may import ("ground": the top-level modules but the doors)
ALLOWED = {
    "ground": {"ground"},
    "io": {"ground", "io"},
    "analyses": {"ground", "io", "analyses"},
    "ops": {"ground", "io", "analyses", "ops"},
    "present": {"ground", "io", "analyses", "present"},
    "server": {"ground", "io", "analyses", "ops", "present", "server"},
}
#: parameters that carry a reader's language; analyses and readers have none
LANGUAGE_PARAMETERS = ("lang", "tr")


def modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> its file."""
    out = {"polku": SRC / "__init__.py"}
    for info in pkgutil.walk_packages(polku.__path__, "polku."):
        path = SRC.joinpath(*info.name.split(".")[1:])
        out[info.name] = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return out


def folder(module: str) -> str:
    """The step a module belongs to: ``ground``, ``door`` or its first sub-package."""
    if module in DOORS or module.startswith(tuple(f"{door}." for door in DOORS)):
        return "door"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and SRC.joinpath(parts[1]).is_dir()) \
        else "ground"


def imports() -> nx.DiGraph:
    """Module → module it imports (at the top or inside a function), within polku."""
    known = modules()
    g = nx.DiGraph()
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        g.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for t in targets:
                if t.startswith("polku") and t != name and t in known:
                    g.add_edge(name, t)
    return g


def test_no_import_circles() -> None:
    g = imports()
    assert g.has_edge("polku.present.views.plan", "polku.present.views.facts")  # the imports are read
    assert list(nx.simple_cycles(g)) == []


def test_the_folders_are_steps() -> None:
    assert folder("polku.graph") == "ground" and folder("polku.cli") == "door"
    assert folder("polku.cli.help") == "door"
    assert folder("polku.analyses.findings") == "analyses"
    assert folder("polku.present.views.plan") == "present" and folder("polku.io") == "io"


@pytest.mark.parametrize("step", sorted(ALLOWED))
def test_each_step_imports_only_the_steps_before_it(step: str) -> None:
    g = imports()
    mine = [m for m in g if folder(m) == step]
    assert mine, step
    bad = sorted((m, t) for m in mine for t in g.successors(m)
                 if t != "polku" and folder(t) not in ALLOWED[step])
    assert bad == [], f"{step} reaches past its steps: {bad}"


def test_analyses_and_readers_take_no_language() -> None:
    """No function in ``analyses/`` or ``io/`` has a parameter ``lang`` or ``tr``."""
    found = []
    for name, path in modules().items():
        if folder(name) not in ("analyses", "io"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                a = node.args
                for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg):
                    if arg is not None and arg.arg in LANGUAGE_PARAMETERS:
                        found.append(f"{name}:{node.lineno} {getattr(node, 'name', 'lambda')}"
                                     f"({arg.arg})")
    assert found == []


def _root(node: ast.expr) -> str | None:
    """The name an attribute or item chain starts from (``privacy`` of
    ``privacy.TABLE.update``, ``privacy.TABLE["x"]``)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_module_fills_another_modules_table_when_imported() -> None:
    """No global state: a module's tables are declared where they live, never filled or
    changed by another module's import (``privacy.TABLE.update(...)``, ``privacy.TABLE =``),
    so an answer does not depend on which modules happen to have been imported."""
    found = []
    for name, path in modules().items():
        body = ast.parse(path.read_text(encoding="utf-8")).body
        others = set()  # the names this module binds to polku's modules
        for node in body:
            if isinstance(node, ast.Import):
                others |= {(a.asname or a.name).split(".")[0] for a in node.names
                           if a.name.startswith("polku")}
            elif isinstance(node, ast.ImportFrom) and (node.level or
                                                       (node.module or "").startswith("polku")):
                others |= {a.asname or a.name for a in node.names}
        for node in body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                    isinstance(node.value.func, ast.Attribute):
                changed = [node.value.func.value]  # module.TABLE.update(...), TABLE.add(...)
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                changed = [t for t in targets if isinstance(t, (ast.Attribute, ast.Subscript))]
            else:
                continue
            found += [f"{name}:{node.lineno}" for c in changed if _root(c) in others]
    assert found == []
