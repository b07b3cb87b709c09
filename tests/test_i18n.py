"""Finnish first, Swedish and English too: the catalogues are complete and in step with the
code, and the report speaks each language with the right ``lang``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import run
from polku.present.i18n import LANGUAGES, check_lang, negotiate, translator

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "polku" / "locale"
EXAMPLE = ROOT / "graphs" / "keski-uusimaa.ttl"


def catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "polku.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted_catalogue(tmp_path_factory):
    """The catalogue of what the code and templates mark for translation today."""
    pot = tmp_path_factory.mktemp("pot") / "polku.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "tr",
                    "-k", "ngettext:1,2", "--no-location", "-o", str(pot),
                    str(ROOT / "src" / "polku")], check=True, cwd=ROOT, capture_output=True)
    with pot.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(extracted_catalogue) -> set[str]:
    """The texts the code and templates mark for translation today."""
    return {m.id if isinstance(m.id, str) else m.id[0] for m in extracted_catalogue if m.id}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogue_translates_every_text_of_the_code(lang: str, extracted: set[str]) -> None:
    cat = catalogue(lang)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in cat
                  if m.id and m.string and (m.string if isinstance(m.string, str)
                                            else all(m.string)) and "fuzzy" not in m.flags}
    missing = sorted(extracted - translated)
    assert not missing, (f"{lang}: {len(missing)} texts fall back to English; run "
                         f"scripts/i18n and translate them:\n" + "\n".join(missing))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_every_placeholder(lang: str) -> None:
    for m in catalogue(lang):
        if not m.id or not m.string or not isinstance(m.id, str):
            continue
        assert sorted(re.findall(r"\{\w*\}", m.id)) == sorted(re.findall(r"\{\w*\}", m.string)), m.id



@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_plural_rule_is_one_and_other_as_the_pages_scripts_count(lang: str) -> None:
    """A page's script picks a count's form by n == 1 (polku.present.i18n.plural_forms):
    true while every catalogue's rule is the form for 1 and another for every other n."""
    cat = catalogue(lang)
    assert cat.num_plurals == 2 and cat.plural_expr == "(n != 1)", cat.plural_forms
    tr = translator(lang)
    forms = {n: tr.ngettext("{n} finding", "{n} findings", n) for n in range(0, 30)}
    assert {n for n, f in forms.items() if f == forms[1]} == {1}

def test_finnish_names_the_program_polku_in_compounds_never_as_a_path() -> None:
    """The program polku is named in Finnish compounds (polku-aineisto, polku-ohjelma):
    "polkun" is no Finnish word, and "polun" is a path's genitive, not the program's."""
    wrong = []
    for m in catalogue("fi"):
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        text = " ".join(strings)
        program = any(re.search(r"\bpolku\b(?!:)", i) for i in ids)
        if re.search(r"\bpolkun\b", text) or (program and re.search(r"\bpolun\b", text)):
            wrong.append((ids[0], text))
    assert not wrong, wrong


def test_a_missing_translation_falls_back_to_english() -> None:
    assert translator("fi")("a text no catalogue has") == "a text no catalogue has"
    assert translator("fi")("Bottlenecks") == "Pullonkaulat"
    assert translator("en")("Bottlenecks") == "Bottlenecks"


def test_unknown_language_names_the_choices() -> None:
    with pytest.raises(Exception, match=r"unknown language 'de' \(use fi, sv or en\)"):
        check_lang("de")
    r = run("report", EXAMPLE, "-o", "x.html", "--lang", "de")
    # a language polku does not speak: the problem in the default language, Finnish
    assert r.exit_code == 1 and "käytä fi, sv tai en" in r.stderr
    r = run("report", EXAMPLE, "-o", "x.html", "--lang", "de", env={"POLKU_LANG": "en"})
    assert r.exit_code == 1 and "use fi, sv or en" in r.stderr


def test_browser_language_is_negotiated() -> None:
    assert negotiate(None, "sv-FI,sv;q=0.9,en;q=0.5") == "sv"
    assert negotiate(None, "de-DE") == "fi"
    assert negotiate("en", "sv") == "en"
    assert negotiate(None, "en;q=0, sv;q=0.2") == "sv"


