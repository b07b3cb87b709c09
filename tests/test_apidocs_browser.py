"""The API documentation page (/docs) renders in a real browser with every request
that leaves the machine blocked: their scripts and styles come from the installed package,
not a CDN. Under CI=true nothing here is skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from live_server import serving
from polku.app import create_app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CI = os.environ.get("CI", "").lower() == "true"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"

if not CHROMIUM.exists() and not CI:
    pytest.skip("Chromium is not installed (scripts/setup --tests installs it)",
                allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def base_url():
    """The real app on a loopback port, served by uvicorn in a thread."""
    with serving(create_app([ROOT / "graphs" / "keski-uusimaa.ttl"])) as url:
        yield url


def test_api_docs_render_offline(base_url: str) -> None:
    doc, ready = "docs", ".swagger-ui .opblock-summary-path"
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()

        def route(r):
            if r.request.url.startswith(base_url):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base_url}/{doc}")
        page.wait_for_selector(ready, timeout=20_000)
        text = page.inner_text("body")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"api-{doc}.png"))
        browser.close()
    assert blocked == [], f"requests that left the machine: {blocked}"
    assert errors == [], f"console errors: {errors}"
    assert "polku" in text
    assert "/api/graphs/{name}/findings" in text


def test_no_redoc_page_that_would_call_out(base_url: str) -> None:
    import httpx

    assert httpx.get(f"{base_url}/redoc").status_code == 404
    assert "cdn" not in httpx.get(f"{base_url}/docs").text.lower()
