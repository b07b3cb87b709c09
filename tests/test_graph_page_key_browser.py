"""The graph page of a server with edit keys, as a Swedish-speaking editor found it in
headless Chromium (locale sv-FI): a reloaded page runs its scripts (the 304 carries the
page's script hashes); the edit controls show once a valid key is given, and the key
brings the editor's own findings, follow-ups and row choices into the page; the new
service form offers one Finnish name; a save's result names finding kinds and counts them
in Swedish; a conflict says "reload" once; an empty field is named by its label; the
change log names who made a change once the key is given."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from helpers import ARTIFACTS, ROOT, Opened, guard, only
from live_server import serving
from polku.app import create_app
from polku.server.auth import parse_tokens

ÅSA = "mHMijGMoqcOC5QpJostp7TXL74Duzb2M"
KALLE = "CEh_CuorpxN_IfkgFHN3aL_Qgz8AOhZb"
GRAPH = "/graphs/keski-uusimaa"
#: a capacity of 14 puts IPS over its capacity for the editor only: one of the referrals
#: into it (1 client a month) is a small cell the public's figures leave out
EDITORS_ONLY = "over-capacity:ips"


@pytest.fixture
def region(tmp_path: Path) -> Iterator[str]:
    """The example region served to one test, with two editors' keys; yields its URL."""
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", tmp_path / "keski-uusimaa")
    tokens = parse_tokens(f"Åsa Öberg:{ÅSA}\nKalle Nyman:{KALLE}")
    with serving(create_app([tmp_path], tokens)) as url:
        yield url


def api(url: str, method: str, path: str, body: Any = None, key: str = ÅSA) -> Any:
    """One API request with an editor's key (a write names the graph's current version)."""
    def call(method: str, path: str, body: Any = None, etag: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if etag:
            headers["If-Match"] = etag
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url + "/api/graphs/keski-uusimaa" + path, data,
                                         headers, method=method)
        with urllib.request.urlopen(request) as r:
            return json.loads(r.read()), r.headers.get("ETag")

    if method == "GET":
        return call("GET", path)[0]
    _, etag = call("GET", "")
    return call(method, path, body, etag)[0]


def swedish(browser, url: str, width: int = 1280, cache: bool = False):
    """A fresh tab of a Swedish-speaking reader on the graph page, and its guard; with
    ``cache`` only its console is watched (the guard's routing turns the browser's HTTP
    cache off, and with it the revalidation a reload makes)."""
    context = browser.new_context(locale="sv-FI", viewport={"width": width, "height": 900})
    page = context.new_page()
    if cache:
        opened = Opened(page, url)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    else:
        opened = guard(page, url, only(url, "data:", "about:"))
    page.goto(url + GRAPH + "?lang=sv", wait_until="networkidle")
    return page, opened


def give_key(page, key: str = ÅSA) -> None:
    page.fill("#token", key)
    page.dispatch_event("#token", "change")


def no_script_blocked(opened) -> None:
    blocked = [e for e in opened.errors if "Content Security Policy" in e]
    assert blocked == [], blocked


def test_a_reloaded_page_runs_its_scripts(browser, region) -> None:
    """The 304 that answers the reload carries the 200's policy, with the script hashes."""
    page, opened = swedish(browser, region, cache=True)
    expect(page.locator("#findings-filter")).to_be_visible()
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()  # the filters' script ran
    no_script_blocked(opened)
    give_key(page)
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()  # the filters' script ran
    assert page.input_value("#token") == ÅSA  # and the page's own, from sessionStorage
    page.reload(wait_until="networkidle")
    expect(page.locator("#findings-filter")).to_be_visible()
    assert page.input_value("#token") == ÅSA
    no_script_blocked(opened)
    assert opened.errors == []
    page.context.close()


def findings_count(page) -> int:
    return int(page.inner_text("#findings").split("(")[1].split(")")[0])


def test_a_typed_key_brings_the_editors_findings_and_follow_ups(browser, region) -> None:
    """A finding only the true figures raise, followed up by an editor: a fresh tab shows
    the public's findings, and the key typed brings the editor's row, its follow-up in the
    row chooser and the editor's count, without a reload."""
    api(region, "PATCH", "/rows/services/ips", {"capacity_per_month": "14"})
    api(region, "POST", "/rows/followups", {"finding": EDITORS_ONLY, "status": "in-progress",
                                            "owner": "keusote-mielenterveys",
                                            "note": "Fler platser"})
    page, opened = swedish(browser, region)
    public = findings_count(page)
    row = page.locator(f'#findings-table tr[data-key="{EDITORS_ONLY}"]')
    assert row.count() == 0
    page.evaluate("() => { window.notReloaded = true; }")
    give_key(page)
    expect(row).to_have_count(1)
    assert findings_count(page) == public + 1
    assert "Fler platser" not in row.inner_text()  # the note is the form's, not the table's
    options = page.locator("#followup-key option").evaluate_all("os => os.map(o => o.value)")
    assert EDITORS_ONLY in options
    # its follow up button chooses the follow-up and loads it
    row.locator("button.follow-up").click()
    expect(page.locator("#followup-key")).to_have_value(EDITORS_ONLY)
    expect(page.locator("#followup-note")).to_have_value("Fler platser")
    page.fill("#followup-note", "Fler platser från maj")
    page.click("#form-followup button[type=submit]")
    page.locator("#followup-result").get_by_text("Sparat: version 3").wait_for()
    assert page.evaluate("() => window.notReloaded === true")
    expect(row).to_have_count(1)  # the refreshed table is the editor's too
    assert findings_count(page) == public + 1
    # the key taken away: the public's page again, its controls hidden
    give_key(page, "")
    expect(row).to_have_count(0)
    assert findings_count(page) == public
    expect(page.locator("#edit-forms")).to_be_hidden()
    assert opened.errors == [] and opened.requests == []
    page.context.close()


