"""Regions side by side: `polku compare` on the two example regions (graphs/keski-uusimaa and
the illustrative second region graphs/keski-suomi) as a table, CSV, JSON and a page with
a small-multiples chart; small cells left out of the totals (the small test region
tests/data/keski-suomi holds one); regions read from Neo4j, named or all of a database."""

from __future__ import annotations

import csv
import io
import html
import json
import re
from pathlib import Path

import pytest

from helpers import run
from polku.analyses.findings import find
from polku.analyses.regions import compare_regions, needs_covered, region_figures
from polku.io.load import load_graph

ROOT = Path(__file__).resolve().parents[1]
FIRST = ROOT / "graphs" / "keski-uusimaa"
SECOND = Path(__file__).parent / "data" / "keski-suomi"  # small, with a segment of 3
REGION = ROOT / "graphs" / "keski-suomi"  # the second example region


def test_figures_follow_the_graph() -> None:
    """Every figure recomputed by hand from the second region's workbook."""
    g = load_graph(SECOND)
    sizes = [d["size"] for _, d in g.nodes(data=True) if d["type"] == "segment"]
    assert 3 in sizes  # the small cell the region holds on purpose
    f = region_figures(g, min_cell=5)
    assert f["people"] == sum(s for s in sizes if s >= 5) and f["suppressed_segments"] == 1
    assert region_figures(g)["people"] == sum(sizes)
    kinds: dict[str, int] = {}
    for x in find(g):
        kinds[x.kind] = kinds.get(x.kind, 0) + 1
    assert f["findings"] == kinds
    assert f["findings_per_10k"] == {k: n / f["people"] * 10000
                                     for k, n in kinds.items()}
    refs = [d for _, d in g.nodes(data=True) if d["type"] == "referral"]
    assert f["information_travels"] == sum(
        d.get("information_flow") == "yes" for d in refs) / len(refs)
    waits = sorted(d["median_wait_days"] for d in refs if "median_wait_days" in d)
    mid = len(waits) // 2
    assert f["median_wait_days"] == (waits[mid] if len(waits) % 2 else
                                     (waits[mid - 1] + waits[mid]) / 2)
    assert 0 <= needs_covered(g) <= 1 and f["needs_covered"] == needs_covered(g)
    plan = load_graph(ROOT / "graphs" / "plan.ttl")
    measures = [n for n, d in plan.nodes(data=True) if d["type"] == "measure"]
    leads = sum(1 for m in measures for _, _, d in plan.in_edges(m, data=True)
                if d.get("role") == "lead")
    assert region_figures(plan, findings=[])["leads_per_measure"] == leads / len(measures)


