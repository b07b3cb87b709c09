"""What a program reading the API meets, through the real app: answers in the language
asked (names too, as ``polku show`` gives them), the API's own words in its errors (header
names, not the pages' fields), the credential judged before the body, a 404 for what the
path names and a 400 for a query parameter (with ``did_you_mean``), one strict rule for
choices, an ETag on every answer made from graphs, the audience rule on every route, and
the ``graph`` key on every graph's answer."""

from __future__ import annotations

import asyncio
import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, PLAN, SECOND_REGION, etag_of, run
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "editortoken-aaaaaaaaaaaaaaaa"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
G = "/api/graphs/keski-uusimaa"
#: a segment of the second region made small (1-4 people): the public never reads its size
SMALL = "seg-tyovalmiit"


def small_segment(folder: Path) -> None:
    """``SMALL`` of the region in ``folder`` given 3 people."""
    path = folder / "segments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for row in rows:
        if row["id"] == SMALL:
            row["size"] = "3"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    shutil.copytree(SECOND_REGION, folder / "keski-suomi")
    small_segment(folder / "keski-suomi")
    shutil.copy(PLAN, folder / "plan.ttl")
    return folder


@pytest.fixture(scope="module")
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], parse_tokens(f"maija.mäkelä:{TOKEN}")),
                      raise_server_exceptions=False)


# -- 1. a graph in the language asked --------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en", "fi"])
def test_a_graph_says_what_show_says_in_the_language_asked(client: TestClient, served: Path,
                                                          lang: str) -> None:
    shown = json.loads(run("show", served / "keski-uusimaa", "--format", "json", "--suppress",
                           "--lang", lang).output)
    for asked in ({"params": {"lang": lang}}, {"headers": {"Accept-Language": lang}}):
        api = client.get(G, **asked).json()
        assert {k: api.get(k) for k in shown} == shown, asked
    if lang != "fi":
        finnish = json.loads(run("show", served / "keski-uusimaa", "--format", "json",
                                 "--suppress").output)
        assert api["segments"][0]["name"] != finnish["segments"][0]["name"]
        assert api["region"] != finnish["region"]
        assert all(s["entry_names"] for s in api["segments"])


def test_an_editor_reads_the_true_description(client: TestClient, served: Path) -> None:
    true = json.loads(run("show", served / "keski-suomi", "--format", "json",
                          "--no-suppress", "--lang", "sv").output)
    public = json.loads(run("show", served / "keski-suomi", "--format", "json",
                            "--suppress", "--lang", "sv").output)
    assert true != public
    api = client.get("/api/graphs/keski-suomi?lang=sv", headers=EDITOR).json()
    assert {k: api.get(k) for k in true} == true
    api = client.get("/api/graphs/keski-suomi?lang=sv").json()
    assert {k: api.get(k) for k in public} == public


# -- 2. the API's words in every language ------------------------------------------------

def test_the_apis_refusals_say_the_apis_words_in_every_language(client: TestClient) -> None:
    for lang in ("fi", "sv", "en"):
        r = client.post(f"{G}/undo?lang={lang}")
        message = r.json()["error"]["message"]
        assert r.status_code == 401 and "'Authorization: Bearer <token>'" in message, message
        assert not re.search("Muokkausavain|Redigeringsnyckel|Edit key", message), message
        r = client.post(f"{G}/undo?lang={lang}", headers={**EDITOR, "If-Match": '"old"'})
        message = r.json()["error"]["message"]
        assert r.status_code == 412 and "If-Match" in message, message
        assert not re.search("sivu|sidan|page", message), message


def test_the_pages_carry_their_own_words_for_those_refusals(client: TestClient) -> None:
    words = {"fi": ("kenttään Muokkausavain", "lataa sivu uudelleen"),
             "sv": ("fältet Redigeringsnyckel", "ladda om sidan"),
             "en": ("the field Edit key", "reload the page")}
    for lang, (key, reload) in words.items():
        page = client.get(f"/graphs/keski-uusimaa?lang={lang}").text
        data = json.loads(re.search(r'<script type="application/json" id="polku-page">(.*?)'
                                    r"</script>", page, re.S).group(1))
        assert key in data["text"]["needKey"] and reload in data["text"]["changed"], lang
        assert "Authorization" not in data["text"]["needKey"] + data["text"]["changed"]


# -- 3. the credential before the body ---------------------------------------------------

