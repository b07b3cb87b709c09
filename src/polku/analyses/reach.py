"""Reachability: what a client segment can reach, and what is reachable at all.

The definitions are the spec's (``docs/findings.md``, "Reachability for a segment"):

R(s) starts at segment s's ``entry`` services; it follows referrals whose ``segments`` is
empty or names s; it enters a service only if the service's ``segments`` is empty or names
s; outcomes are entered freely. Entry services are in R(s) even if not eligible (and
referrals are followed out of them).

"Reachable" with no segment named: in R(s) for some segment, or reachable by any referral
(ignoring segment limits) from a service marked ``entry`` (the marked service itself
included: a client can start there).

Everything here works on :class:`Ecosystem`, a compact, read-only index of the graph built
once by :func:`ecosystem`, because the analyses traverse the referral structure thousands of
times (once per segment, once per candidate) and networkx's edge views are too slow for that
at national size. Segments that see the same effective subgraph (same entries, same
segment-limited services and referrals naming them) share one traversal: see
:func:`segment_groups`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from polku.analyses.accountable import Responsibilities
from polku.analyses.handoffs import organisation_in

EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ref:
    """A referral as the analyses need it (see :class:`polku.graph.Referral`)."""
    id: str
    source: str | None
    target: str | None
    segments: frozenset[str]
    volume: float | None
    wait: float | None
    owner: str | None
    info: str


@dataclass
class Ecosystem:
    """Plain-data index of a polku graph's services, outcomes, referrals and segments.

    ``service_segments[v]`` is empty when the service is for every segment (so is a
    referral's ``segs``). ``out_refs[u]`` lists ``(referral id, target, segs)`` sorted.
    """
    services: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)
    segments: list[str] = field(default_factory=list)
    service_segments: dict[str, frozenset[str]] = field(default_factory=dict)
    entry_marked: list[str] = field(default_factory=list)
    refs: dict[str, Ref] = field(default_factory=dict)
    out_refs: dict[str, list[tuple[str, str, frozenset[str]]]] = field(default_factory=dict)
    in_refs: dict[str, list[tuple[str, str, frozenset[str]]]] = field(default_factory=dict)
    segment_entries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    segment_needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    service_needs: dict[str, frozenset[str]] = field(default_factory=dict)
    providers: dict[str, frozenset[str]] = field(default_factory=dict)
    #: service → the organisations of its providers (:func:`polku.analyses.handoffs.organisation`:
    #: a unit of the wellbeing services county is the county)
    provider_organisations: dict[str, frozenset[str]] = field(default_factory=dict)
    #: actor → its organisation (:func:`polku.analyses.handoffs.organisation`)
    actor_organisation: dict[str, str] = field(default_factory=dict)
    capacity: dict[str, float] = field(default_factory=dict)
    #: subject id → actors holding role ``lead`` on it (responsibility rows)
    leads: dict[str, frozenset[str]] = field(default_factory=dict)
    #: designed path id → (its segment or None, its step node ids in order)
    paths: dict[str, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)
    #: designed path id → the step numbers the designer wrote, in the same order
    path_numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Segment-limited services and referrals that name each segment (what makes R(s) differ).
    named_services: dict[str, frozenset[str]] = field(default_factory=dict)
    named_referrals: dict[str, frozenset[str]] = field(default_factory=dict)
    #: who answers for what (:func:`polku.analyses.accountable.responsibilities_of`), from
    #: the same pass over the edges
    responsibilities: Responsibilities | None = None

    def eligible(self, service: str, segment: str) -> bool:
        """Is the service for the segment (its ``segments`` empty or naming it)?"""
        segs = self.service_segments.get(service, EMPTY)
        return not segs or segment in segs


def ecosystem(g: nx.MultiDiGraph) -> Ecosystem:
    """Index the graph in one pass over its nodes and one over its edges.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("a", type="service", entry=True); g.add_node("o", type="outcome")
    >>> g.add_node("r", type="referral"); add_edge(g, "r", "a", "from"); add_edge(g, "r", "o", "to")
    >>> ecosystem(g).out_refs["a"]
    [('r', 'o', frozenset())]
    """
    eco = Ecosystem()
    ref_nodes: dict[str, dict] = {}
    segments: list[str] = []
    path_nodes: list[str] = []
    types: dict[str, str] = {}
    actor_kind: dict[str, str | None] = {}
    for n, d in g._node.items():
        t = types[n] = d.get("type")
        if t == "service":
            eco.services.add(n)
            if d.get("entry") is True:
                eco.entry_marked.append(n)
            cap = d.get("capacity_per_month")
            if cap is not None:
                eco.capacity[n] = cap
        elif t == "outcome":
            eco.outcomes.add(n)
        elif t == "segment":
            segments.append(n)
        elif t == "referral":
            ref_nodes[n] = d
        elif t == "path":
            path_nodes.append(n)
        elif t == "actor":
            actor_kind[n] = d.get("kind")
    ref_from: dict[str, str] = {}
    ref_to: dict[str, str] = {}
    ref_owner: dict[str, str] = {}
    for_seg: dict[str, list[str]] = defaultdict(list)
    entries: dict[str, list[str]] = defaultdict(list)
    seg_needs: dict[str, list[str]] = defaultdict(list)
    svc_needs: dict[str, list[str]] = defaultdict(list)
    providers: dict[str, list[str]] = defaultdict(list)
    leads: dict[str, set[str]] = defaultdict(set)
    steps: dict[str, list[tuple[int, str]]] = defaultdict(list)
    path_seg: dict[str, str] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    participants: dict[str, set[str]] = defaultdict(set)
    risk_measure: dict[str, str] = {}
    measures_on: dict[str, set[str]] = defaultdict(set)
    part_of: dict[str, list[str]] = defaultdict(list)
    # The adjacency dicts directly: networkx's edge views cost twice as much per edge, and
    # this pass is most of the index's time on a national graph.
    for u, nbrs in g._adj.items():
        for v, keyed in nbrs.items():
            for d in keyed.values():
                kind = d.get("kind")
                if kind == "from":
                    ref_from[u] = v
                elif kind == "to":
                    ref_to[u] = v
                elif kind == "for_segment":
                    for_seg[u].append(v)
                elif kind == "entry":
                    entries[u].append(v)
                elif kind == "has_need":
                    seg_needs[u].append(v)
                elif kind == "addresses":
                    svc_needs[u].append(v)
                elif kind == "provides":
                    providers[v].append(u)
                elif kind == "owner":
                    ref_owner[u] = v
                    owners[u].add(v)
                elif kind == "responsibility":
                    role = d.get("role")
                    if role == "lead":
                        leads[v].add(u)
                    elif role == "participant":
                        participants[v].add(u)
                elif kind == "step":
                    steps[u].append((d.get("order", 0), v))
                elif kind == "path_segment":
                    path_seg[u] = v
                elif kind == "has_risk":
                    risk_measure[v] = u
                elif kind == "subject":
                    measures_on[v].add(u)
                elif kind == "part_of":
                    part_of[u].append(v)
    named_s: dict[str, set[str]] = defaultdict(set)
    named_r: dict[str, set[str]] = defaultdict(set)
    for s in eco.services:
        segs = frozenset(for_seg.get(s, ()))
        eco.service_segments[s] = segs
        for seg in segs:
            named_s[seg].add(s)
        eco.service_needs[s] = frozenset(svc_needs.get(s, ()))
        eco.providers[s] = frozenset(providers.get(s, ()))
    org_of: dict[str, str] = {}
    parents = {a: sorted(p) for a, p in part_of.items()}
    for s, provs in eco.providers.items():
        orgs = set()
        for a in provs:
            org = org_of.get(a)
            if org is None:
                org = org_of[a] = organisation_in(a, actor_kind.get, parents.get)
            orgs.add(org)
        eco.provider_organisations[s] = frozenset(orgs)
    eco.actor_organisation = {a: org_of.get(a) or organisation_in(a, actor_kind.get, parents.get)
                              for a in actor_kind}
    out_refs: dict[str, list] = defaultdict(list)
    in_refs: dict[str, list] = defaultdict(list)
    for r in sorted(ref_nodes):
        d = ref_nodes[r]
        src, dst = ref_from.get(r), ref_to.get(r)
        segs = frozenset(for_seg.get(r, ()))
        eco.refs[r] = Ref(r, src, dst, segs, d.get("volume_per_month"),
                          d.get("median_wait_days"), ref_owner.get(r),
                          d.get("information_flow") or "unknown")
        if src is None or dst is None:
            continue
        for seg in segs:
            named_r[seg].add(r)
        out_refs[src].append((r, dst, segs))
        in_refs[dst].append((r, src, segs))
    eco.out_refs = dict(out_refs)
    eco.in_refs = dict(in_refs)
    eco.segments = sorted(segments)
    eco.entry_marked.sort()
    eco.leads = {k: frozenset(v) for k, v in leads.items()}
    eco.responsibilities = Responsibilities(
        # a referral's owner leads it too (polku.analyses.accountable's rules)
        types=types, leads={k: frozenset(leads.get(k, set()) | owners.get(k, set()))
                            for k in leads.keys() | owners.keys()},
        providers={k: frozenset(v) for k, v in providers.items()},
        participants={k: frozenset(v) for k, v in participants.items()},
        referral_from=ref_from, path_segment=path_seg, risk_measure=risk_measure,
        measures_on={k: frozenset(v) for k, v in measures_on.items()},
        owners={k: frozenset(v) for k, v in owners.items()})
    for p in sorted(path_nodes):
        ordered = sorted(steps.get(p, ()))
        eco.paths[p] = (path_seg.get(p), tuple(v for _, v in ordered))
        eco.path_numbers[p] = tuple(n for n, _ in ordered)
    for s in eco.segments:
        eco.segment_entries[s] = tuple(sorted(set(entries.get(s, ()))))
        eco.segment_needs[s] = tuple(sorted(set(seg_needs.get(s, ()))))
        eco.named_services[s] = frozenset(named_s.get(s, ()))
        eco.named_referrals[s] = frozenset(named_r.get(s, ()))
    return eco


def segment_reach(eco: Ecosystem, segment: str, removed: str | None = None,
                  entries: Iterable[str] | None = None) -> set[str]:
    """R(s): the services and outcomes segment ``segment`` can reach (see the module doc).

    ``removed`` is a service treated as absent (used by naive checks and what-if);
    ``entries`` overrides the segment's entries.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> g.add_node("s", type="segment"); g.add_node("t", type="segment")
    >>> add_edge(g, "s", "a", "entry"); add_edge(g, "c", "t", "for_segment")
    >>> for r, u, v in (("r1", "a", "b"), ("r2", "a", "c")):
    ...     g.add_node(r, type="referral"); add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> sorted(segment_reach(ecosystem(g), "s"))   # c is only for segment t
    ['a', 'b']
    """
    start = eco.segment_entries.get(segment, ()) if entries is None else tuple(entries)
    seen = {e for e in start if e != removed}
    stack = list(seen)
    out_refs = eco.out_refs
    svc_segs = eco.service_segments
    while stack:
        u = stack.pop()
        for _, v, segs in out_refs.get(u, ()):
            if v in seen or v == removed or (segs and segment not in segs):
                continue
            vsegs = svc_segs.get(v)
            if vsegs is None:
                if v not in eco.outcomes:
                    continue
            elif vsegs and segment not in vsegs:
                continue
            seen.add(v)
            stack.append(v)
    return seen


def segment_key(eco: Ecosystem, segment: str) -> tuple:
    """What determines R(s) and everything computed from it: the segment's entries and the
    segment-limited services and referrals that name it. Equal keys, equal subgraphs."""
    return (eco.segment_entries.get(segment, ()), eco.named_services.get(segment, EMPTY),
            eco.named_referrals.get(segment, EMPTY))


def segment_groups(eco: Ecosystem) -> dict[tuple, list[str]]:
    """Segments grouped by :func:`segment_key`, each group's segments sorted."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for s in eco.segments:
        groups[segment_key(eco, s)].append(s)
    return dict(groups)


def _closure(start: Iterable[str], links: dict[str, list[tuple[str, str, frozenset[str]]]]) -> set[str]:
    """Everything reachable from ``start`` along ``links`` (``out_refs`` forwards,
    ``in_refs`` backwards), ignoring segment limits."""
    seen = set(start)
    stack = list(seen)
    while stack:
        u = stack.pop()
        for _, v, _ in links.get(u, ()):
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


def reach_any(eco: Ecosystem, start: Iterable[str]) -> set[str]:
    """Everything reachable from ``start`` by any referral, ignoring segment limits."""
    return _closure(start, eco.out_refs)


def reaches_outcome_any(eco: Ecosystem) -> set[str]:
    """Services (and outcomes) from which some outcome is reachable by any referral."""
    return _closure(eco.outcomes, eco.in_refs)


def reachable(eco: Ecosystem, per_segment: dict[str, set[str]] | None = None) -> set[str]:
    """Globally reachable nodes: the union of R(s) over segments, plus everything reachable
    by any referral from services marked ``entry`` (those services included)."""
    if per_segment is None:
        per_segment = {s: segment_reach(eco, s) for s in eco.segments}
    out = reach_any(eco, eco.entry_marked)
    for r in per_segment.values():
        out |= r
    return out


def dominators_of_sink(succ: dict[object, list[object]], source: object,
                       sink: object) -> list[object]:
    """Nodes on every path from ``source`` to ``sink`` (both excluded), nearest the sink
    first; ``[]`` when every path avoids each node or the sink is unreachable.

    Cooper, Harvey and Kennedy's iterative dominator algorithm on plain successor lists:
    the immediate-dominator chain from the sink up to the source.

    >>> dominators_of_sink({"S": ["a"], "a": ["b", "c"], "b": ["d"], "c": ["d"], "d": ["T"]}, "S", "T")
    ['d', 'a']
    """
    order: list[object] = []
    index: dict[object, int] = {}
    visited = {source}
    stack: list[tuple[object, int]] = [(source, 0)]
    while stack:  # iterative DFS for postorder
        node, i = stack[-1]
        nxt = succ.get(node, ())
        if i < len(nxt):
            stack[-1] = (node, i + 1)
            w = nxt[i]
            if w not in visited:
                visited.add(w)
                stack.append((w, 0))
        else:
            stack.pop()
            index[node] = len(order)
            order.append(node)
    if sink not in index:
        return []
    preds: dict[object, list[int]] = defaultdict(list)
    for u in order:
        for w in succ.get(u, ()):
            preds[w].append(index[u])
    n = len(order)
    idom = [-1] * n
    root = index[source]
    idom[root] = root
    rpo = [index[v] for v in reversed(order)]
    changed = True
    while changed:
        changed = False
        for b in rpo:
            if b == root:
                continue
            new = -1
            for p in preds[order[b]]:
                if idom[p] == -1:
                    continue
                if new == -1:
                    new = p
                    continue
                x, y = p, new
                while x != y:
                    while x < y:
                        x = idom[x]
                    while y < x:
                        y = idom[y]
                new = x
            if idom[b] != new:
                idom[b] = new
                changed = True
    chain = []
    b = idom[index[sink]]
    while b != root:
        chain.append(order[b])
        b = idom[b]
    return chain


def segment_spofs(eco: Ecosystem, segment: str, reach: set[str]) -> list[str]:
    """Services in R(s), not entries of s, without which s reaches no outcome.

    A virtual source points at the entries, reached outcomes point at a virtual sink; the
    answer is the sink's dominators that are services and not entries. Empty when s reaches
    no outcome at all (nothing to lose).
    """
    entries = set(eco.segment_entries.get(segment, ()))
    source, sink = ("source",), ("sink",)
    succ: dict[object, list[object]] = {source: sorted(entries)}
    any_outcome = False
    for u in reach:
        if u in eco.outcomes:
            succ[u] = [sink]
            any_outcome = True
            continue
        nxt = []
        for _, v, segs in eco.out_refs.get(u, ()):
            # Edges into entries never matter: entries hang off the source already.
            if v in reach and v not in entries and (not segs or segment in segs):
                nxt.append(v)
        succ[u] = nxt
    if not any_outcome:
        return []
    return sorted(v for v in dominators_of_sink(succ, source, sink)
                  if v in eco.services and v not in entries)
