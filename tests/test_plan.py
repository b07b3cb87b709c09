"""The action plan as a graph: importing the plan table, showing it, and its findings.

The seed plan (graphs/sources/, kept byte for byte) is the real thing: a messy export with page-break
continuation rows, rows lacking leading columns, sub-parts, HTML and month ranges in
several spellings. The expectations below were checked by hand against its raw cells.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import PLAN, copy_mini, run
from polku.io import rdf
from polku.analyses.findings import find
from polku.graph import add_edge, new_graph, nodes_of, targets
from polku.io.plan import (import_plan, parse_month_range, parse_plan, parse_responsibility, plan_summary)
from polku.analyses.plan_findings import plan_findings

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

SEED = Path(__file__).resolve().parents[1] / "graphs" / "sources" / "keski-uusimaa-action-plan-2026-2028.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADER = ("Tavoitteet\talateemat\ttoimenpiteet\tkonkreettiset toimet\tkohderyhmät\ttulokset\t"
          "mittarit\tpitkäaikaiset vaikutukset\triskit\tvastuut")


@pytest.fixture(scope="module")
def seed():
    result = import_plan(SEED)
    return result


@pytest.fixture(scope="module")
def measures(seed):
    return {m["id"]: m for m in plan_summary(seed.graph)["measures"]}


# -- the real plan --------------------------------------------------------------------------

def test_seed_imports_without_warnings(seed):
    assert [str(w) for w in seed.warnings] == []
    g = seed.graph
    assert nodes_of(g, "goal") == ["goal-1", "goal-2", "goal-3"]
    assert sorted(nodes_of(g, "measure")) == sorted(
        f"measure-{goal}-{n}" for goal in (1, 2, 3) for n in range(1, 7))
    for m in nodes_of(g, "measure"):
        goal = targets(g, m, "in_goal")
        assert goal == [f"goal-{m.split('-')[1]}"]
    assert nodes_of(g, "actor") == ["keusote", "ttl", "tyollisyysalue"]


@pytest.mark.parametrize("mid, leads, participants, start, end, deferred", [
    ("measure-1-1", ["keusote", "tyollisyysalue"], ["ttl"], "2026-01", "2026-09", True),
    ("measure-1-2", ["ttl"], ["keusote", "tyollisyysalue"], "2026-01", "2026-12", False),
    ("measure-1-3", ["keusote", "tyollisyysalue"], ["ttl"], "2026-04", "2028-03", True),
    ("measure-1-5", ["ttl"], ["keusote", "tyollisyysalue"], None, None, False),
    ("measure-1-6", ["keusote", "tyollisyysalue"], [], None, None, True),
    # TTL is named in a later sentence of the Mukana text ("… yhteistyö. TTL, tuottaa …")
    ("measure-2-1", ["tyollisyysalue"], ["keusote", "ttl"], "2026-04", "2026-12", False),
    # Mukana arrives in a page-break continuation row that lacks its first column
    ("measure-2-2", ["keusote", "tyollisyysalue"], ["ttl"], "2026-04", "2027-03", True),
    ("measure-2-3", ["tyollisyysalue"], ["keusote", "ttl"], "2026-07", "2027-06", False),
    ("measure-2-4", ["tyollisyysalue"], ["keusote"], "2027-01", "2027-12", False),
    ("measure-2-5", ["keusote", "tyollisyysalue"], [], "2027-01", "2028-03", True),
    ("measure-3-1", ["ttl"], [], "2026-07", "2028-06", False),
    # the month range is in the continuation row
    ("measure-3-2", ["keusote", "tyollisyysalue"], ["ttl"], "2026-07", "2028-06", True),
    ("measure-3-4", ["keusote", "tyollisyysalue"], ["ttl"], "2027-01", "2028-06", True),
    # "Heinäkuu 2027- kesäkuu 2028"
    ("measure-3-5", ["ttl"], ["keusote", "tyollisyysalue"], "2027-07", "2028-06", False),
])
def test_seed_measures_checked_by_hand(measures, mid, leads, participants, start, end, deferred):
    m = measures[mid]
    assert (m["leads"], m["participants"], m["start"], m["end"], m["deferred"]) == \
        (leads, participants, start, end, deferred)


def test_seed_split_rows_are_joined_where_they_belong(seed):
    g = seed.graph
    m13 = g.nodes["measure-1-3"]
    assert m13["parts"] == ["A: JOHTAMINEN", "B: TOIMINTA", "C: YHTEISTYÖ"]
    assert m13["note"] == "Johtamisen valmennus syksy 2026->"
    # the row after the page break continues actions, risks and responsibilities of part A
    assert "tarvittavista foorumeista, foorumirakenteista sekä käytänteistä" in m13["actions"]
    risks = {g.nodes[r]["name"]: g.nodes[r].get("mitigation") for r in targets(g, "measure-1-3", "has_risk")}
    assert risks["Sovittuja vastuuta ei kanneta."] == "toteutumisen seuranta ja yhteinen säännöllinen arviointi"
    ttl_note = g.edges["ttl", "measure-1-3", "responsibility:participant"]["note"]
    assert "työkokouksiin ja työpajoihin ja niiden suunnitteluun" in ttl_note
    # measure 1.4: the continuation row of its risk cell, not of its responsibilities
    risks14 = [g.nodes[r] for r in targets(g, "measure-1-4", "has_risk")]
    assert risks14[-1]["mitigation"].startswith("riittävä yhteinen keskustelu ja ymmärrys")
    assert "yhteinen keskustelu" not in g.edges["ttl", "measure-1-4", "responsibility:participant"]["note"]
    # measure 2.2's title continues in a row that lacks the goal column
    assert g.nodes["measure-2-2"]["name"].startswith(
        "Kehitetään yhtenäinen tapa tuen tarpeiden (varhaiselle) ennakoinnille ja tunnistamiselle "
        "(segmentointi) sekä toimijoiden väliselle")
    assert g.nodes["measure-2-5"]["actions"].endswith(
        "kehitetään toimintaa kustannustehokkaammaksi esimerkiksi työprosesseja muotoilemalla.")
    assert g.nodes["measure-3-2"]["name"].endswith("työhön osallistumisen optimaaliselle kehittämiselle.")
    # risks as a dash list, indicators one per sentence
    assert [g.nodes[r]["name"] for r in targets(g, "measure-2-4", "has_risk")] == [
        "epäselvät roolit ja vastuunjako", "eri toimijoiden erilaiset näkemykset prioriteeteista",
        "tiedonkulun haasteet"]
    assert [g.nodes[i]["name"] for i in targets(g, "measure-2-3", "has_indicator")] == [
        "Malli luotu.", "Mallin koettu hyödyllisyys."]
    assert g.nodes["risk-1-2-2"].get("mitigation") is None  # "→ ??" is no mitigation
    assert g.nodes["measure-1-1"]["deferred_text"] == "kontaktointivastuut toimijoiden osalta jaetaan"


def test_seed_text_is_clean(seed):
    g = seed.graph
    texts = [v for _, d in g.nodes(data=True) for v in d.values() if isinstance(v, str)]
    texts += [d["note"] for *_, d in g.edges(data=True) if d.get("note")]
    assert texts
    for t in texts:
        assert not re.search(r"<\s*/?\s*[a-z]+[^>]*>|&[a-z#0-9]+;|  |\t|^\s|\s$", t), t


def test_seed_round_trips_through_turtle(seed, tmp_path):
    path = tmp_path / "plan.ttl"
    rdf.write_turtle(seed.graph, path)
    back = rdf.read_turtle(path)
    assert {n: dict(d) for n, d in back.nodes(data=True)} == \
        {n: dict(d) for n, d in seed.graph.nodes(data=True)}
    edges = lambda g: sorted((u, v, k, sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True))
    assert edges(back) == edges(seed.graph)


def test_committed_plan_graph_is_the_seed_import(seed):
    """graphs/plan.ttl is what `polku plan import` makes of the seed (graphs/sources/README.md)."""
    committed = Path(__file__).resolve().parents[1] / "graphs" / "plan.ttl"
    g = import_plan(SEED, name="plan").graph
    assert (g.graph["title"], g.graph["source"]) == (
        "Toimintasuunnitelma 2026–2028", "keski-uusimaa-action-plan-2026-2028.txt")
    assert committed.read_text(encoding="utf-8") == rdf.graph_turtle(g)


# -- pieces ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("huhtikuu 2026 – maaliskuu 2028", ("2026-04", "2028-03")),
    ("Tammikuu – joulukuu 2026", ("2026-01", "2026-12")),
    ("Heinäkuu 2027- kesäkuu 2028", ("2027-07", "2028-06")),
    ("<b>Tammikuu 2026 – syyskuu 2026</b>", ("2026-01", "2026-09")),
    ("tammi–syyskuu 2026", ("2026-01", "2026-09")),
    ("HEINAKUU 2026 - KESAKUU 2027", ("2026-07", "2027-06")),
    ("lokakuu – helmikuu 2027", ("2026-10", "2027-02")),
    ("syyskuu 2026", ("2026-09", "2026-09")),
    ("Benchmark lokakuussa", None),
    ("syksy 2026->", None),
])
def test_month_ranges(text, expected):
    got = parse_month_range(text)
    assert (got[:2] if got else None) == expected


def test_responsibility_parsing():
    named, problems = parse_responsibility(
        "Päävastuu: TTL Mukana: Keusote ja Työllisyysalue tuottaa tietoa ja osallistuu.")
    assert problems == []
    assert [(n.actor, n.role) for n in named] == [
        ("ttl", "lead"), ("keusote", "participant"), ("tyollisyysalue", "participant")]
    assert named[1].note == "tuottaa tietoa ja osallistuu."
    named, _ = parse_responsibility("Päävastuu: Kuntien Työllisyyspalvelut, vetää. Mukana: Kela")
    assert [(n.actor, n.role) for n in named] == [
        ("kuntien-tyollisyyspalvelut", "lead"), ("kela", "participant")]
    named, problems = parse_responsibility("Päävastuu: sovitaan myöhemmin")
    assert named == [] and "no actor named" in problems[0][1]


def plan_text(*rows: str) -> str:
    return "\n".join((HEADER,) + rows) + "\n"


GOAL_ROW = "<b>1. Tavoite yksi</b>\t1\t"
GOOD_MEASURE = ("1: Kootaan toimijat  huhtikuu 2026 – joulukuu 2026\t- kootaan\tjohto\tkuvaus\t"
                "Kuvattu kyllä/ei.\tselkeys\tKato → kontaktointi\tPäävastuu: TTL  Mukana: Keusote")


def test_unplaceable_text_is_reported_with_row_and_column():
    result = parse_plan(plan_text(
        "\t\tirrallinen teksti ennen tavoitetta",
        GOAL_ROW + GOOD_MEASURE,
        GOAL_ROW.replace("Tavoite yksi", "Sama tavoite") + "2: Toinen\t\t\t\t\t\t\tvastuu ilman merkintää",
    ), source="p.txt")
    messages = [str(w) for w in result.warnings]
    # a row of three fields lacks seven leading columns: its text lands in 'vastuut'
    assert any(m.startswith("p.txt, row 2, column 'vastuut': text before any measure") for m in messages), messages
    assert any("row 4, column 'tavoitteet': goal 1 appears a second time" in m for m in messages), messages
    assert any("row 4, column 'vastuut'" in m and "outside 'Päävastuu:'" in m for m in messages), messages
    assert sorted(nodes_of(result.graph, "measure")) == ["measure-1-1", "measure-1-2"]


def test_every_lead_is_kept_or_reported():
    """A second lead is a lead (the multiple-leads finding needs it), also when polku does
    not know the organisation; a lead that cannot be told from prose is a located warning,
    never dropped in silence."""
    result = parse_plan(plan_text(
        GOAL_ROW + GOOD_MEASURE.replace("Päävastuu: TTL  Mukana: Keusote",
                                        "Päävastuu: Keusote ja Vantaan kaupunki  Mukana: TTL"),
        "\t\t2: Toinen  huhtikuu 2026 – joulukuu 2026\t- x\tjohto\tkuvaus\tMittari.\tselkeys\t"
        "Kato → kontaktointi\tPäävastuu: Keusote ja Espoo vastaavat yhdessä.",
    ), source="p.txt")
    g = result.graph
    leads = plan_summary(g)["measures"][0]["leads"]
    assert leads == ["keusote", "vantaan-kaupunki"]
    assert g.nodes["vantaan-kaupunki"]["name"] == "Vantaan kaupunki"
    assert [(f.kind, f.subject) for f in plan_findings(g) if f.kind == "multiple-leads"] \
        == [("multiple-leads", "measure-1-1")]
    messages = [str(w) for w in result.warnings]
    assert len(messages) == 1, messages
    assert messages[0].startswith("p.txt, row 3, column 'vastuut': measure 1.2: 'ja Espoo "
                                  "vastaavat yhdessä.' after Keusote may name one more "
                                  "organisation"), messages


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_plan_reads_as_the_utf8_one(tmp_path, encoding):
    """Word and Excel save "Unicode text" as UTF-16: with a byte order mark, or plainly
    little- or big-endian without one. Each reads exactly as the UTF-8 original."""
    path = tmp_path / "plan.txt"
    path.write_bytes(SEED_TEXT.encode(encoding))
    result = import_plan(path)
    assert result.warnings == []
    assert plan_summary(result.graph) == plan_summary(import_plan(SEED).graph)


def csv_refusal(path, row: int, sep: str) -> str:
    """The one line a plan saved as a spreadsheet's CSV is refused with."""
    return (f"error: {path}, row {row}: the plan table's header is separated by '{sep}', not "
            "by tabs (a spreadsheet's CSV): save the table as tab-separated text (Excel: Text "
            "(Tab delimited)) or export it from the document again")


