"""Errors carry the parameter they are about as data (``PolkuError.field``): every door maps
it to the API's ``field`` or the page's marked form field, and no door reads a message to
learn what was wrong."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, ROOT
from polku.app import create_app
from polku.errors import PolkuError
from polku.io.load import load_graph

SRC = ROOT / "src" / "polku"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app([MINI]), raise_server_exceptions=False)


@pytest.mark.parametrize("url, field", [
    ("/api/graphs/mini/paths?segment=nope", "segment"),
    ("/api/graphs/mini/paths?segment=nuoret&to=kuntouttava", "to"),
    ("/api/graphs/mini/whatif?remove=nuoret", "remove"),
    ("/api/graphs/mini/whatif?capacity=kuntouttava=lots", "capacity"),
    ("/api/graphs/mini/whatif?capacity=nuoret=3", "capacity"),
    ("/api/graphs/mini/whatif?places=kuntouttava=0", "places"),
    ("/api/graphs/mini/whatif?demand=kuntouttava=x", "demand"),
    ("/api/graphs/mini/findings?lang=de", "lang"),
    ("/graphs/mini/view?view=ecosystem&focus=nope", "focus"),
    ("/graphs/mini/view?view=nope", "view"),
    ("/graphs/mini/view?view=segment:nope", "view"),
    ("/graphs/mini/table?view=ecosystem&focus=nope", "focus"),
    ("/graphs/mini/raci?subjects=nope", "subjects"),
])
def test_a_bad_parameter_is_named_in_field(client: TestClient, url: str, field: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == field, r.json()


def test_the_analyses_raise_with_the_field() -> None:
    from polku.analyses.paths import paths_report
    from polku.analyses.queues import queue_changes
    from polku.present.i18n import check_lang

    g = load_graph(MINI)
    cases = [(lambda: paths_report(g, "nope"), "segment"),
             (lambda: paths_report(g, "nuoret", to="alkuhaastattelu"), "to"),
             (lambda: queue_changes([], ["a=x"], []), "places"),
             (lambda: queue_changes([], [], ["a=+x%"]), "demand"),
             (lambda: check_lang("xx"), "lang")]
    for call, field in cases:
        with pytest.raises(PolkuError) as caught:
            call()
        assert caught.value.field == field


def test_no_door_reads_a_message_to_find_the_field() -> None:
    doors = [*sorted((SRC / "cli").glob("*.py")), SRC / "app.py", *sorted((SRC / "server").glob("*.py"))]
    pattern = re.compile(r'startswith\(f"--|in e\.message|e\.node ==|\w+ in \w+\.message')
    found = [f"{p.name}:{n}" for p in doors
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert not found, found


def test_a_refused_number_is_told_as_the_reader_writes_numbers() -> None:
    """``nan`` is not a number (it was "too large"), and a bound reads as the language
    writes numbers: 1 000 000 in Finnish, 1,000,000 in English."""
    from pathlib import Path

    from fastapi.testclient import TestClient

    from polku.app import create_app

    client = TestClient(create_app([Path(__file__).resolve().parents[1] / "graphs"]))

    def said(value: str, lang: str) -> str:
        r = client.get("/api/graphs/keski-uusimaa/findings",
                       params={"long_wait_days": value, "lang": lang})
        assert r.status_code == 400 and r.json()["error"]["field"] == "long_wait_days"
        return r.json()["error"]["message"].replace("\u00a0", " ").replace("\u202f", " ")

    assert said("nan", "fi") == "long_wait_days: 'nan' ei ole luku"
    assert said("5000000", "fi").endswith("enintään 1 000 000")
    assert said("5000000", "en").endswith("at most 1,000,000")
