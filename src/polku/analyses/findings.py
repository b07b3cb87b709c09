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
  the subject, whether or not the actor provides the service. ``multiple-leads`` on
  measures comes from the plan findings. A service ``organised: separately`` (each
  provider runs its own part for its own area) expects no common lead.
- ``segment-without-lead``: ``related`` is every actor with another role on the segment.
- ``overlapping-services``: a service with no providers has the empty provider set, which
  differs from any other set. Two services joined by a referral (either way) that applies
  to the segment are consecutive steps, not an overlap.
- Every finding says who must act (``accountable``) and which plan measures deal with it
  (``measures``): :mod:`polku.analyses.accountable`.
- ``path-broken``: one finding per broken consecutive pair; ``related`` is the two steps'
  node ids (sorted, as the spec sorts every ``related``); ``metrics`` says which step
  (``step``: the number of the first step of the pair) and the path's segment. Only the
  referral's applicability is checked, not the step's eligibility.
- Several findings of one kind on one subject (``unmet-need``, ``overlapping-services``,
  ``path-broken``) are ordered by ``related`` and then by ``metrics``.
- Every finding has a ``metrics`` object (empty when there is nothing to measure).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

import networkx as nx

from polku.analyses.flow import inflows
from polku.analyses.accountable import Responsibilities, responsibilities_of, who_must_act
from polku.present import messages as say
from polku.finding import Finding, number, sort_findings
from polku.gcpause import gc_paused
from polku.present.i18n import Translator, translator
from polku.kinds import LONG_WAIT_DAYS, severities
from polku.analyses.reach import (Ecosystem, ecosystem, reachable, reaches_outcome_any, segment_groups, segment_reach, segment_spofs)

#: Every ecosystem kind with its severity, in the spec's table order (from the catalogue).
KINDS: dict[str, str] = severities("ecosystem")


def name(g: nx.MultiDiGraph, node: str, tr: Translator | None = None) -> str:
    """A node as messages show it: its label (in ``tr``'s language, default Finnish), with
    the id in brackets when they differ."""
    return say.name(g, node, tr or translator())


def names(g: nx.MultiDiGraph, nodes: Iterable[str], tr: Translator | None = None) -> str:
    return say.names(g, nodes, tr or translator())


def find(g: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
         eco: Ecosystem | None = None, plan: bool = True,
         max_concurrent_leads: int | None = None, lang: str | None = None) -> list[Finding]:
    """Every finding of the graph, sorted as the spec says.

    ``long_wait_days`` is the ``long-wait`` threshold. ``eco`` lets a caller that already
    indexed the graph pass the index. ``plan=False`` leaves out the plan layer's findings;
    ``max_concurrent_leads`` is its ``actor-overload`` threshold (default 3). ``lang``
    (fi, sv or en; default Finnish) is the messages' language: kinds, ids, metrics and the
    order never depend on it (the order's last tie-break, the message, is never reached:
    findings equal in everything else are one finding).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("debt", type="service", name="Velkaneuvonta", entry=True)
    >>> g.add_node("work", type="outcome", name="Työ")
    >>> [(f.kind, f.subject) for f in find(g)]
    [('dead-end', 'debt'), ('service-without-provider', 'debt')]
    >>> [f.message for f in find(g, lang="sv")][1]
    'Velkaneuvonta (debt): producent saknas'
    """
    tr = translator(lang)
    with gc_paused():
        eco = eco or ecosystem(g)
        out: list[Finding] = []
        out += _responsibility_findings(g, eco, tr)
        out += _referral_findings(g, eco, long_wait_days, tr)
        out += _capacity_findings(g, eco, tr)
        out += _reach_findings(g, eco, tr)
        out += _path_findings(g, eco, tr)
        resp = responsibilities_of(g)
        out = who_must_act(resp, out)
        if plan:
            out += _plan_findings(g, max_concurrent_leads, resp, tr)
        return sort_findings(out)


def _plan_findings(g: nx.MultiDiGraph, max_concurrent_leads: int | None = None,
                   resp: Responsibilities | None = None,
                   tr: Translator | None = None) -> list[Finding]:
    """The plan layer's findings (measures) from :func:`polku.analyses.plan_findings.plan_findings`.

    Measures are handled there only, so nothing is reported twice; imported only when the
    graph has measures, to keep start-up short for ecosystem-only graphs.
    """
    if not any(t == "measure" for _, t in g.nodes(data="type")):
        return []
    from polku.analyses.plan_findings import MAX_CONCURRENT_LEADS, plan_findings
    return list(plan_findings(g, max_concurrent_leads=max_concurrent_leads or MAX_CONCURRENT_LEADS,
                              resp=resp, lang=(tr or translator()).lang))


