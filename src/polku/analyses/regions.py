"""Regions side by side: the same measures for every region, so that a region can see
where it stands beside another (the seed plan benchmarks against Keski-Suomi).

:func:`region_figures` computes, for one region's graph,

- ``people``: people in its segments (the denominator; small cells left out, see below);
- ``findings_per_10k``: findings by kind per 10,000 people in segments (unrounded, as every
  figure here: the edge rounds what it writes, once);
- ``needs_covered``: the share of (segment, need) pairs that some service the segment can
  reach and is open to addresses (the pairs no ``unmet-need`` finding is about);
- ``median_wait_days``: the median of the hand-offs' (referrals') median waits;
- ``information_travels``: the share of referrals along which information travels
  (``information_flow`` = ``yes``);
- ``leads_per_measure``: plan measures' lead responsibilities per measure (1 is the aim).

:func:`compare_regions` puts several regions' figures side by side. Privacy is decided
like any output's (:mod:`polku.privacy`): with ``min_cell`` given, the people total is
the sum of the sizes that may be shown (a small segment is left out, so it cannot be
recovered by subtraction) and a total that is itself a small cell is not shown.
Plain data out, no sentences.
"""

from __future__ import annotations

from statistics import median
from typing import Any, Sequence

import networkx as nx

from polku.graph import TITLE_LANGUAGES
from polku.io.areas import area_names

#: the figures of a region, in the order tables and charts show them
MEASURES = ("people", "needs_covered", "median_wait_days", "information_travels",
            "leads_per_measure", "findings_per_10k_total")
#: the node types a region's ``counts`` count
COUNTED = ("actor", "service", "segment", "referral", "measure")


def _nodes(g: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, t in g.nodes(data="type") if t == kind)


