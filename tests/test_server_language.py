"""The web UI speaks Finnish, Swedish and English: ``?lang=`` (checked), else the browser's
``Accept-Language``, else Finnish; ``<html lang>`` right on every page, a language switch on
every page, links that keep the language, HTML error pages in the request's language, and
``Vary: Accept-Language`` on pages. Through the real app over the example region."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from polku.app import create_app

ROOT = Path(__file__).resolve().parents[1]
HTML = {"Accept": "text/html,application/xhtml+xml"}

#: page type -> (address, its characteristic text in fi, sv, en)
PAGES = {
    "index": ("/", ("Alueelliset aineistot", "Regionala ekosystem", "Regional graphs")),
    "graph": ("/graphs/keski-uusimaa", ("Polkuselain", "Vägutforskaren", "Path explorer")),
    "view": ("/graphs/keski-uusimaa/view?view=segment%3Aseg-nuoret",
             # the graph by its title in the page's language, as the other pages' headings
             # name it
             ("Takaisin aineistoon Keski-Uudenmaan", "Tillbaka till Mellersta Nylands",
              "Back to the graph Central Uusimaa")),
    "table": ("/graphs/keski-uusimaa/table?view=ecosystem", ("Solmut (", "Noder (", "Nodes (")),
    "paths": ("/graphs/keski-uusimaa/paths?segment=seg-nuoret&k=3",
              ("Kenen polku?", "Vems väg?", "Whose path?")),
    "whatif": ("/graphs/keski-uusimaa/whatif?segment=seg-nuoret&service=tyokokeilu&capacity=40",
               ("käyttöaste ennen", "beläggningsgrad före", "utilisation before")),
    "bottlenecks": ("/graphs/keski-uusimaa/bottlenecks",
                    ("Välityskeskeisyyden mukaan", "Efter mellanliggande centralitet", "By betweenness")),
    "changes": ("/graphs/keski-uusimaa/changes",
                ("Ei vielä muutoksia.", "Inga ändringar ännu.", "No changes yet.")),
    "report": ("/graphs/keski-uusimaa/report",
               ("Havainnot lajeittain", "Iakttagelser per typ", "Findings by kind")),
    "raci": ("/graphs/keski-uusimaa/raci",
             ("vain merkityt rivit", "endast markerade rader", "only marked rows")),
    "plan-view": ("/graphs/plan/view?view=plan",  # the plan by its title, not its id
                  ("Takaisin aineistoon Toimintasuunnitelma 2026–2028",
                   "Tillbaka till Handlingsplan 2026–2028",
                   "Back to the graph Action plan 2026–2028")),
    "error": ("/graphs/nowhere", ("Ei löydy", "Hittades inte", "Not found")),
}
LANGS = ("fi", "sv", "en")
#: the view pages are the views package's; the UI puts its bar (way back, switch) on top
VIEW_PAGES = ("view", "plan-view")


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder / "keski-uusimaa")
    shutil.copy(ROOT / "graphs" / "plan.ttl", folder / "plan.ttl")
    return TestClient(create_app([folder]), raise_server_exceptions=False)


def with_lang(address: str, lang: str) -> str:
    return address + ("&" if "?" in address else "?") + f"lang={lang}"


def page_lang(kind: str, text: str) -> str:
    """The language a page declares: ``<html lang>``, or the UI bar's on a view page."""
    pattern = r'<div class="polku-uibar" lang="(\w+)"' if kind in VIEW_PAGES else \
        r'<html lang="(\w+)">'
    found = re.search(pattern, text)
    assert found, text[:300]
    return found.group(1)


