"""Who may write: bearer tokens, one ``name:token`` a line.

Tokens come from ``polku serve --tokens FILE`` or the ``POLKU_TOKENS`` environment
variable (the same lines, or ``name:token`` pairs separated by commas). Without tokens the
server is read-only: every write answers 403. A token is compared in constant time and
never appears in a message or a log; the change log records the token's *name*.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

from polku.errors import PolkuError
from polku.privacy import EDITOR, PUBLIC
from polku.server.contract import ApiError
from polku.words import N_

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_TOKEN = 16


@dataclass(frozen=True)
class Tokens:
    """Token name -> token (kept out of ``repr``)."""
    by_name: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def enabled(self) -> bool:
        return bool(self.by_name)

    def who(self, authorization: str | None) -> str:
        """The name of the token in an ``Authorization: Bearer …`` header: 403 when the
        server has no tokens, 401 when the header is missing or the token unknown."""
        if not self.enabled:
            raise ApiError(403, N_("this server is read-only: it was started without "
                                   "tokens (polku serve --tokens FILE)"), field="Authorization")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, N_("a write needs an edit key (the header 'Authorization: "
                                   "Bearer <token>')"),
                           field="Authorization", headers={"WWW-Authenticate": "Bearer"})
        token = token.strip()
        found = None
        for name, known in self.by_name.items():
            # compare every token, so the time taken says nothing about which one is near
            if hmac.compare_digest(known.encode(), token.encode()):
                found = name
        if found is None:
            raise ApiError(401, N_("the edit key (token) is not valid"), field="Authorization",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return found


def audience(tokens: Tokens, authorization: str | None) -> str:
    """Who reads (:mod:`polku.privacy`): ``editor`` with a valid bearer token, ``public``
    for everyone else (no header, a wrong token, or a server without tokens). Never an
    error: a reader without a credential simply reads the published figures."""
    if authorization is None or not tokens.enabled:
        return PUBLIC
    try:
        tokens.who(authorization)
    except ApiError:
        return PUBLIC
    return EDITOR


def parse_tokens(text: str, source: str = "POLKU_TOKENS") -> Tokens:
    """Tokens from ``name:token`` lines (``#`` comments and blank lines skipped); a line
    that is not one is reported by its number, without its content.

    >>> sorted(parse_tokens("anna:0123456789abcdef0\\n# team\\nbo:fedcba98765432100").by_name)
    ['anna', 'bo']
    >>> parse_tokens("anna:short")
    Traceback (most recent call last):
    polku.errors.PolkuError: POLKU_TOKENS, row 1: the token of 'anna' is shorter than 16 characters
    """
    lines = text.splitlines() if "\n" in text.strip() else text.split(",")
    by_name: dict[str, str] = {}
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, token = line.partition(":")
        name, token = name.strip(), token.strip()
        if not sep or not NAME_RE.match(name) or not token:
            raise PolkuError("expected name:token (a name of letters, digits, '.', '_', "
                             "'@' or '-', then the token)", file=source, row=number)
        if len(token) < MIN_TOKEN:
            raise PolkuError(f"the token of '{name}' is shorter than {MIN_TOKEN} characters",
                             file=source, row=number)
        if name in by_name:
            raise PolkuError(f"the name '{name}' has two tokens", file=source, row=number)
        if token in seen:
            raise PolkuError(f"the token of '{name}' is used by another name too",
                             file=source, row=number)
        by_name[name] = token
        seen.add(token)
    return Tokens(by_name)


def load_tokens(file: str | Path | None = None, env: str | None = None) -> Tokens:
    """Tokens from ``file`` if given, else from the ``POLKU_TOKENS`` text ``env``."""
    if file is not None:
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise PolkuError(f"cannot read the tokens file ({e.strerror})", file=path.name) from None
        return parse_tokens(text, path.name)
    if env:
        return parse_tokens(env)
    return Tokens()
