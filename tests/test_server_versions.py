"""What the server keeps per graph version so that writes and readers under load cost little
(issue 16's server benchmark), without giving up what a write guarantees: the sheets read
once per version, the shapes checked on what a write changes, the first write prepared for,
and readers without a credential answered without a trip to the thread pool."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, copy_mini
from polku.app import create_app
from polku.server.auth import Tokens
from polku.server.contract import ApiError
from polku.server.store import GraphStore

TOKEN = "versions-test-token-0123456789"


def served(tmp_path: Path, source: Path | None = None) -> tuple[GraphStore, str]:
    if source is None:
        copy_mini(tmp_path / "g")
    else:
        shutil.copytree(source, tmp_path / "g")
    return GraphStore([tmp_path]), "g"


def test_the_sheets_of_a_version_are_read_once(tmp_path):
    store, name = served(tmp_path)
    first, entry = store.sheets(name)
    again, _ = store.sheets(name)
    assert again is first  # kept with the version
    service = first["services"][1][0]["id"]
    result = store.edit(name, entry.etag, "anna", "update", "services", service,
                        {"capacity_per_month": "77"})
    after, _ = store.sheets(name)
    assert after is not first  # a write makes a new version, read again
    row = next(r for r in after["services"][1] if r["id"] == service)
    assert row["capacity_per_month"] == "77"
    assert first["services"][1][0].get("capacity_per_month") != "77"  # never changed in place
    # a change to the files by anyone else is read too
    time.sleep(0.01)
    csv = tmp_path / "g" / "services.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",77,", ",78,", 1), encoding="utf-8")
    row = next(r for r in store.sheets(name)[0]["services"][1] if r["id"] == service)
    assert row["capacity_per_month"] == "78"
    assert result["etag"] != store.entry(name).etag


def test_writes_check_the_shapes_on_what_they_change_and_still_refuse(tmp_path, monkeypatch):
    store, name = served(tmp_path, EXAMPLE)
    store.prepare_writes()
    entry = store.entry(name)
    assert entry.conforming is not None and entry.conforming[0] is entry.graph
    from polku.io import shapes

    whole = []
    monkeypatch.setattr(shapes, "conforms", lambda *a, **k: whole.append(1) or True)
    store.edit(name, entry.etag, "anna", "update", "services", "ips",
               {"capacity_per_month": "31"})
    assert not whole  # the first write too looked only at what it changed
    assert entry.conforming[0] is entry.graph  # kept for the next write
    monkeypatch.undo()
    # what the shapes refuse is refused as before (pyshacl's words), and nothing is written
    etag, kept = entry.etag, entry.conforming
    with pytest.raises(ApiError) as refused:
        store.edit(name, entry.etag, "anna", "update", "referrals", "ref-alku-ohjaamo",
                   {"to": "alkuhaastattelu"})
    assert refused.value.status == 422
    assert "a referral cannot go from a service to itself" in str(refused.value.cause)
    assert store.entry(name).etag == etag and entry.conforming is kept


def test_a_reader_without_a_credential_and_one_with_a_token(tmp_path):
    copy_mini(tmp_path / "g")
    client = TestClient(create_app([tmp_path], Tokens({"anna": TOKEN})))
    segment = client.get("/api/graphs/g/rows/segments").json()["rows"][0]
    editor = client.get("/api/graphs/g/rows/segments",
                        headers={"Authorization": f"Bearer {TOKEN}"}).json()["rows"][0]
    assert segment["key"] == editor["key"]
    # a bearer that is not valid reads as the public on a page, as before
    page = client.get("/graphs/g", headers={"Authorization": "Bearer not-a-token"})
    assert page.status_code == 200
    assert client.get("/graphs/g?lang=sv").status_code == 200
    assert client.get("/graphs/g?lang=xx").status_code == 400


def test_a_settled_server_stays_settled():
    """What a server froze at start is not handed back to the collector by the pauses of
    the analyses it runs later (``gc_paused`` hands over its allocations otherwise)."""
    import subprocess
    import sys

    code = ("import gc\nfrom polku.gcpause import settle, gc_paused\nsettle()\n"
            "frozen = gc.get_freeze_count()\nwith gc_paused():\n    x = [[i] for i in range(9)]\n"
            "assert gc.isenabled() and gc.get_freeze_count() == frozen > 0\n"
            "with gc_paused():\n    pass\nprint('ok')\n")
    import os

    from helpers import ROOT

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src")] + [p for p in [os.environ.get("PYTHONPATH")] if p])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "ok", out.stderr


def test_kept_answers_follow_the_version(tmp_path):
    """The findings and the page a version keeps are sent again as they were (from the
    event loop), and a change to the source by anyone is served at once."""
    copy_mini(tmp_path / "g")
    client = TestClient(create_app([tmp_path], Tokens({"anna": TOKEN})))
    for path in ("/api/graphs/g/findings?lang=en", "/graphs/g?lang=fi"):
        first, again = client.get(path), client.get(path)
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
    before = client.get("/api/graphs/g/findings?lang=en")
    csv = tmp_path / "g" / "services.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "uusi,Uusi palvelu,,,,\n", encoding="utf-8")
    after = client.get("/api/graphs/g/findings?lang=en")
    assert after.headers["etag"] != before.headers["etag"]
    assert "uusi" in after.text and "uusi" not in before.text
    assert "uusi" in client.get("/graphs/g?lang=fi").text
