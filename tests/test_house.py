"""The house stays easy to see: no import circles in src/, and data flows one way
(analyses never import views, printers, the report or the tool around them)."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import networkx as nx

import polku

SRC = Path(polku.__file__).parent
#: the analyses and the layers under them: graph in, plain data out
ANALYSES = ("polku.analyses.reach", "polku.analyses.paths", "polku.analyses.bottlenecks", "polku.analyses.whatif",
            "polku.analyses.findings", "polku.finding", "polku.analyses.plan_findings", "polku.kinds",
            "polku.analyses.schedule", "polku.graph", "polku.analyses.describe")
#: what shows or serves results; an analysis must never reach these
PRESENTATION = ("polku.present.views", "polku.present.printers", "polku.present.report", "polku.app", "polku.cli")


def imports() -> nx.DiGraph:
    """Module → module it imports (at the top or inside a function), within polku."""
    g = nx.DiGraph()
    for info in pkgutil.walk_packages(polku.__path__, "polku."):
        name = info.name
        path = SRC.joinpath(*name.split(".")[1:])
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
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
                if t.startswith("polku") and t != name and t in known():
                    g.add_edge(name, t)
    return g


def known() -> set[str]:
    return {"polku"} | {m.name for m in pkgutil.walk_packages(polku.__path__, "polku.")}


def test_no_import_circles() -> None:
    g = imports()
    assert g.has_edge("polku.present.views.plan", "polku.present.views.facts")  # the imports are read
    assert list(nx.simple_cycles(g)) == []


def test_analyses_never_reach_views_or_printers() -> None:
    g = imports()
    for analysis in ANALYSES:
        reached = nx.descendants(g, analysis)
        bad = sorted(m for m in reached if m.startswith(PRESENTATION))
        assert bad == [], f"{analysis} reaches {bad}"
