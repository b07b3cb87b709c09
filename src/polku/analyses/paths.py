"""Service paths: the k best ways a segment can get from its entries to an outcome, and the
designed paths of the segment checked step by step.

A path of segment s is a simple path inside R(s) (:func:`polku.analyses.reach.segment_reach`): it
starts at one of the segment's entry services, follows referrals that apply to the segment
into services that are for the segment, and ends at an outcome. It *covers* need n of s
when a service on it that is for s addresses n. Paths are ranked by

1. the needs of s left uncovered, fewest first (a path that ignores the needs of the people
   on it is not a good path however fast it is), then
2. the summed ``median_wait_days`` of their referrals (a referral without a wait counts as
   0 days; each path says how many of its waits are unknown: a referral into an outcome
   without one is no unknown wait, an outcome has no first contact to wait for), then
3. the number of *hand-offs between organisations*: the fewest times the client changes
   organisation along the path, each step carried by one of its providers' organisations
   (:func:`carriers`; an actor's organisation as :func:`polku.analyses.handoffs.
   organisation` finds it: two units of one wellbeing services county are one
   organisation; a service with no provider shares no organisation with anyone; the last
   step into an outcome is not a hand-off). Two consecutive services whose providers'
   organisations do not meet are always one (:func:`handoff`); a service that two cities
   run hands nothing off from either city's service, but a client cannot be with both:
   city x's service → the shared one → city y's is one change, not none, then
4. the step ids, so equal paths come out in a stable order.

Between two steps the referral with the shortest wait is used (unknown waits last, then
the referral id); which referral carries a step changes neither coverage nor hand-offs.
Waits count to 1/100 of a day in the ranking.

Coverage is not a sum along the path, so Yen's k shortest paths cannot rank by it. The
search is best-first over partial paths (:func:`ranked_paths`): a partial path is keyed by
a lower bound of every completion's rank — the needs that no service still reachable from
its last step could cover, its wait plus the shortest wait from there to an outcome, the
hand-offs so far no choice of organisations avoids (:func:`handoff`; a complete path is
keyed by its own, :func:`carriers`), its ids — so complete paths leave the queue exactly in rank order and the
k first are the exact k best. Where paths with equal bounds are many (a national graph), the
search stops after :data:`MAX_EXPANSIONS` partial paths: the paths found until then are
still exactly the best, the rest of the k are the best of a wider candidate set (Yen's paths
by wait, and the most promising partial paths completed by their shortest wait), and the
result says ``exact: false``.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import heappop, heappush, nsmallest
from itertools import islice
from typing import Any, Iterable

import networkx as nx

from polku.errors import NodeNames, NodeTypes, PolkuError
from polku.finding import number
from polku.graph import close_id, label
from polku.words import N_
from polku.analyses.reach import Ecosystem, ecosystem, segment_reach

_SOURCE = ("source",)
_SINK = ("sink",)
_HANDOFF_UNITS = 1000  # hand-offs per path stay far below this; waits dominate the weight


def handoff(eco: Ecosystem, u: str, v: str) -> bool:
    """Must the step from ``u`` to ``v`` hand the client from one organisation to another
    (the organisations of their providers do not meet: two units of one county hand
    nothing off)? Of a whole path this is a lower bound: :func:`carriers` counts it."""
    if v not in eco.services or u not in eco.services:
        return False
    orgs = eco.provider_organisations
    return not (orgs.get(u, frozenset()) & orgs.get(v, frozenset()))


def lead_organisation(eco: Ecosystem, service: str) -> str | None:
    """The organisation that leads ``service`` among its providers' organisations (the
    first ``lead`` by id whose organisation provides it), as
    :func:`polku.analyses.handoffs.service_organisations` finds it; None if none."""
    orgs = eco.provider_organisations.get(service, frozenset())
    return next((o for a in sorted(eco.leads.get(service, ()))
                 if (o := eco.actor_organisation.get(a, a)) in orgs), None)


def carriers(eco: Ecosystem, nodes: tuple[str, ...] | list[str]) -> list[str | None]:
    """Per step of a path, the organisation that carries it: one of its providers'
    organisations, chosen along the whole path for the fewest changes of organisation (a
    client served by Hyvinkää's outreach youth work and then by a youth workshop that
    Hyvinkää and Järvenpää both run stays with one city), then each service with the
    organisation that leads it, then by id. None for an outcome and for a service nobody
    provides (which shares no organisation with anyone). :func:`handoffs_along` counts the
    changes: the path's hand-offs between organisations, the same the blueprint's lanes
    cross.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for a in ("x", "y"): g.add_node(a, type="actor", kind="municipality")
    >>> for s, provs in (("a", "x"), ("b", "xy"), ("c", "y")):
    ...     g.add_node(s, type="service")
    ...     for p in provs: add_edge(g, p, s, "provides")
    >>> g.add_node("o", type="outcome")
    >>> eco = ecosystem(g)
    >>> carriers(eco, ["a", "b", "c", "o"]), handoffs_along(eco, ["a", "b", "c", "o"])
    (['x', 'x', 'y', None], [False, False, True, False])
    """
    out: list[str | None] = [None] * len(nodes)
    i = 0
    while i < len(nodes):
        j = i
        while j < len(nodes) and eco.provider_organisations.get(nodes[j]) \
                and nodes[j] in eco.services:
            j += 1
        if j > i:
            out[i:j] = _fewest_changes(eco, nodes[i:j])
            i = j
        else:
            i += 1
    return out


def _fewest_changes(eco: Ecosystem, run: tuple[str, ...] | list[str]) -> list[str]:
    """The organisations of a run of provided services with the fewest changes, then the
    most services with their leading organisation, then the first by ids (Viterbi: each
    step keeps, per organisation, its best way there)."""
    best: dict[str, tuple[int, int, tuple[str, ...]]] = {}
    for v in run:
        lead = lead_organisation(eco, v)
        here = {}
        for o in sorted(eco.provider_organisations[v]):
            miss = int(lead is not None and o != lead)
            if not best:
                here[o] = (0, miss, (o,))
                continue
            here[o] = min((ch + (p != o), ms + miss, seq + (o,))
                          for p, (ch, ms, seq) in best.items())
        best = here
    return list(min(best.values())[2])


def handoffs_along(eco: Ecosystem, nodes: tuple[str, ...] | list[str],
                   carried: list[str | None] | None = None) -> list[bool]:
    """Per step of a path, whether the client comes to it from another organisation
    (:func:`carriers`; the first step and a step into an outcome: no)."""
    carried = carriers(eco, nodes) if carried is None else carried
    return [i > 0 and nodes[i - 1] in eco.services and nodes[i] in eco.services
            and (carried[i] is None or carried[i] != carried[i - 1])
            for i in range(len(nodes))]


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
            wc = round((wait or 0) * 100)
            dg.add_edge(u, v, referral=rid, wait=wait, handoff=ho, wc=wc,
                        w=wc * _HANDOFF_UNITS + int(ho))
    return dg


def _step(g: nx.MultiDiGraph, eco: Ecosystem, node: str, rid: str | None,
          segment: str | None, carrier: str | None, ho: bool) -> dict[str, Any]:
    provs = sorted(eco.providers.get(node, ()))
    ref = eco.refs.get(rid) if rid else None
    owner = _owner(eco, rid) if rid else None
    return {
        "node": node, "label": label(g, node),
        "type": "outcome" if node in eco.outcomes else "service",
        "providers": provs, "provider_labels": [label(g, p) for p in provs],
        "organisations": sorted(eco.provider_organisations.get(node, ())),
        "organisation": carrier,
        "referral": rid, "wait": number(ref.wait) if ref else None,
        "owner": owner, "owner_label": label(g, owner) if owner else None,
        "handoff": ho,
        "eligible": node in eco.outcomes or eco.eligible(node, segment) if segment else True,
    }


def wait_unknown(step: dict[str, Any]) -> bool:
    """Is the wait before ``step`` (a path's step after the first) one nobody knows? A wait
    is the median days to the first contact at the service referred to: an outcome has no
    first contact, so a step into one without a wait is no unknown wait (a wait given there
    still counts in the total)."""
    return step["wait"] is None and step["type"] != "outcome"


def _summary(steps: list[dict[str, Any]]) -> dict[str, Any]:
    waits = [s["wait"] for s in steps[1:]]
    return {
        "total_wait_days": number(round(sum(w or 0 for w in waits), 6)),
        "handoffs": sum(1 for s in steps if s["handoff"]),
        "unknown_waits": sum(1 for s in steps[1:] if wait_unknown(s)),
        "organisations": len({o for s in steps for o in s["organisations"]}),
    }


#: Partial paths the search expands per segment before it stops being exact (see the
#: module doc); a regional graph needs a few hundred, ``benchmarks/paths.py`` measures how
#: often a national graph hits it and how far from exact the result then lands.
MAX_EXPANSIONS = 5000
#: Candidates for the rest of the k when the bound cuts: Yen's paths by wait per path still
#: wanted, and partial paths completed by their shortest wait.
_FALLBACK_YEN = 4
_FALLBACK_FRONTIER = 40


@dataclass
class PathSearch:
    """What :func:`ranked_paths` found: the paths, best first, and whether they are exactly
    the k best (``exact``) or the search stopped at ``max_expansions``."""
    paths: list[dict[str, Any]]
    exact: bool
    expanded: int
    max_expansions: int

    def meta(self) -> dict[str, Any]:
        return {"exact": self.exact, "expanded": self.expanded,
                "max_expansions": self.max_expansions}


def _need_masks(eco: Ecosystem, segment: str, nodes: Iterable[str]) -> tuple[
        tuple[str, ...], dict[str, int]]:
    """The segment's needs, and per node the bit mask of those needs it covers (a service
    that is for the segment and addresses them; outcomes and ineligible entries cover none)."""
    needs = eco.segment_needs.get(segment, ())
    bit = {n: 1 << i for i, n in enumerate(needs)}
    own = {}
    for v in nodes:
        mask = 0
        if v in eco.services and eco.eligible(v, segment):
            for n in eco.service_needs.get(v, ()):
                mask |= bit.get(n, 0)
        own[v] = mask
    return needs, own


def coverage(eco: Ecosystem, segment: str, nodes: Iterable[str]) -> tuple[list[str], list[str]]:
    """The needs of ``segment`` that a path through ``nodes`` covers, and those it leaves
    uncovered (both sorted).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("a", type="service"); g.add_node("s", type="segment")
    >>> for n in ("debt", "housing"): g.add_node(n, type="need"); add_edge(g, "s", n, "has_need")
    >>> add_edge(g, "a", "debt", "addresses")
    >>> coverage(ecosystem(g), "s", ["a"])
    (['debt'], ['housing'])
    """
    nodes = list(nodes)
    needs, own = _need_masks(eco, segment, nodes)
    mask = 0
    for v in nodes:
        mask |= own[v]
    covered = [n for i, n in enumerate(needs) if mask >> i & 1]
    return sorted(covered), sorted(n for n in needs if n not in covered)


def _cover_from(dg: nx.DiGraph, own: dict[str, int]) -> dict[str, int]:
    """Per node, the needs some node reachable from it (itself included) covers: what a
    path through it could still cover at best. One pass over the condensation."""
    cond = nx.condensation(dg)
    members = cond.graph["mapping"]
    mask_of = {c: 0 for c in cond}
    for v, c in members.items():
        mask_of[c] |= own.get(v, 0)
    for c in reversed(list(nx.topological_sort(cond))):
        for d in cond.succ[c]:
            mask_of[c] |= mask_of[d]
    return {v: mask_of[c] for v, c in members.items()}


def ranked_paths(g: nx.MultiDiGraph, segment: str, k: int = 5, to: str | None = None,
                 eco: Ecosystem | None = None,
                 max_expansions: int = MAX_EXPANSIONS) -> PathSearch:
    """The ``k`` best paths of ``segment`` in the order of the module doc, and whether the
    search was exact. Unknown segment or outcome → :class:`PolkuError`.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> g.add_node("o", type="outcome"); g.add_node("s", type="segment")
    >>> g.add_node("debt", type="need"); add_edge(g, "s", "debt", "has_need")
    >>> add_edge(g, "s", "a", "entry"); add_edge(g, "b", "debt", "addresses")
    >>> for r, u, v, w in (("r1", "a", "b", 10), ("r2", "b", "o", 5), ("r3", "a", "c", 1),
    ...                    ("r4", "c", "o", 1)):
    ...     g.add_node(r, type="referral", median_wait_days=w)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> found = ranked_paths(g, "s")
    >>> [([s["node"] for s in p["steps"]], p["uncovered"]) for p in found.paths], found.exact
    ([(['a', 'b', 'o'], []), (['a', 'c', 'o'], ['debt'])], True)
    """
    eco = eco or ecosystem(g)
    check_segment(g, segment)
    if to is not None and (to not in g or g.nodes[to].get("type") != "outcome"):
        raise not_of_graph(g, to, "outcome", "to")
    reach = segment_reach(eco, segment)
    dg = segment_graph(eco, segment, reach)
    entries = [e for e in eco.segment_entries.get(segment, ()) if e in reach]
    targets = {o for o in reach & eco.outcomes if to is None or o == to}
    if not entries or not targets or k <= 0:
        return PathSearch([], True, 0, max_expansions)
    dg.add_nodes_from(entries)
    # The shortest wait from each node to an outcome (centi-days): a lower bound on the rest
    # of any path, and the nodes without one can lead nowhere.
    rest = nx.multi_source_dijkstra_path_length(dg.reverse(copy=False), targets, weight="wc")
    if not any(e in rest for e in entries):
        return PathSearch([], True, 0, max_expansions)
    dg = dg.subgraph(rest).copy()
    needs, own = _need_masks(eco, segment, dg)
    all_needs = (1 << len(needs)) - 1
    reachable_cover = _cover_from(dg, own)
    succ = {u: [(v, d["wc"], int(d["handoff"])) for v, d in sorted(nbrs.items())]
            for u, nbrs in dg.succ.items()}

    heap: list[tuple] = []
    for e in sorted(set(entries)):
        if e in rest:
            heappush(heap, ((all_needs & ~reachable_cover[e]).bit_count(), rest[e], 0, (e,),
                            own[e], 0))
    found: list[tuple[str, ...]] = []
    expanded = 0
    exact = True
    while heap and len(found) < k:
        item = heap[0]
        nodes = item[3]
        last = nodes[-1]
        if last in targets:
            heappop(heap)
            found.append(nodes)
            continue
        if expanded >= max_expansions:
            exact = False
            break
        heappop(heap)
        expanded += 1
        _, _, hand, _, cov, wait = item
        on = set(nodes)
        for v, wc, ho in succ[last]:
            if v in on:
                continue
            ncov = cov | own[v]
            nwait = wait + wc
            path = nodes + (v,)
            # a partial path's hand-offs so far are those no choice of organisations
            # avoids (a lower bound); a complete one's are its own (carriers)
            nhand = hand + ho if v not in targets else sum(handoffs_along(eco, path))
            heappush(heap, ((all_needs & ~(ncov | reachable_cover[v])).bit_count(),
                            nwait + rest[v], nhand, path, ncov, nwait))
    chosen = list(found)
    if not exact:
        chosen += _fallback(dg, entries, targets, heap, k - len(found), set(found))

    def rank_key(nodes: tuple[str, ...]) -> tuple:
        cov = 0
        for v in nodes:
            cov |= own[v]
        edges = [dg.edges[u, v] for u, v in zip(nodes, nodes[1:])]
        return ((all_needs & ~cov).bit_count(), sum(d["wc"] for d in edges),
                sum(handoffs_along(eco, nodes)), list(nodes))

    chosen.sort(key=rank_key)
    out = []
    for rank, nodes in enumerate(chosen[:k], start=1):
        carried = carriers(eco, nodes)
        flags = handoffs_along(eco, nodes, carried)
        steps = [_step(g, eco, nodes[0], None, segment, carried[0], False)]
        for i, (u, v) in enumerate(zip(nodes, nodes[1:]), start=1):
            steps.append(_step(g, eco, v, dg.edges[u, v]["referral"], segment, carried[i],
                               flags[i]))
        covered, uncovered = coverage(eco, segment, nodes)
        out.append({"steps": steps, "outcome": nodes[-1], **_summary(steps),
                    "covered": covered, "uncovered": uncovered, "rank": rank})
    return PathSearch(out, exact, expanded, max_expansions)


def _fallback(dg: nx.DiGraph, entries: list[str], targets: set[str], frontier: list[tuple],
              wanted: int, have: set[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Candidates for the ``wanted`` paths the bounded search did not reach: Yen's best by
    wait and hand-offs, and the most promising partial paths completed by their shortest
    wait (a completion may not revisit the partial path's nodes)."""
    cands: set[tuple[str, ...]] = set()
    work = dg.copy()
    for e in entries:
        if e in work:
            work.add_edge(_SOURCE, e, w=0, wc=0)
    for o in targets:
        work.add_edge(o, _SINK, w=0, wc=0)
    try:
        for p in islice(nx.shortest_simple_paths(work, _SOURCE, _SINK, weight="w"),
                        _FALLBACK_YEN * wanted):
            cands.add(tuple(p[1:-1]))
    except nx.NetworkXNoPath:
        pass
    for item in nsmallest(_FALLBACK_FRONTIER, frontier):
        prefix = item[3]
        view = nx.subgraph_view(work, filter_node=lambda n, skip=set(prefix[:-1]): n not in skip)
        try:
            tail = nx.dijkstra_path(view, prefix[-1], _SINK, weight="wc")
        except nx.NetworkXNoPath:
            continue
        cands.add(prefix + tuple(tail[1:-1]))
    return sorted(cands - have)


