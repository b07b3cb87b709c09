"""The report's first page: what to decide ("Päätettävät asiat", "Beslut att fatta").

A leader reads the first page and decides; the counts and the detail come after. Of all
findings, at most :data:`MAX_DECISIONS` become decisions, ranked by severity (errors first),
then by the people affected (the summed sizes of the client segments the finding names, or
else of those whose routes reach its subject), then by the nearest plan deadline (the earliest end month of
the plan measures on it). Each decision is one plain sentence (names, no ids), the
accountable organisation, the partners, the plan measure and its month, and the best
verified suggestion (:func:`polku.analyses.suggest.suggest`) in words.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from polku.finding import SEVERITY_RANK, Finding
from polku.present.i18n import Translator
from polku.present.suggestions import suggestion_text

#: decisions on the first page, at most (a page a leader reads, not a list)
MAX_DECISIONS = 7


def _segments(f: Finding, g: nx.MultiDiGraph, eco: Any,
              reach: dict[str, set[str]] | None = None) -> set[str]:
    """The client segments a finding is about.

    The segments it names (its subject, related nodes or ``segment`` figure, or the segment
    a designed path it names is for) when it names any: a finding about one group of
    people is about them alone, however many other groups use the same services. Else the
    segments whose routes reach its subject (a service, or both ends of a referral the
    segment may take; not the ends alone, which groups that never take the referral reach
    too); ``reach`` maps each segment to what it
    reaches (:func:`polku.analyses.reach.segment_reach`), computed here when not given.
    """
    about = (f.subject, *f.related)
    named = {n for n in (*about, f.metrics.get("segment"))
             if n in g and g.nodes[n].get("type") == "segment"}
    named |= {eco.paths[n][0] for n in about if n in eco.paths and eco.paths[n][0]}
    if named:
        return named
    if reach is None:
        reach = segment_reaches(eco)
    # what it is about is its subject: a referral's ends (its related ids) are reached by
    # groups that never take the referral, and an over-capacity service's incoming
    # referrals are taken by groups that reach the service anyway
    ref = eco.refs.get(f.subject)
    if ref is not None:
        return {s for s, seen in reach.items()
                if ref.source in seen and ref.target in seen
                and (not ref.segments or s in ref.segments)}
    if f.subject in eco.services:
        return {s for s, seen in reach.items() if f.subject in seen}
    return set()


def segment_reaches(eco: Any) -> dict[str, set[str]]:
    """Each segment → the services and outcomes its routes reach."""
    from polku.analyses.reach import segment_reach

    return {s: segment_reach(eco, s) for s in eco.segments}


def people_affected(f: Finding, g: nx.MultiDiGraph, eco: Any,
                    reach: dict[str, set[str]] | None = None) -> float:
    """The summed sizes of the segments the finding is about (:func:`_segments`; unknown
    sizes count 0): each group of people once.

    >>> from polku.graph import new_graph
    >>> from polku.analyses.reach import ecosystem
    >>> g = new_graph(); g.add_node("s", type="segment", size=120)
    >>> g.add_node("t", type="segment", size=80)
    >>> people_affected(Finding("segment-without-lead", "warning", "s"), g, ecosystem(g))
    120
    """
    total = 0
    for s in _segments(f, g, eco, reach):
        size = g.nodes[s].get("size")
        if isinstance(size, (int, float)):
            total += size
    return total


def _deadline(f: Finding, g: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The plan measure on the finding that ends first, as (end month, measure id)."""
    ends = [(str(g.nodes[m].get("end")), m) for m in f.measures
            if m in g and g.nodes[m].get("end")]
    return min(ends) if ends else None


def rank(findings: Iterable[Finding], g: nx.MultiDiGraph, eco: Any,
         reach: dict[str, set[str]] | None = None) -> list[Finding]:
    """The findings in the first page's order: severity, people affected (most first), the
    nearest plan deadline (findings without one after), then the findings' own order."""
    reach = segment_reaches(eco) if reach is None else reach

    def key(item: tuple[int, Finding]) -> tuple:
        i, f = item
        d = _deadline(f, g)
        return (SEVERITY_RANK[f.severity], -people_affected(f, g, eco, reach),
                (0, d[0]) if d else (1, ""), i)
    return [f for _, f in sorted(enumerate(findings), key=key)]


def _partners(f: Finding, g: nx.MultiDiGraph, eco: Any) -> list[str]:
    """Organisations involved in the subject besides the accountable ones: its providers
    and leads, and the actors the finding names."""
    found: set[str] = set()
    for n in (f.subject, *f.related):
        found |= set(eco.providers.get(n, ())) | set(eco.leads.get(n, ()))
        if n in g and g.nodes[n].get("type") == "actor":
            found.add(n)
    return sorted(found - set(f.accountable))


def decisions(findings: list[Finding], g: nx.MultiDiGraph, eco: Any, tr: Translator,
              suggestions: bool = True,
              long_wait_days: float | None = None) -> list[dict[str, Any]]:
    """The first page's decisions: at most :data:`MAX_DECISIONS`, each ``{"key", "severity",
    "sentence", "accountable": [{"id", "label"}], "partners": [...], "measure": {"id",
    "label", "end"} | None, "people": N, "suggestion": text | None, "declined": text |
    None}``. ``findings`` are worded plainly (:meth:`~polku.present.i18n.Translator.plainly`);
    the suggestions are verified on a copy of the graph (:func:`polku.analyses.suggest.suggest`);
    ``declined`` says why no capacity raise is offered where it would barely shorten the
    wait (:func:`polku.analyses.suggest.declined_capacities`)."""
    # a decision names who decides: findings nobody answers for have their own list
    reach = segment_reaches(eco)  # each segment's routes, once for the ranking and the counts
    chosen = rank([f for f in findings if f.accountable], g, eco, reach)[:MAX_DECISIONS]
    best: dict[str, str] = {}
    declined: dict[str, str] = {}
    if suggestions and chosen:
        from polku.analyses.suggest import declined_capacities, suggest
        from polku.kinds import LONG_WAIT_DAYS
        from polku.present.suggestions import declined_text

        # one call for all the decisions (the graph's sheets are read once), stopping at
        # the first verified suggestion of each: the page shows only that one
        for s in suggest(g, findings=findings, among=[f.key for f in chosen], limit=1,
                         long_wait_days=long_wait_days or LONG_WAIT_DAYS):
            best.setdefault(s["finding"], suggestion_text(s, g, tr))
        for d in declined_capacities(g, findings, long_wait_days or LONG_WAIT_DAYS,
                                     among={f.key for f in chosen}):
            declined[d["finding"]] = declined_text(d, g, tr)
    out = []
    for f in chosen:
        deadline = _deadline(f, g)
        out.append({
            "key": f.key, "kind": f.kind, "severity": f.severity, "sentence": f.message,
            "people": people_affected(f, g, eco, reach),
            "accountable": [{"id": a, "label": tr.label(g, a)} for a in f.accountable],
            "partners": [{"id": a, "label": tr.label(g, a)} for a in _partners(f, g, eco)],
            "measure": None if deadline is None else {
                "id": deadline[1], "label": tr.label(g, deadline[1]), "end": deadline[0]},
            "suggestion": best.get(f.key),
            "declined": declined.get(f.key),
        })
    return out
