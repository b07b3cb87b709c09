"""Findings computed by Cypher inside the Neo4j server, for a region pushed by
:mod:`polku.io.neo4jstore`.

Where each query runs best: the kinds below look at one node and its direct neighbours
(a service's providers and leads, a referral's ends, owner and numbers, the referrals into
a service), so the server answers them from its indexes and only the findings travel.
The reachability kinds (``unreachable-service``, ``dead-end``, ``segment-without-outcome``,
``unmet-need``, ``overlapping-services``, ``single-point-of-failure``, ``path-broken``)
need R(s) for every segment, a fixpoint over the referral graph per segment; they stay in
networkx (:func:`polku.analyses.findings.find` on :func:`polku.io.neo4jstore.pull_graph`), which is
what ``polku findings neo4j://…`` does. ``benchmarks/neo4j_push_pull.py`` measures both.

The findings are the same records, with the same metrics, ``accountable`` and ``measures``,
as :func:`polku.analyses.findings.find` gives for these kinds (the tests compare them): who
must act is read from the server for the findings' own nodes and neighbours
(:data:`RESPONSIBILITY_QUERY`) and decided by the same rules (:mod:`polku.analyses.accountable`).
Like every finding they are data; :func:`cypher_findings_named` also returns the small graph
of the nodes they name (type, ``name``, ``name_sv``, ``name_en``, a referral's two ends), the
actors who must act and the plan measures on them (:data:`NAMED_QUERY`: the table and the
markdown name them, never by id), with the region's own attributes (its title, a merged
graph's ``regions``), so that the edge words them exactly as it words the networkx findings
(:func:`polku.present.messages.worded`, :class:`polku.present.printers.ActingNames`), in any
language, without pulling the region.

What the queries read is refused as a pull refuses it (:func:`polku.io.neo4jstore.refuse_unfit`:
a region the database does not hold, a number that is text, a personal identity code in a
name or in the region's own attributes), in the same words, before anything is computed
(the names of who must act and of the plan measures, known only once the findings are,
before they are returned): a shared database holds what any tool wrote, and these names and
numbers go into messages.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from polku.analyses.accountable import Responsibilities, who_must_act
from polku.errors import PolkuError
from polku.words import N_
from polku.finding import Finding, above, number, sort_findings
from polku.graph import add_edge
from polku.kinds import LONG_WAIT_DAYS, severities
from polku.io.neo4jstore import (LABELS, NODE_LABEL, REGION_PROPERTY, REL_TYPES,
                                 TYPES_OF_LABEL, Target, neo4j_errors, open_driver,
                                 refuse_unfit, region_graph, target)

#: Kind → severity, from the catalogue (:mod:`polku.kinds`), as the networkx findings have it.
KINDS: dict[str, str] = severities("ecosystem")

#: The kinds that run as Cypher in the server.
CYPHER_KINDS = ("service-without-provider", "no-lead", "multiple-leads",
                "referral-without-owner", "no-information-flow", "long-wait", "over-capacity")

_N = f"{NODE_LABEL} {{{REGION_PROPERTY}: $region}}"


def _named(var: str) -> str:
    """A node as a map of its id and names in every language (null for no node): what the
    edge needs to word a finding (:func:`cypher_findings_named`)."""
    # a row named in another language first keeps its Finnish name in the extra column
    # name_fi (polku.graph.name_of): both travel, as the store keeps them (extra.<column>)
    return (f"{var} {{.id, .name, .name_sv, .name_en, name_fi: {var}.`extra.name_fi`, "
            f"name_lang: {var}.`extra.name_lang`}}")


def _typed(label: str) -> str:
    """A node pattern's labels and region, e.g. ``Polku:Service {polku_region: $region}``."""
    return f"{NODE_LABEL}:{label} {{{REGION_PROPERTY}: $region}}"


_SERVICE, _REFERRAL, _SEGMENT = LABELS["service"], LABELS["referral"], LABELS["segment"]
_PROVIDES, _RESP = REL_TYPES["provides"], REL_TYPES["responsibility"]
_FROM, _TO, _OWNER = REL_TYPES["from"], REL_TYPES["to"], REL_TYPES["owner"]
_PATH_SEGMENT, _HAS_RISK, _SUBJECT = (REL_TYPES["path_segment"], REL_TYPES["has_risk"],
                                      REL_TYPES["subject"])

