"""The analyses' results in a reader's language: each function takes a result as an analysis
returns it (ids and numbers, findings with empty messages, nodes by their primary names)
and the graph it was computed on, and gives the same result with the nodes named in
``tr``'s language (``name_sv``/``name_en`` where the graph gives them) and the findings
worded (:mod:`polku.present.messages`). The shapes stay those the analyses document, so the
JSON of the commands and the API and what the printers and pages read are unchanged; only
the words follow the reader. Every one gives plain data (dicts, lists, text, numbers:
``json.dumps`` takes it), and every operation's answer has one here, called
``(result, g, tr)`` (the README's "Python API" lists them): :func:`described`,
:func:`bottlenecks_worded`, :func:`paths_worded`, :func:`blueprint_worded`,
:func:`whatif_worded`, :func:`queue_worded`, :func:`review_worded`,
:func:`eventlog_worded`, :func:`suggestions_worded`, :func:`raci_worded`,
:func:`compare_worded`; :func:`diff_worded` takes both graphs; findings are worded by
:func:`polku.present.finding_names.records`, the PTV comparison by
:func:`polku.present.ptv_compare.ptv_worded` (with the catalogue's code names).

>>> from polku.analyses.describe import describe
>>> from polku.graph import new_graph
>>> from polku.present.i18n import translator
>>> g = new_graph("x"); g.add_node("o", type="outcome", name="Työ", name_en="Work")
>>> described(describe(g), g, translator("en"))["outcomes"]
[{'id': 'o', 'name': 'Work'}]
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.graph import TITLE_LANGUAGES
from polku.present.i18n import N_, Translator
from polku.present.finding_names import named_dicts
from polku.present.messages import subject_name, worded_dicts


def described(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.describe.describe` with its title, segments, their entries
    (``entry_names``) and outcomes named in ``tr``'s language, its region and the areas its
    nodes serve as the reader names them (Mellersta Nyland, hela landet)."""
    # the graph sheet's title and region in the reader's language where it gives one, else
    # as written (marked with its language by a page's translator)
    from polku.present.i18n import merged_region_names
    from polku.present.messages import in_region

    titled = result.get("title") or (tr.lang in TITLE_LANGUAGES
                                     and g.graph.get(f"title_{tr.lang}"))
    title = tr.title(g) if titled else result.get("title")
    # a merged graph of several regions: each name says its region (as findings do), and
    # the areas served are grouped by region (``merged_regions``: the regions by name)
    regions = merged_region_names(g, tr.lang)

    def named(node: str) -> str:
        return in_region(tr, tr.label(g, node), node, regions)

    merged = {}
    if regions:
        merged = {"merged_regions": list(regions.values()),
                  "areas_by_region": [
                      {"region": regions.get(k) or tr("actors the regions share"),
                       "areas": tr.areas(areas)}
                      for k, areas in (result.get("areas_by_region") or {}).items()]}
    return dict(result, title=title,
                region=tr.region(g) if result.get("region") else result.get("region"),
                regions=tr.areas(result["regions"]),
                segments=[dict(s, name=named(s["id"]),
                                     entry_names=[named(e) for e in s["entries"]])
                                for s in result["segments"]],
                outcomes=[dict(o, name=named(o["id"])) for o in result["outcomes"]],
                **merged)


