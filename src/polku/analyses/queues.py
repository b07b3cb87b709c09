"""Queues: what happens to waiting times when capacity, places or demand change.

Each service with a capacity is an M/M/c queue (Erlang C): clients arrive at random
(Poisson) at the rate λ = its inflow per month (the summed ``volume_per_month`` of the
referrals into it), ``c`` = its ``places`` (parallel places, 1 when not said) each serve one
client at a time, and each place serves at the rate μ = ``capacity_per_month`` / c, with
exponential service times. Utilisation ρ = λ / (c μ) = inflow / capacity. When ρ < 1 the
predicted mean wait before service is Wq = C(c, λ/μ) / (c μ − λ) months (C: the Erlang C
probability that an arriving client has to wait), given in days at
:data:`DAYS_PER_MONTH` days a month; when ρ ≥ 1 the queue grows without bound
(``unstable``, no wait).

**Calibrated to what is observed.** A nominal capacity rarely says how fast clients are
really served (no-shows, paperwork, part-time places), so the formula alone can say 0.3 days
where the referrals into the service say 35. Where a service has a capacity, a known
inflow λ and an observed wait W (the ``median_wait_days`` of the referrals into it, weighted
by their volumes: :func:`observed_waits`; from the workbook, or from an event log's
hand-offs), the model is calibrated (:func:`calibration`) so that its baseline reproduces
W. Its *effective capacity* c·μ' is the one at which the M/M/c mean wait equals W
(:func:`effective_capacity`; the wait falls as the capacity grows, so exactly one capacity
above λ gives it, found by bisection) — unless that capacity would put the *modelled
utilisation* λ / (c·μ') above :data:`MAX_CALIBRATED_UTILIZATION` (0.8). Then the effective
capacity is the one at 0.8, and the rest of W, which the queue at 0.8 does not explain, is
a *lead time*: days between the referral and the service that no change of capacity or
demand moves (booking, paperwork, the client's own timing).

Why the ceiling: a wait of weeks in front of a service whose one place serves a client in
hours is, for M/M/c, a queue at 97–99 % of its capacity — so every calibrated service of
the example region came out nearly full, a fifth more clients at the front door made a
dozen of them grow without bound, and a seventh more capacity cut debt advice's 35 days to
5. That is the formula's arithmetic, not something the observed waits show: an M/M/1 queue
at 0.98 takes years to settle (its relaxation time is about 1 / (μ (1 − √ρ)²), some 10,000
service times), so a wait that has held steady for months does not come from one. At 0.8
the queue settles within weeks and the waits still rise steeply with more demand. The
ratio of effective to nominal capacity and the lead time are kept through a change: a new
nominal capacity is served at the same ratio, new places share the same effective
capacity, and a demand change meets it. A service without an observed wait (or with 0
days, or no inflow) is modelled at its nominal capacity. ``calibrate=False`` gives the
nominal model everywhere. The observed figure is a median and the model's a mean; the
calibration equates them, so the baseline says what the designers see.

Two utilisations, two names: *utilisation* (``utilization``: ``over-capacity``, the
bottleneck ranking, a capacity suggestion's) is inflow / nominal capacity; the *modelled
utilisation* (``modelled_utilization``: a queue state's, so the what-if's before and after)
is inflow / the capacity the model serves at, the effective one where it is calibrated.
Every answer that leaves polku keeps the two names apart.

A demand change at a service flows downstream: a service's outgoing referral volumes scale
with its inflow, so +20 % into a service sends 20 % more along each of its referrals, and
so on through the services they reach (around a cycle until the change dies out). A service
with no known inflow (no referral into it has a volume: a front door) takes a demand change
as a change of its outgoing volumes; its own queue is not computed (no arrivals known).

Why an analysis of its own: a designer asks "what if we add ten places here, or demand
grows by a fifth?" before a budget is decided; the findings the change creates or resolves
(an over-capacity gone, a new one downstream) come with the answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

import networkx as nx

from polku.errors import (IS_NOT_A_NUMBER, CellError, Figure, NodeTypes, Phrase,
                          PolkuError, shown)
from polku.graph import close_id
from polku import bounds
from polku.finding import Finding, above, number
from polku.analyses.findings import find
from polku.analyses.flow import inflows, outflows
from polku.kinds import LONG_WAIT_DAYS, TARGET_UTILIZATION
from polku.privacy import hidden_services, suppressed_referrals
from polku.words import N_
from polku.analyses.reach import Ecosystem, ecosystem

#: Days in a month, on average (365.25 / 12 rounded as the issue states it).
DAYS_PER_MONTH = 30.4
#: A demand change that has not died out after this many rounds around the referral graph
#: is amplified by a cycle whose outgoing volumes exceed its inflow.
_MAX_ROUNDS = 10_000
_SETTLED = 1e-9
#: The most a what-if may ask of one service: the most a workbook's service may have
#: (:data:`polku.bounds.MAX_PLACES`, :data:`polku.bounds.MAX_CAPACITY`, which say why), so no
#: real question is refused, and it bounds the model's cost: Erlang's recurrence
#: (:func:`erlang_c`) is a loop over the places.
MAX_PLACES = bounds.MAX_PLACES
MAX_CAPACITY = bounds.MAX_CAPACITY
#: A demand change of at most +1000 % (eleven times the clients): far beyond any forecast a
#: region plans for, and the propagated volumes stay ordinary numbers.
MAX_DEMAND = 10.0
#: The most modelled utilisation a calibration reads into an observed wait (the module doc
#: says why); the rest of a longer wait is lead time that capacity does not change.
MAX_CALIBRATED_UTILIZATION = 0.8
#: a change above its ceiling, by option (the service, the value and the ceiling as params)
TOO_MUCH = {
    "capacity": N_("capacity of '{service}': at most {most} a month, not {value}"),
    "places": N_("places at '{service}': at most {most}, not {value}"),
    "demand": N_("demand at '{service}': a change of at most {most}, not {value}"),
}
#: a capacity above 0 but below the least a workbook takes (:data:`polku.bounds.LEAST_CAPACITY`)
TOO_LITTLE = N_("capacity of '{service}': more than 0 but less than {least} a month, not "
                "{value} (a typo? 0 is a service that takes in no one)")
#: option -> the workbook figure whose range (:data:`polku.bounds.BOUNDS`) it is held to: a
#: what-if asks what the service would do with a figure its workbook could hold, so it
#: takes the same range (a capacity of 1e-300 read as a utilisation of 10^303 %)
BOUNDED = {"capacity": "capacity_per_month", "places": "places"}


def erlang_c(places: int, load: float) -> float:
    """The probability that an arriving client waits, in an M/M/c queue with ``places``
    servers and offered load ``load`` = λ/μ (< places). Erlang B by its stable recurrence,
    then C = B / (1 − ρ (1 − B)).

    >>> round(erlang_c(1, 0.8), 6)    # one server: C = ρ
    0.8
    >>> round(erlang_c(2, 1.0), 6)    # two servers at ρ = 0.5: C = 1/3
    0.333333
    """
    if places < 1:
        raise ValueError("an M/M/c queue needs at least one place")
    if load >= places:
        return 1.0
    b = 1.0
    for k in range(1, places + 1):
        b = load * b / (k + load * b)
        if b == 0.0:  # underflowed: every later term is 0 too (many places, little load)
            break
    rho = load / places
    return b / (1 - rho * (1 - b))


@dataclass(frozen=True)
class QueueState:
    """One service as a queue: its inflow (clients a month; None if unknown), capacity,
    places, modelled utilisation (inflow / the capacity it is served at: None when that is
    0 or a figure is not known), predicted mean wait in days, and whether the queue grows
    without bound; ``effective_capacity`` is the calibrated capacity the modelled
    utilisation and wait are computed at (None: the nominal one). ``unstable`` is None when
    the verdict is hidden (:func:`hidden_state`)."""
    inflow: float | None
    capacity: float | None
    places: int
    modelled_utilization: float | None
    wait_days: float | None
    unstable: bool | None
    effective_capacity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"inflow": _inflow(self.inflow, self.capacity),
                "capacity": _num(self.capacity, 2),
                "places": self.places,
                # the model's figure, not the nominal ``utilization`` of the bottleneck
                # ranking and over-capacity: named apart wherever it leaves polku
                "modelled_utilization": _num(self.modelled_utilization, 3),
                "wait_days": _num(self.wait_days, 2), "unstable": self.unstable,
                "effective_capacity": _num(self.effective_capacity, 2)}


def _num(x: float | None, digits: int) -> float | int | None:
    return None if x is None else number(round(x, digits))


def _inflow(inflow: float | None, capacity: Any) -> float | int | None:
    """An inflow as the answer states it: to 1/100 of a client, and where it is above the
    capacity with as many more decimals as it takes to read above it (15.0015 against 15
    is 15.002, never 15: :func:`polku.finding.decimals_above`).

    >>> _inflow(15.0015, 15), _inflow(15.026667, 15), _inflow(14.999, 15), _inflow(3.5, None)
    (15.002, 15.03, 15, 3.5)
    """
    if inflow is None or not isinstance(capacity, (int, float)) or isinstance(capacity, bool):
        return _num(inflow, 2)
    return above(inflow, capacity, 2)


def queue(inflow: float | None, capacity: float | None, places: int = 1,
          effective: float | None = None, lead_days: float = 0.0) -> QueueState:
    """The M/M/c prediction for one service (see the module doc); with ``effective``, its
    utilisation and wait at that (calibrated) capacity, its nominal ``capacity`` kept;
    ``lead_days`` (a calibration's lead time) is added to the wait.

    >>> q = queue(8, 10)              # one place, ρ = 0.8: Wq = ρ / (μ − λ) = 0.4 months
    >>> q.modelled_utilization, round(q.wait_days, 2), q.unstable
    (0.8, 12.16, False)
    >>> queue(12, 10, 2).unstable
    True
    >>> round(queue(8, 10, 1, effective=9).wait_days, 1)   # served at 9 a month, not 10
    27.0
    >>> round(queue(8, 10, lead_days=20).wait_days, 2)     # and 20 days before the queue
    32.16
    """
    if effective is not None:
        return replace(queue(inflow, effective, places, lead_days=lead_days),
                       capacity=capacity, effective_capacity=effective)
    if capacity is None or inflow is None:
        return QueueState(inflow, capacity, places, None, None, False)
    if capacity <= 0:
        return QueueState(inflow, capacity, places, None,
                          None if inflow > 0 else lead_days, inflow > 0)
    rho = inflow / capacity
    if rho >= 1:
        return QueueState(inflow, capacity, places, rho, None, True)
    mu = capacity / places
    wait_months = erlang_c(places, inflow / mu) / (capacity - inflow) if inflow > 0 else 0.0
    return QueueState(inflow, capacity, places, rho,
                      wait_months * DAYS_PER_MONTH + lead_days, False)


def hidden_state(capacity: float | None, places: int) -> QueueState:
    """A queue whose inflow rests on a suppressed volume, as its reader may see it: its
    capacity and places, and neither its figures nor its verdict (a queue that grows
    without bound at a capacity the reader chose would give the inflow back by bisection).

    >>> hidden_state(70, 1).to_dict()["unstable"] is None
    True
    """
    return QueueState(None, capacity, places, None, None, None)


def wait_months(inflow: float, capacity: float, places: int) -> float:
    """M/M/c's mean wait in months (infinite when the inflow reaches the capacity)."""
    if inflow >= capacity:
        return math.inf
    if inflow <= 0:
        return 0.0
    return erlang_c(places, inflow * places / capacity) / (capacity - inflow)


def effective_capacity(inflow: float | None, places: int, wait_days: float | None
                       ) -> float | None:
    """The capacity a month at which an M/M/c queue with ``places`` places and ``inflow``
    clients a month has the mean wait ``wait_days``: what calibrates the model to an
    observed wait (see the module doc). None when it cannot say (no inflow, no wait, or a
    wait of 0, which no finite capacity gives).

    >>> cap = effective_capacity(30, 1, 35)     # debt advice: 30 a month, 35 days' wait
    >>> round(cap, 2), round(queue(30, 70, 1, effective=cap).wait_days, 2)
    (30.84, 35.0)
    """
    if inflow is None or wait_days is None or inflow <= 0 or wait_days <= 0 \
            or not math.isfinite(wait_days):
        return None
    target = wait_days / DAYS_PER_MONTH
    lo, hi = float(inflow), 2.0 * inflow
    while wait_months(inflow, hi, places) > target:
        lo, hi = hi, 2 * hi
    # the wait falls as the capacity grows: bisect to a relative 1e-12
    while hi - lo > 1e-12 * hi:
        mid = (lo + hi) / 2
        if wait_months(inflow, mid, places) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def calibration(inflow: float | None, capacity: float | None, places: int,
                observed: float | None,
                most: float = MAX_CALIBRATED_UTILIZATION) -> dict[str, float] | None:
    """How one service is calibrated to its ``observed`` wait: its effective capacity, that
    capacity's ratio to the nominal one, and the lead time (days of the observed wait the
    queue does not explain: 0 unless the effective capacity that gives the whole wait would
    put the modelled utilisation above ``most``; the module doc says why). None when it is
    modelled at its nominal capacity (no capacity, inflow or observed wait).

    >>> c = calibration(30, 70, 1, 35)    # debt advice: the whole wait would need ρ = 0.97
    >>> round(c["effective_capacity"], 1), round(c["lead_days"], 1)   # so ρ = 0.8, and
    (37.5, 31.8)
    >>> round(queue(30, 70, 1, c["effective_capacity"], c["lead_days"]).wait_days, 1)
    35.0
    >>> calibration(21, 30, 1, 3)["lead_days"]                  # 3 days at ρ = 0.74
    0.0
    """
    if capacity is None or capacity <= 0:
        return None
    effective = effective_capacity(inflow, places, observed)
    if effective is None or inflow is None or observed is None:
        return None
    lead = 0.0
    if inflow / effective > most:
        effective = inflow / most
        lead = max(0.0, observed - wait_months(inflow, effective, places) * DAYS_PER_MONTH)
    return {"effective_capacity": effective, "ratio": effective / capacity,
            "lead_days": lead}


def observed_waits(eco: Ecosystem) -> dict[str, float]:
    """Service → the wait observed before it: the ``median_wait_days`` of the referrals
    into it, weighted by their monthly volumes (a plain mean when no volume is known;
    referrals without a wait are left out).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> for r, u, vol, wait in (("r1", "a", 30, 10), ("r2", "b", 10, 30)):
    ...     g.add_node(r, type="referral", volume_per_month=vol, median_wait_days=wait)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, "c", "to")
    >>> observed_waits(ecosystem(g))
    {'c': 15.0}
    """
    return weighted_waits((ref.target, ref.wait, ref.volume) for ref in eco.refs.values()
                          if ref.target in eco.services)


def weighted_waits(refs: Iterable[tuple[str, float | None, float | None]]
                   ) -> dict[str, float]:
    """:func:`observed_waits`' rule on referrals given as (target, median wait, volume):
    target → their waits weighted by their volumes (a plain mean when no volume is known;
    a referral without a wait left out). What a view's details say beside the what-if
    (:class:`polku.present.views.facts.Facts`) is so the same figure.

    >>> weighted_waits([("c", 5, 25), ("c", 7, 15), ("c", None, 9), ("d", 3, None)])
    {'c': 5.75, 'd': 3.0}
    """
    weighted: dict[str, list[tuple[float, float]]] = {}
    for target, wait, volume in refs:
        if wait is not None:
            weighted.setdefault(target, []).append((wait, volume or 0.0))
    out = {}
    for sid, pairs in weighted.items():
        total = sum(v for _, v in pairs)
        out[sid] = (sum(w * v for w, v in pairs) / total if total > 0
                    else sum(w for w, _ in pairs) / len(pairs))
    return out


def wait_shown(wait: float | None, hidden_waits: Iterable[float | None]) -> float | None:
    """A weighted wait as the public may read it (:func:`published_wait`): ``wait`` when
    none of ``hidden_waits`` (the waits of the referrals whose volumes are left out) can
    move it — each without a wait or with the very wait shown — else None.

    >>> wait_shown(14, [14, None]), wait_shown(17.7, [14])
    (14, None)
    """
    if wait is None:
        return None
    for other in hidden_waits:
        if other is not None and not math.isclose(other, wait, rel_tol=1e-9, abs_tol=1e-9):
            return None
    return wait


def published_wait(eco: Ecosystem, sid: str, observed: Mapping[str, float],
                   suppressed: frozenset[str]) -> float | None:
    """The observed wait of a service whose inflow is hidden (a referral into it has a
    suppressed volume), as the public may read it: the published graph's weighted wait
    (``observed``, computed without the suppressed volumes) when the suppressed volumes
    cannot change it — every suppressed referral into the service without a wait, or with
    the very wait shown — else None. A weighted mean of waits that differ would give the
    suppressed volume back by subtraction (v = V·(W − w₁) / (w₂ − W)); a mean of equal
    waits is each referral's own published wait, whatever the weights.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> for r, u, vol, wait in (("r1", "a", 30, 35), ("r2", "b", None, 35)):
    ...     g.add_node(r, type="referral", volume_per_month=vol, median_wait_days=wait)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, "c", "to")
    >>> eco = ecosystem(g)
    >>> published_wait(eco, "c", observed_waits(eco), frozenset({"r2"}))   # equal waits
    35.0
    >>> g.nodes["r2"]["median_wait_days"] = 14; eco = ecosystem(g)
    >>> published_wait(eco, "c", observed_waits(eco), frozenset({"r2"})) is None
    True
    """
    return wait_shown(observed.get(sid), (
        ref.wait for ref in map(eco.refs.get, suppressed)
        if ref is not None and ref.target == sid))


def _volumes_in(eco: Ecosystem) -> dict[str, float]:
    """Service → clients a month into it (:func:`polku.analyses.flow.inflows`; absent when
    not known)."""
    return {s: i.volume for s, i in inflows(eco).items()}


def propagate_demand(eco: Ecosystem, demand: Mapping[str, float]) -> dict[str, float]:
    """New referral volumes (referral id → clients a month) after the relative demand
    changes ``demand`` (service → +0.2 for +20 %), flowed downstream as the module doc
    says. The extra clients of a service with a known inflow come in along its incoming
    referrals, in proportion to their volumes (so its inflow, and the ``over-capacity``
    finding, grow by the percentage). Only referrals whose volume changes are returned.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c"): g.add_node(n, type="service")
    >>> for r, u, v, vol in (("r1", "a", "b", 10), ("r2", "b", "c", 5)):
    ...     g.add_node(r, type="referral", volume_per_month=vol)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> propagate_demand(ecosystem(g), {"b": 0.2})    # b: 10 a month in, 2 more
    {'r1': 12.0, 'r2': 6.0}
    >>> propagate_demand(ecosystem(g), {"a": 0.5})    # a front door: its outflow scales
    {'r1': 15.0, 'r2': 7.5}
    """
    inflow = _volumes_in(eco)
    outflow = outflows(eco)
    # Each service's throughput: its inflow if known, else its outflow (a front door).
    through = {v: inflow[v] if inflow.get(v) else outflow.get(v, 0.0)
               for v in eco.services}
    external = {v: p * through[v] for v, p in demand.items() if through.get(v)}
    change = dict(external)
    for _ in range(_MAX_ROUNDS):
        pushed: dict[str, float] = dict(external)
        for ref in eco.refs.values():
            u = ref.source
            if ref.volume is None or u not in change or not through.get(u) \
                    or ref.target not in eco.services:
                continue
            pushed[ref.target] = pushed.get(ref.target, 0.0) + \
                ref.volume * change[u] / through[u]
        # A front door's throughput change is only what was asked of it: nothing flows in.
        pushed = {v: d for v, d in pushed.items() if inflow.get(v) or v in external}
        settled = all(abs(pushed.get(v, 0.0) - change.get(v, 0.0)) <= _SETTLED *
                      max(1.0, abs(change.get(v, 0.0))) for v in set(pushed) | set(change))
        change = pushed
        if settled:
            break
        if any(not math.isfinite(d) or abs(d) > 1e12 for d in change.values()):
            break
    else:
        settled = False
    if not settled:
        raise PolkuError(N_("the demand change does not settle: around a cycle of referrals "
                            "more clients are referred on than come in, so the change grows "
                            "without bound (check the volumes on that cycle)"), params={},
                         node=sorted(demand)[0] if demand else None, field="demand")
    out = {}
    for rid, ref in eco.refs.items():
        u, t = ref.source, ref.target
        if ref.volume is None:
            continue
        new = ref.volume
        if u in change and through.get(u):
            new += ref.volume * change[u] / through[u]
        if t in external and inflow.get(t):
            new += external[t] * ref.volume / inflow[t]
        if abs(new - ref.volume) > 1e-12:
            out[rid] = max(0.0, new)
    return out


def partial_services(eco: Ecosystem, demand: Mapping[str, float],
                     suppressed: frozenset[str], hidden: frozenset[str]) -> frozenset[str]:
    """The services of a published graph whose figures after the demand changes
    ``demand`` rest on a hidden figure: the change reaches them along a ``suppressed``
    referral (whose volume the model does not hold, so nothing flows along it), or through
    a ``hidden`` service that the change reaches from upstream (its throughput is only its
    published part, so what it passes on is scaled by the wrong figure), or through a
    service already such. What :func:`propagate_demand` computes for them from the
    published volumes alone is a partial figure, not a lower bound (it can be above the
    true one: a hidden service's partial inflow passes on a larger share); the
    public's what-if hides it. A change asked at a hidden service itself passes on the
    same share as it would with the whole inflow, so it taints nothing by itself. Empty
    when nothing is suppressed.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b", "c", "d", "x"): g.add_node(n, type="service")
    >>> for r, u, v, vol in (("r1", "a", "b", 10), ("r2", "x", "b", None), ("r3", "b", "c", 5),
    ...                      ("r4", "d", "c", 5)):
    ...     g.add_node(r, type="referral", volume_per_month=vol)
    ...     add_edge(g, r, u, "from"); add_edge(g, r, v, "to")
    >>> # b's inflow is hidden (r2 left out): what it passes on to c is scaled by 10, not 13
    >>> sorted(partial_services(ecosystem(g), {"a": 0.5}, frozenset({"r2"}), frozenset({"b"})))
    ['b', 'c']
    >>> sorted(partial_services(ecosystem(g), {"b": 0.5}, frozenset({"r2"}), frozenset({"b"})))
    []
    >>> sorted(partial_services(ecosystem(g), {"x": 0.5}, frozenset({"r2"}), frozenset({"b"})))
    ['b', 'c']
    """
    if not suppressed:
        return frozenset()

    def carrying(u: str) -> list[tuple[str, str]]:
        # the referrals a change at u flows along (as the editor's model flows it): one with
        # a volume above 0, or one whose volume the published copy left out
        out = []
        for rid, t, _ in eco.out_refs.get(u, ()):
            vol = eco.refs[rid].volume
            if t in eco.services and (rid in suppressed or (vol is not None and vol > 0)):
                out.append((rid, t))
        return out

    def downstream(start: set[str]) -> set[str]:
        """``start`` and every service the carrying referrals lead to from it."""
        seen, todo = set(start), list(start)
        while todo:
            for _, t in carrying(todo.pop()):
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    # the services a change reaches at all, suppressed referrals included
    reached = downstream({v for v, p in demand.items() if p and v in eco.services})
    # where the published model goes wrong, and everything downstream of it
    return frozenset(downstream({t for u in reached for rid, t in carrying(u)
                                 if rid in suppressed or t in hidden}))


#: a change in percent: a sign, a figure (read by :func:`read_figure`: its thousands may be
#: grouped by spaces, as the refusal of an ambiguous ``1,000`` says to write them) and %
PERCENT_RE = re.compile(r"^\s*([+-]?)\s*(\d[\d \u00a0\u202f]*(?:[.,]\d+)?)\s*%\s*$")
#: a value of an option that the workbook's reader refuses (:func:`read_figure`), by option:
#: the reader's own words after the service
REFUSED = {
    "capacity": N_("capacity of '{service}': {problem}"),
    "places": N_("places at '{service}': {problem}"),
    "demand": N_("demand at '{service}': {problem}"),
}


def parse_assignments(items: list[str], option: str) -> list[tuple[str, str]]:
    """``SVC=VALUE`` items of an option (``capacity``, ``places``, ``demand``), split; a
    malformed one is a PolkuError naming the option in ``field``."""
    out: list[tuple[str, str]] = []
    for item in items:
        if "=" not in item:
            raise PolkuError(N_("'{item}': write the service's id, = and the value "
                                "(service=value)"), params={"item": item}, field=option)
        sid, value = item.split("=", 1)
        sid = sid.strip()
        if any(sid == seen for seen, _ in out):
            # two values for one service: the last one silently won (the page refuses a
            # service on two rows; a repeated query parameter is the same question)
            raise PolkuError(N_("'{service}' is given twice: give one value for it"),
                             params={"service": sid}, field=option)
        out.append((sid, value.strip()))
    return out


def parse_percent(text: str, service: str, field: str = "demand") -> float:
    """``+20%``, ``-10 %``, ``15,5%`` → 0.2, −0.1, 0.155; anything else is refused.

    >>> parse_percent("+20%", "x"), parse_percent("-12,5%", "x")
    (0.2, -0.125)
    """
    m = PERCENT_RE.match(text)
    if not m:
        raise PolkuError(N_("demand at '{service}': '{value}' is not a percentage (write e.g. "
                            "{up} or {down})"), params={"service": service, "value": text,
                                                        "up": "+20%", "down": "-10%"},
                         node=service, field=field)
    value = read_figure(m.group(2), service, field) / 100
    value = -value if m.group(1) == "-" else value
    if value < -1:
        raise PolkuError(N_("demand at '{service}': '{value}' would make demand negative (at "
                            "least {least})"), params={"service": service, "value": text,
                                                       "least": "-100%"}, node=service,
                         field=field)
    return value


def read_figure(text: str, service: str, option: str, whole: bool = False) -> int | float:
    """``text`` as the workbook reads a figure a person typed
    (:func:`polku.io.workbook.parse_figure`: ``1,200`` refused as reading two ways, naming
    both; spaces only grouping the thousands; with ``whole``, ``2,0`` the whole number 2),
    so that every door reads a what-if's figures as the workbook reads its cells. A
    refusal is said of ``service`` in the reader's words, with ``option`` as the field; a
    fraction where a whole number belongs is the places' own message.

    >>> read_figure("1 200", "ips", "capacity"), read_figure("2,0", "ips", "places", whole=True)
    (1200, 2)
    >>> e = None
    >>> try: read_figure("1,200", "ips", "capacity")
    ... except PolkuError as refused: e = refused
    >>> e.field, e.node, e.message
    ('capacity', 'ips', "capacity of 'ips': '1,200' is ambiguous: ',' and '.' are the decimal mark, never a thousands separator; for 1200 write 1200 or 1 200, for 1.2 write 1,2")
    """
    from polku.io.workbook import NOT_WHOLE, parse_figure

    try:
        return parse_figure(text, whole=whole)
    except CellError as e:
        if whole and e.msgid == NOT_WHOLE:
            raise PolkuError(PLACES_MESSAGE, params={"service": service, "value": text},
                             node=service, field=option) from None
        raise PolkuError(REFUSED[option], params={
            "service": service, "problem": Phrase(e.msgid, **e.params)}, node=service,
                         field=option) from None


def queue_changes(capacity: list[str], places: list[str], demand: list[str]
                  ) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
    """The queue options' SVC=VALUE items (``polku whatif``, the API's ``whatif``, the
    what-if page's form) as numbers, each figure read as the workbook reads one
    (:func:`read_figure`); a bad value names the option in ``field``."""
    caps = {sid: read_figure(value, sid, "capacity")
            for sid, value in parse_assignments(capacity, "capacity")}
    slots: dict[str, int] = {}
    for sid, value in parse_assignments(places, "places"):
        number = read_figure(value, sid, "places", whole=True)
        if not isinstance(number, int) or number < 1:
            raise PolkuError(PLACES_MESSAGE, params={"service": sid, "value": value},
                             node=sid, field="places")
        slots[sid] = number
    change = {sid: parse_percent(value, sid)
              for sid, value in parse_assignments(demand, "demand")}
    check_values(caps, slots, change)
    return caps, slots, change


PLACES_MESSAGE = N_("places at '{service}': '{value}' is not a whole number, 1 or more")


def check_values(capacity: Mapping[str, float], places: Mapping[str, int],
                 demand: Mapping[str, float]) -> None:
    """Capacities 0 or more, places whole numbers 1 or more, demand changes -100 % or
    more, each within its range (a capacity and places that of the workbook's figure,
    :data:`BOUNDED`; a demand change at most :data:`MAX_DEMAND`); a bad one names its
    option in ``field``.

    >>> check_values({"s": 1e-300}, {}, {})
    Traceback (most recent call last):
    polku.errors.PolkuError: capacity of 's': more than 0 but less than 0.01 a month, not 1e-300 (a typo? 0 is a service that takes in no one)
    >>> check_values({"s": 0, "t": 0.01, "u": 100_000}, {"s": 100_000}, {"s": 10})
    """
    for sid, cap in capacity.items():
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) \
                or not math.isfinite(cap):
            raise not_a_number("capacity", sid, cap)
        if cap < 0:
            raise PolkuError(N_("capacity of '{service}' cannot be negative ({value})"),
                             params={"service": sid, "value": cap}, node=sid,
                             field="capacity")
    for sid, c in places.items():
        if isinstance(c, bool) or not isinstance(c, int) or c < 1:
            raise PolkuError(PLACES_MESSAGE, params={"service": sid, "value": c}, node=sid,
                             field="places")
    for sid, p in demand.items():
        if not math.isfinite(p):
            raise not_a_number("demand", sid, p)
        if p < -1:
            raise PolkuError(N_("demand at '{service}': a change of at least {least}"),
                             params={"service": sid, "least": "-100%"}, node=sid,
                             field="demand")
    # the ranges: a capacity and places as the workbook's (polku.bounds), above any
    # region's real service, which bound the model's cost; a demand change its own
    for option, changes in (("capacity", capacity), ("places", places), ("demand", demand)):
        for sid, value in changes.items():
            if option in BOUNDED:
                problem = bounds.out_of_bounds(BOUNDED[option], value)
                limit = problem[2] if problem else {}
            else:
                limit = {"most": Figure(MAX_DEMAND, percent=True)} if value > MAX_DEMAND \
                    else {}
            if not limit:
                continue
            # the figures as the reader's language writes them (1e9: 1 000 000 000)
            figure = Figure(value, percent=option == "demand")
            if "least" in limit:
                raise PolkuError(TOO_LITTLE, params={"service": sid, "least": limit["least"],
                                                     "value": figure}, node=sid, field=option)
            raise PolkuError(TOO_MUCH[option], params={"service": sid, "most": limit["most"],
                                                        "value": figure}, node=sid,
                             field=option)


