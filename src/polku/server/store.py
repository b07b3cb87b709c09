"""The graphs one server holds: where each lives, its last good version, and its state.

Sources are found again on every look (new files and folders appear; a graph whose file or
folder is gone from its served folder is dropped, in every process alike); each graph is
read again when its source changes — any file of a workbook folder added, removed or
changed, not only the newest. When a source breaks (a half-saved sheet, a sheet moved
away, a source named by its own path gone) the graph keeps its **last good version** and is ``stale`` with the
problem named (relative file, sheet, row, column); a graph that never loaded is
``failed``. One broken region never takes the others down.

Names: a workbook folder wins over an ``.xlsx``, a Turtle or a JSON-LD file of the same
name (the designers edit the workbook; ``polku import`` makes the Turtle from it); the
others are listed as ``shadowed``. Symbolic links that lead out of a served folder are
refused, also for a workbook's sheet files.

Writes (:meth:`GraphStore.edit`) run one at a time per graph — across threads and across
processes (``polku serve --workers N``, or several servers over one folder), by a file lock
``.polku/NAME.lock`` beside the change log — read the source again under that lock, check
the caller's ETag (a hash of the source's bytes, keyed by a secret of the server's: see
:func:`etag_key`) against it, and record the change in the
graph's change log. Every process notices another's write by the source's files (name,
size, time, inode) and reads it again. Each version a server serves is one
:class:`Version` (graph, ETag, stamp, problem, model), replaced whole by a write or a reload
and taken once by each reader, whose whole answer comes from it: never a new graph under an
old ETag or the reverse. A reader does not wait for a write in progress: it is answered from
the version before. A version's workbook sheets are read once and kept with it (a write
reads them before it replaces any file, so a reader meanwhile finds them kept), and a
version this server wrote (or checked at start) keeps its triples found to conform to the
shapes, so the next write checks the shapes only on what it changes
(:func:`polku.io.shapes.conforms_after`).
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import networkx as nx
from filelock import Timeout as LockTimeout

from polku.ops import edits
from polku.ops.changelog import (BrokenChangeLog, ChangeLog, NothingToUndo, revert, row_changes, source_label,
                                 write_lock)
from polku.errors import PolkuError, PolkuErrors, Said, os_problem, os_reason
from polku.io import atomic
from polku.io.bidi import visible
from polku.privacy import PUBLIC, published_error
from polku.words import N_
from polku.io import formats
from polku.io.load import load_graph
from polku.io.neo4jstore import is_neo4j_uri
from polku.ops.model import Model
from polku.server import lastgood
from polku.server.serverlog import ServerLog
from polku.server.http import version_of_tag
from polku.server.contract import (ApiError, Problem, invalid, problem_worded, problems_listed,
                                   problems_of, relative, shown_path)

#: a writer's check of one row an edit changes: (sheet, row before, row after, the sheets
#: before the edit); it raises the answer that refuses it (:meth:`polku.server.auth.Access.row_check`)
RowCheck = Callable[[str, Any, Any, Any], None]


#: suffix -> kind of source (a format of the registry); the order is the precedence among
#: sources of one name
KINDS = formats.served_kinds()
#: seconds a graph pulled from Neo4j is served before it is pulled again
NEO4J_REFRESH = 5.0


@dataclass(frozen=True)
class Source:
    """Where one graph lives: a path (file or workbook folder) or a Neo4j URI."""
    name: str
    location: str
    kind: str
    root: Path | None = None
    refused: str | None = None
    #: the params of ``refused`` (a catalogued template), as pairs
    refused_params: tuple[tuple[str, object], ...] = ()

    @property
    def shown(self) -> str:
        """The source as the server names it: relative to its served folder."""
        if self.kind == "neo4j":
            return self.location
        # a name refused for a bidirectional control is quoted with the control's code
        text = shown_path(visible(self.location), self.root)
        return text + "/" if self.is_folder else text

    @property
    def is_folder(self) -> bool:
        """A folder of files (a workbook's sheets), not one file or a server."""
        kind = formats.FORMATS.get(self.kind)
        return kind is not None and kind.is_folder


def is_workbook_folder(path: Path) -> bool:
    return path.is_dir() and ((path / "services.csv").exists() or (path / "actors.csv").exists())


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _kind(path: Path) -> str | None:
    if path.is_dir():
        return KINDS.get("") if is_workbook_folder(path) else None
    return KINDS.get(path.suffix.lower()) if path.suffix else None


def _source(name: str, location: str, kind: str, root: Path | None,
            refused: str | None = None) -> Source:
    """A source named by its file's or folder's name, refused when that name holds a
    bidirectional control (:mod:`polku.io.bidi`: it would turn the pages' text around the
    name backwards), served then under its name without the controls."""
    from polku.io.bidi import BIDI_CONTROL, bidi_params

    bidi = bidi_params(name)
    if bidi is None:
        return Source(name, location, kind, root, refused)
    return Source(BIDI_CONTROL.sub("", name), location, kind, root, N_(
        "the name '{name}' holds a bidirectional control character, {invisible}, at "
        "character {position}: it turns the text shown after it backwards; rename the "
        "file or folder without it"), (("name", visible(name)), *bidi.items()))


def discover(sources: Sequence[str | Path]) -> tuple[dict[str, Source], dict[str, list[str]]]:
    """Graph name -> source, and name -> the sources of that name that are not served.

    Files and folders given directly are served as they are; in a folder of graphs every
    workbook folder, ``.xlsx``, ``.ttl`` and ``.jsonld`` is a graph.
    """
    found: dict[str, list[Source]] = {}
    for src in sources:
        text = str(src)
        if is_neo4j_uri(text):
            from polku.io.neo4jstore import target

            region = target(text).region
            if not region:
                raise PolkuError(N_("a served Neo4j URI names its region: ?region=R"),
                                 params={})
            found.setdefault(region, []).append(Source(region, text, "neo4j"))
            continue
        path = Path(text)
        if not path.exists() and not path.is_symlink():
            raise PolkuError(N_("no such file or folder"), file=text, params={})
        kind = _kind(path)
        if path.is_file() or (kind is not None and path.is_dir()):
            source = _source(path.stem, text, kind or "turtle", path.parent)
            found.setdefault(source.name, []).append(source)
            continue
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                continue
            kind = _kind(entry)
            if kind is None:
                continue
            refused = None
            if entry.is_symlink() and not _inside(entry, path):
                refused = N_("refused: a symbolic link that leads out of the served folder")
            source = _source(entry.stem, str(entry), kind, path, refused)
            found.setdefault(source.name, []).append(source)
    order = list(KINDS.values()) + ["neo4j"]
    chosen: dict[str, Source] = {}
    shadowed: dict[str, list[str]] = {}
    for name, candidates in found.items():
        candidates.sort(key=lambda s: (s.refused is not None, order.index(s.kind)))
        chosen[name] = candidates[0]
        if candidates[1:]:
            shadowed[name] = [c.shown for c in candidates[1:]]
    return chosen, shadowed


@dataclass(frozen=True)
class Version:
    """One served version of one graph, whole: its graph, ETag, source stamp, problem and
    model, never changed once made.

    A write or a reload makes a new one and puts it in place with one assignment
    (:attr:`Entry.version`), and a reader takes it once and answers the whole request from
    it, body and ``ETag`` alike. So no reader is ever sent data under another version's
    ETag: in particular never old data under a new ETag, which would let its next write
    (``If-Match`` with that ETag) overwrite a change it never saw. (The model's
    ``version`` is this version's ETag.)"""
    source: Source
    graph: nx.MultiDiGraph | None = None
    etag: str | None = None
    #: the source's files as this version found them (:func:`stamp_of`)
    stamp: object = None
    problem: PolkuError | None = None
    loaded_at: str | None = None
    #: its index and findings, computed once when first asked and shared by every route
    #: and language (:class:`polku.ops.model.Model`); also keeps the version's sheets
    model: Model | None = field(default=None, repr=False, compare=False)
    #: what its workbook names that polku does not read though it looks meant
    #: (:func:`polku.io.unknown_names.workbook_warnings`), files named relative to the
    #: served folder: shown beside the graph, never a reason to refuse it
    warnings: tuple[PolkuError, ...] = ()
    #: the files this version's graph was read from (:attr:`stamp` moves on while it is
    #: served on broken: :meth:`broken`); its sheets are kept with its model by it
    loaded_stamp: object = None

    @classmethod
    def loaded(cls, source: Source, graph: nx.MultiDiGraph, etag: str,
               stamp: object, model: Model | None = None) -> "Version":
        """A version read or written whole: no problem, a model of its own (``model``: the
        one a write built of ``graph`` before it committed, not yet served to anyone; it
        takes this version's ETag), and the warnings of its workbook."""
        if model is None:
            model = Model(graph, etag)
        else:
            model.version = etag
        return cls(source, graph, etag, stamp, None,
                   time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), model,
                   warnings_of(source), stamp)

    def broken(self, stamp: object, problem: PolkuError) -> "Version":
        """This version served on (its graph, ETag and model) while its source, now at
        ``stamp``, cannot be read."""
        return replace(self, stamp=stamp, problem=problem)

    @property
    def state(self) -> str:
        if self.graph is None:
            return "failed"
        return "stale" if self.problem is not None else "ok"

    def problem_text(self) -> str | None:
        """The problem in one line (and how many more), as anyone may read it
        (:func:`polku.privacy.published_error`): it is sent before the reader is known
        (headers, the index, the pages' banner) and logged where more people read than
        the editors, so a cell is named, never quoted (``polku validate`` on the source
        quotes it to its owner)."""
        if self.problem is None:
            return None
        lines = str(published_error(self.problem)).splitlines()
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        return (lines[0] if lines else "unreadable") + more

    def followup_shown(self) -> Callable[[str], bool] | None:
        """The public's rule of which follow-ups it reads, for this version
        (:meth:`polku.ops.model.Model.followup_shown`); None for a graph that never loaded
        (then none is read)."""
        if self.model is None:
            return None
        return self.model.published(PUBLIC).followup_shown

    def summary(self, shadowed: list[str], tr: Any = None) -> dict[str, Any]:
        """What the API says of this version: state, source, what it shadows, its ETag and
        counts, and its title, a broken source's ``problem`` and its workbook's
        ``warnings`` (each as a problem of a refused row is listed: ``message`` located,
        ``text``, ``sheet``, ``row``, ``field`` the column) in ``tr``'s language (Finnish
        without one, as every text of the API), a people cell named, never quoted."""
        from polku.graph import summary
        from polku.present.i18n import translator

        return {"name": self.source.name,
                "id": self.graph.graph.get("name") if self.graph is not None else None,
                # a page's translator marks a title in another language (the API's does not)
                "title": (tr or translator()).title(self.graph)
                if self.graph is not None else None,
                "state": self.state, "source": self.source.shown,
                "kind": self.source.kind, "shadowed": shadowed,
                "problem": problem_worded(self.problem, tr or translator()),
                "problems": problems_listed(self.problem, tr or translator()),
                "warnings": problems_of(PolkuErrors(list(self.warnings)), tr or translator()),
                "etag": self.etag,
                "counts": summary(self.graph) if self.graph is not None else None}


