"""What a newcomer's workbook is told, through the real CLI and reader: a graph named after
a file or folder gets a valid id, rows are numbered as a spreadsheet shows them, a renamed
sheet is said first, a list written with commas gets a hint about ';', a byte that is not
UTF-8 is placed in its cell, and an output name is refused naming every ending it may have."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
import rdflib

from helpers import EXAMPLE, as_xlsx, edit, run
from polku.io import rdf, workbook

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")


def problems(stderr: str, prefix: str) -> list[str]:
    """The error lines, each without its file (``prefix`` and the comma after it)."""
    return [line.split(prefix, 1)[1] for line in stderr.splitlines()
            if line.startswith("error:")]


# -- 1. a graph named after its file or folder --------------------------------------------

def test_a_folder_named_in_words_becomes_a_graph_id_and_reads_back(mini: Path,
                                                                   tmp_path: Path) -> None:
    """'Oma Alue' (no graph sheet) is the graph oma-alue, titled 'Oma Alue': its IRIs hold
    no %20, and export → import round trips (the export's graph sheet says id oma-alue)."""
    folder = tmp_path / "x" / "Oma Alue"
    shutil.copytree(mini, folder)
    assert not (folder / "graph.csv").exists()
    out = tmp_path / "n.ttl"
    assert run("import", folder, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "/id/oma-alue/" in text and "%20" not in text
    g = rdf.read_turtle(out)
    assert (g.graph["name"], g.graph["title"]) == ("oma-alue", "Oma Alue")
    assert run("validate", out).exit_code == 0
    assert run("export", out, "--to", "workbook", "-o", tmp_path / "n-wb").exit_code == 0
    sheet = list(csv.DictReader(open(tmp_path / "n-wb" / "graph.csv", encoding="utf-8")))
    assert (sheet[0]["id"], sheet[0]["title"]) == ("oma-alue", "Oma Alue")
    r = run("import", tmp_path / "n-wb", "-o", tmp_path / "n2.ttl")
    assert r.exit_code == 0, r.output
    # a folder named as an id keeps its name, and gains no title
    g = workbook.read_workbook(mini)
    assert g.graph["name"] == "mini" and "title" not in g.graph


def test_an_xlsx_named_in_words_and_a_turtle_file_without_a_graph_get_ids(
        mini: Path, tmp_path: Path) -> None:
    book = as_xlsx(mini, tmp_path / "Alue 2026 (v2).xlsx")
    assert "graph" not in openpyxl.load_workbook(book).sheetnames
    out = tmp_path / "a.ttl"
    assert run("import", book, "-o", out).exit_code == 0
    g = rdf.read_turtle(out)
    assert (g.graph["name"], g.graph["title"]) == ("alue-2026-v2", "Alue 2026 (v2)")
    # an RDF file that names no polku:Graph is named after its file, made an id alike
    data = rdflib.Graph().parse(out)
    for s in list(data.subjects(rdflib.RDF.type, rdflib.URIRef(rdf.GRAPH_CLASS))):
        data.remove((s, None, None))
    bare = tmp_path / "Östra Nyland.ttl"
    data.serialize(bare, format="turtle")
    g = rdf.read_turtle(bare)
    assert (g.graph["name"], g.graph["title"]) == ("ostra-nyland", "Östra Nyland")
    # a graph sheet names the graph: the file's name is then neither its id nor its title
    shutil.copy(tmp_path / "a.ttl", tmp_path / "Toinen Nimi.ttl")
    assert rdf.read_turtle(tmp_path / "Toinen Nimi.ttl").graph["name"] == "alue-2026-v2"


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_name_option_that_is_no_id_is_refused_naming_the_option(
        command: str, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "n.ttl"
    sources = [mini] if command == "import" else [mini, tmp_path / "other"]
    if command == "merge":
        shutil.copytree(mini, tmp_path / "other")
    r = run(command, *sources, "-o", out, "--name", "Oma Alue")
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        "error: --name: 'Oma Alue' is not a valid graph id (only the letters a–z without å, "
        "ä and ö, digits, '-' and '_', starting with a letter or digit): write, for example, "
        "'oma-alue'")
    assert not out.exists()
    r = run(command, *sources, "-o", out, "--name", "Oma Alue", "--lang", "fi")
    assert r.exit_code == 1 and "--name: 'Oma Alue' ei kelpaa aineiston tunnukseksi" in r.stderr
    assert "is not a valid" not in r.stderr


def test_a_graph_sheet_id_that_is_no_id_is_located(mini: Path, tmp_path: Path) -> None:
    (mini / "graph.csv").write_text("id,title\nOma Alue,Oma alue\n", encoding="utf-8")
    r = run("import", mini, "-o", tmp_path / "n.ttl")
    assert r.exit_code == 1
    assert "graph.csv, sheet 'graph', row 2, column 'id': 'Oma Alue' is not a valid id" \
        in r.stderr


def test_an_id_with_a_finnish_letter_is_refused_once_offering_the_id_it_could_be(
        tmp_path: Path) -> None:
    """ä and ö are lower-case letters, so the reason names the letters a–z and offers the
    id the name makes ('järjestö-ä' → 'jarjesto-a'); an id refused where it is defined is
    said there, once, and none of its uses says it again as an unknown id (as the ids of a
    sheet that could not be read): a referral's owner, a responsibility's actor."""
    book = tmp_path / "ku"
    shutil.copytree(EXAMPLE, book)

    def add(sheet: str, line: str) -> None:
        with open(book / f"{sheet}.csv", "a", encoding="utf-8") as f:
            f.write(line + "\n")

    add("actors", "järjestö-ä,Järjestö Ä ry,,Organisation Ä,third-sector,,Keski-Uusimaa,,")
    add("services", "kohtaamispaikka-ö,Kohtaamispaikka Ö,,Meeting place Ö,järjestö-ä,20,"
        "kyllä,,,,,,,")
    add("referrals", "ref-päihde-kohtaamis,paihdepalvelut,kohtaamispaikka-ö,,5,,järjestö-ä,yes")
    add("referrals", "ref-kohtaamis-kuntouttava,jarjestojen-paihdetyo,kuntouttava-tyotoiminta,,3,,"
        "järjestö-ä,unknown")
    add("responsibilities", "järjestö-ä,jarjestojen-paihdetyo,participant,")
    rule = ("is not a valid id (only the letters a–z without å, ä and ö, digits, '-' and '_', "
            "starting with a letter or digit): write, for example,")
    r = run("validate", book, "--lang", "en")
    assert r.exit_code == 1
    assert problems(r.stderr, f"{book}{os.sep}") == [
        f"actors.csv, sheet 'actors', row 36, column 'id': 'järjestö-ä' {rule} 'jarjesto-a'",
        f"services.csv, sheet 'services', row 49, column 'id': 'kohtaamispaikka-ö' {rule} "
        "'kohtaamispaikka-o'",
        f"referrals.csv, sheet 'referrals', row 118, column 'id': 'ref-päihde-kohtaamis' "
        f"{rule} 'ref-paihde-kohtaamis'"]
    assert "unknown" not in r.stderr
    fi = run("validate", book, "--lang", "fi").stderr
    assert "'järjestö-ä' ei ole kelvollinen tunnus (vain kirjaimet a–z ilman å-, ä- ja " \
        "ö-kirjaimia" in fi and "kirjoita esimerkiksi 'jarjesto-a'" in fi
    sv = run("validate", book, "--lang", "sv").stderr
    assert "'järjestö-ä' är inte ett giltigt id (bara bokstäverna a–z utan å, ä och ö" in sv \
        and "skriv till exempel 'jarjesto-a'" in sv
    assert "is not a valid" not in fi + sv and "tuntematon" not in fi
    # the id made valid where it is defined, a use still written the old way is unknown
    edit(book / "actors.csv", "järjestö-ä,", "jarjesto-a,")
    r = run("validate", book, "--lang", "en")
    assert "row 82, column 'actor': unknown actor id 'järjestö-ä' (did you mean 'jarjesto-a'?)" \
        in r.stderr


# -- 2. rows as a spreadsheet numbers them ------------------------------------------------

def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(mini: Path, tmp_path: Path) -> None:
    """A description of four lines in row 2 leaves the rows below it where they are: the
    same errors, row for row, from the CSV folder and from the same cells in an .xlsx."""
    edit(mini / "services.csv", '"Eka, toka"', '"Eka\ntoka\nkolmas\nneljäs"')
    edit(mini / "services.csv", "Kuntouttava työtoiminta,keusote;kela,20,",
         "Kuntouttava työtoiminta,keusote;kela,abc,")
    with open(mini / "services.csv", "a", encoding="utf-8") as f:
        f.write("kuntouttava,Toinen,keusote,5,,,,,,,,\n")
    r = run("validate", mini)
    assert r.exit_code == 1
    from_csv = problems(r.stderr, "services.csv, ")
    assert from_csv == [
        "sheet 'services', row 3, column 'capacity_per_month': 'abc' is not a number",
        "sheet 'services', row 4, column 'id': duplicate id 'kuntouttava' (already used in "
        "sheet 'services', row 3)"]
    book = as_xlsx(mini, tmp_path / "w.xlsx")
    r = run("validate", book)
    assert problems(r.stderr, "w.xlsx, ") == from_csv


def test_a_missing_closing_quote_is_the_row_a_spreadsheet_shows(mini: Path) -> None:
    """Below a cell of two lines in row 2, the quote that never closes opens in row 3, the
    file's line 4; the lines the message names are the file's."""
    edit(mini / "actors.csv", "wellbeing-county,,Keski-Uusimaa",
         'wellbeing-county,,"Keski-\nUusimaa"')
    edit(mini / "actors.csv", "tyokykytiimi,Työkykytiimi", 'tyokykytiimi,"Työkykytiimi')
    err = run("validate", mini).stderr
    assert "sheet 'actors', row 3: a quoted cell runs from line 4 to line 5" in err


# -- 3. a sheet renamed -------------------------------------------------------------------

@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_renamed_sheet_is_the_first_problem_said(form: str, mini: Path,
                                                   tmp_path: Path) -> None:
    """`segments` renamed `Taul1` (a spreadsheet's default name): the first problem is the
    missing sheet, once, naming the sheet that may be it; each reference follows, where it
    is; the warning about 'Taul1' still ends the list."""
    if form == "xlsx":
        assert run("export", mini, "--to", "xlsx", "-o", tmp_path / "e.xlsx").exit_code == 0
        book = openpyxl.load_workbook(tmp_path / "e.xlsx")
        book["segments"].title = "Taul1"
        source = tmp_path / "w.xlsx"
        book.save(source)
    else:
        source = mini
        (mini / "segments.csv").rename(mini / "Taul1.csv")
    r = run("validate", source)
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0].endswith(
        "sheet 'segments': the sheet 'segments' is missing, yet 3 references point to its ids "
        "(the first in sheet 'services', row 3, column 'segments'): the workbook has a sheet "
        "polku does not read, 'Taul1'; is it 'segments' renamed?"), lines[0]
    assert sum("is missing" in line for line in lines) == 1
    assert any("sheet 'referrals', row 2, column 'segments': unknown segment id 'nuoret'"
               in line for line in lines[1:])
    assert "'Taul1' is not read" in lines[-2] or "'Taul1' is not read" in lines[-1]
    fi = run("validate", source, "--lang", "fi").stderr.splitlines()[0]
    assert "taulukko 'segments' puuttuu" in fi and "'Taul1'" in fi


def test_a_sheet_a_workbook_lacks_is_not_blamed_for_a_typo(mini: Path) -> None:
    """No measures sheet, as most workbooks: a subject (a service, a referral, a segment or
    a measure) that is no id is a typo, not a missing sheet."""
    edit(mini / "responsibilities.csv", "keusote,kuntouttava,lead", "keusote,kuntoutava,lead")
    lines = run("validate", mini).stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown service, referral, segment, or measure id " \
        "'kuntoutava'" in lines[0] and "missing" not in lines[0]


# -- 4. a list written with commas --------------------------------------------------------

@pytest.mark.parametrize("written", ["keusote, kela", "keusote/kela", "keusote kela"])
def test_a_list_written_with_other_separators_is_told_about_semicolons(written: str,
                                                                      mini: Path) -> None:
    edit(mini / "services.csv", "keusote;kela", f'"{written}"')  # one cell, as typed
    r = run("validate", mini)
    assert r.exit_code == 1
    assert (f"sheet 'services', row 3, column 'providers': unknown actor id '{written}': "
            "write a list with ';' between its ids: keusote; kela") in r.stderr
    fi = run("validate", mini, "--lang", "fi").stderr
    assert "keusote; kela" in fi and "write a list" not in fi


def test_no_list_hint_where_the_parts_are_no_ids_or_the_column_takes_one(mini: Path) -> None:
    edit(mini / "services.csv", "keusote;kela", '"keusote, kelaa, kella"')
    edit(mini / "referrals.csv", "12,14,keusote,yes", "12,14,\"keusote, kela\",yes")
    err = run("validate", mini).stderr
    assert "unknown actor id 'keusote, kelaa, kella'" in err
    assert "unknown actor id 'keusote, kela'" in err
    assert "';'" not in err


# -- 5. a byte that is not UTF-8 ----------------------------------------------------------

def test_a_byte_that_is_not_utf8_is_placed_in_its_row_column_and_cell(mini: Path) -> None:
    (mini / "needs.csv").write_bytes("id,name\nty,Työkyky\n".encode("latin-1"))
    err = run("validate", mini).stderr
    # what gives UTF-8 with commas (a Finnish Excel's 'CSV UTF-8' separates by ';')
    assert ("needs.csv, sheet 'needs', row 2, column 'name': not UTF-8: byte 0xf6 at "
            "character 3 of the cell (save the file as UTF-8: in LibreOffice with the "
            "character set 'Unicode (UTF-8)' and ',' as the field delimiter; from Excel, save "
            "the workbook as .xlsx and give polku that file)") in err
    assert "offset" not in err
    # below a cell of several lines, and on a cell's second line
    (mini / "needs.csv").write_bytes('id,name,factor\nty,"Työ\nkyky",x\nta,"Ta\nlo",Vä\n'
                                     .encode("latin-1"))
    assert "row 2, column 'name': not UTF-8: byte 0xf6 at character 3" in \
        run("validate", mini).stderr
    (mini / "needs.csv").write_bytes('id,name,factor\nty,"Ty\nkyky",x\nta,"Ta\nlo",Vä\n'
                                     .encode("latin-1"))
    assert "row 3, column 'factor': not UTF-8: byte 0xe4 at character 2" in \
        run("validate", mini).stderr
    (mini / "needs.csv").write_bytes('id,name,määrä\nty,Ty,1\n'.encode("latin-1"))
    assert "row 1: not UTF-8: byte 0xe4 in column 3, at character 2 of the cell" in \
        run("validate", mini).stderr


# -- 6. an output name --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["x.xlsx", "x", "x.gexf"])
def test_an_import_output_name_is_told_every_ending_import_writes(name: str, mini: Path,
                                                                  tmp_path: Path) -> None:
    r = run("import", mini, "-o", tmp_path / name)
    assert r.exit_code == 1
    assert r.stderr.strip().endswith(
        "the graph is written as Turtle or JSON-LD: give the output a name ending in .ttl, "
        ".turtle, .jsonld, or .json")
    assert not (tmp_path / name).exists()


# -- 7. the README's sample ---------------------------------------------------------------

@pytest.mark.parametrize("lang,word", [("fi", "virhe"), ("en", "error")])
def test_the_readmes_sample_errors_are_what_polku_prints(lang: str, word: str, mini: Path,
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The Workbook section's `polku validate my-region` lines, in Finnish and English, are
    the lines polku prints for the three mistakes they show."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = [line for line in readme.splitlines() if line.startswith(f"{word}: my-region/")]
    assert len(shown) == 3
    region = tmp_path / "my-region"
    mini.rename(region)
    edit(region / "services.csv", ",20,", ",20x,")
    edit(region / "services.csv", "keusote;kela", "keusote;kelaa")
    edit(region / "responsibilities.csv", "keusote,kuntouttava,lead", "keusote,kuntouttava,boss")
    monkeypatch.chdir(tmp_path)
    r = run("validate", "my-region", "--lang", lang)
    assert r.stderr.splitlines() == shown
