"""The action list as a spreadsheet a leader opens (`polku actions -o a.xlsx|a.csv`, the API's
`/actions?format=csv|xlsx`, the CSV link inside the HTML report): subjects by name and
findings in the report's plain words, the ids in their own columns at the end, due dates as
the reader writes them (real date cells in the .xlsx), overdue follow-ups marked, long texts
wrapped, the header frozen and filtered, a CSV that Excel reads as UTF-8 from every door,
and a cell that starts like a formula still neutral."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, run
from polku.app import create_app

#: a follow-up past its due date (with a note typed like a formula), one due later
FOLLOWUPS = (
    "finding,status,owner,due,note\n"
    "referral-without-owner:ref-ktt-tyokokeilu,in-progress,keusote,2026-01-15,"
    "\"=HYPERLINK(\"\"http://x\"\")\"\n"
    "long-wait:ref-sosiaalityo-velkaneuvonta,new,keusote,2099-03-31,"
    "Sovitaan kevään aikana työnjako ja tarkistetaan tilanne palveluohjauksen kanssa "
    "kahden viikon välein\n")

FI_HEADINGS = ["organisaatio", "vakavuus", "laji", "havainto", "kohde",
               "suunnitelman toimenpiteet", "tila", "vastuutaho", "määräaika", "myöhässä",
               "huomautus", "organisaation tunnus", "kohteen tunnus", "havainnon tunnus"]


@pytest.fixture(autouse=True)
def first_of_february(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 1 February 2026 in Finland: the follow-up due 15.1.2026 is 17 days late."""
    from polku import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 2, 1, 10, tzinfo=timezone.utc))


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """The example region, in a folder of its own name, with two follow-ups."""
    folder = tmp_path / "graphs" / "keski-uusimaa"
    shutil.copytree(EXAMPLE, folder)
    (folder / "followups.csv").write_text(FOLLOWUPS, encoding="utf-8")
    return folder


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_names_subjects_words_findings_plainly_and_keeps_the_ids_last(region, tmp_path):
    """A reviewer: the subject column held ids (`ref-ktt-tyokokeilu`), the finding was the
    command line's sentence with ids in brackets, the due date ISO text, nothing said a
    follow-up was late, and Excel showed ä and ö as garbage (no byte order mark)."""
    out = tmp_path / "a.csv"
    r = run("actions", region, "--actor", "keusote", "-o", out, "--lang", "fi")
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8's byte order mark, once
    text = data.decode("utf-8")[1:]
    assert not text.startswith("\ufeff")
    table = rows_of(text)
    assert table[0] == FI_HEADINGS
    by_key = {row[-1]: dict(zip(FI_HEADINGS, row)) for row in table[1:]}
    late = by_key["referral-without-owner:ref-ktt-tyokokeilu"]
    # a referral by its two ends, its id in its own column at the end
    assert late["kohde"] == "ohjaus Kuntouttava työtoiminta → Työkokeilu"
    assert late["kohteen tunnus"] == "ref-ktt-tyokokeilu"
    assert late["organisaatio"] == "Keski-Uudenmaan hyvinvointialue (Keusote)"
    assert late["organisaation tunnus"] == "keusote"
    # the report's wording: names only, no ids in brackets
    assert late["havainto"] == ("Ohjaukselta Kuntouttava työtoiminta → Työkokeilu puuttuvat "
                                "vastuutaho ja päävastuu")
    for row in by_key.values():
        assert not re.search(r"\((ref-|seg-|polku-)[a-z-]+\)", row["havainto"]), row
        assert row["kohde"] != row["kohteen tunnus"] or row["kohteen tunnus"] == "keusote"
    # the date as a Finn writes it; the late one says so, the one due later does not
    assert (late["määräaika"], late["myöhässä"], late["tila"]) == (
        "15.1.2026", "17 päivää myöhässä", "työn alla")
    later = by_key["long-wait:ref-sosiaalityo-velkaneuvonta"]
    assert (later["määräaika"], later["myöhässä"]) == ("31.3.2099", "")
    # a note typed as a formula stays text in the spreadsheet
    assert late["huomautus"] == "'=HYPERLINK(\"http://x\")"
    # printed, the same text without the file's byte order mark: a pipe (csv, cut) would
    # read it into the first column's name
    printed = run("actions", region, "--actor", "keusote", "--lang", "fi").stdout
    assert printed == text and not printed.startswith("\ufeff")
    raci = run("raci", region, "--format", "csv", "--lang", "fi").stdout
    assert raci.startswith("tunnus,") and not raci.startswith("\ufeff")
    # in Swedish: the Swedish headings and date, the late follow-up counted in days
    sv = rows_of(run("actions", region, "--actor", "keusote", "--lang", "sv",
                     "--format", "csv").stdout.lstrip("\ufeff"))
    sv_late = dict(zip(sv[0], next(r for r in sv if r[-1] == late["havainnon tunnus"])))
    assert sv_late["senast"] == "15.1.2026" and sv_late["försenad"] == "17 dagar försenad"
    assert sv_late["föremål"].startswith("hänvisning ") and "→" in sv_late["föremål"]


