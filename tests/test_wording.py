"""Wording a reviewer reproduced through the command line: quotation marks of one language
in one sentence, a referral's several leads named by its bare id, an unmet need said of
every service the segment reaches, a path's name taken from whichever row came first, and
the bundled data's own words (a unit named like its service, segments named by a label,
a small count written into a description). Each is driven through the real CLI."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from helpers import EXAMPLE, FULL, ROOT, SECOND, copy_mini, edit, run

LANGS = ("fi", "sv", "en")

#: the quotation marks each language writes: Finnish and Swedish ” on both sides, English “ ”
QUOTES = {"fi": ("”", "”"), "sv": ("”", "”"), "en": ("“", "”")}


def quoted_as(text: str, lang: str) -> bool:
    """Whether every quotation mark of ``text`` is ``lang``'s, opening and closing in turn
    (a text with none passes)."""
    marks = re.findall(r"[“”„\"«»]", text)
    if len(marks) % 2:
        return False
    opening, closing = QUOTES[lang]
    return all(m == (opening if i % 2 == 0 else closing) for i, m in enumerate(marks))


def findings_json(source: Path, lang: str, *args: object) -> list[dict]:
    result = run("findings", source, "--lang", lang, "--format", "json", *args)
    assert result.stdout, result.output
    return json.loads(result.stdout)["findings"]


# -- quotation marks -----------------------------------------------------------------------

def test_a_sentence_quotes_in_its_own_languages_marks(tmp_path: Path) -> None:
    """fi read *Toimenpiteen “Mittari yksi” riskillä ”Riski 1”*, sv *Risken ”Riski 1” för
    åtgärden “Mittari yksi”*: the measure's title was quoted in English marks inside a
    Finnish or Swedish sentence, and the plan's own words on a deferred division of work in
    ASCII quotes inside an English one."""
    for lang in LANGS:
        said = {f["kind"]: f["message"] for f in findings_json(FULL, lang)}
        for kind in ("risk-without-mitigation", "deferred-responsibility",
                     "measure-without-indicator"):
            assert quoted_as(said[kind], lang) and re.search("[“”]", said[kind]), \
                (lang, kind, said[kind])
        page = tmp_path / f"plan-{lang}.html"
        assert run("render", FULL, "--view", "plan", "-o", page, "--lang", lang).exit_code == 0
        text = page.read_text(encoding="utf-8")
        around = re.findall(r".{0,3}jaetaan myöhemmin.{0,3}", text)
        assert around, lang
        for a in around:
            assert quoted_as(a.strip("(), "), lang) or '"' in a, (lang, a)
    fi = {f["kind"]: f["message"] for f in findings_json(FULL, "fi")}
    assert fi["risk-without-mitigation"] == \
        "Toimenpiteen ”Toimenpide” riskillä ”Riski” ei ole hallintakeinoa"
    sv = {f["kind"]: f["message"] for f in findings_json(FULL, "sv")}
    assert sv["risk-without-mitigation"] == \
        "Risken ”Riski” för åtgärden ”Toimenpide” saknar hantering"
    en = {f["kind"]: f["message"] for f in findings_json(FULL, "en")}
    assert en["deferred-responsibility"] == \
        "“Toimenpide” leaves the division of work to be agreed later (“jaetaan myöhemmin”)"


def test_no_translation_mixes_quotation_marks() -> None:
    """Every Finnish and Swedish text quotes with ” on both sides, never with English “ or
    an ASCII " (which a text may name as a character: a CSV cell's quote, a cell quoted as
    a CSV file quotes it, ``("{value}")``, ``W/"..."``)."""
    from babel.messages.pofile import read_po

    locale = ROOT / "src" / "polku" / "locale"
    for lang in ("fi", "sv"):
        with open(locale / lang / "LC_MESSAGES" / "polku.po", "rb") as f:
            catalogue = read_po(f)
        for m in catalogue:
            for text in (m.string if isinstance(m.string, tuple) else (m.string,)):
                plain = text.replace('(")', "").replace('("{value}")', "").replace(
                    'W/"..."', "")
                assert quoted_as(plain, lang), (lang, m.id, text)


# -- a command line's own complaint ---------------------------------------------------------

@pytest.mark.parametrize("lang, said", [("en", "error: --output is missing\n"),
                                        ("fi", "virhe: --output puuttuu\n"),
                                        ("sv", "fel: --output saknas\n")])
def test_a_missing_option_is_said_in_polkus_form(tmp_path: Path, lang: str, said: str) -> None:
    """``polku eventlog LOG --graph G --lang en`` without ``-o``: polku's own line, lower
    case and in the reader's language, from the command run as a program too (click's own
    would read ``Error: Missing option '--output'``)."""
    log = tmp_path / "log.csv"
    log.write_text("case,service,start\n", encoding="utf-8")
    args = ["eventlog", log, "--graph", FULL, "--lang", lang]
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, said, "")
    program = subprocess.run([sys.executable, "-m", "polku.cli", *map(str, args)],
                             capture_output=True, text=True, timeout=120)
    assert (program.returncode, program.stderr) == (2, said)


# -- a referral's several leads ----------------------------------------------------------------

def test_a_referrals_several_leads_name_it_as_every_referral_message_does(
        tmp_path: Path) -> None:
    """multiple-leads on a referral read *r1 has 2 leads*, where every other referral
    finding says *The referral r2 from X to Y*."""
    wb = copy_mini(tmp_path / "mini")
    with open(wb / "responsibilities.csv", "a", encoding="utf-8") as f:
        f.write("kela,r1,lead,\n")
    expected = {
        "fi": "Ohjauksen r1 (Alkuhaastattelu (alkuhaastattelu) → Kuntouttava työtoiminta "
              "(kuntouttava)) päävastuu on 2 toimijalla (Kela (kela), Keski-Uudenmaan "
              "hyvinvointialue (keusote))",
        "sv": "Hänvisningen r1 (Alkuhaastattelu (alkuhaastattelu) → Kuntouttava työtoiminta "
              "(kuntouttava)) har huvudansvar hos 2 aktörer (FPA (kela), Mellersta Nylands "
              "välfärdsområde (keusote))",
        "en": "The referral r1 from Alkuhaastattelu (alkuhaastattelu) to Kuntouttava "
              "työtoiminta (kuntouttava) has 2 leads: Kela (kela), Keski-Uudenmaan "
              "hyvinvointialue (keusote)"}
    for lang, text in expected.items():
        [f] = [f for f in findings_json(wb, lang) if f["key"] == "multiple-leads:r1"]
        assert f["message"] == text
    # worded plainly (the report): the referral by its two ends, no id
    report = tmp_path / "report.md"
    assert run("report", wb, "-o", report, "--lang", "en").exit_code == 0
    assert "The referral from Alkuhaastattelu to Kuntouttava työtoiminta has 2 leads: " \
        "Kela, Keski-Uudenmaan hyvinvointialue" in report.read_text(encoding="utf-8")


# -- an unmet need -----------------------------------------------------------------------------

def test_an_unmet_need_is_said_of_the_services_open_to_the_segment(tmp_path: Path) -> None:
    """unmet-need said *No service that Muut can reach addresses the need*, where the
    segment's entry, which it reaches, does address the need but is not open to it
    (docs/findings.md: no service in R(s) *that is for the segment* addresses it)."""
    wb = copy_mini(tmp_path / "mini")
    edit(wb / "services.csv", "kyllä,tyokyky,,", "kyllä,tyokyky,nuoret,")
    with open(wb / "segments.csv", "a", encoding="utf-8") as f:
        f.write("muut,Muut,300,\"0,5\",tyokyky,alkuhaastattelu\n")
    expected = {
        "fi": "Muut (muut): tarpeeseen Työkyky (tyokyky) ei vastaa mikään asiakasryhmälle "
              "avoin palvelu, johon se pääsee",
        "sv": "Muut (muut): behovet Työkyky (tyokyky) möts inte av någon tjänst som är öppen "
              "för kundgruppen och som den kan nå",
        "en": "For Muut (muut), no service that they can reach and that is open to them "
              "addresses the need Työkyky (tyokyky)"}
    for lang, text in expected.items():
        [f] = [f for f in findings_json(wb, lang) if f["kind"] == "unmet-need"]
        assert (f["subject"], f["message"]) == ("muut", text)


# -- an unmodelled flow -------------------------------------------------------------------------

def test_an_unmodelled_flow_from_an_outcome_is_one_a_follow_up_may_name(tmp_path: Path) -> None:
    """An event log's outcome is a node like its services (docs/findings.md, Kinds): clients
    handed on from one make an ``unmodelled-flow`` on it, and a follow-up of that finding
    was warned about as naming 'no service'."""
    wb = copy_mini(tmp_path / "mini")
    log = tmp_path / "log.csv"
    log.write_text("case,service,start\nc1,tyo,2025-01-01\nc1,alkuhaastattelu,2025-01-05\n",
                   encoding="utf-8")
    stats = run("eventlog", log, "--graph", wb, "-o", tmp_path / "out.ttl", "--format", "json")
    [found] = json.loads(stats.stdout)["findings"]
    assert (found["kind"], found["subject"], found["related"]) == (
        "unmodelled-flow", "tyo", ["alkuhaastattelu"])
    (wb / "followups.csv").write_text(
        "finding,status\nunmodelled-flow:tyo:alkuhaastattelu,new\n", encoding="utf-8")
    result = run("validate", wb, "--strict", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, ""), result.output


# -- a designed path's name ----------------------------------------------------------------------

def test_a_paths_name_is_its_first_steps_whatever_the_row_order(tmp_path: Path) -> None:
    """paths.name was read from the path's first row in the file: rows sorted another way
    (the last step first) lost the name the first step's row gives."""
    wb = copy_mini(tmp_path / "mini")
    (wb / "paths.csv").write_text(
        "path,segment,step,node,name,name_sv\n"
        "p1,nuoret,3,tyo,,\n"
        "p1,nuoret,1,alkuhaastattelu,Nuoren polku,Ungas stig\n"
        "p1,nuoret,2,kuntouttava,,\n", encoding="utf-8")
    validated = run("validate", wb, "--lang", "en")
    assert validated.exit_code == 0 and validated.stderr == "", validated.output
    out = tmp_path / "out"
    assert run("export", wb, "--to", "workbook", "-o", out).exit_code == 0
    with open(out / "paths.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["step"], r["name"], r["name_sv"]) for r in rows] == [
        ("1", "Nuoren polku", "Ungas stig"), ("2", "", ""), ("3", "", "")]


