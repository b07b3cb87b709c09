"""Answers checked against the contract by hand (docs/findings.md, docs/whatif.md): each test
holds one answer a service designer or a leader once read wrong."""

from __future__ import annotations

import pytest

from helpers import EXAMPLE
from polku.analyses.diff import diff
from polku.analyses.findings import find
from polku.analyses.whatif import whatif
from polku.graph import add_edge, new_graph
from polku.io.load import load_graph


@pytest.fixture(scope="module")
def example():
    return load_graph(EXAMPLE)


def _crowded() -> "object":
    """A service over capacity fed by two referrals, 30 + 10 clients a month against 20."""
    g = new_graph("crowded")
    g.add_node("org", type="actor", name="Org", kind="municipality")
    for s in ("a", "b", "c"):
        g.add_node(s, type="service", name=s.upper(), capacity_per_month=20, entry=True)
        add_edge(g, "org", s, "provides")
    g.add_node("o", type="outcome", name="Work")
    for r, u, v, vol in (("r1", "a", "c", 30), ("r2", "b", "c", 10), ("r3", "c", "o", 40),
                         ("r4", "a", "o", 5), ("r5", "b", "o", 5)):
        g.add_node(r, type="referral", volume_per_month=vol)
        add_edge(g, r, u, "from"); add_edge(g, r, v, "to"); add_edge(g, r, "org", "owner")
    return g


def test_a_service_still_over_capacity_is_the_same_finding_after_a_removal() -> None:
    """Removing one referral into a crowded service that stays crowded (30 > 20) changes
    the finding's figures and related referrals, not the finding: it is neither created
    nor resolved (the stable key, docs/findings.md)."""
    g = _crowded()
    assert [f.key for f in find(g) if f.kind == "over-capacity"] == ["over-capacity:c"]
    out = whatif(g, "r2")
    assert [f["key"] for f in out["created"]] == []
    assert [f["key"] for f in out["resolved"]] == []


def test_the_diff_matches_findings_by_their_stable_key(example) -> None:
    """Example: without one of the four referrals into the multi-sectoral assessment it
    still takes in 52 a month against 45: the diff lists the referral removed and no
    over-capacity created or resolved (it said both, 60 and 52)."""
    h = example.copy()
    h.remove_node("ref-mielenterveys-monialainen-arvio")
    d = diff(example, h)
    assert d["removed"] == ["ref-mielenterveys-monialainen-arvio"]
    assert d["findings"] == {"created": [], "resolved": []}
    out = whatif(example, "ref-mielenterveys-monialainen-arvio")
    assert out["created"] == [] and out["resolved"] == []


def test_a_referral_finding_affects_the_groups_that_take_the_referral(example) -> None:
    """The report's first page counts the people a finding affects. A referral for one
    segment affects that segment's people, not everyone who reaches one of its ends: IPS →
    pay subsidy is for people in care (760), not the 6,840 who reach pay subsidy; the
    initial interview → health check only for seg-terveys (1,140; seg-elakepolku never
    reaches the interview); rehabilitative work activity → work trial only for the three
    segments rehabilitative work activity is for (760 + 1,140 + 760)."""
    from polku.analyses.reach import ecosystem
    from polku.present.decisions import people_affected

    eco = ecosystem(example)
    found = {f.key: f for f in find(example)}
    assert people_affected(found["no-information-flow:ref-ips-palkkatuki"], example, eco) == 760
    assert people_affected(found["no-information-flow:ref-alku-terveystarkastus"], example,
                           eco) == 1140
    assert people_affected(found["referral-without-owner:ref-ktt-tyokokeilu"], example,
                           eco) == 2660


def test_the_queue_after_a_demand_change_takes_the_volumes_as_computed() -> None:
    """+0.37 % at a front door sends 9.5 × 1.0037 = 9.535 clients a month to a service that
    serves 10: M/M/1 waits 9.535 / (10 × 0.465) months = 62.36 days. The what-if read the
    volume rounded to 9.54 (63.05 days): near a full queue a hundredth of a client moved
    the answer by most of a day."""
    from polku.analyses.queues import DAYS_PER_MONTH, queue_whatif

    g = new_graph("front")
    g.add_node("org", type="actor", name="Org", kind="municipality")
    g.add_node("door", type="service", name="Door", entry=True)
    g.add_node("b", type="service", name="B", capacity_per_month=10)
    g.add_node("o", type="outcome", name="Work")
    for s in ("door", "b"):
        add_edge(g, "org", s, "provides")
    for r, u, v, vol in (("r1", "door", "b", 9.5), ("r2", "b", "o", 9.5)):
        g.add_node(r, type="referral", volume_per_month=vol)
        add_edge(g, r, u, "from"); add_edge(g, r, v, "to"); add_edge(g, r, "org", "owner")
    out = queue_whatif(g, demand={"door": 0.0037})
    lam = 9.5 * 1.0037
    expected = lam / (10 * (10 - lam)) * DAYS_PER_MONTH
    assert out["services"]["b"]["after"]["wait_days"] == pytest.approx(expected, abs=0.006)


def test_a_service_with_no_capacity_left_leads_the_ranking_by_flow() -> None:
    """A capacity of 0 that 9 clients a month are referred to is over capacity (the
    finding fires, utilization null): the ranking by flow puts it first, not among the
    services that have no capacity at all."""
    from polku.analyses.bottlenecks import bottlenecks

    g = _crowded()
    g.add_node("shut", type="service", name="Shut", capacity_per_month=0)
    add_edge(g, "org", "shut", "provides")
    g.add_node("r9", type="referral", volume_per_month=9)
    add_edge(g, "r9", "a", "from"); add_edge(g, "r9", "shut", "to")
    add_edge(g, "r9", "org", "owner")
    out = bottlenecks(g)
    assert "over-capacity:shut" in {f["key"] for f in out["findings"]}
    assert [r["service"] for r in out["by_flow"]][:2] == ["shut", "c"]


def test_an_unmodelled_flow_says_who_must_act(tmp_path) -> None:
    """Every finding names who must act (docs/findings.md: accountable = acc(subject) for
    every kind): a hand-off the graph has no referral for is the handing service's, its
    lead's or else its providers'. The event log's findings named nobody."""
    from polku.analyses.eventlog import event_log_stats
    from polku.io.eventlog import read_event_log

    g = _crowded()
    g.add_node("other", type="actor", name="Other", kind="third-sector")
    add_edge(g, "other", "c", "responsibility", key="responsibility:lead", role="lead")
    log = tmp_path / "log.csv"
    log.write_text("case,service,start\nk1,c,2026-01-05T08:00:00\nk1,a,2026-01-09T08:00:00\n",
                   encoding="utf-8")
    stats = event_log_stats(g, read_event_log(log, g))
    (f,) = stats["findings"]
    assert (f.key, f.accountable) == ("unmodelled-flow:c:a", ("other",))


def test_paths_to_an_outcome_no_route_reaches_say_that_outcome(english_cli) -> None:
    """Young people reach outcomes, not a pension decision: `--to` says that no path
    reaches the outcome asked, not that none reaches any outcome."""
    from helpers import run

    out = run("paths", EXAMPLE, "--segment", "seg-nuoret", "--to", "tulos-elakeratkaisu",
              "--lang", "en").output
    assert "reaches an outcome" not in out
    assert "no path from the segment's entries reaches Pension decision" in out
