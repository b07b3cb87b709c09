"""An extra (unknown) column of the segments or referrals sheet whose cells count people
reached the public as they stood when its name did not match a list of words (``henkilöt``,
``asukasluku``, ``n``, ``lähetteet``, ``kpl``…), and an ordinary text column whose name held
one of the words (``koko_alue``, ``size_source``, ``referrals_note``) refused the workbook
with advice it could not follow (rename it ``size`` beside ``size``). No word list can tell
which column counts people: on those two sheets every extra column's cell that is a number
from 1 to 4 is a small cell, and the public reads it ``<5`` as it reads the people columns,
through every door (rows, change log, shared exports), counted in the "left out" notes and
read back from a shared copy as left out. The older refusal of a misspelt known column
(``Volume per month``) stays, with advice the sheet can follow."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, etag_of, run
from polku.app import create_app
from polku.io.workbook import SHEETS, read_workbook, write_workbook
from polku.privacy import KNOWN_COLUMNS, PEOPLE_COLUMNS
from polku.server.auth import parse_tokens

EDITOR = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{EDITOR}")
AS_EDITOR = {"Authorization": f"Bearer {EDITOR}"}

#: sheet -> extra column names: those a word list missed (counts of people under other
#: names) and those it refused (ordinary columns whose names hold a word of the list)
NAMES = {
    "segments": ["henkilöt", "asukasluku", "n", "väestö", "väkiluku", "asukkaita",
                 "befolkning", "invånare", "deltagare", "participants", "users", "asiakas",
                 "tapauksia", "cases", "ärenden",
                 "koko_alue", "size_source", "size_year", "koko_vuosi",
                 "population_description", "asiakkaat_kuvaus", "count_method",
                 "lukumäärä_lähde", "clients_note"],
    # (kuukausivolyymi left this list: it is volume_per_month in Finnish, refused as such,
    # tests/test_column_words.py)
    "referrals": ["lähetteet", "ohjaukset", "kpl", "ohjausmäärä", "asiakasvirta",
                  "volume_note", "referrals_note", "clients_note", "count_method"],
}
#: text such columns hold, which passes as it is
TEXTS = ["kyllä", "Tilastokeskus 2024", "arvio", "3 hlö", "2024", "<5 arvio"]


def with_columns(folder: Path, sheet: str, names: list[str], value: str = "3") -> None:
    """Add ``names`` to the CSV ``sheet`` of the workbook at ``folder``, ``value`` in every
    row."""
    path = folder / f"{sheet}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = [rows[0] + names] + [row + [value] * len(names) for row in rows[1:]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def served_rows(client: TestClient, sheet: str, **headers: str) -> list[dict]:
    r = client.get(f"/api/graphs/mini/rows/{sheet}", headers=headers)
    assert r.status_code == 200, r.text
    return [row["values"] for row in r.json()["rows"]]


def left_out_note(output: str) -> int:
    """How many small cells the export's note says the file leaves out (0: no note)."""
    found = re.search(r"(\d+) small cells? \(", output)
    return int(found.group(1)) if found else 0


def test_a_small_number_in_any_extra_column_reads_lt5_for_the_public(tmp_path: Path) -> None:
    served = tmp_path / "graphs"
    folder = copy_mini(served / "mini")
    for sheet, names in NAMES.items():
        with_columns(folder, sheet, names)
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 0, r.output  # no column refused for its name
    client = TestClient(create_app([served], TOKENS))
    for sheet, names in NAMES.items():
        public = served_rows(client, sheet)
        editor = served_rows(client, sheet, **AS_EDITOR)
        for row, own in zip(public, editor):
            for name in names:
                assert row[name] == "<5", (sheet, name, row)
                assert own[name] == "3", (sheet, name, own)
    one = client.get("/api/graphs/mini/rows/segments/nuoret").json()["values"]
    assert one["henkilöt"] == "<5" and one["size"] == "1200" and one["participation_rate"] == "0,35"
    assert client.get("/api/graphs/mini/rows/segments/nuoret",
                      headers=AS_EDITOR).json()["values"]["henkilöt"] == "3"


@pytest.mark.parametrize("value", TEXTS + ["7", "12", "0"])
def test_text_and_figures_of_five_or_more_pass_untouched(tmp_path: Path, value: str) -> None:
    served = tmp_path / "graphs"
    folder = copy_mini(served / "mini")
    for sheet, names in NAMES.items():
        with_columns(folder, sheet, names, value)
    assert run("validate", folder).exit_code == 0
    client = TestClient(create_app([served], TOKENS))
    for sheet, names in NAMES.items():
        for row in served_rows(client, sheet):
            assert {row[n] for n in names} == {value}, (sheet, row)


