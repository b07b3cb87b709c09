"""WCAG 2.1 3.1.2 and 1.4.13 in headless Chromium: on a Swedish page of the example region
(copied with some names left Finnish only) every Finnish-only name a reader meets (the page,
the views' tables, the tooltips and details the page script builds) says ``lang="fi"``, and a
Finnish page marks none; a view's tooltip stays while the pointer is on it and Escape hides
it without moving the pointer or the focus. Marking changes nothing one sees: a page
screenshot with the marks taken out is the same. Every request that leaves the machine is
blocked. The static half is tests/test_language_of_parts.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ARTIFACTS, guard, only, run
from test_language_of_parts import finnish_only

#: the Finnish-only names in the page's text that are not read as Finnish: [name, lang, tag]
UNMARKED = """(names) => {
  const bad = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const t = walk.currentNode, el = t.parentElement;
    if (el.closest("script, style, title")) continue;
    // an <option> holds text only: one that mixes a name with other words cannot mark it
    if (el.closest("option") && !names.includes(el.closest("option").textContent.trim())) continue;
    for (const n of names) {
      if (t.data.includes(n)) {
        const lang = el.closest("[lang]").getAttribute("lang");
        if (lang !== "fi") bad.push([n, lang, el.tagName]);
      }
    }
  }
  return bad;
}"""
#: the names the page script marked or the page carries: every element with a lang of its
#: own but the page's root, a view's section, the web UI's bar and the language switch
MARKED = """() => [...document.querySelectorAll("body [lang]")]
  .filter((e) => !e.matches("section.polku-view, .polku-uibar, [role=status], [hreflang], [aria-current]"))
  .map((e) => [e.tagName, e.getAttribute("lang"), e.textContent.slice(0, 60)])"""
#: the page with its name marks taken out, as it would be without them
UNMARK = """() => {
  document.querySelectorAll("body span[lang]").forEach((s) => s.replaceWith(s.textContent));
  document.querySelectorAll("body [lang]").forEach((e) => {
    if (!e.matches("section.polku-view, .polku-uibar, [role=status], [hreflang], [aria-current]"))
      e.removeAttribute("lang");
  });
}"""


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return finnish_only(tmp_path_factory.mktemp("browser-region") / "keski-uusimaa")


def shot(page, name: str, **options) -> bytes:
    ARTIFACTS.mkdir(exist_ok=True)
    return page.screenshot(path=str(ARTIFACTS / f"langmarks-{name}.png"), **options)


def looks_the_same(page, name: str, selector: str | None = None) -> None:
    """A screenshot before and after the marks are taken out: the same pixels."""
    target = page.locator(selector) if selector else page
    before = target.screenshot(path=str(ARTIFACTS / f"langmarks-{name}.png"))
    page.evaluate(UNMARK)
    page.wait_for_timeout(100)
    after = target.screenshot(path=str(ARTIFACTS / f"langmarks-{name}-unmarked.png"))
    assert before == after, f"{name}: the marks changed how the page looks"


def test_a_swedish_view_marks_its_finnish_names_and_escape_hides_a_tooltip(
        tmp_path: Path, open_page, region) -> None:
    folder, names = region
    out = tmp_path / "sv.html"
    run("render", folder, "--view", "segment:seg-hoitosuhteessa", "--lang", "sv", "-o", out)
    opened = open_page(out)
    page = opened.page
    finnish = list(names.values())
    assert opened.js(UNMARKED, finnish) == []
    marks = opened.js(MARKED)
    # the Finnish names; and, in the view's table below the picture, a name in English
    # where a node's facts list it ("in English: …"), marked English
    assert marks and "fi" in {lang for _, lang, _ in marks} \
        and {lang for _, lang, _ in marks} <= {"fi", "en"}, marks
    assert any(names["ips"] in text for _, _, text in marks)  # the hand-off table
    # a tooltip, built by the page script, marks the name in it
    tip = page.locator(".pv-tooltip")
    x, y = opened.dom_point("ips")
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator('span[lang="fi"]').first.inner_text() == names["ips"]
    assert opened.js(UNMARKED, finnish) == []
    shot(page, "view-tooltip")
    # Escape hides it; the pointer stays on the node and the focus where it was
    focused = opened.js("document.activeElement && document.activeElement.tagName")
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert opened.js("document.activeElement && document.activeElement.tagName") == focused
    page.wait_for_timeout(600)
    assert tip.is_hidden()  # and it does not come back while the pointer rests there
    # hoverable: the pointer may leave the node for the tooltip, and it stays
    page.mouse.move(x - 60, y - 60, steps=3)
    # left the node: gone after the page's 300 ms grace (waited for, not a fixed time: a
    # busy machine's timers run late)
    tip.wait_for(state="hidden", timeout=5_000)
    page.mouse.move(x, y, steps=4)
    tip.wait_for(state="visible", timeout=5_000)
    box = tip.bounding_box()
    # onto the tooltip within the grace (few steps: each is a round trip to the browser)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=2)
    page.wait_for_timeout(800)
    assert tip.is_visible()
    page.mouse.move(5, 5, steps=3)  # off the picture: it goes
    tip.wait_for(state="hidden", timeout=5_000)
    # the details of a clicked node mark it too
    page.mouse.click(x, y)
    details = page.locator(".pv-details-text")
    assert details.locator('span[lang="fi"]').first.inner_text() == names["ips"]
    page.keyboard.press("Escape")
    looks_the_same(page, "view-foot", ".pv-foot")
    opened.clean()
    # the same view in Finnish marks no name
    fi = tmp_path / "fi.html"
    run("render", folder, "--view", "segment:seg-hoitosuhteessa", "-o", fi)
    opened = open_page(fi)
    x, y = opened.dom_point("ips")
    opened.page.mouse.move(x, y, steps=4)
    opened.page.locator(".pv-tooltip").wait_for(state="visible", timeout=5_000)
    # no Finnish name is marked; the table below the picture marks the Swedish and English
    # names its nodes' facts list ("ruotsiksi: …"), and nothing else is marked
    marks = opened.js(MARKED)
    in_table = opened.js("() => document.querySelectorAll('#polku-view-table [lang]').length")
    assert {lang for _, lang, _ in marks} <= {"sv", "en"} and len(marks) == in_table, marks
    opened.clean()


@pytest.fixture(scope="module")
def base_url(region):
    from live_server import serving
    from polku.app import create_app

    with serving(create_app([region[0].parent])) as url:
        yield url


@pytest.mark.parametrize("path", ["", "/view?view=blueprint:polku-ips", "/report",
                                  "/paths?segment=seg-hoitosuhteessa"])
def test_served_swedish_pages_mark_finnish_names_and_look_the_same(
        browser, base_url: str, region, path: str) -> None:
    _, names = region
    finnish = list(names.values())
    join = "&" if "?" in path else "?"
    for lang in ("sv", "fi"):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        opened = guard(page, base_url, only(base_url, "data:", "about:"))
        page.goto(f"{base_url}/graphs/keski-uusimaa{path}{join}lang={lang}")
        page.wait_for_load_state("load")
        marks = page.evaluate(MARKED)
        if lang == "fi":
            # a chart's table in the report gives each node's Swedish and English names as
            # facts ("ruotsiksi: Unga"), each marked with its language; nothing else is
            tables = page.evaluate("() => [...document.querySelectorAll('.pv-astable [lang]')]"
                                   ".map((e) => e.getAttribute('lang'))")
            assert set(tables) <= {"sv", "en"} and len(marks) == len(tables), marks
        else:
            assert page.evaluate(UNMARKED, finnish) == []
            # the report's charts have their tables below them (WCAG 1.1.1), whose facts
            # give a node's English name too ("på engelska: Initial interview"), marked so
            assert marks and {m[1] for m in marks} == (
                {"fi", "en"} if path == "/report" else {"fi"}), marks
            assert all(m[0] == "SPAN" for m in marks if m[1] == "en"), marks
            name = path.strip("/").split("?")[0] or "graph"
            looks_the_same(page, f"served-{name}")
        opened.clean()
        page.close()
