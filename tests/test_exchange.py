"""Formats out, read back by real readers: GraphML (networkx, igraph), GEXF (networkx and
the GEXF 1.2 structure), neo4j-admin CSV (loaded into the real Neo4j the suite starts),
Mermaid; and small cells suppressed in every output that goes to other people."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from helpers import EXAMPLE_TTL as EXAMPLE, edit, run
from polku.io import exchange, formats, workbook
from polku.present.mermaid import mermaid
from polku.graph import summary, title
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")



@pytest.fixture
def small(mini: Path) -> Path:
    """The mini workbook with a segment of 4 people and a referral of 3 clients a month."""
    edit(mini / "segments.csv", ",1200,", ",4,")
    return mini


# -- GraphML and GEXF -------------------------------------------------------------------------

def test_graphml_reads_in_networkx_and_igraph(tmp_path: Path) -> None:
    out = tmp_path / "ku.graphml"
    assert run("export", EXAMPLE, "--to", "graphml", "-o", out, "--no-suppress").exit_code == 0
    g = load_graph(EXAMPLE)
    back = nx.read_graphml(out)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes["alkuhaastattelu"]["type"] == "service"
    # labelled in the reader's language (this file's CLI is English), the names kept
    assert back.nodes["alkuhaastattelu"]["label"] == g.nodes["alkuhaastattelu"]["name_en"]
    assert back.nodes["alkuhaastattelu"]["name"] == g.nodes["alkuhaastattelu"]["name"]
    assert back.nodes["alkuhaastattelu"]["capacity_per_month"] == \
        float(g.nodes["alkuhaastattelu"]["capacity_per_month"])
    assert back.graph["name"] == "keski-uusimaa" and back.graph["illustrative"] == "true"

    import igraph

    ig = igraph.Graph.Read_GraphML(str(out))
    assert ig.vcount() == g.number_of_nodes() and ig.ecount() == g.number_of_edges()
    v = ig.vs.find(id="alkuhaastattelu")
    assert v["type"] == "service" and v["capacity_per_month"] == \
        float(g.nodes["alkuhaastattelu"]["capacity_per_month"])
    kinds = {e["kind"] for e in ig.es}
    assert {"provides", "from", "to", "responsibility", "step"} <= kinds
    # every key id is unique, as the GraphML schema (xsd:ID) requires
    ids = [k.get("id") for k in ET.parse(out).getroot().iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(ids) == len(set(ids))


def test_gexf_reads_in_networkx_and_declares_typed_attributes(tmp_path: Path) -> None:
    out = tmp_path / "ku.gexf"
    assert run("export", EXAMPLE, "--to", "gexf", "-o", out, "--no-suppress").exit_code == 0
    g = load_graph(EXAMPLE)
    back = nx.read_gexf(out)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes["kela"]["label"] == (g.nodes["kela"].get("name_en")
                                           or g.nodes["kela"]["name"])
    assert back.nodes["kela"]["type"] == "actor"
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(out).getroot()
    declared = {a.get("title"): a.get("type") for a in
                root.findall("g:graph/g:attributes[@class='node']/g:attribute", ns)}
    assert declared["capacity_per_month"] == "double" and declared["entry"] == "boolean"
    assert declared["type"] == "string"
    nodes = root.findall("g:graph/g:nodes/g:node", ns)
    assert len(nodes) == g.number_of_nodes() and all(n.get("label") for n in nodes)


def test_gexf_edges_read_back_with_polkus_keys(tmp_path: Path) -> None:
    """GEXF names polku's edge key `networkx_key`, not `key` as GraphML does: networkx's
    GEXF reader takes `networkx_key` for the edge's key and fails on an edge attribute
    named `key` (a national developer asked for `key`; it would break this reader)."""
    out = tmp_path / "ku.gexf"
    assert run("export", EXAMPLE, "--to", "gexf", "-o", out, "--no-suppress").exit_code == 0
    g = load_graph(EXAMPLE)
    back = nx.read_gexf(out)
    assert sorted((u, v, k) for u, v, k in back.edges(keys=True)) == sorted(
        (u, v, k) for u, v, k in g.edges(keys=True))
    renamed = tmp_path / "key.gexf"
    renamed.write_text(out.read_text(encoding="utf-8").replace(
        'title="networkx_key"', 'title="key"'), encoding="utf-8")
    with pytest.raises(TypeError):
        nx.read_gexf(renamed)


STANDARDS = Path(__file__).parent / "standards"


def _schema_errors(path: Path, schema: str) -> list[str]:
    """What lxml's XML Schema validator says against the official schema (tests/standards)."""
    from lxml import etree

    xsd = etree.XMLSchema(etree.parse(str(STANDARDS / schema)))
    xsd.validate(etree.parse(str(path)))
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


