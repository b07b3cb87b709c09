"""A graph's title and its designed paths' names in Finnish, Swedish and English: the
``graph`` sheet's ``title_sv``/``title_en`` and the ``paths`` sheet's ``name_sv``/``name_en``
travel through every format polku reads back (and into those it only writes), and every
place that shows a graph's title or a path's name to a reader shows it in the reader's
language, falling back to the primary (Finnish) title and then to the graph's id."""

from __future__ import annotations

import csv
import html
import io
import shutil
from pathlib import Path

import networkx as nx
import pytest

from helpers import EXAMPLE, SECOND_REGION, run
from polku.graph import title
from polku.io import formats, rdf
from polku.io.load import load_graph, save_graph
from polku.io.workbook import read_workbook

FI = "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
SV = "Mellersta Nylands ekosystem för deltagande i arbetslivet"
EN = "Central Uusimaa ecosystem for participation in working life"
PATH = "polku-nuori-ohjaamo"
PATH_FI = "Ohjaamosta valmentavan koulutuksen kautta tutkintoon"
PATH_SV = "Från Navigatorn via utbildning som handleder för examensutbildning (Hux) till examen"
PATH_EN = "From Ohjaamo guidance through preparatory education (TUVA) to a qualification"
TITLES = ("title", "title_sv", "title_en")
NAMES = ("name", "name_sv", "name_en")


def titles_of(g: nx.MultiDiGraph) -> dict[str, object]:
    return {k: g.graph.get(k) for k in TITLES}


def path_names(g: nx.MultiDiGraph) -> dict[str, dict[str, object]]:
    return {p: {k: g.nodes[p].get(k) for k in NAMES}
            for p, t in g.nodes(data="type") if t == "path"}


