"""What a data steward building a workbook in a spreadsheet is told (docs/workbook.md: bad
input names file, sheet, row and column, what is wrong and how to fix it, in the reader's
language), through the real command line and the real HTTP app: a CSV saved with ';' or in
UTF-16, a decimal comma that splits a cell, a file polku does not read, a password, an id
refused in one place and used in others, a title row above the header, a stale source's
problems, and the numbers a spreadsheet turns into something else."""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, FULL, MINI, SECOND, SECOND_REGION, as_xlsx, edit, run
from polku.app import create_app
from polku.io import workbook

# these tests read the command line's English source texts (and ask --lang for the others)
pytestmark = pytest.mark.usefixtures("english_cli")


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("error:", "virhe:", "fel:"))]


def resaved(folder: Path, encoding: str, delimiter: str = ",", first: str = "") -> None:
    """Every CSV sheet of ``folder`` saved again as a spreadsheet program saves it: in
    ``encoding``, with ``delimiter`` between cells, CRLF, and ``first`` as its first line."""
    for sheet in folder.glob("*.csv"):
        with open(sheet, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        with open(sheet, "w", encoding=encoding, newline="") as f:
            f.write(first)
            csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(rows)


# -- 1. a CSV saved with ';' between its cells ---------------------------------------------

@pytest.mark.parametrize("encoding,first", [("cp1252", ""), ("utf-8-sig", ""),
                                            ("utf-8", "sep=;\r\n")])
def test_a_semicolon_csv_is_told_what_works_before_its_encoding(
        encoding: str, first: str, mini: Path) -> None:
    """Finnish Excel saves ';' between cells (as 'CSV' in Windows-1252 and as 'CSV UTF-8'
    alike, perhaps with its 'sep=;' line): each sheet is told so at its header, not that a
    byte is no UTF-8 in a column named by the whole header, and told what works."""
    resaved(mini, encoding, ";", first)
    r = run("validate", mini)
    assert r.exit_code == 1
    lines = errors(r.stderr)
    assert len(lines) == 8, lines
    for line in lines:
        assert "row 1: the cells are separated by ';', not by commas: save the workbook as " \
               ".xlsx and give polku that file, or save the sheet in LibreOffice with ',' as " \
               "the field delimiter" in line, line
        assert "UTF-8: byte" not in line and "column" not in line.split(": ")[0]
    assert f"{mini}{os.sep}actors.csv, sheet 'actors', row 1:" in lines[0]
    fi = run("validate", mini, "--lang", "fi").stderr
    assert "solujen erottimena on ';' eikä pilkku" in fi and ".xlsx" in fi \
        and "LibreOffice" in fi and "separated" not in fi and "ei UTF-8" not in fi
    sv = run("validate", mini, "--lang", "sv").stderr
    assert "cellerna är åtskilda med ';' och inte med kommatecken" in sv and ".xlsx" in sv \
        and "LibreOffice" in sv and "separated" not in sv


def test_a_tab_separated_sheet_is_told_so(mini: Path) -> None:
    resaved(mini, "utf-8", "\t")
    err = run("validate", mini).stderr
    assert "actors.csv, sheet 'actors', row 1: the cells are separated by a tab, not by " \
           "commas" in err
    assert "solujen erottimena on sarkain" in run("validate", mini, "--lang", "fi").stderr


# -- 2. a decimal comma without quotes -----------------------------------------------------

def test_a_row_wider_than_its_header_is_refused_even_with_empty_cells(tmp_path: Path) -> None:
    """'7,5' typed without quotes: 9 cells for 8 columns, the last one empty. It was read
    as a volume of 7 and a wait of 5 days, and the workbook was valid."""
    ks = shutil.copytree(SECOND_REGION, tmp_path / "ks")
    rows = (ks / "referrals.csv").read_text(encoding="utf-8").splitlines()
    with open(ks / "referrals.csv", "a", encoding="utf-8") as f:
        f.write("ref-uusi,tyomarkkinatori,alkuhaastattelu-jkl,,7,5,,,\n")
    r = run("validate", ks)
    assert r.exit_code == 1
    assert errors(r.stderr) == [
        f"error: {ks}{os.sep}referrals.csv, sheet 'referrals', row {len(rows) + 1}, column "
        "'volume_per_month': the row has 9 cells but the header only 8 columns: '7,5' looks "
        "like a number with a decimal comma, which splits it into two cells: write 7.5, or "
        "put it in quotes (\"7,5\"); the row is not read"]
    fi = run("validate", ks, "--lang", "fi").stderr
    assert "rivillä on 9 solua mutta otsikkorivillä vain 8 saraketta" in fi and "7.5" in fi
    assert "the row" not in fi


def test_a_shifted_row_is_one_problem_not_its_side_effects(mini: Path) -> None:
    """A capacity's decimal comma shifts 'kyllä' out of entry and a 3 into it; the row
    says the shift, not that '3' is no boolean; the id of the row is not said unknown
    where the other sheets use it."""
    edit(mini / "services.csv", '"40,5",3,kyllä,tyokyky,,,Laki 380/2023,"Eka, toka",http://x',
         '40,5,3,kyllä,tyokyky,,,Laki 380/2023,"Eka, toka",')
    r = run("validate", mini)
    lines = errors(r.stderr)
    assert len(lines) == 1, lines
    assert "row 2, column 'capacity_per_month': the row has 13 cells but the header only 12 " \
           "columns: '40,5' looks like a number" in lines[0]
    assert "yes or no" not in r.stderr and "unknown" not in r.stderr
    # a comma too many anywhere else: no number to name
    edit(mini / "services.csv", "40,5,3,kyllä", '"40,5",3,kyllä,')
    lines = errors(run("validate", mini).stderr)
    assert lines == [f"error: {mini}{os.sep}services.csv, sheet 'services', row 2: the row "
                     "has 13 cells but the header only 12 columns: a comma too many (a decimal "
                     "comma without quotes, or one typed in a cell) shifts the cells after it; "
                     "the row is not read"]


@pytest.mark.parametrize("source", [EXAMPLE, SECOND_REGION, SECOND, FULL, MINI])
def test_the_example_graphs_and_fixtures_still_read(source: Path) -> None:
    assert run("validate", source).exit_code == 0


def test_an_xlsx_row_with_formatted_empty_cells_past_the_header_reads(mini: Path,
                                                                     tmp_path: Path) -> None:
    book = as_xlsx(mini, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["services"]
    ws.cell(row=3, column=ws.max_column + 1).number_format = "0.00"
    ws.cell(row=3, column=ws.max_column + 1).value = ""
    wb.save(book)
    assert run("validate", book).exit_code == 0


# -- 3. a file polku does not read --------------------------------------------------------

@pytest.mark.parametrize("name", ["old.xls", "old.ods"])
def test_a_spreadsheet_file_polku_does_not_read_is_told_to_save_as_xlsx(
        name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    r = run("validate", tmp_path / name)
    assert r.exit_code == 1
    suffix = name[3:]
    assert r.stderr.strip() == (
        f"error: {tmp_path / name}: polku does not read {suffix} files: open it in the "
        "spreadsheet program and save it as an Excel workbook (.xlsx)")
    fi = run("validate", tmp_path / name, "--lang", "fi").stderr
    sv = run("validate", tmp_path / name, "--lang", "sv").stderr
    assert ".xlsx" in fi and ".xlsx" in sv
    for text in (fi, sv):
        assert "folder" not in text and " or " not in text and "save it" not in text


def test_one_csv_sheet_is_told_to_give_the_folder(mini: Path) -> None:
    r = run("validate", mini / "services.csv")
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        f"error: {mini / 'services.csv'}: one CSV sheet is not a workbook: give the folder "
        f"that holds the sheets ({mini})")
    fi = run("validate", mini / "services.csv", "--lang", "fi").stderr
    assert "kansio" in fi and "folder" not in fi


def test_a_folder_holding_an_xlsx_alone_is_told_to_give_the_file(mini: Path,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    folder.mkdir()
    as_xlsx(mini, folder / "alue.xlsx")
    r = run("validate", folder)
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        f"error: {folder}: the folder holds no CSV sheets but the workbook 'alue.xlsx': give "
        f"the .xlsx file itself ({folder / 'alue.xlsx'})")
    fi = run("validate", folder, "--lang", "fi").stderr
    assert "alue.xlsx" in fi and "puuttuu" not in fi


@pytest.mark.parametrize("lang,expected", [
    ("fi", ".ttl, .jsonld, .xlsx tai CSV-taulukoiden kansio"),
    ("sv", ".ttl, .jsonld, .xlsx eller en mapp med CSV-blad"),
    ("en", ".ttl, .jsonld, .xlsx, or a folder of CSV sheets")])
def test_an_unknown_kind_of_file_lists_what_polku_reads_in_the_readers_language(
        lang: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    r = run("validate", tmp_path / "notes.txt", "--lang", lang)
    assert r.exit_code == 1 and r.stderr.strip().endswith(expected), r.stderr


# -- 4. a password, a workbook saved as .csv, UTF-16 --------------------------------------

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_a_password_protected_xlsx_is_told_so(tmp_path: Path) -> None:
    book = tmp_path / "salattu.xlsx"
    book.write_bytes(CFB + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500)
    r = run("validate", book)
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        f"error: {book}: the file is protected by a password (Excel saves such a file "
        "encrypted): remove the password (in Excel: File › Info › Protect Workbook › Encrypt "
        "with Password, empty it) and save the file, or save a copy without it")
    fi = run("validate", book, "--lang", "fi").stderr
    assert "salasana" in fi and "zip" not in fi
    old = tmp_path / "vanha.xlsx"
    old.write_bytes(CFB + b"\0" * 1000)
    assert run("validate", old).stderr.strip() == (
        f"error: {old}: the file is an old Excel workbook (.xls, Excel 97–2003) or one "
        "protected by a password, with the ending .xlsx: open it in the spreadsheet program "
        "and save it as an Excel workbook (.xlsx), without a password")


@pytest.mark.parametrize("signature,kind", [
    ("xlsx", "a spreadsheet workbook (.xlsx)"),
    ("cfb", "an Excel file (.xls, or an .xlsx protected by a password)")])
def test_a_workbook_saved_as_a_csv_sheet_is_told_it_is_no_csv(signature: str, kind: str,
                                                              mini: Path,
                                                              tmp_path: Path) -> None:
    if signature == "xlsx":
        shutil.copy(as_xlsx(mini, tmp_path / "w.xlsx"), mini / "services.csv")
    else:
        (mini / "services.csv").write_bytes(CFB + b"\0" * 1000)
    lines = errors(run("validate", mini).stderr)
    assert lines == [f"error: {mini}{os.sep}services.csv, sheet 'services': the file is "
                     f"{kind}, not CSV text: save the sheet as CSV, or give polku the "
                     "workbook file itself"], lines
    assert "tavu" not in run("validate", mini, "--lang", "fi").stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_read_as_the_plan_reader_reads_it(encoding: str, mini: Path,
                                                         tmp_path: Path) -> None:
    """A sheet saved as UTF-16 (LibreOffice's 'Unicode', Windows PowerShell's default),
    with its byte-order mark or plainly little- or big-endian, is read as what it says."""
    expected = workbook.read_workbook(mini)
    for sheet in ("services", "actors"):
        path = mini / f"{sheet}.csv"
        path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n")
                         .encode(encoding))
    r = run("validate", mini)
    assert r.exit_code == 0, r.stderr
    g = workbook.read_workbook(mini)
    assert dict(g.nodes(data=True)) == dict(expected.nodes(data=True))
    assert g.nodes["kuntouttava"]["name"] == "Kuntouttava työtoiminta"
    # a bad cell of a UTF-16 sheet is placed as any other
    path = mini / "services.csv"
    path.write_bytes(path.read_bytes().decode(encoding).replace(",20,", ",2x,")
                     .encode(encoding))
    assert "services.csv, sheet 'services', row 3, column 'capacity_per_month': '2x' is not " \
           "a number" in run("validate", mini).stderr


def test_an_edit_of_a_utf16_sheet_keeps_its_encoding(served: Path) -> None:
    from helpers import etag_of
    from polku.server.auth import parse_tokens

    token = "utf16-token-0123456789"
    path = served / "mini" / "referrals.csv"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    before = path.read_bytes()
    client = TestClient(create_app([served], parse_tokens(f"anna:{token}")))
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": 20},
                     headers={"Authorization": f"Bearer {token}",
                              "If-Match": etag_of(client), "Accept-Language": "en"})
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(",12,14,".encode("utf-16-le"),
                                               ",12,20,".encode("utf-16-le"))


