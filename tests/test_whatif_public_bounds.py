"""For the public, what a what-if says of a service whose own inflow is hidden after a demand
change is what docs/whatif.md says, and gives no hidden cell back.

+50 % at Ohjaamo reaches the youth workshop (*nuorten-tyopaja*, its own inflow hidden: a
referral of 3 and one of 4 a month into it) along the published ref-ohjaamo-tyopaja and
along the left-out ref-nuotti-tyopaja; Keuda's vocational education (hidden too) through
the workshop. The public read the workshop "at least 22 → at least 28", partial false, and
Keuda "at least 54 → hidden", partial false, and docs/whatif.md seemed to say partial true
and no lower bound after the change for both. The rule (docs/whatif.md, now said plainly):
``partial`` marks a service whose own inflow is published and whose figures after the
change rest on a hidden one; a service whose own inflow is hidden stays ``hidden`` with
``partial`` false, and its lower bound after the change is the published referrals' volumes
after it, shown only where each of them is the editor's figure too (no partial figure flows
into it), so that it is made of figures the public reads anyway and is below the true
inflow; else null, and the text and the page say why."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, lines_of, run
from polku.analyses.queues import propagate_demand
from polku.analyses.reach import ecosystem
from polku.app import create_app
from polku.io.load import load_graph
from polku.privacy import hidden_services, suppress, suppressed_referrals
from polku.server.auth import Tokens

CHANGES = [{"ohjaamo-ohjaus": 0.5}, {"diakonia": 1.0}, {"tuva": -0.7},
           {"alkuhaastattelu": 0.2}, {"etsiva-nuorisotyo": 0.5, "nuotti": -0.5}]


def option(demand: dict[str, float]) -> list[str]:
    out = []
    for sid, p in demand.items():
        out += ["--demand", f"{sid}={p * 100:+g}%"]
    return out


def whatif(audience: str, demand: dict[str, float], *more: str) -> dict:
    r = run("whatif", EXAMPLE, f"--{audience}", "--format", "json", *option(demand), *more)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@pytest.fixture(scope="module")
def graphs():
    g = load_graph(EXAMPLE)
    return g, suppress(g)


@pytest.mark.parametrize("demand", CHANGES, ids=lambda d: ",".join(d))
def test_a_lower_bound_after_the_change_is_made_of_the_editors_published_volumes(
        graphs, demand) -> None:
    g, published = graphs
    public, editor = whatif("suppress", demand), whatif("no-suppress", demand)
    left_out = suppressed_referrals(published)
    own = hidden_services(published)
    # the true model's volumes after the change
    eco = ecosystem(g)
    after = propagate_demand(eco, demand)
    for sid, s in public["services"].items():
        if not s["hidden"]:
            continue
        # partial: only a service whose own inflow is published
        assert s["partial"] is (sid not in own), sid
        least = s["inflow_at_least"]["after"]
        if least is None:
            continue
        assert sid in own, sid
        # the published referrals' volumes after the change as the editor's model has them:
        # figures the public reads anyway, and nothing of a left-out one in the bound
        true_published = sum(after.get(rid, ref.volume) for rid, ref in eco.refs.items()
                             if ref.target == sid and rid not in left_out
                             and ref.volume is not None)
        assert least == pytest.approx(true_published, abs=0.006), (sid, least)
        assert least <= editor["services"][sid]["after"]["inflow"] + 1e-9, sid


def test_the_reproduction(graphs) -> None:
    public = whatif("suppress", {"ohjaamo-ohjaus": 0.5})
    editor = whatif("no-suppress", {"ohjaamo-ohjaus": 0.5})
    workshop, keuda = public["services"]["nuorten-tyopaja"], public["services"][
        "keuda-ammatillinen-koulutus"]
    assert (workshop["hidden"], workshop["partial"]) == (True, False)
    assert workshop["inflow_at_least"] == {"before": 22, "after": 28}
    assert editor["services"]["nuorten-tyopaja"]["after"]["inflow"] == 36.52
    # the workshop is hidden and reached from upstream: what it passes on to Keuda is
    # scaled by its published part, so Keuda's published part after is no lower bound
    assert (keuda["hidden"], keuda["partial"]) == (True, False)
    assert keuda["inflow_at_least"] == {"before": 54, "after": None}
    # a service whose own inflow is published and that the change reaches through the
    # workshop is partial
    assert public["services"]["tuva"]["partial"] is True
    assert public["services"]["tuva"]["inflow_at_least"]["after"] is None


def test_the_text_and_the_page_say_why_no_bound_after_the_change(tmp_path) -> None:
    r = run("--lang", "en", "whatif", EXAMPLE, "--suppress", "--demand", "ohjaamo-ohjaus=+50%")
    assert r.exit_code == 0, r.output
    keuda = "\n".join(lines_of(r.output, "keuda-ammatillinen-koulutus"))
    assert "clients a month: at least 54 → hidden" in keuda
    assert "no lower bound after the change" in keuda, keuda
    workshop = "\n".join(lines_of(r.output, "nuorten-tyopaja"))
    assert "at least 22 → at least 28" in workshop and "no lower bound" not in workshop
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path], Tokens({})))
    page = client.get("/graphs/keski-uusimaa/whatif", headers={"Accept": "text/html"}, params={
        "segment": "seg-nuoret", "service": "ohjaamo-ohjaus", "demand": "+50%", "lang": "en"})
    assert page.status_code == 200, page.text
    row = re.search(r'<tr data-service="keuda-ammatillinen-koulutus"[^>]*>(.*?)</tr>',
                    page.text, re.S)
    assert row and "at least 54 → hidden" in re.sub(r"<[^>]+>", "", row.group(1))
    assert 'id="bound-note"' in page.text
    note = re.search(r'<p id="bound-note">(.*?)</p>', page.text, re.S).group(1)
    assert "no lower bound after the change" in note
