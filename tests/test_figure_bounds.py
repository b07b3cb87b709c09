"""Figures no region has (a wait of 1e27 days, a capacity of 1e308 or 1e-300 clients a
month) once passed validation and then broke findings, report, bottlenecks and what-if with
a Python traceback, and through the API were saved before the 500 that answered the write,
leaving a graph that answered 500 to every reader. Each figure is now held to a range
(polku.bounds) by every reader, the formatter writes any finite number, and a write whose
answer cannot be computed writes nothing."""

from __future__ import annotations

import html
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import MINI, etag_of, run
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{TOKEN}")

pytestmark = pytest.mark.usefixtures("english_cli")

#: the mini workbook's rows the cases change
WAIT_ROW = "r1,alkuhaastattelu,kuntouttava,nuoret,12,14,"
CAPACITY_ROW = "kuntouttava,Kuntouttava työtoiminta,keusote;kela,20,"
PLACES_ROW = "alkuhaastattelu,Alkuhaastattelu,keusote,\"40,5\",3,"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_wait(folder: Path, wait: str) -> None:
    edit(folder / "referrals.csv", WAIT_ROW, WAIT_ROW.replace(",14,", f",{wait},"))


def with_capacity(folder: Path, capacity: str) -> None:
    edit(folder / "services.csv", CAPACITY_ROW, CAPACITY_ROW.replace(",20,", f",{capacity},"))


def with_places(folder: Path, places: str) -> None:
    edit(folder / "services.csv", PLACES_ROW, PLACES_ROW.replace(",3,", f",{places},"))


REFUSED = [
    (with_wait, "1e27", "referrals", 2, "median_wait_days",
     "'1e27' is more than 3,650 days (a wait of over ten years: a typo?)"),
    (with_wait, "3651", "referrals", 2, "median_wait_days", "is more than 3,650 days"),
    (with_capacity, "1e308", "services", 3, "capacity_per_month",
     "'1e308' is more than 100,000 clients a month (more than any service takes in: a typo?)"),
    (with_capacity, "100001", "services", 3, "capacity_per_month",
     "is more than 100,000 clients a month"),
    (with_capacity, "1e-300", "services", 3, "capacity_per_month",
     "'1e-300' is more than 0 but less than 0.01 clients a month (a typo? 0 is a service "
     "that takes in no one)"),
    (with_capacity, "\"0,009\"", "services", 3, "capacity_per_month", "less than 0.01 clients"),
    (with_places, "100001", "services", 2, "places",
     "'100001' is more than 100,000 places (more than any service has: a typo?)"),
]


@pytest.mark.parametrize("change, value, sheet, row, column, message", REFUSED)
def test_a_figure_out_of_range_is_refused_where_it_is(mini: Path, tmp_path: Path, change,
                                                      value, sheet, row, column,
                                                      message) -> None:
    change(mini, value)
    where = f"sheet '{sheet}', row {row}, column '{column}': "
    done = run("validate", mini)
    assert done.exit_code == 1 and where in done.stderr and message in done.stderr, done.output
    # the commands that crashed on it say the same, and no traceback
    for args in (("findings", mini, "--format", "json"), ("report", mini, "-o",
                                                          tmp_path / "r.html"),
                 ("bottlenecks", mini), ("whatif", mini, "--capacity", "kuntouttava=30")):
        done = run(*args)
        assert done.exit_code == 1 and where in done.stderr, (args, done.output)
        assert "Traceback" not in done.output and "InvalidOperation" not in done.output
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("change, value", [
    (with_wait, "3650"), (with_wait, "0"), (with_capacity, "100000"), (with_capacity, "0"),
    (with_capacity, "\"0,01\""), (with_places, "100000")])
def test_the_bounds_themselves_are_taken(mini: Path, change, value) -> None:
    change(mini, value)
    done = run("validate", mini)
    assert done.exit_code == 0, done.output


