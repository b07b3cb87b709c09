"""The PTV comparison as a page of the server (/graphs/NAME/ptv) and its API
(POST /api/graphs/NAME/ptv/compare and /ptv/apply): the reader chooses the region's PTV
files, sees missing, gone and changed entries and the proposed edits, picks edits and
applies them as one change, undone as one. In headless Chromium: axe-clean in fi, sv and
en, nothing fetched from elsewhere, no console error (the CSP allows only the page's own
script)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import only, run
from live_server import serving
from polku.app import create_app
from polku.io.load import load_graph
from polku.present.i18n import kind_name, translator
from polku.server.auth import parse_tokens
from polku.server.http import version_of_tag
from test_ptv_compare import CATALOGUE, GONE_ID, model  # noqa: F401  (the drifted model)

TOKEN = "anna-token-0123456789"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def files() -> list[dict[str, str]]:
    return [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in CATALOGUE]


@pytest.fixture
def client(model: Path) -> TestClient:  # noqa: F811
    return TestClient(create_app([model.parent], parse_tokens(f"anna:{TOKEN}")),
                      raise_server_exceptions=False)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_api_compares_as_the_cli_does(client: TestClient, model: Path, lang: str) -> None:  # noqa: F811
    r = client.post(f"/api/graphs/naantali/ptv/compare?lang={lang}", json={"files": files()})
    assert r.status_code == 200, r.text
    cli = json.loads(run("ptv", "compare", model, *CATALOGUE, "--format", "json", "--lang",
                         lang).output)
    assert r.json() == {"graph": "naantali", **cli}
    # the names in the request's language beside the codes
    assert r.json()["edits"][3]["label"] == {
        "fi": "poista palvelu Kotouttaminen (kotouttaminen)",
        "sv": "ta bort tjänsten Kotouttaminen (kotouttaminen)",
        "en": "remove service Kotouttaminen (kotouttaminen)"}[lang]
    assert version_of_tag(r.headers["etag"]) == \
        version_of_tag(client.get("/api/graphs/naantali").headers["etag"])


@pytest.mark.parametrize("body, field", [
    ({"files": [{"name": "x.json", "text": "{"}]}, "files"),
    ({"files": [{"name": "x.json", "text": "[1, 2]"}]}, "files"),
    ({"files": []}, "files"),
    ({"files": files(), "municipality": ["52"]}, "municipality"),
])
def test_a_bad_request_names_its_field(client: TestClient, body, field: str) -> None:
    r = client.post("/api/graphs/naantali/ptv/compare", json=body)
    assert r.status_code == 400 and r.json()["error"]["field"] == field, r.text


def test_a_file_that_is_not_ptv_json_is_told_in_the_requests_language(
        client: TestClient) -> None:
    body = {"files": [{"name": "x.json", "text": "{"}]}
    fi = client.post("/api/graphs/naantali/ptv/compare?lang=fi", json=body).json()["error"]
    sv = client.post("/api/graphs/naantali/ptv/compare?lang=sv", json=body).json()["error"]
    assert fi["field"] == sv["field"] == "files"
    assert "x.json" in fi["message"] and "PTV-JSON" in sv["message"], (fi, sv)
    assert fi["message"] != sv["message"] and "not JSON" not in fi["message"] + sv["message"]


def test_apply_writes_the_picked_edits_as_one_change(client: TestClient, model: Path) -> None:  # noqa: F811
    before = {p.name: p.read_bytes() for p in model.iterdir()}
    etag = client.post("/api/graphs/naantali/ptv/compare", json={"files": files()}).headers["etag"]
    body = {"files": files(), "pick": [1, 3, 4]}
    assert client.post("/api/graphs/naantali/ptv/apply", json=body,
                       headers={"If-Match": etag}).status_code == 401
    editor = {"Authorization": f"Bearer {TOKEN}"}
    bad = client.post("/api/graphs/naantali/ptv/apply", json={**body, "pick": [9]},
                      headers={**editor, "If-Match": etag})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "pick"
    stale = client.post("/api/graphs/naantali/ptv/apply", json=body,
                        headers={**editor, "If-Match": '"not-the-etag"'})
    assert stale.status_code == 412
    # a responsibility for a service not created: the workbook rules refuse, nothing written
    refused = client.post("/api/graphs/naantali/ptv/apply", json={**body, "pick": [2]},
                          headers={**editor, "If-Match": etag})
    assert refused.status_code == 422, refused.text
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before
    r = client.post("/api/graphs/naantali/ptv/apply", json=body,
                    headers={**editor, "If-Match": etag})
    assert r.status_code == 200, r.text
    change = r.json()["change"]
    assert change["action"] == "batch" and change["who"] == "anna"
    assert [(c["action"], c["key"]) for c in change["changes"]] == [
        ("create", "esiopetuksen-oppilashuolto"), ("update", "etsiva-nuorisotyo"),
        ("delete", "kotouttaminen")]
    g = load_graph(model)
    assert "kotouttaminen" not in g and g.nodes["etsiva-nuorisotyo"]["name"] == "Etsivä nuorisotyö"
    again = client.post("/api/graphs/naantali/ptv/compare", json={"files": files()}).json()
    assert [e["key"] for e in again["edits"]] == [
        "naantalin-kaupunki~esiopetuksen-oppilashuolto~lead"]
    undo = client.post("/api/graphs/naantali/undo",
                       headers={**editor, "If-Match": r.headers["etag"]})
    assert undo.status_code == 200, undo.text
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before


def test_the_upload_has_its_own_size_limit(client: TestClient) -> None:
    from polku.server.http import MAX_BODY

    big = [{"name": "big.json", "text": "[" + " " * (2 * MAX_BODY) + "]"}]
    r = client.post("/api/graphs/naantali/ptv/compare", json={"files": big})
    assert r.status_code == 400 and r.json()["error"]["field"] == "files"  # read, not refused
    huge = [{"name": "huge.json", "text": " " * (17 << 20)}]
    r = client.post("/api/graphs/naantali/ptv/compare", json={"files": huge})
    assert r.status_code == 413 and r.json()["error"]["field"] == "body"
    # every other write keeps the small limit (told to a writer: without a credential the
    # 401 comes first, the body unread)
    r = client.post("/api/graphs/naantali/rows/actors", json={"id": "x" * (2 * MAX_BODY)},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413
    r = client.post("/api/graphs/naantali/rows/actors", json={"id": "x" * (2 * MAX_BODY)})
    assert r.status_code == 401


def test_the_graph_page_links_to_the_comparison(client: TestClient) -> None:
    page = client.get("/graphs/naantali?lang=en").text
    assert 'href="/graphs/naantali/ptv?lang=en"' in page and "Compare with PTV" in page
    for lang, title in (("fi", "ja palvelutietovaranto (PTV)"),
                        ("sv", "och servicedatalagret (PTV)"),
                        ("en", "national service catalogue")):
        r = client.get(f"/graphs/naantali/ptv?lang={lang}")
        assert r.status_code == 200 and title in r.text, lang
        assert "'unsafe-inline'" not in r.headers["content-security-policy"].split(
            "script-src")[1].split(";")[0]


@contextmanager
def compared(open_page, model: Path, lang: str) -> Iterator[Any]:
    """The PTV page of the served model in ``lang``, the catalogue's files compared with
    it (the result shown)."""
    from playwright.sync_api import expect

    app = create_app([model.parent], parse_tokens(f"anna:{TOKEN}"))
    with serving(app) as base:
        opened = open_page(f"{base}/graphs/naantali/ptv?lang={lang}", wait="#ptv-form",
                           allow=only(base))
        opened.page.set_input_files("#ptv-files", [str(p) for p in CATALOGUE])
        opened.page.click("#ptv-form button[type=submit]")
        expect(opened.page.locator("#ptv-result")).to_be_visible(timeout=60_000)
        yield opened


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_page_compares_picks_applies_and_undoes(open_page, model: Path, lang: str) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    before = {p.name: p.read_bytes() for p in model.iterdir()}
    with compared(open_page, model, lang) as opened:
        page = opened.page
        assert page.locator("input.pick").count() == 4
        tables = page.locator("#ptv-tables").inner_text()
        # each edit said in the reader's language, by name (tests/test_ptv_compare.py words all)
        assert {"fi": "poista palvelu Kotouttaminen (kotouttaminen)",
                "sv": "ta bort tjänsten Kotouttaminen (kotouttaminen)",
                "en": "remove service Kotouttaminen (kotouttaminen)"}[lang] in tables, tables
        assert "~lead" not in tables
        # PTV's target groups in the reader's language, the counts in singular or plural
        assert {"fi": "Lapset ja lapsiperheet (KR1.2)", "sv": "Barn och barnfamiljer (KR1.2)",
                "en": "Children and families with children (KR1.2)"}[lang] in tables, tables
        assert {"fi": " 1 muuttunut; 4 ehdotettua muutosta", "sv": " 1 ändrad; 4 föreslagna",
                "en": " 1 changed; 4 proposed edits"}[lang] in \
            page.locator("#ptv-summary").inner_text()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                      for v in results.response["violations"]]
        assert violations == []
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.uncheck('input.pick[value="2"]')
        page.click("#ptv-apply button[type=submit]")
        expect(page.locator("#ptv-apply-result")).to_contain_text("1", timeout=60_000)
        # the findings the change creates and resolves by their kinds' names, not their ids
        applied = page.locator("#ptv-apply-result").inner_text()
        assert kind_name("unreachable-service", translator(lang)) in applied, applied
        assert "unreachable-service" not in applied, applied
        expect(page.locator("input.pick")).to_have_count(1, timeout=60_000)
        g = load_graph(model)
        assert "kotouttaminen" not in g and "esiopetuksen-oppilashuolto" in g
        page.click("#ptv-undo")
        expect(page.locator("input.pick")).to_have_count(4, timeout=60_000)
        assert {p.name: p.read_bytes() for p in model.iterdir()} == before
        assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)


def test_names_in_another_language_are_marked_with_it(open_page, model: Path) -> None:  # noqa: F811
    """On a Swedish page a changed name's values are the workbook's primary (Finnish) name
    and PTV's Finnish one: screen readers read them in Finnish (WCAG 3.1.2)."""
    from playwright.sync_api import expect

    with compared(open_page, model, "sv") as opened:
        page = opened.page
        row = page.locator("#ptv-tables tr", has_text="Etsivä nuorisotyö (vanha)").first
        model_cell, catalogue_cell = row.locator("td").nth(2), row.locator("td").nth(3)
        expect(model_cell.locator('[lang="fi"]')).to_have_text("Etsivä nuorisotyö (vanha)")
        expect(catalogue_cell.locator('[lang="fi"]')).to_have_text("Etsivä nuorisotyö")
        assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)


