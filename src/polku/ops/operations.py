"""The questions polku answers, one operation each, shared by every door.

An operation is a typed parameter record (a dataclass whose defaults come from
:mod:`polku.kinds` and the analyses), one :meth:`check` that refuses a bad parameter with a
:class:`polku.errors.PolkuError` naming it in ``field``, and :meth:`run` that answers from a
:class:`polku.ops.model.Model` with plain data: ids, numbers and findings as data, in no
language. The two questions whose answer is a page's own data, the report and a view, are
operations of :mod:`polku.present.operations` (they take the reader's ``lang``). The CLI (:mod:`polku.cli`), the API
(:mod:`polku.server.api`) and the pages (:mod:`polku.server.pages`) only parse their input
into a record, call :func:`answer`, word what comes back in the reader's language
(:mod:`polku.present.results`, from the graph the reader sees) and render it; defaults, checks, privacy and
the error's field are decided here once.

:func:`answer` decides privacy by audience (:mod:`polku.privacy`): for ``public`` the
operation runs on the model of the published copy (small cells left out, so every figure
derived from them — totals, inflows, waits — is computed from what may be shown), and the
figures it answers go through :func:`published_figures`.

A region made in place (a loaded file, ``Model(load_graph(path))``, works the same): a
segment whose young people come in at an interview and go on to rehabilitative work, 12
of them a month, 3 a month on to work (a small cell: the public does not read it).

>>> from polku.graph import add_edge, new_graph
>>> g = new_graph("mini")
>>> g.add_node("nuoret", type="segment", name="Nuoret", size=1200)
>>> g.add_node("tyo", type="outcome", name="Avoimet työmarkkinat")
>>> for sid, name, capacity in (("alku", "Alkuhaastattelu", 40),
...                             ("kuntouttava", "Kuntouttava työtoiminta", 20)):
...     g.add_node(sid, type="service", name=name, capacity_per_month=capacity)
>>> add_edge(g, "nuoret", "alku", "entry")
>>> for rid, source, target, volume in (("r1", "alku", "kuntouttava", 12),
...                                     ("r2", "kuntouttava", "tyo", 3)):
...     g.add_node(rid, type="referral", volume_per_month=volume)
...     add_edge(g, rid, source, "from"); add_edge(g, rid, target, "to")
>>> m = Model(g)
>>> sorted(OPERATIONS)[:4]
['blueprint', 'bottlenecks', 'compare', 'describe']
>>> answer(Paths(segment="nope"), m)
Traceback (most recent call last):
polku.errors.PolkuError: unknown segment 'nope' (segments: Nuoret (nuoret))
>>> [r["inflow"] for r in answer(Bottlenecks(), m, "public")["by_flow"]]
[12, None]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

import networkx as nx

from polku.errors import (Counted, NodeName, NodeTypes, PolkuError, check_count,
                          check_threshold)
from polku.finding import Finding
from polku.graph import close_id
from polku.gcpause import gc_paused
from polku.kinds import LONG_WAIT_DAYS, MAX_CONCURRENT_LEADS, MAX_PATHS, MAX_TOP
from polku.ops.model import Model, as_model
from polku.privacy import AUDIENCES, EDITOR, PUBLIC, published_answer
from polku.words import N_, ngettext

#: severities, most severe first (``severity=`` keeps this one and the ones above it)
SEVERITIES = ("error", "warning", "info")


class Operation(Protocol):
    """What every operation offers."""

    name: ClassVar[str]

    def check(self, g: nx.MultiDiGraph) -> None: ...

    def run(self, model: Model) -> Any: ...


# -- shared checks ------------------------------------------------------------------------------

def check_node(g: nx.MultiDiGraph, node: str, node_type: str, name: str, what: str) -> None:
    if g.nodes.get(node, {}).get("type") != node_type:
        from polku.analyses.paths import not_of_graph

        raise not_of_graph(g, node, node_type, name)


def check_segment_services(model: Model, segment: str,
                           asked: list[tuple[str, list[str]]]) -> None:
    """A what-if asked for client segment ``segment`` changes or removes only its services
    (those it can reach: the what-if page's lists); ``asked`` is each option with the ids
    it names, and one not of the segment is a PolkuError naming that option. Reach is
    read from the model's index, which the graph alone does not have: so this is checked
    when the operation runs, after :meth:`check` has refused an unknown id."""
    from polku.analyses.reach import segment_reach

    eco = model.index
    reach = segment_reach(eco, segment)
    for option, ids in asked:
        for node in ids:
            if node not in reach or node not in eco.services:
                nodes = model.graph.nodes
                raise PolkuError(N_("{service} is not one of the services client segment "
                                    "{segment} can reach"),
                                 params={"service": NodeName.of(nodes, node),
                                         "segment": NodeName.of(nodes, segment)},
                                 node=node, field=option)


# -- the operations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Describe:
    """What a graph is about: counts, regions, segments with sizes, entries, outcomes.

    Answers ``{"graph", "title", "region", "regions", "illustrative", "counts" (node type →
    how many), "segments": [{"id", "name", "size", "participation_rate", "entries"}],
    "entry_services", "outcomes": [{"id", "name"}], "people_in_segments",
    "referral_volume_per_month"}``."""
    name: ClassVar[str] = "describe"

    def check(self, g: nx.MultiDiGraph) -> None:
        pass

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.describe import describe

        return model.memo("describe", lambda: describe(model.graph))


@dataclass(frozen=True)
class Findings:
    """Every finding (sorted), at or above ``severity``, perhaps only ``actor``'s: those it
    or one of its units is accountable for (:func:`polku.analyses.accountable.for_actor`).

    Answers a list of :class:`polku.finding.Finding` records, sorted (severity, kind,
    subject), in no language: each has ``kind``, ``severity``, ``subject``, ``related``,
    ``metrics``, ``accountable``, ``measures`` and its stable ``key`` (a property); its
    ``message`` is empty until worded (``polku.records(found, model, "fi")`` gives plain
    dicts with the sentence and the key; ``f.to_dict()`` one finding's JSON object)."""
    name: ClassVar[str] = "findings"
    long_wait_days: float = LONG_WAIT_DAYS
    max_concurrent_leads: int = MAX_CONCURRENT_LEADS
    severity: str = "info"
    actor: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        check_threshold(self.long_wait_days, "long_wait_days")
        check_count(self.max_concurrent_leads, "max_concurrent_leads")
        if self.severity not in SEVERITIES:
            raise PolkuError(N_("unknown severity '{severity}' (use error, warning or info)"),
                             params={"severity": self.severity}, field="severity")
        if self.actor is not None:
            from polku.analyses.accountable import check_actor

            check_actor(g, self.actor)

    def run(self, model: Model) -> list[Finding]:
        from polku.analyses.accountable import for_actor

        found = model.findings(self.long_wait_days, self.max_concurrent_leads)
        keep = SEVERITIES[: SEVERITIES.index(self.severity) + 1]
        found = [f for f in found if f.severity in keep]
        return for_actor(model.graph, found, self.actor) if self.actor is not None else found


@dataclass(frozen=True)
class PlanFindings:
    """The action plan's own findings (no-lead, multiple-leads, deferred-responsibility,
    measure-without-indicator, actor-overload, risk-without-mitigation: the plan's
    measures and risks only, not the ecosystem's subjects). Answers a list of
    :class:`polku.finding.Finding`, as :class:`Findings` does."""
    name: ClassVar[str] = "plan-findings"
    max_concurrent_leads: int = MAX_CONCURRENT_LEADS

    def check(self, g: nx.MultiDiGraph) -> None:
        check_count(self.max_concurrent_leads, "max_concurrent_leads")

    def run(self, model: Model) -> list[Finding]:
        from polku.analyses.plan_findings import plan_findings

        return model.memo(("plan-findings", self.max_concurrent_leads), lambda: plan_findings(
            model.graph, max_concurrent_leads=self.max_concurrent_leads))


@dataclass(frozen=True)
class Review:
    """What changed since the last review: the findings created and resolved since
    ``since`` (a version of the change log, or a day: the last version before it began), and
    the follow-ups past their due date; perhaps only ``actor``'s. ``history`` is the graph's
    change log and sheets (:func:`polku.ops.review.history_of`, ``history_of(source,
    m.graph)``), given by the door that knows where the graph came from; without it the
    refusal's ``field`` is ``history``.

    The answer holds ``earlier``, the graph the resolved findings were found in, as this
    reader sees it (a door words them from it: their nodes may be gone since). For the
    public both versions are the published copies and each version's findings hide what
    follows from its own small cells.

    Answers ``{"created", "resolved"`` (findings), ``"overdue"`` (follow-ups past their
    due date), ``"since"``, ``"earlier"}`` (:func:`polku.ops.review.changes_since`)."""
    name: ClassVar[str] = "review"
    since: str = ""
    history: Any = field(default=None, compare=False)
    long_wait_days: float = LONG_WAIT_DAYS
    max_concurrent_leads: int = MAX_CONCURRENT_LEADS
    actor: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.ops.review import parse_since, version_at

        Findings(self.long_wait_days, self.max_concurrent_leads, actor=self.actor).check(g)
        if self.history is None:
            raise PolkuError(N_("a review needs the graph's change log"), params={},
                             field="history")
        version_at(self.history.entries, parse_since(self.since), self.history.log)

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.accountable import for_actor
        from polku.ops.review import changes_since, parse_since, version_at

        version = version_at(self.history.entries, parse_since(self.since))
        earlier = self.history.model_at(version, model.name,
                                        model.min_cell).published(model.audience)
        now, then = (m.findings(self.long_wait_days, self.max_concurrent_leads)
                     for m in (model, earlier))
        if self.actor is not None:
            # each version's own units: a unit moved out since takes its findings along
            now = for_actor(model.graph, now, self.actor)
            then = for_actor(earlier.graph, then, self.actor)
        result = changes_since(now, then, model.graph.graph.get("followups") or {},
                               self.history.entries, version)
        if model.audience == PUBLIC:  # answer() hides what follows from today's small cells
            result["resolved"] = published_figures(result["resolved"], earlier)
        return dict(result, earlier=earlier.graph)


@dataclass(frozen=True)
class Bottlenecks:
    """Services ranked by betweenness and by flow, with the bottleneck findings.

    Answers ``{"graph", "by_betweenness": [row], "by_flow": [row], "findings": [finding
    JSON objects]}``, the ``top`` services of each ranking; every row has the same keys,
    ``{"service", "label", "betweenness", "inflow", "outflow", "capacity", "utilization",
    "hidden", "outflow_partial", "inflow_at_least", "utilization_at_least", "rank",
    "betweenness_rank", "flow_rank"}``: ``rank`` is the row's place in its own list (1
    first), ``betweenness_rank`` and ``flow_rank`` its place in each ranking. For the
    public a ``hidden`` row's inflow and utilisation are None (they rest on a small cell
    left out) and ``inflow_at_least``/``utilization_at_least`` say what the published
    volumes into it still say (None on every other row); ``outflow_partial`` (a bool): a
    volume out of it is left out, so its outflow is of the volumes shown. (The command's
    and the API's JSON send the last three only where they say something.)"""
    name: ClassVar[str] = "bottlenecks"
    top: int = 20

    def check(self, g: nx.MultiDiGraph) -> None:
        check_count(self.top, "top", most=MAX_TOP)

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.bottlenecks import bottlenecks

        return model.memo(("bottlenecks", self.top), lambda: bottlenecks(
            model.graph, top=self.top, findings=model.findings()))


@dataclass(frozen=True)
class Paths:
    """A segment's k best paths (to one outcome, or any) and its designed paths.

    Answers ``{"graph", "segment", "segment_label", "to", "needs", "best": [{"rank",
    "steps", "outcome", "total_wait_days", "unknown_waits", "handoffs", "organisations",
    "covered", "uncovered"}], "designed": [{"path", "label", "steps", "broken", …}],
    "met_off_path", "search"}``: the k best paths are ``best`` (not ``paths``)."""
    name: ClassVar[str] = "paths"
    segment: str = ""
    to: str | None = None
    k: int = 5
    max_expansions: int | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.paths import check_segment

        check_segment(g, self.segment)
        if self.to is not None:
            check_node(g, self.to, "outcome", "to", "an outcome")
        check_count(self.k, "k", most=MAX_PATHS)
        if self.max_expansions is not None:
            check_count(self.max_expansions, "max_expansions", 0)

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.paths import MAX_EXPANSIONS, paths_report

        return paths_report(model.graph, self.segment, k=self.k, to=self.to,
                            max_expansions=self.max_expansions if self.max_expansions
                            is not None else MAX_EXPANSIONS)


@dataclass(frozen=True)
class Blueprint:
    """A service blueprint of a designed path, or of a segment's ``k`` best paths, as data
    (:func:`polku.analyses.blueprint.blueprint`; the ``blueprint:ID`` view draws it).

    Answers ``{"subject", "kind"`` (``path`` or ``segment``), ``"segment", "to", "needs",
    "blueprints": [{"path", "rank", "outcome", "lanes", "steps", "handoffs",
    "handoffs_between", "total_wait_days", "unknown_waits", "covered", "uncovered"}]}``;
    ``to``: a segment's best paths to that outcome only, as :class:`Paths` finds them."""
    name: ClassVar[str] = "blueprint"
    subject: str = ""
    k: int = 5
    to: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.paths import check_target

        if g.nodes.get(self.subject, {}).get("type") not in ("path", "segment"):
            raise PolkuError(N_("no such designed path or client segment: '{id}'"),
                             params={"id": self.subject}, node=self.subject, field="subject",
                             close=close_id(g, self.subject, ("path", "segment")))
        check_target(g, self.to, self.subject)
        check_count(self.k, "k", most=MAX_PATHS)

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.blueprint import blueprint

        return blueprint(model.graph, self.subject, k=self.k, eco=model.index, to=self.to)


@dataclass(frozen=True)
class Removal:
    """The findings removing a service (with its referrals and its steps in designed paths),
    an actor (with its units; the services only they provided stay, without a provider) or a
    referral would create and resolve (:mod:`polku.analyses.whatif`).

    With ``segment`` (a client segment's id, as the what-if page asks) only one of that
    segment's services may be removed (:func:`check_segment_services`).

    Answers ``{"graph", "removed", "removed_type", "removed_ids", "created", "resolved",
    "removed_with"`` (findings as JSON objects; ``removed_with`` the findings that go with
    the removed nodes), ``"before", "after"}`` (how many findings)."""
    name: ClassVar[str] = "removal"
    remove: str = ""
    long_wait_days: float = LONG_WAIT_DAYS
    segment: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.whatif import REMOVABLE

        if self.segment is not None:
            from polku.analyses.paths import check_segment

            check_segment(g, self.segment)
        if self.remove not in g:
            raise PolkuError(N_("unknown id '{id}': no service, actor or referral has it"),
                             params={"id": self.remove}, node=self.remove, field="remove",
                             close=close_id(g, self.remove, REMOVABLE))
        t = g.nodes[self.remove].get("type")
        if t not in REMOVABLE:
            raise PolkuError(N_("'{id}' is {type}; what-if removes a service, an actor or a "
                                "referral"), params={"id": self.remove, "type": NodeTypes(
                                    (str(t),), article=True)}, node=self.remove, field="remove",
                             close=close_id(g, self.remove, REMOVABLE))
        check_threshold(self.long_wait_days, "long_wait_days")

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.whatif import whatif

        if self.segment is not None:
            check_segment_services(model, self.segment, [("remove", [self.remove])])
        return whatif(model.graph, self.remove, long_wait_days=self.long_wait_days,
                      before=model.findings(self.long_wait_days))


@dataclass(frozen=True)
class Queueing:
    """Every affected service's queue (inflow, modelled utilisation, predicted wait) before
    and after a change of capacity, places or demand, and the findings it creates and
    resolves; calibrated to the observed waits (``calibrate``, ``docs/whatif.md``), which
    ``log`` (an event log's hand-offs) gives instead of the graph's referrals.

    The changes, each a dict of service id → number:

    - ``capacity``: the service's **new** capacity, clients a month (``{"ips": 25}``; the
      workbook's ``capacity_per_month``), 0 or more;
    - ``places``: its parallel places, a whole number 1 or more (``{"ips": 2}``);
    - ``demand``: the change of the clients arriving, **a fraction**: ``0.2`` is +20 %,
      ``-0.1`` is −10 %, from ``-1`` to ``10`` (+1,000 %); it flows on downstream.

    With ``segment`` (a client segment's id, as the what-if page asks) only that segment's
    services may be changed (:func:`check_segment_services`).

    :meth:`from_options` reads them as the command line writes them (``"ips=+20%"``). A
    value of another type (``"25"``, ``"+20%"``) is refused with a
    :class:`polku.errors.PolkuError` whose ``field`` names the option.

    Answers ``{"services": {id: {"before", "after", "calibration", "observed_wait_days",
    "hidden", "partial", "observed_hidden"}}, "findings": {"created", "resolved"}, "changes",
    "calibrated", "days_per_month", "observed", "graph", "min_cell"}``; ``before`` and
    ``after`` hold the service's inflow, capacity, places, modelled utilisation
    (``modelled_utilization``: inflow / the capacity the model serves at; the nominal
    ``utilization`` is the bottleneck ranking's), predicted wait (``wait_days``),
    ``unstable`` and ``effective_capacity``.

    >>> from polku.graph import new_graph
    >>> Queueing(demand={"x": 20}).check(new_graph())
    Traceback (most recent call last):
    polku.errors.PolkuError: demand at 'x': a change of at most +1,000%, not +2,000% (the change is a fraction: 0.2 for +20%)
    """
    name: ClassVar[str] = "queueing"
    #: its figures are the model's, computed from the published copy and the reader's own
    #: changes: a small one counts nobody (:func:`polku.privacy.published_answer`)
    modelled: ClassVar[bool] = True
    capacity: dict[str, float] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    demand: dict[str, float] = field(default_factory=dict)
    long_wait_days: float = LONG_WAIT_DAYS
    calibrate: bool = True
    log: Path | None = None
    segment: str | None = None

    @classmethod
    def from_options(cls, capacity: list[str] = (), places: list[str] = (),  # type: ignore[assignment]
                     demand: list[str] = (), **kwargs: Any) -> "Queueing":  # type: ignore[assignment]
        """From ``SVC=VALUE`` items, as ``polku whatif`` and the API take them (capacity a
        number, places a whole number, demand a percentage ``+20%`` / ``-10 %`` / ``15,5%``);
        a malformed one names its option in ``field``.

        >>> Queueing.from_options(capacity=["ips=25"], demand=["ips=+20%"]).demand
        {'ips': 0.2}
        """
        from polku.analyses.queues import queue_changes

        caps, slots, change = queue_changes(list(capacity), list(places), list(demand))
        return cls(caps, slots, change, **kwargs)

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.queues import check_changes

        check_changes(g, self.capacity, self.places, self.demand)
        check_threshold(self.long_wait_days, "long_wait_days")
        if self.segment is not None:
            from polku.analyses.paths import check_segment

            check_segment(g, self.segment)

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.queues import queue_whatif

        if self.segment is not None:
            check_segment_services(model, self.segment, [
                (option, list(changes)) for option, changes in (
                    ("capacity", self.capacity), ("places", self.places),
                    ("demand", self.demand))])
        observed: dict[str, Any] = {"source": "graph"}
        if self.log is not None:
            # the log's waits and volumes in place of the graph's: the model starts there
            from polku.analyses.eventlog import apply_stats, event_log_stats
            from polku.io.eventlog import read_event_log

            stats = event_log_stats(model.graph, read_event_log(self.log, model.graph))
            # the log's volumes are people counts too: the public's model leaves its small
            # ones out as it does the workbook's
            model = Model(apply_stats(model.graph, stats_for(
                model.audience, stats, model.min_cell)), min_cell=model.min_cell
                          ).published(model.audience)
            observed = {"source": "eventlog", "log": log_for(model.audience, stats["log"]),
                        "referrals": sorted(stats["referrals"])}
        result = queue_whatif(model.graph, self.capacity, self.places, self.demand,
                              long_wait_days=self.long_wait_days,
                              before=model.findings(self.long_wait_days),
                              calibrate=self.calibrate)
        return dict(result, observed=observed)


#: what an event log's summary counts: its clients (cases), their events and hand-offs
LOG_COUNTS = ("events", "cases", "handoffs")


def log_for(audience: str, log: dict[str, Any]) -> dict[str, Any]:
    """An event log's summary as ``audience`` reads it: for the public without its counts
    (None), which count people: a small log's clients as such, and its hand-offs over its
    months are the referrals' volumes summed, so less the volumes shown they give the
    hidden ones back. When and how long it covers stay.

    >>> log_for("public", {"events": 6, "cases": 3, "handoffs": 3, "months": 1})
    {'events': None, 'cases': None, 'handoffs': None, 'months': 1}
    """
    if audience != PUBLIC:
        return log
    return {k: (None if k in LOG_COUNTS else v) for k, v in log.items()}


def stats_for(audience: str, stats: dict[str, Any], min_cell: int) -> dict[str, Any]:
    """An event log's per-referral figures as ``audience`` reads them: for the public, a
    median wait measured over fewer hand-offs than a small cell is left out (None) — the
    median of one hand-off is that client's own wait — as the volume it comes with is.

    >>> stats_for("public", {"referrals": {"r": {"handoffs": 1, "median_wait_days": 12.27,
    ...                                          "volume_per_month": 1}}}, 5)["referrals"]
    {'r': {'handoffs': 1, 'median_wait_days': None, 'volume_per_month': 1}}
    """
    if audience != PUBLIC:
        return stats
    from polku.privacy import is_small

    return dict(stats, referrals={
        rid: dict(r, median_wait_days=None) if is_small(r.get("handoffs"), min_cell) else r
        for rid, r in stats["referrals"].items()})


def log_answer_for(audience: str, stats: dict[str, Any], min_cell: int) -> dict[str, Any]:
    """An event log's answer (:func:`polku.analyses.eventlog.event_log_stats`) as
    ``audience`` reads it. The public reads no small count of it, and nothing one can be
    recovered from:

    - a referral's hand-offs read ``<5`` when they are a small count, and None when its
      volume is one (hand-offs over the months the log spans are the volume: six over
      three months give 2 a month back); the volume reads ``<5``, and the median wait of
      fewer hand-offs than a small cell is left out (:func:`stats_for`: one client's own
      wait);
    - an unmodelled flow's ``count`` (its clients) reads ``<5`` when it is small;
    - the log's totals of clients, events and hand-offs are left out (:func:`log_for`):
      less the hand-offs shown, they would give the hidden ones back.

    >>> stats = {"log": {"events": 4, "cases": 2, "handoffs": 2, "months": 1},
    ...          "referrals": {"r": {"handoffs": 2, "volume_per_month": 2,
    ...                              "median_wait_days": 3}}, "findings": []}
    >>> log_answer_for("public", stats, 5)["referrals"]
    {'r': {'handoffs': '<5', 'volume_per_month': '<5', 'median_wait_days': None}}
    """
    if audience != PUBLIC:
        return stats
    from dataclasses import replace

    from polku.privacy import is_small, shown

    referrals: dict[str, Any] = {}
    for rid, r in stats_for(audience, stats, min_cell)["referrals"].items():
        handoffs = r.get("handoffs")
        # a volume rounded to 0.0 (one hand-off in many years) is a small count all the same
        if is_small(r.get("volume_per_month"), min_cell) or is_small(handoffs, min_cell):
            r = dict(r, volume_per_month=f"<{min_cell}",
                     handoffs=shown(handoffs, min_cell) if is_small(handoffs, min_cell)
                     else None)
        referrals[rid] = r
    findings = [replace(f, metrics=dict(f.metrics, count=shown(f.metrics["count"], min_cell)))
                if is_small(f.metrics.get("count"), min_cell) else f
                for f in stats["findings"]]
    return dict(stats, log=log_for(audience, stats["log"]), referrals=referrals,
                findings=findings)


def whatif_operation(remove: str | None, capacity: list[str], places: list[str],
                     demand: list[str], calibrate: bool = True, log: Path | None = None,
                     segment: str | None = None, **kwargs: Any) -> Removal | Queueing:
    """The what-if a door was asked: a removal, or a change of queues, never both
    (``calibrate`` and ``log`` are the queues'); with ``segment``, of that client
    segment's services only."""
    queued = bool(capacity or places or demand)
    if remove is not None and log is not None:
        raise PolkuError(N_("an event log calibrates the queues (a change of capacity, places "
                            "or demand), not a removal"), params={}, field="eventlog")
    if remove is not None and queued:
        raise PolkuError(N_("a removal and a change of capacity, places or demand are separate "
                            "questions: ask one at a time"), params={}, field="remove")
    if remove is None and not queued:
        raise PolkuError(N_("say what changes: a service, actor or referral to remove, or a "
                            "change of capacity, places or demand"), params={}, field="remove")
    if remove is not None:
        return Removal(remove, segment=segment, **kwargs)
    return Queueing.from_options(capacity, places, demand, calibrate=calibrate, log=log,
                                 segment=segment, **kwargs)


@dataclass(frozen=True)
class Raci:
    """The RACI matrix for a choice of subjects, marked from the findings.

    ``polku.Raci`` is this operation. Answers the matrix, a record of the same name,
    :class:`polku.analyses.raci.Raci` (``actors``, ``actor_labels``, ``rows``, ``cells``,
    ``cell(actor, subject)``)."""
    name: ClassVar[str] = "raci"
    subjects: str = "all"
    #: only this organisation's columns (its units' too) and the rows where it holds a role
    actor: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.raci import SUBJECT_CHOICES

        if self.subjects not in SUBJECT_CHOICES:
            raise PolkuError(N_("unknown subjects '{value}' (use {choices})"),
                             params={"value": self.subjects,
                                     "choices": ", ".join(SUBJECT_CHOICES)}, field="subjects")
        if self.actor is not None:
            from polku.analyses.accountable import check_actor

            check_actor(g, self.actor)

    def run(self, model: Model) -> Any:
        from polku.analyses.raci import of_organisation, raci

        m = raci(model.graph, model.findings(), self.subjects)
        return m if self.actor is None else of_organisation(m, model.graph, self.actor)


@dataclass(frozen=True)
class Diff:
    """What changed from this model's graph to ``against``'s: nodes and responsibilities
    added, removed and changed, findings created and resolved. ``against`` is a
    :class:`Model` (a loaded graph is wrapped in one).

    Answers ``{"added", "removed", "changed", "findings": {"created", "resolved"}}``."""
    name: ClassVar[str] = "diff"
    against: Model | None = None
    long_wait_days: float = LONG_WAIT_DAYS

    def __post_init__(self) -> None:
        if self.against is not None:  # a loaded graph is wrapped in a model
            object.__setattr__(self, "against", as_model(self.against, "Diff(against=...)"))

    def check(self, g: nx.MultiDiGraph) -> None:
        if self.against is None:
            raise PolkuError(N_("a diff needs the other graph"), params={}, field="against")
        check_threshold(self.long_wait_days, "long_wait_days")

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.diff import diff, left_out_cells

        assert self.against is not None
        other = self.against.published(model.audience)
        # the cells each file itself left out (a copy meant for others), not those the
        # public's copy leaves out: the owner's graph beside the copy it shared differs in
        # every figure the copy dropped, for every reader
        raw = model.origin.graph if model.origin is not None else model.graph
        result = diff(model.graph, other.graph, long_wait_days=self.long_wait_days,
                      findings_a=model.findings(self.long_wait_days),
                      findings_b=other.findings(self.long_wait_days),
                      left_a=left_out_cells(raw),
                      left_b=left_out_cells(self.against.graph))
        if model.audience != PUBLIC:
            if other.hidden_services():
                # the later graph a copy meant for others read back: its findings say what
                # the public's say of the whole (answer() hides the earlier graph's)
                created = published_answer(result["findings"]["created"],
                                           other.hidden_services(), other.min_cell,
                                           modelled=True)
                result = dict(result, findings=dict(result["findings"], created=created))
            return result
        # for the public both graphs are the published copies; like the change log's
        # before/after, a small cell on either side reads <5, and a change whose two sides
        # read the same (3 → 2: <5 → <5) is no change the public can see. The findings
        # created are the later graph's: what follows from its suppressed inflows is
        # hidden by its own published figures (answer() hides the earlier graph's)
        changed = []
        for change in result["changed"]:
            fields = {}
            for column, (old, new) in change["fields"].items():
                old = shown_suppressed(model.graph, change["id"], column, old, model.min_cell)
                new = shown_suppressed(other.graph, change["id"], column, new, model.min_cell)
                if old != new or column in change.get("left_out", {}):
                    fields[column] = [old, new]
            if fields:
                changed.append(dict(change, fields=fields))
        findings = dict(result["findings"],
                        created=published_figures(result["findings"]["created"], other))
        return dict(result, changed=changed, findings=findings)


@dataclass(frozen=True)
class EventLog:
    """Median waits and monthly volumes per referral from an event log, and the hand-offs
    the graph has no referral for.

    Answers ``{"graph", "log"`` (events, cases, hand-offs, months, first and last day),
    ``"referrals"`` (referral id → its hand-offs, volume and median wait), ``"not_seen",
    "findings"}``, the unmodelled-flow findings as JSON objects (plain data, as
    :class:`Removal`'s and :class:`Bottlenecks`'s). The public reads them as
    :func:`log_answer_for` says: no count of 1–4 clients or hand-offs, no wait of fewer than
    that, and no total (the log's counts are None)."""
    name: ClassVar[str] = "eventlog"
    log: Path | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        if self.log is None:
            raise PolkuError(N_("an event log is needed"), params={}, field="log")

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.eventlog import event_log_stats, stats_json
        from polku.io.eventlog import read_event_log

        assert self.log is not None
        stats = event_log_stats(model.graph, read_event_log(self.log, model.graph))
        # the log counts people as the workbook does: decided here, for every door
        return stats_json(log_answer_for(model.audience, stats, model.min_cell))


@dataclass(frozen=True)
class Compare:
    """Regions side by side: this model's region and ``others`` on the same figures
    (:func:`polku.analyses.regions.compare_regions`). For the public every region is read
    from its published copy and small cells are left out of the totals. ``others`` are
    :class:`Model` records (a loaded graph is wrapped in one; one alone is taken too);
    fewer than two regions, or two of one name, is refused naming ``others`` (the API's
    ``/compare`` names its query parameter, ``graphs``).

    Answers ``{"regions": [{"region", "title", "people", "counts", "findings",
    "findings_per_10k", "median_wait_days", "needs_covered", …}], "kinds", "measures",
    "min_cell"}``."""
    name: ClassVar[str] = "compare"
    others: tuple[Model, ...] = ()

    def __post_init__(self) -> None:
        # a loaded graph is wrapped in a model, one model given alone is a tuple of one
        others = self.others
        if isinstance(others, (Model, nx.MultiDiGraph)):
            others = (others,)
        elif isinstance(others, (str, bytes)) or hasattr(others, "__fspath__"):
            others = (others,)  # refused by as_model below, with the path named
        object.__setattr__(self, "others", tuple(as_model(o, "Compare(others=...)")
                                                 for o in others))

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.analyses.regions import each_region, is_region, merged_given_twice

        # a merged graph is its regions (each taken out again, polku.analyses.merge.split)
        given = [g] + [o.graph for o in self.others]
        graphs = [r for graph in given for r in each_region(graph)]
        if len(graphs) < 2:
            raise PolkuError(N_("compare needs two regions or more"), params={},
                             field="others")
        names = [str(r.graph.get("name", "")) for r in graphs]
        twice = sorted({n for n in names if names.count(n) > 1})
        clash = merged_given_twice(given) if twice else None
        if clash:
            # the merged graph is the cause: no graph has to be renamed
            said = Counted(ngettext(
                "'{merged}' is already a merged graph, and its region {names} is given on "
                "its own too: compare either the merged graph or its regions",
                "'{merged}' is already a merged graph, and its regions {names} are given on "
                "their own too: compare either the merged graph or its regions"),
                len(clash[1]))
            raise PolkuError(said, params={"merged": clash[0], "names": ", ".join(clash[1])},
                             field="others")
        if twice:
            raise PolkuError(N_("two regions have the same name ({names}): give each graph "
                                "its own name"), params={"names": ", ".join(twice)},
                             field="others")

        for name, graph in zip(names, graphs):
            if not is_region(graph):
                raise PolkuError(N_("'{name}' is no region to compare: it has no client "
                                    "segments (a plan or another graph on its own)"),
                                 params={"name": NodeName(name, {
                                     "name": graph.graph.get("title"),
                                     "name_sv": graph.graph.get("title_sv"),
                                     "name_en": graph.graph.get("title_en")})},
                                 field="others")

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.regions import compare_regions

        from polku.privacy import stated_threshold

        models = [one for m in [model] + [o.published(model.audience) for o in self.others]
                  for one in _regions_of(m)]
        min_cell: int | None = model.min_cell if model.audience == PUBLIC else None
        stated = [t for m in models if (t := stated_threshold(m.graph)) is not None]
        if min_cell is None and stated:
            # a copy meant for others among them lacks its small segments: every region's
            # totals leave them out alike, and the answer says so, as the public's does
            min_cell = max([model.min_cell, *stated])
        return compare_regions([m.graph for m in models], min_cell,
                               findings=[m.findings() for m in models])


def _regions_of(model: Model) -> list[Model]:
    """The regions a model's graph holds: a merged graph's each as a model of its own (as the
    reader reads it: the published copy splits into published regions), else the model."""
    from polku.analyses.regions import each_region

    graphs = each_region(model.graph)
    if graphs == [model.graph]:
        return [model]
    return [Model(r, model.version, model.audience, model.min_cell) for r in graphs]


@dataclass(frozen=True)
class Suggestions:
    """Verified suggestions (:func:`polku.analyses.suggest.suggest`): edits in the write
    API's terms that resolve a finding and create no error, each applied to a copy of the
    graph the reader sees and its analyses rerun; for every finding, or only ``finding``
    (its key). Answers ``{"suggestions": [...], "declined": [the capacity raises not offered
    because they would barely shorten the wait,
    :func:`polku.analyses.suggest.declined_capacities`], "findings": [the findings they are
    for and resolve]}``, the findings as JSON objects (plain data) for the edge to word."""
    name: ClassVar[str] = "suggestions"
    finding: str | None = None
    long_wait_days: float = LONG_WAIT_DAYS

    def check(self, g: nx.MultiDiGraph) -> None:
        check_threshold(self.long_wait_days, "long_wait_days")

    def run(self, model: Model) -> dict[str, Any]:
        # the model's checks: what the report's first page or an earlier request (in any
        # language) verified is not tried again, and the headroom searched for a capacity
        # candidate answers which raises are declined
        checks = model.suggestions(self.long_wait_days)
        before = model.findings(self.long_wait_days)
        with checks.held():
            found = checks.suggest(self.finding)
            declined = checks.declined(None if self.finding is None else {self.finding})
        named = {k for s in found for k in (s["finding"], *s["resolves"])} | {
            d["finding"] for d in declined}
        return {"suggestions": found, "declined": declined,
                "findings": [f.to_dict() for f in before if f.key in named]}


@dataclass(frozen=True)
class PtvCompare:
    """What differs between the model and the national service catalogue (PTV). Answers
    ``{"missing", "gone", "changed", "edits"}`` (:func:`polku.analyses.ptv_diff.compare`).
    ``catalogue`` is what :func:`polku.io.ptv.read_ptv` read; ``municipalities`` (three-digit
    codes) default to the model's; ``pick`` numbers the edits to apply (1-based, as the
    text lists them; None: all), see :meth:`chosen`. A refusal names these parameters in
    ``field``; the command and the API name theirs (``files``, ``municipality``)."""
    name: ClassVar[str] = "ptv-compare"
    catalogue: Any = None
    municipalities: tuple[str, ...] | None = None
    pick: tuple[int, ...] | None = None

    @staticmethod
    def parse_pick(text: str | None) -> tuple[int, ...] | None:
        """``--pick 1,3,4`` as numbers; a malformed one names ``pick``.

        >>> PtvCompare.parse_pick("1, 3"), PtvCompare.parse_pick(None)
        ((1, 3), None)
        """
        if text is None:
            return None
        try:
            return tuple(int(x) for x in text.split(",") if x.strip())
        except ValueError:
            raise PolkuError(N_("pick takes edit numbers separated by commas (1,3,4)"),
                             params={}, field="pick") from None

    def check(self, g: nx.MultiDiGraph) -> None:
        if self.catalogue is None:
            raise PolkuError(N_("the comparison needs the catalogue's PTV files"), params={},
                             field="catalogue")
        for code in self.municipalities or ():
            if not (isinstance(code, str) and len(code) == 3 and code.isascii()
                    and code.isdigit()):
                raise PolkuError(N_("'{code}' is not a municipality code (three digits, e.g. "
                                    "179 for Jyväskylä)"), params={"code": code},
                                 field="municipalities")
        if self.pick is not None:
            if not self.pick:
                raise PolkuError(N_("pick at least one edit"), params={}, field="pick")
            for n in self.pick:
                if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                    raise PolkuError(N_("'{n}' is not an edit number (1 or more)"),
                                     params={"n": n}, field="pick")

    def run(self, model: Model) -> dict[str, Any]:
        from polku.analyses.ptv_diff import compare

        return compare(model.graph, self.catalogue.graph,
                       None if self.municipalities is None else list(self.municipalities),
                       self.catalogue.channels)

    def chosen(self, result: dict[str, Any]) -> list[dict[str, Any]]:
        """The edits of ``result`` that ``pick`` names (all without it); a number with no
        edit names ``pick``."""
        edits = result["edits"]
        if self.pick is None:
            return list(edits)
        bad = [n for n in self.pick if not 1 <= n <= len(edits)]
        if bad:
            raise PolkuError(N_("no edit number {n} (there are {count})"),
                             params={"n": bad[0], "count": len(edits)}, field="pick")
        return [edits[n - 1] for n in self.pick]


#: every operation by name: the doors look them up here (no if/elif over questions)
OPERATIONS: dict[str, type] = {op.name: op for op in (
    Describe, Findings, PlanFindings, Review, Bottlenecks, Paths, Blueprint, Removal, Queueing, Raci, Diff,
    EventLog, Compare, PtvCompare, Suggestions)}


# -- privacy at the boundary --------------------------------------------------------------------

def answer(operation: Any, model: Model, audience: str = EDITOR, **options: Any) -> Any:
    """Check ``operation``'s parameters against the graph, run it on the model ``audience``
    reads and return its answer fit for that audience.

    - ``operation``: an operation's record (``polku.Findings()``, :data:`OPERATIONS`);
    - ``model``: a :class:`Model` (a loaded graph is wrapped in one);
    - ``audience``: ``editor`` (the default) reads every figure, ``public`` reads the
      published copy (small cells left out, :mod:`polku.privacy`);
    - ``options``: what the operation's ``run`` takes beside the model, passed on as they
      are: none for the operations of :data:`OPERATIONS`; the report's ``progress``
      (a callback of its steps, :mod:`polku.progress`). Any other keyword
      is a :class:`TypeError` naming it and what is taken (an answer is in no language:
      there is no ``lang``; the edge words it, ``polku.records``).

    A bad parameter is a :class:`polku.errors.PolkuError` whose ``field`` names it, a
    wrong kind of argument a :class:`TypeError` that says what is taken.

    >>> from polku.graph import new_graph
    >>> answer(Describe(), new_graph(), lang="fi")
    Traceback (most recent call last):
    TypeError: answer() got an unexpected keyword argument 'lang': it takes operation, model and audience, and Describe takes no other (an answer is data in no language: polku.records(found, m, lang) words findings, polku.present.results the other answers; README "Python API")
    """
    if isinstance(operation, type):
        raise TypeError(f"answer() takes an operation's record, e.g. {operation.__name__}(), "
                        f"not the class {operation.__name__}")
    if not (callable(getattr(operation, "check", None))
            and callable(getattr(operation, "run", None))):
        raise TypeError(f"answer() takes an operation (polku.Findings(), polku.Paths(segment="
                        f"...), ...: polku.ops.operations.OPERATIONS), not "
                        f"{type(operation).__name__}")
    _check_options(operation, options)
    model = as_model(model, "answer()")
    if audience not in AUDIENCES:
        raise PolkuError(N_("unknown audience '{audience}'"), params={"audience": audience},
                         field="audience")
    operation.check(model.graph)
    seen = model.published(audience)
    result = operation.run(seen, **options)
    if audience == PUBLIC:
        return published_figures(result, seen, getattr(operation, "modelled", False))
    if seen.hidden_services():
        # a copy meant for others read back (a shared .jsonld) lacks its small cells: what
        # rests on them is the published part only, for whoever reads the copy, so it says
        # what the public's answer on the whole graph says (a hidden service's inflow None,
        # its lower bound beside it), never a partial sum as if it were all
        return published_answer(result, seen.hidden_services(), seen.min_cell, modelled=True)
    return result


def _check_options(operation: Any, options: dict[str, Any]) -> None:
    """Refuse a keyword of :func:`answer` that the operation's ``run`` does not take,
    naming it and what is taken, before anything is computed (an unexpected keyword of
    ``run`` itself would name a method the caller never called)."""
    if not options:
        return
    import inspect

    taken = [name for name, p in list(inspect.signature(operation.run).parameters.items())[1:]
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    unknown = [k for k in options if k not in taken]
    if not unknown:
        return
    what = type(operation).__name__
    beside = f"{what} takes {', '.join(taken)} beside them" if taken else \
        f"{what} takes no other"
    hint = (' (an answer is data in no language: polku.records(found, m, lang) words '
            'findings, polku.present.results the other answers; README "Python API")'
            if "lang" in unknown else "")
    raise TypeError(f"answer() got an unexpected keyword argument {unknown[0]!r}: it takes "
                    f"operation, model and audience, and {beside}{hint}")


def shown_suppressed(g: nx.MultiDiGraph, node: str, column: str, value: Any,
                     min_cell: int) -> Any:
    """A workbook cell of a published graph's node as the public reads it: ``<5`` where
    the cell counts people and the published copy left it out as a small cell."""
    if value is None and column in (g.nodes.get(node, {}).get("suppressed") or ()):
        return f"<{min_cell}"
    return value


# a report's answer holds every finding: tens of thousands of small records, no cycles
@gc_paused()
def published_figures(value: Any, model: Model, modelled: bool = False) -> Any:
    """An answer as the public may see it: small people figures as ``<5``
    (:func:`polku.privacy.suppress_figures`; not a ``modelled`` answer's, computed from
    the published figures and the reader's own changes), and the inflow, utilisation and
    wait of a service that a suppressed referral leads to left out (None)."""
    return published_answer(value, model.hidden_services(), model.min_cell, modelled)