@pytest.mark.parametrize("sep", [";", ","])
def test_a_plan_saved_as_csv_is_one_clear_located_error(tmp_path, sep):
    path = tmp_path / "plan.csv"
    rows = [line.split("\t") for line in SEED_TEXT.splitlines()[4:10]]  # the header first
    path.write_text("\n".join(sep.join(f'"{c}"' for c in row) for row in rows), encoding="utf-8")
    r = run("plan", "import", path, "-o", tmp_path / "plan.ttl")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [csv_refusal(path, 1, sep)]
    assert not (tmp_path / "plan.ttl").exists()


def test_a_plan_saved_with_semicolons_names_the_semicolon(tmp_path):
    """The whole plan saved with ';': its title line lists the columns with commas, but
    the header that separates the table is the ';' one, on line 5."""
    path = tmp_path / "plan.txt"
    path.write_text(SEED_TEXT.replace("\t", ";"), encoding="utf-8")
    r = run("plan", "import", path, "-o", tmp_path / "plan.ttl")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [csv_refusal(path, 5, ";")]


ROOT = SEED.parents[2]
NOT_A_PLAN_TAIL = (", not a plan table: a plan file is the plan's table saved as tab-separated "
                   "text in UTF-8, its first row the headers Tavoitteet, alateemat, "
                   "toimenpiteet, … (see the README, 'The action plan as a graph')")


