"""The web UI as a keyboard-only and screen-reader user meets it, in headless Chromium: what
axe-core does not find. The edit forms and the findings filters reflow at 320 CSS px (WCAG
1.4.10); a reference combobox says how many names match as one types (4.1.3); a what-if
refused opens with the focus on the field it names (3.3.1); the view pages have a main
landmark, no nameless tab stop in the picture (4.1.2), a search field whose focus ring
shows (1.4.11) and filter labels that are not cut off (1.4.10, 1.4.12). Every request that
leaves the machine is blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpers import DESIGNER_TOKEN, guard, only

GRAPH = "/graphs/keski-uusimaa"
VIEW = GRAPH + "/view?view=segment%3Aseg-nuoret"
#: WCAG 1.4.12's text spacing, as a user's style sheet sets it
SPACING = ("*{line-height:1.5 !important;letter-spacing:.12em !important;"
           "word-spacing:.16em !important} p{margin-bottom:2em !important}")


def new_page(browser, designer_url: str, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    opened = guard(page, designer_url, only(designer_url, "data:", "about:"))
    page.outside = opened.requests  # type: ignore[attr-defined]
    return page


def give_key(page) -> None:
    """The designer's edit key typed: the page shows its edit controls once it takes it."""
    page.fill("#token", DESIGNER_TOKEN)
    page.dispatch_event("#token", "change")
    page.locator("#edit-forms").wait_for(state="visible")


#: the elements (outside data tables, which may scroll) that reach past the window's right edge
WIDER = """(sel) => { const W = document.documentElement.clientWidth;
  return [...document.querySelectorAll(sel)].filter((e) => !e.closest('table'))
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width && r.right > W + 1; })
    .map((e) => e.tagName + '#' + e.id + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right)); }"""


@pytest.mark.parametrize("path", [GRAPH + "?lang=fi",
                                  GRAPH + "/whatif?segment=seg-nuoret&lang=sv",
                                  GRAPH + "/ptv?lang=fi"])
def test_forms_reflow_at_320_css_px(browser, designer_url: str, path: str) -> None:
    """400 % zoom of a 1280 px window: labels, fields, hints and the findings filters fit."""
    page = new_page(browser, designer_url, width=320, height=256)
    page.goto(designer_url + path, wait_until="networkidle")
    if path.startswith(GRAPH + "?"):  # the edit forms show once the key is given
        give_key(page)
    wider = page.evaluate(WIDER, "form, form *, .field, .field *")
    assert wider == [], wider
    page.add_style_tag(content=SPACING)
    wider = page.evaluate(WIDER, "form, form *, .field, .field *")
    assert wider == [], wider
    page.close()


def test_combobox_says_how_many_names_match(browser, designer_url: str) -> None:
    page = new_page(browser, designer_url)
    page.goto(designer_url + GRAPH + "?lang=fi", wait_until="networkidle")
    give_key(page)
    box = page.locator("#referral-from")
    box.focus()
    page.keyboard.type("ohj")
    expect(box).to_have_attribute("aria-expanded", "true")
    shown = page.locator("#referral-from-list [role=option]").count()
    assert shown >= 1
    # a polite live region tied to the field says the count (the list itself is silent
    # until an arrow key moves into it)
    count = page.locator("#referral-from-count")
    assert count.get_attribute("role") == "status"
    expect(count).to_have_text(f"Sopivia nimiä: {shown}")
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator("#" + active).get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_be_focused()
    page.keyboard.type("qqqq")
    expect(count).to_have_text("Yksikään nimi ei täsmää.")
    page.close()


def test_refused_whatif_opens_on_the_field_it_names(browser, designer_url: str) -> None:
    page = new_page(browser, designer_url)
    page.goto(designer_url + GRAPH + "/whatif?segment=seg-monitarve&lang=fi"
              "&service=talous-ja-velkaneuvonta&capacity=80&service=aikuissosiaalityo"
              "&capacity=paljon", wait_until="networkidle")
    field = page.locator("#capacity-2")
    assert field.get_attribute("aria-invalid") == "true"
    expect(field).to_be_focused()
    page.close()


def test_view_page_landmarks_and_tab_stops(browser, designer_url: str) -> None:
    page = new_page(browser, designer_url)
    page.goto(designer_url + VIEW + "&lang=fi", wait_until="networkidle")
    page.wait_for_selector('.polku-view[data-stable="1"]')
    assert page.locator("main").count() == 1
    assert page.locator("main .polku-view").count() == 1
    # every tab stop has a name: the picture has no keyboard use of its own (a node is
    # found with the search field, the facts are in the table the bar links to)
    nameless = []
    for _ in range(30):
        page.keyboard.press("Tab")
        said = page.evaluate("""() => { const e = document.activeElement;
            if (e === document.body) return null;
            return {tag: e.tagName, cls: e.className,
                    name: (e.getAttribute('aria-label') || e.labels?.[0]?.innerText || e.innerText || e.value || '').trim()}; }""")
        if said is None:
            break
        if not said["name"]:
            nameless.append(said)
    assert nameless == [], nameless
    page.close()


def _luminance(rgb: list[float]) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_view_search_focus_ring_shows(browser, designer_url: str) -> None:
    page = new_page(browser, designer_url)
    page.goto(designer_url + VIEW + "&lang=fi", wait_until="networkidle")
    page.wait_for_selector('.polku-view[data-stable="1"]')
    for sel in (".pv-search-input", ".pv-segment"):
        page.focus(sel)
        ring = page.eval_on_selector(sel, """(e) => { const s = getComputedStyle(e);
            return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor.match(/[\\d.]+/g).slice(0, 3).map(Number)]; }""")
        assert ring[0] != "none" and ring[1] >= 2, ring
        contrast = (1.0 + 0.05) / (_luminance(ring[2]) + 0.05)  # against the white side bar
        assert contrast >= 3, (sel, ring, contrast)
    page.close()


@pytest.mark.parametrize("spacing", [False, True])
def test_view_reflows_at_320_css_px(browser, designer_url: str, spacing: bool) -> None:
    page = new_page(browser, designer_url, width=320, height=256)
    page.goto(designer_url + VIEW + "&lang=en", wait_until="networkidle")
    page.wait_for_selector('.polku-view[data-stable="1"]')
    if spacing:
        page.add_style_tag(content=SPACING)
    wider = page.evaluate(WIDER, ".polku-view, .polku-view *:not(canvas)")
    assert wider == [], wider
    # no filter label cut off with an ellipsis
    cut = page.evaluate("""() => [...document.querySelectorAll('.pv-check')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.innerText.trim())""")
    assert cut == [], cut
    page.close()


def test_suggest_a_fix_takes_the_focus_to_the_suggestions(browser, designer_url: str) -> None:
    """The suggestions appear below the whole findings table: Enter on a row's button takes
    the focus there, so a keyboard user need not tab through every row to reach Apply."""
    page = new_page(browser, designer_url)
    page.goto(designer_url + GRAPH + "?lang=en", wait_until="networkidle")
    give_key(page)
    page.locator("button.suggest").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#suggestions-list")).not_to_contain_text("…")
    expect(page.locator("#suggestions-title")).to_be_focused()
    page.close()
