"""The API documentation page (/docs) renders in a real browser with every request
that leaves the machine blocked: their scripts and styles come from the installed package,
not a CDN. Under CI=true nothing here is skipped."""

from __future__ import annotations

import pytest

from helpers import ARTIFACTS, EXAMPLE_TTL, only
from live_server import serving
from polku.app import create_app


@pytest.fixture(scope="module")
def base_url():
    """The real app on a loopback port, served by uvicorn in a thread."""
    with serving(create_app([EXAMPLE_TTL])) as url:
        yield url


def test_api_docs_render_offline(open_page, base_url: str) -> None:
    doc, ready = "docs", ".swagger-ui .opblock-summary-path"
    opened = open_page(f"{base_url}/{doc}", width=1280, height=720, wait=ready,
                       allow=only(base_url), timeout=20_000, state="visible")
    text = opened.page.inner_text("body")
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"api-{doc}.png"))
    assert opened.requests == [], f"requests that left the machine: {opened.requests}"
    assert opened.errors == [], f"console errors: {opened.errors}"
    assert "polku" in text
    assert "/api/graphs/{name}/findings" in text


def test_no_redoc_page_that_would_call_out(base_url: str) -> None:
    import httpx

    assert httpx.get(f"{base_url}/redoc").status_code == 404
    assert "cdn" not in httpx.get(f"{base_url}/docs").text.lower()
