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
