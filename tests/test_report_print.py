"""The report on paper: `polku report --format pdf` (A4, page count in the PDF's page tree,
the graph's title in the header), the HTML report's print CSS, and the action list per
organisation as .xlsx, .csv and JSON from the CLI, the API and the report."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from polku.app import create_app
from helpers import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"


def pdf_objects(data: bytes) -> bytes:
    """A PDF's objects as text: its own bytes and every Flate stream inflated (WeasyPrint
    keeps the page tree in compressed object streams)."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


@pytest.mark.slow
def test_pdf_report_is_a4_with_its_page_count_in_the_page_tree(tmp_path) -> None:
    out = tmp_path / "report.pdf"
    r = run(*["report", str(EXAMPLE), "--format", "pdf", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    objects = pdf_objects(data)
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", objects)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", objects))
    assert counts and counts[0] == pages and pages >= 5
    # A4: 595 x 842 points
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", objects)
    assert box and round(float(box.group(1))) == 595 and round(float(box.group(2))) == 842
    bad = run(*["report", str(EXAMPLE), "--format", "pdf",
                                   "-o", str(tmp_path / "report.html")])
    assert bad.exit_code != 0 and ".pdf" in bad.output


def test_html_report_prints_the_same_way(tmp_path) -> None:
    out = tmp_path / "report.html"
    r = run(*["report", str(EXAMPLE), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "size: A4" in page and "counter(pages)" in page and "target-counter" in page
    assert 'class="print-meta"' in page and "beforeprint" in page
    # the action list downloads from the report itself
    href = re.search(r'download="keski-uusimaa-actions.csv" href="data:text/csv;charset=utf-8,'
                     r'([^"]+)"', page)
    assert href
    rows = list(csv.reader(io.StringIO(unquote(html.unescape(href.group(1))).lstrip("\ufeff"))))
    assert rows[0][:2] == ["organisaatio", "vakavuus"] and len(rows) > 5
    assert rows[0][-3:] == ["organisaation tunnus", "kohteen tunnus", "havainnon tunnus"]


def test_action_list_json_keeps_codes_in_every_language() -> None:
    """What code reads in the JSON (severity, kind, status, measures) is a code in every
    language, with the words beside it; the CSV, read by people, has the words, the kind by
    its name; the CLI and the API give the same list."""
    docs = {lang: json.loads(run("actions", EXAMPLE, "--format", "json", "--lang", lang).stdout)
            for lang in ("fi", "sv", "en")}
    words = ("actor_name", "severity_name", "kind_name", "status_name", "measure_names",
             "owner_name", "subject_name", "overdue_name", "message")
    coded = {lang: [{k: v for k, v in row.items() if k not in words} for row in d["actions"]]
             for lang, d in docs.items()}
    assert coded["fi"] == coded["sv"] == coded["en"]
    rows = docs["fi"]["actions"]
    assert {r["severity"] for r in rows} <= {"error", "warning", "info"}
    assert {r["status"] for r in rows} == {"new"} and {r["status_name"] for r in rows} == {"uusi"}
    assert all(isinstance(r["measures"], list) and isinstance(r["measure_names"], list)
               for r in rows)
    first = rows[0]
    assert first["severity"] == "error" and first["severity_name"] == "virhe"
    # keusote's list comes first, its units' findings in it (a unit's broken path first)
    assert (first["actor"], first["kind"]) == ("keusote", "path-broken")
    assert first["kind_name"] == "katkennut palvelupolku"
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    for lang, doc in docs.items():
        api = client.get("/api/graphs/keski-uusimaa/actions",
                         params={"format": "json", "lang": lang})
        assert api.status_code == 200 and api.json() == doc
    table = list(csv.DictReader(io.StringIO(run("actions", EXAMPLE).stdout)))
    assert table[0]["vakavuus"] == "virhe" and table[0]["tila"] == "uusi"
    assert table[0]["laji"] == "katkennut palvelupolku"
    assert not any(r["laji"] in {x["kind"] for x in rows} for r in table)


def test_actions_in_every_format_from_the_cli_and_the_api(tmp_path) -> None:
    import openpyxl

    r = run(*["actions", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["graph"] == "keski-uusimaa" and doc["actions"]
    actors = {row["actor"] for row in doc["actions"]}
    one = sorted(a for a in actors if a)[0]  # "": the findings nobody answers for
    mine = json.loads(run(*["actions", str(EXAMPLE), "--actor", one,
                                          "--format", "json"]).stdout)["actions"]
    assert mine and {row["actor"] for row in mine} == {one}
    text = run(*["actions", str(EXAMPLE), "--lang", "sv"]).stdout
    # printed, no byte order mark (a pipe would read it into the first column's name)
    assert text.splitlines()[0].startswith("organisation,allvarlighet,")
    xlsx = tmp_path / "actions.xlsx"
    assert run(*["actions", str(EXAMPLE), "--format", "xlsx",
                               "-o", str(xlsx)]).exit_code == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.max_row == len(doc["actions"]) + 1 and ws.freeze_panes == "A2"
    assert run(*["actions", str(EXAMPLE), "--format", "xlsx"]).exit_code != 0
    assert run(*["actions", str(EXAMPLE), "--actor", "nobody"]).exit_code != 0

    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    r = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "json"})
    assert r.status_code == 200 and r.json()["actions"] == doc["actions"]
    r = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "xlsx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert 'filename="keski-uusimaa-actions.xlsx"' in r.headers["content-disposition"]
    r = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "csv", "actor": one})
    assert r.status_code == 200 and r.text.count("\n") == len(mine) + 1
    r = client.get("/api/graphs/keski-uusimaa/actions", params={"actor": "nobody"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "actor"
    page = client.get("/graphs/keski-uusimaa").text
    assert "/api/graphs/keski-uusimaa/actions?format=xlsx" in page
    # the table to read at a terminal: one block per organisation, each finding's key
    table = run(*["actions", str(EXAMPLE), "--format", "table", "--actor", one,
                  "--lang", "fi"]).stdout
    assert table.splitlines()[0].endswith(": toimenpiteet organisaatioittain")
    # the title, whose findings they are, a blank line, then the organisation's block
    assert table.splitlines()[1].startswith("Vain havainnot, joista ")
    assert f"({len(mine)})" in table.splitlines()[3]
    assert all(f"tunnus: {row['key']}" in table for row in mine)
    txt = tmp_path / "actions.txt"
    assert run(*["actions", str(EXAMPLE), "-o", str(txt)]).exit_code == 0
    assert txt.read_text(encoding="utf-8") == run(*["actions", str(EXAMPLE),
                                                     "--format", "table"]).stdout
    r = client.get("/api/graphs/keski-uusimaa/actions", params={"format": "table"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert 'filename="keski-uusimaa-actions.txt"' in r.headers["content-disposition"]


def _pdf_layout(monkeypatch, tmp_path, *args):
    """Run ``polku report … -o report.pdf`` and keep the laid-out document WeasyPrint
    rendered (its pages and boxes), to measure what the PDF shows."""
    import weasyprint

    kept = []
    render = weasyprint.HTML.render

    def keep(self, *a, **k):
        doc = render(self, *a, **k)
        kept.append(doc)
        return doc

    monkeypatch.setattr(weasyprint.HTML, "render", keep)
    out = tmp_path / "report.pdf"
    r = run("report", *args, "-o", out, "-q")
    assert r.exit_code == 0, r.output
    assert len(kept) == 1
    return kept[0]


@pytest.mark.slow
def test_pdf_report_keeps_every_table_on_the_page_and_the_raci_readable(monkeypatch, tmp_path):
    """Nothing in the PDF lies beyond the page's right margin (WeasyPrint cuts it off at the
    paper's edge: the ecosystem tables lost their last column, and the RACI matrix showed 4
    of its 34 organisations on 14 pages, with the column heads' names and ids overprinted
    on grey buttons); on paper the RACI is one row per subject with who holds each role, so
    every organisation with a role is named; the page header's title and date are not
    printed a second time under the title."""
    from weasyprint.formatting_structure import boxes

    from polku.analyses.raci import raci
    from polku.analyses.findings import find
    from polku.io.load import load_graph
    from polku.present.i18n import translator

    doc = _pdf_layout(monkeypatch, tmp_path, EXAMPLE, "--lang", "fi")
    beyond, body_text = [], []
    for n, page in enumerate(doc.pages, 1):
        box = page._page_box
        right = box.margin_width() - box.margin_right
        # the page's own content, not its margin boxes (the running header, the number)
        texts = [b for child in box.children if not isinstance(child, boxes.MarginBox)
                 for b in child.descendants() if isinstance(b, boxes.TextBox)
                 and b.style["visibility"] == "visible"]
        header = " ".join(b.text for child in box.children
                          if isinstance(child, boxes.MarginBox)
                          for b in child.descendants() if isinstance(b, boxes.TextBox))
        assert "ekosysteemi ·" in header and f"{n} / {len(doc.pages)}" in header
        beyond += [(n, b.text) for b in texts if b.position_x + b.width > right + 1]
        body_text.append(" ".join(b.text for b in texts))
    assert not beyond, beyond[:10]
    # a name wrapped at its hyphen ("Ohjaamo Keski-" / "Uusimaa") is one name
    def norm(t: str) -> str:
        return re.sub(r"-\s+", "-", " ".join(t.split()))

    text = norm(" ".join(body_text))
    g = load_graph(EXAMPLE)
    tr = translator("fi")
    m = raci(g, find(g))
    named = {c.actor for c in m.cells}
    assert all(norm(tr.label(g, a)) in text for a in named), \
        [tr.label(g, a) for a in named if norm(tr.label(g, a)) not in text]
    # the header's "title · date" is in the margin box only, not again in the page itself
    assert "ekosysteemi ·" not in " ".join(body_text[0].split())


def test_the_action_lists_file_is_what_its_name_says(tmp_path: Path) -> None:
    """``polku actions -o a.xlsx`` writes a workbook (it wrote CSV text into a file named
    .xlsx, which a spreadsheet opens as broken), ``-o a.json`` JSON; a --format the name
    contradicts is refused naming the output, and nothing is written."""
    import openpyxl

    book = tmp_path / "a.xlsx"
    assert run("actions", EXAMPLE, "-o", book).exit_code == 0
    assert openpyxl.load_workbook(book).active.max_row > 1
    data = tmp_path / "a.json"
    assert run("actions", EXAMPLE, "-o", data).exit_code == 0
    assert json.loads(data.read_text(encoding="utf-8"))["actions"]
    plain = tmp_path / "a.txt"  # a name that says no format: CSV, as before
    assert run("actions", EXAMPLE, "-o", plain).exit_code == 0
    assert next(csv.reader(io.StringIO(plain.read_text(encoding="utf-8"))))
    wrong = run("actions", EXAMPLE, "--format", "csv", "-o", tmp_path / "b.xlsx", "--lang", "en")
    assert wrong.exit_code == 1
    assert "b.xlsx is named as a .xlsx file, but --format is csv" in wrong.output
    assert not (tmp_path / "b.xlsx").exists()


@pytest.mark.slow
def test_pdf_first_page_holds_every_decision(monkeypatch, tmp_path) -> None:
    """The first page decides, on one A4 page (README "The first page decides": seven
    decisions of at most five lines each): its seven decisions and the note of what it
    leaves out are all on page 1; page 2 has none of them. Before the print CSS set them
    tighter, page 1 held three."""
    from weasyprint.formatting_structure import boxes

    doc = _pdf_layout(monkeypatch, tmp_path, EXAMPLE, "--lang", "fi")

    def body(page) -> str:
        box = page._page_box
        return " ".join(b.text for child in box.children
                        if not isinstance(child, boxes.MarginBox)
                        for b in child.descendants() if isinstance(b, boxes.TextBox)
                        and b.style["visibility"] == "visible")

    first, second = body(doc.pages[0]), body(doc.pages[1])
    assert first.count("Päättää") == 7, first
    assert "Kuka ottaa päävastuun" in first and "Tästä puuttuu 2 havaintoa" in first
    assert "Päättää" not in second


@pytest.fixture(scope="module")
def pdf_pages(tmp_path_factory) -> dict[str, list]:
    """The example's PDF report in Finnish, Swedish and English, as WeasyPrint laid it out
    (each language's pages and boxes), through the CLI."""
    out = {}
    for lang in ("fi", "sv", "en"):
        with pytest.MonkeyPatch.context() as mp:
            out[lang] = _pdf_layout(mp, tmp_path_factory.mktemp("pdf"), EXAMPLE,
                                    "--lang", lang).pages
    return out


def _body(page) -> list:
    """A page's own boxes (not its margin boxes: the running header, the number)."""
    from weasyprint.formatting_structure import boxes

    return [c for c in page._page_box.children if not isinstance(c, boxes.MarginBox)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pdf_text_stays_in_its_own_column(pdf_pages, lang) -> None:
    """No word of a table cell runs into the next column or past the page's margin: the
    Swedish RACI list printed "Sektorsövergripande" over "Mellersta Nylands" and
    "sysselsättningsområde" to x ≈ 570 pt, past the right margin (the Finnish one
    "koulutuskuntayhtymä)" 24 px into its empty neighbour). A name longer than its column
    breaks inside its cell."""
    from weasyprint.formatting_structure import boxes

    over = []

    def walk(box, cell, n):
        for b in getattr(box, "children", ()):
            c = b if isinstance(b, boxes.TableCellBox) else cell
            if isinstance(b, boxes.TextBox) and c is not None \
                    and b.style["visibility"] == "visible" and b.text.strip():
                right = c.content_box_x() + c.width
                if b.position_x + b.width > right + 0.5:
                    over.append((n, b.text, round(b.position_x + b.width - right, 1)))
            walk(b, c, n)

    for n, page in enumerate(pdf_pages[lang], 1):
        box = page._page_box
        right = box.margin_width() - box.margin_right
        for child in _body(page):
            walk(child, None, n)
            over += [(n, b.text, "past the margin") for b in child.descendants()
                     if isinstance(b, boxes.TextBox) and b.style["visibility"] == "visible"
                     and b.position_x + b.width > right + 0.5]
    assert not over, over[:10]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pdf_list_items_fill_their_lines(pdf_pages, lang) -> None:
    """A finding's line ends where the next word would not fit: a line break in the
    who-must-act item's markup made WeasyPrint end one line after "välillä" with most of
    the line empty."""
    from weasyprint.formatting_structure import boxes

    early = []
    for n, page in enumerate(pdf_pages[lang], 1):
        for li in (b for child in _body(page) for b in child.descendants()
                   if isinstance(b, boxes.BlockBox) and b.element_tag == "li"):
            lines = [c for c in li.children if isinstance(c, boxes.LineBox)]
            for line, nxt in zip(lines, lines[1:]):
                texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
                after = [t for t in nxt.descendants() if isinstance(t, boxes.TextBox)]
                # a line a <br> starts (the plan measures) begins with an element of its own
                if not texts or not after or after[0].element_tag != "li":
                    continue
                used = max(t.position_x + t.width for t in texts) - li.content_box_x()
                word = after[0].text.split(" ")[0]
                width = after[0].width * len(word) / max(1, len(after[0].text))
                if li.width - used > width + 20:
                    early.append((n, texts[-1].text[-30:], word))
    assert not early, early[:5]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pdf_keeps_a_tables_caption_with_its_table(pdf_pages, lang) -> None:
    """"Virran mukaan (käyttöaste, sitten saapuvat):" sat at the foot of page 5 and its
    table on page 6, and so did "Organisaatiot ohjausten mukaan muille ja muilta
    organisaatioilta", the ecosystem table's caption, at the foot of page 10: a caption or
    a paragraph that introduces a table stays on the page of the table's first row."""
    from weasyprint.formatting_structure import boxes

    pages = pdf_pages[lang]
    assert not _lonely_intros(pages)
    if lang != "fi":
        return
    for n, page in enumerate(pages, 1):
        found = [b for child in _body(page) for b in child.descendants()
                 if isinstance(b, boxes.TextBox) and "Virran mukaan" in b.text]
        if found:
            below = [r for child in _body(page) for r in child.descendants()
                     if isinstance(r, boxes.TableRowBox)
                     and r.position_y > found[0].position_y]
            assert below, f"the caption is the last thing on page {n}"
            break
    else:
        raise AssertionError("no caption 'Virran mukaan' in the PDF")


#: a table's caption, or a paragraph that introduces the table after it
_INTRO = re.compile(r'<caption\b|<p class="[^"]*\b(?:table-caption|raci-summary)\b')


def _intro_fragments(page: str) -> list[tuple[str, str]]:
    """Each table's intro in the report's HTML (a caption, or a paragraph that introduces
    a table: ``p.table-caption``) as (its words, a document of the report's head and the
    top-level part of its ``<main>`` that holds the intro and its table, marked
    ``data-probe="intro"`` and ``data-probe="table"``, after an empty
    ``<div data-probe="spacer">``): a page of its own to lay out quickly."""
    head, body = page.split("<main>", 1)
    body, _ = body.split("</main>", 1)
    out = []
    for m in _INTRO.finditer(body):
        caption = m.group(0) == "<caption"
        table = body.rindex("<table", 0, m.start()) if caption else \
            re.compile(r'<table\b(?![^>]*\bid="raci-table")').search(body, m.end()).start()
        # the section around it (its styles and selectors) or the intro and table alone
        start = body.rfind("<section", 0, m.start())
        end = body.find("</section>", start) + len("</section>") if start >= 0 else -1
        if start < 0 or end < m.start():
            start, end = min(table, m.start()), body.index("</table>", table) + len("</table>")
        marks = sorted([(m.start(), m.group(0).split()[0], "intro"),
                        (table, "<table", "table")])
        part, last = "", start
        for at, opening, probe in marks:
            part += body[last:at] + f'{opening} data-probe="{probe}"'
            last = at + len(opening)
        part += body[last:end]
        closing = "</caption>" if caption else "</p>"
        words = " ".join(re.sub(r"<[^>]+>", " ", body[m.start():body.index(
            closing, m.start())].split(">", 1)[1]).split())[:60]
        out.append((words, f'{head}<main><div data-probe="spacer"></div>{part}</main>'
                           "</body></html>"))
    return out


def _lonely_intros(pages) -> list[tuple[int, str]]:
    """The intros (a caption, ``p.table-caption``) that end a page with no row of their
    table's body after them there: (page, words)."""
    from weasyprint.formatting_structure import boxes

    def body_rows(box) -> bool:
        """Whether a table wrapper's fragment holds a row of its body."""
        return any(isinstance(t, boxes.TableBox) and any(
            g.element_tag == "tbody" and g.children for g in t.children)
            for t in box.children)

    lonely = []
    for n, page in enumerate(pages, 1):
        for parent in (b for child in _body(page) for b in child.descendants()
                       if isinstance(b, boxes.ParentBox)):
            kids = list(parent.children)
            for i, b in enumerate(kids):
                intro = isinstance(b, boxes.TableCaptionBox) or (
                    isinstance(b, boxes.BlockBox) and b.element_tag == "p"
                    and {"table-caption", "raci-summary"} & set(
                        (b.element.get("class") or "").split()))
                if not intro:
                    continue
                # a caption's table is its wrapper (the parent); a paragraph's the next box
                wrapper = parent if isinstance(b, boxes.TableCaptionBox) else (
                    kids[i + 1] if i + 1 < len(kids) else None)
                if wrapper is None or not body_rows(wrapper):
                    words = " ".join(t.text for t in b.descendants()
                                     if isinstance(t, boxes.TextBox))
                    lonely.append((n, words[:60]))
    return lonely


@pytest.mark.slow
def test_every_tables_intro_keeps_with_its_table_wherever_the_page_breaks(
        monkeypatch, tmp_path) -> None:
    """"Organisaatiot ohjausten mukaan muille ja muilta organisaatioilta", the caption of
    the ecosystem's first table, was the last line of page 10 and its table began on page
    11: only the by-flow paragraph kept with its table. Each caption and paragraph that
    introduces a table in the report the CLI lays out is put where the page breaks after
    it (a spacer above it, as tall as leaves it room but none for its table's first row)
    and must still stand on the page of that row."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    import polku.present.report as report

    said: list[str] = []
    html = report.report_html
    monkeypatch.setattr(report, "report_html", lambda *a, **k: said.append(html(*a, **k))
                        or said[-1])
    assert run("report", EXAMPLE, "-o", tmp_path / "r.pdf", "-q", "--lang", "fi").exit_code == 0
    fragments = _intro_fragments(said[0])
    # the ecosystem's two captions, the by-flow paragraph, the RACI's summary and the
    # paragraphs that introduce the segments' and the bottlenecks' tables
    assert len(fragments) == 6, [w for w, _ in fragments]

    def laid_out(doc: str, spacer: float):
        return HTML(string=doc.replace('<div data-probe="spacer"></div>',
                                       f'<div style="height: {spacer:.1f}px"></div>')).render()

    def probed(doc, probe: str):
        for n, page in enumerate(doc.pages, 1):
            for child in _body(page):
                for b in child.descendants():
                    if b.element is not None and b.element.get("data-probe") == probe:
                        yield n, b

    def first_row(doc):
        """The page and the box of the first row of the table's body."""
        return next((n, r) for n, t in probed(doc, "table") if isinstance(t, boxes.TableBox)
                    for g in t.children if g.element_tag == "tbody" for r in g.children)

    lonely = []
    for words, doc in fragments:
        first = laid_out(doc, 0)
        paper = first.pages[0]._page_box
        foot = paper.content_box_y() + paper.height
        intro = next(b for _, b in probed(first, "intro") if isinstance(b, boxes.BlockBox))
        _, row = first_row(first)
        # pushed down by more than this, the first row no longer fits on the page; by
        # less than that, the intro still does
        low = foot - (row.position_y + row.margin_height())
        high = foot - (intro.position_y + intro.margin_height())
        assert 0 < low < high, words
        for spacer in (low + 1, (low + high) / 2, high - 1):
            doc_ = laid_out(doc, spacer)
            at = min(n for n, _ in probed(doc_, "intro"))
            if at != first_row(doc_)[0]:
                lonely.append((words, round(spacer)))
    assert not lonely, lonely
