"""The leader's report: what is wrong with the ecosystem, readable in five minutes.

``polku report PATH -o report.html`` (or ``report.md``) gathers the analyses into one
document: finding counts by kind (with what each kind means), the errors first, then the
warnings and the rest; each segment's best path; the bottleneck ranking; the
responsibility overlaps and gaps (the kinds :data:`polku.kinds.RESPONSIBILITY_KINDS`: no
lead, several leads, a hand-off or a segment nobody answers for, a division of work not
agreed, overlapping services), each finding listed once; who must act (for each
organisation, the findings it is accountable for by severity, with the plan measures on
them); the RACI matrix (:mod:`polku.analyses.raci`). The HTML is one self-contained
file (autoescaped Jinja2, inlined styles and scripts, nothing loaded from the network)
and embeds the interactive ecosystem view and the views of the largest segments from
:mod:`polku.present.views`. The markdown has the same text without the views.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import networkx as nx

from polku import clock
from polku.io import atomic
from polku.analyses.describe import shown_size
from polku.analyses.bottlenecks import ranking, rankings
from polku.analyses.handoffs import handoff_summary
from polku.analyses.accountable import by_actor
from polku.errors import Phrase, PolkuError
from polku.finding import Finding, counts_by_kind, number
from polku.analyses.findings import KINDS, LONG_WAIT_DAYS, find
from polku.graph import summary
from polku.present.i18n import (Translator, alphabetical, as_counted, kind_name, severity_name,
                               translator)
from polku.present.langmarks import html as marked_html, unmarked
from polku.present.markdown import md_code, md_text
from polku.present.decisions import decisions, set_aside, set_aside_text
from polku.present.merged import region_rows
from polku.present.messages import worded
from polku.present.printers import NOMINAL_NOTE, ranking_note
from polku.present.raci_output import by_involvement, raci_worded
from polku.kinds import RESPONSIBILITY_KINDS, meaning
from polku.words import N_, SEVERITY_NAMES
from polku.analyses.paths import best_paths
from polku.privacy import MIN_CELL
from polku.gcpause import gc_paused
from polku.progress import Progress, silent
from polku.analyses.raci import raci
from polku.analyses.reach import ecosystem

LIST_LIMITS = {"error": 200, "warning": 100, "info": 50}
EMBEDDED_SEGMENT_VIEWS = 6


# The report builds tens of thousands of small records from a big graph and creates no
# reference cycles: each automatic collection would walk the whole graph (a fifth of a
# national report), so the collector waits until the data is made and written.
@gc_paused()
def report_data(g: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
                top: int = 10, progress: Progress = silent,
                tr: Translator | None = None,
                suggestions: bool = True, findings: list[Finding] | None = None,
                eco: Any = None, decided: Callable[[], dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """Everything the report shows, as plain data (the templates only lay it out); labels
    in the language of ``tr`` (default Finnish). The first page's decisions
    (:mod:`polku.present.decisions`) carry verified suggestions unless ``suggestions`` is
    False. Its ``changes``, what changed since the last review, are None: a door that asks
    the review (:class:`polku.ops.operations.Review`) puts them in. ``findings`` are the
    graph's findings as the report's reader may see them (default: found here), ``eco`` its
    index (:func:`polku.analyses.reach.ecosystem`) when already built, ``decided`` what
    gives the first page's decisions as data when the caller keeps them
    (:func:`polku.present.decisions.decided`: kept with a model's version, the same in
    every language; asked when the report comes to them)."""
    from polku.followup import effective
    from polku.followup import today
    from polku.present.actions import action_rows, actions_csv_file
    from polku.present.printers import followup_text

    # the report is read as HTML (and PDF) above all: a name in another language than the
    # reader's comes marked with it (polku.present.langmarks); the markdown and the action
    # list's CSV are plain text
    plain_tr = replace(tr or translator(), marks=False)
    tr = plain_tr.marking()
    progress(Phrase(N_("finding gaps, overlaps and bottlenecks")))
    eco = eco if eco is not None else ecosystem(g)
    if findings is None:
        findings = find(g, long_wait_days=long_wait_days, eco=eco)
    # the report is read by people: nodes by their names, the ids on hover and in the data
    findings = worded(findings, g, tr.plainly())
    states = effective(g.graph.get("followups") or {}, {f.key for f in findings}, today())
    by_severity: dict[str, list[Finding]] = {"error": [], "warning": [], "info": []}
    for f in findings:
        by_severity[f.severity].append(f)
    per_subject = Counter(f.subject for f in findings)
    segments = []
    for i, s in enumerate(eco.segments):
        progress(Phrase(N_("best paths of the segments")), i, len(eco.segments))
        best = best_paths(g, s, k=1, eco=eco)
        for step in best[0]["steps"] if best else ():
            step["label"] = tr.label(g, step["node"])
        if best:
            best[0]["uncovered_labels"] = [tr.label(g, n) for n in best[0].get("uncovered", ())]
        segments.append({
            "id": s, "label": tr.label(g, s), "size": shown_size(g, s),
            "best": best[0] if best else None,
            "findings": per_subject[s],
        })
    # by name in the reader's alphabet (two of one name by id), as every list of nodes
    segments.sort(key=lambda row: (alphabetical(unmarked(row["label"]), tr.lang), row["id"]))
    progress(Phrase(N_("ranking bottlenecks")))
    rows = [dict(r, label=tr.label(g, r["service"])) for r in ranking(g, eco)]
    by_betweenness, by_flow = rankings(rows, top)
    counts = summary(g)
    progress(Phrase(N_("choosing the decisions and checking their suggestions")))
    first_page = decisions(findings, g, eco, tr, suggestions=suggestions,
                           long_wait_days=long_wait_days,
                           data=decided() if decided is not None else None)
    return {
        "graph": g.graph.get("name", "graph"),
        "title": tr.title(g),
        "illustrative": bool(g.graph.get("illustrative")),
        # a merged graph's regions, as its graph page lists them ([] for one region's)
        "regions": region_rows(g, tr),
        "generated": tr.datetime(clock.now()),
        "decisions": first_page,
        # the findings the first page leaves out because their follow-up closed them (an
        # accepted risk, resolved), said on the page so that none disappears silently
        "set_aside": (aside := set_aside(findings, g)),
        "set_aside_note": set_aside_text(aside, tr),
        # each finding's subject by name (the markdown's lists: the id follows in code)
        "subject_names": _subject_names(findings, g, tr),
        "long_wait_days": number(long_wait_days),
        "counts": {k: counts.get(k, 0) for k in ("actor", "service", "outcome", "need",
                                                  "segment", "referral", "path", "measure")},
        "total": len(findings),
        "severity_counts": {s: len(v) for s, v in by_severity.items()},
        "kinds": [{"severity": s, "kind": k, "count": n, "meaning": meaning(k)}
                  for s, k, n in counts_by_kind(findings)],
        # each finding listed once: the responsibility kinds in their own section below.
        # A list's heading counts what it lists (``count``: those shown and the ``more``
        # left out), and says how many of its severity that section lists (``elsewhere``)
        "lists": severity_lists(by_severity),
        "segments": segments,
        "by_betweenness": by_betweenness,
        "by_flow": by_flow,
        # what a "–" and a hidden figure in the ranking mean
        "ranking_note": ranking_note(by_betweenness + by_flow,
                                     g.graph.get("min_cell") or MIN_CELL, tr),
        "responsibility": [f.to_dict() for f in findings if f.kind in RESPONSIBILITY_KINDS],
        "actions": action_lists(g, findings, tr),
        # Findings no organisation answers for (a segment nobody leads): shown on their own,
        # since they fall outside every organisation's list (the list to take away has
        # them as a group of their own, polku.present.actions.groups_of).
        "unowned": [f.to_dict() for f in findings if not f.accountable],
        # whether any finding has a plan measure on it ("no plan measure" is said once)
        "any_measures": any(f.measures for f in findings),
        # the columns as people read them, in the HTML and the markdown alike
        "raci": by_involvement(raci_worded(raci(g, findings), g, tr), g, tr.lang),
        # the ecosystem as a leader reads it: organisations and their hand-offs
        "handoffs": handoffs_worded(handoff_summary(g), g, tr),
        # the action list as a CSV to download from the report itself (self-contained): the
        # same file as the command's and the API's, byte order mark and all
        "actions_csv": unmarked(actions_csv_file(
            action_rows(g, findings, states, None, plain_tr), plain_tr)),
        # each followed-up finding's follow-up as one phrase, by finding key: the owner by
        # name only, as the report's sentences name nodes
        "followups": {k: followup_text(v, tr.plainly(), g) for k, v in states.items()},
        "changes": None,
        "findings": findings,
        "known_kinds": KINDS,
        "eco": eco,
    }


def severity_lists(by_severity: dict[str, list[Finding]]) -> list[dict[str, Any]]:
    """The report's lists by severity (errors first): each ``{"severity", "findings": [the
    first of them as dicts], "more": N left out, "count": N listed in all, "elsewhere": N of
    the severity listed under the responsibility section instead}``; the responsibility
    gaps and overlaps (:data:`polku.kinds.RESPONSIBILITY_KINDS`) are listed there alone.

    >>> lists = severity_lists({"error": [Finding("no-lead", "error", "s"),
    ...                                   Finding("dead-end", "error", "t")]})
    >>> [(b["count"], b["elsewhere"], [f["kind"] for f in b["findings"]]) for b in lists]
    [(1, 1, ['dead-end'])]
    """
    out = []
    for s, found in by_severity.items():
        listed = [f for f in found if f.kind not in RESPONSIBILITY_KINDS]
        out.append({"severity": s, "findings": [f.to_dict() for f in listed[:LIST_LIMITS[s]]],
                    "more": max(0, len(listed) - LIST_LIMITS[s]), "count": len(listed),
                    "elsewhere": len(found) - len(listed)})
    return out


#: the responsibility section's heading (the contents name it so too)
RESPONSIBILITY_TITLE = N_("Responsibility overlaps and gaps")


def elsewhere_text(block: dict[str, Any], tr: Translator) -> str:
    """How many findings of a severity list the responsibility section lists instead
    ('' when none): said under the list, so that its heading's count and the cards' total
    of that severity add up.

    >>> from polku.present.i18n import translator
    >>> elsewhere_text({"severity": "warning", "elsewhere": 3}, translator("en"))
    '3 more warnings are listed under “Responsibility overlaps and gaps”.'
    """
    n = block.get("elsewhere") or 0
    if not n:
        return ""
    # one call per severity, written out: the catalogue keeps each pair as plural forms
    if block["severity"] == "error":
        said = tr.ngettext("{n} more error is listed under “{section}”.",
                           "{n} more errors are listed under “{section}”.", n)
    elif block["severity"] == "warning":
        said = tr.ngettext("{n} more warning is listed under “{section}”.",
                           "{n} more warnings are listed under “{section}”.", n)
    else:
        said = tr.ngettext("{n} more finding for information is listed under “{section}”.",
                           "{n} more findings for information are listed under “{section}”.",
                           n)
    return said.format(n=tr.number(n), section=tr(RESPONSIBILITY_TITLE))


def action_lists(g: nx.MultiDiGraph, findings: list[Finding],
                 tr: Translator | None = None) -> list[dict[str, Any]]:
    """For each actor with something to do: the findings it is accountable for, grouped by
    severity (errors first), each with the plan measures that address it; actors with the
    most errors first, then the most findings, then by id; labels in ``tr``'s language.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> a = action_lists(g, [Finding("long-wait", "warning", "r", accountable=("kela",))])
    >>> a[0]["label"], [(s["severity"], len(s["findings"])) for s in a[0]["groups"]]
    ('Kela', [('warning', 1)])
    """
    tr = tr or translator()
    out = []
    for actor, mine in by_actor(g, findings).items():
        groups = []
        for sev in ("error", "warning", "info"):
            fs = [f for f in mine if f.severity == sev]
            if fs:
                groups.append({"severity": sev, "count": len(fs), "more": max(0, len(fs) - LIST_LIMITS[sev]),
                               "findings": [{**f.to_dict(), "measure_labels": [
                                   {"id": m, "label": tr.label(g, m)} for m in f.measures]}
                                   for f in fs[:LIST_LIMITS[sev]]]})
        counts = {g_["severity"]: g_["count"] for g_ in groups}
        out.append({"id": actor, "label": tr.label(g, actor), "total": len(mine),
                    "counts": counts, "groups": groups})
    out.sort(key=lambda a: (-a["counts"].get("error", 0), -a["total"], a["id"]))
    return out


def _subject_names(findings: list[Finding], g: nx.MultiDiGraph, tr: Translator
                   ) -> dict[str, str]:
    """Each finding's subject by name (a referral by its two ends), once per subject."""
    from polku.present.i18n import merged_region_names
    from polku.present.messages import subject_name

    regions = merged_region_names(g, tr.lang)
    return {s: subject_name(g, s, tr, regions) for s in dict.fromkeys(f.subject for f in findings)}


