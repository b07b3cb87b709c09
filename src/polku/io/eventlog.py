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

A million events are read in about a second: the bytes are scanned once for identity codes
(digits folded to ``0`` so a plain substring search finds every candidate, each then checked
by the regular expression), and an ASCII log without quotes, blank rows or ragged rows is
split, checked and parsed in numpy (:func:`_fast_read`: field bounds from the positions of
commas and newlines, ids factorised as fixed-width byte rows, ISO timestamps of the common
forms converted by arithmetic on their digits, any other timestamp by
:func:`datetime.fromisoformat`). Anything the fast path does not vouch for — a quote, a
non-ASCII byte, a bad value — sends the whole file through the row-by-row reader, which
gives the located errors; both give the same log (``tests/test_eventlog.py``,
``benchmarks/eventlog.py``).
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

from polku.errors import NodeTypes, PolkuError, PolkuErrors
from polku.words import N_
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
# An identity code is six digits, a century sign, three digits and a check character: with
# every digit folded to "0" and every century sign (in either case) to "-", a candidate is the one substring
# below, which bytes.find locates at memory speed (a regular expression tries every byte).
_FOLD = bytes.maketrans(b"0123456789+ABCDEFUVWXYabcdefuvwxy", b"0000000000" + b"-" * 23)
_CANDIDATE = b"000000-000"
_BLOCK = 1 << 23


def _candidates(raw: bytes | bytearray) -> bool:
    """Whether ``raw`` holds a valid identity code somewhere (see :data:`_FOLD`)."""
    size = len(raw)
    for start in range(0, size, _BLOCK):
        lo = max(0, start - 16)
        folded = bytes(raw[lo:start + _BLOCK + 16]).translate(_FOLD)
        at = folded.find(_CANDIDATE)
        while at != -1:
            m = _CODE_BYTES.match(raw, lo + at) if lo + at >= start or start == 0 else None
            if m and is_hetu(*(x.decode() for x in m.groups())):
                return True
            at = folded.find(_CANDIDATE, at + 1)
    return False


def _refuse_identity_codes(raw: bytes | bytearray, file: str) -> None:
    """A valid personal identity code anywhere refuses the file, located by row and
    column (the header is row 1) but never quoted. One fast pass over the bytes; only a
    file with a code is parsed again to locate it."""
    if not _candidates(raw):
        return
    reader = csv.reader(io.StringIO(bytes(raw).decode("utf-8-sig", errors="replace")))
    header = next(reader, [])
    if any(find_hetu(col) is not None for col in header):
        raise PolkuError(N_("holds a personal identity code (henkilötunnus) in its header"),
                         params={}, file=file, row=1)
    for row_no, row in enumerate(reader, start=2):
        for col, cell in zip(header + [""] * len(row), row):
            if find_hetu(cell) is not None:
                raise PolkuError(N_("holds a personal identity code (henkilötunnus): an "
                                    "event log must be anonymised; nothing was read"),
                                 params={}, file=file, row=row_no,
                                 column=col.strip() or None)


def read_event_log(path: str | Path, g: nx.MultiDiGraph) -> EventLog:
    """Read and check an event log against the graph ``g`` (services, outcomes and segments
    must be the graph's). Every problem is reported with its row and column (at most
    :data:`MAX_ERRORS`); a personal identity code refuses the file at once."""
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolkuError(N_("no such file"), params={}, file=file) from None
    _refuse_identity_codes(raw, file)
    fast = _fast_read(raw, g, file)
    if fast is not None:
        return fast
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PolkuError(N_("not UTF-8: byte 0x{byte} (save the log as UTF-8 CSV)"),
                         params={"byte": f"{e.object[e.start]:02x}"}, file=file) from None
    del raw
    return _read_rows(csv.reader(io.StringIO(text, newline="")), g, file)


