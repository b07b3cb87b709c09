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

The findings are the same records, with the same messages (in each language: the same
templates, :mod:`polku.present.messages`, and the same labels, ``name_sv``/``name_en`` read from
the server), metrics, ``accountable`` and
``measures``, as :func:`polku.analyses.findings.find` gives for these kinds (the tests compare
them): who must act is read from the server for the findings' own nodes and neighbours
(:data:`RESPONSIBILITY_QUERY`) and decided by the same rules (:mod:`polku.analyses.accountable`).
"""

from __future__ import annotations

from typing import Any, Iterable

from polku.present import messages as say
from polku.analyses.accountable import Responsibilities, who_must_act
from polku.errors import PolkuError
from polku.finding import Finding, number, sort_findings
from polku.kinds import LONG_WAIT_DAYS, severities
# The very templates and formatting the networkx findings use, so messages match
# character for character in every language.
from polku.present.i18n import Translator, translator
from polku.io.neo4jstore import (LABELS, NODE_LABEL, REGION_PROPERTY, REL_TYPES, TYPES_OF_LABEL, neo4j_errors, open_driver, target)

#: Kind → severity, from the catalogue (:mod:`polku.kinds`), as the networkx findings have it.
KINDS: dict[str, str] = severities("ecosystem")

#: The kinds that run as Cypher in the server.
CYPHER_KINDS = ("service-without-provider", "no-lead", "multiple-leads",
                "referral-without-owner", "no-information-flow", "long-wait", "over-capacity")

_N = f"{NODE_LABEL} {{{REGION_PROPERTY}: $region}}"


def _label(var: str) -> str:
    """A node's label in the language whose property ``$name_key`` names (``name_sv``,
    ``name_en``), else its ``name``: :meth:`polku.present.i18n.Translator.label` in Cypher."""
    return f"coalesce(CASE WHEN {var}[$name_key] <> '' THEN {var}[$name_key] END, {var}.name)"


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

QUERIES = {
    "providers": f"""
        MATCH (s:{_typed(_SERVICE)})
        OPTIONAL MATCH (p:{_N})-[:{_PROVIDES}]->(s)
        WITH s, collect(DISTINCT CASE WHEN p IS NOT NULL THEN [p.id, {_label("p")}] END) AS providers
        WHERE size(providers) <> 1
        RETURN s.id AS id, {_label("s")} AS name, providers, s.organised AS organised,
               EXISTS {{ MATCH (:{_N})-[l:{_RESP} {{role: 'lead'}}]->(s) }} AS has_lead""",
    "leads": f"""
        MATCH (a:{_N})-[:{_RESP} {{role: 'lead'}}]->(x:{_N})
        WHERE x:{_SERVICE} OR x:{_SEGMENT} OR x:{_REFERRAL}
        WITH x, collect(DISTINCT [a.id, {_label("a")}]) AS leads
        WHERE size(leads) >= 2
        RETURN x.id AS id, {_label("x")} AS name, leads""",
    "referrals": f"""
        MATCH (r:{_typed(_REFERRAL)})
        WITH r, coalesce(r.information_flow, 'unknown') AS info, r.median_wait_days AS wait
        WITH r, info, wait,
             EXISTS {{ MATCH (r)-[:{_OWNER}]->(:{_N}) }} OR
             EXISTS {{ MATCH (:{_N})-[:{_RESP} {{role: 'lead'}}]->(r) }} AS owned
        WHERE NOT owned OR info = 'no' OR wait > $limit
        OPTIONAL MATCH (r)-[:{_FROM}]->(src:{_N})
        OPTIONAL MATCH (r)-[:{_TO}]->(dst:{_N})
        RETURN r.id AS id, info, wait, owned, src.id AS src, {_label("src")} AS src_name,
               dst.id AS dst, {_label("dst")} AS dst_name""",
    # Every referral with a volume, 0 included, as polku.analyses.flow counts them; the
    # volumes are added up in Python, in referral-id order as there, so that the float
    # sum and hence "inflow > capacity" are the same to the last bit.
    "capacity": f"""
        MATCH (r:{_typed(_REFERRAL)})-[:{_TO}]->(s:{_typed(_SERVICE)})
        WHERE s.capacity_per_month IS NOT NULL AND r.volume_per_month IS NOT NULL
        WITH s, r ORDER BY r.id
        WITH s, collect([r.id, r.volume_per_month]) AS refs
        RETURN s.id AS id, {_label("s")} AS name, s.capacity_per_month AS capacity, refs""",
}


_name = say.named


def _names(pairs: Iterable[tuple[str, str | None]]) -> str:
    return ", ".join(_name(n, lab) for n, lab in sorted(pairs))


def cypher_findings(uri: str | None = None, user: str | None = None,
                    password: str | None = None, database: str | None = None,
                    region: str | None = None, long_wait_days: float = LONG_WAIT_DAYS,
                    kinds: Iterable[str] = CYPHER_KINDS, lang: str | None = None) -> list[Finding]:
    """The findings of :data:`CYPHER_KINDS` for one region, computed in the server, their
    messages in ``lang`` (fi, sv or en; default Finnish) as :func:`polku.analyses.findings.find`
    writes them.

    >>> cypher_findings("bolt://localhost:7687", password="…", region="keski-uusimaa")  # doctest: +SKIP
    [Finding(kind='service-without-provider', ...), ...]
    """
    wanted = set(kinds)
    unknown = sorted(wanted - set(CYPHER_KINDS))
    if unknown:
        raise PolkuError(f"not computed in the server: {', '.join(unknown)} "
                         f"(server-side kinds: {', '.join(CYPHER_KINDS)})")
    tr = translator(lang)
    t = target(uri, user, password, database, region)
    if not t.region:
        raise PolkuError("name the region: --region or ?region=")
    with open_driver(t) as driver, neo4j_errors(t, "findings query", t.region):
        with driver.session(database=t.database) as session:
            return session.execute_read(_run, t.region, long_wait_days, wanted, tr)


def _run(tx: Any, region: str, limit: float, wanted: set[str], tr: Translator) -> list[Finding]:
    out: list[Finding] = []
    name_key = f"name_{tr.lang}"

    def want(*kinds: str) -> bool:
        return any(k in wanted for k in kinds)

    if want("service-without-provider", "no-lead"):
        for rec in tx.run(QUERIES["providers"], region=region, name_key=name_key):
            provs = [(p, lab) for p, lab in rec["providers"]]
            s = _name(rec["id"], rec["name"])
            if not provs and "service-without-provider" in wanted:
                out.append(Finding("service-without-provider", KINDS["service-without-provider"],
                                   rec["id"], (),
                                   say.service_without_provider(tr, s)))
            elif len(provs) >= 2 and not rec["has_lead"] and "no-lead" in wanted \
                    and rec["organised"] != "separately":
                out.append(Finding("no-lead", KINDS["no-lead"], rec["id"],
                                   tuple(p for p, _ in provs),
                                   say.no_lead(tr, s, len(provs), _names(provs))))
    if want("multiple-leads"):
        for rec in tx.run(QUERIES["leads"], region=region, name_key=name_key):
            leads = [tuple(x) for x in rec["leads"]]
            out.append(Finding(
                "multiple-leads", KINDS["multiple-leads"], rec["id"], tuple(a for a, _ in leads),
                say.multiple_leads(tr, _name(rec["id"], rec["name"]), len(leads), _names(leads)),
                {"leads": len(leads)}))
    if want("referral-without-owner", "no-information-flow", "long-wait"):
        for rec in tx.run(QUERIES["referrals"], region=region, limit=limit, name_key=name_key):
            ends = tuple(x for x in (rec["src"], rec["dst"]) if x)
            hop = (rec["id"], _name(rec["src"], rec["src_name"]),
                   _name(rec["dst"], rec["dst_name"]))
            if not rec["owned"] and "referral-without-owner" in wanted:
                out.append(Finding("referral-without-owner", KINDS["referral-without-owner"],
                                   rec["id"], ends, say.referral_without_owner(tr, *hop)))
            if rec["info"] == "no" and "no-information-flow" in wanted:
                out.append(Finding("no-information-flow", KINDS["no-information-flow"],
                                   rec["id"], ends, say.no_information_flow(tr, *hop)))
            wait = rec["wait"]
            if wait is not None and wait > limit and "long-wait" in wanted:
                out.append(Finding(
                    "long-wait", KINDS["long-wait"], rec["id"], ends,
                    say.long_wait(tr, *hop, number(wait), number(limit)),
                    {"median_wait_days": number(wait), "limit": number(limit)}))
    if want("over-capacity"):
        for rec in tx.run(QUERIES["capacity"], region=region, name_key=name_key):
            cap, inflow = rec["capacity"], 0.0
            for _, volume in rec["refs"]:
                inflow += volume
            if inflow <= cap:
                continue
            total = number(round(inflow, 6))
            util = round(total / cap, 2) if cap else None
            out.append(Finding(
                "over-capacity", KINDS["over-capacity"], rec["id"],
                tuple(r for r, _ in rec["refs"]),
                say.over_capacity(tr, _name(rec["id"], rec["name"]), total, number(cap)),
                {"inflow": total, "capacity": number(cap), "utilization": util}))
    ids = {x for f in out for x in (f.subject, *f.related)}
    return sort_findings(who_must_act(_responsibilities(tx, region, ids), out))


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
