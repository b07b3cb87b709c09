"""polku behind a reverse proxy: served under a path prefix (``/polku/``), every link,
form action, script fetch, redirect and cookie path carries it (``--root-path``,
``POLKU_ROOT_PATH``, uvicorn's ``--root-path``)."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini
from processes import polku_serve
from polku.app import create_app
from polku.server.auth import parse_tokens
from polku.server.oidc import OidcSettings
from test_oidc import ISSUER, Provider, session_for

TOKEN = "proxy-token-0123456789"
ROOT = "/polku"
#: every address a page names: links, sources, form actions (not data-* attributes)
ADDRESS = re.compile(r'''\s(?:href|src|action)="([^"]*)"''')
#: a path the server answers, written into a script as text
SCRIPT_PATH = re.compile(r'''(.{0,12})["'`](/(?:api|graphs|auth|docs|favicon)[^"'`]*)''')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy_mini(tmp_path / "graphs" / "mini")
    return tmp_path / "graphs"


def crawl(client: TestClient, start: str) -> dict[str, str]:
    """Every page reached from ``start`` by the links of the pages (each view and table
    once per kind, query aside): address -> its HTML."""
    pages: dict[str, str] = {}
    todo, asked = [start], set()
    while todo:
        url = todo.pop()
        if url in asked:
            continue
        asked.add(url)
        r = client.get(url, headers={"Accept": "text/html"})
        assert r.status_code < 400, (url, r.status_code, r.text[:300])
        if not r.headers.get("content-type", "").startswith("text/html"):
            continue
        pages[url] = r.text
        for found in ADDRESS.findall(r.text):
            found = found.replace("&amp;", "&")
            if found.startswith(("#", "http://", "https://", "data:")):
                continue
            path, _, query = found.partition("?")
            # the views are many: one of each kind and language is enough
            kind = (path, parse_qs(query).get("view", [""])[0].partition(":")[0],
                    parse_qs(query).get("lang", [""])[0])
            if kind not in {(p, parse_qs(q).get("view", [""])[0].partition(":")[0],
                             parse_qs(q).get("lang", [""])[0])
                            for p, _, q in (a.partition("?") for a in asked)}:
                todo.append(found)
    return pages


def assert_under_root(pages: dict[str, str]) -> None:
    for url, html in pages.items():
        for found in ADDRESS.findall(html):
            if found.startswith(("#", "data:")):
                continue
            assert found.startswith(ROOT + "/"), (url, found)
        for before, path in SCRIPT_PATH.findall(html):
            if url.startswith(ROOT + "/docs") and path == "/docs/oauth2-redirect":
                # FastAPI's own page: Swagger UI's OAuth return, used by no flow of the
                # schema (it declares none)
                continue
            # a script builds its addresses on the page's base (given to it as data)
            assert "page.base" in before, (url, before, path)
        for data in re.findall(r'<script type="application/json" id="polku-page">(.*?)</script>',
                               html, re.S):
            assert json.loads(data)["base"] == ROOT, url


def test_every_page_names_every_address_under_the_prefix(folder: Path) -> None:
    """A proxy that strips the prefix (uvicorn's ``--root-path``: the scope's root_path):
    every page crawled from /polku/, every href, src, action and fetch under /polku/, and
    each answers."""
    client = TestClient(create_app([folder], parse_tokens(f"anna:{TOKEN}")), root_path=ROOT)
    pages = crawl(client, ROOT + "/")
    assert len(pages) > 40
    assert any("/view?" in u for u in pages) and any("/raci" in u for u in pages)
    assert any("/ptv" in u for u in pages) and any(u.startswith(ROOT + "/compare") for u in pages)
    assert_under_root(pages)
    # what the graph page's script fetches: the API under the prefix
    r = client.get(ROOT + "/api/graphs/mini/rows/services/alkuhaastattelu")
    assert r.status_code == 200 and r.headers["etag"]
    docs = client.get(ROOT + "/docs").text
    assert f"'{ROOT}/openapi.json'" in docs or f'"{ROOT}/openapi.json"' in docs
    assert client.get(ROOT + "/openapi.json").status_code == 200


@pytest.mark.parametrize("path", ["/graphs/mini", "/polku/graphs/mini"],
                         ids=["prefix-stripped", "prefix-kept"])
def test_the_apps_own_root_path_takes_a_proxy_that_strips_it_or_not(folder: Path,
                                                                     path: str) -> None:
    """``create_app(root_path=)`` (``polku serve --root-path``, ``POLKU_ROOT_PATH``): the
    proxy may pass ``/polku/graphs/mini`` on or strip it to ``/graphs/mini``."""
    client = TestClient(create_app([folder], root_path="/polku/"))
    r = client.get(path + "?lang=en")
    assert r.status_code == 200
    assert 'href="/polku/graphs/mini/paths?lang=en"' in r.text
    assert 'href="/polku/favicon.ico"' in r.text
    assert client.get("/healthz").status_code == 200
    assert client.get("/polku/readyz").json()["ready"] is True


def test_a_root_path_that_is_no_path_is_refused() -> None:
    from polku.errors import PolkuError

    with pytest.raises(PolkuError, match="starts with /"):
        create_app([], root_path="polku")


def test_sign_in_sign_out_and_cookies_under_the_prefix(folder: Path) -> None:
    provider = Provider()
    app = create_app([folder], oidc=OidcSettings(ISSUER, "polku", leeway=0))
    app.state.access.oidc.fetch = provider.fetch
    client = TestClient(app, root_path=ROOT)
    page = client.get(ROOT + "/graphs/mini?lang=en").text
    login = re.search(r'href="([^"]*/auth/login[^"]*)"', page).group(1).replace("&amp;", "&")
    assert login.startswith(ROOT + "/auth/login?")
    assert parse_qs(urlsplit(login).query)["next"] == [ROOT + "/graphs/mini?lang=en"]
    r = client.get(login, follow_redirects=False)
    assert r.status_code == 302
    query = parse_qs(urlsplit(r.headers["location"]).query)
    assert query["redirect_uri"] == [f"http://testserver{ROOT}/auth/callback"]
    assert f"Path={ROOT}/auth" in r.headers["set-cookie"]
    # signed in: the session cookie is the prefix's alone, sign-out is under it
    cookie, csrf = session_for(client)
    client.cookies.set("polku_session", cookie)
    page = client.get(ROOT + "/graphs/mini?lang=en").text
    assert f'<form method="post" action="{ROOT}/auth/logout">' in page
    r = client.post(ROOT + "/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    back = parse_qs(urlsplit(r.headers["location"]).query)["post_logout_redirect_uri"]
    assert back == [f"http://testserver{ROOT}/"]
    assert f"Path={ROOT}" in r.headers["set-cookie"]
    assert "Path=/;" not in r.headers["set-cookie"]


def test_polku_serve_root_path_in_a_real_server(folder: Path) -> None:
    """``polku serve --root-path /polku``: the pages link under the prefix, and the server
    answers with the prefix or without it (a proxy that strips it)."""
    with polku_serve(str(folder), "--tokens", str(tokens_file(folder)),
                     "--root-path", "/polku") as base:
        with urllib.request.urlopen(base + "/polku/graphs/mini?lang=en", timeout=30) as r:
            page = r.read().decode()
        assert 'href="/polku/graphs/mini/raci?lang=en"' in page
        assert '"base": "/polku"' in page
        with urllib.request.urlopen(base + "/graphs/mini/view?view=ecosystem", timeout=30) as r:
            assert 'href="/polku/graphs/mini/table?view=ecosystem' in r.read().decode()
        with urllib.request.urlopen(base + "/polku/readyz", timeout=30) as r:
            assert json.loads(r.read())["ready"] is True


def tokens_file(folder: Path) -> Path:
    path = folder.parent / "tokens.txt"
    path.write_text(f"anna:{TOKEN}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def test_no_prefix_keeps_every_address_as_before(folder: Path) -> None:
    client = TestClient(create_app([folder], parse_tokens(f"anna:{TOKEN}")))
    page = client.get("/graphs/mini?lang=en").text
    assert 'href="/graphs/mini/paths?lang=en"' in page and 'href="/favicon.ico"' in page
    assert '"base": ""' in page


# -- the address the server is reached at: X-Forwarded-Proto and --public-url -------------

def login_redirect(base: str, **headers: str) -> tuple[str, str]:
    """The sign-in's redirect_uri and the login cookie a real server answers ``/auth/login``
    with, asked with ``headers`` (as a proxy would send them)."""
    import http.client

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("GET", "/auth/login?next=/", headers=headers)
    r = connection.getresponse()
    assert r.status == 302, r.read()[:300]
    query = parse_qs(urlsplit(r.getheader("location")).query)
    cookie = r.getheader("set-cookie")
    connection.close()
    return query["redirect_uri"][0], cookie


def test_the_proxys_scheme_and_a_public_url_make_the_sign_ins_addresses(folder: Path) -> None:
    """Behind a TLS proxy on the same machine, ``X-Forwarded-Proto: https`` (trusted from
    127.0.0.1) makes the callback https and the cookie Secure; a Host header anyone may send
    makes the callback's host unless ``--public-url`` fixes it, which also gives the prefix."""
    from test_oidc import Issuer

    issuer = Issuer()
    args = [str(folder), "--oidc-issuer", issuer.provider.issuer, "--oidc-client-id", "polku"]
    env = {"POLKU_OIDC_CLIENT_SECRET": "client-secret", "POLKU_SESSION_SECRET": "s" * 40}
    try:
        with polku_serve(*args, env=env) as base:
            port = urlsplit(base).port
            uri, cookie = login_redirect(base, **{"X-Forwarded-Proto": "https"})
            assert uri == f"https://127.0.0.1:{port}/auth/callback" and "Secure" in cookie
            uri, cookie = login_redirect(base)
            assert uri == f"http://127.0.0.1:{port}/auth/callback" and "Secure" not in cookie
            uri, _ = login_redirect(base, Host="evil.example")
            assert uri == "http://evil.example/auth/callback"  # what --public-url stops
        with polku_serve(*args, "--public-url", "https://intra.example.fi/polku/",
                         env=env) as base:
            uri, cookie = login_redirect(base, Host="evil.example")
            assert uri == "https://intra.example.fi/polku/auth/callback"
            assert "Secure" in cookie and "Path=/polku/auth" in cookie
            with urllib.request.urlopen(base + "/polku/graphs/mini?lang=en", timeout=30) as r:
                assert 'href="/polku/graphs/mini/raci?lang=en"' in r.read().decode()
    finally:
        issuer.close()


def test_a_public_url_that_is_no_address_is_refused(folder: Path) -> None:
    from polku.errors import PolkuError

    for bad in ("intra.example.fi", "ftp://x/", "https://x/?a=1"):
        with pytest.raises(PolkuError, match="public URL"):
            create_app([folder], public_url=bad)
