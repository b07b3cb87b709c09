"""Printers: the analyses' results as text for the terminal and as markdown, kept apart
from the analyses (which return plain data) so that the same data can be printed, served
as JSON or drawn, and an analysis never depends on how it is shown. What each function
prints is what the CLI command of the same name prints.

>>> from polku.finding import Finding
>>> print(findings_table("g", [Finding("dead-end", "error", "s", (), "S leads nowhere")]))
g: 1 finding(s)
      1  error    dead-end
<BLANKLINE>
error    dead-end  s: S leads nowhere
"""

from __future__ import annotations

from typing import Any, Iterable

from .finding import Finding, counts_by_kind, number, sort_findings
from .i18n import N_, Translator, translator


# -- findings (``polku findings``) -----------------------------------------------------------

def findings_table(graph_name: str, findings: Iterable[Finding]) -> str:
    """Findings as plain text for a terminal: a count line per kind, then one line each."""
    fs = sort_findings(findings)
    lines = [f"{graph_name}: {len(fs)} finding(s)"]
    lines += [f"  {n:>5}  {s:<7}  {k}" for s, k, n in counts_by_kind(fs)]
    if fs:
        lines.append("")
    width = max((len(f.kind) for f in fs), default=0)
    lines += [f"{f.severity:<7}  {f.kind:<{width}}  {f.subject}: {f.message}" for f in fs]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))


def findings_markdown(graph_name: str, findings: Iterable[Finding]) -> str:
    """Findings as a markdown document: counts by kind, then a table of every finding."""
    fs = sort_findings(findings)
    lines = [f"# Findings: {_md(graph_name)}", "", f"{len(fs)} finding(s).", "",
             "| severity | kind | count |", "|---|---|---:|"]
    lines += [f"| {s} | `{k}` | {n} |" for s, k, n in counts_by_kind(fs)]
    lines += ["", "| severity | kind | subject | related | message |", "|---|---|---|---|---|"]
    lines += [f"| {f.severity} | `{f.kind}` | `{_md(f.subject)}` | "
              f"{', '.join('`' + _md(r) + '`' for r in f.related)} | {_md(f.message)} |"
              for f in fs]
    return "\n".join(lines)


# -- a graph (``polku show``) ---------------------------------------------------------------

#: The node types as ``polku show`` names them (the keys of :func:`polku.graph.summary`).
TYPE_NAMES = {"actor": N_("actors"), "service": N_("services"), "outcome": N_("outcomes"),
              "need": N_("needs"), "segment": N_("client segments"),
              "referral": N_("referrals"), "responsibility": N_("responsibilities"),
              "path": N_("designed paths"), "goal": N_("plan goals"),
              "measure": N_("plan measures"), "indicator": N_("indicators"),
              "risk": N_("risks")}


def describe_text(info: dict, tr: Translator | None = None) -> str:
    """The :func:`describe` dict as a short plain-text summary in the language of ``tr``.

    >>> from polku.describe import describe
    >>> from polku.graph import new_graph
    >>> print(describe_text(describe(new_graph("x")), translator("en")))
    Graph x
      0 people in segments, 0 referrals a month
    """
    tr = tr or translator()
    counts = info["counts"]
    head = tr("Graph {name}").format(name=info["graph"])
    if info["regions"]:
        head += f" ({', '.join(info['regions'])})"
    lines = [head]
    if info.get("illustrative"):
        lines.append("  " + tr("Example data – the numbers are illustrative"))
    names = {k: tr(TYPE_NAMES[k]) if k in TYPE_NAMES else k for k in counts}
    width = max((len(names[k]) for k in counts), default=0)
    lines += [f"  {names[k]:<{width}}  {tr.number(n):>6}" for k, n in counts.items() if n]
    lines.append("  " + tr("{people} people in segments, {referrals} referrals a month").format(
        people=tr.number(info["people_in_segments"]),
        referrals=tr.number(info["referral_volume_per_month"])))
    if info["segments"]:
        lines.append(tr("Client segments:"))
        for s in info["segments"]:
            lines.append("  " + tr("{id}: {name} — size {size}, in work {rate}, enters at "
                                   "{entries}").format(
                id=s["id"], name=s["name"], size=tr.number(s["size"]),
                rate=tr.percent(s["participation_rate"]),
                entries=", ".join(s["entries"]) or tr("nowhere")))
    if info["outcomes"]:
        lines.append(tr("Outcomes:") + " " + ", ".join(o["name"] for o in info["outcomes"]))
    return "\n".join(lines)


# -- paths (``polku paths``) ----------------------------------------------------------------

