"""A what-if's capacity is held to the range a workbook's capacity is (``polku.bounds``:
0, or 0.01 to 100,000 clients a month). Before, ``polku whatif --capacity s=1e-300`` (and
the API, the page, the Python API) took a capacity above 0 that the workbook refuses, and
answered a modelled utilisation of 1.6e+303 %; it is now refused on every door with the
option named as data (``field``)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, copy_mini, run
from polku.app import create_app
from polku.errors import PolkuError

pytestmark = pytest.mark.usefixtures("english_cli")

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("graphs")
    copy_mini(folder / "mini")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder]), raise_server_exceptions=False)


@pytest.mark.parametrize("value, shown", [("1e-300", "1e-300"), ("0,001", "0.001"),
                                          ("0.009", "0.009")])
def test_the_command_line_refuses_a_capacity_the_workbook_refuses(mini: Path, value: str,
                                                                   shown: str) -> None:
    r = run("whatif", mini, "--capacity", f"kuntouttava={value}")
    assert r.exit_code == 1 and r.stdout == "", r.output
    assert f"--capacity: capacity of 'kuntouttava': more than 0 but less than 0.01 a " \
           f"month, not {shown}" in r.stderr, r.stderr
    assert "e+30" not in r.output


@pytest.mark.parametrize("value", ["0", "0.01", "100000"])
def test_the_bounds_themselves_are_taken(mini: Path, value: str) -> None:
    r = run("whatif", mini, "--capacity", f"kuntouttava={value}", "--format", "json")
    assert r.exit_code == 0, r.output


def test_the_api_refuses_it_naming_the_field(client: TestClient) -> None:
    r = client.get("/api/graphs/mini/whatif", params={"capacity": "kuntouttava=1e-300",
                                                      "lang": "en"})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["field"] == "capacity", error
    assert "more than 0 but less than 0.01" in r.text and "e+30" not in r.text


def test_the_page_refuses_it_on_the_row_of_the_service(client: TestClient) -> None:
    r = client.get("/graphs/keski-uusimaa/whatif",
                   params={"segment": "seg-nuoret", "service": "tyokokeilu",
                           "capacity": "0,001", "lang": "en"}, headers=HTML)
    assert r.status_code == 400
    alert = re.search(r'<p class="error" role="alert" id="whatif-error" data-field="(\w+)">'
                      r"([^<]*)</p>", r.text)
    assert alert and alert.group(1) == "capacity", r.text[-2000:]
    assert unescape(alert.group(2)) == "capacity of 'tyokokeilu': more than 0 but less " \
                                       "than 0.01 a month, not 0.001 (a typo? 0 is a " \
                                       "service that takes in no one)"


def test_the_python_api_refuses_it(mini: Path) -> None:
    import polku
    from polku.ops.operations import Queueing, answer

    with pytest.raises(PolkuError) as e:
        answer(Queueing(capacity={"kuntouttava": 1e-300}), polku.load(mini))
    assert e.value.field == "capacity" and e.value.node == "kuntouttava"


def test_it_is_worded_in_the_readers_language(mini: Path) -> None:
    r = run("whatif", mini, "--capacity", "kuntouttava=0,001", "--lang", "fi")
    said = r.stderr.replace("\u00a0", " ")
    assert r.exit_code == 1 and "0,01" in said and "0,001" in said, said
    assert "less than" not in said
