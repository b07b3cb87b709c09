"""The test modules share their helpers instead of copying them: Chromium comes from the
``browser`` fixture (so the test is marked ``browser`` and ``slow``), the CLI from
``helpers.run``, the Neo4j server from the ``neo4j_server`` fixture (marked ``neo4j``), a
free port and the servers' processes from processes.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

#: what a test module must not do itself -> where it lives and how a test gets it
OWN_COPIES = {
    r"sync_playwright\(|chromium\.launch\(":
        ("conftest.py", "use the browser, open_page or file_page fixture"),
    r"CliRunner\(":
        ("helpers.py", "use helpers.run"),
    r"Neo4jServer\(":
        ("neo4j_server.py", "use the neo4j_server fixture"),
    r"KeycloakServer\(":
        ("keycloak_server.py", "use the keycloak_server fixture"),
    r"s\.bind\(\(\"127\.0\.0\.1\", 0\)\)":
        ("processes.py", "use processes.free_port"),
    r"copytree\(\s*MINI\b|\"data\" / \"mini\"":
        ("helpers.py", "use the mini fixture, helpers.copy_mini or helpers.MINI"),
}


@pytest.mark.parametrize("pattern", list(OWN_COPIES))
def test_no_test_module_keeps_its_own_copy(pattern: str) -> None:
    home, advice = OWN_COPIES[pattern]
    found = [f"{path.name}:{number}"
             for path in sorted(HERE.glob("*.py")) if path.name != home
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(pattern, line) and path.name != Path(__file__).name]
    assert found == [], f"{advice} ({home}): {found}"


class FakeItem:
    """What conftest's hook reads of a collected test: its fixtures and its markers."""

    def __init__(self, fixtures: tuple[str, ...], marks: tuple[str, ...] = ()) -> None:
        self.fixturenames = list(fixtures)
        self.marks = set(marks)

    def add_marker(self, name: str) -> None:
        self.marks.add(name)

    def get_closest_marker(self, name: str):
        return name if name in self.marks else None


def test_the_slow_groups_are_marked_by_the_fixtures_they_use(pytestconfig) -> None:
    import conftest

    # a fixture's closure holds what it uses: open_page stands on browser
    page = FakeItem(("tmp_path", "open_page", "browser"))
    neo4j = FakeItem(("server", "neo4j_server"))
    keycloak = FakeItem(("keycloak_server",))
    wheel = FakeItem(("installed",), marks=("wheel",))
    plain = FakeItem(("tmp_path", "mini"))
    conftest.pytest_collection_modifyitems([page, neo4j, keycloak, wheel, plain])
    assert page.marks == {"browser", "slow"}
    assert neo4j.marks == {"neo4j", "slow"}
    assert keycloak.marks == {"keycloak", "slow"}
    assert wheel.marks == {"wheel", "slow"}
    assert plain.marks == set()
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {"slow", "browser", "neo4j", "keycloak", "wheel", "notebook"} <= registered


def test_a_launched_server_stops_when_the_suite_is_killed(tmp_path: Path) -> None:
    """A suite killed with SIGKILL runs no finaliser: what it launched must stop by itself
    (Keycloak's kc.sh forwards the SIGTERM to its Java; a shell stands in for it here)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "server.pid"
    suite = subprocess.Popen([sys.executable, "-c", f"""
import subprocess, sys, time
sys.path.insert(0, {str(HERE)!r})
from processes import launch
launch(["sh", "-c", "trap 'exit 0' TERM; echo $$ > {pid_file}; while :; do sleep 0.1; done"])
time.sleep(600)
"""])
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text().strip()):
            assert time.monotonic() < deadline, "the server never started"
            time.sleep(0.05)
        server = int(pid_file.read_text())
        os.kill(server, 0)  # it runs
        suite.send_signal(signal.SIGKILL)
        suite.wait()
        deadline = time.monotonic() + 10
        while True:
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                break  # gone (its parent, now init, reaped it)
            if Path(f"/proc/{server}/stat").read_text().split()[2] == "Z":
                break  # ended, not yet reaped
            assert time.monotonic() < deadline, "the server outlived the killed suite"
            time.sleep(0.05)
    finally:
        if suite.poll() is None:
            suite.kill()
