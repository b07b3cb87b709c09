"""Whose rows the action list holds, and whose columns a filtered RACI keeps (a director of
services' findings on the example and on a copy with four contested leads and a referral
without an owner):

- a finding nobody is accountable for is in the action list, once, in a group of its own
  ("Kukaan ei vastaa", the report's words) with an empty actor, at every door and in every
  format; it left the list silently (25 rows for 29 findings, an error among the missing),
  while the report listed it under "Kukaan ei vastaa";
- ``--actor UNIT`` shows the unit's findings under its organisation, as the whole list does
  (it labelled them with the unit);
- the change log's organisation chooser offers what the graph page's filter offers (it
  listed all 34 actors: units, employers, pension insurers);
- ``polku raci --actor`` keeps the columns of every lead of a row with several leads (the
  row said "useita päävastuullisia" and hid the other claimant).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, director_workbook, run
from polku.app import create_app

#: the findings of the example nobody is accountable for (the report's "Kukaan ei vastaa")
UNOWNED = {"unmet-need:seg-terveys:tarve-tyokyvyn-arviointi",
           "segment-without-lead:seg-terveys",
           "overlapping-services:seg-terveys:tarve-tyoelamavalmiudet",
           "overlapping-services:seg-terveys:tarve-motivaatio"}
NOBODY = {"fi": "Kukaan ei vastaa", "sv": "Ingen ansvarar", "en": "Nobody is accountable"}


@pytest.fixture
def w1(tmp_path: Path) -> Path:
    """The example with three leads on IPS, Keusote's lead beside its own unit's, Kela's
    lead row on a referral HUS owns, and a referral without an owner (the director's w1)."""
    return director_workbook(EXAMPLE, tmp_path / "graphs" / "w1")


def findings(*args: object) -> list[dict]:
    r = run("findings", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["findings"]


def actions(*args: object) -> list[dict]:
    r = run("actions", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["actions"]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_findings_nobody_answers_for_are_in_the_action_list_as_their_own_group(
        tmp_path: Path) -> None:
    every = findings(EXAMPLE)
    assert {f["key"] for f in every if not f["accountable"]} == UNOWNED
    rows = actions(EXAMPLE)
    # every finding is in the list; one nobody answers for once, with an empty actor
    assert {r["key"] for r in rows} == {f["key"] for f in every}
    nobody = [r for r in rows if r["actor"] == ""]
    assert sorted(r["key"] for r in nobody) == sorted(UNOWNED)
    assert {r["actor_name"] for r in nobody} == {NOBODY["fi"]}
    error = next(r for r in nobody if r["key"].startswith("unmet-need:"))
    assert (error["severity"], error["subject"]) == ("error", "seg-terveys")
    # the organisations' rows as before: one per organisation and finding it answers for
    owned = [r for r in rows if r["actor"]]
    assert len(owned) == 25 and not {r["key"] for r in owned} & UNOWNED

    # the table: a block of its own, under the report's heading
    table = run("actions", EXAMPLE, "--format", "table").stdout
    block = table.split(f"\n\n{NOBODY['fi']} (4)\n", 1)[1].split("\n\n", 1)[0]
    assert {k for k in UNOWNED if f"tunnus: {k}" in block} == UNOWNED
    # the CSV people read (each language), the API's, the .xlsx, the report's link
    for lang, words in NOBODY.items():
        got = csv_rows(run("actions", EXAMPLE, "--format", "csv", "--lang", lang).stdout)
        heads = list(got[0])
        mine = [r for r in got if r[heads[0]] == words]
        assert sorted(r[heads[-1]] for r in mine) == sorted(UNOWNED), lang
        assert {r[heads[-3]] for r in mine} == {""}  # the organisation's id: empty
    client = TestClient(create_app([EXAMPLE.parent]), raise_server_exceptions=False)
    api = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "json"})
    assert api.status_code == 200
    assert sorted(r["key"] for r in api.json()["actions"] if r["actor"] == "") == sorted(UNOWNED)
    sheet = client.get("/api/graphs/keski-uusimaa/actions",
                       params={"format": "csv", "lang": "sv"})
    assert sum(r["organisation"] == NOBODY["sv"] for r in csv_rows(sheet.text)) == 4
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/api/graphs/keski-uusimaa/actions", params={"format": "xlsx", "lang": "en"}).content))
    cells = [[c.value for c in row] for row in book.active.iter_rows(min_row=2)]
    assert sorted(r[-1] for r in cells if r[0] == NOBODY["en"]) == sorted(UNOWNED)
    assert {r[-3] for r in cells if r[0] == NOBODY["en"]} == {None}
    report = tmp_path / "r.html"
    assert run("report", EXAMPLE, "-o", report, "-q").exit_code == 0
    page = report.read_text(encoding="utf-8")
    assert f"<b>{NOBODY['fi']}</b> — 4 havaintoa" in page
    href = re.search(r'download="keski-uusimaa-actions.csv" href="data:text/csv;charset=utf-8,'
                     r'([^"]+)"', page).group(1)
    from urllib.parse import unquote

    linked = csv_rows(unquote(html.unescape(href)))
    assert sorted(r["havainnon tunnus"] for r in linked
                  if r["organisaatio"] == NOBODY["fi"]) == sorted(UNOWNED)

    # an organisation's list holds what it answers for: nobody's findings are no one's
    for actor in ("keusote", "kela", "tyollisyysalue"):
        assert not {r["key"] for r in actions(EXAMPLE, "--actor", actor)} & UNOWNED
        got = client.get("/api/graphs/keski-uusimaa/actions",
                         params={"format": "json", "actor": actor}).json()["actions"]
        assert all(r["actor"] == actor for r in got) and (got or actor == "kela")


def test_a_units_actions_stand_under_its_organisation(w1: Path) -> None:
    whole = actions(w1)
    pairs = {(r["actor"], r["key"]) for r in whole}
    assert ("tyollisyysalue", "over-capacity:monialainen-palvelutarvearvio") in pairs
    for unit, org in (("typ", "tyollisyysalue"), ("keusote-mielenterveys", "keusote")):
        mine = actions(w1, "--actor", unit)
        # the findings the unit answers for (as `findings --actor` gives them), each under
        # its organisation: rows of the whole list
        assert {r["key"] for r in mine} == {f["key"] for f in findings(w1, "--actor", unit)}
        assert mine and {r["actor"] for r in mine} == {org}
        assert {(r["actor"], r["key"]) for r in mine} <= pairs
    named = next(r["actor_name"] for r in whole if r["actor"] == "tyollisyysalue")
    table = run("actions", w1, "--actor", "typ", "--format", "table").stdout
    assert f"\n\n{named} (1)\n" in table
    assert "Keski-Uudenmaan TYP (työllistymisen monialainen edistäminen) (" not in table
    # whose list it is, said above it
    assert "Keski-Uudenmaan TYP (työllistymisen monialainen edistäminen)" in \
        table.split("\n\n", 1)[0]
    client = TestClient(create_app([w1.parent]), raise_server_exceptions=False)
    api = client.get("/api/graphs/w1/actions", params={"format": "json", "actor": "typ"})
    assert api.status_code == 200
    assert {r["actor"] for r in api.json()["actions"]} == {"tyollisyysalue"}


def menu(page: str, pattern: str) -> list[tuple[str, str]]:
    """A select's options (value, text), the empty one left out."""
    select = re.search(pattern + r".*?</select>", page, re.S).group(0)
    return [(v, html.unescape(re.sub(r"<[^>]+>", "", t)))
            for v, t in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select) if v]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_change_logs_chooser_offers_the_organisations_that_answer_for_findings(
        lang: str) -> None:
    from polku.present.i18n import alphabetical

    client = TestClient(create_app([EXAMPLE.parent]), raise_server_exceptions=False)
    graph = client.get("/graphs/keski-uusimaa", params={"lang": lang}).text
    offered = menu(graph, r'data-facet="organisation"')
    changes = client.get("/graphs/keski-uusimaa/changes", params={"lang": lang}).text
    chosen = menu(changes, r'<select id="actor"')
    assert chosen == offered
    assert 3 < len(chosen) < 34 and "keusote-tyokykytiimi" not in dict(chosen)
    assert [t for _, t in chosen] == sorted((t for _, t in chosen),
                                            key=lambda t: alphabetical(t, lang))
    # a unit asked for in the address stays chosen (the review is of its findings)
    asked = client.get("/graphs/keski-uusimaa/changes",
                       params={"lang": lang, "since": "0", "actor": "typ"}).text
    assert re.search(r'<option value="typ" selected>', asked)


