"""The JSON API: the analyses of each graph, its workbook rows, and row edits with their
change log. Every route documents the error statuses it can answer (the contract of
:mod:`polku.server.contract`); reads of a graph send its ``ETag``, and ``X-Polku-Stale``
while its source is broken and the last good version is served.
"""

from __future__ import annotations

from typing import Any, Callable, Coroutine, Mapping, Union

import networkx as nx
from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from polku.ops import edits
from polku.ops.model import Model
from polku.ops.operations import (SEVERITIES, Blueprint, Bottlenecks, Describe, Findings,
                                  Paths, PtvCompare, Review, answer, whatif_operation)
from polku.io import formats, workbook
from polku.errors import PolkuError, fields_named
from polku.present import results
from polku.present.actions import ACTION_FORMATS
from polku.present.i18n import Translator, translator
from polku.present.finding_names import named_dicts
from polku.kinds import LONG_WAIT_DAYS, MAX_CONCURRENT_LEADS, MAX_TOP
from polku.privacy import EDITOR, PERSONAL_COLUMNS, PUBLIC, changes_for, row_for
from polku.server.auth import Access, Credentials, carries
from polku.server.contract import ApiError, problem_worded, responses
from polku.server.http import header_text
from polku.server.language import api_language
from polku.words import N_
from polku.server.store import GraphStore, Version

Cell = Union[str, int, float, bool, None, list[str]]
#: a sheet the path names: one the workbook has not is a 404 naming the one likely meant
#: (:func:`known_sheet`), as any other unknown name of the path, not a parameter's 400
SheetName = Path(..., description="A workbook sheet: " + ", ".join(workbook.SHEETS) +
                 " (another: 404, with did_you_mean).")
RowKey = Path(..., description="The row's id; actor~subject (or actor~subject~role) for "
              "responsibilities; path~step for paths.")
IfMatch = Header(None, alias="If-Match", description="The graph's current ETag.")


async def write_credentials(request: Request, authorization: str | None = Header(
        None, alias="Authorization", description="Bearer TOKEN: a shared token, or a JWT "
        "of the identity provider (an editor for their organisation's rows, an admin for "
        "any). The web UI signs in by its session cookie and sends X-Polku-CSRF instead.")
        ) -> Credentials:
    """A write's credential: the Authorization header, or the session cookie with the
    page's CSRF header."""
    return Credentials.of_request(request, authorization)


async def read_credentials(request: Request, authorization: str | None = Header(
        None, alias="Authorization", description="Bearer TOKEN (optional): an editor or "
        "admin reads the true figures; everyone else (a viewer too) the published ones, "
        "small cells (1-4 people) left out.")) -> Credentials:
    """A read's optional credential: with an editor's the true figures, without it the
    published ones (small cells as <5, totals from what is shown)."""
    return Credentials.of_request(request, authorization)


Bearer = Depends(write_credentials)
Reader = Depends(read_credentials)
RowBody = Body(..., description="Column → value, as in the workbook (lists may be given as "
               "JSON arrays or ';'-separated text).",
               examples=[{"id": "velkaneuvonta-2", "name": "Velkaneuvonta",
                          "providers": "keusote"}])

#: ``/export?format=``: the formats of the registry that have a text form
ExportFormat = Query(formats.text_formats()[0], description=" or ".join(formats.text_formats()),
                     pattern="^(" + "|".join(formats.text_formats()) + ")$")

READ = responses(400, 404, 409)
#: a what-if's answer worded in the reader's language, by operation
WORDED = {"removal": results.whatif_worded, "queueing": results.queue_worded}
#: PtvCompare's parameters as the body of ``/ptv/compare`` and ``/ptv/apply`` names them
PTV_BODY = {"catalogue": "files", "municipalities": "municipality"}
WRITE = responses(400, 401, 403, 404, 409, 412, 413, 415, 422, 428)


def known_sheet(sheet: str) -> None:
    """A 404 naming ``sheet`` (``field`` ``sheet``) when the workbook has no such sheet,
    with the sheet likely meant as ``did_you_mean``."""
    try:
        edits.known_sheet(sheet)
    except edits.RowNotFound as e:
        raise ApiError(404, e.message, field="sheet", cause=e) from None


