"""Hostile values planted in a workbook, an RDF file, a file name or an API write (a
security tester's pass): each test drives the real CLI or the real HTTP app with one value
that once turned polku's own text around it, reached a Markdown reader as markup, failed a
comparison without naming a file, read back changed, or made an error page huge."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, edit, etag_of, run
from polku.app import create_app
from polku.server.auth import parse_tokens

# these tests read the command line's English source texts (and ask --lang for the others)
pytestmark = pytest.mark.usefixtures("english_cli")

ANNA = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{ANNA}")
RLO = "\u202e"


def auth(etag: str, lang: str = "en") -> dict[str, str]:
    return {"Accept-Language": lang, "Authorization": f"Bearer {ANNA}", "If-Match": etag}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A writable copy of the example region, named ``hostile``."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "hostile"))


# -- 1. bidirectional controls -------------------------------------------------------------

def test_a_bidi_override_in_a_csv_name_is_refused_and_placed(hostile: Path) -> None:
    edit(hostile / "services.csv", "Employment plan", f"abc{RLO}gnp.exe")
    r = run("validate", hostile)
    assert r.exit_code == 1
    assert ("services.csv, sheet 'services', row 3, column 'name_en': the cell holds a "
            "bidirectional control character, U+202E RIGHT-TO-LEFT OVERRIDE, at character "
            "4: it turns the text shown after it backwards; delete it") in r.stderr, r.stderr
    for lang, word in (("fi", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("sv", "U+202E")):
        other = run("validate", hostile, "--lang", lang).stderr
        assert word in other and "turns the text" not in other, other


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                     "\u2066", "\u2067", "\u2068", "\u2069"])
def test_every_embedding_override_and_isolate_is_refused(hostile: Path, control: str) -> None:
    edit(hostile / "segments.csv", '"Henkilöt, jotka', f'"Hen{control}kilöt, jotka')
    r = run("validate", hostile)
    assert r.exit_code == 1 and f"U+{ord(control):04X}" in r.stderr, r.stderr
    assert "at character 4" in r.stderr


def test_direction_marks_stay_allowed_in_names(hostile: Path) -> None:
    # LRM and RLM change nothing around them; a Hebrew or Arabic name may carry them
    edit(hostile / "services.csv", "Employment plan", "\u200fשלום\u200e plan")
    assert run("validate", hostile).exit_code == 0


def test_a_bidi_override_in_an_xlsx_cell_is_refused(hostile: Path, tmp_path: Path) -> None:
    edit(hostile / "services.csv", "Employment plan", f"abc{RLO}gnp.exe")
    book = tmp_path / "hostile.xlsx"
    from test_workbook_errors import as_xlsx

    as_xlsx(hostile, book)
    r = run("validate", book)
    assert r.exit_code == 1 and "sheet 'services', row 3, column 'name_en'" in r.stderr
    assert "U+202E RIGHT-TO-LEFT OVERRIDE, at character 4" in r.stderr


def test_a_bidi_override_in_a_turtle_literal_is_refused(hostile: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "hostile.ttl"
    assert run("export", hostile, "--to", "turtle", "-o", ttl).exit_code == 0
    text = ttl.read_text(encoding="utf-8")
    assert '"Employment plan"@en' in text
    ttl.write_text(text.replace('"Employment plan"@en', f'"abc{RLO}gnp.exe"@en'),
                   encoding="utf-8")
    r = run("validate", ttl)
    assert r.exit_code == 1
    assert "holds a bidirectional control character, U+202E RIGHT-TO-LEFT OVERRIDE, at " \
           "character 4" in r.stderr, r.stderr


def test_an_api_write_with_a_bidi_override_is_refused(hostile: Path) -> None:
    folder = hostile.parent / "served"
    shutil.move(hostile, folder / "hostile")
    client = TestClient(create_app([folder], TOKENS), raise_server_exceptions=False)
    before = (folder / "hostile" / "services.csv").read_bytes()
    r = client.post("/api/graphs/hostile/rows/services",
                    json={"id": "svc-evil", "name": f"Palvelu {RLO}evil", "providers": "kela"},
                    headers=auth(etag_of(client, "hostile")))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == "name", error
    assert "U+202E RIGHT-TO-LEFT OVERRIDE, at character 9" in error["message"]
    assert (folder / "hostile" / "services.csv").read_bytes() == before


def test_a_served_file_name_with_a_bidi_override_is_refused(hostile: Path) -> None:
    folder = hostile.parent / "served"
    folder.mkdir()
    shutil.move(hostile, folder / f"rlo{RLO}txt.exe")
    client = TestClient(create_app([folder]), raise_server_exceptions=False)
    # served under its name without the control, refused, the control said by its code
    graphs = client.get("/api/graphs", headers={"Accept-Language": "en"}).json()
    assert [g["name"] for g in graphs] == ["rlotxt"] and graphs[0]["state"] == "failed"
    assert graphs[0]["source"] == "rlo[U+202E]txt.exe/"
    assert graphs[0]["problems"][0]["message"] == (
        "rlo[U+202E]txt.exe: the name 'rlo[U+202E]txt' holds a bidirectional control "
        "character, U+202E RIGHT-TO-LEFT OVERRIDE, at character 4: it turns the text shown "
        "after it backwards; rename the file or folder without it")
    for page in ("/", "/graphs/rlotxt", "/api/graphs/rlotxt"):
        assert RLO not in client.get(page).text, page


# -- 2, 3. names in Markdown ----------------------------------------------------------------

#: a segment name that is Markdown, HTML and a new heading at once
#: the English name of seg-tyovalmiit (the command line reads English here)
SEG_EN = "People ready for work who need support finding a job"
MARKUP = "Työvalmiit | sarake [klikkaa](javascript:alert(1)) **lihava** <script>x</script>"


def rendered(md: str) -> str:
    """The Markdown as a CommonMark reader with GitHub's tables shows it (markdown-it-py:
    installed with the project, through typer's rich)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(md)


