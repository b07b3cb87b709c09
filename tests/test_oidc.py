"""Sign-in without a provider at hand: tokens signed here with a key of the test's own,
served to polku as a fake issuer's discovery document and JWKS. Each check of a bearer JWT
(signature, algorithm, iss, aud/azp, exp, key rotation), the session cookie and its CSRF
token, 401 against 403 as RFC 6750 says, and whose rows an editor may change
(:mod:`polku.ops.ownership`). tests/test_keycloak.py does the same against a real Keycloak.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from helpers import copy_two_organisations, edit_controls, etag_of
from polku.app import create_app
from polku.errors import PolkuError
from polku.server.auth import parse_tokens
from polku.server.oidc import (BACKCHANNEL_EVENT, Oidc, OidcSettings, ProviderRefused,
                               ProviderUnavailable)

ISSUER = "https://id.example.fi/realms/ku"
TOKEN = "script-token-0123456789"


class Provider:
    """A fake issuer: its discovery document and keys, and tokens it signs."""

    def __init__(self, issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.published = [self.key]
        self.fetched: list[str] = []
        # the token endpoint: what it was posted, and what it answers
        self.posted: list[dict[str, str]] = []
        self.clock = time.time
        self.roles, self.organisation = ["editor"], "keusote"
        self.nonce: str | None = None  # the sign-in's, for the code's ID token
        self.refusal: str | None = None  # an OAuth error to answer a refresh with
        self.down = False  # a refresh cannot reach the provider
        self.gate: Any = None  # a threading.Event a refresh waits for
        self.revoked: list[str] = []  # the refresh tokens revoked (RFC 7009)
        self.revocation_down = False  # a revocation cannot reach the provider

    def fetch(self, url: str, form: Any = None) -> dict[str, Any]:
        self.fetched.append(url)
        issuer = self.issuer
        if url == issuer + "/.well-known/openid-configuration":
            return {"issuer": issuer, "jwks_uri": issuer + "/certs",
                    "authorization_endpoint": issuer + "/auth",
                    "token_endpoint": issuer + "/token",
                    "end_session_endpoint": issuer + "/logout",
                    "revocation_endpoint": issuer + "/revoke"}
        if url == issuer + "/certs":
            return {"keys": [k.as_dict(private=False) for k in self.published]}
        if url == issuer + "/token" and form is not None:
            return self.token_endpoint(dict(form))
        if url == issuer + "/revoke" and form is not None:
            if self.revocation_down:
                raise ProviderUnavailable("the identity provider cannot be reached "
                                          "([Errno 111] Connection refused)")
            assert form["client_id"] == "polku" and form["token_type_hint"] == "refresh_token"
            self.revoked.append(form["token"])
            return {}  # 200 and nothing (RFC 7009, section 2.2)
        raise AssertionError(url)

    def token_endpoint(self, form: dict[str, str]) -> dict[str, Any]:
        """Tokens for a code or a refresh token, as the provider's people now are."""
        self.posted.append(form)
        if self.gate is not None:
            self.gate.wait(10)
        if self.down:
            raise ProviderUnavailable("the identity provider cannot be reached "
                                      "([Errno 111] Connection refused)")
        if self.refusal:
            raise ProviderRefused(f"400 from the identity provider: {self.refusal}",
                                  self.refusal)
        assert form["client_id"] == "polku" and form["grant_type"] in (
            "authorization_code", "refresh_token"), form
        now = int(self.clock())
        person = {"iat": now, "exp": now + 300, "realm_access": {"roles": self.roles},
                  "organisation": self.organisation, "sid": "op-session-1"}
        nonce = self.nonce if form["grant_type"] == "authorization_code" else None
        return {"access_token": self.token(**person),
                "id_token": self.token(typ="ID", nonce=nonce, **person),
                "refresh_token": f"refresh-token-{len(self.posted)}", "token_type": "Bearer"}

    def refreshes(self) -> int:
        return sum(f["grant_type"] == "refresh_token" for f in self.posted)

    def token(self, key: RSAKey | None = None, alg: str = "RS256", **claims: Any) -> str:
        now = int(self.clock())
        body = {"iss": self.issuer, "sub": "sub-kaisa", "aud": "polku", "azp": "polku",
                "exp": now + 300, "iat": now, "name": "Kaisa Keusote",
                "organisation": "keusote", "realm_access": {"roles": ["editor"]}}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        key = key or self.key
        return jwt.encode({"alg": alg, "kid": key.kid}, body, key)

    def logout_token(self, key: RSAKey | None = None, **claims: Any) -> str:
        """A logout token (Back-Channel Logout 1.0) ending the provider's session
        ``op-session-1`` of ``sub-kaisa``; ``claims`` change it (None leaves one out)."""
        now = int(time.time())
        body = {"iss": self.issuer, "aud": "polku", "iat": now, "exp": now + 120,
                "jti": f"logout-{now}", "sid": "op-session-1", "sub": "sub-kaisa",
                "events": {BACKCHANNEL_EVENT: {}}}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "logout+jwt"}, body, key)


def bearer(token: str, etag: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-Match"] = etag
    return headers


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def served(tmp_path: Path) -> Path:
    copy_two_organisations(tmp_path / "graphs" / "mini")
    return tmp_path / "graphs"


@pytest.fixture
def client(served: Path, provider: Provider) -> TestClient:
    app = create_app([served], parse_tokens(f"script:{TOKEN}"),
                     oidc=OidcSettings(ISSUER, "polku", leeway=0))
    app.state.access.oidc.fetch = provider.fetch
    return TestClient(app)


def patch_service(client: TestClient, token: str, key: str = "alkuhaastattelu",
                  **values: Any) -> Any:
    # in English: the tests compare with the English messages (the API's default is Finnish)
    return client.patch(f"/api/graphs/mini/rows/services/{key}?lang=en",
                        json=values or {"capacity_per_month": 41},
                        headers=bearer(token, etag_of(client)))


# -- bearer tokens ------------------------------------------------------------------------

def test_a_valid_token_names_the_person_role_and_organisation(client, provider) -> None:
    me = client.get("/auth/me", headers=bearer(provider.token())).json()
    assert me == {"signed_in": True, "name": "Kaisa Keusote", "sub": "sub-kaisa",
                  "role": "editor", "roles": ["editor"], "organisations": ["keusote"],
                  "via": "bearer", "audience": "editor"}
    assert client.get("/auth/me").json() == {"signed_in": False, "audience": "public"}


@pytest.mark.parametrize("why, claims, expected", [
    ("expired", {"exp": int(time.time()) - 5}, "expired"),
    ("another issuer", {"iss": "https://evil.example/realms/ku"}, "claims are not valid"),
    ("another application", {"aud": "account", "azp": "other-app"}, "not meant for"),
    ("no audience", {"aud": None, "azp": "other-app"}, "not meant for"),
    ("an ID token", {"typ": "ID"}, "not an access token"),
    ("no subject", {"sub": None}, "claims are not valid"),
    ("no expiry", {"exp": None}, "claims are not valid"),
])
def test_a_token_that_is_not_valid_is_401_invalid_token(client, provider, why, claims,
                                                        expected) -> None:
    r = patch_service(client, provider.token(**claims))
    assert r.status_code == 401, why
    assert r.json()["error"]["code"] == "unauthorized" and expected in r.json()["error"]["message"]
    assert r.headers["www-authenticate"].startswith('Bearer realm="polku", error="invalid_token"')


def test_signatures_the_issuer_did_not_make_are_401(client, provider) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    forged = provider.token(key=stranger)
    assert patch_service(client, forged).status_code == 401
    # HMAC with the public key as the secret, and no signature at all, are never taken
    public = json.dumps(provider.key.as_dict(private=False)).encode()
    hmac_token = jwt.encode({"alg": "HS256", "kid": "k1"}, {"iss": ISSUER, "sub": "x",
                            "aud": "polku", "exp": int(time.time()) + 60}, OctKey.import_key(public))
    header, payload, _ = provider.token().split(".")
    for token in (hmac_token, f"{header}.{payload}.", "not-a-jwt", "a.b.c"):
        r = patch_service(client, token)
        assert r.status_code == 401 and "invalid_token" in r.headers["www-authenticate"], token


def test_keys_are_cached_and_fetched_again_for_a_new_key_id(client, provider) -> None:
    assert client.get("/auth/me", headers=bearer(provider.token())).status_code == 200
    assert client.get("/auth/me", headers=bearer(provider.token())).status_code == 200
    assert provider.fetched.count(ISSUER + "/certs") == 1  # cached
    rotated = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    provider.published = [provider.key, rotated]
    oidc = client.app.state.access.oidc
    oidc._keys = (oidc._keys[0] - 60, *oidc._keys[1:])  # the last fetch a minute ago
    me = client.get("/auth/me", headers=bearer(provider.token(key=rotated))).json()
    assert me["name"] == "Kaisa Keusote" and provider.fetched.count(ISSUER + "/certs") == 2


def test_an_unreachable_provider_is_503_for_a_write_and_public_for_a_read(served) -> None:
    app = create_app([served], oidc=OidcSettings("http://127.0.0.1:9/realms/none", "polku"))
    client = TestClient(app)
    token = Provider().token()
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu", json={"name": "X"},
                     headers=bearer(token, etag_of(client)))
    assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
    assert client.get("/api/graphs/mini/findings", headers=bearer(token)).status_code == 200


