"""Verified suggestions: edits that would resolve a finding, each checked before it is offered.

For a finding, a few candidate edits are computed from the graph itself:

- ``referral-without-owner``: make the referring service's lead (else one of its providers)
  the referral's owner, the one most involved in the referral first;
- ``no-lead`` / ``segment-without-lead``: name a lead, the organisation already most involved
  in the subject (a provider of the service; a measure's participant; an actor with a role
  on the segment or providing its entry services);
- ``multiple-leads``: keep one of the leads, the most involved in the subject first, the
  others become participants; a referral's owner is one of its leads (as the finding counts
  it), so keeping another lead makes that one the owner and the owner a participant;
- ``path-broken``: add the missing referral between the two consecutive designed steps, for
  the path's segment, owned by the first step's lead or provider;
- ``over-capacity``: the smallest capacity at which the queueing what-if
  (:func:`polku.analyses.queues.headroom`: Erlang C, calibrated to the observed waits as
  the what-if is by default) predicts headroom: utilisation at most
  :data:`polku.kinds.TARGET_UTILIZATION` (0.85) and a wait within the long-wait limit; the
  suggestion's ``predicted`` says the utilisation and wait before and after the change. It
  is offered only if it shortens the predicted wait by at least
  :data:`polku.kinds.MIN_WAIT_GAIN_DAYS` (7): where the wait is mostly lead time outside
  the queue, :func:`declined_capacities` says why no raise is offered instead;
- ``unmet-need``: open an existing service that addresses the need to the segment;
- ``service-without-provider``: add a provider, one that provides services meeting the same
  needs elsewhere;
- ``risk-without-mitigation``: give the risk a mitigating measure (another measure of the
  same goal).

"Most involved" (:func:`_in_subject`, :meth:`Context.ranked`) is counted in the subject
first: whether the actor provides the service, owns the referral or holds a role on the
segment; then how many of the subject's other ties it holds; the whole ecosystem
(:func:`_involvement`) only breaks ties, then the id.

Each candidate is applied to a copy of the workbook's sheets with the write contract's own
row rules (:func:`polku.io.sheets.apply`, the function the write API applies edits with, then the workbook import's checks) and the findings
are run again. It is offered only if its finding is gone, every finding it makes vanish is
resolved (:mod:`polku.analyses.vanished`: none gone because the edit removed something or
cut a segment's reach, for a loss of access is no fix) and no new error-severity finding
appears; ``resolves`` and ``creates`` say what else changes. Which kinds can have a
suggestion is one registry, :data:`GENERATORS` (a kind's candidate generator). Edits are in the write API's own
terms (action, sheet, row key, row values), so a client applies them as they are.

>>> from polku.io.workbook import read_workbook
>>> g = read_workbook("graphs/keski-uusimaa")  # doctest: +SKIP
>>> suggest(g, "referral-without-owner:ref-ktt-tyokokeilu")[0]["edits"]  # doctest: +SKIP
[{'action': 'update', 'sheet': 'referrals', 'key': 'ref-ktt-tyokokeilu', 'row': {'owner': '...'}}]
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterator

import networkx as nx

from polku.errors import PolkuError
from polku.words import N_
from polku.finding import Finding
from polku.gcpause import gc_paused
from polku.graph import (Responsibility, nodes_of, path_steps, responsibilities, sources,
                         targets)
from polku.kinds import LONG_WAIT_DAYS, MIN_WAIT_GAIN_DAYS, TARGET_UTILIZATION

#: candidates tried per finding; at most this many verified suggestions are offered
MAX_PER_FINDING = 3

Edit = dict[str, Any]


def _involvement(g: nx.MultiDiGraph) -> Counter:
    """How involved each actor is in the whole ecosystem: services provided plus roles held
    (a lead counting twice). Only a tie-break: :func:`_in_subject` comes first."""
    score: Counter = Counter()
    for s in nodes_of(g, "service"):
        for a in sources(g, s, "provides"):
            score[a] += 1
    for r in responsibilities(g):
        score[r.actor] += 2 if r.role == "lead" else 1
    return score


def _held(g: nx.MultiDiGraph, subject: str) -> list[Responsibility]:
    """The responsibilities on ``subject``, by actor and role: those of
    :func:`polku.graph.responsibilities` on it, without reading every edge of the graph."""
    if subject not in g:
        return []
    return sorted((Responsibility(u, subject, d["role"], d.get("note"))
                   for u, keyed in g._pred[subject].items() for d in keyed.values()
                   if d.get("kind") == "responsibility"), key=lambda r: (r.actor, r.role))


def _leads(g: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted({r.actor for r in _held(g, node) if r.role == "lead"})


def _ranked(candidates: list[str], score: Counter) -> list[str]:
    """Actors, the most involved first (ties by id)."""
    return sorted(set(candidates), key=lambda a: (-score[a], a))


def _owned_or_led(g: nx.MultiDiGraph, referral: str) -> set[str]:
    """The actors that claim a referral: its owner and its lead rows."""
    return set(targets(g, referral, "owner")) | set(_leads(g, referral))


def _in_subject(g: nx.MultiDiGraph, subject: str) -> dict[str, tuple[int, int]]:
    """How involved each actor is in ``subject`` itself, as ``(direct, ties)`` (compared in
    that order, more is more involved).

    ``direct`` is 1 for the tie that makes an actor part of the subject: it provides the
    service, owns the referral, holds a role on the segment. ``ties`` counts the subject's
    other ties it holds: each role on the subject; for a service each referral into or out
    of it the actor owns or leads; for a referral each of its two ends the actor provides;
    for a segment each of its entry services and designed paths' steps the actor provides
    and each referral for the segment it owns or leads. Why: the whole ecosystem's count
    kept a parent organisation that provides nothing here before its unit that provides the
    service and owns its hand-offs.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for a in ("parent", "unit"): g.add_node(a, type="actor")
    >>> g.add_node("s", type="service"); g.add_node("t", type="service")
    >>> g.add_node("r", type="referral"); add_edge(g, "r", "s", "from"); add_edge(g, "r", "t", "to")
    >>> add_edge(g, "unit", "s", "provides"); add_edge(g, "r", "unit", "owner")
    >>> add_edge(g, "parent", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> add_edge(g, "unit", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> _in_subject(g, "s") == {"unit": (1, 2), "parent": (0, 1)}, _in_subject(g, "r")
    (True, {'unit': (1, 1)})
    """
    direct: set[str] = set()
    ties: Counter = Counter(r.actor for r in _held(g, subject))
    kind = _node_type(g, subject)
    if kind == "service":
        direct = set(sources(g, subject, "provides"))
        for r in {*sources(g, subject, "from"), *sources(g, subject, "to")}:
            if _node_type(g, r) == "referral":
                ties.update(_owned_or_led(g, r))
    elif kind == "referral":
        direct = set(targets(g, subject, "owner"))
        for end in {*targets(g, subject, "from"), *targets(g, subject, "to")}:
            ties.update(sources(g, end, "provides"))
    elif kind == "segment":
        direct = set(ties)
        served = set(targets(g, subject, "entry"))
        for path in sources(g, subject, "path_segment"):
            served.update(path_steps(g, path))
        for s in served:
            ties.update(sources(g, s, "provides"))
        for r in sources(g, subject, "for_segment"):
            if _node_type(g, r) == "referral":
                ties.update(_owned_or_led(g, r))
    return {a: (int(a in direct), ties[a]) for a in direct | set(ties)}


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


class Candidate(list):
    """One candidate edit set (a list of edits) and what the generator found out while
    computing it: ``predicted``, for a capacity, the queueing what-if's figures at it."""

    def __init__(self, edits_: list[Edit], predicted: dict[str, Any] | None = None) -> None:
        super().__init__(edits_)
        self.predicted = predicted


class Context:
    """What the generators read beside the graph, worked out once per graph (by its
    :class:`Checks`): how involved each actor is (``score``), the graph's index
    (:meth:`eco`, built the first time a generator asks) and each service's headroom
    (:meth:`headroom`: the capacity candidate and :meth:`Checks.declined` share one
    search)."""

    def __init__(self, g: nx.MultiDiGraph, score: Counter, eco: Any = None) -> None:
        self.g, self.score = g, score
        self._eco: Any = eco
        self._inputs: Any = None
        self._headroom: dict[tuple[str, float], dict[str, Any] | None] = {}
        self._in: dict[str, dict[str, tuple[int, int]]] = {}

    def ranked(self, candidates: Collection[str], subject: str) -> list[str]:
        """``candidates``, the most involved in ``subject`` first (:func:`_in_subject`),
        then the most involved in the whole ecosystem (``score``), then by id."""
        if subject not in self._in:
            self._in[subject] = _in_subject(self.g, subject)
        here = self._in[subject]
        return sorted(set(candidates),
                      key=lambda a: (*(-x for x in here.get(a, (0, 0))), -self.score[a], a))

    def eco(self) -> Any:
        from polku.analyses.reach import ecosystem

        if self._eco is None:
            self._eco = ecosystem(self.g)
        return self._eco

    def inputs(self) -> Any:
        """:func:`polku.analyses.queues.capacity_inputs` of the graph, once."""
        from polku.analyses.queues import capacity_inputs

        if self._inputs is None:
            self._inputs = capacity_inputs(self.g, self.eco())
        return self._inputs

    def headroom(self, service: str, long_wait_days: float) -> dict[str, Any] | None:
        """:func:`polku.analyses.queues.headroom` of ``service``, searched once (the
        answer is shared: read it, do not change it)."""
        from polku.analyses.queues import headroom

        key = (service, float(long_wait_days))
        if key not in self._headroom:
            self._headroom[key] = headroom(self.g, service, long_wait_days, eco=self.eco(),
                                           inputs=self.inputs())
        return self._headroom[key]


#: what a candidate generator is given: the graph, the finding, the :class:`Context` and the
#: long-wait limit; it yields candidate edit sets, the likeliest first
Generator = Callable[[nx.MultiDiGraph, Finding, Context, float], Iterator[list[Edit]]]
#: kind -> the generator of its candidates: the one registry of which kinds can have a
#: suggestion (the findings page offers "suggest a fix" for these kinds only)
GENERATORS: dict[str, Generator] = {}


def generates(*kinds: str) -> Callable[[Generator], Generator]:
    """Registers a candidate generator for ``kinds`` in :data:`GENERATORS`."""
    def register(fn: Generator) -> Generator:
        for kind in kinds:
            GENERATORS[kind] = fn
        return fn
    return register


def suggestable(kind: str) -> bool:
    """Whether findings of ``kind`` can have a verified suggestion (a generator is
    registered for it).

    >>> suggestable("over-capacity"), suggestable("dead-end")
    (True, False)
    """
    return kind in GENERATORS


def _node_type(g: nx.MultiDiGraph, node: str) -> str | None:
    return g.nodes[node].get("type") if node in g else None


@generates("referral-without-owner")
def _owner(g: nx.MultiDiGraph, f: Finding, ctx: Context,
           long_wait_days: float) -> Iterator[list[Edit]]:
    src = targets(g, f.subject, "from")
    if src:
        for a in ctx.ranked(_leads(g, src[0]) or sources(g, src[0], "provides"), f.subject):
            yield [_edit("update", "referrals", f.subject, {"owner": a})]


@generates("no-lead")
def _no_lead(g: nx.MultiDiGraph, f: Finding, ctx: Context,
             long_wait_days: float) -> Iterator[list[Edit]]:
    subject = f.subject
    kind = _node_type(g, subject)
    if kind == "service":
        for a in ctx.ranked(sources(g, subject, "provides"), subject):
            yield [_lead_row(a, subject)]
    elif kind == "measure":
        participants = [r.actor for r in _held(g, subject) if r.role == "participant"]
        for a in ctx.ranked(participants, subject):
            others = sorted(set(participants) - {a})
            yield [_edit("update", "measures", subject,
                         {"leads": a, "participants": ";".join(others)})]


@generates("segment-without-lead")
def _segment_lead(g: nx.MultiDiGraph, f: Finding, ctx: Context,
                  long_wait_days: float) -> Iterator[list[Edit]]:
    subject = f.subject
    roles = [r.actor for r in _held(g, subject)]
    entry = [a for s in targets(g, subject, "entry") for a in sources(g, s, "provides")]
    for a in ctx.ranked(roles or entry, subject):
        if a in roles:
            role = next(r.role for r in _held(g, subject) if r.actor == a)
            yield [_edit("update", "responsibilities", f"{a}~{subject}~{role}",
                         {"role": "lead"})]
        else:
            yield [_lead_row(a, subject)]


@generates("multiple-leads")
def _one_lead(g: nx.MultiDiGraph, f: Finding, ctx: Context,
              long_wait_days: float) -> Iterator[list[Edit]]:
    subject = f.subject
    if _node_type(g, subject) == "measure":
        return
    rows = _leads(g, subject)
    # a referral's owner is one of its leads, as the finding counts them (an owner and
    # another organisation's lead row are two organisations claiming one hand-off)
    owner = next(iter(targets(g, subject, "owner")), None) \
        if _node_type(g, subject) == "referral" else None
    for keep in ctx.ranked(rows + ([owner] if owner else []), subject):
        edits_: list[Edit] = []
        if owner is not None and keep != owner:
            # the kept lead owns the hand-off; the owner stays on it without leading it
            edits_.append(_edit("update", "referrals", subject, {"owner": keep}))
            if owner not in rows and not any(r.actor == owner and r.role == "participant"
                                              for r in _held(g, subject)):
                edits_.append(_edit("create", "responsibilities",
                                    f"{owner}~{subject}~participant",
                                    {"actor": owner, "subject": subject,
                                     "role": "participant"}))
        edits_ += [_edit("update", "responsibilities", f"{a}~{subject}~lead",
                         {"role": "participant"}) for a in rows if a != keep]
        if edits_:
            yield edits_


@generates("path-broken")
def _missing_referral(g: nx.MultiDiGraph, f: Finding, ctx: Context,
                      long_wait_days: float) -> Iterator[list[Edit]]:
    subject = f.subject
    steps = path_steps(g, subject)
    ordered = (f.metrics.get("from"), f.metrics.get("to"))
    # the pair in step order where the finding says it (y → x is not x → y's finding)
    pairs = [(a, b) for a, b in zip(steps, steps[1:]) if (a, b) == ordered
             or (None in ordered and a in f.related and b in f.related)]
    segment = targets(g, subject, "path_segment")
    for a, b in pairs[:1]:
        if g.nodes[a].get("type") != "service":
            continue
        owners = ctx.ranked(_leads(g, a) or sources(g, a, "provides"), a)
        row: dict[str, Any] = {"id": _free_id(g, f"ref-{a}-{b}")[:120], "from": a, "to": b}
        if segment:
            row["segments"] = segment[0]
        for owner in owners[:2] or [None]:
            yield [_edit("create", "referrals", row["id"],
                         dict(row, **({"owner": owner} if owner else {})))]


def wait_gain(found: dict[str, Any]) -> float:
    """Days a capacity's figures (:func:`polku.analyses.queues.capacity_figures`) shorten
    the predicted wait by: infinite when the queue before grows without bound.

    >>> wait_gain({"wait_days": 24, "before": {"wait_days": 25, "unstable": False}})
    1
    >>> wait_gain({"wait_days": 3, "before": {"wait_days": None, "unstable": True}})
    inf
    """
    before = found["before"]
    if before["unstable"] or before["wait_days"] is None:
        return float("inf")
    return before["wait_days"] - (found["wait_days"] or 0)


@generates("over-capacity")
def _capacity(g: nx.MultiDiGraph, f: Finding, ctx: Context,
              long_wait_days: float) -> Iterator[list[Edit]]:
    # the capacity the queueing what-if, calibrated as it is by default, predicts headroom
    # at (TARGET_UTILIZATION, a wait within the limit); none when no capacity gives that,
    # or when it buys less than MIN_WAIT_GAIN_DAYS (declined_capacities says why)
    found = ctx.headroom(f.subject, long_wait_days)
    if found is not None and wait_gain(found) >= MIN_WAIT_GAIN_DAYS:
        # the prediction whole, its capacity too (the edit's row says it as well): the
        # README lists it, and a declined raise's figures have it
        yield Candidate([_edit("update", "services", f.subject,
                               {"capacity_per_month": found["capacity"]})],
                        dict(found))


def declined_capacities(g: nx.MultiDiGraph, findings: list[Finding],
                        long_wait_days: float = LONG_WAIT_DAYS,
                        among: Collection[str] | None = None, eco: Any = None
                        ) -> list[dict[str, Any]]:
    """The ``over-capacity`` findings (of ``findings``, or those whose keys are ``among``)
    for which no capacity raise is offered because the queueing what-if, calibrated to the
    observed waits, says a raise would barely shorten the wait: ``{"finding": KEY,
    "min_gain_days", "gain_days", **figures}`` with the figures of
    :func:`polku.analyses.queues.capacity_figures` at the capacity that would have been
    suggested (:func:`~polku.analyses.queues.headroom`'s, else the one at
    :data:`~polku.kinds.TARGET_UTILIZATION` when no capacity brings the wait within the
    limit). Only calibrated services are declined so: the observed waits show the service
    copes with its inflow (its effective capacity is above it), so the over-capacity is
    nominal and the wait is mostly lead time, which a different fix (booking, paperwork,
    the referral practice) shortens. ``eco``: the graph's index where the caller holds it.

    >>> from polku.graph import new_graph, add_edge
    >>> from polku.analyses.findings import find
    >>> g = new_graph()
    >>> g.add_node("a", type="service"); g.add_node("b", type="service", capacity_per_month=45)
    >>> g.add_node("r", type="referral", volume_per_month=60, median_wait_days=25)
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> [d] = declined_capacities(g, find(g)); d["capacity"], d["gain_days"]
    (71, 1.36)
    """
    return Checks(g, findings, long_wait_days, eco).declined(among)


@generates("unmet-need")
def _open_service(g: nx.MultiDiGraph, f: Finding, ctx: Context,
                  long_wait_days: float) -> Iterator[list[Edit]]:
    need = f.related[0] if f.related else None
    if need:
        for s in nodes_of(g, "service"):
            segs = targets(g, s, "for_segment")
            if need in targets(g, s, "addresses") and segs and f.subject not in segs:
                yield [_edit("update", "services", s,
                             {"segments": ";".join(sorted(segs + [f.subject]))})]


@generates("service-without-provider")
def _provider(g: nx.MultiDiGraph, f: Finding, ctx: Context,
              long_wait_days: float) -> Iterator[list[Edit]]:
    needs = set(targets(g, f.subject, "addresses"))
    elsewhere = [a for s in nodes_of(g, "service") if s != f.subject
                 and needs & set(targets(g, s, "addresses"))
                 for a in sources(g, s, "provides")]
    for a in _ranked(elsewhere, Counter(elsewhere) + ctx.score):
        yield [_edit("update", "services", f.subject, {"providers": a})]


@generates("risk-without-mitigation")
def _mitigation(g: nx.MultiDiGraph, f: Finding, ctx: Context,
                long_wait_days: float) -> Iterator[list[Edit]]:
    subject = f.subject
    measure = next(iter(targets(g, subject, "has_risk") or sources(g, subject, "has_risk")),
                   None)
    goal = targets(g, measure, "in_goal") if measure else []
    if goal:
        for m in nodes_of(g, "measure"):
            if m != measure and targets(g, m, "in_goal") == goal:
                title = str(g.nodes[m].get("name") or m)
                yield [_edit("update", "risks", subject, {"mitigation": title})]


def _candidates(g: nx.MultiDiGraph, f: Finding, ctx: Context | Counter,
                long_wait_days: float) -> Iterator[list[Edit]]:
    """Candidate edit sets for one finding, the likeliest first (its kind's generator in
    :data:`GENERATORS`; none for a kind without one); ``ctx`` may be just the actors'
    involvement."""
    generator = GENERATORS.get(f.kind)
    if generator is not None:
        yield from generator(g, f, ctx if isinstance(ctx, Context) else Context(g, ctx),
                             long_wait_days)


def verify(sheets: Any, name: str, edits_: list[Edit],
           run: Callable[[nx.MultiDiGraph], Any]) -> Any:
    """What ``run`` answers (the findings, and what else the caller asks of the graph)
    after applying ``edits_`` to a copy of ``sheets`` with the write contract's row rules,
    or None when the rules refuse the result: the whole round trip (every sheet read
    again). :class:`Trials` gives the same answer quicker."""
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


class _Refused(Exception):
    """The workbook import would refuse the edited sheets."""


class Trials:
    """Candidate edits tried one at a time on one copy of the graph, each answering exactly
    what :func:`verify` answers, without reading every sheet again per candidate.

    Why: :func:`verify` rebuilds the whole graph from its sheets for every candidate (about
    a second on a national graph, more than the findings themselves). Here the sheets are
    read into a graph once (the *base*: the graph exactly as the round trip builds it), and
    a candidate's rows are patched into it as the import builds them: the edit goes through
    the write contract's row rules (:func:`polku.io.sheets.apply`), the edited row's cells
    through the import's cell rules (:func:`polku.io.workbook.read_rows`), its references,
    ids and roles through the import's checks; the findings are run on the patched base,
    and the patch is then taken out again. An edit of another shape (a delete, a path, a
    follow-up, a measure's responsibilities with notes, an id changed, two edits of one
    row) takes the whole round trip. tests/test_suggest.py holds the two to the same
    answer and the same graph for every candidate on the example and on random workbooks.
    """

    def __init__(self, g: nx.MultiDiGraph, run: Callable[[nx.MultiDiGraph], Any]) -> None:
        from polku.io import sheets as edits

        self.run = run
        self.name = str(g.graph.get("name", "graph"))
        self.sheets = edits.sheets_of_graph(g)
        self._base: nx.MultiDiGraph | None = None
        self._unreadable = False

    def base(self) -> nx.MultiDiGraph | None:
        """The sheets read into a graph (once), or None when the import refuses them."""
        from polku.io.workbook import read_workbook
        from polku.io import sheets as edits

        if self._base is None and not self._unreadable:
            try:
                self._base = read_workbook(self.name, name=self.name,
                                           tables=edits.as_tables(self.sheets, lambda s: s))
            except PolkuError:
                self._unreadable = True
        return self._base

    def findings_after(self, edits_: list[Edit]) -> Any:
        """What ``run`` answers after ``edits_`` (the findings, and what else the caller
        asks of the graph while the edits are in it), or None when the write contract
        refuses them: :func:`verify`'s answer."""
        if not self.handled(edits_):
            return verify(self.sheets, self.name, edits_, self.run)
        with self.applied(edits_) as g:
            return None if g is None else self.run(g)

    def handled(self, edits_: list[Edit]) -> bool:
        """Whether ``edits_`` are of the shapes patched in place (else: the round trip)."""
        from polku.io.sheets import cell_text
        from polku.io.workbook import SHEETS

        base = self.base()
        if base is None:
            return False  # the sheets as they are are refused: only the round trip can tell
        rows: set[tuple[str, str]] = set()
        creates = [e for e in edits_ if e.get("action") == "create"
                   and SHEETS.get(str(e.get("sheet")), SHEETS["graph"]).node_type]
        if creates and len(edits_) > 1:
            return False  # another edit may name the new node: the import sees all at once
        for e in edits_:
            action, sheet, row = e.get("action"), e.get("sheet"), e.get("row")
            if action not in ("create", "update") or sheet not in SHEETS or \
                    not isinstance(row, dict):
                return False
            try:  # a row left empty is skipped by the import, not refused: round trip
                if not any(cell_text(v, k) for k, v in row.items()):
                    return False
            except PolkuError:
                return False
            if sheet == "responsibilities":
                if action == "update" and not set(row) <= {"role", "note"}:
                    return False
                parts = (str(row.get("actor", "")), str(row.get("subject", ""))) \
                    if action == "create" else tuple(str(e.get("key", "")).split("~")[:2])
                # a measure's leads and participants are also in its own row: round trip
                if base.nodes.get(parts[-1], {}).get("type") == "measure":
                    return False
                where = ("responsibilities", "~".join(parts))
            elif SHEETS[sheet].node_type is None:
                return False
            else:
                node = row.get("id") if action == "create" else e.get("key")
                if not isinstance(node, str) or (action == "update" and row.get("id", node)
                                                 != node):
                    return False
                if SHEETS[sheet].roles and node in base and any(
                        d.get("kind") == "responsibility" and (d.get("note") or d.get("extra"))
                        for _, _, d in base.in_edges(node, data=True)):
                    return False
                where = ("node", node)
            if where in rows:
                return False
            rows.add(where)
        return True

    @contextmanager
    def applied(self, edits_: list[Edit]) -> Iterator[nx.MultiDiGraph | None]:
        """The base with ``edits_`` patched in (None when refused), restored afterwards."""
        from polku.io import sheets as edits, workbook

        base = self.base()
        undo: list[Callable[[], None]] = []
        try:
            if base is None:
                raise _Refused
            sheets = self.sheets
            for e in edits_:
                try:
                    values = {k: edits.cell_text(v, k) for k, v in e["row"].items()}
                    sheets, change = edits.apply(
                        sheets, e["action"], e["sheet"],
                        None if e["action"] == "create" else e["key"], values)
                except PolkuError:
                    raise _Refused from None
                header, rows = sheets[e["sheet"]]
                if len(rows) > workbook.row_ceiling():
                    raise _Refused
                self._patch(base, e["sheet"], header, change, undo)
        except _Refused:
            for step in reversed(undo):
                step()
            yield None
            return
        try:
            yield base
        finally:
            for step in reversed(undo):
                step()

    @staticmethod
    def _parsed(sheet: str, header: list[str], row: dict[str, str] | None) -> Any:
        """One row through the import's cell rules (:func:`polku.io.workbook.read_rows`)."""
        from polku.io import workbook

        required = {n: (n, [c.name for c in s.columns], []) for n, s in workbook.SHEETS.items()
                    if s.required}
        tables = dict(required, **{sheet: (sheet, header, [(2, [(row or {}).get(h, "")
                                                                 for h in header])])})
        rows, errors, failed = workbook.read_rows(sheet, tables)
        if errors or failed or len(rows.get(sheet, [])) != 1:
            raise _Refused
        return rows[sheet][0]

    def _patch(self, g: nx.MultiDiGraph, sheet_name: str, header: list[str], change: Any,
               undo: list[Callable[[], None]]) -> None:
        """Patch one edited row into ``g`` as :func:`polku.io.workbook.read_workbook` builds
        it (raising :class:`_Refused` where it would refuse), noting how to take it out."""
        from polku.graph import add_edge, parents_up
        from polku.io import workbook

        sheet = workbook.SHEETS[sheet_name]
        row = self._parsed(sheet_name, header, change.after)
        values = row.values

        def check_ref(ref: object, column: str) -> str:
            col = sheet.column(column)
            assert col is not None and isinstance(ref, str)
            if g.nodes.get(ref, {}).get("type") not in col.targets:
                raise _Refused
            return ref

        if sheet_name == "responsibilities":
            actor = check_ref(values["actor"], "actor")
            subject = check_ref(values["subject"], "subject")
            role = values["role"]
            old = None
            if change.before is not None:
                before = self._parsed(sheet_name, header, change.before).values
                old = f"responsibility:{before['role']}"
            key = f"responsibility:{role}"
            if key != old and g.has_edge(actor, subject, key):
                raise _Refused  # "already has role"
            self._keep_pair(g, actor, subject, undo)
            if old is not None:
                g.remove_edge(actor, subject, old)
            attrs: dict[str, Any] = {"role": role}
            if "note" in values:
                attrs["note"] = values["note"]
            if row.extra:
                attrs["extra"] = dict(row.extra)
            add_edge(g, actor, subject, "responsibility", key=key, **attrs)
            return

        node = values["id"]
        assert isinstance(node, str)
        if change.before is None and node in g:
            raise _Refused  # a duplicate id
        attrs, problems = workbook.node_attributes(sheet, row)
        if problems:
            raise _Refused
        self._keep_node(g, node, undo)
        if node in g:
            # the row's own edges go: those of its edge columns, its role columns' edges
            kinds_out = {k for k, rev in sheet.edges.values() if not rev}
            kinds_in = {k for k, rev in sheet.edges.values() if rev}
            role_keys = {f"responsibility:{r}" for r in sheet.roles.values()}
            drop = [(node, v, k) for _, v, k, kind in g.out_edges(node, keys=True, data="kind")
                    if kind in kinds_out]
            drop += [(u, node, k) for u, _, k, kind in g.in_edges(node, keys=True, data="kind")
                     if kind in kinds_in or (kind == "responsibility" and k in role_keys)]
            g.remove_edges_from(drop)
            g.nodes[node].clear()
        g.add_node(node, type=sheet.node_type, **attrs)
        new_edges: list[tuple[str, str, str, dict]] = []
        for column, (kind, reverse) in sheet.edges.items():
            value = values.get(column)
            for ref in value if isinstance(value, list) else ([value] if value else []):
                ref = check_ref(ref, column)
                if kind == "part_of" and (ref == node or node in parents_up(g, ref)):
                    raise _Refused  # its own parent, or a circle of parents
                u, v = (ref, node) if reverse else (node, ref)
                new_edges.append((u, v, kind, {"kind": kind}))
        named: set[str] = set()
        for column, role in sheet.roles.items():
            for ref in values.get(column) or []:
                ref = check_ref(ref, column)
                if ref in named:
                    raise _Refused  # named twice among the leads and participants
                named.add(ref)
                new_edges.append((ref, node, f"responsibility:{role}",
                                  {"kind": "responsibility", "role": role}))
        for u, v, key, data in new_edges:
            g.add_edge(u, v, key=key, **data)

    @staticmethod
    def _keep_node(g: nx.MultiDiGraph, node: str, undo: list[Callable[[], None]]) -> None:
        """Note how to put ``node`` back as it is now (or take it away if it is new)."""
        if node not in g:
            undo.append(lambda: g.remove_node(node) if node in g else None)
            return
        attrs = dict(g.nodes[node])
        edges = [(u, v, k, dict(d)) for u, v, k, d in g.out_edges(node, keys=True, data=True)]
        edges += [(u, v, k, dict(d)) for u, v, k, d in g.in_edges(node, keys=True, data=True)
                  if u != node]

        def restore() -> None:
            g.remove_node(node)
            g.add_node(node, **attrs)
            for u, v, k, d in edges:
                g.add_edge(u, v, key=k, **d)
        undo.append(restore)

    @staticmethod
    def _keep_pair(g: nx.MultiDiGraph, u: str, v: str, undo: list[Callable[[], None]]) -> None:
        """Note how to put the edges from ``u`` to ``v`` back as they are now."""
        edges = {k: dict(d) for k, d in (g.get_edge_data(u, v) or {}).items()}

        def restore() -> None:
            for k in list(g.get_edge_data(u, v) or {}):
                g.remove_edge(u, v, k)
            for k, d in edges.items():
                g.add_edge(u, v, key=k, **d)
        undo.append(restore)


# each candidate reads and analyses a national-size graph, creating no reference cycles
@gc_paused()
def suggest(g: nx.MultiDiGraph, finding: str | None = None,
            long_wait_days: float = LONG_WAIT_DAYS,
            findings: list[Finding] | None = None,
            among: Collection[str] | None = None,
            limit: int = MAX_PER_FINDING, eco: Any = None) -> list[dict[str, Any]]:
    """Verified suggestions for every finding (or the one whose key is ``finding``, or those
    whose keys are ``among``): up to ``limit`` (at most :data:`MAX_PER_FINDING`) each, as
    ``{"finding": KEY, "edits": [...], "resolves": [KEYS], "creates": [KEYS]}`` in the
    findings' order (a capacity for an ``over-capacity`` service adds ``predicted``: what
    the queueing what-if says before and after the change,
    :func:`polku.analyses.queues.capacity_figures`; a raise that would shorten the wait by
    less than :data:`~polku.kinds.MIN_WAIT_GAIN_DAYS` is not offered:
    :func:`declined_capacities` says those). A key that names no finding is a located error (field ``finding``).

    A smaller ``limit`` gives the first suggestions of the full answer and stops verifying
    once they are found (the report shows one per decision); asking for several findings
    at once reads the graph's sheets once for all of them. ``eco``: the graph's index where
    the caller holds it (a model's, memoised with its version). A caller that asks more
    than once of one graph keeps a :class:`Checks` and asks it instead (each candidate is
    then tried once)."""
    return Checks(g, findings, long_wait_days, eco).suggest(finding, among, limit)


@dataclass
class _Verified:
    """How far one finding's candidates are tried: ``tried`` of them (in order),
    ``found`` the verified ones, ``done`` when no candidate is left to try."""
    tried: int = 0
    found: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False


class Checks:
    """The verified suggestions of one graph for one long-wait limit: :meth:`suggest` and
    :meth:`declined` (what :func:`suggest` and :func:`declined_capacities` answer), each
    candidate tried at most once however often, and in however many rounds, they are asked.

    Why: the report's first page asks in rounds (the findings nobody answers for, then the
    decisions' own), the graph page and the report in three languages, the suggestions
    route for every finding; each call read the graph's sheets into a graph again, split a
    merged graph into its regions again, searched an over-capacity service's headroom again
    and tried the same candidates again. A model keeps one per version
    (:meth:`polku.ops.model.Model.suggestions`), so every door and language shares it.

    What it keeps: each finding's verified suggestions and how many of its candidates are
    tried (a smaller ``limit`` reads the beginning, a larger one goes on from there), each
    service's headroom (the capacity candidate and :meth:`declined` share one search,
    :class:`Context`), a merged graph's regions (split once, each region's checks kept).
    The copy the candidates are tried on
    (:class:`Trials`: the graph's sheets read into a graph) is kept while a caller
    :meth:`held` the checks (a report's rounds share it) and let go after, so a version
    kept by a server holds answers, not a second graph. ``trials`` counts the candidates
    tried. One caller at a time (a lock): the others wait, then read what it found.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("a", type="service"); g.add_node("b", type="service", capacity_per_month=45)
    >>> g.add_node("r", type="referral", volume_per_month=60, median_wait_days=25)
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> checks = Checks(g)
    >>> [d["capacity"] for d in checks.declined()], checks.suggest(), checks.trials
    ([71], [], 0)
    """

    def __init__(self, g: nx.MultiDiGraph, findings: list[Finding] | None = None,
                 long_wait_days: float = LONG_WAIT_DAYS, eco: Any = None,
                 parent: "Checks | None" = None) -> None:
        import threading

        from polku.analyses.findings import find

        self.g = g
        self.long_wait_days = long_wait_days
        self.before = findings if findings is not None else \
            find(g, long_wait_days=long_wait_days)
        self.keys = {f.key for f in self.before}
        #: candidates tried so far (each applied to the copy and the findings run again)
        self.trials = 0
        self._eco = eco
        self._ctx: Context | None = None
        self._trials: Trials | None = None
        self._regions: list[tuple[Any, Checks]] | None = None  # [] : not a merged graph
        # finding key -> how far its candidates are tried, and what they verified
        self._offered: dict[str, _Verified] = {}
        self._lock = threading.RLock()
        self._holders = 0
        self._parent = parent

    @contextmanager
    def held(self) -> Iterator["Checks"]:
        """The checks for the caller alone, the copy its candidates are tried on kept until
        the outermost ``held`` ends (a region's, until its merged graph's ends)."""
        with self._lock:
            self._holders += 1
            try:
                yield self
            finally:
                self._holders -= 1
                if not self._holding():
                    self._let_go()

    def _holding(self) -> bool:
        return self._holders > 0 or (self._parent is not None and self._parent._holding())

    def _let_go(self) -> None:
        self._trials = None
        for _, region in self._regions or ():
            region._let_go()

    def context(self) -> Context:
        """The generators' :class:`Context` of the graph, once."""
        if self._ctx is None:
            self._ctx = Context(self.g, _involvement(self.g), self._eco)
        return self._ctx

    def regions(self) -> list[tuple[Any, "Checks"]]:
        """A merged graph's regions (:func:`polku.analyses.merge.split`), each with its own
        checks; empty for a graph of one region."""
        if self._regions is None:
            from polku.analyses.merge import split

            self._regions = [(region, Checks(region.graph, long_wait_days=self.long_wait_days,
                                             parent=self)) for region in split(self.g)]
        return self._regions

    # each candidate reads and analyses a national-size graph, creating no reference cycles
    @gc_paused()
    def suggest(self, finding: str | None = None, among: Collection[str] | None = None,
                limit: int = MAX_PER_FINDING) -> list[dict[str, Any]]:
        """:func:`suggest`'s answer for ``finding``, ``among`` and ``limit``."""
        keys = self.keys
        if finding is not None and finding not in keys:
            from polku.graph import likely_id

            raise PolkuError(N_("no finding has the key '{finding}' (the list of findings gives each one's key)"),
                             params={"finding": finding}, field="finding",
                             close=likely_id(finding, dict.fromkeys(keys, {})))
        wanted = None if finding is None and among is None else \
            ({finding} if finding is not None else set()) | set(among or ())
        limit = min(limit, MAX_PER_FINDING)
        with self.held():
            regional = self.regions()
            if regional:  # a merged graph: each region's own suggestions, by merged ids
                return _merged_suggestions(regional, self.before, wanted, limit)
            out: list[dict[str, Any]] = []
            for f in self.before:
                if wanted is None or f.key in wanted:
                    out += [dict(s) for s in self._verified(f, limit)]
            return out

    def _verified(self, f: Finding, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` verified suggestions of ``f``: its candidates in order, each
        tried once however often it is asked (a larger ``limit`` goes on from where a
        smaller one stopped)."""
        kept = self._offered.setdefault(f.key, _Verified())
        if len(kept.found) >= limit or kept.done:
            return kept.found[:limit]
        g, ctx, keys = self.g, self.context(), self.keys
        for tried, candidate in enumerate(_candidates(g, f, ctx, self.long_wait_days)):
            if tried < kept.tried:
                continue  # tried by an earlier call: its answer is in kept.found
            if len(kept.found) >= limit:
                return kept.found[:limit]
            if tried >= 3 * MAX_PER_FINDING:
                break
            if self._trials is None:  # the graph as sheets: once, and only when needed
                self._trials = Trials(g, self._run)
            self.trials += 1
            kept.tried = tried + 1
            answer = self._trials.findings_after(candidate)
            if answer is None:
                continue
            after, after_keys, all_resolved = answer
            if not all_resolved:
                continue
            created = [(x.key, x) for x in after if x.key not in keys]
            if f.key in after_keys or any(x.severity == "error" for _, x in created):
                continue
            offered_one: dict[str, Any] = {"finding": f.key, "edits": list(candidate),
                                           "resolves": sorted(keys - after_keys),
                                           "creates": sorted(k for k, _ in created)}
            predicted = getattr(candidate, "predicted", None)
            if predicted is not None:
                offered_one["predicted"] = predicted
            kept.found.append(offered_one)
        kept.done = True  # every candidate it may have is tried
        return kept.found[:limit]

    def _run(self, graph: nx.MultiDiGraph) -> tuple[list[Finding], set[str], bool]:
        """The findings after a candidate, and whether every finding it makes vanish is
        resolved (none gone because the candidate removed something or cut a segment's
        reach: a loss of access is never offered as a fix). Asked on the patched graph,
        while the candidate is in it."""
        from polku.analyses.findings import find
        from polku.analyses.vanished import RESOLVED, why_vanished

        after = find(graph, long_wait_days=self.long_wait_days)
        after_keys = {x.key for x in after}
        vanished = [x for x in self.before if x.key not in after_keys]
        if not vanished:  # nothing to explain: no index of the graph before is needed
            return after, after_keys, True
        return after, after_keys, all(r == RESOLVED for r in why_vanished(
            self.g, graph, self.before, after, vanished, eco_before=self.context().eco()))

    def declined(self, among: Collection[str] | None = None) -> list[dict[str, Any]]:
        """:func:`declined_capacities`' answer for the findings (those whose keys are
        ``among``), each service's headroom the one the capacity candidate searched."""
        import math

        out = []
        with self.held():
            ctx = self.context()
            for f in self.before:
                if f.kind != "over-capacity" or (among is not None and f.key not in among):
                    continue
                found = ctx.headroom(f.subject, self.long_wait_days)
                if found is None:
                    from polku.analyses.queues import capacity_figures

                    inflow = ctx.inputs().inflow.get(f.subject)
                    found = capacity_figures(self.g, f.subject,
                                             math.ceil(inflow / TARGET_UTILIZATION),
                                             eco=ctx.eco(), inputs=ctx.inputs()) \
                        if inflow else None
                if found is None or not found["calibrated"]:
                    continue
                gain = wait_gain(found)
                if gain < MIN_WAIT_GAIN_DAYS:
                    out.append({"finding": f.key, "min_gain_days": MIN_WAIT_GAIN_DAYS,
                                "gain_days": round(gain, 2), **found})
        return out


def _merged_suggestions(regional: list[tuple[Any, Checks]], before: list[Finding],
                        wanted: set[str] | None, limit: int) -> list[dict[str, Any]]:
    """A merged graph's suggestions: each region's own (:func:`polku.analyses.merge.split`),
    every id in them by the merged graph's (:func:`merged_edit`), for the merged graph's
    findings, in their order. Why: a suggestion is verified through the workbook's rows,
    and a merged graph is no workbook (its ids hold ``/``); a fix within a region is
    verified on the region, as its own designers would see it.

    Only a finding of one region has a suggestion here: one on an actor the regions share
    (Kela's load over both) is the regions' to settle together."""
    from polku.analyses.merge import merged_key

    order = {f.key: i for i, f in enumerate(before)}
    out: list[dict[str, Any]] = []
    for region, checks in regional:
        ids = region.merged_id
        among = None if wanted is None else \
            [f.key for f in checks.before if merged_key(f.key, ids) in wanted]
        if among == []:
            continue
        for offered in checks.suggest(among=among, limit=limit):
            key = merged_key(offered["finding"], ids)
            if key not in order:  # the merged graph does not find it (an actor shared)
                continue
            moved = dict(offered, finding=key,
                         edits=[merged_edit(e, ids) for e in offered["edits"]],
                         resolves=sorted(merged_key(k, ids) for k in offered["resolves"]),
                         creates=sorted(merged_key(k, ids) for k in offered["creates"]))
            if "predicted" in offered:
                moved["predicted"] = dict(offered["predicted"],
                                          service=ids(offered["predicted"]["service"]))
            out.append(moved)
    return sorted(out, key=lambda o: order[o["finding"]])  # stable: a finding's own order


def merged_edit(edit: Edit, ids: Callable[[str], str]) -> Edit:
    """A region's edit in the merged graph's ids: its row key (a responsibility's
    ``actor~subject~role`` by its two ids) and every cell that names nodes (the id of a new
    row, and each id of a column of references, :data:`polku.io.workbook.SHEETS`).

    >>> merged_edit({"action": "update", "sheet": "services", "key": "s",
    ...              "row": {"providers": "a;b", "name": "S"}}, lambda n: "r/" + n)
    {'action': 'update', 'sheet': 'services', 'key': 'r/s', 'row': {'providers': 'r/a;r/b', 'name': 'S'}}
    """
    from polku.io.workbook import SHEETS

    sheet = SHEETS.get(str(edit.get("sheet")))
    key = edit.get("key")
    if isinstance(key, str):
        parts = key.split("~")
        key = "~".join([ids(p) for p in parts[:2]] + parts[2:]) \
            if edit.get("sheet") == "responsibilities" else ids(key)
    row: dict[str, Any] = {}
    for column, value in edit["row"].items():
        col = sheet.column(column) if sheet is not None else None
        if isinstance(value, str) and value and (column == "id" or (col and col.targets)):
            value = ";".join(ids(v.strip()) for v in value.split(";"))
        row[column] = value
    return dict(edit, key=key, row=row)