#: What :mod:`polku.analyses.accountable` needs to know about the given nodes: their type, leads
#: (and a referral's owner), participants, providers, a referral's ``from``, a path's
#: segment, a risk's measure, and the measures whose subjects name them.
RESPONSIBILITY_QUERY = f"""
    UNWIND $ids AS id
    MATCH (x:{NODE_LABEL} {{{REGION_PROPERTY}: $region, id: id}})
    RETURN x.id AS id, labels(x) AS labels,
        [(a:{_N})-[r:{_RESP}]->(x) WHERE r.role = 'lead' | a.id] +
        [(x)-[:{_OWNER}]->(a:{_N}) | a.id] AS leads,
        [(a:{_N})-[r:{_RESP}]->(x) WHERE r.role = 'participant' | a.id] AS participants,
        [(a:{_N})-[:{_PROVIDES}]->(x) | a.id] AS providers,
        [(x)-[:{_FROM}]->(v:{_N}) | v.id] AS from_service,
        [(x)-[:{_PATH_SEGMENT}]->(v:{_N}) | v.id] AS path_segment,
        [(m:{_N})-[:{_HAS_RISK}]->(x) | m.id] AS risk_measure,
        [(m:{_N})-[:{_SUBJECT}]->(x) | m.id] AS measures_on"""

#: The given nodes by id, with their names in every language and their labels: who must act
#: on the findings and the plan measures on them, as the edge names them.
NAMED_QUERY = f"""
    UNWIND $ids AS id
    MATCH (x:{NODE_LABEL} {{{REGION_PROPERTY}: $region, id: id}})
    RETURN {_named("x")} AS node, labels(x) AS labels ORDER BY x.id"""

#: The given referrals' ends by name: the referrals an over-capacity finding relates,
#: named by their two ends as the edge names a referral (the other kinds' queries read them)
REFERRAL_ENDS_QUERY = f"""
    UNWIND $ids AS id
    MATCH (r:{NODE_LABEL}:{_REFERRAL} {{{REGION_PROPERTY}: $region, id: id}})
    OPTIONAL MATCH (r)-[:{_FROM}]->(src:{_N})
    OPTIONAL MATCH (r)-[:{_TO}]->(dst:{_N})
    RETURN r.id AS id, {_named("src")} AS src_node, {_named("dst")} AS dst_node
    ORDER BY r.id"""

QUERIES = {
    "providers": f"""
        MATCH (s:{_typed(_SERVICE)})
        OPTIONAL MATCH (p:{_N})-[:{_PROVIDES}]->(s)
        WITH s, collect(DISTINCT CASE WHEN p IS NOT NULL THEN {_named("p")} END) AS providers
        WHERE size(providers) <> 1
        RETURN s.id AS id, {_named("s")} AS node, providers, s.organised AS organised,
               EXISTS {{ MATCH (:{_N})-[l:{_RESP} {{role: 'lead'}}]->(s) }} AS has_lead""",
    # lead(x): the lead rows, and a referral's owner (the contract's rule, as in Python)
    "leads": f"""
        CALL {{
            MATCH (a:{_N})-[:{_RESP} {{role: 'lead'}}]->(x:{_N})
            WHERE x:{_SERVICE} OR x:{_SEGMENT} OR x:{_REFERRAL}
            RETURN x, a
            UNION
            MATCH (x:{_typed(_REFERRAL)})-[:{_OWNER}]->(a:{_N})
            RETURN x, a
        }}
        WITH x, collect(DISTINCT {_named("a")}) AS leads
        WHERE size(leads) >= 2
        RETURN x.id AS id, {_named("x")} AS node, labels(x) AS labels, leads""",
    "referrals": f"""
        MATCH (r:{_typed(_REFERRAL)})
        WITH r, coalesce(r.information_flow, 'unknown') AS info, r.median_wait_days AS wait
        WITH r, info, wait,
             EXISTS {{ MATCH (r)-[:{_OWNER}]->(:{_N}) }} OR
             EXISTS {{ MATCH (:{_N})-[:{_RESP} {{role: 'lead'}}]->(r) }} AS owned
        // and a wait or flow of a kind no graph file may hold, to be refused as pull
        // refuses it (compared here it would be null, and the referral left out unseen)
        WHERE NOT owned OR info = 'no' OR wait > $limit
              OR NOT info IN ['yes', 'no', 'unknown']
              OR (wait IS NOT NULL AND NOT wait IS :: INTEGER | FLOAT)
        OPTIONAL MATCH (r)-[:{_FROM}]->(src:{_N})
        OPTIONAL MATCH (r)-[:{_TO}]->(dst:{_N})
        RETURN r.id AS id, info, wait, owned, src.id AS src, {_named("src")} AS src_node,
               dst.id AS dst, {_named("dst")} AS dst_node""",
    # Every referral with a volume, 0 included, as polku.analyses.flow counts them; the
    # volumes are added up in Python, in referral-id order as there, so that the float
    # sum and hence "inflow > capacity" are the same to the last bit.
    "capacity": f"""
        MATCH (r:{_typed(_REFERRAL)})-[:{_TO}]->(s:{_typed(_SERVICE)})
        WHERE s.capacity_per_month IS NOT NULL AND r.volume_per_month IS NOT NULL
        WITH s, r ORDER BY r.id
        WITH s, collect([r.id, r.volume_per_month]) AS refs
        RETURN s.id AS id, {_named("s")} AS node, s.capacity_per_month AS capacity, refs""",
}