def check_changes(g: nx.MultiDiGraph, capacity: Mapping[str, float],
                  places: Mapping[str, int], demand: Mapping[str, float]) -> None:
    """Every service changed is a service of ``g``, and every value is one a queue can
    take (:func:`check_types`, :func:`check_values`); a bad one names its option in
    ``field``."""
    check_types(capacity, places, demand)
    for option, changes in (("capacity", capacity), ("places", places), ("demand", demand)):
        for sid in changes:
            check_service(g, sid, option)
    check_values(capacity, places, demand)


#: what each option of a queueing what-if is, for something else given as the option
NOT_A_MAPPING = {
    "capacity": N_("capacity takes each service's id with its new capacity a month "
                   "({{'ips': 25}}), not {value}"),
    "places": N_("places takes each service's id with its parallel places ({{'ips': 2}}), "
                 "not {value}"),
    "demand": N_("demand takes each service's id with its change as a fraction "
                 "({{'ips': 0.2}} for +20%), not {value}"),
}
#: what each option of a queueing what-if holds, for a value of another type
NOT_A_NUMBER = {
    "capacity": N_("capacity of '{service}' must be a number (clients a month), not {value}"),
    # 2.0 is whole, but no int: said as it is, never as the '2' it is not
    "places": N_("places at '{service}' must be an int (a whole number, 1 or more), not "
                 "{value}"),
    "demand": N_("demand at '{service}' must be a number, the change as a fraction (0.2 for "
                 "+20%), not {value}"),
}


