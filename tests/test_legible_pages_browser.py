"""Legible web UI pages in headless Chromium (issue 20, item 3), in Finnish, on the served
example region: the RACI page (principal organisations first, then by involvement; the
matrix in a scroll box of its own, as in the report, with its header row and subject column
sticky in it; filters by organisation and by subject), the graph page's findings filters
(organisation, severity, kind, segment; the full list without scripts), and the path
explorer's rank keys. Screenshots go to test-artifacts/.
Every request that leaves the app is blocked."""

from __future__ import annotations

import shutil

import pytest

from helpers import ARTIFACTS, ROOT, guard, only, until
from live_server import serving
from polku.app import create_app
from polku.io.load import load_graph
from polku.analyses.handoffs import organisation

EXAMPLE = ROOT / "graphs" / "keski-uusimaa"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    with serving(create_app([folder])) as url:
        yield url


@pytest.fixture(scope="module")
def g():
    return load_graph(EXAMPLE)


def page_of(browser, base_url: str, address: str, *, scripts: bool = True,
            width: int = 1400, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  java_script_enabled=scripts)
    page = context.new_page()
    opened = guard(page, base_url, only(base_url, "data:", "about:"))
    page.goto(base_url + address, wait_until="networkidle")
    page.wait_for_function("document.readyState === 'complete'")
    return opened


RACI = "/graphs/keski-uusimaa/raci?lang=fi"


def test_raci_orders_principal_organisations_first_then_by_involvement(browser, base_url, g):
    opened = page_of(browser, base_url, RACI)
    heads = opened.js("""Array.from(document.querySelectorAll('#raci-table thead th[data-org]'))
        .map(h => h.querySelector('.actor-id').textContent)""")
    kinds = {"wellbeing-county", "employment-area"}

    def principal(a):
        return bool({g.nodes[a].get("kind"), g.nodes[organisation(g, a)].get("kind")} & kinds)

    flags = [principal(a) for a in heads]
    assert flags[0] and flags == sorted(flags, reverse=True)   # the principal ones first
    widths = opened.js("""Array.from(document.querySelectorAll('#raci-table tbody tr'))
        .map(r => r.cells.length)""")
    assert set(widths) == {len(heads) + 1}, (len(heads), sorted(set(widths)))
    counts = opened.js("""Array.from(document.querySelectorAll('#raci-table thead th[data-org]'))
        .map((h, i) => Array.from(document.querySelectorAll('#raci-table tbody tr'))
            .filter(r => r.cells[i + 1].dataset.sort).length)""")
    for group in (True, False):                               # then by involvement
        mine = [c for c, f in zip(counts, flags) if f is group]
        assert mine == sorted(mine, reverse=True)
    # the wellbeing county's and the employment area's columns are in the first screen
    for a in ("keusote", "tyollisyysalue"):
        box = opened.page.locator(f'#raci-table thead th[data-org="{a}"]').first.bounding_box()
        assert box["x"] + box["width"] <= 1400, a
    opened.page.close()


