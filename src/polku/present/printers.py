"""Printers: the analyses' results as text for the terminal and as markdown, kept apart
from the analyses (which return plain data) so that the same data can be printed, served
as JSON or drawn, and an analysis never depends on how it is shown. What each function
prints is what the CLI command of the same name prints.

Each printer speaks the language of its :class:`~polku.present.i18n.Translator` (default Finnish):
a finding's kind by its name (the code a user types beside it in the counts), its subject by
the name its message gives.

>>> from polku.finding import Finding
>>> print(findings_table("g", [Finding("dead-end", "error", "s", (), "S leads nowhere")],
...                      translator("fi")))
g: 1 havainto
      1  virhe     umpikuja (dead-end)
<BLANKLINE>
Mikään suunnitelman toimenpide ei koske näitä havaintoja.
<BLANKLINE>
virhe     umpikuja  S leads nowhere
          kenen on toimittava: ei vielä kukaan
          tunnus: dead-end:s
>>> print(findings_table("g", [], translator("sv")))
g: 0 iakttagelser
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from polku.finding import Finding, above, counts_by_kind, number, sort_findings
from polku.present.captions import path_caption
from polku.present.finding_names import FindingNames, plan_label
from polku.present.i18n import N_, Translator, as_counted, kind_name, severity_name, translator
from polku.words import NODE_TYPE_NAMES, REMOVAL_QUESTIONS, SEVERITY_NAMES, ngettext


# -- findings (``polku findings``) -----------------------------------------------------------


def _finding_count(n: int, tr: Translator) -> str:
    return tr.ngettext("{count} finding", "{count} findings", n).format(count=tr.number(n))


def followup_text(state: dict[str, Any] | None, tr: Translator,
                  g: nx.MultiDiGraph | None = None) -> str:
    """A follow-up as one short phrase: status, owner (by name, from ``g`` where given), due
    date as the reader writes dates ('' when there is none).

    >>> followup_text({"status": "in-progress", "owner": "te", "due": "2026-03-31",
    ...                "overdue": True}, translator("en"))
    'in progress, te, due 31 Mar 2026 (overdue)'
    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("te", type="actor", name="TE-palvelut")
    >>> followup_text({"status": "new", "recorded_status": "new", "owner": "te",
    ...                "due": "2026-03-31"}, translator("fi").plainly(), g)
    'uusi, TE-palvelut, määräaika 31.3.2026'
    """
    if not state or state.get("recorded_status") is None and state.get("status") == "new":
        return ""
    from polku.followup import STATUS_LABELS

    parts = [tr(STATUS_LABELS.get(state["status"], state["status"]))]
    if owner := state.get("owner"):
        from polku.present.messages import name

        parts.append(name(g, str(owner), tr) if g is not None and owner in g else str(owner))
    if state.get("due"):
        parts.append(tr("due {date}").format(date=tr.day(state["due"])))
    text = ", ".join(parts)
    return text + (" " + tr("(overdue)") if state.get("overdue") else "")


class ActingNames:
    """Who must act on a finding and the plan measures on it (its ``accountable`` and
    ``measures``) as people read them: an organisation by its name in ``tr``'s language
    (with its region in a merged graph), a measure by its number and title cut to
    ``width`` (``1.3 Kehitetään …``, as :func:`plan_labels`); an id ``g`` lacks (or no
    ``g``) as it is. Each node is named once, however many findings name it.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("te", type="actor", name="TE-palvelut", name_en="TE Services")
    >>> g.add_node("measure-1-3", type="measure", name="Kehitetään johtamista")
    >>> said = ActingNames(g, translator("en"))
    >>> said.actors(["te", "kela"]), said.measures(["measure-1-3"])
    (['TE Services', 'kela'], ['1.3 Kehitetään johtamista'])
    """

    def __init__(self, g: nx.MultiDiGraph | None, tr: Translator, width: int = 48) -> None:
        from polku.present.i18n import merged_region_names

        self.g, self.tr, self.width = g, tr.plainly(), width
        self.regions = merged_region_names(g, tr.lang) if g is not None else {}
        self._said: dict[tuple[str, str], str] = {}

    def actors(self, ids: Iterable[str]) -> list[str]:
        from polku.present.messages import name

        return self._named("actor", ids, lambda a: name(self.g, a, self.tr, self.regions))

    def measures(self, ids: Iterable[str]) -> list[str]:
        return self._named("measure", ids, lambda m: plan_label(self.g, m, self.tr, self.width))

    def _named(self, kind: str, ids: Iterable[str], say: Callable[[str], str]) -> list[str]:
        """Each id by ``say`` once (the same owner recurs on many findings); an id the graph
        does not hold as itself. Kept apart by ``kind``: an actor and a measure may share an
        id."""
        out = []
        for i in ids:
            key = (kind, i)
            if key not in self._said:
                self._said[key] = say(i) if self.g is not None and i in self.g else i
            out.append(self._said[key])
        return out


def findings_table(graph_name: str, findings: Iterable[Finding],
                   tr: Translator | None = None,
                   followups: dict[str, dict[str, Any]] | None = None,
                   g: nx.MultiDiGraph | None = None) -> str:
    """Findings as plain text for a terminal: a count line per kind, then one line each,
    under it who must act and the plan measures on it (by name from ``g`` where given,
    :class:`ActingNames`), its stable key (what ``polku suggest --finding`` and a follow-up
    take; indented under the kind, so that a key fits 100 columns) and its follow-up, when
    ``followups`` has one for its key (its owner by name)."""
    tr = tr or translator()
    followups = followups or {}
    fs = sort_findings(findings)
    sev = {s: severity_name(s, tr) for s in SEVERITY_NAMES}
    sw = max(7, *(len(v) for v in sev.values()))
    names = {f.kind: kind_name(f.kind, tr) for f in fs}
    lines = [f"{graph_name}: {_finding_count(len(fs), tr)}"]
    lines += [f"  {n:>5}  {sev[s]:<{sw}}  {names[k]}" + (f" ({k})" if names[k] != k else "")
              for s, k, n in counts_by_kind(fs)]
    if fs:
        lines.append("")
        # said once, not under every finding: a finding with no line of plan measures has none
        with_measures = sum(1 for f in fs if f.measures)
        if with_measures < len(fs):
            lines += [tr("No plan measure addresses any of these findings.") if not with_measures
                      else tr("A finding without a line “plan measures:” has no plan measure "
                              "addressing it."), ""]
    width = max((len(n) for n in names.values()), default=0)
    said = ActingNames(g, tr)
    under = f"{'':<{sw}}  "
    for f in fs:
        # the message names its subject (by name, with the id): no id in front of it
        lines.append(f"{sev[f.severity]:<{sw}}  {names[f.kind]:<{width}}  {f.message}")
        lines.append(under + tr("who must act: {actors}").format(
            actors="; ".join(said.actors(f.accountable)) or tr("nobody yet")))
        if f.measures:
            lines.append(under + tr("plan measures: {measures}").format(
                measures="; ".join(said.measures(f.measures))))
        lines.append(under + tr("key: {key}").format(key=f.key))
        if text := followup_text(followups.get(f.key), tr, g):
            lines.append(f"{'':<{sw}}  {'':<{width}}  → {text}")
    return "\n".join(lines)


def findings_output(format: str, graph_name: str, result: list[Finding], g: nx.MultiDiGraph,
                    tr: Translator, followups: dict | None = None, present: set | None = None,
                    names: dict[str, str] | None = None) -> str:
    """``polku findings`` and ``polku neo4j findings`` output: table, json or markdown, the
    findings (as the analyses give them) worded in ``tr``'s language from ``g``, the graph
    they were found in (in JSON each with its ``names``, its ids by name:
    :class:`polku.present.finding_names.FindingNames`); the graph's follow-ups as they
    stand beside the findings; the markdown table's subjects by ``names`` (id → what people
    call it) where given, else by their ids."""
    from polku.finding import findings_json
    from polku.present.messages import Wording, worded

    states = None
    if followups:  # imported only then: a short command pays for what it prints
        from polku.followup import effective, today

        present = {f.key for f in result} if present is None else present
        states = effective(followups, present, today())
    if format == "json":
        # worded and named line by line as the document is written: no worded copy of
        # each finding; each id named once for the whole document
        return findings_json(graph_name, result, states, Wording(g, tr).message,
                             FindingNames(g, tr))
    result = worded(result, g, tr)
    if format == "markdown":
        return findings_markdown(graph_name, result, tr, states, names=names, g=g)
    return findings_table(graph_name, result, tr, states, g)


def review_shown(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """:func:`polku.present.results.review_worded` as a page and the report show it: each
    overdue follow-up with its finding's ``name`` (its kind's and its subject's, as the
    findings created and resolved are worded: :func:`overdue_name`) and its ``text``, one
    phrase in ``tr``'s language (status, owner by name, due date)."""
    from polku.present.finding_names import FindingNames
    from polku.present.results import review_worded

    said = review_worded(result, g, tr)
    names = FindingNames(g, tr)
    return dict(said, overdue=[dict(o, name=overdue_name(o, names),
                                    text=overdue_text(o, tr, g))
                               for o in said["overdue"]])


