"""A network view's nodes and links as rows: the picture's text alternative (WCAG 1.1.1),
shown below the picture on the page ``polku render`` writes and as the web UI's table page.
The rows hold the same facts the picture's tooltips give, the node types and link kinds by
their names in the reader's language (:mod:`polku.words`).

>>> from types import SimpleNamespace
>>> from polku.present.i18n import translator
>>> v = SimpleNamespace(nodes=[{"id": "a", "label": "Ohjaamo", "ptype": "service",
...                              "title": "Ohjaamo\\nProvider: Kunta"}],
...                      edges=[{"from": "a", "to": "b", "kind": "referral", "title": ""}])
>>> nodes, edges = table_rows(v, translator("en"))
>>> nodes
[{'label': 'Ohjaamo', 'type': 'service', 'lines': ['Provider: Kunta']}]
>>> edges[0]["source"], edges[0]["target"], edges[0]["lines"]
('Ohjaamo', 'b', [])
"""

from __future__ import annotations

from typing import Any

from polku.present.i18n import Translator, edge_kind_name, role_name, type_name
from polku.words import NODE_TYPE_NAMES, ROLE_NAMES


def _lines(title: Any) -> list[str]:
    return [line for line in str(title or "").splitlines() if line.strip()]


def table_rows(view: Any, tr: Translator) -> tuple[list[dict], list[dict]]:
    """A view's nodes and edges as rows (``label``/``type``/``lines`` and
    ``source``/``target``/``kind``/``label``/``lines``): the tooltip's lines under the
    node's name, an edge's ends by their names."""
    def kind_name(kind: str) -> str:
        kind = "path" if kind == "designed" else kind  # a segment view's designed path step
        if kind in NODE_TYPE_NAMES:
            return type_name(kind, tr)
        return role_name(kind, tr) if kind in ROLE_NAMES else edge_kind_name(kind, tr)

    by_id = {n["id"]: n.get("label") or n["id"] for n in view.nodes}
    nodes = [{"label": n.get("label") or n["id"], "type": kind_name(n.get("ptype", "")),
              "lines": _lines(n.get("title"))[1:] or [n["id"]]} for n in view.nodes]
    edges = [{"source": by_id.get(e["from"], e["from"]), "target": by_id.get(e["to"], e["to"]),
              "kind": kind_name(e.get("kind", "")), "label": e.get("label", ""),
              "lines": _lines(e.get("title"))} for e in view.edges]
    return nodes, edges
