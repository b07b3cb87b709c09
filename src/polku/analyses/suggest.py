"""Verified suggestions: edits that would resolve a finding, each checked before it is offered.

For a finding, a few candidate edits are computed from the graph itself:

- ``referral-without-owner``: make the organisation already most involved in the referring
  service its owner (its lead, else the provider with the most services);
- ``no-lead`` / ``segment-without-lead``: name a lead, the organisation already most involved
  in the subject (a provider of the service; a measure's participant; an actor with a role
  on the segment or providing its entry services);
- ``multiple-leads``: keep the most involved lead, the others become participants;
- ``path-broken``: add the missing referral between the two consecutive designed steps, for
  the path's segment, owned by the first step's lead or provider;
- ``over-capacity``: the capacity that brings the predicted Erlang C wait
  (:mod:`polku.analyses.queues`) under the long-wait limit;
- ``unmet-need``: open an existing service that addresses the need to the segment;
- ``service-without-provider``: add a provider, one that provides services meeting the same
  needs elsewhere;
- ``risk-without-mitigation``: give the risk a mitigating measure (another measure of the
  same goal).

Each candidate is applied to a copy of the workbook's sheets with the write contract's own
row rules (:func:`polku.io.sheets.apply`, the function the write API applies edits with, then the workbook import's checks) and the findings
are run again. It is offered only if its finding is gone and no new error-severity finding
appears; ``resolves`` and ``creates`` say what else changes. Edits are in the write API's own
terms (action, sheet, row key, row values), so a client applies them as they are.

>>> from polku.io.workbook import read_workbook
>>> g = read_workbook("graphs/keski-uusimaa")  # doctest: +SKIP
>>> suggest(g, "referral-without-owner:ref-ktt-tyokokeilu")[0]["edits"]  # doctest: +SKIP
[{'action': 'update', 'sheet': 'referrals', 'key': 'ref-ktt-tyokokeilu', 'row': {'owner': '...'}}]
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Callable, Collection, Iterator

import networkx as nx

from polku.errors import PolkuError
from polku.finding import Finding
from polku.graph import nodes_of, path_steps, responsibilities, sources, targets
from polku.kinds import LONG_WAIT_DAYS

#: candidates tried per finding; at most this many verified suggestions are offered
MAX_PER_FINDING = 3

Edit = dict[str, Any]


def _involvement(g: nx.MultiDiGraph) -> Counter:
    """How involved each actor is in the ecosystem: services provided plus roles held."""
    score: Counter = Counter()
    for s in nodes_of(g, "service"):
        for a in sources(g, s, "provides"):
            score[a] += 1
    for r in responsibilities(g):
        score[r.actor] += 2 if r.role == "lead" else 1
    return score


def _leads(g: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted({r.actor for r in responsibilities(g) if r.subject == node and r.role == "lead"})


def _ranked(candidates: list[str], score: Counter) -> list[str]:
    """Actors, the most involved first (ties by id)."""
    return sorted(set(candidates), key=lambda a: (-score[a], a))


def _edit(action: str, sheet: str, key: str | None, row: dict[str, Any]) -> Edit:
    return {"action": action, "sheet": sheet, "key": key, "row": row}


def _lead_row(actor: str, subject: str) -> Edit:
    return _edit("create", "responsibilities", f"{actor}~{subject}~lead",
                 {"actor": actor, "subject": subject, "role": "lead"})


def _free_id(g: nx.MultiDiGraph, base: str) -> str:
    if base not in g:
        return base
    n = 2
    while f"{base}-{n}" in g:
        n += 1
    return f"{base}-{n}"


def _candidates(g: nx.MultiDiGraph, f: Finding, score: Counter,
                long_wait_days: float) -> Iterator[list[Edit]]:
    """Candidate edit sets for one finding, the likeliest first."""
    kind, subject = f.kind, f.subject
    node_type = g.nodes[subject].get("type") if subject in g else None
    if kind == "referral-without-owner":
        src = targets(g, subject, "from")
        if src:
            for a in _ranked(_leads(g, src[0]) or sources(g, src[0], "provides"), score):
                yield [_edit("update", "referrals", subject, {"owner": a})]
    elif kind == "no-lead" and node_type == "service":
        for a in _ranked(sources(g, subject, "provides"), score):
            yield [_lead_row(a, subject)]
    elif kind == "no-lead" and node_type == "measure":
        participants = [r.actor for r in responsibilities(g)
                        if r.subject == subject and r.role == "participant"]
        for a in _ranked(participants, score):
            others = sorted(set(participants) - {a})
            yield [_edit("update", "measures", subject,
                         {"leads": a, "participants": ";".join(others)})]
    elif kind == "segment-without-lead":
        roles = [r.actor for r in responsibilities(g) if r.subject == subject]
        entry = [a for s in targets(g, subject, "entry") for a in sources(g, s, "provides")]
        for a in _ranked(roles or entry, score):
            if a in roles:
                role = next(r.role for r in responsibilities(g)
                            if r.subject == subject and r.actor == a)
                yield [_edit("update", "responsibilities", f"{a}~{subject}~{role}",
                             {"role": "lead"})]
            else:
                yield [_lead_row(a, subject)]
    elif kind == "multiple-leads" and node_type != "measure":
        leads = _ranked(_leads(g, subject), score)
        for keep in leads:
            yield [_edit("update", "responsibilities", f"{a}~{subject}~lead",
                         {"role": "participant"}) for a in leads if a != keep]
    elif kind == "path-broken":
        steps = path_steps(g, subject)
        pairs = [(a, b) for a, b in zip(steps, steps[1:]) if {a, b} == set(f.related)
                 or (a in f.related and b in f.related)]
        segment = targets(g, subject, "path_segment")
        for a, b in pairs[:1]:
            if g.nodes[a].get("type") != "service":
                continue
            owners = _ranked(_leads(g, a) or sources(g, a, "provides"), score)
            row: dict[str, Any] = {"id": _free_id(g, f"ref-{a}-{b}")[:120], "from": a, "to": b}
            if segment:
                row["segments"] = segment[0]
            for owner in owners[:2] or [None]:
                yield [_edit("create", "referrals", row["id"],
                             dict(row, **({"owner": owner} if owner else {})))]
    elif kind == "over-capacity":
        from polku.analyses.queues import queue

        inflow = f.metrics.get("inflow")
        places = int(g.nodes[subject].get("places") or 1)
        if isinstance(inflow, (int, float)):
            capacity = math.floor(inflow) + 1
            for _ in range(100_000):
                q = queue(inflow, capacity, places)
                if not q.unstable and q.wait_days is not None and q.wait_days <= long_wait_days:
                    break
                capacity += 1
            yield [_edit("update", "services", subject, {"capacity_per_month": capacity})]
    elif kind == "unmet-need":
        need = f.related[0] if f.related else None
        if need:
            for s in nodes_of(g, "service"):
                segs = targets(g, s, "for_segment")
                if need in targets(g, s, "addresses") and segs and subject not in segs:
                    yield [_edit("update", "services", s,
                                 {"segments": ";".join(sorted(segs + [subject]))})]
    elif kind == "service-without-provider":
        needs = set(targets(g, subject, "addresses"))
        elsewhere = [a for s in nodes_of(g, "service") if s != subject
                     and needs & set(targets(g, s, "addresses"))
                     for a in sources(g, s, "provides")]
        for a in _ranked(elsewhere, Counter(elsewhere) + score):
            yield [_edit("update", "services", subject, {"providers": a})]
    elif kind == "risk-without-mitigation":
        measure = next(iter(targets(g, subject, "has_risk") or sources(g, subject, "has_risk")),
                       None)
        goal = targets(g, measure, "in_goal") if measure else []
        if goal:
            for m in nodes_of(g, "measure"):
                if m != measure and targets(g, m, "in_goal") == goal:
                    title = str(g.nodes[m].get("name") or m)
                    yield [_edit("update", "risks", subject, {"mitigation": title})]


def verify(sheets: Any, name: str, edits_: list[Edit],
           run: Callable[[nx.MultiDiGraph], list[Finding]]) -> list[Finding] | None:
    """The findings after applying ``edits_`` to a copy of ``sheets`` with the write
    contract's row rules, or None when the rules refuse the result."""
    from polku.io.workbook import read_workbook
    from polku.io import sheets as edits

    try:
        for e in edits_:
            values = {k: edits.cell_text(v, k) for k, v in e["row"].items()}
            sheets, _ = edits.apply(sheets, e["action"], e["sheet"],
                                    None if e["action"] == "create" else e["key"], values)
        g = read_workbook(name, name=name, tables=edits.as_tables(sheets, lambda s: s))
    except PolkuError:
        return None
    return run(g)