@dataclass
class Entry:
    """One graph: its source, the version served now and the lock its writes take.

    ``version`` is replaced whole, never changed in part: read it once per request
    (:meth:`GraphStore.model`, :meth:`GraphStore.sheets` hand it out so). The properties
    below are single looks at it, for callers that need one value."""
    source: Source
    version: Version = field(init=False)
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: the version this server wrote, with its triples found to conform to the shapes
    #: (the next write checks the shapes on what it changes): (graph, Conforming); only
    #: writers use it, under ``lock``
    conforming: tuple[Any, Any] | None = field(default=None, repr=False)
    #: the secret the ETags of this graph are keyed by (:func:`etag_key`)
    etag_key: bytes = field(default=b"", repr=False)
    #: the ETag of a version this process read or wrote but could not keep as the shared
    #: last good one (:mod:`polku.server.lastgood`: its folder cannot be written): while it
    #: is served, it stays this process's last good version
    unkept: str | None = None

    def __post_init__(self) -> None:
        self.version = Version(self.source)

    @property
    def graph(self) -> nx.MultiDiGraph | None:
        return self.version.graph

    @property
    def etag(self) -> str | None:
        return self.version.etag

    @property
    def problem(self) -> PolkuError | None:
        return self.version.problem

    @property
    def state(self) -> str:
        return self.version.state

    def problem_text(self) -> str | None:
        return self.version.problem_text()

    def summary(self, shadowed: list[str], tr: Any = None) -> dict[str, Any]:
        return self.version.summary(shadowed, tr)


def warnings_of(source: Source) -> tuple[PolkuError, ...]:
    """The warnings of a workbook source (none for any other), its files named as the
    server names them (relative to the served folder)."""
    if source.kind == "neo4j":
        return ()
    from polku.io.unknown_names import workbook_warnings

    return tuple(relative(w, source.root) for w in workbook_warnings(source.location))


def _files(source: Source) -> list[Path]:
    path = Path(source.location)
    if source.is_folder:  # a folder named like a sheet is no sheet (its name is refused)
        return sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"
                      and not p.is_dir())
    return [path]


