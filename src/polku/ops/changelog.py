"""The change log of a graph: every row edit, who made it and when, and how to undo it.

One JSON object a line, oldest first, in a file of its own (``<name>.changes.jsonl``);
every append rewrites the file atomically (:mod:`polku.io.atomic`), so a crash leaves the log
as it was before or after the change, never half a line. Entries::

    {"format": 1, "version": 3, "time": "2026-05-04T09:12:44Z", "who": "anna",
     "source": "region",
     "action": "update", "sheet": "services", "key": "debt-advice",
     "before": {...}, "after": {...}}

``source`` is the file or folder the change was made to (:func:`source_label`).
``format`` is the layout of the line (:data:`FORMAT`); a line without it, as polku 0.1.0
wrote them, is format 1. A line of a format newer than this polku reads refuses the log
(:func:`line_format`): an older polku must not undo or renumber what it cannot read.

``before`` / ``after`` are the whole row as cell text (``null`` when there was or is no
row). An undo is a change of its own (``"action": "undo"``, ``"undoes": 2``).

Several row edits made as one (``polku ptv compare --apply``) are one entry,
``"action": "batch"``, whose ``changes`` list the rows (each with ``action``, ``sheet``,
``key``, ``before``, ``after``; the entry's own ``before``/``after`` are ``null``); undoing
it reverts them all, as one entry again. :func:`row_changes` gives any entry's rows.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any, Callable

from polku import clock
from polku.io import atomic
from polku.ops.edits import Change
from polku.errors import PolkuError
from polku.words import N_


#: the layout of a change-log line this polku writes; a line without ``format`` is 1
FORMAT = 1


def line_format(entry: dict[str, Any]) -> int:
    """The format of a change-log line: its ``format``, 1 when it has none (polku 0.1.0).

    >>> line_format({"version": 3}), line_format({"version": 3, "format": 1})
    (1, 1)
    """
    found = entry.get("format", 1)
    return found if isinstance(found, int) and not isinstance(found, bool) else 0


def _newer(entry: dict[str, Any], file: str, row: int) -> "BrokenChangeLog | None":
    """The problem of a line this polku cannot read: a format newer than :data:`FORMAT`
    (written by a newer polku), or a format that is no number."""
    found = line_format(entry)
    if found == 0:
        return BrokenChangeLog(N_("not a change log line (its format is not a number)"),
                               params={}, file=file, row=row)
    if found > FORMAT:
        return BrokenChangeLog(N_("written by a newer polku (change log format {found}; this "
                                  "one reads up to {known}): upgrade polku to use this log"),
                               params={"found": found, "known": FORMAT}, file=file, row=row)
    return None


def now() -> str:
    """The current time in UTC, to the second, as the log writes it (from the one clock,
    :mod:`polku.clock`, which "since today" and what is overdue are judged by too)."""
    return clock.now().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_label(source: str | Path) -> str:
    """What a change log names its graph's source by: the file's or folder's own name
    (``keski-uusimaa``, ``keski-uusimaa.ttl``), or a Neo4j URI as it is.

    >>> source_label("graphs/keski-uusimaa/"), source_label("/srv/graphs/keski-uusimaa.ttl")
    ('keski-uusimaa', 'keski-uusimaa.ttl')
    """
    from polku.io.neo4jstore import is_neo4j_uri

    text = str(source)
    return text if is_neo4j_uri(text) else Path(text).name


@dataclass
class ChangeLog:
    """The change log kept in ``path``, of the graph whose source is ``source``
    (:func:`source_label`; each entry names it, so that a log is never read for another
    source of the same name: a workbook folder and a Turtle file beside it share one)."""
    path: Path
    source: str | None = None

    def own_entries(self) -> list[dict[str, Any]]:
        """:meth:`entries`, refused when its changes were made to another source of the same
        name (``keski-uusimaa/`` and ``keski-uusimaa.ttl`` side by side): reverting them
        would change the wrong file. A log written before entries named their source is
        taken as it is."""
        entries = self.entries()
        other = None if self.source is None else next(
            (e["source"] for e in entries if e.get("source") not in (None, self.source)), None)
        if other is not None:
            raise PolkuError(N_("the change log {log} is kept for {other}, not for {source} "
                                "(the two have the same name)"),
                             params={"log": self.path.name, "other": other,
                                     "source": self.source}, file=str(self.path))
        return entries

    def entries(self) -> list[dict[str, Any]]:
        """Every change, oldest first."""
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                # where it breaks in the reader's words (the decoder's own reason is English)
                raise BrokenChangeLog(N_("not a change log line (its JSON breaks at "
                                         "column {column})"), params={"column": e.colno},
                                      file=str(self.path), row=number) from None
            if not isinstance(out[-1], dict) or not isinstance(out[-1].get("version"), int):
                raise BrokenChangeLog(N_("not a change log line (no version number)"),
                                      params={}, file=str(self.path), row=number)
            newer = _newer(out[-1], str(self.path), number)
            if newer is not None:
                raise newer
        return out

    def newest_first(self, limit: int | None = None) -> list[dict[str, Any]]:
        entries = self.entries()[::-1]
        return entries if limit is None else entries[:limit]

    def version(self) -> int:
        """The latest version number (0 before the first change)."""
        entries = self.entries()
        return entries[-1]["version"] if entries else 0

    def append(self, change: Change, who: str, undoes: int | None = None,
               identity: dict[str, Any] | None = None) -> dict[str, Any]:
        """Log ``change`` made by ``who`` as the next version; return the entry.
        ``identity`` is logged beside the name (a signed-in person's ``sub`` and
        ``organisations``)."""
        entries = self.entries()
        entry: dict[str, Any] = {
            "format": FORMAT, "version": (entries[-1]["version"] if entries else 0) + 1,
            "time": now(),
            "who": who, **(identity or {}), **self._about(),
            "action": "undo" if undoes is not None else change.action,
            "sheet": change.sheet, "key": change.key, "before": change.before,
            "after": change.after}
        if undoes is not None:
            entry["undoes"] = undoes
        if change.added:
            entry["added_columns"] = list(change.added)
        lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries + [entry]]
        atomic.write_text(self.path, "\n".join(lines) + "\n", private=True)
        return entry

    def append_batch(self, changes: list[Change], who: str, note: str = "",
                     undoes: int | None = None, identity: dict[str, Any] | None = None
                     ) -> dict[str, Any]:
        """Log several row changes made together as one entry (see the module doc)."""
        entries = self.entries()
        entry: dict[str, Any] = {
            "format": FORMAT, "version": (entries[-1]["version"] if entries else 0) + 1,
            "time": now(),
            "who": who, **(identity or {}), **self._about(),
            "action": "undo" if undoes is not None else "batch",
            "sheet": None, "key": None, "before": None, "after": None,
            "changes": [{"action": c.action, "sheet": c.sheet, "key": c.key,
                         "before": c.before, "after": c.after} for c in changes]}
        if note:
            entry["note"] = note
        if undoes is not None:
            entry["undoes"] = undoes
        lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries + [entry]]
        atomic.write_text(self.path, "\n".join(lines) + "\n", private=True)
        return entry

    @property
    def journal(self) -> Path:
        """Where a write lists the renames it has still to make (``NAME.pending`` beside
        the log: :func:`polku.io.atomic.together`), while it makes them."""
        return self.path.with_name(self.path.name.removesuffix(".changes.jsonl") + ".pending")

    def _about(self) -> dict[str, str]:
        return {} if self.source is None else {"source": self.source}

    def to_undo(self) -> dict[str, Any]:
        """The latest change not yet undone (undos themselves are not undone: undoing
        again goes one change further back).

        >>> import tempfile
        >>> log = ChangeLog(Path(tempfile.mkdtemp()) / "g.changes.jsonl")
        >>> for action in ("create", "update"):
        ...     _ = log.append(Change(action, "actors", "kela", None, {"id": "kela"}), "anna")
        >>> _ = log.append(Change("update", "actors", "kela", None, None), "anna", undoes=2)
        >>> log.to_undo()["version"]
        1
        """
        undone: set[int] = set()
        for entry in reversed(self.entries()):
            if entry.get("undoes") is not None:
                undone.add(entry["undoes"])
                continue
            if entry["version"] not in undone:
                return entry
        raise NothingToUndo(N_("there is no change left to undo"), params={})


def log_beside(source: str, name: str) -> ChangeLog:
    """The change log ``polku serve`` keeps for a graph served from ``source`` under the
    name ``name`` (without ``--changes``): ``.polku/NAME.changes.jsonl`` beside the source,
    or in the current folder for a Neo4j region."""
    from polku.io.neo4jstore import is_neo4j_uri

    folder = Path(".polku") if is_neo4j_uri(source) else \
        Path(source).absolute().parent / ".polku"
    return ChangeLog(folder / f"{name}.changes.jsonl", source_label(source))


#: seconds a write waits for another process's write to the same graph
WRITE_LOCK_TIMEOUT = 60.0


def write_lock(log: ChangeLog, source: str | Path | None = None,
               refused: "Refused | None" = None) -> "WriteLock":
    """The file lock that serialises the writes to one graph across processes and threads
    (the servers' workers, other servers over the folder, ``polku undo``, ``ptv compare
    --apply``): ``NAME.lock`` beside the change log ``NAME.changes.jsonl``. Taking it again
    in the same thread is allowed; the kernel releases it when a process dies.
    ``filelock.Timeout`` after :data:`WRITE_LOCK_TIMEOUT` seconds. Whoever takes it first
    finishes a write that a killed process left half made (:attr:`ChangeLog.journal`):
    the journal's renames of files in the change log's folder and in ``source``'s folder
    (the graphs folder), never of any other file; a journal naming any other is set
    aside and ``refused`` is told (the server says so in its log, in its language)."""
    from filelock import FileLock
    from polku.io.neo4jstore import is_neo4j_uri

    name = log.path.name.removesuffix(".changes.jsonl")
    log.path.parent.mkdir(parents=True, exist_ok=True)
    within = () if source is None or is_neo4j_uri(str(source)) else \
        (Path(source).absolute().parent,)
    return WriteLock(FileLock(log.path.with_name(f"{name}.lock"), timeout=WRITE_LOCK_TIMEOUT,
                              is_singleton=True), log.journal, within, refused)


#: what is told of a journal set aside (:func:`write_lock`): the journal, the folders it
#: may name files in, and where it was set aside
Refused = Callable[[Path, tuple[Path, ...], Path], None]


class WriteLock:
    """:func:`write_lock`: a file lock that, once taken, finishes the write a killed
    process left half made: the sheets and the change-log line of one change are renamed
    into place together (:func:`polku.io.atomic.together`), and the renames it did not
    make are made now, so that the graph and its log agree again before anyone reads or
    writes them under the lock."""

    def __init__(self, lock: Any, journal: Path, within: tuple[Path, ...] = (),
                 refused: Refused | None = None) -> None:
        self.lock, self.journal, self.within = lock, journal, within
        self.refused = refused

    def __enter__(self) -> "WriteLock":
        self.lock.acquire()
        try:
            self._finish()
        except BaseException:
            self.lock.release()
            raise
        return self

    def _finish(self) -> bool:
        """:func:`polku.io.atomic.finish` of the journal; one that names files outside the
        graph's folders (copied from another folder) is set aside, not made, and logged."""
        try:
            return atomic.finish(self.journal, self.within)
        except atomic.RefusedJournal as e:
            if self.refused is not None:
                self.refused(self.journal, self.within, e.aside)
                return False
            logging.getLogger("polku.server").warning(
                "%s names files outside %s (copied from another folder?): set aside as %s, "
                "nothing of it made", self.journal.name,
                ", ".join([str(self.journal.parent), *map(str, self.within)]), e.aside.name)
            return False

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    def finish_if_free(self) -> bool:
        """Finish a half-made write when its journal is there and no one holds the lock
        (a writer that does is making its renames now); True when one was finished."""
        from filelock import Timeout

        if not self.journal.exists():
            return False
        try:
            self.lock.acquire(timeout=0)
        except (Timeout, OSError):
            return False
        try:
            return self._finish()
        finally:
            self.lock.release()


