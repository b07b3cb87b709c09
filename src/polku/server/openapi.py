"""The API's OpenAPI schema (``/openapi.json``, ``/docs``): FastAPI's, completed with what
it cannot learn from the routes' signatures.

The routes build their answers as plain data (the analyses' dicts, worded at the edge), so
FastAPI sees ``dict`` and would say "any object". :data:`ANSWERS` says what every JSON
route's success answer holds (:data:`OTHER_ANSWERS` the readiness probe's 503, the same
answer), as JSON Schema (fields, types, required ones; no field that is not listed):
documentation only, never run over an answer by the server. The one JSON download left an
object is the JSON-LD export, whose shape is JSON-LD's and whose terms are the ontology's.
``tests/test_openapi_answers.py`` validates real answers against it, so the two cannot
drift apart. :func:`completed` also names the media types of the downloads (``/actions``,
``/export``), and adds the two statuses every route answers whatever it is: 405 (a method
the path does not take) everywhere, and 304 (``If-None-Match`` naming the answer's ETag)
on every GET of a graph, whose answers carry one (:class:`polku.server.http.Revalidation`).
"""

from __future__ import annotations

from typing import Any

from polku.analyses.regions import COUNTED, MEASURES
from polku.followup import STATUSES as FOLLOWUP_STATUSES
from polku.graph import TITLE_LANGUAGES
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
    "problems": about(array(ref("WorkbookProblem")), "Every problem of a broken source "
                                                     "(never a cell's text); empty when it "
                                                     "reads."),
    "warnings": about(array(ref("WorkbookProblem")), "The workbook's warnings (names "
                                                     "polku does not read)."),
    "etag": about(nullable(STR), "The version served: what a write's If-Match names."),
}
SEVERITY = {"type": "string", "enum": ["error", "warning", "info"]}
KIND = {"type": "string", "enum": sorted(KIND_CATALOGUE)}
FINDING_FIELDS: dict[str, Schema] = {
    "kind": KIND,
    "severity": SEVERITY,
    "subject": about(STR, "The id the finding is about."),
    "related": about(IDS, "Other ids involved."),
    "message": about(STR, "The finding as a sentence, in the request's language."),
    "metrics": {**about(ANY_OBJECT, (
        "The figures behind it (they differ by kind: docs/findings.md). For a reader "
        "without an editor's credential, an over-capacity finding about a service whose "
        "inflow rests on a count of 1–4 left out has inflow and utilization null, hidden "
        "true and, where a referral into it has a published volume, inflow_at_least and "
        "utilization_at_least, as the bottleneck ranking's row of the service.")),
        "properties": {
            "hidden": about(BOOL, "Its inflow rests on a small cell left out: not shown."),
            "inflow_at_least": about(NUM, "The published part of the hidden inflow: at "
                                          "least this many clients a month."),
            "utilization_at_least": about(nullable(NUM), "inflow_at_least ÷ the capacity, "
                                                         "rounded down (null: no capacity)."),
        }},
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
#: an overdue follow-up in a review adds for people its ids by name
OVERDUE_FOLLOW_UP = {**FOLLOW_UP, "description": "An open follow-up past its due date.",
                     "properties": {**FOLLOW_UP["properties"], "names": mapping(STR, (
                         "The ids of its finding's key (its subject, then its detail's) and "
                         "its owner → their names in the request's language, as a "
                         "finding's names; an id the graph does not hold as itself."))},
                     "required": [*FOLLOW_UP["required"], "names"]}
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
    "organisation": about(nullable(STR), "The one of `organisations` that carries the step "
                                         "along the path: the fewest changes of "
                                         "organisation (null: an outcome, or no provider)."),
    "referral": about(nullable(STR), "The referral that leads here (null: the first "
                                     "step)."),
    "wait": about(nullable(NUM), "Days (null: nobody knows, or the first step)."),
    "owner": nullable(STR), "owner_label": nullable(STR),
    "handoff": about(BOOL, "From one organisation to another: `organisation` changes "
                           "here."), "eligible": BOOL,
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
    "label": STR,
    "hidden": about(BOOL, "Some of its figures are hidden from a reader without an "
                          "editor's credential, each null: with partial false, all the "
                          "queue model computes from its inflow, before and after the "
                          "change (a referral into it has a small volume left out); with "
                          "partial true, those after the change."),
    "partial": about(BOOL, "Hidden after the change only, because the change reaches it "
                           "through a referral with a small volume left out or a service "
                           "whose inflow is hidden: the published figures give only a "
                           "partial inflow after the change, so `after`'s inflow, modelled "
                           "utilisation, wait, verdict and effective capacity are null. No "
                           "referral into it has a volume left out: `before`, `calibration` "
                           "and `observed_wait_days` are computed from published figures "
                           "alone and shown, as the editor reads them; its inflow before "
                           "the change is inflow_at_least.before too. False for a service "
                           "whose own inflow is hidden (a referral into it has a small "
                           "volume left out): its inflow_at_least.after, the published "
                           "referrals' volumes after the change, is null where a partial "
                           "figure flows into it (docs/whatif.md)."),
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

#: a row edit in the write API's own terms, as the suggestions and the PTV comparison
#: propose them (a client applies it as it is)
EDIT_FIELDS: dict[str, Schema] = {
    "action": about({"type": "string", "enum": ["create", "update", "delete"]},
                    "create: `POST …/rows/SHEET` with `row`; update: `PATCH "
                    "…/rows/SHEET/KEY` with `row`; delete: `DELETE …/rows/SHEET/KEY`."),
    "sheet": STR, "key": about(STR, "The row's key (a created row's id)."),
}
#: one side of a capacity's figures, before or after the change
#: (:func:`polku.analyses.queues.capacity_figures`)
CAPACITY_SIDE: dict[str, Schema] = {
    "capacity": about(NUM, "Clients a month (nominal)."),
    "utilization": about(nullable(NUM), "Inflow ÷ the nominal capacity (null: a capacity "
                                        "of 0)."),
    "modelled_utilization": about(nullable(NUM), "Inflow ÷ the capacity the queue model "
                                                 "serves at."),
    "wait_days": about(nullable(NUM), "The predicted wait (null: it grows without bound)."),
    "unstable": about(BOOL, "The queue grows without bound."),
    "effective_capacity": about(nullable(NUM), "The capacity calibrated to the observed "
                                               "waits (null: not calibrated)."),
}
CAPACITY_FIGURES: dict[str, Schema] = {
    "service": STR, "inflow": about(NUM, "Clients a month."), **CAPACITY_SIDE,
    "calibrated": BOOL,
    "before": record("The same figures before the change.", CAPACITY_SIDE),
    "lead_days": about(NUM, "The part of the wait no capacity moves (the same before and "
                            "after)."),
}
#: a blueprint lane's: the client's, an organisation's, or the steps nobody provides
LANE_ROLE = {"type": "string", "enum": ["client", "organisation", "unprovided"]}
PTV_TYPE = {"type": "string", "enum": ["service", "actor"]}
#: what every entry of the PTV comparison holds, its names beside its codes
PTV_ENTRY = {
    "type": PTV_TYPE, "id": about(STR, "The graph's id (a missing one: the id it would "
                                       "get)."),
    "ptv_id": STR,
    "type_name": about(STR, "Its type in the request's language."),
    "label": about(STR, "Its name in the request's language."),
}
#: what every proposed edit of the PTV comparison adds to the edit, in the reader's words
PTV_EDIT_WORDS = {
    "sheet_name": about(STR, "The sheet's thing in the request's language."),
    "label": about(STR, "The edit as a sentence, in the request's language."),
}

def by_kind(values: Schema, description: str) -> Schema:
    """A region's figures keyed by finding kind: the keys are data, but only the
    catalogue's kinds."""
    return {**mapping(values, description), "propertyNames": KIND}


#: a region's figure that may be missing (no sizes, no needs, no waits, no measures), as
#: the JSON writes it: a fraction to four decimals (polku.present.regions.for_files)
FIGURE = nullable(NUM)
REGION = record(
    "One region's figures (`polku.analyses.regions`). For the public the published copy's: "
    "a segment whose size is a small cell is left out of `people` (counted in "
    "`suppressed_segments`), so the total is of sizes of `min_cell` or more and never "
    "itself a small cell.", {
        "region": about(STR, "The graph's id (its graph sheet's)."),
        "title": about(STR, "In the request's language where the graph gives it."),
        "region_name": about(STR, "The region as people name it (the graph sheet's "
                                  "`region`), in the request's language where it is known; "
                                  "else the title."),
        "illustrative": about(BOOL, "The graph says its figures are invented."),
        "people": about(nullable(NUM), "People in segments: the sum of the sizes shown "
                                       "(null: no segment has a size)."),
        "suppressed_segments": about(INT, "Segments whose size, a small cell, is left out "
                                          "of `people`."),
        "findings": by_kind(INT, "Findings by kind."),
        "findings_per_10k": by_kind(NUM, "Findings by kind per 10,000 people in segments "
                                         "(none: `people` is not known or 0)."),
        "findings_per_10k_total": about(FIGURE, "Every finding per 10,000 people."),
        "needs_covered": about(FIGURE, "The share (0–1) of the segments' needs some "
                                       "service they reach meets."),
        "median_wait_days": about(FIGURE, "The median of the referrals' median waits."),
        "information_travels": about(FIGURE, "The share (0–1) of referrals along which "
                                             "the client's information travels."),
        "leads_per_measure": about(FIGURE, "Lead organisations per plan measure (1 is the "
                                           "aim)."),
        "counts": record("How many nodes of each type.", {t: INT for t in COUNTED}),
    }, {
        # the graph's own words in the other languages, data beside the ones picked
        **{f"title_{lang}": about(STR, "The title the graph gives in this language.")
           for lang in TITLE_LANGUAGES},
        **{f"region_name_{lang}": about(STR, "The region's name in this language.")
           for lang in TITLE_LANGUAGES}})
GRAPH_READINESS = record("A served graph's readiness.", {
    "name": about(STR, "How the API names it."), "state": STATE,
    "changelog": about({"type": "string", "enum": ["ok", "broken"]},
                       "broken: a line polku did not write; every write, undo and review of "
                       "the graph is refused."),
    "problem": about(nullable(STR), "The source's first problem, in the request's language "
                                    "(never a cell's text)."),
    "problems": about(array(ref("WorkbookProblem")), "Every problem of the source (never a "
                                                     "cell's text); empty when it reads."),
    "changelog_problem": about(nullable(STR), "The change log's problem, its file named "
                                              "relative to the served folder.")})

COMPONENTS: dict[str, Schema] = {
    "WorkbookProblem": PROBLEM,
    "GraphEntry": record("A served graph.", {
        "name": about(STR, "How the API names it."), **SERVED,
        "counts": nullable(COUNTS)}),
    "GraphSummary": record("What `polku show` says, with the graph's state and source.", {
        "graph": STR, "title": nullable(STR), "region": nullable(STR),
        "illustrative": BOOL, "counts": COUNTS,
        "regions": about(array(STR), "The areas the graph's nodes serve."),
        "people_in_segments": about(nullable(NUM), "The sum of the sizes shown; null when "
                                                   "no segment's size is given."),
        "referral_volume_per_month": about(nullable(NUM), "The sum of the volumes shown; "
                                                          "null when no referral's volume "
                                                          "is given."),
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
        "unknown": about(record("How many segments give no size and how many referrals "
                                "no volume (counts of rows, never suppressed: the totals "
                                "say at least).", {}, {
                                    "segments": INT, "referrals": INT}),
                         "The totals some figures of are not given."),
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
    "OverdueFollowUp": OVERDUE_FOLLOW_UP,
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
        "overdue": about(array(ref("OverdueFollowUp")), "Open follow-ups past their due "
                                                        "date.")}),
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
        "findings_left_out": about(BOOL, "True when the answer has hidden (or partial) "
                                         "services: the findings about them rest on a hidden "
                                         "figure and are left out of `findings`, so an empty "
                                         "list is none the published figures can tell."),
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
    "SuggestedEdit": record("A row edit in the write API's terms.", {
        **EDIT_FIELDS, "row": mapping({"anyOf": [STR, NUM]}, "Column → value, as a write "
                                      "takes it (a capacity as a number).")}),
    "CapacityFigures": record("What the queueing what-if predicts at a capacity, after the "
                              "change and `before` it.", CAPACITY_FIGURES),
    "Suggestion": record("A verified suggestion: edits that resolve a finding and create "
                         "no error.", {
        "finding": about(STR, "The key of the finding it is for."),
        "edits": array(ref("SuggestedEdit")),
        "resolves": about(IDS, "The keys of the findings it resolves."),
        "creates": about(IDS, "The keys of the findings it creates (none an error)."),
    }, {"predicted": about(ref("CapacityFigures"), "A capacity's: the figures at it.")}),
    "Suggestions": record("Verified suggestions, as `polku suggest --format json`.", {
        "graph": STR, "suggestions": array(ref("Suggestion")),
        "worded": about(array(record("A suggestion in words.", {
            "finding": STR, "message": about(STR, "Its finding's sentence."),
            "text": about(STR, "Its edits as one sentence."),
            "edits": about(array(STR), "Each edit's sentence."),
            "resolves": about(array(STR), "The sentences of the findings it resolves."),
            "creates": about(array(STR), "The findings it creates, by kind and subject.")})),
            "Each suggestion in the request's language, in the same order."),
        "declined": about(array(record("A capacity raise not offered: it would barely "
                                       "shorten the wait.", {
            "finding": STR, "min_gain_days": about(NUM, "The days a raise must gain."),
            "gain_days": about(NUM, "The days this one would gain."),
            **CAPACITY_FIGURES})), "The capacity raises not offered."),
        "declined_worded": about(array(record("Why a raise is not offered.", {
            "finding": STR, "message": about(STR, "Its finding's sentence."),
            "text": about(STR, "Why, in the request's language.")})),
            "Each declined raise in words, in the same order.")}),
    "BlueprintLane": record("A lane: the client's, a providing unit's (an actor's, its "
                            "organisation's lanes together), or nobody's.", {
        "node": about(nullable(STR), "The segment (the client's lane) or the actor that "
                                     "provides the lane's steps (null: the services nobody "
                                     "provides)."),
        "role": LANE_ROLE, "label": nullable(STR),
        "organisation": about(nullable(STR), "The organisation the actor belongs to (up its "
                                             "`part_of` chain while the parent is of its "
                                             "kind): a hand-off between two lanes of one "
                                             "organisation is within it (null: the client's "
                                             "lane, nobody's)."),
        "organisation_label": nullable(STR)}),
    "BlueprintStep": record("A step, in the lane of the unit that provides it.", {
        "node": STR, "type": {"type": "string", "enum": ["service", "outcome"]},
        "lane": about(INT, "An index into `lanes`."),
        "also": about(IDS, "The other providers."),
        "needs_met": about(IDS, "The segment's needs the step meets."),
        "eligible": BOOL, "label": STR, "also_labels": array(STR),
        "needs_met_labels": array(STR)}),
    "BlueprintHandoff": record("The hand-off (referral) between two steps.", {
        "from": about(INT, "A step's index."), "to": about(INT, "A step's index."),
        "referral": about(nullable(STR), "null: no referral carries it (broken)."),
        "wait": about(nullable(NUM), "Median wait in days (null: not known)."),
        "volume_per_month": about(nullable(NUM), "Clients a month (null: not known, or a "
                                                 "small cell left out: `volume_hidden`)."),
        "volume_hidden": about(BOOL, "A small volume the reader may not see (`<5` on the "
                                     "page)."),
        "information": about(nullable({"type": "string", "enum": ["yes", "no", "unknown"]}),
                             "Whether the client's information travels."),
        "owner": about(nullable(STR), "Who answers for it (vastuutaho)."),
        "owner_label": nullable(STR),
        "between": about(BOOL, "From one organisation to another."),
        "broken": about(BOOL, "No referral of the segment carries it.")}),
    "BlueprintPath": record("One path as a blueprint.", {
        "path": about(nullable(STR), "The designed path's id (null: a best path)."),
        "rank": about(nullable(INT), "A best path's rank (null: a designed path)."),
        "outcome": nullable(STR), "outcome_label": nullable(STR),
        "lanes": array(ref("BlueprintLane")), "steps": array(ref("BlueprintStep")),
        "handoffs": array(ref("BlueprintHandoff")),
        "covered": about(IDS, "Needs the path meets."), "covered_labels": array(STR),
        "uncovered": about(IDS, "Needs it leaves uncovered."), "uncovered_labels": array(STR),
        "total_wait_days": NUM, "unknown_waits": INT,
        "handoffs_between": about(INT, "Hand-offs from one organisation to another.")}),
    "Blueprint": record("A service blueprint as data: a designed path's, or a segment's k "
                        "best paths'.", {
        "graph": STR, "subject": STR,
        "kind": {"type": "string", "enum": ["path", "segment"]},
        "label": about(STR, "The subject's name in the request's language."),
        "segment": nullable(STR), "segment_label": nullable(STR),
        "to": about(nullable(STR), "The outcome a segment's best paths lead to (null: "
                                   "any)."),
        "to_label": nullable(STR),
        "needs": about(IDS, "The segment's needs."), "needs_labels": array(STR),
        "blueprints": array(ref("BlueprintPath"))}),
    "Plan": record("The plan layer, as `polku plan show --format json` (ids and the "
                   "workbook's texts).", {
        "graph": STR,
        "goals": array(record("A goal.", {"id": STR, "title": STR})),
        "measures": array(record("A plan measure.", {
            "id": STR, "goal": nullable(STR), "title": STR,
            "leads": IDS, "participants": IDS,
            "start": about(nullable(STR), "YYYY-MM (null: not given)."),
            "end": about(nullable(STR), "YYYY-MM (null: not given)."),
            "indicators": array(record("An indicator.", {"id": STR, "name": STR})),
            "risks": array(record("A risk.", {"id": STR, "name": STR,
                                              "mitigation": nullable(STR)})),
            "deferred": about(BOOL, "The division of work is deferred.")}))}),
    "PtvEntry": record("A service or organisation missing from the graph or gone from "
                       "the catalogue.", {
        **PTV_ENTRY, "name": about(STR, "Its name as the catalogue (missing) or the graph "
                                        "(gone) writes it.")}),
    "PtvChanged": record("An entry whose fields differ.", {
        **PTV_ENTRY,
        "fields": mapping({"type": "array", "items": nullable(STR), "minItems": 2,
                           "maxItems": 2}, "Field → [the graph's value, the catalogue's] "
                                           "(null: none)."),
        "field_names": mapping(STR, "Field → its name in the request's language."),
        "values_shown": mapping(array(STR), "Field → the two values as people read them.")}),
    "PtvRowEdit": record("A proposed edit of a service's or an organisation's row.", {
        **EDIT_FIELDS, "sheet": {"type": "string", "enum": ["services", "actors"]},
        "row": mapping(STR, "Column → cell text."), **PTV_EDIT_WORDS,
        "name": about(STR, "The row's name in the request's language."),
        "column_names": mapping(STR, "Column → its name in the request's language.")}),
    "PtvResponsibilityEdit": record("A proposed edit of a service's lead.", {
        **EDIT_FIELDS, "sheet": {"type": "string", "enum": ["responsibilities"]},
        "row": mapping(STR, "Column → cell text (a delete: none)."), **PTV_EDIT_WORDS,
        "actor_name": STR, "subject_name": STR, "role_name": STR}),
    "PtvComparison": record("What differs between the graph and PTV, as `polku ptv "
                            "compare --format json`; `edits` in the order they apply, "
                            "numbered from 1 as `/ptv/apply`'s `pick` takes them.", {
        "graph": STR,
        "summary": about(STR, "The counts as a sentence, in the request's language."),
        "missing": array(ref("PtvEntry")), "gone": array(ref("PtvEntry")),
        "changed": array(ref("PtvChanged")),
        "edits": array({"anyOf": [ref("PtvRowEdit"), ref("PtvResponsibilityEdit")]})}),
    "Region": REGION,
    "Comparison": record("Regions side by side, as `polku compare --format json`, and what "
                         "was left out.", {
        "regions": array(ref("Region")),
        "kinds": about(array(KIND), "Every finding kind any region has, sorted."),
        "measures": about(array({"type": "string", "enum": list(MEASURES)}),
                          "The figures in the order tables and charts show them."),
        "min_cell": about(nullable(INT), "The public's threshold: a size under it is left "
                                         "out (null: an editor's true figures)."),
        "not_compared": about(IDS, "Served graphs that could not be read (none with "
                                   "`graphs`: a named one is refused, 409)."),
        "not_regions": about(IDS, "Served graphs left out that have no client segments "
                                  "(a plan on its own)."),
        "merged_left_out": about(IDS, "Merged graphs left out because a region of theirs "
                                      "is served on its own.")}),
    "GraphReadiness": GRAPH_READINESS,
    "Readiness": record("Whether every graph served is loaded and its change log reads.", {
        "ready": about(BOOL, "false (answered 503): a graph never loaded (`failed`) or its "
                             "change log is broken. A `stale` graph is served, so ready."),
        "graphs": array(ref("GraphReadiness"))}),
    "Whom": record("Whom the request speaks for (a shared token, a bearer JWT or the "
                   "session cookie; without one, or with a session that has ended, only "
                   "`signed_in` false and `audience` public).", {
        "signed_in": about(BOOL, "Whether the request speaks for someone."),
        "audience": about({"type": "string", "enum": ["editor", "public"]},
                          "editor: reads the true figures (an editor, an admin, a shared "
                          "token); public: the published ones."),
    }, {"name": about(STR, "The token's name, or the person's (`name`, else "
                           "`preferred_username`, else `sub`)."),
        "sub": about(nullable(STR), "The person's subject at the identity provider (null "
                                    "for a shared token)."),
        "role": about(nullable({"type": "string", "enum": ["viewer", "editor", "admin"]}),
                      "The strongest role held (null: none of the three)."),
        "roles": array({"type": "string", "enum": ["viewer", "editor", "admin"]}),
        "organisations": about(IDS, "The actor ids of the person's organisations."),
        "via": about({"type": "string", "enum": ["token", "bearer", "session"]},
                     "A shared token, a bearer JWT of the identity provider, or the web "
                     "UI's session cookie.")}),
    "Written": record("A write's answer: the logged change, the new ETag, the findings "
                      "created and resolved.", {
        "change": about(nullable(ref("Change")), "null: the write changed nothing."),
        "etag": STR, "findings": CREATED_RESOLVED,
    }, {"unchanged": about({"type": "boolean", "enum": [True]},
                           "The write changed nothing: nothing written or logged."),
        "message": about(STR, "What was saved, in the request's language.")}),
}

#: each JSON route's success answer: (method, path) -> its schema
ANSWERS: dict[tuple[str, str], Schema] = {
    ("get", "/readyz"): ref("Readiness"),
    ("get", "/auth/me"): ref("Whom"),
    ("get", "/api/graphs"): array(ref("GraphEntry")),
    ("get", "/api/compare"): ref("Comparison"),
    ("get", "/api/graphs/{name}"): ref("GraphSummary"),
    ("get", "/api/graphs/{name}/findings"): ref("Findings"),
    ("get", "/api/graphs/{name}/review"): ref("Review"),
    ("get", "/api/graphs/{name}/bottlenecks"): ref("Bottlenecks"),
    ("get", "/api/graphs/{name}/paths"): ref("Paths"),
    ("get", "/api/graphs/{name}/whatif"): {"anyOf": [ref("Removal"), ref("Queueing")]},
    ("get", "/api/graphs/{name}/rows/{sheet}"): ref("Rows"),
    ("get", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Row"),
    ("get", "/api/graphs/{name}/changes"): ref("Changes"),
    ("get", "/api/graphs/{name}/suggestions"): ref("Suggestions"),
    ("get", "/api/graphs/{name}/blueprint"): ref("Blueprint"),
    ("get", "/api/graphs/{name}/plan"): ref("Plan"),
    ("post", "/api/graphs/{name}/ptv/compare"): ref("PtvComparison"),
    ("post", "/api/graphs/{name}/rows/{sheet}"): ref("Written"),
    ("patch", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Written"),
    ("delete", "/api/graphs/{name}/rows/{sheet}/{key}"): ref("Written"),
    ("post", "/api/graphs/{name}/undo"): ref("Written"),
    ("post", "/api/graphs/{name}/ptv/apply"): ref("Written"),
}

#: the answers other than a success's and the one error shape: (method, path, status) ->
#: its schema (a probe that is not ready says why in its own answer)
OTHER_ANSWERS: dict[tuple[str, str, str], Schema] = {
    ("get", "/readyz", "503"): ref("Readiness"),
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
                                                       "organisation and finding it answers "
                                                       "for, then one per finding nobody "
                                                       "answers for (its actor empty).")}))
    # the RDF in JSON-LD: its shape is JSON-LD's and its terms the ontology's, so a JSON
    # Schema of it would only repeat the ontology (ontology/polku.ttl, SHACL in shapes.ttl)
    export = media(*(formats.get(n).media_type or "text/plain"
                     for n in formats.text_formats()),
                   json=about(ANY_OBJECT, "The graph's RDF as JSON-LD (`@context`, "
                                          "`@graph`): its terms are the polku ontology's "
                                          "(`ontology/polku.ttl`, its shapes "
                                          "`ontology/shapes.ttl`), the same triples as the "
                                          "Turtle."))
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
    for (method, path, status), answer in OTHER_ANSWERS.items():
        paths[path][method]["responses"][status]["content"] = {
            "application/json": {"schema": answer}}
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