def best_paths(g: nx.MultiDiGraph, segment: str, k: int = 5, to: str | None = None,
               eco: Ecosystem | None = None) -> list[dict[str, Any]]:
    """The ``k`` best paths of ``segment`` from its entries to an outcome (``to``: only that
    outcome), best first; each has ``steps``, ``covered`` and ``uncovered`` needs,
    ``total_wait_days``, ``handoffs``, ``unknown_waits`` and ``outcome``
    (:func:`ranked_paths` also says whether the search was exact).

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
    return ranked_paths(g, segment, k, to, eco).paths


def not_of_graph(g: nx.MultiDiGraph, node: str, node_type: str, field: str) -> PolkuError:
    """The error for an id given as a ``node_type`` the graph has no such node of: it names
    the graph's ids of that type (the first eight), so a typo can be mended at once."""
    known = sorted(n for n, t in g.nodes(data="type") if t == node_type)
    what = NodeTypes((node_type,), article=True)
    if not known:
        return PolkuError(N_("'{node}' is not {what} of this graph"),
                          params={"node": node, "what": what}, node=node, field=field)
    return PolkuError(N_("'{node}' is not {what} of this graph (choose one of: {known})"),
                      params={"node": node, "what": what, "known": NodeNames.of(g.nodes, known)},
                      node=node, field=field, close=close_id(g, node, (node_type,)))