# -- 401 and 403 ----------------------------------------------------------------------------

def test_no_credential_is_401_with_the_bearer_challenge(client) -> None:
    r = client.patch("/api/graphs/mini/rows/services/alkuhaastattelu", json={"name": "X"},
                     headers={"If-Match": etag_of(client)})
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="polku"'
    assert set(r.json()) == {"error"} and r.json()["error"]["field"] == "Authorization"


def test_a_viewer_and_an_editor_without_organisation_are_403_insufficient_scope(
        client, provider) -> None:
    for token in (provider.token(realm_access={"roles": ["viewer"]}),
                  provider.token(realm_access={"roles": []}),
                  provider.token(organisation=None)):
        r = patch_service(client, token)
        assert r.status_code == 403, token
        assert 'error="insufficient_scope"' in r.headers["www-authenticate"]
        assert r.json()["error"]["code"] == "forbidden"


def test_an_editor_changes_only_their_own_organisations_rows(client, provider, served) -> None:
    before = (served / "mini" / "services.csv").read_bytes()
    association = provider.token(sub="sub-aino", name="Aino Yhdistys", organisation="yhdistys")
    county = provider.token()
    # the county's service: not the association's to change, nor to take over
    for values in ({"capacity_per_month": 41}, {"providers": "yhdistys"}):
        r = patch_service(client, association, **values)
        assert r.status_code == 403 and "belongs to keusote" in r.json()["error"]["message"]
        assert 'error="insufficient_scope"' in r.headers["www-authenticate"]
    assert (served / "mini" / "services.csv").read_bytes() == before
    # a new service is the association's only when it provides it
    r = client.post("/api/graphs/mini/rows/services", json={"id": "uusi", "name": "Uusi",
                    "providers": "keusote"}, headers=bearer(association, etag_of(client)))
    assert r.status_code == 403
    assert patch_service(client, association, "vertaistuki", name="Vertaistuki 2").status_code == 200
    assert patch_service(client, county, capacity_per_month=42).status_code == 200
    # a referral is its from-service's providers'; a responsibility its actor's
    r = client.patch("/api/graphs/mini/rows/referrals/r1", json={"median_wait_days": 3},
                     headers=bearer(association, etag_of(client)))
    assert r.status_code == 403
    r = client.patch("/api/graphs/mini/rows/referrals/r3", json={"median_wait_days": 3},
                     headers=bearer(association, etag_of(client)))
    assert r.status_code == 200
    # the shared graph (needs, segments, outcomes, paths) is an admin's
    r = client.post("/api/graphs/mini/rows/needs?lang=en", json={"id": "uusi-tarve", "name": "T"},
                    headers=bearer(county, etag_of(client)))
    assert r.status_code == 403 and "only an admin" in r.json()["error"]["message"]
    admin = provider.token(sub="sub-anna", name="Anna Admin", organisation=None,
                           realm_access={"roles": ["admin"]})
    r = client.post("/api/graphs/mini/rows/needs", json={"id": "uusi-tarve", "name": "T"},
                    headers=bearer(admin, etag_of(client)))
    assert r.status_code == 201
    assert patch_service(client, admin, "vertaistuki", name="V3").status_code == 200


def test_a_unit_edits_its_own_rows_and_the_parent_its_units(client, provider) -> None:
    unit = provider.token(sub="sub-tiina", name="Tiina T", organisation="tyokykytiimi")
    county = provider.token()
    r = client.post("/api/graphs/mini/rows/services", json={"id": "tiimipalvelu", "name": "T",
                    "providers": "tyokykytiimi"}, headers=bearer(unit, etag_of(client)))
    assert r.status_code == 201
    assert patch_service(client, unit, "tiimipalvelu", name="T2").status_code == 200
    assert patch_service(client, county, "tiimipalvelu", name="T3").status_code == 200
    assert patch_service(client, unit).status_code == 403  # the county's own service


def test_undo_is_refused_for_another_organisations_change(client, provider) -> None:
    assert patch_service(client, provider.token(), capacity_per_month=43).status_code == 200
    association = provider.token(sub="sub-aino", name="Aino", organisation="yhdistys")
    r = client.post("/api/graphs/mini/undo", headers=bearer(association, etag_of(client)))
    assert r.status_code == 403
    r = client.post("/api/graphs/mini/undo", headers=bearer(provider.token(), etag_of(client)))
    assert r.status_code == 200


def test_the_change_log_records_the_person(client, provider) -> None:
    assert patch_service(client, provider.token(), capacity_per_month=44).status_code == 200
    assert patch_service(client, TOKEN, capacity_per_month=45).status_code == 200
    changes = client.get("/api/graphs/mini/changes", headers=bearer(TOKEN)).json()["changes"]
    assert changes[0]["who"] == "script" and "sub" not in changes[0]
    assert (changes[1]["who"], changes[1]["sub"], changes[1]["organisations"]) == \
        ("Kaisa Keusote", "sub-kaisa", ["keusote"])
    page = client.get("/graphs/mini/changes?lang=en", headers=bearer(TOKEN)).text
    assert "Kaisa Keusote" in page
    # the public sees that a change was made and when, not by whom
    public = client.get("/api/graphs/mini/changes").json()["changes"]
    assert [c["version"] for c in public] == [c["version"] for c in changes]
    assert not any({"who", "sub", "organisations"} & set(c) for c in public)
    assert "Kaisa Keusote" not in client.get("/graphs/mini/changes?lang=en").text


def test_reads_show_the_true_figures_to_editors_only(client, provider, served) -> None:
    from helpers import edit

    edit(served / "mini" / "segments.csv", "nuoret,Nuoret,1200,", "nuoret,Nuoret,3,")
    url = "/api/graphs/mini/rows/segments/nuoret"
    sizes = {who: client.get(url, headers=bearer(provider.token(
        realm_access={"roles": [who]}))).json()["values"]["size"]
        for who in ("viewer", "editor", "admin")}
    # whoever has no editor's credentials (a signed-in viewer too) reads the small cell hidden
    assert sizes == {"viewer": "<5", "editor": "3", "admin": "3"}
    assert client.get(url).json()["values"]["size"] == "<5"


# -- the session cookie -----------------------------------------------------------------------

def session_for(client: TestClient, **claims: Any) -> tuple[str, str]:
    """A session cookie as the sign-in sets it, and its CSRF token."""
    return sealed(client.app.state.access.oidc, **claims)


def sealed(oidc: Oidc, **claims: Any) -> tuple[str, str]:
    """A session cookie sealed by ``oidc`` as the sign-in does (a session id of its own,
    the provider's session ``op-session-1``), and its CSRF token."""
    payload = {"jti": secrets.token_urlsafe(16), "sid": "op-session-1", "sub": "sub-kaisa",
               "name": "Kaisa Keusote", "roles": ["editor"], "orgs": ["keusote"],
               "csrf": "csrf-token-of-this-session", "idt": "x"}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return oidc.seal(payload, "session", 3600), payload["csrf"]


def test_a_session_write_needs_its_csrf_token(client) -> None:
    cookie, csrf = session_for(client)
    client.cookies.set("polku_session", cookie)
    url = "/api/graphs/mini/rows/services/alkuhaastattelu"
    r = client.patch(url, json={"capacity_per_month": 46}, headers={"If-Match": etag_of(client)})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf-failed"
    r = client.patch(url, json={"capacity_per_month": 46},
                     headers={"If-Match": etag_of(client), "X-Polku-CSRF": "wrong"})
    assert r.status_code == 403
    r = client.patch(url, json={"capacity_per_month": 46},
                     headers={"If-Match": etag_of(client), "X-Polku-CSRF": csrf})
    assert r.status_code == 200 and r.json()["change"]["who"] == "Kaisa Keusote"
    page = client.get("/graphs/mini?lang=en").text
    assert f'<meta name="polku-csrf" content="{csrf}">' in page and "Sign out" in page


