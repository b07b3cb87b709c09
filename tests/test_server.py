"""The shared workspace over HTTP: the error contract, headers, a store that keeps serving
when a source breaks, and row edits with tokens, ETags, the workbook rules, the change log
and undo — on every kind of source, through the real app (and the real server process)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, edit_controls, etag_of, run
from processes import free_port
from polku.io import rdf, workbook
from polku.app import create_app
from polku.errors import PolkuErrors
from polku.server.auth import parse_tokens

ANNA, BO = "anna-token-0123456789", "bo-token-9876543210ab"
TOKENS = parse_tokens(f"anna:{ANNA}\nbo:{BO}")


def auth(token: str = ANNA, etag: str | None = None) -> dict[str, str]:
    # asked in English: these tests compare with the English messages (the API's
    # default language is Finnish)
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {token}"}
    if etag:
        headers["If-Match"] = etag
    return headers


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


def touch_later(path: Path) -> None:
    """Move a file's time forward, so a change within the same clock tick is seen."""
    later = time.time() + 5
    os.utime(path, (later, later))


# -- the error contract -------------------------------------------------------------------

def test_every_error_has_one_shape(client: TestClient) -> None:
    cases = [
        (client.get("/api/graphs/nowhere"), 404, "not-found", "name"),
        (client.get("/api/graphs/mini/paths", params={"segment": "nope"}), 400, "bad-request", "segment"),
        (client.get("/api/graphs/mini/findings", params={"severity": "fatal"}), 400, "bad-request", "severity"),
        (client.get("/api/graphs/mini/bottlenecks", params={"top": "x"}), 400, "bad-request", "top"),
        (client.get("/api/graphs/mini/rows/nosheet"), 404, "not-found", "sheet"),
        (client.get("/api/graphs/mini/rows/services/nope"), 404, "not-found", "key"),
        (client.get("/no/such/route"), 404, "not-found", None),
        (client.put("/api/graphs"), 405, "method-not-allowed", None),
    ]
    for r, status, code, field in cases:
        assert r.status_code == status, r.text
        body = r.json()
        assert set(body) == {"error"} and {"code", "message", "field"} <= set(body["error"])
        assert (body["error"]["code"], body["error"]["field"]) == (code, field), body


def test_allow_names_every_method_of_the_path(client: TestClient) -> None:
    """A path's methods are routes of their own (GET, PATCH, DELETE of a row): a 405 and
    OPTIONS list them all, HEAD wherever GET is."""
    takes = {"/api/graphs/mini/rows/services/kuntouttava": "GET, HEAD, PATCH, DELETE, OPTIONS",
             "/api/graphs/mini/rows/services": "GET, HEAD, POST, OPTIONS",
             "/api/graphs/mini/undo": "POST, OPTIONS",
             "/graphs/mini": "GET, HEAD, OPTIONS"}
    for path, allow in takes.items():
        r = client.put(path)
        assert r.status_code == 405 and r.headers["allow"] == allow, (path, r.headers)
        assert r.json()["error"]["code"] == "method-not-allowed"
        r = client.options(path)
        assert r.status_code == 204 and r.headers["allow"] == allow and r.content == b""
        for method in allow.split(", "):  # each method listed is taken (none is a 405)
            assert client.request(method, path).status_code != 405, (path, method)
    assert client.options("/no/such/route").status_code == 404