def wait_text(best: dict[str, Any] | None, tr: Translator) -> str:
    """A best path's summed wait as the report's table says it, with how many of its waits
    nobody knows (a wait not known counts 0 in the sum: "0 (1 wait unknown)"), "–" without
    a path.

    >>> wait_text({"total_wait_days": 0, "unknown_waits": 1}, translator("en"))
    '0 (1 wait unknown)'
    """
    if not best:
        return "–"
    said = tr.number(best["total_wait_days"])
    if n := int(best.get("unknown_waits") or 0):
        said += " (" + tr.ngettext("{n} wait unknown", "{n} waits unknown", n).format(
            n=tr.number(n)) + ")"
    return said


def finding_line(f: dict[str, Any], data: dict[str, Any], tr: Translator,
                 cell: Callable[[Any], str]) -> str:
    """A finding as one markdown list item: its kind, its subject by name (the id after
    it, in code), its sentence (without the name again where it opens with it) and its
    follow-up, where it has one."""
    name = (data.get("subject_names") or {}).get(f["subject"], f["subject"])
    said = f["message"]
    if said.startswith(name + ": "):
        said = said[len(name) + 2:]
    followup = (data.get("followups") or {}).get(f["key"])
    return (f"- {cell(kind_name(f['kind'], tr))}: **{cell(name)}** (`{f['subject']}`): "
            f"{cell(said)}" + (f" *({cell(followup)})*" if followup else ""))