def check_types(capacity: Any, places: Any, demand: Any) -> None:
    """The changes as numbers, which is how Python gives them (the doors' ``SVC=VALUE``
    text is parsed by :func:`queue_changes` first): each option a mapping of service id →
    value, capacities numbers, places whole numbers, demand changes numbers, and a demand
    change above the ceiling told that a change is a fraction (20 is +2,000 %, not
    +20 %); a wrong one names its option in ``field``.

    >>> check_types({}, {}, {"ips": "+20%"})
    Traceback (most recent call last):
    polku.errors.PolkuError: demand at 'ips' must be a number, the change as a fraction (0.2 for +20%), not '+20%'
    >>> check_types({}, {}, {"ips": 20})
    Traceback (most recent call last):
    polku.errors.PolkuError: demand at 'ips': a change of at most +1,000%, not +2,000% (the change is a fraction: 0.2 for +20%)
    """
    for option, changes in (("capacity", capacity), ("places", places), ("demand", demand)):
        if not isinstance(changes, Mapping):
            raise PolkuError(NOT_A_MAPPING[option], params={"value": shown(changes)},
                             field=option)
        for sid, value in changes.items():
            whole = option == "places"
            if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
                raise PolkuError(NOT_A_NUMBER[option], params={
                    "service": sid, "value": repr(value) if whole else shown(value)},
                                 node=sid, field=option)
            if not math.isfinite(value):
                # nan or an infinity: no number, as the doors say of 'nan' typed (it was
                # "cannot be negative (nan)", or a change "of at least -100%")
                raise not_a_number(option, sid, value)
            if option == "demand" and value > MAX_DEMAND:
                raise PolkuError(N_("demand at '{service}': a change of at most {most}, not "
                                    "{value} (the change is a fraction: 0.2 for +20%)"),
                                 params={"service": sid,
                                         "most": Figure(MAX_DEMAND, percent=True),
                                         "value": Figure(value, percent=True)},
                                 node=sid, field=option)


