"""Numbers in a workbook (docs/workbook.md, *Conventions*: Numbers), through the real CLI
and the real HTTP app: a count of people in a segment is whole, a `,` or `.` is a decimal
mark and never a thousands separator (so `1,200` is never silently 1.2 people), and a
whole number is whole in a CSV file as in an .xlsx (`2.0`, `"2,0"`, the number 2.0)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import edit, etag_of, run
from polku.app import create_app
from polku.io import workbook
from polku.server.auth import parse_tokens

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

ANNA = "anna-token-0123456789"


def set_size(wb: Path, text: str) -> None:
    edit(wb / "segments.csv", "nuoret,Nuoret,1200,", f'nuoret,Nuoret,"{text}",')


def set_volume(wb: Path, text: str) -> None:
    edit(wb / "referrals.csv", "nuoret,12,14", f'nuoret,"{text}",14')


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# -- 7. a count of people ----------------------------------------------------------------

@pytest.mark.parametrize("text, meant", [("1,200", "1200"), ("1.200", "1200"),
                                         ("2,500", "2500")])
def test_a_thousands_separator_in_a_segment_size_is_refused_saying_what_was_meant(
        mini: Path, text: str, meant: str) -> None:
    """`1,200` typed for twelve hundred people was 1.2 people, and a small cell: now it is
    refused where it is, saying that `,` and `.` are the decimal mark and what to write."""
    set_size(mini, text)
    r = run("validate", mini)
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert "sheet 'segments', row 2, column 'size'" in line, line
    assert (f"'{text}' is ambiguous: ',' and '.' are the decimal mark, never a thousands "
            f"separator; for {meant} write {meant} or ") in line, line
    assert "people in segments" not in run("show", mini).stdout
    said = run("validate", mini, "--lang", "fi").stderr  # in the reader's language
    assert f"'{text}' voi tarkoittaa kahta eri lukua" in said and f"kirjoita {meant} tai" in said


@pytest.mark.parametrize("text, read", [("1 200,5", "1200.5"), ("2.5", "2.5"),
                                        ("0,5", "0.5")])
def test_a_segment_size_that_is_not_whole_is_refused(mini: Path, text: str, read: str) -> None:
    """People in a segment are counted whole: a fraction is refused as `places` and `step`
    refuse one, saying how polku read it (`,` and `.` are the decimal mark)."""
    set_size(mini, text)
    r = run("validate", mini)
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert "sheet 'segments', row 2, column 'size'" in line, line
    assert (f"'{text}' is not a whole number (',' and '.' are the decimal mark: it reads "
            f"{read})") in line, line


@pytest.mark.parametrize("text", ["1200", "1 200", "1200,0", "1200.00"])
def test_a_whole_segment_size_is_read_however_it_is_written(mini: Path, text: str) -> None:
    set_size(mini, text)
    assert run("validate", mini).exit_code == 0
    size = workbook.read_workbook(mini).nodes["nuoret"]["size"]
    assert size == 1200 and type(size) is int
    assert "1,200 people in segments" in run("show", mini, "--lang", "en").stdout


def test_a_volume_keeps_its_fraction_but_not_an_ambiguous_thousand(mini: Path) -> None:
    """Clients a month are an average (the example region's 7,5): a fraction stays, but
    `1,200` is refused as a size is, offering both readings; `0,125` (no thousand starts
    with 0) and four decimals are no thousands."""
    for text, value in (("7,5", 7.5), ("1,2", 1.2), ("0,125", 0.125), ("1,2050", 1.205),
                        ("1 200", 1200), ("1 200,5", 1200.5)):
        set_volume(mini, text)
        assert run("validate", mini).exit_code == 0, text
        assert workbook.read_workbook(mini).nodes["r1"]["volume_per_month"] == value, text
        edit(mini / "referrals.csv", f'nuoret,"{text}",14', "nuoret,12,14")
    set_volume(mini, "1,200")
    r = run("validate", mini)
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert "sheet 'referrals', row 2, column 'volume_per_month'" in line, line
    assert ("'1,200' is ambiguous: ',' and '.' are the decimal mark, never a thousands "
            "separator; for 1200 write 1200 or 1 200, for 1.2 write 1,2") in line, line


def test_the_ambiguous_thousand_is_refused_in_every_column_of_figures(mini: Path) -> None:
    """A capacity or a wait is a figure like a count: `2.500` may be either; a share
    (0–1) takes `0,125` as it is."""
    edit(mini / "services.csv", '"40,5"', '"2.500"')
    edit(mini / "referrals.csv", "nuoret,12,14", 'nuoret,12,"1,500"')
    edit(mini / "segments.csv", '"0,35"', '"0,125"')
    r = run("validate", mini)
    assert r.exit_code == 1
    lines = errors(r.stderr)
    assert len(lines) == 2, lines
    assert "column 'capacity_per_month': '2.500' is ambiguous" in lines[0]
    assert "column 'median_wait_days': '1,500' is ambiguous" in lines[1]


def test_the_api_refuses_a_fractional_size_and_an_ambiguous_thousand(served: Path) -> None:
    client = TestClient(create_app([served], parse_tokens(f"anna:{ANNA}")),
                        raise_server_exceptions=False)
    before = (served / "mini" / "segments.csv").read_bytes()
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {ANNA}",
               "If-Match": etag_of(client)}
    for value, said in (("1,200", "is ambiguous"), (2.5, "is not a whole number")):
        r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": value},
                         headers=headers)
        assert r.status_code == 422 and r.json()["error"]["field"] == "size", r.text
        assert said in r.json()["error"]["message"], r.text
    assert (served / "mini" / "segments.csv").read_bytes() == before


# -- 8. one rule for a whole number in both workbook forms ------------------------------

def as_xlsx(folder: Path, book: Path, cells: dict[tuple[str, str], object]) -> Path:
    """The CSV sheets of ``folder`` as one .xlsx, each cell as text but those of ``cells``
    ((sheet, column) of the first row -> the value, a number for a number)."""
    import csv

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(sheet.stem)
        with open(sheet, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        for i, record in enumerate(rows):
            values: list[object] = list(record)
            if i == 1:
                for (name, column), value in cells.items():
                    if name == sheet.stem:
                        values[rows[0].index(column)] = value
            ws.append(values)
    wb.save(book)
    return book


@pytest.mark.parametrize("value", ["2.0", "2,0", "2,00", 2.0])
def test_a_whole_number_written_with_decimals_is_whole_in_csv_and_xlsx(
        mini: Path, tmp_path: Path, value: object) -> None:
    """`places` and `paths.step` take 2.0 and `2,0` as the whole number 2, in a CSV file as
    in an .xlsx (a typed text, or the number 2.0 a spreadsheet stores)."""
    if isinstance(value, str):
        edit(mini / "services.csv", ",3,kyllä,", f',"{value}",kyllä,')
        edit(mini / "paths.csv", "p1,nuoret,1,", f'p1,nuoret,"{value.replace("2", "1")}",')
        assert run("validate", mini).exit_code == 0, run("validate", mini).stderr
        g = workbook.read_workbook(mini)
        assert g.nodes["alkuhaastattelu"]["places"] == 2
        assert type(g.nodes["alkuhaastattelu"]["places"]) is int
    book = as_xlsx(mini, tmp_path / "wb.xlsx", {("services", "places"): value,
                                                  ("paths", "step"): 1.0})
    r = run("validate", book)
    assert r.exit_code == 0, r.stderr
    g = workbook.read_workbook(book)
    assert g.nodes["alkuhaastattelu"]["places"] == 2


@pytest.mark.parametrize("value, said", [("2.5", "'2.5' is not a whole number"),
                                         (2.5, "'2.5' is not a whole number"),
                                         ("2,5", "'2,5' is not a whole number"),
                                         ("2,000", "'2,000' is ambiguous")])
def test_a_fraction_of_a_place_is_refused_in_csv_and_xlsx_alike(
        mini: Path, tmp_path: Path, value: object, said: str) -> None:
    book = as_xlsx(mini, tmp_path / "wb.xlsx", {("services", "places"): value})
    if isinstance(value, str):
        edit(mini / "services.csv", ",3,kyllä,", f',"{value}",kyllä,')
        forms = [mini, book]
    else:
        forms = [book]
    for form in forms:
        r = run("validate", form)
        assert r.exit_code == 1, form
        [line] = errors(r.stderr)
        assert "sheet 'services', row 2, column 'places'" in line and said in line, line


@pytest.mark.parametrize("column, text, said", [
    ("size", "1,200,000", "'1,200,000' is not a number: ',' and '.' are the decimal mark, "
                          "never a thousands separator; write 1200000 or 1 200 000"),
    ("volume", "1.200,5", "'1.200,5' is not a number: ',' and '.' are the decimal mark, "
                          "never a thousands separator; write 1200,5 or 1 200,5"),
    ("volume", "1,200.5", "write 1200.5 or 1 200.5")])
def test_a_number_with_thousands_separators_is_told_how_to_write_it(
        mini: Path, column: str, text: str, said: str) -> None:
    (set_size if column == "size" else set_volume)(mini, text)
    r = run("validate", mini)
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert said in line, line


def test_a_turtle_segment_of_a_fraction_of_people_is_refused_as_the_workbook_is(
        mini: Path, tmp_path: Path) -> None:
    """The shapes say what the workbook says: a size is one whole number (a Turtle-held
    graph is edited through its sheets, which would refuse the fraction at every edit)."""
    run("import", mini, "-o", tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "polku:size 1200 ." in text
    (tmp_path / "g.ttl").write_text(text.replace("polku:size 1200 .", "polku:size 1200.5 ."),
                                    encoding="utf-8")
    r = run("validate", tmp_path / "g.ttl")
    assert r.exit_code == 1 and "must be one whole number, 0 or more" in r.output, r.output
    r = run("show", tmp_path / "g.ttl")  # the reader itself, as for places
    assert r.exit_code == 1 and "polku:size must be a whole number, 0 or more" in r.output, \
        r.output


def test_a_number_that_is_no_text_is_written_so_that_it_reads_back(
        mini: Path, tmp_path: Path, served: Path) -> None:
    """1.125 clients a month held as a number (a Turtle file's, a JSON body's) has no
    thousands separator: the sheets polku writes of it say `1.1250`, which the rules read
    as 1.125, so a graph's workbook reads back and an API edit takes the JSON number."""
    run("import", mini, "-o", tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "polku:volumePerMonth 12 ." in text
    (tmp_path / "g.ttl").write_text(text.replace("polku:volumePerMonth 12 .",
                                                 "polku:volumePerMonth 1.125 ."),
                                    encoding="utf-8")
    assert run("export", tmp_path / "g.ttl", "--to", "workbook", "-o", tmp_path / "wb").exit_code == 0
    assert "1.1250" in (tmp_path / "wb" / "referrals.csv").read_text(encoding="utf-8")
    assert workbook.read_workbook(tmp_path / "wb").nodes["r1"]["volume_per_month"] == 1.125
    client = TestClient(create_app([served], parse_tokens(f"anna:{ANNA}")),
                        raise_server_exceptions=False)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"volume_per_month": 2.125},
                     headers={"Accept-Language": "en", "Authorization": f"Bearer {ANNA}",
                              "If-Match": etag_of(client)})
    assert r.status_code == 200, r.text
    assert workbook.read_workbook(served / "mini").nodes["r1"]["volume_per_month"] == 2.125