def _path_text(p: dict[str, Any] | None, tr: Translator) -> str:
    if not p:
        return tr("no path from its entries reaches an outcome")
    return " → ".join(s["label"] for s in p["steps"])


def severity_names(tr: Translator) -> dict[str, str]:
    """The severities as a reader of ``tr``'s language says them (:mod:`polku.words`)."""
    return {s: severity_name(s, tr) for s in SEVERITY_NAMES}


def report_markdown(data: dict[str, Any], tr: Translator | None = None) -> str:
    """The report as markdown (no interactive views), in the language of ``tr``."""
    tr = tr or translator()
    num = tr.number
    sev = severity_names(tr)
    def cell(text: Any) -> str:
        return "–" if text is None else md_text(text)

    c = data["counts"]
    sc = data["severity_counts"]
    out = [f"# {tr('polku report: {graph}').format(graph=cell(data['title']))}", ""]
    if data["illustrative"]:
        out += [f"> **{tr('Example data – the numbers are illustrative')}**", ""]
    if data.get("regions"):  # a merged graph names its regions and their sources first
        out += [f"## {tr('Regions ({n})').format(n=num(len(data['regions'])))}", "",
                f"| {tr('Region')} | {tr('Title')} | {tr('Source')} |", "|---|---|---|"]
        out += [f"| {cell(r['region'] or r['id'])} | {cell(r['title'])}"
                + (f" ({tr('the numbers are illustrative')})" if r["illustrative"] else "")
                + f" | {cell(r['source'] or '–')} |" for r in data["regions"]]
        out.append("")
    out += decisions_markdown(data, tr, cell)  # the first page decides
    if data.get("changes") is not None:
        from polku.present.printers import changes_text

        out += ["#" + changes_text(data["changes"], tr, markdown=True).replace("\n## ", "\n### "),
                ""]
    out += [counts_said({k: c[k] for k in ("service", "segment", "referral", "actor")}, tr)
            + " **" + tr("{total}: {errors}, {warnings}, {info}.").format(
                total=tr.ngettext("{n} finding", "{n} findings", data["total"]).format(
                    n=num(data["total"])),
                errors=tr.ngettext("{n} error", "{n} errors", sc["error"]).format(
                    n=num(sc["error"])),
                warnings=tr.ngettext("{n} warning", "{n} warnings", sc["warning"]).format(
                    n=num(sc["warning"])),
                info=tr.ngettext("{n} for information", "{n} for information",
                                 sc["info"]).format(n=num(sc["info"]))) + "** "
            + long_wait_said(data["generated"], data["long_wait_days"], tr), "",
            f"## {tr('Findings by kind')}", "",
            f"| {tr('severity')} | {tr('kind')} | {tr('count')} | {tr('explanation')} |",
            "|---|---|---:|---|"]
    out += [f"| {sev[k['severity']]} | {cell(kind_name(k['kind'], tr))} `{k['kind']}` | "
            f"{num(k['count'])} | "
            f"{cell(tr(k['meaning']))} |" for k in data["kinds"]]
    titles = {"error": tr("Errors"), "warning": tr("Warnings"), "info": tr("For information")}
    for block in data["lists"]:
        if not block["findings"]:
            continue
        out += ["", f"## {titles[block['severity']]} ({num(block['count'])})", ""]
        out += [finding_line(f, data, tr, cell) for f in block["findings"]]
        if block["more"]:
            out.append("- " + tr.ngettext(
                "… and {n} more (the findings data has every one).",
                "… and {n} more (the findings data has every one).", block["more"]).format(
                n=num(block["more"])))
        if said := elsewhere_text(block, tr):
            out += ["", said]
    out += ["", "## " + tr("Each segment's best path"), "",
            f"| {tr('client segment')} | {tr('best path')} | {tr('wait (days)')} | "
            f"{tr('hand-offs between organisations')} | {tr('needs left uncovered')} |",
            "|---|---|---:|---:|---|"]
    for s in data["segments"]:
        b = s["best"]
        out.append(f"| {cell(s['label'])} (`{s['id']}`) | {cell(_path_text(b, tr))} | "
                   f"{wait_text(b, tr)} | "
                   f"{num(b['handoffs']) if b else '–'} | "
                   f"{cell(', '.join(b['uncovered_labels'])) if b and b['uncovered_labels'] else '–'} |")
    out += ["", f"## {tr('Bottlenecks')}", "",
            tr("Structural importance (betweenness: how many routes between services pass "
               "through this one) is a ranking, not a finding: being central is not a defect, "
               "but a disruption there spreads furthest. Over-capacity and single points of "
               "failure are listed with the warnings above."), "",
            tr("Utilisation is the clients referred in a month divided by the clients the "
               "service can take in a month: above 1 means a queue grows.") + " " +
            tr(NOMINAL_NOTE), "",
            f"| # | {tr('service')} | {tr('betweenness')} | {tr('inflow / month')} | "
            f"{tr('capacity / month')} | {tr('utilisation')} |",
            "|---:|---|---:|---:|---:|---:|"]
    def shown(r: dict[str, Any], key: str) -> str:
        # a hidden total: at least its published part (else hidden), as every door says it;
        # a utilisation as every door writes it ("∞" for a capacity of 0 with clients)
        if key == "utilization":
            return tr.utilisation(r)
        if r.get("hidden"):
            return tr.hidden_figure(r, key)
        return tr.clients(r[key])

    out += [f"| {r['rank']} | {cell(r['label'])} (`{r['service']}`) | "
            f"{tr.betweenness(r['betweenness'])} | {shown(r, 'inflow')} | "
            f"{tr.number(r['capacity'])} | {shown(r, 'utilization')} |"
            for r in data["by_betweenness"]]
    out += ["", tr("By flow (utilisation, then inflow):"), "",
            f"| {tr('service')} | {tr('utilisation')} | {tr('inflow / month')} | "
            f"{tr('capacity / month')} |", "|---|---:|---:|---:|"]
    out += [f"| {cell(r['label'])} (`{r['service']}`) | "
            f"{shown(r, 'utilization')} | "
            f"{shown(r, 'inflow')} | {tr.number(r['capacity'])} |"
            for r in data["by_flow"]]
    out += ["", data["ranking_note"]]
    out += ["", f"## {tr(RESPONSIBILITY_TITLE)}", ""]
    if not data["responsibility"]:
        out.append(tr("None found."))
    out += [finding_line(f, data, tr, cell) for f in data["responsibility"]]
    out += ["", f"## {tr('Who must act')}", "", tr(
        "For each organisation, the findings it or one of its units is accountable for (the "
        "subject's lead; else a service's providers, a referral's referring service, a "
        "measure's participants), most severe first, with the plan measures that address "
        "them."), ""]
    if not data["actions"]:
        out.append(tr("No finding names an accountable organisation."))
    elif data.get("any_measures"):
        out += [tr("A finding without a line “Plan measures:” has no plan measure addressing it."), ""]
    else:
        out += [tr("No plan measure addresses any of these findings."), ""]
    if data["unowned"]:
        out += [f"### {tr('Nobody is accountable')}", ""]
        out += [finding_line(f, data, tr, cell) for f in data["unowned"]]
        out.append("")
    for a in data["actions"]:
        out += [f"### {cell(a['label'])} (`{a['id']}`)", ""]
        for grp in a["groups"]:
            out.append(f"**{titles[grp['severity']]} ({grp['count']})**")
            out.append("")
            for f in grp["findings"]:
                plan = "; ".join(f"{cell(m['label'])} (`{m['id']}`)" for m in f["measure_labels"])
                out.append(finding_line(f, data, tr, cell)
                           + (" — " + tr("plan measures: {measures}").format(measures=plan)
                              if plan else ""))
            if grp["more"]:
                out.append("- " + tr.ngettext(
                    "… and {n} more (the action list to download has every one).",
                    "… and {n} more (the action list to download has every one).",
                    grp["more"]).format(n=num(grp["more"])))
            out.append("")
    out += _handoffs_markdown(data["handoffs"], cell, tr)
    out += _raci_markdown(data["raci"], cell, tr)
    # plain text: the names' language marks (for the HTML) left out
    return unmarked("\n".join(out).rstrip("\n") + "\n")


