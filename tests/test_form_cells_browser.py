"""The graph page's edit forms in a bilingual region (a Swedish-speaking reviewer's finds):
a yes/no cell the sheet writes `kyllä`, `nej`, a role `päävastuu`, an information flow
`okänd` load as their options, and saving another field (a capacity, a wait) leaves them —
and a decimal comma, a small count of people — as the sheet has them; the names in Swedish
and English have fields of their own, each labelled with its language, the main name with
its row's. Headless Chromium on the bundled example region, served by the real app."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import DESIGNER_TOKEN, ROOT, edit, guard, only
from live_server import serving
from polku.app import create_app
from polku.server.auth import parse_tokens

GRAPH = "/graphs/keski-uusimaa"


@pytest.fixture
def region(tmp_path: Path):
    """The example region served to one test, with a Swedish designer's words in its
    sheets and one service named in Swedish first (``name_lang``); yields (base URL, the
    served workbook folder)."""
    folder = tmp_path / "keski-uusimaa"
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder)
    edit(folder / "services.csv", "tyollisyysalue,520,ei,", "tyollisyysalue,520,nej,")
    edit(folder / "referrals.csv", ',"7,5",21,tyollisyysalue,yes', ',"7,5",21,tyollisyysalue,okänd')
    with open(folder / "services.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["name_lang"] = ""
        if r["id"] == "tyonvalitys":
            r.update(name="Arbetsförmedling", name_sv="", name_lang="sv")
    with open(folder / "services.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    with serving(create_app([tmp_path], parse_tokens(f"designer:{DESIGNER_TOKEN}"))) as url:
        yield url, folder


def row(folder: Path, sheet: str, column: str, value: str) -> dict[str, str]:
    with open(folder / f"{sheet}.csv", encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r[column] == value)


def save(page, form: str, version: int) -> None:
    page.click(f"#form-{form} button[type=submit]")
    page.locator(f"#{form}-result").get_by_text(f"version {version}").wait_for()


def signed_in(browser, url: str, lang: str):
    """The graph page in ``lang`` with the designer's key given, and its guard."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    opened = guard(page, url, only(url, "data:", "about:"))
    page.goto(url + GRAPH + f"?lang={lang}", wait_until="networkidle")
    page.fill("#token", DESIGNER_TOKEN)
    page.dispatch_event("#token", "change")
    return page, opened


def test_a_save_keeps_the_cells_nobody_touched(browser, region) -> None:
    url, folder = region
    page, opened = signed_in(browser, url, "en")
    services = {s: row(folder, "services", "id", s)
                for s in ("alkuhaastattelu", "tyollistymissuunnitelma")}

    # kyllä and nej load as the options yes and no; a capacity raise keeps them
    for service, shown, capacity, version in (("alkuhaastattelu", "yes", "700", 1),
                                              ("tyollistymissuunnitelma", "no", "530", 2)):
        page.select_option("#service-key", service)
        expect(page.locator("#service-entry")).to_have_value(shown)
        expect(page.locator("#service-capacity_per_month")).to_have_value(
            services[service]["capacity_per_month"])
        page.fill("#service-capacity_per_month", capacity)
        save(page, "service", version)
        assert row(folder, "services", "id", service) == {
            **services[service], "capacity_per_month": capacity}

    # päävastuu loads as the role lead; a new note keeps the sheet's word
    key = "tyollisyysalue~palkkatuki~lead"
    before = row(folder, "responsibilities", "role", "päävastuu")
    page.select_option("#responsibility-key", key)
    expect(page.locator("#responsibility-role")).to_have_value("lead")
    page.fill("#responsibility-note", "Päätökset ja maksatus")
    save(page, "responsibility", 3)
    assert row(folder, "responsibilities", "role", "päävastuu") == {
        **before, "note": "Päätökset ja maksatus"}

    # okänd loads as unknown; a new wait keeps it and the volume's decimal comma
    ref = "ref-uraohjaus-tyovoimakoulutus"
    before = row(folder, "referrals", "id", ref)
    page.select_option("#referral-key", ref)
    expect(page.locator("#referral-information_flow")).to_have_value("unknown")
    expect(page.locator("#referral-volume_per_month")).to_have_value("7,5")
    page.fill("#referral-median_wait_days", "28")
    save(page, "referral", 4)
    assert row(folder, "referrals", "id", ref) == {**before, "median_wait_days": "28"}

    # a small count of people: the editor's form holds the true figure, and keeps it
    ref = "ref-kela-tyokokeilu-avoin-tyo"
    before = row(folder, "referrals", "id", ref)
    page.select_option("#referral-key", ref)
    expect(page.locator("#referral-volume_per_month")).to_have_value("3")
    page.select_option("#referral-information_flow", "no")
    save(page, "referral", 5)
    assert row(folder, "referrals", "id", ref) == {**before, "information_flow": "no"}

    # the change log says only what was changed
    changes = page.context.request.get(url + "/api/graphs/keski-uusimaa/changes",
                                       headers={"Authorization": f"Bearer {DESIGNER_TOKEN}"}
                                       ).json()["changes"]
    changed = [sorted(c for c in set(x["before"]) | set(x["after"])
                      if x["before"].get(c) != x["after"].get(c)) for x in changes]
    assert changed == [["information_flow"], ["median_wait_days"], ["note"],
                       ["capacity_per_month"], ["capacity_per_month"]]
    # the entry service is still one: no finding about it was created
    assert opened.errors == [] and opened.requests == []
    page.close()