@pytest.mark.parametrize("make, looks", [
    (lambda d: ROOT / "graphs" / "plan.ttl", "a Turtle graph (RDF)"),
    (lambda d: ROOT / "graphs" / "keski-uusimaa" / "services.csv", "a CSV table (comma separated)"),
    # the same files renamed .txt are told by what they hold
    (lambda d: _copy(ROOT / "graphs" / "plan.ttl", d / "plan.txt"), "a Turtle graph (RDF)"),
    (lambda d: _copy(ROOT / "graphs" / "keski-uusimaa" / "services.csv", d / "services.txt"),
     "a CSV table (comma separated)"),
    (lambda d: _write(d / "notes.txt", "Muistio\nEi taulukkoa lainkaan.\n"),
     "text without a single tab"),
    (lambda d: _write(d / "plan.json", '{"goals": []}'), "a JSON document"),
    (lambda d: _write(d / "plan.txt", '{"goals": []}'), "a JSON document"),
    # a suffix says what a file is even when it holds tabs (and no plan header)
    (lambda d: _write(d / "data.csv", "a\tb\nc\td\n"), "a CSV table (comma separated)"),
    (lambda d: _write(d / "plan.xlsx", b"PK\x03\x04" + bytes(200)), "a spreadsheet workbook"),
    (lambda d: _write(d / "plan.bin", b"PK\x03\x04" + bytes(200)),
     "a zip archive (a workbook or a document)"),
])
def test_a_file_that_is_no_plan_is_one_clear_located_error(tmp_path, make, looks):
    """A graph, a CSV table, a workbook or text without tabs is refused once, saying what
    it looks like and what a plan file is, not read into a warning for every line."""
    path = make(tmp_path)
    out = tmp_path / "p.ttl"
    r = run("plan", "import", path, "-o", out)
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        f"error: {path}: this file looks like {looks}{NOT_A_PLAN_TAIL}"], r.output
    assert not out.exists()