@dataclass
class Examined:
    """What :func:`examine` found in a change log: how many lines are whole entries, the
    problems (each located by file and line), and whether the only problem is the last
    line cut short, which :func:`mend` can set aside."""
    entries: int
    problems: list[PolkuError]
    cut_last: bool


def examine(log: ChangeLog) -> Examined:
    """Every line of ``log`` checked, not only up to the first bad one: each is a JSON
    object with a version number, the versions rising. The last line is *cut short* when
    it is no JSON and ends without a newline (every line polku writes ends with one): a
    copy or a write that stopped mid-line.

    >>> import tempfile
    >>> log = ChangeLog(Path(tempfile.mkdtemp()) / "g.changes.jsonl")
    >>> _ = log.append(Change("create", "actors", "kela", None, {"id": "kela"}), "anna")
    >>> _ = log.path.write_text(log.path.read_text() + '{"version": 2, "ti')
    >>> found = examine(log)
    >>> found.entries, [(p.row, p.message) for p in found.problems], found.cut_last
    (1, [(2, 'not a change log line (its JSON breaks at column 16)')], True)
    """
    if not log.path.exists():
        return Examined(0, [], False)
    text = log.path.read_text(encoding="utf-8")
    lines = text.split("\n")
    problems: list[PolkuError] = []
    entries, last_version, cut = 0, 0, False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = {"file": str(log.path), "row": number}
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(BrokenChangeLog(N_("not a change log line (its JSON breaks at "
                                               "column {column})"), params={"column": e.colno},
                                            **where))
            cut = number == len(lines)  # the text after the last newline: no newline ends it
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("version"), int):
            problems.append(BrokenChangeLog(N_("not a change log line (no version number)"),
                                            params={}, **where))
            continue
        newer = _newer(entry, str(log.path), number)
        if newer is not None:
            problems.append(newer)
            continue
        if entry["version"] <= last_version:
            problems.append(BrokenChangeLog(
                N_("version {version} comes after version {before}: the versions must rise"),
                params={"version": entry["version"], "before": last_version}, **where))
        last_version = entry["version"]
        entries += 1
    return Examined(entries, problems, cut and len(problems) == 1)


