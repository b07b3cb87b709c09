"""The queueing what-if page in headless Chromium, as a designer uses it in Finnish: pick
two services by name, change one's capacity and the other's places, and read the observed
wait beside the modelled ones; axe-core finds no WCAG 2.1 A/AA violation on the page with
several rows, or with a bad value marked on the second row."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from helpers import ARTIFACTS, guard, only, serving_example

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE = "/graphs/keski-uusimaa/whatif"
TOKEN = "designer-token-0123456789"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    with serving_example(folder, f"designer:{TOKEN}") as url:
        yield url


def new_page(browser, base_url: str):
    """A designer's page (an editor reads every figure; the public's are
    tests/test_privacy_audience.py's) that may load only the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Authorization": f"Bearer {TOKEN}"})
    page = context.new_page()
    opened = guard(page, base_url, only(base_url, "data:", "about:"))
    page.outside = opened.requests  # type: ignore[attr-defined]
    return page


def no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == [], violations


def test_two_services_changed_at_once_by_name(browser, base_url: str) -> None:
    page = new_page(browser, base_url)
    page.goto(base_url + PAGE + "?segment=seg-monitarve&lang=fi", wait_until="networkidle")
    # the first row: debt advice by its name, more capacity
    page.get_by_label("Palvelu").first.select_option(label="Talous- ja velkaneuvonta")
    page.locator("#capacity").fill("80")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_load_state("networkidle")
    # a second, empty row has appeared: the multi-sectoral assessment gets two places
    page.locator("#service-2").select_option(label="Monialainen palvelutarpeen arviointi")
    page.locator("#places-2").fill("2")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#service").input_value() == "talous-ja-velkaneuvonta"
    assert page.locator("#service-2").input_value() == "monialainen-palvelutarvearvio"
    assert page.locator("#service-3").input_value() == ""
    debt = page.locator('tr[data-service="talous-ja-velkaneuvonta"]')
    cells = debt.locator("td").all_inner_texts()
    # observed 35 days, and the model before the change says the same
    assert debt.locator("th").inner_text() == "Talous- ja velkaneuvonta"
    assert cells[4] == "35" and cells[7] == "35", cells
    assert page.locator('tr[data-service="monialainen-palvelutarvearvio"] td').nth(3) \
        .inner_text() == "1 → 2"
    expect(page.get_by_role("table")).to_contain_text("havaittu odotusaika (päivää)")
    no_violations(page)
    assert page.outside == []  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "server-whatif-fi.png"), full_page=True)
    page.context.close()


def test_a_bad_value_on_the_second_row_in_the_browser(browser, base_url: str) -> None:
    page = new_page(browser, base_url)
    page.goto(base_url + PAGE + "?segment=seg-monitarve&lang=fi&service=talous-ja-velkaneuvonta"
              "&capacity=80&service=aikuissosiaalityo&capacity=paljon",
              wait_until="networkidle")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("kapasiteetti")
    assert page.locator("#capacity-2").get_attribute("aria-invalid") == "true"
    assert page.locator("#capacity").get_attribute("aria-invalid") is None
    no_violations(page)
    page.context.close()


def test_the_service_lists_follow_the_segment(browser, base_url: str) -> None:
    """A designer changes the segment: the service and removal lists become that segment's
    at once (the page's own script, allowed by the CSP: no error), the page says so, and a
    service from the new list is answered (before, the lists stayed the old segment's and
    a service from them was a 400)."""
    page = new_page(browser, base_url)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url + PAGE + "?segment=seg-nuoret&lang=sv", wait_until="networkidle")
    values = "s => Array.from(document.querySelector(s).options).map(o => o.value).filter(v => v)"
    young = page.evaluate(values, "#service")
    assert "nuotti" in young
    page.locator("#service").select_option("nuotti")
    page.get_by_label("Kundgrupp").select_option("seg-monitarve")
    services = page.evaluate(values, "#service")
    assert "nuotti" not in services and "talous-ja-velkaneuvonta" in services
    assert page.locator("#service").input_value() == ""
    assert "talous-ja-velkaneuvonta" in page.evaluate(values, "#remove")
    assert page.locator("#listed").input_value() == "seg-monitarve"
    assert "view=segment%3Aseg-monitarve" in page.locator("#segment-picture").get_attribute(
        "href")
    expect(page.locator("#segment-hint")).to_contain_text(
        "Tjänstelistorna nedan gäller nu kundgruppen Personer med flera samtidiga")
    no_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "server-whatif-segment-sv.png"), full_page=True)
    # the new list's service is answered for the new segment
    page.locator("#service").select_option(label="Ekonomi- och skuldrådgivning")
    page.locator("#capacity").fill("80")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert "segment=seg-monitarve" in page.url
    expect(page.locator('tr[data-service="talous-ja-velkaneuvonta"]')).to_be_visible()
    assert page.get_by_role("alert").count() == 0
    # the lists the server wrote for the new segment are the ones the script made
    assert page.evaluate(values, "#service") == services
    assert errors == [] and page.outside == []  # type: ignore[attr-defined]
    page.context.close()


def test_the_whole_graph_until_a_segment_is_chosen(browser, base_url: str) -> None:
    """The page opens on no client segment (it chose the first one for the reader, and
    refused a service that segment does not reach): the lists hold every service of the
    graph; a segment chosen narrows them, and *Alla kundgrupper* widens them again, with no
    segment picture to link to."""
    page = new_page(browser, base_url)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url + PAGE + "?lang=sv", wait_until="networkidle")
    values = "s => Array.from(document.querySelector(s).options).map(o => o.value).filter(v => v)"
    assert page.locator("#segment").input_value() == ""
    every = page.evaluate(values, "#remove")
    assert "ips" in every and "nuotti" in every
    expect(page.locator("#segment-picture")).to_be_hidden()
    page.get_by_label("Kundgrupp").select_option("seg-nuoret")
    assert "ips" not in page.evaluate(values, "#remove")
    expect(page.locator("#segment-picture")).to_be_visible()
    page.get_by_label("Kundgrupp").select_option("")
    assert page.evaluate(values, "#remove") == every
    expect(page.locator("#segment-picture")).to_be_hidden()
    expect(page.locator("#segment-hint")).to_have_text(
        "Tjänstelistorna nedan gäller nu alla tjänster i ekosystemet.")
    # IPS removed from the whole graph, as polku whatif --remove ips answers
    page.locator("#remove").select_option("ips")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").count() == 0
    expect(page.locator("#removal")).to_be_visible()
    no_violations(page)
    assert errors == [] and page.outside == []  # type: ignore[attr-defined]
    page.context.close()
