"""Atomic writes: a crash or an error never leaves a half-written file or folder behind.

Each file is written to a temporary file beside it, flushed to the disk, renamed into place,
and its folder flushed too: once a write returns, a crash or a power cut keeps it.

Several files that make one change (an edit's sheets and its change-log line) are written
:func:`together`: every file is written out first (a full disk or any error then changes
nothing), a small journal listing the renames still to make is put in place, the files are
renamed, and the journal goes. A process killed among the renames leaves the journal, and
:func:`finish` (run under the graph's write lock before the next write, undo or review, and
when a server starts) makes the remaining renames: the change is then whole, never half.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping


def _default_mode(directory: bool = False) -> int:
    """What a plain ``open()`` or ``mkdir()`` would give: mkstemp and mkdtemp make them
    private (0600, 0700), which a graph or page meant to be shared should not be."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def _not_a_folder(path: Path) -> None:
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))


@contextmanager
def _as(path: Path) -> Iterator[None]:
    """An operating system error about the temporary file or folder beside ``path``, or
    about no file at all (a write or a flush refused: ``no space left on the device``),
    named as ``path``: the reader gave that name, never the temporary one (a read-only
    folder refuses the temporary file first, and ``.x.html.k2j9.tmp: permission denied``
    names nothing they typed), and a full disk says which file it could not take.

    >>> import errno
    >>> with _as(Path("g/services.csv")):
    ...     raise OSError(errno.ENOSPC, "No space left on device")
    Traceback (most recent call last):
    OSError: [Errno 28] No space left on device: 'g/services.csv'
    """
    try:
        yield
    except OSError as e:
        named = Path(e.filename) if isinstance(e.filename, str) else None
        if named is not None and (not named.name.startswith(f".{path.name}.") or
                                  os.path.abspath(named.parent) != os.path.abspath(path.parent)):
            raise
        raise OSError(e.errno, e.strerror or str(e), str(path)) from None