def test_compare_prints_the_table_for_the_two_example_regions() -> None:
    result = run("compare", FIRST, REGION, "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the regions as people name them (the graph sheet's region, in English), not the ids
    assert lines[0].split() == ["figure", "Central", "Uusimaa", "Central", "Finland"]
    sizes = [d["size"] for _, d in load_graph(REGION).nodes(data=True) if d["type"] == "segment"]
    assert lines[1].startswith("people in segments") and lines[1].split()[-1] == f"{sum(sizes):,}"
    assert any(x.startswith("findings per 10,000 people") for x in lines)
    # finding kinds by their names, not their ids
    assert any(x.startswith("information does not travel per 10,000 people") for x in lines)
    assert not any("-" in x.split(" per ")[0] for x in lines[1:] if " per " in x)
    # the two regions differ where the second one was made to (its README's list)
    over = next(x for x in lines if x.startswith("over capacity per 10,000 people")).split()
    assert over[-1] != over[-2]
    assert "Central Finland: illustrative data, not real figures" in result.output
    assert "Central Uusimaa: illustrative data, not real figures" in result.output
    assert "Segments under 5 people are left out of the totals." in result.output
    fi = run("compare", FIRST, REGION).output  # Finnish by default
    assert "Keski-Suomi" in fi and "people in segments" not in fi
    assert "kapasiteetti ylittyy 10 000 henkeä kohden" in fi and "over-capacity" not in fi


def test_the_second_region_is_valid_and_marked_illustrative() -> None:
    assert run("validate", REGION).exit_code == 0
    g = load_graph(REGION)
    assert g.graph["illustrative"] is True and "keski-suomi" == g.graph["name"]
    readme = (REGION / "README.md").read_text(encoding="utf-8")
    assert "Illustrative, not a model of the region" in readme
    # every business id kept is one a source named (the README lists them)
    ids = {d["business_id"] for _, d in g.nodes(data=True)
           if d["type"] == "actor" and d.get("business_id")}
    assert ids and all(i in readme for i in ids)


def test_compare_csv_and_json_say_the_same() -> None:
    data = json.loads(run("compare", FIRST, REGION, "--format", "json").output)
    rows = list(csv.DictReader(io.StringIO(run("compare", FIRST, REGION, "--format", "csv").output)))
    assert [r["region"] for r in data["regions"]] == [r["region"] for r in rows] == [
        "keski-uusimaa", "keski-suomi"]
    for r, c in zip(data["regions"], rows):
        assert float(c["people"]) == r["people"]
        assert float(c["findings_per_10k_total"]) == r["findings_per_10k_total"]
        assert c["illustrative"] == "yes"
        for kind in data["kinds"]:
            assert float(c[f"findings_per_10k:{kind}"]) == r["findings_per_10k"].get(kind, 0)
    # nothing of a small cell leaves: the total is of the sizes that may be shown
    small = json.loads(run("compare", FIRST, SECOND, "--format", "json").output)
    assert small["regions"][1]["people"] == 1320 and small["min_cell"] == 5
    raw = json.loads(run("compare", FIRST, SECOND, "--format", "json", "--no-suppress").output)
    assert raw["regions"][1]["people"] == 1323


def test_compare_refuses_what_it_cannot_compare(tmp_path: Path) -> None:
    assert "two regions or more" in run("compare", FIRST, "--lang", "en").output
    assert run("compare", FIRST, FIRST).exit_code == 1
    assert "-o PAGE.html" in run("compare", FIRST, REGION, "--format", "html", "--lang",
                                 "en").output
    with pytest.raises(Exception):
        compare_regions([load_graph(FIRST), load_graph(FIRST)])


def test_compare_page_is_self_contained(tmp_path: Path) -> None:
    page = tmp_path / "regions.html"
    assert run("compare", FIRST, REGION, "--format", "html", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "<table>" in html
    assert "src=" not in html and "href=" not in html and "<script" not in html
    assert "Keski-Suomi" in html
    # a figure's title wraps in its panel instead of running into the next one
    titles = re.findall(r'<text font-weight="600"[^>]*>(.*?)</text>', html)
    lines = [t for title in titles for t in re.findall(r"<tspan[^>]*>(.*?)</tspan>", title)]
    assert lines and max(map(len, lines)) <= 38
    assert any(title.count("<tspan") > 1 for title in titles)


def test_compare_regions_in_one_neo4j_database(neo4j_alone, monkeypatch) -> None:
    neo4j_server = neo4j_alone
    from polku.io.neo4jstore import push_graph

    for path, region in ((FIRST, "cmp-first"), (REGION, "cmp-second")):
        push_graph(load_graph(path), neo4j_server.uri, neo4j_server.user,
                   neo4j_server.password, region=region)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    files = json.loads(run("compare", FIRST, REGION, "--format", "json").output)
    result = run("compare", f"{neo4j_server.uri}?region=cmp-first",
                 f"{neo4j_server.uri}?region=cmp-second", "--format", "json")
    assert result.exit_code == 0, result.output
    db = json.loads(result.output)
    assert [r["region"] for r in db["regions"]] == ["cmp-first", "cmp-second"]
    keys = ("people", "findings", "needs_covered", "median_wait_days", "information_travels",
            "findings_per_10k_total", "counts")
    for a, b in zip(files["regions"], db["regions"]):
        for key in keys:
            assert a[key] == b[key], key
    # a URI without ?region= brings every region of the database (as neo4j pull --all)
    every = run("compare", neo4j_server.uri, "--format", "json")
    assert every.exit_code == 0, every.output
    by_name = {r["region"]: r for r in json.loads(every.output)["regions"]}
    assert {"cmp-first", "cmp-second"} <= set(by_name)
    for a, name in zip(files["regions"], ("cmp-first", "cmp-second")):
        for key in keys:
            assert a[key] == by_name[name][key], (name, key)


def test_served_regions_side_by_side(tmp_path: Path) -> None:
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(FIRST, tmp_path / "keski-uusimaa")
    shutil.copytree(REGION, tmp_path / "keski-suomi")
    client = TestClient(create_app([tmp_path]))
    api = client.get("/api/compare").json()
    cli = json.loads(run("compare", tmp_path / "keski-suomi", tmp_path / "keski-uusimaa",
                         "--format", "json").output)
    assert {k: v for k, v in api.items() if k not in ("not_compared", "not_regions", "merged_left_out")} == cli
    sizes = [d["size"] for _, d in load_graph(REGION).nodes(data=True) if d["type"] == "segment"]
    assert api["not_compared"] == [] and api["regions"][0]["people"] == sum(sizes)
    page = client.get("/compare?lang=en")
    assert page.status_code == 200 and page.text.count("<svg") == 1
    assert "Central Finland: illustrative data, not real figures" in page.text
    assert "Regions side by side" in client.get("/?lang=en").text
    # named graphs are compared as named, as `polku compare` compares its files: an unknown
    # name is refused (the command refuses a file it cannot read), not a smaller comparison;
    # a 400 naming the query parameter (a 404 is for what the path names)
    one = client.get("/api/compare?graphs=keski-suomi,nowhere&lang=en")
    assert one.status_code == 400 and one.json()["error"]["field"] == "graphs"
    assert "nowhere" in one.json()["error"]["message"]
    # a plan served beside the regions is no region: left out and said so, not a column
    # of dashes; named, it is compared all the same
    shutil.copy(ROOT / "graphs" / "plan.ttl", tmp_path / "plan.ttl")
    client = TestClient(create_app([tmp_path]))
    api = client.get("/api/compare").json()
    assert [r["region"] for r in api["regions"]] == ["keski-suomi", "keski-uusimaa"]
    assert api["not_regions"] == ["plan"] and api["not_compared"] == []
    page = client.get("/compare?lang=fi").text
    assert "Ei vertailussa, koska niissä ei ole asiakasryhmiä" in page
    # named, it is refused as no region, as the command refuses it
    named = client.get("/api/compare?graphs=keski-suomi,plan&lang=en")
    assert named.status_code == 400 and named.json()["error"]["field"] == "graphs"
    assert "(plan)' is no region" in named.json()["error"]["message"]
    cli = run("compare", REGION, ROOT / "graphs" / "plan.ttl", "--lang", "en")
    assert cli.exit_code == 1 and "'Action plan 2026–2028 (plan)' is no region" in cli.output


def test_served_compare_refuses_what_the_command_refuses(tmp_path: Path) -> None:
    """One region, an unknown language: a reason in the one error shape, never an empty
    answer."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(FIRST, tmp_path / "keski-uusimaa")
    shutil.copytree(REGION, tmp_path / "keski-suomi")
    client = TestClient(create_app([tmp_path]))
    one = client.get("/api/compare?graphs=keski-suomi")
    assert one.status_code == 400 and one.json()["error"]["field"] == "graphs"
    assert one.json()["error"]["message"] == "vertailuun tarvitaan vähintään kaksi aluetta"
    assert "two regions or more" in client.get(
        "/api/compare?graphs=keski-suomi&lang=en").json()["error"]["message"]
    de = client.get("/api/compare?lang=de")
    assert de.status_code == 400 and de.json()["error"]["field"] == "lang"
    assert client.get("/api/compare?graphs=keski-suomi,keski-uusimaa").status_code == 200


def test_needs_covered_follows_the_unmet_need_rule(tmp_path: Path) -> None:
    """A need addressed only by a service the segment cannot reach is an unmet need, and so
    not a covered one: the two figures of a comparison cannot contradict each other."""
    from helpers import copy_mini, edit

    for name in ("a", "b"):
        copy_mini(tmp_path / name)
    b = tmp_path / "b"
    edit(b / "needs.csv", "tyokyky,Työkyky,health\n",
         "tyokyky,Työkyky,health\nvelat,Velat,economy\n")
    edit(b / "segments.csv", ",tyokyky,", ",tyokyky;velat,")
    # velkaneuvonta addresses the need, is open to every segment, but nothing leads to it
    (b / "services.csv").write_text((b / "services.csv").read_text(encoding="utf-8")
                                    + "velkaneuvonta,Velkaneuvonta,keusote,10,,ei,velat,,,,,\n",
                                    encoding="utf-8")
    result = run("compare", tmp_path / "a", b, "--format", "json", "--no-suppress")
    assert result.exit_code == 0, result.output
    a_fig, b_fig = json.loads(result.output)["regions"]
    assert b_fig["findings"].get("unmet-need") == 1
    assert b_fig["needs_covered"] == 0.5 and a_fig["needs_covered"] == 1.0


def _once(count: int, people: int) -> str:
    """count per 10,000 of people, rounded once to a decimal (a half up), as Finnish writes
    it."""
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(count) * 10000 / Decimal(people)
    return f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def test_a_rate_is_its_true_value_rounded_once(tmp_path: Path) -> None:
    """Found by a national developer: Keski-Uusimaa's long waits per 10,000 read 4,0 where
    3 / 7,600 × 10,000 is 3.947 (3,9), and a total 39,4 for 39.349 (39,3): the analysis
    rounded to two decimals and the table to one again."""
    from helpers import copy_pohjois_karjala

    second = copy_pohjois_karjala(tmp_path / "pohjois-karjala")
    data = json.loads(run("compare", FIRST, second, "--format", "json").output)
    ku, pk = data["regions"]
    assert (ku["people"], ku["findings"]["long-wait"]) == (7600, 3)
    assert pk["people"] == 7370 and pk["suppressed_segments"] == 1
    assert sum(pk["findings"].values()) == 29
    result = run("compare", FIRST, second)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    wait = next(x for x in lines if x.startswith("pitkä odotusaika 10 000 henkeä kohden"))
    assert wait.split()[-2:] == ["3,9", _once(pk["findings"]["long-wait"], 7370)]
    total = next(x for x in lines if x.startswith("havaintoja 10 000 henkeä kohden"))
    assert total.split()[-2:] == [_once(sum(ku["findings"].values()), 7600), "39,3"]
    # every rate of the table, and of the page, is its true value rounded once
    page = tmp_path / "regions.html"
    assert run("compare", FIRST, second, "--format", "html", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<td>3,9</td>" in html and "<td>39,3</td>" in html
    assert "<td>4,0</td>" not in html and "<td>39,4</td>" not in html
    for kind in data["kinds"]:
        from polku.present.i18n import kind_name, translator

        row = next(x for x in lines
                   if x.startswith(f"{kind_name(kind, translator('fi'))} 10 000 henkeä kohden"))
        assert row.split()[-2:] == [_once(r["findings"].get(kind, 0), r["people"])
                                    for r in (ku, pk)], kind


def _national(tmp_path: Path) -> tuple[Path, Path]:
    """Pohjois-Karjala (tests/helpers.copy_pohjois_karjala) and its merge with the example
    region, as a national developer made them."""
    from helpers import copy_pohjois_karjala

    second = copy_pohjois_karjala(tmp_path / "pohjois-karjala")
    national = tmp_path / "national.ttl"
    merged = run("merge", FIRST, second, "-o", national)
    assert merged.exit_code == 0, merged.output
    return second, national


def test_a_merged_graph_beside_its_regions_is_named_as_the_cause(tmp_path: Path) -> None:
    """Comparing a merged graph with one of its own regions said two regions had the same
    name and to give each graph its own: the cause is the merged graph."""
    _, national = _national(tmp_path)
    result = run("compare", national, FIRST, "--lang", "en")
    assert result.exit_code == 1
    assert ("'national' is already a merged graph, and its region keski-uusimaa is given "
            "on its own too: compare either the merged graph or its regions") in result.output
    assert "same name" not in result.output
    fi = run("compare", national, FIRST).output
    assert "'national' on jo yhdistetty aineisto" in fi and "sama nimi" not in fi


def test_one_region_or_several_given_beside_their_merged_graph(tmp_path: Path) -> None:
    """The merged graph's error said "its regions keski-uusimaa are given on their own" of
    one region: one region is said in the singular, several in the plural, in each
    language."""
    second, national = _national(tmp_path)
    said = {lang: (run("compare", national, FIRST, "--lang", lang).output,
                   run("compare", national, FIRST, second, "--lang", lang).output)
            for lang in ("en", "fi", "sv")}
    one, both = said["en"]
    assert "its region keski-uusimaa is given on its own too: compare either" in one
    assert "its regions keski-uusimaa, pohjois-karjala are given on their own too" in both
    one, both = said["fi"]
    assert "ja sen alue keski-uusimaa on annettu myös erikseen" in one
    assert "ja sen alueet keski-uusimaa, pohjois-karjala on annettu myös erikseen" in both
    one, both = said["sv"]
    assert "och dess region keski-uusimaa har också getts för sig" in one
    assert "och dess regioner keski-uusimaa, pohjois-karjala har också getts var för sig" \
        in both


def test_a_database_holding_one_region_beside_its_merged_graph_says_one(tmp_path) -> None:
    """What `compare neo4j://HOST` says of a database holding a merged graph and one of its
    regions (the graphs as the database gives them; the door's own check, without a
    server): the region in the singular."""
    from polku.cli.commands import _no_merged_beside_its_regions
    from polku.errors import PolkuError
    from polku.present.i18n import error_text, translator

    _, national = _national(tmp_path)
    with pytest.raises(PolkuError) as raised:
        _no_merged_beside_its_regions("neo4j://db", [load_graph(national), load_graph(FIRST)])
    said = {lang: error_text(raised.value, translator(lang)) for lang in ("en", "fi", "sv")}
    assert "and the database also holds its region keski-uusimaa on its own; a URI" in \
        said["en"] and said["en"] == str(raised.value)
    assert "ja tietokannassa on myös sen alue keski-uusimaa erikseen;" in said["fi"]
    assert "och databasen innehåller också dess region keski-uusimaa för sig;" in said["sv"]


def test_a_database_holding_a_merged_graph_beside_its_regions(neo4j_alone, tmp_path: Path,
                                                              monkeypatch) -> None:
    """Found by a national developer: `compare neo4j://HOST` on a database holding
    Keski-Uusimaa, Pohjois-Karjala and their merge said the two regions had the same name
    and to give each graph its own name; the error names the cause, the merged graph, and
    says how to leave it out (`neo4j pull --all` leaves it out itself)."""
    from polku.io.load import load_graph as read
    from polku.io.neo4jstore import push_graph

    server = neo4j_alone
    second, national = _national(tmp_path)
    for path in (FIRST, second, national):
        push_graph(read(path), server.uri, server.user, server.password)
    monkeypatch.setenv("NEO4J_USER", server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    result = run("compare", server.uri, "--lang", "en")
    assert result.exit_code == 1
    assert (f"{server.uri}: 'national' is already a merged graph, and the database also holds "
            "its regions keski-uusimaa, pohjois-karjala on their own; a URI without ?region= "
            "reads every region: give each region to compare as its own URI with ?region=R, "
            "or the merged graph alone with ?region=national") in result.output
    assert "same name" not in result.output
    fi = run("compare", server.uri).output
    assert "'national' on jo yhdistetty aineisto" in fi and "sama nimi" not in fi
    # and either way out compares the two regions
    alone = run("compare", f"{server.uri}?region=national", "--format", "json")
    assert alone.exit_code == 0, alone.output
    each = run("compare", f"{server.uri}?region=keski-uusimaa",
               f"{server.uri}?region=pohjois-karjala", "--format", "json")
    assert each.exit_code == 0, each.output
    assert [r["region"] for r in json.loads(alone.output)["regions"]] == [
        r["region"] for r in json.loads(each.output)["regions"]] == [
        "keski-uusimaa", "pohjois-karjala"]


def test_a_merged_graph_served_beside_its_regions_is_left_out(tmp_path: Path) -> None:
    """Found by a reviewer: a folder serving a national merge beside its regions could not
    be compared at all: `/api/compare` and `/compare` answered 400, blaming `graphs` the
    reader never gave. Without names nobody asked for the merged graph: its regions are
    compared, and it is listed as left out (`merged_left_out`)."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(FIRST, tmp_path / "keski-uusimaa")
    shutil.copytree(REGION, tmp_path / "keski-suomi")
    merged = run("merge", tmp_path / "keski-uusimaa", tmp_path / "keski-suomi",
                 "-o", tmp_path / "national.ttl")
    assert merged.exit_code == 0, merged.output
    client = TestClient(create_app([tmp_path]))
    api = client.get("/api/compare?lang=en")
    assert api.status_code == 200, api.text
    body = api.json()
    assert [r["region"] for r in body["regions"]] == ["keski-suomi", "keski-uusimaa"]
    assert body["merged_left_out"] == ["national"]
    assert body["not_regions"] == [] and body["not_compared"] == []
    cli = json.loads(run("compare", tmp_path / "keski-suomi", tmp_path / "keski-uusimaa",
                         "--format", "json", "--lang", "en").output)
    assert {k: v for k, v in body.items()
            if k not in ("not_compared", "not_regions", "merged_left_out")} == cli
    page = client.get("/compare?lang=en")
    assert page.status_code == 200 and page.text.count("<svg") == 1
    # the page says what it left out, by the merged graph's title
    from polku.present.i18n import translator

    title = translator("en").title(load_graph(tmp_path / "national.ttl"))
    assert title.startswith("National combination:")
    # one item per graph: a title may hold a comma, as this one does
    left_out = re.search(r"Not compared: merged graphs[^<]*</p>\s*<ul[^>]*>(.*?)</ul>",
                         page.text, re.S)
    assert left_out and re.findall(r"<li>(.*?)</li>", left_out.group(1)) == [
        html.escape(title, quote=False)] and ", " in title
    # named twice, the merged graph is the same graph twice, not a merged graph beside its
    # regions: the error a region given twice has (it is listed twice; it was said to be
    # two regions of one name, "two regions have the same name (keski-suomi, …)")
    twice = client.get("/api/compare?graphs=national,national&lang=en")
    assert twice.status_code == 400 and twice.json()["error"]["field"] == "graphs"
    assert "given on their own" not in twice.json()["error"]["message"]
    assert twice.json()["error"]["message"] == \
        "'national' is listed twice in graphs: list each graph once"
    # named beside one of its regions, it is still named as the cause
    beside = client.get("/api/compare?graphs=national,keski-suomi&lang=en").json()
    assert "'national' is already a merged graph, and its region keski-suomi is given " \
           "on its own too" in beside["error"]["message"]
    # served alone, the merged graph is its regions side by side
    (tmp_path / "keski-uusimaa").rename(tmp_path.parent / f"{tmp_path.name}-ku")
    shutil.rmtree(tmp_path / "keski-suomi")
    alone = TestClient(create_app([tmp_path])).get("/api/compare?lang=en").json()
    assert [r["region"] for r in alone["regions"]] == ["keski-suomi", "keski-uusimaa"]
    assert alone["merged_left_out"] == []


def test_the_same_merged_graph_twice_is_the_same_graph_twice(tmp_path: Path) -> None:
    """`polku compare national.ttl national.ttl` said its regions were given on their own
    too: none was. The same graph twice says what a region given twice says."""
    _, national = _national(tmp_path)
    region = run("compare", FIRST, FIRST, "--lang", "en")
    assert region.exit_code == 1
    assert f"'{FIRST}' is given twice: give each graph once" in region.output
    result = run("compare", national, national, "--lang", "en")
    assert result.exit_code == 1
    assert "given on their own" not in result.output
    assert f"'{national}' is given twice: give each graph once" in result.output
    # two copies of it (another file, the same regions): its regions are there twice
    copy = national.with_name("copy.ttl")
    copy.write_bytes(national.read_bytes())
    result = run("compare", national, copy, "--lang", "en")
    assert result.exit_code == 1
    assert "given on their own" not in result.output, result.output
    assert "two regions have the same name (keski-uusimaa, pohjois-karjala)" in result.output


def test_compare_files_write_each_figure_rounded_once_in_the_readers_language() -> None:
    """Found by a reviewer: once the analysis stopped rounding, `compare --format csv` and
    `json` wrote 3.9473684210526314 long waits per 10,000 people, and the CSV's `title`
    stayed Finnish under `--lang en` where the JSON's is English. Both files write every
    share, rate, ratio and wait rounded once to four decimals (a half up), the CSV's title
    in the reader's language as the JSON's."""
    from decimal import ROUND_HALF_UP, Decimal

    def four(x: float) -> float:
        return float(Decimal(repr(x)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))

    true = compare_regions([load_graph(FIRST), load_graph(REGION)], min_cell=5)["regions"]
    rows = list(csv.DictReader(io.StringIO(
        run("compare", FIRST, REGION, "--format", "csv", "--lang", "en").output)))
    data = json.loads(run("compare", FIRST, REGION, "--format", "json", "--lang", "en").output)
    ku_csv, ku_json = rows[0], data["regions"][0]
    assert ku_csv["findings_per_10k:long-wait"] == "3.9474"  # 3 / 7,600 × 10,000
    assert ku_json["findings_per_10k"]["long-wait"] == 3.9474
    assert ku_csv["title"] == ku_json["title"] == load_graph(FIRST).graph["title_en"]
    assert rows[1]["title"] == data["regions"][1]["title"] == load_graph(REGION).graph["title_en"]
    for t, c, j in zip(true, rows, data["regions"]):
        for m in ("needs_covered", "information_travels", "findings_per_10k_total",
                  "median_wait_days"):
            assert float(c[m]) == j[m] == four(t[m]), m
        for kind, rate in t["findings_per_10k"].items():
            assert float(c[f"findings_per_10k:{kind}"]) == j["findings_per_10k"][kind] == \
                four(rate), kind
    # a wait is written one way for every region (14.0 beside 21.0, not 14 beside 21.0:
    # the median of whole days was an int where the middle was one)
    assert [type(j["median_wait_days"]) for j in data["regions"]] == [float, float]
    assert [c["median_wait_days"] for c in rows] == ["14.0", "21.0"]
    # no cell keeps more than four decimals
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if re.fullmatch(r"-?\d+\.\d{5,}", v)]
    # Finnish by default, as the table
    fi = list(csv.DictReader(io.StringIO(run("compare", FIRST, REGION, "--format", "csv").output)))
    assert fi[0]["title"] == load_graph(FIRST).graph["title"]


def test_a_graph_listed_twice_is_said_to_be_listed_twice(tmp_path: Path) -> None:
    """``/api/compare?graphs=keski-uusimaa,keski-uusimaa`` said that two regions have the
    same name and asked to give each graph its own name, when the one graph was simply
    listed twice: the answer says so, naming the parameter (the page likewise)."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(FIRST, tmp_path / "keski-uusimaa")
    shutil.copytree(REGION, tmp_path / "keski-suomi")
    client = TestClient(create_app([tmp_path]))
    for graphs in ("keski-uusimaa,keski-uusimaa", "keski-uusimaa,keski-suomi,keski-uusimaa"):
        r = client.get(f"/api/compare?graphs={graphs}&lang=en")
        assert r.status_code == 400 and r.json()["error"] == {
            "code": "bad-request", "field": "graphs",
            "message": "'keski-uusimaa' is listed twice in graphs: list each graph once"}, \
            r.text
    fi = client.get("/api/compare?graphs=keski-uusimaa,keski-uusimaa").json()["error"]
    assert fi["message"] == "'keski-uusimaa' on luettelossa graphs kahdesti: luettele " \
        "kukin aineisto vain kerran", fi
    page = client.get("/compare?graphs=keski-uusimaa,keski-uusimaa&lang=en",
                      headers={"Accept": "text/html"})
    assert page.status_code == 400 and "is listed twice in graphs" in page.text


def test_a_graph_given_twice_on_the_command_line_is_said_to_be_given_twice(
        tmp_path: Path) -> None:
    """``polku compare A A`` (or the folder and its path with a slash, or a merged graph
    twice) said that two regions have the same name and advised renaming one: the one
    graph is given twice, said so as /api/compare says a name listed twice, exit 1."""
    from helpers import run

    for sources in ((FIRST, FIRST), (FIRST, f"{FIRST}/"), (FIRST, REGION, FIRST)):
        r = run("--lang", "en", "compare", *map(str, sources))
        assert r.exit_code == 1, r.output
        assert r.output.strip() == f"error: '{sources[-1]}' is given twice: give each graph " \
            "once", r.output
    national = tmp_path / "national.ttl"
    assert run("merge", FIRST, REGION, "-o", national).exit_code == 0
    r = run("--lang", "fi", "compare", national, national)
    assert r.exit_code == 1 and r.output.strip() == (
        f"virhe: '{national}' on annettu kahdesti: anna kukin aineisto vain kerran"), r.output
    # two different graphs of one name are still two regions of one name
    import shutil

    other = shutil.copytree(FIRST, tmp_path / "other" / FIRST.name)
    r = run("--lang", "en", "compare", FIRST, other)
    assert r.exit_code == 1 and "same name" in r.output, r.output