def _out(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    return [v for _, v, k in g.out_edges(node, data="kind") if k == kind]


def is_region(g: nx.MultiDiGraph) -> bool:
    """Whether ``g`` is a region to compare: it has client segments (a plan or a catalogue
    on its own has none, so no figure per people to set beside a region's).

    >>> from polku.graph import new_graph
    >>> g = new_graph("plan"); is_region(g)
    False
    >>> g.add_node("s", type="segment", name="S"); is_region(g)
    True
    """
    return any(t == "segment" for _, t in g.nodes(data="type"))


def each_region(g: nx.MultiDiGraph) -> list[nx.MultiDiGraph]:
    """The regions ``g`` holds, each a graph to compare: a merged graph's regions taken out
    again (:func:`polku.analyses.merge.split`: each region's nodes, the actors they share in
    each), else ``[g]``. So a national graph compares its regions, as their own graphs would.

    >>> from polku.graph import new_graph
    >>> g = new_graph("r"); each_region(g) == [g]
    True
    """
    from polku.analyses.merge import split

    return [r.graph for r in split(g)] or [g]


def merged_given_twice(graphs: Sequence[nx.MultiDiGraph]) -> tuple[str, list[str]] | None:
    """The first of ``graphs`` that is already a merged graph (:func:`polku.analyses.merge.
    is_merged`, what ``merge`` and ``neo4j pull --all`` refuse) holding a region that another
    of ``graphs`` brings on its own too, and those regions; ``None`` if there is none. Why:
    compared together, a region would stand twice, and the cause is the merged graph, not two
    graphs that happen to share a name. A region only another merged graph brings (the same
    merged graph given twice) is not given on its own: that is two graphs of the same name.

    >>> from polku.analyses.merge import merge
    >>> from polku.graph import new_graph
    >>> a, b = new_graph("a"), new_graph("b")
    >>> for g in (a, b):
    ...     g.add_node("s", type="segment", name="S")
    >>> national = merge([a, b]).graph
    >>> merged_given_twice([a, national, b]), merged_given_twice([national, new_graph("c")])
    (('national', ['a', 'b']), None)
    >>> merged_given_twice([national, merge([a, b]).graph]) is None
    True
    """
    from polku.analyses.merge import is_merged

    merged = [is_merged(g) for g in graphs]
    held = [[str(r.graph.get("name", "")) for r in each_region(g)] for g in graphs]
    # the regions given on their own: what the error says of the merged graph's regions
    alone = {n for j, names in enumerate(held) if not merged[j] for n in names}
    for i, g in enumerate(graphs):
        if not merged[i]:
            continue
        twice = sorted(set(held[i]) & alone)
        if twice:
            return str(g.graph.get("name", "")), twice
    return None


def needs_covered(g: nx.MultiDiGraph, findings: Sequence[Any] | None = None) -> float | None:
    """The share of (segment, need) pairs that are met: no ``unmet-need`` finding is about
    them, i.e. some service the segment can reach (in R(s)) and is open to addresses the
    need (``docs/findings.md``). Counted from the findings themselves, so "needs covered"
    and "unmet needs" cannot contradict each other; ``findings`` default to
    :func:`polku.analyses.findings.find`. ``None`` without needs.

    Below, ``x`` addresses both needs but only ``n1``'s ``y`` is where the segment enters:
    ``x`` is out of its reach, so ``n2`` is not covered.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n, t in (("s", "segment"), ("n1", "need"), ("n2", "need"), ("x", "service"),
    ...              ("y", "service")):
    ...     g.add_node(n, type=t, name=n)
    >>> add_edge(g, "s", "n1", "has_need"); add_edge(g, "s", "n2", "has_need")
    >>> add_edge(g, "s", "y", "entry"); add_edge(g, "y", "n1", "addresses")
    >>> add_edge(g, "x", "n2", "addresses")
    >>> needs_covered(g)
    0.5
    """
    pairs = {(seg, need) for seg in _nodes(g, "segment") for need in _out(g, seg, "has_need")}
    if not pairs:
        return None
    if findings is None:
        from polku.analyses.findings import find

        findings = find(g)
    unmet = set()
    for f in findings:
        kind = f.kind if hasattr(f, "kind") else f["kind"]
        if kind == "unmet-need":
            subject = f.subject if hasattr(f, "subject") else f["subject"]
            metrics = f.metrics if hasattr(f, "metrics") else f.get("metrics", {})
            unmet.add((subject, metrics.get("need")))
    return (len(pairs) - len(pairs & unmet)) / len(pairs)


def region_figures(g: nx.MultiDiGraph, findings: Sequence[Any] | None = None,
                   min_cell: int | None = None) -> dict[str, Any]:
    """One region's figures (see the module doc). ``findings`` default to
    :func:`polku.analyses.findings.find`; ``min_cell`` suppresses small cells.

    >>> from polku.graph import new_graph
    >>> g = new_graph("r"); g.add_node("s", type="segment", name="S", size=3)
    >>> g.add_node("t", type="segment", name="T", size=20000)
    >>> f = region_figures(g, findings=[], min_cell=5)
    >>> f["people"], f["suppressed_segments"]
    (20000, 1)
    """
    from polku import privacy
    from polku.analyses.findings import find

    if findings is None:
        findings = find(g)
    segments = _nodes(g, "segment")
    sizes = [g.nodes[s].get("size") for s in segments]
    sizes = [s for s in sizes if isinstance(s, (int, float)) and not isinstance(s, bool)]
    shown_sizes = [s for s in sizes if min_cell is None or not privacy.is_small(s, min_cell)]
    # a published copy (privacy.suppress) has already left its small sizes out
    small = len(sizes) - len(shown_sizes) + sum(
        1 for s in segments if "size" in (g.nodes[s].get("suppressed") or ()))
    people: Any = sum(shown_sizes) if sizes else None
    by_kind: dict[str, int] = {}
    for f in findings:
        kind = f.kind if hasattr(f, "kind") else f["kind"]
        by_kind[kind] = by_kind.get(kind, 0) + 1
    # unrounded: a figure is rounded once, where it is written (rounded here to two
    # decimals and there to one, 3.947 read 4,0)
    per_10k = ({k: n / people * 10000 for k, n in sorted(by_kind.items())}
               if isinstance(people, (int, float)) and people > 0 else {})
    referrals = _nodes(g, "referral")
    waits = [g.nodes[r]["median_wait_days"] for r in referrals
             if isinstance(g.nodes[r].get("median_wait_days"), (int, float))]
    flows = [g.nodes[r].get("information_flow", "unknown") for r in referrals]
    measures = _nodes(g, "measure")
    leads = [sum(1 for _, _, d in g.in_edges(m, data=True)
                 if d["kind"] == "responsibility" and d.get("role") == "lead") for m in measures]
    if min_cell is not None and privacy.is_small(people, min_cell):
        people, per_10k = privacy.shown(people, min_cell), {}
    return {
        "region": str(g.graph.get("name", "")),
        "title": str(g.graph.get("title") or g.graph.get("name", "")),
        # its titles in Swedish and English where the graph sheet gives them (data, as a
        # node's name_sv: the reader's language picks one at the edge)
        **{f"title_{lang}": str(g.graph[f"title_{lang}"]) for lang in TITLE_LANGUAGES
           if g.graph.get(f"title_{lang}")},
        # the region as people name it (the graph sheet's ``region``), else the title
        "region_name": str(g.graph.get("region") or g.graph.get("title")
                           or g.graph.get("name", "")),
        # the region in Swedish and English (the graph sheet's region_sv/region_en, else the
        # official name of an area polku knows): data, as the titles, picked at the edge
        **{f"region_name_{lang}": str(name) for lang in TITLE_LANGUAGES
           if (name := g.graph.get(f"region_{lang}")
               or area_names(str(g.graph.get("region") or "")).get(lang))},
        "illustrative": bool(g.graph.get("illustrative")),
        "people": people,
        "suppressed_segments": small,
        "findings": dict(sorted(by_kind.items())),
        "findings_per_10k": per_10k,
        "findings_per_10k_total": (sum(by_kind.values()) / people * 10000
                                   if isinstance(people, (int, float)) and people > 0 else None),
        "needs_covered": needs_covered(g, findings),
        "median_wait_days": float(median(waits)) if waits else None,  # one type, whatever the middle
        "information_travels": (sum(1 for f in flows if f == "yes") / len(flows)
                                if flows else None),
        "leads_per_measure": sum(leads) / len(leads) if leads else None,
        "counts": {t: len(_nodes(g, t)) for t in COUNTED},
    }


def compare_regions(graphs: Sequence[nx.MultiDiGraph], min_cell: int | None = None,
                    findings: Sequence[Sequence[Any]] | None = None) -> dict[str, Any]:
    """Several regions' figures side by side: ``{"regions": [...], "kinds": [...],
    "measures": [...]}`` (``kinds``: every finding kind any region has, sorted).

    >>> from polku.graph import new_graph
    >>> a, b = new_graph("a"), new_graph("b")
    >>> [r["region"] for r in compare_regions([a, b], findings=[[], []])["regions"]]
    ['a', 'b']
    """
    names = [str(g.graph.get("name", "")) for g in graphs]
    if len(set(names)) != len(names):
        from polku.errors import PolkuError

        from polku.words import N_

        raise PolkuError(N_("two regions have the same name: give each graph its own name"),
                         params={}, field="graphs")
    rows = [region_figures(g, None if findings is None else findings[i], min_cell)
            for i, g in enumerate(graphs)]
    kinds = sorted({k for r in rows for k in r["findings"]})
    return {"regions": rows, "kinds": kinds, "measures": list(MEASURES),
            "min_cell": min_cell}
