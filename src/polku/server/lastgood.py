"""A graph's last good version, kept on disk for every server process over one folder.

Each process of ``polku serve --workers N`` (and each server over one folder) holds its own
copy of a graph. When the source breaks (a half-saved sheet), each serves the last version
*it* read, and a process that had not read since another one's write would serve the
version before that write: an acknowledged edit would vanish for some readers. So every
version a process reads or writes whole is also kept in ``.polku/NAME.last-good.zip``
beside the change log: the source's files as they were, byte for byte (the ETag is their
keyed hash, so it is the same for every process), and a process that finds the source
broken serves the version kept there, whichever process put it there.

The zip is written atomically and only while the source's files are still the ones it
holds (checked under ``NAME.last-good.lock``): a slow reader never puts an older version
over a newer one. A write's zip is one file of the write itself, made from the files it
writes and renamed with them (:meth:`polku.server.store.GraphStore._keeping`): a write
whose copy cannot be kept is refused, never acknowledged without it. Its comment says the source and the ETag:
``{"format": 1, "source": "keski-uusimaa", "etag": "…"}``; it is its owner's alone, as the
sheets themselves hold the true figures. ``unzip`` gives the files back (a broken sheet can
be restored from it by hand).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> keep(folder / "g.last-good.zip", "g", "e1", [("services.csv", b"id\\n")])
>>> kept = read(folder / "g.last-good.zip", "g")
>>> kept.etag, kept.files
('e1', (('services.csv', b'id\\n'),))
>>> read(folder / "g.last-good.zip", "g.ttl") is None  # kept for another source
True
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from polku.io import atomic

#: the layout of the zip's comment; a newer one is not read
FORMAT = 1


@dataclass(frozen=True)
class Kept:
    """A kept version: the source it was read from (:func:`polku.ops.changelog.source_label`),
    its ETag and its files (name, bytes), in the order the source lists them."""
    source: str
    etag: str
    files: tuple[tuple[str, bytes], ...]


def path_of(folder: Path, name: str) -> Path:
    """Where the last good version of graph ``name`` is kept: beside its change log.

    >>> path_of(Path(".polku"), "mini").as_posix()
    '.polku/mini.last-good.zip'
    """
    return folder / f"{name}.last-good.zip"


def keep(path: Path, source: str, etag: str, files: Sequence[tuple[str, bytes]]) -> None:
    """Keep ``files`` (the version ``etag`` of ``source``) in ``path``, atomically and
    readable by its owner alone. ``OSError`` when it cannot be written."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.comment = json.dumps({"format": FORMAT, "source": source, "etag": etag}).encode()
        for name, content in files:
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content,
                       compress_type=zipfile.ZIP_DEFLATED)
    atomic.write_bytes(path, data.getvalue(), private=True)


def etag_of(path: Path, source: str) -> str | None:
    """The ETag of the version kept in ``path`` for ``source`` (its comment read, not its
    files); None when none is kept for it."""
    try:
        with zipfile.ZipFile(path) as z:
            said = json.loads(z.comment or b"{}")
    except (OSError, ValueError, zipfile.BadZipFile):
        return None
    if not isinstance(said, dict) or said.get("format") != FORMAT or \
            said.get("source") != source or not isinstance(said.get("etag"), str):
        return None
    return said["etag"]


def read(path: Path, source: str) -> Kept | None:
    """The version kept in ``path`` for ``source``; None when there is none (no file, one
    polku cannot read, or one kept for another source of the same name)."""
    etag = etag_of(path, source)
    if etag is None:
        return None
    try:
        with zipfile.ZipFile(path) as z:
            files = tuple((i.filename, z.read(i)) for i in z.infolist()
                          if "/" not in i.filename and not i.filename.startswith("."))
    except (OSError, ValueError, zipfile.BadZipFile):
        return None
    return Kept(source, etag, files)


@contextmanager
def unpacked(kept: Kept, folder: bool) -> Iterator[Path]:
    """The kept files in a temporary place named as the source (``keski-uusimaa/`` holding
    the sheets when ``folder``, else the one file ``keski-uusimaa.ttl``), for the readers
    that read paths; gone after the block."""
    with tempfile.TemporaryDirectory(prefix="polku-last-good.") as tmp:
        location = Path(tmp) / kept.source
        if folder:
            location.mkdir()
            for name, content in kept.files:
                (location / name).write_bytes(content)
        else:
            location.write_bytes(kept.files[0][1] if kept.files else b"")
        yield location