def test_a_body_not_sent_as_json_is_told_to_say_so(client: TestClient) -> None:
    """``curl -d`` sends a form's type: the body is refused with 415 saying which header
    to send (not "a JSON object is needed here, not '{...}'"); a request without a
    credential to a write route is told that first, whatever its body."""
    row = "/api/graphs/mini/rows/services/kuntouttava"
    body = b'{"capacity_per_month": "22"}'
    etag = etag_of(client)
    for kind in ("application/x-www-form-urlencoded", "text/plain", None):
        headers = {**auth(etag=etag), **({"Content-Type": kind} if kind else {})}
        r = client.patch(row, content=body, headers=headers)
        assert r.status_code == 415, (kind, r.text)
        assert r.json()["error"] == {
            "code": "unsupported-media-type", "field": "Content-Type",
            "message": "the body is JSON: send it with the header "
                       "'Content-Type: application/json'"}
    r = client.patch(row, content=body, headers={**auth(etag=etag), "Accept-Language": "fi",
                                                 "Content-Type": "text/plain"})
    assert r.status_code == 415 and "Content-Type: application/json" in \
        r.json()["error"]["message"] and "JSON" in r.json()["error"]["message"]
    assert "body" not in r.json()["error"]["message"], r.text  # said in Finnish
    r = client.post("/api/graphs/mini/ptv/compare", content=b'{"files": []}',
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 415  # a public route that takes a body, too
    for content, kind in ((body, "text/plain"), (b'{"capacity', "application/json"),
                          (b"[1]", "application/json")):
        for path in (row, "/api/graphs/mini/rows/nosheet/x"):
            r = client.patch(path, content=content, headers={"Content-Type": kind,
                                                             "Accept-Language": "en"})
            assert r.status_code == 401, (path, content, r.text)
            assert r.json()["error"]["field"] == "Authorization"
    r = client.patch(row, content=body, headers={**auth(etag=etag),
                                                 "Content-Type": "application/json"})
    assert r.status_code == 200, r.text


def test_openapi_documents_every_status_in_the_contract(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ops = schema["paths"]
    assert set(ops["/api/graphs/{name}/rows/{sheet}"]["post"]["responses"]) == {
        "201", "400", "401", "403", "404", "405", "409", "412", "413", "415", "422", "428"}
    assert set(ops["/api/graphs/{name}/findings"]["get"]["responses"]) == {
        "200", "304", "400", "404", "405", "409"}
    ref = ops["/api/graphs/{name}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert ref == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in json.dumps(schema)


def test_browsers_get_an_html_error_page_in_the_ui_language(client: TestClient) -> None:
    html = {"Accept": "text/html,application/xhtml+xml"}
    r = client.get("/graphs/nowhere", headers=html)  # Finnish by default
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in r.text and "Ei löydy" in r.text and "nowhere" in r.text
    r = client.get("/graphs/nowhere", params={"lang": "en"}, headers=html)
    assert '<html lang="en">' in r.text and "Not found" in r.text and "nowhere" in r.text


def test_head_headers_gzip_and_caching(client: TestClient) -> None:
    get = client.get("/graphs/mini", headers={"Accept-Encoding": "gzip"})
    head = client.head("/graphs/mini", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert get.headers["content-encoding"] == "gzip"
    for r in (get, head, client.get("/api/graphs/nowhere"), client.get("/openapi.json")):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert get.headers["cache-control"] == "no-cache" and get.headers["etag"]
    assert client.head("/api/graphs/mini").status_code == 200
    raw = client.get("/api/graphs/mini/findings", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and raw.json()["graph"] == "mini"
    static = client.get("/static-offline-docs/swagger-ui.css")
    assert static.status_code == 200 and "max-age=86400" in static.headers["cache-control"]


def test_an_unchanged_answer_is_revalidated_with_304(client: TestClient) -> None:
    """If-None-Match naming the answer's ETag gets 304 and no body (the API's rows, the
    graph, its page; gzip or not, GET or HEAD); each coding, language and audience has an
    ETag of its own; a write's If-Match takes any of them, and a write makes them all new."""
    paths = ("/api/graphs/mini/rows/services", "/api/graphs/mini", "/graphs/mini",
             "/api/graphs/mini/findings")
    tags = set()
    for path in paths:
        for coding in ("gzip", "identity"):
            first = client.get(path, headers={"Accept-Encoding": coding})
            tag = first.headers["etag"]
            assert tag.endswith('-gzip"') == (first.headers.get("content-encoding") == "gzip")
            tags.add(tag)
            for method in ("GET", "HEAD"):
                for asked in (tag, f'"other", {tag}', f"W/{tag}", "*"):
                    r = client.request(method, path, headers={"Accept-Encoding": coding,
                                                              "If-None-Match": asked})
                    assert r.status_code == 304 and r.content == b"", (path, asked, r)
                    assert r.headers["etag"] == tag and "content-length" not in r.headers
                    assert r.headers["cache-control"] == "no-cache"
                    assert "Accept-Language" in r.headers["vary"]
            r = client.get(path, headers={"Accept-Encoding": coding,
                                          "If-None-Match": '"something-else"'})
            assert r.status_code == 200 and r.content == first.content
    page = "/graphs/mini"
    gz = client.get(page, headers={"Accept-Encoding": "gzip"}).headers["etag"]
    plain = client.get(page, headers={"Accept-Encoding": "identity"}).headers["etag"]
    assert gz != plain  # RFC 9110: one strong ETag is one representation
    english = client.get(page, params={"lang": "en"}, headers={"Accept-Encoding": "identity"})
    assert english.headers["etag"] != plain
    r = client.get(page, params={"lang": "en"}, headers={"If-None-Match": plain,
                                                         "Accept-Encoding": "identity"})
    assert r.status_code == 200  # the Finnish page's tag is not the English page's
    editor = client.get("/api/graphs/mini/rows/services", headers=auth())
    public = client.get("/api/graphs/mini/rows/services")
    assert editor.headers["etag"] != public.headers["etag"] or editor.content == public.content
    # a write names the version by any of its answers' tags
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": "21"}, headers=auth(etag=gz))
    assert r.status_code == 200, r.text
    for path in paths:
        r = client.get(path, headers={"If-None-Match": ", ".join(tags)})
        assert r.status_code == 200 and r.headers["etag"] not in tags, path


def test_a_304_carries_the_content_security_policy_of_the_200_it_stands_for(
        client: TestClient) -> None:
    """A browser applies the 304's headers to the page it keeps (RFC 9111 4.3.4): a 304
    without the page's script hashes would block every inline script after a reload."""
    for path in ("/graphs/mini", "/graphs/mini/changes", "/api/graphs/mini/findings"):
        for coding in ("gzip", "identity"):
            first = client.get(path, params={"lang": "sv"}, headers={"Accept-Encoding": coding})
            assert first.status_code == 200
            again = client.get(path, params={"lang": "sv"}, headers={
                "Accept-Encoding": coding, "If-None-Match": first.headers["etag"]})
            assert again.status_code == 304, (path, coding)
            assert again.headers["content-security-policy"] == \
                first.headers["content-security-policy"], (path, coding)
    page = client.get("/graphs/mini").headers["content-security-policy"]
    assert "'sha256-" in page  # the page's own scripts are named


# -- a store that keeps serving -----------------------------------------------------------

def test_a_broken_source_serves_the_last_good_version(client: TestClient, served: Path) -> None:
    good = client.get("/api/graphs/mini/findings").json()
    services = served / "mini" / "services.csv"
    services.write_text(services.read_text().replace("40,5", "40x"))
    touch_later(services)
    r = client.get("/api/graphs/mini/findings")
    assert r.status_code == 200 and r.json() == good
    r = client.get("/api/graphs/mini/findings", params={"lang": "en"})
    stale = r.headers["x-polku-stale"]
    assert "mini/services.csv" in stale and "row 2" in stale and "capacity_per_month" in stale
    assert str(served) not in stale  # no absolute server paths
    listed = {g["name"]: g for g in client.get("/api/graphs").json()}
    # where and what, never the cell's text (docs/workbook.md, Privacy)
    assert listed["mini"]["state"] == "stale" and "'...'" in listed["mini"]["problem"]
    assert "40x" not in listed["mini"]["problem"]
    page = client.get("/graphs/mini", params={"lang": "en"})
    assert page.status_code == 200 and "The source is broken" in page.text
    assert "x-polku-stale" in client.get("/graphs/mini/view").headers
    services.write_text((MINI / "services.csv").read_text())
    touch_later(services)
    r = client.get("/api/graphs/mini")
    assert "x-polku-stale" not in r.headers and r.json()["state"] == "ok"


def test_a_broken_sources_problem_is_told_in_the_readers_language(client: TestClient,
                                                                  served: Path) -> None:
    """``X-Polku-Stale`` and the summary's ``problem`` follow the request's language as every
    text of the API: ``?lang=``, else ``Accept-Language``, else Finnish; the header is one
    line of ASCII, its UTF-8 percent-encoded (``unquote`` gives the text back)."""
    from urllib.parse import unquote

    assert client.get("/api/graphs/mini").status_code == 200  # a good version first
    services = served / "mini" / "services.csv"
    services.write_text(services.read_text().replace("40,5", "40x"))
    touch_later(services)
    said = {
        "fi": ({}, {}, "taulukko 'services', rivi 2, sarake 'capacity_per_month': '...' ei ole luku"),
        "sv": ({}, {"Accept-Language": "sv-FI,sv;q=0.9"},
               "blad 'services', rad 2, kolumn 'capacity_per_month': '...' är inte ett tal"),
        "en": ({"lang": "en"}, {"Accept-Language": "sv"},  # ?lang= wins over the browser's
               "sheet 'services', row 2, column 'capacity_per_month': '...' is not a number"),
    }
    for lang, (query, headers, text) in said.items():
        for path in ("/api/graphs/mini", "/api/graphs/mini/findings", "/api/graphs/mini/rows/services",
                     "/api/graphs/mini/export", "/graphs/mini"):
            r = client.get(path, params=query, headers=headers)
            stale = r.headers["x-polku-stale"]
            assert stale.isascii() and "\n" not in stale, stale
            assert unquote(stale) == f"mini/services.csv, {text}", (lang, path, stale)
            assert "accept-language" in r.headers["vary"].lower()
        summary = client.get("/api/graphs/mini", params=query, headers=headers).json()
        assert summary["problem"] == f"mini/services.csv, {text}", lang
        listed = client.get("/api/graphs", params=query, headers=headers).json()
        assert [g["problem"] for g in listed if g["name"] == "mini"] == [summary["problem"]]
    r = client.get("/api/graphs", params={"lang": "xx"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "lang"
    # a write to the broken source is refused with its problem in the reader's language too
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava", json={"name": "X"},
                     headers={**auth(etag=client.get("/api/graphs/mini").headers["etag"]),
                              "Accept-Language": "fi"})
    assert r.status_code == 409 and said["fi"][2] in r.json()["error"]["message"], r.text
    assert "lähde on rikki" in r.json()["error"]["message"] or "row 2" not in r.text
    # the header of a problem written with letters outside ASCII (Swedish: "källan"): a
    # graph served by its own path that is moved away (one found in a served folder is
    # dropped instead: tests/test_server_health.py)
    services.write_text((MINI / "services.csv").read_text())
    touch_later(services)
    named = TestClient(create_app([served / "mini"], TOKENS))
    assert named.get("/api/graphs/mini").json()["state"] == "ok"
    shutil.move(served / "mini", served.parent / "moved-away")
    sv = named.get("/api/graphs/mini", headers={"Accept-Language": "sv"})
    fi = named.get("/api/graphs/mini")
    assert unquote(sv.headers["x-polku-stale"]) == sv.json()["problem"] != fi.json()["problem"]
    assert unquote(fi.headers["x-polku-stale"]) == fi.json()["problem"]
    assert "removed or moved away" not in fi.json()["problem"] + sv.json()["problem"]


def test_one_broken_graph_never_takes_down_the_index(client: TestClient, served: Path) -> None:
    (served / "broken.ttl").write_text("this is not turtle")
    copy_mini(served / "second")
    listed = {g["name"]: g for g in client.get("/api/graphs").json()}
    assert listed["broken"]["state"] == "failed" and listed["broken"]["counts"] is None
    assert listed["second"]["state"] == "ok"  # a new folder is noticed without a restart
    assert client.get("/").status_code == 200
    r = client.get("/api/graphs/broken")
    assert r.status_code == 409 and r.json()["error"]["code"] == "graph-failed"
    assert str(served) not in r.text


def test_removed_and_added_sheets_and_files_are_noticed(client: TestClient, served: Path) -> None:
    assert client.get("/api/graphs/mini").json()["counts"]["path"] == 1
    (served / "mini" / "paths.csv").unlink()  # an older file's removal changes no newest mtime
    assert client.get("/api/graphs/mini").json()["counts"]["path"] == 0
    (served / "mini" / "paths.csv").write_text((MINI / "paths.csv").read_text())
    assert client.get("/api/graphs/mini").json()["counts"]["path"] == 1
    named = TestClient(create_app([served / "mini"]))  # a graph served by its own path
    assert named.get("/api/graphs/mini").status_code == 200
    shutil.move(served / "mini", served.parent / "moved-away")
    # found in a served folder: gone with its folder, as in a process that never saw it
    assert client.get("/api/graphs/mini?lang=en").status_code == 404
    assert client.get("/api/graphs").json() == []
    # named by its own path: its source broken, the last good version served
    r = named.get("/api/graphs/mini?lang=en")
    assert r.status_code == 200 and "removed or moved away" in r.headers["x-polku-stale"]
    assert client.get("/").status_code == 200 and named.get("/").status_code == 200


def test_symlinks_out_of_the_served_folder_are_refused(client: TestClient, served: Path,
                                                      tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    copy_mini(outside)
    (served / "escape").symlink_to(outside)
    (served / "mini" / "needs.csv").unlink()
    (served / "mini" / "needs.csv").symlink_to(outside / "needs.csv")
    listed = {g["name"]: g for g in client.get("/api/graphs?lang=en").json()}
    assert listed["escape"]["state"] == "failed" and "refused" in listed["escape"]["problem"]
    assert listed["mini"]["state"] == "failed" and "leads out of the workbook" in listed["mini"]["problem"]


# -- tokens and ETags ---------------------------------------------------------------------

def test_writes_need_a_token_and_the_current_etag(served: Path) -> None:
    readonly = TestClient(create_app([served]))
    new = {"id": "tyo2", "name": "Työ 2"}
    r = readonly.post("/api/graphs/mini/rows/outcomes", json=new, headers=auth())
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    client = TestClient(create_app([served], TOKENS))
    r = client.post("/api/graphs/mini/rows/outcomes", json=new)
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="polku"'
    r = client.post("/api/graphs/mini/rows/outcomes", json=new, headers=auth("wrong-token-000000000"))
    assert r.status_code == 401 and "wrong-token" not in r.text
    r = client.post("/api/graphs/mini/rows/outcomes", json=new, headers=auth())
    assert r.status_code == 428 and r.json()["error"]["field"] == "If-Match"
    r = client.post("/api/graphs/mini/rows/outcomes", json=new, headers=auth(etag='"0000"'))
    assert r.status_code == 412
    etag = etag_of(client)
    r = client.post("/api/graphs/mini/rows/outcomes", json=new, headers=auth(etag=etag))
    assert r.status_code == 201 and r.headers["etag"] != etag
    assert "tyo2,Työ 2" in (served / "mini" / "outcomes.csv").read_text()


def test_two_writers_racing_on_one_etag(client: TestClient, served: Path) -> None:
    etag = etag_of(client)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def write(token: str, value: int) -> None:
        barrier.wait()
        r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                         json={"capacity_per_month": value}, headers=auth(token, etag))
        results.append(r.status_code)

    threads = [threading.Thread(target=write, args=(t, v)) for t, v in ((ANNA, 21), (BO, 22))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 412]
    changes = client.get("/api/graphs/mini/changes").json()["changes"]
    assert len(changes) == 1
    stored = workbook.read_workbook(served / "mini").nodes["kuntouttava"]["capacity_per_month"]
    assert stored == int(changes[0]["after"]["capacity_per_month"])


def test_the_edit_controls_are_sent_shown_to_an_editor_only(client: TestClient) -> None:
    """Without scripts a reader without a key sees the edit forms collapsed under a heading
    that says a key is needed, and no follow-up or suggestion buttons; the page read with
    a key (what its script does once one is typed) has them open and shown."""
    public = edit_controls(client.get("/graphs/mini", params={"lang": "sv"}).text)
    assert public == {"forms": True, "open": False, "hidden": {True}, "key": True,
                      "heading": "Redigeringsformulär: för att redigera behövs en "
                                 "redigeringsnyckel"}
    editor = edit_controls(client.get("/graphs/mini", params={"lang": "sv"},
                                      headers={"Authorization": f"Bearer {ANNA}"}).text)
    assert editor == {"forms": True, "open": True, "hidden": {False}, "key": True,
                      "heading": "Redigeringsformulär"}
    bad = edit_controls(client.get("/graphs/mini", params={"lang": "sv"},
                                   headers={"Authorization": "Bearer not-a-key-of-anyone"}).text)
    assert bad == public


def test_the_new_service_form_labels_the_second_finnish_name_apart(client: TestClient) -> None:
    """The main name is Finnish unless the row says otherwise: without scripts the
    Finnish name beside it (name_fi, for a row named in another language first) is
    labelled so that no one types the main name into it."""
    import re

    page = client.get("/graphs/mini", params={"lang": "sv"},
                      headers={"Authorization": f"Bearer {ANNA}"}).text
    labels = dict(re.findall(r'<label for="service-(name\w*)"[^>]*>([^<]*)</label>', page))
    assert labels["name"] == "Namn på finska *"
    assert labels["name_fi"] == "Namn på finska, när huvudnamnet är på ett annat språk"
    assert len(set(labels.values())) == len(labels), labels


# -- the workbook rules -------------------------------------------------------------------

def test_a_refused_row_gets_the_import_message_and_nothing_is_written(client: TestClient,
                                                                      served: Path) -> None:
    before = (served / "mini" / "services.csv").read_bytes()
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": "20x", "providers": "keusote;kelaa"},
                     headers=auth(etag=etag_of(client)))
    assert r.status_code == 422
    error = r.json()["error"]
    # the same lines `polku import` prints for that workbook
    copy = served.parent / "copy"
    shutil.copytree(served / "mini", copy)
    text = (copy / "services.csv").read_text().replace(
        "kuntouttava,Kuntouttava työtoiminta,keusote;kela,20,",
        "kuntouttava,Kuntouttava työtoiminta,keusote;kelaa,20x,")
    (copy / "services.csv").write_text(text)
    with pytest.raises(PolkuErrors) as imported:
        workbook.read_workbook(copy)
    expected = [str(e).replace(str(copy), "mini") for e in imported.value.errors]
    assert [p["message"] for p in error["problems"]] == expected
    assert error["message"] == expected[0] and error["field"] == "capacity_per_month"
    assert (served / "mini" / "services.csv").read_bytes() == before
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []


def test_a_write_to_a_column_the_sheet_has_not_is_refused(client: TestClient,
                                                          served: Path) -> None:
    """A misspelt column (``median_wait_day``) was written as a new column on every row
    of the sheet, the column meant left as it was, with a 200. A write gives the sheet's
    own columns (and their language columns) and the extra columns it already has; any
    other is a 422 naming it, with the column likely meant; nothing is written."""
    from polku.io.sheets import writable_columns
    from polku.server.pages import FORMS

    before = {p.name: p.read_bytes() for p in (served / "mini").iterdir()}
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_day": "3"},
                     headers=auth(etag=etag_of(client)))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert (error["code"], error["field"], error["did_you_mean"]) == (
        "invalid-row", "median_wait_day", "median_wait_days")
    assert error["message"].startswith("mini/referrals.csv, sheet 'referrals', column "
                                       "'median_wait_day': no column 'median_wait_day' in "
                                       "this sheet"), error
    assert error["message"].endswith("; did you mean 'median_wait_days'?")
    assert [p["field"] for p in error["problems"]] == ["median_wait_day"]
    r = client.post("/api/graphs/mini/rows/referrals",
                    json={"id": "r9", "from": "alkuhaastattelu", "to": "tyo", "colour": "red",
                          "volume_per_month": 3},
                    headers={**auth(etag=etag_of(client)), "Accept-Language": "fi"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "colour", r.text
    assert "did_you_mean" not in r.json()["error"]
    assert "ei ole saraketta 'colour'" in r.json()["error"]["message"], r.text
    assert {p.name: p.read_bytes() for p in (served / "mini").iterdir()} == before
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []
    # an extra column the sheet has, a column of its own its header lacks, and the Finnish
    # name of a row named in another language first are written
    row = "/api/graphs/mini/rows/services/kuntouttava"
    for values, added in (({"url": "https://example.fi/ktt"}, None),
                          ({"name_sv": "Arbetsverksamhet"}, ["name_sv"]),
                          ({"name_lang": "sv", "name": "Arbetsverksamhet",
                            "name_fi": "Kuntouttava työtoiminta"}, ["name_lang", "name_fi"])):
        r = client.patch(row, json=values, headers=auth(etag=etag_of(client)))
        assert r.status_code == 200, (values, r.text)
        assert r.json()["change"].get("added_columns") == added, r.json()["change"]
    # every column the pages' edit forms offer is one a write may give, whatever the sheet
    # holds (the forms write through this API)
    assert all(c in writable_columns(f.sheet) for f in FORMS for c in f.columns)


def test_a_count_of_people_past_finlands_is_a_typo_refused(client: TestClient,
                                                           served: Path) -> None:
    """The adversarial review stored `size: 1e308` (the rows then read <5 and the graph's
    summary the huge number). A count of people above ten million is refused, by the API
    as by the workbook reader, naming the column; 10,000,000 itself is taken."""
    before = (served / "mini" / "segments.csv").read_bytes()
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": "1e308"},
                     headers=auth(etag=etag_of(client)))
    assert r.status_code == 422 and r.json()["error"]["field"] == "size", r.text
    assert "more than 10,000,000" in r.json()["error"]["message"]
    assert (served / "mini" / "segments.csv").read_bytes() == before
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": "10000000"},
                     headers=auth(etag=etag_of(client)))
    assert r.status_code == 200, r.text
    copy = served.parent / "typo"
    shutil.copytree(served / "mini", copy)
    (copy / "referrals.csv").write_text((copy / "referrals.csv").read_text().replace(
        "nuoret,12,", "nuoret,40000000,", 1))
    done = run("validate", copy, "--lang", "en")
    assert done.exit_code == 1 and "'40000000' is more than 10,000,000" in done.stderr


def test_a_delete_that_breaks_references_is_refused(client: TestClient) -> None:
    r = client.delete("/api/graphs/mini/rows/actors/kela", headers=auth(etag=etag_of(client)))
    assert r.status_code == 422 and "unknown actor id 'kela'" in r.json()["error"]["message"]


def test_keys_of_responsibilities_and_paths(client: TestClient, served: Path) -> None:
    rows = client.get("/api/graphs/mini/rows/responsibilities").json()
    assert [r["key"] for r in rows["rows"]] == ["keusote~kuntouttava", "kela~kuntouttava"]
    r = client.patch("/api/graphs/mini/rows/responsibilities/kela~kuntouttava",
                     json={"note": "vain neuvonta"}, headers=auth(etag=etag_of(client)))
    assert r.status_code == 200 and r.json()["change"]["after"]["note"] == "vain neuvonta"
    r = client.delete("/api/graphs/mini/rows/paths/p1~3", headers=auth(etag=r.headers["etag"]))
    assert r.status_code == 200 and r.json()["change"]["before"]["node"] == "tyo"
    assert "p1,nuoret,3" not in (served / "mini" / "paths.csv").read_text()


# -- change log, undo, findings -----------------------------------------------------------

def test_change_log_undo_and_findings_after_saving(client: TestClient, served: Path) -> None:
    original = (served / "mini" / "referrals.csv").read_bytes()
    etag0 = etag_of(client)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"owner": None},
                     headers=auth(BO, etag0))
    assert r.status_code == 200
    assert [f["kind"] for f in r.json()["findings"]["created"]] == ["referral-without-owner"]
    r = client.post("/api/graphs/mini/rows/outcomes", json={"id": "opiskelu", "name": "Opiskelu"},
                    headers=auth(ANNA, r.headers["etag"]))
    assert r.status_code == 201
    # an editor reads who made each change (the public only what and when)
    changes = client.get("/api/graphs/mini/changes", headers=auth()).json()["changes"]
    assert [(c["version"], c["who"], c["action"], c["sheet"], c["key"]) for c in changes] == [
        (2, "anna", "create", "outcomes", "opiskelu"), (1, "bo", "update", "referrals", "r1")]
    assert changes[1]["before"]["owner"] == "keusote" and "owner" not in changes[1]["after"]
    etag = r.headers["etag"]
    for expected in ("opiskelu", "r1"):
        r = client.post("/api/graphs/mini/undo", headers=auth(ANNA, etag))
        assert r.status_code == 200 and r.json()["change"]["key"] == expected
        etag = r.headers["etag"]
    assert r.json()["change"]["undoes"] == 1
    assert [f["kind"] for f in r.json()["findings"]["resolved"]] == ["referral-without-owner"]
    assert etag == etag0 and (served / "mini" / "referrals.csv").read_bytes() == original
    r = client.post("/api/graphs/mini/undo", headers=auth(ANNA, etag))
    assert r.status_code == 409 and r.json()["error"]["code"] == "nothing-to-undo"
    assert len(client.get("/api/graphs/mini/changes").json()["changes"]) == 4
    # the log names who changed what: its owner's alone, as the ETag key is, not 0644
    [log] = (served / ".polku").glob("mini.changes.jsonl")
    assert log.stat().st_mode & 0o777 == 0o600


def test_a_save_that_changes_nothing_writes_nothing(client: TestClient, served: Path) -> None:
    """A program that sends the whole row back as it was makes no change: answered as
    saved (200, "no change" in the page's language), with no new version, ETag, file or
    change-log line. A real change afterwards is version 1."""
    original = (served / "mini" / "referrals.csv").read_bytes()
    etag0 = etag_of(client)
    row = client.get("/api/graphs/mini/rows/referrals/r1", headers=auth()).json()["values"]
    header = client.get("/api/graphs/mini/rows/referrals", headers=auth()).json()["header"]
    # as the form sends it: every column, an empty one as ""
    form = {c: row.get(c, "") for c in header if c != "id"}
    for lang, said in (("fi", "ei muutosta"), ("sv", "ingen ändring"), ("en", "no change")):
        r = client.patch(f"/api/graphs/mini/rows/referrals/r1?lang={lang}", json=form,
                         headers=dict(auth(BO, etag0), **{"Accept-Language": lang}))
        assert r.status_code == 200, r.text
        j = r.json()
        assert j["unchanged"] is True and j["change"] is None, j
        assert said in j["message"].casefold() and "r1" in j["message"], j["message"]
        assert f'"{j["etag"]}"' == etag0 == r.headers["etag"]
        assert j["findings"] == {"created": [], "resolved": []}
    # one column given, the value it already holds
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"owner": row["owner"]},
                     headers=auth(ANNA, etag0))
    assert r.status_code == 200 and r.json()["unchanged"] is True
    assert client.get("/api/graphs/mini/changes", headers=auth()).json()["changes"] == []
    assert etag_of(client) == etag0
    assert (served / "mini" / "referrals.csv").read_bytes() == original
    # nothing to undo: the no-change saves were never changes
    r = client.post("/api/graphs/mini/undo", headers=auth(ANNA, etag0))
    assert r.status_code == 409 and r.json()["error"]["code"] == "nothing-to-undo"
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json=dict(form, median_wait_days="15"),
                     headers=auth(ANNA, etag0))
    assert r.status_code == 200 and r.json()["change"]["version"] == 1
    assert r.json()["etag"] != etag0
    # the edit page's script shows the server's "no change" instead of a version
    page = client.get("/graphs/mini", params={"lang": "fi"}).text
    assert "if (j.unchanged)" in page


