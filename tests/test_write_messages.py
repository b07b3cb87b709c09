"""Every message a write can answer is catalogued and worded at the edge (issue 20): the
workbook rules and the SHACL shapes raise a template with its parameters, the server's own
refusals (401, 403, 412, 413, 422, 428) are templates too, and the API words them in the
request's ``?lang=`` (the pages' scripts send it); without ``lang`` the answer stays the
English it always was."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, etag_of
from polku.app import create_app
from polku.io.validate import SHAPE_MESSAGES, ontology_path
from polku.present.i18n import translator
from polku.server.auth import parse_tokens

TOKEN = "designer-token-0123456789"


@pytest.fixture
def client(tmp_path) -> TestClient:
    copy_mini(tmp_path / "mini")
    return TestClient(create_app([tmp_path / "mini"], parse_tokens(f"d:{TOKEN}")))


def post(client: TestClient, row: dict, lang: str | None = None, **headers: str):
    query = f"?lang={lang}" if lang else ""
    return client.post(f"/api/graphs/mini/rows/referrals{query}", json=row, headers={
        "Authorization": f"Bearer {TOKEN}", "If-Match": etag_of(client), **headers})


def test_every_shape_message_is_catalogued_and_translated() -> None:
    shapes = set(re.findall(r'sh:message "([^"]*)"', ontology_path("shapes.ttl")
                            .read_text(encoding="utf-8")))
    assert shapes == set(SHAPE_MESSAGES)
    for lang in ("fi", "sv"):
        tr = translator(lang)
        assert [m for m in SHAPE_MESSAGES if tr(m) == m] == []


def test_a_typo_in_a_reference_is_answered_in_the_pages_language(client) -> None:
    row = {"id": "r9", "from": "kuntouttava", "to": "tyo-typo", "volume_per_month": "4x"}
    fi = post(client, row, "fi").json()["error"]
    assert fi["field"] in ("to", "volume_per_month")
    by_field = {p["field"]: p for p in fi["problems"]}
    assert by_field["to"]["text"] == "tuntematon tunnus 'tyo-typo' (odotettiin: palvelu tai tulos)"
    assert "taulukko 'referrals'" in by_field["to"]["message"]
    assert "sarake 'to'" in by_field["to"]["message"]
    assert by_field["volume_per_month"]["text"] == "'4x' ei ole luku"
    sv = post(client, row, "sv").json()["error"]
    assert {p["field"]: p["text"] for p in sv["problems"]}["to"] == \
        "okänt id 'tyo-typo' (förväntat: tjänst eller utfall)"
    # without lang: the API's default, Finnish, as its findings
    assert post(client, row).json()["error"] == fi
    # in English: the English of polku import
    en = post(client, row, "en").json()["error"]
    assert "column 'volume_per_month': '4x' is not a number" in en["message"]
    assert {p["field"]: p["text"] for p in en["problems"]}["to"] == \
        "unknown service or outcome id 'tyo-typo'"


def test_the_servers_refusals_are_worded_too(client) -> None:
    row = {"id": "r9", "from": "kuntouttava", "to": "tyo"}
    r = client.post("/api/graphs/mini/rows/referrals?lang=fi", json=row)
    # the API's words, in every language: its header, not the page's field (the page says
    # "write it in the field Muokkausavain" itself: tests/test_api_client.py)
    assert r.status_code == 401 and r.json()["error"]["message"] == \
        "muutos tarvitsee muokkausavaimen (otsake 'Authorization: Bearer <token>')"
    r = client.post("/api/graphs/mini/rows/referrals?lang=sv", json=row,
                    headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert r.status_code == 401 and "redigeringsnyckel" in r.json()["error"]["message"]
    r = post(client, row, "fi", **{"If-Match": '"stale"'})
    assert r.status_code == 412 and "If-Match" in r.json()["error"]["message"]
    assert "lue se uudelleen" in r.json()["error"]["message"]
    r = client.post("/api/graphs/mini/rows/referrals?lang=fi", json=row,
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 428 and "If-Match-otsakkeen" in r.json()["error"]["message"]
    r = client.post("/api/graphs/mini/rows/referrals?lang=fi", content=b"x" * (2 << 20),
                    headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag_of(client),
                             "Content-Type": "application/json"})
    assert r.status_code == 413 and "tavua" in r.json()["error"]["message"]
    # the number as each language writes it, the body encoded as every other error's
    for lang, figure in (("fi", "1\xa0048\xa0576"), ("sv", "1\xa0048\xa0576"),
                         ("en", "1,048,576")):
        r = client.post(f"/api/graphs/mini/rows/referrals?lang={lang}",
                        content=b"x" * (2 << 20), headers={"Authorization": f"Bearer {TOKEN}",
                                                           "Content-Type": "application/json"})
        message = r.json()["error"]["message"]
        assert r.status_code == 413 and figure in message, (lang, message)
        assert r.content == json.dumps(r.json(), ensure_ascii=False,
                                       separators=(",", ":")).encode(), r.content
        assert r.headers["content-type"] == "application/json"
    r = client.post("/api/graphs/nowhere/undo?lang=fi",
                    headers={"Authorization": f"Bearer {TOKEN}", "If-Match": '"x"'})
    assert r.status_code == 404 and r.json()["error"]["message"] == "aineistoa 'nowhere' ei ole"
    read_only = TestClient(create_app([MINI]))
    r = read_only.post("/api/graphs/mini/rows/referrals?lang=fi", json=row)
    assert r.status_code == 403 and "vain luettavissa" in r.json()["error"]["message"]
    # without lang: Finnish, the API's default; Accept-Language is followed
    r = read_only.post("/api/graphs/mini/rows/referrals", json=row)
    assert r.json()["error"]["message"].startswith("tämä palvelin on vain luettavissa")
    r = read_only.post("/api/graphs/mini/rows/referrals", json=row,
                       headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert r.json()["error"]["message"].startswith("this server is read-only")


def test_the_cli_says_import_validate_merge_and_diff_in_the_language_asked(tmp_path) -> None:
    from helpers import edit, run

    bad = copy_mini(tmp_path / "bad")
    edit(bad / "services.csv", ",20,", ",20x,")
    r = run("import", bad, "-o", tmp_path / "out.ttl", "--lang", "fi")
    assert r.exit_code == 1
    assert "virhe: " in r.stderr and "taulukko 'services'" in r.stderr
    assert "'20x' ei ole luku" in r.stderr and "is not a number" not in r.stderr
    r = run("validate", bad, env={"POLKU_LANG": "sv"})
    assert r.exit_code == 1 and "'20x' är inte ett tal" in r.stderr and "fel: " in r.stderr
    # without --lang or POLKU_LANG: Finnish, as every command (English with --lang en)
    r = run("validate", bad, env={"POLKU_LANG": ""})
    assert "virhe: " in r.stderr and "'20x' ei ole luku" in r.stderr
    r = run("validate", bad, "--lang", "en")
    assert "error: " in r.stderr and "'20x' is not a number" in r.stderr
    r = run("import", MINI, "-o", tmp_path / "ok.ttl", "--lang", "fi")
    assert r.exit_code == 0 and r.stdout.startswith("kirjoitettu ") and "palvelut 2" in r.stdout
    assert run("validate", MINI, "--lang", "sv").stdout.startswith(f"{MINI}: giltig")
    r = run("merge", MINI, "-o", tmp_path / "n.ttl", "--lang", "fi")
    assert r.exit_code == 1 and "vähintään kaksi aineistoa" in r.stderr
    r = run("diff", MINI, MINI, "--format", "html", "--lang", "sv")
    assert r.exit_code == 1 and "html-jämförelsen är en sida" in r.stderr
