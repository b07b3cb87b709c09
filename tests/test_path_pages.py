"""The path explorer and the pictures it links to say the same thing (from a service
designer's review of the web UI, through the real app over the example region): the
target outcome travels with the links to the segment view and the blueprint (and
``polku render --to``), the designed paths show their total wait, hand-offs and uncovered
needs, an unknown wait is ``?`` everywhere, "no path" to a target names the target, and a
tooltip's figures say one unit."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from helpers import EXAMPLE, example_client, run

PAGE = "/graphs/keski-uusimaa"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return example_client(tmp_path_factory.mktemp("served"))


def text(html: str) -> str:
    """The page's text, tags out, entities read, spaces folded (none before a
    punctuation mark that followed a tag)."""
    folded = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
    return re.sub(r" ([;:,.])", r"\1", folded)


def links(html: str, view: str) -> list[str]:
    """The addresses of the page's links to ``/view`` or ``/table`` (``view``)."""
    return [unescape(h) for h in re.findall(r'href="([^"]*/%s\?[^"]*)"' % view, html)]


def captions(html: str) -> list[str]:
    return [text(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)]


def test_the_target_outcome_travels_to_the_picture_and_the_blueprint(client) -> None:
    """Paths to the open labour market: the explorer's #1 waits 54 days, and its links
    to the picture and the blueprint keep the target, so they show the same paths (not
    the 35-day path to another outcome that the segment's best paths without a target
    start with)."""
    page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret", "to": "tulos-avoin-tyo",
                                               "k": "2", "lang": "sv"})
    assert page.status_code == 200
    best = [c for c in captions(page.text) if c.startswith("#")]
    assert best[0].startswith("#1 → Arbete på den öppna arbetsmarknaden: 54 dagars väntan")
    assert best[1].startswith("#2 → Arbete på den öppna arbetsmarknaden: 14 dagars väntan")
    picture, blueprint = links(page.text, "view")[:2]
    for link in (picture, blueprint):
        assert "to=tulos-avoin-tyo" in link and "k=2" in link, link

    drawn = client.get(blueprint)
    assert drawn.status_code == 200
    shown = text(drawn.text)
    assert "Väg 1 → Arbete på den öppna arbetsmarknaden: 6 steg · sammanlagt 54 dagars väntan" \
        in shown
    assert "Väg 2 → Arbete på den öppna arbetsmarknaden: 3 steg · sammanlagt 14 dagars väntan" \
        in shown
    assert "kundgruppens 2 bästa vägar till Arbete på den öppna arbetsmarknaden" in shown
    assert "35 dagars väntan" not in shown

    view = client.get(picture)
    assert view.status_code == 200
    assert "Bästa vägarna (2 st.) till Arbete på den öppna arbetsmarknaden" in view.text
    assert "#1: 6 steg, 54 dagars väntan" in view.text
    # the view's bar keeps k and the target on its way to the blueprint and the table
    for link in links(view.text, "view") + links(view.text, "table"):
        if "seg-nuoret" in link:
            assert "to=tulos-avoin-tyo" in link and "k=2" in link, link
    table = client.get(links(view.text, "table")[0])
    assert table.status_code == 200 and "54" in text(table.text)


def test_the_blueprint_api_and_the_command_line_take_the_target(client, tmp_path) -> None:
    api = client.get("/api/graphs/keski-uusimaa/blueprint",
                     params={"subject": "seg-nuoret", "k": 2, "to": "tulos-avoin-tyo"})
    assert api.status_code == 200
    answer = api.json()
    assert answer["to"] == "tulos-avoin-tyo"
    paths = client.get("/api/graphs/keski-uusimaa/paths",
                       params={"segment": "seg-nuoret", "k": 2, "to": "tulos-avoin-tyo"}).json()
    assert [b["total_wait_days"] for b in answer["blueprints"]] == \
        [p["total_wait_days"] for p in paths["best"]] == [54, 14]
    assert {b["outcome"] for b in answer["blueprints"]} == {"tulos-avoin-tyo"}

    out = tmp_path / "bp.html"
    done = run("render", EXAMPLE, "--view", "blueprint:seg-nuoret", "-k", "2",
               "--to", "tulos-avoin-tyo", "--lang", "en", "-o", out)
    assert done.exit_code == 0, done.output
    shown = text(out.read_text(encoding="utf-8"))
    assert re.search(r"Path 1 → [^:]+: 6 steps · 54 days' wait in all", shown), shown[:2000]
    assert "35 days' wait" not in shown
    # the same option as polku paths
    assert "--to" in run("paths", "--help").output
    assert "--to" in run("render", "--help").output


