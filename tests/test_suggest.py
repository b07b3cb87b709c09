"""Verified suggestions: every suggestion, applied through the write API to a copy of the
graph, resolves its finding and creates no error-severity finding (the example region and
random workbooks); the CLI and the API give the same suggestions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from polku.analyses.findings import find
from polku.analyses.suggest import suggest
from polku.app import create_app
from polku.io.workbook import read_workbook, write_workbook
from polku.server.auth import parse_tokens
from helpers import run
from test_findings_property import ecosystems

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
TOKEN = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{TOKEN}")


def apply_through_the_api(source: Path, workdir: Path, suggestion: dict) -> dict:
    """Apply one suggestion's edits to a fresh copy of ``source`` through the HTTP API;
    return the findings document after."""
    served = workdir / "served"
    if served.exists():
        shutil.rmtree(served)
    served.mkdir(parents=True)
    shutil.copytree(source, served / source.name)
    client = TestClient(create_app([served], TOKENS), raise_server_exceptions=False)
    base = f"/api/graphs/{source.name}"
    for edit in suggestion["edits"]:
        etag = client.get(base).headers["etag"]
        headers = {"Authorization": f"Bearer {TOKEN}", "If-Match": etag}
        if edit["action"] == "create":
            r = client.post(f"{base}/rows/{edit['sheet']}", json=edit["row"], headers=headers)
        elif edit["action"] == "update":
            r = client.patch(f"{base}/rows/{edit['sheet']}/{edit['key']}", json=edit["row"],
                             headers=headers)
        else:
            r = client.delete(f"{base}/rows/{edit['sheet']}/{edit['key']}", headers=headers)
        assert r.status_code in (200, 201), (suggestion, r.text)
    return client.get(f"{base}/findings").json()


def check_every_suggestion(source: Path, workdir: Path) -> int:
    g = read_workbook(source)
    before = find(g)
    before_keys = {f.key for f in before}
    offered = suggest(g)
    for s in offered:
        assert s["finding"] in before_keys and s["finding"] in s["resolves"]
        after = apply_through_the_api(source, workdir, s)
        after_keys = {f["key"] for f in after["findings"]}
        assert s["finding"] not in after_keys, s
        new_errors = [f["key"] for f in after["findings"]
                      if f["severity"] == "error" and f["key"] not in before_keys]
        assert new_errors == [], s
        assert sorted(before_keys - after_keys) == s["resolves"]
        assert sorted(after_keys - before_keys) == s["creates"]
    return len(offered)


@pytest.mark.slow
def test_every_suggestion_on_the_example_resolves_its_finding(tmp_path) -> None:
    n = check_every_suggestion(EXAMPLE, tmp_path)
    kinds = {s["finding"].split(":")[0] for s in suggest(read_workbook(EXAMPLE))}
    assert n >= 4
    assert {"referral-without-owner", "over-capacity", "path-broken",
            "segment-without-lead"} <= kinds


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(b=ecosystems())
def test_every_suggestion_on_random_workbooks_resolves_its_finding(tmp_path_factory, b) -> None:
    workdir = tmp_path_factory.mktemp("suggest")
    folder = workdir / "random"
    write_workbook(b.g, folder)
    check_every_suggestion(folder, workdir)


def test_cli_and_api_agree_and_a_bad_key_is_located(tmp_path) -> None:
    r = run(*["suggest", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    api = client.get("/api/graphs/keski-uusimaa/suggestions").json()
    assert api["suggestions"] == cli["suggestions"]
    one = "referral-without-owner:ref-ktt-tyokokeilu"
    r = run(*["suggest", str(EXAMPLE), "--finding", one, "--lang", "en"])
    assert r.exit_code == 0 and "change referrals ref-ktt-tyokokeilu: owner = " in r.stdout
    assert {s["finding"] for s in client.get(
        "/api/graphs/keski-uusimaa/suggestions", params={"finding": one}).json()[
        "suggestions"]} == {one}
    bad = client.get("/api/graphs/keski-uusimaa/suggestions", params={"finding": "nope:x"})
    assert bad.status_code == 404 and bad.json()["error"]["field"] == "finding"
    r = run(*["suggest", str(EXAMPLE), "--finding", "nope:x"])
    assert r.exit_code != 0 and "nope:x" in r.output
    # the JSON is exactly the shape
    for s in cli["suggestions"]:
        assert list(s) == ["finding", "edits", "resolves", "creates"]
        for e in s["edits"]:
            assert list(e) == ["action", "sheet", "key", "row"]
            assert e["action"] in ("create", "update", "delete")


def test_a_limit_gives_the_first_suggestions_of_the_full_answer() -> None:
    """The report asks for one suggestion per decision, for several findings at once: the
    same suggestions as the full answer's first of each, verified no further."""
    g = read_workbook(EXAMPLE)
    full = suggest(g)
    first: dict[str, dict] = {}
    for s in full:
        first.setdefault(s["finding"], s)
    assert suggest(g, limit=1) == list(first.values())
    some = sorted(first)[::2]
    assert suggest(g, among=some, limit=1) == [first[k] for k in first if k in some]
    one = some[0]
    assert suggest(g, finding=one, limit=2) == [s for s in full if s["finding"] == one][:2]
