"""Waits and volumes from an anonymised event log: what the client system says happened.

``polku eventlog LOG.csv --graph G -o G2.ttl`` reads a CSV event log with the columns
``case``, ``service``, ``start`` and optional ``end`` and ``segment`` (timestamps in ISO
8601: ``2025-03-04``, ``2025-03-04T09:30``, ``2025-03-04T09:30:00+02:00``). Per case the
events are sorted by start; events of one case with equal starts keep their order in the
file. Two consecutive events a → b of a case (a ≠ b) are a *hand-off*; its wait is
start(b) − end(a), or start(b) − start(a) when the log has no ``end`` (or the cell is
empty), in days; a next service that starts before the previous one ends waits 0 days (as
in pm4py's performance directly-follows graph). Each referral a → b of the graph gets the
median wait of its hand-offs and their volume per month: hand-offs divided by the calendar
months the log spans (from the month of its first timestamp to the month of its last, both
included). Where several referrals run a → b, a hand-off goes to the one that applies to
the case's segment, naming it if one does (then the lowest id). Referrals the log never
shows keep what they had.

Hand-offs that no referral of the graph carries become ``unmodelled-flow`` findings
(warning; subject the from-service, related the to-service, ``metrics.count``): clients
move where the model says nobody goes.

This module reads and checks the log (:func:`read_event_log`); the hand-offs, the
statistics per referral and the findings are an analysis, :mod:`polku.analyses.eventlog`.

Privacy: case ids are only used to group events; they never reach the graph or any output.
A cell holding a valid personal identity code refuses the whole file (:func:`polku.privacy.find_hetu`),
and the error names the row and column, never the value.

A million events are read in a few seconds: the file is scanned once for identity codes
with one regular expression, rows become numeric arrays, and the sorting and grouping run
in numpy (``benchmarks/eventlog.py``).
"""

from __future__ import annotations

import csv
import io
import re
from array import array
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import networkx as nx
import numpy as np

from polku.errors import PolkuError, PolkuErrors
from polku.privacy import HETU_PATTERN, find_hetu, is_hetu

REQUIRED = ("case", "service", "start")
OPTIONAL = ("end", "segment")
MAX_ERRORS = 50
_UTC = timezone.utc


@dataclass
class EventLog:
    """The log as arrays, one entry per event in file order: the case as a number (its id
    is forgotten), the service and segment as indexes into ``services`` / ``segments``
    (−1: no segment), start and end as seconds since 1970 (end = NaN when not given)."""
    case: np.ndarray
    service: np.ndarray
    segment: np.ndarray
    start: np.ndarray
    end: np.ndarray
    services: list[str]
    segments: list[str]
    has_end: bool
    cases: int

    def __len__(self) -> int:
        return len(self.case)


def _seconds(text: str) -> float:
    """An ISO 8601 timestamp as seconds since 1970; a time without a zone is taken as it
    is written (as UTC: only differences matter)."""
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_UTC)
    return dt.timestamp()


_CODE_BYTES = re.compile(HETU_PATTERN.pattern.encode())


def _refuse_identity_codes(raw: bytes, file: str) -> None:
    """A valid personal identity code anywhere refuses the file, located by row and
    column (the header is row 1) but never quoted. One pass of a regular expression over
    the bytes; only a file with a candidate is parsed again to locate it."""
    if not any(is_hetu(*(x.decode() for x in m.groups())) for m in _CODE_BYTES.finditer(raw)):
        return
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig", errors="replace")))
    header = next(reader, [])
    if any(find_hetu(col) is not None for col in header):
        raise PolkuError("holds a personal identity code (henkilötunnus) in its header",
                         file=file, row=1)
    for row_no, row in enumerate(reader, start=2):
        for col, cell in zip(header + [""] * len(row), row):
            if find_hetu(cell) is not None:
                raise PolkuError("holds a personal identity code (henkilötunnus): an "
                                 "event log must be anonymised; nothing was read",
                                 file=file, row=row_no, column=col.strip() or None)


def read_event_log(path: str | Path, g: nx.MultiDiGraph) -> EventLog:
    """Read and check an event log against the graph ``g`` (services, outcomes and segments
    must be the graph's). Every problem is reported with its row and column (at most
    :data:`MAX_ERRORS`); a personal identity code refuses the file at once."""
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolkuError("no such file", file=file) from None
    _refuse_identity_codes(raw, file)
    del raw
    with path.open(encoding="utf-8-sig", newline="") as f:
        try:
            return _read_rows(csv.reader(f), g, file)
        except UnicodeDecodeError as e:
            raise PolkuError(f"not UTF-8: byte 0x{e.object[e.start]:02x} (save the log as "
                             "UTF-8 CSV)", file=file) from None