def test_a_file_that_is_no_plan_is_told_in_the_readers_language(tmp_path):
    out = tmp_path / "p.ttl"
    plan = ROOT / "graphs" / "plan.ttl"
    r = run("plan", "import", plan, "-o", out, "--lang", "fi")
    assert r.output.strip().splitlines() == [
        f"virhe: {plan}: tiedosto näyttää olevan Turtle-muotoinen aineisto (RDF), ei "
        "suunnitelmataulukko: suunnitelmatiedosto on suunnitelman taulukko tallennettuna "
        "sarkaimin eroteltuna tekstinä UTF-8-merkistössä, ensimmäisenä rivinä otsikot "
        "Tavoitteet, alateemat, toimenpiteet, … (katso README:n luku 'The action plan as a "
        "graph')"], r.output
    r = run("plan", "import", ROOT / "graphs" / "keski-uusimaa" / "services.csv", "-o", out,
            "--lang", "sv")
    assert r.exit_code == 1 and "ser ut att vara en CSV-tabell (kommaavgränsad), inte en " \
        "plantabell" in r.output, r.output


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def _write(target: Path, content) -> Path:
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def test_a_tab_separated_plan_without_a_header_is_still_read(tmp_path):
    """Tab-separated text without the header row is a plan table that lost its first row:
    it is read in the standard column order, and the missing header is a warning."""
    path = tmp_path / "plan.txt"
    path.write_text(plan_text(GOAL_ROW + GOOD_MEASURE).split("\n", 1)[1], encoding="utf-8")
    result = import_plan(path)
    assert [w.msgid for w in result.warnings] == [
        "no header row (Tavoitteet, alateemat, toimenpiteet, …) found; reading every row in "
        "the standard column order"]
    assert nodes_of(result.graph, "measure") == ["measure-1-1"]


def test_a_binary_file_is_not_a_plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(range(256)) * 4)
    r = run("plan", "import", path, "-o", tmp_path / "plan.ttl")
    assert r.exit_code == 1 and "holds zero bytes" in r.output, r.output


# -- CLI ------------------------------------------------------------------------------------

@pytest.mark.parametrize("out_name", ["plan.xlsx", "plan"])
def test_cli_imports_a_plan_into_a_workbook(tmp_path, out_name):
    """`-o x.xlsx` (or a folder) writes the plan as a workbook: its plan sheets hold the
    same plan as the graph file would."""
    out = tmp_path / out_name
    r = run("plan", "import", SEED, "-o", out)
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"wrote {out}: ") and "plan measures 18" in r.output
    from polku.io.load import load_graph

    g = load_graph(str(out))
    assert plan_summary(g) == plan_summary(import_plan(SEED).graph)
    assert g.graph["title"] == "Toimintasuunnitelma 2026–2028"


def test_cli_plan_findings_print_as_the_other_finding_commands(tmp_path):
    """table (the default), markdown and json, as polku findings prints them, headed by
    the plan's title; JSON names the graph by its id."""
    out = tmp_path / "plan.ttl"
    assert run("plan", "import", SEED, "-o", out).exit_code == 0
    table = run("plan", "findings", out)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0] == "Action plan 2026–2028: 40 findings"
    assert "deferred-responsibility" in table.output
    markdown = run("plan", "findings", out, "--format", "markdown")
    assert markdown.output.startswith("# Findings: Action plan 2026–2028")
    assert "| warning |" in markdown.output
    doc = json.loads(run("plan", "findings", out, "--format", "json").output)
    assert doc["graph"] == "plan" and len(doc["findings"]) == 40
    r = run("plan", "findings", out, "--format", "csv")
    assert r.exit_code == 1 and "unknown format 'csv'" in r.output


def test_cli_import_names_the_outputs_it_writes(tmp_path):
    r = run("plan", "import", SEED, "-o", tmp_path / "plan.csv")
    assert r.exit_code == 1
    assert r.output.strip() == (f"error: {tmp_path / 'plan.csv'}: write a .ttl, .jsonld, or "
                                ".xlsx file, or a folder (no suffix)")
    r = run("plan", "import", SEED, "-o", tmp_path / "plan.csv", "--lang", "fi")
    assert ("kirjoita tiedosto, jonka pääte on .ttl, .jsonld tai .xlsx, tai kansio "
            "(ilman päätettä)") in r.output, r.output


def test_cli_import_titles_the_plan(tmp_path):
    out = tmp_path / "p.ttl"
    assert run("plan", "import", SEED, "-o", out, "--title", "Keski-Uudenmaan suunnitelma").exit_code == 0
    r = run("raci", out, "--subjects", "measures")
    assert r.output.startswith("RACI Keski-Uudenmaan suunnitelma: 18 subjects")


