"""`polku merge A B … -o national.ttl` and `polku neo4j pull --all`: regions side by side,
each under its own namespace, one actor per business id, conflicts reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import copy_mini, run
from polku.io import rdf
from polku.analyses.findings import find
from polku.io.load import load_graph
from polku.analyses.merge import merge

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
SECOND = Path(__file__).parent / "data" / "keski-suomi"


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("merge") / "national.ttl"
    result = run("merge", EXAMPLE, SECOND, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    return out, result.output


def test_kela_appears_once_with_every_regions_services(national: tuple[Path, str]) -> None:
    out, _ = national
    g = load_graph(out)
    kelas = [n for n, d in g.nodes(data=True) if d.get("business_id") == "0246246-0"]
    assert kelas == ["national/kela"]
    provided = {v for _, v, k in g.out_edges("national/kela", data="kind") if k == "provides"}
    assert "keski-suomi/kela-ammatillinen-kuntoutus" in provided
    assert any(p.startswith("keski-uusimaa/") for p in provided)
    assert "keski-uusimaa/kela" not in g and "keski-suomi/kela" not in g


def test_each_region_keeps_its_namespace(national: tuple[Path, str]) -> None:
    out, _ = national
    text = out.read_text(encoding="utf-8")
    assert "<https://w3id.org/polku/id/keski-suomi/hyvaks>" in text
    assert "<https://w3id.org/polku/id/keski-uusimaa/keusote>" in text
    # the same resource IRI as in the region's own graph
    alone = rdf.graph_turtle(load_graph(SECOND))
    assert "@prefix : <https://w3id.org/polku/id/keski-suomi/> ." in alone and ":hyvaks\n" in alone


def test_conflicts_are_reported_not_silently_chosen(national: tuple[Path, str]) -> None:
    _, output = national
    assert ("conflict: national/kela (business id 0246246-0): name: keski-suomi says 'Kela'; "
            "keski-uusimaa says 'Kansaneläkelaitos (Kela)' (the merged graph keeps "
            "keski-suomi's)") in output
    assert "1 shared actors" in output and "3 conflicts" in output


def test_merge_order_does_not_matter(national: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = national
    assert run("merge", SECOND, EXAMPLE, "-o", tmp_path / "n.ttl").exit_code == 0
    assert (tmp_path / "n.ttl").read_text() == out.read_text()


def test_findings_paths_and_views_work_on_the_merged_graph(national: tuple[Path, str],
                                                           tmp_path: Path) -> None:
    out, _ = national
    g = load_graph(out)

    def local(node: str) -> str:
        return node.split("/", 1)[1]

    merged = {(f.kind, local(f.subject)) for f in find(g)}
    regional = {(f.kind, f.subject) for src in (EXAMPLE, SECOND) for f in find(load_graph(src))}
    assert merged == regional
    assert run("validate", out).exit_code == 0
    result = run("paths", out, "--segment", "keski-suomi/seg-terveys", "--format", "json")
    assert result.exit_code == 0, result.output
    best = json.loads(result.output)["best"][0]["steps"]
    assert best[0]["node"] == "keski-suomi/alkuhaastattelu"
    assert run("render", out, "-o", tmp_path / "n.html").exit_code == 0
    assert run("report", out, "-o", tmp_path / "n.md").exit_code == 0


def test_bad_merges(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(SECOND, copy)
    result = run("merge", SECOND, copy, "-o", tmp_path / "n.ttl")
    assert result.exit_code == 1 and "two graphs are named 'keski-suomi'" in result.output
    assert not (tmp_path / "n.ttl").exists()
    assert run("merge", SECOND, "-o", tmp_path / "n.ttl").exit_code == 1
    result = run("merge", SECOND, EXAMPLE, "-o", tmp_path / "n.ttl", "--name", "keski-suomi")
    assert result.exit_code == 1 and "--name" in result.output
    run("merge", SECOND, EXAMPLE, "-o", tmp_path / "n.ttl")
    result = run("merge", tmp_path / "n.ttl", EXAMPLE, "-o", tmp_path / "m.ttl")
    assert result.exit_code == 1 and "already a merged graph" in result.output
    result = run("export", tmp_path / "n.ttl", "--to", "workbook", "-o", tmp_path / "wb")
    assert result.exit_code == 1 and "not a workbook" in result.output


def test_merged_export_conforms_to_cpsv_ap(national: tuple[Path, str], tmp_path: Path) -> None:
    import pyshacl
    import rdflib

    out, _ = national
    assert run("export", out, "--to", "cpsv-ap", "-o", tmp_path / "c.jsonld").exit_code == 0
    shapes = rdflib.Graph().parse(Path(__file__).parent / "standards" / "cpsv-ap-3.2.0-SHACL.ttl")
    conforms, _, text = pyshacl.validate(rdflib.Graph().parse(tmp_path / "c.jsonld"),
                                         shacl_graph=shapes, inference="none")
    assert conforms, text


def test_neo4j_pull_all_is_the_merge_of_every_region(neo4j_alone, tmp_path: Path) -> None:
    neo4j_server = neo4j_alone
    from polku.io import neo4jstore as ns

    creds = ["--uri", neo4j_server.uri, "--user", neo4j_server.user,
             "--password", neo4j_server.password]
    for src in (EXAMPLE, SECOND):
        assert run("neo4j", "push", src, *creds).exit_code == 0
    result = run("neo4j", "pull", "--all", *creds, "-o", tmp_path / "all.ttl")
    assert result.exit_code == 0, result.output
    got = load_graph(tmp_path / "all.ttl")
    regions = ns.regions(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    assert {"keski-uusimaa", "keski-suomi"} <= set(regions)
    pulled = []
    for r in regions:
        one = ns.pull_graph(neo4j_server.uri, neo4j_server.user, neo4j_server.password,
                            region=r)
        one.graph["name"] = r
        pulled.append(one)
    expected = merge(pulled).graph
    assert sorted(got.nodes) == sorted(expected.nodes)
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    assert [n for n, d in got.nodes(data=True) if d.get("business_id") == "0246246-0"] == \
        ["national/kela"]
    assert "keski-suomi/hyvaks" in got


def _regions(tmp_path: Path, a_actors: str, b_actors: str) -> tuple[Path, Path]:
    """Two copies of the mini workbook, regions 'ra' and 'rb', with the actors given."""
    out = []
    for name, actors in (("ra", a_actors), ("rb", b_actors)):
        folder = copy_mini(tmp_path / name)
        (folder / "graph.csv").write_text(f"id,title\n{name},{name}\n", encoding="utf-8")
        (folder / "actors.csv").write_text(actors, encoding="utf-8")
        out.append(folder)
    return out[0], out[1]


def test_two_actors_of_one_region_with_one_business_id_are_refused(tmp_path: Path) -> None:
    """A unit given its organisation's business id was folded into the organisation: the
    merged Kela was named 'Työkykytiimi', was part of itself, and the conflict line said the
    graph kept 'Kela' when it kept 'Työkykytiimi'."""
    a, b = _regions(
        tmp_path,
        "id,name,kind,parent,region,business_id\n"
        "keusote,Keusote,wellbeing-county,,Keski-Uusimaa,\n"
        "tyokykytiimi,Työkykytiimi,wellbeing-county,kela,Keski-Uusimaa,0246246-0\n"
        "kela,Kela,kela,,,0246246-0\n",
        "id,name,kind,parent,region,business_id\n"
        "keusote,Keusote,wellbeing-county,,Keski-Uusimaa,\n"
        "tyokykytiimi,Työkykytiimi,wellbeing-county,keusote,Keski-Uusimaa,\n"
        "kela,Kela,kela,,,0246246-0\n")
    result = run("merge", a, b, "-o", tmp_path / "n.ttl")
    assert result.exit_code == 1, result.output
    assert "'ra'" in result.output and "kela" in result.output and "tyokykytiimi" in result.output
    assert "0246246-0" in result.output
    assert not (tmp_path / "n.ttl").exists()


def test_extra_columns_that_differ_are_conflicts_too(tmp_path: Path) -> None:
    """The second region's url for the shared actor was dropped without a word."""
    a, b = _regions(
        tmp_path,
        "id,name,kind,parent,region,business_id,url\n"
        "keusote,Keusote,wellbeing-county,,Keski-Uusimaa,,\n"
        "tyokykytiimi,Työkykytiimi,wellbeing-county,keusote,Keski-Uusimaa,,\n"
        "kela,Kela,kela,,,0246246-0,https://www.kela.fi\n",
        "id,name,kind,parent,region,business_id,url,phone\n"
        "keusote,Keusote,wellbeing-county,,Keski-Uusimaa,,,\n"
        "tyokykytiimi,Työkykytiimi,wellbeing-county,keusote,Keski-Uusimaa,,,\n"
        "kela,Kela,kela,,,0246246-0,https://kela.fi,020 692 200\n")
    result = run("merge", a, b, "-o", tmp_path / "n.ttl")
    assert result.exit_code == 0, result.output
    assert ("conflict: national/kela (business id 0246246-0): url: ra says "
            "'https://www.kela.fi'; rb says 'https://kela.fi' (the merged graph keeps ra's)"
            ) in result.output
    extra = load_graph(tmp_path / "n.ttl").nodes["national/kela"]["extra"]
    assert extra == {"url": "https://www.kela.fi", "phone": "020 692 200"}
