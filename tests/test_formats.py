"""The one registry of formats (polku.io.formats): the CLI's choices and help, the API's
export formats, load and save, import, the small-cell default and the server's kinds of
source all come from it, so a new format is one new entry."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
import typer
from fastapi.testclient import TestClient

import polku
from helpers import MINI, run
from polku.app import create_app
from polku.cli import app
from polku.cli.help import formats_help
from polku.errors import PolkuError
from polku.graph import new_graph
from polku.io import cpsvap, formats
from polku.io.formats import FORMATS, Format
from polku.io.load import load_graph, save_graph
from polku.present.i18n import translator
from polku.server import store

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa.ttl"


def _option(command: str, name: str):
    cmd = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return next(p for p in cmd.params if p.name == name)


# -- a format that is only in the registry, for the tests below ---------------------------

def write_lines(g: nx.MultiDiGraph, path: Path) -> None:
    """One node id and name a line."""
    path.write_text("".join(f"{n}\t{d.get('name', '')}\n" for n, d in g.nodes(data=True)),
                    encoding="utf-8")


def read_lines(path: Path) -> nx.MultiDiGraph:
    g = new_graph(path.stem)
    for line in path.read_text(encoding="utf-8").splitlines():
        node, name = line.split("\t")
        g.add_node(node, type="actor", name=name, kind="kela")
    return g


LINES = Format("lines", "Lines", "one node a line", (".lines",), f"{__name__}:write_lines",
               reader=f"{__name__}:read_lines", shared=True)


@pytest.fixture
def with_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FORMATS, "lines", LINES)


def test_a_new_entry_is_loaded_saved_and_named(with_lines: None, tmp_path: Path) -> None:
    g = new_graph("demo")
    g.add_node("kela", type="actor", name="Kela", kind="kela")
    assert formats.format_for(tmp_path / "demo.lines") == "lines"
    save_graph(g, tmp_path / "demo.lines")
    assert load_graph(tmp_path / "demo.lines").nodes["kela"]["name"] == "Kela"
    assert "lines" in formats.graph_formats() and formats.shared("lines")
    assert "lines (.lines): one node a line" in formats_help(translator("en"))
    with pytest.raises(PolkuError, match=r"write a .ttl, .jsonld, .xlsx, or .lines file"):
        formats.format_for(tmp_path / "demo.txt")
    with pytest.raises(PolkuError, match=r"expected .ttl, .jsonld, .xlsx, .lines, or a folder"):
        (tmp_path / "demo.txt").write_text("", encoding="utf-8")
        load_graph(tmp_path / "demo.txt")


# -- every door asks the registry ---------------------------------------------------------

def test_export_choices_and_help_are_the_registry() -> None:
    from polku.cli.commands import ExportFormat

    assert [m.value for m in ExportFormat] == list(FORMATS)  # same names, same order
    r = run("export", EXAMPLE, "--to", "pdf", "-o", "x", env={"COLUMNS": "400"})
    assert r.exit_code == 2
    assert "'pdf' is not one of " + ", ".join(f"'{n}'" for n in FORMATS) in r.output
    to = _option("export", "to")
    assert to.help.endswith(formats_help(translator("en")))
    for f in FORMATS.values():
        assert f"{f.name} (" in to.help and f.description in to.help
    # and in the reader's language: the same formats, their descriptions translated
    sv = formats_help(translator("sv"))
    assert "workbook (en mapp): CSV-bladen som planerarna redigerar" in sv
    shared = _option("export", "suppress").help
    for f in FORMATS.values():
        assert f.title in shared
    assert _option("export", "segment").help.startswith("mermaid:")


def test_export_help_lists_every_format() -> None:
    text = run("export", "--help", env={"COLUMNS": "400"}).stdout
    assert "<" + "|".join(FORMATS) + ">" in text


def test_api_export_formats_are_the_registry_text_formats() -> None:
    client = TestClient(create_app([EXAMPLE]))
    schema = client.get("/openapi.json").json()
    params = schema["paths"]["/api/graphs/{name}/export"]["get"]["parameters"]
    fmt = next(p for p in params if p["name"] == "format")["schema"]
    assert fmt["pattern"] == "^(" + "|".join(formats.text_formats()) + ")$"
    assert formats.text_formats() == ("turtle", "jsonld")
    for name in formats.text_formats():
        r = client.get("/api/graphs/keski-uusimaa/export", params={"format": name})
        assert r.status_code == 200, name
        assert r.headers["content-type"].startswith(FORMATS[name].media_type)  # type: ignore[arg-type]
    for name in set(FORMATS) - set(formats.text_formats()):
        r = client.get("/api/graphs/keski-uusimaa/export", params={"format": name})
        assert r.status_code == 400 and r.json()["error"]["field"] == "format", name


def test_served_kinds_are_the_registry() -> None:
    assert store.KINDS == formats.served_kinds()
    assert list(store.KINDS.values()) == ["workbook", "xlsx", "turtle", "jsonld"]
    for kind in store.KINDS.values():
        assert FORMATS[kind].reader, kind  # a served source is read back as a graph


def test_import_reads_what_the_registry_says() -> None:
    cpsv = FORMATS["cpsv-ap"]
    assert set(cpsv.import_suffixes) == set(cpsvap.FORMATS)  # the parser knows each ending
    for suffix in cpsv.import_suffixes:
        assert formats.importer_for(f"other{suffix}") is cpsv
    assert formats.importer_for("region.xlsx") is None
    assert formats.importer_for(MINI) is None  # a workbook folder


def test_privacy_default_is_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`polku export` suppresses exactly where the registry says the format is shared."""
    from polku import privacy

    seen: list[bool] = []
    real = privacy.suppress
    monkeypatch.setattr(privacy, "suppress", lambda g, n: seen.append(True) or real(g, n))
    names = {"turtle": "x.ttl", "jsonld": "x.jsonld", "graphml": "x.graphml", "csv": "csv"}
    for name, out in names.items():
        seen.clear()
        r = run("export", EXAMPLE, "--to", name, "-o", tmp_path / out)
        assert r.exit_code == 0, r.output
        assert bool(seen) is FORMATS[name].shared, name