def xlsx_of(folder: Path, out: Path) -> Path:
    """The workbook as one .xlsx, numbers as the spreadsheet's own numbers."""
    import csv

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sorted(folder.glob("*.csv")):
        ws = book.create_sheet(sheet.stem)
        with sheet.open(encoding="utf-8") as f:
            for i, row in enumerate(csv.reader(f)):
                cells: list[object] = []
                for cell in row:
                    try:
                        cells.append(float(cell) if i and cell and not cell.isalpha() else
                                     cell or None)
                    except ValueError:
                        cells.append(cell or None)
                ws.append(cells)
    book.save(out)
    return out


@pytest.mark.parametrize("change, value, sheet, row, column, message", [
    (with_wait, "1e27", "referrals", 2, "median_wait_days", "is more than 3,650 days"),
    (with_capacity, "1e308", "services", 3, "capacity_per_month",
     "is more than 100,000 clients a month"),
    (with_capacity, "1e-300", "services", 3, "capacity_per_month",
     "is more than 0 but less than 0.01 clients a month"),
    (with_places, "100001", "services", 2, "places", "is more than 100,000 places"),
])
def test_an_xlsx_figure_out_of_range_is_refused(mini: Path, tmp_path: Path, change, value,
                                                sheet, row, column, message) -> None:
    change(mini, value)
    book = xlsx_of(mini, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(book)[sheet]
    header = [c.value for c in ws[1]]
    assert isinstance(ws.cell(row, header.index(column) + 1).value, (int, float))  # a number
    done = run("validate", book)
    assert done.exit_code == 1, done.output
    assert f"sheet '{sheet}', row {row}, column '{column}': " in done.stderr
    assert message in done.stderr


@pytest.mark.parametrize("number", ["1e400", "NaN"])
def test_an_xlsx_number_that_is_no_finite_number_is_refused(mini: Path, tmp_path: Path,
                                                            number: str) -> None:
    """A number cell whose value is past every float (read as infinity) or not a number:
    no spreadsheet saves one, a program writing the XML can."""
    import zipfile

    book = xlsx_of(mini, tmp_path / "w.xlsx")
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(crafted, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet5.xml":  # referrals (sorted sheets)
                assert b'<c r="F2" t="n"><v>14</v></c>' in data  # r1's median_wait_days
                data = data.replace(b'<c r="F2" t="n"><v>14</v></c>',
                                    b'<c r="F2" t="n"><v>' + number.encode() + b"</v></c>")
            out.writestr(item, data)
    done = run("validate", crafted)
    assert done.exit_code == 1, done.output
    # openpyxl itself cannot read a NaN cell: its row is named, not its column
    where = "sheet 'referrals', row 2" + (", column 'median_wait_days': " if number == "1e400"
                                          else ": a cell of the row cannot be read")
    assert where in done.stderr and "Traceback" not in done.output


@pytest.fixture
def turtle(tmp_path: Path) -> str:
    assert run("import", MINI, "-o", tmp_path / "g.ttl").exit_code == 0
    return (tmp_path / "g.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, node, message", [
    ("polku:medianWaitDays 14 ", "polku:medianWaitDays 1e300 ", "r1",
     "polku:medianWaitDays is more than 3,650 days (a wait of over ten years: a typo?)"),
    ("polku:capacityPerMonth 20 ", "polku:capacityPerMonth 1e308 ", "kuntouttava",
     "polku:capacityPerMonth is more than 100,000 clients a month"),
    ("polku:capacityPerMonth 20 ", "polku:capacityPerMonth 1e-300 ", "kuntouttava",
     "polku:capacityPerMonth is more than 0 but less than 0.01 clients a month"),
    ("polku:places 3 ", "polku:places 1000000 ", "alkuhaastattelu",
     "polku:places is more than 100,000 places"),
    ("polku:places 3 ", "polku:places 0 ", "alkuhaastattelu",
     "polku:places must be a whole number, 1 or more"),
    ("polku:medianWaitDays 14 ", 'polku:medianWaitDays "NaN"^^xsd:double ', "r1",
     "polku:medianWaitDays must be a finite number"),
    ("polku:medianWaitDays 14 ", 'polku:medianWaitDays "INF"^^xsd:double ', "r1",
     "polku:medianWaitDays must be a finite number"),
    ("polku:medianWaitDays 14 ", "polku:medianWaitDays -3 ", "r1",
     "polku:medianWaitDays cannot be negative"),
    ("polku:places 3 ", 'polku:places "x"^^xsd:integer ', "alkuhaastattelu",
     "polku:places must be a number, not 'x'"),
])
def test_turtle_figures_are_held_to_the_same_rule(turtle: str, tmp_path: Path, old: str,
                                                  new: str, node: str, message: str) -> None:
    assert old in turtle
    path = tmp_path / "bad.ttl"
    path.write_text(turtle.replace(old, new, 1), encoding="utf-8")
    for command in ("findings", "report", "validate"):
        args = ("-o", tmp_path / "r.html") if command == "report" else ()
        done = run(command, path, *args)
        assert done.exit_code == 1, (command, done.output)
        assert "Traceback" not in done.output
        # validate runs the SHACL shapes first, which word some of these their own way
        said = f"node <{node}>: " if command == "validate" else f"node <{node}>: {message}"
        assert said in done.stderr, (command, done.stderr)


def test_a_step_order_that_is_no_whole_number_is_located(turtle: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(turtle.replace("polku:order 1 ", 'polku:order "NaN"^^xsd:double ', 1),
                    encoding="utf-8")
    done = run("findings", path)
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "polku:order must be a whole number, 1 or more, not NaN" in done.stderr


# -- the formatter -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_formatter_writes_every_finite_number(lang: str) -> None:
    from polku.present.i18n import translator

    tr = translator(lang)
    mark = "." if lang == "en" else ","
    assert tr.number(1e300) == tr.number(1e300, 2) == "1e+300"
    assert tr.number(1.5e300) == f"1{mark}5e+300"
    assert tr.number(-1e300) == "-1e+300" and tr.number(10 ** 400) == "1e+400"
    assert tr.number(1e27) == tr.number(10 ** 27) == "1e+27"
    assert tr.number(1e-300) == "0" and tr.number(1e-300, 2) == f"0{mark}00"
    # every way a figure is written: whole clients, days, a share, a utilisation
    assert tr.clients(1e300) == tr.days(1e300) == "1e+300"
    assert tr.percent(1e300).startswith("1e+302") and tr.percent(1e300).endswith("%")
    assert tr.utilisation({"utilization": 1e300}) == "1e+300"
    assert tr.days(1e-300) == f"< 0{mark}1" and tr.clients(1e-300) == "0"
    # what was written before is written so still
    assert tr.number(1234.5) == ("1,234.5" if lang == "en" else "1\xa0234,5")


# -- the API -------------------------------------------------------------------------------

def headers(etag: str | None = None) -> dict[str, str]:
    out = {"Accept-Language": "en", "Authorization": f"Bearer {TOKEN}"}
    if etag:
        out["If-Match"] = etag
    return out


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under the served folder (the sheets, the change log and its state)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".lock"}  # the write lock is taken, and left


@pytest.mark.parametrize("sheet, key, column, value, message", [
    ("referrals", "r1", "median_wait_days", "1e300", "is more than 3,650 days"),
    ("services", "kuntouttava", "capacity_per_month", "1e308",
     "is more than 100,000 clients a month"),
    ("services", "kuntouttava", "capacity_per_month", "1e-300", "less than 0.01 clients"),
    ("services", "alkuhaastattelu", "places", "1000000", "is more than 100,000 places"),
])
def test_an_api_write_out_of_range_is_422_and_writes_nothing(client: TestClient, served: Path,
                                                            sheet: str, key: str, column: str,
                                                            value: str, message: str) -> None:
    etag = etag_of(client)
    before = files(served)
    r = client.patch(f"/api/graphs/mini/rows/{sheet}/{key}", json={column: value},
                     headers=headers(etag))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == column and message in error["message"], error
    assert files(served) == before
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []
    for path in ("/api/graphs/mini/findings", "/graphs/mini"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("sent", ["1e400", "-1e400", "1E+999"])
def test_a_json_number_past_what_a_number_holds_is_said_too_large(
        client: TestClient, served: Path, sent: str) -> None:
    """``PATCH {"capacity_per_month": 1e400}`` answered "'inf' is not a number": JSON's
    reader makes such a number infinite, and the message quoted a value the writer never
    sent. It says the number is too large, naming its column in ``field``, and writes
    nothing."""
    etag = etag_of(client)
    before = files(served)
    body = '{"capacity_per_month": %s}' % sent
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava", content=body,
                     headers={**headers(etag), "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["field"] == "capacity_per_month", error
    assert error["message"] == "the number is too large (past what a number can hold)", error
    assert "inf" not in error["message"]
    fi = client.patch("/api/graphs/mini/rows/services/kuntouttava?lang=fi", content=body,
                      headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag,
                               "Content-Type": "application/json"}).json()["error"]
    assert fi["message"] == "luku on liian suuri (suurempi kuin mikään luku voi olla)", fi
    assert files(served) == before

def test_a_write_whose_answer_fails_writes_nothing(client: TestClient, served: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Whatever makes the findings of the written graph fail (the formatter once did), it
    fails before the write commits: no sheet, no change-log line, no new version."""
    from decimal import InvalidOperation

    import polku.present.messages as messages

    etag = etag_of(client)
    before = files(served)
    worded = messages.finding_json

    def failing(f, g, tr):
        if f.kind == "long-wait":
            raise InvalidOperation("a figure no formatter writes")
        return worded(f, g, tr)

    monkeypatch.setattr(messages, "finding_json", failing)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": "45"},
                     headers=headers(etag))
    assert r.status_code == 500, r.text
    error = r.json()["error"]
    assert error["code"] == "analysis-failed" and "InvalidOperation" in error["message"]
    assert "was not written" in error["message"]
    # the server's log says why, in its language (Finnish by default), the traceback with it
    said = [r for r in caplog.records if r.name == "polku.server" and r.exc_info]
    assert said and said[-1].getMessage() == (
        "aineisto 'mini': muutos torjuttiin, koska sen tuottaman aineiston havaintoja ei "
        "voi laskea"), [r.getMessage() for r in caplog.records]
    assert files(served) == before and etag_of(client) == etag
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []
    monkeypatch.setattr(messages, "finding_json", worded)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": "45"},
                     headers=headers(etag))
    assert r.status_code == 200, r.text
    assert [f["kind"] for f in r.json()["findings"]["created"]] == ["long-wait"]
    # the undo computes its answer before it writes too
    monkeypatch.setattr(messages, "finding_json", failing)
    written = files(served)
    r = client.post("/api/graphs/mini/undo", headers=headers(r.headers["etag"]))
    assert r.status_code == 500 and r.json()["error"]["code"] == "analysis-failed", r.text
    assert files(served) == written
    assert len(client.get("/api/graphs/mini/changes").json()["changes"]) == 1


def test_a_graph_that_cannot_be_answered_names_itself(client: TestClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that fails is still a 500, but one that names the graph and the kind of
    failure (never its text: it may quote a cell), on the API and on the page."""
    from polku.ops.model import Model

    def failing(self, *args, **kwargs):
        raise ArithmeticError("1e300")

    monkeypatch.setattr(Model, "findings", failing)
    r = client.get("/api/graphs/mini/findings", headers={"Accept-Language": "en"})
    assert r.status_code == 500 and r.json()["error"]["code"] == "server-error"
    message = r.json()["error"]["message"]
    assert "the graph 'mini'" in message and "ArithmeticError" in message
    assert "1e300" not in message
    page = client.get("/graphs/mini", headers={"Accept": "text/html", "Accept-Language": "en"})
    text = html.unescape(page.text)
    assert page.status_code == 500 and "the graph 'mini' (ArithmeticError)" in text
    assert "1e300" not in text