def _step_text(s: dict[str, Any]) -> str:
    who = ", ".join(s["provider_labels"]) or ("–" if s["type"] == "service" else "")
    text = f"{s['label']} [{s['node']}]" + (f" — {who}" if who else "")
    if s["referral"]:
        wait = "wait ?" if s["wait"] is None else f"wait {s['wait']} d"
        owner = f", owner {s['owner_label']}" if s["owner"] else ", no owner"
        text = f"→ ({wait}{owner}{', HAND-OFF' if s['handoff'] else ''}) {text}"
    return text


def paths_text(report: dict) -> str:
    """:func:`polku.paths.paths_report` as plain text for the terminal."""
    lines = [f"Best paths for {report['segment_label']} ({report['segment']})"
             + (f" to {report['to']}" if report["to"] else "")]
    if report.get("needs"):
        lines.append(f"  needs: {', '.join(report['needs'])}")
    search = report.get("search") or {}
    if search and not search["exact"]:
        lines.append(f"  (bounded search: stopped after {search['expanded']} partial paths; "
                     "the paths below are good ones, not provably the best)")
    if not report["best"]:
        lines.append("  (no path from the segment's entries reaches an outcome)")
    for p in report["best"]:
        uncovered = (f", needs left uncovered: {', '.join(p['uncovered'])}" if p["uncovered"]
                     else (", covers every need" if report.get("needs") else ""))
        lines.append(f"{p['rank']}. {p['total_wait_days']} days, {p['handoffs']} hand-off(s)"
                     + (f", {p['unknown_waits']} unknown wait(s)" if p["unknown_waits"] else "")
                     + uncovered)
        lines += [f"     {_step_text(s)}" for s in p["steps"]]
    lines += ["", f"Designed paths ({len(report['designed'])}):"]
    for d in report["designed"]:
        state = f"BROKEN at {len(d['broken'])} step(s)" if d["broken"] else "ok"
        lines.append(f"- {d['label']} ({d['path']}): {state}, {d['total_wait_days']} days, "
                     f"{d['handoffs']} hand-off(s)"
                     + (f", needs left uncovered: {', '.join(d['uncovered'])}"
                        if d.get("uncovered") else ""))
        for s in d["steps"]:
            mark = "  ✗ no referral " if s.get("broken") else "    "
            lines.append(f"   {mark}{_step_text(s)}")
    return "\n".join(lines)


# -- bottlenecks and what-if (``polku bottlenecks``, ``polku whatif``) -------------------------

def bottlenecks_table(result: dict[str, Any]) -> str:
    """Plain-text tables of :func:`polku.bottlenecks.bottlenecks` for the terminal."""
    def fmt(v: Any) -> str:
        return "–" if v is None else str(v)

    lines = [f"Bottlenecks in {result['graph']}", "", "By betweenness (structural importance):",
             f"{'#':>4}  {'betweenness':>11}  {'inflow':>7}  {'capacity':>8}  {'util.':>5}  service"]
    for r in result["by_betweenness"]:
        lines.append(f"{r['rank']:>4}  {r['betweenness']:>11.4f}  {fmt(r['inflow']):>7}  "
                     f"{fmt(r['capacity']):>8}  {fmt(r['utilization']):>5}  "
                     f"{r['label']} ({r['service']})")
    lines += ["", "By flow (utilization, inflow):",
              f"{'util.':>5}  {'inflow':>7}  {'capacity':>8}  service"]
    for r in result["by_flow"]:
        lines.append(f"{fmt(r['utilization']):>5}  {fmt(r['inflow']):>7}  "
                     f"{fmt(r['capacity']):>8}  {r['label']} ({r['service']})")
    lines += ["", f"Bottleneck findings ({len(result['findings'])}):"]
    for f in result["findings"]:
        lines.append(f"  {f['severity']:<7}  {f['kind']:<24}  {f['message']}")
    return "\n".join(lines)


def whatif_text(result: dict[str, Any]) -> str:
    """:func:`polku.whatif.whatif` as plain text for the terminal."""
    lines = [f"What if {result['removed_label']} ({result['removed_type']}) were removed "
             f"from {result['graph']}?"]
    if len(result["removed_ids"]) > 1:
        lines.append(f"  also removed: {', '.join(i for i in result['removed_ids'] if i != result['removed'])}")
    lines.append(f"  findings: {result['before']} before, {result['after']} after")
    for title, key in (("Created", "created"), ("Resolved", "resolved"),
                       ("Gone with what was removed", "removed_with")):
        lines += ["", f"{title} ({len(result[key])}):"]
        lines += [f"  {f['severity']:<7}  {f['kind']:<24}  {f['message']}" for f in result[key]]
    return "\n".join(lines)


def _state_text(s: dict[str, Any]) -> str:
    if s["unstable"]:
        return f"utilisation {s['utilization'] if s['utilization'] is not None else '∞'}: " \
               "queue grows without bound"
    if s["utilization"] is None:
        return "no queue (capacity or inflow not known)" if s["inflow"] is None or \
            s["capacity"] is None else "capacity 0"
    return f"utilisation {s['utilization']}, wait {s['wait_days']} d"


