"""The analysis commands through the real CLI: findings, bottlenecks, paths, whatif, report.

Graphs are written as workbooks (CSV folders) and as Turtle, and the commands read them
the way a user's would, through :func:`polku.io.load.load_graph`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ecobuild import Builder
from helpers import run as invoke
from polku.io.rdf import write_turtle

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture()
def region(tmp_path: Path) -> Path:
    """A workbook with an error (no provider), warnings (long wait) and info (overlap),
    and a service whose name is an XSS attempt."""
    b = Builder("region").chain()
    b.service("b", providers=["x"], name=XSS, needs=["debt"])
    b.service("c", needs=["debt"])
    b.segment("seg", needs=["debt"], size=100)
    b.referral("r-ac", "a", "c", owner="x", info="yes", wait=45)
    b.referral("r-cw", "c", "work", owner="x", info="yes", wait=1)
    b.path("p", "seg", ["a", "c", "b"])
    return b.workbook(tmp_path / "region")


@pytest.fixture()
def warnings_only(tmp_path: Path) -> Path:
    b = Builder("calm").chain()
    b.service("c", providers=["x"])
    b.referral("r-ac", "a", "c", owner="x", info="yes", wait=45)
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    return b.workbook(tmp_path / "calm")


def test_findings_json_is_the_spec_shape_sorted(region):
    r = invoke("findings", region, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["graph"] == "region"
    sev = {"error": 0, "warning": 1, "info": 2}
    keys = [(sev[f["severity"]], f["kind"], f["subject"]) for f in doc["findings"]]
    assert keys == sorted(keys)
    kinds = {f["kind"] for f in doc["findings"]}
    assert {"service-without-provider", "long-wait", "path-broken",
            "overlapping-services"} <= kinds
    # One finding per line: two versions diff line by line.
    assert all(line.lstrip().startswith('{"kind"') for line in r.stdout.splitlines()[2:-1])


def test_findings_from_turtle_equal_findings_from_workbook(region, tmp_path):
    from polku.io.load import load_graph

    ttl = tmp_path / "region.ttl"
    write_turtle(load_graph(region), ttl)
    a = json.loads(invoke("findings", region, "--format", "json").stdout)["findings"]
    b = json.loads(invoke("findings", ttl, "--format", "json").stdout)["findings"]
    assert a == b


def test_fail_on_exit_codes(region, warnings_only):
    assert invoke("findings", region).exit_code == 0
    assert invoke("findings", region, "--fail-on", "error").exit_code == 1
    assert invoke("findings", warnings_only, "--fail-on", "error").exit_code == 0
    assert invoke("findings", warnings_only, "--fail-on", "warning").exit_code == 1
    r = invoke("findings", region, "--fail-on", "info")
    assert r.exit_code == 1 and "unknown severity 'info'" in r.stderr


def test_long_wait_days_setting(warnings_only):
    def long_waits(*extra):
        doc = json.loads(invoke("findings", warnings_only, "--format", "json", *extra).stdout)
        return [f["subject"] for f in doc["findings"] if f["kind"] == "long-wait"]
    assert long_waits() == ["r-ac"]
    assert long_waits("--long-wait-days", "50") == []
    assert long_waits("--long-wait-days", "4") == ["r-ab", "r-ac", "r-bw"]


def test_table_and_markdown(region):
    table = invoke("findings", region).stdout
    # the kind by its name in the reader's language (English here), its code beside it in the counts
    assert table.startswith("region: ")
    assert "service without a provider (service-without-provider)" in table
    assert "\nerror            service without a provider  " in table
    md = invoke("findings", region, "--format", "markdown", "--lang", "en").stdout
    assert md.startswith("# Findings: region")
    assert "| error | broken designed path (`path-broken`) | 1 |" in md
    assert "| error | broken designed path | `" in md
    assert XSS not in md


def test_bad_input_is_one_clear_line(tmp_path, region):
    r = invoke("findings", tmp_path / "missing")
    assert r.exit_code == 1 and "missing" in r.stderr and "Traceback" not in r.output
    r = invoke("findings", region, "--format", "xml")
    assert r.exit_code == 1 and "unknown format 'xml'" in r.stderr


def test_markdown_is_md_and_md_is_markdown(tmp_path, region):
    """The findings call it markdown and the report md (after the file's suffix): each takes
    the other's name too, instead of refusing the one a reader used a minute ago."""
    md = invoke("findings", region, "--format", "markdown").stdout
    assert md.startswith("# ") and invoke("findings", region, "--format", "md").stdout == md
    for name in ("md", "markdown"):
        r = invoke("report", region, "--format", name, "-o", tmp_path / f"{name}.md", "-q")
        assert r.exit_code == 0, r.output
        assert (tmp_path / f"{name}.md").read_text(encoding="utf-8").startswith("# ")


def test_bottlenecks_command(region):
    r = invoke("bottlenecks", region, "--top", "2", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert len(doc["by_betweenness"]) == 2 and doc["by_betweenness"][0]["rank"] == 1
    assert {f["kind"] for f in doc["findings"]} <= {"over-capacity", "single-point-of-failure"}
    assert "By betweenness" in invoke("bottlenecks", region, "--lang", "en").stdout


def test_paths_command(region):
    r = invoke("paths", region, "--segment", "seg", "-k", "2", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [s["node"] for s in doc["best"][0]["steps"]] == ["a", "b", "work"]
    assert doc["designed"][0]["path"] == "p" and doc["designed"][0]["broken"]
    text = invoke("paths", region, "--segment", "seg", "--to", "work", "--lang", "en").stdout
    assert "Best paths for Seg (seg) to Work (work)" in text and "BROKEN" in text
    r = invoke("paths", region, "--segment", "nope")
    assert r.exit_code == 1 and "unknown segment 'nope'" in r.stderr
    r = invoke("paths", region, "--segment", "seg", "--to", "a")
    assert r.exit_code == 1 and "'a' is not an outcome" in r.stderr


def test_whatif_command(region):
    r = invoke("whatif", region, "--remove", "x", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert ("service-without-provider", "a") in {(f["kind"], f["subject"])
                                                  for f in doc["created"]}
    assert "Created (" in invoke("whatif", region, "--remove", "r-ac", "--lang", "en").stdout
    r = invoke("whatif", region, "--remove", "ghost")
    assert r.exit_code == 1 and "unknown id 'ghost'" in r.stderr


EXAMPLE = Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa"


@pytest.mark.parametrize("lang, line", [
    ("fi", "  poistuvat myös: Keski-Uudenmaan TYP (työllistymisen monialainen edistäminen), "
           "Ohjaamo Keski-Uusimaa"),
    ("sv", "  tas också bort: Navigatorn i Mellersta Nyland, Sektorsövergripande främjande av "
           "sysselsättning i Mellersta Nyland (TYP)"),
    ("en", "  also removed: Central Uusimaa multi-sectoral employment promotion (TYP), "
           "Ohjaamo One-Stop Guidance Centre, Central Uusimaa"),
])
def test_whatif_names_what_goes_with_a_removal(lang, line):
    """An organisation removed takes its units with it: the text names them in the
    reader's language, by name in its alphabet; the JSON keeps their ids beside the
    names."""
    text = invoke("whatif", EXAMPLE, "--remove", "tyollisyysalue", "--lang", lang).stdout
    assert line in text.splitlines(), text
    doc = json.loads(invoke("whatif", EXAMPLE, "--remove", "tyollisyysalue", "--lang", lang,
                            "--format", "json").stdout)
    assert doc["removed_ids"] == ["ohjaamo", "tyollisyysalue", "typ"]
    assert set(doc["removed_labels"]) == set(doc["removed_ids"])
    # a referral, which has no name, by its two ends
    text = invoke("whatif", EXAMPLE, "--remove", "tyokokeilu", "--lang", "en").stdout
    also = next(x for x in text.splitlines() if x.startswith("  also removed: "))
    assert "referral Work trial → Pay subsidy" in also and "ref-" not in also, also


@pytest.mark.parametrize("removed, lang, heading", [
    ("ref-etsiva-ohjaamo", "fi", "Entä jos ohjaus Etsivä nuorisotyö → Ohjaamon ohjaus ja "
     "neuvonta poistettaisiin aineistosta Keski-Uudenmaan työhön osallistumisen ekosysteemi?"),
    ("ref-etsiva-ohjaamo", "en", "What if the referral Outreach youth work → Ohjaamo guidance "
     "and counselling were removed from Central Uusimaa ecosystem for participation in "
     "working life?"),
    ("ohjaamo", "fi", "Entä jos toimija Ohjaamo Keski-Uusimaa (ohjaamo) poistettaisiin "
     "aineistosta Keski-Uudenmaan työhön osallistumisen ekosysteemi?"),
    ("talous-ja-velkaneuvonta", "sv", "Tänk om tjänsten Ekonomi- och skuldrådgivning "
     "(talous-ja-velkaneuvonta) togs bort ur Mellersta Nylands ekosystem för deltagande i "
     "arbetslivet?"),
    ("ohjaamo", "sv", "Tänk om aktören Navigatorn i Mellersta Nyland (ohjaamo) togs bort ur "
     "Mellersta Nylands ekosystem för deltagande i arbetslivet?"),
])
def test_whatif_heading_names_the_removed_node(removed, lang, heading):
    """The question names what is removed: a referral by its two ends (it said
    'ref-etsiva-ohjaamo (ohjaus)'), any other node by its kind and name, with one bracket."""
    text = invoke("whatif", EXAMPLE, "--remove", removed, "--lang", lang).stdout
    assert text.splitlines()[0] == heading, text
    if lang == "fi":  # what the removal resolves is not what disappears with it
        assert "Ratkeaa (" in text and \
            "Poistuu poistetun mukana tai koska siihen ei enää pääse (" in text


def test_report_html_is_self_contained_and_escaped(region, tmp_path):
    out = tmp_path / "report.html"
    r = invoke("report", region, "-o", out, "--lang", "en")
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "Findings by kind" in html and "Each segment" in html and "Bottlenecks" in html
    assert "Responsibility overlaps" in html and 'class="polku-view"' in html
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # Nothing is fetched from anywhere: no external src/href, no CDN.
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html)
    # Errors come before warnings.
    assert html.index('id="errors"') < html.index('id="warnings"')


def test_report_markdown(region, tmp_path):
    out = tmp_path / "report.md"
    assert invoke("report", region, "-o", out, "--lang", "en").exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# polku report: region")
    assert "## Errors" in md and "## Each segment's best path" in md
    assert "| Seg (`seg`) | A → " in md
    assert XSS not in md
    # PDF is a report format now (tests/test_report_print.py); other suffixes are refused
    r = invoke("report", region, "-o", tmp_path / "report.txt")
    assert r.exit_code == 1 and ".html, .md or .pdf" in r.stderr


def test_the_console_command_ends_with_its_whole_output_and_its_exit_code(tmp_path):
    """``polku`` as a user runs it (the console entry, a process of its own) ends at once
    after the command: the output must still be whole and the exit codes the command's."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    polku = [sys.executable, "-m", "polku.cli"]
    big = Builder("big")  # output past a pipe's buffer: everything must be flushed first
    big.actor("a")
    for i in range(400):
        big.service(f"s{i}", providers=["a"], entry=True)
    workbook = big.workbook(tmp_path / "big")
    done = subprocess.run(polku + ["findings", str(workbook), "--format", "json"],
                          capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 65_536
    assert len(json.loads(done.stdout)["findings"]) == 400  # a dead end each
    failing = subprocess.run(polku + ["findings", str(workbook), "--fail-on", "error"],
                             capture_output=True, text=True, cwd=root)
    assert failing.returncode == 1 and "s399" in failing.stdout
    missing = subprocess.run(polku + ["findings", str(tmp_path / "nothing-here")],
                             capture_output=True, text=True, cwd=root)
    assert missing.returncode == 1 and "nothing-here" in missing.stderr
    usage = subprocess.run(polku + ["findings", "--no-such-option"], capture_output=True,
                           text=True, cwd=root)
    assert usage.returncode == 2


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path):
    """``polku findings | head``: when the reader closes the pipe, polku stops without an
    error line (it said 'virhe: Broken pipe') and with the status a shell gives ``yes | head``."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        done = subprocess.run([sys.executable, "-m", "polku.cli", "findings",
                               str(root / "graphs" / "keski-uusimaa")],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=root)
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 141


def test_show_and_paths_answer_as_the_public_reads_them(tmp_path):
    """``--suppress`` on ``polku show`` and ``polku paths`` gives the public's answer: a
    segment of 3 reads <5, a referral of 4 is not in the totals, and the totals say *at
    least*; without it the owner reads the true figures."""
    from ecobuild import Builder

    b = Builder().chain()  # seg -> a -> work
    b.segment("seg", size=3)
    b.segment("big", entries=["a"], size=40)
    b.service("c", providers=["x"], capacity=10)
    b.referral("r-small", "a", "c", owner="x", info="yes", volume=4)
    folder = b.workbook(tmp_path / "wb")
    public = json.loads(invoke("show", folder, "--suppress", "--format", "json").stdout)
    sizes = {s["id"]: s["size"] for s in public["segments"]}
    assert sizes == {"seg": "<5", "big": 40}
    assert public["people_in_segments"] == 40
    assert public["partial"] == ["people_in_segments", "referral_volume_per_month"]
    text = invoke("show", folder, "--suppress", "--lang", "en").stdout
    assert "at least 40 people in segments" in text and "size <5" in text
    owner = json.loads(invoke("show", folder, "--format", "json").stdout)
    assert owner["people_in_segments"] == 43 and "partial" not in owner
    paths = invoke("paths", folder, "--segment", "seg", "--suppress", "--format", "json")
    assert paths.exit_code == 0, paths.output
    assert '"size": 3' not in paths.stdout and ": 4," not in paths.stdout


def test_a_newcomers_paths_to_an_outcome_name_it_and_a_wrong_one_lists_the_outcomes() -> None:
    """The README's `polku paths … --to …`: the heading named the outcome by its id
    ("tulokseen tulos-koulutus"), and a wrong id said only that it is no outcome, where
    `--segment` lists the segments."""
    from helpers import EXAMPLE

    result = invoke("paths", EXAMPLE, "--segment", "seg-nuoret", "--to", "tulos-koulutus",
                    "-k", "1", "--lang", "fi")
    assert result.exit_code == 0, result.output
    assert "tulokseen Opiskelupaikka tai tutkinto (tulos-koulutus)" in result.output.splitlines()[0]
    wrong = invoke("paths", EXAMPLE, "--segment", "seg-nuoret", "--to", "tulos-opiskelu",
                   "--lang", "sv")
    assert wrong.exit_code == 1
    assert "'tulos-opiskelu' finns inte som utfall" in wrong.output
    assert "tulos-koulutus" in wrong.output and "tulos-avoin-tyo" in wrong.output


def test_a_what_ifs_over_capacity_writes_whole_clients_a_month(tmp_path: Path) -> None:
    """A what-if's computed inflow (56.91) read "tulee 56,91 asiakasta kuukaudessa" where
    every other text writes whole clients a month."""
    from helpers import EXAMPLE

    result = invoke("whatif", EXAMPLE, "--capacity", "ips=25", "--places", "ips=2",
                    "--demand", "alkuhaastattelu=+20%", "--lang", "fi")
    assert result.exit_code == 0, result.output
    line = next(li for li in result.output.splitlines() if "kapasiteetti on 55" in li)
    assert "tulee 57 asiakasta kuukaudessa" in line, line


def test_diff_writes_numbers_as_the_reader_does(tmp_path: Path) -> None:
    """`polku diff` in Finnish wrote a changed wait as 10 → 20.64 (the graph's decimal
    point); the JSON keeps the workbook's value."""
    from helpers import EXAMPLE
    from polku.io.load import load_graph

    g = load_graph(EXAMPLE)
    g.nodes["ref-alku-alkukartoitus"]["median_wait_days"] = 20.64
    changed = tmp_path / "changed.ttl"
    write_turtle(g, changed)
    text = invoke("diff", EXAMPLE, changed, "--lang", "fi")
    assert "10 → 20,64" in text.output, text.output
    as_json = json.loads(invoke("diff", EXAMPLE, changed, "--format", "json").output)
    assert as_json["changed"][0]["fields"]["median_wait_days"] == ["10", "20.64"]


def test_compare_refuses_a_plan_by_its_title() -> None:
    """`polku compare REGION graphs/plan.ttl` said "'plan' ei ole vertailtava alue": the
    graph's id where a sentence names it by its title."""
    from helpers import EXAMPLE, PLAN

    result = invoke("compare", EXAMPLE, PLAN, "--lang", "fi")
    assert result.exit_code == 1
    assert "'Toimintasuunnitelma 2026–2028 (plan)' ei ole vertailtava alue" in result.output


def test_the_bottleneck_table_writes_clients_as_the_pages_do() -> None:
    """Clients a month in whole clients at the terminal too: the example's labour market
    training takes in 62.5 a month (the API's figure), which the page and the report write
    63; the table wrote 62.5 beside them."""
    from helpers import EXAMPLE

    data = json.loads(invoke("bottlenecks", EXAMPLE, "--top", "40", "--format", "json").stdout)
    row = next(r for r in data["by_flow"] if r["service"] == "tyovoimakoulutus")
    assert row["inflow"] == 62.5
    table = invoke("bottlenecks", EXAMPLE, "--top", "40", "--lang", "en").stdout
    line = next(x for x in table.splitlines() if "(tyovoimakoulutus)" in x)
    assert re.search(r"\b63\b", line) and "62.5" not in line, line
