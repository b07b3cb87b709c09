"""Sign-in with the organisations' own accounts: OpenID Connect.

The organisations that share a region's model sign in with their own identity provider
(Keycloak, Entra ID, any OpenID Connect issuer). :class:`OidcSettings` names the issuer,
polku's client and which claims carry the roles and the organisation; :class:`Oidc` does
the rest:

- **bearer JWTs for the API**: :meth:`Oidc.bearer` checks a token's signature with the
  issuer's keys (the JWKS its discovery document names, fetched once and cached, fetched
  again when a token names a key not yet seen), its ``iss``, that it is meant for polku
  (``aud`` names the audience, default the client id; or, where the provider leaves polku
  out of ``aud``, ``azp`` is polku's client id), ``exp`` (and ``nbf``, ``iat``) with a
  small leeway. Only asymmetric algorithms are taken (never ``none`` or HMAC);
- **sign-in for the web UI** (:func:`oidc_router`): the authorization code flow with PKCE
  (S256), ``state`` and ``nonce`` kept in a short-lived encrypted cookie; the ID token is
  checked as above (``aud`` is the client id, ``nonce`` the one sent) and the person is
  kept in an encrypted session cookie (HttpOnly, SameSite=Lax, Secure when served over
  https, eight hours by default) with a CSRF token that every write from the pages sends
  back in ``X-Polku-CSRF``, and the provider's refresh token, with which
  :mod:`polku.server.recheck` checks the session again every few minutes; signing out
  clears it, ends the session here (:mod:`polku.server.sessions`: a copy of the cookie is
  signed out too) and at the provider, and revokes its refresh token there
  (:meth:`Oidc.revoke`, RFC 7009, as every ending of a session does);
- **back-channel logout** (OpenID Connect Back-Channel Logout 1.0): the provider posts a
  logout token to ``/auth/backchannel-logout`` when a person's session ends there (they
  sign out elsewhere, or an administrator ends it); the token is checked as an ID token is
  (signature, ``iss``, ``aud``, ``iat``, ``exp`` when it has one) and must carry the
  back-channel logout event, ``sid`` or ``sub``, and no ``nonce``; the sessions it names
  end in every server process over the folder;
- **who**: the roles ``viewer``, ``editor``, ``admin`` from the roles claim (a dotted path
  such as ``realm_access.roles``; a list, or a string of names), the organisations (actor
  ids of the graph) from the organisation claim (a string or a list), the name from
  ``name``, else ``preferred_username``, else ``sub``.

The session cookie is encrypted and authenticated with a key drawn from the session
secret (``POLKU_SESSION_SECRET``; without it a random one, so sessions end when the server
restarts; ``polku serve --workers N`` shares one between its processes). Roles are read
at sign-in and again at each check of the session at the provider
(:mod:`polku.server.recheck`: a role taken away there holds until the next check).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from polku.errors import Phrase, PolkuError
from polku.server.auth import (CSRF_HEADER, ROLES, SESSION_COOKIE, Opened, Principal,
                               unauthorized)
from polku.server.contract import ApiError
from polku.server.place import external, is_secure, root_of
from polku.server.serverlog import ServerLog
from polku.server.sessions import EndedSessions
from polku.words import N_


#: the signature algorithms a token may use: asymmetric only (a JWKS holds public keys,
#: so an HMAC "signed" with one of them, or ``none``, is never taken)
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
              "ES512", "EdDSA")
#: the sign-in's own cookie: state, nonce and PKCE verifier, for ten minutes
LOGIN_COOKIE = "polku_login"
LOGIN_SECONDS = 600
#: how long discovery documents and keys are kept before they are fetched again
CACHE_SECONDS = 3600.0
#: the least time between two fetches of the keys for a key id not yet seen
REFETCH_SECONDS = 30.0
#: Keycloak's ``typ`` of tokens that are not access tokens
NOT_ACCESS = ("ID", "Refresh", "Logout")
#: the event a logout token carries (Back-Channel Logout 1.0, section 2.4)
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
#: the most a browser keeps of one cookie's name and value (RFC 6265 section 6.1; Chrome and
#: Firefox drop a larger one without a word)
COOKIE_LIMIT = 4096
#: the oldest a logout token without ``exp`` may be (seconds since its ``iat``): a provider
#: posts it the moment the session ends, so an old one is a replay
LOGOUT_TOKEN_SECONDS = 300
#: the hosts an issuer may be on over plain ``http://``: this machine only (the tests' own
#: provider, a developer's Keycloak); anywhere else the tokens would cross a network in clear
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: the shortest session secret taken (README: 32+ random characters): the cookies' key
#: is drawn from it, and a short one can be guessed
SESSION_SECRET_LENGTH = 32


def is_local(url: str) -> bool:
    """Is ``url`` on this machine (:data:`LOCAL_HOSTS`)?

    >>> is_local("http://127.0.0.1:8080/realms/ku"), is_local("http://[::1]/realms/ku")
    (True, True)
    >>> is_local("http://id.example.fi/realms/ku")
    False
    """
    try:
        return urllib.parse.urlsplit(url).hostname in LOCAL_HOSTS
    except ValueError:  # a port that is not a number, a broken [::1
        return False


@dataclass(frozen=True)
class OidcSettings:
    """The identity provider and how its tokens name roles and organisations."""
    issuer: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    #: a dotted path into the token (``realm_access.roles``; a claim whose own name holds
    #: dots, such as a URL, is found whole first)
    roles_claim: str = "realm_access.roles"
    org_claim: str = "organisation"
    #: what ``aud`` must name (default: the client id)
    audience: str | None = None
    scope: str = "openid profile email"
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    #: how long a session lasts from sign-in (its cookie's lifetime)
    session_seconds: int = 8 * 3600
    #: a session is checked again at the provider (its refresh token) when its last check
    #: is this old (:mod:`polku.server.recheck`); 0: never
    recheck_seconds: int = 300
    #: how long past a due check a session is kept while the provider cannot be reached
    grace_seconds: int = 900
    #: seconds of clock difference allowed on ``exp``, ``nbf`` and ``iat``
    leeway: int = 30

    def __post_init__(self) -> None:
        if not self.issuer.startswith(("https://", "http://")):
            raise PolkuError(N_("the OpenID Connect issuer must be an https:// address, "
                                "not '{issuer}'"), params={"issuer": self.issuer},
                             field="oidc-issuer")
        if self.issuer.startswith("http://") and not is_local(self.issuer):
            raise PolkuError(N_("the OpenID Connect issuer must be an https:// address, not "
                                "'{issuer}' (plain http:// only on this machine: localhost, "
                                "127.0.0.1 or ::1)"), params={"issuer": self.issuer},
                             field="oidc-issuer")
        if not self.client_id:
            raise PolkuError(N_("the OpenID Connect client id is empty"), params={},
                             field="oidc-client-id")
        if len(self.session_secret) < SESSION_SECRET_LENGTH:
            raise PolkuError(N_("the session secret (POLKU_SESSION_SECRET) must be at least "
                                "{length} characters, not {given}"),
                             params={"length": SESSION_SECRET_LENGTH,
                                     "given": len(self.session_secret)}, field="session-secret")
        if self.session_seconds < 60:
            raise PolkuError(N_("a session must last at least a minute (0.02 hours)"),
                             params={}, field="session-hours")
        for name, value in (("session-recheck-seconds", self.recheck_seconds),
                            ("session-grace-seconds", self.grace_seconds)):
            if value < 0:
                raise PolkuError(N_("{value} is not a number of seconds (0 or more)"),
                                 params={"value": value}, field=name)

    @property
    def expected_audience(self) -> str:
        return self.audience or self.client_id


#: each setting :func:`settings_from_env` takes: its environment variable, and the option of
#: ``polku serve`` that gives it (None: the environment only, as a secret must be, since
#: options show in process lists), in the order a problem names them
SETTINGS: dict[str, tuple[str, str | None]] = {
    "issuer": ("POLKU_OIDC_ISSUER", "--oidc-issuer"),
    "client_id": ("POLKU_OIDC_CLIENT_ID", "--oidc-client-id"),
    "client_secret": ("POLKU_OIDC_CLIENT_SECRET", None),
    "roles_claim": ("POLKU_OIDC_ROLES_CLAIM", "--oidc-roles-claim"),
    "org_claim": ("POLKU_OIDC_ORG_CLAIM", "--oidc-org-claim"),
    "audience": ("POLKU_OIDC_AUDIENCE", "--oidc-audience"),
    "session_secret": ("POLKU_SESSION_SECRET", None),
    "session_hours": ("POLKU_SESSION_HOURS", "--session-hours"),
    "recheck_seconds": ("POLKU_SESSION_RECHECK_SECONDS", "--session-recheck-seconds"),
    "grace_seconds": ("POLKU_SESSION_GRACE_SECONDS", "--session-grace-seconds"),
}

#: a sign-in or session setting given without an issuer
WITHOUT_ISSUER = N_("{option} is about signing in through an identity provider: give "
                    "--oidc-issuer (or POLKU_OIDC_ISSUER) too")


def settings_from_env(env: Mapping[str, str] | None = None, **given: Any
                      ) -> OidcSettings | None:
    """The settings from ``given`` (the command's options; None ones left out) over the
    environment (:data:`SETTINGS`: ``POLKU_OIDC_ISSUER``, ``POLKU_OIDC_CLIENT_ID``,
    ``POLKU_OIDC_CLIENT_SECRET``, ``POLKU_OIDC_ROLES_CLAIM``, ``POLKU_OIDC_ORG_CLAIM``,
    ``POLKU_OIDC_AUDIENCE``, ``POLKU_SESSION_SECRET``, ``POLKU_SESSION_HOURS`` (given as
    ``session_hours``), ``POLKU_SESSION_RECHECK_SECONDS``, ``POLKU_SESSION_GRACE_SECONDS``);
    None when none of them is given. A server's start-up reads them here (``polku serve``
    and :func:`polku.app.app_from_env` alike), so what one refuses the other does: a
    setting without an issuer (it would be ignored, and a forgotten issuer would serve
    with no sign-in at all), named as it was given (the option, or the variable), and an
    issuer without the client's secret (a library caller building :class:`OidcSettings`
    may leave it out).

    >>> s = settings_from_env({"POLKU_OIDC_ISSUER": "https://id.example.fi/realms/ku",
    ...                        "POLKU_OIDC_CLIENT_ID": "polku", "POLKU_SESSION_HOURS": "1.5",
    ...                        "POLKU_OIDC_CLIENT_SECRET": "s3cret"},
    ...                       org_claim="org", recheck_seconds=60)
    >>> s.client_id, s.roles_claim, s.org_claim, s.session_seconds, s.recheck_seconds
    ('polku', 'realm_access.roles', 'org', 5400, 60)
    >>> settings_from_env({}) is None
    True
    >>> settings_from_env({"POLKU_OIDC_AUDIENCE": "polku"})
    Traceback (most recent call last):
    polku.errors.PolkuError: POLKU_OIDC_AUDIENCE is about signing in through an identity provider: give --oidc-issuer (or POLKU_OIDC_ISSUER) too
    """
    env = os.environ if env is None else env
    from_env: dict[str, Any] = {k: env[v] for k, (v, _) in SETTINGS.items() if env.get(v)}
    options = {k: v for k, v in given.items() if v is not None}
    values = {**from_env, **options}
    if not values.get("issuer"):
        # an option as typed first, then a variable, each in the order of SETTINGS
        named = [option for k, (_, option) in SETTINGS.items() if k in options] + \
            [variable for k, (variable, _) in SETTINGS.items() if k in from_env]
        if named:
            # the field is the setting as given: the message names it already
            raise PolkuError(WITHOUT_ISSUER, params={"option": named[0]},
                             field=named[0].lstrip("-"))
        return None
    for key in ("recheck_seconds", "grace_seconds"):
        if key in values:
            values[key] = number(values[key], SETTINGS[key][0], int)
    if "session_hours" in values:
        values["session_seconds"] = round(
            number(values.pop("session_hours"), SETTINGS["session_hours"][0], float) * 3600)
    if not values.get("client_id"):
        raise PolkuError(N_("the OpenID Connect issuer needs polku's client id "
                            "(--oidc-client-id)"), params={}, field="oidc-client-id")
    if isinstance(values.get("session_secret"), str):
        values["session_secret"] = values["session_secret"].encode()
    settings = OidcSettings(**values)
    if not settings.client_secret:
        # polku is a confidential client (README): without its secret the provider refuses
        # every sign-in at the token endpoint, long after the server seemed to start well
        raise PolkuError(N_("the OpenID Connect client needs its secret: set "
                            "POLKU_OIDC_CLIENT_SECRET (the client's secret at the identity "
                            "provider)"), params={}, field="oidc-client-secret")
    return settings


def number(value: Any, variable: str, kind: type[int] | type[float]) -> Any:
    """A setting's number from its environment variable's text (an option's is one
    already); a PolkuError naming the option when it is not one.

    >>> number("300", "POLKU_SESSION_RECHECK_SECONDS", int), number("0.5", "X", float)
    (300, 0.5)
    >>> number("5 min", "POLKU_SESSION_RECHECK_SECONDS", int)
    Traceback (most recent call last):
    polku.errors.PolkuError: POLKU_SESSION_RECHECK_SECONDS is '5 min', not a number
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return kind(value)
    try:
        parsed = kind(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed != parsed or parsed in (float("inf"), float("-inf")):
        raise PolkuError(N_("{variable} is '{value}', not a number"),
                         params={"variable": variable, "value": value},
                         field=variable.removeprefix("POLKU_").lower().replace("_", "-"))
    return parsed


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The claim at a dotted ``path`` (a claim named with the dots, whole, wins).

    >>> claim({"realm_access": {"roles": ["editor"]}}, "realm_access.roles")
    ['editor']
    >>> claim({"https://x.fi/org": "keusote"}, "https://x.fi/org")
    'keusote'
    >>> claim({}, "a.b") is None
    True
    """
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def names(value: Any) -> list[str]:
    """A claim as a list of names: a list of strings, or one string (space- or comma-
    separated names).

    >>> names(["editor", 3]), names("viewer editor"), names(None)
    (['editor'], ['viewer', 'editor'], [])
    """
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, (list, tuple)):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def principal_of(claims: Mapping[str, Any], settings: OidcSettings, via: str,
                 csrf: str | None = None) -> Principal:
    """The person a token's claims name, with their roles and organisations.

    >>> s = OidcSettings("https://id.example.fi/realms/ku", "polku")
    >>> p = principal_of({"sub": "ab12", "name": "Kaisa K", "organisation": "keusote",
    ...                   "realm_access": {"roles": ["editor", "offline_access"]}}, s, "bearer")
    >>> p.name, p.role, p.organisations
    ('Kaisa K', 'editor', ('keusote',))
    """
    roles = frozenset(r for r in names(claim(claims, settings.roles_claim)) if r in ROLES)
    organisations = tuple(dict.fromkeys(names(claim(claims, settings.org_claim))))
    sub = str(claims.get("sub") or "")
    name = str(claims.get("name") or claims.get("preferred_username") or sub)
    return Principal(name, roles, organisations, sub=sub, via=via, csrf=csrf)


class InvalidToken(Exception):
    """A token that is not valid; its message (a catalogued template of ``params``) says
    why, for the 401's message and description."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message.format(**params) if params else message)
        self.msgid = message
        self.params = params


class OtherPerson(InvalidToken):
    """A session's refreshed tokens are valid but name another person than it did;
    ``refresh_token``: the one the provider gave with them (revoked as the session ends)."""

    def __init__(self, message: str, refresh_token: object = None) -> None:
        super().__init__(message)
        self.refresh_token = refresh_token


class SessionTooLarge(Exception):
    """A session whose cookie would be larger than a browser keeps (:data:`COOKIE_LIMIT`):
    a browser drops such a cookie without a word, so the person would come back signed
    out, or (a session checked again) keep sending the old cookie. ``size`` is what the
    cookie would be; :attr:`problem` says so to the person, in their language."""

    def __init__(self, size: int) -> None:
        #: what the administrator reads in the log (catalogued: in the server's language)
        self.msgid = N_("the session cookie would be {size} bytes (browsers keep {limit}); "
                        "the identity provider's tokens are too large")
        self.params = {"size": size, "limit": COOKIE_LIMIT}
        super().__init__(self.msgid.format(**self.params))
        self.size = size

    @property
    def problem(self) -> Phrase:
        """What the person is told, the same at sign-in and at a check of the session."""
        return Phrase(N_("its tokens make a session too large for a browser cookie: "
                         "{size} bytes, at most {limit}; the administrator can give "
                         "polku's client fewer claims (in Keycloak: the client's "
                         "dedicated scope, 'Full scope allowed' off)"),
                      size=self.size, limit=COOKIE_LIMIT)


def kept_by_browsers(value: str) -> str:
    """A session cookie's ``value`` when a browser keeps a cookie that large (its name,
    ``=`` and value at most :data:`COOKIE_LIMIT` bytes), else SessionTooLarge. The one
    check of the sign-in and of each check of the session at the provider.

    >>> kept_by_browsers("x" * 4000) == "x" * 4000
    True
    >>> kept_by_browsers("x" * 4090)
    Traceback (most recent call last):
    polku.server.oidc.SessionTooLarge: the session cookie would be 4104 bytes (browsers keep 4096); the identity provider's tokens are too large
    """
    size = len(SESSION_COOKIE) + 1 + len(value)  # base64url: a byte a character
    if size > COOKIE_LIMIT:
        raise SessionTooLarge(size)
    return value


class ProviderUnavailable(Exception):
    """The identity provider's discovery document or keys could not be fetched; its
    message (a catalogued template of ``params``) says why, for the server's log."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message.format(**params) if params else message)
        self.msgid = message
        self.params = params


class ProviderRefused(ProviderUnavailable):
    """The identity provider answered a request with an OAuth error (RFC 6749, section
    5.2): ``error`` is its code, such as ``invalid_grant`` for a refresh token it no longer
    takes (the person disabled or deleted, their session ended or expired)."""

    def __init__(self, message: str, error: str, params: dict[str, Any] | None = None
                 ) -> None:
        super().__init__(message, params)
        self.error = error


def fetch_json(url: str, form: Mapping[str, str] | None = None, timeout: float = 10.0
               ) -> dict[str, Any]:
    """GET ``url`` (POST ``form``, URL-encoded) and read its JSON object; a POST answered
    with nothing is ``{}`` (RFC 7009's revocation endpoint answers 200 and an empty body)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read(1 << 20)
        doc = json.loads(body) if body.strip() or data is None else {}
    except urllib.error.HTTPError as e:
        try:
            detail = json.loads(e.read(1 << 16))
        except (ValueError, OSError):
            detail = {}
        error = detail.get("error") if isinstance(detail, dict) else None
        if isinstance(error, str) and error and 400 <= e.code < 500:
            # the provider's own answer (an OAuth error), not a failure to reach it
            said = error + (f" ({detail['error_description']})" if isinstance(
                detail.get("error_description"), str) else "")
            raise ProviderRefused(N_("{status} from the identity provider: {error}"), error,
                                  {"status": e.code, "error": said}) from None
        if error:
            raise ProviderUnavailable(N_("{status} from the identity provider: {error}"),
                                      {"status": e.code, "error": error}) from None
        raise ProviderUnavailable(N_("{status} from the identity provider"),
                                  {"status": e.code}) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise ProviderUnavailable(N_("the identity provider cannot be reached ({reason})"),
                                  {"reason": str(getattr(e, "reason", e))}) from None
    if not isinstance(doc, dict):
        raise ProviderUnavailable(N_("the identity provider answered something else than a "
                                     "JSON object"))
    return doc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Oidc:
    """One identity provider: its discovery document and keys (cached), tokens checked,
    and the session cookies signed. Thread-safe."""

    def __init__(self, settings: OidcSettings,
                 fetch: Callable[..., dict[str, Any]] = fetch_json,
                 clock: Callable[[], float] = time.time,
                 ended: EndedSessions | None = None, said: ServerLog | None = None) -> None:
        from joserfc.jwk import OctKey

        self.settings = settings
        #: the server's log, in its language
        self.said = said or ServerLog(name="polku.server.oidc")
        self.fetch = fetch
        self.clock = clock
        #: the sessions ended before their cookies (without a file: this process's own)
        self.ended = ended if ended is not None else EndedSessions(
            None, settings.session_secret, clock)
        self._lock = threading.Lock()
        #: whether the log has said that the provider gives no refresh token
        self.said_no_refresh = False
        #: whether the log has said that the provider names no revocation endpoint
        self.said_no_revocation = False
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, Any, set[str]] | None = None
        # a key of 256 bits whatever the secret's length, of the cookies' own (the ended
        # sessions' hashes are keyed by another one drawn from the same secret)
        self._session_key = OctKey.import_key(hashlib.sha256(
            b"polku session cookie\0" + settings.session_secret).digest())

    # -- the provider ---------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        """The issuer's discovery document (cached); its ``issuer`` must be the one
        configured, exactly."""
        with self._lock:
            if self._metadata and self.clock() - self._metadata[0] < CACHE_SECONDS:
                return self._metadata[1]
        url = self.settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
        doc = self.fetch(url)
        if doc.get("issuer") != self.settings.issuer:
            raise ProviderUnavailable(N_("the discovery document names the issuer {named}, "
                                         "not {issuer}"),
                                      {"named": repr(doc.get("issuer")),
                                       "issuer": repr(self.settings.issuer)})
        for needed in ("jwks_uri", "authorization_endpoint", "token_endpoint"):
            if not isinstance(doc.get(needed), str):
                raise ProviderUnavailable(N_("the discovery document has no {needed}"),
                                          {"needed": needed})
        with self._lock:
            self._metadata = (self.clock(), doc)
        return doc

    def key_set(self, kid: str | None = None) -> Any:
        """The issuer's public keys (cached; fetched again when stale, or when a token
        names a key id not among them, at most every few seconds)."""
        from joserfc.jwk import KeySet

        with self._lock:
            cached = self._keys
        now = self.clock()
        if cached is not None:
            fresh = now - cached[0] < CACHE_SECONDS
            known = kid is None or kid in cached[2]
            if fresh and (known or now - cached[0] < REFETCH_SECONDS):
                return cached[1]
        doc = self.fetch(self.metadata()["jwks_uri"])
        keys = [k for k in doc.get("keys", []) if isinstance(k, dict)
                and k.get("use", "sig") == "sig" and k.get("kty") in ("RSA", "EC", "OKP")]
        try:
            key_set = KeySet.import_key_set({"keys": keys})
        except Exception as e:  # joserfc says what is wrong with a key in many ways
            raise ProviderUnavailable(N_("the identity provider's keys cannot be read "
                                         "({reason})"), {"reason": str(e)}) from None
        with self._lock:
            self._keys = (now, key_set, {str(k.get("kid")) for k in keys})
        return key_set

    def verify(self, token: str, kind: str = "access", nonce: str | None = None,
               refreshed: bool = False) -> dict[str, Any]:
        """The claims of a valid token (``kind`` ``access``, ``id`` or ``logout``);
        InvalidToken saying why not, ProviderUnavailable when the keys cannot be had. An ID
        token must carry the ``nonce`` sent, unless it is ``refreshed`` (from the token
        endpoint by a refresh token: it holds the sign-in's nonce or none, OpenID Connect
        Core 12.2, and cannot have been slipped in by another site)."""
        from joserfc import jwt
        from joserfc.errors import (BadSignatureError, ExpiredTokenError, InvalidClaimError,
                                    JoseError, MissingClaimError)
        from joserfc.jws import extract_compact

        try:
            header = extract_compact(token.encode()).headers()
        except (JoseError, ValueError, TypeError):
            raise InvalidToken(N_("the token is not a signed JWT")) from None
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken(N_("the token's signature algorithm is not accepted"))
        kid = header.get("kid")
        key_set = self.key_set(str(kid) if kid is not None else None)
        try:
            decoded = jwt.decode(token, key_set, algorithms=list(ALGORITHMS))
        except BadSignatureError:
            raise InvalidToken(N_("the token's signature is not valid")) from None
        except (JoseError, ValueError, TypeError):
            raise InvalidToken(N_("the token cannot be verified with the issuer's keys")) from None
        claims = decoded.claims
        # a logout token need not expire nor name the person (its sid may say it all), but
        # says when it was made; exp, nbf and iat are checked whenever they are there
        essential: dict[str, Any] = {"iat": {"essential": True}} if kind == "logout" else \
            {"exp": {"essential": True}, "sub": {"essential": True}}
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self.clock()), leeway=self.settings.leeway,
            iss={"essential": True, "value": self.settings.issuer}, **essential)
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise InvalidToken(N_("the token has expired")) from None
        except MissingClaimError as e:
            raise InvalidToken(N_("the token's claims are not valid (Missing claim: "
                                  "'{claim}')"), {"claim": e.claim}) from None
        except InvalidClaimError as e:
            raise InvalidToken(N_("the token's claims are not valid (Invalid claim: "
                                  "'{claim}')"), {"claim": e.claim}) from None
        except JoseError:
            raise InvalidToken(N_("the token's claims are not valid")) from None
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else list(audiences or [])
        if kind == "logout":
            logout_checks(claims, self.settings, audiences, self.clock())
        elif kind == "id":
            if self.settings.client_id not in audiences or (
                    len(audiences) > 1 and claims.get("azp") != self.settings.client_id):
                raise InvalidToken(N_("the ID token is not meant for this client"))
            if not refreshed and (nonce is None or not same(str(claims.get("nonce", "")),
                                                            nonce)):
                raise InvalidToken(N_("the ID token's nonce is not the one sent"))
        else:
            if claims.get("typ") in NOT_ACCESS:
                raise InvalidToken(N_("the token is not an access token"))
            if self.settings.expected_audience not in audiences and \
                    claims.get("azp") != self.settings.client_id:
                raise InvalidToken(N_("the token is not meant for this server (aud, azp)"))
        return claims

    def person(self, tokens: Mapping[str, Any], id_claims: Mapping[str, Any]) -> Principal:
        """The person of a token endpoint's answer: the verified ID token's claims with,
        when the access token is a JWT that verifies, its claims over them (the roles and
        the organisation as the API will see them)."""
        claims = dict(id_claims)
        access_token = str(tokens.get("access_token", ""))
        if access_token.count(".") == 2:
            try:
                access = self.verify(access_token)
            except (InvalidToken, ProviderUnavailable) as e:
                self.said.info(N_("the access token is not used for roles: {problem}"),
                               problem=e)
            else:
                if access.get("sub") == id_claims.get("sub"):
                    claims.update(access)
                else:
                    self.said.warning(N_("the access token names another person than the "
                                         "ID token: not used for roles"))
        return principal_of(claims, self.settings, "session")

    def refresh(self, session: Mapping[str, Any]) -> dict[str, Any]:
        """A session's claims checked again at the provider: its refresh token exchanged at
        the token endpoint (with the client secret, as the sign-in's code is), the new ID
        token (and access token) verified as the sign-in's are and of the same person, and
        the session's name, roles and organisations taken from them afresh, with the new
        refresh token and ID token and the time of this check (``chk``). ProviderRefused
        when the provider will not (``invalid_grant``: the person disabled or deleted, the
        session ended or expired there), ProviderUnavailable when it cannot be reached,
        OtherPerson when its tokens name another person, InvalidToken when what it
        answered does not hold."""
        form = {"grant_type": "refresh_token", "refresh_token": str(session.get("rt", "")),
                "client_id": self.settings.client_id}
        if self.settings.client_secret:
            form["client_secret"] = self.settings.client_secret
        tokens = self.fetch(self.metadata()["token_endpoint"], form)
        id_token = tokens.get("id_token")
        if isinstance(id_token, str) and id_token:
            id_claims = self.verify(id_token, "id", refreshed=True)
        elif str(tokens.get("access_token", "")).count(".") == 2:
            # an ID token is optional in a refresh's answer (OpenID Connect Core 12.2)
            id_claims = self.verify(str(tokens["access_token"]))
        else:
            raise InvalidToken(N_("the token endpoint answered no token that can be checked"))
        if id_claims.get("sub") != session.get("sub"):
            raise OtherPerson(N_("the refreshed tokens name another person"),
                              tokens.get("refresh_token"))
        who = self.person(tokens, id_claims)
        fresh = {**session, "name": who.name, "roles": sorted(who.roles),
                 "orgs": list(who.organisations), "chk": int(self.clock())}
        if isinstance(tokens.get("refresh_token"), str) and tokens["refresh_token"]:
            fresh["rt"] = tokens["refresh_token"]
        if isinstance(id_token, str) and id_token:
            fresh["idt"] = id_token
        return fresh

    # -- the two credentials --------------------------------------------------------------
    def bearer(self, token: str) -> Principal:
        """The person a bearer JWT names; a 401 (invalid_token) when it is not valid, a 503
        when the provider cannot be reached to check it."""
        try:
            claims = self.verify(token)
        except InvalidToken as e:
            raise unauthorized(e.msgid, params=e.params) from None
        except ProviderUnavailable as e:
            self.said.warning(N_("cannot check a bearer token: {problem}"), problem=e)
            raise ApiError(503, N_("the identity provider cannot be reached to check the "
                                   "token: try again later"), code="unavailable") from None
        return principal_of(claims, self.settings, "bearer")

    def seal(self, payload: dict[str, Any], use: str, seconds: int) -> str:
        """A cookie value: ``payload`` with its use, when it was made (``iat``) and its
        expiry, encrypted (:meth:`reseal`)."""
        now = int(self.clock())
        return self.reseal({**payload, "use": use, "iat": now, "exp": now + seconds})

    def reseal(self, claims: Mapping[str, Any]) -> str:
        """A cookie value holding ``claims`` as they are (a session checked again keeps
        when it began and when it expires): a JWE encrypted and authenticated with a key
        drawn from the session secret (``dir``, AES-256-GCM), so that what it holds — the
        provider's refresh token among it — cannot be read from the cookie, nor changed."""
        from joserfc import jwt

        return jwt.encode({"alg": "dir", "enc": "A256GCM"}, dict(claims), self._session_key,
                          registry=_cookie_registry())

    def unseal(self, value: str, use: str) -> dict[str, Any] | None:
        """A cookie's payload when it decrypts with this server's key and its use and
        expiry hold, else None."""
        return self.holds(self.decrypt(value), use)

    def decrypt(self, value: str) -> dict[str, Any] | None:
        """What a cookie value holds when it decrypts with this server's key (None when it
        does not), its use and expiry not yet looked at (:meth:`holds`). A session cookie
        is decrypted once a request (:meth:`open_session`)."""
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            return jwt.decode(value, self._session_key, registry=_cookie_registry()).claims
        except (JoseError, ValueError, TypeError):
            return None

    def holds(self, claims: Mapping[str, Any] | None, use: str) -> dict[str, Any] | None:
        """Decrypted ``claims`` when they are of ``use`` and have not expired, else None."""
        if claims is None or claims.get("use") != use or \
                not isinstance(claims.get("exp"), int) or claims["exp"] <= self.clock():
            return None
        return dict(claims)

    def open_session(self, value: str) -> Opened:
        """A session cookie decrypted, once for the request that carries it: what
        :class:`polku.server.recheck.SessionRecheck` hands on to the route, whose access
        check then decrypts nothing (:meth:`live_session` with ``opened``)."""
        return Opened(value, self.decrypt(value))

    def live_session(self, value: str, opened: Opened | None = None) -> dict[str, Any] | None:
        """A session cookie's payload while the session lasts: sealed by this server, not
        expired, with its own id (``jti``), and not ended by a sign-out or by the provider
        (:mod:`polku.server.sessions`); else None. ``opened``: the cookie as this request
        already decrypted it, taken only when it is of this very ``value``; whether the
        session has ended is looked up here all the same, as late as can be."""
        decrypted = opened.claims if opened is not None and opened.value == value \
            else self.decrypt(value)
        claims = self.holds(decrypted, "session")
        if claims is None or not isinstance(claims.get("jti"), str) or self.ended.ended(claims):
            return None
        return claims

    def end_session(self, claims: Mapping[str, Any], also: Iterable[object] = ()) -> bool:
        """End the session of a cookie's ``claims`` in every process (signing out, or a
        check at the provider that ends it): a copy of the cookie is signed out too. Then
        the refresh token it held (and ``also``: one the provider gave as the session
        ended) is revoked at the provider (:meth:`revoke`), which may fail: the session
        has ended here first, so an unreachable provider keeps no one signed in. Whether
        the provider took the revocation."""
        self.ended.end([("session", str(claims.get("jti") or ""))],
                       until=int(claims.get("exp") or 0))
        return self.revoke([claims.get("rt"), *also])

    def revoke(self, tokens: Iterable[object]) -> bool:
        """Revoke refresh ``tokens`` (None and empty ones left out) at the provider: OAuth
        2.0 Token Revocation (RFC 7009), its discovery document's ``revocation_endpoint``,
        with polku's client credentials as the token endpoint takes them. An ended
        session's refresh token would otherwise stay valid at the provider until it
        expires there (Keycloak: its SSO session's idle time, 30 minutes by default, or
        its offline session, for good). A token the provider no longer takes is no error
        (RFC 7009, section 2.2: answered 200). True when the provider took every one (or
        there was none); False, and the log says why, when it names no revocation endpoint,
        cannot be reached or refuses (``invalid_client``).

        >>> Oidc(OidcSettings("https://id.example.fi/realms/ku", "polku")).revoke([None, ""])
        True
        """
        wanted = list(dict.fromkeys(t for t in tokens if isinstance(t, str) and t))
        if not wanted:
            return True
        try:
            endpoint = self.metadata().get("revocation_endpoint")
        except ProviderUnavailable as e:
            self.said.warning(N_("an ended session's refresh token could not be revoked: "
                                 "{problem}; it stays valid at the identity provider until "
                                 "it expires there"), problem=e)
            return False
        if not isinstance(endpoint, str) or not endpoint:
            if not self.said_no_revocation:
                self.said_no_revocation = True  # once: so it is for every session
                self.said.warning(N_("the identity provider names no revocation endpoint "
                                     "(RFC 7009): an ended session's refresh token stays "
                                     "valid there until it expires"))
            return False
        for token in wanted:
            form = {"token": token, "token_type_hint": "refresh_token",
                    "client_id": self.settings.client_id}
            if self.settings.client_secret:
                form["client_secret"] = self.settings.client_secret
            try:
                self.fetch(endpoint, form)
            except ProviderUnavailable as e:  # ProviderRefused too
                self.said.warning(N_("an ended session's refresh token could not be "
                                     "revoked at the identity provider ({problem}): it stays "
                                     "valid there until it expires"), problem=e)
                return False
        return True

    def back_channel_logout(self, claims: Mapping[str, Any]) -> None:
        """End what a verified logout token names: the sessions signed in through the
        provider's session ``sid``, or, without one, every session of the person ``sub``
        begun so far (Back-Channel Logout 1.0, section 2.7). "So far" is when the token
        was issued (``iat``, give or take the leeway): the same token posted again ends no
        session begun after it."""
        # every cookie begun up to now has expired by then
        until = int(self.clock()) + self.settings.session_seconds + self.settings.leeway
        sid, sub = claims.get("sid"), claims.get("sub")
        issued = claims.get("iat")
        began_by = issued + self.settings.leeway if isinstance(issued, int) else None
        self.ended.end([("sid", sid)] if isinstance(sid, str) and sid else [("sub", str(sub))],
                       until=until, began_by=began_by)

    def session(self, value: str, opened: Opened | None = None) -> Principal | None:
        """The person a session cookie names, or None when it is not valid or has ended
        (``opened``: as :meth:`live_session`)."""
        claims = self.live_session(value, opened)
        if claims is None:
            return None
        return Principal(str(claims.get("name") or claims.get("sub")),
                         frozenset(r for r in claims.get("roles", []) if r in ROLES),
                         tuple(claims.get("orgs", [])), sub=str(claims.get("sub")),
                         via="session", csrf=str(claims.get("csrf") or "") or None)


@lru_cache(maxsize=1)
def _cookie_registry() -> Any:
    """The one way polku's cookies are sealed: ``dir`` with AES-256-GCM (anything else,
    a signed-only JWT among it, is not taken)."""
    from joserfc.jwe import JWERegistry

    return JWERegistry(algorithms=["dir", "A256GCM"])


def logout_checks(claims: Mapping[str, Any], settings: OidcSettings, audiences: list[str],
                  now: float) -> None:
    """The checks of a logout token beyond its signature, ``iss`` and times (Back-Channel
    Logout 1.0, section 2.6): meant for polku's client (``aud``), the back-channel logout
    event in ``events``, a ``sid`` or a ``sub``, no ``nonce`` (so that an ID token is never
    taken for one), and made lately when it does not say when it expires.

    >>> s = OidcSettings("https://id.example.fi/realms/ku", "polku")
    >>> ok = {"events": {BACKCHANNEL_EVENT: {}}, "sid": "a1", "iat": 1000}
    >>> logout_checks(ok, s, ["polku"], now=1010)
    >>> logout_checks({**ok, "nonce": "n"}, s, ["polku"], now=1010)
    Traceback (most recent call last):
    polku.server.oidc.InvalidToken: a logout token carries no nonce
    """
    if settings.client_id not in audiences:
        raise InvalidToken(N_("the logout token is not meant for this client (aud)"))
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_EVENT), dict):
        raise InvalidToken(N_("the logout token carries no back-channel logout event "
                              "(events)"))
    if not any(isinstance(claims.get(c), str) and claims.get(c) for c in ("sid", "sub")):
        raise InvalidToken(N_("the logout token names neither a session (sid) nor a "
                              "person (sub)"))
    if "nonce" in claims:
        raise InvalidToken(N_("a logout token carries no nonce"))
    if "exp" not in claims and claims["iat"] < now - LOGOUT_TOKEN_SECONDS - settings.leeway:
        raise InvalidToken(N_("the token has expired"))


