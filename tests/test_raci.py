"""The RACI matrix (polku.analyses.raci, polku.present.raci_output) through the real command, in every format,
and its page in Chromium: sortable, filterable, usable from the keyboard."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ecobuild import Builder
from helpers import ARTIFACTS, PLAN, run
from polku.analyses.findings import find
from polku.present.i18n import translator
from polku.analyses.raci import ROLE_LABELS, raci
from polku.present.raci_output import role_label


def small(tmp_path: Path) -> Path:
    """Two actors; a service led by both (several leads), a shared service with no lead, a
    referral owned by y, a segment nobody leads, a measure with a role text."""
    b = Builder("raci").chain().actor("y", "Yhdistys")
    b.service("b", providers=["x", "y"])                       # no-lead
    b.service("a", providers=["x"], entry=True)
    b.role("x", "a", "lead").role("y", "a", "lead")            # multiple-leads
    b.referral("r-ab", "a", "b", owner="y", info="yes")        # owner = lead of the hand-off
    b.segment("seg2", entries=["a"])
    b.role("y", "seg2", "consulted")                           # segment-without-lead
    b.measure("m", leads=["x"], participants=["y"], name="Yhteinen malli")
    b.g.edges["y", "m", "responsibility:participant"]["note"] = "vastaa toimista sote-palveluja koskien"
    b.role("y", "b", "informed")
    return b.workbook(tmp_path / "raci")


def test_json_has_the_exact_shape_and_the_owner_leads(tmp_path):
    r = run("raci", small(tmp_path), "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert list(doc) == ["actors", "subjects", "cells"]
    assert doc["actors"] == ["x", "y"]
    # segments, services, referrals, measures; each by id
    assert doc["subjects"] == ["seg", "seg2", "a", "b", "r-ab", "r-bw", "m"]
    assert all(list(c) == ["actor", "subject", "role"] for c in doc["cells"])
    assert {c["role"] for c in doc["cells"]} <= {"lead", "participant", "consulted", "informed"}
    cells = {(c["actor"], c["subject"]): c["role"] for c in doc["cells"]}
    assert cells[("y", "r-ab")] == "lead"             # the referral's owner
    assert cells[("x", "a")] == cells[("y", "a")] == "lead"
    assert cells[("y", "seg2")] == "consulted" and cells[("y", "m")] == "participant"
    r = run("raci", small(tmp_path), "--format", "json", "--subjects", "services")
    assert json.loads(r.output)["subjects"] == ["a", "b"]
    r = run("raci", small(tmp_path), "--format", "json", "--subjects", "referrals")
    assert json.loads(r.output)["subjects"] == ["r-ab", "r-bw"]


def test_marks_come_from_the_findings(tmp_path):
    from polku.io.load import load_graph

    g = load_graph(small(tmp_path))
    m = raci(g, find(g))
    marks = {r.subject: r.mark for r in m.rows}
    assert marks == {"seg": None, "seg2": "no-lead", "a": "several-leads", "b": "no-lead",
                     "r-ab": None, "r-bw": None, "m": None}
    assert m.marked() == {"no-lead": 2, "several-leads": 1, "deferred": 0}
    # the same counts with no findings given: nothing is marked (no definition of its own)
    assert raci(g, []).marked() == {"no-lead": 0, "several-leads": 0, "deferred": 0}


def test_table_and_csv(tmp_path):
    wb = small(tmp_path)
    r = run("raci", wb)
    assert r.exit_code == 0, r.output
    assert "P = päävastuu" in r.output and "⚠ päävastuu puuttuu" in r.output
    assert "2 × päävastuu puuttuu; 1 × useita päävastuullisia" in r.output
    r = run("raci", wb, "--format", "csv")
    assert not r.output.startswith("\ufeff")  # printed: text for a pipe
    out = tmp_path / "raci.csv"
    assert run("raci", wb, "--format", "csv", "-o", out).exit_code == 0
    # a spreadsheet reads the file as UTF-8 by its mark (printed, a line end follows)
    assert out.read_text(encoding="utf-8").rstrip("\n") == "\ufeff" + r.output.rstrip("\n")
    rows = list(csv.reader(io.StringIO(r.output)))
    # headed for people: the reader's words, the actors by name (the ids are the JSON's)
    assert rows[0] == ["tunnus", "nimi", "tyyppi", "merkintä", "X", "Yhdistys", "huomautukset"]
    by = {row[0]: row for row in rows[1:] if row}
    assert by["a"][3] == "useita päävastuullisia" and by["a"][4:6] == ["päävastuu", "päävastuu"]
    assert by["m"][4:6] == ["päävastuu", "osallistuja"]
    assert by["m"][6] == "Yhdistys: vastaa toimista sote-palveluja koskien"
    assert by["r-ab"][1] == "A → B" and by["r-ab"][5] == "päävastuu"
    out = tmp_path / "raci.csv"
    r = run("raci", wb, "--format", "csv", "-o", out)
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").splitlines()[0].startswith(
        "\ufefftunnus,nimi,")


def test_table_heads_columns_rows_and_itself_by_name(tmp_path):
    """The terminal table is read by people: organisations and subjects by their names, the
    graph by its title (the ids are in csv and json)."""
    wb = small(tmp_path)
    graph_csv = wb / "graph.csv"
    graph_csv.write_text("id,title,region,illustrative,source\nraci,Pieni alue,,,\n",
                         encoding="utf-8")
    r = run("raci", wb)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("RACI Pieni alue: 7 kohdetta, 2 toimijaa")
    assert lines[2].split() == ["kohde", "X", "Yhdistys", "merkintä"]
    names = [line.split("  ")[0] for line in lines[3:10]]
    assert "Yhteinen malli" in names and "A → B" in names and "m" not in names


def test_xlsx_a_leader_can_forward(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "raci.xlsx"
    r = run("raci", small(tmp_path), "--format", "xlsx", "-o", out)
    assert r.exit_code == 0, r.output
    book = load_workbook(out)
    assert book.sheetnames == ["RACI", "Selite"]
    ws = book["RACI"]
    assert [c.value for c in ws[1]][:4] == ["tunnus", "nimi", "tyyppi", "merkintä"]
    assert [c.value for c in ws[2]][4:] == ["x", "y"]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=3)}
    assert rows["b"][3].value == "päävastuu puuttuu"
    note = rows["m"][5]
    assert note.value == "osallistuja" and "sote-palveluja" in note.comment.text
    assert ws.freeze_panes == "E3"
    legend = [row[0].value for row in book["Selite"].iter_rows()]
    assert {"päävastuu", "osallistuja", "kuultava", "tiedotettava"} <= set(legend)
    assert {role_label(r, translator("fi")) for r in ROLE_LABELS} <= set(legend)
    # no -o: a clear error, nothing printed as binary
    r = run("raci", small(tmp_path), "--format", "xlsx")
    assert r.exit_code == 1 and "-o" in r.output
    # atomic: an existing file is replaced only by a whole workbook
    r = run("raci", small(tmp_path), "--format", "xlsx", "-o", out)
    assert r.exit_code == 0 and load_workbook(out).sheetnames == ["RACI", "Selite"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.mark.usefixtures("english_cli")  # reads the English source texts
def test_bad_choices_are_named(tmp_path):
    wb = small(tmp_path)
    r = run("raci", wb, "--subjects", "people")
    assert r.exit_code == 1
    assert "unknown subjects 'people' (use segments, services, referrals, measures, all)" in r.output
    r = run("raci", wb, "--format", "pdf")
    assert r.exit_code == 1 and "unknown format 'pdf'" in r.output


def test_plan_notes_and_deferred_marks():
    r = run("raci", PLAN, "--format", "csv", "--subjects", "measures")
    rows = {row[0]: row for row in csv.reader(io.StringIO(r.output)) if row}
    assert rows["measure-1-1"][3] == "vastuunjako sopimatta"
    assert rows["measure-1-1"][4:7] == ["päävastuu", "osallistuja", "päävastuu"]
    assert "kontaktointivastuut" in rows["measure-1-1"][7]


def test_html_page_is_self_contained_sortable_filterable_and_keyboard_usable(tmp_path, file_page):
    out = tmp_path / "raci.html"
    r = run("raci", small(tmp_path), "--format", "html", "-o", out)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "<html lang=\"fi\">" in html and "default-src 'none'" in html
    assert "http://" not in html and "https://" not in html
    page = file_page
    page.goto(out.as_uri())
    rows = lambda: page.eval_on_selector_all(  # noqa: E731
        "tbody tr:not([hidden]) th.subject code", "els => els.map(e => e.textContent)")
    assert rows() == ["seg", "seg2", "a", "b", "r-ab", "r-bw", "m"]
    assert "näytetään 7 / 7" in page.inner_text(".raci-status")
    # keyboard: tab to the search box, type, the rows filter
    page.keyboard.press("Tab")
    page.keyboard.type("seg")
    assert rows() == ["seg", "seg2"]
    page.fill(".raci-q", "")
    page.check(".raci-marked")
    assert rows() == ["seg2", "a", "b"]
    page.uncheck(".raci-marked")
    page.select_option(".raci-actor", label="Yhdistys")
    assert rows() == ["seg2", "a", "b", "r-ab", "m"]
    page.select_option(".raci-actor", value="")
    page.select_option(".raci-type", value="referral")
    assert rows() == ["r-ab", "r-bw"]
    page.select_option(".raci-type", value="")
    # sort by actor y with the keyboard: leads first, then participant, consulted, informed
    # (the columns run by involvement, as on the served page: y's is found by its name)
    col = int(page.get_attribute("thead button[title^='Yhdistys']", "data-col"))
    page.focus(f"thead button[data-col='{col}']")
    page.keyboard.press("Enter")
    assert page.get_attribute(f"thead th:nth-child({col + 1})", "aria-sort") == "ascending"
    assert rows()[:5] == ["a", "r-ab", "m", "seg2", "b"]
    page.keyboard.press("Enter")
    assert page.get_attribute(f"thead th:nth-child({col + 1})", "aria-sort") == "descending"
    # the role text opens from the keyboard
    page.focus("tr:has(code:text-is('m')) summary")
    page.keyboard.press("Enter")
    assert page.is_visible("text=vastaa toimista sote-palveluja koskien")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "raci.png"), full_page=True)


def test_report_has_the_raci_section_and_who_must_act(tmp_path):
    wb = small(tmp_path)
    md = tmp_path / "r.md"
    assert run("report", wb, "-o", md, "-q").exit_code == 0
    assert "## Kenen on toimittava" in md.read_text(encoding="utf-8")   # Finnish by default
    assert run("report", wb, "-o", md, "-q", "--lang", "en").exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert "## Who must act" in text and "## Responsibility matrix (RACI)" in text
    assert "### Yhdistys (`y`)" in text
    # the segment nobody leads is listed apart: no organisation's list would show it
    nobody = text.split("### Nobody is accountable")[1].split("##")[0]
    assert "client segment without a lead: **Seg2** (`seg2`)" in nobody


def test_report_page_has_the_raci_table_and_who_must_act(tmp_path, file_page):
    wb = small(tmp_path)
    html_out = tmp_path / "r.html"
    assert run("report", wb, "-o", html_out, "-q").exit_code == 0
    file_page.goto(html_out.as_uri())
    assert file_page.is_visible("#raci table")
    assert file_page.inner_text("#raci .raci-summary").startswith("7 kohdetta, 2 toimijaa")
    file_page.fill("#raci .raci-q", "r-")
    assert file_page.inner_text("#raci .raci-status") == "näytetään 2 / 7"
    assert "Yhdistys" in file_page.inner_text("#actions")


def test_the_responsibility_views_tooltips_name_referrals_by_their_ends() -> None:
    """A referral has no name: the responsibility view (its nodes, their tooltips and the
    role edges' tooltips) and every view's referral tooltip name it by its from- and
    to-services in the reader's language, never by its id (which only the tooltip's own
    id line gives, as for every node)."""
    import re

    from helpers import EXAMPLE
    from polku.graph import nodes_of
    from polku.io.load import load_graph
    from polku.present.views import build_view

    g = load_graph(EXAMPLE)
    referrals = set(nodes_of(g, "referral"))
    an_id = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, referrals)) + r")(?![\w-])")
    for lang, id_line, word in (("fi", "tunnus: ", "ohjaus"), ("sv", "id: ", "hänvisning")):
        tr = translator(lang)
        view = build_view(g, "responsibility", lang=lang)
        subjects = {n["id"]: n for n in view.nodes if n["id"] in referrals}
        assert subjects, "the example names referrals as subjects"
        for item in view.nodes + view.edges:
            for text in (item.get("label") or "", item.get("title") or ""):
                # the findings' own sentences are the findings' (they give ids beside names)
                own = text.split("\n" + tr("Findings:"))[0]
                for line in own.splitlines():
                    assert line.startswith(id_line) or not an_id.search(line), (lang, line)
        rid = "ref-etsiva-ohjaamo"
        ends = [tr.label(g, n) for n in ("etsiva-nuorisotyo", "ohjaamo-ohjaus")]
        assert subjects[rid]["label"] == f"{ends[0]} → {ends[1]}"
        assert subjects[rid]["title"].startswith(f"{tr('Referral')}: {ends[0]} → {ends[1]}\n")
        edge = next(e for e in view.edges if e["to"] == rid)
        assert f"{word} {ends[0]} → {ends[1]}" in edge["title"], edge["title"]
        # the ecosystem's referral edges say the same
        eco = build_view(g, "ecosystem", lang=lang)
        tip = next(e["title"] for e in eco.edges if e.get("rid") == rid)
        assert tip.startswith(f"{tr('Referral')}: {ends[0]} → {ends[1]}\n{id_line}{rid}\n")


def test_the_format_comes_from_the_output_name(tmp_path):
    """-o r.xlsx writes the workbook and -o r.csv the CSV without --format; a --format that
    another suffix names is refused, naming -o and --format in the reader's language."""
    from openpyxl import load_workbook

    wb = small(tmp_path)
    r = run("raci", wb, "-o", tmp_path / "r.xlsx")
    assert r.exit_code == 0, r.output
    assert load_workbook(tmp_path / "r.xlsx").sheetnames == ["RACI", "Selite"]
    r = run("raci", wb, "-o", tmp_path / "r.csv")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("\ufefftunnus,")
    for fmt, name, lang, said in (
            ("csv", "x.xlsx", "fi", "-o:n pääte .xlsx tarkoittaa muotoa xlsx, mutta --format on "
                                   "csv"),
            ("xlsx", "x.csv", "sv", "-o:s ändelse .csv anger formatet csv, men --format är "
                                   "xlsx"),
            ("csv", "x.xlsx", "en", "-o's suffix .xlsx says xlsx but --format says csv: end the "
                                   "name in .csv or leave --format out")):
        r = run("raci", wb, "--format", fmt, "-o", tmp_path / name, "--lang", lang)
        assert r.exit_code == 1
        assert f"{tmp_path / name}: {said}" in " ".join(r.output.split())
        assert not (tmp_path / name).exists()