def cypher_findings(uri: str | None = None, user: str | None = None,
                    password: str | None = None, database: str | None = None,
                    region: str | None = None, long_wait_days: float = LONG_WAIT_DAYS,
                    kinds: Iterable[str] = CYPHER_KINDS) -> list[Finding]:
    """The findings of :data:`CYPHER_KINDS` for one region, computed in the server, as
    :func:`polku.analyses.findings.find` gives them (data; messages empty).

    >>> cypher_findings("bolt://localhost:7687", password="…", region="keski-uusimaa")  # doctest: +SKIP
    [Finding(kind='service-without-provider', ...), ...]
    """
    return cypher_findings_named(uri, user, password, database, region, long_wait_days,
                                 kinds)[0]


def cypher_findings_named(uri: str | None = None, user: str | None = None,
                          password: str | None = None, database: str | None = None,
                          region: str | None = None, long_wait_days: float = LONG_WAIT_DAYS,
                          kinds: Iterable[str] = CYPHER_KINDS
                          ) -> tuple[list[Finding], nx.MultiDiGraph]:
    """:func:`cypher_findings`, and the graph of the nodes they name, who must act on them
    and the plan measures on them: each with its type, ``name``, ``name_sv`` and
    ``name_en``, a referral with its ``from`` and ``to`` edges; what
    :func:`polku.present.messages.worded` and :class:`polku.present.printers.ActingNames`
    need to word them in any language."""
    wanted = set(kinds)
    unknown = sorted(wanted - set(CYPHER_KINDS))
    if unknown:
        raise PolkuError(N_("not computed in the server: {kinds} (server-side kinds: "
                            "{known})"), params={"kinds": ", ".join(unknown),
                                                 "known": ", ".join(CYPHER_KINDS)})
    t = target(uri, user, password, database, region)
    if not t.region:
        raise PolkuError(N_("name the region: --region or ?region="), params={})
    with open_driver(t) as driver, neo4j_errors(t, "findings query", t.region):
        with driver.session(database=t.database) as session:
            return session.execute_read(_run, t, long_wait_days, wanted)


def _put(names: nx.MultiDiGraph, node: dict[str, Any] | None,
         node_type: str | None = None) -> str | None:
    """Add a node of a query row (its ``_named`` map) to the graph of names, with its type
    where the query knows it; its id."""
    if not node:
        return None
    attrs = {k: v for k, v in node.items() if k != "id" and v not in (None, "")}
    extra = {k: attrs.pop(k) for k in ("name_fi", "name_lang") if k in attrs}
    if extra:
        attrs["extra"] = extra
    if node_type:
        attrs["type"] = node_type
    names.add_node(node["id"], **attrs)
    return node["id"]