@pytest.mark.parametrize("view", ["ecosystem", "path:polku-nuori-ohjaamo",
                                  "blueprint:polku-nuori-ohjaamo"])
def test_a_target_where_no_best_paths_are_drawn_is_refused(client, view, tmp_path) -> None:
    """A designed path ends where it was designed to end, the ecosystem has no best paths:
    a target there is said to be wrong, not silently dropped."""
    r = client.get(f"{PAGE}/view", params={"view": view, "to": "tulos-avoin-tyo",
                                           "lang": "en"}, headers={"Accept": "text/html"})
    assert r.status_code == 400
    assert "only a client segment&#39;s best paths take a target outcome" in r.text
    done = run("render", EXAMPLE, "--view", view, "--to", "tulos-avoin-tyo", "--lang", "en",
               "-o", tmp_path / "x.html")
    assert done.exit_code == 1 and "--to" in done.output, done.output
    # an id that is no outcome is named by its field
    r = client.get(f"{PAGE}/view", params={"view": "segment:seg-nuoret", "to": "seg-nuoret"})
    assert r.status_code == 400


def test_designed_paths_show_their_wait_hand_offs_and_uncovered_needs(client) -> None:
    """What ``polku paths`` and the API say of a designed path, the page says too: its
    total wait, hand-offs between organisations, unknown waits and the needs it leaves
    uncovered, by name in the reader's language."""
    api = client.get("/api/graphs/keski-uusimaa/paths",
                     params={"segment": "seg-nuoret", "lang": "sv"}).json()
    (designed,) = api["designed"]
    # (its step into the outcome has no wait: no unknown one, an outcome has no first
    # contact to wait for)
    assert (designed["total_wait_days"], designed["handoffs"], designed["unknown_waits"]) \
        == (65, 1, 0)
    for lang, expected in (
            ("sv", "65 dagars väntan, 1 hänvisning mellan organisationer; "
                   "behov som inte täcks: Livskompetens och vardagsfärdigheter"),
            ("fi", "65 päivää odotusta, 1 ohjaus organisaatiosta toiseen; "
                   "kattamatta jäävät tarpeet: Elämänhallinta ja arjen taidot"),
            ("en", "65 days' wait, 1 hand-off between organisations; "
                   "needs left uncovered: Life management and everyday skills")):
        page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret", "lang": lang}).text
        table = page.split('<table data-path="polku-nuori-ohjaamo">', 1)[1]
        caption = text(table.split("</caption>", 1)[0])
        assert expected in caption, caption
        # the command line's line says the same (it left the unknown waits out)
        cli = run("paths", EXAMPLE, "--segment", "seg-nuoret", "--lang", lang).output
        ok = {"fi": "kunnossa", "sv": "i ordning", "en": "ok"}[lang]
        assert f"(polku-nuori-ohjaamo): {ok}, {expected}" in cli, cli


def wait_cells(table: str) -> list[str]:
    """The wait column (the fourth cell of a best path's row, the third of a designed
    path's) of one table."""
    heads = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table.split("</thead>")[0])]
    at = heads.index("väntan (dagar)")
    return [text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[at])
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)]