def test_a_small_number_is_read_as_a_people_column_reads_it(tmp_path: Path) -> None:
    """"3", "3,0", "2.5", " 4 " are small cells; "4,9" too; "5", "0", "3 hlö" are not."""
    served = tmp_path / "graphs"
    folder = copy_mini(served / "mini")
    cells = {"a": "3", "b": "3,0", "c": "2.5", "d": " 4 ", "e": "4,9", "f": "5", "g": "0",
             "h": "3 hlö", "i": "1 200"}
    path = folder / "segments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = [rows[0] + list(cells)] + [row + list(cells.values()) for row in rows[1:]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    client = TestClient(create_app([served], TOKENS))
    row = served_rows(client, "segments")[0]
    assert {k: row[k] for k in cells} == {
        "a": "<5", "b": "<5", "c": "<5", "d": "<5", "e": "<5", "f": "5", "g": "0",
        "h": "3 hlö", "i": "1 200"}
    own = served_rows(client, "segments", **AS_EDITOR)[0]
    assert {k: own[k] for k in cells} == {**cells, "d": "4"}  # the reader strips a cell


def test_shared_exports_hold_no_small_extra_and_count_it(tmp_path: Path) -> None:
    """The JSON-LD file meant for others, the served public export and the CSV copy for
    others read ``<5``; the note counts each such cell; the owner's copy keeps 3; a shared
    copy read back keeps ``<5`` and says the cells were left out already."""
    folder = copy_mini(tmp_path / "graphs" / "mini")
    base = tmp_path / "base.jsonld"
    r = run("export", MINI, "--to", "jsonld", "-o", base, "--lang", "en")
    assert r.exit_code == 0, r.output
    before = left_out_note(r.output)  # r2's volume of 3
    assert before == 1
    for sheet, names in NAMES.items():
        with_columns(folder, sheet, names)
    out = tmp_path / "x.jsonld"
    r = run("export", folder, "--to", "jsonld", "-o", out, "--lang", "en")
    assert r.exit_code == 0, r.output
    # one segment, two referrals: each extra cell of 3 is a small cell left out
    assert left_out_note(r.output) == before + len(NAMES["segments"]) \
        + 2 * len(NAMES["referrals"]), r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    extras = {k: v for node in data["@graph"] for k, v in node.items()
              if k.startswith("polkux:")}
    assert "3" not in extras.values() and "<5" in extras.values(), extras
    assert '"3"' not in out.read_text(encoding="utf-8")
    own = tmp_path / "own.jsonld"
    assert run("export", folder, "--to", "jsonld", "-o", own, "--no-suppress").exit_code == 0
    assert '"polkux:henkil%C3%B6t": "3"' in own.read_text(encoding="utf-8") or \
        '"polkux:henkilöt": "3"' in own.read_text(encoding="utf-8")
    # the server's public export and rows, and the editor's
    client = TestClient(create_app([folder.parent], TOKENS))
    public = client.get("/api/graphs/mini/export", params={"format": "jsonld"})
    assert public.status_code == 200 and '"3"' not in public.text and '"<5"' in public.text
    editor = client.get("/api/graphs/mini/export", params={"format": "jsonld"},
                        headers=AS_EDITOR)
    assert '"3"' in editor.text
    for sheet, names in NAMES.items():
        for row in served_rows(client, sheet):
            assert "3" not in [row[n] for n in names], row
    # a CSV copy for others, and the shared JSON-LD read back: <5 stays <5, counted as
    # left out already
    copy = tmp_path / "copy"
    r = run("export", out, "--to", "workbook", "-o", copy, "--suppress", "--lang", "en")
    assert r.exit_code == 0, r.output
    every = 1 + len(NAMES["segments"]) + 2 * len(NAMES["referrals"])
    assert f"{every} small cells were left out already of what was read" in r.output, r.output
    assert "are left out of this file" not in r.output  # nothing more is left out
    nodes = tmp_path / "nodes"
    assert run("export", folder, "--to", "csv", "-o", nodes).exit_code == 0
    with (nodes / "nodes.csv").open(encoding="utf-8", newline="") as f:
        segment = next(r for r in csv.DictReader(f) if r["id:ID"] == "nuoret")
    assert {segment["extra." + n] for n in NAMES["segments"]} == {"<5"}, segment
    with (copy / "segments.csv").open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    assert {row[n] for n in NAMES["segments"]} == {"<5"}, row
    assert run("validate", copy, "--lang", "en").exit_code == 0
    # and a GraphML file for others carries the extras as <5
    graphml = tmp_path / "x.graphml"
    assert run("export", folder, "--to", "graphml", "-o", graphml).exit_code == 0
    shared = nx.read_graphml(graphml)
    assert {shared.nodes["nuoret"]["extra_" + n] for n in NAMES["segments"]} == {"<5"}
    assert {shared.nodes["r1"]["extra_" + n] for n in NAMES["referrals"]} == {"<5"}
    g = read_workbook(folder)
    assert g.nodes["nuoret"]["extra"]["henkilöt"] == "3"  # the owner's graph keeps it


