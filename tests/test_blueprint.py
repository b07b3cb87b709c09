"""The service blueprint without a browser: its data (lanes, steps, hand-offs, needs met and
left uncovered) held to the graph and to the path analyses, its picture (escaped, one label
per cell, sheets for print), its table, its languages, its doors (CLI, page, links) and
privacy by audience. The browser half is tests/test_blueprint_browser.py."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, copy_mini, edit, run
from polku.analyses.blueprint import CLIENT, ORGANISATION, UNPROVIDED, blueprint
from polku.analyses.paths import best_paths, designed_paths
from polku.analyses.reach import ecosystem
from polku.app import create_app
from polku.errors import PolkuError
from polku.graph import label, nodes_of, path_steps
from polku.io.load import load_graph
from polku.ops.model import Model
from polku.ops.operations import answer
from polku.present import views as render
from polku.present.i18n import translator
from polku.present.operations import ViewOf
from polku.present.views.blueprint import HEAD_W, STEPS_PER_SHEET, text_width, wrap
from polku.server.auth import Tokens
from render_graph import XSS, XSS_SCRIPT, g  # noqa: F401 (fixture)

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

TOKEN = "editor-token-0123456789"


@pytest.fixture(scope="module")
def example():
    return load_graph(EXAMPLE)


# -- the data ---------------------------------------------------------------------------------

def test_every_designed_path_of_the_example_as_a_blueprint(example) -> None:
    eco = ecosystem(example)
    for path in nodes_of(example, "path"):
        data = blueprint(example, path)
        assert data["kind"] == "path" and len(data["blueprints"]) == 1
        bp = data["blueprints"][0]
        steps = path_steps(example, path)
        assert [s["node"] for s in bp["steps"]] == steps
        assert [(h["from"], h["to"]) for h in bp["handoffs"]] == \
            [(i, i + 1) for i in range(len(steps) - 1)]
        # the client's lane on top, then each providing unit once, an organisation's units
        # together, the organisations in the order the path enters them
        assert bp["lanes"][0] == {"node": data["segment"], "role": CLIENT,
                                  "organisation": None}
        units = [lane["node"] for lane in bp["lanes"][1:]]
        assert len(units) == len(set(units))
        assert {s["lane"] for s in bp["steps"]} - {0} == set(range(1, len(bp["lanes"])))
        orgs = [lane["organisation"] for lane in bp["lanes"][1:]]
        assert orgs == sorted(orgs, key=orgs.index)      # each organisation's lanes together
        entered = [bp["lanes"][s["lane"]]["organisation"] for s in bp["steps"] if s["lane"]]
        assert list(dict.fromkeys(orgs)) == list(dict.fromkeys(entered))
        for lane in bp["lanes"][1:]:
            assert lane["organisation"] == (eco.actor_organisation[lane["node"]]
                                            if lane["role"] == ORGANISATION else None)
        for s in bp["steps"]:
            lane = bp["lanes"][s["lane"]]
            providers = eco.providers.get(s["node"], frozenset())
            if s["type"] == "outcome":
                assert s["lane"] == 0
            elif providers:
                assert lane["role"] == ORGANISATION and lane["node"] in providers
                assert set(s["also"]) == providers - {lane["node"]}
            else:
                assert lane["role"] == UNPROVIDED
        # the hand-offs are the referrals' own figures
        for h in bp["handoffs"]:
            if h["broken"]:
                assert h["referral"] is None
                continue
            ref = eco.refs[h["referral"]]
            assert ref.source == steps[h["from"]] and ref.target == steps[h["to"]]
            assert (h["wait"], h["volume_per_month"], h["information"]) == \
                (ref.wait, ref.volume, ref.info)
        # needs: what each step meets, together, is what the path covers
        met = {n for s in bp["steps"] for n in s["needs_met"]}
        assert sorted(met) == bp["covered"]
        assert sorted(bp["covered"] + bp["uncovered"]) == sorted(data["needs"])
        designed = designed_paths(example, data["segment"], eco)
        same = next(d for d in designed if d["path"] == path)
        assert (bp["total_wait_days"], bp["handoffs_between"], bp["uncovered"]) == \
            (same["total_wait_days"], same["handoffs"], same["uncovered"])
        # the lanes and the count agree: a hand-off is between organisations exactly when
        # its two steps' lanes belong to two organisations (or to nobody)
        for h, step in zip(bp["handoffs"], same["steps"][1:]):
            a, b = (bp["lanes"][bp["steps"][i]["lane"]] for i in (h["from"], h["to"]))
            crosses = b["role"] != CLIENT and (a["organisation"] is None
                                               or a["organisation"] != b["organisation"])
            assert h["between"] == step["handoff"] == crosses, (path, h)


def test_a_step_goes_to_the_lane_of_the_organisation_that_leads_it(example) -> None:
    bp = blueprint(example, "polku-ips")["blueprints"][0]
    lanes = [lane["node"] for lane in bp["lanes"]]
    step = {s["node"]: s for s in bp["steps"]}
    # IPS: provided by Keusote's mental health services and HUS psychiatry, led by Keusote's;
    # the client comes from HUS psychiatry, which runs it too: Keusote's lane would be a
    # crossing to Keusote and back that the path's count does not have
    assert lanes[step["ips"]["lane"]] == "hus-psykiatria"
    assert step["ips"]["also"] == ["keusote-mielenterveys"]
    assert bp["handoffs_between"] == 2
    # kuntouttava työtoiminta: led by Keusote, provided by its adult social work (part of it)
    bp = blueprint(example, "polku-velat-asuminen")["blueprints"][0]
    lanes = [lane["node"] for lane in bp["lanes"]]
    step = {s["node"]: s for s in bp["steps"]}
    assert lanes[step["kuntouttava-tyotoiminta"]["lane"]] == "keusote-aikuissosiaalityo"


def test_the_lanes_and_the_count_of_hand_offs_agree_on_organisations(example) -> None:
    """A designer's review: the lanes were per actor and the caption counted hand-offs
    between organisations. Ohjaamo (a unit of the employment area) → Keuda read as two lane
    crossings and "1 referral between organisations"; and seg-nuoret's path 2 put outreach
    youth work in Hyvinkää's lane and the youth workshop (run by Hyvinkää and Järvenpää,
    led by Järvenpää's) in Järvenpää's, a crossing between two cities the caption counted
    as none (the data is right: the count asked only whether the providers' organisations
    meet). Now one rule carries each step: the lanes stay per unit, grouped and named by
    organisation, and a crossing is counted exactly when the organisation changes."""
    bp = blueprint(example, "polku-nuori-ohjaamo")["blueprints"][0]
    lanes = [(lane["node"], lane["organisation"]) for lane in bp["lanes"][1:]]
    assert lanes == [("tyollisyysalue", "tyollisyysalue"), ("ohjaamo", "tyollisyysalue"),
                     ("keuda", "keuda")]
    assert [h["between"] for h in bp["handoffs"]] == [False, True, False, False]
    assert bp["handoffs_between"] == 1
    # the picture and its table say which organisation the unit belongs to
    page = render.build_view(example, "blueprint:polku-nuori-ohjaamo",
                             lang="fi").chart["sections"][0]
    svg = str(page["svg"])
    # (the lane's name wrapped to its cell: the note's first words)
    assert re.search(r'class="bp-note small">organisaatio: Keski-', svg)
    assert svg.count('class="bp-orgrule"') == 2   # the client | työllisyysalue | Keuda
    assert re.findall(r'data-organisation="([^"]+)"', svg) == \
        ["tyollisyysalue", "tyollisyysalue", "keuda"]
    assert page["rows"][1]["lane"] == \
        "Ohjaamo Keski-Uusimaa (organisaatio: Keski-Uudenmaan työllisyysalue)"

    two = blueprint(example, "seg-nuoret", k=5)["blueprints"][1]
    assert [s["node"] for s in two["steps"]][:2] == ["etsiva-nuorisotyo", "nuorten-tyopaja"]
    first, second = (two["lanes"][s["lane"]] for s in two["steps"][:2])
    assert first["organisation"] == second["organisation"] == "jarvenpaa"
    assert (first["node"], second["node"]) == ("jarvenpaa", "jarvenpaa-tyopaja")
    assert not two["handoffs"][0]["between"] and two["handoffs_between"] == 1
    best = best_paths(example, "seg-nuoret", k=5)
    assert [bp["handoffs_between"] for bp in blueprint(example, "seg-nuoret", k=5)
            ["blueprints"]] == [p["handoffs"] for p in best]
    assert [s["organisation"] for s in best[1]["steps"]] == \
        ["jarvenpaa", "jarvenpaa", "keuda", None]


def test_a_segment_blueprint_draws_its_best_paths_in_rank_order(example) -> None:
    data = blueprint(example, "seg-monitarve", k=3)
    assert data["kind"] == "segment" and data["segment"] == "seg-monitarve"
    best = best_paths(example, "seg-monitarve", k=3)
    assert [[s["node"] for s in bp["steps"]] for bp in data["blueprints"]] == \
        [[s["node"] for s in p["steps"]] for p in best]
    assert [bp["rank"] for bp in data["blueprints"]] == [1, 2, 3]
    assert all(not h["broken"] for bp in data["blueprints"] for h in bp["handoffs"])
    # the caller's paths are drawn as given
    assert blueprint(example, "seg-monitarve", k=1, paths=best)["blueprints"][0]["steps"] == \
        data["blueprints"][0]["steps"]


def test_a_broken_step_and_a_service_nobody_provides(g) -> None:
    bp = blueprint(g, "polku-velat")["blueprints"][0]
    assert [h["broken"] for h in bp["handoffs"]] == [True, True]  # no referral at all
    assert bp["handoffs"][0]["referral"] is None
    g2 = g.copy()
    g2.add_node("polku-orpo", type="path", name="Orpo")
    from polku.graph import add_edge

    add_edge(g2, "polku-orpo", "seg-tyovalmiit", "path_segment")
    for i, node in enumerate(["alkuhaastattelu", "orpo", "tyo"], start=1):
        add_edge(g2, "polku-orpo", node, "step", key=f"step:{i}", order=i)
    bp = blueprint(g2, "polku-orpo")["blueprints"][0]
    assert [lane["role"] for lane in bp["lanes"]] == [CLIENT, ORGANISATION, UNPROVIDED]
    assert bp["steps"][1]["lane"] == 2


def test_an_id_that_is_neither_path_nor_segment_is_refused(example) -> None:
    for bad in ("nope", "tyokokeilu"):
        with pytest.raises(PolkuError) as e:
            blueprint(example, bad)
        assert e.value.field == "view" and e.value.node == bad
    result = run("render", EXAMPLE, "--view", "blueprint:tyokokeilu", "-o", "x.html")
    assert result.exit_code != 0 and "no such designed path or client segment" in result.output
    result = run("render", EXAMPLE, "--view", "blueprint", "-o", "x.html")
    assert result.exit_code != 0 and "blueprint:ID" in result.output


# -- the picture ------------------------------------------------------------------------------

def test_wrap_keeps_every_line_within_its_width_and_says_when_it_cut() -> None:
    text = "Keski-Uudenmaan hyvinvointialue (Keusote) ja Työterveyslaitos yhdessä"
    for width in (60, 120, 200):
        lines, cut = wrap(text, width, 3)
        assert all(text_width(line) <= width for line in lines), (width, lines)
        assert cut == (len(wrap(text, width, 99)[0]) > 3)
        if cut:
            assert lines[-1].endswith("…")
    assert wrap("Työkokeilu", 200, 1) == (["Työkokeilu"], False)


#: every place a blueprint of the example may break a word inside, by language: the
#: syllables and compound joints a reader of that language breaks at
GOOD_BREAKS = {
    "fi": ["mielenterveys-|palvelut", "Työllistymis-|suunnitelma", "Kotoutumis-|koulutus",
           "koulutus-|kuntayhtymä"],
    "sv": ["Mentalvårds-|tjänster", "rehabiliterings-|syfte", "sysselsättnings-|område",
           "Folkpensions-|anstalten", "Hälsoundersök-|ning"],
}
#: the breaks people saw and read wrong
BAD_BREAKS = ["miel-|enterveys", "rehabiliteringssy-|fte", "Mentalvårdstjä-|nster",
              "Folkpensionsanst-|alten", "sysselsättningsom-|råde", "Integrationsutb-|ildning"]


def _breaks_drawn(example, lang: str) -> set[str]:
    """Every word the example's blueprints break inside: the line's last word and the next
    line's first, joined at the break."""
    out = set()
    for subject in [p for p, d in example.nodes(data=True) if d.get("type") == "path"]:
        svg = "".join(str(s["svg"]) for s in render.build_view(
            example, f"blueprint:{subject}", lang=lang).chart["sections"])
        for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S):
            lines = [html.unescape(t) for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)]
            for a, b in zip(lines, lines[1:]):
                if a.endswith("-") and b[:1].islower() and not a.endswith(" -"):
                    out.add(a.split(" ")[-1] + "|" + b.split(" ")[0])
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_long_words_break_between_syllables_or_words_never_anywhere(example, lang) -> None:
    """A word that fits a line of its own starts the next line ("1. Aikuisten
    miel-|enterveyspalvelut" read wrong); a word wider than a line breaks where its
    language breaks it, at a compound's joint first, else between syllables."""
    from polku.present.views.blueprint import breaks, joints

    tr = translator(lang)
    names = " ".join(tr.label(example, n) for n in example.nodes)
    drawn = _breaks_drawn(example, lang)
    assert drawn, "no word of the example breaks: the test measures nothing"
    for pair in drawn:
        head, tail = pair.split("|")
        if head + tail in names or f"{head} {tail}" in names:
            # after the word's own hyphen (IPS-|työhönvalmennus), or between two words the
            # first of which ends in one ("studie- eller arbetsplats")
            continue
        word = head[:-1] + tail
        assert len(head) - 1 in breaks(word, lang) + joints(word, lang), pair
    for bad in BAD_BREAKS:
        assert bad not in drawn, bad
    wholes = {pair.replace("-|", "").lower(): pair for pair in drawn}
    seen = [good for good in GOOD_BREAKS[lang] if good.replace("-|", "").lower() in wholes]
    assert len(seen) >= 2, (seen, sorted(drawn))
    for good in seen:
        assert wholes[good.replace("-|", "").lower()].lower() == good.lower(), good
    assert wrap("1. Aikuisten mielenterveyspalvelut (avohoito)", 160, 4)[0] == [
        "1. Aikuisten", "mielenterveyspalvelut", "(avohoito)"]
    assert wrap("i rehabiliteringssyfte", 130, 3, lang="sv")[0] == ["i rehabiliterings-",
                                                                     "syfte"]