def queue_whatif_text(result: dict[str, Any]) -> str:
    """:func:`polku.queues.queue_whatif` as plain text for the terminal."""
    ch = result["changes"]
    asked = [f"capacity of {k} to {v}" for k, v in ch["capacity"].items()]
    asked += [f"places of {k} to {v}" for k, v in ch["places"].items()]
    asked += [f"demand at {k} {'+' if v >= 0 else ''}{number(round(v * 100, 4))}%"
              for k, v in ch["demand"].items()]
    lines = [f"What if {', '.join(asked)} in {result['graph']}? (M/M/c queues, "
             f"{result['days_per_month']} days a month)"]
    for sid, s in result["services"].items():
        b, a = s["before"], s["after"]
        lines.append(f"  {s['label']} ({sid}): inflow {b['inflow']} → {a['inflow']}, "
                     f"capacity {b['capacity']} → {a['capacity']}, places {b['places']} → "
                     f"{a['places']}")
        lines.append(f"      before: {_state_text(b)}")
        lines.append(f"      after:  {_state_text(a)}")
    for title, key in (("Created", "created"), ("Resolved", "resolved")):
        found = result["findings"][key]
        lines += ["", f"{title} ({len(found)}):"]
        lines += [f"  {f['severity']:<7}  {f['kind']:<24}  {f['message']}" for f in found]
    return "\n".join(lines)


# -- event logs (``polku eventlog``) ------------------------------------------------------

def _as_dict(f: Any) -> dict[str, Any]:
    return f.to_dict() if isinstance(f, Finding) else f


def eventlog_text(stats: dict[str, Any]) -> str:
    """:func:`polku.eventlog.event_log_stats` as plain text for the terminal."""
    log = stats["log"]
    lines = [f"Event log: {log['events']} events, {log['cases']} cases, {log['handoffs']} "
             f"hand-offs over {log['months']} month(s) from {log['first']}"
             + ("" if log["has_end"] else " (no end column: waits run start to start)")]
    lines.append(f"Referrals seen ({len(stats['referrals'])}):")
    for rid, r in stats["referrals"].items():
        b = r["before"]
        lines.append(f"  {r['from_label']} → {r['to_label']} ({rid}): "
                     f"{r['handoffs']} hand-offs, {r['volume_per_month']} a month "
                     f"(was {b['volume_per_month'] if b['volume_per_month'] is not None else '?'}), "
                     f"median wait {r['median_wait_days']} d "
                     f"(was {b['median_wait_days'] if b['median_wait_days'] is not None else '?'})")
    if stats["not_seen"]:
        lines.append(f"Referrals the log never shows (kept as they were): {len(stats['not_seen'])}")
    lines += ["", f"Unmodelled flows ({len(stats['findings'])}):"]
    lines += [f"  {f['severity']:<7}  {f['kind']:<16}  {f['message']}"
              for f in map(_as_dict, stats["findings"])]
    return "\n".join(lines)


# -- the plan (``polku plan show``) ---------------------------------------------------------

def plan_table(summary: dict[str, list[dict[str, object]]], width: int = 48) -> str:
    """A readable text table of :func:`polku.plan.plan_summary`: goals as headings, a line per measure.

    >>> from polku.plan import SAMPLE, parse_plan, plan_summary
    >>> print(plan_table(plan_summary(parse_plan(SAMPLE).graph)))  # doctest: +NORMALIZE_WHITESPACE
    goal-1  Tavoite
      measure      title           months             leads  participants  ind  risks  deferred
      measure-1-1  Kootaan toimijat  2026-01..2026-09  ttl    keusote       1    1
    """
    def short(text: str) -> str:
        return text if len(text) <= width else text[:width - 1].rstrip() + "…"

    lines: list[str] = []
    by_goal: dict[object, list[dict[str, object]]] = {}
    for m in summary["measures"]:
        by_goal.setdefault(m["goal"], []).append(m)
    sections = [(g["id"], g["title"]) for g in summary["goals"]]
    if None in by_goal:
        sections.append((None, "(no goal)"))
    header = ("measure", "title", "months", "leads", "participants", "ind", "risks", "deferred")
    for gid, title in sections:
        ms = by_goal.get(gid, [])
        lines.append(f"{gid or '-'}  {title}")
        rows = [header] + [(
            str(m["id"]), short(str(m["title"])),
            f"{m['start'] or '?'}..{m['end'] or '?'}" if m["start"] or m["end"] else "-",
            ", ".join(m["leads"]) or "-", ", ".join(m["participants"]) or "-",  # type: ignore[arg-type]
            str(len(m["indicators"])), str(len(m["risks"])),  # type: ignore[arg-type]
            "deferred" if m["deferred"] else "") for m in ms]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines)