def test_a_large_write_without_a_credential_is_401_and_its_body_is_never_read(
        client: TestClient) -> None:
    big = json.dumps({"description": "a" * 1_100_000}).encode()
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    for who in ({}, {"Authorization": "Bearer wrong-token-0123456789"}):
        r = client.patch(f"{G}/rows/services/tuva", content=big, headers={**headers, **who})
        assert r.status_code == 401, r.text
        assert r.json()["error"]["field"] == "Authorization"
        assert r.headers["www-authenticate"].startswith('Bearer realm="polku"')
        # sent in chunks, without a declared length: the same
        r = client.patch(f"{G}/rows/services/tuva", content=iter([big[:600_000], big[600_000:]]),
                         headers={**headers, **who})
        assert r.status_code == 401, r.text
    # with the credential, the body's size is what is wrong
    r = client.patch(f"{G}/rows/services/tuva", content=big,
                     headers={**headers, **EDITOR, "If-Match": etag_of(client, "keski-uusimaa")})
    assert r.status_code == 413 and r.json()["error"]["field"] == "body"

    # the 401 is answered before any byte of the body is received
    app = client.app
    sent: list[dict] = []

    async def receive() -> dict:
        raise AssertionError("the body was read")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": "PATCH", "scheme": "http",
             "path": f"{G}/rows/services/tuva", "raw_path": f"{G}/rows/services/tuva".encode(),
             "root_path": "", "query_string": b"", "server": ("test", 80),
             "client": ("127.0.0.1", 1), "headers": [(b"content-type", b"application/json"),
                                                    (b"content-length", str(len(big)).encode())]}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 401


# -- 4. an unknown sheet in the path ------------------------------------------------------

def test_an_unknown_sheet_in_the_path_is_a_404_with_the_sheet_likely_meant(
        client: TestClient) -> None:
    for r in (client.get(f"{G}/rows/referals"), client.get(f"{G}/rows/referals/x"),
              client.delete(f"{G}/rows/referals/x",
                            headers={**EDITOR, "If-Match": etag_of(client, "keski-uusimaa")})):
        error = r.json()["error"]
        assert r.status_code == 404 and error["code"] == "not-found", r.text
        assert error["field"] == "sheet" and error["did_you_mean"] == "referrals"
    r = client.get(f"{G}/rows/nosheet/x?lang=en")
    error = r.json()["error"]
    assert r.status_code == 404 and error["field"] == "sheet" and "did_you_mean" not in error
    assert error["message"].startswith("no sheet named 'nosheet' (sheets: graph, actors")
    # a graph the path names: the same
    error = client.get("/api/graphs/keski-uusima/rows/services").json()["error"]
    assert (error["code"], error["field"], error["did_you_mean"]) == \
        ("not-found", "name", "keski-uusimaa")
    # the OpenAPI still names the sheets
    rows = client.get("/openapi.json").json()["paths"]["/api/graphs/{name}/rows/{sheet}"]
    described = [p for p in rows["get"]["parameters"] if p["name"] == "sheet"][0]
    assert "referrals" in described["description"]


# -- 5. compare ------------------------------------------------------------------------------

def test_an_unknown_graph_to_compare_is_a_400_naming_the_parameter(client: TestClient) -> None:
    r = client.get("/api/compare?graphs=keski-uusima,keski-uusimaa&lang=en")
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "bad-request", r.text
    assert error["field"] == "graphs" and error["did_you_mean"] == "keski-uusimaa"
    assert error["message"] == "no graph named 'keski-uusima'; did you mean 'keski-uusimaa'?"
    r = client.get("/api/compare?graphs=nowhere,keski-uusimaa")
    assert r.status_code == 400 and "did_you_mean" not in r.json()["error"]
    # the page says the same, as a page
    r = client.get("/compare?graphs=keski-uusima,keski-uusimaa&lang=en",
                   headers={"Accept": "text/html"})
    assert r.status_code == 400 and "keski-uusimaa" in r.text


def test_compare_names_the_regions_in_the_language_asked(client: TestClient,
                                                         served: Path) -> None:
    for lang in ("sv", "en"):
        api = client.get(f"/api/compare?graphs=keski-suomi,keski-uusimaa&lang={lang}").json()
        for region in api["regions"]:
            assert region["title"] == region[f"title_{lang}"]
            assert region["region_name"] == region[f"region_name_{lang}"]
        cli = json.loads(run("compare", served / "keski-suomi", served / "keski-uusimaa",
                             "--format", "json", "--lang", lang).output)
        assert {k: v for k, v in api.items() if k not in ("not_compared", "not_regions", "merged_left_out")} == cli
    fi = client.get("/api/compare?graphs=keski-suomi,keski-uusimaa").json()["regions"][0]
    assert fi["title"].startswith("Keski-Suomen") and fi["region_name"] == "Keski-Suomi"