def not_a_number(option: str, sid: str, value: float) -> PolkuError:
    """The refusal of nan or an infinity given as ``option``'s value at ``sid``, in the
    words the doors say of ``nan`` typed (:func:`read_figure`).

    >>> print(not_a_number("capacity", "ips", float("nan")))
    capacity of 'ips': 'nan' is not a number
    """
    return PolkuError(REFUSED[option], params={
        "service": sid, "problem": Phrase(IS_NOT_A_NUMBER, value=shown(value))}, node=sid,
                      field=option)


def check_service(g: nx.MultiDiGraph, sid: str, option: str) -> str:
    """``sid`` if it is a service of ``g``, else a PolkuError naming ``option``."""
    if sid not in g:
        raise PolkuError(N_("'{service}' is not in the graph"), params={"service": sid},
                         node=sid, field=option, close=close_id(g, sid, ("service",)))
    t = g.nodes[sid].get("type")
    if t != "service":
        raise PolkuError(N_("'{service}' is {type}, not a service"),
                         params={"service": sid, "type": NodeTypes((str(t),), article=True)},
                         node=sid, field=option, close=close_id(g, sid, ("service",)))
    return sid


def _places_of(g: nx.MultiDiGraph, sid: str) -> int:
    places = g.nodes[sid].get("places", 1)
    if isinstance(places, bool) or not isinstance(places, int) or places < 1:
        raise PolkuError(N_("places must be a whole number, 1 or more, not {value}"),
                         params={"value": repr(places)}, node=sid)
    return places