@pytest.fixture(scope="module")
def merged_ttl(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("national") / "national.ttl"
    from helpers import SECOND

    assert run("merge", EXAMPLE, SECOND, "-o", out).exit_code == 0
    return out


@pytest.mark.parametrize("fmt, schema", [("graphml", "graphml.xsd"), ("gexf", "gexf.xsd")])
@pytest.mark.parametrize("which", ["region", "merged"])
def test_graphml_and_gexf_are_valid_against_their_schemas(
        tmp_path: Path, merged_ttl: Path, fmt: str, schema: str, which: str) -> None:
    """Gephi and yEd take an edge id for the edge: a GraphML that gave every `provides`
    edge the id 'provides' lost all but one of them there, and the schema refuses it (its
    edge ids are unique); a merged graph's `region/id` is no XML name token; GEXF 1.2's
    <graph> has no `name`."""
    source = EXAMPLE if which == "region" else merged_ttl
    out = tmp_path / f"x.{fmt}"
    assert run("export", source, "--to", fmt, "-o", out).exit_code == 0
    assert _schema_errors(out, schema) == []


def test_graphml_keeps_every_edge_and_the_ids_of_a_merged_graph(tmp_path: Path,
                                                                  merged_ttl: Path) -> None:
    out = tmp_path / "n.graphml"
    assert run("export", merged_ttl, "--to", "graphml", "-o", out, "--no-suppress").exit_code == 0
    g = load_graph(merged_ttl)
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = root.findall("g:graph/g:edge", ns)
    assert len(edges) == g.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)
    back = nx.read_graphml(out)
    # the node id is an XML name token (region:id); polku_id keeps polku's own id
    assert back.nodes["keski-uusimaa:alkuhaastattelu"]["polku_id"] == "keski-uusimaa/alkuhaastattelu"
    assert {d["polku_id"] for _, d in back.nodes(data=True)} == set(g.nodes)
    # the edge keys polku gives (responsibility:lead, step:2 …) are kept as `key`
    assert {(d["kind"], d["key"]) for *_, d in back.edges(data=True)} == {
        (d["kind"], k) for *_, k, d in g.edges(keys=True, data=True)}


def test_gexf_is_the_same_bytes_on_any_day_and_says_what_graph_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """networkx stamps GEXF with today's date: the same graph gave other bytes every day."""
    import time

    out = tmp_path / "a.gexf"
    assert run("export", EXAMPLE, "--to", "gexf", "-o", out).exit_code == 0
    monkeypatch.setattr(time, "strftime", lambda *a, **k: "2099-01-01")
    assert run("export", EXAMPLE, "--to", "gexf", "-o", tmp_path / "b.gexf").exit_code == 0
    assert out.read_bytes() == (tmp_path / "b.gexf").read_bytes()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    meta = ET.parse(out).getroot().find("g:meta", ns)
    assert meta.find("g:creator", ns).text == "polku"
    # the title, then the graph sheet a datum a line (test_export_sheet.py)
    description = meta.find("g:description", ns).text.splitlines()
    assert description[0] == title(load_graph(EXAMPLE), "en")  # this file's CLI is English
    assert "illustrative: true" in description
    assert "keski-uusimaa" in meta.find("g:keywords", ns).text


# -- neo4j-admin CSV, loaded into the real server ---------------------------------------------

def test_csv_headers_are_what_neo4j_admin_reads(tmp_path: Path) -> None:
    assert run("export", EXAMPLE, "--to", "csv", "-o", tmp_path / "csv").exit_code == 0
    nodes = next(csv.reader(open(tmp_path / "csv" / "nodes.csv", encoding="utf-8")))
    rels = next(csv.reader(open(tmp_path / "csv" / "relationships.csv", encoding="utf-8")))
    assert nodes[:2] == ["id:ID", ":LABEL"] and "capacity_per_month:long" in nodes
    assert "entry:boolean" in nodes and "participation_rate:double" in nodes
    assert rels[:3] == [":START_ID", ":END_ID", ":TYPE"]


