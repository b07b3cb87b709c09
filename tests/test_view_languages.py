"""The interactive views speak Finnish (the default), Swedish and English: ``<html lang>``,
titles, legends, tooltips, the side panel and the page script's sentences, and node labels
from ``name_sv``/``name_en`` where the graph gives them. The browser half is in
tests/test_render_browser.py (``test_swedish_page_speaks_swedish``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import run
from polku.present import views as render
from polku.analyses.findings import find
from polku.graph import add_edge
from polku.present.i18n import IN_LANGUAGE, translator
from polku.present import langmarks
from polku.io.workbook import write_workbook
from render_graph import demo_graph

ROOT = Path(__file__).resolve().parents[1]

#: node: (name_sv, name_en); the demo graph's primary names are Finnish
TRANSLATED = {
    "ips": ("IPS-arbetsträning", "IPS job coaching"),
    "seg-hoitosuhteessa": ("Stöd för psykisk hälsa behövs", "Mental health support needed"),
    "keusote": ("Mellersta Nylands välfärdsområde", "Central Uusimaa wellbeing county"),
    "polku-ips": ("IPS-vägen", "The IPS path"),
    "m1": ("Gemensam kontaktering", "Joint outreach"),
}


def graph():
    """The demo graph with a small plan and some names in Swedish and English."""
    g = demo_graph()
    g.add_node("goal-1", type="goal", name="Työllisyys paranee")
    g.add_node("m1", type="measure", name="Yhteinen kontaktointi", deferred=True)
    add_edge(g, "m1", "goal-1", "in_goal")
    add_edge(g, "keusote", "m1", "responsibility", key="responsibility:lead", role="lead")
    add_edge(g, "kela", "m1", "responsibility", key="responsibility:participant",
             role="participant")
    for node, (sv, en) in TRANSLATED.items():
        g.nodes[node]["name_sv"] = sv
        g.nodes[node]["name_en"] = en
    return g


@pytest.fixture(scope="module")
def g():
    return graph()


@pytest.fixture(scope="module")
def findings(g):
    return [f.to_dict() for f in find(g)]


def data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" class="pv-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def names(g, lang: str) -> dict[str, str]:
    """What each translated node is called in ``lang`` (the primary name in Finnish)."""
    return {n: g.nodes[n]["name" if lang == "fi" else f"name_{lang}"] for n in TRANSLATED}


# view: {lang: texts that must be on the page}; the English ones are the source texts
CHARACTERISTIC = {
    "ecosystem": {"fi": ["Ekosysteemi · demo-region", "Etsi kohde", "Selite",
                         "Kaikki asiakasryhmät", "asiakastiedot eivät siirry"],
                  "sv": ["Ekosystemet · demo-region", "Sök ett objekt", "Teckenförklaring",
                         "Alla kundgrupper", "kunduppgifterna följer inte med"],
                  "en": ["Ecosystem · demo-region", "Find a node", "Legend", "All client segments",
                         "information does not travel"]},
    "segment:seg-hoitosuhteessa": {"fi": ["Asiakasryhmä · ", "Asiakasryhmän tarpeet"],
                                  "sv": ["Kundgrupp · ", "Kundgruppens behov"],
                                  "en": ["Segment · ", "Needs of the segment"]},
    "path:polku-ips": {"fi": ["Suunniteltu polku · ", "Vaiheet"],
                       "sv": ["Planerad servicestig · ", "brutet steg"],
                       "en": ["Designed path · ", "broken step"]},
    "responsibility": {"fi": ["Vastuut · demo-region", "päävastuu puuttuu", "kuultava"],
                       "sv": ["Ansvar · demo-region", "huvudansvar saknas", "hörs"],
                       "en": ["Responsibilities · demo-region", "no lead", "consulted"]},
    "plan": {"fi": ["Suunnitelma · demo-region", "työnjako auki", "päävastuu"],
             "sv": ["Plan · demo-region", "arbetsfördelning öppen", "huvudansvar"],
             "en": ["Plan · demo-region", "deferred", "lead"]},
}
# texts of one language that must not appear in the others' pages
NOT_ELSEWHERE = {"fi": ["Etsi kohde", "Sovita näkymään"], "sv": ["Sök ett objekt", "Återställ"],
                 "en": ["Find a node", "Fit to screen", "Hover for details"]}


@pytest.mark.parametrize("view", list(CHARACTERISTIC))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_each_view_speaks_each_language(g, findings, view, lang):
    page = render.render_html(g, view, audience="editor", findings=findings, lang=lang)
    assert f'<html lang="{lang}">' in page
    assert f'lang="{lang}" style=' in page  # the view's own <section lang>
    data = data_block(page)
    text = page + json.dumps(data, ensure_ascii=False)
    for want in CHARACTERISTIC[view][lang]:
        assert want in text, (view, lang, want)
    # what a reader sees: the page without its scripts and styles, plus the view's data
    shown = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S) + json.dumps(
        data, ensure_ascii=False)
    for other, words in NOT_ELSEWHERE.items():
        if other != lang:
            for word in words:
                assert word not in shown, (view, lang, word)
    assert data["lang"] == lang
    assert data["texts"]["noMatch"] == translator(lang)("No node matches “{text}”.")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_labels_come_from_name_sv_and_name_en(g, findings, lang):
    want = names(g, lang)
    for view, node in (("ecosystem", "ips"), ("ecosystem", "keusote"),
                       ("segment:seg-hoitosuhteessa", "seg-hoitosuhteessa"),
                       ("plan", "m1")):
        v = render.build_view(g, view, findings=findings, lang=lang)
        label = {n["gid"]: n["label"] for n in v.nodes}[node]
        assert want[node] in label, (view, node, lang, label)
    path = render.build_view(g, "path:polku-ips", findings=findings, lang=lang)
    assert path.title.endswith(want["polku-ips"])
    # tooltips say the names in the other languages
    eco = render.build_view(g, "ecosystem", findings=findings, lang=lang)
    tip = {n["gid"]: n["title"] for n in eco.nodes}["ips"]
    assert tip.splitlines()[0].endswith(want["ips"])
    others = {"fi": "IPS-työhönvalmennus", "sv": TRANSLATED["ips"][0], "en": TRANSLATED["ips"][1]}
    tr = translator(lang)
    for other, name in others.items():
        # "in Swedish: …" in the reader's language, never a bare language code
        # (the name marked with its language, which is not the page's: WCAG 3.1.2)
        said = f"{tr(IN_LANGUAGE[other])}: {langmarks.marked(name, other)}"
        assert (said in tip) == (other != lang), (lang, other, tip)
        assert f"\n{other}: " not in tip
    # and so do the segment filter and the web UI's menu
    page = render.render_html(g, "ecosystem", audience="editor", findings=findings, lang=lang)
    assert f'<option value="seg-hoitosuhteessa">{want["seg-hoitosuhteessa"]}</option>' in page
    menu = dict(render.menu(g, translator(lang)))
    segment = translator(lang)("Client segment")
    assert menu["segment:seg-hoitosuhteessa"] == f"{segment}: {want['seg-hoitosuhteessa']}"


def test_finnish_is_the_default_and_words_are_plain(g, findings):
    page = render.render_html(g, "responsibility", audience="editor", findings=findings)
    assert '<html lang="fi">' in page
    v = render.build_view(g, "responsibility", findings=findings)
    node = {n["gid"]: n for n in v.nodes}["tyokokeilu"]
    assert "päävastuu puuttuu" in node["label"] and "no-lead" not in node["label"]
    assert "päävastuu puuttuu" in v.subtitle
    # a finding in a tooltip: the severity, the kind's name and what it means in Finnish,
    # then the message; the kind's id is a code for the JSON, not for the reader
    typ = {n["gid"]: n["title"] for n in render.build_view(
        g, "ecosystem", findings=findings).nodes}["typ"]
    assert "• varoitus · useita päävastuullisia: kahdella tai useammalla toimijalla on " \
        "päävastuu samasta asiasta" in typ
    assert "multiple-leads" not in typ
    assert "Kapasiteetti: 30 asiakasta / kk" in typ and "83\xa0%" in typ  # a share as Finns write it


def test_menu_titles_are_translated(g):
    assert render.menu(g)[:2] == [("ecosystem", "Ekosysteemi"), ("responsibility", "Vastuut")]
    sv = dict(render.menu(g, translator("sv")))
    assert sv["ecosystem"] == "Ekosystemet" and sv["plan"] == "Handlingsplan"
    assert sv["path:polku-ips"] == "Planerad servicestig: IPS-vägen"
    en = dict(render.menu(g, translator("en")))
    assert en["responsibility"] == "Responsibilities" and en["timeline"] == "Timeline"


def test_focus_speaks_the_language(g):
    sv = render.build_view(g, "ecosystem", focus="ips", depth=1, lang="sv")
    assert sv.title.endswith("kring IPS-arbetsträning")
    assert sv.subtitle.startswith("5 av ") and "inom 1 steg från IPS-arbetsträning" in sv.subtitle
    fi = render.build_view(g, "ecosystem", focus="ips", depth=2)
    assert "enintään 2 askeleen päässä kohteesta IPS-työhönvalmennus" in fi.subtitle


def test_the_page_script_holds_no_language_of_its_own():
    """Every sentence the script shows comes from the page's JSON (``texts``)."""
    js = (ROOT / "src" / "polku" / "templates" / "polku-view.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", js, flags=re.S))
    literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', code)
    words = [s for s in literals if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", s)]
    assert words == ['"use strict"']
    for key in ("noMatch", "found", "foundMore", "shown", "aggregate"):
        assert f'"{key}"' in code


def test_cli_render_takes_lang(tmp_path: Path, g):
    wb = tmp_path / "region"
    write_workbook(g, wb)
    for lang, title in (("sv", "Ansvar · "), ("en", "Responsibilities · "), (None, "Vastuut · ")):
        out = tmp_path / f"{lang}.html"
        args = ["render", str(wb), "-o", str(out), "--view", "responsibility"]
        r = run(*args, *(["--lang", lang] if lang else []))
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        assert f'<html lang="{lang or "fi"}">' in page and title in page
    out = tmp_path / "env.html"
    r = run("render", wb, "-o", out, env={"POLKU_LANG": "sv"})
    assert r.exit_code == 0 and '<html lang="sv">' in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    r = run("render", wb, "-o", bad, "--lang", "de")
    assert r.exit_code == 1 and "tuntematon kieli 'de' (käytä fi, sv tai en)" in r.output
    assert not bad.exists()


def test_report_passes_its_language_to_the_embedded_views(tmp_path: Path):
    example = ROOT / "graphs" / "keski-uusimaa.ttl"
    # the embedded views are the largest segments' (the ecosystem is summarised as a table
    # of organisations and their hand-offs, in the report's language too)
    for lang, title in (("sv", "Kundgrupp · "), ("en", "Segment · ")):
        out = tmp_path / f"{lang}.html"
        r = run("report", example, "-o", out, "--lang", lang)
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        sections = re.findall(r'<section class="polku-view" id="[^"]+" lang="(\w+)"', page)
        assert sections and set(sections) == {lang}
        assert title in page
        assert translator(lang)("The ecosystem at a glance") in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_timeline_chart_page_says_its_language(g, findings, lang):
    page = render.render_html(g, "timeline", audience="editor", findings=findings, lang=lang)
    assert f'<html lang="{lang}">' in page
    assert re.search(rf'<section class="polku-view polku-chart" id="polku-view" lang="{lang}"', page)
    assert translator(lang)("Plan timeline · {graph}").split(" ·")[0] in page


def test_the_web_ui_serves_views_and_their_menu_in_its_language(tmp_path: Path):
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]))
    for lang, title, menu_title in (("sv", "Ekosystemet · ", "Ansvar"),
                                    ("en", "Ecosystem · ", "Responsibilities"),
                                    ("fi", "Ekosysteemi · ", "Vastuut")):
        page = client.get("/graphs/keski-uusimaa/view", params={"view": "ecosystem",
                                                                 "lang": lang}).text
        assert f'<html lang="{lang}">' in page and title in page
        table = client.get("/graphs/keski-uusimaa/table", params={"view": "responsibility",
                                                                   "lang": lang}).text
        assert translator(lang)("Responsibilities · {name}").split(" ·")[0] in table
        graph = client.get("/graphs/keski-uusimaa", params={"lang": lang}).text
        assert f">{menu_title}<" in graph


