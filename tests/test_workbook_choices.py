"""Every choice column reads its Finnish, Swedish and English words (docs/workbook.md,
*Conventions*: "Choices may be written in Finnish, Swedish or English, in any case"): an
actor's `kind` and a service's `organised` by the words polku shows for them (its display
names, translated by its catalogues), so the words read are the words shown; a word
outside them is refused listing them in the reader's language. Through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edit, run
from polku.graph import ACTOR_KINDS, ORGANISED
from polku.io import workbook
from polku.present.cells import COLUMN_CHOICE_NAMES
from polku.present.i18n import translator

#: the words the pages show for the codes (the change log's, the diff's), by column
ACTOR_KIND_NAMES, ORGANISED_NAMES = COLUMN_CHOICE_NAMES["kind"], COLUMN_CHOICE_NAMES["organised"]

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

DOCS = Path(__file__).resolve().parents[1] / "docs" / "workbook.md"


def with_organised(wb: Path, word: str) -> None:
    """The mini workbook's first service organised as ``word`` (a column it lacks)."""
    edit(wb / "services.csv", "description,url\n", "description,url,organised\n")
    edit(wb / "services.csv", ",http://x\n", f",http://x,{word}\n")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_actor_kind_reads_in_the_words_the_pages_show_it_by(mini: Path, lang: str) -> None:
    """`kunta`, `kuntayhtymä`, `samkommun`, `joint municipal authority`, in any case: the
    display name of each kind in each language reads as its code."""
    tr = translator(lang)
    written = "kela,Kela,FPA,kela,,"
    for kind in ACTOR_KINDS:
        word = tr(ACTOR_KIND_NAMES[kind])
        for spelt in (word, word.upper()):
            edit(mini / "actors.csv", written, f'kela,Kela,FPA,"{spelt}",,')
            written = f'kela,Kela,FPA,"{spelt}",,'
            r = run("validate", mini)
            assert r.exit_code == 0, (kind, spelt, r.stderr)
            assert workbook.read_workbook(mini).nodes["kela"]["kind"] == kind, spelt


@pytest.mark.parametrize("word, code", [("erikseen", "separately"), ("separat", "separately"),
                                        ("Yhdessä", "jointly"), ("GEMENSAMT", "jointly"),
                                        ("separately", "separately")])
def test_organised_reads_finnish_swedish_and_english(mini: Path, word: str, code: str) -> None:
    with_organised(mini, word)
    r = run("validate", mini)
    assert r.exit_code == 0, r.stderr
    assert workbook.read_workbook(mini).nodes["alkuhaastattelu"]["organised"] == code


@pytest.mark.parametrize("word, code", [("kunta", "municipality"),
                                        ("kuntayhtymä", "joint-authority"),
                                        ("Kommun", "municipality"), ("FPA", "kela"),
                                        ("järjestö", "third-sector"), ("valtio", "state")])
def test_the_reviewers_kinds(mini: Path, word: str, code: str) -> None:
    """The words a Finnish or Swedish designer types: `järjestö` is the Finnish display
    name `järjestö (kolmas sektori)` without its explanation."""
    edit(mini / "actors.csv", "kela,Kela,FPA,kela,,", f"kela,Kela,FPA,{word},,")
    assert run("validate", mini).exit_code == 0
    assert workbook.read_workbook(mini).nodes["kela"]["kind"] == code


@pytest.mark.parametrize("lang, said", [
    ("fi", ["'kommunen' ei ole mikään näistä:", "kunta (municipality)",
            "kuntayhtymä (joint-authority)", "hyvinvointialue (wellbeing-county)"]),
    ("sv", ["'kommunen' är inte", "kommun (municipality)", "samkommun (joint-authority)"]),
    ("en", ["'kommunen' is not one of: wellbeing services county (wellbeing-county), ",
            "joint municipal authority (joint-authority), Kela (kela), ",
            ", municipality, ", "Finnish, Swedish or English"])])
def test_a_kind_outside_the_words_is_refused_listing_them_in_the_readers_language(
        mini: Path, lang: str, said: list[str]) -> None:
    edit(mini / "actors.csv", "kela,Kela,FPA,kela,,", "kela,Kela,FPA,kommunen,,")
    r = run("validate", mini, "--lang", lang)
    assert r.exit_code == 1
    [line] = [x for x in r.stderr.splitlines() if "'kommunen'" in x]
    assert "actors.csv" in line and "'kind'" in line, line
    for part in said:
        assert part in line, (part, line)


def test_organised_outside_its_words_lists_them_in_the_readers_language(mini: Path) -> None:
    with_organised(mini, "apart")
    assert "'apart' is not one of: jointly, separately (Finnish, Swedish or English" in \
        run("validate", mini).stderr
    said = run("validate", mini, "--lang", "fi").stderr
    assert "'apart' ei ole mikään näistä: yhdessä (jointly), erikseen (separately)" in said
    said = run("validate", mini, "--lang", "sv").stderr
    assert "gemensamt (jointly), separat (separately)" in said


def test_an_edit_in_other_words_keeps_the_cell() -> None:
    """`kunta` sent back as `municipality` is no change (the API's same_meaning)."""
    assert workbook.same_meaning("actors", "kind", "kunta", "municipality")
    assert workbook.same_meaning("services", "organised", "erikseen", "Separat")
    assert not workbook.same_meaning("actors", "kind", "kunta", "kuntayhtymä")