def test_a_filtered_raci_keeps_every_lead_of_a_row_with_several(w1: Path, tmp_path: Path
                                                                ) -> None:
    whole = json.loads(run("raci", w1, "--format", "json").stdout)
    leads = {}
    for c in whole["cells"]:
        if c["role"] == "lead":
            leads.setdefault(c["subject"], set()).add(c["actor"])
    assert leads["ref-mielenterveys-hus"] == {"keusote-mielenterveys", "kela"}
    assert len(leads["ips"]) == 3 and "hus" in leads["ips"]
    mine = json.loads(run("raci", w1, "--format", "json", "--actor", "keusote").stdout)
    # the other claimants' columns, with their leads on those rows
    assert {"kela", "hus"} <= set(mine["actors"])
    got = {(c["actor"], c["subject"]): c["role"] for c in mine["cells"]}
    for subject in ("ref-mielenterveys-hus", "ips"):
        assert {a for (a, s), r in got.items() if s == subject and r == "lead"} == \
            leads[subject]
    # the rows stay Keusote's; each cell as in the whole matrix
    cells = {(c["actor"], c["subject"]): c for c in whole["cells"]}
    assert all(cells[(c["actor"], c["subject"])] == c for c in mine["cells"])
    keusote = {"keusote"} | {a for a in whole["actors"] if a.startswith("keusote-")}
    assert set(mine["subjects"]) == {c["subject"] for c in whole["cells"]
                                     if c["actor"] in keusote}
    # a row with one lead adds no column
    assert "tyollisyysalue" not in mine["actors"]
    # every format shows Kela beside the row
    kela = "Kansaneläkelaitos (Kela)"
    table = run("raci", w1, "--actor", "keusote", "--subjects", "referrals").stdout
    assert "Kansaneläkelaitos" in table.splitlines()[2]
    sheet = run("raci", w1, "--actor", "keusote", "--format", "csv").stdout
    assert kela in next(csv.reader(io.StringIO(sheet)))
    page = tmp_path / "raci.html"
    assert run("raci", w1, "--actor", "keusote", "-o", page).exit_code == 0
    assert kela in page.read_text(encoding="utf-8")
    import openpyxl

    book = tmp_path / "raci.xlsx"
    assert run("raci", w1, "--actor", "keusote", "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book)["RACI"]
    assert "kela" in [c.value for c in ws[2]]
