"""A column header written in Finnish, Swedish or in other English words (``storlek``,
``koko`` or ``antal`` for ``size``, ``kapacitet`` for ``capacity_per_month``) was kept as an
extra column without a word: the sizes and capacities were lost and findings vanished, while
``Size`` was refused. Such a name is now treated as the misspelling it is (docs/workbook.md):
a count of people's is refused, any other column's is warned about, a required column's is
named beside the missing column's error; each naming file, column and the name to use, in
the reader's language. And ``polku show`` no longer sums unknown sizes to 0 people."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import EXAMPLE, MINI, copy_mini, edit, run
from polku.io.near_names import folded
from polku.io.workbook import COLUMN_WORDS, SHEETS, column_words, read_workbook, write_workbook


def errors(stderr: str, word: str = "error") -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(word + ":")]


@pytest.mark.parametrize("word", ["storlek", "koko", "antal", "Storlek", "KOKO",
                                  "antal personer"])
def test_a_size_column_named_in_finnish_or_swedish_is_refused(tmp_path: Path,
                                                              word: str) -> None:
    w = copy_mini(tmp_path / "w")
    edit(w / "segments.csv", "id,name,size,", f"id,name,{word},")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 1, r.stdout
    [line] = errors(r.stderr)
    assert (f"{w / 'segments.csv'}, sheet 'segments', row 1, column '{word}': the column "
            f"'{word}' is another name for 'size'") in line, line
    assert "rename it 'size'" in line, line
    sv = run("validate", w, "--lang", "sv")
    [line] = errors(sv.stderr, "fel")
    assert f"kolumn '{word}'" in line and "'size'" in line and "byt namn" in line, line
    fi = run("validate", w, "--lang", "fi")
    [line] = errors(fi.stderr, "virhe")
    assert f"sarake '{word}'" in line and "'size'" in line, line


def test_the_swedish_users_segments_are_refused_not_shown_as_zero_people(tmp_path: Path
                                                                         ) -> None:
    """The report: `storlek` for `size` in the example region validated as `giltig` and
    `show` said `0 personer i kundgrupperna` with `storlek –` for every group."""
    b5 = tmp_path / "b5"
    shutil.copytree(EXAMPLE, b5)
    edit(b5 / "segments.csv", ",size,", ",storlek,")
    r = run("validate", b5, "--lang", "sv")
    assert r.exit_code == 1 and "giltig" not in r.stdout
    assert "kolumn 'storlek'" in r.stderr and "'size'" in r.stderr, r.stderr
    shown = run("show", b5, "--lang", "sv")
    assert shown.exit_code != 0 and "0 personer" not in shown.stdout


def test_a_volume_column_in_other_words_is_refused_in_csv_and_xlsx(tmp_path: Path) -> None:
    w = copy_mini(tmp_path / "w")
    edit(w / "referrals.csv", "volume_per_month", "volym per månad")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 1
    assert ("column 'volym per månad': the column 'volym per månad' is another name for "
            "'volume_per_month'") in r.stderr, r.stderr
    book = tmp_path / "mini.xlsx"
    write_workbook(read_workbook(MINI), book)
    wb = openpyxl.load_workbook(book)
    for cell in wb["segments"][1]:
        if cell.value == "size":
            cell.value = "Storlek"
    wb.save(book)
    r = run("validate", book, "--lang", "en")
    assert r.exit_code == 1
    assert "column 'Storlek': the column 'Storlek' is another name for 'size'" in r.stderr


def test_beside_the_known_column_it_is_refused_with_advice_it_can_follow(tmp_path: Path
                                                                         ) -> None:
    w = copy_mini(tmp_path / "w")
    edit(w / "segments.csv", "id,name,size,participation_rate,needs,entry\n",
         "id,name,size,participation_rate,needs,entry,koko\n")
    edit(w / "segments.csv", "alkuhaastattelu\n", "alkuhaastattelu,3\n")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 1
    assert ("column 'koko': the column 'koko' is another name for 'size', which the sheet "
            "has already: leave it out, or rename it to say what it holds") in r.stderr
    assert "rename it 'size'" not in r.stderr


@pytest.mark.parametrize("word", ["kapacitet", "kapasiteetti", "Capacity", "monthly capacity"])
def test_a_capacity_column_in_other_words_is_warned_about(tmp_path: Path, word: str) -> None:
    """Kept as an extra column (as a misspelt column is), but never without a word: the
    over-capacity finding that vanishes with it arrives with its cause."""
    w = copy_mini(tmp_path / "w")
    edit(w / "services.csv", "capacity_per_month", word)
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    [line] = errors(r.stderr, "warning")
    assert (f"{w / 'services.csv'}, sheet 'services', row 1, column '{word}': unknown column "
            f"'{word}', kept as an extra column: column names are English; did you mean "
            "'capacity_per_month'?") in line, line
    sv = run("validate", w, "--lang", "sv")
    [line] = errors(sv.stderr, "varning")
    assert f"kolumn '{word}'" in line and "'capacity_per_month'" in line, line
    assert "engelska" in line, line
    assert run("validate", w, "--strict").exit_code == 1


def test_the_example_with_kapacitet_says_why_a_finding_vanished(tmp_path: Path) -> None:
    b5 = tmp_path / "b5"
    shutil.copytree(EXAMPLE, b5)
    edit(b5 / "services.csv", ",capacity_per_month,", ",kapacitet,")
    r = run("findings", b5, "--lang", "sv")
    assert "kolumn 'kapacitet'" in r.stderr and "'capacity_per_month'" in r.stderr, r.stderr


def test_a_required_column_in_other_words_is_named_beside_its_error(tmp_path: Path) -> None:
    w = copy_mini(tmp_path / "w")
    edit(w / "actors.csv", "id,name,", "id,namn,")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 1
    [line] = errors(r.stderr)
    assert "the required column 'name' is missing (found 'namn': is it meant?)" in line, line
    assert "warning:" not in r.stderr  # the error says it: no warning beside it


def test_an_extra_column_that_is_no_column_in_other_words_passes(tmp_path: Path) -> None:
    """Only a whole name is another name: `koko_alue`, `storlek_källa` are columns of their
    own, and another sheet's column words are not this sheet's (`antal` on referrals)."""
    w = copy_mini(tmp_path / "w")
    edit(w / "segments.csv", "id,name,size,participation_rate,needs,entry\n",
         "id,name,size,participation_rate,needs,entry,koko_alue,storlek_källa\n")
    edit(w / "segments.csv", "alkuhaastattelu\n", "alkuhaastattelu,x,y\n")
    edit(w / "referrals.csv", "information_flow\n", "information_flow,url\n")
    r = run("validate", w, "--lang", "en")
    assert r.exit_code == 0 and "warning:" not in r.stderr, r.stderr


def test_the_column_words_are_one_table_of_data() -> None:
    """Each word names one column of a sheet, is no column's own name there, and every word
    of the table is some sheet's."""
    for name, sheet in SHEETS.items():
        words = column_words(name)
        own = {folded(c.name) for c in sheet.columns}
        assert not own & set(words), (name, own & set(words))
        for word, column in words.items():
            assert sheet.column(column) is not None, (name, word, column)
    declared = {c.name for s in SHEETS.values() for c in s.columns}
    assert set(COLUMN_WORDS) <= declared, set(COLUMN_WORDS) - declared
    for column, by_language in COLUMN_WORDS.items():
        assert set(by_language) <= {"fi", "sv", "en"}, column
    # a word two columns of one sheet share would be a guess: the table says none
    for name, sheet in SHEETS.items():
        seen: dict[str, str] = {}
        for c in sheet.columns:
            for words in COLUMN_WORDS.get(c.name, {}).values():
                for w in words:
                    assert seen.setdefault(folded(w), c.name) == c.name, (name, w)