def check_segment(g: nx.MultiDiGraph, segment: str) -> None:
    if segment not in g or g.nodes[segment].get("type") != "segment":
        known = sorted(n for n, t in g.nodes(data="type") if t == "segment")
        if not known:
            raise PolkuError(N_("unknown segment '{segment}'"), params={"segment": segment},
                             node=segment, field="segment")
        raise PolkuError(N_("unknown segment '{segment}' (segments: {known})"),
                         params={"segment": segment, "known": NodeNames.of(g.nodes, known)},
                         node=segment, field="segment", close=close_id(g, segment, ("segment",)))


def check_target(g: nx.MultiDiGraph, to: str | None, subject: str | None = None) -> None:
    """``to``, a target outcome asked for the best paths of ``subject`` (a segment), is an
    outcome of ``g``; a subject that is no segment (a designed path ends where it was
    designed to end, the ecosystem has no best paths) takes none: said, not ignored, so a
    reader never takes paths to any outcome for paths to the one asked.

    >>> from polku.graph import new_graph
    >>> g = new_graph()
    >>> g.add_node("s", type="segment"); g.add_node("o", type="outcome")
    >>> g.add_node("p", type="path")
    >>> check_target(g, "o", "s"); check_target(g, None, "p")
    >>> check_target(g, "o", "p")
    Traceback (most recent call last):
    polku.errors.PolkuError: only a client segment's best paths take a target outcome ('o'): 'p' is no client segment
    """
    if to is None:
        return
    if to not in g or g.nodes[to].get("type") != "outcome":
        raise not_of_graph(g, to, "outcome", "to")
    if subject is not None and g.nodes.get(subject, {}).get("type") != "segment":
        raise PolkuError(N_("only a client segment's best paths take a target outcome "
                            "('{to}'): '{id}' is no client segment"),
                         params={"to": to, "id": subject}, node=to, field="to")