def test_the_mermaid_heading_is_the_segment_name_escaped_on_one_line(
        hostile: Path, tmp_path: Path) -> None:
    name = "Seg <script>alert(1)</script> ]]`\n# heading **x**"
    edit(hostile / "segments.csv", SEG_EN, f'"{name}"')
    out = tmp_path / "seg.md"
    r = run("export", hostile, "--to", "mermaid", "--segment", "seg-tyovalmiit", "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    head = text.split("\n")[0]
    assert head == ("# Seg &lt;script&gt;alert(1)&lt;/script&gt; \\]\\]\\` \\# heading "
                    "\\*\\*x\\*\\*"), head
    assert text.split("\n")[1:3] == ["", "```mermaid"]
    html = rendered(text)
    assert html.count("<h1>") == 1 and "<script>" not in html and "<strong>" not in html
    assert "<h1>Seg &lt;script&gt;alert(1)&lt;/script&gt; ]]` # heading **x**</h1>" in html


def test_the_markdown_report_shows_a_name_as_its_text(hostile: Path, tmp_path: Path) -> None:
    edit(hostile / "segments.csv", SEG_EN, f'"{MARKUP}"')
    out = tmp_path / "report.md"
    assert run("report", hostile, "--format", "md", "-o", out).exit_code == 0
    md = out.read_text(encoding="utf-8")
    html = rendered(md)
    assert "javascript:" not in html.replace(
        "[klikkaa](javascript:alert(1))", "") and "<a " not in html
    assert "<strong>lihava</strong>" not in html and "<script>" not in html
    # the name is one cell of its table row, read back as written
    shown = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"<td>{shown} (<code>seg-tyovalmiit</code>)</td>" in html, html[:3000]


def test_findings_markdown_shows_a_name_as_its_text(hostile: Path) -> None:
    edit(hostile / "segments.csv", SEG_EN, f'"{MARKUP}"')
    md = run("findings", hostile, "--format", "markdown").stdout
    assert "Työvalmiit \\| sarake \\[klikkaa\\]" in md
    html = rendered(md)
    assert "<a " not in html and "<strong>" not in html and "<script>" not in html
    # the name read back as written, inside one cell of the findings table
    shown = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    cells = [c for c in re.findall(r"<td>(.*?)</td>", html) if shown in c]
    assert cells and all(c.count("<td>") == 0 for c in cells), html[:2000]


# -- 4. two served copies of one region -------------------------------------------------------

def test_two_copies_of_one_region_are_compared_under_their_served_names(
        hostile: Path) -> None:
    folder = hostile.parent / "served"
    folder.mkdir()
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    shutil.move(hostile, folder / "kopio")  # graph.csv still says id keski-uusimaa
    client = TestClient(create_app([folder]), raise_server_exceptions=False)
    r = client.get("/api/compare", headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    regions = [row["region"] for row in r.json()["regions"]]
    assert sorted(regions) == ["keski-uusimaa", "kopio"]
    # named ones alike, and the page the index offers opens
    r = client.get("/api/compare?graphs=kopio,keski-uusimaa")
    assert r.status_code == 200 and [x["region"] for x in r.json()["regions"]] == [
        "kopio", "keski-uusimaa"], r.text
    assert "/compare" in client.get("/").text
    assert client.get("/compare").status_code == 200


# -- 5. a formula-like value reads back as written ------------------------------------------

def test_the_rows_api_reads_a_formula_like_value_back_as_written(hostile: Path) -> None:
    folder = hostile.parent / "served"
    shutil.move(hostile, folder / "hostile")
    client = TestClient(create_app([folder], TOKENS), raise_server_exceptions=False)
    name = '=HYPERLINK("http://e/")'
    r = client.post("/api/graphs/hostile/rows/services",
                    json={"id": "svc-h", "name": name, "providers": "kela",
                          "legal_basis": "@SUM(1)"},
                    headers=auth(etag_of(client, "hostile")))
    assert r.status_code == 201, r.text
    assert r.json()["change"]["after"]["name"] == name
    # the file carries the spreadsheet's guard, so opening it runs no formula
    assert "'=HYPERLINK" in (folder / "hostile" / "services.csv").read_text(encoding="utf-8")
    one = client.get("/api/graphs/hostile/rows/services/svc-h").json()["values"]
    assert (one["name"], one["legal_basis"]) == (name, "@SUM(1)"), one
    every = client.get("/api/graphs/hostile/rows/services").json()["rows"]
    assert [x["values"]["name"] for x in every if x["key"] == "svc-h"] == [name]
    change = client.get("/api/graphs/hostile/changes",
                        headers={"Authorization": f"Bearer {ANNA}"}).json()["changes"][-1]
    assert change["after"]["name"] == name


# -- 6. a long parameter value said back shortened, once -------------------------------------

@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_long_parameter_is_quoted_shortened_once(hostile: Path, lang: str) -> None:
    folder = hostile.parent / "served"
    shutil.move(hostile, folder / "hostile")
    client = TestClient(create_app([folder]), raise_server_exceptions=False)
    long = "a" * 60_000
    page = client.get(f"/graphs/hostile/paths?segment={long}", headers={"Accept-Language": lang})
    assert page.status_code == 400
    assert len(page.text) < 20_000, len(page.text)
    assert re.findall("a{80,}", page.text) == ["a" * 80]
    assert "a" * 80 + "…" in page.text
    api = client.get(f"/api/graphs/hostile/paths?segment={long}",
                     headers={"Accept-Language": lang})
    assert api.status_code == 400 and len(api.text) < 5_000
    assert "'" + "a" * 80 + "…'" in api.json()["error"]["message"]
