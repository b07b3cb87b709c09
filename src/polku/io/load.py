"""Load a graph from wherever it lives, and save it: Turtle, JSON-LD, a workbook, or a
Neo4j server.

Every command that takes a graph goes through :func:`load_graph`, so every command accepts
every kind of input; every command that writes a graph goes through :func:`save_graph`,
which holds the rules of formats and file names (a Turtle file never lands on a name that
says ``.xlsx``) and writes atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import networkx as nx

from polku.io import rdf, workbook
from polku.errors import PolkuError
from polku.gcpause import gc_paused

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def load_graph(source: str | Path) -> nx.MultiDiGraph:
    """The typed graph held in ``source``: a ``.ttl`` / ``.jsonld`` file, a workbook (CSV
    folder or ``.xlsx``), or a ``neo4j://host:port?region=R`` URI.

    >>> load_graph("graphs/keski-uusimaa.ttl").graph["name"]
    'keski-uusimaa'
    """
    with gc_paused():
        return _load(str(source))


#: output format -> the file name endings it may be written to ("" = a folder)
SUFFIXES: dict[str, tuple[str, ...]] = {
    "turtle": (".ttl", ".turtle"), "jsonld": (".jsonld", ".json"), "xlsx": (".xlsx",),
    "workbook": ("",)}


#: output format -> the function that writes it (atomically)
WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], object]] = {
    "workbook": workbook.write_workbook, "xlsx": workbook.write_workbook,
    "turtle": rdf.write_turtle, "jsonld": rdf.write_jsonld}


def format_for(out: str | Path, formats: tuple[str, ...] = tuple(SUFFIXES),
               default: str | None = None) -> str:
    """The format among ``formats`` that the name ``out`` asks for by its suffix, else
    ``default`` (whose name check then says what is wrong), else an error.

    >>> format_for("region.jsonld"), format_for("region"), format_for("a.ttl", ("turtle",))
    ('jsonld', 'workbook', 'turtle')
    >>> format_for("region.csv")
    Traceback (most recent call last):
    polku.errors.PolkuError: region.csv: write a .ttl, .jsonld or .xlsx file, or a folder (no suffix)
    """
    suffix = Path(str(out)).suffix.lower()
    for fmt in formats:
        if suffix in SUFFIXES[fmt]:
            return fmt
    if default is not None:
        return default
    names = [SUFFIXES[f][0] for f in formats if f != "workbook" and SUFFIXES[f][0]]
    names = list(dict.fromkeys(names))
    what = f"write a {', '.join(names[:-1])} or {names[-1]} file" if len(names) > 1 \
        else f"write a {names[0]} file"
    if "workbook" in formats:
        what += ", or a folder (no suffix)"
    raise PolkuError(what, file=str(out))


def check_output(out: Path, fmt: str, source: str | Path | None = None) -> None:
    """Refuse an output whose name does not fit the format, or that is the input itself:
    a Turtle file named ``region.xlsx`` would overwrite the user's workbook."""
    suffix = out.suffix.lower()
    wanted = SUFFIXES[fmt]
    if fmt == "workbook":
        if suffix in (".ttl", ".turtle", ".jsonld", ".json", ".xlsx", ".csv"):
            raise PolkuError(f"a workbook export is a folder of CSV files; '{out.name}' "
                             "looks like a file name (use --to xlsx for one file)", file=str(out))
    elif suffix not in wanted:
        raise PolkuError(f"{fmt} output needs a name ending in {' or '.join(wanted)}",
                         file=str(out))
    if source is not None and Path(str(source)).exists() and \
            Path(str(source)).resolve() == out.resolve():
        raise PolkuError("the output would overwrite the input", file=str(out))


def save_graph(g: nx.MultiDiGraph, out: str | Path, fmt: str | None = None) -> Path:
    """Write ``g`` to ``out`` as ``fmt`` (workbook, xlsx, turtle, jsonld; default: what the
    name's suffix says), atomically: a crash never leaves a half-written graph.

    >>> import tempfile
    >>> from polku.graph import new_graph
    >>> g = new_graph("demo")
    >>> g.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> folder = Path(tempfile.mkdtemp())
    >>> save_graph(g, folder / "demo.ttl").name
    'demo.ttl'
    >>> load_graph(folder / "demo.ttl").nodes["kela"]["name"]
    'Kela'
    """
    out = Path(str(out))
    fmt = fmt or format_for(out)
    check_output(out, fmt)
    WRITERS[fmt](g, out)
    return out


def _load(text: str) -> nx.MultiDiGraph:
    if text.startswith(NEO4J_SCHEMES):
        from polku.io import neo4jstore

        return neo4jstore.pull_graph_from_uri(text)
    path = Path(text)
    if not path.exists():
        raise PolkuError("no such file or folder", file=text)
    if workbook.is_workbook(path):
        return workbook.read_workbook(path)
    suffix = path.suffix.lower()
    if suffix in (".ttl", ".turtle"):
        return rdf.read_turtle(path)
    if suffix in (".jsonld", ".json"):
        return rdf.read_jsonld(path)
    raise PolkuError("unknown kind of file: expected .ttl, .jsonld, .xlsx or a folder of CSV "
                     "sheets", file=text)