def designed_paths(g: nx.MultiDiGraph, segment: str | None = None,
                   eco: Ecosystem | None = None) -> list[dict[str, Any]]:
    """Designed paths (of ``segment``, or all), each step with the referral that carries it
    (the best one applying to the path's segment), and ``broken`` step pairs: the same
    ``path-broken`` findings :func:`polku.analyses.findings.find` reports (who must act
    included; their messages are written at the edge)."""
    from polku.analyses.accountable import responsibilities_of, who_must_act
    from polku.analyses.findings import path_broken_findings

    eco = eco or ecosystem(g)
    resp = None
    out = []
    for p, (seg, nodes) in sorted(eco.paths.items()):
        if segment is not None and seg != segment:
            continue
        steps: list[dict[str, Any]] = []
        broken = []
        carried = carriers(eco, nodes)
        flags = handoffs_along(eco, nodes, carried)
        for i, node in enumerate(nodes):
            prev = nodes[i - 1] if i else None
            rid = _best_referral(eco, prev, node, seg) if prev else None
            step = _step(g, eco, node, rid, seg, carried[i], flags[i])
            step["broken"] = bool(prev) and rid is None
            steps.append(step)
            if step["broken"]:
                broken.append(i - 1)
        findings = []
        if broken:  # one finding per ordered pair of steps, as find() reports them
            resp = resp or responsibilities_of(g)
            findings = [f.to_dict() for f in who_must_act(resp, path_broken_findings(
                p, seg, nodes, eco.path_numbers[p], broken))]
        covered, uncovered = coverage(eco, seg, nodes) if seg in eco.segment_needs \
            else ([], [])
        out.append({"path": p, "label": label(g, p), "segment": seg, "steps": steps,
                    "broken": findings, **_summary(steps), "covered": covered,
                    "uncovered": uncovered} if steps else
                   {"path": p, "label": label(g, p), "segment": seg, "steps": [],
                    "broken": [], "total_wait_days": 0, "handoffs": 0, "unknown_waits": 0,
                    "organisations": 0, "covered": [], "uncovered": list(
                        eco.segment_needs.get(seg, ())) if seg else []})
    return out


