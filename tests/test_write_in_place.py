"""A write changes only the cells it names (README: "A save changes only what the person
changed"; docs/workbook.md: an edit "keeps the cell as written"): every other byte of a
workbook folder's CSV file stays as the designer's spreadsheet saved it (odd spacing,
quotes, decimal commas, extra columns, CRLF line ends, a byte-order mark), and an undo
gives the file back byte for byte. Through the real HTTP app, and the command line's undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import etag_of, run
from polku.app import create_app
from polku.io import workbook
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"

#: referrals.csv as a spreadsheet program saved it: a BOM, CRLF, a quoted id and count,
#: a decimal comma, spaces around cells, extra columns, a quoted cell with a comma and a
#: line break in it, and a last line without its line break
REFERRALS = ("\ufeffid,from,to,segments,volume_per_month,median_wait_days,owner,"
             "information_flow,lähde,n\r\n"
             "r1,alkuhaastattelu,kuntouttava,nuoret,12,14,keusote,yes,\"Tilasto, 2024\", 4 \r\n"
             "\"r2\",kuntouttava,tyo, ,\"3\",\"7,5\",,,\"monta\r\nriviä\", 4 ")
SERVICES = ("id,name,providers,capacity_per_month,places,entry,needs,segments,method,"
            "legal_basis,description,url\r\n"
            "alkuhaastattelu,Alkuhaastattelu,keusote,\"40,5\",3,kyllä,tyokyky,,,"
            "Laki 380/2023,\"Eka, toka\",http://x\r\n"
            "kuntouttava , Kuntouttava työtoiminta ,keusote; kela,20,,ei,tyokyky,nuoret,,,,\r\n")


@pytest.fixture
def folder(served: Path) -> Path:
    mini = served / "mini"
    (mini / "referrals.csv").write_bytes(REFERRALS.encode("utf-8"))
    (mini / "services.csv").write_bytes(SERVICES.encode("utf-8"))
    assert run("validate", mini).exit_code == 0, run("validate", mini).stderr
    return mini


@pytest.fixture
def client(served: Path, folder: Path) -> TestClient:
    return TestClient(create_app([served], parse_tokens(f"anna:{ANNA}")),
                      raise_server_exceptions=False)


def headers(client: TestClient) -> dict[str, str]:
    return {"Accept-Language": "en", "Authorization": f"Bearer {ANNA}",
            "If-Match": etag_of(client)}


def undo(client: TestClient) -> None:
    r = client.post("/api/graphs/mini/undo", headers=headers(client))
    assert r.status_code == 200, r.text


def test_a_patch_changes_its_cell_and_no_other_byte(client: TestClient, folder: Path) -> None:
    """The reviewer's case: PATCHing r1 rewrote r2's ` 4 ` as `4` (and the BOM, the CRLF,
    the quotes); the undo did not bring them back."""
    path = folder / "referrals.csv"
    before = path.read_bytes()
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": 20},
                     headers=headers(client))
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(b"nuoret,12,14,keusote", b"nuoret,12,20,keusote")
    undo(client)
    assert path.read_bytes() == before


def test_a_cell_of_a_quoted_row_and_a_value_that_needs_quotes(client: TestClient,
                                                              folder: Path) -> None:
    path = folder / "referrals.csv"
    before = path.read_bytes()
    r = client.patch("/api/graphs/mini/rows/referrals/r2",
                     json={"owner": "kela", "lähde": "Kela, 2025"}, headers=headers(client))
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(
        b'"7,5",,,"monta\r\nrivi\xc3\xa4", 4 ', b'"7,5",kela,,"Kela, 2025", 4 ')
    g = workbook.read_workbook(folder)
    assert g.nodes["r2"]["extra"]["lähde"] == "Kela, 2025" and g.has_edge("r2", "kela", "owner")
    undo(client)
    assert path.read_bytes() == before


def test_a_new_row_is_added_after_the_last_in_the_files_own_line_ends(client: TestClient,
                                                                      folder: Path) -> None:
    path = folder / "referrals.csv"
    before = path.read_bytes()
    r = client.post("/api/graphs/mini/rows/referrals",
                    json={"id": "r3", "from": "kuntouttava", "to": "tyo",
                          "volume_per_month": "2,5"}, headers=headers(client))
    assert r.status_code == 201, r.text
    assert path.read_bytes() == before + b'\r\nr3,kuntouttava,tyo,,"2,5",,,,,\r\n'
    r = client.delete("/api/graphs/mini/rows/referrals/r1", headers=headers(client))
    assert r.status_code == 200, r.text
    lines = path.read_bytes().split(b"\r\n")
    assert lines[0] == before.split(b"\r\n")[0] and not lines[1].startswith(b"r1,")
    assert path.read_bytes() == before.replace(
        b'r1,alkuhaastattelu,kuntouttava,nuoret,12,14,keusote,yes,"Tilasto, 2024", 4 \r\n',
        b"") + b'\r\nr3,kuntouttava,tyo,,"2,5",,,,,\r\n'
    undo(client)
    undo(client)
    # the row deleted comes back last (an undo adds it again); the rest as it was
    assert path.read_bytes() == before.replace(
        b'r1,alkuhaastattelu,kuntouttava,nuoret,12,14,keusote,yes,"Tilasto, 2024", 4 \r\n',
        b"") + b'\r\nr1,alkuhaastattelu,kuntouttava,nuoret,12,14,keusote,yes,' \
               b'"Tilasto, 2024",4\r\n'


def test_a_column_added_by_a_write_and_taken_away_by_its_undo(client: TestClient,
                                                              folder: Path) -> None:
    """`name_fi` (a language column a write may add): the header and the row named gain
    it, every other row stays; the undo takes it away again, byte for byte."""
    path = folder / "services.csv"
    before = path.read_bytes()
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu",
                     json={"name_fi": "Alkuhaastattelu (fi)"}, headers=headers(client))
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(b"description,url\r\n",
                                               b"description,url,name_fi\r\n").replace(
        b'"Eka, toka",http://x\r\n', b'"Eka, toka",http://x,Alkuhaastattelu (fi)\r\n')
    undo(client)
    assert path.read_bytes() == before


def test_the_command_lines_undo_keeps_the_other_bytes_too(client: TestClient,
                                                          folder: Path) -> None:
    path = folder / "services.csv"
    before = path.read_bytes()
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": "22,5"}, headers=headers(client))
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(b"kela,20,,ei", b'kela,"22,5",,ei')
    r = run("undo", folder)
    assert r.exit_code == 0, r.output
    assert path.read_bytes() == before


def test_random_edits_change_only_their_own_records() -> None:
    """Rows updated, added and deleted at random in a sheet written every which way: the
    patched text reads as the rows wanted, and every record not changed is as it was."""
    import random

    from polku.io.csvpatch import _read, patched

    rnd = random.Random(7)
    spellings = [lambda v: v, lambda v: f" {v} ", lambda v: f'"{v}"', lambda v: f'"{v}" ']
    for trial in range(300):
        header = ["id", "a", "b", "c"]
        ending = rnd.choice(["\n", "\r\n", "\r"])
        lines = [",".join(header)]
        rows = []
        for i in range(rnd.randint(0, 8)):
            row = {"id": f"r{i}", "a": rnd.choice(["", "1", "7,5", "x y"]),
                   "b": rnd.choice(["", "kyllä", 'sa"id', "a,b"]), "c": rnd.choice(["", "4"])}
            cells = []
            for h in header:
                v = row[h]
                if "," in v or '"' in v:
                    cells.append('"' + v.replace('"', '""') + '"')
                else:
                    cells.append(rnd.choice(spellings)(v) if v and '"' not in v else v)
            lines.append(",".join(cells))
            rows.append({h: v for h, v in row.items() if v})
        text = rnd.choice(["", "\ufeff"]) + ending.join(lines) + rnd.choice(["", ending])
        assert _read(text.lstrip("\ufeff"))[1] == rows, text
        new = [dict(r) for r in rows]
        for _ in range(rnd.randint(1, 3)):
            action = rnd.choice(["update", "create", "delete"]) if new else "create"
            if action == "update":
                r = rnd.choice(new)
                r[rnd.choice(["a", "b", "c"])] = rnd.choice(["2", "8,25", "u, v", 'q"t'])
            elif action == "create":
                new.append({"id": f"n{trial}{len(new)}", "a": "3"})
            else:
                new.remove(rnd.choice(new))
        out = patched(text, header, new)
        assert out is not None, (text, new)
        assert out.startswith("\ufeff") == text.startswith("\ufeff")
        assert _read(out.lstrip("\ufeff"))[1] == new
        kept = [line for line, row in zip(lines[1:], rows) if row in new]
        for line in kept:  # each row left as it was is in the file as it was written
            assert line in out, (line, out)


def test_a_cell_written_like_a_formula_is_neutral_and_one_typed_so_stays(
        client: TestClient, folder: Path) -> None:
    """polku puts a ' before a formula start in the cells it writes (docs/workbook.md,
    Limits); a cell it does not write stays as the designer typed it."""
    path = folder / "services.csv"
    path.write_bytes(path.read_bytes().replace(b",http://x\r\n", b",=1+1\r\n"))
    before = path.read_bytes()
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"description": "=HYPERLINK(1)"}, headers=headers(client))
    assert r.status_code == 200, r.text
    assert path.read_bytes() == before.replace(b"tyokyky,nuoret,,,,\r\n",
                                               b"tyokyky,nuoret,,,'=HYPERLINK(1),\r\n")
    assert workbook.read_workbook(folder).nodes["kuntouttava"]["description"] == "=HYPERLINK(1)"


def test_an_xlsx_write_sets_its_cells_and_keeps_every_other_cell(tmp_path: Path) -> None:
    """In an .xlsx the changed sheet keeps every cell the write does not name: its value as
    typed (a text ` 4 `), its formula, its formatting; a row added goes after the last and
    the undo gives every cell back."""
    import csv

    import openpyxl
    from openpyxl.styles import Font

    from helpers import MINI

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sorted(MINI.glob("*.csv")):
        ws = book.create_sheet(sheet.stem)
        with open(sheet, encoding="utf-8", newline="") as f:
            for record in csv.reader(f):
                ws.append([int(c) if c.isdigit() else c for c in record])
    ws = book["services"]
    ws["K2"] = '="Eka, "&"toka"'        # a formula in a text column (no saved value)
    ws["L2"] = " 4 "                     # text as typed
    ws["B2"].font = Font(bold=True)
    path = tmp_path / "mini.xlsx"
    book.save(path)
    assert run("validate", path).exit_code == 0, run("validate", path).stderr

    def cells() -> list[list[object]]:
        ws = openpyxl.load_workbook(path)["services"]
        return [[(c.value, c.font.b) for c in row] for row in ws.iter_rows()]

    before = cells()
    client = TestClient(create_app([path], parse_tokens(f"anna:{ANNA}")),
                        raise_server_exceptions=False)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": "22,5"}, headers=headers(client))
    assert r.status_code == 200, r.text
    after = cells()
    assert after[2][3] == (22.5, False)
    assert [row for i, row in enumerate(after) if i != 2] == \
        [row for i, row in enumerate(before) if i != 2]
    assert after[2][:3] + after[2][4:] == before[2][:3] + before[2][4:]
    r = client.post("/api/graphs/mini/rows/services",
                    json={"id": "uusi", "name": "Uusi", "places": "2"}, headers=headers(client))
    assert r.status_code == 201, r.text
    assert [value for value, _ in cells()[3][:5]] == ["uusi", "Uusi", None, None, 2]
    undo(client)
    undo(client)
    assert cells() == before
