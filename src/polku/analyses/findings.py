"""Ecosystem findings: gaps, overlapping responsibilities and bottlenecks, exactly as
``docs/findings.md`` defines them.

:func:`find` is the one entry point: graph in, sorted :class:`~polku.finding.Finding` list
out. It covers the ecosystem kinds (services, referrals, segments, designed paths) and adds
the plan layer's findings (measures) from :func:`polku.analyses.plan_findings.plan_findings`, so
every caller gets one list.

Semantics decided where the spec leaves room (listed in the README too):

- ``unreachable-service``/``dead-end``: "reachable" is :func:`polku.analyses.reach.reachable`; a
  service marked ``entry`` counts as reachable itself. ``dead-end`` only fires on reachable
  services (an unreachable one gets ``unreachable-service`` only), and "no outcome can be
  reached by any referral" ignores segment limits.
- ``over-capacity`` needs a ``capacity_per_month``; a service without one never fires.
  Capacity 0 with inflow fires with ``utilization`` null. ``related`` lists incoming
  referrals whose volume is given, 0 included ("with a volume": an empty cell is "not said",
  0 is said).
- ``no-lead``/``multiple-leads``: a lead is any responsibility row with role ``lead`` on
  the subject, whether or not the actor provides the service; on a referral its ``owner``
  is a lead too (the contract's lead(x), as who-must-act and the RACI count it), so an owner
  and another organisation's lead row are ``multiple-leads``. ``multiple-leads`` on
  measures comes from the plan findings. A service ``organised: separately`` (each
  provider runs its own part for its own area) expects no common lead.
- ``segment-without-lead``: ``related`` is every actor with another role on the segment.
- ``overlapping-services``: a service with no providers has the empty provider set, which
  differs from any other set. Two services joined by a referral (either way) that applies
  to the segment are consecutive steps, not an overlap.
- Every finding says who must act (``accountable``) and which plan measures deal with it
  (``measures``): :mod:`polku.analyses.accountable`.
- ``path-broken``: one finding per ordered pair of consecutive steps that breaks, however
  often the path takes it; ``related`` is the two steps' node ids (sorted, as the spec
  sorts every ``related``), ``metrics`` says them in step order (``from``, ``to``: the
  key's detail), where it breaks (``steps``: the number of the first step of each place
  the path takes the pair; ``step`` the first of them) and the path's segment. Only the
  referral's applicability is checked, not the step's eligibility.
- Several findings of one kind on one subject (``unmet-need``, ``overlapping-services``,
  ``path-broken``) are ordered by ``related`` and then by ``metrics``.
- Every finding has a ``metrics`` object (empty when there is nothing to measure).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import networkx as nx

from polku.graph import require_graph
from polku.analyses.accountable import Responsibilities, responsibilities_of, who_must_act
from polku.analyses.flow import inflows
from polku.finding import Finding, above, number, sort_findings
from polku.gcpause import gc_paused
from polku.kinds import LONG_WAIT_DAYS, severities
from polku.analyses.reach import (Ecosystem, ecosystem, reachable, reaches_outcome_any, segment_groups, segment_reach, segment_spofs)

#: Every ecosystem kind with its severity, in the spec's table order (from the catalogue).
KINDS: dict[str, str] = severities("ecosystem")


def find(g: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
         eco: Ecosystem | None = None, plan: bool = True,
         max_concurrent_leads: int | None = None) -> list[Finding]:
    """Every finding of the graph, sorted as the spec says.

    ``long_wait_days`` is the ``long-wait`` threshold. ``eco`` lets a caller that already
    indexed the graph pass the index. ``plan=False`` leaves out the plan layer's findings;
    ``max_concurrent_leads`` is its ``actor-overload`` threshold (default 3).

    Findings are data: kind, severity, ids, metrics, who must act and the measures on it;
    their ``message`` is empty. The sentence is written at the edge, in the reader's
    language, by :func:`polku.present.messages.worded`, so one computation serves every
    language.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("debt", type="service", name="Velkaneuvonta", entry=True)
    >>> g.add_node("work", type="outcome", name="Työ")
    >>> [(f.kind, f.subject) for f in find(g)]
    [('dead-end', 'debt'), ('service-without-provider', 'debt')]
    >>> find(g)[1].message
    ''
    """
    require_graph(g, "find()")
    with gc_paused():
        eco = eco or ecosystem(g)
        out: list[Finding] = []
        out += _responsibility_findings(g, eco)
        out += _referral_findings(g, eco, long_wait_days)
        out += _capacity_findings(g, eco)
        out += _reach_findings(g, eco)
        out += _path_findings(g, eco)
        resp = eco.responsibilities or responsibilities_of(g)
        out = who_must_act(resp, out)
        if plan:
            out += _plan_findings(g, max_concurrent_leads, resp)
        return sort_findings(out)


def _plan_findings(g: nx.MultiDiGraph, max_concurrent_leads: int | None = None,
                   resp: Responsibilities | None = None) -> list[Finding]:
    """The plan layer's findings (measures) from :func:`polku.analyses.plan_findings.plan_findings`.

    Measures are handled there only, so nothing is reported twice; imported only when the
    graph has measures, to keep start-up short for ecosystem-only graphs.
    """
    if not any(t == "measure" for _, t in g.nodes(data="type")):
        return []
    from polku.analyses.plan_findings import MAX_CONCURRENT_LEADS, plan_findings
    return list(plan_findings(g, max_concurrent_leads=max_concurrent_leads or MAX_CONCURRENT_LEADS,
                              resp=resp))


def _responsibility_findings(g: nx.MultiDiGraph, eco: Ecosystem) -> list[Finding]:
    out = []
    leads = eco.leads
    for s in sorted(eco.services):
        provs = eco.providers.get(s, frozenset())
        if not provs:
            out.append(Finding("service-without-provider", KINDS["service-without-provider"],
                               s))
        elif len(provs) >= 2 and not leads.get(s) and \
                g.nodes[s].get("organised") != "separately":
            out.append(Finding("no-lead", KINDS["no-lead"], s, tuple(provs)))
    # lead(x) as the contract defines it: a referral's owner leads it too, so an owner and
    # another organisation's lead row are two organisations claiming one hand-off
    claimed = eco.responsibilities.leads
    subjects = set(eco.services) | set(eco.segments) | set(eco.refs)
    for subject in sorted(subjects & claimed.keys()):
        actors = claimed[subject]
        if len(actors) >= 2:
            out.append(Finding("multiple-leads", KINDS["multiple-leads"], subject, tuple(actors),
                               metrics={"leads": len(actors)}))
    for s in eco.segments:
        if not leads.get(s):
            others = {u for u, _, k in g.in_edges(s, data="kind") if k == "responsibility"}
            out.append(Finding("segment-without-lead", KINDS["segment-without-lead"], s,
                               tuple(others)))
    return out


def _referral_findings(g: nx.MultiDiGraph, eco: Ecosystem,
                       long_wait_days: float) -> list[Finding]:
    out = []
    leads = eco.leads
    for r in eco.refs.values():
        ends = tuple(x for x in (r.source, r.target) if x)
        if not r.owner and not leads.get(r.id):
            out.append(Finding("referral-without-owner", KINDS["referral-without-owner"], r.id,
                               ends))
        if r.info == "no":
            out.append(Finding("no-information-flow", KINDS["no-information-flow"], r.id, ends))
        if r.wait is not None and r.wait > long_wait_days:
            out.append(Finding("long-wait", KINDS["long-wait"], r.id, ends,
                metrics={"median_wait_days": number(r.wait), "limit": number(long_wait_days)}))
    return out


def _capacity_findings(g: nx.MultiDiGraph, eco: Ecosystem) -> list[Finding]:
    out = []
    for s, into in sorted(inflows(eco).items()):
        cap = eco.capacity.get(s)
        if cap is None or into.volume <= cap:
            continue
        total = number(round(into.volume, 6))
        # never 1.0 for an overload: as many decimals as it takes to read above 1
        util = above(total / cap, 1, 2) if cap else None
        out.append(Finding(
            "over-capacity", KINDS["over-capacity"], s, into.referrals,
            metrics={"inflow": total, "capacity": number(cap), "utilization": util}))
    return out


def _reach_findings(g: nx.MultiDiGraph, eco: Ecosystem) -> list[Finding]:
    """Findings that need R(s): computed once per group of segments that see the same
    subgraph (:func:`polku.analyses.reach.segment_groups`)."""
    out: list[Finding] = []
    per_segment: dict[str, set[str]] = {}
    spof_segments: dict[str, list[str]] = defaultdict(list)
    for key, group in segment_groups(eco).items():
        first = group[0]
        reach = segment_reach(eco, first)
        has_outcome = any(n in eco.outcomes for n in reach)
        spofs = segment_spofs(eco, first, reach) if has_outcome else []
        # Eligible services in R(s) per need; equal for the group (same named services).
        by_need: dict[str, list[str]] = defaultdict(list)
        for v in sorted(reach):
            if v in eco.services and eco.eligible(v, first):
                for need in eco.service_needs.get(v, ()):
                    by_need[need].append(v)
        # Pairs joined by a referral for the segment (equal for the group: same named
        # referrals): consecutive steps, not an overlap.
        linked = _linked_pairs(eco, first, by_need)
        for s in group:
            per_segment[s] = reach
            if not has_outcome:
                entries = eco.segment_entries.get(s, ())
                out.append(Finding("segment-without-outcome", KINDS["segment-without-outcome"],
                                   s, entries))
            for v in spofs:
                spof_segments[v].append(s)
            for need in eco.segment_needs.get(s, ()):
                svcs = by_need.get(need, [])
                if not svcs:
                    out.append(Finding("unmet-need", KINDS["unmet-need"], s, (need,),
                                       metrics={"need": need}))
                elif len(svcs) >= 2 and len({eco.providers.get(v) for v in svcs}) > 1:
                    pairs = _overlapping(eco, svcs, linked)
                    if pairs:
                        overlap = sorted({v for pair in pairs for v in pair})
                        # the pairs themselves, not only their services: some of the
                        # services refer to each other, and the sentence says which do not
                        out.append(Finding(
                            "overlapping-services", KINDS["overlapping-services"], s,
                            tuple(overlap), metrics={"need": need, "services": len(overlap),
                                                     "pairs": pairs}))
    for v, segs in sorted(spof_segments.items()):
        segs = sorted(segs)
        out.append(Finding("single-point-of-failure", KINDS["single-point-of-failure"], v,
                           tuple(segs), metrics={"segments": len(segs)}))
    reach_all = reachable(eco, per_segment)
    to_outcome = reaches_outcome_any(eco)
    for v in sorted(eco.services):
        if v not in reach_all:
            out.append(Finding("unreachable-service", KINDS["unreachable-service"], v))
        elif v not in to_outcome:
            out.append(Finding("dead-end", KINDS["dead-end"], v))
    return out


def _linked_pairs(eco: Ecosystem, segment: str,
                  by_need: dict[str, list[str]]) -> set[frozenset[str]]:
    """Pairs of the candidate services joined by a referral (either way) that applies to
    ``segment``: one look at each candidate's outgoing referrals."""
    candidates = {v for svcs in by_need.values() if len(svcs) >= 2 for v in svcs}
    return {frozenset((a, b)) for a in candidates for _, b, segs in eco.out_refs.get(a, ())
            if b in candidates and b != a and (not segs or segment in segs)}


