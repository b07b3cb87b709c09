"""The house stays easy to see: no import circles in src/, and data flows one way, as a rule
about folders (load -> graph -> analyses -> findings -> views and exports):

- the ground (top-level modules other than the doors ``cli/`` and ``app.py``) imports only
  the ground;
- ``io/`` imports the ground and ``io/``; ``analyses/`` adds ``analyses/``; ``ops/`` adds
  ``ops/``; ``present/`` imports the ground, ``io/``, ``analyses/`` and ``present/``;
- ``server/`` imports anything but the doors;

no module fills or changes another module's table when it is imported (no global state: an
answer does not depend on which modules were imported); analyses speak no language: no
function in ``analyses/`` or ``io/`` takes ``lang`` or ``tr`` (a finding's sentence and a
result's labels are written at the edge); and the README's layout ("How the house is laid
out") names every module with its one job, and no module that is not there."""

from __future__ import annotations

import ast
import pkgutil
import re
from pathlib import Path

import networkx as nx
import pytest

import polku
from helpers import ROOT

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


README = ROOT / "README.md"
LAYOUT = "## How the house is laid out"
#: a layout table row's folder -> where its modules live under src/polku ("" the top level)
ROW_FOLDERS = {"ground": ("",), "doors": ("cli", "app.py"), "io": ("io",),
               "analyses": ("analyses",), "ops": ("ops",), "present": ("present",),
               "server": ("server",)}


def layout() -> str:
    """The README's section "How the house is laid out": its tree and its tables."""
    text = README.read_text(encoding="utf-8")
    start = text.index(LAYOUT)
    return text[start:text.index("\n## ", start + len(LAYOUT))]


def layout_rows() -> dict[str, list[str]]:
    """The layout table's rows by their folder (``ground``, ``io``, ..., ``doors``)."""
    rows: dict[str, list[str]] = {}
    for line in layout().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") \
            else []
        if cells and cells[0] in ROW_FOLDERS:
            rows.setdefault(cells[0], []).append(" ".join(cells[1:]))
    return rows


def row_folder(relative: Path) -> str:
    """The layout table's folder of a module (``io/csvpatch.py`` -> ``io``)."""
    if relative.parts[0] in ("cli", "app.py"):
        return "doors"
    return "ground" if len(relative.parts) == 1 else relative.parts[0]


def named(name: str, text: str) -> bool:
    """Whether ``text`` names the file ``name`` (``plan.py``, not ``plan_findings.py``)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text) is not None


def test_the_readme_layout_names_every_module() -> None:
    """Every module under src/polku is named, with its one job, in a row of the README's
    layout table whose folder is the module's (``ground`` for the top level, ``doors`` for
    ``cli/`` and ``app.py``); a module in a sub-folder (``present/views/plan.py``) in a row
    that also names its sub-folder (``views/``). A package's ``__init__.py`` is named by
    its folder. Modules are added in parallel, so the message says where each goes."""
    rows = layout_rows()
    assert set(rows) == set(ROW_FOLDERS), sorted(rows)
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if path.name == "__init__.py":
            continue
        where = row_folder(relative)
        if not any(named(path.name, row) and all(named(f"{d}/", row) for d in relative.parts[1:-1])
                   for row in rows[where]):
            inside = "".join(f" (in a row naming `{d}/`)" for d in relative.parts[1:-1])
            missing.append(f"src/polku/{relative.as_posix()} is not named in README.md, "
                           f"'{LAYOUT[3:]}': add `{path.name}` with its one job to a row of "
                           f"the table whose folder is '{where}'{inside}")
    assert not missing, "\n".join(missing)


def test_the_readme_layout_names_no_module_that_is_not_there() -> None:
    """A module named in a row of the layout table lives in that row's folder (a renamed or
    removed module is not left behind in the README)."""
    stale = []
    for where, texts in layout_rows().items():
        there = {p.name for f in ROW_FOLDERS[where]
                 for p in ([SRC / f] if f.endswith(".py") else
                           (SRC / f).rglob("*.py") if f else SRC.glob("*.py"))}
        for text in texts:
            stale += [f"README.md's layout names {name} in a row of '{where}', and no such "
                      f"module is there" for name in re.findall(r"(?<![\w./])(\w+\.py)\b", text)
                      if name not in there]
    assert stale == [], stale


def test_the_readme_tree_names_every_module_of_the_ground() -> None:
    """The tree at the top of the layout lists the ground's modules one by one."""
    tree = layout().split("```")[1]
    missing = [p.name for p in sorted(SRC.glob("*.py")) if not named(p.name, tree)]
    assert missing == [], f"add {missing} to the ground's line of README.md's tree " \
                          f"('{LAYOUT[3:]}')"
