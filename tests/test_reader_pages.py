"""What a Swedish-speaking (and a Finnish-speaking) reader of the pages found: names listed in
the order of the reader's alphabet (å, ä, ö after z, case aside) in every list of names
people choose from; the graph page's kind filter in the words of the table it filters; the
change log's dates and times as the reader writes them; the what-if page answering for the
whole graph until a client segment is chosen, as ``polku whatif`` and the API do; and
betweenness with one number of decimals on every door. Through the real app and CLI over a
copy of the example region whose names were made to need the alphabet."""

from __future__ import annotations

import csv
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, run
from polku.app import create_app
from polku.server.auth import parse_tokens

NAME = "keski-uusimaa"
GRAPH = f"/graphs/{NAME}"
TOKEN = "anna-token-0123456789"

#: names that only the reader's alphabet orders right: Å before Ä (code points and
#: casefold put Ä first), a lower-case name among capitalised ones (code points put it after Z)
RENAMED = {
    "actors.csv": {
        "keusote": {"name": "Ähtärin hyvinvointialue", "name_sv": "Ängsö välfärdsområde"},
        "seurakunnat": {"name": "Åbolandin seurakunnat", "name_sv": "Åbo församlingar"},
        "tyoterveyshuolto": {"name": "työterveyshuolto", "name_sv": "företagshälsovården"},
    },
    "segments.csv": {
        "seg-nuoret": {"name": "Åbolandin nuoret", "name_sv": "Åldersgruppen unga"},
        "seg-elakepolku": {"name": "Äänekosken eläkeselvitettävät",
                           "name_sv": "Äldre vars pension utreds"},
        "seg-terveys": {"name": "henkilöt, joiden terveys on selvittämättä",
                        "name_sv": "arbetsförmåga outredd"},
    },
    "services.csv": {
        "tyokokeilu": {"name": "Äänekosken työkokeilu", "name_sv": "Ängens arbetsprövning"},
        "palkkatuki": {"name": "Åbolandin palkkatuki", "name_sv": "Åtgärdslönesubvention"},
        "tyovoimakoulutus": {"name": "työvoimakoulutus", "name_sv": "arbetskraftsutbildning"},
    },
}


def reader_order(text: str) -> list[int]:
    """The order of the Finnish and the Swedish alphabet, said independently of polku: case
    aside, å, ä and ö (in that order) after z."""
    return [ord("z") + 1 + "åäö".index(c) if c in "åäö" else ord(c) for c in text.casefold()]


def in_reader_order(names: list[str]) -> bool:
    return names == sorted(names, key=reader_order)


def texts(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def options(page: str, select: str) -> list[tuple[str, str]]:
    """(value, text) of each option of the select whose opening tag has ``select``."""
    body = page.split(select, 1)[1].split("</select>", 1)[0]
    return [(v, texts(t)) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>',
                                                 body, re.S)]


def rename(folder: Path) -> None:
    for sheet, rows in RENAMED.items():
        path = folder / sheet
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields, table = reader.fieldnames, list(reader)
        for row in table:
            row.update(rows.get(row["id"], {}))
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, fieldnames=fields)
            out.writeheader()
            out.writerows(table)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / NAME)
    rename(folder / NAME)
    return folder


@pytest.fixture(scope="module")
def client(served: Path) -> TestClient:
    return TestClient(create_app([served]), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def example() -> TestClient:
    return TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)


# -- 1. the reader's alphabet -----------------------------------------------------------------

@pytest.mark.parametrize("lang, expected", [
    ("sv", ["företagshälsovården", "Mellersta Nylands sysselsättningsområde",
            "Åbo församlingar", "Ängsö välfärdsområde"]),
    ("fi", ["Keski-Uudenmaan työllisyysalue", "työterveyshuolto", "Åbolandin seurakunnat",
            "Ähtärin hyvinvointialue"]),
])
def test_the_graph_pages_organisation_filter_is_in_the_readers_alphabet(
        client, lang, expected) -> None:
    page = client.get(GRAPH, params={"lang": lang}).text
    names = [t for v, t in options(page, 'data-facet="organisation"') if v]
    assert names == expected
    segments = [t for v, t in options(page, 'data-facet="segment"') if v]
    assert in_reader_order(segments) and len(segments) > 3, segments


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_every_client_segment_picker_is_by_name_in_the_readers_alphabet(client, lang) -> None:
    """The views' and the path explorer's client-segment pickers were in id order, the
    what-if page's too; the graph page's filter by name: all by name now."""
    pages = {
        "ecosystem": (client.get(f"{GRAPH}/view", params={"view": "ecosystem", "lang": lang}),
                      'class="pv-segment"'),
        "responsibility": (client.get(f"{GRAPH}/view", params={"view": "responsibility",
                                                              "lang": lang}),
                           'class="pv-segment"'),
        "paths": (client.get(f"{GRAPH}/paths", params={"lang": lang}), '<select id="segment"'),
        "whatif": (client.get(f"{GRAPH}/whatif", params={"lang": lang}),
                   '<select id="segment"'),
    }
    for where, (r, select) in pages.items():
        assert r.status_code == 200, (where, r.text[:300])
        names = [t for v, t in options(r.text, select) if v]
        assert len(names) == 8 and in_reader_order(names), (where, names)
        assert names.index({"sv": "Åldersgruppen unga", "fi": "Åbolandin nuoret"}[lang]) \
            == names.index({"sv": "Äldre vars pension utreds",
                            "fi": "Äänekosken eläkeselvitettävät"}[lang]) - 1, where


