"""What every response of the server gets, whatever route answered: HEAD for every GET,
security headers, cache headers (``private`` for an answer to a request with a credential:
it may hold an editor's true figures), ``Vary: Accept-Language, Authorization, Cookie`` on
pages and on the API (their texts, the errors and ``X-Polku-Stale`` among them, may be in
the browser's language; their figures depend on the credential), and
the ``X-Polku-Stale`` header naming a broken source.

Written as plain ASGI middleware (no per-route code), so that error pages, the API docs
and static assets get the same headers as the pages and the JSON API.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from typing import Any, Awaitable, Callable, Iterable, MutableMapping
from urllib.parse import quote

from polku.server.place import route_path
from polku.words import N_

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]

#: the pages are self-contained (inline styles, data: images); nothing may come from
#: elsewhere, nothing may frame them. Scripts run only from the server itself or when their
#: text is one of polku's own (:class:`ScriptHashes` adds the hash of each inline script the
#: page holds that is among :func:`own_scripts`): a script that escaping let through into a
#: page would not run.
CSP_TEMPLATE = ("default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                "frame-src 'self'; form-action 'self'{forms}; base-uri 'none'; "
                "frame-ancestors 'none'")
CSP = CSP_TEMPLATE.format(hashes="", forms="")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc\s*=)[^>]*>(.*?)</script\s*>",
                            re.IGNORECASE | re.DOTALL)


def script_hash(text: bytes) -> str:
    """A script's SHA-256 as a content security policy names it (base64)."""
    return base64.b64encode(hashlib.sha256(text).digest()).decode()


def inline_scripts(html: bytes) -> list[bytes]:
    """The text of every inline script of an HTML page (not those loaded by ``src``).

    >>> inline_scripts(b'<script src="a.js"></script><script>go()</script>')
    [b'go()']
    """
    return [m.group(1) for m in _INLINE_SCRIPT.finditer(html)]


def own_scripts() -> frozenset[str]:
    """The hashes of every script polku's own pages run inline: the scripts of its templates
    (each the same text on every page: what a page needs from the server travels beside it
    as JSON data, which runs nothing) and the views' assets. A test holds every template's
    scripts free of template syntax, so this is every script a page of polku can hold."""
    from importlib import resources

    from polku.present.views.page import page_assets

    texts = [str(page_assets()).encode()]
    root = resources.files("polku") / "templates"
    folders = [root]
    while folders:
        for entry in folders.pop().iterdir():
            if entry.is_dir():
                folders.append(entry)
            elif entry.name.endswith(".html"):
                texts.append(entry.read_bytes())
    return frozenset(script_hash(body) for text in texts for body in inline_scripts(text)
                     if b"{{" not in body and b"{%" not in body)


@lru_cache(maxsize=16)  # a page kept per version is sent again and again: hashed once
def script_policy(html: bytes, form_action: tuple[str, ...] = (),
                  allowed: frozenset[str] | None = None) -> str:
    """The content security policy of a page: its inline scripts allowed by their SHA-256,
    those among ``allowed`` only (``None``: all of them, for pages that hold nothing from a
    graph); ``form_action``: origins besides the server's own that a form may lead to, such
    as the identity provider that signing out ends at.

    >>> script_policy(b"<p>x</p><script>go()</script>").split("; ")[1]
    "script-src 'self' 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"
    >>> script_policy(b"<script>go()</script>", allowed=frozenset()).split("; ")[1]
    "script-src 'self'"
    """
    hashes = sorted({h for h in map(script_hash, inline_scripts(html))
                     if allowed is None or h in allowed})
    return CSP_TEMPLATE.format(hashes="".join(f" 'sha256-{h}'" for h in hashes),
                               forms="".join(f" {o}" for o in form_action))


#: pages that are FastAPI's own, built from the app's settings and holding nothing from a
#: graph: their inline scripts (the API docs' start-up) are allowed as sent
FRAMEWORK_PAGES = ("/docs", "/docs/oauth2-redirect")