def test_the_picture_has_a_card_per_step_an_arrow_per_hand_off_and_whole_names(example) -> None:
    v = render.build_view(example, "blueprint:polku-pitkaaikaistyoton", lang="fi")
    assert v.kind == "blueprint" and v.nodes == [] and v.template == "blueprint.html"
    section, = v.chart["sections"]
    svg = str(section["svg"])
    steps = path_steps(example, "polku-pitkaaikaistyoton")
    assert svg.count('class="bp-card') == len(steps)
    assert len(re.findall(r'<path class="bp-arrow[^"]*" d=', svg)) == len(steps) - 1
    assert svg.count('class="bp-handoff"') == len(steps) - 1
    # the lane and row names left of the steps, each line within the name column
    for m in re.finditer(r'<text x="([\d.]+)"[^>]*>(?:<title>.*?</title>)?(.*?)</text>', svg):
        if float(m.group(1)) < HEAD_W:
            for cls, line in re.findall(r'<tspan[^>]*class="([^"]*)">(.*?)</tspan>',
                                        m.group(2)):
                small = "small" in cls
                assert float(m.group(1)) + text_width(html.unescape(line), 12 if small else 13,
                                                      not small) <= HEAD_W, line
    # a label cut short keeps its whole text in its <title>
    for m in re.finditer(r"<text[^>]*>(<title>(.*?)</title>)?(.*?)</text>", svg):
        if "…" in m.group(3):
            assert m.group(2), m.group(3)
    # the table alternative: a row per step, the hand-off that brings the client there
    rows = section["rows"]
    assert [r["step"] for r in rows] == [f"{i}. {example.nodes[s]['name']}"
                                         for i, s in enumerate(steps, start=1)]
    assert rows[1]["wait"].startswith("odotus ") and rows[1]["owner"].startswith("vastuutaho: ")
    # print: sheets of at most STEPS_PER_SHEET steps, every sheet as wide as a full one
    sheets = section["sheets"]
    assert len(sheets) == -(-len(steps) // STEPS_PER_SHEET)
    widths = {re.search(r'<svg[^>]* width="(\d+)"', str(s["svg"])).group(1) for s in sheets}
    assert len(widths) == 1
    assert sum(str(s["svg"]).count('class="bp-card') for s in sheets) == len(steps)


def test_user_text_is_escaped(g) -> None:
    page = render.render_html(g, "blueprint:seg-hoitosuhteessa", k=5)
    assert "<script" not in page and XSS_SCRIPT not in page and XSS not in page
    assert "&lt;img src=x" in page or "&lt;/script&gt;" in page


def test_the_page_in_three_languages(example) -> None:
    words = {"fi": ("Palvelupiirustus", "vastuutaho", "Ohjaus", "Kattamatta jäävät tarpeet",
                    "asiakasta/kk"),
             "sv": ("Tjänsteritning", "ansvarig aktör", "Hänvisning", "Behov som lämnas",
                    "kunder/mån"),
             "en": ("Service blueprint", "owner", "Referrals between",
                    "Needs left uncovered", "clients a month")}
    for lang, want in words.items():
        page = render.render_html(example, "blueprint:polku-ips", lang=lang)
        assert f'<html lang="{lang}">' in page
        for word in want:
            assert word in page, (lang, word)
        # names, not ids
        assert "tarve-tyoelamavalmiudet" not in page.split("<body", 1)[1]
        assert "@page { size: A4 landscape" in page and "<script" not in page


def test_a_segment_blueprint_has_a_section_per_path(example) -> None:
    v = render.build_view(example, "blueprint:seg-nuoret", k=2, lang="en")
    assert [s["heading"].split(" →")[0] for s in v.chart["sections"]] == ["Path 1", "Path 2"]
    assert v.title == "Service blueprint · " + translator("en").label(example, "seg-nuoret")
    assert v.subtitle == "the client segment's 2 best paths"
    assert render.menu(example).count(("blueprint:polku-ips", "Palvelupiirustus: "
                                       + label(example, "polku-ips"))) == 1


# -- privacy ----------------------------------------------------------------------------------

def test_the_public_sees_no_small_volume(tmp_path) -> None:
    mini = copy_mini(tmp_path / "mini")
    edit(mini / "referrals.csv", "r1,alkuhaastattelu,kuntouttava,nuoret,12,",
         "r1,alkuhaastattelu,kuntouttava,nuoret,4,")
    model = Model(load_graph(mini))
    shown = {}
    for who in ("public", "editor"):
        v = answer(ViewOf(view="blueprint:p1", lang="fi"), model, who)
        shown[who] = render.view_html(v)
    assert "4 asiakasta/kk" in shown["editor"] and "&lt;5 asiakasta/kk" not in shown["editor"]
    assert "4 asiakasta/kk" not in shown["public"] and "&lt;5 asiakasta/kk" in shown["public"]
    # r2 (3 a month) is small in both worlds
    assert shown["public"].count("&lt;5 asiakasta/kk") >= 2


# -- the doors --------------------------------------------------------------------------------

def test_cli_page_and_links(tmp_path, example) -> None:
    out = tmp_path / "bp.html"
    result = run("render", EXAMPLE, "--view", "blueprint:polku-ips", "-o", out, "--lang", "sv")
    assert result.exit_code == 0, result.output
    assert "Tjänsteritning" in out.read_text(encoding="utf-8")
    mini = copy_mini(tmp_path / "served" / "mini")
    client = TestClient(create_app([mini.parent], Tokens({"editor": TOKEN})))
    r = client.get("/graphs/mini/view", params={"view": "blueprint:p1"})
    assert r.status_code == 200 and "Palvelupiirustus · Nuoren polku" in r.text
    assert "'unsafe-inline'" not in r.headers["content-security-policy"].split("script-src")[1] \
        .split(";")[0]
    # the segment and path views and the path explorer link to the blueprints
    for view in ("segment:nuoret", "path:p1"):
        page = client.get("/graphs/mini/view", params={"view": view}).text
        assert f"view=blueprint%3A{view.split(':')[1]}" in page
    paths = client.get("/graphs/mini/paths", params={"segment": "nuoret"}).text
    assert "view=blueprint%3Ap1" in paths and "view=blueprint%3Anuoret" in paths
    graph = client.get("/graphs/mini").text
    assert "view=blueprint%3Ap1" in graph
    r = client.get("/graphs/mini/view", params={"view": "blueprint:kuntouttava"})
    assert r.status_code == 400


def test_the_graph_pages_views_list_every_blueprint() -> None:
    """The README promised the blueprints linked from the graph page's list of views, and
    the example's *Näkymät (32)*; the page listed the designed paths' blueprints only
    (*Näkymät (24)*): a segment's blueprint (its best paths) is listed too, after the
    paths'."""
    client = TestClient(create_app([EXAMPLE.parent]))
    page = client.get("/graphs/keski-uusimaa", params={"lang": "fi"}).text
    views = page.split('<details id="views"', 1)[1].split("</details>", 1)[0]
    listed = re.findall(r'<li><a href="/graphs/keski-uusimaa/view\?view=([^&"]+)', views)
    assert "Näkymät (32)" in views and len(listed) == 32
    blueprints = [v for v in listed if v.startswith("blueprint%3A")]
    assert blueprints[:7] == [f"blueprint%3A{p}" for p in sorted(
        v.split("%3A")[1] for v in listed if v.startswith("path%3A"))]
    assert blueprints[7:] == [v.replace("segment", "blueprint", 1) for v in listed
                              if v.startswith("segment%3A")]
    assert "Palvelupiirustus: Alle 30-vuotiaat, opiskelu- tai työpaikka vielä löytymättä" \
        in views


def test_the_api_answers_the_blueprint_as_data(tmp_path) -> None:
    mini = copy_mini(tmp_path / "served" / "mini")
    edit(mini / "referrals.csv", "r1,alkuhaastattelu,kuntouttava,nuoret,12,",
         "r1,alkuhaastattelu,kuntouttava,nuoret,4,")
    client = TestClient(create_app([mini.parent], Tokens({"editor": TOKEN})))
    editor = {"Authorization": f"Bearer {TOKEN}"}
    r = client.get("/api/graphs/mini/blueprint", params={"subject": "p1", "lang": "sv"},
                   headers=editor)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["kind"] == "path" and data["label"] == "Nuoren polku"
    bp, = data["blueprints"]
    assert [s["node"] for s in bp["steps"]] == ["alkuhaastattelu", "kuntouttava", "tyo"]
    assert [lane["label"] for lane in bp["lanes"]] == ["Nuoret",
                                                       "Mellersta Nylands välfärdsområde"]
    assert [h["volume_per_month"] for h in bp["handoffs"]] == [4, 3]
    assert bp["handoffs"][0]["owner_label"] == "Mellersta Nylands välfärdsområde"
    # the same, as the public reads it: the small volumes hidden
    public = client.get("/api/graphs/mini/blueprint", params={"subject": "p1"}).json()
    hand = public["blueprints"][0]["handoffs"]
    assert [(h["volume_per_month"], h["volume_hidden"]) for h in hand] == [(None, True)] * 2
    # a segment's best paths; a bad id names its parameter
    seg = client.get("/api/graphs/mini/blueprint", params={"subject": "nuoret", "k": 1}).json()
    assert seg["kind"] == "segment" and len(seg["blueprints"]) == 1
    r = client.get("/api/graphs/mini/blueprint", params={"subject": "kuntouttava"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "subject"


def test_the_table_pages_of_a_blueprint_and_a_segment_show_their_facts() -> None:
    """Each view's "(table)" link on the graph page: a blueprint's table page showed two
    empty tables ("Solmut (0)", "Yhteydet (0)": a chart has no nodes), and a segment's
    showed its hand-off rows through the timeline's template (every cell empty or "–", and
    no node or link tables)."""
    client = TestClient(create_app([EXAMPLE]))
    page = client.get("/graphs/keski-uusimaa/table",
                      params={"view": "blueprint:polku-ips", "lang": "fi"}).text
    assert "Solmut (0)" not in page and "Yhteydet (0)" not in page
    steps = [label(load_graph(EXAMPLE), s) for s in path_steps(load_graph(EXAMPLE), "polku-ips")]
    assert all(html.escape(s) in page for s in steps if s), steps
    assert "Kattamatta jäävät tarpeet" in page
    page = client.get("/graphs/keski-uusimaa/table",
                      params={"view": "segment:seg-nuoret", "lang": "sv"}).text
    assert "Hänvisningar på de bästa vägarna" in page
    assert re.search(r"Noder \(\d+\)", page) and "Noder (0)" not in page
    rows = re.findall(r"<tr><th scope=\"row\">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>", page)
    assert rows and all(cells[1] not in ("", "–") and cells[2] not in ("", "–") for cells in rows[:5])