def _cypher_value(header: str) -> tuple[str, str]:
    """(property name, Cypher expression) for a neo4j-admin header, reading ``row``."""
    name, _, kind = header.partition(":")
    cell = f"row[{json.dumps(header)}]"
    expr = {"long": f"toInteger({cell})", "double": f"toFloat({cell})",
            "boolean": f"toBoolean({cell})", "string[]": f"split({cell}, ';')"}.get(kind, cell)
    return name, expr


def test_csv_loads_into_the_real_neo4j(neo4j_server, tmp_path: Path) -> None:
    from neo4j import GraphDatabase

    folder = tmp_path / "csv"
    assert run("export", EXAMPLE, "--to", "csv", "-o", folder).exit_code == 0
    g = load_graph(EXAMPLE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    node_header = next(csv.reader(open(folder / "nodes.csv", encoding="utf-8")))
    rel_header = next(csv.reader(open(folder / "relationships.csv", encoding="utf-8")))
    props = ", ".join(f"`{n}`: {e}" for n, e in map(_cypher_value, node_header)
                      if n and n != "id")
    rprops = ", ".join(f"`{n}`: {e}" for n, e in map(_cypher_value, rel_header[3:]))
    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    try:
        with driver.session() as s:
            s.run("MATCH (n:CsvImport) DETACH DELETE n").consume()
            s.run(f"LOAD CSV WITH HEADERS FROM $url AS row "
                  f"CREATE (n:CsvImport {{id: row['id:ID'], labels: split(row[':LABEL'], ';'), "
                  f"{props}}})", url=f"{base}/nodes.csv").consume()
            s.run("CREATE INDEX csv_import_id IF NOT EXISTS FOR (n:CsvImport) ON (n.id)").consume()
            s.run(f"LOAD CSV WITH HEADERS FROM $url AS row "
                  f"MATCH (a:CsvImport {{id: row[':START_ID']}}), (b:CsvImport {{id: row[':END_ID']}}) "
                  f"CREATE (a)-[r:CSV_IMPORT {{type: row[':TYPE'], {rprops}}}]->(b)",
                  url=f"{base}/relationships.csv").consume()
            by_label = dict(s.run("MATCH (n:CsvImport) UNWIND n.labels AS l "
                                  "RETURN l, count(*) AS c").values())
            rels = s.run("MATCH (:CsvImport)-[r:CSV_IMPORT]->() RETURN r.type AS t, count(*) AS c")
            by_type = dict(rels.values())
            service = s.run("MATCH (n:CsvImport {id: 'alkuhaastattelu'}) RETURN n").single()["n"]
            segment = s.run("MATCH (n:CsvImport) WHERE 'Segment' IN n.labels "
                            "RETURN n LIMIT 1").single()["n"]
            s.run("MATCH (n:CsvImport) DETACH DELETE n").consume()
    finally:
        driver.close()
        httpd.shutdown()
    counts = summary(g)
    assert by_label["Polku"] == g.number_of_nodes()
    for node_type, lab in exchange.NODE_LABELS.items():
        assert by_label.get(lab, 0) == counts[node_type], node_type
    kinds: dict[str, int] = {}
    for *_, k in g.edges(data="kind"):
        kinds[k.upper()] = kinds.get(k.upper(), 0) + 1
    assert by_type == kinds
    assert service["capacity_per_month"] == g.nodes["alkuhaastattelu"]["capacity_per_month"]
    assert service["entry"] is g.nodes["alkuhaastattelu"]["entry"]
    assert isinstance(segment["size"], int)


def test_csv_writes_names_as_written_for_load_csv(neo4j_server, mini: Path,
                                                  tmp_path: Path) -> None:
    """The neo4j-admin CSV put a spreadsheet's escape before a name or description that
    starts like a formula ('@Työ-valmennus, '- ohjaus…), and LOAD CSV stored it with the
    '. The CSV is input for neo4j-admin and LOAD CSV, not a spreadsheet: what they read is
    the name as written (the workbook's CSV sheets keep their guard)."""
    from neo4j import GraphDatabase

    edit(mini / "actors.csv", "tyokykytiimi,Työkykytiimi,", "tyokykytiimi,@Työ-valmennus,")
    edit(mini / "services.csv", '"Eka, toka"', '"- ohjaus, neuvonta"')
    folder = tmp_path / "csv"
    assert run("export", mini, "--to", "csv", "-o", folder).exit_code == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    try:
        with driver.session() as s:
            read = dict(s.run(
                "LOAD CSV WITH HEADERS FROM $url AS row "
                "WITH row WHERE row['id:ID'] IN ['tyokykytiimi', 'alkuhaastattelu'] "
                "RETURN row['id:ID'], coalesce(row.description, row.name)",
                url=f"http://127.0.0.1:{httpd.server_address[1]}/nodes.csv").values())
    finally:
        driver.close()
        httpd.shutdown()
    assert read == {"tyokykytiimi": "@Työ-valmennus", "alkuhaastattelu": "- ohjaus, neuvonta"}


# -- Mermaid ----------------------------------------------------------------------------------

def test_mermaid_draws_a_segments_paths(tmp_path: Path) -> None:
    out = tmp_path / "nuoret.md"
    assert run("export", EXAMPLE, "--to", "mermaid", "--segment", "seg-nuoret", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ") and "```mermaid\nflowchart LR\n" in text
    lines = text.split("```mermaid\n")[1].split("```")[0].splitlines()[1:]
    import re

    node_re = re.compile(r'^    n_\w+(\["[^"]*"\]|\(\["[^"]*"\]\))$')
    edge_re = re.compile(r"^    n_\w+ (-->|-\.->)(\|[^|]*\|)? n_\w+$")
    assert all(node_re.match(x) or edge_re.match(x) or x.startswith("    %%") for x in lines), lines
    assert any("n_alkuhaastattelu" in x for x in lines)
    assert run("export", EXAMPLE, "--to", "mermaid", "--segment", "ei-ole", "-o",
               tmp_path / "x.mmd").exit_code == 1


@pytest.mark.parametrize("lang, heading, words", [
    ("fi", "# Alle 30-vuotiaat", (" pv", "/kk|")),
    ("sv", "# Unga under 30 som", (" d", "/mån|")),
])
def test_mermaid_speaks_the_readers_language(tmp_path: Path, lang: str, heading: str,
                                             words: tuple[str, str]) -> None:
    """Names, days and clients a month in the reader's language (it was Finnish for all)."""
    out = tmp_path / "nuoret.md"
    assert run("export", EXAMPLE, "--to", "mermaid", "--segment", "seg-nuoret", "-o", out,
               "--lang", lang).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(heading), text[:100]
    assert all(w in text for w in words), text
    if lang == "sv":
        assert "Uppsökande ungdomsarbete" in text and "Etsivä nuorisotyö" not in text


def test_mermaid_escapes_labels() -> None:
    from polku.graph import new_graph

    g = new_graph()
    g.add_node("a", type="service", name='Palvelu "A" <b>')
    g.add_node("r", type="referral")
    g.add_node("o", type="outcome", name="Työ")
    from polku.graph import add_edge

    add_edge(g, "r", "a", "from"), add_edge(g, "r", "o", "to")
    text = mermaid(g)
    assert 'n_a["Palvelu #quot;A#quot; #lt;b#gt;"]' in text and "n_a --> n_o" in text


def test_mermaid_keeps_nodes_whose_ids_differ_only_in_punctuation() -> None:
    """'tyo-paja' and 'tyo_paja' (and a merged graph's 'r/x' and 'r-x') were both drawn as
    one Mermaid node n_tyo_paja: two services became one box with both services' arrows."""
    from polku.graph import add_edge, new_graph

    g = new_graph()
    for n, name in (("tyo-paja", "Työpaja"), ("tyo_paja", "Paja"), ("r/x", "X"), ("r-x", "Y")):
        g.add_node(n, type="service", name=name)
    g.add_node("o", type="outcome", name="Työ")
    for i, n in enumerate(("tyo-paja", "tyo_paja", "r/x", "r-x")):
        g.add_node(f"ref{i}", type="referral")
        add_edge(g, f"ref{i}", n, "from"), add_edge(g, f"ref{i}", "o", "to")
    lines = [x.strip() for x in mermaid(g).splitlines()[1:] if not x.strip().startswith("%%")]
    boxes = [x for x in lines if "-->" not in x]
    arrows = [x for x in lines if "-->" in x]
    ids = [x.split("[")[0].split("(")[0] for x in boxes]
    assert len(ids) == 5 and len(set(ids)) == 5, boxes
    assert len(set(arrows)) == 4, arrows


@pytest.fixture(scope="module")
def national_pk(tmp_path_factory) -> Path:
    """Keski-Uusimaa merged with Pohjois-Karjala, a copy of it (helpers.copy_pohjois_karjala:
    its services named alike, a segment of 3 people)."""
    from helpers import copy_pohjois_karjala

    tmp = tmp_path_factory.mktemp("national")
    second = copy_pohjois_karjala(tmp / "pohjois-karjala")
    assert run("merge", EXAMPLE, second, "-o", tmp / "national.ttl").exit_code == 0
    return tmp / "national.ttl"


def _left_out(output: str) -> int:
    import re

    said = re.search(r"note: (\d+) small cells? \(", output)
    return int(said.group(1)) if said else 0


@pytest.mark.parametrize("segment", ["pohjois-karjala/pk-seg-osatyokykyiset", None])
def test_mermaid_counts_the_small_cells_it_leaves_out(national_pk: Path, tmp_path: Path,
                                                      segment: str | None) -> None:
    """Found by a national developer: a segment's chart noted 45 small cells left out (the
    whole graph's count) while the file held one '<5'. The note counts this file's."""
    out = tmp_path / "chart.md"
    result = run("export", national_pk, "--to", "mermaid", "-o", out,
                 *(("--segment", segment) if segment else ()))
    assert result.exit_code == 0, result.output
    hidden = out.read_text(encoding="utf-8").count("#lt;5")
    assert hidden and _left_out(result.output) == hidden, result.output
    if segment:
        assert "1 small cell (a count from 1 to 4) is left out" in result.output
    sv = run("export", national_pk, "--to", "mermaid", "-o", tmp_path / "sv.md", "--lang",
             "sv", *(("--segment", segment) if segment else ()))
    assert "45 små tal" not in sv.output


def test_mermaid_of_a_merged_graph_says_the_region_where_names_meet(national_pk: Path,
                                                                    tmp_path: Path) -> None:
    """Two regions' services of one name were two boxes labelled 'Aikuissosiaalityö' alike;
    `polku show` says 'Aikuissosiaalityö (Keski-Uusimaa)'. A name no other box has stays as
    it is."""
    import re

    out = tmp_path / "all.mmd"
    assert run("export", national_pk, "--to", "mermaid", "-o", out, "--lang", "fi"
               ).exit_code == 0
    text = out.read_text(encoding="utf-8")
    labels = re.findall(r'^    n_\w+\(?\["([^"]*)"\]', text, re.M)
    assert labels and len(labels) == len(set(labels)), sorted(
        x for x in labels if labels.count(x) > 1)
    assert "Aikuissosiaalityö (Keski-Uusimaa)" in labels
    assert "Aikuissosiaalityö (Pohjois-Karjala)" in labels
    # one region's chart: its names meet no other region's
    seg = tmp_path / "seg.mmd"
    assert run("export", national_pk, "--to", "mermaid", "--segment",
               "keski-uusimaa/seg-monitarve", "-o", seg, "--lang", "fi").exit_code == 0
    assert '["Aikuissosiaalityö"]' in seg.read_text(encoding="utf-8")


def test_export_names_must_fit_the_format(tmp_path: Path) -> None:
    for fmt, name in (("graphml", "x.ttl"), ("gexf", "x.graphml"), ("csv", "x.csv"),
                      ("mermaid", "x.txt"), ("cpsv-ap", "x.xlsx")):
        result = run("export", EXAMPLE, "--to", fmt, "-o", tmp_path / name)
        assert result.exit_code == 1 and "error:" in result.output, fmt
        assert not (tmp_path / name).exists()


# -- small cells in every output --------------------------------------------------------------

OUTPUTS = {  # format -> (file name, shared with other people?)
    "jsonld": ("x.jsonld", True), "cpsv-ap": ("x.ttl", True), "graphml": ("x.graphml", True),
    "gexf": ("x.gexf", True), "csv": ("csv", True), "mermaid": ("x.mmd", True),
    "turtle": ("x.ttl", False), "workbook": ("wb", False), "xlsx": ("x.xlsx", False),
}


def test_every_format_is_checked_for_small_cells() -> None:
    """A new format of the registry gets a case here, and its ``shared`` is what this
    test expects of it."""
    assert {f: shared for f, (_, shared) in OUTPUTS.items()} == \
        {name: f.shared for name, f in formats.FORMATS.items()}


def _text_of(path: Path) -> str:
    if path.is_dir():
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(path.iterdir()))
    if path.suffix == ".xlsx":
        g = workbook.read_workbook(path)
        return json.dumps({n: d for n, d in g.nodes(data=True)}, default=str)
    return path.read_text(encoding="utf-8")


def _holds_small_cells(fmt: str, path: Path) -> bool:
    """Whether the output still says the segment has 4 people and the referral 3 a month."""
    if fmt in ("turtle", "jsonld", "cpsv-ap", "workbook", "xlsx"):
        g = load_graph(path)
        return g.nodes["nuoret"].get("size") == 4 and g.nodes["r2"].get("volume_per_month") == 3
    if fmt in ("graphml", "gexf"):
        g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        return g.nodes["nuoret"].get("size") == 4.0 and g.nodes["r2"].get("volume_per_month") == 3.0
    if fmt == "csv":
        rows = {r["id:ID"]: r for r in csv.DictReader(open(path / "nodes.csv", encoding="utf-8"))}
        return rows["nuoret"].get("size:long") == "4" and rows["r2"].get("volume_per_month:long") == "3"
    return "3/month" in path.read_text(encoding="utf-8")  # this file's CLI is English


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_small_cells_by_default_and_by_flag(small: Path, tmp_path: Path, fmt: str) -> None:
    name, shared = OUTPUTS[fmt]
    assert run("import", small, "-o", tmp_path / "g.ttl").exit_code == 0
    default, flipped = tmp_path / "default", tmp_path / "flipped"
    default.mkdir(), flipped.mkdir()
    assert run("export", tmp_path / "g.ttl", "--to", fmt, "-o", default / name).exit_code == 0
    flag = "--no-suppress" if shared else "--suppress"
    assert run("export", tmp_path / "g.ttl", "--to", fmt, "-o", flipped / name, flag).exit_code == 0
    assert _holds_small_cells(fmt, default / name) is not shared
    assert _holds_small_cells(fmt, flipped / name) is shared
    if fmt == "mermaid":
        assert "#lt;5/month" in (default / name).read_text(encoding="utf-8")  # Mermaid for <5


def test_min_cell_moves_the_threshold(small: Path, tmp_path: Path) -> None:
    run("import", small, "-o", tmp_path / "g.ttl")
    run("export", tmp_path / "g.ttl", "--to", "graphml", "-o", tmp_path / "a.graphml",
        "--min-cell", "20")
    g = nx.read_graphml(tmp_path / "a.graphml")
    assert "volume_per_month" not in g.nodes["r1"]  # 12 < 20
    assert g.nodes["r1"]["suppressed"] == "volume_per_month"
    run("export", tmp_path / "g.ttl", "--to", "graphml", "-o", tmp_path / "b.graphml",
        "--min-cell", "2")
    assert nx.read_graphml(tmp_path / "b.graphml").nodes["r2"]["volume_per_month"] == 3.0


def test_json_ld_is_the_same_bytes_in_every_run(tmp_path: Path) -> None:
    """rdflib lists nodes in the order of its sets, which Python's hash seed changes from
    process to process: a regional graph kept in git must not churn."""
    import os
    import subprocess
    import sys

    polku = Path(sys.executable).parent / "polku"
    outs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"g{seed}.jsonld"
        subprocess.run([str(polku), "export", str(EXAMPLE), "--to", "jsonld", "-o", str(out)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


# -- JSON-LD in: nothing fetched from the network -------------------------------------------

@pytest.mark.parametrize("context", [
    "https://example.org/context.jsonld",
    ["https://example.org/a.jsonld", {"dct": "http://purl.org/dc/terms/"}],
    {"@import": "https://example.org/base.jsonld"},
])
@pytest.mark.parametrize("command", ["validate", "import"])
def test_a_remote_json_ld_context_is_refused_not_fetched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, context: object, command: str) -> None:
    """rdflib fetches a remote @context while parsing: reading someone's JSON-LD made polku
    reach out to an address the file chose (and, offline, fail with a resolver's error)."""
    import socket

    tried: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    doc = {"@context": context, "@id": "https://example.org/s",
           "@type": "http://purl.org/vocab/cpsv#PublicService"}
    path = tmp_path / "other.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    args = ["import", path, "-o", tmp_path / "out"] if command == "import" else [command, path]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "other.jsonld" in result.output and "https://example.org/" in result.output
    assert "loads its context from elsewhere" in result.output
    assert tried == []
    assert not (tmp_path / "out").exists()


def test_json_ld_with_its_context_in_the_file_still_reads(tmp_path: Path) -> None:
    out = tmp_path / "g.jsonld"
    assert run("export", EXAMPLE, "--to", "jsonld", "--no-suppress", "-o", out).exit_code == 0
    back = load_graph(out)
    g = load_graph(EXAMPLE)
    assert sorted(back.nodes) == sorted(g.nodes) and back.graph["name"] == g.graph["name"]