def handoffs_said(organisations: int, handoffs: int, clients: float, partial: bool,
                  tr: Translator) -> str:
    """The ecosystem summary's sentence, each count in its singular or plural, the clients
    a month whole (a half up, as every text writes them); when a flow between two
    organisations is hidden (a small cell is part of it), its total is of the flows shown
    and the sentence says so.

    >>> from polku.present.i18n import translator
    >>> handoffs_said(2, 1, 638.5, False, translator("en"))
    '2 organisations refer clients to each other: 1 referral crosses from one organisation to another, 639 clients a month.'
    """
    shown = tr.clients(clients)
    said = dict(organisations=tr.ngettext("{n} organisation", "{n} organisations",
                                          organisations).format(n=tr.number(organisations)),
                handoffs=tr.ngettext("{n} referral crosses from one organisation to another",
                                     "{n} referrals cross from one organisation to another",
                                     handoffs).format(n=tr.number(handoffs)),
                clients=shown)
    if partial:
        return tr.ngettext("{organisations} refer clients to each other: {handoffs}, {clients} "
                           "client a month in the flows whose figures are shown (a flow of "
                           "only a few clients is hidden to protect privacy).",
                           "{organisations} refer clients to each other: {handoffs}, {clients} "
                           "clients a month in the flows whose figures are shown (a flow of "
                           "only a few clients is hidden to protect privacy).",
                           as_counted(shown)).format(**said)
    return tr.ngettext("{organisations} refer clients to each other: {handoffs}, {clients} "
                       "client a month.",
                       "{organisations} refer clients to each other: {handoffs}, {clients} "
                       "clients a month.", as_counted(shown)).format(**said)


