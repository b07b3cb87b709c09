"""The plan and timeline views of the imported seed plan: their content worked out from the
graph, the CLI, and the pages in headless Chromium (no request leaves the page)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from helpers import ARTIFACTS, MINI, PLAN, run
from polku.present import views as render
from polku.present.langmarks import unmarked
from polku.analyses.findings import find
from polku.graph import add_edge, new_graph, nodes_of, responsibilities
from polku.io.plan import parse_plan
from polku.analyses.schedule import month_index
from polku.present.views.plan import PLAN_MIN_SCALE
from polku.present.views.timeline import LABEL_WIDTH, MONTH_WIDTH

SEED = Path(__file__).resolve().parents[1] / "graphs" / "sources" / "keski-uusimaa-action-plan-2026-2028.txt"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def g():
    return parse_plan(SEED.read_text(encoding="utf-8"), name="plan").graph


@pytest.fixture(scope="module")
def findings(g):
    return [f.to_dict() for f in find(g)]


def by_id(view):
    return {n["id"]: n for n in view.nodes}


def test_plan_view_draws_goals_measures_actors_and_roles_apart(g, findings):
    v = render.build_view(g, "plan", findings=findings, lang="en")
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
    # (the names are Finnish on this English page: marked with their language for the HTML)
    assert "Lead: Keski-Uudenmaan hyvinvointialue (Keusote), Keski-Uudenmaan työllisyysalue" \
        in unmarked(nodes["measure-1-1"]["title"])
    assert "kontaktointivastuut toimijoiden osalta jaetaan" in nodes["measure-1-1"]["title"]
    assert v.hierarchical
    # the eight two-lead measures are deferred: counted as the findings count them
    assert "with several leads: 0 · division of work deferred: 8" in v.subtitle


def test_plan_view_timeline_and_findings_count_leads_alike(g):
    """One rule for "several leads": a measure with two leads whose split is written down
    as still open is deferred, not also "several leads", on both pages and in the findings."""
    g = g.copy()
    g.nodes["measure-1-1"]["deferred"] = False  # now two leads, split not deferred
    found = find(g)
    several = sum(1 for f in found if f.kind == "multiple-leads")
    deferred = sum(1 for f in found if f.kind == "deferred-responsibility")
    assert (several, deferred) == (1, 7)
    dicts = [f.to_dict() for f in found]
    plan = render.build_view(g, "plan", findings=dicts, lang="en")
    timeline = render.build_view(g, "timeline", findings=dicts, lang="en", today=TODAY)
    assert "with several leads: 1 · division of work deferred: 7" in plan.subtitle
    assert "division of work deferred: 7 · with several leads: 1" in timeline.subtitle


def test_plan_view_marks_a_measure_without_lead():
    g = new_graph("x")
    g.add_node("goal-1", type="goal", name="Tavoite")
    g.add_node("m", type="measure", name="Ilman vetäjää", deferred=False)
    g.add_node("ttl", type="actor", name="TTL", kind="research")
    add_edge(g, "m", "goal-1", "in_goal")
    add_edge(g, "ttl", "m", "responsibility", key="responsibility:participant", role="participant")
    v = render.build_view(g, "plan", findings=[f.to_dict() for f in find(g)], lang="en")
    assert by_id(v)["m"]["sev"] == "error"
    assert "with no lead: 1" in v.subtitle


TODAY = date(2026, 11, 29)


def svg_of(view) -> ET.Element:
    return ET.fromstring(str(view.chart))


def bars(view) -> dict[str, ET.Element]:
    return {r.get("data-measure"): r for r in svg_of(view).iter(f"{SVG}rect")
            if "gantt-bar" in r.get("class", "").split()}


def test_timeline_is_a_gantt_chart_with_bars_over_their_months(g, findings):
    v = render.build_view(g, "timeline", findings=findings, today=TODAY)
    assert v.kind == "timeline" and v.nodes == [] and v.chart is not None
    drawn = bars(v)
    # whole years on the axis, from January of the first year
    first = month_index("2026-01")
    for m in nodes_of(g, "measure"):
        start, end = g.nodes[m].get("start"), g.nodes[m].get("end")
        if not start:
            assert m not in drawn
            continue
        bar = drawn[m]
        assert float(bar.get("x")) == pytest.approx(
            LABEL_WIDTH + (month_index(start) - first) * MONTH_WIDTH + 1)
        assert float(bar.get("width")) == pytest.approx(
            (month_index(end) - month_index(start) + 1) * MONTH_WIDTH - 2)
    # rows in goal order: each bar lower than the one before
    ys = [float(drawn[m].get("y")) for m in ("measure-1-1", "measure-1-3", "measure-2-1",
                                              "measure-3-6")]
    assert ys == sorted(ys) and len(set(ys)) == 4
    colour = {m: b.get("fill") for m, b in drawn.items()}
    assert colour["measure-1-1"] == colour["measure-1-3"]  # Keusote + Työllisyysalue
    assert colour["measure-1-2"] == colour["measure-3-1"]  # TTL
    assert len({colour["measure-1-1"], colour["measure-1-2"], colour["measure-2-1"]}) == 3
    assert "Työterveyslaitos" in [i["label"] for i in v.legend]


def test_timeline_says_what_hatching_means(g, findings):
    """Hatched bars are explained by a legend sample that is hatched as they are, and each
    bar's tooltip says its marks in words."""
    v = render.build_view(g, "timeline", findings=findings, today=TODAY, lang="en")
    hatched = [i for i in v.legend if i.get("hatch")]
    assert [i["label"] for i in hatched] == [
        "hatched, dashed: division of work still to be agreed"]
    html = render.view_html(v)
    sample = html[html.index('class="legend-hatched"'):]
    sample = sample[:sample.index("</span>")]
    assert 'fill="url(#gantt-hatch)"' in sample and 'id="gantt-hatch"' in html
    title = bars(v)["measure-1-1"].find(f"{SVG}title").text
    assert title.endswith("Jan 2026 – Sep 2026 · division of work still to be agreed")


