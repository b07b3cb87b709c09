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
from datetime import datetime, time, timezone
from typing import Any, Callable, Iterable, Mapping
import networkx as nx

from polku.errors import PolkuError
from polku.finding import Finding
from polku.followup import HELSINKI, effective, parse_date, today
from polku.io import workbook
from polku.ops import edits
from polku.ops.model import Model
from polku.privacy import EDITOR, MIN_CELL, PUBLIC
from polku.words import N_

def parse_since(text: str) -> int | str:
    """``--since``: a change log version (a whole number) or a date (``YYYY-MM-DD`` or
    ``d.m.yyyy``); a located error otherwise."""
    value = str(text).strip()
    if re.fullmatch(r"\d+", value):
        return int(value)
    try:
        return parse_date(value)
    except ValueError:
        raise PolkuError(N_("a change log version (e.g. 3) or a date (e.g. 2026-12-01) is "
                            "needed, not '{text}'"), params={"text": text},
                         field="since") from None


def version_at(entries: list[Mapping[str, Any]], since: int | str) -> int:
    """The version the review starts from: ``since`` itself, or for a date the last version
    logged before that day began in Finland (0: before the first change)."""
    latest = entries[-1]["version"] if entries else 0
    if isinstance(since, int):
        if since > latest:
            raise PolkuError(N_("no version {since}: the change log's latest version is "
                                "{latest}"), params={"since": since, "latest": latest},
                             field="since")
        return since
    start = datetime.combine(datetime.fromisoformat(since).date(), time(0), HELSINKI)
    start_utc = start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
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


def changes_since(g: nx.MultiDiGraph, sheets: edits.Sheets,
                  entries: list[Mapping[str, Any]], since: int | str,
                  find: Callable[[nx.MultiDiGraph], list[Finding]],
                  on: str | None = None,
                  word: Callable[[list[Finding], nx.MultiDiGraph], list[Finding]] | None = None,
                  audience: str = EDITOR, min_cell: int = MIN_CELL) -> dict[str, Any]:
    """``{"since": {"version", "time"}, "created": [findings], "resolved": [findings],
    "overdue": [follow-ups]}`` between the graph at ``since`` and ``g`` (whose sheets are
    ``sheets``); ``find`` runs the findings on a graph, ``word`` (optional) words them from
    it; ``on`` is today (``YYYY-MM-DD``, default today in Finland). Findings are the spec's
    JSON objects with their key.

    For the ``public`` ``audience`` both versions are read as published (small cells left
    out) and their findings hidden as every public answer's are, before they are worded:
    a finding that only a small cell fires is neither created nor resolved, and no figure
    of a small cell is in a message."""
    version = version_at(entries, since)
    then = graph_of_sheets(sheets_at(sheets, entries, version), str(g.graph.get("name", "graph")))
    now_findings = _found(Model(g, min_cell=min_cell).published(audience), find, word)
    then_findings = _found(Model(then, min_cell=min_cell).published(audience), find, word)
    now_keys = {f.key for f in now_findings}
    then_keys = {f.key for f in then_findings}
    logged = next((e["time"] for e in entries if e["version"] == version), None)
    states = effective(g.graph.get("followups") or {}, now_keys, on or today())
    return {
        "since": {"version": version, "time": logged},
        "created": [f.to_dict() for f in now_findings if f.key not in then_keys],
        "resolved": [f.to_dict() for f in then_findings if f.key not in now_keys],
        "overdue": [s for s in states.values() if s["overdue"]],
    }


def _found(model: Model, find: Callable[[nx.MultiDiGraph], list[Finding]],
           word: Callable[[list[Finding], nx.MultiDiGraph], list[Finding]] | None
           ) -> list[Finding]:
    """The findings of ``model``'s graph as its reader reads them: the public's hidden
    (:func:`polku.ops.operations.published_figures`) before they are worded, so that a
    message never says a figure the answer leaves out."""
    from polku.ops.operations import published_figures

    found = find(model.graph)
    if model.audience == PUBLIC:
        found = published_figures(found, model)
    return word(found, model.graph) if word is not None else found