@pytest.mark.parametrize("lang, heading, severity", [
    ("fi", "Havainnot lajeittain", "Pullonkaulat"),
    ("sv", "Iakttagelser per typ", "Flaskhalsar"),
    ("en", "Findings by kind", "Bottlenecks"),
])
def test_report_speaks_each_language(tmp_path: Path, lang: str, heading: str,
                                     severity: str) -> None:
    out = tmp_path / "r.html"
    r = run("report", EXAMPLE, "-o", out, "--lang", lang)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert heading in html and severity in html
    md = tmp_path / "r.md"
    assert run("report", EXAMPLE, "-o", md, "--lang", lang).exit_code == 0
    assert heading in md.read_text(encoding="utf-8")


def test_finnish_is_the_default_and_numbers_are_written_the_finnish_way(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert run("report", EXAMPLE, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# polku-raportti:")
    # utilisation and betweenness carry a decimal comma
    assert re.search(r"\| \d+,\d{3} \|", text)


def test_show_speaks_the_language_and_uses_the_translated_labels(tmp_path: Path) -> None:
    fi = run("show", EXAMPLE).stdout
    sv = run("show", EXAMPLE, "--lang", "sv").stdout
    en = run("show", EXAMPLE, "--lang", "en").stdout
    assert "asiakasryhmät" in fi and "kundgrupper" in sv and "client segments" in en
    assert set(LANGUAGES) == {"fi", "sv", "en"}
    # headed by the graph's own region; the areas its organisations serve (a national
    # actor's is the whole country) on a line of their own
    assert fi.splitlines()[0].endswith("(Keski-Uusimaa)")
    assert "  palvelualueet: koko maa, Uusimaa" in fi.splitlines()


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(st.integers(0, 10 ** 15 - 1),
                       st.floats(0, 10 ** 15, exclude_max=True, allow_nan=False),
                       st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 4)),
                       st.decimals(0, 10_000, places=4).map(float)),
       digits=st.sampled_from([None, 0, 1, 2]), lang=st.sampled_from(["fi", "sv", "en"]))
def test_plain_numbers_are_written_as_babel_writes_them(value, digits, lang):
    """polku writes common numbers without Babel (a short command need not import it); what
    it writes is what Babel's format_decimal writes, digit for digit, in every language."""
    from babel.numbers import format_decimal

    from polku.present.i18n import plain_decimal

    fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    assert plain_decimal(value, digits, lang) == format_decimal(value, format=fmt, locale=lang)


def test_numbers_babel_must_write_are_left_to_it():
    from polku.present.i18n import plain_decimal, translator

    assert plain_decimal(-1234.5, None, "fi") is None
    assert plain_decimal(10 ** 15, None, "fi") is None
    assert plain_decimal(True, None, "fi") is None
    assert plain_decimal(5, None, "de") is None
    assert translator("fi").number(-1234.5) == "-1\xa0234,5"


# -- counts in the singular or the plural --------------------------------------------------

#: placeholders that hold a count or a figure (``{n}``, ``{count}``, and counts named for
#: what they count); names, ids, places and texts are not counts
COUNTS = {"n", "count", "days", "months", "events", "cases", "handoffs", "inflow", "least",
          "most", "length", "limit", "ceiling", "mb", "size", "seconds", "served", "total",
          "shown", "wait_after", "wait_before", "lead", "queue", "k", "capacity", "cells",
          "columns", "nodes", "relationships", "created_nodes", "created_relationships",
          "deleted_nodes", "deleted_relationships", "effective", "w", "people", "clients",
          "referrals", "services", "segments", "actors", "subjects", "measures", "steps",
          "broken", "needs", "unmet", "outcomes", "organisations", "added", "removed",
          "changed", "created", "resolved", "many", "no_lead", "before", "after"}
#: units no language inflects by the count before them
UNITS = {"d", "pv", "s", "MB", "Mt", "kpl", "st", "%"}

