"""Who reads and who may write: shared bearer tokens, and the people the organisations'
identity provider signs in (:mod:`polku.server.oidc`).

Shared tokens come from ``polku serve --tokens FILE`` or the ``POLKU_TOKENS`` environment
variable (the same lines, or, on one line, ``name:token`` pairs separated by commas): one
``name:token`` a line, for scripts and single-user use. A token is printable ASCII without
spaces (:func:`token_problem`). A token is compared in constant time and never
appears in a message or a log; the change log records the token's *name*. A shared token
may change anything (it acts as an admin).

With OpenID Connect on (``polku serve --oidc-issuer URL --oidc-client-id ID``), a request
may also carry a bearer JWT from the identity provider, or the session cookie the web UI's
sign-in sets; either names a :class:`Principal` with roles ``viewer``, ``editor`` or
``admin`` and organisations from the token's claims. :class:`Access` decides:

- reads: an editor or an admin (or a shared token) reads the true figures (audience
  ``editor``); everyone else, a signed-in viewer included, the published ones (``public``);
- writes, as RFC 6750 says: no credential, or one that is not valid (unknown, garbage,
  expired, another issuer's or another application's token) answers 401 with
  ``WWW-Authenticate: Bearer realm="polku"`` (and ``error="invalid_token"`` for a bad
  one); a valid credential without the right (a viewer, an editor without an organisation,
  an editor changing another organisation's row: :mod:`polku.ops.ownership`) answers 403
  with ``error="insufficient_scope"``; a server with neither tokens nor an identity
  provider is read-only (403);
- a write signed in by the session cookie must carry the page's CSRF token in the
  ``X-Polku-CSRF`` header (a form post from another site cannot set it; the cookie is
  also ``SameSite=Lax``), else 403.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from polku.errors import PolkuError, Said, os_reason
from polku.privacy import EDITOR, PUBLIC
from polku.server.contract import ApiError
from polku.words import N_

#: the marks a token's name may hold besides letters and spaces (``@`` for an e-mail-like name)
NAME_MARKS = "0123456789.-_@"
#: the longest name a token may have
MAX_NAME = 64
MIN_TOKEN = 16
#: the realm every ``WWW-Authenticate`` challenge names (RFC 6750, section 3)
REALM = "polku"
#: the roles a principal may hold, weakest first
ROLES = ("viewer", "editor", "admin")
#: the roles that write (and read the true figures)
WRITERS = ("editor", "admin")
#: the header a write signed in by the session cookie carries its CSRF token in
CSRF_HEADER = "X-Polku-CSRF"
#: the web UI's session cookie (set by :mod:`polku.server.oidc`)
SESSION_COOKIE = "polku_session"


def challenge(error: str | None = None, description: str | None = None) -> dict[str, str]:
    """The ``WWW-Authenticate`` header of a 401 or 403 (RFC 6750, section 3).

    >>> challenge()
    {'WWW-Authenticate': 'Bearer realm="polku"'}
    >>> challenge("invalid_token", "the token has expired")["WWW-Authenticate"]
    'Bearer realm="polku", error="invalid_token", error_description="the token has expired"'
    """
    value = f'Bearer realm="{REALM}"'
    if error:
        value += f', error="{error}"'
    if description:
        # a quoted-string of visible ASCII without quotes or backslashes (RFC 6750, 3)
        text = "".join(c for c in description if " " <= c <= "~" and c not in '"\\')
        value += f', error_description="{text}"'
    return {"WWW-Authenticate": value}


def unauthorized(message: str, error: str | None = "invalid_token",
                 params: dict[str, Any] | None = None) -> ApiError:
    """A 401 in the one error shape, with its RFC 6750 challenge (``message``: a
    catalogued template of ``params``, worded in the request's language)."""
    english = message.format(**params) if params else message
    return ApiError(401, message, field="Authorization", params=params,
                    headers=challenge(error, english if error else None))


def insufficient(message: str, field: str | None = "Authorization",
                 params: dict[str, Any] | None = None) -> ApiError:
    """A 403 for a valid credential that lacks the role or the organisation."""
    english = message.format(**params) if params else message
    return ApiError(403, message, field=field, params=params,
                    headers=challenge("insufficient_scope", english))


@dataclass(frozen=True)
class Principal:
    """Who a request speaks for: a shared token's name, or a signed-in person.

    >>> p = Principal("Kaisa", frozenset({"editor"}), ("keusote",), sub="ce74", via="bearer")
    >>> p.role, p.audience, p.writes
    ('editor', 'editor', True)
    >>> Principal("Ville", frozenset({"viewer"})).audience
    'public'
    """
    name: str
    roles: frozenset[str] = frozenset()
    organisations: tuple[str, ...] = ()
    sub: str | None = None
    #: ``token`` (a shared token), ``bearer`` (a JWT) or ``session`` (the UI's cookie)
    via: str = "token"
    #: the session's CSRF token (a session only)
    csrf: str | None = field(default=None, repr=False)

    @property
    def role(self) -> str | None:
        """The strongest role held."""
        held = [r for r in ROLES if r in self.roles]
        return held[-1] if held else None

    @property
    def writes(self) -> bool:
        return self.role in WRITERS

    @property
    def admin(self) -> bool:
        return self.role == "admin"

    @property
    def audience(self) -> str:
        """An editor or an admin reads the true figures; a viewer what the public reads."""
        return EDITOR if self.writes else PUBLIC

    def identity(self) -> dict[str, Any]:
        """What the change log records beside the name: the subject and organisations of a
        signed-in person (nothing for a shared token)."""
        if self.sub is None:
            return {}
        return {"sub": self.sub, "organisations": list(self.organisations)}

    def as_json(self) -> dict[str, Any]:
        return {"signed_in": True, "name": self.name, "sub": self.sub, "role": self.role,
                "roles": sorted(self.roles, key=ROLES.index), "organisations":
                list(self.organisations), "via": self.via, "audience": self.audience}


@dataclass(frozen=True)
class Opened:
    """A session cookie as one request decrypted it: its ``value`` and what it holds
    (``claims``; None when it does not decrypt with this server's key). Kept in the
    request's ASGI scope (its ``state``, under :data:`OPENED`) by
    :class:`polku.server.recheck.SessionRecheck`, so that the route's access check
    decrypts the cookie no second time; taken only for the very cookie value the route
    reads, and nothing else is decided by it (whether the session has ended is looked up
    when the route asks)."""
    value: str = field(repr=False)
    claims: Mapping[str, Any] | None = field(repr=False)


#: where a request's ASGI scope ``state`` keeps its session cookie as opened (:class:`Opened`)
OPENED = "polku.session"


@dataclass(frozen=True)
class Credentials:
    """What a request carries: its ``Authorization`` header, the session cookie and the
    CSRF header (the doors read them; :class:`Access` judges them), and the session
    cookie as this request has decrypted it already (``opened``)."""
    authorization: str | None = None
    session: str | None = field(default=None, repr=False)
    csrf: str | None = field(default=None, repr=False)
    opened: Opened | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, headers: Mapping[str, str], cookies: Mapping[str, str],
           authorization: str | None = None, opened: Opened | None = None) -> "Credentials":
        return cls(authorization if authorization is not None else headers.get("authorization"),
                   cookies.get(SESSION_COOKIE), headers.get(CSRF_HEADER.lower()), opened)

    @classmethod
    def of_request(cls, request: Any, authorization: str | None = None) -> "Credentials":
        """A Starlette request's credentials, with its session cookie as opened for it
        (:data:`OPENED` in its scope's ``state``), when it was."""
        opened = (request.scope.get("state") or {}).get(OPENED)
        return cls.of(request.headers, request.cookies, authorization,
                      opened if isinstance(opened, Opened) else None)