# -- 9. a space groups the thousands, and does nothing else ------------------------------

@pytest.mark.parametrize("text, read", [("1 200", 1200), ("1\u00a0200", 1200),
                                        ("1\u202f200", 1200), ("12 345", 12345),
                                        ("1 200 000", 1200000), ("1 200,0", 1200)])
def test_spaces_that_group_the_thousands_are_read(mini: Path, text: str, read: int) -> None:
    set_size(mini, text)
    assert run("validate", mini).exit_code == 0
    assert workbook.read_workbook(mini).nodes["nuoret"]["size"] == read


@pytest.mark.parametrize("text", ["1 1 4 0", "1 2 3", "12 00", "1 2000", "1 200 00",
                                  "1200 000", "1\u00a01\u00a04\u00a00", "1 200, 5",
                                  "0, 5", "1 2,5"])
def test_a_space_that_groups_no_thousands_is_refused(mini: Path, text: str) -> None:
    """`1 1 4 0` read 1140 and `1 2 3` read 123: spaces were taken away wherever they
    stood. A space may only group the thousands (`1 200`), as `,` may never."""
    set_size(mini, text)
    r = run("validate", mini)
    assert r.exit_code == 1, text
    [line] = errors(r.stderr)
    assert "sheet 'segments', row 2, column 'size'" in line, line
    assert (f"'{text}' is not a number: a space may only group the thousands, three digits "
            "each (1 200 or 1 200 000)") in line, line
    said = run("validate", mini, "--lang", "sv").stderr
    assert "kolumn 'size'" in said and "tusental" in said, said