@pytest.mark.parametrize("lang, one, many", [
    ("fi", "Tehtiin 1 muokkaus muutoksena", "Tehtiin 2 muokkausta muutoksena"),
    ("sv", "1 ändring gjordes som ändring", "2 ändringar gjordes som ändring"),
    ("en", "Applied 1 edit as change", "Applied 2 edits as change")])
def test_the_page_counts_the_applied_edits_in_singular_or_plural(
        open_page, model: Path, lang: str, one: str, many: str) -> None:  # noqa: F811
    """The page's script says one edit in the singular and two in the plural, in the
    catalogue's forms (the server hands both to the script: polku.present.i18n.plural_forms)."""
    from playwright.sync_api import expect

    with compared(open_page, model, lang) as opened:
        page = opened.page
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.uncheck('input.pick[value="1"]')
        page.uncheck('input.pick[value="2"]')
        page.click("#ptv-apply button[type=submit]")  # edits 3 and 4
        expect(page.locator("#ptv-apply-result")).to_contain_text(many, timeout=60_000)
        expect(page.locator("input.pick")).to_have_count(2, timeout=60_000)  # compared again
        page.click("#ptv-undo")
        expect(page.locator("input.pick")).to_have_count(4, timeout=60_000)
        for n in ("1", "2", "3"):
            page.uncheck(f'input.pick[value="{n}"]')
        page.click("#ptv-apply button[type=submit]")  # edit 4 alone
        expect(page.locator("#ptv-apply-result")).to_contain_text(one, timeout=60_000)
        assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)


