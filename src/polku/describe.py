"""What a graph is about, in a few lines: the data behind ``polku show``."""

from __future__ import annotations

import networkx as nx

from .graph import nodes_of, referrals, summary, targets
from .i18n import N_, Translator, translator

#: The node types as ``polku show`` names them (the keys of :func:`polku.graph.summary`).
TYPE_NAMES = {"actor": N_("actors"), "service": N_("services"), "outcome": N_("outcomes"),
              "need": N_("needs"), "segment": N_("client segments"),
              "referral": N_("referrals"), "responsibility": N_("responsibilities"),
              "path": N_("designed paths"), "goal": N_("plan goals"),
              "measure": N_("plan measures"), "indicator": N_("indicators"),
              "risk": N_("risks")}


def describe(g: nx.MultiDiGraph, tr: Translator | None = None) -> dict:
    """Counts by kind, regions, segments with sizes, entry services and outcomes; names in
    the language of ``tr`` (default Finnish).

    >>> from polku.graph import new_graph
    >>> describe(new_graph("x"))["counts"]["service"]
    0
    """
    tr = tr or translator()
    regions = sorted({r for _, r in g.nodes(data="region") if r})
    segs = [{"id": s, "name": tr.label(g, s), "size": g.nodes[s].get("size"),
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
        "outcomes": [{"id": o, "name": tr.label(g, o)} for o in nodes_of(g, "outcome")],
    }


def describe_text(info: dict, tr: Translator | None = None) -> str:
    """The :func:`describe` dict as a short plain-text summary in the language of ``tr``.

    >>> from polku.graph import new_graph
    >>> print(describe_text(describe(new_graph("x")), translator("en")))
    Graph x
      0 people in segments, 0 referrals a month
    """
    tr = tr or translator()
    counts = info["counts"]
    head = tr("Graph {name}").format(name=info["graph"])
    if info["regions"]:
        head += f" ({', '.join(info['regions'])})"
    lines = [head]
    if info.get("illustrative"):
        lines.append("  " + tr("Example data – the numbers are illustrative"))
    names = {k: tr(TYPE_NAMES[k]) if k in TYPE_NAMES else k for k in counts}
    width = max((len(names[k]) for k in counts), default=0)
    lines += [f"  {names[k]:<{width}}  {tr.number(n):>6}" for k, n in counts.items() if n]
    lines.append("  " + tr("{people} people in segments, {referrals} referrals a month").format(
        people=tr.number(info["people_in_segments"]),
        referrals=tr.number(info["referral_volume_per_month"])))
    if info["segments"]:
        lines.append(tr("Client segments:"))
        for s in info["segments"]:
            lines.append("  " + tr("{id}: {name} — size {size}, in work {rate}, enters at "
                                   "{entries}").format(
                id=s["id"], name=s["name"], size=tr.number(s["size"]),
                rate=tr.percent(s["participation_rate"]),
                entries=", ".join(s["entries"]) or tr("nowhere")))
    if info["outcomes"]:
        lines.append(tr("Outcomes:") + " " + ", ".join(o["name"] for o in info["outcomes"]))
    return "\n".join(lines)
