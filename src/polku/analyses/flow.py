"""Client flow per service: how many clients a month the referrals bring in and send on.

One computation for every analysis that asks: the ``over-capacity`` finding
(:mod:`polku.analyses.findings`), the flow ranking (:mod:`polku.analyses.bottlenecks`) and
the queueing what-if (:mod:`polku.analyses.queues`). Before, each summed the volumes itself
and the three disagreed at the edges (a volume of 0, a referral into an outcome); now a
change to what "inflow" means is one change here.

A referral counts towards its target's inflow (and its source's outflow) when its
``volume_per_month`` is given, 0 included: an empty cell is "not said", 0 is said. Only
services have a flow here (a referral into an outcome is no one's inflow).
"""

from __future__ import annotations

from dataclasses import dataclass
from polku.analyses.reach import Ecosystem


@dataclass(frozen=True)
class Inflow:
    """The clients a month into one service (``volume``) and the referrals that say so
    (``referrals``, the ids of every referral into it with a volume, sorted)."""
    volume: float
    referrals: tuple[str, ...]


def inflows(eco: Ecosystem) -> dict[str, Inflow]:
    """Service → its :class:`Inflow`; a service that no referral with a volume enters is
    absent (its arrivals are not known).

    Volumes are added in referral-id order, so every caller gets the same float.

    >>> from polku.graph import new_graph, add_edge
    >>> from polku.analyses.reach import ecosystem
    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service")
    >>> for r, vol in (("r1", 4), ("r2", 0), ("r3", None)):
    ...     g.add_node(r, type="referral", volume_per_month=vol)
    ...     add_edge(g, r, "a", "from"); add_edge(g, r, "b", "to")
    >>> inflows(ecosystem(g))
    {'b': Inflow(volume=4.0, referrals=('r1', 'r2'))}
    """
    total: dict[str, float] = {}
    into: dict[str, list[str]] = {}
    services = eco.services
    for rid, ref in eco.refs.items():
        vol = ref.volume
        target = ref.target
        if vol is None or target not in services:
            continue
        total[target] = total.get(target, 0.0) + vol
        into.setdefault(target, []).append(rid)
    return {s: Inflow(total[s], tuple(into[s])) for s in total}


def outflows(eco: Ecosystem) -> dict[str, float]:
    """Service → the summed volume of the referrals out of it that state one (absent when
    none does).

    >>> from polku.graph import new_graph, add_edge
    >>> from polku.analyses.reach import ecosystem
    >>> g = new_graph(); g.add_node("a", type="service"); g.add_node("o", type="outcome")
    >>> g.add_node("r", type="referral", volume_per_month=3)
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "o", "to")
    >>> outflows(ecosystem(g))
    {'a': 3.0}
    """
    out: dict[str, float] = {}
    services = eco.services
    for ref in eco.refs.values():
        if ref.volume is not None and ref.source in services:
            out[ref.source] = out.get(ref.source, 0.0) + ref.volume
    return out
