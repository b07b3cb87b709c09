"""The plan's two views, drawn with the view machinery of :mod:`polku.render`.

``plan``
    goals → measures → actors, left to right. A lead is a thick solid edge, a participant
    a thin dashed one; a measure with no lead or several leads gets a red or amber ring
    (its plan findings), and one whose division of work is still to be agreed a dashed
    border and ``deferred`` in its label.
``timeline``
    every measure as a bar over the months it runs, one row per measure grouped by goal,
    coloured by who leads it (each combination of leads its own colour, listed in the
    legend); deferred measures have a dashed red border and say ``deferred``. Measures without months
    are listed to the left of the first month.

Both return a :class:`polku.render.View`, so they become the same self-contained page
(search, filters, legend, tooltips) as every other view.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from .graph import label, nodes_of, targets
from .render import (KIND_COLOURS, SEVERITY_COLOURS, TYPE_COLOURS, View, darker, Facts,
                     finding_lines, legend_edge, legend_node, names_text)

GOAL_COLOUR = "#ffd166"
PLAN_ROLE_STYLES = {  # role: (width, dashes, colour)
    "lead": (4.5, False, "#1d3557"),
    "participant": (1.5, [6, 5], "#6c8ebf"),
}
DEFERRED_BORDER = SEVERITY_COLOURS["warning"]
#: colours for lead combinations in the timeline, after the actors' own kind colours
LEAD_SET_COLOURS = ("#e76f51", "#8338ec", "#2a9d8f", "#3d5a80", "#b5838d", "#f4a261",
                    "#588157", "#48bfe3", "#9c6644", "#6d6875")
MONTH_WIDTH = 46
ROW_HEIGHT = 34


def _natural(node: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", node))


def _roles(g: nx.MultiDiGraph, m: str) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for u, _, d in g.in_edges(m, data=True):
        if d.get("kind") == "responsibility":
            out.setdefault(d.get("role", ""), set()).add(u)
    return {r: sorted(a) for r, a in out.items()}


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _number(m: str) -> str:
    """``measure-1-3`` → ``1.3`` (other ids as they are)."""
    found = re.fullmatch(r"measure-(\d+)-(\d+)", m)
    return f"{found.group(1)}.{found.group(2)}" if found else m


def measure_tooltip(g: nx.MultiDiGraph, facts: Facts, m: str) -> str:
    """Everything a leader wants to see about one measure, as plain lines."""
    d = g.nodes[m]
    roles = _roles(g, m)
    lines = [f"Plan measure {_number(m)}: {label(g, m)}", f"id: {m}"]
    goal = targets(g, m, "in_goal")
    if goal:
        lines.append(f"Goal: {names_text(g, goal)}")
    if d.get("start") or d.get("end"):
        lines.append(f"Runs: {d.get('start') or '?'} – {d.get('end') or '?'}")
    else:
        lines.append("Runs: no months given")
    lines.append(f"Lead: {names_text(g, roles.get('lead', [])) or '– (none)'}")
    if roles.get("participant"):
        lines.append(f"Participants: {names_text(g, roles['participant'])}")
    if d.get("deferred"):
        lines.append("Division of work: still to be agreed"
                     + (f" (“{d['deferred_text'].splitlines()[0]}”)" if d.get("deferred_text") else ""))
    if d.get("parts"):
        lines.append(f"Parts: {', '.join(d['parts'])}")
    subjects = targets(g, m, "subject")
    if subjects:
        lines.append(f"Works on: {names_text(g, subjects)}")
    indicators = sorted(targets(g, m, "has_indicator"), key=_natural)
    lines.append(f"Indicators ({len(indicators)}):" if indicators else "Indicators: none")
    lines += [f"  • {label(g, i)}" for i in indicators]
    risks = sorted(targets(g, m, "has_risk"), key=_natural)
    if risks:
        lines.append(f"Risks ({len(risks)}):")
        for r in risks:
            mit = g.nodes[r].get("mitigation")
            lines.append(f"  • {label(g, r)}" + (f" → {mit}" if mit else ""))
    lines += finding_lines(facts.findings.get(m, []))
    return "\n".join(lines)


def _goal_node(g: nx.MultiDiGraph, goal: str, **extra: Any) -> dict[str, Any]:
    d = g.nodes[goal]
    title = [f"Goal {goal}: {label(g, goal)}"]
    if d.get("subthemes"):
        title.append(f"Sub-themes: {d['subthemes']}")
    n_measures = len([m for m in nodes_of(g, "measure") if goal in targets(g, m, "in_goal")])
    title.append(f"{n_measures} measure(s)")
    node = {"id": goal, "gid": goal, "ptype": "goal", "shape": "box",
            "label": _short(label(g, goal), 70),
            "color": {"background": GOAL_COLOUR, "border": darker(GOAL_COLOUR),
                      "highlight": {"background": GOAL_COLOUR, "border": "#111111"}},
            "borderWidth": 1.5, "title": "\n".join(title),
            "widthConstraint": {"maximum": 260}, "margin": 10}
    node.update(extra)
    return node


def _mark_deferred(node: dict[str, Any], g: nx.MultiDiGraph, m: str) -> None:
    if g.nodes[m].get("deferred"):
        node["label"] += " · deferred"
        node["shapeProperties"] = {"borderDashes": [6, 4]}
        if not node.get("sev"):
            node["color"]["border"] = DEFERRED_BORDER
        node["borderWidth"] = max(float(node.get("borderWidth") or 1), 3.0)
        node["deferred"] = True


def plan_view(g: nx.MultiDiGraph, facts: Facts) -> View:
    """goal → measure → actor, lead and participant edges drawn apart (see the module doc)."""
    measures = sorted(nodes_of(g, "measure"), key=_natural)
    goals = sorted(nodes_of(g, "goal"), key=_natural)
    ring = ("no-lead", "multiple-leads", "deferred-responsibility", "measure-without-indicator")
    nodes: list[dict[str, Any]] = [_goal_node(g, goal) for goal in goals]
    edges: list[dict[str, Any]] = []
    actors: set[str] = set()
    for m in measures:
        node = facts.node(m, size=22, ring_kinds=ring)
        node["label"] = f"{_number(m)} {_short(label(g, m), 60)}"
        node["shape"] = "box"
        node["widthConstraint"] = {"maximum": 240}
        node["title"] = measure_tooltip(g, facts, m)
        _mark_deferred(node, g, m)
        nodes.append(node)
        for goal in targets(g, m, "in_goal"):
            edges.append({"id": f"goal:{goal}:{m}", "from": goal, "to": m, "kind": "in_goal",
                          "arrows": "to", "width": 1.5,
                          "color": {"color": "#c9a227", "highlight": "#111111"},
                          "title": f"{label(g, m)} serves {label(g, goal)}"})
        for role, actor_ids in _roles(g, m).items():
            width, dashes, colour = PLAN_ROLE_STYLES.get(role, (1.2, [2, 5], "#b0b8c4"))
            for a in actor_ids:
                actors.add(a)
                note = g.edges[a, m, f"responsibility:{role}"].get("note") \
                    if g.has_edge(a, m, f"responsibility:{role}") else None
                title = f"{label(g, a)} — {role} — {_number(m)} {label(g, m)}"
                if note:
                    title += f"\nNote: {note}"
                # drawn measure → actor so that actors stand in the rightmost column
                edges.append({"id": f"resp:{a}:{m}:{role}", "from": m, "to": a, "kind": role,
                              "arrows": "to", "width": width, "dashes": dashes,
                              "color": {"color": colour, "highlight": "#111111"},
                              "title": title})
    for a in sorted(actors):
        leads = [m for m in measures if a in _roles(g, m).get("lead", [])]
        node = facts.node(a, size=24, ring_kinds=("actor-overload",))
        node["title"] += f"\nLeads {len(leads)} measure(s)"
        nodes.append(node)
    legend = [{"item": "heading", "label": "Roles"}] + [
        legend_edge(role, colour, width, dashes)
        for role, (width, dashes, colour) in PLAN_ROLE_STYLES.items()] + [
        {"item": "heading", "label": "Nodes"},
        legend_node("goal", "box", GOAL_COLOUR),
        legend_node("measure", "box", TYPE_COLOURS["measure"]),
        legend_node("deferred: division of work still to be agreed", "box", "#ffffff",
                     DEFERRED_BORDER),
        legend_node("no lead", "box", "#ffffff", SEVERITY_COLOURS["error"]),
        legend_node("several leads / other finding", "box", "#ffffff", SEVERITY_COLOURS["warning"]),
    ]
    deferred = sum(1 for m in measures if g.nodes[m].get("deferred"))
    no_lead = sum(1 for m in measures if not _roles(g, m).get("lead"))
    many = sum(1 for m in measures if len(_roles(g, m).get("lead", [])) > 1)
    return View(
        kind="plan", title=f"Plan · {g.graph.get('name', 'graph')}",
        subtitle=(f"{len(goals)} goals · {len(measures)} measures · {len(actors)} actors · "
                  f"{no_lead} with no lead · {many} with several leads · {deferred} deferred"),
        nodes=nodes, edges=edges, legend=legend, hierarchical=True)


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_view(g: nx.MultiDiGraph, facts: Facts) -> View:
    """Measures as bars over the months, coloured by lead (see the module doc)."""
    measures = sorted(nodes_of(g, "measure"), key=lambda m: (
        _natural((targets(g, m, "in_goal") or ["~"])[0]), _natural(m)))
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
        leads = tuple(_roles(g, m).get("lead", []))
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
                          "label": f"{gid}: {_short(label(g, goal), 90)}" if goal else "(no goal)",
                          "x": undated_x - 5 * MONTH_WIDTH, "y": y, "fixed": True,
                          "widthConstraint": {"maximum": 4 * MONTH_WIDTH + 60},
                          "font": {"size": 16, "bold": True, "align": "left"},
                          "title": f"{label(g, goal)}" if goal else "measures with no goal"})
            y += ROW_HEIGHT
        leads = tuple(_roles(g, m).get("lead", []))
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
                     "label": f"{_number(m)} {_short(label(g, m), max(8, int(width / 8)))}",
                     "widthConstraint": {"minimum": width, "maximum": width},
                     "heightConstraint": {"minimum": ROW_HEIGHT - 10},
                     "font": {"size": 14, "color": "#111827", "strokeWidth": 2,
                              "strokeColor": "#ffffff"},
                     "title": measure_tooltip(g, facts, m), "margin": 4})
        _mark_deferred(node, g, m)
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
