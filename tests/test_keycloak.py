"""Sign-in against a real Keycloak (tests/keycloak_server.py, realm tests/keycloak/realm.json):
the organisations' people get tokens by the direct access grant for the API, and sign in
through Keycloak's own login page in Chromium for the web UI. An administrator ending a
person's session in Keycloak signs them out of polku by a back-channel logout.

The graph is the mini workbook with a second organisation (helpers.copy_two_organisations):
the county ``keusote`` provides ``alkuhaastattelu``, the association ``yhdistys`` provides
``vertaistuki``. kaisa edits for the county, aino for the association, anna is an admin,
ville a viewer.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from helpers import copy_two_organisations, etag_of, only
from keycloak_server import CLIENT_ID, CLIENT_SECRET, PASSWORD, REALM
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


SESSION_SECRET = "the-session-secret-of-the-keycloak-tests"


def keycloak_admin(kc, method: str, path: str, body: dict | list | None = None) -> object:
    """Keycloak's admin REST API on the polku realm, as the bootstrap admin."""
    import urllib.parse
    import urllib.request

    form = urllib.parse.urlencode({"grant_type": "password", "client_id": "admin-cli",
                                   "username": "admin", "password": PASSWORD}).encode()
    with urllib.request.urlopen(f"{kc.base}/realms/master/protocol/openid-connect/token",
                                data=form, timeout=60) as r:
        token = json.loads(r.read())["access_token"]
    request = urllib.request.Request(
        f"{kc.base}/admin/realms/{REALM}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        text = r.read()
    return json.loads(text) if text else None


@contextmanager
def back_channel_logout_to(kc, url: str) -> Iterator[None]:
    """The polku client's back-channel logout URL pointed at ``url`` (with the session
    required: Keycloak's logout tokens then name its session, ``sid``) until the block
    ends; then the client as it was."""
    was = keycloak_admin(kc, "GET", f"/clients?clientId={CLIENT_ID}")[0]
    client = json.loads(json.dumps(was))
    client.setdefault("attributes", {}).update({
        "backchannel.logout.url": url, "backchannel.logout.session.required": "true"})
    client["frontchannelLogout"] = False
    keycloak_admin(kc, "PUT", f"/clients/{client['id']}", client)
    try:
        yield
    finally:
        keycloak_admin(kc, "PUT", f"/clients/{was['id']}", was)


def sign_in_over_http(base: str, user: str) -> httpx.Client:
    """The authorization code flow without a browser: polku's sign-in, Keycloak's login
    form posted, back to polku's callback; the client then holds the session cookie."""
    # a connection of its own for each request, so that every worker gets some
    client = httpx.Client(follow_redirects=True, timeout=60,
                          limits=httpx.Limits(max_keepalive_connections=0))
    page = client.get(f"{base}/auth/login?next=/graphs/mini")
    form = re.search(r'<form\b[^>]*\bid="kc-form-login"[^>]*>', page.text)
    assert form is not None, page.text[:2000]
    action = html.unescape(re.search(r'\baction="([^"]+)"', form.group(0)).group(1))
    for cookie in client.cookies.jar:
        # Keycloak's cookies are Secure; a browser sends them to a loopback address over
        # http (a secure context), httpx does not
        cookie.secure = False
    landed = client.post(action, data={"username": user, "password": PASSWORD,
                                       "credentialId": ""})
    assert landed.status_code == 200 and urlsplit(str(landed.url)).path == "/graphs/mini", \
        landed.url
    return client


def test_keycloak_ending_a_session_signs_it_out_in_every_worker(served, keycloak_server) -> None:
    """An administrator ends kaisa's session in Keycloak: Keycloak posts a logout token to
    polku's back-channel logout (one worker of ``polku serve --workers 2``), and that
    session's cookie is signed out in every worker; her session in another browser goes
    on."""
    from processes import polku_serve
    from polku.server.oidc import Oidc

    kc = keycloak_server
    env = {"POLKU_SESSION_SECRET": SESSION_SECRET, "POLKU_OIDC_CLIENT_SECRET": CLIENT_SECRET}
    with polku_serve(str(served), "--oidc-issuer", kc.issuer, "--oidc-client-id", CLIENT_ID,
                     env=env, workers=2) as base:
        with back_channel_logout_to(kc, f"{base}/auth/backchannel-logout"):
            browser, other_browser = (sign_in_over_http(base, "kaisa") for _ in range(2))
            cookie = browser.cookies["polku_session"]
            session = Oidc(OidcSettings(kc.issuer, CLIENT_ID, session_secret=
                                        SESSION_SECRET.encode())).unseal(cookie, "session")
            # the session has its own id and Keycloak's session id (the ID token's sid)
            assert session["jti"] and session["sid"], session

            def me(client: object = browser) -> dict:
                return client.get(f"{base}/auth/me").json()

            def write(capacity: int) -> object:
                etag = browser.get(f"{base}/api/graphs/mini").headers["etag"]
                return browser.patch(f"{base}{SERVICE}/alkuhaastattelu?lang=en",
                                     json={"capacity_per_month": capacity},
                                     headers={"If-Match": etag, "X-Polku-CSRF": session["csrf"]})

            # each worker judges the cookie (and keeps what it read) before the logout
            assert all(me()["name"] == "Kaisa Keusote" for _ in range(12))
            assert write(48).status_code == 200
            # one session ended (the user's Sessions tab, "Sign out"); Keycloak 26.5's
            # "sign out all sessions" of a user posts one token naming one of them
            # (keycloak/keycloak#22914), so this test ends the session itself
            keycloak_admin(kc, "DELETE", f"/sessions/{session['sid']}")
            # Keycloak has posted the logout token before it answers: whichever worker
            # answers now, the session has ended
            answers = [me()["signed_in"] for _ in range(12)]
            assert not any(answers), answers
            r = write(49)
            assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"]
            assert "Kaisa Keusote" not in browser.get(f"{base}/graphs/mini?lang=en").text
            # her session in the other browser (another Keycloak session) goes on, and
            # signing in again is a session again
            assert all(me(other_browser)["signed_in"] for _ in range(6))
            again = sign_in_over_http(base, "kaisa")
            assert me(again)["name"] == "Kaisa Keusote"


@contextmanager
def changed_user(kc, username: str, **changes: object) -> Iterator[str]:
    """The Keycloak user ``username`` with ``changes`` (``enabled=False``; ``without_role=
    "editor"`` takes that realm role away) until the block ends; yields the user's id."""
    user = keycloak_admin(kc, "GET", f"/users?username={username}&exact=true")[0]
    role = changes.pop("without_role", None)
    mapping = [keycloak_admin(kc, "GET", f"/roles/{role}")] if role else None
    if changes:
        keycloak_admin(kc, "PUT", f"/users/{user['id']}", {**user, **changes})
    if mapping:
        keycloak_admin(kc, "DELETE", f"/users/{user['id']}/role-mappings/realm", mapping)
    try:
        yield user["id"]
    finally:
        if mapping:
            keycloak_admin(kc, "POST", f"/users/{user['id']}/role-mappings/realm", mapping)
        if changes:
            keycloak_admin(kc, "PUT", f"/users/{user['id']}", user)


RECHECK_SECONDS = 3


def test_keycloak_disabling_a_person_or_taking_a_role_is_seen_at_the_next_check(
        served, keycloak_server) -> None:
    """Keycloak 26.5 posts no logout token when an administrator disables a person or takes
    a role away: polku notices at the session's next check (``POLKU_SESSION_RECHECK_SECONDS``,
    here a few seconds), when Keycloak refuses its refresh token (the person is signed out
    in every worker) or gives tokens with the roles the person now has."""
    from processes import polku_serve
    from polku.server.oidc import Oidc

    kc = keycloak_server
    env = {"POLKU_SESSION_SECRET": SESSION_SECRET, "POLKU_OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "POLKU_SESSION_RECHECK_SECONDS": str(RECHECK_SECONDS)}
    oidc = Oidc(OidcSettings(kc.issuer, CLIENT_ID, session_secret=SESSION_SECRET.encode()))
    with polku_serve(str(served), "--oidc-issuer", kc.issuer, "--oidc-client-id", CLIENT_ID,
                     env=env, workers=2) as base:
        aino, tiina = sign_in_over_http(base, "aino"), sign_in_over_http(base, "tiina")
        cookie = aino.cookies["polku_session"]
        session = oidc.unseal(cookie, "session")
        # the refresh token is in the cookie, which a browser keeps (under 4096 bytes)
        assert session["rt"] and session["chk"] and len(cookie) < 4000, len(cookie)
        assert "." in session["rt"] and session["rt"] not in cookie

        def me(client: httpx.Client) -> dict:
            return client.get(f"{base}/auth/me").json()

        def write(client: httpx.Client, key: str, csrf: str) -> httpx.Response:
            # the ETag read without the cookie: the write is the request that checks it
            etag = httpx.get(f"{base}/api/graphs/mini", timeout=60).headers["etag"]
            return client.patch(f"{base}{SERVICE}/{key}?lang=en", json={"name": "Uusi nimi"},
                                headers={"If-Match": etag, "X-Polku-CSRF": csrf})

        assert me(aino)["role"] == "editor" and me(tiina)["role"] == "editor"
        time.sleep(RECHECK_SECONDS + 0.5)
        # checked at Keycloak: still who they were, the cookie issued again
        r = aino.get(f"{base}/auth/me")
        assert r.json()["role"] == "editor" and "polku_session=" in r.headers["set-cookie"]
        fresh = oidc.unseal(aino.cookies["polku_session"], "session")
        assert fresh["jti"] == session["jti"] and fresh["chk"] > session["chk"]
        assert fresh["rt"] != session["rt"]
        with changed_user(kc, "aino", enabled=False), \
                changed_user(kc, "tiina", without_role="editor"):
            # no logout token came: until the check both go on as they were
            time.sleep(RECHECK_SECONDS + 0.5)
            r = write(aino, "vertaistuki", session["csrf"])
            assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"], \
                r.text
            # ended in every worker (a copy of the cookie too); pages offer "Sign in"
            copy = httpx.Client(timeout=60, limits=httpx.Limits(max_keepalive_connections=0))
            copy.cookies.set("polku_session", cookie)
            assert not any(me(copy)["signed_in"] for _ in range(6))
            page = copy.get(f"{base}/graphs/mini?lang=en").text
            assert "/auth/login?next=" in page and "Aino" not in page
            # the role taken away is seen: tiina reads as the public and writes nothing
            seen = me(tiina)
            assert seen["signed_in"] and seen["role"] is None and seen["audience"] == "public"
            tiina_csrf = oidc.unseal(tiina.cookies["polku_session"], "session")["csrf"]
            r = write(tiina, "vertaistuki", tiina_csrf)
            assert r.status_code == 403 and 'error="insufficient_scope"' in \
                r.headers["www-authenticate"]
        # the role given back is seen at the check after; aino signs in again
        time.sleep(RECHECK_SECONDS + 0.5)
        assert me(tiina)["role"] == "editor"
        assert me(sign_in_over_http(base, "aino"))["role"] == "editor"


# -- an ended session's refresh token revoked at Keycloak (RFC 7009) ---------------------------

def refresh_at(kc, refresh_token: str) -> tuple[int, str | None]:
    """A refresh at Keycloak's token endpoint as polku's client makes it: the status, and
    the OAuth error of a refusal (``invalid_grant``: the token no longer works)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                   "client_secret": CLIENT_SECRET,
                                   "refresh_token": refresh_token}).encode()
    try:
        with urllib.request.urlopen(f"{kc.issuer}/protocol/openid-connect/token", data=form,
                                    timeout=60) as r:
            return r.status, None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()).get("error")


@contextmanager
def polku_signing_in(served: Path, kc, **settings: object) -> Iterator[tuple[str, object]]:
    """polku served in this process (its clock and log at hand) with Keycloak's sign-in;
    yields its address and its :class:`polku.server.oidc.Oidc`."""
    app = create_app([served], oidc=OidcSettings(
        kc.issuer, CLIENT_ID, CLIENT_SECRET, session_secret=SESSION_SECRET.encode(),
        **settings))
    with serving(app) as base:
        yield base, app.state.access.oidc


@contextmanager
def bulky_id_tokens(kc, size: int = 2000) -> Iterator[None]:
    """Keycloak's ID tokens for polku carry a claim of ``size`` characters until the block
    ends (a realm that grew: a refreshed session's cookie then outgrows a browser's)."""
    client = keycloak_admin(kc, "GET", f"/clients?clientId={CLIENT_ID}")[0]
    models = f"/clients/{client['id']}/protocol-mappers/models"
    keycloak_admin(kc, "POST", models, {
        "name": "bulky", "protocol": "openid-connect",
        "protocolMapper": "oidc-hardcoded-claim-mapper",
        "config": {"claim.name": "bulky", "claim.value": "x" * size,
                   "jsonType.label": "String", "id.token.claim": "true",
                   "access.token.claim": "false", "userinfo.token.claim": "false"}})
    mapper = next(m for m in keycloak_admin(kc, "GET", models) if m["name"] == "bulky")
    try:
        yield
    finally:
        keycloak_admin(kc, "DELETE", f"{models}/{mapper['id']}")


def test_keycloak_signing_out_revokes_the_refresh_token(served, keycloak_server,
                                                        caplog) -> None:
    """Signing out revokes the session's refresh token at Keycloak's revocation endpoint
    there and then, whether or not the browser follows on to Keycloak's own sign-out (here
    it does not); the person's session in another browser goes on."""
    kc = keycloak_server
    with polku_signing_in(served, kc) as (base, oidc):
        browser, elsewhere = sign_in_over_http(base, "kaisa"), sign_in_over_http(base, "kaisa")
        session = oidc.unseal(browser.cookies["polku_session"], "session")
        other = oidc.unseal(elsewhere.cookies["polku_session"], "session")
        r = browser.post(f"{base}/auth/logout", data={"csrf": session["csrf"]},
                         follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith(kc.issuer)
        assert browser.get(f"{base}/auth/me").json()["signed_in"] is False
        assert refresh_at(kc, session["rt"]) == (400, "invalid_grant")
        assert refresh_at(kc, other["rt"])[0] == 200
        assert elsewhere.get(f"{base}/auth/me").json()["name"] == "Kaisa Keusote"
    assert not [r for r in caplog.records if "could not be revoked" in r.getMessage()]


def test_keycloak_a_refreshed_session_too_large_for_a_cookie_ends_revoked(
        served, keycloak_server) -> None:
    """Keycloak's tokens grow (a mapper adds a long claim) after kaisa signed in: at the
    session's next check its refreshed cookie would be more than a browser keeps, so the
    session ends and says why, and its refresh tokens (the one the cookie held and the one
    Keycloak just gave) are revoked: Keycloak's session for polku is over."""
    kc = keycloak_server
    with polku_signing_in(served, kc, recheck_seconds=RECHECK_SECONDS) as (base, oidc):
        browser = sign_in_over_http(base, "kaisa")
        session = oidc.unseal(browser.cookies["polku_session"], "session")
        user = keycloak_admin(kc, "GET", "/users?username=kaisa&exact=true")[0]
        sessions = keycloak_admin(kc, "GET", f"/users/{user['id']}/sessions")
        assert session["sid"] in [s["id"] for s in sessions]
        with bulky_id_tokens(kc):
            time.sleep(RECHECK_SECONDS + 0.5)
            r = browser.get(f"{base}/auth/me?lang=en", headers={"Accept": "application/json"})
            assert r.status_code == 401 and "too large for a browser cookie" in \
                r.json()["error"]["message"], r.text
            assert refresh_at(kc, session["rt"]) == (400, "invalid_grant")
            sessions = keycloak_admin(kc, "GET", f"/users/{user['id']}/sessions")
            assert session["sid"] not in [s["id"] for s in sessions]


def test_keycloak_a_refresh_refused_for_a_disabled_person_revokes_the_token(
        served, keycloak_server) -> None:
    """Keycloak refuses a disabled person's refresh token, but takes it again once the
    person is enabled (as it does for a session polku never ended). polku's session ended
    at the refusal, so its refresh token is revoked then: enabled again, the person signs
    in anew, the old token works no more."""
    kc = keycloak_server
    with polku_signing_in(served, kc, recheck_seconds=RECHECK_SECONDS) as (base, oidc):
        browser = sign_in_over_http(base, "aino")
        session = oidc.unseal(browser.cookies["polku_session"], "session")
        with changed_user(kc, "aino", enabled=False):
            time.sleep(RECHECK_SECONDS + 0.5)
            assert browser.get(f"{base}/auth/me").json()["signed_in"] is False
        assert refresh_at(kc, session["rt"]) == (400, "invalid_grant")
        assert browser.get(f"{base}/auth/me").json()["signed_in"] is False


def test_keycloak_a_session_that_comes_after_it_expired_is_revoked(
        served, keycloak_server) -> None:
    """A browser drops the cookie as the session expires; one that comes all the same
    (a request under way then) has its refresh token revoked, once, and is cleared."""
    kc = keycloak_server
    with polku_signing_in(served, kc, session_seconds=600) as (base, oidc):
        browser = sign_in_over_http(base, "anna")
        cookie = browser.cookies["polku_session"]
        session = oidc.unseal(cookie, "session")
        oidc.clock = lambda: time.time() + 601  # the session's ten minutes are over
        client = httpx.Client(timeout=60)
        client.cookies.set("polku_session", cookie)
        r = client.get(f"{base}/auth/me")
        assert r.json() == {"signed_in": False, "audience": "public"}
        assert refresh_at(kc, session["rt"]) == (400, "invalid_grant")
        assert 'polku_session=""' in r.headers["set-cookie"] or \
            "Max-Age=0" in r.headers["set-cookie"]


def test_a_person_signed_in_applies_and_undoes_on_the_ptv_page(
        tmp_path: Path, keycloak_server, open_page) -> None:
    """The PTV page's "Apply the chosen edits" and "Undo" for a person signed in through
    Keycloak: both were refused 403 ("a write signed in by the session cookie needs the
    page's X-Polku-CSRF header"), since the page's own write never sent it. Every page
    now writes through one helper that does (templates/server/write.html). The signed-in
    admin is offered no edit key's field, on the PTV page as on the graph page."""
    from polku.io.load import load_graph
    from test_ptv_compare import CATALOGUE, drifted

    kc = keycloak_server
    model = drifted(tmp_path / "graphs" / "naantali")
    before = {p.name: p.read_bytes() for p in model.iterdir()}
    app = create_app([model.parent], oidc=settings(kc))
    with serving(app) as base:
        opened = open_page(f"{base}/graphs/naantali/ptv?lang=fi",
                           wait="a[href^='/auth/login']", allow=only(base + "/", kc.base + "/"))
        page = opened.page
        page.click("a[href^='/auth/login']")
        page.wait_for_selector("#username", timeout=60_000)
        page.fill("#username", "anna")
        page.fill("#password", PASSWORD)
        page.click("#kc-login")
        page.wait_for_selector(".account form", timeout=60_000)
        assert urlsplit(page.url).path == "/graphs/naantali/ptv"
        page.set_input_files("#ptv-files", [str(p) for p in CATALOGUE])
        page.click("#ptv-form button[type=submit]")
        expect(page.locator("#ptv-result")).to_be_visible(timeout=60_000)
        expect(page.locator("input.pick")).to_have_count(4)
        # signed in as an admin: the session writes, no edit key is asked for
        expect(page.locator("#token")).to_be_hidden()
        assert page.locator("label[for=token]").count() == 0 or \
            not page.locator("label[for=token]").is_visible()
        page.uncheck('input.pick[value="2"]')
        page.click("#ptv-apply button[type=submit]")
        expect(page.locator("#ptv-apply-result")).to_contain_text(
            "Tehtiin 3 muokkausta muutoksena", timeout=60_000)
        expect(page.locator("#ptv-apply-error")).to_have_text("")
        expect(page.locator("input.pick")).to_have_count(1, timeout=60_000)  # compared again
        g = load_graph(model)
        assert "kotouttaminen" not in g and "esiopetuksen-oppilashuolto" in g
        page.click("#ptv-undo")
        expect(page.locator("#ptv-apply-result")).to_contain_text("Kumottu", timeout=60_000)
        expect(page.locator("#ptv-apply-error")).to_have_text("")
        expect(page.locator("input.pick")).to_have_count(4, timeout=60_000)
        assert {p.name: p.read_bytes() for p in model.iterdir()} == before
        log = TestClient(app).get("/api/graphs/naantali/changes", headers={
            "Authorization": f"Bearer {kc.access_token('anna')}"}).json()["changes"]
        assert [(c["who"], c["action"]) for c in log] == [("Anna Admin", "undo"),
                                                          ("Anna Admin", "batch")]
        # the graph page too: the signed-in admin's forms are open, with no edit key's field
        page.goto(f"{base}/graphs/naantali?lang=fi")
        page.wait_for_selector("#edit-forms[open]", timeout=60_000)
        expect(page.locator("#token")).to_be_hidden()
        assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)
