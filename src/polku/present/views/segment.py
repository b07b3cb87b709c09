"""The ``segment:S`` view: what segment S can reach (R(S) of the findings spec), left to
right from the entries to the outcomes, the k best paths highlighted, the segment's
designed paths overlaid as dashed step edges, and unmet needs as red need nodes.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any, Mapping, Sequence

import networkx as nx

from polku.errors import PolkuError
from polku.present.i18n import N_, as_counted
from polku.present.views.facts import (EDGE_COLOURS, PATH_COLOURS, TYPE_COLOURS, UNMET_COLOUR, Facts, View, finding_legend, kind_legend, legend_edge, legend_node, names_text, plain_edge, reach, referral_legend, scaled, shape_legend, spread_parallel)


def _path_node_ids(item: Any) -> list[str]:
    """The node ids of one ranked path, whatever shape the analyses hand it in."""
    if isinstance(item, Mapping):
        for key in ("nodes", "steps", "path"):
            if key in item:
                return _path_node_ids(item[key])
        raise PolkuError(f"a path must list its nodes or steps, got keys {sorted(item)}")
    for attr in ("nodes", "steps"):
        if hasattr(item, attr) and not isinstance(item, (str, bytes)):
            return _path_node_ids(getattr(item, attr))
    ids = []
    for step in item:
        if isinstance(step, str):
            ids.append(step)
        elif isinstance(step, Mapping):
            ids.append(str(step.get("node") or step.get("id") or step.get("service")))
        else:
            ids.append(str(getattr(step, "node", None) or getattr(step, "id")))
    return ids


def _path_wait(item: Any) -> float | None:
    for key in ("total_wait_days", "wait_days", "wait"):
        value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
        if isinstance(value, (int, float)):
            return float(value)
    return None


#: the overlay of a designed path's steps: dark and dash-dotted, so it reads apart from the
#: grey referrals and the coloured best paths it may run along
DESIGNED_COLOUR = "#3d2b1f"
DESIGNED_DASHES = [14, 5, 3, 5]
#: a need's fill and border by what the best paths do with it (the legend shows the same)
NEED_STATES = {"met": (TYPE_COLOURS["need"], "#6b5a8e"),
               "uncovered": ("#f4a100", "#8a5a00"),
               "unmet": (UNMET_COLOUR, "#7f1d1d")}


def designed_steps(g: nx.MultiDiGraph, segment: str, shown: set[str]
                   ) -> list[tuple[str, int, str, str]]:
    """The consecutive steps (path, step number, from, to) of the designed paths of
    ``segment`` whose both ends are drawn (``shown``), in path and step order."""
    from polku.graph import nodes_of, path_steps, targets

    out = []
    for p in nodes_of(g, "path"):
        if segment not in targets(g, p, "path_segment"):
            continue
        steps = path_steps(g, p)
        for i, (a, b) in enumerate(zip(steps, steps[1:]), start=1):
            if a in shown and b in shown:
                out.append((p, i, a, b))
    return out


def reach_said(services: int, outcomes: int, needs: int, unmet: int, tr: Any) -> str:
    """The segment view's subtitle: what the segment reaches and its needs, each count in
    its own singular or plural (*1 outcome*, *2 outcomes*).

    >>> from polku.present.i18n import translator
    >>> reach_said(12, 1, 3, 1, translator("en"))
    'reaches 12 services and 1 outcome · 3 needs, 1 unmet'
    """
    # (the plural by the needs, which the unmet are of: "1 tarve, josta", "5 tarvetta, joista")
    return tr.ngettext("reaches {services} and {outcomes} · {needs}, {unmet}",
                       "reaches {services} and {outcomes} · {needs}, {unmet}", needs).format(
        services=tr.ngettext("{n} service", "{n} services", services).format(n=services),
        outcomes=tr.ngettext("{n} outcome", "{n} outcomes", outcomes).format(n=outcomes),
        needs=tr.ngettext("{n} need", "{n} needs", needs).format(n=needs),
        unmet=tr.ngettext("{n} unmet", "{n} unmet", unmet).format(n=unmet))


def segment_view(g: nx.MultiDiGraph, facts: Facts, segment: str, paths: Sequence[Any] | None,
             k: int, eco: Any = None, to: str | None = None) -> View:
    """What ``segment`` reaches, its best ``paths`` (the first ``k``; ``to``: the outcome
    they were asked to reach, named in the legend) and its designed paths."""
    if g.nodes.get(segment, {}).get("type") != "segment":
        raise PolkuError(N_("no such segment: '{id}'"), params={"id": segment}, node=segment,
                         field="view")
    r = reach(g, segment, eco)
    tr = facts.tr
    entries = facts.targets(segment, "entry")
    needs = facts.targets(segment, "has_need")
    unmet = {rel for f in facts.findings.get(segment, []) if f.get("kind") == "unmet-need"
             for rel in f.get("related", [])}
    # Column (level) of each node: breadth-first distance from the entries over the
    # referrals that apply to the segment; outcomes all go to the right-hand column.
    out_refs = defaultdict(list)
    for ref in facts.refs:
        if ref.source in r and ref.target in r and (not ref.segments or segment in ref.segments):
            out_refs[ref.source].append(ref)
    level = {e: 2 for e in entries}
    todo = deque(entries)
    while todo:
        n = todo.popleft()
        for ref in out_refs[n]:
            if ref.target not in level:
                level[ref.target] = level[n] + 1
                todo.append(ref.target)
    svc_max = max((lv for n, lv in level.items() if g.nodes[n]["type"] != "outcome"), default=2)
    cap_max = max((float(g.nodes[s].get("capacity_per_month") or 0) for s in r), default=0.0)

    ranked = [(_path_node_ids(p), _path_wait(p)) for p in (paths or [])][:k]
    uncovered = [list(p.get("uncovered") or []) if isinstance(p, Mapping) else []
                 for p in (paths or [])][:k]
    # a wait nobody knows counts 0 in the total: said, as the explorer and the report say it
    unknown = [int(p.get("unknown_waits") or 0) if isinstance(p, Mapping) else 0
               for p in (paths or [])][:k]
    on_path: dict[tuple[str, str], int] = {}
    node_paths: dict[str, list[int]] = defaultdict(list)
    for i, (ids, _) in enumerate(ranked):
        for a, b in zip(ids, ids[1:]):
            on_path.setdefault((a, b), i)
        for n in ids:
            node_paths[n].append(i)

    nodes = [facts.node(segment, level=1, size=26, segs=[segment])]
    for n in sorted(r):
        t = g.nodes[n]["type"]
        lv = svc_max + 1 if t == "outcome" else level.get(n, svc_max)
        extra: dict[str, Any] = {"level": lv, "segs": [segment]}
        if n in node_paths:
            extra["onpath"] = node_paths[n]
        cap = g.nodes[n].get("capacity_per_month")
        node = facts.node(n, size=scaled(cap, cap_max, 12, 28) if t == "service" else 20,
                          **extra)
        if n in node_paths and not node.get("sev"):
            best = min(node_paths[n])
            node["color"]["border"] = PATH_COLOURS[best % len(PATH_COLOURS)]
            node["borderWidth"] = 3.5
        if n in node_paths:
            node["title"] += "\n\n" + tr("On best paths: {numbers}").format(
                numbers=", ".join(f"#{i + 1}" for i in node_paths[n]))
        nodes.append(node)
    # A need's colour says the same as the legend and the best paths' lines: unmet (no
    # reachable service addresses it), left uncovered by a best path shown, or met.
    left_by: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(uncovered):
        for need in names:
            left_by[need].append(i)
    states: set[str] = set()
    for need in needs:
        node = facts.node(need, level=0, size=16, segs=[segment])
        state = "unmet" if need in unmet else "uncovered" if need in left_by else "met"
        states.add(state)
        colour, border = NEED_STATES[state]
        node["color"] = {"background": colour, "border": border,
                         "highlight": {"background": colour, "border": "#111111"},
                         "hover": {"background": colour, "border": border}}
        node["need"] = state
        if state == "unmet":
            node["borderWidth"] = 2
            node["unmet"] = True
            node["title"] += "\n\n" + tr("Unmet: no service this segment can reach "
                                          "addresses it.")
            node["font"] = {"color": "#9b1c1c"}
        elif state == "uncovered":
            node["borderWidth"] = 2
            node["title"] += "\n\n" + tr("Left uncovered by best path {numbers}").format(
                numbers=", ".join(f"#{i + 1}" for i in left_by[need]))
        nodes.append(node)

    edges: list[dict[str, Any]] = []
    vol_max = max((float(ref.volume_per_month or 0) for refs in out_refs.values()
                   for ref in refs), default=0.0)
    for refs in out_refs.values():
        for ref in refs:
            idx = on_path.get((ref.source, ref.target))
            # No text on the edges: dozens of labels between the same columns overlap
            # however they are placed. The hand-off's wait, volume and vastuutaho are in its
            # tooltip and, for the best paths, in the table beside the picture.
            edge = facts.referral_edge(ref, width_max=vol_max)
            if idx is not None:
                # The path's colour wins; a finding on the hand-off shows in the tooltip
                # and the table, so the k paths stay readable as paths.
                colour = PATH_COLOURS[idx % len(PATH_COLOURS)]
                edge["color"] = {"color": colour, "highlight": "#111111", "opacity": 1}
                edge["width"] = max(edge["width"], 5.0 if idx == 0 else 3.5)
                edge["onpath"] = idx
                edge["title"] += "\n\n" + tr("On best path #{number}").format(number=idx + 1)
            else:
                edge["color"]["opacity"] = 0.55
            edges.append(edge)
    shown = {n["id"] for n in nodes}
    designed = designed_steps(g, segment, shown)
    for i, (p, number, a, b) in enumerate(designed):
        edges.append(plain_edge(
            f"designed-{i}", a, b, "designed", width=3, dashes=DESIGNED_DASHES,
            color={"color": DESIGNED_COLOUR, "highlight": "#111111", "opacity": 0.9},
            path=p, title=tr("Designed path {name}, step {a} → {b}").format(
                name=tr.label(g, p), a=number, b=number + 1)))
    for i, e in enumerate(entries):
        edges.append(plain_edge(i, segment, e, "entry", width=2.5))
    for i, need in enumerate(needs):
        edges.append(plain_edge(len(entries) + i, need, segment, "has_need", arrows="",
                                 width=1.5, color={"color": UNMET_COLOUR if need in unmet
                                                   else EDGE_COLOURS["has_need"]}))
    spread_parallel(edges)
    label_ranks(nodes, edges)

    legend: list[dict] = []
    aim = " " + tr("to {outcome}").format(outcome=tr.label(g, to)) if to else ""
    if ranked:
        legend.append({"item": "heading",
                       "label": tr("Best paths (k = {k})").format(k=len(ranked)) + aim})
        for i, (ids, wait) in enumerate(ranked):
            text = f"#{i + 1}: " + tr.ngettext("{n} step", "{n} steps", len(ids)).format(
                n=len(ids))
            if wait is not None:
                days = facts.num(wait)
                text += ", " + tr.ngettext("{n} day's wait", "{n} days' wait",
                                           as_counted(days)).format(n=days)
            if unknown[i]:
                text += ", " + tr.ngettext("{n} wait unknown", "{n} waits unknown",
                                           unknown[i]).format(n=facts.num(unknown[i]))
            if uncovered[i]:
                text += ", " + tr("needs left uncovered: {names}").format(
                    names=names_text(g, uncovered[i], tr))
            elif needs:
                text += ", " + tr("covers every need")
            legend.append(legend_edge(text, PATH_COLOURS[i % len(PATH_COLOURS)], 4))
    elif to:
        # asked for paths to one outcome: none is not "reaches nothing"
        legend += [{"item": "heading", "label": tr("Best paths (k = {k})").format(k=0) + aim},
                   {"item": "text", "label": tr(
                       "No path from the segment's entries reaches {outcome}.").format(
                       outcome=tr.label(g, to))}]
    if designed:
        names = sorted({tr.label(g, p) for p, *_ in designed}, key=tr.order)
        legend += [{"item": "heading", "label": tr("Designed paths")},
                   legend_edge(tr("designed path step ({names})").format(
                       names=", ".join(names)), DESIGNED_COLOUR, 3, DESIGNED_DASHES)]
    need_words = {"met": tr("need met on every best path shown"),
                  "uncovered": tr("need left uncovered by a best path (a service that "
                                  "meets it is reachable)"),
                  "unmet": tr("unmet need: no reachable service meets it")}
    if needs:
        legend.append({"item": "heading", "label": tr("Needs of the segment")})
        legend += [dict(legend_node(need_words[s], "triangle", *NEED_STATES[s]), state=s)
                   for s in ("met", "uncovered", "unmet") if s in states]
    legend += shape_legend(nodes, tr) + kind_legend(nodes, g, tr) + referral_legend(tr) + [
        {"item": "heading", "label": tr("Layout")},
        {"item": "text", "label": tr("left to right: needs → segment → entries → … → outcomes")},
    ] + finding_legend(tr)
    n_out = sum(1 for n in r if g.nodes[n]["type"] == "outcome")
    return View(
        kind="segment", title=tr("Segment · {name}").format(name=tr.label(g, segment)),
        subtitle=reach_said(len(r) - n_out, n_out, len(needs), len(unmet & set(needs)), tr),
        nodes=nodes, edges=edges, legend=legend, segments=[(segment, tr.label(g, segment))],
        hierarchical=True, table=handoff_table(g, facts, ranked, out_refs) if ranked else None,
        labels="lod",
    )


#: the order in which a fitted segment view labels its nodes, by type: the segment (whose
#: picture it is), its needs, the outcomes it is to reach; then the services, those on the
#: best paths first (#1 before #2 …)
LABEL_TIERS = {"segment": 0, "need": 1, "outcome": 2}


def label_ranks(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Number the nodes by how much their label matters when the segment's whole picture is
    on screen: ``rank`` 0 first. The segment, its needs and outcomes (:data:`LABEL_TIERS`),
    then the services on a best path, by the best path they are on (``onpath``), then the
    others; within each, the bigger (a service's capacity) and the more connected first,
    then by id, so the order is the same each time. The page draws labels in this order and
    skips one that would overlap a label already drawn (``polku-labels.js``), so a reader
    sees first who the segment is, what it needs, where it is to get and how.

    >>> ns = [{"id": "x", "ptype": "service", "size": 28}, {"id": "p", "ptype": "service",
    ...        "size": 12, "onpath": [1]}, {"id": "q", "ptype": "service", "size": 12,
    ...        "onpath": [0, 2]}, {"id": "o", "ptype": "outcome", "size": 20},
    ...       {"id": "n", "ptype": "need", "size": 16}, {"id": "s", "ptype": "segment"}]
    >>> label_ranks(ns, [{"from": "s", "to": "x"}])
    >>> [n["id"] for n in sorted(ns, key=lambda n: n["rank"])]
    ['s', 'n', 'o', 'q', 'p', 'x']
    """
    degree: dict[str, int] = {}
    for e in edges:
        for end in (e.get("from"), e.get("to")):
            degree[end] = degree.get(end, 0) + 1
    last = len(LABEL_TIERS)

    def key(n: dict[str, Any]) -> tuple[int, int, float, int, str]:
        tier = LABEL_TIERS.get(n.get("ptype", ""), last)
        best = min(n.get("onpath") or [10 ** 6]) if tier == last else 0
        return (tier, best, -float(n.get("size") or 0), -degree.get(n["id"], 0), n["id"])

    for rank, n in enumerate(sorted(nodes, key=key)):
        n["rank"] = rank


