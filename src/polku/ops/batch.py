"""Several row edits as one change: applied together, checked once with the workbook
import's rules, written once per changed sheet, logged as one change-log entry, and undone
together.

``polku ptv compare --apply`` writes the proposed edits this way; ``polku undo`` (and the
server's undo) reverts the newest change, one row or a batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from polku.errors import PolkuError
from polku.io import atomic
from polku.ops import edits
from polku.ops.changelog import ChangeLog, reverts, source_label
from polku.words import N_


def changelog_of(source: str | Path, name: str | None = None) -> ChangeLog:
    """The change log the server keeps for a graph served from ``source``: beside it, in
    ``.polku/<name>.changes.jsonl`` (``name``: the file's or folder's stem)."""
    path = Path(str(source))
    return ChangeLog(path.absolute().parent / ".polku" / f"{name or path.stem}.changes.jsonl",
                     source_label(source))


def apply_all(sheets: edits.Sheets, wanted: Iterable[Mapping[str, Any]]
              ) -> tuple[edits.Sheets, list[edits.Change]]:
    """``sheets`` with every edit ``{"action", "sheet", "key", "row"}`` applied in order.

    >>> s = {"actors": (["id", "name"], [{"id": "a", "name": "A"}])}
    >>> s2, done = apply_all(s, [{"action": "update", "sheet": "actors", "key": "a",
    ...                           "row": {"name": "B"}},
    ...                          {"action": "create", "sheet": "actors", "key": "c",
    ...                           "row": {"id": "c", "name": "C"}}])
    >>> [r["name"] for r in s2["actors"][1]], [c.action for c in done]
    (['B', 'C'], ['update', 'create'])
    """
    changes = []
    for number, e in enumerate(wanted, 1):
        try:
            values = edits.row_values(e["sheet"], e.get("row") or {})
            sheets, change = edits.apply(sheets, e["action"], e["sheet"], e.get("key"), values)
        except PolkuError as err:
            raise PolkuError(N_("edit {number} ({action} {sheet} {key}): {problem}"),
                             params={"number": number, "action": e["action"],
                                     "sheet": e["sheet"], "key": str(e.get("key")),
                                     "problem": err}) from None
        changes.append(change)
    return sheets, changes


def write_all(source: str | Path, current: nx.MultiDiGraph, wanted: list[Mapping[str, Any]],
              who: str, note: str = "", log: ChangeLog | None = None,
              undoes: int | None = None, check: Callable[..., None] | None = None,
              identity: dict[str, Any] | None = None, sheets: edits.Sheets | None = None,
              ready: Callable[[nx.MultiDiGraph], None] | None = None,
              first: Callable[[Mapping[Path, Path]], None] | None = None
              ) -> tuple[nx.MultiDiGraph, dict[str, Any] | None]:
    """Apply ``wanted`` to the graph at ``source`` as one change: checked exactly as
    ``polku import`` checks a workbook (nothing is written when any row fails), every
    changed sheet written, one entry logged. ``check(sheet, before, after, sheets)`` sees
    each row's old state against the sheets before and its new one against the sheets
    after, and raises to refuse the whole change (whose rows the writer may change);
    ``identity`` is logged beside ``who``; ``sheets``: ``current``'s sheets when the caller
    has them read (never changed here); ``ready(g)`` is called with the new graph once it is
    checked and before anything is written (the server computes its answer there), and
    raises to refuse the change with nothing written; ``first``: more files of the change,
    made of its files before they are renamed (:func:`polku.io.atomic.together`). Returns
    the new graph and the entry.

    An edit that leaves its row as it was (:func:`polku.ops.edits.unchanged`) is no change
    and is not logged; a batch of such edits only is no change at all, as a single save
    that changes nothing: nothing written, logged or versioned, and ``current`` is given
    back with the entry ``None``."""
    if not wanted:
        raise PolkuError(N_("no edits to apply"), params={})
    store = edits.row_store(source)
    if sheets is None:
        sheets = store.sheets(current)
    new_sheets, done = apply_all(sheets, wanted)
    if check is not None:
        for c in done:
            check(c.sheet, c.before, None, sheets)
            check(c.sheet, None, c.after, new_sheets)
    changes = [c for c in done if not edits.unchanged(c)]
    if not changes:
        return current, None
    name = str(current.graph.get("name") or Path(str(source)).stem)
    g = edits.check(new_sheets, name, str(source), store.file_of, current.graph)
    if ready is not None:
        ready(g)
    # Neo4j pushes the whole graph at each sheet: the first push checks against what
    # was read, the next ones against what the first wrote
    seen = current
    log = log or changelog_of(source)
    with atomic.together(log.journal, first):  # every sheet and the log line, or nothing
        for sheet in dict.fromkeys(c.sheet for c in changes):
            store.write(new_sheets, g, sheet, expect=edits.unchanged_since(seen))
            seen = g
        return g, log.append_batch(changes, who, note, undoes, identity)


def undo_latest(source: str | Path, current: nx.MultiDiGraph, who: str,
                log: ChangeLog | None = None, where: str | None = None,
                identity: dict[str, Any] | None = None, sheets: edits.Sheets | None = None,
                ready: Callable[[nx.MultiDiGraph], None] | None = None,
                first: Callable[[Mapping[Path, Path]], None] | None = None
                ) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    """Revert the newest change not yet undone (a row or a batch) as one change
    (``where``: how problems name the source; ``identity``: logged beside ``who``;
    ``sheets``: ``current``'s sheets when the caller has them read, never changed here;
    ``ready``, ``first``: as :func:`write_all` takes them)."""
    log = log or changelog_of(source)
    log.own_entries()
    entry = log.to_undo()
    wanted = [{"action": action, "sheet": sheet, "key": key, "row": values or {}}
              for sheet, action, key, values in reverts(entry)]
    # a revert replaces a row whole: apply_all's update would keep the cells it clears
    store = edits.row_store(source)
    if sheets is None:
        sheets = store.sheets(current)
    changes = []
    for e in wanted:
        sheets, change = edits.apply(sheets, e["action"], e["sheet"], e["key"], e["row"])
        changes.append(change)
    name = str(current.graph.get("name") or Path(str(source)).stem)
    g = edits.check(sheets, name, where or str(source), store.file_of, current.graph)
    if ready is not None:
        ready(g)
    # Neo4j pushes the whole graph at each sheet: the first push checks against what
    # was read, the next ones against what the first wrote
    seen = current
    with atomic.together(log.journal, first):  # every sheet and the log line, or nothing
        for sheet in dict.fromkeys(c.sheet for c in changes):
            store.write(sheets, g, sheet, expect=edits.unchanged_since(seen))
            seen = g
        if len(changes) == 1 and "changes" not in entry:
            return g, log.append(changes[0], who, undoes=entry["version"], identity=identity)
        return g, log.append_batch(changes, who, "undo", undoes=entry["version"],
                                   identity=identity)