# -- 5. one bad cell, not a run of follow-on errors ----------------------------------------

def test_an_id_refused_for_its_case_is_pointed_at_by_its_uses(mini: Path) -> None:
    """'Kuntouttava' defined, 'kuntouttava' used: each use points at the refused row."""
    edit(mini / "services.csv", "\nkuntouttava,", "\nKuntouttava,")
    lines = errors(run("validate", mini).stderr)
    assert "row 3, column 'id': 'Kuntouttava' is not a valid id" in lines[0]
    assert len(lines) == 6
    for line in lines[1:]:
        assert line.endswith("'kuntouttava': it differs only in case or in an invisible "
                             "character from the id of sheet 'services', row 3, which was "
                             "refused (see the problem there)"), line
    fi = run("validate", mini, "--lang", "fi").stderr
    assert "taulukon 'services' rivin 3" in fi and "differs" not in fi


def test_an_invisible_character_in_an_id_is_named(mini: Path) -> None:
    edit(mini / "services.csv", "\nkuntouttava,", "\nkuntouttava\u200b,")
    lines = errors(run("validate", mini).stderr)
    assert lines[0].endswith(
        "row 3, column 'id': 'kuntouttava\u200b' is not a valid id: it holds an invisible "
        "character, U+200B ZERO WIDTH SPACE, at character 12: delete it (write, for example, "
        "'kuntouttava')"), lines[0]
    assert all("which was refused" in line for line in lines[1:]) and len(lines) == 6


