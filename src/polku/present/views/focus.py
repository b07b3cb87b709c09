"""Narrow any view to what lies within ``depth`` steps of one node, in both directions.
"""

from __future__ import annotations

from collections import defaultdict, deque

import networkx as nx

from polku.errors import PolkuError, check_count
from polku.present.i18n import N_, Translator, translator
from polku.present.views.facts import View

#: a focus that names nothing in the graph
NO_SUCH_NODE = N_("no such node in the graph: '{node}'")


def narrow(view: View, g: nx.MultiDiGraph, focus: str, depth: int,
           tr: Translator | None = None) -> None:
    """Keep only what lies within ``depth`` steps of ``focus`` (edges in both directions);
    the title, subtitle and legend say so in the language of ``tr``."""
    if depth < 0:
        check_count(depth, "depth", 0)
    by_gid: dict[str, list[str]] = defaultdict(list)
    for n in view.nodes:
        by_gid[n["gid"]].append(n["id"])
    start = list(by_gid.get(focus, []))
    if not start and g.nodes.get(focus, {}).get("type") == "referral":
        start = [v for e in view.edges if e.get("rid") == focus for v in (e["from"], e["to"])]
    if not start:
        if focus in g:
            raise PolkuError(N_("'{node}' is not shown in this view"), params={"node": focus},
                             node=focus, field="focus")
        from polku.graph import NODE_TYPES, close_id

        raise PolkuError(NO_SUCH_NODE, params={"node": focus}, node=focus, field="focus",
                         close=close_id(g, focus, NODE_TYPES))
    adj: dict[str, set[str]] = defaultdict(set)
    for e in view.edges:
        adj[e["from"]].add(e["to"])
        adj[e["to"]].add(e["from"])
    dist = {s: 0 for s in start}
    todo = deque(start)
    while todo:
        n = todo.popleft()
        if dist[n] >= depth:
            continue
        for m in adj[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                todo.append(m)
    total = len(view.nodes)
    view.nodes = [n for n in view.nodes if n["id"] in dist]
    view.edges = [e for e in view.edges if e["from"] in dist and e["to"] in dist]
    for n in view.nodes:
        if n["id"] in start:
            n["focus"] = True
            n["size"] = max(float(n.get("size") or 14), 36.0)
            n["font"] = {"size": 21, "color": "#111111", "strokeWidth": 5}
            n["widthConstraint"] = {"maximum": 280}
            if not n.get("sev"):
                n["color"]["border"] = "#111111"
                n["borderWidth"] = 4
    tr = tr or translator()
    name = tr.label(g, focus)
    view.title += " · " + tr("around {name}").format(name=name)
    view.legend[:0] = [{"item": "heading", "label": tr("Focus")},
                       {"item": "text", "label": tr.ngettext(
                           "{name} (large, dark ring) and what lies within {depth} step of it",
                           "{name} (large, dark ring) and what lies within {depth} steps of it",
                           depth).format(name=name, depth=depth)}]
    view.subtitle = tr.ngettext("{shown} of {total} shown, within {depth} step of {name}",
                                "{shown} of {total} shown, within {depth} steps of {name}",
                                depth).format(shown=len(view.nodes), total=total, depth=depth,
                                              name=name)