def rewritten(send: Callable, wanted: Callable[[Message], bool],
              headers_for: Callable[[list[tuple[bytes, bytes]], bytes], list]) -> Callable:
    """``send`` for an answer whose headers depend on its whole body: an answer whose start
    ``wanted`` takes is held back until its last chunk, then sent in one piece with the
    headers ``headers_for(start's headers, body)`` gives; every other answer passes as it
    comes. What the content security policy (script hashes) and the representation's ETag
    (a hash of the bytes) both need."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            if wanted(message):
                start = message
                return
            await send(message)
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        await send(dict(start, headers=headers_for(list(start.get("headers", [])), body)))
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return wrapped


class ScriptHashes:
    """Gives every HTML answer a content security policy that names the hashes of the inline
    scripts it holds that are polku's own (``allowed``, :func:`own_scripts`; no
    ``'unsafe-inline'``). Sits inside the compression, so it reads the page as written."""

    def __init__(self, app: ASGIApp, form_action: tuple[str, ...] = (),
                 allowed: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.form_action = form_action
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed = None if route_path(scope) in FRAMEWORK_PAGES else self.allowed

        def with_policy(headers: list, body: bytes) -> list:
            return [(k, v) for k, v in headers if k.lower() != b"content-security-policy"] + \
                [(b"content-security-policy",
                  script_policy(body, self.form_action, allowed).encode())]

        wrapped = rewritten(send, lambda start: _is_html(list(start.get("headers", []))),
                            with_policy)
        await self.app(scope, receive, wrapped)


SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
#: static assets (the API docs' scripts) are the installed package's: cache for a day
STATIC_PREFIXES = ("/static-offline-docs/",)
STATIC_CACHE = "public, max-age=86400"
#: pages and JSON change with the graph: revalidate every time (the ETag makes it cheap)
DYNAMIC_CACHE = "no-cache"
#: an answer to a request with a credential: an editor reads the true figures at the same
#: address and under the same ETag as the public reads the published ones, so no shared
#: cache (a reverse proxy, a CDN) may keep it for another reader
PRIVATE_CACHE = "private, no-cache"
#: what a page or an API answer depends on besides its address: the credential (a bearer
#: token or the session cookie) decides which figures it holds
VARY_CREDENTIALS = ("Authorization", "Cookie")
#: the session cookie of the web UI's sign-in (:data:`polku.server.auth.SESSION_COOKIE`)
_SESSION_COOKIE = b"polku_session="


#: the largest request body, in bytes: a row is a few kilobytes, and the longest cell
#: (32,767 characters) fits many times over
MAX_BODY = 1 << 20
#: routes that take files (a region's PTV JSON, as the PTV comparison page uploads it) and
#: the most they take
UPLOADS = ((re.compile(r"^/api/graphs/[^/]+/ptv/(compare|apply)$"), 16 << 20),)


#: what a request refused for its body's size is told first, when anything: the answer
#: (a Starlette response) to a write whose credential does not reach, or None
First = Callable[[Scope], Awaitable[Any]]


class BodyLimit:
    """Refuses a request body larger than ``limit`` bytes with 413 in the error contract,
    before any route sees it (a declared Content-Length is refused unread). ``first`` is
    asked before the 413 is sent: a write's credential is judged before anything about
    its body is said (401 without a valid one, 403 where it does not reach), so what
    ``first`` answers is sent instead, the body still unread."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY,
                 uploads: tuple[tuple[re.Pattern[str], int], ...] = UPLOADS,
                 first: First | None = None) -> None:
        self.app = app
        self.limit = limit
        self.uploads = uploads
        self.first = first

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = next((most for route, most in self.uploads if route.match(path)), self.limit)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit, scope)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > limit:
                await self._refuse(send, limit, scope)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Callable, limit: int, scope: Scope) -> None:
        from starlette.requests import Request
        from starlette.responses import JSONResponse

        from polku.errors import Figure
        from polku.server.contract import ApiError
        from polku.server.language import error_language

        before = await self.first(scope) if self.first is not None else None
        if before is not None:  # the body is not read on: the connection ends with it
            before.headers["connection"] = "close"

            async def nothing() -> Message:
                return {"type": "http.disconnect"}

            await before(scope, nothing, send)
            return
        # the number as the reader's language writes it (1 048 576 in Finnish)
        error = ApiError(413, N_("the request body is larger than {limit} bytes, the most this "
                                 "route takes"), field="body", params={"limit": Figure(limit)})
        # in the API's language of the request and encoded as every other error (UTF-8)
        body = JSONResponse(error.body(error_language(Request(scope)).tr)).body
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