def test_edits_that_change_nothing_write_nothing(client: TestClient, model: Path) -> None:  # noqa: F811
    """A batch whose edits leave their rows as they are (the rename the comparison proposed,
    applied once already) is no change, as a single save that changes nothing: no file,
    change-log line, version or ETag; answered as saved with a message in the request's
    language. In a batch with a real change only the real one is logged (and undone)."""
    from polku.ops.batch import write_all

    store = client.app.state.store
    editor = {"Authorization": f"Bearer {TOKEN}"}
    compared = client.post("/api/graphs/naantali/ptv/compare", json={"files": files()})
    rename = compared.json()["edits"][2]
    assert rename["action"] == "update" and rename["key"] == "etsiva-nuorisotyo", rename
    first = client.post("/api/graphs/naantali/ptv/apply", json={"files": files(), "pick": [3]},
                        headers={**editor, "If-Match": compared.headers["etag"]})
    assert first.status_code == 200 and first.json()["change"]["version"] == 1, first.text
    files_before = {p.name: p.read_bytes() for p in model.iterdir()}
    log = model.parent / ".polku" / "naantali.changes.jsonl"
    log_before = log.read_bytes()
    edit = {k: rename[k] for k in ("action", "sheet", "key", "row")}
    for lang, said in (("fi", "ei muutosta"), ("sv", "ingen ändring"), ("en", "no change")):
        j = store.edit_batch("naantali", first.headers["etag"], "anna", [edit, edit],
                             "ptv compare", lang=lang)
        assert j["unchanged"] is True and j["change"] is None, j
        assert said in j["message"].casefold() and "2" in j["message"], j["message"]
        assert j["etag"] == version_of_tag(first.headers["etag"])
        assert j["findings"] == {"created": [], "resolved": []}
    assert version_of_tag(client.get("/api/graphs/naantali").headers["etag"]) == \
        version_of_tag(first.headers["etag"])
    assert {p.name: p.read_bytes() for p in model.iterdir()} == files_before
    assert log.read_bytes() == log_before
    # the same as the command line's writer: the graph given back, no entry
    g = load_graph(model)
    assert write_all(model, g, [edit], "anna", "ptv compare") == (g, None)
    assert log.read_bytes() == log_before
    # beside a real change, the no-op is not logged: undo takes back the real one alone
    real = {"action": "update", "sheet": "actors", "key": "naantalin-kaupunki",
            "row": {"name_sv": "Nådendals stad"}}
    j = store.edit_batch("naantali", first.headers["etag"], "anna", [edit, real], "ptv compare")
    assert j["change"]["version"] == 2 and [c["key"] for c in j["change"]["changes"]] == [
        "naantalin-kaupunki"], j["change"]
    undo = client.post("/api/graphs/naantali/undo", headers={**editor, "If-Match": f'"{j["etag"]}"'})
    assert undo.status_code == 200, undo.text
    assert {p.name: p.read_bytes() for p in model.iterdir()} == files_before