def test_a_second_name_of_a_path_is_warned_about_on_its_row(tmp_path: Path) -> None:
    wb = copy_mini(tmp_path / "mini")
    (wb / "paths.csv").write_text(
        "path,segment,step,node,name\n"
        "p1,nuoret,2,kuntouttava,Toinen nimi\n"
        "p1,nuoret,1,alkuhaastattelu,Nuoren polku\n"
        "p1,nuoret,3,tyo,Nuoren polku\n", encoding="utf-8")
    result = run("validate", wb, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {wb / 'paths.csv'}, sheet 'paths', row 2, column 'name': the path 'p1' "
        "takes its name from the row of its first step (row 3, 'Nuoren polku'): 'Toinen "
        "nimi' here is not read\n")
    assert "--strict" not in result.stdout
    assert run("validate", wb, "--strict").exit_code == 1
    fi = run("validate", wb).stderr
    assert fi.startswith("varoitus: ") and "rivi 2, sarake 'name'" in fi


# -- the bundled data's own words --------------------------------------------------------------

def test_a_unit_of_the_county_is_named_as_one_in_every_language(tmp_path: Path) -> None:
    """The units of Keusote were named in Swedish as their services are (*Socialt arbete
    för vuxna*), so CPSV-AP described the participation as *Socialt arbete för vuxna:
    producent Socialt arbete för vuxna*."""
    out = tmp_path / "ku.ttl"
    assert run("export", EXAMPLE, "--to", "cpsv-ap", "-o", out).exit_code == 0
    data = rdflib.Graph().parse(out, format="turtle")
    cv = rdflib.Namespace("http://data.europa.eu/m8g/")
    said = [str(o) for p in data.subjects(rdflib.RDF.type, cv.Participation)
            for o in data.objects(p, rdflib.DCTERMS.description)]
    assert said
    for text in said:
        service, _, rest = text.partition(": ")
        assert rest.split(" ", 1)[1] != service, text
    with open(EXAMPLE / "actors.csv", encoding="utf-8", newline="") as f:
        units = [r for r in csv.DictReader(f) if r["parent"] == "keusote"]
    assert len(units) == 4
    for r in units:
        assert r["name"].startswith("Keusoten "), r["id"]
        assert "Mellersta Nylands välfärdsområde" in r["name_sv"], r["id"]
        assert r["name_en"].startswith("Keusote "), r["id"]


def test_the_second_test_regions_segments_say_no_small_count_in_their_words(
        tmp_path: Path) -> None:
    """seg-nuoret's description said its size (*koko on pieni solu (3)*): free text, so it
    reached every shared export while ``size`` was left out."""
    out = tmp_path / "shared.jsonld"
    assert run("export", SECOND, "--to", "jsonld", "-o", out).exit_code == 0
    data = rdflib.Graph().parse(out, format="json-ld")
    [segment] = data.subjects(rdflib.DCTERMS.identifier, rdflib.Literal("seg-nuoret"))
    said = [str(o) for o in data.objects(segment, rdflib.DCTERMS.description)]
    assert any("pieni solu" in t for t in said), said
    assert not any(re.search(r"\d", t) for t in said), said
