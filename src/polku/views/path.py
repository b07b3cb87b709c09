"""The ``path:P`` view: one designed path step by step; steps without a referral between
them are marked.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..errors import PolkuError
from ..graph import label, path_steps
from .facts import (SEVERITY_COLOURS, Facts, View, finding_legend, kind_legend, legend_edge,
                    names_text, plain_edge, referral_legend, shape_legend, spread_parallel)


def path_view(g: nx.MultiDiGraph, facts: Facts, path: str) -> View:
    if g.nodes.get(path, {}).get("type") != "path":
        raise PolkuError("no such designed path", node=path)
    steps = path_steps(g, path)
    seg = facts.targets(path, "path_segment")
    segment = seg[0] if seg else None
    broken = {}
    for f in facts.findings.get(path, []):
        if f.get("kind") == "path-broken":
            rel = list(f.get("related", []))
            broken[tuple(rel)] = f
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    step_ids = []
    seen: set[str] = set()
    for i, n in enumerate(steps, start=1):
        vid = n if n not in seen else f"{n}#{i}"
        seen.add(n)
        step_ids.append(vid)
        node = facts.node(n, level=i + 1, size=22, segs=[segment] if segment else [])
        node["id"] = vid
        node["label"] = f"{i}. {label(g, n)}"
        prov = facts.providers.get(n)
        if prov:
            node["label"] += f"\n({names_text(g, prov)})"
        node["title"] = f"Step {i} of {len(steps)}\n" + node["title"]
        nodes.append(node)
    if segment:
        nodes.insert(0, facts.node(segment, level=1, size=26, segs=[segment]))
        if step_ids:
            edges.append(plain_edge(0, segment, step_ids[0], "entry", width=2.5))
    vol_max = max((float(r.volume_per_month or 0) for r in facts.refs), default=0.0)
    n_broken = 0
    for i in range(len(steps) - 1):
        a, b = steps[i], steps[i + 1]
        refs = [r for r in facts.refs if r.source == a and r.target == b
                and (not r.segments or segment in r.segments)]
        finding = broken.get(tuple(sorted((a, b)))) or broken.get((a, b))
        for r in refs:
            edge = facts.referral_edge(r, width_max=vol_max)
            edge.update({"id": f"ref:{r.id}:{i}", "from": step_ids[i], "to": step_ids[i + 1],
                         "label": facts.handoff_label(r),
                         "font": {"size": 11, "color": "#374151", "strokeWidth": 3,
                                  "align": "top"}})
            edges.append(edge)
        if not refs or finding:
            n_broken += 1
            why = (finding or {}).get("message") or (
                f"No referral from {label(g, a)} to {label(g, b)} applies to this path's segment")
            edges.append({
                "id": f"broken:{i}", "from": step_ids[i], "to": step_ids[i + 1],
                "kind": "broken", "arrows": "to", "width": 4, "dashes": [4, 4],
                "color": {"color": SEVERITY_COLOURS["error"], "highlight": "#111111"},
                "label": "✕ broken", "font": {"color": SEVERITY_COLOURS["error"],
                                             "strokeWidth": 3, "size": 14, "align": "top"},
                "title": f"Broken step {i + 1} → {i + 2}\n{why}",
            })
            for vid in (step_ids[i], step_ids[i + 1]):
                for node in nodes:
                    if node["id"] == vid:
                        node["broken"] = True
    spread_parallel(edges)
    legend = [
        {"item": "heading", "label": "Steps"},
        {"item": "text", "label": "left to right: segment → step 1 → step 2 → …"},
        legend_edge("broken step: no referral for this segment", SEVERITY_COLOURS["error"], 4,
                     [4, 4]),
    ] + referral_legend() + shape_legend(nodes) + kind_legend(nodes, g) + finding_legend()
    return View(
        kind="path", title=f"Designed path · {label(g, path)}",
        subtitle=(f"for {label(g, segment) if segment else 'no segment'} · {len(steps)} steps · "
                  f"{n_broken} broken"),
        nodes=nodes, edges=edges, legend=legend,
        segments=[(segment, label(g, segment))] if segment else [], hierarchical=True,
    )

