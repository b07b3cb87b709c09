"""Errors carry the parameter they are about as data (``PolkuError.field``): every door maps
it to the API's ``field`` or the page's marked form field, and no door reads a message to
learn what was wrong."""

from __future__ import annotations

import json
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


def test_a_nested_bodys_problem_names_its_place_and_quotes_the_value_as_json(
        tmp_path) -> None:
    """A problem inside a body is named by its whole place (``files[0].text``, as data
    in ``field`` and in the message), a count is said in its singular or plural, and a
    value the body sent is quoted as JSON says it (``null``, not Python's ``None``)."""
    from helpers import copy_mini, etag_of
    from polku.server.auth import parse_tokens

    copy_mini(tmp_path / "mini")
    token = "anna-token-0123456789"
    client = TestClient(create_app([tmp_path], parse_tokens(f"anna:{token}")),
                        raise_server_exceptions=False)
    compare = "/api/graphs/mini/ptv/compare"

    def refused(method: str, url: str, body: object, lang: str = "en",
                headers: dict[str, str] | None = None) -> tuple[str, str]:
        # the body as JSON text, null too (``json=None`` would send no body at all)
        r = client.request(method, url, params={"lang": lang}, content=json.dumps(body),
                           headers={**(headers or {}), "Content-Type": "application/json"})
        assert r.status_code == 400, r.text
        error = r.json()["error"]
        assert error["message"].startswith(error["field"] + ":"), error
        return error["field"], error["message"]

    cases: list[tuple[object, str, str]] = [
        ({"files": [{"name": "a.json"}]}, "files[0].text",
         "files[0].text: this parameter is needed"),
        ({"files": [{"name": "a.json", "text": "[]"}, {"text": "[]"}]}, "files[1].name",
         "files[1].name: this parameter is needed"),
        ({"files": [{"name": "", "text": "[]"}]}, "files[0].name",
         "files[0].name: too short, at least 1 character"),
        ({"files": [{"name": "x" * 256, "text": "[]"}]}, "files[0].name",
         "files[0].name: too long, at most 255 characters"),
        ({"files": [{"name": "a.json", "text": None}]}, "files[0].text",
         "files[0].text: a text is needed here, not null"),
        ({"files": [{"name": "a.json", "text": True}]}, "files[0].text",
         "files[0].text: a text is needed here, not true"),
        ({"files": [{"name": "a.json", "text": "[]"}], "municipality": ["091", 92]},
         "municipality[1]", "municipality[1]: a text is needed here, not 92"),
        ({"files": "a.json"}, "files", "files: a list is needed here, not 'a.json'"),
        ({"files": []}, "files", "files: too few, at least 1"),
        (None, "body", "body: a JSON object is needed here, not null"),
    ]
    for body, field, message in cases:
        assert refused("POST", compare, body) == (field, message), body
    said = refused("POST", compare, {"files": [{"name": "", "text": "[]"}]}, "fi")
    assert said == ("files[0].name", "files[0].name: liian lyhyt, vähintään 1 merkki")
    said = refused("POST", compare, {"files": [{"name": "a", "text": None}]}, "sv")
    assert said[0] == "files[0].text" and said[1].endswith("null") and "None" not in said[1]

    auth = {"Authorization": f"Bearer {token}", "If-Match": etag_of(client)}
    row = "/api/graphs/mini/rows/services/kuntouttava"
    assert refused("PATCH", row, None, headers=auth) == (
        "body", "body: a JSON object is needed here, not null")
    assert refused("PATCH", row, None, "fi", headers=auth) == (
        "body", "body: tähän tarvitaan JSON-olio, ei null")
    # a cell's value of no type a cell takes: the column named (not the type it was
    # tried as), a list's member by its place
    assert refused("PATCH", row, {"capacity_per_month": {"a": 1}}, headers=auth) == (
        "capacity_per_month", "capacity_per_month: a text is needed here, not {…}")
    assert refused("PATCH", row, {"segments": ["nuoret", 3]}, headers=auth)[0] == \
        "segments[1]"
    pick = refused("POST", "/api/graphs/mini/ptv/apply",
                   {"files": [{"name": "a", "text": "[]"}], "pick": [1, "x"]}, headers=auth)
    assert pick == ("pick[1]", "pick[1]: 'x' is not a whole number")
    # a query parameter is named as before
    r = client.get("/api/graphs/mini/bottlenecks", params={"top": "x", "lang": "en"})
    assert r.json()["error"]["field"] == "top"