def test_a_cell_sent_back_in_other_words_keeps_the_sheets(client: TestClient,
                                                          served: Path) -> None:
    """A row sent back with its cells in other words than the sheet's (the form's options
    yes and lead for `kyllä` and `Päävastuu`, a JSON number for `"40,5"`, a list as an
    array) is no change; beside a real change, only the real change is written and logged,
    and the designer's own spellings stay in the sheet."""
    services = (served / "mini" / "services.csv").read_text(encoding="utf-8")
    etag0 = etag_of(client)
    same = {"entry": True, "capacity_per_month": 40.5, "places": "3", "needs": ["tyokyky"],
            "providers": " keusote "}
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu", json=same,
                     headers=auth(ANNA, etag0))
    assert r.status_code == 200 and r.json()["unchanged"] is True, r.text
    r = client.patch("/api/graphs/mini/rows/responsibilities/kela~kuntouttava~lead",
                     json={"role": "huvudansvar"}, headers=auth(ANNA, etag0))
    assert r.status_code == 200 and r.json()["unchanged"] is True, r.text
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu",
                     json=dict(same, entry="ja", legal_basis="Laki 380/2023 (muutettu)"),
                     headers=auth(ANNA, etag0))
    assert r.status_code == 200, r.text
    change = client.get("/api/graphs/mini/changes", headers=auth()).json()["changes"][0]
    assert {c for c in change["after"] if change["after"][c] != change["before"].get(c)} \
        == {"legal_basis"}
    assert (served / "mini" / "services.csv").read_text(encoding="utf-8") == services.replace(
        "Laki 380/2023,", "Laki 380/2023 (muutettu),")
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu", json={"entry": "no"},
                     headers=auth(ANNA, r.headers["etag"]))
    assert r.status_code == 200 and r.json()["change"]["after"]["entry"] == "no"


