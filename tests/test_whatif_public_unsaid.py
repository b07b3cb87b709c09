"""The public's queueing what-if leaves out the findings about services whose inflow is
hidden (or partial after the change): the model's verdict on them rests on a hidden figure.
An empty list of created or resolved findings then says so, not "no new findings" (a
designer's review: the example's young people with Ohjaamo at 60 and +20 % at the first
interview create two over-capacities, of IPS and of the multi-professional employment
plan, which the editor reads; the public page said *Uusia havaintoja ei synny*)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, run
from polku.app import create_app
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"
PAGE = "/graphs/keski-uusimaa/whatif"
#: the designer's address: two change rows, Ohjaamo at 60 and +20 % at the first interview
ROWS = [("segment", "seg-nuoret"),
        ("service", "ohjaamo-ohjaus"), ("capacity", "60"), ("places", ""), ("demand", ""),
        ("service", "alkuhaastattelu"), ("capacity", ""), ("places", ""), ("demand", "+20%")]
CLI = ["--segment", "seg-nuoret", "--capacity", "ohjaamo-ohjaus=60",
       "--demand", "alkuhaastattelu=+20%"]
UNSAID = {"fi": "Ei yhtään niistä, jotka julkaistuista luvuista voi päätellä; havaintoja "
                "palveluista, joiden tulovirta on piilotettu, ei näytetä.",
          "sv": "Inga bland dem som de publicerade talen kan visa; iakttagelser om "
                "tjänster vars inflöde är dolt visas inte.",
          "en": "None among those the published figures can tell; findings about services "
                "whose inflow is hidden are not shown."}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder], Tokens({"editor": TOKEN})),
                      raise_server_exceptions=False)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_the_editor_reads_two_created(client) -> None:
    said = run("whatif", EXAMPLE, *CLI, "--lang", "fi").output
    assert "Syntyy (2):" in said, said
    r = client.get("/api/graphs/keski-uusimaa/whatif",
                   params=[("segment", "seg-nuoret"), ("capacity", "ohjaamo-ohjaus=60"),
                           ("demand", "alkuhaastattelu=+20%")],
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert len(r.json()["findings"]["created"]) == 2 and r.json()["findings_left_out"] is False


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_publics_empty_lists_say_findings_are_left_out(client, lang) -> None:
    page = client.get(PAGE, params=ROWS + [("lang", lang)],
                      headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    shown = text(page.text)
    assert UNSAID[lang] in shown, shown[-3000:]
    assert shown.count(UNSAID[lang]) == 2  # created and resolved alike
    assert "Uusia havaintoja ei synny" not in shown and "No finding is created" not in shown
    api = client.get("/api/graphs/keski-uusimaa/whatif",
                     params=[("segment", "seg-nuoret"), ("capacity", "ohjaamo-ohjaus=60"),
                             ("demand", "alkuhaastattelu=+20%"), ("lang", lang)])
    assert api.json()["findings"] == {"created": [], "resolved": []}
    assert api.json()["findings_left_out"] is True
    cli = run("whatif", EXAMPLE, *CLI, "--suppress", "--lang", lang).output
    lines = cli.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^(Syntyy|Ratkeaa|Uppstår|Löses|Created|Resolved) \(0\):$", line):
            assert lines[i + 1] == "  – " + UNSAID[lang], cli[-800:]
    assert cli.count(UNSAID[lang]) == 2, cli[-800:]


def test_without_hidden_services_an_empty_list_is_no_findings(client) -> None:
    """A change no hidden figure touches: the public's empty lists say none, as before."""
    page = client.get(PAGE, params=[("service", "alkuhaastattelu"), ("capacity", "640"),
                                    ("lang", "fi")], headers={"Accept": "text/html"})
    shown = text(page.text)
    assert "piilotettu" not in shown.split("Uudet havainnot", 1)[1], shown[-2000:]
    assert "Uusia havaintoja ei synny." in shown
    cli = run("whatif", EXAMPLE, "--capacity", "alkuhaastattelu=640", "--suppress",
              "--lang", "fi").output
    assert "Syntyy (0):\n  –\n" in cli, cli
