"""A name in another language than the page's says so (WCAG 2.1 3.1.2 Language of Parts).

The example region is copied with some names left without their Swedish and English
translations (their Finnish ones are what every page then shows); every HTML page polku
writes or serves in Swedish marks those names ``lang="fi"``, a Finnish page marks none, and
plain text (the command line, JSON, markdown, CSV) carries no marks. The browser half, and
the tooltips' Escape, are in tests/test_language_of_parts_browser.py."""

from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, run
from polku.present import langmarks
from polku.present.i18n import LANGUAGE_NAMES, translator

#: node ids of the example whose names are left Finnish only, and those names
FINNISH_ONLY = ("ips", "keusote", "polku-ips", "tarve-tyonhaku", "seg-hoitosuhteessa",
                "aikuissosiaalityo")
HTML = {"Accept": "text/html"}
#: the private-use characters the marks are made of, raw or as a JSON escape
MARKS = re.compile(r"[\ue000-\ue002]|\\ue00[012]")
RAW_MARKS = re.compile("[\ue000-\ue002]")


def finnish_only(dest: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the example workbook at ``dest`` whose :data:`FINNISH_ONLY` nodes have no
    Swedish or English name; their Finnish names."""
    shutil.copytree(EXAMPLE, dest)
    names: dict[str, str] = {}
    for sheet in dest.glob("*.csv"):
        with sheet.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows or "name_sv" not in rows[0]:
            continue
        key = "path" if sheet.stem == "paths" else "id"
        for row in rows:
            if row[key] in FINNISH_ONLY:
                row["name_sv"] = row["name_en"] = ""
                if row["name"]:
                    names[row[key]] = row["name"]
        with sheet.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    assert set(names) == set(FINNISH_ONLY)
    return dest, names


class Texts(HTMLParser):
    """The page's text, each piece with the language it is in (the nearest ``lang``); the
    page's title, scripts and styles left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = [("", "")]
        self.pieces: list[tuple[str, str, str]] = []  # (text, its language, its element)
        self.marked: list[tuple[str, str]] = []  # (tag, lang) of every element with a lang

    def handle_starttag(self, tag: str, attrs: list) -> None:
        given = dict(attrs)
        lang = given.get("lang")
        # the language switch's own names ("svenska") say theirs: not a node's name
        if lang is not None and "hreflang" not in given and "aria-current" not in given:
            self.marked.append((tag, lang))
        if tag not in self.VOID:
            self.stack.append((tag, lang or self.stack[-1][1]))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        tag, lang = self.stack[-1]
        if tag not in ("title", "script", "style") and data.strip():
            self.pieces.append((data, lang, tag))


def texts(page: str) -> Texts:
    parser = Texts()
    parser.feed(page)
    return parser


def unmarked_names(page: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Where a Finnish-only name stands in the page's text in another language than
    Finnish: (name, the language it is read in)."""
    return [(name, lang) for text, lang, tag in texts(page).pieces for name in names.values()
            if name in text and lang != "fi"
            # an <option> holds text only: one that mixes a name with other words (the edit
            # forms' "id: A → B") cannot mark a part of it
            and (tag != "option" or text.strip() == name)]


def needless_marks(page: str) -> list[tuple[str, str]]:
    """The marks a Finnish page need not have: every element marked with a language but
    Swedish and English (a node's names in those, where its facts list them, say theirs),
    and every Swedish or English mark around a text that is no name in that language."""
    given = {n for sheet in EXAMPLE.glob("*.csv") for row in csv.DictReader(
        sheet.open(encoding="utf-8")) for n in (row.get("name_sv"), row.get("name_en")) if n}
    found: list[tuple[str, str]] = []
    parser = texts(page)
    found += [(tag, lang) for tag, lang in name_marks(page) if lang not in ("sv", "en")]
    found += [(text, lang) for text, lang, _ in parser.pieces
              if lang in ("sv", "en") and text.strip() not in given
              and text.strip() not in LANGUAGE_NAMES.values()]  # the language switch
    return found


def name_marks(page: str) -> list[tuple[str, str]]:
    """The elements that say a language of their own, beside the page's (``<html>``, a
    view's ``<section>``, the web UI's bar) and the language switch's."""
    return [(tag, lang) for tag, lang in texts(page).marked
            if tag not in ("html", "section", "div")]


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    return finnish_only(tmp_path_factory.mktemp("region") / "keski-uusimaa")


@pytest.fixture(scope="module")
def client(region) -> TestClient:
    """The region served with an editor (the graph page then has its edit forms)."""
    from polku.app import create_app
    from polku.server.auth import parse_tokens

    return TestClient(create_app([region[0].parent], parse_tokens("anna:anna-token-0123456789")))


def test_the_name_picker_says_the_language_it_took() -> None:
    from polku.graph import new_graph

    g = new_graph()
    g.add_node("a", type="service", name="Ohjaamo", name_sv="Navigatorn")
    g.add_node("b", type="service", name="Ohjaamo")
    g.add_node("c", type="service", name="Tax-on-web", extra={"name_lang": "en"})
    g.add_node("d", type="referral")
    sv, en, fi = translator("sv"), translator("en"), translator("fi")
    assert [tuple(sv.name(g, n)) for n in "abcd"] == [
        ("Navigatorn", "sv"), ("Ohjaamo", "fi"), ("Tax-on-web", "en"), ("d", None)]
    assert tuple(en.name(g, "a")) == ("Ohjaamo", "fi") and tuple(fi.name(g, "a")) == ("Ohjaamo", "fi")
    # a plain translator's label is the text alone; a marking one marks only another language
    assert sv.label(g, "b") == "Ohjaamo" and sv.marking().label(g, "a") == "Navigatorn"
    assert langmarks.pieces(sv.marking().label(g, "b")) == [("Ohjaamo", "fi")]
    assert fi.marking().label(g, "b") == "Ohjaamo" and en.marking().label(g, "c") == "Tax-on-web"
    assert sv.marking().label(g, "d") == "d"  # an id is a code in no language


def test_marks_become_markup_only_where_markup_may_stand() -> None:
    m = langmarks.marked("Nuorten &lt;polku&gt;", "fi")  # as a template writes it
    page = langmarks.html(
        f'<html lang="sv"><head><title>Väg · {m}</title></head><body>'
        f'<a href="/x" title="{m}" aria-label="Öppna {m}">{m}</a>'
        f'<li>Väg {m}, {m}</li><select><option value="p">{m}</option><option>Väg {m}</option>'
        f'</select><textarea>{m}</textarea><!-- {m} --><script>var x = "{m}";</script>'
        f'<svg><text>Väg {m}</text><g><title>{m}</title></g><desc>Väg {m}</desc></svg>'
        f'<br>{m}<input value="{m}"></body></html>')
    assert not MARKS.search(page), page
    assert '<title>Väg · Nuorten &lt;polku&gt;</title>' in page  # text only: plain
    assert '<a href="/x" title="Nuorten &lt;polku&gt;" aria-label="Öppna Nuorten &lt;polku&gt;" lang="fi">' \
        in page
    # the space before a name goes inside its element (a line breaks where it did)
    assert '<li>Väg<span lang="fi"> Nuorten &lt;polku&gt;</span>,<span lang="fi"> ' in page
    assert '<option value="p" lang="fi">' in page and "<option>Väg Nuorten" in page
    assert '<textarea lang="fi">' in page and '<!-- Nuorten &lt;polku&gt; -->' in page
    assert 'var x = "Nuorten &lt;polku&gt;";' in page
    assert '<text>Väg<tspan lang="fi"> ' in page and '<title lang="fi">' in page
    assert '<desc>Väg Nuorten &lt;polku&gt;</desc>' in page  # in SVG only text takes a tspan
    assert '<br><span lang="fi">' in page  # a void element holds nothing: a span
    # a name cannot forge a mark of its own, and a page without marks is as it was
    assert langmarks.unmarked(langmarks.marked("a\ue000b\ue002", "fi")) == "ab"
    assert langmarks.html("<p>\ue001x</p>") == "<p>x</p>"
    assert langmarks.html("<p>Unga</p>") == "<p>Unga</p>"


SERVED = [("", {}), ("/view", {"view": "segment:seg-hoitosuhteessa"}),
          ("/view", {"view": "ecosystem"}), ("/view", {"view": "blueprint:polku-ips"}),
          ("/view", {"view": "path:polku-ips"}), ("/table", {"view": "segment:seg-hoitosuhteessa"}),
          ("/paths", {"segment": "seg-hoitosuhteessa"}),
          ("/whatif", {"segment": "seg-hoitosuhteessa"}), ("/bottlenecks", {}), ("/raci", {}),
          ("/changes", {}), ("/report", {})]


@pytest.mark.parametrize("path,params", SERVED)
def test_served_pages_mark_the_finnish_names_on_a_swedish_page(client, region, path, params):
    _, names = region
    sv = client.get(f"/graphs/keski-uusimaa{path}", params={**params, "lang": "sv"},
                    headers=HTML)
    assert sv.status_code == 200, sv.text[:300]
    assert not RAW_MARKS.search(sv.text)
    shown = [n for n in names.values() if any(n in t for t, _, _ in texts(sv.text).pieces)]
    assert shown, "no Finnish-only name on the page"
    assert unmarked_names(sv.text, names) == []
    # the Finnish names; and a node's name in English, where its facts list it ("in
    # English: …"), is marked English
    assert name_marks(sv.text) and "fi" in {lang for _, lang in name_marks(sv.text)}
    assert {lang for _, lang in name_marks(sv.text)} <= {"fi", "en"}
    fi = client.get(f"/graphs/keski-uusimaa{path}", params={**params, "lang": "fi"},
                    headers=HTML)
    assert fi.status_code == 200 and needless_marks(fi.text) == []


def test_the_graph_pages_comboboxes_know_a_names_language(client) -> None:
    page = client.get("/graphs/keski-uusimaa", params={"lang": "sv"}, headers=HTML).text
    choices = re.search(r'<script type="application/json" id="polku-choices">(.*?)</script>',
                        page, re.S).group(1)
    import json

    by_id = {c[0]: c for cs in json.loads(choices).values() for c in cs}
    assert by_id["ips"][1:] == ["IPS-työhönvalmennus", "fi"]
    assert by_id["kela"][2] is None  # in Swedish, the page's language: no mark


@pytest.mark.parametrize("path", ["/findings", "/paths?segment=seg-hoitosuhteessa",
                                  "/blueprint?subject=polku-ips", "/bottlenecks"])
def test_the_api_answers_plain_names(client, path) -> None:
    """JSON is plain text: the names as they are, never a mark."""
    r = client.get(f"/api/graphs/keski-uusimaa{path}{'&' if '?' in path else '?'}lang=sv")
    assert r.status_code == 200 and not MARKS.search(r.text)


def test_cli_render_marks_names_and_names_the_graph_in_its_title(region, tmp_path) -> None:
    folder, names = region
    out = tmp_path / "sv.html"
    run("render", folder, "--view", "segment:seg-hoitosuhteessa", "--lang", "sv", "-o", out)
    page = out.read_text(encoding="utf-8")
    assert re.search(r"<title>Kundgrupp · Henkilöt, jotka ovat hoitosuhteessa[^<]* · "
                     r"Mellersta Nylands ekosystem för deltagande i arbetslivet</title>", page)
    assert unmarked_names(page, names) == []
    block = re.search(r'<script type="application/json" class="pv-data">(.*?)</script>',
                      page, re.S).group(1)
    assert not re.search(r"[\ue000-\ue002]", page)  # the data block's marks are escapes
    import json

    data = json.loads(block)
    ips = next(n for n in data["nodes"] if n["id"] == "ips")
    assert ips["label"] == names["ips"]  # the canvas: plain text
    assert langmarks.pieces(ips["title"].splitlines()[0])[-1] == (names["ips"], "fi")
    fi = tmp_path / "fi.html"
    run("render", folder, "--view", "ecosystem", "-o", fi)
    page = fi.read_text(encoding="utf-8")
    assert "<title>Ekosysteemi · Keski-Uudenmaan työhön osallistumisen ekosysteemi</title>" in page
    # the data block marks only the names a tooltip gives in Swedish and English
    block = page.split('class="pv-data">')[1].split("</script>")[0]
    assert "\\ue000fi" not in block and needless_marks(page) == []


def test_a_view_whose_title_names_the_graph_says_it_once(tmp_path) -> None:
    from helpers import PLAN

    out = tmp_path / "timeline.html"
    run("render", PLAN, "--view", "timeline", "--lang", "en", "-o", out)
    title = re.search(r"<title>(.*?)</title>", out.read_text(encoding="utf-8")).group(1)
    assert title.startswith("Plan timeline") and title.count("Action plan") == 1, title


def test_the_report_marks_in_html_and_keeps_markdown_and_csv_plain(region, tmp_path) -> None:
    folder, names = region
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    run("report", folder, "--lang", "sv", "-o", html)
    run("report", folder, "--lang", "sv", "-o", md)
    page = html.read_text(encoding="utf-8")
    assert unmarked_names(page, names) == [] and name_marks(page)
    assert not re.search(r"[\ue000-\ue002]", page)
    assert '<span lang="fi"> IPS-työhönvalmennus</span>' in page
    text = md.read_text(encoding="utf-8")
    assert names["ips"] in text and not MARKS.search(text)
    csv_link = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', page).group(1)
    from urllib.parse import unquote

    assert names["keusote"] in unquote(csv_link) and not MARKS.search(unquote(csv_link))
    fi = tmp_path / "fi.html"
    run("report", folder, "-o", fi)
    # a chart's table gives each node's Swedish and English names as facts, each marked;
    # outside the tables a Finnish report marks nothing
    fi_page = fi.read_text(encoding="utf-8")
    tables = re.findall(r'<details class="pv-astable".*?</details>', fi_page, re.S)
    assert len(tables) == 6
    assert {lang for _, lang in name_marks("".join(tables))} == {"sv", "en"}
    assert name_marks(re.sub(r'<details class="pv-astable".*?</details>', "", fi_page,
                             flags=re.S)) == []


def test_the_raci_page_marks_in_html_and_keeps_its_other_formats_plain(region, tmp_path
                                                                        ) -> None:
    """`polku raci --format html` is a page of its own: its Finnish-only names say so on a
    Swedish page; its CSV and JSON stay plain."""
    folder, names = region
    page = run("raci", folder, "--format", "html", "--lang", "sv").stdout
    assert unmarked_names(page, names) == [] and name_marks(page)
    assert not RAW_MARKS.search(page)
    for format in ("csv", "json", "table"):  # JSON names by id only
        text = run("raci", folder, "--format", format, "--lang", "sv").stdout
        assert (format == "json" or names["ips"] in text) and not MARKS.search(text), format
    fi = run("raci", folder, "--format", "html").stdout
    assert name_marks(fi) == []


# -- free text picked by language with a fallback: descriptions, the plan's words, the
# graph's title, its region (the same marks as names) ----------------------------------------

#: the example's graph title and a description only in Finnish (its service descriptions are)
TITLE_FI = "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
#: a region polku does not know, so no Swedish or English name stands in for it
REGION_FI = "Kirkonkylän seutu"


def plain_title(dest: Path, region: str | None = None) -> Path:
    """A copy of the example at ``dest`` whose graph sheet gives its title (and, with
    ``region``, its region) in Finnish only."""
    shutil.copytree(EXAMPLE, dest)
    sheet = dest / "graph.csv"
    with sheet.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(title_sv="", title_en="")
    if region:
        rows[0].update(region=region, region_sv="", region_en="")
    with sheet.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dest


def marked_texts(page: str, lang: str = "fi") -> list[str]:
    """The texts of the elements that say ``lang``, each whole (an element's own text)."""
    return [text.strip() for text, said, tag in texts(page).pieces if said == lang]


@pytest.fixture(scope="module")
def titled_fi(tmp_path_factory) -> Path:
    return plain_title(tmp_path_factory.mktemp("titled") / "keski-uusimaa", REGION_FI)


@pytest.fixture(scope="module")
def titled_client(titled_fi) -> TestClient:
    from polku.app import create_app

    return TestClient(create_app([titled_fi.parent]))


@pytest.fixture(scope="module")
def plan_fi(tmp_path_factory) -> Path:
    """The project's plan imported with a title of its own, given in Finnish only (its
    goals, measures and their words are Finnish, as the plan is)."""
    from helpers import ROOT

    out = tmp_path_factory.mktemp("plan") / "oma.ttl"
    done = run("plan", "import", ROOT / "graphs" / "sources" /
               "keski-uusimaa-action-plan-2026-2028.txt", "-o", out,
               "--title", "Oma suunnitelma")
    assert done.exit_code == 0, done.output
    return out


def ips_description() -> str:
    with (EXAMPLE / "services.csv").open(encoding="utf-8", newline="") as f:
        return next(r["description"] for r in csv.DictReader(f) if r["id"] == "ips")


def test_the_text_picker_says_the_language_it_took() -> None:
    """A node's free text, the graph's title and its region come with their language, as
    a name does: the reader's where the graph gives it, else the workbook's (Finnish, or
    the row's ``<column>_lang``); a marking translator marks only another language."""
    from polku.graph import new_graph, titled

    g = new_graph("x")
    g.add_node("s", type="service", description="Työnhaun tuki",
               extra={"description@sv": "Stöd i jobbsökandet"})
    g.add_node("t", type="service", description="Tax help", extra={"description_lang": "en"})
    g.add_node("m", type="measure", name="Toimi", parts=["A: JOHTAMINEN", "B: TOIMINTA"])
    sv, en, fi = translator("sv"), translator("en"), translator("fi")
    assert tuple(sv.text(g, "s", "description")) == ("Stöd i jobbsökandet", "sv")
    assert tuple(en.text(g, "s", "description")) == ("Työnhaun tuki", "fi")
    assert tuple(fi.text(g, "s", "description")) == ("Työnhaun tuki", "fi")
    assert tuple(sv.text(g, "t", "description")) == ("Tax help", "en")
    assert tuple(sv.text(g, "m", "parts")) == ("A: JOHTAMINEN, B: TOIMINTA", "fi")
    assert sv.text(g, "m", "description") is None and sv.said(g, "m", "description") == ""
    assert langmarks.pieces(en.marking().said(g, "s", "description")) == [("Työnhaun tuki", "fi")]
    assert fi.marking().said(g, "s", "description") == "Työnhaun tuki"
    assert en.marking().said(g, "t", "description") == "Tax help"
    assert sv.said(g, "t", "description") == "Tax help"  # a plain translator never marks
    # the title: the reader's, else the primary one's language, else the id (no language)
    assert titled(g, "sv") == ("x", None) and sv.marking().title(g) == "x"
    g.graph["title"] = "Alue"
    assert titled(g, "sv") == ("Alue", "fi") and langmarks.pieces(sv.marking().title(g)) == [
        ("Alue", "fi")]
    g.graph["title_sv"] = "Området"
    assert sv.marking().title(g) == "Området" and fi.marking().title(g) == "Alue"
    g.graph["extra"] = {"title_lang": "zxx"}  # a title in no language is marked with none
    assert en.marking().title(g) == "Alue"
    # a region: Statistics Finland's name where polku knows the area, else as written
    g.graph["region"] = "Keski-Uusimaa"
    assert sv.marking().region(g) == "Mellersta Nyland"
    g.graph["region"] = REGION_FI
    assert langmarks.pieces(sv.marking().region(g)) == [(REGION_FI, "fi")]
    assert sv.region(g) == REGION_FI and fi.marking().region(g) == REGION_FI


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_served_pages_mark_a_finnish_title_and_description(titled_client, lang) -> None:
    """A Swedish or English page of a graph titled in Finnish only marks exactly its
    title; the service descriptions (Finnish in the example) in the view's tooltips and on
    its table page say so too."""
    for path in ("/", "/graphs/keski-uusimaa", "/graphs/keski-uusimaa/raci",
                 "/graphs/keski-uusimaa/bottlenecks"):
        page = titled_client.get(path, params={"lang": lang}, headers=HTML)
        assert page.status_code == 200, (path, page.text[:300])
        assert not RAW_MARKS.search(page.text)
        assert TITLE_FI in marked_texts(page.text), path
        # the title stands in no other language anywhere in the page's text
        assert not [t for t, said, _ in texts(page.text).pieces if TITLE_FI in t and said != "fi"]
    table = titled_client.get("/graphs/keski-uusimaa/table", headers=HTML,
                              params={"view": "ecosystem", "lang": lang}).text
    assert ips_description() in marked_texts(table)
    view = titled_client.get("/graphs/keski-uusimaa/view", headers=HTML,
                             params={"view": "ecosystem", "lang": lang}).text
    assert f'<span lang="fi"> {TITLE_FI}</span></h1>' in view  # the view's heading
    import json

    block = re.search(r'<script type="application/json" class="pv-data">(.*?)</script>',
                      view, re.S).group(1)
    ips = next(n for n in json.loads(block)["nodes"] if n["id"] == "ips")
    assert (ips_description(), "fi") in langmarks.pieces(ips["title"])


def test_a_finnish_page_of_the_same_graph_marks_none_of_it(titled_client) -> None:
    for path, params in (("/", {}), ("/graphs/keski-uusimaa", {}),
                         ("/graphs/keski-uusimaa/table", {"view": "ecosystem"}),
                         ("/graphs/keski-uusimaa/view", {"view": "ecosystem"})):
        page = titled_client.get(path, params={**params, "lang": "fi"}, headers=HTML).text
        assert TITLE_FI in page and needless_marks(page) == [], path
        assert "\\ue000fi" not in page  # nor in a view's data


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_plan_views_mark_its_finnish_words(plan_fi, tmp_path, lang) -> None:
    """The plan's goals and measures, its title and a measure's words (parts, the risks'
    mitigations) are Finnish: the plan and timeline pages of another language mark them,
    each SVG text and table cell whole, and the timeline looks as it did (a <tspan> with no
    position of its own)."""
    timeline, plan = tmp_path / "t.html", tmp_path / "p.html"
    run("render", plan_fi, "--view", "timeline", "--lang", lang, "-o", timeline)
    run("render", plan_fi, "--view", "plan", "--lang", lang, "-o", plan)
    page = timeline.read_text(encoding="utf-8")
    assert not RAW_MARKS.search(page)
    assert '<span lang="fi"> Oma suunnitelma</span></h1>' in page
    goal = re.search(r'<text [^>]*class="gantt-goal"([^>]*)>([^<]*)</text>', page)
    assert goal.group(1) == ' lang="fi"' and goal.group(2).startswith("Luodaan")
    label = re.search(r'<text [^>]*class="gantt-label">([^<]*)<tspan lang="fi">([^<]*)</tspan>',
                      page)
    assert label.group(1) == "1.1" and label.group(2).startswith(" Tilannekuva 1")
    assert re.search(r'<td>1\.1<span lang="fi"> Tilannekuva 1: [^<]*</span></td>', page)
    drawn = plan.read_text(encoding="utf-8")
    assert '<span lang="fi"> Oma suunnitelma</span></h1>' in drawn
    import json

    block = re.search(r'<script type="application/json" class="pv-data">(.*?)</script>',
                      drawn, re.S).group(1)
    tips = {n["id"]: n["title"] for n in json.loads(block)["nodes"]}
    measure = [p for p in langmarks.pieces(tips["measure-1-1"]) if p[1] == "fi"]
    assert measure and measure[0][0].startswith("Tilannekuva 1")
    mitigations = [p for tip in tips.values() for p in langmarks.pieces(tip)
                   if p[1] == "fi" and "→" not in p[0]]
    assert len(mitigations) > len(measure)
    # in Finnish, nothing of it is marked
    run("render", plan_fi, "--view", "timeline", "-o", timeline)
    assert needless_marks(timeline.read_text(encoding="utf-8")) == []


def test_the_written_pages_mark_a_finnish_title_and_region(titled_fi, tmp_path) -> None:
    """The report (HTML), `polku raci --format html` and `polku compare --format html`
    mark a title and a region given in Finnish only on a Swedish page; markdown, CSV, JSON
    and the tables stay plain."""
    report, md = tmp_path / "r.html", tmp_path / "r.md"
    run("report", titled_fi, "--lang", "sv", "-o", report)
    page = report.read_text(encoding="utf-8")
    assert f'<h1>polku-rapport:<span lang="fi"> {TITLE_FI}</span></h1>' in page
    run("report", titled_fi, "--lang", "sv", "-o", md)
    assert TITLE_FI in md.read_text(encoding="utf-8")
    assert not MARKS.search(md.read_text(encoding="utf-8"))
    raci = run("raci", titled_fi, "--format", "html", "--lang", "en").stdout
    assert f'<h1 lang="fi">{TITLE_FI}</h1>' in raci
    other = tmp_path / "keski-suomi"
    shutil.copytree(EXAMPLE.parent / "keski-suomi", other)
    compare = tmp_path / "c.html"
    done = run("compare", titled_fi, other, "--format", "html", "--lang", "sv", "-o", compare)
    assert done.exit_code == 0, done.output
    chart = compare.read_text(encoding="utf-8")
    assert not RAW_MARKS.search(chart)
    assert f'<th scope="col" lang="fi">{REGION_FI}</th>' in chart
    assert f'lang="fi">{REGION_FI}' in chart.split("<svg", 1)[1]  # the chart's label
    assert f'<th scope="col" lang="fi">' not in run(
        "compare", titled_fi, other, "--format", "html", "-o", tmp_path / "fi.html").output
    assert 'lang="fi"' not in (tmp_path / "fi.html").read_text(encoding="utf-8").split(
        "<body", 1)[1]
    for format in ("table", "csv", "json"):
        text = run("compare", titled_fi, other, "--format", format, "--lang", "sv").stdout
        assert REGION_FI in text or format == "csv", format
        assert not MARKS.search(text), format


def test_the_command_line_and_the_api_say_the_texts_plainly(titled_fi, titled_client,
                                                             plan_fi) -> None:
    """Plain text carries no marks: `polku show`, `plan show` (table and JSON), the API's
    graphs and graph."""
    for args in (("show", titled_fi), ("show", titled_fi, "--format", "json"),
                 ("plan", "show", plan_fi), ("plan", "show", plan_fi, "--format", "json"),
                 ("plan", "findings", plan_fi, "--format", "markdown")):
        out = run(*args, "--lang", "sv")
        assert out.exit_code == 0, (args, out.output)
        assert not MARKS.search(out.stdout), args
    assert TITLE_FI in run("show", titled_fi, "--lang", "sv").stdout
    assert "Oma suunnitelma" in run("plan", "show", plan_fi, "--lang", "en").stdout
    for path in ("/api/graphs", "/api/graphs/keski-uusimaa"):
        r = titled_client.get(path, params={"lang": "sv"})
        assert r.status_code == 200 and TITLE_FI in r.text and not MARKS.search(r.text), path


def test_an_edit_forms_option_says_its_language_when_it_has_one(client, region) -> None:
    """An <option> holds text only: one of a name and its id (a code in no language), or a
    referral between two names of one language, says that language whole; one that mixes
    names of two languages, or a name with the page's words (a role), stays the page's."""
    _, names = region
    page = client.get("/graphs/keski-uusimaa", params={"lang": "sv"}, headers=HTML).text
    assert f'<option value="ips" lang="fi">{names["ips"]} (ips)</option>' in page
    mixed = re.search(r'<option value="ref-ips-avoin-tyo"([^>]*)>([^<]*)</option>', page)
    assert mixed.group(1) == "" and names["ips"] in mixed.group(2)  # Finnish → Swedish
    role = re.search(r'<option value="hus-psykiatria~ips~participant"([^>]*)>', page)
    assert role.group(1) == ""
    fi = client.get("/graphs/keski-uusimaa", params={"lang": "fi"}, headers=HTML).text
    assert f'<option value="ips">{names["ips"]} (ips)</option>' in fi
    # a referral between two Finnish names: its id is a code, so the option is Finnish whole
    from polku.graph import add_edge, new_graph
    from polku.server.pages import FORMS, form_keys

    g = new_graph()
    g.add_node("a", type="service", name="Ohjaamo")
    g.add_node("b", type="service", name="Työpaja", name_sv="Verkstad")
    g.add_node("c", type="service", name="Klubitalo")
    for rid, dst in (("r1", "c"), ("r2", "b")):
        g.add_node(rid, type="referral")
        add_edge(g, rid, "a", "from")
        add_edge(g, rid, dst, "to")
    form = next(f for f in FORMS if f.id == "referral")
    keys = dict(form_keys(g, form, translator("sv").marking()))
    assert langmarks.html(f"<option>{keys['r1']}</option>") == \
        '<option lang="fi">Ohjaamo → Klubitalo (r1)</option>'
    assert langmarks.html(f"<option>{keys['r2']}</option>") == \
        "<option>Ohjaamo → Verkstad (r2)</option>"


def test_a_merged_graphs_region_rows_say_the_language_of_a_name_polku_cannot_translate():
    from polku.graph import new_graph
    from polku.present.i18n import translator
    from polku.present.langmarks import unmarked
    from polku.present.merged import region_rows

    g = new_graph("national")
    g.graph["regions"] = [{"id": "ra", "title": "Kirkonkylän ekosysteemi", "region": "Kirkonkylä"},
                          {"id": "rb", "title": "B", "title_sv": "B på svenska",
                           "region": "Keski-Uusimaa"}]
    sv = region_rows(g, translator("sv").marking())
    assert sv[0]["region"] == "\ue000fi\ue001Kirkonkylä\ue002"
    assert sv[0]["title"] == "\ue000fi\ue001Kirkonkylän ekosysteemi\ue002"
    assert (sv[1]["region"], sv[1]["title"]) == ("Mellersta Nyland", "B på svenska")
    # a Finnish page marks nothing, and a translator that does not mark never does
    assert all("\ue000" not in r["region"] + r["title"]
               for r in region_rows(g, translator("fi").marking()))
    assert [r["region"] for r in region_rows(g, translator("sv"))] == [
        unmarked(r["region"]) for r in sv]