def _put_referral(names: nx.MultiDiGraph, rec: Any) -> None:
    """Add a referral of a query row and its two ends (``src_node``, ``dst_node``) to the
    graph of names, with its ``from`` and ``to`` edges: a referral is named by its ends."""
    names.add_node(rec["id"], type="referral")
    for kind, end in (("from", rec["src_node"]), ("to", rec["dst_node"])):
        if _put(names, end) is not None:
            add_edge(names, rec["id"], end["id"], kind)


def _run(tx: Any, t: Target, limit: float,
         wanted: set[str]) -> tuple[list[Finding], nx.MultiDiGraph]:
    region = str(t.region)
    # the region's own attributes word the messages as the pulled graph's do (a merged
    # graph's nodes are named with their region); a region not held is refused here
    names = region_graph(tx, t, region)
    rows = _read(tx, region, limit, wanted)
    refuse_unfit(_what_was_read(names, rows), t, region, whole=False)
    out: list[Finding] = []
    for rec in rows.get("providers", ()):
        provs = rec["providers"]
        if not provs and "service-without-provider" in wanted:
            _put(names, rec["node"], "service")
            out.append(Finding("service-without-provider",
                               KINDS["service-without-provider"], rec["id"]))
        elif len(provs) >= 2 and not rec["has_lead"] and "no-lead" in wanted \
                and rec["organised"] != "separately":
            _put(names, rec["node"], "service")
            out.append(Finding("no-lead", KINDS["no-lead"], rec["id"],
                               tuple(_put(names, p, "actor") for p in provs)))
    for rec in rows.get("leads", ()):
        _put(names, rec["node"], _type_of(rec["labels"]))
        leads = {_put(names, a, "actor") for a in rec["leads"]}
        out.append(Finding("multiple-leads", KINDS["multiple-leads"], rec["id"],
                           tuple(leads), metrics={"leads": len(leads)}))
    for rec in rows.get("referrals", ()):
        ends = tuple(x for x in (rec["src"], rec["dst"]) if x)
        _put_referral(names, rec)
        if not rec["owned"] and "referral-without-owner" in wanted:
            out.append(Finding("referral-without-owner", KINDS["referral-without-owner"],
                               rec["id"], ends))
        if rec["info"] == "no" and "no-information-flow" in wanted:
            out.append(Finding("no-information-flow", KINDS["no-information-flow"],
                               rec["id"], ends))
        wait = rec["wait"]
        if wait is not None and wait > limit and "long-wait" in wanted:
            out.append(Finding(
                "long-wait", KINDS["long-wait"], rec["id"], ends,
                metrics={"median_wait_days": number(wait), "limit": number(limit)}))
    for rec in rows.get("capacity", ()):
        cap, inflow = rec["capacity"], 0.0
        for _, volume in rec["refs"]:
            inflow += volume
        if inflow <= cap:
            continue
        total = number(round(inflow, 6))
        util = above(total / cap, 1, 2) if cap else None  # as find() gives it
        _put(names, rec["node"], "service")
        out.append(Finding(
            "over-capacity", KINDS["over-capacity"], rec["id"],
            tuple(r for r, _ in rec["refs"]),
            metrics={"inflow": total, "capacity": number(cap), "utilization": util}))
    ids = {x for f in out for x in (f.subject, *f.related)}
    out = who_must_act(_responsibilities(tx, region, ids), out)
    # who must act and the plan measures are printed by name, as the subjects are: read
    # with their names in every language, and checked as the subjects' names were
    acting = _read_named(tx, region, {x for f in out for x in (*f.accountable, *f.measures)})
    # the referrals a finding is about or relates (an over-capacity's inflow, a referral
    # with two leads) named by their ends, as every door names a referral
    # (polku.present.finding_names): read and checked as the rest
    unnamed = sorted({x for f in out for x in (f.subject, *f.related)
                      if x not in names or names.nodes[x].get("type") == "referral"
                      and not names.out_degree(x)})
    ends = list(tx.run(REFERRAL_ENDS_QUERY, region=region, ids=unnamed)) if unnamed else []
    read = nx.MultiDiGraph(**names.graph)
    for node, node_type in acting:
        read.nodes[_put(read, node, node_type)].setdefault("type", "")
    for rec in ends:
        for end in (rec["src_node"], rec["dst_node"]):
            if _put(read, end) is not None:
                read.nodes[end["id"]].setdefault("type", "")
    refuse_unfit(read, t, region, whole=False)
    for node, node_type in acting:
        _put(names, node, node_type)
    for rec in ends:
        _put_referral(names, rec)
    return sort_findings(out), names


