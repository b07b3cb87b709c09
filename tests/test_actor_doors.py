"""One question, one answer at every door: an organisation's findings (its units' included),
each finding's key where people copy it from, and an unknown id answered with the id it
was likely meant to be.

- ``--actor`` / ``?actor=`` is one rule (:func:`polku.analyses.accountable.for_actor`): the
  CLI's findings and actions, the API's findings, actions and review, the report's action
  list and the graph page's organisation filter give Keusote the same findings, those of
  its units (``parent`` in the actors sheet, ``org:subOrganizationOf``) included;
- the findings table, markdown and the graph page show each finding's key;
- an unknown segment, service, actor, view or finding key is refused with "did you mean",
  in the reader's language, and the API says it as data beside ``field``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from fastapi.testclient import TestClient

from helpers import ARTIFACTS, EXAMPLE, EXAMPLE_TTL, PLAN, run
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"


def units_of(parent: str) -> set[str]:
    """The actors whose ``parent`` is ``parent``, read from the workbook itself."""
    with open(EXAMPLE / "actors.csv", encoding="utf-8") as f:
        return {r["id"] for r in csv.DictReader(f) if r["parent"] == parent}


def keys(findings: list[dict]) -> set[str]:
    return {f["key"] for f in findings}


def findings_json(*args: object) -> dict:
    r = run("findings", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_keusote_answers_for_its_units_at_every_door() -> None:
    units = units_of("keusote")
    assert len(units) == 4  # the work-ability team, the health stations, …
    every = findings_json(EXAMPLE)["findings"]
    expected = {f["key"] for f in every if (units | {"keusote"}) & set(f["accountable"])}
    assert len(expected) == 14
    own = {f["key"] for f in every if "keusote" in f["accountable"]}
    assert own < expected and len(own) == 4  # what --actor gave before: its own only

    cli = findings_json(EXAMPLE, "--actor", "keusote")["findings"]
    assert keys(cli) == expected
    assert keys(findings_json(EXAMPLE_TTL, "--actor", "keusote")["findings"]) == expected
    table = run("findings", EXAMPLE, "--actor", "keusote", "--lang", "en").stdout
    assert table.splitlines()[0].endswith(": 14 findings")
    actions = json.loads(run("actions", EXAMPLE, "--actor", "keusote", "--format",
                             "json").stdout)["actions"]
    assert keys(actions) == expected and {a["actor"] for a in actions} == {"keusote"}

    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    api = client.get("/api/graphs/keski-uusimaa/findings", params={"actor": "keusote"})
    assert api.status_code == 200 and keys(api.json()["findings"]) == expected
    api = client.get("/api/graphs/keski-uusimaa/actions",
                     params={"actor": "keusote", "format": "json"})
    assert api.status_code == 200 and keys(api.json()["actions"]) == expected
    # the page's filter (Organisaatio = Keusote) shows the rows whose organisations name it
    page = client.get("/graphs/keski-uusimaa").text
    rows = re.findall(r'<tr data-key="([^"]+)"[^>]*data-orgs="([^"]*)"', page)
    assert len(rows) == len(every)
    assert {k for k, orgs in rows if "keusote" in orgs.split()} == expected
    # the filter offers the organisation, not its units
    menu = re.search(r'data-facet="organisation".*?</select>', page, re.S).group(0)
    assert 'value="keusote"' in menu and not any(f'value="{u}"' in menu for u in units)

    # the report's action list (the file it downloads holds every row): Keusote's rows
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "actor-doors-report.html"
    assert run("report", EXAMPLE, "-o", report, "-q").exit_code == 0
    href = re.search(r'download="keski-uusimaa-actions.csv" href="data:text/csv;charset=utf-8,'
                     r'([^"]+)"', report.read_text(encoding="utf-8")).group(1)
    table_rows = list(csv.DictReader(io.StringIO(
        unquote(html.unescape(href)).lstrip("\ufeff"))))
    ids = {r["organisaation tunnus"] for r in table_rows}
    assert "keusote" in ids and not ids & units  # grouped by organisation
    assert {r["havainnon tunnus"] for r in table_rows
            if r["organisaation tunnus"] == "keusote"} == expected


def test_a_unit_answers_for_its_own_and_a_hosted_organisation_stays_its_own() -> None:
    every = findings_json(EXAMPLE)["findings"]
    mine = keys(findings_json(EXAMPLE, "--actor", "keusote-mielenterveys")["findings"])
    assert mine == {f["key"] for f in every if "keusote-mielenterveys" in f["accountable"]}
    assert mine and "referral-without-owner:ref-ktt-tyokokeilu" not in mine  # Keusote's own
    # the employment area is hosted by Järvenpää (its parent) but is another kind of
    # organisation: the city does not answer for the area's findings
    area = keys(findings_json(EXAMPLE, "--actor", "tyollisyysalue")["findings"])
    city = keys(findings_json(EXAMPLE, "--actor", "jarvenpaa")["findings"])
    assert area and not area & city


def test_the_review_since_a_version_takes_the_units_too(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    client = TestClient(create_app([folder], parse_tokens(f"anna:{TOKEN}")),
                        raise_server_exceptions=False)
    etag = client.get("/api/graphs/keski-uusimaa").headers["etag"]
    # the health stations (a unit of Keusote) own this referral
    r = client.patch("/api/graphs/keski-uusimaa/rows/referrals/ref-terveysasema-mielenterveys",
                     json={"information_flow": "no"},
                     headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag})
    assert r.status_code == 200, r.text
    created = "no-information-flow:ref-terveysasema-mielenterveys"
    for actor, found in (("keusote", True), ("keusote-terveysasemat", True), ("kela", False)):
        r = run("findings", folder / "keski-uusimaa", "--since", "0", "--actor", actor,
                "--format", "json")
        assert r.exit_code == 0, r.output
        assert (created in keys(json.loads(r.stdout)["created"])) is found
        api = client.get("/api/graphs/keski-uusimaa/review",
                         params={"since": "0", "actor": actor})
        assert api.status_code == 200 and (created in keys(api.json()["created"])) is found


# -- the keys, where people copy them from --------------------------------------------------

def test_the_table_markdown_and_page_show_each_findings_key() -> None:
    every = findings_json(EXAMPLE)["findings"]
    table = run("findings", EXAMPLE).stdout.splitlines()
    shown = [line.split("tunnus: ", 1)[1] for line in table if line.startswith(" " * 10 + "tunnus: ")]
    assert shown == [f["key"] for f in every]
    # a key line fits 100 columns (the longest key of the example region is a broken path's)
    assert max(len(line) for line in table if "tunnus: " in line) <= 100
    sv = run("findings", EXAMPLE, "--lang", "sv").stdout
    assert "nyckel: long-wait:ref-diakonia-velkaneuvonta" in sv

    md = run("findings", EXAMPLE, "--format", "markdown", "--lang", "en").stdout.splitlines()
    header = next(line for line in md if line.startswith("| severity | kind | subject"))
    assert header.endswith("| message | who must act | plan measures | finding key |")
    rows = [line for line in md if line.startswith("| ") and "`" in line.rsplit("|", 2)[1]]
    assert [line.rsplit("|", 2)[1].strip().strip("`") for line in rows] == \
        [f["key"] for f in every]

    page = TestClient(create_app([EXAMPLE])).get("/graphs/keski-uusimaa?lang=en").text
    for f in every:
        assert f'finding key: <code>{html.escape(f["key"])}</code>' in page


def test_the_table_and_markdown_say_who_must_act_and_the_plan_measures_by_name() -> None:
    """`polku findings --help` and the README promise every finding with whose move it is and
    the plan measures on it: the table and the markdown say them too (not only the JSON's
    ``accountable`` and ``measures``), organisations by their names in the reader's language
    and measures by number and title, never by id; on the example (no plan layer) once that
    no plan measure addresses any finding, and on the plan under the findings that have
    them."""
    from polku.io.load import load_graph
    from polku.present.i18n import translator
    from polku.present.views.plan import measure_number

    for source, lang in ((EXAMPLE_TTL, "en"), (PLAN, "en"), (EXAMPLE_TTL, "sv")):
        tr, g = translator(lang), load_graph(source)
        every = json.loads(run("findings", source, "--format", "json", "--lang", lang)
                           .stdout)["findings"]
        assert any(f["accountable"] for f in every)
        who = [("; ".join(tr.label(g, a) for a in f["accountable"]) or tr("nobody yet"))
               for f in every]
        table = run("findings", source, "--lang", lang).stdout.splitlines()
        said = tr("who must act: {actors}").format(actors="")
        under = [i for i, line in enumerate(table)
                 if line.startswith(" ") and line.lstrip().startswith(said)]
        assert [table[i].split(said, 1)[1] for i in under] == who
        measures = tr("plan measures: {measures}").format(measures="")
        plans = [table[i + 1].split(measures, 1)[1] if measures in table[i + 1] else ""
                 for i in under]
        for f, line in zip(every, plans):
            assert [m.split(" ", 1)[0] for m in line.split("; ") if m] == \
                [measure_number(m) for m in f["measures"]]
        if source == PLAN:
            assert any(plans) and not all(plans)
            assert "1.1 Tilannekuva 1: Kootaan ja kuvataan ekosyste…" in plans
        else:
            assert not any(plans) and any(not f["accountable"] for f in every)
            assert tr("No plan measure addresses any of these findings.") in table
        md = run("findings", source, "--format", "markdown", "--lang", lang).stdout
        rows = [line.rsplit(" | ", 3) for line in md.splitlines()
                if line.startswith("| ") and line.endswith("` |")]
        assert [r[1] for r in rows] == who
        assert [r[2] for r in rows] == ["; ".join(p.split("; ")) or "–" for p in plans]
        assert not re.search(r"\b(keusote|tyollisyysalue|ttl|measure-\d-\d)\b",
                             " ".join(r[1] + r[2] for r in rows))


def test_a_key_copied_from_the_table_is_what_suggest_takes() -> None:
    table = run("findings", EXAMPLE, "--lang", "en").stdout.splitlines()
    key = next(line.split("key: ", 1)[1] for line in table
               if line.strip().startswith("key: referral-without-owner:"))
    r = run("suggest", EXAMPLE, "--finding", key, "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert {s["finding"] for s in json.loads(r.stdout)["suggestions"]} == {key}


# -- did you mean ---------------------------------------------------------------------------

def test_an_unknown_id_on_the_command_line_is_told_the_one_likely_meant() -> None:
    cases = [
        (["whatif", EXAMPLE, "--capacity", "ipss=10"], "fi",
         "--capacity: 'ipss' ei ole aineistossa; tarkoititko 'ips'?"),
        (["findings", EXAMPLE, "--actor", "kelaa"], "sv", "; menade du 'kela'?"),
        (["actions", EXAMPLE, "--actor", "KEUSOTE"], "en", "; did you mean 'keusote'?"),
        (["render", EXAMPLE, "-o", "x.html", "--view", "segment:seg-nuort"], "en",
         "; did you mean 'seg-nuoret'?"),
        (["render", EXAMPLE, "-o", "x.html", "--view", "ekosystem"], "fi",
         "; tarkoititko 'ecosystem'?"),
        (["paths", EXAMPLE, "--segment", "seg-nuoret", "--to", "tulos-koulutu"], "en",
         "; did you mean 'tulos-koulutus'?"),
        (["whatif", EXAMPLE, "--remove", "keusote-mielenterveydet"], "fi",
         "; tarkoititko 'keusote-mielenterveys'?"),
        (["suggest", EXAMPLE, "--finding", "long-wait:ref-diakonia-velkaneuvont"], "fi",
         "; tarkoititko 'long-wait:ref-diakonia-velkaneuvonta'?"),
    ]
    for args, lang, said in cases:
        r = run(*args, "--lang", lang)
        assert r.exit_code == 1 and said in r.stderr, (args, r.output)
    # nothing close: no guess
    r = run("findings", EXAMPLE, "--actor", "zzz", "--lang", "en")
    assert r.exit_code == 1 and "unknown actor 'zzz'" in r.stderr
    assert "did you mean" not in r.stderr


def test_the_api_says_the_id_likely_meant_beside_the_field() -> None:
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    base = "/api/graphs/keski-uusimaa"
    for path, params, field, close in (
            ("/findings", {"actor": "kelaa"}, "actor", "kela"),
            ("/review", {"since": "0", "actor": "kelaa"}, "actor", "kela"),
            ("/actions", {"actor": "kelaa", "format": "json"}, "actor", "kela"),
            ("/paths", {"segment": "seg-nuort"}, "segment", "seg-nuoret"),
            ("/whatif", {"capacity": "ipss=10"}, "capacity", "ips"),
            ("/suggestions", {"finding": "long-wait:ref-diakonia-velkaneuvont"}, "finding",
             "long-wait:ref-diakonia-velkaneuvonta")):
        r = client.get(base + path, params={**params, "lang": "fi"})
        error = r.json()["error"]
        assert r.status_code == 400, (path, r.text)
        assert (error["field"], error["did_you_mean"]) == (field, close)
        assert error["message"].endswith(f"; tarkoititko '{close}'?")
    r = client.get(base + "/findings", params={"actor": "zzz"})
    assert r.status_code == 400 and "did_you_mean" not in r.json()["error"]
    # the view page answers in the reader's language too
    r = client.get("/graphs/keski-uusimaa/view", params={"view": "segment:seg-nuort",
                                                        "lang": "sv"})
    assert r.status_code == 400 and "menade du 'seg-nuoret'?" in r.text
