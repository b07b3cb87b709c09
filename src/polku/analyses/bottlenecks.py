"""Bottlenecks: services ranked by structural importance and by flow, beside the findings
that name real bottlenecks (``over-capacity`` and ``single-point-of-failure``).

Being central is not a defect, so the ranking is not a finding (``docs/findings.md``,
"Ranking, not findings"); it tells a leader where a disruption would spread furthest.

- *Betweenness*: normalised betweenness centrality of each service on the referral graph,
  a simple directed graph whose nodes are services and outcomes and whose edges are
  referrals (parallel referrals between one pair are one edge). Exact, computed by
  rustworkx: networkx needed 602 s on a 10k-node, 50k-edge graph, rustworkx about 20 s,
  and the two agree (tests/test_bottlenecks.py checks against networkx on small graphs).
- *Flow*: ``inflow`` (sum of ``volume_per_month`` over referrals into the service, as
  :mod:`polku.analyses.flow` computes it for every analysis; null when no referral with a
  volume enters it, as for an entry service: no figure, not 0),
  ``capacity`` (``capacity_per_month``) and ``utilization`` (inflow / capacity, 2 decimals,
  more where an inflow above the capacity would read 1.00: 1.001; null without a
  capacity, when the capacity is 0 and when the inflow is null). A capacity of 0 that
  clients are referred to (:func:`zero_capacity_with_clients`) is fuller than any figure
  says: it leads the ranking by flow, and every door writes its utilisation ``∞``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.finding import Finding, above, number
from polku.graph import label
from polku.analyses.flow import inflows, outflows
# lower_bounds lives with the privacy rules: a public finding about a hidden service
# says the same bound (polku.privacy.published_answer)
from polku.privacy import hidden_services, lower_bounds
from polku.analyses.reach import Ecosystem, ecosystem

BOTTLENECK_KINDS = ("over-capacity", "single-point-of-failure")
#: a ranking row's lower bounds where it has none (a row whose flow is shown, or a hidden
#: one no published volume enters: :func:`polku.privacy.lower_bounds`)
NO_BOUNDS = {"inflow_at_least": None, "utilization_at_least": None}


def referral_graph(g: nx.MultiDiGraph, eco: Ecosystem | None = None) -> nx.DiGraph:
    """Services and outcomes, with an edge ``u → v`` wherever a referral goes from u to v.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("a", type="service"); g.add_node("o", type="outcome")
    >>> g.add_node("r", type="referral"); add_edge(g, "r", "a", "from"); add_edge(g, "r", "o", "to")
    >>> sorted(referral_graph(g).edges())
    [('a', 'o')]
    """
    eco = eco or ecosystem(g)
    rg = nx.DiGraph()
    rg.add_nodes_from(sorted(eco.services | eco.outcomes))
    for u in sorted(eco.out_refs):
        for _, v, _ in eco.out_refs[u]:
            rg.add_edge(u, v)
    return rg


def betweenness(rg: nx.DiGraph) -> dict[str, float]:
    """Normalised directed betweenness centrality of every node of ``rg`` (rustworkx).

    Same numbers as ``nx.betweenness_centrality(rg, normalized=True)``, in compiled code.
    """
    import rustworkx as rx

    nodes = list(rg.nodes())
    if len(nodes) < 3:
        return {n: 0.0 for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    dg = rx.PyDiGraph(multigraph=False)
    dg.add_nodes_from(nodes)
    dg.add_edges_from_no_data([(index[u], index[v]) for u, v in rg.edges()])
    scores = rx.digraph_betweenness_centrality(dg, normalized=True)
    return {nodes[i]: float(scores[i]) for i in dg.node_indices()}


def flow(eco: Ecosystem) -> dict[str, dict[str, Any]]:
    """Per service: inflow, outflow, capacity and utilization (see the module doc)."""
    inflow = {s: i.volume for s, i in inflows(eco).items()}
    outflow = outflows(eco)
    out = {}
    for s in sorted(eco.services):
        cap = eco.capacity.get(s)
        # no referral with a volume into it (an entry service): its inflow is not known,
        # "–" as the legend says and the what-if shows it, not a 0 nobody measured
        known = inflow.get(s)
        row: dict[str, Any] = {"inflow": None if known is None else number(round(known, 6)),
                               "outflow": number(round(outflow.get(s, 0.0), 6)),
                               "capacity": number(cap), "utilization": None}
        if cap and known is not None:
            # an overload never reads 1.0: the decimals it takes to read above 1
            row["utilization"] = above(known / cap, 1, 2)
        out[s] = row
    return out


def ranking(g: nx.MultiDiGraph, eco: Ecosystem | None = None) -> list[dict[str, Any]]:
    """Every service with its betweenness and flow, most central first (ties: higher
    utilization, higher inflow, then id).

    A service of a published graph whose inflow rests on a suppressed volume
    (:func:`polku.privacy.hidden_services`) is ``hidden``: its flow is not known to the
    reader, so no order depends on it (among equally central services it comes after the
    others, by id); its ``inflow_at_least`` and ``utilization_at_least`` say what the
    published volumes into it still say (:func:`polku.privacy.lower_bounds`; None on
    every other row). ``outflow_partial``: a suppressed volume leaves the service, so its
    outflow is of the volumes shown, at least that. Every row has the same keys.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service", name=n.upper())
    >>> for r, u, v in (("r1", "a", "b"), ("r2", "b", "c")):
    ...     g.add_node(r, type="referral"); add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> [(row["service"], row["betweenness"]) for row in ranking(g)]
    [('b', 0.5), ('a', 0.0), ('c', 0.0)]
    """
    eco = eco or ecosystem(g)
    bc = betweenness(referral_graph(g, eco))
    fl = flow(eco)
    hidden = hidden_services(g)
    # a suppressed referral out of a service: its outflow is of the volumes shown, at least
    hidden_out = hidden_services(g, end="from")
    rows = []
    for s in eco.services:
        # every row has the same keys (a table of them has no column missing here and
        # there): the bounds say something on a hidden row only, None elsewhere
        rows.append({"service": s, "label": label(g, s), "betweenness": round(bc.get(s, 0.0), 6),
                     **fl[s], "hidden": s in hidden, "outflow_partial": s in hidden_out,
                     **NO_BOUNDS})
        if s in hidden:
            rows[-1].update(lower_bounds(fl[s]))
    rows.sort(key=lambda r: (-r["betweenness"], r["hidden"]) + _by_flow(r))
    for i, row in enumerate(rows, start=1):
        row["rank"] = row["betweenness_rank"] = i
    for i, row in enumerate(flow_ranking(rows), start=1):
        row["flow_rank"] = i
    return rows


def zero_capacity_with_clients(row: dict[str, Any]) -> bool:
    """Whether a ranking row is a capacity of 0 that clients are referred to: its
    utilization is null, as no number says it, yet it is full beyond any figure (``∞`` on
    every door), not a service without a capacity or without a known inflow ("–"). A hidden
    row by the published part of its inflow (``inflow_at_least``), so that nothing hidden
    decides it; an inflow shown as a small cell (``<5``) is 1 or more.

    >>> zero_capacity_with_clients({"capacity": 0, "inflow": 9})
    True
    >>> [zero_capacity_with_clients(r) for r in ({"capacity": 0, "inflow": 0},
    ...                                          {"capacity": None, "inflow": 9})]
    [False, False]
    >>> zero_capacity_with_clients({"capacity": 0, "inflow": None, "hidden": True,
    ...                             "inflow_at_least": 6})
    True
    """
    inflow = row.get("inflow_at_least") if row.get("hidden") else row.get("inflow")
    return row.get("capacity") == 0 and (isinstance(inflow, str) or (inflow or 0) > 0)


def _load(r: dict[str, Any]) -> float | None:
    """The row's utilization for ordering: a capacity of 0 that clients are referred to is
    full beyond any figure (its utilization is null, as no number says it), not a service
    without a capacity; None when there is nothing to order by."""
    if r["utilization"] is None and r.get("capacity") == 0 and (r.get("inflow") or 0) > 0:
        return float("inf")
    return r["utilization"]


def _by_flow(r: dict[str, Any]) -> tuple:
    """Higher utilization, then higher inflow, then id; a hidden row by its id alone."""
    if r.get("hidden"):
        return (0, 0, r["service"])
    return (-(_load(r) or 0), -(r["inflow"] or 0), r["service"])


def flow_ranking(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same rows ordered by flow: utilization (services without capacity last; a
    capacity of 0 with clients referred to it first, as the fullest of all), then inflow,
    then id; hidden rows after all the others, by id (their order would say what is
    hidden).

    >>> rows = [{"service": "a", "utilization": 0.5, "inflow": 5, "hidden": False},
    ...         {"service": "h", "utilization": 0.9, "inflow": 9, "hidden": True},
    ...         {"service": "n", "utilization": None, "inflow": 0, "hidden": False},
    ...         {"service": "z", "utilization": None, "inflow": 9, "capacity": 0,
    ...          "hidden": False}]
    >>> [r["service"] for r in flow_ranking(rows)]
    ['z', 'a', 'n', 'h']
    """
    return sorted(rows, key=lambda r: (bool(r.get("hidden")), _load(r) is None)
                  + _by_flow(r))


