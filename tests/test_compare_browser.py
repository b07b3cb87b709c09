"""The regions-side-by-side page (`polku compare --format html`) in headless Chromium:
axe-core finds no WCAG 2.1 A/AA violation in any language, the chart is drawn (one panel
per figure, a bar per region) and nothing is fetched. Under CI=true nothing is skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polku.cli import app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CI = os.environ.get("CI", "").lower() == "true"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not CHROMIUM.exists() and not CI:
    pytest.skip("Chromium is not installed (scripts/setup --tests installs it)",
                allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_chart_page_passes_axe(browser, tmp_path: Path, lang: str) -> None:
    page_file = tmp_path / f"regions-{lang}.html"
    result = CliRunner().invoke(app, ["compare", str(ROOT / "graphs" / "keski-uusimaa"),
                                      str(ROOT / "tests" / "data" / "keski-suomi"),
                                      "--format", "html", "-o", str(page_file), "--lang", lang])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(page_file.as_uri(), wait_until="load")
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
    assert page.locator("svg title").text_content() == page.locator("h1").inner_text()
    page.close()
