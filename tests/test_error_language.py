"""A bad parameter is told in the reader's language on every door, without the command
line's wording on the API and the pages: the message names the parameter neutrally and is
catalogued; the CLI adds its option (``--capacity``), the API its ``field``, a page marks
its form field. What the route's types refuse (FastAPI's validation) is answered in the
same shape, with a proper field and a catalogued message."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from helpers import MINI
from polku.app import create_app
from polku.errors import PolkuError
from polku.io.load import load_graph
from polku.present.i18n import error_message, translator

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app([MINI]), raise_server_exceptions=False)


BAD = [
    ("/api/graphs/mini/whatif", "remove"),
    ("/api/graphs/mini/whatif?capacity=kuntouttava=-1", "capacity"),
    ("/api/graphs/mini/whatif?capacity=kuntouttava=lots", "capacity"),
    ("/api/graphs/mini/whatif?capacity=nuoret=3", "capacity"),
    ("/api/graphs/mini/whatif?capacity=kuntouttava", "capacity"),
    ("/api/graphs/mini/whatif?places=kuntouttava=0", "places"),
    ("/api/graphs/mini/whatif?demand=kuntouttava=x", "demand"),
    ("/api/graphs/mini/whatif?demand=kuntouttava=-150%25", "demand"),
    ("/api/graphs/mini/whatif?remove=kuntouttava&capacity=kuntouttava=3", "remove"),
    ("/api/graphs/mini/whatif?remove=nope", "remove"),
    ("/api/graphs/mini/whatif?remove=nuoret", "remove"),
    ("/api/graphs/mini/paths?segment=nope", "segment"),
    ("/api/graphs/mini/paths?segment=nuoret&to=kuntouttava", "to"),
    ("/api/graphs/mini/findings?severity=nope", "severity"),
    ("/api/graphs/mini/findings?long_wait_days=-1", "long_wait_days"),
    ("/api/graphs/mini/findings?long_wait_days=x", "long_wait_days"),
    ("/api/graphs/mini/export?format=x", "format"),
    ("/graphs/mini/view?view=nope", "view"),
    ("/graphs/mini/view?view=segment:nope", "view"),
    ("/graphs/mini/view?view=blueprint:X", "view"),
    ("/graphs/mini/view?focus=nope", "focus"),
    ("/graphs/mini/view?depth=x", "depth"),
]


@pytest.mark.parametrize("url, field", BAD)
def test_a_bad_parameter_is_told_in_the_requests_language(client: TestClient, url: str,
                                                           field: str) -> None:
    join = "&" if "?" in url else "?"
    said = {}
    for lang in ("en", "fi", "sv"):
        r = client.get(f"{url}{join}lang={lang}")
        assert r.status_code == 400, r.text
        error = r.json()["error"]
        assert error["field"] == field, error
        said[lang] = error["message"]
        # the API names its parameter in field: no command-line option in the message,
        # and none of the validator's own English
        assert "--" not in error["message"] and "should" not in error["message"], error
    assert said["fi"] != said["en"] and said["sv"] != said["en"], said
    # the browser's language when the address gives none
    r = client.get(url, headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert r.json()["error"]["message"] == said["sv"]


def test_the_examples_of_the_review_read_in_finnish(client: TestClient) -> None:
    def said(url: str) -> dict:
        return client.get(url).json()["error"]

    assert said("/api/graphs/mini/whatif?capacity=kuntouttava=-1&lang=fi") == {
        "code": "bad-request", "field": "capacity",
        "message": "palvelun 'kuntouttava' kapasiteetti ei voi olla negatiivinen (-1)"}
    assert said("/api/graphs/mini/export?format=x&lang=fi")["message"] == \
        "format: 'x' ei ole mikään näistä: turtle, jsonld"
    assert said("/api/graphs/mini/whatif?lang=fi")["message"].startswith(
        "kerro, mikä muuttuu: poistettava palvelu, toimija tai ohjaus")


@pytest.mark.parametrize("body, headers, status, field, message", [
    (b"not json", {"content-type": "application/json"}, 400, "body",
     "body: pyynnön sisältö ei ole kelvollista JSONia"),
    (b"not json", {}, 415, "Content-Type",
     "pyynnön sisältö on JSONia: lähetä se otsakkeella 'Content-Type: application/json'"),
    (b"[1, 2]", {"content-type": "application/json"}, 400, "body",
     "body: tähän tarvitaan JSON-olio, ei […]"),
])
def test_a_body_that_is_no_json_object_names_the_body(
        tmp_path, body: bytes, headers: dict, status: int, field: str, message: str) -> None:
    from helpers import copy_mini
    from polku.server.auth import parse_tokens

    token = "language-token-0123456789"
    copy_mini(tmp_path / "mini")
    writer = TestClient(create_app([tmp_path], parse_tokens(f"anna:{token}")),
                        raise_server_exceptions=False)
    r = writer.patch("/api/graphs/mini/rows/services/kuntouttava?lang=fi", content=body,
                     headers={**headers, "Authorization": f"Bearer {token}"})
    assert r.status_code == status, r.text
    code = "bad-request" if status == 400 else "unsupported-media-type"
    assert r.json()["error"] == {"code": code, "field": field, "message": message}


@pytest.mark.parametrize("url, finnish", [
    ("/graphs/mini/view?view=nope&lang=fi", "tuntematon näkymä 'nope'"),
    ("/graphs/mini/view?view=segment:nope&lang=fi", "tuntematon asiakasryhmä 'nope'"),
    ("/graphs/mini/view?focus=nope&lang=fi", "aineistossa ei ole tätä kohdetta: 'nope'"),
    ("/graphs/mini/view?depth=x&lang=fi", "depth: 'x' ei ole kokonaisluku"),
    ("/graphs/mini/view?view=blueprint:X&lang=fi",
     "suunniteltua palvelupolkua tai asiakasryhmää ei ole: 'X'"),
])
def test_a_finnish_error_page_is_finnish(client: TestClient, url: str, finnish: str) -> None:
    r = client.get(url, headers=HTML)
    assert r.status_code == 400 and '<html lang="fi">' in r.text
    assert finnish in unescape(r.text), unescape(r.text)


def test_the_paths_form_marks_its_bad_field_and_words_it(client: TestClient) -> None:
    r = client.get("/graphs/mini/paths?segment=nuoret&to=nope&lang=fi", headers=HTML)
    assert r.status_code == 400
    page = unescape(r.text)
    assert "'nope' ei ole tämän aineiston tulos" in page
    marked = re.findall(r'<select id="(\w+)"[^>]*aria-invalid="true"', r.text)
    assert marked == ["to"] and 'aria-describedby="paths-error"' in r.text
    assert 'id="paths-error" data-field="to"' in r.text


@pytest.mark.parametrize("k, said", [("0", "ei 0"), ("51", "ei 51"), ("kaksi", "ei 'kaksi'")])
def test_a_bad_number_of_paths_keeps_the_form(client: TestClient, k: str, said: str) -> None:
    """A bad number of paths is worded by the operation's own check, with the form kept
    and the field marked (it was a bare error page: "k: '0' on liian pieni")."""
    r = client.get(f"/graphs/mini/paths?segment=nuoret&k={k}&lang=fi", headers=HTML)
    assert r.status_code == 400
    page = unescape(r.text)
    assert f"polkujen määrä: arvon pitää olla kokonaisluku 1–50, {said}" in page, page
    assert re.findall(r'<input id="(\w+)"[^>]*aria-invalid="true"', r.text) == ["k"]
    assert '<select id="segment"' in r.text


@pytest.mark.parametrize("k", ["0", "51"])
def test_a_number_of_paths_out_of_range_is_one_text_on_every_door(client: TestClient,
                                                                  k: str, tmp_path) -> None:
    """k=0 read "k: '0' on liian pieni: vähintään 1" on the API (its query type's bound)
    and "polkujen määrä: arvon pitää olla kokonaisluku 1–50, ei 0" on the page and the
    command line: the operation's check now says it on every door, the paths' and the
    blueprint's, the API's and the view pages'."""
    from helpers import run

    said = f"polkujen määrä: arvon pitää olla kokonaisluku 1–50, ei {k}"
    page = client.get(f"/graphs/mini/paths?segment=nuoret&k={k}&lang=fi", headers=HTML)
    assert page.status_code == 400 and said in unescape(page.text)
    for url in (f"/api/graphs/mini/paths?segment=nuoret&k={k}&lang=fi",
                f"/api/graphs/mini/blueprint?subject=nuoret&k={k}&lang=fi"):
        r = client.get(url)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["message"] == said and r.json()["error"]["field"] == "k"
    for view in ("segment:nuoret", "blueprint:nuoret"):
        for route in ("view", "table"):
            r = client.get(f"/graphs/mini/{route}?view={view}&k={k}&lang=fi", headers=HTML)
            assert r.status_code == 400 and said in unescape(r.text), (view, route)
    r = run("--lang", "fi", "paths", MINI, "--segment", "nuoret", "-k", k)
    assert r.exit_code == 1 and r.output.strip() == f"virhe: -k: {said}"
    r = run("--lang", "fi", "render", MINI, "--view", "blueprint:nuoret", "-k", k, "-o",
            tmp_path / "never-written.html")
    assert r.exit_code == 1 and r.output.strip() == f"virhe: -k: {said}"


def test_every_check_of_an_operation_is_catalogued() -> None:
    """Each operation's refusal is a catalogued template: Finnish reads it in Finnish."""
    from polku.ops.operations import (Blueprint, Findings, Paths, Queueing, Raci, Removal,
                                      answer, whatif_operation)
    from polku.ops.model import Model
    from polku.present.operations import ViewOf

    m = Model(load_graph(MINI))
    fi = translator("fi")
    cases = [lambda: answer(Paths(segment="nope"), m),
             lambda: answer(Paths(segment="nuoret", to="nope"), m),
             lambda: answer(Paths(segment="nuoret", k=0), m),
             lambda: answer(Findings(severity="x"), m),
             lambda: answer(Findings(long_wait_days=-1), m),
             lambda: answer(Blueprint(subject="x"), m),
             lambda: answer(Removal(remove="x"), m),
             lambda: answer(Queueing(capacity={"kuntouttava": -1.0}), m),
             lambda: answer(Queueing(places={"kuntouttava": 0}), m),
             lambda: answer(Raci(subjects="x"), m),
             lambda: whatif_operation(None, [], [], []),
             lambda: answer(ViewOf(view="x"), m),
             lambda: answer(ViewOf(focus="x"), m),
             lambda: answer(ViewOf(depth=-1), m),
             lambda: answer(ViewOf(cluster_by="x"), m)]
    for case in cases:
        with pytest.raises(PolkuError) as caught:
            case()
        e = caught.value
        assert e.msgid is not None and e.field, e
        assert error_message(e, fi) != e.message, e.message


def test_a_broken_workbook_is_told_in_the_pages_language(tmp_path) -> None:
    """The served graphs' list and the page of a graph that never loaded word its problem
    as ``polku validate --lang fi`` does, under a heading that says what happened: where
    and what, the cell's text withheld (docs/workbook.md, Privacy)."""
    from helpers import copy_mini, edit

    folder = copy_mini(tmp_path / "rikki")
    edit(folder / "services.csv", '"40,5"', '"40x"')
    c = TestClient(create_app([tmp_path]), raise_server_exceptions=False)
    index = unescape(c.get("/?lang=fi", headers=HTML).text)
    assert "sarake 'capacity_per_month': '...' ei ole luku" in index, index
    r = c.get("/graphs/rikki?lang=fi", headers=HTML)
    page = unescape(r.text)
    assert r.status_code == 409 and "<h1>Aineistoa ei voi lukea</h1>" in page
    assert "Ristiriita" not in page and "'...' ei ole luku" in page
    sv = unescape(c.get("/graphs/rikki?lang=sv", headers=HTML).text)
    assert "Ekosystemet kan inte läsas" in sv and "'...' är inte ett tal" in sv


@pytest.mark.parametrize("lang, words, english", [
    ("fi", ["toimija", "palvelu", "asiakasryhmä", "tuottaa palvelun", "ohjaus"],
     ["<td>actor</td>", "<td>service</td>", "<td>provides</td>"]),
    ("sv", ["aktör", "tjänst", "kundgrupp", "hänvisning"], ["<td>actor</td>", "<td>service</td>"]),
])
def test_a_table_view_names_types_in_the_pages_language(lang: str, words: list[str],
                                                        english: list[str]) -> None:
    from helpers import EXAMPLE

    c = TestClient(create_app([EXAMPLE]))
    page = unescape(c.get(f"/graphs/keski-uusimaa/table?view=ecosystem&lang={lang}").text)
    kinds = set(re.findall(r"<td>([^<]*)</td>", page))
    for word in words:
        assert word in kinds, (word, sorted(kinds)[:40])
    for raw in english:
        assert raw not in page
    # the names in the other languages are named as such, never a bare "en: …"
    assert not re.search(r"<br>(en|sv|fi): ", page)
    # (each in its language: the space before a marked name goes inside its element)
    other = {"fi": 'ruotsiksi:<span lang="sv"> Socialt arbete för vuxna</span>',
             "sv": 'på finska:<span lang="fi"> Aikuissosiaalityö</span>'}
    assert other[lang] in page
    roles = unescape(c.get(f"/graphs/keski-uusimaa/table?view=responsibility&lang={lang}").text)
    assert "<td>lead</td>" not in roles and "<td>consulted</td>" not in roles


def test_the_change_log_page_reads_as_names_in_the_pages_language(tmp_path) -> None:
    from helpers import copy_mini, etag_of
    from polku.server.auth import parse_tokens

    folder = tmp_path / "graphs"
    folder.mkdir()
    copy_mini(folder / "mini")
    token = "anna-token-0123456789"
    c = TestClient(create_app([folder], parse_tokens(f"anna:{token}")),
                   raise_server_exceptions=False)

    def write(method: str, url: str, body: dict) -> None:
        r = c.request(method, url, json=body, headers={"Authorization": f"Bearer {token}",
                                                       "If-Match": etag_of(c)})
        assert r.status_code in (200, 201), r.text

    write("POST", "/api/graphs/mini/rows/needs", {"id": "velat", "name": "Velat ja talous",
                                                  "factor": "competence"})
    write("PATCH", "/api/graphs/mini/rows/segments/nuoret", {"needs": "tyokyky;velat"})
    write("PATCH", "/api/graphs/mini/rows/services/kuntouttava", {"description": "Ryhmä"})
    r = c.get("/graphs/mini/changes?lang=fi", headers=HTML)
    assert r.status_code == 200
    page = unescape(r.text)
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert "<th scope=\"col\">muutos</th>" in head and "toimi" not in head
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", page, re.S)
                      .group(1), re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    service, segment, need = text
    # only what changed, by the column's name in Finnish; references by their names
    assert "Kuvaus: – " in service and "Kuvaus: Ryhmä" in service, service
    assert "Kuntouttava työtoiminta" in service and "Kapasiteetti" not in service
    assert "Asiakasryhmän tarpeet: Työkyky Asiakasryhmän tarpeet: Työkyky; Velat ja talous" \
        in segment, segment
    assert "Koko" not in segment and "tyokyky" not in segment.replace("Työkyky", "")
    assert "Tarpeet, joihin palvelu vastaa" not in page
    assert "Nimi: Velat ja talous" in need and "Työkyvyn osa-alue" in need, need


def test_the_graph_page_names_subjects_and_buttons_by_name(tmp_path) -> None:
    from helpers import EXAMPLE
    from polku.server.auth import parse_tokens

    c = TestClient(create_app([EXAMPLE], parse_tokens("anna:anna-token-0123456789")))
    page = c.get("/graphs/keski-uusimaa?lang=fi").text
    table = re.search(r'<table id="findings-table".*?</table>', page, re.S).group(0)
    subjects = re.findall(r'<td><a href="[^"]*" title="([^"]*)" aria-label="([^"]*)">([^<]*)</a>',
                          table)
    assert subjects
    g = load_graph(EXAMPLE)
    for ident, label, text in subjects:
        if g.nodes.get(ident, {}).get("name"):
            assert unescape(text) == g.nodes[ident]["name"], (ident, text)
        assert unescape(label).startswith(unescape(text) + ":")
    shown = {unescape(t) for _, _, t in subjects}
    assert any(t.startswith("ohjaus ") and " → " in t for t in shown)  # a referral by its ends
    # the buttons are named by the finding, not its key (a screen reader reads them)
    labels = [unescape(x) for x in re.findall(r'class="(?:follow-up|suggest)" data-key="[^"]*" '
                                              r'aria-label="([^"]*)"', table)]
    assert labels and not any(re.search(r"[a-z-]+:[a-z0-9-]+", x) for x in labels), labels[:4]


def test_show_names_the_graph_by_its_title_and_entries_by_name() -> None:
    from helpers import EXAMPLE, run

    r = run("show", EXAMPLE, "--lang", "fi")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Keski-Uudenmaan työhön osallistumisen ekosysteemi")
    assert "aloittaa palvelusta Aikuissosiaalityö, Terveysaseman vastaanotto" in r.stdout
    assert "aikuissosiaalityo" not in r.stdout
    # clients a month are whole clients (the sum of the estimates is 2 649,5)
    assert re.search(r"henkilöä asiakasryhmissä, \d[\d\s]*? ohjausta kuukaudessa\n", r.stdout)


def test_wording_of_the_report_paths_and_a_hidden_inflow() -> None:
    from helpers import EXAMPLE
    from polku.present.messages import over_capacity, single_point_of_failure

    c = TestClient(create_app([EXAMPLE]))
    report = unescape(c.get("/graphs/keski-uusimaa/report?lang=fi").text)
    assert "<th>selitys</th>" in report and "<th>tarkoittaa</th>" not in report  # glossary
    paths = unescape(c.get("/graphs/keski-uusimaa/paths?segment=seg-nuoret&lang=fi").text)
    assert "avaimet samat" not in paths and "tunnusten järjestys" not in paths
    fi, sv = translator("fi"), translator("sv")
    # a suppressed inflow: the sentence reads whole without the figure
    said = over_capacity(fi, "Työkokeilu", None, 5)
    assert "–" not in said and "pieniin lukuihin" in said and "kapasiteetti 5" in said
    assert over_capacity(fi, "Työkokeilu", 12, 5) == \
        "Työkokeilu: tulee 12 asiakasta kuukaudessa, kun kapasiteetti on 5"
    # the service's name stands apart from the count
    assert single_point_of_failure(fi, "Monialainen työkyvyn arviointi", 1, "Nuoret") == (
        "1 asiakasryhmä ei pääse mihinkään tulokseen ilman palvelua "
        "”Monialainen työkyvyn arviointi”: Nuoret")
    assert "utan tjänsten ”M”" in single_point_of_failure(sv, "M", 2, "A, B")


@pytest.mark.parametrize("args, line", [
    (["findings", "--format", "xml"],
     "virhe: --format: tuntematon muoto 'xml' (käytä jotakin näistä: table, json, markdown)"),
    (["findings", "--fail-on", "info"],
     "virhe: --fail-on: tuntematon vakavuus 'info' (käytä error tai warning)"),
    (["findings", "--long-wait-days", "-1"],
     "virhe: --long-wait-days: pitkän odotuksen raja (päivää): arvon pitää olla luku"),
    (["paths", "--segment", "nuoret", "--to", "nope"],
     "virhe: --to: 'nope' ei ole tämän aineiston tulos"),
])
def test_the_command_line_names_its_option_and_words_the_rest_in_finnish(args, line) -> None:
    from helpers import run

    r = run(args[0], MINI, *args[1:], "--lang", "fi")
    assert r.exit_code == 1 and r.stderr.startswith(line), r.stderr


@pytest.mark.parametrize("method, url, body, finnish", [
    ("get", "/api/graphs/nowhere", None, "aineistoa 'nowhere' ei ole"),
    ("get", "/api/nosuch", None, "sivua tai reittiä ei ole"),
    ("get", "/api/graphs/mini/findings?severity=nope", None, "severity: 'nope'"),
    ("get", "/api/graphs/mini/paths?segment=nope", None, "tuntematon asiakasryhmä 'nope'"),
    # a route that reads without a credential: a write on this read-only server is told
    # its 403 before its body's size (the 413 of a write: test_write_messages.py)
    ("post", "/api/graphs/mini/ptv/compare", b"x" * (17 << 20), "tavua"),
])
def test_a_json_error_without_a_language_is_in_the_apis_default_finnish(
        client: TestClient, method: str, url: str, body: bytes | None, finnish: str) -> None:
    """The API words its errors as it words its findings: ``?lang=``, else the request's
    ``Accept-Language``, else Finnish (never English for want of a language)."""
    sent = {"content": body, "headers": {"Content-Type": "application/json"}} if body else {}
    r = getattr(client, method)(url, **sent)
    assert r.status_code >= 400 and finnish in r.json()["error"]["message"], r.text
    join = "&" if "?" in url else "?"
    english = getattr(client, method)(f"{url}{join}lang=en", **sent).json()["error"]["message"]
    assert english != r.json()["error"]["message"]
    headers = {**sent.get("headers", {}), "Accept-Language": "en-GB,en;q=0.8"}
    said = getattr(client, method)(url, **{**sent, "headers": headers}).json()["error"]
    assert said["message"] == english
    swedish = getattr(client, method)(url, **{**sent, "headers": {
        **headers, "Accept-Language": "sv"}}).json()["error"]["message"]
    assert swedish not in (english, r.json()["error"]["message"])


@pytest.mark.parametrize("lang, names, heading", [
    ("fi", ["Ekosysteemi (ecosystem)", "Asiakasryhmä (segment:ID)", "Vastuut (responsibility)"],
     "Tämän aineiston näkymät"),
    ("sv", ["Ekosystemet (ecosystem)", "Kundgrupp (segment:ID)"], "Ekosystemets vyer"),
    ("en", ["Ecosystem (ecosystem)", "Client segment (segment:ID)"], "The views of this graph"),
])
def test_an_unknown_view_lists_the_graphs_views_by_name(client: TestClient, lang: str,
                                                       names: list[str], heading: str) -> None:
    """The error page of a view that is not one of the graph's names each view in the
    reader's language beside its code, and links to the graph's views by name (the code is
    the link's parameter); the table page links to the tables."""
    from polku.present.i18n import translator

    tr = translator(lang)
    for page in ("view", "table"):
        r = client.get(f"/graphs/mini/{page}?view=nosuch&lang={lang}", headers=HTML)
        text = unescape(r.text)
        assert r.status_code == 400 and f"<h2 id=\"choices\">{heading}</h2>" in text
        for name in names:
            assert name in text, (name, text)
        assert "one of ecosystem, segment:ID" not in text
        links = dict(re.findall(r'<li><a href="([^"]+)">(.+?)</a></li>', text))
        assert links[f"/graphs/mini/{page}?view=ecosystem&lang={lang}"] == tr("Ecosystem")
        # the segment has only its Finnish name: marked so on a Swedish or English page
        # (the space before it inside its element)
        nuoret = ": Nuoret" if lang == "fi" else ':<span lang="fi"> Nuoret</span>'
        assert links[f"/graphs/mini/{page}?view=segment%3Anuoret&lang={lang}"] == \
            f"{tr('Client segment')}{nuoret}"
        assert all(v.split(": ")[-1] not in ("nuoret", "p1") for v in links.values())
    # a view that needs an id and has none lists them too; JSON answers keep the one shape
    r = client.get(f"/graphs/mini/view?view=segment&lang={lang}", headers=HTML)
    assert r.status_code == 400 and heading in unescape(r.text)
    assert set(client.get("/graphs/mini/view?view=nosuch").json()["error"]) == \
        {"code", "message", "field"}


def test_the_cli_names_the_views_in_its_language(tmp_path) -> None:
    from helpers import run

    r = run("render", MINI, "-o", tmp_path / "x.html", "--view", "nosuch", "--lang", "fi")
    assert r.exit_code == 1
    assert "Ekosysteemi (ecosystem)" in r.output and "Aikajana (timeline)" in r.output
