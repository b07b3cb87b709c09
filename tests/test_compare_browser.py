"""The regions-side-by-side page (`polku compare --format html`) in headless Chromium:
axe-core finds no WCAG 2.1 A/AA violation in any language, the chart is drawn (one panel
per figure, a bar per region) and nothing is fetched. Under CI=true nothing is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from helpers import EXAMPLE, SECOND_REGION, only, run

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_chart_page_passes_axe(open_page, tmp_path: Path, lang: str) -> None:
    page_file = tmp_path / f"regions-{lang}.html"
    result = run("compare", EXAMPLE, SECOND_REGION, "--format", "html", "-o", page_file, "--lang", lang)
    assert result.exit_code == 0, result.output
    opened = open_page(page_file, width=1280, height=900, wait=None,
                       allow=only("file:", "data:", "about:"))
    page, outside = opened.page, opened.requests
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == []
    assert outside == []
    assert page.evaluate("document.documentElement.lang") == lang
    # one panel per figure and finding kind, a bar per region, each bar labelled
    panels = page.locator("svg > g").count()
    rows = page.locator("table tbody tr").count()
    assert panels == rows and panels >= 10
    assert page.locator("svg rect").count() == 2 * panels
    assert page.locator("svg > title").text_content() == page.locator("h1").inner_text()
    page.close()
