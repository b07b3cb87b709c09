"""The web UI applies a verified suggestion with one click, as an ordinary write (If-Match,
change log, undo), and fills the follow-up form from a finding; in headless Chromium."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from helpers import serving_example

TOKEN = "designer-token-0123456789"
KEY = "referral-without-owner:ref-ktt-tyokokeilu"


def get(url: str, token: str | None = None) -> dict:
    """A JSON answer, as the public reads it (or as the holder of ``token``)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}
                                     if token else {})
    with urllib.request.urlopen(request) as r:
        return json.loads(r.read())


def test_one_click_applies_a_suggestion_and_undo_takes_it_back(tmp_path, browser) -> None:
    from playwright.sync_api import expect

    with serving_example(tmp_path, f"designer:{TOKEN}") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/graphs/keski-uusimaa?lang=en")
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.click(f'button.suggest[data-key="{KEY}"]')
        apply = page.locator("#suggestions-list button.apply-suggestion").first
        expect(apply).to_be_visible(timeout=60_000)
        apply.click()
        expect(page.locator("#suggestions-list")).to_contain_text("Applied: 1 change written; Undo takes it back.",
                                                                   timeout=60_000)
        api = f"{base}/api/graphs/keski-uusimaa"
        assert KEY not in {f["key"] for f in get(f"{api}/findings")["findings"]}
        change = get(f"{api}/changes", TOKEN)["changes"][0]  # who: for an editor
        assert change["who"] == "designer" and change["sheet"] == "referrals"
        # undo, from the page's own form
        page.click("#form-undo button[type=submit]")
        expect(page.locator("#undo-result")).to_contain_text("version 2", timeout=60_000)
        assert KEY in {f["key"] for f in get(f"{api}/findings")["findings"]}
        # "follow up" fills the follow-up form with the finding's key
        page.click(f'button.follow-up[data-key="{KEY}"]')
        expect(page.locator('#form-followup [data-col="finding"]')).to_have_value(KEY)
        page.close()


def test_what_a_suggestion_resolved_is_said_as_the_findings_table_says_it(tmp_path,
                                                                         browser) -> None:
    """A designer applied the suggestion on the hand-off nobody owns ("Toteuta") and read
    the resolved finding with its ids in nested brackets ("Ohjaukselta ref-ktt-tyokokeilu
    (Kuntouttava työtoiminta (kuntouttava-tyotoiminta) → …)") where the findings table of
    the same page names it plainly; and the Apply button, disabled once applied, looked
    exactly as an active one. Now the result names the finding as the table does, and a
    disabled button looks disabled, its text still legible (WCAG AA contrast)."""
    import re

    from playwright.sync_api import expect

    from helpers import ARTIFACTS
    from test_server_browser import _contrast, _rgb

    with serving_example(tmp_path, f"designer:{TOKEN}") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/graphs/keski-uusimaa?lang=fi")
        plain = page.locator(f'#findings-table tr[data-key="{KEY}"] td').nth(3) \
            .inner_text().split("\n")[0].strip()
        assert plain == "Ohjaukselta Kuntouttava työtoiminta → Työkokeilu puuttuvat vastuutaho " \
                        "ja päävastuu", plain
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.click(f'button.suggest-decision[data-key="{KEY}"]')
        apply = page.locator("#suggestions-list button.apply-suggestion").first
        expect(apply).to_be_visible(timeout=60_000)
        style = "(b) => { const s = getComputedStyle(b); return [s.color, s.backgroundColor, " \
                "s.borderColor, s.cursor]; }"
        active = apply.evaluate(style)
        apply.click()
        result = page.locator("#suggestions-list [role=status]").first
        expect(result).to_contain_text("Ratkenneet havainnot (1)", timeout=60_000)
        said = result.locator("li").first.inner_text()
        assert said.endswith(": " + plain), said
        assert not re.search(r"\((kuntouttava-tyotoiminta|tyokokeilu|ref-ktt-tyokokeilu)\)",
                             said), said
        expect(apply).to_be_disabled()
        disabled = apply.evaluate(style)
        assert disabled[1] != active[1] and disabled[3] != active[3], (active, disabled)
        assert _contrast(_rgb(disabled[0]), _rgb(disabled[1])) >= 4.5, disabled
        ARTIFACTS.mkdir(exist_ok=True)
        apply.scroll_into_view_if_needed()
        page.locator("#suggestions").screenshot(
            path=str(ARTIFACTS / "suggestion-applied-disabled-fi.png"))
        page.close()