# -- show: an unknown size is no 0 -----------------------------------------------------------

def test_show_says_sizes_unknown_when_no_segment_has_one(mini: Path) -> None:
    edit(mini / "segments.csv", "nuoret,Nuoret,1200,", "nuoret,Nuoret,,")
    sv = run("show", mini, "--lang", "sv")
    assert sv.exit_code == 0, sv.stderr
    assert "0 personer" not in sv.stdout and "kundgruppernas storlek okänd" in sv.stdout, \
        sv.stdout
    en = run("show", mini, "--lang", "en")
    assert "0 people" not in en.stdout and "segment sizes unknown" in en.stdout, en.stdout
    info = json.loads(run("show", mini, "--format", "json").stdout)
    assert info["people_in_segments"] is None
    assert info["unknown"] == {"segments": 1}


def test_show_says_at_least_and_how_many_sizes_are_unknown(mini: Path) -> None:
    edit(mini / "segments.csv", "alkuhaastattelu\n",
         "alkuhaastattelu\naikuiset,Aikuiset,,,tyokyky,alkuhaastattelu\n")
    edit(mini / "referrals.csv", "r2,kuntouttava,tyo,,3,", "r2,kuntouttava,tyo,,,")
    en = run("show", mini, "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert "at least 1,200 people in segments, at least 12 referrals a month" in en.stdout, \
        en.stdout
    assert "no size given for 1 client segment" in en.stdout, en.stdout
    assert "no volume given for 1 referral" in en.stdout, en.stdout
    fi = run("show", mini, "--lang", "fi")
    assert "vähintään 1\u00a0200 henkilöä" in fi.stdout and "koko puuttuu 1 asiakasryhmältä" \
        in fi.stdout, fi.stdout
    info = json.loads(run("show", mini, "--format", "json").stdout)
    assert info["people_in_segments"] == 1200 and info["referral_volume_per_month"] == 12
    assert info["unknown"] == {"segments": 1, "referrals": 1}


def test_the_public_reads_how_many_sizes_are_unknown_as_a_count(mini: Path) -> None:
    """Found by a stranger reading the day's diff: the counts of segments and referrals
    giving no figure were keyed by the people totals, so the public's answer suppressed them
    (``<5``) and ``show --suppress`` in Finnish or Swedish crashed (a plural of '<5'). They
    count rows, not people: the public reads them as they are, on every door."""
    edit(mini / "segments.csv", "alkuhaastattelu\n",
         "alkuhaastattelu\naikuiset,Aikuiset,,,tyokyky,alkuhaastattelu\n")
    edit(mini / "referrals.csv", "r2,kuntouttava,tyo,,3,", "r2,kuntouttava,tyo,,,")
    for lang, said in (("fi", "koko puuttuu 1 asiakasryhmältä"),
                       ("sv", "1 kundgrupp"), ("en", "no size given for 1 client segment")):
        r = run("show", mini, "--suppress", "--lang", lang)
        assert r.exit_code == 0, r.output
        assert said in r.stdout, r.stdout
    public = json.loads(run("show", mini, "--suppress", "--format", "json").stdout)
    assert public["unknown"] == {"segments": 1, "referrals": 1}
    from fastapi.testclient import TestClient

    from polku.app import create_app

    api = TestClient(create_app([mini])).get(f"/api/graphs/{mini.name}").json()
    assert api["unknown"] == {"segments": 1, "referrals": 1}
