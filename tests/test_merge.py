"""`polku merge A B … -o national.ttl` and `polku neo4j pull --all`: regions side by side,
each under its own namespace, one actor per business id, conflicts reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import FULL, copy_full, copy_mini, edit, run
from polku.io import rdf, workbook
from polku.analyses.findings import find
from polku.io.load import load_graph
from polku.analyses.merge import merge
from polku.graph import MERGED_FROM

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
    assert ("conflict: national/kela (business id 0246246-0): Name: keski-suomi says 'Kela'; "
            "keski-uusimaa says 'Kansaneläkelaitos (Kela)' (the merged graph keeps "
            "keski-suomi's)") in output
    assert "2 regions, 1 shared actor (same business id), 3 conflicts" in output


@pytest.mark.parametrize("lang, name, name_sv", [
    ("fi", "Nimi", "Nimi ruotsiksi"), ("sv", "Namn", "Namn på svenska"),
    ("en", "Name", "Name in Swedish")])
def test_conflicts_name_columns_as_the_diff_does(tmp_path: Path, lang: str, name: str,
                                                 name_sv: str) -> None:
    """Found by a national developer: a conflict line in Finnish named its columns by their
    ids ('name: keski-uusimaa: …; name_sv: …'); the diff names them by their names in the
    reader's language ('Nimi ruotsiksi')."""
    from helpers import copy_pohjois_karjala

    second = copy_pohjois_karjala(tmp_path / "pohjois-karjala")
    result = run("merge", EXAMPLE, second, "-o", tmp_path / "national.ttl", "--lang", lang)
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if "national/kela" in x]
    assert len(lines) == 2, result.output
    assert f"0246246-0): {name}: keski-uusimaa" in lines[0], lines
    assert f"0246246-0): {name_sv}: keski-uusimaa" in lines[1], lines
    assert not any("): name" in x for x in lines), lines


@pytest.mark.parametrize("lang, said", [
    ("fi", "2 aluetta, 1 yhteinen toimija (sama Y-tunnus), 3 ristiriitaa"),
    ("sv", "2 regioner, 1 gemensam aktör (samma FO-nummer), 3 konflikter")])
