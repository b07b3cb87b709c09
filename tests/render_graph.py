"""A small ecosystem graph for the view tests, built by hand with polku.graph's helpers.

It holds every trouble the views must show: a service named like an XSS payload, referrals
whose information does not travel (or nobody knows), a referral without owner, a service
limited to one segment, an unmet need, a subject with no lead and one with two leads, and a
designed path with a broken step.
"""

from __future__ import annotations

import networkx as nx
import pytest

from polku.analyses.findings import find
from polku.graph import add_edge, new_graph

XSS = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script><!--"


def demo_graph(name: str = "demo-region") -> nx.MultiDiGraph:
    g = new_graph(name)
    actors = {
        "keusote": ("Keusote", "wellbeing-county"),
        "tyollisyysalue": ("Keski-Uudenmaan työllisyysalue", "employment-area"),
        "kela": ("Kela", "kela"),
        "klubitalo": ("Klubitalo " + XSS_SCRIPT, "third-sector"),
        "oikeusapu": ("Oikeusaputoimisto", "state"),
    }
    for aid, (name_, kind) in actors.items():
        g.add_node(aid, type="actor", name=name_, kind=kind, region="Keski-Uusimaa")
    services = {
        # id: (name, providers, capacity, entry, needs, segments)
        "alkuhaastattelu": ("Alkuhaastattelu", ["tyollisyysalue"], 120, True, ["tyonhaku"], []),
        "tyokokeilu": ("Työkokeilu", ["tyollisyysalue", "kela"], 40, False, ["tyokyky"], []),
        "typ": ("Monialainen palvelutarpeen arviointi", ["tyollisyysalue", "keusote", "kela"],
                30, False, ["tyokyky", "terveys"], []),
        "ips": ("IPS-työhönvalmennus", ["keusote"], 15, False, ["mielenterveys"],
                ["seg-hoitosuhteessa"]),
        "velkaneuvonta": ("Velkaneuvonta", ["oikeusapu"], 20, False, ["velat"], []),
        "xss": (XSS, ["klubitalo"], 10, False, [], []),
        "orpo": ("Palvelu ilman tuottajaa", [], None, False, [], []),
    }
    for sid, (name_, prov, cap, entry, needs, segs) in services.items():
        attrs = {"name": name_}
        if cap is not None:
            attrs["capacity_per_month"] = cap
        if entry:
            attrs["entry"] = True
        g.add_node(sid, type="service", **attrs)
        for a in prov:
            add_edge(g, a, sid, "provides")
        for n in needs:
            add_edge(g, sid, n, "addresses")
        for s in segs:
            add_edge(g, sid, s, "for_segment")
    for oid, name_ in (("tyo", "Työ avoimilla työmarkkinoilla"), ("koulutus", "Opiskelupaikka")):
        g.add_node(oid, type="outcome", name=name_)
    for nid, name_, factor in (("tyonhaku", "Työnhaku", "work"), ("tyokyky", "Työkyky", "health"),
                               ("terveys", "Terveys", "health"),
                               ("mielenterveys", "Mielenterveys", "health"),
                               ("velat", "Velat", "social"), ("asuminen", "Asuminen", "social")):
        g.add_node(nid, type="need", name=name_, factor=factor)
    segments = {
        "seg-tyovalmiit": ("Työvalmiit", 3300, 0.62, ["tyonhaku"], ["alkuhaastattelu"]),
        "seg-hoitosuhteessa": ("Mielenterveyden häiriö", 1100, 0.22,
                              ["mielenterveys", "tyokyky"], ["alkuhaastattelu"]),
        "seg-monitarve": ("Päihteet, asuminen ja velat", 1100, 0.12, ["velat", "asuminen"],
                          ["alkuhaastattelu"]),
    }
    for sid, (name_, size, rate, needs, entries) in segments.items():
        g.add_node(sid, type="segment", name=name_, size=size, participation_rate=rate)
        for n in needs:
            add_edge(g, sid, n, "has_need")
        for e in entries:
            add_edge(g, sid, e, "entry")
    refs = [
        # id, from, to, volume, wait, owner, info, segments
        ("r1", "alkuhaastattelu", "tyokokeilu", 30, 14, "tyollisyysalue", "yes", []),
        ("r2", "alkuhaastattelu", "typ", 25, 21, "tyollisyysalue", "no", []),
        ("r3", "typ", "ips", 8, 45, "keusote", "unknown", ["seg-hoitosuhteessa"]),
        ("r4", "ips", "tyo", 4, 7, "keusote", "yes", []),
        ("r5", "tyokokeilu", "tyo", 12, 10, None, "yes", []),
        ("r6", "typ", "velkaneuvonta", 6, 35, "keusote", "no", ["seg-monitarve"]),
        ("r7", "typ", "xss", 5, 3, "klubitalo", "yes", []),
        ("r8", "xss", "koulutus", 2, 5, "klubitalo", "unknown", []),
        ("r9", "typ", "tyokokeilu", 10, 12, "kela", "yes", []),
    ]
    for rid, u, v, vol, wait, owner, info, segs in refs:
        g.add_node(rid, type="referral", volume_per_month=vol, median_wait_days=wait,
                   information_flow=info)
        add_edge(g, rid, u, "from")
        add_edge(g, rid, v, "to")
        if owner:
            add_edge(g, rid, owner, "owner")
        for s in segs:
            add_edge(g, rid, s, "for_segment")
    for actor, subject, role in (
        ("tyollisyysalue", "alkuhaastattelu", "lead"),
        ("tyollisyysalue", "typ", "lead"),
        ("keusote", "typ", "lead"),          # two leads
        ("kela", "typ", "participant"),
        ("tyollisyysalue", "tyokokeilu", "participant"),  # no lead
        ("kela", "tyokokeilu", "consulted"),
        ("keusote", "r3", "lead"),
        ("klubitalo", "xss", "informed"),
        ("kela", "r2", "participant"),       # no lead row, but an owner: answered for
        ("kela", "r5", "consulted"),         # neither lead nor owner
    ):
        add_edge(g, actor, subject, "responsibility", key=f"responsibility:{role}", role=role)
    g.add_node("polku-ips", type="path", name="IPS-polku")
    add_edge(g, "polku-ips", "seg-hoitosuhteessa", "path_segment")
    g.add_node("polku-velat", type="path", name="Velkapolku")
    add_edge(g, "polku-velat", "seg-monitarve", "path_segment")
    for path, steps in (("polku-ips", ["alkuhaastattelu", "typ", "ips", "tyo"]),
                        ("polku-velat", ["alkuhaastattelu", "velkaneuvonta", "tyo"])):
        for i, node in enumerate(steps, start=1):
            add_edge(g, path, node, "step", key=f"step:{i}", order=i)
    return g


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    """The demo graph, for the view tests (import this fixture into a test module)."""
    return demo_graph()


@pytest.fixture(scope="module")
def findings(g: nx.MultiDiGraph) -> list[dict]:
    """The demo graph's findings as the views take them."""
    return [f.to_dict() for f in find(g)]