def counts_said(counts: dict[str, int], tr: Translator) -> str:
    """The report's first line of counts (*12 services, 1 client segment, …*), each in its
    singular or plural; the plan's measures after them where the graph has a plan."""
    num = tr.number
    said = ", ".join([
        tr.ngettext("{n} service", "{n} services", counts["service"]).format(
            n=num(counts["service"])),
        tr.ngettext("{n} client segment", "{n} client segments", counts["segment"]).format(
            n=num(counts["segment"])),
        tr.ngettext("{n} referral", "{n} referrals", counts["referral"]).format(
            n=num(counts["referral"])),
        tr.ngettext("{n} actor", "{n} actors", counts["actor"]).format(
            n=num(counts["actor"]))]) + "."
    if counts.get("measure"):
        said += " " + tr.ngettext("{n} plan measure.", "{n} plan measures.",
                                  counts["measure"]).format(n=num(counts["measure"]))
    return said


def long_wait_said(generated: str, days: float, tr: Translator) -> str:
    """When the report was made and the long-wait threshold, in its singular or plural."""
    shown = tr.number(days)
    return tr.ngettext("Generated {time}; a wait counts as long above {days} day.",
                       "Generated {time}; a wait counts as long above {days} days.",
                       as_counted(shown)).format(time=generated, days=shown)