def test_a_followup_warning_offers_no_refused_id(tmp_path: Path) -> None:
    """'Velka' refused where it is defined: the follow-up of 'over-capacity:velka' is not
    warned about offering the refused 'Velka' (nor is the misspelt-names note given)."""
    full = shutil.copytree(FULL, tmp_path / "full")
    edit(full / "services.csv", "\nvelka,", "\nVelka,")
    r = run("validate", full)
    assert r.exit_code == 1
    assert "did you mean 'Velka'" not in r.stderr and "over-capacity:velka" not in r.stderr
    assert "note:" not in r.stderr


def test_a_value_right_of_an_xlsx_header_is_placed_and_its_row_still_read(
        mini: Path, tmp_path: Path) -> None:
    book = as_xlsx(mini, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["services"]
    width = ws.max_column
    ws.cell(row=3, column=width + 1).value = "huom"
    wb.save(book)
    lines = errors(run("validate", book).stderr)
    letter = openpyxl.utils.get_column_letter(width + 1)
    assert lines == [f"error: {book}, sheet 'services', row 3: column {letter} has a value "
                     f"('huom') but the header has no column there (it has {width} columns): "
                     "name the column in row 1, or clear the cell"], lines
    # an identity code there is said as one, never quoted
    ws.cell(row=3, column=width + 1).value = "131052-308T"
    wb.save(book)
    err = run("validate", book).stderr
    assert "131052" not in err and "sheet 'services', row 3: the cell " in err


# -- 6. a title row, and the note about misspelt names -------------------------------------

@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_title_row_above_the_header_is_named(form: str, mini: Path, tmp_path: Path) -> None:
    text = (mini / "services.csv").read_text(encoding="utf-8")
    (mini / "services.csv").write_text("Palvelut 2026 – luonnos,,,\n" + text, encoding="utf-8")
    source = mini if form == "csv" else as_xlsx(mini, tmp_path / "w.xlsx")
    r = run("validate", source)
    lines = errors(r.stderr)
    assert len(lines) == 1, lines
    assert lines[0].endswith(
        "sheet 'services', row 1: row 1 holds 'Palvelut 2026 – luonnos', not the column "
        "names: the header must be row 1; the columns are in row 2: delete the rows above it")
    assert "note:" not in r.stderr
    fi = run("validate", source, "--lang", "fi").stderr
    assert "'Palvelut 2026 – luonnos'" in fi and "rivillä 2" in fi and "huomio" not in fi
    # a title alone, the columns nowhere below it
    (mini / "services.csv").write_text("Palvelut 2026 – luonnos\nx\n", encoding="utf-8")
    assert errors(run("validate", mini).stderr)[0].endswith(
        "sheet 'services', row 1: row 1 holds 'Palvelut 2026 – luonnos', not the column "
        "names: the header must be row 1 (the required columns id, name are missing)")


def test_the_note_about_misspelt_names_only_with_such_a_warning(mini: Path) -> None:
    edit(mini / "services.csv", ",20,", ",20x,")
    edit(mini / "paths.csv", "p1,nuoret,2,kuntouttava,", "p1,nuoret,2,kuntouttava,Toinen nimi")
    r = run("validate", mini)
    assert "warning:" in r.stderr and "note:" not in r.stderr
    edit(mini / "services.csv", "capacity_per_month", "capacity_per_mont")
    edit(mini / "services.csv", "keusote;kela", "keusote;kelaa")
    r = run("validate", mini)
    assert r.exit_code == 1 and "note: a misspelt sheet or column" in r.stderr


# -- 7. a stale source's problems on the server ---------------------------------------------

def test_a_stale_sources_problems_keep_their_places_and_are_all_listed(served: Path) -> None:
    client = TestClient(create_app([served]))
    assert client.get("/api/graphs/mini").status_code == 200
    needs = served / "mini" / "needs.csv"
    needs.write_bytes("id,name\nty,Työkyky\n".encode("latin-1"))
    services = served / "mini" / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace(",20,", ",2x,")
                        .replace('"40,5"', "4y"), encoding="utf-8")
    later = time.time() + 5
    for sheet in (needs, services):
        os.utime(sheet, (later, later))
    r = client.get("/api/graphs", headers={"Accept-Language": "fi"})
    graph = r.json()[0] if isinstance(r.json(), list) else r.json()["graphs"][0]
    assert graph["state"] == "stale"
    assert "tavu 0xf6 solun 3. merkkinä" in graph["problem"], graph["problem"]
    assert "...." not in graph["problem"]
    listed = [p["message"] for p in graph["problems"]]
    assert len(listed) == 3, listed
    assert any("rivi 3, sarake 'capacity_per_month': '...' ei ole luku" in m for m in listed)
    ready = client.get("/readyz", headers={"Accept-Language": "en"}).json()["graphs"][0]
    assert len(ready["problems"]) == 3 and "character 3 of the cell" in ready["problem"]
    page = client.get("/graphs/mini", headers={"Accept-Language": "fi"}).text
    for message in listed:
        assert message.replace("'", "&#39;") in page or message in page, message
    assert "2x" not in page and "4y" not in page


