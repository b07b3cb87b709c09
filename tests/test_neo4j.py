"""Push, pull and findings against a real Neo4j server (the session's ``neo4j_server``).

Every test works in regions of its own, so tests can share the one server.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from helpers import run
from processes import free_port
from polku.io import neo4jstore as ns
from polku.errors import PolkuError
from polku.analyses.findings import find
from polku.graph import add_edge, new_graph, nodes_of
from polku.io.load import load_graph
from polku.analyses.neo4j_findings import CYPHER_KINDS, cypher_findings, cypher_findings_named
from polku.present.i18n import translator
from polku.present.messages import worded
from polku.io.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
PLAN = ROOT / "graphs" / "plan.ttl"
SECOND = ROOT / "tests" / "data" / "keski-suomi"
HOSTILE = "x'}) DETACH DELETE n //"


@pytest.fixture
def server(neo4j_server):
    return neo4j_server


def creds(server) -> dict:
    return {"uri": server.uri, "user": server.user, "password": server.password}


def query(server, cypher: str, **params) -> list[dict]:
    import neo4j

    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
        records, _, _ = d.execute_query(cypher, **params)
        return [r.data() for r in records]


def dump(server, region: str) -> tuple[dict, dict]:
    """Everything the database holds for a region, element ids included (so a node that
    was deleted and created again does not look unchanged)."""
    nodes = {r["id"]: (r["eid"], sorted(r["labels"]), r["props"]) for r in query(
        server, "MATCH (n:Polku {polku_region: $r}) RETURN n.id AS id, elementId(n) AS eid, "
        "labels(n) AS labels, properties(n) AS props", r=region)}
    rels = {(r["u"], r["type"], r["key"], r["v"]): (r["eid"], r["props"]) for r in query(
        server, "MATCH (a:Polku {polku_region: $r})-[x]->(b) RETURN a.id AS u, type(x) AS type, "
        "x.key AS key, b.id AS v, elementId(x) AS eid, properties(x) AS props", r=region)}
    return nodes, rels


def assert_same_graph(expected: nx.MultiDiGraph, got: nx.MultiDiGraph) -> None:
    """Same nodes with the same attributes, same edges (ends, key, kind, attributes)."""
    assert set(got.nodes) == set(expected.nodes)
    for n, d in expected.nodes(data=True):
        assert got.nodes[n] == d, n
    want = {(u, v, k): d for u, v, k, d in expected.edges(keys=True, data=True)}
    have = {(u, v, k): d for u, v, k, d in got.edges(keys=True, data=True)}
    assert have.keys() == want.keys()
    for e, d in want.items():
        assert have[e] == d, e
    assert got.graph == expected.graph


def small_graph(name: str = "pieni") -> nx.MultiDiGraph:
    """Every kind of value the mapping has to carry."""
    g = new_graph(name)
    g.add_node("keusote", type="actor", name="Keski-Uudenmaan hyvinvointialue",
               name_sv="Mellersta Nylands välfärdsområde", kind="wellbeing-county",
               region="Keski-Uusimaa", extra={"url": "https://www.keusote.fi", "y-tunnus": "3221346-9"})
    g.add_node("te", type="actor", name="Työllisyysalue", kind="employment-area")
    g.add_node("typ", type="service", name="TYP-arviointi", capacity_per_month=40, entry=True,
               legal_basis="Laki 1369/2014", extra={"note": "ä ö å – “quotes”"})
    g.add_node("debt", type="service", name="Velkaneuvonta", entry=False)
    g.add_node("work", type="outcome", name="Työ")
    g.add_node("youth", type="segment", name="Nuoret", size=1200, participation_rate=0.35)
    g.add_node("ref-1", type="referral", volume_per_month=12.5, median_wait_days=45,
               information_flow="no")
    g.add_node("p1", type="path", name="Nuoren polku")
    g.add_node("m1", type="measure", name="Toimenpide", deferred=False, parts=["a", "b"],
               weights=[1, 2, 3], nested={"a": [1, {"b": None}]}, big=2 ** 62)
    add_edge(g, "keusote", "typ", "provides")
    add_edge(g, "te", "typ", "provides")
    add_edge(g, "ref-1", "typ", "from")
    add_edge(g, "ref-1", "debt", "to")
    add_edge(g, "ref-1", "youth", "for_segment")
    add_edge(g, "youth", "typ", "entry")
    add_edge(g, "keusote", "typ", "responsibility", key="responsibility:lead", role="lead",
             note="vastuu")
    add_edge(g, "te", "typ", "responsibility", key="responsibility:participant",
             role="participant")
    add_edge(g, "p1", "youth", "path_segment")
    add_edge(g, "p1", "typ", "step", key="step:1", order=1)
    add_edge(g, "p1", "work", "step", key="step:2", order=2)
    return g


# --- round trips -------------------------------------------------------------------------

def test_push_then_pull_gives_the_same_graph(server):
    g = small_graph("rt-small")
    result = ns.push_graph(g, **creds(server))
    assert (result.region, result.nodes, result.relationships) == ("rt-small", 9, 11)
    assert_same_graph(g, ns.pull_graph(**creds(server), region="rt-small"))


def test_a_merged_graph_keeps_its_regions_graph_sheets_through_neo4j(server, tmp_path):
    """A merged graph pushed and pulled keeps each region's own graph sheet (the graph's
    own attributes travel with the region node)."""
    from helpers import copy_full, edit
    from polku.analyses.merge import merge, split
    from polku.graph import regions

    a, b = copy_full(tmp_path / "ra", "ra"), copy_full(tmp_path / "rb", "rb")
    edit(b / "graph.csv", "Keski-Uusimaa,Mellersta Nyland,Central Uusimaa,yes,polku tests",
         "Keski-Suomi,,Central Finland,,Keski-Suomen kokeilu")
    merged = merge([load_graph(a), load_graph(b)]).graph
    assert [r["region"] for r in regions(merged)] == ["Keski-Uusimaa", "Keski-Suomi"]
    try:
        ns.push_graph(merged, **creds(server), region="rt-national")
        pulled = ns.pull_graph(**creds(server), region="rt-national")
        pulled.graph["name"] = merged.graph["name"]
        assert regions(pulled) == regions(merged)
        assert_same_graph(merged, pulled)
        # which regions held each shared actor comes back too, so each region does
        assert pulled.nodes["national/kela"]["merged_from"] == ["ra/kela", "rb/kela"]
        assert [(r.id, sorted(r.graph)) for r in split(pulled)] == \
            [(r.id, sorted(r.graph)) for r in split(merged)]
    finally:
        ns.delete_region(**creds(server), region="rt-national")


def test_push_and_pull_report_their_progress(server):
    g = small_graph("progress")
    heard: list[tuple] = []
    result = ns.push_graph(g, **creds(server), batch_size=2,
                           progress=lambda d, done=None, total=None: heard.append((d, done, total)))
    counted = [(done, total) for _, done, total in heard if total is not None]
    assert counted[-1] == (result.nodes + result.relationships,) * 2
    assert [done for done, _ in counted] == sorted(done for done, _ in counted)
    assert len(counted) > 3  # every batch of two rows is heard of
    heard.clear()
    ns.pull_graph(**creds(server), region="progress",
                  progress=lambda d, done=None, total=None: heard.append(d))
    assert any("pulling region 'progress'" in d for d in heard)


@pytest.mark.parametrize("path", [EXAMPLE, PLAN], ids=["keski-uusimaa", "plan"])
def test_example_graphs_round_trip(server, path):
    g = load_graph(path)
    region = f"rt-{path.stem}"
    ns.push_graph(g, **creds(server), region=region)
    pulled = ns.pull_graph(**creds(server), region=region)
    pulled.graph["name"] = g.graph["name"]  # region and graph name differ only here
    assert_same_graph(g, pulled)
    assert nx.is_isomorphic(g, pulled)


def test_one_label_per_type_and_one_relationship_type_per_kind(server):
    g = load_graph(EXAMPLE)
    ns.push_graph(g, **creds(server), region="labels")
    counts = {r["t"]: r["n"] for r in query(
        server, "MATCH (n:Polku {polku_region: 'labels'}) UNWIND labels(n) AS t "
        "RETURN t, count(*) AS n")}
    assert counts.pop("Polku") == g.number_of_nodes()
    assert counts == {ns.LABELS[t]: len(nodes_of(g, t)) for t in ns.LABELS if nodes_of(g, t)}
    kinds = {r["t"]: r["n"] for r in query(
        server, "MATCH (:Polku {polku_region: 'labels'})-[r]->() RETURN type(r) AS t, "
        "count(*) AS n")}
    want: dict[str, int] = {}
    for *_, k in g.edges(data="kind"):
        want[ns.REL_TYPES[k]] = want.get(ns.REL_TYPES[k], 0) + 1
    assert kinds == want
    constraints = {r["name"] for r in query(server, "SHOW CONSTRAINTS YIELD name")}
    assert {"polku_node_region_id", "polku_region_name"} <= constraints


def test_push_twice_changes_nothing(server):
    g = small_graph("twice")
    ns.push_graph(g, **creds(server))
    before = dump(server, "twice")
    again = ns.push_graph(g, **creds(server))
    assert (again.created_nodes, again.created_relationships,
            again.deleted_nodes, again.deleted_relationships) == (0, 0, 0, 0)
    assert dump(server, "twice") == before


def test_pushing_a_changed_graph_leaves_neo4j_equal_to_it(server):
    g = small_graph("changed")
    ns.push_graph(g, **creds(server))
    h = copy.deepcopy(g)
    h.remove_node("debt")                                 # node and its edges go
    h.remove_edge("te", "typ", key="provides")            # one of parallel edge kinds goes
    h.nodes["typ"]["capacity_per_month"] = 55             # attribute changes
    del h.nodes["typ"]["legal_basis"]                     # attribute goes
    del h.nodes["keusote"]["extra"]["url"]                # one extra column goes
    h.nodes["work"]["type"] = "service"                   # type (label) changes
    h.add_node("new", type="need", name="Uusi tarve")     # node comes
    add_edge(h, "typ", "new", "addresses")                # edge comes
    h.edges["p1", "typ", "step:1"]["order"] = 3           # edge attribute changes
    result = ns.push_graph(h, **creds(server))
    assert (result.deleted_nodes, result.created_nodes) == (1, 1)
    assert (result.deleted_relationships, result.created_relationships) == (2, 1)
    # h's referral from the removed service has lost an end: read as it stands
    assert_same_graph(h, ns.pull_graph(**creds(server), region="changed", checked=False))
    labels = query(server, "MATCH (n:Polku {polku_region: 'changed', id: 'work'}) "
                   "RETURN labels(n) AS l")[0]["l"]
    assert sorted(labels) == ["Polku", "Service"]
    ns.delete_region(**creds(server), region="changed")  # no graph file may hold it


def test_regions_live_side_by_side_and_a_push_touches_only_its_own(server):
    a, b = small_graph("side-a"), small_graph("side-b")   # the same ids in both
    ns.push_graph(a, **creds(server))
    ns.push_graph(b, **creds(server))
    untouched = dump(server, "side-b")
    a.remove_node("typ")
    a.nodes["work"]["name"] = "Toinen"
    ns.push_graph(a, **creds(server))
    ns.push_graph(new_graph("side-a"), **creds(server))   # even emptying a region
    assert dump(server, "side-b") == untouched
    assert_same_graph(b, ns.pull_graph(**creds(server), region="side-b"))
    assert ns.pull_graph(**creds(server), region="side-a").number_of_nodes() == 0
    assert {"side-a", "side-b"} <= set(ns.regions(**creds(server)))
    assert ns.delete_region(**creds(server), region="side-b") == b.number_of_nodes()
    assert "side-b" not in ns.regions(**creds(server)) and dump(server, "side-b") == ({}, {})
    assert "side-a" in ns.regions(**creds(server))


def test_hostile_names_are_just_names(server):
    ns.push_graph(small_graph("bystander"), **creds(server))
    before = dump(server, "bystander")
    g = new_graph(HOSTILE)
    g.add_node(HOSTILE, type="service", name=HOSTILE, description="`) MATCH (n) DETACH DELETE n //",
               extra={"a`b) DETACH DELETE n //": HOSTILE})
    g.add_node('y"}) DETACH DELETE n //', type="actor", name="\\'; DROP DATABASE neo4j")
    add_edge(g, 'y"}) DETACH DELETE n //', HOSTILE, "provides")
    add_edge(g, 'y"}) DETACH DELETE n //', HOSTILE, "responsibility",
             key="responsibility:`]->() DELETE r //", role=HOSTILE)
    ns.push_graph(g, **creds(server))
    assert_same_graph(g, ns.pull_graph(**creds(server), region=HOSTILE))
    assert dump(server, "bystander") == before


def test_unknown_types_and_kinds_never_reach_the_query(server):
    g = small_graph("refused")
    g.add_node("evil", type="service`) DETACH DELETE n //")
    with pytest.raises(PolkuError, match="unknown node type") as e:
        ns.push_graph(g, **creds(server))
    assert e.value.node == "evil"
    h = small_graph("refused")
    h.add_edge("typ", "debt", key="x", kind="PROVIDES]->() DETACH DELETE n //")
    with pytest.raises(PolkuError, match="unknown kind"):
        ns.push_graph(h, **creds(server))
    assert "refused" not in ns.regions(**creds(server))


# --- failures ----------------------------------------------------------------------------

def test_wrong_password_is_a_clear_error_that_does_not_show_it(server, monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("NEO4J_USER", raising=False)
    secret = "not-the-password-31337"
    with pytest.raises(PolkuError, match="refused the credentials") as e:
        ns.pull_graph(server.uri, password=secret, region="x")
    assert secret not in str(e.value) and "user 'neo4j'" in str(e.value)
    with pytest.raises(PolkuError, match="refused the credentials"):
        ns.push_graph(small_graph(), server.uri)  # no password at all


def test_wrong_password_through_the_cli(server, monkeypatch):
    secret = "wrong-secret-4242"
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    result = run("neo4j", "push", EXAMPLE, "--uri", server.uri)
    assert result.exit_code == 1
    # Finnish, the command line's default (one attempt only: the server locks the user out
    # after three wrong passwords in a row, and the module shares it)
    assert "ei hyväksynyt tunnuksia" in result.output
    assert secret not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_no_server_is_a_clear_error(server):
    port = free_port()
    with pytest.raises(PolkuError, match=f"cannot connect to Neo4j at bolt://127.0.0.1:{port}"):
        ns.pull_graph(f"bolt://127.0.0.1:{port}", password="x", region="r")


def test_unknown_database_is_a_clear_error(server):
    with pytest.raises(PolkuError, match=f"Neo4j at {server.uri} has no database 'nosuchdb'"):
        ns.push_graph(small_graph("db"), **creds(server), database="nosuchdb")
    assert ns.push_graph(small_graph("db"), **creds(server), database="neo4j").nodes == 9


class CuttingProxy:
    """A TCP proxy to the server that, once ``cut_after`` bytes have gone from client to
    server, drops every connection and stops listening: the server goes away mid-push as
    far as the client can tell, and the server sees its client vanish."""

    def __init__(self, port: int, cut_after: int | None = None) -> None:
        self.port, self.cut_after, self.sent = port, cut_after, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.dropped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.port))
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, counted: bool) -> None:
        try:
            while data := src.recv(65536):
                if counted:
                    with self.lock:
                        self.sent += len(data)
                        over = self.cut_after is not None and self.sent > self.cut_after
                    if over:
                        self.drop()
                        return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def drop(self) -> None:
        self.dropped = True
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def test_server_gone_mid_push_leaves_the_region_as_it_was(server):
    old, new = load_graph(EXAMPLE), load_graph(EXAMPLE)
    for s in nodes_of(new, "service")[:10]:
        new.remove_node(s)
    for n in nodes_of(new, "referral"):
        new.nodes[n]["median_wait_days"] = 1
    measure = CuttingProxy(server.port)
    ns.push_graph(new, measure.uri, server.user, server.password, region="gone", batch_size=10)
    measure.drop()
    full = measure.sent
    ns.push_graph(old, **creds(server), region="gone")
    before = dump(server, "gone")

    cutting = CuttingProxy(server.port, cut_after=full // 2)
    with pytest.raises(PolkuError, match="lost the connection") as e:
        ns.push_graph(new, cutting.uri, server.user, server.password, region="gone",
                      batch_size=10)
    assert cutting.dropped and "rolled back" in str(e.value)
    assert dump(server, "gone") == before


def test_a_failing_statement_mid_push_leaves_the_region_as_it_was(server, monkeypatch):
    old = load_graph(EXAMPLE)
    ns.push_graph(old, **creds(server), region="failing")
    before = dump(server, "failing")
    new = copy.deepcopy(old)
    new.remove_node(nodes_of(new, "service")[0])
    real_rows = ns.graph_rows

    def rows_with_a_bad_one(g, region):
        nodes, rels = real_rows(g, region)
        last = sorted(rels)[-1]  # written last, after every node and most relationships
        row = dict(rels[last][0], key="bad")
        row["props"] = {"key": "bad", "nested": {"maps": "cannot be properties"}}
        rels[last].insert(len(rels[last]) // 2, row)
        return nodes, rels

    monkeypatch.setattr(ns, "graph_rows", rows_with_a_bad_one)
    with pytest.raises(PolkuError, match="refused the push .*rolled back"):
        ns.push_graph(new, **creds(server), region="failing", batch_size=5)
    assert dump(server, "failing") == before


def test_missing_region_and_ambiguous_default(server):
    ns.push_graph(small_graph("one"), **creds(server))
    ns.push_graph(small_graph("two"), **creds(server))
    with pytest.raises(PolkuError, match="no region 'nowhere'"):
        ns.pull_graph(**creds(server), region="nowhere")
    with pytest.raises(PolkuError, match=r"holds \d+ regions .*one.*two.*--region"):
        ns.pull_graph(**creds(server))


# --- CLI and neo4j:// URIs ---------------------------------------------------------------

def test_cli_push_pull_and_findings_on_a_uri(server, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    pushed = run("neo4j", "push", EXAMPLE, "--uri", server.uri)  # Finnish, the default
    assert pushed.exit_code == 0, pushed.output
    assert "alue 'keski-uusimaa' viety: 231 solmua, 735 suhdetta" in pushed.output, pushed.output
    pushed = run("neo4j", "push", EXAMPLE, "--uri", server.uri, "--lang", "en")
    assert "pushed region 'keski-uusimaa': 231 nodes" in pushed.output, pushed.output
    out = tmp_path / "pulled.ttl"
    pulled = run("neo4j", "pull", "--uri", server.uri, "--region", "keski-uusimaa", "-o", out,
                 "--lang", "sv")
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output.startswith(f"skrev {out}: regionen 'keski-uusimaa', "), pulled.output
    assert_same_graph(load_graph(EXAMPLE), load_graph(out))

    # neo4j:// (routing) works against a single server as well as bolt://.
    uri = f"{server.uri.replace('bolt://', 'neo4j://')}?region=keski-uusimaa"
    from_neo4j = run("findings", uri, "--format", "json")
    from_files = run("findings", EXAMPLE, "--format", "json")
    assert from_neo4j.exit_code == from_files.exit_code == 0, from_neo4j.output
    assert json.loads(from_neo4j.output) == json.loads(from_files.output)
    assert json.loads(from_neo4j.output)["findings"]

    regions = run("neo4j", "regions", "--uri", server.uri)
    assert "keski-uusimaa" in regions.output.splitlines()
    for result in (pushed, pulled, from_neo4j, regions):
        assert server.password not in result.output


def test_cli_server_side_findings(server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"{server.uri}?region=cli-cypher")
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    ns.push_graph(load_graph(EXAMPLE), region="cli-cypher")
    result = run("neo4j", "findings", "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)["findings"]
    g = load_graph(EXAMPLE)
    want = [f.to_dict() for f in worded(find(g, plan=False), g, translator("fi"))
            if f.kind in CYPHER_KINDS]
    # the findings of the spec, and the names each finding's ids have (names: the edge's)
    assert [{k: v for k, v in f.items() if k != "names"} for f in got] == want and got
    for lang in ("fi", "sv"):
        said = run("neo4j", "findings", "--format", "json", "--lang", lang)
        local = run("findings", EXAMPLE, "--format", "json", "--lang", lang)
        assert json.loads(said.output)["findings"] == [
            f for f in json.loads(local.output)["findings"] if f["kind"] in CYPHER_KINDS]
    table = run("neo4j", "findings", "--lang", "en").output
    # the counts name the kind in the reader's language, its code beside it
    assert re.search(r"1  error +referral without an owner \(referral-without-owner\)", table) \
        and "has no owner and no lead" in table


def test_cli_server_side_findings_on_a_merged_graph(server, tmp_path, monkeypatch):
    """`polku neo4j findings` on a pushed national graph says what `polku findings` says
    on its file, messages included (they lacked each node's region: the graph's own
    attributes were not read)."""
    monkeypatch.setenv("NEO4J_URI", server.uri)
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    national = tmp_path / "national.ttl"
    assert run("merge", EXAMPLE, SECOND, "-o", national).exit_code == 0
    pushed = run("neo4j", "push", national)
    assert pushed.exit_code == 0, pushed.output
    try:
        for lang in ("fi", "sv", "en"):
            got = run("neo4j", "findings", "--region", "national", "--format", "json",
                      "--lang", lang)
            want = run("findings", national, "--format", "json", "--lang", lang)
            assert got.exit_code == 0, got.output
            got, want = json.loads(got.output), json.loads(want.output)
            want["findings"] = [f for f in want["findings"] if f["kind"] in CYPHER_KINDS]
            assert [f["message"] for f in got["findings"]] == \
                [f["message"] for f in want["findings"]]
            assert got["findings"] == want["findings"] and got["findings"]
            assert got["graph"] == want["graph"] == "national"
    finally:
        ns.delete_region(**creds(server), region="national")


def synthetic_graph() -> nx.MultiDiGraph:
    """A small cut of the national synthetic workbook: two regions, every finding kind."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import generate, write_workbook_csv
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    with tempfile.TemporaryDirectory() as tmp:
        return read_workbook(write_workbook_csv(generate(size=0.1, seed=5), Path(tmp) / "syn"))


