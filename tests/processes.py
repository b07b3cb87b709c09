"""How the suite starts and stops the servers it needs (Neo4j, Keycloak, ``polku serve``:
:func:`polku_serve`).

A server is started in a session of its own (so that stopping it stops what it started,
as Keycloak's ``kc.sh`` starts Java) and, on Linux, is told by the kernel to stop when the
test process dies: a suite killed with SIGKILL (a CI timeout, an impatient developer) must
not leave a gigabyte of Java listening on a port.

>>> import sys
>>> p = launch([sys.executable, "-c", "import time; time.sleep(60)"])
>>> stop(p)
>>> p.poll() is not None
True
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

# prctl(2): "send me this signal when my parent dies"
_PR_SET_PDEATHSIG = 1
# looked up before any fork: the child between fork and exec should only make the call
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """Run in the child between fork and exec: SIGTERM when the parent dies. The setting
    survives exec; a launcher script that forwards SIGTERM (kc.sh does) stops its Java."""
    assert _PRCTL is not None
    if _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def launch(command: Sequence[str], **popen: Any) -> subprocess.Popen:
    """``subprocess.Popen(command, **popen)`` in a new session that ends with this process
    (on Linux; elsewhere it only gets its own session)."""
    if _PRCTL is not None:
        popen["preexec_fn"] = _die_with_parent
    return subprocess.Popen(list(command), start_new_session=True, **popen)


def stop(process: subprocess.Popen | None, wait: float = 30.0) -> None:
    """Stop ``process`` and everything in its session: SIGTERM, then SIGKILL after
    ``wait`` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def workers_of(pid: int) -> list[int]:
    """The uvicorn worker processes under the server process ``pid`` (Linux)."""
    from pathlib import Path

    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
            found.append(child)
    return found


class Served(str):
    """A running ``polku serve``: its base URL (tests join paths to it) and ``pid``, the
    server process (:func:`workers_of` finds its workers)."""
    pid: int
    output: Any

    def said(self) -> str:
        """What the server has written so far (stdout and stderr together)."""
        size = os.fstat(self.output.fileno()).st_size
        return os.pread(self.output.fileno(), size, 0).decode("utf-8", "replace")


@contextmanager
def polku_serve(*args: str, env: dict[str, str] | None = None, workers: int = 1,
                timeout: float = 180.0) -> Iterator[Served]:
    """``polku serve ARGS --port P --workers N`` of this checkout in a process of its own
    until the block ends; yields its base URL (:class:`Served`) once it answers and, with
    several workers, once every worker has said its application started (``--access-log``
    is added for that line: a worker process that exists may still be importing, and the
    first worker alone would answer every request a test meant for all of them)."""
    import time
    import urllib.request
    from pathlib import Path

    import polku

    if workers > 1 and "--access-log" not in args:
        args = (*args, "--access-log")
    port = free_port()
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(Path(polku.__file__).parents[1])}
    # its output to a file (a pipe nobody reads would stop it once full), shown at exit
    output = tempfile.TemporaryFile()
    server = launch([sys.executable, "-c", "from polku.cli import main; main()", "serve",
                     *args, "--port", str(port), "--workers", str(workers)], env=env,
                    stdout=output, stderr=subprocess.STDOUT)
    base = Served(f"http://127.0.0.1:{port}")
    base.pid = server.pid
    base.output = output
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert server.poll() is None, "polku serve stopped"
            try:
                with urllib.request.urlopen(base + "/api/graphs", timeout=30) as r:
                    started = base.said().count("Application startup complete")
                    if r.status == 200 and (workers == 1 or started >= workers):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "polku serve did not start"
            time.sleep(0.3)
        yield base
    finally:
        stop(server)
        output.seek(0)
        said = output.read().decode("utf-8", "replace")
        output.close()
        if said.strip():
            print(f"polku serve {' '.join(args)} said:\n{said}")  # shown when a test fails