#: the order ``Allow`` lists methods in
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(routes: list[Any], scope: Scope) -> list[str]:
    """Every method the request's path takes, over all ``routes`` whose path matches it
    (a path's GET, PATCH and DELETE are routes of their own), with HEAD wherever GET is
    (:class:`ServerHeaders` answers it) and OPTIONS (answered with this list).

    >>> from starlette.routing import Route
    >>> routes = [Route("/rows/{key}", None, methods=["GET"]),
    ...           Route("/rows/{key}", None, methods=["PATCH", "DELETE"])]
    >>> allowed_methods(routes, {"type": "http", "path": "/rows/a", "method": "PUT"})
    ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']
    """
    from starlette.routing import Match

    found: set[str] = set()
    for route in routes:
        methods = getattr(route, "methods", None)
        if methods and route.matches(dict(scope, type="http"))[0] != Match.NONE:
            found |= set(methods)
    if "GET" in found:
        found.add("HEAD")
    found.add("OPTIONS")
    return [m for m in METHODS if m in found] + sorted(found - set(METHODS))


def representation_tag(tag: str, body: bytes) -> str:
    """The ETag of one representation of a graph's answer: the graph's version (what a
    write's ``If-Match`` names: :func:`version_of_tag`), then a hash of the answer's bytes,
    so that the Finnish and the English page, the public's and an editor's figures, and
    the answers of two days (what is overdue moves on) each have a tag of their own.

    >>> representation_tag('"v1"', b"{}")
    '"v1-44136fa355b3"'
    """
    return f'"{tag.strip(chr(34))}-{hashlib.sha256(body).hexdigest()[:12]}"'


def versions_tag(versions: Iterable[tuple[str, str | None]]) -> str:
    """The ETag of an answer made from several graphs (the list of graphs, a comparison):
    a hash of each graph's name and version (``None``: it could not be read), so that it
    moves when any of them does; :class:`RepresentationTags` adds the answer's bytes.

    >>> versions_tag([("a", "v1"), ("b", None)]) == versions_tag([("a", "v1"), ("b", None)])
    True
    >>> versions_tag([("a", "v1")]) != versions_tag([("a", "v2")])
    True
    """
    text = "\n".join(f"{name}\t{version or ''}" for name, version in versions)
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:20]}"'


def version_of_tag(tag: str) -> str:
    """The graph's version an ETag names (the tags of its answers add the representation
    after a ``-``: :func:`representation_tag`, :class:`Revalidation`).

    >>> version_of_tag('"f02379b049af6ca6ab12-44136fa355b3-gzip"'), version_of_tag('"v1"')
    ('f02379b049af6ca6ab12', 'v1')
    """
    return tag.strip().strip('"').split("-")[0]


def _etag_of(headers: list[tuple[bytes, bytes]]) -> str | None:
    return next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)


class RepresentationTags:
    """Gives a GET's ``ETag`` (a graph's version, set by the route) the hash of the answer's
    bytes (:func:`representation_tag`). Sits inside the compression: it hashes the answer
    as written, the same for every process."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or \
                route_path(scope).startswith(STATIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        def tagged(start: Message) -> bool:
            tag = _etag_of(list(start.get("headers", [])))
            return start.get("status") == 200 and bool(tag) and not tag.startswith("W/")

        def with_tag(headers: list, body: bytes) -> list:
            tag = representation_tag(_etag_of(headers) or "", body)
            return [(k, v) for k, v in headers if k.lower() != b"etag"] + \
                [(b"etag", tag.encode("latin-1"))]

        wrapped = rewritten(send, tagged, with_tag)
        await self.app(scope, receive, wrapped)


#: what a 304 keeps of the 200 it stands for (RFC 9110 15.4.5), and polku's own headers.
#: The content security policy too: a browser updates the page it keeps with the 304's
#: headers (RFC 9111 4.3.4), so a 304 with the default policy (no script hashes, which
#: :class:`ServerHeaders` would add) would block every inline script of a reloaded page.
KEPT_ON_304 = (b"cache-control", b"content-location", b"content-security-policy", b"date",
               b"etag", b"expires", b"vary", b"x-polku-stale")


class Revalidation:
    """Gives a compressed answer an ETag of its own (``-gzip`` added: RFC 9110 forbids one
    strong tag for two codings) and answers a GET or HEAD whose ``If-None-Match`` names the
    answer's ETag with 304 Not Modified and no body. Sits outside the compression (it reads
    the coding the answer was sent in)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        asked = b",".join(v for k, v in scope.get("headers") or []
                          if k == b"if-none-match").decode("latin-1")
        wanted = {t.strip().removeprefix("W/") for t in asked.split(",") if t.strip()}
        unchanged = False

        async def wrapped(message: Message) -> None:
            nonlocal unchanged
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                tag = _etag_of(headers)
                if tag is not None and tag.endswith('"') and not tag.startswith("W/") and any(
                        k.lower() == b"content-encoding" and v.strip().lower() == b"gzip"
                        for k, v in headers):
                    tag = tag[:-1] + '-gzip"'
                    headers = [(k, v) for k, v in headers if k.lower() != b"etag"] + \
                        [(b"etag", tag.encode("latin-1"))]
                if tag is not None and message.get("status") == 200 and \
                        ("*" in wanted or tag.removeprefix("W/") in wanted):
                    unchanged = True
                    await send({"type": "http.response.start", "status": 304,
                                "headers": [(k, v) for k, v in headers
                                            if k.lower() in KEPT_ON_304]})
                    return
                await send(dict(message, headers=headers))
                return
            if unchanged:
                if message["type"] == "http.response.body" and \
                        not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"",
                                "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, wrapped)