def service_queue(before: tuple[float | None, float | None, int],
                  after: tuple[float | None, float | None, int], observed: float | None,
                  calibrate: bool = True) -> dict[str, Any]:
    """One service of a queueing what-if: ``before`` and ``after`` are its (inflow,
    nominal capacity, places); with ``calibrate``, the calibration to the ``observed`` wait
    found before the change (:func:`calibration`) is kept through it (the same ratio of
    effective to nominal capacity, the same lead time). What :func:`queue_whatif` says of
    each service it shows, and what :func:`headroom` checks a suggested capacity with.

    >>> s = service_queue((30, 70, 1), (30, 80, 1), 35)   # debt advice at 80 a month
    >>> round(s["before"]["wait_days"], 1), round(s["after"]["wait_days"], 1)
    (35, 33.4)
    """
    (in_before, cap_before, places_before), (in_after, cap_after, places_after) = before, after
    found = calibration(in_before, cap_before, places_before, observed) if calibrate else None
    ratio = found["ratio"] if found else None
    lead = found["lead_days"] if found else 0.0
    return {
        "hidden": False, "partial": False,
        "observed_wait_days": _num(observed, 2), "observed_hidden": False,
        "calibration": found and {k: _num(v, 3 if k == "ratio" else 2)
                                  for k, v in found.items()},
        "before": queue(in_before, cap_before, places_before,
                        found["effective_capacity"] if found else None, lead).to_dict(),
        "after": queue(in_after, cap_after, places_after,
                       cap_after * ratio if ratio is not None
                       and cap_after is not None else None, lead).to_dict(),
    }