def _read_rows(reader, g: nx.MultiDiGraph, file: str) -> EventLog:
    header = [h.strip().lower() for h in next(reader, [])]
    if not any(header):
        raise PolkuError("the file is empty: it needs a header row (case, service, start)",
                         file=file)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PolkuError(f"missing column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(repr(c) for c in missing)} (an event log has case, "
                         "service, start and optional end and segment)", file=file, row=1)
    i_case, i_svc, i_start = (header.index(c) for c in REQUIRED)
    i_end = header.index("end") if "end" in header else None
    i_seg = header.index("segment") if "segment" in header else None
    width = len(header)

    nodes = g.nodes
    known_svc = {n for n, t in g.nodes(data="type") if t in ("service", "outcome")}
    known_seg = {n for n, t in g.nodes(data="type") if t == "segment"}
    case_ids: dict[str, int] = {}
    svc_ids: dict[str, int] = {}
    seg_ids: dict[str, int] = {"": -1}
    # Compact typed arrays: a million events are ~30 MB, not ~200 MB of Python objects.
    cases, services, segments = array("q"), array("i"), array("i")
    starts, ends = array("d"), array("d")
    errors: list[PolkuError] = []
    nan = float("nan")

    def error(message: str, row: int, column: str | None) -> None:
        errors.append(PolkuError(message, file=file, row=row, column=column))
        if len(errors) >= MAX_ERRORS:
            raise PolkuErrors(errors)

    for row_no, row in enumerate(reader, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        case = row[i_case].strip()
        svc = row[i_svc].strip()
        start_text = row[i_start].strip()
        if not case:
            error("the case is empty", row_no, "case")
            continue
        if not svc:
            error("the service is empty", row_no, "service")
            continue
        sid = svc_ids.get(svc)
        if sid is None:
            if svc not in known_svc:
                t = str(nodes[svc]["type"]) if svc in nodes else ""
                what = (f"is an {t}" if t[:1] in "aeiou" else f"is a {t}") if t \
                    else "is not in the graph"
                error(f"'{svc}' {what}: the service column names services (or outcomes) "
                      "of the graph", row_no, "service")
                continue
            sid = svc_ids[svc] = len(svc_ids)
        try:
            start = _seconds(start_text)
        except ValueError:
            error(f"'{start_text}' is not an ISO 8601 timestamp (e.g. 2025-03-04T09:30)"
                  if start_text else "the start is empty", row_no, "start")
            continue
        end = nan
        if i_end is not None and row[i_end].strip():
            end_text = row[i_end].strip()
            try:
                end = _seconds(end_text)
            except ValueError:
                error(f"'{end_text}' is not an ISO 8601 timestamp (e.g. 2025-03-04T09:30)",
                      row_no, "end")
                continue
            if end < start:
                error(f"the event ends ({end_text}) before it starts ({start_text})",
                      row_no, "end")
                continue
        seg = -1
        if i_seg is not None:
            seg_text = row[i_seg].strip()
            seg = seg_ids.get(seg_text, -2)
            if seg == -2:
                if seg_text not in known_seg:
                    error(f"'{seg_text}' is not a segment of the graph", row_no, "segment")
                    continue
                seg = seg_ids[seg_text] = len(seg_ids) - 1
        cid = case_ids.get(case)
        if cid is None:
            cid = case_ids[case] = len(case_ids)
        cases.append(cid)
        services.append(sid)
        segments.append(seg)
        starts.append(start)
        ends.append(end)
    if errors:
        raise PolkuErrors(errors)
    svc_names = sorted(svc_ids, key=svc_ids.__getitem__)
    seg_names = [s for s in sorted(seg_ids, key=seg_ids.__getitem__) if s]
    arrays = (np.frombuffer(cases, dtype=np.int64), np.frombuffer(services, dtype=np.int32),
              np.frombuffer(segments, dtype=np.int32), np.frombuffer(starts, dtype=np.float64),
              np.frombuffer(ends, dtype=np.float64))
    return EventLog(*arrays, svc_names, seg_names, i_end is not None, len(case_ids))
