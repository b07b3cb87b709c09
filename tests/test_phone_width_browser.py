"""The served pages keep a phone's width (WCAG 2.1 SC 1.4.10 Reflow), in headless Chromium
on the served example regions: at 390 px (a phone) and at 1280 px the page never scrolls
sideways (``document.documentElement.scrollWidth`` is the window's width). A wide table,
the RACI matrix, the blueprint and the regions' chart scroll in a box of their own
(templates/scroll-box.html), which the keyboard can focus, with a focus ring, and which is
named by its table's caption or its heading. Measured before: the index 989 px wide at 390,
the RACI page 5,656 px at 390 and at 1280, the others 528 to 964 px. The offline RACI page
(``polku raci --format html``) keeps the width too. Every request that leaves the app is
blocked."""

from __future__ import annotations

import shutil

import pytest

from helpers import ROOT, guard, only, run, until
from live_server import serving
from polku.app import create_app

G = "/graphs/keski-uusimaa"
PAGES = [
    "/?lang=fi",
    f"{G}?lang=fi",
    f"{G}/paths?segment=seg-monitarve&lang=fi",
    f"{G}/bottlenecks?lang=fi",
    f"{G}/raci?lang=fi",
    f"{G}/changes?lang=fi",
    f"{G}/view?view=segment:seg-nuoret&lang=fi",
    f"{G}/view?view=blueprint:seg-nuoret&lang=fi",
    "/compare?lang=fi",
    f"{G}/table?view=segment:seg-nuoret&lang=fi",
    f"{G}/table?view=blueprint:seg-nuoret&lang=fi",
]

#: each scroll box: focusable?, its role, its accessible name (aria-label, or the text of
#: the elements aria-labelledby names), whether its content is wider than it (wider or
#: taller: whether it scrolls)
BOXES = """() => [...document.querySelectorAll('.scroll-box')].map((b) => ({
  tabindex: b.getAttribute('tabindex'), role: b.getAttribute('role'),
  name: (b.getAttribute('aria-label') || (b.getAttribute('aria-labelledby') || '').split(' ')
    .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ')).trim(),
  wide: b.scrollWidth > b.clientWidth + 1,
  scrolls: b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1,
  shown: b.offsetParent !== null}))"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """Both example regions (the comparison needs two), read-only."""
    folder = tmp_path_factory.mktemp("served")
    for name in ("keski-uusimaa", "keski-suomi"):
        shutil.copytree(ROOT / "graphs" / name, folder / name)
    with serving(create_app([folder])) as url:
        yield url


def opened(browser, base_url: str, address: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 844})
    watched = guard(page, base_url, only(base_url, "data:", "about:"))
    page.goto(base_url + address, wait_until="networkidle")
    if "/view?" in address:
        page.wait_for_selector('.polku-view[data-stable="1"]', state="attached")
    return page, watched


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("address", PAGES)
def test_page_keeps_the_windows_width(browser, base_url, address: str, width: int) -> None:
    page, watched = opened(browser, base_url, address, width)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") == width
        boxes = page.evaluate(BOXES)
        assert boxes, "no scroll box"
        # a stop for the Tab key only while it scrolls; on a page that runs no script (a
        # blueprint, a chart) every box stays one
        scripted = page.evaluate("document.querySelector('script') !== null")
        for box in boxes:
            assert box["tabindex"] == ("0" if box["scrolls"] or not scripted else None), box
            assert box["role"] == "region" and box["name"], box
        if width == 390:              # each page holds something wider than a phone
            assert any(b["scrolls"] for b in boxes), boxes
        if address.endswith("/raci?lang=fi"):       # the matrix is wider than any window
            assert [b["scrolls"] for b in boxes] == [True]
        assert watched.requests == [] and watched.errors == [], (watched.requests,
                                                                 watched.errors)
    finally:
        page.close()


@pytest.mark.parametrize("address", PAGES)
def test_a_scroll_box_scrolls_from_the_keyboard_with_a_focus_ring(browser, base_url,
                                                                  address: str) -> None:
    """Tab reaches the box; the arrow keys scroll it, not the page; its ring shows."""
    page, _ = opened(browser, base_url, address, 390)
    try:
        index = page.evaluate(f"({BOXES})().findIndex((b) => b.wide && b.shown)")
        assert index >= 0
        box = page.locator(".scroll-box").nth(index)
        box.focus()                       # then back and forth with the keyboard: Tab
        page.keyboard.press("Shift+Tab")  # from the element before it lands on the box
        page.keyboard.press("Tab")
        assert page.evaluate("(i) => document.activeElement === "
                             "document.querySelectorAll('.scroll-box')[i]", index)
        ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
        assert ring[0] != "none" and ring[1] >= 2, ring
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        # scrolling may be smooth: wait for it rather than for a fixed time (CI is busy)
        until(page, "document.activeElement.scrollLeft > 0")
        assert page.evaluate("window.scrollX") == 0
    finally:
        page.close()


def test_offline_raci_page_keeps_a_phones_width(browser, tmp_path) -> None:
    out = tmp_path / "raci.html"
    result = run("raci", ROOT / "graphs" / "keski-uusimaa", "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_selector("#raci-table")
        assert page.evaluate("document.documentElement.scrollWidth") == 390
        boxes = page.evaluate(BOXES)
        assert len(boxes) == 1 and boxes[0]["scrolls"] and boxes[0]["tabindex"] == "0"
        # named apart from the section around it (its heading), as two landmarks must be
        assert boxes[0]["name"] == "Matriisi: kohteet riveinä, toimijat sarakkeina"
    finally:
        page.close()


#: each visible caption of a table in a scroll box: its box's and its own left and right
#: edges, and whether its text is wider than the caption shows
CAPTIONS = """() => [...document.querySelectorAll('.scroll-box > table > caption')]
  .filter((c) => c.offsetParent !== null && c.getBoundingClientRect().width > 2).map((c) => {
    const box = c.closest('.scroll-box').getBoundingClientRect(), own = c.getBoundingClientRect();
    return {text: c.textContent.trim().slice(0, 40), box: [box.left, box.right],
            own: [own.left, own.right], cut: c.scrollWidth > c.clientWidth + 1}; })"""


@pytest.mark.parametrize("address", [
    f"{G}/paths?segment=seg-monitarve&lang=sv",
    f"{G}/whatif?segment=seg-elakepolku&service=kela-tyokokeilu&capacity=40&lang=sv",
])
def test_a_caption_wraps_within_its_scroll_box_on_a_phone(browser, base_url, address) -> None:
    """A caption is no wider than the box the table scrolls in (375 px, a small phone):
    read whole, and still whole with the table scrolled."""
    page, watched = opened(browser, base_url, address, 375)
    try:
        captions = page.evaluate(CAPTIONS)
        assert captions, "no caption"
        for c in captions:
            assert c["own"][0] >= c["box"][0] - 1 and c["own"][1] <= c["box"][1] + 1, c
            assert not c["cut"], c
        page.evaluate("document.querySelectorAll('.scroll-box').forEach((b) => b.scrollLeft = 400)")
        for c in page.evaluate(CAPTIONS):  # a pixel's rounding of the scrolled width aside
            assert c["own"][0] >= c["box"][0] - 2 and c["own"][1] <= c["box"][1] + 2, c
        assert watched.requests == [] and watched.errors == []
    finally:
        page.close()