def overdue_text(state: dict[str, Any], tr: Translator, g: nx.MultiDiGraph | None) -> str:
    """An overdue follow-up as every door words it (the change log page, the report and
    ``polku findings --since``): :func:`followup_text` and its note after a colon.

    >>> overdue_text({"status": "in-progress", "due": "2026-11-15", "overdue": True,
    ...               "note": "Lisäresurssi haussa"}, translator("fi"), None)
    'työn alla, määräaika 15.11.2026 (myöhässä): Lisäresurssi haussa'
    """
    text = followup_text(state, tr.plainly(), g)
    note = str(state.get("note") or "").strip()
    return f"{text}: {note}" if note else text


def overdue_name(state: dict[str, Any], names: Any) -> str:
    """An overdue follow-up's finding by name (:func:`polku.present.finding_names.key_named`
    from ``names``, a :class:`~polku.present.finding_names.FindingNames`): by its kind's name
    and its subject's, the key itself where the subject is no node of the graph."""
    from polku.present.finding_names import key_named

    return key_named(str(state["finding"]), names)


def review_output(format: str, graph_name: str, result: dict[str, Any], g: nx.MultiDiGraph,
                  tr: Translator) -> str:
    """``polku findings --since``: what changed since a version or a date of the change log
    (:class:`polku.ops.operations.Review`'s answer, worded from ``g``, the graph the reader
    sees, and the earlier graph it holds)."""
    import json

    from polku.present.results import review_worded

    said = review_worded(result, g, tr)
    if format == "json":
        return json.dumps({"graph": graph_name, **said}, ensure_ascii=False, indent=2)
    return changes_text(said, tr, markdown=format == "markdown", g=g)