def token_hash(token: str) -> str:
    """What a token is known by: its SHA-256, hex. A token is at least :data:`MIN_TOKEN`
    random characters, so its hash gives it away to no one, and a request's token is
    compared by its hash.

    >>> token_hash("anna-token-0123456789")[:12]
    'e9f28c90499e'
    """
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Tokens:
    """Token name -> token (kept out of ``repr``), as read; ``hashes``: name -> the
    token's :func:`token_hash`, what requests are checked against. A server's workers are
    given the hashes (:meth:`to_text`, :meth:`of_hashes`), never the tokens nor the file
    they were read from: every worker of one ``polku serve``, a replaced one too, knows
    the tokens read at start.

    >>> known = Tokens({"anna": "anna-token-0123456789"})
    >>> again = Tokens.of_hashes(known.to_text())
    >>> again.find("anna-token-0123456789"), again.by_name, again.find("anna-token-x")
    ('anna', {}, None)
    """
    by_name: dict[str, str] = field(default_factory=dict, repr=False)
    hashes: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.by_name:
            object.__setattr__(self, "hashes", {
                **self.hashes, **{n: token_hash(t) for n, t in self.by_name.items()}})

    @property
    def enabled(self) -> bool:
        return bool(self.hashes)

    def find(self, token: str) -> str | None:
        """The name of ``token``, or None (every token's hash compared, in constant time
        each)."""
        found = None
        wanted = token_hash(token).encode()
        for name, known in self.hashes.items():
            # compare every token, so the time taken says nothing about which one is near
            if hmac.compare_digest(known.encode(), wanted):
                found = name
        return found

    def to_text(self) -> str:
        """The names and hashes as JSON (for :meth:`of_hashes`)."""
        return json.dumps(self.hashes, ensure_ascii=True, sort_keys=True)

    @classmethod
    def of_hashes(cls, text: str) -> "Tokens":
        """The tokens :meth:`to_text` wrote (``ValueError`` for anything else)."""
        hashes = json.loads(text)
        if not isinstance(hashes, dict) or not all(
                isinstance(n, str) and isinstance(h, str) and len(h) == 64
                for n, h in hashes.items()):
            raise ValueError("not the tokens' hashes")
        return cls(hashes=hashes)


