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


def page_findings(page: str) -> dict[str, set[tuple[str, str, str]]]:
    """The removal's three lists on the what-if page: heading → (kind, subject, reason)."""
    import re

    section = page.split('<section id="removal"', 1)[1].split("</section>", 1)[0]
    out: dict[str, set[tuple[str, str, str]]] = {}
    for part in re.split(r"<h3[^>]*>", section)[1:]:
        title, body = part.split("</h3>", 1)
        items = re.findall(r'<li data-kind="([\w-]+)" data-subject="([^"]+)"'
                           r'(?: data-reason="(\w+)")?>', body)
        out[title] = {(kind, subject, reason or "resolved") for kind, subject, reason in items}
    return out


def test_the_page_lists_what_went_with_the_removal_and_why() -> None:
    """The what-if page removes one of the segment's services (``remove``) as the API does:
    the findings created, resolved and gone with it, each gone one saying why, in the
    reader's language; the public reads the answer of the published figures, as the API
    gives it to them."""
    from polku.server.auth import Tokens

    token = "editor-token-0123456789"
    client = TestClient(create_app([EXAMPLE], Tokens({"editor": token})),
                        raise_server_exceptions=False)
    for who, headers in (("editor", {"Authorization": f"Bearer {token}"}), ("public", {})):
        api = client.get("/api/graphs/keski-uusimaa/whatif", headers=headers,
                         params={"remove": ASSESSMENT, "lang": "en"}).json()
        r = client.get("/graphs/keski-uusimaa/whatif", headers=headers, params={
            "segment": "seg-terveys", "remove": ASSESSMENT, "lang": "en"})
        assert r.status_code == 200, r.text
        lists = page_findings(r.text)
        assert list(lists) == ["Findings created", "Findings resolved",
                               "Gone with what was removed or no longer reachable"], who
        expected = {key: {(f["kind"], f["subject"], f.get("reason", "resolved"))
                          for f in api[key]} for key in ("created", "resolved", "removed_with")}
        assert list(lists.values()) == [expected["created"], expected["resolved"],
                                        expected["removed_with"]], who
        gone = lists["Gone with what was removed or no longer reachable"]
        assert ("overlapping-services", "seg-terveys", "unreachable") in gone, who
        assert "What if the service Multi-sectoral service-need assessment were removed" \
            in r.text
    fi = client.get("/graphs/keski-uusimaa/whatif", params={
        "segment": "seg-terveys", "remove": ASSESSMENT, "lang": "fi"}).text
    assert "Poistuu poistetun mukana tai koska siihen ei enää pääse" in fi
    assert fi.count("siihen ei enää pääse</span>") == 2 and "poistui poistetun mukana" in fi
    # the segment's services are the choices; a removal beside a change is refused there
    assert f'<option value="{ASSESSMENT}" selected>' in fi
    both = client.get("/graphs/keski-uusimaa/whatif", params={
        "segment": "seg-terveys", "remove": ASSESSMENT, "service": "kuntouttava-tyotoiminta",
        "capacity": "30", "lang": "en"})
    assert both.status_code == 400 and 'data-field="remove"' in both.text
    assert 'id="remove" name="remove" aria-invalid="true"' in both.text
