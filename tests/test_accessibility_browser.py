"""WCAG 2.1 AA in a real browser: axe-core (the copy vendored in tests/vendor/axe-core, so
the rules are a version this suite names, and it runs offline) finds no violation of impact
serious or critical on the web UI's main pages, on one page `polku render` writes of each
view kind and on the report and RACI pages `polku report`/`polku raci` write, in Finnish,
and on the graph page with its edit forms in Swedish. Public-sector services in Finland must
meet WCAG 2.1 AA (the Act on the Provision of Digital Services, 306/2019).

No rule is disabled. A view page is audited with a node selected too: its details box
scrolls then, and must be reachable by the keyboard. Under CI=true nothing here is skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import DESIGNER_TOKEN, EXAMPLE, ROOT, guard, only, run
from live_server import serving
from polku.app import create_app
from polku.server.auth import parse_tokens

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
#: WCAG 2.0 and 2.1, levels A and AA: what the law asks (EN 301 549 points to WCAG 2.1 AA)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: what fails the test; moderate and minor findings are read in the audit, not enforced
FAILING = ("serious", "critical")
GRAPH = "/graphs/keski-uusimaa"

SERVED = {
    "index": "/",
    "view-ecosystem": GRAPH + "/view?view=ecosystem",
    "view-segment": GRAPH + "/view?view=segment%3Aseg-nuoret",
    "view-blueprint": GRAPH + "/view?view=blueprint%3Apolku-ips",
    "view-timeline": "/graphs/plan/view?view=timeline",
    "table": GRAPH + "/table?view=segment%3Aseg-nuoret",
    "paths": GRAPH + "/paths?segment=seg-nuoret&k=3",
    "whatif": GRAPH + "/whatif?segment=seg-nuoret&service=tyokokeilu&capacity=40",
    "bottlenecks": GRAPH + "/bottlenecks",
    "raci": GRAPH + "/raci",
    "changes": GRAPH + "/changes",
    "report": GRAPH + "/report",
    "compare": "/compare?graphs=keski-uusimaa,keski-suomi",
    "ptv": GRAPH + "/ptv",
    "error": "/graphs/nowhere",
}
#: one page of each view kind, as `polku render` writes it (--view, the graph)
RENDERED = {
    "ecosystem": ("ecosystem", EXAMPLE),
    "segment": ("segment:seg-nuoret", EXAMPLE),
    "path": ("path:polku-nuori-ohjaamo", EXAMPLE),
    "blueprint": ("blueprint:polku-ips", EXAMPLE),
    "responsibility": ("responsibility", EXAMPLE),
    "plan": ("plan", ROOT / "graphs" / "plan.ttl"),
    "timeline": ("timeline", ROOT / "graphs" / "plan.ttl"),
}


def serious(page) -> list[tuple[str, str, str, list]]:
    """The page's violations of impact serious or critical: (rule, impact, help, the first
    three elements). axe is put in by ``evaluate``, which the page's content security policy
    does not hold (a ``<script>`` tag added to the page would be refused)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", TAGS)
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in FAILING]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The real app over copies of the example region, a second region (to compare) and
    the plan, with one designer, on a loopback port."""
    folder = tmp_path_factory.mktemp("served")
    for name in ("keski-uusimaa", "keski-suomi"):
        shutil.copytree(ROOT / "graphs" / name, folder / name)
    shutil.copy(ROOT / "graphs" / "plan.ttl", folder / "plan.ttl")
    with serving(create_app([folder], parse_tokens(f"designer:{DESIGNER_TOKEN}"))) as url:
        yield url


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The pages the CLI writes, in Finnish: each view kind, the report, the RACI matrix."""
    out = tmp_path_factory.mktemp("written")
    for kind, (view, source) in RENDERED.items():
        result = run("render", source, "--view", view, "-o", out / f"{kind}.html", "--lang", "fi")
        assert result.exit_code == 0, result.output
    for command in ("report", "raci"):
        result = run(command, EXAMPLE, "-o", out / f"{command}.html", "--lang", "fi")
        assert result.exit_code == 0, result.output
    return out


def opened(browser, url: str, allowed: str):
    """A fresh page of the shared Chromium at ``url``, allowed to load only ``allowed``
    (every other request aborted and recorded)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = guard(page, url, only(allowed, "data:", "about:"))
    page.goto(url, wait_until="networkidle")
    return page, seen


def select_a_node(page) -> None:
    """Find a node by the view's search box: the details box shows its facts."""
    name = page.evaluate("document.querySelector('.polku-view datalist option').value")
    page.locator(".pv-search-input").fill(name)
    page.locator(".pv-search-input").press("Enter")
    page.locator(".pv-details").wait_for(state="visible")