def test_cli_import_refuses_an_invalid_graph_id_up_front(tmp_path):
    """--name is the graph's id: one that is none is refused before anything is read or
    written (a graph named so would fail to load); a default made from an output's file
    name is made an id."""
    out = tmp_path / "pw2"
    r = run("plan", "import", SEED, "-o", out, "--name", "Keski Uusimaa")
    assert r.exit_code == 1
    assert r.output.strip() == ("error: --name: 'Keski Uusimaa' is not a valid graph id "
                                "(only the letters a–z without å, ä and ö, digits, '-' and "
                                "'_', starting with a letter or digit): write, for example, "
                                "'keski-uusimaa'")
    assert not out.exists()
    out = tmp_path / "Plan 2026.ttl"
    assert run("plan", "import", SEED, "-o", out).exit_code == 0
    from polku.io.load import load_graph

    assert load_graph(str(out)).graph["name"] == "plan-2026"


def test_cli_import_counts_by_plural_names_in_every_language(tmp_path):
    counts = {"en": "actors 3, plan goals 3, plan measures 18, indicators 32, risks 39, "
                    "responsibilities 49",
              "fi": "toimijat 3, suunnitelman tavoitteet 3, suunnitelman toimenpiteet 18"}
    for lang, said in counts.items():
        r = run("plan", "import", SEED, "-o", tmp_path / "p.ttl", "--lang", lang)
        assert r.exit_code == 0 and said in r.output, r.output


def test_plan_commands_on_a_graph_without_a_plan_say_so(tmp_path):
    """plan show and plan findings of a graph without a plan say there is none (exit 1),
    as the plan views do: "0 findings" would pass for a plan with nothing to find."""
    mini = copy_mini(tmp_path / "mini")
    for command in ("show", "findings"):
        r = run("plan", command, mini)
        assert r.exit_code == 1, r.output
        assert r.output.strip() == (
            f"error: {mini}: 'mini' has no action plan (no plan goals or measures): import a "
            "plan table with polku plan import, or add the plan sheets to the workbook")
    r = run("plan", "findings", mini, "--lang", "fi")
    assert r.exit_code == 1 and "ei sisällä toimintasuunnitelmaa" in r.output, r.output


def test_cli_plan_show_heads_and_writes_months_and_names_whole(tmp_path):
    """plan show is headed by the plan's title; months read as the reader writes them;
    an organisation's name is whole when the column has room for it."""
    out = tmp_path / "plan.ttl"
    assert run("plan", "import", SEED, "-o", out, "--title", "Keski-Uudenmaan suunnitelma").exit_code == 0
    for lang, months in (("fi", "1/2026–9/2026"), ("sv", "1/2026–9/2026"),
                         ("en", "Jan 2026 – Sep 2026")):
        r = run("plan", "show", out, "--lang", lang)
        assert r.exit_code == 0, r.output
        lines = r.output.splitlines()
        assert lines[0] == "Keski-Uudenmaan suunnitelma", lines[:3]
        row = next(line for line in lines if line.lstrip().startswith("1.1 "))
        assert f"  {months}  " in row and "2026-01" not in r.output, row
        assert "Keski-Uudenmaan hyvinvointialue (Keusote), Keski-Uudenmaan työllisyysalue" in row
        assert "…," not in r.output


