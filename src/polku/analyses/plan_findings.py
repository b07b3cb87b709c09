"""Plan findings: the responsibility gaps of an action plan (goals → measures → actors).

A development plan has gaps of its own, beside the ecosystem's: a measure nobody leads, a
measure two organisations lead "until the division of work is clarified", a measure with
no way to tell whether it worked, an organisation leading more measures at once than it
can carry. :func:`plan_findings` returns them as :class:`~polku.finding.Finding` records,
in the shape and order of ``docs/findings.md``, so they print and diff with the
ecosystem's findings (:func:`polku.analyses.findings.find` adds them to its list).

Kinds and severities (subject is always a measure, except ``actor-overload``):

=========================  ========  ========================================================
kind                       severity  fires when
=========================  ========  ========================================================
no-lead                    error     no actor holds role ``lead`` on the measure
multiple-leads             warning   two or more actors hold role ``lead`` on the measure,
                                     and its responsibility is not deferred
deferred-responsibility    warning   the measure's responsibility text leaves the division
                                     of work to be agreed later (``deferred`` is true)
measure-without-indicator  warning   the measure has no indicator
actor-overload             warning   (subject: actor) in some month the actor leads more
                                     running measures than ``max_concurrent_leads`` (3)
risk-without-mitigation    info      (subject: risk, related: its measure) the risk's
                                     mitigation is empty or only question marks (``??``)
=========================  ========  ========================================================

``no-lead`` is an error as for services: nobody is accountable. The rest are warnings: a
leader should look, but the plan may have reasons (a shared lead can work if the split is
written down, and an overload threshold is a setting, not a fact). Measures without a
start and an end month do not count towards ``actor-overload``. A deferred measure with
several leads gets ``deferred-responsibility`` only: that one finding says the split is
open. Every finding says who must act (:mod:`polku.analyses.accountable`).
"""

from __future__ import annotations

import networkx as nx

from polku.analyses.accountable import Responsibilities, responsibilities_of, who_must_act
from polku.finding import Finding, sort_findings
from polku.graph import nodes_of, targets
from polku.kinds import MAX_CONCURRENT_LEADS, severities

#: the plan kinds and their severities (from the catalogue, :mod:`polku.kinds`)
KINDS: dict[str, str] = severities("plan")


def roles_on(g: nx.MultiDiGraph, subject: str) -> dict[str, list[str]]:
    """Actors by role on one subject: ``{"lead": [...], "participant": [...]}``, sorted."""
    out: dict[str, set[str]] = {}
    for u, _, d in g.in_edges(subject, data=True):
        if d.get("kind") == "responsibility":
            out.setdefault(d.get("role", ""), set()).add(u)
    return {role: sorted(actors) for role, actors in out.items()}