def _sync_folder(folder: str | Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk: without it a power cut
    soon after a write may bring the old file back."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform that cannot open folders (Windows) flushes renames itself
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems take no fsync of a folder
    finally:
        os.close(fd)


def _sync_file(path: str | Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


class _Group(threading.local):
    """The writes :func:`together` collects in this thread: destination -> temporary file."""
    staged: dict[Path, Path] | None = None


_group = _Group()


def _put(tmp: str | Path, path: Path, private: bool = False) -> None:
    """Rename the finished, flushed temporary file ``tmp`` into place (now, or with the
    rest of :func:`together`'s files); ``private``: readable by its owner only (0600)."""
    os.chmod(tmp, 0o600 if private else _default_mode())
    staged = _group.staged
    if staged is not None:
        earlier = staged.pop(path, None)  # the same file written twice: the last one wins
        if earlier is not None:
            earlier.unlink(missing_ok=True)
        staged[path] = Path(tmp)
        return
    os.replace(tmp, path)
    _sync_folder(path.parent)


def write_bytes(path: str | Path, data: bytes, private: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it into place
    (and flush the folder). ``private``: the file is its owner's alone (0600), for what names
    people (a change log), not a file meant to be shared."""
    path = Path(path)
    _not_a_folder(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _as(path):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            _put(tmp, path, private)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def write_text(path: str | Path, text: str, private: bool = False) -> None:
    """:func:`write_bytes` for UTF-8 text."""
    write_bytes(path, text.encode("utf-8"), private)


@contextmanager
def output_file(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces ``path``, on error it goes.

    For libraries that insist on writing to a path themselves (openpyxl, pyvis).
    """
    path = Path(path)
    _not_a_folder(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _as(path):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        with _as(path):
            yield Path(tmp)
            _sync_file(tmp)  # what the library wrote, on the disk before the rename
            _put(tmp, path)
            tmp = ""
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


@contextmanager
def together(journal: str | Path,
             first: Callable[[Mapping[Path, Path]], None] | None = None) -> Iterator[None]:
    """Every :func:`write_bytes`, :func:`write_text` and :func:`output_file` of this thread
    inside the block is one change: each file is written out as it comes, and only when the
    block ends without an error are they all renamed into place (an error, a full disk
    included, leaves every file as it was). The renames still to make are listed first in
    ``journal``, which goes once they are made; a process killed among them leaves it for
    :func:`finish`. Not nested.

    ``first``, once the block's files are written out, is given them (file -> its
    temporary file) and may write more files of the change, made of them (a copy of what
    the change makes); its files are renamed before the block's, and when the first rename
    fails (nothing renamed yet: an immutable file) the change is refused whole, as when a
    file cannot be written out."""
    journal = Path(journal)
    if _group.staged is not None:
        raise RuntimeError("atomic.together is not nested")
    _group.staged = staged = {}
    try:
        yield
        if first is not None and staged:
            own = dict(staged)
            first(own)
            made = {p: t for p, t in staged.items() if own.get(p) is not t}
            staged = {**made, **{p: t for p, t in staged.items() if p not in made}}
    except BaseException:
        for tmp in (_group.staged or {}).values():  # the block's files and first's
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _group.staged = None
    if not staged:
        return
    if len(staged) == 1:  # one file is one rename: nothing to journal
        [(path, tmp)] = staged.items()
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
        return
    try:
        write_text(journal, "".join(json.dumps([_relative(tmp, journal), _relative(path, journal)])
                                    + "\n" for path, tmp in staged.items()))
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    [(path, tmp), *_] = staged.items()
    try:
        with _as(path):  # named as the file it was to replace, not its temporary file
            os.replace(tmp, path)
    except BaseException:
        # nothing renamed yet: the change is refused whole, and nothing is left to finish
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        raise
    _rename(list((str(tmp), str(path)) for path, tmp in staged.items()), journal, made=1)


def _rename(renames: list[tuple[str, str]], journal: Path, made: int = 0) -> None:
    """Make ``renames`` (each whose temporary file is still there; the first ``made`` are
    made already), flush their folders, then remove ``journal``."""
    folders = []
    for number, (tmp, path) in enumerate(renames):
        if number >= made and os.path.exists(tmp):
            os.replace(tmp, path)
        folders.append(os.path.dirname(path))
    for folder in dict.fromkeys(folders):
        _sync_folder(folder)
    journal.unlink(missing_ok=True)
    _sync_folder(journal.parent)


def _relative(path: Path, journal: Path) -> str:
    """``path`` as the journal names it: relative to the journal's folder (``../mini/
    services.csv`` from ``.polku/``), so that a copy of the whole folder restored elsewhere
    finishes its own files, never the ones it was copied from."""
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(journal.parent))
    except ValueError:  # another drive (Windows): no relative path exists
        return os.path.abspath(path)


def _inside(path: str, folders: list[str]) -> bool:
    return any(os.path.commonpath([path, f]) == f for f in folders)


def journal_renames(journal: str | Path, within: tuple[str | Path, ...] = ()
                    ) -> list[tuple[str, str]] | None:
    """The renames ``journal`` lists, as absolute (temporary file, file) pairs; None when
    it names a file it may not: one outside the journal's own folder and ``within`` (a
    journal copied from another folder, written before it named its files relatively,
    or edited), or a temporary file that is not the one :func:`write_bytes` puts beside
    its file. ``FileNotFoundError`` when there is no journal.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "j").write_text('["g/.a.csv.1.tmp", "g/a.csv"]\\n["/etc/.p.x.tmp", "/etc/p"]\\n')
    >>> journal_renames(folder / "j") is None
    True
    """
    journal = Path(journal)
    text = journal.read_text(encoding="utf-8")
    base = os.path.abspath(journal.parent)
    folders = [base] + [os.path.abspath(f) for f in within]
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            tmp, path = json.loads(line)
        except (ValueError, TypeError):
            return None
        if not isinstance(tmp, str) or not isinstance(path, str):
            return None
        # relative: to the journal's folder; absolute: a journal of polku 0.1.0
        tmp, path = (os.path.normpath(os.path.join(base, p)) for p in (tmp, path))
        if not _inside(path, folders) or os.path.dirname(tmp) != os.path.dirname(path) or \
                not os.path.basename(tmp).startswith(f".{os.path.basename(path)}."):
            return None
        out.append((tmp, path))
    return out


def finish(journal: str | Path, within: tuple[str | Path, ...] = ()) -> bool:
    """Make the renames a :func:`together` killed among them left in ``journal`` (each
    file whose temporary file is still there), then remove the journal; True when there was
    one. Run it where no other process writes these files (under the graph's write lock).

    Only files in the journal's folder and in ``within`` (the folder of the graph) are
    renamed: a journal naming any other (:func:`journal_renames`) is set aside whole as
    ``NAME.pending.refused``, nothing of it made, and :class:`RefusedJournal` says so."""
    journal = Path(journal)
    try:
        renames = journal_renames(journal, within)
    except FileNotFoundError:
        return False
    if renames is None:
        aside = journal.with_name(journal.name + ".refused")
        os.replace(journal, aside)
        _sync_folder(journal.parent)
        raise RefusedJournal(aside)
    _rename(renames, journal)
    return True


class RefusedJournal(Exception):
    """:func:`finish` found a journal naming files it may not rename, and set it aside at
    ``aside`` (kept, for a person to look at): nothing of it was made."""

    def __init__(self, aside: Path) -> None:
        super().__init__(str(aside))
        self.aside = aside


def _exchange() -> "ctypes._CFuncPtr | None":
    """``renameat2`` of the C library where it has one (Linux): two paths swapped in one
    step."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _swap(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step; False where the system cannot."""
    renameat2 = _exchange()
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # not this file system
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def output_dir(path: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces the folder ``path`` whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _as(path):
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        with _as(path):
            yield tmp
            os.chmod(tmp, _default_mode(directory=True))
            for f in tmp.rglob("*"):
                if f.is_file():
                    _sync_file(f)
            _sync_folder(tmp)
            if path.is_dir() and not path.is_symlink() and _swap(tmp, path):
                pass  # one step: the folder is never missing, even to a process killed
                # in the middle (tmp now holds the old folder, and goes)
            elif path.exists() or path.is_symlink():
                _replace_folder(tmp, path)
            else:
                os.replace(tmp, path)
            _sync_folder(path.parent)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _replace_folder(new: Path, path: Path) -> None:
    """Put the folder ``new`` at ``path`` in two renames, the old folder put back if the
    second fails."""
    old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.old."))
    os.replace(path, old / "x")
    try:
        os.replace(new, path)
    except BaseException:
        os.replace(old / "x", path)
        os.rmdir(old)
        raise
    shutil.rmtree(old, ignore_errors=True)
