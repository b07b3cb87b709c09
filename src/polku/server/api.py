"""The JSON API: the analyses of each graph, its workbook rows, and row edits with their
change log. Every route documents the error statuses it can answer (the contract of
:mod:`polku.server.contract`); reads of a graph send its ``ETag``, and ``X-Polku-Stale``
while its source is broken and the last good version is served.
"""

from __future__ import annotations

from typing import Any, Union

from fastapi import APIRouter, Body, Header, Path, Query, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from polku.ops import edits
from polku.io import formats, workbook
from polku.errors import PolkuError
from polku.present import results
from polku.present.i18n import check_lang, translator
from polku.present.messages import finding_json
from polku.kinds import LONG_WAIT_DAYS
from polku.privacy import suppress, suppress_figures
from polku.server.auth import Tokens
from polku.server.contract import ApiError, responses
from polku.server.http import header_text
from polku.server.store import Entry, GraphStore

SEVERITIES = ("error", "warning", "info")
Cell = Union[str, int, float, bool, None, list[str]]
SheetName = Path(..., description="A workbook sheet: " + ", ".join(workbook.SHEETS),
                 pattern="^(" + "|".join(workbook.SHEETS) + ")$")
RowKey = Path(..., description="The row's id; actor~subject (or actor~subject~role) for "
              "responsibilities; path~step for paths.")
IfMatch = Header(None, alias="If-Match", description="The graph's current ETag.")
Bearer = Header(None, alias="Authorization", description="Bearer TOKEN")
RowBody = Body(..., description="Column → value, as in the workbook (lists may be given as "
               "JSON arrays or ';'-separated text).",
               examples=[{"id": "velkaneuvonta-2", "name": "Velkaneuvonta",
                          "providers": "keusote"}])

#: ``/export?format=``: the formats of the registry that have a text form
ExportFormat = Query(formats.text_formats()[0], description=" or ".join(formats.text_formats()),
                     pattern="^(" + "|".join(formats.text_formats()) + ")$")

READ = responses(400, 404, 409)
WRITE = responses(400, 401, 403, 404, 409, 412, 413, 422, 428)


#: ``?lang=``: the language of the findings' messages and labels in an answer (ids, keys
#: and kinds never change with it).
MessageLang = Query(None, description="The language of messages and labels: fi, sv or en "
                    "(default fi).")


def api_lang(lang: str | None) -> str:
    """``?lang=`` checked (default Finnish); an unknown one is a 400 naming the choices."""
    try:
        return check_lang(lang)
    except PolkuError as e:
        raise ApiError(400, e.message, field=e.field) from None


def graph_headers(entry: Entry) -> dict[str, str]:
    """ETag always; X-Polku-Stale naming the problem while the last good version is served."""
    headers = {"ETag": f'"{entry.etag}"'} if entry.etag else {}
    if entry.problem is not None:
        headers["X-Polku-Stale"] = header_text(entry.problem_text() or "")
    return headers