def test_raci_scrolls_in_its_own_box_with_sticky_headers(browser, base_url):
    """The matrix of 34 organisations made the page 5,656 px wide (on a phone as at 1400
    px): it scrolls in its own box, as in the report, which the keyboard can focus; the
    header row and the subject column stick to the box, and the page keeps its width."""
    opened = page_of(browser, base_url, RACI)
    page = opened.page
    box = page.locator("#raci .raci-scroll")
    assert opened.js("document.documentElement.scrollWidth") == 1400
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    # named apart from the section it is in (axe's landmark-unique)
    assert box.get_attribute("aria-label") == "Matriisi: kohteet riveinä, toimijat sarakkeina"
    head = page.locator("#raci-table thead th.subject")
    first_row = page.locator("#raci-table tbody tr").first.locator("th.subject")
    box.hover()
    page.mouse.wheel(0, 2500)
    # waits for the scroll, not for a fixed time: smooth scrolling on a busy CI machine
    until(page, "document.querySelector('#raci .raci-scroll').scrollTop > 1000")
    assert abs(head.bounding_box()["y"] - box.bounding_box()["y"]) < 2   # the header row stays
    assert first_row.bounding_box()["y"] < box.bounding_box()["y"]       # the rows scroll under
    box.focus()                                                           # from the keyboard
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    until(page, "document.querySelector('#raci .raci-scroll').scrollLeft > 100")
    assert opened.js("window.scrollX") == 0                               # never the page
    cell = page.locator("#raci-table tbody tr:nth-child(40) th.subject")
    cell.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#raci .raci-scroll').scrollBy(1500, 0)")
    assert abs(cell.bounding_box()["x"] - box.bounding_box()["x"]) < 2    # the subject column
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "legible-raci-scrolled-fi.png"))
    page.evaluate("document.querySelector('#raci .raci-scroll').scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "legible-raci-fi.png"))
    page.close()


def test_raci_filters_by_organisation_and_by_subject(browser, base_url, g):
    opened = page_of(browser, base_url, RACI)
    page = opened.page
    total = opened.js("document.querySelectorAll('#raci-table tbody tr').length")
    columns = opened.js("document.querySelectorAll('#raci-table thead th').length")
    page.select_option(".raci-org", "keusote")
    shown = opened.js("""Array.from(document.querySelectorAll('#raci-table tbody tr'))
        .filter(r => !r.hidden)""")
    rows = opened.js("""Array.from(document.querySelectorAll('#raci-table tbody tr'))
        .filter(r => !r.hidden).map(r => Array.from(r.cells).map(c =>
            [c.dataset.sort || '', c.offsetParent !== null]))""")
    heads = opened.js("""Array.from(document.querySelectorAll('#raci-table thead th[data-org]'))
        .map(h => [h.dataset.org, h.offsetParent !== null])""")
    assert 0 < len(shown) < total
    keusote = [i + 1 for i, (o, _) in enumerate(heads) if o == "keusote"]
    for r in rows:                               # every row shown has a role in Keusote
        assert any(r[j][0] for j in keusote)
    # columns with nothing in the rows shown step aside; the others stay
    for i, (o, visible) in enumerate(heads):
        filled = any(r[i + 1][0] for r in rows)
        assert visible == filled, (o, visible, filled)
    assert sum(v for _, v in heads) < columns - 1
    status = page.locator(".raci-status").text_content()
    assert f"{len(shown)} / {total}" in status or str(len(shown)) in status
    # by subject: its name, and its type
    page.select_option(".raci-org", "")
    page.fill(".raci-q", "velkaneuvonta")
    texts = opened.js("""Array.from(document.querySelectorAll('#raci-table tbody tr'))
        .filter(r => !r.hidden).map(r => r.dataset.text)""")
    assert texts and all("velkaneuvonta" in t for t in texts)
    page.fill(".raci-q", "")
    page.select_option(".raci-type", "segment")
    types = opened.js("""Array.from(document.querySelectorAll('#raci-table tbody tr'))
        .filter(r => !r.hidden).map(r => r.dataset.type)""")
    assert types and set(types) == {"segment"}
    page.close()


def test_raci_without_scripts_is_the_full_table(browser, base_url):
    opened = page_of(browser, base_url, RACI, scripts=False)
    hidden = opened.js("document.querySelectorAll('#raci-table tbody tr[hidden]').length") \
        if False else opened.page.locator("#raci-table tbody tr[hidden]").count()
    assert hidden == 0
    assert opened.page.locator("#raci-table tbody tr").count() >= 100
    opened.page.close()


GRAPH = "/graphs/keski-uusimaa?lang=fi"


def test_findings_filter_by_organisation_severity_kind_and_segment(browser, base_url):
    opened = page_of(browser, base_url, GRAPH)
    page = opened.page
    rows = page.locator("#findings-table tbody tr")
    total = rows.count()
    assert total > 10

    def visible():
        return opened.js("""Array.from(document.querySelectorAll('#findings-table tbody tr'))
            .filter(r => !r.hidden).map(r => ({sev: r.dataset.severity, kind: r.dataset.kind,
              orgs: r.dataset.orgs.split(' '), segs: r.dataset.segs.split(' ')}))""")

    # from the keyboard: focus the severity filter and choose with the arrow keys
    page.focus('#findings-filter select[data-facet="severity"]')
    page.keyboard.press("ArrowDown")                    # the first severity: errors
    errors = visible()
    assert errors and {r["sev"] for r in errors} == {"error"}
    assert len(errors) < total
    page.select_option('#findings-filter select[data-facet="severity"]', "")
    page.select_option('#findings-filter select[data-facet="kind"]', "long-wait")
    assert {r["kind"] for r in visible()} == {"long-wait"}
    page.select_option('#findings-filter select[data-facet="kind"]', "")
    page.select_option('#findings-filter select[data-facet="organisation"]', "keusote")
    org = visible()
    assert org and all("keusote" in r["orgs"] for r in org)
    page.select_option('#findings-filter select[data-facet="organisation"]', "")
    page.select_option('#findings-filter select[data-facet="segment"]', "seg-terveys")
    seg = visible()
    assert seg and all("seg-terveys" in r["segs"] for r in seg)
    assert "seg-terveys" in {s for r in seg for s in r["segs"]}
    status = page.locator("#findings-filter output").text_content()
    assert str(len(seg)) in status and str(total) in status
    page.locator('#findings-filter button[type="reset"]').click()
    # the form's values reset after its reset event: the page filters a moment later
    until(page, "Array.from(document.querySelectorAll('#findings-table tbody tr'))"
                ".every(r => !r.hidden)")
    assert len(visible()) == total
    page.close()


def test_findings_without_scripts_list_everything(browser, base_url):
    opened = page_of(browser, base_url, GRAPH, scripts=False)
    page = opened.page
    assert page.locator("#findings-filter").is_hidden()
    assert page.locator("#findings-table tbody tr[hidden]").count() == 0
    assert page.locator("#findings-table tbody tr").count() > 10
    page.close()


def test_path_explorer_shows_the_keys_that_rank_the_paths(browser, base_url):
    """seg-terveys: a 119-day path ranks above a 52-day one because it leaves fewer needs
    uncovered; the table shows each path's uncovered needs, wait and hand-offs and marks
    the key that decides."""
    opened = page_of(browser, base_url, "/graphs/keski-uusimaa/paths?segment=seg-terveys&k=5"
                                        "&lang=fi")
    rows = opened.js("""Array.from(document.querySelectorAll('table.rank-keys tbody tr'))
        .map(r => ({rank: +r.dataset.rank, by: r.dataset.decidedBy,
                    cells: Object.fromEntries(Array.from(r.querySelectorAll('td[data-key]'))
                        .map(c => [c.dataset.key, c.textContent.trim()])),
                    decides: Array.from(r.querySelectorAll('td.decides')).map(c => c.dataset.key)}))""")
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["by"] == "" and rows[0]["decides"] == []
    for r in rows[1:]:      # equal keys: the step ids decide, no cell to mark
        assert r["decides"] == ([] if r["by"] == "ids" else [r["by"]])
    waits = [float(r["cells"]["wait"].split()[0].replace(",", ".")) for r in rows]
    slow_first = next(i for i in range(1, 5) if waits[i] < waits[i - 1])
    assert rows[slow_first]["by"] == "uncovered"             # fewer needs uncovered wins
    uncovered = [int(r["cells"]["uncovered"].split(":")[0]) for r in rows]
    assert uncovered[slow_first] > uncovered[slow_first - 1]
    assert "Työkyvyn arviointi" in rows[0]["cells"]["uncovered"]   # named, not by id
    opened.page.close()
