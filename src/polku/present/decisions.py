"""The report's first page: what to decide ("Päätettävät asiat", "Beslut att fatta").

A leader reads the first page and decides; the counts and the detail come after. Of all
findings, at most :data:`MAX_DECISIONS` become decisions, ranked by severity (errors first),
then by the people affected (the summed sizes of the client segments the finding names or
whose routes reach its subject), then by the nearest plan deadline (the earliest end month of
the plan measures on it). Each decision is one plain sentence (names, no ids), the
accountable organisation, the partners, the plan measure and its month, and the best
verified suggestion (:func:`polku.analyses.suggest.suggest`) in words.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from polku.finding import SEVERITY_RANK, Finding
from polku.present.i18n import Translator

#: decisions on the first page, at most (a page a leader reads, not a list)
MAX_DECISIONS = 7


def _segments(f: Finding, g: nx.MultiDiGraph, eco: Any) -> set[str]:
    """The client segments a finding is about: named in it, or reaching its subject."""
    named = {n for n in (f.subject, *f.related, f.metrics.get("segment"))
             if n in g and g.nodes[n].get("type") == "segment"}
    reached: set[str] = set()
    for n in (f.subject, *f.related):
        reached |= set(eco.service_segments.get(n, ()))
        ref = eco.refs.get(n)
        if ref is not None:
            reached |= set(ref.segments)
    return named | reached


def people_affected(f: Finding, g: nx.MultiDiGraph, eco: Any) -> float:
    """The summed sizes of the segments the finding reaches (unknown sizes count 0).

    >>> from polku.graph import new_graph
    >>> from polku.analyses.reach import ecosystem
    >>> g = new_graph(); g.add_node("s", type="segment", size=120)
    >>> people_affected(Finding("segment-without-lead", "warning", "s"), g, ecosystem(g))
    120
    """
    total = 0
    for s in _segments(f, g, eco):
        size = g.nodes[s].get("size")
        if isinstance(size, (int, float)):
            total += size
    return total


def _deadline(f: Finding, g: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The plan measure on the finding that ends first, as (end month, measure id)."""
    ends = [(str(g.nodes[m].get("end")), m) for m in f.measures
            if m in g and g.nodes[m].get("end")]
    return min(ends) if ends else None


def rank(findings: Iterable[Finding], g: nx.MultiDiGraph, eco: Any) -> list[Finding]:
    """The findings in the first page's order: severity, people affected (most first), the
    nearest plan deadline (findings without one after), then the findings' own order."""
    def key(item: tuple[int, Finding]) -> tuple:
        i, f = item
        d = _deadline(f, g)
        return (SEVERITY_RANK[f.severity], -people_affected(f, g, eco),
                (0, d[0]) if d else (1, ""), i)
    return [f for _, f in sorted(enumerate(findings), key=key)]


def _partners(f: Finding, g: nx.MultiDiGraph, eco: Any) -> list[str]:
    """Organisations involved in the subject besides the accountable ones: its providers
    and leads, and the actors the finding names."""
    found: set[str] = set()
    for n in (f.subject, *f.related):
        found |= set(eco.providers.get(n, ())) | set(eco.leads.get(n, ()))
        if n in g and g.nodes[n].get("type") == "actor":
            found.add(n)
    return sorted(found - set(f.accountable))


