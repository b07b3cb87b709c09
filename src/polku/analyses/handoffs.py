"""Hand-offs between organisations: the ecosystem as a leader reads it, one row per
organisation and one per pair of organisations that refer clients to each other, instead of
a picture of every service.

An actor belongs to an *organisation*: up its ``part_of`` chain while the parent is of the
same kind (a unit of the wellbeing services county belongs to the county; an employment area
hosted by a city stays an organisation of its own kind). A service belongs to the
organisation that leads it among its providers' organisations (a ``lead`` row on the
service whose actor's organisation provides it; the first such lead by id), else to its
first provider's (by id); a referral between two services is a *hand-off*
when the organisations of their providers do not meet (a path of those two steps counts
one in :mod:`polku.analyses.paths`, whose longer paths count the fewest changes of
organisation: :func:`polku.analyses.paths.carriers`); a referral into an outcome is none.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

import networkx as nx

from polku.graph import nodes_of, referrals
from polku.privacy import suppressed_referrals


def organisation(g: nx.MultiDiGraph, actor: str) -> str:
    """The organisation an actor belongs to (see the module doc).

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a, kind in (("city", "municipality"), ("area", "employment-area"),
    ...                 ("unit", "employment-area")):
    ...     g.add_node(a, type="actor", kind=kind)
    >>> add_edge(g, "area", "city", "part_of"); add_edge(g, "unit", "area", "part_of")
    >>> organisation(g, "unit"), organisation(g, "area")
    ('area', 'area')
    """
    return organisation_in(
        actor, lambda a: g.nodes[a].get("kind") if a in g else None,
        lambda a: sorted(v for _, v, k in g.out_edges(a, data="kind") if k == "part_of")
        if a in g else [])


def organisation_in(actor: str, kind_of: Callable[[str], Any],
                    parents_of: Callable[[str], list[str]]) -> str:
    """:func:`organisation` over any index of the actors' kinds and ``part_of`` parents
    (sorted): up the chain while the first parent is of the same kind.

    >>> organisation_in("unit", {"unit": "county", "keusote": "county"}.get,
    ...                 {"unit": ["keusote"]}.get)
    'keusote'
    """
    return chain_in(actor, kind_of, parents_of)[-1]


def chain_in(actor: str, kind_of: Callable[[str], Any],
             parents_of: Callable[[str], list[str]]) -> tuple[str, ...]:
    """The actors that answer for what ``actor`` does: itself, then up its ``part_of``
    chain while the first parent is of the same kind; the last is its organisation. An
    organisation answers for its units, so these are the actors whose findings include
    the ones ``actor`` is accountable for (:func:`polku.analyses.accountable.for_actor`).

    >>> chain_in("team", {"team": "county", "unit": "county", "keusote": "county"}.get,
    ...          {"team": ["unit"], "unit": ["keusote"]}.get)
    ('team', 'unit', 'keusote')
    """
    chain = [actor]
    while True:
        kind = kind_of(actor)
        parents = parents_of(actor) or []
        if not parents or parents[0] in chain or kind_of(parents[0]) != kind:
            return tuple(chain)
        actor = parents[0]
        chain.append(actor)


def organisation_chains(g: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """Every actor of ``g`` → :func:`chain_in` (itself up to its organisation), read in
    one pass over the ``part_of`` edges.

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("keusote", "unit"): g.add_node(a, type="actor", kind="wellbeing-county")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> organisation_chains(g)["unit"]
    ('unit', 'keusote')
    """
    kinds = {n: d.get("kind") for n, d in g.nodes(data=True) if d.get("type") == "actor"}
    parents: dict[str, list[str]] = defaultdict(list)
    for u, v, k in g.edges(data="kind"):
        if k == "part_of":
            parents[u].append(v)
    for ps in parents.values():
        ps.sort()
    return {a: chain_in(a, kinds.get, lambda x: parents.get(x, [])) for a in kinds}


def service_organisations(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Service → the organisations of its providers, the one the service belongs to first:
    the organisation of its lead when that organisation provides it (the first such lead by
    id), else the first provider's (by id)."""
    out: dict[str, list[str]] = defaultdict(list)
    provides, leads = [], defaultdict(list)
    for a, s, d in g.edges(data=True):
        if d.get("kind") == "provides":
            provides.append((s, a))
        elif d.get("kind") == "responsibility" and d.get("role") == "lead":
            leads[s].append(a)
    # an actor provides many services: its organisation is looked up once, not per service
    org_of: dict[str, str] = {}

    def org(a: str) -> str:
        found = org_of.get(a)
        if found is None:
            found = org_of[a] = organisation(g, a)
        return found

    for s, a in sorted(provides):
        if g.nodes[s].get("type") == "service" and org(a) not in out[s]:
            out[s].append(org(a))
    for s, orgs in out.items():
        home = next((org(a) for a in sorted(leads.get(s, ())) if org(a) in orgs), None)
        if home is not None and home != orgs[0]:
            orgs.remove(home)
            orgs.insert(0, home)
    return dict(out)