def test_a_tampered_or_ended_session_is_no_session(client) -> None:
    cookie, csrf = session_for(client)
    header, key, iv, ciphertext, tag = cookie.split(".")
    forged = ".".join([header, key, iv, ciphertext[:-2] + ("A" if ciphertext[-2] != "A" else "B")
                       + ciphertext[-1], tag])
    ended = client.app.state.access.oidc.seal({"sub": "s", "name": "N", "roles": ["admin"],
                                               "orgs": [], "csrf": csrf}, "session", -1)
    login_cookie = client.app.state.access.oidc.seal({"sub": "s", "roles": ["admin"]},
                                                     "login", 600)
    # a cookie only signed, as polku sealed them before they were encrypted, is not taken
    settings = client.app.state.access.oidc.settings
    signed_only = jwt.encode({"alg": "HS256"}, {
        "jti": "s", "sub": "s", "name": "N", "roles": ["admin"], "csrf": csrf, "use": "session",
        "iat": int(time.time()), "exp": int(time.time()) + 600},
        OctKey.import_key(hashlib.sha256(settings.session_secret).digest()))
    for value in (forged, ended, login_cookie, signed_only):
        client.cookies.set("polku_session", value)
        assert client.get("/auth/me").json()["signed_in"] is False
        r = client.post("/api/graphs/mini/undo?lang=en", headers={"If-Match": etag_of(client),
                                                                  "X-Polku-CSRF": csrf})
        assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"]
    page = client.get("/graphs/mini?lang=en").text
    assert "/auth/login?next=%2Fgraphs%2Fmini%3Flang%3Den" in page


def test_sign_in_starts_the_code_flow_with_pkce(client) -> None:
    r = client.get("/auth/login?next=/graphs/mini&lang=sv", follow_redirects=False)
    assert r.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    target = urlsplit(r.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}{target.path}" == ISSUER + "/auth"
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "http://testserver/auth/callback"
    assert len(query["state"]) > 20 and len(query["nonce"]) > 20 and query["ui_locales"] == "sv"
    cookie = r.headers["set-cookie"]
    assert "polku_login=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/auth" in cookie and "Secure" not in cookie  # served over http here
    # a callback whose state is not the one sent is refused
    r = client.get("/auth/callback?code=x&state=other", follow_redirects=False)
    assert r.status_code == 400 and r.json()["error"]["field"] == "state"
    # over https the cookie is Secure; an address of another site is never where it returns
    secure = TestClient(client.app, base_url="https://testserver")
    r = secure.get("/auth/login?next=//evil.example/", follow_redirects=False)
    assert "Secure" in r.headers["set-cookie"]
    started = client.app.state.access.oidc.unseal(r.cookies["polku_login"], "login")
    assert started["next"] == "/"