def merged_graph() -> nx.MultiDiGraph:
    """The example and the second test region merged into a national graph: its nodes'
    messages name each node's region, from the graph's ``regions``."""
    from polku.analyses.merge import merge

    return merge([load_graph(EXAMPLE), load_graph(SECOND)]).graph


@pytest.mark.parametrize("source", ["example", "synthetic", "merged"])
def test_cypher_findings_equal_networkx_findings(server, source):
    g = {"example": lambda: load_graph(EXAMPLE), "synthetic": synthetic_graph,
         "merged": merged_graph}[source]()
    # Who must act: plan measures on a service and on a referral, and a shared service
    # organised separately (no lead expected), so every rule has something to do.
    shared = sorted(f.subject for f in find(g, plan=False) if f.kind == "no-lead")
    refs = nodes_of(g, "referral")
    g.add_node("measure-x", type="measure", name="Mittari")
    add_edge(g, "measure-x", refs[0], "subject", key="subject:1")
    add_edge(g, "measure-x", (shared or nodes_of(g, "service"))[0], "subject", key="subject:2")
    if len(shared) > 1:
        g.nodes[shared[1]]["organised"] = "separately"
    region = f"cypher-{source}"
    ns.push_graph(g, **creds(server), region=region)
    for limit, lang in ((30, "fi"), (14.5, "sv"), (14.5, "en")):
        tr = translator(lang)
        want = [f for f in worded(find(g, long_wait_days=limit, plan=False), g, tr)
                if f.kind in CYPHER_KINDS]
        found, names = cypher_findings_named(**creds(server), region=region,
                                             long_wait_days=limit)
        got = worded(found, names, tr)
        assert got == want and found == [replace(f, message="") for f in want]
        if lang == "fi":  # the findings alone, as data
            assert cypher_findings(**creds(server), region=region,
                                   long_wait_days=limit) == found
        # the messages too, character for character, labels in the language included
        assert [f.message for f in got] == [f.message for f in want]
        assert [f.metrics for f in got] == [f.metrics for f in want]
        assert [(f.accountable, f.measures) for f in got] == \
            [(f.accountable, f.measures) for f in want]
        assert any(f.measures == ("measure-x",) for f in got)
        assert sum(1 for f in got if f.accountable) > len(got) / 2
        if source == "merged":  # each node named with its region, as the file does
            region_name = {"fi": "Keski-Uusimaa", "sv": "Mellersta Nyland",
                           "en": "Central Uusimaa"}[lang]
            assert any(f"({region_name}, keski-uusimaa/" in f.message for f in got)
    if source == "synthetic":
        assert {f.kind for f in want} == set(CYPHER_KINDS)  # every kind is exercised