def is_json(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` says JSON (``application/json``, ``…+json``, any
    parameters).

    >>> is_json("application/json; charset=utf-8"), is_json("application/x-www-form-urlencoded")
    (True, False)
    >>> is_json("application/merge-patch+json"), is_json(None)
    (True, False)
    """
    kind = (content_type or "").split(";")[0].strip().lower()
    main, _, sub = kind.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def writes(route: Any) -> bool:
    """Whether ``route`` is a write: it takes a write's credential (:data:`Bearer`)."""
    dependant = getattr(route, "dependant", None)
    return dependant is not None and any(d.call is write_credentials
                                         for d in dependant.dependencies)


def checked_route(access: Access) -> type[APIRoute]:
    """The routes of the API, each checking what comes before its body and parameters: a
    write's credential (401 without one, 403 where it does not reach: before a bad body or
    parameter is told to someone who may not write at all), then a body's type (415 for a
    body not sent as JSON: ``curl -d`` says a form's type, and the body would be read as
    text, not as the JSON it is)."""

    class Checked(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            write = writes(self)
            takes_body = self.body_field is not None

            async def checked(request: Request) -> Response:
                if write:
                    await run_in_threadpool(access.writer, Credentials.of_request(request))
                if takes_body and not is_json(request.headers.get("content-type")) \
                        and await request.body():
                    raise ApiError(415, N_("the body is JSON: send it with the header "
                                           "'Content-Type: application/json'"),
                                   field="Content-Type", params={})
                return await handler(request)

            return checked

    return Checked


#: the language of an answer's texts (the findings' messages and labels, a stale source's
#: problem in ``X-Polku-Stale`` and ``problem``, the errors): ``?lang=``, else the
#: request's ``Accept-Language``, else Finnish (ids, keys and kinds never change with it)
Words = Depends(api_language)


class PtvFile(BaseModel):
    """One PTV JSON file, as the browser read it."""
    name: str = Field(..., min_length=1, max_length=255, description="The file's name (it "
                      "names the file in messages).")
    text: str = Field(..., description="The file's content: PTV open-API JSON.")


class PtvCatalogue(BaseModel):
    """The catalogue to compare with: the region's PTV files (all of them: a record not
    given reads as gone)."""
    files: list[PtvFile] = Field(..., min_length=1, max_length=500)
    municipality: Union[list[str], None] = Field(
        None, max_length=500, description="Three-digit municipality codes of the region "
        "(default: the graph's region, its actors' regions and its services' areas).")


class PtvPick(PtvCatalogue):
    """The catalogue and the proposed edits to apply."""
    pick: Union[list[int], None] = Field(None, max_length=10000, description="The edits to "
                                         "apply by number (1-based, as the comparison lists "
                                         "them); default: all.")


def ptv_operation(body: PtvCatalogue, pick: list[int] | None = None) -> PtvCompare:
    """The comparison a request asks for; files that are not PTV JSON are a 400 naming
    ``files`` (the message names the file)."""
    from polku.io.ptv import read_ptv_texts

    try:
        catalogue = read_ptv_texts([(f.name, f.text) for f in body.files], "ptv")
    except PolkuError as e:
        # worded in the request's language from the error itself (str(e) was English),
        # located: which of the files is not PTV JSON, and where
        raise ApiError(400, str(e), field="files", cause=e, problems=[]) from None
    return PtvCompare(catalogue, None if body.municipality is None
                      else tuple(body.municipality), None if pick is None else tuple(pick))


def graph_headers(version: Version, tr: Translator | None = None) -> dict[str, str]:
    """ETag always; X-Polku-Stale naming the problem while the last good version is served,
    in ``tr``'s language (the reader's; Finnish without one), one line, percent-encoded
    outside ASCII (:func:`polku.server.http.header_text`), a people cell named, never
    quoted. From the version the answer's body was made from (never the entry's latest),
    so that the ETag names the data sent."""
    headers = {"ETag": f'"{version.etag}"'} if version.etag else {}
    if version.problem is not None:
        headers["X-Polku-Stale"] = header_text(
            problem_worded(version.problem, tr or translator()) or "")
    return headers


def api_router(store: GraphStore, access: Access) -> APIRouter:
    """The ``/api`` routes over ``store``; ``access`` decides who reads what and who may
    write (:mod:`polku.server.auth`)."""
    router = APIRouter(prefix="/api", route_class=checked_route(access))

    def read(name: str, response: Response, tr: Translator) -> tuple[Model, Version]:
        """The graph's version now and its model, the answer's ETag (and X-Polku-Stale, in
        ``tr``'s language) set from it."""
        model, version = store.model(name)
        response.headers.update(graph_headers(version, tr))
        return model, version

    def asked(name: str, response: Response, operation: Any, authorization: Credentials,
              tr: Translator, fields: Mapping[str, str] | None = None
              ) -> tuple[Any, nx.MultiDiGraph, Version]:
        """One operation on the graph's current model, for the reader's audience, the
        graph that reader sees (its answer is worded from it) and the version answered;
        a bad parameter is a 400 naming its field (``fields``: the operation's parameters
        the route names otherwise, :func:`polku.errors.fields_named`)."""
        model, version = read(name, response, tr)
        who = access.audience(authorization)
        try:
            with fields_named(fields or {}):
                return answer(operation, model, who), model.published(who).graph, version
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field, cause=e) from None

    def ask(name: str, response: Response, operation: Any, authorization: Credentials,
            tr: Translator, fields: Mapping[str, str] | None = None
            ) -> tuple[Any, nx.MultiDiGraph]:
        """:func:`asked` without the version."""
        result, g, _ = asked(name, response, operation, authorization, tr, fields)
        return result, g

    @router.get("/graphs", responses=responses(400))
    def graphs(response: Response, tr: Translator = Words) -> list[dict[str, Any]]:
        """Every graph served, with its state (``ok``, ``stale``: its source is broken and
        the last good version is served, ``failed``: it never loaded), its source (and any
        source of the same name it shadows), its ``problem`` (in the request's language),
        and counts by kind. Its ``ETag`` moves with any graph's version."""
        from polku.server.http import versions_tag

        # each entry's version taken once: the list and its ETag are of the same versions
        versions = [(e.source.name, e.version) for e in store.entries()]
        response.headers["ETag"] = versions_tag((n, v.etag or v.state) for n, v in versions)
        return [v.summary(store.shadowed.get(n, []), tr) for n, v in versions]

    @router.get("/compare", responses=responses(400, 409))
    def compare(response: Response, graphs: Union[str, None] = Query(
            None, description="Graph names, comma-separated (default: every graph served)"),
            authorization: Credentials = Reader,
            tr: Translator = Words) -> dict[str, Any]:
        """Regions side by side (``polku compare --format json``): per region, findings
        by kind per 10,000 people in segments, needs covered, median waits on hand-offs,
        the share of referrals where information travels, leads per plan measure; for the
        public small cells left out of the totals (an editor's credential: the true
        figures); ``title`` and ``region_name`` in the request's language where the graph
        gives them (``title_sv``, ``region_name_en``, … beside them). Without ``graphs``,
        every served region is compared: ``not_compared`` names graphs that could not be
        read, ``not_regions`` those left out because they have no client segments (a plan
        on its own), ``merged_left_out`` the merged graphs left out because their regions
        are served on their own (a merged graph served alone is its regions side by side).
        Named graphs are compared as ``polku compare`` compares its files: a
        graph that cannot be read is a 409; an unknown name (with ``did_you_mean`` when
        one is close), a graph that is no region or fewer than two regions a 400; each
        with ``field`` ``graphs``. Its ``ETag`` moves with the versions compared."""
        from polku.present.regions import compared
        from polku.server.compare import served_comparison

        # tr: ``?lang=`` is checked (400 for an unknown one) like on every route, and an
        # error below is worded in the request's language by the error handler
        served = served_comparison(store, graphs, access.audience(authorization))
        if served.result is None:
            raise ApiError(400, N_("compare needs two regions or more"), field="graphs",
                           params={})
        response.headers["ETag"] = served.etag
        return {**compared(served.result, tr.lang), "not_compared": served.problems,
                "not_regions": served.not_regions, "merged_left_out": served.merged_left_out}

    @router.get("/graphs/{name}", responses=READ)
    def graph_info(name: str, response: Response,
                   authorization: Credentials = Reader,
                   tr: Translator = Words) -> dict[str, Any]:
        """What ``polku show --format json`` says in the request's language (the title,
        region, areas, segments with their ``entry_names``, outcomes named as the
        workbook's ``name_sv``/``name_en`` give them; for the public the published
        figures, as ``--suppress``), with the graph's state and source (and a broken
        source's ``problem``, in the request's language)."""
        info, g, version = asked(name, response, Describe(), authorization, tr)
        info = results.described(info, g, tr)
        return {**info, **{k: v for k, v in version.summary(
            store.shadowed.get(name, []), tr).items() if k not in ("counts", "name")}}

    @router.get("/graphs/{name}/findings", responses=READ)
    async def findings(name: str, response: Response,
                       long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
                       severity: str = Query("info", pattern="^(error|warning|info)$"),
                       actor: Union[str, None] = Query(None, description=(
                           "Only the findings this organisation (an actor id) answers for: "
                           "those it or one of its units is accountable for")),
                       tr: Translator = Words,
                       authorization: Credentials = Reader) -> dict:
        """The findings JSON of the spec (``severity`` = lowest severity to include;
        ``lang`` = the language of the messages and of each finding's ``names``, its ids by
        name; ``actor`` = only that organisation's, as ``polku findings --actor``)."""
        from polku.followup import today

        language = tr.lang
        # the public's answer kept with the version is sent from here; anything else (a
        # credential to judge, a version to read or an answer to compute) in the pool
        if long_wait_days == LONG_WAIT_DAYS and actor is None and not carries(authorization):
            found = store.current(name)
            if found is not None:
                model, version = found
                body = model.kept(("api:findings", name, PUBLIC, language, severity, today()))
                if body is not None:
                    return Response(body, media_type="application/json",
                                    headers=graph_headers(version, tr))
        return await run_in_threadpool(findings_answer, name, response, long_wait_days,
                                       severity, tr, authorization, actor)

    def findings_answer(name: str, response: Response, long_wait_days: float, severity: str,
                        tr: Translator, authorization: Credentials,
                        actor: str | None = None) -> Response:
        from polku.followup import effective, today

        language = tr.lang
        model, _ = read(name, response, tr)
        who = access.audience(authorization)

        def body() -> bytes:
            try:  # the model read above, so that the answer is the version it is kept with
                every = answer(Findings(long_wait_days=long_wait_days, severity="info",
                                        actor=actor), model, who)
            except PolkuError as e:
                raise ApiError(400, e.message, field=e.field, cause=e) from None
            g = model.published(who).graph
            keep = SEVERITIES[: SEVERITIES.index(severity) + 1]
            # worded and named from the copy the reader sees, each id named once
            doc: dict[str, Any] = {"graph": name, "findings": named_dicts(
                [f for f in every if f.severity in keep], g, tr)}
            followups = g.graph.get("followups") or {}
            present = {f.key for f in every}
            if actor is not None:  # only this organisation's findings: only their follow-ups
                followups = {k: v for k, v in followups.items() if k in present}
            if followups:
                # each follow-up as it stands: resolved where its finding no longer occurs
                doc["followups"] = effective(followups, present, today())
            return JSONResponse(doc).body

        # the answer is the version's: kept with its model for every later reader (the
        # default threshold and every organisation only, so that odd thresholds and ids
        # cannot fill the memory)
        if long_wait_days != LONG_WAIT_DAYS or actor is not None:
            return Response(body(), media_type="application/json",
                            headers=dict(response.headers))
        key = ("api:findings", name, who, language, severity, today())
        return Response(model.memo(key, body), media_type="application/json",
                        headers=dict(response.headers))

    @router.get("/graphs/{name}/review", responses=READ)
    def review(name: str, response: Response,
               since: str = Query(..., description="The last review: a version of the "
                                  "change log (3) or a day (2026-12-01 or 1.12.2026; the "
                                  "last version before it began)"),
               long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
               max_concurrent_leads: int = Query(MAX_CONCURRENT_LEADS, description=(
                   "actor-overload fires when an actor leads more plan measures than this "
                   "in one month")),
               actor: Union[str, None] = Query(None, description="Only the findings this "
                                               "actor (an actor id) is accountable for"),
               tr: Translator = Words,
               authorization: Credentials = Reader) -> dict[str, Any]:
        """What changed since the last review (``polku findings --since``): the findings
        created and resolved since then, worded and named in ``lang``, and the follow-ups
        past their due date. For the public both versions are the published copies."""
        history, version = store.history(name)
        assert version.model is not None
        response.headers.update(graph_headers(version, tr))
        who = access.audience(authorization)
        try:
            result = answer(Review(since=since, history=history,
                                   long_wait_days=long_wait_days,
                                   max_concurrent_leads=max_concurrent_leads, actor=actor),
                            version.model, who)
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field, cause=e) from None
        return {"graph": name, **results.review_worded(
            result, version.model.published(who).graph, tr)}

    @router.get("/graphs/{name}/actions", responses=READ,
                response_class=Response)
    def actions(name: str, response: Response,
                format: str = Query("csv", pattern=f"^({'|'.join(ACTION_FORMATS)})$"),
                actor: str | None = Query(None, description=(
                    "Only the findings this actor or one of its units answers for, under "
                    "its organisation; a finding nobody answers for is no one's.")),
                tr: Translator = Words,
                authorization: Credentials = Reader) -> Response:
        """The action list per organisation (``polku actions``) as a download: .csv, .xlsx,
        JSON or the terminal's table (.txt), headings and words in ``lang``; worded from the
        graph the reader sees."""
        from polku.graph import title as graph_title
        from polku.present.actions import action_list

        # an unknown actor is a bad parameter (400 naming it; 404 is for the path)
        found, g = ask(name, response, Findings(severity="info", actor=actor), authorization, tr)
        kind = ACTION_FORMATS[format]
        rows = action_list(g, found, actor, tr, plain=kind.plain)
        stem = f"{name}-actions" + (f"-{actor}" if actor else "")
        headers = dict(response.headers)
        headers["Content-Disposition"] = f'attachment; filename="{stem}.{kind.suffix}"'
        whose = tr.label(g, actor) if actor else ""
        return Response(kind.write(name, graph_title(g, tr.lang, name), rows, tr, whose),
                        media_type=kind.media_type, headers=headers)

    @router.get("/graphs/{name}/suggestions", responses=READ)
    def suggestions(name: str, response: Response,
                    finding: str | None = Query(None, description="A finding's key: only its "
                                                "suggestions."),
                    long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
                    authorization: Credentials = Reader, tr: Translator = Words) -> dict:
        """Verified suggestions (``polku suggest``): edits in this API's own terms (action,
        sheet, key, row) that resolve a finding and create no error, checked on a copy of
        the graph the reader sees (the public's has its small cells left out). ``worded``
        says each, in the same order, in the request's language: its finding's sentence,
        its edits and what it resolves and creates; a capacity's ``predicted`` says the
        queueing what-if's figures after it and ``before`` it (``utilization``: inflow /
        the nominal capacity; ``modelled_utilization``: the model's). ``declined`` lists
        the capacity raises not offered because they would barely shorten the wait (the
        over-capacity is nominal, the wait mostly lead time), ``declined_worded`` says
        why."""
        from polku.ops.operations import Suggestions

        result, g = ask(name, response, Suggestions(finding=finding,
                                                    long_wait_days=long_wait_days),
                        authorization, tr)
        return {"graph": name, **results.suggestions_worded(result, g, tr)}

    @router.get("/graphs/{name}/bottlenecks", responses=READ)
    def bottlenecks(name: str, response: Response,
                    top: int = Query(20, description="How many services each ranking "
                                     "lists (1 to 100 000)",
                                     # the bounds the operation checks, in its own words
                                     json_schema_extra={"minimum": 1, "maximum": MAX_TOP}),
                    tr: Translator = Words,
                    authorization: Credentials = Reader) -> dict:
        """Betweenness and flow ranking. A row's ``utilization`` is the nominal
        utilisation, inflow / ``capacity`` (null without a capacity, when the capacity is 0
        and when the inflow is not known), not the what-if's ``modelled_utilization``."""
        ranking, g = ask(name, response, Bottlenecks(top=top), authorization, tr)
        return results.bottlenecks_sent(results.bottlenecks_worded(ranking, g, tr))

    @router.get("/graphs/{name}/paths", responses=READ)
    # k's bounds are the operation's check (its words on every door), not the query type's
    def paths(name: str, response: Response, segment: str,
              k: int = Query(5, description="how many best paths: 1 to 50"),
              to: str | None = None,
              tr: Translator = Words,
              authorization: Credentials = Reader) -> dict:
        """The k best and the designed paths of a segment."""
        report, g = ask(name, response, Paths(segment=segment, k=k, to=to), authorization, tr)
        return results.paths_worded(report, g, tr)

    @router.get("/graphs/{name}/blueprint", responses=READ)
    def blueprint(name: str, response: Response,
                  subject: str = Query(..., description="a designed path's id, or a client "
                                       "segment's (its k best paths)"),
                  k: int = Query(5, description="a segment's blueprint: how many best "
                                 "paths, 1 to 50"),
                  to: str | None = Query(None, description="a segment's best paths to this "
                                         "outcome only (as the paths' to)"),
                  tr: Translator = Words,
                  authorization: Credentials = Reader) -> dict:
        """A service blueprint as data: per path its lanes (the client's, then one per
        organisation), steps, hand-offs (wait, clients a month, whether information travels,
        owner), the needs each step meets and the needs left uncovered; names in ``lang``.
        The page ``/graphs/NAME/view?view=blueprint:ID`` draws it."""
        data, g = ask(name, response, Blueprint(subject=subject, k=k, to=to or None),
                      authorization, tr)
        return {"graph": name, **results.blueprint_worded(data, g, tr)}

    @router.get("/graphs/{name}/whatif", responses=READ)
    def whatif(name: str, response: Response, remove: str | None = None,
               capacity: list[str] = Query([], description="SERVICE=N: a service's new "
                                           "capacity a month (repeatable)"),
               places: list[str] = Query([], description="SERVICE=C: a service's parallel "
                                         "places (repeatable)"),
               demand: list[str] = Query([], description="SERVICE=+20%: a change of demand "
                                         "at a service, in percent (repeatable)"),
               long_wait_days: float = Query(LONG_WAIT_DAYS, ge=0, le=1e6),
               calibrate: bool = Query(True, description="model each service with an "
                                       "observed wait at the capacity that reproduces it"),
               segment: str | None = Query(None, description="a client segment: only its "
                                           "services (those it can reach) may be changed or "
                                           "removed, as on the what-if page"),
               tr: Translator = Words,
               authorization: Credentials = Reader) -> dict:
        """Findings created and resolved by removing a service, actor or referral
        (``remove``); or, with ``capacity``/``places``/``demand``, every affected
        service's queue (inflow, capacity, places, ``modelled_utilization``: the modelled
        utilisation, inflow / the capacity the model serves at, the effective one where it
        is calibrated, not the bottleneck ranking's nominal ``utilization``; predicted
        ``wait_days``, ``unstable``, ``effective_capacity``) before and after, calibrated to
        the observed waits unless ``calibrate=false``, with the findings created and
        resolved, as ``polku whatif --format json``. With ``segment``, a service not of
        that client segment is refused, as the what-if page refuses it.
        A bad value answers 400 naming its parameter in ``field``."""
        try:
            operation = whatif_operation(remove, capacity, places, demand,
                                         calibrate=calibrate, long_wait_days=long_wait_days,
                                         segment=segment)
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field, cause=e) from None
        result, g = ask(name, response, operation, authorization, tr)
        return WORDED[operation.name](result, g, tr)

    @router.post("/graphs/{name}/ptv/compare", responses=responses(400, 404, 409, 413))
    def ptv_compare(name: str, response: Response, body: PtvCatalogue,
                    authorization: Credentials = Reader, tr: Translator = Words) -> dict:
        """What differs between the graph and the national service catalogue (PTV), as
        ``polku ptv compare --format json``: ``missing``, ``gone``, ``changed`` and the
        proposed ``edits`` in this API's own terms, with names in the request's language
        beside the codes (``summary``: the counts as a sentence; each entry's ``label``, a
        changed one's ``values_shown``; each edit's ``label``: the edit as a sentence, its
        ``name`` and ``column_names``). The answer's ``ETag`` is the version
        compared: apply the edits with it. Files up to 16 MiB in all."""
        from polku.present.ptv_compare import ptv_worded

        operation = ptv_operation(body)
        result, g = ask(name, response, operation, authorization, tr, PTV_BODY)
        return {"graph": name, **ptv_worded(result, g, tr, operation.catalogue.code_names)}

    @router.post("/graphs/{name}/ptv/apply", responses=WRITE)
    def ptv_apply(name: str, body: PtvPick, authorization: Credentials = Bearer,
                  if_match: str | None = IfMatch, tr: Translator = Words):
        """Apply the proposed edits of the comparison (those ``pick`` names, or all) as one
        change in the change log, undone as one by ``/undo``. The comparison is made again
        on the version ``If-Match`` names, so the numbers are the ones the reader saw."""
        who = access.writer(authorization)
        model, _ = store.model(name)  # 404 before anything else about the request
        lang = tr.lang
        operation = ptv_operation(body, body.pick)
        try:
            with fields_named(PTV_BODY):
                chosen = operation.chosen(answer(operation, model, EDITOR))
        except PolkuError as e:
            raise ApiError(400, e.message, field=e.field, cause=e) from None
        result = store.edit_batch(name, if_match, who.name, chosen, "ptv compare", lang=lang,
                                  check=access.row_check(who), identity=who.identity())
        return JSONResponse(result, headers={"ETag": f'"{result["etag"]}"'})

    @router.get("/graphs/{name}/plan", responses=READ)
    def plan(name: str, response: Response, tr: Translator = Words) -> dict:
        """The plan layer, as ``polku plan show --format json``, with the ``graph`` named
        as every graph's answer names it."""
        from polku.io.plan import plan_summary

        model, _ = read(name, response, tr)
        return {"graph": name, **plan_summary(model.graph)}

    @router.get("/graphs/{name}/export", responses=READ, response_class=PlainTextResponse)
    def export(name: str, format: str = ExportFormat, authorization: Credentials = Reader,
               tr: Translator = Words):
        """The graph as Turtle or JSON-LD (for the public, small cells left out)."""
        model, version = store.model(name)
        g = model.published(access.audience(authorization)).graph
        fmt = formats.get(format)
        return PlainTextResponse(fmt.as_text(g), media_type=fmt.media_type,
                                 headers=graph_headers(version, tr))

    # -- rows -----------------------------------------------------------------------------
    @router.get("/graphs/{name}/rows/{sheet}", responses=READ)
    def rows(name: str, response: Response, sheet: str = SheetName,
             authorization: Credentials = Reader, tr: Translator = Words) -> dict:
        """A sheet's rows as cell text, each with its key (for the public, a small cell
        that counts people reads ``<5``)."""
        sheets, version = store.sheets(name)
        known_sheet(sheet)
        response.headers.update(graph_headers(version, tr))
        header, body = sheets.get(sheet, ([c.name for c in workbook.SHEETS[sheet].columns], []))
        who = access.audience(authorization)
        if who != EDITOR:  # the columns a public row leaves out (privacy.PERSONAL_COLUMNS)
            header = [c for c in header if c not in PERSONAL_COLUMNS.get(sheet, ())]
            body = [r for r in body if row_read(version, sheet, r)]
        return {"graph": name, "sheet": sheet, "key_columns": list(edits.key_columns(sheet)),
                "header": header,
                # each cell as the workbook reader reads it: the formula guard a CSV
                # sheet carries ('=…) taken off, as the write and the change log give it
                "rows": [{"key": edits.row_key(sheet, r),
                          "values": workbook.unneutral_row(row_for(who, sheet, r))}
                         for r in body]}

    def row_read(version: Any, sheet: str, row: dict) -> bool:
        """Whether the public reads ``row``: every row but a follow-up that the public's
        rule leaves out (:meth:`polku.ops.model.Model.followup_shown`)."""
        if sheet != "followups":
            return True
        shown = version.followup_shown()
        return shown is not None and shown(str(row.get("finding") or ""))

    @router.get("/graphs/{name}/rows/{sheet}/{key}", responses=READ)
    def row(name: str, response: Response, sheet: str = SheetName, key: str = RowKey,
            authorization: Credentials = Reader, tr: Translator = Words) -> dict:
        """One row as cell text."""
        sheets, version = store.sheets(name)
        known_sheet(sheet)
        response.headers.update(graph_headers(version, tr))
        try:
            index = edits.find_row(sheets, sheet, key)
            found = sheets[sheet][1][index]
        except edits.RowNotFound as e:
            raise ApiError(404, e.message, field="key", cause=e) from None
        except edits.EditConflict as e:
            raise ApiError(409, e.message, field="key", cause=e) from None
        who = access.audience(authorization)
        if who != EDITOR and not row_read(version, sheet, found):
            # answered as a row that is not there: the public does not learn that it is
            e = edits.RowNotFound(N_("no row '{key}' in sheet '{sheet}'"), sheet=sheet,
                                  params={"key": key, "sheet": sheet})
            raise ApiError(404, e.message, field="key", cause=e)
        key = edits.row_key(sheet, found)
        found = row_for(who, sheet, found) or found
        return {"graph": name, "sheet": sheet, "key": key,
                "values": workbook.unneutral_row(found)}

    def write(name: str, authorization: Credentials, if_match: str | None, action: str,
              sheet: str, key: str | None, body: Any, status: int,
              lang: str | None = None) -> JSONResponse:
        who = access.writer(authorization)
        store.entry(name, refresh=False)  # 404 before anything else about the request
        known_sheet(sheet)
        values = None
        if body is not None:
            if not isinstance(body, dict):
                raise ApiError(400, N_("the body is a JSON object: column → value"),
                               field="body")
            try:
                values = edits.row_values(sheet, body)
            except edits.RowNotFound as e:
                raise ApiError(404, e.message, field="sheet", cause=e) from None
            except PolkuError as e:
                raise ApiError(400, e.message, field=e.field or e.column, cause=e) from None
        result = store.edit(name, if_match, who.name, action, sheet, key, values, lang=lang,
                            check=access.row_check(who), identity=who.identity())
        return JSONResponse(result, status_code=status, headers={"ETag": f'"{result["etag"]}"'})

    @router.post("/graphs/{name}/rows/{sheet}", status_code=201, responses=WRITE)
    def create_row(name: str, sheet: str = SheetName, body: dict[str, Cell] = RowBody,
                   authorization: Credentials = Bearer, if_match: str | None = IfMatch,
                   tr: Translator = Words):
        """Add a row. Checked with exactly the workbook import's rules (422 with the same
        message, sheet and column), refused whole on any problem, written atomically, and
        logged. Answers the change, the new ETag and the findings created and resolved."""
        return write(name, authorization, if_match, "create", sheet, None, body, 201, tr.lang)

    @router.patch("/graphs/{name}/rows/{sheet}/{key}", responses=WRITE)
    def update_row(name: str, sheet: str = SheetName, key: str = RowKey,
                   body: dict[str, Cell] = RowBody, authorization: Credentials = Bearer,
                   if_match: str | None = IfMatch,
                   tr: Translator = Words):
        """Change the columns given (an empty value or null clears a cell)."""
        return write(name, authorization, if_match, "update", sheet, key, body, 200, tr.lang)

    @router.delete("/graphs/{name}/rows/{sheet}/{key}", responses=WRITE)
    def delete_row(name: str, sheet: str = SheetName, key: str = RowKey,
                   authorization: Credentials = Bearer, if_match: str | None = IfMatch,
                   tr: Translator = Words):
        """Delete a row (refused when other rows still refer to it)."""
        return write(name, authorization, if_match, "delete", sheet, key, None, 200, tr.lang)

    @router.get("/graphs/{name}/changes", responses=responses(400, 404, 409))
    def changes(name: str, response: Response,
                limit: int = Query(100, ge=1, le=10000),
                authorization: Credentials = Reader, tr: Translator = Words) -> dict:
        """The change log, newest first: version, time, action, sheet, key, and the row
        before and after. An editor or admin also reads who made each change (``who``: the
        token's name, or the signed-in person's name with their ``sub`` and
        ``organisations``), its ``source``, ``format`` and ``added_columns``; everyone else
        (the public, a viewer) reads what changed and when, not who: those fields are left
        out, small cells read ``<5``, and a change between two small cells has no key and no
        rows."""
        # the version before the log is read: an ETag never newer than the changes listed
        version = store.entry(name).version
        response.headers.update(graph_headers(version, tr))
        changes = store.changes(name, limit)
        return {"graph": name, "changes": changes_for(access.audience(authorization), changes,
                                                      followup_shown=version.followup_shown())}

    @router.post("/graphs/{name}/undo", responses=WRITE)
    def undo(name: str, authorization: Credentials = Bearer, if_match: str | None = IfMatch,
             tr: Translator = Words):
        """Revert the latest change not yet undone, as a new change (409 when there is
        none)."""
        who = access.writer(authorization)
        store.entry(name, refresh=False)
        result = store.edit(name, if_match, who.name, "undo", "", lang=tr.lang,
                            check=access.row_check(who), identity=who.identity())
        return JSONResponse(result, headers={"ETag": f'"{result["etag"]}"'})

    return router