def test_a_write_during_a_broken_source_is_refused(client: TestClient, served: Path) -> None:
    etag = etag_of(client)
    needs = served / "mini" / "needs.csv"
    needs.write_text("id,name\n")  # the factor column is optional; now tyokyky is unknown
    touch_later(needs)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava", json={"capacity_per_month": 5},
                     headers=auth(etag=etag))
    assert r.status_code == 409 and r.json()["error"]["code"] == "source-broken"
    # the problem is told where and what, not the cell's text (docs/workbook.md, Privacy)
    assert "column 'needs': unknown need id '...'" in r.json()["error"]["message"]
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []


def test_edits_survive_a_restart(served: Path) -> None:
    first = TestClient(create_app([served], TOKENS))
    r = first.patch("/api/graphs/mini/rows/services/kuntouttava", json={"capacity_per_month": 33},
                    headers=auth(etag=etag_of(first)))
    assert r.status_code == 200
    second = TestClient(create_app([served], TOKENS))
    assert etag_of(second) == r.headers["etag"]
    row = second.get("/api/graphs/mini/rows/services/kuntouttava").json()
    assert row["values"]["capacity_per_month"] == "33"
    assert second.get("/api/graphs/mini/changes").json()["changes"][0]["version"] == 1
    r = second.post("/api/graphs/mini/undo", headers=auth(etag=etag_of(second)))
    assert r.status_code == 200


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".xlsx"])
def test_edits_to_graph_files_and_xlsx(tmp_path: Path, suffix: str) -> None:
    from polku.io.load import load_graph, save_graph

    path = tmp_path / f"mini{suffix}"
    save_graph(workbook.read_workbook(MINI), path)
    client = TestClient(create_app([path], TOKENS))
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"size": 1500},
                     headers=auth(etag=etag_of(client)))
    assert r.status_code == 200, r.text
    assert load_graph(path).nodes["nuoret"]["size"] == 1500
    r = client.patch("/api/graphs/mini/rows/segments/nuoret", json={"participation_rate": "2"},
                     headers=auth(etag=r.headers["etag"]))
    assert r.status_code == 422 and "between 0 and 1" in r.json()["error"]["message"]
    assert r.json()["error"]["field"] == "participation_rate"
    if suffix == ".ttl":  # the Turtle stays deterministic: one line changed
        expected = rdf.graph_turtle(load_graph(path))
        assert path.read_text() == expected