def test_names_must_fit_the_format(tmp_path: Path) -> None:
    with pytest.raises(PolkuError, match="a workbook export is a folder of CSV sheets; 'w.ttl' "
                       r"looks like a file name \(use --to xlsx for one file\)"):
        formats.check_name(tmp_path / "w.ttl", "workbook")
    formats.check_name(tmp_path / "w.v2", "workbook")  # a folder may have a dot in its name
    with pytest.raises(PolkuError, match=r"a csv export is a folder \(nodes.csv and "
                       "relationships.csv\\); 'x.v2' looks like a file name"):
        formats.check_name(tmp_path / "x.v2", "csv")
    with pytest.raises(PolkuError, match="gexf output needs a name ending in .gexf") as e:
        formats.check_name(tmp_path / "x.graphml", "gexf")
    assert e.value.field == "output"
    with pytest.raises(PolkuError, match="unknown format 'pdf' \\(use turtle, jsonld"):
        formats.get("pdf")


def test_no_door_compares_format_names() -> None:
    """No if/elif over format names outside the registry: a comparison with a format's
    name in the doors, load, privacy or the server means a list that the registry should
    hold."""
    src = Path(polku.__file__).parent
    doors = [*sorted((src / "cli").glob("*.py")), src / "privacy.py", src / "io" / "load.py",
             *sorted((src / "server").glob("*.py"))]
    found = []
    for path in doors:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(n, ast.Name) and n.id == "format" for n in sides):
                    continue  # a command's --format is what it prints (table, csv, json)
                for side in sides:
                    for c in ast.walk(side):
                        if isinstance(c, ast.Constant) and c.value in FORMATS:
                            found.append(f"{path.name}:{node.lineno}")
    assert found == []