def test_an_unknown_wait_is_one_mark_on_the_explorer_and_in_the_segment_view(
        tmp_path) -> None:
    """``?`` marks a wait nobody knows (the README's mark), in the best paths' tables and
    the designed paths' alike; ``–`` only the first step, which no hand-off comes before,
    and a step into an outcome without a wait (no first contact to wait for). The segment
    view's legend says the unknown waits its totals count as 0, as the explorer does. (The
    example knows every wait between two services of seg-nuoret: a copy forgets two, on
    the best path and on the designed one.)"""
    from helpers import edit

    client = example_client(tmp_path)
    referrals = tmp_path / "graphs" / "keski-uusimaa" / "referrals.csv"
    edit(referrals, "etsiva-nuorisotyo,ohjaamo-ohjaus,,15,7,", "etsiva-nuorisotyo,ohjaamo-ohjaus,,15,,")
    edit(referrals, "ohjaamo-ohjaus,tuva,,15,30,", "ohjaamo-ohjaus,tuva,,15,,")
    page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret", "lang": "sv"}).text
    tables = re.findall(r"<table(?![^>]*rank-keys)[^>]*>(.*?)</table>", page, re.S)
    assert len(tables) >= 2
    for table in tables:
        waits = wait_cells(table)
        assert waits[0] == "–" and waits[-1] == "–" and "–" not in waits[1:-1], waits
    designed = page.split('<table data-path="polku-nuori-ohjaamo">', 1)[1].split("</table>")[0]
    assert wait_cells(designed)[2] == "?"
    assert "? betyder en väntetid som ingen känner till" in text(page)

    view = client.get(f"{PAGE}/view", params={"view": "segment:seg-nuoret", "lang": "sv"}).text
    explorer = [c for c in captions(page) if c.startswith("#1 ")][0]
    assert "1 väntetid okänd" in explorer and wait_cells(tables[0])[1] == "?"
    assert re.search(r"#1: \d+ steg, 28 dagars väntan, 1 väntetid okänd", view), \
        re.findall(r"#1: [^\"]*", view)[:1]
    # the tooltips too: no dash for a wait nobody knows, and no ? for the outcome's
    assert "Medianväntetid: ? (okänd)" in view
    assert "Medianväntetid: – (" in view


@pytest.mark.parametrize("lang, heading, sentence", [
    ("fi", "tulokseen Eläkeratkaisu",
     "Mikään polku asiakasryhmän aloituspalveluista ei johda tulokseen Eläkeratkaisu."),
    ("sv", "till Pensionsbeslut",
     "Ingen väg från kundgruppens ingångar leder till Pensionsbeslut."),
    ("en", "to Pension decision",
     "No path from the segment's entries reaches Pension decision."),
])
def test_no_path_to_a_target_names_the_target(client, lang, heading, sentence) -> None:
    """With a target outcome, no path is no path *there*: the group may well reach other
    outcomes. The page says it as the command line does, in each language."""
    page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret",
                                               "to": "tulos-elakeratkaisu", "lang": lang})
    assert page.status_code == 200
    h2 = text(re.search(r"<h2>(.*?)</h2>", page.text, re.S).group(1))
    assert h2.endswith(heading), h2
    said = text(re.search(r'<p id="no-path">(.*?)</p>', page.text, re.S).group(1))
    assert said == sentence
    cli = run("paths", EXAMPLE, "--segment", "seg-nuoret", "--to", "tulos-elakeratkaisu",
              "--lang", lang).output
    assert "(" + sentence[0].lower() + sentence[1:-1] + " (tulos-elakeratkaisu))" in cli
    # without a target the old words stand: no path reaches any outcome is another claim
    assert 'id="no-path"' not in client.get(f"{PAGE}/paths", params={
        "segment": "seg-nuoret", "lang": lang}).text


def test_the_segment_view_and_the_blueprint_say_no_path_to_the_target(client) -> None:
    for view in ("segment:seg-nuoret", "blueprint:seg-nuoret"):
        r = client.get(f"{PAGE}/view", params={"view": view, "to": "tulos-elakeratkaisu",
                                               "lang": "sv"})
        assert r.status_code == 200
        assert "Ingen väg från kundgruppens ingångar leder till Pensionsbeslut." in r.text


