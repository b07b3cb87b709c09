"""The example region's findings are pinned, so every change to them is deliberate.

If the example region or the analyses change on purpose, regenerate the snapshot with
``scripts/update-snapshots`` (or ``POLKU_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshot_findings.py``)
and review the diff: one finding per line.

The snapshot pins the English messages (``--lang en``): English keeps it readable for every
reviewer, and the kinds, ids and metrics it pins are the same in every language (the
Finnish and Swedish messages are checked in ``tests/test_messages.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import run
from polku.io.atomic import write_text

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshots" / "keski-uusimaa-findings.json"
SOURCES = [ROOT / "graphs" / "keski-uusimaa", ROOT / "graphs" / "keski-uusimaa.ttl"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_example_region_findings_match_the_snapshot(source):
    result = run("findings", source, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    if os.environ.get("POLKU_UPDATE_SNAPSHOTS") == "1" and source == SOURCES[0]:
        write_text(SNAPSHOT, result.stdout)
    assert SNAPSHOT.exists(), "no snapshot yet: run scripts/update-snapshots"
    assert result.stdout == SNAPSHOT.read_text(encoding="utf-8"), (
        "the example region's findings changed; if on purpose, run scripts/update-snapshots "
        "and review the diff")
