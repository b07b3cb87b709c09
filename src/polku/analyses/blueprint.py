"""Service blueprints: a path as the organisations that carry it see it.

A blueprint lays a path out as a grid: one *lane* per providing unit (an actor; the
client's lane on top: the segment, and the outcome the path ends in), each lane saying its
*organisation* (:func:`polku.analyses.handoffs.organisation`) and an organisation's lanes
together, the *steps* left to right, each in the lane of the unit that provides it, and
between two steps the *hand-off*: the
referral (ohjaus) that carries the client on, with its median wait, its volume, whether
the client's information travels with it and who answers for it (vastuutaho). Beneath, the
needs of the segment each step meets, and the needs the whole path leaves uncovered.

Two kinds of subject:

* a **designed path** (the ``paths`` sheet): its steps as the designer wrote them; a step
  pair no referral of the path's segment carries is a *broken* hand-off (the same rule as
  the ``path-broken`` finding);
* a **segment**: its ``k`` best paths (:func:`polku.analyses.paths.best_paths`), one
  blueprint each, best first.

Which lane a step goes in: the organisation that carries it along the path
(:func:`polku.analyses.paths.carriers`: the fewest changes of organisation, then the one
that leads the service), and among its providers in that organisation the one that leads
the service (a ``lead`` responsibility on it, held by the provider or by an organisation it
is part of: the one accountable), else the lane the client is already in when it is one of
them (no needless lane change), else one that already has a lane, else the first by id;
the others are named in ``also``. A service with no provider goes in the lane of nobody
(``role: unprovided``), which the picture marks as a gap. The organisations are ordered by
the step that first enters them, each one's lanes together, in the order steps enter them.
A hand-off is ``between`` organisations exactly when the organisation changes, so
``handoffs_between`` counts the crossings between two organisations' lanes, and it is the
path's own ``handoffs``.

Needs met follow :func:`polku.analyses.paths.coverage`: a step meets the needs of the
segment that its service addresses, when the service is for the segment.

Privacy: on a published graph (:func:`polku.privacy.suppress`) a small volume is gone from
the referral; the hand-off then says ``volume_hidden`` (the page writes ``<5``).

>>> from polku.graph import new_graph, add_edge
>>> g = new_graph()
>>> for a in ("kunta", "kela"): g.add_node(a, type="actor", name=a.title())
>>> g.add_node("s", type="segment"); g.add_node("o", type="outcome")
>>> g.add_node("debt", type="need"); g.add_node("home", type="need")
>>> add_edge(g, "s", "debt", "has_need"); add_edge(g, "s", "home", "has_need")
>>> for svc, prov in (("a", "kunta"), ("b", "kela")):
...     g.add_node(svc, type="service"); add_edge(g, prov, svc, "provides")
>>> add_edge(g, "s", "a", "entry"); add_edge(g, "b", "debt", "addresses")
>>> for r, u, v, w in (("r1", "a", "b", 14), ("r2", "b", "o", None)):
...     g.add_node(r, type="referral", median_wait_days=w, volume_per_month=12,
...                information_flow="yes" if w else "unknown")
...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to"); add_edge(g, r, "kunta", "owner")
>>> bp = blueprint(g, "s")["blueprints"][0]
>>> [(lane["node"], lane["role"]) for lane in bp["lanes"]]
[('s', 'client'), ('kunta', 'organisation'), ('kela', 'organisation')]
>>> [(s["node"], s["lane"], s["needs_met"]) for s in bp["steps"]]
[('a', 1, []), ('b', 2, ['debt']), ('o', 0, [])]
>>> [(h["referral"], h["wait"], h["volume_per_month"], h["information"], h["owner"], h["between"])
...  for h in bp["handoffs"]]
[('r1', 14, 12, 'yes', 'kunta', True), ('r2', None, 12, 'unknown', 'kunta', False)]
>>> bp["covered"], bp["uncovered"]
(['debt'], ['home'])
"""

from __future__ import annotations

from typing import Any, Sequence

import networkx as nx

from polku.errors import PolkuError
from polku.finding import number
from polku.words import N_
from polku.analyses.paths import (best_paths, carriers, check_segment, check_target,
                                  designed_paths, handoffs_along)
from polku.analyses.reach import Ecosystem, ecosystem

#: lane roles: the client's own lane, an organisation's, and the lane of steps nobody provides
CLIENT, ORGANISATION, UNPROVIDED = "client", "organisation", "unprovided"


def blueprint(g: nx.MultiDiGraph, subject: str, k: int = 3,
              paths: Sequence[dict[str, Any]] | None = None,
              eco: Ecosystem | None = None, to: str | None = None) -> dict[str, Any]:
    """The blueprints of ``subject``, a designed path or a segment (see the module doc):
    ``{"subject", "kind": "path" | "segment", "segment", "to", "needs": the segment's
    needs, "blueprints": [...]}``. For a segment, ``paths`` are its best paths when the
    caller has them (else the ``k`` best are found here, to the outcome ``to`` when
    given; a designed path takes no ``to``). Each blueprint has ``path`` (the designed
    path's id, or None), ``rank``, ``outcome``, ``lanes`` (``node``, ``role``,
    ``organisation``), ``steps``
    (``node``, ``type``, ``lane``: an index into ``lanes``, ``also``: the other providers,
    ``needs_met``, ``eligible``), ``handoffs`` (``from``/``to``: step indexes,
    ``referral``, ``wait``, ``volume_per_month``, ``volume_hidden``, ``information``, ``owner``,
    ``between``: between organisations, ``broken``), ``covered``, ``uncovered``,
    ``total_wait_days``, ``unknown_waits`` and ``handoffs_between``.

    An id that is neither a designed path nor a segment → :class:`PolkuError` (field
    ``view``).
    """
    eco = eco or ecosystem(g)
    kind = g.nodes[subject].get("type") if subject in g else None
    if kind in ("path", "segment"):
        check_target(g, to, subject)
    if kind == "path":
        found = [p for p in designed_paths(g, None, eco) if p["path"] == subject]
        segment = found[0]["segment"] if found else None
        drawn = [_one(g, eco, p, segment, path=subject, rank=None) for p in found]
    elif kind == "segment":
        check_segment(g, subject)
        segment = subject
        chosen = list(paths) if paths is not None else best_paths(g, subject, k=k, to=to,
                                                                  eco=eco)
        drawn = [_one(g, eco, p, segment, path=None, rank=p.get("rank", i))
                 for i, p in enumerate(chosen[:k], start=1)]
    else:
        raise PolkuError(N_("no such designed path or client segment: '{id}'"),
                         params={"id": subject}, node=subject, field="view")
    return {"subject": subject, "kind": kind, "segment": segment, "to": to,
            "needs": list(eco.segment_needs.get(segment, ())) if segment else [],
            "blueprints": drawn}


