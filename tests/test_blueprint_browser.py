"""The service blueprint page (``/graphs/NAME/view?view=blueprint:ID``, the page ``polku
render --view blueprint:ID`` writes) in headless Chromium, on every designed path of the
bundled example and on a segment's best paths:

- no two text labels of the picture overlap (their ``getBoundingClientRect`` boxes), and
  every label's computed font size is at least 12 px, on screen and in the printed sheets;
- every printed sheet fits an A4 landscape page (277 × 190 mm inside 10 mm margins);
- axe-core finds no WCAG 2.1 A/AA violation, in Finnish, Swedish and English;
- nothing is fetched and nothing is refused by the content security policy (no console error).

A screenshot of each blueprint goes to ``test-artifacts/``. Under CI=true nothing here is
skipped."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe

from helpers import ARTIFACTS, EXAMPLE, guard, only, serving_example
from polku.graph import nodes_of
from polku.io.load import load_graph

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PATHS = nodes_of(load_graph(EXAMPLE), "path")
#: an A4 landscape page inside 10 mm margins, in CSS px (96 per inch)
PAGE_W, PAGE_H = 277 / 25.4 * 96, 190 / 25.4 * 96

#: every visible label of the pictures under ``scope``: its text, box and font size, and
#: the pairs whose boxes overlap (by more than half a pixel both ways)
LABELS = """(scope) => {
  const texts = [...document.querySelectorAll(scope + ' svg.bp text')]
    .filter(t => t.getBoundingClientRect().width > 0);
  const boxes = texts.map(t => t.getBoundingClientRect());
  const sizes = texts.flatMap(t => [t, ...t.querySelectorAll('tspan')])
    .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
        a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      overlaps.push([texts[i].textContent, texts[j].textContent]);
  }
  const svgs = [...document.querySelectorAll(scope + ' svg.bp')].map(s => {
    const r = s.getBoundingClientRect(); return [r.width, r.height]; });
  return {count: texts.length, sizes, overlaps, svgs};
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    with serving_example(folder) as url:
        yield url


def opened(browser, base_url: str, view: str, lang: str = "fi", width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    guarded = guard(page, base_url, only(base_url, "data:", "about:"))
    page.goto(f"{base_url}/graphs/keski-uusimaa/view?view={view}&lang={lang}",
              wait_until="networkidle")
    return page, guarded


@pytest.mark.parametrize("view", [f"blueprint:{p}" for p in PATHS]
                         + ["blueprint:seg-monitarve"])
def test_labels_do_not_overlap_and_are_big_enough(browser, base_url: str, view: str) -> None:
    page, guarded = opened(browser, base_url, view)
    # the page at its default size, wide enough that the whole picture is in view
    wide = page.evaluate("Math.max(...[...document.querySelectorAll('.bp-screen svg')]"
                         ".map(s => s.getBoundingClientRect().width))")
    page.set_viewport_size({"width": int(wide) + 60, "height": 900})
    screen = page.evaluate(LABELS, ".bp-screen")
    steps = page.locator(".bp-screen .bp-card").count()
    assert screen["count"] > 2 * steps > 0
    assert screen["overlaps"] == []
    assert [s for s in screen["sizes"] if s[1] < 12] == []
    # the picture is drawn at its natural size (no scaling down on screen)
    natural = page.evaluate("[...document.querySelectorAll('.bp-screen svg')]"
                            ".map(s => [s.getBoundingClientRect().width, s.viewBox.baseVal.width])")
    assert all(abs(w - v) < 1 for w, v in natural)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"blueprint-{view.split(':')[1]}.png"), full_page=True)
    # printed: the sheets instead of the wide picture, each fitting A4 landscape
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(PAGE_W), "height": round(PAGE_H)})
    assert page.locator(".bp-screen").first.is_hidden()
    printed = page.evaluate(LABELS, ".bp-print")
    assert printed["count"] >= screen["count"]
    assert printed["overlaps"] == []
    assert [s for s in printed["sizes"] if s[1] < 12] == []
    assert printed["svgs"] and all(w <= PAGE_W + 1 and h <= PAGE_H + 1
                                   for w, h in printed["svgs"]), printed["svgs"]
    assert guarded.requests == [] and guarded.errors == [], (guarded.requests, guarded.errors)
    page.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("view", ["blueprint:polku-ips", "blueprint:seg-nuoret"])
def test_blueprint_page_passes_axe(browser, base_url: str, view: str, lang: str) -> None:
    page, guarded = opened(browser, base_url, view, lang)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == []
    assert guarded.requests == [] and guarded.errors == []
    # the table alternative holds a row per step of each picture
    for section in page.locator(".bp-section").all():
        assert section.locator(".bp-screen .bp-card").count() == \
            section.locator("table tbody tr").count()
    page.close()


def test_designed_paths_and_segments_link_to_their_blueprints(browser, base_url: str) -> None:
    page, _ = opened(browser, base_url, "segment:seg-nuoret")
    page.get_by_role("link", name="Palvelupiirustuksena").click()
    page.wait_for_load_state("networkidle")
    assert "blueprint%3Aseg-nuoret" in page.url or "blueprint:seg-nuoret" in page.url
    assert page.locator(".bp-section").count() >= 1
    page.goto(f"{base_url}/graphs/keski-uusimaa/paths?segment=seg-hoitosuhteessa&lang=fi")
    page.get_by_role("link", name="Palvelupiirustus: Hoidon rinnalla", exact=False).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Palvelupiirustus")
    page.close()
