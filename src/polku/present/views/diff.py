"""The diff page: both graphs' union drawn once, what was added, removed or changed styled.

A page, so it lives apart from :mod:`polku.analyses.diff` (which computes the diff): it takes the
diff's result and the two graphs, builds the ecosystem view of their union, and restyles
each node and edge by what happened to it. It draws two graphs, so it is not one of the
registry's one-graph views (:mod:`polku.present.views.registry`).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.graph import new_graph
from polku.present.cells import LEFT_OUT
from polku.present.i18n import N_, Translator, translator
from polku.present.printers import diff_counts
from polku.present.views.facts import View, legend_edge, legend_node
from polku.present.views.page import view_html
from polku.present.views.registry import build_view

#: status -> (fill, border, border dash) of a node, and the colour of an edge
STATUS_STYLE = {
    "added": ("#2f9e44", "#1b6e2d", False),
    "removed": ("#fa5252", "#a61e1e", [6, 4]),
    "changed": ("#fab005", "#b07d00", False),
    "same": ("#dee2e6", "#868e96", False),
}
STATUS_LABEL = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed"),
                "same": N_("unchanged")}


def union(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Every node and edge of ``a`` and ``b``; a node in both keeps ``b``'s attributes."""
    u = new_graph(f"{a.graph.get('name', 'a')} → {b.graph.get('name', 'b')}")
    for g in (a, b):
        u.add_nodes_from((n, dict(d)) for n, d in g.nodes(data=True))
    for g in (a, b):
        for x, y, key, d in g.edges(keys=True, data=True):
            u.add_edge(x, y, key=key, **d)
    return u


def status_of(result: dict[str, Any]) -> dict[str, str]:
    """id -> added / removed / changed (ids not listed are unchanged)."""
    out = {n: "added" for n in result["added"]}
    out.update({n: "removed" for n in result["removed"]})
    out.update({c["id"]: "changed" for c in result["changed"]})
    return out


def _edge_status(a: nx.MultiDiGraph, b: nx.MultiDiGraph, edge: dict[str, Any],
                 status: dict[str, str]) -> str:
    if edge.get("rid"):
        return status.get(edge["rid"], "same")
    u, v = edge.get("from"), edge.get("to")
    in_a = a.has_edge(u, v) if u in a and v in a else False
    in_b = b.has_edge(u, v) if u in b and v in b else False
    return "added" if in_b and not in_a else "removed" if in_a and not in_b else "same"


def diff_view(a: nx.MultiDiGraph, b: nx.MultiDiGraph, result: dict[str, Any],
              tr: Translator | None = None) -> View:
    """The union's ecosystem view, restyled: green added, red dashed removed, amber
    changed (its tooltip lists each changed field, old → new), grey unchanged; its words in
    ``tr``'s language (default Finnish), nodes by their names."""
    tr = tr or translator()
    u = union(a, b)
    v = build_view(u, "ecosystem", findings=[], cluster_threshold=10**9, lang=tr.lang)
    said = {s: tr(label) for s, label in STATUS_LABEL.items()}
    status = status_of(result)
    fields = {c["id"]: c["fields"] for c in result["changed"]}
    left = {c["id"]: c.get("left_out") or {} for c in result["changed"]}
    for node in v.nodes:
        st = status.get(node["id"], "same")
        fill, border, dash = STATUS_STYLE[st]
        node["color"] = {"background": fill, "border": border,
                         "highlight": {"background": fill, "border": "#111111"},
                         "hover": {"background": fill, "border": border}}
        node["borderWidth"] = 3 if st != "same" else 1
        node["shapeProperties"] = {"borderDashes": dash}
        node.pop("sev", None)
        lines = [said[st]]
        for field, (old, new) in sorted(fields.get(node["id"], {}).items()):
            side = left.get(node["id"], {}).get(field)
            why = " " + tr(LEFT_OUT[side]) if side else ""
            lines.append(f"{field}: {'–' if old is None else old} → "
                         f"{'–' if new is None else new}{why}")
        node["title"] = "\n".join(lines) + "\n\n" + node.get("title", "")
        node["diff"] = st
    for edge in v.edges:
        st = _edge_status(a, b, edge, status)
        colour = STATUS_STYLE[st][0] if st != "same" else "#adb5bd"
        edge["color"] = {"color": colour, "highlight": "#111111", "hover": colour, "opacity": 0.9}
        edge.pop("sev", None)
        if st == "removed":
            edge["dashes"] = [6, 4]
        edge["title"] = said[st] + "\n\n" + edge.get("title", "")
        edge["diff"] = st
    page = tr.marking()  # the title is HTML: a title in another language marked with it
    v.title = tr("Changes: {a} → {b}").format(a=page.title(a), b=page.title(b))
    v.subtitle = diff_counts(result, tr)
    v.legend = [{"item": "heading", "label": tr("Change")}]
    v.legend += [legend_node(said[s], "dot", STATUS_STYLE[s][0], STATUS_STYLE[s][1],
                             dash="4 3" if STATUS_STYLE[s][2] else "")
                 for s in ("added", "removed", "changed", "same")]
    v.legend += [legend_edge(said["added"], STATUS_STYLE["added"][0]),
                 legend_edge(said["removed"], STATUS_STYLE["removed"][0], dashes=[6, 4])]
    return v


def diff_html(a: nx.MultiDiGraph, b: nx.MultiDiGraph, result: dict[str, Any],
              tr: Translator | None = None) -> str:
    """The diff as a self-contained, offline HTML page, in ``tr``'s language."""
    return view_html(diff_view(a, b, result, tr))