def edit_sentence(e: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> str:
    """One edit of a verified suggestion as a sentence a leader reads (names, no ids)."""
    from polku.graph import targets

    row, key, sheet, action = e["row"], str(e.get("key") or ""), e["sheet"], e["action"]
    lab = lambda n: tr.label(g, str(n))  # noqa: E731
    if sheet == "referrals" and action == "create":
        text = tr("Add a referral from {source} to {target}").format(
            source=lab(row.get("from")), target=lab(row.get("to")))
        return text + (tr(", owned by {owner}").format(owner=lab(row["owner"]))
                       if row.get("owner") else "")
    if sheet == "referrals" and set(row) == {"owner"}:
        return tr("Make {owner} the owner of the referral").format(owner=lab(row["owner"]))
    if sheet == "responsibilities" and key.count("~") == 2:
        actor, subject, _ = key.split("~")
        if action == "create" or row.get("role") == "lead":
            return tr("Name {actor} the lead of {subject}").format(actor=lab(actor),
                                                                 subject=lab(subject))
        if row.get("role") == "participant":
            return tr("{actor} takes part in {subject} without leading it").format(
                actor=lab(actor), subject=lab(subject))
    if sheet == "services" and set(row) == {"capacity_per_month"}:
        return tr("Raise the capacity of {service} to {n} clients a month").format(
            service=lab(key), n=tr.number(row["capacity_per_month"]))
    if sheet == "services" and set(row) == {"segments"}:
        new = sorted(set(str(row["segments"]).split(";")) - set(targets(g, key, "for_segment")))
        return tr("Open {service} to {segments}").format(
            service=lab(key), segments=", ".join(lab(n) for n in new))
    if sheet == "services" and set(row) == {"providers"}:
        return tr("Make {actor} a provider of {service}").format(actor=lab(row["providers"]),
                                                                 service=lab(key))
    if sheet == "measures" and row.get("leads"):
        return tr("Name {actor} the lead of {subject}").format(actor=lab(row["leads"]),
                                                             subject=lab(key))
    if sheet == "risks" and set(row) == {"mitigation"}:
        return tr("Mitigate the risk with the measure “{measure}”").format(
            measure=row["mitigation"])
    values = ", ".join(f"{k} {lab(v) if str(v) in g else v}" for k, v in row.items()
                       if k != "id" and v not in (None, ""))
    return f"{action} {sheet} {lab(key) if key in g else ''}: {values}".replace("  ", " ")


def suggestion_text(s: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> str:
    """A verified suggestion's edits in words (:func:`edit_sentence`), joined with semicolons.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> g.add_node("r", type="referral")
    >>> suggestion_text({"edits": [{"action": "update", "sheet": "referrals", "key": "r",
    ...                             "row": {"owner": "kela"}}]}, g, translator("en"))
    'Make Kela the owner of the referral'
    """
    return "; ".join(edit_sentence(e, g, tr) for e in s["edits"])


def decisions(findings: list[Finding], g: nx.MultiDiGraph, eco: Any, tr: Translator,
              suggestions: bool = True,
              long_wait_days: float | None = None) -> list[dict[str, Any]]:
    """The first page's decisions: at most :data:`MAX_DECISIONS`, each ``{"key", "severity",
    "sentence", "accountable": [{"id", "label"}], "partners": [...], "measure": {"id",
    "label", "end"} | None, "people": N, "suggestion": text | None}``. ``findings`` are
    worded plainly (:meth:`~polku.present.i18n.Translator.plainly`); the suggestions are
    verified on a copy of the graph (:func:`polku.analyses.suggest.suggest`)."""
    # a decision names who decides: findings nobody answers for have their own list
    chosen = rank([f for f in findings if f.accountable], g, eco)[:MAX_DECISIONS]
    best: dict[str, str] = {}
    if suggestions and chosen:
        from polku.analyses.suggest import suggest
        from polku.kinds import LONG_WAIT_DAYS

        # one call for all the decisions (the graph's sheets are read once), stopping at
        # the first verified suggestion of each: the page shows only that one
        for s in suggest(g, findings=findings, among=[f.key for f in chosen], limit=1,
                         long_wait_days=long_wait_days or LONG_WAIT_DAYS):
            best.setdefault(s["finding"], suggestion_text(s, g, tr))
    out = []
    for f in chosen:
        deadline = _deadline(f, g)
        out.append({
            "key": f.key, "kind": f.kind, "severity": f.severity, "sentence": f.message,
            "people": people_affected(f, g, eco),
            "accountable": [{"id": a, "label": tr.label(g, a)} for a in f.accountable],
            "partners": [{"id": a, "label": tr.label(g, a)} for a in _partners(f, g, eco)],
            "measure": None if deadline is None else {
                "id": deadline[1], "label": tr.label(g, deadline[1]), "end": deadline[0]},
            "suggestion": best.get(f.key),
        })
    return out
