"""The graph page of a server with edit keys, as a Swedish-speaking editor found it in
headless Chromium (locale sv-FI): a reloaded page runs its scripts (the 304 carries the
page's script hashes); the edit controls show once a valid key is given, and the key
brings the editor's own findings, follow-ups and row choices into the page; the new
service form offers one Finnish name; a save's result names finding kinds and counts them
in Swedish; a conflict says "reload" once; an empty field is named by its label; the
change log names who made a change once the key is given."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from helpers import ARTIFACTS, ROOT, Opened, guard, only
from live_server import serving
from polku.app import create_app
from polku.server.auth import parse_tokens

ÅSA = "mHMijGMoqcOC5QpJostp7TXL74Duzb2M"
KALLE = "CEh_CuorpxN_IfkgFHN3aL_Qgz8AOhZb"
GRAPH = "/graphs/keski-uusimaa"
#: a capacity of 14 puts IPS over its capacity for the editor only: one of the referrals
#: into it (1 client a month) is a small cell the public's figures leave out
EDITORS_ONLY = "over-capacity:ips"


@pytest.fixture
def region(tmp_path: Path) -> Iterator[str]:
    """The example region served to one test, with two editors' keys; yields its URL."""
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", tmp_path / "keski-uusimaa")
    tokens = parse_tokens(f"Åsa Öberg:{ÅSA}\nKalle Nyman:{KALLE}")
    with serving(create_app([tmp_path], tokens)) as url:
        yield url


def api(url: str, method: str, path: str, body: Any = None, key: str = ÅSA) -> Any:
    """One API request with an editor's key (a write names the graph's current version)."""
    def call(method: str, path: str, body: Any = None, etag: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if etag:
            headers["If-Match"] = etag
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url + "/api/graphs/keski-uusimaa" + path, data,
                                         headers, method=method)
        with urllib.request.urlopen(request) as r:
            return json.loads(r.read()), r.headers.get("ETag")

    if method == "GET":
        return call("GET", path)[0]
    _, etag = call("GET", "")
    return call(method, path, body, etag)[0]


def swedish(browser, url: str, width: int = 1280, cache: bool = False):
    """A fresh tab of a Swedish-speaking reader on the graph page, and its guard; with
    ``cache`` only its console is watched (the guard's routing turns the browser's HTTP
    cache off, and with it the revalidation a reload makes)."""
    context = browser.new_context(locale="sv-FI", viewport={"width": width, "height": 900})
    page = context.new_page()
    if cache:
        opened = Opened(page, url)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    else:
        opened = guard(page, url, only(url, "data:", "about:"))
    page.goto(url + GRAPH + "?lang=sv", wait_until="networkidle")
    return page, opened


def give_key(page, key: str = ÅSA) -> None:
    page.fill("#token", key)
    page.dispatch_event("#token", "change")


def no_script_blocked(opened) -> None:
    blocked = [e for e in opened.errors if "Content Security Policy" in e]
    assert blocked == [], blocked


def test_a_reloaded_page_runs_its_scripts(browser, region) -> None:
    """The 304 that answers the reload carries the 200's policy, with the script hashes."""
    page, opened = swedish(browser, region, cache=True)
    expect(page.locator("#findings-filter")).to_be_visible()
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()  # the filters' script ran
    no_script_blocked(opened)
    give_key(page)
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()  # the filters' script ran
    assert page.input_value("#token") == ÅSA  # and the page's own, from sessionStorage
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()
    assert page.input_value("#token") == ÅSA
    no_script_blocked(opened)
    assert opened.errors == []
    page.context.close()