def test_markdown_report_orders_the_matrix_columns_as_the_html_report(tmp_path):
    """The markdown report's RACI table has its columns in the order the HTML report and
    the web page give them (the principal organisations first, then by involvement), not
    in the order of the actors' ids (which put HUS first and the county in the middle)."""
    import re

    from helpers import EXAMPLE, run

    md, page = tmp_path / "r.md", tmp_path / "r.html"
    assert run("report", EXAMPLE, "-o", md, "--lang", "fi").exit_code == 0
    assert run("report", EXAMPLE, "-o", page, "--lang", "fi").exit_code == 0
    text = md.read_text(encoding="utf-8").split("## Vastuumatriisi (RACI)")[1]
    head = next(line for line in text.splitlines() if line.startswith("| kohde"))
    md_columns = [c.strip() for c in head.strip("|").split("|")][1:-1]
    html = page.read_text(encoding="utf-8")
    html_columns = re.findall(r'<th scope="col" aria-sort="none" data-org="[^"]*"'
                              r'(?: class="principal")?><button type="button" data-col="\d+" '
                              r'title="([^"]*) \([^"]*\)">', html)
    import html as html_lib
    assert md_columns == [html_lib.unescape(c) for c in html_columns]
    assert md_columns[0] == "Keski-Uudenmaan työllisyysalue"


