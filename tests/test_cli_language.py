"""The command line speaks the reader's language at every edge: its problems (the readers'
located errors, the operating system's, click's own usage errors), its notes and its
"wrote" lines are Finnish by default and with ``--lang fi``, Swedish with ``--lang sv``;
English only when asked. The readers in ``io/`` raise catalogued templates, never finished
English sentences (the coverage test below)."""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

import pytest

from helpers import EXAMPLE, MINI, ROOT, copy_mini, run
from polku.io.load import load_graph

#: English words that a Finnish or Swedish sentence of polku's never holds
ENGLISH = re.compile(r"\b(the|is|not|no|error|errors|wrote|note|invalid|such|file|folder|"
                     r"value|cell|needs|missing|option|holds|unknown|warning|added|removed|"
                     r"changed|created|resolved|means)\b", re.IGNORECASE)


def english_in(text: str, *keep_out: str) -> list[str]:
    """English words in ``text``, leaving out what is quoted ('…', <…>, `…`), paths and
    options (a user's own text and the codes a user types), and ``keep_out``."""
    for k in keep_out:
        text = text.replace(k, " ")
    text = re.sub(r"'[^'\n]*'|<[^>\n]*>|`[^`\n]*`|\S*/\S*|--?[a-z][\w-]*|\S+\.(csv|xlsx|ttl|txt|html|md)\b",
                  " ", text)
    return ENGLISH.findall(text)


def said(result) -> str:
    return result.stdout + result.stderr


def test_without_lang_a_command_answers_in_finnish_problems_too() -> None:
    r = run("paths", EXAMPLE, "--segment", "nuoret", env={"POLKU_LANG": ""})
    assert r.exit_code == 1
    assert r.stderr.startswith("virhe: --segment: tuntematon asiakasryhmä 'nuoret'")
    assert not english_in(r.stderr)
    r = run("paths", EXAMPLE, "--segment", "nuoret", env={"POLKU_LANG": "sv"})
    assert r.stderr.startswith("fel: --segment:")
    r = run("paths", EXAMPLE, "--segment", "nuoret", "--lang", "en")
    assert r.stderr.startswith("error: --segment: unknown segment 'nuoret'")


def _formula_workbook(path: Path) -> Path:
    """The mini workbook as .xlsx with a formula whose value was never saved (openpyxl
    writes no cached values)."""
    run("export", MINI, "--to", "xlsx", "-o", path, "--lang", "en")
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = book["services"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("capacity_per_month") + 1, value="=10*2")
    book.save(path)
    return path


def _bad_inputs(tmp: Path) -> dict[str, tuple[list, str]]:
    """name -> (polku's arguments, a Finnish phrase the answer must hold)."""
    broken = tmp / "broken.xlsx"
    broken.write_text("not a zip")
    latin = copy_mini(tmp / "latin")
    (latin / "needs.csv").write_bytes((latin / "needs.csv").read_bytes() + b"x,\xe4iti\n")
    log_hetu = tmp / "hetu.csv"
    log_hetu.write_text("case,service,start\n131052-308T,tyollistymissuunnitelma,2025-01-01\n")
    log_rows = tmp / "rows.csv"
    log_rows.write_text("case,service,start\n1,nope,2025-01-01\n2,tyollistymissuunnitelma,"
                        "eilen\n")
    log_bytes = tmp / "bytes.csv"
    log_bytes.write_bytes(b"\xff\xfe")
    other_zip = tmp / "other.xlsx"  # a zip, but of something else than a workbook
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("notes.txt", "hello")
    return {
        "no such file": (["validate", "graphs/keski-usimaa.ttl"], "tiedostoa tai kansiota ei ole"),
        "broken xlsx": (["validate", broken], "ei luettava .xlsx-tiedosto"),
        "zip of something else": (["validate", other_zip], "ei luettava .xlsx-tiedosto"),
        "formula never saved": (["validate", _formula_workbook(tmp / "f.xlsx")],
                                "solussa on kaava"),
        "not UTF-8": (["validate", latin], "ei UTF-8-muotoinen"),
        "event log identity code": (["eventlog", log_hetu, "--graph", EXAMPLE, "-o",
                                     tmp / "o.ttl"], "henkilötunnuksen"),
        "event log rows": (["eventlog", log_rows, "--graph", EXAMPLE, "-o", tmp / "o.ttl"],
                           "ei ole ISO 8601 -aikaleima"),
        "event log bytes": (["eventlog", log_bytes, "--graph", EXAMPLE, "-o", tmp / "o.ttl"],
                            "ei UTF-8-muotoinen"),
        "xlsx name": (["export", EXAMPLE, "--to", "xlsx", "-o", tmp / "x.txt"],
                      "xlsx-tulosteen nimen pitää päättyä .xlsx"),
        "report name": (["report", EXAMPLE, "-o", tmp / "r.txt"],
                        "raportti kirjoitetaan .html-, .md- tai .pdf-tiedostoksi"),
        "click value": (["findings", EXAMPLE, "--long-wait-days", "abc"], "'abc' ei ole luku"),
        "click range": (["show", EXAMPLE, "--min-cell", "0"], "pitää olla vähintään 1"),
        "click option": (["paths", EXAMPLE, "--nope"], "valitsinta ei ole: --nope"),
        "click missing": (["export", EXAMPLE, "-o", tmp / "x.ttl"], "--to puuttuu"),
        "click command": (["nosuch"], "komentoa 'nosuch' ei ole"),
    }