def test_cli_plan_findings_markdown_names_measures_and_organisations(tmp_path):
    out = tmp_path / "plan.ttl"
    assert run("plan", "import", SEED, "-o", out).exit_code == 0
    r = run("plan", "findings", out, "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert not re.search(r"`(measure|risk|goal)-\d|`(ttl|keusote|tyollisyysalue)`", r.output)
    row = next(line for line in r.output.splitlines()
               if line.startswith("| warning | division of work") and "| 1.1 " in line)
    assert row.startswith("| warning | division of work still to be agreed | 1.1 Tilannekuva 1: "
                          "Kootaan ja kuvataan ekosyste… | Keski-Uudenmaan hyvinvointialue "
                          "(Keusote), Keski-Uudenmaan työllisyysalue | "), row
    overload = next(line for line in r.output.splitlines() if "| Työterveyslaitos |" in line)
    assert "| 2.6 Palvelutarjonnan tarkastelu" in overload and "3.6 Kehitettyjen" in overload


def test_cli_import_show_and_findings(tmp_path):
    out = tmp_path / "plan.ttl"
    r = run("plan", "import", SEED, "-o", out)
    assert r.exit_code == 0, r.output
    assert "plan measures 18" in r.output and out.exists()
    r = run("plan", "show", out, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert list(doc) == ["goals", "measures"]
    assert [list(g) for g in doc["goals"]] == [["id", "title"]] * 3
    assert len(doc["measures"]) == 18
    for m in doc["measures"]:
        assert list(m) == ["id", "goal", "title", "leads", "participants", "start", "end",
                           "indicators", "risks", "deferred"]
        for month in (m["start"], m["end"]):
            assert month is None or re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", month)
    m11 = doc["measures"][0]
    assert (m11["id"], m11["goal"], m11["leads"], m11["participants"], m11["start"], m11["end"],
            m11["deferred"]) == ("measure-1-1", "goal-1", ["keusote", "tyollisyysalue"], ["ttl"],
                                 "2026-01", "2026-09", True)
    r = run("plan", "show", out, "--lang", "en")
    assert r.exit_code == 0 and "deferred" in r.output
    # people read numbers and names: 3.6, not measure-3-6; Työterveyslaitos, not ttl
    lines = r.output.splitlines()
    assert lines[0] == "Action plan 2026–2028"  # the title polku gave it, in English
    assert lines[2].startswith("1. Luodaan vaikeasti työllistyviin")
    row = next(line for line in lines if line.lstrip().startswith("3.6 "))
    assert "Työterveyslaitos" in row and "Keski-Uudenmaan" in row
    assert not re.search(r"\b(measure-|goal-)|\b(ttl|keusote|tyollisyysalue)\b", r.output)
    r = run("plan", "show", out, env={"POLKU_LANG": ""})
    assert r.exit_code == 0 and "toimenpide" in r.output and "työnjako auki" in r.output
    r = run("plan", "findings", out, "--format", "json")
    kinds = {f["kind"] for f in json.loads(r.output)["findings"]}
    # the eight two-lead measures are all deferred: deferred-responsibility, not also
    # multiple-leads; 29 of the 39 risks name no mitigation
    assert kinds == {"deferred-responsibility", "actor-overload", "risk-without-mitigation"}
    r = run("plan", "findings", out, "--max-concurrent-leads", "8", "--format", "json")
    kinds = {f["kind"] for f in json.loads(r.output)["findings"]}
    assert "actor-overload" not in kinds
    # the findings of the whole graph carry the plan kinds and their setting
    r = run("findings", out, "--format", "json")
    assert {f["kind"] for f in json.loads(r.output)["findings"]} == {
        "deferred-responsibility", "actor-overload", "risk-without-mitigation"}
    r = run("findings", out, "--format", "json", "--max-concurrent-leads", "7")
    overloaded = [f for f in json.loads(r.output)["findings"] if f["kind"] == "actor-overload"]
    assert [(f["subject"], f["metrics"]["concurrent"], f["metrics"]["month"]) for f in overloaded] \
        == [("tyollisyysalue", 8, "2027-01")]
    # the data keeps the plan's month; the sentence writes it as the reader does, and the
    # limit is the setting's, not a decree's ("asetus sallii" read as "the decree allows")
    r = run("findings", out, "--format", "json", "--max-concurrent-leads", "7", "--lang", "fi")
    [message] = [f["message"] for f in json.loads(r.output)["findings"]
                 if f["kind"] == "actor-overload"]
    assert "kuussa 1/2027 (raja on 7)" in message and "asetus" not in message, message


def test_cli_import_exit_codes(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(plan_text(GOAL_ROW + GOOD_MEASURE, "\t\t\t\t\t\t\t\t\tMukana: ilman toimijaa"),
                   encoding="utf-8")
    out = tmp_path / "bad.ttl"
    r = run("plan", "import", bad, "-o", out)
    assert r.exit_code == 1
    assert "row 3, column 'vastuut'" in r.output and "no actor named after 'Mukana:'" in r.output
    assert not out.exists()
    r = run("plan", "import", bad, "-o", out, "--lenient")
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and out.exists()
    r = run("plan", "import", tmp_path / "missing.txt", "-o", out)
    assert r.exit_code == 1 and "cannot read the plan" in r.output
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert run("plan", "import", empty, "-o", out).exit_code == 1
    r = run("plan", "show", out, "--format", "yaml")
    assert r.exit_code == 1 and "unknown format" in r.output


# -- findings -------------------------------------------------------------------------------

def crafted(leads=("keusote",), participants=("ttl",), indicator=True, deferred=False,
            start="2026-01", end="2026-12", n=1):
    g = new_graph("crafted")
    g.add_node("goal-1", type="goal", name="Tavoite")
    for a in ("keusote", "tyollisyysalue", "ttl"):
        g.add_node(a, type="actor", name=a, kind="other")
    for i in range(1, n + 1):
        m = f"measure-1-{i}"
        attrs = {"start": start, "end": end} if start else {}
        g.add_node(m, type="measure", name=f"Toimenpide {i}", deferred=deferred, **attrs)
        add_edge(g, m, "goal-1", "in_goal")
        for a in leads:
            add_edge(g, a, m, "responsibility", key="responsibility:lead", role="lead")
        for a in participants:
            add_edge(g, a, m, "responsibility", key="responsibility:participant", role="participant")
        if indicator:
            g.add_node(f"indicator-1-{i}-1", type="indicator", name="Tehty kyllä/ei")
            add_edge(g, m, f"indicator-1-{i}-1", "has_indicator")
    return g


def kinds(g, **kw):
    return sorted((f.kind, f.severity, f.subject, f.related) for f in plan_findings(g, **kw))


def test_finding_no_lead():
    assert kinds(crafted(leads=())) == [("no-lead", "error", "measure-1-1", ("ttl",))]
    assert kinds(crafted()) == []


def test_finding_multiple_leads():
    assert kinds(crafted(leads=("keusote", "tyollisyysalue"))) == [
        ("multiple-leads", "warning", "measure-1-1", ("keusote", "tyollisyysalue"))]


def test_finding_deferred_responsibility():
    got = kinds(crafted(deferred=True))
    assert got == [("deferred-responsibility", "warning", "measure-1-1", ("keusote",))]


def test_finding_measure_without_indicator():
    assert kinds(crafted(indicator=False)) == [
        ("measure-without-indicator", "warning", "measure-1-1", ("goal-1",))]


def test_finding_actor_overload():
    g = crafted(n=4)
    [f] = plan_findings(g)
    assert (f.kind, f.subject, f.related) == ("actor-overload", "keusote",
                                              tuple(f"measure-1-{i}" for i in range(1, 5)))
    assert f.metrics["concurrent"] == 4 and f.metrics["month"] == "2026-01"
    assert f.metrics["months_over"] == 12
    assert plan_findings(g, max_concurrent_leads=4) == []
    assert plan_findings(crafted(n=3)) == []
    assert plan_findings(crafted(n=5, start=None)) == []  # undated measures do not count
    # four measures, but never more than two at once
    g = crafted(n=4)
    for i, (s, e) in enumerate([("2026-01", "2026-03"), ("2026-04", "2026-06")] * 2, 1):
        g.nodes[f"measure-1-{i}"].update(start=s, end=e)
    assert plan_findings(g) == []


def test_seed_findings_and_ecosystem_findings_include_plan_kinds(seed):
    found = plan_findings(seed.graph)
    by_kind: dict[str, set[str]] = {}
    for f in found:
        by_kind.setdefault(f.kind, set()).add(f.subject)
    two_leads = {f"measure-{m}" for m in ("1-1", "1-3", "1-4", "1-6", "2-2", "2-5", "3-2", "3-4")}
    unmitigated = by_kind.pop("risk-without-mitigation")
    assert by_kind == {"deferred-responsibility": two_leads,
                       "actor-overload": {"keusote", "tyollisyysalue", "ttl"}}
    assert len(unmitigated) == 29 and {"risk-1-2-2", "risk-3-6-1"} <= unmitigated
    assert all(not seed.graph.nodes[r].get("mitigation") for r in unmitigated)
    # the deferred measures name their two leads as accountable
    for f in found:
        if f.kind == "deferred-responsibility":
            assert f.accountable == f.related and len(f.accountable) == 2 and \
                f.measures == (f.subject,)
    assert {(f.kind, f.subject) for f in find(seed.graph)} >= {(f.kind, f.subject) for f in found}


# -- robustness -----------------------------------------------------------------------------

SEED_LINES = SEED_TEXT.split("\n")
SEED_IDS = set(nodes_of(parse_plan(SEED_TEXT).graph, "measure"))
TAGS = ["<b>{}</b>", "<p>{}</p>", "<ul><li>{}</li></ul>", "{}<br>", "<span style=\"x\">{}</span>",
        "&lt;b&gt;{}"]


@st.composite
def mangled(draw) -> str:
    lines = list(SEED_LINES)
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["drop", "split", "html", "blank", "swap"]))
        i = rnd.randrange(len(lines))
        fields = lines[i].split("\t")
        j = rnd.randrange(len(fields))
        if op == "drop":
            del fields[j]
            lines[i] = "\t".join(fields)
        elif op == "split":
            cell = fields[j]
            k = rnd.randrange(len(cell) + 1)
            first = fields[:j] + [cell[:k]]
            second = [""] * j + [cell[k:]] + fields[j + 1:]
            lines[i:i + 1] = ["\t".join(first)] + ([""] if rnd.random() < 0.5 else []) + ["\t".join(second)]
        elif op == "html":
            fields[j] = rnd.choice(TAGS).format(fields[j])
            lines[i] = "\t".join(fields)
        elif op == "blank":
            lines.insert(i, "")
        else:
            fields[j], fields[-1] = fields[-1], fields[j]
            lines[i] = "\t".join(fields)
    return "\n".join(lines)


@pytest.mark.slow  # 150 mangled plans
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_mangled_plan_never_crashes_nor_invents_measures(text):
    result = parse_plan(text)
    found = set(nodes_of(result.graph, "measure"))
    assert found <= SEED_IDS
    for m in found:
        assert result.graph.nodes[m]["name"]
        for month in ("start", "end"):
            value = result.graph.nodes[m].get(month)
            assert value is None or re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)
    plan_findings(result.graph)  # the findings take whatever the importer produced


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from("äöÄÖ→–&\""), min_size=1))
def test_entities_in_place_of_characters_change_nothing(chars):
    import html as htmlmod
    text = SEED_TEXT
    for c in chars:
        text = text.replace(c, htmlmod.escape(c) if c in "&\"" else f"&#{ord(c)};")
    assert plan_summary(parse_plan(text).graph) == plan_summary(parse_plan(SEED_TEXT).graph)


# -- the workbook's plan sheets -------------------------------------------------------------

def _norm(g):
    return ({n: dict(d) for n, d in g.nodes(data=True)},
            sorted((u, v, k, sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True)))


@pytest.mark.parametrize("target", ["wb", "wb.xlsx"])
def test_plan_round_trips_through_the_workbook(seed, tmp_path, target):
    r = run("export", PLAN, "--to", "xlsx" if target.endswith(".xlsx") else "workbook", "-o", tmp_path / target)
    assert r.exit_code == 0, r.output
    if not target.endswith(".xlsx"):
        header = (tmp_path / target / "measures.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("id,goal,title,leads,participants,start,end,subjects")
    from polku.io import workbook
    back = workbook.read_workbook(tmp_path / target, name="plan")
    assert _norm(back) == _norm(parse_plan(SEED_TEXT, name="plan").graph)


def _mini_with(tmp_path: Path, measures: str, goals: str = "id,title\ngoal-1,Tavoite\n",
               extra_rows: str = "") -> Path:
    dest = copy_mini(tmp_path / "mini")
    (dest / "goals.csv").write_text(goals, encoding="utf-8")
    (dest / "measures.csv").write_text(measures, encoding="utf-8")
    if extra_rows:
        with open(dest / "responsibilities.csv", "a", encoding="utf-8") as f:
            f.write(extra_rows)
    return dest


def test_measures_sheet_joins_the_plan_to_the_ecosystem(tmp_path):
    wb = _mini_with(tmp_path,
                    "id,goal,title,leads,participants,start,end,subjects\n"
                    "m-ips,goal-1,IPS-pilotti,keusote;kela,tyokykytiimi,2026-04,4/2027,"
                    "nuoret;kuntouttava;tyokyky\n",
                    extra_rows="keusote,m-ips,lead,vetää pilotin\n")
    from polku.io import workbook
    g = workbook.read_workbook(wb)
    assert targets(g, "m-ips", "subject") == ["kuntouttava", "nuoret", "tyokyky"]
    assert targets(g, "m-ips", "in_goal") == ["goal-1"]
    assert g.nodes["m-ips"]["name"] == "IPS-pilotti" and g.nodes["m-ips"]["end"] == "2027-04"
    assert g.edges["keusote", "m-ips", "responsibility:lead"]["note"] == "vetää pilotin"
    assert g.edges["kela", "m-ips", "responsibility:lead"]["role"] == "lead"
    out = tmp_path / "joined.ttl"
    assert run("import", wb, "-o", out).exit_code == 0
    r = run("plan", "show", out, "--format", "json")
    [m] = json.loads(r.output)["measures"]
    assert (m["leads"], m["participants"], m["start"], m["end"], m["goal"]) == \
        (["kela", "keusote"], ["tyokykytiimi"], "2026-04", "2027-04", "goal-1")
    found = {(f.kind, f.subject) for f in find(g)}
    assert {("multiple-leads", "m-ips"), ("measure-without-indicator", "m-ips")} <= found


@pytest.mark.parametrize("row, column, message", [
    ("m1,goal-1,T,keusote,,2026-13,,", "start", "is not a month"),
    ("m1,goal-1,T,keusote,,2027-01,2026-01,", "end", "comes before the start"),
    ("m1,goal-9,T,keusote,,,,", "goal", "unknown goal id 'goal-9'"),
    ("m1,goal-1,T,keusote,,,,kela", "subjects", "'kela' is an actor"),
    ("m1,goal-1,T,nobody,,,,", "leads", "unknown actor id 'nobody'"),
    ("m1,goal-1,T,keusote,keusote,,,", "participants", "named twice"),
    ("m1,goal-1,,keusote,,,,", "title", "the required value 'title' is empty"),
])
def test_measures_sheet_errors_name_row_and_column(tmp_path, row, column, message):
    wb = _mini_with(tmp_path, "id,goal,title,leads,participants,start,end,subjects\n" + row + "\n")
    r = run("import", wb, "-o", tmp_path / "x.ttl")
    assert r.exit_code == 1
    assert f"sheet 'measures', row 2, column '{column}'" in r.output and message in r.output, r.output


@pytest.mark.parametrize("lang, heading", [("fi", "Toimintasuunnitelma 2026–2028"),
                                           ("sv", "Handlingsplan 2026–2028"),
                                           ("en", "Action plan 2026–2028")])
def test_the_plans_own_title_is_said_in_the_readers_language(tmp_path, lang, heading):
    """A plan imported without --title is called what polku calls it, in each language: a
    Swedish reader's heading, index and comparison read 'Handlingsplan 2026–2028' (they
    read 'Toimintasuunnitelma 2026–2028'); a title given with --title is the plan's own."""
    from fastapi.testclient import TestClient

    from polku.app import create_app

    out = tmp_path / "served" / "plan.ttl"
    out.parent.mkdir()
    assert run("plan", "import", SEED, "-o", out, "--name", "plan").exit_code == 0
    shown = run("plan", "show", out, "--lang", lang)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[0] == heading
    index = TestClient(create_app([out.parent])).get("/", params={"lang": lang}).text
    assert heading in index
    assert lang == "fi" or "Toimintasuunnitelma" not in index
    own = tmp_path / "own.ttl"
    assert run("plan", "import", SEED, "-o", own, "--title", "Plan B").exit_code == 0
    assert run("plan", "show", own, "--lang", lang).stdout.splitlines()[0] == "Plan B"


def test_the_plans_graph_page_offers_only_what_a_plan_has(tmp_path: Path) -> None:
    """A plan has no client segments and no services: its graph page offers no path
    explorer, bottleneck ranking or PTV comparison (each opened on an empty form), and a
    region's page still offers all three."""
    import shutil

    from fastapi.testclient import TestClient

    from helpers import EXAMPLE
    from polku.app import create_app

    shutil.copy(PLAN, tmp_path / "plan.ttl")
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]))
    links = ("/paths", "/bottlenecks", "/ptv")

    def nav(name: str) -> str:
        page = client.get(f"/graphs/{name}", params={"lang": "en"}).text
        start = page.index('<nav aria-label="Explore')
        return page[start:page.index("</nav>", start)]

    plan, region = nav("plan"), nav("keski-uusimaa")
    assert not any(f"/graphs/plan{link}" in plan for link in links), plan
    assert "/graphs/plan/raci" in plan and "/graphs/plan/report" in plan
    assert all(f"/graphs/keski-uusimaa{link}" in region for link in links), region
    # a view whose own title names the plan says it once in the page's title
    timeline = client.get("/graphs/plan/view", params={"view": "timeline", "lang": "en"}).text
    assert "<title>Plan timeline · Action plan 2026–2028 · polku</title>" in timeline
