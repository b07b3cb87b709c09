"""An .xlsx's own cells (docs/workbook.md): a date cell, whether polku, the server or
Excel wrote it, reads as the same text on every path (validate, the server's rows, its
edits and change log), so that an .xlsx keeps taking edits after a date went into it."""

from __future__ import annotations

import datetime
import errno
import gc
import io
import os
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import FULL, SECOND_REGION, etag_of, run
from polku.app import create_app
from polku.io import workbook
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"
#: a long wait of the Keski-Suomi example region (polku findings)
FINDING = "long-wait:ref-tori-jkl"


def client_of(path: Path) -> TestClient:
    return TestClient(create_app([path], parse_tokens(f"anna:{ANNA}")),
                      raise_server_exceptions=False)


def headers(client: TestClient, name: str) -> dict[str, str]:
    return {"Accept-Language": "fi", "Authorization": f"Bearer {ANNA}",
            "If-Match": etag_of(client, name)}


@pytest.fixture
def ks(tmp_path: Path) -> Path:
    path = tmp_path / "ks.xlsx"
    assert run("export", SECOND_REGION, "--to", "xlsx", "-o", path).exit_code == 0
    return path


def test_a_due_date_the_server_wrote_takes_later_writes(ks: Path) -> None:
    """The steward's case: after a follow-up with a due date went into an .xlsx through the
    server (which writes it as a date cell), every later write, to any sheet, was refused
    ('2027-03-31 00:00:00' ei ole päivämäärä), and the rows and the change log showed the
    date so."""
    client = client_of(ks)
    r = client.post("/api/graphs/ks/rows/followups",
                    json={"finding": FINDING, "status": "new", "due": "2027-03-31"},
                    headers=headers(client, "ks"))
    assert r.status_code == 201, r.text
    assert openpyxl.load_workbook(ks)["followups"]["D2"].value == datetime.datetime(2027, 3, 31)
    r = client.patch("/api/graphs/ks/rows/services/alkuhaastattelu-jkl",
                     json={"capacity_per_month": "701"}, headers=headers(client, "ks"))
    assert r.status_code == 200, r.text
    rows = client.get("/api/graphs/ks/rows/followups",
                      headers={"Authorization": f"Bearer {ANNA}"}).json()["rows"]
    assert rows[0]["values"]["due"] == "2027-03-31"
    r = client.patch(f"/api/graphs/ks/rows/followups/{FINDING}", json={"status": "in-progress"},
                     headers=headers(client, "ks"))
    assert r.status_code == 200, r.text
    change = r.json()["change"]
    assert change["before"]["due"] == change["after"]["due"] == "2027-03-31"
    # the date cell the follow-up's edit left alone stays a date
    assert openpyxl.load_workbook(ks)["followups"]["D2"].value == datetime.datetime(2027, 3, 31)
    assert run("validate", ks).exit_code == 0


def test_an_exported_workbook_with_follow_ups_takes_writes(tmp_path: Path) -> None:
    """An .xlsx polku exported from a workbook with follow-ups (its due dates date cells)."""
    path = tmp_path / "full.xlsx"
    assert run("export", FULL, "--to", "xlsx", "-o", path).exit_code == 0
    client = client_of(path)
    r = client.patch("/api/graphs/full/rows/services/alku", json={"capacity_per_month": "41"},
                     headers=headers(client, "full"))
    assert r.status_code == 200, r.text
    due = {row["key"]: row["values"].get("due") for row in client.get(
        "/api/graphs/full/rows/followups", headers={"Authorization": f"Bearer {ANNA}"}
    ).json()["rows"]}
    assert due["over-capacity:velka"] == "2026-03-31"


def test_dates_excel_typed_read_alike_on_every_path(tmp_path: Path) -> None:
    """Dates Excel typed: a due date (one with a time of day too, as =NOW()+30 gives: the
    column holds the day), and a month typed as a date (measures.start): validate, the
    server's rows and its writes read each the same."""
    path = tmp_path / "full.xlsx"
    assert run("export", FULL, "--to", "xlsx", "-o", path).exit_code == 0
    book = openpyxl.load_workbook(path)

    def cell(sheet: str, key: str, column: str) -> openpyxl.cell.Cell:
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        [row] = [r for r in ws.iter_rows(min_row=2) if r[0].value == key]
        return row[header.index(column)]

    cell("followups", "over-capacity:velka", "due").value = datetime.datetime(2026, 3, 31, 14, 30)
    cell("measures", "m1", "start").value = datetime.datetime(2026, 1, 1)
    book.save(path)
    g = workbook.read_workbook(path)
    assert g.graph["followups"]["over-capacity:velka"]["due"] == "2026-03-31"
    assert g.nodes["m1"]["start"] == "2026-01"
    client = client_of(path)
    r = client.patch("/api/graphs/full/rows/services/alku", json={"capacity_per_month": "41"},
                     headers=headers(client, "full"))
    assert r.status_code == 200, r.text
    auth = {"Authorization": f"Bearer {ANNA}"}
    r = client.get("/api/graphs/full/rows/followups/over-capacity:velka", headers=auth)
    assert r.json()["values"]["due"] == "2026-03-31", r.text
    r = client.get("/api/graphs/full/rows/measures/m1", headers=auth)
    assert r.json()["values"]["start"] == "2026-01", r.text