def test_edits_to_a_neo4j_region(neo4j_server, monkeypatch, tmp_path: Path) -> None:
    from polku.io.neo4jstore import pull_graph, push_graph

    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user, "password": neo4j_server.password}
    g = workbook.read_workbook(MINI, name="mini-edits")
    push_graph(g, region="mini-edits", **creds)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    client = TestClient(create_app([f"{neo4j_server.uri}?region=mini-edits"], TOKENS,
                                   changes_dir=tmp_path / "changes"))
    r = client.post("/api/graphs/mini-edits/rows/outcomes", json={"id": "opiskelu", "name": "Opiskelu"},
                    headers=auth(etag=etag_of(client, "mini-edits")))
    assert r.status_code == 201, r.text
    assert pull_graph(region="mini-edits", **creds).nodes["opiskelu"]["name"] == "Opiskelu"
    r = client.post("/api/graphs/mini-edits/undo", headers=auth(etag=r.headers["etag"]))
    assert r.status_code == 200
    assert "opiskelu" not in pull_graph(region="mini-edits", **creds)


def test_auth_me_says_whom_a_request_speaks_for_on_every_server(served: Path) -> None:
    """``GET /auth/me`` says whom a request speaks for (docs/access.md) on every server: it
    was 404 on a server with shared tokens only, or none. A credential that is not valid
    is 401 there (``invalid_token``), the one GET that says so: it is the question about
    the credential itself, which a script asks to learn its token is wrong before it
    writes; the figures' reads of the same credential read as the public's, never 401."""
    client = TestClient(create_app([served], TOKENS), raise_server_exceptions=False)
    assert client.get("/auth/me").json() == {"signed_in": False, "audience": "public"}
    me = client.get("/auth/me", headers=auth(BO))
    assert me.status_code == 200 and me.json() == {
        "signed_in": True, "name": "bo", "sub": None, "role": "admin", "roles": ["admin"],
        "organisations": [], "via": "token", "audience": "editor"}, me.text
    assert me.headers["cache-control"].startswith("private")
    wrong = "not-a-token-of-this-server-0123"
    bad = client.get("/auth/me", headers=auth(wrong))
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized", bad.text
    assert bad.json()["error"]["message"] == "the edit key (token) is not valid"
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    assert client.get("/api/graphs/mini", headers=auth(wrong)).status_code == 200
    read_only = TestClient(create_app([served]), raise_server_exceptions=False)
    assert read_only.get("/auth/me").json() == {"signed_in": False, "audience": "public"}
    assert read_only.get("/auth/me", headers=auth(ANNA)).status_code == 401


