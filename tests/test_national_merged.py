"""A merged national graph works in every door as a region's does: verified suggestions,
compare (its regions side by side), GraphML/GEXF/CSV exports that keep each node's region
and the regions' sheets, and names that say their region on `polku show` and the graph
page (README, "National co-development")."""

from __future__ import annotations

import csv
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from helpers import run
from polku.analyses.merge import merged_key, qualified, split
from polku.io.load import load_graph

ROOT = Path(__file__).parents[1]
REGIONS = (ROOT / "graphs" / "keski-uusimaa", ROOT / "graphs" / "keski-suomi")


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("national") / "nat.ttl"
    result = run("merge", *REGIONS, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def _json(*args: object) -> dict:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_merged_graph_has_the_union_of_its_regions_suggestions(national: Path) -> None:
    """Found by a national developer: `polku suggest` on a merged graph said none (the trial
    reads the graph as workbook rows, whose ids hold no '/'), each region alone had 4."""
    merged = load_graph(national)
    shared = {r.id: r for r in split(merged)}
    expected = set()
    for folder in REGIONS:
        ids = shared[folder.name].merged_id
        regional = _json("suggest", folder, "--format", "json")["suggestions"]
        assert regional
        for s in regional:
            expected.add((merged_key(s["finding"], ids), json.dumps([
                {**e, "key": (e["key"] if e["sheet"] == "responsibilities" else ids(e["key"])),
                 } for e in s["edits"]], sort_keys=True)))
    got = _json("suggest", national, "--format", "json")["suggestions"]
    assert len(got) == len(expected)
    assert {s["finding"] for s in got} == {k for k, _ in expected}
    # the edits name merged ids: the region's row and every id in it
    owner = next(s for s in got if s["finding"] ==
                 "referral-without-owner:keski-suomi/ref-kuntouttava-tyokokeilu")
    assert owner["edits"] == [{"action": "update", "sheet": "referrals",
                               "key": "keski-suomi/ref-kuntouttava-tyokokeilu",
                               "row": {"owner": "keski-suomi/hyvaks-aikuissosiaalityo"}}]
    # a capacity raise too small to offer (the wait is mostly lead time) is declined, named
    # by the merged service as the region's own is by its id
    declined = _json("suggest", national, "--format", "json")["declined"]
    capacity = next(d for d in declined if d["finding"] == "over-capacity:keski-suomi/ips")
    assert capacity["service"] == "keski-suomi/ips"
    keys = {f["key"] for f in _json("findings", national, "--format", "json")["findings"]}
    assert {s["finding"] for s in got} <= keys
    # the report keeps them too (it dropped every one)
    report = run("report", national, "-o", national.parent / "report.html")
    assert report.exit_code == 0, report.output
    page = (national.parent / "report.html").read_text(encoding="utf-8")
    assert "Hyvaksin aikuisten sosiaalityö" in page


def test_comparing_a_merged_graph_compares_its_regions(national: Path) -> None:
    """`polku compare nat.ttl` refused ("needs two regions"); now it gives the figures the
    two regional graphs give (each region's nodes, and the actors the regions share in the
    regions that held them)."""
    merged = _json("compare", national, "--format", "json")
    regional = _json("compare", *REGIONS, "--format", "json")
    by = {r["region"]: r for r in regional["regions"]}
    assert [r["region"] for r in merged["regions"]] == ["keski-suomi", "keski-uusimaa"]
    assert merged["kinds"] == regional["kinds"]
    for row in merged["regions"]:
        # an actor with a business id no edge ties to a region (Keuruu) is counted in the
        # region that held it only (it was counted in both)
        assert row == by[row["region"]], row["region"]
    table = run("compare", national)
    assert table.exit_code == 0 and "Keski-Suomi" in table.output


def test_a_server_of_one_merged_graph_compares_its_regions(national: Path,
                                                           tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copy(national, tmp_path / "nat.ttl")
    client = TestClient(create_app([tmp_path]))
    answer = client.get("/api/compare")
    assert answer.status_code == 200, answer.text
    assert [r["region"] for r in answer.json()["regions"]] == ["keski-suomi", "keski-uusimaa"]
    named = client.get("/api/compare", params={"graphs": "nat"})
    assert named.status_code == 200 and named.json()["regions"] == answer.json()["regions"]
    page = client.get("/compare")
    assert page.status_code == 200 and "Keski-Uusimaa" in page.text
    assert "vähintään kaksi" not in page.text


def test_exports_keep_each_nodes_region_and_the_regions_sheets(national: Path,
                                                               tmp_path: Path) -> None:
    for fmt, out in (("graphml", tmp_path / "n.graphml"), ("gexf", tmp_path / "n.gexf"),
                     ("csv", tmp_path / "csv")):
        result = run("export", national, "--to", fmt, "-o", out)
        assert result.exit_code == 0, result.output
    gml = nx.read_graphml(tmp_path / "n.graphml")
    by_id = {d["polku_id"]: d for _, d in gml.nodes(data=True)}
    assert by_id["keski-suomi/ips"]["from_region"] == "keski-suomi"
    assert by_id["keski-uusimaa/nuotti"]["from_region"] == "keski-uusimaa"
    assert by_id["national/kela"]["from_region"] == "national"
    assert by_id["keski-suomi/aanekoski"]["region"] == "Äänekoski"  # the service area stays
    assert gml.graph["regions"] == "keski-suomi;keski-uusimaa"
    assert gml.graph["region.keski-suomi.region"] == "Keski-Suomi"
    assert gml.graph["region.keski-suomi.illustrative"] == "true"
    assert gml.graph["region.keski-uusimaa.source"].startswith("Keski-Uudenmaan")
    gexf = nx.read_gexf(tmp_path / "n.gexf")
    assert gexf.nodes["keski-suomi/ips"]["from_region"] == "keski-suomi"
    assert gexf.nodes["national/kela"]["from_region"] == "national"
    meta = ET.parse(tmp_path / "n.gexf").getroot().find(
        "{http://www.gexf.net/1.2draft}meta/{http://www.gexf.net/1.2draft}description")
    lines = meta.text.splitlines()  # the regions' sheets as GraphML names them
    source = next(x for x in lines if x.startswith("region.keski-suomi.source: "))
    assert "graphs/keski-suomi" in source and "region.keski-suomi.illustrative: true" in lines
    assert any(x.startswith("region.keski-uusimaa.title: Keski-Uudenmaan") for x in lines)
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8") as f:
        rows = {r["id:ID"]: r for r in csv.DictReader(f)}
    assert rows["keski-suomi/ips"]["from_region"] == "keski-suomi"
    assert rows["national/kela"]["from_region"] == "national"
    # a region's own graph has no such column
    result = run("export", REGIONS[1], "--to", "graphml", "-o", tmp_path / "r.graphml")
    assert result.exit_code == 0
    assert "from_region" not in (tmp_path / "r.graphml").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,regions,outcome", [
    ("fi", "alueet: Keski-Suomi, Keski-Uusimaa", "Eläkeratkaisu (Keski-Suomi)"),
    ("sv", "regioner: Mellersta Finland, Mellersta Nyland", "(Mellersta Nyland)")])