@dataclass(frozen=True)
class CapacityInputs:
    """What every capacity check of one graph reads beside the service itself: the services
    whose inflow is hidden (:func:`polku.privacy.hidden_services`), each service's inflow
    and its observed wait (:func:`observed_waits`). Each is a pass over every referral:
    worked out once per graph (:func:`capacity_inputs`), the checks of its hundreds of
    over-capacity services do not walk the referrals once each."""
    hidden: frozenset[str]
    inflow: Mapping[str, float]
    observed: Mapping[str, float]


def capacity_inputs(g: nx.MultiDiGraph, eco: Ecosystem | None = None) -> CapacityInputs:
    """:class:`CapacityInputs` of ``g`` (``eco``: its index where the caller holds it).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("a", type="service"); g.add_node("b", type="service", capacity_per_month=45)
    >>> g.add_node("r", type="referral", volume_per_month=60, median_wait_days=25)
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> capacity_inputs(g)
    CapacityInputs(hidden=frozenset(), inflow={'b': 60.0}, observed={'b': 25.0})
    """
    eco = eco or ecosystem(g)
    return CapacityInputs(hidden_services(g), _volumes_in(eco), observed_waits(eco))


def headroom(g: nx.MultiDiGraph, service: str, long_wait_days: float = LONG_WAIT_DAYS,
             target: float = TARGET_UTILIZATION, calibrate: bool = True,
             eco: Ecosystem | None = None, inputs: CapacityInputs | None = None
             ) -> dict[str, Any] | None:
    """The smallest whole capacity a month for ``service`` at which the queueing what-if
    (:func:`service_queue`, calibrated as :func:`queue_whatif` is by default) predicts a
    queue with headroom: its utilisation (inflow / capacity, as ``over-capacity`` measures
    it) and its modelled utilisation both at most ``target``, and its predicted wait at
    most ``long_wait_days``: :func:`capacity_figures` at it, or None when no capacity gives
    that (a lead time of the observed wait above the limit, an inflow that is not known or
    rests on a suppressed volume: nothing a capacity can be verified by).

    Why the target and not "just under the limit": a suggestion of 61 places for 60
    clients a month was a queue at 98 % with a 30-day wait, no headroom for a busier month
    (:data:`polku.kinds.TARGET_UTILIZATION` says why 0.85).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("a", type="service"); g.add_node("b", type="service", capacity_per_month=45)
    >>> g.add_node("r", type="referral", volume_per_month=60, median_wait_days=25)
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> h = headroom(g, "b"); h["capacity"], h["utilization"], round(h["wait_days"])
    (71, 0.845, 24)
    >>> h["before"]["wait_days"], round(h["lead_days"], 1), h["before"]["effective_capacity"]
    (25, 23.4, 75)

    ``inputs``: the graph's :class:`CapacityInputs` where the caller checks many services.
    """
    eco = eco or ecosystem(g)
    model = _capacity_model(g, service, calibrate, eco, inputs)
    if model is None or not 0 < target < 1:
        return None
    inflow = model[0]

    def fits(capacity: int) -> bool:
        after = _predicted(model, capacity, calibrate)["after"]
        return not after["unstable"] and after["modelled_utilization"] is not None \
            and after["modelled_utilization"] <= target and inflow / capacity <= target \
            and after["wait_days"] is not None and after["wait_days"] <= long_wait_days

    # the prediction improves as the capacity grows: the first that fits, by doubling and
    # then halving the step (a dozen predictions, not one per client a month)
    lo, hi = math.floor(inflow), max(1, math.ceil(inflow / target))
    while not fits(hi):
        if hi >= MAX_CAPACITY:
            return None
        lo, hi = hi, min(2 * hi, MAX_CAPACITY)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if fits(mid) else (mid, hi)
    # the figures at it from the model already built (not built again for them)
    return _figures(service, model, hi, calibrate)