#: the keys that rank paths, in the order they decide (the module doc)
RANK_KEYS = ("uncovered", "wait", "handoffs", "ids")


def deciding_key(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Which rank key puts path ``after`` below path ``before`` (both as
    :func:`ranked_paths` returns them): the first of :data:`RANK_KEYS` in which they
    differ — needs left uncovered, total wait (to 1/100 of a day), hand-offs between
    organisations, else the step ids. A reader sees why a 119-day path can rank above a
    52-day one: it leaves fewer needs uncovered.

    >>> a = {"uncovered": ["n1"], "total_wait_days": 119, "handoffs": 5}
    >>> deciding_key(a, {"uncovered": ["n1", "n2"], "total_wait_days": 52, "handoffs": 2})
    'uncovered'
    >>> deciding_key(a, {"uncovered": ["n3"], "total_wait_days": 119.004, "handoffs": 6})
    'handoffs'
    """
    keys = [(len(p.get("uncovered") or ()), round(float(p.get("total_wait_days") or 0) * 100),
             int(p.get("handoffs") or 0)) for p in (before, after)]
    for name, x, y in zip(RANK_KEYS, *keys):
        if x != y:
            return name
    return "ids"


def met_off_path(eco: Ecosystem, segment: str, needs: Iterable[str]) -> dict[str, list[str]]:
    """For each of ``needs`` (needs of ``segment`` every best path leaves uncovered), the services
    in R(s) that are for the segment and address it, sorted; needs no such service meets are
    left out (they are unmet: the ``unmet-need`` finding).

    Why: a path covers a need only when a service *on* it addresses the need, so a service
    the segment can reach but no path passes through (a side visit, referred there and back,
    or a service with no referral onward to an outcome) leaves the need uncovered on every
    path. Naming it tells the designer the need is not unmet but off the route.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "h"): g.add_node(n, type="service")
    >>> g.add_node("o", type="outcome"); g.add_node("s", type="segment")
    >>> g.add_node("housing", type="need"); add_edge(g, "s", "housing", "has_need")
    >>> add_edge(g, "h", "housing", "addresses"); add_edge(g, "s", "a", "entry")
    >>> for r, u, v in (("r1", "a", "o"), ("r2", "a", "h"), ("r3", "h", "a")):
    ...     g.add_node(r, type="referral"); add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> met_off_path(ecosystem(g), "s", ["housing"])
    {'housing': ['h']}
    """
    wanted = set(needs)
    if not wanted:
        return {}
    found: dict[str, list[str]] = {}
    for v in sorted(segment_reach(eco, segment)):
        if v in eco.services and eco.eligible(v, segment):
            for n in sorted(eco.service_needs.get(v, ()) & wanted):
                found.setdefault(n, []).append(v)
    return {n: found[n] for n in sorted(found)}


def paths_report(g: nx.MultiDiGraph, segment: str, k: int = 5, to: str | None = None,
                 max_expansions: int = MAX_EXPANSIONS) -> dict:
    """Everything ``polku paths`` shows: the k best paths (with ``search``: whether they
    are exactly the best, see :func:`ranked_paths`), the segment's needs and entries, its
    designed paths and ``met_off_path`` (:func:`met_off_path` of the needs every best path
    leaves uncovered); nodes by their primary names (:func:`polku.present.results.paths_worded` names
    them in a reader's language and words the broken steps' findings)."""
    eco = ecosystem(g)
    found = ranked_paths(g, segment, k, to, eco, max_expansions)
    designed = designed_paths(g, segment, eco)
    # needs every best path leaves uncovered: a service meeting one is on none of them
    left = set.intersection(*(set(p["uncovered"]) for p in found.paths)) if found.paths \
        else set()
    return {"graph": g.graph.get("name", "graph"), "segment": segment,
            "segment_label": label(g, segment) if segment in g else segment,
            "to": to, "needs": list(eco.segment_needs.get(segment, ())),
            # where its paths start: none, and no path can (the reader is told so)
            "entries": list(eco.segment_entries.get(segment, ())),
            "best": found.paths, "search": found.meta(),
            "designed": designed, "met_off_path": met_off_path(eco, segment, left)}