def header_text(text: str) -> str:
    """A message as an HTTP header value: one line, its UTF-8 percent-encoded outside
    printable ASCII (``%`` itself as ``%25``), so that any language fits a header (which
    takes latin-1 at most, and ASCII reliably) and ``urllib.parse.unquote`` (or
    ``decodeURIComponent``) gives the text back exactly.

    >>> header_text("ku/services.csv, row 3: 'ä'\\nmore")
    "ku/services.csv, row 3: '%C3%A4' more"
    >>> from urllib.parse import unquote
    >>> unquote(header_text("rivi 2: 'Ööö' ei ole luku (100 %)"))
    "rivi 2: 'Ööö' ei ole luku (100 %)"
    """
    return quote(" ".join(text.split()), safe=" !#$&'()*+,/:;=?@[]~<>{}|^`\"\\-_.")


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)


def _vary_on(headers: list[tuple[bytes, bytes]],
             also: tuple[str, ...] = ()) -> list[tuple[bytes, bytes]]:
    """``headers`` with Accept-Language (and the names ``also``) added to ``Vary`` (each
    kept once, beside any other).

    >>> _vary_on([(b"vary", b"Accept-Encoding")])
    [(b'vary', b'Accept-Encoding, Accept-Language')]
    >>> _vary_on([], VARY_CREDENTIALS)
    [(b'vary', b'Accept-Language, Authorization, Cookie')]
    """
    values = [v.decode() for k, v in headers if k.lower() == b"vary"]
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    for name in ("Accept-Language",) + also:
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return [(k, v) for k, v in headers if k.lower() != b"vary"] + \
        [(b"vary", ", ".join(names).encode())]


def carries_credential(scope: Scope) -> bool:
    """Whether a request carries a credential (an ``Authorization`` header, the session
    cookie): its answer may hold an editor's true figures.

    >>> carries_credential({"headers": [(b"cookie", b"a=1; polku_session=x")]})
    True
    >>> carries_credential({"headers": [(b"cookie", b"polku_login=x")]})
    False
    """
    for key, value in scope.get("headers") or []:
        if key == b"authorization" and value.strip():
            return True
        if key == b"cookie" and any(c.strip().startswith(_SESSION_COOKIE)
                                    for c in value.split(b";")):
            return True
    return False


class ServerHeaders:
    """HEAD answered as GET without a body; security and cache headers on everything."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        path = route_path(scope)
        static = path.startswith(STATIC_PREFIXES)
        credentialed = carries_credential(scope)

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                # a 304 stands for a page or an answer and varies as it does
                if _is_html(headers) or path.startswith("/api/") or message.get("status") == 304:
                    headers = _vary_on(headers, () if static else VARY_CREDENTIALS)
                if b"cache-control" not in present:
                    cache = STATIC_CACHE if static else \
                        PRIVATE_CACHE if credentialed else DYNAMIC_CACHE
                    headers.append((b"cache-control", cache.encode()))
                message = dict(message, headers=headers)
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"", more_body=message.get("more_body", False))
            await send(message)

        await self.app(scope, receive, wrapped)