def test_one_organisation_with_its_units_reads_a_narrow_matrix() -> None:
    """A reviewer: `polku raci` at a terminal printed lines of about 1,000 characters (34
    columns). `--actor keusote` keeps Keusote and its units, and the rows where one of them
    holds a role, each cell as in the whole matrix; an unknown id is refused, with a guess."""
    example = Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa.ttl"
    whole = json.loads(run("raci", example, "--format", "json").stdout)
    mine = json.loads(run("raci", example, "--format", "json", "--actor", "keusote").stdout)
    assert "keusote" in mine["actors"] and "kela" not in mine["actors"]
    assert all(a == "keusote" or a.startswith("keusote-") for a in mine["actors"])
    assert 1 < len(mine["actors"]) < len(whole["actors"])
    cells = {(c["actor"], c["subject"]): c for c in whole["cells"]}
    assert mine["cells"] and all(cells[(c["actor"], c["subject"])] == c for c in mine["cells"])
    assert set(mine["subjects"]) == {c["subject"] for c in mine["cells"]}
    text = run("raci", example, "--actor", "keusote", "--lang", "fi").stdout
    assert max(len(line) for line in text.splitlines()) < 300
    bad = run("raci", example, "--actor", "keusotee", "--lang", "en")
    assert bad.exit_code == 1 and "did you mean 'keusote'" in bad.stderr


