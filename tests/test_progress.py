"""Long commands show what they are doing on a terminal, and nothing when piped or --quiet.

The command runs as a user runs it: the real console script, its stderr on a
pseudo-terminal (or a pipe), and what reaches that terminal is read back.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

ROOT = Path(__file__).resolve().parents[1]
POLKU = Path(sys.executable).parent / "polku"
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"


def run_on_terminal(*args: str) -> tuple[int, str]:
    """Run polku with stderr on a pseudo-terminal; its exit status and what it drew."""
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen([str(POLKU), *args], stdout=subprocess.PIPE, stderr=follower,
                            env=env, cwd=ROOT)
    os.close(follower)
    drawn = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower closed: the command is done
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    proc.stdout.read()
    return proc.wait(), drawn.decode("utf-8", "replace")


@pytest.mark.slow  # the real command on a pseudo-terminal, three times
@pytest.mark.parametrize("args, step", [
    (("import", str(EXAMPLE), "-o", "{tmp}/region.ttl"), "checking the SHACL shapes"),
    (("validate", str(EXAMPLE)), "checking the SHACL shapes"),
    (("report", str(ROOT / "graphs" / "keski-uusimaa.ttl"), "-o", "{tmp}/report.html"),
     "drawing the segment views"),
])
def test_long_commands_show_their_steps_on_a_terminal(tmp_path: Path, args, step) -> None:
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    status, drawn = run_on_terminal(*args)
    assert status == 0, drawn
    assert step in drawn
    status, drawn = run_on_terminal(*args, "--quiet")
    assert status == 0, drawn
    assert step not in drawn and drawn.strip() == ""


def test_piped_output_carries_no_progress(tmp_path: Path) -> None:
    r = subprocess.run([str(POLKU), "import", str(EXAMPLE), "-o", str(tmp_path / "r.ttl")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.startswith("wrote ")


@pytest.mark.slow  # the real command on a pseudo-terminal
@pytest.mark.parametrize("lang, steps", [
    ("fi", ["luetaan keski-uusimaa", "tarkistetaan SHACL-muodot"]),
    ("sv", ["keski-uusimaa läses", "SHACL-formerna kontrolleras"]),
])
def test_the_steps_read_in_the_readers_language(tmp_path: Path, lang: str, steps) -> None:
    """The library names its steps as catalogued phrases; the terminal shows them in the
    reader's language (they were English whatever --lang said)."""
    status, drawn = run_on_terminal("import", str(EXAMPLE), "-o", str(tmp_path / "r.ttl"),
                                    "--lang", lang)
    assert status == 0, drawn
    assert all(step in drawn for step in steps), drawn
    assert "checking the SHACL shapes" not in drawn and "reading " not in drawn
