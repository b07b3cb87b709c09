"""Service paths: the k best ways a segment can get from its entries to an outcome, and the
designed paths of the segment checked step by step.

A path runs inside R(s) (:func:`polku.reach.segment_reach`): it starts at one of the
segment's entry services, follows referrals that apply to the segment into services that
are for the segment, and ends at an outcome. Paths are ranked by

1. the summed ``median_wait_days`` of their referrals (a referral without a wait counts as
   0 days; each path says how many of its waits are unknown), then
2. the number of *hand-offs between organisations*: consecutive services whose provider
   sets do not intersect (a service with no provider shares no organisation with anyone;
   the last step into an outcome is not a hand-off), then
3. the step ids, so equal paths come out in a stable order.

Between two steps the referral with the shortest wait is used (unknown waits last, then
the referral id). Paths are simple (no service twice); the search is Yen's k-shortest
simple paths (:func:`networkx.shortest_simple_paths`) on a weighted digraph with a virtual
source before the entries and a virtual sink after the outcomes. Waits count to 1/100 of
a day in the ranking.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import networkx as nx

from polku.errors import PolkuError
from polku.finding import number
from polku.graph import label
from polku.reach import Ecosystem, ecosystem, segment_reach

_SOURCE = ("source",)
_SINK = ("sink",)
_HANDOFF_UNITS = 1000  # hand-offs per path stay far below this; waits dominate the weight


def handoff(eco: Ecosystem, u: str, v: str) -> bool:
    """Is the step from ``u`` to ``v`` a hand-off between organisations?"""
    if v not in eco.services or u not in eco.services:
        return False
    return not (eco.providers.get(u, frozenset()) & eco.providers.get(v, frozenset()))


def _best_referral(eco: Ecosystem, u: str, v: str, segment: str | None) -> str | None:
    """The applicable referral from u to v with the shortest known wait (None if none)."""
    cands = [eco.refs[rid] for rid, t, segs in eco.out_refs.get(u, ())
             if t == v and (not segs or segment in segs)]
    if not cands:
        return None
    cands.sort(key=lambda r: (r.wait is None, r.wait or 0, r.id))
    return cands[0].id


def _owner(eco: Ecosystem, rid: str) -> str | None:
    """Who answers for the hand-off: the referral's owner, else its (first) lead."""
    ref = eco.refs[rid]
    if ref.owner:
        return ref.owner
    leads = sorted(eco.leads.get(rid, ()))
    return leads[0] if leads else None


def segment_graph(eco: Ecosystem, segment: str, reach: set[str] | None = None) -> nx.DiGraph:
    """The segment's reachable part as a weighted digraph: one edge per step a client of
    the segment can take, carrying the best referral, its wait and whether it hands off."""
    reach = segment_reach(eco, segment) if reach is None else reach
    dg = nx.DiGraph()
    for u in sorted(reach):
        if u not in eco.services:
            continue
        for _, v, segs in eco.out_refs.get(u, ()):
            if v not in reach or dg.has_edge(u, v) or (segs and segment not in segs):
                continue
            if v in eco.services and not eco.eligible(v, segment):
                continue  # an ineligible entry: clients start there, they are not sent there
            rid = _best_referral(eco, u, v, segment)
            wait = eco.refs[rid].wait
            ho = handoff(eco, u, v)
            dg.add_edge(u, v, referral=rid, wait=wait,
                        handoff=ho, w=round((wait or 0) * 100) * _HANDOFF_UNITS + int(ho))
    return dg


def _step(g: nx.MultiDiGraph, eco: Ecosystem, node: str, rid: str | None,
          prev: str | None, segment: str | None) -> dict[str, Any]:
    provs = sorted(eco.providers.get(node, ()))
    ref = eco.refs.get(rid) if rid else None
    owner = _owner(eco, rid) if rid else None
    return {
        "node": node, "label": label(g, node),
        "type": "outcome" if node in eco.outcomes else "service",
        "providers": provs, "provider_labels": [label(g, p) for p in provs],
        "referral": rid, "wait": number(ref.wait) if ref else None,
        "owner": owner, "owner_label": label(g, owner) if owner else None,
        "handoff": handoff(eco, prev, node) if prev else False,
        "eligible": node in eco.outcomes or eco.eligible(node, segment) if segment else True,
    }


def _summary(steps: list[dict[str, Any]]) -> dict[str, Any]:
    waits = [s["wait"] for s in steps[1:]]
    return {
        "total_wait_days": number(round(sum(w or 0 for w in waits), 6)),
        "handoffs": sum(1 for s in steps if s["handoff"]),
        "unknown_waits": sum(1 for w in waits if w is None),
        "organisations": len({p for s in steps for p in s["providers"]}),
    }


