"""Load a graph from wherever it lives: Turtle, JSON-LD, a workbook, or a Neo4j server.

Every command that takes a graph goes through :func:`load_graph`, so every command accepts
every kind of input.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from . import rdf, workbook
from .errors import PolkuError
from .gcpause import gc_paused

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def load_graph(source: str | Path) -> nx.MultiDiGraph:
    """The typed graph held in ``source``: a ``.ttl`` / ``.jsonld`` file, a workbook (CSV
    folder or ``.xlsx``), or a ``neo4j://host:port?region=R`` URI.

    >>> load_graph("graphs/keski-uusimaa.ttl").graph["name"]
    'keski-uusimaa'
    """
    with gc_paused():
        return _load(str(source))


def _load(text: str) -> nx.MultiDiGraph:
    if text.startswith(NEO4J_SCHEMES):
        from . import neo4jstore

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