def suggest(g: nx.MultiDiGraph, finding: str | None = None,
            long_wait_days: float = LONG_WAIT_DAYS,
            findings: list[Finding] | None = None,
            among: Collection[str] | None = None,
            limit: int = MAX_PER_FINDING) -> list[dict[str, Any]]:
    """Verified suggestions for every finding (or the one whose key is ``finding``, or those
    whose keys are ``among``): up to ``limit`` (at most :data:`MAX_PER_FINDING`) each, as
    ``{"finding": KEY, "edits": [...], "resolves": [KEYS], "creates": [KEYS]}`` in the
    findings' order. A key that names no finding is a located error (field ``finding``).

    A smaller ``limit`` gives the first suggestions of the full answer and stops verifying
    once they are found (the report shows one per decision); asking for several findings
    at once reads the graph's sheets once for all of them."""
    from polku.analyses.findings import find
    from polku.io import sheets as edits

    def run(graph: nx.MultiDiGraph) -> list[Finding]:
        return find(graph, long_wait_days=long_wait_days)

    before = findings if findings is not None else run(g)
    keys = {f.key for f in before}
    if finding is not None and finding not in keys:
        raise PolkuError(f"no finding has the key '{finding}' (polku findings lists the keys)",
                         field="finding")
    wanted = None if finding is None and among is None else \
        ({finding} if finding is not None else set()) | set(among or ())
    limit = min(limit, MAX_PER_FINDING)
    sheets = None
    name = str(g.graph.get("name", "graph"))
    score = _involvement(g)
    out: list[dict[str, Any]] = []
    for f in before:
        if wanted is not None and f.key not in wanted:
            continue
        offered = 0
        for tried, candidate in enumerate(_candidates(g, f, score, long_wait_days)):
            if offered >= limit or tried >= 3 * MAX_PER_FINDING:
                break
            if sheets is None:  # the whole graph as sheets: once, and only when needed
                sheets = edits.sheets_of_graph(g)
            after = verify(sheets, name, candidate, run)
            if after is None:
                continue
            after_keys = {x.key for x in after}
            created = [x for x in after if x.key not in keys]
            if f.key in after_keys or any(x.severity == "error" for x in created):
                continue
            out.append({"finding": f.key, "edits": candidate,
                        "resolves": sorted(keys - after_keys),
                        "creates": sorted(x.key for x in created)})
            offered += 1
    return out
