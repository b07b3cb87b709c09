"""The HTTP API and web UI: ``create_app(sources)`` returns the FastAPI app over some graphs.

The app is a thin layer, like the CLI: it wires the parts of :mod:`polku.server` together —
the graph store with last good versions (``store``), who reads and writes (``auth``: shared
tokens; ``oidc``: sign-in with the organisations' identity provider), the error
contract (``contract``), the headers every response gets (``http``), the JSON API
(``api``) and the pages (``pages``). Row edits and the change log are the library's
(:mod:`polku.ops.edits`, :mod:`polku.ops.changelog`).

JSON API (every graph addressed by its name, the file or folder name without suffix):

==============================================  ==========================================
``GET /api/graphs``                             the graphs, their state, source, counts
``GET /api/graphs/{g}``                         what ``polku show`` says
``GET /api/graphs/{g}/findings``                the findings JSON of the spec
``GET /api/graphs/{g}/bottlenecks``             betweenness and flow ranking (``top``)
``GET /api/graphs/{g}/paths``                   k best paths (``segment``, ``k``, ``to``)
``GET /api/graphs/{g}/whatif``                  findings created and resolved (``remove``)
``GET /api/graphs/{g}/plan``                    the plan layer
``GET /api/graphs/{g}/export``                  the graph as ``turtle`` or ``jsonld``
``GET /api/graphs/{g}/rows/{sheet}[/{key}]``    workbook rows as cell text
``POST /api/graphs/{g}/rows/{sheet}``           add a row (token, If-Match)
``PATCH|DELETE /api/graphs/{g}/rows/{s}/{key}`` change or delete a row (token, If-Match)
``GET /api/graphs/{g}/changes``                 the change log, newest first
``POST /api/graphs/{g}/undo``                   revert the latest change (token, If-Match)
``GET /healthz``, ``GET /readyz``               liveness; readiness (503 naming a broken graph)
``GET /auth/me``                                who the request speaks for
``POST /auth/backchannel-logout``               the provider ends sessions (with OIDC)
==============================================  ==========================================
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from polku.errors import PolkuError
from polku.words import N_
from polku.server.api import api_router, writes
from polku.server.auth import Access, Credentials, Tokens, load_tokens
from polku.server.contract import VALIDATION_MESSAGES, ApiError, validation_error
from polku.server.health import health_router
from polku.server.http import (BodyLimit, RepresentationTags, Revalidation, ScriptHashes,
                               ServerHeaders, allowed_methods, own_scripts)
from polku.server.language import error_language
from polku.server.me import me_router
from polku.server.pages import error_page, pages_router
from polku.server.place import RootPath, checked_public_url, checked_root
from polku.server.serverlog import ServerLog
from polku.server.store import GraphStore, discover

if TYPE_CHECKING:
    from polku.server.oidc import OidcSettings

log = logging.getLogger("polku.server")


#: FastAPI's detail for a body it could not decode (its own English; it names no field)
BODY_UNREADABLE = "There was an error parsing the body"


def wants_html(request: Request) -> bool:
    """A browser navigating (Accept names text/html before JSON) gets an HTML error page."""
    accept = request.headers.get("accept", "")
    html, json_ = accept.find("text/html"), accept.find("application/json")
    return html >= 0 and (json_ < 0 or html < json_)


def message_language(request: Request) -> Any:
    """The translator of a JSON error: the API's language of the request
    (:func:`polku.server.language.api_language`: ``?lang=``, else the best of its
    ``Accept-Language`` that polku speaks, else Finnish, as every other text of the API; the
    browser's language or Finnish when ``?lang=`` is itself what is wrong)."""
    return error_language(request).tr


def error_response(request: Request, error: ApiError) -> Any:
    headers = dict(error.headers)
    if wants_html(request):
        language = error_language(request)
        return HTMLResponse(error_page(error.status, error.code, error.worded(language.tr),
                                       language, error.choices),
                            status_code=error.status, headers=headers)
    return JSONResponse(error.body(message_language(request)), status_code=error.status,
                        headers=headers)


def create_app(sources: Sequence[str | Path] = ("graphs",), tokens: Tokens | None = None,
               changes_dir: Path | None = None, oidc: "OidcSettings | None" = None,
               etag_secret: str | None = None, etag_fallback: bytes | None = None,
               root_path: str = "", public_url: str = "", lang: str | None = None) -> FastAPI:
    """A FastAPI app serving the graphs found in ``sources`` (files, folders, Neo4j URIs);
    writes need one of ``tokens`` or a person the identity provider of ``oidc`` signs in
    (neither: read-only); change logs go to ``changes_dir`` (default: ``.polku/`` beside
    each graph). ETags are keyed by ``etag_secret`` when given (servers on several machines
    over one Neo4j region give the same one), else by a key kept beside the change logs,
    else (a folder that cannot keep one) by ``etag_fallback`` (the workers of one
    ``polku serve`` are given the same) or a secret of this process.
    ``root_path`` (``/polku``) is the prefix the app is reached at behind a reverse proxy
    (:class:`polku.server.place.RootPath`; uvicorn's own ``--root-path`` does the same);
    ``public_url`` (``https://intra.example.fi/polku``) the address it is reached at from
    outside, which the sign-in's redirects are made of (never the request's Host header)
    and whose path is the prefix unless ``root_path`` says one. ``lang``: the language of
    the server's log (``polku serve --lang``; default Finnish), whatever each reader reads.

    A graph made in place and saved (any graph file or workbook folder is served the same):

    >>> import tempfile
    >>> from pathlib import Path
    >>> from fastapi.testclient import TestClient
    >>> from polku.graph import new_graph
    >>> from polku.io.load import save_graph
    >>> g = new_graph(); g.add_node("velka", type="service", name="Velkaneuvonta")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     served = save_graph(g, Path(folder) / "keski-uusimaa.ttl")
    ...     TestClient(create_app([served])).get("/api/graphs").json()[0]["name"]
    'keski-uusimaa'
    """
    tokens = tokens or Tokens()
    said = ServerLog(lang)
    store = GraphStore(sources, changes_dir, etag_secret, etag_fallback, said)
    provider = None
    if oidc is not None:
        from polku.server.oidc import Oidc
        from polku.server.sessions import ENDED_FILE, EndedSessions

        # the sessions ended before their cookies, shared by every process over the folder
        provider = Oidc(oidc, ended=EndedSessions(store.state_folder() / ENDED_FILE,
                                                  oidc.session_secret,
                                                  said=said.child("sessions")),
                        said=said.child("oidc"))
    access = Access(tokens, provider)
    if tokens.enabled:
        # the shapes every write is checked against, read now rather than by the first write
        from polku.io.shapes import Unsupported, compile_shapes

        try:
            compile_shapes()
        except Unsupported:
            pass
    # /docs loads its scripts from an installed package, not from a CDN: it must work on a
    # machine with no network (fastapi_offline ships the assets). No /redoc: ReDoc's page
    # fetches its logo from redoc.ly whatever it is told.
    app = FastAPIOffline(redoc_url=None, title="polku", version=__import__("polku").__version__,
                         description="Regional service ecosystems as knowledge graphs: "
                         "findings, bottlenecks, service paths, views, and row edits. Every "
                         'error is `{"error": {"code", "message", "field"}}`.')
    app.state.store = store
    public = checked_public_url(public_url)
    app.state.public_url = public
    app.state.tokens = tokens
    app.state.access = access

    known_routes: list[Any] = []  # filled below, once every router is included

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return error_response(request, exc)

    @app.exception_handler(PolkuError)
    async def polku_error(request: Request, exc: PolkuError):
        return error_response(request, ApiError(400, exc.message, field=exc.field or exc.column,
                                                cause=exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return error_response(request, validation_error(list(exc.errors()), exc.body))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == BODY_UNREADABLE:
            # a body json.loads refused with something other than a JSONDecodeError (bytes
            # that are no UTF-8, a number of more than 4300 digits, nesting past the
            # recursion limit): the body's problem, told as every other bad body is
            return error_response(request, ApiError(
                400, VALIDATION_MESSAGES["json_invalid"], field="body",
                params={"field": "body"}))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # every method of the path, not only those of the first route that matched it
            # (a path's GET, PATCH and DELETE are routes of their own)
            headers["Allow"] = ", ".join(allowed_methods(known_routes, request.scope))
            if request.method == "OPTIONS":  # what the path takes: the answer to OPTIONS
                return Response(status_code=204, headers={"Allow": headers["Allow"]})
        message = {404: N_("no such page or route"),
                   405: N_("this route does not take that method")
                   }.get(exc.status_code, str(exc.detail))
        error = ApiError(exc.status_code, message, code={404: "not-found", 405: "method-not-allowed"
                                                          }.get(exc.status_code, "error"),
                         headers=headers)
        return error_response(request, error)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        said.exception(N_("error answering {method} {path}"), method=request.method,
                       path=request.url.path)
        graph = request.path_params.get("name")
        if isinstance(graph, str) and graph in store.names:
            # a graph's answer failed (its findings, a page): the graph and the kind of
            # failure named, not its text, which may quote a cell (the log has it whole)
            return error_response(request, ApiError(
                500, N_("the server failed to answer about the graph '{name}' ({reason}); "
                        "the error is in its log"), code="server-error",
                params={"name": graph, "reason": type(exc).__name__}))
        return error_response(request, ApiError(500, N_("the server failed to answer; the "
                                                   "error is in its log"),
                                                code="server-error"))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # browsers ask for it on every page: without it each page logs a 404
        return Response(FAVICON, media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})

    routers = [health_router(store), api_router(store, access), pages_router(store, access),
               me_router(access)]
    form_action: tuple[str, ...] = ()
    if provider is not None:
        from polku.server.oidc import oidc_router

        routers.append(oidc_router(provider))
        # signing out is a form whose answer leads on to the provider's own sign-out
        issuer = urlsplit(provider.settings.issuer)
        form_action = (f"{issuer.scheme}://{issuer.netloc}",)
    for router in routers:
        app.include_router(router)
    # every route by its own path and methods: what a 405 and OPTIONS say a path takes
    known_routes.extend(r for router in routers for r in router.routes)
    known_routes.extend(r for r in app.routes if getattr(r, "methods", None))
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if provider is not None:
        from polku.server.recheck import Rechecks, SessionRecheck

        # a session due a check is checked at the provider before any route reads it
        app.state.rechecks = Rechecks(provider, said.child("recheck"))
        app.add_middleware(SessionRecheck, rechecks=app.state.rechecks,
                           refused=error_response)
    # inside the compression: it reads the page's scripts
    app.add_middleware(ScriptHashes, form_action=form_action, allowed=own_scripts())
    # a graph's answer tagged by its bytes inside the compression, then by its coding and
    # revalidated (304) outside it
    app.add_middleware(RepresentationTags)
    app.add_middleware(GZipMiddleware, minimum_size=800)
    app.add_middleware(Revalidation)
    app.add_middleware(BodyLimit, first=credential_first(known_routes, access))
    app.add_middleware(ServerHeaders)
    root = checked_root(root_path or urlsplit(public).path)
    if root:  # outermost: every part of the app sees the prefix in the scope
        app.add_middleware(RootPath, root=root)
    return app


def credential_first(routes: list[Any], access: Access) -> Callable[[Any], Awaitable[Any]]:
    """What a request whose body is too large is told before its body's size: for a write
    (a route of ``routes`` that takes a write's credential) without a credential that
    reaches, the 401 or 403 its route would answer first (README: "none or a bad one: 401,
    before anything about the body or the parameters is said"); None for anything else.
    The body limit answers before any route runs, so it asks this itself."""
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Match

    async def first(scope: Any) -> Any:
        if not any(writes(r) and r.matches(scope)[0] == Match.FULL for r in routes):
            return None
        request = Request(scope)
        try:
            await run_in_threadpool(access.writer, Credentials.of_request(request))
        except ApiError as e:
            return error_response(request, e)
        return None

    return first


#: polku's icon: a path of three steps on the brand colour (SVG, drawn here, nothing fetched)
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
           '<rect width="32" height="32" rx="6" fill="#0b3d62"/>'
           '<path d="M7 24 L14 15 L19 19 L25 8" fill="none" stroke="#ffd33d" stroke-width="3.5" '
           'stroke-linecap="round" stroke-linejoin="round"/></svg>')


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema without FastAPI's own 422 validation answers (a bad parameter is a 400
    in polku's error contract; 422 is only a row the workbook rules refuse), completed with
    what the routes answer (:func:`polku.server.openapi.completed`)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    from polku.server.openapi import completed

    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            answer = operation.get("responses", {}).get("422")
            if answer and "HTTPValidationError" in str(answer):
                del operation["responses"]["422"]
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)
    app.openapi_schema = completed(schema)
    return schema


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory polku.app:app_from_env``: sources from ``POLKU_GRAPHS``
    (``os.pathsep``-separated, default ``graphs``), tokens from ``POLKU_TOKENS_FILE`` or
    ``POLKU_TOKENS`` (a worker of ``polku serve --workers``: their hashes, read by the
    server at start, from ``POLKU_TOKEN_HASHES``), change logs in ``POLKU_CHANGES`` (default beside each graph), the
    identity provider from ``POLKU_OIDC_ISSUER``, ``POLKU_OIDC_CLIENT_ID`` and the other
    ``POLKU_OIDC_*`` variables (:func:`polku.server.oidc.settings_from_env`), the ETags'
    secret from ``POLKU_ETAG_SECRET`` (and where no key can be kept, from
    ``POLKU_ETAG_FALLBACK``, hex: ``polku serve --workers`` gives its workers one), the
    path prefix behind a proxy from ``POLKU_ROOT_PATH`` and the address it is reached at
    from ``POLKU_PUBLIC_URL``. Checked as ``polku serve`` checks at start
    (:mod:`polku.server.startup`): with writes on and a folder it cannot write, it raises
    :class:`polku.server.startup.NotStarted` (uvicorn prints its text and stops), worded
    in ``POLKU_LANG`` (default Finnish); it warns of a tokens file others can read."""
    from polku.server.oidc import settings_from_env
    from polku.server.startup import (NotStarted, key_warnings, server_language,
                                      start_refusal, tokens_warning)

    tr = server_language()
    hashes = os.environ.get("POLKU_TOKEN_HASHES")
    # a worker of polku serve: the tokens its server read at start, by their hashes
    tokens = Tokens.of_hashes(hashes) if hashes else load_tokens(
        os.environ.get("POLKU_TOKENS_FILE") or None, os.environ.get("POLKU_TOKENS"))
    from polku.gcpause import settle

    changes = os.environ.get("POLKU_CHANGES")
    app = create_app(os.environ.get("POLKU_GRAPHS", "graphs").split(os.pathsep), tokens,
                     Path(changes) if changes else None, settings_from_env(),
                     os.environ.get("POLKU_ETAG_SECRET") or None,
                     bytes.fromhex(os.environ.get("POLKU_ETAG_FALLBACK") or ""),
                     root_path=os.environ.get("POLKU_ROOT_PATH", ""),
                     public_url=os.environ.get("POLKU_PUBLIC_URL", ""), lang=tr.lang)
    # the start-up check of polku serve: a server told to take writes that cannot write
    # does not start (uvicorn prints the error, in the language of POLKU_LANG)
    refused = start_refusal(app)
    if refused is not None:
        raise NotStarted(refused, tr)
    if not os.environ.get("POLKU_SAID_AT_START"):  # polku serve said them, once
        warnings = [tokens_warning(os.environ.get("POLKU_TOKENS_FILE") or None, tr),
                    *key_warnings(app, tr)]
        for warning in warnings:
            if warning is not None:
                log.warning(tr("warning: {warning}").format(warning=warning))
    settle()  # each worker process once: what it has loaded stays, no collection walks it
    if app.state.access.writable:
        app.state.store.prepare_writes()
    return app


__all__ = ["create_app", "discover", "GraphStore", "app_from_env"]