def _overlapping(eco: Ecosystem, services: list[str],
                 linked: set[frozenset[str]]) -> list[list[str]]:
    """Every pair of ``services`` with different provider sets and no referral between
    them, each ``[a, b]`` with a < b, sorted.

    >>> eco = Ecosystem(providers={"a": frozenset({"x"}), "b": frozenset({"y"}),
    ...                            "c": frozenset({"x"})})
    >>> _overlapping(eco, ["a", "b", "c"], {frozenset({"a", "b"})})
    [['b', 'c']]
    """
    out: list[list[str]] = []
    ordered = sorted(services)
    for i, a in enumerate(ordered):
        pa = eco.providers.get(a, frozenset())
        for b in ordered[i + 1:]:
            if eco.providers.get(b, frozenset()) != pa and frozenset((a, b)) not in linked:
                out.append([a, b])
    return out


def _path_findings(g: nx.MultiDiGraph, eco: Ecosystem) -> list[Finding]:
    out = []
    for p, (seg, steps) in eco.paths.items():
        numbers = eco.path_numbers[p]
        out += path_broken_findings(p, seg, steps, numbers,
                                    [i for i, (a, b) in enumerate(zip(steps, steps[1:]))
                                     if not applies(eco, a, b, seg)])
    return out


def path_broken_findings(path: str, segment: str | None, steps: Sequence[str],
                         numbers: Sequence[int], broken: Iterable[int]) -> list[Finding]:
    """The ``path-broken`` findings of one designed path whose hand-off from step
    ``steps[i]`` to ``steps[i + 1]`` breaks for each ``i`` of ``broken``: one finding per
    ordered pair of steps (its key names the pair, from and to), however often the path
    takes that pair (``metrics.steps``: the designer's number of the first step of each
    break; ``metrics.step`` the first of them).

    >>> [(f.key, f.metrics["steps"]) for f in path_broken_findings(
    ...     "p", "s", ["x", "y", "x", "y", "o"], [1, 2, 3, 4, 5], [0, 1, 2])]
    [('path-broken:p:x+y', [1, 3]), ('path-broken:p:y+x', [2])]
    """
    at: dict[tuple[str, str], list[int]] = {}
    for i in broken:
        at.setdefault((steps[i], steps[i + 1]), []).append(numbers[i])
    return [path_broken(path, segment, firsts, a, b) for (a, b), firsts in at.items()]


def path_broken(path: str, segment: str | None, steps: Sequence[int],
                a: str, b: str) -> Finding:
    """The ``path-broken`` finding for the consecutive steps ``a`` then ``b``, which the path
    takes from each step numbered in ``steps`` (as the designer numbered them in the
    ``paths`` sheet; the message names both, from the path's steps in the graph): ``from``
    and ``to`` say the pair in step order (``related``, sorted as every finding's, cannot),
    ``step`` the first place it breaks."""
    return Finding("path-broken", KINDS["path-broken"], path, (a, b),
                   metrics={"step": steps[0], "segment": segment, "from": a, "to": b,
                            "steps": list(steps)})


def applies(eco: Ecosystem, a: str, b: str, segment: str | None) -> bool:
    """Is there a referral from ``a`` to ``b`` that applies to ``segment``?"""
    return any(v == b and (not segs or segment in segs)
               for _, v, segs in eco.out_refs.get(a, ()))
