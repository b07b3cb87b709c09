"""What a graph is about, in a few lines: the data behind ``polku show``."""

from __future__ import annotations

import networkx as nx

from polku.graph import label, nodes_of, referrals, summary, targets


def describe(g: nx.MultiDiGraph) -> dict:
    """Counts by kind, regions, segments with sizes, entry services and outcomes, named by
    their primary names (:func:`polku.present.results.described` names them in a reader's
    language).

    >>> from polku.graph import new_graph
    >>> describe(new_graph("x"))["counts"]["service"]
    0
    """
    regions = sorted({r for _, r in g.nodes(data="region") if r})
    segs = [{"id": s, "name": label(g, s), "size": g.nodes[s].get("size"),
             "participation_rate": g.nodes[s].get("participation_rate"),
             "entries": targets(g, s, "entry")} for s in nodes_of(g, "segment")]
    refs = list(referrals(g))
    volume = sum(r.volume_per_month or 0 for r in refs)
    return {
        "graph": g.graph.get("name", "graph"),
        "title": g.graph.get("title"),
        "illustrative": bool(g.graph.get("illustrative")),
        "counts": summary(g),
        "regions": regions,
        "people_in_segments": sum(s["size"] or 0 for s in segs),
        "referral_volume_per_month": volume,
        "segments": segs,
        "entry_services": [s for s in nodes_of(g, "service") if g.nodes[s].get("entry")],
        "outcomes": [{"id": o, "name": label(g, o)} for o in nodes_of(g, "outcome")],
    }
