"""The event log's story: hand-offs between services, their waits and monthly volumes per
referral, and the hand-offs the graph has no referral for (``unmodelled-flow`` findings).

:func:`polku.io.eventlog.read_event_log` reads and checks the log (its module doc says how
hand-offs, waits and volumes are defined); :func:`event_log_stats` is the analysis (graph
and log in, plain data out: ids and numbers; labels and messages are added at the edge,
:func:`polku.present.results.eventlog_worded`); :func:`apply_stats` writes the log's waits
and volumes into a copy of the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import networkx as nx
import numpy as np

from polku.analyses.accountable import responsibilities_of, who_must_act
from polku.analyses.reach import ecosystem
from polku.finding import Finding, number
from polku.io.eventlog import EventLog
from polku.kinds import KIND_CATALOGUE

SECONDS_PER_DAY = 86_400.0
_UTC = timezone.utc


def months_spanned(first: float, last: float) -> int:
    """Calendar months from the month of ``first`` to the month of ``last`` (seconds since
    1970), both included.

    >>> from polku.io.eventlog import _seconds
    >>> months_spanned(_seconds("2025-01-31"), _seconds("2025-03-01"))
    3
    """
    a = datetime.fromtimestamp(first, _UTC)
    b = datetime.fromtimestamp(last, _UTC)
    return (b.year - a.year) * 12 + b.month - a.month + 1


@dataclass
class Handoffs:
    """Every hand-off of the log: from and to (service indexes), wait in days, segment
    index (−1: none); and the months the log spans."""
    source: np.ndarray
    target: np.ndarray
    wait_days: np.ndarray
    segment: np.ndarray
    months: int


def handoffs(log: EventLog) -> Handoffs:
    """The hand-offs of the log (see the module doc): events sorted by case, then start,
    then file order; consecutive events of one case with different services."""
    if len(log) == 0:
        return Handoffs(*(np.empty(0, dtype=t) for t in (np.int32, np.int32, np.float64,
                                                         np.int32)), months=1)
    same_case = log.case[1:] == log.case[:-1]
    if (log.case[1:] >= log.case[:-1]).all() and \
            (~same_case | (log.start[1:] >= log.start[:-1])).all():
        # already in order (a log written case by case, each in time): nothing to sort
        case, svc, start, end, seg = log.case, log.service, log.start, log.end, log.segment
    else:
        order = np.lexsort((log.start, log.case))    # stable: equal starts keep file order
        case, svc = log.case[order], log.service[order]
        start, end, seg = log.start[order], log.end[order], log.segment[order]
    done = np.where(np.isnan(end), start, end)
    pair = (case[:-1] == case[1:]) & (svc[:-1] != svc[1:])
    idx = np.nonzero(pair)[0]
    wait = np.maximum(start[idx + 1] - done[idx], 0.0) / SECONDS_PER_DAY
    hseg = np.where(seg[idx + 1] >= 0, seg[idx + 1], seg[idx])
    last = float(np.nanmax(np.maximum(log.start, np.nan_to_num(log.end, nan=-np.inf))))
    return Handoffs(svc[idx], svc[idx + 1], wait, hseg,
                    months_spanned(float(log.start.min()), last))


def _referral_for(eco, source: str, target: str, segment: str | None) -> str | None:
    """The referral that carries a hand-off: it runs source → target and applies to the
    segment (any, without one); one naming the segment first, then the lowest id."""
    cands = [(not (segment and segment in segs), rid)
             for rid, t, segs in eco.out_refs.get(source, ())
             if t == target and (not segs or segment is None or segment in segs)]
    return min(cands)[1] if cands else None


def event_log_stats(g: nx.MultiDiGraph, log: EventLog) -> dict[str, Any]:
    """Per referral the hand-offs, volume per month and median wait the log shows, and the
    ``unmodelled-flow`` findings (plain data; :func:`apply_stats` writes them into a graph).
    """
    eco = ecosystem(g)
    h = handoffs(log)
    n_seg = len(log.segments) + 1
    # One code per (from, to, segment) combination: the few distinct ones are looked up.
    combo = (h.source.astype(np.int64) * len(log.services) + h.target) * n_seg + (h.segment + 1)
    uniq, inverse = np.unique(combo, return_inverse=True)
    ref_ids: list[str | None] = []
    for c in uniq.tolist():
        rest, s = divmod(c, n_seg)
        a, b = divmod(rest, len(log.services))
        ref_ids.append(_referral_for(eco, log.services[a], log.services[b],
                                     log.segments[s - 1] if s else None))
    names = sorted({r for r in ref_ids if r is not None})
    ref_index = {r: i for i, r in enumerate(names)}
    code = np.array([ref_index[r] if r is not None else -1 for r in ref_ids],
                    dtype=np.int64)[inverse] if len(uniq) else np.empty(0, dtype=np.int64)
    referrals: dict[str, Any] = {}
    modelled = code >= 0
    if modelled.any():
        order = np.argsort(code[modelled], kind="stable")
        codes = code[modelled][order]
        waits = h.wait_days[modelled][order]
        bounds = np.flatnonzero(np.diff(codes)) + 1
        for group_codes, group_waits in zip(np.split(codes, bounds), np.split(waits, bounds)):
            rid = names[int(group_codes[0])]
            ref = eco.refs[rid]
            n = len(group_waits)
            referrals[rid] = {
                "from": ref.source, "to": ref.target, "handoffs": n,
                "volume_per_month": number(round(n / h.months, 2)),
                "median_wait_days": number(round(float(np.median(group_waits)), 2)),
                "before": {"volume_per_month": number(ref.volume),
                           "median_wait_days": number(ref.wait)},
            }
    unmodelled: dict[tuple[str, str], int] = {}
    for c, n in zip(*np.unique(inverse[~modelled], return_counts=True)):
        rest, _ = divmod(int(uniq[c]), n_seg)
        a, b = divmod(rest, len(log.services))
        key = (log.services[a], log.services[b])
        unmodelled[key] = unmodelled.get(key, 0) + int(n)
    severity = KIND_CATALOGUE["unmodelled-flow"].severity
    # who must act, as on every finding (docs/findings.md): the handing service's leads,
    # else its providers, and the plan measures on either service
    findings = who_must_act(eco.responsibilities or responsibilities_of(g), [
        Finding("unmodelled-flow", severity, a, (b,), metrics={"count": n})
        for (a, b), n in sorted(unmodelled.items())])
    first = float(log.start.min()) if len(log) else None
    return {
        "graph": g.graph.get("name", "graph"),
        "log": {"events": len(log), "cases": log.cases, "handoffs": int(len(h.wait_days)),
                "months": h.months, "has_end": log.has_end,
                "first": datetime.fromtimestamp(first, _UTC).strftime("%Y-%m-%d")
                if first is not None else None},
        "referrals": dict(sorted(referrals.items())),
        "not_seen": sorted(set(eco.refs) - set(referrals)),
        "findings": findings,
    }


def apply_stats(g: nx.MultiDiGraph, stats: dict[str, Any]) -> nx.MultiDiGraph:
    """A copy of ``g`` whose referrals carry the log's median waits and volumes (a wait
    left out, None, is left out of the referral: :func:`polku.ops.operations.stats_for`)."""
    h = g.copy()
    for rid, r in stats["referrals"].items():
        if r["median_wait_days"] is None:
            h.nodes[rid].pop("median_wait_days", None)
        else:
            h.nodes[rid]["median_wait_days"] = r["median_wait_days"]
        h.nodes[rid]["volume_per_month"] = r["volume_per_month"]
    return h


def stats_json(stats: dict[str, Any]) -> dict[str, Any]:
    """:func:`event_log_stats` as JSON-ready data (findings as the spec's objects; those
    that are already kept as they are)."""
    return {**stats, "findings": [f.to_dict() if isinstance(f, Finding) else f
                                  for f in stats["findings"]]}