def test_show_names_each_region(national: Path, lang: str, regions: str,
                                outcome: str) -> None:
    result = run("show", national, "--lang", lang)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "(koko maa)" not in lines[0] and "(hela landet)" not in lines[0]
    assert lines[1].strip() == regions
    assert outcome in result.output
    served = [line for line in lines if line.strip().startswith(
        ("palvelualueet (", "serviceområden ("))]
    assert len(served) == 3  # each region's, and the shared actors'
    assert not any("; " in line for line in served)  # no area list runs into another
    outcomes = next(line for line in lines if line.startswith(("Tulokset:", "Utfall:")))
    names = outcomes.split(": ", 1)[1].split(", ")
    assert len(names) == len(set(names)) == 12


def test_the_graph_page_names_same_named_segments_by_region(national: Path,
                                                            tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copy(national, tmp_path / "nat.ttl")
    client = TestClient(create_app([tmp_path]))
    page = client.get("/graphs/nat")
    assert page.status_code == 200
    assert "Asiakasryhmä: Henkilöt, joiden terveyden ja työkyvyn tuen tarve on selvittämättä " \
           "(Keski-Suomi)" in page.text
    assert "Asiakasryhmä: Henkilöt, joiden terveyden ja työkyvyn tuen tarve on selvittämättä " \
           "(Keski-Uusimaa)" in page.text
    info = client.get("/api/graphs/nat")
    assert info.status_code == 200


def test_split_gives_each_region_back(national: Path) -> None:
    merged = load_graph(national)
    for region in split(merged):
        alone = load_graph(ROOT / "graphs" / region.id)
        assert region.graph.number_of_edges() == alone.number_of_edges()
        assert set(region.graph) == set(alone)
        assert {region.merged_id(n) for n in region.graph} >= {
            qualified(region.id, n) for n in alone if not alone.nodes[n].get("business_id")}


@pytest.mark.parametrize("lang,heading,region", [
    ("fi", "Alueet (2)", "Keski-Suomi"), ("sv", "Regioner (2)", "Mellersta Finland"),
    ("en", "Regions (2)", "Central Finland")])
def test_the_report_names_its_regions_and_their_sources_first(national: Path, lang: str,
                                                              heading: str, region: str,
                                                              tmp_path: Path) -> None:
    """A national reader of a merged graph's report sees which regions it is made of and
    where each one's data comes from before the decisions, in HTML and markdown; a region's
    own report has no such list."""
    import csv

    sources = {}
    for folder in REGIONS:
        with (folder / "graph.csv").open(encoding="utf-8") as f:
            sources[folder.name] = next(csv.DictReader(f))["source"]
    for suffix in (".html", ".md"):
        out = tmp_path / f"report-{lang}{suffix}"
        result = run("report", national, "-o", out, "--lang", lang, "-q")
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        if suffix == ".html":
            from html import unescape
            text = unescape(text)
        assert heading in text, suffix
        regions_at = text.index(heading)
        assert regions_at < text.index({"fi": "Päätettävät asiat", "sv": "Beslut att fatta",
                                        "en": "Decisions to make"}[lang]), suffix
        listed = text[regions_at:regions_at + 3000]
        assert region in listed and all(s[:60] in listed for s in sources.values()), suffix
    own = tmp_path / "own.md"
    assert run("report", REGIONS[0], "-o", own, "--lang", lang, "-q").exit_code == 0
    assert heading not in own.read_text(encoding="utf-8")
