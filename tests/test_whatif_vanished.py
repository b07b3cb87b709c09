"""A finding that vanishes in a what-if is not always good news: removing the service
through which a segment reached two overlapping services takes its access away, it does
not resolve the overlap. The removal what-if says why each vanished finding is gone
(``resolved``, ``removed``, ``unreachable``) on every door: the CLI's text (fi, sv, en) and
JSON, and the API."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from polku.app import create_app
from helpers import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
TTL = ROOT / "graphs" / "keski-uusimaa.ttl"
ASSESSMENT = "monialainen-palvelutarvearvio"


def reasons(doc: dict) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for group in ("resolved", "removed_with"):
        for f in doc[group]:
            out.setdefault((f["kind"], f["subject"]), set()).add(f"{group}:{f['reason']}")
    return out


def test_a_segment_losing_access_is_not_an_overlap_resolved() -> None:
    r = run("whatif", TTL, "--remove", ASSESSMENT, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    # the new user's reading: two overlapping-services on seg-terveys were "Ratkeaa"
    assert not [f for f in doc["resolved"] if f["kind"] == "overlapping-services"], doc
    gone = [f for f in doc["removed_with"] if f["kind"] == "overlapping-services"]
    assert len(gone) == 2 and {f["subject"] for f in gone} == {"seg-terveys"}
    assert {f["reason"] for f in gone} == {"unreachable"}
    # the removed service's own finding went with it
    assert reasons(doc)[("over-capacity", ASSESSMENT)] == {"removed_with:removed"}
    assert all(f["reason"] == "resolved" for f in doc["resolved"])


def test_the_text_says_why_in_each_language() -> None:
    said = {lang: run("whatif", TTL, "--remove", ASSESSMENT, "--lang", lang).stdout
            for lang in ("fi", "sv", "en")}
    fi = said["fi"]
    resolved = fi[fi.index("Ratkeaa ("):fi.index("Poistuu poistetun mukana")]
    assert "päällekkäiset palvelut" not in resolved and "Ratkeaa (0):" in resolved
    assert "Poistuu poistetun mukana tai koska siihen ei enää pääse (3):" in fi
    assert fi.count("— siihen ei enää pääse") == 2 and "— poistui poistetun mukana" in fi
    assert "Försvinner med det borttagna eller för att ingen längre når dit (3):" in said["sv"]
    assert said["sv"].count("— ingen når dit längre") == 2
    assert "Gone with what was removed or no longer reachable (3):" in said["en"]
    assert said["en"].count("— no longer reachable") == 2


def test_the_api_gives_each_vanished_finding_its_reason() -> None:
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    r = client.get("/api/graphs/keski-uusimaa/whatif", params={"remove": ASSESSMENT})
    assert r.status_code == 200, r.text
    cli = json.loads(run("whatif", EXAMPLE, "--remove", ASSESSMENT, "--format",
                         "json").stdout)
    assert reasons(r.json()) == reasons(cli)
    assert {f["reason"] for f in r.json()["removed_with"]} == {"removed", "unreachable"}


def test_a_removal_that_cuts_nothing_resolves_what_it_resolves() -> None:
    """A second lead taken off while the service stays is resolved; the same finding gone
    because the second lead's actor was removed went with what was removed."""
    from polku.analyses.vanished import why_vanished
    from polku.finding import Finding
    from polku.graph import add_edge, new_graph

    g = new_graph()
    for n in ("a", "b"):
        g.add_node(n, type="actor")
    g.add_node("s", type="service")
    add_edge(g, "a", "s", "responsibility", key="responsibility:lead", role="lead")
    add_edge(g, "b", "s", "responsibility", key="responsibility:lead", role="lead")
    h = g.copy()
    h.remove_edge("b", "s", "responsibility:lead")
    f = Finding("multiple-leads", "warning", "s", ("a", "b"))
    assert why_vanished(g, h, [f], [], [f]) == ["resolved"]
    h.remove_node("b")
    assert why_vanished(g, h, [f], [], [f]) == ["removed"]


def test_a_dead_end_nobody_reaches_any_more_is_not_resolved() -> None:
    """Removing the only referral into a dead end hides the dead end (only a reachable
    service is one): it is no longer reachable, not fixed."""
    from ecobuild import Builder
    from polku.analyses.whatif import whatif

    b = Builder()
    b.actor("x").outcome("work")
    b.service("front", providers=["x"]).service("stuck", providers=["x"])
    b.referral("r-front-work", "front", "work", owner="x", info="yes")
    b.referral("r-front-stuck", "front", "stuck", owner="x", info="yes")
    b.segment("seg", entries=["front"])
    result = whatif(b.g, "r-front-stuck")
    assert ("unreachable-service", "stuck") in {(f["kind"], f["subject"])
                                                for f in result["created"]}
    assert [(f["kind"], f["subject"], f["reason"]) for f in result["removed_with"]] == [
        ("dead-end", "stuck", "unreachable")]
    assert result["resolved"] == []
