"""The RACI matrix: who leads, takes part in, is consulted on or informed of what.

Actors are the columns, subjects (services, referrals, segments, plan measures) the rows,
and a cell holds one actor's role on one subject with the role text the plan gave it
(e.g. "vastaa toimista sote-palveluja koskien") as its note. A referral's ``owner`` is its
lead, as the findings read it. Rows with nobody in charge, with several leads, or with the
division of work left for later are marked **from the findings** (:data:`MARK_OF_KIND`), so
the matrix, the responsibility view and the report count the same things.

:func:`raci` is the analysis (graph and findings in, plain data out); the printers (table,
CSV, JSON, .xlsx, HTML) are in :mod:`polku.present.raci_output`.

The matrix is data: ids, roles and marks, with the subjects and actors named by their
primary names; :func:`polku.present.raci_output.raci_worded` names them in a reader's
language, and the words people read for roles, marks and types (:data:`ROLE_LABELS`,
:data:`MARK_LABELS`, :data:`TYPE_LABELS`: English source texts of the catalogues) are
translated where shown (:mod:`polku.present.raci_output`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from polku.errors import PolkuError
from polku.finding import Finding, as_finding
from polku.graph import ROLES, Responsibility, label, targets
from polku.kinds import NO_LEAD_KINDS, SEVERAL_LEADS_KINDS
from polku.words import N_, NODE_TYPE_NAMES, ROLE_NAMES

#: Role → the word a leader reads: the one catalogue's (:mod:`polku.words`; Finnish
#: päävastuu, osallistuja, kuultava, tiedotettava).
ROLE_LABELS: dict[str, str] = ROLE_NAMES
#: Row mark → what it says.
MARK_LABELS: dict[str, str] = {
    "no-lead": N_("no lead"),
    "several-leads": N_("several leads"),
    "deferred": N_("division of work not agreed"),
}
#: The note on a cell that comes from a referral's ``owner``.
OWNER_NOTE = N_("owner of the referral")
#: Subject type → what the rows are called (the one catalogue's singular names).
TYPE_LABELS: dict[str, str] = {t: NODE_TYPE_NAMES[t][0]
                               for t in ("segment", "service", "referral", "measure")}


#: Finding kind → the mark it puts on its subject's row (first one wins, in this order).
MARK_OF_KIND: dict[str, str] = {
    **{k: "no-lead" for k in NO_LEAD_KINDS},
    **{k: "several-leads" for k in SEVERAL_LEADS_KINDS},
    "deferred-responsibility": "deferred",
}
#: ``--subjects`` choice → the node types shown, in row order.
SUBJECT_CHOICES: dict[str, tuple[str, ...]] = {
    "segments": ("segment",), "services": ("service",), "referrals": ("referral",),
    "measures": ("measure",), "all": ("segment", "service", "referral", "measure"),
}
_ROLE_RANK = {r: i for i, r in enumerate(ROLES)}


#: One actor's role on one subject; ``note`` the role text the plan or workbook gave: the
#: same record as a responsibility row (a referral's owner shows as its lead).
Cell = Responsibility


@dataclass(frozen=True)
class Row:
    """One subject: its type, label, the findings that mark it and the mark they give."""
    subject: str
    type: str
    label: str
    detail: str
    mark: str | None
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Raci:
    """The matrix as plain data: actors (columns), rows, and the filled cells."""
    graph: str
    subjects: str
    actors: tuple[str, ...]
    actor_labels: Mapping[str, str]
    rows: tuple[Row, ...]
    cells: tuple[Cell, ...]
    #: what people call the graph (its title; set at the edge, where the matrix is worded):
    #: ``graph`` is its id, as code reads it
    title: str = ""

    def cell(self, actor: str, subject: str) -> Cell | None:
        return self._index.get((actor, subject))  # type: ignore[attr-defined]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(c.actor, c.subject): c for c in self.cells})

    def marked(self) -> dict[str, int]:
        """How many rows carry each mark (every mark listed, zero included)."""
        counts = {m: 0 for m in MARK_LABELS}
        for r in self.rows:
            if r.mark:
                counts[r.mark] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The exchange shape: ``{"actors", "subjects", "cells": [{"actor", "subject",
        "role"}]}``, role one of ``lead``, ``participant``, ``consulted``, ``informed``."""
        return {"actors": list(self.actors), "subjects": [r.subject for r in self.rows],
                "cells": [{"actor": c.actor, "subject": c.subject, "role": c.role}
                          for c in self.cells]}


def marks(findings: Iterable[Finding | Mapping[str, Any]]) -> dict[str, str]:
    """Subject → its mark, from the findings (:data:`MARK_OF_KIND`).

    >>> marks([Finding("multiple-leads", "warning", "s"), Finding("no-lead", "error", "s"),
    ...        Finding("segment-without-lead", "warning", "g")])
    {'s': 'no-lead', 'g': 'no-lead'}
    """
    order = list(MARK_OF_KIND)
    best: dict[str, str] = {}
    for f in map(as_finding, findings):
        if f.kind in MARK_OF_KIND:
            cur = best.get(f.subject)
            if cur is None or order.index(f.kind) < order.index(cur):
                best[f.subject] = f.kind
    return {s: MARK_OF_KIND[k] for s, k in best.items()}