def same(given: str, known: str) -> bool:
    """Whether a text a request sent (a state, a CSRF token) is the one kept, in constant
    time; compared as UTF-8, since ``secrets.compare_digest`` refuses a str with other
    than ASCII in it, and what a form or an address sends is anyone's text.

    >>> same("abc", "abc"), same("\u00e4", "abc")
    (True, False)
    """
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"),
                                  known.encode("utf-8", "surrogatepass"))


def local_path(target: str | None, home: str = "/") -> str:
    """Where to go after signing in or out: a path of this server, never another site
    (else ``home``, the app's first page under the prefix it is served at).

    >>> local_path("/graphs/ku?lang=sv"), local_path("//evil.example/x"), local_path("https://x")
    ('/graphs/ku?lang=sv', '/', '/')
    >>> local_path(None, "/polku/")
    '/polku/'
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(c) < 32 for c in target):
        return home
    return target


def set_cookie(response: Response, name: str, value: str | None, seconds: int, secure: bool,
               path: str = "/") -> None:
    """Set one of polku's cookies on ``response`` (None: clear it), the one way every
    route and :mod:`polku.server.recheck` do: HttpOnly, SameSite=Lax, Secure over https.

    >>> r = Response(); set_cookie(r, "polku_session", "v", 60, secure=True)
    >>> r.headers["set-cookie"]
    'polku_session=v; HttpOnly; Max-Age=60; Path=/; SameSite=lax; Secure'
    """
    if value is None:
        response.delete_cookie(name, path=path, httponly=True, samesite="lax", secure=secure)
    else:
        response.set_cookie(name, value, max_age=max(seconds, 0), path=path, httponly=True,
                            samesite="lax", secure=secure)


def cookie_path(scope: Any, path: str = "/") -> str:
    """A cookie's ``Path`` for the app's ``path``, under the prefix the app is served at
    (:func:`polku.server.place.root_of`): the cookies of a server at ``/polku`` are sent
    to it alone.

    >>> cookie_path({"root_path": "/polku"}), cookie_path({"root_path": "/polku"}, "/auth")
    ('/polku', '/polku/auth')
    >>> cookie_path({}), cookie_path({}, "/auth")
    ('/', '/auth')
    """
    root = root_of(scope)
    return (root + path if path != "/" else root) or "/"


def _cookie(response: Response, request: Request, name: str, value: str | None,
            seconds: int, path: str = "/") -> None:
    set_cookie(response, name, value, seconds, is_secure(request.scope),
               cookie_path(request.scope, path))


def oidc_router(oidc: Oidc) -> APIRouter:
    """``/auth/login``, ``/auth/callback``, ``/auth/logout`` and
    ``/auth/backchannel-logout`` (``/auth/me`` is every server's: :mod:`polku.server.me`)."""
    router = APIRouter(prefix="/auth")
    settings = oidc.settings

    def provider() -> dict[str, Any]:
        try:
            return oidc.metadata()
        except ProviderUnavailable as e:
            # e says what failed ("the identity provider cannot be reached (…)", "503 from
            # the identity provider"): said once, not after the same words again
            oidc.said.warning(N_("a sign-in cannot start: {problem}"), problem=e)
            raise ApiError(503, N_("the identity provider cannot be reached: try again later"),
                           code="unavailable") from None

    @router.get("/login", include_in_schema=False)
    def login(request: Request, next: str | None = Query(None)) -> Response:
        """Off to the identity provider's sign-in (authorization code flow with PKCE)."""
        doc = provider()
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        query = {"response_type": "code", "client_id": settings.client_id,
                 "redirect_uri": external(request, "/auth/callback"),
                 "scope": settings.scope, "state": state, "nonce": nonce,
                 "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
                 "code_challenge_method": "S256"}
        lang = request.query_params.get("lang")
        if lang in ("fi", "sv", "en"):
            query["ui_locales"] = lang
        response = RedirectResponse(doc["authorization_endpoint"] + "?" +
                                    urllib.parse.urlencode(query), status_code=302)
        _cookie(response, request, LOGIN_COOKIE, oidc.seal(
            {"state": state, "nonce": nonce, "verifier": verifier,
             "next": local_path(next, root_of(request.scope) + "/")},
            "login", LOGIN_SECONDS), LOGIN_SECONDS, path="/auth")
        return response

    @router.get("/callback", name="oidc_callback", include_in_schema=False)
    def callback(request: Request, code: str | None = None, state: str | None = None,
                 error: str | None = None) -> Response:
        """Back from the provider: the code exchanged for tokens, the ID token checked,
        the session cookie set."""
        started = oidc.unseal(request.cookies.get(LOGIN_COOKIE, ""), "login")
        if started is None or not state or not same(str(started.get("state")), state):
            raise ApiError(400, N_("this sign-in was not started here or took too long: "
                                   "sign in again"), field="state")
        if error or not code:
            raise ApiError(401, N_("the identity provider did not sign you in ({problem})"),
                           code="unauthorized",
                           params={"problem": error or Phrase(N_("no code"))})
        doc = provider()
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": external(request, "/auth/callback"),
                "code_verifier": str(started["verifier"]), "client_id": settings.client_id}
        if settings.client_secret:
            form["client_secret"] = settings.client_secret
        try:
            tokens = oidc.fetch(doc["token_endpoint"], form)
            id_claims = oidc.verify(str(tokens.get("id_token", "")), "id",
                                    nonce=str(started["nonce"]))
        except ProviderUnavailable as e:
            oidc.said.warning(N_("sign-in failed at the token endpoint: {problem}"),
                              problem=e)
            raise ApiError(401, N_("the identity provider did not sign you in ({problem})"),
                           code="unauthorized",
                           params={"problem": Phrase(N_("the code could not be exchanged"))}
                           ) from None
        except InvalidToken as e:
            raise ApiError(401, N_("the identity provider did not sign you in ({problem})"),
                           code="unauthorized",
                           params={"problem": Phrase(e.msgid, **(e.params or {}))}) from None
        who = oidc.person(tokens, id_claims)
        response = RedirectResponse(local_path(str(started.get("next")),
                                              root_of(request.scope) + "/"), status_code=303)
        # the session's own id (signing out ends it), and the provider's session id that
        # a back-channel logout names
        session = {"jti": secrets.token_urlsafe(16), "sub": who.sub, "name": who.name,
                   "roles": sorted(who.roles), "orgs": list(who.organisations),
                   "csrf": secrets.token_urlsafe(24), "idt": str(tokens.get("id_token")),
                   "chk": int(oidc.clock())}
        if isinstance(id_claims.get("sid"), str) and id_claims["sid"]:
            session["sid"] = id_claims["sid"]
        # the refresh token checks the session again at the provider every few minutes
        # (polku.server.recheck); the cookie is encrypted, so it cannot be read from it
        if isinstance(tokens.get("refresh_token"), str) and tokens["refresh_token"]:
            session["rt"] = tokens["refresh_token"]
        elif settings.recheck_seconds and not oidc.said_no_refresh:
            oidc.said_no_refresh = True  # once: the provider does so for every sign-in
            oidc.said.warning(N_("sign-in: the identity provider gave no refresh token, so "
                                 "sessions are not checked again there until they end (some "
                                 "providers give one only for the scope offline_access)"))
        try:
            sealed = kept_by_browsers(oidc.seal(session, "session", settings.session_seconds))
        except SessionTooLarge as e:
            # a browser drops it without a word: the person would come back signed out
            oidc.said.warning(N_("sign-in refused: {problem}"), problem=e)
            raise ApiError(401, N_("the identity provider did not sign you in ({problem})"),
                           code="unauthorized", params={"problem": e.problem}) from None
        _cookie(response, request, SESSION_COOKIE, sealed, settings.session_seconds)
        _cookie(response, request, LOGIN_COOKIE, None, 0, path="/auth")
        return response

    @router.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        """Sign out (a form post with the page's CSRF token): the session ended in every
        server process (a copy of the cookie is signed out too) and its cookie cleared,
        then the provider's own sign-out, which comes back to the index."""
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
        sent = (form.get("csrf") or [""])[0]
        value = request.cookies.get(SESSION_COOKIE, "")
        session = await run_in_threadpool(oidc.live_session, value) if value else None
        target = external(request, "/")
        if session is not None:
            if not sent or not same(sent, str(session.get("csrf", ""))):
                raise ApiError(403, N_("signing out takes the page's own form (its CSRF "
                                       "token did not match)"), field="csrf",
                               code="csrf-failed")
            await run_in_threadpool(oidc.end_session, session)
            end = None
            try:
                # the discovery document may be fetched (hourly): in a thread, not on the
                # event loop every other request of the process waits on
                end = (await run_in_threadpool(oidc.metadata)).get("end_session_endpoint")
            except ProviderUnavailable:
                pass
            if isinstance(end, str):
                target = end + "?" + urllib.parse.urlencode(
                    {"id_token_hint": session.get("idt", ""), "client_id": settings.client_id,
                     "post_logout_redirect_uri": target})
        response = RedirectResponse(target, status_code=303)
        _cookie(response, request, SESSION_COOKIE, None, 0)
        return response

    @router.post("/backchannel-logout", include_in_schema=False)
    async def backchannel_logout(request: Request) -> Response:
        """The provider ends sessions (OpenID Connect Back-Channel Logout 1.0): a form post
        of a ``logout_token``, checked with the provider's keys; the sessions it names end
        in every server process. 200 when they have ended; 400, as the specification says,
        for anything else (a token that is not valid, or keys that cannot be had)."""
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
        token = (form.get("logout_token") or [""])[0].strip()
        headers = {"Cache-Control": "no-store"}
        if not token:
            raise ApiError(400, N_("a back-channel logout posts a logout_token"),
                           field="logout_token", code="invalid-logout-token", headers=headers)
        try:
            claims = await run_in_threadpool(oidc.verify, token, "logout")
        except InvalidToken as e:
            oidc.said.warning(N_("a back-channel logout was refused: {problem}"), problem=e)
            raise ApiError(400, N_("the logout token is not valid: {problem}"),
                           field="logout_token", code="invalid-logout-token", headers=headers,
                           params={"problem": Phrase(e.msgid, **(e.params or {}))}) from None
        except ProviderUnavailable as e:
            oidc.said.warning(N_("cannot check a logout token: {problem}"), problem=e)
            raise ApiError(400, N_("the identity provider's keys cannot be fetched to check "
                                   "the logout token"), field="logout_token",
                           code="invalid-logout-token", headers=headers) from None
        await run_in_threadpool(oidc.back_channel_logout, claims)
        return Response(status_code=200, headers=headers)

    return router


__all__ = ["ALGORITHMS", "CSRF_HEADER", "Oidc", "OidcSettings", "InvalidToken", "SETTINGS",
           "ProviderUnavailable", "SessionTooLarge", "kept_by_browsers", "oidc_router",
           "principal_of", "settings_from_env"]