#: single texts whose count is never one, and why (each still read by the rule below, so
#: that the list cannot go stale)
LIMIT = "a limit of polku's own (polku.bounds, a size or length it refuses past), never 1"
SEVERAL = "said only of two or more"
NEVER_ONE = {
    "'{value}' is more than 0 but less than {least} clients a month (a typo? 0 is a service "
    "that takes in no one)": LIMIT,
    "'{value}' is more than {most} clients a month (more than any service takes in: a typo?)":
        LIMIT,
    "'{value}' is more than {most} days (a wait of over ten years: a typo?)": LIMIT,
    "'{value}' is more than {most} places (more than any service has: a typo?)": LIMIT,
    "{predicate} is more than 0 but less than {least} clients a month (a typo? 0 is a service "
    "that takes in no one)": LIMIT,
    "{predicate} is more than {most} clients a month (more than any service takes in: a "
    "typo?)": LIMIT,
    "{predicate} is more than {most} days (a wait of over ten years: a typo?)": LIMIT,
    "{predicate} is more than {most} places (more than any service has: a typo?)": LIMIT,
    "a cell is longer than {most} characters, the most a cell holds (did a quote (\") open a "
    "cell that never closes?)": LIMIT,
    "a column name has at most {most} characters": LIMIT,
    "the cell has {length} characters; a cell holds at most {most}": LIMIT,
    "the request body is larger than {limit} bytes, the most this route takes": LIMIT,
    "the session cookie would be {size} bytes (browsers keep {limit}); the identity "
    "provider's tokens are too large": LIMIT,
    "the session secret (POLKU_SESSION_SECRET) must be at least {length} characters, not "
    "{given}": LIMIT,
    "the sheet has more than {ceiling} rows, the most this server or command takes "
    "(POLKU_MAX_ROWS raises the ceiling)": LIMIT,
    "the token of '{name}' is shorter than {n} characters": LIMIT,
    "(bounded search: stopped after {count} partial paths; the paths below are good ones, not "
    "provably the best)": LIMIT,
    "the RDF/XML's entity references expand to more than {most} pieces of text (the shape of "
    "an entity bomb, which would take hours to read): it is not read": LIMIT,
    "expected name:token: a name of letters (ä, ö, å and other letters too), digits, '.', "
    "'-', '_', '@' and spaces (not at either end), at most {most} characters, then ':' and "
    "the token": LIMIT,
    "its tokens make a session too large for a browser cookie: {size} bytes, at most "
    "{limit}; the administrator can give polku's client fewer claims (in Keycloak: the "
    "client's dedicated scope, 'Full scope allowed' off)": LIMIT,
    "For {segment}, {count} services from different providers address the need {need}, and "
    "some pairs of them have no referral between them: {services}": SEVERAL,
    "No capacity raise is suggested for {service}: raising it to {n} clients a month would "
    "shorten the wait only from {wait_before} to {wait_after} days (utilisation {before} → "
    "{after}; a raise is offered when it shortens the wait by at least {least} days). The "
    "over-capacity is nominal: the observed waits show that the service copes with its "
    "{inflow} clients a month (it serves about {served} a month), and {lead} of the "
    "{wait_before} days are lead time outside the queue (booking, paperwork, the client's "
    "own timing), which capacity does not shorten; shortening it is a different fix.":
        "a declined raise of a service over its capacity: {least} is polku's 7 days "
        "(kinds.MIN_WAIT_GAIN_DAYS), the days as Translator.days writes them (never 1), the "
        "raise and the inflow above a capacity the observed waits calibrate",
    "The referral from {source} to {target} has {count} leads: {leads}": SEVERAL,
    "The referral {referral} from {source} to {target} has {count} leads: {leads}": SEVERAL,
    "{subject} has {count} leads: {leads}": SEVERAL,
    "{n} leads": SEVERAL,
    "{service} has {count} providers ({providers}) and no lead": SEVERAL,
    "{n} rows have the key '{key}' (roles {roles}): name one as actor{sep}subject{sep}role":
        SEVERAL,
    "{server} holds {n} regions ({names}): name one with --region or ?region=": SEVERAL,
    "the Neo4j URI gives '{name}' {n} times": SEVERAL,
    "Wait to get in: {days} days (range of the incoming referrals' medians)":
        "a range of two different medians",
    "What if {changes} in {graph}? (M/M/c queues, {days} days a month)": "30.4 days a month",
    "{service} takes in more clients a month than its capacity of {capacity} (the inflow is "
    "not shown: it rests on small numbers)": "a verb follows it (riittää, räcker), no noun",
}
#: the what-if's days, as Translator.days writes them (one decimal below ten: "1,0", never
#: "1"), and figures over a capacity
for _text in (": utilisation {before} → {after} (modelled {modelled_before} → "
              "{modelled_after}), wait {wait_before} → {wait_after} days",
              ": utilisation {before} → {after}, wait growing without bound → {wait_after} days",
              ": utilisation {before} → {after}, wait {wait_before} → {wait_after} days"):
    NEVER_ONE[_text] = "days as Translator.days writes them: never 1"


