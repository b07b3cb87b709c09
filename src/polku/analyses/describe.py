"""What a graph is about, in a few lines: the data behind ``polku show``."""

from __future__ import annotations

import networkx as nx

from polku.io.areas import alphabet_key, area_parts

from polku.graph import MERGED_FROM, label, nodes_of, referrals, region_of, summary, targets
from polku.graph import regions as graph_regions
from polku.privacy import MIN_CELL


def describe(g: nx.MultiDiGraph) -> dict:
    """Counts by kind, regions, segments with sizes, entry services and outcomes, named by
    their primary names (:func:`polku.present.results.described` names them in a reader's
    language).

    >>> from polku.graph import new_graph
    >>> describe(new_graph("x"))["counts"]["service"]
    0
    """
    # the areas served, each once: a ``;`` list is an area each, and an area written in
    # Finnish here and in Swedish there (Vaasa, Vasa) is one; in the Finnish alphabet, the
    # order a reader of the primary names reads them in (the edge sorts a translation
    # again in its reader's: polku.present.i18n.Translator.areas)
    regions = sorted(area_parts("; ".join(str(r) for _, r in g.nodes(data="region") if r)),
                     key=alphabet_key)
    segs = [{"id": s, "name": label(g, s), "size": shown_size(g, s),
             "participation_rate": g.nodes[s].get("participation_rate"),
             "entries": targets(g, s, "entry")} for s in nodes_of(g, "segment")]
    refs = list(referrals(g))
    sizes = [s["size"] for s in segs if _is_number(s["size"])]
    volumes = [r.volume_per_month for r in refs if _is_number(r.volume_per_month)]
    # a published copy's totals leave its small cells out: they say "at least"
    partial = [key for key, about in (("people_in_segments", nodes_of(g, "segment")),
                                      ("referral_volume_per_month", (r.id for r in refs)))
               if any(_left_out(g, n) for n in about)]
    # a figure nobody gave is unknown, not 0: the totals of the figures given say "at
    # least", and how many segments and referrals gave none (a column the workbook named
    # otherwise left every size out: 0 people in the segments). Counts of rows, not of
    # people: keyed by what they count, so that no privacy rule takes them for people
    unknown = {key: n for key, n in (
        ("segments", sum(1 for s in segs if s["size"] is None
                         and not _left_out(g, s["id"]))),
        ("referrals", sum(1 for r in refs if r.volume_per_month is None
                          and not _left_out(g, r.id)))) if n}
    return {
        "graph": g.graph.get("name", "graph"),
        "title": g.graph.get("title"),
        # the graph's own region (its graph sheet's); ``regions``: the areas its nodes serve
        "region": g.graph.get("region"),
        "illustrative": bool(g.graph.get("illustrative")),
        "counts": summary(g),
        "regions": regions,
        # of a published copy, the sum of the sizes shown: a small cell left out is not in
        # it, so no total gives one back by subtraction (docs/workbook.md, Privacy); None
        # where no figure is known at all (every one unknown, none left out)
        "people_in_segments": _total(sizes, len(segs), unknown.get("segments")),
        "referral_volume_per_month": _total(volumes, len(refs), unknown.get("referrals")),
        **({"partial": partial} if partial else {}),
        **({"unknown": unknown} if unknown else {}),
        "segments": segs,
        "entry_services": [s for s in nodes_of(g, "service") if g.nodes[s].get("entry")],
        "outcomes": [{"id": o, "name": label(g, o)} for o in nodes_of(g, "outcome")],
        **({"areas_by_region": _areas_by_region(g)} if graph_regions(g) else {}),
    }


def _areas_by_region(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """A merged graph's served areas by the region whose nodes serve them (``""``: the
    actors the regions share), each area once (a ``;`` list split): one region's areas
    never run into another's. An actor in the merged namespace that one region alone held
    (every actor with a business id is named there: ``national/hus``) is that region's.

    >>> from polku.graph import new_graph
    >>> g = new_graph("national"); g.graph["regions"] = [{"id": "ra"}, {"id": "rb"}]
    >>> g.add_node("ra/x", type="service", region="Vantaa")
    >>> g.add_node("national/hus", type="actor", region="Uusimaa", merged_from=["ra/hus"])
    >>> g.add_node("national/kela", type="actor", region="koko maa",
    ...            merged_from=["ra/kela", "rb/kela"])
    >>> _areas_by_region(g)
    {'ra': ['Uusimaa', 'Vantaa'], '': ['koko maa']}
    """
    out: dict[str, list[str]] = {str(r["id"]): [] for r in graph_regions(g)}
    for node, area in sorted(g.nodes(data="region")):
        own = region_of(g, node)
        held_by = {str(m).partition("/")[0] for m in g.nodes[node].get(MERGED_FROM) or ()}
        where = out.setdefault(str(own["id"]) if own else
                               next(iter(held_by)) if len(held_by) == 1 else "", [])
        where += [str(area or "")]
    split = {k: sorted(area_parts("; ".join(v)), key=alphabet_key) for k, v in out.items()}
    return {k: v for k, v in split.items() if v}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _total(known: list, count: int, unknown: int | None) -> float | None:
    """The sum of the ``known`` figures of ``count`` nodes; None when each of them is
    ``unknown`` (a sum of nothing known is no 0 people).

    >>> _total([2, 3], 3, 1), _total([], 2, 2), _total([], 0, None)
    (5, None, 0)
    """
    return None if count and unknown == count else sum(known)


def _left_out(g: nx.MultiDiGraph, node: str) -> bool:
    """Whether a published copy left the node's people figure out as a small cell."""
    said = g.nodes[node].get("suppressed") or ()
    return "size" in said or "volume_per_month" in said


def shown_size(g: nx.MultiDiGraph, segment: str) -> object:
    """A segment's size; in a published copy (:func:`polku.privacy.suppress`) a size left out
    as a small cell reads ``<5``."""
    data = g.nodes[segment]
    if data.get("size") is None and "size" in (data.get("suppressed") or ()):
        return f"<{g.graph.get('min_cell', MIN_CELL)}"
    return data.get("size")
