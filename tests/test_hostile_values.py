"""Hostile values planted in a workbook, an RDF file, a file name or an API write (a
security tester's pass): each test drives the real CLI or the real HTTP app with one value
that once turned polku's own text around it, reached a Markdown reader as markup, failed a
comparison without naming a file, read back changed, or made an error page huge."""

from __future__ import annotations

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