def _read_named(tx: Any, region: str,
                ids: set[str]) -> list[tuple[dict[str, Any], str | None]]:
    """The nodes ``ids`` of the region as :data:`NAMED_QUERY` reads them (a ``_named`` map)
    with their types, in id order."""
    if not ids:
        return []
    return [(rec["node"], _type_of(rec["labels"]))
            for rec in tx.run(NAMED_QUERY, region=region, ids=sorted(ids))]


def _read(tx: Any, region: str, limit: float, wanted: set[str]) -> dict[str, list[Any]]:
    """The rows of the queries the ``wanted`` kinds need, by query, read whole: they are
    checked before any is used."""
    needs = {"providers": ("service-without-provider", "no-lead"),
             "leads": ("multiple-leads",),
             "referrals": ("referral-without-owner", "no-information-flow", "long-wait"),
             "capacity": ("over-capacity",)}
    return {query: list(tx.run(QUERIES[query], region=region, limit=limit))
            for query, kinds in needs.items() if wanted & set(kinds)}


def _type_of(labels: Iterable[str]) -> str | None:
    types = [TYPES_OF_LABEL[lab] for lab in labels if lab in TYPES_OF_LABEL]
    return types[0] if types else None


def _what_was_read(names: nx.MultiDiGraph, rows: dict[str, list[Any]]) -> nx.MultiDiGraph:
    """Every node the rows name, with the names and the values the findings compare (a
    referral's wait, flow and volume, a service's capacity), and the region's own
    attributes: what :func:`~polku.io.neo4jstore.refuse_unfit` checks as a pull checks the
    whole region."""
    read = nx.MultiDiGraph(**names.graph)

    def node(row_node: dict[str, Any] | None, node_type: str | None = None,
             **values: Any) -> None:
        if _put(read, row_node, node_type) is not None:
            read.nodes[row_node["id"]].setdefault("type", "")
            read.nodes[row_node["id"]].update(
                {k: v for k, v in values.items() if v is not None})

    for rec in rows.get("providers", ()):
        node(rec["node"], "service")
        for p in rec["providers"]:
            node(p, "actor")
    for rec in rows.get("leads", ()):
        node(rec["node"], _type_of(rec["labels"]))
        for a in rec["leads"]:
            node(a, "actor")
    for rec in rows.get("referrals", ()):
        node({"id": rec["id"]}, "referral", information_flow=rec["info"],
             median_wait_days=rec["wait"])
        node(rec["src_node"])
        node(rec["dst_node"])
    for rec in rows.get("capacity", ()):
        node(rec["node"], "service", capacity_per_month=rec["capacity"])
        for r, volume in rec["refs"]:
            node({"id": r}, "referral", volume_per_month=volume)
    return read


def _responsibilities(tx: Any, region: str, ids: set[str]) -> Responsibilities:
    """:class:`~polku.analyses.accountable.Responsibilities` for ``ids`` and whatever their rules
    lead on to (a referral's ``from`` service, a path's segment, a risk's measure), read
    from the server in a few rounds of :data:`RESPONSIBILITY_QUERY`."""
    r = Responsibilities()
    wanted = set(ids)
    while wanted:
        for rec in tx.run(RESPONSIBILITY_QUERY, region=region, ids=sorted(wanted)):
            x = rec["id"]
            types = [TYPES_OF_LABEL[lab] for lab in rec["labels"] if lab in TYPES_OF_LABEL]
            r.types[x] = types[0] if types else ""
            for attr in ("leads", "participants", "providers", "measures_on"):
                if rec[attr]:
                    getattr(r, attr)[x] = frozenset(rec[attr])
            for attr, one in (("referral_from", rec["from_service"]),
                              ("path_segment", rec["path_segment"]),
                              ("risk_measure", rec["risk_measure"])):
                if one:
                    getattr(r, attr)[x] = one[0]
        seen = set(r.types) | wanted
        wanted = {v for m in (r.referral_from, r.path_segment, r.risk_measure)
                  for v in m.values()} - seen
    return r
