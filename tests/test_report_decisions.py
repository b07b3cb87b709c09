"""The report's first page decides (issue 17): "Päätettävät asiat" opens the report, at most
seven decisions each naming its accountable organisation, in plain words (names, no ids);
each finding listed once; no command lines; dates as Finnish and Swedish write them."""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from helpers import ARTIFACTS, edit, run, until
from polku.io.load import load_graph
from polku.present.decisions import MAX_DECISIONS, rank
from polku.present.i18n import translator
from polku.present.report import report_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa.ttl"


@pytest.fixture(scope="module")
def example():
    return load_graph(EXAMPLE)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The example's HTML report in Finnish and Swedish, and its markdown in Finnish."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for name in ("fi.html", "sv.html", "fi.md"):
        lang, _ = name.split(".")
        r = run("report", str(EXAMPLE), "-o", str(folder / name), "--lang", lang, "-q")
        assert r.exit_code == 0, r.output
        out[name] = (folder / name).read_text(encoding="utf-8")
    return out


def section(page: str, ident: str) -> str:
    m = re.search(rf'<section id="{ident}".*?</section>', page, re.S)
    assert m, f"no section {ident}"
    return m.group(0)


def text(fragment: str) -> str:
    """What a reader sees: the tags (and their title attributes) left out."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_decisions_open_the_report_before_the_counts(reports) -> None:
    page = reports["fi.html"]
    first = section(page, "decisions")
    assert "Päätettävät asiat" in first
    assert page.index('id="decisions"') < page.index('class="lead"') < page.index('class="cards"')
    items = re.findall(r'<li class="decision".*?</li>', first, re.S)
    assert 1 <= len(items) <= MAX_DECISIONS
    for item in items:
        # who decides, named (or, for a finding nobody answers for, said to be nobody yet)
        decides = re.search(r"<dt>Päättää</dt><dd>(.*?)</dd>", item, re.S)
        assert decides and text(decides.group(1)).strip(), item
    assert "Beslut att fatta" in section(reports["sv.html"], "decisions")
    md = reports["fi.md"]
    assert md.index("## Päätettävät asiat") < md.index("## Havainnot lajeittain")


def test_no_id_of_the_graph_in_the_decisions_sentences(reports, example) -> None:
    seen = text(section(reports["fi.html"], "decisions"))
    # ids that are also words of some name ("seurakunnat") are not telling
    names = " ".join(str(d.get(k) or "") for _, d in example.nodes(data=True)
                     for k in ("name", "name_sv", "name_en"))
    ids = [n for n in example.nodes
           if len(n) > 3 and not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", names)]
    found = [n for n in ids if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", seen)]
    assert found == []
    # the ids are there for who hovers: a decision's key, the organisations' ids
    assert 'title="' in section(reports["fi.html"], "decisions")


def test_each_finding_listed_once(reports) -> None:
    page = reports["fi.html"]
    listed = Counter(re.findall(r'<li data-finding="([^"]+)"', page.split('id="kinds"')[1]))
    assert listed and max(listed.values()) == 1, [k for k, n in listed.items() if n > 1]
    # the overlapping-services findings are in the responsibility section, not twice
    assert any(k.startswith("overlapping-services:") for k in listed)


def test_no_command_lines_and_no_plan_measure_said_once(reports) -> None:
    for name, page in reports.items():
        read = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)  # what people read
        assert not re.search(r"\bpolku (render|findings|report|actions)\b", read), name
    fi = reports["fi.html"]
    assert fi.count("Mikään suunnitelman toimenpide ei koske") <= 1


def test_dates_as_finnish_and_swedish_write_them(reports) -> None:
    assert re.search(r"Laadittu \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}", reports["fi.html"])
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4} kl\. \d{1,2}\.\d{2}", reports["sv.html"])
    assert "UTC" not in text(reports["fi.html"].split("<main>")[1][:20000])


def test_decisions_are_ranked_by_severity_then_people(example) -> None:
    data = report_data(example, tr=translator("fi"), suggestions=False)
    chosen = data["decisions"]
    order = [({"error": 0, "warning": 1, "info": 2}[c["severity"]], -c["people"])
             for c in chosen]
    assert order == sorted(order)
    assert len(chosen) <= MAX_DECISIONS
    # the findings an organisation answers for, and (without checked suggestions) the
    # errors nobody does, one decision per subject of those: in rank order
    expected, asked = [], set()
    for f in rank([f for f in data["findings"] if f.accountable or f.severity == "error"],
                  example, data["eco"]):
        if not f.accountable:
            if f.subject in asked:
                continue
            asked.add(f.subject)
        expected.append(f.key)
    assert expected[:len(chosen)] == [c["key"] for c in chosen]
    assert all(c["accountable"] or c["question"] for c in chosen)


def test_people_affected_counts_each_group_once_and_only_the_groups_named(example) -> None:
    """A finding about one client segment (or a designed path for it) counts that segment's
    people alone; other findings count the segments whose routes reach them, each once."""
    from polku.analyses.findings import find
    from polku.analyses.reach import ecosystem, segment_reach
    from polku.present.decisions import people_affected

    eco = ecosystem(example)
    size = lambda s: example.nodes[s].get("size") or 0  # noqa: E731
    found = find(example)
    checked = set()
    for f in found:
        named = [n for n in (f.subject, *f.related) if n in eco.segments]
        named += [eco.paths[f.subject][0]] if f.subject in eco.paths else []
        if named:
            assert people_affected(f, example, eco) == sum(map(size, set(named))), f.key
            checked.add(f.kind)
        elif f.subject in eco.services:
            reaching = [s for s in eco.segments if f.subject in segment_reach(eco, s)]
            assert people_affected(f, example, eco) == sum(map(size, reaching)), f.key
            checked.add(f.kind)
    # the example's broken designed path, its segment's overlaps and an over-full service
    assert {"path-broken", "overlapping-services", "over-capacity",
            "single-point-of-failure"} <= checked
    broken = next(f for f in found if f.kind == "path-broken")
    assert people_affected(broken, example, eco) == 760  # seg-monitarve alone (was 2 660)


def test_cli_and_json_keep_their_messages_with_ids(example) -> None:
    from polku.analyses.findings import find
    from polku.present.messages import worded

    f = next(f for f in find(example) if f.kind == "referral-without-owner")
    assert f.subject in worded([f], example, translator("fi"))[0].message
    assert f.subject not in worded([f], example, translator("fi").plainly())[0].message


@pytest.mark.slow
def test_first_page_screenshots_in_finnish_and_swedish(reports, browser, tmp_path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("fi", "sv"):
        path = tmp_path / f"report-{lang}.html"
        path.write_text(reports[f"{lang}.html"], encoding="utf-8")
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        try:
            page.goto(path.resolve().as_uri())
            page.wait_for_selector("#decisions")
            shot = ARTIFACTS / f"report-first-page-{lang}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            box = page.locator("#decisions").bounding_box()
            # the decisions are the first thing read, within the first screen
            assert box and box["y"] < 300
        finally:
            page.close()


def test_the_markdown_raci_names_actors_and_referrals(reports) -> None:
    """The Markdown report's RACI matrix heads its columns with the organisations' names and
    names a referral by its two ends, as the HTML matrix does (it showed ids)."""
    md = reports["fi.md"]
    head = next(x for x in md.splitlines() if x.startswith("| kohde |"))
    assert "Kansaneläkelaitos (Kela)" in head and "`kela`" not in head
    assert ("| Kotoutumiskoulutus → Työvoimakoulutus "
            "(`ref-kotoutumiskoulutus-tyovoimakoulutus`) |") in md


def test_first_page_says_what_it_leaves_out_because_nobody_is_accountable(reports) -> None:
    """The first page once left the example's need nobody meets (an error) and its segment
    nobody leads off without a word. They are a decision now ("who takes the lead of …?",
    tests/test_leader_page.py); the page says how many findings nobody is accountable for
    it still leaves out (the two overlaps, for information: no error among them) and where
    they are listed."""
    fi = " ".join(text(section(reports["fi.html"], "decisions")).split())
    assert "Tästä puuttuu 2 havaintoa, joista kukaan ei vastaa (ks. Kukaan ei vastaa)." in fi
    assert "on virhe" not in fi
    sv = " ".join(text(section(reports["sv.html"], "decisions")).split())
    assert "2 iakttagelser som ingen ansvarar för finns inte här" in sv and "av dem är" not in sv
    md = reports["fi.md"].split("## Havainnot lajeittain")[0]
    assert "Tästä puuttuu 2 havaintoa, joista kukaan ei vastaa" in md


def test_the_first_pages_capacity_decision_says_why_no_raise(reports) -> None:
    """The first page repeated "raise the capacity to 61" for 60 clients a month (a queue
    at 98 %), then "to 71", which shortened the wait from 25 days to 24: most of the wait is
    lead time outside the queue. It now offers no raise, and says why, with the wait and the
    utilisation before and after, in the HTML and the markdown."""
    first = " ".join(text(section(reports["fi.html"], "decisions")).split()).replace(
        "\xa0", " ")
    assert "kapasiteetti nostetaan" not in first
    assert "Ei kapasiteetin nostoa" in first
    assert "Nosto 71 asiakkaaseen kuukaudessa lyhentäisi odotusta vain 25 päivästä 24 " \
        "päivään (käyttöaste 133 % → 85 %" in first
    assert "Ylikuormitus on nimellinen" in first
    md = reports["fi.md"].split("## Havainnot lajeittain")[0].replace("\xa0", " ")
    assert "   - Ei kapasiteetin nostoa: Monialainen palvelutarpeen arviointi: kapasiteetin " \
        "nostoa ei ehdoteta." in md


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_never_scrolls_sideways(reports, browser, tmp_path, width) -> None:
    """The RACI matrix of tens of organisations made the whole report 5,074 px wide at
    1280 px: it scrolls in its own box (which the keyboard can focus, and whose header row
    stays at its top), and on a phone every wide table does, so the page keeps the screen's
    width."""
    path = tmp_path / "report-fi.html"
    path.write_text(reports["fi.html"], encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 844})
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("#raci-table")
        assert page.evaluate("document.documentElement.scrollWidth") == width
        box = page.locator("#raci .raci-scroll")
        assert box.get_attribute("tabindex") == "0"
        assert page.evaluate("""() => { const b = document.querySelector('#raci .raci-scroll');
            return b.scrollWidth > b.clientWidth + 100; }""")
        head = page.locator("#raci-table thead th.subject")
        box.focus()
        top = head.bounding_box()["y"]
        page.keyboard.press("PageDown")
        # a wait for the scroll, not for a fixed time (CI is busy)
        until(page, "document.querySelector('#raci .raci-scroll').scrollTop > 0")
        assert abs(head.bounding_box()["y"] - top) < 2    # the header row stays in view
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report-raci-{width}.png"))
    finally:
        page.close()


def test_the_markdown_says_a_best_paths_unknown_waits(reports, tmp_path) -> None:
    """The HTML and PDF said "28 (1 odotusaika ei tiedossa)" where a best path has a step
    whose wait nobody knows (it counts 0 in the sum); the markdown said a bare 28. The
    step into the outcome, which has no first contact to wait for, is no unknown wait: the
    example's path says a bare 42 (it said "1 odotusaika ei tiedossa" of it)."""
    md = reports["fi.md"]
    row = next(x for x in md.splitlines() if x.startswith("| ") and "(`seg-elakepolku`)" in x)
    assert "| 42 |" in row, row
    assert "odotusaika ei tiedossa" not in md
    # a wait nobody knows between two services: the work-ability assessment's to Kela
    folder = tmp_path / "keski-uusimaa"
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder)
    edit(folder / "referrals.csv", "kela-tyokyvyttomyyselake,seg-elakepolku,6,14,",
         "kela-tyokyvyttomyyselake,seg-elakepolku,6,,")
    for name in ("fi.md", "fi.html"):
        assert run("report", folder, "-o", tmp_path / name, "--lang", "fi", "-q").exit_code == 0
    md = (tmp_path / "fi.md").read_text(encoding="utf-8")
    row = next(x for x in md.splitlines() if x.startswith("| ") and "(`seg-elakepolku`)" in x)
    assert "| 28 (1 odotusaika ei tiedossa) |" in row, row
    page = (tmp_path / "fi.html").read_text(encoding="utf-8")
    assert "1 odotusaika ei tiedossa" in text(page.split('id="segments"')[1].split("</table>")[0])