def test_illustrative_graph_says_so_on_every_view_page():
    """The example region is made-up data: its view pages (whole and as fragments, the
    timeline chart too) carry the banner in the reader's language; a graph without the
    flag carries none."""
    from polku.io.load import load_graph

    example = load_graph(ROOT / "graphs" / "keski-uusimaa.ttl")
    assert example.graph["illustrative"] is True
    fi = render.render_html(example, "ecosystem", lang="fi", cluster_threshold=10**9)
    assert "Esimerkkiaineisto – luvut ovat kuvitteellisia" in fi
    sv = render.render_fragment(example, "ecosystem", lang="sv")
    assert translator("sv")("Example data – the numbers are illustrative") in sv
    assert "Esimerkkiaineisto" not in sv
    plain = graph()
    assert not plain.graph.get("illustrative")
    for view in ("ecosystem", "timeline"):
        html = render.render_html(plain, view, lang="fi")
        assert 'class="pv-banner"' not in html
    plain.graph["illustrative"] = True
    assert 'class="pv-banner"' in render.render_html(plain, "timeline", lang="en")
    assert "the numbers are illustrative" in render.render_html(plain, "ecosystem", lang="en")


def test_unmet_and_left_uncovered_are_two_words() -> None:
    """A need no reachable service meets is "ilman palvelua"; a need a best path leaves
    uncovered (a reachable service meets it) is "kattamatta": the segment view said
    "0 ilman palvelua" above "tarpeet ilman palvelua: Asuminen"."""
    from polku.io.load import load_graph
    from polku.present.views.registry import analysed

    g = load_graph(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa")
    view = "segment:seg-monitarve"
    v = render.build_view(g, view, lang="fi", **analysed(g, view))
    legend = " | ".join(str(i.get("label", "")) for i in v.legend)
    assert "joista 0 ilman palvelua" in v.subtitle
    assert "kattamatta jäävät tarpeet: Asuminen" in legend, legend
    assert "tarpeet ilman palvelua:" not in legend


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_views_word_their_findings_by_names_not_ids(tmp_path: Path, lang):
    """A view's findings (its side panel, its table alternative, ``polku render``) are
    sentences for people, as on the graph page and in the report: nodes by their names in
    the reader's language, no ids in brackets (the ids stay in the node's details)."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]))
    need = {"sv": "behovet Jobbsökning och matchning möts", "en": "the need Job search"}[lang]
    for page in ("table", "view"):
        text = client.get(f"/graphs/keski-uusimaa/{page}",
                          params={"view": "path:polku-ips", "lang": lang}).text
        assert need in text, page
        assert "(tarve-tyonhaku)" not in text and "(seg-hoitosuhteessa):" not in text, page
        assert "id: seg-hoitosuhteessa" in text or page == "view"  # the details keep the id
    out = tmp_path / f"{lang}.html"
    r = run("render", tmp_path / "keski-uusimaa", "-o", out, "--view", "path:polku-ips",
            "--lang", lang)
    assert r.exit_code == 0, r.output
    rendered = out.read_text(encoding="utf-8")
    assert need in rendered and "(tarve-tyonhaku)" not in rendered
