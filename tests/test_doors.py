"""Bad input at every door, found by an adversarial pass over the API, the pages and the
command line: each test drives the real HTTP app or the real CLI with one input that once
broke the contract (a traceback, a missing ``field``, English in a Finnish answer, a file
named that the reader never gave, a change nobody could undo) and checks the answer the
contract promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini, etag_of
from polku.app import create_app
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{ANNA}")


def auth(etag: str, lang: str = "en") -> dict[str, str]:
    return {"Accept-Language": lang, "Authorization": f"Bearer {ANNA}", "If-Match": etag}


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


# -- a row an edit leaves blank -----------------------------------------------------------

def test_a_new_row_with_no_value_is_refused_and_nothing_is_written(client: TestClient,
                                                                  served: Path) -> None:
    # the readers skip a blank row, so {} once passed every check: a line of commas was
    # written and a change logged under the empty key, which no undo could find again
    before = (served / "mini" / "services.csv").read_bytes()
    r = client.post("/api/graphs/mini/rows/services", json={"name": ""},
                    headers=auth(etag_of(client)))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == "id" and error["code"] == "invalid-row"
    assert error["message"].startswith("mini/services.csv, sheet 'services', row ")
    assert error["message"].endswith("column 'id': the required value 'id' is empty")
    assert (served / "mini" / "services.csv").read_bytes() == before
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []
    # told in the reader's language, beside its column
    r = client.post("/api/graphs/mini/rows/services", json={},
                    headers=auth(etag_of(client), "fi"))
    assert r.json()["error"]["problems"][0]["text"] == "pakollinen arvo 'id' on tyhjä"


def test_clearing_every_cell_of_a_row_is_no_hidden_delete(client: TestClient,
                                                          served: Path) -> None:
    before = (served / "mini" / "outcomes.csv").read_bytes()
    row = client.get("/api/graphs/mini/rows/outcomes/tyo").json()["values"]
    r = client.patch("/api/graphs/mini/rows/outcomes/tyo", json={c: None for c in row},
                     headers=auth(etag_of(client)))
    assert r.status_code == 422 and r.json()["error"]["field"] == "id", r.text
    assert (served / "mini" / "outcomes.csv").read_bytes() == before
    # the undo that follows a real change still finds its row
    r = client.post("/api/graphs/mini/undo", headers=auth(etag_of(client)))
    assert r.status_code == 409 and r.json()["error"]["code"] == "nothing-to-undo"


# -- a body FastAPI cannot decode ----------------------------------------------------------

@pytest.mark.parametrize("body", [
    '{"id": "x", "name": "\xe4"}'.encode("latin-1"),  # not UTF-8
    b'{"id": "x", "capacity_per_month": 1' + b"0" * 5000 + b"}",  # past int's 4300 digits
    b"[" * 100_000 + b"]" * 100_000,  # past the recursion limit
], ids=["latin-1", "huge-number", "deep"])
def test_a_body_that_cannot_be_decoded_is_a_400_naming_the_body(client: TestClient,
                                                                  body: bytes) -> None:
    headers = {**auth(etag_of(client), "sv"), "Content-Type": "application/json"}
    r = client.post("/api/graphs/mini/rows/services", content=body, headers=headers)
    assert r.status_code == 400
    assert r.json() == {"error": {"code": "bad-request", "field": "body",
                                  "message": "body: begärans innehåll är inte giltig JSON"}}


# -- the tokens file ------------------------------------------------------------------------

def test_a_tokens_file_that_is_not_utf8_is_a_located_error_without_its_bytes(
        tmp_path: Path, served: Path) -> None:
    from helpers import run

    tokens = tmp_path / "tokens.txt"
    tokens.write_bytes("# editors\nanna:s\xe4kr\xe4t-token-0123456789\n".encode("latin-1"))
    r = run("--lang", "fi", "serve", served, "--tokens", tokens, "--port", "1")
    assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output
    assert r.output.strip() == ("virhe: tokens.txt, rivi 2: muokkausavainten tiedostoa ei voi "
                                "lukea (se ei ole UTF-8-tekstiä)")
    # a folder where the file should be: the reason in the reader's language
    r = run("--lang", "sv", "serve", served, "--tokens", tmp_path, "--port", "1")
    assert r.exit_code == 1 and "(är en mapp, inte en fil)" in r.output, r.output


def test_a_tokens_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    from polku.server.auth import load_tokens

    tokens = tmp_path / "tokens.txt"
    tokens.write_bytes(f"\ufeffanna:{ANNA}\n".encode())
    assert sorted(load_tokens(tokens).by_name) == ["anna"]


# -- output to a folder that refuses it -----------------------------------------------------

def test_an_output_the_folder_refuses_is_named_as_given_not_by_its_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as a read-only folder answers (the suite runs as root, whom chmod does not stop):
    # mkstemp and mkdtemp fail on the temporary name beside the output
    import errno
    import tempfile

    from helpers import MINI, run

    def refused(*args, dir=None, prefix="", suffix="", **kw):
        raise PermissionError(errno.EACCES, "Permission denied",
                              str(Path(dir).absolute() / f"{prefix}k2j9{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    monkeypatch.chdir(tmp_path)
    for args, shown in [(["render", MINI, "-o", "out/x.html"], "out/x.html"),
                        (["export", MINI, "--to", "xlsx", "-o", "out/x.xlsx"], "out/x.xlsx"),
                        (["export", MINI, "--to", "workbook", "-o", "out/wb"], "out/wb")]:
        r = run("--lang", "fi", *args)
        assert r.exit_code == 1, r.output
        assert r.output.strip() == f"virhe: {shown}: ei käyttöoikeutta", r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


# -- line endings ---------------------------------------------------------------------------

def test_a_sheet_with_classic_mac_or_mixed_line_endings_is_read_and_located(
        tmp_path: Path) -> None:
    from helpers import run

    folder = copy_mini(tmp_path / "mini")
    sheet = folder / "services.csv"
    lines = sheet.read_text(encoding="utf-8").splitlines()
    # CR alone (classic Mac), then CRLF, then LF: each a line end as an editor shows it
    sheet.write_bytes(("\r".join(lines[:2]) + "\r\n" + "\n".join(lines[2:]) + "\n").encode())
    r = run("--lang", "fi", "validate", folder)
    assert r.exit_code == 0, r.output
    cells = lines[2].split(",")
    cells[3] = "12x"
    lines[2] = ",".join(cells)
    sheet.write_bytes(("\r".join(lines) + "\r").encode())
    r = run("--lang", "sv", "validate", folder)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "services.csv, blad 'services', rad 3, kolumn 'capacity_per_month': '12x' är " \
           "inte ett tal" in r.output, r.output


# -- a path the command may not read --------------------------------------------------------

def test_a_path_the_command_may_not_read_is_not_said_to_be_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # click checks os.access(R_OK) for typer's readable paths; the suite runs as root, for
    # whom it is always true, so a file nobody may read is one os.access says so of
    import os

    from helpers import EXAMPLE, run

    log = tmp_path / "changes.jsonl"
    log.write_text("")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if str(p) == str(log)
                        else real(p, mode, *a, **k))
    r = run("--lang", "fi", "findings", EXAMPLE, "--changes", log, "--since", "1")
    assert r.exit_code == 2, r.output
    assert r.output.strip() == f"virhe: --changes: {log}: ei käyttöoikeutta"
    # a change log the reader names and mistyped is no empty log ('no version 1')
    r = run("--lang", "sv", "findings", EXAMPLE, "--changes", tmp_path / "nosuch", "--since", "1")
    assert r.exit_code == 1, r.output
    assert r.output.strip() == f"fel: {tmp_path / 'nosuch'}: filen eller mappen finns inte"


# -- a number the workbook rules read, written so the shapes read it too --------------------

@pytest.mark.parametrize("sheet, before, after, node, column, value", [
    ("referrals.csv", "nuoret,12,14", 'nuoret,"0,00001",14', "r1", "volume_per_month", 0.00001),
    ("services.csv", "keusote;kela,20,", 'keusote;kela,"0,01",', "kuntouttava",
     "capacity_per_month", 0.01),
], ids=["volume-1e-05", "capacity-least"])
def test_a_figure_repr_writes_with_an_exponent_is_imported_and_read_back(
        tmp_path: Path, sheet: str, before: str, after: str, node: str, column: str,
        value: float) -> None:
    # repr(1e-05) has an exponent: the number was written as an xsd:double, which the
    # shapes refused as 'not one number, 0 or more' at a node, with no column (a capacity
    # that small is refused by the figures' bounds now, polku.bounds; a volume is not)
    from helpers import edit, run
    from polku.io.load import load_graph

    folder = copy_mini(tmp_path / "mini")
    edit(folder / sheet, before, after)
    r = run("--lang", "en", "import", folder, "-o", tmp_path / "mini.ttl")
    assert r.exit_code == 0, r.output
    g = load_graph(tmp_path / "mini.ttl")
    assert g.nodes[node][column] == value


# -- digits int() refuses -------------------------------------------------------------------

@pytest.mark.parametrize("url, field", [
    ("/api/graphs/mini/whatif?places=kuntouttava=%C2%B2", "places"),
    ("/graphs/mini/whatif?segment=nuoret&service=kuntouttava&places=%C2%B2", "places"),
    ("/graphs/mini/paths?segment=nuoret&k=%C2%B2", "k"),
    ("/graphs/mini/paths?segment=nuoret&k=%D9%A3", "k"),  # ٣, as the API refuses it
], ids=["api-places", "page-places", "page-k", "page-k-arabic-indic"])
def test_a_superscript_digit_is_a_400_naming_its_field_not_a_500(client: TestClient, url: str,
                                                                 field: str) -> None:
    # str.isdigit() is true of '²', which int() refuses: the check let it through to int()
    r = client.get(url + "&lang=sv")
    assert r.status_code == 400, r.text
    if url.startswith("/api/"):
        assert r.json()["error"]["field"] == field
    else:  # the page again, the message beside the field it marks
        assert f'data-field="{field}"' in r.text


def test_a_superscript_digit_in_places_is_an_error_on_the_command_line(tmp_path: Path) -> None:
    from helpers import MINI, run

    r = run("--lang", "fi", "whatif", MINI, "--places", "kuntouttava=²")
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert r.output.startswith("virhe: --places: ") and "'²'" in r.output, r.output


def test_one_service_given_twice_in_a_what_if_is_refused_at_every_door(
        client: TestClient) -> None:
    # the last value silently won on the API and the command line; the page refused it
    from helpers import MINI, run

    r = client.get("/api/graphs/mini/whatif?capacity=kuntouttava=5&capacity=kuntouttava=6"
                   "&lang=fi")
    assert r.status_code == 400
    assert r.json()["error"] == {"code": "bad-request", "field": "capacity",
                                 "message": "'kuntouttava' annetaan kahdesti: anna sille "
                                            "yksi arvo"}
    r = run("--lang", "sv", "whatif", MINI, "--places", "kuntouttava=2", "--places",
            "kuntouttava=3")
    assert r.exit_code == 1
    assert r.output.strip() == "fel: --places: 'kuntouttava' anges två gånger: ge ett värde " \
                               "för den"


def test_serve_says_before_anything_else_that_it_cannot_listen() -> None:
    """A port another program holds: one line in the reader's language naming --port, exit
    1, and no 'polku serving …' first (uvicorn said it in English after polku had
    announced the server)."""
    import socket

    from helpers import MINI, run

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        r = run("serve", MINI, "--port", port, "--lang", "fi")
        sv = run("serve", MINI, "--port", port, "--lang", "sv")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip() == (f"virhe: --port: palvelin ei voi kuunnella osoitetta "
                                f"127.0.0.1:{port}: osoite on jo käytössä")
    assert sv.stderr.strip().endswith("adressen används redan")
    unknown = run("serve", MINI, "--host", "nosuch.invalid", "--lang", "en")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == ("error: --host: cannot listen on nosuch.invalid:8000: "
                                      "no such host")
    far = run("serve", MINI, "--port", "70000", "--lang", "fi")
    assert far.exit_code == 1 and far.stdout == "", far.output
    assert far.stderr.strip() == ("virhe: --port: palvelin ei voi kuunnella osoitetta "
                                  "127.0.0.1:70000: portti on luku väliltä 0–65535")


def test_serve_listens_on_an_ipv6_address_as_uvicorn_does() -> None:
    """An IPv6 host (::1) is an address of this machine: it was refused as 'no such host'
    (--host) since the check bound an IPv4 socket, where uvicorn binds IPv6 for a host with
    a colon. A port taken there is named as on IPv4 (--port)."""
    import socket

    from helpers import MINI, run

    with socket.create_server(("::1", 0), family=socket.AF_INET6) as taken:
        port = taken.getsockname()[1]
        r = run("serve", MINI, "--host", "::1", "--port", port, "--lang", "en")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip() == f"error: --port: cannot listen on ::1:{port}: the address is " \
                               "in use"


def test_a_pdf_without_weasyprint_is_said_in_the_readers_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from helpers import MINI, run

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    out = tmp_path / "r.pdf"
    r = run("report", MINI, "-o", out, "--lang", "fi", "-q")
    assert r.exit_code == 1 and not out.exists()
    assert r.stderr.startswith("virhe: --output: PDF-raportti tarvitsee WeasyPrintin ja "
                               "pango-kirjaston (scripts/setup asentaa ne): "
                               "ModuleNotFoundError"), r.stderr


def test_the_ids_an_unknown_one_could_have_been_are_named_in_the_readers_language(
        tmp_path: Path) -> None:
    """An unknown segment, outcome or actor is answered with the graph's choices by their
    names in the reader's language, each with the id to type beside it (they were bare ids),
    apart by semicolons (a name may hold a comma)."""
    import shutil

    from helpers import ROOT, run

    example = ROOT / "graphs" / "keski-uusimaa"
    sv = run("paths", example, "--segment", "nope", "--lang", "sv").stderr
    assert "okänd kundgrupp 'nope' (kundgrupper: " in sv
    assert "; Unga under 30 som ännu inte har hittat en studie- eller arbetsplats " \
        "(seg-nuoret); " in sv
    fi = run("paths", example, "--segment", "nope", "--lang", "fi").stderr
    assert "; Alle 30-vuotiaat, opiskelu- tai työpaikka vielä löytymättä (seg-nuoret); " in fi
    to = run("paths", example, "--segment", "seg-nuoret", "--to", "nope", "--lang", "fi").stderr
    assert "Opiskelupaikka tai tutkinto (tulos-koulutus)" in to
    # a copy: the review takes the graph's write lock, a file beside the graph's change log
    shutil.copytree(example, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]), raise_server_exceptions=False)
    r = client.get("/api/graphs/keski-uusimaa/review", params={"since": "0", "actor": "nope",
                                                               "lang": "en"})
    said = r.json()["error"]
    assert r.status_code == 400 and said["field"] == "actor"
    assert "Social Insurance Institution of Finland (Kela) (kela)" in said["message"]
    assert said["message"].endswith(" … (34))")


def test_a_review_reads_where_polku_may_not_write(tmp_path: Path) -> None:
    """The review reads a version's sheets and change log under the write lock; where the
    log's folder cannot be written (a read-only deployment: here /sys, which refuses even
    root), there is no writer to wait for, and the review is answered all the same (it was
    a 500: the lock file could not be made)."""
    copy_mini(tmp_path / "mini")
    unwritable = Path("/sys/polku-changes")
    client = TestClient(create_app([tmp_path], None, unwritable), raise_server_exceptions=False)
    r = client.get("/api/graphs/mini/review", params={"since": "0"})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == [] == r.json()["resolved"]
    assert not unwritable.exists()
