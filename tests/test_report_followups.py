"""The first page and the follow-ups: what has been decided is not put to the leaders again.

A leader reviewing the example's report with a followups sheet found that a hand-off marked
an accepted risk was still decision 1 with no word of it, that an overdue follow-up in
progress showed no status on page 1, that the "who must act" lists left follow-ups out and
that the error and warning lists printed the owner with its id ("… (Keusote) (keusote),
määräaika …"); and that decision 2's checked suggestion (name a lead) was read as closing
the error in its headline, which it does not. The report and the graph page say the same:
the decisions are chosen once (polku.present.decisions)."""

from __future__ import annotations

import html
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import run
from polku.app import create_app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
ACCEPTED = "referral-without-owner:ref-ktt-tyokokeilu"
UNMET = "unmet-need:seg-terveys:tarve-tyokyvyn-arviointi"
FOLLOWUPS_CSV = (
    "finding,status,owner,due,note,updated,by\n"
    f"{ACCEPTED},hyväksytty riski,,,,,\n"
    f"{UNMET},työn alla,keusote,15.1.2026,,,\n"
    "long-wait:ref-diakonia-velkaneuvonta,työn alla,keusote,15.1.2026,Jono puretaan,,\n")
OVERDUE_FI = "työn alla, Keski-Uudenmaan hyvinvointialue (Keusote), määräaika 15.1.2026 (myöhässä)"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The example as a folder of sheets with the follow-ups above (its own folder, as the
    server reads a folder of graphs)."""
    root = tmp_path_factory.mktemp("followed") / "graphs"
    shutil.copytree(EXAMPLE, root / "keski-uusimaa")
    (root / "keski-uusimaa" / "followups.csv").write_text(FOLLOWUPS_CSV, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def day():
    """5 December 2026 in Finland: the follow-ups due 15.1.2026 are overdue."""
    from polku import clock

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "now", lambda: datetime(2026, 12, 5, 10, tzinfo=timezone.utc))
        yield


@pytest.fixture(scope="module")
def reports(folder, day, tmp_path_factory) -> dict[str, str]:
    out_dir = tmp_path_factory.mktemp("reports")
    out = {}
    for name in ("fi.html", "fi.md", "sv.html", "en.md"):
        lang = name.split(".")[0]
        r = run("report", folder / "keski-uusimaa", "-o", out_dir / name, "--lang", lang, "-q")
        assert r.exit_code == 0, r.output
        out[name] = (out_dir / name).read_text(encoding="utf-8")
    return out


def seen(fragment: str) -> str:
    """What a reader sees: no styles nor tags, one space between words."""
    fragment = re.sub(r"<(style|script)\b.*?</\1>", "", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(
        " ,", ",").replace(" ;", ";").replace("( ", "(").replace(" )", ")")


def first_page(page: str) -> str:
    m = re.search(r'<section id="decisions".*?</section>', page, re.S)
    assert m
    return m.group(0)


def decision_keys(fragment: str) -> list[str]:
    return re.findall(r'<li class="decision[^"]*" data-finding="([^"]+)"', fragment)


def test_an_accepted_risk_is_not_decided_again_and_the_page_says_so(reports) -> None:
    page = first_page(reports["fi.html"])
    keys = decision_keys(page)
    assert keys and ACCEPTED not in keys
    # nothing disappears silently: the page counts what its follow-ups closed
    assert ("1 hyväksytyksi riskiksi merkitty havainto ei ole enää päätettävänä (ks. sen "
            "seuranta).") in seen(page)
    assert "1 iakttagelse som markerats som accepterad risk läggs inte fram för beslut igen" \
        in seen(first_page(reports["sv.html"]))
    md = reports["fi.md"].split("## Havainnot lajeittain")[0]
    assert "1. **virhe: Ohjaukselta Kuntouttava työtoiminta → Työkokeilu" not in md
    assert "1 hyväksytyksi riskiksi merkitty havainto ei ole enää päätettävänä" in md
    # still listed with its follow-up, where nothing is left out: a hand-off nobody owns is
    # a responsibility gap, listed under its section (it was listed among the errors)
    gaps = reports["fi.html"].split('id="responsibility"')[1].split("</ul>")[0]
    assert f'data-finding="{ACCEPTED}"' in gaps and "(hyväksytty riski)" in seen(gaps)


def test_a_decision_says_its_followup_overdue_marked(reports) -> None:
    page = first_page(reports["fi.html"])
    item = re.search(rf'<li class="decision[^"]*" data-finding="{UNMET}".*?</li>', page, re.S)
    assert item, decision_keys(page)
    said = seen(item.group(0))
    # which of the decision's findings it is the follow-up of, its owner by name alone
    assert f"Seuranta kattamaton tarve: {OVERDUE_FI}" in said
    assert 'class="overdue"' in item.group(0)
    md = reports["fi.md"].split("## Havainnot lajeittain")[0]
    assert f"   - Seuranta: kattamaton tarve: {OVERDUE_FI}" in md
    en = reports["en.md"].split("## Findings by kind")[0]
    assert ("   - Follow-up: unmet need: in progress, Central Uusimaa Wellbeing Services "
            "County, due 15 Jan 2026 (overdue)") in en


def test_the_lists_name_the_owner_once_and_who_must_act_shows_followups(reports) -> None:
    fi = reports["fi.html"]
    # the owner by name, not "(Keusote) (keusote)"
    assert "(keusote)" not in seen(fi.split("<main>")[1])
    assert "(keusote)" not in reports["fi.md"].split("## Vastuumatriisi")[0]
    act = fi.split('<section id="actions">')[1].split("</section>")[0]
    item = re.search(r'<li data-action="long-wait:ref-diakonia-velkaneuvonta">.*?</li>', act,
                     re.S)
    assert item and f"({OVERDUE_FI})" in seen(item.group(0))
    # the finding nobody answers for, listed there, has its follow-up too
    item = re.search(rf'<li data-action="{UNMET}">.*?</li>', act, re.S)
    assert item and f"({OVERDUE_FI})" in seen(item.group(0))
    md = reports["fi.md"].split("## Kenen on toimittava")[1].split("## Ekosysteemi")[0]
    assert md.count(f"*({OVERDUE_FI})*") == 2, md


def test_the_graph_page_puts_the_same_decisions(folder, day, reports) -> None:
    """One door: the graph page's decisions are the report's, with the same follow-ups and
    the same note of what its follow-ups closed."""
    client = TestClient(create_app([folder]), raise_server_exceptions=False)
    page = client.get("/graphs/keski-uusimaa?lang=fi").text
    decide = re.search(r'<section id="decide".*?</section>', page, re.S).group(0)
    keys = decision_keys(decide)
    assert keys == decision_keys(first_page(reports["fi.html"]))
    said = seen(decide)
    assert f"Seuranta kattamaton tarve: {OVERDUE_FI}" in said
    assert "1 hyväksytyksi riskiksi merkitty havainto ei ole enää päätettävänä" in said
    assert ("ratkaisee: asiakasryhmältä puuttuu päävastuu; ei ratkaise: kattamaton tarve "
            "(Työkyvyn arviointi ja selvittely), joka jää avoimeksi") in said


def test_naming_a_lead_says_it_leaves_the_unmet_need_open(reports) -> None:
    """The decision on the segment nobody leads holds its unmet need (the error of its
    headline) and its missing lead; each checked candidate resolves the missing lead only,
    and the suggestion says so, by what the findings are."""
    page = first_page(reports["fi.html"])
    item = re.search(rf'<li class="decision[^"]*" data-finding="{UNMET}".*?</li>', page, re.S)
    said = seen(item.group(0))
    assert ("Työterveyslaitos (jokainen tarkistettu) – ratkaisee: asiakasryhmältä puuttuu "
            "päävastuu; ei ratkaise: kattamaton tarve (Työkyvyn arviointi ja selvittely), "
            "joka jää avoimeksi") in said
    # the page no longer promises that a checked suggestion removes the finding
    assert "se poistaa havainnon" not in seen(page)
    sv = seen(first_page(reports["sv.html"]))
    assert ("löser: kundgrupp utan huvudansvar; löser inte: otillgodosett behov "
            "(Bedömning av arbetsförmågan), som förblir öppen") in sv, sv
    en = reports["en.md"].split("## Findings by kind")[0]
    assert ("(each checked) – resolves: client segment without a lead; does not resolve: "
            "unmet need (Work-ability assessment), which stays open") in en, en


@pytest.mark.slow
def test_the_pdf_first_page_still_holds_every_decision_and_both_notes(folder, day, monkeypatch,
                                                                      tmp_path) -> None:
    """A follow-up line and what a suggestion leaves open add lines to page 1: its seven
    decisions and the notes of what it leaves out (nobody accountable, closed by a
    follow-up) still fit the first A4 page."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    kept = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render",
                        lambda self, *a, **k: kept.append(render(self, *a, **k)) or kept[-1])
    r = run("report", folder / "keski-uusimaa", "-o", tmp_path / "r.pdf", "-q")
    assert r.exit_code == 0, r.output

    def body(page) -> str:
        return " ".join(b.text for child in page._page_box.children
                        if not isinstance(child, boxes.MarginBox)
                        for b in child.descendants() if isinstance(b, boxes.TextBox)
                        and b.style["visibility"] == "visible")

    first, second = (" ".join(body(p).split()) for p in kept[0].pages[:2])
    assert first.count("Päättää") == 7 and "Seuranta" in first, first
    assert "Tästä puuttuu 2 havaintoa" in first
    assert "1 hyväksytyksi riskiksi merkitty havainto ei ole enää päätettävänä" in first
    assert "Päättää" not in second