def rankings(rows: list[dict[str, Any]], top: int | None = 20
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``top`` rows of :func:`ranking` by betweenness and by flow. Each row says its
    place in both rankings (``betweenness_rank``, ``flow_rank``), and ``rank`` is its place
    in the list it is in: a row of the flow list is a copy whose ``rank`` is its
    ``flow_rank`` (before, every row's ``rank`` was its betweenness rank, even in the flow
    list).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n, cap in (("a", 10), ("b", 100), ("c", 1)):
    ...     g.add_node(n, type="service", name=n.upper(), capacity_per_month=cap)
    >>> for r, u, v in (("r1", "a", "b"), ("r2", "b", "c")):
    ...     g.add_node(r, type="referral", volume_per_month=5)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> by_betweenness, by_flow = rankings(ranking(g))
    >>> [(r["service"], r["rank"], r["flow_rank"]) for r in by_betweenness]
    [('b', 1, 2), ('c', 2, 1), ('a', 3, 3)]
    >>> [(r["service"], r["rank"], r["betweenness_rank"]) for r in by_flow]
    [('c', 1, 2), ('b', 2, 1), ('a', 3, 3)]
    """
    flows = [dict(r, rank=r["flow_rank"]) for r in flow_ranking(rows)]
    return (rows[:top], flows[:top]) if top else (rows, flows)


def bottlenecks(g: nx.MultiDiGraph, top: int | None = 20,
                findings: list[Finding] | None = None) -> dict[str, Any]:
    """Top services by betweenness and by flow, and the bottleneck findings beside them.

    ``findings`` lets a caller that already ran :func:`polku.analyses.findings.find` reuse them
    (their messages are written at the edge: :func:`polku.present.results.bottlenecks_worded`).
    """
    from polku.analyses.findings import find

    eco = ecosystem(g)
    rows = ranking(g, eco)
    if findings is None:
        findings = find(g, eco=eco, plan=False)
    by_betweenness, by_flow = rankings(rows, top)
    return {
        "graph": g.graph.get("name", "graph"),
        "by_betweenness": by_betweenness,
        "by_flow": by_flow,
        "findings": [f.to_dict() for f in findings if f.kind in BOTTLENECK_KINDS],
    }