def carries(creds: Credentials) -> bool:
    """Whether a request carries any credential to judge (without one it reads as the
    public, and nothing needs to be looked up).

    >>> carries(Credentials()), carries(Credentials(" ")), carries(Credentials(session="s"))
    (False, False, True)
    """
    return bool((creds.authorization or "").strip() or creds.session)


#: a check of one row a write changes: (sheet, row before, row after, the sheets before)
RowCheck = Callable[[str, Mapping[str, str] | None, Mapping[str, str] | None, Any], None]


class Access:
    """Shared tokens and the identity provider together: who a request speaks for, what
    they read, and whether they may write. ``oidc`` is a :class:`polku.server.oidc.Oidc`
    (or None): it turns a bearer JWT into a :class:`Principal` (a 401 when it is not
    valid) and a session cookie into one (None when it has ended)."""

    def __init__(self, tokens: Tokens | None = None, oidc: Any = None) -> None:
        self.tokens = tokens or Tokens()
        self.oidc = oidc

    @property
    def writable(self) -> bool:
        """Whether anyone can write: with shared tokens or an identity provider."""
        return self.tokens.enabled or self.oidc is not None

    def principal(self, creds: Credentials) -> Principal | None:
        """Who ``creds`` speak for; None without a credential (or with a session that has
        ended); a 401 for a bearer that is not valid. A bearer wins over the cookie."""
        if creds.authorization is not None and creds.authorization.strip():
            scheme, _, token = creds.authorization.strip().partition(" ")
            token = token.strip()
            if scheme.lower() != "bearer" or not token:
                raise unauthorized(N_("the Authorization header is not 'Bearer <token>'"))
            name = self.tokens.find(token) if self.tokens.enabled else None
            if name is not None:
                return Principal(name, frozenset({"admin"}), via="token")
            if self.oidc is not None and token.count(".") == 2:
                return self.oidc.bearer(token)
            raise unauthorized(N_("the edit key (token) is not valid"))
        if creds.session and self.oidc is not None:
            return self.oidc.session(creds.session, creds.opened)
        return None

    def reader(self, creds: Credentials) -> Principal | None:
        """Who reads: never an error (a credential that is not valid reads as none)."""
        try:
            return self.principal(creds)
        except ApiError:
            return None

    def audience(self, creds: Credentials) -> str:
        """``editor`` for an editor, an admin or a shared token; ``public`` for everyone
        else (:mod:`polku.privacy`)."""
        who = self.reader(creds)
        return who.audience if who is not None else PUBLIC

    def writer(self, creds: Credentials) -> Principal:
        """Who writes: 403 on a read-only server, 401 without a valid credential, 403 for a
        session write without its CSRF token, and 403 (insufficient_scope) for a viewer or
        an editor without an organisation."""
        if not self.writable:
            raise ApiError(403, N_("this server is read-only: it was started without "
                                   "tokens (polku serve --tokens FILE)"), field="Authorization")
        who = self.principal(creds)
        if who is None:
            if creds.session and self.oidc is not None:
                raise unauthorized(N_("the sign-in session has ended: sign in again"))
            raise unauthorized(N_("a write needs an edit key (the header 'Authorization: "
                                  "Bearer <token>')") if self.oidc is None else
                               N_("a write needs signing in, or an edit key (the header "
                                  "'Authorization: Bearer <token>')"), error=None)
        if who.via == "session" and not (creds.csrf and who.csrf and hmac.compare_digest(
                creds.csrf.encode(), who.csrf.encode())):
            raise ApiError(403, N_("a write signed in by the session cookie needs the "
                                   "page's {header} header"), field=CSRF_HEADER,
                           code="csrf-failed", params={"header": CSRF_HEADER})
        if not who.writes:
            raise insufficient(N_("the role '{role}' may not change rows: that takes the "
                                  "role editor or admin"), params={"role": who.role or "-"})
        if not who.admin and not who.organisations:
            raise insufficient(N_("an editor changes their own organisation's rows, and the "
                                  "token names no organisation"))
        return who

    @staticmethod
    def row_check(who: Principal) -> RowCheck | None:
        """The check of every row ``who`` changes (:mod:`polku.ops.ownership`): None for
        an admin (and a shared token), who may change anything."""
        if who.admin:
            return None
        from polku.ops.ownership import refusal

        mine = set(who.organisations)

        def check(sheet: str, before: Mapping[str, str] | None,
                  after: Mapping[str, str] | None, sheets: Any) -> None:
            belongs = refusal(mine, sheet, before, after, sheets)
            if belongs is None:
                return
            yours = ", ".join(who.organisations)
            if not belongs:
                raise insufficient(N_("this row of {sheet} belongs to no organisation (the "
                                      "sheet is the region's shared graph, or the row names "
                                      "no actor): only an admin changes it"), field="key",
                                   params={"sheet": sheet})
            raise insufficient(N_("this row of {sheet} belongs to {owners}, not to your "
                                  "organisation ({yours})"), field="key",
                               params={"sheet": sheet, "owners": ", ".join(sorted(belongs)),
                                       "yours": yours})

        return check