def _plural_noun(word: str, lang: str) -> bool:
    """Whether ``word`` looks like a noun in the plural after a count: English's -s (and
    people), Finnish's partitive (-a, -ä; not an inessive, adessive or essive), Swedish's
    -er, -ar, -or. A rough rule, kept honest by :data:`NEVER_ONE`."""
    if word in UNITS:
        return False
    if lang == "en":
        return word == "people" or (word.endswith("s") and word not in {"is", "has", "was",
                                                                        "does", "its"})
    if lang == "fi":
        return word.endswith(("a", "ä")) and word not in {"ja", "eikä", "sekä"} \
            and not word.endswith(("ssa", "ssä", "lla", "llä", "na", "nä", "lta", "ltä"))
    return word.endswith(("er", "ar", "or")) and word not in {"eller", "efter", "under",
                                                               "över", "per", "har", "ger",
                                                               "kommer"}


def test_a_count_before_a_noun_has_its_singular_and_plural(extracted_catalogue) -> None:
    """A stranger read *Määrä: 1 asiakasta / kk*, *Volym: 1 kunder / mån* and *1 clients a
    month*: texts that count were written with tr(...), in the plural whatever the count.
    A text in which a count (a placeholder of :data:`COUNTS`) stands before a noun in the
    plural, in English, Finnish or Swedish, is looked up with its singular and plural
    (``tr.ngettext``, ``ngettext`` in a template, :class:`polku.errors.Counted`), unless
    :data:`NEVER_ONE` says why its count is never one."""
    cats = {lang: catalogue(lang) for lang in ("fi", "sv")}
    found = {}
    for m in extracted_catalogue:
        if not m.id or not isinstance(m.id, str):
            continue  # a plural entry: its forms are chosen by the count
        texts = {"en": m.id, **{lang: (cats[lang].get(m.id).string if cats[lang].get(m.id)
                                       else "") for lang in cats}}
        said = [f"{lang}: {{{ph}}} {word}" for lang, text in texts.items()
                for ph, word in re.findall(r"\{(\w+)\}[ \xa0]+([^\W\d_]+|%)", text)
                if ph in COUNTS and _plural_noun(word, lang)]
        if said:
            found[m.id] = said
    counted = {k: v for k, v in found.items() if k not in NEVER_ONE}
    assert not counted, "counts without a singular (use tr.ngettext):\n" + "\n".join(
        f"{k!r}: {v}" for k, v in counted.items())
    assert not set(NEVER_ONE) - set(found), set(NEVER_ONE) - set(found)


@pytest.mark.parametrize("lang, one, many", [
    ("fi", "Määrä: 1 asiakas / kk", "Määrä: 3 asiakasta / kk"),
    ("sv", "Volym: 1 kund / mån", "Volym: 3 kunder / mån"),
    ("en", "Volume: 1 / month", "Volume: 3 / month")])
def test_the_stranger_s_counts_in_each_language(lang, one, many) -> None:
    tr = translator(lang)
    forms = [tr.ngettext("Volume: {n} / month", "Volume: {n} / month", n).format(n=n)
             for n in (1, 3)]
    assert forms == [one, many]
    assert tr.ngettext("{n} client a month", "{n} clients a month", 1).format(n=1) == {
        "fi": "1 asiakas/kk", "sv": "1 kund/mån", "en": "1 client a month"}[lang]
