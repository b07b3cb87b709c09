"""The ``responsibility`` view: actors and what they lead, take part in, are consulted on or
informed of; subjects with no lead or several leads are marked from the findings
(:func:`polku.analyses.raci.marks`), so this view, the RACI matrix and the report count the same
subjects; a subject marked so is shown even if no responsibility row names it.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from polku.graph import nodes_of, responsibilities
from polku.analyses.raci import marks
from polku.present.i18n import role_name
from polku.present.messages import subject_name
from polku.present.views.facts import (ROLE_STYLES, SEVERITY_COLOURS, Facts, View, kind_legend, legend_edge, legend_node, names_text, shape_legend)


def responsibility_view(g: nx.MultiDiGraph, facts: Facts) -> View:
    rows = responsibilities(g)
    tr = facts.tr
    leads: dict[str, set[str]] = defaultdict(set)
    subjects: list[str] = []
    for r in rows:
        if r.subject not in leads:
            subjects.append(r.subject)
            leads[r.subject]  # noqa: B018 - registers the subject with no lead yet
        if r.role == "lead":
            leads[r.subject].add(r.actor)
    marked = {s: m for s, m in marks(f for fs in facts.findings.values() for f in fs).items()
              if s in g and m in ("no-lead", "several-leads")}
    subjects += sorted(s for s in marked if s not in leads)
    actors = sorted({r.actor for r in rows})
    # Rings here speak of responsibility only; every finding is still in the tooltip.
    ring = ("no-lead", "multiple-leads", "referral-without-owner", "segment-without-lead")
    nodes = [facts.node(a, size=20, ring_kinds=ring) for a in actors]
    for s in subjects:
        t = g.nodes[s].get("type")
        segs = ([s] if t == "segment" else facts.targets(s, "for_segment")
                if t in ("service", "referral") else [])
        if t == "referral":
            node = facts.node(s, size=10, segs=segs, ring_kinds=ring)
            node["label"] = facts.name(s)
            node["title"] = facts.referral_tooltip(s)
        else:
            node = facts.node(s, size=16, segs=segs, ring_kinds=ring)
        mark = marked.get(s)
        if mark:
            text = tr("no lead") if mark == "no-lead" else tr("{n} leads").format(
                n=len(leads[s]))
            node["resp"] = "none" if mark == "no-lead" else "many"
            node["color"]["border"] = SEVERITY_COLOURS["error" if mark == "no-lead" else "warning"]
            node["borderWidth"] = 5
            node["label"] += f"\n⚠ {text}"
            node["title"] += "\n\n" + tr("Responsibility: {mark}").format(mark=text) + (
                f" ({names_text(g, sorted(leads[s]), tr)})" if mark != "no-lead" else "")
        nodes.append(node)
    edges = []
    for i, r in enumerate(rows):
        width, dashes, colour = ROLE_STYLES.get(r.role, (1, False, "#999999"))
        role = role_name(r.role, tr)
        # the subject by name (a referral by its ends, as the findings name it), not its id
        title = f"{tr.label(g, r.actor)} — {role} — {subject_name(g, r.subject, tr)}"
        if r.note:
            title += "\n" + tr("Note: {text}").format(text=r.note)
        edges.append({"id": f"resp{i}", "from": r.actor, "to": r.subject, "kind": r.role,
                      "arrows": "to", "width": width, "dashes": dashes,
                      "color": {"color": colour, "highlight": "#111111"}, "title": title})
    legend = [{"item": "heading", "label": tr("Roles")}] + [
        legend_edge(role_name(role, tr), colour, width, dashes)
        for role, (width, dashes, colour) in ROLE_STYLES.items()] + [
        {"item": "heading", "label": tr("What they answer for")},
        legend_node(tr("no lead"), "dot", "#ffffff", SEVERITY_COLOURS["error"]),
        legend_node(tr("several leads"), "dot", "#ffffff", SEVERITY_COLOURS["warning"]),
    ] + shape_legend(nodes, tr) + kind_legend(nodes, g, tr)
    no_lead = sum(1 for m in marked.values() if m == "no-lead")
    many = sum(1 for m in marked.values() if m == "several-leads")
    return View(
        kind="responsibility",
        title=tr("Responsibilities · {name}").format(name=tr.title(g)),
        # each count in its own singular or plural
        subtitle=" · ".join([
            tr.ngettext("{n} actor", "{n} actors", len(actors)).format(n=len(actors)),
            tr.ngettext("{n} subject", "{n} subjects", len(subjects)).format(n=len(subjects)),
            tr("{n} with no lead").format(n=no_lead),
            tr("{n} with several leads").format(n=many)]),
        nodes=nodes, edges=edges, legend=legend,
        segments=tr.by_name(g, nodes_of(g, "segment")),
    )