# --- URIs and credentials (no server needed) ----------------------------------------------

def test_target_reads_options_uri_and_environment(monkeypatch):
    monkeypatch.delenv("NEO4J_USER", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example:7687?region=r1&database=d1")
    t = ns.target()
    assert (t.uri, t.user, t.password, t.database, t.region) == (
        "neo4j://db.example:7687", None, None, "d1", "r1")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    t = ns.target(region="r2", database="d2")
    assert (t.user, t.password, t.region, t.database) == ("neo4j", "s3cret", "r2", "d2")
    assert "s3cret" not in repr(t)
    assert ns.target("bolt://me@h:1", password="p").user == "me"
    with pytest.raises(PolkuError, match="do not put the password") as e:
        ns.target("bolt://me:hunter2@h:1")
    assert "hunter2" not in str(e.value)
    with pytest.raises(PolkuError, match="not a Neo4j URI"):
        ns.target("http://h:1")
    with pytest.raises(PolkuError, match="unknown Neo4j URI parameter"):
        ns.target("bolt://h:1?regoin=x")
    monkeypatch.delenv("NEO4J_URI")
    with pytest.raises(PolkuError, match="NEO4J_URI"):
        ns.target()


# --- without Java -------------------------------------------------------------------------

@pytest.mark.neo4j  # runs pytest on the server fixture twice: as slow as the server tests
@pytest.mark.parametrize("ci", ["", "true"])
def test_without_java_the_server_tests_skip_except_in_ci(tmp_path, ci):
    """No java on PATH: the fixture skips with the reason, but under CI=true it fails."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("CI", "JAVA_HOME")}
    env["PATH"] = str(Path(sys.executable).parent)  # the venv only: no java there
    if ci:
        env["CI"] = ci
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         f"{__file__}::test_push_twice_changes_nothing"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = run.stdout + run.stderr
    if ci:
        assert run.returncode != 0 and "1 error" in out, out
        assert "cannot run under CI=true: no `java` on PATH" in out
    else:
        assert run.returncode == 0 and "1 skipped" in out, out
        assert "Neo4j tests skipped: no `java` on PATH" in out


def test_pull_refuses_a_region_no_graph_file_may_hold(server, tmp_path, monkeypatch):
    """A shared database holds what any tool wrote. A region whose referral has no end is
    refused where it is read, located by the region's URI and the node, as reading such a
    file would be, and `pull` writes nothing (it once wrote a Turtle file polku then
    refused to read)."""
    g = new_graph("another-name")  # kept with the region: the problem names the region
    g.add_node("a", type="service", name="A")
    g.add_node("r", type="referral")
    add_edge(g, "r", "a", "from")  # and no "to"
    ns.push_graph(g, **creds(server), region="dangling")
    try:
        assert ns.pull_graph(**creds(server), region="dangling",
                             checked=False).graph["name"] == "another-name"
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        out = tmp_path / "pulled.ttl"
        pulled = run("neo4j", "pull", "--uri", server.uri, "--region", "dangling", "-o", out,
                     "--lang", "en")
        assert pulled.exit_code == 1
        assert f"{server.uri}?region=dangling, node <r>: polku:toNode must be exactly one " \
               "service or outcome" in pulled.output, pulled.output
        assert not out.exists() and not list(tmp_path.iterdir())
        findings = run("findings", f"{server.uri}?region=dangling", "--lang", "fi")
        assert findings.exit_code == 1 and "node <r>" not in findings.output
        assert "solmu <r>" in findings.output, findings.output
    finally:
        ns.delete_region(**creds(server), region="dangling")


# --- polku neo4j findings reads what it reads as pull does ------------------------------

@pytest.fixture
def pushed(server, monkeypatch):
    """The example pushed as a region of its own (deleted afterwards), the server in the
    environment as a reviewer sets it: the region's name, then the region is gone."""
    monkeypatch.setenv("NEO4J_URI", server.uri)
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    region = f"read-{next(_REGIONS)}"
    ns.push_graph(load_graph(EXAMPLE), **creds(server), region=region)
    yield region
    ns.delete_region(**creds(server), region=region)


_REGIONS = iter(range(10 ** 6))
HETU = "131052-308T"


def _pull_error(server, region: str, tmp_path: Path, lang: str = "fi") -> str:
    out = tmp_path / "pulled.ttl"
    pulled = run("neo4j", "pull", "--region", region, "-o", out, "--lang", lang)
    assert pulled.exit_code == 1 and not out.exists(), pulled.output
    return pulled.output


@pytest.mark.parametrize("where", ["name", "title"])
def test_neo4j_findings_refuse_an_identity_code_as_pull_does(server, pushed, tmp_path, where):
    """A henkilötunnus in a name the findings read (here the over-capacity service's) or
    in the title the header names the region by refuses the findings as it refuses the
    pull, in the same words, and the code is never printed (it was quoted in the finding's
    message, in every format)."""
    if where == "name":
        query(server, "MATCH (n:Polku {polku_region: $r, id: 'monialainen-palvelutarvearvio'}) "
              "SET n.name = $name", r=pushed, name=f"Arvio (asiakas {HETU})")
    else:
        graph = json.loads(query(server, "MATCH (r:PolkuRegion {polku_region: $r}) "
                                 "RETURN r.graph AS g", r=pushed)[0]["g"])
        graph["title"] = f"Alue {HETU}"
        query(server, "MATCH (r:PolkuRegion {polku_region: $r}) SET r.graph = $g", r=pushed,
              g=json.dumps(graph, ensure_ascii=False))
    refused = _pull_error(server, pushed, tmp_path)
    assert "henkilötunnuksen" in refused and HETU not in refused
    for format in ("table", "json", "markdown"):
        found = run("neo4j", "findings", "--region", pushed, "--format", format)
        assert found.exit_code == 1, found.output
        assert HETU not in found.output
        assert found.output == refused


@pytest.mark.parametrize("node, attribute, value", [
    ("ips", "capacity_per_month", "15x"),            # a service's capacity, compared
    ("ref-mielenterveys-ips", "volume_per_month", "3"),       # a volume, summed
    ("ref-mielenterveys-ips", "median_wait_days", "45"),      # a wait, compared in Cypher
    ("ref-mielenterveys-ips", "information_flow", "maybe"),   # the flow, compared in Cypher
])
def test_neo4j_findings_refuse_a_value_as_pull_does(server, pushed, tmp_path, node, attribute,
                                                    value):
    """A value no graph file may hold, where the findings read it, is refused by the
    findings in the words the pull uses, located by the region's URI and the node (a
    capacity that was text ended in a traceback; a wait that was text went unseen)."""
    assert node in load_graph(EXAMPLE)
    query(server, f"MATCH (n:Polku {{polku_region: $r, id: $id}}) SET n.{attribute} = $v",
          r=pushed, id=node, v=value)
    refused = _pull_error(server, pushed, tmp_path)
    assert f"?region={pushed}, solmu <{node}>: " in refused and repr(value) in refused
    found = run("neo4j", "findings", "--region", pushed)
    assert found.exit_code == 1 and "Traceback" not in found.output
    assert found.output == refused
    assert found.exception is None or isinstance(found.exception, SystemExit)


def test_neo4j_findings_on_a_region_that_does_not_exist(server, pushed, tmp_path):
    """As pull and polku findings on the URI: the region does not exist, exit 1 (it was
    "nosuch: 0 havaintoa", exit 0)."""
    refused = _pull_error(server, "nosuch", tmp_path)
    assert "aluetta 'nosuch' ei ole" in refused
    found = run("neo4j", "findings", "--region", "nosuch")
    assert found.exit_code == 1 and found.output == refused
    via_uri = run("findings", f"{server.uri}?region=nosuch")
    assert via_uri.exit_code == 1 and via_uri.output == refused


def test_neo4j_findings_name_the_graph_by_its_title(server, pushed):
    """As polku findings names the file's graph: by its title in the reader's language,
    in the table and markdown; JSON names it by its id (the region, as code reads it)."""
    for lang, title in (("fi", "Keski-Uudenmaan työhön osallistumisen ekosysteemi"),
                        ("sv", "Mellersta Nylands ekosystem för deltagande i arbetslivet")):
        table = run("neo4j", "findings", "--region", pushed, "--lang", lang)
        assert table.exit_code == 0, table.output
        assert table.output.startswith(f"{title}: "), table.output
        assert run("findings", EXAMPLE, "--lang", lang).output.startswith(f"{title}: ")
        markdown = run("neo4j", "findings", "--region", pushed, "--format", "markdown",
                       "--lang", lang).output
        from_file = run("findings", EXAMPLE, "--format", "markdown", "--lang", lang).output
        assert markdown.splitlines()[0] == from_file.splitlines()[0]
        assert title in markdown.splitlines()[0]
    assert json.loads(run("neo4j", "findings", "--region", pushed, "--format",
                          "json").output)["graph"] == pushed


def _finding_blocks(table: str) -> dict[str, list[str]]:
    """The table's findings by key: each finding's lines (message, who must act, plan
    measures, key), spaces evened out (a table's columns are as wide as its widest kind,
    and `polku findings` shows more kinds), without its follow-up (`neo4j findings` reads
    none)."""
    blocks: dict[str, list[str]] = {}
    lines = table.split("\n\n", 1)[1].splitlines() if "\n\n" in table else []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = []
        said = " ".join(line.split())
        if said.startswith("→ "):
            continue
        current.append(said)
        if said.startswith(("key: ", "tunnus: ")):
            blocks[said.split(": ", 1)[1]] = current
    return blocks


_MARKDOWN_FINDING = re.compile(r"^\| .* \| `[a-z-]+:[^`]+` \|")


@pytest.fixture
def pushed_full(server, tmp_path, monkeypatch):
    """tests/data/full (plan measures on the Cypher kinds' findings) pushed as region
    ``full-N`` (deleted afterwards): its folder and the region."""
    from helpers import copy_full

    monkeypatch.setenv("NEO4J_URI", server.uri)
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    region = f"full-{next(_REGIONS)}"
    folder = copy_full(tmp_path / "full", region)
    ns.push_graph(load_graph(folder), **creds(server), region=region)
    yield folder, region
    ns.delete_region(**creds(server), region=region)


@pytest.mark.parametrize("source", ["example", "full"])
def test_neo4j_findings_name_who_must_act_as_polku_findings_does(server, pushed, pushed_full,
                                                                 source):
    """Who must act and the plan measures by name in the reader's language, in the table and
    the markdown, each finding's lines as `polku findings` prints them on the same graph
    (they were printed by id, `who must act: keusote`, `plan measures: m1; m2`: the actors
    and measures were never read with their names)."""
    folder, region = (EXAMPLE, pushed) if source == "example" else pushed_full
    want_said = {("example", "en"): "who must act: Central Uusimaa Wellbeing Services County",
                 ("example", "fi"): "kenen on toimittava: Keski-Uudenmaan hyvinvointialue "
                                    "(Keusote)",
                 ("full", "en"): "plan measures: m1 Toimenpide; m2 Toinen",
                 ("full", "fi"): "kenen on toimittava: Hyvinvointialue"}
    for lang in ("fi", "en"):
        got = run("neo4j", "findings", "--region", region, "--lang", lang)
        want = run("findings", folder, "--lang", lang)
        assert got.exit_code == 0, got.output
        got_blocks, want_blocks = _finding_blocks(got.output), _finding_blocks(want.output)
        assert got_blocks and set(got_blocks) <= set(want_blocks)
        for key, lines in got_blocks.items():
            assert lines == want_blocks[key], key
        assert want_said[source, lang] in got.output, got.output
        got_md = run("neo4j", "findings", "--region", region, "--format", "markdown",
                     "--lang", lang).output
        want_md = run("findings", folder, "--format", "markdown", "--lang", lang).output
        rows = [row for row in got_md.splitlines() if _MARKDOWN_FINDING.match(row)]
        want_rows = [row for row in want_md.splitlines() if _MARKDOWN_FINDING.match(row)]
        assert len(rows) == len(got_blocks)
        for row in rows:  # the file's rows may have a follow-up column after the key
            assert any(w == row or w.startswith(row + " ") for w in want_rows), row
    if source == "full":
        md = run("neo4j", "findings", "--region", region, "--format", "markdown",
                 "--lang", "en").output
        assert "| Wellbeing county | m1 Toimenpide; m2 Toinen |" in md, md
        assert "| hva |" not in md


@pytest.mark.parametrize("node", ["seurakunnat", "m1"])
def test_neo4j_findings_refuse_an_identity_code_in_who_must_act(server, pushed, pushed_full,
                                                                tmp_path, node):
    """A henkilötunnus in the name of an actor who must act (the parishes, accountable for
    a long wait) or of a plan measure on a finding is refused as the pull refuses it, the
    code never printed: those names are read to be printed, as the subjects' are."""
    region = pushed if node == "seurakunnat" else pushed_full[1]
    query(server, "MATCH (n:Polku {polku_region: $r, id: $id}) SET n.name_en = $name",
          r=region, id=node, name=f"Nimi {HETU}")
    refused = _pull_error(server, region, tmp_path)
    assert f"solmu <{node}>" in refused and HETU not in refused
    for format in ("table", "json", "markdown"):
        found = run("neo4j", "findings", "--region", region, "--format", format,
                    "--lang", "en")
        assert found.exit_code == 1, found.output
        assert HETU not in found.output
        assert found.output == _pull_error(server, region, tmp_path, "en")


def test_pull_says_the_region_it_pulled(server, pushed, tmp_path):
    """A region pushed under another name than the graph's own: the pull names the region
    pulled, and the graph's own id apart (it named only the graph's own id, another
    region's name)."""
    out = tmp_path / "p.ttl"
    for lang, said in (("fi", f"kirjoitettu {out}: alue '{pushed}' (aineiston oma tunnus "
                              "'keski-uusimaa'), "),
                       ("en", f"wrote {out}: region '{pushed}' (the graph's own id "
                              "'keski-uusimaa'), ")):
        pulled = run("neo4j", "pull", "--region", pushed, "-o", out, "--lang", lang)
        assert pulled.exit_code == 0, pulled.output
        assert pulled.output.startswith(said), pulled.output
    ns.push_graph(load_graph(EXAMPLE), **creds(server))  # under its own name: said once
    pulled = run("neo4j", "pull", "--region", "keski-uusimaa", "-o", out, "--lang", "en")
    assert pulled.output.startswith(f"wrote {out}: region 'keski-uusimaa', "), pulled.output


# --- the server's failures in the reader's language --------------------------------------

@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_no_server_is_said_in_the_readers_language(scheme):
    """Nobody listening: said as such (it was the driver's English, "Unable to retrieve
    routing information" or "[Errno 111] Connection refused")."""
    port = free_port()
    uri = f"{scheme}://127.0.0.1:{port}"
    for lang, said in (
            ("fi", f"virhe: ei saada yhteyttä: Neo4j-palvelin {uri}: osoitteessa "
                   f"127.0.0.1:{port} ei vastaa mikään palvelin\n"),
            ("sv", f"fel: kan inte ansluta: Neo4j-servern {uri}: ingen server svarar på "
                   f"127.0.0.1:{port}\n"),
            ("en", f"error: cannot connect to Neo4j at {uri}: no server answers at "
                   f"127.0.0.1:{port}\n")):
        result = run("findings", f"{uri}?region=pk", "--lang", lang,
                     env={"NEO4J_PASSWORD": "x"})
        assert result.exit_code == 1 and result.output == said, result.output


def test_an_unknown_host_is_said_in_the_readers_language():
    result = run("findings", "bolt://nosuchhost.invalid:7687?region=pk",
                 env={"NEO4J_PASSWORD": "x"})
    assert result.exit_code == 1
    assert result.output == ("virhe: ei saada yhteyttä: Neo4j-palvelin "
                             "bolt://nosuchhost.invalid:7687: palvelimen nimeä "
                             "nosuchhost.invalid ei tunneta\n"), result.output


def test_an_unknown_database_is_said_in_the_readers_language(server, monkeypatch):
    """The database does not exist: said as such (it was "Graph not found: nodb")."""
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    for args in (("neo4j", "push", EXAMPLE), ("neo4j", "findings", "--region", "x"),
                 ("neo4j", "regions")):
        for lang, said in (
                ("fi", f"virhe: Neo4j-palvelin {server.uri}: tietokantaa 'nodb' ei ole\n"),
                ("sv", f"fel: Neo4j-servern {server.uri}: databasen 'nodb' finns inte\n"),
                ("en", f"error: Neo4j at {server.uri} has no database 'nodb'\n")):
            result = run(*args, "--uri", server.uri, "--database", "nodb", "--lang", lang)
            assert result.exit_code == 1 and result.output == said, (args, result.output)


# --- help --------------------------------------------------------------------------------

WIDE = {"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"}


@pytest.mark.parametrize("lang, said, not_said", [
    ("fi", "ympäristömuuttujat ovat turvallisempi tapa: valitsimet näkyvät prosessilistoissa",
     "suositeltava"),
    ("sv", "miljövariablerna är säkrare: alternativ syns i processlistor", "att föredra"),
    ("en", "the environment is safer: options show in process lists", "preferred"),
])
def test_neo4j_help_says_the_environment_is_safer(lang, said, not_said):
    """It read "(preferred: options show in process lists)", as if options were preferred."""
    shown = run("neo4j", "--help", "--lang", lang, env=WIDE).output
    assert said in shown and not_said not in shown, shown


def test_neo4j_findings_help_names_the_kind_in_finnish():
    """The kind by its Finnish name, its id beside it, as polku findings --help says it
    (it read "long-wait syntyy, kun …")."""
    said = "Pitkä odotusaika (long-wait) syntyy, kun odotusajan mediaani ylittää tämän."
    for command in (("neo4j", "findings"), ("findings",)):
        shown = " ".join(run(*command, "--help", env=WIDE).output.split())
        assert said in shown, shown