# -- tokens file and the real server ------------------------------------------------------

def test_tokens_file_errors_never_show_tokens(tmp_path: Path) -> None:
    from polku.errors import PolkuError
    from polku.server.auth import load_tokens

    f = tmp_path / "tokens"
    f.write_text("anna:secret-secret-secret\nbroken-line-with-secret\n")
    with pytest.raises(PolkuError) as e:
        load_tokens(f)
    assert "row 2" in str(e.value) and "secret" not in str(e.value)
    assert "secret" not in repr(load_tokens(None, "anna:secret-secret-secret"))


def test_token_names_may_be_finnish_and_hold_spaces(tmp_path: Path, served: Path) -> None:
    """A tokens file names people as they are named: maija.mäkelä, Åsa Öberg (ä, ö, å as one
    letter or as a letter and its dots); the change log records the name. A name with
    another mark, or a line without a name, is refused by its row, and the message says
    exactly what a name may hold, in the reader's language."""
    import unicodedata

    from polku.errors import PolkuError
    from polku.present.i18n import error_message, translator
    from polku.server.auth import load_tokens

    f = tmp_path / "tokens"
    decomposed = unicodedata.normalize("NFD", "Åsa Öberg")
    f.write_text(f"maija.mäkelä:{ANNA}\n{decomposed} :{BO}\nbo_2@kunta.fi:{'x' * 20}\n",
                 encoding="utf-8")
    tokens = load_tokens(f)
    assert sorted(tokens.by_name) == ["bo_2@kunta.fi", "maija.mäkelä", "Åsa Öberg"]
    client = TestClient(create_app([served], tokens), raise_server_exceptions=False)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": "15"},
                     headers=auth(BO, etag_of(client)))
    assert r.status_code == 200, r.text
    changes = client.get("/api/graphs/mini/changes", headers=auth(ANNA)).json()["changes"]
    assert changes[0]["who"] == "Åsa Öberg"
    for line in ("maija/mäkelä", "anna:", ":" + ANNA, "an\tna", "½", "a" * 65):
        f.write_text(f"bo:{BO}\n{line}:{ANNA}\n" if ":" not in line else f"bo:{BO}\n{line}\n",
                     encoding="utf-8")
        with pytest.raises(PolkuError) as e:
            load_tokens(f)
        assert "row 2" in str(e.value) and ANNA not in str(e.value), line
    for lang, said in (("en", "letters (ä, ö, å and other letters too), digits, '.', '-', "
                              "'_', '@' and spaces (not at either end), at most 64"),
                       ("fi", "kirjaimia (myös ä, ö, å ja muita kirjaimia), numeroita, "
                              "'.', '-', '_', '@' ja välilyöntejä (ei alussa eikä lopussa)"),
                       ("sv", "bokstäver (även ä, ö, å och andra bokstäver), siffror, '.', "
                              "'-', '_', '@' och mellanslag (inte först eller sist)")):
        assert said in error_message(e.value, translator(lang)), lang