def set_cell(csv_file: Path, column: str, value: str, row: int = 0) -> None:
    """Put ``value`` in ``column`` of data row ``row`` (0 = the first under the header)."""
    text = csv_file.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[row][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_file.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def untranslated(tmp_path: Path) -> Path:
    """The example region with no Swedish title and no Swedish name for one path."""
    folder = tmp_path / "keski-uusimaa"
    shutil.copytree(EXAMPLE, folder)
    set_cell(folder / "graph.csv", "title_sv", "")
    set_cell(folder / "paths.csv", "name_sv", "")  # the first row: polku-nuori-ohjaamo's
    return folder


def test_title_in_a_language_falls_back_to_the_primary_title_then_the_id() -> None:
    g = nx.MultiDiGraph(name="ku")
    assert (title(g), title(g, "sv"), title(g, "sv", "served-as")) == ("ku", "ku", "served-as")
    g.graph["title"] = FI
    assert (title(g), title(g, "fi"), title(g, "sv"), title(g, "en")) == (FI, FI, FI, FI)
    g.graph.update(title_sv=SV, title_en=EN)
    assert (title(g), title(g, "fi"), title(g, "sv"), title(g, "en")) == (FI, FI, SV, EN)
    g.graph["title_en"] = ""  # an empty cell is no title
    assert title(g, "en") == FI
    g.graph["title_de"] = "nicht gelesen"  # only the columns the workbook has
    assert title(g, "de") == FI


def test_the_example_regions_are_titled_and_their_paths_named_in_three_languages() -> None:
    for folder in (EXAMPLE, SECOND_REGION):
        g = read_workbook(folder)
        assert all(g.graph.get(k) for k in TITLES), folder
        assert len({g.graph[k] for k in TITLES}) == 3, folder
        names = path_names(g)
        assert names and all(all(n.values()) and len(set(n.values())) == 3
                             for n in names.values()), (folder, names)
    g = read_workbook(EXAMPLE)
    assert titles_of(g) == {"title": FI, "title_sv": SV, "title_en": EN}
    assert path_names(g)[PATH] == {"name": PATH_FI, "name_sv": PATH_SV, "name_en": PATH_EN}


@pytest.mark.parametrize("fmt", formats.graph_formats())
def test_titles_and_path_names_round_trip_through_every_graph_format(fmt: str,
                                                                     tmp_path: Path) -> None:
    g = read_workbook(EXAMPLE)
    out = tmp_path / ("out" + formats.get(fmt).suffixes[0])
    save_graph(g, out, fmt)
    back = load_graph(out)
    assert titles_of(back) == titles_of(g), fmt
    assert path_names(back) == path_names(g), fmt
    # and once more: what was read back writes the same
    again = tmp_path / ("again" + formats.get(fmt).suffixes[0])
    save_graph(back, again, fmt)
    assert titles_of(load_graph(again)) == titles_of(g)


def test_workbook_writes_the_titles_and_names_on_the_rows_they_are_read_from(
        tmp_path: Path) -> None:
    save_graph(read_workbook(EXAMPLE), tmp_path / "wb", "workbook")
    [meta] = list(csv.DictReader((tmp_path / "wb" / "graph.csv").open(encoding="utf-8")))
    assert (meta["title"], meta["title_sv"], meta["title_en"]) == (FI, SV, EN)
    rows = [r for r in csv.DictReader((tmp_path / "wb" / "paths.csv").open(encoding="utf-8"))
            if r["path"] == PATH]
    assert (rows[0]["name"], rows[0]["name_sv"], rows[0]["name_en"]) == (PATH_FI, PATH_SV,
                                                                         PATH_EN)
    assert all(not (r["name"] or r["name_sv"] or r["name_en"]) for r in rows[1:])


def test_turtle_tags_the_titles_by_language_and_reads_an_untagged_one_as_primary() -> None:
    g = read_workbook(EXAMPLE)
    triples = set(rdf.to_triples(g))
    base = rdf.base_iri("keski-uusimaa")
    assert {o for s, p, o in triples if s == base and p == rdf.DCT + "title"} == {
        rdf.Lit(FI, None, "fi"), rdf.Lit(SV, None, "sv"), rdf.Lit(EN, None, "en")}
    path = rdf.node_iri(base, PATH)
    assert {o for s, p, o in triples if s == path and p == rdf.DCT + "title"} == {
        rdf.Lit(PATH_FI, None, "fi"), rdf.Lit(PATH_SV, None, "sv"), rdf.Lit(PATH_EN, None, "en")}
    # a Turtle written before titles had languages: its plain title is the primary one
    text = rdf.graph_turtle(g).replace(f'"{FI}"@fi', f'"{FI}"')
    assert f'"{FI}"@fi' not in text
    assert titles_of(rdf.from_triples(rdf.parse_turtle_triples(text.encode()))) == titles_of(g)


def test_a_title_in_another_language_is_kept_as_an_extra_column() -> None:
    g = read_workbook(EXAMPLE)
    g.graph["extra"] = {"title@de": "Ökosystem Mittleres Uusimaa"}
    triples = set(rdf.to_triples(g))
    assert (rdf.base_iri("keski-uusimaa"), rdf.DCT + "title",
            rdf.Lit("Ökosystem Mittleres Uusimaa", None, "de")) in triples
    back = rdf.from_triples(triples)
    assert back.graph["extra"] == {"title@de": "Ökosystem Mittleres Uusimaa"}
    assert titles_of(back) == titles_of(g)


def test_title_lang_says_the_primary_titles_language() -> None:
    """As a node's ``name_lang``: another publisher's graph need not be titled in Finnish
    (what ``polku import`` of CPSV-AP makes of a file name is in no language, ``zxx``)."""
    g = nx.MultiDiGraph(name="other", title="Tax-on-web services", title_sv="Skattetjänster",
                        extra={"title_lang": "en", "title@fi": "Verkkoverotus"})
    g.add_node("s", type="service", name="Tax-on-web")
    base = rdf.base_iri("other")
    triples = set(rdf.to_triples(g))
    assert {o for s, p, o in triples if s == base and p == rdf.DCT + "title"} == {
        rdf.Lit("Tax-on-web services", None, "en"), rdf.Lit("Skattetjänster", None, "sv"),
        rdf.Lit("Verkkoverotus", None, "fi")}
    back = rdf.from_triples(triples)
    assert titles_of(back) == {"title": "Tax-on-web services", "title_sv": "Skattetjänster",
                               "title_en": None}
    assert back.graph["extra"] == g.graph["extra"]
    assert title(back, "en") == "Tax-on-web services" and title(back, "sv") == "Skattetjänster"


def test_exports_for_other_tools_carry_the_names(tmp_path: Path) -> None:
    g = read_workbook(EXAMPLE)
    formats.get("graphml").write(g, tmp_path / "g.graphml")
    text = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert SV in text and EN in text and PATH_SV in text and PATH_EN in text
    formats.get("cpsv-ap").write(g, tmp_path / "c.ttl")
    text = (tmp_path / "c.ttl").read_text(encoding="utf-8")
    assert f'"{SV}"@sv' in text and f'"{PATH_EN}"@en' in text


def test_a_merge_keeps_each_regions_titles_in_each_language(tmp_path: Path) -> None:
    from polku.analyses.merge import merge

    a, b = read_workbook(EXAMPLE), read_workbook(SECOND_REGION)
    del b.graph["title_en"]  # a region without an English title is listed by its primary one
    merged = merge([a, b]).graph
    # the regions in the order of their names: keski-suomi, keski-uusimaa
    assert merged.graph["title"] == f"Kansallinen yhdistelmä: {b.graph['title']}, {FI}"
    assert merged.graph["title_sv"] == (f"Nationell sammanställning: {b.graph['title_sv']}, "
                                        f"{SV}")
    assert merged.graph["title_en"] == f"National combination: {b.graph['title']}, {EN}"
    assert merged.nodes[f"keski-uusimaa/{PATH}"]["name_sv"] == PATH_SV
    save_graph(merged, tmp_path / "national.ttl")
    assert titles_of(load_graph(tmp_path / "national.ttl")) == titles_of(merged)


def test_neo4j_push_and_pull_keep_the_titles_and_path_names(neo4j_server) -> None:
    from polku.io import neo4jstore as ns

    g = read_workbook(EXAMPLE)
    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    ns.push_graph(g, **creds, region="titles")
    back = ns.pull_graph(**creds, region="titles")
    assert titles_of(back) == titles_of(g)
    assert path_names(back) == path_names(g)


# -- what readers see ----------------------------------------------------------------------

@pytest.mark.parametrize("lang, heading", [("fi", FI), ("sv", SV), ("en", EN)])
def test_cli_names_the_graph_and_paths_in_the_readers_language(lang: str, heading: str) -> None:
    shown = run("show", EXAMPLE, "--lang", lang)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(heading)
    found = run("findings", EXAMPLE, "--lang", lang)
    assert found.stdout.startswith(heading + ":"), found.stdout[:200]
    paths = run("paths", EXAMPLE, "--segment", "seg-nuoret", "-k", "1", "--lang", lang)
    assert paths.exit_code == 0, paths.output
    name = {"fi": PATH_FI, "sv": PATH_SV, "en": PATH_EN}[lang]
    assert f"{name} ({PATH})" in paths.stdout
    raci = run("raci", EXAMPLE, "--lang", lang)
    assert raci.stdout.startswith(f"RACI {heading}:"), raci.stdout[:200]
    others = {FI, SV, EN} - {heading}
    assert not any(t in shown.stdout + found.stdout + raci.stdout for t in others), lang


def test_cli_falls_back_to_the_finnish_title_and_name(untranslated: Path) -> None:
    shown = run("show", untranslated, "--lang", "sv")
    assert shown.stdout.startswith(FI), shown.stdout[:200]
    paths = run("paths", untranslated, "--segment", "seg-nuoret", "-k", "1", "--lang", "sv")
    assert f"{PATH_FI} ({PATH})" in paths.stdout
    # English is still there
    assert run("show", untranslated, "--lang", "en").stdout.startswith(EN)


@pytest.mark.parametrize("lang, heading", [("sv", SV), ("en", EN)])
def test_report_is_titled_in_the_readers_language(lang: str, heading: str,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", EXAMPLE, "-o", out, "--lang", lang)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    h1 = page[page.index("<h1>"):page.index("</h1>")]
    assert html.escape(heading) in h1 and html.escape(FI) not in page


def test_report_falls_back_to_the_finnish_title(untranslated: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run("report", untranslated, "-o", out, "--lang", "sv").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert html.escape(FI) in page[page.index("<h1>"):page.index("</h1>")]


def test_diff_names_both_graphs_by_their_titles_in_the_readers_language(
        untranslated: Path) -> None:
    result = run("diff", untranslated, EXAMPLE, "--lang", "sv")
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.startswith(f"{FI} → {SV}:"), result.stdout[:200]


@pytest.fixture
def client(tmp_path: Path, untranslated: Path):
    from fastapi.testclient import TestClient

    from polku.app import create_app

    served = tmp_path / "served"
    served.mkdir()
    shutil.copytree(EXAMPLE, served / "ku")
    shutil.copytree(untranslated, served / "untranslated")
    return TestClient(create_app([served]), raise_server_exceptions=False)


@pytest.mark.parametrize("lang, heading, path_name",
                         [("fi", FI, PATH_FI), ("sv", SV, PATH_SV), ("en", EN, PATH_EN)])
def test_server_pages_name_the_graph_and_paths_in_the_readers_language(
        client, lang: str, heading: str, path_name: str) -> None:
    page = client.get(f"/graphs/ku?lang={lang}").text
    assert f">{html.escape(heading)}</h1>" in page
    assert f"<title>{html.escape(heading)}" in page
    index = client.get(f"/?lang={lang}").text
    assert f">{html.escape(heading)}</a>" in index
    view = client.get(f"/graphs/ku/view?view=path:{PATH}&lang={lang}").text
    assert html.escape(path_name) in view and html.escape(heading) in view
    others = {FI, SV, EN} - {heading}
    assert not any(html.escape(t) in page for t in others), lang


def test_server_pages_fall_back_to_the_finnish_title_and_name(client) -> None:
    page = client.get("/graphs/untranslated?lang=sv").text
    assert f">{html.escape(FI)}</h1>" in page
    index = client.get("/?lang=sv").text
    # the Finnish title says its language on a Swedish page (WCAG 3.1.2)
    assert f'untranslated?lang=sv" lang="fi">{html.escape(FI)}</a>' in index
    assert f' lang="fi">{html.escape(FI)}</h1>' in page
    assert f'ku?lang=sv">{html.escape(SV)}</a>' in index
    view = client.get(f"/graphs/untranslated/view?view=path:{PATH}&lang=sv").text
    assert html.escape(PATH_FI) in view and html.escape(PATH_SV) not in view
    assert f">{html.escape(EN)}</h1>" in client.get("/graphs/untranslated?lang=en").text
