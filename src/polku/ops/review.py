"""What changed since the last review: findings created and resolved since a version (or a
date) of the change log, and follow-ups past their due date.

The change log (:mod:`polku.ops.changelog`) keeps every row edit with the row before and
after, so the graph as it was at version *v* is today's sheets with every later change
reverted, newest first. Its findings against today's findings, by stable key
(:func:`polku.finding.finding_key`), give what was created and what was resolved; the
follow-ups of today's findings give what is overdue (:mod:`polku.followup`).

>>> parse_since("3")
3
>>> parse_since("2026-12-01"), parse_since("1.12.2026")
('2026-12-01', '2026-12-01')
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, time, timezone
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import networkx as nx

from polku.errors import PolkuError
from polku.finding import Finding
from polku.clock import HELSINKI
from polku.followup import effective, parse_date, today
from polku.io import workbook
from polku.ops import edits
from polku.words import N_


def parse_since(text: str) -> int | str:
    """``--since``: a change log version (a whole number) or a date (``YYYY-MM-DD`` or
    ``d.m.yyyy``); a located error otherwise."""
    value = str(text).strip()
    if re.fullmatch(r"[0-9]+", value):
        return int(value)
    try:
        return parse_date(value)
    except ValueError:
        raise PolkuError(N_("a change log version (e.g. 3) or a date (e.g. 2026-12-01) is "
                            "needed, not '{text}'"), params={"text": text},
                         field="since") from None


def version_at(entries: Sequence[Mapping[str, Any]], since: int | str, log: str = "") -> int:
    """The version the review starts from: ``since`` itself, or for a date the last version
    logged before that day began in Finland (0: before the first change). ``log`` names the
    change log in a message.

    Without a logged change only version 0 is known: a later version is refused, and so is
    a date, as the version is (read as version 0 it said that nothing had changed since that
    day, which a log without changes cannot tell). ``--since 0`` still answers, with the
    follow-ups past due.

    >>> version_at([], 2, ".polku/mini.changes.jsonl")
    Traceback (most recent call last):
    polku.errors.PolkuError: no change is logged for this graph yet (.polku/mini.changes.jsonl): polku serve logs every edit made through it, so version 0 is the only one
    >>> version_at([], "2026-12-01", ".polku/mini.changes.jsonl")
    Traceback (most recent call last):
    polku.errors.PolkuError: no change is logged for this graph yet (.polku/mini.changes.jsonl): polku serve logs every edit made through it, so version 0 is the only one
    >>> version_at([], 0), version_at([{"version": 1, "time": "2026-12-01T10:00:00Z"}],
    ...                                   "0001-01-01")
    (0, 0)
    """
    latest = entries[-1]["version"] if entries else 0
    if not entries and since != 0:
        raise PolkuError(N_("no change is logged for this graph yet ({log}): polku serve "
                            "logs every edit made through it, so version 0 is the only "
                            "one"), params={"log": log or "–"}, field="since")
    if isinstance(since, int):
        if since > latest:
            raise PolkuError(N_("no version {since}: the change log's latest version is "
                                "{latest}"), params={"since": since, "latest": latest},
                             field="since")
        return since
    start = datetime.combine(datetime.fromisoformat(since).date(), time(0), HELSINKI)
    try:
        start_utc = start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:  # 1.1.0001 began in Finland before the first UTC day datetime has
        return 0
    return max((e["version"] for e in entries if e["time"] < start_utc), default=0)


def _revert(sheets: edits.Sheets, entry: Mapping[str, Any]) -> edits.Sheets:
    """``sheets`` with one logged change taken back (an undo too: by its rows before and
    after, whatever its action)."""
    sheet, before, after = entry["sheet"], entry.get("before"), entry.get("after")
    if after is not None:
        key = edits.KEY_SEPARATOR.join(after.get(c, "") for c in edits.key_columns(sheet))
        if before is None:
            return edits.apply(sheets, "delete", sheet, key)[0]
        return edits.apply(sheets, "replace", sheet, key, before)[0]
    if before is not None:
        return edits.apply(sheets, "create", sheet, None, before)[0]
    return sheets


def sheets_at(sheets: edits.Sheets, entries: Iterable[Mapping[str, Any]],
              version: int) -> edits.Sheets:
    """The sheets as they were at ``version``: every later change reverted, newest first."""
    for entry in sorted((e for e in entries if e["version"] > version),
                        key=lambda e: -e["version"]):
        try:
            sheets = _revert(sheets, entry)
        except PolkuError as e:
            raise PolkuError(N_("the change log does not lead back to version {version}: "
                                "version {entry} cannot be reverted ({problem})"),
                             params={"version": version, "entry": entry["version"],
                                     "problem": e}, field="since") from None
    return sheets


def graph_of_sheets(sheets: edits.Sheets, name: str) -> nx.MultiDiGraph:
    """The graph the sheets make (the workbook rules; no SHACL: these are logged, checked
    versions)."""
    return workbook.read_workbook(name, name=name,
                                  tables=edits.as_tables(sheets, lambda s: f"{name}/{s}"))


#: how many earlier versions one history keeps built (a server keeps the history of the
#: version it serves: reviews since the same few versions are the common case, and a
#: national graph's version is tens of megabytes)
EARLIER_KEPT = 4


@dataclass(frozen=True)
class History:
    """What a review rebuilds earlier versions from: a graph's change log (its entries,
    oldest first) and its sheets as they stand (:func:`polku.ops.edits.row_store`).

    It keeps the last :data:`EARLIER_KEPT` earlier versions it built (:meth:`model_at`),
    with their findings: a history never changes, so a server that keeps one per version
    answers a second review since the same version without rebuilding it."""
    entries: tuple[Mapping[str, Any], ...]
    sheets: edits.Sheets
    #: where the change log is kept, as the reader knows it (for a message)
    log: str = ""
    _built: dict = field(default_factory=dict, compare=False, repr=False)
    _guard: Any = field(default_factory=threading.Lock, compare=False, repr=False)

    def model_at(self, version: int, name: str, min_cell: int) -> Any:
        """The model (:class:`polku.ops.model.Model`, the owner's) of the graph as it was at
        ``version``, built once while it is among the last few asked for."""
        from polku.ops.model import Model

        key = (version, name, min_cell)
        with self._guard:
            kept = self._built.pop(key, None)
            if kept is None:
                kept = self._built[key] = _Once(
                    lambda: Model(graph_at(self, version, name), min_cell=min_cell))
            else:
                self._built[key] = kept  # the newest asked for is the last to go
            while len(self._built) > EARLIER_KEPT:
                del self._built[next(iter(self._built))]
        return kept.value()


class _Once:
    """A value computed by the first asker; concurrent askers wait for it (and an error is
    raised to each, not kept)."""

    def __init__(self, compute: Any) -> None:
        self._compute, self._lock, self._value = compute, threading.Lock(), None

    def value(self) -> Any:
        with self._lock:
            if self._value is None:
                self._value = self._compute()
            return self._value


def history_of(source: str, g: nx.MultiDiGraph, changes: Path | None = None) -> History:
    """The history of the graph ``g`` read from ``source``: the change log ``changes``, or
    the one ``polku serve`` keeps beside the source (:func:`polku.ops.changelog.log_beside`)."""
    from polku.io.neo4jstore import is_neo4j_uri
    from polku.ops.changelog import ChangeLog, log_beside

    name = str(g.graph.get("name", "graph"))
    if changes is not None and not changes.exists():
        # the log beside a graph nobody edited yet is rightly empty; a log the reader names
        # and mistyped is not, and would be read as 'no changes at all'
        raise PolkuError(N_("no such file or folder"), params={}, file=str(changes),
                         field="changes")
    log = ChangeLog(changes) if changes is not None else \
        log_beside(source, name if is_neo4j_uri(source) else Path(source).stem)
    entries = log.own_entries()
    try:  # as the reader would type it, from where they are
        shown = str(log.path.absolute().relative_to(Path.cwd()))
    except ValueError:
        shown = str(log.path)
    return History(tuple(entries), edits.row_store(source).sheets(g), shown)


def graph_at(history: History, version: int, name: str) -> nx.MultiDiGraph:
    """The graph as it was at ``version`` of ``history``."""
    return graph_of_sheets(sheets_at(history.sheets, history.entries, version), name)


def changes_since(now: list[Finding], then: list[Finding],
                  followups: Mapping[str, Mapping[str, Any]],
                  entries: Iterable[Mapping[str, Any]], version: int,
                  on: str | None = None) -> dict[str, Any]:
    """``{"since": {"version", "time"}, "created": [findings], "resolved": [findings],
    "overdue": [follow-ups]}``: the findings ``now`` has and ``then`` (the findings at
    ``version``) had not, the other way round, and the ``followups`` of today's findings
    past their due date on ``on`` (default today in Finland). Findings stay data: the
    doors word them.

    >>> from polku.finding import Finding
    >>> old = Finding("long-wait", "warning", "r1", (), "")
    >>> new = Finding("unmet-need", "error", "s1", ("n1",), "")
    >>> out = changes_since([new], [old], {}, [], 0)
    >>> [f.key for f in out["created"]], [f.key for f in out["resolved"]], out["since"]
    (['unmet-need:s1:n1'], ['long-wait:r1'], {'version': 0, 'time': None})
    """
    now_keys = {f.key for f in now}
    then_keys = {f.key for f in then}
    logged = next((e["time"] for e in entries if e["version"] == version), None)
    states = effective(followups, now_keys, on or today())
    return {
        "since": {"version": version, "time": logged},
        "created": [f for f in now if f.key not in then_keys],
        "resolved": [f for f in then if f.key not in now_keys],
        "overdue": [s for s in states.values() if s["overdue"]],
    }