def _capacity_model(g: nx.MultiDiGraph, service: str, calibrate: bool, eco: Ecosystem,
                    inputs: CapacityInputs | None = None
                    ) -> tuple[float, float, int, float | None] | None:
    """(inflow, nominal capacity, places, observed wait) of a service a capacity can be
    verified for, or None (not a service, hidden, no known inflow or capacity)."""
    if service not in eco.services or service in (
            inputs.hidden if inputs is not None else hidden_services(g)):
        return None
    inflow = (inputs.inflow if inputs is not None else _volumes_in(eco)).get(service)
    nominal = g.nodes[service].get("capacity_per_month")
    if not inflow or not isinstance(nominal, (int, float)) or isinstance(nominal, bool):
        return None
    observed = inputs.observed if inputs is not None else observed_waits(eco)
    return inflow, float(nominal), _places_of(g, service), observed.get(service)


def _predicted(model: tuple[float, float, int, float | None], capacity: float,
               calibrate: bool) -> dict[str, Any]:
    inflow, nominal, places, observed = model
    return service_queue((inflow, nominal, places), (inflow, capacity, places), observed,
                         calibrate)


def capacity_figures(g: nx.MultiDiGraph, service: str, capacity: int, calibrate: bool = True,
                     eco: Ecosystem | None = None, inputs: CapacityInputs | None = None
                     ) -> dict[str, Any] | None:
    """What the queueing what-if says of ``service`` at a new nominal ``capacity``, before
    and after, as a capacity suggestion shows it: ``{"service", "inflow", "capacity",
    "utilization" (inflow / capacity), "modelled_utilization", "wait_days", "unstable",
    "effective_capacity" (the calibrated one, None when not calibrated), "calibrated",
    "before": {the same six figures before the change}, "lead_days" (the part of the wait
    no capacity moves, the same before and after)}``: the figures after the change at the
    top, those before it under ``before``, each side whole (a capacity of 0 before has no
    utilisation, nominal or modelled: None, and ``unstable`` when clients come). None when
    no capacity can be verified for it (:func:`headroom` says when).

    Why before and after: "raise to 71 (utilisation 84 %)" read as a cure, while the wait
    went from 25 days to 24: the leader weighs the change by the wait it buys. ``inputs``:
    the graph's :class:`CapacityInputs` where the caller holds them."""
    eco = eco or ecosystem(g)
    model = _capacity_model(g, service, calibrate, eco, inputs)
    return None if model is None else _figures(service, model, capacity, calibrate)


def _figures(service: str, model: tuple[float, float, int, float | None], capacity: int,
             calibrate: bool) -> dict[str, Any]:
    """:func:`capacity_figures` from the service's capacity model (:func:`_capacity_model`)."""
    inflow, nominal = model[0], model[1]
    q = _predicted(model, capacity, calibrate)
    before, after, found = q["before"], q["after"], q["calibration"]

    def side(cap: float, state: dict[str, Any]) -> dict[str, Any]:
        # one side's figures, each of that side: the effective capacity before the change
        # stood among the figures after it (75 beside a modelled utilisation at 118)
        return {"capacity": number(cap),
                "utilization": _num(inflow / cap, 3) if cap else None,
                "modelled_utilization": state["modelled_utilization"],
                "wait_days": state["wait_days"], "unstable": state["unstable"],
                "effective_capacity": state["effective_capacity"]}

    return {"service": service, "inflow": _num(inflow, 2), **side(capacity, after),
            "calibrated": after["effective_capacity"] is not None,
            "before": side(nominal, before),
            "lead_days": found["lead_days"] if found else 0.0}


#: the finding kinds that follow from a service's inflow
INFLOW_KINDS = ("over-capacity",)


def _rests_on_hidden(f: Finding, hidden: frozenset[str]) -> bool:
    return f.kind in INFLOW_KINDS and f.subject in hidden


def _as_answered(f: Finding) -> Finding:
    """A finding of a queueing what-if with its inflow as the answer states every inflow,
    to 1/100 of a client (:meth:`QueueState.to_dict`): the over-capacity a change creates
    says the figure its service's queue says, not the same sum to six decimals beside it.

    >>> _as_answered(Finding("over-capacity", "warning", "s", (), "", {"inflow": 15.026667,
    ...                      "capacity": 15, "utilization": 1.002})).metrics["inflow"]
    15.03
    """
    inflow = f.metrics.get("inflow")
    if f.kind not in INFLOW_KINDS or not isinstance(inflow, (int, float)) \
            or isinstance(inflow, bool):
        return f
    return replace(f, metrics={**f.metrics, "inflow": _inflow(inflow, f.metrics.get("capacity"))})


