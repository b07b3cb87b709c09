"""The standalone RACI page (`polku raci GRAPH -o raci.html`) is the served page's matrix
(`/graphs/NAME/raci`): the same section from the same template and context, so its columns
run as the served page's and the report's (the principal organisations first,
`raci_output.by_involvement`, not alphabetically by id) and it filters by organisation; the
CSV and the .xlsx, meant for people, are headed in the reader's language with the
organisations by name, the ids kept in the JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import ARTIFACTS, EXAMPLE, run
from polku.app import create_app


def section(page: str) -> str:
    """The matrix's section of a page (the part the two pages share)."""
    return re.search(r'<section class="raci".*?</section>', page, re.S).group(0)


def columns(page: str) -> list[str]:
    """The matrix's column heads (each actor's title: name and id), in order."""
    return re.findall(r'<button type="button" data-col="\d+" title="([^"]*)">', page)


def test_the_standalone_page_is_the_served_one(tmp_path: Path) -> None:
    """A reviewer: the page written by `polku raci -o raci.html` had no organisation filter
    and ran its columns alphabetically by id (HUS-yhtymä, HUS Psykiatria, Hyria…), while the
    served page and the report put the county and the employment area first."""
    out = tmp_path / "raci.html"
    r = run("raci", EXAMPLE, "-o", out, "--lang", "fi")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    served = client.get("/graphs/keski-uusimaa/raci", params={"lang": "fi"})
    assert served.status_code == 200
    assert section(page) == section(served.text)
    heads = columns(page)
    assert heads[0] == "Keski-Uudenmaan työllisyysalue (tyollisyysalue)"
    assert not heads[0].startswith("HUS")
    assert 'class="raci-org"' in page
    assert '<option value="keusote">Keski-Uudenmaan hyvinvointialue (Keusote)</option>' in page
    # the columns of the report are the same too
    report = tmp_path / "r.html"
    assert run("report", EXAMPLE, "-o", report, "-q", "--lang", "fi").exit_code == 0
    assert columns(report.read_text(encoding="utf-8")) == heads
    # one organisation's page: its own columns, in the same order
    mine = tmp_path / "keusote.html"
    assert run("raci", EXAMPLE, "--actor", "keusote", "-o", mine, "--lang", "sv").exit_code == 0
    own = columns(mine.read_text(encoding="utf-8"))
    assert own and all("(keusote" in h for h in own)
    assert '<html lang="sv">' in mine.read_text(encoding="utf-8")


def test_the_standalone_page_filters_by_organisation_in_chromium(tmp_path: Path,
                                                                 file_page) -> None:
    out = tmp_path / "raci.html"
    assert run("raci", EXAMPLE, "-o", out, "--lang", "fi").exit_code == 0
    page = file_page
    page.goto(out.as_uri())
    shown = lambda: page.eval_on_selector_all(  # noqa: E731
        "#raci-table thead th[data-org]", "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.getAttribute('data-org'))")
    every = shown()
    assert every[0] == "tyollisyysalue" and len(set(every)) > 5
    page.select_option(".raci-org", label="Keski-Uudenmaan hyvinvointialue (Keusote)")
    some = shown()
    assert "keusote" in some and len(some) < len(every)
    assert "näytetään" in page.inner_text(".raci-status")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "raci-standalone-keusote.png"))


def test_the_csv_is_headed_in_the_readers_language_with_names(tmp_path: Path) -> None:
    """A reviewer: the Swedish CSV's header was `subject,name,type,mark,hus,hus-psykiatria,…,
    notes`: English words and ids in a file for people. The ids stay in the JSON."""
    r = run("raci", EXAMPLE, "--format", "csv", "--lang", "sv")
    assert r.exit_code == 0, r.output
    assert not r.stdout.startswith("\ufeff")  # printed: text for a pipe (the file has it)
    rows = list(csv.reader(io.StringIO(r.stdout)))
    ids = json.loads(run("raci", EXAMPLE, "--format", "json").stdout)["actors"]
    head = rows[0]
    assert head[:4] == ["id", "namn", "typ", "markering"] and head[-1] == "anteckningar"
    assert len(head) == len(ids) + 5
    assert not set(head[4:-1]) & set(ids)  # (the id "typ" is also the Swedish "type")
    assert head[4 + ids.index("hus")] == "HUS-sammanslutningen"
    # the notes name their organisations too
    notes = [row[-1] for row in rows[1:] if row and row[-1]]
    assert notes and not any(re.match(r"[a-z-]+: ", n) for n in notes)
    out = tmp_path / "raci.csv"
    assert run("raci", EXAMPLE, "-o", out, "--lang", "fi").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufefftunnus,nimi,tyyppi,merkintä,")


def test_the_xlsx_is_headed_in_the_readers_language_with_names_and_ids(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "raci.xlsx"
    assert run("raci", EXAMPLE, "-o", out, "--lang", "sv").exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["RACI", "Teckenförklaring"]
    ws = book["RACI"]
    ids = json.loads(run("raci", EXAMPLE, "--format", "json").stdout)["actors"]
    first, second = [c.value for c in ws[1]], [c.value for c in ws[2]]
    assert first[:4] == ["id", "namn", "typ", "markering"]
    assert first[4 + ids.index("hus")] == "HUS-sammanslutningen" and second[4:] == ids


def test_the_filters_are_by_name_the_columns_by_involvement(tmp_path: Path) -> None:
    """A designer's review: the "Organisaatio" and "Toimija" filters ran in the columns'
    order (by involvement); they are pickers, by name in the reader's alphabet, on the
    served page and in the report. The columns stay by involvement, and each actor's option
    still names its column."""
    from html import unescape

    from polku.present.i18n import alphabetical

    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    report = tmp_path / "r.html"
    assert run("report", EXAMPLE, "-o", report, "-q", "--lang", "sv").exit_code == 0
    pages = {"fi": client.get("/graphs/keski-uusimaa/raci", params={"lang": "fi"}).text,
             "sv": report.read_text(encoding="utf-8")}
    for lang, page in pages.items():
        raci = section(page)
        heads = [unescape(h) for h in columns(raci)]
        assert heads[0].endswith("(tyollisyysalue)")  # the columns: by involvement
        for picker in ("raci-org", "raci-actor"):
            options = re.search(rf'<select class="{picker}"[^>]*>(.*?)</select>', raci,
                                re.S).group(1)
            named = [(v, unescape(t)) for v, t in
                     re.findall(r'<option value="([^"]+)">([^<]*)</option>', options)]
            names = [t for _, t in named]
            assert len(names) > 5, (lang, picker)
            assert names == sorted(names, key=lambda n: alphabetical(n, lang)), (lang, names)
            if picker == "raci-actor":  # each option's value is its column, its name the head's
                assert all(heads[int(v)].startswith(t + " (") for v, t in named), named
