"""One service's inflow is one figure in a what-if's answer, and a figure above a limit
never reads as the limit.

+50 % at Ohjaamo raised the IPS job coaching's modelled inflow to 15.03 a month against a
capacity of 15: the queue said 15.03, while the over-capacity finding the change created
said 15.02 (the graph after the change held each propagated referral volume rounded to
1/100, and three rounded volumes added up to another figure than the volumes did), and its
sentence read "15 clients a month against a capacity of 15", utilisation 1.0. The finding
now takes the inflow from the same computation as the queue (:mod:`polku.analyses.flow`,
on the volumes as propagated), the answer states both to 1/100, and the sentence and the
utilisation say as many decimals as it takes to read above the capacity."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from ecobuild import Builder
from helpers import EXAMPLE, run
from polku.analyses.bottlenecks import ranking
from polku.analyses.findings import find
from polku.app import create_app
from polku.present.i18n import translator
from polku.present.messages import over_capacity
from polku.server.auth import Tokens

OHJAAMO = ["--demand", "ohjaamo-ohjaus=+50%"]
EDITOR_TOKEN = "editor-token-0123456789"


def whatif(*args: str) -> dict:
    r = run("whatif", EXAMPLE, "--format", "json", *OHJAAMO, *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def created(answer: dict, subject: str) -> dict:
    [f] = [f for f in answer["findings"]["created"]
           if f["kind"] == "over-capacity" and f["subject"] == subject]
    return f


def test_the_finding_and_the_queue_say_one_inflow() -> None:
    answer = whatif()
    ips = answer["services"]["ips"]
    f = created(answer, "ips")
    # the modelled inflow: the propagated volumes added as computed, not each rounded first
    assert ips["after"]["inflow"] == 15.03
    assert f["metrics"]["inflow"] == ips["after"]["inflow"]
    # every over-capacity the change creates or resolves says its service's figure
    for key, side in (("created", "after"), ("resolved", "before")):
        for g in answer["findings"][key]:
            if g["kind"] == "over-capacity":
                assert g["metrics"]["inflow"] == \
                    answer["services"][g["subject"]][side]["inflow"], g


def test_an_overload_never_reads_as_the_capacity() -> None:
    f = created(whatif(), "ips")
    # utilisation above 1, with the decimals it takes (not 1.0)
    assert f["metrics"]["utilization"] > 1 and f["metrics"]["capacity"] == 15
    fi = created(whatif("--lang", "fi"), "ips")["message"]
    assert fi.endswith("tulee 15,03 asiakasta kuukaudessa, kun kapasiteetti on 15"), fi
    en = created(whatif("--lang", "en"), "ips")["message"]
    assert en.endswith("takes in 15.03 clients a month against a capacity of 15"), en
    text = run("whatif", EXAMPLE, *OHJAAMO, "--lang", "fi").output
    assert "tulee 15,03 asiakasta kuukaudessa, kun kapasiteetti on 15" in text
    assert "tulee 15 asiakasta kuukaudessa, kun kapasiteetti on 15" not in text


def test_the_api_says_the_same_to_an_editor(tmp_path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path], Tokens({"editor": EDITOR_TOKEN})),
                        headers={"Authorization": f"Bearer {EDITOR_TOKEN}"})
    r = client.get("/api/graphs/keski-uusimaa/whatif",
                   params={"demand": "ohjaamo-ohjaus=+50%", "lang": "en"})
    assert r.status_code == 200, r.text
    answer = r.json()
    f = created(answer, "ips")
    assert f["metrics"]["inflow"] == answer["services"]["ips"]["after"]["inflow"] == 15.03
    assert f["metrics"]["utilization"] > 1
    assert "15.03 clients a month against a capacity of 15" in f["message"]


@pytest.mark.parametrize("lang, inflow, capacity, shown", [
    ("fi", 15.02, 15, "15,02"), ("fi", 15.3, 15, "15,3"), ("fi", 15.6, 15, "16"),
    ("en", 55.004, 55, "55.004"), ("sv", 56.91, 55, "57"),
])
def test_the_sentence_says_enough_decimals(lang, inflow, capacity, shown) -> None:
    said = over_capacity(translator(lang), "S", inflow, capacity)
    assert f" {shown} " in said, said


def test_a_tiny_overload_in_the_graph_is_not_utilisation_1_nor_100_percent() -> None:
    b = Builder("pieni").chain()
    b.service("b", providers=["x"], capacity=15)
    b.g.nodes["r-ab"]["volume_per_month"] = 15.02
    [f] = [f for f in find(b.g) if f.kind == "over-capacity"]
    assert f.metrics["inflow"] == 15.02 and f.metrics["utilization"] == 1.001
    [row] = [r for r in ranking(b.g) if r["service"] == "b"]
    assert row["utilization"] == 1.001
    fi, en = translator("fi"), translator("en")
    assert fi.utilisation(row) == "1,001" and en.utilisation({"utilization": 1.33}) == "1.33"
    assert fi.percent(1.0013) == "100,1\xa0%" and fi.percent(1.002) == "100,2\xa0%"
    assert fi.percent(1.333) == "133\xa0%" and fi.percent(0.845) == "85\xa0%"


def test_the_service_line_and_the_page_read_it_against_the_capacity(tmp_path) -> None:
    text = run("whatif", EXAMPLE, *OHJAAMO, "--lang", "fi").output
    assert "IPS-työhönvalmennus (ips): tulovirta 15 → 15,03, kapasiteetti 15 → 15," in text
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path], Tokens({"editor": EDITOR_TOKEN})),
                        headers={"Authorization": f"Bearer {EDITOR_TOKEN}"})
    page = client.get("/graphs/keski-uusimaa/whatif", headers={"Accept": "text/html"},
                      params={"segment": "seg-nuoret", "service": "ohjaamo-ohjaus",
                              "demand": "+50%", "lang": "en"})
    assert page.status_code == 200, page.text
    row = re.search(r'<tr data-service="ips"[^>]*>(.*?)</tr>', page.text, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    assert cells[1:3] == ["15 → 15.03", "15"], cells
    assert "15.03 clients a month against a capacity of 15" in page.text


def test_an_inflow_just_above_its_capacity_never_reads_as_it_anywhere_in_a_whatif() -> None:
    """+0.01 % at the IPS job coaching (15 a month against a capacity of 15) read "inflow
    15 → 15" and "takes in 15 clients a month against a capacity of 15", and the question
    "demand rose by 0 %": the answer rounded the figures to 1/100 (the queue's row and the
    created finding's metrics) after the sentence's rule had given them their decimals."""
    r = run("whatif", EXAMPLE, "--format", "json", "--demand", "ips=+0.01%")
    assert r.exit_code == 0, r.output
    answer = json.loads(r.output)
    after = answer["services"]["ips"]["after"]
    created = [f for f in answer["findings"]["created"] if f["kind"] == "over-capacity"]
    assert after["inflow"] == 15.002 and after["capacity"] == 15, after
    assert [f["metrics"]["inflow"] for f in created] == [15.002], created
    text = run("--lang", "en", "whatif", EXAMPLE, "--demand", "ips=+0.01%").output
    assert "rose by 0.01%" in text, text
    assert "inflow 15 → 15.002" in text and "15.002 clients a month" in text, text
    assert not re.search(r"\b15 clients a month against a capacity of 15\b", text), text