def best_paths(g: nx.MultiDiGraph, segment: str, k: int = 5, to: str | None = None,
               eco: Ecosystem | None = None) -> list[dict[str, Any]]:
    """The ``k`` best paths of ``segment`` from its entries to an outcome (``to``: only that
    outcome), best first; each has ``steps``, ``total_wait_days``, ``handoffs``,
    ``unknown_waits`` and ``outcome``. Unknown segment or outcome → :class:`PolkuError`.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> g.add_node("o", type="outcome"); g.add_node("s", type="segment")
    >>> add_edge(g, "s", "a", "entry")
    >>> for r, u, v, w in (("r1", "a", "b", 10), ("r2", "b", "o", 5), ("r3", "a", "c", 1),
    ...                    ("r4", "c", "o", 1)):
    ...     g.add_node(r, type="referral", median_wait_days=w)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> [([s["node"] for s in p["steps"]], p["total_wait_days"]) for p in best_paths(g, "s")]
    [(['a', 'c', 'o'], 2), (['a', 'b', 'o'], 15)]
    """
    eco = eco or ecosystem(g)
    check_segment(g, segment)
    if to is not None and (to not in g or g.nodes[to].get("type") != "outcome"):
        raise PolkuError(f"'{to}' is not an outcome of the graph", node=to)
    reach = segment_reach(eco, segment)
    dg = segment_graph(eco, segment, reach)
    entries = [e for e in eco.segment_entries.get(segment, ()) if e in reach]
    targets = [o for o in sorted(reach & eco.outcomes) if to is None or o == to]
    if not entries or not targets or k <= 0:
        return []
    for e in entries:
        dg.add_edge(_SOURCE, e, w=0)
    for o in targets:
        dg.add_edge(o, _SINK, w=0)
    out = []
    try:
        found = list(islice(nx.shortest_simple_paths(dg, _SOURCE, _SINK, weight="w"), k))
    except nx.NetworkXNoPath:
        return []
    for nodes in found:
        nodes = nodes[1:-1]
        steps = [_step(g, eco, nodes[0], None, None, segment)]
        for u, v in zip(nodes, nodes[1:]):
            steps.append(_step(g, eco, v, dg.edges[u, v]["referral"], u, segment))
        out.append({"steps": steps, "outcome": nodes[-1], **_summary(steps)})
    out.sort(key=lambda p: (p["total_wait_days"], p["handoffs"],
                            [s["node"] for s in p["steps"]]))
    for i, p in enumerate(out, start=1):
        p["rank"] = i
    return out


def check_segment(g: nx.MultiDiGraph, segment: str) -> None:
    if segment not in g or g.nodes[segment].get("type") != "segment":
        known = sorted(n for n, t in g.nodes(data="type") if t == "segment")
        hint = f" (segments: {', '.join(known[:8])}{' …' if len(known) > 8 else ''})" \
            if known else ""
        raise PolkuError(f"unknown segment '{segment}'{hint}", node=segment)


def designed_paths(g: nx.MultiDiGraph, segment: str | None = None,
                   eco: Ecosystem | None = None) -> list[dict[str, Any]]:
    """Designed paths (of ``segment``, or all), each step with the referral that carries it
    (the best one applying to the path's segment), and ``broken`` step pairs: the same
    ``path-broken`` findings :func:`polku.findings.find` reports (who must act included)."""
    from polku.accountable import responsibilities_of, who_must_act
    from polku.findings import path_broken

    eco = eco or ecosystem(g)
    resp = None
    out = []
    for p, (seg, nodes) in sorted(eco.paths.items()):
        if segment is not None and seg != segment:
            continue
        steps: list[dict[str, Any]] = []
        findings = []
        for i, node in enumerate(nodes):
            prev = nodes[i - 1] if i else None
            rid = _best_referral(eco, prev, node, seg) if prev else None
            step = _step(g, eco, node, rid, prev, seg)
            step["broken"] = bool(prev) and rid is None
            steps.append(step)
            if step["broken"]:
                numbers = eco.path_numbers[p]
                resp = resp or responsibilities_of(g)
                findings += [f.to_dict() for f in who_must_act(resp, [path_broken(
                    g, p, seg, (numbers[i - 1], numbers[i]), prev, node)])]
        out.append({"path": p, "label": label(g, p), "segment": seg, "steps": steps,
                    "broken": findings, **_summary(steps)} if steps else
                   {"path": p, "label": label(g, p), "segment": seg, "steps": [],
                    "broken": [], "total_wait_days": 0, "handoffs": 0, "unknown_waits": 0,
                    "organisations": 0})
    return out


def paths_report(g: nx.MultiDiGraph, segment: str, k: int = 5, to: str | None = None) -> dict:
    """Everything ``polku paths`` shows: the k best paths and the segment's designed paths."""
    eco = ecosystem(g)
    return {"graph": g.graph.get("name", "graph"), "segment": segment,
            "segment_label": label(g, segment) if segment in g else segment, "to": to,
            "best": best_paths(g, segment, k, to, eco), "designed": designed_paths(g, segment, eco)}