def paths_worded(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.paths.paths_report` with every node named in ``tr``'s language
    and the broken steps' findings worded."""
    def step(s: dict[str, Any]) -> dict[str, Any]:
        return dict(s, label=tr.label(g, s["node"]),
                    provider_labels=[tr.label(g, p) for p in s.get("providers", ())],
                    owner_label=tr.label(g, s["owner"]) if s.get("owner") else None)

    from polku.analyses.paths import deciding_key

    best = result["best"]
    return dict(result, segment_label=tr.label(g, result["segment"]),
                to_label=tr.label(g, result["to"]) if result.get("to") else None,
                need_labels=[tr.label(g, n) for n in result.get("needs") or ()],
                best=[dict(p, steps=[step(s) for s in p["steps"]],
                           uncovered_labels=[tr.label(g, n) for n in p.get("uncovered", ())],
                           decided_by=deciding_key(best[i - 1], p) if i else None)
                      for i, p in enumerate(best)],
                designed=[dict(d, label=tr.label(g, d["path"]),
                               steps=[step(s) for s in d["steps"]],
                               uncovered_labels=[tr.label(g, n)
                                                 for n in d.get("uncovered") or ()],
                               broken=worded_dicts(d["broken"], g, tr))
                          for d in result["designed"]],
                met_off_path_labels=[
                    {"need": n, "need_label": tr.label(g, n), "services": list(vs),
                     "service_labels": [tr.label(g, v) for v in vs]}
                    for n, vs in (result.get("met_off_path") or {}).items()])


def blueprint_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                     tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.blueprint.blueprint` with every node beside its name in
    ``tr``'s language (``label``, ``owner_label``, ``needs_met_labels`` …)."""
    def named(n: str | None) -> str | None:
        return tr.label(g, n) if n else None

    def one(bp: dict[str, Any]) -> dict[str, Any]:
        return dict(
            bp, outcome_label=named(bp["outcome"]),
            lanes=[dict(lane, label=named(lane["node"]),
                        organisation_label=named(lane.get("organisation")))
                   for lane in bp["lanes"]],
            steps=[dict(s, label=named(s["node"]), also_labels=[named(a) for a in s["also"]],
                        needs_met_labels=[named(n) for n in s["needs_met"]])
                   for s in bp["steps"]],
            handoffs=[dict(h, owner_label=named(h["owner"])) for h in bp["handoffs"]],
            covered_labels=[named(n) for n in bp["covered"]],
            uncovered_labels=[named(n) for n in bp["uncovered"]])

    return dict(result, label=named(result["subject"]), segment_label=named(result["segment"]),
                to_label=named(result.get("to")),
                needs_labels=[named(n) for n in result["needs"]],
                blueprints=[one(bp) for bp in result["blueprints"]])


def bottlenecks_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                       tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.bottlenecks.bottlenecks` with its findings worded and each
    ranked service's ``label`` in ``tr``'s language (``name_sv``/``name_en`` where the
    workbook gives them), so the CLI, the API and the page name them alike."""
    return dict(result, findings=worded_dicts(result["findings"], g, tr),
                **{key: [dict(r, label=tr.label(g, r["service"])) for r in result[key]]
                   for key in ("by_betweenness", "by_flow")})


def bottlenecks_sent(result: dict[str, Any]) -> dict[str, Any]:
    """The ranking (worded or not) as the command's and the API's JSON send it, a shape
    older than the library's every-row-alike one (``/bottlenecks`` in the OpenAPI
    document): a row's ``outflow_partial`` only where it is true, its lower bounds only on
    a hidden row that has them.

    >>> bottlenecks_sent({"by_flow": [{"service": "a", "outflow_partial": False,
    ...                                "inflow_at_least": None, "utilization_at_least": None}],
    ...                   "by_betweenness": []})["by_flow"]
    [{'service': 'a'}]
    """
    def sent(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        if not out.get("outflow_partial"):
            out.pop("outflow_partial", None)
        if out.get("inflow_at_least") is None:
            out.pop("inflow_at_least", None)
            out.pop("utilization_at_least", None)
        return out

    return dict(result, **{key: [sent(r) for r in result[key]]
                           for key in ("by_betweenness", "by_flow")})


def whatif_worded(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.whatif.whatif` with ``removed_label`` (the removed node's
    name in ``tr``'s language, as every label: its id is ``removed``), ``removed_labels``
    (each removed id -> its name: a referral, which has no name, by its two ends) and the
    findings worded in ``tr``'s language, all from ``g``, the graph before the removal (it
    holds every node the findings name and every node removed)."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        out[key] = worded_dicts(value, g, tr) if key in ("created", "resolved",
                                                         "removed_with") else value
        if key == "removed_type":
            # a referral has no name of its own: its two ends say which one it is
            out["removed_label"] = subject_name(g, result["removed"], tr)
        if key == "removed_ids":
            out["removed_labels"] = {i: subject_name(g, i, tr) for i in value}
    return out