def people_reached(people: int, tr: Translator) -> str:
    """The people a decision reaches, as decisions.html says it beside the sentence."""
    return tr.ngettext("({n} person in the client segments it reaches)",
                       "({n} people in the client segments it reaches)",
                       people).format(n=tr.number(people))


def _handoffs_markdown(h: dict[str, Any], cell: Any, tr: Translator) -> list[str]:
    """The ecosystem at a glance: the largest client flows between organisations."""
    num = tr.number
    out = ["", "## " + tr("The ecosystem at a glance"), "", h["said"]]
    if h["pairs"]:
        out += ["", "| " + " | ".join([tr("from"), tr("to"), tr("referrals"),
                                       tr("clients a month"),
                                       tr("client information does not travel or unknown"),
                                       tr("without an owner")]) + " |", "|---|---|--:|--:|--:|--:|"]
        out += [f"| {cell(p['from_label'])} | {cell(p['to_label'])} | {num(p['referrals'])} | "
                f"{p['clients_shown']} | "
                f"{num(p['no_information'] + p['unknown_information'])} | {num(p['no_owner'])} |"
                for p in h["pairs"]]
    return out


def decisions_markdown(data: dict[str, Any], tr: Translator, cell: Any) -> list[str]:
    """The first page's decisions as markdown (:mod:`polku.present.decisions`)."""
    out = [f"## {tr('Decisions to make')}", ""]
    if not data.get("decisions"):
        return out + [tr("Nothing to decide: no finding names an accountable organisation."), ""] \
            + ([data["set_aside_note"], ""] if data.get("set_aside_note") else [])
    sev = severity_names(tr)
    for i, c in enumerate(data["decisions"], 1):
        said = f"{c['question']} {c['sentence']}" if c.get("question") else c["sentence"]
        out.append(f"{i}. **{sev[c['severity']]}: {cell(said)}**"
                   + (" " + people_reached(c["people"], tr) if c["people"] else ""))
        out += [f"   - {cell(also)}" for also in c.get("also", ())]
        out.append(f"   - {tr('Decides')}: " + decides_text(c, tr, cell))
        if c["partners"]:
            out.append(f"   - {tr('Partners')}: " + partners_text(c, tr, cell))
        if c["measure"]:
            out.append(f"   - {tr('Plan measure')}: {cell(c['measure']['label'])} ("
                       + tr("ends {month}").format(month=tr.month(c["measure"]["end"])) + ")")
        if c["suggestion"]:
            out.append(f"   - {tr('Checked suggestion')}: "
                       f"{cell(c['suggestion'])}"
                       + (f" – {cell(c['effect'])}" if c.get("effect") else ""))
        if c.get("followups"):
            out.append(f"   - {tr('Follow-up')}: "
                       + "; ".join(cell(u["text"]) for u in c["followups"]))
        if c.get("declined"):
            out.append(f"   - {tr('No capacity raise')}: {cell(c['declined'])}")
    aside = data.get("set_aside") or {}
    note = unowned_note(data.get("unowned") or [], tr, data["decisions"], aside)
    if note:
        out += ["", note]
    if data.get("set_aside_note"):
        out += ["", data["set_aside_note"]]
    return out + [""]


def decides_text(c: dict[str, Any], tr: Translator, cell: Any = str) -> str:
    """Who decides a decision and why ("Keusote (the lead of the referring service)"), or
    that nobody does yet."""
    if not c["accountable"]:
        return tr("nobody yet (nobody is accountable for it)")
    return "; ".join(cell(a["label"]) + (f", {a['why']}" if a.get("why") else "")
                     for a in c["accountable"])


def partners_text(c: dict[str, Any], tr: Translator, cell: Any = str) -> str:
    """A decision's partners, the first few by name and the rest counted."""
    said = c.get("partners_separator", ", ").join(cell(a["label"]) for a in c["partners"])
    if c.get("more_partners"):
        said += " " + tr.ngettext("and {n} other", "and {n} others", c["more_partners"]).format(
            n=tr.number(c["more_partners"]))
    return said