def test_the_table_keeps_a_referrals_target_when_its_source_has_a_long_name(tmp_path):
    """A referral's row is cut from its source's name, never its '→ target': a service of
    some 200 characters and a referral from it, owned by a new actor, read as two different
    rows (both were the service's name cut at 48 characters); the CSV keeps the whole name."""
    import shutil

    from helpers import EXAMPLE

    book = tmp_path / "ku"
    shutil.copytree(EXAMPLE, book)
    long = ("Low-threshold joint meeting place and peer support for people with substance use "
            "and mental health needs, open daily without appointment, with guidance towards "
            "services, work activity and everyday life")
    assert len(long) > 190

    def add(sheet: str, line: str) -> None:
        with open(book / f"{sheet}.csv", "a", encoding="utf-8") as f:
            f.write(line + "\n")

    add("actors", "kohtaamo-ry,Kohtaamo ry,Kohtaamo rf,Kohtaamo association,third-sector,,"
        "Keski-Uusimaa,,")
    add("services", f'kohtaamispaikka,Matalan kynnyksen kohtaamispaikka,,"{long}",kohtaamo-ry,'
        "40,kyllä,,,,,,,")
    add("referrals", "ref-kohtaamis-kuntouttava,kohtaamispaikka,kuntouttava-tyotoiminta,,4,,"
        "kohtaamo-ry,yes")
    add("responsibilities", "kohtaamo-ry,kohtaamispaikka,lead,")
    r = run("raci", book, "--actor", "kohtaamo-ry", "--lang", "en")
    assert r.exit_code == 0, r.output
    rows = r.output.splitlines()[3:5]
    subjects = [row.rsplit("  ", 1)[0].rstrip() for row in rows]
    assert subjects[0] == "Low-threshold joint meeting place and peer supp…"
    assert subjects[1].endswith("… → Rehabilitative work activity"), subjects
    assert subjects[1].startswith("Low-threshold")
    assert all(len(s) <= 48 for s in subjects) and all(row.endswith("L") for row in rows)
    csv_rows = list(csv.reader(io.StringIO(run("raci", book, "--actor", "kohtaamo-ry",
                                               "--lang", "en", "--format", "csv").output)))
    assert csv_rows[2][1] == f"{long} → Rehabilitative work activity"