def _responsibility_findings(g: nx.MultiDiGraph, eco: Ecosystem,
                             tr: Translator) -> list[Finding]:
    def name(node: str) -> str:
        return say.name(g, node, tr)

    def names(nodes: Iterable[str]) -> str:
        return say.names(g, nodes, tr)

    out = []
    leads = eco.leads
    for s in sorted(eco.services):
        provs = eco.providers.get(s, frozenset())
        if not provs:
            out.append(Finding("service-without-provider", KINDS["service-without-provider"],
                               s, (), say.service_without_provider(tr, name(s))))
        elif len(provs) >= 2 and not leads.get(s) and \
                g.nodes[s].get("organised") != "separately":
            out.append(Finding(
                "no-lead", KINDS["no-lead"], s, tuple(provs),
                say.no_lead(tr, name(s), len(provs), names(provs))))
    subjects = set(eco.services) | set(eco.segments) | set(eco.refs)
    for subject in sorted(subjects & leads.keys()):
        actors = leads[subject]
        if len(actors) >= 2:
            out.append(Finding(
                "multiple-leads", KINDS["multiple-leads"], subject, tuple(actors),
                say.multiple_leads(tr, name(subject), len(actors), names(actors)),
                {"leads": len(actors)}))
    for s in eco.segments:
        if not leads.get(s):
            others = {u for u, _, k in g.in_edges(s, data="kind") if k == "responsibility"}
            out.append(Finding(
                "segment-without-lead", KINDS["segment-without-lead"], s, tuple(others),
                say.segment_without_lead(tr, name(s), names(others))))
    return out


def _referral_findings(g: nx.MultiDiGraph, eco: Ecosystem, long_wait_days: float,
                       tr: Translator) -> list[Finding]:
    out = []
    leads = eco.leads
    for r in eco.refs.values():
        ends = tuple(x for x in (r.source, r.target) if x)
        hop = (r.id, _end(g, r.source, tr), _end(g, r.target, tr))
        if not r.owner and not leads.get(r.id):
            out.append(Finding("referral-without-owner", KINDS["referral-without-owner"], r.id,
                               ends, say.referral_without_owner(tr, *hop)))
        if r.info == "no":
            out.append(Finding("no-information-flow", KINDS["no-information-flow"], r.id, ends,
                               say.no_information_flow(tr, *hop)))
        if r.wait is not None and r.wait > long_wait_days:
            out.append(Finding(
                "long-wait", KINDS["long-wait"], r.id, ends,
                say.long_wait(tr, *hop, number(r.wait), number(long_wait_days)),
                {"median_wait_days": number(r.wait), "limit": number(long_wait_days)}))
    return out


def _end(g: nx.MultiDiGraph, node: str | None, tr: Translator) -> str:
    """One end of a referral as messages show it (a missing end reads ``None``)."""
    return say.name(g, node, tr) if node is not None else say.named(None, None)


def _capacity_findings(g: nx.MultiDiGraph, eco: Ecosystem, tr: Translator) -> list[Finding]:
    out = []
    for s, into in sorted(inflows(eco).items()):
        cap = eco.capacity.get(s)
        if cap is None or into.volume <= cap:
            continue
        total = number(round(into.volume, 6))
        util = round(total / cap, 2) if cap else None
        out.append(Finding(
            "over-capacity", KINDS["over-capacity"], s, into.referrals,
            say.over_capacity(tr, say.name(g, s, tr), total, number(cap)),
            {"inflow": total, "capacity": number(cap), "utilization": util}))
    return out