def test_compare_gives_an_editor_the_true_figures(client: TestClient, served: Path) -> None:
    asked = "/api/compare?graphs=keski-suomi,keski-uusimaa"
    public, editor = client.get(asked).json(), client.get(asked, headers=EDITOR).json()
    assert public["regions"][0]["suppressed_segments"] == 1
    assert editor["regions"][0]["suppressed_segments"] == 0
    assert editor["regions"][0]["people"] == public["regions"][0]["people"] + 3
    true = json.loads(run("compare", served / "keski-suomi", served / "keski-uusimaa",
                          "--format", "json", "--no-suppress").output)
    assert {k: v for k, v in editor.items() if k not in ("not_compared", "not_regions", "merged_left_out")} == true
    # a credential that is not valid reads as none
    wrong = client.get(asked, headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert wrong.json() == public
    parameters = client.get("/openapi.json").json()["paths"]["/api/compare"]["get"]["parameters"]
    assert "Authorization" in {p["name"] for p in parameters if p["in"] == "header"}


# -- 6. one rule for choices; ETags on lists -------------------------------------------------

def test_lang_is_one_of_fi_sv_en_exactly(client: TestClient) -> None:
    for bad in ("", "SV", "Fi", " en"):
        for path in (G, "/api/graphs", "/api/compare", "/graphs/keski-uusimaa/report"):
            r = client.get(path, params={"lang": bad})
            assert r.status_code == 400, (path, bad)
            assert r.json()["error"]["field"] == "lang"
    assert client.get(f"{G}/findings", params={"severity": "ERROR"}).status_code == 400
    # the header is no choice of the API: it is HTTP's, and matched as HTTP says
    assert client.get(G, headers={"Accept-Language": "SV-fi"}).json()["title"].startswith(
        "Mellersta")


@pytest.mark.parametrize("path", ["/api/graphs", "/api/compare",
                                  "/api/compare?graphs=keski-suomi,keski-uusimaa"])
def test_the_lists_made_from_graphs_have_an_etag_and_revalidate(client: TestClient,
                                                                path: str) -> None:
    r = client.get(path)
    tag = r.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]{12}(-gzip)?"', tag), tag
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(path + ("&" if "?" in path else "?") + "lang=en").headers["etag"] != tag
    assert client.get(path, headers=EDITOR).headers["etag"] != tag or path == "/api/graphs"


def test_a_lists_etag_moves_with_a_graph(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    shutil.copytree(SECOND_REGION, tmp_path / "keski-suomi")
    client = TestClient(create_app([tmp_path], parse_tokens(f"m:{TOKEN}")))
    before = {p: client.get(p).headers["etag"] for p in ("/api/graphs", "/api/compare")}
    r = client.patch(f"{G}/rows/services/tuva", json={"capacity_per_month": "31"},
                     headers={**EDITOR, "If-Match": etag_of(client, "keski-uusimaa")})
    assert r.status_code == 200, r.text
    for path, tag in before.items():
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 200, path
        assert client.get(path).headers["etag"].split("-")[0] != tag.split("-")[0], path


# -- 7. labels and the graph key -------------------------------------------------------------

def test_a_removal_is_labelled_by_its_name_alone(client: TestClient) -> None:
    answer = client.get(f"{G}/whatif?remove=tuva").json()
    assert answer["removed"] == "tuva"
    assert answer["removed_label"] == "Tutkintokoulutukseen valmentava koulutus (TUVA)"
    assert answer["removed_label"] == answer["removed_labels"]["tuva"]
    sv = client.get(f"{G}/whatif?remove=tuva&lang=sv").json()
    assert sv["removed_label"] == sv["removed_labels"]["tuva"] and "(tuva)" not in \
        sv["removed_label"]
    # the terminal's question still shows the id beside the name
    out = run("whatif", EXAMPLE, "--remove", "tuva", "--lang", "en").output
    assert "(TUVA) (tuva) were removed" in out


def test_every_graphs_answer_names_its_graph(client: TestClient) -> None:
    assert client.get(f"{G}/blueprint?subject=seg-nuoret").json()["graph"] == "keski-uusimaa"
    assert client.get("/api/graphs/plan/plan").json()["graph"] == "plan"