@pytest.mark.parametrize("column", ["capacity", "volume", "wait", "places", "step",
                                    "participation_rate"])
def test_every_number_column_refuses_a_stray_space(mini: Path, column: str) -> None:
    where = {"capacity": ("services.csv", '"40,5"', '"4 0,5"', "capacity_per_month"),
             "volume": ("referrals.csv", "nuoret,12,14", 'nuoret,"1 2",14', "volume_per_month"),
             "wait": ("referrals.csv", "nuoret,12,14", 'nuoret,12,"1 4"', "median_wait_days"),
             "places": ("services.csv", ",3,kyllä,", ',"3 0",kyllä,', "places"),
             "step": ("paths.csv", "p1,nuoret,1,", 'p1,nuoret,"1 0",', "step"),
             "participation_rate": ("segments.csv", '"0,35"', '"0 ,35"', "participation_rate")}
    file, old, new, name = where[column]
    edit(mini / file, old, new)
    r = run("validate", mini)
    assert r.exit_code == 1
    assert any(f"column '{name}'" in line and "a space may only group the thousands" in line
               for line in errors(r.stderr)), r.stderr


def test_a_stray_space_is_refused_in_an_xlsx_text_cell_and_an_api_write(
        mini: Path, tmp_path: Path, served: Path) -> None:
    book = as_xlsx(mini, tmp_path / "wb.xlsx", {("segments", "size"): "1 2 3"})
    r = run("validate", book)
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert "sheet 'segments', row 2, column 'size'" in line, line
    assert "a space may only group the thousands" in line, line
    ok = as_xlsx(mini, tmp_path / "ok.xlsx", {("segments", "size"): "1\u00a0200"})
    assert run("validate", ok).exit_code == 0
    client = TestClient(create_app([served], parse_tokens(f"anna:{ANNA}")),
                        raise_server_exceptions=False)
    before = (served / "mini" / "segments.csv").read_bytes()
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {ANNA}",
               "If-Match": etag_of(client)}
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": "1 2 3"},
                     headers=headers)
    assert r.status_code == 422 and r.json()["error"]["field"] == "size", r.text
    assert "a space may only group the thousands" in r.json()["error"]["message"], r.text
    assert (served / "mini" / "segments.csv").read_bytes() == before
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": "1 300"},
                     headers=headers)
    assert r.status_code == 200, r.text
    assert workbook.read_workbook(served / "mini").nodes["nuoret"]["size"] == 1300