def test_the_segment_view_tooltips_say_one_unit(client) -> None:
    """A service's capacity, its inflow and its inflow at least (a small referral left
    out for the public) say clients a month alike."""
    for lang, unit in (("sv", "kunder / mån"), ("fi", "asiakasta / kk"), ("en", "/ month")):
        view = client.get(f"{PAGE}/view", params={"view": "segment:seg-nuoret",
                                                  "lang": lang}).text
        figures = re.findall(r"(?:Kapacitet|Inflöde|Volym|Kapasiteetti|Saapuvia|Määrä|Capacity"
                             r"|Inflow|Volume): (?:minst |vähintään |at least )?[\d<][^<\\(]*",
                             view)
        assert any(re.search(r"(minst|vähintään|at least) \d", f) for f in figures), lang
        assert figures and all(f.rstrip().endswith(unit) for f in figures), \
            [f for f in figures if not f.rstrip().endswith(unit)]


# -- the what-if form follows the segment (the script's part: tests/test_whatif_browser.py)

WHATIF = f"{PAGE}/whatif"


def options(page: str, select: str) -> list[str]:
    body = page.split(f'<select id="{select}"', 1)[1].split("</select>", 1)[0]
    return [v for v in re.findall(r'<option value="([^"]*)"', body) if v]


def test_the_page_carries_every_segments_lists_as_the_form_shows_them(client) -> None:
    """The script lists a segment's services from the data the page carries: the same
    services, in the same order, as the form the server writes for that segment."""
    page = client.get(WHATIF, params={"segment": "seg-nuoret", "lang": "sv"}).text
    data = json.loads(unescape(re.search(
        r'<script type="application/json" id="polku-whatif">(.*?)</script>', page,
        re.S).group(1)))
    for segment in ("seg-nuoret", "seg-monitarve", "seg-terveys"):
        form = client.get(WHATIF, params={"segment": segment, "lang": "sv"}).text
        reached = [data["names"][i] for i in data["reach"][segment]]
        assert [n[0] for n in reached if n[3]] == options(form, "service")
        assert [n[0] for n in reached] == options(form, "remove")
    assert 'name="listed" id="listed" value="seg-nuoret"' in page


def test_a_segment_changed_without_the_script_comes_back_with_its_lists(client) -> None:
    """Without scripts the lists stay the old segment's until the form is sent: the answer
    is then the form for the new segment, the services it does not list named and left
    out, not a bare 400."""
    r = client.get(WHATIF, params={"segment": "seg-monitarve", "listed": "seg-nuoret",
                                   "service": "nuotti", "capacity": "20", "lang": "sv"})
    assert r.status_code == 200
    notice = text(re.search(r'<p class="warning" role="status" id="whatif-notice">(.*?)</p>',
                            r.text, re.S).group(1))
    assert notice.startswith("Listorna gäller nu kundgruppen Personer med flera samtidiga")
    assert "NUOTTI-coachning" in notice and "Visa" in notice
    assert "nuotti" not in options(r.text, "service")
    assert options(r.text, "service") == options(
        client.get(WHATIF, params={"segment": "seg-monitarve", "lang": "sv"}).text, "service")
    assert 'name="listed" id="listed" value="seg-monitarve"' in r.text
    assert "<tbody>" not in r.text and 'role="alert"' not in r.text
    # a service both segments list is kept, and answered at once
    both = set(options(r.text, "service")) & set(options(
        client.get(WHATIF, params={"segment": "seg-nuoret"}).text, "service"))
    kept = sorted(both)[0]
    r = client.get(WHATIF, params={"segment": "seg-monitarve", "listed": "seg-nuoret",
                                   "service": kept, "capacity": "20", "lang": "sv"})
    assert r.status_code == 200 and "whatif-notice" not in r.text and "<tbody>" in r.text