def test_every_bad_input_is_worded_in_finnish_with_its_location(tmp_path) -> None:
    for name, (args, phrase) in _bad_inputs(tmp_path).items():
        r = run(*args, "--lang", "fi") if args[0] != "nosuch" else \
            run(*args, env={"POLKU_LANG": "fi"})
        assert r.exit_code in (1, 2), (name, said(r))
        assert phrase in r.stderr, (name, r.stderr)
        assert r.stderr.startswith("virhe: "), (name, r.stderr)
        # nothing is English, not even why the zip library could not open an .xlsx
        words = english_in(r.stderr)
        assert not words, (name, words, r.stderr)


def test_located_problems_keep_their_location_in_every_language(tmp_path) -> None:
    book = _formula_workbook(tmp_path / "f.xlsx")
    fi = run("validate", book, "--lang", "fi").stderr
    sv = run("validate", book, "--lang", "sv").stderr
    en = run("validate", book, "--lang", "en").stderr
    assert f"{book}, taulukko 'services', rivi 2, sarake 'capacity_per_month': solussa on " \
           "kaava" in fi
    assert f"{book}, blad 'services', rad 2, kolumn 'capacity_per_month': cellen innehåller " \
           "en formel" in sv
    assert f"{book}, sheet 'services', row 2, column 'capacity_per_month': the cell holds a " \
           "formula whose value was never saved" in en


def test_notes_and_wrote_lines_follow_the_language(tmp_path) -> None:
    r = run("export", EXAMPLE, "--to", "cpsv-ap", "-o", tmp_path / "c.ttl", "--lang", "fi")
    assert r.exit_code == 0
    assert "huomio: ei CPSV-AP:n julkinen palvelu" in r.stdout
    assert not english_in(r.stdout, "CPSV-AP", "polku:Service")
    # the services are named in the reader's language, with the id beside to find them by
    g = load_graph(EXAMPLE)
    assert f"): {g.nodes['diakonia']['name']} (diakonia): " in r.stdout
    sv = run("export", EXAMPLE, "--to", "cpsv-ap", "-o", tmp_path / "c.ttl", "--lang", "sv")
    assert f"): {g.nodes['diakonia']['name_sv']} (diakonia): " in sv.stdout
    r = run("import", ROOT / "tests" / "fixtures" / "cpsv-ap" / "laukaa-services.ttl", "-o", tmp_path / "l.ttl",
            "--lang", "fi")
    assert "huomio: Kuntouttava työtoiminta (kuntouttava-tyotoiminta): " in r.stdout, r.stdout
    r = run("render", MINI, "-o", tmp_path / "f.html", "--lang", "fi")
    assert r.stdout.startswith("kirjoitettu ") and not english_in(r.stdout)
    r = run("render", MINI, "-o", tmp_path / "f.html", "--lang", "sv")
    assert r.stdout.startswith("skrev ")


