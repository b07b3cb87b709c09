"""Sessions that ended before their cookie did: signed out, or ended at the provider.

The web UI's session is a sealed cookie (:mod:`polku.server.oidc`) that any server process
holding the session secret accepts until it expires: nothing is kept per session. To end
one sooner (the person signs out, and a copy of the cookie must stop working too; the
identity provider ends the person's session and says so by a back-channel logout, or
refuses the session's refresh token when it is checked again, :mod:`polku.server.recheck`),
the server remembers what has ended, in a small file beside what it
already keeps (``.polku/sessions.ended.json``) so that every worker of ``polku serve
--workers N`` and every server over the same folder agrees:

- each entry is a keyed hash of what ended — ``session`` (polku's own session id, the
  cookie's ``jti``), ``sid`` (the provider's session id) or ``sub`` (the person) — with the
  time it ended (``at``) and the time after which no cookie it could end is still valid
  (``until``). A session is ended when one of its three names has an entry ended at or
  after the session began, so a person ended by ``sub`` who signs in again later has a
  session again. The hash is keyed by the session secret: the file names no person, and
  an entry means nothing to another deployment;
- the file is rewritten whole, atomically (:mod:`polku.io.atomic`), under its own file
  lock (``sessions.ended.lock``), and entries whose ``until`` has passed are dropped then;
- a reader looks at the file's size, time and inode and reads it again only when they
  changed (and at least every few seconds), so judging a cookie costs one ``stat``;
- where the folder cannot be written (a read-only deployment), an ending is kept by this
  process alone, and said in the log.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> ended = EndedSessions(folder / "sessions.ended.json", b"secret-of-the-test", clock=lambda: 1000)
>>> session = {"jti": "s1", "sub": "kaisa", "iat": 990, "exp": 2000}
>>> ended.ended(session)
False
>>> ended.end([("session", "s1")], until=2000)
>>> ended.ended(session), EndedSessions(folder / "sessions.ended.json",
...                                     b"secret-of-the-test").ended(session)
(True, True)
>>> ended.ended({"jti": "s2", "sub": "kaisa", "iat": 995})
False
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from polku.errors import PolkuError, os_problem
from polku.io import atomic
from polku.server.serverlog import ServerLog
from polku.words import N_

#: the file of ended sessions, in the folder the server keeps its change logs in
ENDED_FILE = "sessions.ended.json"
#: seconds a reader trusts the file's stamp before reading it again anyway (an inode reused
#: within one tick of the clock could otherwise hide a write)
REREAD_SECONDS = 5.0
#: seconds a writer waits for another process's write of the file
LOCK_TIMEOUT = 30.0
#: what ends a session: polku's own session id, the provider's session id, the person
KINDS = ("session", "sid", "sub")
#: the claim of the session cookie that holds each
CLAIMS = {"session": "jti", "sid": "sid", "sub": "sub"}


class EndedSessions:
    """The sessions that have ended, shared by every process over ``path`` (None: this
    process alone). ``secret`` keys the hashes (the session secret, which every process
    that accepts the cookies holds). Thread-safe."""

    def __init__(self, path: Path | None, secret: bytes,
                 clock: Callable[[], float] = time.time, said: ServerLog | None = None) -> None:
        self.path = path
        #: the server's log, in its language
        self.said = said or ServerLog(name="polku.server.sessions")
        self.clock = clock
        self._key = hashlib.sha256(b"polku ended sessions\0" + secret).digest()
        self._lock = threading.Lock()
        #: hash -> (ended at, valid until), as last read from the file
        self._read: dict[str, tuple[int, int]] = {}
        self._stamp: object = None
        self._read_at = float("-inf")
        #: what this process ended but could not write down
        self._own: dict[str, tuple[int, int]] = {}

    def _named(self, error: Exception) -> PolkuError:
        """What is wrong with the file, named as the server names its files: relative to
        the served folder (``.polku/sessions.ended.json``)."""
        assert self.path is not None
        file = os.path.join(self.path.parent.name, self.path.name)
        if isinstance(error, OSError):
            return os_problem(error, file)
        return PolkuError(N_("not a list of ended sessions that polku wrote"), params={},
                          file=file)

    def key(self, kind: str, value: str) -> str:
        """The keyed hash an ending of ``kind`` ``value`` is kept under."""
        return hmac.new(self._key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()[:32]

    # -- judging a session ----------------------------------------------------------------
    def ended(self, claims: Mapping[str, Any]) -> bool:
        """Whether the session of the cookie ``claims`` (``jti``, ``sid``, ``sub``, ``iat``)
        has ended: one of its names ended at or after the session began."""
        began = claims.get("iat")
        began = began if isinstance(began, int) else 0
        entries = self._entries()
        for kind in KINDS:
            value = claims.get(CLAIMS[kind])
            if not isinstance(value, str) or not value:
                continue
            key = self.key(kind, value)
            for known in (entries, self._own):
                found = known.get(key)
                if found is not None and found[0] >= began:
                    return True
        return False

    def _entries(self) -> dict[str, tuple[int, int]]:
        """The file's entries: read again only when its stamp changed (or some seconds
        passed); a file that cannot be read keeps the last good reading."""
        if self.path is None:
            return {}
        try:
            st = os.stat(self.path)
            stamp: object = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        except OSError as e:
            self.said.warning(N_("cannot look at the ended sessions ({problem}): the "
                                 "sessions ended so far are kept"), problem=self._named(e))
            return self._read
        now = time.monotonic()
        with self._lock:
            if stamp == self._stamp and now - self._read_at < REREAD_SECONDS:
                return self._read
        read = self._read_file() if stamp is not None else {}
        if read is None:
            return self._read
        with self._lock:
            self._read, self._stamp, self._read_at = read, stamp, now
        return read

    def _read_file(self) -> dict[str, tuple[int, int]] | None:
        """The file's entries, or None when it cannot be read (said in the log)."""
        assert self.path is not None
        try:
            doc = json.loads(self.path.read_bytes())
            return {str(k): (int(v[0]), int(v[1])) for k, v in doc["ended"].items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
            self.said.warning(N_("cannot read the ended sessions ({problem})"),
                              problem=self._named(e))
            return None

    # -- ending sessions ------------------------------------------------------------------
    def end(self, names: Iterable[tuple[str, str]], until: int, began_by: int | None = None
            ) -> None:
        """End every session named by ``names`` ((kind, value) pairs: ``session``, ``sid``
        or ``sub``) that began up to now, or up to ``began_by`` when that is earlier (a
        logout token ends the sessions begun before it was issued: posted again, it ends
        no later sign-in); the entries are kept until ``until`` (when every cookie they
        could end has expired anyway)."""
        now = int(self.clock())
        at = now if began_by is None else min(now, int(began_by))
        fresh = {self.key(kind, value): (at, int(until)) for kind, value in names
                 if kind in KINDS and value}
        if not fresh:
            return
        if self.path is not None:
            try:
                self._write(fresh, now)
                return
            except OSError as e:
                self.said.warning(N_("cannot write the ended sessions ({problem}): only this "
                                     "process knows that they ended"), problem=self._named(e))
        with self._lock:
            self._own = merged(self._own, fresh, now)

    def _write(self, fresh: dict[str, tuple[int, int]], now: int) -> None:
        """Add ``fresh`` to the file under its lock, dropping the entries past their time."""
        from filelock import FileLock

        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path.with_suffix(".lock"), timeout=LOCK_TIMEOUT)
        with lock:
            current = self._read_file()
            if current is None:  # not polku's: what it held is lost, the new ones are not
                current = {}
            entries = merged(current, fresh, now)
            atomic.write_text(self.path, json.dumps(
                {"ended": {k: list(v) for k, v in sorted(entries.items())}},
                separators=(",", ":")) + "\n")
        with self._lock:
            self._stamp = None  # read again by the next judgement


def merged(entries: Mapping[str, tuple[int, int]], fresh: Mapping[str, tuple[int, int]],
           now: int) -> dict[str, tuple[int, int]]:
    """``entries`` and ``fresh`` together (the later ending and the later expiry of a
    name kept twice), without those past their ``until``.

    >>> merged({"a": (5, 10), "b": (1, 3)}, {"a": (7, 9)}, now=4)
    {'a': (7, 10)}
    """
    out = {k: v for k, v in entries.items() if v[1] > now}
    for k, (at, until) in fresh.items():
        if until <= now:
            continue
        old = out.get(k)
        out[k] = (max(at, old[0]), max(until, old[1])) if old else (at, until)
    return out


__all__ = ["ENDED_FILE", "EndedSessions", "merged"]
