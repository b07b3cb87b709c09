"""A column that counts people, named otherwise than ``size`` or ``volume_per_month``,
was kept as an extra column when its name was not close enough to the known one
(``size_2024``, ``koko``, ``Volume/month``, ``asiakkaita_kuukaudessa``): its small figures
reached the public as they stood (the rows, the JSON-LD export). Such a column is refused
by its words too, not only by its likeness, through every door that reads a header (a CSV
folder, an .xlsx, a write through the API); ordinary extra columns still pass."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, etag_of, run
from polku.app import create_app
from polku.io.workbook import read_workbook, write_workbook
from polku.server.auth import parse_tokens

EDITOR = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{EDITOR}")

#: sheet -> extra column names that count people, each refused on that sheet
COUNTS = {
    "segments": ["size_2024", "size_2025", "size_est", "segment_size", "people_size", "koko",
                 "henkilömäärä", "henkilomaara", "Koko (hlöä)", "segmentSize", "SIZE2024",
                 "storlek", "antal_personer", "headcount", "asiakasmäärä", "lkm",
                 "size_sv", "asiakkaat"],
    "referrals": ["volume", "volume_pm", "monthly_volume", "Volume/month",
                  "asiakkaita_kuukaudessa", "volyymi", "volym", "kunder_per_månad",
                  "clients_per_month", "persons", "henkilöitä_kk", "monthlyVolume",
                  "people count", "lähetteitä_kk"],
}
#: extra columns a designer uses, which count nobody: kept as they are
ORDINARY = ["url", "notes", "huomiot", "lisätieto", "contact", "yhteyshenkilö", "kuvaus_lisä",
            "lähde", "henkilöstö", "vastuuhenkilö", "kontaktperson", "source", "channel",
            "kanava", "email", "sähköposti", "puhelin", "kommentti", "anmärkning", "källa",
            "country", "account", "tags", "avainsanat", "kunta", "määräaika", "määräys"]


def with_columns(folder: Path, sheet: str, names: list[str], value: str = "3") -> None:
    """Add ``names`` to the CSV ``sheet`` of the workbook at ``folder``, ``value`` in every
    row."""
    path = folder / f"{sheet}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = [rows[0] + names] + [row + [value] * len(names) for row in rows[1:]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def refusal(name: str, known: str) -> str:
    return (f"column '{name}': the column '{name}' looks like '{known}', a count of people "
            f"whose small figures are hidden from the public")


KNOWN = {"segments": "size", "referrals": "volume_per_month"}


def test_the_words_of_a_name_say_it_counts_people() -> None:
    from polku.privacy import people_column_like

    for sheet, names in COUNTS.items():
        for name in names:
            assert people_column_like(sheet, name) == KNOWN[sheet], (sheet, name)
        # the known column itself is no look-alike; the other sheets count nobody
        assert people_column_like(sheet, KNOWN[sheet]) is None
    for sheet in ("segments", "referrals"):
        for name in ORDINARY:
            assert people_column_like(sheet, name) is None, (sheet, name)
    assert people_column_like("services", "size_2024") is None


def test_every_count_column_is_refused_in_csv_and_xlsx(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path / "csv")
    for sheet, names in COUNTS.items():
        with_columns(folder, sheet, names)
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 1, r.output
    for sheet, names in COUNTS.items():
        for name in names:
            assert refusal(name, KNOWN[sheet]) in r.stderr, (name, r.stderr)
    book = tmp_path / "mini.xlsx"
    write_workbook(read_workbook(MINI), book)
    wb = openpyxl.load_workbook(book)
    for sheet, names in COUNTS.items():
        ws = wb[sheet]
        width = ws.max_column
        for i, name in enumerate(names, start=width + 1):
            ws.cell(row=1, column=i, value=name)
            for row in range(2, ws.max_row + 1):
                ws.cell(row=row, column=i, value=3)
    wb.save(book)
    r = run("validate", book, "--lang", "en")
    assert r.exit_code == 1, r.output
    for sheet, names in COUNTS.items():
        for name in names:
            assert refusal(name, KNOWN[sheet]) in r.stderr, (name, r.stderr)


def test_ordinary_extra_columns_are_kept(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path / "csv")
    for sheet in ("segments", "referrals"):
        with_columns(folder, sheet, ORDINARY, "x")
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "count of people" not in r.output
    g = read_workbook(folder)
    assert g.nodes["nuoret"]["extra"]["yhteyshenkilö"] == "x"
    assert g.nodes["r1"]["extra"]["url"] == "x"


def test_the_public_cannot_read_a_refused_count(tmp_path: Path) -> None:
    """The adversary's workbook: the example with ``size_2024`` (3 for a segment) and a
    copy of ``volume_per_month`` as ``Volume/month``: refused whole, by validate and export,
    and served, no row and no export reaches anyone."""
    import shutil

    from helpers import ROOT

    folder = tmp_path / "graphs" / "x"
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder)
    with_columns(folder, "segments", ["size_2024"])
    path = folder / "referrals.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("volume_per_month")
    rows = [rows[0] + ["Volume/month"]] + [row + [row[at]] for row in rows[1:]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 1 and refusal("size_2024", "size") in r.stderr, r.output
    assert refusal("Volume/month", "volume_per_month") in r.stderr
    out = tmp_path / "x.jsonld"
    r = run("export", folder, "--to", "jsonld", "-o", out)
    assert r.exit_code != 0 and not out.exists(), r.output
    client = TestClient(create_app([folder.parent]))
    for sheet in ("segments", "referrals"):
        got = client.get(f"/api/graphs/x/rows/{sheet}")
        assert got.status_code >= 400 and '"size_2024":' not in got.text, got.text
    exported = client.get("/api/graphs/x/export", params={"format": "jsonld"})
    assert exported.status_code >= 400 and "@graph" not in exported.text


def test_a_write_of_a_count_column_is_refused(tmp_path: Path) -> None:
    """The edit door: a write that would add such a column to a sheet is refused, and
    nothing is written."""
    served = tmp_path / "graphs"
    copy_mini(served / "mini")
    before = {p.name: p.read_bytes() for p in (served / "mini").iterdir()}
    client = TestClient(create_app([served], TOKENS), raise_server_exceptions=False)
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {EDITOR}"}
    for sheet, key, name in (("segments", "nuoret", "size_2024"),
                             ("referrals", "r1", "Volume/month")):
        r = client.patch(f"/api/graphs/mini/rows/{sheet}/{key}", json={name: "3"},
                         headers={**headers, "If-Match": etag_of(client)})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["field"] == name
        assert r.json()["error"]["did_you_mean"] == KNOWN[sheet]
    assert {p.name: p.read_bytes() for p in (served / "mini").iterdir()} == before
    public = client.get("/api/graphs/mini/rows/segments").text
    assert "size_2024" not in public


def test_an_rdf_property_that_counts_people_is_refused(tmp_path: Path) -> None:
    """The RDF door: an extra property (``polkux:``, a workbook's extra column) of a
    segment named ``size_2024`` was read and served as it stood; it is refused as the
    workbook's column is."""
    served = tmp_path / "graphs"
    served.mkdir()
    data = served / "y.jsonld"
    assert run("export", MINI, "--to", "jsonld", "-o", data).exit_code == 0
    text = data.read_text(encoding="utf-8")
    at = '"dct:identifier": "nuoret",'
    assert at in text
    data.write_text(text.replace(at, at + ' "polkux:size_2024": "3",', 1), encoding="utf-8")
    r = run("validate", data, "--lang", "en")
    assert r.exit_code == 1, r.output
    assert ("the column 'polkux:size_2024' looks like 'polku:size', a count of people"
            in r.stderr), r.stderr
    client = TestClient(create_app([served]))
    got = client.get("/api/graphs/y/rows/segments")
    # refused, naming the column (no value): no row reads it
    assert got.status_code >= 400 and '"size_2024":' not in got.text, got.text