def test_the_table_gives_a_referrals_target_what_a_short_source_leaves(tmp_path):
    """A referral's row uses the cell's whole width: a short source's name leaves the rest
    to the target (it was cut at 48 − 3 − 12 = 33 characters whatever the source's length,
    `Kela → Ammatillinen kuntoutusselvitys j…` in a 48-character cell); a long source is cut
    for a short target, and of two long names the source keeps 12 characters."""
    short, long = "Kela", "Ammatillinen kuntoutusselvitys ja työkokeilu yhdessä työpaikan kanssa"
    other = "Matalan kynnyksen kohtaamispaikka ja vertaistuki"
    b = Builder("cells").actor("x", "Omistaja")
    b.service("lyhyt", providers=["x"], name=short, entry=True)
    b.service("pitka", providers=["x"], name=long)
    b.service("toinen", providers=["x"], name=other)
    b.service("loppu", providers=["x"], name="Työ")
    b.referral("r1", "lyhyt", "pitka", owner="x")    # short source, long target
    b.referral("r2", "toinen", "loppu", owner="x")   # long source, short target
    b.referral("r3", "toinen", "pitka", owner="x")   # both long
    r = run("raci", b.workbook(tmp_path / "cells"), "--format", "table")
    assert r.exit_code == 0, r.output
    cells = [line[:48].rstrip() for line in r.output.splitlines()
             if " → " in line[:48]]
    assert cells == [
        "Kela → Ammatillinen kuntoutusselvitys ja työkok…",
        "Matalan kynnyksen kohtaamispaikka ja vert… → Työ",
        "Matalan kyn… → Ammatillinen kuntoutusselvitys j…",
    ], cells
    assert all(len(c) == 48 for c in cells)
