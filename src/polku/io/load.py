"""Load a graph from wherever it lives, and save it: Turtle, JSON-LD, a workbook, or a
Neo4j server.

Every command that takes a graph goes through :func:`load_graph`, so every command accepts
every kind of input; every command that writes a graph goes through :func:`save_graph`,
which keeps the rules of file names (a Turtle file never lands on a name that says
``.xlsx``) and writes atomically. Which formats there are, and who reads and writes each,
is the registry :mod:`polku.io.formats`.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from polku.errors import PolkuError
from polku.words import N_
from polku.io import formats
# the name rules live with the registry; importable from here as before
from polku.io.formats import check_output, format_for  # noqa: F401
from polku.gcpause import gc_paused

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def load_graph(source: str | Path) -> nx.MultiDiGraph:
    """The typed graph held in ``source``: a ``.ttl`` / ``.jsonld`` file, a workbook (CSV
    folder or ``.xlsx``), or a ``neo4j://host:port?region=R`` URI.

    >>> import tempfile
    >>> from polku.graph import new_graph
    >>> g = new_graph("demo"); g.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> folder = Path(tempfile.mkdtemp())              # any working directory will do
    >>> load_graph(save_graph(g, folder / "demo.ttl")).graph["name"]
    'demo'
    >>> load_graph("graphs/keski-uusimaa.ttl").graph["name"]  # doctest: +SKIP
    'keski-uusimaa'
    """
    with gc_paused():
        return _load(str(source))


def save_graph(g: nx.MultiDiGraph, out: str | Path, fmt: str | None = None) -> Path:
    """Write ``g`` to ``out`` as ``fmt`` (a graph format of :mod:`polku.io.formats`;
    default: what the name's suffix says), atomically: a crash never leaves a half-written graph.

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
    formats.get(fmt).write(g, out)
    return out


def _load(text: str) -> nx.MultiDiGraph:
    if text.startswith(NEO4J_SCHEMES):
        from polku.io import neo4jstore

        return neo4jstore.pull_graph_from_uri(text)
    path = Path(text)
    if not path.exists():
        raise PolkuError(N_("no such file or folder"), params={}, file=text)
    fmt = formats.reading(path)
    if fmt is None:
        raise formats.unreadable(path)
    return fmt.read(path)