def handoff_summary(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Each organisation's services and hand-offs to and from other organisations (with
    clients a month), and each pair of organisations with the referrals from one to the
    other: how many, clients a month, how many carry no client information or nobody
    knows, how many have no owner. Organisations with the most hand-offs first; pairs by
    clients a month, then referrals. In a published graph (:func:`polku.privacy.suppress`)
    a figure that a suppressed volume is part of is the sum of the volumes shown, and its
    name is listed in the record's ``partial``: the reader learns *at least so many*.

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("x", "y"): g.add_node(a, type="actor", kind="municipality")
    >>> for s, a in (("s1", "x"), ("s2", "y"), ("s3", "y")):
    ...     g.add_node(s, type="service"); add_edge(g, a, s, "provides")
    >>> for r, a, b, flow in (("r1", "s1", "s2", "no"), ("r2", "s2", "s3", "yes")):
    ...     g.add_node(r, type="referral", volume_per_month=10, information_flow=flow)
    ...     add_edge(g, r, a, "from"); add_edge(g, r, b, "to")
    >>> s = handoff_summary(g)
    >>> [(o["id"], o["services"], o["out"], o["in"], o["within"]) for o in s["organisations"]]
    [('y', 2, 0, 1, 1), ('x', 1, 1, 0, 0)]
    >>> [(p["from"], p["to"], p["referrals"], p["clients"], p["no_information"]) for p in s["pairs"]]
    [('x', 'y', 1, 10.0, 1)]
    """
    orgs_of = service_organisations(g)
    rows: dict[str, dict[str, Any]] = {}

    def row(org: str) -> dict[str, Any]:
        return rows.setdefault(org, {"id": org, "services": 0, "out": 0, "in": 0, "within": 0,
                                     "clients_out": 0.0, "clients_in": 0.0})

    for s, orgs in orgs_of.items():
        row(orgs[0])["services"] += 1
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    # a total that a suppressed volume (a published graph's) is part of is the sum of the
    # volumes shown, marked partial: read as such it would say that fewer clients move
    suppressed = suppressed_referrals(g)
    for r in referrals(g):
        a, b = orgs_of.get(r.source), orgs_of.get(r.target)
        if not a or not b or g.nodes[r.target].get("type") != "service":
            continue
        clients = float(r.volume_per_month or 0)
        if set(a) & set(b):
            row(a[0])["within"] += 1
            continue
        row(a[0])["out"] += 1
        row(a[0])["clients_out"] += clients
        row(b[0])["in"] += 1
        row(b[0])["clients_in"] += clients
        p = pairs.setdefault((a[0], b[0]), {"from": a[0], "to": b[0], "referrals": 0,
                                            "clients": 0.0, "no_information": 0,
                                            "unknown_information": 0, "no_owner": 0})
        if r.id in suppressed:
            for record, key in ((row(a[0]), "clients_out"), (row(b[0]), "clients_in"),
                                (p, "clients")):
                record.setdefault("partial", []).append(key)
        p["referrals"] += 1
        p["clients"] += clients
        flow = r.information_flow or "unknown"
        p["no_information"] += flow == "no"
        p["unknown_information"] += flow not in ("yes", "no")
        p["no_owner"] += not r.owner and not any(
            d.get("kind") == "responsibility" and d.get("role") == "lead"
            for _, _, d in g.in_edges(r.id, data=True))
    for record in (*rows.values(), *pairs.values()):
        if "partial" in record:
            record["partial"] = sorted(set(record["partial"]))
    organisations = sorted(rows.values(), key=lambda o: (-(o["out"] + o["in"]),
                                                         -o["services"], o["id"]))
    # a pair ranks by the clients shown: a hidden volume may not move it up or down
    return {"organisations": organisations,
            "pairs": sorted(pairs.values(), key=lambda p: (-p["clients"], -p["referrals"],
                                                           p["from"], p["to"])),
            "actors": len(nodes_of(g, "actor"))}
