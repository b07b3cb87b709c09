"""What the exports for other tools carry besides the nodes, found by a national developer:
the graph sheet (title, source, illustrative, min_cell and the extra columns such as a
licence and a publisher) in every export, in the form natural to it; attributes as JSON,
never a Python repr; and labels in the reader's language (``--lang``)."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from helpers import EXAMPLE, FULL, SECOND_REGION, run

LICENSE, PUBLISHER = "CC BY 4.0", "Keski-Uudenmaan työllisyysalue"
GEXF = "{http://www.gexf.net/1.2draft}"
#: where each export goes and how its text is read
OUTPUTS = {"graphml": "x.graphml", "gexf": "x.gexf", "csv": "x-csv", "mermaid": "x.md"}


@pytest.fixture(scope="module")
def x3(tmp_path_factory) -> Path:
    """The example region with the extra graph columns license and publisher."""
    import shutil

    out = tmp_path_factory.mktemp("x3") / "x3"
    shutil.copytree(EXAMPLE, out)
    path = out / "graph.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[0] += ["license", "publisher"]
    rows[1] += [LICENSE, PUBLISHER]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return out


@pytest.fixture(scope="module")
def x3n(x3: Path) -> Path:
    """x3 merged with Keski-Suomi, whose figures are invented (illustrative)."""
    out = x3.parent / "x3n.ttl"
    result = run("merge", x3, SECOND_REGION, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def _export(source: Path, fmt: str, folder: Path, *args: str) -> Path:
    out = folder / OUTPUTS[fmt]
    result = run("export", source, "--to", fmt, "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out


def _text(path: Path) -> str:
    if path.is_dir():
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(path.iterdir()))
    return path.read_text(encoding="utf-8")


def _description(path: Path) -> list[str]:
    return ET.parse(path).getroot().find(f"{GEXF}meta/{GEXF}description").text.splitlines()


def _region_rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as f:
        return {r["polku_region"]: r for r in csv.DictReader(f) if r[":LABEL"] == "PolkuRegion"}


# -- 1. the graph sheet in every export --------------------------------------------------------

@pytest.mark.parametrize("which", ["region", "merged"])
@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_every_export_carries_the_licence_publisher_and_source(
        x3: Path, x3n: Path, tmp_path: Path, fmt: str, which: str) -> None:
    """Only the Turtle, JSON-LD, the xlsx and the merged GraphML kept the extra columns of
    the graph sheet; GraphML of one region, GEXF, the neo4j-admin CSV and Mermaid dropped
    them, and the CSV had no title, source or illustrative at all."""
    text = _text(_export(x3 if which == "region" else x3n, fmt, tmp_path))
    assert LICENSE in text and PUBLISHER in text
    assert "kehittämishankkeen toimintasuunnitelma" in text  # Keski-Uusimaa's source
    if which == "merged":
        assert "kaikki luvut, jonot, vastuut ja ohjausvirrat keksittyjä" in text  # Keski-Suomi's


def test_graphml_holds_the_sheet_as_graph_data(x3: Path, tmp_path: Path) -> None:
    back = nx.read_graphml(_export(x3, "graphml", tmp_path))
    assert back.graph["extra_license"] == LICENSE and back.graph["extra_publisher"] == PUBLISHER
    assert back.graph["illustrative"] == "true" and back.graph["min_cell"] == 5.0
    assert back.graph["source"].startswith("Keski-Uudenmaan työllisyysalueen")


def test_gexf_describes_the_whole_sheet(x3: Path, x3n: Path, tmp_path: Path) -> None:
    """A GEXF of one region said its title only; a merged one each region's title and
    source. <meta> is all GEXF 1.2 has for a graph: its description says every datum of the
    sheet as GraphML names it, one `name: value` a line after the title."""
    lines = _description(_export(x3, "gexf", tmp_path))
    assert lines[0] == "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
    for line in (f"extra_license: {LICENSE}", f"extra_publisher: {PUBLISHER}",
                 "illustrative: true", "min_cell: 5", "name: keski-uusimaa",
                 "title_sv: Mellersta Nylands ekosystem för deltagande i arbetslivet"):
        assert line in lines, lines
    assert any(x.startswith("source: Keski-Uudenmaan työllisyysalueen") for x in lines)
    merged = _description(_export(x3n, "gexf", tmp_path))
    assert "region.keski-suomi.illustrative: true" in merged, merged
    assert f"region.keski-uusimaa.extra_license: {LICENSE}" in merged
    assert any(x.startswith("region.keski-suomi.source: Havainnollistava") for x in merged)
    assert "regions: keski-suomi;keski-uusimaa" in merged


def test_gexf_folds_a_value_of_several_lines(tmp_path: Path) -> None:
    """A sheet cell with a line break stays one datum: its further lines are indented."""
    from polku.graph import new_graph
    from polku.io import formats

    g = new_graph("ra")
    g.graph.update(title="A", source="first\nsecond")
    g.add_node("s", type="service", name="S")
    formats.get("gexf").write(g, tmp_path / "g.gexf")
    assert _description(tmp_path / "g.gexf") == ["A", "name: ra", "title: A",
                                                 "source: first", "  second"]


def test_csv_has_a_polku_region_record(x3: Path, x3n: Path, tmp_path: Path) -> None:
    """The neo4j-admin CSV had no graph record: a database loaded from it could not tell that
    Keski-Suomi's figures are invented. nodes.csv now has a PolkuRegion row for the graph
    (and, for a merged graph, one for each of its regions: a node's from_region names one),
    as `polku neo4j push` keeps a PolkuRegion node of each region."""
    rows = _region_rows(_export(x3, "csv", tmp_path))
    assert list(rows) == ["keski-uusimaa"]
    ku = rows["keski-uusimaa"]
    assert ku["id:ID"] == "region:keski-uusimaa"
    assert ku["title"] == "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
    assert ku["illustrative:boolean"] == "true" and ku["min_cell:long"] == "5"
    assert ku["extra.license"] == LICENSE and ku["extra.publisher"] == PUBLISHER
    assert ku["source"].startswith("Keski-Uudenmaan työllisyysalueen") and not ku["type"]
    merged = _region_rows(_export(x3n, "csv", tmp_path / "n"))
    assert sorted(merged) == ["keski-suomi", "keski-uusimaa", "national"]
    assert merged["keski-suomi"]["illustrative:boolean"] == "true"
    assert "keksittyjä" in merged["keski-suomi"]["source"]
    assert merged["keski-uusimaa"]["extra.license"] == LICENSE
    assert merged["national"]["regions:string[]"] == "keski-suomi;keski-uusimaa"
    assert merged["national"]["min_cell:long"] == "5"
    with (tmp_path / "n" / OUTPUTS["csv"] / "nodes.csv").open(encoding="utf-8") as f:
        regions_of_nodes = {r["from_region"] for r in csv.DictReader(f) if r["from_region"]}
    assert regions_of_nodes == set(merged)


@pytest.mark.parametrize("name", ["x.md", "x.mmd"])
def test_mermaid_notes_the_sheet_in_comments(x3: Path, x3n: Path, tmp_path: Path,
                                            name: str) -> None:
    out = tmp_path / name
    assert run("export", x3, "--to", "mermaid", "-o", out).exit_code == 0
    chart = out.read_text(encoding="utf-8").split("flowchart LR\n")[1]
    comments = [x.strip()[3:] for x in chart.splitlines() if x.strip().startswith("%%")]
    for line in (f"extra_license: {LICENSE}", "illustrative: true", "min_cell: 5"):
        assert line in comments, comments
    assert run("export", x3n, "--to", "mermaid", "-o", out).exit_code == 0
    assert "    %% region.keski-suomi.illustrative: true\n" in out.read_text(encoding="utf-8")


# -- 6. no Python repr in any attribute --------------------------------------------------------

def test_graphml_writes_the_followups_as_json(tmp_path: Path) -> None:
    """GraphML wrote g.graph["followups"] as a Python dict, {'long-wait:r2': {'status': …}}."""
    back = nx.read_graphml(_export(FULL, "graphml", tmp_path))
    followups = json.loads(back.graph["followups"])
    assert followups["long-wait:r2"] == {"status": "in-progress", "owner": "kela",
                                         "due": "2026-06-30"}


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_no_export_holds_a_python_repr(x3n: Path, tmp_path: Path, fmt: str) -> None:
    for source in (FULL, x3n):
        text = _text(_export(source, fmt, tmp_path / source.stem))
        assert "{'" not in text and "['" not in text and "('" not in text, fmt


# -- 9. labels in the reader's language --------------------------------------------------------

def _labels(fmt: str, path: Path) -> dict[str, dict]:
    """Node attributes by polku's id."""
    if fmt == "graphml":
        return {d["polku_id"]: d for _, d in nx.read_graphml(path).nodes(data=True)}
    if fmt == "gexf":
        return dict(nx.read_gexf(path).nodes(data=True))
    with (path / "nodes.csv").open(encoding="utf-8", newline="") as f:
        return {r["id:ID"]: r for r in csv.DictReader(f)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_labels_follow_lang_and_the_names_stay(x3n: Path, tmp_path: Path, fmt: str) -> None:
    """--lang changed nothing in GraphML, GEXF or the CSV (the same bytes as Finnish); node
    labels are text for people, as the names in Mermaid are. Each language's name stays an
    attribute of its own; a name two nodes of a merged graph share says its region, as
    Mermaid and `polku show` say it."""
    files = {lang: _export(x3n, fmt, tmp_path / lang, "--lang", lang)
             for lang in ("fi", "sv", "en")}
    assert len({_text(p) for p in files.values()}) == 3
    fi, sv, en = (_labels(fmt, files[lang]) for lang in ("fi", "sv", "en"))
    node = "keski-uusimaa/aikuissosiaalityo"
    assert fi[node]["label"] == "Aikuissosiaalityö (Keski-Uusimaa)"
    assert fi["keski-suomi/aikuissosiaalityo"]["label"] == "Aikuissosiaalityö (Keski-Suomi)"
    assert sv[node]["label"] == "Socialt arbete för vuxna (Mellersta Nyland)"
    assert en[node]["label"] == "Adult social work (Central Uusimaa)"
    for attrs in (fi[node], sv[node], en[node]):
        assert (attrs["name"], attrs["name_sv"], attrs["name_en"]) == (
            "Aikuissosiaalityö", "Socialt arbete för vuxna", "Adult social work")
    kela = fi["national/kela"]  # a name no other node has: no region
    assert kela["label"] == kela["name"] == "Kansaneläkelaitos (Kela)"
    # two regions' names meet no more (one region's actor and service Ohjaamo Jyväskylä
    # are told apart by their type)
    labels = [(d["type"], d["label"]) for n, d in fi.items() if not n.startswith("region:")]
    assert len(labels) == len(set(labels)), sorted(x for x in labels if labels.count(x) > 1)


def test_a_single_regions_labels_follow_lang(tmp_path: Path) -> None:
    from helpers import EXAMPLE_TTL

    back = nx.read_graphml(_export(EXAMPLE_TTL, "graphml", tmp_path, "--lang", "sv"))
    assert back.nodes["alkuhaastattelu"]["label"] == "Inledande intervju"
    assert back.nodes["alkuhaastattelu"]["name"] == "Alkuhaastattelu"
    gexf = _export(EXAMPLE_TTL, "gexf", tmp_path, "--lang", "en")
    assert _description(gexf)[0] == \
        "Central Uusimaa ecosystem for participation in working life"
    region = _region_rows(_export(EXAMPLE_TTL, "csv", tmp_path, "--lang", "sv"))
    assert region["keski-uusimaa"]["label"] == \
        "Mellersta Nylands ekosystem för deltagande i arbetslivet"
    assert re.search(r"^alkuhaastattelu,.*Inledande intervju",
                     (tmp_path / OUTPUTS["csv"] / "nodes.csv").read_text(encoding="utf-8"),
                     re.M)