def valid_name(name: str) -> bool:
    """Whether ``name`` may name a token: letters of any script (a Finnish ``maija.mäkelä``,
    ``Åsa``), the digits 0–9, ``.``, ``-``, ``_``, ``@`` and spaces inside it (not at
    either end), at most :data:`MAX_NAME` characters. The change log records it as it is.

    >>> [valid_name(n) for n in ("maija.mäkelä", "Maija Mäkelä", "anna@kunta.fi", "bo_2")]
    [True, True, True, True]
    >>> [valid_name(n) for n in ("", " anna", "anna ", "an:na", "an;na", "a/b", "½")]
    [False, False, False, False, False, False, False]

    A letter that shows nothing (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0 are
    letters to Unicode) would let a change log name an author no one can see:
    >>> valid_name("\u3164"), valid_name("anna\u1160")
    (False, False)
    """
    return (0 < len(name) <= MAX_NAME and not name.startswith(" ")
            and not name.endswith(" ")
            and all((c.isalpha() and c not in INVISIBLE_LETTERS) or c == " "
                    or c in NAME_MARKS for c in name))


#: letters to Unicode that draw nothing (the Hangul fillers)
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


#: what a line of the tokens file must be (the names valid_name accepts)
TOKEN_LINE = N_("expected name:token: a name of letters (ä, ö, å and other letters too), "
                "digits, '.', '-', '_', '@' and spaces (not at either end), at most {most} "
                "characters, then ':' and the token")