# -- 8. what a spreadsheet made of a number -------------------------------------------------

def test_a_percentage_in_a_share_is_told_to_write_the_share(mini: Path) -> None:
    edit(mini / "segments.csv", '"0,35"', "35 %")
    err = run("validate", mini).stderr
    assert "column 'participation_rate': '35 %' is a percentage: a share is written as a " \
           "number from 0 to 1: write 0.35" in err
    assert "kirjoita 0,35" in run("validate", mini, "--lang", "fi").stderr
    edit(mini / "segments.csv", "35 %", "35")
    err = run("validate", mini).stderr
    assert "column 'participation_rate': '35' is not a share between 0 and 1 (a percentage? " \
           "write 0.35)" in err
    assert "skriv 0,35" in run("validate", mini, "--lang", "sv").stderr


def test_a_number_a_spreadsheet_made_a_date_is_told_so(mini: Path, tmp_path: Path) -> None:
    """Finnish Excel reads 12.5 typed in a cell as 12 May: the cell is a date."""
    book = as_xlsx(mini, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["referrals"]
    column = [c.value for c in ws[1]].index("median_wait_days") + 1
    ws.cell(row=2, column=column).value = datetime.datetime(2026, 5, 12)
    wb.save(book)
    err = run("validate", book).stderr
    assert "row 2, column 'median_wait_days': the cell is a date or a time (" in err
    assert "a spreadsheet made it one (12.5 typed in a Finnish or Swedish spreadsheet " \
           "becomes one); format the column as a number or as text and type the value " \
           "again" in err
    ws.cell(row=2, column=column).value = datetime.time(12, 30)
    wb.save(book)
    assert "(12.30 typed in a Finnish or Swedish spreadsheet becomes one)" in \
        run("validate", book).stderr
    edit(mini / "referrals.csv", ",12,14,", ",12,12.5.2026,")
    err = run("validate", mini).stderr
    assert "column 'median_wait_days': the cell is a date or a time ('12.5.2026'): a " \
           "spreadsheet made it one (12.5 typed" in err
    assert "taulukkolaskentaohjelma" in run("validate", mini, "--lang", "fi").stderr


def test_a_formulas_fraction_in_a_whole_number_is_told_to_round(mini: Path,
                                                                 tmp_path: Path) -> None:
    book = as_xlsx(mini, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["segments"]
    column = [c.value for c in ws[1]].index("size") + 1
    ws.cell(row=2, column=column).value = 1200.0000000001
    wb.save(book)
    err = run("validate", book).stderr
    assert "column 'size': '1200.0000000001' is not a whole number: a calculation (a formula) " \
           "left a tiny fraction; round it (ROUND) or type 1200" in err
    assert "PYÖRISTÄ" in run("validate", book, "--lang", "fi").stderr