def unowned_note(unowned: list[dict[str, Any]], tr: Translator,
                 chosen: list[dict[str, Any]] | None = None,
                 aside: dict[str, list[str]] | None = None) -> str:
    """What the first page leaves out: the findings nobody is accountable for that are not
    among its decisions (``chosen``; listed under "Nobody is accountable"), and how many of
    them are errors; empty when the page has them all. Those its follow-ups closed
    (``aside``, :func:`polku.present.decisions.set_aside`) are counted apart, once."""
    shown = {k for c in chosen or () for k in c.get("keys", (c["key"],))}
    shown |= {k for keys in (aside or {}).values() for k in keys}
    left = [f for f in unowned if f["key"] not in shown]
    n, errors = len(left), sum(f["severity"] == "error" for f in left)
    if not n:
        return ""
    said = tr.ngettext("{n} finding nobody is accountable for is not listed here (see "
                       "“Nobody is accountable”).",
                       "{n} findings nobody is accountable for are not listed here (see "
                       "“Nobody is accountable”).", n).format(n=tr.number(n))
    if errors:
        said += " " + tr.ngettext("{n} of them is an error.", "{n} of them are errors.",
                                  errors).format(n=tr.number(errors))
    return said


def _raci_markdown(m: Any, cell: Any, tr: Translator) -> list[str]:
    """The RACI matrix as a markdown table (role words; marks from the findings)."""
    from polku.present.raci_output import mark_label, raci_counts, role_label, row_name

    out = ["", "## " + tr("Responsibility matrix (RACI)"), ""]
    if not m.rows:
        return out + [tr("No responsibilities recorded.")]
    counts = ", ".join(f"{n} × {mark_label(k, tr)}" for k, n in m.marked().items() if n)
    out += [raci_counts(m, tr) + (f"; {counts}" if counts else "") + ".", "",
            f"| {tr('subject')} | " + " | ".join(cell(m.actor_labels.get(a, a)) for a in m.actors)
            + f" | {tr('mark')} |",
            "|---|" + "---|" * len(m.actors) + "---|"]
    for r in m.rows:
        roles = [role_label(c.role, tr) if (c := m.cell(a, r.subject)) else ""
                 for a in m.actors]
        # names, as the HTML matrix shows them (a referral by its two ends); the id beside
        out.append(f"| {cell(row_name(r))} (`{md_code(r.subject)}`) | " + " | ".join(roles) + " | "
                   + mark_label(r.mark, tr) + " |")
    return out


#: rows of the ecosystem summary's tables (organisations, pairs of organisations)
HANDOFF_ROWS = 12


def handoffs_worded(summary: dict[str, Any], g: nx.MultiDiGraph, tr: Translator
                    ) -> dict[str, Any]:
    """:func:`polku.analyses.handoffs.handoff_summary` with the organisations named in
    ``tr``'s language, the first :data:`HANDOFF_ROWS` of each table and how many more."""
    orgs, pairs = summary["organisations"], summary["pairs"]

    def clients(record: dict[str, Any], key: str) -> str:
        # whole clients, a half up, as every text writes them; a total a small cell is part
        # of: "at least" the clients shown, rounded down to stay a lower bound, never that
        # sum as if it were all (and hidden when nothing of it is shown)
        if key not in record.get("partial", ()):
            return tr.clients(record[key])
        return tr("at least {n}").format(n=tr.number(int(math.floor(record[key])))) \
            if record[key] else tr("hidden")

    return {"organisations": [dict(o, label=tr.label(g, o["id"]),
                                   clients_out_shown=clients(o, "clients_out"),
                                   clients_in_shown=clients(o, "clients_in"))
                              for o in orgs[:HANDOFF_ROWS]],
            "pairs": [dict(p, from_label=tr.label(g, p["from"]), to_label=tr.label(g, p["to"]),
                           clients_shown=clients(p, "clients"))
                      for p in pairs[:HANDOFF_ROWS]],
            "more_organisations": max(0, len(orgs) - HANDOFF_ROWS),
            "more_pairs": max(0, len(pairs) - HANDOFF_ROWS),
            # the total is of the flows shown; the sentence says so when one is hidden
            "said": handoffs_said(sum(1 for o in orgs if o["out"] or o["in"]),
                                  sum(p["referrals"] for p in pairs),
                                  sum(p["clients"] for p in pairs),
                                  any(p.get("partial") for p in pairs), tr)}


