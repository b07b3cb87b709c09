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
def extracted(tmp_path_factory) -> set[str]:
    """The texts the code and templates mark for translation today."""
    pot = tmp_path_factory.mktemp("pot") / "polku.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "tr",
                    "-k", "ngettext:1,2", "--no-location", "-o", str(pot),
                    str(ROOT / "src" / "polku")], check=True, cwd=ROOT, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


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