def stamp_of(source: Source) -> object:
    """What changes when the source changes: every sheet file's name, size and time (so a
    removed or added sheet counts), ``None`` when the source is gone."""
    if source.kind == "neo4j":
        return int(time.monotonic() // NEO4J_REFRESH)
    path = Path(source.location)
    if not path.exists():
        return None
    try:
        if source.is_folder:  # every reader asks: the folder listed once, no Path objects
            with os.scandir(path) as listing:
                files = sorted((e.name, e) for e in listing
                               if os.path.splitext(e.name)[1].lower() == ".csv")
            return tuple((name, st.st_mtime_ns, st.st_size, st.st_ino)
                         for name, e in files for st in [e.stat()])
        return tuple((p.name, st.st_mtime_ns, st.st_size, st.st_ino)
                     for p in _files(source) for st in [p.stat()])
    except OSError:
        return None


def content_digest(source: Source, g: nx.MultiDiGraph, key: bytes) -> str:
    """The graph's ETag value: a hash of its source's bytes (of the graph itself for
    Neo4j), so that any change by anyone gives a new one, keyed by ``key``. Keyed, because
    every reader gets the ETag and the public sees every cell but the suppressed ones: an
    unkeyed hash of the files would let anyone try the few small values a suppressed cell
    can hold until the hash matches.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     turtle = Path(folder) / "g.ttl"; _ = turtle.write_text("# a graph in Turtle")
    ...     src = Source("g", str(turtle), "ttl")
    ...     a, b = content_digest(src, None, b"one"), content_digest(src, None, b"two")
    >>> len(a), a == b
    (20, False)
    """
    if source.kind == "neo4j":
        from polku.io.rdf import graph_turtle

        data = graph_turtle(g).encode()
        return hmac.new(key, data, hashlib.sha256).hexdigest()[:20]
    return files_digest(source_files(source), key)


def source_files(source: Source) -> list[tuple[str, bytes]]:
    """The files of a source on disk (a workbook folder's sheets, or the one file): each
    name with its bytes, in the order the ETag hashes them."""
    return [(p.name, p.read_bytes()) for p in _files(source)]


def files_after(source: Source, staged: Mapping[Path, Path]) -> list[tuple[str, bytes]]:
    """The files of ``source`` (name, bytes, in :func:`source_files`' order) as the change
    ``staged`` makes them: each file it writes (file -> its temporary file, written out,
    not yet renamed: :func:`polku.io.atomic.together`) with its new bytes, the others as
    they are on disk."""
    written = {os.path.abspath(p): t for p, t in staged.items()}
    path = Path(source.location)
    if not source.is_folder:
        whole = os.path.abspath(path)
        return [(path.name, Path(written.get(whole, whole)).read_bytes())]
    folder = os.path.abspath(path)
    names = {p.name for p in _files(source)} | {
        os.path.basename(p) for p in written
        if os.path.dirname(p) == folder and p.lower().endswith(".csv")}
    return [(name, Path(written.get(os.path.join(folder, name),
                                    os.path.join(folder, name))).read_bytes())
            for name in sorted(names)]


def files_digest(files: Iterable[tuple[str, bytes]], key: bytes) -> str:
    """The ETag value of a source made of ``files`` (name, bytes), keyed by ``key``
    (:func:`content_digest`)."""
    data = b"".join(name.encode() + b"\0" + content + b"\0" for name, content in files)
    return hmac.new(key, data, hashlib.sha256).hexdigest()[:20]


def etag_key(folder: Path) -> bytes:
    """The secret that keys the ETags of the graphs whose change logs are in ``folder``,
    kept in ``folder/etag.key`` (readable by its owner alone) so that every server process
    over one folder, and the next start, answer the same ETags. Made once, atomically (a
    second process that races to make it reads the first one's). ``OSError`` where
    ``folder`` cannot keep it (a read-only folder, ``.polku`` a file): the store then keys
    those ETags by a secret of this run (:class:`GraphStore`, ``etag_fallback``).
    """
    path = folder / "etag.key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    secret = os.urandom(32)
    folder.mkdir(parents=True, exist_ok=True)
    made = folder / f".etag.key.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secret.hex() + "\n")
    try:
        os.link(made, path)  # fails if another process made it first: use theirs
    except FileExistsError:
        pass
    finally:
        made.unlink()
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError:
        raise OSError(errno.EINVAL, "not an ETag key", str(path)) from None


def folder_problem(folder: Path) -> Said | None:
    """What keeps a server from writing in ``folder`` (made if missing), as a catalogued
    reason: a file where the folder should be, no right to write, a read-only file system;
    None when a file can be made and removed there. Checked at start by a server that
    takes writes.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> folder_problem(folder / ".polku") is None
    True
    >>> _ = (folder / "f").write_text("")
    >>> folder_problem(folder / "f")
    'is a file, not a folder'
    """
    if folder.exists() and not folder.is_dir():
        return Said(N_("is a file, not a folder"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".polku-write-check.")
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        return os_reason(e)
    return None


def _check_links(source: Source) -> None:
    if source.refused:
        raise PolkuError(source.refused, file=visible(source.location),
                         params=dict(source.refused_params))
    if source.is_folder:
        folder = Path(source.location)
        for p in _files(source):
            if p.is_symlink() and not _inside(p, folder):
                raise PolkuError(N_("refused: a symbolic link that leads out of the "
                                    "workbook folder"), file=str(p), params={})


def written(logged: dict[str, Any], etag: str, findings: dict[str, Any]) -> dict[str, Any]:
    """The answer to a write: the change as logged, the graph's new ETag, and the findings
    it created and resolved (:func:`findings_changed`, worded before the write)."""
    return {"change": logged, "etag": etag, "findings": findings}


def findings_changed(before_graph: nx.MultiDiGraph, before: Iterable[Any],
                     after_graph: nx.MultiDiGraph, after: Iterable[Any],
                     lang: str | None) -> dict[str, Any]:
    """The findings a write created (worded on the new graph) and resolved (on the old
    one, where their subjects still have names), in ``lang``."""
    from polku.present.i18n import translator
    from polku.present.messages import finding_json

    tr = translator(lang)
    old = {f.identity: f for f in before}
    new = {f.identity: f for f in after}
    return {"created": [finding_json(f, after_graph, tr) for k, f in new.items() if k not in old],
            "resolved": [finding_json(f, before_graph, tr)
                         for k, f in old.items() if k not in new]}


#: a write whose answer cannot be computed: refused before anything is written
ANALYSIS_FAILED = N_("the change was not written: the findings of the graph it would make "
                     "cannot be computed ({reason}); the error is in the server's log")


def prepared_answer(name: str, current: "Version", g: nx.MultiDiGraph,
                    lang: str | None, said: ServerLog) -> tuple[Model, dict[str, Any]]:
    """What a write's answer needs of the graph ``g`` it makes from ``current``, computed
    before the write commits: the new version's model (its findings computed; the version
    is published with it, so they are not computed again) and the findings the write
    creates and resolves. A graph whose findings cannot be computed is refused here, so a
    write never leaves its files changed behind an error, nor a graph that answers every
    reader with one (500 ``analysis-failed``, nothing written; the workbook rules and the
    formatter leave nothing known to get here)."""
    assert current.graph is not None and current.model is not None
    model = Model(g)
    try:
        findings = findings_changed(current.graph, current.model.findings(), g,
                                    model.findings(), lang)
    except Exception as e:  # any failure: nothing is written, and the log has it whole
        said.exception(N_("graph '{graph}': a write was refused, as the findings of the "
                          "graph it would make cannot be computed"), graph=name)
        # the kind of failure only: its text may quote a cell, and the log has it whole
        raise ApiError(500, ANALYSIS_FAILED, code="analysis-failed",
                       params={"reason": type(e).__name__}) from None
    return model, findings


def unchanged_answer(change: Any, etag: str, lang: str | None) -> dict[str, Any]:
    """The answer to a save that changes nothing (:func:`polku.ops.edits.unchanged`): saved
    as asked, with no change logged (``change`` None), the same ETag, no findings created
    or resolved, and ``message`` saying so in ``lang``."""
    from polku.present.cells import SHEET_NAMES
    from polku.present.i18n import translator

    tr = translator(lang)
    return no_change(etag, tr("Saved: no change ({sheet} {key} was already so)").format(
        sheet=tr(SHEET_NAMES.get(change.sheet, change.sheet)), key=change.key))


def unchanged_batch_answer(count: int, etag: str, lang: str | None) -> dict[str, Any]:
    """The answer to several edits that change nothing (:func:`polku.ops.batch.write_all`
    gave no entry): as :func:`unchanged_answer`, the message counting the edits."""
    from polku.present.i18n import translator

    tr = translator(lang)
    return no_change(etag, tr.ngettext(
        "Applied: no change (the chosen edit was already so)",
        "Applied: no change (the {n} chosen edits were already so)", count).format(n=count))


def no_change(etag: str, message: str) -> dict[str, Any]:
    """A write's answer when it changed nothing: no change logged (``change`` None), the
    same ETag, no findings created or resolved, ``message`` saying so."""
    return {"change": None, "unchanged": True, "etag": etag, "message": message,
            "findings": {"created": [], "resolved": []}}


def write_failed(problem: PolkuError) -> ApiError:
    """The answer to a write the files refused (a full disk, a read-only folder): 409,
    nothing of the change written."""
    return ApiError(409, N_("the change could not be written: {problem}"), code="write-failed",
                    params={"problem": Problem(problem)})


def changelog_broken(error: PolkuError) -> ApiError:
    """The answer while a line of a graph's change log is not one polku wrote: 409 naming
    the line; the graph takes no write, undo or review (each would be numbered or reverted
    from the log) until the line is mended."""
    return ApiError(409, N_("the change log cannot be read, so this graph takes no writes, "
                            "undo or review until it is mended: {problem}"),
                    code="changelog-broken", params={"problem": Problem(error)})


#: the refusals of a write an administrator has to act on (a full disk, a read-only folder,
#: a change log that is not polku's): the answer reaches only the writer, so they are logged
LOGGED_REFUSALS = ("write-failed", "changelog-broken")


@contextmanager
def refusals_logged(graph: str, action: str, said: ServerLog | None = None) -> Iterator[None]:
    """A write (``action``: update, create, delete, undo, batch) to ``graph`` whose refusal
    is one of :data:`LOGGED_REFUSALS` is logged at warning level in the server's language
    (``said``; Finnish without), then answered as before. The line names the graph, the
    action, the code and the problem (a file, a line number, the system's reason): never
    the writer, their token or identity, nor the values written.

    >>> with refusals_logged("mini", "update", ServerLog("en")):
    ...     raise write_failed(PolkuError("disk full", file="services.csv"))
    Traceback (most recent call last):
    polku.server.contract.ApiError: the change could not be written: services.csv: disk full
    """
    try:
        yield
    except ApiError as e:
        if e.code in LOGGED_REFUSALS:
            (said or ServerLog()).warning(
                N_("graph '{graph}': a write ({action}) was refused, 409 {code}: {problem}"),
                graph=graph, action=action, code=e.code, problem=e)
        raise


class GraphStore:
    """The graphs served from ``sources`` (files, folders, Neo4j URIs), with their change
    logs in ``changes_dir`` (default: ``.polku/`` beside each graph)."""

    def __init__(self, sources: Sequence[str | Path], changes_dir: Path | None = None,
                 etag_secret: str | None = None, etag_fallback: bytes | None = None,
                 said: ServerLog | None = None) -> None:
        self.roots = list(sources)
        #: the server's log, in its language
        self.said = said or ServerLog()
        self.changes_dir = changes_dir
        #: a secret given to every server of a graph (several machines over one Neo4j
        #: region): their ETags agree; without one, each change-log folder keeps its own
        self._etag_secret = (hashlib.sha256(etag_secret.encode()).digest()
                             if etag_secret else None)
        self._lock = threading.Lock()
        self._entries: dict[str, Entry] = {}
        self._etag_keys: dict[Path, bytes] = {}
        #: the secret that keys the ETags where no key can be kept; ``polku serve --workers``
        #: gives every worker the same, so that they answer the same ETags
        self._etag_fallback = etag_fallback or os.urandom(32)
        #: the change-log folders that cannot keep an ETag key, and why
        self.unkept_keys: dict[Path, Said] = {}
        self.shadowed: dict[str, list[str]] = {}
        #: the change-log file (its stamp) last said to be broken, per graph: said once
        self._broken_said: dict[str, object] = {}
        self.scan()

    # -- finding and reading --------------------------------------------------------------
    def scan(self) -> None:
        """Notice new graphs, sources that changed kind (a Turtle file now shadowed by a
        new workbook folder of the same name) and graphs whose source is gone from its
        served folder: those are dropped, their versions and models let go. What a process
        serves is what the folders hold now, never what it happened to see before: a
        folder that appeared and went away again is no graph in any process (it stayed
        ``failed`` in those that had seen it, and ``/readyz`` answered 503 until a
        restart). A source that is there but broken is another matter: it is served on
        from its last good version (:meth:`_refresh`)."""
        try:
            found, shadowed = discover(self.roots)
        except (PolkuError, OSError) as e:  # a served folder itself moved away
            self.said.warning(N_("cannot look through the served folders: {problem}"),
                              problem=e if isinstance(e, PolkuError) else os_problem(e))
            return
        with self._lock:
            entries: dict[str, Entry] = {}
            for name, source in found.items():
                entry = self._entries.get(name)
                if entry is None or entry.source != source:
                    fresh = Entry(source, etag_key=self._etag_key_of(source))
                    if entry is not None:  # keep serving the old one until the new loads
                        old = entry.version
                        fresh.version = Version(source, old.graph, old.etag, model=old.model)
                    entry = fresh
                entries[name] = entry
            for name in self._entries.keys() - entries.keys():
                self._broken_said.pop(name, None)
            self.shadowed = shadowed
            # one assignment: a reader going through the graphs meanwhile has the whole
            # list before or the whole list after
            self._entries = entries

    @property
    def names(self) -> list[str]:
        return sorted(self._entries)

    def entry(self, name: str, refresh: bool = True) -> Entry:
        """The graph's entry, read again if its source changed; 404 for an unknown name."""
        entry = self._entries.get(name)
        if entry is None or (entry.source.kind != "neo4j" and
                             not os.path.lexists(entry.source.location)):
            # an unknown name may be a new graph; a known one whose source is gone is
            # dropped (:meth:`scan`), as in a process that never saw it
            self.scan()
            entry = self._entries.get(name)
        if entry is None:
            from polku.graph import likely_id

            # the graph likely meant, as data too (did_you_mean), as for any unknown name
            missing = PolkuError(N_("no graph named '{name}'"), params={"name": name},
                                 field="name", close=likely_id(name, dict.fromkeys(
                                     self._entries, {})))
            raise ApiError(404, missing.message, field="name", cause=missing)
        # a reader never waits for a write in progress (it holds the lock for seconds: the
        # whole workbook is checked again): it is served the version before that write
        if refresh and entry.lock.acquire(blocking=entry.version.graph is None):
            try:
                self._refresh(entry)
            finally:
                entry.lock.release()
        return entry

    def _served(self, entry: Entry) -> Version:
        """The entry's version now (its last good one), taken once; 409 when the graph
        never loaded."""
        version = entry.version
        if version.graph is None:
            raise ApiError(409, N_("the graph '{name}' cannot be read: {problem}"),
                           field="name", code="graph-failed",
                           params={"name": entry.source.name,
                                   "problem": Problem(version.problem) if version.problem
                                   is not None else "unreadable"})
        return version

    def get(self, name: str) -> tuple[nx.MultiDiGraph, Version]:
        """The graph to serve (its last good version) and that version; 409 when it never
        loaded."""
        version = self._served(self.entry(name))
        assert version.graph is not None
        return version.graph, version

    def current(self, name: str) -> tuple[Model, Version] | None:
        """The served version's model and the version when nothing needs reading: the graph
        loaded and its source's files as it found them (their names, sizes and times
        looked at, nothing read); None otherwise (:meth:`model` then reads what changed).
        What a route answers from without leaving the event loop, when it has the answer
        kept."""
        entry = self._entries.get(name)
        if entry is None:
            return None
        version = entry.version
        if version.model is None or version.stamp is None or \
                stamp_of(version.source) != version.stamp:
            return None
        return version.model, version

    def model(self, name: str) -> tuple[Model, Version]:
        """The served version's model (see :meth:`get`) and the version: answer the whole
        request from these two (its ETag is ``version.etag``)."""
        _, version = self.get(name)
        assert version.model is not None
        return version.model, version

    def entries(self) -> list[Entry]:
        """Every graph, each refreshed."""
        self.scan()
        return [self.entry(n) for n in self.names]

    def _refresh(self, entry: Entry) -> None:
        """Read the source again when its files changed (under ``entry.lock``); the new
        version, or the last good one named broken, replaces the old one whole."""
        source = entry.source
        served = entry.version
        stamp = stamp_of(source)
        if stamp is not None and stamp == served.stamp:
            return
        if self._finish_half_write(source.name):
            stamp = stamp_of(source)
        if stamp is None:
            entry.version = self._last_good(entry).broken(None, PolkuError(
                N_("the source was removed or moved away"), file=source.shown, params={}))
            return
        try:
            _check_links(source)
            for _ in range(3):  # a change while reading: read again
                g = load_graph(source.location)
                etag = content_digest(source, g, entry.etag_key)
                if stamp_of(source) == stamp:
                    break
                stamp = stamp_of(source)
        except PolkuError as e:
            entry.version = self._last_good(entry).broken(stamp, relative(e, source.root))
            self.said.warning(N_("graph '{graph}': {problem}"), graph=source.name,
                              problem=entry.version.problem)
            return
        except Exception as e:  # noqa: BLE001 - one broken source never stops the server
            entry.version = self._last_good(entry).broken(stamp, PolkuError(
                N_("cannot be read ({reason})"), file=source.shown,
                params={"reason": e.__class__.__name__}))  # a class name: no text of the file
            self.said.exception(N_("graph '{graph}' cannot be read"), graph=source.name)
            return
        # the graph keeps its own id (its IRIs are built from it); the URL names its source
        entry.version = Version.loaded(source, g, etag, stamp)
        self._keep_good(entry, entry.version)

    # -- the last good version, shared by every process over the folder --------------------
    def _kept_at(self, source: Source) -> tuple[Path, str]:
        """Where ``source``'s last good version is kept for every process, and the label
        the kept file names its source by (:mod:`polku.server.lastgood`)."""
        return (lastgood.path_of(self._changes_folder(source), source.name),
                source_label(source.location))

    @contextmanager
    def _keeping(self, entry: Entry) -> Iterator[Callable[[Mapping[Path, Path]], None] | None]:
        """For a write (under its write lock): the graph's last good copy made part of the
        change (:func:`polku.io.atomic.together`'s ``first``): the version the write makes,
        kept from the files it writes before any is renamed, and renamed first. A copy that
        cannot be kept (a full disk, an immutable file) refuses the write whole, so an
        acknowledged write is always in the copy every process serves while the source is
        broken. The keeper's lock is held until the renames are made: no reader puts the
        version before over it meanwhile. None for a Neo4j region (nothing kept)."""
        source = entry.source
        if source.kind == "neo4j":
            yield None
            return
        from filelock import FileLock

        path, label = self._kept_at(source)

        def keep(staged: Mapping[Path, Path]) -> None:
            files = files_after(source, staged)
            lastgood.keep(path, label, files_digest(files, entry.etag_key), files)

        # a filelock.Timeout goes up to the write's caller: 409 busy
        with FileLock(path.with_name(f"{source.name}.last-good.lock"), timeout=30,
                      is_singleton=True):
            yield keep

    def _keep_good(self, entry: Entry, version: Version) -> None:
        """Keep ``version`` (read or written whole just now) as the graph's last good one
        for every process over the folder (:mod:`polku.server.lastgood`), while the
        source's files are still its own: checked under the keeper's lock, so that a slow
        reader never puts an older version over a newer one."""
        source = entry.source
        if source.kind == "neo4j" or version.etag is None:
            return  # a database is one for every server: nothing of it goes stale apart
        from filelock import FileLock, Timeout

        path, label = self._kept_at(source)
        try:
            with FileLock(path.with_name(f"{source.name}.last-good.lock"), timeout=30,
                          is_singleton=True):
                if lastgood.etag_of(path, label) == version.etag:
                    entry.unkept = None
                    return
                files = source_files(source)
                if files_digest(files, entry.etag_key) != version.etag:
                    # the files moved on (their reader keeps them, if they are good): this
                    # version is not kept, so a broken source later serves it as this
                    # process's own, never the older one kept before it
                    entry.unkept = version.etag
                    return
                lastgood.keep(path, label, version.etag, files)
                entry.unkept = None
        except (OSError, Timeout) as e:
            # a read-only folder: this process's last good version is its own
            entry.unkept = version.etag
            self.said.debug(N_("graph '{graph}': its last good version cannot be kept: "
                               "{problem}"), graph=source.name,
                            problem=relative(os_problem(e), source.root)
                            if not isinstance(e, Timeout) else
                            Said(N_("another process holds its lock")))

    def _last_good(self, entry: Entry) -> Version:
        """The version to serve while the source is broken: the last good one kept for
        every process (:meth:`_keep_good`, read again when another process kept a newer
        one), or the one this process served when it could not keep it or none is kept."""
        served = entry.version
        source = entry.source
        if source.kind == "neo4j" or (served.etag is not None and entry.unkept == served.etag):
            return served
        path, label = self._kept_at(source)
        if lastgood.etag_of(path, label) in (None, served.etag):
            return served
        kept = lastgood.read(path, label)
        if kept is None or files_digest(kept.files, entry.etag_key) != kept.etag:
            return served  # kept under another key (etag.key replaced): not this graph's
        try:
            return self._version_kept(source, kept)
        except Exception:  # noqa: BLE001 - a kept copy that no longer reads: serve ours
            self.said.exception(N_("graph '{graph}': its kept last good version cannot be "
                                   "read"), graph=source.name)
            return served

    @staticmethod
    def _version_kept(source: Source, kept: lastgood.Kept) -> Version:
        """The version ``kept`` holds, read whole from its files (its sheets kept with it,
        as they were read, and its workbook's warnings), for ``source``."""
        from polku.io.unknown_names import workbook_warnings

        with lastgood.unpacked(kept, source.is_folder) as location:
            g = load_graph(location)
            sheets = edits.row_store(location).sheets(g)
            warnings = tuple(relative(w, location.parent)
                             for w in workbook_warnings(location))
        loaded_stamp = ("kept", kept.etag)
        version = Version(source, g, kept.etag, None, None,
                          time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                          Model(g, kept.etag), warnings, loaded_stamp)
        assert version.model is not None
        version.model.memo(("sheets", loaded_stamp), lambda: sheets)
        return version

    def _finish_half_write(self, name: str) -> bool:
        """Finish the write a killed process left half made (its journal beside the change
        log), unless a writer holds the lock (it is finishing it): the sheets and the log
        line of one change are renamed in together. True when one was finished."""
        if not self.changelog(name).journal.exists():  # nothing made, nothing to finish
            return False
        try:
            return self.write_lock(name).finish_if_free()
        except OSError as e:  # a read-only folder: nothing can have been half written
            self.said.warning(N_("graph '{graph}': cannot finish a half-made write: "
                                 "{problem}"), graph=name,
                              problem=relative(os_problem(e), self._entries[name].source.root))
            return False

    # -- writing --------------------------------------------------------------------------
    def prepare_writes(self) -> None:
        """Check the shapes of every graph served now, so that the first write to each
        checks only what it changes (as every later one does) and is not the slowest; for a
        server that takes writes, once it has started."""
        from polku.io.validate import shacl_check

        for entry in self.entries():
            with entry.lock:
                version = entry.version
                g = version.graph
                if g is None or version.problem is not None or entry.conforming is not None:
                    continue
                problems, seen = shacl_check(g, entry.source.shown)
                if seen is not None:
                    entry.conforming = (g, seen)

    def _etag_key_of(self, source: Source) -> bytes:
        if self._etag_secret is not None:
            return self._etag_secret
        folder = self._changes_folder(source)
        if folder not in self._etag_keys:
            try:
                self._etag_keys[folder] = etag_key(folder)
            except OSError as e:
                self.unkept_keys[folder] = folder_problem(folder) or os_reason(e)
                self._etag_keys[folder] = self._etag_fallback
        return self._etag_keys[folder]

    def write_problems(self) -> list[PolkuError]:
        """What keeps this server from writing a graph it serves, each problem naming the
        folder: the change logs' folder (``.polku/``: the log, the lock, the journal, the
        ETag key) and the folder the graph's files are written in, every one absolutely
        (the change logs' is kept so; a start's problems read in a service manager's log,
        which shows no working folder). A server told to take writes refuses to start with
        any (every write would fail)."""
        folders: dict[Path, None] = {}
        for entry in self._entries.values():
            source = entry.source
            folders[self._changes_folder(source).absolute()] = None
            if source.kind != "neo4j":
                path = Path(source.location)
                folders[(path if source.is_folder else path.parent).absolute()] = None
        return [PolkuError(N_("writes are on, but this server cannot write in this folder: "
                              "{reason}"), params={"reason": reason}, file=str(folder))
                for folder in folders for reason in [folder_problem(folder)]
                if reason is not None]

    def _changes_folder(self, source: Source) -> Path:
        """Where the change log (and the lock and the ETag key) of ``source`` is kept."""
        if self.changes_dir is not None:
            return self.changes_dir
        return (Path(".polku") if source.kind == "neo4j"
                else Path(source.location).absolute().parent / ".polku")

    def state_folder(self) -> Path:
        """Where the server keeps what belongs to no one graph (the sessions that ended
        before their cookie did, :mod:`polku.server.sessions`): the change logs' folder
        given (``--changes``), else the ``.polku/`` folder that the first served source's
        graphs keep their change logs in, so that every worker and every server over one
        folder finds the same one.

        >>> import tempfile
        >>> from polku.graph import new_graph
        >>> from polku.io.load import save_graph
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     graphs = Path(folder) / "graphs"; graphs.mkdir()
        ...     turtle = save_graph(new_graph(), graphs / "keski-uusimaa.ttl")
        ...     GraphStore([str(graphs)]).state_folder() == graphs.absolute() / ".polku"
        ...     GraphStore([str(turtle)]).state_folder().parent.name
        True
        'graphs'
        """
        if self.changes_dir is not None:
            return self.changes_dir
        first = str(self.roots[0]) if self.roots else "graphs"
        if is_neo4j_uri(first):
            return Path(".polku")
        path = Path(first).absolute()
        # a folder of graphs keeps their logs in its own .polku; a graph given by its own
        # path (a file, a workbook folder) keeps its log beside it
        inside = path.is_dir() and _kind(path) is None
        return (path if inside else path.parent) / ".polku"

    def changelog(self, name: str) -> ChangeLog:
        source = self.entry(name, refresh=False).source
        return ChangeLog(self._changes_folder(source) / f"{name}.changes.jsonl",
                         source_label(source.location))

    def changes(self, name: str, limit: int | None = None) -> list[dict[str, Any]]:
        """The graph's change log, newest first (at most ``limit``); 409 when a line of it
        is not one polku wrote."""
        log = self.changelog(name)
        try:
            return log.newest_first(limit)
        except BrokenChangeLog as e:  # named as .polku/NAME.changes.jsonl
            problem = relative(e, log.path.parent.parent)
            self.say_broken(name, problem)
            raise changelog_broken(problem) from None

    def say_broken(self, name: str, problem: PolkuError) -> None:
        """Log, once for each state of its file, that ``name``'s change log cannot be read
        (found by a read, a write or the readiness probe): the graph takes no write, undo or
        review until it is mended, and the people asking only see a 409."""
        stamp = self.log_stamp(name)
        with self._lock:
            if self._broken_said.get(name) == stamp:
                return
            self._broken_said[name] = stamp
        self.said.warning(N_("graph '{graph}': its change log cannot be read, so it takes no "
                             "writes, undo or review until it is mended (polku changes "
                             "check, polku changes mend): {problem}"),
                          graph=name, problem=problem)

    def log_stamp(self, name: str) -> object:
        """What changes when the graph's change log changes (its size, time and file); None
        while it has none."""
        try:
            st = os.stat(self.changelog(name).path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _own_changes(self, name: str) -> tuple[ChangeLog, list[dict[str, Any]]]:
        """The graph's change log and its entries, to write or revert changes by: 409 when
        its changes were made to another source of the same name (a workbook folder and a
        Turtle file beside it share ``.polku/NAME.changes.jsonl``), as ``polku undo`` and
        ``--since`` refuse it; reverting them would write the other source's edits into this
        one."""
        log = self.changelog(name)
        try:
            return log, log.own_entries()
        except BrokenChangeLog as e:
            problem = relative(e, log.path.parent.parent)
            self.say_broken(name, problem)
            raise changelog_broken(problem) from None
        except PolkuError as e:
            raise ApiError(409, N_("the change log {log} is kept for {other}, not for "
                                   "{source} (the two have the same name)"),
                           code="changelog-of-another-source",
                           params={k: e.params[k] for k in ("log", "other", "source")}
                           ) from None

    def write_lock(self, name: str) -> Any:
        """The lock that serialises writes to the graph across processes (released by the
        kernel when a process dies, so a killed worker never leaves it held)."""
        source = self._entries[name].source

        def refused(journal: Path, within: tuple[Path, ...], aside: Path) -> None:
            self.said.warning(N_("graph '{graph}': {journal} names files outside the graphs' "
                                 "folder and the change logs' folder (copied from another "
                                 "folder?): set aside as {aside}, nothing of it made"),
                              graph=name, journal=shown_path(journal, source.root),
                              aside=shown_path(aside, source.root))

        return write_lock(self.changelog(name), source.location, refused)

    def _write_lock_if_any(self, name: str) -> Any:
        """:meth:`write_lock`, taken; or nothing where the change log's folder cannot be
        written (a read-only deployment: no process can write the graph there either)."""
        from contextlib import ExitStack

        stack = ExitStack()
        try:
            stack.enter_context(self.write_lock(name))
        except OSError as e:
            if e.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR,
                               errno.EEXIST):
                raise
        return stack

    def sheets(self, name: str) -> tuple[edits.Sheets, Version]:
        """The workbook sheets of the graph's version now, and that version; read without
        waiting for a write in progress (the version before it is answered)."""
        entry = self.entry(name)
        version = self._served(entry)
        sheets = self._sheets(version)
        if sheets is not None:
            return sheets, version
        # the files are no longer this version's: a write of another process, a hand edit,
        # or a write of this server between its files and its new version. Only then does
        # a reader wait for the write, and reads the version it made
        with entry.lock:
            self._refresh(entry)
            version = self._served(entry)
            # still not its files (changed again meanwhile): the version's rows as its
            # graph says them, never rows of files no version was read from
            sheets = self._sheets(version)
            if sheets is None:
                sheets = self._version_sheets(version)
            return sheets, version

    def history(self, name: str) -> tuple[Any, Version]:
        """The graph's version now and its history (:class:`polku.ops.review.History`): its
        sheets and its change log read together, under the locks a write takes (in a
        write's order), so that both are the same version's. A review rebuilds earlier
        versions from them; unlike other reads, it waits for a write in progress.

        The history is kept with the version while its files and its change log stay as
        they were read (their names, sizes and times): the next review of that version
        takes no lock and rebuilds nothing it built before (:meth:`History.model_at`)."""
        from filelock import Timeout

        from polku.ops.review import History

        version = self.entry(name).version
        if version.graph is not None and version.problem is None:
            kept = version.model.kept(("history", self.log_stamp(name)))
            # the log looked at, then the files: a write changes both, in either order, so
            # when both are still as they were read the kept history is still theirs
            if kept is not None and stamp_of(version.source) == version.stamp:
                return kept, version
        entry = self.entry(name, refresh=False)
        try:
            with entry.lock, self._write_lock_if_any(name):
                self._refresh(entry)
                version = self._served(entry)
                # a hand edit that broke the files: the last good version's sheets (the
                # files are not its, and a broken cell's text must reach no answer)
                sheets = self._sheets(version, exact=False)
                log, entries = self._own_changes(name)
                history = History(tuple(entries), sheets, log.path.name)
                if version.problem is None and stamp_of(version.source) == version.stamp:
                    history = version.model.memo(("history", self.log_stamp(name)),
                                                 lambda: history)
                return history, version
        except Timeout:
            raise ApiError(409, N_("another write to this graph has held it for over a "
                                   "minute: try again"), code="busy") from None

    def _sheets(self, version: Version, exact: bool = True) -> edits.Sheets | None:
        """The sheets of ``version``, read from its source once and kept with it (a write
        or any change to the files makes a new version, whose sheets are read again). None
        when the files are not the version's any more (with ``exact=False``: the sheets
        read all the same, which are never older than the version). Shared: an edit makes
        new sheets, never changes these."""
        model, source, stamp = version.model, version.source, version.stamp
        assert model is not None and version.graph is not None
        if version.problem is not None:
            # a broken source: its last good version's rows, as every other answer of the
            # graph is that version's (its ETag too). The files' rows would quote what the
            # source was refused for: an identity code, a cell or header of any column
            # that is not what its column takes (docs/workbook.md, Privacy)
            return self._version_sheets(version)
        key = ("sheets", stamp)
        kept = model.kept(key)
        if kept is not None:
            return kept
        before = stamp_of(source)
        try:
            sheets = edits.row_store(source.location).sheets(version.graph)
        except PolkuError as e:
            raise ApiError(409, N_("the source cannot be read: {problem}"),
                           code="source-broken",
                           params={"problem": Problem(relative(e, source.root))}
                           ) from None
        # kept only when the files read are the ones the version was loaded from
        if stamp is not None and before == stamp and stamp_of(source) == stamp:
            return model.memo(key, lambda: sheets)
        return None if exact else sheets

    def _version_sheets(self, version: Version) -> edits.Sheets:
        """The sheets of the files ``version`` was read from, when its files are not the
        source's any more: kept with it, else read from the last good version kept for
        every process when that is this version (so every process answers the same rows,
        spelt as the files spell them), else as its graph says them."""
        model = version.model
        assert model is not None
        key = ("sheets", version.loaded_stamp)
        if model.kept(key) is None and version.source.kind != "neo4j" and \
                version.etag is not None:
            path, label = self._kept_at(version.source)
            if lastgood.etag_of(path, label) == version.etag:
                kept = lastgood.read(path, label)
                if kept is not None and kept.etag == version.etag:
                    try:
                        with lastgood.unpacked(kept, version.source.is_folder) as location:
                            sheets = edits.row_store(location).sheets(version.graph)
                        return model.memo(key, lambda: sheets)
                    except (PolkuError, OSError):
                        pass
        return self._last_good_sheets(version)

    @staticmethod
    def _last_good_sheets(version: Version) -> edits.Sheets:
        """The sheets of the files ``version`` was read from: as they were read, when they
        were kept with its model while they were its files, else as its graph says them
        (the same rows and values; a cell may be spelt otherwise, ``0.5`` for ``0,5``).

        >>> from polku.graph import new_graph
        >>> g = new_graph("x"); g.add_node("s", type="segment", name="S", size=12)
        >>> v = Version(Source("x", "x", "workbook"), g, "e", model=Model(g, "e"))
        >>> GraphStore._last_good_sheets(v)["segments"][1]
        [{'id': 's', 'name': 'S', 'size': '12'}]
        """
        model = version.model
        assert model is not None and version.graph is not None
        kept = model.kept(("sheets", version.loaded_stamp))
        if kept is not None:
            return kept
        graph = version.graph
        return model.memo("sheets of the graph", lambda: edits.sheets_of_graph(graph))

    def edit(self, name: str, if_match: str | None, who: str, action: str, sheet: str,
             key: str | None = None, values: dict[str, str] | None = None,
             lang: str | None = None, check: RowCheck | None = None,
             identity: dict[str, Any] | None = None) -> dict[str, Any]:
        """Apply one row edit: 428/412 on a missing or stale ETag, 409 while the source is
        broken, 404 for an unknown sheet or row, 422 for what the workbook rules refuse.
        ``check`` sees every row the edit changes (sheet, before, after, the sheets) before
        the workbook rules do, and refuses what the writer may not change (403, raised by
        it); ``identity`` is logged beside ``who`` (a signed-in person's subject).
        Returns the logged change, the new ETag and the findings created and resolved
        (their messages in ``lang``, default Finnish)."""
        if not if_match:
            raise ApiError(428, N_("a write needs If-Match with the graph's current ETag "
                                   "(GET the graph or its rows to learn it)"),
                           field="If-Match")
        from filelock import Timeout

        entry = self.entry(name, refresh=False)
        with refusals_logged(name, action, self.said):
            try:
                with entry.lock, self.write_lock(name):
                    # a change logged beside another source's would make that log lie: its
                    # undo and reviews would revert this source's edits into the other one
                    self._own_changes(name)
                    return self._edit(entry, name, if_match, who, action, sheet, key, values,
                                      lang, check, identity or {})
            except Timeout:
                raise ApiError(409, N_("another write to this graph has held it for over a "
                                       "minute: try again"), code="busy") from None
            except OSError as e:  # the lock or the log's folder cannot be made or opened
                raise write_failed(relative(os_problem(e), entry.source.root)) from None

    def edit_batch(self, name: str, if_match: str | None, who: str,
                   wanted: list[dict[str, Any]], note: str = "",
                   lang: str | None = None, check: RowCheck | None = None,
                   identity: dict[str, Any] | None = None) -> dict[str, Any]:
        """Apply several row edits (``{"action", "sheet", "key", "row"}``, as
        ``ptv compare`` proposes them) as one change: the same preconditions and answers
        (``check`` and ``identity`` too) as :meth:`edit`; undone as one by the undo."""
        if not if_match:
            raise ApiError(428, N_("a write needs If-Match with the graph's current ETag "
                                   "(GET the graph or its rows to learn it)"), field="If-Match")
        from filelock import Timeout

        entry = self.entry(name, refresh=False)
        with refusals_logged(name, "batch", self.said):
            try:
                with entry.lock, self.write_lock(name):
                    self._own_changes(name)  # as edit() refuses another source's log
                    self._refresh(entry)
                    current = self._writable(entry, if_match)
                    return self._batch(entry, current, who, wanted, note, lang, check,
                                       identity)
            except Timeout:
                raise ApiError(409, N_("another write to this graph has held it for over a "
                                       "minute: try again"), code="busy") from None
            except OSError as e:  # the lock or the log's folder cannot be made or opened
                raise write_failed(relative(os_problem(e), entry.source.root)) from None

    def _publish(self, entry: Entry, g: nx.MultiDiGraph, model: Model) -> Version:
        """Serve ``g``, the graph a write just made (its files written), as the next version
        with ``model`` (:func:`prepared_answer`'s): its stamp and ETag found first, then the
        version put in place whole with one assignment, so a reader meanwhile is answered
        from the version before, whole."""
        source = entry.source
        stamp = stamp_of(source)
        version = Version.loaded(source, g, content_digest(source, g, entry.etag_key), stamp,
                                 model)
        entry.version = version
        # every process serves this version while the source is broken (not the one it
        # read before this write): kept under the write lock, before the write is answered
        self._keep_good(entry, version)
        return version

    def _batch(self, entry: Entry, current: Version, who: str,
               wanted: list[dict[str, Any]], note: str, lang: str | None,
               check: RowCheck | None = None, identity: dict[str, Any] | None = None
               ) -> dict[str, Any]:
        from polku.ops.batch import write_all

        source = entry.source
        assert current.graph is not None and current.model is not None
        prepared: list[tuple[Model, dict[str, Any]]] = []

        def ready(g: nx.MultiDiGraph) -> None:  # the answer, before anything is written
            prepared.append(prepared_answer(source.name, current, g, lang,
                                            self.said))

        try:
            # the version's sheets, kept with it: a reader meanwhile needs not read the
            # files this write replaces; its last good copy is part of the change
            with self._keeping(entry) as keep:
                g, logged = write_all(source.location, current.graph, wanted, who, note,
                                      log=self.changelog(source.name), check=check,
                                      identity=identity,
                                      sheets=self._sheets(current, exact=False), ready=ready,
                                      first=keep)
        except edits.StaleVersion as e:
            raise ApiError(412, e.message, field="If-Match") from None
        except PolkuError as e:
            raise invalid(relative(e, source.root)) from None
        except LockTimeout:  # the last good copy's lock: busy, as the write lock says
            raise
        except OSError as e:
            raise write_failed(relative(os_problem(e), source.root)) from None
        if logged is None:  # the edits change nothing: nothing written, logged or versioned
            return unchanged_batch_answer(len(wanted), current.etag or "", lang)
        model, findings = prepared[-1]
        new = self._publish(entry, g, model)
        return written(logged, new.etag or "", findings)

    def _edit(self, entry: Entry, name: str, if_match: str, who: str, action: str, sheet: str,
              key: str | None, values: dict[str, str] | None,
              lang: str | None, check: RowCheck | None = None,
              identity: dict[str, Any] | None = None) -> dict[str, Any]:
        """One edit, under the thread lock and the file lock: the source is read again
        first, so a write another process made is what the ETag is compared with."""
        self._refresh(entry)
        current = self._writable(entry, if_match)
        if action == "undo":
            log_ = self.changelog(name)  # its source checked by edit()
            try:
                undone = log_.to_undo()
            except NothingToUndo as e:
                raise ApiError(409, e.message, code="nothing-to-undo", cause=e) from None
            if "changes" in undone:  # several rows changed as one: undone as one
                if check is not None:  # undoing is making each row as it was before
                    sheets = self._sheets(current, exact=False)
                    for c in row_changes(undone):
                        check(c["sheet"], c.get("after"), c.get("before"), sheets)
                return self._undo_batch(entry, current, who, log_, lang, identity)
            action, key, values = revert(undone)
            sheet = undone["sheet"]
            undoes: int | None = undone["version"]
            drop = tuple(undone.get("added_columns") or ())
        else:
            undoes, drop = None, ()
        return self._write(entry, current, who, action, sheet, key, values, undoes, lang,
                           drop, check, identity)

    def _undo_batch(self, entry: Entry, current: Version, who: str, log_: ChangeLog,
                    lang: str | None, identity: dict[str, Any] | None = None
                    ) -> dict[str, Any]:
        from polku.ops.batch import undo_latest

        source = entry.source
        assert current.graph is not None and current.model is not None
        prepared: list[tuple[Model, dict[str, Any]]] = []

        def ready(g: nx.MultiDiGraph) -> None:  # the answer, before anything is written
            prepared.append(prepared_answer(source.name, current, g, lang,
                                            self.said))

        try:
            with self._keeping(entry) as keep:
                g, logged = undo_latest(source.location, current.graph, who, log_,
                                        where=source.shown.rstrip("/"), identity=identity,
                                        sheets=self._sheets(current, exact=False), ready=ready,
                                        first=keep)
        except edits.StaleVersion as e:
            raise ApiError(412, e.message, field="If-Match") from None
        except PolkuError as e:
            raise invalid(e) from None
        except LockTimeout:  # the last good copy's lock: busy, as the write lock says
            raise
        except OSError as e:
            raise write_failed(relative(os_problem(e), source.root)) from None
        model, findings = prepared[-1]
        new = self._publish(entry, g, model)
        return written(logged, new.etag or "", findings)

    def _writable(self, entry: Entry, if_match: str) -> Version:
        """The version a write starts from (taken once, under the locks), when ``if_match``
        names its ETag."""
        version = entry.version
        if version.graph is None or version.problem is not None:
            raise ApiError(409, N_("the graph's source is broken, so it takes no writes "
                                   "until it is fixed: {problem}"), code="source-broken",
                           params={"problem": Problem(version.problem)})
        tags = [t.strip() for t in if_match.split(",")]
        if "*" in tags or any(t.upper().startswith("W/") for t in tags):
            # RFC 9110 13.1.1: If-Match compares strongly; '*' would let a writer overwrite
            # a change they never saw
            raise ApiError(412, N_("If-Match takes the graph's current ETag itself: '*' "
                                   "and weak tags (W/\"...\") are not accepted for writes"),
                           field="If-Match", headers={"ETag": f'"{version.etag}"'})
        # an answer's tag names the version and then its representation (its bytes, its
        # coding: polku.server.http.representation_tag): the version is what is compared
        if version.etag not in [version_of_tag(t) for t in tags]:
            raise ApiError(412, N_("the graph changed since you read it (If-Match does not "
                                   "name its current ETag): read it again and redo your "
                                   "change"),
                           field="If-Match", headers={"ETag": f'"{version.etag}"'})
        return version

    def _write(self, entry: Entry, current: Version, who: str, action: str,
               sheet: str, key: str | None, values: dict[str, str] | None,
               undoes: int | None, lang: str | None = None,
               drop: tuple[str, ...] = (), check: RowCheck | None = None,
               identity: dict[str, Any] | None = None) -> dict[str, Any]:

        source = entry.source
        before = current.graph
        assert before is not None and current.model is not None
        store = edits.row_store(source.location)
        sheets = self._sheets(current, exact=False)
        if undoes is None:
            from polku.ops.changelog import now

            values = edits.stamped(sheet, action, values, who, now())
        try:
            new_sheets, change = edits.apply(sheets, action, sheet, key, values, drop)
        except edits.RowNotFound as e:
            raise ApiError(404, e.message, field="key" if e.sheet in edits.workbook.SHEETS
                           else "sheet", cause=e) from None
        except edits.EditConflict as e:
            raise ApiError(409, e.message, field="key", cause=e) from None
        except PolkuError as e:  # a row left blank: refused as the workbook rules refuse
            raise invalid(PolkuError(e.msgid or e.message, file=store.file_of(sheet),
                                     sheet=e.sheet, row=e.row, column=e.column, field=e.field,
                                     params=e.params if e.msgid is not None else None)) from None
        if check is not None:  # whose row it is, before the workbook rules say anything
            check(change.sheet, change.before, None, sheets)
            check(change.sheet, None, change.after, new_sheets)
        if undoes is None and values:
            # a column the sheet does not have is refused, not added to every row (an undo
            # gives back what a write had, added columns too)
            unknown = edits.unknown_columns(sheets, sheet, values, store.file_of(sheet))
            if unknown is not None:
                raise invalid(unknown)
        if undoes is None and edits.unchanged(change):
            # a save that changes nothing: nothing written, logged or versioned
            return unchanged_answer(change, current.etag or "", lang)
        where = source.shown.rstrip("/")
        since = entry.conforming[1] if entry.conforming is not None and \
            entry.conforming[0] is before else None
        try:
            g, seen = edits.checked(new_sheets, before.graph.get("name"), where,
                                    store.file_of, before.graph, since)
        except PolkuError as e:
            raise invalid(e) from None  # the file_of labels are already relative
        # the answer's findings, and the new version's model, before anything is written
        model, findings = prepared_answer(source.name, current, g, lang, self.said)
        read_etag = current.etag

        def expect(now: nx.MultiDiGraph) -> None:
            if content_digest(source, now, entry.etag_key) != read_etag:
                raise edits.StaleVersion(N_("the graph changed since you read it (another "
                                            "server wrote first): read it again and redo "
                                            "your change"), params={})

        log_ = self.changelog(source.name)
        try:
            # the sheet, the log line and the last good copy are one change: renamed into
            # place together, or none (a full disk included); a process killed among the
            # renames leaves the journal the next write lock finishes
            with self._keeping(entry) as keep, atomic.together(log_.journal, keep):
                store.write(new_sheets, g, change.sheet, expect=expect)
                logged = log_.append(change, who, undoes, identity)
        except edits.StaleVersion as e:
            raise ApiError(412, e.message, field="If-Match", cause=e) from None
        except PolkuError as e:
            raise write_failed(relative(e, source.root)) from None
        except LockTimeout:  # the last good copy's lock: busy, as the write lock says
            raise
        except OSError as e:
            raise write_failed(relative(os_problem(e), source.root)) from None
        entry.conforming = (g, seen) if seen is not None else None
        # the new version's model: its findings answered this write, and now every reader
        new = self._publish(entry, g, model)
        return written(logged, new.etag or "", findings)