def test_a_small_extra_in_an_xlsx_reads_lt5_for_the_public(tmp_path: Path) -> None:
    """A number cell of an .xlsx (3, 2.5) is a small cell too."""
    served = tmp_path / "graphs"
    served.mkdir()
    book = served / "mini.xlsx"
    write_workbook(read_workbook(MINI), book)
    wb = openpyxl.load_workbook(book)
    ws = wb["segments"]
    at = ws.max_column + 1
    ws.cell(row=1, column=at, value="asukasluku")
    ws.cell(row=1, column=at + 1, value="osuus")
    ws.cell(row=2, column=at, value=3)
    ws.cell(row=2, column=at + 1, value=2.5)
    wb.save(book)
    client = TestClient(create_app([served], TOKENS))
    row = served_rows(client, "segments")[0]
    assert (row["asukasluku"], row["osuus"]) == ("<5", "<5"), row
    out = client.get("/api/graphs/mini/export", params={"format": "jsonld"}).text
    assert '"polkux:asukasluku": "<5"' in out, out


def test_a_change_to_a_small_extra_reads_lt5_in_the_public_change_log(tmp_path: Path) -> None:
    served = tmp_path / "graphs"
    folder = copy_mini(served / "mini")
    with_columns(folder, "segments", ["asukasluku"], "12")
    client = TestClient(create_app([served], TOKENS))
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"asukasluku": "3"},
                     headers={**AS_EDITOR, "If-Match": etag_of(client)})
    assert r.status_code == 200, r.text
    changes = client.get("/api/graphs/mini/changes").json()["changes"]
    assert changes[-1]["before"]["asukasluku"] == "12", changes[-1]
    assert changes[-1]["after"]["asukasluku"] == "<5", changes[-1]
    own = client.get("/api/graphs/mini/changes", headers=AS_EDITOR).json()["changes"]
    assert own[-1]["after"]["asukasluku"] == "3"


def test_a_misspelt_people_column_is_still_refused(tmp_path: Path) -> None:
    """``Volume per month`` for ``volume_per_month`` is refused, naming the name to use;
    beside the known column, the advice is not to rename it to that name."""
    folder = copy_mini(tmp_path / "one")
    path = folder / "referrals.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "volume_per_month", "Volume per month", 1), encoding="utf-8")
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 1
    assert ("the column 'Volume per month' looks like 'volume_per_month', a count of people "
            "whose small figures are hidden from the public; polku cannot keep it as an "
            "extra column (its figures would be published as they are): rename it "
            "'volume_per_month'") in r.stderr, r.stderr
    both = copy_mini(tmp_path / "two")
    with_columns(both, "segments", ["Size"])
    r = run("validate", both, "--lang", "en")
    assert r.exit_code == 1
    assert ("column 'Size': the column 'Size' looks like 'size', which the sheet has "
            "already: rename it so that it does not, or leave it out") in r.stderr, r.stderr
    assert "rename it 'size'" not in r.stderr
    fi = run("validate", both, "--lang", "fi")
    assert "Size" in fi.stderr and "looks like" not in fi.stderr, fi.stderr


def test_an_rdf_extra_property_with_a_small_number_reads_lt5(tmp_path: Path) -> None:
    """The RDF door: a segment's ``polkux:size_2024`` of 3 in a JSON-LD source is read (no
    longer refused for its name) and the public reads it ``<5``."""
    served = tmp_path / "graphs"
    served.mkdir()
    data = served / "y.jsonld"
    assert run("export", MINI, "--to", "jsonld", "-o", data).exit_code == 0
    text = data.read_text(encoding="utf-8")
    at = '"dct:identifier": "nuoret",'
    data.write_text(text.replace(at, at + ' "polkux:size_2024": "3",', 1), encoding="utf-8")
    assert run("validate", data).exit_code == 0
    client = TestClient(create_app([served], TOKENS))
    got = client.get("/api/graphs/y/rows/segments").json()["rows"][0]["values"]
    assert got["size_2024"] == "<5", got
    assert '"polkux:size_2024": "<5"' in client.get(
        "/api/graphs/y/export", params={"format": "jsonld"}).text


def test_the_privacy_rules_know_the_sheets_columns_without_the_workbook_reader() -> None:
    """Which columns of a sheet are known (the rest are extra, their small numbers ``<5``)
    is a declaration the privacy rules read, not a table the workbook reader fills when it
    happens to be imported: a known column's ``3`` (a wait of 3 days) reads ``3`` in a
    process that never imported :mod:`polku.io.workbook`, as in one that did."""
    code = ("import json, sys\n"
            "from polku.privacy import shown_row\n"
            "print(json.dumps([shown_row('referrals', {'median_wait_days': '3', 'n': '3'}),\n"
            "                  shown_row('segments', {'participation_rate': '0,5'}),\n"
            "                  'polku.io.workbook' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"median_wait_days": "3", "n": "<5"},
                                       {"participation_rate": "0,5"}, False]


@pytest.mark.parametrize("sheet", sorted(PEOPLE_COLUMNS))
def test_the_privacy_rules_know_the_columns_the_workbook_declares(sheet: str) -> None:
    """privacy.KNOWN_COLUMNS names, for each sheet that counts people, the columns
    :data:`polku.io.workbook.SHEETS` declares there: one left out would read ``<5`` for a
    small figure, one too many would publish an extra column's small figure."""
    assert KNOWN_COLUMNS[sheet] == {c.name for c in SHEETS[sheet].columns}