def queue_whatif(g: nx.MultiDiGraph, capacity: Mapping[str, float] | None = None,
                 places: Mapping[str, int] | None = None,
                 demand: Mapping[str, float] | None = None,
                 long_wait_days: float = LONG_WAIT_DAYS,
                 before: list[Finding] | None = None,
                 calibrate: bool = True) -> dict[str, Any]:
    """Every affected service's queue before and after the changes, and the findings the
    changes create and resolve (ids and numbers; :func:`polku.present.results.queue_worded`
    adds the services' names and the findings' messages). ``capacity``: service → new capacity per month;
    ``places``: service → parallel places; ``demand``: service → relative change (0.2 =
    +20 %). Unknown services, negative capacities and places below 1 are refused.

    With ``calibrate`` (the default) a service with an observed wait is modelled at its
    effective capacity (the module doc): each service says its ``observed_wait_days`` and
    its ``calibration``, the effective capacity, its ratio to the nominal one and the lead
    time in days (None: modelled at the nominal capacity). A service of a published graph
    whose inflow rests on a suppressed volume is ``hidden`` (:func:`hidden_state`): its
    capacity, places and (:func:`published_wait`) observed wait stay, and
    ``observed_hidden`` says when the observed wait is hidden too. A service whose own
    inflow is published but whose inflow after a demand change rests on such a figure
    (:func:`partial_services`) is ``hidden`` after the change only, with ``partial`` true:
    its figures before the change (inflow, observed wait, calibration, the modelled
    utilisation, wait and verdict) are computed from published figures alone and shown,
    those after it are :func:`hidden_state`'s (its published inflow before the change in
    ``inflow_at_least`` too)."""
    capacity, places, demand = dict(capacity or {}), dict(places or {}), dict(demand or {})
    check_changes(g, capacity, places, demand)
    eco = ecosystem(g)
    volumes = propagate_demand(eco, demand)
    h = g.copy()
    # the graph after holds the propagated volumes as computed, not each rounded to 1/100:
    # near a full queue those hundredths moved a wait by half a day (2.277 a month read as
    # 2.28), and three rounded volumes added up to another inflow (15.02) than the queue's
    # (15.03), so the over-capacity the change created said another figure than the queue
    for rid, vol in volumes.items():
        h.nodes[rid]["volume_per_month"] = number(vol)
    for sid, cap in capacity.items():
        h.nodes[sid]["capacity_per_month"] = number(cap)
    for sid, c in places.items():
        h.nodes[sid]["places"] = c
    eco_after = ecosystem(h)
    # one inflow computation (polku.analyses.flow) before and after, for the queues and the
    # findings alike
    in_before, in_after = _volumes_in(eco), _volumes_in(eco_after)
    observed = observed_waits(eco)
    # a published graph's services whose inflow rests on a suppressed volume: what the
    # model says of them (figures, verdict, an over-capacity created or resolved) rests on
    # a partial inflow and is hidden, not computed from it
    hidden = hidden_services(g)
    suppressed = suppressed_referrals(g) if hidden else frozenset()
    # and those whose inflow after the change rests on one: the change reaches them along
    # a suppressed referral or through a hidden service, so the published model's figures
    # after it are partial (and may differ either way from the true ones)
    partial = partial_services(eco, demand, suppressed, hidden)
    # the services a referral from such a one leads to get a changed volume that is not
    # the true one: the published part of their inflow after the change is no lower bound
    misled = {t for u in partial for rid, t, _ in eco.out_refs.get(u, ())
              if eco.refs[rid].volume is not None}
    affected = set(capacity) | set(places) | set(demand) | {
        v for v in set(in_before) | set(in_after)
        if abs(in_before.get(v, 0.0) - in_after.get(v, 0.0)) > 1e-9} | (
        # the true model changes them, whether or not the published one can tell
        partial & eco.services)
    services = {}
    for sid in sorted(affected):
        cap_before = g.nodes[sid].get("capacity_per_month")
        cap_after = h.nodes[sid].get("capacity_per_month")
        if sid in hidden or sid in partial:
            # the published part of its inflow is public already: at least that many come
            # (the bottleneck ranking's lower bound, polku.privacy.lower_bounds);
            # after the change only where no partial figure flows into it: then each of the
            # published referrals into it carries the editor's figure, and the bound is made
            # of figures the public reads anyway (one the change cuts to 0 is "at least 0",
            # so that a null after a bound before means that, and only that)
            before_least = in_before.get(sid) or None
            least = {"before": before_least,
                     "after": None if sid in misled else in_after.get(sid)
                     if before_least is not None else in_after.get(sid) or None}
            at_least = {k: None if v is None else _num(v, 2) for k, v in least.items()}
            after_hidden = hidden_state(cap_after, _places_of(h, sid)).to_dict()
            if sid not in hidden:
                # partial: no referral into it has a volume left out, so its inflow before
                # the change, its observed wait and all the model computes from them before
                # it (calibration, modelled utilisation, wait, verdict) are of published
                # figures alone and the editor's own (a what-if of its capacity alone shows
                # them to the public too); only what follows the change rests on a hidden
                # figure upstream, and stays hidden
                shown = service_queue(
                    (in_before.get(sid), cap_before, _places_of(g, sid)),
                    (in_after.get(sid), cap_after, _places_of(h, sid)), observed.get(sid),
                    calibrate)
                services[sid] = {**shown, "hidden": True, "partial": True,
                                 "inflow_at_least": at_least, "after": after_hidden}
                continue
            # the observed wait is the referrals' published waits, shown when the hidden
            # volume does not weigh in it; everything the model computes from the inflow
            # (calibration, utilisation, waits, verdict) stays hidden
            wait = published_wait(eco, sid, observed, suppressed)
            services[sid] = {
                "hidden": True, "partial": False,
                "observed_wait_days": _num(wait, 2),
                "observed_hidden": wait is None and sid in observed, "calibration": None,
                "inflow_at_least": at_least,
                "before": hidden_state(cap_before, _places_of(g, sid)).to_dict(),
                "after": after_hidden}
            continue
        services[sid] = service_queue(
            (in_before.get(sid), cap_before, _places_of(g, sid)),
            (in_after.get(sid), cap_after, _places_of(h, sid)), observed.get(sid), calibrate)
    before = before if before is not None else find(g, long_wait_days, eco=eco)
    after = find(h, long_wait_days, eco=eco_after)
    # an over-capacity of a service whose inflow is hidden, or partial after the change,
    # is neither created nor resolved for the reader: the published figures cannot say
    unsaid = hidden | partial
    old = {f.identity: _as_answered(f) for f in before if not _rests_on_hidden(f, unsaid)}
    new = {f.identity: _as_answered(f) for f in after if not _rests_on_hidden(f, unsaid)}
    return {
        "graph": g.graph.get("name", "graph"),
        "days_per_month": DAYS_PER_MONTH,
        "calibrated": calibrate,
        # the threshold a hidden figure is under (a published graph's; None: none hidden)
        "min_cell": g.graph.get("min_cell") if hidden else None,
        "changes": {"capacity": {k: number(v) for k, v in sorted(capacity.items())},
                    "places": dict(sorted(places.items())),
                    "demand": {k: number(round(v, 6)) for k, v in sorted(demand.items())}},
        "services": services,
        "findings": {"created": [f.to_dict() for k, f in new.items() if k not in old],
                     "resolved": [f.to_dict() for k, f in old.items() if k not in new]},
    }