def changes_text(result: dict[str, Any], tr: Translator | None = None,
                 markdown: bool = False, g: nx.MultiDiGraph | None = None) -> str:
    """``polku findings --since``: the findings created and resolved since a version, and
    the follow-ups past due (their owners by name from ``g`` where given)."""
    tr = tr or translator()
    since = result["since"]
    head = tr("Changes since the last review (version {version})").format(
        version=since["version"])
    lines = [f"# {head}" if markdown else head]
    # in markdown the data's text (a message names nodes) is escaped, the keys in code
    text = _md if markdown else str
    key = (lambda k: f"`{_md_code(k)}`") if markdown else str
    for title, found in ((tr("Created"), result["created"]), (tr("Resolved"), result["resolved"])):
        lines += ["", f"## {title} ({len(found)})" if markdown else f"{title} ({len(found)})"]
        lines += [f"- {severity_name(f['severity'], tr)}: {text(f['message'])} ({key(f['key'])})"
                  for f in found]
    overdue = result["overdue"]
    title = tr("Overdue")
    lines += ["", f"## {title} ({len(overdue)})" if markdown else f"{title} ({len(overdue)})"]
    # review_shown has worded them already where a page or the report asks: the finding by
    # its kind and subject, as the lines above name theirs, the owner by name alone (no id
    # in brackets after a name that people read), the key last, as above
    names = None
    if overdue and any("name" not in o for o in overdue):
        from polku.present.finding_names import FindingNames

        names = FindingNames(g, tr)
    lines += [f"- {text(o.get('name') or overdue_name(o, names))} — "
              f"{text(o.get('text') or overdue_text(o, tr, g))} "
              f"({key(o['finding'])})" for o in overdue]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside a markdown table cell (:func:`polku.present.markdown.md_text`)."""
    from polku.present.markdown import md_text

    return md_text(text)


def _md_code(text: str) -> str:
    """An id or key safe inside a code span in a markdown table cell."""
    from polku.present.markdown import md_code

    return md_code(text)


def suggestions_text(worded: list[dict[str, Any]], tr: Translator | None = None,
                     declined: list[dict[str, Any]] | None = None,
                     offered: list[dict[str, Any]] | None = None) -> str:
    """``polku suggest``: each verified suggestion as
    :func:`polku.present.suggestions.suggestions_worded` says it, under its finding (its key
    in brackets, to ask again with ``--finding``), numbered: the suggestions of one finding
    are alternatives, each applied alone. Under its number its edits (→, all of them
    together), what else it resolves (each with its key, as the JSON's ``resolves``) and
    what it creates; then each capacity raise not offered, and why
    (:func:`polku.present.suggestions.declined_worded`). ``offered``: the suggestions
    themselves, in the same order, whose ``resolves`` give the keys.

    >>> print(suggestions_text([{"finding": "k:a", "message": "A", "edits": ["x", "y"],
    ...                          "resolves": ["A", "B"], "creates": []}], translator("en"),
    ...                        offered=[{"finding": "k:a", "resolves": ["k:a", "k:b"]}]))
    A [k:a]
      1. Resolves this finding:
         → x
         → y
         also resolves: B [k:b]
    """
    tr = tr or translator()
    notes = [line for d in declined or () for line in (f"{d['message']} [{d['finding']}]",
                                                        f"  ✗ {d['text']}")]
    if not worded:
        return "\n".join([tr("No verified suggestions."), *notes])
    lines: list[str] = []
    n = 0
    for i, s in enumerate(worded):
        if not i or worded[i - 1]["finding"] != s["finding"]:  # a finding's suggestions follow it
            lines.append(f"{s['message']} [{s['finding']}]")
            n = 0
        n += 1
        # the number says where one alternative ends and the next begins
        lines.append(f"  {n}. " + tr("Resolves this finding:"))
        lines += [f"     → {text}" for text in s["edits"]]
        keys = offered[i]["resolves"] if offered else [None] * len(s["resolves"])
        also = [t + (f" [{k}]" if k else "") for t, k in zip(s["resolves"], keys)
                if k != s["finding"] and (k is not None or t != s["message"])]
        if also:
            lines.append("     " + tr("also resolves: {keys}").format(keys="; ".join(also)))
        if s["creates"]:
            lines.append("     " + tr("creates: {keys}").format(keys="; ".join(s["creates"])))
    return "\n".join(lines + notes)


def findings_markdown(graph_name: str, findings: Iterable[Finding],
                      tr: Translator | None = None,
                      followups: dict[str, dict[str, Any]] | None = None,
                      names: Mapping[str, str] | None = None,
                      g: nx.MultiDiGraph | None = None) -> str:
    """Findings as a markdown document: counts by kind, then a table of every finding (its
    stable key in code, then its follow-up when the graph has follow-ups, in the last
    columns; a follow-up's owner by name from ``g`` where given). The subject and related
    columns name a node by ``names`` (id → what people call it, e.g. ``1.3 Kehitetään …``)
    where it has one, else by its id as code (```measure-1-3```)."""
    tr = tr or translator()
    fs = sort_findings(findings)
    sev, kind, count = tr("severity"), tr("kind"), tr("count")
    subject, related, message = tr("subject"), tr("related"), tr("message")
    title = tr("Findings: {graph}").format(graph=_md(graph_name))
    lines = [f"# {title}", "", _finding_count(len(fs), tr) + ".", "",
             f"| {sev} | {kind} | {count} |", "|---|---|---:|"]
    lines += [f"| {severity_name(s, tr)} | {_md(kind_name(k, tr))} (`{k}`) | {tr.number(n)} |"
              for s, k, n in counts_by_kind(fs)]
    extra = f" {tr('follow-up')} |" if followups else ""
    key, who, plan = tr("finding key"), tr("who must act"), tr("plan measures")
    lines += ["", f"| {sev} | {kind} | {subject} | {related} | {message} | {who} | {plan} | "
              f"{key} |{extra}", "|---" * (9 if followups else 8) + "|"]
    names = names or {}
    said = ActingNames(g, tr)

    def node(n: str) -> str:
        return _md(names[n]) if n in names else f"`{_md_code(n)}`"

    lines += [f"| {severity_name(f.severity, tr)} | {_md(kind_name(f.kind, tr))} | "
              f"{node(f.subject)} | {', '.join(node(r) for r in f.related)} | {_md(f.message)} | "
              f"{_md('; '.join(said.actors(f.accountable)) or tr('nobody yet'))} | "
              f"{_md('; '.join(said.measures(f.measures))) or '–'} | `{_md_code(f.key)}` |"
              + (f" {_md(followup_text(followups.get(f.key), tr, g))} |" if followups else "")
              for f in fs]
    return "\n".join(lines)


# -- a graph (``polku show``) ---------------------------------------------------------------

#: The node types as ``polku show`` and the pages count them (the keys of
#: :func:`polku.graph.summary`): the plurals of the one catalogue, :mod:`polku.words`.
TYPE_NAMES = {t: several for t, (_, several) in NODE_TYPE_NAMES.items()}


def describe_text(info: dict, tr: Translator | None = None) -> str:
    """The :func:`describe` dict as a short plain-text summary in the language of ``tr``.

    >>> from polku.analyses.describe import describe
    >>> from polku.graph import new_graph
    >>> print(describe_text(describe(new_graph("x")), translator("en")))
    Graph x
      0 people in segments, 0 referrals a month
    """
    tr = tr or translator()
    counts = info["counts"]
    # the graph by its title where its graph sheet gives one, else by its id
    head = info.get("title") or tr("Graph {name}").format(name=info["graph"])
    merged = info.get("merged_regions")
    if info.get("region") and not merged:  # a merged graph's area is its regions'
        head += f" ({info['region']})"
    lines = [head]
    if merged:
        lines.append("  " + tr("regions: {regions}").format(regions=", ".join(merged)))
    if info.get("illustrative"):
        lines.append("  " + tr("Example data – the numbers are illustrative"))
    # the areas the nodes serve (a national actor's is the whole country): not the graph's
    # own region, so on a line of their own; a merged graph's region by region
    served = [r for r in info["regions"] if r != info.get("region")]
    if merged:
        lines += ["  " + tr("areas served ({region}): {areas}").format(
            region=a["region"], areas=", ".join(a["areas"]))
            for a in info.get("areas_by_region") or ()]
    elif served:
        lines.append("  " + tr("areas served: {areas}").format(areas=", ".join(served)))
    names = {k: tr(TYPE_NAMES[k]) if k in TYPE_NAMES else k for k in counts}
    width = max((len(names[k]) for k in counts), default=0)
    lines += [f"  {names[k]:<{width}}  {tr.number(n):>6}" for k, n in counts.items() if n]
    partial = info.get("partial") or ()
    unknown = info.get("unknown") or {}

    # the total each count of rows giving no figure leaves out
    unknown_totals = {total_key for total_key, rows in (("people_in_segments", "segments"),
                                                        ("referral_volume_per_month",
                                                         "referrals")) if unknown.get(rows)}

    def total(key: str, shown: str) -> str:
        # a total a small cell, or a figure nobody gave, is left out of is "at least" what
        # is shown
        return tr("at least {n}").format(n=shown) if key in partial or key in unknown_totals \
            else shown

    people, volume = info["people_in_segments"], info["referral_volume_per_month"]
    # a total of no figure known is unknown, never 0 people; each known one in its singular
    # or plural, by the figure as written (whole clients)
    if people is None and volume is None:
        lines.append("  " + tr("segment sizes and referral volumes unknown"))
    else:
        said = []
        for figure, key, shown_as, forms, unknown_text in (
                (people, "people_in_segments", tr.number,
                 ngettext("{n} person in segments", "{n} people in segments"),
                 N_("segment sizes unknown")),
                (volume, "referral_volume_per_month", tr.clients,
                 ngettext("{n} referral a month", "{n} referrals a month"),
                 N_("referral volumes unknown"))):
            if figure is None:
                said.append(tr(unknown_text))
            else:
                shown = shown_as(figure)
                said.append(tr.ngettext(*forms, as_counted(shown)).format(n=total(key, shown)))
        lines.append("  " + ", ".join(said))
    if people is not None and unknown.get("segments"):
        n = unknown["segments"]
        lines.append("  " + tr.ngettext("no size given for {n} client segment",
                                        "no size given for {n} client segments", n
                                        ).format(n=tr.number(n)))
    if volume is not None and unknown.get("referrals"):
        n = unknown["referrals"]
        lines.append("  " + tr.ngettext("no volume given for {n} referral",
                                        "no volume given for {n} referrals", n
                                        ).format(n=tr.number(n)))
    if info["segments"]:
        lines.append(tr("Client segments:"))
        for s in info["segments"]:
            lines.append("  " + tr("{id}: {name} — size {size}, in work {rate}, enters at "
                                   "{entries}").format(
                id=s["id"], name=s["name"], size=tr.number(s["size"]),
                rate=tr.percent(s["participation_rate"]),
                entries=", ".join(s.get("entry_names") or s["entries"]) or tr("nowhere")))
    if info["outcomes"]:  # (a merged graph's say their regions: no name twice)
        lines.append(tr("Outcomes:") + " " + ", ".join(o["name"] for o in info["outcomes"]))
    return "\n".join(lines)


# -- paths (``polku paths``) ----------------------------------------------------------------

def _step_text(s: dict[str, Any], tr: Translator) -> str:
    who = ", ".join(s["provider_labels"]) or ("–" if s["type"] == "service" else "")
    text = f"{s['label']} [{s['node']}]" + (f" — {who}" if who else "")
    if s["referral"]:
        # an outcome has no first contact to wait for: no wait there is no unknown one
        said = [] if s["wait"] is None and s["type"] == "outcome" else [
            tr("wait ?") if s["wait"] is None else tr("wait {days} d").format(
                days=tr.number(s["wait"]))]
        said.append(tr("owner {owner}").format(owner=s["owner_label"]) if s["owner"]
                    else tr("no owner"))
        # every step is a referral: what the reader needs marked is the organisation changing
        if s["handoff"]:
            said.append(tr("TO ANOTHER ORGANISATION"))
        text = f"→ ({', '.join(said)}) {text}"
    return text


def paths_text(report: dict, tr: Translator | None = None) -> str:
    """:func:`polku.analyses.paths.paths_report` as plain text for the terminal."""
    tr = tr or translator()
    head = tr("Best paths for {segment} ({id})").format(segment=report["segment_label"],
                                                        id=report["segment"])
    to = report["to"]
    if to and report.get("to_label") and report["to_label"] != to:
        to = f"{report['to_label']} ({to})"
    lines = [head + (" " + tr("to {outcome}").format(outcome=to) if to else "")]
    if report.get("needs"):
        lines.append("  " + tr("needs: {needs}").format(needs=", ".join(
            report.get("need_labels") or report["needs"])))
    search = report.get("search") or {}
    if search and not search["exact"]:
        lines.append("  " + tr("(bounded search: stopped after {count} partial paths; the "
                               "paths below are good ones, not provably the best)").format(
            count=tr.number(search["expanded"])))
    if not report["best"]:
        # no entry: no path starts, whatever it is asked to reach (as its finding says);
        # with --to the question is that outcome: others may well be reached
        lines.append("  " + (tr("(the segment has no entries, so no path can start)")
                             if not report.get("entries", True) else
                             tr("(no path from the segment's entries reaches {outcome})")
                             .format(outcome=to) if to else
                             tr("(no path from the segment's entries reaches an outcome)")))
    # one caption for the best and the designed paths, as the path explorer words them
    needs = bool(report.get("needs"))
    for p in report["best"]:
        lines.append(f"{p['rank']}. " + path_caption(p, tr, needs))
        lines += [f"     {_step_text(s, tr)}" for s in p["steps"]]
    lines += ["", tr("Designed paths ({count}):").format(count=len(report["designed"]))]
    for d in report["designed"]:
        state = (tr.ngettext("BROKEN at {count} step", "BROKEN at {count} steps",
                             len(d["broken"])).format(count=len(d["broken"])) if d["broken"]
                 else tr("ok"))
        lines.append(f"- {d['label']} ({d['path']}): {state}, " + path_caption(d, tr, needs))
        for s in d["steps"]:
            mark = "  ✗ " + tr("no referral") + " " if s.get("broken") else "    "
            lines.append(f"   {mark}{_step_text(s, tr)}")
    off = report.get("met_off_path_labels") or []
    if off:
        lines += ["", tr("Needs every best path leaves uncovered although the segment can "
                         "reach a service that meets them (no best path passes through it: a "
                         "side visit, referred there and back, or no referral onward to an "
                         "outcome):")]
        lines += [f"- {o['need_label']}: {', '.join(o['service_labels'])}" for o in off]
    return "\n".join(lines)


# -- bottlenecks and what-if (``polku bottlenecks``, ``polku whatif``) -------------------------

def _finding_lines(found: Iterable[dict[str, Any]], tr: Translator) -> list[str]:
    """One line a finding: its severity and kind by their names in ``tr``'s language, as
    wide as the longest of the list, then its message; a dash for none."""
    rows = [(severity_name(f["severity"], tr), kind_name(f["kind"], tr), f["message"])
            for f in found]
    if not rows:
        return ["  –"]
    sw = max(len(s) for s, _, _ in rows)
    kw = max(len(k) for _, k, _ in rows)
    return [f"  {s:<{sw}}  {k:<{kw}}  {m}" for s, k, m in rows]


def text_columns(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    """A plain-text table: each column as wide as its header or its widest cell, figures
    aligned right, the last ``left`` columns (names) left.

    >>> text_columns(["#", "palvelu"], [["1", "Palkkatuki"], ["10", "IPS"]])
    [' #  palvelu', ' 1  Palkkatuki', '10  IPS']
    """
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    first_left = len(header) - left

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i < first_left else
                         (str(c).ljust(w) if i < len(cells) - 1 else str(c))
                         for i, (c, w) in enumerate(zip(cells, widths)))
    return [line(header)] + [line(r) for r in rows]


#: the ranking's utilisation is the nominal one (the what-if's is the model's)
NOMINAL_NOTE = N_("This utilisation divides by the nominal capacity, as over-capacity does; "
                  "the queueing what-if's modelled utilisation divides by the effective "
                  "capacity, the one that gives the observed wait, and is another figure.")
#: what a "–" of the bottleneck ranking means, an "∞" and a hidden figure (the page says
#: the same). Not "the service has no capacity": a capacity of 0 reads so, and is "∞"
DASH_NOTE = N_("–: no figure (no capacity is given for the service, no referral into it "
               "says how many clients it brings, or its capacity and inflow are both 0).")
#: a capacity of 0 that clients are referred to, in the ranking and in the what-if
ZERO_NOTE = N_("∞: clients are referred to the service, but its capacity is 0: it can take "
               "none of them in, no figure says how full it is, and its queue grows without "
               "bound.")
#: (a threshold of 1 is one client: the singular and the plural, as every count)
HIDDEN_NOTE = ngettext("At least: a referral into the service has fewer than {n} client a "
                       "month (small numbers are left out to protect privacy), so its inflow "
                       "and utilisation are shown as at least those of the referrals whose "
                       "numbers are published; hidden: none of them is. In the ranking by "
                       "utilisation and inflow such a service comes after the services whose "
                       "figures are shown, by its id.",
                       "At least: a referral into the service has fewer than {n} clients a "
                       "month (small numbers are left out to protect privacy), so its inflow "
                       "and utilisation are shown as at least those of the referrals whose "
                       "numbers are published; hidden: none of them is. In the ranking by "
                       "utilisation and inflow such a service comes after the services whose "
                       "figures are shown, by its id.")


def ranking_note(rows: list[dict[str, Any]], min_cell: int, tr: Translator) -> str:
    """The note under the bottleneck ranking: what "–" means, what "∞" means when a row
    is a capacity of 0 that clients are referred to, and what hidden means when a row is
    hidden."""
    from polku.analyses.bottlenecks import zero_capacity_with_clients

    note = tr(DASH_NOTE)
    if any(zero_capacity_with_clients(r) for r in rows):
        note += " " + tr(ZERO_NOTE)
    if any(r.get("hidden") for r in rows):
        note += " " + tr.ngettext(*HIDDEN_NOTE, min_cell).format(n=min_cell)
    return note


def bottlenecks_table(result: dict[str, Any], tr: Translator | None = None) -> str:
    """Plain-text tables of :func:`polku.analyses.bottlenecks.bottlenecks` for the terminal."""
    tr = tr or translator()

    def fmt(v: Any) -> str:
        return tr.number(v)

    bt, inflow, cap, util, svc = (tr("betweenness"), tr("inflow"), tr("capacity"),
                                  tr("util."), tr("service"))
    lines = [tr("Bottlenecks in {graph}").format(graph=result["graph"]), "",
             tr("By betweenness (structural importance):")]

    def shown(r: dict[str, Any], key: str) -> str:
        # a hidden figure is said so, not drawn as "–" (which means there is none); a
        # utilisation always to two decimals, so that 0,80 and 0,91 line up, and "∞" for
        # a capacity of 0 that clients are referred to, as every door writes them
        if key == "utilization":
            return tr.utilisation(r)
        if r.get("hidden"):  # at least its published part, else hidden
            return tr.hidden_figure(r, key)
        # clients a month in whole clients, as the pages and the report write them
        return tr.clients(r[key])

    lines += text_columns(["#", bt, inflow, cap, util, svc], [
        [str(r["rank"]), tr.betweenness(r["betweenness"]), shown(r, "inflow"),
         fmt(r["capacity"]), shown(r, "utilization"), f"{r['label']} ({r['service']})"]
        for r in result["by_betweenness"]])
    lines += ["", tr("By flow (utilisation, inflow):")]
    lines += text_columns([util, inflow, cap, svc], [
        [shown(r, "utilization"), shown(r, "inflow"), fmt(r["capacity"]),
         f"{r['label']} ({r['service']})"] for r in result["by_flow"]])
    rows = result["by_betweenness"] + result["by_flow"]
    lines += ["", ranking_note(rows, result.get("min_cell", 5), tr)]
    lines += ["", tr("Bottleneck findings ({count}):").format(count=len(result["findings"]))]
    lines += _finding_lines(result["findings"], tr)
    return "\n".join(lines)


def whatif_text(result: dict[str, Any], tr: Translator | None = None,
                g: nx.MultiDiGraph | None = None) -> str:
    """:func:`polku.analyses.whatif.whatif` as plain text for the terminal (``g``: the
    graph it was worded from, which names a merged graph's node with its region)."""
    from polku.present.messages import name, named
    from polku.present.results import also_removed

    tr = tr or translator()
    kind = result["removed_type"]
    # a referral is named by its two ends, its kind in the words ('ohjaus A → B'); an actor
    # or a service by its kind, then its name with its id as messages name a node (the
    # JSON's removed_label is the name alone: the id is a field of its own)
    removed = result["removed"]
    lines = [tr("What if the {what} were removed from {graph}?").format(
        what=result["removed_label"], graph=result["graph"]) if kind == "referral"
        else tr(REMOVAL_QUESTIONS[kind]).format(
            name=name(g, removed, tr) if g is not None
            else named(removed, result["removed_label"]), graph=result["graph"])]
    also = also_removed(result, tr)
    if also:  # by their names (whatif_worded's removed_labels), the ids in the JSON
        lines.append("  " + tr("also removed: {names}").format(names=", ".join(also)))
    lines.append("  " + tr("findings: {before} before, {after} after").format(
        before=tr.number(result["before"]), after=tr.number(result["after"])))
    # a finding that vanished is not always good news: the ones gone with what was removed
    # or no longer reachable (a segment's access lost) are apart, each saying why
    for title, key in ((N_("Created ({count}):"), "created"),
                       (N_("Resolved ({count}):"), "resolved"),
                       (N_("Gone with what was removed or no longer reachable ({count}):"),
                        "removed_with")):
        lines += ["", tr(title).format(count=len(result[key]))]
        lines += _finding_lines([dict(f, message=f"{f['message']} — {reason_name(f, tr)}")
                                 if key == "removed_with" else f for f in result[key]], tr)
    return "\n".join(lines)


def reason_name(f: dict[str, Any], tr: Translator) -> str:
    """Why a finding of a what-if vanished (its ``reason``), in ``tr``'s language."""
    from polku.words import VANISHED_REASONS

    reason = f.get("reason", "resolved")
    return tr(VANISHED_REASONS[reason]) if reason in VANISHED_REASONS else str(reason)


def _state_text(s: dict[str, Any], tr: Translator) -> str:
    # the model's utilisation (inflow / the capacity it serves at), not the nominal one of
    # the bottleneck ranking and over-capacity: named so wherever it is shown
    share = s["modelled_utilization"]
    # a null utilisation is "capacity 0" (∞ when clients come) only where the capacity
    # is 0; anywhere else it is a figure not known, said as such, never a capacity
    zero = s["capacity"] == 0 or s.get("effective_capacity") == 0
    if s["unstable"]:
        if share is None and not zero:
            return tr("modelled utilisation not known: the queue grows without bound")
        return tr("modelled utilisation {utilisation}: the queue grows without bound").format(
            utilisation=tr.percent(share) if share is not None else "∞")
    if share is None:
        if s["inflow"] is None or s["capacity"] is None:
            return tr("no queue (capacity or inflow not known)")
        if zero:
            return tr("capacity 0")
        if s.get("wait_days") is not None:
            return tr("modelled utilisation not known, wait {days} d").format(
                days=tr.days(s["wait_days"]))
        return tr("modelled utilisation and wait not known")
    # a queue just short of full reads 99 %, never a rounded 100 % that does not grow
    return tr("modelled utilisation {utilisation}, wait {days} d").format(
        utilisation=tr.percent(min(share, 0.99)),
        days=tr.days(s["wait_days"]))


def _calibration_text(s: dict[str, Any], tr: Translator) -> str | None:
    """What the model of one service starts from: the observed wait, the capacity at which
    the model reproduces it, and how much of it is lead time the queue does not explain."""
    from polku.analyses.queues import MAX_CALIBRATED_UTILIZATION

    observed = s.get("observed_wait_days")
    cal = s.get("calibration")
    if cal and cal.get("effective_capacity") is not None:
        said = dict(days=tr.days(observed), effective=tr.clients(cal["effective_capacity"]),
                    ratio=tr.number(round(cal["ratio"], 2)))
        # the one count that takes a form (1 client a month: "1 asiakas kuukaudessa");
        # days are written as tr.days writes them, units without a plural (d, pv)
        one = as_counted(said["effective"])
        if cal.get("lead_days"):
            return tr.ngettext(
                "observed wait {days} d; calibrated: effective capacity {effective} a "
                "month ({ratio} × the nominal); {queue} d of the wait is the queue at "
                "a modelled utilisation of {most} (the most the calibration assumes) "
                "and {lead} d lead time that capacity and demand do not change",
                "observed wait {days} d; calibrated: effective capacity {effective} a "
                "month ({ratio} × the nominal); {queue} d of the wait is the queue at "
                "a modelled utilisation of {most} (the most the calibration assumes) "
                "and {lead} d lead time that capacity and demand do not change", one).format(
                queue=tr.days(max(0.0, observed - cal["lead_days"])),
                most=tr.percent(MAX_CALIBRATED_UTILIZATION), lead=tr.days(cal["lead_days"]),
                **said)
        return tr.ngettext("observed wait {days} d; calibrated: effective capacity {effective} "
                           "a month ({ratio} × the nominal), at which the queue gives that "
                           "wait",
                           "observed wait {days} d; calibrated: effective capacity {effective} "
                           "a month ({ratio} × the nominal), at which the queue gives that "
                           "wait", one).format(**said)
    if observed is not None:
        return tr("observed wait {days} d; modelled at its capacity").format(
            days=tr.days(observed))
    return None


#: a service whose figures the reader may not see, in the what-if's text
HIDDEN_QUEUE = ngettext("figures hidden: a referral into it has fewer than {n} client a month "
                        "(small numbers); the model's wait, utilisation and verdict are "
                        "hidden with them",
                        "figures hidden: a referral into it has fewer than {n} clients a month "
                        "(small numbers); the model's wait, utilisation and verdict are "
                        "hidden with them")


#: a service whose figures after the change rest on a hidden figure upstream
PARTIAL_QUEUE = ngettext("figures hidden: the change reaches it through a referral with fewer "
                         "than {n} client a month or a service whose inflow is hidden (small "
                         "numbers), so from the published figures the model would give it a "
                         "partial inflow after the change, and a wrong wait, utilisation and "
                         "verdict with it",
                         "figures hidden: the change reaches it through a referral with fewer "
                         "than {n} clients a month or a service whose inflow is hidden (small "
                         "numbers), so from the published figures the model would give it a "
                         "partial inflow after the change, and a wrong wait, utilisation and "
                         "verdict with it")


#: a hidden service with a lower bound before the change and none after it
NO_BOUND_AFTER = N_("no lower bound after the change: the change reaches the published "
                    "referrals into it through a service whose inflow is hidden or rests on "
                    "a hidden figure, so what they carry after it is, from the published "
                    "figures alone, a partial figure, not a lower bound")


def queue_whatif_text(result: dict[str, Any], tr: Translator | None = None) -> str:
    """:func:`polku.analyses.queues.queue_whatif` as plain text for the terminal: services
    by name, clients a month whole, days to one decimal below ten."""
    tr = tr or translator()
    num = tr.number
    ch = result["changes"]
    services = result["services"]

    def name(sid: str) -> str:
        return services.get(sid, {}).get("label", sid)

    from babel.lists import format_list

    def percent(v: float) -> str:
        # a change that is no change at one decimal (+0.01 %) gets the decimals it takes to
        # read as one: "rose by 0 %" asks nothing
        share = abs(v) * 100
        return num(above(share, 0, 1)) + \
            ("%" if tr.lang == "en" else "\u00a0%")

    asked = [tr("the capacity of {service} were {value}").format(service=name(k),
                                                                 value=num(v))
             for k, v in ch["capacity"].items()]
    asked += [tr("the number of places at {service} were {value}").format(
        service=name(k), value=num(v)) for k, v in ch["places"].items()]
    asked += [(tr("the demand at {service} rose by {change}") if v >= 0 else
               tr("the demand at {service} fell by {change}")).format(
        service=name(k), change=percent(v)) for k, v in ch["demand"].items()]
    lines = [tr("What if {changes} in {graph}? (M/M/c queues, {days} days a month)").format(
        changes=format_list(asked, locale=tr.lang), graph=result["graph"],
        days=num(result["days_per_month"]))]
    if result.get("observed", {}).get("source") == "eventlog":
        log = result["observed"]["log"]
        months = _months(log["months"], tr)
        first = tr.day(log["first"])  # the log's data is an ISO day; the reader's is 1.1.2025
        if log.get("events") is None:  # the public's: the log's counts are left out
            lines.append(tr("Observed waits and volumes from the event log over {months} "
                            "from {first}; how many clients, events and hand-offs it holds "
                            "is left out (small numbers)").format(
                months=months, first=first))
        else:
            lines.append(tr("Observed waits and volumes from the event log: {events} over "
                            "{months} from {first}").format(
                events=_events(log["events"], tr), months=months, first=first))
    labels = (tr("before:"), tr("after:"))
    width = max(map(len, labels))
    for sid, s in services.items():
        b, a = s["before"], s["after"]
        least = s.get("inflow_at_least") or {}
        if s.get("partial"):
            # its figures after the change rest on a hidden figure upstream and are hidden,
            # the reason in their place; those before it are of published figures alone
            # (no referral into it has a volume left out): shown as any service's
            lines.append(f"  {s['label']} ({sid}): " + tr(
                "inflow {inflow_before} → hidden, capacity {capacity_before} → "
                "{capacity_after}, places {places_before} → {places_after}").format(
                inflow_before=tr.clients(b["inflow"], b["capacity"]),
                capacity_before=num(b["capacity"]), capacity_after=num(a["capacity"]),
                places_before=num(b["places"]), places_after=num(a["places"])))
            said = _calibration_text(s, tr)
            if said:
                lines.append("      " + said)
            lines.append("      " + labels[0].ljust(width) + " " + _state_text(b, tr))
            small = result.get("min_cell") or 5
            lines.append("      " + labels[1].ljust(width) + " " + tr.ngettext(
                *PARTIAL_QUEUE, small).format(n=small))
            continue
        if s.get("hidden"):
            # its figures rest on a suppressed volume: hidden, which is not unknown
            lines.append(f"  {s['label']} ({sid}): " + tr(
                "inflow hidden, capacity {capacity_before} → {capacity_after}, places "
                "{places_before} → {places_after}").format(
                capacity_before=num(b["capacity"]), capacity_after=num(a["capacity"]),
                places_before=num(b["places"]), places_after=num(a["places"])))
            small = result.get("min_cell") or 5
            lines.append("      " + tr.ngettext(*HIDDEN_QUEUE, small).format(n=small))
            if least.get("before"):
                shown = tr.hidden_figure({"inflow_at_least": least["before"]}, "inflow")
                if least.get("after") != least["before"]:
                    # none after it: the published part is no lower bound then (a partial
                    # figure flows into it), hidden as the page says it
                    shown += " → " + tr.hidden_figure({"inflow_at_least": least.get("after")},
                                                      "inflow")
                lines.append("      " + tr("clients a month: {figure} (the published "
                                           "referrals into it)").format(figure=shown))
                if least.get("after") is None:
                    lines.append("      " + tr(NO_BOUND_AFTER))
            if s.get("observed_wait_days") is not None:
                lines.append("      " + tr(
                    "observed wait {days} d: the published wait of the referrals into it, "
                    "which the hidden volume does not change").format(
                    days=tr.days(s["observed_wait_days"])))
            continue
        lines.append(f"  {s['label']} ({sid}): " + tr(
            "inflow {inflow_before} → {inflow_after}, capacity {capacity_before} → "
            "{capacity_after}, places {places_before} → {places_after}").format(
            # read against the capacity: 15,03 against 15, not "15 → 15, capacity 15"
            inflow_before=tr.clients(b["inflow"], b["capacity"]),
            inflow_after=tr.clients(a["inflow"], a["capacity"]),
            capacity_before=num(b["capacity"]), capacity_after=num(a["capacity"]),
            places_before=num(b["places"]), places_after=num(a["places"])))
        said = _calibration_text(s, tr)
        if said:
            lines.append("      " + said)
        # the two labels padded alike, so that the figures stand in one column
        for label, state in zip(labels, (b, a)):
            lines.append("      " + label.ljust(width) + " " + _state_text(state, tr))
    # for the public, the findings about services whose figures are hidden are left out:
    # an empty list is then none of those the published figures can tell, not none
    from polku.present.results import NONE_TOLD, findings_left_out

    left_out = findings_left_out(result)
    for title, key in ((N_("Created ({count}):"), "created"),
                       (N_("Resolved ({count}):"), "resolved")):
        found = result["findings"][key]
        lines += ["", tr(title).format(count=len(found))]
        lines += ["  – " + tr(NONE_TOLD)] if left_out and not found \
            else _finding_lines(found, tr)
    return "\n".join(lines)


# -- event logs (``polku eventlog``) ------------------------------------------------------

def _as_dict(f: Any) -> dict[str, Any]:
    return f.to_dict() if isinstance(f, Finding) else f


def _months(n: int, tr: Translator) -> str:
    return tr.ngettext("{n} month", "{n} months", n).format(n=tr.number(n))


def _events(n: int, tr: Translator) -> str:
    return tr.ngettext("{n} event", "{n} events", n).format(n=tr.number(n))


def eventlog_text(stats: dict[str, Any], tr: Translator | None = None) -> str:
    """:func:`polku.io.eventlog.event_log_stats` as plain text for the terminal: counts in
    their plural forms, clients a month whole and days to one decimal below ten (as the
    what-if writes them: the log's figures are medians and averages, not exact counts),
    the graph's figures before it alike."""
    tr = tr or translator()
    num = tr.number
    log = stats["log"]

    def was(v: Any, said: Any) -> str:
        return "?" if v is None else said(v)

    lines = [tr("Event log: {events}, {cases}, {handoffs} over {months} from {first}").format(
        events=_events(log["events"], tr),
        cases=tr.ngettext("{n} case", "{n} cases", log["cases"]).format(n=num(log["cases"])),
        handoffs=tr.ngettext("{n} hand-off", "{n} hand-offs", log["handoffs"]).format(
            n=num(log["handoffs"])),
        months=_months(log["months"], tr), first=tr.day(log["first"]))
        + ("" if log["has_end"] else " " + tr("(no end column: waits run start to start)"))]
    lines.append(tr("Referrals seen ({count}):").format(count=len(stats["referrals"])))
    for rid, r in stats["referrals"].items():
        b = r["before"]
        lines.append(f"  {r['from_label']} → {r['to_label']} ({rid}): " + tr.ngettext(
            "{handoffs} hand-off, {volume} a month (was {volume_before}), median wait "
            "{wait} d (was {wait_before})",
            "{handoffs} hand-offs, {volume} a month (was {volume_before}), median wait "
            "{wait} d (was {wait_before})", r["handoffs"]).format(
            handoffs=num(r["handoffs"]), volume=tr.clients(r["volume_per_month"]),
            volume_before=was(b["volume_per_month"], tr.clients),
            wait=tr.days(r["median_wait_days"]),
            wait_before=was(b["median_wait_days"], tr.days)))
    if stats["not_seen"]:
        lines.append(tr("Referrals the log never shows (kept as they were): {count}").format(
            count=len(stats["not_seen"])))
    lines += ["", tr("Unmodelled flows ({count}):").format(count=len(stats["findings"]))]
    lines += _finding_lines(map(_as_dict, stats["findings"]), tr)
    return "\n".join(lines)


# -- merge (``polku merge``) --------------------------------------------------------------

def conflict_text(conflict: Any, tr: Translator) -> str:
    """A fact regions disagree on (:class:`polku.analyses.merge.Conflict`, or a finding they
    follow up differently, :class:`polku.analyses.merge.FollowUpConflict`) in ``tr``'s
    language.

    >>> from polku.analyses.merge import Conflict
    >>> c = Conflict("national/kela", "0246246-0", "name", {"a": "Kela", "b": "KELA"})
    >>> conflict_text(c, translator("fi"))
    "national/kela (Y-tunnus 0246246-0): Nimi: a: 'Kela'; b: 'KELA' (yhdistettyyn aineistoon jää alueen a arvo)"
    """
    from polku.analyses.merge import FollowUpConflict
    from polku.present.cells import column_shown

    said = "; ".join(tr("{region} says {value}").format(region=r, value=repr(v))
                     for r, v in conflict.values.items())
    # the column by its name in the reader's language, as the diff and the change log name
    # it (an extra column by its own name)
    if isinstance(conflict, FollowUpConflict):
        return tr("follow-up of {key}: {field}: {said} (the merged graph keeps {first}'s "
                  "follow-up)").format(key=conflict.key,
                                       field=column_shown("followups", conflict.field, tr),
                                       said=said, first=next(iter(conflict.values)))
    return tr("{actor} (business id {business_id}): {field}: {said} (the merged graph keeps "
              "{first}'s)").format(actor=conflict.actor, business_id=conflict.business_id,
                                   field=column_shown("actors", conflict.field, tr),
                                   said=said, first=next(iter(conflict.values)))


# -- diff (``polku diff``) ----------------------------------------------------------------

def diff_counts(result: dict[str, Any], tr: Translator) -> str:
    """What a diff counts, each count in its singular or plural (*1 tillagd, 2 borttagna*),
    as the text and the diff view's subtitle say it.

    >>> from polku.present.i18n import translator
    >>> r = {"added": ["a"], "removed": [], "changed": ["b", "c"],
    ...      "findings": {"created": ["f"], "resolved": []}}
    >>> diff_counts(r, translator("sv"))
    '1 tillagd, 0 borttagna, 2 ändrade; iakttagelser: 1 ny, 0 lösta'
    """
    f = result["findings"]
    added, removed, changed = (len(result[k]) for k in ("added", "removed", "changed"))
    created, resolved = len(f["created"]), len(f["resolved"])
    return tr("{added}, {removed}, {changed}; findings {created}, {resolved}").format(
        added=tr.ngettext("{n} added", "{n} added", added).format(n=added),
        removed=tr.ngettext("{n} removed", "{n} removed", removed).format(n=removed),
        changed=tr.ngettext("{n} changed", "{n} changed", changed).format(n=changed),
        created=tr.ngettext("{n} created", "{n} created", created).format(n=created),
        resolved=tr.ngettext("{n} resolved", "{n} resolved", resolved).format(n=resolved))


def diff_text(result: dict[str, Any], a: nx.MultiDiGraph, b: nx.MultiDiGraph,
              tr: Translator | None = None) -> str:
    """:func:`polku.analyses.diff.diff` for a terminal (its findings worded:
    :func:`polku.present.results.diff_worded`): ``+`` added, ``-`` removed, ``~`` changed
    with old → new; the words and labels in ``tr``'s language (default Finnish)."""
    from polku.present.cells import LEFT_OUT, cell_shown, sheet_of
    from polku.present.messages import subject_name

    tr = tr or translator()

    def name(g: nx.MultiDiGraph, node: str) -> str:
        said = subject_name(g, node, tr)
        return f"{said} ({node})" if said != node else node

    f = result["findings"]
    from polku.graph import title as graph_title

    lines = [f"{graph_title(a, tr.lang)} → {graph_title(b, tr.lang)}: "
             + diff_counts(result, tr)]
    lines += [f"+ {name(b, n)}" for n in result["added"]]
    lines += [f"- {name(a, n)}" for n in result["removed"]]
    for c in result["changed"]:
        lines.append(f"~ {name(b, c['id'])}")
        # columns by their names, choices by their words, ids by the names of what they
        # name (the old value's in a, the new one's in b), as the change log shows a row;
        # the JSON keeps the workbook's columns and values
        sheet = sheet_of(b, c["id"]) or sheet_of(a, c["id"])
        for field, (old, new) in c["fields"].items():
            column, before = cell_shown(sheet, field, old, a, tr)
            after = cell_shown(sheet, field, new, b, tr)[1]
            # a figure one graph left out as a small cell: hidden, and said so
            side = (c.get("left_out") or {}).get(field)
            why = " " + tr(LEFT_OUT[side]) if side else ""
            lines.append(f"    {column}: {before} → {after}{why}")
    for title, key in ((N_("findings created:"), "created"),
                       (N_("findings resolved:"), "resolved")):
        if f[key]:
            lines.append(tr(title))
            sev = [severity_name(x["severity"], tr) for x in f[key]]
            kinds = [kind_name(x["kind"], tr) for x in f[key]]
            sw, kw = max(map(len, sev)), max(map(len, kinds))
            lines += [f"  {s:<{sw}}  {k:<{kw}}  {x['message']}"
                      for s, k, x in zip(sev, kinds, f[key])]
    return "\n".join(lines)


# -- the plan (``polku plan show``) ---------------------------------------------------------

#: The columns of ``polku plan show`` (``ind`` = indicators).
PLAN_HEADER = (N_("measure"), N_("title"), N_("months"), N_("leads"), N_("participants"),
               N_("ind"), N_("risks"), N_("deferred"))


def plan_labels(g: nx.MultiDiGraph, tr: Translator, width: int = 48) -> dict[str, str]:
    """What people call the plan's nodes where a table names them: a measure by its number
    and title (``1.3 Kehitetään …``), an organisation, goal, indicator or risk by its name in
    ``tr``'s language, each cut to ``width``.

    >>> from polku.io.plan import SAMPLE, parse_plan
    >>> labels = plan_labels(parse_plan(SAMPLE).graph, translator("en"))
    >>> labels["measure-1-1"], labels["ttl"]
    ('1.1 Kootaan toimijat', 'Työterveyslaitos')
    """
    return {node: plan_label(g, node, tr, width) for node, kind in g.nodes(data="type")
            if kind in ("measure", "actor", "goal", "indicator", "risk")}


def plan_table(summary: dict[str, list[dict[str, object]]], width: int = 48,
               tr: Translator | None = None, names: Mapping[str, str] | None = None) -> str:
    """A readable text table of :func:`polku.io.plan.plan_summary`: goals as headings by
    their numbers, a line per measure by its number (``1.3``), its months as the reader
    writes them (``1/2026–9/2026``), organisations by their ``names`` (id → name, as the
    reader's language names them; ids where none is given); titles are cut to ``width``,
    and so is a name only when it alone is longer (a column is as wide as its longest cell,
    so a cut that the line has room for would only hide the name); the headings in ``tr``'s
    language (default Finnish).

    >>> from polku.io.plan import SAMPLE, parse_plan, plan_summary
    >>> print(plan_table(plan_summary(parse_plan(SAMPLE).graph), tr=translator("en"),
    ...                  names={"ttl": "Työterveyslaitos", "keusote": "Keusote"}))  # doctest: +NORMALIZE_WHITESPACE
    1. Tavoite
      measure  title             months               leads             participants  ind  risks  deferred
      1.1      Kootaan toimijat  Jan 2026 – Sep 2026  Työterveyslaitos  Keusote       1    1
    """
    from polku.present.views.plan import measure_number

    tr = tr or translator()
    names = names or {}

    def short(text: str, n: int = width) -> str:
        return text if len(text) <= n else text[:n - 1].rstrip() + "…"

    def actors(ids: object) -> str:
        return ", ".join(short(names.get(a, a)) for a in ids) or "-"  # type: ignore[attr-defined]

    lines: list[str] = []
    by_goal: dict[object, list[dict[str, object]]] = {}
    for m in summary["measures"]:
        by_goal.setdefault(m["goal"], []).append(m)
    sections = [(g["id"], g["title"]) for g in summary["goals"]]
    if None in by_goal:
        sections.append((None, tr("(no goal)")))
    header = tuple(tr(h) for h in PLAN_HEADER)
    for gid, title in sections:
        ms = by_goal.get(gid, [])
        number = re.fullmatch(r"goal-(\d+)", str(gid or ""))
        if number:
            lines.append(f"{number.group(1)}. {title}")  # as the plan numbers its goals
        else:
            lines.append(f"{gid}  {title}" if gid else str(title))
        rows = [header] + [(
            measure_number(str(m["id"])), short(str(m["title"])),
            tr.month_range(m["start"], m["end"]) if m["start"] or m["end"] else "-",
            actors(m["leads"]), actors(m["participants"]),
            str(len(m["indicators"])), str(len(m["risks"])),  # type: ignore[arg-type]
            tr("deferred") if m["deferred"] else "") for m in ms]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines)
