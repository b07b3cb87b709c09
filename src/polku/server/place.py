"""Where the server is reached: the path prefix it is served under behind a reverse proxy
(``/polku``), and the path of a request within the app.

One rule for every address polku draws or compares: the ASGI scope's ``root_path`` (set
by ``polku serve --root-path``, ``POLKU_ROOT_PATH`` or uvicorn's ``--root-path``) comes
before every link, form action, script's fetch, redirect and cookie path; a route is
matched and a path compared (:func:`route_path`) without it.
"""

from __future__ import annotations

from typing import Any, Callable

from polku.errors import PolkuError
from polku.words import N_


def root_of(scope: Any) -> str:
    """The prefix of every address of the app in this request ('' at the top).

    >>> root_of({"root_path": "/polku/"}), root_of({})
    ('/polku', '')
    """
    return str(scope.get("root_path") or "").rstrip("/")


def route_path(scope: Any) -> str:
    """The request's path within the app: the scope's path without its ``root_path``.

    >>> route_path({"path": "/polku/auth/login", "root_path": "/polku"})
    '/auth/login'
    >>> route_path({"path": "/healthz", "root_path": ""})
    '/healthz'
    """
    path, root = str(scope.get("path") or "/"), root_of(scope)
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root):] or "/"
    return path


def checked_root(value: str | None) -> str:
    """A ``--root-path`` as the server uses it: '' for none, else one path that starts with
    ``/`` and does not end with it.

    >>> checked_root("/polku/"), checked_root(None), checked_root("/")
    ('/polku', '', '')
    >>> checked_root("polku")
    Traceback (most recent call last):
    polku.errors.PolkuError: the root path must be a path that starts with /: polku
    """
    if not value or value == "/":
        return ""
    if not value.startswith("/") or value.startswith("//") or any(
            c in value for c in "?#\\ ") or any(ord(c) < 33 for c in value):
        raise PolkuError(N_("the root path must be a path that starts with /: {value}"),
                         params={"value": value}, field="root-path")
    return value.rstrip("/")


def checked_public_url(value: str | None) -> str:
    """A ``--public-url`` as the server uses it: '' for none, else ``scheme://host[:port]``
    and the path prefix, without a final ``/``.

    >>> checked_public_url("https://intra.example.fi/polku/"), checked_public_url(None)
    ('https://intra.example.fi/polku', '')
    >>> checked_public_url("intra.example.fi")
    Traceback (most recent call last):
    polku.errors.PolkuError: the public URL must be an http:// or https:// address without a query: intra.example.fi
    """
    if not value:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password or " " in value:
        raise PolkuError(N_("the public URL must be an http:// or https:// address without a "
                            "query: {value}"), params={"value": value}, field="public-url")
    return value.rstrip("/")


def public_url_of(scope: Any) -> str:
    """The address the server is reached at from outside (``--public-url``), '' when not
    given: the app keeps it in its state."""
    app = scope.get("app")
    return str(getattr(getattr(app, "state", None), "public_url", "") or "")


def external(request: Any, path: str) -> str:
    """The absolute address of the app's ``path`` as a browser or the identity provider
    reaches it: under ``--public-url`` when given (the request's Host header, which anyone
    may send, then plays no part), else from the request (its scheme as the proxy said in
    ``X-Forwarded-Proto``, its Host, the prefix).

    >>> class App: state = type("S", (), {"public_url": "https://polku.example.fi"})
    >>> class R: scope = {"app": App}; base_url = "http://evil.example/"
    >>> external(R, "/auth/callback")
    'https://polku.example.fi/auth/callback'
    """
    public = public_url_of(request.scope)
    return (public or str(request.base_url).rstrip("/")) + path


def is_secure(scope: Any) -> bool:
    """Whether the browser reaches the server over https: the request's scheme (uvicorn
    takes ``X-Forwarded-Proto`` from a trusted proxy), or an https ``--public-url``. A
    cookie set then is ``Secure``."""
    return scope.get("scheme") == "https" or public_url_of(scope).startswith("https://")


class RootPath:
    """ASGI middleware: the app is served under ``root`` (``polku serve --root-path``).
    A request whose scope has no ``root_path`` yet is given it, and its path the prefix
    in front, as uvicorn's own ``--root-path`` does; a path that already starts with the
    prefix (a proxy that passes ``/polku/…`` on unchanged) keeps it. So the proxy may
    strip the prefix or not."""

    def __init__(self, app: Callable, root: str) -> None:
        self.app = app
        self.root = root

    async def __call__(self, scope: Any, receive: Callable, send: Callable) -> None:
        if scope["type"] in ("http", "websocket") and self.root and not scope.get("root_path"):
            path = scope.get("path") or "/"
            if not (path == self.root or path.startswith(self.root + "/")):
                path = self.root + path
                raw = scope.get("raw_path")
                scope = dict(scope, raw_path=self.root.encode() + raw if raw else raw)
            scope = dict(scope, root_path=self.root, path=path)
        await self.app(scope, receive, send)


__all__ = ["RootPath", "checked_public_url", "checked_root", "external", "is_secure",
           "public_url_of", "root_of", "route_path"]
