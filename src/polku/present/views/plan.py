"""The ``plan`` view: goals → measures → actors, left to right. A lead is a thick solid
edge, a participant a thin dashed one; a measure with no lead or several leads gets a red
or amber ring (its plan findings), and one whose division of work is still to be agreed a
dashed border and ``deferred`` in its label.

It returns a :class:`polku.present.views.facts.View`, so it becomes the same self-contained page
(search, filters, legend, tooltips) as every other view. The measure helpers here serve
the timeline too.

>>> measure_number("measure-1-3"), measure_number("m7"), short("Työllisyys", 5)
('1.3', 'm7', 'Työl…')
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from polku.analyses.plan_findings import plan_tally
from polku.graph import nodes_of, targets
from polku.present.i18n import Translator, role_name, translator
from polku.present.views.facts import (SEVERITY_COLOURS, TYPE_COLOURS, Facts, View, darker, finding_lines, legend_edge, legend_node, names_text)

GOAL_COLOUR = "#ffd166"
PLAN_ROLE_STYLES = {  # role: (width, dashes, colour)
    "lead": (4.5, False, "#1d3557"),
    "participant": (1.5, [6, 5], "#6c8ebf"),
}
DEFERRED_BORDER = SEVERITY_COLOURS["warning"]
#: the plan opens no smaller than this: its 17 px labels read at 13 px or more
PLAN_MIN_SCALE = 0.8


def natural(node: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", node))


def measure_roles(g: nx.MultiDiGraph, m: str) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for u, _, d in g.in_edges(m, data=True):
        if d.get("kind") == "responsibility":
            out.setdefault(d.get("role", ""), set()).add(u)
    return {r: sorted(a) for r, a in out.items()}


def short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def measure_number(m: str) -> str:
    """``measure-1-3`` → ``1.3`` (other ids as they are)."""
    found = re.fullmatch(r"measure-(\d+)-(\d+)", m)
    return f"{found.group(1)}.{found.group(2)}" if found else m


def measure_tooltip(g: nx.MultiDiGraph, facts: Facts, m: str) -> str:
    """Everything a leader wants to see about one measure, as plain lines."""
    d = g.nodes[m]
    tr = facts.tr
    roles = measure_roles(g, m)
    lines = [tr("Plan measure {number}: {name}").format(number=measure_number(m),
                                                       name=tr.label(g, m)), f"id: {m}"]
    goal = targets(g, m, "in_goal")
    if goal:
        lines.append(tr("Goal: {names}").format(names=names_text(g, goal, tr)))
    if d.get("start") or d.get("end"):
        lines.append(tr("Runs: {start} – {end}").format(start=d.get("start") or "?",
                                                        end=d.get("end") or "?"))
    else:
        lines.append(tr("Runs: no months given"))
    lines.append(tr("Lead: {names}").format(
        names=names_text(g, roles.get("lead", []), tr) or tr("– (none)")))
    if roles.get("participant"):
        lines.append(tr("Participants: {names}").format(
            names=names_text(g, roles["participant"], tr)))
    # the plan's own words (free text, in the plan's language): marked with it on a page
    # of another
    if d.get("deferred"):
        deferred = tr.text(g, m, "deferred_text")
        said = tr.mark(deferred.text.splitlines()[0], deferred.lang) if deferred else None
        # in the page's quotation marks: the sentence around the plan's words is the page's
        lines.append(tr("Division of work: still to be agreed")
                     + (f" ({tr.quote(said)})" if said else ""))
    if d.get("parts"):
        lines.append(tr("Parts: {parts}").format(parts=tr.said(g, m, "parts")))
    subjects = targets(g, m, "subject")
    if subjects:
        lines.append(tr("Works on: {names}").format(names=names_text(g, subjects, tr)))
    indicators = sorted(targets(g, m, "has_indicator"), key=natural)
    lines.append(tr("Indicators ({n}):").format(n=len(indicators)) if indicators
                 else tr("Indicators: none"))
    lines += [f"  • {tr.label(g, i)}" for i in indicators]
    risks = sorted(targets(g, m, "has_risk"), key=natural)
    if risks:
        lines.append(tr("Risks ({n}):").format(n=len(risks)))
        for r in risks:
            mit = tr.said(g, r, "mitigation")
            lines.append(f"  • {tr.label(g, r)}" + (f" → {mit}" if mit else ""))
    lines += finding_lines(facts.findings.get(m, []), tr)
    return "\n".join(lines)


def _goal_node(g: nx.MultiDiGraph, goal: str, tr: Translator, **extra: Any) -> dict[str, Any]:
    d = g.nodes[goal]
    title = [tr("Goal {id}: {name}").format(id=goal, name=tr.label(g, goal))]
    if d.get("subthemes"):
        title.append(tr("Sub-themes: {text}").format(text=tr.said(g, goal, "subthemes")))
    n_measures = len([m for m in nodes_of(g, "measure") if goal in targets(g, m, "in_goal")])
    title.append(tr.ngettext("{n} measure", "{n} measures", n_measures).format(n=n_measures))
    node = {"id": goal, "gid": goal, "ptype": "goal", "shape": "box",
            "label": short(tr.name(g, goal).text, 70),  # the canvas: plain text
            "color": {"background": GOAL_COLOUR, "border": darker(GOAL_COLOUR),
                      "highlight": {"background": GOAL_COLOUR, "border": "#111111"}},
            "borderWidth": 1.5, "title": "\n".join(title),
            "widthConstraint": {"maximum": 260}, "margin": 10}
    node.update(extra)
    return node


def mark_deferred(node: dict[str, Any], g: nx.MultiDiGraph, m: str,
                  tr: Translator | None = None) -> None:
    tr = tr or translator()
    if g.nodes[m].get("deferred"):
        node["label"] += " · " + tr("deferred")
        node["shapeProperties"] = {"borderDashes": [6, 4]}
        if not node.get("sev"):
            node["color"]["border"] = DEFERRED_BORDER
        node["borderWidth"] = max(float(node.get("borderWidth") or 1), 3.0)
        node["deferred"] = True


def plan_view(g: nx.MultiDiGraph, facts: Facts) -> View:
    """goal → measure → actor, lead and participant edges drawn apart (see the module doc)."""
    measures = sorted(nodes_of(g, "measure"), key=natural)
    goals = sorted(nodes_of(g, "goal"), key=natural)
    ring = ("no-lead", "multiple-leads", "deferred-responsibility", "measure-without-indicator")
    tr = facts.tr
    nodes: list[dict[str, Any]] = [_goal_node(g, goal, tr) for goal in goals]
    edges: list[dict[str, Any]] = []
    actors: set[str] = set()
    for m in measures:
        node = facts.node(m, size=22, ring_kinds=ring)
        node["label"] = f"{measure_number(m)} {short(tr.name(g, m).text, 60)}"
        node["shape"] = "box"
        node["widthConstraint"] = {"maximum": 240}
        node["title"] = measure_tooltip(g, facts, m)
        mark_deferred(node, g, m, tr)
        nodes.append(node)
        for goal in targets(g, m, "in_goal"):
            edges.append({"id": f"goal:{goal}:{m}", "from": goal, "to": m, "kind": "in_goal",
                          "arrows": "to", "width": 1.5,
                          "color": {"color": "#c9a227", "highlight": "#111111"},
                          "title": tr("{measure} serves {goal}").format(
                              measure=tr.label(g, m), goal=tr.label(g, goal))})
        for role, actor_ids in measure_roles(g, m).items():
            width, dashes, colour = PLAN_ROLE_STYLES.get(role, (1.2, [2, 5], "#b0b8c4"))
            for a in actor_ids:
                actors.add(a)
                note = g.edges[a, m, f"responsibility:{role}"].get("note") \
                    if g.has_edge(a, m, f"responsibility:{role}") else None
                title = (f"{tr.label(g, a)} — {role_name(role, tr)} — "
                         f"{measure_number(m)} {tr.label(g, m)}")
                if note:
                    title += "\n" + tr("Note: {text}").format(text=note)
                # drawn measure → actor so that actors stand in the rightmost column
                edges.append({"id": f"resp:{a}:{m}:{role}", "from": m, "to": a, "kind": role,
                              "arrows": "to", "width": width, "dashes": dashes,
                              "color": {"color": colour, "highlight": "#111111"},
                              "title": title})
    for a in sorted(actors):
        leads = [m for m in measures if a in measure_roles(g, m).get("lead", [])]
        node = facts.node(a, size=24, ring_kinds=("actor-overload",))
        node["title"] += "\n" + tr.ngettext("Leads {n} measure", "Leads {n} measures",
                                             len(leads)).format(n=len(leads))
        nodes.append(node)
    legend = [{"item": "heading", "label": tr("Roles")}] + [
        legend_edge(role_name(role, tr), colour, width, dashes)
        for role, (width, dashes, colour) in PLAN_ROLE_STYLES.items()] + [
        {"item": "heading", "label": tr("Boxes")},
        legend_node(tr("goal"), "box", GOAL_COLOUR),
        legend_node(tr("measure"), "box", TYPE_COLOURS["measure"]),
        legend_node(tr("deferred: division of work still to be agreed"), "box", "#ffffff",
                    DEFERRED_BORDER),
        legend_node(tr("no lead"), "box", "#ffffff", SEVERITY_COLOURS["error"]),
        legend_node(tr("several leads / other finding"), "box", "#ffffff",
                    SEVERITY_COLOURS["warning"]),
    ]
    tally = plan_tally(g)  # counted as the findings and the timeline count
    return View(
        kind="plan", title=tr("Plan · {name}").format(name=tr.title(g)),
        # each count in its own words (one measure, 18 measures), the findings' counts after
        # their names: 'päävastuu puuttuu: 0' reads in every language, '0 with no lead' not
        subtitle=" · ".join((
            tr.ngettext("{n} goal", "{n} goals", len(goals)).format(n=len(goals)),
            tr.ngettext("{n} measure", "{n} measures", len(measures)).format(n=len(measures)),
            tr.ngettext("{n} actor", "{n} actors", len(actors)).format(n=len(actors)),
            tr("with no lead: {n}").format(n=tally["no_lead"]),
            tr("with several leads: {n}").format(n=tally["multiple_leads"]),
            tr("division of work deferred: {n}").format(n=tally["deferred"]))),
        nodes=nodes, edges=edges, legend=legend, hierarchical=True, min_scale=PLAN_MIN_SCALE)