def also_removed(result: dict[str, Any], tr: Translator) -> list[str]:
    """The names of what goes with a removal's node (:func:`whatif_worded`'s
    ``removed_labels``, an id where none), by name in the order of ``tr``'s alphabet: a
    list people read, on the page as in the terminal (the ids' order is the JSON's).

    >>> from polku.present.i18n import translator
    >>> also_removed({"removed": "a", "removed_ids": ["a", "b", "c", "d"],
    ...               "removed_labels": {"b": "Työ", "c": "Tutkinto", "d": "Ääni"}},
    ...              translator("fi"))
    ['Tutkinto', 'Työ', 'Ääni']
    """
    labels = result.get("removed_labels") or {}
    return sorted((labels.get(i, i) for i in result["removed_ids"] if i != result["removed"]),
                  key=tr.order)


#: what an empty list of created or resolved findings says when the answer has services
#: whose figures are hidden: the findings about them are left out (their verdict rests on
#: a hidden figure), so "none" would be false
NONE_TOLD = N_("None among those the published figures can tell; findings about services "
               "whose inflow is hidden are not shown.")


def findings_left_out(result: dict[str, Any]) -> bool:
    """Whether :func:`polku.analyses.queues.queue_whatif`'s answer left findings out of
    its created and resolved lists: it has services ``hidden`` (or ``partial`` after the
    change), and a finding about one of them rests on a hidden figure. Said of the services
    alone, never of the findings left out, so that it tells nothing the figures hide.

    >>> findings_left_out({"services": {"a": {"hidden": False}}})
    False
    >>> findings_left_out({"services": {"a": {"hidden": False}, "b": {"hidden": True}}})
    True
    """
    return any(s.get("hidden") or s.get("partial") for s in result["services"].values())