def test_the_markdown_lists_name_the_subject_not_its_id(reports) -> None:
    """Every finding line of the markdown began with a bold raw id (`**seg-terveys**:`);
    it names the subject as the rest of the report does, the id after it in code, and a
    referral by its two ends."""
    md = reports["fi.md"]
    items = [x for x in md.splitlines() if x.startswith("- ") and "**" in x]
    assert items
    raw = [x for x in items if re.match(r"- [^*]+: \*\*[\w./-]+\*\*", x)]
    assert raw == [], raw[:3]
    assert ("- kattamaton tarve: **Henkilöt, joiden terveyden ja työkyvyn tuen tarve on "
            "selvittämättä** (`seg-terveys`): tarpeeseen Työkyvyn arviointi ja selvittely ei "
            "vastaa mikään asiakasryhmälle avoin palvelu") in md
    assert ("- ohjaus ilman vastuutahoa: **ohjaus Kuntouttava työtoiminta → Työkokeilu** "
            "(`ref-ktt-tyokokeilu`): Ohjaukselta") in md


def test_partners_are_the_organisations_the_decision_is_about_first(example, reports) -> None:
    """Decision 1 (the hand-off from rehabilitative work activity to the work trial has no
    owner) named "Hyvinkään nuorten työpaja, Järvenpään nuorten työpaja, Keusoten aikuisten
    sosiaalityö ja 2 muuta": the receiving organisation, the employment area, was hidden in
    "2 muuta" and Keusote's own unit was listed as Keusote's partner; the broken path's
    suggestion names the legal aid office the referral's owner, and the office was hidden
    too. Partners are organisations (the top of the parent chain, as the hand-offs count
    them), never the accountable one nor its units; the other end of the hand-off and a
    suggested owner or lead first, then by name in the reader's alphabet."""
    from polku.analyses.handoffs import organisation
    from polku.present.i18n import alphabetical

    for lang in ("fi", "sv"):
        data = report_data(example, tr=translator(lang))
        tr = translator(lang).plainly()
        for c in data["decisions"]:
            ours = {organisation(example, a["id"]) for a in c["accountable"]}
            ids = [p["id"] for p in c["partners"]]
            assert all(organisation(example, p) == p for p in ids), (c["key"], ids)
            assert not ours & set(ids), (c["key"], ids)
        by_key = {c["key"]: c for c in data["decisions"]}
        handoff = by_key["referral-without-owner:ref-ktt-tyokokeilu"]
        assert [p["id"] for p in handoff["partners"]][0] == "tyollisyysalue"
        rest = [p["label"] for p in handoff["partners"]][1:]
        assert rest == sorted(rest, key=lambda t: alphabetical(t, lang)) and rest
        broken = by_key["path-broken:polku-velat-asuminen:talous-ja-velkaneuvonta"
                        "+kuntouttava-tyotoiminta"]
        assert [p["id"] for p in broken["partners"]][0] == "oikeusaputoimisto"
        assert tr.label(example, "oikeusaputoimisto") in broken["partners"][0]["label"]
    page = section(reports["fi.html"], "decisions")
    first = re.search(r'<li class="decision[^"]*" data-finding="referral-without-owner:'
                      r'ref-ktt-tyokokeilu".*?</li>', page, re.S).group(0)
    said = " ".join(text(re.search(r"<dt>Kumppanit</dt><dd>(.*?)</dd>", first, re.S)
                         .group(1)).split()).replace(" ,", ",")
    assert said.startswith("Keski-Uudenmaan työllisyysalue, ")
    assert "Keusote" not in said and "Keusoten" not in said


def test_the_graph_page_names_the_same_partners() -> None:
    """The graph page draws the decisions with the report's template: its partners are the
    report's."""
    from fastapi.testclient import TestClient

    from polku.app import create_app

    client = TestClient(create_app([ROOT / "graphs"]), raise_server_exceptions=False)
    page = client.get("/graphs/keski-uusimaa?lang=fi").text
    item = re.search(r'<li class="decision[^"]*" data-finding="referral-without-owner:'
                     r'ref-ktt-tyokokeilu".*?</li>', page, re.S)
    assert item
    said = " ".join(text(re.search(r"<dt>Kumppanit</dt><dd>(.*?)</dd>", item.group(0), re.S)
                         .group(1)).split()).replace(" ,", ",")
    assert said.startswith("Keski-Uudenmaan työllisyysalue, ") and "Keusote" not in said