def test_the_what_if_pages_service_lists_and_table_are_in_the_readers_alphabet(client) -> None:
    r = client.get(f"{GRAPH}/whatif", params={"segment": "seg-nuoret", "lang": "sv"})
    assert r.status_code == 200
    for select in ('<select id="service"', '<select id="remove"'):
        names = [t for v, t in options(r.text, select) if v]
        assert in_reader_order(names), names
        assert names.index("Åtgärdslönesubvention") < names.index("Ängens arbetsprövning")
        assert "arbetskraftsutbildning" in names
    # what the page's script lists a segment's services from: in the same order
    data = json.loads(re.search(r'<script type="application/json" id="polku-whatif">(.*?)'
                                r"</script>", r.text, re.S).group(1))
    assert in_reader_order([n[1] for n in data["names"]])
    # the table of the services a change affects
    r = client.get(f"{GRAPH}/whatif", params={"segment": "seg-nuoret", "lang": "sv",
                                              "service": "alkuhaastattelu",
                                              "demand": "+20%"})
    assert r.status_code == 200, r.text[:500]
    table = r.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [texts(t) for t in re.findall(r'<th scope="row">(.*?)</th>', table, re.S)]
    assert len(rows) > 3 and in_reader_order(rows), rows


def test_the_change_logs_organisation_picker_and_the_forms_choices_are_in_the_readers_alphabet(
        client, served) -> None:
    page = client.get(f"{GRAPH}/changes", params={"lang": "sv"}).text
    names = [t for v, t in options(page, '<select id="actor"') if v]
    # the organisations that answer for a finding (as the graph page's filter offers), the
    # ones named with å, ä and ö among them
    assert len(names) >= 4 and in_reader_order(names), names
    assert {"Åbo församlingar", "Ängsö välfärdsområde"} <= set(names), names
    # the edit forms' name pickers (a server that takes writes offers them)
    writable = TestClient(create_app([served], parse_tokens(f"anna:{TOKEN}")),
                          raise_server_exceptions=False)
    graph = writable.get(GRAPH, params={"lang": "sv"}).text
    choices = json.loads(re.search(r'<script type="application/json" id="polku-choices">(.*?)'
                                   r"</script>", graph, re.S).group(1))
    actors = [c[1] for c in choices["actor"]]
    assert len(actors) > 20 and in_reader_order(actors), actors


# -- 2. the kind filter says the kinds as the table does ----------------------------------------

@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_the_kind_filter_names_kinds_as_the_table_does(example, lang) -> None:
    page = example.get(GRAPH, params={"lang": lang}).text
    # the table: each row's kind (the code on the row) and its name in the cell
    table = dict(re.findall(r'<span class="kind" title="([^"]+)">([^<]+)</span>', page))
    body = page.split('data-facet="kind"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]+)"([^>]*)>([^<]+)</option>', body)
    assert {v for v, _, _ in offered} == set(table)
    for value, attrs, text in offered:
        assert unescape(text) == unescape(table[value]), (value, text)
        assert "(" + value + ")" not in text
        # what the kind means, on hover (the table writes it beneath the name)
        meaning = re.search(r'title="([^"]+)"', attrs)
        assert meaning and meaning.group(1) not in ("", value), (value, attrs)
    names = [unescape(t) for _, _, t in offered]
    assert in_reader_order(names), names
    if lang == "sv":
        assert "lång väntetid" in names
        assert not any("medianväntetiden" in name for name in names)


# -- 3. the change log's dates ------------------------------------------------------------------

