"""The API's OpenAPI schema (``/openapi.json``, ``/docs``): FastAPI's, completed with what
it cannot learn from the routes' signatures.

The routes build their answers as plain data (the analyses' dicts, worded at the edge), so
FastAPI sees ``dict`` and would say "any object". :data:`ANSWERS` says what each main
route's success answer holds, as JSON Schema (fields, types, required ones; no field that
is not listed): documentation only, never run over an answer by the server.
``tests/test_openapi_answers.py`` validates real answers against it, so the two cannot
drift apart. :func:`completed` also names the media types of the downloads (``/actions``,
``/export``), and adds the two statuses every route answers whatever it is: 405 (a method
the path does not take) everywhere, and 304 (``If-None-Match`` naming the answer's ETag)
on every GET of a graph, whose answers carry one (:class:`polku.server.http.Revalidation`).
"""

from __future__ import annotations

from typing import Any

from polku.followup import STATUSES as FOLLOWUP_STATUSES
from polku.kinds import KIND_CATALOGUE
from polku.server.contract import STATUSES

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
NULL: Schema = {"type": "null"}
#: a JSON object holding anything (a finding's metrics: they differ by kind)
ANY_OBJECT: Schema = {"type": "object"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, NULL]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def mapping(values: Schema, description: str = "") -> Schema:
    """An object whose keys are data (ids, column names) and whose values are ``values``."""
    out: Schema = {"type": "object", "additionalProperties": values}
    return {**out, "description": description} if description else out


