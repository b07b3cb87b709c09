"""The views in a real browser: headless Chromium (Debian's package, installed by
scripts/setup --tests) driven by Playwright, every page opened from disk with all network
traffic blocked.

Each test fails if the page attempts any request other than its own file, logs a console
error, or opens a dialog (the ``open_page`` fixture, conftest.py). Screenshots go to
test-artifacts/. Under CI=true nothing here is skipped; elsewhere only when Chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ARTIFACTS, Opened
from polku.present import views as render
from polku.graph import nodes_of, responsibilities
from polku.analyses.paths import best_paths
from polku.analyses.reach import ecosystem, segment_reach
from render_graph import XSS, XSS_SCRIPT, demo_graph, findings, g  # noqa: F401 (fixtures)


def write(tmp_path: Path, g, view: str, **kwargs) -> Path:
    out = tmp_path / f"{view.replace(':', '_')}.html"
    render.write_view(g, view, out, audience="editor", **kwargs)
    return out


def shot(opened: Opened, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"render-{name}.png"))


def expected(g, view: str, findings=()) -> set[str]:
    """What each view must draw, worked out from the graph, not from the view code."""
    if view == "ecosystem":
        return {n for n, t in g.nodes(data="type")
                if t in ("actor", "service", "segment", "need", "outcome")}
    kind, _, arg = view.partition(":")
    if kind == "segment":
        needs = {v for _, v, k in g.out_edges(arg, data="kind") if k == "has_need"}
        return segment_reach(ecosystem(g), arg) | {arg} | needs
    if kind == "path":
        steps = {v for _, v, k in g.out_edges(arg, data="kind") if k == "step"}
        seg = {v for _, v, k in g.out_edges(arg, data="kind") if k == "path_segment"}
        return steps | seg
    rows = responsibilities(g)
    # and the subjects the findings say nobody (or several) leads, even with no row on them
    from polku.kinds import NO_LEAD_KINDS, SEVERAL_LEADS_KINDS
    flagged = {f["subject"] for f in findings if f["kind"] in NO_LEAD_KINDS + SEVERAL_LEADS_KINDS}
    return {r.actor for r in rows} | {r.subject for r in rows} | flagged


@pytest.mark.parametrize("view", ["ecosystem", "segment:seg-hoitosuhteessa",
                                  "segment:seg-monitarve", "path:polku-ips", "path:polku-velat",
                                  "responsibility"])
def test_view_loads_offline_with_its_nodes(tmp_path, open_page, g, findings, view):
    paths = best_paths(g, view.split(":")[1], k=3) if view.startswith("segment:") else None
    opened = open_page(write(tmp_path, g, view, findings=findings, paths=paths, k=3))
    want = expected(g, view, findings)
    assert opened.in_network() == want
    assert opened.drawn() == want
    assert opened.js("document.querySelectorAll('.pv-legend-item').length") >= 4
    assert opened.js("document.querySelector('.pv-title').textContent").strip()
    if view == "path:polku-velat":
        kinds = opened.js("window.polku.edges.get().map(e => e.kind)")
        assert kinds.count("broken") == 2
    if view.startswith("segment:") and paths:
        assert opened.js("window.polku.edges.get({filter: e => e.onpath === 0}).length") >= 1
    shot(opened, view.replace(":", "-"))
    opened.clean()


def test_search_focuses_and_selects_a_node(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings, lang="en"))
    box = opened.page.locator(".pv-search-input")
    box.fill("ips-työhönvalmennus")           # any case
    box.press("Enter")
    # the focus animation takes 400 ms; on a busy machine frames come later, so wait for
    # the view to arrive rather than for a fixed time
    opened.page.wait_for_function(
        """() => { const v = window.network.getViewPosition(), n = window.network.getPosition('ips');
                   return Math.abs(v.x - n.x) < 2 && Math.abs(v.y - n.y) < 2; }""", timeout=10000)
    assert opened.js("window.network.getSelectedNodes()") == ["ips"]
    assert "IPS-työhönvalmennus" in opened.page.locator(".pv-status").inner_text()
    assert "Provider: Keusote" in opened.page.locator(".pv-details-text").inner_text()
    box.fill("no such thing")
    box.press("Enter")
    assert "No node matches" in opened.page.locator(".pv-status").inner_text()
    opened.clean()


def test_clicking_a_node_shows_its_tooltip(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings, lang="en"))
    x, y = opened.dom_point("typ")
    opened.page.mouse.move(x, y)
    opened.page.mouse.click(x, y)
    tip = opened.page.locator(".pv-tooltip")  # the page's own tooltip (WCAG 1.4.13)
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert "Service: Monialainen palvelutarpeen arviointi" in text
    assert "Capacity: 30 / month" in text and "several leads" in text
    assert opened.js("window.network.getSelectedNodes()") == ["typ"]
    assert "Monialainen palvelutarpeen arviointi" in opened.page.locator(".pv-details-text").inner_text()
    shot(opened, "tooltip")
    opened.clean()


def test_xss_label_stays_text(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings, lang="en"))
    box = opened.page.locator(".pv-search-input")
    box.fill(XSS)
    box.press("Enter")
    opened.page.wait_for_function(   # the node stops moving once the focus animation ends
        """() => { const v = window.network.getViewPosition(), n = window.network.getPosition('xss');
                   return Math.abs(v.x - n.x) < 2 && Math.abs(v.y - n.y) < 2; }""", timeout=10000)
    assert opened.js("window.network.getSelectedNodes()") == ["xss"]
    x, y = opened.dom_point("xss")
    opened.page.mouse.move(x, y)
    tip = opened.page.locator(".pv-tooltip")  # the page's own tooltip (WCAG 1.4.13)
    tip.wait_for(state="visible", timeout=5_000)
    assert f"Service: {XSS}" in tip.inner_text()               # shown as text …
    assert opened.js("document.querySelectorAll('img, iframe, object').length") == 0  # … not markup
    assert XSS in opened.page.locator(".pv-details-text").inner_text()
    labels = opened.js("window.polku.data.nodes.map(n => n.label)")
    assert XSS in labels and "Klubitalo " + XSS_SCRIPT in labels   # the data block survived whole
    # the page's own five (vis, ours, data, start, the scroll boxes' focus): none injected
    assert opened.js("document.querySelectorAll('script').length") == 5
    opened.page.wait_for_timeout(300)
    shot(opened, "xss")
    opened.clean()


def test_filters_by_type_and_by_segment(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings))
    all_nodes = expected(g, "ecosystem")
    opened.page.locator(".pv-type[value=service]").uncheck()
    assert opened.drawn() == all_nodes - set(nodes_of(g, "service"))
    opened.page.locator(".pv-type[value=service]").check()
    assert opened.drawn() == all_nodes
    eco = ecosystem(g)
    for seg in nodes_of(g, "segment"):
        opened.page.locator(".pv-segment").select_option(seg)
        reach = segment_reach(eco, seg)
        needs = {v for _, v, k in g.out_edges(seg, data="kind") if k == "has_need"}
        providers = {u for s in reach for u, _, k in g.in_edges(s, data="kind") if k == "provides"}
        assert opened.drawn() == reach | {seg} | needs | providers, seg
    # A referral limited to another segment is hidden with it.
    opened.page.locator(".pv-segment").select_option("seg-tyovalmiit")
    assert opened.js("window.polku.edges.get('ref:r3').hidden") is True
    opened.page.locator(".pv-reset").click()
    assert opened.drawn() == all_nodes
    assert opened.js("window.polku.edges.get('ref:r3').hidden") is False
    opened.clean()


def test_big_graph_collapses_and_opens_clusters(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings, cluster_threshold=10))
    drawn = opened.drawn()
    assert "cluster:actor:kela" in drawn and "typ" not in drawn and "tyokokeilu" not in drawn
    assert opened.js("window.network.physics.options.enabled") is False   # stopped after layout
    x, y = opened.dom_point("cluster:actor:kela")
    opened.page.mouse.click(x, y)
    drawn = opened.drawn()
    assert {"typ", "tyokokeilu", "kela"} <= drawn and "cluster:actor:kela" not in drawn
    # Search opens the cluster that holds the node it finds.
    assert "cluster:actor:keusote" in drawn and "ips" not in drawn
    box = opened.page.locator(".pv-search-input")
    box.fill("IPS-työhönvalmennus")
    box.press("Enter")
    assert "ips" in opened.drawn()
    assert opened.js("window.network.getSelectedNodes()") == ["ips"]
    opened.page.wait_for_timeout(600)
    shot(opened, "clusters")
    opened.clean()


def test_two_views_on_one_page(tmp_path, open_page, g, findings):
    body = "".join(str(render.render_fragment(g, v, element_id=f"v{i}", height="560px",
                                              findings=findings))
                   for i, v in enumerate(("ecosystem", "responsibility")))
    page = tmp_path / "two.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'>{render.page_assets()}"
                    f"</head><body>{body}</body></html>", encoding="utf-8")
    opened = open_page(page)
    opened.page.wait_for_selector('#v1[data-stable="1"]', state="attached", timeout=60_000)
    assert opened.js("window.polkuViews.length") == 2
    assert opened.js("window.polkuViews[1].data.kind") == "responsibility"
    opened.clean()


def test_focus_page(tmp_path, open_page, g, findings):
    opened = open_page(write(tmp_path, g, "ecosystem", findings=findings, focus="ips", depth=1))
    assert opened.drawn() == {"ips", "typ", "tyo", "keusote", "mielenterveys"}
    shot(opened, "focus")
    opened.clean()


def test_page_embedded_as_iframe_srcdoc_runs_sandboxed(tmp_path, open_page, g, findings):
    inner = render.render_html(g, "segment:seg-hoitosuhteessa", audience="editor",
                               findings=findings, lang="en")
    outer = tmp_path / "embed.html"
    outer.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                     f"{render.iframe(inner, title=XSS, height='600px')}</body></html>",
                     encoding="utf-8")
    # The outer page has no view of its own, so wait on the frame instead of the opener.
    opened = open_page(outer, wait="iframe.polku-view-frame")
    frame = opened.page.frame_locator("iframe.polku-view-frame")
    frame.locator('.polku-view[data-stable="1"]').wait_for(state="attached", timeout=60_000)
    assert frame.locator(".pv-title").inner_text() == "Segment · Mielenterveyden häiriö"
    assert opened.js("document.querySelector('iframe').getAttribute('sandbox')") == "allow-scripts"
    opened.clean()


def test_swedish_page_speaks_swedish(tmp_path, open_page, g, findings):
    h = g.copy()
    h.nodes["ips"]["name_sv"] = "IPS-arbetsträning"
    opened = open_page(write(tmp_path, h, "ecosystem", findings=findings, lang="sv"))
    assert opened.js("document.documentElement.lang") == "sv"
    side = opened.page.locator(".pv-side")
    assert side.locator("label.pv-label").first.text_content() == "Sök ett objekt"
    assert side.locator(".pv-search-go").inner_text() == "Sök"
    assert side.locator(".pv-reset").inner_text() == "Återställ"
    assert "Teckenförklaring" in side.text_content() and "Alla kundgrupper" in side.text_content()
    box = opened.page.locator(".pv-search-input")
    box.fill("ips-arbetsträning")
    box.press("Enter")
    status = opened.page.locator(".pv-status")
    assert status.inner_text() == "Hittade: IPS-arbetsträning."
    details = opened.page.locator(".pv-details-text").inner_text()
    assert details.startswith("Tjänst: IPS-arbetsträning")
    assert "Producent: Keusote" in details and "på finska: IPS-työhönvalmennus" in details
    box.fill("finns inte")
    box.press("Enter")
    assert status.inner_text() == "Inget matchar ”finns inte”."
    opened.page.locator(".pv-type[value=service]").uncheck()
    total = len(expected(g, "ecosystem"))
    shown = total - len(nodes_of(g, "service"))
    assert status.inner_text() == f"{shown} av {total} visas."
    shot(opened, "swedish")
    opened.clean()