def mend(log: ChangeLog, source: str | Path | None = None) -> tuple[Path, int] | None:
    """Set aside the last line of ``log`` when it is cut short and nothing else is wrong
    (:func:`examine`), under the graph's write lock: the whole log as it was is kept
    first in ``NAME.changes.jsonl.broken-TIME`` (its owner's alone), then the log is
    rewritten without that line, each write atomic. Returns the copy and the entries left;
    None when the log is whole. Any other problem is refused (:class:`BrokenChangeLog`):
    a line in the middle is no crash polku can recognise, and a person must look.
    """
    with write_lock(log, source):
        found = examine(log)
        if not found.problems:
            return None
        if not found.cut_last:
            raise BrokenChangeLog(N_("only a last line cut short can be mended; this log "
                                     "needs a person: restore it from a backup, or correct "
                                     "the lines named by polku changes check by hand"),
                                  params={}, file=str(log.path))
        data = log.path.read_bytes()
        copy = log.path.with_name(f"{log.path.name}.broken-{now().replace(':', '')}")
        atomic.write_bytes(copy, data, private=True)
        kept = data[:data.rindex(b"\n") + 1] if b"\n" in data else b""
        atomic.write_bytes(log.path, kept, private=True)
        return copy, found.entries


class BrokenChangeLog(PolkuError):
    """A line of the change log is not one polku wrote (a hand edit, a copy cut short):
    nothing is written, undone or reviewed from the log until it is mended."""