def test_the_change_log_writes_dates_and_times_as_the_reader_does(tmp_path, monkeypatch) -> None:
    from datetime import datetime, timezone

    from polku import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 5, 16, 4, 49,
                                                       tzinfo=timezone.utc))
    (tmp_path / "g").mkdir()
    shutil.copytree(EXAMPLE, tmp_path / "g" / NAME)
    client = TestClient(create_app([tmp_path / "g"], parse_tokens(f"anna:{TOKEN}")),
                        raise_server_exceptions=False)
    writer = {"Authorization": f"Bearer {TOKEN}"}

    def write(method: str, path: str, body: dict) -> None:
        etag = client.get(f"/api/graphs/{NAME}").headers["etag"]
        r = client.request(method, f"/api/graphs/{NAME}{path}", json=body,
                           headers={**writer, "If-Match": etag})
        assert r.status_code in (200, 201), r.text

    key = "long-wait:ref-diakonia-velkaneuvonta"
    write("POST", "/rows/followups", {"finding": key, "status": "pågår",
                                      "owner": "seurakunnat", "due": "2026-03-31"})
    write("PATCH", f"/rows/followups/{key}", {"due": "31.1.2027"})
    for lang, due, updated in (("sv-FI", "Senast", "Uppdaterad"),
                               ("fi", "Määräaika", "Päivitetty")):
        for headers in ({}, writer):
            page = client.get(f"{GRAPH}/changes", headers={"Accept-Language": lang, **headers})
            assert page.status_code == 200
            log = texts(page.text.split('<table id="changelog"', 1)[1].split("<tbody>", 1)[1]
                        .split("</tbody>", 1)[0])
            assert "2026-03-31" not in log and "T16:04:49Z" not in log, log
            assert f"{due}: 31.3.2026" in log and f"{due}: 31.1.2027" in log, log
            word = "kl." if lang == "sv-FI" else "klo"
            # Helsinki time, as the time column
            assert f"{updated}: 5.12.2026 {word} 18.04" in log, log


def test_a_cell_of_a_date_a_month_or_a_moment_is_written_as_the_reader_writes_it() -> None:
    from polku.present.cells import cell_shown
    from polku.present.i18n import translator

    sv, en = translator("sv"), translator("en")
    assert cell_shown("followups", "due", "2026-03-31", None, sv)[1] == "31.3.2026"
    assert cell_shown("followups", "due", "2026-03-31", None, en)[1] == "31 Mar 2026"
    # as typed where it is not a date (the workbook's reader says what is wrong)
    assert cell_shown("followups", "due", "31.3.2026", None, sv)[1] == "31.3.2026"
    assert cell_shown("followups", "due", "ensi kuussa", None, sv)[1] == "ensi kuussa"
    assert cell_shown("followups", "updated", "2026-12-05T16:04:49Z", None, sv)[1] \
        == "5.12.2026 kl. 18.04"
    assert cell_shown("measures", "start", "2027-01", None, sv)[1] == "1/2027"


# -- 4. the what-if page chooses no client segment for the reader -----------------------------

def test_the_what_if_page_answers_for_the_whole_graph_until_a_segment_is_chosen(example) -> None:
    api = example.get(f"/api/graphs/{NAME}/whatif", params={"remove": "ips", "lang": "sv"})
    assert api.status_code == 200
    r = example.get(f"{GRAPH}/whatif", params={"remove": "ips"},
                    headers={"Accept-Language": "sv-FI"})
    assert r.status_code == 200, re.findall(r'role="alert"[^>]*>(.*?)</p>', r.text)
    assert 'role="alert"' not in r.text
    created = re.findall(r'<li data-kind="([^"]+)" data-subject="([^"]+)"',
                         r.text.split('id="removal"', 1)[1])
    expected = {(f["kind"], f["subject"]) for part in ("created", "resolved", "removed_with")
                for f in api.json()[part]}
    assert set(created) == expected and expected
    # the picker offers the whole graph first, chosen; the lists hold every service
    segments = options(r.text, '<select id="segment"')
    assert segments[0] == ("", "Alla kundgrupper") and len(segments) == 9
    assert re.search(r'<select id="segment"[^>]*><option value="" selected', r.text)
    assert "ips" in dict(options(r.text, '<select id="remove"'))
    assert "ips" in dict(options(r.text, '<select id="service"'))
    # a queue change likewise, as the API answers it without a segment
    r = example.get(f"{GRAPH}/whatif", params={"service": "ips", "capacity": "30", "lang": "sv"})
    assert r.status_code == 200 and 'data-service="ips"' in r.text
    # a segment chosen restricts, as before
    r = example.get(f"{GRAPH}/whatif", params={"segment": "seg-nuoret", "remove": "ips",
                                               "lang": "sv"})
    assert r.status_code == 400


# -- 6. betweenness: one number of decimals on every door -------------------------------------

def test_betweenness_reads_alike_on_the_command_line_the_page_and_the_report(
        example, tmp_path) -> None:
    cli = run("bottlenecks", EXAMPLE, "--lang", "sv")
    assert cli.exit_code == 0, cli.output
    first = next(line for line in cli.stdout.splitlines() if re.match(r"\s*1\s", line))
    said = first.split()[1]
    page = example.get(f"{GRAPH}/bottlenecks", params={"lang": "sv"}).text
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    on_page = texts(re.findall(r"<td>(.*?)</td>", row, re.S)[2])  # #, service, betweenness
    out = tmp_path / "r.md"
    assert run("report", EXAMPLE, "--lang", "sv", "-o", out, "-q").exit_code == 0
    ranked = next(x for x in out.read_text(encoding="utf-8").splitlines()
                  if x.startswith("| 1 |") and x.count("|") == 7)
    in_report = ranked.split("|")[3].strip()
    assert said == on_page == in_report == "0,120", (said, on_page, in_report)