def raci(g: nx.MultiDiGraph, findings: Iterable[Finding | Mapping[str, Any]],
         subjects: str = "all") -> Raci:
    """The RACI matrix of the graph for the ``subjects`` choice (:data:`SUBJECT_CHOICES`),
    subjects and actors by their primary names, a referral owner's cell noted with
    :data:`OWNER_NOTE` (the English source text, translated where shown).

    Rows are the subjects with a role on them or a mark; one cell per actor and subject
    (the strongest role if an actor has several, their notes together). Rows are grouped by
    type (segments, services, referrals, measures) and sorted by id; actors by id.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph("g"); g.add_node("s", type="service", name="Palvelu")
    >>> for a in ("keusote", "kela"):
    ...     g.add_node(a, type="actor", name=a.title())
    ...     add_edge(g, a, "s", "responsibility", key="responsibility:lead", role="lead")
    >>> m = raci(g, [Finding("multiple-leads", "warning", "s", ("kela", "keusote"))])
    >>> m.to_json()["cells"][0], m.rows[0].mark
    ({'actor': 'kela', 'subject': 's', 'role': 'lead'}, 'several-leads')
    """
    if subjects not in SUBJECT_CHOICES:
        raise PolkuError(N_("unknown subjects '{value}' (use {choices})"),
                         params={"value": subjects, "choices": ", ".join(SUBJECT_CHOICES)},
                         field="subjects")
    types = SUBJECT_CHOICES[subjects]
    findings = [as_finding(f) for f in findings]
    row_marks = marks(findings)
    kinds_on: dict[str, set[str]] = {}
    for f in findings:
        if f.kind in MARK_OF_KIND:
            kinds_on.setdefault(f.subject, set()).add(f.kind)

    found: dict[tuple[str, str], tuple[str, list[str]]] = {}

    def put(actor: str, subject: str, role: str, note: str | None) -> None:
        cur_role, notes = found.get((actor, subject), (role, []))
        if _ROLE_RANK.get(role, 9) < _ROLE_RANK.get(cur_role, 9):
            cur_role = role
        if note and note not in notes:
            notes.append(note)
        found[(actor, subject)] = (cur_role, notes)

    # The adjacency dicts directly (as polku.analyses.reach does): networkx's edge view
    # costs several times as much per edge, and a national graph has some 50,000 edges.
    node = g._node
    for u, nbrs in g._adj.items():
        for v, keyed in nbrs.items():
            for d in keyed.values():
                kind = d.get("kind")
                if kind == "responsibility" and node[v].get("type") in types:
                    put(u, v, d.get("role", ""), d.get("note"))
                elif kind == "owner" and "referral" in types:
                    put(v, u, "lead", OWNER_NOTE)

    shown = {s for _, s in found} | {s for s in row_marks
                                      if s in g and g.nodes[s].get("type") in types}
    order = {t: i for i, t in enumerate(types)}
    rows = tuple(
        Row(s, g.nodes[s]["type"], label(g, s), detail(g, s), row_marks.get(s),
            tuple(sorted(kinds_on.get(s, ()))))
        for s in sorted(shown, key=lambda s: (order[g.nodes[s]["type"]], s)))
    row_index = {r.subject: i for i, r in enumerate(rows)}
    cells = tuple(Cell(a, s, role, "\n".join(notes) or None)
                  for (a, s), (role, notes) in sorted(found.items(),
                                                      key=lambda x: (row_index[x[0][1]], x[0][0])))
    actors = tuple(sorted({c.actor for c in cells}))
    return Raci(graph=g.graph.get("name", "graph"), subjects=subjects, actors=actors,
                actor_labels={a: label(g, a) for a in actors}, rows=rows, cells=cells)


def of_organisation(m: Raci, g: nx.MultiDiGraph, actor: str) -> Raci:
    """The matrix ``m`` narrowed to one organisation: its columns are ``actor`` and its units
    (up whose ``part_of`` chain it is while the parent is of the same kind, the rule of every
    door's actor filter, :func:`polku.analyses.accountable.for_actor`), its rows the subjects
    where one of them holds a role. What an organisation reads of a matrix of tens of
    columns: a terminal's width, not a thousand characters. A row with several leads keeps
    the column of each of its leads, another organisation's too: the conflict its mark
    names is seen, not just said. Each column shows its actor's cells on the rows kept, as
    the whole matrix does.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph("g"); g.add_node("s", type="service", name="S")
    >>> g.add_node("t", type="service", name="T")
    >>> for a in ("keusote", "unit", "kela"):
    ...     g.add_node(a, type="actor", name=a, kind="wellbeing-county" if a != "kela" else "state")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> add_edge(g, "unit", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> add_edge(g, "kela", "t", "responsibility", key="responsibility:lead", role="lead")
    >>> small = of_organisation(raci(g, []), g, "keusote")
    >>> small.actors, [r.subject for r in small.rows]
    (('unit',), ['s'])
    >>> add_edge(g, "kela", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> of_organisation(raci(g, []), g, "keusote").actors
    ('kela', 'unit')
    """
    from polku.analyses.accountable import units_of

    mine = units_of(g, actor)
    keep = {c.subject for c in m.cells if c.actor in mine}
    leads: dict[str, set[str]] = {}
    for c in m.cells:
        if c.role == "lead" and c.subject in keep:
            leads.setdefault(c.subject, set()).add(c.actor)
    shown = mine.union(*(a for a in leads.values() if len(a) > 1))
    cells = tuple(c for c in m.cells if c.actor in shown and c.subject in keep)
    actors = tuple(a for a in m.actors if a in shown)
    return replace(m, actors=actors, actor_labels={a: m.actor_labels[a] for a in actors},
                   rows=tuple(r for r in m.rows if r.subject in keep), cells=cells)


def detail(g: nx.MultiDiGraph, subject: str, name: Callable[[str], str] | None = None) -> str:
    """What a row needs beside its label: a referral's two ends (named by ``name``,
    default their primary names)."""
    if subject not in g or g.nodes[subject].get("type") != "referral":
        return ""
    name = name or (lambda x: label(g, x))
    src, dst = targets(g, subject, "from"), targets(g, subject, "to")
    return f"{', '.join(name(x) for x in src)} → {', '.join(name(x) for x in dst)}"