def test_one_default_language_for_every_command_and_the_readme_says_so() -> None:
    import typer.main

    from polku.cli import app

    def commands(group):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from commands(cmd)
            else:
                yield name, cmd

    helps = {name: next((p.help for p in cmd.params if p.name == "lang"), None)
             for name, cmd in commands(typer.main.get_command(app))}
    assert helps and all(h is None or "else fi" in h for h in helps.values()), helps
    assert not any("else English" in (h or "") for h in helps.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "one default for every command" in readme and "else English" not in readme


#: readers not yet moved to catalogued templates (none: test_catalogued_errors.py holds
#: the readers, analyses, operations and doors to it as well)
NOT_YET: set[str] = set()


def test_the_readers_raise_catalogued_templates_not_english_sentences() -> None:
    """Every PolkuError (and every located problem a reader collects) in ``io/`` is raised
    with a catalogued template (``N_("…")``) or one passed on from another error, never a
    finished English sentence, so the edge can word it in the reader's language."""
    from babel.messages.pofile import read_po

    catalogues = {}
    for lang in ("fi", "sv"):
        with open(ROOT / f"src/polku/locale/{lang}/LC_MESSAGES/polku.po", "rb") as f:
            catalogues[lang] = read_po(f, locale=lang)
    bad, uncatalogued = [], []
    for path in sorted((ROOT / "src/polku/io").glob("*.py")):
        if path.name in NOT_YET:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if called not in ("PolkuError", "Note", "error"):
                continue
            first = node.args[0]
            if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                bad.append(f"{path.name}:{node.lineno}: {ast.unparse(first)[:60]}")
            elif isinstance(first, ast.Call) and getattr(first.func, "id", None) == "N_":
                msgid = ast.literal_eval(first.args[0])
                for lang, cat in catalogues.items():
                    m = cat.get(msgid)
                    if m is None or not m.string or m.fuzzy:
                        uncatalogued.append(f"{lang}: {msgid}")
    assert not bad, bad
    assert not uncatalogued, uncatalogued


def test_no_command_line_text_in_fi_or_sv_is_left_english_in_the_catalogue() -> None:
    """A smoke test of the usage errors' own words (click's are English)."""
    from polku.present.i18n import error_text, translator
    from polku.present.usage import usage_problem

    class Param:
        param_type_name = "option"
        opts = ["--long-wait-days"]
        secondary_opts: list = []
        name = "long_wait_days"

        class type:  # noqa: N801  (click's attribute name)
            name = "float"

    class BadParameter(Exception):
        message = "'abc' is not a valid float."
        param = Param()
        param_hint = None

    BadParameter.__name__ = "BadParameter"
    UsageError = type("UsageError", (Exception,), {})
    e = type("BadParameter", (BadParameter, UsageError), {})()
    args = ["paths", "g", "--long-wait-days", "abc"]
    assert error_text(usage_problem(e, args), translator("fi")) == \
        "--long-wait-days: 'abc' ei ole luku"
    assert error_text(usage_problem(e, args), translator("sv")) == \
        "--long-wait-days: 'abc' är inte ett tal"
    assert error_text(usage_problem(e, args), translator("en")) == \
        "--long-wait-days: 'abc' is not a number"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_markdown_report_has_no_english(tmp_path, lang) -> None:
    out = tmp_path / "r.md"
    r = run("report", EXAMPLE, "-o", out, "--lang", lang)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    header = {"fi": "| vakavuus | laji | määrä | selitys |",
              "sv": "| allvarlighet | typ | antal | förklaring |"}[lang]
    assert header in text
    assert "| means |" not in text
    assert "PATH-BROKEN" not in text and "- `path-broken`" not in text
    words = english_in(text, "RACI", "Mermaid")
    assert not words, sorted(set(words))


def test_the_diff_speaks_finnish_and_names_what_changed(tmp_path) -> None:
    after = copy_mini(tmp_path / "after")
    referrals = after / "referrals.csv"
    header = referrals.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {"id": "r-new", "from": "alkuhaastattelu", "to": "tyo", "information_flow": "no"}
    with referrals.open("a", encoding="utf-8") as f:
        f.write(",".join(row.get(h, "") for h in header) + "\n")
    text = run("diff", MINI, after, "--lang", "fi").stdout
    added = next(line for line in text.splitlines() if line.startswith("+ "))
    assert added.startswith("+ ohjaus ") and added.endswith("(r-new)")  # by name, then its id
    assert not english_in(text), text
    page = tmp_path / "d.html"
    assert run("diff", MINI, after, "--format", "html", "-o", page, "--lang", "fi").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<title>Muutokset: " in html and "Changes" not in html.split("<script")[0]
    for english in ("Lisätty · added", "Muutos · Change", " added, ", " created, "):
        assert english not in html
    assert '"lisätty"' in html or ">lisätty<" in html or "lisätty\\n" in html


def test_merge_conflicts_are_said_in_the_language_asked(tmp_path) -> None:
    from helpers import SECOND

    r = run("merge", EXAMPLE, SECOND, "-o", tmp_path / "n.ttl", "--lang", "fi")
    assert r.exit_code == 0, r.output
    conflicts = [line for line in r.stdout.splitlines() if line.startswith("ristiriita: ")]
    assert conflicts and all("Y-tunnus" in c and "yhdistettyyn aineistoon jää alueen" in c
                             for c in conflicts)
    assert " says " not in r.stdout and "keeps" not in r.stdout


def test_swedish_says_one_word_for_one_thing_across_the_commands_and_pages(tmp_path) -> None:
    """The Swedish glossary's words hold across the texts that meet on one screen: a
    finding's subject is a *föremål* (the RACI said 'föremål' over its rows, '147 objekt'
    below the title on the command line and '147 ämnen' on the page), an outcome an
    *utfall* (one message said 'resultat'), the client's information *kundens uppgifter*
    as the kind is named (its message said 'klientens'), a participant a *deltagare* (the
    plan table's column said 'medverkande'), and an id is *ett id*."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    raci = said(run("raci", EXAMPLE, "--lang", "sv"))
    assert ": 147 föremål, 34 aktörer" in raci and "objekt" not in raci
    found = said(run("findings", EXAMPLE, "--lang", "sv"))
    assert "följer kundens uppgifter inte med" in found and "klientens" not in found
    assert "når inget utfall utan tjänsten" in found and "resultat" not in found
    plan = said(run("plan", "show", ROOT / "graphs" / "plan.ttl", "--lang", "sv"))
    assert " deltagare " in plan and "medverkande" not in plan
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]))
    page = client.get("/graphs/keski-uusimaa/raci", params={"lang": "sv"}).text
    assert "147 föremål, 34 aktörer" in page and "ämnen" not in page
    report = client.get("/graphs/keski-uusimaa/report", params={"lang": "sv"}).text
    assert "i ordning efter sitt id" in report and "sin id" not in report
    assert "föremålets huvudansvariga" in report and "ämnets" not in report


def test_swedish_calls_the_people_served_kunder_as_its_glossary_does() -> None:
    """The glossary's Swedish for asiakas is *kund* (kundgrupp, kundflöde): a what-if said
    'tar emot 60 klienter i månaden' beside 'Kapacitet: 300 kunder / mån'. *Klient* is
    left to OpenID Connect's client (klient-id), which is a program, not a person."""
    import re

    from babel.messages.pofile import read_po

    with (ROOT / "src" / "polku" / "locale" / "sv" / "LC_MESSAGES" / "polku.po").open("rb") as f:
        catalogue = read_po(f)
    people = [m.id for m in catalogue if m.id and any(
        re.search(r"\bklient(?!-id\b)", text) and "OpenID" not in str(m.id)
        and "ID token" not in str(m.id)
        for text in (m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert people == []
    found = said(run("findings", EXAMPLE, "--lang", "sv"))
    assert "tar emot 60 kunder i månaden" in found, found