def switch_of(text: str) -> tuple[str, dict[str, str]]:
    """The language switch: the current language and the address of each other one."""
    nav = re.search(r'<nav[^>]*aria-label="[^"]+"[^>]*>(.*?)</nav>', text[text.find("lang") :],
                    re.S)
    current = re.findall(r'<strong lang="(\w+)" aria-current="true"', text)
    links = dict((lang, unescape(href)) for href, lang in
                 re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"', text))
    assert nav and len(current) == 1, text[:500]
    return current[0], links


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_in_each_language(client: TestClient, kind: str, lang: str) -> None:
    address, texts = PAGES[kind]
    r = client.get(with_lang(address, lang), headers=HTML)
    assert r.status_code == (404 if kind == "error" else 200), r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert page_lang(kind, r.text) == lang
    assert texts[LANGS.index(lang)] in r.text
    for other, text in zip(LANGS, texts):
        if other != lang and text not in texts[LANGS.index(lang)]:
            assert text not in r.text, (lang, other, text)
    assert "accept-language" in r.headers["vary"].lower()
    current, links = switch_of(r.text)
    assert current == lang and set(links) == set(LANGS) - {lang}


def test_finnish_is_the_default_and_the_browser_language_is_followed(client: TestClient) -> None:
    r = client.get("/graphs/keski-uusimaa")
    assert '<html lang="fi">' in r.text and "Polkuselain" in r.text
    r = client.get("/graphs/keski-uusimaa", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in r.text and "Vägutforskaren" in r.text
    r = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})  # none polku speaks
    assert '<html lang="fi">' in r.text
    # ?lang= wins over the browser's language
    r = client.get("/?lang=en", headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in r.text and "Regional graphs" in r.text
    # the same address answers differently by Accept-Language: caches must know (the API's
    # texts, errors and X-Polku-Stale follow it too)
    assert client.get("/").headers["vary"].lower().count("accept-language") == 1
    assert client.get("/api/graphs").headers["vary"].lower().count("accept-language") == 1


def test_an_unknown_language_is_a_400_naming_the_choices(client: TestClient) -> None:
    r = client.get("/graphs/keski-uusimaa?lang=xx")
    assert r.status_code == 400
    assert r.json() == {"error": {"code": "bad-request", "field": "lang",
                                  "message": "tuntematon kieli 'xx' (käytä fi, sv tai en)"}}
    r = client.get("/graphs/keski-uusimaa?lang=xx", headers={"Accept-Language": "en"})
    assert r.json()["error"]["message"] == "unknown language 'xx' (use fi, sv or en)"
    # a browser gets the error as a page, in its own language
    r = client.get("/graphs/keski-uusimaa/paths?lang=de", headers={**HTML, "Accept-Language": "sv"})
    assert r.status_code == 400 and '<html lang="sv">' in r.text
    assert "Felaktig begäran" in r.text and "använd fi, sv eller en" in unescape(r.text)
    # written exactly as the choices are, as every choice of the API and pages
    # (severity=ERROR too); an empty one is no choice either (the header is matched
    # without case, as HTTP says)
    assert client.get("/graphs/keski-uusimaa/report?lang=FI").status_code == 400
    assert client.get("/graphs/keski-uusimaa/report?lang=").status_code == 400


def test_the_switch_keeps_the_path_and_query(client: TestClient) -> None:
    address = "/graphs/keski-uusimaa/paths?segment=seg-nuoret&k=3&lang=sv"
    current, links = switch_of(client.get(address).text)
    assert current == "sv"
    for lang, href in links.items():
        parts = urlsplit(href)
        assert parts.path == "/graphs/keski-uusimaa/paths"
        assert parse_qsl(parts.query) == [("segment", "seg-nuoret"), ("k", "3"), ("lang", lang)]
        r = client.get(href)
        assert r.status_code == 200 and f'<html lang="{lang}">' in r.text


@pytest.mark.parametrize("kind", ["index", "graph", "table", "paths", "bottlenecks", "changes",
                                  "view", "error"])
def test_links_between_pages_keep_the_language(client: TestClient, kind: str) -> None:
    r = client.get(with_lang(PAGES[kind][0], "sv"), headers=HTML)
    # every link but the switch's own (which change the language on purpose)
    hrefs = [unescape(h) for h in re.findall(r'href="([^"#]+)"(?! lang="\w+" hreflang)', r.text)]
    ui = [h for h in hrefs if h.startswith("/") and not h.startswith(("/api/", "/docs"))
          and h != "/favicon.ico"]  # the icon is no page
    assert ui, kind
    for href in ui:
        assert ("lang", "sv") in parse_qsl(urlsplit(href).query), (kind, href)


def test_labels_follow_the_language(client: TestClient) -> None:
    """Node labels use name_sv/name_en where the workbook gives them, else the name."""
    from polku.io.load import load_graph

    g = load_graph(ROOT / "graphs" / "keski-uusimaa")
    translated = [(n, d) for n, d in g.nodes(data=True)
                  if d.get("type") == "service" and d.get("name_sv")
                  and d["name_sv"] != d.get("name")]
    assert translated, "the example region names some services in Swedish"
    node, data = translated[0]
    sv = client.get("/graphs/keski-uusimaa/bottlenecks?lang=sv&top=1000").text
    fi = client.get("/graphs/keski-uusimaa/bottlenecks?lang=fi&top=1000").text
    assert f">{data['name_sv']}</a> <code>{node}</code>" in unescape(sv)
    assert f">{data['name']}</a> <code>{node}</code>" in unescape(fi)


def test_the_edit_forms_speak_the_language(tmp_path: Path) -> None:
    from polku.server.auth import parse_tokens

    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path], parse_tokens("anna:anna-token-0123456789")))
    fi = client.get("/graphs/keski-uusimaa").text
    sv = client.get("/graphs/keski-uusimaa?lang=sv").text
    assert "Tallenna" in fi and "Peru viimeisin muutos" in fi and ">päävastuu</option>" in fi
    assert "Spara" in sv and "Ångra den senaste ändringen" in sv and ">huvudansvar</option>" in sv
    # the values sent stay the workbook's
    assert '<option value="lead">päävastuu</option>' in fi
    assert '"saved": "Tallennettu: versio {version}' in fi