def about(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def record(description: str, required: dict[str, Schema],
           optional: dict[str, Schema] | None = None) -> Schema:
    """An object with exactly these fields: ``required`` always present, ``optional`` only
    where the answer has something to say."""
    return {"type": "object", "description": description,
            "properties": {**required, **(optional or {})},
            "required": list(required), "additionalProperties": False}


IDS = array(STR)
#: a workbook row as cell text, column -> text (for the public a small count reads ``<5``)
ROW = mapping(STR, "A workbook row as cell text: column → text (for a reader without an "
                   "editor's credential a count of 1–4 people reads `<5`).")
PROBLEM = record("A problem of the workbook rules, as a refused row's are listed.", {
    "message": about(STR, "Located: file, sheet, row, column, and what is wrong."),
    "text": about(STR, "What is wrong, alone."),
    "sheet": nullable(STR), "row": nullable(INT),
    "field": about(nullable(STR), "The column (or node) it is about.")})
STATE = about({"type": "string", "enum": ["ok", "stale", "failed"]},
              "ok; stale: the source is broken and its last good version is served; "
              "failed: it never loaded.")
COUNTS = mapping(INT, "How many nodes of each type (actor, service, outcome, need, "
                      "segment, referral, path, goal, measure, indicator, risk, "
                      "responsibility).")
#: what the API says of a served graph's version (:meth:`polku.server.store.Version.summary`)
SERVED = {
    "id": about(nullable(STR), "The graph's own id (its graph sheet's)."),
    "title": about(nullable(STR), "In the request's language where the graph gives one."),
    "state": STATE,
    "source": about(STR, "The file or folder served, relative to the served folder."),
    "kind": about(STR, "workbook, xlsx, turtle, jsonld or neo4j."),
    "shadowed": about(IDS, "Sources of the same name this one wins over."),
    "problem": about(nullable(STR), "A broken source's first problem, in the request's "
                                    "language (never a cell's text)."),
    "warnings": about(array(ref("WorkbookProblem")), "The workbook's warnings (names "
                                                     "polku does not read)."),
    "etag": about(nullable(STR), "The version served: what a write's If-Match names."),
}
SEVERITY = {"type": "string", "enum": ["error", "warning", "info"]}
FINDING_FIELDS: dict[str, Schema] = {
    "kind": {"type": "string", "enum": sorted(KIND_CATALOGUE)},
    "severity": SEVERITY,
    "subject": about(STR, "The id the finding is about."),
    "related": about(IDS, "Other ids involved."),
    "message": about(STR, "The finding as a sentence, in the request's language."),
    "metrics": about(ANY_OBJECT, "The figures behind it (they differ by kind: "
                                 "docs/findings.md)."),
    "accountable": about(IDS, "Who must act: the accountable organisations' ids."),
    "measures": about(IDS, "The plan measures that address it."),
    "key": about(STR, "Its stable key, which a follow-up names it by."),
}
#: what a finding in the findings and review answers adds for people: its ids by name
NAMED_FINDING_FIELDS: dict[str, Schema] = {**{k: v for k, v in FINDING_FIELDS.items()
                                              if k != "key"},
                                           "names": mapping(STR, (
    "Every id the finding mentions (subject, related, accountable, measures) → its name "
    "in the request's language, as the messages and the findings table name it: a "
    "referral by its two ends, a plan measure by its number and whole title, a name "
    "missing in that language by the next one (fi, sv, en), a node of a merged graph with "
    "its region; an id the graph does not hold as itself.")),
                                           "key": FINDING_FIELDS["key"]}
VANISHED = {**FINDING_FIELDS, "reason": about(
    {"type": "string", "enum": ["resolved", "removed", "unreachable"]},
    "Why it is gone: resolved, gone with what was removed, or no longer reachable.")}
FOLLOW_UP = record("A finding's follow-up as it stands.", {
    "finding": about(STR, "The finding's key."),
    "status": about({"type": "string", "enum": list(FOLLOWUP_STATUSES)},
                    "resolved where the finding no longer occurs."),
    "recorded_status": about(nullable(STR), "What the sheet says."),
    "overdue": BOOL,
}, {"owner": STR, "due": STR, "note": STR, "updated": STR, "by": STR,
    "extra": about(ANY_OBJECT, "The sheet's extra columns.")})
FLOW = nullable(NUM)
RANKED_SERVICE = record("A service in a ranking.", {
    "service": STR, "label": about(STR, "Its name in the request's language."),
    "betweenness": NUM, "inflow": about(FLOW, "Clients a month (null: not known)."),
    "outflow": FLOW, "capacity": FLOW, "utilization": FLOW,
    "hidden": about(BOOL, "Its inflow rests on a small cell left out: its flow is not "
                          "shown."),
    "rank": INT, "betweenness_rank": INT, "flow_rank": INT,
}, {"outflow_partial": about(BOOL, "Of the volumes shown: at least this."),
    "inflow_at_least": NUM, "utilization_at_least": nullable(NUM)})
PATH_STEP = record("A step of a path.", {
    "node": STR, "label": STR, "type": {"type": "string", "enum": ["service", "outcome"]},
    "providers": IDS, "provider_labels": array(STR), "organisations": IDS,
    "referral": about(nullable(STR), "The referral that leads here (null: the first "
                                     "step)."),
    "wait": about(nullable(NUM), "Days (null: nobody knows, or the first step)."),
    "owner": nullable(STR), "owner_label": nullable(STR),
    "handoff": about(BOOL, "From one organisation to another."), "eligible": BOOL,
}, {"broken": about(BOOL, "A designed path's step no referral leads to.")})
PATH_FIGURES = {"total_wait_days": NUM, "handoffs": INT, "unknown_waits": INT,
                "organisations": INT, "covered": IDS, "uncovered": IDS,
                "uncovered_labels": array(STR)}
RANKED_PATH = record("One of the k best paths.", {
    "steps": array(ref("PathStep")), "outcome": STR, **PATH_FIGURES, "rank": INT,
    "decided_by": about(nullable(STR), "The rank key that puts it below the path above "
                                       "(null for the first).")})
DESIGNED_PATH = record("A designed path of the segment.", {
    "path": STR, "label": STR, "segment": nullable(STR), "steps": array(ref("PathStep")),
    "broken": about(array(ref("Finding")), "Its path-broken findings."), **PATH_FIGURES})
QUEUE_STATE = record("A service's queue before or after the changes.", {
    "inflow": nullable(NUM), "capacity": nullable(NUM), "places": nullable(INT),
    "modelled_utilization": about(nullable(NUM), "Inflow ÷ the effective capacity (the "
                                  "queue model's; a bottleneck row's utilization is the "
                                  "nominal one)."),
    "wait_days": nullable(NUM), "unstable": nullable(BOOL),
    "effective_capacity": nullable(NUM)})
BEFORE_AFTER = record("", {"before": nullable(NUM), "after": nullable(NUM)})
QUEUE_SERVICE = record("An affected service.", {
    "label": STR, "hidden": BOOL,
    "partial": about(BOOL, "Hidden (true) because the change reaches it through a referral "
                           "with a small volume left out or a service whose inflow is "
                           "hidden: the published figures give only a partial inflow after "
                           "the change. Its own published inflow before the change is "
                           "inflow_at_least.before."),
    "observed_wait_days": nullable(NUM),
    "observed_hidden": BOOL,
    "calibration": nullable(record("", {"effective_capacity": NUM, "ratio": NUM,
                                        "lead_days": NUM})),
    "before": ref("QueueState"), "after": ref("QueueState"),
}, {"inflow_at_least": BEFORE_AFTER})
CREATED_RESOLVED = record("The findings a change creates and resolves.", {
    "created": array(ref("Finding")), "resolved": array(ref("Finding"))})
CHANGE_ROW = record("One row of a batch.", {
    "action": STR, "sheet": STR, "key": nullable(STR)},
    {"before": nullable(ROW), "after": nullable(ROW)})
CHANGE = record(
    "A change-log entry. A reader without an editor's credential reads who made it "
    "nowhere: `who`, `sub`, `organisations`, `source`, `format` and `added_columns` are "
    "the editor's only; a follow-up the public does not read, and a change the public "
    "would read as none (one small cell to another, `<5` → `<5`), is a change with no "
    "key and no rows (a batch's row too).", {
        "version": INT, "time": about(STR, "UTC, ISO 8601."),
        "action": {"type": "string", "enum": ["create", "update", "delete", "undo", "batch"]},
        "sheet": nullable(STR), "key": nullable(STR),
    }, {
        "before": about(nullable(ROW), "The row before (null: none)."),
        "after": about(nullable(ROW), "The row after (null: none)."),
        "format": INT, "who": about(STR, "The token's name or the signed-in person's."),
        "sub": STR, "organisations": IDS, "source": STR,
        "undoes": about(INT, "The version an undo reverted."),
        "added_columns": about(array(STR), "Known columns the sheet's header gained."),
        "changes": about(array(ref("ChangeRow")), "A batch's rows."), "note": STR})

COMPONENTS: dict[str, Schema] = {
    "WorkbookProblem": PROBLEM,
    "GraphEntry": record("A served graph.", {
        "name": about(STR, "How the API names it."), **SERVED,
        "counts": nullable(COUNTS)}),
    "GraphSummary": record("What `polku show` says, with the graph's state and source.", {
        "graph": STR, "title": nullable(STR), "region": nullable(STR),
        "illustrative": BOOL, "counts": COUNTS,
        "regions": about(array(STR), "The areas the graph's nodes serve."),
        "people_in_segments": about(NUM, "The sum of the sizes shown."),
        "referral_volume_per_month": NUM,
        "segments": array(record("A client segment.", {
            "id": STR, "name": STR,
            "size": about({"anyOf": [NUM, STR, NULL]}, "People; `<5` for a small cell "
                                                       "left out."),
            "participation_rate": nullable(NUM), "entries": IDS,
            "entry_names": about(array(STR), "The entries' names, in the entries' order, "
                                             "in the reader's language.")})),
        "entry_services": IDS,
        "outcomes": array(record("An outcome.", {"id": STR, "name": STR})),
        **SERVED,
    }, {"partial": about(array(STR), "The totals that leave small cells out (at least "
                                     "this)."),
        "merged_regions": about(array(STR), "A merged graph's regions, by name in the "
                                            "request's language."),
        "areas_by_region": about(array(record("The areas one region's nodes serve.", {
            "region": about(STR, "The region's name in the request's language (the actors "
                                 "the regions share: so named)."),
            "areas": array(STR)})), "A merged graph's areas served, region by region.")}),
    "Finding": record("A finding (docs/findings.md).", FINDING_FIELDS),
    "NamedFinding": record("A finding (docs/findings.md) with its ids by name.",
                           NAMED_FINDING_FIELDS),
    "VanishedFinding": record("A finding a removal made vanish.", VANISHED),
    "FollowUp": FOLLOW_UP,
    "Findings": record("The findings JSON of the spec.", {
        "graph": STR, "findings": array(ref("NamedFinding"))},
        {"followups": about(mapping(ref("FollowUp")), "The follow-ups, by finding key.")}),
    "Review": record("What changed since the last review, as `polku findings --since "
                     "--format json`.", {
        "graph": STR,
        "since": record("The version compared with.", {
            "version": INT, "time": about(nullable(STR), "When it was logged (UTC, ISO "
                                                         "8601; null: version 0).")}),
        "created": about(array(ref("NamedFinding")), "Findings new since then."),
        "resolved": about(array(ref("NamedFinding")), "Findings gone since then (worded and "
                                                      "named from the graph of then)."),
        "overdue": about(array(ref("FollowUp")), "Open follow-ups past their due date.")}),
    "RankedService": RANKED_SERVICE,
    "Bottlenecks": record("Betweenness and flow ranking.", {
        "graph": STR, "by_betweenness": array(ref("RankedService")),
        "by_flow": array(ref("RankedService")),
        "findings": about(array(ref("Finding")), "The bottleneck findings.")}),
    "PathStep": PATH_STEP,
    "RankedPath": RANKED_PATH,
    "DesignedPath": DESIGNED_PATH,
    "Paths": record("A segment's k best and designed paths.", {
        "graph": STR, "segment": STR, "segment_label": STR,
        "entries": about(IDS, "The segment's entry services (none: no path can start)."),
        "to": nullable(STR), "to_label": nullable(STR),
        "needs": IDS, "need_labels": array(STR),
        "best": array(ref("RankedPath")),
        "search": record("Whether the best paths are exactly the best.", {
            "exact": BOOL, "expanded": INT, "max_expansions": INT}),
        "designed": array(ref("DesignedPath")),
        "met_off_path": mapping(IDS, "Needs every best path leaves uncovered → the "
                                     "services off the paths that meet them."),
        "met_off_path_labels": array(record("", {
            "need": STR, "need_label": STR, "services": IDS,
            "service_labels": array(STR)}))}),
    "Removal": record("What removing a service, actor or referral changes.", {
        "graph": STR, "removed": STR, "removed_type": STR,
        "removed_label": about(STR, "The removed node's name alone, in the request's "
                                      "language (its id is `removed`)."),
        "removed_ids": about(IDS, "Everything that goes with it."),
        "removed_labels": mapping(STR, "Each removed id → its name."),
        "created": array(ref("Finding")),
        "resolved": array(ref("VanishedFinding")),
        "removed_with": array(ref("VanishedFinding")),
        "before": about(INT, "Findings before."), "after": about(INT, "Findings after.")}),
    "QueueState": QUEUE_STATE,
    "QueueService": QUEUE_SERVICE,
    "Queueing": record("Every affected service's queue before and after, as `polku "
                       "whatif --format json`.", {
        "graph": STR, "days_per_month": NUM, "calibrated": BOOL,
        "min_cell": about(nullable(INT), "The threshold a hidden figure is under (null: "
                                         "none hidden)."),
        "changes": record("The changes asked.", {
            "capacity": mapping(NUM), "places": mapping(INT),
            "demand": mapping(NUM, "A fraction: 0.2 for +20 %.")}),
        "services": mapping(ref("QueueService")),
        "findings": CREATED_RESOLVED,
        "observed": record("Where the observed waits come from.", {
            "source": {"type": "string", "enum": ["graph", "eventlog"]}},
            {"log": ANY_OBJECT, "referrals": IDS})}),
    "ChangeRow": CHANGE_ROW,
    "Change": CHANGE,
    "Changes": record("The change log, newest first.", {
        "graph": STR, "changes": array(ref("Change"))}),
    "Rows": record("A sheet's rows as cell text.", {
        "graph": STR, "sheet": STR, "key_columns": IDS,
        "header": about(array(STR), "The sheet's columns (extra ones too)."),
        "rows": array(record("A row and its key.", {"key": STR, "values": ROW}))}),
    "Row": record("One row as cell text.", {
        "graph": STR, "sheet": STR, "key": STR, "values": ROW}),
    "Written": record("A write's answer: the logged change, the new ETag, the findings "
                      "created and resolved.", {
        "change": about(nullable(ref("Change")), "null: the write changed nothing."),
        "etag": STR, "findings": CREATED_RESOLVED,
    }, {"unchanged": about({"type": "boolean", "enum": [True]},
                           "The write changed nothing: nothing written or logged."),
        "message": about(STR, "What was saved, in the request's language.")}),
}

#: each main route's success answer: (method, path) -> its schema
ANSWERS: dict[tuple[str, str], Schema] = {
    ("get", "/api/graphs"): array(ref("GraphEntry")),
    ("get", "/api/graphs/{name}"): ref("GraphSummary"),
    ("get", "/api/graphs/{name}/findings"): ref("Findings"),
    ("get", "/api/graphs/{name}/review"): ref("Review"),
    ("get", "/api/graphs/{name}/bottlenecks"): ref("Bottlenecks"),
    ("get", "/api/graphs/{name}/paths"): ref("Paths"),
    ("get", "/api/graphs/{name}/whatif"): {"anyOf": [ref("Removal"), ref("Queueing")]},
    ("get", "/api/graphs/{name}/rows/{sheet}"): ref("Rows"),
    ("get", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Row"),
    ("get", "/api/graphs/{name}/changes"): ref("Changes"),
    ("post", "/api/graphs/{name}/rows/{sheet}"): ref("Written"),
    ("patch", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Written"),
    ("delete", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Written"),
    ("post", "/api/graphs/{name}/undo"): ref("Written"),
    ("post", "/api/graphs/{name}/ptv/apply"): ref("Written"),
}

#: how every error is answered: JSON, or a page to a browser (an Accept naming text/html
#: before JSON: polku.app.wants_html)
ERROR_CONTENT = {"application/json": {"schema": ref("ErrorBody")},
                 "text/html": {"schema": STR}}
NOT_MODIFIED = {"description": "Not Modified: `If-None-Match` names the answer's ETag "
                               "(no body)."}


def media(*types: str, binary: tuple[str, ...] = (),
          json: Schema | None = None) -> dict[str, Schema]:
    """A download's content: each media type (parameters left out) as text, bytes, or
    JSON (``application/json``, ``…+json``): ``json``, else any object."""
    def body(kind: str) -> Schema:
        sub = kind.split(";")[0].strip().removeprefix("application/")
        if sub == "json" or (sub != kind and sub.endswith("+json")):
            return json or ANY_OBJECT
        return {"type": "string", "format": "binary"} if kind in binary else STR

    return {t.split(";")[0].strip(): {"schema": body(t)} for t in types}


def downloads() -> dict[tuple[str, str], dict[str, Schema]]:
    """The media types of the routes that answer files: (method, path) -> content."""
    from polku.io import formats
    from polku.present.actions import ACTION_FORMATS

    kinds = ACTION_FORMATS.values()
    actions = media(*(f.media_type for f in kinds),
                    binary=tuple(f.media_type for f in kinds if f.binary),
                    json=record("The action list for programs.", {
                        "graph": STR, "actions": about(array(ANY_OBJECT), "A row per "
                                                       "organisation and finding.")}))
    export = media(*(formats.get(n).media_type or "text/plain"
                     for n in formats.text_formats()))
    return {("get", "/api/graphs/{name}/actions"): actions,
            ("get", "/api/graphs/{name}/export"): export}


#: the routes without a graph in their path whose answers are made from graphs (their ETag
#: is made of the graphs' versions)
MADE_OF_GRAPHS = frozenset({"/api/graphs", "/api/compare"})


def completed(schema: Schema) -> Schema:
    """``schema`` (FastAPI's) with the success answers, the downloads' media types, and
    304 and 405 where they are answered."""
    schema.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    paths = schema.get("paths", {})
    for (method, path), answer in ANSWERS.items():
        responses = paths[path][method]["responses"]
        ok = next(s for s in responses if s.startswith("2"))
        responses[ok]["content"] = {"application/json": {"schema": answer}}
    for (method, path), content in downloads().items():
        paths[path][method]["responses"]["200"]["content"] = content
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("405", {"description": STATUSES[405][1]})
            for status, response in responses.items():
                if status == "405" or "/ErrorBody" in str(response):
                    # the one error shape, whatever the route answers when it succeeds
                    # (a download, a page); an HTML page to a browser that asks for one
                    response["content"] = ERROR_CONTENT
            if method == "get" and ("{name}" in path or path in MADE_OF_GRAPHS):
                # a graph's answers carry its ETag (polku.server.api.graph_headers), the
                # lists of graphs one made of their versions
                responses.setdefault("304", NOT_MODIFIED)
    return schema
