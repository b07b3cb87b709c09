"""Why a finding vanished after a change: resolved, or gone with what the change took away.

A finding that is no longer there after a change is not always good news. When a service is
removed, the segment that could reach two overlapping services no longer sees them overlap,
but it has lost one of them: the overlap is not resolved, the access is gone. The what-if
of a removal (:mod:`polku.analyses.whatif`) and the verified suggestions
(:mod:`polku.analyses.suggest`) ask here, one rule for both:

- ``removed``: the finding's subject or one of its related ids is not in the graph after
  (removed itself, or with what was removed: a referral with its service, a unit with its
  organisation);
- ``unreachable``: its subject or a related service was reachable before and is not after
  (a new ``unreachable-service`` finding says so), or, for a finding on a segment, one of
  its related services was in the segment's reach R(s) and for the segment before, and is
  not after (the segment lost access to it, though others still reach it);
- ``resolved``: anything else: the finding's cause changed while what it is about stays.

>>> from polku.finding import Finding
>>> from polku.graph import new_graph
>>> g = new_graph(); g.add_node("a", type="service"); g.add_node("b", type="service")
>>> h = g.copy(); h.remove_node("b")
>>> gone = [Finding("multiple-leads", "warning", "a"), Finding("no-lead", "error", "a", ("b", "x"))]
>>> why_vanished(g, h, [], [], gone)
['resolved', 'removed']
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import networkx as nx

from polku.finding import Finding

#: the reasons a finding vanishes, the good one first
RESOLVED, REMOVED, UNREACHABLE = "resolved", "removed", "unreachable"
REASONS = (RESOLVED, REMOVED, UNREACHABLE)


def _unreachable(findings: Iterable[Finding]) -> set[str]:
    return {f.subject for f in findings if f.kind == "unreachable-service"}


def why_vanished(g: nx.MultiDiGraph, h: nx.MultiDiGraph, before: Iterable[Finding],
                 after: Iterable[Finding], vanished: Sequence[Finding],
                 eco_before: Any = None) -> list[str]:
    """The reason (:data:`REASONS`) each of ``vanished`` (findings of ``g``, the graph
    before, that ``h``, the graph after, no longer has) is gone, in their order; ``before``
    and ``after`` are the two graphs' findings (their ``unreachable-service`` findings say
    which services became unreachable). ``eco_before``: ``g``'s index where the caller
    holds it (a suggestion's trials ask about the one graph many times)."""
    from polku.analyses.reach import Ecosystem, ecosystem, segment_reach

    newly = _unreachable(after) - _unreachable(before)
    ecos: dict[str, Ecosystem] = {} if eco_before is None else {"before": eco_before}
    reach: dict[tuple[str, str], set[str]] = {}

    def served(which: str, graph: nx.MultiDiGraph, segment: str) -> set[str]:
        """The services in R(segment) that are for the segment, in ``graph`` (indexed once,
        and only when a finding on a segment asks)."""
        if (which, segment) not in reach:
            if which not in ecos:
                ecos[which] = ecosystem(graph)
            eco = ecos[which]
            reach[which, segment] = {v for v in segment_reach(eco, segment)
                                     if v in eco.services and eco.eligible(v, segment)}
        return reach[which, segment]

    out = []
    for f in vanished:
        ids = (f.subject, *f.related)
        if any(n in g and n not in h for n in ids):
            out.append(REMOVED)
        elif any(n in newly for n in ids):
            out.append(UNREACHABLE)
        elif h.nodes.get(f.subject, {}).get("type") == "segment" and any(
                h.nodes.get(n, {}).get("type") == "service" for n in f.related) and any(
                v in served("before", g, f.subject) and v not in served("after", h, f.subject)
                for v in f.related):
            out.append(UNREACHABLE)
        else:
            out.append(RESOLVED)
    return out
