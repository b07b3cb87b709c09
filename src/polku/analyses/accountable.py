"""Who must act on a finding: its ``accountable`` actors and the plan ``measures`` on it.

A finding is only useful to a leader if it says whose move it is (``docs/findings.md``,
"Who must act"). With lead(x) the actors in role ``lead`` on x, and a referral's ``owner``
counted as one of its leads:

- acc(service) = lead(service) if any, else its providers;
- acc(referral) = lead(referral) if any, else acc(its ``from`` service);
- acc(segment) = lead(segment); acc(path) = acc(its segment);
- acc(measure) = lead(measure) if any, else its participants; acc(risk) = acc(its measure);
- acc(actor) = [the actor]; anything else: nobody.

``measures`` are the plan measures whose ``subjects`` name the finding's subject or any id
in its ``related``; a finding on a measure or a risk has that measure.

The rules work on :class:`Responsibilities`, plain lookups that can be read off the
networkx graph (:func:`responsibilities_of`) or off a Neo4j region
(:mod:`polku.analyses.neo4j_findings`), so both give the same answer by construction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import networkx as nx

from polku.errors import NodeNames, PolkuError
from polku.finding import Finding
from polku.graph import close_id, nodes_of
from polku.words import N_

EMPTY: frozenset[str] = frozenset()


@dataclass
class Responsibilities:
    """What the rules need to know about each node (ids throughout).

    ``leads`` already holds a referral's owner; ``measures_on[x]`` the measures whose
    ``subjects`` name x.
    """
    types: dict[str, str] = field(default_factory=dict)
    leads: dict[str, frozenset[str]] = field(default_factory=dict)
    providers: dict[str, frozenset[str]] = field(default_factory=dict)
    participants: dict[str, frozenset[str]] = field(default_factory=dict)
    referral_from: dict[str, str] = field(default_factory=dict)
    path_segment: dict[str, str] = field(default_factory=dict)
    risk_measure: dict[str, str] = field(default_factory=dict)
    measures_on: dict[str, frozenset[str]] = field(default_factory=dict)
    #: a referral's ``owner`` (also in ``leads``), to say which of its leads it is
    owners: dict[str, frozenset[str]] = field(default_factory=dict)


def responsibilities_of(g: nx.MultiDiGraph) -> Responsibilities:
    """Index the graph once (one pass over its edges).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("kela", type="actor"); g.add_node("s", type="service")
    >>> add_edge(g, "kela", "s", "provides")
    >>> responsibilities_of(g).providers["s"]
    frozenset({'kela'})
    """
    leads: dict[str, set[str]] = defaultdict(set)
    providers: dict[str, set[str]] = defaultdict(set)
    participants: dict[str, set[str]] = defaultdict(set)
    measures_on: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    r = Responsibilities(types={n: d.get("type") for n, d in g._node.items()})
    referral_from, path_segment, risk_measure = r.referral_from, r.path_segment, r.risk_measure
    # The adjacency dicts directly (as polku.analyses.reach does): networkx's edge views cost
    # about twice as much per edge, and a national graph has some 50,000 edges.
    for u, nbrs in g._adj.items():
        for v, keyed in nbrs.items():
            for d in keyed.values():
                kind = d.get("kind")
                if kind == "responsibility":
                    role = d.get("role")
                    if role == "lead":
                        leads[v].add(u)
                    elif role == "participant":
                        participants[v].add(u)
                elif kind == "provides":
                    providers[v].add(u)
                elif kind == "from":
                    referral_from[u] = v
                elif kind == "owner":
                    leads[u].add(v)
                    owners[u].add(v)
                elif kind == "path_segment":
                    path_segment[u] = v
                elif kind == "has_risk":
                    risk_measure[v] = u
                elif kind == "subject":
                    measures_on[v].add(u)
    r.leads = {n: frozenset(a) for n, a in leads.items()}
    r.providers = {n: frozenset(a) for n, a in providers.items()}
    r.participants = {n: frozenset(a) for n, a in participants.items()}
    r.measures_on = {n: frozenset(a) for n, a in measures_on.items()}
    r.owners = {n: frozenset(a) for n, a in owners.items()}
    return r


def accountable(r: Responsibilities, subject: str) -> frozenset[str]:
    """acc(subject) by the rules of the module doc.

    >>> r = Responsibilities(types={"s": "service", "ref": "referral", "a": "actor"},
    ...                      providers={"s": frozenset({"kela", "keusote"})},
    ...                      referral_from={"ref": "s"})
    >>> sorted(accountable(r, "ref")), sorted(accountable(r, "a"))
    (['kela', 'keusote'], ['a'])
    """
    t = r.types.get(subject)
    leads = r.leads.get(subject, EMPTY)
    if t == "service":
        return leads or r.providers.get(subject, EMPTY)
    if t == "referral":
        src = r.referral_from.get(subject)
        return leads or (accountable(r, src) if src else EMPTY)
    if t == "segment":
        return leads
    if t == "path":
        seg = r.path_segment.get(subject)
        return accountable(r, seg) if seg else EMPTY
    if t == "measure":
        return leads or r.participants.get(subject, EMPTY)
    if t == "risk":
        m = r.risk_measure.get(subject)
        return accountable(r, m) if m else EMPTY
    if t == "actor":
        return frozenset({subject})
    return EMPTY


def why_accountable(r: Responsibilities, subject: str) -> dict[str, str]:
    """Why each actor of :func:`accountable` answers for ``subject``: actor → a reason code,
    the rule of the module doc that named it, so a page says why that organisation must act
    ("the lead of the referring service"), not just its name. The codes: ``lead``,
    ``owner`` (a referral's), ``provider``, ``participant``, ``source-lead`` and
    ``source-provider`` (of a referral's referring service), ``segment-lead`` (a path's segment), ``measure-lead``,
    ``measure-participant`` (a risk's measure), ``subject`` (the finding is about the
    actor). Its keys are always :func:`accountable`'s.

    >>> r = Responsibilities(types={"s": "service", "ref": "referral"},
    ...                      leads={"s": frozenset({"keusote"})}, referral_from={"ref": "s"})
    >>> why_accountable(r, "ref"), why_accountable(r, "s")
    ({'keusote': 'source-lead'}, {'keusote': 'lead'})
    """
    t = r.types.get(subject)
    leads = r.leads.get(subject, EMPTY)
    if t == "service":
        return {a: "lead" for a in leads} or {a: "provider" for a in
                                              r.providers.get(subject, EMPTY)}
    if t == "referral":
        if leads:
            # the referral's owner is counted among its leads: said as its owner when the
            # graph holds it so (an ``owner`` edge), else as a lead row on the referral
            return {a: ("owner" if a in r.owners.get(subject, EMPTY) else "lead")
                    for a in leads}
        src = r.referral_from.get(subject)
        return {a: f"source-{why}" for a, why in why_accountable(r, src).items()} \
            if src else {}
    if t == "segment":
        return {a: "lead" for a in leads}
    if t == "path":
        seg = r.path_segment.get(subject)
        return {a: "segment-lead" for a in accountable(r, seg)} if seg else {}
    if t == "measure":
        return {a: "lead" for a in leads} or {a: "participant" for a in
                                              r.participants.get(subject, EMPTY)}
    if t == "risk":
        m = r.risk_measure.get(subject)
        return {a: f"measure-{why}" for a, why in why_accountable(r, m).items()} if m else {}
    if t == "actor":
        return {subject: "subject"}
    return {}


def measures_for(r: Responsibilities, finding: Finding) -> frozenset[str]:
    """The plan measures that deal with the finding (see the module doc)."""
    t = r.types.get(finding.subject)
    if t == "measure":
        return frozenset({finding.subject})
    if t == "risk":
        m = r.risk_measure.get(finding.subject)
        return frozenset({m}) if m else EMPTY
    out: set[str] = set()
    for x in (finding.subject, *finding.related):
        out |= r.measures_on.get(x, EMPTY)
    return frozenset(out)


def who_must_act(r: Responsibilities, findings: Iterable[Finding]) -> list[Finding]:
    """The findings with ``accountable`` and ``measures`` filled in, in the same order.

    >>> r = Responsibilities(types={"s": "service"}, leads={"s": frozenset({"keusote"})},
    ...                      measures_on={"s": frozenset({"measure-1-1"})})
    >>> f = who_must_act(r, [Finding("long-wait", "warning", "s")])[0]
    >>> f.accountable, f.measures
    (('keusote',), ('measure-1-1',))
    """
    out = []
    new = object.__new__
    for f in findings:
        # A copy with the two fields set: the sort key does not involve them, so the frozen
        # record's __post_init__ (which recomputes the key) need not run again; copying
        # its __dict__ is several times quicker than copy.copy.
        done = new(type(f))
        done.__dict__.update(f.__dict__,
                             accountable=tuple(sorted(accountable(r, f.subject))),
                             measures=tuple(sorted(measures_for(r, f))))
        out.append(done)
    return out


def check_actor(g: nx.MultiDiGraph, actor: str) -> None:
    """Refuse an id that is not an actor of the graph, naming the actors there are."""
    if g.nodes.get(actor, {}).get("type") != "actor":
        known = nodes_of(g, "actor")
        if not known:
            raise PolkuError(N_("unknown actor '{actor}' (the graph has no actors)"),
                             params={"actor": actor}, field="actor")
        raise PolkuError(N_("unknown actor '{actor}' (the graph's actors: {known})"),
                         params={"actor": actor, "known": NodeNames.of(g.nodes, known, most=12)},
                         field="actor", close=close_id(g, actor, ("actor",)))


def for_actor(g: nx.MultiDiGraph, findings: Iterable[Finding], actor: str) -> list[Finding]:
    """The findings ``actor`` answers for: those it is accountable for, and those its units
    are (an organisation answers for its units: the actors up whose ``part_of`` chain it
    is, while the parent is of the same kind, :func:`polku.analyses.handoffs.chain_in`).
    The one rule of every door's ``actor`` filter (``polku findings --actor``, ``polku
    actions``, ``--since``, the API's ``?actor=``, the graph page's organisation filter).

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("keusote", "unit"): g.add_node(a, type="actor", kind="wellbeing-county")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> fs = [Finding("dead-end", "error", "s", accountable=("unit",))]
    >>> len(for_actor(g, fs, "keusote")), len(for_actor(g, fs, "unit"))
    (1, 1)
    """
    mine = units_of(g, actor)
    return [f for f in findings if not mine.isdisjoint(f.accountable)]


def units_of(g: nx.MultiDiGraph, actor: str) -> set[str]:
    """``actor`` and its units: the actors up whose ``part_of`` chain it is, while the
    parent is of the same kind (:func:`polku.analyses.handoffs.chain_in`). The one rule of
    every door's actor filter (:func:`for_actor`, :func:`polku.analyses.raci.of_organisation`).

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("keusote", "unit"): g.add_node(a, type="actor", kind="wellbeing-county")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> sorted(units_of(g, "keusote")), units_of(g, "unit")
    (['keusote', 'unit'], {'unit'})
    """
    from polku.analyses.handoffs import organisation_chains

    return {a for a, chain in organisation_chains(g).items() if actor in chain} | {actor}


def organisations_of(g: nx.MultiDiGraph) -> Callable[[Finding], list[str]]:
    """A finding → the organisations that answer for it (sorted): the organisation of each
    accountable actor (the top of its chain, :func:`for_actor`'s rule; an id the graph does
    not hold stands for itself). ``g`` is read once.

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("keusote", "unit"): g.add_node(a, type="actor", kind="wellbeing-county")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> organisations_of(g)(Finding("dead-end", "error", "s", accountable=("kela", "unit")))
    ['kela', 'keusote']
    """
    from polku.analyses.handoffs import organisation_chains

    top = {a: chain[-1] for a, chain in organisation_chains(g).items()}
    return lambda f: sorted({top.get(a, a) for a in f.accountable})


def by_actor(g: nx.MultiDiGraph, findings: Iterable[Finding]) -> Mapping[str, list[Finding]]:
    """Organisation → the findings it answers for (in the findings' order), organisations
    sorted: the groups of the action lists, each what :func:`for_actor` gives for it.

    >>> from polku.graph import new_graph
    >>> fs = [Finding("dead-end", "error", "s", accountable=("b", "a"))]
    >>> list(by_actor(new_graph("g"), fs))
    ['a', 'b']
    """
    orgs = organisations_of(g)
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for a in orgs(f):
            out[a].append(f)
    return {a: out[a] for a in sorted(out)}
