"""GraphML, GEXF and the neo4j-admin CSV as ``polku export`` writes them, in the reader's
language (``--lang``): :mod:`polku.io.exchange` writes the files, and here they get the text
for people, worded at the edge: each node's ``label`` (:func:`node_labels`: its name in that
language with polku's usual fallback, and a name two nodes of a merged graph share with its
region, as Mermaid and ``polku show`` say it) and the graph's title (GEXF's description,
the CSV's ``PolkuRegion`` records). Every language's name stays an attribute of its own
(``name``, ``name_sv``, ``name_en``), so a reader may label by another.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

import networkx as nx

from polku.io import exchange
from polku.present.i18n import Translator, merged_region_names, translator
from polku.present.messages import in_region


def node_labels(g: nx.MultiDiGraph, tr: Translator,
                nodes: Iterable[str] | None = None) -> dict[str, str]:
    """The label of each of ``nodes`` (default: every node) in ``tr``'s language: its name
    in that language (:meth:`~polku.present.i18n.Translator.label`), and where another of
    ``nodes`` has the same one, in a merged graph, with its region (*Aikuissosiaalityö
    (Keski-Uusimaa)*); a name no other has stays as it is.

    >>> from polku.graph import new_graph
    >>> g = new_graph("national")
    >>> g.graph["regions"] = [{"id": "ra", "region": "Keski-Uusimaa"},
    ...                       {"id": "rb", "region": "Keski-Suomi"}]
    >>> for n in ("ra/a", "rb/a"): g.add_node(n, type="service", name="Aikuissosiaalityö",
    ...                                       name_sv="Socialt arbete för vuxna")
    >>> g.add_node("national/kela", type="actor", name="Kela")
    >>> node_labels(g, translator("sv"))  # doctest: +NORMALIZE_WHITESPACE
    {'ra/a': 'Socialt arbete för vuxna (Mellersta Nyland)',
     'rb/a': 'Socialt arbete för vuxna (Mellersta Finland)', 'national/kela': 'Kela'}
    """
    labels = {n: tr.label(g, n) for n in (g.nodes if nodes is None else nodes)}
    alike = {text for text, count in Counter(labels.values()).items() if count > 1}
    regions = merged_region_names(g, tr.lang) if alike else {}
    return {n: in_region(tr, text, n, regions) if text in alike else text
            for n, text in labels.items()}


def titles(g: nx.MultiDiGraph, tr: Translator) -> dict[str, str]:
    """The graph's title and each of a merged graph's regions' in ``tr``'s language
    (:func:`polku.graph.title`, its fallback too), by graph or region id."""
    from polku.graph import new_graph, regions, title

    out = {str(g.graph.get("name", "graph")): title(g, tr.lang)}
    for sheet in regions(g):
        region = new_graph(str(sheet["id"]))
        region.graph.update({k: v for k, v in sheet.items() if k != "id"})
        out[str(sheet["id"])] = title(region, tr.lang)
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path, lang: str | None = None) -> None:
    """:func:`polku.io.exchange.write_graphml`, labelled in ``lang`` (Finnish default)."""
    exchange.write_graphml(g, path, node_labels(g, translator(lang)))


def write_gexf(g: nx.MultiDiGraph, path: str | Path, lang: str | None = None) -> None:
    """:func:`polku.io.exchange.write_gexf`, labelled and titled in ``lang``."""
    tr = translator(lang)
    exchange.write_gexf(g, path, node_labels(g, tr), titles(g, tr)[
        str(g.graph.get("name", "graph"))])


def write_neo4j_csv(g: nx.MultiDiGraph, folder: str | Path, lang: str | None = None) -> None:
    """:func:`polku.io.exchange.write_neo4j_csv`, labelled and titled in ``lang``."""
    tr = translator(lang)
    exchange.write_neo4j_csv(g, folder, node_labels(g, tr), titles(g, tr))