def months(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` (``YYYY-MM``), both included.

    >>> months("2026-11", "2027-02")
    ['2026-11', '2026-12', '2027-01', '2027-02']
    """
    y, m = int(start[:4]), int(start[5:7])
    ey, em = int(end[:4]), int(end[5:7])
    out = []
    while (y, m) <= (ey, em):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _valid_month(value: object) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[4] == "-" \
        and value.isascii() and value[:4].isdigit() and value[5:].isdigit() \
        and 1 <= int(value[5:]) <= 12


def lead_load(g: nx.MultiDiGraph) -> dict[str, dict[str, list[str]]]:
    """For each actor, the measures it leads that run in each month: actor → month → ids.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("ttl", type="actor", name="TTL")
    >>> g.add_node("m1", type="measure", name="M1", start="2026-01", end="2026-02")
    >>> add_edge(g, "ttl", "m1", "responsibility", key="responsibility:lead", role="lead")
    >>> lead_load(g)["ttl"]
    {'2026-01': ['m1'], '2026-02': ['m1']}
    """
    load: dict[str, dict[str, list[str]]] = {}
    for m in nodes_of(g, "measure"):
        data = g.nodes[m]
        start, end = data.get("start"), data.get("end")
        if not (_valid_month(start) and _valid_month(end)) or start > end:
            continue
        for actor in roles_on(g, m).get("lead", []):
            per_month = load.setdefault(actor, {})
            for month in months(start, end):
                per_month.setdefault(month, []).append(m)
    return load


def lead_kinds(leads: int, deferred: bool) -> tuple[str, ...]:
    """The lead findings of a measure with ``leads`` leads: the one rule the findings, the
    plan view and the timeline all count by (a deferred measure with several leads is
    ``deferred-responsibility`` only: that one finding says the split is open).

    >>> lead_kinds(0, False), lead_kinds(2, False), lead_kinds(2, True), lead_kinds(1, False)
    (('no-lead',), ('multiple-leads',), ('deferred-responsibility',), ())
    """
    kinds: list[str] = []
    if leads == 0:
        kinds.append("no-lead")
    elif leads >= 2 and not deferred:
        kinds.append("multiple-leads")
    if deferred:
        kinds.append("deferred-responsibility")
    return tuple(kinds)


def plan_tally(g: nx.MultiDiGraph) -> dict[str, int]:
    """How many measures the plan has, and how many of them have no lead, several leads,
    a deferred division of work (by :func:`lead_kinds`) or no months: the counts every plan
    page heads itself with.

    >>> from polku.io.plan import SAMPLE, parse_plan
    >>> plan_tally(parse_plan(SAMPLE).graph)
    {'goals': 1, 'measures': 1, 'no_lead': 0, 'multiple_leads': 0, 'deferred': 0, 'undated': 0}
    """
    tally = {"goals": len(nodes_of(g, "goal")), "measures": 0, "no_lead": 0,
             "multiple_leads": 0, "deferred": 0, "undated": 0}
    for m in nodes_of(g, "measure"):
        data = g.nodes[m]
        tally["measures"] += 1
        kinds = lead_kinds(len(roles_on(g, m).get("lead", [])), data.get("deferred") is True)
        tally["no_lead"] += "no-lead" in kinds
        tally["multiple_leads"] += "multiple-leads" in kinds
        tally["deferred"] += "deferred-responsibility" in kinds
        tally["undated"] += not (_valid_month(data.get("start")) and _valid_month(data.get("end")))
    return tally


def plan_findings(g: nx.MultiDiGraph,
                  max_concurrent_leads: int = MAX_CONCURRENT_LEADS,
                  resp: Responsibilities | None = None) -> list[Finding]:
    """Every plan finding of the graph, sorted as the spec says (see the module doc), with
    who must act; ``resp`` is the graph's index if the caller has it. The findings are data
    (their messages are written at the edge: :mod:`polku.present.messages`).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("m", type="measure", name="Tilannekuva", deferred=True)
    >>> for a in ("keusote", "tyollisyysalue"):
    ...     g.add_node(a, type="actor", name=a.title())
    ...     add_edge(g, a, "m", "responsibility", key="responsibility:lead", role="lead")
    >>> [(f.kind, f.subject, f.related) for f in plan_findings(g)]
    [('deferred-responsibility', 'm', ('keusote', 'tyollisyysalue')), ('measure-without-indicator', 'm', ())]
    """
    out: list[Finding] = []
    for m in nodes_of(g, "measure"):
        data = g.nodes[m]
        roles = roles_on(g, m)
        leads, participants = roles.get("lead", []), roles.get("participant", [])
        kinds = lead_kinds(len(leads), data.get("deferred") is True)
        if "no-lead" in kinds:
            out.append(Finding("no-lead", KINDS["no-lead"], m, tuple(participants),
                               metrics={"participants": len(participants)}))
        if "multiple-leads" in kinds:
            out.append(Finding("multiple-leads", KINDS["multiple-leads"], m, tuple(leads),
                               metrics={"leads": len(leads)}))
        if "deferred-responsibility" in kinds:
            out.append(Finding("deferred-responsibility", KINDS["deferred-responsibility"],
                               m, tuple(leads or participants), metrics={"leads": len(leads)}))
        if not targets(g, m, "has_indicator"):
            goals = targets(g, m, "in_goal")
            out.append(Finding("measure-without-indicator", KINDS["measure-without-indicator"],
                               m, tuple(goals)))
        for risk in targets(g, m, "has_risk"):
            if not str(g.nodes[risk].get("mitigation") or "").strip("? \n\t"):
                out.append(Finding("risk-without-mitigation", KINDS["risk-without-mitigation"],
                                   risk, (m,)))

    for actor, per_month in sorted(lead_load(g).items()):
        over = sorted(month for month, ms in per_month.items() if len(ms) > max_concurrent_leads)
        if not over:
            continue
        peak = max(len(per_month[month]) for month in over)
        peak_month = min(month for month in over if len(per_month[month]) == peak)
        running = sorted(per_month[peak_month])
        out.append(Finding(
            "actor-overload", KINDS["actor-overload"], actor, tuple(running),
            metrics={"month": peak_month, "concurrent": peak, "max_concurrent_leads": max_concurrent_leads,
             "months_over": len(over), "first_month": over[0], "last_month": over[-1]}))
    return sort_findings(who_must_act(resp or responsibilities_of(g), out))