def test_the_edit_controls_show_once_a_valid_key_is_given(browser, region) -> None:
    page, opened = swedish(browser, region)
    first = page.locator("#findings-table tr[data-key]").first
    controls = ["#edit-forms", "#form-undo", "#suggestions", "#decide button.suggest-decision"]
    expect(page.locator("#token")).to_be_visible()  # the key's field is there to be given
    expect(first.locator("button.follow-up")).to_be_hidden()
    expect(page.locator("#findings-table button.suggest").first).to_be_hidden()
    for control in controls:
        expect(page.locator(control).first).to_be_hidden()
    give_key(page, "inte-en-giltig-nyckel-alls")
    expect(page.locator("#token-error")).to_have_text("redigeringsnyckeln är inte giltig")
    assert page.get_attribute("#token", "aria-invalid") == "true"
    expect(first.locator("button.follow-up")).to_be_hidden()
    expect(page.locator("#edit-forms")).to_be_hidden()
    give_key(page, KALLE)
    expect(first.locator("button.follow-up")).to_be_visible()
    expect(page.locator("#findings-table button.suggest").first).to_be_visible()
    for control in controls:
        expect(page.locator(control).first).to_be_visible()
    expect(page.locator("#token-error")).to_have_text("")
    expect(page.locator("#edit-forms-title")).to_have_text("Redigeringsformulär")
    assert page.get_attribute("#token", "aria-invalid") is None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-page-key-sv.png"), full_page=True)
    assert opened.errors == [] and opened.requests == []
    page.context.close()


def test_the_new_service_form_offers_the_finnish_name_once(browser, region) -> None:
    page, opened = swedish(browser, region)
    give_key(page)
    expect(page.locator("#service-name-label")).to_have_text("Namn på finska *")
    expect(page.locator("#service-name_fi-field")).to_be_hidden()
    expect(page.locator("#service-name_sv-field")).to_be_visible()
    labels = page.locator("#form-service label:visible").all_inner_texts()
    assert len([t for t in labels if "finska" in t]) == 1, labels
    assert opened.errors == [] and opened.requests == []
    page.context.close()


def test_a_save_names_the_kinds_and_counts_in_swedish(browser, region) -> None:
    page, opened = swedish(browser, region)
    give_key(page)
    page.select_option("#service-key", "ips")
    expect(page.locator("#service-capacity_per_month")).to_have_value("15")
    page.fill("#service-capacity_per_month", "14")
    page.click("#form-service button[type=submit]")
    result = page.locator("#service-result")
    result.get_by_text("Sparat: version 1").wait_for()
    kind = result.locator("li .kind")
    expect(kind).to_have_text("över kapaciteten")
    assert kind.get_attribute("title") == "over-capacity"
    assert "over-capacity" not in result.inner_text()
    expect(page.locator("#findings-status")).to_have_text(
        "Iakttagelserna uppdaterades: 1 ny, 0 lösta.")
    page.fill("#service-capacity_per_month", "15")
    page.click("#form-service button[type=submit]")
    result.get_by_text("Sparat: version 2").wait_for()
    expect(page.locator("#findings-status")).to_have_text(
        "Iakttagelserna uppdaterades: 0 nya, 1 löst.")
    assert opened.errors == [] and opened.requests == []
    page.context.close()


def test_a_conflict_says_reload_once(browser, region) -> None:
    page, opened = swedish(browser, region)
    give_key(page)
    expect(page.locator("#form-owner button[type=submit]")).to_be_visible()
    api(region, "PATCH", "/rows/services/ips", {"capacity_per_month": "16"}, key=KALLE)
    page.fill("#owner-owner", "keusote")
    page.click("#form-owner button[type=submit]")
    error = page.locator("#owner-form-error")
    error.wait_for(state="visible")
    assert error.inner_text().count("ladda om sidan") == 1, error.inner_text()
    assert [e for e in opened.errors if "412" not in e] == [] and opened.requests == []
    page.context.close()


def test_an_empty_field_is_named_by_its_label(browser, region) -> None:
    page, opened = swedish(browser, region)
    give_key(page)
    label = page.inner_text("#referral-from-label").rstrip(" *")
    page.fill("#referral-id", "ref-ny")
    page.fill("#referral-to", "ips")
    page.click("#form-referral button[type=submit]")
    error = page.locator("#referral-from-error")
    error.wait_for(state="visible")
    assert f"'{label}'" in error.inner_text() and "'from'" not in error.inner_text(), \
        error.inner_text()
    assert [e for e in opened.errors if "422" not in e] == [] and opened.requests == []
    page.context.close()


def test_the_change_log_names_who_once_the_key_is_given(browser, region) -> None:
    api(region, "PATCH", "/rows/services/ips", {"capacity_per_month": "16"}, key=KALLE)
    page, opened = swedish(browser, region)
    page.goto(region + GRAPH + "/changes?lang=sv", wait_until="networkidle")
    assert "Kalle Nyman" not in page.inner_text("main")  # the public's log
    page.goto(region + GRAPH + "?lang=sv", wait_until="networkidle")
    give_key(page)
    page.goto(region + GRAPH + "/changes?lang=sv", wait_until="networkidle")
    expect(page.locator("main table")).to_contain_text("Kalle Nyman")
    expect(page.locator("main th", has_text="vem")).to_have_count(1)
    assert opened.errors == [] and opened.requests == []
    page.context.close()