def test_a_tokens_file_is_lines_however_many_commas_its_one_line_holds(
        tmp_path: Path, served: Path) -> None:
    """``printf 'alice:abcdefgh,ijklmnopqrstuvwxyz' > tk3``: a file of one line is one
    name:token line (README: one ``name:token`` a line); it was split at its commas and
    refused ("the token of 'alice' is shorter than 16 characters"). Commas part pairs only
    where they are documented: one line of ``POLKU_TOKENS``."""
    from polku.server.auth import load_tokens

    comma = "abcdefgh,ijklmnopqrstuvwxyz"
    f = tmp_path / "tk3"
    f.write_text(f"alice:{comma}", encoding="utf-8")  # no newline at its end, as printf
    f.chmod(0o600)
    # a host that is no machine's: the command stops after it took the tokens
    r = run("serve", served, "--tokens", f, "--host", "nosuch.invalid",
            env={"POLKU_LANG": "en", "POLKU_TOKENS": ""})
    assert r.exit_code == 1 and "cannot listen on nosuch.invalid" in r.output, r.output
    assert "tk3" not in r.output, r.output
    client = TestClient(create_app([served], load_tokens(f)), raise_server_exceptions=False)
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": "15"},
                     headers=auth(comma, etag_of(client)))
    assert r.status_code == 200 and r.json()["change"]["who"] == "alice", r.text
    # POLKU_TOKENS on one line: name:token pairs separated by commas, as documented
    assert sorted(load_tokens(None, f"anna:{ANNA},bo:{BO}").by_name) == ["anna", "bo"]
    assert sorted(load_tokens(None, f"anna:{ANNA}\nbo:{BO}").by_name) == ["anna", "bo"]


