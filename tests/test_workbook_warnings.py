"""A misspelt column or sheet name no longer passes without a word: an unknown column whose
name is close to a known one is kept as an extra column (the contract) and warned about, a
file or sheet polku does not read is warned about, with a "did you mean" where one is
close; through the loader's data, the real CLI (validate in fi and en, its exit codes,
other commands on stderr) and the real HTTP app, for a CSV folder and an .xlsx alike."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from helpers import MINI, ROOT, copy_mini, edit, run
from polku.app import create_app
from polku.errors import Note
from polku.io.unknown_names import workbook_warnings
from polku.io.workbook import read_workbook, write_workbook

EXAMPLE = ROOT / "graphs" / "keski-uusimaa"


def misspelt(folder: Path) -> Path:
    """The mini workbook with ``capacity_per_month`` written ``capacity_per_mont``."""
    copy_mini(folder)
    edit(folder / "services.csv", "capacity_per_month", "capacity_per_mont")
    return folder


def test_a_misspelt_column_is_kept_and_warned_about_where_it_is(tmp_path: Path) -> None:
    w = misspelt(tmp_path / "w")
    [note] = workbook_warnings(w)
    assert isinstance(note, Note)
    assert (note.file, note.sheet, note.row, note.column) == (
        str(w / "services.csv"), "services", 1, "capacity_per_mont")
    assert note.params == {"name": "capacity_per_mont", "close": "capacity_per_month"}
    assert note.msgid == "unknown column '{name}', kept as an extra column: did you mean '{close}'?"
    assert note.close == "capacity_per_month"  # the name likely meant, as data
    # the contract holds: the column is kept as an extra property, not dropped or refused
    g = read_workbook(w)
    kept = [d["extra"]["capacity_per_mont"] for _, d in g.nodes(data=True)
            if "capacity_per_mont" in d.get("extra", {})]
    assert kept and not any("capacity_per_month" in d for _, d in g.nodes(data=True))


def test_case_spaces_language_columns_and_plain_extras(tmp_path: Path) -> None:
    w = copy_mini(tmp_path / "w")
    edit(w / "services.csv", "providers,", "Providers,")
    edit(w / "services.csv", "description,url", "Name SV,name_de,description_sv,url")
    edit(w / "actors.csv", "name_sv", "name_se")  # Swedish meant
    said = {(n.sheet, n.column): n.close for n in workbook_warnings(w)}
    assert said == {("services", "Providers"): "providers",
                    ("services", "Name SV"): "name_sv",
                    ("actors", "name_se"): "name_sv"}
    # a language of its own (name_de) and a column added on purpose (url) are no typos
    assert ("services", "name_de") not in said and ("services", "url") not in said


def test_a_sheet_polku_does_not_read_is_named(tmp_path: Path) -> None:
    w = copy_mini(tmp_path / "w")
    (w / "referrals.csv").rename(w / "referals.csv")
    shutil.copy(w / "needs.csv", w / "Ohjeet.csv")
    (w / ".services.csv.tmp").write_text("x")  # an editor's hidden file
    (w / "notes.txt").write_text("muistiinpanoja")  # not a sheet at all
    notes = workbook_warnings(w)
    assert [(n.file, n.params) for n in notes] == [
        (str(w / "Ohjeet.csv"), {"name": "Ohjeet"}),
        (str(w / "referals.csv"), {"name": "referals", "close": "referrals"})]
    # a required sheet the workbook lacks is the reader's error, with its own hint
    (w / "services.csv").rename(w / "service.csv")
    assert not any(n.params.get("name") == "service" for n in workbook_warnings(w))


def test_validate_says_the_warnings_in_the_readers_language_and_exits_0(tmp_path: Path) -> None:
    w = misspelt(tmp_path / "w")
    en = run("validate", w, "--lang", "en")
    assert en.exit_code == 0, en.output
    assert en.stdout == f"{w}: valid ({read_workbook(w).number_of_nodes()} nodes), 1 warning\n"
    assert en.stderr == (f"warning: {w}/services.csv, sheet 'services', row 1, column "
                         "'capacity_per_mont': unknown column 'capacity_per_mont', kept as an "
                         "extra column: did you mean 'capacity_per_month'?\n")
    fi = run("validate", w, "--lang", "fi")
    assert fi.exit_code == 0 and "1 varoitus" in fi.stdout
    assert fi.stderr.startswith(f"varoitus: {w}/services.csv, taulukko 'services', rivi 1, "
                                "sarake 'capacity_per_mont': tuntematon sarake "
                                "'capacity_per_mont' säilytetään lisäsarakkeena – tarkoititko "
                                "'capacity_per_month'?")
    strict = run("validate", w, "--strict", "--lang", "en")
    assert strict.exit_code == 1 and "--strict" in strict.stderr
    clean = run("validate", MINI, "--strict", "--lang", "en")
    assert clean.exit_code == 0 and clean.stderr == "" and "warning" not in clean.stdout


def test_validate_prints_the_errors_then_the_warnings_that_may_explain_them(tmp_path: Path
                                                                            ) -> None:
    w = copy_mini(tmp_path / "w")
    (w / "referrals.csv").rename(w / "referals.csv")
    # a responsibility on a referral: unknown now that its sheet is not read
    edit(w / "responsibilities.csv", "\n", "\nkeusote,r1,lead,\n")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and "'r1'" in lines[0]
    assert lines[1:] == [f"warning: {w}/referals.csv: the sheet 'referals' is not read: it is "
                         "not one of polku's sheets; did you mean 'referrals'?",
                         "note: a misspelt sheet or column (the warnings) may be the cause of "
                         "the problems above"]


def test_other_commands_say_the_warnings_once_on_stderr_before_their_output(tmp_path: Path
                                                                            ) -> None:
    w = tmp_path / "w"
    shutil.copytree(EXAMPLE, w)
    edit(w / "services.csv", "providers", "provider")
    r = run("findings", w, "--lang", "fi")
    assert r.exit_code == 0, r.output
    # the 47 services without a provider come with their cause
    assert "(service-without-provider)" in r.stdout
    assert r.stderr.count("varoitus: ") == 1 and "tarkoititko 'providers'?" in r.stderr
    assert "tarkoititko" not in r.stdout
    # diff reads two graphs: each workbook's warnings, once each
    d = run("diff", EXAMPLE, w, "--lang", "en")
    assert d.stderr.count("warning: ") == 1 and "did you mean 'providers'?" in d.stderr


def test_an_xlsx_workbook_is_warned_about_alike(tmp_path: Path) -> None:
    book_path = tmp_path / "w.xlsx"
    write_workbook(read_workbook(MINI), book_path)
    book = openpyxl.load_workbook(book_path)
    header = [c for c in book["services"][1] if c.value == "capacity_per_month"]
    header[0].value = "capacity_per_mont"
    book["referrals"].title = "referals"
    book.create_sheet("Ohjeet")
    book.save(book_path)
    said = [(n.sheet, n.column, n.params) for n in workbook_warnings(book_path)]
    assert said == [
        (None, None, {"name": "Ohjeet"}),
        (None, None, {"name": "referals", "close": "referrals"}),
        ("services", "capacity_per_mont",
         {"name": "capacity_per_mont", "close": "capacity_per_month"})]
    r = run("validate", book_path, "--lang", "en")
    # the referrals are not read: the rest is valid
    assert r.exit_code == 0 and r.stderr.count("warning: ") == 3, r.output
    assert f"warning: {book_path}, sheet 'services', row 1, column 'capacity_per_mont'" \
        in r.stderr


def test_the_server_shows_the_warnings_beside_the_graph_and_in_the_api(tmp_path: Path) -> None:
    served = tmp_path / "graphs"
    served.mkdir()
    misspelt(served / "mini")
    client = TestClient(create_app([served]), raise_server_exceptions=False)
    info = client.get("/api/graphs/mini", params={"lang": "en"}).json()
    assert info["state"] == "ok"
    [w] = info["warnings"]
    assert w["sheet"] == "services" and w["row"] == 1 and w["field"] == "capacity_per_mont"
    assert w["message"].startswith("mini/services.csv, sheet 'services'")  # never absolute
    assert str(served) not in str(info)
    fi = client.get("/api/graphs", params={"lang": "fi"}).json()
    assert "tarkoititko 'capacity_per_month'?" in fi[0]["warnings"][0]["text"]
    page = client.get("/graphs/mini", params={"lang": "fi"})
    assert page.status_code == 200 and 'id="workbook-warnings"' in page.text
    assert "Työkirjassa on nimiä, joita polku ei lue:" in page.text
    assert "tarkoititko &#39;capacity_per_month&#39;?" in page.text
    assert "capacity_per_mont" in client.get("/", params={"lang": "en"}).text
    # mended, the warning goes with the next version
    edit(served / "mini" / "services.csv", "capacity_per_mont", "capacity_per_month")
    later = time.time() + 5
    os.utime(served / "mini" / "services.csv", (later, later))
    assert client.get("/api/graphs/mini").json()["warnings"] == []
    assert 'id="workbook-warnings"' not in client.get("/graphs/mini").text


def test_the_bundled_workbooks_have_no_warnings() -> None:
    for folder in (EXAMPLE, ROOT / "graphs" / "keski-suomi", MINI, ROOT / "tests" / "data" / "full"):
        assert workbook_warnings(folder) == [], folder


def test_every_command_that_reads_a_graph_argument_says_its_workbooks_warnings():
    """The warnings are said for the graph arguments named in GRAPH_PARAMETERS: a command
    whose graph argument had another name would say none, so none may."""
    import inspect

    import typer
    from typer.models import ArgumentInfo, OptionInfo

    from polku.cli import app
    from polku.cli.problems import GRAPH_PARAMETERS

    def commands(t: typer.Typer):
        for c in t.registered_commands:
            yield c.callback
        for group in t.registered_groups:
            yield from commands(group.typer_instance)

    graphish = {"GRAPH", "GRAPH...", "WORKBOOK", "A", "B"}
    checked = 0
    for callback in commands(app):
        for name, p in inspect.signature(callback).parameters.items():
            info = p.default
            if isinstance(info, ArgumentInfo) and info.metavar in graphish or \
                    isinstance(info, OptionInfo) and info.metavar in graphish:
                checked += 1
                assert name in GRAPH_PARAMETERS, (callback.__name__, name)
    assert checked > 20


def test_a_column_like_a_count_of_people_is_refused_not_kept_and_published(tmp_path: Path
                                                                          ) -> None:
    """Kept as an extra column, a misspelt 'Size' or 'Volume per month' was published to
    the public as it stood (small figures included: the rows, the JSON-LD export): a column
    that looks like a count of people is refused, naming it and the name to use."""
    folder = copy_mini(tmp_path / "graphs" / "mini")
    edit(folder / "referrals.csv", "volume_per_month", "Volume per month")
    r = run("validate", folder, "--lang", "en")
    assert r.exit_code == 1
    assert ("referrals.csv, sheet 'referrals', row 1, column 'Volume per month': the column "
            "'Volume per month' looks like 'volume_per_month', a count of people") in r.stderr
    assert "kept as an extra column: did you mean" not in r.stderr  # the error, no warning
    # served, the graph is refused whole: the public reads no row and no export of it
    client = TestClient(create_app([folder.parent]))
    assert client.get("/api/graphs/mini/rows/referrals").status_code >= 400
    exported = client.get("/api/graphs/mini/export", params={"format": "jsonld"})
    assert exported.status_code >= 400 and "@graph" not in exported.text
    # in .xlsx too, and a Size beside a size is no extra column either
    copy = copy_mini(tmp_path / "two")
    edit(copy / "segments.csv", "size,", "size,Size,")
    rows = (copy / "segments.csv").read_text(encoding="utf-8").splitlines()
    (copy / "segments.csv").write_text("\n".join([rows[0]] + [
        ",".join(row.split(",")[:2] + ["3"] + row.split(",")[2:]) if i else row
        for i, row in enumerate(rows[1:], start=1)]) + "\n", encoding="utf-8")
    assert "looks like 'size'" in run("validate", copy, "--lang", "en").stderr
    book = tmp_path / "mini.xlsx"
    write_workbook(read_workbook(MINI), book)
    wb = openpyxl.load_workbook(book)
    ws = wb["segments"]
    for cell in ws[1]:
        if cell.value == "size":
            cell.value = "Size"
    wb.save(book)
    assert "looks like 'size'" in run("validate", book, "--lang", "en").stderr
