"""What an accessibility audit (WCAG 2.1 AA) of the served example region found in the
pages' HTML, held here without a browser (``test_accessibility_browser.py`` holds what
needs one: reflow, contrast, the keyboard): a chart in the report carries its table
(1.1.1) under an h3 of its own (1.3.1), the RACI matrix's subject is a row header (1.3.1)
and its Finnish notes say so on a Swedish page (3.1.2), a table page's title says it is
one and names the region (2.4.2), a need's factor is named in the reader's language, and
the view and report pages have a skip link (2.4.1)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import EXAMPLE, example_client, run

G = "/graphs/keski-uusimaa"
FI_TITLE = "Keski-Uudenmaan työhön osallistumisen ekosysteemi"
SV_TITLE = "Mellersta Nylands ekosystem för deltagande i arbetslivet"


class Tree(HTMLParser):
    """Each element's tag, attributes, the languages around it and its text (with its
    descendants'), in document order: enough to ask what a screen reader is told."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang") or (self.open[-1]["lang"] if self.open else None)
        e = {"tag": tag, "attrs": a, "lang": lang, "text": "", "pieces": []}
        self.elements.append(e)
        if tag not in self.VOID:
            self.open.append(e)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        lang = self.open[-1]["lang"] if self.open else None
        for e in self.open:
            e["text"] += data
            e["pieces"].append((data, lang))

    def find(self, tag: str, cls: str | None = None) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag
                and (cls is None or cls in e["attrs"].get("class", "").split())]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return example_client(tmp_path_factory.mktemp("a11y"))


@pytest.fixture(scope="module")
def report_fi(client) -> str:
    page = client.get(f"{G}/report?lang=fi")
    assert page.status_code == 200
    return page.text


@pytest.fixture(scope="module")
def report_sv(client) -> str:
    page = client.get(f"{G}/report?lang=sv")
    assert page.status_code == 200
    return page.text


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_each_chart_in_the_report_has_its_table_below_it_under_an_h3(report_fi: str) -> None:
    """The canvas says "or open the view as a table": the report holds that table, in a
    closed <details> after each chart (the file works offline), and the chart's title is a
    heading under the report's h2 "Näkymät", not a second h1 (there was one per chart)."""
    tree = Tree(report_fi)
    assert len(tree.find("h1")) == 1
    charts = [e for e in tree.find("section", "polku-view") if e["attrs"]["id"].startswith(
        "view-segment-")]
    assert len(charts) == 6
    for chart in charts:
        at = tree.elements.index(chart)
        rest = tree.elements[at:]
        canvas = next(e for e in rest if "pv-canvas" in e["attrs"].get("class", ""))
        assert "taulukkona" in canvas["attrs"]["aria-label"]
        heading = next(e for e in rest if "pv-title" in e["attrs"].get("class", ""))
        assert heading["tag"] == "h3"
        table = next(e for e in rest if e["attrs"].get("id") == chart["attrs"]["id"] + "-table")
        assert table["tag"] == "details"
        assert table["text"].strip().startswith("Näkymä taulukkona")
        # the nodes the picture draws are the table's rows
        data = next(e for e in rest if "pv-data" in e["attrs"].get("class", ""))
        drawn = json.loads(data["text"])
        cid = chart["attrs"]["id"]
        nodes, links = (next(i for i, e in enumerate(tree.elements)
                             if e["attrs"].get("id") == f"{cid}-{part}")
                        for part in ("nodes", "links"))
        rows = [e for e in tree.elements[nodes:links] if e["attrs"].get("scope") == "row"]
        assert len(rows) == len(drawn["nodes"]) > 0
        assert tree.elements[nodes]["text"] == f"Solmut ({len(drawn['nodes'])})"
    ids = [e["attrs"]["id"] for e in tree.elements if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), "ids repeat"


def test_the_written_report_carries_the_tables_too(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", EXAMPLE, "-o", out, "--lang", "fi")
    assert result.exit_code == 0, result.output
    tree = Tree(out.read_text(encoding="utf-8"))
    assert len(tree.find("h1")) == 1
    assert len(tree.find("details", "pv-astable")) == 6


@pytest.mark.parametrize("page", ["raci", "report"])
def test_the_raci_matrix_subject_is_a_row_header(client, page: str) -> None:
    """Each row's subject (the screen and the printed list alike) is the row's header."""
    tree = Tree(client.get(f"{G}/{page}?lang=fi").text)
    subjects = [e for e in tree.elements if "subject" in e["attrs"].get("class", "").split()]
    assert [e for e in subjects if e["tag"] == "td"] == []
    assert len([e for e in subjects if e["tag"] == "th" and e["attrs"].get("scope") == "row"]
               ) > 2 * 100


@pytest.mark.parametrize("page", ["raci", "report"])
def test_a_swedish_raci_marks_its_finnish_notes(client, page: str) -> None:
    """A note is the plan's or workbook's text (Finnish) unless it is polku's own words for
    a referral's owner: on a Swedish page the Finnish is marked lang="fi" (WCAG 3.1.2)."""
    tree = Tree(client.get(f"{G}/{page}?lang=sv").text)
    notes = []
    for td in tree.find("td", "role"):
        at = tree.elements.index(td)
        if tree.elements[at + 1]["tag"] == "details":
            notes.append(tree.elements[at + 3])  # details > summary, p
    assert len(notes) > 100 and all(n["tag"] == "p" for n in notes)
    owner = "ansvarig aktör för hänvisningen"
    unmarked = [n["text"] for n in notes
                if "".join(t for t, lang in n["pieces"] if lang != "fi").strip()
                not in ("", owner)]
    assert unmarked == []
    texts = [n["text"] for n in notes]
    assert any("Päätös ja maksatus" in t for t in texts)


def test_a_table_page_says_it_is_one_and_names_the_region(client) -> None:
    view = title_of(client.get(f"{G}/view?view=ecosystem&lang=fi").text)
    table = title_of(client.get(f"{G}/table?view=ecosystem&lang=fi").text)
    assert view != table and "taulukkona" in table
    segment = title_of(client.get(f"{G}/table?view=segment:seg-nuoret&lang=fi").text)
    assert FI_TITLE in segment and "taulukkona" in segment
    sv = title_of(client.get(f"{G}/table?view=segment:seg-nuoret&lang=sv").text)
    assert SV_TITLE in sv and "tabell" in sv


@pytest.mark.parametrize("lang,word", [("fi", "Tekijä: terveys ja toimintakyky"),
                                       ("sv", "Faktor: hälsa och funktionsförmåga")])
def test_a_needs_factor_is_named_in_the_readers_language(client, lang: str, word: str) -> None:
    page = client.get(f"{G}/table?view=ecosystem&lang={lang}").text
    assert word in page
    codes = "health|social|work|competence|motivation"
    assert not re.search(rf"(Tekijä|Faktor): ({codes})(<|\n|\"|$)", page)


@pytest.mark.parametrize("address", [f"{G}/view?view=ecosystem&lang=fi",
                                     f"{G}/view?view=segment:seg-nuoret&lang=sv",
                                     f"{G}/report?lang=fi"])
def test_view_and_report_pages_start_with_a_skip_link(client, address: str) -> None:
    tree = Tree(client.get(address).text)
    first = next(e for e in tree.elements if e["tag"] == "a")
    assert first["attrs"].get("href") == "#main"
    assert first["text"].strip() in ("Siirry sisältöön", "Hoppa till innehållet")
    assert [e["tag"] for e in tree.elements if e["attrs"].get("id") == "main"] == ["main"]