@pytest.mark.parametrize("lang, said", [
    ("en", "tokens, row 2: the token of 'alice' holds a character a token may not: a token "
           "is printable ASCII (the letters a–z and A–Z, digits and punctuation), without "
           "spaces"),
    ("fi", "tokens, rivi 2: nimen 'alice' muokkausavaimessa on merkki, jota avaimessa ei "
           "saa olla: avain on tulostettavaa ASCIIta (kirjaimet a–z ja A–Z, numerot ja "
           "välimerkit) ilman välilyöntejä")])
def test_a_token_of_other_than_printable_ascii_is_refused_at_start(
        tmp_path: Path, served: Path, lang: str, said: str) -> None:
    """``alice:salainenpääsyavain123`` was taken at start and then refused on every write
    (401): an HTTP header's value arrives as latin-1, so the 'ä' a client sends in UTF-8
    never matches. The server refuses it at start, naming the file and the row and saying
    what a token may hold, never the token."""
    f = tmp_path / "tokens"
    f.write_text(f"bo:{BO}\nalice:salainenpääsyavain123\n", encoding="utf-8")
    f.chmod(0o600)
    r = run("serve", served, "--tokens", f, "--host", "nosuch.invalid",
            env={"POLKU_LANG": lang, "POLKU_TOKENS": ""})
    assert r.exit_code == 1, r.output
    assert said in r.output, r.output
    assert "salainen" not in r.output and BO not in r.output, r.output
    for token in ("tab\tinside-a-token-0123", "space inside-a-token-0123", "nbsp\u00a0token-0123456"):
        f.write_text(f"alice:{token}\n", encoding="utf-8")
        r = run("serve", served, "--tokens", f, "--host", "nosuch.invalid",
                env={"POLKU_LANG": "en", "POLKU_TOKENS": ""})
        assert r.exit_code == 1 and "row 1: the token of 'alice' holds a character" in r.output, \
            (token, r.output)


@pytest.mark.slow  # starts `polku serve` as a process
def test_polku_serve_with_tokens_and_the_open_network_warning(served: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "polku"
    port = free_port()
    tokens = tmp_path / "tokens"
    tokens.write_text(f"anna:{ANNA}\n")
    proc = subprocess.Popen([str(exe), "serve", str(served), "--port", str(port), "--tokens",
                             str(tokens)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/graphs/mini", timeout=2) as r:
                    etag = r.headers["ETag"]
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
        req = urllib.request.Request(f"{base}/api/graphs/mini/rows/outcomes", method="POST",
                                     data=json.dumps({"id": "opiskelu", "name": "Opiskelu"}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {ANNA}", "If-Match": etag,
                                              "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 201
            body = r.read()
            data = json.loads(gzip.decompress(body) if r.headers.get("Content-Encoding") == "gzip" else body)
            assert data["change"]["who"] == "anna"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "mini (mini/)" in out and ANNA not in out + err
    # binding to every address without tokens: a warning, before anything is served
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", str(served), "--host", "0.0.0.0", "--port", str(port),
                             "--lang", "en"],  # its own lines follow --lang (Finnish by default)
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items() if k != "POLKU_TOKENS"})
    try:
        time.sleep(0.5)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/graphs", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "read-only and open to that network" in err


def test_every_page_has_an_icon_and_no_page_asks_for_one_in_vain(tmp_path) -> None:
    """Browsers ask for /favicon.ico on every page: it answers (an SVG drawn in the code),
    the pages link it, and it is not an API route."""
    from fastapi.testclient import TestClient

    from polku.app import create_app

    client = TestClient(create_app([Path(__file__).resolve().parents[1] / "graphs" /
                                    "keski-uusimaa.ttl"]))
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert icon.text.startswith("<svg") and "http" not in icon.text.replace(
        "http://www.w3.org/2000/svg", "")
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").text
    assert "/favicon.ico" not in client.get("/openapi.json").json()["paths"]


def test_the_index_names_each_graph_by_its_title(tmp_path) -> None:
    """A graph is listed by its title (the graph sheet's), its served name beside it."""
    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa",
                    tmp_path / "ku")
    client = TestClient(create_app([tmp_path]))
    [summary] = client.get("/api/graphs").json()
    assert summary["title"] == "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
    page = client.get("/?lang=fi").text
    assert ('<a href="/graphs/ku?lang=fi">Keski-Uudenmaan työhön osallistumisen ekosysteemi'
            '</a><br><code class="muted">ku</code>') in page


def test_a_refused_form_and_a_view_say_so_in_their_titles(served: Path) -> None:
    """A page whose form the server refused says *Virhe:* in its title, which a screen
    reader reads first (WCAG 3.3.1; the heading stays the page's own), and a served view's
    title names its graph, as every other page's does (two regions' views of one segment
    had one title, WCAG 2.4.2)."""
    import re

    from polku.app import create_app

    client = TestClient(create_app([served]))

    def title(r) -> str:
        return re.search(r"<title>(.*?)</title>", r.text, re.S).group(1)

    refused = client.get("/graphs/mini/whatif", params={
        "segment": "nuoret", "service": "alkuhaastattelu", "capacity": "paljon", "lang": "fi"})
    assert refused.status_code == 400
    assert title(refused).startswith("Virhe: "), title(refused)
    fine = client.get("/graphs/mini/whatif", params={"segment": "nuoret", "lang": "fi"})
    assert fine.status_code == 200 and not title(fine).startswith("Virhe")
    view = client.get("/graphs/mini/view", params={"view": "segment:nuoret", "lang": "sv"})
    assert view.status_code == 200
    heading = title(view)
    assert heading.endswith(" · polku") and heading.count(" · ") >= 3, heading
