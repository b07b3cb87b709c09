"""Sign-in against a real Keycloak (tests/keycloak_server.py, realm tests/keycloak/realm.json):
the organisations' people get tokens by the direct access grant for the API, and sign in
through Keycloak's own login page in Chromium for the web UI.

The graph is the mini workbook with a second organisation (helpers.copy_two_organisations):
the county ``keusote`` provides ``alkuhaastattelu``, the association ``yhdistys`` provides
``vertaistuki``. kaisa edits for the county, aino for the association, anna is an admin,
ville a viewer.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from helpers import copy_two_organisations, etag_of, only
from keycloak_server import CLIENT_ID, CLIENT_SECRET, PASSWORD
from live_server import serving
from polku.app import create_app
from polku.server.oidc import OidcSettings

SERVICE = "/api/graphs/mini/rows/services"


def settings(kc, leeway: int = 30) -> OidcSettings:
    return OidcSettings(kc.issuer, CLIENT_ID, CLIENT_SECRET, roles_claim="realm_access.roles",
                        org_claim="organisation", leeway=leeway)


@pytest.fixture
def served(tmp_path: Path) -> Path:
    copy_two_organisations(tmp_path / "graphs" / "mini")
    return tmp_path / "graphs"


@pytest.fixture
def client(served: Path, keycloak_server) -> TestClient:
    return TestClient(create_app([served], oidc=settings(keycloak_server)))


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def patch(client: TestClient, token: str | None, key: str, **values) -> object:
    # in English: the tests compare with the English messages (the API's default is Finnish)
    headers = {"If-Match": etag_of(client), "Accept-Language": "en"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.patch(f"{SERVICE}/{key}", json=values, headers=headers)


def test_the_association_cannot_change_the_countys_service_and_an_admin_can(
        client, keycloak_server, served) -> None:
    kc = keycloak_server
    services = served / "mini" / "services.csv"
    before = services.read_bytes()
    aino = kc.access_token("aino")
    r = patch(client, aino, "alkuhaastattelu", capacity_per_month=99)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "forbidden" and r.json()["error"]["field"] == "key"
    assert "belongs to keusote" in r.json()["error"]["message"]
    assert r.headers["www-authenticate"].startswith(
        'Bearer realm="polku", error="insufficient_scope"')
    assert services.read_bytes() == before  # refused before anything was written
    # nor may the association write itself in as the provider
    assert patch(client, aino, "alkuhaastattelu", providers="yhdistys").status_code == 403
    # its own service it may change
    assert patch(client, aino, "vertaistuki", capacity_per_month=12).status_code == 200
    # the county's editor changes the county's service; the admin anything
    r = patch(client, kc.access_token("kaisa"), "alkuhaastattelu", capacity_per_month=41)
    assert r.status_code == 200, r.text
    r = patch(client, kc.access_token("anna"), "alkuhaastattelu", capacity_per_month=42)
    assert r.status_code == 200, r.text
    assert "alkuhaastattelu,Alkuhaastattelu,keusote,42," in services.read_text(encoding="utf-8")
    # the county's unit is not the county: its editor cannot change the county's own service
    assert patch(client, kc.access_token("tiina"), "alkuhaastattelu", name="X").status_code == 403
    # a viewer changes nothing
    r = patch(client, kc.access_token("ville"), "vertaistuki", name="X")
    assert r.status_code == 403 and 'error="insufficient_scope"' in r.headers["www-authenticate"]


def test_the_change_log_shows_the_person(client, keycloak_server) -> None:
    kc = keycloak_server
    assert patch(client, kc.access_token("kaisa"), "alkuhaastattelu",
                 capacity_per_month=43).status_code == 200
    sub = client.get("/auth/me", headers={
        "Authorization": f"Bearer {kc.access_token('kaisa')}"}).json()["sub"]
    change = client.get("/api/graphs/mini/changes", headers={
        "Authorization": f"Bearer {kc.access_token('kaisa')}"}).json()["changes"][0]
    assert (change["who"], change["sub"], change["organisations"]) == \
        ("Kaisa Keusote", sub, ["keusote"])
    assert "Kaisa Keusote" in client.get("/graphs/mini/changes?lang=en", headers={
        "Authorization": f"Bearer {kc.access_token('kaisa')}"}).text
    # the public sees that a change was made and when, not by whom
    assert "Kaisa Keusote" not in client.get("/graphs/mini/changes?lang=en").text
    public = client.get("/api/graphs/mini/changes").json()["changes"][0]
    assert not {"who", "sub", "organisations"} & set(public)


def test_no_token_and_bad_tokens_are_401(client, keycloak_server) -> None:
    r = patch(client, None, "alkuhaastattelu", name="X")
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="polku"'
    good = keycloak_server.access_token("kaisa")
    header, payload, signature = good.split(".")
    claims = claims_of(good)
    claims["organisation"] = "yhdistys"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    for token in ("garbage", "a.b.c", f"{header}.{forged.decode()}.{signature}",
                  keycloak_server.access_token("anna", "other-app")):
        r = patch(client, token, "alkuhaastattelu", name="X")
        assert r.status_code == 401, token
        assert r.headers["www-authenticate"].startswith(
            'Bearer realm="polku", error="invalid_token"')
        assert set(r.json()["error"]) >= {"code", "message", "field"}


def test_an_expired_token_is_401(served, keycloak_server) -> None:
    client = TestClient(create_app([served], oidc=settings(keycloak_server, leeway=1)))
    token = keycloak_server.token("kaisa", "polku-short")["access_token"]  # lives one second
    exp = claims_of(token)["exp"]
    time.sleep(max(0.0, exp + 2 - time.time()))
    r = patch(client, token, "alkuhaastattelu", name="X")
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]
    assert 'error="invalid_token"' in r.headers["www-authenticate"]


def test_roles_and_organisation_come_from_the_claims(client, keycloak_server) -> None:
    def me(user: str) -> dict:
        return client.get("/auth/me", headers={
            "Authorization": f"Bearer {keycloak_server.access_token(user)}"}).json()

    assert (me("kaisa")["role"], me("kaisa")["organisations"]) == ("editor", ["keusote"])
    assert (me("anna")["role"], me("anna")["audience"]) == ("admin", "editor")
    assert (me("ville")["role"], me("ville")["audience"]) == ("viewer", "public")


def test_sign_in_through_keycloaks_login_page(served, keycloak_server, open_page) -> None:
    kc = keycloak_server
    app = create_app([served], oidc=settings(kc))
    with serving(app) as base:
        allowed = only(base + "/", kc.base + "/")
        opened = open_page(f"{base}/graphs/mini?lang=en", wait="a[href^='/auth/login']",
                           allow=allowed)
        page = opened.page
        page.click("a[href^='/auth/login']")
        page.wait_for_selector("#username", timeout=60_000)
        assert page.url.startswith(kc.issuer + "/protocol/openid-connect/auth")
        assert "code_challenge_method=S256" in page.url
        page.fill("#username", "kaisa")
        page.fill("#password", PASSWORD)
        page.click("#kc-login")
        page.wait_for_selector(".account form", timeout=60_000)
        assert urlsplit(page.url).path == "/graphs/mini"
        assert "Signed in: Kaisa Keusote, editor (keusote)" in page.inner_text(".account")
        cookie = next(c for c in page.context.cookies() if c["name"] == "polku_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
        assert not page.evaluate("document.cookie").count("polku_session")

        # the page's own form writes as the signed-in person (cookie + CSRF header)
        page.select_option("#service-key", "alkuhaastattelu")
        expect(page.locator("#service-name")).to_have_value("Alkuhaastattelu")
        page.fill("#service-capacity_per_month", "44")
        page.click("#form-service button[type=submit]")
        page.wait_for_selector("#service-result p", timeout=60_000)
        assert "Saved" in page.inner_text("#service-result")
        # the association's service is not the county's editor's to change
        page.select_option("#service-key", "vertaistuki")
        expect(page.locator("#service-name")).to_have_value("Vertaistuki")
        page.fill("#service-capacity_per_month", "11")
        page.click("#form-service button[type=submit]")
        expect(page.locator("#service-key-error")).to_contain_text("belongs to yhdistys")
        log = TestClient(app).get("/api/graphs/mini/changes", headers={
            "Authorization": f"Bearer {kc.access_token('kaisa')}"}).json()["changes"]
        assert [(c["who"], c["key"]) for c in log] == [("Kaisa Keusote", "alkuhaastattelu")]

        # signing out ends the session here and at Keycloak
        page.click(".account button[type=submit]")
        page.wait_for_selector("a[href^='/auth/login']", timeout=60_000)
        assert urlsplit(page.url).path == "/"
        assert not [c for c in page.context.cookies() if c["name"] == "polku_session"]
        page.click("a[href^='/auth/login']")
        page.wait_for_selector("#username", timeout=60_000)  # asked for the password again
        assert opened.requests == []