def test_every_door_gives_the_same_csv_with_its_byte_order_mark(region, tmp_path):
    """The command's file, the API's download and the report's link are one CSV: the same
    rows, the same byte order mark (only the report's link had one)."""
    out = tmp_path / "a.csv"
    assert run("actions", region, "-o", out, "--lang", "fi").exit_code == 0
    cli = out.read_text(encoding="utf-8")
    client = TestClient(create_app([region.parent]), raise_server_exceptions=False)
    api = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "csv", "lang": "fi"})
    assert api.status_code == 200 and api.content.startswith(b"\xef\xbb\xbf")
    assert api.content.decode("utf-8") == cli
    mine = client.get("/api/graphs/keski-uusimaa/actions",
                      params={"format": "csv", "lang": "fi", "actor": "keusote"})
    # printed, the same rows without the file's mark (test above)
    assert mine.content.decode("utf-8") == "\ufeff" + run(
        "actions", region, "--actor", "keusote", "--lang", "fi").stdout
    report = tmp_path / "r.html"
    assert run("report", region, "-o", report, "-q", "--lang", "fi").exit_code == 0
    href = re.search(r'download="keski-uusimaa-actions.csv" href="data:text/csv;charset=utf-8,'
                     r'([^"]+)"', report.read_text(encoding="utf-8")).group(1)
    assert unquote(html.unescape(href)) == cli


def test_the_xlsx_reads_as_a_spreadsheet(region, tmp_path):
    """Dates are date cells written d.m.yyyy, a late follow-up stands out, the findings wrap
    in their column (a 60-wide column without wrap was cut off by the next), the header row
    is frozen and filtered; the same from the API."""
    import openpyxl

    out = tmp_path / "a.xlsx"
    r = run("actions", region, "--actor", "keusote", "-o", out, "--lang", "sv")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    heads = [c.value for c in ws[1]]
    assert heads[:5] == ["organisation", "allvarlighet", "typ", "iakttagelse", "föremål"]
    assert heads[-3:] == ["organisationens id", "föremålets id", "iakttagelsens nyckel"]
    col = {h: i for i, h in enumerate(heads)}
    rows = {row[-1].value: row for row in ws.iter_rows(min_row=2)}
    late = rows["referral-without-owner:ref-ktt-tyokokeilu"]
    due = late[col["senast"]]
    assert due.is_date and due.value.date().isoformat() == "2026-01-15"
    assert due.number_format == "d.m.yyyy"
    assert late[col["försenad"]].value == "17 dagar försenad"
    assert late[col["försenad"]].fill.fgColor.rgb.endswith("FFEBE9")
    assert rows["long-wait:ref-sosiaalityo-velkaneuvonta"][col["försenad"]].value is None
    assert late[col["föremål"]].value.startswith("hänvisning ")
    assert late[col["föremålets id"]].value == "ref-ktt-tyokokeilu"
    assert "(ref-ktt-tyokokeilu)" not in late[col["iakttagelse"]].value
    # a note typed as a formula is text, never run
    note = late[col["anteckning"]]
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK")
    # long texts wrap at a width a screen shows; short columns are narrow
    letter = openpyxl.utils.get_column_letter
    finding = letter(col["iakttagelse"] + 1)
    assert late[col["iakttagelse"]].alignment.wrap_text
    assert 40 <= ws.column_dimensions[finding].width <= 60
    assert ws.column_dimensions[letter(col["allvarlighet"] + 1)].width < 25
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{letter(len(heads))}{ws.max_row}"
    # Finnish dates the same way; from the API too
    client = TestClient(create_app([region.parent]), raise_server_exceptions=False)
    got = client.get("/api/graphs/keski-uusimaa/actions",
                     params={"format": "xlsx", "lang": "fi", "actor": "keusote"})
    assert got.status_code == 200
    api = openpyxl.load_workbook(io.BytesIO(got.content)).active
    assert [c.value for c in api[1]] == FI_HEADINGS
    cells = {row[-1].value: row for row in api.iter_rows(min_row=2)}
    fi_due = cells["referral-without-owner:ref-ktt-tyokokeilu"][FI_HEADINGS.index("määräaika")]
    assert fi_due.is_date and fi_due.number_format == "d.m.yyyy"


def test_the_json_keeps_codes_and_iso_dates_beside_the_words(region):
    """Programs read the JSON: the due date stays YYYY-MM-DD, overdue is true or false, the
    subject's id beside its name; the sentence keeps the command line's ids."""
    import json

    doc = json.loads(run("actions", region, "--actor", "keusote", "--format", "json",
                         "--lang", "fi").stdout)
    late = next(a for a in doc["actions"] if a["key"] == "referral-without-owner:ref-ktt-tyokokeilu")
    assert (late["due"], late["overdue"], late["overdue_name"]) == (
        "2026-01-15", True, "17 päivää myöhässä")
    assert (late["subject"], late["subject_name"]) == (
        "ref-ktt-tyokokeilu", "ohjaus Kuntouttava työtoiminta → Työkokeilu")
    assert "ref-ktt-tyokokeilu" in late["message"]
    assert not any(a["overdue"] for a in doc["actions"] if a is not late)