def test_a_service_not_of_the_segment_is_worded_plainly(client) -> None:
    """Sent for the segment the form listed, a service it does not list is still a 400
    beside its field, worded plainly in each language: by the operation that refuses it,
    naming the service and the segment (as the API's and polku whatif's with the segment;
    the page's own words, "… finns inte i listan …", are no more)."""
    segment = {"sv": "Personer med flera samtidiga stödbehov i vardag och ekonomi",
               "fi": "Henkilöt, joilla on useita samanaikaisia arjen ja talouden tuen tarpeita"}
    for lang, message in (
            ("sv", f"NUOTTI-coachning (nuotti) är inte en av de tjänster som kundgruppen "
                   f"{segment['sv']} (seg-monitarve) når"),
            ("fi", f"NUOTTI-valmennus (nuotti) ei ole niiden palvelujen joukossa, joihin "
                   f"asiakasryhmä {segment['fi']} (seg-monitarve) pääsee")):
        r = client.get(WHATIF, params={"segment": "seg-monitarve", "listed": "seg-monitarve",
                                       "service": "nuotti", "capacity": "20", "lang": lang})
        assert r.status_code == 400
        alert = re.search(r'id="whatif-error" data-field="service">([^<]*)</p>', r.text)
        assert alert and unescape(alert.group(1)) == message


def test_a_segment_without_entries_is_said_to_have_none(tmp_path) -> None:
    """A copy whose seg-tyovalmiit has an empty ``entry`` cell: its finding says it has no
    entries, and so do `polku paths` (which said no path from its entries reaches an
    outcome, as if it had some) and the path explorer, with or without a target; the JSON
    lists the (no) entries."""
    import shutil

    from fastapi.testclient import TestClient
    from helpers import edit
    from polku.app import create_app

    folder = tmp_path / "graphs" / "keski-uusimaa"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "segments.csv", ",tarve-tyonhaku,alkuhaastattelu; tyomarkkinatori,",
         ",tarve-tyonhaku,,")
    finding = run("findings", folder, "--lang", "en").stdout
    assert "(seg-tyovalmiit) reaches no outcome: it has no entries" in finding
    for to in ((), ("--to", "tulos-avoin-tyo")):
        said = run("paths", folder, "--segment", "seg-tyovalmiit", *to, "--lang", "en").stdout
        assert "\n  (the segment has no entries, so no path can start)\n" in said, said
        assert "segment's entries" not in said
    doc = json.loads(run("paths", folder, "--segment", "seg-tyovalmiit", "--format", "json")
                     .stdout)
    assert doc["entries"] == [] and doc["best"] == []
    assert json.loads(run("paths", EXAMPLE, "--segment", "seg-tyovalmiit", "--format",
                          "json").stdout)["entries"] == ["alkuhaastattelu", "tyomarkkinatori"]
    served = TestClient(create_app([folder.parent]))
    for params in ({}, {"to": "tulos-avoin-tyo"}):
        page = served.get(f"{PAGE}/paths", params={"segment": "seg-tyovalmiit", "lang": "en",
                                                   **params})
        assert page.status_code == 200
        said = text(re.search(r'<p id="no-path">(.*?)</p>', page.text, re.S).group(1))
        assert said == "The client segment has no entries, so no path can start."


def test_a_designed_path_says_its_unknown_waits_at_every_door(tmp_path) -> None:
    """A designer's review: ``polku paths`` left the designed path's unknown waits out of
    its line (the best paths' lines, the page and the JSON said them). One caption
    (:func:`polku.present.captions.path_caption`) words both loops and the page: a designed
    path taking the same steps as the best path reads the same."""
    from fastapi.testclient import TestClient

    from ecobuild import Builder
    from polku.app import create_app

    b = Builder().chain()
    b.referral("r-ab", "a", "b", owner="x", info="yes")   # a wait nobody knows
    b.path("p", "seg", ["a", "b", "work"], name="Designed")
    folder = b.workbook(tmp_path / "graphs" / "chain")
    doc = json.loads(run("paths", folder, "--segment", "seg", "--format", "json").stdout)
    assert [(p["total_wait_days"], p["unknown_waits"]) for p in doc["best"] + doc["designed"]] \
        == [(5, 1), (5, 1)]
    said = "5 days' wait, 0 hand-offs between organisations, 1 wait unknown"
    cli = run("paths", folder, "--segment", "seg", "--lang", "en").stdout.splitlines()
    best = next(line for line in cli if line.startswith("1. "))
    designed = next(line for line in cli if line.startswith("- Designed (p): "))
    assert "1 wait unknown" in designed, cli
    assert best == "1. " + said and designed == "- Designed (p): ok, " + said, cli
    page = TestClient(create_app([folder.parent])).get(
        "/graphs/chain/paths", params={"segment": "seg", "lang": "en"}).text
    assert [c.split(": ", 1)[1] for c in captions(page) if c.startswith(("#1 ", "Designed"))] \
        == [said, said]