@pytest.mark.parametrize("kind", list(SERVED))
def test_served_pages_have_no_serious_violation(browser, base_url: str, kind: str) -> None:
    page, seen = opened(browser, base_url + SERVED[kind] + ("&" if "?" in SERVED[kind] else "?")
                        + "lang=fi", base_url)
    assert page.evaluate("document.documentElement.lang") == "fi"
    assert serious(page) == []
    if kind in ("view-ecosystem", "view-segment"):
        select_a_node(page)
        assert serious(page) == []
    assert seen.requests == []
    page.close()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_graph_page_with_its_edit_forms_has_no_serious_violation(
        browser, base_url: str, lang: str) -> None:
    """The graph page as a designer sees it (the findings' follow-up and suggestion buttons,
    the edit forms), in Finnish and in Swedish: a button's name starts with its words in
    every language (WCAG 2.5.3)."""
    page, seen = opened(browser, f"{base_url}{GRAPH}?lang={lang}", base_url)
    page.fill("#token", DESIGNER_TOKEN)
    page.reload(wait_until="networkidle")
    assert page.locator("button.follow-up").count() > 0
    assert page.evaluate("document.documentElement.lang") == lang
    assert serious(page) == []
    assert seen.requests == []
    page.close()


@pytest.mark.parametrize("name", [*RENDERED, "report", "raci"])
def test_written_pages_have_no_serious_violation(browser, written: Path, name: str) -> None:
    url = (written / f"{name}.html").as_uri()
    page, seen = opened(browser, url, "file:")
    if name in RENDERED:
        page.wait_for_selector('.polku-view[data-stable="1"]', state="attached")
    assert serious(page) == []
    if name in ("ecosystem", "path", "plan"):
        select_a_node(page)
        assert serious(page) == []
    assert seen.requests == [] and seen.errors == [], (seen.requests, seen.errors)
    page.close()


def test_a_network_view_page_carries_its_text_alternative(browser, written: Path) -> None:
    """The picture is named as one, and the page below it holds every node and link it
    draws as a table (WCAG 1.1.1), in the page's language."""
    page, _ = opened(browser, (written / "path.html").as_uri(), "file:")
    page.wait_for_selector('.polku-view[data-stable="1"]', state="attached")
    assert "taulukkona" in page.get_attribute(".pv-canvas", "aria-label")
    drawn = page.evaluate("JSON.parse(document.querySelector('.pv-data').textContent)")
    page.get_by_text("Näkymä taulukkona").click()
    nodes = page.locator("#polku-view-table table").nth(0).locator("tbody tr")
    links = page.locator("#polku-view-table table").nth(1).locator("tbody tr")
    assert nodes.count() == len(drawn["nodes"]) and links.count() == len(drawn["edges"])
    assert nodes.first.is_visible()
    page.close()


#: every visible form control's border against what is behind it (WCAG 1.4.11 Non-text
#: Contrast, 3:1): the controls whose own border draws them (a native checkbox draws
#: itself), each as (what it is, its border, the background, the ratio)
BORDERS = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
    const c = rgb(getComputedStyle(p).backgroundColor); if (c.length === 3 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  const out = [];
  for (const e of document.querySelectorAll("input, select, textarea")) {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    if (!r.width || s.visibility === "hidden") continue;
    if (["checkbox", "radio", "hidden"].includes(e.type)) continue;
    if (s.borderTopStyle === "none" || parseFloat(s.borderTopWidth) === 0) continue;
    const a = lum(rgb(s.borderTopColor)), b = lum(behind(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 3) out.push([e.tagName + "." + e.className, s.borderTopColor,
                             String(behind(e)), +ratio.toFixed(2)]);
  }
  return out; }"""


@pytest.mark.parametrize("kind", [k for k in SERVED if k != "error"])
def test_every_form_controls_border_stands_out(browser, base_url: str, kind: str) -> None:
    """A field is seen as one by its border: 3:1 against the page (the view's search box
    was #c5ccd5 on #fbfcfd, 1.62:1; the RACI filters #8c959f, 2.85:1)."""
    page, _ = opened(browser, base_url + SERVED[kind] + ("&" if "?" in SERVED[kind] else "?")
                     + "lang=fi", base_url)
    assert page.evaluate(BORDERS) == []
    page.close()


@pytest.mark.parametrize("address", ["/report?lang=fi", "/report?lang=sv", "/raci?lang=fi",
                                     "/raci?lang=sv"])
def test_report_and_raci_reflow_at_320_css_px(browser, base_url: str, address: str) -> None:
    """At 320 CSS px (WCAG 1.4.10) the page does not scroll sideways: the report's decisions
    (354 px wide in Finnish, 388 px in Swedish) and the RACI page's filters (333 px) wrap."""
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(base_url + GRAPH + address, wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


@pytest.mark.parametrize("address", ["/view?view=ecosystem&lang=fi", "/report?lang=sv"])
def test_the_first_tab_is_a_skip_link_to_the_content(browser, base_url: str, address: str
                                                     ) -> None:
    """The view page (its bar of links above the picture) and the report (its language
    switch) start with a link past them, shown when it has the focus (WCAG 2.4.1)."""
    page, _ = opened(browser, base_url + GRAPH + address, base_url)
    page.keyboard.press("Tab")
    link = page.evaluate("(() => { const a = document.activeElement,"
                         " r = a.getBoundingClientRect(); return [a.getAttribute('href'),"
                         " r.left >= 0 && r.top >= 0 && r.width > 0] })()")
    assert link == ["#main", True]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()
