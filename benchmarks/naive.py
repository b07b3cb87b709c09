"""A plain reimplementation of the ecosystem findings, straight from the spec's words.

Why: it is the yardstick twice over. The property tests (tests/test_findings_property.py)
check that :func:`polku.analyses.findings.find` agrees with it on random graphs, and
benchmarks/findings.py measures how much faster the real implementation is. It does what a
first implementation would do: per segment a fresh traversal over the networkx graph, per
candidate service a removal and a re-traversal, every lookup through the graph's accessors.
No indexes, no shared work, no dominators.

``naive_find(g)`` returns findings as comparable tuples ``(kind, severity, subject,
related, metrics, accountable, measures)`` (no messages), sorted.
"""

from __future__ import annotations

import json

import networkx as nx

from polku.graph import nodes_of, referrals

SEVERITY = {"service-without-provider": "error", "no-lead": "error",
            "multiple-leads": "warning", "referral-without-owner": "error",
            "no-information-flow": "warning", "long-wait": "warning",
            "unreachable-service": "warning", "dead-end": "error",
            "segment-without-outcome": "error", "unmet-need": "error",
            "overlapping-services": "info", "over-capacity": "warning",
            "single-point-of-failure": "warning", "path-broken": "error",
            "segment-without-lead": "warning"}


def targets(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Sorted ids that ``node`` points to by edges of ``kind``, through networkx's edge view,
    as a first implementation reads a graph. Kept here, not borrowed from polku.graph: the
    yardstick must not speed up when polku's own accessors do (they read the adjacency
    dicts since 3 December 2026, which made this yardstick 40 % quicker)."""
    return sorted({v for _, v, k in g.out_edges(node, data="kind") if k == kind})


def sources(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Sorted ids that point to ``node`` by edges of ``kind`` (as :func:`targets`)."""
    return sorted({u for u, _, k in g.in_edges(node, data="kind") if k == kind})


def _n(x):
    """JSON's view of a number: 38.0 is 38."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _type(g: nx.MultiDiGraph, n: str) -> str | None:
    return g.nodes[n].get("type") if n in g else None


def _for(g: nx.MultiDiGraph, node: str, segment: str) -> bool:
    segs = targets(g, node, "for_segment")
    return not segs or segment in segs


def out_referrals(g: nx.MultiDiGraph, service: str) -> list[tuple[str, str, list[str]]]:
    """(referral, target, segments) for the referrals that start at ``service``."""
    out = []
    for r in sources(g, service, "from"):
        for t in targets(g, r, "to"):
            out.append((r, t, targets(g, r, "for_segment")))
    return out


def naive_reach(g: nx.MultiDiGraph, segment: str, removed: str | None = None) -> set[str]:
    """R(s) by the spec's words: one fresh breadth-first search through the graph."""
    seen = {e for e in targets(g, segment, "entry") if e != removed}
    frontier = list(seen)
    while frontier:
        nxt = []
        for u in frontier:
            for _, t, segs in out_referrals(g, u):
                if t in seen or t == removed or (segs and segment not in segs):
                    continue
                kind = _type(g, t)
                if kind == "outcome" or (kind == "service" and _for(g, t, segment)):
                    seen.add(t)
                    nxt.append(t)
        frontier = nxt
    return seen