def _ancestry(g: nx.MultiDiGraph, actor: str) -> set[str]:
    """The actor and every organisation it is part of."""
    out, todo = set(), [actor]
    while todo:
        a = todo.pop()
        if a in out:
            continue
        out.add(a)
        todo += [v for _, v, kind in g.out_edges(a, data="kind") if kind == "part_of"]
    return out


def _one(g: nx.MultiDiGraph, eco: Ecosystem, found: dict[str, Any], segment: str | None,
         path: str | None, rank: int | None) -> dict[str, Any]:
    """One path (a designed path or a best path, as :mod:`polku.analyses.paths` gives it)
    as a blueprint."""
    nodes = [step["node"] for step in found["steps"]]
    # the organisation carrying each step, and so the hand-offs between organisations: as
    # the path's own count has them (one rule, polku.analyses.paths.carriers)
    carried = carriers(eco, nodes)
    between = handoffs_along(eco, nodes, carried)
    units: list[str | None] = []    # each lane's actor, in the order steps enter them
    unit_of: list[str | None] = []  # each step's actor (None: an outcome or nobody)
    here: str | None = None
    for node, org in zip(nodes, carried):
        if node in eco.outcomes:
            unit_of.append(None)
            continue
        # the providers in the organisation that carries the step: the one that leads the
        # service, else the one the client is already with (no needless lane change),
        # else one that already has a lane, else the first by id
        providers = sorted(p for p in eco.providers.get(node, ())
                           if eco.actor_organisation.get(p, p) == org)
        if not providers:
            unit = None
        else:
            leading = [p for p in providers if _ancestry(g, p) & eco.leads.get(node, set())]
            unit = (leading[0] if len(leading) == 1 else here if here in providers else
                    next((p for p in providers if p in units), providers[0]))
        if unit not in units:
            units.append(unit)
        unit_of.append(unit)
        here = unit
    # an organisation's lanes together, the organisations in the order the path enters
    # them (nobody's lane as one of its own)
    orgs = list(dict.fromkeys(None if u is None else eco.actor_organisation.get(u, u)
                              for u in units))
    ordered = sorted(units, key=lambda u: (
        orgs.index(None if u is None else eco.actor_organisation.get(u, u)), units.index(u)))
    lanes: list[dict[str, Any]] = [{"node": segment, "role": CLIENT, "organisation": None}]
    lanes += [{"node": u, "role": UNPROVIDED, "organisation": None} if u is None else
              {"node": u, "role": ORGANISATION,
               "organisation": eco.actor_organisation.get(u, u)} for u in ordered]
    lane_of = {u: i for i, u in enumerate(ordered, start=1)}
    steps: list[dict[str, Any]] = []
    for node, unit in zip(nodes, unit_of):
        lane = 0 if node in eco.outcomes else lane_of[unit]
        also = [p for p in sorted(eco.providers.get(node, ())) if p != unit] \
            if node not in eco.outcomes else []
        eligible = node in eco.outcomes or segment is None or eco.eligible(node, segment)
        needs = eco.segment_needs.get(segment, ()) if segment else ()
        met = sorted(n for n in needs if n in eco.service_needs.get(node, ())) \
            if node in eco.services and eligible else []
        steps.append({"node": node, "type": "outcome" if node in eco.outcomes else "service",
                      "lane": lane, "also": also, "needs_met": met, "eligible": eligible})
    handoffs = []
    for i, step in enumerate(found["steps"][1:], start=1):
        rid = step.get("referral")
        data = g.nodes[rid] if rid in g else {}
        ref = eco.refs.get(rid) if rid else None
        handoffs.append({
            "from": i - 1, "to": i, "referral": rid,
            "wait": number(ref.wait) if ref else None,
            "volume_per_month": number(data.get("volume_per_month")),
            "volume_hidden": "volume_per_month" in (data.get("suppressed") or ()),
            "information": ref.info if ref else None,
            "owner": step.get("owner"),
            "between": between[i],
            "broken": bool(step.get("broken")) or rid is None,
        })
    return {"path": path, "rank": rank, "outcome": found["steps"][-1]["node"]
            if found["steps"] else None,
            "lanes": lanes, "steps": steps, "handoffs": handoffs,
            "covered": list(found.get("covered", [])),
            "uncovered": list(found.get("uncovered", [])),
            "total_wait_days": found.get("total_wait_days", 0),
            "unknown_waits": found.get("unknown_waits", 0),
            "handoffs_between": sum(between)}
