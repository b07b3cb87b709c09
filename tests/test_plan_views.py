"""The plan and timeline views of the imported seed plan: their content worked out from the
graph, the CLI, and the pages in headless Chromium (no request leaves the page)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polku import views as render
from polku.cli import app
from polku.findings import find
from polku.graph import add_edge, new_graph, nodes_of, responsibilities
from polku.plan import parse_plan
from polku.views.timeline import MONTH_WIDTH

SEED = Path(__file__).resolve().parents[1] / "graphs" / "sources" / "keski-uusimaa-action-plan-2026-2028.txt"
CHROMIUM = Path("/usr/bin/chromium")
CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def g():
    return parse_plan(SEED.read_text(encoding="utf-8"), name="plan").graph


@pytest.fixture(scope="module")
def findings(g):
    return [f.to_dict() for f in find(g)]


def by_id(view):
    return {n["id"]: n for n in view.nodes}


def test_plan_view_draws_goals_measures_actors_and_roles_apart(g, findings):
    v = render.build_view(g, "plan", findings=findings)
    nodes = by_id(v)
    assert set(nodes) == set(nodes_of(g, "goal")) | set(nodes_of(g, "measure")) | set(nodes_of(g, "actor"))
    rows = [r for r in responsibilities(g)]
    drawn = {(e["to"], e["from"], e["kind"]) for e in v.edges if e["kind"] in ("lead", "participant")}
    assert drawn == {(r.actor, r.subject, r.role) for r in rows}
    lead = next(e for e in v.edges if e["kind"] == "lead")
    part = next(e for e in v.edges if e["kind"] == "participant")
    assert lead["width"] > part["width"] and lead["dashes"] is False and part["dashes"]
    assert {(e["from"], e["to"]) for e in v.edges if e["kind"] == "in_goal"} == {
        (f"goal-{m.split('-')[1]}", m) for m in nodes_of(g, "measure")}
    for m in nodes_of(g, "measure"):
        assert nodes[m].get("deferred", False) == g.nodes[m]["deferred"]
        assert ("deferred" in nodes[m]["label"]) == g.nodes[m]["deferred"]
    # two leads: an amber ring; the tooltip says who leads and what is deferred
    assert nodes["measure-1-1"]["sev"] == "warning"
    assert "Lead: Keski-Uudenmaan hyvinvointialue (Keusote), Keski-Uudenmaan työllisyysalue" \
        in nodes["measure-1-1"]["title"]
    assert "kontaktointivastuut toimijoiden osalta jaetaan" in nodes["measure-1-1"]["title"]
    assert v.hierarchical
    assert "8 with several leads · 8 deferred" in v.subtitle


def test_plan_view_marks_a_measure_without_lead():
    g = new_graph("x")
    g.add_node("goal-1", type="goal", name="Tavoite")
    g.add_node("m", type="measure", name="Ilman vetäjää", deferred=False)
    g.add_node("ttl", type="actor", name="TTL", kind="research")
    add_edge(g, "m", "goal-1", "in_goal")
    add_edge(g, "ttl", "m", "responsibility", key="responsibility:participant", role="participant")
    v = render.build_view(g, "plan", findings=[f.to_dict() for f in find(g)])
    assert by_id(v)["m"]["sev"] == "error"
    assert "1 with no lead" in v.subtitle


def test_timeline_bars_span_their_months_and_are_coloured_by_lead(g, findings):
    v = render.build_view(g, "timeline", findings=findings)
    nodes = by_id(v)
    assert not v.physics and v.edges == []
    months = {n["label"]: n["x"] for n in v.nodes if n["ptype"] == "axis"}
    x0 = months["2026-01"] - MONTH_WIDTH / 2  # the axis label sits mid-month

    def month_no(month: str) -> int:
        return int(month[:4]) * 12 + int(month[5:]) - 2026 * 12 - 1

    for m in nodes_of(g, "measure"):
        bar = nodes[m]
        width = bar["widthConstraint"]["maximum"]
        start, end = g.nodes[m].get("start"), g.nodes[m].get("end")
        if start:
            left = bar["x"] - width / 2
            assert left == pytest.approx(x0 + month_no(start) * MONTH_WIDTH + 2)  # 2px gaps
            assert width == (month_no(end) - month_no(start) + 1) * MONTH_WIDTH - 4
        else:
            assert bar["x"] < x0  # the "no months" column
        assert bar["fixed"] is True
    colour = {m: nodes[m]["color"]["background"] for m in nodes_of(g, "measure")}
    assert colour["measure-1-1"] == colour["measure-1-3"]  # Keusote + Työllisyysalue
    assert colour["measure-1-2"] == colour["measure-3-1"]  # TTL
    assert len({colour["measure-1-1"], colour["measure-1-2"], colour["measure-2-1"]}) == 3
    assert nodes["measure-1-1"]["shapeProperties"]["borderDashes"]
    assert "shapeProperties" not in nodes["measure-1-2"]
    legend = [i["label"] for i in v.legend if i.get("item") != "heading"]
    assert "Työterveyslaitos" in legend
    assert "2 without months" in v.subtitle and "2026-01 – 2028-06" in v.subtitle


def test_render_cli_writes_both_views(tmp_path):
    runner = CliRunner()
    ttl = Path(__file__).resolve().parents[1] / "graphs" / "plan.ttl"
    for view in ("plan", "timeline"):
        out = tmp_path / f"{view}.html"
        r = runner.invoke(app, ["render", str(ttl), "--view", view, "-o", str(out)])
        assert r.exit_code == 0, r.output
        html = out.read_text(encoding="utf-8")
        assert 'data-view="' + view + '"' in html and "<script src" not in html


# -- in a browser ---------------------------------------------------------------------------

if CHROMIUM.exists() or CI:
    from playwright.sync_api import sync_playwright

    @pytest.fixture(scope="module")
    def browser():
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM),
                                  args=["--headless", "--no-sandbox", "--disable-gpu"])
            yield b
            b.close()

    def open_view(browser, path: Path):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        url = path.resolve().as_uri()
        problems: list[str] = []

        def route(r):
            if r.request.url == url:
                r.continue_()
            else:
                problems.append(f"request {r.request.url}")
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        page.goto(url)
        page.wait_for_selector('.polku-view[data-stable="1"]', state="attached", timeout=90_000)
        return page, problems

    @pytest.mark.parametrize("view", ["plan", "timeline"])
    def test_views_in_chromium(browser, tmp_path, g, findings, view):
        out = tmp_path / f"{view}.html"
        render.write_view(g, view, out, findings=findings)
        page, problems = open_view(browser, out)
        try:
            shown = set(page.evaluate("window.polku.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
            assert set(nodes_of(g, "measure")) <= shown
            box = {m: page.evaluate("id => window.network.getBoundingBox(id)", m)
                   for m in ("measure-1-1", "measure-1-3", "measure-1-4", "measure-3-6")}
            if view == "timeline":
                # drawn where the months say: 1.3 and 1.4 both run 2026-04..2028-03
                assert box["measure-1-3"]["left"] == pytest.approx(box["measure-1-4"]["left"], abs=1)
                assert box["measure-1-3"]["right"] == pytest.approx(box["measure-1-4"]["right"], abs=1)
                assert box["measure-1-1"]["left"] < box["measure-1-3"]["left"] < box["measure-3-6"]["left"]
                assert box["measure-1-1"]["top"] < box["measure-1-3"]["top"] < box["measure-3-6"]["top"]
            else:
                # hierarchical, left to right: goal, measures, actors
                goal = page.evaluate("id => window.network.getPosition(id)", "goal-1")
                actor = page.evaluate("id => window.network.getPosition(id)", "ttl")
                assert goal["x"] < box["measure-1-1"]["left"] and box["measure-1-1"]["right"] < actor["x"]
            page.fill(".pv-search-input", "measure-2-4")
            page.click(".pv-search-go")
            assert page.evaluate("window.network.getSelectedNodes()") == ["measure-2-4"]
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"plan-{view}.png"))
            assert problems == []
        finally:
            page.close()