def test_a_step_into_an_outcome_without_a_wait_is_no_gap_at_any_door(client) -> None:
    """A designer's review: every path and blueprint of the example said "1 wait unknown"
    and showed it as a red gap on the step into the outcome, whose referral has no wait
    because an outcome has no first contact. Not a wait nobody knows: not counted, not
    marked ``?``, not red, at every door (the command line, the JSON, the explorer, the
    blueprint, the segment view and the report)."""
    unknown = "odotusaika ei tiedossa"
    cli = run("paths", EXAMPLE, "--segment", "seg-nuoret", "--lang", "fi").output
    assert unknown not in cli and "odotus ?" not in cli, cli
    assert "→ (vastuutaho Keuda (Keski-Uudenmaan koulutuskuntayhtymä)) Opiskelupaikka " \
        "tai tutkinto [tulos-koulutus]" in cli
    doc = json.loads(run("paths", EXAMPLE, "--segment", "seg-nuoret", "--format",
                         "json").stdout)
    assert [p["unknown_waits"] for p in doc["best"] + doc["designed"]] == [0] * 6
    page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret", "lang": "sv"}).text
    assert "väntetid okänd" not in text(page)
    tables = re.findall(r"<table(?![^>]*rank-keys)[^>]*>(.*?)</table>", page, re.S)
    assert all(wait_cells(t)[-1] == "–" for t in tables)
    for subject in ("polku-nuori-ohjaamo", "seg-tyovalmiit"):
        shown = client.get(f"{PAGE}/view", params={"view": f"blueprint:{subject}",
                                                    "lang": "fi"}).text
        # (the legend names the gap: "red text: a gap (…, wait not known)")
        assert f'class="bp-warn">{unknown}' not in shown and f"1 {unknown}" not in text(shown)
    view = client.get(f"{PAGE}/view", params={"view": "segment:seg-nuoret", "lang": "fi"}).text
    assert f"1 {unknown}" not in view and "Odotusajan mediaani: ? (ei tiedossa)" not in view
    assert "Odotusajan mediaani: – (tuloksella ei ole ensikontaktia" in view
    # the designed path's picture: the edge into the outcome says no wait, not "? pv"
    path = client.get(f"{PAGE}/view", params={"view": "path:polku-nuori-ohjaamo",
                                              "lang": "fi"}).text
    assert "? pv" not in path and "60/kk · Keuda" in path
    report = client.get(f"{PAGE}/report", params={"lang": "fi"}).text
    row = text(report.split("<code>seg-tyovalmiit</code>", 1)[1].split("</tr>", 1)[0])
    assert unknown not in row, row


def test_the_outcome_picker_is_by_name(client) -> None:
    """A designer's review: the explorer's "Tavoiteltu tulos" picker ran in id order
    (tulos-avoin-tyo, tulos-koulutus, …); a picker is by name in the reader's alphabet, as
    its segment picker is."""
    from polku.present.i18n import alphabetical

    for lang in ("fi", "sv", "en"):
        page = client.get(f"{PAGE}/paths", params={"segment": "seg-nuoret", "lang": lang}).text
        picker = re.search(r'<select id="to" name="to"[^>]*>(.*?)</select>', page, re.S).group(1)
        names = [unescape(t) for t in re.findall(r'<option value="[^"]+"[^>]*>([^<]*)<', picker)]
        assert len(names) > 2, picker
        assert names == sorted(names, key=lambda n: alphabetical(n, lang)), (lang, names)
