"""The public's queueing what-if never shows as whole a figure that rests on a hidden one
downstream. A demand change that flows through a service whose inflow is hidden reaches
later services scaled by that service's partial (published) throughput, and along a
referral whose small volume was left out it does not flow at all: what the published model
says of those services after the change is a partial figure (Kela work trial read 102 %,
"the queue grows without bound", where the editor reads 98 % and 185 days). They are
hidden after the change as the services whose inflow is hidden are (``partial``: their
figures before the change, of published figures alone, stay: tests/test_whatif_public_partial.py),
an over-capacity of them is neither created nor resolved, and every figure the public does
read equals the editor's (docs/whatif.md)."""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, lines_of, run
from polku.app import create_app
from polku.server.auth import Tokens

DIAKONIA = ["--demand", "diakonia=+100%"]
#: services not hidden from the public whose figures after the change rest on a hidden one
DOWNSTREAM = ("kela-tyokokeilu", "paihdepalvelut", "monialainen-palvelutarvearvio")


def whatif(audience: str, *changes: str) -> dict[str, Any]:
    r = run("whatif", EXAMPLE, f"--{audience}", "--format", "json", *changes)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_the_reproduction_hides_the_partial_services_and_leaves_the_editor_alone() -> None:
    public, editor = whatif("suppress", *DIAKONIA), whatif("no-suppress", *DIAKONIA)
    # the editor's answer is the model's on the true figures, as it was
    kela = editor["services"]["kela-tyokokeilu"]
    assert not kela["hidden"] and not kela["partial"]
    assert (kela["after"]["modelled_utilization"], kela["after"]["wait_days"],
            kela["after"]["unstable"]) == (0.983, 185.35, False)
    assert editor["services"]["paihdepalvelut"]["after"]["inflow"] == 27.24
    assert editor["services"]["monialainen-palvelutarvearvio"]["after"]["wait_days"] == 46.62
    for sid in DOWNSTREAM:
        s = public["services"][sid]
        assert s["hidden"] and s["partial"], sid
        assert all(s["after"][k] is None
                   for k in ("inflow", "modelled_utilization", "wait_days", "unstable",
                             "effective_capacity")), s
        # what rests on published cells only stays: everything before the change (no
        # referral into it has a volume left out), the editor's own
        e = editor["services"][sid]
        assert (s["before"], s["calibration"]) == (e["before"], e["calibration"]), sid
        assert s["inflow_at_least"] == {"before": e["before"]["inflow"], "after": None}
        assert s["observed_wait_days"] == e["observed_wait_days"]
    # the editor's over-capacities created downstream are not the public's to read from
    # partial figures
    assert editor["findings"]["created"] and not public["findings"]["created"]


def test_the_text_says_the_partial_figures_are_hidden() -> None:
    public = run("--lang", "en", "whatif", EXAMPLE, "--suppress", *DIAKONIA)
    assert public.exit_code == 0, public.output
    kela = lines_of(public.output, "kela-tyokokeilu")
    assert "inflow 8 → hidden," in kela[0]
    # before the change: the calibration and the queue, as for any service
    assert kela[1].strip().startswith("observed wait 21 d; calibrated: effective capacity 10")
    assert kela[2].split() == ["before:", "modelled", "utilisation", "80%,", "wait", "21", "d"]
    # after it: hidden, and why
    label, said = kela[3].split(None, 1)
    assert label == "after:" and said.startswith(
        "figures hidden: the change reaches it through a referral with fewer than 5"), said
    assert len(kela) == 4
    assert "102%" not in "\n".join(kela) and "grows without bound" not in "\n".join(kela)
    assert "inflow 15 → hidden," in lines_of(public.output, "paihdepalvelut")[0]


@pytest.mark.parametrize("changes", [
    DIAKONIA, ["--demand", "tuva=-70%"], ["--demand", "alkuhaastattelu=+20%"],
    ["--demand", "uraohjaus=-90%", "--capacity", "kela-tyokokeilu=30"],
    ["--demand", "diakonia=-50%", "--places", "ips=2"],
])
def test_every_figure_the_public_reads_is_the_editors(changes) -> None:
    public, editor = whatif("suppress", *changes), whatif("no-suppress", *changes)
    for sid, s in public["services"].items():
        e = editor["services"].get(sid)
        if not s["hidden"]:
            assert e is not None and {k: s[k] for k in ("before", "after", "calibration")} \
                == {k: e[k] for k in ("before", "after", "calibration")}, sid
            continue
        if s["partial"]:  # before the change: of published figures alone
            assert e is not None and (s["before"], s["calibration"]) == \
                (e["before"], e["calibration"]), sid
        # "at least" is a lower bound of the true inflow, or nothing
        for side in ("before", "after"):
            least = s["inflow_at_least"][side]
            if least is not None and e is not None:
                assert least <= e[side]["inflow"] + 1e-9, (sid, side, least, e[side])
    # every service the true model changes is listed, shown whole or hidden
    assert set(editor["services"]) <= set(public["services"])
    # a finding the public reads as created or resolved is the editor's, figures and all
    for key in ("created", "resolved"):
        theirs = {(f["kind"], f["subject"]): f["metrics"] for f in editor["findings"][key]}
        for f in public["findings"][key]:
            assert theirs.get((f["kind"], f["subject"])) == f["metrics"], f


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder], Tokens({})), raise_server_exceptions=False)


def test_the_api_and_the_page_hide_them_alike(served) -> None:
    schema = served.get("/openapi.json").json()
    r = served.get("/api/graphs/keski-uusimaa/whatif", params={"demand": "diakonia=+100%"})
    assert r.status_code == 200, r.text
    fragment = schema["paths"]["/api/graphs/{name}/whatif"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({**fragment,
                                                    "components": schema["components"]})
    assert not [e.message for e in validator.iter_errors(r.json())]
    kela = r.json()["services"]["kela-tyokokeilu"]
    assert kela["hidden"] and kela["partial"] and kela["after"]["unstable"] is None
    page = served.get("/graphs/keski-uusimaa/whatif", params={
        "segment": "seg-tyovalmiit", "service": "alkuhaastattelu", "demand": "+50%",
        "lang": "en"},
        headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    row = re.search(r'<tr data-service="kela-tyokokeilu"[^>]*>(.*?)</tr>', page.text, re.S)
    assert row and "hidden-figures" in page.text
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]
    assert cells[1] == "8 → hidden" and cells[5] == "21" and cells[7] == "hidden", cells
    # before the change: the effective capacity, modelled utilisation and wait shown
    assert (cells[3], cells[6], cells[8], cells[9]) == ("10 → hidden", "80%", "21", "hidden"), \
        cells
    assert 'id="partial-note"' in page.text
    assert "102" not in "".join(cells)
