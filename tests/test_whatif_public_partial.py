"""The public's queueing what-if shows the figures *before* a demand change of a service whose
own inflow is published, though its figures after the change rest on a hidden one
(``"partial": true``), and hides those after it (docs/whatif.md).

The privacy adversary's set-up: the referral from the employment plan to debt advice
(ref-suunnitelma-velkaneuvonta) carries 2 clients a month, a small cell the public does not
read. +10 % at the employment plan reaches most of the region through debt advice, and the
public read every service hidden: rehabilitative work (*kuntouttava työtoiminta*) read
"58 → piilotettu | 90 | piilotettu | 1 → 2 | 20 | piilotettu …", its modelled utilisation
and wait before the change and its calibration hidden, though no referral into it has a
volume left out: each of them is computed from published figures alone (its inflow 58,
capacity 90, places and observed wait 20), as the editor computes them, and as the public
reads them from a what-if that changes its capacity. Its figures after the change stay
hidden, and so does everything of debt advice, whose own inflow is hidden. Nothing of the
answer depends on the hidden volume: the public reads the same with 4 there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, edit
from polku.app import create_app
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
NAME = "keski-uusimaa"
PLANTED = "ref-suunnitelma-velkaneuvonta,tyollistymissuunnitelma,talous-ja-velkaneuvonta," \
          "seg-monitarve,"
KTT = "kuntouttava-tyotoiminta"
#: what the model computes from a service's inflow (hidden after the change)
MODELLED = ("inflow", "modelled_utilization", "wait_days", "unstable", "effective_capacity")


def served(folder: Path, volume: int) -> TestClient:
    """The example region with the planted referral's volume at ``volume``, served with an
    editor's token."""
    shutil.copytree(EXAMPLE, folder / NAME)
    edit(folder / NAME / "referrals.csv", PLANTED + "6,", PLANTED + f"{volume},")
    return TestClient(create_app([folder], Tokens({"editor": TOKEN})),
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> dict[int, TestClient]:
    """The planted world (2) and its twin (4): both small cells, left out for the public."""
    return {v: served(tmp_path_factory.mktemp(f"planted{v}"), v) for v in (2, 4)}


def whatif(client: TestClient, headers: dict[str, str] | None = None,
           **params: str) -> dict[str, Any]:
    r = client.get(f"/api/graphs/{NAME}/whatif", params=params, headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_before_figures_of_a_partial_service_are_shown_and_the_editors(worlds) -> None:
    client = worlds[2]
    public = whatif(client, demand="tyollistymissuunnitelma=+10%")
    editor = whatif(client, EDITOR, demand="tyollistymissuunnitelma=+10%")
    partial = {sid for sid, s in public["services"].items() if s["partial"]}
    assert KTT in partial and "tyollistymissuunnitelma" in partial
    for sid in partial:
        s, e = public["services"][sid], editor["services"][sid]
        assert s["hidden"] is True, sid
        # before the change: computed from published figures only, the editor's own
        assert s["before"] == e["before"], sid
        assert s["calibration"] == e["calibration"], sid
        assert s["observed_wait_days"] == e["observed_wait_days"], sid
        assert s["observed_hidden"] is False, sid
        assert s["inflow_at_least"] == {"before": e["before"]["inflow"], "after": None}, sid
        # after it: rests on a hidden figure upstream, so hidden (not unknown)
        assert all(s["after"][k] is None for k in MODELLED), (sid, s["after"])
        assert (s["after"]["capacity"], s["after"]["places"]) == \
            (e["after"]["capacity"], e["after"]["places"]), sid
    ktt = public["services"][KTT]
    assert ktt["before"]["inflow"] == 58 and ktt["before"]["capacity"] == 90
    assert ktt["before"]["modelled_utilization"] is not None
    assert ktt["before"]["unstable"] is False
    assert ktt["calibration"]["effective_capacity"] == ktt["before"]["effective_capacity"]
    # a service whose own inflow is hidden stays wholly hidden
    debt = public["services"]["talous-ja-velkaneuvonta"]
    assert debt["hidden"] is True and debt["partial"] is False and debt["calibration"] is None
    assert all(debt[side][k] is None for side in ("before", "after") for k in MODELLED)


def test_the_shown_figures_are_those_the_public_reads_anyway(worlds) -> None:
    """What the partial service now shows before the change is what a what-if that only
    changes its capacity (no demand change: nothing partial) gives the public: nothing
    new is learnt from it."""
    client = worlds[2]
    public = whatif(client, demand="tyollistymissuunnitelma=+10%")
    for sid, s in public["services"].items():
        if not s["partial"] or s["before"]["capacity"] is None:
            continue
        alone = whatif(client, capacity=f"{sid}={s['before']['capacity']}")["services"][sid]
        assert not alone["hidden"], sid
        assert (s["before"], s["calibration"]) == (alone["before"], alone["calibration"]), sid


@pytest.mark.parametrize("params", [
    {"demand": "tyollistymissuunnitelma=+10%"},
    {"demand": f"{KTT}=+50%", "places": f"{KTT}=2"},
    {"demand": "tyollistymissuunnitelma=-30%", "calibrate": "false"},
])
def test_nothing_the_public_reads_depends_on_the_hidden_volume(worlds, params) -> None:
    """The planted 2 and its twin 4 give the public the same answer: no figure equals it,
    or differs from another by it, that would not with 4 there."""
    planted, twin = (whatif(worlds[v], **params) for v in (2, 4))
    assert planted == twin


def cells_of(page: str, sid: str) -> list[str]:
    row = re.search(rf'<tr data-service="{sid}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, sid
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


def test_the_page_shows_the_before_figures_and_hides_those_after(worlds) -> None:
    client = worlds[2]
    params = {"segment": "seg-monitarve", "service": KTT, "places": "2", "demand": "+50%"}
    pages = {who: client.get(f"/graphs/{NAME}/whatif", params=params,
                             headers={"Accept": "text/html", **headers})
             for who, headers in (("public", {}), ("editor", EDITOR))}
    for who, page in pages.items():
        assert page.status_code == 200, (who, page.text)
    public, editor = (cells_of(pages[w].text, KTT) for w in ("public", "editor"))
    # service | inflow | capacity | effective capacity | places | observed wait |
    # utilisation before | after | wait before | after | lead time
    assert public[1] == "58 → piilotettu", public
    assert public[1].split(" → ")[0] == editor[1].split(" → ")[0]
    assert public[3] == editor[3].split(" → ")[0] + " → piilotettu", (public, editor)
    assert public[7] == public[9] == "piilotettu", public
    # the figures before the change, the observed wait and the lead time: the editor's
    for i in (2, 4, 5, 6, 8, 10):
        assert public[i] == editor[i], (i, public, editor)
    assert public[6] != "piilotettu" and public[8] != "piilotettu", public
    note = re.search(r'<p id="partial-note">(.*?)</p>', pages["public"].text, re.S)
    assert note and "ennen muutosta" in note.group(1), note
    # debt advice, whose own inflow is hidden: everything the model computes hidden
    debt = cells_of(pages["public"].text, "talous-ja-velkaneuvonta")
    assert debt[6:] == ["piilotettu"] * 5, debt
