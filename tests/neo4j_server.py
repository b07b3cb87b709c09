"""A real Neo4j Community server for the tests and benchmarks, started from tests/neo4j.

``scripts/setup --tests`` builds tests/neo4j (an embedded Neo4j DBMS with the Bolt connector,
from Maven Central) into tests/neo4j/target. :class:`Neo4jServer` starts it on a free
loopback port with a fresh data folder, waits for its ready line and stops it afterwards.
The ``neo4j_server`` fixture (registered by conftest.py) shares one server per test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from processes import free_port, launch, stop

ROOT = Path(__file__).resolve().parent / "neo4j"
TARGET = ROOT / "target"
USER = "neo4j"
PASSWORD = "polku-test-password"
# Start-up on a busy 2-core machine has taken 40 s; leave room.
START_TIMEOUT = 240.0
# Quick to start; the tests care little for peak throughput (benchmarks pass their own).
TEST_JVM_OPTIONS = ("-Xms256m", "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class Neo4jUnavailable(RuntimeError):
    """Java or the built launcher is missing, so no server can be started here."""




def java_command(jvm_options: tuple[str, ...]) -> list[str]:
    """The command line prefix that runs the launcher, or Neo4jUnavailable saying why not."""
    java = shutil.which("java")
    if java is None:
        raise Neo4jUnavailable("no `java` on PATH (install Java 17 and run scripts/setup --tests)")
    jar = TARGET / "launcher.jar"
    if not jar.is_file() or not (TARGET / "lib").is_dir():
        raise Neo4jUnavailable(f"{jar} is not built (run scripts/setup --tests)")
    classpath = os.pathsep.join([str(jar), str(TARGET / "lib" / "*")])
    return [java, *jvm_options, "-cp", classpath, "fi.polku.testserver.Launcher"]


class Neo4jServer:
    """One Neo4j server process: ``with Neo4jServer() as s: s.uri``.

    Authentication is on with user ``neo4j`` and :data:`PASSWORD`, so a wrong password can
    be tested against the same server. ``startup_seconds`` is how long it took to be ready.
    """

    def __init__(self, jvm_options: tuple[str, ...] = TEST_JVM_OPTIONS,
                 data_dir: Path | None = None) -> None:
        self.jvm_options = jvm_options
        self.port = free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.user = USER
        self.password = PASSWORD
        self._own_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="polku-neo4j-"))
        self.process: subprocess.Popen[str] | None = None
        self.startup_seconds: float | None = None
        self._stderr: list[str] = []

    def start(self) -> "Neo4jServer":
        command = java_command(self.jvm_options) + [str(self.data_dir), str(self.port), self.password]
        started = time.monotonic()
        # stdin stays open as a lifeline: if this process dies, the server sees EOF and stops.
        self.process = launch(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not ready or not ready[0].startswith("READY"):
            self.stop()
            tail = "".join(self._stderr[-20:]).strip()
            raise RuntimeError(
                f"Neo4j did not start within {START_TIMEOUT:.0f} s on port {self.port}: {tail}")
        self.startup_seconds = time.monotonic() - started
        return self

    def _drain_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    def stop(self) -> None:
        """Ask the server to shut down cleanly; kill it if it takes too long."""
        stop(self.process)
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "Neo4jServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def neo4j_server():
    """A running Neo4j server for the whole session (skipped without Java, except in CI)."""
    try:
        java_command(TEST_JVM_OPTIONS)
    except Neo4jUnavailable as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Neo4j tests cannot run under CI=true: {e}", pytrace=False)
        pytest.skip(f"Neo4j tests skipped: {e}")
    server = Neo4jServer().start()
    print(f"\nNeo4j server ready at {server.uri} after {server.startup_seconds:.1f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def neo4j_alone(neo4j_server):
    """The session's server with no region in it: for a test that reads every region of the
    database (`neo4j pull --all`, `compare` on a bare URI), which must not depend on what
    the tests before it left there, nor on the order they ran in."""
    from polku.io import neo4jstore as ns

    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    for region in ns.regions(**creds):
        ns.delete_region(**creds, region=region)
    return neo4j_server