def naive_find(g: nx.MultiDiGraph, long_wait_days: float = 30) -> list[tuple]:
    out: list[tuple] = []

    def add(kind: str, subject: str, related=(), metrics=None) -> None:
        out.append((kind, SEVERITY[kind], subject, tuple(sorted(set(related))),
                    json.dumps(metrics or {}, sort_keys=True),
                    tuple(sorted(acc(subject))),
                    tuple(sorted({m for x in (subject, *related)
                                  for m in sources(g, x, "subject")}))))

    services = nodes_of(g, "service")
    outcomes = set(nodes_of(g, "outcome"))
    segments = nodes_of(g, "segment")
    refs = list(referrals(g))
    refs_by_id = {r.id: r for r in refs}

    def leads_of(subject: str) -> set[str]:
        return {u for u, _, d in g.in_edges(subject, data=True)
                if d["kind"] == "responsibility" and d.get("role") == "lead"}

    def acc(x: str) -> set[str]:
        """The spec's acc(), word for word (ecosystem subjects only)."""
        t = _type(g, x)
        if t == "service":
            return leads_of(x) or set(sources(g, x, "provides"))
        if t == "referral":
            lead = leads_of(x) | set(targets(g, x, "owner"))
            src = targets(g, x, "from")
            return lead or (acc(src[0]) if src else set())
        if t == "segment":
            return leads_of(x)
        if t == "path":
            seg = targets(g, x, "path_segment")
            return acc(seg[0]) if seg else set()
        return set()

    for s in services:
        provs = [u for u, _, k in g.in_edges(s, data="kind") if k == "provides"]
        if not provs:
            add("service-without-provider", s)
        elif len(set(provs)) >= 2 and not leads_of(s) \
                and g.nodes[s].get("organised") != "separately":
            add("no-lead", s, provs)
    for subject in services + segments + [r.id for r in refs]:
        # lead(x) of docs/findings.md: a referral's owner leads it too
        leads = leads_of(subject) | set(targets(g, subject, "owner"))
        if len(leads) >= 2:
            add("multiple-leads", subject, leads, {"leads": len(leads)})
    for s in segments:
        if not leads_of(s):
            add("segment-without-lead", s, {u for u, _, k in g.in_edges(s, data="kind")
                                            if k == "responsibility"})
    for r in refs:
        ends = [x for x in (r.source, r.target) if x]
        if not r.owner and not leads_of(r.id):
            add("referral-without-owner", r.id, ends)
        if r.information_flow == "no":
            add("no-information-flow", r.id, ends)
        if r.median_wait_days is not None and r.median_wait_days > long_wait_days:
            add("long-wait", r.id, ends, {"median_wait_days": _n(r.median_wait_days),
                                          "limit": _n(long_wait_days)})
    for s in services:
        cap = g.nodes[s].get("capacity_per_month")
        into = [refs_by_id[r] for r in sources(g, s, "to")
                if refs_by_id[r].volume_per_month is not None]
        inflow = sum(r.volume_per_month for r in into)
        if cap is not None and into and inflow > cap:
            total = _n(round(inflow, 6))
            share, digits = (total / cap if cap else None), 2
            while share is not None and digits < 6 and round(share, digits) <= 1:
                digits += 1  # docs/findings.md: as many decimals as read above 1
            add("over-capacity", s, [r.id for r in into],
                {"inflow": total, "capacity": _n(cap),
                 "utilization": _n(round(share, digits)) if cap else None})

    reach_of = {s: naive_reach(g, s) for s in segments}
    spof: dict[str, list[str]] = {}
    for s in segments:
        r = reach_of[s]
        entries = set(targets(g, s, "entry"))
        if not r & outcomes:
            add("segment-without-outcome", s, entries)
        else:
            for v in sorted(r):
                if _type(g, v) == "service" and v not in entries:
                    if not naive_reach(g, s, removed=v) & outcomes:
                        spof.setdefault(v, []).append(s)
        for need in targets(g, s, "has_need"):
            svcs = [v for v in sorted(r) if _type(g, v) == "service" and _for(g, v, s)
                    and need in targets(g, v, "addresses")]
            if not svcs:
                add("unmet-need", s, [need], {"need": need})
            else:
                def provs(v):
                    return frozenset(sources(g, v, "provides"))

                def linked(a, b):
                    return any(t == b and (not ss or s in ss) for _, t, ss in out_referrals(g, a))

                pairs = [(a, b) for a in svcs for b in svcs if a < b and provs(a) != provs(b)
                         and not linked(a, b) and not linked(b, a)]
                overlap = {v for pair in pairs for v in pair}
                if overlap:
                    add("overlapping-services", s, overlap,
                        {"need": need, "pairs": [[a, b] for a, b in pairs],
                         "services": len(overlap)})
    for v, segs in spof.items():
        add("single-point-of-failure", v, segs, {"segments": len(segs)})

    frontier = [v for v in services if g.nodes[v].get("entry") is True]
    from_entries = set(frontier)
    while frontier:
        u = frontier.pop()
        for _, t, _ in out_referrals(g, u):
            if t not in from_entries:
                from_entries.add(t)
                frontier.append(t)
    reachable = from_entries.union(*reach_of.values())
    for v in services:
        if v not in reachable:
            add("unreachable-service", v)
            continue
        seen, frontier = {v}, [v]
        found = False
        while frontier and not found:
            u = frontier.pop()
            for _, t, _ in out_referrals(g, u):
                if t in outcomes:
                    found = True
                elif t not in seen:
                    seen.add(t)
                    frontier.append(t)
        if not found:
            add("dead-end", v)

    for p in nodes_of(g, "path"):
        segs = targets(g, p, "path_segment")
        seg = segs[0] if segs else None
        numbered = sorted((d["order"], v) for _, v, d in g.out_edges(p, data=True)
                          if d["kind"] == "step")
        # one finding per ordered pair of steps, with every place the path takes it
        broken: dict[tuple[str, str], list[int]] = {}
        for (n, a), (_, b) in zip(numbered, numbered[1:]):
            if not any(t == b and (not segs or seg in segs) for _, t, segs in out_referrals(g, a)):
                broken.setdefault((a, b), []).append(n)
        for (a, b), at in broken.items():
            add("path-broken", p, [a, b], {"step": at[0], "segment": seg, "from": a, "to": b,
                                           "steps": at})
    return sorted(set(out))


def comparable(findings) -> list[tuple]:
    """The fast findings in :func:`naive_find`'s form (metrics as sorted JSON)."""
    return sorted({(f.kind, f.severity, f.subject, tuple(f.related),
                    json.dumps(dict(f.metrics), sort_keys=True), f.accountable, f.measures)
                   for f in findings})


def main(argv: list[str]) -> int:
    """``python benchmarks/naive.py PATH``: the naive findings of the graph at ``PATH``,
    end to end as ``polku findings`` runs (start-up, loading with polku's own reader, the
    findings, JSON out), so that benchmarks/findings.py times both sides the same way."""
    from polku.io.load import load_graph

    g = load_graph(argv[0])
    print(json.dumps({"graph": g.graph.get("name"), "findings": naive_find(g)}))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))

