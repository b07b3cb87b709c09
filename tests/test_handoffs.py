"""The ecosystem at a glance (issue 20, item 3): the report summarises the ecosystem as
organisations and the hand-offs between them instead of a picture with unreadable labels."""

from __future__ import annotations

import re

from helpers import EXAMPLE, run
from polku.analyses.handoffs import handoff_summary, organisation
from polku.graph import referrals
from polku.io.load import load_graph


def test_summary_counts_each_referral_between_organisations_once():
    g = load_graph(EXAMPLE)
    s = handoff_summary(g)
    # worked out here from the providers, not from the module's helpers
    orgs = {}
    for a, sv, k in g.edges(data="kind"):
        if k == "provides":
            orgs.setdefault(sv, set()).add(organisation(g, a))
    crossing = [r for r in referrals(g) if g.nodes[r.target].get("type") == "service"
                and orgs.get(r.source) and orgs.get(r.target)
                and not orgs[r.source] & orgs[r.target]]
    assert sum(p["referrals"] for p in s["pairs"]) == len(crossing)
    assert sum(o["out"] for o in s["organisations"]) == len(crossing)
    assert sum(o["in"] for o in s["organisations"]) == len(crossing)
    assert abs(sum(p["clients"] for p in s["pairs"])
               - sum(float(r.volume_per_month or 0) for r in crossing)) < 1e-6
    # the units of the wellbeing services county count as the county
    assert organisation(g, "keusote-aikuissosiaalityo") == "keusote"
    assert organisation(g, "tyollisyysalue") == "tyollisyysalue"
    assert {o["id"] for o in s["organisations"][:2]} == {"keusote", "tyollisyysalue"}
    clients = [p["clients"] for p in s["pairs"]]
    assert clients == sorted(clients, reverse=True)


def test_report_shows_the_summary_and_no_ecosystem_hairball(tmp_path):
    out = tmp_path / "report.html"
    r = run("report", EXAMPLE, "-o", out, "--lang", "fi")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert 'data-view="ecosystem"' not in page
    section = page[page.index('<section id="ecosystem"'):]
    section = section[:section.index("</section>")]
    assert "Ekosysteemi yhdellä silmäyksellä" in section
    assert "Keski-Uudenmaan hyvinvointialue" in section and "ilman vastuutahoa" in section
    rows = re.findall(r"<tr>", section)
    assert len(rows) > 10
    md = tmp_path / "report.md"
    assert run("report", EXAMPLE, "-o", md, "--lang", "fi").exit_code == 0
    assert "## Ekosysteemi yhdellä silmäyksellä" in md.read_text(encoding="utf-8")


def test_a_total_with_a_small_cell_in_it_reads_at_least_what_is_shown(tmp_path):
    """In what the public reads, a hand-off total that a suppressed volume is part of is the
    sum of the volumes shown, marked partial and written *vähintään N* (*piilotettu* when
    nothing of it is shown), never N as if it were all; the bottleneck ranking marks such
    a service's outflow partial. The owner's copy has the true totals and no marks."""
    from ecobuild import Builder
    from polku.analyses.bottlenecks import ranking
    from polku.privacy import suppress

    b = Builder()
    for a in ("x", "y", "z"):
        b.actor(a, kind="municipality")
    b.outcome("work")
    b.service("sx", providers=["x"]).service("sy", providers=["y"])
    b.service("sz", providers=["z"])
    b.referral("big", "sx", "sy", owner="x", info="yes", volume=40)
    b.referral("small", "sx", "sy", owner="x", info="yes", volume=4)
    b.referral("only", "sz", "sy", owner="z", info="yes", volume=3)
    owner = handoff_summary(b.g)
    assert {p["from"]: p["clients"] for p in owner["pairs"]} == {"x": 44.0, "z": 3.0}
    assert not any("partial" in r for r in owner["pairs"] + owner["organisations"])
    public = handoff_summary(suppress(b.g))
    pairs = {p["from"]: p for p in public["pairs"]}
    assert pairs["x"]["clients"] == 40.0 and pairs["x"]["partial"] == ["clients"]
    assert pairs["z"]["clients"] == 0.0 and pairs["z"]["partial"] == ["clients"]
    y = next(o for o in public["organisations"] if o["id"] == "y")
    assert y["clients_in"] == 40.0 and y["partial"] == ["clients_in"]
    rows = {r["service"]: r for r in ranking(suppress(b.g))}
    assert rows["sx"].get("outflow_partial") and rows["sx"]["outflow"] == 40
    # every row has the key (the library's rows are alike); the owner's are none partial
    assert not any(r["outflow_partial"] for r in ranking(b.g))

    folder = b.workbook(tmp_path / "wb")
    page = tmp_path / "r.html"
    assert run("report", folder, "-o", page, "-q").exit_code == 0  # for others: suppressed
    section = page.read_text(encoding="utf-8").split('id="ecosystem"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "vähintään 40" in section and "piilotettu" in section
    assert 'class="num">44<' not in section and 'class="num">47<' not in section
    assert ('<td>Z</td><td>Y</td><td class="num">1</td><td class="num">piilotettu</td>'
            in section)
    assert "joiden luvut näytetään" in section


def test_a_service_with_several_providers_belongs_to_the_organisation_that_leads_it(tmp_path):
    """A service belongs to the organisation that leads it among its providers'
    organisations, not to whichever provider's id sorts first: the example's rehabilitative
    work activity is led by the county (a county unit provides it, so do the city of
    Hyvinkää's workshop and others), so its referral to the work trial, the one with no
    owner that the first page says the county must act on, is a flow from the county to
    the employment area, not from the city of Hyvinkää."""
    from ecobuild import Builder

    b = Builder()
    for a in ("a-city", "z-county"):
        b.actor(a, kind="municipality" if a == "a-city" else "wellbeing-county")
    b.actor("area", kind="employment-area")
    b.service("work-activity", providers=["a-city", "z-county"])
    b.service("trial", providers=["area"])
    b.role("z-county", "work-activity", "lead")
    b.referral("r", "work-activity", "trial", volume=10, info="no")
    s = handoff_summary(b.g)
    assert [(p["from"], p["to"]) for p in s["pairs"]] == [("z-county", "area")]
    assert {o["id"]: o["services"] for o in s["organisations"]} == {
        "z-county": 1, "area": 1}
    # a lead that provides nothing of it does not take the service away from its providers
    b.role("area", "work-activity", "lead")
    b.g.remove_edges_from([("z-county", "work-activity", k) for k in
                           list(b.g["z-county"]["work-activity"])])
    assert [(p["from"], p["to"]) for p in handoff_summary(b.g)["pairs"]] == [("a-city", "area")]

    md = tmp_path / "report.md"
    assert run("report", EXAMPLE, "-o", md, "--lang", "fi").exit_code == 0
    section = md.read_text(encoding="utf-8").split("## Ekosysteemi yhdellä silmäyksellä")[1]
    rows = {tuple(c.strip() for c in line.strip("|").split("|")[:2]):
            [c.strip() for c in line.strip("|").split("|")[2:]]
            for line in section.split("## ")[0].splitlines() if line.startswith("| ")}
    county, area = "Keski-Uudenmaan hyvinvointialue (Keusote)", "Keski-Uudenmaan työllisyysalue"
    # the one referral without an owner (the first page's first decision) is the county's
    assert rows[(county, area)][-1] == "1"
    assert ("Hyvinkään kaupunki", area) not in rows or rows[("Hyvinkään kaupunki", area)][-1] == "0"