def test_a_cell_as_text() -> None:
    """One conversion: a date cell is its ISO day (in a month column its month), a date and
    time in a text column keeps its time."""
    at = datetime.datetime(2027, 3, 31)
    assert workbook.cell_as_text(at) == "2027-03-31"
    assert workbook.cell_as_text(datetime.date(2027, 3, 31)) == "2027-03-31"
    assert workbook.cell_as_text(at, "date") == "2027-03-31"
    assert workbook.cell_as_text(at.replace(hour=14, minute=30), "date") == "2027-03-31"
    assert workbook.cell_as_text(at, "month") == "2027-03"
    assert workbook.cell_as_text(at.replace(hour=14, minute=30)) == "2027-03-31 14:30:00"


def merged(source: Path, out: Path, sheet: str, *ranges: str) -> Path:
    """``source`` with each of ``ranges`` merged in ``sheet``, every cell of a range first
    given the value of its first cell (what a designer does to say 'the same')."""
    book = openpyxl.load_workbook(source)
    ws = book[sheet]
    for ref in ranges:
        cells = ws[ref]
        first = cells[0][0].value
        for row in cells:
            for cell in row:
                cell.value = first
        ws.merge_cells(ref)
    book.save(out)
    return out


def test_merged_cells_are_refused_naming_the_range(ks: Path, tmp_path: Path) -> None:
    """The steward's case: E2:E3 of services merged (a provider written once for two
    services) read row 3 as having no provider, said valid; merged referral owners and
    segments lost the owners and made the lower row's referral one for every segment. A
    value a spreadsheet shows is never read as empty without a word: the range is refused,
    in every language, naming the sheet, the range, its rows and column and what to do."""
    path = merged(ks, tmp_path / "merged.xlsx", "services", "E2:E3")
    r = run("validate", path, "--lang", "en")
    assert r.exit_code == 1
    assert ("merged.xlsx, sheet 'services', row 2, column 'providers': the cells E2:E3 are "
            "merged (rows 2–3 of column 'providers')") in r.stderr, r.stderr
    assert "unmerge the cells and fill each row" in r.stderr
    assert run("findings", path).exit_code != 0
    fi = run("validate", path, "--lang", "fi").stderr
    sv = run("validate", path, "--lang", "sv").stderr
    for said in (fi, sv):
        assert "E2:E3" in said and "'providers'" in said and "unmerge" not in said, said
    assert "pura solujen yhdistäminen" in fi, fi
    assert "dela upp de sammanfogade cellerna" in sv, sv


def test_every_merged_range_of_the_data_is_said(ks: Path, tmp_path: Path) -> None:
    """Merged owners and segments of referrals, and one merged across two columns: each
    range said once; a merged range of empty cells, or one beside the columns polku reads,
    hides nothing and passes."""
    book = openpyxl.load_workbook(ks)
    header = [c.value for c in book["referrals"][1]]
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(header)}
    owner, segments = letter["owner"], letter["segments"]
    far = openpyxl.utils.get_column_letter(len(header) + 3)
    path = merged(ks, tmp_path / "m.xlsx", "referrals", f"{owner}2:{owner}4",
                  f"{segments}7:{segments}8", "B9:C9", f"{far}2:{far}5")
    r = run("validate", path, "--lang", "en")
    assert r.exit_code == 1
    said = [line for line in r.stderr.splitlines() if "are merged" in line]
    assert len(said) == 3, r.stderr
    assert f"row 2, column 'owner': the cells {owner}2:{owner}4 are merged (rows 2–4 of " \
        "column 'owner')" in said[0]
    assert f"the cells {segments}7:{segments}8 are merged (rows 7–8 of column 'segments')" \
        in said[1]
    assert "the cells B9:C9 are merged (columns 'from', 'to' of row 9)" in said[2]
    # a merge of empty cells, one beside the data: nothing a spreadsheet shows is lost
    book = openpyxl.load_workbook(ks)
    ws = book["services"]
    ws.merge_cells(f"{openpyxl.utils.get_column_letter(ws.max_column + 3)}2:"
                   f"{openpyxl.utils.get_column_letter(ws.max_column + 4)}3")
    ws.merge_cells(f"A{ws.max_row + 2}:C{ws.max_row + 3}")
    book.save(tmp_path / "empty.xlsx")
    r = run("validate", tmp_path / "empty.xlsx", "--lang", "en")
    assert r.exit_code == 0, r.stderr