def test_each_name_has_a_field_labelled_with_its_language(browser, region) -> None:
    """A Swedish editor changes the Swedish name without touching the Finnish one; a row
    whose main name is Swedish (`name_lang=sv`) labels that field Swedish."""
    url, folder = region
    page, opened = signed_in(browser, url, "sv")
    label = page.locator("#service-name-label")
    expect(label).to_have_text("Namn på finska *")
    expect(page.locator("#service-name_sv-label")).to_have_text("Namn på svenska")
    expect(page.locator("#service-name_en-label")).to_have_text("Namn på engelska")
    # each field in another language than the page's says its language
    assert [page.get_attribute(f"#service-{c}", "lang") for c in ("name", "name_sv", "name_en")
            ] == ["fi", None, "en"]
    before = row(folder, "services", "id", "alkuhaastattelu")
    page.select_option("#service-key", "alkuhaastattelu")
    expect(page.locator("#service-name")).to_have_value("Alkuhaastattelu")
    expect(page.locator("#service-name_sv")).to_have_value("Inledande intervju")
    page.fill("#service-name_sv", "Inledande samtal")
    page.click("#form-service button[type=submit]")
    page.locator("#service-result").get_by_text("version 1").wait_for()
    assert row(folder, "services", "id", "alkuhaastattelu") == {
        **before, "name_sv": "Inledande samtal"}
    # a row named in Swedish first: its main name is the Swedish one
    page.select_option("#service-key", "tyonvalitys")
    expect(page.locator("#service-name")).to_have_value("Arbetsförmedling")
    expect(label).to_have_text("Namn på svenska *")
    assert page.get_attribute("#service-name", "lang") is None  # the page's own
    expect(page.locator("#service-name_sv-field")).to_be_hidden()
    expect(page.locator("#service-name_fi-field")).to_be_visible()
    expect(page.locator("#service-name_fi-label")).to_have_text("Namn på finska")
    page.fill("#service-name_fi", "Työnvälitys")
    page.click("#form-service button[type=submit]")
    page.locator("#service-result").get_by_text("version 2").wait_for()
    assert row(folder, "services", "id", "tyonvalitys")["name_fi"] == "Työnvälitys"
    # and back to a Finnish row
    page.select_option("#service-key", "alkuhaastattelu")
    expect(label).to_have_text("Namn på finska *")
    expect(page.locator("#service-name_sv-field")).to_be_visible()
    expect(page.locator("#service-name_fi-field")).to_be_hidden()
    assert opened.errors == [] and opened.requests == []
    page.close()