def handoff_table(g: nx.MultiDiGraph, facts: Facts, ranked: list[tuple[list[str], Any]],
                  out_refs: Mapping[str, list[Any]]) -> dict[str, Any]:
    """The hand-offs of the best paths as rows a designer reads beside the picture: path,
    from, to, median wait, clients a month, vastuutaho, whether information travels and
    the worst finding on it (the edges carry no text of their own)."""
    tr = facts.tr
    by_pair = {}
    for refs in out_refs.values():
        for ref in refs:
            by_pair.setdefault((ref.source, ref.target), ref)
    flows = {"yes": tr("yes"), "no": tr("no")}
    rows = []
    for i, (ids, _) in enumerate(ranked):
        for a, b in zip(ids, ids[1:]):
            ref = by_pair.get((a, b))
            if ref is None:
                continue
            owner = facts.owner_of(ref)
            rows.append({"path": i, "colour": PATH_COLOURS[i % len(PATH_COLOURS)],
                         "cells": [f"#{i + 1}", tr.label(g, a), tr.label(g, b),
                                   facts.wait_mark(ref),
                                   facts.people(ref.id, "volume_per_month") or "?",
                                   tr.label(g, owner) if owner else tr("no owner"),
                                   flows.get(ref.information_flow or "", tr("unknown")),
                                   facts.finding_word(facts.findings.get(ref.id, []))]})
    return {"title": tr("Hand-offs on the best paths"),
            "headers": [tr("path"), tr("from"), tr("to"), tr("wait (days)"),
                        tr("clients a month"), tr("owner"), tr("information travels"),
                        tr("finding")],
            "rows": rows}