@pytest.mark.parametrize("lang", LANGS)
def test_the_raci_page_in_each_language(client: TestClient, lang: str) -> None:
    """The RACI matrix in the UI's frame: roles, marks and controls in the page's language,
    the subjects narrowed by ``?subjects=``, reached from the graph page."""
    words = {"fi": ("päävastuu", "Vastuumatriisi (RACI)", "näytetään {shown} / {total}",
                    "Keski-Uudenmaan työhön osallistumisen ekosysteemi"),
             "sv": ("huvudansvar", "Ansvarsmatris (RACI)", "visar {shown} av {total}",
                    "Mellersta Nylands ekosystem för deltagande i arbetslivet"),
             "en": ("lead", "Responsibility matrix (RACI)", "showing {shown} of {total}",
                    "Central Uusimaa ecosystem for participation in working life")}[lang]
    graph_page = client.get(f"/graphs/keski-uusimaa?lang={lang}").text
    assert f'href="/graphs/keski-uusimaa/raci?lang={lang}"' in graph_page
    r = client.get(f"/graphs/keski-uusimaa/raci?lang={lang}")
    assert r.status_code == 200
    page = unescape(r.text)
    assert f'<td class="role r-lead" data-sort="lead">{words[0]}' in page
    # the graph by its title in the page's language, not its id (issue 17)
    assert f"<h1>{words[1]}: {words[3]}</h1>" in page and words[2] in page
    assert 'role="note"' in page  # the example region's banner
    everything = len(re.findall(r'<tr class="[^"]*" data-type=', page))
    only = unescape(client.get(f"/graphs/keski-uusimaa/raci?subjects=services&lang={lang}").text)
    types = set(re.findall(r'<tr class="[^"]*" data-type="(\w+)"', only))
    assert types == {"service"} and 0 < only.count('data-type="service"') < everything
    assert '<option value="services" selected>' in only


def test_the_raci_page_refuses_unknown_subjects(client: TestClient) -> None:
    r = client.get("/graphs/keski-uusimaa/raci?subjects=people&lang=en")
    assert r.status_code == 400
    assert r.json() == {"error": {
        "code": "bad-request", "field": "subjects",
        "message": "unknown subjects 'people' (use segments, services, referrals, "
                   "measures, all)"}}
    r = client.get("/graphs/keski-uusimaa/raci?subjects=people&lang=sv", headers=HTML)
    assert r.status_code == 400 and '<html lang="sv">' in r.text
    assert "okänd mängd föremål" in unescape(r.text)
    assert client.get("/graphs/nowhere/raci").status_code == 404


@pytest.mark.parametrize("path", ["/graphs/keski-uusimaa", "/graphs/keski-uusimaa/bottlenecks",
                                  "/graphs/keski-uusimaa/paths", "/graphs/keski-uusimaa/raci"])
def test_pages_are_headed_by_the_graphs_title_not_its_id(client: TestClient, path: str) -> None:
    text = client.get(path).text
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    for shown in (h1, title):
        assert "Keski-Uudenmaan työhön osallistumisen ekosysteemi" in shown, shown
        assert "keski-uusimaa" not in shown, shown