def api_router(store: GraphStore, tokens: Tokens) -> APIRouter:
    """The ``/api`` routes over ``store``; writes need one of ``tokens``."""
    router = APIRouter(prefix="/api")

    def read(name: str, response: Response):
        g, entry = store.get(name)
        response.headers.update(graph_headers(entry))
        return g, entry

    @router.get("/graphs", responses=responses(400))
    def graphs() -> list[dict[str, Any]]:
        """Every graph served, with its state (``ok``, ``stale``: its source is broken and
        the last good version is served, ``failed``: it never loaded), its source (and any
        source of the same name it shadows), and counts by kind."""
        return [e.summary(store.shadowed.get(e.source.name, [])) for e in store.entries()]

    @router.get("/graphs/{name}", responses=READ)
    def graph_info(name: str, response: Response) -> dict[str, Any]:
        """What ``polku show`` says, with the graph's state and source."""
        from polku.analyses.describe import describe

        g, entry = read(name, response)
        return {**suppress_figures(describe(g)), **{k: v for k, v in entry.summary(
            store.shadowed.get(name, [])).items() if k not in ("counts", "name")}}

    @router.get("/graphs/{name}/findings", responses=READ)
    def findings(name: str, response: Response,
                 long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
                 severity: str = Query("info", pattern="^(error|warning|info)$"),
                 lang: str | None = MessageLang) -> dict:
        """The findings JSON of the spec (``severity`` = lowest severity to include;
        ``lang`` = the messages' language)."""
        from polku.analyses.findings import find

        tr = translator(api_lang(lang))
        g, _ = read(name, response)
        keep = SEVERITIES[: SEVERITIES.index(severity) + 1]
        return suppress_figures({"graph": name, "findings": [
            finding_json(f, g, tr) for f in find(g, long_wait_days=long_wait_days)
            if f.severity in keep]})

    @router.get("/graphs/{name}/bottlenecks", responses=READ)
    def bottlenecks(name: str, response: Response,
                    top: int = Query(20, ge=1, le=100000),
                    lang: str | None = MessageLang) -> dict:
        """Betweenness and flow ranking."""
        from polku.analyses.bottlenecks import bottlenecks as rank

        tr = translator(api_lang(lang))
        g, _ = read(name, response)
        return suppress_figures(results.bottlenecks_worded(rank(g, top=top), g, tr))

    @router.get("/graphs/{name}/paths", responses=READ)
    def paths(name: str, response: Response, segment: str,
              k: int = Query(5, ge=1, le=50), to: str | None = None,
              lang: str | None = MessageLang) -> dict:
        """The k best and the designed paths of a segment."""
        from polku.analyses.paths import paths_report

        tr = translator(api_lang(lang))
        g, _ = read(name, response)
        try:
            return results.paths_worded(paths_report(g, segment, k=k, to=to), g, tr)
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field or "segment") from None

    @router.get("/graphs/{name}/whatif", responses=READ)
    def whatif(name: str, response: Response, remove: str | None = None,
               capacity: list[str] = Query([], description="SERVICE=N: a service's new "
                                           "capacity a month (repeatable)"),
               places: list[str] = Query([], description="SERVICE=C: a service's parallel "
                                         "places (repeatable)"),
               demand: list[str] = Query([], description="SERVICE=+20%: a change of demand "
                                         "at a service, in percent (repeatable)"),
               long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
               lang: str | None = MessageLang) -> dict:
        """Findings created and resolved by removing a service, actor or referral
        (``remove``); or, with ``capacity``/``places``/``demand``, every affected
        service's queue (inflow, utilisation, predicted wait in days, unstable) before and
        after, with the findings created and resolved, as ``polku whatif --format json``.
        A bad value answers 400 naming its parameter in ``field``."""
        from polku.analyses.queues import queue_changes, queue_whatif
        from polku.analyses.whatif import whatif as run

        tr = translator(api_lang(lang))
        queued = bool(capacity or places or demand)
        if (remove is None) == (not queued):
            raise ApiError(400, "ask one thing: remove=ID, or capacity/places/demand",
                           field="remove")
        g, _ = read(name, response)
        try:
            if remove is not None:
                return suppress_figures(results.whatif_worded(
                    run(g, remove, long_wait_days=long_wait_days), g, tr))
            changes = queue_changes(capacity, places, demand)
            return suppress_figures(results.queue_worded(
                queue_whatif(g, *changes, long_wait_days=long_wait_days), g, tr))
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field or "remove") from None

    @router.get("/graphs/{name}/plan", responses=READ)
    def plan(name: str, response: Response) -> dict:
        """The plan layer, as ``polku plan show --format json``."""
        from polku.io.plan import plan_summary

        g, _ = read(name, response)
        return plan_summary(g)

    @router.get("/graphs/{name}/export", responses=READ, response_class=PlainTextResponse)
    def export(name: str, format: str = ExportFormat):
        """The graph as Turtle or JSON-LD."""
        g, entry = store.get(name)
        g = suppress(g)  # the API goes to other people: small cells stay out
        fmt = formats.get(format)
        return PlainTextResponse(fmt.as_text(g), media_type=fmt.media_type,
                                 headers=graph_headers(entry))

    # -- rows -----------------------------------------------------------------------------
    @router.get("/graphs/{name}/rows/{sheet}", responses=READ)
    def rows(name: str, response: Response, sheet: str = SheetName) -> dict:
        """A sheet's rows as cell text, each with its key."""
        sheets, entry = store.sheets(name)
        response.headers.update(graph_headers(entry))
        header, body = sheets.get(sheet, ([c.name for c in workbook.SHEETS[sheet].columns], []))
        return {"graph": name, "sheet": sheet, "key_columns": list(edits.key_columns(sheet)),
                "header": header,
                "rows": [{"key": edits.row_key(sheet, r), "values": r} for r in body]}

    @router.get("/graphs/{name}/rows/{sheet}/{key}", responses=READ)
    def row(name: str, response: Response, sheet: str = SheetName, key: str = RowKey) -> dict:
        """One row as cell text."""
        sheets, entry = store.sheets(name)
        response.headers.update(graph_headers(entry))
        try:
            index = edits.find_row(sheets, sheet, key)
            found = sheets[sheet][1][index]
        except edits.RowNotFound as e:
            raise ApiError(404, e.message, field="key") from None
        except edits.EditConflict as e:
            raise ApiError(409, e.message, field="key") from None
        return {"graph": name, "sheet": sheet, "key": edits.row_key(sheet, found), "values": found}

    def write(name: str, authorization: str | None, if_match: str | None, action: str,
              sheet: str, key: str | None, body: Any, status: int,
              lang: str | None = None) -> JSONResponse:
        who = tokens.who(authorization)
        store.entry(name, refresh=False)  # 404 before anything else about the request
        lang = api_lang(lang)
        values = None
        if body is not None:
            if not isinstance(body, dict):
                raise ApiError(400, "the body is a JSON object: column → value", field="body")
            try:
                values = edits.row_values(sheet, body)
            except edits.RowNotFound as e:
                raise ApiError(404, e.message, field="sheet") from None
            except PolkuError as e:
                raise ApiError(400, e.message, field=e.field or e.column) from None
        result = store.edit(name, if_match, who, action, sheet, key, values, lang=lang)
        return JSONResponse(result, status_code=status, headers={"ETag": f'"{result["etag"]}"'})

    @router.post("/graphs/{name}/rows/{sheet}", status_code=201, responses=WRITE)
    def create_row(name: str, sheet: str = SheetName, body: dict[str, Cell] = RowBody,
                   authorization: str | None = Bearer, if_match: str | None = IfMatch,
                   lang: str | None = MessageLang):
        """Add a row. Checked with exactly the workbook import's rules (422 with the same
        message, sheet and column), refused whole on any problem, written atomically, and
        logged. Answers the change, the new ETag and the findings created and resolved."""
        return write(name, authorization, if_match, "create", sheet, None, body, 201, lang)

    @router.patch("/graphs/{name}/rows/{sheet}/{key}", responses=WRITE)
    def update_row(name: str, sheet: str = SheetName, key: str = RowKey,
                   body: dict[str, Cell] = RowBody, authorization: str | None = Bearer,
                   if_match: str | None = IfMatch,
                   lang: str | None = MessageLang):
        """Change the columns given (an empty value or null clears a cell)."""
        return write(name, authorization, if_match, "update", sheet, key, body, 200, lang)

    @router.delete("/graphs/{name}/rows/{sheet}/{key}", responses=WRITE)
    def delete_row(name: str, sheet: str = SheetName, key: str = RowKey,
                   authorization: str | None = Bearer, if_match: str | None = IfMatch,
                   lang: str | None = MessageLang):
        """Delete a row (refused when other rows still refer to it)."""
        return write(name, authorization, if_match, "delete", sheet, key, None, 200, lang)

    @router.get("/graphs/{name}/changes", responses=responses(400, 404))
    def changes(name: str, response: Response,
                limit: int = Query(100, ge=1, le=10000)) -> dict:
        """The change log, newest first: version, time, who (the token's name), action,
        sheet, key, and the row before and after."""
        entry = store.entry(name)
        response.headers.update(graph_headers(entry))
        return {"graph": name, "changes": store.changelog(name).newest_first(limit)}

    @router.post("/graphs/{name}/undo", responses=WRITE)
    def undo(name: str, authorization: str | None = Bearer, if_match: str | None = IfMatch,
             lang: str | None = MessageLang):
        """Revert the latest change not yet undone, as a new change (409 when there is
        none)."""
        who = tokens.who(authorization)
        store.entry(name, refresh=False)
        result = store.edit(name, if_match, who, "undo", "", lang=api_lang(lang))
        return JSONResponse(result, headers={"ETag": f'"{result["etag"]}"'})

    return router
