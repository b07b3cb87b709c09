"""The what-if's figures are read as the workbook reads a figure a person typed, on every
door: ``1,200`` (or ``2,500``, ``1.200``) reads twelve hundred or 1.2, so it is refused
naming both readings with the option as the field (it was taken as 1.2 on the command
line, from Python, the API and the page, while the workbook refused the same text), and a
whole number of places written ``2,0`` is 2 (it was refused there, taken by the workbook).
Through the real CLI, the real app and :meth:`polku.Queueing.from_options`."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, EXAMPLE_TTL, run
from polku.errors import PolkuError
from polku.present.i18n import error_text, translator

#: what the refusal of 1,200 says, after the service
TWO_READINGS = ("'1,200' is ambiguous: ',' and '.' are the decimal mark, never a thousands "
                "separator; for 1200 write 1200 or 1 200, for 1.2 write 1,2")


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    from polku.app import create_app

    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder]), raise_server_exceptions=False)


@pytest.mark.parametrize("value, whole, fraction", [
    ("1,200", "1200", "1.2"), ("2,500", "2500", "2.5"), ("1.200", "1200", "1.2")])
def test_a_capacity_that_reads_two_ways_is_refused_on_the_command_line(
        value: str, whole: str, fraction: str) -> None:
    r = run("--lang", "en", "whatif", EXAMPLE_TTL, "--capacity", f"ips={value}")
    assert r.exit_code == 1 and r.stdout == "", r.output
    assert f"--capacity: capacity of 'ips': '{value}' is ambiguous: " in r.stderr
    assert f"for {whole} write {whole} or {whole[:-3]} {whole[-3:]}" in r.stderr
    assert f"for {fraction} write" in r.stderr


def test_the_refusal_is_worded_in_finnish_and_swedish() -> None:
    fi = run("--lang", "fi", "whatif", EXAMPLE_TTL, "--capacity", "ips=1,200")
    assert fi.exit_code == 1
    assert fi.stderr.startswith("virhe: --capacity: palvelun 'ips' kapasiteetti: '1,200' "
                                "voi tarkoittaa kahta eri lukua"), fi.stderr
    sv = run("--lang", "sv", "whatif", EXAMPLE_TTL, "--places", "ips=1,200")
    assert sv.exit_code == 1
    assert sv.stderr.startswith("fel: --places: platser på 'ips': '1,200' kan läsas på två "
                                "sätt"), sv.stderr


def test_from_python_the_refusal_names_the_field_and_the_service() -> None:
    from polku import Queueing

    with pytest.raises(PolkuError) as refused:
        Queueing.from_options(capacity=["ips=1,200"])
    e = refused.value
    assert (e.field, e.node) == ("capacity", "ips")
    assert str(e) == f"capacity of 'ips': {TWO_READINGS}"
    assert error_text(e, translator("sv")).startswith("kapaciteten för 'ips': '1,200' kan "
                                                      "läsas på två sätt")
    # one reading: taken as the workbook takes it
    assert Queueing.from_options(capacity=["ips=1 200", "tyokokeilu=0,125"]).capacity == {
        "ips": 1200, "tyokokeilu": 0.125}


@pytest.mark.parametrize("query, field, message", [
    ("capacity=ips=1,200", "capacity", f"capacity of 'ips': {TWO_READINGS}"),
    ("places=ips=2.500", "places",
     "places at 'ips': '2.500' is ambiguous: ',' and '.' are the decimal mark, never a "
     "thousands separator; for 2500 write 2500 or 2 500"),
    ("demand=ips=%2B1,000%25", "demand",
     "demand at 'ips': '1,000' is ambiguous: ',' and '.' are the decimal mark, never a "
     "thousands separator; for 1000 write 1000 or 1 000, for 1 write 1"),
])
def test_the_api_refuses_a_figure_that_reads_two_ways(client: TestClient, query: str,
                                                      field: str, message: str) -> None:
    r = client.get(f"/api/graphs/keski-uusimaa/whatif?{query}&lang=en")
    assert r.status_code == 400, r.text
    assert r.json()["error"] == {"code": "bad-request", "field": field, "message": message}


def test_the_page_refuses_it_marking_the_field(client: TestClient) -> None:
    r = client.get("/graphs/keski-uusimaa/whatif",
                   params={"segment": "seg-nuoret", "service": "tyokokeilu",
                           "capacity": "1,200", "lang": "en"},
                   headers={"Accept": "text/html"})
    assert r.status_code == 400
    alert = re.search(r'id="whatif-error" data-field="(\w+)">([^<]*)</p>', r.text)
    assert alert and alert.group(1) == "capacity"
    assert unescape(alert.group(2)) == f"capacity of 'tyokokeilu': {TWO_READINGS}"


def test_places_written_2_0_are_two_places_at_every_door(client: TestClient) -> None:
    from polku import Queueing

    assert Queueing.from_options(places=["ips=2,0"]).places == {"ips": 2}
    r = run("--lang", "en", "whatif", EXAMPLE_TTL, "--places", "ips=2,0", "--format", "json")
    assert r.exit_code == 0, r.output
    assert '"places": 2' in r.stdout
    api = client.get("/api/graphs/keski-uusimaa/whatif?places=ips=2,0")
    assert api.status_code == 200, api.text
    assert api.json()["changes"]["places"] == {"ips": 2}
    # a fraction is still no number of places, in the what-if's own words
    half = run("--lang", "en", "whatif", EXAMPLE_TTL, "--places", "ips=2,5")
    assert half.exit_code == 1
    assert "--places: places at 'ips': '2,5' is not a whole number, 1 or more" in half.stderr


def test_a_demand_change_groups_its_thousands_as_the_refusal_says() -> None:
    from polku import Queueing

    # the refusal of +1,000% says to write 1 000: that is taken
    assert Queueing.from_options(demand=["ips=+1 000%", "tyokokeilu=-12,5 %"]).demand == {
        "ips": 10.0, "tyokokeilu": -0.125}