def _reach_findings(g: nx.MultiDiGraph, eco: Ecosystem, tr: Translator) -> list[Finding]:
    """Findings that need R(s): computed once per group of segments that see the same
    subgraph (:func:`polku.analyses.reach.segment_groups`)."""
    def name(node: str) -> str:
        return say.name(g, node, tr)

    def names(nodes: Iterable[str]) -> str:
        return say.names(g, nodes, tr)

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
                out.append(Finding(
                    "segment-without-outcome", KINDS["segment-without-outcome"], s, entries,
                    say.segment_without_outcome(tr, name(s), names(entries))))
            for v in spofs:
                spof_segments[v].append(s)
            for need in eco.segment_needs.get(s, ()):
                svcs = by_need.get(need, [])
                if not svcs:
                    out.append(Finding(
                        "unmet-need", KINDS["unmet-need"], s, (need,),
                        say.unmet_need(tr, name(s), name(need)), {"need": need}))
                elif len(svcs) >= 2 and len({eco.providers.get(v) for v in svcs}) > 1:
                    overlap = _overlapping(eco, svcs, linked)
                    if overlap:
                        out.append(Finding(
                            "overlapping-services", KINDS["overlapping-services"], s,
                            tuple(overlap),
                            say.overlapping_services(tr, name(s), len(overlap), name(need),
                                                     names(overlap)),
                            {"need": need, "services": len(overlap)}))
    for v, segs in sorted(spof_segments.items()):
        segs = sorted(segs)
        out.append(Finding(
            "single-point-of-failure", KINDS["single-point-of-failure"], v, tuple(segs),
            say.single_point_of_failure(tr, name(v), len(segs), names(segs[:5])
                                        + (" …" if len(segs) > 5 else "")),
            {"segments": len(segs)}))
    reach_all = reachable(eco, per_segment)
    to_outcome = reaches_outcome_any(eco)
    for v in sorted(eco.services):
        if v not in reach_all:
            out.append(Finding("unreachable-service", KINDS["unreachable-service"], v, (),
                               say.unreachable_service(tr, name(v))))
        elif v not in to_outcome:
            out.append(Finding("dead-end", KINDS["dead-end"], v, (), say.dead_end(tr, name(v))))
    return out


def _linked_pairs(eco: Ecosystem, segment: str,
                  by_need: dict[str, list[str]]) -> set[frozenset[str]]:
    """Pairs of the candidate services joined by a referral (either way) that applies to
    ``segment``: one look at each candidate's outgoing referrals."""
    candidates = {v for svcs in by_need.values() if len(svcs) >= 2 for v in svcs}
    return {frozenset((a, b)) for a in candidates for _, b, segs in eco.out_refs.get(a, ())
            if b in candidates and b != a and (not segs or segment in segs)}


def _overlapping(eco: Ecosystem, services: list[str],
                 linked: set[frozenset[str]]) -> list[str]:
    """Every service in a pair with different provider sets and no referral between them.

    >>> eco = Ecosystem(providers={"a": frozenset({"x"}), "b": frozenset({"y"}),
    ...                            "c": frozenset({"x"})})
    >>> _overlapping(eco, ["a", "b", "c"], {frozenset({"a", "b"})})
    ['b', 'c']
    """
    out: set[str] = set()
    for i, a in enumerate(services):
        pa = eco.providers.get(a, frozenset())
        for b in services[i + 1:]:
            if eco.providers.get(b, frozenset()) != pa and frozenset((a, b)) not in linked:
                out.update((a, b))
    return sorted(out)


def _path_findings(g: nx.MultiDiGraph, eco: Ecosystem, tr: Translator) -> list[Finding]:
    out = []
    for p, (seg, steps) in eco.paths.items():
        numbers = eco.path_numbers[p]
        for i, (a, b) in enumerate(zip(steps, steps[1:])):
            if not applies(eco, a, b, seg):
                out.append(path_broken(g, p, seg, (numbers[i], numbers[i + 1]), a, b, tr))
    return out


def path_broken(g: nx.MultiDiGraph, path: str, segment: str | None, steps: tuple[int, int],
                a: str, b: str, tr: Translator | None = None) -> Finding:
    """The ``path-broken`` finding for two consecutive steps, numbered as the designer
    numbered them in the ``paths`` sheet (``a`` at ``steps[0]``, ``b`` at ``steps[1]``),
    its message in ``tr``'s language (default Finnish)."""
    tr = tr or translator()
    return Finding(
        "path-broken", KINDS["path-broken"], path, (a, b),
        say.path_broken(tr, say.name(g, path, tr), say.name(g, segment, tr) if segment else "–",
                        steps[0], say.name(g, a, tr), steps[1], say.name(g, b, tr)),
        {"step": steps[0], "segment": segment})


def applies(eco: Ecosystem, a: str, b: str, segment: str | None) -> bool:
    """Is there a referral from ``a`` to ``b`` that applies to ``segment``?"""
    return any(v == b and (not segs or segment in segs)
               for _, v, segs in eco.out_refs.get(a, ()))
