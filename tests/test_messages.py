"""Finding messages in Finnish (the default), Swedish and English: every kind, with the
nodes' labels in the message's language; kinds, ids, metrics and order never change with
the language (the analyses give findings as data, :mod:`polku.present.messages` words them
at the edge); the commands, the report, the API and the pages pass the language on."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from ecobuild import Builder
from helpers import EXAMPLE, ROOT, run
from polku.app import create_app
from polku.analyses.eventlog import event_log_stats
from polku.io.eventlog import read_event_log
from polku.analyses.findings import KINDS, find
from polku.present.i18n import translator
from polku.present.messages import WRITERS, worded
from polku.present.results import eventlog_worded
from polku.kinds import KIND_CATALOGUE, severities
from polku.present.printers import findings_markdown, findings_table
from polku.analyses.raci import raci
from polku.present.raci_output import raci_html, raci_table, raci_worded
from polku.io.workbook import write_workbook

LANGS = ("fi", "sv", "en")
#: Words of the English templates; a Finnish or Swedish message must contain none of them.
ENGLISH = re.compile(r"\b(has|have|the|The|no|No|and|leads?|referral|reach(es|able)?|"
                     r"Nobody|Without|For|services|segments?|clients?|waits|limit|step|"
                     r"Designed|measures?|indicator|risk|mitigation|hands|over|between)\b")


def labelled(b: Builder) -> Builder:
    """Every named node gets a Swedish and an English label (``name_sv``, ``name_en``)."""
    for n, data in b.g.nodes(data=True):
        if data.get("name"):
            data["name_sv"] = f"SV·{data['name']}"
            data["name_en"] = f"EN·{data['name']}"
    return b


def every_kind() -> Builder:
    """One graph on which every ecosystem and plan kind fires at least once."""
    b = Builder("kaikki").chain()
    b.actor("y").actor("z")
    b.service("b", providers=["x", "y"], capacity=1)         # no-lead, over-capacity
    b.service("c")                                          # service-without-provider
    b.service("island", providers=["x"])                    # unreachable-service
    b.service("stuck", providers=["x"], entry=True)         # dead-end
    b.service("d1", providers=["x"], needs=["debt"])
    b.service("d2", providers=["y"], needs=["debt"])        # overlapping-services
    b.segment("seg", needs=["debt", "housing"])             # unmet-need (housing)
    b.segment("lost", entries=["stuck"])                    # segment-without-outcome
    b.referral("r-ad1", "a", "d1", owner="x")
    b.referral("r-ad2", "a", "d2", owner="x")
    b.referral("r-ab", "a", "b", volume=5, wait=90, info="no")  # owner, info, wait
    b.role("x", "seg").role("y", "seg")                     # multiple-leads
    b.role("z", "lost", "participant")                      # segment-without-lead
    b.path("p", "seg", ["a", "c"])                          # path-broken
    # the plan: no lead, several leads, deferred, no indicator, overload, open risk
    b.measure("m-none", participants=["y"])
    b.measure("m-two", leads=["x", "y"])
    b.measure("m-later", leads=["x", "y"], deferred=True)
    b.risk("riski", "m-two", mitigation="??")
    for i in range(4):
        b.measure(f"m-run{i}", leads=["z"])
        b.g.nodes[f"m-run{i}"].update(start="2026-01", end="2026-03")
    return labelled(b)


@pytest.fixture(scope="module")
def found() -> dict[str, list]:
    g = every_kind().g
    found = find(g)
    return {lang: worded(found, g, translator(lang)) for lang in LANGS}


def test_the_analysis_writes_no_sentence_and_every_kind_has_a_writer():
    g = every_kind().g
    assert {f.message for f in find(g)} == {""}
    assert set(WRITERS) == set(KIND_CATALOGUE)


def test_every_kind_fires_and_only_the_message_changes_with_the_language(found):
    fi, sv, en = found["fi"], found["sv"], found["en"]
    plan_kinds = set(severities("plan"))
    assert {f.kind for f in fi} == set(KINDS) | plan_kinds
    for lang in ("sv", "en"):
        assert [(f.kind, f.severity, f.subject, f.related, dict(f.metrics), f.accountable,
                 f.measures) for f in found[lang]] == \
            [(f.kind, f.severity, f.subject, f.related, dict(f.metrics), f.accountable,
              f.measures) for f in fi]
    for a, b, c in zip(fi, sv, en):
        assert len({a.message, b.message, c.message}) == 3, (a.kind, a.message)
        assert not ENGLISH.search(a.message), ("fi", a.kind, a.message)
        assert not ENGLISH.search(b.message), ("sv", b.kind, b.message)


def test_messages_name_nodes_in_their_language(found):
    g = every_kind().g
    for lang, prefix in (("fi", ""), ("sv", "SV·"), ("en", "EN·")):
        for f in found[lang]:
            named = [n for n in (f.subject, *f.related) if n in g and g.nodes[n].get("name")]
            shown = [n for n in named if g.nodes[n]["name"] in f.message]
            assert shown, (lang, f.kind, f.message)
            for n in shown:
                assert f"{prefix}{g.nodes[n]['name']}" in f.message, (lang, f.kind, f.message)
            others = {"fi": ("SV·", "EN·"), "sv": ("EN·",), "en": ("SV·",)}[lang]
            assert not any(o in f.message for o in others), (lang, f.kind, f.message)


@pytest.mark.parametrize("kind, subject, fi, sv, en", [
    ("service-without-provider", "c", "C (c): tuottaja puuttuu", "SV·C (c): producent saknas",
     "EN·C (c) has no provider"),
    ("no-lead", "b", "B (b): 2 tuottajaa (X (x), Y (y)), mutta päävastuu puuttuu",
     "SV·B (b): 2 producenter (SV·X (x), SV·Y (y)), men huvudansvar saknas",
     "EN·B (b) has 2 providers (EN·X (x), EN·Y (y)) and no lead"),
    ("no-lead", "m-none", "”M-None”: päävastuu puuttuu; mukana: Y",
     "”SV·M-None”: huvudansvar saknas; deltagare: SV·Y",
     "“EN·M-None” has no lead; participants: EN·Y"),
    ("long-wait", "r-ab", "Ohjauksessa r-ab (A (a) → B (b)) odotetaan mediaanina 90 päivää (raja 30)",
     "Vid hänvisningen r-ab (SV·A (a) → SV·B (b)) är medianväntan 90 dagar (gräns 30)",
     "The referral r-ab from EN·A (a) to EN·B (b) waits a median of 90 days (limit 30)"),
    ("segment-without-lead", "lost",
     "Lost (lost): asiakasryhmältä puuttuu päävastuutaho (muut roolit: Z (z))",
     "SV·Lost (lost): arbetet för kundgruppen saknar huvudansvar (andra roller: SV·Z (z))",
     "Nobody leads the work for EN·Lost (lost) (other roles: EN·Z (z))"),
])
def test_a_message_in_each_language(found, kind, subject, fi, sv, en):
    for lang, text in (("fi", fi), ("sv", sv), ("en", en)):
        [f] = [f for f in found[lang] if f.kind == kind and f.subject == subject]
        assert f.message == text


def test_numbers_are_written_the_way_the_language_writes_them():
    b = labelled(Builder("n").chain())
    b.referral("r-ab", "a", "b", owner="x", info="yes", wait=1234.5)
    msgs = {lang: [f.message for f in worded(find(b.g, long_wait_days=30.25), b.g,
                                              translator(lang))
                   if f.kind == "long-wait"][0] for lang in LANGS}
    assert "1\xa0234,5" in msgs["fi"] and "30,25" in msgs["fi"]
    assert "1\xa0234,5" in msgs["sv"] and "1,234.5" in msgs["en"] and "30.25" in msgs["en"]


def test_the_unmodelled_flow_message_follows_the_language(tmp_path):
    g = labelled(Builder("log").chain()).g
    log = tmp_path / "log.csv"
    with log.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["case", "service", "start"])
        w.writerows([["k1", "a", "2025-01-01"], ["k1", "work", "2025-01-05"],
                     ["k2", "a", "2025-01-02"], ["k2", "work", "2025-01-09"]])
    events = read_event_log(log, g)
    stats = event_log_stats(g, events)
    assert [f.message for f in stats["findings"]] == [""]
    msgs = {lang: [f["message"] for f in eventlog_worded(stats, g, translator(lang))["findings"]]
            for lang in LANGS}
    assert msgs["en"] == ["EN·A (a) hands 2 clients over to EN·Work (work) in the event log, "
                          "but the graph has no referral between them"]
    assert msgs["fi"] == ["A (a) ohjaa tapahtumalokissa 2 asiakasta palveluun Work (work), "
                          "mutta aineistossa ei ole ohjausta niiden välillä"]
    assert msgs["sv"][0].startswith("SV·A (a) lämnar i händelseloggen över 2 kunder")


def test_printers_speak_the_language(found):
    fi = findings_table("g", found["fi"])
    assert fi.startswith(f"g: {len(found['fi'])} havaintoa") and "virhe" in fi
    sv = findings_markdown("g", found["sv"], translator("sv"))
    assert sv.startswith("# Iakttagelser: g") and "| allvarlighet |" in sv
    en = findings_table("g", found["en"], translator("en"))
    # "for information" is the widest severity name: the column is as wide as it
    assert "\nerror            service without a provider  " in en


def test_findings_command_in_swedish_keeps_kinds_and_ids(tmp_path):
    folder = tmp_path / "kaikki"
    write_workbook(every_kind().g, folder)
    docs = {}
    for lang in LANGS:
        r = run("findings", folder, "--format", "json", "--lang", lang)
        assert r.exit_code == 0, r.output
        docs[lang] = json.loads(r.stdout)
    # the sentence and the names (id -> name) are the reader's; the rest is the same data
    worded = ("message", "names")
    strip = [{k: v for k, v in f.items() if k not in worded} for f in docs["en"]["findings"]]
    for lang in ("fi", "sv"):
        assert [{k: v for k, v in f.items() if k not in worded}
                for f in docs[lang]["findings"]] == strip
        assert [list(f["names"]) for f in docs[lang]["findings"]] == \
            [list(f["names"]) for f in docs["en"]["findings"]]
    sv = {f["kind"]: f["message"] for f in docs["sv"]["findings"]}
    assert sv["service-without-provider"] == "SV·C (c): producent saknas"
    assert {f["kind"]: f["names"] for f in docs["sv"]["findings"]}[
        "service-without-provider"] == {"c": "SV·C"}
    # Finnish by default, POLKU_LANG too
    default = run("findings", folder, "--format", "json").stdout
    assert json.loads(default) == docs["fi"]
    env = run("findings", folder, "--format", "json", env={"POLKU_LANG": "en"}).stdout
    assert json.loads(env) == docs["en"]
    table = run("findings", folder, "--lang", "sv").stdout
    assert "iakttagelser" in table and "fel" in table
    r = run("findings", folder, "--lang", "de")
    assert r.exit_code == 1 and "käytä fi, sv tai en" in r.stderr


@pytest.mark.parametrize("args, fi, sv, en", [
    (["plan", "findings"], "päävastuu puuttuu", "huvudansvar saknas", "has no lead"),
    (["plan", "show"], "toimenpide", "åtgärd", "measure"),
    (["bottlenecks"], "Pullonkaulat", "Flaskhalsar", "Bottlenecks in"),
    (["paths", "--segment", "seg"], "Parhaat polut", "Bästa vägar", "Best paths for"),
    (["whatif", "--remove", "b"], "Entä jos", "Tänk om", "What if"),
    (["raci"], "päävastuu", "huvudansvar", "lead"),
])
def test_every_command_for_people_takes_lang(tmp_path, args, fi, sv, en):
    folder = tmp_path / "kaikki"
    write_workbook(every_kind().g, folder)
    for lang, word in (("fi", fi), ("sv", sv), ("en", en)):
        r = run(*([args[0], *args[1:2], folder, *args[2:], "--lang", lang]
                  if args[0] == "plan" else [args[0], folder, *args[1:], "--lang", lang]))
        assert r.exit_code == 0, r.output
        assert word in r.stdout, (lang, r.stdout[:400])


def test_diff_speaks_the_language(tmp_path):
    b = every_kind()
    a = tmp_path / "a"
    write_workbook(b.g, a)
    b.service("c", providers=["x"])
    c = tmp_path / "c"
    write_workbook(b.g, c)
    out = {lang: run("diff", a, c, "--lang", lang).stdout
           for lang in LANGS}
    assert "havaintoja" in out["fi"] and "ratkenneet havainnot:" in out["fi"]
    assert "C (c): tuottaja puuttuu" in out["fi"]
    assert "SV·C (c): producent saknas" in out["sv"] and "lösta iakttagelser:" in out["sv"]
    assert "findings resolved:" in out["en"] and "EN·C (c) has no provider" in out["en"]


def test_raci_words_and_page_language():
    g = every_kind().g
    sv = translator("sv")
    fs = worded(find(g), g, sv)
    m = raci_worded(raci(g, fs), g, sv)
    table = raci_table(m, sv)
    assert "H = huvudansvar" in table and "huvudansvar saknas" in table
    assert "P = päävastuu, O = osallistuja, K = kuultava, T = tiedotettava" in raci_table(
        raci(g, find(g)))
    for lang in LANGS:
        html = raci_html(raci_worded(raci(g, find(g)), g, translator(lang)), translator(lang))
        assert f'<html lang="{lang}">' in html
    en = raci_html(raci_worded(raci(g, find(g)), g, translator("en")), translator("en"))
    assert "Responsibility matrix (RACI)" in en and "no lead" in en and "päävastuu" not in en


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder / "keski-uusimaa")
    return TestClient(create_app([folder]), raise_server_exceptions=False)


def test_api_findings_take_lang(client):
    docs = {}
    for lang in LANGS:
        r = client.get(f"/api/graphs/keski-uusimaa/findings?lang={lang}")
        assert r.status_code == 200, r.text
        docs[lang] = r.json()["findings"]
    assert client.get("/api/graphs/keski-uusimaa/findings").json()["findings"] == docs["fi"]
    # without ?lang=, the request's Accept-Language (as the API's errors and X-Polku-Stale)
    assert client.get("/api/graphs/keski-uusimaa/findings", headers={
        "Accept-Language": "sv-FI,sv;q=0.9"}).json()["findings"] == docs["sv"]
    assert [(f["kind"], f["subject"]) for f in docs["sv"]] == \
        [(f["kind"], f["subject"]) for f in docs["en"]]
    assert docs["en"][0]["message"] != docs["sv"][0]["message"] != docs["fi"][0]["message"]
    r = client.get("/api/graphs/keski-uusimaa/findings?lang=xx")
    assert r.status_code == 400 and r.json()["error"]["field"] == "lang"
    # in the API's default language (Finnish), or the one Accept-Language asks
    assert "käytä fi, sv tai en" in r.json()["error"]["message"]
    r = client.get("/api/graphs/keski-uusimaa/findings?lang=xx", headers={"Accept-Language": "en"})
    assert "use fi, sv or en" in r.json()["error"]["message"]


def test_graph_page_shows_the_messages_in_its_language(client):
    en = client.get("/api/graphs/keski-uusimaa/findings?lang=en").json()["findings"]
    sv = client.get("/api/graphs/keski-uusimaa/findings?lang=sv").json()["findings"]
    import html as htmlmod
    page_sv = htmlmod.unescape(client.get("/graphs/keski-uusimaa?lang=sv").text)
    page_en = htmlmod.unescape(client.get("/graphs/keski-uusimaa?lang=en").text)
    # the page words plainly (names, no ids: issue 17); the JSON keeps the ids in brackets
    from polku.io.load import load_graph
    from polku.finding import Finding
    from polku.present.i18n import translator
    from polku.present.messages import message

    g = load_graph(ROOT / "graphs" / "keski-uusimaa")
    plain = {lang: message(Finding.from_dict(fs[0]), g, translator(lang).plainly())
             for lang, fs in (("sv", sv), ("en", en))}
    assert plain["sv"] != sv[0]["message"] and "(" + sv[0]["subject"] + ")" in sv[0]["message"]
    assert plain["sv"] in page_sv and plain["en"] not in page_sv
    assert plain["en"] in page_en


def test_report_findings_are_in_the_report_language(tmp_path):
    for lang, text in (("fi", "puuttuvat vastuutaho ja päävastuu"),
                       ("sv", "saknar ansvarig aktör och huvudansvar"),
                       ("en", "has no owner and no lead")):
        out = tmp_path / f"r-{lang}.md"
        r = run("report", EXAMPLE, "-o", out, "--lang", lang, "-q")
        assert r.exit_code == 0, r.output
        assert text in out.read_text(encoding="utf-8")


def test_view_pages_show_the_findings_in_their_language(tmp_path, client):
    example = ROOT / "graphs" / "keski-uusimaa"
    for lang, text, other in (("sv", "saknar ansvarig aktör och huvudansvar", "has no owner and no lead"),
                              ("en", "has no owner and no lead", "saknar ansvarig aktör")):
        out = tmp_path / f"v-{lang}.html"
        r = run("render", example, "-o", out, "--lang", lang)
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        assert (text in page or text.encode("unicode_escape").decode() in page) and \
            other not in page
        served = client.get(f"/graphs/keski-uusimaa/view?view=ecosystem&lang={lang}").text
        assert (text in served or text.encode("unicode_escape").decode() in served) and \
            other not in served


def test_counts_of_one_read_in_the_singular():
    """A count of 1 in a finding's message takes the singular ("1 client a month", not "1
    clients"), each language by its catalogue's plural forms; other counts keep the plural."""
    from polku.present.messages import actor_overload, long_wait, over_capacity

    b = Builder("one").chain()
    b.service("b", providers=["x"], capacity=0)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=1, wait=1)
    labelled(b)
    found = find(b.g, long_wait_days=0)
    msgs = {lang: {f.kind: f.message for f in worded(found, b.g, translator(lang))
                   if f.subject in ("b", "r-ab")} for lang in LANGS}
    assert msgs["en"]["over-capacity"] == \
        "EN·B (b) takes in 1 client a month against a capacity of 0"
    assert msgs["fi"]["over-capacity"] == "B (b): tulee 1 asiakas kuukaudessa, kun kapasiteetti on 0"
    assert msgs["sv"]["over-capacity"] == \
        "SV·B (b): tar emot 1 kund i månaden med en kapacitet på 0"
    assert msgs["en"]["long-wait"] == \
        "The referral r-ab from EN·A (a) to EN·B (b) waits a median of 1 day (limit 0)"
    assert "odotetaan mediaanina 1 päivä (raja 0)" in msgs["fi"]["long-wait"]
    assert "är medianväntan 1 dag (gräns 0)" in msgs["sv"]["long-wait"]
    fi, sv, en = (translator(lang) for lang in LANGS)
    assert long_wait(en, "", "A", "B", 1.5, 1) == \
        "The referral from A to B waits a median of 1.5 days (limit 1)"
    assert over_capacity(en, "S", 2, 1) == "S takes in 2 clients a month against a capacity of 1"
    assert over_capacity(en, "S", 0.6, 0) == \
        "S takes in 1 client a month against a capacity of 0"
    assert actor_overload(en, "Z", 1, "2026-01", 0, 1, "2026-01", "2026-01") == \
        "Z leads 1 measure at once in Jan 2026 (the limit is 0); over the limit in 1 month, " \
        "Jan 2026"
    assert actor_overload(en, "Z", 4, "2026-01", 3, 2, "2026-01", "2026-02").endswith(
        "over the limit in 2 months, Jan 2026 to Feb 2026")
    assert actor_overload(fi, "Z", 1, "2026-01", 0, 1, "2026-01", "2026-01") == \
        "Z: päävastuulla 1 toimenpide yhtä aikaa kuussa 1/2026 (raja on 0); raja ylittyy " \
        "1 kuukautena, 1/2026"
    assert "huvudansvar för 1 åtgärd samtidigt" in \
        actor_overload(sv, "Z", 1, "2026-01", 0, 1, "2026-01", "2026-01")
    assert actor_overload(sv, "Z", 1, "2026-01", 0, 1, "2026-01", "2026-01").endswith(
        "över gränsen under 1 månad, 1/2026")
