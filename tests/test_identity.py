"""Stable identity: the workbook's graph sheet names the graph, every export writes it, every
import reads it, and no output file name changes an IRI; actors' business ids (Y-tunnus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import EXAMPLE, MINI, run
from polku.io import rdf, workbook
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")


@pytest.fixture
def wb(mini: Path) -> Path:
    """The mini workbook with a graph sheet."""
    dest = mini
    (dest / "graph.csv").write_text(
        "id,title,region,illustrative,source\n"
        "pikku,Pieni esimerkki,Keski-Uusimaa,kyllä,testiaineisto\n", encoding="utf-8")
    return dest


def test_output_file_name_never_changes_an_iri(wb: Path, tmp_path: Path) -> None:
    assert run("import", wb, "-o", tmp_path / "a.ttl").exit_code == 0
    assert run("import", wb, "-o", tmp_path / "b.ttl").exit_code == 0
    a, b = (tmp_path / "a.ttl").read_text(), (tmp_path / "b.ttl").read_text()
    assert a == b
    assert "<https://w3id.org/polku/id/pikku/>" in a and "/id/a/" not in a


def test_graph_sheet_survives_every_round_trip(wb: Path, tmp_path: Path) -> None:
    g = workbook.read_workbook(wb)
    assert g.graph["name"] == "pikku"
    assert g.graph["illustrative"] is True
    assert g.graph["title"] == "Pieni esimerkki" and g.graph["region"] == "Keski-Uusimaa"
    run("import", wb, "-o", tmp_path / "x.ttl")
    for fmt, out in (("workbook", "wb2"), ("xlsx", "w.xlsx"), ("jsonld", "w.jsonld"),
                     ("turtle", "w.ttl")):
        assert run("export", tmp_path / "x.ttl", "--to", fmt, "-o", tmp_path / out).exit_code == 0
        back = load_graph(tmp_path / out)
        assert {k: back.graph.get(k) for k in ("name", "title", "region", "illustrative",
                                                "source")} == \
            {"name": "pikku", "title": "Pieni esimerkki", "region": "Keski-Uusimaa",
             "illustrative": True, "source": "testiaineisto"}, fmt
    # no Swedish or English title, nor region
    assert (tmp_path / "wb2" / "graph.csv").read_text(encoding="utf-8").splitlines()[1] == \
        "pikku,Pieni esimerkki,,,Keski-Uusimaa,,,yes,testiaineisto"


def test_without_graph_sheet_the_workbook_names_the_graph(tmp_path: Path) -> None:
    assert run("import", MINI, "-o", tmp_path / "other.ttl").exit_code == 0
    assert load_graph(tmp_path / "other.ttl").graph["name"] == "mini"
    assert run("import", MINI, "-o", tmp_path / "n.ttl", "--name", "oma").exit_code == 0
    assert load_graph(tmp_path / "n.ttl").graph["name"] == "oma"


def test_name_that_contradicts_the_sheet_is_refused(wb: Path, tmp_path: Path) -> None:
    result = run("import", wb, "-o", tmp_path / "a.ttl", "--name", "toinen")
    assert result.exit_code == 1
    assert "sheet 'graph', row 2, column 'id'" in result.output and "'pikku'" in result.output
    assert not (tmp_path / "a.ttl").exists()


def test_graph_sheet_has_one_row(wb: Path, tmp_path: Path) -> None:
    with open(wb / "graph.csv", "a", encoding="utf-8") as f:
        f.write("toinen,,,,\n")
    result = run("import", wb, "-o", tmp_path / "a.ttl")
    assert result.exit_code == 1 and "sheet 'graph', row 3" in result.output


def test_example_region_has_its_graph_sheet() -> None:
    g = workbook.read_workbook(EXAMPLE)
    assert g.graph["name"] == "keski-uusimaa" and g.graph["illustrative"] is True
    assert g.graph["region"] == "Keski-Uusimaa" and g.graph["title"]
    assert rdf.read_turtle(EXAMPLE.parent / "keski-uusimaa.ttl").graph["illustrative"] is True


# -- business ids ---------------------------------------------------------------------------

def test_business_id_is_read_checked_and_kept(wb: Path, tmp_path: Path) -> None:
    text = (wb / "actors.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",business_id"
    text = [line + (",0246246-0" if line.startswith("kela,") else ",") if i else line
            for i, line in enumerate(text)]
    (wb / "actors.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    g = workbook.read_workbook(wb)
    assert g.nodes["kela"]["business_id"] == "0246246-0"
    run("import", wb, "-o", tmp_path / "a.ttl")
    assert 'polku:businessId "0246246-0"' in (tmp_path / "a.ttl").read_text()
    assert load_graph(tmp_path / "a.ttl").nodes["kela"]["business_id"] == "0246246-0"


@pytest.mark.parametrize("value, said", [
    ("0246246-1", "the check digit should be 0"),
    ("0246246", "seven digits, a hyphen and the check digit"),
    ("Kela", "is not a business id"),
    ("1000008-0", "no id has these seven digits"),
])
def test_malformed_business_id_is_refused(wb: Path, tmp_path: Path, value: str,
                                          said: str) -> None:
    text = (wb / "actors.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",business_id"
    text = [line + (f",{value}" if line.startswith("kela,") else ",") if i else line
            for i, line in enumerate(text)]
    (wb / "actors.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run("import", wb, "-o", tmp_path / "a.ttl")
    assert result.exit_code == 1
    assert "sheet 'actors', row 4, column 'business_id'" in result.output
    assert said in result.output
    assert not (tmp_path / "a.ttl").exists()


def test_example_business_ids_are_valid() -> None:
    g = workbook.read_workbook(EXAMPLE)
    ids = {n: d["business_id"] for n, d in g.nodes(data=True) if d.get("business_id")}
    assert ids["kela"] == "0246246-0"
    for value in ids.values():
        assert workbook.check_business_id(value) == value