def test_merge_counts_in_their_plural_forms(tmp_path: Path, lang: str, said: str) -> None:
    """One shared actor is one, in Finnish and Swedish too ('1 yhteistä toimijaa' was
    wrong)."""
    result = run("merge", EXAMPLE, SECOND, "-o", tmp_path / "national.ttl", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert said in result.output, result.output


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
    # the files named, as the reader gave them (merge() alone knows graphs, not files)
    assert result.exit_code == 1 and f"{SECOND} and {copy} are both named 'keski-suomi'" \
        in " ".join(result.output.split())
    assert not (tmp_path / "n.ttl").exists()
    # the merged graph's name becomes its namespace, in every shared actor's IRI: an id
    for name in ("koko maa", "", "a/b", "x#y", "Kansallinen"):
        result = run("merge", SECOND, EXAMPLE, "-o", tmp_path / "n.ttl", "--name", name)
        assert result.exit_code == 1 and "--name" in result.output and \
            "is not a valid graph id" in result.output, name
    # an action plan is no region: its actors would stand beside the region's
    result = run("merge", EXAMPLE, ROOT / "graphs" / "plan.ttl", "-o", tmp_path / "n.ttl")
    assert result.exit_code == 1 and "is an action plan, not a region" in result.output
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


# -- what a merge keeps: every sheet and column, follow-ups included -------------------------

def test_the_full_workbook_uses_every_sheet_and_column() -> None:
    """The pair below is only a check of what merge keeps while it holds everything the
    format has: each sheet, each column, and an unknown column on each sheet."""
    for name, sheet in workbook.SHEETS.items():
        header = (FULL / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        known = [c.name for c in sheet.columns]
        assert set(known) <= set(header), (name, set(known) - set(header))
        assert set(header) - set(known), f"{name}: no extra column"


@pytest.fixture(scope="module")
def full_pair(tmp_path_factory) -> tuple[Path, Path, Path, str]:
    """Two regions 'ra' and 'rb' made of the full workbook, sharing Kela by its business id,
    merged by the command into national.ttl."""
    tmp = tmp_path_factory.mktemp("full")
    a, b = copy_full(tmp / "ra", "ra"), copy_full(tmp / "rb", "rb")
    out = tmp / "national.ttl"
    result = run("merge", a, b, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    return a, b, out, result.output


def _merged_id(merged, region: str):
    """A region's node id -> its id in the merged graph (its own, or the shared actor's)."""
    shared = {n.split("/", 1)[1]: n for n in merged if n.startswith("national/")}
    return lambda n: shared.get(n, f"{region}/{n}")


def test_a_merged_graph_keeps_every_node_edge_and_follow_up_of_its_regions(
        full_pair: tuple[Path, Path, Path, str]) -> None:
    """Node by node: names in sv/en, legal bases, waits, extra columns, the plan's measures,
    responsibilities with their notes, path steps, and each region's follow-ups (which the
    merge dropped), keyed so that the merged finding's key finds them."""
    from polku.analyses.merge import merged_key

    a, b, out, _ = full_pair
    merged = load_graph(out)
    followups = merged.graph.get("followups") or {}
    merged_keys = {f.key for f in find(merged)}
    for source in (a, b):
        g = load_graph(source)
        region = g.graph["name"]
        ids = _merged_id(merged, region)
        for node, data in g.nodes(data=True):
            kept = dict(merged.nodes[ids(node)])
            if ids(node).startswith("national/"):  # a shared actor names who held it
                assert f"{region}/{node}" in kept.pop(MERGED_FROM)
            assert kept == data, (region, node)
        for u, v, key, data in g.edges(keys=True, data=True):
            assert merged.edges[ids(u), ids(v), key] == data, (region, u, v, key)
        # the finding keys of a region are the merged graph's, by their merged ids
        assert {merged_key(f.key, ids) for f in find(g)} <= merged_keys
        assert g.graph["followups"]
        for key, row in g.graph["followups"].items():
            kept = followups[merged_key(key, ids)]
            assert kept == {**row, **({"owner": ids(row["owner"])} if "owner" in row else {})}
    assert followups["over-capacity:ra/velka"] == {
        "status": "in-progress", "owner": "ra/tiimi", "due": "2026-03-31",
        "note": "jonoa puretaan", "updated": "2026-01-02T10:00:00Z", "by": "Anna",
        "extra": {"ticket": "T-1"}}
    assert "path-broken:rb/p1:rb/velka+rb/tyo" in followups
    assert "path-broken:rb/p1:rb/velka+rb/tyo" in merged_keys
    # both regions follow up the shared Kela's finding alike: one row, no conflict
    assert followups["actor-overload:national/kela"] == {"status": "new",
                                                          "owner": "national/kela"}


def test_merge_says_it_kept_the_follow_ups(full_pair: tuple[Path, Path, Path, str]) -> None:
    _, _, _, output = full_pair
    assert "0 conflicts" in output
    assert "kept the regions' 9 follow-ups" in output


def test_findings_of_a_merged_graph_show_each_regions_follow_ups(
        full_pair: tuple[Path, Path, Path, str]) -> None:
    _, _, out, _ = full_pair
    result = run("findings", out, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    keys = {f["key"] for f in doc["findings"]}
    for region in ("ra", "rb"):
        # the finding is still there, so its follow-up is as the region recorded it
        assert f"over-capacity:{region}/velka" in keys
        fu = doc["followups"][f"over-capacity:{region}/velka"]
        assert (fu["status"], fu["owner"], fu["due"]) == ("in-progress", f"{region}/tiimi",
                                                          "2026-03-31")
        assert doc["followups"][f"segment-without-lead:{region}/pienet"]["status"] == \
            "accepted-risk"
    # an actor's id without the merged graph's namespace is offered with it
    r = run("findings", out, "--actor", "kela")
    assert r.exit_code == 1 and "did you mean 'national/kela'?" in r.output
    table = run("findings", out).output
    # the owner by name and region (the id beside it, as the table names every node)
    assert table.count("→ in progress, Work ability team (ra, ra/tiimi), due 31 Mar 2026") == 1
    assert table.count("→ in progress, Work ability team (rb, rb/tiimi), due 31 Mar 2026") == 1


def test_two_regions_following_up_one_finding_differently_is_a_conflict(
        tmp_path: Path) -> None:
    """Both regions follow up the shared Kela's finding: the merged graph keeps one row
    (the first region's, whole) and says so for each field they disagree on."""
    a, b = copy_full(tmp_path / "ra", "ra"), copy_full(tmp_path / "rb", "rb")
    edit(b / "followups.csv", "actor-overload:kela,new,kela,,",
         "actor-overload:kela,in-progress,kela,2026-09-30,")
    for first, second in ((a, b), (b, a)):
        out = tmp_path / f"{first.name}.ttl"
        result = run("merge", first, second, "-o", out)
        assert result.exit_code == 0, result.output
        assert ("conflict: follow-up of actor-overload:national/kela: Status: ra says 'new'; "
                "rb says 'in-progress' (the merged graph keeps ra's follow-up)") in result.output
        assert ("conflict: follow-up of actor-overload:national/kela: Due date: ra says ''; "
                "rb says '2026-09-30' (the merged graph keeps ra's follow-up)") in result.output
        assert "2 conflicts" in result.output
        kept = load_graph(out).graph["followups"]["actor-overload:national/kela"]
        assert kept == {"status": "new", "owner": "national/kela"}
    assert (tmp_path / "ra.ttl").read_text() == (tmp_path / "rb.ttl").read_text()
    fi = run("merge", a, b, "-o", tmp_path / "fi.ttl", "--lang", "fi").output
    assert ("ristiriita: havainnon actor-overload:national/kela seuranta: Tila: ra: 'new'; "
            "rb: 'in-progress' (yhdistettyyn aineistoon jää alueen ra seuranta)") in fi


def test_follow_ups_that_differ_only_in_who_wrote_them_when_are_no_conflict(
        tmp_path: Path) -> None:
    """`updated` and `by` say who last wrote a region's row and when: two regions that agree
    on the follow-up itself are no conflict, and the merge prints no person's name."""
    a, b = copy_full(tmp_path / "ra", "ra"), copy_full(tmp_path / "rb", "rb")
    edit(a / "followups.csv", "actor-overload:kela,new,kela,,,,,",
         "actor-overload:kela,new,kela,,,2026-02-01T08:00:00Z,Aino,")
    edit(b / "followups.csv", "actor-overload:kela,new,kela,,,,,",
         "actor-overload:kela,new,kela,,,2026-02-03T09:00:00Z,Ville,")
    result = run("merge", a, b, "-o", tmp_path / "n.ttl")
    assert result.exit_code == 0, result.output
    assert "0 conflicts" in result.output
    assert "Aino" not in result.output and "Ville" not in result.output



# -- each region's own graph sheet -------------------------------------------------------

#: the full workbook's graph sheet (region 'ra'), and the second region's, rewritten whole
RA_SHEET = {"id": "ra", "title": "Kaikki sarakkeet", "title_sv": "Alla kolumner",
            "title_en": "Every column", "region": "Keski-Uusimaa", "region_sv": "Mellersta Nyland",
            "region_en": "Central Uusimaa", "illustrative": True, "source": "polku tests",
            "extra": {"contact": "Hankepalvelut"}}
RB_SHEET = {"id": "rb", "title": "Toinen alue", "title_sv": "Andra regionen",
            "title_en": "Second region", "region": "Keski-Suomi", "region_en": "Central Finland",
            "source": "Keski-Suomen kokeilu 2026", "extra": {"contact": "Hanketoimisto"}}


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Two regions of the full workbook that say different things of themselves: 'rb'
    describes Keski-Suomi, is not illustrative, has its own source and contact (no
    region_sv: its Swedish name comes from the code lists)."""
    tmp = tmp_path_factory.mktemp("sheets")
    a, b = copy_full(tmp / "ra", "ra"), copy_full(tmp / "rb", "rb")
    (b / "graph.csv").write_text(
        "id,title,title_sv,title_en,region,region_sv,region_en,illustrative,source,contact\n"
        "rb,Toinen alue,Andra regionen,Second region,Keski-Suomi,,Central Finland,,"
        "Keski-Suomen kokeilu 2026,Hanketoimisto\n", encoding="utf-8")
    return a, b, tmp


def test_a_merged_graph_keeps_each_regions_graph_sheet(
        two_regions: tuple[Path, Path, Path]) -> None:
    """The regions' own ids, titles, region names, sources, illustrative and extra columns
    were lost in the merge (only their titles survived, joined into the merged title)."""
    from polku.graph import region_of, regions

    a, b, tmp = two_regions
    merged = merge([load_graph(b), load_graph(a)]).graph
    assert regions(merged) == [RA_SHEET, RB_SHEET]
    for suffix in (".ttl", ".jsonld"):
        out = tmp / f"national{suffix}"
        result = run("merge", a, b, "-o", out)
        assert result.exit_code == 0, result.output
        back = load_graph(out)
        # a file for others (.jsonld) hid each region's small cells below 5: each says so
        sheets = [RA_SHEET, RB_SHEET] if suffix == ".ttl" else \
            [{**RA_SHEET, "min_cell": 5}, {**RB_SHEET, "min_cell": 5}]
        assert regions(back) == sheets, suffix
        # and once more through the other format: load(save(merged)) == merged
        again = tmp / f"again{'.jsonld' if suffix == '.ttl' else '.ttl'}"
        (rdf.write_jsonld if again.suffix == ".jsonld" else rdf.write_turtle)(back, again)
        assert regions(load_graph(again)) == sheets, again
        # each node knows its region; the actor they share is of none
        assert region_of(back, "ra/velka")["region"] == "Keski-Uusimaa"
        assert region_of(back, "rb/m1")["source"] == "Keski-Suomen kokeilu 2026"
        assert region_of(back, "national/kela") is None
        # the merged graph's own sheet is still its own
        assert back.graph["region"] == "koko maa" and back.graph["source"] == \
            "polku merge: ra, rb"
    text = (tmp / "national.ttl").read_text(encoding="utf-8")
    assert "dct:hasPart <https://w3id.org/polku/id/ra/>,\n        " \
           "<https://w3id.org/polku/id/rb/> ;" in text
    rb = text[text.index("<https://w3id.org/polku/id/rb/>\n"):].split("\n\n", 1)[0]
    assert "a <http://rdfs.org/ns/void#Dataset> ;" in rb and "dct:isPartOf : ;" in rb
    assert '"Keski-Suomen kokeilu 2026"' in rb and 'polkux:contact "Hanketoimisto"' in rb
    # Keski-Suomi is a region (maakunta) of Statistics Finland's code list
    assert "dct:spatial <http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101/code/13>" in rb


def test_the_regions_merge_the_same_in_any_order(two_regions: tuple[Path, Path, Path]
                                                 ) -> None:
    a, b, tmp = two_regions
    for suffix in (".ttl", ".jsonld"):
        ab, ba = tmp / f"ab{suffix}", tmp / f"ba{suffix}"
        assert run("merge", a, b, "-o", ab).exit_code == 0
        assert run("merge", b, a, "-o", ba).exit_code == 0
        assert ab.read_bytes() == ba.read_bytes(), suffix


def test_the_merged_graph_with_its_regions_conforms_to_cpsv_ap(
        two_regions: tuple[Path, Path, Path]) -> None:
    import pyshacl
    import rdflib

    a, b, tmp = two_regions
    out = tmp / "cpsv.jsonld"
    assert run("merge", a, b, "-o", tmp / "n2.ttl").exit_code == 0
    assert run("export", tmp / "n2.ttl", "--to", "cpsv-ap", "-o", out).exit_code == 0
    shapes = rdflib.Graph().parse(Path(__file__).parent / "standards" / "cpsv-ap-3.2.0-SHACL.ttl")
    data = rdflib.Graph().parse(out)
    assert (None, rdflib.URIRef(rdf.HAS_PART), None) in data
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


@pytest.mark.parametrize("lang, ra, rb, debt", [
    ("fi", "Keski-Uusimaa", "Keski-Suomi", "Velkaneuvonta"),
    ("sv", "Mellersta Nyland", "Mellersta Finland", "Skuldrådgivning"),
    ("en", "Central Uusimaa", "Central Finland", "Debt advice")])
def test_findings_on_a_merged_graph_say_each_nodes_region(
        two_regions: tuple[Path, Path, Path], lang: str, ra: str, rb: str, debt: str) -> None:
    """Both regions' plans have a measure 'Toinen' without an indicator: the findings said
    “Toinen” twice, and nobody could tell which region's measure was which."""
    a, b, tmp = two_regions
    out = tmp / "worded.ttl"
    assert run("merge", a, b, "-o", out).exit_code == 0
    doc = json.loads(run("findings", out, "--format", "json", "--lang", lang).output)
    said = {(f["kind"], f["subject"]): f["message"] for f in doc["findings"]}
    for region, shown in (("ra", ra), ("rb", rb)):
        message = said[("measure-without-indicator", f"{region}/m2")]
        # quoted in the sentence's own marks: ” ” in Finnish and Swedish, “ ” in English
        toinen = "“Toinen”" if lang == "en" else "”Toinen”"
        assert message.count(f"{toinen} ({shown})") == 1, message
        # a service by its name, its region's name and its id (the command line's way)
        assert f"{debt} ({shown}, {region}/velka)" in \
            said[("dead-end", f"{region}/velka")]
        assert (ra if region == "rb" else rb) not in message  # names, never the other's
    # the measure's lead is a region's organisation (its name and region's name), the actor
    # the regions share is national: no region beside it
    from polku.present.i18n import translator
    from polku.present.messages import Wording

    merged, tr = load_graph(out), translator(lang)
    assert f"{tr.label(merged, 'ra/hva')} ({ra})" in said[("no-lead", "ra/m2")]
    words = Wording(merged, tr.plainly())
    assert words.name("national/kela") == tr.label(merged, "national/kela")
    assert words.name("rb/velka") == f"{debt} ({rb})"


def test_the_graph_page_and_views_list_the_regions(two_regions: tuple[Path, Path, Path]
                                                   ) -> None:
    from fastapi.testclient import TestClient

    from polku.app import create_app

    a, b, tmp = two_regions
    served = tmp / "served"
    served.mkdir()
    assert run("merge", a, b, "-o", served / "national.ttl").exit_code == 0
    client = TestClient(create_app([served]), raise_server_exceptions=False)
    page = client.get("/graphs/national?lang=sv")
    assert page.status_code == 200, page.text
    regions = page.text[page.text.index('<section id="regions"'):]
    regions = regions[:regions.index("</section>")]
    assert "Regioner (2)" in regions
    assert '<th scope="row" title="ra">Mellersta Nyland</th><td>Alla kolumner' in regions
    assert '<th scope="row" title="rb">Mellersta Finland</th><td>Andra regionen' in regions
    assert "Keski-Suomen kokeilu 2026" in regions and "polku tests" in regions
    assert regions.count("siffrorna är fiktiva") == 1  # ra's only
    # a finding's sentence on the page names the region, not its id
    # (the measure's Finnish title marked as Finnish on a Swedish page)
    assert '”<span lang="fi">Toinen</span>” (Mellersta Finland): huvudansvar saknas' in \
        page.text
    html = tmp / "national.html"
    assert run("render", served / "national.ttl", "-o", html, "--lang", "en").exit_code == 0
    header = html.read_text(encoding="utf-8")
    header = header[header.index('<details class="pv-regions">'):]
    header = header[:header.index("</details>")]
    assert "Regions (2)" in header
    assert "Central Uusimaa: Every column · Source: polku tests · the numbers are " \
           "illustrative" in header
    assert "Central Finland: Second region · Source: Keski-Suomen kokeilu 2026</li>" in header
    alone = tmp / "ra.html"
    assert run("render", a, "-o", alone).exit_code == 0
    assert "<details class=\"pv-regions\">" not in alone.read_text(encoding="utf-8")


def test_neo4j_pull_all_leaves_a_merged_graph_out_and_a_region_can_be_deleted(
        neo4j_alone, tmp_path: Path) -> None:
    """Found by a national developer: once a merged graph was pushed beside its regions,
    `neo4j pull --all` refused for good ('national' is already a merged graph), naming no
    database, and no command could delete a region. The pull merges the regions and leaves
    the merged graph out, saying so; `neo4j delete --region R --yes` removes a region (and
    without --yes deletes nothing)."""
    from polku.io import neo4jstore as ns

    server = neo4j_alone
    creds = ["--uri", server.uri, "--user", server.user, "--password", server.password]
    national = tmp_path / "nat.ttl"
    assert run("merge", EXAMPLE, SECOND, "-o", national, "--name", "national").exit_code == 0
    for src in (EXAMPLE, SECOND, national):
        assert run("neo4j", "push", src, *creds).exit_code == 0
    result = run("neo4j", "pull", "--all", *creds, "-o", tmp_path / "all.ttl", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert ("note: left out 'national', a merged graph of the regions keski-suomi, "
            "keski-uusimaa, read on their own; polku neo4j pull --region national reads it "
            "alone, polku neo4j delete --region national --yes deletes it") in result.output
    got = load_graph(tmp_path / "all.ttl")
    expected = merge([load_graph(EXAMPLE), load_graph(SECOND)]).graph
    assert sorted(got.nodes) == sorted(expected.nodes)
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    fi = run("neo4j", "pull", "--all", *creds, "-o", tmp_path / "fi.ttl", "--lang", "fi")
    assert "jätetty pois 'national'" in fi.output, fi.output

    # a delete asks to be confirmed: without --yes nothing goes
    asked = run("neo4j", "delete", "--region", "national", *creds, "--lang", "en")
    assert asked.exit_code == 1
    assert "--yes" in asked.output and "national" in asked.output
    assert "national" in ns.regions(server.uri, server.user, server.password)
    unknown = run("neo4j", "delete", "--region", "nowhere", "--yes", *creds, "--lang", "en")
    assert unknown.exit_code == 1 and "has no region 'nowhere'" in unknown.output
    assert "keski-suomi, keski-uusimaa, national" in unknown.output  # what it holds
    gone = run("neo4j", "delete", "--region", "national", "--yes", *creds, "--lang", "en")
    assert gone.exit_code == 0, gone.output
    assert "deleted region 'national'" in gone.output
    assert ns.regions(server.uri, server.user, server.password) == [
        "keski-suomi", "keski-uusimaa"]
    again = run("neo4j", "pull", "--all", *creds, "-o", tmp_path / "again.ttl", "--lang", "en")
    assert again.exit_code == 0 and "left out" not in again.output, again.output

    # a merged graph alone in the database is its regions, merged again
    for region in ("keski-suomi", "keski-uusimaa"):
        assert run("neo4j", "delete", "--region", region, "--yes", *creds).exit_code == 0
    assert run("neo4j", "push", national, *creds).exit_code == 0
    alone = run("neo4j", "pull", "--all", *creds, "-o", tmp_path / "alone.ttl", "--lang", "en")
    assert alone.exit_code == 0 and "left out" not in alone.output, alone.output
    assert sorted(load_graph(tmp_path / "alone.ttl").nodes) == sorted(expected.nodes)
