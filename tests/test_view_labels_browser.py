"""The ecosystem view's labels in headless Chromium, as a map draws its names: at the zoom
where the whole example fits, the labels drawn are readable (≥ 11 px on screen) and none
overlaps another; zoomed in so that the graph's own 17-unit font is ≥ 11 px, every node on
screen has its label; the node under the pointer and the selected (searched) one always
have theirs. The segment view draws its labels the same way, the segment, its needs, its
outcomes and the services on its best paths first. The path view, with fewer nodes, draws
every label as before.
Screenshots go to test-artifacts/. Every page is opened from disk, all other traffic blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ARTIFACTS, EXAMPLE
from polku.analyses.findings import find
from polku.analyses.paths import best_paths
from polku.io.load import load_graph
from polku.present import views as render

#: the labels the page drew last, in CSS pixels of the canvas, after a fresh redraw
BOXES = "(() => { window.network.redraw(); return window.polku.labels.boxes; })()"
#: the nodes drawn now, with their centres in CSS pixels of the canvas
CENTRES = """(() => { const ids = window.polku.nodes.get({filter: n => !n.hidden}).map(n => n.id);
    const pos = window.network.getPositions(ids);
    return ids.map(id => Object.assign({id: id}, window.network.canvasToDOM(pos[id]))); })()"""


@pytest.fixture(scope="module")
def example():
    g = load_graph(EXAMPLE)
    return g, [f.to_dict() for f in find(g)]


def ecosystem_page(tmp_path: Path, example, **kwargs) -> Path:
    g, findings = example
    out = tmp_path / "ecosystem.html"
    render.write_view(g, "ecosystem", out, audience="editor", findings=findings, lang="fi",
                      **kwargs)
    return out


def apart(boxes: list[dict]) -> list[tuple[str, str]]:
    """The pairs of label boxes that overlap."""
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]


def settle(opened, act) -> None:
    """Do ``act`` (which starts an animated move) and wait until the move has ended."""
    opened.js("window.__moved = new Promise(r => window.network.once('animationFinished', r)); 0")
    act()
    opened.js("window.__moved.then(() => new Promise(r => requestAnimationFrame(r)))")


def zoom(opened, scale: float) -> None:
    opened.js("s => window.network.moveTo({scale: s, animation: false})", scale)


def test_fitted_ecosystem_draws_readable_labels_apart(tmp_path, open_page, example):
    g, _ = example
    opened = open_page(ecosystem_page(tmp_path, example), width=1280, height=900)
    assert opened.js("window.network.getScale()") * 17 < 11   # fitted, the graph's font is tiny
    boxes = opened.js(BOXES)
    fitted = opened.js("window.network.getScale()")
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / "labels-ecosystem-fitted.png"))
    assert opened.js("window.polku.labels.mode") == "fit"
    assert len(boxes) >= 25, len(boxes)
    assert all(b["px"] >= 11 for b in boxes), boxes
    assert apart(boxes) == []
    # vis-network draws no label of its own under them (it would at ~7 px)
    assert opened.js("window.polku.nodes.get({filter: n => n.label !== undefined}).length") == 0
    # the most important names show: every segment's
    drawn = {b["id"] for b in boxes}
    segments = {n for n, t in g.nodes(data="type") if t == "segment"}
    assert segments <= drawn, segments - drawn
    # inside the picture
    w, h = opened.js("[document.querySelector('.pv-canvas').clientWidth,"
                     " document.querySelector('.pv-canvas').clientHeight]")
    assert all(0 <= b["x"] and b["x"] + b["w"] <= w and 0 <= b["y"] and b["y"] + b["h"] <= h
               for b in boxes), boxes

    # zooming in shows more names, still apart and readable
    zoom(opened, 0.55)
    closer = opened.js(BOXES)
    assert opened.js("window.polku.labels.mode") == "fit"
    assert apart(closer) == [] and all(b["px"] >= 11 for b in closer)
    centre = [c for c in opened.js(CENTRES) if 0 <= c["x"] <= w and 0 <= c["y"] <= h]
    assert len(closer) / len(centre) > len(boxes) / len(opened.js(CENTRES))

    # where the graph's 17-unit font is 11 px on screen, every node on screen is named
    zoom(opened, 11 / 17 + 1e-6)
    everything = opened.js(BOXES)
    opened.page.screenshot(path=str(ARTIFACTS / "labels-ecosystem-zoomed.png"))
    assert opened.js("window.polku.labels.mode") == "all"
    # (a label hangs beneath its node: one whose node sits at the bottom edge is off screen)
    on_screen = {c["id"] for c in opened.js(CENTRES) if 0 <= c["x"] <= w and 0 <= c["y"] <= h - 60}
    assert on_screen and on_screen <= {b["id"] for b in everything}
    assert all(b["px"] >= 11 for b in everything)

    # "Fit to screen" goes back to the same readable few
    settle(opened, lambda: opened.page.locator(".pv-fit").click())
    assert abs(opened.js("window.network.getScale()") - fitted) < 1e-9
    assert [b["id"] for b in opened.js(BOXES)] == [b["id"] for b in boxes]
    opened.clean()


def test_hovered_and_found_nodes_show_their_labels(tmp_path, open_page, example):
    g, _ = example
    opened = open_page(ecosystem_page(tmp_path, example), width=1280, height=900)
    before = opened.js(BOXES)
    drawn = {b["id"] for b in before}
    # a node with no label at this zoom, then one with, each where the pointer can reach it
    # (no other node on top)
    reachable = """labelled => window.polku.nodes.get({filter: n => !n.hidden}).map(n => n.id)
        .filter(id => labelled.includes(id) === LABELLED).find(id => window.network.getNodeAt(
            window.network.canvasToDOM(window.network.getPosition(id))) === id)"""
    unlabelled = opened.js(reachable.replace("LABELLED", "false"), sorted(drawn))
    labelled = opened.js(reachable.replace("LABELLED", "true"), sorted(drawn))
    assert unlabelled and labelled
    for target in (unlabelled, labelled):
        x, y = opened.dom_point(target)
        opened.page.mouse.move(x - 6, y - 6)
        opened.page.mouse.move(x, y, steps=3)
        opened.page.wait_for_function(
            "id => window.polku.labels.boxes.some(b => b.id === id && b.hovered)", arg=target)
        hovered = opened.js(BOXES)
        card = [b for b in hovered if b["hovered"]]
        assert [b["id"] for b in card] == [target] and card[0]["px"] >= 11 and card[0]["bold"]
        # the others stay where they were (the hovered label is a card over them)
        assert [b for b in hovered if not b["hovered"]] == [b for b in before if b["id"] != target]
        opened.page.mouse.move(2, 2)   # off the picture: the card goes with the pointer
        opened.page.wait_for_function(
            "() => !window.polku.labels.boxes.some(b => b.hovered)")
    assert opened.js(BOXES) == before
    target = unlabelled

    # found by search: selected, so its label stays when the whole picture is fitted again
    other = next(i for i in opened.js("window.polku.nodes.getIds()")
                 if i not in drawn and i != target)
    name = opened.js("id => window.polku.byId[id].label", other)
    opened.page.fill(".pv-search-input", name)
    settle(opened, lambda: opened.page.press(".pv-search-input", "Enter"))   # it zooms there
    settle(opened, lambda: opened.page.locator(".pv-fit").click())
    boxes = opened.js(BOXES)
    assert opened.js("window.polku.labels.mode") == "fit"
    assert any(b["id"] == other and b["bold"] for b in boxes), other
    opened.clean()


def test_collapsed_groups_are_labelled_first(tmp_path, open_page, example):
    """A big graph starts with its services collapsed into groups: the groups' names come
    first, apart and readable like the rest."""
    opened = open_page(ecosystem_page(tmp_path, example, cluster_threshold=10),
                       width=1280, height=900)
    boxes = opened.js(BOXES)
    assert boxes and boxes[0]["id"].startswith("cluster:")
    assert apart(boxes) == [] and all(b["px"] >= 11 for b in boxes)
    opened.clean()


@pytest.mark.parametrize("segment", ["seg-monitarve", "seg-nuoret"])
def test_fitted_segment_view_labels_what_matters_readable_and_apart(tmp_path, open_page,
                                                                     example, segment):
    """Fitted whole at 1280 × 900, the graph's own font would be about 9 px: the page draws
    the labels at 12 px, apart, and names the segment, each need, each outcome and every
    service on a best path, and nearly every other node; zoomed in, every node."""
    g, findings = example
    out = tmp_path / f"{segment}.html"
    render.write_view(g, f"segment:{segment}", out, audience="editor", findings=findings,
                      paths=best_paths(g, segment, k=3), k=3, lang="fi")
    opened = open_page(out, width=1280, height=900)
    assert opened.js("window.network.getScale()") * 17 < 11   # fitted, the graph's font is small
    boxes = opened.js(BOXES)
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"labels-segment-{segment}-fitted.png"))
    assert opened.js("window.polku.labels.mode") == "fit"
    assert all(b["px"] >= 11 for b in boxes), boxes
    assert apart(boxes) == []
    assert opened.js("window.polku.nodes.get({filter: n => n.label !== undefined}).length") == 0
    nodes = opened.js("window.polku.data.nodes.map(n => ({id: n.id, ptype: n.ptype,"
                      " onpath: n.onpath || []}))")
    drawn = {b["id"] for b in boxes}
    matters = {n["id"] for n in nodes if n["ptype"] in ("segment", "need", "outcome")
               or n["onpath"]}
    assert segment in matters and any(n["onpath"] for n in nodes)
    assert matters <= drawn, matters - drawn
    # the others too, nearly all: the picture is readable as it opens
    assert len(drawn) >= 0.9 * len(nodes), (len(drawn), len(nodes))
    w, h = opened.js("[document.querySelector('.pv-canvas').clientWidth,"
                     " document.querySelector('.pv-canvas').clientHeight]")
    assert all(0 <= b["x"] and b["x"] + b["w"] <= w and 0 <= b["y"] and b["y"] + b["h"] <= h
               for b in boxes), boxes

    # where the graph's 17-unit font is 11 px on screen, every node on screen is named
    zoom(opened, 11 / 17 + 1e-6)
    everything = opened.js(BOXES)
    opened.page.screenshot(path=str(ARTIFACTS / f"labels-segment-{segment}-zoomed.png"))
    assert opened.js("window.polku.labels.mode") == "all"
    on_screen = {c["id"] for c in opened.js(CENTRES) if 0 <= c["x"] <= w and 0 <= c["y"] <= h - 60}
    assert on_screen and on_screen <= {b["id"] for b in everything}
    assert all(b["px"] >= 11 for b in everything)
    opened.clean()


def test_unmet_need_keeps_its_red_label(tmp_path, open_page, example):
    """The segment view names an unmet need in red: the page's own label keeps that colour
    (its pixels under the label are reddish, not the graph's dark grey)."""
    g, findings = example
    out = tmp_path / "seg-terveys.html"
    render.write_view(g, "segment:seg-terveys", out, audience="editor", findings=findings,
                      paths=best_paths(g, "seg-terveys", k=3), k=3, lang="fi")
    opened = open_page(out, width=1280, height=900)
    unmet = opened.js("window.polku.data.nodes.filter(n => n.unmet).map(n => n.id)")
    assert unmet
    boxes = {b["id"]: b for b in opened.js(BOXES)}
    colours = opened.js("""ids => { const c = document.querySelector('.pv-canvas canvas');
        const ctx = c.getContext('2d'), r = c.width / c.clientWidth;
        return ids.map(b => { const d = ctx.getImageData(b.x * r, b.y * r, b.w * r, b.h * r).data;
          let red = 0, dark = 0;
          for (let i = 0; i < d.length; i += 4) {   // (a clear pixel reads as black)
            if (d[i + 3] < 200) continue;
            if (d[i] > 120 && d[i + 1] < 70 && d[i + 2] < 70) red++;
            if (d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 70) dark++; }
          return [b.id, red, dark]; }); }""",
        [boxes[n] for n in unmet] + [b for b in boxes.values() if b["id"] not in unmet][:1])
    for node, red, dark in colours:
        assert (red > dark) == (node in unmet), (node, red, dark)
    opened.clean()


def test_path_view_draws_every_label(tmp_path, open_page, example):
    """The path view keeps vis-network's labels: each node has its own, drawn at the zoom's
    size, none chosen away."""
    g, findings = example
    kind, view = "path", "path:polku-ips"
    out = tmp_path / f"{kind}.html"
    render.write_view(g, view, out, audience="editor", findings=findings, lang="fi")
    opened = open_page(out, width=1280, height=900)
    assert opened.js("window.polku.labels") is None
    shown = opened.js("window.polku.nodes.get({filter: n => !n.hidden})"
                      ".map(n => [n.id, typeof n.label === 'string' && n.label.length > 0])")
    assert shown and all(has for _, has in shown), shown
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"labels-{kind}.png"))
    opened.clean()
