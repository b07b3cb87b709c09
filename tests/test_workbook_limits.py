"""Inputs that once broke a graph (issue 18): cells past the CSV field limit, identity
codes and formula starts in column names, formulas without a saved value, formula starts
in CSV exports, referrals to themselves, row ceilings. Each is a located problem, exit 1,
no traceback, nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from helpers import run
from polku.errors import PolkuErrors
from polku.io import workbook
from polku.io.load import load_graph, save_graph
from polku.io.validate import shacl_problems

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_a_cell_past_the_csv_field_limit_is_located_not_a_traceback(mini: Path) -> None:
    append(mini / "services.csv", "iso,Iso,keusote,,,,,,,," + "y" * 140_000 + ",")
    r = run("validate", mini)
    assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit)
    assert "services.csv" in r.output and "32,767" in r.output and "Traceback" not in r.output


def test_a_cell_over_the_limit_is_located(mini: Path) -> None:
    append(mini / "services.csv", "iso,Iso,keusote,,,,,,,," + "y" * 40_000 + ",")
    with pytest.raises(PolkuErrors) as e:
        workbook.read_workbook(mini)
    first = e.value.errors[0]
    assert (first.sheet, first.row, first.column) == ("services", 4, "description")
    assert "40,000 characters" in first.message


def test_an_identity_code_in_a_column_name_is_refused_without_showing_it(mini: Path) -> None:
    text = (mini / "outcomes.csv").read_text()
    (mini / "outcomes.csv").write_text(text.replace("id,name", "id,name,131052-308T", 1))
    r = run("validate", mini)
    assert r.exit_code == 1 and "henkilötunnus" in r.output
    assert "131052-308T" not in r.output and "column 3 of the header" in r.output


@pytest.mark.parametrize("name", ["=cmd", "a;b,c", "-x"])
def test_formula_starts_and_separators_in_column_names_are_refused(tmp_path: Path,
                                                                  name: str) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in (("actors", [["id", "name", "kind"], ["a", "A", "kela"]]),
                        ("services", [["id", "name", "providers", name], ["s", "S", "a", "1"]])):
        ws = book.create_sheet(sheet)
        for row in rows:
            ws.append(row)
        ws.cell(1, len(rows[0])).data_type = "s"  # the name as text, not a formula
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(PolkuErrors) as e:
        workbook.read_workbook(tmp_path / "w.xlsx")
    assert "column 4 of the header" in str(e.value) and e.value.errors[0].row == 1


def test_a_formula_without_a_saved_value_in_a_number_column_is_located(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    ws = book.create_sheet("actors")
    ws.append(["id", "name", "kind"])
    ws.append(["a", "A", "kela"])
    ws = book.create_sheet("services")
    ws.append(["id", "name", "providers", "capacity_per_month", "description"])
    ws.append(["s", "S", "a", "=1+1", "=CONCAT(\"a\",\"b\")"])  # openpyxl saves no values
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(PolkuErrors) as e:
        workbook.read_workbook(tmp_path / "w.xlsx")
    [problem] = e.value.errors
    assert (problem.sheet, problem.row, problem.column) == ("services", 2, "capacity_per_month")
    assert "formula" in problem.message and "never saved" in problem.message


def test_csv_sheets_neutralise_formula_starts_and_read_back_the_same(mini: Path,
                                                                    tmp_path: Path) -> None:
    text = (mini / "outcomes.csv").read_text()
    (mini / "outcomes.csv").write_text(text + 'tyo2,"=HYPERLINK(""http://x"",""y"")"\ntyo3,@SUM(1)\n')
    g = workbook.read_workbook(mini)
    assert g.nodes["tyo2"]["name"] == '=HYPERLINK("http://x","y")'
    # the neo4j-admin CSV is a database's input, not a spreadsheet: names as written (it
    # put the guard's ' before them, and LOAD CSV stored it as part of the name)
    r = run("export", mini, "--to", "csv", "-o", tmp_path / "neo4j")
    assert r.exit_code == 0, r.output
    with (tmp_path / "neo4j" / "nodes.csv").open(encoding="utf-8", newline="") as f:
        names = {row["id:ID"]: row["name"] for row in csv.DictReader(f)}
    assert names["tyo2"] == g.nodes["tyo2"]["name"] and names["tyo3"] == "@SUM(1)"
    r = run("export", mini, "--to", "workbook", "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    written = (tmp_path / "out" / "outcomes.csv").read_text()
    assert "'=HYPERLINK" in written and "'@SUM(1)" in written
    assert not any(line.split(",")[1].startswith(("=", "@", "+")) for line in written.splitlines())
    back = workbook.read_workbook(tmp_path / "out")
    assert back.nodes["tyo2"]["name"] == g.nodes["tyo2"]["name"]
    assert back.nodes["tyo3"]["name"] == "@SUM(1)"
    from polku.io.exchange import neo4j_csv

    files = neo4j_csv(g)
    assert "'=HYPERLINK" not in files["nodes.csv"] and "'@SUM" not in files["nodes.csv"]


def test_a_referral_from_a_service_to_itself_is_refused_by_the_workbook_and_the_shapes(
        mini: Path, tmp_path: Path) -> None:
    g = workbook.read_workbook(mini)
    append(mini / "referrals.csv", "r9,kuntouttava,kuntouttava,,1,,,")
    r = run("validate", mini)
    assert r.exit_code == 1 and "referrals.csv" in r.output and "to itself" in r.output
    # any graph (a Turtle file too) is held by the shapes: r2 goes from kuntouttava
    from polku.graph import add_edge

    g.remove_edges_from([("r2", v, k) for _, v, k, d in
                         list(g.out_edges("r2", keys=True, data=True)) if d.get("kind") == "to"])
    add_edge(g, "r2", "kuntouttava", "to")
    save_graph(g, tmp_path / "g.ttl")
    problems = shacl_problems(load_graph(tmp_path / "g.ttl"), "g.ttl")
    assert any("to itself" in p.message for p in problems), problems


def test_the_row_ceiling_is_clear(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PolkuErrors) as e:
        workbook.read_workbook(mini, max_rows=1)
    assert any("more than 1 rows" in p.message and p.sheet == "services" for p in e.value.errors)
    monkeypatch.setenv("POLKU_MAX_ROWS", "1")
    r = run("validate", mini)
    assert r.exit_code == 1 and "POLKU_MAX_ROWS" in r.output
