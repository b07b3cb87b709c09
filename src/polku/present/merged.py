"""A merged graph's regions as its pages list them: each region's own graph sheet
(:func:`polku.graph.regions`) in the reader's language, so a national reader sees which
regions the graph is made of, what each calls itself and where its data comes from.

>>> from polku.graph import new_graph
>>> from polku.present.i18n import translator
>>> g = new_graph("national")
>>> g.graph["regions"] = [{"id": "ra", "title": "Keski-Uudenmaan ekosysteemi",
...                        "title_sv": "Mellersta Nylands ekosystem", "region": "Keski-Uusimaa",
...                        "source": "Keusote 2025", "illustrative": True}]
>>> region_rows(g, translator("sv"))
[{'id': 'ra', 'region': 'Mellersta Nyland', 'title': 'Mellersta Nylands ekosystem', 'source': 'Keusote 2025', 'illustrative': True}]
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.graph import regions
from polku.present.i18n import DEFAULT_LANG, Translator, sheet_region_named


def region_rows(g: nx.MultiDiGraph, tr: Translator) -> list[dict[str, Any]]:
    """The regions of the merged graph ``g``, in the order of their ids, each as a page
    shows it to a reader of ``tr``'s language: ``id``, ``region`` (the region it describes,
    :func:`polku.present.i18n.sheet_region_named`; '' when it names none), ``title`` (in
    that language where the region gives one, else its primary title, else its id),
    ``source`` ('' when it names none) and ``illustrative``. A translator that marks
    (:meth:`~polku.present.i18n.Translator.marking`) marks a primary title or a region name
    read on a page of another language with its language. ``[]`` for a graph that was not merged.
    """
    rows = []
    for sheet in regions(g):
        own = sheet.get(f"title_{tr.lang}") if tr.lang != DEFAULT_LANG else None
        title = str(own or sheet.get("title") or sheet["id"])
        lang = (sheet.get("extra") or {}).get("title_lang", DEFAULT_LANG)
        if not own and sheet.get("title"):
            title = tr.mark(title, lang)
        region = sheet_region_named(sheet, tr.lang)
        rows.append({"id": str(sheet["id"]),
                     "region": "" if region is None else tr.mark(*region),
                     "title": title,
                     "source": str(sheet.get("source") or ""),
                     "illustrative": bool(sheet.get("illustrative"))})
    return rows
