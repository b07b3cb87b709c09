"""What every response of the server gets, whatever route answered: HEAD for every GET,
security headers, cache headers, ``Vary: Accept-Language`` on pages (their language may
come from the browser), and the ``X-Polku-Stale`` header naming a broken source.

Written as plain ASGI middleware (no per-route code), so that error pages, the API docs
and static assets get the same headers as the pages and the JSON API.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, MutableMapping
from urllib.parse import quote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]

#: the pages are self-contained (inline scripts and styles, data: images); nothing may
#: come from elsewhere, nothing may frame them
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
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


def header_text(text: str) -> str:
    """A message as an HTTP header value: one line, non-ASCII percent-encoded.

    >>> header_text("ku/services.csv, row 3: 'ä'\\nmore")
    "ku/services.csv, row 3: '%C3%A4' more"
    """
    return quote(" ".join(text.split()), safe=" !#$&'()*+,/:;=?@[]~<>{}|^`\"\\-_.")


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)


def _vary_on_language(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with Accept-Language added to ``Vary`` (kept once, beside any other).

    >>> _vary_on_language([(b"vary", b"Accept-Encoding")])
    [(b'vary', b'Accept-Encoding, Accept-Language')]
    >>> _vary_on_language([])
    [(b'vary', b'Accept-Language')]
    """
    values = [v.decode() for k, v in headers if k.lower() == b"vary"]
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if "accept-language" not in {n.lower() for n in names}:
        names.append("Accept-Language")
    return [(k, v) for k, v in headers if k.lower() != b"vary"] + \
        [(b"vary", ", ".join(names).encode())]


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
        path = scope.get("path", "")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if _is_html(headers):
                    headers = _vary_on_language(headers)
                if b"cache-control" not in present:
                    cache = STATIC_CACHE if path.startswith(STATIC_PREFIXES) else DYNAMIC_CACHE
                    headers.append((b"cache-control", cache.encode()))
                message = dict(message, headers=headers)
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"", more_body=message.get("more_body", False))
            await send(message)

        await self.app(scope, receive, wrapped)
