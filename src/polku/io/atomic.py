"""Atomic writes: a crash or an error never leaves a half-written file or folder behind."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


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
    """An operating system error about the temporary file or folder beside ``path`` named
    as ``path``: the reader gave that name, never the temporary one (a read-only folder
    refuses the temporary file first, and ``.x.html.k2j9.tmp: permission denied`` names
    nothing they typed)."""
    try:
        yield
    except OSError as e:
        named = Path(e.filename) if isinstance(e.filename, str) else None
        if named is None or not named.name.startswith(f".{path.name}.") or \
                os.path.abspath(named.parent) != os.path.abspath(path.parent):
            raise
        raise OSError(e.errno, e.strerror, str(path)) from None


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it into place."""
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
            os.chmod(tmp, _default_mode())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def write_text(path: str | Path, text: str) -> None:
    """:func:`write_bytes` for UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


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
            os.chmod(tmp, _default_mode())
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


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
            if path.exists():
                old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.old."))
                os.replace(path, old / "x")
                os.replace(tmp, path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