def _views(g: nx.MultiDiGraph, data: dict[str, Any], tr: Translator,
           progress: Progress = silent) -> dict[str, Any]:
    """The embedded interactive views: the largest segments."""
    from polku.present.views import page_assets, render_fragment
    from polku.present.views.facts import Facts

    findings = [f.to_dict() for f in data["findings"]]
    # One index of the graph for every view drawn (the views only read it).
    facts = Facts(g, findings, tr)
    # The whole ecosystem as one picture was a hairball with unreadable labels: the report
    # summarises it as organisations and their hand-offs (handoffs_worded) instead.
    views: list[dict[str, Any]] = []
    # a small cell arrives as "<5": it sorts as the smallest
    biggest = sorted(data["segments"], key=lambda s: (
        -(s["size"] if isinstance(s["size"], (int, float)) else 0), s["id"]))
    for i, s in enumerate(biggest[:EMBEDDED_SEGMENT_VIEWS]):
        progress(Phrase(N_("drawing the segment views")), i, min(len(biggest), EMBEDDED_SEGMENT_VIEWS))
        paths = best_paths(g, s["id"], k=3, eco=data["eco"])
        views.append({"title": tr("Client segment: {name}").format(name=s["label"]),
                      "html": render_fragment(
                          g, f"segment:{s['id']}", element_id=f"view-segment-{i + 1}",
                          # an h3 under the h2 "Views", its nodes and links as tables
                          # below it (the picture's text alternative: the file is alone)
                          height="560px", level=3, table=True, findings=findings, paths=paths, k=3,
                          eco=data["eco"], lang=tr.lang, facts=facts)})
    return {"assets": page_assets(), "views": views,
            "omitted": max(0, len(biggest) - EMBEDDED_SEGMENT_VIEWS)}


def report_html(g: nx.MultiDiGraph, data: dict[str, Any], views: bool = True,
                progress: Progress = silent, tr: Translator | None = None,
                switch: dict[str, str] | None = None, print_mode: bool = False) -> str:
    """The report as one self-contained HTML page (autoescaped template) in the language
    of ``tr``; ``switch`` (language → address) draws the language switch (the web UI). A
    name in another language than ``tr``'s is marked with it (WCAG 3.1.2)."""
    tr = (tr or translator()).marking()
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("polku", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    from polku.present.raci_output import raci_context

    extra = _views(g, data, tr, progress) if views else {"assets": "", "views": [],
                                                          "omitted": 0}
    env.globals.update(tr.jinja_globals())
    # names in another language than the report's marked with theirs (WCAG 3.1.2)
    return marked_html(env.get_template("report.html").render(
        d=data, path_text=lambda p: _path_text(p, tr), severity_names=severity_names(tr),
        switch=switch, print_mode=print_mode,
        unowned_note=unowned_note(data.get("unowned") or [], tr, data["decisions"],
                                  data.get("set_aside")),
        decides_text=lambda c: decides_text(c, tr), partners_text=lambda c: partners_text(c, tr),
        elsewhere_text=lambda b: elsewhere_text(b, tr), responsibility_title=tr(
            RESPONSIBILITY_TITLE),
        counts_said=lambda c: counts_said(c, tr),
        long_wait_said=lambda: long_wait_said(data["generated"], data["long_wait_days"], tr),
        actions_href="data:text/csv;charset=utf-8," + quote(data["actions_csv"]), **raci_context(data["raci"], tr, g), **extra))


def report_pdf(g: nx.MultiDiGraph, data: dict[str, Any], tr: Translator | None = None,
               progress: Progress = silent) -> bytes:
    """The report as a PDF (WeasyPrint): the HTML report without its interactive views, laid
    out by its print CSS (A4, the graph's title and the date on every page, page numbers,
    contents with page numbers, every section open)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: the pango library is missing
        # the library's own words (English, a path) say which part is missing: kept as
        # they are, beside the catalogued sentence
        raise PolkuError(N_("the PDF report needs WeasyPrint and the pango library "
                            "(scripts/setup installs them): {detail}"),
                         params={"detail": f"{e.__class__.__name__}: {e}"},
                         field="output") from None
    html = report_html(g, data, views=False, tr=tr, progress=progress, print_mode=True)
    progress(Phrase(N_("laying out the PDF")))
    return HTML(string=html).write_pdf()


def check_report_name(out: str | Path) -> None:
    """The report is written as HTML (``.html``, ``.htm``), markdown (``.md``) or PDF."""
    if Path(out).suffix.lower() not in (".html", ".htm", ".md", ".markdown", ".pdf"):
        raise PolkuError(N_("the report is written as .html, .md or .pdf"), params={},
                         file=str(out), field="output")


@gc_paused()
def write_report_data(g: nx.MultiDiGraph, data: dict[str, Any], out: str | Path,
                      tr: Translator, progress: Progress = silent) -> Path:
    """Write a report whose data the caller has (:func:`report_data` of the graph ``g``
    its reader sees) to ``out``, HTML, markdown or PDF by its suffix, atomically."""
    out = Path(out)
    check_report_name(out)
    if out.suffix.lower() == ".pdf":
        pdf = report_pdf(g, data, tr=tr, progress=progress)
        progress(Phrase(N_("writing {name}"), name=out.name))
        with atomic.output_file(out) as tmp:
            Path(tmp).write_bytes(pdf)
        return out
    text = report_markdown(data, tr) if out.suffix.lower() in (".md", ".markdown") else \
        report_html(g, data, progress=progress, tr=tr)
    progress(Phrase(N_("writing {name}"), name=out.name))
    atomic.write_text(out, text)
    return out
