"""The Cypher findings held to the networkx findings on random graphs, on the real Neo4j
server the suite starts (the session's ``neo4j_server``).

:mod:`polku.analyses.neo4j_findings` computes the direct kinds as Cypher, a second
implementation of the rules in :mod:`polku.analyses.findings`. The two drifted once (a
referral with volume 0 was left out of ``over-capacity``'s ``related`` in Cypher only), so
this test pushes graphs built from the edge cases each rule has (volumes and capacities of
0, missing volumes, waits, owners, names and referral ends, waits at the limit, float sums
at the capacity, shared services organised separately, several leads, owners and leads
together) and asks for the very same findings: kinds, severities, subjects, related ids,
metrics, messages in each language, who must act and the measures.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from polku.analyses.findings import find
from polku.analyses.neo4j_findings import CYPHER_KINDS, cypher_findings, cypher_findings_named
from polku.graph import add_edge, new_graph
from polku.io import neo4jstore as ns
from polku.present.i18n import translator
from polku.present.messages import worded

REGION = "parity"
ZERO = "parity-zero"
ROLES = ("lead", "participant", "consulted", "informed")
VOLUMES = (None, 0, 0.1, 0.2, 1, 2.5, 4, 10)
CAPACITIES = (None, 0, 0.3, 1, 2.5, 5, 10)
WAITS = (None, 0, 14.5, 30, 30.5, 45)
INFO = (None, "yes", "no", "unknown")
LIMITS = (30, 14.5, 0)

_counter = itertools.count()


@pytest.fixture(scope="module")
def creds(neo4j_server):
    """The server's credentials; the regions these tests push are deleted after them
    (their random graphs are no graph a file may hold: a test that reads every region of
    the database must not meet them, whatever order the tests run in)."""
    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    yield creds
    for region in (REGION, ZERO):
        if region in ns.regions(**creds):
            ns.delete_region(**creds, region=region)


def _maybe(values):
    return st.sampled_from(values)


@st.composite
def ecosystems(draw) -> nx.MultiDiGraph:
    """A small random ecosystem with every edge case of the direct kinds within reach."""
    g = new_graph(f"parity-{next(_counter)}")
    actors = [f"a{i}" for i in range(draw(st.integers(0, 4)))]
    services = [f"s{i}" for i in range(draw(st.integers(1, 5)))]
    outcomes = [f"o{i}" for i in range(draw(st.integers(0, 2)))]
    segments = [f"g{i}" for i in range(draw(st.integers(0, 2)))]
    referrals = [f"r{i}" for i in range(draw(st.integers(0, 8)))]

    def labelled(n: str, kind: str) -> dict:
        # a name, an empty name or none at all; a Swedish name now and then
        attrs = {"type": kind}
        name = draw(_maybe((f"Nimi {n}", "", None)))
        if name is not None:
            attrs["name"] = name
        if draw(st.booleans()):
            attrs["name_sv"] = f"Namn {n}"
        return attrs

    for a in actors:
        g.add_node(a, **labelled(a, "actor"))
    for o in outcomes:
        g.add_node(o, **labelled(o, "outcome"))
    for s in segments:
        g.add_node(s, **labelled(s, "segment"))
    for s in services:
        attrs = labelled(s, "service")
        cap = draw(_maybe(CAPACITIES))
        if cap is not None:
            attrs["capacity_per_month"] = cap
        organised = draw(_maybe((None, "separately", "jointly")))
        if organised is not None:
            attrs["organised"] = organised
        g.add_node(s, **attrs)
        if actors:
            for a in draw(st.lists(st.sampled_from(actors), max_size=3, unique=True)):
                add_edge(g, a, s, "provides")
    for r in referrals:
        attrs = {"type": "referral"}
        for key, values in (("volume_per_month", VOLUMES), ("median_wait_days", WAITS),
                            ("information_flow", INFO)):
            value = draw(_maybe(values))
            if value is not None:
                attrs[key] = value
        g.add_node(r, **attrs)
        source = draw(st.none() | st.sampled_from(services))
        target = draw(st.none() | st.sampled_from(services + outcomes))
        if source is not None:
            add_edge(g, r, source, "from")
        if target is not None:
            add_edge(g, r, target, "to")
        if actors and draw(st.booleans()):
            add_edge(g, r, draw(st.sampled_from(actors)), "owner")
    subjects = services + segments + referrals
    if actors:
        for a, x, role in draw(st.lists(st.tuples(st.sampled_from(actors),
                                                  st.sampled_from(subjects),
                                                  st.sampled_from(ROLES)), max_size=8)):
            add_edge(g, a, x, "responsibility", key=f"responsibility:{role}", role=role)
        if len(actors) >= 2 and draw(st.booleans()):
            # two leads on one subject: eight rows drawn at random rarely make them, and
            # multiple-leads (with an owner too, on a referral) must be compared often
            x = draw(st.sampled_from(subjects))
            for a in draw(st.lists(st.sampled_from(actors), min_size=2, max_size=2,
                                   unique=True)):
                add_edge(g, a, x, "responsibility", key="responsibility:lead", role="lead")
    if draw(st.booleans()):
        # a plan measure on one subject, so that ``measures`` has something to say
        g.add_node("m1", type="measure", name="Toimenpide")
        add_edge(g, "m1", draw(st.sampled_from(subjects)), "subject", key="subject:1")
    return g


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(g=ecosystems(), limit=st.sampled_from(LIMITS), lang=st.sampled_from(("fi", "sv", "en")))
def test_cypher_findings_equal_networkx_findings_on_random_graphs(creds, g, limit, lang):
    ns.push_graph(g, **creds, region=REGION)
    tr = translator(lang)
    want = [f.to_dict() for f in worded(find(g, long_wait_days=limit, plan=False), g, tr)
            if f.kind in CYPHER_KINDS]
    found, names = cypher_findings_named(**creds, region=REGION, long_wait_days=limit)
    got = [f.to_dict() for f in worded(found, names, tr)]
    assert got == want


def test_a_zero_volume_referral_is_related_to_over_capacity_in_both(creds):
    """The drift the random graphs found first, kept as an example: volume 0 is a volume."""
    g = new_graph("zero")
    g.add_node("a", type="service", name="A")
    g.add_node("b", type="service", name="B", capacity_per_month=1)
    for r, vol in (("r1", 2), ("r2", 0)):
        g.add_node(r, type="referral", volume_per_month=vol)
        add_edge(g, r, "a", "from")
        add_edge(g, r, "b", "to")
    ns.push_graph(g, **creds, region=ZERO)
    got = [f for f in cypher_findings(**creds, region=ZERO) if f.kind == "over-capacity"]
    want = [f for f in find(g, plan=False) if f.kind == "over-capacity"]
    assert [f.related for f in got] == [f.related for f in want] == [("r1", "r2")]


def test_the_random_graphs_make_every_cypher_kind():
    """The generator builds every kind the parity test compares (so a kind cannot drift
    unseen because the random graphs never make it)."""
    seen: set[str] = set()

    # derandomized: the same 200 graphs in every run, so this check cannot pass or fail by
    # luck (it failed two runs in five before the generator drew two leads on purpose)
    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(g=ecosystems())
    def collect(g):
        seen.update(f.kind for f in find(g, long_wait_days=14.5, plan=False))

    collect()
    assert seen >= set(CYPHER_KINDS)
