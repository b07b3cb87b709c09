"""The leader's report: what is wrong with the ecosystem, readable in five minutes.

``polku report PATH -o report.html`` (or ``report.md``) gathers the analyses into one
document: finding counts by kind (with what each kind means), the errors first, then the
warnings and the rest; each segment's best path; the bottleneck ranking; responsibility
overlaps (several leads, no lead, overlapping services); who must act (for each
organisation, the findings it is accountable for by severity, with the plan measures on
them); the RACI matrix (:mod:`polku.raci`). The HTML is one self-contained
file (autoescaped Jinja2, inlined styles and scripts, nothing loaded from the network)
and embeds the interactive ecosystem view and the views of the largest segments from
:mod:`polku.render`. The markdown has the same text without the views.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import networkx as nx

from polku import atomic
from polku.bottlenecks import flow_ranking, ranking
from polku.errors import PolkuError
from polku.accountable import by_actor
from polku.finding import Finding, counts_by_kind, number
from polku.findings import KINDS, LONG_WAIT_DAYS, find
from polku.graph import label, summary
from polku.kinds import meaning
from polku.paths import best_paths
from polku.progress import Progress, silent
from polku.raci import raci
from polku.reach import ecosystem

RESPONSIBILITY_KINDS = ("multiple-leads", "no-lead", "overlapping-services")
LIST_LIMITS = {"error": 200, "warning": 100, "info": 50}
EMBEDDED_SEGMENT_VIEWS = 6


def report_data(g: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
                top: int = 10, progress: Progress = silent) -> dict[str, Any]:
    """Everything the report shows, as plain data (the templates only lay it out)."""
    progress("finding gaps, overlaps and bottlenecks")
    eco = ecosystem(g)
    findings = find(g, long_wait_days=long_wait_days, eco=eco)
    by_severity: dict[str, list[Finding]] = {"error": [], "warning": [], "info": []}
    for f in findings:
        by_severity[f.severity].append(f)
    per_subject = Counter(f.subject for f in findings)
    segments = []
    for i, s in enumerate(eco.segments):
        progress("best paths of the segments", i, len(eco.segments))
        best = best_paths(g, s, k=1, eco=eco)
        segments.append({
            "id": s, "label": label(g, s), "size": g.nodes[s].get("size"),
            "best": best[0] if best else None,
            "findings": per_subject[s],
        })
    progress("ranking bottlenecks")
    rows = ranking(g, eco)
    counts = summary(g)
    return {
        "graph": g.graph.get("name", "graph"),
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "long_wait_days": number(long_wait_days),
        "counts": {k: counts.get(k, 0) for k in ("actor", "service", "outcome", "need",
                                                  "segment", "referral", "path", "measure")},
        "total": len(findings),
        "severity_counts": {s: len(v) for s, v in by_severity.items()},
        "kinds": [{"severity": s, "kind": k, "count": n, "meaning": meaning(k)}
                  for s, k, n in counts_by_kind(findings)],
        "lists": [{"severity": s, "findings": [f.to_dict() for f in v[:LIST_LIMITS[s]]],
                   "more": max(0, len(v) - LIST_LIMITS[s])} for s, v in by_severity.items()],
        "segments": segments,
        "by_betweenness": rows[:top],
        "by_flow": flow_ranking(rows)[:top],
        "responsibility": [f.to_dict() for f in findings if f.kind in RESPONSIBILITY_KINDS],
        "actions": action_lists(g, findings),
        # Findings no organisation answers for (a segment nobody leads): shown on their own,
        # since they fall outside every action list.
        "unowned": [f.to_dict() for f in findings if not f.accountable],
        "raci": raci(g, findings),
        "findings": findings,
        "known_kinds": KINDS,
        "eco": eco,
    }


def action_lists(g: nx.MultiDiGraph, findings: list[Finding]) -> list[dict[str, Any]]:
    """For each actor with something to do: the findings it is accountable for, grouped by
    severity (errors first), each with the plan measures that address it; actors with the
    most errors first, then the most findings, then by id.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> a = action_lists(g, [Finding("long-wait", "warning", "r", accountable=("kela",))])
    >>> a[0]["label"], [(s["severity"], len(s["findings"])) for s in a[0]["groups"]]
    ('Kela', [('warning', 1)])
    """
    out = []
    for actor, mine in by_actor(findings).items():
        groups = []
        for sev in ("error", "warning", "info"):
            fs = [f for f in mine if f.severity == sev]
            if fs:
                groups.append({"severity": sev, "count": len(fs), "more": max(0, len(fs) - LIST_LIMITS[sev]),
                               "findings": [{**f.to_dict(), "measure_labels": [
                                   {"id": m, "label": label(g, m)} for m in f.measures]}
                                   for f in fs[:LIST_LIMITS[sev]]]})
        counts = {g_["severity"]: g_["count"] for g_ in groups}
        out.append({"id": actor, "label": label(g, actor), "total": len(mine),
                    "counts": counts, "groups": groups})
    out.sort(key=lambda a: (-a["counts"].get("error", 0), -a["total"], a["id"]))
    return out


def _path_text(p: dict[str, Any] | None) -> str:
    if not p:
        return "no path from its entries reaches an outcome"
    return " → ".join(s["label"] for s in p["steps"])


def report_markdown(data: dict[str, Any]) -> str:
    """The report as markdown (no interactive views)."""
    def cell(text: Any) -> str:
        return ("–" if text is None else str(text)).replace("|", "\\|").replace("\n", " ") \
            .replace("<", "&lt;").replace(">", "&gt;")

    c = data["counts"]
    sc = data["severity_counts"]
    out = [f"# polku report: {cell(data['graph'])}", "",
           f"{c['service']} services, {c['segment']} segments, {c['referral']} referrals, "
           f"{c['actor']} actors. **{data['total']} findings: {sc['error']} errors, "
           f"{sc['warning']} warnings, {sc['info']} info.** Long wait means over "
           f"{data['long_wait_days']} days. Generated {data['generated']}.", "",
           "## Findings by kind", "", "| severity | kind | count | means |", "|---|---|---:|---|"]
    out += [f"| {k['severity']} | `{k['kind']}` | {k['count']} | {cell(k['meaning'])} |"
            for k in data["kinds"]]
    titles = {"error": "Errors", "warning": "Warnings", "info": "For information"}
    for block in data["lists"]:
        if not block["findings"]:
            continue
        out += ["", f"## {titles[block['severity']]}", ""]
        out += [f"- `{f['kind']}` **{cell(f['subject'])}**: {cell(f['message'])}"
                for f in block["findings"]]
        if block["more"]:
            out.append(f"- … and {block['more']} more (`polku findings` lists every one)")
    out += ["", "## Each segment's best path", "",
            "| segment | best path | wait (days) | hand-offs |", "|---|---|---:|---:|"]
    for s in data["segments"]:
        b = s["best"]
        out.append(f"| {cell(s['label'])} (`{s['id']}`) | {cell(_path_text(b))} | "
                   f"{cell(b['total_wait_days'] if b else None)} | "
                   f"{cell(b['handoffs'] if b else None)} |")
    out += ["", "## Bottlenecks", "", "Structural importance (betweenness on the referral "
            "graph) is a ranking, not a finding: being central is not a defect.", "",
            "| # | service | betweenness | inflow | capacity | utilization |",
            "|---:|---|---:|---:|---:|---:|"]
    out += [f"| {r['rank']} | {cell(r['label'])} (`{r['service']}`) | {r['betweenness']} | "
            f"{cell(r['inflow'])} | {cell(r['capacity'])} | {cell(r['utilization'])} |"
            for r in data["by_betweenness"]]
    out += ["", "By flow:", "", "| service | utilization | inflow | capacity |",
            "|---|---:|---:|---:|"]
    out += [f"| {cell(r['label'])} (`{r['service']}`) | {cell(r['utilization'])} | "
            f"{cell(r['inflow'])} | {cell(r['capacity'])} |" for r in data["by_flow"]]
    out += ["", "## Responsibility overlaps", ""]
    if not data["responsibility"]:
        out.append("None found.")
    out += [f"- `{f['kind']}` **{cell(f['subject'])}**: {cell(f['message'])}"
            for f in data["responsibility"]]
    out += ["", "## Who must act", "", "For each organisation, the findings it is accountable "
            "for (its lead, else the providers or the referring service), with the plan measures "
            "that address them.", ""]
    if not data["actions"]:
        out.append("No finding names an accountable organisation.")
    if data["unowned"]:
        out += ["### Nobody is accountable", ""]
        out += [f"- `{f['kind']}` **{cell(f['subject'])}**: {cell(f['message'])}"
                for f in data["unowned"]]
        out.append("")
    for a in data["actions"]:
        out += [f"### {cell(a['label'])} (`{a['id']}`)", ""]
        for grp in a["groups"]:
            out.append(f"**{titles[grp['severity']]} ({grp['count']})**")
            out.append("")
            for f in grp["findings"]:
                plan = "; ".join(f"{cell(m['label'])} (`{m['id']}`)" for m in f["measure_labels"])
                out.append(f"- `{f['kind']}` **{cell(f['subject'])}**: {cell(f['message'])}"
                           + (f" — measures: {plan}" if plan else " — no plan measure"))
            if grp["more"]:
                out.append(f"- … and {grp['more']} more (`polku findings --actor {a['id']}`)")
            out.append("")
    out += _raci_markdown(data["raci"], cell)
    return "\n".join(out).rstrip("\n") + "\n"


def _raci_markdown(m: Any, cell: Any) -> list[str]:
    """The RACI matrix as a markdown table (role words; marks from the findings)."""
    from polku.raci import MARK_LABELS, ROLE_LABELS

    out = ["", "## Vastuumatriisi (RACI)", ""]
    if not m.rows:
        return out + ["No responsibilities recorded."]
    counts = ", ".join(f"{n} × {MARK_LABELS[k]}" for k, n in m.marked().items() if n)
    out += [f"{len(m.rows)} subjects, {len(m.actors)} actors" + (f"; {counts}" if counts else "")
            + ".", "", "| subject | " + " | ".join(f"`{cell(a)}`" for a in m.actors) + " | mark |",
            "|---|" + "---|" * len(m.actors) + "---|"]
    for r in m.rows:
        roles = [ROLE_LABELS.get(c.role, c.role) if (c := m.cell(a, r.subject)) else ""
                 for a in m.actors]
        out.append(f"| {cell(r.label)} (`{cell(r.subject)}`) | " + " | ".join(roles) + " | "
                   + (MARK_LABELS[r.mark] if r.mark else "") + " |")
    return out


def _views(g: nx.MultiDiGraph, data: dict[str, Any],
           progress: Progress = silent) -> dict[str, Any]:
    """The embedded interactive views: the ecosystem and the largest segments."""
    from polku import render

    findings = [f.to_dict() for f in data["findings"]]
    progress("drawing the ecosystem view")
    views = [{"title": "The ecosystem",
              "html": render.render_fragment(g, "ecosystem", element_id="view-ecosystem",
                                             height="640px", findings=findings)}]
    biggest = sorted(data["segments"], key=lambda s: (-(s["size"] or 0), s["id"]))
    for i, s in enumerate(biggest[:EMBEDDED_SEGMENT_VIEWS]):
        progress("drawing the segment views", i, min(len(biggest), EMBEDDED_SEGMENT_VIEWS))
        paths = best_paths(g, s["id"], k=3, eco=data["eco"])
        views.append({"title": f"Segment: {s['label']}",
                      "html": render.render_fragment(
                          g, f"segment:{s['id']}", element_id=f"view-segment-{i + 1}",
                          height="560px", findings=findings, paths=paths, k=3,
                          eco=data["eco"])})
    return {"assets": render.page_assets(), "views": views,
            "omitted": max(0, len(biggest) - EMBEDDED_SEGMENT_VIEWS)}


def report_html(g: nx.MultiDiGraph, data: dict[str, Any], views: bool = True,
                progress: Progress = silent) -> str:
    """The report as one self-contained HTML page (autoescaped template)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("polku", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    from polku.raci_output import raci_context

    extra = _views(g, data, progress) if views else {"assets": "", "views": [], "omitted": 0}
    return env.get_template("report.html").render(d=data, path_text=_path_text,
                                                  **raci_context(data["raci"]), **extra)


def write_report(g: nx.MultiDiGraph, out: str | Path, long_wait_days: float = LONG_WAIT_DAYS,
                 top: int = 10, progress: Progress = silent) -> Path:
    """Write the report to ``out``: HTML for ``.html``/``.htm``, markdown for ``.md``."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise PolkuError("the report is written as .html or .md", file=str(out))
    data = report_data(g, long_wait_days=long_wait_days, top=top, progress=progress)
    text = report_markdown(data) if suffix in (".md", ".markdown") else \
        report_html(g, data, progress=progress)
    progress(f"writing {out.name}")
    atomic.write_text(out, text)
    return out