class NothingToUndo(PolkuError):
    """The change log holds no change that is not undone already."""


def revert(entry: dict[str, Any]) -> tuple[str, str | None, dict[str, str] | None]:
    """The edit that reverts a logged change: (action, key of the row now, values).

    >>> revert({"action": "create", "sheet": "actors", "key": "kela", "before": None,
    ...         "after": {"id": "kela"}})
    ('delete', 'kela', None)
    """
    if entry["action"] == "create":
        return "delete", _full_key(entry["sheet"], entry["after"] or {}) or entry["key"], None
    if entry["action"] == "delete":
        return "create", None, entry["before"]
    from polku.ops.edits import row_key

    after = entry["after"] or {}
    return "replace", _full_key(entry["sheet"], after) or row_key(entry["sheet"], after), \
        entry["before"]


def row_changes(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The row changes an entry holds: itself, or a batch's ``changes``.

    >>> row_changes({"action": "update", "sheet": "actors", "key": "k", "before": {},
    ...              "after": {}})[0]["sheet"]
    'actors'
    >>> row_changes({"action": "batch", "changes": [{"sheet": "a"}, {"sheet": "b"}]})[1]
    {'sheet': 'b'}
    """
    if "changes" in entry:
        return list(entry["changes"])
    return [entry]


def reverts(entry: dict[str, Any]) -> list[tuple[str, str, str | None, dict[str, str] | None]]:
    """The edits that revert a logged change, one row or a batch (newest row first):
    (sheet, action, key, values)."""
    return [(c["sheet"], *revert(c)) for c in reversed(row_changes(entry))]


def _full_key(sheet: str, row: dict[str, str]) -> str | None:
    """``actor~subject~role`` for a responsibility (an actor may hold several roles on one
    subject, and the undo must find exactly the row it changed)."""
    if sheet == "responsibilities":
        return "~".join(row.get(c, "") for c in ("actor", "subject", "role"))
    return None
