"""Property tests: the fast analyses agree with plain reimplementations on random graphs.

- :func:`polku.analyses.findings.find` (shared segment groups, one-pass index, dominators) against
  benchmarks/naive.py (a fresh traversal per segment, a removal and re-traversal per
  candidate service), on random small ecosystems and on the same ecosystems written to a
  workbook and read back;
- :func:`polku.analyses.paths.best_paths` against brute-force enumeration of every simple path;
- :func:`polku.analyses.reach.dominators_of_sink` against networkx's immediate dominators.
"""

from __future__ import annotations

import itertools
import sys
from itertools import islice
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ecobuild import Builder
from polku.analyses.findings import find
from polku.analyses.paths import best_paths, handoff, ranked_paths
from polku.analyses.reach import dominators_of_sink, ecosystem, segment_reach

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from naive import comparable, naive_find  # noqa: E402


@st.composite
def ecosystems(draw) -> Builder:
    """A random small ecosystem that uses every feature the findings look at."""
    n_services = draw(st.integers(1, 9))
    services = [f"s{i}" for i in range(n_services)]
    outcomes = [f"o{i}" for i in range(draw(st.integers(1, 2)))]
    segments = [f"g{i}" for i in range(draw(st.integers(1, 3)))]
    # (about a quarter of services and a third of referrals are limited to segments)
    needs = [f"n{i}" for i in range(draw(st.integers(1, 3)))]
    actors = [f"a{i}" for i in range(draw(st.integers(1, 3)))]
    b = Builder("random")
    for a in actors:
        b.actor(a)
    for o in outcomes:
        b.outcome(o)
    for s in segments:
        b.segment(s)
    for n in needs:  # a need nothing addresses or has can still be a measure's subject
        b.need(n)
    sub = lambda xs, hi=None, lo=0: draw(st.lists(  # noqa: E731
        st.sampled_from(xs), unique=True, min_size=lo, max_size=hi or len(xs)))
    for s in services:
        b.service(s, providers=sub(actors), entry=draw(st.sampled_from([None, True, False])),
                  segments=sub(segments) if draw(st.integers(0, 3)) == 0 else [],
                  needs=sub(needs), capacity=draw(st.one_of(st.none(), st.integers(0, 20))),
                  organised=draw(st.sampled_from([None, None, "jointly", "separately"])))
    for s in segments:
        b.segment(s, entries=sub(services[:max(1, n_services // 2)], 2,
                                  lo=draw(st.sampled_from([0, 1, 1, 1]))),
                  needs=sub(needs))
    # Mostly forward referrals (towards later services and the outcomes), so that segments
    # often reach outcomes through few services: where single points of failure live.
    targets = services + outcomes
    pairs = []
    for i, j in draw(st.lists(st.tuples(st.integers(0, n_services - 1),
                                        st.integers(0, len(targets) - 1)),
                                    min_size=n_services, max_size=2 * n_services + 2)):
        if j <= i and draw(st.integers(0, 3)) > 0:
            j = draw(st.integers(min(i + 1, len(targets) - 1), len(targets) - 1))
        if targets[j] == services[i]:
            continue  # a referral from a service to itself is no valid graph (docs/workbook.md)
        pairs.append((services[i], targets[j]))
    for i, (u, v) in enumerate(pairs):
        b.referral(f"r{i}", u, v,
                   segments=sub(segments) if draw(st.integers(0, 2)) == 0 else [],
                   volume=draw(st.one_of(st.none(), st.integers(0, 15))),
                   wait=draw(st.one_of(st.none(), st.integers(0, 60))),
                   owner=draw(st.one_of(st.none(), st.sampled_from(actors))),
                   info=draw(st.sampled_from(["yes", "no", "unknown"])))
    subjects = services + segments + [f"r{i}" for i in range(len(pairs))]
    for actor, subject, role in draw(st.lists(st.tuples(
            st.sampled_from(actors), st.sampled_from(subjects),
            st.sampled_from(["lead", "participant"])), max_size=6)):
        b.role(actor, subject, role)
    for i in range(draw(st.integers(0, 2))):
        steps = draw(st.lists(st.sampled_from(services + outcomes), min_size=1, max_size=4))
        # a step cannot follow itself (docs/workbook.md); a pair may recur (x, y, x, y)
        steps = [s for k, s in enumerate(steps) if k == 0 or s != steps[k - 1]]
        b.path(f"p{i}", draw(st.sampled_from(segments)), steps)
    # Plan measures working on anything of the ecosystem (how findings find their measures).
    for i in range(draw(st.integers(0, 2))):
        b.measure(f"m{i}", subjects=sub(subjects + needs, 3))
    return b


@pytest.mark.slow  # 300 graphs against a naive reimplementation
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ecosystems(), st.sampled_from([10, 30]))
def test_find_agrees_with_the_naive_reimplementation(b, wait_limit):
    assert comparable(find(b.g, long_wait_days=wait_limit, plan=False)) == \
        naive_find(b.g, long_wait_days=wait_limit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(b=ecosystems())
def test_find_agrees_through_a_workbook_round_trip(tmp_path_factory, b):
    from polku.io.workbook import read_workbook, write_workbook

    folder = tmp_path_factory.mktemp("wb") / "random"
    write_workbook(b.g, folder)
    g = read_workbook(folder)
    assert comparable(find(g, plan=False)) == naive_find(g) == comparable(find(b.g, plan=False))


def _brute_force_ranked(b: Builder, segment: str) -> list[tuple]:
    """Every path of the segment in R(s), by enumeration, as its rank key (needs left
    uncovered, wait in 1/100 days, hand-offs: the fewest changes of organisation over every
    choice of provider organisations, node ids), sorted."""
    eco = ecosystem(b.g)
    reach = segment_reach(eco, segment)
    entries = set(eco.segment_entries[segment])
    needs = set(eco.segment_needs[segment])
    out = []

    def step_cost(u, v):
        waits = [eco.refs[r].wait for r, t, segs in eco.out_refs.get(u, ())
                 if t == v and (not segs or segment in segs)]
        known = [w for w in waits if w is not None]
        return round((min(known) if known else 0) * 100), handoff(eco, u, v)

    def covers(v):
        if v not in eco.services or not eco.eligible(v, segment):
            return set()
        return set(eco.service_needs[v]) & needs

    def changes(path):
        """The fewest changes of organisation along the path, over every choice of one
        provider organisation per service (none for an outcome; a service nobody provides
        changes from and to everyone)."""
        options = [sorted(eco.provider_organisations.get(v) or ()) or [None]
                   if v in eco.services else ["outcome"] for v in path]
        return min(sum(1 for (u, a), (v, b) in zip(zip(path, pick), zip(path[1:], pick[1:]))
                       if u in eco.services and v in eco.services
                       and (a is None or b is None or a != b))
                   for pick in itertools.product(*options))

    def walk(path, wait, hand, covered):
        node = path[-1]
        if node in eco.outcomes:
            # at least the pairwise count (organisations that do not meet), often more
            assert changes(path) >= hand
            out.append((len(needs - covered), wait, changes(path), list(path)))
            return
        for _, v, segs in eco.out_refs.get(node, ()):
            if v in path or v not in reach or (segs and segment not in segs):
                continue
            if v in eco.services and not eco.eligible(v, segment):
                continue
            w, h = step_cost(node, v)
            walk(path + [v], wait + w, hand + h, covered | covers(v))

    for e in sorted(entries & reach):
        walk([e], 0, 0, covers(e))
    return sorted(set((u, w, h, tuple(p)) for u, w, h, p in out))


@pytest.mark.slow  # 200 graphs against a brute force
@settings(max_examples=200, deadline=None)
@given(ecosystems(), st.integers(1, 6))
def test_k_best_paths_are_exactly_the_brute_force_k_best(b, k):
    """The 4-key order (uncovered needs, wait, hand-offs, ids): the search's k paths are
    the first k of every path enumerated and sorted."""
    eco = ecosystem(b.g)
    for s in eco.segments:
        search = ranked_paths(b.g, s, k=k, eco=eco)
        expected = _brute_force_ranked(b, s)[:k]
        got = [(len(p["uncovered"]), round(p["total_wait_days"] * 100), p["handoffs"],
                tuple(st_["node"] for st_ in p["steps"])) for p in search.paths]
        assert search.exact
        assert got == expected
        for p in search.paths:
            assert sorted(p["covered"] + p["uncovered"]) == sorted(eco.segment_needs[s])


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=3 * n))))
def test_dominators_of_sink_match_networkx(case):
    n, edges = case
    succ: dict = {i: [] for i in range(n)}
    for u, v in edges:
        if v not in succ[u]:
            succ[u].append(v)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u, v) for u in succ for v in succ[u])
    source, sink = 0, n - 1
    ours = dominators_of_sink(succ, source, sink)
    if sink == source or not nx.has_path(g, source, sink):
        assert ours == [] or sink == source
        return
    idom = nx.immediate_dominators(g, source)
    chain, x = [], idom[sink]
    while x != source:
        chain.append(x)
        x = idom[x]
    assert ours == chain