def test_the_docs_list_the_words_of_kind_and_organised() -> None:
    """docs/workbook.md names each Finnish and Swedish word the two columns read."""
    docs = DOCS.read_text(encoding="utf-8")
    for column, codes in (("kind", ACTOR_KINDS), ("organised", ORGANISED)):
        words = workbook.choice_words(column)
        for lang in ("fi", "sv"):
            tr = translator(lang)
            names = ACTOR_KIND_NAMES if column == "kind" else ORGANISED_NAMES
            for code in codes:
                word = tr(names[code])
                assert words[word.casefold()] == code
                assert f"`{word}`" in docs, (column, word)


# -- one form for every choice column, and lists joined as each language joins them ----------

def with_followup(wb: Path, status: str) -> None:
    (wb / "followups.csv").write_text(f"finding,status\nlong-wait:r1,{status}\n",
                                      encoding="utf-8")


#: column -> how to write 'kanske' in it, and what the refusal lists in each language
CHOICE_REFUSALS = {
    "entry": (lambda wb: edit(wb / "services.csv", ",kyllä,", ",kanske,"), {
        "sv": "ja (yes), nej (no)", "fi": "kyllä (yes), ei (no)", "en": "yes, no"}),
    "role": (lambda wb: edit(wb / "responsibilities.csv", ",lead,", ",kanske,"), {
        "sv": "huvudansvar (lead), deltagare (participant), hörs (consulted), "
              "informeras (informed)",
        "fi": "päävastuu (lead), osallistuja (participant), kuultava (consulted), "
              "tiedotettava (informed)",
        "en": "lead, participant, consulted, informed"}),
    "information_flow": (lambda wb: edit(wb / "referrals.csv", ",keusote,yes", ",keusote,kanske"), {
        "sv": "ja (yes), nej (no), okänt (unknown)",
        "fi": "kyllä (yes), ei (no), ei tiedossa (unknown)", "en": "yes, no, unknown"}),
    "status": (lambda wb: with_followup(wb, "kanske"), {
        "sv": "ny (new), pågår (in-progress), löst (resolved), accepterad risk (accepted-risk)",
        "fi": "uusi (new), työn alla (in-progress), ratkaistu (resolved), hyväksytty riski "
              "(accepted-risk)",
        "en": "new, in progress (in-progress), resolved, accepted risk (accepted-risk)"}),
    "kind": (lambda wb: edit(wb / "actors.csv", "kela,Kela,FPA,kela,,", "kela,Kela,FPA,kanske,,"), {
        "sv": "välfärdsområde (wellbeing-county), ", "fi": "hyvinvointialue (wellbeing-county), ",
        "en": "wellbeing services county (wellbeing-county), "}),
    "organised": (lambda wb: with_organised(wb, "kanske"), {
        "sv": "gemensamt (jointly), separat (separately)",
        "fi": "yhdessä (jointly), erikseen (separately)", "en": "jointly, separately"}),
}
#: the one form, in each language: the reader's words with their codes, then the languages
CHOICE_FORM = {
    "sv": ("'kanske' är inte något av: {listed}", " (på finska, svenska eller engelska, med "
                                                  "stora eller små bokstäver)"),
    "fi": ("'kanske' ei ole mikään näistä: {listed}", " (suomeksi, ruotsiksi tai englanniksi, "),
    "en": ("'kanske' is not one of: {listed}", " (Finnish, Swedish or English, in any case)"),
}


@pytest.mark.parametrize("column", list(CHOICE_REFUSALS))
@pytest.mark.parametrize("lang", ["sv", "fi", "en"])
def test_every_choice_column_refuses_in_one_form(mini: Path, column: str, lang: str) -> None:
    """A bad status, role, information flow, boolean, kind or organised: the reader's own
    word for each choice with its code beside, then the languages it may be written in;
    never the English codes first, nor every language's words in a row."""
    write, listed = CHOICE_REFUSALS[column]
    write(mini)
    r = run("validate", mini, "--lang", lang)
    assert r.exit_code == 1
    [line] = [x for x in r.stderr.splitlines() if "'kanske'" in x]
    assert f"'{column}'" in line, line
    head, tail = CHOICE_FORM[lang]
    assert head.format(listed=listed[lang]) in line, line
    assert tail in line, line
    assert "kylla" not in line and "true" not in line and "sant" not in line, line


@pytest.mark.parametrize("lang, said", [
    ("sv", "okänt id 'nope' (förväntat: tjänst, hänvisning, kundgrupp eller åtgärd i planen)"),
    ("fi", "tuntematon tunnus 'nope' (odotettiin: palvelu, ohjaus, asiakasryhmä tai "
           "suunnitelman toimenpide)"),
    ("en", "unknown service, referral, segment, or measure id 'nope'")])
def test_the_types_an_id_may_be_are_listed_as_each_language_lists(mini: Path, lang: str,
                                                                   said: str) -> None:
    edit(mini / "responsibilities.csv", "keusote,kuntouttava,lead", "keusote,nope,lead")
    r = run("validate", mini, "--lang", lang)
    assert r.exit_code == 1
    assert said in r.stderr, r.stderr


def test_an_id_of_one_type_expected_reads_forvantat_in_swedish(mini: Path) -> None:
    edit(mini / "services.csv", "keusote;kela", "keusote;kelaa")
    r = run("validate", mini, "--lang", "sv")
    assert "okänt id 'kelaa' (förväntat: aktör); menade du 'kela'?" in r.stderr, r.stderr
    assert "väntat:" not in r.stderr.replace("förväntat:", "")
