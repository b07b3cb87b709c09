"""What if: remove a service, an actor or a referral, and see which findings that creates
and which it resolves.

What a removal takes with it (decided here; the README lists it):

- a **service**: the service node and every edge of it; every referral from or to it (a
  referral cannot exist without its ends), and with them the responsibilities on those
  referrals; the service's steps in designed paths (so the steps around it become
  consecutive, which usually shows up as a new ``path-broken``); segments lose it as an
  entry.
- an **actor**: the actor and its units (actors that are ``part_of`` it, transitively:
  an organisation provides through its units), with every edge of them: what they
  provide, their responsibilities; referrals they own lose their owner. Services they
  provided stay; those they alone provided now have no provider and show up as
  ``service-without-provider`` (a gap to fill, not a service gone).
- a **referral**: the referral node and every edge of it (its responsibilities too).

Findings are matched by their stable key (:attr:`Finding.identity`: a finding whose
related ids or figures change is the same finding). A finding that vanishes is not always
good news: the result separates findings that are genuinely ``resolved`` from those gone
with what was removed (``removed_with``), each of these with its ``reason``
(:func:`polku.analyses.vanished.why_vanished`): ``removed`` (its subject or a related id
went with the removal) or ``unreachable`` (its subject or a related service can no longer
be reached: removing a service that a segment reached two overlapping services through is
a loss of access, not an overlap resolved).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.errors import NodeTypes, PolkuError
from polku.finding import Finding
from polku.graph import close_id
from polku.analyses.findings import LONG_WAIT_DAYS, find
from polku.analyses.vanished import RESOLVED, why_vanished
from polku.words import N_

REMOVABLE = ("service", "actor", "referral")


def remove(g: nx.MultiDiGraph, node: str) -> tuple[nx.MultiDiGraph, list[str]]:
    """A copy of ``g`` without ``node`` and what goes with it; also the removed node ids.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service")
    >>> g.add_node("r", type="referral"); add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> h, gone = remove(g, "a"); gone
    ['a', 'r']
    """
    if node not in g:
        raise PolkuError(N_("unknown id '{id}': no service, actor or referral has it"),
                         params={"id": node}, node=node, field="remove",
                         close=close_id(g, node, REMOVABLE))
    t = g.nodes[node].get("type")
    if t not in REMOVABLE:
        raise PolkuError(N_("'{id}' is {type}; what-if removes a service, an actor or a "
                            "referral"), params={"id": node, "type": NodeTypes((str(t),),
                                                                               article=True)},
                         node=node, field="remove", close=close_id(g, node, REMOVABLE))
    h = g.copy()
    gone = [node]
    if t == "service":
        for r, _, kind in g.in_edges(node, data="kind"):
            if kind in ("from", "to") and g.nodes[r].get("type") == "referral":
                gone.append(r)
    elif t == "actor":
        # An organisation provides through its units: they go with it (transitively).
        stack = [node]
        while stack:
            parent = stack.pop()
            for unit, _, kind in g.in_edges(parent, data="kind"):
                if kind == "part_of" and unit not in gone:
                    gone.append(unit)
                    stack.append(unit)
    h.remove_nodes_from(gone)
    return h, sorted(set(gone))


def whatif(g: nx.MultiDiGraph, node: str, long_wait_days: float = LONG_WAIT_DAYS,
           before: list[Finding] | None = None) -> dict[str, Any]:
    """Findings created, resolved and gone with what was removed (each vanished finding
    with its ``reason``: ``resolved``, ``removed`` or ``unreachable``) when ``node`` is removed
    (ids and numbers; :func:`polku.present.results.whatif_worded` adds the removed node's
    name and the findings' messages, all worded from ``g``, which holds every node of both).

    ``before`` lets a caller pass the graph's findings if it already has them.
    """
    h, gone = remove(g, node)
    before = before if before is not None else find(g, long_wait_days)
    after = find(h, long_wait_days)
    old = {f.identity: f for f in before}
    new = {f.identity: f for f in after}
    created = [f for k, f in new.items() if k not in old]
    vanished = [f for k, f in old.items() if k not in new]
    why = why_vanished(g, h, before, after, vanished)
    return {
        "graph": g.graph.get("name", "graph"),
        "removed": node,
        "removed_type": g.nodes[node].get("type"),
        "removed_ids": gone,
        "created": [f.to_dict() for f in created],
        "resolved": [dict(f.to_dict(), reason=r) for f, r in zip(vanished, why)
                     if r == RESOLVED],
        "removed_with": [dict(f.to_dict(), reason=r) for f, r in zip(vanished, why)
                         if r != RESOLVED],
        "before": len(before),
        "after": len(after),
    }