def test_k_paths_are_distinct_and_limited():
    b = Builder().chain()
    b.service("c", providers=["y"])
    b.referral("r-ac", "a", "c", owner="x", wait=1)
    b.referral("r-cw", "c", "work", owner="y", wait=1)
    paths = best_paths(b.g, "seg", k=5)
    assert [[s["node"] for s in p["steps"]] for p in paths] == [["a", "c", "work"],
                                                                ["a", "b", "work"]]
    assert list(islice(best_paths(b.g, "seg", k=1), 5))[0]["rank"] == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ecosystems())
def test_the_index_knows_who_answers_as_responsibilities_of_does(b):
    """find() takes who must act from the ecosystem index's one pass over the edges: it is
    the same as polku.analyses.accountable's own pass, plan layer included."""
    from polku.analyses.accountable import responsibilities_of

    if "m0" in b.g:  # a plan measure with a risk: the plan layer's edges too
        b.risk("k0", "m0")
    assert ecosystem(b.g).responsibilities == responsibilities_of(b.g)


def test_the_example_index_knows_who_answers_as_responsibilities_of_does():
    from polku.analyses.accountable import responsibilities_of
    from polku.io.load import load_graph

    g = load_graph(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa")
    assert ecosystem(g).responsibilities == responsibilities_of(g)