def _columns(header: list[str], file: str) -> tuple[int, int, int, int | None, int | None]:
    """The indexes of case, service, start, end and segment in the (lower-cased, stripped)
    header; a missing required column is refused."""
    if not any(header):
        raise PolkuError(N_("the file is empty: it needs a header row (case, service, "
                            "start)"), params={}, file=file)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        template = N_("missing column {columns} (an event log has case, service, start and "
                      "optional end and segment)") if len(missing) == 1 else \
            N_("missing columns {columns} (an event log has case, service, start and optional "
               "end and segment)")
        raise PolkuError(template, params={"columns": ", ".join(repr(c) for c in missing)},
                         file=file, row=1)
    i_case, i_svc, i_start = (header.index(c) for c in REQUIRED)
    return (i_case, i_svc, i_start, header.index("end") if "end" in header else None,
            header.index("segment") if "segment" in header else None)


# -- the fast path ---------------------------------------------------------------------------

#: bytes str.strip() removes, of the ASCII ones
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
#: the low v bytes of a little-endian word, v = 0…8
#: rows of a block (timestamps are parsed a block at a time)
_ROWS = 1 << 15
_MASKS = np.array([(1 << (8 * v)) - 1 for v in range(9)], dtype=np.uint64)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _fast_read(raw: bytes, g: nx.MultiDiGraph, file: str) -> EventLog | None:
    """The log read with numpy, or None when the fast path cannot vouch for every row (the
    row-by-row reader then reads it and names what is wrong). Gives exactly what
    :func:`_read_rows` gives for the logs it accepts."""
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if not data.isascii() or b'"' in data or b"\0" in data:
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    newlines = _positions(a, 10)
    crlf = b"\r" in data
    # a carriage return only ever before a newline (CSV's own line end)
    if crlf and (data.count(b"\r") != len(newlines) or (a[newlines - 1] != 13).any()):
        return None
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(a)]))
    if starts[-1] == len(a):                       # the file ends with a newline
        starts, ends = starts[:-1], ends[:-1]
    if crlf:
        ends = ends - (a[np.maximum(ends - 1, 0)] == 13)
    if len(starts) < 2:
        return None
    header = [h.strip().lower() for h in next(csv.reader([data[starts[0]:ends[0]].decode()]))]
    i_case, i_svc, i_start, i_end, i_seg = _columns(header, file)
    width = len(header)
    starts, ends = starts[1:], ends[1:]
    n = len(starts)
    if width < 2 or (ends <= starts).any():        # a blank row: the careful reader skips it
        return None
    commas = _positions(a, 44, int(starts[0]))
    if len(commas) != n * (width - 1):
        return None
    commas = commas.reshape(n, width - 1)
    # sorted commas, as many as needed: each line holds its own when each group lies in it
    if (commas[:, 0] < starts).any() or (commas[:, -1] >= ends).any():
        return None

    def field(j: int) -> tuple[np.ndarray, np.ndarray]:
        return (starts if j == 0 else commas[:, j - 1] + 1,
                ends if j == width - 1 else commas[:, j])

    wanted = sorted({j for j in (i_case, i_svc, i_start, i_seg, i_end) if j is not None})
    bounds = {j: field(j) for j in wanted}
    if len(a) < 8 or max(int((e - s).max()) for s, e in bounds.values()) > 256:
        return None
    # every 8 bytes from each offset as one little-endian number: a cell is gathered a
    # word at a time (a byte-wise gather of a million cells is ten times slower)
    words_at = np.ndarray(shape=(len(a) - 7,), dtype="<u8", buffer=data, strides=(1,))

    def cells(s: np.ndarray, e: np.ndarray, k: int) -> np.ndarray:
        """The cells s…e as a byte matrix of 8·k columns, zero-padded."""
        length = e - s
        words = np.empty((k, len(s)), dtype=np.uint64)
        for q in range(k):
            # (indexing, not np.take: take copies the unaligned view whole first)
            words[q] = words_at[np.minimum(s + 8 * q, len(a) - 8)]
            words[q] &= _MASKS[np.clip(length - 8 * q, 0, 8)]
        words = np.ascontiguousarray(words.T)
        for i in np.flatnonzero(s + 8 * k > len(a)).tolist():   # the file's last bytes
            row = np.zeros(8 * k, dtype=np.uint8)
            row[:length[i]] = a[s[i]:e[i]]
            words[i] = row.view(np.uint64)
        return words.view(np.uint8).reshape(len(s), 8 * k)

    def text(j: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Column j as a byte matrix (one zero-padded row per event) and lengths; None
        when a cell has spaces around it (the careful reader strips them: an id with
        spaces around it is another byte string here, but the same id there)."""
        s, e = bounds[j]
        length = e - s
        filled = length > 0
        if (_SPACE[a[s[filled]]]).any() or (_SPACE[a[e[filled] - 1]]).any():
            return None
        return cells(s, e, max(1, -(-int(length.max()) // 8))), length

    def times(j: int) -> np.ndarray | None:
        """Column j as timestamps (:func:`_timestamps`), a block of rows at a time (a
        cell with spaces around it is no timestamp of the fast forms, and goes to
        :func:`_seconds`, which refuses it, so the careful reader decides)."""
        s, e = bounds[j]
        k = max(1, -(-int((e - s).max()) // 8))
        out = np.empty(n, dtype=np.float64)
        for lo in range(0, n, _ROWS):
            part = _timestamps(cells(s[lo:lo + _ROWS], e[lo:lo + _ROWS], k),
                               (e - s)[lo:lo + _ROWS])
            if part is None:
                return None
            out[lo:lo + _ROWS] = part
        return out

    columns = {j: text(j) for j in wanted if j not in (i_start, i_end)}
    if any(c is None for c in columns.values()):
        return None
    case_mat, case_len = columns[i_case]           # type: ignore[misc]
    svc_mat, svc_len = columns[i_svc]              # type: ignore[misc]
    if not case_len.all() or not svc_len.all():
        return None
    cases, firsts = _factorised(case_mat)
    if cases is None:
        return None
    services, svc_names = _named(svc_mat)
    known_svc = {v for v, t in g.nodes(data="type") if t in ("service", "outcome")}
    if services is None or not set(svc_names) <= known_svc:
        return None
    start = times(i_start)
    if start is None or np.isnan(start).any():
        return None
    end = np.full(n, np.nan)
    if i_end is not None:
        end = times(i_end)                          # type: ignore[assignment]
        if end is None or (end < start).any():
            return None
    segment = np.full(n, -1, dtype=np.int32)
    seg_names: list[str] = []
    if i_seg is not None:
        seg_mat, seg_len = columns[i_seg]          # type: ignore[misc]
        codes, names = _named(seg_mat)
        if codes is None:
            return None
        known_seg = {v for v, t in g.nodes(data="type") if t == "segment"}
        if not set(names) - {""} <= known_seg:
            return None
        # "" is no segment; the others numbered in the order they first appear
        keep = [i for i, name in enumerate(names) if name]
        renumber = np.full(len(names), -1, dtype=np.int32)
        renumber[keep] = np.arange(len(keep), dtype=np.int32)
        segment = renumber[codes]
        seg_names = [names[i] for i in keep]
    return EventLog(cases, services.astype(np.int32), segment, start, end, svc_names,
                    seg_names, i_end is not None, len(firsts))


def _positions(a: np.ndarray, byte: int, start: int = 0) -> np.ndarray:
    """Where ``byte`` is in ``a`` from ``start`` on, found block by block (a comparison of
    the whole file at once would hold a second file's worth of memory)."""
    parts = [np.flatnonzero(a[lo:lo + _BLOCK] == byte) + lo
             for lo in range(start, len(a), _BLOCK)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _factorised(mat: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Each row of a zero-padded byte matrix as a number, equal rows equal numbers, in the
    order the rows first appear, and the row where each number first appears; (None, …)
    if a hash collision makes that uncertain (then the careful reader decides)."""
    words = np.ascontiguousarray(mat).view(np.uint64)
    key = words[:, 0].copy()
    for k in range(1, words.shape[1]):
        key *= np.uint64(0x9E3779B97F4A7C15)
        key ^= words[:, k]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if words.shape[1] > 1 and not (words == words[first[inverse]]).all():
        return None, first
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return rank[inverse], first[order]


def _named(mat: np.ndarray) -> tuple[np.ndarray | None, list[str]]:
    """:func:`_factorised` with the text of each distinct row, in order of appearance."""
    codes, firsts = _factorised(mat)
    if codes is None:
        return None, []
    return codes, [bytes(mat[i]).rstrip(b"\0").decode() for i in firsts.tolist()]


def _window(mat: np.ndarray, at: int, size: int = 6) -> np.ndarray:
    """Columns at…at+size of a byte matrix, zeros where it is narrower."""
    out = np.zeros((mat.shape[0], size), dtype=np.uint8)
    part = mat[:, at:at + size]
    out[:, :part.shape[1]] = part
    return out


def digits_of(mat: np.ndarray, *ks: int) -> tuple[np.ndarray, np.ndarray]:
    """Whether columns ``ks`` of a byte matrix are all ASCII digits, and their number."""
    ok = np.ones(mat.shape[0], dtype=bool)
    value = np.zeros(mat.shape[0], dtype=np.int64)
    for k in ks:
        c = mat[:, k] if k < mat.shape[1] else np.zeros(mat.shape[0], dtype=np.uint8)
        ok &= (c >= 48) & (c <= 57)
        value = value * 10 + c - 48
    return ok, value


def _timestamps(mat: np.ndarray, length: np.ndarray) -> np.ndarray | None:
    """ISO 8601 timestamps (byte matrix, lengths) as seconds since 1970, as
    :func:`_seconds` gives them; NaN for an empty cell; None if one is not a timestamp.
    ``YYYY-MM-DD``, with ``THH:MM`` or ``THH:MM:SS`` (or a space for ``T``) and an optional
    ``Z`` or ``±HH:MM`` are computed from their digits; any other form by
    :func:`_seconds`. The caller gives a block of rows at a time (:data:`_ROWS`), so the
    arithmetic stays in the processor's cache.

    >>> rows = [b"2025-03-04", b"2025-03-04T09:30+02:00", b"2025-03-04T09:30:15.5", b""]
    >>> mat = np.array(rows, dtype="S24").view(np.uint8).reshape(len(rows), 24)
    >>> got = _timestamps(mat, np.array([len(r) for r in rows]))
    >>> [_seconds(r.decode()) for r in rows[:3]] == got[:3].tolist(), bool(np.isnan(got[3]))
    (True, True)
    """
    n, w = mat.shape

    def col(k: int) -> np.ndarray:
        return mat[:, k] if k < w else np.zeros(n, dtype=np.uint8)

    def digits(*ks: int) -> tuple[np.ndarray, np.ndarray]:
        return digits_of(mat, *ks)

    ok_y, year = digits(0, 1, 2, 3)
    ok_m, month = digits(5, 6)
    ok_d, day = digits(8, 9)
    ok_h, hour = digits(11, 12)
    ok_min, minute = digits(14, 15)
    ok_s, second = digits(17, 18)
    date = ok_y & ok_m & ok_d & (col(4) == 45) & (col(7) == 45) & \
        (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1)
    safe_month = np.clip(month, 0, 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    date &= day <= _DAYS_IN_MONTH[safe_month] + ((safe_month == 2) & leap)
    sep = (col(10) == 84) | (col(10) == 32)
    hm = date & sep & ok_h & ok_min & (col(13) == 58) & (hour <= 23) & (minute <= 59)
    hms = hm & (col(16) == 58) & ok_s & (second <= 59)
    # where the time ends, and what may follow it: nothing, Z, or ±HH:MM
    at = np.where(hms, 19, 16)
    timed = hms | hm

    # the six bytes after the time: where seconds are given they start at 19, else at 16
    tail = np.where(hms[:, None], _window(mat, 19), _window(mat, 16))
    sign = tail[:, 0]
    zone_ok, zone_h = digits_of(tail, 1, 2)
    ok, zone_m = digits_of(tail, 4, 5)
    offset_ok = timed & (length == at + 6) & ((sign == 43) | (sign == 45)) & zone_ok & ok & \
        (tail[:, 3] == 58) & (zone_h <= 23) & (zone_m <= 59)
    oh, om = zone_h, zone_m
    fast = (date & (length == 10)) | (timed & (length == at)) | \
        (timed & (length == at + 1) & (sign == 90)) | offset_ok
    # days from the civil date (H. Hinnant's algorithm), all in whole seconds
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    seconds = days * 86400 + np.where(timed, hour * 3600 + minute * 60, 0) + \
        np.where(hms, second, 0)
    seconds -= np.where(offset_ok, np.where(sign == 45, -1, 1) * (oh * 3600 + om * 60), 0)
    out = seconds.astype(np.float64)
    out[length == 0] = np.nan
    for i in np.flatnonzero(~fast & (length > 0)).tolist():
        try:
            out[i] = _seconds(bytes(mat[i, :length[i]]).decode())
        except ValueError:
            return None
    return out


def _read_rows(reader, g: nx.MultiDiGraph, file: str) -> EventLog:
    """The careful reader: row by row, every problem named by row and column."""
    header = [h.strip().lower() for h in next(reader, [])]
    i_case, i_svc, i_start, i_end, i_seg = _columns(header, file)
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

    def error(message: str, row: int, column: str | None, **params: object) -> None:
        """One row's problem: ``message`` is a catalogued template of ``params``."""
        errors.append(PolkuError(message, params=params, file=file, row=row, column=column))
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
            error(N_("the case is empty"), row_no, "case")
            continue
        if not svc:
            error(N_("the service is empty"), row_no, "service")
            continue
        sid = svc_ids.get(svc)
        if sid is None:
            if svc not in known_svc:
                t = str(nodes[svc]["type"]) if svc in nodes else ""
                if t:
                    error(N_("'{service}' is {type}: the service column names services (or "
                             "outcomes) of the graph"), row_no, "service", service=svc,
                          type=NodeTypes((t,), article=True))
                else:
                    error(N_("'{service}' is not in the graph: the service column names "
                             "services (or outcomes) of the graph"), row_no, "service",
                          service=svc)
                continue
            sid = svc_ids[svc] = len(svc_ids)
        try:
            start = _seconds(start_text)
        except ValueError:
            if start_text:
                error(N_("'{value}' is not an ISO 8601 timestamp (e.g. 2025-03-04T09:30)"),
                      row_no, "start", value=start_text)
            else:
                error(N_("the start is empty"), row_no, "start")
            continue
        end = nan
        if i_end is not None and row[i_end].strip():
            end_text = row[i_end].strip()
            try:
                end = _seconds(end_text)
            except ValueError:
                error(N_("'{value}' is not an ISO 8601 timestamp (e.g. 2025-03-04T09:30)"),
                      row_no, "end", value=end_text)
                continue
            if end < start:
                error(N_("the event ends ({end}) before it starts ({start})"), row_no, "end",
                      end=end_text, start=start_text)
                continue
        seg = -1
        if i_seg is not None:
            seg_text = row[i_seg].strip()
            seg = seg_ids.get(seg_text, -2)
            if seg == -2:
                if seg_text not in known_seg:
                    error(N_("'{segment}' is not a segment of the graph"), row_no, "segment",
                          segment=seg_text)
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