def test_timeline_marks_come_from_the_findings(g, findings):
    v = render.build_view(g, "timeline", findings=findings, today=TODAY)
    drawn = bars(v)
    for m, bar in drawn.items():
        kinds = {f["kind"] for f in findings if f["subject"] == m}
        classes = set(bar.get("class").split())
        assert ("deferred" in classes) == ("deferred-responsibility" in kinds
                                           or g.nodes[m].get("deferred", False)), m
        assert ("several-leads" in classes) == ("multiple-leads" in kinds), m
    # without findings, the several-leads mark goes (the chart keeps no rule of its own)
    bare = bars(render.build_view(g, "timeline", findings=[], today=TODAY))
    assert not any("several-leads" in b.get("class") for b in bare.values())


def test_timeline_shows_milestones_today_and_measures_without_months(g, findings):
    v = render.build_view(g, "timeline", findings=findings, today=TODAY)
    svg = svg_of(v)
    milestones = [m for m in svg.iter(f"{SVG}g") if m.get("class") == "gantt-milestone"]
    assert [m.get("data-month") for m in milestones] == ["2026-10"]
    assert "Benchmark" in "".join(milestones[0].itertext())
    today = next(m for m in svg.iter(f"{SVG}g") if m.get("class") == "gantt-today")
    line = today.find(f"{SVG}line")
    # 29 November 2026: the 11th month of the axis, 28/30 of the way through it
    assert float(line.get("x1")) == pytest.approx(LABEL_WIDTH + (10 + 28 / 30) * MONTH_WIDTH)
    # Finnish by default: the two measures without months say so in their rows
    assert "".join(svg.itertext()).count("ei aikataulua suunnitelmassa") == 2
    assert v.subtitle.startswith("18 toimenpidettä · 1/2026–6/2028")
    # months and today's date as Finnish writes them (they read 2026-01 – 2028-06, 2026-11-29)
    assert "tänään 29.11.2026" in "".join(today.itertext())
    assert len(v.table["rows"]) == 18
    assert [r["milestones"] for r in v.table["rows"] if r["id"] == "measure-1-2"] == [
        "10/2026 Benchmark"]
    assert sum(1 for r in v.table["rows"] if r["start"] is None) == 2
    # the table writes months as Finnish does; the data keeps them as the plan does
    first = next(r for r in v.table["rows"] if r["id"] == "measure-1-1")
    assert (first["start"], first["start_shown"], first["end_shown"]) == (
        "2026-01", "1/2026", "9/2026")
    assert "<td>1/2026</td><td>9/2026</td>" in render.view_html(v)


def test_today_outside_the_plan_draws_no_today_line(g, findings):
    v = render.build_view(g, "timeline", findings=findings, today=date(2031, 1, 1))
    assert not any(x.get("class") == "gantt-today" for x in svg_of(v).iter(f"{SVG}g"))


def test_render_cli_writes_both_views(tmp_path):
    for view in ("plan", "timeline"):
        out = tmp_path / f"{view}.html"
        r = run("render", PLAN, "--view", view, "-o", out)
        assert r.exit_code == 0, r.output
        html = out.read_text(encoding="utf-8")
        assert 'data-view="' + view + '"' in html and "<script src" not in html