def parse_tokens(text: str, source: str = "POLKU_TOKENS", commas: bool = False) -> Tokens:
    """Tokens from ``name:token`` lines (``#`` comments and blank lines skipped); a line
    that is not one is reported by its number, without its content. ``commas``: a text of
    one line holds pairs separated by commas (``POLKU_TOKENS``, where lines are awkward to
    write); a file is lines, always, so a comma there is part of its token.

    >>> sorted(parse_tokens("anna:0123456789abcdef0\\n# team\\nbo:fedcba98765432100").by_name)
    ['anna', 'bo']
    >>> sorted(parse_tokens("anna:0123456789abcdef0,bo:fedcba98765432100", commas=True).by_name)
    ['anna', 'bo']
    >>> parse_tokens("anna:abcdefgh,ijklmnopqrstuvwxyz").by_name == {"anna": "abcdefgh,ijklmnopqrstuvwxyz"}
    True
    >>> parse_tokens("anna:short")
    Traceback (most recent call last):
    polku.errors.PolkuError: POLKU_TOKENS, row 1: the token of 'anna' is shorter than 16 characters
    """
    lines = text.split(",") if commas and "\n" not in text.strip() else text.splitlines()
    by_name: dict[str, str] = {}
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, token = line.partition(":")
        # one name however the editor saved it: 'ä' as one letter or as 'a' and its dots
        name, token = unicodedata.normalize("NFC", name.strip()), token.strip()
        if not sep or not valid_name(name) or not token:
            raise PolkuError(TOKEN_LINE, params={"most": MAX_NAME}, file=source, row=number)
        if token_problem(token):
            # said without the token or its character: the line holds a secret
            raise PolkuError(N_("the token of '{name}' holds a character a token may not: a "
                                "token is printable ASCII (the letters a–z and A–Z, digits "
                                "and punctuation), without spaces"),
                             params={"name": name}, file=source, row=number)
        if len(token) < MIN_TOKEN:
            raise PolkuError(N_("the token of '{name}' is shorter than {n} characters"),
                             params={"name": name, "n": MIN_TOKEN}, file=source, row=number)
        if name in by_name:
            raise PolkuError(N_("the name '{name}' has two tokens"), params={"name": name},
                             file=source, row=number)
        if token in seen:
            raise PolkuError(N_("the token of '{name}' is used by another name too"),
                             params={"name": name}, file=source, row=number)
        by_name[name] = token
        seen.add(token)
    return Tokens(by_name)


def token_problem(token: str) -> bool:
    """Whether ``token`` holds a character a token may not: anything but printable ASCII
    (``!`` to ``~``). An HTTP header's value arrives as latin-1 bytes (the server reads it
    so), and a browser refuses to send other than latin-1 in one: a token with an 'ä' in
    it would be taken at start and then match no request, so every write would be 401.
    A space or a tab would be lost at the ends of the header, or taken for its end.

    >>> token_problem("4z-vJB1yMd6iEIGHa6GzoxXRTSIbuspX"), token_problem("a,b:c~!")
    (False, False)
    >>> [token_problem(t) for t in ("salainenpääsyavain", "two words", "tab\\there", "nbsp\u00a0")]
    [True, True, True, True]
    """
    return not all("!" <= c <= "~" for c in token)


def load_tokens(file: str | Path | None = None, env: str | None = None) -> Tokens:
    """Tokens from ``file`` if given, else from the ``POLKU_TOKENS`` text ``env``."""
    if file is not None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as e:  # the reason catalogued: strerror is English in every language
            raise PolkuError(N_("cannot read the tokens file ({reason})"),
                             params={"reason": os_reason(e)}, file=path.name) from None
        try:
            # a byte-order mark (Notepad's UTF-8) is no part of the first name
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            # located by its row only: the line holds a token, so neither it nor its bytes
            # are shown
            raise PolkuError(N_("cannot read the tokens file ({reason})"),
                             params={"reason": Said(N_("it is not UTF-8 text"))},
                             file=path.name, row=data.count(b"\n", 0, e.start) + 1) from None
        return _some(parse_tokens(text, path.name), path.name)
    if env:
        return _some(parse_tokens(env, commas=True), "POLKU_TOKENS")
    return Tokens()


def _some(tokens: Tokens, source: str) -> Tokens:
    """``tokens``, refused when there are none: tokens were asked for (an empty file, one
    of comments only), and a server that started read-only without a word would leave the
    administrator wondering why no edit key works."""
    if not tokens.enabled:
        raise PolkuError(N_("holds no token: give one name:token line per editor (without "
                            "tokens the server is read-only: then leave --tokens and "
                            "POLKU_TOKENS out)"), params={}, file=source)
    return tokens