def test_sign_out_takes_the_csrf_token_and_ends_at_the_provider(client) -> None:
    cookie, csrf = session_for(client)
    client.cookies.set("polku_session", cookie)
    r = client.post("/auth/logout", data={"csrf": "wrong"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(ISSUER + "/logout?")
    assert "id_token_hint=x" in r.headers["location"]
    assert 'polku_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    # the pages let a form lead to the provider's sign-out, and nowhere else
    csp = client.get("/graphs/mini").headers["content-security-policy"]
    assert "form-action 'self' https://id.example.fi;" in csp


def test_a_state_or_csrf_token_of_other_characters_is_refused_not_a_server_error(
        client) -> None:
    # what a form or an address sends is anyone's text: compared as bytes, never a 500
    client.get("/auth/login", follow_redirects=False)  # the sign-in's cookie is set
    r = client.get("/auth/callback?code=x&state=%C3%A4", follow_redirects=False)
    assert r.status_code == 400 and r.json()["error"]["field"] == "state"
    cookie, _ = session_for(client)
    client.cookies.set("polku_session", cookie)
    r = client.post("/auth/logout", data={"csrf": "\u00e4"}, follow_redirects=False)
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf-failed"
    assert signed_in(client, cookie)


def test_signing_out_while_the_provider_is_slow_holds_up_no_other_request(
        client, provider) -> None:
    # the provider's address is asked for (once an hour) in a worker thread, not on the
    # event loop that answers every other request of the process
    import threading

    fetch = provider.fetch
    asking = threading.Event()

    def slow(url: str, form: Any = None) -> dict[str, Any]:
        if url.endswith("/.well-known/openid-configuration"):
            asking.set()
            time.sleep(4)
        return fetch(url, form)

    oidc = client.app.state.access.oidc
    oidc.fetch, oidc._metadata = slow, None
    cookie, csrf = session_for(client)
    with TestClient(client.app) as shared:  # one event loop for every request
        shared.cookies.set("polku_session", cookie)
        out = threading.Thread(target=lambda: shared.post(
            "/auth/logout", data={"csrf": csrf}, follow_redirects=False))
        out.start()
        # timed while the provider is being asked (not after a fixed wait: on a busy
        # machine the sign-out may not have got there yet), with room for a busy machine:
        # a request held up would take the rest of the provider's 4 s
        assert asking.wait(30)
        began = time.monotonic()
        assert TestClient.get(shared, "/favicon.ico").status_code == 200
        took = time.monotonic() - began
        out.join(30)
    assert took < 2.0, took


def test_without_a_provider_nothing_changes(served) -> None:
    client = TestClient(create_app([served], parse_tokens(f"script:{TOKEN}")))
    assert client.get("/auth/login").status_code == 404
    page = client.get("/graphs/mini").text
    assert "/auth/login" not in page and '<meta name="polku-csrf"' not in page
    assert 'class="account"' not in page
    assert "form-action 'self';" in client.get("/graphs/mini").headers["content-security-policy"]


def test_a_signed_in_page_is_never_kept_for_another_reader(client) -> None:
    # the graph page of a version is kept for every reader of one audience: never the
    # page that names a signed-in person and carries their session's CSRF token
    first, csrf_1 = session_for(client, csrf="csrf-of-the-first-person")
    second, csrf_2 = session_for(client, csrf="csrf-of-the-second", name="Ulla Toinen")
    pages = {}
    for who, cookie in (("first", first), ("second", second), ("anonymous", None)):
        client.cookies.clear()
        if cookie:
            client.cookies.set("polku_session", cookie)
        pages[who] = client.get("/graphs/mini?lang=en").text
    assert "csrf-of-the-first-person" in pages["first"] and "Kaisa Keusote" in pages["first"]
    assert "csrf-of-the-first-person" not in pages["second"] and "Ulla Toinen" in pages["second"]
    assert "csrf-of-the" not in pages["anonymous"] and "Kaisa" not in pages["anonymous"]


def test_a_signed_in_editor_gets_the_edit_controls_and_a_viewer_the_way_to_them(
        client) -> None:
    """The server knows a signed-in person's role: an editor's page has the edit forms
    open and the findings' buttons shown, and no edit key's field (the session writes: on
    the PTV page too); a viewer's, like a reader's who has not signed in, has them
    collapsed, with the key's field, under a heading that says what editing needs: for
    the reader signed out both ways in, for the viewer that they are signed in as a
    viewer, who may not edit (it said "editing needs signing in" to one signed in)."""
    closed = {"forms": True, "open": False, "hidden": {True}, "key": True,
              "heading": "Edit forms: editing needs signing in or an edit key"}
    assert edit_controls(client.get("/graphs/mini?lang=en").text) == closed
    viewer, _ = session_for(client, roles=["viewer"])
    client.cookies.set("polku_session", viewer)
    assert edit_controls(client.get("/graphs/mini?lang=en").text) == {
        **closed, "heading": "Edit forms: you are signed in as a viewer, who may not edit"}
    assert "Muokkauslomakkeet: olet kirjautunut lukijana, joka ei voi muokata" in \
        client.get("/graphs/mini?lang=fi").text
    assert 'id="token-field" hidden' not in client.get("/graphs/mini/ptv?lang=en").text
    nobody, _ = session_for(client, roles=[])
    client.cookies.set("polku_session", nobody)
    assert edit_controls(client.get("/graphs/mini?lang=en").text)["heading"] == \
        "Edit forms: you are signed in without a role, and may not edit"
    editor, _ = session_for(client)
    client.cookies.set("polku_session", editor)
    assert edit_controls(client.get("/graphs/mini?lang=en").text) == {
        "forms": True, "open": True, "hidden": {False}, "key": False, "heading": "Edit forms"}
    ptv = client.get("/graphs/mini/ptv?lang=en").text
    assert 'id="token-field" hidden' in ptv and "Your bearer token" not in ptv


@pytest.mark.parametrize("lang, claims, said", [
    ("fi", {"iss": "https://evil.example/realms/ku"},
     "avaimen tiedot eivät kelpaa (virheellinen tieto: 'iss')"),
    ("sv", {"sub": None}, "nyckelns uppgifter är inte giltiga (uppgift saknas: 'sub')"),
    ("en", {"exp": None}, "the token's claims are not valid (Missing claim: 'exp')"),
])
def test_a_tokens_bad_claim_is_told_in_the_readers_language(client, provider, lang, claims,
                                                           said) -> None:
    """The claim that is wrong is named in the request's language (the library's own
    'Invalid claim' words stay out of Finnish and Swedish)."""
    r = client.patch(f"/api/graphs/mini/rows/services/alkuhaastattelu?lang={lang}",
                     json={"capacity_per_month": 41},
                     headers=bearer(provider.token(**claims), etag_of(client)))
    assert r.status_code == 401 and r.json()["error"]["message"] == said


def test_a_sign_in_the_provider_refused_is_told_in_the_readers_language(client) -> None:
    """The callback's own reasons ("no code") are catalogued too."""
    start = client.get("/auth/login?lang=fi", follow_redirects=False)
    assert start.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    r = client.get(f"/auth/callback?state={state}&lang=fi",
                   headers={"Accept": "application/json"})
    assert r.status_code == 401
    assert r.json()["error"]["message"] == \
        "tunnistuspalvelu ei kirjannut sinua sisään (koodia ei saatu)"


@pytest.mark.parametrize("option, value", [("--session-hours", "2"),
                                           ("--session-recheck-seconds", "60"),
                                           ("--oidc-roles-claim", "roles")])
def test_a_sign_in_option_without_an_issuer_is_refused_not_ignored(option, value) -> None:
    """Without an identity provider a sign-in option means nothing; ignoring it would hide
    a forgotten --oidc-issuer (the server would run with no sign-in at all)."""
    from helpers import run

    r = run("serve", option, value, env={"POLKU_OIDC_ISSUER": "", "POLKU_LANG": "en"})
    assert r.exit_code == 1
    assert f"{option} is about signing in through an identity provider: give --oidc-issuer" \
        in r.output, r.output


#: every sign-in and session setting's environment variable (README: "Each option has its
#: environment variable"), with a value it takes
SIGN_IN_VARIABLES = {"POLKU_OIDC_CLIENT_ID": "polku", "POLKU_OIDC_CLIENT_SECRET": "s3cret",
                     "POLKU_OIDC_ROLES_CLAIM": "roles", "POLKU_OIDC_ORG_CLAIM": "org",
                     "POLKU_OIDC_AUDIENCE": "polku", "POLKU_SESSION_HOURS": "3",
                     "POLKU_SESSION_RECHECK_SECONDS": "10",
                     "POLKU_SESSION_GRACE_SECONDS": "60",
                     "POLKU_SESSION_SECRET": "s" * 32}


@pytest.mark.parametrize("variable", sorted(SIGN_IN_VARIABLES))
def test_a_sign_in_variable_without_an_issuer_is_refused_not_ignored(
        variable: str, tmp_path: Path) -> None:
    """``POLKU_OIDC_AUDIENCE=polku polku serve g`` served read-only without a word (only
    POLKU_OIDC_CLIENT_ID was refused): one check holds the options and the environment
    alike, in ``polku serve`` and in ``uvicorn --factory polku.app:app_from_env``."""
    from helpers import run
    from polku.app import app_from_env

    copy_two_organisations(tmp_path / "mini")
    said = (f"{variable} is about signing in through an identity provider: give "
            "--oidc-issuer (or POLKU_OIDC_ISSUER) too")
    # a host that is no machine's: a server that took the setting stops there, not serving
    r = run("serve", tmp_path, "--host", "nosuch.invalid",
            env={"POLKU_OIDC_ISSUER": "", "POLKU_LANG": "en",
                 variable: SIGN_IN_VARIABLES[variable]})
    assert r.exit_code == 1 and f"error: {said}\n" == r.output, r.output
    fi = run("serve", tmp_path, "--host", "nosuch.invalid",
             env={"POLKU_OIDC_ISSUER": "", "POLKU_LANG": "fi",
                  variable: SIGN_IN_VARIABLES[variable]})
    assert fi.exit_code == 1 and f"virhe: {variable} koskee kirjautumista" in fi.output, \
        fi.output
    with pytest.MonkeyPatch.context() as env:
        env.setenv("POLKU_GRAPHS", str(tmp_path))
        env.delenv("POLKU_OIDC_ISSUER", raising=False)
        env.setenv(variable, SIGN_IN_VARIABLES[variable])
        with pytest.raises(PolkuError) as e:
            app_from_env()
    assert str(e.value) == said


@pytest.mark.parametrize("option, value", [("--session-hours", "0"),
                                           ("--session-recheck-seconds", "-1"),
                                           ("--session-grace-seconds", "-5")])
def test_a_session_setting_out_of_range_is_one_text_as_option_or_variable(
        option: str, value: str) -> None:
    """``--session-hours 0`` said "pitää olla vähintään 0.02, ei 0" (the command line's
    own bound, with a decimal point) where ``POLKU_SESSION_HOURS=0`` said "vähintään
    minuutti (0,02 tuntia)": one setting, one text, whichever way it is given."""
    from helpers import run

    variable = "POLKU_" + option.lstrip("-").upper().replace("-", "_")
    base = {"POLKU_OIDC_ISSUER": ISSUER, "POLKU_OIDC_CLIENT_ID": "polku",
            "POLKU_OIDC_CLIENT_SECRET": "client-secret", "POLKU_LANG": "fi"}
    by_option = run("serve", option, value, "--host", "nosuch.invalid", env=base)
    by_variable = run("serve", "--host", "nosuch.invalid", env={**base, variable: value})
    assert by_option.exit_code == by_variable.exit_code == 1
    assert by_option.output == by_variable.output, (by_option.output, by_variable.output)
    assert by_option.output.startswith(f"virhe: {option}: "), by_option.output
    if option == "--session-hours":
        assert "vähintään minuutti (0,02 tuntia)" in by_option.output, by_option.output


def test_the_sign_in_settings_are_told_in_polku_lang() -> None:
    from helpers import run

    r = run("serve", "--oidc-issuer", "ftp://id.example.fi", "--oidc-client-id", "polku",
            env={"POLKU_LANG": "fi"})
    assert r.exit_code == 1
    assert "virhe: --oidc-issuer: OpenID Connect -myöntäjän on oltava https://-osoite, ei " \
        "'ftp://id.example.fi'" in r.output, r.output


#: what a server needs to start with sign-in, each check below takes one away or spoils it
SIGN_IN = {"POLKU_OIDC_ISSUER": ISSUER, "POLKU_OIDC_CLIENT_ID": "polku",
           "POLKU_OIDC_CLIENT_SECRET": "client-secret", "POLKU_SESSION_SECRET": "s" * 32}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("change, said", [
    # polku is a confidential client: without its secret every sign-in fails at the provider
    ({"POLKU_OIDC_CLIENT_SECRET": ""}, "POLKU_OIDC_CLIENT_SECRET"),
    # tokens and the client's secret would cross the network in clear
    ({"POLKU_OIDC_ISSUER": "http://id.example.fi/realms/ku"}, "http://id.example.fi/realms/ku"),
    ({"POLKU_OIDC_ISSUER": "http://10.0.0.5:8080/realms/ku"}, "localhost"),
    # the README asks for 32+ random characters: the cookies' key is drawn from it
    ({"POLKU_SESSION_SECRET": "s" * 31}, "POLKU_SESSION_SECRET"),
], ids=["no client secret", "http issuer", "http issuer by address", "short session secret"])
def test_the_server_refuses_to_start_with_unsafe_sign_in_settings(change, said, lang) -> None:
    from helpers import run

    r = run("serve", "--port", "1", env={**SIGN_IN, **change, "POLKU_LANG": lang})
    assert r.exit_code == 1, r.output
    line = r.output.strip()
    assert said in line and "\n" not in line, r.output
    if lang != "en":  # catalogued: not the English words
        assert "must be" not in line and "needs its secret" not in line, line


def test_the_sign_in_checks_take_this_machine_over_http_and_name_what_is_missing() -> None:
    from polku.server.oidc import settings_from_env

    for local in ("http://localhost:8080/realms/ku", "http://127.0.0.1/realms/ku",
                  "http://[::1]:8080/realms/ku"):
        assert settings_from_env({**SIGN_IN, "POLKU_OIDC_ISSUER": local}).issuer == local
    # exactly 32 characters, and the secrets the CLI and the tests' own make
    assert len(settings_from_env(SIGN_IN).session_secret) == 32
    with pytest.raises(PolkuError) as e:
        settings_from_env({**SIGN_IN, "POLKU_OIDC_CLIENT_SECRET": ""})
    assert e.value.field == "oidc-client-secret"
    with pytest.raises(PolkuError) as e:
        OidcSettings(ISSUER, "polku", session_secret=b"x" * 16)
    assert str(e.value) == ("the session secret (POLKU_SESSION_SECRET) must be at least 32 "
                            "characters, not 16")


def test_an_unreachable_provider_is_said_once_in_the_log(served, caplog) -> None:
    """The log once read "the identity provider cannot be reached: the identity provider
    cannot be reached (…)"."""
    app = create_app([served], oidc=OidcSettings("http://127.0.0.1:9/realms/none", "polku"),
                     lang="en")
    caplog.set_level(logging.WARNING, logger="polku.server.oidc")
    r = TestClient(app).get("/auth/login", follow_redirects=False)
    assert r.status_code == 503
    said = [rec.getMessage() for rec in caplog.records if rec.name == "polku.server.oidc"]
    assert len(said) == 1 and said[0].count("cannot be reached") == 1, said
    assert said[0].startswith("a sign-in cannot start: the identity provider cannot be reached ("), said


# -- sessions that end before their cookie does ------------------------------------------------

SECRET = b"the-session-secret-of-these-tests"


def app_over(served: Path, provider: Provider) -> TestClient:
    """Another server over the same folder with the same session secret (as the workers
    of ``polku serve --workers N``, or a second server, are), its log in English (the
    tests read it; Finnish without ``lang``)."""
    app = create_app([served], oidc=OidcSettings(provider.issuer, "polku", leeway=0,
                                                 session_secret=SECRET), lang="en")
    app.state.access.oidc.fetch = provider.fetch
    return TestClient(app)


def signed_in(client: TestClient, cookie: str) -> bool:
    client.cookies.clear()
    client.cookies.set("polku_session", cookie)
    return client.get("/auth/me").json()["signed_in"]


def write_with(client: TestClient, cookie: str, csrf: str) -> Any:
    client.cookies.clear()
    client.cookies.set("polku_session", cookie)
    return client.patch("/api/graphs/mini/rows/services/alkuhaastattelu?lang=en",
                        json={"capacity_per_month": 47},
                        headers={"If-Match": etag_of(client), "X-Polku-CSRF": csrf})


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(served, provider) -> None:
    browser, stolen = app_over(served, provider), app_over(served, provider)
    cookie, csrf = sealed(browser.app.state.access.oidc)
    other_session, _ = sealed(browser.app.state.access.oidc)  # the same person elsewhere
    assert signed_in(stolen, cookie) and signed_in(browser, cookie)
    r = browser.post("/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(ISSUER + "/logout?")
    # the copy is signed out too: reads as the public, writes are 401, pages offer sign-in
    assert not signed_in(stolen, cookie)
    assert stolen.get("/auth/me").json() == {"signed_in": False, "audience": "public"}
    r = write_with(stolen, cookie, csrf)
    assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"]
    page = stolen.get("/graphs/mini?lang=en").text
    assert "/auth/login?next=" in page and "Kaisa Keusote" not in page and csrf not in page
    # signing out again with the ended cookie only clears it (the provider's is over)
    r = stolen.post("/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "http://testserver/"
    # the person's other session goes on; so does a server started anew over the folder
    assert signed_in(stolen, other_session)
    assert not signed_in(app_over(served, provider), cookie)
    # kept beside the change logs, naming no person and no session
    kept = (served / ".polku" / "sessions.ended.json").read_text()
    claims = browser.app.state.access.oidc.unseal(cookie, "session")
    assert claims["jti"] not in kept and "sub-kaisa" not in kept and len(json.loads(kept)["ended"]) == 1


def test_a_cookie_without_a_session_id_is_signed_out(client) -> None:
    # sealed before sessions had ids: it could not be ended, so it is not taken
    cookie, csrf = session_for(client, jti=None)
    assert not signed_in(client, cookie)
    assert write_with(client, cookie, csrf).status_code == 401


def test_a_back_channel_logout_ends_the_providers_session_in_another_server(
        served, provider) -> None:
    posted, other = app_over(served, provider), app_over(served, provider)
    cookie, csrf = sealed(posted.app.state.access.oidc)
    elsewhere, _ = sealed(posted.app.state.access.oidc, sid="op-session-2")
    assert signed_in(other, cookie)  # read (and kept) by the other server before the logout
    r = posted.post("/auth/backchannel-logout", data={"logout_token": provider.logout_token()})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert not signed_in(other, cookie) and not signed_in(posted, cookie)
    assert write_with(other, cookie, csrf).status_code == 401
    assert signed_in(other, elsewhere)  # a session of another provider session goes on


def test_a_back_channel_logout_by_sub_ends_every_session_of_the_person_begun_so_far(
        served, provider) -> None:
    client = app_over(served, provider)
    oidc = client.app.state.access.oidc
    first, _ = sealed(oidc)
    second, _ = sealed(oidc, sid="op-session-2")
    someone_else, _ = sealed(oidc, sub="sub-aino", sid="op-session-3")
    r = client.post("/auth/backchannel-logout",
                    data={"logout_token": provider.logout_token(sid=None)})
    assert r.status_code == 200
    assert not signed_in(client, first) and not signed_in(client, second)
    assert signed_in(client, someone_else)
    # signing in again later is a session again
    oidc.clock = lambda: time.time() + 2
    again, _ = sealed(oidc)
    assert signed_in(client, again)


def test_a_replayed_logout_token_ends_no_session_begun_after_it(served, provider) -> None:
    """A logout token naming only the person, posted again within its lifetime (by anyone
    who saw it), ends only what it ended the first time: the sessions begun before it was
    issued, not the person's new sign-in."""
    client = app_over(served, provider)
    oidc = client.app.state.access.oidc
    token = provider.logout_token(sid=None, iat=int(time.time()) - 120)
    assert client.post("/auth/backchannel-logout", data={"logout_token": token}
                       ).status_code == 200
    again, _ = sealed(oidc)  # signed in after the logout
    assert signed_in(client, again)
    assert client.post("/auth/backchannel-logout", data={"logout_token": token}
                       ).status_code == 200
    assert signed_in(client, again)


@pytest.mark.parametrize("why, token, said", [
    ("signed by another key", lambda p: p.logout_token(
        key=RSAKey.generate_key(2048, parameters={"kid": "k1"})), "signature is not valid"),
    ("expired", lambda p: p.logout_token(iat=int(time.time()) - 600,
                                         exp=int(time.time()) - 300), "expired"),
    ("old, without exp", lambda p: p.logout_token(iat=int(time.time()) - 3600, exp=None),
     "expired"),
    ("for another client", lambda p: p.logout_token(aud="other-app"), "not meant for this client"),
    ("of another issuer", lambda p: p.logout_token(iss="https://evil.example/realms/ku"),
     "Invalid claim: 'iss'"),
    ("no events", lambda p: p.logout_token(events=None), "back-channel logout event"),
    ("another event", lambda p: p.logout_token(events={"http://example.fi/other": {}}),
     "back-channel logout event"),
    ("neither sid nor sub", lambda p: p.logout_token(sid=None, sub=None), "neither a session"),
    ("a nonce (an ID token)", lambda p: p.logout_token(nonce="n"), "carries no nonce"),
    ("no iat", lambda p: p.logout_token(iat=None), "Missing claim: 'iat'"),
    ("an ID token", lambda p: p.token(typ="ID", nonce="n", sid="op-session-1"),
     "back-channel logout event"),
    ("not a JWT", lambda p: "not-a-jwt", "not a signed JWT"),
    ("no token", lambda p: "", "posts a logout_token"),
])
def test_a_logout_token_that_is_not_valid_is_400_and_ends_nothing(served, provider, why, token,
                                                                 said) -> None:
    client = app_over(served, provider)
    cookie, _ = sealed(client.app.state.access.oidc)
    r = client.post("/auth/backchannel-logout?lang=en", data={"logout_token": token(provider)})
    assert r.status_code == 400, why
    error = r.json()["error"]
    assert error["code"] == "invalid-logout-token" and error["field"] == "logout_token", why
    assert said in error["message"], (why, error["message"])
    assert r.headers["cache-control"] == "no-store"
    assert signed_in(client, cookie), why
    assert not (served / ".polku" / "sessions.ended.json").exists()


def test_a_logout_token_is_refused_in_the_readers_language(served, provider) -> None:
    client = app_over(served, provider)
    r = client.post("/auth/backchannel-logout?lang=fi",
                    data={"logout_token": provider.logout_token(aud="other-app")})
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert message.startswith("uloskirjautumisavain ei kelpaa") and "aud" in message, message


class Issuer:
    """The fake provider's discovery document and keys served over HTTP on loopback, for
    the servers of another process."""

    def __init__(self) -> None:
        import http.server
        import threading

        from processes import free_port

        port = free_port()
        self.provider = Provider(f"http://127.0.0.1:{port}/realms/ku")
        provider = self.provider

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                try:
                    body = json.dumps(provider.fetch(provider.issuer.rsplit("/realms", 1)[0]
                                                     + self.path)).encode()
                except AssertionError:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.slow  # three server processes
def test_a_back_channel_logout_ends_the_session_in_every_worker_and_server(served) -> None:
    """``polku serve --workers 2`` takes the logout token in one worker: the session ends
    in the other worker and in a second server over the same folder."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from processes import polku_serve

    issuer = Issuer()
    provider = issuer.provider
    env = {"POLKU_SESSION_SECRET": SECRET.decode(), "POLKU_OIDC_CLIENT_SECRET": "client-secret"}
    args = [str(served), "--oidc-issuer", provider.issuer, "--oidc-client-id", "polku"]
    oidc = Oidc(OidcSettings(provider.issuer, "polku", session_secret=SECRET))
    cookie, _ = sealed(oidc)

    def me(base: str) -> bool:
        request = urllib.request.Request(base + "/auth/me",
                                         headers={"Cookie": f"polku_session={cookie}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.loads(r.read())["signed_in"]

    try:
        with polku_serve(*args, env=env, workers=2) as workers, \
                polku_serve(*args, env=env) as second:
            # every worker has judged the cookie (and kept what it read) before the logout
            assert all(me(workers) for _ in range(12)) and me(second)
            form = urllib.parse.urlencode({"logout_token": provider.logout_token()}).encode()
            with urllib.request.urlopen(urllib.request.Request(
                    workers + "/auth/backchannel-logout", data=form), timeout=60) as r:
                assert r.status == 200
            assert not any(me(workers) for _ in range(12)) and not me(second)
            forged = provider.logout_token(key=RSAKey.generate_key(2048, parameters={"kid": "k1"}))
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(
                    second + "/auth/backchannel-logout",
                    data=urllib.parse.urlencode({"logout_token": forged}).encode()), timeout=60)
            assert refused.value.code == 400
    finally:
        issuer.close()


# -- sessions checked again at the provider (polku.server.recheck) -------------------------------

def later(clients: list[TestClient], provider: Provider, seconds: float) -> None:
    """The clock of the servers of ``clients`` and of the provider ``seconds`` ahead."""
    for client in clients:
        client.app.state.access.oidc.clock = lambda: time.time() + seconds
    provider.clock = lambda: time.time() + seconds


def refreshable(oidc: Oidc, **claims: Any) -> tuple[str, str]:
    """A session cookie as the sign-in now seals it: with the provider's refresh token and
    the time it was checked."""
    return sealed(oidc, rt="refresh-token-0", chk=int(time.time()), **claims)


def new_cookie(response: Any) -> str | None:
    """The session cookie a response sets ("" when it clears it, None when it sets none)."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("polku_session="):
            value = header.split(";", 1)[0].split("=", 1)[1].strip('"')
            return "" if "Max-Age=0" in header or not value else value
    return None


def write_first(client: TestClient, cookie: str, csrf: str) -> Any:
    """A write that is the first request to carry ``cookie`` (its ETag read without it)."""
    client.cookies.clear()
    etag = etag_of(client)
    client.cookies.set("polku_session", cookie)
    return client.patch("/api/graphs/mini/rows/services/alkuhaastattelu?lang=en",
                        json={"capacity_per_month": 47},
                        headers={"If-Match": etag, "X-Polku-CSRF": csrf})


def as_cookie(client: TestClient, cookie: str, path: str = "/auth/me", **headers: str) -> Any:
    client.cookies.clear()
    client.cookies.set("polku_session", cookie)
    return client.get(path, headers=headers)


def test_sign_in_keeps_the_refresh_token_in_a_cookie_that_cannot_be_read(
        served, provider) -> None:
    from urllib.parse import parse_qs, urlsplit

    app = create_app([served], oidc=OidcSettings(ISSUER, "polku", leeway=0,
                                                 session_seconds=1800))
    app.state.access.oidc.fetch = provider.fetch
    client = TestClient(app)
    start = client.get("/auth/login", follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    provider.nonce = query["nonce"][0]
    r = client.get(f"/auth/callback?code=the-code&state={query['state'][0]}",
                   follow_redirects=False)
    assert r.status_code == 303, r.text
    assert provider.posted[0]["grant_type"] == "authorization_code"
    cookie = new_cookie(r)
    assert "Max-Age=1800" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    session = app.state.access.oidc.unseal(cookie, "session")
    assert session["rt"] == "refresh-token-1" and abs(session["chk"] - time.time()) < 5
    assert session["roles"] == ["editor"] and session["exp"] - session["iat"] == 1800
    # encrypted: neither the refresh token nor the person can be read from the cookie
    import base64

    parts = cookie.split(".")
    assert len(parts) == 5
    opened = b"".join(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in parts)
    for secret in (b"refresh-token", b"Kaisa", b"sub-kaisa", b"editor", b"csrf"):
        assert secret not in opened
    assert json.loads(base64.urlsafe_b64decode(parts[0] + "==")) == {
        "typ": "JWT", "alg": "dir", "enc": "A256GCM"}
    # a server with another session secret cannot open it
    other = Oidc(OidcSettings(ISSUER, "polku", session_secret=SECRET))
    assert other.unseal(cookie, "session") is None
    assert len(cookie) < 3000


def test_a_session_too_large_for_a_browser_cookie_is_refused_clearly(served, provider) -> None:
    """A browser silently drops a cookie above 4096 bytes: the person would come back from
    the provider signed out, again and again. A provider whose tokens make the session that
    large (a realm that puts every group and role in the ID token) is told at sign-in."""
    from urllib.parse import parse_qs, urlsplit

    app = create_app([served], oidc=OidcSettings(ISSUER, "polku", leeway=0))
    app.state.access.oidc.fetch = provider.fetch
    client = TestClient(app)
    provider.roles = ["editor"] + [f"ryhma-{i:03}-tyollisyyspalvelut" for i in range(160)]
    start = client.get("/auth/login?lang=en", follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    provider.nonce = query["nonce"][0]
    r = client.get(f"/auth/callback?code=the-code&state={query['state'][0]}&lang=en",
                   headers={"Accept": "application/json"}, follow_redirects=False)
    assert r.status_code == 401, r.text
    message = r.json()["error"]["message"]
    assert "too large for a browser cookie" in message and "4096" in message, message
    assert "polku_session=" not in r.headers.get("set-cookie", "")


#: realm roles enough to make a session's cookie larger than a browser keeps
MANY_ROLES = ["editor"] + [f"ryhma-{i:03}-tyollisyyspalvelut" for i in range(160)]


def test_a_refreshed_session_too_large_for_a_browser_cookie_ends_and_says_why(
        served, provider, caplog) -> None:
    """Sent anyway, a refreshed cookie above 4096 bytes would be dropped by the browser,
    which would send the old one (its refresh token perhaps rotated) at every request: a
    check each time, and a person who never learns why. The session ends instead, the
    person is told what a sign-in refused for it tells, and the log says so."""
    import logging

    first, second = app_over(served, provider), app_over(served, provider)
    oidc = first.app.state.access.oidc
    cookie, csrf = refreshable(oidc)
    assert signed_in(first, cookie)
    provider.roles = MANY_ROLES  # the realm gave the person many more roles meanwhile
    later([first, second], provider, 301)
    caplog.set_level(logging.WARNING, logger="polku.server.recheck")
    first.cookies.clear()
    etag = etag_of(first)
    # a write from the page: 401 in the error shape, the explanation in the reader's
    # language, the cookie cleared, and nothing written
    first.cookies.set("polku_session", cookie)
    r = first.patch("/api/graphs/mini/rows/services/alkuhaastattelu?lang=sv",
                    json={"capacity_per_month": 47}, headers={"If-Match": etag,
                                                              "X-Polku-CSRF": csrf})
    assert r.status_code == 401, r.text
    message = r.json()["error"]["message"]
    assert message.startswith("inloggningen har upphört: identitetstjänsten förnyade den, "
                              "men dess token gör sessionen för stor för en "
                              "webbläsarkaka"), message
    assert "byte, högst 4096;" in message
    assert 'error="invalid_token"' in r.headers["www-authenticate"]
    assert new_cookie(r) == "" and r.headers["cache-control"] == "no-store"
    first.cookies.clear()
    assert etag_of(first) == etag
    assert provider.refreshes() == 1
    said = [rec.getMessage() for rec in caplog.records]
    assert len(said) == 1 and "a session ended" in said[0] and "browsers keep 4096" in said[0]
    size = int(said[0].split(" would be ")[1].split()[0])
    assert size > 4096
    # the browser kept the old cookie: it is signed out, in every worker, and the provider
    # is asked nothing more (no check at every request)
    for client in (first, second):
        assert as_cookie(client, cookie).json() == {"signed_in": False, "audience": "public"}
        page = as_cookie(client, cookie, "/graphs/mini?lang=en").text
        assert "/auth/login?next=" in page and "Kaisa Keusote" not in page
    assert provider.refreshes() == 1
    # a page asked for by a browser: the error page says it, in the page's language
    cookie, _ = refreshable(oidc)
    later([first], provider, 301)
    r = as_cookie(first, cookie, "/graphs/mini?lang=fi", Accept="text/html")
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
    assert "kirjautuminen on päättynyt: tunnistuspalvelu uusi sen, mutta sen tunnisteet " \
           "tekevät istunnosta liian suuren selaimen evästeeksi" in r.text, r.text[-3000:]
    assert new_cookie(r) == "" and r.headers["cache-control"] == "no-store"
    # with the roles as they were, the same check refreshes the session as ever
    provider.roles = ["editor"]
    cookie, _ = refreshable(oidc)
    later([first], provider, 301)
    r = as_cookie(first, cookie)
    assert r.json()["role"] == "editor" and new_cookie(r)


def test_a_request_decrypts_its_session_cookie_once(served, provider, monkeypatch) -> None:
    """The recheck decrypts the cookie to see whether a check is due; the route's access
    check reads it as decrypted then (a page asks twice: its account bar and its figures),
    and a cookie refreshed in the request is read as it was sealed."""
    import joserfc.jwt

    decrypted: list[str] = []
    decode = joserfc.jwt.decode

    def counted(value: Any, *args: Any, **kwargs: Any) -> Any:
        if str(value if isinstance(value, str) else value.decode()).count(".") == 4:
            decrypted.append(value)  # a JWE: a cookie (the provider's tokens are JWS)
        return decode(value, *args, **kwargs)

    monkeypatch.setattr(joserfc.jwt, "decode", counted)
    client = app_over(served, provider)
    oidc = client.app.state.access.oidc
    cookie, csrf = refreshable(oidc)
    viewer, _ = refreshable(oidc, sub="sub-ville", name="Ville", roles=["viewer"])

    def once(request: Any) -> Any:
        decrypted.clear()
        r = request()
        assert len(decrypted) == 1, decrypted
        return r

    assert once(lambda: as_cookie(client, cookie)).json()["role"] == "editor"
    page = once(lambda: as_cookie(client, cookie, "/graphs/mini?lang=en")).text
    assert "Kaisa Keusote, editor (keusote)" in page
    assert once(lambda: as_cookie(client, cookie, "/api/graphs/mini/findings")).status_code \
        == 200
    r = once(lambda: write_first(client, cookie, csrf))
    assert r.status_code == 200 and r.json()["change"]["who"] == "Kaisa Keusote"
    # what one request opened is no other's: each reads its own cookie, or none
    assert once(lambda: as_cookie(client, viewer)).json()["name"] == "Ville"
    client.cookies.clear()
    assert client.get("/auth/me").json()["signed_in"] is False
    assert once(lambda: as_cookie(client, cookie)).json()["name"] == "Kaisa Keusote"
    # a cookie that does not decrypt is decrypted (tried) once too, and is no session
    forged = cookie[:-3] + ("A" if cookie[-3] != "A" else "B") + cookie[-2:]
    assert once(lambda: as_cookie(client, forged)).json()["signed_in"] is False
    # a session due its check: the old cookie decrypted once, the new one not at all,
    # and the route reads the roles the provider now gives
    provider.roles = ["viewer"]
    later([client], provider, 301)
    r = once(lambda: as_cookie(client, cookie, "/graphs/mini?lang=en"))
    assert "Kaisa Keusote, viewer (keusote)" in r.text and new_cookie(r)
    assert provider.refreshes() == 1
    # an ended session in the same way: decrypted once, read as signed out
    provider.refusal = "invalid_grant"
    later([client], provider, 700)
    r = once(lambda: write_first(client, new_cookie(r), csrf))
    assert r.status_code == 401 and new_cookie(r) == ""
    # the opened cookie is taken only for the very value it was opened from
    from polku.server.auth import Opened

    other = Opened(viewer, oidc.decrypt(viewer))
    later([client], provider, 0)
    mine, _ = sealed(oidc)
    assert oidc.session(mine, other).name == "Kaisa Keusote"
    assert oidc.session(viewer, other).name == "Ville"


def test_a_session_checked_lately_asks_the_provider_nothing(served, provider) -> None:
    client = app_over(served, provider)
    rechecks = client.app.state.rechecks
    cookie, _ = refreshable(client.app.state.access.oidc)
    for path in ("/auth/me", "/graphs/mini", "/api/graphs/mini/findings", "/favicon.ico"):
        r = as_cookie(client, cookie, path)
        assert r.status_code == 200 and new_cookie(r) is None, path
    later([client], provider, 290)
    assert as_cookie(client, cookie).json()["signed_in"]
    assert provider.refreshes() == 0 and rechecks.refreshes == 0
    # five minutes on: the next request checks it, once, and the answer carries a new cookie
    later([client], provider, 301)
    r = as_cookie(client, cookie)
    assert r.json()["role"] == "editor"
    fresh = new_cookie(r)
    assert fresh and fresh != cookie and provider.refreshes() == 1
    # requests that still carry the old cookie (sent before the new one arrived) share that
    # check and get the same new cookie; the new cookie is not due for five minutes more
    for _ in range(3):
        assert new_cookie(as_cookie(client, cookie)) == fresh
        r = as_cookie(client, fresh)
        assert r.json()["signed_in"] and new_cookie(r) is None
    assert provider.refreshes() == 1 and rechecks.refreshes == 1
    later([client], provider, 602)
    assert new_cookie(as_cookie(client, fresh)) and provider.refreshes() == 2
    # the refresh was the token endpoint's refresh grant, with the session's refresh token
    posted = [f for f in provider.posted if f["grant_type"] == "refresh_token"]
    assert [f["refresh_token"] for f in posted] == ["refresh-token-0", "refresh-token-1"]


def test_an_answer_that_sets_the_session_cookie_again_is_kept_by_no_cache(
        served, provider) -> None:
    # the browser asks for the icon with the cookie; were its answer "public", a shared
    # cache (a reverse proxy, a CDN) could hand the new cookie to every later visitor
    client = app_over(served, provider)
    oidc = client.app.state.access.oidc
    for path in ("/favicon.ico", "/static-offline-docs/swagger-ui.css", "/auth/me"):
        cookie, _ = refreshable(oidc)
        later([client], provider, 301)
        r = as_cookie(client, cookie, path)
        assert new_cookie(r), path
        assert r.headers["cache-control"] == "no-store", (path, r.headers["cache-control"])
        later([client], provider, 0)
    # and so is one that clears an ended session's cookie
    cookie, _ = refreshable(oidc)
    provider.refusal = "invalid_grant"
    later([client], provider, 301)
    r = as_cookie(client, cookie, "/favicon.ico")
    assert new_cookie(r) == "" and r.headers["cache-control"] == "no-store"


def test_a_role_taken_away_at_the_provider_is_seen_at_the_next_check(served, provider) -> None:
    client = app_over(served, provider)
    oidc = client.app.state.access.oidc
    cookie, csrf = refreshable(oidc)
    assert write_with(client, cookie, csrf).status_code == 200
    provider.roles, provider.organisation = ["viewer"], "yhdistys"
    assert as_cookie(client, cookie).json()["role"] == "editor"  # not checked yet
    later([client], provider, 301)
    # the request that checks the session is answered with the roles the provider now gives
    r = write_first(client, cookie, csrf)
    assert r.status_code == 403 and 'error="insufficient_scope"' in r.headers["www-authenticate"]
    fresh = new_cookie(r)
    me = as_cookie(client, fresh).json()
    assert (me["role"], me["organisations"], me["audience"]) == ("viewer", ["yhdistys"], "public")
    assert provider.refreshes() == 1
    # the same session, its id, CSRF token, start and expiry; the new tokens and check time
    before, after = oidc.unseal(cookie, "session"), oidc.unseal(fresh, "session")
    for same in ("jti", "sid", "sub", "csrf", "iat", "exp"):
        assert before[same] == after[same], same
    assert after["rt"] == "refresh-token-1" and after["idt"] != before["idt"]
    assert after["chk"] >= before["chk"] + 301
    page = as_cookie(client, fresh, "/graphs/mini?lang=en").text
    assert "Kaisa Keusote, viewer (yhdistys)" in page, page[:3000]
    # and given back, the role is seen at the check after
    provider.roles = ["editor"]
    later([client], provider, 700)
    assert as_cookie(client, fresh).json()["role"] == "editor"


def test_a_refresh_the_provider_refuses_signs_the_session_out_in_every_worker(
        served, provider) -> None:
    first, second = app_over(served, provider), app_over(served, provider)
    cookie, csrf = refreshable(first.app.state.access.oidc)
    other, _ = refreshable(first.app.state.access.oidc)  # the person's session elsewhere
    assert signed_in(first, cookie) and signed_in(second, cookie)
    provider.refusal = "invalid_grant"  # disabled, deleted, or the session ended there
    later([first, second], provider, 301)
    # the write that comes first is 401 as for a signed-out session; the cookie is cleared
    r = write_first(first, cookie, csrf)
    assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"]
    assert new_cookie(r) == "" and provider.refreshes() == 1
    # the other worker agrees without asking: reads as the public, pages offer "Sign in"
    assert as_cookie(second, cookie).json() == {"signed_in": False, "audience": "public"}
    page = as_cookie(second, cookie, "/graphs/mini?lang=en").text
    assert "/auth/login?next=" in page and "Kaisa Keusote" not in page
    assert write_with(second, cookie, csrf).status_code == 401
    assert provider.refreshes() == 1
    # ended as a sign-out ends it (its own id only), kept beside the change logs
    kept = json.loads((served / ".polku" / "sessions.ended.json").read_text())["ended"]
    assert len(kept) == 1
    # the provider refuses the other session too when it comes to be checked
    assert not signed_in(second, other) and provider.refreshes() == 2


def test_tokens_that_do_not_hold_end_the_session(served, provider) -> None:
    client = app_over(served, provider)
    cookie, _ = refreshable(client.app.state.access.oidc, sub="sub-aino")
    later([client], provider, 301)
    # the provider's refreshed tokens name kaisa, not the session's person
    r = as_cookie(client, cookie)
    assert r.json()["signed_in"] is False and new_cookie(r) == ""


def test_refreshed_tokens_that_cannot_be_checked_yet_keep_the_session_within_its_grace(
        served, provider) -> None:
    """The provider signs with a key polku cannot find yet (a rotation it has not seen
    published): the provider's trouble, not the person's; the session is kept as when the
    provider cannot be reached, and goes on once the key is published."""
    client = app_over(served, provider)
    cookie, _ = refreshable(client.app.state.access.oidc)
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "rotated"})
    later([client], provider, 301)
    r = as_cookie(client, cookie)
    assert r.json()["role"] == "editor" and new_cookie(r) is None
    assert not (served / ".polku" / "sessions.ended.json").exists()
    provider.published.append(provider.key)
    later([client], provider, 340)
    r = as_cookie(client, cookie)
    assert r.json()["signed_in"] and new_cookie(r)


def test_an_unreachable_provider_keeps_the_session_until_the_grace_ends(
        served, provider, caplog) -> None:
    import logging

    client = app_over(served, provider)
    rechecks = client.app.state.rechecks
    cookie, csrf = refreshable(client.app.state.access.oidc)
    provider.down = True
    caplog.set_level(logging.WARNING, logger="polku.server.recheck")
    # kept as it is while its last check is less than 300 + 900 s old
    for seconds, asked in ((301, 1), (320, 1), (1100, 2), (1190, 3)):
        later([client], provider, seconds)
        r = as_cookie(client, cookie)
        assert r.json()["role"] == "editor" and new_cookie(r) is None, seconds
        assert rechecks.refreshes == asked, seconds  # asked again at most every 30 s
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "cannot be reached" in said[0] and "900 s" in said[0], said
    # past the grace: answered as signed out, but not ended
    later([client], provider, 1250)
    assert as_cookie(client, cookie).json()["signed_in"] is False
    r = write_with(client, cookie, csrf)
    assert r.status_code == 401 and new_cookie(r) is None
    assert not (served / ".polku" / "sessions.ended.json").exists()
    # the provider answers again: the session goes on, checked anew
    provider.down = False
    later([client], provider, 1290)
    r = as_cookie(client, cookie)
    assert r.json()["signed_in"] and new_cookie(r)
    assert "answers again" in caplog.records[-1].getMessage()


def test_requests_of_one_session_together_make_one_refresh(served, provider) -> None:
    import threading

    client = app_over(served, provider)
    rechecks = client.app.state.rechecks
    cookie, _ = refreshable(client.app.state.access.oidc)
    later([client], provider, 301)
    provider.gate = threading.Event()
    outcomes: list[Any] = []
    threads = [threading.Thread(target=lambda: outcomes.append(rechecks.check(cookie)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # every request is waiting for the one refresh
    provider.gate.set()
    for thread in threads:
        thread.join(30)
    assert provider.refreshes() == 1
    assert len(outcomes) == 6 and {o.kind for o in outcomes} == {"fresh"}
    assert len({o.value for o in outcomes}) == 1


# -- an ended session's refresh token revoked at the provider (RFC 7009) -----------------------

def test_signing_out_revokes_the_refresh_token_and_an_unreachable_provider_keeps_no_one_in(
        served, provider, caplog) -> None:
    import logging

    browser, copy = app_over(served, provider), app_over(served, provider)
    oidc = browser.app.state.access.oidc
    cookie, csrf = refreshable(oidc)
    browser.cookies.set("polku_session", cookie)
    r = browser.post("/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and provider.revoked == ["refresh-token-0"]
    # the revocation cannot reach the provider: signed out all the same, and the log says
    # that the token stays valid there (naming no token)
    provider.revocation_down = True
    caplog.set_level(logging.WARNING, logger="polku.server.oidc")
    cookie, csrf = sealed(oidc, rt="refresh-token-9", chk=int(time.time()))
    browser.cookies.clear()
    browser.cookies.set("polku_session", cookie)
    r = browser.post("/auth/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(ISSUER + "/logout?")
    assert new_cookie(r) == "" and not signed_in(copy, cookie)
    assert provider.revoked == ["refresh-token-0"]
    said = " ".join(rec.getMessage() for rec in caplog.records)
    assert "could not be revoked" in said and "stays valid there" in said, said
    assert "refresh-token-9" not in said


@pytest.mark.parametrize("how, revoked", [
    ("refused", ["refresh-token-0"]),
    ("too large", ["refresh-token-0", "refresh-token-1"]),
    ("another person", ["refresh-token-0", "refresh-token-1"])])
def test_a_session_ended_at_its_check_has_its_refresh_tokens_revoked(
        served, provider, how, revoked) -> None:
    """Refused, too large for a cookie, or refreshed as another person: the session ends,
    and what polku held (and what the provider gave with the refresh) is revoked."""
    client = app_over(served, provider)
    cookie, _ = refreshable(client.app.state.access.oidc,
                            **({"sub": "sub-aino"} if how == "another person" else {}))
    provider.refusal = "invalid_grant" if how == "refused" else None
    provider.roles = MANY_ROLES if how == "too large" else ["editor"]
    later([client], provider, 301)
    r = as_cookie(client, cookie)
    assert new_cookie(r) == "" and provider.refreshes() == 1
    assert provider.revoked == revoked


def test_a_session_that_comes_after_it_expired_is_revoked_once_and_cleared(
        served, provider) -> None:
    client = app_over(served, provider)
    cookie, _ = refreshable(client.app.state.access.oidc)  # an hour's session
    later([client], provider, 3601)
    for _ in range(2):
        r = as_cookie(client, cookie)
        assert r.json() == {"signed_in": False, "audience": "public"} and new_cookie(r) == ""
    assert provider.revoked == ["refresh-token-0"] and provider.refreshes() == 0


def test_a_session_without_a_refresh_token_or_with_rechecks_off_is_not_checked(
        served, provider) -> None:
    client = app_over(served, provider)
    without, _ = sealed(client.app.state.access.oidc)  # the provider gave no refresh token
    app = create_app([served], oidc=OidcSettings(ISSUER, "polku", session_secret=SECRET,
                                                 recheck_seconds=0))
    app.state.access.oidc.fetch = provider.fetch
    off = TestClient(app)
    cookie, _ = refreshable(off.app.state.access.oidc)
    later([client, off], provider, 3000)
    assert signed_in(client, without) and signed_in(off, cookie)
    assert provider.refreshes() == 0


def test_the_session_settings_come_from_options_and_the_environment() -> None:
    from helpers import run
    from polku.server.oidc import settings_from_env

    env = {"POLKU_OIDC_ISSUER": ISSUER, "POLKU_OIDC_CLIENT_ID": "polku",
           "POLKU_OIDC_CLIENT_SECRET": "client-secret", "POLKU_SESSION_HOURS": "0.5", "POLKU_SESSION_RECHECK_SECONDS": "60",
           "POLKU_SESSION_GRACE_SECONDS": "120"}
    s = settings_from_env(env)
    assert (s.session_seconds, s.recheck_seconds, s.grace_seconds) == (1800, 60, 120)
    s = settings_from_env(env, recheck_seconds=5, session_hours=2)
    assert (s.session_seconds, s.recheck_seconds) == (7200, 5)
    defaults = settings_from_env({"POLKU_OIDC_ISSUER": ISSUER, "POLKU_OIDC_CLIENT_ID": "polku",
                                  "POLKU_OIDC_CLIENT_SECRET": "client-secret"})
    assert (defaults.session_seconds, defaults.recheck_seconds, defaults.grace_seconds) == \
        (8 * 3600, 300, 900)
    r = run("serve", "--oidc-issuer", ISSUER, "--oidc-client-id", "polku",
            env={"POLKU_LANG": "en", "POLKU_SESSION_RECHECK_SECONDS": "5 min"})
    assert r.exit_code == 1
    assert "--session-recheck-seconds: POLKU_SESSION_RECHECK_SECONDS is '5 min', not a number" \
        in r.output, r.output
    r = run("serve", "--oidc-issuer", ISSUER, "--oidc-client-id", "polku",
            env={"POLKU_LANG": "fi", "POLKU_SESSION_GRACE_SECONDS": "-1"})
    assert r.exit_code == 1 and "--session-grace-seconds" in r.output, r.output
