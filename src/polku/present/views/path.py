"""The ``path:P`` view: one designed path step by step; steps without a referral between
them are marked.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.errors import PolkuError
from polku.graph import path_steps
from polku.present.i18n import N_
from polku.present.views.facts import (SEVERITY_COLOURS, Facts, View, finding_legend, kind_legend, legend_edge, names_text, plain_edge, referral_legend, shape_legend, spread_parallel)


def path_view(g: nx.MultiDiGraph, facts: Facts, path: str) -> View:
    if g.nodes.get(path, {}).get("type") != "path":
        raise PolkuError(N_("no such designed path: '{id}'"), params={"id": path}, node=path,
                         field="view")
    steps = path_steps(g, path)
    tr = facts.tr
    seg = facts.targets(path, "path_segment")
    segment = seg[0] if seg else None
    broken: dict[tuple[str, ...], Any] = {}
    unordered: dict[tuple[str, ...], Any] = {}
    for f in facts.findings.get(path, []):
        if f.get("kind") == "path-broken":
            metrics = f.get("metrics") or {}
            # the pair in step order (x → y and y → x are two findings); a finding that
            # does not say it (an older file's) by its sorted related ids
            if "from" in metrics and "to" in metrics:
                broken[(metrics["from"], metrics["to"])] = f
            else:
                unordered[tuple(sorted(f.get("related", [])))] = f
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
        node["label"] = f"{i}. {tr.label(g, n)}"
        prov = facts.providers.get(n)
        if prov:
            node["label"] += f"\n({names_text(g, prov, tr)})"
        node["title"] = (tr("Step {i} of {n}").format(i=i, n=len(steps)) + "\n"
                         + node["title"])
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
        finding = broken.get((a, b)) or unordered.get(tuple(sorted((a, b))))
        for r in refs:
            edge = facts.referral_edge(r, width_max=vol_max)
            edge.update({"id": f"ref:{r.id}:{i}", "from": step_ids[i], "to": step_ids[i + 1],
                         "label": facts.handoff_label(r),
                         "font": {"size": 11, "color": "#374151", "strokeWidth": 3,
                                  "align": "top"}})
            edges.append(edge)
        if not refs or finding:
            n_broken += 1
            why = (finding or {}).get("message") or tr(
                "No referral from {a} to {b} applies to this path's segment").format(
                a=tr.label(g, a), b=tr.label(g, b))
            edges.append({
                "id": f"broken:{i}", "from": step_ids[i], "to": step_ids[i + 1],
                "kind": "broken", "arrows": "to", "width": 4, "dashes": [4, 4],
                "color": {"color": SEVERITY_COLOURS["error"], "highlight": "#111111"},
                "label": "✕ " + tr("broken"), "font": {"color": SEVERITY_COLOURS["error"],
                                             "strokeWidth": 3, "size": 14, "align": "top"},
                "title": tr("Broken step {a} → {b}").format(a=i + 1, b=i + 2) + f"\n{why}",
            })
            for vid in (step_ids[i], step_ids[i + 1]):
                for node in nodes:
                    if node["id"] == vid:
                        node["broken"] = True
    spread_parallel(edges)
    legend = [
        {"item": "heading", "label": tr("Steps")},
        {"item": "text", "label": tr("left to right: segment → step 1 → step 2 → …")},
        legend_edge(tr("broken step: no referral for this segment"), SEVERITY_COLOURS["error"],
                    4, [4, 4]),
    ] + referral_legend(tr) + shape_legend(nodes, tr) + kind_legend(nodes, g, tr) \
        + finding_legend(tr)
    return View(
        kind="path", title=tr("Designed path · {name}").format(name=tr.label(g, path)),
        subtitle=tr("for {segment} · {steps} · {broken}").format(
            segment=tr.label(g, segment) if segment else tr("no segment"),
            steps=tr.ngettext("{n} step", "{n} steps", len(steps)).format(n=len(steps)),
            broken=tr.ngettext("{n} broken", "{n} broken", n_broken).format(n=n_broken)),
        nodes=nodes, edges=edges, legend=legend,
        segments=[(segment, tr.label(g, segment))] if segment else [], hierarchical=True,
    )