@pytest.mark.parametrize("view", ["plan", "timeline"])
def test_a_graph_without_a_plan_draws_no_empty_plan_page(tmp_path, view):
    """An empty chart would pass for a plan with nothing in it: one clear error instead,
    naming the graph, and nothing written."""
    out = tmp_path / f"{view}.html"
    r = run("render", MINI, "--view", view, "-o", out, "--lang", "en")
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"error: --view: 'mini' has no action plan (no plan measures), so there is nothing "
        f"to draw in the '{view}' view: import a plan table with polku plan import, or add "
        "the plan sheets to the workbook")
    assert not out.exists()


# -- in a browser ---------------------------------------------------------------------------

def test_plan_view_in_chromium(open_page, tmp_path, g, findings):
    out = tmp_path / "plan.html"
    render.write_view(g, "plan", out, audience="editor", findings=findings)
    opened = open_page(out)
    page = opened.page
    shown = set(page.evaluate("window.polku.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
    assert set(nodes_of(g, "measure")) <= shown
    box = {m: page.evaluate("id => window.network.getBoundingBox(id)", m)
           for m in ("measure-1-1", "measure-1-3", "measure-1-4", "measure-3-6")}
    # hierarchical, left to right: goal, measures, actors
    goal = page.evaluate("id => window.network.getPosition(id)", "goal-1")
    actor = page.evaluate("id => window.network.getPosition(id)", "ttl")
    assert goal["x"] < box["measure-1-1"]["left"] and box["measure-1-1"]["right"] < actor["x"]
    # the labels are legible as the page opens: it opens no smaller than PLAN_MIN_SCALE
    # (the whole plan fitted in the window shrank its 17 px labels to some 6 px)
    scale = page.evaluate("window.network.getScale()")
    assert scale >= PLAN_MIN_SCALE and 17 * scale >= 13
    top = page.evaluate("id => window.network.canvasToDOM(window.network.getPosition(id))",
                        "measure-1-1")
    assert 0 < top["y"] < 300  # at the plan's top, its first measure in sight
    page.fill(".pv-search-input", "measure-2-4")
    page.click(".pv-search-go")
    assert page.evaluate("window.network.getSelectedNodes()") == ["measure-2-4"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-plan.png"))
    opened.clean()


def test_gantt_chart_in_chromium(open_page, tmp_path, g, findings):
    out = tmp_path / "timeline.html"
    render.write_view(g, "timeline", out, audience="editor", findings=findings, today=TODAY)
    opened = open_page(out)
    page = opened.page
    assert page.evaluate("document.documentElement.lang") == "fi"
    bar = {m: page.locator(f'rect.gantt-bar[data-measure="{m}"]').bounding_box()
           for m in ("measure-1-1", "measure-1-3", "measure-1-4", "measure-3-6")}
    # drawn where the months say: 1.3 and 1.4 both run 2026-04..2028-03
    assert bar["measure-1-3"]["x"] == pytest.approx(bar["measure-1-4"]["x"], abs=1)
    assert bar["measure-1-3"]["width"] == pytest.approx(bar["measure-1-4"]["width"], abs=1)
    assert bar["measure-1-1"]["x"] < bar["measure-1-3"]["x"] < bar["measure-3-6"]["x"]
    assert bar["measure-1-1"]["y"] < bar["measure-1-3"]["y"] < bar["measure-3-6"]["y"]
    # labels are legible at the default size: at least 12 px, and no two row labels
    # overlap
    sizes = page.evaluate("[...document.querySelectorAll('.gantt-label')]"
                          ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) == 18 and min(sizes) >= 12
    boxes = page.evaluate("[...document.querySelectorAll('.gantt-label')]"
                          ".map(e => { const b = e.getBoundingClientRect(); "
                          "return [b.top, b.bottom]; })")
    assert all(a[1] <= b[0] + 0.5 for a, b in zip(boxes, boxes[1:]))
    # the label column is not overlapped by the bars
    first_bar_left = min(b["x"] for b in bar.values())
    rights = page.evaluate("[...document.querySelectorAll('.gantt-label')]"
                           ".map(e => e.getBoundingClientRect().right)")
    assert max(rights) < first_bar_left
    # the today line and the milestone are drawn
    assert page.locator(".gantt-today line").count() == 1
    assert page.locator('.gantt-milestone[data-month="2026-10"]').count() == 1
    # the table alternative is reachable by keyboard
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-timeline.png"), full_page=True)
    opened.clean()


def test_the_timelines_table_page_lists_its_measures() -> None:
    """The timeline's "as a table" link leads to its rows (measures, months, leads), as the
    chart shows them under itself: it showed empty node and link tables (a chart has none)."""
    from fastapi.testclient import TestClient

    from polku.app import create_app

    page = TestClient(create_app([PLAN])).get("/graphs/plan/table",
                                              params={"view": "timeline", "lang": "fi"})
    assert page.status_code == 200
    assert page.text.count("data-measure=") == 18
    assert "Aikajana taulukkona" in page.text and "1/2026" in page.text
    assert "Solmut (0)" not in page.text


def test_every_finding_of_the_plan_page_links_to_a_view_that_opens() -> None:
    """The plan's graph page links each finding to its subject in a view; a risk (29
    risk-without-mitigation findings) linked to the plan view focused on the risk, which the
    plan view does not draw: 400 "'risk-1-2-2' ei näy tässä näkymässä". It opens the plan
    focused on the risk's measure now."""
    import html
    import re

    from fastapi.testclient import TestClient

    from polku.app import create_app

    client = TestClient(create_app([PLAN]))
    for lang in ("fi", "sv"):
        page = client.get("/graphs/plan", params={"lang": lang})
        links = {html.unescape(h) for h in re.findall(r'href="(/graphs/plan/view\?[^"]*)"', page.text)}
        assert any("focus=measure-1-2" in h for h in links)
        assert not any("focus=risk-" in h for h in links)
        for link in sorted(links):
            assert client.get(link).status_code == 200, link


def test_timeline_subtitle_counts_read_as_finnish(tmp_path):
    """The chart's subtitle names each count's meaning before the number, in Finnish:
    "8 työnjako sopimatta · 0 useita päävastuullisia" said that a division of work is
    not agreed eight times and that there are "0 several" leads."""
    out = tmp_path / "timeline.html"
    r = run("render", PLAN, "--view", "timeline", "-o", out,
            "--lang", "fi")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "työnjako sopimatta: 8" in page and "useita päävastuullisia: 0" in page
    assert "ilman aikataulua: 2" in page
    assert "0 useita" not in page and "8 työnjako" not in page


def test_the_plan_subtitles_count_one_measure_as_one(g) -> None:
    """A plan of one goal with one measure says '1 tavoite · 1 toimenpide · 1 toimija'
    (it read '1 tavoitetta · 1 toimenpidettä'), in Swedish '1 mål · 1 åtgärd'; the
    findings' counts stand after their names in every language."""
    one = g.copy()
    goals = sorted(nodes_of(one, "goal"))
    measures = sorted(nodes_of(one, "measure"))
    actors = sorted(nodes_of(one, "actor"))
    one.remove_nodes_from(goals[1:] + measures[1:] + actors[1:]
                          + sorted(nodes_of(one, "risk")) + sorted(nodes_of(one, "indicator")))
    fi = render.build_view(one, "plan", lang="fi").subtitle
    assert fi.startswith("1 tavoite · 1 toimenpide · 1 toimija · päävastuu puuttuu: "), fi
    sv = render.build_view(one, "timeline", lang="sv", today=TODAY).subtitle
    assert sv.startswith("1 åtgärd · "), sv
    assert "arbetsfördelning ej avtalad: " in sv and "utan tidtabell: " in sv
    many = render.build_view(g, "plan", lang="en").subtitle
    assert many.startswith("3 goals · 18 measures · "), many


def test_one_today_in_finland_everywhere_with_a_fixed_clock(monkeypatch, tmp_path) -> None:
    """At 00.16 on 5 December in Helsinki (22.16 UTC on the 4th, where the server's own
    date.today() still was) the plan timeline said "tänään 4.12.2026" beside a report
    stamped "5.12.2026 klo 0.16": every date is now the one clock's (polku.clock), in
    Helsinki time."""
    from datetime import datetime, timezone

    from helpers import EXAMPLE
    from polku import clock
    from polku.followup import today

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 4, 22, 16, tzinfo=timezone.utc))
    assert today() == "2026-12-05"
    timeline, report = tmp_path / "timeline.html", tmp_path / "report.html"
    r = run("render", PLAN, "--view", "timeline", "-o", timeline, "--lang", "fi")
    assert r.exit_code == 0, r.output
    label = re.search(r'class="gantt-todaylabel"[^>]*>([^<]*)<', timeline.read_text("utf-8"))
    assert label and label.group(1) == "tänään 5.12.2026", label and label.group(1)
    r = run("report", EXAMPLE, "-o", report, "--lang", "fi", "-q")
    assert r.exit_code == 0, r.output
    assert "5.12.2026 klo 0.16" in report.read_text("utf-8")
    r = run("render", PLAN, "--view", "timeline", "-o", timeline, "--lang", "sv")
    label = re.search(r'class="gantt-todaylabel"[^>]*>([^<]*)<', timeline.read_text("utf-8"))
    assert label and label.group(1).endswith(" 5.12.2026"), label and label.group(1)