def with_needs(count: int) -> "object":
    """The Keski-Suomi example region with ``count`` needs more (rows of one sheet)."""
    from polku.io.load import load_graph

    g = load_graph(SECOND_REGION)
    for i in range(count):
        g.add_node(f"tarve-x{i}", type="need", name=f"Tarve {i}")
    return g


def test_an_xlsx_export_looks_at_each_row_once(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """The export was quadratic in the rows (20,000 needs: 67 s; 200,000 never ended): it
    asked openpyxl for the sheet's last row (``max_row``, a scan of every cell) once a row.
    Counted, not timed: how often the sheet is scanned does not grow with the rows
    (benchmarks/xlsx_export.py times it)."""
    from openpyxl.worksheet.worksheet import Worksheet

    scans: list[int] = []
    max_row = Worksheet.max_row
    monkeypatch.setattr(Worksheet, "max_row",
                        property(lambda ws: scans.append(len(ws._cells)) or max_row.fget(ws)))
    counted = []
    for count in (10, 400):
        scans.clear()
        workbook.write_workbook(with_needs(count), tmp_path / f"n{count}.xlsx")
        counted.append((len(scans), sum(scans)))
    assert counted[0][0] == counted[1][0], counted  # the same scans, however many rows
    assert counted[1][1] < 400 * 10, counted  # none of them once per row
    needs = openpyxl.load_workbook(tmp_path / "n400.xlsx")["needs"]
    assert needs.max_row == 1 + sum(1 for _, t in with_needs(400).nodes(data="type")
                                    if t == "need")


class _FullDisk(io.FileIO):
    """A file on a disk with room for ``ROOM`` bytes: a write past them fails as a full
    disk's does, and so does every write after it (the disk stays full)."""
    ROOM = 20_000
    full = False

    def write(self, data: Any) -> int:
        if self.full or self.tell() + len(data) > self.ROOM:
            self.full = True
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def full_disk_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Every file opened for writing in ``folder`` (by name, as zipfile opens one, or by
    its descriptor, as os.fdopen does) is on a disk of 20 KB."""
    real = io.open

    def opened(file: Any, mode: str = "r", buffering: int = -1, *args: Any,
               **kwargs: Any) -> Any:
        where = os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else file
        if "b" in mode and ("w" in mode or "+" in mode) and \
                Path(os.fspath(where)).resolve().parent == folder.resolve():
            return io.BufferedWriter(_FullDisk(file, mode.replace("b", "")))
        return real(file, mode, buffering, *args, **kwargs)
    monkeypatch.setattr(io, "open", opened)


def test_a_full_disk_during_an_xlsx_export_says_so_and_nothing_more(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The steward's case: an export of 5,000 rows to a 20 KB disk said the disk was full,
    then printed a traceback (ZipFile.__del__, errno 28) as the unclosed file went. The
    error alone, and no file, whole or partial, temporary or not."""
    source = tmp_path / "big.ttl"
    from polku.io.load import save_graph

    save_graph(with_needs(5000), source)
    small = tmp_path / "small"
    small.mkdir()
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with monkeypatch.context() as m:
        full_disk_in(m, small)
        r = run("export", source, "--to", "xlsx", "-o", small / "a.xlsx", "--lang", "en")
        code, said = r.exit_code, r.stderr
        del r  # the run's traceback holds what the failed save left open, until it goes
        gc.collect()
    assert code == 1
    assert said.strip().splitlines() == [
        f"error: {small / 'a.xlsx'}: no space left on the device"], said
    assert not unraisable, [getattr(u, "exc_value", u) for u in unraisable]
    assert list(small.iterdir()) == []
    # with room, the same export is written whole
    assert run("export", source, "--to", "xlsx", "-o", small / "a.xlsx").exit_code == 0
    assert workbook.read_workbook(small / "a.xlsx").number_of_nodes() > 5000
