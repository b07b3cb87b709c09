"""The ``timeline`` view: every measure as a bar over the months it runs, one row per
measure grouped by goal, coloured by who leads it (each combination of leads its own
colour, listed in the legend); deferred measures have a dashed red border and say
``deferred``. Measures without months are listed to the left of the first month.

>>> _month_name(_month_index("2025-12") + 1)
'2026-01'
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from ..graph import label, nodes_of, targets
from .facts import KIND_COLOURS, SEVERITY_COLOURS, Facts, View, legend_node, names_text
from .plan import (DEFERRED_BORDER, mark_deferred, measure_number, measure_roles,
                   measure_tooltip, natural, short)

#: colours for lead combinations in the timeline, after the actors' own kind colours
LEAD_SET_COLOURS = ("#e76f51", "#8338ec", "#2a9d8f", "#3d5a80", "#b5838d", "#f4a261",
                    "#588157", "#48bfe3", "#9c6644", "#6d6875")
MONTH_WIDTH = 46
ROW_HEIGHT = 34


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_view(g: nx.MultiDiGraph, facts: Facts) -> View:
    """Measures as bars over the months, coloured by lead (see the module doc)."""
    measures = sorted(nodes_of(g, "measure"), key=lambda m: (
        natural((targets(g, m, "in_goal") or ["~"])[0]), natural(m)))
    dated = {m: (g.nodes[m]["start"], g.nodes[m]["end"]) for m in measures
             if re.fullmatch(r"\d{4}-\d{2}", str(g.nodes[m].get("start", "")))
             and re.fullmatch(r"\d{4}-\d{2}", str(g.nodes[m].get("end", "")))
             and g.nodes[m]["start"] <= g.nodes[m]["end"]}
    first = min((_month_index(s) for s, _ in dated.values()), default=0)
    last = max((_month_index(e) for _, e in dated.values()), default=first)

    # one colour per combination of leads: a single lead keeps its own kind colour
    lead_sets: dict[tuple[str, ...], str] = {}
    spare = iter(LEAD_SET_COLOURS * 10)
    for m in measures:
        leads = tuple(measure_roles(g, m).get("lead", []))
        if leads in lead_sets:
            continue
        if not leads:
            lead_sets[leads] = "#dee2e6"
        elif len(leads) == 1 and g.nodes[leads[0]].get("kind") in KIND_COLOURS \
                and KIND_COLOURS[g.nodes[leads[0]]["kind"]] not in lead_sets.values():
            lead_sets[leads] = KIND_COLOURS[g.nodes[leads[0]]["kind"]]
        else:
            colour = next(spare)
            while colour in lead_sets.values():
                colour = next(spare)
            lead_sets[leads] = colour

    nodes: list[dict[str, Any]] = []
    y = ROW_HEIGHT * 2
    axis_y = y - ROW_HEIGHT * 1.5
    x0 = 0.0
    undated_x = x0 - 3 * MONTH_WIDTH
    for i in range(first, last + 1):
        if dated and (i % 3 == 0 or i == first):
            nodes.append({"id": f"month:{_month_name(i)}", "gid": _month_name(i), "ptype": "axis",
                          "label": _month_name(i), "shape": "text", "x": x0 + (i - first + 0.5) * MONTH_WIDTH,
                          "y": axis_y, "fixed": True,
                          "font": {"size": 13, "color": "#52606d"}, "title": _month_name(i)})
    if len(dated) < len(measures):
        nodes.append({"id": "month:none", "gid": "no months", "ptype": "axis",
                      "label": "no months", "shape": "text", "x": undated_x, "y": axis_y,
                      "fixed": True, "font": {"size": 13, "color": "#52606d"},
                      "title": "measures whose plan gives no months"})
    current_goal = None
    for m in measures:
        goal = (targets(g, m, "in_goal") or [None])[0]
        if goal != current_goal:
            current_goal = goal
            y += ROW_HEIGHT * 0.6
            gid = goal or "no-goal"
            nodes.append({"id": f"row:{gid}", "gid": gid, "ptype": "goal", "shape": "text",
                          "label": f"{gid}: {short(label(g, goal), 90)}" if goal else "(no goal)",
                          "x": undated_x - 5 * MONTH_WIDTH, "y": y, "fixed": True,
                          "widthConstraint": {"maximum": 4 * MONTH_WIDTH + 60},
                          "font": {"size": 16, "bold": True, "align": "left"},
                          "title": f"{label(g, goal)}" if goal else "measures with no goal"})
            y += ROW_HEIGHT
        leads = tuple(measure_roles(g, m).get("lead", []))
        node = facts.node(m, ring_kinds=("no-lead", "multiple-leads", "deferred-responsibility",
                                         "measure-without-indicator"))
        fill = lead_sets[leads]
        node["color"].update({"background": fill,
                              "highlight": {"background": fill, "border": "#111111"},
                              "hover": {"background": fill, "border": node["color"]["border"]}})
        if m in dated:
            s, e = (_month_index(v) for v in dated[m])
            width = (e - s + 1) * MONTH_WIDTH - 4
            node["x"] = x0 + (s - first) * MONTH_WIDTH + (e - s + 1) * MONTH_WIDTH / 2
        else:
            width = 2 * MONTH_WIDTH
            node["x"] = undated_x
        node.update({"y": y, "fixed": True, "shape": "box",
                     "label": f"{measure_number(m)} {short(label(g, m), max(8, int(width / 8)))}",
                     "widthConstraint": {"minimum": width, "maximum": width},
                     "heightConstraint": {"minimum": ROW_HEIGHT - 10},
                     "font": {"size": 14, "color": "#111827", "strokeWidth": 2,
                              "strokeColor": "#ffffff"},
                     "title": measure_tooltip(g, facts, m), "margin": 4})
        mark_deferred(node, g, m)
        nodes.append(node)
        y += ROW_HEIGHT
    legend: list[dict[str, Any]] = [{"item": "heading", "label": "Lead"}]
    for leads, colour in lead_sets.items():
        legend.append(legend_node(names_text(g, list(leads)) if leads else "no lead", "box", colour))
    legend += [{"item": "heading", "label": "Marks"},
               legend_node("deferred: division of work still to be agreed (dashed)", "box",
                            "#ffffff", DEFERRED_BORDER),
               legend_node("no lead", "box", "#ffffff", SEVERITY_COLOURS["error"]),
               legend_node("several leads", "box", "#ffffff", SEVERITY_COLOURS["warning"])]
    span = f"{_month_name(first)} – {_month_name(last)}" if dated else "no months"
    return View(
        kind="timeline", title=f"Plan timeline · {g.graph.get('name', 'graph')}",
        subtitle=(f"{len(measures)} measures · {span} · "
                  f"{sum(1 for m in measures if g.nodes[m].get('deferred'))} deferred · "
                  f"{len(measures) - len(dated)} without months"),
        nodes=nodes, edges=[], legend=legend, hierarchical=False, physics=False)