def queue_worded(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.queues.queue_whatif` with each service's ``label``, the
    findings worded in ``tr``'s language (from ``g``, the graph before the changes: the
    changes move numbers only, and the findings carry theirs) and ``findings_left_out``
    (:func:`findings_left_out`: an empty list is then "none the published figures can
    tell", :data:`NONE_TOLD`, not "none")."""
    services = {sid: {"label": tr.label(g, sid), **s} for sid, s in result["services"].items()}
    findings = {k: worded_dicts(v, g, tr) for k, v in result["findings"].items()}
    return dict(result, services=services, findings=findings,
                findings_left_out=findings_left_out(result))


def diff_worded(result: dict[str, Any], a: nx.MultiDiGraph, b: nx.MultiDiGraph,
                tr: Translator) -> dict[str, Any]:
    """:func:`polku.analyses.diff.diff` with its findings worded in ``tr``'s language: the
    created ones from ``b`` (where they are found), the resolved ones from ``a``."""
    f = result["findings"]
    return dict(result, findings={"created": worded_dicts(f["created"], b, tr),
                                  "resolved": worded_dicts(f["resolved"], a, tr)})


def review_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                  tr: Translator) -> dict[str, Any]:
    """:class:`polku.ops.operations.Review`'s answer with its findings as JSON objects
    worded in ``tr``'s language: the created ones from ``g`` (today's graph, as the reader
    sees it), the resolved ones from the answer's ``earlier`` graph, where they were found
    (their nodes may be gone since), each with its ``names`` from the same graph; each
    overdue follow-up with its ``names`` too, from ``g`` (its finding's ids and its owner:
    :func:`polku.present.finding_names.followup_names`); the graph itself is not part of
    what is shown."""
    from polku.present.finding_names import FindingNames, followup_names

    earlier = result["earlier"]
    names = FindingNames(g, tr)
    return {"since": result["since"],
            "created": named_dicts(result["created"], g, tr),
            "resolved": named_dicts(result["resolved"], earlier, tr),
            "overdue": [dict(o, names=followup_names(o, names)) for o in result["overdue"]]}


def eventlog_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                    tr: Translator) -> dict[str, Any]:
    """:class:`polku.ops.operations.EventLog`'s answer (or
    :func:`polku.analyses.eventlog.event_log_stats`) with each referral's two ends named
    (``from_label``, ``to_label``) and the findings as JSON objects worded in ``tr``'s
    language: plain data, what ``polku eventlog --format json`` prints."""
    referrals = {}
    for rid, r in result["referrals"].items():
        referrals[rid] = {"from": r["from"], "to": r["to"], "from_label": tr.label(g, r["from"]),
                          "to_label": tr.label(g, r["to"]),
                          **{k: v for k, v in r.items() if k not in ("from", "to")}}
    return dict(result, referrals=referrals,
                findings=worded_dicts(result["findings"], g, tr))


def suggestions_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                       tr: Translator) -> dict[str, Any]:
    """:class:`polku.ops.operations.Suggestions`'s answer as ``polku suggest --format json``
    and ``/api/graphs/NAME/suggestions`` give it: the ``suggestions`` and ``declined`` as
    the operation answers them (a client applies their edits as they are), each beside its
    words in ``tr``'s language (``worded``,
    :func:`polku.present.suggestions.suggestions_worded`; ``declined_worded``)."""
    from polku.present.suggestions import declined_worded
    from polku.present.suggestions import suggestions_worded as worded_list

    return {"suggestions": result["suggestions"], "worded": worded_list(result, g, tr),
            "declined": result["declined"],
            "declined_worded": declined_worded(result["declined"], result["findings"], g, tr)}


def raci_worded(result: Any, g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """The RACI matrix (:class:`polku.analyses.raci.Raci`, :class:`polku.ops.operations.Raci`'s
    answer) as plain data in ``tr``'s language: ``{"graph", "title", "subjects", "actors",
    "actor_labels", "rows": [{"subject", "type", "label", "detail", "mark", "mark_label",
    "kinds"}], "cells": [{"actor", "subject", "role", "role_label", "note"}]}``, the
    subjects and actors named, the marks and roles in words and a referral owner's note
    translated (:func:`polku.present.raci_output.raci_worded`, whose record the tables and
    pages read).

    >>> from polku.analyses.raci import raci
    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph("g"); g.add_node("s", type="service", name="Palvelu", name_sv="Tjänst")
    >>> raci_worded(raci(g, []), g, translator("sv"))["rows"]
    []
    """
    from dataclasses import asdict

    from polku.present.raci_output import mark_label, raci_worded as worded_matrix, role_label

    m = worded_matrix(result, g, tr)
    return {"graph": m.graph, "title": m.title, "subjects": m.subjects,
            "actors": list(m.actors), "actor_labels": dict(m.actor_labels),
            "rows": [dict(asdict(r), mark_label=mark_label(r.mark, tr), kinds=list(r.kinds))
                     for r in m.rows],
            "cells": [dict(asdict(c), role_label=role_label(c.role, tr)) for c in m.cells]}


def compare_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                   tr: Translator) -> dict[str, Any]:
    """:class:`polku.ops.operations.Compare`'s answer as ``polku compare --format json`` and
    ``/api/compare`` give it in ``tr``'s language (:func:`polku.present.regions.compared`:
    each region's title and name in that language, each figure rounded once). ``g`` is not
    read (each region's names are in the answer): it is taken as every answer's wording
    takes it."""
    from polku.present.regions import compared

    return compared(result, tr.lang)
