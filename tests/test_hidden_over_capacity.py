"""An over-capacity finding about a service whose inflow is hidden from the public (a
referral into it has a small volume, left out) says *at least* the published part of its
inflow, as the bottleneck ranking's row of the same service does (``docs/workbook.md``,
"Privacy"): ``"hidden": true`` and ``inflow_at_least`` in its metrics, and "at least 8"
in its sentence on every door. Before, the finding said only that the inflow was not
shown, while ``/bottlenecks`` beside it said ``"inflow_at_least": 8``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini, run
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
KEY = "over-capacity:ylit"


def overloaded(dest: Path) -> Path:
    """Mini with ``ylit`` (capacity 7) fed by 8 clients a month (published) and 2 (a
    small cell, left out for the public): over its capacity either way."""
    wb = copy_mini(dest)
    with open(wb / "services.csv", "a", encoding="utf-8") as f:
        f.write("ylit,Ylityö,keusote,7,,ei,tyokyky,,,,,\n")
    with open(wb / "referrals.csv", "a", encoding="utf-8") as f:
        f.write("r3,alkuhaastattelu,ylit,nuoret,8,,keusote,yes\n"
                "r4,kuntouttava,ylit,nuoret,2,,keusote,yes\n")
    return wb


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    overloaded(tmp_path / "graphs" / "ylit")
    return TestClient(create_app([tmp_path / "graphs"], parse_tokens(f"anna:{TOKEN}")),
                      raise_server_exceptions=False)


def finding(answer: dict) -> dict:
    return next(f for f in answer["findings"] if f["key"] == KEY)


def test_the_public_finding_says_at_least_the_published_inflow(client: TestClient) -> None:
    public = finding(client.get("/api/graphs/ylit/findings", params={"lang": "en"}).json())
    assert public["metrics"] == {"inflow": None, "capacity": 7, "utilization": None,
                                 "hidden": True, "inflow_at_least": 8,
                                 "utilization_at_least": 1.14}
    assert "at least 8 clients a month" in public["message"], public["message"]
    assert "capacity of 7" in public["message"]
    # the same bound as the bottleneck ranking's row of the service
    ranking = client.get("/api/graphs/ylit/bottlenecks").json()
    row = next(r for r in ranking["by_flow"] if r["service"] == "ylit")
    assert row["hidden"] is True and row["inflow_at_least"] == 8
    beside = next(f for f in ranking["findings"] if f["kind"] == "over-capacity")
    assert beside["metrics"]["hidden"] is True and beside["metrics"]["inflow_at_least"] == 8
    # Finnish and Swedish say it too
    for lang, words in (("fi", "vähintään 8"), ("sv", "minst 8")):
        said = finding(client.get("/api/graphs/ylit/findings",
                                  params={"lang": lang}).json())["message"]
        assert words in said.replace("\xa0", " "), said
    # the editor reads the true inflow and no bound
    editor = finding(client.get("/api/graphs/ylit/findings", params={"lang": "en"},
                                headers=EDITOR).json())
    assert editor["metrics"] == {"inflow": 10, "capacity": 7, "utilization": 1.43}
    assert "takes in 10 clients a month" in editor["message"]


def test_the_public_page_says_at_least(client: TestClient) -> None:
    page = client.get("/graphs/ylit", params={"lang": "en"}).text
    assert "at least 8 clients a month" in page
    assert "more clients a month than its capacity" not in page
    report = client.get("/graphs/ylit/report", params={"lang": "en"}).text
    assert "at least 8 clients a month" in report


def test_the_command_line_for_others_says_at_least(tmp_path: Path) -> None:
    wb = overloaded(tmp_path / "ylit")
    r = run("bottlenecks", wb, "--suppress", "--lang", "en")
    assert r.exit_code == 0, r.output
    line = next(x for x in r.stdout.splitlines() if "over capacity" in x)
    assert "at least 8 clients a month" in line, line
    data = json.loads(run("bottlenecks", wb, "--suppress", "--format", "json").stdout)
    metrics = next(f for f in data["findings"]
                   if f["kind"] == "over-capacity" and f["subject"] == "ylit")["metrics"]
    assert metrics["hidden"] is True and metrics["inflow_at_least"] == 8
    # the report goes to others by default
    assert run("report", wb, "-o", tmp_path / "r.md", "--quiet", "--lang",
               "en").exit_code == 0
    assert "at least 8 clients a month" in (tmp_path / "r.md").read_text(encoding="utf-8")
    # the owner's own answer: the true figure
    own = run("bottlenecks", wb, "--no-suppress", "--lang", "en").stdout
    assert "takes in 10 clients a month" in own and "at least" not in own.split(
        "Bottleneck findings")[1]
