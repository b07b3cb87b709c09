"""The ``ecosystem`` view: actors, services, segments, needs and outcomes, referrals drawn
as edges from their ``from`` service to their ``to`` target. Past ``cluster_threshold``
nodes the page groups services with their provider (or the provider's region) into
clusters that open on click.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from polku.io.areas import area_names
from polku.present.i18n import area_name
from polku.graph import nodes_of
from polku.present.views.facts import (EDGE_COLOURS, NO_PROVIDER_COLOUR, Facts, View, finding_legend, kind_legend, legend_edge, legend_node, plain_edge, referral_legend, scaled, shape_legend, spread_parallel)

CLUSTER_THRESHOLD = 1500
CLUSTER_BY = ("provider", "region")


def ecosystem_view(g: nx.MultiDiGraph, facts: Facts, *, cluster_threshold: int,
               cluster_by: str) -> View:
    shown = ("actor", "service", "segment", "need", "outcome")
    ids = [n for t in shown for n in nodes_of(g, t)]
    idset = set(ids)
    cap_max = max((float(g.nodes[s].get("capacity_per_month") or facts.inflow.get(s) or 0)
                   for s in nodes_of(g, "service")), default=0.0)
    size_max = max((float(g.nodes[s].get("size") or 0) for s in nodes_of(g, "segment")),
                   default=0.0)
    prov_max = max((len(facts.targets(a, "provides")) for a in nodes_of(g, "actor")), default=0)
    big = len(ids) > cluster_threshold

    nodes = []
    for n in ids:
        d = g.nodes[n]
        t = d["type"]
        extra: dict[str, Any] = {}
        if t == "service":
            value = d.get("capacity_per_month") or facts.inflow.get(n)
            size = scaled(value, cap_max, 12, 42)
            extra["segs"] = facts.targets(n, "for_segment")
            if d.get("entry"):
                extra["entry"] = True
        elif t == "segment":
            size = scaled(d.get("size"), size_max, 16, 36)
        elif t == "actor":
            size = scaled(len(facts.targets(n, "provides")), prov_max, 14, 32)
        else:
            size = 16
        nodes.append(facts.node(n, size=size, **extra))

    edges: list[dict[str, Any]] = []
    vol_max = max((float(r.volume_per_month or 0) for r in facts.refs), default=0.0)
    for r in facts.refs:
        if r.source in idset and r.target in idset:
            edges.append(facts.referral_edge(r, width_max=vol_max))
    plain = (("provides", "provides"), ("entry", "entry"), ("has_need", "has_need"),
             ("addresses", "addresses"), ("part_of", "part_of"))
    if big:
        # Thousands of service → need edges make a hairball and slow the layout; each
        # service's tooltip still lists the needs it addresses.
        plain = tuple(p for p in plain if p[0] != "addresses")
    i = 0
    for u, v, kind in g.edges(data="kind"):
        if kind in dict(plain) and u in idset and v in idset:
            extra = {}
            if kind in ("has_need", "addresses"):
                extra = {"width": 0.8, "arrows": ""}
                if big:
                    # Forty needs shared by hundreds of segments would pull every segment
                    # into one knot; drawn, but without a spring.
                    extra["physics"] = False
            edges.append(plain_edge(i, u, v, kind, **extra))
            i += 1
    spread_parallel(edges)

    cluster = None
    if big:
        cluster = _clusters(g, nodes, facts, cluster_by)
        # Laid out here, once, for the picture the page opens with (one node per closed
        # group): the browser draws it at once instead of running physics on it, which
        # took most of the national page's time to become stable.
        place_collapsed(nodes, edges, cluster)
    label_ranks(nodes, edges, cluster)
    tr = facts.tr
    legend = (shape_legend(nodes, tr) + kind_legend(nodes, g, tr) + referral_legend(tr) + [
        {"item": "heading", "label": tr("Other edges")},
        legend_edge(tr("provides (actor → service)"), EDGE_COLOURS["provides"], 1.5),
        legend_edge(tr("entry (segment → first service)"), EDGE_COLOURS["entry"], 1.5),
        legend_edge(tr("need (segment / service → need)"), EDGE_COLOURS["has_need"], 1.5),
        legend_edge(tr("part of (unit → parent)"), EDGE_COLOURS["part_of"], 1.5),
        {"item": "heading", "label": tr("Size")},
        {"item": "text", "label": tr("service: capacity (or inflow) · segment: people · "
                                     "actor: services provided")},
    ] + finding_legend(tr))
    if cluster:
        legend += [{"item": "heading", "label": tr("Groups")},
                   legend_node(tr("a provider with its services (click to open)")
                               if cluster_by == "provider"
                               else tr("a region with its services (click to open)"), "dot",
                               "#e9ecef", "#343a40", "3 2")]
    nseg = len(nodes_of(g, "segment"))
    nact, nsvc, nref = len(nodes_of(g, "actor")), len(nodes_of(g, "service")), len(facts.refs)
    return View(
        kind="ecosystem",
        title=tr("Ecosystem · {name}").format(name=tr.title(g)),
        # each count in its own singular or plural (a region of 1 segment)
        subtitle=" · ".join([
            tr.ngettext("{n} actor", "{n} actors", nact).format(n=nact),
            tr.ngettext("{n} service", "{n} services", nsvc).format(n=nsvc),
            tr.ngettext("{n} segment", "{n} segments", nseg).format(n=nseg),
            tr.ngettext("{n} referral", "{n} referrals", nref).format(n=nref)]),
        nodes=nodes, edges=edges, legend=legend,
        segments=tr.by_name(g, nodes_of(g, "segment")), cluster=cluster,
        physics=not cluster, labels="lod",
    )


#: the order in which a fitted ecosystem labels its nodes, by type: a closed group (a
#: provider or region with its services), the segments (the people served), the outcomes
#: they are to reach, the actors, their services, the needs
LABEL_TIERS = {"cluster": 0, "segment": 1, "outcome": 2, "actor": 3, "service": 4, "need": 5}


def label_ranks(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                cluster: dict[str, Any] | None = None) -> None:
    """Number the nodes (and the cluster's groups) by how much their label matters when
    the whole ecosystem is on screen: ``rank`` 0 first. By type (:data:`LABEL_TIERS`), then
    the bigger (a segment's people, an actor's services provided, a service's capacity; a
    group's services), then the more connected, then by id, so the order is the same each
    time. The page draws labels in this order and skips one that would overlap a label
    already drawn (``polku-labels.js``), so the names that matter most at that scale show.

    >>> ns = [{"id": "n1", "ptype": "need", "size": 16}, {"id": "a", "ptype": "actor", "size": 14},
    ...       {"id": "b", "ptype": "actor", "size": 32}, {"id": "s", "ptype": "segment", "size": 16}]
    >>> label_ranks(ns, [{"from": "a", "to": "n1"}])
    >>> [n["id"] for n in sorted(ns, key=lambda n: n["rank"])]
    ['s', 'b', 'a', 'n1']
    """
    degree: dict[str, int] = {}
    for e in edges:
        for end in (e.get("from"), e.get("to")):
            degree[end] = degree.get(end, 0) + 1
    keyed: list[tuple[tuple[int, float, int, str], dict[str, Any]]] = [
        ((LABEL_TIERS.get(n.get("ptype", ""), len(LABEL_TIERS)), -float(n.get("size") or 0),
          -degree.get(n["id"], 0), n["id"]), n) for n in nodes]
    if cluster:
        keyed += [((0, -float(grp.get("services") or 0), 0, grp["id"]), grp)
                  for grp in cluster["groups"].values()]
    for rank, (_, item) in enumerate(sorted(keyed, key=lambda k: k[0])):
        item["rank"] = rank


def place_collapsed(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                    cluster: dict[str, Any], seed: int = 7) -> None:
    """Positions (``x``, ``y``) for what the page first draws when the ecosystem is
    clustered: each group of two or more members as one node (as ``polku-view.js`` closes
    them), every other node itself, an edge per pair of drawn nodes. A force-directed
    layout (networkx's ``spring_layout``, seeded, so the picture is the same each time),
    spread so that nodes keep apart (:func:`spread`); the groups' positions go on the groups,
    the others' on the nodes. A member of a closed group opens around its group's place."""
    members: dict[str, int] = {}
    for n in nodes:
        if n.get("cid"):
            members[n["cid"]] = members.get(n["cid"], 0) + 1

    def rep(n: dict[str, Any]) -> str:
        cid = n.get("cid")
        return f"cluster:{cid}" if cid and members[cid] > 1 else n["id"]

    drawn = {n["id"]: rep(n) for n in nodes}
    h = nx.Graph()
    h.add_nodes_from(sorted(set(drawn.values())))
    for e in edges:
        a, b = drawn.get(e["from"]), drawn.get(e["to"])
        if a and b and a != b:
            w = h.edges[a, b]["weight"] + 1 if h.has_edge(a, b) else 1
            h.add_edge(a, b, weight=w)
    if not len(h):
        return
    # A log weight: a group with hundreds of ties to another pulls, but does not crush.
    for _, _, d in h.edges(data=True):
        d["pull"] = 1 + math.log(d["weight"])
    pos = spread(nx.spring_layout(h, weight="pull", seed=seed, iterations=60))
    for n in nodes:
        if drawn[n["id"]] == n["id"]:
            n["x"], n["y"] = round(float(pos[n["id"]][0]), 1), round(float(pos[n["id"]][1]), 1)
    for key, grp in cluster["groups"].items():
        at = pos.get(f"cluster:{key}")
        if at is not None:
            grp["x"], grp["y"] = round(float(at[0]), 1), round(float(at[1]), 1)


def _clusters(g: nx.MultiDiGraph, nodes: list[dict[str, Any]], facts: Facts,
              cluster_by: str) -> dict[str, Any]:
    """Tag each service, each providing actor and each segment with the group it collapses
    into: a service goes with its first provider (or that provider's region), a segment
    with the group of its first entry service, so that a national picture starts as one
    node per provider (or region) and opens where a designer clicks."""
    groups: dict[str, dict[str, Any]] = {}
    tr = facts.tr

    def group(key: str, name: str, colour: str) -> dict[str, Any]:
        return groups.setdefault(key, {"id": f"cluster:{key}", "label": name, "colour": colour,
                                       "service": 0, "actor": 0, "segment": 0,
                                       "errors": 0, "warnings": 0, "sev": None})

    for node in nodes:
        n = node["gid"]
        if node["ptype"] == "service":
            prov = facts.providers.get(n) or []
            owner = prov[0] if prov else None
        elif node["ptype"] == "actor" and facts.targets(n, "provides"):
            owner = n
        else:
            continue
        if owner is None:
            key, name, colour = "none", tr("(no provider)"), NO_PROVIDER_COLOUR
        elif cluster_by == "region":
            region = g.nodes[owner].get("region")
            # the cluster keeps the area's Finnish name as its key (Vaasa and Vasa are
            # one), shows the reader's name
            key, name, colour = (f"region:{area_names(str(region)).get('fi') or region}", area_name(str(region), tr.lang),
                                 "#ced4da") if region else ("region:", tr("(no region)"),
                                                            "#ced4da")
        else:
            key, name = f"actor:{owner}", tr.label(g, owner)
            colour = facts.kind_colour(owner)
        node["cid"] = key
        grp = group(key, name, colour)
        grp[node["ptype"]] += 1
        if node.get("sev"):
            grp["errors" if node["sev"] == "error" else "warnings"] += 1
            # The ring speaks for the services and actors inside, not for the segments.
            if node["sev"] == "error" or not grp["sev"]:
                grp["sev"] = node["sev"]
    by_gid = {node["gid"]: node for node in nodes}
    for node in nodes:
        if node["ptype"] == "segment":
            entries = [by_gid[e] for e in facts.targets(node["gid"], "entry")
                       if e in by_gid and by_gid[e].get("cid")]
            if entries:
                node["cid"] = entries[0]["cid"]
                groups[node["cid"]]["segment"] += 1
    for grp in groups.values():
        counts = {"service": tr.ngettext("{n} service", "{n} services", grp["service"]),
                  "actor": tr.ngettext("{n} actor", "{n} actors", grp["actor"]),
                  "segment": tr.ngettext("{n} segment", "{n} segments", grp["segment"])}
        parts = [counts[t].format(n=grp[t]) for t in ("service", "actor", "segment") if grp[t]]
        marks = [(tr.ngettext("{n} with an error", "{n} with errors", grp["errors"])
                  if t == "errors" else
                  tr.ngettext("{n} with a warning", "{n} with warnings", grp["warnings"]))
                 .format(n=grp[t]) for t in ("errors", "warnings") if grp[t]]
        grp["title"] = (tr("Group: {name}").format(name=grp["label"]) + "\n" + ", ".join(parts)
                        + ("\n" + tr("Findings: {marks}").format(marks=", ".join(marks))
                           if marks else "")
                        + "\n" + tr("Click to open"))
        grp["services"] = grp["service"]
    return {"by": cluster_by, "groups": groups}



def spread(pos: dict[str, Any], typical: float = 130.0, least: float = 75.0,
           rounds: int = 40) -> dict[str, Any]:
    """Layout positions scaled so that the median distance to the nearest neighbour is
    ``typical`` px, then pushed apart pair by pair until no two are closer than ``least``
    (a node with its label needs about that much), in at most ``rounds`` passes.

    >>> p = spread({"a": (0.0, 0.0), "b": (0.001, 0.0), "c": (1.0, 1.0)})
    >>> import math; math.dist(p["a"], p["b"]) >= 74.9
    True
    """
    import numpy as np

    ids = list(pos)
    if len(ids) < 2:
        return {i: (0.0, 0.0) for i in ids}
    xy = np.array([pos[i] for i in ids], dtype=float)
    rng = np.random.default_rng(7)
    xy += rng.normal(scale=1e-6, size=xy.shape)  # no two exactly on one spot

    def distances() -> tuple[Any, Any]:
        d = xy[:, None, :] - xy[None, :, :]
        r = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(r, np.inf)
        return d, r

    _, r = distances()
    xy *= typical / max(float(np.median(r.min(axis=1))), 1e-9)
    for _ in range(rounds):
        d, r = distances()
        close = r < least
        if not close.any():
            break
        # only close pairs are divided: the diagonal's inf would make inf/inf (a NaN and a
        # RuntimeWarning) in the branch np.where throws away
        near = np.where(close, r, least)
        push = np.where(close, (least - near) / (2 * np.maximum(near, 1e-9)), 0.0)
        xy += (d * push[:, :, None]).sum(axis=1)
    return {i: (float(x), float(y)) for i, (x, y) in zip(ids, xy)}
